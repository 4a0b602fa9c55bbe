#!/usr/bin/env bash
# bench/run-all.sh: run every bench/NN_*.sh against the server in
# PGHOST/PGPORT/PGUSER (make bench provides a throwaway one).  Each script
# times pg_isms against a named baseline in the same run and prints ratios
# as lines "ratio NAME: X (goal ...)".  Never a pass/fail gate.
set -euo pipefail
cd "$(dirname "$0")/.."
only=${BENCH:-}
for b in bench/[0-9]*.sh; do
	[ -e "$b" ] || continue
	if [ -n "$only" ] && [[ "$b" != *"$only"* ]]; then continue; fi
	echo "=== $b"
	bash "$b"
done
