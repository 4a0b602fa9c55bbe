#!/usr/bin/env bash
# bench/15_cvss.sh: parse and score 1M CVSS vectors (isms.cvss input: parse,
# check, score, pack) against casting the same 1M strings to text through
# the same I/O path (text -> cstring -> text).  Half v3.1, half v4.0 vectors,
# a third of them with temporal/threat or environmental metrics.  The three
# queries take turns for 3 rounds in one session (JIT off) and the best time
# of each counts, so changing machine load hits all alike.  Prints ratios;
# never a pass/fail gate.
set -euo pipefail
cd "$(dirname "$0")/.."
db=isms_bench_cvss
PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d postgres \
	-c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS '$db'" >/dev/null 2>&1 || true' EXIT

psql -X -q -A -t -v ON_ERROR_STOP=1 -d $db <<'SQL'
CREATE EXTENSION pg_isms;
SET jit = off;
SELECT setseed(0.15);
CREATE FUNCTION pg_temp.pick(a text[]) RETURNS text LANGUAGE sql VOLATILE AS
  $$ SELECT a[1 + floor(random() * cardinality(a))::int] $$;
CREATE FUNCTION pg_temp.opt(name text, a text[], p float8) RETURNS text LANGUAGE sql VOLATILE AS
  $$ SELECT CASE WHEN random() < p THEN '/' || name || ':' || pg_temp.pick(a) ELSE '' END $$;
-- 4,096 distinct vectors, repeated to 1,048,576 rows in random order
CREATE TEMP TABLE distinct_vec AS
SELECT CASE WHEN g % 2 = 0 THEN
  'CVSS:3.1/AV:' || pg_temp.pick('{N,A,L,P}') || '/AC:' || pg_temp.pick('{L,H}') ||
  '/PR:' || pg_temp.pick('{N,L,H}') || '/UI:' || pg_temp.pick('{N,R}') || '/S:' || pg_temp.pick('{U,C}') ||
  '/C:' || pg_temp.pick('{H,L,N}') || '/I:' || pg_temp.pick('{H,L,N}') || '/A:' || pg_temp.pick('{H,L,N}') ||
  pg_temp.opt('E', '{H,F,P,U}', 0.33) || pg_temp.opt('RL', '{U,W,T,O}', 0.33) ||
  pg_temp.opt('CR', '{H,M,L}', 0.2) || pg_temp.opt('MAV', '{N,A,L,P}', 0.2) || pg_temp.opt('MS', '{U,C}', 0.2)
ELSE
  'CVSS:4.0/AV:' || pg_temp.pick('{N,A,L,P}') || '/AC:' || pg_temp.pick('{L,H}') || '/AT:' || pg_temp.pick('{N,P}') ||
  '/PR:' || pg_temp.pick('{N,L,H}') || '/UI:' || pg_temp.pick('{N,P,A}') ||
  '/VC:' || pg_temp.pick('{H,L,N}') || '/VI:' || pg_temp.pick('{H,L,N}') || '/VA:' || pg_temp.pick('{H,L,N}') ||
  '/SC:' || pg_temp.pick('{H,L,N}') || '/SI:' || pg_temp.pick('{H,L,N}') || '/SA:' || pg_temp.pick('{H,L,N}') ||
  pg_temp.opt('E', '{A,P,U}', 0.33) || pg_temp.opt('CR', '{H,M,L}', 0.2) ||
  pg_temp.opt('MAV', '{N,A,L,P}', 0.2) || pg_temp.opt('MSI', '{S,H,L,N}', 0.2) || pg_temp.opt('AU', '{N,Y}', 0.2)
END AS s FROM generate_series(1, 4096) g;
CREATE TABLE vec AS
SELECT d.s FROM generate_series(1, 256) r, distinct_vec d ORDER BY random();
VACUUM ANALYZE vec;

-- The three queries take turns (text, cvss, cvss+numeric) three times, so a
-- change in machine load hits all of them alike; the best time of each counts.
CREATE FUNCTION pg_temp.best_of_3(OUT text_cast float8, OUT cvss_parse float8, OUT cvss_score float8)
LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; i int; q text; k int; t float8;
  qs text[] := ARRAY['SELECT count(s::cstring::text) FROM vec',
                     'SELECT count(s::isms.cvss) FROM vec',
                     'SELECT sum(isms.cvss_score(s::isms.cvss)) FROM vec'];
  best float8[] := ARRAY['infinity', 'infinity', 'infinity']::float8[];
BEGIN
  EXECUTE qs[1];                              -- warm the cache
  FOR i IN 1..3 LOOP
    FOR k IN 1..3 LOOP
      t0 := clock_timestamp();
      EXECUTE qs[k];
      t := extract(epoch FROM clock_timestamp() - t0);
      best[k] := least(best[k], t);
    END LOOP;
  END LOOP;
  text_cast := best[1]; cvss_parse := best[2]; cvss_score := best[3];
END $$;

WITH t AS (SELECT * FROM pg_temp.best_of_3())
SELECT format('rows: %s; text cast %s s, cvss parse+score %s s, with numeric score %s s',
              (SELECT count(*) FROM vec), round(text_cast::numeric, 3),
              round(cvss_parse::numeric, 3), round(cvss_score::numeric, 3)) || E'\n' ||
       format('ratio cvss parse+score vs text cast: %s (goal <= 3)', round((cvss_parse / text_cast)::numeric, 2)) || E'\n' ||
       format('ratio cvss parse+score+numeric cvss_score() vs text cast: %s (goal <= 3)', round((cvss_score / text_cast)::numeric, 2))
  FROM t;
SQL
