/*
 * rrule_core.c: bounded RRULE iteration (no server code).  Rules without
 * BY* parts are computed here as DTSTART plus whole INTERVALs; every other
 * rule by rrule_expand_core.c, period by period.
 */
#include "rrule_core.h"
#include "civil_core.h"
#include "rrule_expand_core.h"

#include <stdlib.h>
#include <string.h>

struct isms_rrule_iter
{
	struct icalrecurrencetype rule;	/* as parsed */
	struct icaltimetype dtstart;	/* floating wall time */
	bool		direct;			/* no BY* parts: computed here */
	bool		done;
	bool		has_stop;		/* isms_rrule_iter_stop_after was called */
	long long	stop_secs;

	/* direct computation */
	long long	k;				/* index of the next candidate */
	long long	step;			/* seconds, for SECONDLY .. WEEKLY */
	long long	start_secs;		/* DTSTART as seconds since 1970-01-01 (wall) */

	long long	returned;		/* occurrences so far (for COUNT) */

	isms_rrule_expand expand;	/* every other rule */
};

long long
isms_rrule_wall_secs(struct icaltimetype t)
{
	return isms_days_from_civil(t.year, t.month, t.day) * 86400LL +
		t.hour * 3600LL + t.minute * 60LL + t.second;
}

struct icaltimetype
isms_rrule_wall_time(long long secs)
{
	struct icaltimetype t = icaltime_null_time();

	isms_civil_from_secs(secs, &t.year, &t.month, &t.day, &t.hour, &t.minute, &t.second);
	t.is_date = 0;
	t.zone = NULL;
	return t;
}

static bool
by_empty(const short *a)
{
	return a[0] == ICAL_RECURRENCE_ARRAY_MAX;
}

/*
 * Rules computed here: no BY* part, no RSCALE, and an UNTIL (if any) that
 * is a date-time.  Their occurrences are DTSTART plus whole multiples of
 * INTERVAL units of wall time, where a month or year without DTSTART's
 * day (the 31st, 29 February) is skipped; the unit tests compare them with
 * libical and with rrule_expand_core.c over many rules and starts.
 */
static bool
direct_ok(const struct icalrecurrencetype *r)
{
	return r->rscale == NULL &&
		r->interval >= 1 &&
		(icaltime_is_null_time(r->until) || !r->until.is_date) &&
		by_empty(r->by_second) && by_empty(r->by_minute) &&
		by_empty(r->by_hour) && by_empty(r->by_day) &&
		by_empty(r->by_month_day) && by_empty(r->by_year_day) &&
		by_empty(r->by_week_no) && by_empty(r->by_month) &&
		by_empty(r->by_set_pos);
}

static long long
unit_secs(icalrecurrencetype_frequency f)
{
	switch (f)
	{
		case ICAL_SECONDLY_RECURRENCE:
			return 1;
		case ICAL_MINUTELY_RECURRENCE:
			return 60;
		case ICAL_HOURLY_RECURRENCE:
			return 3600;
		case ICAL_DAILY_RECURRENCE:
			return 86400;
		case ICAL_WEEKLY_RECURRENCE:
			return 7 * 86400;
		default:
			return 0;			/* MONTHLY, YEARLY: calendar arithmetic */
	}
}

isms_rrule_iter *
isms_rrule_iter_new(const struct icalrecurrencetype *rec,
					struct icaltimetype dtstart, struct icaltimetype from,
					isms_rrule_path path)
{
	isms_rrule_iter *it;

	dtstart.is_date = 0;
	dtstart.zone = NULL;
	from.is_date = 0;
	from.zone = NULL;
	if (dtstart.year < 1 || dtstart.year > ISMS_RRULE_LAST_YEAR ||
		rec->freq == ICAL_NO_RECURRENCE || rec->rscale != NULL ||
		!isms_rrule_expand_check(rec, NULL, 0))
		return NULL;
	it = calloc(1, sizeof(*it));
	if (it == NULL)
		return NULL;
	it->rule = *rec;
	it->dtstart = dtstart;
	it->direct = path != ISMS_RRULE_EXPAND_PATH && direct_ok(rec);
	if (!it->direct)
	{
		isms_rrule_expand_init(&it->expand, rec, dtstart, from);
		return it;
	}
	it->start_secs = isms_rrule_wall_secs(dtstart);
	it->step = unit_secs(rec->freq) * rec->interval;
	/* Skip whole steps before "from": every step is an occurrence. */
	if (it->step > 0 && !icaltime_is_null_time(from))
	{
		long long	gap = isms_rrule_wall_secs(from) - it->start_secs;

		if (gap > 0)
			it->k = (gap + it->step - 1) / it->step;
	}
	return it;
}

/* The k-th candidate of a direct rule; false if that month lacks the day. */
static bool
direct_candidate(const isms_rrule_iter *it, long long k, struct icaltimetype *t)
{
	const struct icaltimetype s = it->dtstart;
	long long	n;

	if (it->step > 0)
	{
		*t = isms_rrule_wall_time(it->start_secs + k * it->step);
		return true;
	}
	*t = s;
	if (it->rule.freq == ICAL_MONTHLY_RECURRENCE)
	{
		n = (long long) s.year * 12 + (s.month - 1) + k * it->rule.interval;
		if (n / 12 > ISMS_RRULE_LAST_YEAR)
		{
			t->year = ISMS_RRULE_LAST_YEAR + 1;
			return true;
		}
		t->year = (int) (n / 12);
		t->month = (int) (n % 12) + 1;
	}
	else
	{
		n = s.year + k * it->rule.interval;
		if (n > ISMS_RRULE_LAST_YEAR)
		{
			t->year = ISMS_RRULE_LAST_YEAR + 1;
			return true;
		}
		t->year = (int) n;
	}
	return t->day <= isms_days_in_month(t->year, t->month);
}

static int
direct_next(isms_rrule_iter *it, struct icaltimetype *out)
{
	struct icaltimetype t;
	int			skipped = 0;

	if (it->rule.count > 0 && it->returned >= it->rule.count)
		return ISMS_RRULE_END;
	for (;;)
	{
		bool		valid = direct_candidate(it, it->k, &t);

		if (t.year > ISMS_RRULE_LAST_YEAR ||
			(it->has_stop && isms_rrule_wall_secs(t) > it->stop_secs))
			return ISMS_RRULE_END;
		it->k++;
		if (valid)
			break;
		/* A month without the day (at most a few in a row); stay bounded. */
		if (++skipped >= 64)
			return ISMS_RRULE_PAUSE;
	}
	if (!icaltime_is_null_time(it->rule.until) &&
		icaltime_compare(t, it->rule.until) > 0)
		return ISMS_RRULE_END;
	/* COUNT counts from DTSTART; steps skipped before "from" were occurrences. */
	if (it->rule.count > 0 && it->k > it->rule.count && it->step > 0)
		return ISMS_RRULE_END;
	it->returned++;
	*out = t;
	return ISMS_RRULE_OCCURRENCE;
}

void
isms_rrule_iter_stop_after(isms_rrule_iter *it, struct icaltimetype stop)
{
	it->has_stop = true;
	it->stop_secs = isms_rrule_wall_secs(stop);
	if (!it->direct)
		isms_rrule_expand_stop_after(&it->expand, stop);
}

int
isms_rrule_iter_next(isms_rrule_iter *it, struct icaltimetype *out)
{
	int			rc;

	if (it == NULL || it->done)
		return ISMS_RRULE_END;
	rc = it->direct ? direct_next(it, out) : isms_rrule_expand_next(&it->expand, out);
	if (rc == ISMS_RRULE_END)
		it->done = true;
	return rc;
}

void
isms_rrule_iter_free(isms_rrule_iter *it)
{
	free(it);
}
