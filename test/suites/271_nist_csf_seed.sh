#!/usr/bin/env bash
# test/suites/271_nist_csf_seed.sh: the committed sql/271_nist_csf_seed.sql
# and its update part are exactly what data/gen_mapping_seed.py writes from
# the committed NIST files, and the update parts of the mapping concern
# (275, 280: new objects only) carry the same statements as their install
# files.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 data/gen_mapping_seed.py "$tmp/seed.sql" 2>"$tmp/stderr"
if ! diff -u sql/271_nist_csf_seed.sql "$tmp/seed.sql" >/dev/null; then
	echo "nist_csf_seed: sql/271_nist_csf_seed.sql is stale; run python3 data/gen_mapping_seed.py"
	exit 1
fi
if ! diff -u <(tail -n +2 sql/271_nist_csf_seed.sql) <(tail -n +2 sql/updates/0.1.0--0.2.0/271_nist_csf_seed.sql) >/dev/null; then
	echo "nist_csf_seed: the update part 271_nist_csf_seed.sql differs from the install file; run python3 data/gen_mapping_seed.py"
	exit 1
fi
for f in 275_oscal_mapping 280_control_coverage; do
	if ! diff -u sql/$f.sql <(tail -n +2 sql/updates/0.1.0--0.2.0/$f.sql) >/dev/null; then
		echo "nist_csf_seed: sql/updates/0.1.0--0.2.0/$f.sql is not sql/$f.sql"
		exit 1
	fi
done
echo "nist_csf_seed: generated seed matches data/nist/*; update parts match their install files"
