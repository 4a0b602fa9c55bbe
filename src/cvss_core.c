/*
 * cvss_core.c: CVSS v3.0, v3.1 and v4.0 vector strings: parsing by each
 * specification's rules, canonical formatting, compact packing, and the
 * exact scores FIRST's specifications and calculators define.
 */
#include "cvss_core.h"

#include <math.h>
#include <string.h>

/*
 * Metric tables in specification order (CVSS v3.1 Table 15, identical for
 * v3.0; CVSS v4.0 Table 23).  Value index 0 is Not Defined (X), allowed
 * only for optional metrics; 1..nvalues index values[].
 */
typedef struct metric_def
{
	const char *name;
	unsigned char mandatory;
	unsigned char nvalues;
	const char *values[4];
} metric_def;

#define V3_NMETRICS 22
#define V4_NMETRICS 32

static const metric_def v3_metrics[V3_NMETRICS] = {
	{"AV", 1, 4, {"N", "A", "L", "P"}},
	{"AC", 1, 2, {"L", "H"}},
	{"PR", 1, 3, {"N", "L", "H"}},
	{"UI", 1, 2, {"N", "R"}},
	{"S", 1, 2, {"U", "C"}},
	{"C", 1, 3, {"H", "L", "N"}},
	{"I", 1, 3, {"H", "L", "N"}},
	{"A", 1, 3, {"H", "L", "N"}},
	{"E", 0, 4, {"H", "F", "P", "U"}},
	{"RL", 0, 4, {"U", "W", "T", "O"}},
	{"RC", 0, 3, {"C", "R", "U"}},
	{"CR", 0, 3, {"H", "M", "L"}},
	{"IR", 0, 3, {"H", "M", "L"}},
	{"AR", 0, 3, {"H", "M", "L"}},
	{"MAV", 0, 4, {"N", "A", "L", "P"}},
	{"MAC", 0, 2, {"L", "H"}},
	{"MPR", 0, 3, {"N", "L", "H"}},
	{"MUI", 0, 2, {"N", "R"}},
	{"MS", 0, 2, {"U", "C"}},
	{"MC", 0, 3, {"H", "L", "N"}},
	{"MI", 0, 3, {"H", "L", "N"}},
	{"MA", 0, 3, {"H", "L", "N"}},
};

/* v3.x slots used by the formulas */
enum
{
	V3_AV, V3_AC, V3_PR, V3_UI, V3_S, V3_C, V3_I, V3_A,
	V3_E, V3_RL, V3_RC, V3_CR, V3_IR, V3_AR,
	V3_MAV, V3_MAC, V3_MPR, V3_MUI, V3_MS, V3_MC, V3_MI, V3_MA
};

static const metric_def v4_metrics[V4_NMETRICS] = {
	{"AV", 1, 4, {"N", "A", "L", "P"}},
	{"AC", 1, 2, {"L", "H"}},
	{"AT", 1, 2, {"N", "P"}},
	{"PR", 1, 3, {"N", "L", "H"}},
	{"UI", 1, 3, {"N", "P", "A"}},
	{"VC", 1, 3, {"H", "L", "N"}},
	{"VI", 1, 3, {"H", "L", "N"}},
	{"VA", 1, 3, {"H", "L", "N"}},
	{"SC", 1, 3, {"H", "L", "N"}},
	{"SI", 1, 3, {"H", "L", "N"}},
	{"SA", 1, 3, {"H", "L", "N"}},
	{"E", 0, 3, {"A", "P", "U"}},
	{"CR", 0, 3, {"H", "M", "L"}},
	{"IR", 0, 3, {"H", "M", "L"}},
	{"AR", 0, 3, {"H", "M", "L"}},
	{"MAV", 0, 4, {"N", "A", "L", "P"}},
	{"MAC", 0, 2, {"L", "H"}},
	{"MAT", 0, 2, {"N", "P"}},
	{"MPR", 0, 3, {"N", "L", "H"}},
	{"MUI", 0, 3, {"N", "P", "A"}},
	{"MVC", 0, 3, {"H", "L", "N"}},
	{"MVI", 0, 3, {"H", "L", "N"}},
	{"MVA", 0, 3, {"H", "L", "N"}},
	{"MSC", 0, 3, {"H", "L", "N"}},
	{"MSI", 0, 4, {"S", "H", "L", "N"}},
	{"MSA", 0, 4, {"S", "H", "L", "N"}},
	{"S", 0, 2, {"N", "P"}},
	{"AU", 0, 2, {"N", "Y"}},
	{"R", 0, 3, {"A", "U", "I"}},
	{"V", 0, 2, {"D", "C"}},
	{"RE", 0, 3, {"L", "M", "H"}},
	{"U", 0, 4, {"Clear", "Green", "Amber", "Red"}},
};

/* v4.0 slots used by the scoring; a modified metric sits 15 slots after its base metric */
enum
{
	V4_AV, V4_AC, V4_AT, V4_PR, V4_UI, V4_VC, V4_VI, V4_VA, V4_SC, V4_SI, V4_SA,
	V4_E, V4_CR, V4_IR, V4_AR,
	V4_MAV, V4_MAC, V4_MAT, V4_MPR, V4_MUI, V4_MVC, V4_MVI, V4_MVA, V4_MSC,
	V4_MSI, V4_MSA
};
#define V4_MODIFIED_OFFSET (V4_MAV - V4_AV)

static const metric_def *
metric_table(int version, int *n)
{
	switch (version)
	{
		case CVSS_V30:
		case CVSS_V31:
			*n = V3_NMETRICS;
			return v3_metrics;
		case CVSS_V40:
			*n = V4_NMETRICS;
			return v4_metrics;
		default:
			*n = 0;
			return NULL;
	}
}

int
cvss_slot_count(int version)
{
	int			n;

	(void) metric_table(version, &n);
	return n;
}

const char *
cvss_version_text(int version)
{
	switch (version)
	{
		case CVSS_V30:
			return "3.0";
		case CVSS_V31:
			return "3.1";
		case CVSS_V40:
			return "4.0";
		default:
			return "?.?";
	}
}

const char *
cvss_metric_name(int version, int slot)
{
	int			n;
	const metric_def *t = metric_table(version, &n);

	return (slot >= 0 && slot < n) ? t[slot].name : NULL;
}

int
cvss_value_count(int version, int slot)
{
	int			n;
	const metric_def *t = metric_table(version, &n);

	return (slot >= 0 && slot < n) ? t[slot].nvalues : 0;
}

int
cvss_metric_mandatory(int version, int slot)
{
	int			n;
	const metric_def *t = metric_table(version, &n);

	return (slot >= 0 && slot < n) ? t[slot].mandatory : 0;
}

const char *
cvss_value_name(int version, int slot, int vi)
{
	int			n;
	const metric_def *t = metric_table(version, &n);

	if (slot < 0 || slot >= n || vi < 0 || vi > t[slot].nvalues)
		return NULL;
	return vi == 0 ? "X" : t[slot].values[vi - 1];
}

/* name (NUL-terminated) equals the len bytes at s; the hot path of parsing */
static inline int
name_is(const char *name, const char *s, size_t len)
{
	size_t		i;

	for (i = 0; i < len; i++)
		if (name[i] == '\0' || name[i] != s[i])
			return 0;
	return name[len] == '\0';
}

int
cvss_metric_slot(int version, const char *name, size_t len)
{
	int			n;
	int			i;
	const metric_def *t = metric_table(version, &n);

	for (i = 0; i < n; i++)
		if (name_is(t[i].name, name, len))
			return i;
	return -1;
}

/* 1-based index of a value of metric m, 0 for X when allowed, -1 if not allowed */
static int
find_value(const metric_def *m, const char *val, size_t vlen)
{
	int			i;

	if (vlen == 1)
	{
		if (val[0] == 'X')
			return m->mandatory ? -1 : 0;
		for (i = 0; i < m->nvalues; i++)
			if (m->values[i][0] == val[0] && m->values[i][1] == '\0')
				return i + 1;
		return -1;
	}
	for (i = 0; i < m->nvalues; i++)
		if (name_is(m->values[i], val, vlen))
			return i + 1;
	return -1;
}

/*
 * Nibble access.  The static inline versions are what this file uses: the
 * exported ones would be called through the PLT inside a shared library.
 */
static inline void
nib_set(cvss_vector *v, int slot, int value)
{
	uint8_t    *b = &v->m[slot >> 1];

	if ((slot & 1) == 0)
		*b = (uint8_t) ((*b & 0x0F) | ((value & 0x0F) << 4));
	else
		*b = (uint8_t) ((*b & 0xF0) | (value & 0x0F));
}

static inline int
nib_get(const cvss_vector *v, int slot)
{
	uint8_t		b = v->m[slot >> 1];

	return (slot & 1) == 0 ? b >> 4 : b & 0x0F;
}

void
cvss_set(cvss_vector *v, int slot, int value)
{
	nib_set(v, slot, value);
}

int
cvss_get(const cvss_vector *v, int slot)
{
	return nib_get(v, slot);
}

/*
 * Lookup tables for the parser's hot path, filled once from the metric
 * tables: each metric name as a number (base 32 over its letters), the
 * value index of every one-letter value by letter, and the mandatory
 * metrics as a bit mask.
 */
typedef struct parse_tables
{
	int			ready;
	int			code[4][CVSS_MAX_METRICS];
	signed char value_of[4][CVSS_MAX_METRICS][27];
	uint32_t	mandatory[4];
} parse_tables;

static parse_tables pt;

static void
init_parse_tables(void)
{
	int			version;

	for (version = CVSS_V30; version <= CVSS_V40; version++)
	{
		int			n;
		const metric_def *t = metric_table(version, &n);
		int			i;

		for (i = 0; i < n; i++)
		{
			const char *c;
			int			k;

			pt.code[version][i] = 0;
			for (c = t[i].name; *c; c++)
				pt.code[version][i] = pt.code[version][i] * 32 + (*c - '@');
			memset(pt.value_of[version][i], -1, sizeof(pt.value_of[version][i]));
			if (!t[i].mandatory)
				pt.value_of[version][i]['X' - '@'] = 0;
			for (k = 0; k < t[i].nvalues; k++)
				if (t[i].values[k][1] == '\0')
					pt.value_of[version][i][t[i].values[k][0] - '@'] = (signed char) (k + 1);
			if (t[i].mandatory)
				pt.mandatory[version] |= (uint32_t) 1 << i;
		}
	}
	pt.ready = 1;
}

/* First letter of a slot's value, 'X' when Not Defined (every value differs in its first letter). */
static char
ch(const cvss_vector *v, int slot)
{
	int			vi = nib_get(v, slot);
	const metric_def *t = v->version == CVSS_V40 ? v4_metrics : v3_metrics;

	return vi == 0 ? 'X' : t[slot].values[vi - 1][0];
}
static void
copy_cut(char *dst, size_t dstsize, const char *src, size_t len)
{
	if (len > dstsize - 1)
		len = dstsize - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static cvss_status
fail(cvss_error *err, cvss_status code, size_t offset,
	 const char *metric, size_t mlen, const char *value, size_t vlen)
{
	if (err)
	{
		memset(err, 0, sizeof(*err));
		err->code = code;
		err->offset = (int) offset;
		if (metric)
			copy_cut(err->metric, sizeof(err->metric), metric, mlen);
		if (value)
			copy_cut(err->value, sizeof(err->value), value, vlen);
	}
	return code;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * The v3.x specifications let metrics come in any order ("Programs reading
 * CVSS v3.x vector strings must accept metrics in any order"); FIRST's v4.0
 * calculator and JSON schema require the order of Table 23, which this
 * parser enforces for v4.0.  Every version refuses duplicates, unknown
 * metrics and values, and missing base metrics; X is accepted for
 * optional metrics and means the same as leaving the metric out.
 */
cvss_status
cvss_parse(const char *text, size_t len, cvss_vector *out, cvss_error *err)
{
	size_t		start = 0;
	size_t		pos;
	int			version;
	int			n;
	const metric_def *t;
	uint32_t	seen = 0;
	int			last = -1;
	int			i;
	const int  *codes;

	memset(out, 0, sizeof(*out));
	if (err)
		memset(err, 0, sizeof(*err));

	if (len > CVSS_INPUT_MAX)
		return fail(err, CVSS_ERR_TOO_LONG, CVSS_INPUT_MAX, NULL, 0, NULL, 0);
	while (start < len && is_space(text[start]))
		start++;
	while (len > start && is_space(text[len - 1]))
		len--;
	if (start == len)
		return fail(err, CVSS_ERR_EMPTY, start, NULL, 0, NULL, 0);

	if (len - start < 9 || memcmp(text + start, "CVSS:", 5) != 0 || text[start + 8] != '/')
		version = 0;
	else if (memcmp(text + start + 5, "3.0", 3) == 0)
		version = CVSS_V30;
	else if (memcmp(text + start + 5, "3.1", 3) == 0)
		version = CVSS_V31;
	else if (memcmp(text + start + 5, "4.0", 3) == 0)
		version = CVSS_V40;
	else
		version = 0;
	if (version == 0)
	{
		size_t		plen = 0;

		while (start + plen < len && text[start + plen] != '/')
			plen++;
		return fail(err, CVSS_ERR_PREFIX, start, NULL, 0, text + start, plen);
	}

	if (!pt.ready)
		init_parse_tables();
	t = metric_table(version, &n);
	codes = pt.code[version];
	out->version = (uint8_t) version;
	pos = start + 9;

	while (pos < len)
	{
		const char *key = text + pos;
		size_t		rem = len - pos;
		size_t		klen = 0;
		size_t		end;
		const char *val;
		size_t		vlen;
		int			code = 0;
		int			slot;
		int			vi;

		/* the metric name, as a number while it is 1-3 capital letters */
		while (klen < rem)
		{
			char		c = key[klen];

			if (c == ':' || c == '/')
				break;
			if (code >= 0)
				code = (klen < 3 && c >= 'A' && c <= 'Z') ? code * 32 + (c - '@') : -1;
			klen++;
		}
		if (klen == rem || key[klen] == '/')
		{
			/* no ':' in this component */
			if (klen == 0)
				return fail(err, CVSS_ERR_SYNTAX, pos, NULL, 0, NULL, 0);
			return fail(err, CVSS_ERR_SYNTAX, pos, key, klen, NULL, 0);
		}
		if (klen == 0)
			return fail(err, CVSS_ERR_SYNTAX, pos, key, 0, NULL, 0);
		end = klen + 1;
		while (end < rem && key[end] != '/')
			end++;
		val = key + klen + 1;
		vlen = end - klen - 1;

		/* usually the next metrics in specification order: look there first */
		slot = -1;
		for (i = last + 1; i < n; i++)
			if (codes[i] == code)
			{
				slot = i;
				break;
			}
		for (i = 0; slot < 0 && i <= last; i++)
			if (codes[i] == code)
				slot = i;
		if (slot < 0)
			return fail(err, CVSS_ERR_UNKNOWN_METRIC, pos, key, klen, val, vlen);
		if (seen & ((uint32_t) 1 << slot))
			return fail(err, CVSS_ERR_DUPLICATE, pos, key, klen, val, vlen);
		if (version == CVSS_V40 && slot < last)
		{
			fail(err, CVSS_ERR_ORDER, pos, key, klen, val, vlen);
			if (err)
				copy_cut(err->after, sizeof(err->after), t[last].name, strlen(t[last].name));
			return CVSS_ERR_ORDER;
		}
		if (vlen == 1 && val[0] >= 'A' && val[0] <= 'Z')
			vi = pt.value_of[version][slot][val[0] - '@'];
		else if (vlen > 1)
			vi = find_value(&t[slot], val, vlen);
		else
			vi = -1;
		if (vi < 0)
			return fail(err, CVSS_ERR_BAD_VALUE, pos, key, klen, val, vlen);

		nib_set(out, slot, vi);
		seen |= (uint32_t) 1 << slot;
		if (slot > last)
			last = slot;

		pos += end;
		if (pos < len)
		{
			pos++;				/* the '/' */
			if (pos == len)
				return fail(err, CVSS_ERR_SYNTAX, pos, NULL, 0, NULL, 0);
		}
	}

	if ((seen & pt.mandatory[version]) != pt.mandatory[version])
		for (i = 0; i < n; i++)
			if (t[i].mandatory && !(seen & ((uint32_t) 1 << i)))
				return fail(err, CVSS_ERR_MISSING, len, t[i].name, strlen(t[i].name), NULL, 0);

	cvss_refresh(out);
	return CVSS_OK;
}

size_t
cvss_format(const cvss_vector *v, char *buf)
{
	int			n;
	const metric_def *t = metric_table(v->version, &n);
	size_t		len;
	int			i;

	memcpy(buf, "CVSS:", 5);
	memcpy(buf + 5, cvss_version_text(v->version), 3);
	len = 8;
	for (i = 0; i < n; i++)
	{
		int			vi = nib_get(v, i);
		const char *name;
		const char *val;
		size_t		nl;
		size_t		vl;

		if (vi == 0 && !t[i].mandatory)
			continue;
		name = t[i].name;
		val = vi == 0 ? "X" : t[i].values[vi - 1];
		nl = strlen(name);
		vl = strlen(val);
		if (len + nl + vl + 3 > CVSS_TEXT_MAX)
			break;				/* cannot happen with the tables above */
		buf[len++] = '/';
		memcpy(buf + len, name, nl);
		len += nl;
		buf[len++] = ':';
		memcpy(buf + len, val, vl);
		len += vl;
	}
	buf[len] = '\0';
	return len;
}

cvss_status
cvss_validate(const cvss_vector *v, cvss_error *err)
{
	int			n;
	const metric_def *t = metric_table(v->version, &n);
	int			i;

	if (t == NULL || v->reserved[0] != 0 || v->reserved[1] != 0)
		return fail(err, CVSS_ERR_PREFIX, 0, NULL, 0, NULL, 0);
	for (i = 0; i < CVSS_MAX_METRICS; i++)
	{
		int			vi = nib_get(v, i);

		if (i >= n)
		{
			if (vi != 0)
				return fail(err, CVSS_ERR_UNKNOWN_METRIC, 0, NULL, 0, NULL, 0);
			continue;
		}
		if (vi > t[i].nvalues)
			return fail(err, CVSS_ERR_BAD_VALUE, 0, t[i].name, strlen(t[i].name), NULL, 0);
		if (vi == 0 && t[i].mandatory)
			return fail(err, CVSS_ERR_MISSING, 0, t[i].name, strlen(t[i].name), NULL, 0);
	}
	return CVSS_OK;
}

void
cvss_refresh(cvss_vector *v)
{
	v->score = (uint8_t) cvss_score(v);
}

/*
 * JavaScript's Math.round (ties toward +infinity), which FIRST's
 * calculators use; floor(x + 0.5) differs from it for some inputs.
 */
static double
js_round(double x)
{
	double		f = floor(x);

	return (x - f >= 0.5) ? f + 1.0 : f;
}

/* ---------- CVSS v3.0 and v3.1 ---------- */

/*
 * Roundup to one decimal, returned in tenths.  v3.1 (specification
 * Appendix A) works on an integer of five decimals so that floating-point
 * noise such as 4.000000000000001 does not round up; v3.0 is the original
 * "smallest number, to one decimal, equal to or higher than its input".
 */
static int
roundup_tenths(int version, double d)
{
	double		int_input;

	if (version == CVSS_V30)
		return (int) ceil(d * 10.0);
	int_input = js_round(d * 100000.0);
	/* 0 <= int_input <= 1e6 here: exact in a long, so % and / are exact */
	if ((long) int_input % 10000 == 0)
		return (int) ((long) int_input / 10000);
	return (int) ((long) int_input / 10000) + 1;
}

static double
w_av(char c)
{
	switch (c)
	{
		case 'N':
			return 0.85;
		case 'A':
			return 0.62;
		case 'L':
			return 0.55;
		default:
			return 0.2;
	}
}

static double
w_ac(char c)
{
	return c == 'L' ? 0.77 : 0.44;
}

static double
w_pr(char c, int scope_changed)
{
	switch (c)
	{
		case 'N':
			return 0.85;
		case 'L':
			return scope_changed ? 0.68 : 0.62;
		default:
			return scope_changed ? 0.5 : 0.27;
	}
}

static double
w_ui(char c)
{
	return c == 'N' ? 0.85 : 0.62;
}

static double
w_cia(char c)
{
	switch (c)
	{
		case 'H':
			return 0.56;
		case 'L':
			return 0.22;
		default:
			return 0.0;
	}
}

static double
w_e(char c)
{
	switch (c)
	{
		case 'F':
			return 0.97;
		case 'P':
			return 0.94;
		case 'U':
			return 0.91;
		default:
			return 1.0;			/* X, H */
	}
}

static double
w_rl(char c)
{
	switch (c)
	{
		case 'W':
			return 0.97;
		case 'T':
			return 0.96;
		case 'O':
			return 0.95;
		default:
			return 1.0;			/* X, U */
	}
}

static double
w_rc(char c)
{
	switch (c)
	{
		case 'R':
			return 0.96;
		case 'U':
			return 0.92;
		default:
			return 1.0;			/* X, C */
	}
}

static double
w_req(char c)
{
	switch (c)
	{
		case 'H':
			return 1.5;
		case 'L':
			return 0.5;
		default:
			return 1.0;			/* X, M */
	}
}

/* The formulas of specification section 7, evaluated in the calculators' order. */
static int
v3_base(const cvss_vector *v)
{
	int			changed = ch(v, V3_S) == 'C';
	double		exploitability;
	double		iss;
	double		impact;

	exploitability = 8.22 * w_av(ch(v, V3_AV)) * w_ac(ch(v, V3_AC)) *
		w_pr(ch(v, V3_PR), changed) * w_ui(ch(v, V3_UI));
	iss = 1 - ((1 - w_cia(ch(v, V3_C))) * (1 - w_cia(ch(v, V3_I))) * (1 - w_cia(ch(v, V3_A))));
	if (!changed)
		impact = 6.42 * iss;
	else
		impact = 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15);
	if (impact <= 0)
		return 0;
	if (!changed)
		return roundup_tenths(v->version, fmin(exploitability + impact, 10));
	return roundup_tenths(v->version, fmin((exploitability + impact) * 1.08, 10));
}

static double
v3_temporal_factor_apply(const cvss_vector *v, double score)
{
	return score * w_e(ch(v, V3_E)) * w_rl(ch(v, V3_RL)) * w_rc(ch(v, V3_RC));
}

static int
v3_temporal(const cvss_vector *v)
{
	return roundup_tenths(v->version, v3_temporal_factor_apply(v, v3_base(v) / 10.0));
}

/* A modified metric's value, or its base metric's when Not Defined. */
static char
v3_modified(const cvss_vector *v, int mslot, int bslot)
{
	char		c = ch(v, mslot);

	return c == 'X' ? ch(v, bslot) : c;
}

static int
v3_environmental(const cvss_vector *v)
{
	int			changed = v3_modified(v, V3_MS, V3_S) == 'C';
	double		exploitability;
	double		miss;
	double		impact;
	int			inner;

	exploitability = 8.22 * w_av(v3_modified(v, V3_MAV, V3_AV)) *
		w_ac(v3_modified(v, V3_MAC, V3_AC)) *
		w_pr(v3_modified(v, V3_MPR, V3_PR), changed) *
		w_ui(v3_modified(v, V3_MUI, V3_UI));
	miss = fmin(1 - ((1 - w_cia(v3_modified(v, V3_MC, V3_C)) * w_req(ch(v, V3_CR))) *
					 (1 - w_cia(v3_modified(v, V3_MI, V3_I)) * w_req(ch(v, V3_IR))) *
					 (1 - w_cia(v3_modified(v, V3_MA, V3_A)) * w_req(ch(v, V3_AR)))),
				0.915);
	if (!changed)
		impact = 6.42 * miss;
	else if (v->version == CVSS_V30)
		impact = 7.52 * (miss - 0.029) - 3.25 * pow(miss - 0.02, 15);
	else
		impact = 7.52 * (miss - 0.029) - 3.25 * pow(miss * 0.9731 - 0.02, 13);
	if (impact <= 0)
		return 0;
	if (!changed)
		inner = roundup_tenths(v->version, fmin(impact + exploitability, 10));
	else
		inner = roundup_tenths(v->version, fmin(1.08 * (impact + exploitability), 10));
	return roundup_tenths(v->version, v3_temporal_factor_apply(v, inner / 10.0));
}

static int
any_defined(const cvss_vector *v, int from, int to)
{
	int			i;

	for (i = from; i <= to; i++)
		if (nib_get(v, i) != 0)
			return 1;
	return 0;
}

/* ---------- CVSS v4.0 ---------- */

/*
 * Scores of the 270 MacroVectors (the CVSS v4.0 specification's lookup
 * table, as FIRST's calculator publishes it), in tenths, indexed by
 * EQ1 (0-2), EQ2 (0-1), EQ3 (0-2), EQ4 (0-2), EQ5 (0-2), EQ6 (0-1); one row
 * per EQ1..EQ4 with the six EQ5/EQ6 combinations.  -1: no such
 * MacroVector (EQ3 = 2 exists only with EQ6 = 1).
 */
static const signed char v4_macro_score[3][2][3][3][6] = {
	{							/* EQ1 = 0 */
		{						/* EQ2 = 0 */
			{{100, 99, 98, 95, 95, 92}, {100, 96, 93, 87, 91, 81}, {93, 90, 89, 80, 81, 68}},
			{{98, 95, 95, 92, 90, 84}, {93, 92, 89, 81, 81, 65}, {88, 80, 78, 70, 69, 48}},
			{{-1, 92, -1, 82, -1, 72}, {-1, 79, -1, 69, -1, 50}, {-1, 69, -1, 55, -1, 27}},
		},
		{						/* EQ2 = 1 */
			{{99, 97, 95, 92, 92, 85}, {95, 91, 90, 83, 84, 71}, {92, 81, 82, 71, 72, 53}},
			{{95, 93, 92, 85, 85, 73}, {92, 82, 80, 72, 70, 59}, {84, 70, 71, 52, 50, 30}},
			{{-1, 86, -1, 75, -1, 52}, {-1, 71, -1, 52, -1, 29}, {-1, 63, -1, 29, -1, 17}},
		},
	},
	{							/* EQ1 = 1 */
		{
			{{98, 95, 94, 87, 91, 81}, {94, 89, 86, 74, 77, 64}, {87, 75, 74, 63, 63, 49}},
			{{94, 89, 88, 77, 76, 67}, {86, 76, 74, 58, 59, 50}, {72, 57, 57, 52, 52, 25}},
			{{-1, 83, -1, 70, -1, 54}, {-1, 65, -1, 58, -1, 26}, {-1, 53, -1, 21, -1, 13}},
		},
		{
			{{95, 90, 88, 76, 76, 70}, {90, 77, 75, 62, 61, 53}, {77, 66, 68, 59, 52, 30}},
			{{89, 78, 76, 67, 62, 58}, {74, 59, 57, 57, 47, 23}, {61, 52, 57, 29, 24, 16}},
			{{-1, 71, -1, 59, -1, 30}, {-1, 58, -1, 26, -1, 15}, {-1, 23, -1, 13, -1, 6}},
		},
	},
	{							/* EQ1 = 2 */
		{
			{{93, 87, 86, 72, 75, 58}, {86, 74, 74, 61, 56, 34}, {70, 54, 52, 40, 40, 22}},
			{{85, 75, 74, 55, 62, 51}, {72, 57, 55, 41, 46, 19}, {53, 36, 34, 19, 19, 8}},
			{{-1, 64, -1, 51, -1, 20}, {-1, 47, -1, 21, -1, 11}, {-1, 24, -1, 9, -1, 4}},
		},
		{
			{{88, 75, 73, 53, 60, 50}, {73, 55, 59, 40, 41, 20}, {54, 43, 45, 22, 20, 11}},
			{{75, 55, 58, 45, 40, 21}, {61, 51, 48, 18, 20, 9}, {46, 18, 17, 7, 8, 2}},
			{{-1, 53, -1, 24, -1, 14}, {-1, 24, -1, 12, -1, 5}, {-1, 10, -1, 3, -1, 1}},
		},
	},
};

/* Score of a MacroVector as the calculators' double, or -1 if it does not exist. */
static double
v4_lookup(int eq1, int eq2, int eq3, int eq4, int eq5, int eq6)
{
	int			t;

	if (eq1 > 2 || eq2 > 1 || eq3 > 2 || eq4 > 2 || eq5 > 2 || eq6 > 1)
		return -1;
	t = v4_macro_score[eq1][eq2][eq3][eq4][eq5 * 2 + eq6];
	return t < 0 ? -1 : t / 10.0;
}

/*
 * Highest-severity vectors of each MacroVector part (FIRST's calculator,
 * max_composed), as the effective values of the metrics in the order
 * given in each comment.
 */
static const char *const v4_max_eq1[3][3] = {	/* AV PR UI */
	{"NNN"}, {"ANN", "NLN", "NNP"}, {"PNN", "ALP"}
};
static const char *const v4_max_eq2[2][2] = {	/* AC AT */
	{"LN"}, {"HN", "LP"}
};
static const char *const v4_max_eq3eq6[3][2][5] = {	/* VC VI VA CR IR AR */
	{{"HHHHHH"}, {"HHLMMH", "HHHMMM"}},
	{{"LHHHHH", "HLHHHH"}, {"LHLHMH", "LHHHMM", "HLHMHM", "HLLMHH", "LLHHHM"}},
	{{NULL}, {"LLLHHH"}},
};
static const char *const v4_max_eq4[3] = {"HSS", "HHH", "LLL"};	/* SC SI SA */
static const char v4_max_eq5[3] = {'A', 'P', 'U'};	/* E */

/* Severity levels of the metric values (FIRST's calculator, METRIC_LEVELS). */
enum
{
	L_AV, L_PR, L_UI, L_AC, L_AT, L_VC, L_VI, L_VA, L_SC, L_SI, L_SA,
	L_CR, L_IR, L_AR, L_E, L_COUNT
};

static double
v4_level(int kind, char c)
{
	switch (kind)
	{
		case L_AV:
			return c == 'N' ? 0.0 : c == 'A' ? 0.1 : c == 'L' ? 0.2 : 0.3;
		case L_PR:
		case L_UI:
			/* PR: N L H; UI: N P A */
			return c == 'N' ? 0.0 : (c == 'L' || c == 'P') ? 0.1 : 0.2;
		case L_AC:
			return c == 'L' ? 0.0 : 0.1;
		case L_AT:
			return c == 'N' ? 0.0 : 0.1;
		case L_VC:
		case L_VI:
		case L_VA:
			return c == 'H' ? 0.0 : c == 'L' ? 0.1 : 0.2;
		case L_SC:
			return c == 'H' ? 0.1 : c == 'L' ? 0.2 : 0.3;
		case L_SI:
		case L_SA:
			return c == 'S' ? 0.0 : c == 'H' ? 0.1 : c == 'L' ? 0.2 : 0.3;
		case L_CR:
		case L_IR:
		case L_AR:
			return c == 'H' ? 0.0 : c == 'M' ? 0.1 : 0.2;
		default:				/* L_E */
			return c == 'U' ? 0.2 : c == 'P' ? 0.1 : 0.0;
	}
}

/*
 * Effective values of a v4.0 vector (modified metrics replace base ones;
 * E Not Defined counts as A, CR/IR/AR Not Defined as H), by L_* kind, and
 * whether MSI or MSA is S (Safety).  base_only ignores threat and
 * environmental metrics (the CVSS-B score).
 */
typedef struct v4_effective
{
	char		c[L_COUNT];
	int			msi_s;
	int			msa_s;
} v4_effective;

static char
v4_eff(const cvss_vector *v, int bslot, int base_only)
{
	char		m = base_only ? 'X' : ch(v, bslot + V4_MODIFIED_OFFSET);

	return m == 'X' ? ch(v, bslot) : m;
}

static void
v4_effective_values(const cvss_vector *v, int base_only, v4_effective *e)
{
	char		x;

	e->c[L_AV] = v4_eff(v, V4_AV, base_only);
	e->c[L_PR] = v4_eff(v, V4_PR, base_only);
	e->c[L_UI] = v4_eff(v, V4_UI, base_only);
	e->c[L_AC] = v4_eff(v, V4_AC, base_only);
	e->c[L_AT] = v4_eff(v, V4_AT, base_only);
	e->c[L_VC] = v4_eff(v, V4_VC, base_only);
	e->c[L_VI] = v4_eff(v, V4_VI, base_only);
	e->c[L_VA] = v4_eff(v, V4_VA, base_only);
	e->c[L_SC] = v4_eff(v, V4_SC, base_only);
	e->c[L_SI] = v4_eff(v, V4_SI, base_only);
	e->c[L_SA] = v4_eff(v, V4_SA, base_only);
	x = base_only ? 'X' : ch(v, V4_CR);
	e->c[L_CR] = x == 'X' ? 'H' : x;
	x = base_only ? 'X' : ch(v, V4_IR);
	e->c[L_IR] = x == 'X' ? 'H' : x;
	x = base_only ? 'X' : ch(v, V4_AR);
	e->c[L_AR] = x == 'X' ? 'H' : x;
	x = base_only ? 'X' : ch(v, V4_E);
	e->c[L_E] = x == 'X' ? 'A' : x;
	e->msi_s = !base_only && ch(v, V4_MSI) == 'S';
	e->msa_s = !base_only && ch(v, V4_MSA) == 'S';
}

/* The EQ1..EQ6 levels of specification section 8.2 (Tables 24-29). */
static void
v4_eqs(const v4_effective *e, int eq[6])
{
	char		av = e->c[L_AV],
				pr = e->c[L_PR],
				ui = e->c[L_UI];

	if (av == 'N' && pr == 'N' && ui == 'N')
		eq[0] = 0;
	else if ((av == 'N' || pr == 'N' || ui == 'N') && av != 'P')
		eq[0] = 1;
	else
		eq[0] = 2;

	eq[1] = (e->c[L_AC] == 'L' && e->c[L_AT] == 'N') ? 0 : 1;

	if (e->c[L_VC] == 'H' && e->c[L_VI] == 'H')
		eq[2] = 0;
	else if (e->c[L_VC] == 'H' || e->c[L_VI] == 'H' || e->c[L_VA] == 'H')
		eq[2] = 1;
	else
		eq[2] = 2;

	if (e->msi_s || e->msa_s)
		eq[3] = 0;
	else if (e->c[L_SC] == 'H' || e->c[L_SI] == 'H' || e->c[L_SA] == 'H')
		eq[3] = 1;
	else
		eq[3] = 2;

	eq[4] = e->c[L_E] == 'A' ? 0 : e->c[L_E] == 'P' ? 1 : 2;

	eq[5] = ((e->c[L_CR] == 'H' && e->c[L_VC] == 'H') ||
			 (e->c[L_IR] == 'H' && e->c[L_VI] == 'H') ||
			 (e->c[L_AR] == 'H' && e->c[L_VA] == 'H')) ? 0 : 1;
}

void
cvss4_macrovector(const cvss_vector *v, char *buf)
{
	v4_effective e;
	int			eq[6];
	int			i;

	v4_effective_values(v, 0, &e);
	v4_eqs(&e, eq);
	for (i = 0; i < 6; i++)
		buf[i] = (char) ('0' + eq[i]);
	buf[6] = '\0';
}

/*
 * Severity distances of the effective levels el[] of some metrics (kinds[])
 * from the levels mx[] of a highest-severity vector part; 1 when none is
 * negative.
 */
static inline int
v4_part_distances(const double el[L_COUNT], const int *kinds, const double *mx,
				  int count, double d[L_COUNT])
{
	int			i;
	int			ok = 1;

	for (i = 0; i < count; i++)
	{
		d[kinds[i]] = el[kinds[i]] - mx[i];
		if (d[kinds[i]] < 0)
			ok = 0;
	}
	return ok;
}

static const int v4_k1[3] = {L_AV, L_PR, L_UI};
static const int v4_k2[2] = {L_AC, L_AT};
static const int v4_k36[6] = {L_VC, L_VI, L_VA, L_CR, L_IR, L_AR};
static const int v4_k4[3] = {L_SC, L_SI, L_SA};
static const int v4_k5[1] = {L_E};

/* The highest-severity vector parts as levels, filled once from the tables above. */
typedef struct v4_max_levels
{
	int			ready;
	int			n1[3],
				n2[2],
				n36[3][2];
	double		l1[3][3][3];
	double		l2[2][2][2];
	double		l36[3][2][5][6];
	double		l4[3][3];
	double		l5[3][1];
} v4_max_levels;

static v4_max_levels mxl;

static void
v4_init_max_levels(void)
{
	int			a,
				b,
				o,
				j;

	for (a = 0; a < 3; a++)
		for (o = 0; o < 3 && v4_max_eq1[a][o]; o++, mxl.n1[a] = o)
			for (j = 0; j < 3; j++)
				mxl.l1[a][o][j] = v4_level(v4_k1[j], v4_max_eq1[a][o][j]);
	for (a = 0; a < 2; a++)
		for (o = 0; o < 2 && v4_max_eq2[a][o]; o++, mxl.n2[a] = o)
			for (j = 0; j < 2; j++)
				mxl.l2[a][o][j] = v4_level(v4_k2[j], v4_max_eq2[a][o][j]);
	for (a = 0; a < 3; a++)
		for (b = 0; b < 2; b++)
			for (o = 0; o < 5 && v4_max_eq3eq6[a][b][o]; o++, mxl.n36[a][b] = o)
				for (j = 0; j < 6; j++)
					mxl.l36[a][b][o][j] = v4_level(v4_k36[j], v4_max_eq3eq6[a][b][o][j]);
	for (a = 0; a < 3; a++)
	{
		for (j = 0; j < 3; j++)
			mxl.l4[a][j] = v4_level(v4_k4[j], v4_max_eq4[a][j]);
		mxl.l5[a][0] = v4_level(L_E, v4_max_eq5[a]);
	}
	mxl.ready = 1;
}

/*
 * The calculator tries the highest-severity vectors of the MacroVector in
 * nested order (EQ1 parts, then EQ2, then EQ3+EQ6; EQ4 and EQ5 have one)
 * and takes the first one that no metric of the vector exceeds.  Each
 * metric belongs to one part, so that first vector is made of the first
 * fitting option of each part; if some part has none, no vector fits and
 * the calculator keeps the distances from the last one it tried, the last
 * option of every part.  Fills d[] accordingly.
 */
static void
v4_choose_distances(const double el[L_COUNT], const int eq[6], double d[L_COUNT])
{
	int			n1,
				n2,
				n36;
	int			f1 = -1,
				f2 = -1,
				f36 = -1;
	int			i;
	int			ok45;

	if (!mxl.ready)
		v4_init_max_levels();
	n1 = mxl.n1[eq[0]];
	n2 = mxl.n2[eq[1]];
	n36 = mxl.n36[eq[2]][eq[5]];
	for (i = 0; i < n1 && f1 < 0; i++)
		if (v4_part_distances(el, v4_k1, mxl.l1[eq[0]][i], 3, d))
			f1 = i;
	for (i = 0; i < n2 && f2 < 0; i++)
		if (v4_part_distances(el, v4_k2, mxl.l2[eq[1]][i], 2, d))
			f2 = i;
	for (i = 0; i < n36 && f36 < 0; i++)
		if (v4_part_distances(el, v4_k36, mxl.l36[eq[2]][eq[5]][i], 6, d))
			f36 = i;
	ok45 = v4_part_distances(el, v4_k4, mxl.l4[eq[3]], 3, d);
	ok45 &= v4_part_distances(el, v4_k5, mxl.l5[eq[4]], 1, d);
	if (f1 < 0 || f2 < 0 || f36 < 0 || !ok45)
	{
		f1 = n1 - 1;
		f2 = n2 - 1;
		f36 = n36 - 1;
	}
	(void) v4_part_distances(el, v4_k1, mxl.l1[eq[0]][f1], 3, d);
	(void) v4_part_distances(el, v4_k2, mxl.l2[eq[1]][f2], 2, d);
	(void) v4_part_distances(el, v4_k36, mxl.l36[eq[2]][eq[5]][f36], 6, d);
}

/*
 * Specification section 8.3 as FIRST's calculator computes it: the
 * MacroVector's score, lowered by the mean over the EQs (that have a
 * next-lower MacroVector) of the score gap to that MacroVector times the
 * proportion of the EQ's severity depth that the vector lies below the
 * MacroVector's highest-severity vector.  Every floating-point step
 * follows the calculator's order, so the rounding matches it exactly.
 */
static int
v4_score(const cvss_vector *v, int base_only)
{
	static const int max_sev_eq1[3] = {1, 4, 5};
	static const int max_sev_eq2[2] = {1, 2};
	static const int max_sev_eq3eq6[3][2] = {{7, 6}, {8, 8}, {0, 10}};
	static const int max_sev_eq4[3] = {6, 5, 4};
	const double step = 0.1;
	v4_effective e;
	int			eq[6];
	double		value;
	double		next[5];
	double		d[L_COUNT];
	double		cur1,
				cur2,
				cur36,
				cur4;
	double		norm[5] = {0, 0, 0, 0, 0};
	double		mean;
	int			existing = 0;
	int			i;
	double		el[L_COUNT];

	v4_effective_values(v, base_only, &e);
	if (e.c[L_VC] == 'N' && e.c[L_VI] == 'N' && e.c[L_VA] == 'N' &&
		e.c[L_SC] == 'N' && e.c[L_SI] == 'N' && e.c[L_SA] == 'N')
		return 0;

	v4_eqs(&e, eq);
	value = v4_lookup(eq[0], eq[1], eq[2], eq[3], eq[4], eq[5]);

	next[0] = v4_lookup(eq[0] + 1, eq[1], eq[2], eq[3], eq[4], eq[5]);
	next[1] = v4_lookup(eq[0], eq[1] + 1, eq[2], eq[3], eq[4], eq[5]);
	if (eq[2] == 0 && eq[5] == 0)
	{
		/* two ways down (00 -> 01, 00 -> 10): the higher-scoring one */
		double		left = v4_lookup(eq[0], eq[1], eq[2], eq[3], eq[4], eq[5] + 1);
		double		right = v4_lookup(eq[0], eq[1], eq[2] + 1, eq[3], eq[4], eq[5]);

		next[2] = (left < 0 || right < 0) ? -1 : fmax(left, right);
	}
	else if (eq[2] == 1 && eq[5] == 0)
		next[2] = v4_lookup(eq[0], eq[1], eq[2], eq[3], eq[4], eq[5] + 1);
	else if (eq[5] == 1 && eq[2] < 2)
		next[2] = v4_lookup(eq[0], eq[1], eq[2] + 1, eq[3], eq[4], eq[5]);
	else
		next[2] = -1;			/* 21 -> 32 does not exist */
	next[3] = v4_lookup(eq[0], eq[1], eq[2], eq[3] + 1, eq[4], eq[5]);
	next[4] = v4_lookup(eq[0], eq[1], eq[2], eq[3], eq[4] + 1, eq[5]);

	for (i = 0; i < L_COUNT; i++)
		el[i] = v4_level(i, e.c[i]);
	v4_choose_distances(el, eq, d);

	cur1 = d[L_AV] + d[L_PR] + d[L_UI];
	cur2 = d[L_AC] + d[L_AT];
	cur36 = d[L_VC] + d[L_VI] + d[L_VA] + d[L_CR] + d[L_IR] + d[L_AR];
	cur4 = d[L_SC] + d[L_SI] + d[L_SA];

	if (next[0] >= 0)
	{
		existing++;
		norm[0] = (value - next[0]) * (cur1 / (max_sev_eq1[eq[0]] * step));
	}
	if (next[1] >= 0)
	{
		existing++;
		norm[1] = (value - next[1]) * (cur2 / (max_sev_eq2[eq[1]] * step));
	}
	if (next[2] >= 0)
	{
		existing++;
		norm[2] = (value - next[2]) * (cur36 / (max_sev_eq3eq6[eq[2]][eq[5]] * step));
	}
	if (next[3] >= 0)
	{
		existing++;
		norm[3] = (value - next[3]) * (cur4 / (max_sev_eq4[eq[3]] * step));
	}
	if (next[4] >= 0)
	{
		/* EQ5's proportion is always 0: it only counts towards the mean */
		existing++;
		norm[4] = (value - next[4]) * 0;
	}
	mean = existing == 0 ? 0 :
		(norm[0] + norm[1] + norm[2] + norm[3] + norm[4]) / existing;

	/*
	 * Round half up to one decimal after adding 1e-6, as the calculator's
	 * roundToDecimalPlaces does, so that 4.85 computed as 4.8499999... still
	 * gives 4.9.
	 */
	return (int) js_round((fmax(0, fmin(10, value - mean)) + 1e-6) * 10);
}

/* ---------- public scores ---------- */

int
cvss_base_score(const cvss_vector *v)
{
	if (v->version == CVSS_V40)
		return v4_score(v, 1);
	return v3_base(v);
}

int
cvss_temporal_score(const cvss_vector *v)
{
	if (v->version == CVSS_V40)
		return -1;
	return v3_temporal(v);
}

int
cvss_environmental_score(const cvss_vector *v)
{
	if (v->version == CVSS_V40)
		return -1;
	return v3_environmental(v);
}

int
cvss_score(const cvss_vector *v)
{
	if (v->version == CVSS_V40)
		return v4_score(v, 0);
	if (any_defined(v, V3_CR, V3_MA))
		return v3_environmental(v);
	if (any_defined(v, V3_E, V3_RC))
		return v3_temporal(v);
	return v3_base(v);
}

/* Specification section 5 (v3.x) and Table 22-like rating of v4.0: the same bands. */
const char *
cvss_severity(int tenths)
{
	if (tenths <= 0)
		return "None";
	if (tenths < 40)
		return "Low";
	if (tenths < 70)
		return "Medium";
	if (tenths < 90)
		return "High";
	return "Critical";
}

int
cvss_compare(const cvss_vector *a, const cvss_vector *b)
{
	int			c;

	if (a->score != b->score)
		return a->score < b->score ? -1 : 1;
	if (a->version != b->version)
		return a->version < b->version ? -1 : 1;
	c = memcmp(a->m, b->m, sizeof(a->m));
	return c < 0 ? -1 : c > 0 ? 1 : 0;
}

const char *
cvss_status_text(cvss_status code)
{
	switch (code)
	{
		case CVSS_OK:
			return "ok";
		case CVSS_ERR_EMPTY:
			return "empty vector";
		case CVSS_ERR_TOO_LONG:
			return "vector too long";
		case CVSS_ERR_PREFIX:
			return "unknown prefix or version";
		case CVSS_ERR_SYNTAX:
			return "malformed metric";
		case CVSS_ERR_UNKNOWN_METRIC:
			return "unknown metric";
		case CVSS_ERR_BAD_VALUE:
			return "invalid metric value";
		case CVSS_ERR_DUPLICATE:
			return "duplicate metric";
		case CVSS_ERR_ORDER:
			return "metric out of order";
		case CVSS_ERR_MISSING:
			return "missing base metric";
	}
	return "error";
}
