#!/usr/bin/env bash
# test/check.sh: the README's test command.  On a bare Debian 12 machine it
# installs what it needs, builds with warnings as errors, installs, starts a
# throwaway cluster and runs every suite: C unit tests, the extra suites in
# test/suites/, the docs check, pg_regress (make installcheck) and pgTAP
# (pg_prove), in that order.  Exits non-zero if anything failed; the cluster
# is always stopped and removed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ISMS_ROOT"

isms_install_deps
isms_build_install

failed=()

isms_log "C unit tests of the pure cores"
test/unit/run.sh || failed+=("unit")

ISMS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/pg_isms-check.XXXXXX")
trap 'isms_cluster_stop "$ISMS_TMP"' EXIT
trap 'exit 130' INT TERM
isms_cluster_start "$ISMS_TMP"

for suite in test/suites/*.sh; do
	[ -e "$suite" ] || continue
	isms_log "suite $(basename "$suite" .sh)"
	bash "$suite" || failed+=("$(basename "$suite" .sh)")
done

isms_log "docs and COMMENT coverage"
test/docs-check.sh || failed+=("docs-check")

isms_log "pg_regress (make installcheck)"
rm -rf test/regress/results test/regress/regression.diffs test/regress/regression.out
if ! make -s installcheck PG_CONFIG="$PG_CONFIG"; then
	[ -f test/regress/regression.diffs ] && head -c 20000 test/regress/regression.diffs
	failed+=("pg_regress")
fi

isms_log "pgTAP (pg_prove)"
test/prove.sh || failed+=("pg_prove")

if [ ${#failed[@]} -gt 0 ]; then
	isms_log "FAILED: ${failed[*]}"
	exit 1
fi
isms_log "all suites passed"
