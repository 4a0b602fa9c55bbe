-- 0.1.0 -> 0.2.0, catalogue (sql/200_catalogue.sql, 210_catalogue_seed.sql):
-- isms.control_mapping becomes isms.control_relation with a relationship
-- and its provenance (isms.mapping_source); a view keeps the old name.  The
-- objects end exactly as a fresh install makes them: renamed constraints,
-- index and trigger, the new columns last.

-- Where a set of relations comes from: the publication, its version, where
-- it was read, under which licence; one row per loaded document (an OSCAL
-- mapping collection) or seeded publication.
CREATE TABLE isms.mapping_source (
  id                 text PRIMARY KEY
                     CONSTRAINT mapping_source_id_format CHECK (id ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
  title              text NOT NULL CONSTRAINT mapping_source_title_not_blank CHECK (btrim(title) <> ''),
  version            text,
  publisher          text,
  url                text,
  licence            text,
  retrieved_from     text,
  description        text,
  method             text CONSTRAINT mapping_source_method CHECK (method IN ('human', 'automation', 'hybrid')),
  matching_rationale text CONSTRAINT mapping_source_matching_rationale
                     CHECK (matching_rationale IN ('syntactic', 'semantic', 'functional')),
  status             text CONSTRAINT mapping_source_status
                     CHECK (status IN ('complete', 'not-complete', 'draft', 'deprecated', 'superseded')),
  oscal_uuid         uuid NOT NULL DEFAULT pg_catalog.gen_random_uuid(),
  oscal_resources    jsonb NOT NULL DEFAULT '[]'
                     CONSTRAINT mapping_source_oscal_resources_array CHECK (pg_catalog.jsonb_typeof(oscal_resources) = 'array'),
  last_modified      timestamptz NOT NULL DEFAULT now(),
  builtin            boolean NOT NULL DEFAULT false,
  created_at         timestamptz DEFAULT now()
);
COMMENT ON TABLE isms.mapping_source IS
  'Provenance of control relations: the publication (or OSCAL mapping collection) a set of isms.control_relation rows comes from, its version, location and licence';
COMMENT ON COLUMN isms.mapping_source.id IS
  'Source id: lower-case letters, digits, "_", "-", "." (1 to 63 characters), e.g. nist-csf-2.0-iso27001-2022';
COMMENT ON COLUMN isms.mapping_source.title IS 'Title of the publication or mapping collection (OSCAL metadata title)';
COMMENT ON COLUMN isms.mapping_source.version IS 'Version of the publication (OSCAL metadata version)';
COMMENT ON COLUMN isms.mapping_source.publisher IS 'Who publishes the mapping (e.g. NIST)';
COMMENT ON COLUMN isms.mapping_source.url IS 'Where the publication is published: URL or other identifier';
COMMENT ON COLUMN isms.mapping_source.licence IS 'Licence or terms under which the relations may be used and shipped';
COMMENT ON COLUMN isms.mapping_source.retrieved_from IS
  'The exact file the relations were read from (repository, commit, path, checksum), NULL when not recorded';
COMMENT ON COLUMN isms.mapping_source.description IS 'What the mapping covers and how (OSCAL provenance mapping-description)';
COMMENT ON COLUMN isms.mapping_source.method IS 'How the mapping was made: human, automation or hybrid (OSCAL provenance method); NULL when the publication does not say';
COMMENT ON COLUMN isms.mapping_source.matching_rationale IS
  'What was compared: syntactic, semantic or functional (OSCAL provenance matching-rationale); NULL when the publication does not say';
COMMENT ON COLUMN isms.mapping_source.status IS
  'complete, not-complete, draft, deprecated or superseded (OSCAL provenance status); NULL when the publication does not say';
COMMENT ON COLUMN isms.mapping_source.oscal_uuid IS
  'UUID of the mapping collection in OSCAL exchange: kept from an imported document, fixed for the seeds, random otherwise';
COMMENT ON COLUMN isms.mapping_source.oscal_resources IS
  'The OSCAL "mappings" of an imported collection, in document order: [{"source", "target", "uuid", "source-href", "target-href"}], so an export gives them back';
COMMENT ON COLUMN isms.mapping_source.last_modified IS 'When the mapping content last changed (OSCAL metadata last-modified)';
COMMENT ON COLUMN isms.mapping_source.builtin IS
  'true for sources shipped with the extension (recreated by CREATE EXTENSION, not dumped)';
COMMENT ON COLUMN isms.mapping_source.created_at IS 'When the source was added; NULL for the seeded ones';

-- The relationship of a source control to a target control, in the OSCAL
-- mapping model's vocabulary (NIST IR 8477 / OLIR: equal, subset of, superset
-- of, intersects with; OSCAL adds equivalent-to).  A relation without one
-- (NULL) says only that the two correspond, as the 2013 -> 2022 table and
-- NIST's CSF informative references do.
CREATE TYPE isms.control_relationship AS ENUM (
  'equal-to', 'equivalent-to', 'subset-of', 'superset-of', 'intersects-with');
COMMENT ON TYPE isms.control_relationship IS
  'How the requirements of a source control relate to those of a target control (OSCAL mapping relationship): equal-to, equivalent-to, subset-of, superset-of, intersects-with';

ALTER TABLE isms.control_mapping RENAME TO control_relation;
ALTER TABLE isms.control_relation RENAME CONSTRAINT control_mapping_pkey TO control_relation_pkey;
ALTER TABLE isms.control_relation
  RENAME CONSTRAINT control_mapping_source_framework_source_ref_fkey TO control_relation_source_framework_source_ref_fkey;
ALTER TABLE isms.control_relation
  RENAME CONSTRAINT control_mapping_target_framework_target_ref_fkey TO control_relation_target_framework_target_ref_fkey;
ALTER TABLE isms.control_relation RENAME CONSTRAINT control_mapping_between_frameworks TO control_relation_between_frameworks;
-- PostgreSQL 18 names NOT NULL constraints after the table (pg_constraint
-- rows of type 'n'); a renamed table keeps the old names, a fresh install
-- has the new ones.  Before 18 there are no such rows and nothing runs.
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT conname FROM pg_catalog.pg_constraint
            WHERE conrelid = 'isms.control_relation'::pg_catalog.regclass
              AND contype = 'n' AND conname LIKE 'control\_mapping\_%'
            ORDER BY conname
  LOOP
    EXECUTE pg_catalog.format('ALTER TABLE isms.control_relation RENAME CONSTRAINT %I TO %I',
                              c.conname, 'control_relation_' || pg_catalog.substr(c.conname, 17));
  END LOOP;
END
$$;
ALTER INDEX isms.control_mapping_target RENAME TO control_relation_target;
ALTER TRIGGER control_mapping_protect_builtin ON isms.control_relation RENAME TO control_relation_protect_builtin;
ALTER TABLE isms.control_relation
  ADD COLUMN relationship isms.control_relationship,
  ADD COLUMN source text REFERENCES isms.mapping_source (id) ON DELETE CASCADE,
  ADD COLUMN oscal_uuid uuid;
CREATE INDEX control_relation_source ON isms.control_relation (source);
COMMENT ON TABLE isms.control_relation IS
  'How a control of one framework relates to a control of another (seeded: ISO/IEC 27001:2013 to 2022, ISO/IEC 27001:2022 to NIST CSF 2.0); one row per pair, with its relationship and provenance';
COMMENT ON COLUMN isms.control_relation.source_framework IS 'Framework of the source control (e.g. iso27001-2013)';
COMMENT ON COLUMN isms.control_relation.source_ref IS 'Reference of the source control (e.g. A.9.2.3)';
COMMENT ON COLUMN isms.control_relation.target_framework IS 'Framework of the target control (e.g. iso27001-2022)';
COMMENT ON COLUMN isms.control_relation.target_ref IS 'Reference of the target control (e.g. 8.2)';
COMMENT ON COLUMN isms.control_relation.note IS 'Remark on the pair (e.g. where sources disagree; OSCAL map remarks)';
COMMENT ON COLUMN isms.control_relation.builtin IS 'true for seeded rows (not dumped)';
COMMENT ON COLUMN isms.control_relation.relationship IS
  'The source control''s requirements relative to the target''s (source subset-of target: the target asks for more); NULL = they correspond, how is not stated';
COMMENT ON COLUMN isms.control_relation.source IS
  'Where the relation comes from (isms.mapping_source.id); deleting the source deletes its relations; NULL for relations entered by hand';
COMMENT ON COLUMN isms.control_relation.oscal_uuid IS
  'UUID of the OSCAL map entry the relation was imported from, NULL when not imported (the export then derives one from the pair)';

-- isms.control_mapping of 0.1.0: the same pairs without relationship and
-- provenance; inserts, updates and deletes pass through to control_relation.
CREATE VIEW isms.control_mapping AS
  SELECT r.source_framework, r.source_ref, r.target_framework, r.target_ref, r.note, r.builtin
    FROM isms.control_relation r;
COMMENT ON VIEW isms.control_mapping IS
  'The pairs of isms.control_relation without relationship and provenance (the table of pg_isms 0.1.0, kept for its queries; an updatable view)';
COMMENT ON COLUMN isms.control_mapping.source_framework IS 'Framework of the source control (e.g. iso27001-2013)';
COMMENT ON COLUMN isms.control_mapping.source_ref IS 'Reference of the source control (e.g. A.9.2.3)';
COMMENT ON COLUMN isms.control_mapping.target_framework IS 'Framework of the target control (e.g. iso27001-2022)';
COMMENT ON COLUMN isms.control_mapping.target_ref IS 'Reference of the target control (e.g. 8.2)';
COMMENT ON COLUMN isms.control_mapping.note IS 'Remark on the pair (e.g. where sources disagree)';
COMMENT ON COLUMN isms.control_mapping.builtin IS 'true for seeded rows (not dumped)';

SELECT pg_catalog.pg_extension_config_dump('isms.mapping_source', 'WHERE NOT builtin');
CREATE TRIGGER mapping_source_protect_builtin BEFORE UPDATE OR DELETE ON isms.mapping_source
  FOR EACH ROW EXECUTE FUNCTION isms.catalogue_protect_builtin();

-- The seeded 2013 -> 2022 pairs get their provenance, as data/gen_seed.py
-- writes it for a fresh install (seeded rows are read-only to everyone
-- else, hence the trigger off for this one statement).
INSERT INTO isms.mapping_source (id, title, version, publisher, licence, description, oscal_uuid, last_modified, builtin, created_at) VALUES
  ('iso27001-2013-2022', 'ISO/IEC 27001:2013 to ISO/IEC 27001:2022 Annex A correspondence', '1', 'pg_isms (compiled)',
   'control ids only, no ISO text',
   'Which 2022 control each 2013 control went to, compiled from public reproductions of ISO/IEC 27002:2022 Annex B (data/iso27001-2013-to-2022.csv, sources in data/README.md); the correspondence states no relationship type, so relationship is NULL',
   '87bc6567-7046-55ec-9992-64dc1466ff1f', '2022-10-25 00:00:00+00', true, NULL);

ALTER TABLE isms.control_relation DISABLE TRIGGER control_relation_protect_builtin;
UPDATE isms.control_relation SET source = 'iso27001-2013-2022'
 WHERE builtin AND source_framework = 'iso27001-2013' AND target_framework = 'iso27001-2022';
ALTER TABLE isms.control_relation ENABLE TRIGGER control_relation_protect_builtin;
