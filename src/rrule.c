/*
 * rrule.c: RRULE expansion for SQL (isms.rrule_occurrences, isms.rrule_next,
 * isms.rrule_is_valid) over rrule_core.h.  Rules are expanded in the
 * wall-clock time of the session TimeZone, so a 09:00 weekly rule stays at
 * 09:00 across DST.
 */
#include "pg_isms.h"

#include "funcapi.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "reason_core.h"
#include "rrule_core.h"

/* Parse a rule or raise 22P02 with the reason; nothing of libical is live yet. */
static struct icalrecurrencetype
rule_or_error(text *t)
{
	char	   *rule = text_to_cstring(t);
	char		reason[ISMS_ICAL_REASON_LEN];
	struct icalrecurrencetype rec;

	if (!isms_rrule_parse(rule, &rec, reason, sizeof(reason)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", "rrule", rule),
				 errdetail("%s.", reason),
				 errhint("Give an RFC 5545 RRULE value such as \"FREQ=YEARLY;BYMONTH=3\", without \"RRULE:\".")));
	pfree(rule);
	return rec;
}

/* timestamptz -> floating icaltime in the session's wall clock; *fsec keeps the fraction. */
static struct icaltimetype
to_local(TimestampTz ts, fsec_t *fsec)
{
	struct pg_tm tm;
	int			tz;
	struct icaltimetype t = icaltime_null_time();

	if (TIMESTAMP_NOT_FINITE(ts) ||
		timestamp2tm(ts, &tz, &tm, fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range for RRULE expansion")));
	if (tm.tm_year < 1 || tm.tm_year > 9999)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("RRULE expansion needs years 1 to 9999, got %d", tm.tm_year)));
	t.year = tm.tm_year;
	t.month = tm.tm_mon;
	t.day = tm.tm_mday;
	t.hour = tm.tm_hour;
	t.minute = tm.tm_min;
	t.second = tm.tm_sec;
	t.is_date = 0;
	t.zone = NULL;
	return t;
}

/*
 * Wall time -> timestamptz with the session zone's offset cached between
 * DST transitions: DetermineTimeZoneOffset once per offset period instead
 * of once per occurrence.  The cache covers wall times from the last one
 * converted up to the next transition, less the larger of the two offsets,
 * so every wall time in it is unambiguous and gets what
 * DetermineTimeZoneOffset would give.
 */
typedef struct zone_cache
{
	bool		valid;
	Timestamp	lo;				/* wall times in [lo, hi) use tz */
	Timestamp	hi;
	int			tz;				/* seconds west of UTC, as PostgreSQL counts */
} zone_cache;

#define UNIX_EPOCH_SECS_FROM_PG ((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY)

static bool
from_local(struct icaltimetype t, fsec_t fsec, zone_cache *zc, TimestampTz *out)
{
	Timestamp	local;
	TimestampTz result;

	if (t.year < 1 || t.year > 9999 || t.month < 1 || t.month > 12)
		return false;
	local = (Timestamp) (date2j(t.year, t.month, t.day) - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY +
		((int64) t.hour * SECS_PER_HOUR + t.minute * SECS_PER_MINUTE + t.second) * USECS_PER_SEC + fsec;
	if (!(zc->valid && local >= zc->lo && local < zc->hi))
	{
		struct pg_tm tm;
		int			tz;
		pg_time_t	utc;
		pg_time_t	boundary;
		long int	before_gmtoff,
					after_gmtoff;
		int			before_isdst,
					after_isdst;
		int			res;
		fsec_t		ignored;

		if (timestamp2tm(local, NULL, &tm, &ignored, NULL, NULL) != 0)
			return false;
		tz = DetermineTimeZoneOffset(&tm, session_timezone);
		zc->valid = false;
		utc = (pg_time_t) ((local - fsec) / USECS_PER_SEC + tz + UNIX_EPOCH_SECS_FROM_PG);
		res = pg_next_dst_boundary(&utc, &before_gmtoff, &before_isdst, &boundary,
								   &after_gmtoff, &after_isdst, session_timezone);
		if (res >= 0 && before_gmtoff == -tz)
		{
			zc->valid = true;
			zc->tz = tz;
			zc->lo = local;
			if (res == 0)
				zc->hi = DT_NOEND;
			else
			{
				int64		margin = Min(before_gmtoff, after_gmtoff);

				zc->hi = ((int64) boundary + margin - UNIX_EPOCH_SECS_FROM_PG) * USECS_PER_SEC;
			}
		}
		result = local + (int64) tz * USECS_PER_SEC;
	}
	else
		result = local + (int64) zc->tz * USECS_PER_SEC;
	if (!IS_VALID_TIMESTAMP(result))
		return false;
	*out = result;
	return true;
}

/* An iterator for the rule from dtstart (22008 for a start after the rule's last year). */
static isms_rrule_iter *
iter_or_error(struct icalrecurrencetype *rec, struct icaltimetype start, struct icaltimetype from)
{
	isms_rrule_iter *it;

	if (start.year > ISMS_RRULE_LAST_YEAR)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("RRULE expansion needs a start up to the year %d, got %d",
						ISMS_RRULE_LAST_YEAR, start.year)));
	it = isms_rrule_iter_new(rec, start, from, ISMS_RRULE_ANY_PATH);
	if (it == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));
	return it;
}

/*
 * The next occurrence as a timestamptz; false when the rule has ended or
 * left the timestamp range.  Interrupts are checked between the bounded
 * calls of the iterator.
 */
static bool
next_instant(isms_rrule_iter *it, fsec_t fsec, zone_cache *zc, TimestampTz *ts)
{
	struct icaltimetype next;
	int			rc;

	do
	{
		CHECK_FOR_INTERRUPTS();
		rc = isms_rrule_iter_next(it, &next);
	} while (rc == ISMS_RRULE_PAUSE);
	return rc == ISMS_RRULE_OCCURRENCE && from_local(next, fsec, zc, ts);
}

PG_FUNCTION_INFO_V1(isms_rrule_is_valid);
Datum
isms_rrule_is_valid(PG_FUNCTION_ARGS)
{
	char	   *rule = text_to_cstring(PG_GETARG_TEXT_PP(0));

	PG_RETURN_BOOL(isms_rrule_parse(rule, NULL, NULL, 0));
}

/*
 * isms.rrule_occurrences(rrule, dtstart, range_start, range_end, max_count):
 * occurrences in [range_start, range_end], at most max_count of them,
 * materialised in one call.  The libical iterator is freed on every path.
 */
PG_FUNCTION_INFO_V1(isms_rrule_occurrences);
Datum
isms_rrule_occurrences(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	struct icalrecurrencetype rec;
	TimestampTz dtstart;
	bool		has_from = !PG_ARGISNULL(2);
	bool		has_to = !PG_ARGISNULL(3);
	TimestampTz from = has_from ? PG_GETARG_TIMESTAMPTZ(2) : 0;
	TimestampTz to = has_to ? PG_GETARG_TIMESTAMPTZ(3) : 0;
	int64		max_count;
	struct icaltimetype start;
	fsec_t		fsec;
	Tuplestorestate *tupstore;
	TupleDesc	tupdesc;
	MemoryContext oldcontext;
	isms_rrule_iter *volatile it = NULL;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("isms.rrule_occurrences must be called in a context that accepts a set")));

	/* Set up an empty result first: null arguments give no rows. */
	oldcontext = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	tupdesc = CreateTemplateTupleDesc(1);
	TupleDescInitEntry(tupdesc, (AttrNumber) 1, "rrule_occurrences", TIMESTAMPTZOID, -1, 0);
	tupstore = tuplestore_begin_heap(rsinfo->allowedModes & SFRM_Materialize_Random, false, work_mem);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = tupstore;
	rsinfo->setDesc = tupdesc;
	MemoryContextSwitchTo(oldcontext);

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		return (Datum) 0;
	max_count = PG_ARGISNULL(4) ? 1000 : PG_GETARG_INT32(4);
	if (max_count < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_count must not be negative: %lld", (long long) max_count)));
	if ((has_from && has_to && to < from) ||
		(has_from && TIMESTAMP_IS_NOEND(from)) ||
		(has_to && TIMESTAMP_IS_NOBEGIN(to)))
		return (Datum) 0;

	rec = rule_or_error(PG_GETARG_TEXT_PP(0));
	dtstart = PG_GETARG_TIMESTAMPTZ(1);
	start = to_local(dtstart, &fsec);
	if (max_count == 0)
		return (Datum) 0;

	PG_TRY();
	{
		int64		emitted = 0;
		struct icaltimetype skip_to = icaltime_null_time();
		TimestampTz ts;
		zone_cache	zc = {false};
		fsec_t		ignored;

		/* Occurrences before range_start need not be produced (COUNT still counts them). */
		if (has_from && from > dtstart)
			skip_to = to_local(from, &ignored);
		it = iter_or_error(&rec, start, skip_to);
		/* Wall times more than a day after range_end are past it in any zone. */
		if (has_to &&
			to > (TimestampTz) (date2j(2, 1, 1) - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY &&
			to < (TimestampTz) (date2j(9999, 1, 1) - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY)
			isms_rrule_iter_stop_after(it, to_local(to + USECS_PER_DAY, &ignored));
		while (next_instant(it, fsec, &zc, &ts))
		{
			Datum		value;
			bool		isnull = false;

			if (has_to && ts > to)
				break;
			if (has_from && ts < from)
				continue;
			value = TimestampTzGetDatum(ts);
			tuplestore_putvalues(tupstore, tupdesc, &value, &isnull);
			if (++emitted >= max_count)
				break;
		}
	}
	PG_FINALLY();
	{
		isms_rrule_iter_free(it);
	}
	PG_END_TRY();
	return (Datum) 0;
}

/*
 * isms.rrule_next(rrule, dtstart, after): the first occurrence strictly
 * after "after", or NULL when the rule has ended.
 */
PG_FUNCTION_INFO_V1(isms_rrule_next);
Datum
isms_rrule_next(PG_FUNCTION_ARGS)
{
	struct icalrecurrencetype rec = rule_or_error(PG_GETARG_TEXT_PP(0));
	TimestampTz dtstart = PG_GETARG_TIMESTAMPTZ(1);
	TimestampTz after = PG_GETARG_TIMESTAMPTZ(2);
	struct icaltimetype start;
	fsec_t		fsec;
	isms_rrule_iter *volatile it = NULL;
	volatile bool found = false;
	volatile TimestampTz result = 0;

	if (TIMESTAMP_IS_NOEND(after))
		PG_RETURN_NULL();
	start = to_local(dtstart, &fsec);

	PG_TRY();
	{
		struct icaltimetype skip_to = icaltime_null_time();
		TimestampTz ts;
		zone_cache	zc = {false};
		fsec_t		ignored;

		if (after > dtstart)
			skip_to = to_local(after, &ignored);
		it = iter_or_error(&rec, start, skip_to);
		while (next_instant(it, fsec, &zc, &ts))
		{
			if (ts > after)
			{
				found = true;
				result = ts;
				break;
			}
		}
	}
	PG_FINALLY();
	{
		isms_rrule_iter_free(it);
	}
	PG_END_TRY();
	if (!found)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(result);
}
