-- 641_privacy_2025: the seeded ISO/IEC 27701:2025 Annex A (framework
-- iso27701-2025) beside 2019: exactly the committed extract of probo's list
-- (data/iso27701-2025-controls.csv), no 2019 -> 2025 correspondence, and
-- the SoA of the 2019 edition working unchanged for it (role offers,
-- decisions, views).
\i test/regress/setup.sql

-- Table A.1: 31 controller controls in four objectives, A.2: 18 processor
-- controls in four, A.3: 29 controls for both, directly in the table.
SELECT theme, attributes, count(*), min(position), max(position)
  FROM isms.control WHERE framework = 'iso27701-2025' GROUP BY theme, attributes ORDER BY min(position);
SELECT g.id, g.title, g.parent_id, count(c.ref) AS controls
  FROM isms.control_group g LEFT JOIN isms.control c ON c.framework = g.framework AND c.group_id = g.id
 WHERE g.framework = 'iso27701-2025' GROUP BY g.id, g.title, g.parent_id, g.position ORDER BY g.position;
SELECT id, name, version, publisher, oscal_uuid, last_modified, builtin, created_at
  FROM isms.framework WHERE id LIKE 'iso27701-%' ORDER BY id;

-- The seed is exactly the CSV's Annex A rows: ids, titles, objective
-- headings, table; the 30 clause rows (4-10) are not seeded.
CREATE TEMP TABLE csv2025 (control_id text, part text, heading text, title text);
\copy csv2025 FROM 'data/iso27701-2025-controls.csv' WITH (FORMAT csv, HEADER true)
SELECT count(*) FILTER (WHERE v.part <> 'clause') AS csv_annex_a,
       count(*) FILTER (WHERE v.part = 'clause') AS csv_clauses,
       count(*) FILTER (WHERE v.part <> 'clause' AND c.ref IS NULL) AS missing_in_seed,
       count(*) FILTER (WHERE v.part = 'clause' AND c.ref IS NOT NULL) AS clauses_seeded,
       count(*) FILTER (WHERE c.title IS DISTINCT FROM v.title AND c.ref IS NOT NULL) AS title_differs,
       count(*) FILTER (WHERE c.attributes ->> 'table' IS DISTINCT FROM v.part AND c.ref IS NOT NULL) AS table_differs,
       count(*) FILTER (WHERE c.ref IS NOT NULL AND c.group_id <> v.part
                          AND g.title IS DISTINCT FROM v.heading) AS heading_differs,
       (SELECT count(*) FROM isms.control x WHERE x.framework = 'iso27701-2025'
           AND NOT EXISTS (SELECT 1 FROM csv2025 w WHERE w.control_id = x.ref)) AS not_in_csv
  FROM csv2025 v
  LEFT JOIN isms.control c ON c.framework = 'iso27701-2025' AND c.ref = v.control_id
  LEFT JOIN isms.control_group g ON g.framework = c.framework AND g.id = c.group_id;
SELECT ref, title, group_id FROM isms.control
 WHERE framework = 'iso27701-2025' AND ref IN ('A.1.2.2', 'A.1.3.11', 'A.1.5.5', 'A.2.2.2', 'A.2.3.2', 'A.2.5.9', 'A.3.3', 'A.3.31')
 ORDER BY position;

-- No 2019 -> 2025 correspondence is shipped (none is published here): no
-- relation touches the 2025 edition, and the 2019 edition keeps none either.
SELECT count(*) AS relations_27701 FROM isms.control_relation
 WHERE source_framework LIKE 'iso27701-%' OR target_framework LIKE 'iso27701-%';

-- Seeded, so read-only (55000), nothing changed.
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$UPDATE isms.control SET title = 'x' WHERE framework = 'iso27701-2025' AND ref = 'A.3.3'$$),
  ($$UPDATE isms.control SET attributes = '{"role": "processor"}' WHERE framework = 'iso27701-2025' AND ref = 'A.1.2.2'$$),
  ($$DELETE FROM isms.control_group WHERE framework = 'iso27701-2025' AND id = 'A.2.5'$$),
  ($$DELETE FROM isms.framework WHERE id = 'iso27701-2025'$$)) AS t(s);
SELECT count(*) AS controls, count(*) FILTER (WHERE title = 'x') AS edited,
       count(*) FILTER (WHERE attributes @> '{"role": "processor"}') AS processor_controls
  FROM isms.control WHERE framework = 'iso27701-2025';

-- The SoA: soa_init offers a controller A.1 and A.3 (60), a processor A.2
-- and A.3 (47), both and an undeclared role all 78; a second run adds nothing.
INSERT INTO isms.scope (id, name) VALUES
  ('shop', 'Web shop (controller)'), ('cloud', 'Hosting (processor)'),
  ('group', 'Group services (both)'), ('lab', 'Research lab (role not declared)');
INSERT INTO isms.privacy_scope (scope, role) VALUES ('shop', 'controller'), ('cloud', 'processor'), ('group', 'both');
SELECT s AS scope, isms.soa_init(s, 'iso27701-2025') AS first_run, isms.soa_init(s, 'iso27701-2025') AS second_run
  FROM unnest(ARRAY['shop', 'cloud', 'group', 'lab']) AS s;
SELECT e.scope, c.attributes ->> 'table' AS "table", count(*)
  FROM isms.soa_entry e JOIN isms.control c ON c.framework = e.framework AND c.ref = e.control_ref
 WHERE e.framework = 'iso27701-2025' GROUP BY 1, 2 ORDER BY 1, 2;

-- SoA entries for 2025 controls: decided in both directions, an A.3
-- control implemented in the processor scope, an A.1 control listed as
-- excluded there (a decision is always allowed).
UPDATE isms.soa_entry SET applicable = true, justification = 'Hosting platform policy set', status = 'implemented',
       owner = 'Head of hosting', evidence = '{POL-7}'
 WHERE scope = 'cloud' AND framework = 'iso27701-2025' AND control_ref IN ('A.3.3', 'A.3.24', 'A.2.2.2');
UPDATE isms.soa_entry SET applicable = true, justification = 'Subcontractor list in contracts', status = 'partial'
 WHERE scope = 'cloud' AND framework = 'iso27701-2025' AND control_ref = 'A.2.5.7';
UPDATE isms.soa_entry SET applicable = false, justification = 'No marketing use of customer data'
 WHERE scope = 'cloud' AND framework = 'iso27701-2025' AND control_ref = 'A.2.2.4';
INSERT INTO isms.soa_entry (scope, framework, control_ref, applicable, justification)
VALUES ('cloud', 'iso27701-2025', 'A.1.2.2', false, 'We act as PII processor only');
SELECT control_ref, title, theme, attributes ->> 'role' AS role, applicable, status, owner, evidence
  FROM isms.statement_of_applicability
 WHERE scope = 'cloud' AND framework = 'iso27701-2025' AND applicable IS NOT NULL ORDER BY position;
SELECT theme, controls, undecided, applicable, not_applicable, implemented, partial, percent_implemented
  FROM isms.compliance_summary WHERE scope = 'cloud' AND framework = 'iso27701-2025' ORDER BY theme;
SELECT family, value, controls, applicable, implemented FROM isms.compliance_by_attribute
 WHERE scope = 'cloud' AND framework = 'iso27701-2025' ORDER BY family, value;
SELECT scope, privacy_role, jsonb_pretty(soa_by_annex) FROM isms.privacy_summary WHERE scope = 'cloud';

-- The role rules of the 2019 edition hold for 2025: an undecided offer of
-- an A.1 control to the processor is skipped, making a decided one
-- undecided is refused (23514), nothing changes.
INSERT INTO isms.soa_entry (scope, framework, control_ref) VALUES ('cloud', 'iso27701-2025', 'A.1.2.3');
SELECT count(*) AS cloud_table_a1 FROM isms.soa_entry WHERE scope = 'cloud' AND control_ref LIKE 'A.1.%';
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$UPDATE isms.soa_entry SET applicable = NULL, justification = NULL WHERE scope = 'cloud' AND framework = 'iso27701-2025' AND control_ref = 'A.1.2.2'$$),
  ($$UPDATE isms.soa_entry SET control_ref = 'A.2.2.3' WHERE scope = 'shop' AND framework = 'iso27701-2025' AND control_ref = 'A.1.2.2'$$)) AS t(s);
SELECT scope, control_ref, applicable FROM isms.soa_entry
 WHERE framework = 'iso27701-2025' AND control_ref IN ('A.1.2.2', 'A.2.2.3') ORDER BY 1, 2;
-- Narrowing the group's role to processor drops the undecided A.1 offers
-- and keeps A.2 and A.3.
UPDATE isms.privacy_scope SET role = 'processor' WHERE scope = 'group';
SELECT c.attributes ->> 'table' AS "table", count(*)
  FROM isms.soa_entry e JOIN isms.control c ON c.framework = e.framework AND c.ref = e.control_ref
 WHERE e.scope = 'group' AND e.framework = 'iso27701-2025' GROUP BY 1 ORDER BY 1;
