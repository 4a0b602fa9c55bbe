/*
 * risk_score.c: server glue of the isms.risk_score type: text and binary
 * I/O, the typmod risk_score(n), constructor and accessors, comparison,
 * sort support and hashing.  Parsing and the packed order live in
 * risk_score_core.c; this file only turns its status codes into ereports.
 */
#include "pg_isms.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/sortsupport.h"

#include "risk_score_core.h"

#define RS_TYPE_NAME "isms.risk_score"

#define DatumGetRiskScore(d)	DatumGetInt32(d)
#define RiskScoreGetDatum(v)	Int32GetDatum(v)
#define PG_GETARG_RISK_SCORE(n) DatumGetRiskScore(PG_GETARG_DATUM(n))
#define PG_RETURN_RISK_SCORE(v) return RiskScoreGetDatum(v)

/*
 * The typmod is the largest value of either axis (1..RS_AXIS_MAX), -1 when
 * unconstrained.  Returns false (after a soft error, if escontext takes
 * one) when the value does not fit; the single place typmods are checked.
 */
static bool
risk_score_fits_typmod(int32 packed, int32 typmod, Node *escontext)
{
	char		buf[RS_TEXT_SIZE];

	if (typmod < 0 ||
		rs_axes_valid(rs_likelihood(packed), rs_impact(packed), typmod))
		return true;
	rs_format(rs_likelihood(packed), rs_impact(packed), buf);
	ISMS_ERETURN(escontext, false,
				 errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("risk score %s is out of range for type " RS_TYPE_NAME "(%d)",
						buf, typmod),
				 errdetail("Likelihood and impact of an " RS_TYPE_NAME "(%d) must be between 1 and %d.",
						   typmod, typmod));
}

PG_FUNCTION_INFO_V1(isms_risk_score_in);
Datum
isms_risk_score_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	int32		typmod = PG_NARGS() > 2 ? PG_GETARG_INT32(2) : -1;
	int			likelihood = 0,
				impact = 0;
	int32		packed;

	switch (rs_parse(str, strlen(str), &likelihood, &impact))
	{
		case RS_OK:
			break;
		case RS_ERR_RANGE:
			ISMS_ERETURN(fcinfo->context, (Datum) 0,
						 errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("value \"%s\" is out of range for type " RS_TYPE_NAME, str),
						 errdetail("Likelihood and impact must be whole numbers from 1 to %d.",
								   RS_AXIS_MAX));
		case RS_ERR_SYNTAX:
		default:
			ISMS_ERETURN(fcinfo->context, (Datum) 0,
						 errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type " RS_TYPE_NAME ": \"%s\"", str),
						 errhint("A risk score is written \"LxI\": likelihood, \"x\", impact, "
								 "each a whole number from 1 to %d, for example \"4x5\".",
								 RS_AXIS_MAX));
	}
	packed = rs_pack(likelihood, impact);
	if (!risk_score_fits_typmod(packed, typmod, fcinfo->context))
		PG_RETURN_DATUM((Datum) 0);
	PG_RETURN_RISK_SCORE(packed);
}

PG_FUNCTION_INFO_V1(isms_risk_score_out);
Datum
isms_risk_score_out(PG_FUNCTION_ARGS)
{
	int32		packed = PG_GETARG_RISK_SCORE(0);
	char	   *buf = palloc(RS_TEXT_SIZE);

	rs_format(rs_likelihood(packed), rs_impact(packed), buf);
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary format: a version byte (RS_BINARY_VERSION), then likelihood and
 * impact as 16-bit integers.  The packed in-memory form is never sent, so
 * it may change without breaking COPY BINARY files or replication.
 */
PG_FUNCTION_INFO_V1(isms_risk_score_recv);
Datum
isms_risk_score_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		typmod = PG_NARGS() > 2 ? PG_GETARG_INT32(2) : -1;
	int			version,
				likelihood,
				impact;
	int32		packed;

	version = pq_getmsgbyte(buf);
	if (version != RS_BINARY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version %d for type " RS_TYPE_NAME, version),
				 errdetail("This version of pg_isms reads version %d.", RS_BINARY_VERSION)));
	likelihood = (int16) pq_getmsgint(buf, 2);
	impact = (int16) pq_getmsgint(buf, 2);
	if (!rs_axes_valid(likelihood, impact, RS_AXIS_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("binary value %dx%d is out of range for type " RS_TYPE_NAME,
						likelihood, impact),
				 errdetail("Likelihood and impact must be whole numbers from 1 to %d.",
						   RS_AXIS_MAX)));
	packed = rs_pack(likelihood, impact);
	(void) risk_score_fits_typmod(packed, typmod, NULL);
	PG_RETURN_RISK_SCORE(packed);
}

PG_FUNCTION_INFO_V1(isms_risk_score_send);
Datum
isms_risk_score_send(PG_FUNCTION_ARGS)
{
	int32		packed = PG_GETARG_RISK_SCORE(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, RS_BINARY_VERSION);
	pq_sendint16(&buf, (uint16) rs_likelihood(packed));
	pq_sendint16(&buf, (uint16) rs_impact(packed));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* risk_score(n): one integer from 1 to RS_AXIS_MAX, like varchar(n). */
PG_FUNCTION_INFO_V1(isms_risk_score_typmod_in);
Datum
isms_risk_score_typmod_in(PG_FUNCTION_ARGS)
{
	ArrayType  *ta = PG_GETARG_ARRAYTYPE_P(0);
	int32	   *tl;
	int			n;

	tl = ArrayGetIntegerTypmods(ta, &n);
	if (n != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid type modifier for type " RS_TYPE_NAME),
				 errhint("Write " RS_TYPE_NAME "(n) with one n, the matrix size, from 1 to %d.",
						 RS_AXIS_MAX)));
	if (tl[0] < 1 || tl[0] > RS_AXIS_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("matrix size for type " RS_TYPE_NAME " must be between 1 and %d, not %d",
						RS_AXIS_MAX, tl[0])));
	PG_RETURN_INT32(tl[0]);
}

PG_FUNCTION_INFO_V1(isms_risk_score_typmod_out);
Datum
isms_risk_score_typmod_out(PG_FUNCTION_ARGS)
{
	int32		typmod = PG_GETARG_INT32(0);

	if (typmod < 0)
		PG_RETURN_CSTRING(pstrdup(""));
	PG_RETURN_CSTRING(psprintf("(%d)", typmod));
}

/* The length-coercion cast risk_score -> risk_score(n). */
PG_FUNCTION_INFO_V1(isms_risk_score_typmod_apply);
Datum
isms_risk_score_typmod_apply(PG_FUNCTION_ARGS)
{
	int32		packed = PG_GETARG_RISK_SCORE(0);

	(void) risk_score_fits_typmod(packed, PG_GETARG_INT32(1), NULL);
	PG_RETURN_RISK_SCORE(packed);
}

PG_FUNCTION_INFO_V1(isms_risk_score_make);
Datum
isms_risk_score_make(PG_FUNCTION_ARGS)
{
	int32		likelihood = PG_GETARG_INT32(0);
	int32		impact = PG_GETARG_INT32(1);

	if (!rs_axes_valid(likelihood, impact, RS_AXIS_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("likelihood %d, impact %d is out of range for type " RS_TYPE_NAME,
						likelihood, impact),
				 errdetail("Likelihood and impact must be whole numbers from 1 to %d.",
						   RS_AXIS_MAX)));
	PG_RETURN_RISK_SCORE(rs_pack(likelihood, impact));
}

PG_FUNCTION_INFO_V1(isms_risk_score_likelihood);
Datum
isms_risk_score_likelihood(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(rs_likelihood(PG_GETARG_RISK_SCORE(0)));
}

PG_FUNCTION_INFO_V1(isms_risk_score_impact);
Datum
isms_risk_score_impact(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(rs_impact(PG_GETARG_RISK_SCORE(0)));
}

PG_FUNCTION_INFO_V1(isms_risk_score_score);
Datum
isms_risk_score_score(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(rs_score(PG_GETARG_RISK_SCORE(0)));
}

/* Comparison: the packed values compare as plain integers. */
#define RS_CMP_FUNC(fname, op) \
PG_FUNCTION_INFO_V1(fname); \
Datum \
fname(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(PG_GETARG_RISK_SCORE(0) op PG_GETARG_RISK_SCORE(1)); \
}

RS_CMP_FUNC(isms_risk_score_eq, ==)
RS_CMP_FUNC(isms_risk_score_ne, !=)
RS_CMP_FUNC(isms_risk_score_lt, <)
RS_CMP_FUNC(isms_risk_score_le, <=)
RS_CMP_FUNC(isms_risk_score_gt, >)
RS_CMP_FUNC(isms_risk_score_ge, >=)

PG_FUNCTION_INFO_V1(isms_risk_score_cmp);
Datum
isms_risk_score_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(rs_cmp(PG_GETARG_RISK_SCORE(0), PG_GETARG_RISK_SCORE(1)));
}

PG_FUNCTION_INFO_V1(isms_risk_score_smaller);
Datum
isms_risk_score_smaller(PG_FUNCTION_ARGS)
{
	int32		a = PG_GETARG_RISK_SCORE(0);
	int32		b = PG_GETARG_RISK_SCORE(1);

	PG_RETURN_RISK_SCORE(a <= b ? a : b);
}

PG_FUNCTION_INFO_V1(isms_risk_score_larger);
Datum
isms_risk_score_larger(PG_FUNCTION_ARGS)
{
	int32		a = PG_GETARG_RISK_SCORE(0);
	int32		b = PG_GETARG_RISK_SCORE(1);

	PG_RETURN_RISK_SCORE(a >= b ? a : b);
}

/*
 * Sort support: the int32 comparator (PostgreSQL 15+) lets tuplesort use
 * its specialised quicksort, the same path int4 takes.
 */
PG_FUNCTION_INFO_V1(isms_risk_score_sortsupport);
Datum
isms_risk_score_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

	ssup->comparator = ssup_datum_int32_cmp;
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(isms_risk_score_hash);
Datum
isms_risk_score_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) PG_GETARG_RISK_SCORE(0));
}

PG_FUNCTION_INFO_V1(isms_risk_score_hash_extended);
Datum
isms_risk_score_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) PG_GETARG_RISK_SCORE(0), PG_GETARG_INT64(1));
}
