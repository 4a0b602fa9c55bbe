#!/usr/bin/env bash
# bench/27_control_coverage.sh: isms.control_coverage (chains of up to four
# relations, WITH RECURSIVE) for NIST CSF 2.0 over 100 scopes x 93 Annex A
# SoA entries, against the one-relation answer written by hand on the base
# tables (isms.soa_entry JOIN isms.control_relation, both directions), which
# is the same answer for the seeded relations: none of them states a kind, so
# no chain is longer than one.  The two must agree first; then a warm-up
# round and 5 timed rounds, interleaved, best times compared.  Prints
# "ratio ..." lines; never a pass/fail gate.
set -euo pipefail
db=isms_bench_27
export PGOPTIONS='-c client_min_messages=warning'
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
[ "${BENCH_KEEP:-0}" = 1 ] || trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
psql -X -q -v ON_ERROR_STOP=1 -d $db <<'SQL'
CREATE EXTENSION pg_isms;
INSERT INTO isms.scope (id, name)
SELECT 's' || lpad(i::text, 3, '0'), 'Business unit ' || i FROM generate_series(1, 100) AS i;
INSERT INTO isms.soa_entry (scope, framework, control_ref, applicable, justification, status)
SELECT s.id, c.framework, c.ref, (hashtext(s.id || c.ref) % 10) <> 0, 'Risk assessment 2026',
       (ARRAY['not_started', 'planned', 'partial', 'implemented'])[1 + abs(hashtext(c.ref || s.id)) % 4]::isms.implementation_status
  FROM isms.scope s CROSS JOIN isms.control c
 WHERE c.framework = 'iso27001-2022' AND s.id <> 'default';
VACUUM ANALYZE isms.soa_entry;
ANALYZE isms.control_relation;
SQL

time_all() {
	local args=() q r
	for r in 1 2 3 4 5 6; do
		for q in "$@"; do args+=(-c "$q"); done
	done
	psql -X -q -v ON_ERROR_STOP=1 -d $db -o /dev/null -c '\timing on' "${args[@]}" |
		sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' |
		awk -v n=$# '{ q = (NR - 1) % n + 1 } NR > n { if (!(q in best) || $1 < best[q]) best[q] = $1 }
			END { for (i = 1; i <= n; i++) print best[i] }'
}

# SCOPE_FILTER is replaced by a condition on e.scope.
hand="WITH pair AS (
  SELECT e.scope, r.target_ref AS ref, e.control_ref AS sr, e.applicable, e.status
    FROM isms.soa_entry e JOIN isms.control_relation r
      ON r.source_framework = e.framework AND r.source_ref = e.control_ref AND r.target_framework = 'nist-csf-2.0'
   WHERE SCOPE_FILTER
  UNION
  SELECT e.scope, r.source_ref, e.control_ref, e.applicable, e.status
    FROM isms.soa_entry e JOIN isms.control_relation r
      ON r.target_framework = e.framework AND r.target_ref = e.control_ref AND r.source_framework = 'nist-csf-2.0'
   WHERE SCOPE_FILTER
), agg AS (
  SELECT scope, ref, count(DISTINCT sr) AS related,
         count(DISTINCT sr) FILTER (WHERE applicable AND status = 'implemented') AS implemented,
         bool_or(applicable AND status IN ('implemented', 'partial')) AS started
    FROM pair GROUP BY scope, ref
)
SELECT s.scope, c.ref, CASE WHEN a.ref IS NULL THEN 'unmapped' WHEN a.started THEN 'partial' ELSE 'not_covered' END,
       coalesce(a.related, 0)::int, coalesce(a.implemented, 0)::int
  FROM (SELECT DISTINCT e.scope FROM isms.soa_entry e WHERE SCOPE_FILTER) s
  JOIN isms.control c ON c.framework = 'nist-csf-2.0'
  LEFT JOIN agg a ON a.scope = s.scope AND a.ref = c.ref"
view="SELECT scope, control_ref, coverage, related_controls, implemented_controls FROM isms.control_coverage
 WHERE framework = 'nist-csf-2.0' AND VIEW_FILTER"
hand_all=${hand//SCOPE_FILTER/true}
view_all=${view//VIEW_FILTER/true}
hand_one=${hand//SCOPE_FILTER/e.scope = \'s050\'}
view_one=${view//VIEW_FILTER/scope = \'s050\'}

same=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -d $db -c \
	"SELECT (SELECT count(*) FROM (($view_all) EXCEPT ($hand_all)) AS a) + (SELECT count(*) FROM (($hand_all) EXCEPT ($view_all)) AS b)")
rows=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -d $db -c "SELECT count(*) FROM isms.soa_entry")
echo "control_coverage: $rows SoA entries; rows differing between view and hand-written query: $same"

read -r v h < <(time_all "$view_all" "$hand_all" | paste -sd' ')
echo "control_coverage, CSF 2.0, all scopes: view ${v} ms, hand-written one-relation query ${h} ms (best of 5)"
awk -v v="$v" -v h="$h" 'BEGIN { printf "ratio control_coverage all scopes (view / hand-written): %.2f (informational: the view follows chains)\n", v / h }'
read -r v h < <(time_all "$view_one" "$hand_one" | paste -sd' ')
echo "control_coverage, CSF 2.0, one scope: view ${v} ms, hand-written one-relation query ${h} ms (best of 5)"
awk -v v="$v" -v h="$h" 'BEGIN { printf "ratio control_coverage one scope (view / hand-written): %.2f (informational: the view follows chains)\n", v / h }'
