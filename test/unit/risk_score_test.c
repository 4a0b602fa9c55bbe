/*
 * risk_score_test.c: unit and property tests of risk_score_core.c:
 * parse(format(v)) = v over every value, format(parse(s)) canonical, the
 * packed order equals (product, impact, likelihood), and bad inputs.
 */
#include <string.h>

#include "risk_score_core.h"
#include "unit.h"

/* The order the issue defines, computed the slow obvious way. */
static int
reference_cmp(int l1, int i1, int l2, int i2)
{
	int			p1 = l1 * i1,
				p2 = l2 * i2;

	if (p1 != p2)
		return p1 < p2 ? -1 : 1;
	if (i1 != i2)
		return i1 < i2 ? -1 : 1;
	if (l1 != l2)
		return l1 < l2 ? -1 : 1;
	return 0;
}

static rs_status
parse_str(const char *s, int *l, int *i)
{
	return rs_parse(s, strlen(s), l, i);
}

/* xorshift32: a deterministic pseudo-random sequence for the property tests. */
static unsigned int
next_random(unsigned int *state)
{
	unsigned int x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

static void
test_round_trip_every_value(void)
{
	int			l,
				i,
				bad_text = 0,
				bad_pack = 0;
	char		buf[RS_TEXT_SIZE];

	for (l = 1; l <= RS_AXIS_MAX; l++)
		for (i = 1; i <= RS_AXIS_MAX; i++)
		{
			int			pl = 0,
						pi = 0,
						n = rs_format(l, i, buf);
			int32_t		p = rs_pack(l, i);

			if (n >= RS_TEXT_SIZE || (int) strlen(buf) != n ||
				rs_parse(buf, (size_t) n, &pl, &pi) != RS_OK || pl != l || pi != i)
				bad_text++;
			if (rs_likelihood(p) != l || rs_impact(p) != i || rs_score(p) != l * i ||
				!rs_packed_valid(p))
				bad_pack++;
		}
	UNIT_CHECK(bad_text == 0, "parse(format(v)) != v for %d of 65025 values", bad_text);
	UNIT_CHECK(bad_pack == 0, "pack/unpack lost %d of 65025 values", bad_pack);
	rs_format(255, 255, buf);
	UNIT_CHECK(strcmp(buf, "255x255") == 0, "largest value formats as %s", buf);
	rs_format(1, 1, buf);
	UNIT_CHECK(strcmp(buf, "1x1") == 0, "smallest value formats as %s", buf);
	rs_format(4, 5, buf);
	UNIT_CHECK(strcmp(buf, "4x5") == 0, "4x5 formats as %s", buf);
}

static void
test_order(void)
{
	int			l1,
				i1,
				l2,
				i2,
				bad = 0,
				k;
	unsigned int state = 2463534242u;

	/* Every pair of a 12x12 matrix, then random pairs over the full range. */
	for (l1 = 1; l1 <= 12; l1++)
		for (i1 = 1; i1 <= 12; i1++)
			for (l2 = 1; l2 <= 12; l2++)
				for (i2 = 1; i2 <= 12; i2++)
					if (rs_cmp(rs_pack(l1, i1), rs_pack(l2, i2)) != reference_cmp(l1, i1, l2, i2))
						bad++;
	UNIT_CHECK(bad == 0, "%d pairs of a 12x12 matrix misordered", bad);
	bad = 0;
	for (k = 0; k < 200000; k++)
	{
		l1 = (int) (next_random(&state) % RS_AXIS_MAX) + 1;
		i1 = (int) (next_random(&state) % RS_AXIS_MAX) + 1;
		l2 = (int) (next_random(&state) % RS_AXIS_MAX) + 1;
		i2 = (int) (next_random(&state) % RS_AXIS_MAX) + 1;
		if (rs_cmp(rs_pack(l1, i1), rs_pack(l2, i2)) != reference_cmp(l1, i1, l2, i2))
			bad++;
	}
	UNIT_CHECK(bad == 0, "%d of 200000 random pairs misordered", bad);
	/* The extremes sit at both ends of the int32 range without wrapping. */
	UNIT_CHECK(rs_pack(1, 1) < rs_pack(2, 1), "1x1 < 2x1");
	UNIT_CHECK(rs_pack(255, 254) < rs_pack(254, 255), "255x254 < 254x255 (same product, impact decides)");
	UNIT_CHECK(rs_pack(254, 255) < rs_pack(255, 255), "254x255 < 255x255");
	UNIT_CHECK(rs_pack(4, 5) > rs_pack(5, 4), "4x5 sorts after 5x4");
	UNIT_CHECK(rs_pack(1, 5) < rs_pack(2, 3), "1x5 (5) < 2x3 (6)");
}

static void
test_good_inputs(void)
{
	static const struct
	{
		const char *in;
		int			l;
		int			i;
	}			cases[] = {
		{"4x5", 4, 5}, {"4X5", 4, 5}, {" 4x5", 4, 5}, {"4x5 ", 4, 5},
		{"4 x 5", 4, 5}, {"\t4\tX\t5\n", 4, 5}, {"04x005", 4, 5},
		{"1x1", 1, 1}, {"255x255", 255, 255}, {"10x3", 10, 3},
		{"0000000000000000000000001x1", 1, 1},
	};
	size_t		k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
	{
		int			l = -1,
					i = -1;
		rs_status	st = parse_str(cases[k].in, &l, &i);

		UNIT_CHECK(st == RS_OK && l == cases[k].l && i == cases[k].i,
				   "\"%s\" parsed as status %d, %dx%d", cases[k].in, (int) st, l, i);
	}
}

static void
test_bad_inputs(void)
{
	static const struct
	{
		const char *in;
		rs_status	want;
	}			cases[] = {
		{"", RS_ERR_SYNTAX}, {" ", RS_ERR_SYNTAX}, {"x", RS_ERR_SYNTAX},
		{"3x", RS_ERR_SYNTAX}, {"x5", RS_ERR_SYNTAX}, {"-1x2", RS_ERR_SYNTAX},
		{"1x-2", RS_ERR_SYNTAX}, {"+1x2", RS_ERR_SYNTAX}, {"3x5x", RS_ERR_SYNTAX},
		{"3x5 z", RS_ERR_SYNTAX}, {"3*5", RS_ERR_SYNTAX}, {"35", RS_ERR_SYNTAX},
		{"3.0x5", RS_ERR_SYNTAX}, {"3 5", RS_ERR_SYNTAX}, {"3xx5", RS_ERR_SYNTAX},
		{"３x５", RS_ERR_SYNTAX}, {"3×5", RS_ERR_SYNTAX}, {"0x1f", RS_ERR_SYNTAX},
		{"1 2x3", RS_ERR_SYNTAX}, {"9999999999999999999999x", RS_ERR_SYNTAX},
		{"0x3", RS_ERR_RANGE}, {"3x0", RS_ERR_RANGE}, {"256x1", RS_ERR_RANGE},
		{"1x256", RS_ERR_RANGE}, {"99999999999999999999x1", RS_ERR_RANGE},
		{"000x1", RS_ERR_RANGE},
	};
	size_t		k;
	int			l,
				i;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
	{
		rs_status	st = parse_str(cases[k].in, &l, &i);

		UNIT_CHECK(st == cases[k].want, "\"%s\": status %d, want %d",
				   cases[k].in, (int) st, (int) cases[k].want);
	}
	/* A NUL byte inside the given length is not white space. */
	UNIT_CHECK(rs_parse("4x5\0", 4, &l, &i) == RS_ERR_SYNTAX, "embedded NUL refused");
	/* Only len bytes are read: "4x5" followed by junk outside the length. */
	UNIT_CHECK(rs_parse("4x5junk", 3, &l, &i) == RS_OK && l == 4 && i == 5, "length respected");
}

/* format(parse(s)) is canonical: random strings over the input alphabet. */
static void
test_canonical_property(void)
{
	static const char alphabet[] = "0123456789xX \t-+.";
	unsigned int state = 88172645u;
	int			k,
				parsed = 0,
				bad = 0;

	for (k = 0; k < 300000; k++)
	{
		char		s[12],
					out[RS_TEXT_SIZE],
					again[RS_TEXT_SIZE];
		size_t		n = next_random(&state) % sizeof(s),
					j;
		int			l,
					i,
					l2,
					i2;

		for (j = 0; j < n; j++)
			s[j] = alphabet[next_random(&state) % (sizeof(alphabet) - 1)];
		if (rs_parse(s, n, &l, &i) != RS_OK)
			continue;
		parsed++;
		rs_format(l, i, out);
		if (rs_parse(out, strlen(out), &l2, &i2) != RS_OK || l2 != l || i2 != i)
			bad++;
		rs_format(l2, i2, again);
		if (strcmp(out, again) != 0 || strchr(out, ' ') || strchr(out, 'X') ||
			(out[0] == '0'))
			bad++;
	}
	UNIT_CHECK(parsed > 1000, "only %d random strings parsed", parsed);
	UNIT_CHECK(bad == 0, "%d random strings broke format(parse(s)) canonical", bad);
}

void
risk_score_test(void)
{
	test_round_trip_every_value();
	test_order();
	test_good_inputs();
	test_bad_inputs();
	test_canonical_property();
}
