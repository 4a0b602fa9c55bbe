#!/usr/bin/env bash
# test/suites/951_schema_diagram.sh: the schema diagram in docs/ is drawn from
# the current install script.  Regenerates the DOT source from a fresh install
# and compares it with docs/schema.dot; when it differs, `make diagram`
# redraws docs/schema.{dot,svg,png}.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
DOT_ONLY=1 test/tools/schema_diagram.sh "$out" >/dev/null
if ! diff -u docs/schema.dot "$out/schema.dot" >"$out/diff"; then
	head -n 40 "$out/diff" | cut -c1-240
	echo "schema diagram: docs/schema.dot is stale; run 'make diagram' and commit docs/schema.*"
	exit 1
fi
echo "schema diagram: docs/schema.dot matches a fresh install ($(grep -c '\[label=' docs/schema.dot) tables)"
