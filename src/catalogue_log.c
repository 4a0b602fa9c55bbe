/*
 * catalogue_log.c: isms.log_change(), the generic trigger that appends every
 * insert, update and delete of a table to the append-only isms.change_log,
 * recording the role that made the change while writing as the log's owner.
 */
#include "pg_isms.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "tcop/pquery.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"

/*
 * The owner of isms.change_log.  Ordinary roles hold no privilege on the
 * log; the trigger switches to its owner only for the INSERT it runs, the
 * way the referential-integrity triggers switch to the table owner.
 */
static Oid
change_log_owner(void)
{
	Oid			nsp;
	Oid			relid;
	HeapTuple	tup;
	Oid			owner;

	nsp = get_namespace_oid("isms", true);
	relid = OidIsValid(nsp) ? get_relname_relid("change_log", nsp) : InvalidOid;
	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table isms.change_log does not exist"),
				 errhint("The pg_isms extension must be installed for isms.log_change() to work.")));
	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

/*
 * pg_restore (and psql running a plain dump) loads table data with COPY ...
 * FROM stdin as a superuser with search_path set to ''.  The change log
 * restored from the same dump already holds the history of those rows;
 * logging them again would add a second INSERT of every row, dated at the
 * restore.  Only that combination is skipped: a superuser can bypass any
 * in-database log anyway (ALTER TABLE ... DISABLE TRIGGER).
 */
static bool
is_restore_copy(void)
{
	return ActivePortal != NULL && ActivePortal->commandTag == CMDTAG_COPY &&
		namespace_search_path != NULL &&
		(namespace_search_path[0] == '\0' || strcmp(namespace_search_path, "\"\"") == 0) &&
		superuser();
}

/*
 * Statement level: one set-based INSERT ... SELECT over the transition
 * tables.  For UPDATE the old and new transition tables are filled in
 * lockstep (one old and one new tuple per updated row, in the same order),
 * so numbering both scans pairs each old row with its new row.
 */
static void
log_statement(TriggerData *td, Datum *args, Oid *argtypes)
{
	Trigger    *trig = td->tg_trigger;
	StringInfoData q;
	int			rc;

	initStringInfo(&q);
	appendStringInfoString(&q,
						   "INSERT INTO isms.change_log (actor, table_name, op, old_row, new_row) ");
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		if (trig->tgnewtable == NULL)
			goto missing;
		appendStringInfo(&q,
						 "SELECT $1, $2, $3, NULL, pg_catalog.to_jsonb(t) FROM %s AS t",
						 quote_identifier(trig->tgnewtable));
	}
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
	{
		if (trig->tgoldtable == NULL)
			goto missing;
		appendStringInfo(&q,
						 "SELECT $1, $2, $3, pg_catalog.to_jsonb(t), NULL FROM %s AS t",
						 quote_identifier(trig->tgoldtable));
	}
	else
	{
		if (trig->tgoldtable == NULL || trig->tgnewtable == NULL)
			goto missing;
		appendStringInfo(&q,
						 "SELECT $1, $2, $3, o.r, n.r "
						 "FROM (SELECT pg_catalog.row_number() OVER () AS i, pg_catalog.to_jsonb(t) AS r FROM %s AS t) AS o "
						 "JOIN (SELECT pg_catalog.row_number() OVER () AS i, pg_catalog.to_jsonb(t) AS r FROM %s AS t) AS n "
						 "ON o.i OPERATOR(pg_catalog.=) n.i ORDER BY o.i",
						 quote_identifier(trig->tgoldtable),
						 quote_identifier(trig->tgnewtable));
	}
	if (SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER)
		elog(ERROR, "could not register the transition tables of trigger \"%s\"", trig->tgname);
	rc = SPI_execute_with_args(q.data, 3, argtypes, args, NULL, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "writing isms.change_log failed: %s", SPI_result_code_string(rc));
	pfree(q.data);
	return;

missing:
	ereport(ERROR,
			(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
			 errmsg("trigger \"%s\" on table \"%s\" fires isms.log_change() for each statement without its transition tables",
					trig->tgname, RelationGetRelationName(td->tg_relation)),
			 errhint("Create it AFTER INSERT REFERENCING NEW TABLE AS new_rows (UPDATE: OLD TABLE AS old_rows NEW TABLE AS new_rows; DELETE: OLD TABLE AS old_rows) FOR EACH STATEMENT, or FOR EACH ROW.")));
}

/* Row level: one INSERT per row, the row passed as a value of its row type. */
static void
log_row(TriggerData *td, Datum *args, Oid *argtypes)
{
	Relation	rel = td->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	Oid			rowtype = rel->rd_rel->reltype;
	Datum		values[5];
	Oid			types[5];
	char		nulls[5] = {' ', ' ', ' ', 'n', 'n'};
	int			rc;

	memcpy(values, args, 3 * sizeof(Datum));
	memcpy(types, argtypes, 3 * sizeof(Oid));
	types[3] = rowtype;
	types[4] = rowtype;
	values[3] = (Datum) 0;
	values[4] = (Datum) 0;
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		values[4] = heap_copy_tuple_as_datum(td->tg_trigtuple, desc);
		nulls[4] = ' ';
	}
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
	{
		values[3] = heap_copy_tuple_as_datum(td->tg_trigtuple, desc);
		nulls[3] = ' ';
	}
	else
	{
		values[3] = heap_copy_tuple_as_datum(td->tg_trigtuple, desc);
		values[4] = heap_copy_tuple_as_datum(td->tg_newtuple, desc);
		nulls[3] = ' ';
		nulls[4] = ' ';
	}
	rc = SPI_execute_with_args("INSERT INTO isms.change_log (actor, table_name, op, old_row, new_row) "
							   "VALUES ($1, $2, $3, pg_catalog.to_jsonb($4), pg_catalog.to_jsonb($5))",
							   5, types, values, nulls, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "writing isms.change_log failed: %s", SPI_result_code_string(rc));
}

PG_FUNCTION_INFO_V1(isms_log_change);
Datum
isms_log_change(PG_FUNCTION_ARGS)
{
	TriggerData *td;
	Relation	rel;
	const char *op;
	Datum		args[3];
	Oid			argtypes[3] = {TEXTOID, TEXTOID, TEXTOID};
	Oid			save_userid;
	int			save_sec;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("isms.log_change() can only be called as a trigger")));
	td = (TriggerData *) fcinfo->context;
	rel = td->tg_relation;
	if (!TRIGGER_FIRED_AFTER(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("isms.log_change() must be fired AFTER the change (trigger \"%s\")",
						td->tg_trigger->tgname)));
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		op = "INSERT";
	else if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		op = "UPDATE";
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		op = "DELETE";
	else
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("isms.log_change() records INSERT, UPDATE and DELETE only (trigger \"%s\")",
						td->tg_trigger->tgname)));

	if (TRIGGER_FIRED_BY_INSERT(td->tg_event) && is_restore_copy())
		return PointerGetDatum(NULL);

	/* Who changed it: the current role, before switching to the log owner. */
	args[0] = CStringGetTextDatum(GetUserNameFromId(GetUserId(), false));
	args[1] = CStringGetTextDatum(quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
															 RelationGetRelationName(rel)));
	args[2] = CStringGetTextDatum(op);

	GetUserIdAndSecContext(&save_userid, &save_sec);
	SetUserIdAndSecContext(change_log_owner(),
						   save_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (TRIGGER_FIRED_FOR_ROW(td->tg_event))
		log_row(td, args, argtypes);
	else
		log_statement(td, args, argtypes);
	SPI_finish();
	SetUserIdAndSecContext(save_userid, save_sec);

	return PointerGetDatum(NULL);
}
