/*
 * ical_parse_core.h: iCalendar text in, without the server: one VCALENDAR
 * parsed by libical with a precise reason, and its VEVENTs as plain values
 * for isms.ical_import.
 */
#ifndef ISMS_ICAL_PARSE_CORE_H
#define ISMS_ICAL_PARSE_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <libical/ical.h>

/*
 * Parse iCalendar text into a VCALENDAR.  Returns the component (the caller
 * frees it with icalcomponent_free) or NULL with a reason: not iCalendar,
 * several top-level objects, a root other than VCALENDAR, or the first
 * X-LIC-ERROR libical recorded while parsing.  *stopped tells whether the
 * stop check (below) ended the parse, the reason then being "interrupted".
 */
extern icalcomponent *isms_ical_parse(const char *text, bool *stopped,
									  char *reason, size_t reasonlen);

typedef struct isms_ical_when
{
	bool		present;
	bool		is_date;		/* VALUE=DATE */
	bool		absolute;		/* UTC or TZID: utc is valid */
	long long	utc;			/* Unix seconds when absolute */
	int			year, month, day, hour, minute, second;	/* as written (floating or date) */
} isms_ical_when;

typedef struct isms_ical_event
{
	char	   *uid;			/* malloc'd */
	char	   *summary;		/* malloc'd, may be NULL */
	char	   *kind;			/* X-PG-ISMS-KIND, malloc'd, may be NULL */
	char	   *organizer;		/* CN or value of ORGANIZER, malloc'd, may be NULL */
	bool		cancelled;		/* STATUS:CANCELLED */
	int			sequence;
	isms_ical_when start;
	isms_ical_when end;			/* DTEND, or DTSTART + DURATION */
} isms_ical_event;

/* Upper bound on events read from one calendar. */
#define ISMS_ICAL_MAX_EVENTS 100000

/*
 * Read every VEVENT of a calendar.  Returns the number of events (the
 * array is malloc'd; free it with isms_ical_events_free) or -1 with a
 * reason: malformed text (libical's reason), a VEVENT without UID or
 * DTSTART, an end before the start, an unknown TZID, too many events.
 */
extern int	isms_ical_events(const char *text, isms_ical_event **events,
							 char *reason, size_t reasonlen);
extern void isms_ical_events_free(isms_ical_event *events, int n);

/*
 * Interrupting a parse.  While a stop check is set, isms_ical_parse and
 * isms_ical_events ask it every ISMS_ICAL_STOP_EVERY lines and events; when
 * it returns true they free everything and return NULL / ISMS_ICAL_STOPPED
 * with the reason "interrupted".  The server glue sets one that looks at
 * the pending-interrupt flag, then lets CHECK_FOR_INTERRUPTS() raise the
 * cancel or timeout once nothing of libical is left.  NULL (the default):
 * never stop.
 */
#define ISMS_ICAL_STOP_EVERY 512
#define ISMS_ICAL_STOPPED (-2)
typedef bool (*isms_ical_stop_fn) (void);
extern void isms_ical_set_stop_check(isms_ical_stop_fn fn);

#endif							/* ISMS_ICAL_PARSE_CORE_H */
