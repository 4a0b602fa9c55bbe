-- Control catalogue: frameworks, their groups and controls with the five
-- ISO/IEC 27002:2022 attribute families (enum arrays: the vocabulary is the
-- type), and relations between controls of different frameworks with their
-- provenance.  Seed rows
-- (sql/210_catalogue_seed.sql) carry builtin = true and are left out
-- of pg_dump; user rows are dumped.

-- The five attribute families of ISO/IEC 27002:2022 clause 4.2, spelt as the
-- standard's hashtags without '#', in the standard's order.
CREATE TYPE isms.control_type AS ENUM ('Preventive', 'Detective', 'Corrective');
COMMENT ON TYPE isms.control_type IS
  'ISO/IEC 27002:2022 attribute "control type": when the control acts relative to an incident';

CREATE TYPE isms.security_property AS ENUM ('Confidentiality', 'Integrity', 'Availability');
COMMENT ON TYPE isms.security_property IS
  'ISO/IEC 27002:2022 attribute "information security properties": what the control preserves';

CREATE TYPE isms.cybersecurity_concept AS ENUM ('Identify', 'Protect', 'Detect', 'Respond', 'Recover');
COMMENT ON TYPE isms.cybersecurity_concept IS
  'ISO/IEC 27002:2022 attribute "cybersecurity concepts" (the ISO/IEC TS 27110 framework functions)';

CREATE TYPE isms.operational_capability AS ENUM (
  'Governance', 'Asset_management', 'Information_protection', 'Human_resource_security',
  'Physical_security', 'System_and_network_security', 'Application_security',
  'Secure_configuration', 'Identity_and_access_management',
  'Threat_and_vulnerability_management', 'Continuity', 'Supplier_relationships_security',
  'Legal_and_compliance', 'Information_security_event_management',
  'Information_security_assurance');
COMMENT ON TYPE isms.operational_capability IS
  'ISO/IEC 27002:2022 attribute "operational capabilities": the practitioner''s view of the control';

CREATE TYPE isms.security_domain AS ENUM (
  'Governance_and_Ecosystem', 'Protection', 'Defence', 'Resilience');
COMMENT ON TYPE isms.security_domain IS
  'ISO/IEC 27002:2022 attribute "security domains"';

-- Order of groups and controls inside a framework when the inserting
-- statement gives none: insertion order, after every seeded position.
CREATE SEQUENCE isms.catalogue_position_seq AS integer START WITH 10000;
COMMENT ON SEQUENCE isms.catalogue_position_seq IS
  'Default position of user-added groups and controls (insertion order; seeds use 1..9999)';

CREATE TABLE isms.framework (
  id            text PRIMARY KEY
                CONSTRAINT framework_id_format CHECK (id ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
  name          text NOT NULL CONSTRAINT framework_name_not_blank CHECK (btrim(name) <> ''),
  version       text,
  publisher     text,
  description   text,
  oscal_uuid    uuid NOT NULL DEFAULT pg_catalog.gen_random_uuid(),
  last_modified timestamptz NOT NULL DEFAULT now(),
  builtin       boolean NOT NULL DEFAULT false,
  created_at    timestamptz DEFAULT now()
);
COMMENT ON TABLE isms.framework IS
  'Control frameworks (catalogues): the seeded iso27001-2022 and iso27001-2013, and any added by users or imported from OSCAL';
COMMENT ON COLUMN isms.framework.id IS
  'Framework id used by every function and table: lower-case letters, digits, "_", "-", "." (1 to 63 characters), e.g. iso27001-2022';
COMMENT ON COLUMN isms.framework.name IS 'Display name (OSCAL metadata title)';
COMMENT ON COLUMN isms.framework.version IS 'Version of the catalogue (OSCAL metadata version)';
COMMENT ON COLUMN isms.framework.publisher IS 'Who publishes the framework (e.g. ISO/IEC)';
COMMENT ON COLUMN isms.framework.description IS 'What the framework is and where its data comes from';
COMMENT ON COLUMN isms.framework.oscal_uuid IS
  'UUID of the catalog in OSCAL exchange: kept from an imported document, fixed for the seeds, random otherwise';
COMMENT ON COLUMN isms.framework.last_modified IS
  'When the catalogue content last changed (OSCAL metadata last-modified)';
COMMENT ON COLUMN isms.framework.builtin IS
  'true for frameworks shipped with the extension (recreated by CREATE EXTENSION, not dumped)';
COMMENT ON COLUMN isms.framework.created_at IS 'When the framework was added; NULL for the seeded ones';

CREATE TABLE isms.control_group (
  framework text NOT NULL REFERENCES isms.framework (id) ON DELETE CASCADE,
  id        text NOT NULL
            CONSTRAINT control_group_id_format
            CHECK (id <> '' AND btrim(id) = id AND length(id) <= 64 AND id !~ '[[:cntrl:]]'),
  title     text NOT NULL CONSTRAINT control_group_title_not_blank CHECK (btrim(title) <> ''),
  parent_id text,
  position  integer NOT NULL DEFAULT pg_catalog.nextval('isms.catalogue_position_seq'),
  builtin   boolean NOT NULL DEFAULT false,
  PRIMARY KEY (framework, id),
  CONSTRAINT control_group_not_own_parent CHECK (parent_id <> id)
);
COMMENT ON TABLE isms.control_group IS
  'Groups of controls inside a framework (Annex A themes, 2013 clauses, OSCAL groups), possibly nested';
COMMENT ON COLUMN isms.control_group.framework IS 'Framework the group belongs to';
COMMENT ON COLUMN isms.control_group.id IS 'Group id, unique in its framework (the OSCAL group id)';
COMMENT ON COLUMN isms.control_group.title IS 'Group title';
COMMENT ON COLUMN isms.control_group.parent_id IS 'Enclosing group in the same framework, NULL for a top-level group';
COMMENT ON COLUMN isms.control_group.position IS 'Order of the group among the groups of its framework';
COMMENT ON COLUMN isms.control_group.builtin IS 'true for seeded rows (not dumped)';

CREATE TABLE isms.control (
  framework   text NOT NULL REFERENCES isms.framework (id) ON DELETE CASCADE,
  ref         text NOT NULL
              CONSTRAINT control_ref_format
              CHECK (ref <> '' AND btrim(ref) = ref AND length(ref) <= 64 AND ref !~ '[[:cntrl:]]'),
  title       text NOT NULL CONSTRAINT control_title_not_blank CHECK (btrim(title) <> ''),
  theme       text CONSTRAINT control_theme_not_blank CHECK (btrim(theme) <> ''),
  group_id    text,
  parent_ref  text,
  position    integer NOT NULL DEFAULT pg_catalog.nextval('isms.catalogue_position_seq'),
  oscal_id    text CONSTRAINT control_oscal_id_format
              CHECK (oscal_id ~ '^[A-Za-z_][A-Za-z0-9_.-]*$'),
  control_type             isms.control_type[] NOT NULL DEFAULT '{}',
  security_properties      isms.security_property[] NOT NULL DEFAULT '{}',
  cybersecurity_concepts   isms.cybersecurity_concept[] NOT NULL DEFAULT '{}',
  operational_capabilities isms.operational_capability[] NOT NULL DEFAULT '{}',
  security_domains         isms.security_domain[] NOT NULL DEFAULT '{}',
  attributes  jsonb NOT NULL DEFAULT '{}'
              CONSTRAINT control_attributes_object CHECK (pg_catalog.jsonb_typeof(attributes) = 'object')
              -- The five ISO/IEC 27002 families are columns; a key of the same
              -- name would make isms.compliance_by_attribute ambiguous.
              CONSTRAINT control_attributes_reserved_keys CHECK (
                NOT attributes ?| ARRAY['control_type', 'security_properties',
                  'cybersecurity_concepts', 'operational_capabilities', 'security_domains']),
  builtin     boolean NOT NULL DEFAULT false,
  PRIMARY KEY (framework, ref),
  UNIQUE (framework, oscal_id),
  FOREIGN KEY (framework, group_id) REFERENCES isms.control_group (framework, id),
  CONSTRAINT control_not_own_parent CHECK (parent_ref <> ref),
  -- An attribute array lists values, never an unknown (NULL) one.
  CONSTRAINT control_attribute_no_null CHECK (
    pg_catalog.array_position(control_type, NULL) IS NULL
    AND pg_catalog.array_position(security_properties, NULL) IS NULL
    AND pg_catalog.array_position(cybersecurity_concepts, NULL) IS NULL
    AND pg_catalog.array_position(operational_capabilities, NULL) IS NULL
    AND pg_catalog.array_position(security_domains, NULL) IS NULL)
);
COMMENT ON TABLE isms.control IS
  'Controls of every framework, with the ISO/IEC 27002:2022 attributes as enum arrays (GIN-indexed) and framework-specific attributes in jsonb';
COMMENT ON COLUMN isms.control.framework IS 'Framework of the control (isms.framework.id)';
COMMENT ON COLUMN isms.control.ref IS 'Reference of the control in its framework as people write it, e.g. 5.1 or A.9.2.3';
COMMENT ON COLUMN isms.control.title IS 'Title of the control (titles only, never the text of the standard)';
COMMENT ON COLUMN isms.control.theme IS
  'Theme the dashboards group by: Organizational, People, Physical, Technological for ISO/IEC 27001:2022; the clause for 2013';
COMMENT ON COLUMN isms.control.group_id IS 'Group of the control (isms.control_group.id), NULL outside any group';
COMMENT ON COLUMN isms.control.parent_ref IS 'Parent control (same framework) of a nested control (OSCAL control enhancement), NULL otherwise';
COMMENT ON COLUMN isms.control.position IS 'Order of the control in its framework (document order)';
COMMENT ON COLUMN isms.control.oscal_id IS
  'OSCAL control id when it is not derived from ref (kept from an imported catalog), NULL otherwise';
COMMENT ON COLUMN isms.control.control_type IS 'ISO/IEC 27002 control type values (Preventive, Detective, Corrective)';
COMMENT ON COLUMN isms.control.security_properties IS
  'ISO/IEC 27002 information security properties (Confidentiality, Integrity, Availability)';
COMMENT ON COLUMN isms.control.cybersecurity_concepts IS
  'ISO/IEC 27002 cybersecurity concepts (Identify, Protect, Detect, Respond, Recover)';
COMMENT ON COLUMN isms.control.operational_capabilities IS
  'ISO/IEC 27002 operational capabilities (Governance, Asset_management, ... Information_security_assurance)';
COMMENT ON COLUMN isms.control.security_domains IS
  'ISO/IEC 27002 security domains (Governance_and_Ecosystem, Protection, Defence, Resilience)';
COMMENT ON COLUMN isms.control.attributes IS
  'Framework-specific attributes as a JSON object, e.g. {"role": "controller"} for ISO/IEC 27701; string or string-array values appear in isms.compliance_by_attribute';
COMMENT ON COLUMN isms.control.builtin IS 'true for seeded rows (not dumped)';

-- "All Detective controls that protect Availability": one GIN index per
-- family, combined by a BitmapAnd.
CREATE INDEX control_control_type_gin ON isms.control USING gin (control_type);
CREATE INDEX control_security_properties_gin ON isms.control USING gin (security_properties);
CREATE INDEX control_cybersecurity_concepts_gin ON isms.control USING gin (cybersecurity_concepts);
CREATE INDEX control_operational_capabilities_gin ON isms.control USING gin (operational_capabilities);
CREATE INDEX control_security_domains_gin ON isms.control USING gin (security_domains);
CREATE INDEX control_attributes_gin ON isms.control USING gin (attributes jsonb_path_ops);

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

CREATE TABLE isms.control_relation (
  source_framework text NOT NULL,
  source_ref       text NOT NULL,
  target_framework text NOT NULL,
  target_ref       text NOT NULL,
  note             text,
  builtin          boolean NOT NULL DEFAULT false,
  relationship     isms.control_relationship,
  source           text REFERENCES isms.mapping_source (id) ON DELETE CASCADE,
  oscal_uuid       uuid,
  PRIMARY KEY (source_framework, source_ref, target_framework, target_ref),
  FOREIGN KEY (source_framework, source_ref) REFERENCES isms.control (framework, ref) ON DELETE CASCADE,
  FOREIGN KEY (target_framework, target_ref) REFERENCES isms.control (framework, ref) ON DELETE CASCADE,
  CONSTRAINT control_relation_between_frameworks CHECK (source_framework <> target_framework)
);
CREATE INDEX control_relation_target ON isms.control_relation (target_framework, target_ref);
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

-- User rows are dumped; seeded ones come back with CREATE EXTENSION.
SELECT pg_catalog.pg_extension_config_dump('isms.framework', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('isms.control_group', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('isms.control', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('isms.mapping_source', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('isms.control_relation', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('isms.catalogue_position_seq', '');

-- Seeded rows are recreated by CREATE EXTENSION and left out of dumps, so an
-- edit to one could not survive pg_dump: they are read-only, like the scope
-- "default".  A user row cannot be turned into a seeded one either.
CREATE FUNCTION isms.catalogue_protect_builtin() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF OLD.builtin THEN
    RAISE EXCEPTION 'seeded rows of %.% cannot be changed or deleted', TG_TABLE_SCHEMA, TG_TABLE_NAME
      USING ERRCODE = '55000',
            DETAIL = 'The seeded catalogues are recreated by CREATE EXTENSION and not carried by pg_dump.',
            HINT = 'Add a framework of your own (isms.framework) and map it with isms.control_mapping.';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.builtin THEN
    RAISE EXCEPTION 'a user row of %.% cannot be marked builtin', TG_TABLE_SCHEMA, TG_TABLE_NAME
      USING ERRCODE = '55000', DETAIL = 'builtin rows are not dumped; the row would be lost by pg_dump.';
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION isms.catalogue_protect_builtin() IS
  'Trigger function: refuses UPDATE or DELETE of seeded catalogue rows, and marking a user row builtin (SQLSTATE 55000)';

CREATE TRIGGER framework_protect_builtin BEFORE UPDATE OR DELETE ON isms.framework
  FOR EACH ROW EXECUTE FUNCTION isms.catalogue_protect_builtin();
CREATE TRIGGER control_group_protect_builtin BEFORE UPDATE OR DELETE ON isms.control_group
  FOR EACH ROW EXECUTE FUNCTION isms.catalogue_protect_builtin();
CREATE TRIGGER control_protect_builtin BEFORE UPDATE OR DELETE ON isms.control
  FOR EACH ROW EXECUTE FUNCTION isms.catalogue_protect_builtin();
CREATE TRIGGER control_relation_protect_builtin BEFORE UPDATE OR DELETE ON isms.control_relation
  FOR EACH ROW EXECUTE FUNCTION isms.catalogue_protect_builtin();
CREATE TRIGGER mapping_source_protect_builtin BEFORE UPDATE OR DELETE ON isms.mapping_source
  FOR EACH ROW EXECUTE FUNCTION isms.catalogue_protect_builtin();

-- Nesting (control.parent_ref, control_group.parent_id) is checked by
-- constraint triggers, not by self-referencing foreign keys: pg_dump warns
-- about "circular foreign-key constraints" on every dump of an extension
-- configuration table that references itself.
CREATE FUNCTION isms.catalogue_check_parent() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF TG_TABLE_NAME = 'control' THEN
    IF TG_OP <> 'DELETE' AND NEW.parent_ref IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM isms.control c WHERE c.framework = NEW.framework AND c.ref = NEW.parent_ref) THEN
      RAISE EXCEPTION 'parent control "%" of control "%" does not exist in framework "%"',
                      NEW.parent_ref, NEW.ref, NEW.framework
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'control_parent_ref_exists';
    END IF;
    IF TG_OP <> 'INSERT' AND EXISTS (
         SELECT 1 FROM isms.control c WHERE c.framework = OLD.framework AND c.parent_ref = OLD.ref)
       AND NOT EXISTS (SELECT 1 FROM isms.control c WHERE c.framework = OLD.framework AND c.ref = OLD.ref) THEN
      RAISE EXCEPTION 'control "%" of framework "%" still has nested controls', OLD.ref, OLD.framework
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'control_parent_ref_exists';
    END IF;
  ELSE
    IF TG_OP <> 'DELETE' AND NEW.parent_id IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM isms.control_group g WHERE g.framework = NEW.framework AND g.id = NEW.parent_id) THEN
      RAISE EXCEPTION 'parent group "%" of group "%" does not exist in framework "%"',
                      NEW.parent_id, NEW.id, NEW.framework
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'control_group_parent_id_exists';
    END IF;
    IF TG_OP <> 'INSERT' AND EXISTS (
         SELECT 1 FROM isms.control_group g WHERE g.framework = OLD.framework AND g.parent_id = OLD.id)
       AND NOT EXISTS (SELECT 1 FROM isms.control_group g WHERE g.framework = OLD.framework AND g.id = OLD.id) THEN
      RAISE EXCEPTION 'group "%" of framework "%" still has nested groups', OLD.id, OLD.framework
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'control_group_parent_id_exists';
    END IF;
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.catalogue_check_parent() IS
  'Constraint trigger function: a nested control or group needs its parent in the same framework, and a parent with children stays (SQLSTATE 23503)';

CREATE CONSTRAINT TRIGGER control_parent_ref_exists
  AFTER INSERT OR UPDATE OR DELETE ON isms.control
  FOR EACH ROW EXECUTE FUNCTION isms.catalogue_check_parent();
CREATE CONSTRAINT TRIGGER control_group_parent_id_exists
  AFTER INSERT OR UPDATE OR DELETE ON isms.control_group
  FOR EACH ROW EXECUTE FUNCTION isms.catalogue_check_parent();

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.catalogue_protect_builtin', 'internal', NULL),
  ('isms.catalogue_check_parent', 'internal', NULL);
