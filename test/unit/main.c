/*
 * main.c: runs every unit test file's entry point (collected by run.sh into
 * unit_tests.h) and prints the plain "N passed, N failed" summary.
 */
#include "unit.h"
#include "unit_tests.h"

int			unit_passed = 0;
int			unit_failed = 0;

int
main(void)
{
	UNIT_RUN_ALL();
	printf("unit: %d passed, %d failed\n", unit_passed, unit_failed);
	return unit_failed == 0 ? 0 : 1;
}
