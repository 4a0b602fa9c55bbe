/*
 * pg_isms.c: module magic, _PG_init and the functions that describe the
 * extension itself (isms.version()).
 */
#include "pg_isms.h"

#include "utils/builtins.h"

#include "ical_core.h"

PG_MODULE_MAGIC;

#ifndef PG_ISMS_VERSION
#error "PG_ISMS_VERSION must be defined by the Makefile"
#endif

void		_PG_init(void);

void
_PG_init(void)
{
	isms_init_settings();
	/* libical must report errors to us, never abort the backend. */
	isms_ical_init();
}

/*
 * isms.version(): the version of the C module, which must match the
 * installed extension script (the regression test compares both).
 */
PG_FUNCTION_INFO_V1(isms_version);
Datum
isms_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(PG_ISMS_VERSION));
}
