#!/usr/bin/env bash
# test/demo.sh: the README's demo command.  Installs what it needs, builds,
# installs, starts a throwaway cluster in ${TMPDIR:-/tmp}/pg_isms-demo (its
# own socket, port 54329), creates the extension in database "isms_demo",
# loads the sample ISMS from test/demo/*.sql in name order and prints what a
# user would look at.  The cluster is LEFT RUNNING so you can explore it; the
# last lines say how to connect and how to stop it.  A second run replaces
# the previous demo cluster.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ORIG_PWD=$(pwd)
cd "$ISMS_ROOT"

isms_install_deps
isms_build_install

DEMO_DIR=${TMPDIR:-/tmp}/pg_isms-demo
isms_cluster_stop "$DEMO_DIR"
# Only a failed start removes the folder; success leaves the server running.
trap 'isms_cluster_stop "$DEMO_DIR"' ERR
isms_cluster_start "$DEMO_DIR"
trap - ERR

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c 'CREATE DATABASE isms_demo'
export PGDATABASE=isms_demo
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION pg_isms'

# Files written by the demo (calendar, heat map) land where the user ran it.
export ISMS_DEMO_OUT=$ORIG_PWD
for f in test/demo/*.sql; do
	[ -e "$f" ] || continue
	psql -X -q -v ON_ERROR_STOP=1 -P pager=off -v outdir="$ISMS_DEMO_OUT" -f "$f"
done

cat <<MSG

The demo cluster is still running (data in $DEMO_DIR).
  connect:  psql -h $DEMO_DIR -p $PGPORT -U $PGUSER isms_demo
  stop:     $ISMS_RUN_AS $($PG_CONFIG --bindir)/pg_ctl -D $DEMO_DIR/data stop && rm -rf $DEMO_DIR
MSG
