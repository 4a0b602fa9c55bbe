/*
 * reminder.c: the reminder machinery every subject trigger calls
 * (isms.reminder_sync, _cancel, _done per row; isms.reminder_sync_set and
 * _close_set per statement) with the one SEQUENCE rule, UID generation, and
 * the guard that lets a restored isms.reminder row replace a trigger's one.
 */
#include "pg_isms.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "access/xact.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "port.h"
#include "tcop/pquery.h"
#include "utils/guc.h"
#include "utils/resowner.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "ical_core.h"
#include "reminder.h"

/* Set while our own functions write isms.reminder (see the guard below). */
static bool in_reminder_sync = false;

static SPIPlanPtr sync_plan = NULL;
static SPIPlanPtr cancel_plan = NULL;
static SPIPlanPtr done_plan = NULL;
static SPIPlanPtr sync_set_plan = NULL;
static SPIPlanPtr exists_set_plan = NULL;
static SPIPlanPtr insert_set_plan = NULL;
static SPIPlanPtr close_set_plan = NULL;
static SPIPlanPtr guard_plan = NULL;

/*
 * The SEQUENCE rule, in this one place for every writer of isms.reminder
 * (the per-row functions and the set-based ones the statement triggers
 * call): a change to any field a calendar shows (or a revival of a
 * done/cancelled reminder) adds one to SEQUENCE and stamps updated_at; an
 * identical write changes nothing.  A change of status (done, cancelled)
 * also adds one.  updated_at never goes backwards (LAST-MODIFIED must not):
 * a transaction that started before the row was created still stamps at
 * least its time.
 */
/* REMINDER_COLUMNS, REMINDER_SET_FIELDS, REMINDER_CHANGED, REMINDER_UPSERT_TAIL: reminder.h */

/* A move to another status: SEQUENCE + 1, updated_at as above (reminder.h). */
#define REMINDER_STATUS_MOVE(status) ISMS_REMINDER_STATUS_MOVE(status)

static const char *sync_sql =
"INSERT INTO isms.reminder AS r (" REMINDER_COLUMNS ")"
" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
REMINDER_UPSERT_TAIL;

/*
 * $1 is an array of isms.reminder_item, whose fields are REMINDER_COLUMNS.
 * The rows go in in key order: the unique index on the key is filled in
 * order (and the UIDs made for them, time-ordered, in order too), and two
 * concurrent upserts lock the rows they share in the same order.
 */
static const char *sync_set_sql =
"INSERT INTO isms.reminder AS r (" REMINDER_COLUMNS ")"
" SELECT " REMINDER_COLUMNS " FROM pg_catalog.unnest($1) i"
" ORDER BY kind, subject, subject_key"
REMINDER_UPSERT_TAIL;

/*
 * The bulk fast path of isms.reminder_sync_set: when none of the subjects
 * has a reminder yet (a bulk INSERT of new subjects), a plain INSERT does
 * what the upsert would, without its per-row speculative insertion.
 */
static const char *exists_set_sql =
"SELECT EXISTS (SELECT 1 FROM pg_catalog.unnest($1) i JOIN isms.reminder r"
"  ON r.kind OPERATOR(pg_catalog.=) i.kind AND r.subject OPERATOR(pg_catalog.=) i.subject"
"  AND r.subject_key OPERATOR(pg_catalog.=) i.subject_key)";

static const char *insert_set_sql =
"INSERT INTO isms.reminder AS r (" REMINDER_COLUMNS ")"
" SELECT " REMINDER_COLUMNS " FROM pg_catalog.unnest($1) i"
" ORDER BY kind, subject, subject_key";

/* Below this many items the upsert is as cheap as the fast path. */
#define REMINDER_FAST_PATH_MIN 64

#define REMINDER_KEY_MATCH \
" WHERE r.kind OPERATOR(pg_catalog.=) $1 AND r.subject OPERATOR(pg_catalog.=) $2::pg_catalog.oid"

static const char *cancel_sql =
REMINDER_STATUS_MOVE("'cancelled'") REMINDER_KEY_MATCH
"  AND r.subject_key OPERATOR(pg_catalog.=) $3 AND r.status::text OPERATOR(pg_catalog.<>) 'cancelled'";

static const char *done_sql =
REMINDER_STATUS_MOVE("'done'") REMINDER_KEY_MATCH
"  AND r.subject_key OPERATOR(pg_catalog.=) $3 AND r.status::text OPERATOR(pg_catalog.=) 'scheduled'";

/* $3 text[] of subject keys, $4 the isms.reminder_status to move to. */
static const char *close_set_sql =
REMINDER_STATUS_MOVE("$4") REMINDER_KEY_MATCH
"  AND r.subject_key OPERATOR(pg_catalog.=) ANY ($3) AND r.status OPERATOR(pg_catalog.<>) $4";

static const char *guard_sql =
"DELETE FROM isms.reminder"
" WHERE kind OPERATOR(pg_catalog.=) $1 AND subject OPERATOR(pg_catalog.=) $2::pg_catalog.oid"
"  AND subject_key OPERATOR(pg_catalog.=) $3";

/*
 * Our SPI queries run with search_path pg_catalog, pg_temp (these functions
 * are SECURITY DEFINER); set here rather than with SET on the function, so
 * the restore test (restore.c) still sees the caller's setting.
 */
int
isms_reminder_enter_safe_path(void)
{
	int			nest = NewGUCNestLevel();

	(void) set_config_option("search_path", "pg_catalog, pg_temp",
							 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	return nest;
}

/*
 * Generic plans only: the set-based statements take every item of a
 * statement in one array parameter, which a custom plan would fold into a
 * constant (a deep copy of the whole array on every bulk load) to plan the
 * same shape again.  The per-row statements are single-key lookups, whose
 * generic plan is the one a custom plan would find.
 */
SPIPlanPtr
isms_reminder_prepare_kept(const char *sql, int nargs, Oid *types)
{
	SPIPlanPtr	plan = SPI_prepare_cursor(sql, nargs, types, CURSOR_OPT_GENERIC_PLAN);

	if (plan == NULL)
		elog(ERROR, "pg_isms: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "pg_isms: SPI_keepplan failed");
	return plan;
}

/*
 * Run a plan with our write flag set (the restore guard then knows the
 * rows are ours); the flag is reset on every path.  Never read-only: the
 * statements must see the rows of the statement that fired the trigger.
 */
int
isms_reminder_execute_plan(SPIPlanPtr plan, Datum *values, const char *nulls, long count)
{
	volatile int rc = 0;

	in_reminder_sync = true;
	PG_TRY();
	{
		rc = SPI_execute_plan(plan, values, nulls, false, count);
	}
	PG_FINALLY();
	{
		in_reminder_sync = false;
	}
	PG_END_TRY();
	return rc;
}

/*
 * Run one of the statements above with search_path pinned, preparing its
 * plan on first use.  type is the OID of the argument whose type is one of
 * ours (InvalidOid: all built-in); the plan is prepared again when it
 * changes (the extension was dropped and created again in this session).
 */
int
isms_reminder_run_plan(SPIPlanPtr *plan, Oid *planned_for, Oid type, const char *sql,
					   int nargs, Oid *types, Datum *values, const char *nulls)
{
	int			nest = isms_reminder_enter_safe_path();
	int			rc;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "pg_isms: SPI_connect failed");
	if (*plan != NULL && *planned_for != type)
	{
		SPI_freeplan(*plan);
		*plan = NULL;
	}
	if (*plan == NULL)
	{
		*plan = isms_reminder_prepare_kept(sql, nargs, types);
		*planned_for = type;
	}
	rc = isms_reminder_execute_plan(*plan, values, nulls, 0);
	SPI_finish();
	AtEOXact_GUC(true, nest);
	return rc;
}

/*
 * Random bytes for UIDs, drawn from pg_strong_random 64 UIDs at a time (a
 * bulk load makes one UID per row).  Refilled in a new process, so a
 * forked backend never hands out its parent's bytes.
 */
#define UID_POOL_SIZE (16 * 64)
static unsigned char uid_pool[UID_POOL_SIZE];
static int	uid_pool_used = UID_POOL_SIZE;
static int	uid_pool_pid = 0;

static void
uid_random(unsigned char *b)
{
	if (uid_pool_used + 16 > UID_POOL_SIZE || uid_pool_pid != MyProcPid)
	{
		if (!pg_strong_random(uid_pool, sizeof(uid_pool)))
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("could not generate random values for a reminder UID")));
		uid_pool_used = 0;
		uid_pool_pid = MyProcPid;
	}
	memcpy(b, uid_pool + uid_pool_used, 16);
	memset(uid_pool + uid_pool_used, 0, 16);	/* each byte used once */
	uid_pool_used += 16;
}

/*
 * isms.new_uid(): "<uuid>@<isms.uid_domain>", the UUID time-ordered as RFC
 * 9562's version 7: 48 bits of Unix time in milliseconds, a 12-bit counter
 * that keeps the UIDs of one backend increasing within a millisecond
 * (RFC 9562 6.2, method 1), and 62 random bits.  The random part makes
 * UIDs unique across databases and installations; the domain says whose
 * they are (RFC 5545 3.8.4.7).  Time order keeps the inserts into the
 * uid index at its right edge, where a bulk load of reminders appends
 * instead of splitting pages all over the index.  The time in a UID is
 * the reminder's creation time, which the calendar shows anyway (CREATED).
 */
static uint64 uid_last_ms = 0;
static uint32 uid_counter = 0;

PG_FUNCTION_INFO_V1(isms_new_uid);
Datum
isms_new_uid(PG_FUNCTION_ARGS)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	size_t		dlen = strlen(isms_uid_domain);
	TimestampTz now = GetCurrentTimestamp();
	uint64		ms;
	text	   *result;
	char	   *p;
	int			i;

	/* PostgreSQL counts microseconds from 2000-01-01, Unix time from 1970 */
	ms = (uint64) (now / 1000) +
		(uint64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY * 1000;
	if (ms <= uid_last_ms)
	{
		/* same millisecond (or the clock went back): count on */
		ms = uid_last_ms;
		if (++uid_counter > 0xfff)
		{
			ms++;
			uid_counter = 0;
		}
	}
	else
		uid_counter = 0;
	uid_last_ms = ms;
	uid_random(b);
	for (i = 0; i < 6; i++)
		b[i] = (unsigned char) (ms >> (40 - 8 * i));
	b[6] = 0x70 | (unsigned char) (uid_counter >> 8);	/* version 7 */
	b[7] = (unsigned char) uid_counter;
	b[8] = (b[8] & 0x3f) | 0x80;	/* RFC 9562 variant */
	/* 8-4-4-4-12 hex digits, "@", the domain */
	result = (text *) palloc(VARHDRSZ + 36 + 1 + dlen);
	SET_VARSIZE(result, VARHDRSZ + 36 + 1 + dlen);
	p = VARDATA(result);
	for (i = 0; i < 16; i++)
	{
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[b[i] >> 4];
		*p++ = hex[b[i] & 0x0f];
	}
	*p++ = '@';
	memcpy(p, isms_uid_domain, dlen);
	PG_RETURN_TEXT_P(result);
}

/* isms.uid_is_valid(uid): the CHECK on isms.reminder.uid (ical_core.c). */
PG_FUNCTION_INFO_V1(isms_uid_is_valid);
Datum
isms_uid_is_valid(PG_FUNCTION_ARGS)
{
	text	   *uid = PG_GETARG_TEXT_PP(0);

	PG_RETURN_BOOL(isms_ical_uid_valid(VARDATA_ANY(uid), VARSIZE_ANY_EXHDR(uid)));
}

/*
 * isms.kind_is_valid(kind): a lowercase ASCII letter, then lowercase ASCII
 * letters, digits and "_", at most 63 characters (the CHECK of
 * isms.reminder_kind.kind and isms.reminder.kind).
 */
PG_FUNCTION_INFO_V1(isms_kind_is_valid);
Datum
isms_kind_is_valid(PG_FUNCTION_ARGS)
{
	text	   *kind = PG_GETARG_TEXT_PP(0);
	const char *s = VARDATA_ANY(kind);
	int			len = VARSIZE_ANY_EXHDR(kind);
	int			i;

	if (len < 1 || len > 63 || s[0] < 'a' || s[0] > 'z')
		PG_RETURN_BOOL(false);
	for (i = 1; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(true);
}

/* The three text keys every reminder function takes must be present. */
static void
check_key_args(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("reminder kind, subject and subject_key must not be null")));
}

/*
 * isms.reminder_sync(kind, subject, subject_key, scope, owner, summary,
 * description, due, rrule, alarms, starts_at, ends_at, last_day)
 */
PG_FUNCTION_INFO_V1(isms_reminder_sync);
Datum
isms_reminder_sync(PG_FUNCTION_ARGS)
{
	static Oid	planned_for = InvalidOid;
	Oid			types[13] = {TEXTOID, REGCLASSOID, TEXTOID, TEXTOID, TEXTOID,
		TEXTOID, TEXTOID, DATEOID, TEXTOID, INTERVALARRAYOID,
	TIMESTAMPTZOID, TIMESTAMPTZOID, DATEOID};
	Datum		values[13];
	char		nulls[13];
	int			i;

	check_key_args(fcinfo);
	if (isms_restore_in_progress())
		PG_RETURN_VOID();
	if (!PG_ARGISNULL(8))
	{
		char	   *rule = text_to_cstring(PG_GETARG_TEXT_PP(8));
		char		reason[ISMS_ICAL_REASON_LEN];

		if (!isms_rrule_parse(rule, NULL, reason, sizeof(reason)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"", "rrule", rule),
					 errdetail("%s.", reason),
					 errhint("Give an RFC 5545 RRULE value such as \"FREQ=YEARLY;BYMONTH=3\", without \"RRULE:\".")));
	}

	for (i = 0; i < 13; i++)
	{
		nulls[i] = PG_ARGISNULL(i) ? 'n' : ' ';
		values[i] = PG_ARGISNULL(i) ? (Datum) 0 : PG_GETARG_DATUM(i);
	}

	if (isms_reminder_run_plan(&sync_plan, &planned_for, InvalidOid, sync_sql, 13, types,
				 values, nulls) != SPI_OK_INSERT)
		elog(ERROR, "pg_isms: reminder upsert failed");
	PG_RETURN_VOID();
}

static void
run_key_plan(FunctionCallInfo fcinfo, SPIPlanPtr *plan, const char *sql)
{
	static Oid	planned_for = InvalidOid;	/* built-in types only */
	Datum		values[3];
	Oid			types[3] = {TEXTOID, REGCLASSOID, TEXTOID};

	check_key_args(fcinfo);
	if (isms_restore_in_progress())
		return;
	values[0] = PG_GETARG_DATUM(0);
	values[1] = PG_GETARG_DATUM(1);
	values[2] = PG_GETARG_DATUM(2);
	if (isms_reminder_run_plan(plan, &planned_for, InvalidOid, sql, 3, types, values, NULL) < 0)
		elog(ERROR, "pg_isms: reminder update failed");
}

/* isms.reminder_cancel(kind, subject, subject_key): STATUS:CANCELLED, SEQUENCE + 1. */
PG_FUNCTION_INFO_V1(isms_reminder_cancel);
Datum
isms_reminder_cancel(PG_FUNCTION_ARGS)
{
	run_key_plan(fcinfo, &cancel_plan, cancel_sql);
	PG_RETURN_VOID();
}

/* isms.reminder_done(kind, subject, subject_key): a scheduled reminder is done. */
PG_FUNCTION_INFO_V1(isms_reminder_done);
Datum
isms_reminder_done(PG_FUNCTION_ARGS)
{
	run_key_plan(fcinfo, &done_plan, done_sql);
	PG_RETURN_VOID();
}

/*
 * Run fn(arg) in a subtransaction: true when it ran, false when it hit a
 * unique violation (then nothing of it was written; a reminder was made
 * meanwhile, or exists already); any other error is raised again.  The
 * bulk fast paths (a plain INSERT instead of the upsert) run this way.
 */
bool
isms_reminder_unless_unique(void (*fn) (void *arg), void *arg)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	volatile bool done = false;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcxt);
	PG_TRY();
	{
		fn(arg);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
		done = true;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(oldcxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
		if (edata->sqlerrcode != ERRCODE_UNIQUE_VIOLATION)
			ReThrowError(edata);
		FreeErrorData(edata);
	}
	PG_END_TRY();
	return done;
}

typedef struct InsertArgs
{
	Datum		items;
	Oid			type;
} InsertArgs;

static void
insert_items(void *arg)
{
	static Oid	insert_for = InvalidOid;
	InsertArgs *a = (InsertArgs *) arg;

	if (isms_reminder_run_plan(&insert_set_plan, &insert_for, a->type, insert_set_sql, 1, &a->type,
							   &a->items, NULL) != SPI_OK_INSERT)
		elog(ERROR, "pg_isms: reminder insert failed");
}

/*
 * The fast path: true when the items were inserted, false when one of them
 * exists after all (a reminder made meanwhile by a concurrent transaction
 * that committed): then nothing was written (the subtransaction is rolled
 * back) and the caller runs the upsert.
 */
static bool
insert_new_reminders(Datum items, Oid type)
{
	static Oid	exists_for = InvalidOid;
	InsertArgs	insert_args;
	bool		isnull;
	bool		exists;
	int			nest;

	/* Does any of the subjects have a reminder already? */
	nest = isms_reminder_enter_safe_path();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "pg_isms: SPI_connect failed");
	if (exists_set_plan != NULL && exists_for != type)
	{
		SPI_freeplan(exists_set_plan);
		exists_set_plan = NULL;
	}
	if (exists_set_plan == NULL)
	{
		exists_set_plan = isms_reminder_prepare_kept(exists_set_sql, 1, &type);
		exists_for = type;
	}
	if (SPI_execute_plan(exists_set_plan, &items, NULL, true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "pg_isms: reminder lookup failed");
	exists = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_finish();
	AtEOXact_GUC(true, nest);
	if (exists || isnull)
		return false;

	insert_args.items = items;
	insert_args.type = type;
	return isms_reminder_unless_unique(insert_items, &insert_args);
}

/*
 * isms.reminder_sync_set(items isms.reminder_item[]): isms.reminder_sync
 * for a whole set in one INSERT ... ON CONFLICT (what the statement
 * triggers call with the rows of their transition tables).  Each subject
 * at most once in the set.
 */
void
isms_reminder_sync_items(ArrayType *items, Oid type)
{
	static Oid	planned_for = InvalidOid;
	Datum		value = PointerGetDatum(items);

	if (ArrayGetNItems(ARR_NDIM(items), ARR_DIMS(items)) == 0)
		return;
	if (ArrayGetNItems(ARR_NDIM(items), ARR_DIMS(items)) >= REMINDER_FAST_PATH_MIN &&
		insert_new_reminders(value, type))
		return;
	if (isms_reminder_run_plan(&sync_set_plan, &planned_for, type, sync_set_sql, 1, &type,
							   &value, NULL) != SPI_OK_INSERT)
		elog(ERROR, "pg_isms: reminder upsert failed");
}

PG_FUNCTION_INFO_V1(isms_reminder_sync_set);
Datum
isms_reminder_sync_set(PG_FUNCTION_ARGS)
{
	Oid			type;

	if (PG_ARGISNULL(0) || isms_restore_in_progress())
		PG_RETURN_VOID();
	type = get_fn_expr_argtype(fcinfo->flinfo, 0);
	if (!OidIsValid(type))
		elog(ERROR, "pg_isms: could not determine the type of the reminder items");
	isms_reminder_sync_items(PG_GETARG_ARRAYTYPE_P(0), type);
	PG_RETURN_VOID();
}

/*
 * isms.reminder_close_set(kind, subject, subject_keys text[], status):
 * every reminder of those subjects not already in that status moves to it
 * (SEQUENCE + 1): 'cancelled' for closed or deleted subjects, 'done' for
 * completed ones.
 */
PG_FUNCTION_INFO_V1(isms_reminder_close_set);
Datum
isms_reminder_close_set(PG_FUNCTION_ARGS)
{
	static Oid	planned_for = InvalidOid;
	Oid			types[4] = {TEXTOID, REGCLASSOID, TEXTARRAYOID, InvalidOid};
	Datum		values[4];
	ArrayType  *keys;
	int			i;

	for (i = 0; i < 4; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("reminder kind, subject, subject keys and status must not be null")));
	if (isms_restore_in_progress())
		PG_RETURN_VOID();
	keys = PG_GETARG_ARRAYTYPE_P(2);
	if (ArrayGetNItems(ARR_NDIM(keys), ARR_DIMS(keys)) == 0)
		PG_RETURN_VOID();
	types[3] = get_fn_expr_argtype(fcinfo->flinfo, 3);
	if (!OidIsValid(types[3]))
		elog(ERROR, "pg_isms: could not determine the type of the reminder status");
	values[0] = PG_GETARG_DATUM(0);
	values[1] = PG_GETARG_DATUM(1);
	values[2] = PointerGetDatum(keys);
	values[3] = PG_GETARG_DATUM(3);
	if (isms_reminder_run_plan(&close_set_plan, &planned_for, types[3], close_set_sql, 4, types,
				 values, NULL) < 0)
		elog(ERROR, "pg_isms: reminder update failed");
	PG_RETURN_VOID();
}

/*
 * BEFORE INSERT trigger on isms.reminder, fired only at trigger depth 0
 * (never for the subject triggers' own writes).  A row that comes from
 * outside our functions is a restore (pg_dump data) or a superuser's
 * manual insert: it replaces the reminder a subject trigger may have made
 * moments before for the same subject, so restored UIDs and SEQUENCEs win
 * and calendar clients see the same events as before the restore.
 */
PG_FUNCTION_INFO_V1(isms_reminder_restore_guard);
Datum
isms_reminder_restore_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	HeapTuple	tuple;
	TupleDesc	desc;
	Datum		values[3];
	char		nulls[3] = {' ', ' ', ' '};
	Oid			types[3] = {TEXTOID, REGCLASSOID, TEXTOID};
	const char *cols[3] = {"kind", "subject", "subject_key"};
	int			i;
	int			nest;

	if (!CALLED_AS_TRIGGER(fcinfo) ||
		!TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
		!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		elog(ERROR, "isms_reminder_restore_guard: must be a BEFORE INSERT row trigger");

	tuple = trigdata->tg_trigtuple;
	if (in_reminder_sync)
		return PointerGetDatum(tuple);

	desc = RelationGetDescr(trigdata->tg_relation);
	for (i = 0; i < 3; i++)
	{
		bool		isnull;
		int			attno = SPI_fnumber(desc, cols[i]);

		if (attno <= 0)
			elog(ERROR, "isms_reminder_restore_guard: column %s not found", cols[i]);
		values[i] = SPI_getbinval(tuple, desc, attno, &isnull);
		if (isnull)
			return PointerGetDatum(tuple);	/* NOT NULL will refuse it */
	}
	nest = isms_reminder_enter_safe_path();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "pg_isms: SPI_connect failed");
	if (guard_plan == NULL)
		guard_plan = isms_reminder_prepare_kept(guard_sql, 3, types);
	if (SPI_execute_plan(guard_plan, values, nulls, false, 0) < 0)
		elog(ERROR, "pg_isms: reminder restore guard failed");
	SPI_finish();
	AtEOXact_GUC(true, nest);
	return PointerGetDatum(tuple);
}
