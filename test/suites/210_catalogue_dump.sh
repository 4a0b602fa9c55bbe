#!/usr/bin/env bash
# test/suites/210_catalogue_dump.sh: a user-added framework, an SoA and its
# change log survive pg_dump/pg_restore (custom format) and a plain-format
# dump replayed by psql, into fresh databases of the server in PGHOST etc.:
# user rows identical, the seeded catalogue not duplicated, no restore-time
# entries in the change log, isms.soa_as_of unchanged, new log ids after the
# restored ones.  Exits 1 on any difference.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=isms_cat_src dst=isms_cat_dst plain=isms_cat_plain
out=$(mktemp -d)
cleanup() {
	rm -rf "$out"
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" \
		-c "DROP DATABASE IF EXISTS $plain" >/dev/null 2>&1 || true
}
trap cleanup EXIT
export PGOPTIONS='-c client_min_messages=warning'
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" \
	-c "DROP DATABASE IF EXISTS $plain" -c "CREATE DATABASE $src" -c "CREATE DATABASE $dst" -c "CREATE DATABASE $plain"
psql -X -q -v ON_ERROR_STOP=1 -d $src >/dev/null <<'SQL'
CREATE EXTENSION pg_isms;
INSERT INTO isms.scope (id, name) VALUES ('emea', 'EMEA');
INSERT INTO isms.framework (id, name, version, publisher) VALUES ('acme-2025', 'ACME baseline', '2025.1', 'ACME');
INSERT INTO isms.control_group (framework, id, title) VALUES ('acme-2025', 'ops', 'Operations'), ('acme-2025', 'hr', 'People');
INSERT INTO isms.control (framework, ref, title, theme, group_id, control_type, security_properties, attributes) VALUES
  ('acme-2025', 'OPS-1', 'Backups are tested', 'Operations', 'ops', '{Corrective}', '{Availability}', '{"role": "processor"}'),
  ('acme-2025', 'OPS-2', 'Logs are kept', 'Operations', 'ops', '{Detective}', '{Integrity}', '{}'),
  ('acme-2025', 'HR-1', 'Staff are screened', 'People', 'hr', '{Preventive}', '{Confidentiality}', '{}');
INSERT INTO isms.control (framework, ref, title, theme, parent_ref) VALUES ('acme-2025', 'OPS-2.1', 'Logs kept a year', 'Operations', 'OPS-2');
INSERT INTO isms.control_mapping (source_framework, source_ref, target_framework, target_ref, note)
VALUES ('acme-2025', 'OPS-1', 'iso27001-2022', '8.13', 'same intent');
INSERT INTO isms.mapping_source (id, title, publisher, licence, method) VALUES ('acme-map', 'ACME to CSF', 'ACME', 'CC0-1.0', 'human');
INSERT INTO isms.control_relation (source_framework, source_ref, target_framework, target_ref, relationship, source)
VALUES ('acme-2025', 'OPS-2', 'nist-csf-2.0', 'DE.CM-01', 'subset-of', 'acme-map');
SELECT isms.soa_init('emea', 'iso27001-2022'), isms.soa_init('emea', 'acme-2025');
UPDATE isms.soa_entry SET applicable = true, justification = 'Baseline', status = 'partial' WHERE control_ref LIKE '5.%';
UPDATE isms.soa_entry SET applicable = false, justification = 'No staff of our own' WHERE control_ref = 'HR-1';
DELETE FROM isms.soa_entry WHERE control_ref = '8.34';
CREATE TABLE public.audit_point AS SELECT clock_timestamp() AS at;
UPDATE isms.soa_entry SET status = 'implemented', evidence = '{DOC-9}' WHERE control_ref = '5.1';
SQL

pg_dump -Fc -d $src -f "$out/cat.dump"
pg_restore -d $dst --exit-on-error "$out/cat.dump"
pg_dump -Fp -d $src -f "$out/cat.sql"
psql -X -q -v ON_ERROR_STOP=1 -d $plain -f "$out/cat.sql" >/dev/null

summary() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" <<'SQL'
SELECT 'framework ' || md5(string_agg(f::text, E'\n' ORDER BY f.id)) FROM isms.framework f;
SELECT 'control_group ' || md5(string_agg(g::text, E'\n' ORDER BY g.framework, g.id)) FROM isms.control_group g;
SELECT 'control ' || count(*) || ' ' || md5(string_agg(c::text, E'\n' ORDER BY c.framework, c.ref)) FROM isms.control c;
SELECT 'control_relation ' || count(*) || ' ' || md5(string_agg(m::text, E'\n' ORDER BY m::text)) FROM isms.control_relation m;
SELECT 'mapping_source ' || count(*) || ' ' || md5(string_agg(m::text, E'\n' ORDER BY m.id)) FROM isms.mapping_source m;
SELECT 'coverage ' || count(*) || ' ' || md5(string_agg(v::text, E'\n' ORDER BY v.scope, v.framework, v.control_ref)) FROM isms.control_coverage v;
SELECT 'seeded ' || string_agg(framework || '=' || n, ' ' ORDER BY framework)
  FROM (SELECT framework, count(*) AS n FROM isms.control WHERE builtin GROUP BY framework) AS t;
SELECT 'soa_entry ' || count(*) || ' ' || md5(string_agg(e::text, E'\n' ORDER BY e.scope, e.framework, e.control_ref)) FROM isms.soa_entry e;
SELECT 'change_log ' || count(*) || ' ' || md5(string_agg(l::text, E'\n' ORDER BY l.id)) FROM isms.change_log l;
SELECT 'soa_as_of ' || count(*) || ' ' || md5(string_agg(a::text, E'\n' ORDER BY a.framework, a.position))
  FROM public.audit_point p, isms.soa_as_of('emea', p.at) a;
SELECT 'summary ' || md5(string_agg(s::text, E'\n' ORDER BY s.framework, s.theme)) FROM isms.compliance_summary s;
SQL
}
summary $src >"$out/src.txt"
status=0
for db in $dst $plain; do
	summary $db >"$out/$db.txt"
	if ! diff -u "$out/src.txt" "$out/$db.txt"; then
		echo "catalogue_dump: $db differs from the source after restore"
		status=1
	fi
done
grep -q '^seeded iso27001-2013=114 iso27001-2022=93 iso27001-2022-clauses=41 iso27701-2019=49 iso27701-2025=78 nist-csf-2.0=128$' "$out/$dst.txt" \
	|| { echo "catalogue_dump: seeded catalogue duplicated or missing"; status=1; }
grep -q '^control 507 ' "$out/$dst.txt" || { echo "catalogue_dump: user controls lost"; status=1; }

# The log continues after the restored entries, and still records changes.
check=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -d $dst <<'SQL'
WITH before AS (SELECT max(id) AS mx, count(*) AS n FROM isms.change_log)
SELECT n FROM before;
UPDATE isms.soa_entry SET owner = 'CISO' WHERE control_ref = '5.2';
SELECT count(*) FILTER (WHERE op = 'UPDATE' AND new_row->>'owner' = 'CISO')
       || ' ' || (max(id) = max(id) FILTER (WHERE new_row->>'owner' = 'CISO'))
  FROM isms.change_log;
SQL
)
if [ "$(echo "$check" | tail -1)" != "1 true" ]; then
	echo "catalogue_dump: change log after restore: $check"
	status=1
fi
[ $status -eq 0 ] && echo "catalogue_dump: user framework, SoA and change log identical after pg_dump/pg_restore and plain dump; seed not duplicated"
exit $status
