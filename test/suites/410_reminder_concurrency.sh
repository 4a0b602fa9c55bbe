#!/usr/bin/env bash
# test/suites/410_reminder_concurrency.sh: eight concurrent pgbench sessions
# create, change and delete subjects and audits (test/pgbench/reminders.*);
# afterwards no reminder may be missing, duplicated or out of step.
# Short mode by default (8 clients x 150 transactions); REMINDER_BENCH_SECONDS=60
# runs the long mode for that many seconds instead.
# Retries: pgbench may retry a transaction (--max-tries) only after a
# serialization failure or a deadlock.  The workload runs at READ COMMITTED,
# where serialization failures do not occur, so a retry would be hiding a
# deadlock: every retry is reported by kind (--verbose-errors), and any
# deadlock, retried or not, fails the suite.  Serialization failures, should
# the workload ever run at REPEATABLE READ or above, are retried and only
# reported.
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
if ! pgbench -n -c 8 -j 2 "${limit[@]}" --max-tries=20 --failures-detailed --verbose-errors \
		-f test/pgbench/reminders.pgbench $db >"$log" 2>&1; then
	grep -E "error|ERROR|DETAIL" "$log" | head -n 20
	echo "reminder_concurrency: pgbench failed"
	exit 1
fi
tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$log")
failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$log")
retries=$(sed -n 's/^total number of retries: \([0-9]*\).*/\1/p' "$log")
# --verbose-errors prints every error that led to a retry or a failed
# transaction as "client N got an error in command C (SQL) of script S;
# ERROR:  <message>": count them by kind.
err_deadlock=$(grep -c 'got an error in command.*ERROR: *deadlock detected' "$log" || true)
err_serial=$(grep -c 'got an error in command.*ERROR: *could not serialize' "$log" || true)
fail_deadlock=$(sed -n 's/^number of deadlock failures: \([0-9]*\).*/\1/p' "$log")
fail_serial=$(sed -n 's/^number of serialization failures: \([0-9]*\).*/\1/p' "$log")
rm -f "$log"
echo "reminder_concurrency: retries: ${retries:-?} (errors retried or failed: deadlock $err_deadlock, serialization failure $err_serial); failed after 20 tries: deadlock ${fail_deadlock:-?}, serialization failure ${fail_serial:-?}"
if [ -z "$retries" ] || [ $((retries + ${failed:-0})) != $((err_deadlock + err_serial)) ]; then
	echo "reminder_concurrency: could not classify the retries pgbench reported FAILED"
	exit 1
fi
if [ "$err_deadlock" != 0 ] || [ "${fail_deadlock:-0}" != 0 ]; then
	echo "reminder_concurrency: deadlocks FAILED"
	exit 1
fi
result=$(psql -X -A -t -F ': ' -v ON_ERROR_STOP=1 -d $db -f test/pgbench/reminders_check.sql)
echo "$result" | sed 's/^/reminder_concurrency: /'
counts=$(psql -X -A -t -v ON_ERROR_STOP=1 -d $db -c "SELECT count(*) || ' reminders (' || count(*) FILTER (WHERE status = 'cancelled') || ' cancelled), max SEQUENCE ' || max(sequence) FROM isms.reminder")
echo "reminder_concurrency: 8 clients, ${tx:-?} transactions (${failed:-0} failed and not retried), $counts"
if echo "$result" | grep -qv ': 0$'; then
	echo "reminder_concurrency: FAILED"
	exit 1
fi
[ "${failed:-0}" = 0 ] || { echo "reminder_concurrency: failed transactions"; exit 1; }
