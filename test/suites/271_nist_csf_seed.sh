#!/usr/bin/env bash
# test/suites/271_nist_csf_seed.sh: the committed sql/271_nist_csf_seed.sql,
# sql/502_nist_csf_clause_relations.sql and their update parts are exactly
# what data/gen_mapping_seed.py writes from the committed NIST files, the
# update parts of the mapping concern (271, 502, 275, 280: new objects only)
# include their install files, and a reference to a clause that does not
# exist stops the generator.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 data/gen_mapping_seed.py "$tmp/seed.sql" 2>"$tmp/stderr"
if ! diff -u sql/271_nist_csf_seed.sql "$tmp/seed.sql" >/dev/null; then
	echo "nist_csf_seed: sql/271_nist_csf_seed.sql is stale; run python3 data/gen_mapping_seed.py"
	exit 1
fi
python3 data/gen_mapping_seed.py --clauses "$tmp/clauses.sql" 2>>"$tmp/stderr"
if ! diff -u sql/502_nist_csf_clause_relations.sql "$tmp/clauses.sql" >/dev/null; then
	echo "nist_csf_seed: sql/502_nist_csf_clause_relations.sql is stale; run python3 data/gen_mapping_seed.py"
	exit 1
fi
# Their update parts (all new in 0.2.0) include the install file, which the
# Makefile assembles in: never a copy to keep the same.
for f in 271_nist_csf_seed 502_nist_csf_clause_relations 275_oscal_mapping 280_control_coverage; do
	if ! grep -qx -- "-- include: sql/$f.sql" sql/updates/0.1.0--0.2.0/$f.sql; then
		echo "nist_csf_seed: the update part $f.sql does not include sql/$f.sql"
		exit 1
	fi
done
# A copy of the generator and its inputs with one clause reference changed
# to a clause that does not exist (9.9 instead of 6.11): the generator stops
# instead of shipping or dropping it.
mkdir -p "$tmp/data/nist"
cp data/gen_mapping_seed.py data/iso27001-2022-annex-a.csv data/iso27001-2022-clauses.csv "$tmp/data/"
cp data/nist/NIST_CSF_v2.0_catalog.xml "$tmp/data/nist/"
sed 's/Mandatory Clause: 6\.11/Mandatory Clause: 9.9/' data/nist/csf2-core-iso27001.csv >"$tmp/data/nist/csf2-core-iso27001.csv"
if cmp -s data/nist/csf2-core-iso27001.csv "$tmp/data/nist/csf2-core-iso27001.csv"; then
	echo "nist_csf_seed: the export has no '6.11' clause reference to change"
	exit 1
fi
if python3 "$tmp/data/gen_mapping_seed.py" "$tmp/bad.sql" 2>"$tmp/err"; then
	echo "nist_csf_seed: a reference to clause 9.9 was accepted"
	exit 1
fi
grep -q "names clause '9.9', which does not exist" "$tmp/err"
echo "nist_csf_seed: generated seeds (271, 502) match data/nist/*; update parts include their install files; an unknown clause stops the generator"
