/*
 * risk_score_fuzz.c: libFuzzer harness of risk_score_core.c.  Any input
 * either fails to parse or parses to a valid value whose canonical text
 * parses back to the same value and orders consistently with its parts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "risk_score_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int			l,
				i,
				l2,
				i2,
				n;
	char		buf[RS_TEXT_SIZE];
	int32_t		p;
	rs_status	st;

	st = rs_parse((const char *) data, size, &l, &i);
	if (st != RS_OK)
	{
		if (st != RS_ERR_SYNTAX && st != RS_ERR_RANGE)
			abort();
		return 0;
	}
	if (!rs_axes_valid(l, i, RS_AXIS_MAX))
		abort();
	n = rs_format(l, i, buf);
	if (n <= 0 || n >= RS_TEXT_SIZE || (size_t) n != strlen(buf))
		abort();
	if (rs_parse(buf, (size_t) n, &l2, &i2) != RS_OK || l2 != l || i2 != i)
		abort();
	p = rs_pack(l, i);
	if (!rs_packed_valid(p) || rs_likelihood(p) != l || rs_impact(p) != i ||
		rs_score(p) != l * i)
		abort();
	/* The neighbour with one more impact (same likelihood) sorts after it. */
	if (i < RS_AXIS_MAX && rs_cmp(p, rs_pack(l, i + 1)) >= 0)
		abort();
	if (l < RS_AXIS_MAX && rs_cmp(p, rs_pack(l + 1, i)) >= 0)
		abort();
	return 0;
}
