\i test/regress/setup.sql
-- 90_privileges: the least-privilege model.  PUBLIC gets nothing that
-- writes; every SECURITY DEFINER function pins its search_path; the three
-- levels give exactly what isms.access_map says, checked over every object
-- (so objects added later are checked without edits here), and the
-- behaviour a DBA relies on, role by role.
SET client_min_messages = warning;
DROP ROLE IF EXISTS isms_t_reader;
DROP ROLE IF EXISTS isms_t_editor;
DROP ROLE IF EXISTS isms_t_admin;
DROP ROLE IF EXISTS isms_t_none;
RESET client_min_messages;
CREATE ROLE isms_t_reader;
CREATE ROLE isms_t_editor;
CREATE ROLE isms_t_admin;
CREATE ROLE isms_t_none;

-- PUBLIC: no privilege on the schema, no table or sequence privilege, and
-- EXECUTE only on read functions.  Each query lists offenders: no rows.
SELECT 'schema' AS what, p.privilege_type
  FROM pg_namespace n, aclexplode(n.nspacl) p
 WHERE n.nspname = 'isms' AND p.grantee = 0;
SELECT c.oid::regclass AS relation, p.privilege_type
  FROM pg_class c, aclexplode(coalesce(c.relacl, acldefault(CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::"char", c.relowner))) p
 WHERE c.relnamespace = 'isms'::regnamespace AND p.grantee = 0;
SELECT m.object_name, m.class
  FROM isms.access_map m
  JOIN pg_proc f ON f.oid = to_regprocedure(m.object_name)
 WHERE m.object_type = 'function' AND m.class <> 'read'
   AND has_function_privilege('public', f.oid, 'EXECUTE');
-- Read functions PUBLIC may run never write: none is VOLATILE, SECURITY
-- DEFINER or a trigger (the rule of isms.access_map).
SELECT p.oid::regprocedure
  FROM pg_proc p
 WHERE p.pronamespace = 'isms'::regnamespace AND has_function_privilege('public', p.oid, 'EXECUTE')
   AND (p.provolatile = 'v' OR p.prosecdef OR p.prorettype = 'trigger'::regtype);

-- Access is stated, never inferred: every function of schema isms has its
-- row in isms.function_class, every row names a function that exists, and
-- no function without a row gets a privilege.  Each query lists offenders:
-- no rows.
SELECT p.oid::regprocedure AS unclassified
  FROM pg_proc p
 WHERE p.pronamespace = 'isms'::regnamespace
   AND NOT EXISTS (SELECT 1 FROM isms.function_class c WHERE c.function_name = 'isms.' || p.proname);
SELECT c.function_name AS classified_but_missing
  FROM isms.function_class c
 WHERE NOT EXISTS (SELECT 1 FROM pg_proc p
                    WHERE p.pronamespace = 'isms'::regnamespace AND 'isms.' || p.proname = c.function_name);
SELECT c.table_name AS table_class_but_missing
  FROM isms.table_class c
 WHERE to_regclass(c.table_name) IS NULL;
SELECT m.object_name, m.class FROM isms.access_map m WHERE m.class = 'unclassified';
-- A trigger function is never called directly: internal.
SELECT p.oid::regprocedure, c.class
  FROM pg_proc p JOIN isms.function_class c ON c.function_name = 'isms.' || p.proname
 WHERE p.pronamespace = 'isms'::regnamespace AND p.prorettype = 'trigger'::regtype AND c.class <> 'internal';
-- isms.reapply_security (run at the end of every install and upgrade)
-- refuses a function of the extension without a class, and a class whose
-- function is gone; nothing of either attempt stays.
BEGIN;
CREATE FUNCTION isms.t_unclassified() RETURNS int LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS 'SELECT 1';
ALTER EXTENSION pg_isms ADD FUNCTION isms.t_unclassified();
SELECT m.class, m.reader, m.editor, m.admin FROM isms.access_map m WHERE m.object_name = 'isms.t_unclassified()';
SELECT pg_temp.try('SELECT isms.reapply_security()');
ROLLBACK;
BEGIN;
INSERT INTO isms.function_class VALUES ('isms.no_such_function', 'read', NULL);
SELECT pg_temp.try('SELECT isms.reapply_security()');
ROLLBACK;
SELECT count(*) AS stale_rows FROM isms.function_class WHERE function_name IN ('isms.no_such_function', 'isms.t_unclassified');

-- Every SECURITY DEFINER function pins search_path to pg_catalog first,
-- pg_temp last, nothing but pg_catalog, isms, pg_temp; every SQL and
-- PL/pgSQL function sets search_path (else it could be inlined or planned
-- under the caller's path).  No rows.  Deliberate exceptions, each named:
-- isms.implementation_factor is a one-CASE IMMUTABLE SQL function kept
-- inlinable for the register views; inlined, it runs as the caller, so a
-- caller's search_path can only affect the caller's own query; so is
-- isms.relationship_compose, inlined into the chain view of
-- isms.control_coverage (every operator in it is OPERATOR(pg_catalog.=)),
-- and isms.percent_implemented, whose every name is schema-qualified.  The C
-- trigger isms.reminder_trigger pins search_path to pg_catalog, pg_temp in
-- C (src/reminder.c, isms_reminder_enter_safe_path) after its restore
-- check has read the caller's; test/suites/963_hostile_search_path.sh
-- checks it at run time.
SELECT p.oid::regprocedure, p.proconfig
  FROM pg_proc p
  LEFT JOIN LATERAL (
    SELECT string_to_array(replace(substr(c, 13), ' ', ''), ',') AS path
      FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%') s ON true
 WHERE p.pronamespace = 'isms'::regnamespace
   AND (p.prosecdef OR p.prolang IN (SELECT oid FROM pg_language WHERE lanname IN ('sql', 'plpgsql')))
   AND (s.path IS NULL OR s.path[1] <> 'pg_catalog' OR s.path[cardinality(s.path)] <> 'pg_temp'
        OR NOT s.path <@ ARRAY['pg_catalog', 'isms', 'pg_temp'])
   AND NOT (p.oid IN (to_regprocedure('isms.implementation_factor(isms.implementation_status)'),
                      to_regprocedure('isms.percent_implemented(bigint, bigint)'),
                      to_regprocedure('isms.relationship_compose(text, text)')) AND NOT p.prosecdef)
   AND NOT (p.proname = 'reminder_trigger'
            AND p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c') AND p.proconfig IS NULL);
SELECT count(*) > 0 AS some_security_definer_functions_checked
  FROM pg_proc WHERE pronamespace = 'isms'::regnamespace AND prosecdef;

-- Levels.
SELECT isms.grant_reader('isms_t_reader') AS reader,
       isms.grant_editor('isms_t_editor') AS editor,
       isms.grant_admin('isms_t_admin') AS admin;
SELECT role_name, level FROM isms.role_access ORDER BY role_name;
-- A grant never lowers a level; granting twice is harmless.
SELECT isms.grant_reader('isms_t_admin') AS still_admin, isms.grant_editor('isms_t_editor') AS still_editor;

-- What each role can do equals isms.access_map, object by object.  Lists
-- every mismatch: no rows.
CREATE FUNCTION pg_temp.has_priv(r name, t text, o text, p text) RETURNS boolean LANGUAGE sql AS $$
  SELECT CASE t WHEN 'function' THEN has_function_privilege(r, o, p)
                WHEN 'sequence' THEN has_sequence_privilege(r, o, p)
                ELSE has_table_privilege(r, o, p) END
$$;
SELECT r.role, m.object_type, m.object_name, x.priv, pg_temp.has_priv(r.role, m.object_type, m.object_name, x.priv) AS has
  FROM isms.access_map m
  CROSS JOIN (VALUES ('isms_t_reader', 'reader'), ('isms_t_editor', 'editor'),
                     ('isms_t_admin', 'admin'), ('isms_t_none', NULL)) r(role, level)
  CROSS JOIN LATERAL (SELECT unnest(CASE m.object_type WHEN 'function' THEN '{EXECUTE}'::text[]
                                      WHEN 'sequence' THEN '{USAGE,SELECT,UPDATE}'
                                      ELSE '{SELECT,INSERT,UPDATE,DELETE,TRUNCATE,REFERENCES,TRIGGER}' END)) x(priv)
 WHERE pg_temp.has_priv(r.role, m.object_type, m.object_name, x.priv)
       IS DISTINCT FROM (coalesce(x.priv = ANY (string_to_array(
              CASE r.level WHEN 'reader' THEN m.reader WHEN 'editor' THEN m.editor WHEN 'admin' THEN m.admin END, ', ')), false)
          -- PUBLIC keeps EXECUTE on read functions; without schema USAGE it is unusable.
          OR (m.object_type = 'function' AND m.class = 'read'))
 ORDER BY 1, 2, 3, 4;
SELECT has_schema_privilege('isms_t_none', 'isms', 'USAGE') AS none_usage,
       has_schema_privilege('isms_t_reader', 'isms', 'USAGE') AS reader_usage,
       has_schema_privilege('isms_t_admin', 'isms', 'CREATE') AS admin_create;

-- The classes of the objects the model names.
SELECT object_type, object_name, class, reader, editor, admin FROM isms.access_map
 WHERE object_name IN ('isms.soa_entry', 'isms.scope', 'isms.scope_member', 'isms.change_log', 'isms.reminder',
                       'isms.statement_of_applicability', 'isms.risk_matrix', 'isms.framework',
                       'isms.soa_init(text, text)', 'isms.rrule_next(text, timestamp with time zone, timestamp with time zone)',
                       'isms.risk_matrix_copy(text, text, text)', 'isms.log_change()',
                       'isms.grant_reader(regrole)', 'isms.catalogue_position_seq')
 ORDER BY 1, 2;

-- Behaviour.  Reader: reads, writes nothing.
SET ROLE isms_t_reader;
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$SELECT count(*) FROM isms.statement_of_applicability$$),
  ($$SELECT count(*) FROM isms.change_log$$),
  ($$SELECT isms.rrule_next('FREQ=YEARLY', '2026-01-01', '2026-06-01')$$),
  ($$INSERT INTO isms.soa_entry (scope, framework, control_ref) VALUES ('default', 'iso27001-2022', '5.1')$$),
  ($$SELECT isms.soa_init('default', 'iso27001-2022')$$),
  ($$INSERT INTO isms.scope (id, name) VALUES ('r', 'r')$$),
  ($$SELECT isms.grant_reader('isms_t_none')$$)) t(s);
RESET ROLE;

-- Editor: writes user data (the change log is written for it), never the
-- log, reminders or configuration.
SET ROLE isms_t_editor;
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$SELECT isms.soa_init('default', 'iso27001-2022') > 0$$),
  ($$UPDATE isms.soa_entry SET applicable = true, justification = 'needed' WHERE scope = 'default' AND control_ref = '5.1'$$),
  ($$INSERT INTO isms.change_log (actor, table_name, op, new_row) VALUES ('me', 'x', 'INSERT', '{}')$$),
  ($$DELETE FROM isms.change_log$$),
  ($$INSERT INTO isms.reminder (kind, subject, subject_key, scope, summary, due) VALUES ('x', 'isms.scope', 'x', 'default', 'x', '2026-01-01')$$),
  ($$SELECT isms.attach_reminders('isms.scope', 'isms.risk_reminder')$$),
  ($$INSERT INTO isms.scope (id, name) VALUES ('e', 'e')$$),
  ($$INSERT INTO isms.scope_member (scope, role_name) VALUES ('default', 'isms_t_editor')$$),
  ($$SELECT isms.risk_matrix_copy('default', 'mine', 'Mine')$$),
  ($$TRUNCATE isms.soa_entry$$),
  ($$SELECT isms.enable_scope_security()$$)) t(s);
RESET ROLE;
SELECT actor, op, count(*) FROM isms.change_log GROUP BY 1, 2 ORDER BY 1, 2;

-- Admin: configuration too, but still not the log, reminders or grants.
SET ROLE isms_t_admin;
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$INSERT INTO isms.scope (id, name) VALUES ('plant', 'Plant')$$),
  ($$INSERT INTO isms.scope_member (scope, role_name) VALUES ('plant', 'isms_t_editor')$$),
  ($$SELECT isms.risk_matrix_copy('default', 'plant-matrix', 'Plant')$$),
  ($$INSERT INTO isms.framework (id, name) VALUES ('acme', 'ACME controls')$$),
  ($$UPDATE isms.change_log SET actor = 'nobody'$$),
  ($$DELETE FROM isms.reminder$$),
  ($$SELECT isms.grant_admin('isms_t_none')$$),
  ($$SELECT isms.reapply_security()$$),
  ($$SELECT isms.disable_scope_security()$$),
  ($$CREATE TABLE isms.sneaky (x int)$$)) t(s);
RESET ROLE;

-- No access: not even the schema.
SET ROLE isms_t_none;
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$SELECT count(*) FROM isms.soa_entry$$),
  ($$SELECT isms.version()$$)) t(s);
RESET ROLE;

-- Bad arguments.
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$SELECT isms.grant_reader(NULL)$$),
  ($$SELECT isms.grant_editor('isms_t_nobody')$$),
  ($$SELECT isms.grant_admin('pg_monitor')$$),
  ($$SELECT isms.grant_reader(0::oid::regrole)$$)) t(s);

-- One restore test, isms.restore_in_progress(): a COPY with
-- check_function_bodies off (what pg_restore sets) keeps rows as dumped and
-- schedules nothing when the session user is a superuser; an editor's
-- COPY with the same setting is an ordinary write, triggers and all.
SET check_function_bodies = off;
COPY isms.audit (scope, kind, title, due_by) FROM stdin;
default	internal	Restored audit	2026-09-01
\.
SET SESSION AUTHORIZATION isms_t_editor;
SET check_function_bodies = off;
COPY isms.audit (scope, kind, title, due_by) FROM stdin;
default	internal	Editor's copied audit	2026-09-02
\.
RESET SESSION AUTHORIZATION;
RESET check_function_bodies;
SELECT a.title, count(r.*) AS reminders
  FROM isms.audit a LEFT JOIN isms.reminder r ON r.subject = 'isms.audit'::regclass AND r.subject_key = a.id::text
 WHERE a.title IN ('Restored audit', 'Editor''s copied audit') GROUP BY 1 ORDER BY 1;
DELETE FROM isms.audit WHERE title IN ('Restored audit', 'Editor''s copied audit');

-- Revokes step down one level at a time; revoke_reader takes everything.
SELECT isms.revoke_admin('isms_t_admin') AS admin_now, isms.revoke_editor('isms_t_editor') AS editor_now,
       isms.revoke_editor('isms_t_none') AS none_stays_none;
SELECT has_table_privilege('isms_t_admin', 'isms.scope', 'INSERT') AS admin_insert_scope,
       has_table_privilege('isms_t_admin', 'isms.soa_entry', 'INSERT') AS admin_insert_soa,
       has_table_privilege('isms_t_editor', 'isms.soa_entry', 'INSERT') AS editor_insert_soa,
       has_table_privilege('isms_t_editor', 'isms.soa_entry', 'SELECT') AS editor_select_soa;
SELECT isms.revoke_reader('isms_t_reader'), isms.revoke_reader('isms_t_editor'), isms.revoke_reader('isms_t_admin');
SELECT role_name, level FROM isms.role_access ORDER BY 1;
-- Nothing left on any object: DROP ROLE succeeds without DROP OWNED.
SELECT count(*) AS privileges_left
  FROM pg_class c, aclexplode(c.relacl) p
 WHERE c.relnamespace = 'isms'::regnamespace
   AND p.grantee IN ('isms_t_reader'::regrole, 'isms_t_editor'::regrole, 'isms_t_admin'::regrole);
DELETE FROM isms.scope_member;
DROP ROLE isms_t_reader;
DROP ROLE isms_t_editor;
DROP ROLE isms_t_admin;
DROP ROLE isms_t_none;

-- After a role is dropped and a new one takes its name, reapply_security
-- skips names that no longer exist; it is idempotent.
INSERT INTO isms.role_access (role_name, level) VALUES ('isms_t_gone', 'reader');
SELECT isms.reapply_security();
SELECT isms.reapply_security();
DELETE FROM isms.role_access;

-- Views run with the caller's rights (PostgreSQL 15+), so row-level
-- security applies through them.  Lists views that do not: no rows.
SELECT c.oid::regclass FROM pg_class c
 WHERE c.relnamespace = 'isms'::regnamespace AND c.relkind = 'v'
   AND current_setting('server_version_num')::int >= 150000
   AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false);
