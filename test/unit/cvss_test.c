/*
 * cvss_test.c: unit and property tests of src/cvss_core.c: cited scores,
 * every metric value, malformed vectors, canonical form, packing, order.
 */
#include <stdlib.h>
#include <string.h>

#include "cvss_core.h"
#include "unit.h"
#include "cvss_data.h"

void		cvss_test(void);

static int
parse_str(const char *s, cvss_vector *v, cvss_error *e)
{
	return cvss_parse(s, strlen(s), v, e);
}

static void
test_cited_scores(void)
{
	size_t		i;

	for (i = 0; i < sizeof(cvss_expected) / sizeof(cvss_expected[0]); i++)
	{
		const cvss_expect *x = &cvss_expected[i];
		cvss_vector v;
		cvss_error e;

		if (parse_str(x->vector, &v, &e) != CVSS_OK)
		{
			UNIT_CHECK(0, "%s does not parse (%s)", x->vector, cvss_status_text(e.code));
			continue;
		}
		UNIT_CHECK(cvss_base_score(&v) == x->base, "%s: base %d, expected %d (%s)",
				   x->vector, cvss_base_score(&v), x->base, x->source);
		if (x->temporal != -2)
			UNIT_CHECK(cvss_temporal_score(&v) == x->temporal, "%s: temporal %d, expected %d (%s)",
					   x->vector, cvss_temporal_score(&v), x->temporal, x->source);
		if (x->environmental != -2)
			UNIT_CHECK(cvss_environmental_score(&v) == x->environmental,
					   "%s: environmental %d, expected %d (%s)",
					   x->vector, cvss_environmental_score(&v), x->environmental, x->source);
		UNIT_CHECK(cvss_score(&v) == x->score && v.score == x->score,
				   "%s: score %d, expected %d (%s)", x->vector, cvss_score(&v), x->score, x->source);
	}
}

/* Base vectors that every metric of a version is tried against. */
static const char *const base_of[4] = {
	NULL,
	"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
	"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
	"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
};

/*
 * Every value of every metric of every version: parsed where the
 * specification puts it, read back, and printed back canonically.
 */
static void
test_every_value(void)
{
	int			version;

	for (version = CVSS_V30; version <= CVSS_V40; version++)
	{
		int			n = cvss_slot_count(version);
		int			slot;

		for (slot = 0; slot < n; slot++)
		{
			int			vi;

			for (vi = 0; vi <= cvss_value_count(version, slot); vi++)
			{
				char		text[CVSS_TEXT_MAX + 64];
				char		out[CVSS_TEXT_MAX];
				cvss_vector v;
				cvss_vector w;
				cvss_error	e;
				const char *name = cvss_metric_name(version, slot);
				const char *val = cvss_value_name(version, slot, vi);
				int			rc;

				if (cvss_metric_mandatory(version, slot))
				{
					/* replace the base metric's value in the base vector */
					const char *b = base_of[version];
					char		needle[16];
					const char *at;
					const char *rest;

					if (vi == 0)
						continue;
					snprintf(needle, sizeof(needle), "/%s:", name);
					at = strstr(b, needle);
					rest = strchr(at + 1, '/');
					snprintf(text, sizeof(text), "%.*s%s%s%s", (int) (at - b), b, needle, val,
							 rest ? rest : "");
				}
				else
					snprintf(text, sizeof(text), "%s/%s:%s", base_of[version], name, val);

				rc = parse_str(text, &v, &e);
				UNIT_CHECK(rc == CVSS_OK, "%s: %s %s", text, cvss_status_text(e.code), e.metric);
				if (rc != CVSS_OK)
					continue;
				UNIT_CHECK(cvss_get(&v, slot) == vi, "%s: slot %d holds %d", text, slot, cvss_get(&v, slot));
				cvss_format(&v, out);
				if (vi == 0)
					UNIT_CHECK(strcmp(out, base_of[version]) == 0, "%s prints as %s", text, out);
				else
					UNIT_CHECK(strcmp(out, text) == 0, "%s prints as %s", text, out);
				UNIT_CHECK(parse_str(out, &w, &e) == CVSS_OK && memcmp(&v, &w, sizeof(v)) == 0,
						   "%s does not round-trip", out);
				UNIT_CHECK(v.score <= 100, "%s: score %d", text, v.score);
			}
		}
	}
}

typedef struct bad_case
{
	const char *text;
	cvss_status code;
	const char *metric;			/* expected err.metric, NULL: not checked */
} bad_case;

static const bad_case bad_cases[] = {
	{"", CVSS_ERR_EMPTY, NULL},
	{"   ", CVSS_ERR_EMPTY, NULL},
	{"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", CVSS_ERR_PREFIX, NULL},
	{"CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", CVSS_ERR_PREFIX, NULL},
	{"CVSS:2.0/AV:N/AC:L/Au:N/C:C/I:C/A:C", CVSS_ERR_PREFIX, NULL},
	{"cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", CVSS_ERR_PREFIX, NULL},
	{"CVSS:3.1", CVSS_ERR_PREFIX, NULL},
	{"CVSS:3.1/", CVSS_ERR_MISSING, "AV"},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H", CVSS_ERR_MISSING, "S"},
	{"CVSS:3.1/AV:N/AC:L/UI:N/S:U/C:H/I:H/A:H", CVSS_ERR_MISSING, "PR"},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", CVSS_ERR_MISSING, "A"},
	{"CVSS:3.1/AV:W/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", CVSS_ERR_BAD_VALUE, "AV"},
	{"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", CVSS_ERR_BAD_VALUE, "AV"},
	{"CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", CVSS_ERR_BAD_VALUE, "AV"},
	{"CVSS:3.1/AV:NN/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", CVSS_ERR_BAD_VALUE, "AV"},
	{"CVSS:3.1/AV:/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", CVSS_ERR_BAD_VALUE, "AV"},
	{"CVSS:3.1/AV:N/AC:L/PR:U/UI:N/S:U/C:H/I:H/A:H", CVSS_ERR_BAD_VALUE, "PR"},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:A", CVSS_ERR_BAD_VALUE, "E"},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MS:S", CVSS_ERR_BAD_VALUE, "MS"},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:N", CVSS_ERR_BAD_VALUE, "CR"},
	{"CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", CVSS_ERR_DUPLICATE, "AV"},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/E:P", CVSS_ERR_DUPLICATE, "E"},
	{"CVSS:3.1/AX:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", CVSS_ERR_UNKNOWN_METRIC, "AX"},
	{"CVSS:3.1/AV:N/AC:L/AT:N/PR:N/UI:N/S:U/C:H/I:H/A:H", CVSS_ERR_UNKNOWN_METRIC, "AT"},
	{"CVSS:3.1/av:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", CVSS_ERR_UNKNOWN_METRIC, "av"},
	{"CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", CVSS_ERR_SYNTAX, NULL},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", CVSS_ERR_SYNTAX, NULL},
	{"CVSS:3.1/AVN/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", CVSS_ERR_SYNTAX, "AVN"},
	{"CVSS:3.1/:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", CVSS_ERR_SYNTAX, NULL},
	{"CVSS:3.1/AV:N:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", CVSS_ERR_BAD_VALUE, "AV"},
	{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAT:N", CVSS_ERR_UNKNOWN_METRIC, "MAT"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N", CVSS_ERR_MISSING, "SA"},
	{"CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", CVSS_ERR_MISSING, "AT"},
	{"CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", CVSS_ERR_ORDER, "AV"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/SC:N/VI:H/SI:N/VA:H/SA:N", CVSS_ERR_ORDER, "VI"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/CR:H/E:A", CVSS_ERR_ORDER, "E"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/SI:H", CVSS_ERR_DUPLICATE, "SI"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N", CVSS_ERR_BAD_VALUE, "SI"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSC:S", CVSS_ERR_BAD_VALUE, "MSC"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", CVSS_ERR_BAD_VALUE, "UI"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:F", CVSS_ERR_BAD_VALUE, "E"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:red", CVSS_ERR_BAD_VALUE, "U"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/JJ:H", CVSS_ERR_UNKNOWN_METRIC, "JJ"},
	{"CVSS:4.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", CVSS_ERR_BAD_VALUE, "S"},	/* S is Safety in v4.0 */
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/RL:O", CVSS_ERR_UNKNOWN_METRIC, "RL"},
};

static void
test_malformed(void)
{
	size_t		i;
	char		big[CVSS_INPUT_MAX + 16];
	cvss_vector v;
	cvss_error	e;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++)
	{
		const bad_case *b = &bad_cases[i];
		int			rc = parse_str(b->text, &v, &e);

		UNIT_CHECK(rc == (int) b->code && e.code == b->code, "\"%s\": got %s, expected %s",
				   b->text, cvss_status_text(e.code), cvss_status_text(b->code));
		if (b->metric)
			UNIT_CHECK(strcmp(e.metric, b->metric) == 0, "\"%s\": blames \"%s\", expected \"%s\"",
					   b->text, e.metric, b->metric);
	}
	UNIT_CHECK(i >= 30, "only %d malformed vectors", (int) i);

	memset(big, 'A', sizeof(big));
	UNIT_CHECK(cvss_parse(big, sizeof(big), &v, &e) == CVSS_ERR_TOO_LONG, "overlong input accepted");
	/* not NUL-terminated input is read only up to len */
	UNIT_CHECK(cvss_parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Hxyz", 44, &v, &e) == CVSS_OK,
			   "len not honoured");
	/* order error names the metric it came after */
	parse_str(bad_cases[33].text, &v, &e);
	UNIT_CHECK(strcmp(e.after, "AC") == 0, "order error after \"%s\"", e.after);
}

static void
test_canonical(void)
{
	static const char *const pairs[][2] = {
		/* any order, X dropped, white space trimmed (v3.x accepts any order) */
		{"CVSS:3.0/S:C/C:H/I:H/A:N/AV:P/AC:H/PR:H/UI:R/E:H/RL:O/RC:R/CR:H/IR:X/AR:X/MAC:H/MPR:X/MUI:X/MC:L/MA:X",
		"CVSS:3.0/AV:P/AC:H/PR:H/UI:R/S:C/C:H/I:H/A:N/E:H/RL:O/RC:R/CR:H/MAC:H/MC:L"},
		{"  CVSS:3.1/A:N/E:P/RC:C/MAV:N/AV:A/AC:H/S:U/C:N/I:L/MPR:H/MUI:X/MS:U/MI:X/PR:H/UI:R\n",
		"CVSS:3.1/AV:A/AC:H/PR:H/UI:R/S:U/C:N/I:L/A:N/E:P/RC:C/MAV:N/MPR:H/MS:U"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/CR:X/MSI:S/S:X/U:Amber",
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSI:S/U:Amber"},
	};
	size_t		i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
	{
		cvss_vector v;
		cvss_error	e;
		char		out[CVSS_TEXT_MAX];

		UNIT_CHECK(parse_str(pairs[i][0], &v, &e) == CVSS_OK, "%s: %s", pairs[i][0], cvss_status_text(e.code));
		cvss_format(&v, out);
		UNIT_CHECK(strcmp(out, pairs[i][1]) == 0, "%s prints as %s", pairs[i][0], out);
	}
}

/* Bounds and the qualitative rating bands (v3.1 section 5, v4.0 section 6). */
static void
test_severity(void)
{
	UNIT_CHECK(strcmp(cvss_severity(0), "None") == 0, "0.0");
	UNIT_CHECK(strcmp(cvss_severity(1), "Low") == 0, "0.1");
	UNIT_CHECK(strcmp(cvss_severity(39), "Low") == 0, "3.9");
	UNIT_CHECK(strcmp(cvss_severity(40), "Medium") == 0, "4.0");
	UNIT_CHECK(strcmp(cvss_severity(69), "Medium") == 0, "6.9");
	UNIT_CHECK(strcmp(cvss_severity(70), "High") == 0, "7.0");
	UNIT_CHECK(strcmp(cvss_severity(89), "High") == 0, "8.9");
	UNIT_CHECK(strcmp(cvss_severity(90), "Critical") == 0, "9.0");
	UNIT_CHECK(strcmp(cvss_severity(100), "Critical") == 0, "10.0");
}

static unsigned int rng_state = 12345;

static int
rnd(int n)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return (int) ((rng_state >> 16) % (unsigned) n);
}

static void
random_vector(cvss_vector *v)
{
	int			version = CVSS_V30 + rnd(3);
	int			n = cvss_slot_count(version);
	int			slot;

	memset(v, 0, sizeof(*v));
	v->version = (uint8_t) version;
	for (slot = 0; slot < n; slot++)
	{
		int			k = cvss_value_count(version, slot);

		if (cvss_metric_mandatory(version, slot))
			cvss_set(v, slot, 1 + rnd(k));
		else if (rnd(2))
			cvss_set(v, slot, rnd(k + 1));
	}
	cvss_refresh(v);
}

/*
 * Properties over random vectors: valid, printed text parses back to the
 * same bytes, scores within 0..10 with base 0 exactly when no impact,
 * comparison a total order consistent with equality.
 */
static void
test_properties(void)
{
	int			i;
	int			bad_roundtrip = 0,
				bad_range = 0,
				bad_order = 0,
				bad_valid = 0;

	for (i = 0; i < 20000; i++)
	{
		cvss_vector a,
					b,
					c,
					w;
		cvss_error	e;
		char		out[CVSS_TEXT_MAX];
		int			ab,
					ba,
					bc,
					ac;

		random_vector(&a);
		random_vector(&b);
		random_vector(&c);
		if (cvss_validate(&a, &e) != CVSS_OK)
			bad_valid++;
		cvss_format(&a, out);
		if (parse_str(out, &w, &e) != CVSS_OK || memcmp(&a, &w, sizeof(a)) != 0)
			bad_roundtrip++;
		if (a.score > 100 || cvss_base_score(&a) < 0 || cvss_base_score(&a) > 100 ||
			(a.version != CVSS_V40 && (cvss_temporal_score(&a) > cvss_base_score(&a))))
			bad_range++;
		ab = cvss_compare(&a, &b);
		ba = cvss_compare(&b, &a);
		bc = cvss_compare(&b, &c);
		ac = cvss_compare(&a, &c);
		if (ab != -ba || (cvss_compare(&a, &w) != 0))
			bad_order++;
		if (ab < 0 && bc < 0 && ac >= 0)
			bad_order++;
		if ((ab == 0) != (memcmp(&a, &b, sizeof(a)) == 0))
			bad_order++;
		if (ab < 0 && a.score > b.score)
			bad_order++;
	}
	UNIT_CHECK(bad_valid == 0, "%d random vectors invalid", bad_valid);
	UNIT_CHECK(bad_roundtrip == 0, "%d random vectors do not round-trip", bad_roundtrip);
	UNIT_CHECK(bad_range == 0, "%d random vectors score out of range", bad_range);
	UNIT_CHECK(bad_order == 0, "%d order violations", bad_order);
}

static void
test_packing_and_validate(void)
{
	cvss_vector v;
	cvss_error	e;
	int			slot;

	memset(&v, 0, sizeof(v));
	for (slot = 0; slot < CVSS_MAX_METRICS; slot++)
		cvss_set(&v, slot, slot % 5);
	for (slot = 0; slot < CVSS_MAX_METRICS; slot++)
		UNIT_CHECK(cvss_get(&v, slot) == slot % 5, "slot %d", slot);
	UNIT_CHECK(sizeof(cvss_vector) == 20, "cvss_vector is %d bytes", (int) sizeof(cvss_vector));

	parse_str(base_of[CVSS_V31], &v, &e);
	UNIT_CHECK(cvss_validate(&v, &e) == CVSS_OK, "valid vector refused");
	cvss_set(&v, 0, 5);
	UNIT_CHECK(cvss_validate(&v, &e) == CVSS_ERR_BAD_VALUE && strcmp(e.metric, "AV") == 0,
			   "AV index 5 accepted");
	cvss_set(&v, 0, 0);
	UNIT_CHECK(cvss_validate(&v, &e) == CVSS_ERR_MISSING, "missing AV accepted");
	cvss_set(&v, 0, 1);
	cvss_set(&v, 25, 1);
	UNIT_CHECK(cvss_validate(&v, &e) != CVSS_OK, "v3.1 with slot 25 set accepted");
	cvss_set(&v, 25, 0);
	v.version = 9;
	UNIT_CHECK(cvss_validate(&v, &e) != CVSS_OK, "version 9 accepted");
}

static void
test_macrovector(void)
{
	cvss_vector v;
	cvss_error	e;
	char		mv[7];

	parse_str("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", &v, &e);
	cvss4_macrovector(&v, mv);
	UNIT_CHECK(strcmp(mv, "000100") == 0, "macrovector %s", mv);
	UNIT_CHECK(cvss_score(&v) == 100, "all-high v4.0 scores %d", cvss_score(&v));
	parse_str("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:L/VA:L/SC:L/SI:L/SA:L/E:U", &v, &e);
	cvss4_macrovector(&v, mv);
	UNIT_CHECK(strcmp(mv, "212221") == 0, "macrovector %s", mv);
}

void
cvss_test(void)
{
	test_cited_scores();
	test_every_value();
	test_malformed();
	test_canonical();
	test_severity();
	test_properties();
	test_packing_and_validate();
	test_macrovector();
}
