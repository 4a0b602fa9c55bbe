/*
 * ical.c: iCalendar export of isms.reminder (isms.ical_export) and reading
 * calendars (isms.ical_events, used by isms.ical_import).  libical work is
 * done by ical_core.c, which frees its objects before returning, so no
 * libical object is ever live while this file can raise an error.
 */
#include "pg_isms.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "ical_core.h"

static SPIPlanPtr export_plan = NULL;

static const char *export_sql =
"SELECT uid, kind, scope, owner, summary, description, due, last_day, starts_at, ends_at,"
"  rrule, alarms, sequence, status::text, created_at, updated_at"
" FROM isms.reminder"
" WHERE ($1::text IS NULL OR scope OPERATOR(pg_catalog.=) $1)"
"   AND ($2::text[] IS NULL OR kind OPERATOR(pg_catalog.=) ANY ($2))"
"   AND ($3::text IS NULL OR owner OPERATOR(pg_catalog.=) $3)"
"   AND ($4::timestamptz IS NULL OR updated_at OPERATOR(pg_catalog.>=) $4)"
" ORDER BY due, uid COLLATE \"C\"";

static isms_ical_date
to_ical_date(DateADT d)
{
	isms_ical_date r;

	j2date(d + POSTGRES_EPOCH_JDATE, &r.year, &r.month, &r.day);
	return r;
}

static char *
text_or_null(HeapTuple tup, TupleDesc desc, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

/* Audits and expiries are always events; every other kind is a review. */
static bool
kind_is_review(const char *kind)
{
	size_t		n = strlen(kind);

	if (n >= 6 && strcmp(kind + n - 6, "_audit") == 0)
		return false;
	if (n >= 7 && strcmp(kind + n - 7, "_expiry") == 0)
		return false;
	return true;
}

static void
fill_entry(isms_ical_entry *e, HeapTuple tup, TupleDesc desc, bool reviews_as_todo)
{
	bool		isnull;
	Datum		d;
	char	   *status;

	memset(e, 0, sizeof(*e));
	e->uid = text_or_null(tup, desc, 1);
	e->kind = text_or_null(tup, desc, 2);
	e->scope = text_or_null(tup, desc, 3);
	e->owner = text_or_null(tup, desc, 4);
	e->summary = text_or_null(tup, desc, 5);
	e->description = text_or_null(tup, desc, 6);
	e->due = to_ical_date(DatumGetDateADT(SPI_getbinval(tup, desc, 7, &isnull)));
	d = SPI_getbinval(tup, desc, 8, &isnull);
	if (!isnull)
	{
		e->has_last_day = true;
		e->last_day = to_ical_date(DatumGetDateADT(d));
	}
	d = SPI_getbinval(tup, desc, 9, &isnull);
	if (!isnull)
	{
		e->timed = true;
		e->starts_at = (long long) timestamptz_to_time_t(DatumGetTimestampTz(d));
	}
	d = SPI_getbinval(tup, desc, 10, &isnull);
	if (!isnull)
	{
		e->has_end = true;
		e->ends_at = (long long) timestamptz_to_time_t(DatumGetTimestampTz(d));
	}
	e->rrule = text_or_null(tup, desc, 11);
	d = SPI_getbinval(tup, desc, 12, &isnull);
	if (!isnull)
	{
		ArrayType  *arr = DatumGetArrayTypeP(d);
		Datum	   *elems;
		bool	   *nulls;
		int			n,
					i;

		deconstruct_array(arr, INTERVALOID, sizeof(Interval), false, TYPALIGN_DOUBLE,
						  &elems, &nulls, &n);
		for (i = 0; i < n && e->nalarms < ISMS_ICAL_MAX_ALARMS; i++)
		{
			Interval   *iv;

			if (nulls[i])
				continue;
			iv = DatumGetIntervalP(elems[i]);
			/* iCalendar durations have no months: a month counts 30 days. */
			e->alarm_seconds[e->nalarms++] =
				((long long) iv->month * DAYS_PER_MONTH + iv->day) * SECS_PER_DAY +
				iv->time / USECS_PER_SEC;
		}
	}
	e->sequence = DatumGetInt32(SPI_getbinval(tup, desc, 13, &isnull));
	status = text_or_null(tup, desc, 14);
	e->status = strcmp(status, "cancelled") == 0 ? ISMS_STATUS_CANCELLED
		: strcmp(status, "done") == 0 ? ISMS_STATUS_DONE : ISMS_STATUS_SCHEDULED;
	e->created = (long long) timestamptz_to_time_t(DatumGetTimestampTz(SPI_getbinval(tup, desc, 15, &isnull)));
	e->updated = (long long) timestamptz_to_time_t(DatumGetTimestampTz(SPI_getbinval(tup, desc, 16, &isnull)));
	e->as_todo = reviews_as_todo && kind_is_review(e->kind);
}

/* Append libical's malloc'd text to buf and free it (nothing can fail in between). */
static void
append_ical(StringInfo buf, char *text)
{
	appendStringInfoString(buf, text);
	icalmemory_free_buffer(text);
}

/*
 * isms.ical_export(scope, kinds, owner, since, review_component): the
 * reminders as one VCALENDAR.  Rows are read through a cursor in batches
 * and each one is built and serialised by libical on its own, so memory
 * stays flat however many reminders there are.
 */
PG_FUNCTION_INFO_V1(isms_ical_export);
Datum
isms_ical_export(PG_FUNCTION_ARGS)
{
	Datum		values[4];
	char		nulls[4];
	Oid			types[4] = {TEXTOID, TEXTARRAYOID, TEXTOID, TIMESTAMPTZOID};
	bool		as_todo = isms_review_component == ISMS_REVIEW_VTODO;
	StringInfoData buf;
	char		prodid[64];
	char	   *head;
	Portal		portal;
	MemoryContext rowcxt;
	int			i;

	if (!PG_ARGISNULL(4))
	{
		char	   *rc = text_to_cstring(PG_GETARG_TEXT_PP(4));

		if (pg_strcasecmp(rc, "vtodo") == 0)
			as_todo = true;
		else if (pg_strcasecmp(rc, "vevent") == 0)
			as_todo = false;
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("review_component must be \"vevent\" or \"vtodo\", not \"%s\"", rc)));
	}
	for (i = 0; i < 4; i++)
	{
		nulls[i] = PG_ARGISNULL(i) ? 'n' : ' ';
		values[i] = PG_ARGISNULL(i) ? (Datum) 0 : PG_GETARG_DATUM(i);
	}

	/* The result lives in the caller's context, outside SPI's. */
	initStringInfo(&buf);
	snprintf(prodid, sizeof(prodid), "-//pg_isms//pg_isms %s//EN", PG_ISMS_VERSION);
	head = isms_ical_calendar_head(isms_calendar_name, prodid);
	if (head == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("libical could not build the calendar header")));
	append_ical(&buf, head);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "pg_isms: SPI_connect failed");
	if (export_plan == NULL)
	{
		SPIPlanPtr	p = SPI_prepare(export_sql, 4, types);

		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "pg_isms: could not prepare the export query");
		export_plan = p;
	}
	portal = SPI_cursor_open(NULL, export_plan, values, nulls, true);
	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "isms_ical_export rows",
								   ALLOCSET_DEFAULT_SIZES);
	for (;;)
	{
		uint64		r;

		SPI_cursor_fetch(portal, true, 1000);
		if (SPI_processed == 0)
			break;
		for (r = 0; r < SPI_processed; r++)
		{
			isms_ical_entry e;
			char		reason[ISMS_ICAL_REASON_LEN];
			char	   *text;
			MemoryContext old;

			CHECK_FOR_INTERRUPTS();
			old = MemoryContextSwitchTo(rowcxt);
			fill_entry(&e, SPI_tuptable->vals[r], SPI_tuptable->tupdesc, as_todo);
			text = isms_ical_entry_text(&e, reason, sizeof(reason));
			MemoryContextSwitchTo(old);
			if (text == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_DATA_EXCEPTION),
						 errmsg("could not export reminder \"%s\"", e.uid),
						 errdetail("%s.", reason)));
			append_ical(&buf, text);
			MemoryContextReset(rowcxt);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
	SPI_finish();
	appendStringInfoString(&buf, isms_ical_calendar_tail());
	PG_RETURN_TEXT_P(cstring_to_text_with_len(buf.data, buf.len));
}

/* A local date in the session zone from Unix seconds. */
static DateADT
local_date(long long secs)
{
	TimestampTz ts = time_t_to_timestamptz((pg_time_t) secs);

	return DatumGetDateADT(DirectFunctionCall1(timestamptz_date, TimestampTzGetDatum(ts)));
}

static TimestampTz
when_timestamptz(const isms_ical_when *w, bool *ok)
{
	struct pg_tm tm;
	int			tz;
	TimestampTz ts = 0;

	*ok = true;
	if (w->absolute)
		return time_t_to_timestamptz((pg_time_t) w->utc);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = w->year;
	tm.tm_mon = w->month;
	tm.tm_mday = w->day;
	tm.tm_hour = w->is_date ? 0 : w->hour;
	tm.tm_min = w->is_date ? 0 : w->minute;
	tm.tm_sec = w->is_date ? 0 : w->second;
	tz = DetermineTimeZoneOffset(&tm, session_timezone);
	if (tm2timestamp(&tm, 0, &tz, &ts) != 0)
		*ok = false;
	return ts;
}

static DateADT
when_date(const isms_ical_when *w)
{
	if (w->absolute)
		return local_date(w->utc);
	return date2j(w->year, w->month, w->day) - POSTGRES_EPOCH_JDATE;
}

/*
 * The stop check of the calendar parse (src/ical_core.h): a cancel,
 * statement timeout or termination is pending and may be processed now.
 * Only looks: the core frees libical's objects first, then
 * CHECK_FOR_INTERRUPTS() raises it.
 */
static bool
ical_interrupt_pending(void)
{
	return (QueryCancelPending || ProcDiePending) && INTERRUPTS_CAN_BE_PROCESSED();
}

/*
 * isms.ical_events(ics): every VEVENT of a calendar as a row, dates in the
 * session time zone.  Malformed input is 22P02 with libical's reason.
 * statement_timeout and cancel are honoured during libical's parse too: it
 * is fed line by line and stops within ISMS_ICAL_STOP_EVERY lines.
 */
PG_FUNCTION_INFO_V1(isms_ical_events_srf);
Datum
isms_ical_events_srf(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *ics = text_to_cstring(PG_GETARG_TEXT_PP(0));
	isms_ical_event *volatile events = NULL;
	volatile int n = 0;
	char		reason[ISMS_ICAL_REASON_LEN];
	TupleDesc	tupdesc;
	Tuplestorestate *tupstore;
	MemoryContext oldcontext;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("isms.ical_events must be called in a context that accepts a set")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "isms.ical_events: return type must be a row type");

	{
		isms_ical_event *ev;
		int			got;

		for (;;)
		{
			isms_ical_set_stop_check(ical_interrupt_pending);
			got = isms_ical_events(ics, &ev, reason, sizeof(reason));
			isms_ical_set_stop_check(NULL);
			if (got != ISMS_ICAL_STOPPED)
				break;
			/* Nothing of libical is left: raise the pending interrupt. */
			CHECK_FOR_INTERRUPTS();
			/* It was not an error after all (now handled): parse again. */
		}
		if (got < 0)
		{
			char		shown[64];
			int			line = (int) strcspn(ics, "\r\n");
			int			len = pg_mbcliplen(ics, line, 40);

			/* The first line (at most 40 bytes) names the text in the message. */
			snprintf(shown, sizeof(shown), "%.*s%s", len, ics, ics[len] ? "..." : "");
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"", "icalendar", shown),
					 errdetail("%s.", reason),
					 errhint("Give one RFC 5545 VCALENDAR (BEGIN:VCALENDAR ... END:VCALENDAR) whose events have UID and DTSTART.")));
		}
		events = ev;
		n = got;
	}

	/* From here the malloc'd array must be freed on every path. */
	PG_TRY();
	{
		int			i;

		oldcontext = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
		tupdesc = CreateTupleDescCopy(tupdesc);
		tupstore = tuplestore_begin_heap(rsinfo->allowedModes & SFRM_Materialize_Random, false, work_mem);
		rsinfo->returnMode = SFRM_Materialize;
		rsinfo->setResult = tupstore;
		rsinfo->setDesc = tupdesc;
		MemoryContextSwitchTo(oldcontext);

		for (i = 0; i < n; i++)
		{
			isms_ical_event *e = &events[i];
			Datum		v[10];
			bool		nl[10];
			bool		ok;
			TimestampTz st;
			DateADT		sd;
			DateADT		ed;

			CHECK_FOR_INTERRUPTS();
			memset(nl, 0, sizeof(nl));
			v[0] = CStringGetTextDatum(e->uid);
			nl[1] = e->summary == NULL;
			v[1] = e->summary ? CStringGetTextDatum(e->summary) : (Datum) 0;
			nl[2] = e->kind == NULL;
			v[2] = e->kind ? CStringGetTextDatum(e->kind) : (Datum) 0;
			nl[3] = e->organizer == NULL;
			v[3] = e->organizer ? CStringGetTextDatum(e->organizer) : (Datum) 0;
			v[4] = BoolGetDatum(e->cancelled);
			v[5] = Int32GetDatum(e->sequence);
			sd = when_date(&e->start);
			v[6] = DateADTGetDatum(sd);
			/* DTEND is exclusive: the last day is the one before it (a date) or of its last instant. */
			if (!e->end.present)
				ed = sd;
			else if (e->end.is_date)
				ed = when_date(&e->end) - 1;
			else
			{
				TimestampTz et = when_timestamptz(&e->end, &ok);

				ed = ok ? DatumGetDateADT(DirectFunctionCall1(timestamptz_date,
															  TimestampTzGetDatum(et - 1))) : sd;
			}
			if (ed < sd)
				ed = sd;
			v[7] = DateADTGetDatum(ed);
			if (e->start.is_date)
			{
				nl[8] = nl[9] = true;
				v[8] = v[9] = (Datum) 0;
			}
			else
			{
				st = when_timestamptz(&e->start, &ok);
				nl[8] = !ok;
				v[8] = TimestampTzGetDatum(st);
				if (e->end.present && !e->end.is_date)
				{
					TimestampTz et = when_timestamptz(&e->end, &ok);

					nl[9] = !ok;
					v[9] = TimestampTzGetDatum(et);
				}
				else
				{
					nl[9] = true;
					v[9] = (Datum) 0;
				}
			}
			tuplestore_putvalues(tupstore, tupdesc, v, nl);
		}
	}
	PG_FINALLY();
	{
		isms_ical_events_free(events, n);
	}
	PG_END_TRY();
	return (Datum) 0;
}
