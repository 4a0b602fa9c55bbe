/*
 * catalogue_log.c: isms.log_change(), the generic trigger that appends every
 * insert, update and delete of a table to the append-only isms.change_log,
 * recording the role that made the change while writing as the log's owner.
 */
#include "pg_isms.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "parser/parse_coerce.h"
#include "tcop/pquery.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

/* Rows per INSERT into isms.change_log (bounds the memory of a batch). */
#define LOG_BATCH 1000

/*
 * How one column becomes a jsonb value.  The fast kinds give exactly what
 * to_jsonb() gives for those types, without to_jsonb's per-value type
 * lookups; every other type (arrays, composites, json, floats, numeric,
 * types with a cast to json) goes through to_jsonb() itself.
 */
typedef enum ColKind
{
	COL_DROPPED,
	COL_BOOL,
	COL_INT2,
	COL_INT4,
	COL_INT8,
	COL_DATETIME,				/* date, timestamp, timestamptz */
	COL_STRING,					/* the type's output function, as a string */
	COL_GENERIC					/* to_jsonb() of the value */
} ColKind;

typedef struct ColInfo
{
	ColKind		kind;
	Oid			typid;			/* base type, for COL_DATETIME */
	char	   *name;
	int			namelen;
	FmgrInfo	fn;				/* output function or to_jsonb */
} ColInfo;

typedef struct RowEncoder
{
	int			natts;
	ColInfo    *cols;
	int		   *order;			/* attribute numbers in jsonb key order */
} RowEncoder;

/*
 * jsonb keeps object keys sorted (shorter first, then bytewise); pushing
 * them in that order lets the sort at the end of each object find them
 * already in place.
 */
static int
key_cmp(const void *a, const void *b, void *arg)
{
	ColInfo    *cols = (ColInfo *) arg;
	ColInfo    *x = &cols[*(const int *) a];
	ColInfo    *y = &cols[*(const int *) b];

	if (x->namelen != y->namelen)
		return x->namelen < y->namelen ? -1 : 1;
	return memcmp(x->name, y->name, x->namelen);
}

static void
encoder_init(RowEncoder *enc, TupleDesc desc)
{
	int			i;

	enc->natts = desc->natts;
	enc->cols = palloc0(sizeof(ColInfo) * desc->natts);
	enc->order = palloc(sizeof(int) * desc->natts);
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		ColInfo    *col = &enc->cols[i];
		Oid			base;
		Oid			outfunc;
		bool		isvarlena;
		Oid			castfunc;

		enc->order[i] = i;
		if (att->attisdropped)
		{
			col->kind = COL_DROPPED;
			col->name = "";
			continue;
		}
		col->name = NameStr(att->attname);
		col->namelen = strlen(col->name);
		base = getBaseType(att->atttypid);
		col->typid = base;
		switch (base)
		{
			case BOOLOID:
				col->kind = COL_BOOL;
				break;
			case INT2OID:
				col->kind = COL_INT2;
				break;
			case INT4OID:
				col->kind = COL_INT4;
				break;
			case INT8OID:
				col->kind = COL_INT8;
				break;
			case DATEOID:
			case TIMESTAMPOID:
			case TIMESTAMPTZOID:
				col->kind = COL_DATETIME;
				break;
			case FLOAT4OID:
			case FLOAT8OID:
			case NUMERICOID:
			case JSONOID:
			case JSONBOID:
				col->kind = COL_GENERIC;
				break;
			default:
				if (OidIsValid(get_element_type(base)) || type_is_rowtype(base) ||
					(base >= FirstNormalObjectId &&
					 (find_coercion_pathway(JSONOID, base, COERCION_EXPLICIT, &castfunc) != COERCION_PATH_NONE ||
					  find_coercion_pathway(JSONBOID, base, COERCION_EXPLICIT, &castfunc) != COERCION_PATH_NONE)))
					col->kind = COL_GENERIC;
				else
				{
					col->kind = COL_STRING;
					getTypeOutputInfo(base, &outfunc, &isvarlena);
					fmgr_info(outfunc, &col->fn);
				}
				break;
		}
		if (col->kind == COL_GENERIC)
		{
			/* to_jsonb(anyelement) learns the argument type from fn_expr. */
			fmgr_info(F_TO_JSONB, &col->fn);
			fmgr_info_set_expr((Node *) makeFuncExpr(F_TO_JSONB, JSONBOID,
													 list_make1(makeNullConst(att->atttypid, att->atttypmod,
																			  att->attcollation)),
													 InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL),
							   &col->fn);
		}
	}
	qsort_arg(enc->order, enc->natts, sizeof(int), key_cmp, enc->cols);
}

/* The row as a jsonb object, equal to to_jsonb(row). */
static Datum
encoder_row(RowEncoder *enc, Datum *values, bool *isnull)
{
	JsonbParseState *state = NULL;
	JsonbValue *res;
	JsonbValue	v;
	int			i;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	for (i = 0; i < enc->natts; i++)
	{
		int			a = enc->order[i];
		ColInfo    *col = &enc->cols[a];
		Datum		val = values[a];
		char	   *s;

		if (col->kind == COL_DROPPED)
			continue;
		v.type = jbvString;
		v.val.string.val = col->name;
		v.val.string.len = col->namelen;
		pushJsonbValue(&state, WJB_KEY, &v);

		if (isnull[a])
		{
			v.type = jbvNull;
			pushJsonbValue(&state, WJB_VALUE, &v);
			continue;
		}
		switch (col->kind)
		{
			case COL_BOOL:
				v.type = jbvBool;
				v.val.boolean = DatumGetBool(val);
				break;
			case COL_INT2:
				v.type = jbvNumeric;
				v.val.numeric = DatumGetNumeric(DirectFunctionCall1(int2_numeric, val));
				break;
			case COL_INT4:
				v.type = jbvNumeric;
				v.val.numeric = DatumGetNumeric(DirectFunctionCall1(int4_numeric, val));
				break;
			case COL_INT8:
				v.type = jbvNumeric;
				v.val.numeric = DatumGetNumeric(DirectFunctionCall1(int8_numeric, val));
				break;
			case COL_DATETIME:
				s = JsonEncodeDateTime(NULL, val, col->typid, NULL);
				v.type = jbvString;
				v.val.string.val = s;
				v.val.string.len = strlen(s);
				break;
			case COL_STRING:
				s = OutputFunctionCall(&col->fn, val);
				v.type = jbvString;
				v.val.string.val = s;
				v.val.string.len = strlen(s);
				break;
			default:
				{
					Jsonb	   *jb = DatumGetJsonbP(FunctionCall1(&col->fn, val));

					if (JB_ROOT_IS_SCALAR(jb))
						JsonbExtractScalar(&jb->root, &v);
					else
					{
						v.type = jbvBinary;
						v.val.binary.data = &jb->root;
						v.val.binary.len = VARSIZE(jb) - VARHDRSZ;
					}
				}
				break;
		}
		pushJsonbValue(&state, WJB_VALUE, &v);
	}
	res = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return JsonbPGetDatum(JsonbValueToJsonb(res));
}

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

/* A batch of log entries written by one INSERT of jsonb arrays. */
typedef struct LogBatch
{
	SPIPlanPtr	plan;
	Datum		args[5];		/* actor, table, op, old rows, new rows */
	Datum		old_rows[LOG_BATCH];
	Datum		new_rows[LOG_BATCH];
	bool		has_old;
	bool		has_new;
	int			n;
	MemoryContext cxt;			/* the rows' jsonb and the arrays */
} LogBatch;

static SPIPlanPtr saved_plan = NULL;

static void
batch_flush(LogBatch *b)
{
	char		nulls[5] = {' ', ' ', ' ', 'n', 'n'};
	MemoryContext old = MemoryContextSwitchTo(b->cxt);
	int			rc;

	if (b->n == 0)
	{
		MemoryContextSwitchTo(old);
		return;
	}
	if (b->has_old)
	{
		b->args[3] = PointerGetDatum(construct_array(b->old_rows, b->n, JSONBOID, -1, false, TYPALIGN_INT));
		nulls[3] = ' ';
	}
	if (b->has_new)
	{
		b->args[4] = PointerGetDatum(construct_array(b->new_rows, b->n, JSONBOID, -1, false, TYPALIGN_INT));
		nulls[4] = ' ';
	}
	MemoryContextSwitchTo(old);
	rc = SPI_execute_plan(b->plan, b->args, nulls, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "writing isms.change_log failed: %s", SPI_result_code_string(rc));
	MemoryContextReset(b->cxt);
	b->n = 0;
}

/* Encode one change (old and/or new tuple in the slots) into the batch. */
static void
batch_add(LogBatch *b, RowEncoder *enc, TupleTableSlot *oldslot, TupleTableSlot *newslot)
{
	MemoryContext old = MemoryContextSwitchTo(b->cxt);

	if (oldslot != NULL)
	{
		slot_getallattrs(oldslot);
		b->old_rows[b->n] = encoder_row(enc, oldslot->tts_values, oldslot->tts_isnull);
	}
	if (newslot != NULL)
	{
		slot_getallattrs(newslot);
		b->new_rows[b->n] = encoder_row(enc, newslot->tts_values, newslot->tts_isnull);
	}
	MemoryContextSwitchTo(old);
	b->n++;
	if (b->n == LOG_BATCH)
		batch_flush(b);
}

/*
 * A transition table is read through a read pointer of its own, as the
 * executor's NamedTuplestoreScan does, so other triggers of the statement
 * still see it whole.
 */
static int
open_store(Tuplestorestate *ts)
{
	int			ptr = tuplestore_alloc_read_pointer(ts, EXEC_FLAG_REWIND);

	tuplestore_select_read_pointer(ts, ptr);
	tuplestore_rescan(ts);
	return ptr;
}

PG_FUNCTION_INFO_V1(isms_log_change);
Datum
isms_log_change(PG_FUNCTION_ARGS)
{
	TriggerData *td;
	Trigger    *trig;
	Relation	rel;
	TupleDesc	desc;
	const char *op;
	Oid			argtypes[5] = {TEXTOID, TEXTOID, TEXTOID, JSONBARRAYOID, JSONBARRAYOID};
	Oid			save_userid;
	int			save_sec;
	RowEncoder	enc;
	LogBatch   *b;
	TupleTableSlot *oldslot = NULL;
	TupleTableSlot *newslot = NULL;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("isms.log_change() can only be called as a trigger")));
	td = (TriggerData *) fcinfo->context;
	trig = td->tg_trigger;
	rel = td->tg_relation;
	desc = RelationGetDescr(rel);
	if (!TRIGGER_FIRED_AFTER(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("isms.log_change() must be fired AFTER the change (trigger \"%s\")",
						trig->tgname)));
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
						trig->tgname)));
	if (TRIGGER_FIRED_FOR_STATEMENT(td->tg_event) &&
		((!TRIGGER_FIRED_BY_INSERT(td->tg_event) && trig->tgoldtable == NULL) ||
		 (!TRIGGER_FIRED_BY_DELETE(td->tg_event) && trig->tgnewtable == NULL)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" on table \"%s\" fires isms.log_change() for each statement without its transition tables",
						trig->tgname, RelationGetRelationName(rel)),
				 errhint("Create it AFTER INSERT REFERENCING NEW TABLE AS new_rows (UPDATE: OLD TABLE AS old_rows NEW TABLE AS new_rows; DELETE: OLD TABLE AS old_rows) FOR EACH STATEMENT, or FOR EACH ROW.")));

	if (TRIGGER_FIRED_BY_INSERT(td->tg_event) && is_restore_copy())
		return PointerGetDatum(NULL);

	b = palloc0(sizeof(LogBatch));
	/* Who changed it: the current role, before switching to the log owner. */
	b->args[0] = CStringGetTextDatum(GetUserNameFromId(GetUserId(), false));
	b->args[1] = CStringGetTextDatum(quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
																RelationGetRelationName(rel)));
	b->args[2] = CStringGetTextDatum(op);
	b->has_old = !TRIGGER_FIRED_BY_INSERT(td->tg_event);
	b->has_new = !TRIGGER_FIRED_BY_DELETE(td->tg_event);
	encoder_init(&enc, desc);

	GetUserIdAndSecContext(&save_userid, &save_sec);
	SetUserIdAndSecContext(change_log_owner(),
						   save_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (saved_plan == NULL)
	{
		SPIPlanPtr	plan;

		/* Rows come out of ROWS FROM in array order, old and new paired. */
		plan = SPI_prepare("INSERT INTO isms.change_log (actor, table_name, op, old_row, new_row) "
						   "SELECT $1, $2, $3, u.o, u.n "
						   "FROM ROWS FROM (pg_catalog.unnest($4), pg_catalog.unnest($5)) AS u(o, n)",
						   5, argtypes);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "SPI_keepplan failed");
		saved_plan = plan;
	}
	b->plan = saved_plan;
	/* A large first block stays across resets: no fresh pages per batch. */
	b->cxt = AllocSetContextCreate(CurrentMemoryContext, "isms.log_change batch",
								   1024 * 1024, 1024 * 1024, 8 * 1024 * 1024);

	if (TRIGGER_FIRED_FOR_ROW(td->tg_event))
	{
		if (b->has_old)
		{
			oldslot = MakeSingleTupleTableSlot(desc, &TTSOpsHeapTuple);
			ExecStoreHeapTuple(td->tg_trigtuple, oldslot, false);
		}
		if (b->has_new)
		{
			newslot = MakeSingleTupleTableSlot(desc, &TTSOpsHeapTuple);
			ExecStoreHeapTuple(TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple,
							   newslot, false);
		}
		batch_add(b, &enc, oldslot, newslot);
	}
	else
	{
		/*
		 * For UPDATE the old and new transition tables are filled in
		 * lockstep (one old and one new tuple per updated row, in the same
		 * order), so reading both side by side pairs each old row with its
		 * new row.
		 */
		Tuplestorestate *oldts = b->has_old ? td->tg_oldtable : NULL;
		Tuplestorestate *newts = b->has_new ? td->tg_newtable : NULL;

		/* A statement that changed no row may leave a table unmade. */
		if (oldts != NULL)
		{
			oldslot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
			open_store(oldts);
		}
		if (newts != NULL)
		{
			newslot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
			open_store(newts);
		}
		for (;;)
		{
			bool		more_old = oldts != NULL && tuplestore_gettupleslot(oldts, true, false, oldslot);
			bool		more_new = newts != NULL && tuplestore_gettupleslot(newts, true, false, newslot);

			CHECK_FOR_INTERRUPTS();
			if (!more_old && !more_new)
				break;
			if ((b->has_old && !more_old) || (b->has_new && !more_new))
				elog(ERROR, "transition tables of trigger \"%s\" differ in length", trig->tgname);
			batch_add(b, &enc, oldslot, newslot);
		}
	}
	batch_flush(b);
	if (oldslot != NULL)
		ExecDropSingleTupleTableSlot(oldslot);
	if (newslot != NULL)
		ExecDropSingleTupleTableSlot(newslot);
	SPI_finish();
	SetUserIdAndSecContext(save_userid, save_sec);

	return PointerGetDatum(NULL);
}
