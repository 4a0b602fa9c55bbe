#!/usr/bin/env bash
# test/suites/700_heatmap_svg.sh: isms.risk_heatmap_svg() over the demo ISMS
# is well-formed XML (xmllint) for every scope and both scores, and an
# independent XML parser (python3's ElementTree) reads back, cell by cell,
# the same counts and levels as isms.risk_heatmap.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=isms_heatmap
out=$(mktemp -d)
trap 'rm -rf "$out"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
export PGOPTIONS='-c client_min_messages=warning'
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -q -v ON_ERROR_STOP=1 -d $db -c 'CREATE EXTENSION pg_isms'
for f in test/demo/*.sql; do
	psql -X -q -v ON_ERROR_STOP=1 -v outdir="$out" -d $db -f "$f" >/dev/null 2>&1
done
checked=0
for scope in '' $(psql -X -q -A -t -d $db -c 'SELECT id FROM isms.scope ORDER BY id'); do
	for which in inherent residual; do
		arg=${scope:+"'$scope'"}; arg=${arg:-NULL}
		psql -X -q -A -t -v ON_ERROR_STOP=1 -d $db \
			-c "SELECT isms.risk_heatmap_svg($arg, 'default', '$which')" >"$out/map.svg"
		xmllint --noout "$out/map.svg"
		psql -X -q -A -t -F ' ' -v ON_ERROR_STOP=1 -d $db -c "
			SELECT likelihood, impact, coalesce(level, ''), sum(${which}_count)
			  FROM isms.risk_heatmap
			 WHERE matrix = 'default' AND ($arg::text IS NULL OR scope = $arg)
			 GROUP BY 1, 2, 3 ORDER BY 1, 2" >"$out/view.txt"
		/usr/bin/python3 - "$out/map.svg" "$out/view.txt" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"svg": "http://www.w3.org/2000/svg"}
root = ET.parse(sys.argv[1]).getroot()
drawn = {}
for g in root.iterfind("svg:g[@class='cell']", ns):
    key = (int(g.get("data-likelihood")), int(g.get("data-impact")))
    texts = [t.text for t in g.iterfind("svg:text", ns)]
    shown = int(texts[0]) if texts else 0
    assert shown == int(g.get("data-count")), (key, shown, g.get("data-count"))
    drawn[key] = (g.get("data-level"), shown)
view = {}
for line in open(sys.argv[2]):
    l, i, level, n = line.rstrip("\n").split(" ")
    view[(int(l), int(i))] = (level, int(n))
assert drawn == view, (sorted(drawn.items()), sorted(view.items()))
legend = sum(int(g.get("data-count")) for g in root.iterfind("svg:g[@class='legend']", ns))
assert legend == sum(n for _, n in view.values()), (legend, view)
PY
		checked=$((checked + 1))
	done
done
echo "heatmap svg: $checked pictures well-formed (xmllint) and equal to isms.risk_heatmap cell by cell"
