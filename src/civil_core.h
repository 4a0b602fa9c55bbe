/*
 * civil_core.h: proleptic Gregorian date arithmetic on day numbers (days
 * since 1970-01-01, any sign), the one helper behind RRULE expansion and
 * the export writer's UTC times.  Hinnant's days_from_civil method.
 */
#ifndef ISMS_CIVIL_CORE_H
#define ISMS_CIVIL_CORE_H

#include <stdbool.h>

/* Days from 1970-01-01 to y-m-d (m 1..12, d 1..31). */
static inline long long
isms_days_from_civil(long long y, int m, int d)
{
	long long	era;
	long long	yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The date of day number z. */
static inline void
isms_civil_from_days(long long z, int *y, int *m, int *d)
{
	long long	era,
				doe,
				yoe,
				doy,
				mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int) (doy - (153 * mp + 2) / 5 + 1);
	*m = (int) (mp < 10 ? mp + 3 : mp - 9);
	*y = (int) (yoe + era * 400 + (*m <= 2));
}

/* Whole days and the second of the day (0..86399) of a count of seconds. */
static inline long long
isms_days_of_secs(long long secs, long long *sod)
{
	long long	days = secs / 86400;
	long long	rem = secs % 86400;

	if (rem < 0)
	{
		rem += 86400;
		days--;
	}
	*sod = rem;
	return days;
}

/* The date and time of day of a count of seconds since 1970-01-01 (any sign). */
static inline void
isms_civil_from_secs(long long secs, int *y, int *m, int *d, int *hh, int *mm, int *ss)
{
	long long	sod;

	isms_civil_from_days(isms_days_of_secs(secs, &sod), y, m, d);
	*hh = (int) (sod / 3600);
	*mm = (int) (sod / 60 % 60);
	*ss = (int) (sod % 60);
}

/* Day of the week of day number z: 0 Monday .. 6 Sunday (1970-01-01 was a Thursday). */
static inline int
isms_weekday(long long z)
{
	long long	w = (z + 3) % 7;

	return (int) (w < 0 ? w + 7 : w);
}

static inline bool
isms_is_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static inline int
isms_days_in_month(long long y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && isms_is_leap(y) ? 29 : dim[m - 1];
}

#endif							/* ISMS_CIVIL_CORE_H */
