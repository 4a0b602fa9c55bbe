/*
 * uid_core.h: the rule a calendar UID stored by pg_isms follows, behind
 * isms.uid_is_valid() and the CHECK on isms.reminder.uid.
 */
#ifndef ISMS_UID_CORE_H
#define ISMS_UID_CORE_H

#include <stdbool.h>
#include <stddef.h>

#define ISMS_UID_LOCAL_MAX 200
#define ISMS_UID_DOMAIN_MAX 253

/*
 * Is text[0..len) a local part of 1 to 200 characters (UTF-8) without "@",
 * whitespace or control characters, "@", and a domain of 1 to 253 letters,
 * digits, "." and "-"?
 */
extern bool isms_ical_uid_valid(const char *text, size_t len);

#endif							/* ISMS_UID_CORE_H */
