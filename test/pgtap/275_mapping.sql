-- 275_mapping: who may read and write relations, sources and coverage, and
-- the shape of the mapping objects; one rolled-back transaction.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pg_isms;
SELECT plan(19);

SELECT has_table('isms', t, 'table isms.' || t || ' exists') FROM unnest(ARRAY['control_relation', 'mapping_source']) AS t;
SELECT has_view('isms', v, 'view isms.' || v || ' exists')
  FROM unnest(ARRAY['control_mapping', 'control_relation_chain', 'control_coverage']) AS v;
SELECT col_is_pk('isms', 'control_relation', ARRAY['source_framework', 'source_ref', 'target_framework', 'target_ref'],
                 'one relation per pair of controls');
SELECT enum_has_labels('isms', 'control_relationship',
                       ARRAY['equal-to', 'equivalent-to', 'subset-of', 'superset-of', 'intersects-with'],
                       'the OSCAL relationship vocabulary');
SELECT fk_ok('isms', 'control_relation', 'source', 'isms', 'mapping_source', 'id', 'a relation names its source');

CREATE ROLE isms_tap_map_reader;
CREATE ROLE isms_tap_map_editor;
CREATE ROLE isms_tap_map_admin;
DO $$ BEGIN
  PERFORM isms.grant_reader('isms_tap_map_reader');
  PERFORM isms.grant_editor('isms_tap_map_editor');
  PERFORM isms.grant_admin('isms_tap_map_admin');
END $$;

SET LOCAL ROLE isms_tap_map_reader;
SELECT ok((SELECT count(*) FROM isms.control_relation) >= 401, 'a reader reads the relations');
SELECT ok((SELECT count(*) FROM isms.control_coverage WHERE framework = 'nist-csf-2.0') = 0,
          'no SoA yet, so no coverage rows');
SELECT ok(isms.oscal_mapping('nist-csf-2.0-iso27001-2022') ? 'mapping-collection', 'a reader exports a mapping source');
SELECT throws_ok($$INSERT INTO isms.control_relation (source_framework, source_ref, target_framework, target_ref)
                   VALUES ('iso27001-2022', '5.1', 'nist-csf-2.0', 'GV.OC-01')$$, '42501', NULL,
                 'a reader cannot add a relation');
RESET ROLE;

SET LOCAL ROLE isms_tap_map_editor;
SELECT throws_ok($$INSERT INTO isms.mapping_source (id, title) VALUES ('x', 'x')$$, '42501', NULL,
                 'an editor cannot add a mapping source (configuration)');
SELECT throws_ok($$SELECT isms.oscal_import_mapping('{}')$$, '42501', NULL,
                 'an editor cannot import a mapping collection');
RESET ROLE;

SET LOCAL ROLE isms_tap_map_admin;
SELECT lives_ok($$INSERT INTO isms.control_relation (source_framework, source_ref, target_framework, target_ref, relationship)
                  VALUES ('iso27001-2022', '5.1', 'nist-csf-2.0', 'GV.OC-01', 'superset-of')$$,
                'an admin adds a relation with its kind');
SELECT throws_ok($$SELECT isms.oscal_import_mapping('{"mapping-collection": []}')$$, '22023', NULL,
                 'an admin may import; a bad document is 22023');
INSERT INTO isms.framework (id, name) VALUES ('tap-fw', 'Tap framework');
INSERT INTO isms.control (framework, ref, title) VALUES ('tap-fw', 'T-1', 'Tap control');
SELECT is(isms.oscal_import_mapping($${"mapping-collection": {
  "uuid": "5d0e8c3a-6b1f-4c2d-9e8f-0a1b2c3d4e5f",
  "metadata": {"title": "Tap", "last-modified": "2026-01-01T00:00:00Z", "version": "1", "oscal-version": "1.2.0"},
  "provenance": {"method": "human", "matching-rationale": "semantic", "status": "draft", "mapping-description": "test"},
  "mappings": [{"uuid": "5d0e8c3a-6b1f-4c2d-9e8f-0a1b2c3d4e60",
    "source-resource": {"type": "catalog", "href": "urn:pg-isms:framework:iso27001-2022"},
    "target-resource": {"type": "catalog", "href": "urn:pg-isms:framework:tap-fw"},
    "maps": [{"uuid": "5d0e8c3a-6b1f-4c2d-9e8f-0a1b2c3d4e61", "relationship": "equal-to",
              "sources": [{"type": "control", "id-ref": "control-5.2"}], "targets": [{"type": "control", "id-ref": "T-1"}]}]}]}}$$),
          'tap', 'an admin imports a mapping collection');
SELECT is(isms.soa_init('default', 'iso27001-2022'), 93, 'the admin starts the SoA of scope default');
UPDATE isms.soa_entry SET applicable = true, justification = 'tap', status = 'implemented'
 WHERE scope = 'default' AND control_ref = '5.2';
RESET ROLE;
SET LOCAL ROLE isms_tap_map_reader;
SELECT is((SELECT coverage FROM isms.control_coverage WHERE scope = 'default' AND framework = 'tap-fw' AND control_ref = 'T-1'),
          'covered', 'a reader sees the imported relation cover T-1 through the SoA');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
