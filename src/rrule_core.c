/*
 * rrule_core.c: bounded RRULE expansion (no server code).  Rules without
 * BY* parts are computed here, BYWEEKNO rules by rrule_year_core.c; all
 * others by libical in windows whose UNTIL bounds one libical call.
 */
#include "rrule_core.h"
#include "civil_core.h"
#include "rrule_year_core.h"

#include <stdlib.h>
#include <string.h>

struct isms_rrule_iter
{
	struct icalrecurrencetype rule;	/* as parsed */
	struct icaltimetype dtstart;	/* floating wall time */
	bool		direct;
	bool		by_year;		/* BYWEEKNO: rrule_year_core.c */
	bool		done;
	bool		has_stop;		/* isms_rrule_iter_stop_after was called */
	long long	stop_secs;

	/* direct computation */
	long long	k;				/* index of the next candidate */
	long long	step;			/* seconds, for SECONDLY .. WEEKLY */
	long long	start_secs;		/* DTSTART as seconds since 1970-01-01 (wall) */

	/* windowed libical expansion */
	icalrecur_iterator *li;		/* iterator of the current window, or NULL */
	struct icaltimetype win_start;	/* first wall time of the current window */
	long long	win_secs;		/* window length in seconds */
	bool		last_window;	/* the rule's own UNTIL ends this window */
	long long	returned;		/* occurrences so far (for COUNT) */

	isms_rrule_year year;		/* when by_year */
};

static long long
wall_secs(struct icaltimetype t)
{
	return isms_days_from_civil(t.year, t.month, t.day) * 86400LL +
		t.hour * 3600LL + t.minute * 60LL + t.second;
}

static struct icaltimetype
wall_time(long long secs)
{
	struct icaltimetype t = icaltime_null_time();
	long long	sod;
	long long	days = isms_days_of_secs(secs, &sod);

	isms_civil_from_days(days, &t.year, &t.month, &t.day);
	t.hour = (int) (sod / 3600);
	t.minute = (int) (sod / 60 % 60);
	t.second = (int) (sod % 60);
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
 * Rules computed directly: no BY* part, no RSCALE, and an UNTIL (if any)
 * that is a date-time.  For them libical's occurrences are DTSTART plus
 * whole multiples of INTERVAL units of wall time, where a month or year
 * without DTSTART's day (the 31st, 29 February) is skipped; the unit tests
 * compare both over many rules and starts.
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

/*
 * Window length: about 3,600 of libical's steps for the frequency (a step
 * costs from 10 to 25 microseconds, a YEARLY step up to 400), times
 * INTERVAL, at most 50 years: one libical call stays well under 0.1 s.
 */
static long long
window_secs(const struct icalrecurrencetype *r)
{
	long long	base;
	long long	max = 50LL * 365 * 86400;

	switch (r->freq)
	{
		case ICAL_SECONDLY_RECURRENCE:
			base = 3600;
			break;
		case ICAL_MINUTELY_RECURRENCE:
			base = 60 * 3600;
			break;
		case ICAL_HOURLY_RECURRENCE:
			base = 150 * 86400;
			break;
		case ICAL_DAILY_RECURRENCE:
			base = 3650 * 86400LL;
			break;
		default:
			return max;
	}
	base *= r->interval > 0 ? r->interval : 1;
	return base < max ? base : max;
}

isms_rrule_iter *
isms_rrule_iter_new(const struct icalrecurrencetype *rec,
					struct icaltimetype dtstart, struct icaltimetype from,
					isms_rrule_path path)
{
	isms_rrule_iter *it;
	icalrecur_iterator *probe;
	bool		by_year = isms_rrule_year_applies(rec);

	dtstart.is_date = 0;
	dtstart.zone = NULL;
	/* libical refuses a start it cannot expand from: so do we, in every path. */
	if (dtstart.year < 1 || dtstart.year > ISMS_RRULE_LAST_YEAR)
		return NULL;
	if (by_year ? path == ISMS_RRULE_LIBICAL_PATH || !isms_rrule_year_check(rec, NULL, 0)
		: path == ISMS_RRULE_DIRECT_PATH && !direct_ok(rec))
		return NULL;
	if (!by_year)
	{
		icalerror_clear_errno();
		probe = icalrecur_iterator_new(*rec, dtstart);
		if (probe == NULL)
			return NULL;
		icalrecur_iterator_free(probe);
	}

	it = calloc(1, sizeof(*it));
	if (it == NULL)
		return NULL;
	it->rule = *rec;
	it->dtstart = dtstart;
	it->by_year = by_year;
	if (by_year)
	{
		isms_rrule_year_init(&it->year, rec, dtstart, from);
		return it;
	}
	it->direct = path != ISMS_RRULE_LIBICAL_PATH && direct_ok(rec);
	it->win_start = dtstart;
	it->win_secs = window_secs(rec);

	if (it->direct)
	{
		it->start_secs = wall_secs(dtstart);
		it->step = unit_secs(rec->freq) * rec->interval;
		/* Skip whole steps before "from": every step is an occurrence. */
		if (it->step > 0 && !icaltime_is_null_time(from))
		{
			long long	gap = wall_secs(from) - it->start_secs;

			if (gap > 0)
				it->k = (gap + it->step - 1) / it->step;
		}
	}
	else if (!icaltime_is_null_time(from) && rec->count == 0 &&
			 icaltime_compare(from, dtstart) > 0)
	{
		/* Without COUNT the first window may start at "from". */
		from.is_date = 0;
		from.zone = NULL;
		it->win_start = from;
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
		*t = wall_time(it->start_secs + k * it->step);
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
			(it->has_stop && wall_secs(t) > it->stop_secs))
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

/* Start libical on the current window; false when the rule has ended. */
static bool
open_window(isms_rrule_iter *it)
{
	struct icalrecurrencetype r = it->rule;
	struct icaltimetype end;
	long long	s = wall_secs(it->win_start);

	if (it->win_start.year > ISMS_RRULE_LAST_YEAR ||
		(it->has_stop && s > it->stop_secs))
		return false;
	end = wall_time(s + it->win_secs - 1);
	r.count = 0;				/* counted here: windows restart libical */
	if (!icaltime_is_null_time(r.until) && icaltime_compare(r.until, end) <= 0)
		it->last_window = true;
	else
		r.until = end;
	icalerror_clear_errno();
	it->li = icalrecur_iterator_new(r, it->dtstart);
	if (it->li == NULL)
		return false;
	if (icaltime_compare(it->win_start, it->dtstart) > 0 &&
		!icalrecur_iterator_set_start(it->li, it->win_start))
	{
		icalrecur_iterator_free(it->li);
		it->li = NULL;
		return false;
	}
	return true;
}

static int
windowed_next(isms_rrule_iter *it, struct icaltimetype *out)
{
	struct icaltimetype t;

	if (it->rule.count > 0 && it->returned >= it->rule.count)
		return ISMS_RRULE_END;
	if (it->li == NULL && !open_window(it))
		return ISMS_RRULE_END;
	t = icalrecur_iterator_next(it->li);
	if (icaltime_is_null_time(t))
	{
		icalrecur_iterator_free(it->li);
		it->li = NULL;
		if (it->last_window)
			return ISMS_RRULE_END;
		it->win_start = wall_time(wall_secs(it->win_start) + it->win_secs);
		return ISMS_RRULE_PAUSE;
	}
	it->returned++;
	t.is_date = 0;
	t.zone = NULL;
	*out = t;
	return ISMS_RRULE_OCCURRENCE;
}

void
isms_rrule_iter_stop_after(isms_rrule_iter *it, struct icaltimetype stop)
{
	it->has_stop = true;
	it->stop_secs = wall_secs(stop);
	if (it->by_year)
		isms_rrule_year_stop_after(&it->year, stop);
}

int
isms_rrule_iter_next(isms_rrule_iter *it, struct icaltimetype *out)
{
	int			rc;

	if (it == NULL || it->done)
		return ISMS_RRULE_END;
	if (it->by_year)
		rc = isms_rrule_year_next(&it->year, out);
	else
		rc = it->direct ? direct_next(it, out) : windowed_next(it, out);
	if (rc == ISMS_RRULE_END)
	{
		it->done = true;
		if (it->li)
		{
			icalrecur_iterator_free(it->li);
			it->li = NULL;
		}
	}
	return rc;
}

void
isms_rrule_iter_free(isms_rrule_iter *it)
{
	if (it == NULL)
		return;
	if (it->li)
		icalrecur_iterator_free(it->li);
	free(it);
}
