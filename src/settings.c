/*
 * settings.c: the extension's configuration parameters (GUCs), all under
 * the "isms." prefix.  Each is documented in docs/reference/settings.md.
 */
#include "pg_isms.h"

#include <ctype.h>

#include "utils/guc.h"

/* Domain part of new reminder UIDs (RFC 5545 3.8.4.7 suggests a domain). */
char	   *isms_uid_domain = NULL;
/* Calendar name shown by clients (NAME, X-WR-CALNAME). */
char	   *isms_calendar_name = NULL;
/* How isms.ical_export writes reviews: as VEVENT or as VTODO. */
int			isms_review_component = ISMS_REVIEW_VEVENT;
/* Review cycle of a Statement of Applicability entry, in months. */
static int	isms_soa_review_months = 12;

/*
 * isms.acceptance_max_days: the policy maximum validity, in days, of a risk
 * acceptance whose residual level is above the matrix's appetite.  Only a
 * superuser may change it (PGC_SUSET): a policy that every session could
 * loosen with SET would not be a policy.  Read by the acceptance trigger
 * (sql/340_acceptance.sql), which stores it in each acceptance.
 */
static int	isms_acceptance_max_days = 365;

/*
 * isms.major_nonconformity_days: the longest time, in days, from raising a
 * major nonconformity to its due date (and so to the due date of every
 * corrective action for it).  90 is the usual maximum certification bodies
 * give for the response to a nonconformity (see docs/reference/settings.md
 * for sources).  Superuser only (PGC_SUSET): a limit every session could
 * loosen with SET would not be a policy.  Read by the finding trigger in
 * sql/520_finding.sql through isms.major_nonconformity_limit().
 */
static int	isms_major_nonconformity_days = 90;

static const struct config_enum_entry review_component_options[] = {
	{"vevent", ISMS_REVIEW_VEVENT, false},
	{"vtodo", ISMS_REVIEW_VTODO, false},
	{NULL, 0, false}
};

/*
 * A host name: labels of letters, digits and "-" separated by ".", no
 * label empty or starting/ending with "-", at most 253 characters.  The
 * value ends up after "@" in every UID, so anything else is refused.
 */
static bool
check_uid_domain(char **newval, void **extra, GucSource source)
{
	const char *s = *newval;
	size_t		len = s ? strlen(s) : 0;
	size_t		label = 0;
	size_t		i;

	if (len == 0 || len > 253)
	{
		GUC_check_errdetail("The domain must have 1 to 253 characters.");
		return false;
	}
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == '.')
		{
			if (label == 0 || s[i - 1] == '-')
			{
				GUC_check_errdetail("Each dot-separated label must be non-empty and must not end with \"-\".");
				return false;
			}
			label = 0;
			continue;
		}
		if (!(isalnum(c) && c < 0x80) && c != '-')
		{
			GUC_check_errdetail("Only ASCII letters, digits, \"-\" and \".\" are allowed.");
			return false;
		}
		if (c == '-' && label == 0)
		{
			GUC_check_errdetail("A label must not start with \"-\".");
			return false;
		}
		label++;
		if (label > 63)
		{
			GUC_check_errdetail("A label must have at most 63 characters.");
			return false;
		}
	}
	if (label == 0 || s[len - 1] == '-')
	{
		GUC_check_errdetail("The domain must not end with \".\" or \"-\".");
		return false;
	}
	return true;
}

static bool
check_calendar_name(char **newval, void **extra, GucSource source)
{
	if (*newval == NULL || (*newval)[0] == '\0' || strlen(*newval) > 200)
	{
		GUC_check_errdetail("The calendar name must have 1 to 200 bytes.");
		return false;
	}
	return true;
}

void
isms_init_settings(void)
{
	DefineCustomStringVariable("isms.uid_domain",
							   "Domain part of the UIDs given to new reminders (uuid@domain).",
							   "Set it to a domain your organisation owns; existing reminders keep their UID.",
							   &isms_uid_domain,
							   "pg-isms.invalid",
							   PGC_USERSET, 0,
							   check_uid_domain, NULL, NULL);
	DefineCustomStringVariable("isms.calendar_name",
							   "Calendar name written by isms.ical_export (NAME and X-WR-CALNAME).",
							   NULL,
							   &isms_calendar_name,
							   "pg_isms",
							   PGC_USERSET, 0,
							   check_calendar_name, NULL, NULL);
	DefineCustomEnumVariable("isms.review_component",
							 "Whether isms.ical_export writes reviews as VEVENT or VTODO.",
							 "Many clients ignore VTODO in subscribed calendars; vevent is the default.",
							 &isms_review_component,
							 ISMS_REVIEW_VEVENT,
							 review_component_options,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
	DefineCustomIntVariable("isms.acceptance_max_days",
							"Longest validity, in days, of a risk acceptance above the risk appetite.",
							"isms.accept_risk() refuses a valid_until further than this from the acceptance date when the residual level is above the matrix's appetite.",
							&isms_acceptance_max_days,
							365, 1, 3660,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("isms.major_nonconformity_days",
							"Longest time, in days, from raising a major nonconformity to its due date.",
							"A major nonconformity gets this due date by default, and a later due date (of the finding or of a corrective action for it) is refused.",
							&isms_major_nonconformity_days,
							90, 1, 366,
							PGC_SUSET, 0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("isms.soa_review_months",
							"Months between reviews of a Statement of Applicability entry (default 12: yearly).",
							"Used when an entry is reviewed (last_reviewed set) without an explicit next_review.",
							&isms_soa_review_months,
							12, 1, 60,
							PGC_USERSET, 0,
							NULL, NULL, NULL);

	MarkGUCPrefixReserved("isms");
}
