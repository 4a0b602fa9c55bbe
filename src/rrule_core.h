/*
 * rrule_core.h: RRULE validation and bounded expansion without the server.
 * libical parses and checks the text; the occurrences are computed here
 * (rrule_core.c, rrule_expand_core.c), never by libical's iterator.
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
 * A rule is accepted only if it can also be expanded, so a rule that
 * validates can be expanded.
 */
extern bool isms_rrule_parse(const char *text, struct icalrecurrencetype *rec,
							 char *reason, size_t reasonlen);

/*
 * Expansion ends with this year (libical's MAX_TIME_T_YEAR with a 64-bit
 * time_t, kept so stored rules keep their meaning).
 */
#define ISMS_RRULE_LAST_YEAR	2582

/* Results of isms_rrule_iter_next. */
#define ISMS_RRULE_END			0	/* the rule has no more occurrences */
#define ISMS_RRULE_OCCURRENCE	1	/* *out holds the next occurrence */
#define ISMS_RRULE_PAUSE		2	/* a bounded search ended: call again */

typedef struct isms_rrule_iter isms_rrule_iter;

/*
 * Which way an iterator expands: the fastest that applies (the server), or
 * rrule_expand_core.c's period by period even for a rule without BY*
 * parts (the tests compare the two).
 */
typedef enum isms_rrule_path
{
	ISMS_RRULE_ANY_PATH,
	ISMS_RRULE_EXPAND_PATH
} isms_rrule_path;

/*
 * An iterator over the occurrences of a parsed rule (isms_rrule_parse)
 * from a floating DTSTART (wall-clock fields, zone NULL).  If from is not
 * the null time, occurrences before it may be skipped without being
 * returned (they still count towards COUNT).  Returns NULL if out of
 * memory, for a start after ISMS_RRULE_LAST_YEAR, or for a rule that
 * isms_rrule_parse would refuse.
 *
 * One call of isms_rrule_iter_next does bounded work (a few milliseconds),
 * so a rule whose next occurrence is centuries away, or never comes,
 * returns ISMS_RRULE_PAUSE many times and the caller can check for
 * interrupts in between.
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

/* Wall times as seconds since 1970-01-01 (no zone) and back. */
extern long long isms_rrule_wall_secs(struct icaltimetype t);
extern struct icaltimetype isms_rrule_wall_time(long long secs);

#endif							/* ISMS_RRULE_CORE_H */
