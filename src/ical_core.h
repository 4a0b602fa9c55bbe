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

/* ---- export: one reminder as a VEVENT or VTODO ---- */

#define ISMS_ICAL_MAX_ALARMS 10

typedef struct isms_ical_date
{
	int			year;
	int			month;
	int			day;
} isms_ical_date;

typedef struct isms_ical_entry
{
	const char *uid;
	const char *kind;
	const char *scope;
	const char *owner;			/* may be NULL */
	const char *summary;
	const char *description;	/* may be NULL */
	const char *rrule;			/* may be NULL; already validated */
	int			status;			/* 0 scheduled, 1 done, 2 cancelled */
	bool		as_todo;		/* VTODO instead of VEVENT */
	isms_ical_date due;
	bool		has_last_day;
	isms_ical_date last_day;	/* inclusive */
	bool		timed;
	long long	starts_at;		/* Unix seconds, UTC */
	bool		has_end;
	long long	ends_at;
	long long	created;
	long long	updated;
	int			sequence;
	int			nalarms;
	long long	alarm_seconds[ISMS_ICAL_MAX_ALARMS];	/* before the start */
	/*
	 * Zone of a timed recurring entry (NULL: UTC).  Its DTSTART, DTEND and
	 * DUE are then local times with TZID=tzid, so the RRULE repeats at the
	 * same wall time across daylight-saving changes; the calendar must
	 * carry the zone's VTIMEZONE (isms_ical_vtimezone_text).
	 */
	icaltimezone *zone;
	const char *tzid;
} isms_ical_entry;

/*
 * What libical 3.0 writes faithfully: dates from 0001-01-02 (it takes
 * 0001-01-01 for its null time) to 3000-12-30 (its times end with the year
 * 3000, and an all-day entry ends the day after its last day); times from
 * 0001-01-03 to 3000-12-30 UTC, a day's margin for any zone.  The CHECKs
 * on isms.reminder keep its rows within these; the writers refuse an
 * entry outside them rather than write 00000000T000000.
 */
#define ISMS_ICAL_FIRST_DAY 10102			/* yyyymmdd */
#define ISMS_ICAL_LAST_DAY 30001230
#define ISMS_ICAL_FIRST_SECS (-62135424000LL)	/* 0001-01-03 00:00 UTC */
#define ISMS_ICAL_LAST_SECS 32535043200LL	/* 3000-12-30 00:00 UTC */

/* Does the entry use its zone (timed and recurring, with a zone given)? */
#define ISMS_ICAL_ENTRY_ZONED(e) ((e)->timed && (e)->rrule != NULL && (e)->zone != NULL)

#define ISMS_STATUS_SCHEDULED	0
#define ISMS_STATUS_DONE		1
#define ISMS_STATUS_CANCELLED	2

/*
 * The VCALENDAR header (everything before the first component) and the
 * closing line, as libical writes them.  Return malloc'd text (free with
 * icalmemory_free_buffer) or NULL when out of memory.
 */
extern char *isms_ical_calendar_head(const char *name, const char *prodid);
extern const char *isms_ical_calendar_tail(void);

/*
 * One reminder as RFC 5545 text built from libical objects (folding,
 * escaping and CRLF are libical's).  Returns malloc'd text (free with
 * icalmemory_free_buffer) or NULL with a reason; every libical object is
 * freed before returning.
 */
extern char *isms_ical_entry_text(const isms_ical_entry *e, char *reason, size_t reasonlen);

/*
 * The VTIMEZONE of a libical built-in zone (from the system zoneinfo), its
 * TZID replaced by tzid (the IANA name, which clients also recognise
 * without the VTIMEZONE).  Malloc'd text (free with icalmemory_free_buffer)
 * or NULL with a reason.
 */
extern char *isms_ical_vtimezone_text(icaltimezone *zone, const char *tzid,
									  char *reason, size_t reasonlen);

/*
 * A writer for many entries: the same bytes as isms_ical_entry_text, but
 * each property line is serialised by libical once per distinct value
 * where values repeat (SEQUENCE, CATEGORIES, kind, dates, RRULE, STATUS,
 * alarm triggers, constant lines) and the per-row properties (UID, times,
 * SUMMARY, DESCRIPTION) reuse one libical property each, so no component
 * tree is built per row.  The component frames (BEGIN:/END: lines) are
 * libical's serialisation of an empty component.  isms_ical_writer_new
 * returns NULL when out of memory; isms_ical_writer_free frees every
 * libical object and cached line.
 */
typedef struct isms_ical_writer isms_ical_writer;

extern isms_ical_writer *isms_ical_writer_new(void);
extern void isms_ical_writer_free(isms_ical_writer *w);

/*
 * One entry's text in a buffer the writer owns (valid until the next call),
 * its length in *len; NULL with a reason (bad RRULE, out of memory).
 */
extern const char *isms_ical_writer_entry(isms_ical_writer *w, const isms_ical_entry *e,
										  size_t *len, char *reason, size_t reasonlen);

/* ---- import: the VEVENTs of a calendar as plain values ---- */

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
extern void isms_ical_events_free(isms_ical_event *events, int n);

/*
 * Is text[0..len) a calendar UID pg_isms stores: a local part of 1 to 200
 * characters (UTF-8) without "@", whitespace or control characters, "@",
 * and a domain of 1 to 253 letters, digits, "." and "-"?  The rule behind
 * isms.uid_is_valid() and the CHECK on isms.reminder.uid.
 */
#define ISMS_UID_LOCAL_MAX 200
#define ISMS_UID_DOMAIN_MAX 253
extern bool isms_ical_uid_valid(const char *text, size_t len);
