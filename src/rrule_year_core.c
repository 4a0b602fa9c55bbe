/*
 * rrule_year_core.c: FREQ=YEARLY rules with BYWEEKNO expanded directly
 * (libical 3.0 reads outside its buffers for them), per RFC 5545 3.3.10:
 * ISO 8601 week numbers counted from WKST, each year's days built at once.
 */
#include "rrule_year_core.h"
#include "rrule_core.h"
#include "civil_core.h"
#include "reason_core.h"

#include <stdlib.h>
#include <string.h>

/* Work one call may do before it pauses: a year built costs ~400 units. */
#define YEAR_BUDGET		200000

static bool
by_empty(const short *a)
{
	return a[0] == ICAL_RECURRENCE_ARRAY_MAX;
}

/* libical's weekday (1 Sunday .. 7 Saturday) as 0 Monday .. 6 Sunday. */
static int
monday_based(int ical_weekday)
{
	return (ical_weekday + 5) % 7;
}

bool
isms_rrule_year_applies(const struct icalrecurrencetype *r)
{
	return !by_empty(r->by_week_no);
}

/* Does every value of a BY array lie in lo..hi, and is 0 absent if signed? */
static bool
in_range(const short *a, int size, int lo, int hi, bool signed_values)
{
	int			i;

	for (i = 0; i < size && a[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
	{
		int			v = a[i];

		if (signed_values && v < 0)
			v = -v;
		if (v < lo || v > hi || (signed_values && v == 0))
			return false;
	}
	return true;
}

bool
isms_rrule_year_check(const struct icalrecurrencetype *r, char *reason, size_t reasonlen)
{
	int			i;

	if (r->freq != ICAL_YEARLY_RECURRENCE)
	{
		isms_set_reason(reason, reasonlen,
						"BYWEEKNO is only valid with FREQ=YEARLY (RFC 5545 3.3.10)");
		return false;
	}
	for (i = 0; i < ICAL_BY_DAY_SIZE && r->by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
		if (icalrecurrencetype_day_position(r->by_day[i]) != 0)
		{
			isms_set_reason(reason, reasonlen,
							"BYDAY must not have a numeric value with BYWEEKNO in a YEARLY rule (RFC 5545 3.3.10)");
			return false;
		}
	if (!in_range(r->by_week_no, ICAL_BY_WEEKNO_SIZE, 1, 53, true) ||
		!in_range(r->by_second, ICAL_BY_SECOND_SIZE, 0, 60, false) ||
		!in_range(r->by_minute, ICAL_BY_MINUTE_SIZE, 0, 59, false) ||
		!in_range(r->by_hour, ICAL_BY_HOUR_SIZE, 0, 23, false) ||
		!in_range(r->by_month_day, ICAL_BY_MONTHDAY_SIZE, 1, 31, true) ||
		!in_range(r->by_year_day, ICAL_BY_YEARDAY_SIZE, 1, 366, true) ||
		!in_range(r->by_month, ICAL_BY_MONTH_SIZE, 1, 12, false) ||
		!in_range(r->by_set_pos, ICAL_BY_SETPOS_SIZE, 1, 366, true))
	{
		isms_set_reason(reason, reasonlen,
						"a BY part holds a value outside RFC 5545's range (BYWEEKNO 1 to 53 or -53 to -1, BYMONTH 1 to 12, ...)");
		return false;
	}
	if (r->interval < 1)
	{
		isms_set_reason(reason, reasonlen, "INTERVAL must be a positive integer");
		return false;
	}
	return true;
}

/* Sorted, unique values of a BY array into out; the default when it is empty. */
static int
value_set(const short *a, int size, int dflt, int max, unsigned char *out)
{
	bool		seen[61] = {false};
	int			i,
				n = 0;

	if (by_empty(a))
	{
		out[0] = (unsigned char) dflt;
		return 1;
	}
	for (i = 0; i < size && a[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
		if (a[i] >= 0 && a[i] <= max)
			seen[a[i]] = true;
	for (i = 0; i <= max; i++)
		if (seen[i])
			out[n++] = (unsigned char) i;
	return n;
}

/* A signed BY array as two masks: pos[v] for v > 0, neg[-v] for v < 0. */
static bool
signed_masks(const short *a, int size, int max, bool *pos, bool *neg)
{
	int			i;

	for (i = 0; i < size && a[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
	{
		if (a[i] > 0 && a[i] <= max)
			pos[a[i]] = true;
		else if (a[i] < 0 && -a[i] <= max)
			neg[-a[i]] = true;
	}
	return !by_empty(a);
}

void
isms_rrule_year_init(isms_rrule_year *y, const struct icalrecurrencetype *r,
					 struct icaltimetype dtstart, struct icaltimetype from)
{
	int			i;

	memset(y, 0, sizeof(*y));
	y->dtstart = dtstart;
	y->until = r->until;
	y->count = r->count;
	y->interval = r->interval > 0 ? r->interval : 1;
	y->wkst = r->week_start == ICAL_NO_WEEKDAY ? 0 : monday_based(r->week_start);
	signed_masks(r->by_week_no, ICAL_BY_WEEKNO_SIZE, 53, y->weekno[0], y->weekno[1]);
	for (i = 0; i < ICAL_BY_MONTH_SIZE && r->by_month[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
		if (r->by_month[i] >= 1 && r->by_month[i] <= 12)
			y->month[r->by_month[i]] = true;
	y->has_month = !by_empty(r->by_month);
	y->has_yearday = signed_masks(r->by_year_day, ICAL_BY_YEARDAY_SIZE, 366,
								   y->yearday[0], y->yearday[1]);
	y->has_monthday = signed_masks(r->by_month_day, ICAL_BY_MONTHDAY_SIZE, 31,
									 y->monthday[0], y->monthday[1]);
	/*
	 * Without BYDAY, BYMONTHDAY or BYYEARDAY the day within the week comes
	 * from DTSTART, as every part a rule leaves out does (RFC 5545 3.3.10:
	 * "Information, not contained in the rule, necessary to determine the
	 * various recurrence instance start time and dates are derived from the
	 * Start Time").
	 */
	if (by_empty(r->by_day))
	{
		if (!y->has_monthday && !y->has_yearday)
			y->weekday[isms_weekday(isms_days_from_civil(dtstart.year, dtstart.month, dtstart.day))] = true;
		else
			for (i = 0; i < 7; i++)
				y->weekday[i] = true;
	}
	else
		for (i = 0; i < ICAL_BY_DAY_SIZE && r->by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
			y->weekday[monday_based(icalrecurrencetype_day_day_of_week(r->by_day[i]))] = true;
	for (i = 0; i < ICAL_BY_SETPOS_SIZE && r->by_set_pos[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
		y->setpos[y->nsetpos++] = r->by_set_pos[i];
	/* A leap second (BYSECOND=60) is not a wall time PostgreSQL represents. */
	y->nhours = value_set(r->by_hour, ICAL_BY_HOUR_SIZE, dtstart.hour, 23, y->hours);
	y->nminutes = value_set(r->by_minute, ICAL_BY_MINUTE_SIZE, dtstart.minute, 59, y->minutes);
	y->nseconds = value_set(r->by_second, ICAL_BY_SECOND_SIZE, dtstart.second, 59, y->seconds);
	y->year = dtstart.year;
	y->from_year = icaltime_is_null_time(from) ? dtstart.year : from.year;
	/* Without COUNT the years before "from" need not be built at all. */
	if (y->count == 0 && y->from_year > dtstart.year)
		y->year += (y->from_year - dtstart.year) / y->interval * y->interval;
}

void
isms_rrule_year_stop_after(isms_rrule_year *y, struct icaltimetype stop)
{
	y->has_stop = true;
	y->stop = stop;
}

/* First day of week 1 of week-numbering year wy: the week holding 4 January. */
static long long
week1_start(const isms_rrule_year *y, long long wy)
{
	long long	jan4 = isms_days_from_civil(wy, 1, 4);

	return jan4 - (isms_weekday(jan4) - y->wkst + 7) % 7;
}

static int
cmp_ll(const void *a, const void *b)
{
	long long	x = *(const long long *) a;
	long long	z = *(const long long *) b;

	return x < z ? -1 : x > z;
}

/* The candidate days of the current year, and the BYSETPOS picks among them. */
static void
build_year(isms_rrule_year *y)
{
	long long	jan1 = isms_days_from_civil(y->year, 1, 1);
	int			ylen = isms_is_leap(y->year) ? 366 : 365;
	long long	w1[3];			/* week 1 of years year-1 .. year+1, then year+2 */
	long long	w_next;
	int			month = 1,
				mday = 1;
	int			doy;
	long long	ntimes = (long long) y->nhours * y->nminutes * y->nseconds;

	w1[0] = week1_start(y, y->year - 1);
	w1[1] = week1_start(y, y->year);
	w1[2] = week1_start(y, y->year + 1);
	w_next = week1_start(y, y->year + 2);
	y->ndays = 0;
	for (doy = 1; doy <= ylen; doy++)
	{
		long long	d = jan1 + doy - 1;
		int			k = d < w1[1] ? 0 : d < w1[2] ? 1 : 2;
		long long	end = k < 2 ? w1[k + 1] : w_next;
		int			week = (int) ((d - w1[k]) / 7) + 1;
		int			nweeks = (int) ((end - w1[k]) / 7);
		int			mlen = isms_days_in_month(y->year, month);

		if ((y->weekno[0][week] || y->weekno[1][nweeks + 1 - week]) &&
			(!y->has_month || y->month[month]) &&
			(!y->has_yearday || y->yearday[0][doy] || y->yearday[1][ylen + 1 - doy]) &&
			(!y->has_monthday || y->monthday[0][mday] || y->monthday[1][mlen + 1 - mday]) &&
			y->weekday[isms_weekday(d)])
			y->days[y->ndays++] = (int) d;
		if (++mday > mlen)
		{
			mday = 1;
			month++;
		}
	}
	y->total = y->ndays * ntimes;
	y->nsel = 0;
	if (y->nsetpos > 0)
	{
		int			i,
					n = 0;

		for (i = 0; i < y->nsetpos; i++)
		{
			long long	idx = y->setpos[i] > 0 ? y->setpos[i] - 1 : y->total + y->setpos[i];

			if (idx >= 0 && idx < y->total)
				y->sel[n++] = idx;
		}
		qsort(y->sel, n, sizeof(long long), cmp_ll);
		for (i = 0; i < n; i++)
			if (y->nsel == 0 || y->sel[y->nsel - 1] != y->sel[i])
				y->sel[y->nsel++] = y->sel[i];
		y->total = y->nsel;
	}
	y->pos = 0;
	y->built = true;
}

/* The wall time of candidate idx of the current year. */
static struct icaltimetype
candidate(const isms_rrule_year *y, long long idx)
{
	struct icaltimetype t = icaltime_null_time();
	long long	ntimes = (long long) y->nhours * y->nminutes * y->nseconds;
	long long	tt;

	if (y->nsetpos > 0)
		idx = y->sel[idx];
	tt = idx % ntimes;
	isms_civil_from_days(y->days[idx / ntimes], &t.year, &t.month, &t.day);
	t.hour = y->hours[tt / (y->nminutes * y->nseconds)];
	t.minute = y->minutes[tt / y->nseconds % y->nminutes];
	t.second = y->seconds[tt % y->nseconds];
	t.is_date = 0;
	t.zone = NULL;
	return t;
}

/* Is t past UNTIL (a DATE UNTIL includes its whole day)? */
static bool
past_until(const isms_rrule_year *y, struct icaltimetype t)
{
	if (icaltime_is_null_time(y->until))
		return false;
	if (y->until.is_date)
		return icaltime_compare_date_only(t, y->until) > 0;
	return icaltime_compare(t, y->until) > 0;
}

int
isms_rrule_year_next(isms_rrule_year *y, struct icaltimetype *out)
{
	long		budget = YEAR_BUDGET;

	while (budget > 0)
	{
		if (y->count > 0 && y->returned >= y->count)
			return ISMS_RRULE_END;
		if (y->year > ISMS_RRULE_LAST_YEAR)
			return ISMS_RRULE_END;
		if (!y->built)
		{
			budget -= 400;
			build_year(y);
			/* A whole year before "from" and after DTSTART's: counted, not listed. */
			if (y->year < y->from_year && y->year > y->dtstart.year)
			{
				y->returned += y->total;
				y->pos = y->total;
			}
		}
		while (y->pos < y->total && budget-- > 0)
		{
			struct icaltimetype t = candidate(y, y->pos++);

			if (icaltime_compare(t, y->dtstart) < 0)
				continue;
			if (past_until(y, t) || (y->has_stop && icaltime_compare(t, y->stop) > 0))
				return ISMS_RRULE_END;
			if (y->count > 0 && y->returned >= y->count)
				return ISMS_RRULE_END;
			y->returned++;
			*out = t;
			return ISMS_RRULE_OCCURRENCE;
		}
		if (y->pos >= y->total)
		{
			/* The year is done; a stop before the next one ends the rule. */
			y->year += y->interval;
			y->built = false;
			if (y->has_stop && y->year > y->stop.year)
				return ISMS_RRULE_END;
			if (!icaltime_is_null_time(y->until) && y->year > y->until.year)
				return ISMS_RRULE_END;
		}
	}
	return ISMS_RRULE_PAUSE;
}
