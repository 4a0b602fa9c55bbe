#!/usr/bin/env bash
# test/suites/705_loss_exceedance_svg.sh: isms.loss_exceedance_svg() over the
# quantified risks of the demo ISMS is well-formed XML (xmllint) for each
# risk alone and for all together, and an independent XML parser (python3's
# ElementTree) reads back, point by point, the same losses and probabilities
# as isms.portfolio_loss_exceedance, the ALE and P95 of
# isms.simulate_portfolio for the same trials and seed, and every point
# inside the plot area, the curve falling from left to right.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=isms_lec_svg
out=$(mktemp -d)
trap 'rm -rf "$out"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
export PGOPTIONS='-c client_min_messages=warning'
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -q -v ON_ERROR_STOP=1 -d $db -c 'CREATE EXTENSION pg_isms'
for f in test/demo/*.sql; do
	psql -X -q -v ON_ERROR_STOP=1 -v outdir="$out" -d $db -f "$f" >/dev/null 2>&1
done
sets=$(psql -X -q -A -t -d $db -c "SELECT 'ARRAY[' || risk_id || ']' FROM isms.risk_quantification ORDER BY risk_id")
all=$(psql -X -q -A -t -d $db -c "SELECT 'ARRAY[' || string_agg(risk_id::text, ',' ORDER BY risk_id) || ']' FROM isms.risk_quantification")
[ -n "$sets" ] || { echo "the demo quantifies no risk" >&2; exit 1; }
checked=0
for ids in $sets "$all"; do
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d $db \
		-c "SELECT isms.loss_exceedance_svg($ids::bigint[], 20000, 5)" >"$out/lec.svg"
	xmllint --noout "$out/lec.svg"
	psql -X -q -A -t -F ' ' -v ON_ERROR_STOP=1 -d $db -c "SET extra_float_digits = 3" \
		-c "SELECT loss, probability FROM isms.portfolio_loss_exceedance($ids::bigint[], 20000, 5, 60) ORDER BY loss" >"$out/curve.txt"
	psql -X -q -A -t -F ' ' -v ON_ERROR_STOP=1 -d $db -c "SET extra_float_digits = 3" \
		-c "SELECT ale, p95, trials FROM isms.simulate_portfolio($ids::bigint[], 20000, 5)" >"$out/sim.txt"
	/usr/bin/python3 - "$out/lec.svg" "$out/curve.txt" "$out/sim.txt" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"svg": "http://www.w3.org/2000/svg"}
root = ET.parse(sys.argv[1]).getroot()
w, h = float(root.get("width")), float(root.get("height"))
drawn = [(float(c.get("data-loss")), float(c.get("data-probability")), float(c.get("cx")), float(c.get("cy")))
         for c in root.iterfind("svg:circle[@class='point']", ns)]
curve = [tuple(float(v) for v in line.split()) for line in open(sys.argv[2]) if line.strip()]
assert [(l, p) for l, p, _, _ in drawn] == curve, (drawn[:3], curve[:3])
for _, _, x, y in drawn:
    assert 0 <= x <= w and 0 <= y <= h, (x, y)
xs = [x for _, _, x, _ in drawn]; ys = [y for _, _, _, y in drawn]
assert xs == sorted(xs) and ys == sorted(ys), "the curve must fall from left to right"
ale, p95, trials = (float(v) for v in open(sys.argv[3]).read().split())
assert float(root.get("data-ale")) == ale and float(root.get("data-p95")) == p95, (root.get("data-ale"), ale)
assert int(root.get("data-trials")) == trials
assert root.find("svg:path[@class='curve']", ns) is not None
PY
	checked=$((checked + 1))
done
echo "loss-exceedance svg: $checked pictures well-formed (xmllint), equal to isms.portfolio_loss_exceedance point by point, figures of isms.simulate_portfolio"
