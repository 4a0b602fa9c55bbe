-- 280_control_coverage: coverage of one framework through the SoA of a scope
-- and chains of relations.  Four fictitious test frameworks t-a (assessed in
-- the SoA), t-b, t-c, t-d; every relationship kind, both directions, a
-- cycle, the depth bound; then the seeded CSF 2.0 through an Annex A SoA.
\i test/regress/setup.sql

-- The composition table: what A r1 B and B r2 C say about A and C.
SELECT r1, string_agg(r2 || '=' || coalesce(isms.relationship_compose(r1, r2), '-'), ' ' ORDER BY o2) AS composed
  FROM unnest(ARRAY['equal-to', 'equivalent-to', 'superset-of', 'subset-of', 'intersects-with', 'related'])
         WITH ORDINALITY AS a(r1, o1),
       unnest(ARRAY['equal-to', 'equivalent-to', 'superset-of', 'subset-of', 'intersects-with', 'related'])
         WITH ORDINALITY AS b(r2, o2)
 GROUP BY r1, o1 ORDER BY o1;

INSERT INTO isms.framework (id, name) VALUES ('t-a', 'Test A'), ('t-b', 'Test B'), ('t-c', 'Test C'), ('t-d', 'Test D');
INSERT INTO isms.control (framework, ref, title)
SELECT f, f || '-' || n, 'control ' || n FROM unnest(ARRAY['t-a', 't-b', 't-c', 't-d']) f, generate_series(1, 6) n;
INSERT INTO isms.control_relation (source_framework, source_ref, target_framework, target_ref, relationship) VALUES
  -- a1 = b1 = c1 = d1: covered three hops away
  ('t-a', 't-a-1', 't-b', 't-b-1', 'equal-to'),
  ('t-b', 't-b-1', 't-c', 't-c-1', 'equivalent-to'),
  ('t-c', 't-c-1', 't-d', 't-d-1', 'equal-to'),
  -- a2 contains b2 (written from b2's side: b2 subset-of a2), b2 contains c2
  ('t-b', 't-b-2', 't-a', 't-a-2', 'subset-of'),
  ('t-b', 't-b-2', 't-c', 't-c-2', 'superset-of'),
  -- a3 lies in b3: b3 is only partly covered; b3 contains c3: nothing follows for c3
  ('t-a', 't-a-3', 't-b', 't-b-3', 'subset-of'),
  ('t-b', 't-b-3', 't-c', 't-c-3', 'superset-of'),
  -- a4 overlaps b4, b4 lies in c4: a4 overlaps c4
  ('t-a', 't-a-4', 't-b', 't-b-4', 'intersects-with'),
  ('t-b', 't-b-4', 't-c', 't-c-4', 'subset-of'),
  -- a cycle a5 = b5 = c5 = a5; and a5 = d5 (d5 reached once, by the shortest chain)
  ('t-a', 't-a-5', 't-b', 't-b-5', 'equal-to'),
  ('t-b', 't-b-5', 't-c', 't-c-5', 'equal-to'),
  ('t-c', 't-c-5', 't-a', 't-a-5', 'equal-to'),
  ('t-c', 't-c-5', 't-d', 't-d-5', 'equal-to'),
  -- a6 related (kind unstated) to b6, b6 = c6: related; c6 related d6: nothing follows
  ('t-a', 't-a-6', 't-b', 't-b-6', NULL),
  ('t-b', 't-b-6', 't-c', 't-c-6', 'equal-to'),
  ('t-c', 't-c-6', 't-d', 't-d-6', NULL);
-- the depth bound: t-d-2 .. t-d-4 hang off a chain of five equal-to
INSERT INTO isms.framework (id, name) VALUES ('t-e', 'Test E');
INSERT INTO isms.control (framework, ref, title) SELECT 't-e', 't-e-' || n, 'control ' || n FROM generate_series(1, 4) n;
INSERT INTO isms.control_relation (source_framework, source_ref, target_framework, target_ref, relationship) VALUES
  ('t-d', 't-d-1', 't-e', 't-e-1', 'equal-to'),     -- a1 = ... = d1 = e1: four hops
  ('t-e', 't-e-1', 't-c', 't-c-3', 'equal-to');     -- five hops: beyond the bound

INSERT INTO isms.soa_entry (scope, framework, control_ref, applicable, justification, status)
SELECT 'default', 't-a', 't-a-' || n, n <> 6, 'test', CASE WHEN n = 4 THEN 'partial' ELSE 'implemented' END::isms.implementation_status
  FROM generate_series(1, 6) n;
-- t-a-6 is excluded: implemented but not applicable

SELECT origin_ref, framework, control_ref, relationship, depth, path
  FROM isms.control_relation_chain WHERE scope = 'default' AND origin_framework = 't-a'
 ORDER BY origin_ref, depth, framework, control_ref;
SELECT framework, control_ref, coverage, related_controls, implemented_controls, covered_by, depth
  FROM isms.control_coverage WHERE scope = 'default' AND framework LIKE 't-%' ORDER BY framework, position;

-- Another scope assesses nothing of t-a: it has no rows for the test frameworks.
INSERT INTO isms.scope (id, name) VALUES ('lab', 'Lab');
SELECT isms.soa_init('lab', 'iso27001-2022') > 0 AS lab_soa;
SELECT count(*) FILTER (WHERE framework LIKE 't-%' AND coverage <> 'unmapped') AS lab_test_rows_mapped,
       count(*) FILTER (WHERE framework = 'iso27001-2022') AS lab_rows_for_its_own_framework
  FROM isms.control_coverage WHERE scope = 'lab';

-- CSF 2.0 through an Annex A SoA: the seeded relations state no kind, so a
-- Subcategory is at best partial; 11 CSF controls have no Annex A reference.
UPDATE isms.soa_entry SET applicable = true, justification = 'test', status = 'implemented'
 WHERE scope = 'lab' AND control_ref IN ('5.1', '5.2', '5.15', '8.13');
UPDATE isms.soa_entry SET applicable = false, justification = 'test' WHERE scope = 'lab' AND control_ref = '7.1';
SELECT coverage, count(*), sum(related_controls) AS related, sum(implemented_controls) AS implemented
  FROM isms.control_coverage WHERE scope = 'lab' AND framework = 'nist-csf-2.0' GROUP BY coverage ORDER BY coverage;
SELECT control_ref, title, coverage, related_controls, implemented_controls
  FROM isms.control_coverage WHERE scope = 'lab' AND framework = 'nist-csf-2.0' AND coverage = 'partial'
 ORDER BY position LIMIT 5;
-- A user relation that states a kind (superset-of; test data, not a
-- published mapping) makes an unmapped Subcategory covered.
SELECT coverage FROM isms.control_coverage WHERE scope = 'lab' AND control_ref = 'GV.OC-01';
INSERT INTO isms.control_relation (source_framework, source_ref, target_framework, target_ref, relationship, note)
VALUES ('iso27001-2022', '5.1', 'nist-csf-2.0', 'GV.OC-01', 'superset-of', 'test only');
SELECT pg_temp.try($$INSERT INTO isms.control_relation (source_framework, source_ref, target_framework, target_ref, relationship)
                     VALUES ('iso27001-2022', '8.13', 'nist-csf-2.0', 'PR.DS-11', 'equal-to')$$) AS seeded_pair,
       pg_temp.try($$INSERT INTO isms.control_relation (source_framework, source_ref, target_framework, target_ref, relationship)
                     VALUES ('iso27001-2022', '8.13', 'nist-csf-2.0', 'PR.DS-01', 'same-as')$$) AS bad_kind,
       pg_temp.try($$INSERT INTO isms.control_relation (source_framework, source_ref, target_framework, target_ref)
                     VALUES ('iso27001-2022', '8.13', 'nist-csf-2.0', 'XX.YY-01')$$) AS no_such_control,
       pg_temp.try($$INSERT INTO isms.control_relation (source_framework, source_ref, target_framework, target_ref)
                     VALUES ('iso27001-2022', '8.13', 'iso27001-2022', '8.14')$$) AS same_framework,
       pg_temp.try($$INSERT INTO isms.control_relation (source_framework, source_ref, target_framework, target_ref, source)
                     VALUES ('iso27001-2022', '8.13', 'nist-csf-2.0', 'PR.DS-01', 'nobody')$$) AS no_such_source;
SELECT control_ref, coverage, related_controls, implemented_controls, covered_by
  FROM isms.control_coverage WHERE scope = 'lab' AND control_ref = 'GV.OC-01';
-- the seeded rows are read-only
SELECT pg_temp.try($$UPDATE isms.control_relation SET relationship = 'equal-to' WHERE builtin AND target_ref = 'PR.DS-11'$$) AS update_seed,
       pg_temp.try($$DELETE FROM isms.mapping_source WHERE id = 'nist-csf-2.0-iso27001-2022'$$) AS delete_seed_source;
-- the 0.1.0 view isms.control_mapping writes through to control_relation
INSERT INTO isms.control_mapping (source_framework, source_ref, target_framework, target_ref, note)
VALUES ('t-a', 't-a-2', 't-d', 't-d-2', 'via the old name');
SELECT source_framework, source_ref, target_ref, relationship, source, note FROM isms.control_relation WHERE target_ref = 't-d-2';
