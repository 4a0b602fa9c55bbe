/*
 * quant_core.c: Monte Carlo simulation of annual loss for quantitative risk
 * (FAIR-style ranges): PERT and lognormal estimates, the samplers built on a
 * caller's stream of 64-bit words, the summary (mean, percentiles by
 * selection, no full sort) and the loss-exceedance curve.  The model and its
 * closed forms are written down in docs/risk-methodology.md.
 */
#include "quant_core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *
qc_status_message(qc_status st)
{
	switch (st)
	{
		case QC_OK:
			return "ok";
		case QC_ERR_KIND:
			return "unknown distribution kind (accepted: pert, lognormal)";
		case QC_ERR_NOT_FINITE:
			return "estimate is not a finite number";
		case QC_ERR_NEGATIVE:
			return "estimate is below zero (PERT) or not above zero (lognormal)";
		case QC_ERR_ORDER:
			return "estimate is out of order (PERT needs low <= mode <= high, lognormal low < high)";
		case QC_ERR_TOO_LARGE:
			return "estimate is too large";
		case QC_ERR_EVENTS:
			return "a trial drew more loss events than a simulation allows";
		case QC_ERR_RNG:
			return "the random generator made a sampler reject too often";
	}
	return "unknown status";
}

void
qc_gamma_shape_init(qc_gamma_shape *g, double shape)
{
	/* Marsaglia and Tsang (2000) need shape >= 1; below, boost by one. */
	double		s = shape < 1.0 ? shape + 1.0 : shape;

	g->shape = shape;
	g->d = s - 1.0 / 3.0;
	g->c = 1.0 / sqrt(9.0 * g->d);
	g->inv_shape = 1.0 / shape;
}

qc_status
qc_dist_init(qc_dist *d, qc_kind kind, double low, double mode, double high, double max_value)
{
	memset(d, 0, sizeof(*d));
	if (kind != QC_PERT && kind != QC_LOGNORMAL)
		return QC_ERR_KIND;
	if (!isfinite(low) || !isfinite(high) || (kind == QC_PERT && !isfinite(mode)))
		return QC_ERR_NOT_FINITE;
	d->kind = kind;
	d->low = low;
	d->high = high;
	if (kind == QC_PERT)
	{
		if (low < 0.0)
			return QC_ERR_NEGATIVE;
		if (!(low <= mode && mode <= high))
			return QC_ERR_ORDER;
		if (high > max_value)
			return QC_ERR_TOO_LARGE;
		d->mode = mode;
		d->constant = (low == high);
		if (!d->constant)
		{
			/* The classic PERT weight 4 on the mode: alpha + beta = 6. */
			d->alpha = 1.0 + 4.0 * (mode - low) / (high - low);
			d->beta = 1.0 + 4.0 * (high - mode) / (high - low);
			qc_gamma_shape_init(&d->ga, d->alpha);
			qc_gamma_shape_init(&d->gb, d->beta);
		}
	}
	else
	{
		if (low <= 0.0)
			return QC_ERR_NEGATIVE;
		if (!(low < high))
			return QC_ERR_ORDER;
		if (high > max_value)
			return QC_ERR_TOO_LARGE;
		d->mode = NAN;
		d->mu = 0.5 * (log(low) + log(high));
		d->sigma = (log(high) - log(low)) / (2.0 * QC_Z95);
		/*
		 * A wide interval has a mean far above its high end: bound it too,
		 * compared in logs as the table's CHECK does (ln mean = mu + sigma^2/2).
		 */
		if (!(d->mu + 0.5 * d->sigma * d->sigma <= log(max_value)))
			return QC_ERR_TOO_LARGE;
	}
	return QC_OK;
}

qc_status
qc_risk_init(qc_risk *r, qc_kind fkind, double flow, double fmode, double fhigh,
			 qc_kind lkind, double llow, double lmode, double lhigh)
{
	qc_status	st;

	st = qc_dist_init(&r->frequency, fkind, flow, fmode, fhigh, QC_FREQUENCY_MAX);
	if (st != QC_OK)
		return st;
	return qc_dist_init(&r->loss, lkind, llow, lmode, lhigh, QC_LOSS_MAX);
}

double
qc_dist_mean(const qc_dist *d)
{
	if (d->kind == QC_PERT)
		return (d->low + 4.0 * d->mode + d->high) / 6.0;
	return exp(d->mu + 0.5 * d->sigma * d->sigma);
}

double
qc_dist_variance(const qc_dist *d)
{
	if (d->kind == QC_PERT)
	{
		double		m = qc_dist_mean(d);

		/* alpha beta (high - low)^2 / ((alpha + beta)^2 (alpha + beta + 1)) */
		return (m - d->low) * (d->high - m) / 7.0;
	}
	return expm1(d->sigma * d->sigma) * exp(2.0 * d->mu + d->sigma * d->sigma);
}

/* SplitMix64's output function (Steele, Lea, Flood 2014): a bijective mixer. */
static inline uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

uint64_t
qc_stream_seed(uint64_t seed, uint64_t risk_id)
{
	return mix64(seed ^ mix64(risk_id + UINT64_C(0x9E3779B97F4A7C15)));
}

void
qc_rng_init(qc_rng *r, qc_fill_fn fill, void *ctx)
{
	r->fill = fill;
	r->ctx = ctx;
	r->pos = QC_RNG_BUFFER;
	r->failed = 0;
	r->has_spare = 0;
	r->spare = 0.0;
}

/* Uniform on the open interval (0, 1): the top 53 bits, centred in their cell. */
static inline double
uniform(qc_rng *r)
{
	if (r->pos == QC_RNG_BUFFER)
	{
		r->fill(r->ctx, r->buf, QC_RNG_BUFFER);
		r->pos = 0;
	}
	/* via int64: one instruction on x86-64, where uint64 to double is several */
	return ((double) (int64_t) (r->buf[r->pos++] >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

/* Standard normal by Marsaglia's polar method; the pair's second value is kept. */
static inline double
normal(qc_rng *r)
{
	int			i;

	if (r->has_spare)
	{
		r->has_spare = 0;
		return r->spare;
	}
	for (i = 0; i < QC_MAX_REJECTIONS; i++)
	{
		double		u = 2.0 * uniform(r) - 1.0;
		double		v = 2.0 * uniform(r) - 1.0;
		double		s = u * u + v * v;

		if (s < 1.0 && s > 0.0)
		{
			double		m = sqrt(-2.0 * log(s) / s);

			r->spare = v * m;
			r->has_spare = 1;
			return u * m;
		}
	}
	r->failed = 1;
	return 0.0;
}

/* Gamma(shape, 1) by Marsaglia and Tsang (2000), "A simple method for generating gamma variables". */
static inline double
gamma_draw(qc_rng *r, const qc_gamma_shape *g)
{
	int			i;

	for (i = 0; i < QC_MAX_REJECTIONS; i++)
	{
		double		x,
					x2,
					v,
					u;

		x = normal(r);
		v = 1.0 + g->c * x;
		if (v <= 0.0)
			continue;
		v = v * v * v;
		u = uniform(r);
		x2 = x * x;
		if (u < 1.0 - 0.0331 * x2 * x2 ||
			log(u) < 0.5 * x2 + g->d * (1.0 - v + log(v)))
		{
			if (g->shape < 1.0)
				return g->d * v * pow(uniform(r), g->inv_shape);
			return g->d * v;
		}
	}
	r->failed = 1;
	return g->shape;
}

/*
 * Poisson(mean).  Below QC_POISSON_INVERSION_MAX, sequential inversion of
 * the CDF (one uniform, about mean + 1 steps); above, Hormann's PTRS
 * (transformed rejection with squeeze, "The transformed rejection method
 * for generating Poisson random variables", 1993), a constant number of
 * uniforms per draw.
 */
/* 1/k for the inversion steps: constant quotients, exact and the same everywhere. */
#define QC_INV_K_SIZE 64
static const double inv_k[QC_INV_K_SIZE] = {
	0.0, 1.0 / 1, 1.0 / 2, 1.0 / 3, 1.0 / 4, 1.0 / 5, 1.0 / 6, 1.0 / 7, 1.0 /
	8, 1.0 / 9, 1.0 / 10, 1.0 / 11, 1.0 / 12, 1.0 / 13, 1.0 / 14, 1.0 / 15, 1.0
	/ 16, 1.0 / 17, 1.0 / 18, 1.0 / 19, 1.0 / 20, 1.0 / 21, 1.0 / 22, 1.0 / 23,
	1.0 / 24, 1.0 / 25, 1.0 / 26, 1.0 / 27, 1.0 / 28, 1.0 / 29, 1.0 / 30, 1.0 /
	31, 1.0 / 32, 1.0 / 33, 1.0 / 34, 1.0 / 35, 1.0 / 36, 1.0 / 37, 1.0 / 38,
	1.0 / 39, 1.0 / 40, 1.0 / 41, 1.0 / 42, 1.0 / 43, 1.0 / 44, 1.0 / 45, 1.0 /
	46, 1.0 / 47, 1.0 / 48, 1.0 / 49, 1.0 / 50, 1.0 / 51, 1.0 / 52, 1.0 / 53,
	1.0 / 54, 1.0 / 55, 1.0 / 56, 1.0 / 57, 1.0 / 58, 1.0 / 59, 1.0 / 60, 1.0 /
	61, 1.0 / 62, 1.0 / 63
};

static inline uint64_t
poisson(qc_rng *r, double mean)
{
	if (mean <= 0.0)
		return 0;
	if (mean < QC_POISSON_INVERSION_MAX)
	{
		double		u = uniform(r),
					p = exp(-mean),
					f = p;
		uint64_t	k = 0;

		/* F stops growing in the far tail: the loop ends there at the latest. */
		while (u > f)
		{
			double		nf;

			k++;
			/* a multiplication, not a division, on the usual path */
			p *= mean * (k < QC_INV_K_SIZE ? inv_k[k] : 1.0 / (double) k);
			nf = f + p;
			if (nf == f)
				break;
			f = nf;
		}
		return k;
	}
	else
	{
		double		slam = sqrt(mean),
					loglam = log(mean),
					b = 0.931 + 2.53 * slam,
					a = -0.059 + 0.02483 * b,
					inv_alpha = 1.1239 + 1.1328 / (b - 3.4),
					vr = 0.9277 - 3.6224 / (b - 2.0);
		int			i;

		for (i = 0; i < QC_MAX_REJECTIONS; i++)
		{
			double		u = uniform(r) - 0.5,
						v = uniform(r),
						us = 0.5 - fabs(u),
						k = floor((2.0 * a / us + b) * u + mean + 0.43);

			if (us >= 0.07 && v <= vr)
				return (uint64_t) k;
			if (k < 0.0 || (us < 0.013 && v > us))
				continue;
			if (log(v) + log(inv_alpha) - log(a / (us * us) + b) <=
				-mean + k * loglam - lgamma(k + 1.0))
				return (uint64_t) k;
		}
		r->failed = 1;
		return (uint64_t) mean;
	}
}

static inline double
draw(qc_rng *r, const qc_dist *d)
{
	if (d->kind == QC_PERT)
	{
		double		g1,
					g2;

		if (d->constant)
			return d->low;
		/* Beta(alpha, beta) = G1 / (G1 + G2), then scaled onto [low, high]. */
		g1 = gamma_draw(r, &d->ga);
		g2 = gamma_draw(r, &d->gb);
		return d->low + (d->high - d->low) * (g1 / (g1 + g2));
	}
	return exp(d->mu + d->sigma * normal(r));
}

double
qc_uniform(qc_rng *r)
{
	return uniform(r);
}

double
qc_normal(qc_rng *r)
{
	return normal(r);
}

double
qc_gamma(qc_rng *r, const qc_gamma_shape *g)
{
	return gamma_draw(r, g);
}

uint64_t
qc_poisson(qc_rng *r, double mean)
{
	return poisson(r, mean);
}

double
qc_draw(qc_rng *r, const qc_dist *d)
{
	return draw(r, d);
}

qc_status
qc_simulate(const qc_risk *risk, qc_rng *r, double *out, uint64_t *events, size_t n,
			uint64_t *total_events)
{
	const qc_dist *f = &risk->frequency;
	const qc_dist *l = &risk->loss;
	size_t		i;

	for (i = 0; i < n; i++)
	{
		double		rate = f->kind == QC_PERT && f->constant ? f->low : draw(r, f);
		uint64_t	k,
					j;
		double		sum = 0.0;

		/* Far beyond the cap: no Poisson draw (its integer would not fit). */
		if (rate > 2.0 * QC_EVENTS_PER_TRIAL_MAX)
			return QC_ERR_EVENTS;
		k = poisson(r, rate);
		if (k > QC_EVENTS_PER_TRIAL_MAX)
			return QC_ERR_EVENTS;
		if (l->kind == QC_PERT && l->constant)
			sum = (double) k * l->low;
		else
			for (j = 0; j < k; j++)
				sum += draw(r, l);
		if (r->failed)
			return QC_ERR_RNG;
		out[i] += sum;
		if (events)
			events[i] += k;
		*total_events += k;
	}
	return QC_OK;
}

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

void
qc_select(double *x, size_t n, size_t k)
{
	ptrdiff_t	lo = 0,
				hi = (ptrdiff_t) n - 1,
				kk = (ptrdiff_t) k;
	int			rounds = 0,
				limit = 8;
	size_t		m;

	/* 2 log2(n) + 8 rounds; then sort what is left (bounded worst case). */
	for (m = n; m > 1; m >>= 1)
		limit += 2;
	/* Wirth's selection with a median-of-three pivot value. */
	while (lo < hi)
	{
		ptrdiff_t	i = lo,
					j = hi;
		double		a = x[lo],
					b = x[lo + (hi - lo) / 2],
					c = x[hi],
					p;

		if (++rounds > limit)
		{
			qsort(x + lo, (size_t) (hi - lo + 1), sizeof(double), cmp_double);
			return;
		}
		/* p is a value of the range, so both scans stop inside it. */
		p = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		do
		{
			/* stops on keys equal to p, so runs of zeros split evenly */
			while (x[i] < p)
				i++;
			while (p < x[j])
				j--;
			if (i <= j)
			{
				double		t = x[i];

				x[i] = x[j];
				x[j] = t;
				i++;
				j--;
			}
		} while (i <= j);
		if (j < kk)
			lo = i;
		if (kk < i)
			hi = j;
	}
}

/* 0-based index of rank ceil(n num / 1000), at least 1. */
static size_t
rank_index(size_t n, unsigned num)
{
	uint64_t	r = ((uint64_t) n * num + 999) / 1000;

	return r == 0 ? 0 : (size_t) (r - 1);
}

void
qc_summarise(double *x, size_t n, qc_summary *s)
{
	static const unsigned per_mille[5] = {500, 900, 950, 990, 999};
	double	   *dest[5];
	double		sum = 0.0,
				comp = 0.0,
				mean,
				ss = 0.0,
				mx = x[0];
	size_t		i,
				positive = 0,
				from = 0;
	int			q;

	/* Neumaier's compensated sum: the mean does not drift with n. */
	for (i = 0; i < n; i++)
	{
		double		t = sum + x[i];

		if (fabs(sum) >= fabs(x[i]))
			comp += (sum - t) + x[i];
		else
			comp += (x[i] - t) + sum;
		sum = t;
		if (x[i] > mx)
			mx = x[i];
		if (x[i] > 0.0)
			positive++;
	}
	mean = (sum + comp) / (double) n;
	for (i = 0; i < n; i++)
		ss += (x[i] - mean) * (x[i] - mean);
	s->mean = mean;
	s->stddev = n > 1 ? sqrt(ss / (double) (n - 1)) : 0.0;
	s->max = mx;
	s->loss_probability = (double) positive / (double) n;

	/*
	 * Ascending ranks: after selecting one, everything right of it is >= it,
	 * so the next is selected in the right part only.
	 */
	dest[0] = &s->p50;
	dest[1] = &s->p90;
	dest[2] = &s->p95;
	dest[3] = &s->p99;
	dest[4] = &s->p999;
	for (q = 0; q < 5; q++)
	{
		size_t		k = rank_index(n, per_mille[q]);

		if (k >= from)
		{
			qc_select(x + from, n - from, k - from);
			from = k;
		}
		*dest[q] = x[k];
	}
}

int
qc_exceedance(const double *x, size_t n, int points, double *loss, double *prob)
{
	double		lo = 0.0,
				hi = 0.0,
				llo,
				step;
	size_t		i,
				positive = 0;
	int			g,
				j;

	for (i = 0; i < n; i++)
		if (x[i] > 0.0)
		{
			if (positive == 0 || x[i] < lo)
				lo = x[i];
			if (x[i] > hi)
				hi = x[i];
			positive++;
		}
	loss[0] = 0.0;
	prob[0] = (double) positive / (double) n;
	if (positive == 0)
		return 1;
	if (lo == hi || points == 2)
	{
		loss[1] = hi;
		prob[1] = 0.0;
		return 2;
	}

	/* Grid loss[1..g]: log-spaced, loss[1] = lo, loss[g] = hi, never decreasing. */
	g = points - 1;
	llo = log(lo);
	step = (log(hi) - llo) / (double) (g - 1);
	loss[1] = lo;
	for (j = 2; j < g; j++)
	{
		double		v = exp(llo + step * (double) (j - 1));

		loss[j] = v < loss[j - 1] ? loss[j - 1] : (v > hi ? hi : v);
	}
	loss[g] = hi;

	/*
	 * prob[b] first counts the trials with exactly b grid losses strictly
	 * below their loss (binary search); then suffix sums give, for each j,
	 * the trials whose loss is strictly above loss[j].
	 */
	for (j = 0; j <= g; j++)
		prob[j] = 0.0;
	for (i = 0; i < n; i++)
	{
		int			a = 1,
					b = g + 1;	/* first index in [1, g] with loss[idx] >= x, or g + 1 */

		if (!(x[i] > 0.0))
			continue;
		while (a < b)
		{
			int			mid = a + (b - a) / 2;

			if (loss[mid] < x[i])
				a = mid + 1;
			else
				b = mid;
		}
		prob[a - 1] += 1.0;		/* a - 1 grid losses below x[i] */
	}
	/* count(x > loss[j]) = sum over b >= j of prob[b], for j >= 1 */
	for (j = g - 1; j >= 1; j--)
		prob[j] += prob[j + 1];
	prob[0] = (double) positive;
	for (j = 0; j <= g; j++)
		prob[j] /= (double) n;
	return g + 1;
}
