#!/usr/bin/env bash
# bench/21_change_log.sh: what the change log costs a bulk insert.  100,000
# risk-like rows (11 columns, primary key, a foreign key to isms.scope) are
# inserted with one INSERT ... SELECT into a table without triggers (the
# baseline) and into the same table with the change log attached by
# isms.attach_change_log() (per statement, transition tables, hash-chained
# as every entry is) and, for information, isms.log_change() per row.
# For the cost of the chain itself, the same per-statement log of version
# 0.1.0 (no hashes, no head lock: CREATE EXTENSION ... VERSION '0.1.0' in a
# second database, written by the same module) is timed in the same rounds.
# Interleaved rounds, one warm-up, best of 5; prints ratios, and checks
# that the chain of the 600,000 entries written verifies.  The clock: the
# backend's own on-CPU time (Linux /proc/self/schedstat, as in
# bench/40_schedules.sh), so a busy machine slows both sides alike; its
# wall-clock time where schedstat cannot be read.
set -euo pipefail
db=isms_bench_21 old=isms_bench_21_unchained
export PGOPTIONS='-c client_min_messages=warning -c wal_init_zero=off'
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" \
	-c "DROP DATABASE IF EXISTS $old" -c "CREATE DATABASE $old"
[ "${BENCH_KEEP:-0}" = 1 ] || trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "DROP DATABASE IF EXISTS $old" >/dev/null 2>&1 || true' EXIT
# On-CPU nanoseconds of this backend (NULL where schedstat is unreadable).
cpu_fn="CREATE FUNCTION public.cpu_ns() RETURNS bigint LANGUAGE plpgsql AS \$\$
BEGIN
  RETURN split_part(pg_read_file('/proc/self/schedstat'), ' ', 1)::bigint;
EXCEPTION WHEN OTHERS THEN
  RETURN NULL;
END
\$\$;"
psql -X -q -v ON_ERROR_STOP=1 -d $db <<SQL
CREATE EXTENSION pg_isms;
$cpu_fn
CREATE FUNCTION public.make(t text) RETURNS void LANGUAGE plpgsql AS \$\$
BEGIN
  EXECUTE format('CREATE TABLE public.%I (id bigint PRIMARY KEY, scope text NOT NULL REFERENCES isms.scope (id),
    ref text NOT NULL, title text NOT NULL, description text, owner text, inherent int, residual int,
    status text NOT NULL, identified date, next_review date)', t);
END \$\$;
SELECT public.make('plain'), public.make('per_statement'), public.make('per_row');
SELECT isms.attach_change_log('public.per_statement');
CREATE TRIGGER log_ins AFTER INSERT ON public.per_row FOR EACH ROW EXECUTE FUNCTION isms.log_change();
SQL
psql -X -q -v ON_ERROR_STOP=1 -d $old <<SQL
CREATE EXTENSION pg_isms VERSION '0.1.0';
$cpu_fn
CREATE TABLE public.unchained (id bigint PRIMARY KEY, scope text NOT NULL REFERENCES isms.scope (id),
  ref text NOT NULL, title text NOT NULL, description text, owner text, inherent int, residual int,
  status text NOT NULL, identified date, next_review date);
CREATE TRIGGER unchained_log_insert AFTER INSERT ON public.unchained REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
SQL

load() {	# load TABLE: the timed INSERT
	echo "INSERT INTO public.$1 SELECT i, 'default', 'R-' || i, 'Risk number ' || i, repeat('threat and vulnerability ', 4), 'owner-' || i % 50, 1 + i % 25, 1 + i % 20, 'identified', date '2026-01-01' + i % 365, date '2027-01-01' + i % 365 FROM generate_series(1, 100000) AS i;"
}
# timed TABLE: one round of TABLE, printing "ms <on-CPU ms>" (or "wall
# <ms>" where schedstat is unreadable).  Untimed before it: the TRUNCATE and
# a CHECKPOINT, so every insert starts from the same state (no dirty pages
# of an earlier round to write out, no checkpoint in the middle).
timed() {
	echo "TRUNCATE public.$1;"
	echo "CHECKPOINT;"
	echo "SELECT coalesce(public.cpu_ns(), -1) AS c0, clock_timestamp() AS t0 \\gset"
	load "$1"
	echo "SELECT CASE WHEN :c0 >= 0 THEN 'ms ' || round((public.cpu_ns() - :c0) / 1e6, 3)"
	echo "            ELSE 'wall ' || round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000, 3) END;"
}
script() {
	local r
	for r in 1 2 3 4 5 6; do
		timed plain; timed per_statement; timed per_row
		echo "\\c $old"; timed unchained; echo "\\c $db"
	done
}
read -r clock plain stmt row unchained < <(script | psql -X -q -A -t -v ON_ERROR_STOP=1 -d $db |
	sed -n 's/^\(ms\|wall\) \([0-9.]*\)$/\1 \2/p' |
	awk '{ clock = $1; q = (NR - 1) % 4 + 1 } NR > 4 { if (!(q in best) || $2 < best[q]) best[q] = $2 }
		END { print (clock == "ms" ? "backend-on-CPU" : "wall-clock"), best[1], best[2], best[3], best[4] }')
logged=$(psql -X -q -A -t -d $db -c "SELECT count(*) FROM isms.change_log WHERE table_name = 'public.per_statement'")
echo "change_log: 100,000-row INSERT ($clock time, best of 5): no trigger ${plain} ms, logged per statement ${stmt} ms, logged per row ${row} ms, 0.1.0's unchained log per statement ${unchained} ms; $logged entries logged per statement"
verified=$(psql -X -q -A -t -F ' ' -d $db -c "SELECT status, entries FROM isms.verify_change_log()")
echo "change_log: chain of all entries: $verified"
awk -v a="$stmt" -v b="$plain" 'BEGIN { printf "ratio bulk insert with chained change log (vs no log trigger): %.2f (goal <= 1.5)\n", a / b }'
awk -v a="$stmt" -v b="$plain" 'BEGIN { printf "ratio bulk insert with change log per statement (vs no trigger): %.2f (goal <= 1.3; the same run: every entry is chained)\n", a / b }'
awk -v a="$row" -v b="$plain" 'BEGIN { printf "ratio bulk insert with change log per row (vs no trigger): %.2f (informational)\n", a / b }'
awk -v a="$stmt" -v b="$unchained" 'BEGIN { printf "ratio bulk insert with chained change log (vs 0.1.0 unchained log, same module): %.2f (informational: what the chain itself costs)\n", a / b }'
awk -v a="$unchained" -v b="$plain" 'BEGIN { printf "ratio bulk insert with 0.1.0 unchained log (vs no trigger): %.2f (informational)\n", a / b }'
