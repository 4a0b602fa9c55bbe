-- 20_catalogue: the seeded ISO/IEC 27001:2022 and 2013 catalogues, their
-- attribute vocabularies, the 2013 -> 2022 mapping, the GIN indexes, and
-- user-added frameworks with their constraints.
\i test/regress/setup.sql

-- Exactly 93 controls in 2022, 37/8/14/34 per theme; 114 in 2013.
SELECT framework, count(*) FROM isms.control GROUP BY framework ORDER BY framework;
SELECT theme, count(*), min(ref) AS first, max(position) - min(position) + 1 AS span
  FROM isms.control WHERE framework = 'iso27001-2022' GROUP BY theme ORDER BY min(position);
SELECT id, name, version, builtin FROM isms.framework ORDER BY id;

-- The seed is exactly the committed CSV (titles, themes and all five attribute families).
CREATE TEMP TABLE csv2022 (control_id text, title text, theme text, control_type text,
  security_properties text, cybersecurity_concepts text, operational_capabilities text,
  security_domains text, legacy_2013_ids text);
\copy csv2022 FROM 'data/iso27001-2022-annex-a.csv' WITH (FORMAT csv, HEADER true)
SELECT count(*) AS csv_rows,
       count(*) FILTER (WHERE c.ref IS NULL) AS missing_in_seed,
       count(*) FILTER (WHERE c.title IS DISTINCT FROM v.title OR c.theme IS DISTINCT FROM v.theme) AS title_or_theme_differs,
       count(*) FILTER (WHERE array_to_string(c.control_type, ';') IS DISTINCT FROM v.control_type
                           OR array_to_string(c.security_properties, ';') IS DISTINCT FROM v.security_properties
                           OR array_to_string(c.cybersecurity_concepts, ';') IS DISTINCT FROM v.cybersecurity_concepts
                           OR array_to_string(c.operational_capabilities, ';') IS DISTINCT FROM v.operational_capabilities
                           OR array_to_string(c.security_domains, ';') IS DISTINCT FROM v.security_domains) AS attributes_differ
  FROM csv2022 v LEFT JOIN isms.control c ON c.framework = 'iso27001-2022' AND c.ref = v.control_id;

-- The vocabularies are the enum types, in ISO/IEC 27002 order.
SELECT 'control_type' AS family, enum_range(NULL::isms.control_type)::text[] AS vocabulary
UNION ALL SELECT 'security_properties', enum_range(NULL::isms.security_property)::text[]
UNION ALL SELECT 'cybersecurity_concepts', enum_range(NULL::isms.cybersecurity_concept)::text[]
UNION ALL SELECT 'operational_capabilities', enum_range(NULL::isms.operational_capability)::text[]
UNION ALL SELECT 'security_domains', enum_range(NULL::isms.security_domain)::text[];

-- Every 2022 control has at least one value in each family, and every
-- vocabulary value is used by some control.
SELECT count(*) FILTER (WHERE cardinality(control_type) = 0 OR cardinality(security_properties) = 0
                           OR cardinality(cybersecurity_concepts) = 0 OR cardinality(operational_capabilities) = 0
                           OR cardinality(security_domains) = 0) AS controls_missing_a_family
  FROM isms.control WHERE framework = 'iso27001-2022';
SELECT family, value, count(*) AS controls FROM (
  SELECT 'control_type' AS family, unnest(control_type)::text AS value FROM isms.control
  UNION ALL SELECT 'security_properties', unnest(security_properties)::text FROM isms.control
  UNION ALL SELECT 'cybersecurity_concepts', unnest(cybersecurity_concepts)::text FROM isms.control
  UNION ALL SELECT 'operational_capabilities', unnest(operational_capabilities)::text FROM isms.control
  UNION ALL SELECT 'security_domains', unnest(security_domains)::text FROM isms.control) AS t
GROUP BY family, value ORDER BY family, count(*) DESC, value;

-- The mapping covers all 114 controls of 2013; A.18.2.3 has two successors;
-- 11 controls of 2022 are new.
CREATE TEMP TABLE csvmap (old_id text, old_title text, new_id text, new_title text, sources_agreeing text, note text);
\copy csvmap FROM 'data/iso27001-2013-to-2022.csv' WITH (FORMAT csv, HEADER true)
SELECT (SELECT count(*) FROM isms.control_mapping WHERE source_framework = 'iso27001-2013') AS pairs,
       (SELECT count(*) FROM csvmap) AS csv_pairs,
       (SELECT count(*) FROM csvmap v WHERE NOT EXISTS (
          SELECT 1 FROM isms.control_mapping m WHERE m.source_ref = v.old_id AND m.target_ref = v.new_id)) AS csv_pairs_missing,
       (SELECT count(DISTINCT source_ref) FROM isms.control_mapping WHERE source_framework = 'iso27001-2013') AS old_controls_mapped,
       (SELECT count(*) FROM isms.control c WHERE c.framework = 'iso27001-2013' AND NOT EXISTS (
          SELECT 1 FROM isms.control_mapping m WHERE m.source_framework = c.framework AND m.source_ref = c.ref)) AS old_unmapped;
SELECT source_ref, array_agg(target_ref ORDER BY target_ref) FROM isms.control_mapping
 WHERE source_framework = 'iso27001-2013' GROUP BY source_ref HAVING count(*) > 1;
SELECT string_agg(ref, ' ' ORDER BY position) AS new_in_2022 FROM isms.control c
 WHERE framework = 'iso27001-2022'
   AND NOT EXISTS (SELECT 1 FROM isms.control_mapping m WHERE m.target_framework = c.framework AND m.target_ref = c.ref);
-- The 2022 CSV's legacy ids agree with the mapping.
SELECT count(*) AS legacy_ids_not_in_mapping FROM csv2022 v, unnest(string_to_array(nullif(v.legacy_2013_ids, ''), ';')) AS o
 WHERE NOT EXISTS (SELECT 1 FROM isms.control_mapping m WHERE m.source_ref = o AND m.target_ref = v.control_id);
SELECT c.ref, c.title, m.target_ref, n.title AS target_title
  FROM isms.control c JOIN isms.control_mapping m ON m.source_framework = c.framework AND m.source_ref = c.ref
  JOIN isms.control n ON n.framework = m.target_framework AND n.ref = m.target_ref
 WHERE c.ref IN ('A.9.2.3', 'A.16.1.3', 'A.18.2.3') ORDER BY 1, 3;

-- "All Detective controls that protect Availability", answered by the GIN index.
SELECT string_agg(ref, ' ' ORDER BY position) FROM isms.control
 WHERE control_type @> '{Detective}' AND security_properties @> '{Availability}';
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT ref FROM isms.control
 WHERE control_type @> '{Detective}' AND security_properties @> '{Availability}';
EXPLAIN (COSTS OFF) SELECT ref FROM isms.control WHERE attributes @> '{"role": "controller"}';
RESET enable_seqscan;

-- A user framework with groups, nested controls, attributes and a mapping.
INSERT INTO isms.framework (id, name, version) VALUES ('acme-2025', 'ACME baseline', '1');
INSERT INTO isms.control_group (framework, id, title) VALUES ('acme-2025', 'ops', 'Operations');
INSERT INTO isms.control (framework, ref, title, theme, group_id, control_type, security_properties, attributes)
VALUES ('acme-2025', 'OPS-1', 'Backups are tested', 'Operations', 'ops', '{Corrective}', '{Availability,Integrity}', '{"role": "processor"}'),
       ('acme-2025', 'OPS-2', 'Logs are kept', 'Operations', 'ops', '{Detective}', '{}', '{}');
INSERT INTO isms.control (framework, ref, title, parent_ref) VALUES ('acme-2025', 'OPS-2.1', 'Logs are kept for a year', 'OPS-2');
INSERT INTO isms.control_mapping (source_framework, source_ref, target_framework, target_ref)
VALUES ('acme-2025', 'OPS-1', 'iso27001-2022', '8.13');
SELECT ref, parent_ref, group_id, control_type, security_properties, attributes, builtin,
       position > 9999 AS after_the_seed
  FROM isms.control WHERE framework = 'acme-2025' ORDER BY position;
SELECT string_agg(ref, ' ' ORDER BY position) FROM isms.control WHERE attributes @> '{"role": "processor"}';

-- Bad rows are refused with their SQLSTATE, and nothing is written.
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$INSERT INTO isms.control (framework, ref, title, control_type) VALUES ('acme-2025', 'X-1', 'x', '{detective}')$$),
  ($$INSERT INTO isms.control (framework, ref, title, security_properties) VALUES ('acme-2025', 'X-1', 'x', '{Authenticity}')$$),
  ($$INSERT INTO isms.control (framework, ref, title, cybersecurity_concepts) VALUES ('acme-2025', 'X-1', 'x', '{Identify,NULL}')$$),
  ($$INSERT INTO isms.control (framework, ref, title, operational_capabilities) VALUES ('acme-2025', 'X-1', 'x', '{Asset management}')$$),
  ($$INSERT INTO isms.control (framework, ref, title, security_domains) VALUES ('acme-2025', 'X-1', 'x', '{Defense}')$$),
  ($$INSERT INTO isms.control (framework, ref, title, attributes) VALUES ('acme-2025', 'X-1', 'x', '["controller"]')$$),
  ($$INSERT INTO isms.control (framework, ref, title, attributes) VALUES ('acme-2025', 'X-1', 'x', '{"control_type": "Detective"}')$$),
  ($$INSERT INTO isms.control (framework, ref, title) VALUES ('acme-2025', ' X-1', 'leading space')$$),
  ($$INSERT INTO isms.control (framework, ref, title) VALUES ('acme-2025', '', 'empty ref')$$),
  ($$INSERT INTO isms.control (framework, ref, title) VALUES ('acme-2025', 'X-1', '  ')$$),
  ($$INSERT INTO isms.control (framework, ref, title) VALUES ('acme-2025', 'OPS-1', 'duplicate')$$),
  ($$INSERT INTO isms.control (framework, ref, title) VALUES ('nope', 'X-1', 'unknown framework')$$),
  ($$INSERT INTO isms.control (framework, ref, title, group_id) VALUES ('acme-2025', 'X-1', 'x', 'organizational')$$),
  ($$INSERT INTO isms.control (framework, ref, title, parent_ref) VALUES ('acme-2025', 'X-1', 'x', 'X-1')$$),
  ($$INSERT INTO isms.control (framework, ref, title, oscal_id) VALUES ('acme-2025', 'X-1', 'x', '1abc')$$),
  ($$INSERT INTO isms.control (framework, ref, title, parent_ref) VALUES ('acme-2025', 'X-1', 'x', 'OPS-9')$$),
  ($$INSERT INTO isms.control (framework, ref, title, parent_ref) VALUES ('acme-2025', 'X-1', 'x', '5.1')$$),
  ($$DELETE FROM isms.control WHERE framework = 'acme-2025' AND ref = 'OPS-2'$$),
  ($$UPDATE isms.control SET ref = 'OPS-3' WHERE framework = 'acme-2025' AND ref = 'OPS-2'$$),
  ($$INSERT INTO isms.control_group (framework, id, title, parent_id) VALUES ('acme-2025', 'sub', 'Sub', 'nope')$$),
  ($$INSERT INTO isms.control_group (framework, id, title, parent_id) VALUES ('acme-2025', 'sub', 'Sub', 'sub')$$),
  ($$INSERT INTO isms.framework (id, name) VALUES ('ACME', 'upper case')$$),
  ($$INSERT INTO isms.framework (id, name) VALUES ('iso27001-2022', 'duplicate')$$),
  ($$INSERT INTO isms.control_mapping (source_framework, source_ref, target_framework, target_ref) VALUES ('acme-2025', 'OPS-1', 'acme-2025', 'OPS-2')$$),
  ($$INSERT INTO isms.control_mapping (source_framework, source_ref, target_framework, target_ref) VALUES ('acme-2025', 'OPS-1', 'iso27001-2022', '9.9')$$)
) AS t(s);
SELECT count(*) AS acme_controls FROM isms.control WHERE framework = 'acme-2025';
SELECT count(*) AS frameworks FROM isms.framework;

-- Seeded rows are read-only (55000): an edit could not survive pg_dump.
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$UPDATE isms.control SET title = 'Policies' WHERE framework = 'iso27001-2022' AND ref = '5.1'$$),
  ($$UPDATE isms.control SET attributes = '{"tag": "x"}' WHERE framework = 'iso27001-2022'$$),
  ($$DELETE FROM isms.control WHERE framework = 'iso27001-2013'$$),
  ($$DELETE FROM isms.framework WHERE id = 'iso27001-2013'$$),
  ($$UPDATE isms.control_group SET title = 'Org' WHERE id = 'organizational'$$),
  ($$DELETE FROM isms.control_mapping WHERE source_ref = 'A.5.1.1'$$),
  ($$UPDATE isms.control SET builtin = true WHERE framework = 'acme-2025'$$),
  ($$UPDATE isms.control SET title = 'Backups are restored and tested' WHERE framework = 'acme-2025' AND ref = 'OPS-1'$$)
) AS t(s);
SELECT (SELECT count(*) FROM isms.control) AS controls, (SELECT count(*) FROM isms.control_mapping) AS mappings,
       (SELECT title FROM isms.control WHERE framework = 'iso27001-2022' AND ref = '5.1') AS title_5_1,
       (SELECT count(*) FROM isms.control WHERE builtin) AS builtin_controls,
       (SELECT count(*) FROM isms.framework WHERE builtin AND created_at IS NULL) AS seeded_frameworks;

-- Deleting a user framework takes its groups, controls and mappings along.
DELETE FROM isms.framework WHERE id = 'acme-2025';
SELECT (SELECT count(*) FROM isms.control WHERE framework = 'acme-2025') AS controls,
       (SELECT count(*) FROM isms.control_group WHERE framework = 'acme-2025') AS groups,
       (SELECT count(*) FROM isms.control_mapping WHERE source_framework = 'acme-2025') AS mappings;

-- User rows are dumped, seeded ones are not.
SELECT c.relname, x.cond
  FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS x(oid, cond)
  JOIN pg_class c ON c.oid = x.oid
 WHERE e.extname = 'pg_isms' AND c.relname IN ('framework', 'control_group', 'control', 'control_relation', 'mapping_source', 'catalogue_position_seq')
 ORDER BY 1;
