/*
 * risk_level.c: isms.risk_level() and isms.within_appetite() in C.  The
 * first call of a query loads one matrix (size, appetite, cell -> level row)
 * through SPI into a per-call-site cache, so each further row is an array
 * lookup instead of a query; the cache is dropped when the matrix named or
 * the snapshot the data was read under changes.
 */
#include "pg_isms.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "risk_score_core.h"

/* Matrix ids are at most 63 characters (CHECK on isms.risk_matrix.id). */
#define RL_ID_MAX 63

typedef struct RiskLevelCache
{
	bool		valid;
	char		matrix[RL_ID_MAX + 1];
	/* What the data was read under: a change of any means reload. */
	LocalTransactionId lxid;
	TransactionId xmin;
	TransactionId xmax;
	uint32		xcnt;
	int32		subxcnt;
	CommandId	curcid;
#if PG_VERSION_NUM >= 140000
	uint64		completions;
#endif
	bool		exists;			/* the matrix row was found */
	int			size;
	int			appetite;
	Datum	   *level;			/* size * size level rows, 0 = unmapped */
	int		   *rank;
	MemoryContext cxt;			/* holds level[], rank[] and the rows */
} RiskLevelCache;

static LocalTransactionId
current_lxid(void)
{
#if PG_VERSION_NUM >= 170000
	return MyProc->vxid.lxid;
#else
	return MyProc->lxid;
#endif
}

static bool
cache_current(RiskLevelCache *c, const char *matrix, Snapshot snap)
{
	return c->valid && strcmp(c->matrix, matrix) == 0 &&
		c->lxid == current_lxid() && snap != NULL &&
		c->xmin == snap->xmin && c->xmax == snap->xmax &&
		c->xcnt == snap->xcnt && c->subxcnt == snap->subxcnt &&
		c->curcid == snap->curcid
#if PG_VERSION_NUM >= 140000
		&& c->completions == snap->snapXactCompletionCount
#endif
		;
}

/* Read the matrix through SPI into c (allocated in fn_mcxt). */
static void
cache_load(RiskLevelCache *c, const char *matrix, Snapshot snap)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	uint64		n,
				k;
	MemoryContext old;

	c->valid = false;
	MemoryContextReset(c->cxt);
	c->level = NULL;
	c->rank = NULL;
	c->exists = false;
	args[0] = CStringGetTextDatum(matrix);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "isms.risk_level: SPI_connect failed");
	if (SPI_execute_with_args("SELECT m.size, m.appetite FROM isms.risk_matrix m "
							  "WHERE m.id OPERATOR(pg_catalog.=) $1",
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "isms.risk_level: reading isms.risk_matrix failed");
	if (SPI_processed == 1)
	{
		bool		isnull;

		c->exists = true;
		c->size = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		c->appetite = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
		if (c->size < 1 || c->size > RS_AXIS_MAX)
			elog(ERROR, "isms.risk_level: matrix size %d out of range", c->size);
		old = MemoryContextSwitchTo(c->cxt);
		c->level = palloc0(sizeof(Datum) * c->size * c->size);
		c->rank = palloc0(sizeof(int) * c->size * c->size);
		MemoryContextSwitchTo(old);

		if (SPI_execute_with_args("SELECT c.likelihood, c.impact, l, l.rank "
								  "FROM isms.risk_matrix_cell c "
								  "JOIN isms.risk_level l ON l.matrix OPERATOR(pg_catalog.=) c.matrix "
								  " AND l.name OPERATOR(pg_catalog.=) c.level "
								  "WHERE c.matrix OPERATOR(pg_catalog.=) $1",
								  1, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "isms.risk_level: reading isms.risk_matrix_cell failed");
		n = SPI_processed;
		for (k = 0; k < n; k++)
		{
			HeapTuple	tup = SPI_tuptable->vals[k];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			bool		cell_null;
			int			l = DatumGetInt32(SPI_getbinval(tup, desc, 1, &cell_null));
			int			i = DatumGetInt32(SPI_getbinval(tup, desc, 2, &cell_null));
			Datum		row = SPI_getbinval(tup, desc, 3, &cell_null);
			int			slot;

			CHECK_FOR_INTERRUPTS();
			/* The cell trigger keeps cells inside; a shrink races nothing here. */
			if (cell_null || !rs_axes_valid(l, i, c->size))
				continue;
			slot = (l - 1) * c->size + (i - 1);
			/* A plain 4-byte-header copy: the row may be stored short in the tuple. */
			old = MemoryContextSwitchTo(c->cxt);
			c->level[slot] = PointerGetDatum(PG_DETOAST_DATUM_COPY(row));
			MemoryContextSwitchTo(old);
			c->rank[slot] = DatumGetInt32(SPI_getbinval(tup, desc, 4, &cell_null));
		}
	}
	SPI_finish();

	strlcpy(c->matrix, matrix, sizeof(c->matrix));
	c->lxid = current_lxid();
	c->xmin = snap->xmin;
	c->xmax = snap->xmax;
	c->xcnt = snap->xcnt;
	c->subxcnt = snap->subxcnt;
	c->curcid = snap->curcid;
#if PG_VERSION_NUM >= 140000
	c->completions = snap->snapXactCompletionCount;
#endif
	c->valid = true;
}

/*
 * The cache slot of score in matrix, loading the matrix when needed;
 * raises the documented errors for an unknown matrix, a score outside it
 * and an unmapped cell.
 */
static int
lookup(FunctionCallInfo fcinfo, RiskLevelCache **cp)
{
	int32		packed = DatumGetInt32(PG_GETARG_DATUM(0));
	text	   *mtext = PG_GETARG_TEXT_PP(1);
	char		matrix[RL_ID_MAX + 1];
	int			mlen = VARSIZE_ANY_EXHDR(mtext);
	RiskLevelCache *c = (RiskLevelCache *) fcinfo->flinfo->fn_extra;
	Snapshot	snap = ActiveSnapshotSet() ? GetActiveSnapshot() : NULL;
	int			l = rs_likelihood(packed),
				i = rs_impact(packed),
				slot;
	char		buf[RS_TEXT_SIZE];

	if (mlen > RL_ID_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("risk matrix \"%s\" does not exist", text_to_cstring(mtext)),
				 errhint("Matrices are the rows of isms.risk_matrix.")));
	memcpy(matrix, VARDATA_ANY(mtext), mlen);
	matrix[mlen] = '\0';

	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(RiskLevelCache));
		c->cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "isms.risk_level cache",
									   ALLOCSET_SMALL_SIZES);
		fcinfo->flinfo->fn_extra = c;
	}
	if (snap == NULL)
	{
		/* No query around us (rare): read under a fresh snapshot, keep nothing. */
		PushActiveSnapshot(GetTransactionSnapshot());
		cache_load(c, matrix, GetActiveSnapshot());
		PopActiveSnapshot();
		c->valid = false;
	}
	else if (!cache_current(c, matrix, snap))
		cache_load(c, matrix, snap);
	*cp = c;

	if (!c->exists)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("risk matrix \"%s\" does not exist", matrix),
				 errhint("Matrices are the rows of isms.risk_matrix.")));
	rs_format(l, i, buf);
	if (!rs_axes_valid(l, i, c->size))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("risk score %s lies outside the %dx%d risk matrix \"%s\"",
						buf, c->size, c->size, matrix)));
	slot = (l - 1) * c->size + (i - 1);
	if (c->level[slot] == (Datum) 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("cell %s of risk matrix \"%s\" has no level", buf, matrix),
				 errhint("Map every cell in isms.risk_matrix_cell, or fill them with isms.risk_matrix_fill().")));
	return slot;
}

PG_FUNCTION_INFO_V1(isms_risk_level);
Datum
isms_risk_level(PG_FUNCTION_ARGS)
{
	RiskLevelCache *c;
	int			slot = lookup(fcinfo, &c);

	/* A fresh copy: callers may keep or modify the row they get. */
	PG_RETURN_DATUM(datumCopy(c->level[slot], false, -1));
}

PG_FUNCTION_INFO_V1(isms_within_appetite);
Datum
isms_within_appetite(PG_FUNCTION_ARGS)
{
	RiskLevelCache *c;
	int			slot = lookup(fcinfo, &c);

	PG_RETURN_BOOL(c->rank[slot] <= c->appetite);
}
