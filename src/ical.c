/*
 * ical.c: iCalendar export of isms.reminder (isms.ical_export) and reading
 * calendars (isms.ical_events, used by isms.ical_import).  libical work is
 * done by ical_core.c; what stays live here across calls that can raise an
 * error (the export writer, libical's text) is freed in PG_CATCH.
 */
#include "pg_isms.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "catalog/namespace.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
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

/* The export query's columns, in order. */
enum
{
	COL_UID, COL_KIND, COL_SCOPE, COL_OWNER, COL_SUMMARY, COL_DESCRIPTION, COL_DUE,
	COL_LAST_DAY, COL_STARTS_AT, COL_ENDS_AT, COL_RRULE, COL_ALARMS, COL_SEQUENCE,
	COL_STATUS, COL_CREATED, COL_UPDATED, EXPORT_NCOLS
};

static char *
text_or_null(Datum *values, bool *nulls, int col)
{
	return nulls[col] ? NULL : TextDatumGetCString(values[col]);
}

/*
 * The kinds the catalogue (isms.reminder_kind) makes tasks: written as
 * VTODO when the export asks for tasks, else as VEVENT like every other
 * kind.  A dozen names, compared in turn, cost less per row than a join.
 */
typedef struct task_kinds
{
	char	  **names;
	int			n;
} task_kinds;

static const char *task_kinds_sql =
"SELECT k.kind FROM isms.reminder_kind k WHERE k.component OPERATOR(pg_catalog.=) 'VTODO'";

/* Read them in the current SPI connection, into the current context. */
static void
load_task_kinds(task_kinds *tk)
{
	Oid			nsp = get_namespace_oid("isms", true);
	uint64		i;

	tk->n = 0;
	tk->names = NULL;
	/* An extension still at 0.1.0 (before its update) has no catalogue. */
	if (!OidIsValid(nsp) || !OidIsValid(get_relname_relid("reminder_kind", nsp)))
		return;
	if (SPI_execute(task_kinds_sql, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "pg_isms: could not read isms.reminder_kind");
	tk->names = palloc(sizeof(char *) * (SPI_processed + 1));
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull)
			tk->names[tk->n++] = TextDatumGetCString(d);
	}
}

static bool
kind_is_task(const task_kinds *tk, const char *kind)
{
	int			i;

	for (i = 0; i < tk->n; i++)
		if (strcmp(tk->names[i], kind) == 0)
			return true;
	return false;
}

/* One row of the export query (its columns deformed once) as an entry. */
static void
fill_entry(isms_ical_entry *e, Datum *values, bool *nulls, const task_kinds *tasks)
{
	char	   *status;

	memset(e, 0, sizeof(*e));
	e->uid = text_or_null(values, nulls, COL_UID);
	e->kind = text_or_null(values, nulls, COL_KIND);
	e->scope = text_or_null(values, nulls, COL_SCOPE);
	e->owner = text_or_null(values, nulls, COL_OWNER);
	e->summary = text_or_null(values, nulls, COL_SUMMARY);
	e->description = text_or_null(values, nulls, COL_DESCRIPTION);
	e->due = to_ical_date(DatumGetDateADT(values[COL_DUE]));
	if (!nulls[COL_LAST_DAY])
	{
		e->has_last_day = true;
		e->last_day = to_ical_date(DatumGetDateADT(values[COL_LAST_DAY]));
	}
	if (!nulls[COL_STARTS_AT])
	{
		e->timed = true;
		e->starts_at = (long long) timestamptz_to_time_t(DatumGetTimestampTz(values[COL_STARTS_AT]));
	}
	if (!nulls[COL_ENDS_AT])
	{
		e->has_end = true;
		e->ends_at = (long long) timestamptz_to_time_t(DatumGetTimestampTz(values[COL_ENDS_AT]));
	}
	e->rrule = text_or_null(values, nulls, COL_RRULE);
	if (!nulls[COL_ALARMS])
	{
		ArrayType  *arr = DatumGetArrayTypeP(values[COL_ALARMS]);
		Datum	   *elems;
		bool	   *enulls;
		int			n,
					i;

		deconstruct_array(arr, INTERVALOID, sizeof(Interval), false, TYPALIGN_DOUBLE,
						  &elems, &enulls, &n);
		for (i = 0; i < n && e->nalarms < ISMS_ICAL_MAX_ALARMS; i++)
		{
			Interval   *iv;

			if (enulls[i])
				continue;
			iv = DatumGetIntervalP(elems[i]);
			/* iCalendar durations have no months: a month counts 30 days. */
			e->alarm_seconds[e->nalarms++] =
				((long long) iv->month * DAYS_PER_MONTH + iv->day) * SECS_PER_DAY +
				iv->time / USECS_PER_SEC;
		}
	}
	e->sequence = DatumGetInt32(values[COL_SEQUENCE]);
	status = text_or_null(values, nulls, COL_STATUS);
	e->status = strcmp(status, "cancelled") == 0 ? ISMS_STATUS_CANCELLED
		: strcmp(status, "done") == 0 ? ISMS_STATUS_DONE : ISMS_STATUS_SCHEDULED;
	e->created = (long long) timestamptz_to_time_t(DatumGetTimestampTz(values[COL_CREATED]));
	e->updated = (long long) timestamptz_to_time_t(DatumGetTimestampTz(values[COL_UPDATED]));
	e->as_todo = tasks != NULL && kind_is_task(tasks, e->kind);
}

/* Append libical's malloc'd text to buf and free it, also if appending fails. */
static pg_noinline void
append_ical(StringInfo buf, char *text)
{
	/* PG_CATCH rather than PG_FINALLY: gcc's -Wclobbered misreads the latter here. */
	PG_TRY();
	{
		appendStringInfoString(buf, text);
	}
	PG_CATCH();
	{
		icalmemory_free_buffer(text);
		PG_RE_THROW();
	}
	PG_END_TRY();
	icalmemory_free_buffer(text);
}

/*
 * The zone timed recurring reminders are exported in: the session
 * TimeZone, when it ever changes its offset (a zone with one fixed offset,
 * such as UTC, needs none: UTC times repeat at the same wall time) and
 * libical knows it by name.  NULL otherwise; *unknown tells the caller to
 * warn that UTC is used instead.
 */
static icaltimezone *
export_zone(const char **name, bool *unknown)
{
	long int	gmtoff;
	icaltimezone *zone;

	*unknown = false;
	*name = pg_get_timezone_name(session_timezone);
	if (*name == NULL || pg_get_timezone_offset(session_timezone, &gmtoff))
		return NULL;
	zone = icaltimezone_get_builtin_timezone(*name);
	if (zone == NULL || zone == icaltimezone_get_utc_timezone())
	{
		*unknown = zone == NULL;
		return NULL;
	}
	return zone;
}

/*
 * Insert the zone's VTIMEZONE into buf at offset at (after the calendar's
 * own properties, before the first component, where clients look for it).
 */
static pg_noinline void
insert_vtimezone(StringInfo buf, int at, icaltimezone *zone, const char *zone_name)
{
	char		reason[ISMS_ICAL_REASON_LEN];
	char	   *vtz = isms_ical_vtimezone_text(zone, zone_name, reason, sizeof(reason));
	char	   *volatile copy = NULL;
	int			n;

	if (vtz == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("could not export the time zone \"%s\"", zone_name),
				 errdetail("%s.", reason)));
	PG_TRY();
	{
		copy = pstrdup(vtz);
	}
	PG_CATCH();
	{
		icalmemory_free_buffer(vtz);
		PG_RE_THROW();
	}
	PG_END_TRY();
	icalmemory_free_buffer(vtz);
	n = (int) strlen(copy);
	enlargeStringInfo(buf, n);
	memmove(buf->data + at + n, buf->data + at, buf->len - at);
	memcpy(buf->data + at, copy, n);
	buf->len += n;
	buf->data[buf->len] = '\0';
	pfree(copy);
}

/*
 * The state of one export.  It is also the DestReceiver the query's rows
 * stream into (PostgreSQL 14 and later), so no row is copied or kept.
 */
typedef struct export_state
{
	DestReceiver pub;			/* first: the executor sees a DestReceiver */
	StringInfo	buf;
	isms_ical_writer *writer;
	bool		as_todo;
	task_kinds	tasks;
	icaltimezone *zone;
	const char *zone_name;
	bool		zone_unknown;
	bool		warned;
	bool		any_zoned;
	MemoryContext rowcxt;
} export_state;

/* Append one row's component to the calendar. */
static void
export_one(export_state *st, Datum *values, bool *nulls)
{
	isms_ical_entry e;
	char		reason[ISMS_ICAL_REASON_LEN];
	const char *text;
	size_t		len;
	MemoryContext old;

	CHECK_FOR_INTERRUPTS();
	old = MemoryContextSwitchTo(st->rowcxt);
	fill_entry(&e, values, nulls, st->as_todo ? &st->tasks : NULL);
	e.zone = st->zone;
	e.tzid = st->zone_name;
	if (ISMS_ICAL_ENTRY_ZONED(&e))
		st->any_zoned = true;
	else if (st->zone_unknown && e.timed && e.rrule && !st->warned)
	{
		ereport(WARNING,
				(errmsg("timed recurring reminders are exported in UTC: libical does not know the time zone \"%s\"",
						st->zone_name),
				 errdetail("In UTC, a reminder that repeats at a fixed local time moves by an hour in calendars across daylight-saving changes."),
				 errhint("Set TimeZone to an IANA zone name such as Europe/Berlin before calling isms.ical_export.")));
		st->warned = true;
	}
	text = isms_ical_writer_entry(st->writer, &e, &len, reason, sizeof(reason));
	MemoryContextSwitchTo(old);
	if (text == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("could not export reminder \"%s\"", e.uid),
				 errdetail("%s.", reason)));
	appendBinaryStringInfo(st->buf, text, (int) len);
	MemoryContextReset(st->rowcxt);
}

#if PG_VERSION_NUM >= 140000
static bool
export_receive(TupleTableSlot *slot, DestReceiver *self)
{
	export_state *st = (export_state *) self;

	Assert(slot->tts_tupleDescriptor->natts == EXPORT_NCOLS);
	slot_getallattrs(slot);
	export_one(st, slot->tts_values, slot->tts_isnull);
	return true;
}

static void
export_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
	if (typeinfo->natts != EXPORT_NCOLS)
		elog(ERROR, "pg_isms: the export query returns %d columns, not %d", typeinfo->natts, EXPORT_NCOLS);
}

static void
export_noop(DestReceiver *self)
{
}
#endif

/*
 * Append every reminder the filters select to buf, each written by the
 * writer.  Returns whether any was written in the zone (then the calendar
 * needs its VTIMEZONE).
 */
static pg_noinline bool
export_rows(StringInfo buf, isms_ical_writer *writer, Datum *values, char *nulls,
			bool as_todo, icaltimezone *zone, const char *zone_name, bool zone_unknown)
{
	Oid			types[4] = {TEXTOID, TEXTARRAYOID, TEXTOID, TIMESTAMPTZOID};
	export_state st;

	memset(&st, 0, sizeof(st));
	st.buf = buf;
	st.writer = writer;
	st.as_todo = as_todo;
	st.zone = zone;
	st.zone_name = zone_name;
	st.zone_unknown = zone_unknown;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "pg_isms: SPI_connect failed");
	if (export_plan == NULL)
	{
		SPIPlanPtr	p = SPI_prepare(export_sql, 4, types);

		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "pg_isms: could not prepare the export query");
		export_plan = p;
	}
	if (as_todo)
		load_task_kinds(&st.tasks);
	st.rowcxt = AllocSetContextCreate(CurrentMemoryContext, "isms_ical_export rows",
									  ALLOCSET_DEFAULT_SIZES);
#if PG_VERSION_NUM >= 140000
	{
		/* Rows stream from the executor into export_receive, one at a time. */
		SPIExecuteOptions options;
		ParamListInfo params = makeParamList(4);
		int			i;
		int			rc;

		for (i = 0; i < 4; i++)
		{
			params->params[i].value = values[i];
			params->params[i].isnull = nulls[i] == 'n';
			params->params[i].pflags = PARAM_FLAG_CONST;
			params->params[i].ptype = types[i];
		}
		st.pub.receiveSlot = export_receive;
		st.pub.rStartup = export_startup;
		st.pub.rShutdown = export_noop;
		st.pub.rDestroy = export_noop;
		st.pub.mydest = DestNone;
		memset(&options, 0, sizeof(options));
		options.params = params;
		options.read_only = true;
		options.dest = &st.pub;
		rc = SPI_execute_plan_extended(export_plan, &options);
		/* SPI calls a SELECT whose rows go to a DestNone receiver "utility". */
		if (rc != SPI_OK_SELECT && rc != SPI_OK_UTILITY)
			elog(ERROR, "pg_isms: the export query failed: %s", SPI_result_code_string(rc));
	}
#else
	{
		/* PostgreSQL 13: a cursor, 1000 rows at a time. */
		Portal		portal = SPI_cursor_open(NULL, export_plan, values, nulls, true);
		Datum		row[EXPORT_NCOLS];
		bool		rownulls[EXPORT_NCOLS];

		for (;;)
		{
			uint64		r;

			SPI_cursor_fetch(portal, true, 1000);
			if (SPI_processed == 0)
				break;
			if (SPI_tuptable->tupdesc->natts != EXPORT_NCOLS)
				elog(ERROR, "pg_isms: the export query returns %d columns, not %d",
					 SPI_tuptable->tupdesc->natts, EXPORT_NCOLS);
			for (r = 0; r < SPI_processed; r++)
			{
				heap_deform_tuple(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, row, rownulls);
				export_one(&st, row, rownulls);
			}
			SPI_freetuptable(SPI_tuptable);
		}
		SPI_cursor_close(portal);
	}
#endif
	SPI_finish();
	return st.any_zoned;
}

/* The rows, then the VTIMEZONE if one is needed; the writer is freed on every path. */
static pg_noinline void
export_all(StringInfo buf, int head_end, isms_ical_writer *writer, Datum *values, char *nulls,
		   bool as_todo, icaltimezone *zone, const char *zone_name, bool zone_unknown)
{
	PG_TRY();
	{
		if (export_rows(buf, writer, values, nulls, as_todo, zone, zone_name, zone_unknown))
			insert_vtimezone(buf, head_end, zone, zone_name);
	}
	PG_CATCH();
	{
		isms_ical_writer_free(writer);
		PG_RE_THROW();
	}
	PG_END_TRY();
	isms_ical_writer_free(writer);
}

/*
 * isms.ical_export(scope, kinds, owner, since, review_component): the
 * reminders as one VCALENDAR.  Rows are read through a cursor in batches;
 * a writer (ical_core.c) turns each into libical's text, serialising each
 * distinct property value once.  The writer is freed on every path.  Timed
 * recurring reminders are written in the session TimeZone with TZID, and
 * the calendar then carries that zone's VTIMEZONE.
 */
PG_FUNCTION_INFO_V1(isms_ical_export);
Datum
isms_ical_export(PG_FUNCTION_ARGS)
{
	Datum		values[4];
	char		nulls[4];
	bool		as_todo = isms_review_component == ISMS_REVIEW_VTODO;
	StringInfoData buf;
	char		prodid[64];
	char	   *head;
	int			head_end;
	const char *zone_name;
	bool		zone_unknown;
	icaltimezone *zone;
	isms_ical_writer *writer;
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
	zone = export_zone(&zone_name, &zone_unknown);

	/* The result lives in the caller's context, outside SPI's; the text header comes first. */
	initStringInfo(&buf);
	appendStringInfoSpaces(&buf, VARHDRSZ);
	snprintf(prodid, sizeof(prodid), "-//pg_isms//pg_isms %s//EN", PG_ISMS_VERSION);
	head = isms_ical_calendar_head(isms_calendar_name, prodid);
	if (head == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("libical could not build the calendar header")));
	append_ical(&buf, head);
	head_end = buf.len;

	writer = isms_ical_writer_new();
	if (writer == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("libical could not start the calendar")));
	export_all(&buf, head_end, writer, values, nulls, as_todo, zone, zone_name, zone_unknown);
	appendStringInfoString(&buf, isms_ical_calendar_tail());
	SET_VARSIZE(buf.data, buf.len);
	PG_RETURN_TEXT_P((text *) buf.data);
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
