/*
 * reason_core.c: isms_set_reason, the printf-style reason writer shared by
 * the RRULE check, the iCalendar parser and the export writer.
 */
#include "reason_core.h"

#include <stdarg.h>
#include <stdio.h>

void
isms_set_reason(char *reason, size_t reasonlen, const char *fmt,...)
{
	va_list		ap;

	if (reason == NULL || reasonlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(reason, reasonlen, fmt, ap);
	va_end(ap);
}
