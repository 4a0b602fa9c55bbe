/*
 * cvss_fuzz.c: libFuzzer harness of the CVSS core: any bytes either fail
 * to parse with an error code or give a valid vector whose canonical text
 * parses back to the same bytes; raw 20-byte images go through validation.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cvss_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_vector(const cvss_vector *v)
{
	char		out[CVSS_TEXT_MAX];
	cvss_vector w;
	cvss_error	e;
	size_t		len;
	int			s;

	if (cvss_validate(v, &e) != CVSS_OK)
		abort();
	len = cvss_format(v, out);
	if (len >= CVSS_TEXT_MAX || strlen(out) != len)
		abort();
	if (cvss_parse(out, len, &w, &e) != CVSS_OK)
		abort();
	if (memcmp(v->m, w.m, sizeof(w.m)) != 0 || v->version != w.version)
		abort();
	s = cvss_score(v);
	if (s < 0 || s > 100 || s != w.score)
		abort();
	s = cvss_base_score(v);
	if (s < 0 || s > 100)
		abort();
	if (v->version != CVSS_V40)
	{
		if (cvss_temporal_score(v) < 0 || cvss_temporal_score(v) > 100 ||
			cvss_environmental_score(v) < 0 || cvss_environmental_score(v) > 100)
			abort();
	}
	if (cvss_compare(v, &w) != 0 && v->score == w.score)
		abort();
	(void) cvss_severity(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cvss_vector v;
	cvss_error	e;

	if (cvss_parse((const char *) data, size, &v, &e) == CVSS_OK)
		check_vector(&v);
	else if (e.code == CVSS_OK)
		abort();

	/* the same bytes as a stored image, as binary input would see it */
	if (size >= sizeof(cvss_vector))
	{
		memcpy(&v, data, sizeof(v));
		if (cvss_validate(&v, &e) == CVSS_OK)
		{
			cvss_refresh(&v);
			check_vector(&v);
		}
	}
	return 0;
}
