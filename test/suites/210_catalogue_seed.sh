#!/usr/bin/env bash
# test/suites/210_catalogue_seed.sh: the committed sql/210_catalogue_seed.sql
# is exactly what data/gen_seed.py writes from the committed CSV files.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
python3 data/gen_seed.py "$tmp"
if ! diff -u sql/210_catalogue_seed.sql "$tmp" >/dev/null; then
	echo "catalogue_seed: sql/210_catalogue_seed.sql is stale; run python3 data/gen_seed.py"
	exit 1
fi
echo "catalogue_seed: generated seed matches data/*.csv"
