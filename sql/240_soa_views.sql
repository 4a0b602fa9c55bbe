-- Dashboard views over the SoA (flat, every column commented) and
-- isms.soa_as_of, which rebuilds the SoA view of a past moment from
-- isms.change_log.

CREATE VIEW isms.statement_of_applicability AS
SELECT e.scope,
       e.framework,
       e.control_ref,
       c.title,
       c.theme,
       c.control_type,
       c.security_properties,
       c.cybersecurity_concepts,
       c.operational_capabilities,
       c.security_domains,
       c.attributes,
       e.applicable,
       e.justification,
       e.status,
       e.owner,
       pg_catalog.cardinality(e.evidence) AS evidence_count,
       e.evidence,
       e.last_reviewed,
       e.next_review,
       coalesce(e.next_review < CURRENT_DATE, false) AS review_overdue,
       c.position
  FROM isms.soa_entry e
  JOIN isms.control c ON c.framework = e.framework AND c.ref = e.control_ref;
COMMENT ON VIEW isms.statement_of_applicability IS
  'The Statement of Applicability: one flat row per scope and control in its SoA, with the control''s title, theme and attributes';
COMMENT ON COLUMN isms.statement_of_applicability.scope IS 'ISMS scope (isms.scope.id)';
COMMENT ON COLUMN isms.statement_of_applicability.framework IS 'Framework of the control, e.g. iso27001-2022';
COMMENT ON COLUMN isms.statement_of_applicability.control_ref IS 'Control reference, e.g. 5.1';
COMMENT ON COLUMN isms.statement_of_applicability.title IS 'Control title';
COMMENT ON COLUMN isms.statement_of_applicability.theme IS 'Control theme (Organizational, People, Physical, Technological for ISO/IEC 27001:2022)';
COMMENT ON COLUMN isms.statement_of_applicability.control_type IS 'ISO/IEC 27002 control type values';
COMMENT ON COLUMN isms.statement_of_applicability.security_properties IS 'ISO/IEC 27002 information security properties';
COMMENT ON COLUMN isms.statement_of_applicability.cybersecurity_concepts IS 'ISO/IEC 27002 cybersecurity concepts';
COMMENT ON COLUMN isms.statement_of_applicability.operational_capabilities IS 'ISO/IEC 27002 operational capabilities';
COMMENT ON COLUMN isms.statement_of_applicability.security_domains IS 'ISO/IEC 27002 security domains';
COMMENT ON COLUMN isms.statement_of_applicability.attributes IS 'Framework-specific attributes (jsonb object)';
COMMENT ON COLUMN isms.statement_of_applicability.applicable IS 'true = included, false = excluded, NULL = not decided yet';
COMMENT ON COLUMN isms.statement_of_applicability.justification IS 'Why the control is included or excluded';
COMMENT ON COLUMN isms.statement_of_applicability.status IS 'Implementation status: not_started, planned, partial, implemented';
COMMENT ON COLUMN isms.statement_of_applicability.owner IS 'Person or role responsible for the control';
COMMENT ON COLUMN isms.statement_of_applicability.evidence_count IS 'Number of evidence references';
COMMENT ON COLUMN isms.statement_of_applicability.evidence IS 'Evidence references (document ids, URLs, tickets)';
COMMENT ON COLUMN isms.statement_of_applicability.last_reviewed IS 'Date of the last review';
COMMENT ON COLUMN isms.statement_of_applicability.next_review IS 'Date the next review is due';
COMMENT ON COLUMN isms.statement_of_applicability.review_overdue IS 'true when next_review is before today';
COMMENT ON COLUMN isms.statement_of_applicability.position IS 'Order of the control in its framework (sort by framework, position)';

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

CREATE FUNCTION isms.soa_as_of(scope text, as_of timestamptz)
  RETURNS SETOF isms.statement_of_applicability
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  WITH event AS (
    -- Each log entry says "this key now holds this row" (new_row) and, when
    -- the key changed or the row went, "the old key holds nothing" (old_row).
    SELECT k.framework, k.control_ref, l.id, v.ord, v.state
      FROM isms.change_log l
     CROSS JOIN LATERAL (VALUES (l.old_row, NULL::jsonb, 0), (l.new_row, l.new_row, 1)) AS v(keyrow, state, ord)
     CROSS JOIN LATERAL (SELECT v.keyrow OPERATOR(pg_catalog.->>) 'scope' AS scope,
                                v.keyrow OPERATOR(pg_catalog.->>) 'framework' AS framework,
                                v.keyrow OPERATOR(pg_catalog.->>) 'control_ref' AS control_ref) AS k
     WHERE l.table_name OPERATOR(pg_catalog.=) 'isms.soa_entry'
       AND l.logged_at OPERATOR(pg_catalog.<=) soa_as_of.as_of
       AND v.keyrow IS NOT NULL
       AND k.scope OPERATOR(pg_catalog.=) soa_as_of.scope
  ), latest AS (
    SELECT DISTINCT ON (framework, control_ref) state
      FROM event
     ORDER BY framework, control_ref, id DESC, ord DESC
  )
  SELECT e.scope, e.framework, e.control_ref, c.title, c.theme,
         c.control_type, c.security_properties, c.cybersecurity_concepts,
         c.operational_capabilities, c.security_domains, c.attributes,
         e.applicable, e.justification, e.status, e.owner,
         pg_catalog.cardinality(e.evidence), e.evidence, e.last_reviewed, e.next_review,
         coalesce(e.next_review OPERATOR(pg_catalog.<) soa_as_of.as_of::date, false),
         c.position
    FROM latest
   CROSS JOIN LATERAL pg_catalog.jsonb_populate_record(NULL::isms.soa_entry, latest.state) AS e
    JOIN isms.control c ON c.framework OPERATOR(pg_catalog.=) e.framework
                       AND c.ref OPERATOR(pg_catalog.=) e.control_ref
   WHERE latest.state IS NOT NULL
$$;
COMMENT ON FUNCTION isms.soa_as_of(text, timestamptz) IS
  'The rows isms.statement_of_applicability showed for the scope at a past moment, rebuilt from isms.change_log (catalogue columns as they are now)';

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

-- Every attribute value of a control, one row per family and value.  Not
-- inlined (it has SET options), so the planner takes its ROWS estimate
-- instead of guessing 100 rows per unnest and JIT-compiling a query over a
-- few hundred controls.
CREATE FUNCTION isms.control_attribute_values(control isms.control)
  RETURNS TABLE (family text, value text)
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 12
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT 'control_type', v::text FROM unnest(control.control_type) AS v
  UNION ALL
  SELECT 'security_properties', v::text FROM unnest(control.security_properties) AS v
  UNION ALL
  SELECT 'cybersecurity_concepts', v::text FROM unnest(control.cybersecurity_concepts) AS v
  UNION ALL
  SELECT 'operational_capabilities', v::text FROM unnest(control.operational_capabilities) AS v
  UNION ALL
  SELECT 'security_domains', v::text FROM unnest(control.security_domains) AS v
  UNION ALL
  SELECT j.key, x.value
    FROM jsonb_each(control.attributes) AS j
   CROSS JOIN LATERAL (
           SELECT j.value #>> '{}' WHERE jsonb_typeof(j.value) IN ('string', 'number', 'boolean')
           UNION ALL
           SELECT t FROM jsonb_array_elements_text(
             CASE WHEN jsonb_typeof(j.value) = 'array' THEN j.value ELSE '[]' END) AS t
         ) AS x(value)
$$;
COMMENT ON FUNCTION isms.control_attribute_values(isms.control) IS
  'The attribute values of a control, one row per family and value: the five ISO/IEC 27002 families, then every string, number, boolean or array-of-those key of control.attributes';

-- The values are computed once per control (a few hundred rows under the
-- hash) and hash-joined to the SoA entries.  Unnesting per SoA entry made
-- the planner sort 100k rows; a MATERIALIZED CTE hid the statistics of
-- control, so the join was estimated at a few dozen rows and sorted too.
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

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.percent_implemented', 'read', NULL),
  ('isms.soa_as_of', 'read', NULL),
  ('isms.control_attribute_values', 'read', NULL);
