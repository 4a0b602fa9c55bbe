-- 60_privacy_catalogue: the seeded ISO/IEC 27701:2019 Annexes A and B, the
-- role attribute, the per-scope privacy role, and the SoA over the new
-- framework through the unchanged soa_init and SoA views.
\i test/regress/setup.sql

-- 31 controller controls in Annex A, 18 processor controls in Annex B, in
-- four control objectives each (8/10/9/4 and 6/1/3/8).
SELECT theme, attributes, count(*), min(position), max(position)
  FROM isms.control WHERE framework = 'iso27701-2019' GROUP BY theme, attributes ORDER BY min(position);
SELECT g.id, g.title, g.parent_id, count(c.ref) AS controls
  FROM isms.control_group g LEFT JOIN isms.control c ON c.framework = g.framework AND c.group_id = g.id
 WHERE g.framework = 'iso27701-2019' GROUP BY g.id, g.title, g.parent_id, g.position ORDER BY g.position;
SELECT id, name, version, publisher, builtin, created_at FROM isms.framework WHERE id = 'iso27701-2019';

-- The seed is exactly the committed CSV: ids, titles, annex and role.
CREATE TEMP TABLE csv27701 (control_id text, title text, annex text, role text, maps_to_27001_2013 text);
\copy csv27701 FROM 'data/iso27701-2019-controls.csv' WITH (FORMAT csv, HEADER true)
SELECT count(*) AS csv_rows,
       count(*) FILTER (WHERE c.ref IS NULL) AS missing_in_seed,
       count(*) FILTER (WHERE c.title IS DISTINCT FROM v.title) AS title_differs,
       count(*) FILTER (WHERE c.attributes IS DISTINCT FROM jsonb_build_object('annex', v.annex, 'role', v.role)) AS attributes_differ,
       (SELECT count(*) FROM isms.control x WHERE x.framework = 'iso27701-2019'
           AND NOT EXISTS (SELECT 1 FROM csv27701 w WHERE w.control_id = x.ref)) AS not_in_csv
  FROM csv27701 v LEFT JOIN isms.control c ON c.framework = 'iso27701-2019' AND c.ref = v.control_id;
SELECT ref, title FROM isms.control
 WHERE framework = 'iso27701-2019' AND ref IN ('A.7.2.1', 'A.7.3.6', 'A.7.5.4', 'B.8.2.1', 'B.8.4.2', 'B.8.5.8')
 ORDER BY position;

-- The role attribute is GIN-indexed like every attribute.
SELECT string_agg(ref, ' ' ORDER BY position) FROM isms.control
 WHERE attributes @> '{"role": "processor"}' AND group_id = 'B.8.2';

-- Seeded privacy controls are read-only like the rest of the seed (55000).
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$UPDATE isms.control SET title = 'x' WHERE framework = 'iso27701-2019' AND ref = 'A.7.2.1'$$),
  ($$UPDATE isms.control SET attributes = '{"role": "processor"}' WHERE framework = 'iso27701-2019' AND ref = 'A.7.2.1'$$),
  ($$DELETE FROM isms.control_group WHERE framework = 'iso27701-2019' AND id = 'B.8.3'$$),
  ($$DELETE FROM isms.framework WHERE id = 'iso27701-2019'$$)) AS t(s);
SELECT count(*) AS controls, count(*) FILTER (WHERE title = 'x') AS edited
  FROM isms.control WHERE framework = 'iso27701-2019';

-- Which control a role is offered: only controller/processor restrict, in a
-- string or an array; NULL (no role declared) and both see everything.
SELECT r AS scope_role, a AS control_attributes, isms.control_privacy_roles(a) AS control_roles,
       isms.privacy_role_covers(r, a) AS offered
  FROM unnest(ARRAY[NULL, 'controller', 'processor', 'both']::isms.privacy_role[]) AS r,
       unnest(ARRAY['{"role": "controller"}', '{"role": ["controller", "processor"]}', '{"role": "CISO"}',
                    '{"role": ["processor", "auditor"]}', '{}', '{"role": 7}']::jsonb[]) AS a
 ORDER BY r NULLS FIRST, a::text;
SELECT isms.privacy_role_covers('controller', NULL) AS null_attributes, isms.control_privacy_roles(NULL) AS strict;

-- A scope says whether it acts as controller, processor or both.
INSERT INTO isms.scope (id, name) VALUES
  ('shop', 'Web shop (controller)'), ('cloud', 'Hosting (processor)'),
  ('group', 'Group services (both)'), ('lab', 'Research lab (role not declared)');
INSERT INTO isms.privacy_scope (scope, role, contact) VALUES
  ('shop', 'controller', 'dpo@shop.example'), ('cloud', 'processor', NULL), ('group', 'both', 'privacy@group.example');

-- Bad privacy roles, with their SQLSTATE; nothing is written.
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$INSERT INTO isms.privacy_scope (scope, role) VALUES ('lab', 'joint_controller')$$),
  ($$INSERT INTO isms.privacy_scope (scope, role) VALUES ('lab', NULL)$$),
  ($$INSERT INTO isms.privacy_scope (scope, role) VALUES ('nowhere', 'controller')$$),
  ($$INSERT INTO isms.privacy_scope (scope, role) VALUES ('shop', 'processor')$$),
  ($$INSERT INTO isms.privacy_scope (scope, role, contact) VALUES ('lab', 'controller', '  ')$$),
  ($$UPDATE isms.privacy_scope SET role = 'nobody' WHERE scope = 'shop'$$),
  ($$DELETE FROM isms.scope WHERE id = 'shop'$$)) AS t(s);
SELECT scope, role, contact FROM isms.privacy_scope ORDER BY scope;

-- soa_init, unchanged, offers the annex of the scope's role: 31 controller
-- controls, 18 processor controls, 49 for both and for a scope that did not
-- declare a role.  A second run adds nothing.
SELECT s AS scope, isms.soa_init(s, 'iso27701-2019') AS first_run, isms.soa_init(s, 'iso27701-2019') AS second_run
  FROM unnest(ARRAY['shop', 'cloud', 'group', 'lab']) AS s;
-- Other frameworks are offered in full to every scope.
SELECT isms.soa_init('shop', 'iso27001-2022') AS annex_a_2022;

-- Every SoA view works for the new framework.
SELECT scope, theme, controls, undecided, applicable
  FROM isms.compliance_summary WHERE framework = 'iso27701-2019' ORDER BY scope, theme;
SELECT scope, family, value, controls FROM isms.compliance_by_attribute
 WHERE framework = 'iso27701-2019' ORDER BY scope, family, value;
SELECT control_ref, title, theme, attributes ->> 'role' AS role, applicable, status
  FROM isms.statement_of_applicability WHERE scope = 'cloud' ORDER BY framework, position LIMIT 5;

-- Decide some, in both directions; Annex A may still be listed as excluded
-- in a processor scope, as an explicit decision.
UPDATE isms.soa_entry SET applicable = true, justification = 'We process customer data for our customers',
       status = 'implemented', owner = 'Head of hosting'
 WHERE scope = 'cloud' AND control_ref IN ('B.8.2.1', 'B.8.2.2', 'B.8.2.6');
UPDATE isms.soa_entry SET applicable = true, justification = 'Customer contracts', status = 'partial'
 WHERE scope = 'cloud' AND control_ref = 'B.8.5.6';
UPDATE isms.soa_entry SET applicable = false, justification = 'No marketing use of customer data'
 WHERE scope = 'cloud' AND control_ref = 'B.8.2.3';
INSERT INTO isms.soa_entry (scope, framework, control_ref, applicable, justification)
VALUES ('cloud', 'iso27701-2019', 'A.7.2.1', false, 'We act as PII processor only');
SELECT theme, controls, undecided, applicable, not_applicable, implemented, partial, percent_implemented
  FROM isms.compliance_summary WHERE scope = 'cloud' AND framework = 'iso27701-2019' ORDER BY theme;
SELECT control_ref, applicable, status FROM isms.soa_as_of('cloud', now())
 WHERE applicable IS NOT NULL ORDER BY position;

-- An undecided entry (an offer) of the other role's control is not created:
-- the insert skips it, as it does for soa_init.  Making a decided one
-- undecided again is refused (23514) and changes nothing.
INSERT INTO isms.soa_entry (scope, framework, control_ref) VALUES ('shop', 'iso27701-2019', 'B.8.2.1');
SELECT count(*) AS shop_annex_b FROM isms.soa_entry WHERE scope = 'shop' AND control_ref LIKE 'B.%';
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$UPDATE isms.soa_entry SET applicable = NULL, justification = NULL WHERE scope = 'cloud' AND control_ref = 'A.7.2.1'$$),
  ($$UPDATE isms.soa_entry SET applicable = NULL, justification = NULL, scope = 'shop' WHERE scope = 'cloud' AND control_ref = 'B.8.2.3'$$),
  ($$UPDATE isms.soa_entry SET control_ref = 'B.8.2.4' WHERE scope = 'shop' AND control_ref = 'A.7.2.1'$$)) AS t(s);
SELECT scope, control_ref, applicable, justification FROM isms.soa_entry
 WHERE (scope = 'cloud' AND control_ref IN ('A.7.2.1', 'B.8.2.3')) OR (scope = 'shop' AND control_ref IN ('A.7.2.1', 'B.8.2.4'))
 ORDER BY 1, 2;
-- Undecided entries of the matching role are edited freely.
UPDATE isms.soa_entry SET owner = 'DPO' WHERE scope = 'shop' AND framework = 'iso27701-2019' AND applicable IS NULL;
SELECT count(*) AS shop_owned_by_dpo FROM isms.soa_entry WHERE scope = 'shop' AND owner = 'DPO';

-- Narrowing a role removes the undecided offers of the dropped role (the
-- decided ones stay, the change log keeps the removed ones); widening it
-- offers the newly covered controls in the frameworks the SoA already uses.
SELECT max(id) AS log_mark FROM isms.change_log \gset
UPDATE isms.privacy_scope SET role = 'controller' WHERE scope = 'group';
SELECT control_ref LIKE 'A.%' AS annex_a, applicable IS NULL AS undecided, count(*)
  FROM isms.soa_entry WHERE scope = 'group' AND framework = 'iso27701-2019' GROUP BY 1, 2 ORDER BY 1, 2;
SELECT op, count(*) FROM isms.change_log
 WHERE id > :log_mark AND table_name = 'isms.soa_entry' GROUP BY op;
SELECT op, old_row ->> 'role' AS old_role, new_row ->> 'role' AS new_role FROM isms.change_log
 WHERE id > :log_mark AND table_name = 'isms.privacy_scope';
UPDATE isms.privacy_scope SET role = 'both' WHERE scope = 'cloud';
SELECT control_ref LIKE 'A.%' AS annex_a, applicable IS NULL AS undecided, count(*)
  FROM isms.soa_entry WHERE scope = 'cloud' AND framework = 'iso27701-2019' GROUP BY 1, 2 ORDER BY 1, 2;
-- A decided Annex B entry in a controller scope stays decided and counted.
UPDATE isms.soa_entry SET applicable = false, justification = 'Not a processor'
 WHERE scope = 'cloud' AND control_ref = 'B.8.4.1';
UPDATE isms.privacy_scope SET role = 'controller' WHERE scope = 'cloud';
SELECT control_ref LIKE 'A.%' AS annex_a, applicable, count(*)
  FROM isms.soa_entry WHERE scope = 'cloud' AND framework = 'iso27701-2019' GROUP BY 1, 2 ORDER BY 1, 2;
-- A scope that gets a role after its SoA was made loses the other annex's offers.
INSERT INTO isms.privacy_scope (scope, role) VALUES ('lab', 'processor');
SELECT count(*) FILTER (WHERE control_ref LIKE 'A.%') AS annex_a, count(*) FILTER (WHERE control_ref LIKE 'B.%') AS annex_b
  FROM isms.soa_entry WHERE scope = 'lab';
-- Removing the role removes no entry; soa_init then offers everything again.
DELETE FROM isms.privacy_scope WHERE scope = 'lab';
SELECT isms.soa_init('lab', 'iso27701-2019') AS offered_again;

-- Any framework can use the role attribute: a later edition (here a mock
-- with one control per role and one for both) needs catalogue rows only.
UPDATE isms.privacy_scope SET role = 'processor' WHERE scope = 'cloud';
UPDATE isms.privacy_scope SET role = 'both' WHERE scope = 'group';
SELECT scope, role FROM isms.privacy_scope ORDER BY scope;
INSERT INTO isms.framework (id, name, version) VALUES ('mock-27701-2025', 'Mock of a later edition', '2025');
INSERT INTO isms.control (framework, ref, title, theme, attributes) VALUES
  ('mock-27701-2025', 'A.1.2.2', 'Controller control', 'A.1', '{"annex": "A.1", "role": "controller"}'),
  ('mock-27701-2025', 'A.2.2.2', 'Processor control', 'A.2', '{"annex": "A.2", "role": "processor"}'),
  ('mock-27701-2025', 'A.3.3', 'Control for both roles', 'A.3', '{"annex": "A.3", "role": ["controller", "processor"]}'),
  ('mock-27701-2025', 'X.1', 'Control with another kind of role', 'X', '{"role": "CISO"}');
SELECT s AS scope, isms.soa_init(s, 'mock-27701-2025') AS offered
  FROM unnest(ARRAY['shop', 'cloud', 'group']) AS s;
SELECT e.scope, p.role, string_agg(e.control_ref, ' ' ORDER BY e.control_ref) AS refs
  FROM isms.soa_entry e JOIN isms.privacy_scope p ON p.scope = e.scope
 WHERE e.framework = 'mock-27701-2025' GROUP BY e.scope, p.role ORDER BY e.scope;
-- isms.privacy_summary lists the SoA per framework and annex.
SELECT scope, privacy_role, jsonb_pretty(soa_by_annex) FROM isms.privacy_summary WHERE scope = 'cloud';
SELECT scope, privacy_role, activities, jsonb_array_length(soa_by_annex) AS annexes
  FROM isms.privacy_summary ORDER BY scope;

-- A restore (a superuser's COPY with check_function_bodies off, as
-- pg_restore does) loads the SoA exactly as dumped, whatever order the
-- tables arrive in: no offer is skipped, the role change syncs nothing.
INSERT INTO isms.scope (id, name) VALUES ('restored', 'Restored scope');
SET check_function_bodies = off;
COPY isms.soa_entry (scope, framework, control_ref) FROM stdin;
restored	iso27701-2019	B.8.2.1
\.
COPY isms.privacy_scope (scope, role) FROM stdin;
restored	controller
\.
COPY isms.soa_entry (scope, framework, control_ref) FROM stdin;
restored	iso27701-2019	B.8.2.2
\.
RESET check_function_bodies;
SELECT control_ref, applicable FROM isms.soa_entry WHERE scope = 'restored' ORDER BY control_ref;
-- Outside a restore the same offer is skipped, and touching the role
-- removes the offers it does not cover.
INSERT INTO isms.soa_entry (scope, framework, control_ref) VALUES ('restored', 'iso27701-2019', 'B.8.2.3');
UPDATE isms.privacy_scope SET role = 'controller' WHERE scope = 'restored';
SELECT count(*) AS restored_entries FROM isms.soa_entry WHERE scope = 'restored';
