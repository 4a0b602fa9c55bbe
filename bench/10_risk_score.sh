#!/usr/bin/env bash
# bench/10_risk_score.sh: isms.risk_score against what people use instead,
# in one run on the server in PGHOST/PGPORT/PGUSER.  5M rows: ORDER BY,
# CREATE INDEX and GROUP BY against (a) an int8 column holding the same
# order as a number (the floor) and (b) two int columns with an expression
# index on (l*i, i, l); 200k rows: (c) a composite (likelihood, impact) with
# a SQL comparison function and b-tree operator class.  1M rows:
# isms.risk_level() against a plain join to the cell table.  Contenders run
# round-robin; best of 5 rounds (3 for the slow composite), one backend, no
# parallel workers, sorts in memory.  Prints ratios only as
# information (never a pass/fail gate).  BENCH_ROWS overrides 5000000.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${BENCH_ROWS:-5000000}
small=200000
levels=1000000
db=isms_bench_risk_score
export PGOPTIONS='-c client_min_messages=warning'
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS '$db'" >/dev/null 2>&1 || true' EXIT

psql -X -q -v ON_ERROR_STOP=1 -v rows="$rows" -v small="$small" -v levels="$levels" -d $db <<'SQL'
CREATE EXTENSION pg_isms;
SET search_path = public, isms;
SET max_parallel_workers_per_gather = 0;
SET max_parallel_maintenance_workers = 0;
SET work_mem = '1GB';
SET maintenance_work_mem = '1GB';
SET jit = off;

-- best_of(names, queries, runs): runs the queries round-robin and
-- returns the fastest time of each, in seconds (round-robin so that load
-- from elsewhere on the machine hits every contender alike).  An index
-- named bench_idx is dropped, untimed, after every query.
CREATE FUNCTION best_of(names text[], queries text[], runs int DEFAULT 3)
RETURNS TABLE (what text, seconds float8) LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz;
  b float8[] := array_fill('Infinity'::float8, ARRAY[cardinality(queries)]);
BEGIN
  FOR r IN 1..runs LOOP
    FOR q IN 1..cardinality(queries) LOOP
      t0 := clock_timestamp();
      EXECUTE queries[q];
      b[q] := least(b[q], extract(epoch FROM clock_timestamp() - t0)::float8);
      DROP INDEX IF EXISTS bench_idx;
    END LOOP;
  END LOOP;
  RETURN QUERY SELECT names[k], b[k] FROM generate_subscripts(names, 1) k;
END
$$;

-- The same pseudo-random likelihoods and impacts (1..10) in every table.
CREATE TABLE src AS
SELECT g AS id, 1 + (hashint4(g) & 1023) % 10 AS l, 1 + (hashint4(-g) & 1023) % 10 AS i
  FROM generate_series(1, :rows) g;
CREATE TABLE t_rs AS SELECT isms.risk_score(l, i) AS s FROM src;
-- (a) the floor: one int8 whose order is the risk order.
CREATE TABLE t_int8 AS SELECT ((l * i)::int8 << 16) | (i << 8) | l AS k FROM src;
-- (b) what users write today: two ints, ordered by expressions.
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
VACUUM ANALYZE;

-- Warm the caches once.
\o /dev/null
SELECT count(*) FROM t_rs; SELECT count(*) FROM t_int8; SELECT count(*) FROM t_two;
\o

CREATE TEMP TABLE result (what text, seconds float8);
-- ORDER BY: a full in-memory sort (OFFSET past the end returns nothing).
INSERT INTO result SELECT * FROM best_of(
  '{order_rs, order_int8, order_two}',
  ARRAY['SELECT s FROM t_rs ORDER BY s OFFSET 100000000',
        'SELECT k FROM t_int8 ORDER BY k OFFSET 100000000',
        'SELECT l, i FROM t_two ORDER BY l * i, i, l OFFSET 100000000'], 5);
-- CREATE INDEX.
INSERT INTO result SELECT * FROM best_of(
  '{index_rs, index_int8, index_two}',
  ARRAY['CREATE INDEX bench_idx ON t_rs (s)',
        'CREATE INDEX bench_idx ON t_int8 (k)',
        'CREATE INDEX bench_idx ON t_two ((l * i), i, l)'], 5);
-- GROUP BY, hashed (the planner's choice here) and sorted.
INSERT INTO result SELECT * FROM best_of(
  '{group_rs, group_int8, group_two}',
  ARRAY['SELECT s, count(*) FROM t_rs GROUP BY s',
        'SELECT k, count(*) FROM t_int8 GROUP BY k',
        'SELECT l * i, i, l, count(*) FROM t_two GROUP BY l * i, i, l'], 5);
SET enable_hashagg = off;
INSERT INTO result SELECT 's' || what, seconds FROM best_of(
  '{group_rs, group_int8, group_two}',
  ARRAY['SELECT s, count(*) FROM t_rs GROUP BY s',
        'SELECT k, count(*) FROM t_int8 GROUP BY k',
        'SELECT l * i, i, l, count(*) FROM t_two GROUP BY l * i, i, l'], 5);
-- (c) on 200k rows, against risk_score on the same 200k (sorted GROUP BY:
-- the composite has no hash opclass).
INSERT INTO result SELECT * FROM best_of(
  '{order_li, order_rs_small, index_li, index_rs_small, group_li, group_rs_small}',
  ARRAY['SELECT c FROM t_li ORDER BY c OFFSET 100000000',
        'SELECT s FROM t_rs_small ORDER BY s OFFSET 100000000',
        'CREATE INDEX bench_idx ON t_li (c)',
        'CREATE INDEX bench_idx ON t_rs_small (s)',
        'SELECT c, count(*) FROM t_li GROUP BY c',
        'SELECT s, count(*) FROM t_rs_small GROUP BY s']);
RESET enable_hashagg;
-- isms.risk_level() over 1M rows against a join to the cell and level tables.
INSERT INTO result SELECT * FROM best_of(
  '{level_fn, level_join}',
  ARRAY['SELECT count((isms.risk_level(s)).name) FROM t_lvl',
        $q$SELECT count(l.name) FROM t_lvl r
             JOIN isms.risk_matrix_cell c ON c.matrix = 'default' AND c.score = r.s
             JOIN isms.risk_level l ON l.matrix = c.matrix AND l.name = c.level$q$]);

\pset format unaligned
\pset tuples_only on
SELECT format('time %s: %s s', what, to_char(seconds, 'FM990.000')) FROM result ORDER BY what;
WITH r AS (SELECT jsonb_object_agg(what, seconds) AS j FROM result)
SELECT format('ratio %s: %s (goal %s)', name, to_char((j ->> a)::float8 / (j ->> b)::float8, 'FM9990.00'), goal)
  FROM r, (VALUES
    ('ORDER BY risk_score / int8', 'order_rs', 'order_int8', '<= 1.15'),
    ('CREATE INDEX risk_score / int8', 'index_rs', 'index_int8', '<= 1.15'),
    ('GROUP BY (hash) risk_score / int8', 'group_rs', 'group_int8', '<= 1.15'),
    ('GROUP BY (sorted) risk_score / int8', 'sgroup_rs', 'sgroup_int8', '<= 1.15'),
    ('ORDER BY two ints by expression / risk_score', 'order_two', 'order_rs', '>= 1.30'),
    ('CREATE INDEX two ints by expression / risk_score', 'index_two', 'index_rs', '>= 1.30'),
    ('GROUP BY (hash) two ints by expression / risk_score', 'group_two', 'group_rs', '>= 1.30'),
    ('GROUP BY (sorted) two ints by expression / risk_score', 'sgroup_two', 'sgroup_rs', '>= 1.30'),
    ('ORDER BY composite with SQL opclass / risk_score (200k rows)', 'order_li', 'order_rs_small', 'report'),
    ('CREATE INDEX composite with SQL opclass / risk_score (200k rows)', 'index_li', 'index_rs_small', 'report'),
    ('GROUP BY (sorted) composite with SQL opclass / risk_score (200k rows)', 'group_li', 'group_rs_small', 'report'),
    ('risk_level() / join to cell table (1M rows)', 'level_fn', 'level_join', 'report')
  ) AS v(name, a, b, goal)
 ORDER BY v.name;
SQL
