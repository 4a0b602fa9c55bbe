/*
 * restore.c: the one test of "is pg_restore (or psql running a plain dump)
 * loading data right now?", asked by every trigger of pg_isms (the change
 * log, the reminder functions, the schedule triggers through the SQL
 * function isms.restore_in_progress()).
 */
#include "pg_isms.h"

#include "catalog/namespace.h"
#include "miscadmin.h"
#include "tcop/pquery.h"
#include "utils/guc.h"

/*
 * pg_restore (and psql running a plain dump) loads data with COPY ... FROM
 * stdin, in a superuser session, after "SET check_function_bodies = false"
 * and with search_path ''.  Either setting counts: inside a function with
 * its own SET search_path only check_function_bodies still shows, while a
 * C trigger sees search_path '' as the restore set it.  The session user,
 * not the current user, must be a superuser: inside a SECURITY DEFINER
 * trigger the current user is the extension owner, so an editor's COPY
 * would otherwise pass.  Nobody gains a way around the rules: a superuser
 * can disable triggers anyway.
 */
bool
isms_restore_in_progress(void)
{
	return ActivePortal != NULL && ActivePortal->commandTag == CMDTAG_COPY &&
		superuser_arg(GetSessionUserId()) &&
		(!check_function_bodies ||
		 (namespace_search_path != NULL &&
		  (namespace_search_path[0] == '\0' || strcmp(namespace_search_path, "\"\"") == 0)));
}

PG_FUNCTION_INFO_V1(isms_restore_in_progress_sql);
Datum
isms_restore_in_progress_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(isms_restore_in_progress());
}
