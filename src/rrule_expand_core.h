/*
 * rrule_expand_core.h: RFC 5545 3.3.10 expansion of rules with BY* parts,
 * period by period (a year, month, week, day, hour, minute or second of
 * FREQ), without libical's iterator.  rrule_core.c's iterator embeds one.
 */
#ifndef ISMS_RRULE_EXPAND_CORE_H
#define ISMS_RRULE_EXPAND_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <libical/ical.h>

typedef struct isms_rrule_expand
{
	/* the rule, as sets */
	int			freq;			/* icalrecurrencetype_frequency */
	int			interval;
	int			wkst;			/* 0 Monday .. 6 Sunday */
	long long	count;			/* 0: none */
	struct icaltimetype until;	/* null time: none */
	struct icaltimetype dtstart;	/* floating wall time */
	long long	dtstart_secs;
	bool		has_month,
				month[13];
	bool		has_weekno,
				weekno_pos[54],
				weekno_neg[54];
	bool		has_yearday,
				yearday_pos[367],
				yearday_neg[367];
	bool		has_monthday,
				monthday_pos[32],
				monthday_neg[32];
	bool		has_byday,
				weekday[7];		/* BYDAY without a number */
	bool		has_nth;
	bool		nth[2][7][54];	/* [0] n > 0, [1] n < 0: [weekday][|n|] */
	bool		hour_ok[24],
				minute_ok[60],
				second_ok[60];	/* the BY parts (all true when absent) */
	unsigned char hours[24],
				minutes[60],
				seconds[60];	/* the times of a day a period expands to */
	int			nhours,
				nminutes,
				nseconds;
	short		setpos[ICAL_BY_SETPOS_SIZE];
	int			nsetpos;

	/* the period being expanded */
	long long	period;			/* year, month index, or first day / second */
	bool		built;
	bool		first;			/* the period holding DTSTART */
	int			days[366];		/* day numbers (civil_core.h), ascending */
	int			ndays;
	unsigned char ph[24],
				pm[60],
				ps[60];			/* the period's hours, minutes, seconds */
	int			nph,
				npm,
				nps;
	long long	total;			/* candidates of the period */
	long long	sel[ICAL_BY_SETPOS_SIZE];	/* BYSETPOS picks, ascending */
	int			nsel;
	long long	pos;			/* next candidate (or pick) */

	long long	returned;		/* occurrences so far, for COUNT */
	bool		has_from;
	long long	from_secs;
	bool		has_stop;
	long long	stop_secs;
} isms_rrule_expand;

/*
 * Check what libical's parser leaves to its iterator and RFC 5545 3.3.10's
 * rules (BYWEEKNO only with FREQ=YEARLY, BYDAY without a number there);
 * false with a reason.
 */
extern bool isms_rrule_expand_check(const struct icalrecurrencetype *r,
									char *reason, size_t reasonlen);

/* Set up *x for the rule from dtstart; occurrences before "from" may be skipped. */
extern void isms_rrule_expand_init(isms_rrule_expand *x, const struct icalrecurrencetype *r,
								   struct icaltimetype dtstart, struct icaltimetype from);

/* No occurrence after this wall time is wanted. */
extern void isms_rrule_expand_stop_after(isms_rrule_expand *x, struct icaltimetype stop);

/* ISMS_RRULE_OCCURRENCE, _END or _PAUSE (bounded work per call), as rrule_core.h. */
extern int	isms_rrule_expand_next(isms_rrule_expand *x, struct icaltimetype *out);

#endif							/* ISMS_RRULE_EXPAND_CORE_H */
