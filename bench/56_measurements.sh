#!/usr/bin/env bash
# bench/56_measurements.sh: what the clause 9.1 rules cost.  (1) Recording
# 100,000 measurements into isms.measurement (BEFORE INSERT trigger: the
# database's recorded_at, no future value, no value for a retired metric;
# the append-only statement trigger; foreign keys and checks) against the
# same rows into a plain copy of the table with the same constraints and
# foreign key but no trigger.  (2) isms.metric_status over 1,000 metrics
# with 100 values each (latest value in force, status, next due date from
# the RRULE by libical) against a hand-written latest-value query without
# the schedule.  Both sides in the same run and database, interleaved, best
# of 5.  Prints "ratio ..." lines; never a pass/fail gate.
set -euo pipefail
db=isms_bench_56
export PGOPTIONS='-c client_min_messages=warning'
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
[ "${BENCH_KEEP:-0}" = 1 ] || trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
psql -X -q -v ON_ERROR_STOP=1 -d $db <<'SQL'
CREATE EXTENSION pg_isms;
INSERT INTO isms.metric (scope, ref, name, framework, control_ref, method, frequency, frequency_start, owner, analyst, direction, target, threshold)
SELECT 'default', 'M-' || i, 'Metric ' || i, 'iso27001-2022', '8.8', 'tool',
       (ARRAY['FREQ=DAILY', 'FREQ=WEEKLY;BYDAY=MO', 'FREQ=MONTHLY;BYMONTHDAY=1', 'FREQ=MONTHLY;INTERVAL=3'])[1 + i % 4],
       timestamptz '2024-01-01', 'IT', 'CISO', 'lower_is_better', 14, 30
  FROM generate_series(1, 1000) AS i;
CREATE SCHEMA bench;
CREATE TABLE bench.measurement_plain (LIKE isms.measurement INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY INCLUDING INDEXES);
ALTER TABLE bench.measurement_plain ADD FOREIGN KEY (metric) REFERENCES isms.metric (id);
ANALYZE isms.metric;
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

# (1) Inserts: 100 metrics x 1,000 values, each round in a transaction
# rolled back, so every round inserts into the same (empty) table.
rows="SELECT 1 + (g % 100), (g % 40)::numeric, timestamptz '2025-01-01' + g * interval '1 minute' FROM generate_series(1, 100000) AS g"
ins_isms="BEGIN; INSERT INTO isms.measurement (metric, value, taken_at) $rows; ROLLBACK;"
ins_plain="BEGIN; INSERT INTO bench.measurement_plain (metric, value, taken_at) $rows; ROLLBACK;"
read -r a b < <(time_all "$ins_isms" "$ins_plain" | paste -sd' ')
echo "measurement inserts, 100000 rows: isms.measurement ${a} ms, plain table with the same constraints ${b} ms (best of 5)"
awk -v a="$a" -v b="$b" 'BEGIN { printf "ratio measurement insert (pg_isms rules / plain table): %.2f (informational; goal <= 3)\n", a / b }'

# (2) The status view over 1,000 metrics x 100 values.
psql -X -q -v ON_ERROR_STOP=1 -d $db <<'SQL'
INSERT INTO isms.measurement (metric, value, taken_at)
SELECT m, (g % 40)::numeric, timestamptz '2025-01-01' + g * interval '1 day' FROM generate_series(1, 1000) m, generate_series(1, 100) g;
VACUUM ANALYZE isms.measurement;
SQL
view="SELECT * FROM isms.metric_status"
hand="SELECT m.id, m.ref, l.value, l.taken_at,
       CASE WHEN l.value <= m.target THEN 'met' WHEN l.value > m.threshold THEN 'breached' ELSE 'not_met' END
  FROM isms.metric m
  LEFT JOIN LATERAL (SELECT x.value, x.taken_at FROM isms.measurement x
                      WHERE x.metric = m.id AND NOT EXISTS (SELECT 1 FROM isms.measurement c WHERE c.corrects = x.id)
                      ORDER BY x.taken_at DESC, x.id DESC LIMIT 1) l ON true"
read -r a b < <(time_all "$view" "$hand" | paste -sd' ')
echo "metric_status, 1000 metrics x 100 values: view ${a} ms, hand-written latest value without schedule ${b} ms (best of 5)"
awk -v a="$a" -v b="$b" 'BEGIN { printf "ratio metric_status (view with next due / latest value only): %.2f (informational)\n", a / b }'
