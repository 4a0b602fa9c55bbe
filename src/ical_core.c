/*
 * ical_core.c: libical calls that need no server (RRULE checks, iCalendar
 * parsing with libical's error text).  Everything libical allocates here is
 * freed before returning, except the component handed to the caller.
 */
#include "ical_core.h"

#include <stdio.h>
#include <string.h>

void
isms_ical_init(void)
{
	icalerror_set_errors_are_fatal(0);
}

static void
set_reason(char *reason, size_t reasonlen, const char *fmt, const char *a, const char *b)
{
	if (reason == NULL || reasonlen == 0)
		return;
	snprintf(reason, reasonlen, fmt, a ? a : "", b ? b : "");
}

/* Does libical accept "FREQ=YEARLY;<part>" (or the part alone if it is FREQ)? */
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

bool
isms_rrule_parse(const char *text, struct icalrecurrencetype *rec,
				 char *reason, size_t reasonlen)
{
	struct icalrecurrencetype r;
	struct icaltimetype start;
	icalrecur_iterator *it;
	char		part[ISMS_RRULE_MAX_LEN + 1];
	size_t		len = strlen(text);
	size_t		i;

	if (len == 0)
	{
		set_reason(reason, reasonlen, "the rule is empty%s%s", NULL, NULL);
		return false;
	}
	if (len > ISMS_RRULE_MAX_LEN)
	{
		set_reason(reason, reasonlen, "the rule is longer than 1024 characters%s%s", NULL, NULL);
		return false;
	}
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) text[i];

		if (c <= ' ' || c >= 0x7f)
		{
			set_reason(reason, reasonlen,
					   "the rule contains a space, a control or a non-ASCII character%s%s",
					   NULL, NULL);
			return false;
		}
	}
	if (strncmp(text, "RRULE:", 6) == 0 || strncmp(text, "rrule:", 6) == 0)
	{
		set_reason(reason, reasonlen, "give the value without the \"RRULE:\" property name%s%s",
				   NULL, NULL);
		return false;
	}

	icalerror_clear_errno();
	r = icalrecurrencetype_from_string(text);
	if (r.freq == ICAL_NO_RECURRENCE)
	{
		const char *why = icalerror_strerror(icalerrno);

		if (icalerrno == ICAL_NO_ERROR)
			set_reason(reason, reasonlen, "FREQ is missing%s%s", NULL, NULL);
		else if (strstr(text, "COUNT=") && strstr(text, "UNTIL="))
			set_reason(reason, reasonlen, "COUNT and UNTIL must not both be given (RFC 5545 3.3.10)%s%s",
					   NULL, NULL);
		else if (find_bad_part(text, part, sizeof(part)))
			set_reason(reason, reasonlen, "libical refuses the part \"%s\" (%s)", part, why);
		else
			set_reason(reason, reasonlen, "libical refuses the rule (%s)%s", why, NULL);
		return false;
	}
	if (strstr(text, "FREQ=") == NULL && strstr(text, "freq=") == NULL)
	{
		set_reason(reason, reasonlen, "FREQ is missing%s%s", NULL, NULL);
		return false;
	}

	/* A rule libical cannot iterate (e.g. BYMONTH=13, February 30) is refused too. */
	start = icaltime_from_day_of_year(1, 2001);
	icalerror_clear_errno();
	it = icalrecur_iterator_new(r, start);
	if (it == NULL)
	{
		set_reason(reason, reasonlen, "libical cannot expand the rule (%s)%s",
				   icalerror_strerror(icalerrno), NULL);
		return false;
	}
	icalrecur_iterator_free(it);
	if (rec)
		*rec = r;
	return true;
}

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

icalcomponent *
isms_ical_parse(const char *text, char *reason, size_t reasonlen)
{
	icalcomponent *root;

	icalerror_clear_errno();
	root = icalparser_parse_string(text);
	if (root == NULL)
	{
		set_reason(reason, reasonlen, "no iCalendar object found (%s)%s",
				   icalerror_strerror(icalerrno), NULL);
		return NULL;
	}
	if (icalcomponent_isa(root) != ICAL_VCALENDAR_COMPONENT)
	{
		set_reason(reason, reasonlen,
				   "the text must hold exactly one VCALENDAR, found %s%s",
				   icalcomponent_isa(root) == ICAL_XROOT_COMPONENT
				   ? "several top-level objects"
				   : icalcomponent_kind_to_string(icalcomponent_isa(root)),
				   NULL);
		icalcomponent_free(root);
		return NULL;
	}
	if (icalcomponent_count_errors(root) > 0)
	{
		const char *e = first_error(root);

		set_reason(reason, reasonlen, "libical: %s%s", e ? e : "parse error", NULL);
		icalcomponent_free(root);
		return NULL;
	}
	return root;
}
