#!/usr/bin/env bash
# test/suites/402_rrule_dateutil.sh: RRULE expansion against an independent
# implementation, python-dateutil (Debian's python3-dateutil,
# /usr/bin/python3), through both isms.rrule_occurrences and the C core
# (test/tools/rrule_expand.c).  Cases (test/tools/rrule_dateutil.py):
# BYWEEKNO over years with 53 weeks and years whose week 1 begins in the
# previous December, with every WKST, alone and with the other parts; then
# random rules over every FREQ and rule part.  Exit status 1 on any
# mismatch.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=isms_rrule_dateutil
out=$(mktemp -d)
trap 'rm -rf "$out"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
export PGOPTIONS='-c client_min_messages=warning'

/usr/bin/python3 test/tools/rrule_dateutil.py gen "$out"

cc -std=c99 -O1 -Wall -Wextra -Werror -Isrc -o "$out/rrule_expand" test/tools/rrule_expand.c \
	$(ls src/*_core.c) -lical -lm
"$out/rrule_expand" <"$out/cases.tsv" >"$out/c.tsv"

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -q -v ON_ERROR_STOP=1 -d $db <<SQL
CREATE EXTENSION pg_isms;
SET timezone = 'UTC';
CREATE TEMP TABLE c (id int, rule text, dtstart timestamp, max int, range_end timestamp);
\copy c FROM '$out/cases.tsv'
CREATE FUNCTION pg_temp.occ(r text, s timestamp, m int, e timestamp) RETURNS text
LANGUAGE plpgsql AS \$\$
BEGIN
	RETURN coalesce((SELECT string_agg(to_char(o AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MISS'), ';' ORDER BY o)
	                   FROM isms.rrule_occurrences(r, s AT TIME ZONE 'UTC', NULL, e AT TIME ZONE 'UTC', m) o), '');
EXCEPTION WHEN invalid_text_representation THEN
	RETURN 'refused';
END
\$\$;
\copy (SELECT id, pg_temp.occ(rule, dtstart, max, range_end) FROM c ORDER BY id) TO '$out/sql.tsv'
SQL

/usr/bin/python3 test/tools/rrule_dateutil.py compare "$out"
