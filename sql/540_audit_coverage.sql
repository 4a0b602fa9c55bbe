-- What an audit covered (ISO/IEC 27001:2022 9.2.2: the audit programme and
-- the scope of each audit): one row per clause or control.  A clause covers
-- its sub-clauses.  isms.certification_readiness reads it to decide whether
-- the internal audits of the last 12 months covered the whole scope.

CREATE TABLE isms.audit_coverage (
  audit       bigint NOT NULL REFERENCES isms.audit (id) ON DELETE CASCADE,
  framework   text NOT NULL,
  control_ref text NOT NULL,
  PRIMARY KEY (audit, framework, control_ref),
  FOREIGN KEY (framework, control_ref) REFERENCES isms.control (framework, ref)
);
CREATE INDEX audit_coverage_control ON isms.audit_coverage (framework, control_ref);
COMMENT ON TABLE isms.audit_coverage IS
  'Clauses (iso27001-2022-clauses; a clause covers its sub-clauses) and controls (e.g. iso27001-2022) an audit covered';
COMMENT ON COLUMN isms.audit_coverage.audit IS 'The audit (isms.audit.id)';
COMMENT ON COLUMN isms.audit_coverage.framework IS 'Framework of the clause or control';
COMMENT ON COLUMN isms.audit_coverage.control_ref IS 'Clause or control reference, e.g. 9.2 or 8.8';
SELECT pg_catalog.pg_extension_config_dump('isms.audit_coverage', '');

CREATE FUNCTION isms.audit_cover_scope(audit bigint) RETURNS integer
  LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  s text;
  added integer;
BEGIN
  SELECT a.scope INTO s FROM isms.audit a WHERE a.id OPERATOR(pg_catalog.=) audit_cover_scope.audit;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit % does not exist', audit_cover_scope.audit
      USING ERRCODE = 'foreign_key_violation', HINT = 'Audits are rows of isms.audit.';
  END IF;
  INSERT INTO isms.audit_coverage (audit, framework, control_ref)
  SELECT audit_cover_scope.audit, c.framework, c.ref
    FROM isms.control c
   WHERE c.framework OPERATOR(pg_catalog.=) 'iso27001-2022-clauses' AND c.parent_ref IS NULL
  UNION ALL
  SELECT audit_cover_scope.audit, e.framework, e.control_ref
    FROM isms.soa_entry e
   WHERE e.scope OPERATOR(pg_catalog.=) s AND e.framework OPERATOR(pg_catalog.=) 'iso27001-2022'
     AND e.applicable
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS added = ROW_COUNT;
  RETURN added;
END
$$;
COMMENT ON FUNCTION isms.audit_cover_scope(bigint) IS
  'Records that an audit covered its whole scope: clauses 4 to 10 and every Annex A control applicable in the scope''s SoA; returns how many rows were added (unknown audit 23503)';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.audit_cover_scope', 'write', NULL);
