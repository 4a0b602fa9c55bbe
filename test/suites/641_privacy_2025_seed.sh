#!/usr/bin/env bash
# test/suites/641_privacy_2025_seed.sh: the committed
# sql/641_privacy_2025_seed.sql is exactly what data/gen_privacy_2025_seed.py
# writes from data/iso27701-2025-controls.csv, its update part includes it,
# and the generator refuses a CSV that breaks its rules.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 data/gen_privacy_2025_seed.py "$tmp/seed.sql"
if ! diff -u sql/641_privacy_2025_seed.sql "$tmp/seed.sql" >/dev/null; then
	echo "privacy_2025_seed: sql/641_privacy_2025_seed.sql is stale; run python3 data/gen_privacy_2025_seed.py"
	exit 1
fi
if ! grep -qx -- "-- include: sql/641_privacy_2025_seed.sql" sql/updates/0.1.0--0.2.0/641_privacy_2025_seed.sql; then
	echo "privacy_2025_seed: the update part does not include the install file; run python3 data/gen_privacy_2025_seed.py"
	exit 1
fi
# A copy of the generator and the CSV, one row dropped / one heading changed:
# the generator stops (non-zero, a message) instead of writing a seed.
mkdir -p "$tmp/data" "$tmp/sql/updates/0.1.0--0.2.0"
cp data/gen_privacy_2025_seed.py "$tmp/data/"
grep -v '^A\.2\.5\.9,' data/iso27701-2025-controls.csv >"$tmp/data/iso27701-2025-controls.csv"
if python3 "$tmp/data/gen_privacy_2025_seed.py" "$tmp/out.sql" 2>"$tmp/err"; then
	echo "privacy_2025_seed: a CSV without A.2.5.9 was accepted"
	exit 1
fi
grep -q 'table A.2 must hold 18 controls, the CSV has 17' "$tmp/err"
sed 's/^A\.1\.3\.5,A\.1,Obligations to PII principals,/A.1.3.5,A.1,Something else,/' data/iso27701-2025-controls.csv >"$tmp/data/iso27701-2025-controls.csv"
if python3 "$tmp/data/gen_privacy_2025_seed.py" "$tmp/out.sql" 2>"$tmp/err"; then
	echo "privacy_2025_seed: a control objective with two headings was accepted"
	exit 1
fi
grep -q 'A.1.3.5 has heading' "$tmp/err"
echo "privacy_2025_seed: generated seed matches data/iso27701-2025-controls.csv; bad CSVs refused"
