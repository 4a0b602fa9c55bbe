/*
 * ical_core_test.c: unit tests of the libical core: RRULE acceptance and
 * reasons, calendar parsing and its refusals.
 */
#include <string.h>
#include <stdlib.h>

#include "unit.h"
#include "ical_core.h"

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
	icalcomponent *c = isms_ical_parse(text, why, sizeof(why));

	UNIT_CHECK(c == NULL, "calendar accepted: %s", text);
	if (c)
		icalcomponent_free(c);
	UNIT_CHECK(strstr(why, expect) != NULL, "reason \"%s\" lacks \"%s\"", why, expect);
}

void
ical_core_test(void)
{
	icalcomponent *c;
	char		why[ISMS_ICAL_REASON_LEN];
	struct icalrecurrencetype rec;

	isms_ical_init();
	rule_ok("FREQ=YEARLY");
	rule_ok("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10");
	rule_ok("FREQ=MONTHLY;BYMONTHDAY=-1");
	rule_ok("FREQ=DAILY;UNTIL=20300101T000000Z");
	UNIT_CHECK(isms_rrule_parse("FREQ=MONTHLY;INTERVAL=3", &rec, NULL, 0) &&
			   rec.freq == ICAL_MONTHLY_RECURRENCE && rec.interval == 3, "parsed fields");
	rule_bad("", "empty");
	rule_bad("BYDAY=MO", "FREQ is missing");
	rule_bad("FREQ=DAILY;COUNT=abc", "COUNT=abc");
	rule_bad("FREQ=DAILY;COUNT=2;UNTIL=20300101", "COUNT and UNTIL");
	rule_bad("RRULE:FREQ=DAILY", "RRULE:");
	rule_bad("FREQ=DAILY COUNT=2", "space");
	rule_bad("FREQ=YEARLY;BYMONTH=13", "cannot expand");
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
						why, sizeof(why));
	UNIT_CHECK(c != NULL, "good calendar refused: %s", why);
	if (c)
	{
		UNIT_CHECK(icalcomponent_count_components(c, ICAL_VEVENT_COMPONENT) == 1, "one event");
		icalcomponent_free(c);
	}
	cal_bad("", "no iCalendar object");
	cal_bad("hello", "no iCalendar object");
	cal_bad("BEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\n", "VEVENT");
	cal_bad("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:notadate\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
			"libical");
}
