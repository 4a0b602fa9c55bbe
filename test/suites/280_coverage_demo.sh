#!/usr/bin/env bash
# test/suites/280_coverage_demo.sh: over the demo ISMS (test/demo/*.sql), the
# coverage view isms.control_coverage gives exactly what a query written
# from the definition in docs/reference/mapping.md gives, for every scope
# and framework.  The demo's relations all come from the seeds and state no
# relationship type, so no chain goes beyond one relation (checked too); the
# longer chains are compared in the regression test 280_control_coverage.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=isms_coverage_demo
out=$(mktemp -d)
trap 'rm -rf "$out"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
export PGOPTIONS='-c client_min_messages=warning'
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -q -v ON_ERROR_STOP=1 -d $db -c 'CREATE EXTENSION pg_isms'
for f in test/demo/*.sql; do
	psql -X -q -v ON_ERROR_STOP=1 -v outdir="$out" -d $db -f "$f" >/dev/null
done
psql -X -q -A -t -v ON_ERROR_STOP=1 -d $db >"$out/result" <<'SQL'
CREATE TEMP VIEW by_hand AS
WITH pair AS (   -- every relation from an SoA control, oriented from it
  SELECT e.scope, r.target_framework AS framework, r.target_ref AS control_ref, e.framework AS sf, e.control_ref AS sr,
         r.relationship::text AS rel, e.applicable, e.status
    FROM isms.soa_entry e JOIN isms.control_relation r ON (r.source_framework, r.source_ref) = (e.framework, e.control_ref)
  UNION
  SELECT e.scope, r.source_framework, r.source_ref, e.framework, e.control_ref,
         CASE r.relationship::text WHEN 'subset-of' THEN 'superset-of' WHEN 'superset-of' THEN 'subset-of'
              ELSE r.relationship::text END, e.applicable, e.status
    FROM isms.soa_entry e JOIN isms.control_relation r ON (r.target_framework, r.target_ref) = (e.framework, e.control_ref)
), targets AS (
  SELECT s.scope, c.framework, c.ref
    FROM (SELECT DISTINCT scope FROM isms.soa_entry) s, isms.control c
   WHERE c.framework IN (SELECT source_framework FROM isms.control_relation UNION SELECT target_framework FROM isms.control_relation)
     AND NOT EXISTS (SELECT 1 FROM isms.soa_entry x WHERE x.scope = s.scope AND x.framework = c.framework)
)
SELECT t.scope, t.framework, t.ref AS control_ref,
       CASE WHEN NOT EXISTS (SELECT 1 FROM pair p WHERE (p.scope, p.framework, p.control_ref) = (t.scope, t.framework, t.ref)) THEN 'unmapped'
            WHEN EXISTS (SELECT 1 FROM pair p WHERE (p.scope, p.framework, p.control_ref) = (t.scope, t.framework, t.ref)
                           AND p.applicable AND p.status = 'implemented' AND p.rel IN ('equal-to', 'equivalent-to', 'superset-of')) THEN 'covered'
            WHEN EXISTS (SELECT 1 FROM pair p WHERE (p.scope, p.framework, p.control_ref) = (t.scope, t.framework, t.ref)
                           AND p.applicable AND p.status IN ('implemented', 'partial')) THEN 'partial'
            ELSE 'not_covered' END AS coverage,
       (SELECT count(DISTINCT (p.sf, p.sr)) FROM pair p WHERE (p.scope, p.framework, p.control_ref) = (t.scope, t.framework, t.ref))::int AS related,
       (SELECT count(DISTINCT (p.sf, p.sr)) FROM pair p WHERE (p.scope, p.framework, p.control_ref) = (t.scope, t.framework, t.ref)
           AND p.applicable AND p.status = 'implemented')::int AS implemented
  FROM targets t;
SELECT 'longest chain ' || coalesce(max(depth), 0) FROM isms.control_relation_chain;
SELECT 'rows ' || count(*) FROM isms.control_coverage;
SELECT 'csf rows of default ' || sum(n) || ', ' || string_agg(coverage || ' ' || n, ', ' ORDER BY coverage)
  FROM (SELECT coverage, count(*) AS n FROM isms.control_coverage
         WHERE scope = 'default' AND framework = 'nist-csf-2.0' GROUP BY coverage) x;
SELECT 'hand-written rows ' || count(*) FROM by_hand;
SELECT 'differences ' || count(*) FROM (
  (SELECT scope, framework, control_ref, coverage, related_controls, implemented_controls FROM isms.control_coverage
   EXCEPT SELECT * FROM by_hand)
  UNION ALL
  (SELECT * FROM by_hand
   EXCEPT SELECT scope, framework, control_ref, coverage, related_controls, implemented_controls FROM isms.control_coverage)) d;
SQL
cat "$out/result" | sed 's/^/coverage_demo: /'
grep -qx 'longest chain 1' "$out/result" || { echo "coverage_demo: the demo's chains should stop after one relation"; exit 1; }
grep -qx 'differences 0' "$out/result" || { echo "coverage_demo: isms.control_coverage differs from the hand-written query"; exit 1; }
grep -q '^csf rows of default 128, ' "$out/result" || { echo "coverage_demo: expected the 128 CSF controls for scope default"; exit 1; }
echo "coverage_demo: isms.control_coverage equals the hand-written query over the demo SoA"
