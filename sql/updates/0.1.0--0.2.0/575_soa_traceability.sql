-- Part of 0.1.0 -> 0.2.0 for sql/575_soa_traceability.sql (issue 18): every object in it is new in 0.2.0,
-- so the part is that file as it is (keep the two the same).

-- A traceable Statement of Applicability (ISO/IEC 27001 6.1.3): for every
-- SoA entry the reasons it is there (the open risks it treats, from
-- isms.risk_control; the requirements in force it meets, from
-- isms.soa_requirement; its business need), whether an applicable control
-- has at least one, and how fresh its evidence is.  isms.soa_traceability
-- is also the SoA export with reasons (docs/reference/soa.md); readiness
-- (580) turns untraced applicable controls into blockers.  In this file,
-- not in 260, because it reads the risk register (300s).

-- The state of an entry's evidence on a day: none (no reference), undated,
-- expired (evidence_date + evidence_validity before the day) or current.
CREATE FUNCTION isms.evidence_state(evidence text[], evidence_date date, evidence_validity interval, as_of date)
  RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN coalesce(pg_catalog.cardinality(evidence), 0) OPERATOR(pg_catalog.=) 0 THEN 'none'
              WHEN evidence_date IS NULL THEN 'undated'
              WHEN (evidence_date OPERATOR(pg_catalog.+) evidence_validity)::date OPERATOR(pg_catalog.<) as_of THEN 'expired'
              ELSE 'current' END
$$;
COMMENT ON FUNCTION isms.evidence_state(text[], date, interval, date) IS
  'State of SoA evidence on a day: none (no reference), undated (no evidence_date), expired (evidence_date + evidence_validity before the day) or current';

CREATE VIEW isms.soa_traceability AS
SELECT e.scope,
       e.framework,
       e.control_ref,
       c.title,
       c.theme,
       e.applicable,
       e.justification,
       e.status,
       e.owner,
       coalesce(r.risks, '{}') AS risks,
       coalesce(q.requirements, '{}') AS requirements,
       e.business_need,
       ARRAY_REMOVE(ARRAY[CASE WHEN r.risks IS NOT NULL THEN 'risk' END,
                          CASE WHEN q.requirements IS NOT NULL THEN 'requirement' END,
                          CASE WHEN e.business_need IS NOT NULL THEN 'business_need' END], NULL) AS reasons,
       (r.risks IS NOT NULL OR q.requirements IS NOT NULL OR e.business_need IS NOT NULL) AS traced,
       e.evidence,
       e.evidence_date,
       e.evidence_validity,
       (e.evidence_date + e.evidence_validity)::date AS evidence_valid_until,
       isms.evidence_state(e.evidence, e.evidence_date, e.evidence_validity, CURRENT_DATE) AS evidence_state,
       c.position
  FROM isms.soa_entry e
  JOIN isms.control c ON c.framework = e.framework AND c.ref = e.control_ref
  LEFT JOIN LATERAL (
         SELECT array_agg(k.ref ORDER BY k.ref) AS risks
           FROM isms.risk_control l
           JOIN isms.risk k ON k.id = l.risk_id
          WHERE l.framework = e.framework AND l.control_ref = e.control_ref
            AND k.scope = e.scope AND k.status <> 'closed') r ON true
  LEFT JOIN LATERAL (
         SELECT array_agg(x.ref ORDER BY x.ref) AS requirements
           FROM isms.soa_requirement s
           JOIN isms.requirement x ON x.scope = s.scope AND x.id = s.requirement
          WHERE s.scope = e.scope AND s.framework = e.framework AND s.control_ref = e.control_ref
            AND (x.retired_on IS NULL OR x.retired_on > CURRENT_DATE)) q ON true;
COMMENT ON VIEW isms.soa_traceability IS
  'The Statement of Applicability with the reasons of ISO/IEC 27001 6.1.3 for every entry (risks treated, requirements met, business need), whether it is traced, and the freshness of its evidence; the SoA export with reasons';
COMMENT ON COLUMN isms.soa_traceability.scope IS 'ISMS scope';
COMMENT ON COLUMN isms.soa_traceability.framework IS 'Framework of the control';
COMMENT ON COLUMN isms.soa_traceability.control_ref IS 'Control reference';
COMMENT ON COLUMN isms.soa_traceability.title IS 'Control title';
COMMENT ON COLUMN isms.soa_traceability.theme IS 'Control theme';
COMMENT ON COLUMN isms.soa_traceability.applicable IS 'true = included, false = excluded, NULL = not decided yet';
COMMENT ON COLUMN isms.soa_traceability.justification IS 'Why the control is included or excluded';
COMMENT ON COLUMN isms.soa_traceability.status IS 'Implementation status';
COMMENT ON COLUMN isms.soa_traceability.owner IS 'Person or role responsible';
COMMENT ON COLUMN isms.soa_traceability.risks IS 'References of the open risks of the scope the control treats (isms.risk_control), sorted';
COMMENT ON COLUMN isms.soa_traceability.requirements IS 'References of the requirements in force the control meets (isms.soa_requirement), sorted';
COMMENT ON COLUMN isms.soa_traceability.business_need IS 'The business need stated for the control (isms.soa_entry.business_need)';
COMMENT ON COLUMN isms.soa_traceability.reasons IS 'Which kinds of reason the entry has: risk, requirement, business_need (empty when none)';
COMMENT ON COLUMN isms.soa_traceability.traced IS 'true when the entry has at least one reason; an applicable entry that is not traced blocks certification readiness';
COMMENT ON COLUMN isms.soa_traceability.evidence IS 'Evidence references';
COMMENT ON COLUMN isms.soa_traceability.evidence_date IS 'Date of the evidence (NULL: undated)';
COMMENT ON COLUMN isms.soa_traceability.evidence_validity IS 'How long the evidence stays valid';
COMMENT ON COLUMN isms.soa_traceability.evidence_valid_until IS 'evidence_date + evidence_validity (NULL when undated)';
COMMENT ON COLUMN isms.soa_traceability.evidence_state IS 'none, undated, expired or current (today)';
COMMENT ON COLUMN isms.soa_traceability.position IS 'Order of the control in its framework (sort by framework, position)';

CREATE VIEW isms.soa_stale_evidence AS
SELECT e.scope,
       e.framework,
       e.control_ref,
       c.title,
       e.owner,
       e.status,
       e.evidence,
       e.evidence_date,
       (e.evidence_date + e.evidence_validity)::date AS evidence_valid_until,
       isms.evidence_state(e.evidence, e.evidence_date, e.evidence_validity, CURRENT_DATE) AS evidence_state,
       CASE WHEN isms.evidence_state(e.evidence, e.evidence_date, e.evidence_validity, CURRENT_DATE) = 'expired'
            THEN CURRENT_DATE - (e.evidence_date + e.evidence_validity)::date END AS days_expired,
       c.position
  FROM isms.soa_entry e
  JOIN isms.control c ON c.framework = e.framework AND c.ref = e.control_ref
 WHERE e.applicable
   AND isms.evidence_state(e.evidence, e.evidence_date, e.evidence_validity, CURRENT_DATE) <> 'current';
COMMENT ON VIEW isms.soa_stale_evidence IS
  'Applicable controls whose evidence is stale today: none recorded, undated, or past evidence_date + evidence_validity';
COMMENT ON COLUMN isms.soa_stale_evidence.scope IS 'ISMS scope';
COMMENT ON COLUMN isms.soa_stale_evidence.framework IS 'Framework of the control';
COMMENT ON COLUMN isms.soa_stale_evidence.control_ref IS 'Control reference';
COMMENT ON COLUMN isms.soa_stale_evidence.title IS 'Control title';
COMMENT ON COLUMN isms.soa_stale_evidence.owner IS 'Person or role responsible (who must renew the evidence)';
COMMENT ON COLUMN isms.soa_stale_evidence.status IS 'Implementation status';
COMMENT ON COLUMN isms.soa_stale_evidence.evidence IS 'Evidence references';
COMMENT ON COLUMN isms.soa_stale_evidence.evidence_date IS 'Date of the evidence (NULL: undated)';
COMMENT ON COLUMN isms.soa_stale_evidence.evidence_valid_until IS 'Last day the evidence was valid (NULL when undated)';
COMMENT ON COLUMN isms.soa_stale_evidence.evidence_state IS 'none, undated or expired';
COMMENT ON COLUMN isms.soa_stale_evidence.days_expired IS 'Days since the evidence expired (NULL unless expired)';
COMMENT ON COLUMN isms.soa_stale_evidence.position IS 'Order of the control in its framework';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.evidence_state', 'read', NULL);
