\i test/regress/setup.sql
-- 91_scope_security: row-level security per scope with three roles and two
-- scopes.  alice belongs to "north", bob to "south" through a group role,
-- carol to none; all three are editors.  Rows of the other scope are
-- invisible, cannot be written, cannot be moved into, and do not show
-- through views, the change log or reminders.  Then the switch off.
SET client_min_messages = warning;
DROP ROLE IF EXISTS isms_t_alice;
DROP ROLE IF EXISTS isms_t_bob;
DROP ROLE IF EXISTS isms_t_carol;
DROP ROLE IF EXISTS isms_t_south_team;
RESET client_min_messages;
CREATE ROLE isms_t_alice;
CREATE ROLE isms_t_bob;
CREATE ROLE isms_t_carol;
CREATE ROLE isms_t_south_team;
GRANT isms_t_south_team TO isms_t_bob;
SELECT isms.grant_editor('isms_t_alice'), isms.grant_editor('isms_t_bob'), isms.grant_editor('isms_t_carol');

INSERT INTO isms.scope (id, name) VALUES ('north', 'North site'), ('south', 'South site');
INSERT INTO isms.scope_member (scope, role_name) VALUES ('north', 'isms_t_alice'), ('south', 'isms_t_south_team');
SELECT isms.soa_init('north', 'iso27001-2022') > 0 AS north, isms.soa_init('south', 'iso27001-2022') > 0 AS south;
UPDATE isms.soa_entry SET applicable = true, justification = 'risk assessment', owner = scope || ' lead'
 WHERE control_ref IN ('5.1', '5.2');

-- Before: every role sees both scopes (policies are off).
SET ROLE isms_t_carol;
SELECT scope, count(*) FROM isms.soa_entry GROUP BY 1 ORDER BY 1;
RESET ROLE;

SELECT isms.enable_scope_security() > 0 AS enabled;
SELECT enabled, changed_by = current_user AS by_me FROM isms.scope_security_state;
SELECT table_name, how, enabled, row_security FROM isms.scope_security
 WHERE table_name IN ('isms.soa_entry', 'isms.reminder', 'isms.change_log') ORDER BY 1;
-- Every table isms.scope_security lists is protected: no rows.
SELECT table_name FROM isms.scope_security WHERE NOT (enabled AND row_security);
-- Running it again is harmless.
SELECT isms.enable_scope_security() = (SELECT count(*) FROM isms.scope_security) AS again;

-- The same rule covers every other capability: own scope column, or a
-- foreign key to a table that has one.
SELECT table_name, how FROM isms.scope_security
 WHERE table_name IN ('isms.risk', 'isms.asset', 'isms.treatment', 'isms.risk_control', 'isms.acceptance',
                      'isms.certification', 'isms.audit', 'isms.processing_activity', 'isms.privacy_scope')
 ORDER BY 1;
INSERT INTO isms.risk (scope, ref, title, owner, inherent, status)
VALUES ('north', 'R-N', 'North risk', 'alice', '3x3', 'assessed'), ('south', 'R-S', 'South risk', 'bob', '4x4', 'assessed');
SELECT isms.treat(id, 'modify', 'plan for ' || ref, owner, date '2026-09-01') > 0 AS treated FROM isms.risk ORDER BY ref;
INSERT INTO isms.certification (scope, certification_body, decided_on, cycle_start, expires_on)
VALUES ('north', 'CB North', '2026-01-15', '2026-01-15', '2029-01-14'), ('south', 'CB South', '2026-01-15', '2026-01-15', '2029-01-14');

-- alice: north only, directly and through the views.
SET ROLE isms_t_alice;
SELECT isms.my_scopes();
SELECT scope, count(*) FROM isms.soa_entry GROUP BY 1 ORDER BY 1;
SELECT scope, count(*) FROM isms.statement_of_applicability GROUP BY 1 ORDER BY 1;
SELECT DISTINCT scope FROM isms.compliance_summary ORDER BY 1;
-- Change-log entries of scoped tables: own scope, or (treatments) through their risk.
SELECT DISTINCT table_name, coalesce(new_row->>'scope', old_row->>'scope',
                 (SELECT r.scope FROM isms.risk r WHERE r.id::text = coalesce(new_row, old_row)->>'risk_id')) AS logged_scope
  FROM isms.change_log ORDER BY 1, 2;
SELECT count(*) AS south_as_of FROM isms.soa_as_of('south', now());
SELECT ref FROM isms.risk ORDER BY ref;
SELECT t.plan FROM isms.treatment t ORDER BY 1;
SELECT scope, certification_body FROM isms.certification;
SELECT DISTINCT scope FROM isms.audit;
SELECT DISTINCT scope FROM isms.reminder;
SELECT position('CB North' IN isms.ical_export()) > 0 AS own_in_calendar,
       position('CB South' IN isms.ical_export()) > 0 AS other_in_calendar;
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$UPDATE isms.soa_entry SET owner = 'alice' WHERE control_ref = '5.1'$$),
  ($$INSERT INTO isms.soa_entry (scope, framework, control_ref) VALUES ('south', 'acme', 'x')$$),
  ($$UPDATE isms.soa_entry SET scope = 'south' WHERE scope = 'north' AND control_ref = '5.3'$$),
  ($$SELECT isms.soa_init('south', 'iso27001-2022')$$)) t(s);
-- Statements that touch the other scope change nothing there (0 rows).
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$UPDATE isms.soa_entry SET owner = 'alice was here' WHERE scope = 'south'$$),
  ($$DELETE FROM isms.soa_entry WHERE scope = 'south'$$)) t(s);
RESET ROLE;

-- bob: south only, through his group role.
SET ROLE isms_t_bob;
SELECT isms.my_scopes();
SELECT scope, count(*), count(*) FILTER (WHERE owner = 'alice was here') AS touched_by_alice
  FROM isms.soa_entry GROUP BY 1 ORDER BY 1;
SELECT scope, owner FROM isms.statement_of_applicability WHERE control_ref = '5.1';
RESET ROLE;

-- carol: member of nothing, sees nothing and can add nothing.
SET ROLE isms_t_carol;
SELECT isms.my_scopes();
SELECT count(*) AS soa_rows FROM isms.soa_entry;
SELECT count(*) AS view_rows FROM isms.statement_of_applicability;
SELECT count(*) AS log_rows FROM isms.change_log WHERE table_name = 'isms.soa_entry';
SELECT pg_temp.try($$INSERT INTO isms.soa_entry (scope, framework, control_ref) VALUES ('north', 'iso27001-2022', '5.1')$$);
RESET ROLE;

-- The owner sees all; alice's one change landed in north and nothing else moved.
SELECT scope, owner, count(*) FROM isms.soa_entry WHERE control_ref IN ('5.1', '5.2', '5.3')
 GROUP BY 1, 2 ORDER BY 1, 2;
SELECT actor, count(*) FROM isms.change_log WHERE actor LIKE 'isms_t_%' GROUP BY 1 ORDER BY 1;

-- Membership changes take effect at once.
INSERT INTO isms.scope_member (scope, role_name) VALUES ('south', 'isms_t_carol');
SET ROLE isms_t_carol;
SELECT isms.my_scopes(), count(*) FROM isms.soa_entry;
RESET ROLE;
-- A member row whose role was dropped is ignored, not an error.
INSERT INTO isms.scope_member (scope, role_name) VALUES ('north', 'isms_t_no_such_role');
SET ROLE isms_t_alice;
SELECT isms.my_scopes();
RESET ROLE;

-- Off again: everyone sees both scopes.
SELECT isms.disable_scope_security() > 0 AS disabled;
SELECT enabled FROM isms.scope_security_state;
SELECT count(*) AS still_protected FROM isms.scope_security WHERE enabled OR row_security;
SET ROLE isms_t_alice;
SELECT scope, count(*) FROM isms.soa_entry GROUP BY 1 ORDER BY 1;
RESET ROLE;
SELECT isms.disable_scope_security() AS nothing_left;

-- A table hanging off a scoped table by foreign key is protected through
-- it (the rule covers tables other capabilities add).
CREATE TABLE isms.t_child (id int PRIMARY KEY, scope_ref text, framework text, control_ref text,
  FOREIGN KEY (scope_ref, framework, control_ref) REFERENCES isms.soa_entry (scope, framework, control_ref));
INSERT INTO isms.t_child VALUES (1, 'north', 'iso27001-2022', '5.1'), (2, 'south', 'iso27001-2022', '5.1'), (3, NULL, NULL, NULL);
GRANT SELECT ON isms.t_child TO isms_t_alice;
SELECT table_name, how FROM isms.scope_security WHERE table_name = 'isms.t_child';
SELECT isms.enable_scope_security() > 0;
SET ROLE isms_t_alice;
SELECT id, scope_ref FROM isms.t_child ORDER BY id;
RESET ROLE;
SELECT isms.disable_scope_security() > 0;
DROP TABLE isms.t_child;

-- Readiness and privacy: findings, corrective actions and audit coverage
-- are protected through their audit, documents and privacy tables by their
-- own scope, links through what they link.  One of each per scope; alice
-- (north) and bob (south) each see and write only their own.
SELECT table_name, how FROM isms.scope_security
 WHERE table_name IN ('isms.finding', 'isms.corrective_action', 'isms.audit_coverage', 'isms.document',
                      'isms.document_serves', 'isms.document_fulfils', 'isms.privacy_scope',
                      'isms.processing_activity', 'isms.processing_activity_control')
 ORDER BY 1;
INSERT INTO isms.audit (scope, kind, title, due_by)
VALUES ('north', 'internal', 'North internal audit', '2026-06-01'), ('south', 'internal', 'South internal audit', '2026-06-01');
INSERT INTO isms.finding (audit, ref, kind, framework, control_ref, statement, raised_on)
SELECT a.id, 'NC-' || a.scope, 'minor_nonconformity', 'iso27001-2022', '5.1', 'No policy in ' || a.scope, '2026-01-10'
  FROM isms.audit a WHERE a.title LIKE '% internal audit';
INSERT INTO isms.corrective_action (finding, action, owner, due)
SELECT f.id, 'Fix ' || f.ref, 'lead', '2026-02-01' FROM isms.finding f WHERE f.ref LIKE 'NC-%';
INSERT INTO isms.audit_coverage (audit, framework, control_ref)
SELECT a.id, 'iso27001-2022', '5.1' FROM isms.audit a WHERE a.title LIKE '% internal audit';
INSERT INTO isms.document (scope, ref, title, kind, owner)
VALUES ('north', 'POL-north', 'North policy', 'policy', 'alice'), ('south', 'POL-south', 'South policy', 'policy', 'bob');
INSERT INTO isms.document_serves (document, framework, control_ref)
SELECT d.id, 'iso27001-2022', '5.1' FROM isms.document d WHERE d.ref LIKE 'POL-%';
INSERT INTO isms.privacy_scope (scope, role) VALUES ('north', 'controller'), ('south', 'processor');
INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories,
                                      personal_data_categories, retention, owner)
VALUES ('north', 'Payroll north', 'Pay staff', 'contract', '{staff}', '{name}', '7 years', 'alice'),
       ('south', 'Payroll south', 'Pay staff', 'contract', '{staff}', '{name}', '7 years', 'bob');
INSERT INTO isms.processing_activity_control (activity, framework, control_ref)
SELECT p.id, 'iso27001-2022', '5.1' FROM isms.processing_activity p WHERE p.name LIKE 'Payroll %';
SELECT isms.enable_scope_security() > 0 AS enabled;
CREATE FUNCTION pg_temp.visible() RETURNS TABLE (t text, n bigint) LANGUAGE sql AS $$
  SELECT 'finding ' || string_agg(ref, ',' ORDER BY ref), count(*) FROM isms.finding WHERE ref LIKE 'NC-%'
  UNION ALL SELECT 'corrective_action ' || string_agg(action, ',' ORDER BY action), count(*) FROM isms.corrective_action
  UNION ALL SELECT 'audit_coverage', count(*) FROM isms.audit_coverage
  UNION ALL SELECT 'document ' || string_agg(ref, ',' ORDER BY ref), count(*) FROM isms.document WHERE ref LIKE 'POL-%'
  UNION ALL SELECT 'document_serves', count(*) FROM isms.document_serves
  UNION ALL SELECT 'privacy_scope ' || string_agg(scope || '=' || role, ',' ORDER BY scope), count(*) FROM isms.privacy_scope
  UNION ALL SELECT 'processing_activity ' || string_agg(name, ',' ORDER BY name), count(*) FROM isms.processing_activity
  UNION ALL SELECT 'processing_activity_control', count(*) FROM isms.processing_activity_control
  UNION ALL SELECT 'open_findings (view)', count(*) FROM isms.open_findings WHERE ref LIKE 'NC-%'
$$;
SELECT id AS south_finding, audit AS south_audit FROM isms.finding WHERE ref = 'NC-south' \gset
SET ROLE isms_t_alice;
SELECT * FROM pg_temp.visible();
SELECT s, pg_temp.try(s) FROM (VALUES
  (format($$INSERT INTO isms.corrective_action (finding, action, owner, due) VALUES (%s, 'sneak', 'alice', '2026-02-01')$$, :south_finding)),
  (format($$INSERT INTO isms.audit_coverage (audit, framework, control_ref) VALUES (%s, 'iso27001-2022', '5.2')$$, :south_audit)),
  ($$UPDATE isms.finding SET statement = 'moved' WHERE ref = 'NC-south'$$),
  ($$UPDATE isms.document SET scope = 'south' WHERE ref = 'POL-north'$$),
  ($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner) VALUES ('south', 'Sneak', 'x', 'contract', '{staff}', '{name}', '1 year', 'alice')$$),
  ($$DELETE FROM isms.privacy_scope WHERE scope = 'south'$$)) t(s);
RESET ROLE;
SET ROLE isms_t_bob;
SELECT * FROM pg_temp.visible();
RESET ROLE;
-- Nothing of south was touched by alice.
SELECT (SELECT statement FROM isms.finding WHERE ref = 'NC-south') AS south_statement,
       (SELECT scope FROM isms.document WHERE ref = 'POL-north') AS north_policy_scope,
       (SELECT count(*) FROM isms.processing_activity WHERE name = 'Sneak') AS sneaked,
       (SELECT count(*) FROM isms.privacy_scope) AS privacy_scopes,
       (SELECT count(*) FROM isms.corrective_action WHERE action = 'sneak') AS sneaked_actions,
       (SELECT count(*) FROM isms.audit_coverage) AS coverage_rows;
SELECT isms.disable_scope_security() > 0 AS disabled;

-- What a restore does: pg_dump carries no policies of extension tables, so
-- the restored state row switches scope security back on.
DELETE FROM isms.scope_security_state;
INSERT INTO isms.scope_security_state (enabled) VALUES (true);
SELECT count(*) > 0 AS protected_again, bool_and(enabled AND row_security) AS all_on FROM isms.scope_security;
SELECT isms.disable_scope_security() > 0;

SELECT isms.revoke_reader('isms_t_alice'), isms.revoke_reader('isms_t_bob'), isms.revoke_reader('isms_t_carol');
DROP ROLE isms_t_alice;
DROP ROLE isms_t_bob;
DROP ROLE isms_t_carol;
DROP ROLE isms_t_south_team;
