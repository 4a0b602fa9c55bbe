#!/usr/bin/env bash
# test/with-cluster.sh CMD [ARGS]: run CMD against a throwaway cluster
# (temporary folder, own socket), then stop and remove the cluster, also on
# failure or Ctrl-C.  Expects pg_isms to be installed already.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ISMS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/pg_isms.XXXXXX")
trap 'isms_cluster_stop "$ISMS_TMP"' EXIT
trap 'exit 130' INT TERM
isms_cluster_start "$ISMS_TMP"
"$@"
