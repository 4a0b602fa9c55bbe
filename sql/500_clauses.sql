-- ISO/IEC 27001:2022 clauses 4-10 are the framework iso27001-2022-clauses
-- (seeded into isms.control by 501_clause_seed.sql, nested by parent_ref);
-- isms.document_requirement lists the documented information each clause
-- requires, which isms.certification_readiness looks for in the register of
-- documented information (isms.document).

CREATE TABLE isms.document_requirement (
  id         text PRIMARY KEY
             CONSTRAINT document_requirement_id_format CHECK (id ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
  framework  text NOT NULL DEFAULT 'iso27001-2022-clauses',
  clause_ref text NOT NULL,
  title      text NOT NULL CONSTRAINT document_requirement_title_not_blank CHECK (btrim(title) <> ''),
  position   integer NOT NULL DEFAULT pg_catalog.nextval('isms.catalogue_position_seq'),
  builtin    boolean NOT NULL DEFAULT false,
  FOREIGN KEY (framework, clause_ref) REFERENCES isms.control (framework, ref)
);
CREATE INDEX document_requirement_clause ON isms.document_requirement (framework, clause_ref);
COMMENT ON TABLE isms.document_requirement IS
  'Documented information a clause requires (ISO/IEC 27001:2022 clauses 4-10, seeded), which isms.certification_readiness expects in isms.document; users may add their own';
COMMENT ON COLUMN isms.document_requirement.id IS
  'Id of the item, e.g. information-security-policy, statement-of-applicability (lower-case letters, digits, "_", "-", ".")';
COMMENT ON COLUMN isms.document_requirement.framework IS 'Framework of the requiring clause (iso27001-2022-clauses for the seeds)';
COMMENT ON COLUMN isms.document_requirement.clause_ref IS 'Clause that requires the documented information, e.g. 5.2';
COMMENT ON COLUMN isms.document_requirement.title IS 'What must be documented (titles only, never the text of the standard)';
COMMENT ON COLUMN isms.document_requirement.position IS 'Order of the item (document order of the standard for the seeds)';
COMMENT ON COLUMN isms.document_requirement.builtin IS 'true for seeded rows (recreated by CREATE EXTENSION, not dumped, read-only)';

SELECT pg_catalog.pg_extension_config_dump('isms.document_requirement', 'WHERE NOT builtin');

CREATE TRIGGER document_requirement_protect_builtin BEFORE UPDATE OR DELETE ON isms.document_requirement
  FOR EACH ROW EXECUTE FUNCTION isms.catalogue_protect_builtin();
