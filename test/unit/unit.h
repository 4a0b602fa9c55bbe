/*
 * unit.h: a minimal assertion layer for the pure-C unit and property tests
 * under test/unit (no server, no framework).  Each test file defines a
 * NAME_test() (see run.sh), linked with every src/NAME_core.c.
 */
#ifndef ISMS_UNIT_H
#define ISMS_UNIT_H

#include <stdio.h>

extern int	unit_passed;
extern int	unit_failed;

#define UNIT_CHECK(cond, ...) \
	do { \
		if (cond) \
			unit_passed++; \
		else \
		{ \
			unit_failed++; \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
		} \
	} while (0)

#endif
