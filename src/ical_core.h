/*
 * ical_core.h: everything the server glue needs of the libical cores, in
 * one include: parsing and import, the export writer, the UID rule and the
 * RRULE check, each in its own ical_*_core / uid_core / rrule_core file.
 */
#ifndef ISMS_ICAL_CORE_H
#define ISMS_ICAL_CORE_H

#include <libical/ical.h>

#include "reason_core.h"
#include "ical_parse_core.h"
#include "ical_writer_core.h"
#include "rrule_core.h"
#include "uid_core.h"

/* Call once per process: libical must report errors, never abort. */
static inline void
isms_ical_init(void)
{
	icalerror_set_errors_are_fatal(0);
}

#endif							/* ISMS_ICAL_CORE_H */
