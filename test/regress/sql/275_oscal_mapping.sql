-- 275_oscal_mapping: OSCAL mapping-collection import and export.  A small
-- collection written for the tests (test/data/oscal/mini-mapping.json, a
-- fictitious framework acme-2026 related to NIST CSF 2.0 and ISO/IEC
-- 27001:2022) imports and exports back to the same document; the seeded
-- NIST relations export; malformed documents fail with the JSON path and a
-- precise SQLSTATE, and write nothing.
\i test/regress/setup.sql
\set doc `cat test/data/oscal/mini-mapping.json`

INSERT INTO isms.framework (id, name, version) VALUES ('acme-2026', 'Acme policy set', '2026');
INSERT INTO isms.control (framework, ref, title) VALUES
  ('acme-2026', 'AP-1', 'Information security policy approved by the board'),
  ('acme-2026', 'AP-2', 'Every account belongs to a named person'),
  ('acme-2026', 'AP-3', 'Nightly backups of production data');

-- Import: the source id comes from the urn:pg-isms "source" prop.
SELECT isms.oscal_import_mapping(:'doc') AS imported;
SELECT id, title, version, publisher, url, licence, method, matching_rationale, status, oscal_uuid, last_modified, builtin
  FROM isms.mapping_source WHERE NOT builtin;
SELECT source_framework, source_ref, target_framework, target_ref, relationship, note, oscal_uuid
  FROM isms.control_relation WHERE source = 'acme-mapping' ORDER BY oscal_uuid;

-- Export gives back exactly the imported document.
SELECT isms.oscal_mapping('acme-mapping') = :'doc'::jsonb AS round_trip;

-- Delete the source (its relations go with it), import the export again.
SELECT isms.oscal_mapping('acme-mapping') AS exported \gset
DELETE FROM isms.mapping_source WHERE id = 'acme-mapping';
SELECT count(*) AS relations_left FROM isms.control_relation WHERE source_framework = 'acme-2026';
SELECT isms.oscal_import_mapping(:'exported') AS again;
SELECT isms.oscal_mapping('acme-mapping') = :'doc'::jsonb AS round_trip_again;

-- Hrefs without framework props: the third argument says which framework
-- each href is; another source id as the second argument.
DELETE FROM isms.mapping_source WHERE id = 'acme-mapping';
SELECT isms.oscal_import_mapping(
         (SELECT jsonb_set(jsonb_set(:'doc'::jsonb, '{mapping-collection,mappings,0,source-resource}',
                                     '{"type": "catalog", "href": "acme.json"}'),
                           '{mapping-collection,mappings,0,target-resource}', '{"type": "catalog", "href": "csf.json"}')
            #- '{mapping-collection,mappings,1}'),
         'acme-by-href', '{"acme.json": "acme-2026", "csf.json": "nist-csf-2.0"}') AS by_href;
SELECT count(*) AS relations, min(source_framework) AS source_framework, min(target_framework) AS target_framework
  FROM isms.control_relation WHERE source = 'acme-by-href';
-- the export keeps the hrefs and adds the framework props
SELECT isms.oscal_mapping('acme-by-href') #> '{mapping-collection,mappings,0,source-resource}' AS source_resource;
DELETE FROM isms.mapping_source WHERE id = 'acme-by-href';

-- The seeded NIST informative references: 286 maps from Annex A to CSF 2.0,
-- every one "related" in the urn:pg-isms namespace (NIST states no type),
-- and a second mapping of 110 from the 27001 clauses (sql/502).
SELECT jsonb_array_length(m -> 'mappings') AS mappings,
       jsonb_array_length(m #> '{mappings,0,maps}') AS maps,
       (SELECT count(*) FROM jsonb_array_elements(m #> '{mappings,0,maps}') e
         WHERE e ->> 'relationship' = 'related' AND e ->> 'ns' = 'urn:pg-isms') AS related,
       m #> '{mappings,0,source-resource,href}' AS source_href,
       m #> '{mappings,0,maps,0}' AS first_map,
       m -> 'metadata' -> 'title' AS title
  FROM (SELECT isms.oscal_mapping('nist-csf-2.0-iso27001-2022') -> 'mapping-collection' AS m) x;
SELECT m #> '{mappings,1,source-resource,href}' AS source_href, jsonb_array_length(m #> '{mappings,1,maps}') AS maps,
       (SELECT count(*) FROM jsonb_array_elements(m #> '{mappings,1,maps}') e
         WHERE e ->> 'relationship' = 'related' AND e ->> 'ns' = 'urn:pg-isms') AS related,
       m #> '{mappings,1,maps,0,sources,0,id-ref}' AS first_source
  FROM (SELECT isms.oscal_mapping('nist-csf-2.0-iso27001-2022') -> 'mapping-collection' AS m) x;
-- the same data exports the same document (derived UUIDs are stable)
SELECT isms.oscal_mapping('iso27001-2013-2022') = isms.oscal_mapping('iso27001-2013-2022') AS stable,
       jsonb_array_length(isms.oscal_mapping('iso27001-2013-2022') #> '{mapping-collection,mappings,0,maps}') AS maps_2013;
-- importing it again under another id: its pairs are related already
SELECT pg_temp.try($$SELECT isms.oscal_import_mapping(isms.oscal_mapping('iso27001-2013-2022'), 'copy')$$) AS duplicate_pairs;

-- Bad documents: each one changes the good document in one place (the
-- good one is not loaded, so each fails at the fault it names).
CREATE TEMP TABLE before AS
  SELECT (SELECT count(*) FROM isms.mapping_source) AS sources, (SELECT count(*) FROM isms.control_relation) AS relations;
CREATE TEMP TABLE bad (label text, doc jsonb, frameworks jsonb);
INSERT INTO bad
SELECT label, d, NULL FROM (VALUES
  ('not an object', '[]'::jsonb),
  ('no mapping-collection', '{"catalog": {}}'),
  ('uuid missing', :'doc'::jsonb #- '{mapping-collection,uuid}'),
  ('uuid malformed', jsonb_set(:'doc', '{mapping-collection,uuid}', '"0b6a7c1e"')),
  ('metadata missing', :'doc'::jsonb #- '{mapping-collection,metadata}'),
  ('title not a string', jsonb_set(:'doc', '{mapping-collection,metadata,title}', '7')),
  ('oscal 1.1', jsonb_set(:'doc', '{mapping-collection,metadata,oscal-version}', '"1.1.2"')),
  ('last-modified malformed', jsonb_set(:'doc', '{mapping-collection,metadata,last-modified}', '"yesterday"')),
  ('last-modified impossible', jsonb_set(:'doc', '{mapping-collection,metadata,last-modified}', '"2026-02-30T00:00:00Z"')),
  ('provenance missing', :'doc'::jsonb #- '{mapping-collection,provenance}'),
  ('method unknown', jsonb_set(:'doc', '{mapping-collection,provenance,method}', '"magic"')),
  ('status not a string', jsonb_set(:'doc', '{mapping-collection,provenance,status}', 'true')),
  ('mappings empty', jsonb_set(:'doc', '{mapping-collection,mappings}', '[]')),
  ('resource without framework', jsonb_set(:'doc', '{mapping-collection,mappings,0,source-resource}',
                                           '{"type": "catalog", "href": "elsewhere.json"}')),
  ('framework does not exist', jsonb_set(:'doc', '{mapping-collection,mappings,0,target-resource,props,0,value}', '"nist-csf-3.0"')),
  ('framework to itself', jsonb_set(:'doc', '{mapping-collection,mappings,0,target-resource,props,0,value}', '"acme-2026"')),
  ('pair of frameworks twice', jsonb_set(:'doc', '{mapping-collection,mappings,1,target-resource,props,0,value}', '"nist-csf-2.0"')),
  ('map uuid malformed', jsonb_set(:'doc', '{mapping-collection,mappings,0,maps,1,uuid}', '"x"')),
  ('relationship unknown', jsonb_set(:'doc', '{mapping-collection,mappings,0,maps,0,relationship}', '"similar-to"')),
  ('relationship missing', :'doc'::jsonb #- '{mapping-collection,mappings,0,maps,0,relationship}'),
  ('no-relationship', jsonb_set(:'doc', '{mapping-collection,mappings,0,maps,0,relationship}', '"no-relationship"')),
  ('related without urn:pg-isms', :'doc'::jsonb #- '{mapping-collection,mappings,0,maps,2,ns}'),
  ('two sources', jsonb_set(:'doc', '{mapping-collection,mappings,0,maps,0,sources}',
                            '[{"type": "control", "id-ref": "AP-1"}, {"type": "control", "id-ref": "AP-2"}]')),
  ('statement', jsonb_set(:'doc', '{mapping-collection,mappings,0,maps,0,targets,0,type}', '"statement"')),
  ('unknown control', jsonb_set(:'doc', '{mapping-collection,mappings,1,maps,1,targets,0,id-ref}', '"control-9.9"')),
  ('pair twice', jsonb_set(:'doc', '{mapping-collection,mappings,0,maps,0,targets,0,id-ref}', '"GV.PO-01"')),
  ('remarks not a string', jsonb_set(:'doc', '{mapping-collection,mappings,0,maps,0,remarks}', '{}'))
) AS v(label, d);
INSERT INTO bad VALUES ('frameworks not an object', :'doc', '["x"]');
SELECT label, pg_temp.try(format('SELECT isms.oscal_import_mapping(%L::jsonb, NULL, %L::jsonb)', doc, frameworks)) AS result
  FROM bad ORDER BY label;
SELECT (SELECT count(*) FROM isms.mapping_source) = sources AND (SELECT count(*) FROM isms.control_relation) = relations
       AS nothing_written
  FROM before;
-- size limits, checked before any mapping is read: at most 1,000 mappings
SELECT pg_temp.try(format('SELECT isms.oscal_import_mapping(%L::jsonb)',
         jsonb_set(:'doc', '{mapping-collection,mappings}',
                   (SELECT jsonb_agg(:'doc'::jsonb #> '{mapping-collection,mappings,0}') FROM generate_series(1, 1001))))) AS too_many_mappings;
-- the source id is taken once the good document is in
SELECT isms.oscal_import_mapping(:'doc') AS good_again;
SELECT pg_temp.try(format('SELECT isms.oscal_import_mapping(%L::jsonb)', :'doc')) AS source_id_taken,
       pg_temp.try(format('SELECT isms.oscal_import_mapping(%L::jsonb, %L)', :'doc', 'Bad Id')) AS bad_source_id;
SELECT count(*) AS relations FROM isms.control_relation WHERE source_framework = 'acme-2026';
-- NULL in, NULL out; a source that does not exist; a source with no relations
SELECT isms.oscal_import_mapping(NULL) IS NULL AS null_in_null_out;
SELECT pg_temp.try($$SELECT isms.oscal_mapping('nope')$$) AS unknown_source;
INSERT INTO isms.mapping_source (id, title) VALUES ('empty', 'Nothing yet');
SELECT pg_temp.try($$SELECT isms.oscal_mapping('empty')$$) AS empty_source;
