-- Part of 0.1.0 -> 0.2.0 for sql/240_soa_views.sql: "percent implemented"
-- is one function, isms.percent_implemented, which the compliance views
-- call (also isms.privacy_summary, sql/630_privacy_views.sql), and what
-- each SoA entry counts as is one view, isms.soa_entry_counts, which they
-- sum (issue 17).  The views are made again on both; nothing depends on
-- them.  isms.record_of_processing and isms.risk_register, which count
-- with the same rule, are made again in 630_privacy_views.sql and
-- 350_risk_views.sql.

DROP VIEW isms.compliance_summary;
DROP VIEW isms.compliance_by_attribute;
DROP VIEW isms.privacy_summary;

-- The one rule for "percent implemented", used by every compliance view.
-- Kept inlinable (no SET search_path, so the views plan it as the
-- expression itself): every name in it is schema-qualified, so a caller's
-- search_path cannot change what it calls.
CREATE FUNCTION isms.percent_implemented(implemented bigint, applicable bigint) RETURNS numeric
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE WHEN applicable OPERATOR(pg_catalog.=) 0 THEN NULL
              ELSE pg_catalog.round(100.0 OPERATOR(pg_catalog.*) implemented OPERATOR(pg_catalog./) applicable, 1) END
$$;
COMMENT ON FUNCTION isms.percent_implemented(bigint, bigint) IS
  'Implemented controls as a percentage of the applicable ones, one decimal; NULL when nothing applies (the rule of every compliance view)';
INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.percent_implemented', 'read', NULL);

-- The one rule for counting SoA entries (issue 17): which entry counts as
-- undecided, applicable, not applicable, and, of the applicable ones, as
-- implemented, partial, planned or not started.  One row per entry with a
-- 0/1 column per category, so every count is a sum of one column: the
-- compliance views, isms.privacy_summary, isms.record_of_processing,
-- isms.risk_register (and through it isms.risk_as_of) and
-- isms.readiness_checks read it instead of spelling the conditions out.  A
-- plain projection of isms.soa_entry, so the planner inlines it: a filter
-- on scope still uses the key, and summing costs what count(*) FILTER did.
CREATE VIEW isms.soa_entry_counts AS
SELECT e.scope,
       e.framework,
       e.control_ref,
       CASE WHEN e.applicable IS NULL THEN 1 ELSE 0 END AS undecided,
       CASE WHEN e.applicable THEN 1 ELSE 0 END AS applicable,
       CASE WHEN NOT e.applicable THEN 1 ELSE 0 END AS not_applicable,
       CASE WHEN e.applicable AND e.status = 'implemented' THEN 1 ELSE 0 END AS implemented,
       CASE WHEN e.applicable AND e.status = 'partial' THEN 1 ELSE 0 END AS partial,
       CASE WHEN e.applicable AND e.status = 'planned' THEN 1 ELSE 0 END AS planned,
       CASE WHEN e.applicable AND e.status = 'not_started' THEN 1 ELSE 0 END AS not_started
  FROM isms.soa_entry e;
COMMENT ON VIEW isms.soa_entry_counts IS
  'The SoA counting rule, in one place: one row per SoA entry with 1 in each category the entry counts in and 0 elsewhere; every compliance view sums these columns (percent: isms.percent_implemented)';
COMMENT ON COLUMN isms.soa_entry_counts.scope IS 'ISMS scope (isms.soa_entry.scope)';
COMMENT ON COLUMN isms.soa_entry_counts.framework IS 'Framework of the control (isms.soa_entry.framework)';
COMMENT ON COLUMN isms.soa_entry_counts.control_ref IS 'Control reference (isms.soa_entry.control_ref)';
COMMENT ON COLUMN isms.soa_entry_counts.undecided IS '1 when applicability is not decided yet (applicable IS NULL), else 0';
COMMENT ON COLUMN isms.soa_entry_counts.applicable IS '1 when the control is included (applicable true), else 0';
COMMENT ON COLUMN isms.soa_entry_counts.not_applicable IS '1 when the control is excluded (applicable false), else 0';
COMMENT ON COLUMN isms.soa_entry_counts.implemented IS '1 when the control is applicable and its status is implemented, else 0';
COMMENT ON COLUMN isms.soa_entry_counts.partial IS '1 when the control is applicable and its status is partial, else 0';
COMMENT ON COLUMN isms.soa_entry_counts.planned IS '1 when the control is applicable and its status is planned, else 0';
COMMENT ON COLUMN isms.soa_entry_counts.not_started IS
  '1 when the control is applicable and its status is not_started, else 0 (an undecided or excluded entry counts in no status)';

CREATE VIEW isms.compliance_summary AS
SELECT e.scope,
       e.framework,
       c.theme,
       count(*) AS controls,
       sum(e.undecided) AS undecided,
       sum(e.applicable) AS applicable,
       sum(e.not_applicable) AS not_applicable,
       sum(e.implemented) AS implemented,
       sum(e.partial) AS partial,
       sum(e.planned) AS planned,
       sum(e.not_started) AS not_started,
       isms.percent_implemented(sum(e.implemented), sum(e.applicable)) AS percent_implemented
  FROM isms.soa_entry_counts e
  JOIN isms.control c ON c.framework = e.framework AND c.ref = e.control_ref
 GROUP BY e.scope, e.framework, c.theme;
COMMENT ON VIEW isms.compliance_summary IS
  'Compliance per scope, framework and theme: how many controls, how many apply, how many of those are implemented';
COMMENT ON COLUMN isms.compliance_summary.scope IS 'ISMS scope';
COMMENT ON COLUMN isms.compliance_summary.framework IS 'Framework';
COMMENT ON COLUMN isms.compliance_summary.theme IS 'Control theme (NULL for controls without one)';
COMMENT ON COLUMN isms.compliance_summary.controls IS 'Controls of the theme in the scope''s SoA';
COMMENT ON COLUMN isms.compliance_summary.undecided IS 'Controls whose applicability is not decided yet';
COMMENT ON COLUMN isms.compliance_summary.applicable IS 'Controls included (applicable)';
COMMENT ON COLUMN isms.compliance_summary.not_applicable IS 'Controls excluded (not applicable)';
COMMENT ON COLUMN isms.compliance_summary.implemented IS 'Applicable controls with status implemented';
COMMENT ON COLUMN isms.compliance_summary.partial IS 'Applicable controls with status partial';
COMMENT ON COLUMN isms.compliance_summary.planned IS 'Applicable controls with status planned';
COMMENT ON COLUMN isms.compliance_summary.not_started IS 'Applicable controls with status not_started';
COMMENT ON COLUMN isms.compliance_summary.percent_implemented IS
  'implemented / applicable in percent, one decimal; NULL when nothing applies';

CREATE VIEW isms.compliance_by_attribute AS
WITH control_value AS (
  SELECT c.framework, c.ref, a.family, a.value
    FROM isms.control c
   CROSS JOIN LATERAL isms.control_attribute_values(c) AS a
)
SELECT e.scope,
       e.framework,
       a.family,
       a.value,
       count(*) AS controls,
       sum(e.undecided) AS undecided,
       sum(e.applicable) AS applicable,
       sum(e.not_applicable) AS not_applicable,
       sum(e.implemented) AS implemented,
       isms.percent_implemented(sum(e.implemented), sum(e.applicable)) AS percent_implemented
  FROM isms.soa_entry_counts e
  JOIN control_value a ON a.framework = e.framework AND a.ref = e.control_ref
 GROUP BY e.scope, e.framework, a.family, a.value;
COMMENT ON VIEW isms.compliance_by_attribute IS
  'Compliance per scope, framework, attribute family and value: the five ISO/IEC 27002 families and every key of control.attributes';
COMMENT ON COLUMN isms.compliance_by_attribute.scope IS 'ISMS scope';
COMMENT ON COLUMN isms.compliance_by_attribute.framework IS 'Framework';
COMMENT ON COLUMN isms.compliance_by_attribute.family IS
  'Attribute family: control_type, security_properties, cybersecurity_concepts, operational_capabilities, security_domains, or a key of control.attributes (e.g. role)';
COMMENT ON COLUMN isms.compliance_by_attribute.value IS 'Attribute value, e.g. Detective or Availability';
COMMENT ON COLUMN isms.compliance_by_attribute.controls IS 'Controls carrying the value in the scope''s SoA';
COMMENT ON COLUMN isms.compliance_by_attribute.undecided IS 'Of those, not decided yet';
COMMENT ON COLUMN isms.compliance_by_attribute.applicable IS 'Of those, included (applicable)';
COMMENT ON COLUMN isms.compliance_by_attribute.not_applicable IS 'Of those, excluded';
COMMENT ON COLUMN isms.compliance_by_attribute.implemented IS 'Applicable controls with status implemented';
COMMENT ON COLUMN isms.compliance_by_attribute.percent_implemented IS
  'implemented / applicable in percent, one decimal; NULL when nothing applies';

CREATE VIEW isms.privacy_summary AS
WITH act AS (
  SELECT a.scope,
         count(*) AS activities,
         count(*) FILTER (WHERE a.lawful_basis = 'consent') AS basis_consent,
         count(*) FILTER (WHERE a.lawful_basis = 'contract') AS basis_contract,
         count(*) FILTER (WHERE a.lawful_basis = 'legal_obligation') AS basis_legal_obligation,
         count(*) FILTER (WHERE a.lawful_basis = 'vital_interests') AS basis_vital_interests,
         count(*) FILTER (WHERE a.lawful_basis = 'public_task') AS basis_public_task,
         count(*) FILTER (WHERE a.lawful_basis = 'legitimate_interests') AS basis_legitimate_interests,
         count(*) FILTER (WHERE a.last_reviewed IS NULL OR a.last_reviewed < CURRENT_DATE - 365) AS not_reviewed_last_year,
         count(*) FILTER (WHERE a.next_review < CURRENT_DATE) AS review_overdue,
         count(*) FILTER (WHERE a.next_review IS NULL) AS no_review_scheduled,
         count(*) FILTER (WHERE cardinality(a.transfer_destinations) > 0) AS with_transfers,
         count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM isms.processing_activity_control l
                                             WHERE l.activity = a.id)) AS without_security_measures
    FROM isms.processing_activity a
   GROUP BY a.scope
), dest AS (
  SELECT a.scope, array_agg(DISTINCT d ORDER BY d) AS transfer_destinations
    FROM isms.processing_activity a
   CROSS JOIN LATERAL unnest(a.transfer_destinations) AS d
   GROUP BY a.scope
), annex AS (
  SELECT e.scope, e.framework,
         coalesce(c.attributes ->> 'annex', c.theme) AS annex,
         isms.control_privacy_roles(c.attributes) AS roles,
         min(c.position) AS first_position,
         count(*) AS controls,
         sum(e.undecided) AS undecided,
         sum(e.applicable) AS applicable,
         sum(e.not_applicable) AS not_applicable,
         sum(e.implemented) AS implemented,
         isms.percent_implemented(sum(e.implemented), sum(e.applicable)) AS percent_implemented
    FROM isms.soa_entry_counts e
    JOIN isms.control c ON c.framework = e.framework AND c.ref = e.control_ref
   WHERE cardinality(isms.control_privacy_roles(c.attributes)) > 0
   GROUP BY e.scope, e.framework, 3, 4
), soa AS (
  SELECT scope,
         jsonb_agg(jsonb_build_object(
           'framework', framework, 'annex', annex, 'roles', to_jsonb(roles), 'controls', controls,
           'undecided', undecided, 'applicable', applicable, 'not_applicable', not_applicable,
           'implemented', implemented, 'percent_implemented', percent_implemented)
           ORDER BY framework, first_position) AS soa_by_annex
    FROM annex
   GROUP BY scope
)
SELECT s.id AS scope,
       p.role AS privacy_role,
       coalesce(act.activities, 0) AS activities,
       coalesce(act.basis_consent, 0) AS basis_consent,
       coalesce(act.basis_contract, 0) AS basis_contract,
       coalesce(act.basis_legal_obligation, 0) AS basis_legal_obligation,
       coalesce(act.basis_vital_interests, 0) AS basis_vital_interests,
       coalesce(act.basis_public_task, 0) AS basis_public_task,
       coalesce(act.basis_legitimate_interests, 0) AS basis_legitimate_interests,
       coalesce(act.not_reviewed_last_year, 0) AS not_reviewed_last_year,
       coalesce(act.review_overdue, 0) AS review_overdue,
       coalesce(act.no_review_scheduled, 0) AS no_review_scheduled,
       coalesce(act.with_transfers, 0) AS with_transfers,
       coalesce(dest.transfer_destinations, '{}') AS transfer_destinations,
       coalesce(act.without_security_measures, 0) AS without_security_measures,
       coalesce(soa.soa_by_annex, '[]') AS soa_by_annex
  FROM isms.scope s
  LEFT JOIN isms.privacy_scope p ON p.scope = s.id
  LEFT JOIN act ON act.scope = s.id
  LEFT JOIN dest ON dest.scope = s.id
  LEFT JOIN soa ON soa.scope = s.id
 WHERE p.scope IS NOT NULL OR act.scope IS NOT NULL OR soa.scope IS NOT NULL;
COMMENT ON VIEW isms.privacy_summary IS
  'Privacy per scope (scopes with a privacy role, processing activities or privacy controls in their SoA): activities by lawful basis, reviews, transfers, and the privacy SoA per annex';
COMMENT ON COLUMN isms.privacy_summary.scope IS 'ISMS scope';
COMMENT ON COLUMN isms.privacy_summary.privacy_role IS 'controller, processor or both (isms.privacy_scope.role); NULL when not declared';
COMMENT ON COLUMN isms.privacy_summary.activities IS 'Processing activities recorded for the scope';
COMMENT ON COLUMN isms.privacy_summary.basis_consent IS 'Activities whose lawful basis is consent';
COMMENT ON COLUMN isms.privacy_summary.basis_contract IS 'Activities whose lawful basis is contract';
COMMENT ON COLUMN isms.privacy_summary.basis_legal_obligation IS 'Activities whose lawful basis is legal_obligation';
COMMENT ON COLUMN isms.privacy_summary.basis_vital_interests IS 'Activities whose lawful basis is vital_interests';
COMMENT ON COLUMN isms.privacy_summary.basis_public_task IS 'Activities whose lawful basis is public_task';
COMMENT ON COLUMN isms.privacy_summary.basis_legitimate_interests IS 'Activities whose lawful basis is legitimate_interests';
COMMENT ON COLUMN isms.privacy_summary.not_reviewed_last_year IS
  'Activities never reviewed or not reviewed in the last 365 days';
COMMENT ON COLUMN isms.privacy_summary.review_overdue IS 'Activities whose next review is before today';
COMMENT ON COLUMN isms.privacy_summary.no_review_scheduled IS 'Activities without a next review date';
COMMENT ON COLUMN isms.privacy_summary.with_transfers IS 'Activities transferring data outside the origin jurisdiction';
COMMENT ON COLUMN isms.privacy_summary.transfer_destinations IS 'All transfer destinations of the scope, distinct and sorted';
COMMENT ON COLUMN isms.privacy_summary.without_security_measures IS 'Activities with no linked control';
COMMENT ON COLUMN isms.privacy_summary.soa_by_annex IS
  'Privacy SoA per framework and annex: JSON array of {framework, annex, roles, controls, undecided, applicable, not_applicable, implemented, percent_implemented} in framework order (flat per annex: isms.compliance_summary, whose theme is the annex)';
