/*
 * reminder.h: the writer of isms.reminder (reminder.c), shared with the
 * declared reminder sources' trigger (reminder_source.c).
 */
#ifndef ISMS_REMINDER_H
#define ISMS_REMINDER_H

#include "executor/spi.h"
#include "utils/array.h"

/* search_path pg_catalog, pg_temp until AtEOXact_GUC(true, nest). */
extern int	isms_reminder_enter_safe_path(void);
/* fn(arg) in a subtransaction; false (nothing written) on a unique violation. */
extern bool isms_reminder_unless_unique(void (*fn) (void *arg), void *arg);
/* SPI_execute_plan, marked as a write of ours for the restore guard. */
extern int	isms_reminder_execute_plan(SPIPlanPtr plan, Datum *values, const char *nulls, long count);
extern SPIPlanPtr isms_reminder_prepare_kept(const char *sql, int nargs, Oid *types);
extern int	isms_reminder_run_plan(SPIPlanPtr *plan, Oid *planned_for, Oid type,
								   const char *sql, int nargs, Oid *types,
								   Datum *values, const char *nulls);
/* Upsert an array of isms.reminder_item (type: its array type) by the SEQUENCE rule. */
extern void isms_reminder_sync_items(ArrayType *items, Oid type);
/*
 * The SEQUENCE rule as SQL, for every writer of isms.reminder (the rule
 * itself is explained in reminder.c): the columns a writer supplies, the
 * fields a calendar shows set from a row src, whether they differ from
 * the stored ones (status: the status the row will have), and the upsert.
 */
#define REMINDER_COLUMNS \
"kind, subject, subject_key, scope, owner, summary, description, due, rrule," \
" alarms, starts_at, ends_at, last_day"

/* The fields a calendar shows, set from the row src, and whether they differ. */
#define REMINDER_SET_FIELDS(src) \
"  scope = " src ".scope, owner = " src ".owner, summary = " src ".summary," \
"  description = " src ".description, due = " src ".due, rrule = " src ".rrule," \
"  alarms = " src ".alarms, starts_at = " src ".starts_at, ends_at = " src ".ends_at," \
"  last_day = " src ".last_day," \
"  sequence = r.sequence OPERATOR(pg_catalog.+) 1," \
"  updated_at = GREATEST(pg_catalog.now(), r.updated_at)"
#define REMINDER_CHANGED(src, status) \
" ROW(r.scope, r.owner, r.summary, r.description, r.due, r.rrule, r.alarms," \
"  r.starts_at, r.ends_at, r.last_day, r.status::text)" \
"  IS DISTINCT FROM ROW(" src ".scope, " src ".owner, " src ".summary," \
"  " src ".description, " src ".due, " src ".rrule, " src ".alarms," \
"  " src ".starts_at, " src ".ends_at, " src ".last_day, " status ")"

#define REMINDER_UPSERT_TAIL \
" ON CONFLICT (kind, subject, subject_key) DO UPDATE SET" \
REMINDER_SET_FIELDS("EXCLUDED") ", status = 'scheduled'" \
" WHERE" REMINDER_CHANGED("EXCLUDED", "'scheduled'")

/* isms.reminder's status move, SEQUENCE + 1 (REMINDER_STATUS_MOVE in reminder.c). */
#define ISMS_REMINDER_STATUS_MOVE(status) \
"UPDATE isms.reminder AS r SET status = " status "," \
"  sequence = r.sequence OPERATOR(pg_catalog.+) 1," \
"  updated_at = GREATEST(pg_catalog.now(), r.updated_at)"

#endif							/* ISMS_REMINDER_H */
