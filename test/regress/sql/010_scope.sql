-- 01_scope: the scope table, its seed row and its constraints.
\i test/regress/setup.sql
SELECT id, name FROM isms.scope ORDER BY id;
INSERT INTO isms.scope (id, name) VALUES ('emea', 'EMEA');
-- Bad ids and names are refused with their constraint, and nothing is written.
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$INSERT INTO isms.scope (id, name) VALUES ('EMEA', 'upper case')$$),
  ($$INSERT INTO isms.scope (id, name) VALUES ('', 'empty')$$),
  ($$INSERT INTO isms.scope (id, name) VALUES ('-x', 'leading dash')$$),
  ($$INSERT INTO isms.scope (id, name) VALUES ('a b', 'space')$$),
  ($$INSERT INTO isms.scope (id, name) VALUES (repeat('a', 64), 'too long')$$),
  ($$INSERT INTO isms.scope (id, name) VALUES ('ok', '   ')$$),
  ($$INSERT INTO isms.scope (id, name) VALUES ('ok', NULL)$$),
  ($$INSERT INTO isms.scope (id, name) VALUES ('emea', 'duplicate')$$),
  ($$UPDATE isms.scope SET name = 'Acme' WHERE id = 'default'$$),
  ($$DELETE FROM isms.scope WHERE id = 'default'$$)
) AS t(s);
SELECT id, name, created_at IS NULL AS builtin FROM isms.scope ORDER BY id;
-- A user scope can be renamed.
UPDATE isms.scope SET name = 'EMEA region' WHERE id = 'emea';
SELECT id, name FROM isms.scope ORDER BY id;
-- The user's scope is dumped, the seeded one is not.
SELECT c.tab::regclass AS extconfig, c.cond AS extcondition
  FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS c(tab, cond)
 WHERE e.extname = 'pg_isms' AND c.tab = 'isms.scope'::regclass;
