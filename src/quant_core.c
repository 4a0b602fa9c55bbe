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
}

/* The next word of the stream, refilling the buffer from the caller. */
static inline uint64_t
word(qc_rng *r)
{
	if (r->pos == QC_RNG_BUFFER)
	{
		r->fill(r->ctx, r->buf, QC_RNG_BUFFER);
		r->pos = 0;
	}
	return r->buf[r->pos++];
}

/* Uniform on the open interval (0, 1): the top 53 bits, centred in their cell. */
static inline double
uniform(qc_rng *r)
{
	/* via int64: one instruction on x86-64, where uint64 to double is several */
	return ((double) (int64_t) (word(r) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

/*
 * Standard normal by the ziggurat method in Doornik's form ("An improved
 * ziggurat method to generate normal random samples", 2005): 128 layers,
 * tail beyond R = 3.442619855899 by Marsaglia's exponential method.  One
 * 64-bit word gives both the layer (its low 7 bits) and the uniform (its
 * top 53), which do not overlap.  The tables were computed once from the
 * paper's recurrence (x[0] = V / f(R), x[1] = R, x[i] = sqrt(-2 ln(V /
 * x[i-1] + f(x[i-1]))), r[i] = x[i+1] / x[i], V = 9.91256303526217e-3)
 * and are written as exact hexadecimal constants, the same on every platform.
 */
#define QC_ZIG_LAYERS 128
#define QC_ZIG_R 3.442619855899

static const double zig_x[QC_ZIG_LAYERS + 1] = {
	0x1.db4668fe7e4a4p+1, 0x1.b8a7c476d2be8p+1, 0x1.9c8e0c7c8098fp+1,
	0x1.8aa73e440ffbcp+1, 0x1.7d45eb36eb842p+1, 0x1.7279dd4ac3f9dp+1,
	0x1.695c2be68edc9p+1, 0x1.616dff7c8f54ap+1, 0x1.5a61edf7e8f32p+1,
	0x1.54052012a04a4p+1, 0x1.4e3456b0e3a1bp+1, 0x1.48d61806d601p+1,
	0x1.43d75b60bca1dp+1, 0x1.3f29848d3b416p+1, 0x1.3ac11b8e206d6p+1,
	0x1.3694f3a3740d9p+1, 0x1.329d9725e32f7p+1, 0x1.2ed4df8099571p+1,
	0x1.2b35aa5ebee3ep+1, 0x1.27bba2b5dbc92p+1, 0x1.246317a6b53cp+1,
	0x1.2128dd36bdf09p+1, 0x1.1e0a342cf08f6p+1, 0x1.1b04b731f6bccp+1,
	0x1.18164be0c1c39p+1, 0x1.153d16d45743dp+1, 0x1.12777201834f3p+1,
	0x1.0fc3e4d95f278p+1, 0x1.0d211dd28b00fp+1, 0x1.0a8ded0ec371ap+1,
	0x1.08093fe3e40e1p+1, 0x1.05921d1c4d769p+1, 0x1.0327a1cc4cf5ep+1,
	0x1.00c8fea1720d4p+1, 0x1.fceaeb2ca5f17p+0, 0x1.f858aff31cbfp+0,
	0x1.f3da097460823p+0, 0x1.ef6dcddc7d392p+0, 0x1.eb12e91486bbcp+0,
	0x1.e6c85a849b015p+0, 0x1.e28d331c6723cp+0, 0x1.de609397e09b9p+0,
	0x1.da41aaf79a344p+0, 0x1.d62fb52580b86p+0, 0x1.d229f9bfeefdbp+0,
	0x1.ce2fcb05f8c34p+0, 0x1.ca4084e091e34p+0, 0x1.c65b8c04dbac2p+0,
	0x1.c2804d2c6b16fp+0, 0x1.beae3c60cd0e4p+0, 0x1.bae4d457ee119p+0,
	0x1.b72395df5b73bp+0, 0x1.b36a075498d64p+0, 0x1.afb7b428fe7a1p+0,
	0x1.ac0c2c6fc6382p+0, 0x1.a867047516e4fp+0, 0x1.a4c7d45d01a31p+0,
	0x1.a12e37c983369p+0, 0x1.9d99cd86b58b4p+0, 0x1.9a0a373c73f21p+0,
	0x1.967f1924c7b06p+0, 0x1.92f819c682bf5p+0, 0x1.8f74e1b37c6b8p+0,
	0x1.8bf51b49ef337p+0, 0x1.88787278810a6p+0, 0x1.84fe9484873b9p+0,
	0x1.81872fd21db73p+0, 0x1.7e11f3adaeb92p+0, 0x1.7a9e90168b8eep+0,
	0x1.772cb58a39dd6p+0, 0x1.73bc14d01a2c9p+0, 0x1.704c5ec50cb81p+0,
	0x1.6cdd4426b88a5p+0, 0x1.696e755e16b84p+0, 0x1.65ffa248e016dp+0,
	0x1.62907a0176ebfp+0, 0x1.5f20aaa4dfc1ap+0, 0x1.5bafe11654817p+0,
	0x1.583dc8bff3219p+0, 0x1.54ca0b4ffd349p+0, 0x1.515450720f455p+0,
	0x1.4ddc3d83a5b84p+0, 0x1.4a617543306ccp+0, 0x1.46e39778de063p+0,
	0x1.436240982ad9dp+0, 0x1.3fdd09591d2a4p+0, 0x1.3c538647ef792p+0,
	0x1.38c54749b9033p+0, 0x1.3531d7146a43ep+0, 0x1.3198ba982d911p+0,
	0x1.2df97057e7efbp+0, 0x1.2a536fae30e33p+0, 0x1.26a627fb9d12p+0,
	0x1.22f0ffbaa1e55p+0, 0x1.1f335374a10f8p+0, 0x1.1b6c7492c9735p+0,
	0x1.179ba80463fecp+0, 0x1.13c024b2c7ec6p+0, 0x1.0fd911b97f236p+0,
	0x1.0be58456ff4aep+0, 0x1.07e47d87a40f6p+0, 0x1.03d4e7391c5b7p+0,
	0x1.ff6b21fffe31ap-1, 0x1.f70a5866c8f46p-1, 0x1.ee848e956826fp-1,
	0x1.e5d6909f51b6ap-1, 0x1.dcfccc51c59fp-1, 0x1.d3f340dda611cp-1,
	0x1.cab56ac6a38d3p-1, 0x1.c13e2b014e85cp-1, 0x1.b787a7c516f3bp-1,
	0x1.ad8b2506a137cp-1, 0x1.a340d1baf5b18p-1, 0x1.989f85c753b2cp-1,
	0x1.8d9c6a9d35e3dp-1, 0x1.822a858af0e7dp-1, 0x1.763a1600eec74p-1,
	0x1.69b7b213f3f69p-1, 0x1.5c8afdbf0217bp-1, 0x1.4e94c08c0bab7p-1,
	0x1.3fabee1911cd7p-1, 0x1.2f98d6bb4f41fp-1, 0x1.1e0ce6b5969b3p-1,
	0x1.0a936da5e55adp-1, 0x1.e8e576e43fbefp-2, 0x1.b4c8fece48e83p-2,
	0x1.73949184db9dfp-2, 0x1.16db47e193e1ap-2, 0x0p+0,
};
static const double zig_r[QC_ZIG_LAYERS] = {
	0x1.dab48848d3c16p-1, 0x1.df5993967d2a6p-1, 0x1.e9c885d9a666bp-1,
	0x1.eea42f70ceeacp-1, 0x1.f1803c6a0781bp-1, 0x1.f366d2afaee48p-1,
	0x1.f4c3825de9f38p-1, 0x1.f5ca83ef26e1fp-1, 0x1.f69868793c53p-1,
	0x1.f73e31c89895dp-1, 0x1.f7c6a977e305fp-1, 0x1.f838ffd4ec0eap-1,
	0x1.f89a30bcaa7bbp-1, 0x1.f8edcde8cde13p-1, 0x1.f93677b627e76p-1,
	0x1.f97628687c107p-1, 0x1.f9ae64ccb1f64p-1, 0x1.f9e05ca2efdc3p-1,
	0x1.fa0d00cfbb6cdp-1, 0x1.fa3512e9cb952p-1, 0x1.fa59305b35722p-1,
	0x1.fa79da7e004a6p-1, 0x1.fa977c9ec13d6p-1, 0x1.fab27081a26dcp-1,
	0x1.facb01d4366f8p-1, 0x1.fae170d5cadc4p-1, 0x1.faf5f46a249p-1,
	0x1.fb08bbbbc73bcp-1, 0x1.fb19ef88b6409p-1, 0x1.fb29b32d77103p-1,
	0x1.fb38257d095ffp-1, 0x1.fb456170e2019p-1, 0x1.fb517eb94bd58p-1,
	0x1.fb5c92349c858p-1, 0x1.fb66ae52354dbp-1, 0x1.fb6fe3652f8b4p-1,
	0x1.fb783fe9c00dp-1, 0x1.fb7fd0bfb9735p-1, 0x1.fb86a15c1886fp-1,
	0x1.fb8cbbf324034p-1, 0x1.fb92299c5d1ep-1, 0x1.fb96f271420e9p-1,
	0x1.fb9b1da7b43fcp-1, 0x1.fb9eb1a8ade0cp-1, 0x1.fba1b423d4107p-1,
	0x1.fba42a205a48cp-1, 0x1.fba6180b97b6p-1, 0x1.fba781c59edc5p-1,
	0x1.fba86aac1a8c1p-1, 0x1.fba8d5a3a81cbp-1, 0x1.fba8c51fddb9dp-1,
	0x1.fba83b2a23e8ep-1, 0x1.fba7396782fc8p-1, 0x1.fba5c11d7fba4p-1,
	0x1.fba3d3361dd1bp-1, 0x1.fba170431ac58p-1, 0x1.fb9e9880706abp-1,
	0x1.fb9b4bd62b198p-1, 0x1.fb9789d99cec9p-1, 0x1.fb9351cdf4f98p-1,
	0x1.fb8ea2a43f27ap-1, 0x1.fb897afacf29cp-1, 0x1.fb83d91c1719ap-1,
	0x1.fb7dbafce8335p-1, 0x1.fb771e3a1a365p-1, 0x1.fb70001593e79p-1,
	0x1.fb685d72ad163p-1, 0x1.fb6032d1e043p-1, 0x1.fb577c4bbfa39p-1,
	0x1.fb4e358b1e8dp-1, 0x1.fb4459c65d655p-1, 0x1.fb39e3b7c2e55p-1,
	0x1.fb2ecd94c9ba2p-1, 0x1.fb23110445454p-1, 0x1.fb16a7133b4f5p-1,
	0x1.fb0988284ac3dp-1, 0x1.fafbabf570e44p-1, 0x1.faed0967f6925p-1,
	0x1.fadd96964622ep-1, 0x1.facd48ab5f4e1p-1, 0x1.fabc13cf91f8fp-1,
	0x1.faa9eb0e19351p-1, 0x1.fa96c0371d81cp-1, 0x1.fa8283bd8f44dp-1,
	0x1.fa6d24902fe33p-1, 0x1.fa568fecff9b9p-1, 0x1.fa3eb12e1f177p-1,
	0x1.fa25718f03b34p-1, 0x1.fa0ab7e8a2982p-1, 0x1.f9ee6862ee1b5p-1,
	0x1.f9d06419a6a63p-1, 0x1.f9b088b20ff67p-1, 0x1.f98eafde8e73bp-1,
	0x1.f96aaecc7e5e7p-1, 0x1.f9445577b49f4p-1, 0x1.f91b6dddf8427p-1,
	0x1.f8efbb0b5013fp-1, 0x1.f8c0f7f61e36fp-1, 0x1.f88ed61f8e779p-1,
	0x1.f858fbe99f8adp-1, 0x1.f81f028fc2ae1p-1, 0x1.f7e073a948fe3p-1,
	0x1.f79cc61506b24p-1, 0x1.f7535a22e3d3fp-1, 0x1.f70374c1451abp-1,
	0x1.f6ac395f78bd5p-1, 0x1.f64ca218dbb22p-1, 0x1.f5e37591f6ccfp-1,
	0x1.f56f39b2b0507p-1, 0x1.f4ee220c3044p-1, 0x1.f45df82cd25b9p-1,
	0x1.f3bbfb4b67d62p-1, 0x1.f304b35b5d591p-1, 0x1.f233b16d764dap-1,
	0x1.f143339d7d788p-1, 0x1.f02b9c88c7353p-1, 0x1.eee2a3186b515p-1,
	0x1.ed5a0a98bc7cdp-1, 0x1.eb7d8a7ccd9edp-1, 0x1.e92f39746c228p-1,
	0x1.e641170f50cafp-1, 0x1.e26896f5fbf47p-1, 0x1.dd2487adcb4e3p-1,
	0x1.d58014742e544p-1, 0x1.c96d1a883d306p-1, 0x1.b3911e9b8053ep-1,
	0x1.803c6d4f93b49p-1, 0x0p+0,
};

static double
normal_tail(qc_rng *r, int negative)
{
	int			i;

	for (i = 0; i < QC_MAX_REJECTIONS; i++)
	{
		double		x = log(uniform(r)) / QC_ZIG_R,
					y = log(uniform(r));

		if (-2.0 * y >= x * x)
			return negative ? x - QC_ZIG_R : QC_ZIG_R - x;
	}
	r->failed = 1;
	return 0.0;
}

static inline double
normal(qc_rng *r)
{
	int			n;

	for (n = 0; n < QC_MAX_REJECTIONS; n++)
	{
		uint64_t	w = word(r);
		double		u = 2.0 * (((double) (int64_t) (w >> 11) + 0.5) * (1.0 / 9007199254740992.0)) - 1.0,
					x,
					f0,
					f1;
		int			i = (int) (w & (QC_ZIG_LAYERS - 1));

		/* inside the rectangle of layer i: the usual case (about 98.8 %) */
		if (fabs(u) < zig_r[i])
			return u * zig_x[i];
		if (i == 0)
			return normal_tail(r, u < 0.0);
		/* the wedge: accept under the density */
		x = u * zig_x[i];
		f0 = exp(-0.5 * (zig_x[i] * zig_x[i] - x * x));
		f1 = exp(-0.5 * (zig_x[i + 1] * zig_x[i + 1] - x * x));
		if (f1 + uniform(r) * (f0 - f1) < 1.0)
			return x;
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
					p,
					f;
		uint64_t	k = 0;

		/*
		 * exp(-mean) > 1 - mean: a year below that has no event, decided
		 * without the exp (most years, for the usual rare events).
		 */
		if (u < 1.0 - mean)
			return 0;
		p = exp(-mean);
		f = p;

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
				zeros,
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
	}
	mean = (sum + comp) / (double) n;
	/*
	 * Second pass: the squared deviations, and the positive losses moved to
	 * the front.  Years without loss are the smallest values and usually
	 * most of them, so percentiles among them need no selection.
	 */
	for (i = 0; i < n; i++)
	{
		double		v = x[i];

		ss += (v - mean) * (v - mean);
		if (v > 0.0)
			x[positive++] = v;
	}
	zeros = n - positive;
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

		if (k < zeros)
		{
			*dest[q] = 0.0;
			continue;
		}
		k -= zeros;
		if (k >= from)
		{
			qc_select(x + from, positive - from, k - from);
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
