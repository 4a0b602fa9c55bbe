/*
 * rrule_fuzz.c: libFuzzer harness for RRULE text: isms_rrule_parse (the
 * check behind isms.rrule_is_valid), then the server's bounded expansion
 * (rrule_core: direct, and windowed libical) from two starts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ical_core.h"
#include "rrule_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Expand as isms.rrule_occurrences does, with a bound on work: the server
 * checks for interrupts after each call (and stops at max_count or the
 * range end); the harness stops after 100 occurrences or 2 search windows
 * without one (a window is a few thousand libical steps).
 */
static void
expand(const struct icalrecurrencetype *rec, struct icaltimetype start, bool direct)
{
	isms_rrule_iter *it = isms_rrule_iter_new(rec, start, icaltime_null_time(),
											  direct ? ISMS_RRULE_ANY_PATH : ISMS_RRULE_EXPAND_PATH);
	struct icaltimetype t;
	int			found = 0;
	int			pauses = 0;

	if (it == NULL)
		return;
	while (found < 100 && pauses < 2)
	{
		int			rc = isms_rrule_iter_next(it, &t);

		if (rc == ISMS_RRULE_END)
			break;
		if (rc == ISMS_RRULE_PAUSE)
			pauses++;
		else
			found++;
	}
	isms_rrule_iter_free(it);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	initialised = 0;
	struct icalrecurrencetype rec;
	struct icaltimetype start = icaltime_null_time();
	char		why[ISMS_ICAL_REASON_LEN];
	char	   *text;

	if (!initialised)
	{
		isms_ical_init();
		initialised = 1;
	}
	/* The server refuses longer rules before libical sees them. */
	if (size > ISMS_RRULE_MAX_LEN + 1 || memchr(data, '\0', size) != NULL)
		return 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (isms_rrule_parse(text, &rec, why, sizeof(why)))
	{
		/* A floating date-time, as the server passes (rrule.c, to_local). */
		start.year = 2024;
		start.month = 2;
		start.day = 29;
		start.hour = 9;
		start.minute = 30;
		start.is_date = 0;
		expand(&rec, start, true);
		/* and windowed libical from a time the spring DST change skips */
		start.year = 2026;
		start.month = 3;
		start.day = 29;
		start.hour = 2;
		expand(&rec, start, false);
	}
	free(text);
	/* libical's ring of temporary strings: see ical_fuzz.c. */
	icalmemory_free_ring();
	return 0;
}
