/*
 * ical_core.c: libical calls that need no server (RRULE checks, iCalendar
 * parsing with libical's error text).  Everything libical allocates here is
 * freed before returning, except the component handed to the caller.
 */
#include "ical_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	len = strlen(text);
	if (len >= strlen(tail) && strcmp(text + len - strlen(tail), tail) == 0)
		text[len - strlen(tail)] = '\0';
	return text;
}

const char *
isms_ical_calendar_tail(void)
{
	return "END:VCALENDAR\r\n";
}

static icalproperty *
x_prop(const char *name, const char *value)
{
	icalproperty *p = icalproperty_new_x(value);

	icalproperty_set_x_name(p, name);
	return p;
}

char *
isms_ical_entry_text(const isms_ical_entry *e, char *reason, size_t reasonlen)
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
	icalcomponent_add_property(c, icalproperty_new_categories(e->scope));
	icalcomponent_add_property(c, x_prop("X-PG-ISMS-KIND", e->kind));

	/* When: all-day dates (no time zone involved) or UTC times. */
	if (e->timed)
	{
		icalcomponent_add_property(c, icalproperty_new_dtstart(utc_time(e->starts_at)));
		if (e->as_todo)
			icalcomponent_add_property(c, icalproperty_new_due(utc_time(e->has_end ? e->ends_at : e->starts_at)));
		else if (e->has_end)
			icalcomponent_add_property(c, icalproperty_new_dtend(utc_time(e->ends_at)));
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
			icalcomponent_add_property(a, icalproperty_new_description(e->summary));
			icalcomponent_add_component(c, a);
		}
	}

	text = icalcomponent_as_ical_string_r(c);
	icalcomponent_free(c);
	if (text == NULL)
		set_reason(reason, reasonlen, "libical could not serialise a component%s%s", NULL, NULL);
	return text;
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
		if (!date_valid(&e->start) || (e->end.present && !date_valid(&e->end)))
		{
			set_reason(reason, reasonlen, "event \"%s\" has a date outside the years 1 to 9999%s", uid, NULL);
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
