/*
 * change_log_heap.c: the change log's direct path into the heap.  Entries
 * go into isms.change_log in batches the way COPY FROM writes them
 * (table_multi_insert, one WAL record per page, no executor per row), with
 * the table's own constraints and indexes honoured through the executor's
 * routines.  Everything that differs between PostgreSQL majors on this
 * path is in this file.
 */
#include "change_log.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_class.h"
#include "executor/executor.h"
#include "nodes/execnodes.h"
#include "rewrite/rewriteHandler.h"
#include "utils/rls.h"

struct LogHeapWriter
{
	Relation	rel;
	MemoryContext cxt;			/* the writer's own: its slots live here */
	EState	   *estate;
	ResultRelInfo *rri;
	CommandId	cid;
	AttrNumber	attnums[LC_NCOLS];
	ExprState **defaults;		/* per attribute not written: its default, or NULL */
	bool		written_by_us[MaxHeapAttributeNumber];
	bool		has_constraints;
	int			n;				/* entries in the current batch */
	Size		bytes;
	TupleTableSlot *slots[ISMS_LOG_BATCH];
};

/*
 * The index entries of one new heap tuple.  The three shapes of
 * ExecInsertIndexTuples: PostgreSQL 15; 16 to 18 (onlySummarizing added);
 * 19 (flags word, arguments reordered).
 */
static inline List *
insert_index_tuples(ResultRelInfo *rri, TupleTableSlot *slot, EState *estate)
{
#if PG_VERSION_NUM >= 190000
	return ExecInsertIndexTuples(rri, estate, 0, slot, NIL, NULL);
#elif PG_VERSION_NUM >= 160000
	return ExecInsertIndexTuples(rri, slot, estate, false, false, NULL, NIL, false);
#else
	return ExecInsertIndexTuples(rri, slot, estate, false, false, NULL, NIL);
#endif
}

/*
 * Can the entries skip the executor?  Not when isms.change_log has
 * something only a real INSERT honours: INSERT triggers, row security,
 * stored generated columns, another kind of relation, or a unique index
 * checked at commit (its recheck would need an after-trigger event).
 * Constraints (NOT NULL, CHECK) and the other indexes are honoured here.
 */
static bool
can_write_directly(Relation rel)
{
	TriggerDesc *td = rel->trigdesc;
	TupleConstr *constr = rel->rd_att->constr;

	if (rel->rd_rel->relkind != RELKIND_RELATION)
		return false;
	if (td != NULL &&
		(td->trig_insert_before_row || td->trig_insert_after_row ||
		 td->trig_insert_instead_row || td->trig_insert_before_statement ||
		 td->trig_insert_after_statement || td->trig_insert_new_table))
		return false;
	if (check_enable_rls(RelationGetRelid(rel), InvalidOid, true) == RLS_ENABLED)
		return false;
	if (constr != NULL && constr->has_generated_stored)
		return false;
	return true;
}

/*
 * A writer for rel (opened and locked by the caller), or NULL when the
 * entries must go through INSERT.  attnums: the attribute of each
 * LogColumn (InvalidAttrNumber: a column the log does not have).
 */
LogHeapWriter *
log_heap_open(Relation rel, const AttrNumber *attnums)
{
	LogHeapWriter *hw;
	TupleDesc	desc = RelationGetDescr(rel);
	int			i;

	if (!can_write_directly(rel))
		return NULL;
	hw = palloc0(sizeof(LogHeapWriter));
	hw->rel = rel;
	hw->cxt = CurrentMemoryContext;
	memcpy(hw->attnums, attnums, sizeof(hw->attnums));
	hw->estate = CreateExecutorState();
	hw->rri = makeNode(ResultRelInfo);
	InitResultRelInfo(hw->rri, rel, 0, NULL, 0);
	ExecOpenIndices(hw->rri, false);
	for (i = 0; i < hw->rri->ri_NumIndices; i++)
	{
		Form_pg_index ind = hw->rri->ri_IndexRelationDescs[i]->rd_index;

		if (!ind->indimmediate)
		{
			ExecCloseIndices(hw->rri);
			FreeExecutorState(hw->estate);
			pfree(hw);
			return NULL;
		}
	}
	hw->has_constraints = desc->constr != NULL &&
		(desc->constr->has_not_null || desc->constr->num_check > 0);
	hw->cid = GetCurrentCommandId(true);

	/* Defaults of the columns the trigger does not fill, evaluated per entry. */
	for (i = 0; i < LC_NCOLS; i++)
		if (attnums[i] != InvalidAttrNumber)
			hw->written_by_us[attnums[i] - 1] = true;
	hw->defaults = palloc0(sizeof(ExprState *) * desc->natts);
	for (i = 0; i < desc->natts; i++)
	{
		Node	   *def;

		if (TupleDescAttr(desc, i)->attisdropped || hw->written_by_us[i])
			continue;
		def = build_column_default(rel, i + 1);
		if (def != NULL)
			hw->defaults[i] = ExecPrepareExpr((Expr *) def, hw->estate);
	}
	return hw;
}

static void
log_heap_flush(LogHeapWriter *hw)
{
	MemoryContext old;
	int			i;

	if (hw->n == 0)
		return;
	old = MemoryContextSwitchTo(GetPerTupleMemoryContext(hw->estate));

	/*
	 * No BulkInsertState: its ring of buffers would make the statement write
	 * out the log's pages itself; like an INSERT's, they stay in shared
	 * buffers for the background writer.
	 */
	table_multi_insert(hw->rel, hw->slots, hw->n, hw->cid, 0, NULL);
	MemoryContextSwitchTo(old);
	for (i = 0; i < hw->n; i++)
	{
		if (hw->rri->ri_NumIndices > 0)
		{
			ResetPerTupleExprContext(hw->estate);
			list_free(insert_index_tuples(hw->rri, hw->slots[i], hw->estate));
		}
		ExecClearTuple(hw->slots[i]);
	}
	ResetPerTupleExprContext(hw->estate);
	hw->n = 0;
	hw->bytes = 0;
}

/* One entry: values and nulls per LogColumn; bytes: its size, for batching. */
void
log_heap_add(LogHeapWriter *hw, const Datum *values, const bool *isnull, Size bytes)
{
	TupleDesc	desc = RelationGetDescr(hw->rel);
	TupleTableSlot *slot;
	ExprContext *econtext;
	int			i;

	if (hw->slots[hw->n] == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(hw->cxt);

		hw->slots[hw->n] = table_slot_create(hw->rel, NULL);
		MemoryContextSwitchTo(old);
	}
	slot = hw->slots[hw->n];
	ExecClearTuple(slot);
	ResetPerTupleExprContext(hw->estate);
	econtext = GetPerTupleExprContext(hw->estate);
	for (i = 0; i < desc->natts; i++)
	{
		slot->tts_values[i] = (Datum) 0;
		slot->tts_isnull[i] = true;
		if (hw->defaults[i] != NULL)
			slot->tts_values[i] = ExecEvalExpr(hw->defaults[i], econtext, &slot->tts_isnull[i]);
	}
	for (i = 0; i < LC_NCOLS; i++)
	{
		if (hw->attnums[i] == InvalidAttrNumber)
			continue;
		slot->tts_values[hw->attnums[i] - 1] = values[i];
		slot->tts_isnull[hw->attnums[i] - 1] = isnull[i];
	}
	ExecStoreVirtualTuple(slot);
	if (hw->has_constraints)
		ExecConstraints(hw->rri, slot, hw->estate);
	/* Copies the row into the slot, so the caller's buffers are free again. */
	ExecMaterializeSlot(slot);
	hw->n++;
	hw->bytes += bytes;
	if (hw->n == ISMS_LOG_BATCH || hw->bytes >= ISMS_LOG_BATCH_BYTES)
		log_heap_flush(hw);
}

/* Write what is left and release the writer (the relation stays open). */
void
log_heap_close(LogHeapWriter *hw)
{
	int			i;

	log_heap_flush(hw);
	for (i = 0; i < ISMS_LOG_BATCH && hw->slots[i] != NULL; i++)
		ExecDropSingleTupleTableSlot(hw->slots[i]);
	ExecCloseIndices(hw->rri);
	table_finish_bulk_insert(hw->rel, 0);
	FreeExecutorState(hw->estate);
	pfree(hw->defaults);
	pfree(hw);
}
