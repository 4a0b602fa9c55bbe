-- 101_risk_score_minmax_plan: isms.max over an indexed risk_score column is
-- answered by one backward index scan (the aggregate's sort operator is the
-- btree opclass's), not by reading the table.  The plan's text differs by
-- major (PostgreSQL 17 dropped "(returns $0)" and the IS NOT NULL index
-- condition it shows): 101_risk_score_minmax_plan.out is 15/16,
-- 101_risk_score_minmax_plan_1.out is 17 and later.
\i test/regress/setup.sql
CREATE TEMP TABLE rs_minmax (id int PRIMARY KEY, s isms.risk_score NOT NULL);
INSERT INTO rs_minmax
SELECT g, isms.risk_score(1 + g % 10, 1 + (g / 10) % 10) FROM generate_series(1, 20000) g;
CREATE INDEX rs_minmax_s ON rs_minmax (s);
ANALYZE rs_minmax;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT isms.max(s) FROM rs_minmax;
EXPLAIN (COSTS OFF) SELECT isms.min(s) FROM rs_minmax;
SELECT isms.min(s), isms.max(s) FROM rs_minmax;
