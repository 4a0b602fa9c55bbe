/*
 * rrule_parse_core.c: RRULE validation (isms_rrule_parse, behind
 * isms.rrule_is_valid and every stored rule): libical's parser, then the
 * RFC 5545 rules libical does not enforce, with a reason naming the part.
 */
#include "rrule_core.h"
#include "reason_core.h"
#include "rrule_expand_core.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

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

/* Does p start with "RSCALE=" in any case? */
static bool
starts_rscale(const char *p)
{
	const char *k = "RSCALE=";

	for (; *k; k++, p++)
		if (toupper((unsigned char) *p) != *k)
			return false;
	return true;
}

/*
 * Does the rule occur at all, from some DTSTART?  The Gregorian calendar
 * repeats every 400 years, weekdays included, so a rule with no occurrence
 * from 2001 to 2400 has none ever.  A search that a sparse sub-daily rule makes long is cut
 * after a few bounded steps and the rule taken (its expansion is bounded
 * too).
 */
static bool
has_occurrence(const struct icalrecurrencetype *r)
{
	struct icalrecurrencetype probe = *r;
	struct icaltimetype start = icaltime_null_time();
	struct icaltimetype stop = icaltime_null_time();
	struct icaltimetype t;
	isms_rrule_iter *it;
	int			rc = ISMS_RRULE_PAUSE;
	int			steps;

	/*
	 * What makes a rule occur or not without depending on DTSTART: INTERVAL
	 * 1 (a coarser grid only picks among these), and for weeks of the year
	 * without a day, every weekday (the expansion takes DTSTART's).
	 */
	probe.count = 0;
	probe.until = icaltime_null_time();
	probe.interval = 1;
	if (probe.by_week_no[0] != ICAL_RECURRENCE_ARRAY_MAX &&
		probe.by_day[0] == ICAL_RECURRENCE_ARRAY_MAX &&
		probe.by_month_day[0] == ICAL_RECURRENCE_ARRAY_MAX &&
		probe.by_year_day[0] == ICAL_RECURRENCE_ARRAY_MAX)
	{
		int			i;

		for (i = 0; i < 7; i++)
			probe.by_day[i] = (short) (ICAL_SUNDAY_WEEKDAY + i);
		probe.by_day[7] = ICAL_RECURRENCE_ARRAY_MAX;
	}
	start.year = 2001;
	start.month = 1;
	start.day = 1;
	stop.year = 2401;
	stop.month = 1;
	stop.day = 1;
	it = isms_rrule_iter_new(&probe, start, icaltime_null_time(), ISMS_RRULE_ANY_PATH);
	if (it == NULL)
		return false;
	isms_rrule_iter_stop_after(it, stop);
	for (steps = 0; steps < 8 && rc == ISMS_RRULE_PAUSE; steps++)
		rc = isms_rrule_iter_next(it, &t);
	isms_rrule_iter_free(it);
	return rc != ISMS_RRULE_END;
}

bool
isms_rrule_parse(const char *text, struct icalrecurrencetype *rec,
				 char *reason, size_t reasonlen)
{
	struct icalrecurrencetype r;
	char		part[ISMS_RRULE_MAX_LEN + 1];
	size_t		len = strlen(text);
	size_t		i;

	if (len == 0)
	{
		isms_set_reason(reason, reasonlen, "the rule is empty");
		return false;
	}
	if (len > ISMS_RRULE_MAX_LEN)
	{
		isms_set_reason(reason, reasonlen, "the rule is longer than 1024 characters");
		return false;
	}
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) text[i];

		if (c <= ' ' || c >= 0x7f)
		{
			isms_set_reason(reason, reasonlen,
							"the rule contains a space, a control or a non-ASCII character");
			return false;
		}
	}
	/*
	 * RSCALE (RFC 7529): libical strdup()s its value into the rule and never
	 * frees it, not even when it then refuses the rule (rrule_fuzz found
	 * the leak), so it never reaches libical.
	 */
	for (i = 0; i + 7 <= len; i++)
		if ((i == 0 || text[i - 1] == ';') && starts_rscale(text + i))
		{
			isms_set_reason(reason, reasonlen,
							"RSCALE (non-Gregorian calendars, RFC 7529) is not supported");
			return false;
		}
	if (strncmp(text, "RRULE:", 6) == 0 || strncmp(text, "rrule:", 6) == 0)
	{
		isms_set_reason(reason, reasonlen, "give the value without the \"RRULE:\" property name");
		return false;
	}

	icalerror_clear_errno();
	r = icalrecurrencetype_from_string(text);
	if (r.freq == ICAL_NO_RECURRENCE)
	{
		const char *why = icalerror_strerror(icalerrno);

		if (icalerrno == ICAL_NO_ERROR)
			isms_set_reason(reason, reasonlen, "FREQ is missing");
		else if (strstr(text, "COUNT=") && strstr(text, "UNTIL="))
			isms_set_reason(reason, reasonlen, "COUNT and UNTIL must not both be given (RFC 5545 3.3.10)");
		else if (find_bad_part(text, part, sizeof(part)))
			isms_set_reason(reason, reasonlen, "libical refuses the part \"%s\" (%s)", part, why);
		else
			isms_set_reason(reason, reasonlen, "libical refuses the rule (%s)", why);
		return false;
	}
	if (strstr(text, "FREQ=") == NULL && strstr(text, "freq=") == NULL)
	{
		isms_set_reason(reason, reasonlen, "FREQ is missing");
		return false;
	}

	/* RFC 5545's rules and ranges, as rrule_expand_core.c expands them */
	if (!isms_rrule_expand_check(&r, reason, reasonlen))
		return false;
	if (!has_occurrence(&r))
	{
		isms_set_reason(reason, reasonlen,
						"the rule has no occurrence in 400 years (a day no month has, such as 30 February)");
		return false;
	}
	if (rec)
		*rec = r;
	return true;
}
