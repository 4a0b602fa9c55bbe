#!/usr/bin/env bash
# test/load/run.sh [SECONDS]: eight pgbench clients run the mixed workload
# (test/load/mixed.pgbench: SoA entries, risks, control links, treatments,
# certificates, processing activities, audits) against the server in
# PGHOST/PGPORT/PGUSER, in a fresh database.  With SECONDS (long mode, e.g.
# 60) it runs for that long; without, 150 transactions per client (short
# mode, what test/suites/970_load.sh runs in CI).  No retries: any deadlock,
# unique violation or other error aborts a client and fails the run.  Then
# test/load/check.sql counts reminders and change-log entries against what
# the clients did.  Exit status 1 on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=isms_load
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
export PGOPTIONS='-c client_min_messages=warning'
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -q -v ON_ERROR_STOP=1 -d $db -c 'CREATE EXTENSION pg_isms' -f test/load/setup.sql >/dev/null
if [ -n "${1:-}" ]; then limit=(-T "$1"); mode="long (${1} s)"; else limit=(-t 150); mode="short (150 per client)"; fi
log=$(mktemp)
rc=0
pgbench -n -c 8 -j 2 "${limit[@]}" -f test/load/mixed.pgbench $db >"$log" 2>&1 || rc=$?
tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$log")
tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$log" | head -n 1)
deadlocks=$(grep -c 'deadlock detected' "$log" || true)
dups=$(grep -c 'duplicate key' "$log" || true)
if [ "$rc" != 0 ] || grep -q 'aborted' "$log"; then
	grep -E 'ERROR|DETAIL|aborted' "$log" | head -n 20
	rm -f "$log"
	echo "load: pgbench failed ($deadlocks deadlocks, $dups unique violations)"
	exit 1
fi
rm -f "$log"
done_=$(psql -X -A -t -v ON_ERROR_STOP=1 -d $db -c \
	"SELECT string_agg(kind || '=' || n, ' ' ORDER BY kind) FROM (SELECT kind, count(*) n FROM public.load_done GROUP BY 1) x")
result=$(psql -X -A -t -F ': ' -v ON_ERROR_STOP=1 -d $db -f test/load/check.sql)
reminders=$(psql -X -A -t -v ON_ERROR_STOP=1 -d $db -c \
	"SELECT count(*) || ' reminders (' || count(*) FILTER (WHERE status = 'cancelled') || ' cancelled, ' || count(*) FILTER (WHERE status = 'done') || ' done), max SEQUENCE ' || max(sequence) FROM isms.reminder")
echo "load: $mode, 8 clients, $tx transactions, $tps tps, 0 deadlocks, 0 unique violations"
echo "load: done: $done_"
echo "load: $reminders"
echo "$result" | sed 's/^/load: /'
if echo "$result" | grep -qv ': 0$'; then
	echo "load: FAILED"
	exit 1
fi
