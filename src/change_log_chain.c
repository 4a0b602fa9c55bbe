/*
 * change_log_chain.c: the hash chain of isms.change_log.  Each entry's
 * entry_hash is the SHA-256 (PostgreSQL's pg_cryptohash) of a fixed byte
 * layout of its content and of prev_hash, the entry_hash of the entry
 * before it; isms.change_log_head holds the last hash and is the lock that
 * keeps two sessions from appending after the same entry.
 */
#include "change_log.h"

#include "access/transam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "port/pg_bswap.h"
#include "utils/builtins.h"
#include "utils/xid8.h"

/* Version of the byte layout below; part of every hash. */
#define CHAIN_LAYOUT_VERSION 1
#define CHAIN_NULL_FIELD 0xFFFFFFFF

void
chain_hasher_init(ChainHasher *h)
{
	h->ctx = pg_cryptohash_create(PG_SHA256);
	if (h->ctx == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));
	initStringInfo(&h->buf);
}

void
chain_hasher_free(ChainHasher *h)
{
	if (h->ctx != NULL)
		pg_cryptohash_free(h->ctx);
	h->ctx = NULL;
	if (h->buf.data != NULL)
		pfree(h->buf.data);
	h->buf.data = NULL;
}

static inline void
put_u64(StringInfo buf, uint64 v)
{
	uint64		be = pg_hton64(v);

	appendBinaryStringInfo(buf, (char *) &be, sizeof(be));
}

static inline void
put_u32(StringInfo buf, uint32 v)
{
	uint32		be = pg_hton32(v);

	appendBinaryStringInfo(buf, (char *) &be, sizeof(be));
}

/* A field: its length (4 bytes, big-endian; all ones for NULL), then its bytes. */
static inline void
put_field(StringInfo buf, const char *data, Size len, bool isnull)
{
	if (isnull)
	{
		put_u32(buf, CHAIN_NULL_FIELD);
		return;
	}
	if (len >= CHAIN_NULL_FIELD)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("change log field of %zu bytes is too long to hash", len)));
	put_u32(buf, (uint32) len);
	appendBinaryStringInfo(buf, data, len);
}

/*
 * The entry hash: SHA-256 of
 *   version (1 byte) | prev_hash (32) | id | logged_at (microseconds since
 *   2000-01-01 UTC) | txid  (each 8 bytes, big-endian) | actor | table_name
 *   | op | old_row | new_row  (each a field as put_field writes it; the
 *   jsonb values as their binary, the format PostgreSQL keeps on disk).
 * Fixed widths and length prefixes make the layout unambiguous: no two
 * different entries give the same bytes.
 */
void
chain_hash(ChainHasher *h, const uint8 *prev, int64 id, TimestampTz logged_at,
		   uint64 txid, text *actor, text *table_name, text *op,
		   Jsonb *old_row, Jsonb *new_row, uint8 *out)
{
	StringInfo	buf = &h->buf;

	resetStringInfo(buf);
	appendStringInfoChar(buf, (char) CHAIN_LAYOUT_VERSION);
	appendBinaryStringInfo(buf, (const char *) prev, ISMS_CHAIN_HASH_LEN);
	put_u64(buf, (uint64) id);
	put_u64(buf, (uint64) logged_at);
	put_u64(buf, txid);
	put_field(buf, VARDATA_ANY(actor), VARSIZE_ANY_EXHDR(actor), false);
	put_field(buf, VARDATA_ANY(table_name), VARSIZE_ANY_EXHDR(table_name), false);
	put_field(buf, VARDATA_ANY(op), VARSIZE_ANY_EXHDR(op), false);
	put_field(buf, old_row ? VARDATA_ANY(old_row) : NULL, old_row ? VARSIZE_ANY_EXHDR(old_row) : 0, old_row == NULL);
	put_field(buf, new_row ? VARDATA_ANY(new_row) : NULL, new_row ? VARSIZE_ANY_EXHDR(new_row) : 0, new_row == NULL);

	if (pg_cryptohash_init(h->ctx) < 0 ||
		pg_cryptohash_update(h->ctx, (const uint8 *) buf->data, buf->len) < 0 ||
		pg_cryptohash_final(h->ctx, out, ISMS_CHAIN_HASH_LEN) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not compute the SHA-256 of a change log entry: %s",
						pg_cryptohash_error(h->ctx))));
}

/* A bytea argument that must be a hash. */
static const uint8 *
hash_arg(bytea *b, const char *what)
{
	if (VARSIZE_ANY_EXHDR(b) != ISMS_CHAIN_HASH_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a SHA-256 hash of %d bytes, not %zu bytes",
						what, ISMS_CHAIN_HASH_LEN, (Size) VARSIZE_ANY_EXHDR(b))));
	return (const uint8 *) VARDATA_ANY(b);
}

/*
 * isms.change_log_entry_hash(prev_hash, id, logged_at, txid, actor,
 * table_name, op, old_row, new_row): the hash the trigger gives an entry
 * with that content, for isms.verify_change_log() and for auditors who
 * check entries themselves.
 */
PG_FUNCTION_INFO_V1(isms_change_log_entry_hash);
Datum
isms_change_log_entry_hash(PG_FUNCTION_ARGS)
{
	static const char *const names[7] = {"prev_hash", "id", "logged_at", "txid", "actor", "table_name", "op"};
	ChainHasher h;
	uint8		out[ISMS_CHAIN_HASH_LEN];
	bytea	   *result;
	int			i;

	for (i = 0; i < 7; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s of a change log entry must not be null", names[i])));
	chain_hasher_init(&h);
	chain_hash(&h, hash_arg(PG_GETARG_BYTEA_PP(0), "prev_hash"), PG_GETARG_INT64(1),
			   PG_GETARG_TIMESTAMPTZ(2), U64FromFullTransactionId(PG_GETARG_FULLTRANSACTIONID(3)),
			   PG_GETARG_TEXT_PP(4), PG_GETARG_TEXT_PP(5), PG_GETARG_TEXT_PP(6),
			   PG_ARGISNULL(7) ? NULL : PG_GETARG_JSONB_P(7),
			   PG_ARGISNULL(8) ? NULL : PG_GETARG_JSONB_P(8), out);
	chain_hasher_free(&h);
	result = palloc(VARHDRSZ + ISMS_CHAIN_HASH_LEN);
	SET_VARSIZE(result, VARHDRSZ + ISMS_CHAIN_HASH_LEN);
	memcpy(VARDATA(result), out, ISMS_CHAIN_HASH_LEN);
	PG_RETURN_BYTEA_P(result);
}

static SPIPlanPtr head_lock_plan = NULL;
static SPIPlanPtr head_start_plan = NULL;
static SPIPlanPtr head_store_plan = NULL;
static SPIPlanPtr log_empty_plan = NULL;

static SPIPlanPtr
keep_plan(SPIPlanPtr *slot, const char *sql, int nargs, Oid *argtypes)
{
	if (*slot == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(sql, nargs, argtypes);

		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql, SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "SPI_keepplan failed");
		*slot = plan;
	}
	return *slot;
}

/*
 * The chain's head as this transaction sees it.  The head row is locked at
 * a transaction's first entry and held to its end, so while the lock is
 * held no other session can append: the head is kept here and written to
 * isms.change_log_head once, just before commit (a head row updated once
 * per entry would grow a version chain that every later update of the
 * transaction walks).  A rolled-back subtransaction takes its entries with
 * it, so the state before its first entry is saved, and restored when it
 * aborts.
 */
typedef struct ChainState
{
	bool		locked;
	uint8		hash[ISMS_CHAIN_HASH_LEN];
	int64		last_id;
	int64		pending;		/* entries not yet counted in the head row */
	Oid			owner;			/* who writes the head row */
} ChainState;

typedef struct ChainSave
{
	SubTransactionId subid;
	ChainState	state;
} ChainSave;

static ChainState chain;
static List *chain_saves = NIL;	/* in TopTransactionContext, subid ascending */
static bool chain_callbacks = false;
static bool chain_writing = false;	/* a statement's entries are being written */
static SubTransactionId chain_writing_subid;	/* ... in this subtransaction */

static void chain_xact_callback(XactEvent event, void *arg);
static void chain_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
								   SubTransactionId parentSubid, void *arg);

static void
chain_register(void)
{
	if (!chain_callbacks)
	{
		RegisterXactCallback(chain_xact_callback, NULL);
		RegisterSubXactCallback(chain_subxact_callback, NULL);
		chain_callbacks = true;
	}
}

/*
 * One statement's entries at a time: a trigger on isms.change_log that
 * changed a logged table would otherwise append in the middle of another
 * statement's entries, after a head that is about to move.
 */
void
chain_writer_enter(void)
{
	chain_register();
	if (chain_writing)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("isms.log_change() cannot log a change made while it writes isms.change_log"),
				 errdetail("A trigger on isms.change_log changed a logged table.")));
	chain_writing = true;
	chain_writing_subid = GetCurrentSubTransactionId();
}

void
chain_writer_exit(void)
{
	chain_writing = false;
}

static void chain_head_write(void);

static void
chain_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
		case XACT_EVENT_PRE_PREPARE:
			if (chain.locked && chain.pending > 0)
				chain_head_write();
			break;
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PREPARE:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PARALLEL_ABORT:
			memset(&chain, 0, sizeof(chain));
			chain_saves = NIL;
			chain_writing = false;
			break;
		default:
			break;
	}
}

static void
chain_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
					   SubTransactionId parentSubid, void *arg)
{
	ChainSave  *restore = NULL;

	if (event != SUBXACT_EVENT_ABORT_SUB)
		return;
	if (chain_writing && chain_writing_subid >= mySubid)
		chain_writing = false;
	/* Subtransaction ids grow: the saves of mySubid and its children are last. */
	while (chain_saves != NIL && ((ChainSave *) llast(chain_saves))->subid >= mySubid)
	{
		restore = (ChainSave *) llast(chain_saves);
		chain_saves = list_delete_last(chain_saves);
	}
	if (restore != NULL)
		chain = restore->state;
}

/* Before the state changes: save it once per subtransaction. */
static void
chain_save(void)
{
	SubTransactionId sub = GetCurrentSubTransactionId();
	MemoryContext old;
	ChainSave  *save;

	chain_register();
	if (sub == TopSubTransactionId ||
		(chain_saves != NIL && ((ChainSave *) llast(chain_saves))->subid == sub))
		return;
	old = MemoryContextSwitchTo(TopTransactionContext);
	save = palloc(sizeof(ChainSave));
	save->subid = sub;
	save->state = chain;
	chain_saves = lappend(chain_saves, save);
	MemoryContextSwitchTo(old);
}

/*
 * The hash the next entry chains to.  At a transaction's first entry the
 * head row is locked until the end of the transaction and read.  Every
 * append of every session goes through this row lock, so appends are
 * serialised from a transaction's first logged change to its commit and
 * the chain cannot fork; under READ COMMITTED a waiting session reads the
 * head the other one committed, under REPEATABLE READ and SERIALIZABLE it
 * gets a serialization failure (40001) instead of an old head.  The head
 * row does not exist before the first entry (so a restore loads the dumped
 * one without a key conflict); it is made then, but never for a log that
 * already has entries: that is a head deleted by hand, and appending after
 * the genesis hash would fork the chain.  Called as the log's owner.
 */
void
chain_head_lock(uint8 *last_hash)
{
	int			rc;
	int			attempt;

	if (chain.locked)
	{
		memcpy(last_hash, chain.hash, ISMS_CHAIN_HASH_LEN);
		return;
	}
	chain_save();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	for (attempt = 0;; attempt++)
	{
		rc = SPI_execute_plan(keep_plan(&head_lock_plan,
										"SELECT last_hash, last_id, entries FROM isms.change_log_head WHERE singleton FOR UPDATE",
										0, NULL),
							  NULL, NULL, false, 1);
		if (rc != SPI_OK_SELECT)
			elog(ERROR, "locking isms.change_log_head failed: %s", SPI_result_code_string(rc));
		if (SPI_processed == 1)
			break;
		if (attempt > 0)
			elog(ERROR, "isms.change_log_head has no row after it was made");
		rc = SPI_execute_plan(keep_plan(&log_empty_plan,
										"SELECT 1 FROM isms.change_log LIMIT 1", 0, NULL),
							  NULL, NULL, false, 1);
		if (rc != SPI_OK_SELECT)
			elog(ERROR, "reading isms.change_log failed: %s", SPI_result_code_string(rc));
		if (SPI_processed > 0)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("isms.change_log has entries but its chain head isms.change_log_head is missing"),
					 errhint("Someone deleted the head row; isms.verify_change_log() shows whether the entries are intact.")));
		rc = SPI_execute_plan(keep_plan(&head_start_plan,
										"INSERT INTO isms.change_log_head (singleton, last_id, last_hash, entries) "
										"VALUES (true, NULL, pg_catalog.decode(pg_catalog.repeat('00', 32), 'hex'), 0) "
										"ON CONFLICT (singleton) DO NOTHING",
										0, NULL),
							  NULL, NULL, false, 0);
		if (rc != SPI_OK_INSERT)
			elog(ERROR, "starting isms.change_log_head failed: %s", SPI_result_code_string(rc));
	}
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		bytea	   *b;

		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("the last hash of isms.change_log_head is null")));
		b = DatumGetByteaPP(d);
		if (VARSIZE_ANY_EXHDR(b) != ISMS_CHAIN_HASH_LEN)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("the last hash of isms.change_log_head has %zu bytes, not %d",
							(Size) VARSIZE_ANY_EXHDR(b), ISMS_CHAIN_HASH_LEN)));
		memcpy(chain.hash, VARDATA_ANY(b), ISMS_CHAIN_HASH_LEN);
		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
		chain.last_id = isnull ? 0 : DatumGetInt64(d);
	}
	SPI_finish();
	chain.locked = true;
	chain.pending = 0;
	chain.owner = GetUserId();
	memcpy(last_hash, chain.hash, ISMS_CHAIN_HASH_LEN);
}

/* A statement's entries are in: the head moves on (written before commit). */
void
chain_head_store(int64 last_id, const uint8 *last_hash, int64 added)
{
	Assert(chain.locked);
	chain_save();
	memcpy(chain.hash, last_hash, ISMS_CHAIN_HASH_LEN);
	chain.last_id = last_id;
	chain.pending += added;
}

/* The head row, as the log's owner, just before commit. */
static void
chain_head_write(void)
{
	Oid			argtypes[3] = {INT8OID, BYTEAOID, INT8OID};
	Datum		args[3];
	bytea	   *b;
	int			rc;
	Oid			save_userid;
	int			save_sec;
	Oid			nsp;

	/* The extension was dropped after the entries were made: nothing to keep. */
	nsp = get_namespace_oid("isms", true);
	if (!OidIsValid(nsp) || !OidIsValid(get_relname_relid("change_log_head", nsp)))
		return;
	GetUserIdAndSecContext(&save_userid, &save_sec);
	SetUserIdAndSecContext(chain.owner, save_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
	PushActiveSnapshot(GetTransactionSnapshot());
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	b = palloc(VARHDRSZ + ISMS_CHAIN_HASH_LEN);
	SET_VARSIZE(b, VARHDRSZ + ISMS_CHAIN_HASH_LEN);
	memcpy(VARDATA(b), chain.hash, ISMS_CHAIN_HASH_LEN);
	args[0] = Int64GetDatum(chain.last_id);
	args[1] = PointerGetDatum(b);
	args[2] = Int64GetDatum(chain.pending);
	rc = SPI_execute_plan(keep_plan(&head_store_plan,
									"UPDATE isms.change_log_head SET last_id = $1, last_hash = $2, "
									"entries = entries OPERATOR(pg_catalog.+) $3 WHERE singleton",
									3, argtypes),
						  args, NULL, false, 0);
	if (rc != SPI_OK_UPDATE || SPI_processed != 1)
		elog(ERROR, "updating isms.change_log_head failed: %s", SPI_result_code_string(rc));
	SPI_finish();
	PopActiveSnapshot();
	SetUserIdAndSecContext(save_userid, save_sec);
	chain.pending = 0;
}
