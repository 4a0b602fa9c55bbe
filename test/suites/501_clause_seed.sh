#!/usr/bin/env bash
# test/suites/501_clause_seed.sh: the committed sql/501_clause_seed.sql is
# exactly what data/gen_clause_seed.py writes from data/iso27001-2022-clauses.csv.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
python3 data/gen_clause_seed.py "$tmp"
if ! diff -u sql/501_clause_seed.sql "$tmp" >/dev/null; then
	echo "clause_seed: sql/501_clause_seed.sql is stale; run python3 data/gen_clause_seed.py"
	exit 1
fi
echo "clause_seed: generated seed matches data/iso27001-2022-clauses.csv"
