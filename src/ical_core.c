/*
 * ical_core.c: libical calls that need no server (RRULE checks, iCalendar
 * parsing with libical's error text, the export writer).  Everything
 * libical allocates here is freed before returning, except what is handed
 * to the caller (a component, text, the writer) with its free function.
 */
#include "ical_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

void
isms_ical_init(void)
{
	icalerror_set_errors_are_fatal(0);
}

static void
set_reason(char *reason, size_t reasonlen, const char *fmt, const char *a, const char *b)
{
	if (reason == NULL || reasonlen == 0)
		return;
	snprintf(reason, reasonlen, fmt, a ? a : "", b ? b : "");
}

/*
 * libical 3.0 folds a property line with its CRLF in it: when the fold
 * falls between the CR and the LF (a line whose last fold holds exactly 74
 * octets), it writes CR, CRLF, space, LF, a bare CR and a bare LF that
 * strict parsers refuse.  Undo that in place: CR CR LF SP LF -> CR LF.  A
 * value never holds a CR (libical drops it from text), so the pattern
 * comes from nothing else.  Returns the new length; s stays NUL-terminated.
 */
static size_t
repair_folds(char *s, size_t len)
{
	char	   *end = s + len;
	char	   *p;
	char	   *out;

	/* the usual case: no two CRs in a row anywhere, one fast search */
	p = strstr(s, "\r\r");
	if (p == NULL)
		return len;
	out = p;
	while (p < end)
	{
		if (*p == '\r' && end - p >= 5 && memcmp(p, "\r\r\n \n", 5) == 0)
		{
			*out++ = '\r';
			*out++ = '\n';
			p += 5;
		}
		else
			*out++ = *p++;
	}
	*out = '\0';
	return (size_t) (out - s);
}

/* Does libical accept "FREQ=YEARLY;<part>" (or the part alone if it is FREQ)? */
static bool
part_ok(const char *part)
{
	char		buf[ISMS_RRULE_MAX_LEN + 32];
	struct icalrecurrencetype r;

	if (strncmp(part, "FREQ=", 5) == 0)
		snprintf(buf, sizeof(buf), "%s", part);
	else
		snprintf(buf, sizeof(buf), "FREQ=YEARLY;%s", part);
	icalerror_clear_errno();
	r = icalrecurrencetype_from_string(buf);
	return r.freq != ICAL_NO_RECURRENCE;
}

/*
 * Name the first part libical refuses on its own, so the message says more
 * than libical's generic MALFORMEDDATA.  Returns false if none is at fault
 * alone (the combination is then what is wrong).
 */
static bool
find_bad_part(const char *text, char *part, size_t partlen)
{
	const char *p = text;

	while (*p)
	{
		const char *end = strchr(p, ';');
		size_t		n = end ? (size_t) (end - p) : strlen(p);

		if (n > 0)
		{
			if (n >= partlen)
				n = partlen - 1;
			memcpy(part, p, n);
			part[n] = '\0';
			if (strchr(part, '=') == NULL || !part_ok(part))
				return true;
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	return false;
}

/* Does p start with "RSCALE=" in any case? */
static bool
starts_rscale(const char *p)
{
	const char *k = "RSCALE=";

	for (; *k; k++, p++)
		if (toupper((unsigned char) *p) != *k)
			return false;
	return true;
}

bool
isms_rrule_parse(const char *text, struct icalrecurrencetype *rec,
				 char *reason, size_t reasonlen)
{
	struct icalrecurrencetype r;
	struct icaltimetype start;
	icalrecur_iterator *it;
	char		part[ISMS_RRULE_MAX_LEN + 1];
	size_t		len = strlen(text);
	size_t		i;

	if (len == 0)
	{
		set_reason(reason, reasonlen, "the rule is empty%s%s", NULL, NULL);
		return false;
	}
	if (len > ISMS_RRULE_MAX_LEN)
	{
		set_reason(reason, reasonlen, "the rule is longer than 1024 characters%s%s", NULL, NULL);
		return false;
	}
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) text[i];

		if (c <= ' ' || c >= 0x7f)
		{
			set_reason(reason, reasonlen,
					   "the rule contains a space, a control or a non-ASCII character%s%s",
					   NULL, NULL);
			return false;
		}
	}
	/*
	 * RSCALE (RFC 7529): libical strdup()s its value into the rule and never
	 * frees it, not even when it then refuses the rule (rrule_fuzz found
	 * the leak), so it never reaches libical.
	 */
	for (i = 0; i + 7 <= len; i++)
		if ((i == 0 || text[i - 1] == ';') && starts_rscale(text + i))
		{
			set_reason(reason, reasonlen,
					   "RSCALE (non-Gregorian calendars, RFC 7529) is not supported%s%s",
					   NULL, NULL);
			return false;
		}
	if (strncmp(text, "RRULE:", 6) == 0 || strncmp(text, "rrule:", 6) == 0)
	{
		set_reason(reason, reasonlen, "give the value without the \"RRULE:\" property name%s%s",
				   NULL, NULL);
		return false;
	}

	icalerror_clear_errno();
	r = icalrecurrencetype_from_string(text);
	if (r.freq == ICAL_NO_RECURRENCE)
	{
		const char *why = icalerror_strerror(icalerrno);

		if (icalerrno == ICAL_NO_ERROR)
			set_reason(reason, reasonlen, "FREQ is missing%s%s", NULL, NULL);
		else if (strstr(text, "COUNT=") && strstr(text, "UNTIL="))
			set_reason(reason, reasonlen, "COUNT and UNTIL must not both be given (RFC 5545 3.3.10)%s%s",
					   NULL, NULL);
		else if (find_bad_part(text, part, sizeof(part)))
			set_reason(reason, reasonlen, "libical refuses the part \"%s\" (%s)", part, why);
		else
			set_reason(reason, reasonlen, "libical refuses the rule (%s)%s", why, NULL);
		return false;
	}
	if (strstr(text, "FREQ=") == NULL && strstr(text, "freq=") == NULL)
	{
		set_reason(reason, reasonlen, "FREQ is missing%s%s", NULL, NULL);
		return false;
	}

	/* A rule libical cannot iterate (e.g. BYMONTH=13, February 30) is refused too. */
	start = icaltime_from_day_of_year(1, 2001);
	icalerror_clear_errno();
	it = icalrecur_iterator_new(r, start);
	if (it == NULL)
	{
		set_reason(reason, reasonlen, "libical cannot expand the rule (%s)%s",
				   icalerror_strerror(icalerrno), NULL);
		return false;
	}
	icalrecur_iterator_free(it);
	if (rec)
		*rec = r;
	return true;
}

/* The first X-LIC-ERROR anywhere below comp, or NULL. */
static const char *
first_error(icalcomponent *comp)
{
	icalproperty *p;
	icalcomponent *c;

	p = icalcomponent_get_first_property(comp, ICAL_XLICERROR_PROPERTY);
	if (p)
		return icalproperty_get_xlicerror(p);
	for (c = icalcomponent_get_first_component(comp, ICAL_ANY_COMPONENT); c;
		 c = icalcomponent_get_next_component(comp, ICAL_ANY_COMPONENT))
	{
		const char *e = first_error(c);

		if (e)
			return e;
	}
	return NULL;
}

static isms_ical_stop_fn stop_check = NULL;

void
isms_ical_set_stop_check(isms_ical_stop_fn fn)
{
	stop_check = fn;
}

/*
 * The next content line of the text for libical's parser: up to and
 * including the next newline (or the end), at most size - 1 bytes; NULL at
 * the end.  The same lines icalparser_parse_string reads.
 */
typedef struct line_src
{
	const char *pos;
} line_src;

static char *
next_line(char *out, size_t size, void *d)
{
	line_src   *src = (line_src *) d;
	const char *nl;
	size_t		n;

	if (*src->pos == '\0')
		return NULL;
	nl = strchr(src->pos, '\n');
	n = nl ? (size_t) (nl - src->pos) + 1 : strlen(src->pos);
	if (n > size - 1)
		n = size - 1;
	memcpy(out, src->pos, n);
	out[n] = '\0';
	src->pos += n;
	return out;
}

/*
 * What icalparser_parse_string does (several top-level objects end up under
 * an XROOT), fed one line at a time so that the stop check can end a long
 * parse; NULL with *stopped set when it did.
 */
static icalcomponent *
parse_lines(const char *text, bool *stopped)
{
	icalparser *parser;
	icalcomponent *root = NULL;
	icalerrorstate es = icalerror_get_error_state(ICAL_MALFORMEDDATA_ERROR);
	line_src	src;
	char	   *line;
	long		lines = 0;

	*stopped = false;
	src.pos = text;
	parser = icalparser_new();
	if (parser == NULL)
		return NULL;
	icalparser_set_gen_data(parser, &src);
	icalerror_set_error_state(ICAL_MALFORMEDDATA_ERROR, ICAL_ERROR_NONFATAL);
	do
	{
		icalcomponent *c;

		line = icalparser_get_line(parser, next_line);
		c = icalparser_add_line(parser, line);
		if (c != NULL)
		{
			if (root == NULL)
				root = c;
			else if (icalcomponent_isa(root) != ICAL_XROOT_COMPONENT)
			{
				icalcomponent *x = icalcomponent_new(ICAL_XROOT_COMPONENT);

				icalcomponent_add_component(x, root);
				icalcomponent_add_component(x, c);
				root = x;
			}
			else
				icalcomponent_add_component(root, c);
		}
		if (line != NULL)
		{
			icalmemory_free_buffer(line);
			if (stop_check && ++lines % ISMS_ICAL_STOP_EVERY == 0 && stop_check())
			{
				*stopped = true;
				break;
			}
		}
	} while (line != NULL);
	icalerror_set_error_state(ICAL_MALFORMEDDATA_ERROR, es);
	icalparser_free(parser);	/* frees what was left half-built */
	if (*stopped && root != NULL)
	{
		icalcomponent_free(root);
		root = NULL;
	}
	return root;
}

static icalcomponent *
parse_checked(const char *text, char *reason, size_t reasonlen, bool *stopped);

icalcomponent *
isms_ical_parse(const char *text, char *reason, size_t reasonlen)
{
	bool		stopped;

	return parse_checked(text, reason, reasonlen, &stopped);
}

static icalcomponent *
parse_checked(const char *text, char *reason, size_t reasonlen, bool *stopped)
{
	icalcomponent *root;

	icalerror_clear_errno();
	root = parse_lines(text, stopped);
	if (*stopped)
	{
		set_reason(reason, reasonlen, "interrupted%s%s", NULL, NULL);
		return NULL;
	}
	if (root == NULL)
	{
		if (icalerrno != ICAL_NO_ERROR)
			set_reason(reason, reasonlen, "no iCalendar object found (%s)%s",
					   icalerror_strerror(icalerrno), NULL);
		else
			set_reason(reason, reasonlen, "no complete iCalendar object found (BEGIN:VCALENDAR ... END:VCALENDAR)%s%s",
					   NULL, NULL);
		return NULL;
	}
	if (icalcomponent_isa(root) != ICAL_VCALENDAR_COMPONENT)
	{
		set_reason(reason, reasonlen,
				   "the text must hold exactly one VCALENDAR, found %s%s",
				   icalcomponent_isa(root) == ICAL_XROOT_COMPONENT
				   ? "several top-level objects"
				   : icalcomponent_kind_to_string(icalcomponent_isa(root)),
				   NULL);
		icalcomponent_free(root);
		return NULL;
	}
	if (icalcomponent_count_errors(root) > 0)
	{
		const char *e = first_error(root);

		set_reason(reason, reasonlen, "libical: %s%s", e ? e : "parse error", NULL);
		icalcomponent_free(root);
		return NULL;
	}
	return root;
}

/* ---------------- export ---------------- */

static struct icaltimetype
utc_time(long long secs)
{
	return icaltime_from_timet_with_zone((time_t) secs, 0, icaltimezone_get_utc_timezone());
}

static struct icaltimetype
day_time(isms_ical_date d, int add_days)
{
	struct icaltimetype t = icaltime_null_date();

	t.year = d.year;
	t.month = d.month;
	t.day = d.day;
	t.is_date = 1;
	if (add_days)
		icaltime_adjust(&t, add_days, 0, 0, 0);
	return t;
}

char *
isms_ical_calendar_head(const char *name, const char *prodid)
{
	icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	char	   *text;
	size_t		len;
	const char *tail = "END:VCALENDAR\r\n";
	icalproperty *p;

	if (cal == NULL)
		return NULL;
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_prodid(prodid));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	icalcomponent_add_property(cal, icalproperty_new_name(name));
	p = icalproperty_new_x(name);
	icalproperty_set_x_name(p, "X-WR-CALNAME");
	icalcomponent_add_property(cal, p);
	/* Ask subscribing clients to refresh twice a day (RFC 7986 and Outlook's). */
	icalcomponent_add_property(cal, icalproperty_new_refreshinterval(icaldurationtype_from_int(12 * 3600)));
	p = icalproperty_new_x("PT12H");
	icalproperty_set_x_name(p, "X-PUBLISHED-TTL");
	icalcomponent_add_property(cal, p);

	text = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	if (text == NULL)
		return NULL;
	len = repair_folds(text, strlen(text));
	if (len >= strlen(tail) && strcmp(text + len - strlen(tail), tail) == 0)
		text[len - strlen(tail)] = '\0';
	return text;
}

const char *
isms_ical_calendar_tail(void)
{
	return "END:VCALENDAR\r\n";
}

/* DTSTART, DTEND or DUE at a moment: UTC, or local with TZID for a zoned entry. */
static icalproperty *
timed_prop(icalproperty_kind kind, long long secs, const isms_ical_entry *e)
{
	struct icaltimetype t = utc_time(secs);
	icalproperty *p;

	if (ISMS_ICAL_ENTRY_ZONED(e))
		t = icaltime_convert_to_zone(t, e->zone);
	if (kind == ICAL_DTSTART_PROPERTY)
		p = icalproperty_new_dtstart(t);
	else if (kind == ICAL_DUE_PROPERTY)
		p = icalproperty_new_due(t);
	else
		p = icalproperty_new_dtend(t);
	if (p && ISMS_ICAL_ENTRY_ZONED(e))
		icalproperty_add_parameter(p, icalparameter_new_tzid(e->tzid));
	return p;
}

static icalproperty *
x_prop(const char *name, const char *value)
{
	icalproperty *p = icalproperty_new_x(value);

	icalproperty_set_x_name(p, name);
	return p;
}

/*
 * Is every date and time the entry writes within what libical writes
 * faithfully (ISMS_ICAL_FIRST_DAY ...)?  If not, a reason.  A timed entry
 * writes its times, not its due day.
 */
static bool
entry_in_range(const isms_ical_entry *e, char *reason, size_t reasonlen)
{
	const isms_ical_date *last = e->has_last_day ? &e->last_day : &e->due;
	long		first_day = e->due.year * 10000L + e->due.month * 100L + e->due.day;
	long		last_day = last->year * 10000L + last->month * 100L + last->day;
	const char *what = NULL;

	if (!e->timed && (first_day < ISMS_ICAL_FIRST_DAY || last_day > ISMS_ICAL_LAST_DAY))
		what = "date";
	else if (e->timed && (e->starts_at < ISMS_ICAL_FIRST_SECS || e->starts_at > ISMS_ICAL_LAST_SECS ||
						  (e->has_end && (e->ends_at < ISMS_ICAL_FIRST_SECS ||
										  e->ends_at > ISMS_ICAL_LAST_SECS))))
		what = "start or end time";
	else if (e->created < ISMS_ICAL_FIRST_SECS || e->created > ISMS_ICAL_LAST_SECS ||
			 e->updated < ISMS_ICAL_FIRST_SECS || e->updated > ISMS_ICAL_LAST_SECS)
		what = "creation or change time";
	if (what == NULL)
		return true;
	set_reason(reason, reasonlen,
			   "its %s is outside the range an iCalendar export carries (0001-01-02 to 3000-12-30)%s",
			   what, NULL);
	return false;
}

static char *
entry_text(const isms_ical_entry *e, char *reason, size_t reasonlen)
{
	icalcomponent *c;
	icalproperty *p;
	char	   *desc = NULL;
	char	   *text;
	int			i;

	c = icalcomponent_new(e->as_todo ? ICAL_VTODO_COMPONENT : ICAL_VEVENT_COMPONENT);
	if (c == NULL)
	{
		set_reason(reason, reasonlen, "libical could not allocate a component%s%s", NULL, NULL);
		return NULL;
	}
	icalcomponent_add_property(c, icalproperty_new_uid(e->uid));
	icalcomponent_add_property(c, icalproperty_new_dtstamp(utc_time(e->updated)));
	icalcomponent_add_property(c, icalproperty_new_created(utc_time(e->created)));
	icalcomponent_add_property(c, icalproperty_new_lastmodified(utc_time(e->updated)));
	icalcomponent_add_property(c, icalproperty_new_sequence(e->sequence));
	if (*e->summary)
		icalcomponent_add_property(c, icalproperty_new_summary(e->summary));

	if (e->description || e->owner)
	{
		size_t		n = (e->description ? strlen(e->description) : 0) +
			(e->owner ? strlen(e->owner) : 0) + 16;

		desc = malloc(n);
		if (desc)
		{
			snprintf(desc, n, "%s%s%s",
					 e->description ? e->description : "",
					 e->owner ? (e->description ? "\nOwner: " : "Owner: ") : "",
					 e->owner ? e->owner : "");
			icalcomponent_add_property(c, icalproperty_new_description(desc));
			free(desc);
		}
	}
	if (*e->scope)
		icalcomponent_add_property(c, icalproperty_new_categories(e->scope));
	icalcomponent_add_property(c, x_prop("X-PG-ISMS-KIND", e->kind));

	/*
	 * When: all-day dates (no time zone involved), UTC times, or for a
	 * timed recurring entry local times of its zone with TZID.
	 */
	if (e->timed)
	{
		icalcomponent_add_property(c, timed_prop(ICAL_DTSTART_PROPERTY, e->starts_at, e));
		if (e->as_todo)
			icalcomponent_add_property(c, timed_prop(ICAL_DUE_PROPERTY, e->has_end ? e->ends_at : e->starts_at, e));
		else if (e->has_end)
			icalcomponent_add_property(c, timed_prop(ICAL_DTEND_PROPERTY, e->ends_at, e));
	}
	else
	{
		icalcomponent_add_property(c, icalproperty_new_dtstart(day_time(e->due, 0)));
		if (e->as_todo)
			icalcomponent_add_property(c, icalproperty_new_due(day_time(e->has_last_day ? e->last_day : e->due, 0)));
		else
			icalcomponent_add_property(c, icalproperty_new_dtend(e->has_last_day ? day_time(e->last_day, 1)
																 : day_time(e->due, 1)));
	}
	if (e->rrule)
	{
		struct icalrecurrencetype rec;

		if (!isms_rrule_parse(e->rrule, &rec, reason, reasonlen))
		{
			icalcomponent_free(c);
			return NULL;
		}
		icalcomponent_add_property(c, icalproperty_new_rrule(rec));
	}

	switch (e->status)
	{
		case ISMS_STATUS_CANCELLED:
			p = icalproperty_new_status(ICAL_STATUS_CANCELLED);
			break;
		case ISMS_STATUS_DONE:
			p = icalproperty_new_status(e->as_todo ? ICAL_STATUS_COMPLETED : ICAL_STATUS_CONFIRMED);
			break;
		default:
			p = icalproperty_new_status(e->as_todo ? ICAL_STATUS_NEEDSACTION : ICAL_STATUS_CONFIRMED);
			break;
	}
	icalcomponent_add_property(c, p);
	if (e->as_todo && e->status == ISMS_STATUS_DONE)
	{
		icalcomponent_add_property(c, icalproperty_new_completed(utc_time(e->updated)));
		icalcomponent_add_property(c, icalproperty_new_percentcomplete(100));
	}
	/* Shown as free time: a deadline does not block the calendar. */
	if (!e->as_todo)
		icalcomponent_add_property(c, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));

	/* Alarms only for what is still to be done. */
	if (e->status == ISMS_STATUS_SCHEDULED)
	{
		for (i = 0; i < e->nalarms && i < ISMS_ICAL_MAX_ALARMS; i++)
		{
			icalcomponent *a = icalcomponent_new(ICAL_VALARM_COMPONENT);
			struct icaltriggertype trig;

			memset(&trig, 0, sizeof(trig));
			trig.time = icaltime_null_time();
			trig.duration = icaldurationtype_from_int((int) -e->alarm_seconds[i]);
			icalcomponent_add_property(a, icalproperty_new_action(ICAL_ACTION_DISPLAY));
			icalcomponent_add_property(a, icalproperty_new_trigger(trig));
			icalcomponent_add_property(a, icalproperty_new_description(*e->summary ? e->summary : "Reminder"));
			icalcomponent_add_component(c, a);
		}
	}

	text = icalcomponent_as_ical_string_r(c);
	icalcomponent_free(c);
	if (text == NULL)
		set_reason(reason, reasonlen, "libical could not serialise a component%s%s", NULL, NULL);
	else
		repair_folds(text, strlen(text));
	return text;
}

char *
isms_ical_vtimezone_text(icaltimezone *zone, const char *tzid, char *reason, size_t reasonlen)
{
	icalcomponent *builtin = icaltimezone_get_component(zone);
	icalcomponent *vtz;
	icalproperty *p;
	char	   *text;

	if (builtin == NULL)
	{
		set_reason(reason, reasonlen, "libical has no VTIMEZONE for the zone \"%s\"%s", tzid, NULL);
		return NULL;
	}
	/* A copy: the built-in zone's own component is libical's to keep. */
	vtz = icalcomponent_new_clone(builtin);
	if (vtz == NULL)
	{
		set_reason(reason, reasonlen, "libical could not copy the VTIMEZONE%s%s", NULL, NULL);
		return NULL;
	}
	p = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
	if (p)
		icalproperty_set_tzid(p, tzid);
	else
		icalcomponent_add_property(vtz, icalproperty_new_tzid(tzid));
	text = icalcomponent_as_ical_string_r(vtz);
	icalcomponent_free(vtz);
	if (text == NULL)
		set_reason(reason, reasonlen, "libical could not serialise the VTIMEZONE%s%s", NULL, NULL);
	else
		repair_folds(text, strlen(text));
	return text;
}

/* ---------------- the writer ---------------- */

/*
 * Cached lines are keyed by a slot letter and the value as text (e.g.
 * "S3" for SEQUENCE:3, "D20260501" for DTSTART;VALUE=DATE:20260501).  The
 * table is open-addressed and grows to at most WRITER_CACHE_MAX entries;
 * values beyond that are serialised without caching.
 */
#define WRITER_CACHE_INIT	1024
#define WRITER_CACHE_MAX	65536
#define WRITER_KEY_MAX		(ISMS_RRULE_MAX_LEN + 64)

typedef struct cached_line
{
	size_t		keylen;
	size_t		linelen;
	char		data[];			/* key, then line (NUL-terminated) */
} cached_line;

struct isms_ical_writer
{
	/* the entry being written */
	char	   *out;
	size_t		outlen;
	size_t		outcap;
	/* scratch for DESCRIPTION with the owner appended */
	char	   *desc;
	size_t		desccap;
	/* cache of lines by value */
	cached_line **slots;
	size_t		nslots;
	size_t		nused;
	/* component frames as libical writes them */
	char	   *frame[3][2];	/* VEVENT, VTODO, VALARM x BEGIN, END */
	/* one reusable property per per-row value */
	icalproperty *uid;
	icalproperty *dtstamp;
	icalproperty *created;
	icalproperty *lastmod;
	icalproperty *summary;
	icalproperty *description;
	icalproperty *alarm_desc;
	icalproperty *completed;
};

#define FRAME_VEVENT	0
#define FRAME_VTODO		1
#define FRAME_VALARM	2

static bool
out_append(isms_ical_writer *w, const char *s, size_t n)
{
	if (w->outlen + n + 1 > w->outcap)
	{
		size_t		cap = w->outcap ? w->outcap : 4096;
		char	   *grown;

		while (w->outlen + n + 1 > cap)
			cap *= 2;
		grown = realloc(w->out, cap);
		if (grown == NULL)
			return false;
		w->out = grown;
		w->outcap = cap;
	}
	memcpy(w->out + w->outlen, s, n);
	w->outlen += n;
	w->out[w->outlen] = '\0';
	return true;
}

/* Append libical's text for p (NULL p or text: out of memory) and free the text. */
static bool
append_prop(isms_ical_writer *w, icalproperty *p)
{
	char	   *text;
	bool		ok;

	if (p == NULL)
		return false;
	text = icalproperty_as_ical_string_r(p);
	if (text == NULL)
		return false;
	ok = out_append(w, text, strlen(text));
	icalmemory_free_buffer(text);
	return ok;
}

/* Append a new property's text and free the property. */
static bool
append_new_prop(isms_ical_writer *w, icalproperty *p)
{
	bool		ok = append_prop(w, p);

	if (p)
		icalproperty_free(p);
	return ok;
}

static size_t
key_hash(const char *key, size_t n)
{
	size_t		h = 2166136261u;
	size_t		i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char) key[i]) * 16777619u;
	return h;
}

static bool
cache_grow(isms_ical_writer *w)
{
	size_t		n = w->nslots ? w->nslots * 2 : WRITER_CACHE_INIT;
	cached_line **slots = calloc(n, sizeof(cached_line *));
	size_t		i;

	if (slots == NULL)
		return false;
	for (i = 0; i < w->nslots; i++)
	{
		cached_line *c = w->slots[i];
		size_t		j;

		if (c == NULL)
			continue;
		j = key_hash(c->data, c->keylen) & (n - 1);
		while (slots[j])
			j = (j + 1) & (n - 1);
		slots[j] = c;
	}
	free(w->slots);
	w->slots = slots;
	w->nslots = n;
	return true;
}

/*
 * Append the line cached under key, or build it with make(arg), append it
 * and cache it.  make returns a new property (freed here) or NULL with a
 * reason already written.
 */
typedef icalproperty *(*make_prop_fn) (const void *arg, char *reason, size_t reasonlen);

static bool
append_cached(isms_ical_writer *w, const char *key, make_prop_fn make, const void *arg,
			  char *reason, size_t reasonlen)
{
	size_t		keylen = strlen(key);
	size_t		h = key_hash(key, keylen);
	size_t		j = 0;
	icalproperty *p;
	char	   *text;
	size_t		linelen;
	cached_line *c;
	bool		ok;

	if (w->nslots)
	{
		j = h & (w->nslots - 1);
		while ((c = w->slots[j]) != NULL)
		{
			if (c->keylen == keylen && memcmp(c->data, key, keylen) == 0)
			{
				if (!out_append(w, c->data + keylen + 1, c->linelen))
					goto oom;
				return true;
			}
			j = (j + 1) & (w->nslots - 1);
		}
	}

	p = make(arg, reason, reasonlen);
	if (p == NULL)
		return false;
	text = icalproperty_as_ical_string_r(p);
	icalproperty_free(p);
	if (text == NULL)
		goto oom;
	linelen = strlen(text);
	ok = out_append(w, text, linelen);

	/* Keep it, unless the table is full (then the next call builds it again). */
	if (ok && w->nused < WRITER_CACHE_MAX)
	{
		if ((w->nused + 1) * 2 > w->nslots)
		{
			if (!cache_grow(w))
				goto keep_going;
			j = h & (w->nslots - 1);
			while (w->slots[j])
				j = (j + 1) & (w->nslots - 1);
		}
		c = malloc(sizeof(cached_line) + keylen + 1 + linelen + 1);
		if (c)
		{
			c->keylen = keylen;
			c->linelen = linelen;
			memcpy(c->data, key, keylen + 1);
			memcpy(c->data + keylen + 1, text, linelen + 1);
			w->slots[j] = c;
			w->nused++;
		}
	}
keep_going:
	icalmemory_free_buffer(text);
	if (ok)
		return true;
oom:
	set_reason(reason, reasonlen, "out of memory%s%s", NULL, NULL);
	return false;
}

/* The property makers for cached lines; arg points at the value. */
static icalproperty *
make_sequence(const void *arg, char *reason, size_t reasonlen)
{
	(void) reason;
	(void) reasonlen;
	return icalproperty_new_sequence(*(const int *) arg);
}

static icalproperty *
make_categories(const void *arg, char *reason, size_t reasonlen)
{
	(void) reason;
	(void) reasonlen;
	return icalproperty_new_categories((const char *) arg);
}

static icalproperty *
make_kind(const void *arg, char *reason, size_t reasonlen)
{
	(void) reason;
	(void) reasonlen;
	return x_prop("X-PG-ISMS-KIND", (const char *) arg);
}

typedef struct dated
{
	icalproperty_kind kind;
	struct icaltimetype t;
} dated;

static icalproperty *
make_dated(const void *arg, char *reason, size_t reasonlen)
{
	const dated *d = arg;

	(void) reason;
	(void) reasonlen;
	if (d->kind == ICAL_DTSTART_PROPERTY)
		return icalproperty_new_dtstart(d->t);
	if (d->kind == ICAL_DUE_PROPERTY)
		return icalproperty_new_due(d->t);
	return icalproperty_new_dtend(d->t);
}

static icalproperty *
make_rrule(const void *arg, char *reason, size_t reasonlen)
{
	struct icalrecurrencetype rec;

	if (!isms_rrule_parse((const char *) arg, &rec, reason, reasonlen))
		return NULL;
	return icalproperty_new_rrule(rec);
}

static icalproperty *
make_status(const void *arg, char *reason, size_t reasonlen)
{
	(void) reason;
	(void) reasonlen;
	return icalproperty_new_status(*(const icalproperty_status *) arg);
}

static icalproperty *
make_percent(const void *arg, char *reason, size_t reasonlen)
{
	(void) arg;
	(void) reason;
	(void) reasonlen;
	return icalproperty_new_percentcomplete(100);
}

static icalproperty *
make_transp(const void *arg, char *reason, size_t reasonlen)
{
	(void) arg;
	(void) reason;
	(void) reasonlen;
	return icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT);
}

static icalproperty *
make_action(const void *arg, char *reason, size_t reasonlen)
{
	(void) arg;
	(void) reason;
	(void) reasonlen;
	return icalproperty_new_action(ICAL_ACTION_DISPLAY);
}

static icalproperty *
make_trigger(const void *arg, char *reason, size_t reasonlen)
{
	struct icaltriggertype trig;

	(void) reason;
	(void) reasonlen;
	memset(&trig, 0, sizeof(trig));
	trig.time = icaltime_null_time();
	trig.duration = icaldurationtype_from_int((int) -*(const long long *) arg);
	return icalproperty_new_trigger(trig);
}

/* The BEGIN and END lines of an empty component, as libical writes them. */
static bool
make_frame(icalcomponent_kind kind, char **begin, char **end)
{
	icalcomponent *c = icalcomponent_new(kind);
	char	   *text;
	char	   *cut;

	*begin = *end = NULL;
	if (c == NULL)
		return false;
	text = icalcomponent_as_ical_string_r(c);
	icalcomponent_free(c);
	if (text == NULL)
		return false;
	cut = strstr(text, "\r\n");
	if (cut == NULL)
	{
		icalmemory_free_buffer(text);
		return false;
	}
	cut += 2;
	*end = malloc(strlen(cut) + 1);
	if (*end)
		memcpy(*end, cut, strlen(cut) + 1);
	*cut = '\0';
	*begin = text;
	return *end != NULL;
}

void
isms_ical_writer_free(isms_ical_writer *w)
{
	size_t		i;
	int			k;

	if (w == NULL)
		return;
	for (i = 0; i < w->nslots; i++)
		free(w->slots[i]);
	free(w->slots);
	for (k = 0; k < 3; k++)
	{
		if (w->frame[k][0])
			icalmemory_free_buffer(w->frame[k][0]);
		free(w->frame[k][1]);
	}
	if (w->uid)
		icalproperty_free(w->uid);
	if (w->dtstamp)
		icalproperty_free(w->dtstamp);
	if (w->created)
		icalproperty_free(w->created);
	if (w->lastmod)
		icalproperty_free(w->lastmod);
	if (w->summary)
		icalproperty_free(w->summary);
	if (w->description)
		icalproperty_free(w->description);
	if (w->alarm_desc)
		icalproperty_free(w->alarm_desc);
	if (w->completed)
		icalproperty_free(w->completed);
	free(w->out);
	free(w->desc);
	free(w);
}

isms_ical_writer *
isms_ical_writer_new(void)
{
	isms_ical_writer *w = calloc(1, sizeof(isms_ical_writer));
	struct icaltimetype epoch;

	if (w == NULL)
		return NULL;
	epoch = utc_time(0);
	if (!make_frame(ICAL_VEVENT_COMPONENT, &w->frame[FRAME_VEVENT][0], &w->frame[FRAME_VEVENT][1]) ||
		!make_frame(ICAL_VTODO_COMPONENT, &w->frame[FRAME_VTODO][0], &w->frame[FRAME_VTODO][1]) ||
		!make_frame(ICAL_VALARM_COMPONENT, &w->frame[FRAME_VALARM][0], &w->frame[FRAME_VALARM][1]))
		goto fail;
	w->uid = icalproperty_new_uid("-");
	w->dtstamp = icalproperty_new_dtstamp(epoch);
	w->created = icalproperty_new_created(epoch);
	w->lastmod = icalproperty_new_lastmodified(epoch);
	w->summary = icalproperty_new_summary("-");
	w->description = icalproperty_new_description("-");
	w->alarm_desc = icalproperty_new_description("-");
	w->completed = icalproperty_new_completed(epoch);
	if (!w->uid || !w->dtstamp || !w->created || !w->lastmod || !w->summary ||
		!w->description || !w->alarm_desc || !w->completed)
		goto fail;
	return w;

fail:
	isms_ical_writer_free(w);
	return NULL;
}

/*
 * The same value as utc_time(secs), computed without libical's detour
 * through gmtime: days since 1970-01-01 to a civil date (the proleptic
 * Gregorian calendar, any sign).
 */
static struct icaltimetype
utc_time_fast(long long secs)
{
	struct icaltimetype t = icaltime_null_time();
	long long	days = secs / 86400;
	long long	rem = secs % 86400;
	long long	era,
				z;
	unsigned	doe,
				yoe,
				doy,
				mp;

	if (rem < 0)
	{
		rem += 86400;
		days--;
	}
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned) (z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	t.day = (int) (doy - (153 * mp + 2) / 5 + 1);
	t.month = (int) (mp < 10 ? mp + 3 : mp - 9);
	t.year = (int) (yoe + era * 400 + (t.month <= 2));
	t.hour = (int) (rem / 3600);
	t.minute = (int) (rem / 60 % 60);
	t.second = (int) (rem % 60);
	t.zone = icaltimezone_get_utc_timezone();
	return t;
}

/* Cache keys without snprintf (which costs more than the lookup). */
static char *
key_int(char *p, long long v)
{
	char		digits[24];
	int			n = 0;
	unsigned long long u = v < 0 ? 0 - (unsigned long long) v : (unsigned long long) v;

	if (v < 0)
		*p++ = '-';
	do
	{
		digits[n++] = (char) ('0' + u % 10);
		u /= 10;
	} while (u);
	while (n)
		*p++ = digits[--n];
	*p = '\0';
	return p;
}

static void
key_slot_int(char *key, char slot, long long v)
{
	key[0] = slot;
	key_int(key + 1, v);
}

/* Slot letter and text; false if it does not fit (then no cache). */
static bool
key_slot_text(char *key, size_t n, char slot, const char *text)
{
	size_t		len = strlen(text);

	if (len + 2 > n)
		return false;
	key[0] = slot;
	memcpy(key + 1, text, len + 1);
	return true;
}

/* Slot letter and the date as three numbers. */
static void
date_key(char *key, char slot, struct icaltimetype t)
{
	char	   *p = key;

	*p++ = slot;
	p = key_int(p, t.year);
	*p++ = '-';
	p = key_int(p, t.month);
	*p++ = '-';
	key_int(p, t.day);
}

static const char *
writer_entry(isms_ical_writer *w, const isms_ical_entry *e, size_t *len,
			 char *reason, size_t reasonlen)
{
	char		key[WRITER_KEY_MAX];
	char		stamp[64];
	size_t		stamp_at;
	size_t		stamp_len;
	int			frame = e->as_todo ? FRAME_VTODO : FRAME_VEVENT;
	icalproperty_status status;
	int			i;

	w->outlen = 0;
	if (!out_append(w, w->frame[frame][0], strlen(w->frame[frame][0])))
		goto oom;

	icalproperty_set_uid(w->uid, e->uid);
	icalproperty_set_dtstamp(w->dtstamp, utc_time_fast(e->updated));
	icalproperty_set_created(w->created, utc_time_fast(e->created));
	if (!append_prop(w, w->uid))
		goto oom;
	stamp_at = w->outlen;
	if (!append_prop(w, w->dtstamp))
		goto oom;
	stamp_len = w->outlen - stamp_at;
	if (!append_prop(w, w->created))
		goto oom;

	/*
	 * LAST-MODIFIED carries DTSTAMP's value: libical's DTSTAMP line with the
	 * name changed (a UTC time, never escaped or folded), one libical
	 * serialisation per row fewer.
	 */
	if (stamp_len > 8 && stamp_len + 6 < sizeof(stamp) &&
		memcmp(w->out + stamp_at, "DTSTAMP:", 8) == 0)
	{
		memcpy(stamp, "LAST-MODIFIED", 13);
		memcpy(stamp + 13, w->out + stamp_at + 7, stamp_len - 7);
		if (!out_append(w, stamp, stamp_len + 6))
			goto oom;
	}
	else
	{
		icalproperty_set_lastmodified(w->lastmod, utc_time_fast(e->updated));
		if (!append_prop(w, w->lastmod))
			goto oom;
	}
	key_slot_int(key, 'S', e->sequence);
	if (!append_cached(w, key, make_sequence, &e->sequence, reason, reasonlen))
		return NULL;
	if (*e->summary)
	{
		icalproperty_set_summary(w->summary, e->summary);
		if (!append_prop(w, w->summary))
			goto oom;
	}
	if (e->description || e->owner)
	{
		size_t		n = (e->description ? strlen(e->description) : 0) +
			(e->owner ? strlen(e->owner) : 0) + 16;

		if (n > w->desccap)
		{
			char	   *grown = realloc(w->desc, n);

			if (grown == NULL)
				goto oom;
			w->desc = grown;
			w->desccap = n;
		}
		{
			/* The same text as isms_ical_entry_text writes with snprintf. */
			char	   *p = w->desc;
			const char *sep = e->description ? "\nOwner: " : "Owner: ";

			if (e->description)
			{
				memcpy(p, e->description, strlen(e->description));
				p += strlen(e->description);
			}
			if (e->owner)
			{
				memcpy(p, sep, strlen(sep));
				p += strlen(sep);
				memcpy(p, e->owner, strlen(e->owner));
				p += strlen(e->owner);
			}
			*p = '\0';
		}
		icalproperty_set_description(w->description, w->desc);
		if (!append_prop(w, w->description))
			goto oom;
	}
	/* A value too long to be a key is serialised without the cache. */
	if (*e->scope)
	{
		if (key_slot_text(key, sizeof(key), 'C', e->scope))
		{
			if (!append_cached(w, key, make_categories, e->scope, reason, reasonlen))
				return NULL;
		}
		else if (!append_new_prop(w, make_categories(e->scope, reason, reasonlen)))
			goto oom;
	}
	if (key_slot_text(key, sizeof(key), 'K', e->kind))
	{
		if (!append_cached(w, key, make_kind, e->kind, reason, reasonlen))
			return NULL;
	}
	else if (!append_new_prop(w, make_kind(e->kind, reason, reasonlen)))
		goto oom;

	if (e->timed)
	{
		/* Moments differ row by row: not worth caching. */
		if (!append_new_prop(w, timed_prop(ICAL_DTSTART_PROPERTY, e->starts_at, e)))
			goto oom;
		if (e->as_todo)
		{
			if (!append_new_prop(w, timed_prop(ICAL_DUE_PROPERTY, e->has_end ? e->ends_at : e->starts_at, e)))
				goto oom;
		}
		else if (e->has_end)
		{
			if (!append_new_prop(w, timed_prop(ICAL_DTEND_PROPERTY, e->ends_at, e)))
				goto oom;
		}
	}
	else
	{
		dated		d;

		d.kind = ICAL_DTSTART_PROPERTY;
		d.t = day_time(e->due, 0);
		date_key(key, 'D', d.t);
		if (!append_cached(w, key, make_dated, &d, reason, reasonlen))
			return NULL;
		if (e->as_todo)
		{
			d.kind = ICAL_DUE_PROPERTY;
			d.t = day_time(e->has_last_day ? e->last_day : e->due, 0);
			date_key(key, 'U', d.t);
		}
		else
		{
			d.kind = ICAL_DTEND_PROPERTY;
			d.t = e->has_last_day ? day_time(e->last_day, 1) : day_time(e->due, 1);
			date_key(key, 'E', d.t);
		}
		if (!append_cached(w, key, make_dated, &d, reason, reasonlen))
			return NULL;
	}
	if (e->rrule)
	{
		if (key_slot_text(key, sizeof(key), 'R', e->rrule))
		{
			if (!append_cached(w, key, make_rrule, e->rrule, reason, reasonlen))
				return NULL;
		}
		else
		{
			icalproperty *p = make_rrule(e->rrule, reason, reasonlen);

			if (p == NULL)
				return NULL;
			if (!append_new_prop(w, p))
				goto oom;
		}
	}

	switch (e->status)
	{
		case ISMS_STATUS_CANCELLED:
			status = ICAL_STATUS_CANCELLED;
			break;
		case ISMS_STATUS_DONE:
			status = e->as_todo ? ICAL_STATUS_COMPLETED : ICAL_STATUS_CONFIRMED;
			break;
		default:
			status = e->as_todo ? ICAL_STATUS_NEEDSACTION : ICAL_STATUS_CONFIRMED;
			break;
	}
	key_slot_int(key, 'T', (long long) status);
	if (!append_cached(w, key, make_status, &status, reason, reasonlen))
		return NULL;
	if (e->as_todo && e->status == ISMS_STATUS_DONE)
	{
		icalproperty_set_completed(w->completed, utc_time_fast(e->updated));
		if (!append_prop(w, w->completed))
			goto oom;
		if (!append_cached(w, "P", make_percent, NULL, reason, reasonlen))
			return NULL;
	}
	if (!e->as_todo && !append_cached(w, "X", make_transp, NULL, reason, reasonlen))
		return NULL;

	if (e->status == ISMS_STATUS_SCHEDULED && e->nalarms > 0)
	{
		char	   *desc;

		/* Every alarm repeats the summary: serialised once per entry. */
		icalproperty_set_description(w->alarm_desc, *e->summary ? e->summary : "Reminder");
		desc = icalproperty_as_ical_string_r(w->alarm_desc);
		if (desc == NULL)
			goto oom;
		for (i = 0; i < e->nalarms && i < ISMS_ICAL_MAX_ALARMS; i++)
		{
			key_slot_int(key, 'A', e->alarm_seconds[i]);
			if (!out_append(w, w->frame[FRAME_VALARM][0], strlen(w->frame[FRAME_VALARM][0])) ||
				!append_cached(w, "a", make_action, NULL, reason, reasonlen) ||
				!append_cached(w, key, make_trigger, &e->alarm_seconds[i], reason, reasonlen) ||
				!out_append(w, desc, strlen(desc)) ||
				!out_append(w, w->frame[FRAME_VALARM][1], strlen(w->frame[FRAME_VALARM][1])))
			{
				icalmemory_free_buffer(desc);
				goto oom;
			}
		}
		icalmemory_free_buffer(desc);
	}
	if (!out_append(w, w->frame[frame][1], strlen(w->frame[frame][1])))
		goto oom;
	w->outlen = repair_folds(w->out, w->outlen);
	*len = w->outlen;
	return w->out;

oom:
	set_reason(reason, reasonlen, "out of memory%s%s", NULL, NULL);
	return NULL;
}

/* ---------------- import ---------------- */

/* strdup is not C99: a copy with malloc, NULL for NULL (or out of memory). */
static char *
dup_or_null(const char *s)
{
	size_t		n;
	char	   *d;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

/* Fill *w from a libical time; false if a TZID could not be resolved. */
static bool
read_when(struct icaltimetype t, isms_ical_when *w)
{
	memset(w, 0, sizeof(*w));
	if (icaltime_is_null_time(t) || !icaltime_is_valid_time(t))
		return true;			/* absent */
	w->present = true;
	w->is_date = t.is_date;
	w->year = t.year;
	w->month = t.month;
	w->day = t.day;
	w->hour = t.hour;
	w->minute = t.minute;
	w->second = t.second;
	if (!t.is_date && (icaltime_is_utc(t) || t.zone != NULL))
	{
		w->absolute = true;
		w->utc = (long long) icaltime_as_timet_with_zone(t, t.zone);
	}
	return true;
}

void
isms_ical_events_free(isms_ical_event *events, int n)
{
	int			i;

	if (events == NULL)
		return;
	for (i = 0; i < n; i++)
	{
		free(events[i].uid);
		free(events[i].summary);
		free(events[i].kind);
		free(events[i].organizer);
	}
	free(events);
}

static bool
date_valid(const isms_ical_when *w)
{
	return w->year >= 1 && w->year <= 9999 && w->month >= 1 && w->month <= 12 &&
		w->day >= 1 && w->day <= icaltime_days_in_month(w->month, w->year);
}

int
isms_ical_events(const char *text, isms_ical_event **events, char *reason, size_t reasonlen)
{
	icalcomponent *root;
	icalcomponent *ev;
	isms_ical_event *out = NULL;
	int			n = 0;
	int			cap = 0;
	bool		stopped;

	*events = NULL;
	root = parse_checked(text, reason, reasonlen, &stopped);
	if (root == NULL)
		return stopped ? ISMS_ICAL_STOPPED : -1;

	for (ev = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT); ev;
		 ev = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT))
	{
		isms_ical_event *e;
		icalproperty *p;
		const char *uid = icalcomponent_get_uid(ev);
		struct icaltimetype st, en;
		char		num[32];

		snprintf(num, sizeof(num), "%d", n + 1);
		if (stop_check && n % ISMS_ICAL_STOP_EVERY == ISMS_ICAL_STOP_EVERY - 1 && stop_check())
		{
			set_reason(reason, reasonlen, "interrupted%s%s", NULL, NULL);
			icalcomponent_free(root);
			isms_ical_events_free(out, n);
			return ISMS_ICAL_STOPPED;
		}
		if (n >= ISMS_ICAL_MAX_EVENTS)
		{
			set_reason(reason, reasonlen, "more than 100000 events%s%s", NULL, NULL);
			goto fail;
		}
		if (uid == NULL || uid[0] == '\0')
		{
			set_reason(reason, reasonlen, "event %s has no UID%s", num, NULL);
			goto fail;
		}
		if (icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY) == NULL)
		{
			set_reason(reason, reasonlen, "event \"%s\" has no DTSTART%s", uid, NULL);
			goto fail;
		}
		if (n == cap)
		{
			int			ncap = cap ? cap * 2 : 16;
			isms_ical_event *grown = realloc(out, sizeof(isms_ical_event) * ncap);

			if (grown == NULL)
			{
				set_reason(reason, reasonlen, "out of memory%s%s", NULL, NULL);
				goto fail;
			}
			out = grown;
			cap = ncap;
		}
		e = &out[n];
		memset(e, 0, sizeof(*e));
		n++;
		e->uid = dup_or_null(uid);
		e->summary = dup_or_null(icalcomponent_get_summary(ev));
		p = icalcomponent_get_first_property(ev, ICAL_X_PROPERTY);
		for (; p; p = icalcomponent_get_next_property(ev, ICAL_X_PROPERTY))
		{
			const char *xn = icalproperty_get_x_name(p);

			if (xn && strcmp(xn, "X-PG-ISMS-KIND") == 0)
			{
				e->kind = dup_or_null(icalproperty_get_x(p));
				break;
			}
		}
		p = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
		if (p)
		{
			icalparameter *cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);

			e->organizer = dup_or_null(cn ? icalparameter_get_cn(cn) : icalproperty_get_organizer(p));
		}
		p = icalcomponent_get_first_property(ev, ICAL_STATUS_PROPERTY);
		e->cancelled = p && icalproperty_get_status(p) == ICAL_STATUS_CANCELLED;
		p = icalcomponent_get_first_property(ev, ICAL_SEQUENCE_PROPERTY);
		e->sequence = p ? icalproperty_get_sequence(p) : 0;
		if (e->uid == NULL)
		{
			set_reason(reason, reasonlen, "out of memory%s%s", NULL, NULL);
			goto fail;
		}

		st = icalcomponent_get_dtstart(ev);
		en = icalcomponent_get_dtend(ev);
		if (icaltime_is_null_time(st) || !icaltime_is_valid_time(st))
		{
			set_reason(reason, reasonlen, "event \"%s\" has an invalid DTSTART%s", uid, NULL);
			goto fail;
		}
		p = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
		if (p && icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER) && st.zone == NULL)
		{
			set_reason(reason, reasonlen, "event \"%s\": DTSTART names a TZID that is neither in the calendar nor known to libical%s", uid, NULL);
			goto fail;
		}
		read_when(st, &e->start);
		read_when(en, &e->end);
		/*
		 * Out of the years 1 to 9999 is invalid like a null time is: libical
		 * 3.0.16 reads "2026-13-45" as month 13, 3.0.20 as a null time, and
		 * the reason must not depend on which one the server links.
		 */
		if (!date_valid(&e->start))
		{
			set_reason(reason, reasonlen, "event \"%s\" has an invalid DTSTART%s", uid, NULL);
			goto fail;
		}
		if (e->end.present && !date_valid(&e->end))
		{
			set_reason(reason, reasonlen, "event \"%s\" has an invalid DTEND%s", uid, NULL);
			goto fail;
		}
		if (e->end.present && icaltime_compare(en, st) < 0)
		{
			set_reason(reason, reasonlen, "event \"%s\" ends before it starts%s", uid, NULL);
			goto fail;
		}
	}
	icalcomponent_free(root);
	*events = out;
	return n;

fail:
	icalcomponent_free(root);
	isms_ical_events_free(out, n);
	return -1;
}

bool
isms_ical_uid_valid(const char *text, size_t len)
{
	size_t		i = 0;
	size_t		chars = 0;
	size_t		domain;

	/* the local part: characters up to "@", counted as UTF-8 lead bytes */
	for (; i < len && text[i] != '@'; i++)
	{
		unsigned char c = (unsigned char) text[i];

		if (c <= 0x20 || c == 0x7f)
			return false;
		if ((c & 0xc0) != 0x80 && ++chars > ISMS_UID_LOCAL_MAX)
			return false;
	}
	if (chars == 0 || i == len)
		return false;
	/* "@", then the domain */
	domain = len - ++i;
	if (domain == 0 || domain > ISMS_UID_DOMAIN_MAX)
		return false;
	for (; i < len; i++)
	{
		unsigned char c = (unsigned char) text[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '.' || c == '-'))
			return false;
	}
	return true;
}

/* ---------------- export: the entry points ---------------- */

/*
 * Text values as RFC 5545 3.3.11 allows them: no control character but
 * HTAB and LF (which libical writes as "\n").  libical drops CR itself but
 * writes the other control characters as they are, which strict clients
 * refuse; they are left out here.  A value left empty or blank (spaces
 * and tabs, which parsers drop) is not written, and an empty description
 * or owner counts as none.  text_class: 1 a control character to leave
 * out, 2 a blank (space, tab), 0 anything else.
 */
static const unsigned char text_class[256] = {
	0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 0, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	2, [0x7f] = 1
};

static bool
needs_cleaning(const char *s)
{
	const unsigned char *p = (const unsigned char *) s;
	bool		blank = true;

	if (s == NULL)
		return false;
	/* blank (only spaces and tabs), or holding a control character */
	for (; *p; p++)
	{
		unsigned char k = text_class[*p];

		if (k == 1)
			return true;
		if (k == 0)
			blank = false;
	}
	return blank;
}

static char *
cleaned(const char *s)
{
	char	   *out = malloc(strlen(s) + 1);
	char	   *p = out;

	bool		blank = true;

	if (out == NULL)
		return NULL;
	for (; *s; s++)
	{
		unsigned char k = text_class[(unsigned char) *s];

		if (k == 1)
			continue;
		if (k == 0)
			blank = false;
		*p++ = *s;
	}
	*p = '\0';
	/* only blanks left: nothing a parser would keep */
	if (blank)
		*out = '\0';
	return out;
}

typedef struct clean_entry
{
	isms_ical_entry e;
	char	   *owned[4];
} clean_entry;

/*
 * The entry to write: e itself when no text needs cleaning (the usual
 * case), else a copy in *c with cleaned copies of its texts (c->owned,
 * zeroed by the caller; free them with clean_entry_free).  NULL when out
 * of memory.
 */
static const isms_ical_entry *
clean_entry_of(const isms_ical_entry *e, clean_entry *c)
{
	const char **field[4];
	int			i;

	if (!needs_cleaning(e->summary) && !needs_cleaning(e->description) &&
		!needs_cleaning(e->owner) && !needs_cleaning(e->scope))
		return e;
	c->e = *e;
	field[0] = &c->e.summary;
	field[1] = &c->e.description;
	field[2] = &c->e.owner;
	field[3] = &c->e.scope;
	for (i = 0; i < 4; i++)
	{
		if (*field[i] == NULL || !needs_cleaning(*field[i]))
			continue;
		c->owned[i] = cleaned(*field[i]);
		if (c->owned[i] == NULL)
			return NULL;
		*field[i] = c->owned[i];
	}
	if (c->e.description != NULL && *c->e.description == '\0')
		c->e.description = NULL;
	if (c->e.owner != NULL && *c->e.owner == '\0')
		c->e.owner = NULL;
	return &c->e;
}

static void
clean_entry_free(clean_entry *c)
{
	int			i;

	for (i = 0; i < 4; i++)
		free(c->owned[i]);
}

/*
 * What both writers do first: refuse an entry out of range, clean its
 * texts.  NULL with a reason on failure; free *c with clean_entry_free on
 * every path.
 */
static const isms_ical_entry *
entry_to_write(const isms_ical_entry *e, clean_entry *c, char *reason, size_t reasonlen)
{
	const isms_ical_entry *use;

	memset(c->owned, 0, sizeof(c->owned));
	if (!entry_in_range(e, reason, reasonlen))
		return NULL;
	use = clean_entry_of(e, c);
	if (use == NULL)
		set_reason(reason, reasonlen, "out of memory%s%s", NULL, NULL);
	return use;
}

char *
isms_ical_entry_text(const isms_ical_entry *e, char *reason, size_t reasonlen)
{
	clean_entry c;
	const isms_ical_entry *use = entry_to_write(e, &c, reason, reasonlen);
	char	   *text = use ? entry_text(use, reason, reasonlen) : NULL;

	clean_entry_free(&c);
	return text;
}

const char *
isms_ical_writer_entry(isms_ical_writer *w, const isms_ical_entry *e, size_t *len,
					   char *reason, size_t reasonlen)
{
	clean_entry c;
	const isms_ical_entry *use = entry_to_write(e, &c, reason, reasonlen);
	const char *text = use ? writer_entry(w, use, len, reason, reasonlen) : NULL;

	clean_entry_free(&c);
	return text;
}
