/*
 * ical_core.h: the libical calls that need no server: RRULE validation with
 * a precise reason, and iCalendar parsing with libical's error text.  Used
 * by the glue (rrule.c, ical.c), the unit tests and the fuzz harness.
 */
#ifndef ISMS_ICAL_CORE_H
#define ISMS_ICAL_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <libical/ical.h>

/* Longest RRULE text accepted (RFC 5545 sets no limit; ours bounds work). */
#define ISMS_RRULE_MAX_LEN		1024
/* Room for a reason message, enough for libical's longest error text. */
#define ISMS_ICAL_REASON_LEN	512

/* Call once per process: libical must report errors, never abort. */
extern void isms_ical_init(void);

/*
 * Parse and check an RRULE value (without the "RRULE:" name).  On success
 * fills *rec and returns true; on failure writes a one-line reason (which
 * part is wrong and libical's error text) and returns false.  A rule is
 * accepted only if libical can also build an iterator for it, so a rule
 * that validates can be expanded.
 */
extern bool isms_rrule_parse(const char *text, struct icalrecurrencetype *rec,
							 char *reason, size_t reasonlen);

/*
 * Parse iCalendar text into a VCALENDAR.  Returns the component (the caller
 * frees it with icalcomponent_free) or NULL with a reason: not iCalendar,
 * several top-level objects, a root other than VCALENDAR, or the first
 * X-LIC-ERROR libical recorded while parsing.
 */
extern icalcomponent *isms_ical_parse(const char *text, char *reason, size_t reasonlen);

#endif							/* ISMS_ICAL_CORE_H */
