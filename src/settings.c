/*
 * settings.c: the extension's configuration parameters (GUCs), all under
 * the "isms." prefix.  Each is documented in docs/reference/settings.md.
 */
#include "pg_isms.h"

#include "utils/guc.h"

/* Placeholder-free prefix: unknown isms.* names are rejected at load. */
void
isms_init_settings(void)
{
#if PG_VERSION_NUM >= 150000
	MarkGUCPrefixReserved("isms");
#else
	EmitWarningsOnPlaceholders("isms");
#endif
}
