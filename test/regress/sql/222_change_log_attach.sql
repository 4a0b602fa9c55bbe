-- 222_change_log_attach: isms.attach_change_log() on the register's tables
-- (the triggers it made at install) and on a user's own table in public;
-- what it refuses, with its SQLSTATE, and that a refusal adds nothing.
\i test/regress/setup.sql

-- The 13 tables of pg_isms with a change log, three triggers each, all
-- made by attach_change_log at install: the same names and definitions.
SELECT t.tgrelid::regclass AS tab, string_agg(t.tgname, ' ' ORDER BY t.tgname) AS triggers
  FROM pg_trigger t
 WHERE t.tgfoid = 'isms.log_change()'::regprocedure
 GROUP BY 1 ORDER BY 1::text;
SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'isms.risk'::regclass
   AND tgfoid = 'isms.log_change()'::regprocedure ORDER BY tgname;

-- A DBA's own table outside isms: one call, and its changes are in the
-- chained log, under the table's qualified name.
CREATE TABLE public.supplier (id int PRIMARY KEY, name text NOT NULL, tier int);
SELECT isms.attach_change_log('public.supplier');
SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'public.supplier'::regclass ORDER BY tgname;
INSERT INTO public.supplier VALUES (1, 'Acme', 1), (2, 'Globex', 2);
UPDATE public.supplier SET tier = 3 WHERE id = 2;
DELETE FROM public.supplier WHERE id = 1;
SELECT op, old_row, new_row FROM isms.change_log WHERE table_name = 'public.supplier' ORDER BY id;
SELECT status, problem, entries FROM isms.verify_change_log();
-- A quoted name and a table without a primary key work too (the log needs
-- no key; rows_as_of then needs key columns the caller names).
CREATE TABLE public."Odd Name" (note text);
SELECT isms.attach_change_log('public."Odd Name"');
INSERT INTO public."Odd Name" VALUES ('x');
SELECT table_name, new_row FROM isms.change_log WHERE table_name = 'public."Odd Name"';
-- A partitioned table: its statement triggers log the rows changed through
-- it, whichever partition they go to (a partition may get its own log for
-- changes made to it directly).
CREATE TABLE public.reading (at date NOT NULL, v int) PARTITION BY RANGE (at);
CREATE TABLE public.reading_2026 PARTITION OF public.reading FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
SELECT isms.attach_change_log('public.reading');
INSERT INTO public.reading VALUES ('2026-03-01', 7);
SELECT table_name, new_row FROM isms.change_log WHERE table_name LIKE 'public.reading%';

-- Refused: not a table (42809), a table already logged (42710), the log
-- itself (22023), a missing table (42P01 from the regclass); a role
-- without access to pg_isms or without the TRIGGER privilege on the table
-- (42501).
CREATE VIEW public.supplier_view AS SELECT * FROM public.supplier;
CREATE SEQUENCE public.some_seq;
CREATE MATERIALIZED VIEW public.supplier_mv AS SELECT * FROM public.supplier;
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$SELECT isms.attach_change_log('public.supplier_view')$$),
  ($$SELECT isms.attach_change_log('public.some_seq')$$),
  ($$SELECT isms.attach_change_log('public.supplier_mv')$$),
  ($$SELECT isms.attach_change_log('public.supplier_pkey')$$),
  ($$SELECT isms.attach_change_log('public.supplier')$$),
  ($$SELECT isms.attach_change_log('isms.soa_entry')$$),
  ($$SELECT isms.attach_change_log('isms.change_log')$$),
  ($$SELECT isms.attach_change_log('isms.change_log_head')$$),
  ($$SELECT isms.attach_change_log('public.nowhere')$$),
  ($$SELECT isms.attach_change_log(0)$$)
) AS t(s);
SELECT pg_temp.err($$SELECT isms.attach_change_log('public.supplier')$$) AS detail_names_the_trigger;
SELECT pg_temp.err($$SELECT isms.attach_change_log('public.supplier_view')$$) AS detail_names_the_kind;
SELECT isms.attach_change_log(NULL) AS strict_null;
CREATE ROLE isms_regress_stranger;
SET ROLE isms_regress_stranger;
SELECT pg_temp.try($$SELECT isms.attach_change_log('public.supplier_view')$$);
RESET ROLE;
-- An ISMS admin may call it, but logging a table is the table owner's
-- decision (TRIGGER privilege) and needs EXECUTE on the trigger function,
-- which no access level gives (trigger functions are internal): the
-- extension owner grants it to the roles that may log their own tables.
SELECT isms.grant_admin('isms_regress_stranger');
CREATE TABLE public.not_theirs (id int);
CREATE SCHEMA stranger AUTHORIZATION isms_regress_stranger;
SET ROLE isms_regress_stranger;
SELECT pg_temp.try($$SELECT isms.attach_change_log('public.not_theirs')$$);
CREATE TABLE stranger.contract (id int PRIMARY KEY, party text);
SELECT pg_temp.try($$SELECT isms.attach_change_log('stranger.contract')$$);
RESET ROLE;
GRANT EXECUTE ON FUNCTION isms.log_change() TO isms_regress_stranger;
SET ROLE isms_regress_stranger;
SELECT isms.attach_change_log('stranger.contract');
INSERT INTO stranger.contract VALUES (1, 'Initech');
RESET ROLE;
SELECT actor, table_name, new_row FROM isms.change_log WHERE table_name = 'stranger.contract';
-- Nothing was added by the refusals: still three triggers on each logged
-- table, none on the others.
SELECT c.relname, count(t.oid) AS log_triggers
  FROM pg_class c LEFT JOIN pg_trigger t ON t.tgrelid = c.oid AND t.tgfoid = 'isms.log_change()'::regprocedure
 WHERE c.oid IN ('public.supplier'::regclass, 'public."Odd Name"'::regclass, 'public.reading'::regclass,
                 'public.reading_2026'::regclass, 'public.not_theirs'::regclass, 'public.supplier_view'::regclass,
                 'public.supplier_mv'::regclass, 'public.some_seq'::regclass)
 GROUP BY 1 ORDER BY 1;
SELECT count(*) AS log_triggers_in_isms FROM pg_trigger
 WHERE tgfoid = 'isms.log_change()'::regprocedure AND tgrelid::regclass::text LIKE 'isms.%';
SELECT status, problem FROM isms.verify_change_log();
SELECT isms.revoke_reader('isms_regress_stranger');
REVOKE EXECUTE ON FUNCTION isms.log_change() FROM isms_regress_stranger;
DROP SCHEMA stranger CASCADE;
DROP TABLE public.supplier CASCADE;
DROP TABLE public."Odd Name", public.reading, public.not_theirs;
DROP SEQUENCE public.some_seq;
DROP ROLE isms_regress_stranger;
