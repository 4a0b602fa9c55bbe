#!/usr/bin/env bash
# test/suites/950_docs_examples.sh: run every ```sql example of docs/, so the
# documentation cannot rot.  Each markdown file's examples run in order, in
# one session, in a fresh database holding the extension and the demo ISMS
# (test/demo/*.sql), with search_path = public, isms (as the getting-started
# guide recommends), inside a transaction that is rolled back.  Any error
# fails the suite and names the file and line of the example.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=isms_docs_examples
out=$(mktemp -d)
trap 'rm -rf "$out"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
export PGOPTIONS='-c client_min_messages=warning'
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -q -v ON_ERROR_STOP=1 -d $db -c 'CREATE EXTENSION pg_isms'
for f in test/demo/*.sql; do
	psql -X -q -v ON_ERROR_STOP=1 -v outdir="$out" -d $db -f "$f" >/dev/null
done
n=$(/usr/bin/python3 test/tools/doc_examples.py . "$out/examples")
files=0 failed=0
for s in "$out"/examples/*.sql; do
	[ -e "$s" ] || continue
	files=$((files + 1))
	if ! psql -X -q -v ON_ERROR_STOP=1 -d $db -1 \
		-c 'SET LOCAL client_min_messages = warning' -c 'SET LOCAL search_path = public, isms' \
		-f "$s" -c 'ROLLBACK' >"$out/log" 2>&1; then
		failed=$((failed + 1))
		echo "docs example failed in $(basename "$s" .sql | sed 's|__|/|g').md:"
		grep -E '^-- docs/|ERROR|LINE' "$out/log" | tail -n 4
	fi
done
if [ "$failed" -gt 0 ]; then
	cat <<'HOW'
Every ```sql block in docs/ must run (search_path = public, isms, demo data
loaded, rolled back afterwards).  Signatures belong in ```text blocks; an
example that cannot run here (a COPY to a client file) goes in ```sql-norun.
HOW
fi
echo "docs examples: $n examples in $files files, $failed files failed"
[ "$failed" -eq 0 ]
