/*
 * rrule_core.h: bounded RRULE expansion without the server.  Simple rules
 * are computed directly; every other rule goes through libical in search
 * windows whose length bounds the work of one libical call.
 */
#ifndef ISMS_RRULE_CORE_H
#define ISMS_RRULE_CORE_H

#include <stdbool.h>
#include <libical/ical.h>

/* libical gives up after this year (MAX_TIME_T_YEAR with a 64-bit time_t). */
#define ISMS_RRULE_LAST_YEAR	2582

/* Results of isms_rrule_iter_next. */
#define ISMS_RRULE_END			0	/* the rule has no more occurrences */
#define ISMS_RRULE_OCCURRENCE	1	/* *out holds the next occurrence */
#define ISMS_RRULE_PAUSE		2	/* a search window ended: call again */

typedef struct isms_rrule_iter isms_rrule_iter;

/*
 * Rules libical 3.0 must not expand: any BYWEEKNO.  Without BYDAY it reads
 * outside its day mask (found by rrule_fuzz: FREQ=YEARLY;BYWEEKNO=42 from
 * 2026-03-29 02:30 crashes under ASan and returns random days without
 * it); with BYDAY two iterators over the same rule and start disagree on
 * days around the new year (BYWEEKNO=1,-1;BYDAY=TU,SU gives a Wednesday).
 * isms_rrule_iter_new refuses them (NULL); the server raises 0A000 first.
 */
extern bool isms_rrule_unsafe(const struct icalrecurrencetype *rec);

/*
 * An iterator over the occurrences of a parsed rule (isms_rrule_parse)
 * from a floating DTSTART (wall-clock fields, zone NULL).  If from is not
 * the null time, occurrences before it may be skipped without being
 * returned (they still count towards COUNT).  Returns NULL if out of
 * memory or if libical cannot expand the rule from this start.
 * allow_direct false forces the windowed libical path (tests compare the
 * two).
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
											bool allow_direct);
/*
 * Occurrences after this wall time are not wanted: the iterator ends at
 * the first window (or direct candidate) past it, so a rule without any
 * occurrence in a range is not searched up to the year 2582.
 */
extern void isms_rrule_iter_stop_after(isms_rrule_iter *it, struct icaltimetype stop);
extern int	isms_rrule_iter_next(isms_rrule_iter *it, struct icaltimetype *out);
extern void isms_rrule_iter_free(isms_rrule_iter *it);

/* True if the rule is computed without libical (for tests and docs). */
extern bool isms_rrule_iter_is_direct(const isms_rrule_iter *it);


#endif							/* ISMS_RRULE_CORE_H */
