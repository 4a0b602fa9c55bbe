/*
 * quant_test.c: unit, statistical and property tests of quant_core.c.  The
 * random words come from a reference xoroshiro128** written from its
 * published definition (Blackman and Vigna, 2018), seeded the way
 * PostgreSQL's pg_prng_seed() does it (two SplitMix64 outputs), so these
 * streams are the ones the server draws.  Statistical checks compare sample
 * moments with the closed forms, within 5 standard errors of the sample
 * size, under fixed seeds: they cannot flake, and a sampler off by a
 * fraction of its standard error over a million draws fails them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "quant_core.h"
#include "unit.h"

typedef struct ref_prng
{
	uint64_t	s0,
				s1;
} ref_prng;

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
splitmix64(uint64_t *state)
{
	uint64_t	z = (*state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* pg_prng_seed(): s0, s1 from SplitMix64; an all-zero state is replaced. */
static void
ref_seed(ref_prng *p, uint64_t seed)
{
	p->s0 = splitmix64(&seed);
	p->s1 = splitmix64(&seed);
	if (p->s0 == 0 && p->s1 == 0)
	{
		p->s0 = UINT64_C(0x5851F42D4C957F2D);
		p->s1 = UINT64_C(0x14057B7EF767814F);
	}
}

/* xoroshiro128** 1.0: result rotl(s0 * 5, 7) * 9; rotations a=24, b=16, c=37. */
static uint64_t
ref_next(ref_prng *p)
{
	uint64_t	s0 = p->s0,
				s1 = p->s1,
				result = rotl(s0 * 5, 7) * 9;

	s1 ^= s0;
	p->s0 = rotl(s0, 24) ^ s1 ^ (s1 << 16);
	p->s1 = rotl(s1, 37);
	return result;
}

static void
ref_fill(void *ctx, uint64_t *buf, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		buf[i] = ref_next((ref_prng *) ctx);
}

static void
zero_fill(void *ctx, uint64_t *buf, int n)
{
	(void) ctx;
	memset(buf, 0, sizeof(uint64_t) * (size_t) n);
}

static void
rng_for(qc_rng *r, ref_prng *p, uint64_t seed)
{
	ref_seed(p, seed);
	qc_rng_init(r, ref_fill, p);
}

/* Sample moments: mean, variance (n - 1) and the 4th central moment. */
typedef struct moments
{
	double		n,
				mean,
				var,
				m4;
} moments;

static moments
moments_of(const double *x, size_t n)
{
	moments		m;
	size_t		i;
	double		s = 0,
				s2 = 0,
				s4 = 0;

	for (i = 0; i < n; i++)
		s += x[i];
	m.n = (double) n;
	m.mean = s / m.n;
	for (i = 0; i < n; i++)
	{
		double		d = x[i] - m.mean;

		s2 += d * d;
		s4 += d * d * d * d;
	}
	m.var = s2 / (m.n - 1);
	m.m4 = s4 / m.n;
	return m;
}

/*
 * The mean within 5 standard errors of the closed-form variance, and the
 * variance within 5 standard errors of the variance estimator
 * (sqrt((m4 - var^2) / n), with the sample's 4th moment).
 */
static void
check_moments(const char *what, const double *x, size_t n, double mean, double var)
{
	moments		m = moments_of(x, n);
	double		se_mean = sqrt(var / m.n),
				se_var = sqrt(fabs(m.m4 - m.var * m.var) / m.n);

	UNIT_CHECK(fabs(m.mean - mean) <= 5 * se_mean + 1e-12 * fabs(mean),
			   "%s: mean %.9g, closed form %.9g, 5 se %.3g", what, m.mean, mean, 5 * se_mean);
	UNIT_CHECK(fabs(m.var - var) <= 5 * se_var + 1e-12 * var,
			   "%s: variance %.9g, closed form %.9g, 5 se %.3g", what, m.var, var, 5 * se_var);
}

#define NDRAW 1000000

static void
test_reference_generator(void)
{
	ref_prng	p;
	double		u;

	/*
	 * PostgreSQL 15+: SELECT setseed(0.5); SELECT random(); gives
	 * 0.9851677175347999 (setseed seeds pg_prng with (2^52 - 1) * 0.5 and
	 * random() is the top 52 bits of pg_prng_uint64 times 2^-52).  The same
	 * from the reference shows it is the generator the server runs.
	 */
	ref_seed(&p, (uint64_t) (int64_t) (((double) ((UINT64_C(1) << 52) - 1)) * 0.5));
	u = ldexp((double) (ref_next(&p) >> 12), -52);
	UNIT_CHECK(u == 0.9851677175347999, "first random() after setseed(0.5): %.17g", u);
}

static void
test_uniform_normal(void)
{
	ref_prng	p;
	qc_rng		r;
	double	   *x = malloc(sizeof(double) * NDRAW);
	size_t		i,
				beyond = 0,
				far = 0;
	double		mn = 1,
				mx = 0;

	rng_for(&r, &p, 11);
	for (i = 0; i < NDRAW; i++)
	{
		x[i] = qc_uniform(&r);
		if (x[i] < mn)
			mn = x[i];
		if (x[i] > mx)
			mx = x[i];
	}
	UNIT_CHECK(mn > 0 && mx < 1, "uniform stays in (0, 1): %.17g %.17g", mn, mx);
	check_moments("uniform", x, NDRAW, 0.5, 1.0 / 12.0);
	{
		/* The 5-sigma tolerance is tight: a sampler biased by 1 % would fail it. */
		moments		m = moments_of(x, NDRAW);

		UNIT_CHECK(fabs(m.mean - 1.01 * 0.5) > 5 * sqrt(1.0 / 12.0 / NDRAW), "1 %% bias detectable");
	}
	for (i = 0; i < NDRAW; i++)
	{
		x[i] = qc_normal(&r);
		if (x[i] > QC_Z95)
			beyond++;
		if (fabs(x[i]) > 3.5)
			far++;
	}
	check_moments("normal", x, NDRAW, 0.0, 1.0);
	/* P(Z > z95) = 0.05: binomial standard error */
	UNIT_CHECK(fabs((double) beyond / NDRAW - 0.05) <= 5 * sqrt(0.05 * 0.95 / NDRAW),
			   "normal upper 5 %% tail: %.6f", (double) beyond / NDRAW);
	/* P(|Z| > 3.5) = erfc(3.5 / sqrt 2): draws from the ziggurat's tail sampler */
	{
		double		pf = erfc(3.5 / sqrt(2.0));

		UNIT_CHECK(fabs((double) far / NDRAW - pf) <= 5 * sqrt(pf * (1 - pf) / NDRAW),
				   "normal beyond 3.5: %.6f, closed form %.6f", (double) far / NDRAW, pf);
	}
	free(x);
}

static void
test_gamma(void)
{
	static const double shapes[] = {0.5, 1.0, 1.8, 5.0, 37.0};
	ref_prng	p;
	qc_rng		r;
	double	   *x = malloc(sizeof(double) * NDRAW);
	size_t		i;
	unsigned	s;

	rng_for(&r, &p, 12);
	for (s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++)
	{
		qc_gamma_shape g;
		char		what[64];

		qc_gamma_shape_init(&g, shapes[s]);
		for (i = 0; i < NDRAW; i++)
			x[i] = qc_gamma(&r, &g);
		snprintf(what, sizeof(what), "gamma(%g)", shapes[s]);
		/* Gamma(k, 1): mean k, variance k */
		check_moments(what, x, NDRAW, shapes[s], shapes[s]);
	}
	UNIT_CHECK(!r.failed, "no sampler gave up");
	free(x);
}

static void
test_poisson(void)
{
	static const double means[] = {0.05, 0.7, 4.0, 29.9, 30.0, 47.5, 1000.0, 250000.0};
	ref_prng	p;
	qc_rng		r;
	double	   *x = malloc(sizeof(double) * NDRAW);
	size_t		i;
	unsigned	s;

	rng_for(&r, &p, 13);
	for (s = 0; s < sizeof(means) / sizeof(means[0]); s++)
	{
		char		what[64];
		size_t		zeros = 0;
		double		p0 = exp(-means[s]);

		for (i = 0; i < NDRAW; i++)
		{
			x[i] = (double) qc_poisson(&r, means[s]);
			zeros += x[i] == 0;
		}
		snprintf(what, sizeof(what), "poisson(%g)", means[s]);
		check_moments(what, x, NDRAW, means[s], means[s]);
		UNIT_CHECK(fabs((double) zeros / NDRAW - p0) <= 5 * sqrt(p0 * (1 - p0) / NDRAW) + 1e-12,
				   "%s: P(N = 0) %.6f, closed form %.6f", what, (double) zeros / NDRAW, p0);
	}
	UNIT_CHECK(qc_poisson(&r, 0.0) == 0, "poisson(0) is 0");
	UNIT_CHECK(!r.failed, "no sampler gave up");
	free(x);
}

/* The closed forms, written out here from the formulas (not from the core). */
static double
pert_mean(double a, double m, double b)
{
	return (a + 4 * m + b) / 6;
}

static double
pert_var(double a, double m, double b)
{
	double		mu = pert_mean(a, m, b);

	return (mu - a) * (b - mu) / 7;
}

static void
lognormal_params(double lo, double hi, double *mu, double *sigma)
{
	*mu = (log(lo) + log(hi)) / 2;
	*sigma = (log(hi) - log(lo)) / (2 * 1.6448536269514722);
}

static void
test_distributions(void)
{
	static const double pert[][3] = {{0, 1, 10}, {2, 2, 9}, {100, 350, 350}, {1e3, 2e4, 1e6}, {0.1, 0.5, 0.9}};
	static const double logn[][2] = {{1e4, 1e6}, {0.5, 2}, {3, 300}};
	ref_prng	p;
	qc_rng		r;
	double	   *x = malloc(sizeof(double) * NDRAW);
	size_t		i,
				outside;
	unsigned	s;

	rng_for(&r, &p, 14);
	for (s = 0; s < sizeof(pert) / sizeof(pert[0]); s++)
	{
		qc_dist		d;
		char		what[80];

		UNIT_CHECK(qc_dist_init(&d, QC_PERT, pert[s][0], pert[s][1], pert[s][2], 1e15) == QC_OK, "pert init");
		outside = 0;
		for (i = 0; i < NDRAW; i++)
		{
			x[i] = qc_draw(&r, &d);
			outside += x[i] < pert[s][0] || x[i] > pert[s][2];
		}
		snprintf(what, sizeof(what), "pert(%g, %g, %g)", pert[s][0], pert[s][1], pert[s][2]);
		check_moments(what, x, NDRAW, pert_mean(pert[s][0], pert[s][1], pert[s][2]),
					  pert_var(pert[s][0], pert[s][1], pert[s][2]));
		UNIT_CHECK(outside == 0, "%s: %zu draws outside [min, max]", what, outside);
		UNIT_CHECK(fabs(qc_dist_mean(&d) - pert_mean(pert[s][0], pert[s][1], pert[s][2])) <= 1e-12 * qc_dist_mean(&d) &&
				   fabs(qc_dist_variance(&d) - pert_var(pert[s][0], pert[s][1], pert[s][2])) <= 1e-12 * qc_dist_variance(&d),
				   "%s: core closed forms", what);
	}
	for (s = 0; s < sizeof(logn) / sizeof(logn[0]); s++)
	{
		qc_dist		d;
		char		what[80];
		double		mu,
					sigma;
		size_t		below = 0,
					above = 0;

		lognormal_params(logn[s][0], logn[s][1], &mu, &sigma);
		UNIT_CHECK(qc_dist_init(&d, QC_LOGNORMAL, logn[s][0], NAN, logn[s][1], 1e15) == QC_OK, "lognormal init");
		for (i = 0; i < NDRAW; i++)
		{
			x[i] = qc_draw(&r, &d);
			below += x[i] < logn[s][0];
			above += x[i] > logn[s][1];
		}
		snprintf(what, sizeof(what), "lognormal(90%% in %g..%g)", logn[s][0], logn[s][1]);
		/* mean exp(mu + sigma^2/2), variance (exp(sigma^2) - 1) exp(2 mu + sigma^2) */
		check_moments(what, x, NDRAW, exp(mu + sigma * sigma / 2),
					  (exp(sigma * sigma) - 1) * exp(2 * mu + sigma * sigma));
		/* the interval holds 90 %: 5 % below low, 5 % above high */
		UNIT_CHECK(fabs((double) below / NDRAW - 0.05) <= 5 * sqrt(0.0475 / NDRAW) &&
				   fabs((double) above / NDRAW - 0.05) <= 5 * sqrt(0.0475 / NDRAW),
				   "%s: %.5f below, %.5f above", what, (double) below / NDRAW, (double) above / NDRAW);
	}
	free(x);
}

/*
 * Annual loss L = X_1 + ... + X_N, N ~ Poisson(lambda), lambda ~ F:
 * E[L] = E[lambda] E[X], Var[L] = E[lambda] E[X^2] + Var[lambda] E[X]^2
 * (for a fixed rate the compound Poisson lambda E[X^2]).
 */
static void
check_compound(const char *what, const qc_risk *risk, double el, double vl, double ex, double vx, uint64_t seed)
{
	ref_prng	p;
	qc_rng		r;
	double	   *x = calloc(NDRAW, sizeof(double));
	uint64_t	events = 0;
	double		ale = el * ex,
				var = el * (vx + ex * ex) + vl * ex * ex;
	qc_summary	s;

	rng_for(&r, &p, seed);
	UNIT_CHECK(qc_simulate(risk, &r, x, NULL, NDRAW, &events) == QC_OK, "%s: simulate", what);
	check_moments(what, x, NDRAW, ale, var);
	UNIT_CHECK(fabs((double) events / NDRAW - el) <= 5 * sqrt((el + vl) / NDRAW),
			   "%s: events per year %.6f, closed form %.6f", what, (double) events / NDRAW, el);
	qc_summarise(x, NDRAW, &s);
	UNIT_CHECK(fabs(s.mean - ale) <= 5 * sqrt(var / NDRAW), "%s: summary mean %.6g vs %.6g", what, s.mean, ale);
	free(x);
}

static void
test_compound(void)
{
	qc_risk		risk;
	double		mu,
				sigma;

	/* fixed rate 2.5 per year, PERT loss */
	qc_risk_init(&risk, QC_PERT, 2.5, 2.5, 2.5, QC_PERT, 1e3, 5e3, 5e4);
	check_compound("fixed rate, pert loss", &risk, 2.5, 0, pert_mean(1e3, 5e3, 5e4), pert_var(1e3, 5e3, 5e4), 21);
	/* PERT rate, lognormal loss */
	qc_risk_init(&risk, QC_PERT, 0.1, 0.5, 3, QC_LOGNORMAL, 1e4, NAN, 1e6);
	lognormal_params(1e4, 1e6, &mu, &sigma);
	check_compound("pert rate, lognormal loss", &risk, pert_mean(0.1, 0.5, 3), pert_var(0.1, 0.5, 3),
				   exp(mu + sigma * sigma / 2), (exp(sigma * sigma) - 1) * exp(2 * mu + sigma * sigma), 22);
	/* lognormal rate, PERT loss */
	qc_risk_init(&risk, QC_LOGNORMAL, 0.2, NAN, 4, QC_PERT, 0, 2e5, 1e6);
	lognormal_params(0.2, 4, &mu, &sigma);
	check_compound("lognormal rate, pert loss", &risk, exp(mu + sigma * sigma / 2),
				   (exp(sigma * sigma) - 1) * exp(2 * mu + sigma * sigma),
				   pert_mean(0, 2e5, 1e6), pert_var(0, 2e5, 1e6), 23);
	/* frequent events: PTRS for the counts */
	qc_risk_init(&risk, QC_PERT, 40, 60, 120, QC_PERT, 10, 20, 80);
	check_compound("pert rate 40..120, pert loss", &risk, pert_mean(40, 60, 120), pert_var(40, 60, 120),
				   pert_mean(10, 20, 80), pert_var(10, 20, 80), 24);
}

static int
cmp_d(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

static size_t
rank_of(size_t n, double q)
{
	size_t		k = (size_t) ceil(q * (double) n);

	return k == 0 ? 0 : k - 1;
}

/* qc_select and qc_summarise against a full sort, with ties and many zeros. */
static void
test_selection(void)
{
	ref_prng	p;
	size_t		sizes[] = {1, 2, 3, 7, 10, 100, 1000, 4093, 100000};
	unsigned	s;
	int			bad = 0;

	ref_seed(&p, 31);
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
	{
		size_t		n = sizes[s],
					i;
		double	   *x = malloc(sizeof(double) * n),
				   *sorted = malloc(sizeof(double) * n),
				   *work = malloc(sizeof(double) * n);
		int			round;

		for (round = 0; round < 4; round++)
		{
			qc_summary sm;

			for (i = 0; i < n; i++)
			{
				uint64_t	w = ref_next(&p);

				/* round 0: distinct; 1: 70 % zeros; 2: few values; 3: sorted descending */
				x[i] = round == 0 ? (double) (w >> 11) :
					round == 1 ? ((w % 10) < 7 ? 0.0 : (double) (w >> 40)) :
					round == 2 ? (double) (w % 3) : (double) (n - i);
			}
			memcpy(sorted, x, sizeof(double) * n);
			qsort(sorted, n, sizeof(double), cmp_d);
			for (i = 0; i < 5 && i < n; i++)
			{
				size_t		k = (size_t) (ref_next(&p) % n);

				memcpy(work, x, sizeof(double) * n);
				qc_select(work, n, k);
				if (work[k] != sorted[k])
					bad++;
			}
			memcpy(work, x, sizeof(double) * n);
			qc_summarise(work, n, &sm);
			if (sm.p50 != sorted[rank_of(n, 0.5)] || sm.p90 != sorted[rank_of(n, 0.9)] ||
				sm.p95 != sorted[rank_of(n, 0.95)] || sm.p99 != sorted[rank_of(n, 0.99)] ||
				sm.p999 != sorted[rank_of(n, 0.999)] || sm.max != sorted[n - 1])
				bad++;
		}
		free(x);
		free(sorted);
		free(work);
	}
	UNIT_CHECK(bad == 0, "%d selections or percentiles differ from a full sort", bad);
}

/* The curve against a brute-force count at every point. */
static int
check_curve(const double *x, size_t n, int points)
{
	double	   *loss = malloc(sizeof(double) * (size_t) points),
			   *prob = malloc(sizeof(double) * (size_t) points);
	int			m = qc_exceedance(x, n, points, loss, prob),
				j,
				bad = 0;

	for (j = 0; j < m; j++)
	{
		size_t		i,
					c = 0;

		for (i = 0; i < n; i++)
			c += x[i] > loss[j];
		if (prob[j] != (double) c / (double) n)
			bad++;
		if (j > 0 && (loss[j] < loss[j - 1] || prob[j] > prob[j - 1]))
			bad++;
	}
	if (m > points)
		bad++;
	free(loss);
	free(prob);
	return bad;
}

static void
test_exceedance(void)
{
	double		none[3] = {0, 0, 0},
				same[4] = {0, 5, 5, 5},
				x[2000];
	double		loss[10],
				prob[10];
	ref_prng	p;
	int			i;

	UNIT_CHECK(qc_exceedance(none, 3, 10, loss, prob) == 1 && prob[0] == 0, "no loss: one point");
	UNIT_CHECK(qc_exceedance(same, 4, 10, loss, prob) == 2 && loss[1] == 5 && prob[0] == 0.75 && prob[1] == 0,
			   "equal losses: two points");
	ref_seed(&p, 41);
	for (i = 0; i < 2000; i++)
		x[i] = i % 3 == 0 ? 0.0 : exp((double) (ref_next(&p) >> 11) * 0x1p-53 * 20.0);
	UNIT_CHECK(check_curve(x, 2000, 2) == 0, "curve of 2 points");
	UNIT_CHECK(check_curve(x, 2000, 3) == 0, "curve of 3 points");
	UNIT_CHECK(check_curve(x, 2000, 50) == 0, "curve of 50 points");
	UNIT_CHECK(check_curve(x, 2000, QC_POINTS_MAX) == 0, "curve of the most points");
	UNIT_CHECK(check_curve(same, 4, 7) == 0, "curve of equal losses");
}

/* Same seed: the same bits; splitting the trials into calls changes nothing. */
static void
test_determinism(void)
{
	qc_risk		risk;
	ref_prng	p1,
				p2;
	qc_rng		r1,
				r2;
	double		a[10000],
				b[10000];
	uint64_t	e1 = 0,
				e2 = 0;
	int			i,
				same = 1;
	qc_summary	s;

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	qc_risk_init(&risk, QC_PERT, 0.1, 0.5, 2, QC_LOGNORMAL, 1e4, NAN, 1e6);
	rng_for(&r1, &p1, qc_stream_seed(42, 7));
	rng_for(&r2, &p2, qc_stream_seed(42, 7));
	qc_simulate(&risk, &r1, a, NULL, 10000, &e1);
	for (i = 0; i < 10000; i += 137)
		qc_simulate(&risk, &r2, b + i, NULL, (size_t) (10000 - i < 137 ? 10000 - i : 137), &e2);
	for (i = 0; i < 10000; i++)
		same &= memcmp(&a[i], &b[i], sizeof(double)) == 0;
	UNIT_CHECK(same && e1 == e2, "chunked simulation is bit-identical");
	UNIT_CHECK(qc_stream_seed(42, 7) != qc_stream_seed(42, 8) && qc_stream_seed(42, 7) != qc_stream_seed(43, 7),
			   "streams differ by seed and by risk");

	/*
	 * The figure test/regress/sql/370_quant.sql expects from
	 * isms.simulate_risk(risk, 10000, 42) of a risk with id 7 and these
	 * estimates: the server's pg_prng and this reference give the same.
	 */
	qc_summarise(a, 10000, &s);
	UNIT_CHECK(s.mean == 0x1.6306787fce93cp+17, "ALE of the shared example: %a (%.17g)", s.mean, s.mean);
}

static void
test_bad_input(void)
{
	qc_dist		d;
	qc_risk		risk;
	ref_prng	p;
	qc_rng		r;
	double		x[1000];
	uint64_t	e = 0;

	UNIT_CHECK(qc_dist_init(&d, (qc_kind) 7, 1, 2, 3, 1e15) == QC_ERR_KIND, "kind");
	UNIT_CHECK(qc_dist_init(&d, QC_PERT, NAN, 2, 3, 1e15) == QC_ERR_NOT_FINITE, "NaN");
	UNIT_CHECK(qc_dist_init(&d, QC_PERT, 1, INFINITY, 3, 1e15) == QC_ERR_NOT_FINITE, "infinite mode");
	UNIT_CHECK(qc_dist_init(&d, QC_LOGNORMAL, 1, NAN, INFINITY, 1e15) == QC_ERR_NOT_FINITE, "infinite high");
	UNIT_CHECK(qc_dist_init(&d, QC_PERT, -1, 2, 3, 1e15) == QC_ERR_NEGATIVE, "negative PERT");
	UNIT_CHECK(qc_dist_init(&d, QC_LOGNORMAL, 0, NAN, 3, 1e15) == QC_ERR_NEGATIVE, "zero lognormal");
	UNIT_CHECK(qc_dist_init(&d, QC_PERT, 1, 4, 3, 1e15) == QC_ERR_ORDER, "mode above max");
	UNIT_CHECK(qc_dist_init(&d, QC_PERT, 2, 1, 3, 1e15) == QC_ERR_ORDER, "mode below min");
	UNIT_CHECK(qc_dist_init(&d, QC_LOGNORMAL, 3, NAN, 3, 1e15) == QC_ERR_ORDER, "empty interval");
	UNIT_CHECK(qc_dist_init(&d, QC_PERT, 1, 2, 2e15, 1e15) == QC_ERR_TOO_LARGE, "PERT too large");
	UNIT_CHECK(qc_dist_init(&d, QC_PERT, 0, 0, 0, 1e15) == QC_OK && d.constant, "constant 0 is fine");
	/* a 90 % interval of 1 to 1e5 events a year has a mean above 1e5 */
	UNIT_CHECK(qc_risk_init(&risk, QC_LOGNORMAL, 1, NAN, 1e5, QC_PERT, 1, 1, 1) == QC_ERR_TOO_LARGE,
			   "lognormal mean frequency too large");
	UNIT_CHECK(qc_risk_init(&risk, QC_PERT, 1, 1, 1, QC_LOGNORMAL, 1e-300, NAN, 1e15) == QC_ERR_TOO_LARGE,
			   "lognormal mean loss too large");

	/* A broken generator (all zero words): the samplers give up, bounded. */
	qc_risk_init(&risk, QC_PERT, 1, 2, 3, QC_PERT, 1, 2, 3);
	qc_rng_init(&r, zero_fill, NULL);
	memset(x, 0, sizeof(x));
	UNIT_CHECK(qc_simulate(&risk, &r, x, NULL, 1000, &e) == QC_ERR_RNG, "stuck generator is reported");

	/*
	 * Six decades of frequency: now and then a year draws a rate above the
	 * event cap, and the simulation says so instead of truncating.
	 */
	UNIT_CHECK(qc_risk_init(&risk, QC_LOGNORMAL, 1e-3, NAN, 1e3, QC_PERT, 1, 1, 1) == QC_OK, "wide rate init");
	{
		double	   *y = calloc(200000, sizeof(double));

		rng_for(&r, &p, 51);
		UNIT_CHECK(qc_simulate(&risk, &r, y, NULL, 200000, &e) == QC_ERR_EVENTS, "event cap is reported");
		free(y);
	}
	UNIT_CHECK(strcmp(qc_status_message(QC_ERR_ORDER), "ok") != 0, "messages");
}

/* Random valid estimates: finite results, monotone percentiles and curve, ALE >= 0. */
static void
test_properties(void)
{
	ref_prng	p,
				ps;
	qc_rng		r;
	int			round,
				bad = 0;
	double	   *x = malloc(sizeof(double) * 2000);
	double		loss[64],
				prob[64];

	ref_seed(&p, 61);
	for (round = 0; round < 400; round++)
	{
		qc_risk		risk;
		double		u[6];
		int			i,
					m;
		qc_kind		fk,
					lk;
		uint64_t	e = 0;
		qc_summary	s;
		qc_status	st;

		for (i = 0; i < 6; i++)
			u[i] = (double) (ref_next(&p) >> 11) * 0x1p-53;
		fk = (ref_next(&p) & 1) ? QC_PERT : QC_LOGNORMAL;
		lk = (ref_next(&p) & 1) ? QC_PERT : QC_LOGNORMAL;
		{
			/* frequency: 1e-3 .. 50 per year; loss: 1 .. 1e9, lows below highs */
			double		fl = 1e-3 * pow(5e4, u[0] * 0.6),
						fh = fl * pow(50.0, u[1]) + 1e-3,
						ll = pow(1e9, u[2] * 0.7) + (lk == QC_PERT ? -1.0 : 0.0),
						lh = (ll + 1) * pow(1e3, u[3]);

			st = qc_risk_init(&risk, fk, fl, fl + (fh - fl) * u[4], fh,
							  lk, ll, ll + (lh - ll) * u[5], lh);
		}
		if (st != QC_OK)
		{
			bad++;
			continue;
		}
		memset(x, 0, sizeof(double) * 2000);
		rng_for(&r, &ps, (uint64_t) round);
		if (qc_simulate(&risk, &r, x, NULL, 2000, &e) != QC_OK)
		{
			bad++;
			continue;
		}
		for (i = 0; i < 2000; i++)
			if (!isfinite(x[i]) || x[i] < 0)
				bad++;
		m = qc_exceedance(x, 2000, 64, loss, prob);
		for (i = 0; i < m; i++)
			if (!isfinite(loss[i]) || !(prob[i] >= 0 && prob[i] <= 1) ||
				(i > 0 && (loss[i] < loss[i - 1] || prob[i] > prob[i - 1])))
				bad++;
		qc_summarise(x, 2000, &s);
		if (!(s.mean >= 0 && isfinite(s.mean) && isfinite(s.stddev) &&
			  s.p50 <= s.p90 && s.p90 <= s.p95 && s.p95 <= s.p99 && s.p99 <= s.p999 && s.p999 <= s.max))
			bad++;
	}
	UNIT_CHECK(bad == 0, "%d property violations over 400 random estimates", bad);
	free(x);
}

void
quant_test(void)
{
	test_reference_generator();
	test_uniform_normal();
	test_gamma();
	test_poisson();
	test_distributions();
	test_compound();
	test_selection();
	test_exceedance();
	test_determinism();
	test_bad_input();
	test_properties();
}
