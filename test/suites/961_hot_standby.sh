#!/usr/bin/env bash
# test/suites/961_hot_standby.sh: a streaming replica on the same machine
# (Unix socket of the throwaway cluster, next port), made with
# pg_basebackup -R from the primary after the demo ISMS is loaded.  On the
# replica: every view of isms answers, every STABLE/IMMUTABLE function whose
# arguments all have defaults runs, and test/standby_reads.sql (exports and
# read functions with arguments) runs without error.  Dashboards can point
# at a standby.  Then the same as a reader role with scope security on: the
# replica filters by scope like the primary.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${ISMS_CLUSTER_DIR:?run under test/with-cluster.sh or test/check.sh}"
db=isms_standby
sb=$ISMS_CLUSTER_DIR/standby
sport=$((PGPORT + 1))
bindir=$($PG_CONFIG --bindir)
out=$(mktemp -d)
cleanup() {
	if [ -f "$sb/postmaster.pid" ]; then
		(cd / && $ISMS_RUN_AS "$bindir/pg_ctl" -D "$sb" -m immediate -w -s stop >/dev/null 2>&1) || true
	fi
	rm -rf "$sb" "$out"
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "DROP ROLE IF EXISTS isms_t_standby_reader" >/dev/null 2>&1 || true
}
trap cleanup EXIT
export PGOPTIONS='-c client_min_messages=warning'
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -q -v ON_ERROR_STOP=1 -d $db -c 'CREATE EXTENSION pg_isms'
for f in test/demo/*.sql; do
	psql -X -q -v ON_ERROR_STOP=1 -v outdir="$out" -d $db -f "$f" >/dev/null
done

# A dashboard role restricted to one scope.
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP ROLE IF EXISTS isms_t_standby_reader" \
	-c "CREATE ROLE isms_t_standby_reader LOGIN"
psql -X -q -v ON_ERROR_STOP=1 -d $db >/dev/null <<'SQL'
SELECT isms.grant_reader('isms_t_standby_reader');
INSERT INTO isms.scope (id, name) VALUES ('standby-hidden', 'a scope the dashboard role does not belong to');
INSERT INTO isms.scope_member (scope, role_name) VALUES ('default', 'isms_t_standby_reader');
SELECT isms.soa_init('standby-hidden', 'iso27001-2022');
SELECT isms.enable_scope_security();
SQL

(cd / && $ISMS_RUN_AS "$bindir/pg_basebackup" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" \
	-D "$sb" -R -X stream --no-sync --checkpoint=fast)
(cd / && $ISMS_RUN_AS "$bindir/pg_ctl" -D "$sb" -l "$ISMS_CLUSTER_DIR/standby.log" -w -s \
	-o "-p $sport -k $ISMS_CLUSTER_DIR -c listen_addresses='' -c hot_standby=on" start)

# A change made after the base backup must arrive by streaming.
psql -X -q -v ON_ERROR_STOP=1 -d $db -c \
	"INSERT INTO isms.scope (id, name) VALUES ('standby-probe', 'made on the primary after the base backup')"
lsn=$(psql -X -q -A -t -d $db -c 'SELECT pg_current_wal_lsn()')
for _ in $(seq 1 100); do
	done_=$(psql -X -q -A -t -p $sport -d $db -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn" 2>/dev/null || true)
	[ "$done_" = t ] && break
	sleep 0.1
done
[ "$(psql -X -q -A -t -p $sport -d $db -c 'SELECT pg_is_in_recovery()')" = t ] \
	|| { echo "hot standby: replica is not in recovery"; exit 1; }
[ "$(psql -X -q -A -t -p $sport -d $db -c "SELECT count(*) FROM isms.scope WHERE id = 'standby-probe'")" = 1 ] \
	|| { echo "hot standby: change did not stream to the replica"; exit 1; }

# Every view, and every read function callable without arguments.
result=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -p $sport -d $db <<'SQL'
DO $$
DECLARE r record; views int := 0; funcs int := 0;
BEGIN
  FOR r IN SELECT c.oid::regclass AS v FROM pg_class c
            WHERE c.relnamespace = 'isms'::regnamespace AND c.relkind IN ('v', 'm') ORDER BY 1
  LOOP
    EXECUTE format('SELECT count(*) FROM %s', r.v);
    views := views + 1;
  END LOOP;
  FOR r IN SELECT p.oid::regproc AS f, p.proretset FROM pg_proc p
            WHERE p.pronamespace = 'isms'::regnamespace AND p.prokind = 'f'
              AND p.provolatile IN ('s', 'i') AND p.pronargs = p.pronargdefaults
              AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
            ORDER BY 1
  LOOP
    IF r.proretset THEN
      EXECUTE format('SELECT count(*) FROM %s()', r.f);
    ELSE
      EXECUTE format('SELECT %s()', r.f);
    END IF;
    funcs := funcs + 1;
  END LOOP;
END
$$;
SELECT (SELECT count(*) FROM pg_class WHERE relnamespace = 'isms'::regnamespace AND relkind IN ('v', 'm'))
       || ' views and '
       || (SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'isms'::regnamespace AND p.prokind = 'f'
              AND p.provolatile IN ('s', 'i') AND p.pronargs = p.pronargdefaults
              AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype))
       || ' argument-free read functions';
SQL
)
reads=0
if [ -f test/standby_reads.sql ]; then
	psql -X -q -v ON_ERROR_STOP=1 -p $sport -d $db -f test/standby_reads.sql >/dev/null
	reads=$(grep -c '^SELECT' test/standby_reads.sql || true)
fi
# As the restricted reader on the replica: views, read functions and the
# standby reads work, and only its scope shows.
psql -X -q -v ON_ERROR_STOP=1 -p $sport -d $db -U isms_t_standby_reader >/dev/null <<'SQL'
SELECT format('SELECT count(*) FROM %s;', c.oid::regclass) FROM pg_class c
 WHERE c.relnamespace = 'isms'::regnamespace AND c.relkind IN ('v', 'm') ORDER BY 1 \gexec
SQL
if [ -f test/standby_reads.sql ]; then
	psql -X -q -v ON_ERROR_STOP=1 -p $sport -d $db -U isms_t_standby_reader -f test/standby_reads.sql >/dev/null
fi
seen=$(psql -X -q -A -t -p $sport -d $db -U isms_t_standby_reader -c \
	"SELECT array_to_string(isms.my_scopes(), ',') || ' ' || (SELECT count(*) FROM isms.soa_entry WHERE scope <> 'default')")
hidden=$(psql -X -q -A -t -p $sport -d $db -c "SELECT count(*) FROM isms.soa_entry WHERE scope = 'standby-hidden'")
[ "$hidden" -gt 0 ] && [ "$seen" = "default 0" ] \
	|| { echo "hot standby: scope security on the replica: reader sees '$seen', $hidden hidden rows exist"; exit 1; }

# Writes are refused there, as on any standby.
if psql -X -q -p $sport -d $db -c "INSERT INTO isms.scope (id, name) VALUES ('x', 'x')" 2>/dev/null; then
	echo "hot standby: a write succeeded on the replica"; exit 1
fi
echo "hot standby: replica streams; on it $result answer, and $reads read queries of test/standby_reads.sql; a reader restricted to one scope sees only it there"
