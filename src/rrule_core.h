/*
 * rrule_core.h: RRULE validation and bounded expansion without the server.
 * Simple rules and BYWEEKNO rules are computed directly; every other rule
 * goes through libical in search windows that bound one libical call.
 */
#ifndef ISMS_RRULE_CORE_H
#define ISMS_RRULE_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <libical/ical.h>

/* Longest RRULE text accepted (RFC 5545 sets no limit; ours bounds work). */
#define ISMS_RRULE_MAX_LEN		1024

/*
 * Parse and check an RRULE value (without the "RRULE:" name).  On success
 * fills *rec (if not NULL) and returns true; on failure writes a one-line
 * reason (which part is wrong and libical's error text) and returns false.
 * A rule is accepted only if it can also be expanded (by libical, or
 * directly for BYWEEKNO), so a rule that validates can be expanded.
 */
extern bool isms_rrule_parse(const char *text, struct icalrecurrencetype *rec,
							 char *reason, size_t reasonlen);

/* libical gives up after this year (MAX_TIME_T_YEAR with a 64-bit time_t). */
#define ISMS_RRULE_LAST_YEAR	2582

/* Results of isms_rrule_iter_next. */
#define ISMS_RRULE_END			0	/* the rule has no more occurrences */
#define ISMS_RRULE_OCCURRENCE	1	/* *out holds the next occurrence */
#define ISMS_RRULE_PAUSE		2	/* a search window ended: call again */

typedef struct isms_rrule_iter isms_rrule_iter;

/*
 * Which way an iterator expands: the fastest that applies (the server), or
 * for the tests that compare the paths, only libical's windows or only a
 * direct computation (isms_rrule_iter_new then refuses a rule that is not
 * computed directly).
 */
typedef enum isms_rrule_path
{
	ISMS_RRULE_ANY_PATH,
	ISMS_RRULE_LIBICAL_PATH,
	ISMS_RRULE_DIRECT_PATH
} isms_rrule_path;

/*
 * An iterator over the occurrences of a parsed rule (isms_rrule_parse)
 * from a floating DTSTART (wall-clock fields, zone NULL).  If from is not
 * the null time, occurrences before it may be skipped without being
 * returned (they still count towards COUNT).  Returns NULL if out of
 * memory, if the rule cannot be expanded from this start, or if path
 * asks for a way the rule cannot take (BYWEEKNO never goes to libical 3.0,
 * which reads outside its buffers for it).
 *
 * One call of isms_rrule_iter_next does bounded work: libical is asked
 * only for occurrences inside a window of a few tens of thousands of its
 * steps (its UNTIL bounds the search), so a rule whose next occurrence is
 * centuries away, or never comes, returns ISMS_RRULE_PAUSE many times
 * and the caller can check for interrupts in between.
 */
extern isms_rrule_iter *isms_rrule_iter_new(const struct icalrecurrencetype *rec,
											struct icaltimetype dtstart,
											struct icaltimetype from,
											isms_rrule_path path);
/*
 * Occurrences after this wall time are not wanted: the iterator ends at
 * the first window (or direct candidate) past it, so a rule without any
 * occurrence in a range is not searched up to the year 2582.
 */
extern void isms_rrule_iter_stop_after(isms_rrule_iter *it, struct icaltimetype stop);
extern int	isms_rrule_iter_next(isms_rrule_iter *it, struct icaltimetype *out);
extern void isms_rrule_iter_free(isms_rrule_iter *it);

#endif							/* ISMS_RRULE_CORE_H */
