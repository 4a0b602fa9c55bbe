/*
 * ical_writer_core.h: iCalendar text out, without the server: one reminder
 * (isms_ical_entry) as a VEVENT or VTODO, the calendar frame and VTIMEZONEs,
 * all serialised by libical.  Used by the export glue (ical.c).
 */
#ifndef ISMS_ICAL_WRITER_CORE_H
#define ISMS_ICAL_WRITER_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <libical/ical.h>

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
 * The VTIMEZONE of a libical built-in zone (from the system zoneinfo), its
 * TZID replaced by tzid (the IANA name, which clients also recognise
 * without the VTIMEZONE).  Malloc'd text (free with icalmemory_free_buffer)
 * or NULL with a reason.
 */
extern char *isms_ical_vtimezone_text(icaltimezone *zone, const char *tzid,
									  char *reason, size_t reasonlen);

/*
 * A writer for many entries: the same bytes as one libical component
 * per entry (the reference in test/unit/ical_reference.c), but
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

/*
 * The building blocks the writer shares with the one-component reference
 * writer of the tests (test/unit/ical_reference.c), so the two write the
 * same properties by construction where they should.
 */
typedef struct isms_ical_clean_entry
{
	isms_ical_entry e;
	char	   *owned[4];
} isms_ical_clean_entry;

/*
 * What every writer does first: refuse an entry out of range (the reason
 * names which of its times), clean its texts (ical_text_core.h).  Returns
 * the entry to write (e itself or c->e), NULL with a reason; free *c with
 * isms_ical_clean_entry_free on every path.
 */
extern const isms_ical_entry *isms_ical_entry_prepare(const isms_ical_entry *e,
													  isms_ical_clean_entry *c,
													  char *reason, size_t reasonlen);
extern void isms_ical_clean_entry_free(isms_ical_clean_entry *c);
/* Seconds since 1970 as a UTC time; a date plus add_days as a DATE value. */
extern struct icaltimetype isms_ical_utc_time(long long secs);
extern struct icaltimetype isms_ical_day_time(isms_ical_date d, int add_days);
/* DTSTART, DTEND or DUE at a moment: UTC, or local with TZID for a zoned entry. */
extern icalproperty *isms_ical_time_prop(icalproperty_kind kind, long long secs,
										 const isms_ical_entry *e);
extern icalproperty *isms_ical_x_prop(const char *name, const char *value);

#endif							/* ISMS_ICAL_WRITER_CORE_H */
