/*
 * ical_fuzz.c: libFuzzer harness for calendar import (isms_ical_events, the
 * core of isms.ical_import) and the re-export of what was read through the
 * export core.  The whole input is the calendar text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ical_core.h"
#include "ical_reference.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Export the first event read again, through the same libical code. */
static void
reexport(const isms_ical_event *ev)
{
	char		why[ISMS_ICAL_REASON_LEN];
	isms_ical_entry e;
	char	   *out;

	memset(&e, 0, sizeof(e));
	e.uid = ev->uid;
	e.kind = ev->kind ? ev->kind : "audit";
	e.scope = "fuzz";
	e.summary = ev->summary ? ev->summary : "x";
	e.owner = ev->organizer;
	e.due.year = ev->start.year;
	e.due.month = ev->start.month;
	e.due.day = ev->start.day;
	e.timed = ev->start.absolute;
	e.starts_at = ev->start.utc;
	e.sequence = ev->sequence;
	e.status = ev->cancelled ? ISMS_STATUS_CANCELLED : ISMS_STATUS_SCHEDULED;
	e.nalarms = 1;
	e.alarm_seconds[0] = 86400;
	out = ical_reference_entry_text(&e, why, sizeof(why));
	if (out)
		icalmemory_free_buffer(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	initialised = 0;
	char		why[ISMS_ICAL_REASON_LEN];
	isms_ical_event *ev = NULL;
	char	   *text;
	int			n;

	if (!initialised)
	{
		isms_ical_init();
		initialised = 1;
	}
	/* A text value never holds NUL: the server would not pass one either. */
	if (memchr(data, '\0', size) != NULL)
		return 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	n = isms_ical_events(text, &ev, why, sizeof(why));
	if (n > 0)
		reexport(&ev[0]);
	isms_ical_events_free(ev, n > 0 ? n : 0);
	free(text);

	/*
	 * libical keeps its temporary strings in a ring of 2500 buffers (bounded,
	 * not a leak).  Emptying it after each input keeps mallocs equal to
	 * frees, so libFuzzer's leak detection reports real leaks only and does
	 * not rescan the heap after every input.
	 */
	icalmemory_free_ring();
	return 0;
}
