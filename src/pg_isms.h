/*
 * pg_isms.h: shared declarations of the server glue and the small
 * compatibility layer for PostgreSQL 15 to 18 (the majors test/matrix.sh
 * builds and tests).
 */
#ifndef PG_ISMS_H
#define PG_ISMS_H

#include "postgres.h"
#include "fmgr.h"
#include "access/tupdesc.h"
#if PG_VERSION_NUM >= 160000
#include "varatt.h"				/* split off postgres.h in 16 */
#endif

/*
 * A table's primary-key index (InvalidOid when none).  PostgreSQL 18 added
 * whether a deferrable key counts; ours never do (a deferred key is not yet
 * a key when the statement triggers read it).
 */
#if PG_VERSION_NUM >= 180000
#define isms_primary_key_index(rel) RelationGetPrimaryKeyIndex((rel), false)
#else
#define isms_primary_key_index(rel) RelationGetPrimaryKeyIndex(rel)
#endif

#if PG_VERSION_NUM < 150000
#error "pg_isms needs PostgreSQL 15 or later (views with security_invoker carry its row-level security)"
#endif

/*
 * Soft errors for type input (PostgreSQL 16 added ereturn and the
 * escontext node).  Before 16 the same call raises a plain ERROR, so
 * input functions are written once:
 *		ISMS_ERETURN(fcinfo->context, (Datum) 0, errcode(...), errmsg(...));
 */
#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#define ISMS_ERETURN(context, dummy, ...) ereturn((context), (dummy), __VA_ARGS__)
#else
#define ISMS_ERETURN(context, dummy, ...) \
	do { \
		(void) (context); \
		ereport(ERROR, __VA_ARGS__); \
		return (dummy); \
	} while (0)
#endif

/*
 * The current local transaction id (part of cache keys that must not
 * outlive a transaction); needs storage/proc.h.
 */
#if PG_VERSION_NUM >= 170000
#define ISMS_CURRENT_LXID() (MyProc->vxid.lxid)
#else
#define ISMS_CURRENT_LXID() (MyProc->lxid)
#endif

/* Module initialisation hooks of the other source files, called by _PG_init. */
extern void isms_init_settings(void);

/* Settings (settings.c). */
#define ISMS_REVIEW_VEVENT	0
#define ISMS_REVIEW_VTODO	1
extern char *isms_uid_domain;
extern char *isms_calendar_name;
extern int	isms_review_component;

/* restore.c: is a pg_restore / plain-dump COPY loading data? */
extern bool isms_restore_in_progress(void);

/*
 * risk_write.c: the number of a column of isms.risk that a trigger of the
 * register reads (an internal error when it is missing).
 */
extern int	isms_risk_column(TupleDesc desc, const char *name);

#endif							/* PG_ISMS_H */
