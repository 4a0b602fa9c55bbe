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
extern SPIPlanPtr isms_reminder_prepare_kept(const char *sql, int nargs, Oid *types);
extern int	isms_reminder_run_plan(SPIPlanPtr *plan, Oid *planned_for, Oid type,
								   const char *sql, int nargs, Oid *types,
								   Datum *values, const char *nulls);
/* Upsert an array of isms.reminder_item (type: its array type) by the SEQUENCE rule. */
extern void isms_reminder_sync_items(ArrayType *items, Oid type);
/* The reminders of those items take their data and status done. */
extern void isms_reminder_done_items(ArrayType *items, Oid type);
/* isms.reminder's status move, SEQUENCE + 1 (REMINDER_STATUS_MOVE in reminder.c). */
#define ISMS_REMINDER_STATUS_MOVE(status) \
"UPDATE isms.reminder AS r SET status = " status "," \
"  sequence = r.sequence OPERATOR(pg_catalog.+) 1," \
"  updated_at = GREATEST(pg_catalog.now(), r.updated_at)"

#endif							/* ISMS_REMINDER_H */
