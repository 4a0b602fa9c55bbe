/*
 * rrule_year_core.h: the direct expansion of FREQ=YEARLY rules with
 * BYWEEKNO (RFC 5545 3.3.10), year by year, without libical's iterator.
 * Used by rrule_core.c, whose iterator embeds one of these.
 */
#ifndef ISMS_RRULE_YEAR_CORE_H
#define ISMS_RRULE_YEAR_CORE_H

#include <stdbool.h>
#include <libical/ical.h>

/* Most BYSETPOS values one rule can hold (libical's array bound). */
#define ISMS_YEAR_MAX_SETPOS	ICAL_BY_SETPOS_SIZE

typedef struct isms_rrule_year
{
	/* the rule, as sets */
	struct icaltimetype dtstart;	/* floating wall time */
	struct icaltimetype until;	/* null time: none */
	long long	count;			/* 0: none */
	int			interval;
	int			wkst;			/* 0 Monday .. 6 Sunday */
	bool		weekno[2][54];	/* [0] week n, [1] week -n */
	bool		month[13];
	bool		has_month;
	bool		weekday[7];
	bool		yearday[2][367];
	bool		has_yearday;
	bool		monthday[2][32];
	bool		has_monthday;
	short		setpos[ISMS_YEAR_MAX_SETPOS];
	int			nsetpos;
	unsigned char hours[24];
	unsigned char minutes[60];
	unsigned char seconds[60];
	int			nhours,
				nminutes,
				nseconds;

	/* the year being expanded */
	int			year;
	bool		built;
	int			days[366];		/* day numbers (civil_core.h), ascending */
	int			ndays;
	long long	total;			/* candidates in the year: ndays x times */
	long long	sel[ISMS_YEAR_MAX_SETPOS];	/* BYSETPOS picks, ascending */
	int			nsel;
	long long	pos;			/* next candidate (or pick) of the year */

	long long	returned;		/* occurrences so far, for COUNT */
	int			from_year;		/* years before it may be skipped */
	bool		has_stop;
	struct icaltimetype stop;
} isms_rrule_year;

/* Is the rule one for this expander (FREQ=YEARLY with BYWEEKNO)? */
extern bool isms_rrule_year_applies(const struct icalrecurrencetype *r);

/*
 * Check the parts libical's parser leaves to its iterator (ranges, BYDAY
 * without a number) and RFC 5545's rules for BYWEEKNO; false with a reason.
 */
extern bool isms_rrule_year_check(const struct icalrecurrencetype *r,
								  char *reason, size_t reasonlen);

/* Set up *y for the rule from dtstart (occurrences before "from" may be skipped). */
extern void isms_rrule_year_init(isms_rrule_year *y, const struct icalrecurrencetype *r,
								 struct icaltimetype dtstart, struct icaltimetype from);

/* No occurrence after this wall time is wanted. */
extern void isms_rrule_year_stop_after(isms_rrule_year *y, struct icaltimetype stop);

/* ISMS_RRULE_OCCURRENCE, _END or _PAUSE (bounded work per call), as rrule_core.h. */
extern int	isms_rrule_year_next(isms_rrule_year *y, struct icaltimetype *out);

#endif							/* ISMS_RRULE_YEAR_CORE_H */
