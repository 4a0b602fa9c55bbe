#!/usr/bin/env bash
# test/suites/96_memory.sh: the short mode of the memory soak
# (test/load/memory.sh: one backend repeating RRULE expansion, iCalendar
# export, parse and a failing import, including calls that fail part-way);
# its private memory must not grow by more than 16 MB over 8 seconds of
# calls (time-based, so an idle machine still gives enough samples).  The long mode is
# `test/with-cluster.sh test/load/memory.sh 100000`.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec test/load/memory.sh "${MEMORY_CALLS:-8s}"
