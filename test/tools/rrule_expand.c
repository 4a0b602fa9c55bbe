/*
 * rrule_expand.c: the C core's RRULE expansion on the command line, for the
 * differential suite test/suites/402_rrule_dateutil.sh.  Each input line is
 * "ID RULE DTSTART MAX END" (wall times yyyymmddThhmmss); each output line
 * is "ID occ;occ;..." (at most MAX, none after END), or "ID refused".
 */
#include <stdio.h>
#include <string.h>

#include "ical_core.h"

static struct icaltimetype
wall(const char *s)
{
	struct icaltimetype t = icaltime_null_time();

	if (sscanf(s, "%4d%2d%2dT%2d%2d%2d", &t.year, &t.month, &t.day,
			   &t.hour, &t.minute, &t.second) != 6)
		return icaltime_null_time();
	t.is_date = 0;
	t.zone = NULL;
	return t;
}

int
main(void)
{
	char		line[4096];

	isms_ical_init();
	while (fgets(line, sizeof(line), stdin))
	{
		char		id[64],
					rule[ISMS_RRULE_MAX_LEN + 1],
					start[32],
					end[32];
		int			max;
		struct icalrecurrencetype rec;
		isms_rrule_iter *it;
		struct icaltimetype t;
		int			n = 0;
		long		pauses = 0;

		if (sscanf(line, "%63s %1024s %31s %d %31s", id, rule, start, &max, end) != 5)
			continue;
		if (!isms_rrule_parse(rule, &rec, NULL, 0) ||
			(it = isms_rrule_iter_new(&rec, wall(start), icaltime_null_time(),
									  ISMS_RRULE_ANY_PATH)) == NULL)
		{
			printf("%s refused\n", id);
			continue;
		}
		isms_rrule_iter_stop_after(it, wall(end));
		printf("%s ", id);
		while (n < max && pauses < 100000)
		{
			int			rc = isms_rrule_iter_next(it, &t);

			if (rc == ISMS_RRULE_END)
				break;
			if (rc == ISMS_RRULE_PAUSE)
			{
				pauses++;
				continue;
			}
			if (icaltime_compare(t, wall(end)) > 0)
				break;
			printf("%s%04d%02d%02dT%02d%02d%02d", n ? ";" : "", t.year, t.month, t.day,
				   t.hour, t.minute, t.second);
			n++;
		}
		printf("\n");
		isms_rrule_iter_free(it);
		icalmemory_free_ring();
	}
	return 0;
}
