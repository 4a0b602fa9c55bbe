/*
 * rrule_core_test.c: the bounded RRULE iterator gives exactly libical's
 * occurrences where libical is right (rules without BY parts computed
 * directly and period by period, BY parts period by period, over many rules,
 * starts and DST dates), and a pathological rule never makes one call slow.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "ical_core.h"
#include "rrule_core.h"

#define MAXOCC 40

/* libical alone, one iterator, no bounds but MAXOCC: the reference. */
static int
reference(struct icalrecurrencetype r, struct icaltimetype start, struct icaltimetype *out)
{
	icalrecur_iterator *li = icalrecur_iterator_new(r, start);
	int			n = 0;

	if (li == NULL)
		return -1;
	while (n < MAXOCC)
	{
		struct icaltimetype t = icalrecur_iterator_next(li);

		if (icaltime_is_null_time(t))
			break;
		out[n++] = t;
	}
	icalrecur_iterator_free(li);
	return n;
}

/* Ours; *pauses counts the windows that ended without an occurrence. */
static int
ours(struct icalrecurrencetype r, struct icaltimetype start, struct icaltimetype from,
	 bool direct, struct icaltimetype *out)
{
	isms_rrule_iter *it = isms_rrule_iter_new(&r, start, from,
											  direct ? ISMS_RRULE_ANY_PATH : ISMS_RRULE_EXPAND_PATH);
	int			n = 0;
	long		pauses = 0;

	if (it == NULL)
		return -1;
	while (n < MAXOCC && pauses < 100000)
	{
		struct icaltimetype t;
		int			rc = isms_rrule_iter_next(it, &t);

		if (rc == ISMS_RRULE_END)
			break;
		if (rc == ISMS_RRULE_PAUSE)
		{
			pauses++;
			continue;
		}
		out[n++] = t;
	}
	isms_rrule_iter_free(it);
	return n;
}

static bool
same_fields(struct icaltimetype a, struct icaltimetype b)
{
	return a.year == b.year && a.month == b.month && a.day == b.day &&
		a.hour == b.hour && a.minute == b.minute && a.second == b.second;
}

static struct icaltimetype
wall(int y, int mo, int d, int h, int mi, int s)
{
	struct icaltimetype t = icaltime_null_time();

	t.year = y;
	t.month = mo;
	t.day = d;
	t.hour = h;
	t.minute = mi;
	t.second = s;
	t.is_date = 0;
	return t;
}

static int	compared = 0;
static int	compared_direct = 0;

/* Compare ours (both paths) with libical for one rule text and start. */
static void
compare(const char *text, struct icaltimetype start, struct icaltimetype from)
{
	struct icalrecurrencetype r;
	struct icaltimetype ref[MAXOCC],
				got[MAXOCC];
	int			nref,
				ngot,
				pass,
				i,
				first;
	bool		is_direct;

	if (!isms_rrule_parse(text, &r, NULL, 0))
		return;
	/*
	 * libical 3.0 is no reference for a sub-daily FREQ with BY parts: it
	 * leaves INTERVAL's grid (FREQ=SECONDLY;INTERVAL=7;BYSECOND=0,30 from
	 * 09:30:00 gives 09:30:30) and repeats occurrences (FREQ=MINUTELY;
	 * BYMINUTE=0,30 from 09:30 gives 09:30 twice).
	 * test/suites/402_rrule_dateutil.sh checks those rules against
	 * python-dateutil instead.
	 */
	if (r.freq <= ICAL_HOURLY_RECURRENCE && strstr(text, ";BY") != NULL)
		return;
	/*
	 * Nor for a DATE UNTIL at an occurrence's midnight: libical leaves it
	 * out, RFC 5545 3.3.10 ("the last instance") and dateutil keep it.
	 */
	if (!icaltime_is_null_time(r.until) && r.until.is_date && start.hour == 0 &&
		start.minute == 0 && start.second == 0)
		return;
	nref = reference(r, start, ref);
	/* With "from", the reference is what libical gives at or after it. */
	first = 0;
	if (!icaltime_is_null_time(from))
		while (first < nref && icaltime_compare(ref[first], from) < 0)
			first++;
	for (pass = 0; pass < 2; pass++)
	{
		ngot = ours(r, start, from, pass == 0, got);
		/* rrule_core.c computes a rule without BY parts or a DATE UNTIL itself */
		is_direct = pass == 0 && strstr(text, ";BY") == NULL &&
			(icaltime_is_null_time(r.until) || !r.until.is_date);
		/* ours may have skipped occurrences before "from" */
		i = 0;
		if (!icaltime_is_null_time(from))
			while (i < ngot && icaltime_compare(got[i], from) < 0)
				i++;
		if (nref < 0)
		{
			UNIT_CHECK(ngot < 0, "%s from %s: libical refuses the start, ours gives %d",
					   text, icaltime_as_ical_string(start), ngot);
			continue;
		}
		{
			int			a = first,
						b = i;
			bool		ok = true;

			while (a < nref && b < ngot)
			{
				if (!same_fields(ref[a], got[b]))
				{
					ok = false;
					break;
				}
				a++;
				b++;
			}
			/* A list that ended before MAXOCC is complete: the other may not be longer. */
			if (ok && nref < MAXOCC && ngot - i > nref - first)
				ok = false;
			if (ok && ngot < MAXOCC && nref - first > ngot - i)
				ok = false;
			if (!ok)
			{
				UNIT_CHECK(ok, "%s (%s) from %s: occurrence %d differs: libical %s, ours %s",
						   text, pass == 0 ? "any path" : "period by period",
						   icaltime_as_ical_string(start), a,
						   a < nref ? icaltime_as_ical_string(ref[a]) : "end",
						   b < ngot ? icaltime_as_ical_string(got[b]) : "end");
				return;
			}
		}
		compared++;
		if (is_direct)
			compared_direct++;
	}
}

/* A BY part and the frequencies it is tested with (dense enough to be cheap in libical). */
typedef struct by_case
{
	const char *by;
	int			fmin;			/* index into freqs */
	int			fmax;
	bool		interval1;		/* only with INTERVAL=1 */
} by_case;

static void
equivalence(void)
{
	static const char *const freqs[] = {"SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"};
	static const int intervals[] = {1, 2, 7, 25};
	static const char *const ends[] = {"", ";COUNT=5", ";COUNT=33", ";UNTIL=20300101T000000Z",
		";UNTIL=20280229T093000", ";UNTIL=20291231"};

	/*
	 * libical steps one FREQ unit at a time (10 to 25 microseconds a step)
	 * and filters: BY parts that match rarely take it seconds per rule, so
	 * the reference runs only dense ones; bounded() covers the sparse ones.
	 */
	static const by_case bys[] = {
		{"", 0, 6, false},
		{";BYSECOND=0,30", 0, 0, false},
		{";BYMINUTE=30,31", 0, 0, true},
		{";BYMINUTE=0,30", 1, 1, false},
		{";BYSECOND=0,15", 1, 2, false},
		{";BYHOUR=2;BYMINUTE=30", 2, 2, false},
		{";BYDAY=MO,WE", 4, 6, false},
		{";BYDAY=MO,WE", 3, 3, true},
		{";BYMONTHDAY=31", 5, 5, false},
		{";BYMONTHDAY=-1", 5, 5, false},
		{";BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", 5, 6, false},
		{";BYHOUR=9,17", 3, 6, false},
		{";WKST=SU;BYDAY=SU,MO", 4, 4, false},
		{";BYMONTH=1,7", 5, 6, true},
		{";BYDAY=1MO", 5, 6, false},
		{";BYDAY=-1FR;BYMONTH=3,10", 6, 6, false},
		{";BYMONTH=2;BYMONTHDAY=29", 6, 6, false},
		{";BYYEARDAY=100,-1", 6, 6, false},
	};
	struct icaltimetype starts[8];
	int			f,
				iv,
				e,
				b,
				s;
	char		text[256];

	starts[0] = wall(2024, 2, 29, 9, 30, 0);
	starts[1] = wall(2026, 3, 29, 2, 30, 0);	/* in the spring DST gap (Europe) */
	starts[2] = wall(2026, 10, 25, 2, 30, 0);	/* in the autumn DST overlap */
	starts[3] = wall(2026, 11, 1, 1, 30, 0);	/* US autumn overlap */
	starts[4] = wall(2025, 1, 31, 23, 59, 59);
	starts[5] = wall(1999, 12, 31, 0, 0, 0);
	starts[6] = wall(2023, 3, 31, 12, 0, 0);
	starts[7] = wall(2100, 2, 28, 23, 0, 0);	/* not a leap year */

	for (b = 0; b < (int) (sizeof(bys) / sizeof(bys[0])); b++)
		for (f = bys[b].fmin; f <= bys[b].fmax; f++)
			for (iv = 0; iv < (bys[b].interval1 ? 1 : 4); iv++)
				for (e = 0; e < 6; e++)
					/* every start for rules computed directly, four for the others */
					for (s = 0; s < (b == 0 ? 8 : 4); s++)
					{
						snprintf(text, sizeof(text), "FREQ=%s;INTERVAL=%d%s%s", freqs[f],
								 intervals[iv], ends[e], bys[b].by);
						compare(text, starts[s], icaltime_null_time());
						if (e == 0 && s < 2)
							compare(text, starts[s], wall(2031, 6, 15, 12, 0, 0));
					}
	UNIT_CHECK(compared > 2000 && compared_direct > 500,
			   "rrule: only %d comparisons (%d direct)", compared, compared_direct);
	printf("rrule_core: %d rule/start pairs equal to libical (%d computed directly)\n",
		   compared, compared_direct);
}

/* Each call returns within a bounded time even when libical would search for centuries. */
static void
bounded(const char *text, int year)
{
	struct icalrecurrencetype r;
	isms_rrule_iter *it;
	struct icaltimetype t;
	long		calls = 0;
	double		worst;
	int			rc = ISMS_RRULE_PAUSE;

	clock_t		c0 = clock();

	UNIT_CHECK(isms_rrule_parse(text, &r, NULL, 0), "%s refused", text);
	/* libical may refuse the start (after searching up to the year 20000) */
	it = isms_rrule_iter_new(&r, wall(year, 2, 29, 9, 30, 0), icaltime_null_time(), ISMS_RRULE_ANY_PATH);
	worst = (double) (clock() - c0) / CLOCKS_PER_SEC;
	if (it == NULL)
	{
		UNIT_CHECK(worst < 2.0, "%s: refusing the start took %.2f s", text, worst);
		return;
	}
	while (calls < 50 && rc != ISMS_RRULE_END)
	{
		clock_t		c0 = clock();
		double		d;

		rc = isms_rrule_iter_next(it, &t);
		d = (double) (clock() - c0) / CLOCKS_PER_SEC;
		if (d > worst)
			worst = d;
		calls++;
	}
	isms_rrule_iter_free(it);
	/* Natively a call takes milliseconds; sanitizers and load make it slower. */
	UNIT_CHECK(worst < 2.0, "%s: one call took %.2f s", text, worst);
}

/* The first n occurrences of a rule from a start, as yyyymmddThhmmss text, ';'-separated. */
static void
listed(const char *text, struct icaltimetype start, struct icaltimetype from, int n,
	   char *buf, size_t buflen)
{
	struct icalrecurrencetype r;
	isms_rrule_iter *it;
	struct icaltimetype t;
	size_t		len = 0;
	int			found = 0;
	long		pauses = 0;

	buf[0] = '\0';
	if (!isms_rrule_parse(text, &r, NULL, 0) ||
		(it = isms_rrule_iter_new(&r, start, from, ISMS_RRULE_ANY_PATH)) == NULL)
	{
		snprintf(buf, buflen, "refused");
		return;
	}
	while (found < n && pauses < 1000)
	{
		int			rc = isms_rrule_iter_next(it, &t);

		if (rc == ISMS_RRULE_END)
			break;
		if (rc == ISMS_RRULE_PAUSE)
		{
			pauses++;
			continue;
		}
		found++;
		len += snprintf(buf + len, buflen - len, "%s%04d%02d%02dT%02d%02d%02d", len ? ";" : "",
						t.year, t.month, t.day, t.hour, t.minute, t.second);
		if (len >= buflen)
			break;
	}
	isms_rrule_iter_free(it);
}

static void
weekno_is(const char *text, struct icaltimetype start, struct icaltimetype from, int n,
		  const char *expect)
{
	char		buf[2048];

	listed(text, start, from, n, buf, sizeof(buf));
	UNIT_CHECK(strcmp(buf, expect) == 0, "%s from %04d-%02d-%02d: got %s, want %s",
			   text, start.year, start.month, start.day, buf, expect);
}

/*
 * rrule_fuzz found FREQ=YEARLY;BYWEEKNO=42 from 2026-03-29 02:30 reading
 * outside libical's day mask (SEGV under ASan, random days without it):
 * no rule goes to libical's iterator, BYWEEKNO is computed like every
 * other part (rrule_expand_core.c).  The expected days are ISO 8601 week dates (Python's
 * date.isocalendar() gives the same for WKST=MO) and RFC 5545's examples.
 */
static void
weekno(void)
{
	struct icalrecurrencetype r;
	struct icaltimetype none = icaltime_null_time();
	char		why[ISMS_ICAL_REASON_LEN];

	UNIT_CHECK(isms_rrule_parse("FREQ=YEARLY;BYWEEKNO=42", &r, NULL, 0), "BYWEEKNO=42 refused by the parser");
	/* the fuzz finding: week 42 of 2026 is 12-18 October; the day is DTSTART's, a Sunday */
	weekno_is("FREQ=YEARLY;BYWEEKNO=42", wall(2026, 3, 29, 2, 30, 0), none, 3,
			  "20261018T023000;20271024T023000;20281022T023000");
	/* and two iterators over one rule agree (libical's did not): week 1 and the last */
	weekno_is("FREQ=YEARLY;BYWEEKNO=1,-1;BYDAY=TU,SU", wall(2026, 1, 1, 9, 0, 0), none, 6,
			  "20260104T090000;20261229T090000;20270103T090000;20270105T090000;20270110T090000;20271228T090000");
	/* 2020 has 53 weeks; week 1 of 2021 starts 2021-01-04, of 2025 on 2024-12-30 */
	weekno_is("FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO", wall(2020, 1, 1, 0, 0, 0), none, 3,
			  "20201228T000000;20261228T000000;20321227T000000");
	weekno_is("FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO", wall(2024, 1, 1, 0, 0, 0), none, 3,
			  "20240101T000000;20241230T000000;20251229T000000");
	/* -53 exists only in 53-week years, where it is week 1 (of 2020, 2026, 2032) */
	weekno_is("FREQ=YEARLY;BYWEEKNO=-53;BYDAY=MO", wall(2015, 1, 1, 0, 0, 0), none, 3,
			  "20191230T000000;20251229T000000;20311229T000000");
	/* WKST moves the weeks: 2026 with weeks from Sunday has week 1 from 2026-01-04 */
	weekno_is("FREQ=YEARLY;BYWEEKNO=1;WKST=SU;BYDAY=SU,SA", wall(2026, 1, 1, 0, 0, 0), none, 2,
			  "20260104T000000;20260110T000000");
	/* RFC 5545 3.8.5.3: Monday of week number 20 */
	weekno_is("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", wall(1997, 5, 12, 9, 0, 0), none, 3,
			  "19970512T090000;19980511T090000;19990517T090000");
	/* BYSETPOS picks among the year's set; COUNT counts years skipped before "from" */
	weekno_is("FREQ=YEARLY;BYWEEKNO=10,20;BYDAY=MO,FR;BYSETPOS=2,-1", wall(2026, 1, 1, 8, 0, 0), none, 2,
			  "20260306T080000;20260515T080000");
	/* (2027, wholly before "from", is counted without being listed) */
	weekno_is("FREQ=YEARLY;BYWEEKNO=10;BYDAY=MO;COUNT=3", wall(2026, 1, 1, 8, 0, 0), wall(2028, 1, 1, 0, 0, 0), 5,
			  "20260302T080000;20280306T080000");
	weekno_is("FREQ=YEARLY;INTERVAL=2;BYWEEKNO=10;BYDAY=MO;UNTIL=20300101T000000", wall(2026, 1, 1, 8, 0, 0), none, 5,
			  "20260302T080000;20280306T080000");
	/* BYMONTH limits the weeks' days: week 1 in December, on DTSTART's weekday */
	weekno_is("FREQ=YEARLY;BYWEEKNO=1;BYMONTH=12", wall(2025, 1, 1, 7, 0, 0), none, 3,
			  "20251231T070000;20311231T070000;20361231T070000");
	/* RFC 5545 3.3.10's own refusals */
	UNIT_CHECK(!isms_rrule_parse("FREQ=MONTHLY;BYWEEKNO=1", &r, why, sizeof(why)) &&
			   strstr(why, "only valid with FREQ=YEARLY") != NULL, "BYWEEKNO with MONTHLY: %s", why);
	UNIT_CHECK(!isms_rrule_parse("FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO", &r, why, sizeof(why)) &&
			   strstr(why, "numeric value") != NULL, "BYWEEKNO with BYDAY=1MO: %s", why);
	UNIT_CHECK(!isms_rrule_parse("FREQ=YEARLY;BYWEEKNO=1;BYMONTH=13", &r, why, sizeof(why)),
			   "BYWEEKNO with BYMONTH=13 accepted");
}

void
rrule_core_test(void)
{
	equivalence();
	weekno();
	/* sparse rules: a leap day that is a Monday, a New Year's Eve that is a Saturday */
	bounded("FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", 2024);
	bounded("FREQ=MINUTELY;BYYEARDAY=366;BYDAY=SU", 2024);
	bounded("FREQ=HOURLY;BYMONTH=12;BYMONTHDAY=31;BYDAY=SA", 2024);
	bounded("FREQ=SECONDLY;BYMONTHDAY=31;BYMONTH=12;BYDAY=SA;COUNT=3", 2024);
	bounded("FREQ=SECONDLY;INTERVAL=7;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;BYHOUR=23;BYMINUTE=59", 2024);
	/* and rules with no occurrence at all are refused up front */
	{
		static const char *const never[] = {"FREQ=SECONDLY;BYMONTH=1;BYYEARDAY=200",
			"FREQ=HOURLY;BYMONTH=1;BYYEARDAY=200", "FREQ=DAILY;BYMONTHDAY=31;BYMONTH=4",
		"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=YEARLY;BYWEEKNO=53;BYMONTH=6",
		"FREQ=YEARLY;BYWEEKNO=1;BYSECOND=60"};
		int			i;
		char		why[ISMS_ICAL_REASON_LEN];
		struct icalrecurrencetype r;

		for (i = 0; i < (int) (sizeof(never) / sizeof(never[0])); i++)
			UNIT_CHECK(!isms_rrule_parse(never[i], &r, why, sizeof(why)) &&
					   strstr(why, "no occurrence") != NULL, "%s: %s", never[i], why);
	}
}
