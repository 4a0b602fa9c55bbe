-- Part of 0.1.0 -> 0.2.0 for sql/260_requirement.sql (issue 18): every object in it is new in 0.2.0,
-- so the part is that file as it is (keep the two the same).

-- Why each control is in the Statement of Applicability (ISO/IEC 27001
-- 6.1.3): legal, regulatory and contractual requirements of a scope
-- (isms.requirement, also the clause 4.2 needs of interested parties) and
-- their links to SoA entries (isms.soa_requirement).  The other two reasons
-- are a treated risk (isms.risk_control) and a business need
-- (isms.soa_entry.business_need); isms.soa_traceability (575) puts the three
-- together and isms.readiness_checks makes an untraced applicable control a
-- blocker.

CREATE TYPE isms.requirement_kind AS ENUM ('legal', 'regulatory', 'contractual');
COMMENT ON TYPE isms.requirement_kind IS
  'Kind of an external requirement a control can be chosen for (ISO/IEC 27001 6.1.3): legal (a law), regulatory (a regulator''s rule or licence condition), contractual (a customer or supplier contract)';

CREATE TABLE isms.requirement (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scope       text NOT NULL REFERENCES isms.scope (id) ON UPDATE CASCADE,
  ref         text NOT NULL
              CONSTRAINT requirement_ref_format CHECK (ref ~ '^[^[:space:][:cntrl:]]([^[:cntrl:]]{0,62}[^[:space:][:cntrl:]])?$'),
  kind        isms.requirement_kind NOT NULL,
  source      text NOT NULL CONSTRAINT requirement_source_not_blank CHECK (btrim(source) <> ''),
  reference   text CONSTRAINT requirement_reference_not_blank CHECK (btrim(reference) <> ''),
  description text NOT NULL CONSTRAINT requirement_description_not_blank CHECK (btrim(description) <> ''),
  owner       text CONSTRAINT requirement_owner_not_blank CHECK (btrim(owner) <> ''),
  applies_from date CONSTRAINT requirement_applies_from_finite CHECK (isfinite(applies_from)),
  retired_on  date CONSTRAINT requirement_retired_on_finite CHECK (isfinite(retired_on)),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT requirement_scope_ref_key UNIQUE (scope, ref),
  -- Target of the same-scope foreign key of isms.soa_requirement.
  CONSTRAINT requirement_scope_id_key UNIQUE (scope, id),
  CONSTRAINT requirement_retired_after_start CHECK (retired_on >= applies_from)
);
COMMENT ON TABLE isms.requirement IS
  'Legal, regulatory and contractual requirements of a scope (ISO/IEC 27001 4.2 and 6.1.3): a reason for choosing controls, linked to SoA entries by isms.soa_requirement';
COMMENT ON COLUMN isms.requirement.id IS 'Requirement id';
COMMENT ON COLUMN isms.requirement.scope IS 'Scope the requirement applies to (isms.scope.id)';
COMMENT ON COLUMN isms.requirement.ref IS 'Short reference, unique in the scope, e.g. GDPR-32 (1 to 64 characters, no surrounding blanks)';
COMMENT ON COLUMN isms.requirement.kind IS 'legal, regulatory or contractual';
COMMENT ON COLUMN isms.requirement.source IS 'Where it comes from: the law, regulation or contract, e.g. Regulation (EU) 2016/679 (GDPR)';
COMMENT ON COLUMN isms.requirement.reference IS 'Article, section or clause in the source, e.g. Art. 32(1)(b)';
COMMENT ON COLUMN isms.requirement.description IS 'What the requirement demands';
COMMENT ON COLUMN isms.requirement.owner IS 'Who keeps track of the requirement (e.g. legal counsel)';
COMMENT ON COLUMN isms.requirement.applies_from IS 'Day from which the requirement applies (NULL: already in force)';
COMMENT ON COLUMN isms.requirement.retired_on IS 'Day from which it no longer applies; a retired requirement is no reason for a control';
COMMENT ON COLUMN isms.requirement.created_at IS 'When the requirement was recorded (management reviews report new ones as changes of interested parties'' needs)';
SELECT pg_catalog.pg_extension_config_dump('isms.requirement', '');
SELECT pg_catalog.pg_extension_config_dump('isms.requirement_id_seq', '');
COMMENT ON SEQUENCE isms.requirement_id_seq IS 'Identity of isms.requirement.id';

CREATE TABLE isms.soa_requirement (
  scope       text NOT NULL,
  framework   text NOT NULL,
  control_ref text NOT NULL,
  requirement bigint NOT NULL,
  note        text CONSTRAINT soa_requirement_note_not_blank CHECK (btrim(note) <> ''),
  linked_at   timestamptz NOT NULL DEFAULT now(),
  linked_by   text NOT NULL DEFAULT current_user,
  PRIMARY KEY (scope, framework, control_ref, requirement),
  CONSTRAINT soa_requirement_entry_fkey FOREIGN KEY (scope, framework, control_ref)
    REFERENCES isms.soa_entry (scope, framework, control_ref) ON UPDATE CASCADE ON DELETE CASCADE,
  -- Same scope on both sides; a requirement in use cannot be deleted (retire it).
  CONSTRAINT soa_requirement_requirement_fkey FOREIGN KEY (scope, requirement)
    REFERENCES isms.requirement (scope, id) ON UPDATE CASCADE
);
CREATE INDEX soa_requirement_requirement_idx ON isms.soa_requirement (requirement);
COMMENT ON TABLE isms.soa_requirement IS
  'Which requirement (isms.requirement) each SoA entry is there for: the legal, regulatory or contractual reason of ISO/IEC 27001 6.1.3, within one scope';
COMMENT ON COLUMN isms.soa_requirement.scope IS 'Scope of the SoA entry and of the requirement (the same)';
COMMENT ON COLUMN isms.soa_requirement.framework IS 'Framework of the control';
COMMENT ON COLUMN isms.soa_requirement.control_ref IS 'Control reference';
COMMENT ON COLUMN isms.soa_requirement.requirement IS 'The requirement (isms.requirement.id) the control is chosen for';
COMMENT ON COLUMN isms.soa_requirement.note IS 'How the control meets the requirement';
COMMENT ON COLUMN isms.soa_requirement.linked_at IS 'When the link was made';
COMMENT ON COLUMN isms.soa_requirement.linked_by IS 'Role that made the link';
SELECT pg_catalog.pg_extension_config_dump('isms.soa_requirement', '');

SELECT isms.attach_change_log('isms.requirement');
SELECT isms.attach_change_log('isms.soa_requirement');
