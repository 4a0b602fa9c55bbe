/*
 * quant_core.h: the pure-C core of quantitative risk (no PostgreSQL
 * headers): PERT and lognormal estimates, the samplers (normal, gamma, beta,
 * Poisson) and the Monte Carlo simulation of annual loss, its summary and
 * its loss-exceedance curve.  The random bits come from the caller through
 * qc_rng (the glue feeds PostgreSQL's pg_prng, the unit tests a reference
 * xoroshiro128**), so the core itself holds no generator.
 */
#ifndef QUANT_CORE_H
#define QUANT_CORE_H

#include <stddef.h>
#include <stdint.h>

/* Bounds of the estimates (also CHECK constraints of isms.risk_quantification). */
#define QC_FREQUENCY_MAX	1e5		/* loss events per year */
#define QC_LOSS_MAX			1e15	/* loss per event, currency units */
#define QC_TRIALS_MAX		10000000	/* trials per simulation */
#define QC_POINTS_MAX		1000	/* points of a loss-exceedance curve */
#define QC_EVENTS_PER_TRIAL_MAX 10000000	/* loss events one trial may draw */
#define QC_MAX_REJECTIONS	1000	/* tries of a rejection sampler */

/* Below this mean Poisson draws invert the CDF; from it on, PTRS. */
#define QC_POISSON_INVERSION_MAX 30.0

/* z of the 95th percentile of the standard normal: a 90 % interval is mu +- z sigma. */
#define QC_Z95				1.6448536269514722

typedef enum qc_status
{
	QC_OK = 0,
	QC_ERR_KIND,				/* unknown distribution kind */
	QC_ERR_NOT_FINITE,			/* NaN or infinity */
	QC_ERR_NEGATIVE,			/* below zero (PERT) or not above zero (lognormal) */
	QC_ERR_ORDER,				/* not low <= mode <= high (PERT) or not low < high (lognormal) */
	QC_ERR_TOO_LARGE,			/* above QC_FREQUENCY_MAX / QC_LOSS_MAX, or mean frequency too high */
	QC_ERR_EVENTS,				/* a trial drew more than QC_EVENTS_PER_TRIAL_MAX events */
	QC_ERR_RNG					/* the generator made a sampler reject QC_MAX_REJECTIONS times */
} qc_status;

typedef enum qc_kind
{
	QC_PERT = 0,				/* min, most likely, max; Beta(alpha, beta) on [min, max] */
	QC_LOGNORMAL = 1			/* 90 % interval (5th, 95th percentile) */
} qc_kind;

/* Marsaglia-Tsang constants of one gamma shape. */
typedef struct qc_gamma_shape
{
	double		shape;
	double		d;				/* max(shape, shape + 1) - 1/3 */
	double		c;				/* 1 / sqrt(9 d) */
	double		inv_shape;		/* 1 / shape, for the shape < 1 boost */
} qc_gamma_shape;

/* One estimate (a frequency or a loss magnitude) with its derived constants. */
typedef struct qc_dist
{
	qc_kind		kind;
	double		low;
	double		mode;			/* PERT only */
	double		high;
	int			constant;		/* PERT with low == high: no draw needed */
	double		alpha;			/* PERT: Beta shapes */
	double		beta;
	qc_gamma_shape ga;
	qc_gamma_shape gb;
	double		mu;				/* lognormal: parameters of the log */
	double		sigma;
} qc_dist;

/* A quantified risk: the yearly rate of loss events and the loss of one event. */
typedef struct qc_risk
{
	qc_dist		frequency;
	qc_dist		loss;
} qc_risk;

/*
 * The source of random bits: fill(ctx, buf, n) writes n uniformly
 * distributed 64-bit words.  Words are taken strictly in order, so the same
 * stream gives the same draws however the work is split into calls.
 */
#define QC_RNG_BUFFER 256
typedef void (*qc_fill_fn) (void *ctx, uint64_t *buf, int n);

typedef struct qc_rng
{
	qc_fill_fn	fill;
	void	   *ctx;
	int			pos;
	int			failed;			/* a sampler hit QC_MAX_REJECTIONS */
	uint64_t	buf[QC_RNG_BUFFER];
} qc_rng;

/* Summary of a simulation (x sorted or not; see qc_summarise). */
typedef struct qc_summary
{
	double		mean;			/* annualised loss expectancy */
	double		stddev;			/* sample standard deviation (n - 1) */
	double		p50;
	double		p90;
	double		p95;
	double		p99;
	double		p999;
	double		max;
	double		loss_probability;	/* share of trials with a loss > 0 */
} qc_summary;

extern const char *qc_status_message(qc_status st);

extern qc_status qc_dist_init(qc_dist *d, qc_kind kind, double low, double mode, double high,
							  double max_value);
extern qc_status qc_risk_init(qc_risk *r, qc_kind fkind, double flow, double fmode, double fhigh,
							  qc_kind lkind, double llow, double lmode, double lhigh);

/* Closed forms of the model (docs/risk-methodology.md). */
extern double qc_dist_mean(const qc_dist *d);
extern double qc_dist_variance(const qc_dist *d);

/* The seed of one risk's stream in a simulation with the given seed. */
extern uint64_t qc_stream_seed(uint64_t seed, uint64_t risk_id);

extern void qc_rng_init(qc_rng *r, qc_fill_fn fill, void *ctx);
extern double qc_uniform(qc_rng *r);
extern double qc_normal(qc_rng *r);
extern double qc_gamma(qc_rng *r, const qc_gamma_shape *g);
extern void qc_gamma_shape_init(qc_gamma_shape *g, double shape);
extern uint64_t qc_poisson(qc_rng *r, double mean);
extern double qc_draw(qc_rng *r, const qc_dist *d);

/*
 * n trials of one risk: out[i] += the year's loss (so trial-wise sums over
 * several risks build up in one array); events[i] += its number of loss
 * events when events is not NULL.  *total_events grows by the events drawn.
 */
extern qc_status qc_simulate(const qc_risk *risk, qc_rng *r, double *out, uint64_t *events,
							 size_t n, uint64_t *total_events);

/*
 * Mean, standard deviation, P50..P99.9, max and P(loss > 0) of the annual
 * losses x[0..n-1] (n >= 1, every x[i] >= 0).  Percentile q is the value of
 * 1-based rank ceil(q n) in ascending order, as percentile_disc.  x is
 * overwritten: its positive values end up, partially sorted, at the front.
 */
extern void qc_summarise(double *x, size_t n, qc_summary *s);

/*
 * Reorder x[0..n-1] so that x[k] holds the value of 0-based rank k, with
 * nothing greater before it and nothing smaller after it (selection, not a
 * full sort; bounded by a sort of what is left after 2 log2 n + 8 rounds).
 */
extern void qc_select(double *x, size_t n, size_t k);

/*
 * Loss-exceedance curve of x[0..n-1] at `points` losses (2..QC_POINTS_MAX):
 * loss[0] = 0, then points - 1 losses spaced evenly on a log scale from the
 * smallest to the largest positive loss; prob[j] = share of trials whose
 * loss is strictly greater than loss[j].  Returns the number of points
 * written: 1 when no trial has a loss, 2 when all losses are equal.
 */
extern int	qc_exceedance(const double *x, size_t n, int points, double *loss, double *prob);

#endif							/* QUANT_CORE_H */
