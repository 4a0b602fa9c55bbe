-- The Statement of Applicability (ISO/IEC 27001 clause 6.1.3 d): one entry
-- per scope and control, with the decision, its justification, the
-- implementation status, owner, evidence and review dates.  Every change is
-- appended to isms.change_log, which isms.soa_as_of reads.

CREATE TYPE isms.implementation_status AS ENUM ('not_started', 'planned', 'partial', 'implemented');
COMMENT ON TYPE isms.implementation_status IS
  'How far a control is implemented: not_started, planned, partial, implemented (in that order)';

CREATE TABLE isms.soa_entry (
  scope         text NOT NULL REFERENCES isms.scope (id),
  framework     text NOT NULL,
  control_ref   text NOT NULL,
  applicable    boolean,
  justification text,
  status        isms.implementation_status NOT NULL DEFAULT 'not_started',
  owner         text CONSTRAINT soa_entry_owner_not_blank CHECK (btrim(owner) <> ''),
  evidence      text[] NOT NULL DEFAULT '{}'
                CONSTRAINT soa_entry_evidence_no_null CHECK (pg_catalog.array_position(evidence, NULL) IS NULL),
  last_reviewed date,
  next_review   date,
  -- Added in 0.2.0 (issue 18), last so an upgraded table has the same
  -- column order: the business need that justifies an included control
  -- (ISO/IEC 27001 6.1.3), and the date and validity of its evidence.
  business_need text CONSTRAINT soa_entry_business_need_not_blank CHECK (btrim(business_need) <> ''),
  evidence_date date CONSTRAINT soa_entry_evidence_date_finite CHECK (isfinite(evidence_date)),
  evidence_validity interval NOT NULL DEFAULT '1 year'
                CONSTRAINT soa_entry_evidence_validity_range
                CHECK (evidence_validity >= interval '1 day' AND evidence_validity <= interval '10 years'),
  PRIMARY KEY (scope, framework, control_ref),
  FOREIGN KEY (framework, control_ref) REFERENCES isms.control (framework, ref),
  -- Clause 6.1.3 d: the SoA justifies inclusions and exclusions alike.
  CONSTRAINT soa_entry_justification_required CHECK (
    applicable IS NULL OR coalesce(btrim(justification), '') <> ''),
  CONSTRAINT soa_entry_review_order CHECK (next_review >= last_reviewed)
);
CREATE INDEX soa_entry_control ON isms.soa_entry (framework, control_ref);
COMMENT ON TABLE isms.soa_entry IS
  'Statement of Applicability: per scope and control, whether it applies and why, how far it is implemented, who owns it, evidence and reviews';
COMMENT ON COLUMN isms.soa_entry.scope IS 'ISMS scope (isms.scope.id)';
COMMENT ON COLUMN isms.soa_entry.framework IS 'Framework of the control (isms.framework.id)';
COMMENT ON COLUMN isms.soa_entry.control_ref IS 'Reference of the control in its framework (isms.control.ref)';
COMMENT ON COLUMN isms.soa_entry.applicable IS
  'true = included, false = excluded, NULL = not decided yet (as created by isms.soa_init)';
COMMENT ON COLUMN isms.soa_entry.justification IS
  'Why the control is included or excluded; required as soon as applicable is decided';
COMMENT ON COLUMN isms.soa_entry.status IS 'Implementation status (isms.implementation_status)';
COMMENT ON COLUMN isms.soa_entry.owner IS 'Person or role responsible for the control in this scope';
COMMENT ON COLUMN isms.soa_entry.evidence IS 'References to evidence (document ids, URLs, ticket numbers)';
COMMENT ON COLUMN isms.soa_entry.last_reviewed IS 'When the entry was last reviewed';
COMMENT ON COLUMN isms.soa_entry.next_review IS 'When the entry is next due for review (not before last_reviewed)';
COMMENT ON COLUMN isms.soa_entry.business_need IS
  'Business need for which the control is included (one of the reasons ISO/IEC 27001 6.1.3 accepts, beside a treated risk and a requirement); NULL when none is stated';
COMMENT ON COLUMN isms.soa_entry.evidence_date IS
  'Date the evidence was produced or last checked; NULL when undated (then the evidence counts as stale, see isms.soa_stale_evidence)';
COMMENT ON COLUMN isms.soa_entry.evidence_validity IS
  'How long the evidence stays valid after evidence_date (1 day to 10 years, default 1 year)';

SELECT pg_catalog.pg_extension_config_dump('isms.soa_entry', '');

SELECT isms.attach_change_log('isms.soa_entry');

CREATE FUNCTION isms.soa_init(scope text, framework text) RETURNS integer
  LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  added integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM isms.scope s WHERE s.id OPERATOR(pg_catalog.=) soa_init.scope) THEN
    RAISE EXCEPTION 'scope "%" does not exist', soa_init.scope
      USING ERRCODE = 'foreign_key_violation', HINT = 'Scopes are rows of isms.scope.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM isms.framework f WHERE f.id OPERATOR(pg_catalog.=) soa_init.framework) THEN
    RAISE EXCEPTION 'framework "%" does not exist', soa_init.framework
      USING ERRCODE = 'foreign_key_violation', HINT = 'Frameworks are rows of isms.framework.';
  END IF;
  INSERT INTO isms.soa_entry (scope, framework, control_ref)
  SELECT soa_init.scope, c.framework, c.ref
    FROM isms.control c
   WHERE c.framework OPERATOR(pg_catalog.=) soa_init.framework
   ORDER BY c.position, c.ref
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS added = ROW_COUNT;
  RETURN added;
END
$$;
COMMENT ON FUNCTION isms.soa_init(text, text) IS
  'Adds an undecided SoA entry for every control of the framework not yet in the scope''s SoA; returns how many were added (0 on a second run)';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.soa_init', 'write', NULL);
