/*
 * ical_reference.h: the tests' one-component reference writer, against
 * which the shipped writer (src/ical_writer_core.c) is compared.
 */
#ifndef ISMS_ICAL_REFERENCE_H
#define ISMS_ICAL_REFERENCE_H

#include "ical_writer_core.h"

/*
 * One reminder as RFC 5545 text built from one libical component (folding,
 * escaping and CRLF are libical's).  Returns malloc'd text (free with
 * icalmemory_free_buffer) or NULL with a reason; every libical object is
 * freed before returning.
 */
extern char *ical_reference_entry_text(const isms_ical_entry *e, char *reason, size_t reasonlen);

#endif							/* ISMS_ICAL_REFERENCE_H */
