/*
 * change_log.h: the parts of isms.log_change() that live in their own
 * files: the direct heap writer (change_log_heap.c) and the hash chain
 * (change_log_chain.c).  change_log.c holds the trigger and the row encoder.
 */
#ifndef ISMS_CHANGE_LOG_H
#define ISMS_CHANGE_LOG_H

#include "pg_isms.h"

#include "common/cryptohash.h"
#include "lib/stringinfo.h"
#include "utils/jsonb.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

/* Rows per write into isms.change_log (bounds the memory of a batch). */
#define ISMS_LOG_BATCH 1000
/* ... and bytes, so a batch of wide rows stays in the CPU cache. */
#define ISMS_LOG_BATCH_BYTES (256 * 1024)
/* The most ids a chained writer reserves at once (change_log.c). */
#define ISMS_LOG_ID_BLOCK 1024

/* SHA-256 */
#define ISMS_CHAIN_HASH_LEN 32

/* The columns of isms.change_log the trigger fills, in this order. */
typedef enum LogColumn
{
	LC_ID,
	LC_LOGGED_AT,
	LC_TXID,
	LC_ACTOR,
	LC_TABLE,
	LC_OP,
	LC_OLD,
	LC_NEW,
	LC_PREV,
	LC_HASH,
	LC_NCOLS
} LogColumn;

extern const char *const isms_log_column_name[LC_NCOLS];

/* change_log_heap.c: entries straight into the heap and its indexes. */
typedef struct LogHeapWriter LogHeapWriter;
extern LogHeapWriter *log_heap_open(Relation rel, const AttrNumber *attnums);
extern void log_heap_add(LogHeapWriter *hw, const Datum *values, const bool *isnull, Size bytes);
extern void log_heap_close(LogHeapWriter *hw);

/* change_log_chain.c: the entry hash and the chain's head. */
typedef struct ChainHasher
{
	pg_cryptohash_ctx *ctx;
	StringInfoData buf;
} ChainHasher;

extern void chain_hasher_init(ChainHasher *h);
extern void chain_hash(ChainHasher *h, const uint8 *prev, int64 id, TimestampTz logged_at,
					   uint64 txid, text *actor, text *table_name, text *op,
					   Jsonb *old_row, Jsonb *new_row, uint8 *out);
extern void chain_hasher_free(ChainHasher *h);
extern void chain_writer_enter(void);
extern void chain_writer_exit(void);
extern void chain_head_lock(uint8 *last_hash);
extern void chain_head_store(int64 last_id, const uint8 *last_hash, int64 added);

#endif							/* ISMS_CHANGE_LOG_H */
