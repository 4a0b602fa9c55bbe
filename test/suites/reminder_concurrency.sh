#!/usr/bin/env bash
# test/suites/reminder_concurrency.sh: eight concurrent pgbench sessions
# create, change and delete subjects and audits (test/pgbench/reminders.*);
# afterwards no reminder may be missing, duplicated or out of step.
# Short mode by default (8 clients x 150 transactions); REMINDER_BENCH_SECONDS=60
# runs the long mode for that many seconds instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=isms_concurrency
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
export PGOPTIONS='-c client_min_messages=warning'
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -q -v ON_ERROR_STOP=1 -d $db -c 'CREATE EXTENSION pg_isms' -f test/pgbench/reminders_setup.sql >/dev/null
if [ -n "${REMINDER_BENCH_SECONDS:-}" ]; then
	limit=(-T "$REMINDER_BENCH_SECONDS")
else
	limit=(-t 150)
fi
log=$(mktemp)
if ! pgbench -n -c 8 -j 2 "${limit[@]}" --max-tries=20 -f test/pgbench/reminders.pgbench $db >"$log" 2>&1; then
	grep -E "error|ERROR|DETAIL" "$log" | head -n 20
	echo "reminder_concurrency: pgbench failed"
	exit 1
fi
tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$log")
failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$log")
rm -f "$log"
result=$(psql -X -A -t -F ': ' -v ON_ERROR_STOP=1 -d $db -f test/pgbench/reminders_check.sql)
echo "$result" | sed 's/^/reminder_concurrency: /'
counts=$(psql -X -A -t -v ON_ERROR_STOP=1 -d $db -c "SELECT count(*) || ' reminders (' || count(*) FILTER (WHERE status = 'cancelled') || ' cancelled), max SEQUENCE ' || max(sequence) FROM isms.reminder")
echo "reminder_concurrency: 8 clients, ${tx:-?} transactions (${failed:-0} failed and not retried), $counts"
if echo "$result" | grep -qv ': 0$'; then
	echo "reminder_concurrency: FAILED"
	exit 1
fi
[ "${failed:-0}" = 0 ] || { echo "reminder_concurrency: failed transactions"; exit 1; }
