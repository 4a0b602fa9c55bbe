/*
 * matrix_cache.c: the one cache of risk matrices.  A matrix is read through
 * SPI (its row, then every cell with its level row, rank and review
 * interval) the first time a snapshot asks for it, and kept while the
 * same snapshot is active: the rows of a bulk load, or of a view over a
 * million risks, each cost an array lookup instead of a query, and the next
 * statement (or the same one after it wrote something, a new command id)
 * sees a changed level or cell.  A few matrices are kept at once, in
 * memory of their own below CacheMemoryContext.
 */
#include "matrix_cache.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "risk_score_core.h"

#define MATRIX_SLOTS 8

typedef struct MatrixSlot
{
	IsmsMatrix	m;
	bool		valid;
	/* What the data was read under: a change of any means reload. */
	LocalTransactionId lxid;
	TransactionId xmin;
	TransactionId xmax;
	uint32		xcnt;
	int32		subxcnt;
	CommandId	curcid;
	uint64		completions;
	MemoryContext cxt;			/* the cells and the level rows */
} MatrixSlot;

static MatrixSlot slots[MATRIX_SLOTS];
static int	next_victim = 0;

static bool
slot_current(const MatrixSlot *s, const char *id, Snapshot snap)
{
	return s->valid && strcmp(s->m.id, id) == 0 &&
		s->lxid == ISMS_CURRENT_LXID() &&
		s->xmin == snap->xmin && s->xmax == snap->xmax &&
		s->xcnt == snap->xcnt && s->subxcnt == snap->subxcnt &&
		s->curcid == snap->curcid &&
		s->completions == snap->snapXactCompletionCount;
}

static void
slot_load(MatrixSlot *s, const char *id, Snapshot snap)
{
	static const char *matrix_sql =
		"SELECT m.size, m.appetite FROM isms.risk_matrix m WHERE m.id OPERATOR(pg_catalog.=) $1";
	static const char *cells_sql =
		"SELECT c.likelihood, c.impact, l, l.rank, l.review_interval "
		"FROM isms.risk_matrix_cell c "
		"JOIN isms.risk_level l ON l.matrix OPERATOR(pg_catalog.=) c.matrix "
		" AND l.name OPERATOR(pg_catalog.=) c.level "
		"WHERE c.matrix OPERATOR(pg_catalog.=) $1";
	IsmsMatrix *m = &s->m;
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	MemoryContext old;
	uint64		k;

	s->valid = false;
	if (s->cxt == NULL)
		s->cxt = AllocSetContextCreate(CacheMemoryContext, "isms risk matrix",
									   ALLOCSET_SMALL_SIZES);
	else
		MemoryContextReset(s->cxt);
	memset(m, 0, sizeof(IsmsMatrix));
	strlcpy(m->id, id, sizeof(m->id));
	args[0] = CStringGetTextDatum(id);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "pg_isms: SPI_connect failed");
	if (SPI_execute_with_args(matrix_sql, 1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "pg_isms: reading isms.risk_matrix failed");
	if (SPI_processed == 1)
	{
		bool		isnull;
		int			ncells;

		m->exists = true;
		m->size = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		m->appetite = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
		if (m->size < 1 || m->size > RS_AXIS_MAX)
			elog(ERROR, "pg_isms: matrix size %d out of range", m->size);
		ncells = m->size * m->size;
		old = MemoryContextSwitchTo(s->cxt);
		m->level = palloc0(sizeof(Datum) * ncells);
		m->rank = palloc0(sizeof(int) * ncells);
		m->has_every = palloc0(sizeof(bool) * ncells);
		m->every = palloc0(sizeof(Interval) * ncells);
		MemoryContextSwitchTo(old);

		if (SPI_execute_with_args(cells_sql, 1, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "pg_isms: reading isms.risk_matrix_cell failed");
		for (k = 0; k < SPI_processed; k++)
		{
			HeapTuple	tup = SPI_tuptable->vals[k];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			bool		cell_null,
						every_null;
			int			l = DatumGetInt32(SPI_getbinval(tup, desc, 1, &cell_null));
			int			i = DatumGetInt32(SPI_getbinval(tup, desc, 2, &cell_null));
			Datum		row = SPI_getbinval(tup, desc, 3, &cell_null);
			Datum		every = SPI_getbinval(tup, desc, 5, &every_null);
			int			cell;

			CHECK_FOR_INTERRUPTS();
			/* The cell trigger keeps cells inside; a shrink races nothing here. */
			if (cell_null || !rs_axes_valid(l, i, m->size))
				continue;
			cell = (l - 1) * m->size + (i - 1);
			/* A plain 4-byte-header copy: the row may be stored short in the tuple. */
			old = MemoryContextSwitchTo(s->cxt);
			m->level[cell] = PointerGetDatum(PG_DETOAST_DATUM_COPY(row));
			MemoryContextSwitchTo(old);
			m->rank[cell] = DatumGetInt32(SPI_getbinval(tup, desc, 4, &cell_null));
			if (!every_null)
			{
				m->has_every[cell] = true;
				m->every[cell] = *DatumGetIntervalP(every);
			}
		}
	}
	SPI_finish();

	s->lxid = ISMS_CURRENT_LXID();
	s->xmin = snap->xmin;
	s->xmax = snap->xmax;
	s->xcnt = snap->xcnt;
	s->subxcnt = snap->subxcnt;
	s->curcid = snap->curcid;
	s->completions = snap->snapXactCompletionCount;
	s->valid = true;
}

const IsmsMatrix *
isms_matrix(const char *id)
{
	static IsmsMatrix unknown;
	MatrixSlot *s;
	int			i;

	if (strlen(id) > ISMS_MATRIX_ID_MAX)
	{
		memset(&unknown, 0, sizeof(unknown));
		return &unknown;
	}
	if (!ActiveSnapshotSet())
	{
		/* No query around us (rare): read under a fresh snapshot, keep nothing. */
		s = &slots[next_victim];
		next_victim = (next_victim + 1) % MATRIX_SLOTS;
		PushActiveSnapshot(GetTransactionSnapshot());
		slot_load(s, id, GetActiveSnapshot());
		PopActiveSnapshot();
		s->valid = false;
		return &s->m;
	}
	for (i = 0; i < MATRIX_SLOTS; i++)
		if (slot_current(&slots[i], id, GetActiveSnapshot()))
			return &slots[i].m;
	/* The slot this matrix had, else the next one round the ring. */
	for (i = 0; i < MATRIX_SLOTS; i++)
		if (slots[i].valid && strcmp(slots[i].m.id, id) == 0)
			break;
	if (i == MATRIX_SLOTS)
	{
		i = next_victim;
		next_victim = (next_victim + 1) % MATRIX_SLOTS;
	}
	s = &slots[i];
	slot_load(s, id, GetActiveSnapshot());
	return &s->m;
}

int
isms_matrix_cell(const IsmsMatrix *m, int32 packed)
{
	int			l = rs_likelihood(packed),
				i = rs_impact(packed);

	if (!m->exists || !rs_axes_valid(l, i, m->size))
		return -1;
	return (l - 1) * m->size + (i - 1);
}
