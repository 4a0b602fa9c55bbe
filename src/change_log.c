/*
 * change_log.c: isms.log_change(), the generic trigger that appends every
 * insert, update and delete of a table to the append-only isms.change_log,
 * recording the role that made the change while writing as the log's owner.
 */
#include "pg_isms.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "parser/parse_coerce.h"
#include "parser/parse_relation.h"
#include "rewrite/rewriteHandler.h"
#include "tcop/pquery.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

#if PG_VERSION_NUM < 140000
#define F_NEXTVAL F_NEXTVAL_OID
#endif

/* Rows per write into isms.change_log (bounds the memory of a batch). */
#define LOG_BATCH 1000
/* ... and bytes, so a batch of wide rows stays in the CPU cache. */
#define LOG_BATCH_BYTES (256 * 1024)

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
	COL_TEXT,					/* text, varchar, bpchar: the bytes as they are */
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

/*
 * Writes rows as jsonb objects straight in jsonb's on-disk format (see
 * utils/jsonb.h): a container header, the JEntries of all keys then of all
 * values, the key strings, then the values.  Column names, hence the keys
 * and their JEntries, are the same for every row, so that part is built
 * once per statement and every row only appends its values.
 */
typedef struct RowEncoder
{
	int			natts;
	ColInfo    *cols;
	int			nkeys;			/* live (not dropped) columns */
	int		   *order;			/* attribute index of each key, in key order */
	char	   *prefix;			/* varlena header, container header, JEntries, keys */
	int			prefixlen;
	int			keyslen;		/* bytes of the key strings */
	JEntry	   *valentries;		/* the values' JEntries of the current row */
	StringInfoData buf;			/* the current row's jsonb */
} RowEncoder;

/*
 * jsonb keeps object keys sorted, shorter first, then bytewise (see
 * lengthCompareJsonbStringValue in jsonb_util.c).
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

/* A JEntry: the length, or the end offset on every JB_OFFSET_STRIDE'th one. */
static inline JEntry
make_jentry(uint32 type, int index, uint32 len, uint32 end)
{
	if (index % JB_OFFSET_STRIDE == 0)
		return type | end | JENTRY_HAS_OFF;
	return type | len;
}

static void
encoder_init(RowEncoder *enc, TupleDesc desc)
{
	int			i;
	int			k;
	uint32		end;
	StringInfoData pre;
	uint32		header;

	enc->natts = desc->natts;
	enc->cols = palloc0(sizeof(ColInfo) * desc->natts);
	enc->order = palloc(sizeof(int) * desc->natts);
	enc->nkeys = 0;
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		ColInfo    *col = &enc->cols[i];
		Oid			base;
		Oid			outfunc;
		bool		isvarlena;
		Oid			castfunc;

		if (att->attisdropped)
		{
			col->kind = COL_DROPPED;
			continue;
		}
		enc->order[enc->nkeys++] = i;
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
			case TEXTOID:
			case VARCHAROID:
			case BPCHAROID:
				col->kind = COL_TEXT;
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
	qsort_arg(enc->order, enc->nkeys, sizeof(int), key_cmp, enc->cols);

	/* The part every row shares: headers, key JEntries, keys. */
	initStringInfo(&pre);
	appendStringInfoSpaces(&pre, VARHDRSZ);
	header = (uint32) enc->nkeys | JB_FOBJECT;
	appendBinaryStringInfo(&pre, (char *) &header, sizeof(uint32));
	end = 0;
	for (k = 0; k < enc->nkeys; k++)
	{
		ColInfo    *col = &enc->cols[enc->order[k]];
		JEntry		je;

		end += col->namelen;
		je = make_jentry(JENTRY_ISSTRING, k, col->namelen, end);
		appendBinaryStringInfo(&pre, (char *) &je, sizeof(JEntry));
	}
	/* Room for the values' JEntries, filled per row. */
	appendStringInfoSpaces(&pre, enc->nkeys * sizeof(JEntry));
	for (k = 0; k < enc->nkeys; k++)
	{
		ColInfo    *col = &enc->cols[enc->order[k]];

		appendBinaryStringInfo(&pre, col->name, col->namelen);
	}
	enc->keyslen = end;
	enc->prefix = pre.data;
	enc->prefixlen = pre.len;
	enc->valentries = palloc(sizeof(JEntry) * Max(enc->nkeys, 1));
	initStringInfo(&enc->buf);
}

/* Pad the row to a 4-byte boundary (numerics and containers need it). */
static inline int
pad_to_int(StringInfo buf)
{
	int			pad = INTALIGN(buf->len) - buf->len;

	if (pad > 0)
		appendStringInfoSpaces(buf, pad);
	return pad;
}

/* Append a scalar JsonbValue; returns its JEntry type. */
static uint32
append_scalar(StringInfo buf, JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			return JENTRY_ISNULL;
		case jbvBool:
			return v->val.boolean ? JENTRY_ISBOOL_TRUE : JENTRY_ISBOOL_FALSE;
		case jbvString:
			appendBinaryStringInfo(buf, v->val.string.val, v->val.string.len);
			return JENTRY_ISSTRING;
		case jbvNumeric:
			pad_to_int(buf);
			appendBinaryStringInfo(buf, (char *) v->val.numeric, VARSIZE_ANY(v->val.numeric));
			return JENTRY_ISNUMERIC;
		default:
			elog(ERROR, "unexpected jsonb scalar type %d", (int) v->type);
	}
	return JENTRY_ISNULL;		/* keep the compiler quiet */
}

static Numeric
make_int_numeric(int64 v)
{
#if PG_VERSION_NUM >= 140000
	return int64_to_numeric(v);
#else
	return DatumGetNumeric(DirectFunctionCall1(int8_numeric, Int64GetDatum(v)));
#endif
}

/*
 * Integer columns mostly hold small numbers (scores, counts, positions):
 * their numerics are made once per backend and kept.
 */
#define SMALL_INTS 1024
static Numeric small_int_numeric[SMALL_INTS];

static inline Numeric
int_numeric(int64 v)
{
	if (v >= 0 && v < SMALL_INTS)
	{
		if (small_int_numeric[v] == NULL)
		{
			MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

			small_int_numeric[v] = make_int_numeric(v);
			MemoryContextSwitchTo(old);
		}
		return small_int_numeric[v];
	}
	return make_int_numeric(v);
}

/*
 * The row as a jsonb object equal to to_jsonb(row); the result lives in
 * enc->buf until the next call.  Temporary allocations go to the current
 * memory context.
 */
static Jsonb *
encoder_row(RowEncoder *enc, Datum *values, bool *isnull)
{
	StringInfo	buf = &enc->buf;
	uint32		end = enc->keyslen;
	int			k;

	resetStringInfo(buf);
	appendBinaryStringInfo(buf, enc->prefix, enc->prefixlen);
	for (k = 0; k < enc->nkeys; k++)
	{
		int			a = enc->order[k];
		ColInfo    *col = &enc->cols[a];
		Datum		val = values[a];
		int			start = buf->len;
		uint32		type;
		uint32		len;
		JsonbValue	v;
		char		dt[MAXDATELEN + 1];
		char	   *s;

		if (isnull[a])
			type = JENTRY_ISNULL;
		else
		{
			switch (col->kind)
			{
				case COL_BOOL:
					type = DatumGetBool(val) ? JENTRY_ISBOOL_TRUE : JENTRY_ISBOOL_FALSE;
					break;
				case COL_INT2:
					v.type = jbvNumeric;
					v.val.numeric = int_numeric(DatumGetInt16(val));
					type = append_scalar(buf, &v);
					break;
				case COL_INT4:
					v.type = jbvNumeric;
					v.val.numeric = int_numeric(DatumGetInt32(val));
					type = append_scalar(buf, &v);
					break;
				case COL_INT8:
					v.type = jbvNumeric;
					v.val.numeric = int_numeric(DatumGetInt64(val));
					type = append_scalar(buf, &v);
					break;
				case COL_DATETIME:
					JsonEncodeDateTime(dt, val, col->typid, NULL);
					appendBinaryStringInfo(buf, dt, strlen(dt));
					type = JENTRY_ISSTRING;
					break;
				case COL_TEXT:
					{
						text	   *t = DatumGetTextPP(val);

						appendBinaryStringInfo(buf, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
						type = JENTRY_ISSTRING;
					}
					break;
				case COL_STRING:
					s = OutputFunctionCall(&col->fn, val);
					appendBinaryStringInfo(buf, s, strlen(s));
					type = JENTRY_ISSTRING;
					break;
				default:
					{
						Jsonb	   *jb = DatumGetJsonbP(FunctionCall1(&col->fn, val));

						if (JB_ROOT_IS_SCALAR(jb))
						{
							JsonbExtractScalar(&jb->root, &v);
							type = append_scalar(buf, &v);
						}
						else
						{
							pad_to_int(buf);
							appendBinaryStringInfo(buf, (char *) &jb->root, VARSIZE(jb) - VARHDRSZ);
							type = JENTRY_ISCONTAINER;
						}
					}
					break;
			}
		}
		len = buf->len - start;
		if (len > JENTRY_OFFLENMASK || end + len > JENTRY_OFFLENMASK)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("total size of jsonb object elements exceeds the maximum of %u bytes",
							JENTRY_OFFLENMASK)));
		end += len;
		enc->valentries[k] = make_jentry(type, enc->nkeys + k, len, end);
	}
	memcpy(buf->data + VARHDRSZ + sizeof(uint32) + enc->nkeys * sizeof(JEntry),
		   enc->valentries, enc->nkeys * sizeof(JEntry));
	SET_VARSIZE(buf->data, buf->len);
	return (Jsonb *) buf->data;
}

/*
 * The owner of isms.change_log.  Ordinary roles hold no privilege on the
 * log; the trigger switches to its owner only for the writing, the way
 * the referential-integrity triggers switch to the table owner.
 */
static Oid
change_log_relid(Oid *owner)
{
	Oid			nsp;
	Oid			relid;
	HeapTuple	tup;

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
	*owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return relid;
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
 * Where the entries go.  Normally straight into the heap and its indexes
 * in batches, the way COPY FROM writes (one WAL record per page, no
 * executor per row), with the log's own column defaults (id, time,
 * transaction).  The entries satisfy the log's CHECK constraints by
 * construction (op is one of the three, old and new row as op says), so
 * they are not evaluated again per entry.  If isms.change_log ever has
 * something only a real INSERT honours (triggers on INSERT, forced row
 * security, generated columns, another kind of table), the entries go
 * through SPI as INSERT ... SELECT of jsonb arrays instead.
 */
/*
 * How a column the trigger does not write gets its value: its default
 * expression per entry, or the two shortcuts for the log's own defaults
 * (now() and pg_current_xact_id() are the same all transaction long, so
 * they are evaluated once per statement; nextval(sequence) is called
 * directly, its privilege checked once per statement).
 */
typedef enum DefaultKind
{
	DEFAULT_NULL,
	DEFAULT_EXPR,
	DEFAULT_ONCE,
	DEFAULT_NEXTVAL
} DefaultKind;

typedef struct LogWriter
{
	Datum		actor;
	Datum		table;
	Datum		op;
	bool		has_old;
	bool		has_new;
	int			n;				/* entries in the current batch */
	Size		bytes;
	MemoryContext cxt;			/* per-entry scratch, reset per entry */
	bool		direct;
	/* direct */
	Relation	rel;
	EState	   *estate;
	ResultRelInfo *rri;
	CommandId	cid;
	AttrNumber	att_actor;
	AttrNumber	att_table;
	AttrNumber	att_op;
	AttrNumber	att_old;
	AttrNumber	att_new;
	DefaultKind *defkind;		/* per attribute, for the columns not written */
	ExprState **defaults;		/* DEFAULT_EXPR: evaluated per entry */
	Datum	   *defvalue;		/* DEFAULT_ONCE: the statement's value; DEFAULT_NEXTVAL: the sequence */
	TupleTableSlot *slots[LOG_BATCH];
	/* through SPI */
	SPIPlanPtr	plan;
	MemoryContext batchcxt;		/* the batch's jsonb copies and arrays */
	Datum		old_rows[LOG_BATCH];
	Datum		new_rows[LOG_BATCH];
} LogWriter;

static SPIPlanPtr saved_plan = NULL;

static bool
can_write_directly(Relation rel)
{
	TriggerDesc *td = rel->trigdesc;
	TupleConstr *constr = rel->rd_att->constr;
	int			i;

	if (rel->rd_rel->relkind != RELKIND_RELATION)
		return false;
	if (td != NULL &&
		(td->trig_insert_before_row || td->trig_insert_after_row ||
		 td->trig_insert_instead_row || td->trig_insert_before_statement ||
		 td->trig_insert_after_statement || td->trig_insert_new_table))
		return false;
	if (check_enable_rls(RelationGetRelid(rel), InvalidOid, true) == RLS_ENABLED)
		return false;
	if (constr != NULL)
	{
		if (constr->has_generated_stored)
			return false;
		/* A CHECK constraint of its own (not one of the log's) is evaluated by INSERT. */
		for (i = 0; i < constr->num_check; i++)
			if (strcmp(constr->check[i].ccname, "change_log_op") != 0 &&
				strcmp(constr->check[i].ccname, "change_log_rows") != 0)
				return false;
	}
	return true;
}

static AttrNumber
log_column(Relation rel, const char *name)
{
	int			attnum = attnameAttNum(rel, name, false);

	if (attnum == InvalidAttrNumber)
		elog(ERROR, "column \"%s\" of isms.change_log does not exist", name);
	return (AttrNumber) attnum;
}

static void
writer_open_direct(LogWriter *w, Oid relid)
{
	TupleDesc	desc;
	int			i;
	AclResult	aclresult;

	w->rel = table_open(relid, RowExclusiveLock);
	if (!can_write_directly(w->rel))
	{
		table_close(w->rel, NoLock);
		w->rel = NULL;
		return;
	}
	/* The same check INSERT makes, here for the log's owner. */
	aclresult = pg_class_aclcheck(relid, GetUserId(), ACL_INSERT);
	if (aclresult != ACLCHECK_OK)
		aclcheck_error(aclresult, OBJECT_TABLE, RelationGetRelationName(w->rel));

	w->direct = true;
	desc = RelationGetDescr(w->rel);
	w->att_actor = log_column(w->rel, "actor");
	w->att_table = log_column(w->rel, "table_name");
	w->att_op = log_column(w->rel, "op");
	w->att_old = log_column(w->rel, "old_row");
	w->att_new = log_column(w->rel, "new_row");

	w->estate = CreateExecutorState();
	w->rri = makeNode(ResultRelInfo);
	InitResultRelInfo(w->rri, w->rel, 0, NULL, 0);
#if PG_VERSION_NUM < 140000
	w->estate->es_result_relations = w->rri;
	w->estate->es_num_result_relations = 1;
	w->estate->es_result_relation_info = w->rri;
#endif
	ExecOpenIndices(w->rri, false);
	w->cid = GetCurrentCommandId(true);

	/* Defaults of the columns the trigger does not write (id, time, ...). */
	w->defkind = palloc0(sizeof(DefaultKind) * desc->natts);
	w->defaults = palloc0(sizeof(ExprState *) * desc->natts);
	w->defvalue = palloc0(sizeof(Datum) * desc->natts);
	for (i = 0; i < desc->natts; i++)
	{
		AttrNumber	attnum = i + 1;
		Node	   *def;
		FuncExpr   *f;

		if (TupleDescAttr(desc, i)->attisdropped ||
			attnum == w->att_actor || attnum == w->att_table || attnum == w->att_op ||
			attnum == w->att_old || attnum == w->att_new)
			continue;
		def = build_column_default(w->rel, attnum);
		if (def == NULL)
			continue;
		f = IsA(def, FuncExpr) ? (FuncExpr *) def : NULL;
		if (f != NULL && f->funcid == F_NEXTVAL && list_length(f->args) == 1 &&
			IsA(linitial(f->args), Const) && !((Const *) linitial(f->args))->constisnull)
		{
			Oid			seq = DatumGetObjectId(((Const *) linitial(f->args))->constvalue);

			/* The check nextval() makes on every call. */
			aclresult = pg_class_aclcheck(seq, GetUserId(), ACL_USAGE | ACL_UPDATE);
			if (aclresult != ACLCHECK_OK)
				aclcheck_error(aclresult, OBJECT_SEQUENCE, get_rel_name(seq));
			w->defkind[i] = DEFAULT_NEXTVAL;
			w->defvalue[i] = ObjectIdGetDatum(seq);
		}
		else if (f != NULL && (f->funcid == F_NOW || f->funcid == F_PG_CURRENT_XACT_ID) &&
				 f->args == NIL && TupleDescAttr(desc, i)->attbyval)
		{
			bool		isnull;

			w->defkind[i] = DEFAULT_ONCE;
			w->defvalue[i] = ExecEvalExpr(ExecPrepareExpr((Expr *) def, w->estate),
										  GetPerTupleExprContext(w->estate), &isnull);
			if (isnull)
				w->defkind[i] = DEFAULT_NULL;
		}
		else
		{
			w->defkind[i] = DEFAULT_EXPR;
			w->defaults[i] = ExecPrepareExpr((Expr *) def, w->estate);
		}
	}
	for (i = 0; i < LOG_BATCH; i++)
		w->slots[i] = NULL;
}

static void
writer_open(LogWriter *w, Oid relid)
{
	w->cxt = AllocSetContextCreate(CurrentMemoryContext, "isms.log_change row",
								   ALLOCSET_DEFAULT_SIZES);
	writer_open_direct(w, relid);
	if (w->direct)
		return;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (saved_plan == NULL)
	{
		SPIPlanPtr	plan;
		Oid			argtypes[5] = {TEXTOID, TEXTOID, TEXTOID, JSONBARRAYOID, JSONBARRAYOID};

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
	w->plan = saved_plan;
	w->batchcxt = AllocSetContextCreate(CurrentMemoryContext, "isms.log_change batch",
										ALLOCSET_DEFAULT_SIZES);
}

static void
writer_flush(LogWriter *w)
{
	int			i;

	if (w->n == 0)
		return;
	if (w->direct)
	{
		MemoryContext old;

		old = MemoryContextSwitchTo(GetPerTupleMemoryContext(w->estate));
		/*
		 * No BulkInsertState: its ring of buffers would make the statement
		 * write out the log's pages itself; like an INSERT's, they stay in
		 * shared buffers for the background writer.
		 */
		table_multi_insert(w->rel, w->slots, w->n, w->cid, 0, NULL);
		MemoryContextSwitchTo(old);
		for (i = 0; i < w->n; i++)
		{
			if (w->rri->ri_NumIndices > 0)
			{
				List	   *recheck;

				ResetPerTupleExprContext(w->estate);
#if PG_VERSION_NUM >= 160000
				recheck = ExecInsertIndexTuples(w->rri, w->slots[i], w->estate, false, false, NULL, NIL, false);
#elif PG_VERSION_NUM >= 140000
				recheck = ExecInsertIndexTuples(w->rri, w->slots[i], w->estate, false, false, NULL, NIL);
#else
				recheck = ExecInsertIndexTuples(w->slots[i], w->estate, false, NULL, NIL);
#endif
				list_free(recheck);
			}
			ExecClearTuple(w->slots[i]);
		}
		ResetPerTupleExprContext(w->estate);
	}
	else
	{
		char		nulls[5] = {' ', ' ', ' ', 'n', 'n'};
		Datum		args[5];
		MemoryContext old = MemoryContextSwitchTo(w->batchcxt);
		int			rc;

		args[0] = w->actor;
		args[1] = w->table;
		args[2] = w->op;
		args[3] = args[4] = (Datum) 0;
		if (w->has_old)
		{
			args[3] = PointerGetDatum(construct_array(w->old_rows, w->n, JSONBOID, -1, false, TYPALIGN_INT));
			nulls[3] = ' ';
		}
		if (w->has_new)
		{
			args[4] = PointerGetDatum(construct_array(w->new_rows, w->n, JSONBOID, -1, false, TYPALIGN_INT));
			nulls[4] = ' ';
		}
		MemoryContextSwitchTo(old);
		rc = SPI_execute_plan(w->plan, args, nulls, false, 0);
		if (rc != SPI_OK_INSERT)
			elog(ERROR, "writing isms.change_log failed: %s", SPI_result_code_string(rc));
		MemoryContextReset(w->batchcxt);
	}
	w->n = 0;
	w->bytes = 0;
}

/* The jsonb of a row, or NULL without one; the result lives until the next call. */
static Jsonb *
encode_slot(RowEncoder *enc, TupleTableSlot *slot)
{
	if (slot == NULL)
		return NULL;
	slot_getallattrs(slot);
	return encoder_row(enc, slot->tts_values, slot->tts_isnull);
}

/* Append one change (old and/or new tuple in the slots) to the batch. */
static void
writer_add(LogWriter *w, RowEncoder *olde, RowEncoder *newe,
		   TupleTableSlot *oldslot, TupleTableSlot *newslot)
{
	MemoryContext old;
	Jsonb	   *oldjb;
	Jsonb	   *newjb;

	/* A batch's slots live as long as the writer. */
	if (w->direct && w->slots[w->n] == NULL)
		w->slots[w->n] = table_slot_create(w->rel, NULL);
	old = MemoryContextSwitchTo(w->cxt);
	oldjb = encode_slot(olde, oldslot);
	if (w->direct)
	{
		TupleTableSlot *slot = w->slots[w->n];
		TupleDesc	desc = RelationGetDescr(w->rel);
		ExprContext *econtext;
		int			i;

		ExecClearTuple(slot);
		/* Defaults first (nextval), in column order, as INSERT does. */
		ResetPerTupleExprContext(w->estate);
		econtext = GetPerTupleExprContext(w->estate);
		for (i = 0; i < desc->natts; i++)
		{
			slot->tts_isnull[i] = false;
			switch (w->defkind[i])
			{
				case DEFAULT_NULL:
					slot->tts_values[i] = (Datum) 0;
					slot->tts_isnull[i] = true;
					break;
				case DEFAULT_EXPR:
					slot->tts_values[i] = ExecEvalExpr(w->defaults[i], econtext, &slot->tts_isnull[i]);
					break;
				case DEFAULT_ONCE:
					slot->tts_values[i] = w->defvalue[i];
					break;
				case DEFAULT_NEXTVAL:
					slot->tts_values[i] = Int64GetDatum(nextval_internal(DatumGetObjectId(w->defvalue[i]), false));
					break;
			}
		}
		slot->tts_values[w->att_actor - 1] = w->actor;
		slot->tts_isnull[w->att_actor - 1] = false;
		slot->tts_values[w->att_table - 1] = w->table;
		slot->tts_isnull[w->att_table - 1] = false;
		slot->tts_values[w->att_op - 1] = w->op;
		slot->tts_isnull[w->att_op - 1] = false;
		newjb = encode_slot(newe, newslot);
		if (oldjb != NULL)
		{
			slot->tts_values[w->att_old - 1] = JsonbPGetDatum(oldjb);
			slot->tts_isnull[w->att_old - 1] = false;
		}
		if (newjb != NULL)
		{
			slot->tts_values[w->att_new - 1] = JsonbPGetDatum(newjb);
			slot->tts_isnull[w->att_new - 1] = false;
		}
		ExecStoreVirtualTuple(slot);
		/* Copies the row into the slot, so the encoders' buffers are free again. */
		ExecMaterializeSlot(slot);
		w->bytes += (oldjb ? VARSIZE(oldjb) : 0) + (newjb ? VARSIZE(newjb) : 0);
	}
	else
	{
		newjb = encode_slot(newe, newslot);
		MemoryContextSwitchTo(w->batchcxt);
		if (oldjb != NULL)
			w->old_rows[w->n] = PointerGetDatum(pg_detoast_datum_copy((struct varlena *) oldjb));
		if (newjb != NULL)
			w->new_rows[w->n] = PointerGetDatum(pg_detoast_datum_copy((struct varlena *) newjb));
		w->bytes += (oldjb ? VARSIZE(oldjb) : 0) + (newjb ? VARSIZE(newjb) : 0);
	}
	MemoryContextSwitchTo(old);
	MemoryContextReset(w->cxt);
	w->n++;
	if (w->n == LOG_BATCH || w->bytes >= LOG_BATCH_BYTES)
		writer_flush(w);
}

static void
writer_close(LogWriter *w)
{
	int			i;

	writer_flush(w);
	if (w->direct)
	{
		for (i = 0; i < LOG_BATCH && w->slots[i] != NULL; i++)
			ExecDropSingleTupleTableSlot(w->slots[i]);
		ExecCloseIndices(w->rri);
		table_finish_bulk_insert(w->rel, 0);
		FreeExecutorState(w->estate);
		table_close(w->rel, NoLock);
	}
	else
		SPI_finish();
	MemoryContextDelete(w->cxt);
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
	Oid			save_userid;
	int			save_sec;
	Oid			logrel;
	Oid			owner;
	RowEncoder	olde;
	RowEncoder	newe;
	LogWriter  *w;
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

	w = palloc0(sizeof(LogWriter));
	/*
	 * Who changed it: the session's role (after SET ROLE), not the role the
	 * statement runs as.  A cascade runs as the referencing table's owner,
	 * and from PostgreSQL 18 its AFTER triggers run as that owner too (they
	 * fire as the role active when queued), which would log the owner; the
	 * outer role is the same on every major.
	 */
	w->actor = CStringGetTextDatum(GetUserNameFromId(GetOuterUserId(), false));
	w->table = CStringGetTextDatum(quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
															  RelationGetRelationName(rel)));
	w->op = CStringGetTextDatum(op);
	w->has_old = !TRIGGER_FIRED_BY_INSERT(td->tg_event);
	w->has_new = !TRIGGER_FIRED_BY_DELETE(td->tg_event);
	/* One encoder per side: the old row's jsonb must survive encoding the new one. */
	if (w->has_old)
		encoder_init(&olde, desc);
	if (w->has_new)
		encoder_init(&newe, desc);

	/* The slots the changed rows are read into, in this function's context. */
	if (TRIGGER_FIRED_FOR_ROW(td->tg_event))
	{
		if (w->has_old)
		{
			oldslot = MakeSingleTupleTableSlot(desc, &TTSOpsHeapTuple);
			ExecStoreHeapTuple(td->tg_trigtuple, oldslot, false);
		}
		if (w->has_new)
		{
			newslot = MakeSingleTupleTableSlot(desc, &TTSOpsHeapTuple);
			ExecStoreHeapTuple(TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple,
							   newslot, false);
		}
	}
	else
	{
		/* A statement that changed no row may leave a table unmade. */
		if (w->has_old && td->tg_oldtable != NULL)
			oldslot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
		if (w->has_new && td->tg_newtable != NULL)
			newslot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	}

	logrel = change_log_relid(&owner);
	GetUserIdAndSecContext(&save_userid, &save_sec);
	SetUserIdAndSecContext(owner, save_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
	writer_open(w, logrel);

	if (TRIGGER_FIRED_FOR_ROW(td->tg_event))
		writer_add(w, &olde, &newe, oldslot, newslot);
	else
	{
		/*
		 * For UPDATE the old and new transition tables are filled in
		 * lockstep (one old and one new tuple per updated row, in the same
		 * order), so reading both side by side pairs each old row with its
		 * new row.
		 */
		Tuplestorestate *oldts = oldslot != NULL ? td->tg_oldtable : NULL;
		Tuplestorestate *newts = newslot != NULL ? td->tg_newtable : NULL;

		if (oldts != NULL)
			open_store(oldts);
		if (newts != NULL)
			open_store(newts);
		for (;;)
		{
			bool		more_old = oldts != NULL && tuplestore_gettupleslot(oldts, true, false, oldslot);
			bool		more_new = newts != NULL && tuplestore_gettupleslot(newts, true, false, newslot);

			CHECK_FOR_INTERRUPTS();
			if (!more_old && !more_new)
				break;
			if ((w->has_old && !more_old) || (w->has_new && !more_new))
				elog(ERROR, "transition tables of trigger \"%s\" differ in length", trig->tgname);
			writer_add(w, &olde, &newe, oldslot, newslot);
		}
	}
	writer_close(w);
	if (oldslot != NULL)
		ExecDropSingleTupleTableSlot(oldslot);
	if (newslot != NULL)
		ExecDropSingleTupleTableSlot(newslot);
	SetUserIdAndSecContext(save_userid, save_sec);

	return PointerGetDatum(NULL);
}
