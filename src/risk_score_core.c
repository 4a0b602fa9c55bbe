/*
 * risk_score_core.c: parsing, formatting and packing of risk scores, in
 * plain C so that it can be unit-tested and fuzzed outside the server.
 * Errors are returned as rs_status codes; the glue turns them into ereport.
 */
#include "risk_score_core.h"

static int
rs_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Read one run of ASCII digits at s[*pos..len).  Returns 0 when there is no
 * digit.  The value saturates at RS_AXIS_MAX + 1, so any number of digits
 * is read without overflow and reported as out of range by the caller.
 */
static int
rs_read_number(const char *s, size_t len, size_t *pos, int *value)
{
	size_t		start = *pos;
	int			v = 0;

	while (*pos < len && s[*pos] >= '0' && s[*pos] <= '9')
	{
		if (v <= RS_AXIS_MAX)
			v = v * 10 + (s[*pos] - '0');
		(*pos)++;
	}
	if (v > RS_AXIS_MAX)
		v = RS_AXIS_MAX + 1;
	*value = v;
	return *pos > start;
}

rs_status
rs_parse(const char *s, size_t len, int *likelihood, int *impact)
{
	size_t		pos = 0;
	int			l,
				i;

	while (pos < len && rs_is_space(s[pos]))
		pos++;
	if (!rs_read_number(s, len, &pos, &l))
		return RS_ERR_SYNTAX;
	while (pos < len && rs_is_space(s[pos]))
		pos++;
	if (pos >= len || (s[pos] != 'x' && s[pos] != 'X'))
		return RS_ERR_SYNTAX;
	pos++;
	while (pos < len && rs_is_space(s[pos]))
		pos++;
	if (!rs_read_number(s, len, &pos, &i))
		return RS_ERR_SYNTAX;
	while (pos < len && rs_is_space(s[pos]))
		pos++;
	if (pos != len)
		return RS_ERR_SYNTAX;
	if (!rs_axes_valid(l, i, RS_AXIS_MAX))
		return RS_ERR_RANGE;
	*likelihood = l;
	*impact = i;
	return RS_OK;
}

/* Decimal digits of v (0 <= v <= 999) into buf; returns how many. */
static int
rs_put_number(int v, char *buf)
{
	int			n = 0;

	if (v >= 100)
		buf[n++] = (char) ('0' + v / 100);
	if (v >= 10)
		buf[n++] = (char) ('0' + (v / 10) % 10);
	buf[n++] = (char) ('0' + v % 10);
	return n;
}

int
rs_format(int likelihood, int impact, char *buf)
{
	int			n;

	n = rs_put_number(likelihood, buf);
	buf[n++] = 'x';
	n += rs_put_number(impact, buf + n);
	buf[n] = '\0';
	return n;
}

int
rs_axes_valid(int likelihood, int impact, int max)
{
	return likelihood >= 1 && likelihood <= max && impact >= 1 && impact <= max;
}

int32_t
rs_pack(int likelihood, int impact)
{
	uint32_t	key;

	key = ((uint32_t) (likelihood * impact) << 16) |
		((uint32_t) impact << 8) | (uint32_t) likelihood;
	return (int32_t) ((int64_t) key - INT64_C(2147483648));
}

/* The unsigned key behind a packed value. */
static uint32_t
rs_key(int32_t packed)
{
	return (uint32_t) ((int64_t) packed + INT64_C(2147483648));
}

int
rs_likelihood(int32_t packed)
{
	return (int) (rs_key(packed) & 0xff);
}

int
rs_impact(int32_t packed)
{
	return (int) ((rs_key(packed) >> 8) & 0xff);
}

int
rs_score(int32_t packed)
{
	return (int) (rs_key(packed) >> 16);
}

int
rs_packed_valid(int32_t packed)
{
	int			l = rs_likelihood(packed);
	int			i = rs_impact(packed);

	return rs_axes_valid(l, i, RS_AXIS_MAX) && rs_score(packed) == l * i;
}
