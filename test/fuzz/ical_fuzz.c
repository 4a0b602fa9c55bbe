/*
 * ical_fuzz.c: libFuzzer harness for the libical core: RRULE text (parse,
 * then a bounded expansion) and whole calendars (parse and event
 * extraction).  The first byte picks the mode; the rest is the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ical_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_rrule(const char *text)
{
	struct icalrecurrencetype rec;
	char		why[ISMS_ICAL_REASON_LEN];
	struct icaltimetype start = icaltime_null_time();
	icalrecur_iterator *it;
	int			i;

	/* A floating date-time, as the server passes (rrule.c, to_local). */
	start.year = 2024;
	start.month = 2;
	start.day = 29;
	start.hour = 9;
	start.minute = 30;
	start.second = 0;
	start.is_date = 0;

	if (!isms_rrule_parse(text, &rec, why, sizeof(why)))
		return;
	it = icalrecur_iterator_new(rec, start);
	if (it == NULL)
		return;
	/* The server bounds every loop itself; so does the harness. */
	for (i = 0; i < 200; i++)
		if (icaltime_is_null_time(icalrecur_iterator_next(it)))
			break;
	icalrecur_iterator_free(it);
}

static void
fuzz_calendar(const char *text)
{
	char		why[ISMS_ICAL_REASON_LEN];
	isms_ical_event *ev = NULL;
	int			n = isms_ical_events(text, &ev, why, sizeof(why));

	if (n > 0)
	{
		/* Export what was read again, through the same libical code. */
		isms_ical_entry e;
		char	   *out;

		memset(&e, 0, sizeof(e));
		e.uid = ev[0].uid;
		e.kind = ev[0].kind ? ev[0].kind : "audit";
		e.scope = "fuzz";
		e.summary = ev[0].summary ? ev[0].summary : "x";
		e.owner = ev[0].organizer;
		e.due.year = ev[0].start.year;
		e.due.month = ev[0].start.month;
		e.due.day = ev[0].start.day;
		e.sequence = ev[0].sequence;
		e.nalarms = 1;
		e.alarm_seconds[0] = 86400;
		out = isms_ical_entry_text(&e, why, sizeof(why));
		if (out)
			icalmemory_free_buffer(out);
	}
	isms_ical_events_free(ev, n > 0 ? n : 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	initialised = 0;
	char	   *text;

	if (!initialised)
	{
		isms_ical_init();
		initialised = 1;
	}
	if (size < 1)
		return 0;
	text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (data[0] & 1)
		fuzz_calendar(text);
	else
		fuzz_rrule(text);
	free(text);
	return 0;
}
