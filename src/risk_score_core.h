/*
 * risk_score_core.h: the pure-C core of isms.risk_score (no PostgreSQL
 * headers): parsing and formatting of the "LxI" text form, the packed
 * 4-byte representation and its total order.  Used by the glue in
 * risk_score.c, the unit tests and the libFuzzer harness.
 */
#ifndef RISK_SCORE_CORE_H
#define RISK_SCORE_CORE_H

#include <stddef.h>
#include <stdint.h>

/* Both axes of any risk score lie in 1..RS_AXIS_MAX (also the largest typmod). */
#define RS_AXIS_MAX		255

/* Longest canonical text ("255x255") plus the terminating NUL. */
#define RS_TEXT_SIZE	8

/* Version byte at the front of the binary (send/recv) format. */
#define RS_BINARY_VERSION	1

typedef enum rs_status
{
	RS_OK = 0,
	RS_ERR_SYNTAX,				/* not of the form "LxI" */
	RS_ERR_RANGE				/* well formed, but an axis is outside 1..255 */
} rs_status;

/*
 * Parse len bytes of s (need not be NUL-terminated; a NUL byte is a syntax
 * error).  Accepted: optional ASCII white space, digits, optional white
 * space, 'x' or 'X', optional white space, digits, optional white space.
 * On RS_OK *likelihood and *impact are set.
 */
extern rs_status rs_parse(const char *s, size_t len, int *likelihood, int *impact);

/* Canonical text "LxI" into buf (at least RS_TEXT_SIZE bytes); returns its length. */
extern int	rs_format(int likelihood, int impact, char *buf);

/* Whether both axes lie in 1..max (max itself in 1..RS_AXIS_MAX). */
extern int	rs_axes_valid(int likelihood, int impact, int max);

/*
 * The packed value: one signed 32-bit integer whose plain integer order is
 * the order of risk scores (product, then impact, then likelihood).  The
 * unsigned key product<<16 | impact<<8 | likelihood needs all 32 bits
 * (255*255 = 65025), so it is shifted down by 2^31 into the int32 range.
 * rs_pack requires rs_axes_valid(l, i, RS_AXIS_MAX).
 */
extern int32_t rs_pack(int likelihood, int impact);
extern int	rs_likelihood(int32_t packed);
extern int	rs_impact(int32_t packed);
extern int	rs_score(int32_t packed);

/* Whether a packed value is one rs_pack can produce (guards stored data). */
extern int	rs_packed_valid(int32_t packed);

/* -1, 0 or 1; the total order of risk scores. */
static inline int
rs_cmp(int32_t a, int32_t b)
{
	return (a > b) - (a < b);
}

#endif							/* RISK_SCORE_CORE_H */
