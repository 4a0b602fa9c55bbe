/*
 * ical_core_test.c: unit tests of the libical core: RRULE acceptance and
 * reasons, calendar parsing and its refusals, the export writer (the same
 * bytes as a whole libical component) and time zones.
 */
#include <string.h>
#include <stdlib.h>

#include "unit.h"
#include "ical_core.h"
#include "ical_reference.h"

static void
rule_ok(const char *r)
{
	char		why[ISMS_ICAL_REASON_LEN];

	UNIT_CHECK(isms_rrule_parse(r, NULL, why, sizeof(why)), "rule %s refused: %s", r, why);
}

static void
rule_bad(const char *r, const char *expect)
{
	char		why[ISMS_ICAL_REASON_LEN] = "";

	UNIT_CHECK(!isms_rrule_parse(r, NULL, why, sizeof(why)), "rule %s accepted", r);
	UNIT_CHECK(strstr(why, expect) != NULL, "rule %s: reason \"%s\" lacks \"%s\"", r, why, expect);
}

static void
cal_bad(const char *text, const char *expect)
{
	char		why[ISMS_ICAL_REASON_LEN] = "";
	bool		stopped;
	icalcomponent *c = isms_ical_parse(text, &stopped, why, sizeof(why));

	UNIT_CHECK(c == NULL, "calendar accepted: %s", text);
	UNIT_CHECK(!stopped, "calendar parse reported as stopped: %s", text);
	if (c)
		icalcomponent_free(c);
	UNIT_CHECK(strstr(why, expect) != NULL, "reason \"%s\" lacks \"%s\"", why, expect);
}

/* Export one entry, read it back with the import reader: the round trip keeps what import uses. */
static void
round_trip(void)
{
	isms_ical_entry e;
	char		why[ISMS_ICAL_REASON_LEN];
	char	   *head;
	char	   *body;
	char		cal[8192];
	isms_ical_event *ev = NULL;
	int			n;

	memset(&e, 0, sizeof(e));
	e.uid = "u-1@example.org";
	e.kind = "surveillance_audit";
	e.scope = "default";
	e.owner = "Zo\xc3\xab";
	e.summary = "Surveillance audit, year 1; \"remote\"";
	e.description = "line one\nline two";
	e.rrule = "FREQ=YEARLY";
	e.due.year = 2024;
	e.due.month = 2;
	e.due.day = 29;
	e.has_last_day = true;
	e.last_day = e.due;
	e.last_day.month = 3;
	e.last_day.day = 1;
	e.created = 1767225600;		/* 2026-01-01T00:00:00Z */
	e.updated = 1767229200;
	e.sequence = 3;
	e.nalarms = 2;
	e.alarm_seconds[0] = 7 * 86400;
	e.alarm_seconds[1] = 3600;
	body = ical_reference_entry_text(&e, why, sizeof(why));
	UNIT_CHECK(body != NULL, "entry refused: %s", why);
	if (body == NULL)
		return;
	UNIT_CHECK(strstr(body, "DTSTART;VALUE=DATE:20240229\r\n") != NULL, "all-day start: %s", body);
	UNIT_CHECK(strstr(body, "DTEND;VALUE=DATE:20240302\r\n") != NULL, "exclusive end after last day: %s", body);
	UNIT_CHECK(strstr(body, "SEQUENCE:3\r\n") != NULL, "sequence");
	UNIT_CHECK(strstr(body, "SUMMARY:Surveillance audit\\, year 1\\; \"remote\"\r\n") != NULL, "escaping: %s", body);
	UNIT_CHECK(strstr(body, "TRIGGER:-PT1H\r\n") != NULL, "alarm: %s", body);
	UNIT_CHECK(strstr(body, "RRULE:FREQ=YEARLY\r\n") != NULL, "rrule");
	head = isms_ical_calendar_head("test", "-//t//t//EN");
	UNIT_CHECK(head != NULL && strstr(head, "METHOD:PUBLISH\r\n") != NULL, "head");
	snprintf(cal, sizeof(cal), "%s%s%s", head ? head : "", body, isms_ical_calendar_tail());
	icalmemory_free_buffer(body);
	if (head)
		icalmemory_free_buffer(head);
	n = isms_ical_events(cal, &ev, why, sizeof(why));
	UNIT_CHECK(n == 1, "read back %d events: %s", n, why);
	if (n == 1)
	{
		UNIT_CHECK(strcmp(ev[0].uid, "u-1@example.org") == 0, "uid");
		UNIT_CHECK(strcmp(ev[0].kind, "surveillance_audit") == 0, "kind");
		UNIT_CHECK(strcmp(ev[0].summary, "Surveillance audit, year 1; \"remote\"") == 0, "summary unescaped");
		UNIT_CHECK(ev[0].sequence == 3 && ev[0].start.is_date && ev[0].start.day == 29, "start");
		UNIT_CHECK(ev[0].end.present && ev[0].end.month == 3 && ev[0].end.day == 2, "end");
	}
	isms_ical_events_free(ev, n > 0 ? n : 0);
}

static int	stop_asked;

static bool
stop_after_three(void)
{
	return ++stop_asked >= 3;
}

static bool
never_stop(void)
{
	stop_asked++;
	return false;
}

/*
 * A stop check ends a long parse (everything freed: the fuzz and sanitizer
 * builds would see a leak) and returns ISMS_ICAL_STOPPED; one that never
 * stops changes nothing.  The calendar has 2,000 events (12,000 lines).
 */
static void
stop_check(void)
{
	size_t		cap = 2000 * 120 + 200;
	char	   *big = malloc(cap);
	char	   *p = big;
	isms_ical_event *ev = NULL;
	char		why[256];
	int			i;
	int			n;
	bool		stopped;

	if (big == NULL)
		return;
	p += sprintf(p, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n");
	for (i = 0; i < 2000; i++)
		p += sprintf(p, "BEGIN:VEVENT\r\nUID:e%d@x\r\nDTSTAMP:20260101T000000Z\r\n"
					 "DTSTART;VALUE=DATE:20260301\r\nSUMMARY:x\r\nEND:VEVENT\r\n", i);
	sprintf(p, "END:VCALENDAR\r\n");

	stop_asked = 0;
	isms_ical_set_stop_check(stop_after_three);
	n = isms_ical_events(big, &ev, why, sizeof(why));
	UNIT_CHECK(n == ISMS_ICAL_STOPPED && ev == NULL, "stopped parse: %d", n);
	UNIT_CHECK(strcmp(why, "interrupted") == 0, "stopped reason: %s", why);
	UNIT_CHECK(stop_asked == 3, "asked %d times", stop_asked);
	UNIT_CHECK(isms_ical_parse(big, &stopped, why, sizeof(why)) == NULL && stopped,
			   "isms_ical_parse stopped too");

	stop_asked = 0;
	isms_ical_set_stop_check(never_stop);
	n = isms_ical_events(big, &ev, why, sizeof(why));
	UNIT_CHECK(n == 2000, "never stopped: %d events: %s", n, why);
	/* 12,000 lines and 2,000 events, asked every ISMS_ICAL_STOP_EVERY */
	UNIT_CHECK(stop_asked == 12005 / ISMS_ICAL_STOP_EVERY + 2000 / ISMS_ICAL_STOP_EVERY,
			   "asked %d times", stop_asked);
	isms_ical_events_free(ev, n > 0 ? n : 0);
	isms_ical_set_stop_check(NULL);
	free(big);
}

/* The smallest entry both writers accept: all-day on 2026-01-01. */
static void
minimal_entry(isms_ical_entry *e, const char *uid)
{
	memset(e, 0, sizeof(*e));
	e->uid = uid;
	e->kind = "k";
	e->scope = "s";
	e->summary = "s";
	e->due.year = 2026;
	e->due.month = 1;
	e->due.day = 1;
}

/* The writer's text equals libical's serialisation of the whole component. */
static int	writer_compared = 0;

static void
same_as_component(isms_ical_writer *w, const isms_ical_entry *e, const char *what)
{
	char		why[ISMS_ICAL_REASON_LEN];
	char		why2[ISMS_ICAL_REASON_LEN];
	char	   *ref = ical_reference_entry_text(e, why, sizeof(why));
	size_t		len = 0;
	const char *got = isms_ical_writer_entry(w, e, &len, why2, sizeof(why2));

	UNIT_CHECK(ref != NULL, "%s: reference refused: %s", what, why);
	UNIT_CHECK(got != NULL, "%s: writer refused: %s", what, why2);
	if (ref && got)
	{
		UNIT_CHECK(len == strlen(got), "%s: length", what);
		UNIT_CHECK(strcmp(ref, got) == 0, "%s: writer differs\n%s\n----\n%s", what, ref, got);
		writer_compared++;
	}
	if (ref)
		icalmemory_free_buffer(ref);
}

static void
writer_tests(void)
{
	isms_ical_writer *w = isms_ical_writer_new();
	icaltimezone *berlin = icaltimezone_get_builtin_timezone("Europe/Berlin");
	const char *rules[] = {NULL, "FREQ=YEARLY", "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10", "FREQ=MONTHLY;BYMONTHDAY=-1"};
	const char *summaries[] = {"Review risk R-1: backups; \"offline\", ok",
		"A long summary with non-ASCII text (Zo\xc3\xab M\xc3\xbcller, \xc3\xbcn\xc3\xaf\xc3\xa7\xc3\xb6" "d\xc3\xa9) that libical folds at seventy-five octets; twice over, to be sure",
	"Short"};
	long long	moments[] = {0, -1, -3155760000LL, 951782400LL, 951868799LL, 1767225600LL, 1774746000LL,
	4102444799LL, 32534956800LL};	/* the last: 3000-12-29, a day before the last time written */
	char	   *longscope;
	char		why[ISMS_ICAL_REASON_LEN];
	size_t		len;
	int			round,
				todo,
				status,
				timed,
				r,
				na,
				z,
				m;

	UNIT_CHECK(w != NULL && berlin != NULL, "writer and Europe/Berlin");
	if (w == NULL || berlin == NULL)
		return;
	/* Twice: the second round is served from the writer's cache. */
	for (round = 0; round < 2; round++)
		for (todo = 0; todo < 2; todo++)
			for (status = 0; status < 3; status++)
				for (timed = 0; timed < 4; timed++)
					for (r = 0; r < 4; r++)
						for (na = 0; na < 3; na++)
							for (z = 0; z < 2; z++)
							{
								isms_ical_entry e;
								char		what[128];
								int			k = todo + status + timed + r + na + z;

								memset(&e, 0, sizeof(e));
								e.uid = k % 2 ? "u-1@example.org" : "a-much-longer-uid-0123456789-0123456789-0123456789@isms.example.org";
								e.kind = todo ? "risk_review" : "surveillance_audit";
								e.scope = k % 3 ? "default" : "emea";
								e.owner = k % 4 == 1 ? NULL : "Zo\xc3\xab";
								e.description = k % 3 == 1 ? NULL : "line one\nline two, with; specials \\ here";
								e.summary = summaries[k % 3];
								e.rrule = rules[r];
								e.status = status;
								e.as_todo = todo;
								e.due.year = 2024;
								e.due.month = 2;
								e.due.day = 28 + k % 2;
								e.has_last_day = timed == 2;
								e.last_day.year = 2024;
								e.last_day.month = 3;
								e.last_day.day = 1;
								e.timed = timed == 1 || timed == 3;
								e.starts_at = 1774746000LL + 3600 * k;	/* around 2026-03-29, Berlin's DST change */
								e.has_end = timed == 3;
								e.ends_at = e.starts_at + 5400;
								e.created = moments[k % 9];
								e.updated = moments[(k + 3) % 9];
								e.sequence = k;
								e.nalarms = na == 0 ? 0 : na == 1 ? 1 : 3;
								e.alarm_seconds[0] = 7 * 86400;
								e.alarm_seconds[1] = 3600;
								e.alarm_seconds[2] = 30 * 86400 + 90;
								if (z)
								{
									e.zone = berlin;
									e.tzid = "Europe/Berlin";
								}
								snprintf(what, sizeof(what), "entry %d/%d/%d/%d/%d/%d/%d", round, todo, status, timed, r, na, z);
								same_as_component(w, &e, what);
							}
	UNIT_CHECK(writer_compared == 2 * 2 * 3 * 4 * 4 * 3 * 2, "compared %d entries", writer_compared);

	/* Every moment converts as libical's own gmtime path does (1870 to 3000). */
	for (m = 0; m < 9; m++)
	{
		isms_ical_entry e;

		minimal_entry(&e, "t@x");
		e.created = moments[m];
		e.updated = moments[m] + 86399;
		e.as_todo = true;
		e.status = ISMS_STATUS_DONE;	/* COMPLETED too */
		same_as_component(w, &e, "moment");
	}

	/* A value too long for a cache key is still written, the same way. */
	longscope = malloc(3000);
	if (longscope)
	{
		isms_ical_entry e;

		memset(longscope, 's', 2999);
		longscope[2999] = '\0';
		minimal_entry(&e, "long@x");
		e.scope = longscope;
		same_as_component(w, &e, "long scope");
		free(longscope);
	}

	/* Timed recurring entries in a zone: local wall time with TZID. */
	{
		isms_ical_entry e;
		const char *got;

		memset(&e, 0, sizeof(e));
		e.uid = "tz@x";
		e.kind = "management_review";
		e.scope = "default";
		e.summary = "Weekly";
		e.rrule = "FREQ=WEEKLY";
		e.timed = true;
		e.starts_at = 1774598400LL;	/* 2026-03-27 08:00Z = 09:00 CET */
		e.has_end = true;
		e.ends_at = e.starts_at + 3600;
		e.zone = berlin;
		e.tzid = "Europe/Berlin";
		got = isms_ical_writer_entry(w, &e, &len, why, sizeof(why));
		UNIT_CHECK(got && strstr(got, "DTSTART;TZID=Europe/Berlin:20260327T090000\r\n"), "zoned start: %s", got ? got : why);
		UNIT_CHECK(got && strstr(got, "DTEND;TZID=Europe/Berlin:20260327T100000\r\n"), "zoned end");
		e.starts_at = 1782889200LL;	/* 2026-07-01 07:00Z = 09:00 CEST */
		e.ends_at = e.starts_at + 3600;
		got = isms_ical_writer_entry(w, &e, &len, why, sizeof(why));
		UNIT_CHECK(got && strstr(got, "DTSTART;TZID=Europe/Berlin:20260701T090000\r\n"), "zoned summer start: %s", got ? got : why);
		/* Not recurring: stays in UTC. */
		e.rrule = NULL;
		got = isms_ical_writer_entry(w, &e, &len, why, sizeof(why));
		UNIT_CHECK(got && strstr(got, "DTSTART:20260701T070000Z\r\n"), "one-off stays UTC: %s", got ? got : why);
		/* A bad rule is refused with the reason (never stored, but checked). */
		e.rrule = "FREQ=YEARLY;BYMONTH=13";
		got = isms_ical_writer_entry(w, &e, &len, why, sizeof(why));
		UNIT_CHECK(got == NULL && strstr(why, "outside RFC 5545's range") != NULL, "bad rule: %s", why);
	}
	isms_ical_writer_free(w);

	/* The zone's VTIMEZONE, with the IANA name as TZID. */
	{
		char	   *vtz = isms_ical_vtimezone_text(berlin, "Europe/Berlin", why, sizeof(why));

		UNIT_CHECK(vtz != NULL, "vtimezone: %s", why);
		if (vtz)
		{
			UNIT_CHECK(strncmp(vtz, "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n", 36) == 0, "vtimezone head: %.80s", vtz);
			UNIT_CHECK(strstr(vtz, "BEGIN:DAYLIGHT\r\n") && strstr(vtz, "TZOFFSETTO:+0200\r\n") &&
					   strstr(vtz, "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"), "vtimezone rules");
			UNIT_CHECK(strstr(vtz, "freeassociation") == NULL, "no libical TZID prefix");
			icalmemory_free_buffer(vtz);
		}
	}
}

/* The UID rule: the text, its verdict. */
static void
uid_case(const char *uid, bool expect)
{
	UNIT_CHECK(isms_ical_uid_valid(uid, strlen(uid)) == expect, "uid \"%.40s\" (%zu bytes): want %s",
			   uid, strlen(uid), expect ? "valid" : "refused");
}

/* Both writers refuse what libical would write as 00000000T000000. */
static void
range_tests(void)
{
	isms_ical_writer *w = isms_ical_writer_new();
	char		why[ISMS_ICAL_REASON_LEN];
	size_t		len;
	int			c;

	UNIT_CHECK(w != NULL, "writer");
	if (w == NULL)
		return;
	for (c = 0; c < 8; c++)
	{
		isms_ical_entry e;
		char	   *ref;
		const char *got;
		bool		ok = c % 2 == 0;	/* even cases: the last value accepted */

		minimal_entry(&e, "r@x");
		e.created = e.updated = 1767225600;
		switch (c / 2)
		{
			case 0:				/* due: 3000-12-30 / 3000-12-31 */
				e.due.year = 3000;
				e.due.month = 12;
				e.due.day = ok ? 30 : 31;
				break;
			case 1:				/* due: 0001-01-02 / 0001-01-01 */
				e.due.year = 1;
				e.due.month = 1;
				e.due.day = ok ? 2 : 1;
				break;
			case 2:				/* a timed start: the last second / one after */
				e.timed = true;
				e.starts_at = ISMS_ICAL_LAST_SECS + (ok ? 0 : 1);
				break;
			case 3:				/* a change time: the first second / one before */
				e.updated = ISMS_ICAL_FIRST_SECS - (ok ? 0 : 1);
				break;
		}
		ref = ical_reference_entry_text(&e, why, sizeof(why));
		UNIT_CHECK((ref != NULL) == ok, "range case %d: entry_text %s: %s", c, ok ? "refused" : "accepted", why);
		UNIT_CHECK(ok || strstr(why, "outside the range") != NULL, "range case %d: reason %s", c, why);
		UNIT_CHECK(ref == NULL || strstr(ref, "00000000") == NULL, "range case %d: null time written", c);
		if (ref)
			icalmemory_free_buffer(ref);
		got = isms_ical_writer_entry(w, &e, &len, why, sizeof(why));
		UNIT_CHECK((got != NULL) == ok, "range case %d: writer %s: %s", c, ok ? "refused" : "accepted", why);
	}
	isms_ical_writer_free(w);
}

static void
uid_tests(void)
{
	char		buf[1024];

	uid_case("a@b", true);
	uid_case("0192f0c4-1d2e-7abc-8def-0123456789ab@pg-isms.invalid", true);
	uid_case("a.b_c+d@EXAMPLE.org", true);
	uid_case("\xc3\xa4@b", true);		/* one non-ASCII character */
	uid_case("", false);
	uid_case("@", false);
	uid_case("@b", false);
	uid_case("a@", false);
	uid_case("ab", false);
	uid_case("a@b@c", false);
	uid_case("a b@c", false);
	uid_case("a\tb@c", false);
	uid_case("a\x7f@c", false);
	uid_case("a@b c", false);
	uid_case("a@b_c", false);
	uid_case("a@\xc3\xa4", false);
	/* 200 characters before "@" (400 bytes of "\xc3\xa4"), not 201 */
	memset(buf, 0, sizeof(buf));
	for (int i = 0; i < 200; i++)
		memcpy(buf + 2 * i, "\xc3\xa4", 2);
	strcpy(buf + 400, "@b");
	uid_case(buf, true);
	memmove(buf + 2, buf, 402 + 1);
	memcpy(buf, "\xc3\xa4", 2);
	uid_case(buf, false);
	/* 253 characters after "@", not 254 */
	memset(buf, 'd', 255);
	buf[0] = 'a';
	buf[1] = '@';
	buf[255] = '\0';
	uid_case(buf, true);
	buf[255] = 'd';
	buf[256] = '\0';
	uid_case(buf, false);
	/* the length given, not the NUL, ends the text */
	UNIT_CHECK(isms_ical_uid_valid("a@bXYZ", 3), "length bound");
	UNIT_CHECK(!isms_ical_uid_valid("a@b", 2), "length bound: a@");
}

void
ical_core_test(void)
{
	icalcomponent *c;
	char		why[ISMS_ICAL_REASON_LEN];
	bool		stopped;
	struct icalrecurrencetype rec;

	isms_ical_init();
	rule_ok("FREQ=YEARLY");
	rule_ok("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10");
	rule_ok("FREQ=MONTHLY;BYMONTHDAY=-1");
	rule_ok("FREQ=DAILY;UNTIL=20300101T000000Z");
	UNIT_CHECK(isms_rrule_parse("FREQ=MONTHLY;INTERVAL=3", &rec, NULL, 0) &&
			   rec.freq == ICAL_MONTHLY_RECURRENCE && rec.interval == 3, "parsed fields");
	rule_bad("", "empty");
	/* libical leaks RSCALE's value (rrule_fuzz, LeakSanitizer): never passed on */
	rule_bad("FREQ=WEEKLY;FREQ=MONTHLY;RSCALE=MO;COUNTNT=ERVAL0=4428UNTIL8=", "RSCALE");
	rule_bad("FREQ=YEARLY;rscale=GREGORIAN", "RSCALE");
	rule_bad("BYDAY=MO", "FREQ is missing");
	rule_bad("FREQ=DAILY;COUNT=abc", "COUNT=abc");
	rule_bad("FREQ=DAILY;COUNT=2;UNTIL=20300101", "COUNT and UNTIL");
	rule_bad("RRULE:FREQ=DAILY", "RRULE:");
	rule_bad("FREQ=DAILY COUNT=2", "space");
	rule_bad("FREQ=YEARLY;BYMONTH=13", "outside RFC 5545's range");
	rule_bad("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "no occurrence in 400 years");
	{
		char	   *big = malloc(2000);

		memset(big, 'A', 1999);
		big[1999] = '\0';
		rule_bad(big, "longer than 1024");
		free(big);
	}

	c = isms_ical_parse("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
						"BEGIN:VEVENT\r\nUID:a@b\r\nDTSTAMP:20260101T000000Z\r\n"
						"DTSTART;VALUE=DATE:20260301\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
						&stopped, why, sizeof(why));
	UNIT_CHECK(c != NULL, "good calendar refused: %s", why);
	if (c)
	{
		UNIT_CHECK(icalcomponent_count_components(c, ICAL_VEVENT_COMPONENT) == 1, "one event");
		icalcomponent_free(c);
	}
	cal_bad("", "iCalendar object found");
	cal_bad("hello", "iCalendar object found");
	cal_bad("BEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\n", "VEVENT");
	cal_bad("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:notadate\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
			"libical");
	round_trip();
	stop_check();
	writer_tests();
	uid_tests();
	range_tests();
}
