-- 22_change_log: the append-only change log (who, when, transaction, old and
-- new row), its protection, isms.log_change() on other tables, and
-- isms.soa_as_of after a series of changes.
\i test/regress/setup.sql

INSERT INTO isms.scope (id, name) VALUES ('emea', 'EMEA'), ('apac', 'APAC');
SELECT isms.soa_init('emea', 'iso27001-2022');

-- One entry per row, written by one statement-level trigger per statement.
SELECT table_name, op, count(*), count(DISTINCT txid) AS transactions,
       bool_and(actor = current_user) AS by_me, bool_and(old_row IS NULL) AS no_old_row
  FROM isms.change_log GROUP BY 1, 2;
SELECT new_row FROM isms.change_log WHERE new_row->>'control_ref' = '5.1';

-- A multi-row UPDATE pairs each old row with its own new row.
UPDATE isms.soa_entry SET applicable = true, justification = 'Baseline ' || control_ref, owner = 'CISO'
 WHERE scope = 'emea' AND control_ref LIKE '7.%';
SELECT count(*) AS updates,
       count(*) FILTER (WHERE old_row->>'control_ref' = new_row->>'control_ref'
                          AND new_row->>'justification' = 'Baseline ' || (old_row->>'control_ref')) AS paired_right,
       count(DISTINCT txid) AS transactions
  FROM isms.change_log WHERE op = 'UPDATE';
-- Log ids follow the order of the changes.
SELECT bool_and(prev_id < id) AS ascending FROM (
  SELECT id, lag(id) OVER (ORDER BY logged_at, id) AS prev_id FROM isms.change_log) AS t WHERE prev_id IS NOT NULL;

-- A DELETE keeps the old row; a statement that changes nothing logs nothing.
DELETE FROM isms.soa_entry WHERE scope = 'emea' AND control_ref = '7.14';
SELECT op, old_row->>'justification' AS justification, new_row FROM isms.change_log WHERE op = 'DELETE';
UPDATE isms.soa_entry SET owner = 'x' WHERE scope = 'nowhere';
SELECT count(*) AS entries FROM isms.change_log;

-- The log is append-only, also for its owner: 42501, nothing changes.
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$UPDATE isms.change_log SET actor = 'someone else'$$),
  ($$DELETE FROM isms.change_log$$),
  ($$TRUNCATE isms.change_log$$)
) AS t(s);
SELECT count(*) AS entries, count(*) FILTER (WHERE actor = current_user) AS by_me FROM isms.change_log;

-- An ordinary role allowed to edit the SoA is logged under its own name
-- and can neither read nor write the log directly.
SET client_min_messages = warning;
DROP ROLE IF EXISTS isms_regress_editor;
RESET client_min_messages;
CREATE ROLE isms_regress_editor;
GRANT USAGE ON SCHEMA isms TO isms_regress_editor;
GRANT SELECT, INSERT, UPDATE, DELETE ON isms.soa_entry TO isms_regress_editor;
SET ROLE isms_regress_editor;
UPDATE isms.soa_entry SET status = 'implemented' WHERE scope = 'emea' AND control_ref = '7.1';
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$SELECT count(*) FROM isms.change_log$$),
  ($$INSERT INTO isms.change_log (actor, table_name, op, new_row) VALUES ('forged', 'isms.soa_entry', 'INSERT', '{}')$$),
  ($$UPDATE isms.change_log SET actor = 'forged'$$),
  ($$DELETE FROM isms.change_log$$),
  ($$TRUNCATE isms.change_log$$),
  ($$ALTER TABLE isms.change_log DISABLE TRIGGER change_log_append_only$$),
  ($$DROP TABLE isms.change_log$$)
) AS t(s);
RESET ROLE;
SELECT actor, op, old_row->>'status' AS old_status, new_row->>'status' AS new_status
  FROM isms.change_log WHERE actor <> current_user;
REVOKE ALL ON isms.soa_entry FROM isms_regress_editor;
REVOKE ALL ON SCHEMA isms FROM isms_regress_editor;
DROP ROLE isms_regress_editor;

-- isms.log_change() on a table of one's own, statement level and row level.
CREATE TABLE public.asset (id int PRIMARY KEY, name text);
CREATE TRIGGER asset_log_ins AFTER INSERT ON public.asset REFERENCING NEW TABLE AS n
  FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER asset_log_upd AFTER UPDATE ON public.asset FOR EACH ROW EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER asset_log_del AFTER DELETE ON public.asset REFERENCING OLD TABLE AS o
  FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
INSERT INTO public.asset VALUES (1, 'laptop'), (2, 'server');
UPDATE public.asset SET name = upper(name);
DELETE FROM public.asset WHERE id = 2;
SELECT table_name, op, old_row, new_row FROM isms.change_log WHERE table_name = 'public.asset' ORDER BY id;

-- The logged row is exactly to_jsonb(row) for every kind of column (the
-- trigger builds common types itself and hands the rest to to_jsonb),
-- also after a column was dropped and under another time zone.
CREATE TYPE public.colour AS ENUM ('red', 'green');
CREATE DOMAIN public.short_text AS text CHECK (length(VALUE) < 20);
CREATE DOMAIN public.percent AS int CHECK (VALUE BETWEEN 0 AND 100);
CREATE TYPE public.pair AS (a int, b text);
CREATE TABLE public.kinds (
  id int PRIMARY KEY, gone text, b bool, i2 int2, i4 int4, i8 int8, n numeric, f4 float4, f8 float8,
  t text, vc varchar(10), c char(5), nm name, d date, ts timestamp, tstz timestamptz, tm time, iv interval,
  u uuid, e public.colour, st public.short_text, pc public.percent, ta text[], ia int[], j json, jb jsonb,
  p public.pair, ip inet, by bytea, x8 xid8, rs isms.implementation_status);
ALTER TABLE public.kinds DROP COLUMN gone;
CREATE TABLE public.kinds_row (LIKE public.kinds);
CREATE TRIGGER kinds_log AFTER INSERT ON public.kinds REFERENCING NEW TABLE AS n
  FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER kinds_row_log AFTER INSERT ON public.kinds_row FOR EACH ROW EXECUTE FUNCTION isms.log_change();
SET timezone = 'America/New_York';
INSERT INTO public.kinds VALUES
  (1, true, -32768, -2147483648, -9223372036854775808, 'NaN', 'Infinity', '-Infinity', 'a "quoted" \ text é €',
   'varchar', 'ab', 'nm', 'infinity', '2026-01-15 10:00:00.123456', '2026-01-15 10:00:00+00', '23:59:59', '1 year 2 mons',
   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'red', 'short', 42, '{a,NULL,"b c"}', '{1,2,3}', '{"k": [1, 2]}', '{"z": 1, "a": null}',
   ROW(1, 'x'), '192.168.0.1/24', '\x00ff', '123', 'partial'),
  (2, false, 32767, 2147483647, 9223372036854775807, 12345678901234567890.000123, 1.5, -0.25, '',
   '', '', '', '-infinity', '1999-12-31 23:59:59', '-infinity', '00:00', '-3 days', NULL, 'green', '', 0, '{}', '{}', 'null', '[]',
   ROW(NULL, NULL), '::1', '', '0', 'implemented'),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.kinds_row SELECT * FROM public.kinds;
SELECT l.table_name, count(*) AS rows, count(*) FILTER (WHERE l.new_row = to_jsonb(k)) AS equal_to_to_jsonb
  FROM isms.change_log l JOIN public.kinds k ON (l.new_row->>'id')::int = k.id
 WHERE l.table_name IN ('public.kinds', 'public.kinds_row') GROUP BY 1 ORDER BY 1;
-- ... and byte for byte what jsonb_in makes of its text, so an entry's hash
-- (221) survives a dump, which carries the rows as text.
SELECT table_name, count(*) FILTER (WHERE entry_hash = isms.change_log_entry_hash(prev_hash, id, logged_at, txid, actor,
                                    table_name, op, old_row::text::jsonb, new_row::text::jsonb)) AS hash_survives_text
  FROM isms.change_log WHERE table_name IN ('public.kinds', 'public.kinds_row') GROUP BY 1 ORDER BY 1;
SELECT new_row - ARRAY['ta', 'ia', 'j', 'jb', 'p', 'n', 'u', 'ip', 'by', 'x8', 'tm', 'iv', 'nm', 'vc', 'c', 'st'] AS logged
  FROM isms.change_log WHERE table_name = 'public.kinds' AND new_row->>'id' = '1';
RESET timezone;
SET timezone = 'UTC';
DROP TABLE public.kinds, public.kinds_row;
DROP TYPE public.colour, public.pair;
DROP DOMAIN public.short_text, public.percent;

-- Misuse is refused with 39P01 (trigger protocol violated), and nothing is written.
CREATE TABLE public.misuse (id int);
CREATE TRIGGER misuse_before BEFORE INSERT ON public.misuse FOR EACH ROW EXECUTE FUNCTION isms.log_change();
SELECT pg_temp.try($$INSERT INTO public.misuse VALUES (1)$$);
DROP TRIGGER misuse_before ON public.misuse;
CREATE TRIGGER misuse_no_table AFTER INSERT ON public.misuse FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
SELECT pg_temp.try($$INSERT INTO public.misuse VALUES (1)$$);
DROP TRIGGER misuse_no_table ON public.misuse;
CREATE TRIGGER misuse_truncate AFTER TRUNCATE ON public.misuse FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
SELECT pg_temp.try($$TRUNCATE public.misuse$$);
SELECT pg_temp.try($$SELECT isms.log_change()$$);
SELECT count(*) AS misuse_rows, (SELECT count(*) FROM isms.change_log WHERE table_name = 'public.misuse') AS logged
  FROM public.misuse;
DROP TABLE public.misuse, public.asset;

-- isms.soa_as_of: a series of changes in scope apac, the view captured after
-- each step, then every step rebuilt from the log.  Changes in emea go on
-- in between and must not leak into apac.
CREATE TEMP TABLE snap (step int PRIMARY KEY, at timestamptz, soa jsonb);
CREATE FUNCTION pg_temp.capture(step int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO snap SELECT step, clock_timestamp(),
    (SELECT jsonb_agg(to_jsonb(s) ORDER BY s.framework, s.position)
       FROM isms.statement_of_applicability s WHERE s.scope = 'apac')
$$;
SELECT pg_temp.capture(0);
SELECT isms.soa_init('apac', 'iso27001-2022');
SELECT pg_temp.capture(1);
UPDATE isms.soa_entry SET applicable = true, justification = 'Office in Singapore', owner = 'Facilities'
 WHERE scope = 'apac' AND control_ref LIKE '7.%';
SELECT pg_temp.capture(2);
UPDATE isms.soa_entry SET status = 'partial', evidence = '{FAC-1}' WHERE scope = 'apac' AND control_ref = '7.1';
UPDATE isms.soa_entry SET owner = 'Changed in emea' WHERE scope = 'emea';
SELECT pg_temp.capture(3);
BEGIN;
UPDATE isms.soa_entry SET status = 'implemented', last_reviewed = '2026-06-01', next_review = '2999-06-01'
 WHERE scope = 'apac' AND control_ref = '7.1';
UPDATE isms.soa_entry SET applicable = false, justification = 'No data centre' WHERE scope = 'apac' AND control_ref = '7.5';
DELETE FROM isms.soa_entry WHERE scope = 'apac' AND control_ref IN ('8.1', '8.2');
COMMIT;
SELECT pg_temp.capture(4);
-- A rolled-back change never shows.
BEGIN;
UPDATE isms.soa_entry SET owner = 'Rolled back' WHERE scope = 'apac';
ROLLBACK;
-- An entry is deleted and inserted again with a different decision.
DELETE FROM isms.soa_entry WHERE scope = 'apac' AND control_ref = '7.2';
INSERT INTO isms.soa_entry (scope, framework, control_ref, applicable, justification, status)
VALUES ('apac', 'iso27001-2022', '7.2', false, 'Shared building, landlord controls entry', 'not_started');
SELECT pg_temp.capture(5);
-- The key of an entry changes (moved to the 2013 framework's A.11.1.2).
UPDATE isms.soa_entry SET framework = 'iso27001-2013', control_ref = 'A.11.1.2'
 WHERE scope = 'apac' AND control_ref = '7.3';
SELECT pg_temp.capture(6);
DELETE FROM isms.soa_entry WHERE scope = 'apac';
SELECT pg_temp.capture(7);

SELECT step, jsonb_array_length(soa) AS rows,
       (SELECT jsonb_agg(to_jsonb(s) ORDER BY s.framework, s.position) FROM isms.soa_as_of('apac', at) s)
         IS NOT DISTINCT FROM soa AS as_of_matches
  FROM snap ORDER BY step;
-- Before anything was logged the SoA was empty; the present equals the view.
SELECT count(*) AS rows_at_epoch FROM isms.soa_as_of('apac', '-infinity');
SELECT (SELECT count(*) FROM isms.soa_as_of('emea', now())) AS as_of_now,
       (SELECT count(*) FROM isms.statement_of_applicability WHERE scope = 'emea') AS view_now,
       (SELECT count(*) FROM (SELECT * FROM isms.soa_as_of('emea', now())
                              EXCEPT SELECT * FROM isms.statement_of_applicability WHERE scope = 'emea') AS d) AS differing;
-- What an auditor reads: 7.1 and 7.5 at step 3 and at step 4.
SELECT snap.step, a.control_ref, a.applicable, a.justification, a.status, a.evidence, a.next_review
  FROM snap, isms.soa_as_of('apac', snap.at) a
 WHERE snap.step IN (3, 4) AND a.control_ref IN ('7.1', '7.5') ORDER BY 1, 2;

-- The history of one table is a range of the log's key (table_name, id),
-- not a scan of the whole log, once other tables fill most of it (the
-- query of isms.soa_as_of and isms.rows_as_of).
CREATE TABLE public.noise (id int PRIMARY KEY, note text);
CREATE TRIGGER noise_log AFTER INSERT ON public.noise REFERENCING NEW TABLE AS n
  FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER noise_log_upd AFTER UPDATE ON public.noise REFERENCING OLD TABLE AS o NEW TABLE AS n
  FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
INSERT INTO public.noise SELECT i, 'row ' || i FROM generate_series(1, 5000) AS i;
ANALYZE isms.change_log;
EXPLAIN (COSTS OFF) SELECT l.id FROM isms.change_log l
 WHERE l.table_name = 'isms.soa_entry' AND l.logged_at <= now();
SELECT count(*) AS soa_entries_logged FROM isms.change_log WHERE table_name = 'isms.soa_entry';

-- With an INSERT trigger of its own on the log, entries are written by a
-- real INSERT, which fires it; they are the same entries.
CREATE TABLE public.log_seen (n bigint);
CREATE FUNCTION public.log_seen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.log_seen SELECT count(*) FROM new_entries;
  RETURN NULL;
END $$;
CREATE TRIGGER log_seen AFTER INSERT ON isms.change_log REFERENCING NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION public.log_seen();
INSERT INTO public.noise VALUES (5001, 'a'), (5002, NULL);
UPDATE public.noise SET note = 'c' WHERE id = 5002;
SELECT n AS entries_seen_by_trigger FROM public.log_seen;
SELECT op, old_row, new_row, actor = current_user AS by_me
  FROM isms.change_log WHERE table_name = 'public.noise' AND (new_row->>'id')::int > 5000 ORDER BY id;
DROP TRIGGER log_seen ON isms.change_log;
DROP FUNCTION public.log_seen();
DROP TABLE public.log_seen, public.noise;
