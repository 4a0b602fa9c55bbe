/*
 * cvss_core.h: pure-C parser, formatter and scorer of CVSS v3.0, v3.1 and
 * v4.0 vector strings (no PostgreSQL headers), shared by the server glue
 * (src/cvss.c), the unit tests and the libFuzzer harness.
 */
#ifndef ISMS_CVSS_CORE_H
#define ISMS_CVSS_CORE_H

#include <stddef.h>
#include <stdint.h>

/* CVSS versions, as stored in cvss_vector.version (0 is never valid). */
#define CVSS_V30		1
#define CVSS_V31		2
#define CVSS_V40		3

/* Metric slots: 22 for v3.x, 32 for v4.0; slot value 0 means Not Defined (X). */
#define CVSS_MAX_METRICS	32

/* Longest canonical vector (a v4.0 vector with every metric set) fits in this. */
#define CVSS_TEXT_MAX		320

/* Longest input the parser looks at; longer input is refused unread. */
#define CVSS_INPUT_MAX		1024

/*
 * The stored form: fixed size, no pointers, no padding (all bytes).  Each
 * metric's value is its 1-based index in the specification's value list
 * (0 = Not Defined), four bits per metric, metric 2k in the high nibble of
 * m[k] and metric 2k+1 in the low one, so comparing the bytes compares the
 * metrics in specification order.  score caches cvss_score() in tenths
 * (0..100); it is derived data, recomputed whenever a value is built.
 */
typedef struct cvss_vector
{
	uint8_t		version;		/* CVSS_V30, CVSS_V31 or CVSS_V40 */
	uint8_t		score;			/* cvss_score() in tenths */
	uint8_t		reserved[2];	/* always zero */
	uint8_t		m[CVSS_MAX_METRICS / 2];
} cvss_vector;

/* Parse results (cvss_error.code). */
typedef enum cvss_status
{
	CVSS_OK = 0,
	CVSS_ERR_EMPTY,				/* nothing but white space */
	CVSS_ERR_TOO_LONG,			/* longer than CVSS_INPUT_MAX */
	CVSS_ERR_PREFIX,			/* no "CVSS:3.0/", "CVSS:3.1/" or "CVSS:4.0/" */
	CVSS_ERR_SYNTAX,			/* empty component or no ':' in one */
	CVSS_ERR_UNKNOWN_METRIC,	/* metric name not in this version */
	CVSS_ERR_BAD_VALUE,			/* value not allowed for the metric */
	CVSS_ERR_DUPLICATE,			/* metric given twice */
	CVSS_ERR_ORDER,				/* v4.0: metric out of specification order */
	CVSS_ERR_MISSING			/* mandatory (base) metric missing */
} cvss_status;

typedef struct cvss_error
{
	cvss_status code;
	int			offset;			/* byte offset in the input of the problem */
	char		metric[8];		/* offending metric name (possibly cut), "" if none */
	char		value[8];		/* offending value (possibly cut), "" if none */
	char		after[8];		/* CVSS_ERR_ORDER: the metric it came after */
} cvss_error;

/* Parse len bytes of text (need not be NUL-terminated). */
extern cvss_status cvss_parse(const char *text, size_t len, cvss_vector *out,
							  cvss_error *err);

/* Canonical vector text into buf (at least CVSS_TEXT_MAX bytes); returns length. */
extern size_t cvss_format(const cvss_vector *v, char *buf);

/* Set the packed value of a metric slot / read it back. */
extern void cvss_set(cvss_vector *v, int slot, int value);
extern int	cvss_get(const cvss_vector *v, int slot);

/* Number of metric slots of a version (22 or 32), 0 for an unknown version. */
extern int	cvss_slot_count(int version);

/* Metric slot of a name in a version, -1 if the version has no such metric. */
extern int	cvss_metric_slot(int version, const char *name, size_t len);

/* Name of a slot, and the text of value index vi of that slot ("X" for 0). */
extern const char *cvss_metric_name(int version, int slot);
extern const char *cvss_value_name(int version, int slot, int vi);
extern int	cvss_value_count(int version, int slot);
extern int	cvss_metric_mandatory(int version, int slot);

/* "3.0", "3.1", "4.0" */
extern const char *cvss_version_text(int version);

/*
 * Check a vector built from outside (binary input): known version, every
 * value within its metric's range, mandatory metrics present, unused slots
 * zero.  Returns CVSS_OK or the error, naming the slot's metric.
 */
extern cvss_status cvss_validate(const cvss_vector *v, cvss_error *err);

/* Recompute v->score (call after changing metric values). */
extern void cvss_refresh(cvss_vector *v);

/*
 * Scores in tenths (0..100).  Temporal and environmental scores exist only
 * for v3.x; they return -1 for v4.0.  cvss_score is the most specific score
 * the vector allows: v3.x environmental if any environmental metric is
 * defined, else temporal if any temporal metric is, else base; v4.0 the
 * CVSS-B/BT/BE/BTE score of the whole vector.  cvss_base_score of a v4.0
 * vector is the CVSS-B score (threat and environmental metrics ignored).
 */
extern int	cvss_base_score(const cvss_vector *v);
extern int	cvss_temporal_score(const cvss_vector *v);
extern int	cvss_environmental_score(const cvss_vector *v);
extern int	cvss_score(const cvss_vector *v);

/* Qualitative rating of a score in tenths: None, Low, Medium, High, Critical. */
extern const char *cvss_severity(int tenths);

/* Total order: score, then version, then metric values in specification order. */
extern int	cvss_compare(const cvss_vector *a, const cvss_vector *b);

/* v4.0 MacroVector of a vector as six digits EQ1..EQ6 into buf[7]. */
extern void cvss4_macrovector(const cvss_vector *v, char *buf);

/* Human-readable text of a parse error's kind (for messages). */
extern const char *cvss_status_text(cvss_status code);

#endif							/* ISMS_CVSS_CORE_H */
