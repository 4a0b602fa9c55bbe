#!/usr/bin/env bash
# test/suites/610_privacy_seed.sh: the committed sql/610_privacy_seed.sql
# is exactly what data/gen_seed.py writes from data/iso27701-2019-controls.csv.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
python3 data/gen_seed.py --privacy "$tmp"
if ! diff -u sql/610_privacy_seed.sql "$tmp" >/dev/null; then
	echo "privacy_seed: sql/610_privacy_seed.sql is stale; run python3 data/gen_seed.py"
	exit 1
fi
echo "privacy_seed: generated seed matches data/iso27701-2019-controls.csv"
