/*
 * change_log.c: isms.log_change(), the generic trigger that appends every
 * insert, update and delete of a table to the append-only, hash-chained
 * isms.change_log, recording the role that made the change while writing
 * as the log's owner; and the row encoder that makes its jsonb.
 */
#include "change_log.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/transam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_sequence.h"
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
#include "utils/xid8.h"


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

/*
 * Pad the row to a 4-byte boundary (numerics and containers need it) with
 * zero bytes, as jsonb's own conversion does: the result must be the very
 * bytes jsonb_in gives for the same value, or an entry's hash would change
 * when a dump carries its rows through text.
 */
static inline int
pad_to_int(StringInfo buf)
{
	static const char zeros[4] = {0, 0, 0, 0};
	int			pad = INTALIGN(buf->len) - buf->len;

	if (pad > 0)
		appendBinaryStringInfo(buf, zeros, pad);
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
	return int64_to_numeric(v);
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

const char *const isms_log_column_name[LC_NCOLS] = {
	"id", "logged_at", "txid", "actor", "table_name", "op", "old_row", "new_row", "prev_hash", "entry_hash"
};

/*
 * Where the entries of one statement go.  The trigger fills every column
 * the hash covers itself (the id from the sequence of the id column's
 * default, the time and transaction that now() and pg_current_xact_id()
 * give), so the hash is computed before the entry is written.  The
 * entries go straight into the heap (change_log_heap.c), or, when
 * isms.change_log has something only a real INSERT honours, through SPI.
 */
typedef struct LogWriter
{
	Datum		actor;
	Datum		table;
	Datum		op;
	bool		has_old;
	bool		has_new;
	TimestampTz logged_at;
	uint64		txid;
	Oid			seq;			/* the sequence of isms.change_log.id */
	MemoryContext cxt;			/* per-entry scratch, reset per entry */
	Relation	rel;
	LogHeapWriter *heap;		/* NULL: through SPI */
	/* through SPI: one INSERT ... SELECT per batch, as the heap path batches */
	SPIPlanPtr	plan;
	MemoryContext batchcxt;		/* the batch's copies */
	int			n;
	Size		bytes;
	Datum		ids[ISMS_LOG_BATCH];
	Datum		old_rows[ISMS_LOG_BATCH];
	Datum		new_rows[ISMS_LOG_BATCH];
	Datum		prevs[ISMS_LOG_BATCH];
	Datum		hashes[ISMS_LOG_BATCH];
	/* the chain */
	bool		chained;		/* false for a log of 0.1.0, without hash columns */
	ChainHasher hasher;
	bool		locked;
	uint8		prev[ISMS_CHAIN_HASH_LEN];
	int64		last_id;
	int64		added;
	int64		next_id;		/* the ids reserved for this writer: next_id, */
	int64		ids_left;		/* and ids_left more after it */
} LogWriter;

static SPIPlanPtr saved_plan[2] = {NULL, NULL};	/* unchained, chained */

/* The sequence the id column's default draws from: nextval(regclass constant). */
static Oid
id_sequence(Relation rel, AttrNumber attnum)
{
	Node	   *def = build_column_default(rel, attnum);
	FuncExpr   *f = (def != NULL && IsA(def, FuncExpr)) ? (FuncExpr *) def : NULL;
	Oid			seq;
	HeapTuple	tup;
	int64		cache;

	if (f == NULL || f->funcid != F_NEXTVAL || list_length(f->args) != 1 ||
		!IsA(linitial(f->args), Const) || ((Const *) linitial(f->args))->constisnull)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("column id of isms.change_log must default to nextval() of a sequence")));
	seq = DatumGetObjectId(((Const *) linitial(f->args))->constvalue);

	/*
	 * The chain runs in id order, and appends are serialised by the head's
	 * lock: ids drawn under the lock are in chain order only when no
	 * session holds a cache of them.
	 */
	tup = SearchSysCache1(SEQRELID, ObjectIdGetDatum(seq));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for sequence %u", seq);
	cache = ((Form_pg_sequence) GETSTRUCT(tup))->seqcache;
	ReleaseSysCache(tup);
	if (cache != 1)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("sequence %s of isms.change_log.id caches %lld values", get_rel_name(seq), (long long) cache),
				 errdetail("The hash chain follows id order, so ids must be drawn in the order entries are appended."),
				 errhint("ALTER SEQUENCE %s CACHE 1", get_rel_name(seq))));
	return seq;
}

static void
writer_open(LogWriter *w, Oid relid)
{
	AttrNumber	attnums[LC_NCOLS];
	AclResult	aclresult;
	int			i;

	w->cxt = AllocSetContextCreate(CurrentMemoryContext, "isms.log_change row",
								   ALLOCSET_DEFAULT_SIZES);
	w->rel = table_open(relid, RowExclusiveLock);
	for (i = 0; i < LC_NCOLS; i++)
		attnums[i] = attnameAttNum(w->rel, isms_log_column_name[i], false);
	/*
	 * A log without the two hash columns is that of version 0.1.0, still
	 * in use between installing this module and ALTER EXTENSION ... UPDATE:
	 * its entries are written unchained (the update chains them).
	 */
	w->chained = attnums[LC_PREV] != InvalidAttrNumber || attnums[LC_HASH] != InvalidAttrNumber;
	for (i = 0; i < LC_NCOLS; i++)
		if (attnums[i] == InvalidAttrNumber && (w->chained || (i != LC_PREV && i != LC_HASH)))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" of isms.change_log does not exist", isms_log_column_name[i])));
	/* The checks INSERT and nextval() make, here once per statement. */
	aclresult = pg_class_aclcheck(relid, GetUserId(), ACL_INSERT);
	if (aclresult != ACLCHECK_OK)
		aclcheck_error(aclresult, OBJECT_TABLE, RelationGetRelationName(w->rel));
	w->seq = id_sequence(w->rel, attnums[LC_ID]);
	aclresult = pg_class_aclcheck(w->seq, GetUserId(), ACL_USAGE | ACL_UPDATE);
	if (aclresult != ACLCHECK_OK)
		aclcheck_error(aclresult, OBJECT_SEQUENCE, get_rel_name(w->seq));
	chain_writer_enter();
	w->logged_at = GetCurrentTransactionStartTimestamp();
	w->txid = U64FromFullTransactionId(GetTopFullTransactionId());
	chain_hasher_init(&w->hasher);

	w->heap = log_heap_open(w->rel, attnums);
	if (w->heap != NULL)
		return;
	if (saved_plan[w->chained] == NULL)
	{
		SPIPlanPtr	plan;
		Oid			argtypes[10] = {INT8ARRAYOID, TIMESTAMPTZOID, XID8OID, TEXTOID, TEXTOID, TEXTOID,
		JSONBARRAYOID, JSONBARRAYOID, BYTEAARRAYOID, BYTEAARRAYOID};

		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		/* Rows come out of ROWS FROM in array order; a NULL array (no old or no new rows) gives NULLs. */
		if (w->chained)
			plan = SPI_prepare("INSERT INTO isms.change_log (id, logged_at, txid, actor, table_name, op, "
							   "old_row, new_row, prev_hash, entry_hash) "
							   "SELECT u.i, $2, $3, $4, $5, $6, u.o, u.n, u.p, u.h "
							   "FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($7), pg_catalog.unnest($8), "
							   "pg_catalog.unnest($9), pg_catalog.unnest($10)) AS u(i, o, n, p, h)",
							   10, argtypes);
		else
			plan = SPI_prepare("INSERT INTO isms.change_log (id, logged_at, txid, actor, table_name, op, "
							   "old_row, new_row) "
							   "SELECT u.i, $2, $3, $4, $5, $6, u.o, u.n "
							   "FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($7), pg_catalog.unnest($8)) "
							   "AS u(i, o, n)",
							   8, argtypes);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "SPI_keepplan failed");
		SPI_finish();
		saved_plan[w->chained] = plan;
	}
	w->batchcxt = AllocSetContextCreate(CurrentMemoryContext, "isms.log_change batch",
										ALLOCSET_DEFAULT_SIZES);
	w->plan = saved_plan[w->chained];
}

/* The SPI path's batch, as one INSERT ... SELECT. */
static void
writer_flush_spi(LogWriter *w)
{
	char		nulls[10] = {' ', ' ', ' ', ' ', ' ', ' ', 'n', 'n', ' ', ' '};
	Datum		args[10];
	MemoryContext old;
	int			rc;

	if (w->n == 0)
		return;
	old = MemoryContextSwitchTo(w->batchcxt);
	args[0] = PointerGetDatum(construct_array(w->ids, w->n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[1] = TimestampTzGetDatum(w->logged_at);
	args[2] = FullTransactionIdGetDatum(FullTransactionIdFromU64(w->txid));
	args[3] = w->actor;
	args[4] = w->table;
	args[5] = w->op;
	args[6] = args[7] = args[8] = args[9] = (Datum) 0;
	if (w->has_old)
	{
		args[6] = PointerGetDatum(construct_array(w->old_rows, w->n, JSONBOID, -1, false, TYPALIGN_INT));
		nulls[6] = ' ';
	}
	if (w->has_new)
	{
		args[7] = PointerGetDatum(construct_array(w->new_rows, w->n, JSONBOID, -1, false, TYPALIGN_INT));
		nulls[7] = ' ';
	}
	if (w->chained)
	{
		args[8] = PointerGetDatum(construct_array(w->prevs, w->n, BYTEAOID, -1, false, TYPALIGN_INT));
		args[9] = PointerGetDatum(construct_array(w->hashes, w->n, BYTEAOID, -1, false, TYPALIGN_INT));
	}
	MemoryContextSwitchTo(old);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	rc = SPI_execute_plan(w->plan, args, nulls, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "writing isms.change_log failed: %s", SPI_result_code_string(rc));
	SPI_finish();
	MemoryContextReset(w->batchcxt);
	w->n = 0;
	w->bytes = 0;
}

static inline Datum
hash_datum(const uint8 *hash)
{
	bytea	   *b = palloc(VARHDRSZ + ISMS_CHAIN_HASH_LEN);

	SET_VARSIZE(b, VARHDRSZ + ISMS_CHAIN_HASH_LEN);
	memcpy(VARDATA(b), hash, ISMS_CHAIN_HASH_LEN);
	return PointerGetDatum(b);
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

/* Append one change (old and/or new tuple in the slots) to the log. */
/*
 * The id of the next entry.  A chained writer holds the chain's head, so
 * no other writer draws ids until it commits: it takes them from the
 * sequence in blocks (one nextval and one setval, the block doubling with
 * the entries written up to ISMS_LOG_ID_BLOCK), which keeps the ids in
 * chain order at two sequence calls per block instead of one per entry.
 * Ids a statement leaves unused are a gap, as a rolled-back nextval leaves
 * one.  The unchained log of 0.1.0 has no such lock: one nextval per entry.
 */
static int64
next_log_id(LogWriter *w)
{
	if (!w->chained)
		return nextval_internal(w->seq, false);
	if (w->ids_left == 0)
	{
		int64		block = Min(Max(w->added, 1), ISMS_LOG_ID_BLOCK);

		w->next_id = nextval_internal(w->seq, false);
		if (block > 1)
			(void) DirectFunctionCall2(setval_oid, ObjectIdGetDatum(w->seq),
									   Int64GetDatum(w->next_id + block - 1));
		w->ids_left = block;
	}
	w->ids_left--;
	return w->next_id++;
}

static void
writer_add(LogWriter *w, RowEncoder *olde, RowEncoder *newe,
		   TupleTableSlot *oldslot, TupleTableSlot *newslot)
{
	MemoryContext old;
	Jsonb	   *oldjb;
	Jsonb	   *newjb;
	Datum		values[LC_NCOLS];
	bool		isnull[LC_NCOLS];
	uint8		hash[ISMS_CHAIN_HASH_LEN];
	int64		id;

	/* The chain's head is locked before the first id is drawn. */
	if (w->chained && !w->locked)
	{
		chain_head_lock(w->prev);
		w->locked = true;
	}
	old = MemoryContextSwitchTo(w->cxt);
	oldjb = encode_slot(olde, oldslot);
	newjb = encode_slot(newe, newslot);
	id = next_log_id(w);
	if (w->chained)
		chain_hash(&w->hasher, w->prev, id, w->logged_at, w->txid,
				   DatumGetTextPP(w->actor), DatumGetTextPP(w->table), DatumGetTextPP(w->op),
				   oldjb, newjb, hash);

	memset(isnull, 0, sizeof(isnull));
	values[LC_ID] = Int64GetDatum(id);
	values[LC_LOGGED_AT] = TimestampTzGetDatum(w->logged_at);
	values[LC_TXID] = FullTransactionIdGetDatum(FullTransactionIdFromU64(w->txid));
	values[LC_ACTOR] = w->actor;
	values[LC_TABLE] = w->table;
	values[LC_OP] = w->op;
	values[LC_OLD] = PointerGetDatum(oldjb);
	isnull[LC_OLD] = oldjb == NULL;
	values[LC_NEW] = PointerGetDatum(newjb);
	isnull[LC_NEW] = newjb == NULL;
	values[LC_PREV] = values[LC_HASH] = (Datum) 0;
	isnull[LC_PREV] = isnull[LC_HASH] = !w->chained;
	if (w->chained)
	{
		values[LC_PREV] = hash_datum(w->prev);
		values[LC_HASH] = hash_datum(hash);
	}

	if (w->heap != NULL)
		log_heap_add(w->heap, values, isnull,
					 (oldjb ? VARSIZE(oldjb) : 0) + (newjb ? VARSIZE(newjb) : 0));
	else
	{
		MemoryContextSwitchTo(w->batchcxt);
		w->ids[w->n] = values[LC_ID];
		if (oldjb != NULL)
			w->old_rows[w->n] = PointerGetDatum(pg_detoast_datum_copy((struct varlena *) oldjb));
		if (newjb != NULL)
			w->new_rows[w->n] = PointerGetDatum(pg_detoast_datum_copy((struct varlena *) newjb));
		if (w->chained)
		{
			w->prevs[w->n] = hash_datum(w->prev);
			w->hashes[w->n] = hash_datum(hash);
		}
		w->n++;
		w->bytes += (oldjb ? VARSIZE(oldjb) : 0) + (newjb ? VARSIZE(newjb) : 0);
		if (w->n == ISMS_LOG_BATCH || w->bytes >= ISMS_LOG_BATCH_BYTES)
			writer_flush_spi(w);
	}
	MemoryContextSwitchTo(old);
	MemoryContextReset(w->cxt);
	memcpy(w->prev, hash, ISMS_CHAIN_HASH_LEN);
	w->last_id = id;
	w->added++;
}

static void
writer_close(LogWriter *w)
{
	if (w->heap != NULL)
		log_heap_close(w->heap);
	else
	{
		writer_flush_spi(w);
		MemoryContextDelete(w->batchcxt);
	}
	if (w->chained && w->added > 0)
		chain_head_store(w->last_id, w->prev, w->added);
	chain_hasher_free(&w->hasher);
	chain_writer_exit();
	table_close(w->rel, NoLock);
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

	if (TRIGGER_FIRED_BY_INSERT(td->tg_event) && isms_restore_in_progress())
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
