#!/usr/bin/env bash
# test/suites/963_hostile_search_path.sh: a role (an isms admin) creates, in
# a schema it owns, look-alikes of every pg_catalog function whose name
# appears in the extension's SQL or C sources (same argument types, so they
# win over pg_catalog when that schema comes first), plus look-alike
# comparison, arithmetic, concatenation and jsonb operators, and runs with
# search_path = evil, pg_catalog, isms, public: the demo, every view, every
# argument-free read function and test/standby_reads.sql.  A look-alike
# called from inside any isms function, trigger or SPI statement, or as
# another role (a SECURITY DEFINER caller), counts as hijacked: the suite
# fails unless that count is 0, and unless the role's own top-level queries
# did hit look-alikes (the trap works).
set -euo pipefail
cd "$(dirname "$0")/../.."
db=isms_hostile
role=isms_t_evil
out=$(mktemp -d)
cleanup() {
	rm -rf "$out"
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1 || true
}
trap cleanup EXIT
export PGOPTIONS='-c client_min_messages=warning'
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "DROP ROLE IF EXISTS $role" \
	-c "CREATE DATABASE $db" -c "CREATE ROLE $role LOGIN"
psql -X -q -v ON_ERROR_STOP=1 -d $db -c 'CREATE EXTENSION pg_isms' -c "SELECT isms.grant_admin('$role')" \
	-c "CREATE SCHEMA evil AUTHORIZATION $role" >/dev/null

# Identifiers followed by "(" anywhere in the extension's sources.
# Plus common built-ins, so a future unqualified call is caught too.
{ cat sql/*.sql src/*.c
  echo 'lower( upper( length( substr( replace( concat( format( now( to_char( date_trunc( make_interval('
  echo 'jsonb_build_object( to_jsonb( array_length( cardinality( array_position( string_to_array( left('
  echo 'regexp_replace( split_part( right( md5( gen_random_uuid( current_setting( set_config( nextval('
  echo 'setval( btrim( trim( position( strpos( date_part( extract( age( isfinite( jsonb_typeof( starts_with('
} | grep -oE '[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\(' | tr -d '( \t' \
	| tr 'A-Z' 'a-z' | sort -u | sed "s/.*/INSERT INTO names VALUES ('&');/" >"$out/names.sql"

{ echo 'CREATE TEMP TABLE names (name text);'; cat "$out/names.sql"; cat; } <<'SQL' \
	| psql -X -q -v ON_ERROR_STOP=1 -d $db -U $role >/dev/null
CREATE SEQUENCE evil.hijacked;
CREATE SEQUENCE evil.benign;
CREATE TABLE evil.hits (fn text, who name, ctx text);
-- Called by every look-alike: hijacked when reached from inside isms code
-- or as another role; benign when the role's own top-level query used it.
CREATE FUNCTION evil.note(fn text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog AS $f$
DECLARE
  ctx text;
  l text;
  frame text;
  stmts int := 0;
  caller text := '';
BEGIN
  -- Who issued the call: the innermost frame that is not ours.  A DO block
  -- of the role's own (inline_code_block) running the statement directly
  -- is the role itself; any isms function, SQL function, or a statement
  -- run through SPI by C code (a "SQL statement" with no PL/pgSQL frame of
  -- its own) is pg_isms.
  GET DIAGNOSTICS ctx = PG_CONTEXT;
  FOR l IN SELECT x FROM regexp_split_to_table(ctx, E'\n') AS x WHERE x !~ 'evil\.' LOOP
    caller := caller || l || ' / ';
    IF l ~ '^SQL statement' THEN
      stmts := stmts + 1;
    ELSIF l ~ '^(PL/pgSQL function|SQL function)' THEN
      frame := l;
      EXIT;
    END IF;
  END LOOP;
  IF current_user <> session_user
     OR (frame IS NULL AND stmts > 0)
     OR (frame IS NOT NULL AND (frame !~ 'inline_code_block' OR stmts > 1)) THEN
    PERFORM nextval('evil.hijacked');
    RAISE WARNING 'HIJACKED: evil.% as % from %', fn, current_user, caller;
  ELSE
    PERFORM nextval('evil.benign');
  END IF;
END
$f$;
GRANT USAGE ON SCHEMA evil TO PUBLIC;
GRANT EXECUTE ON FUNCTION evil.note(text) TO PUBLIC;
GRANT USAGE ON SEQUENCE evil.hijacked, evil.benign TO PUBLIC;

-- Function look-alikes: same name and argument types as pg_catalog's.
DO $d$
DECLARE
  p record;
  args text;
  call text;
  n int := 0;
BEGIN
  FOR p IN
    SELECT f.oid, f.proname, f.proretset, f.prorettype, f.pronargs,
           pg_catalog.oidvectortypes(f.proargtypes) AS argtypes,
           format_type(f.prorettype, NULL) AS rettype
      FROM pg_proc f
     WHERE f.pronamespace = 'pg_catalog'::regnamespace AND f.prokind = 'f'
       AND f.proname IN (SELECT name FROM names)
       AND f.provariadic = 0 AND f.pronargs BETWEEN 0 AND 6
       AND f.prorettype NOT IN ('record'::regtype, 'internal'::regtype, 'cstring'::regtype, 'trigger'::regtype,
                                'event_trigger'::regtype, 'language_handler'::regtype, 'fdw_handler'::regtype,
                                'index_am_handler'::regtype, 'tsm_handler'::regtype, 'table_am_handler'::regtype,
                                'anyelement'::regtype, 'anyarray'::regtype, 'anycompatible'::regtype,
                                'anycompatiblearray'::regtype, 'anyrange'::regtype, 'anymultirange'::regtype,
                                'anynonarray'::regtype, 'anyenum'::regtype)
       AND NOT EXISTS (SELECT 1 FROM unnest(f.proargtypes::oid[]) t(o)
                        WHERE o IN ('internal'::regtype, 'cstring'::regtype, '"any"'::regtype, 'anyelement'::regtype,
                                    'anyarray'::regtype, 'anycompatible'::regtype, 'anycompatiblearray'::regtype,
                                    'anyrange'::regtype, 'anymultirange'::regtype, 'anynonarray'::regtype,
                                    'anyenum'::regtype, 'anycompatiblenonarray'::regtype, 'anycompatiblerange'::regtype,
                                    'record'::regtype))
       AND f.proname NOT IN ('note')
     ORDER BY 1
  LOOP
    SELECT coalesce(string_agg('$' || i, ', ' ORDER BY i), '') INTO args FROM generate_series(1, p.pronargs) i;
    call := format('pg_catalog.%I(%s)', p.proname, args);
    BEGIN
      EXECUTE format(
        'CREATE FUNCTION evil.%I(%s) RETURNS %s%s LANGUAGE plpgsql SET search_path = pg_catalog AS %L',
        p.proname, p.argtypes, CASE WHEN p.proretset THEN 'SETOF ' ELSE '' END, p.rettype,
        'BEGIN PERFORM evil.note(' || quote_literal(p.proname) || '); '
        || CASE WHEN p.proretset THEN 'RETURN QUERY SELECT * FROM ' || call || '; RETURN; '
                WHEN p.prorettype = 'void'::regtype THEN 'PERFORM ' || call || '; RETURN; '
                ELSE 'RETURN ' || call || '; ' END
        || 'END');
      EXECUTE format('GRANT EXECUTE ON FUNCTION evil.%I(%s) TO PUBLIC', p.proname, p.argtypes);
      n := n + 1;
    EXCEPTION WHEN duplicate_function OR invalid_function_definition OR feature_not_supported
                   OR datatype_mismatch OR wrong_object_type OR syntax_error OR undefined_object THEN
      NULL;
    END;
  END LOOP;
  RAISE NOTICE 'look-alike functions: %', n;
  PERFORM setval('evil.benign', 1, false);
  CREATE TABLE evil.stats (k text, v int);
  INSERT INTO evil.stats VALUES ('functions', n);
END
$d$;

-- Operator look-alikes.
DO $d$
DECLARE
  o record;
  n int := 0;
  fn text;
BEGIN
  FOR o IN
    SELECT op.oprname, format_type(op.oprleft, NULL) AS l, format_type(op.oprright, NULL) AS r,
           format_type(op.oprresult, NULL) AS res, row_number() OVER () AS i
      FROM pg_operator op
     WHERE op.oprnamespace = 'pg_catalog'::regnamespace AND op.oprkind = 'b'
       AND op.oprname IN ('=', '<>', '<', '>', '<=', '>=', '||', '+', '-', '->>', '->', '@>', '<@', '&&', '?', '#>>')
       AND op.oprleft IN ('text'::regtype, 'integer'::regtype, 'bigint'::regtype, 'date'::regtype, 'numeric'::regtype,
                          'timestamptz'::regtype, 'interval'::regtype, 'jsonb'::regtype, 'text[]'::regtype,
                          'boolean'::regtype, 'name'::regtype, 'smallint'::regtype, 'oid'::regtype)
       AND op.oprright IN ('text'::regtype, 'integer'::regtype, 'bigint'::regtype, 'date'::regtype, 'numeric'::regtype,
                           'timestamptz'::regtype, 'interval'::regtype, 'jsonb'::regtype, 'text[]'::regtype,
                           'boolean'::regtype, 'name'::regtype, 'smallint'::regtype, 'oid'::regtype)
  LOOP
    fn := 'op_' || o.i;
    EXECUTE format(
      'CREATE FUNCTION evil.%I(%s, %s) RETURNS %s LANGUAGE plpgsql SET search_path = pg_catalog AS %L',
      fn, o.l, o.r, o.res,
      'BEGIN PERFORM evil.note(' || quote_literal(o.oprname || '(' || o.l || ',' || o.r || ')') || '); '
      || 'RETURN $1 OPERATOR(pg_catalog.' || o.oprname || ') $2; END');
    EXECUTE format('GRANT EXECUTE ON FUNCTION evil.%I(%s, %s) TO PUBLIC', fn, o.l, o.r);
    EXECUTE format('CREATE OPERATOR evil.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = evil.%I)', o.oprname, o.l, o.r, fn);
    n := n + 1;
  END LOOP;
  INSERT INTO evil.stats VALUES ('operators', n);
END
$d$;
SQL

export PGOPTIONS="-c client_min_messages=warning -c search_path=evil,pg_catalog,isms,public"
errors=0
# The demo, as this role (its own errors, e.g. owner-only statements, are
# counted but are not the point).
for f in test/demo/*.sql; do
	psql -X -q -v outdir="$out" -d $db -U $role -f "$f" >"$out/demo.log" 2>&1 || true
	errors=$((errors + $(grep -c 'ERROR' "$out/demo.log" || true)))
	grep 'HIJACKED' "$out/demo.log" | head -n 5 || true
done
# Every view, every argument-free read function, every standby read.
psql -X -q -d $db -U $role >"$out/reads.log" 2>&1 <<'SQL' || true
SELECT format('SELECT count(*) FROM %s;', c.oid::regclass) FROM pg_class c
 WHERE c.relnamespace = 'isms'::regnamespace AND c.relkind IN ('v', 'm') ORDER BY 1 \gexec
SELECT format(CASE WHEN p.proretset THEN 'SELECT count(*) FROM %s();' ELSE 'SELECT %s();' END, p.oid::regproc)
  FROM pg_proc p
 WHERE p.pronamespace = 'isms'::regnamespace AND p.prokind = 'f' AND p.provolatile IN ('s', 'i')
   AND p.pronargs = p.pronargdefaults AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
   AND has_function_privilege(p.oid, 'EXECUTE') ORDER BY 1 \gexec
SQL
grep 'HIJACKED' "$out/reads.log" | head -n 5 || true
if [ -f test/standby_reads.sql ]; then
	psql -X -q -d $db -U $role -f test/standby_reads.sql >"$out/standby.log" 2>&1 || true
	grep 'HIJACKED' "$out/standby.log" | head -n 5 || true
fi

export PGOPTIONS='-c client_min_messages=warning'
read -r hijacked benign funcs ops < <(psql -X -q -A -t -F ' ' -d $db -c \
	"SELECT (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM evil.hijacked),
	        (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM evil.benign),
	        (SELECT v FROM evil.stats WHERE k = 'functions'), (SELECT v FROM evil.stats WHERE k = 'operators')")
rows=$(psql -X -q -A -t -d $db -c "SELECT count(*) FROM isms.change_log")
echo "hostile search_path: $funcs look-alike functions and $ops operators; $benign calls from the role's own queries, $hijacked from inside pg_isms; demo as this role: $errors statement errors, $rows change-log rows written"
[ "$funcs" -gt 0 ] && [ "$ops" -gt 0 ] || { echo "hostile search_path: no look-alikes were created"; exit 1; }
[ "$benign" -gt 0 ] || { echo "hostile search_path: the trap never fired (look-alikes unused)"; exit 1; }
[ "$rows" -gt 0 ] || { echo "hostile search_path: the demo wrote nothing as this role"; exit 1; }
[ "$hijacked" = 0 ] || { echo "hostile search_path: pg_isms code ran look-alikes $hijacked times"; exit 1; }
