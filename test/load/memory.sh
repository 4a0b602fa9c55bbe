#!/usr/bin/env bash
# test/load/memory.sh [CALLS | Ns]: one backend (one pgbench client) makes
# CALLS calls (default 100000), or calls for N seconds (e.g. 8s: the CI
# mode, so it lasts long enough to sample on any machine), of
# test/load/memory.pgbench (RRULE expansion whole,
# cut short and failing part-way, bad rules, iCalendar export, parse and a
# failing import) against the demo data; its private memory (RssAnon in
# /proc/PID/status; shared buffers excluded) is sampled every second.
# Prints the growth from the first sample after a 10 % warm-up to the last,
# and fails if it exceeds MEMORY_LIMIT_KB (default 16384).  Needs to read
# the backend's /proc entry: run as root or as the server's user.
set -euo pipefail
cd "$(dirname "$0")/../.."
calls=${1:-100000}
limit_kb=${MEMORY_LIMIT_KB:-16384}
db=isms_memory
out=$(mktemp -d)
trap 'rm -rf "$out"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
export PGOPTIONS='-c client_min_messages=warning'
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -q -v ON_ERROR_STOP=1 -d $db -c 'CREATE EXTENSION pg_isms'
for f in test/demo/*.sql; do
	psql -X -q -v ON_ERROR_STOP=1 -v outdir="$out" -d $db -f "$f" >/dev/null
done
psql -X -q -v ON_ERROR_STOP=1 -d $db >/dev/null <<'SQL'
CREATE FUNCTION public.mem_try(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE sql;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END
$$;
CREATE TABLE public.mem_ics AS SELECT isms.ical_export() AS ics;
SQL
case "$calls" in
*s) limit=(-T "${calls%s}") ;;
*) limit=(-t "$calls") ;;
esac
pgbench -n -c 1 "${limit[@]}" -f test/load/memory.pgbench $db >"$out/pgbench.log" 2>&1 &
bench=$!
pid=""
for _ in $(seq 1 100); do
	pid=$(psql -X -q -A -t -d $db -c "SELECT pid FROM pg_stat_activity WHERE datname = '$db' AND application_name = 'pgbench' LIMIT 1")
	[ -n "$pid" ] && break
	sleep 0.1
done
[ -n "$pid" ] || { wait $bench || true; cat "$out/pgbench.log"; echo "memory: no pgbench backend"; exit 1; }
# Sample every 0.2 s: on an idle machine the short CI mode ends in seconds.
: >"$out/samples"
while kill -0 $bench 2>/dev/null; do
	s=$(awk '/^RssAnon:/ {a=$2} /^VmRSS:/ {v=$2} END {if (a) print a, v}' /proc/$pid/status 2>/dev/null || true)
	[ -n "$s" ] && echo "$s" >>"$out/samples"
	sleep 0.2
done
rc=0; wait $bench || rc=$?
if [ "$rc" != 0 ] || grep -q aborted "$out/pgbench.log"; then
	tail -n 20 "$out/pgbench.log"; echo "memory: pgbench failed"; exit 1
fi
n=$(wc -l <"$out/samples")
# Exit 3: the machine was too busy to sample (the caller may retry longer).
[ "$n" -ge 3 ] || { echo "memory: too few samples ($n)"; exit 3; }
skip=$(( n / 10 + 1 ))
read -r first_anon first_rss < <(sed -n "${skip}p" "$out/samples")
read -r last_anon last_rss < <(tail -n 1 "$out/samples")
max_anon=$(awk '{ if ($1 > m) m = $1 } END { print m }' "$out/samples")
tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$out/pgbench.log")
growth=$((last_anon - first_anon))
echo "memory: $tx calls in one backend ($n samples): private memory (RssAnon) ${first_anon} kB after warm-up -> ${last_anon} kB at the end (growth ${growth} kB, peak ${max_anon} kB); VmRSS ${first_rss} -> ${last_rss} kB"
[ "$growth" -le "$limit_kb" ] || { echo "memory: private memory grew by ${growth} kB (limit ${limit_kb} kB)"; exit 1; }
