/*
 * ical_reference.c: the reference writer of the tests (unit tests and the
 * ical_writer fuzz harness): one reminder as one whole libical component,
 * the plain way, which the shipped cached writer must match byte for byte.
 */
#include "ical_reference.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ical_text_core.h"
#include "reason_core.h"
#include "rrule_core.h"

static char *
entry_text(const isms_ical_entry *e, char *reason, size_t reasonlen)
{
	icalcomponent *c;
	icalproperty *p;
	char	   *desc = NULL;
	char	   *text;
	int			i;

	c = icalcomponent_new(e->as_todo ? ICAL_VTODO_COMPONENT : ICAL_VEVENT_COMPONENT);
	if (c == NULL)
	{
		isms_set_reason(reason, reasonlen, "libical could not allocate a component");
		return NULL;
	}
	icalcomponent_add_property(c, icalproperty_new_uid(e->uid));
	icalcomponent_add_property(c, icalproperty_new_dtstamp(isms_ical_utc_time(e->updated)));
	icalcomponent_add_property(c, icalproperty_new_created(isms_ical_utc_time(e->created)));
	icalcomponent_add_property(c, icalproperty_new_lastmodified(isms_ical_utc_time(e->updated)));
	icalcomponent_add_property(c, icalproperty_new_sequence(e->sequence));
	if (*e->summary)
		icalcomponent_add_property(c, icalproperty_new_summary(e->summary));

	if (e->description || e->owner)
	{
		size_t		n = (e->description ? strlen(e->description) : 0) +
			(e->owner ? strlen(e->owner) : 0) + 16;

		desc = malloc(n);
		if (desc)
		{
			snprintf(desc, n, "%s%s%s",
					 e->description ? e->description : "",
					 e->owner ? (e->description ? "\nOwner: " : "Owner: ") : "",
					 e->owner ? e->owner : "");
			icalcomponent_add_property(c, icalproperty_new_description(desc));
			free(desc);
		}
	}
	if (*e->scope)
		icalcomponent_add_property(c, icalproperty_new_categories(e->scope));
	icalcomponent_add_property(c, isms_ical_x_prop("X-PG-ISMS-KIND", e->kind));

	/*
	 * When: all-day dates (no time zone involved), UTC times, or for a
	 * timed recurring entry local times of its zone with TZID.
	 */
	if (e->timed)
	{
		icalcomponent_add_property(c, isms_ical_time_prop(ICAL_DTSTART_PROPERTY, e->starts_at, e));
		if (e->as_todo)
			icalcomponent_add_property(c, isms_ical_time_prop(ICAL_DUE_PROPERTY, e->has_end ? e->ends_at : e->starts_at, e));
		else if (e->has_end)
			icalcomponent_add_property(c, isms_ical_time_prop(ICAL_DTEND_PROPERTY, e->ends_at, e));
	}
	else
	{
		icalcomponent_add_property(c, icalproperty_new_dtstart(isms_ical_day_time(e->due, 0)));
		if (e->as_todo)
			icalcomponent_add_property(c, icalproperty_new_due(isms_ical_day_time(e->has_last_day ? e->last_day : e->due, 0)));
		else
			icalcomponent_add_property(c, icalproperty_new_dtend(e->has_last_day ? isms_ical_day_time(e->last_day, 1)
																 : isms_ical_day_time(e->due, 1)));
	}
	if (e->rrule)
	{
		struct icalrecurrencetype rec;

		if (!isms_rrule_parse(e->rrule, &rec, reason, reasonlen))
		{
			icalcomponent_free(c);
			return NULL;
		}
		icalcomponent_add_property(c, icalproperty_new_rrule(rec));
	}

	switch (e->status)
	{
		case ISMS_STATUS_CANCELLED:
			p = icalproperty_new_status(ICAL_STATUS_CANCELLED);
			break;
		case ISMS_STATUS_DONE:
			p = icalproperty_new_status(e->as_todo ? ICAL_STATUS_COMPLETED : ICAL_STATUS_CONFIRMED);
			break;
		default:
			p = icalproperty_new_status(e->as_todo ? ICAL_STATUS_NEEDSACTION : ICAL_STATUS_CONFIRMED);
			break;
	}
	icalcomponent_add_property(c, p);
	if (e->as_todo && e->status == ISMS_STATUS_DONE)
	{
		icalcomponent_add_property(c, icalproperty_new_completed(isms_ical_utc_time(e->updated)));
		icalcomponent_add_property(c, icalproperty_new_percentcomplete(100));
	}
	/* Shown as free time: a deadline does not block the calendar. */
	if (!e->as_todo)
		icalcomponent_add_property(c, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));

	/* Alarms only for what is still to be done. */
	if (e->status == ISMS_STATUS_SCHEDULED)
	{
		for (i = 0; i < e->nalarms && i < ISMS_ICAL_MAX_ALARMS; i++)
		{
			icalcomponent *a = icalcomponent_new(ICAL_VALARM_COMPONENT);
			struct icaltriggertype trig;

			memset(&trig, 0, sizeof(trig));
			trig.time = icaltime_null_time();
			trig.duration = icaldurationtype_from_int((int) -e->alarm_seconds[i]);
			icalcomponent_add_property(a, icalproperty_new_action(ICAL_ACTION_DISPLAY));
			icalcomponent_add_property(a, icalproperty_new_trigger(trig));
			icalcomponent_add_property(a, icalproperty_new_description(*e->summary ? e->summary : "Reminder"));
			icalcomponent_add_component(c, a);
		}
	}

	text = icalcomponent_as_ical_string_r(c);
	icalcomponent_free(c);
	if (text == NULL)
		isms_set_reason(reason, reasonlen, "libical could not serialise a component");
	else
		isms_ical_repair_folds(text, strlen(text));
	return text;
}

char *
ical_reference_entry_text(const isms_ical_entry *e, char *reason, size_t reasonlen)
{
	isms_ical_clean_entry c;
	const isms_ical_entry *use = isms_ical_entry_prepare(e, &c, reason, reasonlen);
	char	   *text = use ? entry_text(use, reason, reasonlen) : NULL;

	isms_ical_clean_entry_free(&c);
	return text;
}
