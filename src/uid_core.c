/*
 * uid_core.c: the calendar UID rule (isms_ical_uid_valid), byte by byte:
 * the local part counted in UTF-8 characters, the domain in octets.
 */
#include "uid_core.h"

bool
isms_ical_uid_valid(const char *text, size_t len)
{
	size_t		i = 0;
	size_t		chars = 0;
	size_t		domain;

	/* the local part: characters up to "@", counted as UTF-8 lead bytes */
	for (; i < len && text[i] != '@'; i++)
	{
		unsigned char c = (unsigned char) text[i];

		if (c <= 0x20 || c == 0x7f)
			return false;
		if ((c & 0xc0) != 0x80 && ++chars > ISMS_UID_LOCAL_MAX)
			return false;
	}
	if (chars == 0 || i == len)
		return false;
	/* "@", then the domain */
	domain = len - ++i;
	if (domain == 0 || domain > ISMS_UID_DOMAIN_MAX)
		return false;
	for (; i < len; i++)
	{
		unsigned char c = (unsigned char) text[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '.' || c == '-'))
			return false;
	}
	return true;
}
