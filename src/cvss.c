/*
 * cvss.c: server glue of the isms.cvss type: text and binary I/O with
 * precise SQLSTATEs, comparison and hash support, and the SQL functions
 * over scores and metrics.  Parsing and scoring live in cvss_core.c.
 */
#include "pg_isms.h"

#include "common/hashfn.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "cvss_core.h"

/* Version of the binary (send/recv) format, its first byte. */
#define CVSS_BINARY_FORMAT 1

#define DatumGetCvssP(X)	((cvss_vector *) DatumGetPointer(X))
#define PG_GETARG_CVSS_P(n) DatumGetCvssP(PG_GETARG_DATUM(n))

StaticAssertDecl(sizeof(cvss_vector) == 20, "isms.cvss is declared with INTERNALLENGTH = 20");

/* Copy of s with anything but printable ASCII replaced, safe in any encoding. */
static char *
printable(const char *s)
{
	char	   *r = pstrdup(s);
	char	   *p;

	for (p = r; *p; p++)
		if ((unsigned char) *p < 0x20 || (unsigned char) *p > 0x7e)
			*p = '?';
	return r;
}

/* "N, A, L, P" (and ", X" for an optional metric) */
static char *
allowed_values(int version, int slot)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 1; i <= cvss_value_count(version, slot); i++)
		appendStringInfo(&buf, "%s%s", i > 1 ? ", " : "", cvss_value_name(version, slot, i));
	if (!cvss_metric_mandatory(version, slot))
		appendStringInfoString(&buf, ", X");
	return buf.data;
}

static char *
mandatory_list(int version)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < cvss_slot_count(version); i++)
		if (cvss_metric_mandatory(version, i))
			appendStringInfo(&buf, "%s%s", buf.len ? ", " : "", cvss_metric_name(version, i));
	return buf.data;
}

/* Version of the input, read from its prefix again, for messages. */
static int
input_version(const char *str)
{
	const char *p = str;

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (strncmp(p, "CVSS:3.0/", 9) == 0)
		return CVSS_V30;
	if (strncmp(p, "CVSS:3.1/", 9) == 0)
		return CVSS_V31;
	if (strncmp(p, "CVSS:4.0/", 9) == 0)
		return CVSS_V40;
	return 0;
}

/* The DETAIL of a parse error: what is wrong, naming the metric. */
static char *
error_detail(const char *str, const cvss_error *e)
{
	int			version = input_version(str);
	const char *vt = cvss_version_text(version);
	char	   *metric = printable(e->metric);
	char	   *value = printable(e->value);
	int			slot;

	switch (e->code)
	{
		case CVSS_ERR_EMPTY:
			return psprintf("The vector is empty.");
		case CVSS_ERR_TOO_LONG:
			return psprintf("The vector is longer than %d bytes.", CVSS_INPUT_MAX);
		case CVSS_ERR_PREFIX:
			return psprintf("A vector starts with \"CVSS:3.0/\", \"CVSS:3.1/\" or \"CVSS:4.0/\", not \"%s\".", value);
		case CVSS_ERR_SYNTAX:
			if (metric[0])
				return psprintf("Component \"%s\" at byte %d is not of the form METRIC:VALUE.", metric, e->offset + 1);
			return psprintf("Empty component at byte %d (two slashes in a row, or a slash at the end).", e->offset + 1);
		case CVSS_ERR_UNKNOWN_METRIC:
			return psprintf("CVSS %s has no metric \"%s\".", vt, metric);
		case CVSS_ERR_BAD_VALUE:
			slot = cvss_metric_slot(version, e->metric, strlen(e->metric));
			return psprintf("Metric \"%s\" cannot be \"%s\" in CVSS %s; allowed: %s.",
							metric, value, vt, allowed_values(version, slot));
		case CVSS_ERR_DUPLICATE:
			return psprintf("Metric \"%s\" is given more than once.", metric);
		case CVSS_ERR_ORDER:
			return psprintf("Metric \"%s\" comes after \"%s\"; CVSS 4.0 vectors list their metrics in the specification's order.",
							metric, e->after);
		case CVSS_ERR_MISSING:
			return psprintf("Base metric \"%s\" is missing; CVSS %s requires %s.", metric, vt, mandatory_list(version));
		case CVSS_OK:
			break;
	}
	return psprintf("Unknown error.");
}

PG_FUNCTION_INFO_V1(isms_cvss_in);
Datum
isms_cvss_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	cvss_vector *v = palloc(sizeof(cvss_vector));
	cvss_error	e;

	if (cvss_parse(str, strlen(str), v, &e) != CVSS_OK)
		ISMS_ERETURN(fcinfo->context, (Datum) 0,
					 errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"", "isms.cvss", str),
					 errdetail_internal("%s", error_detail(str, &e)),
					 errhint("Write a CVSS v3.0, v3.1 or v4.0 vector such as "
							 "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H or "
							 "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N."));
	PG_RETURN_POINTER(v);
}

PG_FUNCTION_INFO_V1(isms_cvss_out);
Datum
isms_cvss_out(PG_FUNCTION_ARGS)
{
	cvss_vector *v = PG_GETARG_CVSS_P(0);
	char	   *buf = palloc(CVSS_TEXT_MAX);

	cvss_format(v, buf);
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary form: format byte, CVSS version, number of metric slots, then one
 * byte per slot (the value's index, 0 = Not Defined).  The cached score is
 * not sent: recv recomputes it, and checks everything it reads.
 */
PG_FUNCTION_INFO_V1(isms_cvss_send);
Datum
isms_cvss_send(PG_FUNCTION_ARGS)
{
	cvss_vector *v = PG_GETARG_CVSS_P(0);
	StringInfoData buf;
	int			n = cvss_slot_count(v->version);
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CVSS_BINARY_FORMAT);
	pq_sendbyte(&buf, v->version);
	pq_sendbyte(&buf, n);
	for (i = 0; i < n; i++)
		pq_sendbyte(&buf, cvss_get(v, i));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(isms_cvss_recv);
Datum
isms_cvss_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	cvss_vector *v = palloc0(sizeof(cvss_vector));
	cvss_error	e;
	int			format;
	int			n;
	int			i;

	format = pq_getmsgbyte(buf);
	if (format != CVSS_BINARY_FORMAT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version %d for type %s", format, "isms.cvss"),
				 errdetail("This server reads format version %d.", CVSS_BINARY_FORMAT)));
	v->version = (uint8) pq_getmsgbyte(buf);
	n = pq_getmsgbyte(buf);
	if (cvss_slot_count(v->version) == 0 || n != cvss_slot_count(v->version))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", "isms.cvss"),
				 errdetail("CVSS version code %d with %d metrics is not known.", v->version, n)));
	for (i = 0; i < n; i++)
	{
		int			vi = pq_getmsgbyte(buf);

		if (vi > cvss_value_count(v->version, i))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary data for type %s", "isms.cvss"),
					 errdetail("Metric \"%s\" has no value number %d.",
							   cvss_metric_name(v->version, i), vi)));
		cvss_set(v, i, vi);
	}
	if (cvss_validate(v, &e) != CVSS_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", "isms.cvss"),
				 errdetail("%s: \"%s\".", cvss_status_text(e.code), e.metric)));
	cvss_refresh(v);
	PG_RETURN_POINTER(v);
}

/* ---------- comparison and hashing ---------- */

#define CVSS_CMP_FN(fname, expr) \
PG_FUNCTION_INFO_V1(fname); \
Datum \
fname(PG_FUNCTION_ARGS) \
{ \
	int			c = cvss_compare(PG_GETARG_CVSS_P(0), PG_GETARG_CVSS_P(1)); \
\
	PG_RETURN_BOOL(expr); \
}

CVSS_CMP_FN(isms_cvss_eq, c == 0)
CVSS_CMP_FN(isms_cvss_ne, c != 0)
CVSS_CMP_FN(isms_cvss_lt, c < 0)
CVSS_CMP_FN(isms_cvss_le, c <= 0)
CVSS_CMP_FN(isms_cvss_gt, c > 0)
CVSS_CMP_FN(isms_cvss_ge, c >= 0)

PG_FUNCTION_INFO_V1(isms_cvss_cmp);
Datum
isms_cvss_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(cvss_compare(PG_GETARG_CVSS_P(0), PG_GETARG_CVSS_P(1)));
}

/* Support of isms.min / isms.max */
PG_FUNCTION_INFO_V1(isms_cvss_smaller);
Datum
isms_cvss_smaller(PG_FUNCTION_ARGS)
{
	cvss_vector *a = PG_GETARG_CVSS_P(0);
	cvss_vector *b = PG_GETARG_CVSS_P(1);

	PG_RETURN_POINTER(cvss_compare(a, b) <= 0 ? a : b);
}

PG_FUNCTION_INFO_V1(isms_cvss_larger);
Datum
isms_cvss_larger(PG_FUNCTION_ARGS)
{
	cvss_vector *a = PG_GETARG_CVSS_P(0);
	cvss_vector *b = PG_GETARG_CVSS_P(1);

	PG_RETURN_POINTER(cvss_compare(a, b) >= 0 ? a : b);
}

/* Equal values have equal bytes (the score is derived), so hash the bytes. */
PG_FUNCTION_INFO_V1(isms_cvss_hash);
Datum
isms_cvss_hash(PG_FUNCTION_ARGS)
{
	return hash_any((unsigned char *) PG_GETARG_CVSS_P(0), sizeof(cvss_vector));
}

PG_FUNCTION_INFO_V1(isms_cvss_hash_extended);
Datum
isms_cvss_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_any_extended((unsigned char *) PG_GETARG_CVSS_P(0), sizeof(cvss_vector),
							 PG_GETARG_INT64(1));
}

/* ---------- scores and metrics ---------- */

/*
 * A score in tenths as numeric (0.0 .. 10.0).  The 101 possible values are
 * built once per backend and copied, which is several times cheaper than
 * numeric_in on every call.
 */
static Datum
tenths_numeric(int tenths)
{
	static struct varlena *cache[101];
	struct varlena *r;

	if (tenths < 0 || tenths > 100)
		elog(ERROR, "CVSS score %d tenths out of range", tenths);	/* cannot happen */
	if (cache[tenths] == NULL)
	{
		char		buf[16];
		Datum		d;
		struct varlena *n;

		snprintf(buf, sizeof(buf), "%d.%d", tenths / 10, tenths % 10);
		d = DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
								ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
		n = MemoryContextAlloc(TopMemoryContext, VARSIZE(DatumGetPointer(d)));
		memcpy(n, DatumGetPointer(d), VARSIZE(DatumGetPointer(d)));
		cache[tenths] = n;
	}
	r = palloc(VARSIZE(cache[tenths]));
	memcpy(r, cache[tenths], VARSIZE(cache[tenths]));
	return PointerGetDatum(r);
}

PG_FUNCTION_INFO_V1(isms_cvss_version);
Datum
isms_cvss_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(cvss_version_text(PG_GETARG_CVSS_P(0)->version)));
}

PG_FUNCTION_INFO_V1(isms_cvss_base_score);
Datum
isms_cvss_base_score(PG_FUNCTION_ARGS)
{
	return tenths_numeric(cvss_base_score(PG_GETARG_CVSS_P(0)));
}

PG_FUNCTION_INFO_V1(isms_cvss_temporal_score);
Datum
isms_cvss_temporal_score(PG_FUNCTION_ARGS)
{
	int			s = cvss_temporal_score(PG_GETARG_CVSS_P(0));

	if (s < 0)
		PG_RETURN_NULL();
	return tenths_numeric(s);
}

PG_FUNCTION_INFO_V1(isms_cvss_environmental_score);
Datum
isms_cvss_environmental_score(PG_FUNCTION_ARGS)
{
	int			s = cvss_environmental_score(PG_GETARG_CVSS_P(0));

	if (s < 0)
		PG_RETURN_NULL();
	return tenths_numeric(s);
}

PG_FUNCTION_INFO_V1(isms_cvss_score);
Datum
isms_cvss_score(PG_FUNCTION_ARGS)
{
	return tenths_numeric(PG_GETARG_CVSS_P(0)->score);
}

PG_FUNCTION_INFO_V1(isms_cvss_severity);
Datum
isms_cvss_severity(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(cvss_severity(PG_GETARG_CVSS_P(0)->score)));
}

/*
 * A metric's value ("X" when the vector leaves an optional metric Not
 * Defined); NULL when the metric belongs only to another CVSS version, so
 * that one query can run over a column mixing versions.
 */
PG_FUNCTION_INFO_V1(isms_cvss_metric);
Datum
isms_cvss_metric(PG_FUNCTION_ARGS)
{
	cvss_vector *v = PG_GETARG_CVSS_P(0);
	text	   *name = PG_GETARG_TEXT_PP(1);
	const char *s = VARDATA_ANY(name);
	size_t		len = VARSIZE_ANY_EXHDR(name);
	int			slot = cvss_metric_slot(v->version, s, len);

	if (slot < 0)
	{
		if (cvss_metric_slot(CVSS_V31, s, len) >= 0 || cvss_metric_slot(CVSS_V40, s, len) >= 0)
			PG_RETURN_NULL();
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown CVSS metric \"%s\"", printable(text_to_cstring(name))),
				 errhint("Metric names are the abbreviations of the vector string, such as AV, PR, MAV or E, in upper case.")));
	}
	PG_RETURN_TEXT_P(cstring_to_text(cvss_value_name(v->version, slot, cvss_get(v, slot))));
}
