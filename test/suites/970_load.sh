#!/usr/bin/env bash
# test/suites/970_load.sh: the short mode of the mixed concurrent workload
# (test/load/run.sh: eight pgbench clients, no deadlock, no unique
# violation, reminders and change-log entries counted against what was
# done).  The long mode is `test/with-cluster.sh test/load/run.sh 60`.
# Retries would hide deadlocks: run.sh calls pgbench without --max-tries
# (one try per transaction), so any deadlock or serialization failure
# aborts a client and fails the run; this suite checks that it stays so.
set -euo pipefail
cd "$(dirname "$0")/../.."
if grep -nE -- '--max-tries|--verbose-errors' test/load/run.sh; then
	echo "load: test/load/run.sh retries transactions; retries would hide deadlocks FAILED"
	exit 1
fi
grep -q 'deadlock detected' test/load/run.sh || { echo "load: test/load/run.sh no longer counts deadlocks FAILED"; exit 1; }
echo "load: pgbench runs with one try per transaction (retries: 0 by construction)"
exec test/load/run.sh
