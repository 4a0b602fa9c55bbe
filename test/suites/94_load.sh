#!/usr/bin/env bash
# test/suites/94_load.sh: the short mode of the mixed concurrent workload
# (test/load/run.sh: eight pgbench clients, no deadlock, no unique
# violation, reminders and change-log entries counted against what was
# done).  The long mode is `test/with-cluster.sh test/load/run.sh 60`.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec test/load/run.sh
