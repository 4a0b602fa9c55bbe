/*
 * ical_writer_core.c: iCalendar text out (isms.ical_export): the calendar
 * frame, VTIMEZONEs, and the writer that turns reminders into VEVENT or
 * VTODO text from libical's own property lines, cached by value.
 */
#include "ical_writer_core.h"
#include "civil_core.h"
#include "ical_text_core.h"
#include "reason_core.h"
#include "rrule_core.h"

#include <stdlib.h>
#include <string.h>

struct icaltimetype
isms_ical_utc_time(long long secs)
{
	return icaltime_from_timet_with_zone((time_t) secs, 0, icaltimezone_get_utc_timezone());
}

struct icaltimetype
isms_ical_day_time(isms_ical_date d, int add_days)
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
	len = isms_ical_repair_folds(text, strlen(text));
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
icalproperty *
isms_ical_time_prop(icalproperty_kind kind, long long secs, const isms_ical_entry *e)
{
	struct icaltimetype t = isms_ical_utc_time(secs);
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

icalproperty *
isms_ical_x_prop(const char *name, const char *value)
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
	isms_set_reason(reason, reasonlen,
					"its %s is outside the range an iCalendar export carries (0001-01-02 to 3000-12-30)",
					what);
	return false;
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
		isms_set_reason(reason, reasonlen, "libical has no VTIMEZONE for the zone \"%s\"", tzid);
		return NULL;
	}
	/* A copy: the built-in zone's own component is libical's to keep. */
	vtz = icalcomponent_new_clone(builtin);
	if (vtz == NULL)
	{
		isms_set_reason(reason, reasonlen, "libical could not copy the VTIMEZONE");
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
		isms_set_reason(reason, reasonlen, "libical could not serialise the VTIMEZONE");
	else
		isms_ical_repair_folds(text, strlen(text));
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

static icalproperty *make_line(char slot, const void *arg, char *reason, size_t reasonlen);

/*
 * Append the line cached under key, or build it with make_line(key's slot
 * letter, arg), append it and cache it.  make_line returns a new property
 * (freed here) or NULL with a reason already written.
 */
static bool
append_cached(isms_ical_writer *w, const char *key, const void *arg,
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

	p = make_line(key[0], arg, reason, reasonlen);
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
	isms_set_reason(reason, reasonlen, "out of memory");
	return false;
}

typedef struct dated
{
	icalproperty_kind kind;
	struct icaltimetype t;
} dated;

/*
 * The property of a cached line, by the key's slot letter; arg points at
 * the value.  Only an RRULE can fail (with a reason).
 */
static icalproperty *
make_line(char slot, const void *arg, char *reason, size_t reasonlen)
{
	struct icalrecurrencetype rec;
	struct icaltriggertype trig;
	const dated *d = arg;

	switch (slot)
	{
		case 'S':
			return icalproperty_new_sequence(*(const int *) arg);
		case 'C':
			return icalproperty_new_categories((const char *) arg);
		case 'K':
			return isms_ical_x_prop("X-PG-ISMS-KIND", (const char *) arg);
		case 'D':
		case 'U':
		case 'E':
			if (d->kind == ICAL_DTSTART_PROPERTY)
				return icalproperty_new_dtstart(d->t);
			if (d->kind == ICAL_DUE_PROPERTY)
				return icalproperty_new_due(d->t);
			return icalproperty_new_dtend(d->t);
		case 'R':
			if (!isms_rrule_parse((const char *) arg, &rec, reason, reasonlen))
				return NULL;
			return icalproperty_new_rrule(rec);
		case 'T':
			return icalproperty_new_status(*(const icalproperty_status *) arg);
		case 'P':
			return icalproperty_new_percentcomplete(100);
		case 'X':
			return icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT);
		case 'a':
			return icalproperty_new_action(ICAL_ACTION_DISPLAY);
		case 'A':
			memset(&trig, 0, sizeof(trig));
			trig.time = icaltime_null_time();
			trig.duration = icaldurationtype_from_int((int) -*(const long long *) arg);
			return icalproperty_new_trigger(trig);
		default:
			isms_set_reason(reason, reasonlen, "no line for the slot '%c'", slot);
			return NULL;
	}
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
	{
		icalproperty *props[] = {w->uid, w->dtstamp, w->created, w->lastmod, w->summary,
		w->description, w->alarm_desc, w->completed};

		for (k = 0; k < (int) (sizeof(props) / sizeof(props[0])); k++)
			if (props[k])
				icalproperty_free(props[k]);
	}
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
	epoch = isms_ical_utc_time(0);
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
 * The same value as isms_ical_utc_time(secs), computed without libical's
 * detour through gmtime.
 */
static struct icaltimetype
utc_time_fast(long long secs)
{
	struct icaltimetype t = icaltime_null_time();

	isms_civil_from_secs(secs, &t.year, &t.month, &t.day, &t.hour, &t.minute, &t.second);
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
	if (!append_cached(w, key, &e->sequence, reason, reasonlen))
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
			if (!append_cached(w, key, e->scope, reason, reasonlen))
				return NULL;
		}
		else if (!append_new_prop(w, make_line('C', e->scope, reason, reasonlen)))
			goto oom;
	}
	if (key_slot_text(key, sizeof(key), 'K', e->kind))
	{
		if (!append_cached(w, key, e->kind, reason, reasonlen))
			return NULL;
	}
	else if (!append_new_prop(w, make_line('K', e->kind, reason, reasonlen)))
		goto oom;

	if (e->timed)
	{
		/* Moments differ row by row: not worth caching. */
		if (!append_new_prop(w, isms_ical_time_prop(ICAL_DTSTART_PROPERTY, e->starts_at, e)))
			goto oom;
		if (e->as_todo)
		{
			if (!append_new_prop(w, isms_ical_time_prop(ICAL_DUE_PROPERTY, e->has_end ? e->ends_at : e->starts_at, e)))
				goto oom;
		}
		else if (e->has_end)
		{
			if (!append_new_prop(w, isms_ical_time_prop(ICAL_DTEND_PROPERTY, e->ends_at, e)))
				goto oom;
		}
	}
	else
	{
		dated		d;

		d.kind = ICAL_DTSTART_PROPERTY;
		d.t = isms_ical_day_time(e->due, 0);
		date_key(key, 'D', d.t);
		if (!append_cached(w, key, &d, reason, reasonlen))
			return NULL;
		if (e->as_todo)
		{
			d.kind = ICAL_DUE_PROPERTY;
			d.t = isms_ical_day_time(e->has_last_day ? e->last_day : e->due, 0);
			date_key(key, 'U', d.t);
		}
		else
		{
			d.kind = ICAL_DTEND_PROPERTY;
			d.t = e->has_last_day ? isms_ical_day_time(e->last_day, 1) : isms_ical_day_time(e->due, 1);
			date_key(key, 'E', d.t);
		}
		if (!append_cached(w, key, &d, reason, reasonlen))
			return NULL;
	}
	if (e->rrule)
	{
		if (key_slot_text(key, sizeof(key), 'R', e->rrule))
		{
			if (!append_cached(w, key, e->rrule, reason, reasonlen))
				return NULL;
		}
		else
		{
			icalproperty *p = make_line('R', e->rrule, reason, reasonlen);

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
	if (!append_cached(w, key, &status, reason, reasonlen))
		return NULL;
	if (e->as_todo && e->status == ISMS_STATUS_DONE)
	{
		icalproperty_set_completed(w->completed, utc_time_fast(e->updated));
		if (!append_prop(w, w->completed))
			goto oom;
		if (!append_cached(w, "P", NULL, reason, reasonlen))
			return NULL;
	}
	if (!e->as_todo && !append_cached(w, "X", NULL, reason, reasonlen))
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
				!append_cached(w, "a", NULL, reason, reasonlen) ||
				!append_cached(w, key, &e->alarm_seconds[i], reason, reasonlen) ||
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
	w->outlen = isms_ical_repair_folds(w->out, w->outlen);
	*len = w->outlen;
	return w->out;

oom:
	isms_set_reason(reason, reasonlen, "out of memory");
	return NULL;
}

const isms_ical_entry *
isms_ical_entry_prepare(const isms_ical_entry *e, isms_ical_clean_entry *c,
						char *reason, size_t reasonlen)
{
	const isms_ical_entry *use;

	memset(c->owned, 0, sizeof(c->owned));
	if (!entry_in_range(e, reason, reasonlen))
		return NULL;
	use = isms_ical_clean_entry_of(e, c);
	if (use == NULL)
		isms_set_reason(reason, reasonlen, "out of memory");
	return use;
}

const char *
isms_ical_writer_entry(isms_ical_writer *w, const isms_ical_entry *e, size_t *len,
					   char *reason, size_t reasonlen)
{
	isms_ical_clean_entry c;
	const isms_ical_entry *use = isms_ical_entry_prepare(e, &c, reason, reasonlen);
	const char *text = use ? writer_entry(w, use, len, reason, reasonlen) : NULL;

	isms_ical_clean_entry_free(&c);
	return text;
}
