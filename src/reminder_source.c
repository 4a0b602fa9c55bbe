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

/* The columns of the items query's result, in order. */
enum
{
	SRC_ITEMS, SRC_DONE_ITEMS, SRC_KEEP_KINDS, SRC_KEEP_KEYS,
	SRC_UNKNOWN_KIND, SRC_BAD_STATUS, SRC_NCOLS
};

/* One attached trigger's queries, built for one source. */
typedef struct SourceEntry
{
	Oid			tgoid;			/* hash key */
	Oid			source;
	SPIPlanPtr	items_plan;
	SPIPlanPtr	keys_plan;
} SourceEntry;

static HTAB *source_cache = NULL;

/*
 * The cancellation of what the source no longer yields: $1 the subject
 * table, $2 the statement's keys, $3 and $4 the (kind, key) pairs kept.
 * Only kinds declared for the subject (isms.reminder_kind) are looked at,
 * so the probes use the key index of isms.reminder.
 */
static const char *cancel_sql =
ISMS_REMINDER_STATUS_MOVE("'cancelled'")
" FROM isms.reminder_kind k, pg_catalog.unnest($2::pg_catalog.text[]) AS s(key)"
" WHERE k.subject::pg_catalog.oid OPERATOR(pg_catalog.=) $1::pg_catalog.oid"
"   AND r.kind OPERATOR(pg_catalog.=) k.kind AND r.subject OPERATOR(pg_catalog.=) $1::pg_catalog.oid"
"   AND r.subject_key OPERATOR(pg_catalog.=) s.key AND r.status::pg_catalog.text OPERATOR(pg_catalog.<>) 'cancelled'"
"   AND NOT EXISTS (SELECT 1 FROM ROWS FROM (pg_catalog.unnest($3::pg_catalog.text[]), pg_catalog.unnest($4::pg_catalog.text[])) AS p(kind, key)"
"                    WHERE p.kind OPERATOR(pg_catalog.=) r.kind AND p.key OPERATOR(pg_catalog.=) r.subject_key)";

static SPIPlanPtr cancel_plan = NULL;

/* The primary-key column names of a table, in key order. */
static List *
primary_key_columns(Relation rel)
{
	Oid			index = RelationGetPrimaryKeyIndex(rel);
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

static void
append_columns(StringInfo buf, List *cols, const char *alias)
{
	ListCell   *lc;

	foreach(lc, cols)
		appendStringInfo(buf, "%s%s.%s", lc == list_head(cols) ? "" : ", ",
						 alias, quote_identifier((char *) lfirst(lc)));
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
 * The items query: the source's rows for the subject rows in "rows" (a
 * transition table, or the subject table itself), folded into the arrays of
 * the SRC_* columns.  $1 is the subject table.
 */
static char *
items_sql(Oid source, List *keycols, const char *rows)
{
	StringInfoData b;
	const char *status = get_attnum(source, "status") != InvalidAttrNumber
		? "COALESCE(v.status::pg_catalog.text, 'scheduled')" : "'scheduled'::pg_catalog.text";
	ListCell   *lc;

	foreach(lc, keycols)
		require_column(source, (char *) lfirst(lc));
	require_column(source, "kind");
	require_column(source, "scope");
	require_column(source, "summary");
	require_column(source, "due");

	initStringInfo(&b);
	appendStringInfoString(&b,
						   "SELECT pg_catalog.array_agg(ROW(d.kind, $1, d.key, d.scope, d.owner, d.summary, d.description,"
						   " d.due, d.rrule, d.alarms, d.starts_at, d.ends_at, d.last_day)::isms.reminder_item)"
						   " FILTER (WHERE d.st OPERATOR(pg_catalog.=) 's'),"
						   " pg_catalog.array_agg(ROW(d.kind, $1, d.key, d.scope, d.owner, d.summary, d.description,"
						   " d.due, d.rrule, d.alarms, d.starts_at, d.ends_at, d.last_day)::isms.reminder_item)"
						   " FILTER (WHERE d.st OPERATOR(pg_catalog.=) 'd'),"
						   " pg_catalog.array_agg(d.kind) FILTER (WHERE d.st OPERATOR(pg_catalog.<>) 'c'),"
						   " pg_catalog.array_agg(d.key) FILTER (WHERE d.st OPERATOR(pg_catalog.<>) 'c'),"
						   " pg_catalog.min(d.kind) FILTER (WHERE d.unknown),"
						   " pg_catalog.min(d.status) FILTER (WHERE d.st IS NULL)"
						   " FROM (SELECT v.kind::pg_catalog.text AS kind, ");
	append_key(&b, keycols, "v");
	appendStringInfoString(&b, " AS key, v.scope::pg_catalog.text AS scope, ");
	append_optional(&b, source, "owner", "pg_catalog.text");
	appendStringInfoString(&b, " AS owner, v.summary::pg_catalog.text AS summary, ");
	append_optional(&b, source, "description", "pg_catalog.text");
	appendStringInfoString(&b, " AS description, v.due::pg_catalog.date AS due, ");
	append_optional(&b, source, "rrule", "pg_catalog.text");
	appendStringInfoString(&b, " AS rrule, COALESCE(");
	append_optional(&b, source, "alarms", "pg_catalog.interval[]");
	appendStringInfoString(&b, ", k.alarms) AS alarms, ");
	append_optional(&b, source, "starts_at", "pg_catalog.timestamptz");
	appendStringInfoString(&b, " AS starts_at, ");
	append_optional(&b, source, "ends_at", "pg_catalog.timestamptz");
	appendStringInfoString(&b, " AS ends_at, ");
	append_optional(&b, source, "last_day", "pg_catalog.date");
	appendStringInfo(&b, " AS last_day, %s AS status,"
					 " CASE WHEN %s NOT IN ('scheduled', 'done', 'cancelled') THEN NULL"
					 " WHEN v.due IS NULL THEN 'c' WHEN %s = 'scheduled' THEN 's'"
					 " WHEN %s = 'done' THEN 'd' ELSE 'c' END AS st,"
					 " k.kind IS NULL AS unknown"
					 " FROM %s v LEFT JOIN isms.reminder_kind k"
					 " ON k.kind OPERATOR(pg_catalog.=) v.kind::pg_catalog.text"
					 " AND k.subject::pg_catalog.oid OPERATOR(pg_catalog.=) $1::pg_catalog.oid"
					 " WHERE (",
					 status, status, status, status, qualified_name(source));
	append_columns(&b, keycols, "v");
	appendStringInfoString(&b, ") IN (SELECT ");
	append_columns(&b, keycols, "n");
	appendStringInfo(&b, " FROM %s n)) d", rows);
	return b.data;
}

/* The subject keys of the rows in old and/or new (names; NULL: none). */
static char *
keys_sql(List *keycols, const char *old_rows, const char *new_rows)
{
	StringInfoData b;

	initStringInfo(&b);
	appendStringInfoString(&b, "SELECT pg_catalog.array_agg(DISTINCT s.k) FROM (");
	if (old_rows)
	{
		appendStringInfoString(&b, "SELECT ");
		append_key(&b, keycols, "o");
		appendStringInfo(&b, " AS k FROM %s o", old_rows);
	}
	if (old_rows && new_rows)
		appendStringInfoString(&b, " UNION ALL ");
	if (new_rows)
	{
		appendStringInfoString(&b, "SELECT ");
		append_key(&b, keycols, "n");
		appendStringInfo(&b, " AS k FROM %s n", new_rows);
	}
	appendStringInfoString(&b, ") s");
	return b.data;
}

static SPIPlanPtr
prepare_custom(const char *sql, Oid *types, int nargs, bool keep)
{
	/*
	 * Planned again on every run: the transition table holds one row or a
	 * bulk load's 100 000, and the join with the source must fit each.
	 */
	SPIPlanPtr	plan = SPI_prepare_cursor(sql, nargs, types, CURSOR_OPT_CUSTOM_PLAN);

	if (plan == NULL)
		elog(ERROR, "pg_isms: SPI_prepare failed for a reminder source: %s",
			 SPI_result_code_string(SPI_result));
	if (keep && SPI_keepplan(plan) != 0)
		elog(ERROR, "pg_isms: SPI_keepplan failed");
	return plan;
}

/* Column col of the one row of tt (kept: the writer's own SPI calls reset SPI_tuptable). */
static Datum
result_datum(SPITupleTable *tt, int col, bool *isnull)
{
	return SPI_getbinval(tt->vals[0], tt->tupdesc, col + 1, isnull);
}

/*
 * Apply the source's verdict.  items_plan yields the SRC_* arrays for the
 * statement's new rows (NULL: a DELETE); keys_plan the keys of every row of
 * the statement (NULL: an INSERT, whose rows had no reminders to cancel).
 * Returns the number of scheduled items.
 */
static int64
apply_source(Oid subject, Oid source, SPIPlanPtr items_plan, SPIPlanPtr keys_plan)
{
	Datum		arg = ObjectIdGetDatum(subject);
	Datum		keep_kinds = (Datum) 0;
	Datum		keep_keys = (Datum) 0;
	bool		keep_null = true;
	int64		scheduled = 0;
	bool		isnull;

	if (items_plan != NULL)
	{
		Datum		items;
		Oid			items_type;
		SPITupleTable *tt;

		/* Not read-only: the source must see the statement's own rows. */
		if (SPI_execute_plan(items_plan, &arg, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "pg_isms: reminder source query failed");
		tt = SPI_tuptable;
		(void) result_datum(tt, SRC_UNKNOWN_KIND, &isnull);
		if (!isnull)
			ereport(ERROR,
					(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
					 errmsg("reminder kind \"%s\" is not declared for table %s",
							TextDatumGetCString(result_datum(tt, SRC_UNKNOWN_KIND, &isnull)),
							get_rel_name(subject)),
					 errdetail("The reminder source %s yields it.", get_rel_name(source)),
					 errhint("Declare it in isms.reminder_kind, or name it in isms.attach_reminders(..., kind => ...).")));
		(void) result_datum(tt, SRC_BAD_STATUS, &isnull);
		if (!isnull)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("reminder source %s yields status \"%s\"", get_rel_name(source),
							TextDatumGetCString(result_datum(tt, SRC_BAD_STATUS, &isnull))),
					 errhint("A reminder's status is scheduled, done or cancelled.")));
		items = result_datum(tt, SRC_ITEMS, &isnull);
		items_type = SPI_gettypeid(tt->tupdesc, SRC_ITEMS + 1);
		if (!isnull)
		{
			ArrayType  *a = DatumGetArrayTypeP(items);

			scheduled = ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));
			isms_reminder_sync_items(a, items_type);
		}
		items = result_datum(tt, SRC_DONE_ITEMS, &isnull);
		if (!isnull)
			isms_reminder_done_items(DatumGetArrayTypeP(items), items_type);
		keep_kinds = result_datum(tt, SRC_KEEP_KINDS, &keep_null);
		keep_keys = result_datum(tt, SRC_KEEP_KEYS, &keep_null);
	}
	if (keys_plan != NULL)
	{
		Datum		keys;

		if (SPI_execute_plan(keys_plan, NULL, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "pg_isms: reminder key query failed");
		keys = result_datum(SPI_tuptable, 0, &isnull);
		if (!isnull)
		{
			static Oid	planned_for = InvalidOid;
			Oid			types[4] = {REGCLASSOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID};
			Datum		values[4];
			char		nulls[4] = {' ', ' ', ' ', ' '};

			values[0] = arg;
			values[1] = keys;
			values[2] = keep_kinds;
			values[3] = keep_keys;
			if (keep_null)
				nulls[2] = nulls[3] = 'n';
			if (isms_reminder_run_plan(&cancel_plan, &planned_for, InvalidOid, cancel_sql, 4, types,
									   values, nulls) < 0)
				elog(ERROR, "pg_isms: reminder update failed");
		}
	}
	return scheduled;
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
		if (found && e->items_plan)
			SPI_freeplan(e->items_plan);
		if (found && e->keys_plan)
			SPI_freeplan(e->keys_plan);
		e->source = source;
		e->items_plan = NULL;
		e->keys_plan = NULL;
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "pg_isms: SPI_connect failed");
	if (SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER)
		elog(ERROR, "pg_isms: could not register the transition tables");
	if ((!is_delete && e->items_plan == NULL) || (!is_insert && e->keys_plan == NULL))
	{
		List	   *keycols = primary_key_columns(td->tg_relation);
		Oid			type = REGCLASSOID;

		/* Prepared before being kept, so a bad source leaves no half entry. */
		if (!is_delete && e->items_plan == NULL)
			e->items_plan = prepare_custom(items_sql(source, keycols, quote_identifier(tg->tgnewtable)),
										   &type, 1, true);
		if (!is_insert && e->keys_plan == NULL)
			e->keys_plan = prepare_custom(keys_sql(keycols,
												   quote_identifier(tg->tgoldtable),
												   is_delete ? NULL : quote_identifier(tg->tgnewtable)),
										  NULL, 0, true);
	}
	(void) apply_source(RelationGetRelid(td->tg_relation), source,
						is_delete ? NULL : e->items_plan,
						is_insert ? NULL : e->keys_plan);
	SPI_finish();
	AtEOXact_GUC(true, nest);
	return PointerGetDatum(NULL);
}

/*
 * isms.reminder_source_sync(subject, source, apply): check that source can
 * feed the reminders of subject (the columns above), and with apply bring
 * the reminders of every row of subject in line with it; returns the
 * number of reminders scheduled (NULL without apply).  isms.attach_reminders
 * calls it.
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
	SPIPlanPtr	items_plan;
	SPIPlanPtr	keys_plan;
	Oid			type = REGCLASSOID;
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
	items_plan = prepare_custom(items_sql(source, keycols, rows), &type, 1, false);
	keys_plan = prepare_custom(keys_sql(keycols, rows, NULL), NULL, 0, false);
	if (apply)
		n = apply_source(subject, source, items_plan, keys_plan);
	SPI_finish();
	AtEOXact_GUC(true, nest);
	if (!apply)
		PG_RETURN_NULL();
	PG_RETURN_INT64(n);
}
