/*
 * ical_parse_core.c: iCalendar text in (isms.ical_import): libical's parser
 * fed line by line so a long parse can be interrupted, one VCALENDAR with
 * libical's first error as the reason, then its VEVENTs as plain values.
 */
#include "ical_parse_core.h"
#include "reason_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

icalcomponent *
isms_ical_parse(const char *text, bool *stopped, char *reason, size_t reasonlen)
{
	icalcomponent *root;

	icalerror_clear_errno();
	root = parse_lines(text, stopped);
	if (*stopped)
	{
		isms_set_reason(reason, reasonlen, "interrupted");
		return NULL;
	}
	if (root == NULL)
	{
		if (icalerrno != ICAL_NO_ERROR)
			isms_set_reason(reason, reasonlen, "no iCalendar object found (%s)",
							icalerror_strerror(icalerrno));
		else
			isms_set_reason(reason, reasonlen, "no complete iCalendar object found (BEGIN:VCALENDAR ... END:VCALENDAR)");
		return NULL;
	}
	if (icalcomponent_isa(root) != ICAL_VCALENDAR_COMPONENT)
	{
		isms_set_reason(reason, reasonlen,
						"the text must hold exactly one VCALENDAR, found %s",
						icalcomponent_isa(root) == ICAL_XROOT_COMPONENT
						? "several top-level objects"
						: icalcomponent_kind_to_string(icalcomponent_isa(root)));
		icalcomponent_free(root);
		return NULL;
	}
	if (icalcomponent_count_errors(root) > 0)
	{
		const char *e = first_error(root);

		isms_set_reason(reason, reasonlen, "libical: %s", e ? e : "parse error");
		icalcomponent_free(root);
		return NULL;
	}
	return root;
}

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
	root = isms_ical_parse(text, &stopped, reason, reasonlen);
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
			isms_set_reason(reason, reasonlen, "interrupted");
			icalcomponent_free(root);
			isms_ical_events_free(out, n);
			return ISMS_ICAL_STOPPED;
		}
		if (n >= ISMS_ICAL_MAX_EVENTS)
		{
			isms_set_reason(reason, reasonlen, "more than 100000 events");
			goto fail;
		}
		if (uid == NULL || uid[0] == '\0')
		{
			isms_set_reason(reason, reasonlen, "event %s has no UID", num);
			goto fail;
		}
		if (icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY) == NULL)
		{
			isms_set_reason(reason, reasonlen, "event \"%s\" has no DTSTART", uid);
			goto fail;
		}
		if (n == cap)
		{
			int			ncap = cap ? cap * 2 : 16;
			isms_ical_event *grown = realloc(out, sizeof(isms_ical_event) * ncap);

			if (grown == NULL)
			{
				isms_set_reason(reason, reasonlen, "out of memory");
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
			isms_set_reason(reason, reasonlen, "out of memory");
			goto fail;
		}

		st = icalcomponent_get_dtstart(ev);
		en = icalcomponent_get_dtend(ev);
		if (icaltime_is_null_time(st) || !icaltime_is_valid_time(st))
		{
			isms_set_reason(reason, reasonlen, "event \"%s\" has an invalid DTSTART", uid);
			goto fail;
		}
		p = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
		if (p && icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER) && st.zone == NULL)
		{
			isms_set_reason(reason, reasonlen, "event \"%s\": DTSTART names a TZID that is neither in the calendar nor known to libical", uid);
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
			isms_set_reason(reason, reasonlen, "event \"%s\" has an invalid DTSTART", uid);
			goto fail;
		}
		if (e->end.present && !date_valid(&e->end))
		{
			isms_set_reason(reason, reasonlen, "event \"%s\" has an invalid DTEND", uid);
			goto fail;
		}
		if (e->end.present && icaltime_compare(en, st) < 0)
		{
			isms_set_reason(reason, reasonlen, "event \"%s\" ends before it starts", uid);
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
