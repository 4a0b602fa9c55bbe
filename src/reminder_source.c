/*
 * reminder_source.c: declared reminder sources.  isms.attach_reminders puts
 * one generic statement trigger, isms.reminder_trigger(source), on a subject
 * table; the source (a view) says which reminders each subject row has.  The
 * trigger reads the source for the rows of the statement and hands the
 * result to the one writer of isms.reminder (reminder.c, the SEQUENCE rule).
 *
 * The source's columns: the subject table's primary-key columns (by name),
 * kind, scope, summary, due, and optionally owner, description, rrule,
 * alarms, starts_at, ends_at, last_day and status (scheduled, done,
 * cancelled; default scheduled).  The rule: a row with a due date and
 * status scheduled is upserted (alarms NULL: the kind's default alarms);
 * one with a due date and status done gives its reminder the row's last
 * data and status done (SEQUENCE + 1 once); every other reminder of a
 * subject row of the statement (no due date, cancelled, not yielded at
 * all, or the row deleted) is cancelled.  The subject key is the primary
 * key as text, columns joined by "|".
 */
#include "pg_isms.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/syscache.h"

#include "reminder.h"

/* One attached trigger's statement (and, for an INSERT, its fallback). */
typedef struct SourceEntry
{
	Oid			tgoid;			/* hash key */
	Oid			source;
	SPIPlanPtr	plan;
	SPIPlanPtr	fallback;
} SourceEntry;

static HTAB *source_cache = NULL;

/* The primary-key column names of a table, in key order. */
static List *
primary_key_columns(Relation rel)
{
	Oid			index = isms_primary_key_index(rel);
	HeapTuple	tup;
	Form_pg_index idx;
	List	   *cols = NIL;
	int			i;

	if (!OidIsValid(index))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TABLE_DEFINITION),
				 errmsg("table %s has no primary key", RelationGetRelationName(rel)),
				 errdetail("A reminder's subject key is the primary key of its row."),
				 errhint("Add a PRIMARY KEY to the table.")));
	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "pg_isms: cache lookup failed for index %u", index);
	idx = (Form_pg_index) GETSTRUCT(tup);
	for (i = 0; i < idx->indnkeyatts; i++)
		cols = lappend(cols, get_attname(RelationGetRelid(rel), idx->indkey.values[i], false));
	ReleaseSysCache(tup);
	return cols;
}

/* The subject key of alias's row: the key columns as text, joined by "|". */
static void
append_key(StringInfo buf, List *cols, const char *alias)
{
	ListCell   *lc;

	foreach(lc, cols)
	{
		if (lc != list_head(cols))
			appendStringInfoString(buf, " OPERATOR(pg_catalog.||) '|' OPERATOR(pg_catalog.||) ");
		appendStringInfo(buf, "%s.%s::pg_catalog.text", alias, quote_identifier((char *) lfirst(lc)));
	}
}

/*
 * a.k1 = b.k1 AND ...: a join on the key, not "IN (SELECT ...)", so the
 * planner sees how many rows the transition table holds (a semi-join's
 * distinct keys are guessed at 200) and hash-joins a bulk load instead of
 * probing the subject's key index once per row.  The keys of a transition
 * table or of the subject table are unique, so the join yields each
 * source row once.
 */
static void
append_key_match(StringInfo buf, List *cols, const char *a, const char *b)
{
	ListCell   *lc;

	foreach(lc, cols)
	{
		const char *col = quote_identifier((char *) lfirst(lc));

		appendStringInfo(buf, "%s%s.%s = %s.%s", lc == list_head(cols) ? "" : " AND ",
						 a, col, b, col);
	}
}

/* v.col cast to type when the source has the column, else NULL of type. */
static void
append_optional(StringInfo buf, Oid source, const char *col, const char *type)
{
	if (get_attnum(source, col) != InvalidAttrNumber)
		appendStringInfo(buf, "v.%s::%s", quote_identifier(col), type);
	else
		appendStringInfo(buf, "NULL::%s", type);
}

static void
require_column(Oid source, const char *col)
{
	if (get_attnum(source, col) == InvalidAttrNumber)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("reminder source %s has no column \"%s\"", get_rel_name(source), col),
				 errhint("A reminder source yields the subject's primary-key columns, kind, scope, summary and due (docs/reference/reminder.md).")));
}

static char *
qualified_name(Oid rel)
{
	char	   *nsp = get_namespace_name(get_rel_namespace(rel));

	if (nsp == NULL)
		elog(ERROR, "pg_isms: cache lookup failed for relation %u", rel);
	return quote_qualified_identifier(nsp, get_rel_name(rel));
}

/*
 * d: the source's rows for the subject rows in "rows" (a transition table,
 * or the subject table itself), each with st: 's' scheduled, 'd' done, 'c'
 * cancelled, NULL for a status the rule does not know; and unknown: the
 * kind is not declared for the subject.  $1 is the subject table.
 */
static void
append_source_rows(StringInfo b, Oid source, List *keycols, const char *rows)
{
	const char *status = get_attnum(source, "status") != InvalidAttrNumber
		? "COALESCE(v.status::pg_catalog.text, 'scheduled')" : "'scheduled'::pg_catalog.text";
	ListCell   *lc;

	foreach(lc, keycols)
		require_column(source, (char *) lfirst(lc));
	require_column(source, "kind");
	require_column(source, "scope");
	require_column(source, "summary");
	require_column(source, "due");

	appendStringInfoString(b, "SELECT v.kind::pg_catalog.text AS kind, ");
	append_key(b, keycols, "v");
	appendStringInfoString(b, " AS key, v.scope::pg_catalog.text AS scope, ");
	append_optional(b, source, "owner", "pg_catalog.text");
	appendStringInfoString(b, " AS owner, v.summary::pg_catalog.text AS summary, ");
	append_optional(b, source, "description", "pg_catalog.text");
	appendStringInfoString(b, " AS description, v.due::pg_catalog.date AS due, ");
	append_optional(b, source, "rrule", "pg_catalog.text");
	appendStringInfoString(b, " AS rrule, COALESCE(");
	append_optional(b, source, "alarms", "pg_catalog.interval[]");
	appendStringInfoString(b, ", k.alarms) AS alarms, ");
	append_optional(b, source, "starts_at", "pg_catalog.timestamptz");
	appendStringInfoString(b, " AS starts_at, ");
	append_optional(b, source, "ends_at", "pg_catalog.timestamptz");
	appendStringInfoString(b, " AS ends_at, ");
	append_optional(b, source, "last_day", "pg_catalog.date");
	appendStringInfo(b, " AS last_day, %s AS status,"
					 " CASE WHEN %s NOT IN ('scheduled', 'done', 'cancelled') THEN NULL"
					 " WHEN v.due IS NULL THEN 'c' WHEN %s = 'scheduled' THEN 's'"
					 " WHEN %s = 'done' THEN 'd' ELSE 'c' END AS st,"
					 " k.kind IS NULL AS unknown"
					 " FROM %s n JOIN %s v ON ",
					 status, status, status, status, rows, qualified_name(source));
	append_key_match(b, keycols, "n", "v");
	appendStringInfoString(b, " LEFT JOIN isms.reminder_kind k"
						   " ON k.kind OPERATOR(pg_catalog.=) v.kind::pg_catalog.text"
						   " AND k.subject::pg_catalog.oid OPERATOR(pg_catalog.=) $1::pg_catalog.oid");
}

/* The subject keys of the rows in old and/or new (names; NULL: none). */
static void
append_keys(StringInfo b, List *keycols, const char *old_rows, const char *new_rows)
{
	if (old_rows)
	{
		appendStringInfoString(b, "SELECT ");
		append_key(b, keycols, "o");
		appendStringInfo(b, " AS key FROM %s o", old_rows);
	}
	if (old_rows && new_rows)
		appendStringInfoString(b, " UNION ");
	if (new_rows)
	{
		appendStringInfoString(b, "SELECT ");
		append_key(b, keycols, "n");
		appendStringInfo(b, " AS key FROM %s n", new_rows);
	}
}

/*
 * The cancellation of every reminder of the statement's rows (keys from
 * old/new) that d does not keep (scheduled or done; with_d false: none):
 * only kinds declared for the subject are looked at, so the probes use the
 * key index of isms.reminder, whose first column is the kind.
 */
static void
append_cancel(StringInfo b, List *keycols, const char *old_rows, const char *new_rows, bool with_d)
{
	appendStringInfoString(b, ISMS_REMINDER_STATUS_MOVE("'cancelled'")
						   " FROM isms.reminder_kind k, (");
	append_keys(b, keycols, old_rows, new_rows);
	appendStringInfoString(b, ") s"
						   " WHERE k.subject::pg_catalog.oid OPERATOR(pg_catalog.=) $1::pg_catalog.oid"
						   " AND r.kind OPERATOR(pg_catalog.=) k.kind AND r.subject OPERATOR(pg_catalog.=) $1::pg_catalog.oid"
						   " AND r.subject_key OPERATOR(pg_catalog.=) s.key"
						   " AND r.status::pg_catalog.text OPERATOR(pg_catalog.<>) 'cancelled'");
	if (with_d)
		appendStringInfoString(b, " AND NOT EXISTS (SELECT 1 FROM d WHERE d.kind OPERATOR(pg_catalog.=) r.kind"
							   " AND d.key OPERATOR(pg_catalog.=) r.subject_key AND d.st IN ('s', 'd'))");
	appendStringInfoString(b, " RETURNING 1");
}

/*
 * The one statement a firing runs; its result is the number of reminders
 * written or cancelled.  isms.reminder_row_wanted raises for a row the
 * rule cannot take (an undeclared kind, an unknown status), which undoes
 * the statement.
 *   new_rows: rows to read the source for (NULL: a DELETE);
 *   old_rows: rows whose other reminders are cancelled (NULL: an INSERT,
 *             whose rows had none; for the initial sync the table itself);
 *   upsert:   ON CONFLICT (false: the plain INSERT of a bulk load).
 * Scheduled and done rows go in by one INSERT, the fields a calendar shows
 * and the status together, SEQUENCE + 1 once where anything differs.
 */
static char *
statement_sql(Oid source, List *keycols, const char *new_rows, const char *old_rows,
			  bool also_new_keys, bool upsert)
{
	StringInfoData b;

	initStringInfo(&b);
	if (new_rows == NULL)
	{
		appendStringInfoString(&b, "WITH c AS (");
		append_cancel(&b, keycols, old_rows, NULL, false);
		appendStringInfoString(&b, ") SELECT (SELECT pg_catalog.count(*) FROM c)");
		return b.data;
	}
	/*
	 * d is read once by the INSERT (a bulk load streams through it, never
	 * stored), and again by the cancelling UPDATE of an update.
	 */
	appendStringInfoString(&b, "WITH d AS (");
	append_source_rows(&b, source, keycols, new_rows);
	/*
	 * Without cancels (an INSERT) the INSERT is the statement itself and
	 * SPI counts its rows: no RETURNING row per reminder to store and count.
	 */
	appendStringInfoString(&b, old_rows ? "), w AS (" : ") ");
	appendStringInfo(&b, "INSERT INTO isms.reminder AS r (" REMINDER_COLUMNS ", status)"
					 " SELECT d.kind, $1, d.key, d.scope, d.owner, d.summary, d.description, d.due, d.rrule,"
					 " d.alarms, d.starts_at, d.ends_at, d.last_day,"
					 " (CASE d.st WHEN 'd' THEN 'done' ELSE 'scheduled' END)::isms.reminder_status"
					 " FROM d WHERE isms.reminder_row_wanted($1, %u::pg_catalog.oid, d.st, d.unknown, d.kind, d.status)"
					 " ORDER BY 1, 3", source);
	if (upsert)
		appendStringInfoString(&b, " ON CONFLICT (kind, subject, subject_key) DO UPDATE SET"
							   REMINDER_SET_FIELDS("EXCLUDED") ", status = EXCLUDED.status"
							   " WHERE" REMINDER_CHANGED("EXCLUDED", "EXCLUDED.status::pg_catalog.text"));
	if (old_rows == NULL)
		return b.data;
	appendStringInfoString(&b, " RETURNING 1), c AS (");
	append_cancel(&b, keycols, old_rows, also_new_keys ? new_rows : NULL, true);
	appendStringInfoString(&b, ") SELECT (SELECT pg_catalog.count(*) FROM w)"
						   " OPERATOR(pg_catalog.+) (SELECT pg_catalog.count(*) FROM c)");
	return b.data;
}

static SPIPlanPtr
prepare_custom(const char *sql, bool keep)
{
	Oid			type = REGCLASSOID;

	/*
	 * Planned again on every run: the transition table holds one row or a
	 * bulk load's 100 000, and the join with the source must fit each.
	 */
	SPIPlanPtr	plan = SPI_prepare_cursor(sql, 1, &type, CURSOR_OPT_CUSTOM_PLAN);

	if (plan == NULL)
		elog(ERROR, "pg_isms: SPI_prepare failed for a reminder source: %s",
			 SPI_result_code_string(SPI_result));
	if (keep && SPI_keepplan(plan) != 0)
		elog(ERROR, "pg_isms: SPI_keepplan failed");
	return plan;
}

/* Run the statement; returns the reminders written or cancelled. */
static int64
run_statement(SPIPlanPtr plan, Oid subject)
{
	Datum		arg = ObjectIdGetDatum(subject);
	bool		isnull;
	Datum		d;

	int			rc = isms_reminder_execute_plan(plan, &arg, NULL, 0);

	if (rc == SPI_OK_INSERT)
		return (int64) SPI_processed;	/* the statement is the INSERT itself */
	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "pg_isms: reminder source statement failed");
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	return isnull ? 0 : DatumGetInt64(d);
}

/*
 * isms.reminder_row_wanted(subject, source, st, unknown, kind, status):
 * whether a row of the source goes into isms.reminder (scheduled or done),
 * raising for one the rule cannot take, so the whole statement is undone.
 * Called per row inside the trigger's statement (a test there costs less
 * than a second pass over the rows).
 */
PG_FUNCTION_INFO_V1(isms_reminder_row_wanted);
Datum
isms_reminder_row_wanted(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("reminder subject, source and kind check must not be null")));
	if (PG_GETARG_BOOL(3) && !PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("reminder kind \"%s\" is not declared for table %s",
						TextDatumGetCString(PG_GETARG_DATUM(4)), get_rel_name(PG_GETARG_OID(0))),
				 errdetail("The reminder source %s yields it.", get_rel_name(PG_GETARG_OID(1))),
				 errhint("Declare it in isms.reminder_kind, or name it in isms.attach_reminders(..., kind => ...).")));
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("reminder source %s yields status \"%s\"", get_rel_name(PG_GETARG_OID(1)),
						PG_ARGISNULL(5) ? "" : TextDatumGetCString(PG_GETARG_DATUM(5))),
				 errhint("A reminder's status is scheduled, done or cancelled.")));
	{
		text	   *st = PG_GETARG_TEXT_PP(2);

		PG_RETURN_BOOL(VARSIZE_ANY_EXHDR(st) == 1 &&
					   (*VARDATA_ANY(st) == 's' || *VARDATA_ANY(st) == 'd'));
	}
}

/*
 * The plain INSERT of a bulk load, run by isms_reminder_unless_unique: a
 * unique violation (a subject key used before, or a reminder made
 * meanwhile by a concurrent transaction) undoes it and the caller runs the
 * upsert.  The upsert's per-row speculative insertion is a fifth of a bulk
 * load's reminder cost, so new rows skip it.
 */
typedef struct FastArgs
{
	SPIPlanPtr	plan;
	Oid			subject;
} FastArgs;

static void
run_fast(void *arg)
{
	FastArgs   *a = (FastArgs *) arg;

	(void) run_statement(a->plan, a->subject);
}

static Oid
resolve_source(Trigger *tg)
{
	if (tg->tgnargs != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("isms.reminder_trigger() takes the name of its reminder source"),
				 errhint("Attach it with isms.attach_reminders(table, source).")));
	return DatumGetObjectId(DirectFunctionCall1(regclassin, CStringGetDatum(tg->tgargs[0])));
}

/*
 * isms.reminder_trigger(source): AFTER INSERT, UPDATE or DELETE FOR EACH
 * STATEMENT, with the transition tables isms.attach_reminders names.
 */
PG_FUNCTION_INFO_V1(isms_reminder_trigger);
Datum
isms_reminder_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	Trigger    *tg;
	SourceEntry *e;
	Oid			source;
	Oid			subject;
	bool		found;
	bool		is_insert;
	bool		is_delete;
	int			nest;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		!TRIGGER_FIRED_FOR_STATEMENT(td->tg_event) || TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("isms.reminder_trigger() must be an AFTER INSERT, UPDATE or DELETE statement trigger"),
				 errhint("Attach it with isms.attach_reminders(table, source).")));
	/* The dump holds the reminders this trigger made, UIDs and all. */
	if (isms_restore_in_progress())
		return PointerGetDatum(NULL);
	tg = td->tg_trigger;
	is_insert = TRIGGER_FIRED_BY_INSERT(td->tg_event);
	is_delete = TRIGGER_FIRED_BY_DELETE(td->tg_event);
	if ((!is_delete && tg->tgnewtable == NULL) || (!is_insert && tg->tgoldtable == NULL))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("isms.reminder_trigger() needs the transition tables of its event"),
				 errhint("Attach it with isms.attach_reminders(table, source).")));
	subject = RelationGetRelid(td->tg_relation);

	nest = isms_reminder_enter_safe_path();
	source = resolve_source(tg);
	if (source_cache == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(SourceEntry);
		source_cache = hash_create("pg_isms reminder sources", 16, &ctl, HASH_ELEM | HASH_BLOBS);
	}
	e = (SourceEntry *) hash_search(source_cache, &tg->tgoid, HASH_ENTER, &found);
	if (!found || e->source != source)
	{
		if (found && e->plan)
			SPI_freeplan(e->plan);
		if (found && e->fallback)
			SPI_freeplan(e->fallback);
		e->source = source;
		e->plan = NULL;
		e->fallback = NULL;
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "pg_isms: SPI_connect failed");
	if (SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER)
		elog(ERROR, "pg_isms: could not register the transition tables");
	if (e->plan == NULL)
	{
		List	   *keycols = primary_key_columns(td->tg_relation);
		const char *new_rows = is_delete ? NULL : quote_identifier(tg->tgnewtable);
		const char *old_rows = is_insert ? NULL : quote_identifier(tg->tgoldtable);
		SPIPlanPtr	plan;
		SPIPlanPtr	fallback = NULL;

		/* Prepared before being kept, so a bad source leaves no half entry. */
		plan = prepare_custom(statement_sql(source, keycols, new_rows, old_rows, true, !is_insert), true);
		if (is_insert)
			fallback = prepare_custom(statement_sql(source, keycols, new_rows, NULL, false, true), true);
		e->plan = plan;
		e->fallback = fallback;
	}
	if (is_insert)
	{
		FastArgs	fast = {e->plan, subject};

		if (!isms_reminder_unless_unique(run_fast, &fast))
			(void) run_statement(e->fallback, subject);
	}
	else
		(void) run_statement(e->plan, subject);
	SPI_finish();
	AtEOXact_GUC(true, nest);
	return PointerGetDatum(NULL);
}

/*
 * isms.reminder_source_sync(subject, source, apply): check that source can
 * feed the reminders of subject (the columns above), and with apply bring
 * the reminders of every row of subject in line with it; returns the
 * number of reminders written or cancelled (NULL without apply).
 * isms.attach_reminders calls it.
 */
PG_FUNCTION_INFO_V1(isms_reminder_source_sync);
Datum
isms_reminder_source_sync(PG_FUNCTION_ARGS)
{
	Oid			subject = PG_GETARG_OID(0);
	Oid			source = PG_GETARG_OID(1);
	bool		apply = PG_GETARG_BOOL(2);
	Relation	rel;
	List	   *keycols;
	char	   *rows;
	SPIPlanPtr	plan;
	int64		n = 0;
	int			nest;

	rel = table_open(subject, AccessShareLock);
	if (rel->rd_rel->relkind != RELKIND_RELATION && rel->rd_rel->relkind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a table", RelationGetRelationName(rel)),
				 errdetail("Reminders are attached to tables.")));
	keycols = primary_key_columns(rel);
	table_close(rel, AccessShareLock);

	nest = isms_reminder_enter_safe_path();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "pg_isms: SPI_connect failed");
	rows = qualified_name(subject);
	plan = prepare_custom(statement_sql(source, keycols, rows, rows, false, true), false);
	if (apply)
		n = run_statement(plan, subject);
	SPI_finish();
	AtEOXact_GUC(true, nest);
	if (!apply)
		PG_RETURN_NULL();
	PG_RETURN_INT64(n);
}
