#!/usr/bin/env bash
# test/tools/schema_diagram.sh OUTDIR: draw the tables of schema isms and
# their foreign keys from the live catalog of the server in PGHOST/PGPORT
# (a fresh database with the extension), as Graphviz DOT, SVG and PNG:
# OUTDIR/schema.dot, schema.svg, schema.png (DOT_ONLY=1: just the .dot).  `make diagram` writes them into
# docs/; test/suites/951_schema_diagram.sh fails when docs/schema.dot is stale.
set -euo pipefail
outdir=${1:?usage: schema_diagram.sh OUTDIR}
db=isms_schema_diagram
export PGOPTIONS='-c client_min_messages=warning'
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS '$db'" >/dev/null 2>&1 || true' EXIT
psql -X -q -v ON_ERROR_STOP=1 -d $db -c 'CREATE EXTENSION pg_isms'
mkdir -p "$outdir"
psql -X -q -A -t -v ON_ERROR_STOP=1 -d $db >"$outdir/schema.dot" <<'SQL'
WITH tabs AS (
  SELECT c.oid, c.relname FROM pg_class c
   WHERE c.relnamespace = 'isms'::regnamespace AND c.relkind IN ('r', 'p')
),
cols AS (
  SELECT t.relname,
         string_agg(format('<tr><td align="left" port="%s">%s%s</td><td align="left"><font color="#555555">%s</font></td></tr>',
                           a.attname,
                           CASE WHEN pk.conkey IS NOT NULL AND a.attnum = ANY (pk.conkey) THEN '<b>' || a.attname || '</b>' ELSE a.attname END,
                           CASE WHEN a.attnotnull THEN '' ELSE '?' END,
                           replace(replace(format_type(a.atttypid, a.atttypmod), 'isms.', ''), '"', '')),
                    '' ORDER BY a.attnum) AS rows
    FROM tabs t
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_constraint pk ON pk.conrelid = t.oid AND pk.contype = 'p'
   GROUP BY t.relname
),
fks AS (
  SELECT DISTINCT src.relname AS from_t, dst.relname AS to_t,
         (SELECT attname FROM pg_attribute WHERE attrelid = con.conrelid AND attnum = con.conkey[1]) AS from_c
    FROM pg_constraint con
    JOIN tabs src ON src.oid = con.conrelid
    JOIN tabs dst ON dst.oid = con.confrelid
   WHERE con.contype = 'f'
)
SELECT 'digraph isms {' UNION ALL
SELECT '  graph [rankdir=LR, fontname="Helvetica", fontsize=12, label="pg_isms: tables of schema isms and their foreign keys (generated from the live catalog)", labelloc=t, nodesep=0.3, ranksep=0.9];' UNION ALL
SELECT '  node [shape=plain, fontname="Helvetica", fontsize=10];' UNION ALL
SELECT '  edge [color="#4a6fa5", arrowsize=0.7];' UNION ALL
SELECT * FROM (
  SELECT format('  "%s" [label=<<table border="1" cellborder="0" cellspacing="0" cellpadding="3"><tr><td colspan="2" bgcolor="#d8e3f0"><b>isms.%s</b></td></tr>%s</table>>];',
                relname, relname, rows)
    FROM cols ORDER BY relname) n UNION ALL
SELECT * FROM (
  SELECT format('  "%s":"%s" -> "%s";', from_t, from_c, to_t) FROM fks ORDER BY from_t, from_c, to_t) e UNION ALL
SELECT '}';
SQL
# DOT_ONLY=1 (the staleness suite) stops at the DOT source.
if [ -n "${DOT_ONLY:-}" ]; then
	exit 0
fi
dot -Tsvg "$outdir/schema.dot" -o "$outdir/schema.svg"
dot -Tpng -Gdpi=72 "$outdir/schema.dot" -o "$outdir/schema.png"
echo "schema diagram: $(grep -c '\[label=' "$outdir/schema.dot") tables, $(grep -c -- '->' "$outdir/schema.dot") foreign keys -> $outdir/schema.{dot,svg,png}"
