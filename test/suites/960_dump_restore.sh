#!/usr/bin/env bash
# test/suites/960_dump_restore.sh: pg_dump then pg_restore into a new
# database.  Loads the demo ISMS (every capability's sample data) plus a
# user-added framework when the catalogue exists, dumps in custom format,
# restores into a fresh database, and compares a checksum of every table in
# schema isms; then checks that every sequence continues after the highest
# restored id, so new rows do not collide.  With access levels granted and
# scope security on in the source, the restored schema (privileges,
# policies, view options: test/suites/962_schema_fingerprint.sql) must equal
# the source's.  Exit status 1 on any difference.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=isms_dump_src dst=isms_dump_dst
out=$(mktemp -d)
trap 'rm -rf "$out"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" -c "DROP ROLE IF EXISTS isms_t_dump_editor" >/dev/null 2>&1 || true' EXIT
export PGOPTIONS='-c client_min_messages=warning'
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" \
	-c "CREATE DATABASE $src" -c "CREATE DATABASE $dst"
psql -X -q -v ON_ERROR_STOP=1 -d $src -c 'CREATE EXTENSION pg_isms'
for f in test/demo/*.sql; do
	psql -X -q -v ON_ERROR_STOP=1 -v outdir="$out" -d $src -f "$f" >/dev/null
done
# A framework added by a user must survive; the seeded ones must not double.
psql -X -q -v ON_ERROR_STOP=1 -d $src <<'SQL'
DO $$
BEGIN
  IF to_regclass('isms.framework') IS NOT NULL THEN
    EXECUTE $q$INSERT INTO isms.framework (id, name) VALUES ('acme-internal', 'ACME internal controls')$q$;
  END IF;
END
$$;
SQL
# Access levels and scope security must survive too (roles are global, so
# the restore finds them, as after pg_dumpall --roles-only).
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP ROLE IF EXISTS isms_t_dump_editor" -c "CREATE ROLE isms_t_dump_editor"
psql -X -q -v ON_ERROR_STOP=1 -d $src >/dev/null <<'SQL'
SELECT isms.grant_editor('isms_t_dump_editor');
INSERT INTO isms.scope_member (scope, role_name) VALUES ('default', 'isms_t_dump_editor');
SELECT isms.enable_scope_security();
SQL

pg_dump -Fc -d $src -f "$out/isms.dump"
pg_restore -d $dst --exit-on-error "$out/isms.dump"

checksums() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" <<'SQL'
DO $$ BEGIN CREATE TEMP TABLE sums (rel text, n bigint, md5 text); END $$;
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.oid::regclass AS rel FROM pg_class c
            WHERE c.relnamespace = 'isms'::regnamespace AND c.relkind IN ('r', 'p')
            ORDER BY c.relname
  LOOP
    EXECUTE format('INSERT INTO sums SELECT %L, count(*), md5(coalesce(string_agg(t::text, E''\n'' ORDER BY t::text), '''')) FROM %s t',
                   r.rel::text, r.rel);
  END LOOP;
END
$$;
SELECT rel || ' ' || n || ' ' || md5 FROM sums ORDER BY rel;
SQL
}
checksums $src >"$out/src.txt"
checksums $dst >"$out/dst.txt"
tables=$(grep -c . "$out/src.txt")
rows=$(awk '{s += $2} END {print s}' "$out/src.txt")
if ! diff -u "$out/src.txt" "$out/dst.txt"; then
	echo "dump/restore: tables differ after restore"
	exit 1
fi
echo "dump/restore: $tables tables, $rows rows identical after pg_dump/pg_restore"

psql -X -q -A -t -v ON_ERROR_STOP=1 -d $src -f test/suites/962_schema_fingerprint.sql >"$out/src-schema.txt"
psql -X -q -A -t -v ON_ERROR_STOP=1 -d $dst -f test/suites/962_schema_fingerprint.sql >"$out/dst-schema.txt"
if ! diff -u "$out/src-schema.txt" "$out/dst-schema.txt"; then
	echo "dump/restore: privileges, policies or definitions differ after restore"
	exit 1
fi
grep -q 'isms_t_dump_editor=' "$out/dst-schema.txt" || { echo "dump/restore: granted access level lost"; exit 1; }
grep -q 'policy isms_scope' "$out/dst-schema.txt" || { echo "dump/restore: scope policies lost"; exit 1; }
echo "dump/restore: access levels, scope policies and view options identical ($(grep -c . "$out/dst-schema.txt") schema facts)"

# Every sequence owned by a column must be past the restored maximum.
bad=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -d $dst <<'SQL'
DO $$ BEGIN CREATE TEMP TABLE seqcheck (seq text, ok boolean); END $$;
DO $$
DECLARE r record; mx bigint; lv bigint; called boolean;
BEGIN
  FOR r IN SELECT s.oid::regclass AS seq, d.refobjid::regclass AS rel, a.attname
             FROM pg_class s
             JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
                             AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
             JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
            WHERE s.relkind = 'S' AND s.relnamespace = 'isms'::regnamespace
  LOOP
    EXECUTE format('SELECT max(%I)::bigint FROM %s', r.attname, r.rel) INTO mx;
    EXECUTE format('SELECT last_value, is_called FROM %s', r.seq) INTO lv, called;
    INSERT INTO seqcheck VALUES (r.seq::text, mx IS NULL OR lv >= mx);
  END LOOP;
END
$$;
SELECT string_agg(seq, ' ') FROM seqcheck WHERE NOT ok;
SQL
)
if [ -n "$bad" ]; then
	echo "dump/restore: sequences behind their restored rows: $bad"
	exit 1
fi
if psql -X -q -A -t -d $dst -c "SELECT to_regclass('isms.framework') IS NOT NULL" | grep -q t; then
	n=$(psql -X -q -A -t -d $dst -c "SELECT count(*) FROM isms.framework WHERE id = 'acme-internal'")
	[ "$n" = 1 ] || { echo "dump/restore: user framework lost"; exit 1; }
	echo "dump/restore: user-added framework kept"
fi
echo "dump/restore: sequences continue past restored ids"

# The hash chain of the change log survives: the restored log verifies to
# the same head the source had, and the next change chains on from it.
if psql -X -q -A -t -d $dst -c "SELECT to_regprocedure('isms.verify_change_log(bytea)') IS NOT NULL" | grep -q t; then
	srcv=$(psql -X -q -A -t -F ' ' -d $src -c "SELECT status, entries, encode(actual, 'hex') FROM isms.verify_change_log()")
	dstv=$(psql -X -q -A -t -F ' ' -d $dst -c "SELECT status, entries, encode(actual, 'hex') FROM isms.verify_change_log()")
	case "$srcv" in ok\ [1-9]*) ;; *) echo "dump/restore: the source's change log does not verify (or is empty): $srcv"; exit 1 ;; esac
	[ "$srcv" = "$dstv" ] || { echo "dump/restore: change log chain after restore: $dstv, source: $srcv"; exit 1; }
	anchor=$(psql -X -q -A -t -d $src -c "SELECT encode(entry_hash, 'hex') FROM isms.change_log_anchor()")
	psql -X -q -v ON_ERROR_STOP=1 -d $dst -c "UPDATE isms.soa_entry SET owner = 'after the restore' WHERE ctid = (SELECT min(ctid) FROM isms.soa_entry)"
	next=$(psql -X -q -A -t -F ' ' -d $dst -c "SELECT status, entries, anchor_id IS NOT NULL FROM isms.verify_change_log(decode('$anchor', 'hex'))")
	n=$(echo "$srcv" | cut -d' ' -f2)
	[ "$next" = "ok $((n + 1)) t" ] || { echo "dump/restore: the chain does not go on after the restore: $next"; exit 1; }
	echo "dump/restore: change log chain of $n entries verifies after the restore, with the source's anchor, and goes on"
fi
