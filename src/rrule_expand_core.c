/*
 * rrule_expand_core.c: RFC 5545 3.3.10 expansion of rules with BY* parts,
 * without libical's iterator (libical 3.0 reads outside its buffers for
 * BYWEEKNO and misorders or drops occurrences of many other rules).
 */
#include "rrule_expand_core.h"
#include "rrule_core.h"
#include "civil_core.h"
#include "reason_core.h"

#include <stdlib.h>
#include <string.h>

/*
 * Work one call may do before it pauses: a day looked at or a candidate
 * tried costs one unit (about 10 ns), so one call stays under a few ms.
 */
#define EXPAND_BUDGET	200000

#define FREQ_SECONDLY	ICAL_SECONDLY_RECURRENCE
#define FREQ_MINUTELY	ICAL_MINUTELY_RECURRENCE
#define FREQ_HOURLY		ICAL_HOURLY_RECURRENCE
#define FREQ_DAILY		ICAL_DAILY_RECURRENCE
#define FREQ_WEEKLY		ICAL_WEEKLY_RECURRENCE
#define FREQ_MONTHLY	ICAL_MONTHLY_RECURRENCE
#define FREQ_YEARLY		ICAL_YEARLY_RECURRENCE

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

/* Does every value of a BY array lie in lo..hi (by absolute value, never 0, if signed)? */
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
isms_rrule_expand_check(const struct icalrecurrencetype *r, char *reason, size_t reasonlen)
{
	int			i;

	if (!by_empty(r->by_week_no))
	{
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
	}
	for (i = 0; i < ICAL_BY_DAY_SIZE && r->by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
	{
		int			n = icalrecurrencetype_day_position(r->by_day[i]);

		if (n < -53 || n > 53)
		{
			isms_set_reason(reason, reasonlen,
							"a BYDAY number lies outside -53 to 53 (RFC 5545 3.3.10)");
			return false;
		}
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

/* An unsigned BY array as a mask; false if it is empty (then all true). */
static bool
mask_of(const short *a, int size, int max, bool *mask)
{
	int			i;

	if (by_empty(a))
	{
		for (i = 0; i <= max; i++)
			mask[i] = true;
		return false;
	}
	for (i = 0; i < size && a[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
		if (a[i] >= 0 && a[i] <= max)
			mask[a[i]] = true;
	return true;
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

/* The values of a mask in order, or the default alone when the part is absent. */
static int
values_of(const bool *mask, bool given, int max, int dflt, unsigned char *out)
{
	int			i,
				n = 0;

	if (!given)
	{
		out[0] = (unsigned char) dflt;
		return 1;
	}
	for (i = 0; i <= max; i++)
		if (mask[i])
			out[n++] = (unsigned char) i;
	return n;
}

/* Seconds of one step of a sub-daily FREQ. */
static long long
unit_secs(int freq)
{
	return freq == FREQ_HOURLY ? 3600 : freq == FREQ_MINUTELY ? 60 : 1;
}

/* a / b and a mod b rounded towards minus infinity (b > 0): wall times before 1970 */
static long long
floor_div(long long a, long long b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static long long
floor_mod(long long a, long long b)
{
	return a - floor_div(a, b) * b;
}

static bool
sub_daily(int freq)
{
	return freq == FREQ_HOURLY || freq == FREQ_MINUTELY || freq == FREQ_SECONDLY;
}

/* The first day of the current period, and the last. */
static void
period_days(const isms_rrule_expand *x, long long *first, long long *last)
{
	long long	p = x->period;

	switch (x->freq)
	{
		case FREQ_YEARLY:
			*first = isms_days_from_civil(p, 1, 1);
			*last = isms_days_from_civil(p, 12, 31);
			break;
		case FREQ_MONTHLY:
			*first = isms_days_from_civil(p / 12, (int) (p % 12) + 1, 1);
			*last = *first + isms_days_in_month(p / 12, (int) (p % 12) + 1) - 1;
			break;
		case FREQ_WEEKLY:
			*first = p;
			*last = p + 6;
			break;
		case FREQ_DAILY:
			*first = *last = p;
			break;
		default:
			*first = *last = floor_div(p, 86400);
			break;
	}
}

static long long
period_start_secs(const isms_rrule_expand *x)
{
	long long	first,
				last;

	if (sub_daily(x->freq))
		return x->period;
	period_days(x, &first, &last);
	return first * 86400;
}

/* Step to the k-th next period. */
static void
advance(isms_rrule_expand *x, long long k)
{
	long long	step = x->interval;

	if (x->freq == FREQ_WEEKLY)
		step *= 7;
	else if (sub_daily(x->freq))
		step *= unit_secs(x->freq);
	x->period += k * step;
	x->built = false;
	x->first = false;
}

/* Steps needed for a sub-daily period to reach the second target (at least one). */
static long long
steps_to(const isms_rrule_expand *x, long long target)
{
	long long	step = x->interval * unit_secs(x->freq);
	long long	k = (target - x->period + step - 1) / step;

	return k < 1 ? 1 : k;
}

void
isms_rrule_expand_init(isms_rrule_expand *x, const struct icalrecurrencetype *r,
					   struct icaltimetype dtstart, struct icaltimetype from)
{
	int			i;
	long long	day;
	int			dwd;

	memset(x, 0, sizeof(*x));
	x->freq = r->freq;
	x->interval = r->interval > 0 ? r->interval : 1;
	x->wkst = r->week_start == ICAL_NO_WEEKDAY ? 0 : monday_based(r->week_start);
	x->count = r->count;
	x->until = r->until;
	x->dtstart = dtstart;
	x->dtstart_secs = isms_rrule_wall_secs(dtstart);
	day = isms_days_from_civil(dtstart.year, dtstart.month, dtstart.day);
	dwd = isms_weekday(day);

	for (i = 0; i < ICAL_BY_MONTH_SIZE && r->by_month[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
		if (r->by_month[i] >= 1 && r->by_month[i] <= 12)
			x->month[r->by_month[i]] = true;
	x->has_month = !by_empty(r->by_month);
	x->has_weekno = signed_masks(r->by_week_no, ICAL_BY_WEEKNO_SIZE, 53, x->weekno_pos, x->weekno_neg);
	x->has_yearday = signed_masks(r->by_year_day, ICAL_BY_YEARDAY_SIZE, 366,
								  x->yearday_pos, x->yearday_neg);
	x->has_monthday = signed_masks(r->by_month_day, ICAL_BY_MONTHDAY_SIZE, 31,
								   x->monthday_pos, x->monthday_neg);
	x->has_byday = !by_empty(r->by_day);
	for (i = 0; i < ICAL_BY_DAY_SIZE && r->by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
	{
		int			w = monday_based(icalrecurrencetype_day_day_of_week(r->by_day[i]));
		int			n = icalrecurrencetype_day_position(r->by_day[i]);

		/* A number counts within a month or year: ignored for finer FREQs. */
		if (n == 0 || (x->freq != FREQ_MONTHLY && x->freq != FREQ_YEARLY))
			x->weekday[w] = true;
		else if (n >= -53 && n <= 53)
		{
			x->nth[n < 0][w][n < 0 ? -n : n] = true;
			x->has_nth = true;
		}
	}

	/*
	 * What the rule leaves out comes from DTSTART (RFC 5545 3.3.10:
	 * "Information, not contained in the rule, necessary to determine the
	 * various recurrence instance start time and dates are derived from the
	 * Start Time"): its day of the month and month for YEARLY, its day for
	 * MONTHLY, its weekday for WEEKLY, and, for weeks of the year without a
	 * day, its weekday.
	 */
	if (!x->has_weekno && !x->has_yearday && !x->has_monthday && !x->has_byday)
	{
		if (x->freq == FREQ_YEARLY && !x->has_month)
		{
			x->has_month = true;
			x->month[dtstart.month] = true;
		}
		if (x->freq == FREQ_YEARLY || x->freq == FREQ_MONTHLY)
		{
			x->has_monthday = true;
			x->monthday_pos[dtstart.day] = true;
		}
		else if (x->freq == FREQ_WEEKLY)
		{
			x->has_byday = true;
			x->weekday[dwd] = true;
		}
	}
	else if (x->has_weekno && !x->has_byday && !x->has_monthday && !x->has_yearday)
	{
		x->has_byday = true;
		x->weekday[dwd] = true;
	}

	/* Times: the BY parts filter a finer FREQ; a coarser one expands to them. */
	{
		bool		gh = mask_of(r->by_hour, ICAL_BY_HOUR_SIZE, 23, x->hour_ok);
		bool		gm = mask_of(r->by_minute, ICAL_BY_MINUTE_SIZE, 59, x->minute_ok);
		/* A leap second (BYSECOND=60) is not a wall time PostgreSQL represents. */
		bool		gs = mask_of(r->by_second, ICAL_BY_SECOND_SIZE, 59, x->second_ok);

		x->nhours = values_of(x->hour_ok, gh, 23, dtstart.hour, x->hours);
		x->nminutes = values_of(x->minute_ok, gm, 59, dtstart.minute, x->minutes);
		x->nseconds = values_of(x->second_ok, gs, 59, dtstart.second, x->seconds);
	}
	for (i = 0; i < ICAL_BY_SETPOS_SIZE && r->by_set_pos[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
		x->setpos[x->nsetpos++] = r->by_set_pos[i];

	switch (x->freq)
	{
		case FREQ_YEARLY:
			x->period = dtstart.year;
			break;
		case FREQ_MONTHLY:
			x->period = dtstart.year * 12LL + dtstart.month - 1;
			break;
		case FREQ_WEEKLY:
			x->period = day - (dwd - x->wkst + 7) % 7;
			break;
		case FREQ_DAILY:
			x->period = day;
			break;
		case FREQ_HOURLY:
			x->period = x->dtstart_secs - dtstart.minute * 60 - dtstart.second;
			break;
		case FREQ_MINUTELY:
			x->period = x->dtstart_secs - dtstart.second;
			break;
		default:
			x->period = x->dtstart_secs;
			break;
	}
	x->first = true;

	if (!icaltime_is_null_time(from))
	{
		x->has_from = true;
		x->from_secs = isms_rrule_wall_secs(from);
	}
	/* Without COUNT the periods wholly before "from" need not be looked at. */
	if (x->count == 0 && x->has_from && x->from_secs > x->dtstart_secs)
	{
		long long	k;
		long long	fday = floor_div(x->from_secs, 86400);

		switch (x->freq)
		{
			case FREQ_YEARLY:
				k = (from.year - x->period) / x->interval;
				break;
			case FREQ_MONTHLY:
				k = (from.year * 12LL + from.month - 1 - x->period) / x->interval;
				break;
			case FREQ_WEEKLY:
				k = (fday - x->period) / (7LL * x->interval);
				break;
			case FREQ_DAILY:
				k = (fday - x->period) / x->interval;
				break;
			default:
				k = (x->from_secs - x->period) / (x->interval * unit_secs(x->freq));
				break;
		}
		if (k > 0)
			advance(x, k);
	}
}

void
isms_rrule_expand_stop_after(isms_rrule_expand *x, struct icaltimetype stop)
{
	x->has_stop = true;
	x->stop_secs = isms_rrule_wall_secs(stop);
}

/* First day of week 1 of week-numbering year wy: the week holding 4 January. */
static long long
week1_start(int wkst, long long wy)
{
	long long	jan4 = isms_days_from_civil(wy, 1, 4);

	return jan4 - (isms_weekday(jan4) - wkst + 7) % 7;
}

static int
cmp_ll(const void *a, const void *b)
{
	long long	x = *(const long long *) a;
	long long	z = *(const long long *) b;

	return x < z ? -1 : x > z;
}

/* Does day d (of year y, month m, day of month md) pass the day parts? */
static bool
day_ok(const isms_rrule_expand *x, long long d, int y, int m, int md, const long long *w1)
{
	int			ylen = isms_is_leap(y) ? 366 : 365;
	int			mlen = isms_days_in_month(y, m);
	int			wd = isms_weekday(d);

	if (x->has_month && !x->month[m])
		return false;
	if (x->has_monthday && !x->monthday_pos[md] && !x->monthday_neg[mlen + 1 - md])
		return false;
	if (x->has_yearday || x->has_nth)
	{
		long long	jan1 = isms_days_from_civil(y, 1, 1);
		int			doy = (int) (d - jan1) + 1;

		if (x->has_yearday && !x->yearday_pos[doy] && !x->yearday_neg[ylen + 1 - doy])
			return false;
		if (x->has_byday && !x->weekday[wd])
		{
			/* the n-th weekday of the month (MONTHLY, or YEARLY with BYMONTH) or of the year */
			bool		in_month = x->freq == FREQ_MONTHLY || x->has_month;
			int			from_start = in_month ? (md - 1) / 7 + 1 : (doy - 1) / 7 + 1;
			int			from_end = in_month ? (mlen - md) / 7 + 1 : (ylen - doy) / 7 + 1;

			if (!x->has_nth || !(x->nth[0][wd][from_start] || x->nth[1][wd][from_end]))
				return false;
		}
	}
	else if (x->has_byday && !x->weekday[wd])
		return false;
	if (x->has_weekno)
	{
		/* the week of its own week-numbering year (y - 1, y or y + 1) */
		int			k = d < w1[1] ? 0 : d < w1[2] ? 1 : 2;
		int			week = (int) ((d - w1[k]) / 7) + 1;
		int			nweeks = (int) ((w1[k + 1] - w1[k]) / 7);

		if (!x->weekno_pos[week] && !x->weekno_neg[nweeks + 1 - week])
			return false;
	}
	return true;
}

/* The candidates of the current period, and the BYSETPOS picks among them. */
static long
build(isms_rrule_expand *x)
{
	long long	first,
				last,
				d;
	long long	w1[4] = {0};
	int			y,
				m,
				md;
	long		cost;

	period_days(x, &first, &last);
	isms_civil_from_days(first, &y, &m, &md);
	if (x->has_weekno)
	{
		int			i;

		for (i = 0; i < 4; i++)
			w1[i] = week1_start(x->wkst, y - 1 + i);
	}
	x->ndays = 0;
	for (d = first; d <= last; d++)
	{
		if (day_ok(x, d, y, m, md, w1))
			x->days[x->ndays++] = (int) d;
		if (++md > isms_days_in_month(y, m))
		{
			md = 1;
			if (++m > 12)
			{
				m = 1;
				y++;
				if (x->has_weekno)
				{
					int			i;

					for (i = 0; i < 4; i++)
						w1[i] = week1_start(x->wkst, y - 1 + i);
				}
			}
		}
	}
	cost = (long) (last - first + 1);

	/* the times: a coarse FREQ expands to the BY parts, a fine one is filtered by them */
	if (!sub_daily(x->freq))
	{
		memcpy(x->ph, x->hours, x->nhours);
		x->nph = x->nhours;
		memcpy(x->pm, x->minutes, x->nminutes);
		x->npm = x->nminutes;
		memcpy(x->ps, x->seconds, x->nseconds);
		x->nps = x->nseconds;
	}
	else
	{
		long long	sod = x->period - first * 86400;
		int			h = (int) (sod / 3600),
					mi = (int) (sod / 60 % 60),
					s = (int) (sod % 60);

		x->ph[0] = (unsigned char) h;
		x->nph = x->hour_ok[h] ? 1 : 0;
		if (x->freq == FREQ_HOURLY)
		{
			memcpy(x->pm, x->minutes, x->nminutes);
			x->npm = x->nminutes;
		}
		else
		{
			x->pm[0] = (unsigned char) mi;
			x->npm = x->minute_ok[mi] ? 1 : 0;
		}
		if (x->freq == FREQ_SECONDLY)
		{
			x->ps[0] = (unsigned char) s;
			x->nps = x->second_ok[s] ? 1 : 0;
		}
		else
		{
			memcpy(x->ps, x->seconds, x->nseconds);
			x->nps = x->nseconds;
		}
	}
	x->total = (long long) x->ndays * x->nph * x->npm * x->nps;
	x->nsel = 0;
	if (x->nsetpos > 0 && x->total > 0)
	{
		int			i,
					n = 0;

		for (i = 0; i < x->nsetpos; i++)
		{
			long long	idx = x->setpos[i] > 0 ? x->setpos[i] - 1 : x->total + x->setpos[i];

			if (idx >= 0 && idx < x->total)
				x->sel[n++] = idx;
		}
		qsort(x->sel, n, sizeof(long long), cmp_ll);
		for (i = 0; i < n; i++)
			if (x->nsel == 0 || x->sel[x->nsel - 1] != x->sel[i])
				x->sel[x->nsel++] = x->sel[i];
		x->total = x->nsel;
	}
	x->pos = 0;
	x->built = true;
	return cost;
}

/* Candidate idx of the period, as seconds of wall time. */
static long long
candidate_secs(const isms_rrule_expand *x, long long idx)
{
	long long	ntimes = (long long) x->nph * x->npm * x->nps;
	long long	tt;

	if (x->nsetpos > 0)
		idx = x->sel[idx];
	tt = idx % ntimes;
	return x->days[idx / ntimes] * 86400LL +
		x->ph[tt / (x->npm * x->nps)] * 3600LL +
		x->pm[tt / x->nps % x->npm] * 60LL +
		x->ps[tt % x->nps];
}

/*
 * The last wall second UNTIL allows; false for none.  A DATE UNTIL with a
 * DATE-TIME start (RFC 5545 wants both of one type) is its midnight, as
 * libical and python-dateutil read it.
 */
static bool
until_secs(const isms_rrule_expand *x, long long *secs)
{
	if (icaltime_is_null_time(x->until))
		return false;
	*secs = isms_days_from_civil(x->until.year, x->until.month, x->until.day) * 86400LL;
	if (!x->until.is_date)
		*secs += x->until.hour * 3600LL + x->until.minute * 60LL + x->until.second;
	return true;
}

int
isms_rrule_expand_next(isms_rrule_expand *x, struct icaltimetype *out)
{
	long		budget = EXPAND_BUDGET;
	long long	last_secs = isms_days_from_civil(ISMS_RRULE_LAST_YEAR + 1, 1, 1) * 86400LL;
	long long	end = 0;
	bool		has_until = until_secs(x, &end);

	if (x->has_stop && (!has_until || x->stop_secs < end))
	{
		end = x->stop_secs;
		has_until = true;
	}
	while (budget > 0)
	{
		if (x->count > 0 && x->returned >= x->count)
			return ISMS_RRULE_END;
		if (!x->built)
		{
			long long	start = period_start_secs(x);

			if (start >= last_secs || (has_until && start > end))
				return ISMS_RRULE_END;
			budget -= build(x);
			/* A whole period after DTSTART's and before "from": counted, not listed. */
			if (!x->first && x->has_from && x->total > 0 &&
				candidate_secs(x, x->total - 1) < x->from_secs)
			{
				x->returned += x->total;
				x->pos = x->total;
			}
		}
		while (x->pos < x->total && budget-- > 0)
		{
			long long	t = candidate_secs(x, x->pos++);

			if (t < x->dtstart_secs)
				continue;
			if (t >= last_secs || (has_until && t > end))
				return ISMS_RRULE_END;
			if (x->count > 0 && x->returned >= x->count)
				return ISMS_RRULE_END;
			x->returned++;
			*out = isms_rrule_wall_time(t);
			return ISMS_RRULE_OCCURRENCE;
		}
		if (x->pos >= x->total)
		{
			long long	k = 1;

			/*
			 * A sub-daily period that failed on its day, hour or minute: jump
			 * to the first period of the next day, hour or minute.
			 */
			if (sub_daily(x->freq) && x->total == 0)
			{
				long long	day = floor_div(x->period, 86400);

				if (x->ndays == 0)
					k = steps_to(x, (day + 1) * 86400);
				else if (x->nph == 0)
					k = steps_to(x, x->period - floor_mod(x->period, 3600) + 3600);
				else if (x->npm == 0)
					k = steps_to(x, x->period - floor_mod(x->period, 60) + 60);
			}
			advance(x, k);
		}
	}
	return ISMS_RRULE_PAUSE;
}
