/*
 * risk_level.c: isms.risk_level() and isms.within_appetite() in C, each
 * row an array lookup in the one matrix cache (matrix_cache.c).
 */
#include "matrix_cache.h"

#include "utils/builtins.h"
#include "utils/datum.h"

#include "risk_score_core.h"

/*
 * The cell of score in matrix (read through the matrix cache);
 * raises the documented errors for an unknown matrix, a score outside it
 * and an unmapped cell.
 */
static int
lookup(FunctionCallInfo fcinfo, const IsmsMatrix **mp)
{
	int32		packed = DatumGetInt32(PG_GETARG_DATUM(0));
	text	   *mtext = PG_GETARG_TEXT_PP(1);
	char		matrix[ISMS_MATRIX_ID_MAX + 1];
	int			mlen = VARSIZE_ANY_EXHDR(mtext);
	const IsmsMatrix *m;
	int			cell;
	char		buf[RS_TEXT_SIZE];

	if (mlen > ISMS_MATRIX_ID_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("risk matrix \"%s\" does not exist", text_to_cstring(mtext)),
				 errhint("Matrices are the rows of isms.risk_matrix.")));
	memcpy(matrix, VARDATA_ANY(mtext), mlen);
	matrix[mlen] = '\0';
	*mp = m = isms_matrix(matrix);

	if (!m->exists)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("risk matrix \"%s\" does not exist", matrix),
				 errhint("Matrices are the rows of isms.risk_matrix.")));
	rs_format(rs_likelihood(packed), rs_impact(packed), buf);
	cell = isms_matrix_cell(m, packed);
	if (cell < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("risk score %s lies outside the %dx%d risk matrix \"%s\"",
						buf, m->size, m->size, matrix)));
	if (m->level[cell] == (Datum) 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("cell %s of risk matrix \"%s\" has no level", buf, matrix),
				 errhint("Map every cell in isms.risk_matrix_cell, or fill them with isms.risk_matrix_fill().")));
	return cell;
}

PG_FUNCTION_INFO_V1(isms_risk_level);
Datum
isms_risk_level(PG_FUNCTION_ARGS)
{
	const IsmsMatrix *m;
	int			cell = lookup(fcinfo, &m);

	/* A fresh copy: callers may keep or modify the row they get. */
	PG_RETURN_DATUM(datumCopy(m->level[cell], false, -1));
}

PG_FUNCTION_INFO_V1(isms_within_appetite);
Datum
isms_within_appetite(PG_FUNCTION_ARGS)
{
	const IsmsMatrix *m;
	int			cell = lookup(fcinfo, &m);

	PG_RETURN_BOOL(m->rank[cell] <= m->appetite);
}
