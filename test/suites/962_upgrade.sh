#!/usr/bin/env bash
# test/suites/962_upgrade.sh: ALTER EXTENSION pg_isms UPDATE from every
# earlier release, with data in place, ends in exactly the schema of a fresh
# install (test/suites/962_schema_fingerprint.sql compares every definition,
# privilege and comment) and keeps every row.  Also enforces the release
# rule of docs/operations.md: every frozen release (sql/releases/
# pg_isms--R.sql) has an update path to the current version, every update
# script ends with isms.reapply_security(), and a frozen script never
# changes.  While no release exists, the machinery is exercised on a
# synthetic earlier version (the current script without its final
# reapply_security call, installed next to the real one for this run only).
set -euo pipefail
cd "$(dirname "$0")/../.."
cur=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" pg_isms.control)
extdir=$($PG_CONFIG --sharedir)/extension
fp=test/suites/962_schema_fingerprint.sql
out=$(mktemp -d)
synthetic=""
cleanup() {
	[ -n "$synthetic" ] && rm -f "$extdir/pg_isms--$synthetic.sql" "$extdir/pg_isms--$synthetic--$cur.sql"
	rm -rf "$out"
	for d in $(psql -X -q -A -t -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE 'isms_upgrade_%'" 2>/dev/null); do
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true
	done
}
trap cleanup EXIT
export PGOPTIONS='-c client_min_messages=warning'
fail() { echo "upgrade: $*"; exit 1; }

# The release rule, statically.
if [ -f "sql/releases/pg_isms--$cur.sql" ]; then
	cmp -s "sql/releases/pg_isms--$cur.sql" "pg_isms--$cur.sql" \
		|| fail "sql/releases/pg_isms--$cur.sql is frozen but the install script differs: bump default_version"
fi
for u in sql/updates/pg_isms--*--*.sql; do
	[ -e "$u" ] || continue
	grep -q 'isms.reapply_security()' "$u" || fail "$u does not end with SELECT isms.reapply_security();"
	grep -qi 'CREATE OR REPLACE' "$u" && fail "$u uses CREATE OR REPLACE"
done

newdb() { psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"; }
fingerprint() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -f $fp; }
rowcounts() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" <<'SQL'
DO $$ BEGIN CREATE TEMP TABLE counts (rel text, n bigint); END $$;
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.oid::regclass AS rel FROM pg_class c
            WHERE c.relnamespace = 'isms'::regnamespace AND c.relkind IN ('r', 'p') ORDER BY 1
  LOOP
    EXECUTE format('INSERT INTO counts SELECT %L, count(*) FROM %s', r.rel, r.rel);
  END LOOP;
END
$$;
SELECT rel || ' ' || n FROM counts ORDER BY 1;
SQL
}

reminders() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" \
		-c "SELECT uid || ' ' || sequence || ' ' || status FROM isms.reminder ORDER BY uid"
}

# The reference: a fresh install; installing twice gives the same schema.
newdb isms_upgrade_fresh
psql -X -q -v ON_ERROR_STOP=1 -d isms_upgrade_fresh -c 'CREATE EXTENSION pg_isms'
fingerprint isms_upgrade_fresh >"$out/fresh.txt"
psql -X -q -v ON_ERROR_STOP=1 -d isms_upgrade_fresh -c 'DROP EXTENSION pg_isms' -c 'CREATE EXTENSION pg_isms'
fingerprint isms_upgrade_fresh >"$out/fresh2.txt"
diff -u "$out/fresh.txt" "$out/fresh2.txt" >/dev/null || fail "two fresh installs differ (the fingerprint is not deterministic)"
facts=$(grep -c . "$out/fresh.txt")

releases=()
for f in sql/releases/pg_isms--*.sql; do
	[ -e "$f" ] || continue
	v=$(basename "$f" .sql); v=${v#pg_isms--}
	[ "$v" = "$cur" ] || releases+=("$v")
done
if [ ${#releases[@]} -eq 0 ]; then
	if [ -w "$extdir" ]; then
		# Synthetic earlier version: without the final reapply_security, so
		# PUBLIC still has EXECUTE on writing functions until the update
		# script's reapply_security takes it away.
		synthetic=0.0.0
		grep -v '^SELECT isms.reapply_security();$' "pg_isms--$cur.sql" >"$extdir/pg_isms--$synthetic.sql"
		printf -- '-- synthetic upgrade of test/suites/962_upgrade.sh\nSELECT isms.reapply_security();\n' \
			>"$extdir/pg_isms--$synthetic--$cur.sql"
		releases=("$synthetic")
	else
		echo "upgrade: no earlier release in sql/releases and $extdir not writable: fresh install fingerprint only ($facts facts)"
		exit 0
	fi
fi

# Every release must have a path to the current version.
for v in "${releases[@]}"; do
	p=$(psql -X -q -A -t -d isms_upgrade_fresh -c \
		"SELECT count(*) FROM pg_extension_update_paths('pg_isms') WHERE source = '$v' AND target = '$cur' AND path IS NOT NULL")
	[ "$p" = 1 ] || fail "no update path from $v to $cur (add sql/updates/pg_isms--$v--<next>.sql)"
done

for v in "${releases[@]}"; do
	db=isms_upgrade_$(echo "$v" | tr -c 'a-z0-9\n' '_')
	newdb "$db"
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE EXTENSION pg_isms VERSION '$v'"
	# Data in place: the demo frozen with the release, else today's demo.
	if [ -f "sql/releases/demo--$v.sql" ]; then
		psql -X -q -v ON_ERROR_STOP=1 -v outdir="$out" -d "$db" -f "sql/releases/demo--$v.sql" >/dev/null
	else
		for f in test/demo/*.sql; do
			psql -X -q -v ON_ERROR_STOP=1 -v outdir="$out" -d "$db" -f "$f" >/dev/null
		done
	fi
	if [ "$v" = "$synthetic" ]; then
		n=$(psql -X -q -A -t -d "$db" -c "SELECT count(*) FROM pg_proc WHERE pronamespace = 'isms'::regnamespace AND provolatile = 'v' AND has_function_privilege('public', oid, 'EXECUTE')")
		[ "$n" -gt 0 ] || fail "synthetic $v should let PUBLIC execute writing functions before the update"
	fi
	rowcounts "$db" >"$out/before-$v.txt"
	reminders "$db" >"$out/reminders-before-$v.txt"
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'ALTER EXTENSION pg_isms UPDATE'
	got=$(psql -X -q -A -t -d "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_isms'")
	[ "$got" = "$cur" ] || fail "from $v: version after update is $got, not $cur"
	fingerprint "$db" >"$out/upgraded-$v.txt"
	if ! diff -u "$out/fresh.txt" "$out/upgraded-$v.txt" | head -n 40; then :; fi
	cmp -s "$out/fresh.txt" "$out/upgraded-$v.txt" || fail "from $v: the upgraded schema differs from a fresh install of $cur (diff above)"
	rowcounts "$db" >"$out/after-$v.txt"
	# Calendar clients know events by UID and SEQUENCE: an upgrade keeps both.
	reminders "$db" >"$out/reminders-after-$v.txt"
	nrem=$(grep -c . "$out/reminders-before-$v.txt" || true)
	[ "$nrem" -gt 0 ] || fail "from $v: the data in place has no reminders to compare"
	cmp -s "$out/reminders-before-$v.txt" "$out/reminders-after-$v.txt" ||
		fail "from $v: reminder UIDs, SEQUENCEs or statuses changed: $(diff "$out/reminders-before-$v.txt" "$out/reminders-after-$v.txt" | head -5)"
	# Tables of the old version keep at least their rows (new tables may appear).
	lost=$(join "$out/before-$v.txt" "$out/after-$v.txt" | awk '$3 < $2 {print $1}')
	[ -z "$lost" ] || fail "from $v: rows lost in $lost"
	# The entries the old version logged are chained by the update, and the
	# chain goes on with the next change.
	chain=""
	if [ "$(psql -X -q -A -t -d "$db" -c "SELECT to_regprocedure('isms.verify_change_log(bytea)') IS NOT NULL")" = t ]; then
		logged=$(psql -X -q -A -t -d "$db" -c "SELECT count(*) FROM isms.change_log")
		[ "$logged" -gt 0 ] || fail "from $v: the data in place has no change log entries to chain"
		v1=$(psql -X -q -A -t -F ' ' -d "$db" -c "SELECT status, entries FROM isms.verify_change_log()")
		[ "$v1" = "ok $logged" ] || fail "from $v: the chained log does not verify after the update: $v1"
		psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "UPDATE isms.soa_entry SET owner = 'after the upgrade' WHERE ctid = (SELECT min(ctid) FROM isms.soa_entry)"
		v2=$(psql -X -q -A -t -F ' ' -d "$db" -c "SELECT status, entries FROM isms.verify_change_log()")
		[ "$v2" = "ok $((logged + 1))" ] || fail "from $v: the chain does not verify after the first new entry: $v2"
		chain=", $logged change log entries chained and verified"
	fi
	rows=$(awk '{s += $2} END {print s}' "$out/before-$v.txt")
	echo "upgrade: $v -> $cur with $rows rows in place: schema identical to a fresh install ($facts facts), no row lost, $nrem reminders with the same UID, SEQUENCE and status$chain${synthetic:+ (synthetic $v: no release yet)}"
done
