/*
 * register_restore.c: isms.restoring(), which tells the register's triggers
 * that pg_restore (or psql running a plain dump) is loading table data, so
 * the dumped rows go in exactly as they were dumped.
 */
#include "pg_isms.h"

#include "miscadmin.h"
#include "utils/guc.h"
#include "tcop/pquery.h"

/*
 * A dump loads data with COPY ... FROM stdin, as a superuser, after
 * "SET check_function_bodies = false".  Only that combination counts: a
 * superuser can bypass any trigger anyway (ALTER TABLE ... DISABLE TRIGGER),
 * so nobody gains a way around the register's rules.  check_function_bodies
 * is used rather than search_path because the register's trigger functions
 * set their own search_path before they ask.
 */
PG_FUNCTION_INFO_V1(isms_restoring);
Datum
isms_restoring(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(ActivePortal != NULL &&
				   ActivePortal->commandTag == CMDTAG_COPY &&
				   !check_function_bodies &&
				   superuser());
}
