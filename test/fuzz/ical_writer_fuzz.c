/*
 * ical_writer_fuzz.c: libFuzzer harness for the calendar export core: one
 * reminder built from the input (the values a row of isms.reminder can
 * hold: a UID that passes isms_ical_uid_valid, valid UTF-8 text without
 * NUL, a non-blank summary, a scope id, one of a few RRULEs (the rrule
 * harness fuzzes RRULE text; here libical's RRULE parse would cost more
 * than the rest), dates and times in the range the table's checks allow)
 * is written by both writers, and
 *  - the row writer (isms_ical_writer_entry) and the component writer
 *    (ical_reference_entry_text, test/unit/ical_reference.c) give the same bytes;
 *  - the text is RFC 5545 lines: CRLF only, at most 75 octets each, no
 *    UTF-8 character split by a fold;
 *  - a VEVENT read back by the import core (isms_ical_events) has the same
 *    UID, SEQUENCE and SUMMARY (less the control characters the export
 *    leaves out, RFC 5545 3.3.11).
 * Input: 24 bytes of numbers, then NUL-separated uid, summary, description,
 * owner, scope.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ical_core.h"
#include "ical_reference.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NUMBERS 24

static bool
utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *) s;

	while (*p)
	{
		int			n = *p < 0x80 ? 0 : (*p & 0xe0) == 0xc0 ? 1 : (*p & 0xf0) == 0xe0 ? 2 :
			(*p & 0xf8) == 0xf0 ? 3 : -1;
		unsigned int cp;

		if (n < 0)
			return false;
		cp = n == 0 ? *p : *p & (0x3f >> n);
		p++;
		for (int i = 0; i < n; i++, p++)
		{
			if ((*p & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (*p & 0x3f);
		}
		/* overlong, surrogate or beyond U+10FFFF: PostgreSQL refuses them */
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
			(cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;
	}
	return true;
}

/* isms.scope.id's check: ^[a-z0-9][a-z0-9_.-]{0,62}$ */
static bool
scope_valid(const char *s)
{
	size_t		n = strlen(s);

	if (n == 0 || n > 63 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_.-") == n;
}

/* Days from 0001-01-02 to a date (proleptic Gregorian), as the harness picks them. */
static isms_ical_date
day_from(unsigned int n)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	isms_ical_date d = {1, 1, 2};

	/* years 1 to 3000 by the number, then a month and a valid day */
	d.year = 1 + (int) (n % 3000);
	d.month = 1 + (int) ((n / 3000) % 12);
	d.day = 1 + (int) ((n / 36000) % 31);
	{
		int			leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
		int			max = mdays[d.month - 1] + (d.month == 2 && leap);

		if (d.day > max)
			d.day = max;
	}
	if (d.year == 1 && d.month == 1 && d.day < 2)
		d.day = 2;
	if (d.year == 3000 && d.month == 12 && d.day > 29)
		d.day = 29;				/* leaves a day for the last day below */
	return d;
}

static long long
secs_from(unsigned long long n)
{
	return ISMS_ICAL_FIRST_SECS + (long long) (n % (unsigned long long) (ISMS_ICAL_LAST_SECS - ISMS_ICAL_FIRST_SECS));
}

static unsigned long long
take(const uint8_t *p, int n)
{
	unsigned long long v = 0;

	for (int i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

/* CRLF lines of at most 75 octets, folds only between UTF-8 characters. */
static void
check_lines(const char *t, size_t len)
{
	size_t		start = 0;

	for (size_t i = 0; i < len; i++)
	{
		if (t[i] == '\r')
		{
			if (i + 1 >= len || t[i + 1] != '\n')
				abort();		/* bare CR */
			if (i - start > 75)
				abort();		/* line longer than 75 octets */
			/* a fold (CRLF then a space) must not split a character */
			if (i + 2 < len && t[i + 2] == ' ' && i + 3 < len &&
				((unsigned char) t[i + 3] & 0xc0) == 0x80)
				abort();
			start = i + 2;
			i++;
		}
		else if (t[i] == '\n')
			abort();			/* bare LF */
	}
	if (start != len)
		abort();				/* text does not end with CRLF */
}

/*
 * The summary as read back: control characters but TAB and LF left out by
 * the export, leading and trailing blanks dropped by libical's parser, no
 * SUMMARY at all when only blanks were left.
 */
static bool
same_summary(const char *sent, const char *got)
{
	char	   *want = malloc(strlen(sent) + 1);
	size_t		n = 0;
	bool		same;

	if (want == NULL)
		return true;
	for (const unsigned char *s = (const unsigned char *) sent; *s; s++)
		if (!((*s < 0x20 && *s != '\t' && *s != '\n') || *s == 0x7f))
			want[n++] = (char) *s;
	while (n > 0 && (want[n - 1] == ' ' || want[n - 1] == '\t'))
		n--;
	want[n] = '\0';
	if (got == NULL)
		same = strspn(want, " \t") == n;
	else
	{
		size_t		lead = strspn(want, " \t");
		size_t		g;

		got += strspn(got, " \t");
		g = strlen(got);
		while (g > 0 && (got[g - 1] == ' ' || got[g - 1] == '\t'))
			g--;
		same = g == n - lead && memcmp(want + lead, got, g) == 0;
	}
	free(want);
	return same;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	initialised = 0;
	static isms_ical_writer *w = NULL;
	static const char *kinds[] = {"risk_review", "surveillance_audit", "certificate_expiry", "treatment_due"};
	static const char *rules[] = {"FREQ=HOURLY;COUNT=3", "FREQ=YEARLY", "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10",
		"FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=DAILY;INTERVAL=3;UNTIL=20301231T235959Z",
	"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"};
	char		why[ISMS_ICAL_REASON_LEN];
	char		why2[ISMS_ICAL_REASON_LEN];
	const char *field[5] = {NULL, NULL, NULL, NULL, NULL};
	isms_ical_entry e;
	char	   *text;
	char	   *p;
	char	   *ref;
	const char *got;
	size_t		len = 0;
	int			nf = 0;
	unsigned int flags;

	if (!initialised)
	{
		isms_ical_init();
		w = isms_ical_writer_new();
		if (w == NULL)
			abort();
		initialised = 1;
	}
	if (size < NUMBERS + 1)
		return 0;
	/* the text part: NUL-separated fields */
	text = malloc(size - NUMBERS + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data + NUMBERS, size - NUMBERS);
	text[size - NUMBERS] = '\0';
	for (p = text; nf < 5 && p <= text + (size - NUMBERS); p += strlen(p) + 1)
		field[nf++] = p;
	memset(&e, 0, sizeof(e));
	e.uid = field[0];
	e.summary = field[1] ? field[1] : "";
	e.description = field[2] && *field[2] ? field[2] : NULL;
	e.owner = field[3] && *field[3] ? field[3] : NULL;
	e.scope = field[4] && *field[4] ? field[4] : "default";
	/* what the table's checks guarantee */
	if (e.uid == NULL || !isms_ical_uid_valid(e.uid, strlen(e.uid)) || !utf8_valid(e.uid) ||
		strspn(e.summary, " ") == strlen(e.summary) ||
		!utf8_valid(e.summary) || (e.description && !utf8_valid(e.description)) ||
		(e.owner && !utf8_valid(e.owner)) || !scope_valid(e.scope))
	{
		free(text);
		icalmemory_free_ring();
		return 0;
	}
	flags = (unsigned int) take(data, 2);
	e.kind = kinds[flags & 3];
	e.status = (int) ((flags >> 2) % 3);
	e.as_todo = (flags >> 4) & 1;
	e.timed = (flags >> 5) & 1;
	e.has_end = e.timed && ((flags >> 6) & 1);
	e.has_last_day = !e.timed && ((flags >> 7) & 1);
	if ((flags >> 8) & 1)
	{
		e.zone = icaltimezone_get_builtin_timezone((flags >> 9) & 1 ? "Europe/Berlin" : "America/New_York");
		e.tzid = (flags >> 9) & 1 ? "Europe/Berlin" : "America/New_York";
	}
	e.nalarms = (int) ((flags >> 10) % (ISMS_ICAL_MAX_ALARMS + 1));
	e.sequence = (int) take(data + 2, 3);
	/* one input in eight recurs: libical expands a rule to check it, slowly */
	e.rrule = data[5] < 224 ? NULL : rules[data[5] % (sizeof(rules) / sizeof(rules[0]))];
	e.due = day_from((unsigned int) take(data + 6, 3));
	if (e.has_last_day)
	{
		/* a later day of the same month, or the same day */
		e.last_day = e.due;
		if (e.last_day.day < 28)
			e.last_day.day += data[9] % (28 - e.last_day.day + 1);
	}
	e.starts_at = secs_from(take(data + 10, 5));
	if (e.has_end)
	{
		e.ends_at = e.starts_at + 1 + (long long) take(data + 15, 3);
		if (e.ends_at > ISMS_ICAL_LAST_SECS)
			e.has_end = false;
	}
	e.created = secs_from(take(data + 18, 3) * 100003ULL);
	e.updated = e.created + (long long) take(data + 21, 3);
	if (e.updated > ISMS_ICAL_LAST_SECS)
		e.updated = e.created;
	for (int i = 0; i < e.nalarms; i++)
		e.alarm_seconds[i] = (long long) ((data[i % NUMBERS] * 7919LL + i * 86400LL) % (366 * 86400LL));

	ref = ical_reference_entry_text(&e, why, sizeof(why));
	got = isms_ical_writer_entry(w, &e, &len, why2, sizeof(why2));
	if ((ref == NULL) != (got == NULL))
		abort();				/* one writer refused, the other did not */
	if (ref != NULL)
	{
		if (strlen(ref) != len || memcmp(ref, got, len) != 0)
			abort();			/* the writers differ */
		check_lines(ref, len);
		if (!e.as_todo)
		{
			char	   *head = isms_ical_calendar_head("fuzz", "-//fuzz//EN");
			const char *tail = isms_ical_calendar_tail();
			size_t		hl = head ? strlen(head) : 0;
			char	   *cal = head ? malloc(hl + len + strlen(tail) + 1) : NULL;

			if (cal != NULL)
			{
				isms_ical_event *ev = NULL;
				int			n;

				memcpy(cal, head, hl);
				memcpy(cal + hl, ref, len);
				strcpy(cal + hl + len, tail);
				n = isms_ical_events(cal, &ev, why, sizeof(why));
				if (n != 1)
				{
					fprintf(stderr, "read back %d events: %s\n%s", n, why, cal);
					abort();
				}
				if (strcmp(ev[0].uid, e.uid) != 0 || ev[0].sequence != e.sequence ||
					!same_summary(e.summary, ev[0].summary))
				{
					fprintf(stderr, "round trip differs: uid %s/%s, sequence %d/%d, summary [%s]/[%s]\n%s", e.uid, ev[0].uid, e.sequence, ev[0].sequence, e.summary,
							ev[0].summary ? ev[0].summary : "(null)", cal);
					abort();
				}
				isms_ical_events_free(ev, n);
				free(cal);
			}
			if (head)
				icalmemory_free_buffer(head);
		}
		icalmemory_free_buffer(ref);
	}
	free(text);
	/* libical's ring of temporary strings: see ical_fuzz.c. */
	icalmemory_free_ring();
	return 0;
}
