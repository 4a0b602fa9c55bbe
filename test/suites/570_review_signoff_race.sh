#!/usr/bin/env bash
# test/suites/570_review_signoff_race.sh: the sign-off lock of a management
# review holds under concurrency.  Session A signs a review off and keeps
# its transaction open; session B, meanwhile, adds a decision and an action
# to the same review.  B must wait for A (the lock trigger reads the review
# FOR SHARE) and then be refused with 55000, leaving nothing written; and
# the other way round, a decision added first makes the sign-off wait and
# is part of the review it signs.  Exit status 1 on any difference.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=isms_signoff_race
out=$(mktemp -d)
trap 'rm -rf "$out"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
export PGOPTIONS='-c client_min_messages=warning'
fail() { echo "signoff race: $*"; exit 1; }
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -q -v ON_ERROR_STOP=1 -d $db <<'SQL'
CREATE EXTENSION pg_isms;
INSERT INTO isms.management_review (scope, held_on, chair, attendees)
VALUES ('default', CURRENT_DATE - 2, 'CEO', '{CEO}'), ('default', CURRENT_DATE - 1, 'CEO', '{CEO}');
SQL

# Wait (at most 60 s) until a session with application_name $1 waits on a lock.
wait_for_lock_wait() {
	local i
	for i in $(seq 1 600); do
		if [ "$(psql -X -q -A -t -d $db -c "SELECT count(*) FROM pg_stat_activity
		          WHERE application_name = '$1' AND wait_event_type = 'Lock'")" = 1 ]; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}
# Wait until session $1 has run its first statements (it sleeps then).
wait_for_sleep() {
	local i
	for i in $(seq 1 600); do
		if [ "$(psql -X -q -A -t -d $db -c "SELECT count(*) FROM pg_stat_activity
		          WHERE application_name = '$1' AND query LIKE '%pg_sleep%' AND state = 'active'")" = 1 ]; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# 1. Sign-off first, decision second: the decision waits, then is refused.
PGAPPNAME=race_a psql -X -q -v ON_ERROR_STOP=1 -d $db >"$out/a1.log" 2>&1 <<'SQL' &
BEGIN;
SELECT isms.management_review_sign(1, 'CEO') IS NOT NULL;
SELECT pg_sleep(4);
COMMIT;
SQL
a=$!
wait_for_sleep race_a || fail "session A never signed"
PGAPPNAME=race_b psql -X -q -d $db >"$out/b1.log" 2>&1 <<'SQL' &
\set VERBOSITY sqlstate
INSERT INTO isms.management_review_decision (review, decision) VALUES (1, 'Decided while the sign-off was running');
INSERT INTO isms.management_review_action (review, action, owner, due) VALUES (1, 'Added while the sign-off was running', 'CISO', CURRENT_DATE + 30);
SQL
b=$!
wait_for_lock_wait race_b || fail "the decision did not wait for the sign-off (no lock on the review)"
wait $a || fail "session A failed: $(cat "$out/a1.log")"
wait $b || true
[ "$(grep -c '55000' "$out/b1.log")" = 2 ] || fail "expected two 55000 refusals, got: $(cat "$out/b1.log")"
n=$(psql -X -q -A -t -d $db -c "SELECT (SELECT count(*) FROM isms.management_review_decision WHERE review = 1)
                                      + (SELECT count(*) FROM isms.management_review_action WHERE review = 1)")
[ "$n" = 0 ] || fail "$n rows were added to the signed review"

# 2. Decision first, sign-off second: the sign-off waits, then signs a
# review that has the decision.
PGAPPNAME=race_c psql -X -q -v ON_ERROR_STOP=1 -d $db >"$out/c2.log" 2>&1 <<'SQL' &
BEGIN;
INSERT INTO isms.management_review_decision (review, decision) VALUES (2, 'Decided before the sign-off');
SELECT pg_sleep(4);
COMMIT;
SQL
c=$!
wait_for_sleep race_c || fail "session C never added its decision"
PGAPPNAME=race_d psql -X -q -v ON_ERROR_STOP=1 -d $db -c "SELECT isms.management_review_sign(2, 'CEO') IS NOT NULL" \
	>"$out/d2.log" 2>&1 &
d=$!
wait_for_lock_wait race_d || fail "the sign-off did not wait for the decision being added"
wait $c || fail "session C failed: $(cat "$out/c2.log")"
wait $d || fail "the sign-off failed: $(cat "$out/d2.log")"
r=$(psql -X -q -A -t -d $db -c "SELECT signed_at IS NOT NULL AND (SELECT count(*) FROM isms.management_review_decision d WHERE d.review = r.id) = 1
                                   FROM isms.management_review r WHERE id = 2")
[ "$r" = t ] || fail "review 2 is not signed with its decision"
echo "signoff race: a decision racing a sign-off waits and is refused (55000, nothing written); a sign-off racing a decision waits and signs it"
