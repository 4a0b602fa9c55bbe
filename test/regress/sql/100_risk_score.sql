-- 10_risk_score: the isms.risk_score type: I/O, typmod, casts, order, NULLs,
-- operators, min/max, index use, hash join/aggregate/partitioning, binary
-- I/O (COPY BINARY round trip) and bad input with its SQLSTATE.
\i test/regress/setup.sql
-- Operators and aggregates live in schema isms: without it on search_path,
-- sorting and indexes still work (they use the operator class), but "=" must
-- be written OPERATOR(isms.=).  Users put isms on their search_path.
SELECT pg_temp.try($$SELECT '1x1'::isms.risk_score = '1x1'$$) AS without_search_path,
       '1x1'::isms.risk_score OPERATOR(isms.=) '1x1' AS qualified,
       (SELECT string_agg(s::text, ' ' ORDER BY s) FROM unnest('{5x1,1x2,1x1}'::isms.risk_score[]) s) AS sorted;
SET search_path = public, isms;

-- Text I/O: the canonical form is "LxI"; spaces and "X" are accepted.
SELECT to_json(s) AS input, s::isms.risk_score AS value FROM (VALUES
  ('4x5'), ('4X5'), (' 4 x 5 '), (E'\t4\nX\r5\n'), ('04x005'), ('1x1'), ('255x255'), ('10x3')
) AS t(s);
SELECT isms.risk_score(4, 5) AS made, isms.likelihood('4x5') AS likelihood,
       isms.impact('4x5') AS impact, isms.score('4x5') AS score,
       isms.score('255x255') AS largest_score;
-- Function-call syntax with a single argument is the cast.
SELECT isms.risk_score('3x2') AS cast_by_call, '3x2'::text::isms.risk_score::text AS via_text;
SELECT pg_typeof('4x5'::isms.risk_score), t.typlen, t.typbyval, t.typalign, t.typstorage
  FROM pg_type t WHERE t.oid = 'isms.risk_score'::regtype;

-- At least 30 bad inputs, each with its SQLSTATE and message.
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$SELECT ''::isms.risk_score$$),
  ($$SELECT ' '::isms.risk_score$$),
  ($$SELECT 'x'::isms.risk_score$$),
  ($$SELECT '3x'::isms.risk_score$$),
  ($$SELECT 'x5'::isms.risk_score$$),
  ($$SELECT '-1x2'::isms.risk_score$$),
  ($$SELECT '1x-2'::isms.risk_score$$),
  ($$SELECT '+1x2'::isms.risk_score$$),
  ($$SELECT '4x5x'::isms.risk_score$$),
  ($$SELECT '4x5 junk'::isms.risk_score$$),
  ($$SELECT '4x5;'::isms.risk_score$$),
  ($$SELECT '4*5'::isms.risk_score$$),
  ($$SELECT '4,5'::isms.risk_score$$),
  ($$SELECT '(4,5)'::isms.risk_score$$),
  ($$SELECT '45'::isms.risk_score$$),
  ($$SELECT '4 5'::isms.risk_score$$),
  ($$SELECT '4xx5'::isms.risk_score$$),
  ($$SELECT '4.0x5'::isms.risk_score$$),
  ($$SELECT '0x1f'::isms.risk_score$$),
  ($$SELECT '１x１'::isms.risk_score$$),
  ($$SELECT '4×5'::isms.risk_score$$),
  ($$SELECT 'ä'::isms.risk_score$$),
  ($$SELECT E'4x5\x01'::isms.risk_score$$),
  ($$SELECT 'NaN'::isms.risk_score$$),
  ($$SELECT '99999999999999999999x'::isms.risk_score$$),
  ($$SELECT '0x3'::isms.risk_score$$),
  ($$SELECT '3x0'::isms.risk_score$$),
  ($$SELECT '0x0'::isms.risk_score$$),
  ($$SELECT '256x1'::isms.risk_score$$),
  ($$SELECT '1x256'::isms.risk_score$$),
  ($$SELECT '99999999999x1'::isms.risk_score$$),
  ($$SELECT '1x99999999999999999999999999'::isms.risk_score$$),
  ($$SELECT '6x1'::isms.risk_score(5)$$),
  ($$SELECT '1x6'::isms.risk_score(5)$$),
  ($$SELECT '4x5'::isms.risk_score(0)$$),
  ($$SELECT '4x5'::isms.risk_score(256)$$),
  ($$SELECT '4x5'::isms.risk_score(5, 5)$$),
  ($$SELECT isms.risk_score(0, 1)$$),
  ($$SELECT isms.risk_score(1, 256)$$),
  ($$SELECT isms.risk_score(-1, 2)$$),
  ($$SELECT 4::isms.risk_score$$),
  ($$SELECT '4x5'::isms.risk_score::integer$$)
) AS t(s);

-- Typmod: risk_score(n) bounds both axes to 1..n, on input, cast and assignment.
CREATE TABLE rs_typmod (id int PRIMARY KEY, s isms.risk_score(5));
SELECT format_type(atttypid, atttypmod) FROM pg_attribute
 WHERE attrelid = 'rs_typmod'::regclass AND attname = 's';
SELECT '5x5'::isms.risk_score(5) AS fits, '3x3'::isms.risk_score(3) AS fits_3,
       '1x1'::isms.risk_score(1) AS fits_1, '255x255'::isms.risk_score(255) AS largest;
INSERT INTO rs_typmod VALUES (1, '5x5'), (2, isms.risk_score(1, 2));
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$INSERT INTO rs_typmod VALUES (3, '6x1')$$),
  ($$INSERT INTO rs_typmod VALUES (3, isms.risk_score(1, 6))$$),
  ($$INSERT INTO rs_typmod SELECT 3, '9x9'::isms.risk_score$$),
  ($$UPDATE rs_typmod SET s = '5x6' WHERE id = 1$$),
  ($$SELECT isms.risk_score(4, 4)::isms.risk_score(3)$$),
  ($$SELECT CAST('2x4' AS isms.risk_score(3))$$)
) AS t(s);
-- Nothing of that was written.
SELECT * FROM rs_typmod ORDER BY id;
-- Widening and dropping the typmod keep values; narrowing checks them.
SELECT '4x4'::isms.risk_score(5)::isms.risk_score(10) AS widened,
       '4x4'::isms.risk_score(5)::isms.risk_score AS unconstrained;
SELECT pg_temp.try($$ALTER TABLE rs_typmod ALTER COLUMN s TYPE isms.risk_score(4)$$) AS narrowing;
ALTER TABLE rs_typmod ALTER COLUMN s TYPE isms.risk_score(7);
SELECT format_type(atttypid, atttypmod) FROM pg_attribute
 WHERE attrelid = 'rs_typmod'::regclass AND attname = 's';

-- Total order: product, then impact, then likelihood; every 5x5 value.
SELECT string_agg(s::text, ' ' ORDER BY s) AS ascending,
       string_agg(s::text, ' ' ORDER BY s DESC) AS descending
  FROM (SELECT isms.risk_score(l, i) AS s FROM generate_series(1, 5) l, generate_series(1, 5) i) t;
-- Operators, including ties on product (5x4 < 4x5: impact decides).
SELECT a, b, a = b AS eq, a <> b AS ne, a < b AS lt, a <= b AS le, a > b AS gt, a >= b AS ge,
       isms.risk_score_cmp(a, b) AS cmp
  FROM (VALUES ('4x5'::isms.risk_score, '5x4'::isms.risk_score), ('5x4', '4x5'), ('4x5', '4x5'),
               ('1x5', '2x3'), ('2x2', '4x1'), ('255x255', '1x1')) AS t(a, b);
SELECT greatest('2x3'::isms.risk_score, '3x2', '1x5') AS greatest,
       least('2x3'::isms.risk_score, '3x2', '1x5') AS least;

-- NULLs: strict functions and operators give NULL; sorting puts them last.
SELECT isms.score(NULL) AS score, isms.likelihood(NULL) IS NULL AS likelihood_null,
       isms.risk_score(NULL, 3) AS made, ('4x5'::isms.risk_score = NULL) IS NULL AS eq_null;
SELECT string_agg(coalesce(s::text, 'NULL'), ' ' ORDER BY s) AS nulls_last,
       string_agg(coalesce(s::text, 'NULL'), ' ' ORDER BY s NULLS FIRST) AS nulls_first,
       isms.min(s), isms.max(s), count(s) AS non_null
  FROM (VALUES ('3x3'::isms.risk_score), (NULL), ('1x2'), ('5x1'), (NULL)) AS t(s);
SELECT isms.min(s) AS min_of_nothing, isms.max(s) AS max_of_nothing
  FROM (SELECT '1x1'::isms.risk_score WHERE false) AS t(s);

-- Arrays, DISTINCT and GROUP BY.
SELECT '{4x5, 1x1, "2 x 2"}'::isms.risk_score[] AS arr,
       (SELECT array_agg(DISTINCT s ORDER BY s) FROM unnest('{4x5,1x1,4x5,5x4}'::isms.risk_score[]) s) AS distinct_sorted;

-- A table of 20000 rows for index use, joins and aggregates.
CREATE TABLE rs_risk (id int PRIMARY KEY, s isms.risk_score NOT NULL);
INSERT INTO rs_risk
SELECT g, isms.risk_score(1 + g % 10, 1 + (g / 10) % 10) FROM generate_series(1, 20000) g;
CREATE INDEX rs_risk_s ON rs_risk (s);
ANALYZE rs_risk;
SELECT s, count(*) FROM rs_risk GROUP BY s ORDER BY s DESC LIMIT 5;
SELECT isms.min(s), isms.max(s), count(DISTINCT s) FROM rs_risk;

-- The index is used for =, <, BETWEEN and ORDER BY.
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM rs_risk WHERE s = '4x5';
EXPLAIN (COSTS OFF) SELECT id FROM rs_risk WHERE s < '2x2';
EXPLAIN (COSTS OFF) SELECT id FROM rs_risk WHERE s BETWEEN '3x3' AND '4x3';
EXPLAIN (COSTS OFF) SELECT s FROM rs_risk ORDER BY s DESC LIMIT 3;
-- (min/max through the index: test/regress/sql/101_risk_score_minmax_plan.sql,
-- whose plan text differs by major)
-- BETWEEN on the index equals the same range written on (product, impact, likelihood).
SELECT count(*) FROM rs_risk WHERE s BETWEEN '3x3' AND '4x3';
SELECT count(*) FROM rs_risk
 WHERE (isms.score(s), isms.impact(s), isms.likelihood(s)) BETWEEN (9, 3, 3) AND (12, 3, 4);
SELECT s FROM rs_risk ORDER BY s DESC LIMIT 3;
SELECT isms.max(s), isms.min(s) FROM rs_risk;
RESET enable_seqscan;
RESET enable_bitmapscan;

-- Hash join, hash aggregate and merge join give the same answers.
CREATE TABLE rs_band (s isms.risk_score PRIMARY KEY, band text NOT NULL);
INSERT INTO rs_band SELECT isms.risk_score(l, i), CASE WHEN l * i >= 50 THEN 'top' ELSE 'rest' END
  FROM generate_series(1, 10) l, generate_series(1, 10) i;
ANALYZE rs_band;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT b.band, count(*) FROM rs_risk r JOIN rs_band b ON b.s = r.s GROUP BY b.band;
SELECT b.band, count(*) FROM rs_risk r JOIN rs_band b ON b.s = r.s GROUP BY b.band ORDER BY 1;
RESET enable_mergejoin;
SET enable_hashjoin = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM rs_risk r JOIN rs_band b ON b.s = r.s;
SELECT count(*) FROM rs_risk r JOIN rs_band b ON b.s = r.s;
RESET enable_hashjoin;
RESET enable_nestloop;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT s, count(*) FROM rs_risk GROUP BY s;
SELECT count(*) AS groups, sum(n) AS rows FROM (SELECT s, count(*) AS n FROM rs_risk GROUP BY s) g;
RESET enable_sort;

-- Hash index and hash partitioning (the extended hash function).
CREATE INDEX rs_risk_s_hash ON rs_risk USING hash (s);
DROP INDEX rs_risk_s;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM rs_risk WHERE s = '4x5';
SELECT count(*) FROM rs_risk WHERE s = '4x5';
RESET enable_seqscan;
RESET enable_bitmapscan;
CREATE TABLE rs_part (s isms.risk_score) PARTITION BY HASH (s);
CREATE TABLE rs_part_0 PARTITION OF rs_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE rs_part_1 PARTITION OF rs_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE rs_part_2 PARTITION OF rs_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO rs_part SELECT DISTINCT s FROM rs_risk;
SELECT count(*) AS rows, count(DISTINCT tableoid) AS partitions_used FROM rs_part;
-- Every row sits in the partition its hash names, and equal values meet.
SELECT bool_and(satisfies_hash_partition('rs_part'::regclass, 3,
         substr(tableoid::regclass::text, 9)::int, s)) AS all_placed FROM rs_part;
EXPLAIN (COSTS OFF) SELECT * FROM rs_part WHERE s = '4x5';
SELECT isms.risk_score_hash('4x5') = isms.risk_score_hash(' 4 X 5') AS same_hash,
       isms.risk_score_hash_extended('4x5', 0) <> isms.risk_score_hash_extended('4x5', 1) AS seed_changes_hash,
       isms.risk_score_hash_extended('4x5', 7) = isms.risk_score_hash_extended('4x5', 7) AS seed_repeats;

-- Binary I/O: a version byte, then likelihood and impact as int2.
SELECT isms.risk_score_send('4x5') AS wire, isms.risk_score_send('255x255') AS wire_max;
-- COPY BINARY round trip through a file of the server.
SELECT '/tmp/pg_isms_10_risk_score_' || pg_backend_pid() AS binfile \gset
COPY (SELECT id, s FROM rs_risk ORDER BY id) TO :'binfile' (FORMAT binary);
CREATE TABLE rs_copy (id int, s isms.risk_score(10));
COPY rs_copy FROM :'binfile' (FORMAT binary);
SELECT count(*) AS copied, count(*) FILTER (WHERE c.s = r.s) AS equal
  FROM rs_copy c JOIN rs_risk r USING (id);
-- A file whose values do not fit the column's typmod is refused.
CREATE TABLE rs_copy_small (id int, s isms.risk_score(3));
SELECT pg_temp.try(format('COPY rs_copy_small FROM %L (FORMAT binary)', :'binfile')) AS too_big;
-- Binary values with an unknown version byte or out of range are refused:
-- a bytea field with the same bytes makes the file.
COPY (SELECT 1, '\x0200040005'::bytea) TO :'binfile' (FORMAT binary);
SELECT pg_temp.try(format('COPY rs_copy FROM %L (FORMAT binary)', :'binfile')) AS version_2;
COPY (SELECT 1, '\x0100000005'::bytea) TO :'binfile' (FORMAT binary);
SELECT pg_temp.try(format('COPY rs_copy FROM %L (FORMAT binary)', :'binfile')) AS likelihood_0;
COPY (SELECT 1, '\x01000400'::bytea) TO :'binfile' (FORMAT binary);
SELECT pg_temp.try(format('COPY rs_copy FROM %L (FORMAT binary)', :'binfile')) AS truncated;
COPY (SELECT 1, '\x010004000500'::bytea) TO :'binfile' (FORMAT binary);
SELECT pg_temp.try(format('COPY rs_copy FROM %L (FORMAT binary)', :'binfile')) AS trailing_byte;
COPY (SELECT 1, '\x0100040005'::bytea) TO :'binfile' (FORMAT binary);
SELECT pg_temp.try(format('COPY rs_copy_small FROM %L (FORMAT binary)', :'binfile')) AS typmod_3;
COPY rs_copy FROM :'binfile' (FORMAT binary);
SELECT count(*) AS rows_now, count(*) FILTER (WHERE s = '4x5') AS four_by_five FROM rs_copy;
SELECT count(*) AS nothing_in_small FROM rs_copy_small;
SELECT pg_temp.try(format($$COPY (SELECT 1) TO PROGRAM 'rm -f %s'$$, :'binfile')) AS removed;
