/*
 * reason_core.h: the one-line reason a pure core gives when it refuses
 * input (the glue puts it in an errdetail).  printf-style, format-checked.
 */
#ifndef ISMS_REASON_CORE_H
#define ISMS_REASON_CORE_H

#include <stddef.h>

/* Room for a reason message, enough for libical's longest error text. */
#define ISMS_ICAL_REASON_LEN	512

/*
 * Write the reason into reason[0..reasonlen) (truncated, NUL-terminated);
 * a NULL reason or a zero length writes nothing, for callers that only
 * want the verdict.
 */
extern void isms_set_reason(char *reason, size_t reasonlen, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

#endif							/* ISMS_REASON_CORE_H */
