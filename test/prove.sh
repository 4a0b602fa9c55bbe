#!/usr/bin/env bash
# test/prove.sh: run every pgTAP suite under test/pgtap with pg_prove in a
# fresh database (isms_tap) of the server in PGHOST/PGPORT/PGUSER.  Each
# suite runs in a transaction that it rolls back.
set -euo pipefail
cd "$(dirname "$0")/.."
PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d postgres -c 'DROP DATABASE IF EXISTS isms_tap' \
	-c 'CREATE DATABASE isms_tap'
psql -X -q -v ON_ERROR_STOP=1 -d isms_tap -c 'CREATE EXTENSION pgtap'
exec pg_prove --ext .sql -d isms_tap test/pgtap/
