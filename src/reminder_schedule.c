/*
 * reminder_schedule.c: isms.risk_next_review(), the BEFORE row trigger that
 * keeps isms.risk.next_review, in C so a bulk load pays no plpgsql call per
 * row; the review interval of a (matrix, score) comes from the one matrix
 * cache (matrix_cache.c).
 */
#include "matrix_cache.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "risk_score_core.h"

/* Columns of isms.risk the trigger reads, by number (looked up per table). */
typedef struct RiskColumns
{
	Oid			relid;
	int			matrix;
	int			inherent;
	int			residual_computed;
	int			residual_override;
	int			identified_on;
	int			next_review;
} RiskColumns;

static RiskColumns cols = {InvalidOid};

static void
find_columns(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);

	if (cols.relid == RelationGetRelid(rel))
		return;
	cols.matrix = isms_risk_column(desc, "matrix");
	cols.inherent = isms_risk_column(desc, "inherent");
	cols.residual_computed = isms_risk_column(desc, "residual_computed");
	cols.residual_override = isms_risk_column(desc, "residual_override");
	cols.identified_on = isms_risk_column(desc, "identified_on");
	cols.next_review = isms_risk_column(desc, "next_review");
	cols.relid = RelationGetRelid(rel);
}

/*
 * The review interval of the level a score falls in on a matrix
 * (isms.risk_review_interval); false when there is none (a NULL score, an
 * unmapped cell).
 */
static bool
review_interval(const char *matrix, bool score_null, int32 score, Interval *every)
{
	const IsmsMatrix *m;
	int			cell;

	if (score_null || !rs_packed_valid(score))
		return false;
	m = isms_matrix(matrix);
	cell = isms_matrix_cell(m, score);
	if (cell < 0 || !m->has_every[cell])
		return false;
	*every = m->every[cell];
	return true;
}

/*
 * isms.risk_review_interval(score, matrix): the review interval of the
 * level a score falls in, through the same matrix cache the
 * next-review trigger uses (one lookup for SQL callers and the trigger).
 */
PG_FUNCTION_INFO_V1(isms_risk_review_interval);
Datum
isms_risk_review_interval(PG_FUNCTION_ARGS)
{
	Interval	every;
	Interval   *result;
	char	   *matrix;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	matrix = text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (!review_interval(matrix, false, PG_GETARG_INT32(0), &every))
		PG_RETURN_NULL();
	result = (Interval *) palloc(sizeof(Interval));
	*result = every;
	PG_RETURN_INTERVAL_P(result);
}

/*
 * The effective score of a risk, the one rule (also isms.effective_score()
 * below): the residual override, else the computed residual, else the
 * inherent score.  false when all three are NULL.
 */
static bool
effective_score(const Datum *scores, const bool *isnull, int32 *score)
{
	int			i;

	for (i = 0; i < 3; i++)
		if (!isnull[i])
		{
			*score = DatumGetInt32(scores[i]);
			return true;
		}
	return false;
}

/*
 * The effective score of a risk row, deformed (its generated residual is
 * not there yet).
 */
static bool
row_score(const Datum *values, const bool *nulls, int32 *score)
{
	int			attnos[3] = {cols.residual_override, cols.residual_computed, cols.inherent};
	Datum		scores[3];
	bool		isnull[3];
	int			i;

	for (i = 0; i < 3; i++)
	{
		scores[i] = values[attnos[i] - 1];
		isnull[i] = nulls[attnos[i] - 1];
	}
	return effective_score(scores, isnull, score);
}

/*
 * isms.effective_score(residual_override, residual_computed, inherent):
 * the score a risk's review cadence and level follow.
 */
PG_FUNCTION_INFO_V1(isms_effective_score);
Datum
isms_effective_score(PG_FUNCTION_ARGS)
{
	Datum		scores[3];
	bool		isnull[3];
	int32		score;
	int			i;

	for (i = 0; i < 3; i++)
	{
		isnull[i] = PG_ARGISNULL(i);
		scores[i] = isnull[i] ? (Datum) 0 : PG_GETARG_DATUM(i);
	}
	if (!effective_score(scores, isnull, &score))
		PG_RETURN_NULL();
	PG_RETURN_INT32(score);
}

/* (day + every)::date */
static DateADT
date_plus(DateADT day, Interval *every)
{
	Datum		ts = DirectFunctionCall2(date_pl_interval, DateADTGetDatum(day),
										 IntervalPGetDatum(every));

	return DatumGetDateADT(DirectFunctionCall1(timestamp_date, ts));
}

static char *
row_matrix(const Datum *values, const bool *nulls)
{
	return nulls[cols.matrix - 1] ? pstrdup("") : TextDatumGetCString(values[cols.matrix - 1]);
}

/* The row with next_review set to day. */
static HeapTuple
with_next_review(TupleDesc desc, Datum *values, bool *nulls, DateADT day)
{
	values[cols.next_review - 1] = DateADTGetDatum(day);
	nulls[cols.next_review - 1] = false;
	return heap_form_tuple(desc, values, nulls);
}

/*
 * next_review of a risk = identified_on + the review interval of its
 * residual level (on insert, unless given); on update an explicit change of
 * next_review is kept, a risk without one gets one, and a change of level
 * re-times the review from the same start of the cycle: a worse level
 * (shorter interval) brings it forward, a better one never postpones it.
 */
PG_FUNCTION_INFO_V1(isms_risk_next_review);
Datum
isms_risk_next_review(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	newtup;
	Datum	   *values;
	bool	   *nulls;
	Datum	   *ovalues;
	bool	   *onulls;
	int			nr;
	int32		cur;
	int32		old_score = 0;
	bool		old_score_null;
	DateADT		old_next;
	Interval	every;
	Interval	old_every;
	bool		has_every;
	bool		has_old_every;
	char	   *matrix;
	char	   *old_matrix;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
		TRIGGER_FIRED_BY_DELETE(trigdata->tg_event) ||
		TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event))
		elog(ERROR, "isms.risk_next_review: must be a BEFORE INSERT OR UPDATE row trigger");

	find_columns(trigdata->tg_relation);
	desc = RelationGetDescr(trigdata->tg_relation);
	nr = cols.next_review - 1;
	newtup = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? trigdata->tg_newtuple : trigdata->tg_trigtuple;
	/* Each row read in one pass: a bulk load runs this per row. */
	values = palloc(sizeof(Datum) * desc->natts);
	nulls = palloc(sizeof(bool) * desc->natts);
	heap_deform_tuple(newtup, desc, values, nulls);

	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		if (!nulls[nr] || nulls[cols.identified_on - 1] || !row_score(values, nulls, &cur) ||
			!review_interval(row_matrix(values, nulls), false, cur, &every))
			return PointerGetDatum(newtup);
		return PointerGetDatum(with_next_review(desc, values, nulls,
												date_plus(DatumGetDateADT(values[cols.identified_on - 1]), &every)));
	}

	/* UPDATE */
	if (!row_score(values, nulls, &cur))
		return PointerGetDatum(newtup);
	matrix = row_matrix(values, nulls);
	ovalues = palloc(sizeof(Datum) * desc->natts);
	onulls = palloc(sizeof(bool) * desc->natts);
	heap_deform_tuple(trigdata->tg_trigtuple, desc, ovalues, onulls);
	if (nulls[nr] != onulls[nr] ||
		(!onulls[nr] && DatumGetDateADT(values[nr]) != DatumGetDateADT(ovalues[nr])))
		return PointerGetDatum(newtup);	/* set explicitly: kept */
	has_every = review_interval(matrix, false, cur, &every);
	if (onulls[nr])
	{
		if (nulls[cols.identified_on - 1] || !has_every)
			return PointerGetDatum(newtup);
		return PointerGetDatum(with_next_review(desc, values, nulls,
												date_plus(DatumGetDateADT(values[cols.identified_on - 1]), &every)));
	}
	old_next = DatumGetDateADT(ovalues[nr]);
	old_score_null = !row_score(ovalues, onulls, &old_score);
	old_matrix = row_matrix(ovalues, onulls);
	if (!old_score_null && old_score == cur && strcmp(old_matrix, matrix) == 0)
		return PointerGetDatum(newtup);
	has_old_every = review_interval(old_matrix, old_score_null, old_score, &old_every);
	if (has_old_every == has_every &&
		(!has_every || DatumGetBool(DirectFunctionCall2(interval_eq, IntervalPGetDatum(&old_every),
														IntervalPGetDatum(&every)))))
		return PointerGetDatum(newtup);
	if (!has_every)
		return PointerGetDatum(newtup);	/* LEAST(old, NULL) is old */
	{
		/* ((old_next - coalesce(old_every, every)) + every)::date */
		Datum		start = DirectFunctionCall2(date_mi_interval, DateADTGetDatum(old_next),
												IntervalPGetDatum(has_old_every ? &old_every : &every));
		Datum		ts = DirectFunctionCall2(timestamp_pl_interval, start, IntervalPGetDatum(&every));
		DateADT		cand = DatumGetDateADT(DirectFunctionCall1(timestamp_date, ts));

		if (cand < old_next)
			return PointerGetDatum(with_next_review(desc, values, nulls, cand));
	}
	return PointerGetDatum(newtup);
}
