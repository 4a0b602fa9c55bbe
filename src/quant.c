/*
 * quant.c: the SQL surface of quantitative risk: isms.simulate_risk(),
 * isms.simulate_portfolio(), the loss-exceedance curves and the raw trials.
 * Estimates are read through SPI (so under the caller's row-level
 * security), each risk draws from its own pg_prng stream seeded from the
 * simulation's seed and the risk id, and the Monte Carlo work is done by
 * quant_core.c in chunks with CHECK_FOR_INTERRUPTS() between them.
 */
#include "pg_isms.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/pg_prng.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "quant_core.h"

/*
 * Trials simulated between two checks for a cancel request: at most
 * QUANT_CHUNK, and fewer for frequent events, so that a chunk draws about
 * QUANT_CHUNK_DRAWS losses on average (some milliseconds).
 */
#define QUANT_CHUNK 32768
#define QUANT_CHUNK_DRAWS 1048576.0

/* Risks in one simulation (a portfolio). */
#define QUANT_RISKS_MAX 10000

typedef struct QuantRisk
{
	int64		id;
	qc_risk		model;
	char		currency[4];
} QuantRisk;

typedef struct QuantRun
{
	int			nrisks;
	int32		trials;
	int64		seed;
	char		currency[4];
	double	   *loss;			/* per trial, summed over the risks */
	uint64_t   *events;			/* per trial, or NULL */
	uint64_t	total_events;
} QuantRun;

/* The core's source of random words: the risk's pg_prng stream. */
static void
prng_fill(void *ctx, uint64_t *buf, int n)
{
	pg_prng_state *state = (pg_prng_state *) ctx;
	int			i;

	for (i = 0; i < n; i++)
		buf[i] = pg_prng_uint64(state);
}

static void
check_trials(int32 trials)
{
	if (trials < 1 || trials > QC_TRIALS_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of trials must be between 1 and %d: %d", QC_TRIALS_MAX, trials),
				 errhint("100000 trials give percentiles up to P99 within a few percent.")));
}

static int
parse_kind(const char *s, int64 id, const char *what)
{
	if (strcmp(s, "pert") == 0)
		return QC_PERT;
	if (strcmp(s, "lognormal") == 0)
		return QC_LOGNORMAL;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("risk " INT64_FORMAT " has an unknown %s distribution \"%s\"", id, what, s),
			 errhint("Accepted: pert, lognormal.")));
	return -1;
}

static double
get_float(HeapTuple tup, TupleDesc desc, int col, bool *isnull)
{
	Datum		d = SPI_getbinval(tup, desc, col, isnull);

	return *isnull ? NAN : DatumGetFloat8(d);
}

static void
report_status(qc_status st, int64 id)
{
	int			code;

	switch (st)
	{
		case QC_ERR_KIND:
		case QC_ERR_ORDER:
			code = ERRCODE_INVALID_PARAMETER_VALUE;
			break;
		case QC_ERR_NOT_FINITE:
		case QC_ERR_NEGATIVE:
		case QC_ERR_TOO_LARGE:
		case QC_ERR_EVENTS:
			code = ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
			break;
		default:
			code = ERRCODE_INTERNAL_ERROR;
			break;
	}
	if (st == QC_ERR_EVENTS)
		ereport(ERROR,
				(errcode(code),
				 errmsg("simulation of risk " INT64_FORMAT " drew a year with more than %d loss events",
						id, QC_EVENTS_PER_TRIAL_MAX),
				 errdetail("The frequency estimate is too wide for a simulation."),
				 errhint("Narrow the frequency range of the risk in isms.risk_quantification.")));
	ereport(ERROR,
			(errcode(code),
			 errmsg("estimates of risk " INT64_FORMAT " cannot be simulated: %s", id, qc_status_message(st))));
}

/*
 * The estimates of the listed risks, in ascending id order.  Unknown (or
 * invisible) risks and risks without estimates raise P0002, a NULL id
 * 22004, a repeated id 22023.
 */
static QuantRisk *
load_risks(ArrayType *ids, int *nrisks)
{
	static const char *query =
		"SELECT i.id, r.id IS NOT NULL, q.risk_id IS NOT NULL,"
		" q.frequency_kind, q.frequency_low, q.frequency_mode, q.frequency_high,"
		" q.loss_kind, q.loss_low, q.loss_mode, q.loss_high, q.currency"
		" FROM pg_catalog.unnest($1) AS i(id)"
		" LEFT JOIN isms.risk r ON r.id OPERATOR(pg_catalog.=) i.id"
		" LEFT JOIN isms.risk_quantification q ON q.risk_id OPERATOR(pg_catalog.=) i.id"
		" ORDER BY i.id";
	MemoryContext outer = CurrentMemoryContext;
	Oid			argtypes[1] = {INT8ARRAYOID};
	Datum		args[1];
	QuantRisk  *risks;
	uint64		n,
				k;
	int			ret,
				nids;

	if (ARR_NDIM(ids) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("risk ids must be a one-dimensional array")));
	if (array_contains_nulls(ids))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("risk ids must not contain NULL")));
	nids = ArrayGetNItems(ARR_NDIM(ids), ARR_DIMS(ids));
	if (nids == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("no risk to simulate: the array of risk ids is empty")));
	if (nids > QUANT_RISKS_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a simulation takes at most %d risks: %d given", QUANT_RISKS_MAX, nids)));

	args[0] = PointerGetDatum(ids);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ret = SPI_execute_with_args(query, 1, argtypes, args, NULL, true, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "reading risk estimates failed: %s", SPI_result_code_string(ret));
	n = SPI_processed;
	risks = MemoryContextAllocZero(outer, sizeof(QuantRisk) * n);
	for (k = 0; k < n; k++)
	{
		HeapTuple	tup = SPI_tuptable->vals[k];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		int64		id = DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull));
		char	   *fk,
				   *lk,
				   *cur;
		double		f[3],
					l[3];
		int			j;
		qc_status	st;

		if (k > 0 && risks[k - 1].id == id)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("risk " INT64_FORMAT " is listed more than once", id),
					 errhint("A portfolio counts each risk once.")));
		if (!DatumGetBool(SPI_getbinval(tup, desc, 2, &isnull)))
			ereport(ERROR,
					(errcode(ERRCODE_NO_DATA_FOUND),
					 errmsg("risk " INT64_FORMAT " does not exist", id)));
		if (!DatumGetBool(SPI_getbinval(tup, desc, 3, &isnull)))
			ereport(ERROR,
					(errcode(ERRCODE_NO_DATA_FOUND),
					 errmsg("risk " INT64_FORMAT " has no quantification", id),
					 errhint("Give its loss event frequency and loss magnitude in isms.risk_quantification.")));
		fk = SPI_getvalue(tup, desc, 4);
		lk = SPI_getvalue(tup, desc, 8);
		cur = SPI_getvalue(tup, desc, 12);
		for (j = 0; j < 3; j++)
		{
			f[j] = get_float(tup, desc, 5 + j, &isnull);
			l[j] = get_float(tup, desc, 9 + j, &isnull);
		}
		risks[k].id = id;
		st = qc_risk_init(&risks[k].model,
						  (qc_kind) parse_kind(fk, id, "frequency"), f[0], f[1], f[2],
						  (qc_kind) parse_kind(lk, id, "loss"), l[0], l[1], l[2]);
		if (st != QC_OK)
			report_status(st, id);
		strlcpy(risks[k].currency, cur, sizeof(risks[k].currency));
	}
	SPI_finish();
	*nrisks = (int) n;
	return risks;
}

/* Simulate the risks trial by trial into one array of annual losses. */
static void
run_simulation(ArrayType *ids, int32 trials, int64 seed, bool want_events, QuantRun *run)
{
	QuantRisk  *risks;
	int			nrisks,
				i;

	check_trials(trials);
	risks = load_risks(ids, &nrisks);
	for (i = 1; i < nrisks; i++)
		if (strcmp(risks[i].currency, risks[0].currency) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("risks " INT64_FORMAT " and " INT64_FORMAT " are estimated in different currencies (%s, %s)",
							risks[0].id, risks[i].id, risks[0].currency, risks[i].currency),
					 errhint("A portfolio adds losses of one currency.")));

	run->nrisks = nrisks;
	run->trials = trials;
	run->seed = seed;
	strlcpy(run->currency, risks[0].currency, sizeof(run->currency));
	run->loss = palloc0(sizeof(double) * (Size) trials);
	run->events = want_events ? palloc0(sizeof(uint64_t) * (Size) trials) : NULL;
	run->total_events = 0;

	for (i = 0; i < nrisks; i++)
	{
		pg_prng_state state;
		qc_rng		rng;
		int32		done;
		double		per_trial = 1.0 + qc_dist_mean(&risks[i].model.frequency);
		int32		chunk = (int32) Max(1.0, Min((double) QUANT_CHUNK, QUANT_CHUNK_DRAWS / per_trial));

		pg_prng_seed(&state, qc_stream_seed((uint64) seed, (uint64) risks[i].id));
		qc_rng_init(&rng, prng_fill, &state);
		for (done = 0; done < trials; done += chunk)
		{
			int32		n = Min(chunk, trials - done);
			qc_status	st;

			CHECK_FOR_INTERRUPTS();
			st = qc_simulate(&risks[i].model, &rng, run->loss + done,
							 run->events ? run->events + done : NULL, (size_t) n, &run->total_events);
			if (st != QC_OK)
				report_status(st, risks[i].id);
		}
	}
	pfree(risks);
}

/*
 * The trials can be 80 MB: give them back at once rather than with the
 * memory context, which a LATERAL call over many risks resets only per row.
 */
static void
free_run(QuantRun *run)
{
	pfree(run->loss);
	if (run->events)
		pfree(run->events);
}

static Datum
summary_datum(FunctionCallInfo fcinfo, QuantRun *run)
{
	TupleDesc	desc;
	Datum		values[14];
	bool		nulls[14];
	qc_summary	s;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	desc = BlessTupleDesc(desc);
	if (desc->natts != 14)
		elog(ERROR, "isms.loss_simulation has %d columns, expected 14", desc->natts);
	CHECK_FOR_INTERRUPTS();
	qc_summarise(run->loss, (size_t) run->trials, &s);
	memset(nulls, 0, sizeof(nulls));
	values[0] = Int32GetDatum(run->nrisks);
	values[1] = Int32GetDatum(run->trials);
	values[2] = Int64GetDatum(run->seed);
	values[3] = CStringGetTextDatum(run->currency);
	values[4] = Float8GetDatum(s.mean);
	values[5] = Float8GetDatum(s.stddev);
	nulls[5] = run->trials < 2;
	values[6] = Float8GetDatum(s.p50);
	values[7] = Float8GetDatum(s.p90);
	values[8] = Float8GetDatum(s.p95);
	values[9] = Float8GetDatum(s.p99);
	values[10] = Float8GetDatum(s.p999);
	values[11] = Float8GetDatum(s.max);
	values[12] = Float8GetDatum(s.loss_probability);
	values[13] = Float8GetDatum((double) run->total_events / (double) run->trials);
	free_run(run);
	return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}

static ArrayType *
one_id(int64 id)
{
	Datum		d = Int64GetDatum(id);

#if PG_VERSION_NUM >= 160000
	return construct_array_builtin(&d, 1, INT8OID);
#else
	return construct_array(&d, 1, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
#endif
}

PG_FUNCTION_INFO_V1(isms_simulate_risk);
Datum
isms_simulate_risk(PG_FUNCTION_ARGS)
{
	QuantRun	run;

	run_simulation(one_id(PG_GETARG_INT64(0)), PG_GETARG_INT32(1), PG_GETARG_INT64(2), false, &run);
	PG_RETURN_DATUM(summary_datum(fcinfo, &run));
}

PG_FUNCTION_INFO_V1(isms_simulate_portfolio);
Datum
isms_simulate_portfolio(PG_FUNCTION_ARGS)
{
	QuantRun	run;

	run_simulation(PG_GETARG_ARRAYTYPE_P(0), PG_GETARG_INT32(1), PG_GETARG_INT64(2), false, &run);
	PG_RETURN_DATUM(summary_datum(fcinfo, &run));
}

static void
exceedance_rows(FunctionCallInfo fcinfo, ArrayType *ids, int32 trials, int64 seed, int32 points)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	QuantRun	run;
	double	   *loss,
			   *prob;
	int			n,
				j;

	if (points < 2 || points > QC_POINTS_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of points must be between 2 and %d: %d", QC_POINTS_MAX, points)));
	InitMaterializedSRF(fcinfo, 0);
	run_simulation(ids, trials, seed, false, &run);
	loss = palloc(sizeof(double) * (Size) points);
	prob = palloc(sizeof(double) * (Size) points);
	CHECK_FOR_INTERRUPTS();
	n = qc_exceedance(run.loss, (size_t) trials, points, loss, prob);
	for (j = 0; j < n; j++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = Float8GetDatum(loss[j]);
		values[1] = Float8GetDatum(prob[j]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	pfree(loss);
	pfree(prob);
	free_run(&run);
}

PG_FUNCTION_INFO_V1(isms_risk_loss_exceedance);
Datum
isms_risk_loss_exceedance(PG_FUNCTION_ARGS)
{
	exceedance_rows(fcinfo, one_id(PG_GETARG_INT64(0)), PG_GETARG_INT32(1), PG_GETARG_INT64(2),
					PG_GETARG_INT32(3));
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(isms_portfolio_loss_exceedance);
Datum
isms_portfolio_loss_exceedance(PG_FUNCTION_ARGS)
{
	exceedance_rows(fcinfo, PG_GETARG_ARRAYTYPE_P(0), PG_GETARG_INT32(1), PG_GETARG_INT64(2),
					PG_GETARG_INT32(3));
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(isms_simulate_trials);
Datum
isms_simulate_trials(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	QuantRun	run;
	int32		i;

	InitMaterializedSRF(fcinfo, 0);
	run_simulation(PG_GETARG_ARRAYTYPE_P(0), PG_GETARG_INT32(1), PG_GETARG_INT64(2), true, &run);
	for (i = 0; i < run.trials; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		if ((i & (QUANT_CHUNK - 1)) == 0)
			CHECK_FOR_INTERRUPTS();
		values[0] = Int32GetDatum(i + 1);
		values[1] = Float8GetDatum(run.loss[i]);
		values[2] = Int64GetDatum((int64) run.events[i]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	free_run(&run);
	return (Datum) 0;
}
