/*
 * ical_text_core.c: text fixes around libical's writer: control characters
 * and blank values left out of the texts an entry carries (RFC 5545
 * 3.3.11), and the repair of libical 3.0's fold through a CRLF.
 */
#include "ical_text_core.h"

#include <stdlib.h>
#include <string.h>

/*
 * libical 3.0 folds a property line with its CRLF in it: when the fold
 * falls between the CR and the LF (a line whose last fold holds exactly 74
 * octets), it writes CR, CRLF, space, LF, a bare CR and a bare LF that
 * strict parsers refuse.  Undo that in place: CR CR LF SP LF -> CR LF.  A
 * value never holds a CR (libical drops it from text), so the pattern
 * comes from nothing else.  Returns the new length; s stays NUL-terminated.
 */
size_t
isms_ical_repair_folds(char *s, size_t len)
{
	char	   *end = s + len;
	char	   *p;
	char	   *out;

	/* the usual case: no two CRs in a row anywhere, one fast search */
	p = strstr(s, "\r\r");
	if (p == NULL)
		return len;
	out = p;
	while (p < end)
	{
		if (*p == '\r' && end - p >= 5 && memcmp(p, "\r\r\n \n", 5) == 0)
		{
			*out++ = '\r';
			*out++ = '\n';
			p += 5;
		}
		else
			*out++ = *p++;
	}
	*out = '\0';
	return (size_t) (out - s);
}


/*
 * Text values as RFC 5545 3.3.11 allows them: no control character but
 * HTAB and LF (which libical writes as "\n").  libical drops CR itself but
 * writes the other control characters as they are, which strict clients
 * refuse; they are left out here.  A value left empty or blank (spaces
 * and tabs, which parsers drop) is not written, and an empty description
 * or owner counts as none.  text_class: 1 a control character to leave
 * out, 2 a blank (space, tab), 0 anything else.
 */
static const unsigned char text_class[256] = {
	0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 0, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	2, [0x7f] = 1
};

static bool
needs_cleaning(const char *s)
{
	const unsigned char *p = (const unsigned char *) s;
	bool		blank = true;

	if (s == NULL)
		return false;
	/* blank (only spaces and tabs), or holding a control character */
	for (; *p; p++)
	{
		unsigned char k = text_class[*p];

		if (k == 1)
			return true;
		if (k == 0)
			blank = false;
	}
	return blank;
}

static char *
cleaned(const char *s)
{
	char	   *out = malloc(strlen(s) + 1);
	char	   *p = out;

	bool		blank = true;

	if (out == NULL)
		return NULL;
	for (; *s; s++)
	{
		unsigned char k = text_class[(unsigned char) *s];

		if (k == 1)
			continue;
		if (k == 0)
			blank = false;
		*p++ = *s;
	}
	*p = '\0';
	/* only blanks left: nothing a parser would keep */
	if (blank)
		*out = '\0';
	return out;
}

/*
 * The entry to write: e itself when no text needs cleaning (the usual
 * case), else a copy in *c with cleaned copies of its texts (c->owned,
 * zeroed by the caller; free them with clean_entry_free).  NULL when out
 * of memory.
 */
const isms_ical_entry *
isms_ical_clean_entry_of(const isms_ical_entry *e, isms_ical_clean_entry *c)
{
	const char **field[4];
	int			i;

	if (!needs_cleaning(e->summary) && !needs_cleaning(e->description) &&
		!needs_cleaning(e->owner) && !needs_cleaning(e->scope))
		return e;
	c->e = *e;
	field[0] = &c->e.summary;
	field[1] = &c->e.description;
	field[2] = &c->e.owner;
	field[3] = &c->e.scope;
	for (i = 0; i < 4; i++)
	{
		if (*field[i] == NULL || !needs_cleaning(*field[i]))
			continue;
		c->owned[i] = cleaned(*field[i]);
		if (c->owned[i] == NULL)
			return NULL;
		*field[i] = c->owned[i];
	}
	if (c->e.description != NULL && *c->e.description == '\0')
		c->e.description = NULL;
	if (c->e.owner != NULL && *c->e.owner == '\0')
		c->e.owner = NULL;
	return &c->e;
}

void
isms_ical_clean_entry_free(isms_ical_clean_entry *c)
{
	int			i;

	for (i = 0; i < 4; i++)
		free(c->owned[i]);
}
