#!/usr/bin/env bash
# test/docs-check.sh: fails when an object of the extension lacks a COMMENT
# (schema, types, functions, tables, views and their columns, settings) or
# a reference entry in docs/ (types, functions, tables, views, settings:
# the qualified name must appear in docs/reference/).  Type I/O, operator
# and index-support functions need a comment but no docs entry of their own.
# Runs against a fresh database of the server in PGHOST/PGPORT/PGUSER.
set -euo pipefail
cd "$(dirname "$0")/.."
db=isms_docs_check
PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS '$db'" >/dev/null 2>&1 || true' EXIT
psql -X -q -v ON_ERROR_STOP=1 -d $db -c 'CREATE EXTENSION pg_isms' -c 'SELECT isms.version()' >/dev/null

# One line per object: kind<TAB>qualified name<TAB>has comment<TAB>needs docs
psql -X -q -A -t -F $'\t' -v ON_ERROR_STOP=1 -d $db >build-docs-objects.tsv <<'SQL'
WITH ext AS (SELECT oid FROM pg_extension WHERE extname = 'pg_isms'),
members AS (
  SELECT classid, objid FROM pg_depend, ext
  WHERE refclassid = 'pg_extension'::regclass AND refobjid = ext.oid AND deptype = 'e'
),
support AS (
  SELECT typinput AS f FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE nspname = 'isms'
  UNION SELECT typoutput FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE nspname = 'isms'
  UNION SELECT typreceive FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE nspname = 'isms'
  UNION SELECT typsend FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE nspname = 'isms'
  UNION SELECT typmodin FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE nspname = 'isms'
  UNION SELECT typmodout FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE nspname = 'isms'
  UNION SELECT oprcode FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace WHERE nspname = 'isms'
  UNION SELECT oprrest FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace WHERE nspname = 'isms'
  UNION SELECT oprjoin FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace WHERE nspname = 'isms'
  UNION SELECT amproc FROM pg_amproc ap JOIN pg_opfamily f ON f.oid = ap.amprocfamily
        JOIN pg_namespace n ON n.oid = f.opfnamespace WHERE nspname = 'isms'
  UNION SELECT castfunc FROM pg_cast c JOIN members m ON m.classid = 'pg_cast'::regclass AND m.objid = c.oid
)
SELECT 'type', format('%I.%I', n.nspname, t.typname),
       obj_description(t.oid, 'pg_type') IS NOT NULL, true
  FROM members m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
  JOIN pg_namespace n ON n.oid = t.typnamespace
 -- Newer majors record more types as extension members: the array type of
 -- a member type (17) and the row type of a table or view (18).  Each is
 -- documented with its element type or its relation.
 WHERE NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)
   AND NOT EXISTS (SELECT 1 FROM pg_class r WHERE r.oid = t.typrelid AND r.relkind <> 'c')
UNION ALL
SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' ELSE 'function' END,
       format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)),
       obj_description(p.oid, 'pg_proc') IS NOT NULL,
       p.oid NOT IN (SELECT f FROM support WHERE f IS NOT NULL)
  FROM members m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
  JOIN pg_namespace n ON n.oid = p.pronamespace
UNION ALL
SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'view' WHEN 'S' THEN 'sequence' ELSE 'table' END,
       format('%I.%I', n.nspname, c.relname),
       obj_description(c.oid, 'pg_class') IS NOT NULL, c.relkind <> 'S'
  FROM members m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
  JOIN pg_namespace n ON n.oid = c.relnamespace
UNION ALL
SELECT 'column', format('%I.%I.%I', n.nspname, c.relname, a.attname),
       col_description(c.oid, a.attnum) IS NOT NULL, false
  FROM members m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relkind IN ('r', 'v', 'm', 'p')
UNION ALL
SELECT 'schema', 'isms', obj_description('isms'::regnamespace, 'pg_namespace') IS NOT NULL, false
UNION ALL
SELECT 'setting', name, short_desc IS NOT NULL AND short_desc <> '', true
  FROM pg_settings WHERE name LIKE 'isms.%'
ORDER BY 1, 2;
SQL

total=0; bad=0
while IFS=$'\t' read -r kind name has_comment needs_docs; do
	total=$((total + 1))
	if [ "$has_comment" != t ]; then
		echo "missing COMMENT: $kind $name"; bad=$((bad + 1))
	fi
	if [ "$needs_docs" = t ]; then
		base=${name%%(*}
		re="${base//./\\.}([^A-Za-z0-9_]|\$)"
		if ! grep -rqE -- "$re" docs/reference/; then
			echo "missing docs/reference entry: $kind $base"; bad=$((bad + 1))
		fi
	fi
done <build-docs-objects.tsv
rm -f build-docs-objects.tsv
echo "docs-check: $total objects checked, $bad problems"
[ "$bad" -eq 0 ]
