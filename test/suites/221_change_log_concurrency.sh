#!/usr/bin/env bash
# test/suites/221_change_log_concurrency.sh: eight pgbench sessions append
# to the hash-chained change log at once (logged updates of hot rows, two-
# statement inserts, and REPEATABLE READ updates), then the chain must be
# one chain: every entry's prev_hash used once, verify_change_log() ok, as
# many entries as changes made, and the head counting them all.  Serialization
# failures (REPEATABLE READ sessions finding the head moved) are retried and
# reported; a deadlock or a failed transaction fails the suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=isms_chain_concurrency
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
export PGOPTIONS='-c client_min_messages=warning'
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -q -v ON_ERROR_STOP=1 -d $db >/dev/null <<'SQL'
CREATE EXTENSION pg_isms;
CREATE TABLE public.chain_acct (id int PRIMARY KEY, v int NOT NULL DEFAULT 0);
CREATE TABLE public.chain_event (n bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, client int NOT NULL);
SELECT isms.attach_change_log('public.chain_acct');
SELECT isms.attach_change_log('public.chain_event');
INSERT INTO public.chain_acct (id) SELECT i FROM generate_series(1, 50) AS i;
SQL
log=$(mktemp)
if ! pgbench -n -c 8 -j 2 -t "${CHAIN_TRANSACTIONS:-150}" --max-tries=1000 --failures-detailed --verbose-errors \
		-f test/pgbench/change_log_update.pgbench@4 -f test/pgbench/change_log_insert.pgbench@2 \
		-f test/pgbench/change_log_rr.pgbench@2 $db >"$log" 2>&1; then
	grep -E "error|ERROR|DETAIL" "$log" | head -n 20
	echo "change_log_concurrency: pgbench failed FAILED"
	exit 1
fi
tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$log")
failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$log")
retries=$(sed -n 's/^total number of retries: \([0-9]*\).*/\1/p' "$log")
deadlocks=$(grep -c 'got an error in command.*ERROR: *deadlock detected' "$log" || true)
serial=$(grep -c 'got an error in command.*ERROR: *could not serialize' "$log" || true)
if [ "${failed:-0}" != 0 ] || [ "$deadlocks" != 0 ]; then
	grep -o "ERROR: .*" "$log" | sort | uniq -c | sort -rn | head -n 5
	sed -n '/^number of/p' "$log"
	rm -f "$log"
	echo "change_log_concurrency: $failed failed transactions, $deadlocks deadlocks FAILED"
	exit 1
fi
rm -f "$log"
read -r entries prevs updates changed events logged_events verdict head <<<"$(psql -X -q -A -t -F ' ' -v ON_ERROR_STOP=1 -d $db <<'SQL'
SELECT (SELECT count(*) FROM isms.change_log),
       (SELECT count(DISTINCT prev_hash) FROM isms.change_log),
       (SELECT count(*) FROM isms.change_log WHERE table_name = 'public.chain_acct' AND op = 'UPDATE'),
       (SELECT sum(v) FROM public.chain_acct),
       (SELECT count(*) FROM public.chain_event),
       (SELECT count(*) FROM isms.change_log WHERE table_name = 'public.chain_event'),
       (SELECT status FROM isms.verify_change_log()),
       (SELECT entries FROM isms.change_log_anchor())
SQL
)"
echo "change_log_concurrency: 8 clients, $tx transactions, $retries retried (serialization failures $serial), $entries entries"
ok=1
[ "$prevs" = "$entries" ] || { echo "change_log_concurrency: $entries entries but $prevs distinct prev_hash: the chain forked FAILED"; ok=0; }
[ "$updates" = "$changed" ] || { echo "change_log_concurrency: $changed updates made, $updates logged FAILED"; ok=0; }
[ "$events" = "$logged_events" ] || { echo "change_log_concurrency: $events events inserted, $logged_events logged FAILED"; ok=0; }
[ "$verdict" = ok ] || { echo "change_log_concurrency: verify_change_log() says $verdict FAILED"; ok=0; }
[ "$head" = "$entries" ] || { echo "change_log_concurrency: the head counts $head of $entries entries FAILED"; ok=0; }
[ "$ok" = 1 ] || exit 1
echo "change_log_concurrency: one chain of $entries entries (each prev_hash once), verified; head counts them all"
