/*
 * ical_text_core.h: text fixes around libical's writer: what an exported
 * text may hold (RFC 5545 3.3.11) and the repair of libical 3.0's folds.
 */
#ifndef ISMS_ICAL_TEXT_CORE_H
#define ISMS_ICAL_TEXT_CORE_H

#include <stddef.h>

#include "ical_writer_core.h"

/*
 * libical 3.0 folds a property line with its CRLF in it (CR, CRLF, space,
 * LF); undo that in place in s[0..len).  Returns the new length; s stays
 * NUL-terminated.
 */
extern size_t isms_ical_repair_folds(char *s, size_t len);

/*
 * The entry with its texts cleaned: e itself when no text needs it (the
 * usual case), else c->e with cleaned copies of its texts in c->owned
 * (zeroed by the caller; free them with isms_ical_clean_entry_free).  A
 * description or owner left empty counts as none.  NULL when out of memory.
 */
extern const isms_ical_entry *isms_ical_clean_entry_of(const isms_ical_entry *e,
													   isms_ical_clean_entry *c);

#endif							/* ISMS_ICAL_TEXT_CORE_H */
