/*
 * cvss_data.h: expected CVSS scores with their sources, for cvss_test.c.
 * Scores are in tenths; -2 means "not stated by the source".  Every row
 * names where its numbers come from; none is computed by this project.
 */

/* Where the expected numbers come from. */
#define SRC_FIRST30 "FIRST CVSS v3.0 calculator (hand-picked vectors, RedHatProductSecurity/cvss tests/vectors_calculator3)"
#define SRC_FIRST31 "FIRST CVSS v3.1 calculator (RedHatProductSecurity/cvss tests/vectors_simple31: base, temporal, environmental)"
#define SRC_EX31 "FIRST CVSS v3.1 Examples document (base score of the example)"
#define SRC_SPEC31 "CVSS v3.1 specification section 7.2, temporal formula worked by hand on the 9.8 base"
#define SRC_RH4_SIMPLE "RedHatProductSecurity/cvss tests/vectors_simple4 (CVSS v4.0 reference scores)"
#define SRC_RH4_THREAT "RedHatProductSecurity/cvss tests/vectors_threat4 (CVSS v4.0 reference scores)"
#define SRC_RH4_SECURITY "RedHatProductSecurity/cvss tests/vectors_security4 (CVSS v4.0 reference scores)"
#define SRC_RH4_JSON "RedHatProductSecurity/cvss tests/test_cvss4.py (JSON schema tests)"
#define SRC_EX40 "FIRST CVSS v4.0 Examples / specification (CVSS-B of the example)"

typedef struct cvss_expect
{
	const char *vector;
	int			base;
	int			temporal;
	int			environmental;
	int			score;
	const char *source;
} cvss_expect;

static const cvss_expect cvss_expected[] = {
	/* v3.0: the two vectors picked by hand on FIRST's 3.0 calculator (out of order on purpose) */
	{"CVSS:3.0/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X", 38, 37, 37, 37, SRC_FIRST30},
	{"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:N/E:H/RL:O/RC:C/CR:H/IR:H/AR:H/MAV:N/MAC:L/MPR:L/MUI:N/MS:C/MC:H/MI:H/MA:H", 93, 89, 95, 95, SRC_FIRST30},

	/* v3.1 base vectors with the calculator's three scores (the environmental one with no environmental metric) */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 100, 100, 100, 100, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:L/A:N", 93, 93, 93, 93, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 58, 58, 58, 58, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N", 0, 0, 0, 0, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 98, 98, 98, 98, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", 53, 53, 53, 53, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0, 0, 0, 0, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 96, 96, 97, 96, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 61, 61, 61, 61, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 88, 88, 88, 88, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:N/A:N", 43, 43, 43, 43, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 99, 99, 100, 99, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:N/A:N", 50, 50, 50, 50, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 88, 88, 88, 88, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N", 54, 54, 54, 54, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:H", 90, 90, 91, 90, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:N/A:N", 41, 41, 41, 41, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:H/I:H/A:H", 80, 80, 80, 80, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:L/I:N/A:N", 35, 35, 35, 35, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H", 91, 91, 91, 91, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:L/I:L/A:L", 66, 66, 66, 66, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 72, 72, 72, 72, SRC_FIRST31},
	{"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:N/A:N", 49, 49, 49, 49, SRC_FIRST31},

	/* v3.1 examples (other AV and AC values) */
	{"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 31, -2, -2, 31, SRC_EX31},	/* CVE-2014-3566 POODLE */
	{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 68, -2, -2, 68, SRC_EX31},	/* CVE-2008-1447 DNS */
	{"CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 42, -2, -2, 42, SRC_EX31},	/* CVE-2009-0783 Tomcat */
	{"CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 78, -2, -2, 78, SRC_EX31},	/* CVE-2015-1098 iWork */
	{"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 68, -2, -2, 68, SRC_EX31},	/* CVE-2014-2005 Sophos */
	{"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 46, -2, -2, 46, SRC_EX31},	/* CVE-2014-2019 iOS */
	{"CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 88, -2, -2, 88, SRC_EX31},	/* CVE-2011-1265 Bluetooth */
	{"CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H", 93, -2, -2, 93, SRC_EX31},	/* CVE-2013-6014 Juniper */
	{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N", 74, -2, -2, 74, SRC_EX31},	/* CVE-2014-0224 OpenSSL CCS */
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 64, -2, -2, 64, SRC_EX31},	/* CVE-2013-0375 MySQL */

	/* v3.1 temporal values on the 9.8 base: Roundup(9.8 x weight) */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U", 98, 90, -2, 90, SRC_SPEC31},	/* 8.918 */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P", 98, 93, -2, 93, SRC_SPEC31},	/* 9.212 */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F", 98, 96, -2, 96, SRC_SPEC31},	/* 9.506 */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:H", 98, 98, -2, 98, SRC_SPEC31},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/RL:O", 98, 94, -2, 94, SRC_SPEC31},	/* 9.31 */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/RL:T", 98, 95, -2, 95, SRC_SPEC31},	/* 9.408 */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/RL:W", 98, 96, -2, 96, SRC_SPEC31},	/* 9.506 */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/RL:U", 98, 98, -2, 98, SRC_SPEC31},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/RC:U", 98, 91, -2, 91, SRC_SPEC31},	/* 9.016 */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/RC:R", 98, 95, -2, 95, SRC_SPEC31},	/* 9.408 */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/RC:C", 98, 98, -2, 98, SRC_SPEC31},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U", 98, 78, -2, 78, SRC_SPEC31},	/* 9.8 x .91 x .95 x .92 = 7.794... */

	/* v4.0 */
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 93, -1, -1, 93, SRC_EX40},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N", 87, -1, -1, 87, SRC_RH4_JSON},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/AR:L", 87, -1, -1, 79, SRC_RH4_JSON},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/MSI:H", 0, -1, -1, 77, SRC_RH4_JSON},
	{"CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:P/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0, -1, -1, 0, SRC_RH4_JSON},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/E:A", 0, -1, -1, 0, SRC_RH4_THREAT},
	{"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:A", 73, -1, -1, 73, SRC_RH4_THREAT},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/E:P", 0, -1, -1, 0, SRC_RH4_THREAT},
	{"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:P", 73, -1, -1, 59, SRC_RH4_THREAT},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/E:U", 0, -1, -1, 0, SRC_RH4_THREAT},
	{"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U", 73, -1, -1, 41, SRC_RH4_THREAT},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/CR:H/IR:H/AR:H", 0, -1, -1, 0, SRC_RH4_SECURITY},
	{"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:H/IR:H/AR:M", 73, -1, -1, 72, SRC_RH4_SECURITY},
	{"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:H/IR:M/AR:L", 73, -1, -1, 71, SRC_RH4_SECURITY},
	{"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:M/IR:M/AR:M", 73, -1, -1, 55, SRC_RH4_SECURITY},
	{"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:M/IR:L/AR:L", 73, -1, -1, 55, SRC_RH4_SECURITY},
	{"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:L/IR:H/AR:M", 73, -1, -1, 71, SRC_RH4_SECURITY},
	{"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:L/IR:L/AR:L", 73, -1, -1, 54, SRC_RH4_SECURITY},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:N/SI:H/SA:L", 92, -1, -1, 92, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:H/SI:N/SA:L", 78, -1, -1, 78, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:L/SA:N", 69, -1, -1, 69, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:L/SA:H", 79, -1, -1, 79, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:N/VA:L/SC:N/SI:H/SA:N", 83, -1, -1, 83, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 86, -1, -1, 86, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N", 51, -1, -1, 51, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:N/SC:H/SI:N/SA:N", 83, -1, -1, 83, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:P/VC:H/VI:L/VA:L/SC:L/SI:L/SA:L", 70, -1, -1, 70, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:A/VC:H/VI:H/VA:H/SC:H/SI:N/SA:H", 93, -1, -1, 93, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:L/SC:L/SI:L/SA:N", 51, -1, -1, 51, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:P/VC:L/VI:L/VA:N/SC:L/SI:N/SA:N", 48, -1, -1, 48, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:A/VC:L/VI:N/VA:N/SC:H/SI:N/SA:H", 60, -1, -1, 60, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:N/SA:H", 95, -1, -1, 95, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:N/SA:N", 21, -1, -1, 21, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:N/VI:N/VA:N/SC:N/SI:L/SA:N", 23, -1, -1, 23, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:A/VC:N/VI:L/VA:L/SC:L/SI:N/SA:N", 18, -1, -1, 18, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:L/SI:H/SA:L", 94, -1, -1, 94, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:A/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N", 21, -1, -1, 21, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:H/AT:N/PR:L/UI:P/VC:H/VI:H/VA:H/SC:H/SI:L/SA:H", 88, -1, -1, 88, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:H/SA:N", 40, -1, -1, 40, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:L/SA:N", 95, -1, -1, 95, SRC_RH4_SIMPLE},
	{"CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:N/VI:L/VA:N/SC:L/SI:H/SA:L", 70, -1, -1, 70, SRC_RH4_SIMPLE},
};
