#!/usr/bin/env bash
# bench/10_risk_score.sh: isms.risk_score against what people use instead,
# in one session on the server in PGHOST/PGPORT/PGUSER.  5M rows: ORDER BY,
# CREATE INDEX and GROUP BY against (a) an int8 column holding the same
# order as a number (the floor) and (b) two int columns, by hand; 200k
# rows: (c) a composite (likelihood, impact) with a SQL comparison function
# and b-tree operator class.  1M rows: isms.risk_level() against a plain
# join to the cell table.  Prints ratios as information, never a gate.
#
# How it measures (so that ratios hold on a loaded, shared machine):
# - One backend, the same settings for every contender: no parallel
#   workers (query or maintenance), JIT off, work_mem and
#   maintenance_work_mem 1GB (every sort and hash table stays in memory).
# - Tables are loaded, then VACUUM (FREEZE, ANALYZE)d and checkpointed once,
#   with autovacuum off on them, so no contender pays for hint bits, a
#   visibility check or a background vacuum the others do not.
# - Contenders take turns: each round runs every query once, in an order
#   rotated by one per round, after one untimed warm-up round (none for
#   the composite (c), two orders of magnitude slower anyway).  The best of
#   the rounds counts (noise only ever adds time); medians are printed too.
# - The clock is the backend's own on-CPU time (Linux /proc/self/schedstat,
#   read with pg_read_file: needs a superuser, as make bench has), so time
#   spent waiting for a core taken by other work does not count; wall-clock
#   ratios of the same runs are printed beside it.  Where schedstat cannot
#   be read, wall-clock time is the measure (the script says which).
# - Baseline (b) is what a competent user writes: ORDER BY l * i, i, l (the
#   only way to get risk order) and an index on ((l * i), i, l); GROUP BY
#   l, i (the cheapest grouping that yields the same groups), both grouping
#   queries ordered by risk like a report is.  The GROUP BY l * i, i, l form
#   is reported too, without a goal.
# BENCH_ROWS overrides 5000000, BENCH_ROUNDS the 5 rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${BENCH_ROWS:-5000000}
rounds=${BENCH_ROUNDS:-5}
small=200000
levels=1000000
db=isms_bench_risk_score
export PGOPTIONS='-c client_min_messages=warning'
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS '$db'" >/dev/null 2>&1 || true' EXIT

psql -X -q -v ON_ERROR_STOP=1 -v rows="$rows" -v small="$small" -v levels="$levels" \
	-v rounds="$rounds" -d $db <<'SQL'
CREATE EXTENSION pg_isms;
SET search_path = public, isms;
SET max_parallel_workers_per_gather = 0;
SET max_parallel_maintenance_workers = 0;
SET work_mem = '1GB';
SET maintenance_work_mem = '1GB';
SET jit = off;

-- On-CPU time of this backend in nanoseconds, NULL where it cannot be read.
CREATE FUNCTION cpu_ns() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  RETURN split_part(pg_read_file('/proc/self/schedstat'), ' ', 1)::bigint;
EXCEPTION WHEN OTHERS THEN
  RETURN NULL;
END
$$;

-- bench(names, queries, rounds, warm): an untimed warm-up round (unless
-- warm is false), then rounds rounds in which every query runs once,
-- starting one further along each round, each time into table timing
-- (on-CPU and wall-clock seconds).  An index named bench_idx is dropped,
-- untimed, after every query.
CREATE TABLE timing (what text, cpu float8, wall float8);
CREATE FUNCTION bench(names text[], queries text[], rounds int, warm bool DEFAULT true)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  n int := cardinality(queries);
  q int;
  t0 timestamptz;
  c0 bigint;
BEGIN
  FOR r IN CASE WHEN warm THEN 0 ELSE 1 END..rounds LOOP
    FOR k IN 0..n - 1 LOOP
      q := 1 + (k + r) % n;
      c0 := cpu_ns();
      t0 := clock_timestamp();
      EXECUTE queries[q];
      IF r > 0 THEN
        INSERT INTO timing VALUES (names[q], (cpu_ns() - c0) / 1e9,
                                   extract(epoch FROM clock_timestamp() - t0));
      END IF;
      DROP INDEX IF EXISTS bench_idx;
    END LOOP;
  END LOOP;
END
$$;

-- The same pseudo-random likelihoods and impacts (1..10) in every table.
CREATE TABLE src AS
SELECT g AS id, 1 + (hashint4(g) & 1023) % 10 AS l, 1 + (hashint4(-g) & 1023) % 10 AS i
  FROM generate_series(1, :rows) g;
CREATE TABLE t_rs AS SELECT isms.risk_score(l, i) AS s FROM src;
-- (a) the floor: one int8 whose order is the risk order.
CREATE TABLE t_int8 AS SELECT ((l * i)::int8 << 16) | (i << 8) | l AS k FROM src;
-- (b) what users write today: two ints.
CREATE TABLE t_two AS SELECT l, i FROM src;
-- (c) a composite with a SQL comparison function, on fewer rows.
CREATE TYPE li AS (likelihood int, impact int);
CREATE FUNCTION li_cmp(a li, b li) RETURNS int LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE WHEN (a.likelihood * a.impact, a.impact, a.likelihood)
                 < (b.likelihood * b.impact, b.impact, b.likelihood) THEN -1
              WHEN (a.likelihood, a.impact) = (b.likelihood, b.impact) THEN 0 ELSE 1 END $$;
CREATE FUNCTION li_lt(a li, b li) RETURNS bool LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT li_cmp(a, b) < 0 $$;
CREATE FUNCTION li_le(a li, b li) RETURNS bool LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT li_cmp(a, b) <= 0 $$;
CREATE FUNCTION li_eq(a li, b li) RETURNS bool LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT li_cmp(a, b) = 0 $$;
CREATE FUNCTION li_ge(a li, b li) RETURNS bool LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT li_cmp(a, b) >= 0 $$;
CREATE FUNCTION li_gt(a li, b li) RETURNS bool LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT li_cmp(a, b) > 0 $$;
CREATE OPERATOR <<< (LEFTARG = li, RIGHTARG = li, FUNCTION = li_lt);
CREATE OPERATOR <<<= (LEFTARG = li, RIGHTARG = li, FUNCTION = li_le);
CREATE OPERATOR === (LEFTARG = li, RIGHTARG = li, FUNCTION = li_eq);
CREATE OPERATOR >>>= (LEFTARG = li, RIGHTARG = li, FUNCTION = li_ge);
CREATE OPERATOR >>> (LEFTARG = li, RIGHTARG = li, FUNCTION = li_gt);
CREATE OPERATOR CLASS li_ops DEFAULT FOR TYPE li USING btree AS
  OPERATOR 1 <<<, OPERATOR 2 <<<=, OPERATOR 3 ===, OPERATOR 4 >>>=, OPERATOR 5 >>>,
  FUNCTION 1 li_cmp(li, li);
CREATE TABLE t_li AS SELECT ROW(l, i)::li AS c FROM src WHERE id <= :small;
CREATE TABLE t_rs_small AS SELECT isms.risk_score(l, i) AS s FROM src WHERE id <= :small;
-- 1M scores on the default 5x5 matrix for isms.risk_level().
CREATE TABLE t_lvl AS
SELECT isms.risk_score(1 + (hashint4(g) & 1023) % 5, 1 + (hashint4(-g) & 1023) % 5) AS s
  FROM generate_series(1, :levels) g;
ALTER TABLE t_rs SET (autovacuum_enabled = off);
ALTER TABLE t_int8 SET (autovacuum_enabled = off);
ALTER TABLE t_two SET (autovacuum_enabled = off);
ALTER TABLE t_li SET (autovacuum_enabled = off);
ALTER TABLE t_rs_small SET (autovacuum_enabled = off);
ALTER TABLE t_lvl SET (autovacuum_enabled = off);
DROP TABLE src;
VACUUM (FREEZE, ANALYZE);
CHECKPOINT;

-- ORDER BY: a full in-memory sort (OFFSET past the end returns nothing).
SELECT bench('{order_rs, order_int8, order_two}',
  ARRAY['SELECT s FROM t_rs ORDER BY s OFFSET 100000000',
        'SELECT k FROM t_int8 ORDER BY k OFFSET 100000000',
        'SELECT l, i FROM t_two ORDER BY l * i, i, l OFFSET 100000000'], :rounds) \gset
-- CREATE INDEX.
SELECT bench('{index_rs, index_int8, index_two}',
  ARRAY['CREATE INDEX bench_idx ON t_rs (s)',
        'CREATE INDEX bench_idx ON t_int8 (k)',
        'CREATE INDEX bench_idx ON t_two ((l * i), i, l)'], :rounds) \gset
-- GROUP BY in risk order, hashed (the planner's choice here) and sorted.
SELECT bench('{group_rs, group_int8, group_two, group_two_expr}',
  ARRAY['SELECT s, count(*) FROM t_rs GROUP BY s ORDER BY s',
        'SELECT k, count(*) FROM t_int8 GROUP BY k ORDER BY k',
        'SELECT l, i, count(*) FROM t_two GROUP BY l, i ORDER BY l * i, i, l',
        'SELECT l * i, i, l, count(*) FROM t_two GROUP BY l * i, i, l ORDER BY l * i, i, l'],
  :rounds) \gset
SET enable_hashagg = off;
SELECT bench('{sgroup_rs, sgroup_int8, sgroup_two, sgroup_two_expr}',
  ARRAY['SELECT s, count(*) FROM t_rs GROUP BY s ORDER BY s',
        'SELECT k, count(*) FROM t_int8 GROUP BY k ORDER BY k',
        'SELECT l, i, count(*) FROM t_two GROUP BY l, i ORDER BY l * i, i, l',
        'SELECT l * i, i, l, count(*) FROM t_two GROUP BY l * i, i, l ORDER BY l * i, i, l'],
  :rounds) \gset
-- (c) on 200k rows, against risk_score on the same 200k (sorted GROUP BY:
-- the composite has no hash opclass).  The composite is slow: 3 rounds and
-- no warm-up round (the risk_score warm-up ran above).
SELECT bench('{order_li, order_rs_small, index_li, index_rs_small, group_li, group_rs_small}',
  ARRAY['SELECT c FROM t_li ORDER BY c OFFSET 100000000',
        'SELECT s FROM t_rs_small ORDER BY s OFFSET 100000000',
        'CREATE INDEX bench_idx ON t_li (c)',
        'CREATE INDEX bench_idx ON t_rs_small (s)',
        'SELECT c, count(*) FROM t_li GROUP BY c',
        'SELECT s, count(*) FROM t_rs_small GROUP BY s'], 3, false) \gset
RESET enable_hashagg;
-- isms.risk_level() over 1M rows against a join to the cell and level tables.
SELECT bench('{level_fn, level_join}',
  ARRAY['SELECT count((isms.risk_level(s)).name) FROM t_lvl',
        $q$SELECT count(l.name) FROM t_lvl r
             JOIN isms.risk_matrix_cell c ON c.matrix = 'default' AND c.score = r.s
             JOIN isms.risk_level l ON l.matrix = c.matrix AND l.name = c.level$q$],
  :rounds) \gset

\pset format unaligned
\pset tuples_only on
CREATE TABLE result AS
SELECT what, count(*) AS n, min(cpu) AS cpu, min(wall) AS wall,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu) AS cpu_median,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY wall) AS wall_median
  FROM timing GROUP BY what;
SELECT CASE WHEN bool_and(cpu IS NOT NULL)
            THEN 'measure: on-CPU time of the backend (best of the rounds); wall clock beside it'
            ELSE 'measure: wall-clock time (best of the rounds; /proc/self/schedstat not readable)' END
  FROM result;
SELECT format('time %s: cpu %s s (median %s), wall %s s (median %s), %s rounds', what,
              coalesce(to_char(cpu, 'FM990.000'), '-'), coalesce(to_char(cpu_median, 'FM990.000'), '-'),
              to_char(wall, 'FM990.000'), to_char(wall_median, 'FM990.000'), n)
  FROM result ORDER BY what;
SELECT format('ratio %s: %s (goal %s) wall clock %s', name,
              to_char(coalesce(a.cpu / b.cpu, a.wall / b.wall), 'FM9990.00'), goal,
              to_char(a.wall / b.wall, 'FM9990.00'))
  FROM (VALUES
    (1, 'ORDER BY risk_score / int8', 'order_rs', 'order_int8', '<= 1.15'),
    (2, 'CREATE INDEX risk_score / int8', 'index_rs', 'index_int8', '<= 1.15'),
    (3, 'GROUP BY (hashed) risk_score / int8', 'group_rs', 'group_int8', '<= 1.15'),
    (4, 'GROUP BY (sorted) risk_score / int8', 'sgroup_rs', 'sgroup_int8', '<= 1.15'),
    (5, 'ORDER BY two ints by expression / risk_score', 'order_two', 'order_rs', '>= 1.30'),
    (6, 'CREATE INDEX two ints by expression / risk_score', 'index_two', 'index_rs', '>= 1.30'),
    (7, 'GROUP BY (hashed) l, i / risk_score', 'group_two', 'group_rs', '>= 1.30'),
    (8, 'GROUP BY (sorted) l, i / risk_score', 'sgroup_two', 'sgroup_rs', '>= 1.30'),
    (9, 'GROUP BY (hashed) l * i, i, l / risk_score', 'group_two_expr', 'group_rs', 'report'),
    (10, 'GROUP BY (sorted) l * i, i, l / risk_score', 'sgroup_two_expr', 'sgroup_rs', 'report'),
    (11, 'ORDER BY composite with SQL opclass / risk_score (200k rows)', 'order_li', 'order_rs_small', 'report'),
    (12, 'CREATE INDEX composite with SQL opclass / risk_score (200k rows)', 'index_li', 'index_rs_small', 'report'),
    (13, 'GROUP BY (sorted) composite with SQL opclass / risk_score (200k rows)', 'group_li', 'group_rs_small', 'report'),
    (14, 'risk_level() / join to cell table (1M rows)', 'level_fn', 'level_join', 'report')
  ) AS v(k, name, x, y, goal)
  JOIN result a ON a.what = v.x JOIN result b ON b.what = v.y
 ORDER BY v.k;
SQL
