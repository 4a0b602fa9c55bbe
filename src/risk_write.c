/*
 * risk_write.c: isms.risk_before_write(), the one BEFORE row trigger of
 * isms.risk, in C so that a bulk load pays no plpgsql call per row.  Per
 * row it checks the scores against the matrix (the one matrix cache),
 * keeps the override's authorship, turns an identified risk with an
 * inherent score into an assessed one, and holds a new risk to the start
 * rule; an UPDATE then goes through isms.risk_update_rules() (plpgsql: the
 * state machine with its preconditions, which query other tables, and the
 * residual from the linked controls), a new risk's residual is its
 * inherent score (no control can be linked yet).
 *
 * isms.risk_start_check() is the start rule for SQL callers
 * (isms.risk_transition_check with from_status NULL).
 */
#include "matrix_cache.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_collation.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/builtins.h"
#include "utils/rel.h"

#include "risk_score_core.h"

/* What the trigger needs of isms.risk, looked up once per statement. */
typedef struct RiskWrite
{
	int			matrix;
	int			inherent;
	int			target;
	int			residual_override;
	int			rationale;
	int			override_by;
	int			override_at;
	int			status;
	int			closed_at;
	int			residual_computed;
	Datum		st_identified;	/* isms.risk_status values */
	Datum		st_assessed;
	Datum		st_closed;
	FmgrInfo	update_rules;	/* isms.risk_update_rules(isms.risk, isms.risk) */
} RiskWrite;

int
isms_risk_column(TupleDesc desc, const char *name)
{
	int			attno = SPI_fnumber(desc, name);

	if (attno <= 0)
		elog(ERROR, "pg_isms: isms.risk has no column %s", name);
	return attno;
}

static Datum
status_value(Oid type, const char *label)
{
	return DirectFunctionCall2(enum_in, CStringGetDatum(label), ObjectIdGetDatum(type));
}

static RiskWrite *
risk_write_setup(FunctionCallInfo fcinfo, Relation rel)
{
	RiskWrite  *w = (RiskWrite *) fcinfo->flinfo->fn_extra;
	TupleDesc	desc = RelationGetDescr(rel);
	MemoryContext old;
	Oid			status_type;
	Oid			argtypes[2];
	Oid			fn;

	if (w != NULL)
		return w;
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	w = palloc0(sizeof(RiskWrite));
	w->matrix = isms_risk_column(desc, "matrix");
	w->inherent = isms_risk_column(desc, "inherent");
	w->target = isms_risk_column(desc, "target");
	w->residual_override = isms_risk_column(desc, "residual_override");
	w->rationale = isms_risk_column(desc, "residual_override_rationale");
	w->override_by = isms_risk_column(desc, "residual_override_by");
	w->override_at = isms_risk_column(desc, "residual_override_at");
	w->status = isms_risk_column(desc, "status");
	w->closed_at = isms_risk_column(desc, "closed_at");
	w->residual_computed = isms_risk_column(desc, "residual_computed");
	status_type = TupleDescAttr(desc, w->status - 1)->atttypid;
	w->st_identified = status_value(status_type, "identified");
	w->st_assessed = status_value(status_type, "assessed");
	w->st_closed = status_value(status_type, "closed");
	argtypes[0] = argtypes[1] = rel->rd_rel->reltype;
	fn = LookupFuncName(list_make2(makeString("isms"), makeString("risk_update_rules")),
						2, argtypes, false);
	fmgr_info_cxt(fn, &w->update_rules, fcinfo->flinfo->fn_mcxt);
	MemoryContextSwitchTo(old);
	fcinfo->flinfo->fn_extra = w;
	return w;
}

/*
 * The start rule: a new risk starts as identified, or assessed when it has
 * an inherent score (the trigger makes that move itself).
 */
static void
risk_start_check(Datum status, bool isnull, Datum identified, Datum assessed)
{
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("risk status must not be null")));
	if (status == identified || status == assessed)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("a new risk cannot start as \"%s\"",
					DatumGetCString(DirectFunctionCall1(enum_out, status))),
			 errdetail("A new risk starts as \"identified\", or \"assessed\" when it has an inherent score."),
			 errhint("Insert the risk, then use isms.treat(), isms.accept_risk() or isms.close_risk()."),
			 err_generic_string(PG_DIAG_SCHEMA_NAME, "isms"),
			 err_generic_string(PG_DIAG_TABLE_NAME, "risk"),
			 err_generic_string(PG_DIAG_CONSTRAINT_NAME, "risk_status_transition")));
}

/* A score (NULL: nothing to check) must lie inside the matrix. */
static void
check_on_matrix(const IsmsMatrix *m, const char *what, Datum score, bool isnull)
{
	int32		packed;
	char		buf[RS_TEXT_SIZE];

	if (isnull || !m->exists)
		return;					/* an unknown matrix: its foreign key reports it */
	packed = DatumGetInt32(score);
	if (isms_matrix_cell(m, packed) >= 0)
		return;
	rs_format(rs_likelihood(packed), rs_impact(packed), buf);
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s %s is outside risk matrix \"%s\"", what, buf, m->id),
			 errdetail("Matrix \"%s\" is %dx%d.", m->id, m->size, m->size)));
}

static bool
text_distinct(Datum a, bool anull, Datum b, bool bnull)
{
	if (anull || bnull)
		return anull != bnull;
	return !DatumGetBool(DirectFunctionCall2Coll(texteq, C_COLLATION_OID, a, b));
}

/* a IS DISTINCT FROM b, for pass-by-value columns (scores, enums) */
#define VALUE_DISTINCT(a, an, b, bn) ((an) != (bn) || (!(an) && (a) != (b)))

PG_FUNCTION_INFO_V1(isms_risk_before_write);
Datum
isms_risk_before_write(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	Relation	rel;
	TupleDesc	desc;
	RiskWrite  *w;
	HeapTuple	newtup,
				oldtup = NULL;
	bool		insert;
	Datum	   *values;
	bool	   *nulls;
	Datum	   *ovalues = NULL;
	bool	   *onulls = NULL;
	int			natts;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
		!(TRIGGER_FIRED_BY_INSERT(td->tg_event) || TRIGGER_FIRED_BY_UPDATE(td->tg_event)))
		elog(ERROR, "isms.risk_before_write: must be a BEFORE INSERT OR UPDATE row trigger");
	insert = TRIGGER_FIRED_BY_INSERT(td->tg_event);
	newtup = insert ? td->tg_trigtuple : td->tg_newtuple;
	if (isms_restore_in_progress())
		return PointerGetDatum(newtup);

	rel = td->tg_relation;
	desc = RelationGetDescr(rel);
	natts = desc->natts;
	w = risk_write_setup(fcinfo, rel);
	values = palloc(sizeof(Datum) * natts);
	nulls = palloc(sizeof(bool) * natts);
	heap_deform_tuple(newtup, desc, values, nulls);
	if (!insert)
	{
		oldtup = td->tg_trigtuple;
		ovalues = palloc(sizeof(Datum) * natts);
		onulls = palloc(sizeof(bool) * natts);
		heap_deform_tuple(oldtup, desc, ovalues, onulls);
	}
#define NEWV(c) values[(c) - 1]
#define NEWN(c) nulls[(c) - 1]
#define OLDV(c) ovalues[(c) - 1]
#define OLDN(c) onulls[(c) - 1]
#define CHANGED(c) VALUE_DISTINCT(NEWV(c), NEWN(c), OLDV(c), OLDN(c))

	/* Scores on the matrix: checked when they or the matrix change. */
	if (insert ||
		text_distinct(NEWV(w->matrix), NEWN(w->matrix), OLDV(w->matrix), OLDN(w->matrix)) ||
		CHANGED(w->inherent) || CHANGED(w->target) || CHANGED(w->residual_override))
	{
		char	   *id = NEWN(w->matrix) ? pstrdup("") : TextDatumGetCString(NEWV(w->matrix));
		const IsmsMatrix *m = isms_matrix(id);

		check_on_matrix(m, "inherent score", NEWV(w->inherent), NEWN(w->inherent));
		check_on_matrix(m, "target score", NEWV(w->target), NEWN(w->target));
		check_on_matrix(m, "residual override", NEWV(w->residual_override), NEWN(w->residual_override));
	}

	/* Who set the override and when are facts, not user input. */
	if (NEWN(w->residual_override))
	{
		NEWN(w->rationale) = NEWN(w->override_by) = NEWN(w->override_at) = true;
	}
	else if (insert || CHANGED(w->residual_override) ||
			 text_distinct(NEWV(w->rationale), NEWN(w->rationale), OLDV(w->rationale), OLDN(w->rationale)))
	{
		NEWV(w->override_by) = CStringGetTextDatum(GetUserNameFromId(GetUserId(), false));
		NEWN(w->override_by) = false;
		NEWV(w->override_at) = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
		NEWN(w->override_at) = false;
	}
	else
	{
		NEWV(w->override_by) = OLDV(w->override_by);
		NEWN(w->override_by) = OLDN(w->override_by);
		NEWV(w->override_at) = OLDV(w->override_at);
		NEWN(w->override_at) = OLDN(w->override_at);
	}

	/* Recording an inherent score is the assessment. */
	if (!NEWN(w->status) && NEWV(w->status) == w->st_identified && !NEWN(w->inherent) &&
		(insert || (!OLDN(w->status) &&
					(OLDV(w->status) == w->st_identified || OLDV(w->status) == w->st_closed))))
		NEWV(w->status) = w->st_assessed;

	if (insert)
	{
		risk_start_check(NEWV(w->status), NEWN(w->status), w->st_identified, w->st_assessed);
		NEWN(w->closed_at) = true;
		NEWV(w->residual_computed) = NEWV(w->inherent);	/* no control can be linked yet */
		NEWN(w->residual_computed) = NEWN(w->inherent);
		return PointerGetDatum(heap_form_tuple(desc, values, nulls));
	}

	/* UPDATE: the state machine and the residual, in plpgsql. */
	{
		HeapTuple	cur = heap_form_tuple(desc, values, nulls);
		Datum		result;
		HeapTupleHeader th;
		HeapTupleData tmp;

		result = FunctionCall2(&w->update_rules,
							   heap_copy_tuple_as_datum(cur, desc),
							   heap_copy_tuple_as_datum(oldtup, desc));
		th = DatumGetHeapTupleHeader(result);
		tmp.t_len = HeapTupleHeaderGetDatumLength(th);
		ItemPointerSetInvalid(&tmp.t_self);
		tmp.t_tableOid = RelationGetRelid(rel);
		tmp.t_data = th;
		return PointerGetDatum(heap_copytuple(&tmp));
	}
}

/*
 * isms.risk_start_check(to_status): returns when a new risk may start as
 * to_status, otherwise raises what the trigger raises (22004, 23514).
 */
PG_FUNCTION_INFO_V1(isms_risk_start_check);
Datum
isms_risk_start_check(PG_FUNCTION_ARGS)
{
	Oid			type = get_fn_expr_argtype(fcinfo->flinfo, 0);

	if (!OidIsValid(type))
		elog(ERROR, "isms.risk_start_check: argument type not known");
	risk_start_check(PG_ARGISNULL(0) ? (Datum) 0 : PG_GETARG_DATUM(0), PG_ARGISNULL(0),
					 status_value(type, "identified"), status_value(type, "assessed"));
	PG_RETURN_VOID();
}
