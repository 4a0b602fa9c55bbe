-- 240_soa_entry_counts: isms.soa_entry_counts is the one SoA counting rule
-- (issue 17).  Over an SoA with undecided, excluded and applicable entries
-- in every status (undecided and excluded ones carrying statuses too, which
-- must count nowhere), the view's per-entry columns and every view summing
-- them agree with the counts written out by hand on isms.soa_entry.
\i test/regress/setup.sql

INSERT INTO isms.scope (id, name) VALUES ('north', 'North'), ('south', 'South');
SELECT isms.soa_init('north', 'iso27001-2022') AS north, isms.soa_init('south', 'iso27001-2022') AS south,
       isms.soa_init('north', 'iso27701-2019') AS north_privacy;
-- Decisions by position (every fifth undecided, every fifth excluded), the
-- status independent of them, shifted per scope.
UPDATE isms.soa_entry e
   SET applicable = CASE c.position % 5 WHEN 0 THEN NULL WHEN 1 THEN false ELSE true END,
       justification = CASE WHEN c.position % 5 <> 0 THEN 'test decision' END,
       status = (ARRAY['not_started', 'planned', 'partial', 'implemented'])
                [1 + (c.position + CASE e.scope WHEN 'north' THEN 0 ELSE 1 END) % 4]::isms.implementation_status
  FROM isms.control c
 WHERE c.framework = e.framework AND c.ref = e.control_ref;

-- The SoA the test runs on, counted by hand: undecided and excluded entries
-- in every status.
SELECT e.scope, e.framework,
       CASE WHEN e.applicable IS NULL THEN 'undecided' WHEN e.applicable THEN 'applicable' ELSE 'excluded' END AS decision,
       count(*) FILTER (WHERE e.status = 'not_started') AS not_started,
       count(*) FILTER (WHERE e.status = 'planned') AS planned,
       count(*) FILTER (WHERE e.status = 'partial') AS partial,
       count(*) FILTER (WHERE e.status = 'implemented') AS implemented
  FROM isms.soa_entry e
 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- One row per entry; each entry in exactly one decision, an applicable one
-- in exactly one status, an undecided or excluded one in none.
SELECT (SELECT count(*) FROM isms.soa_entry) AS entries,
       count(*) AS rows,
       count(*) FILTER (WHERE undecided + applicable + not_applicable <> 1) AS not_one_decision,
       count(*) FILTER (WHERE implemented + partial + planned + not_started <> applicable) AS status_not_applicable_only,
       count(*) FILTER (WHERE undecided NOT IN (0, 1) OR applicable NOT IN (0, 1) OR not_applicable NOT IN (0, 1)
                          OR implemented NOT IN (0, 1) OR partial NOT IN (0, 1) OR planned NOT IN (0, 1)
                          OR not_started NOT IN (0, 1)) AS not_zero_or_one
  FROM isms.soa_entry_counts;

-- The view per scope and framework against the conditions written out.
WITH v AS (
  SELECT scope, framework, count(*) AS controls, sum(undecided) AS undecided, sum(applicable) AS applicable,
         sum(not_applicable) AS not_applicable, sum(implemented) AS implemented, sum(partial) AS partial,
         sum(planned) AS planned, sum(not_started) AS not_started
    FROM isms.soa_entry_counts GROUP BY 1, 2
), h AS (
  SELECT e.scope, e.framework, count(*) AS controls,
         count(*) FILTER (WHERE e.applicable IS NULL) AS undecided,
         count(*) FILTER (WHERE e.applicable) AS applicable,
         count(*) FILTER (WHERE NOT e.applicable) AS not_applicable,
         count(*) FILTER (WHERE e.applicable AND e.status = 'implemented') AS implemented,
         count(*) FILTER (WHERE e.applicable AND e.status = 'partial') AS partial,
         count(*) FILTER (WHERE e.applicable AND e.status = 'planned') AS planned,
         count(*) FILTER (WHERE e.applicable AND e.status = 'not_started') AS not_started
    FROM isms.soa_entry e GROUP BY 1, 2
)
SELECT v.*, (SELECT count(*) FROM ((TABLE v EXCEPT TABLE h) UNION ALL (TABLE h EXCEPT TABLE v)) d) AS differing
  FROM v ORDER BY scope, framework;

-- isms.compliance_summary: the same rows as the aggregate written on the
-- tables (the definition before issue 17), and their column types.
WITH h AS (
  SELECT e.scope, e.framework, c.theme, count(*) AS controls,
         count(*) FILTER (WHERE e.applicable IS NULL) AS undecided,
         count(*) FILTER (WHERE e.applicable) AS applicable,
         count(*) FILTER (WHERE NOT e.applicable) AS not_applicable,
         count(*) FILTER (WHERE e.applicable AND e.status = 'implemented') AS implemented,
         count(*) FILTER (WHERE e.applicable AND e.status = 'partial') AS partial,
         count(*) FILTER (WHERE e.applicable AND e.status = 'planned') AS planned,
         count(*) FILTER (WHERE e.applicable AND e.status = 'not_started') AS not_started,
         round(100.0 * count(*) FILTER (WHERE e.applicable AND e.status = 'implemented')
               / nullif(count(*) FILTER (WHERE e.applicable), 0), 1) AS percent_implemented
    FROM isms.soa_entry e JOIN isms.control c ON c.framework = e.framework AND c.ref = e.control_ref
   GROUP BY 1, 2, 3
), v AS (SELECT * FROM isms.compliance_summary)
SELECT (SELECT count(*) FROM v) AS view_rows, (SELECT count(*) FROM h) AS hand_rows,
       (SELECT count(*) FROM (TABLE v EXCEPT TABLE h) d) AS only_view,
       (SELECT count(*) FROM (TABLE h EXCEPT TABLE v) d) AS only_hand;
SELECT theme, controls, undecided, applicable, not_applicable, implemented, partial, planned, not_started, percent_implemented
  FROM isms.compliance_summary WHERE scope = 'north' AND framework = 'iso27001-2022' ORDER BY theme;
SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
 WHERE attrelid = 'isms.compliance_summary'::regclass AND attnum > 0 ORDER BY attnum;

-- isms.compliance_by_attribute, every family.
WITH h AS (
  SELECT e.scope, e.framework, a.family, a.value, count(*) AS controls,
         count(*) FILTER (WHERE e.applicable IS NULL) AS undecided,
         count(*) FILTER (WHERE e.applicable) AS applicable,
         count(*) FILTER (WHERE NOT e.applicable) AS not_applicable,
         count(*) FILTER (WHERE e.applicable AND e.status = 'implemented') AS implemented,
         round(100.0 * count(*) FILTER (WHERE e.applicable AND e.status = 'implemented')
               / nullif(count(*) FILTER (WHERE e.applicable), 0), 1) AS percent_implemented
    FROM isms.soa_entry e JOIN isms.control c ON c.framework = e.framework AND c.ref = e.control_ref
   CROSS JOIN LATERAL isms.control_attribute_values(c) AS a
   GROUP BY 1, 2, 3, 4
), v AS (SELECT * FROM isms.compliance_by_attribute)
SELECT (SELECT count(*) FROM v) AS view_rows, (SELECT count(*) FROM h) AS hand_rows,
       (SELECT count(*) FROM (TABLE v EXCEPT TABLE h) d) AS only_view,
       (SELECT count(*) FROM (TABLE h EXCEPT TABLE v) d) AS only_hand;

-- isms.privacy_summary: the SoA per annex of the privacy controls.
WITH h AS (
  SELECT e.scope, e.framework, coalesce(c.attributes ->> 'annex', c.theme) AS annex, count(*) AS controls,
         count(*) FILTER (WHERE e.applicable IS NULL) AS undecided,
         count(*) FILTER (WHERE e.applicable) AS applicable,
         count(*) FILTER (WHERE NOT e.applicable) AS not_applicable,
         count(*) FILTER (WHERE e.applicable AND e.status = 'implemented') AS implemented,
         round(100.0 * count(*) FILTER (WHERE e.applicable AND e.status = 'implemented')
               / nullif(count(*) FILTER (WHERE e.applicable), 0), 1) AS percent_implemented
    FROM isms.soa_entry e JOIN isms.control c ON c.framework = e.framework AND c.ref = e.control_ref
   WHERE cardinality(isms.control_privacy_roles(c.attributes)) > 0
   GROUP BY 1, 2, 3, isms.control_privacy_roles(c.attributes)
), v AS (
  SELECT p.scope, a ->> 'framework' AS framework, a ->> 'annex' AS annex, (a ->> 'controls')::bigint AS controls,
         (a ->> 'undecided')::bigint AS undecided, (a ->> 'applicable')::bigint AS applicable,
         (a ->> 'not_applicable')::bigint AS not_applicable, (a ->> 'implemented')::bigint AS implemented,
         (a ->> 'percent_implemented')::numeric AS percent_implemented
    FROM isms.privacy_summary p CROSS JOIN LATERAL jsonb_array_elements(p.soa_by_annex) AS a
)
SELECT (SELECT count(*) FROM v) AS view_annexes, (SELECT count(*) FROM h) AS hand_annexes,
       (SELECT count(*) FROM (TABLE v EXCEPT TABLE h) d) AS only_view,
       (SELECT count(*) FROM (TABLE h EXCEPT TABLE v) d) AS only_hand;

-- isms.record_of_processing: implemented measures, with a linked control
-- of each kind (applicable and implemented, applicable and partial,
-- excluded but implemented, undecided but implemented, no SoA entry).
INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories,
    personal_data_categories, retention, owner)
VALUES ('north', 'Payroll', 'Pay staff', 'contract', '{staff}', '{bank account}', '10 years', 'HR'),
       ('south', 'Newsletter', 'Marketing', 'consent', '{customers}', '{e-mail}', 'until withdrawn', 'Marketing');
UPDATE isms.soa_entry SET applicable = true, justification = 'test', status = 'implemented'
 WHERE scope = 'north' AND framework = 'iso27001-2022' AND control_ref = '8.24';
UPDATE isms.soa_entry SET applicable = true, justification = 'test', status = 'partial'
 WHERE scope = 'north' AND framework = 'iso27001-2022' AND control_ref = '8.13';
UPDATE isms.soa_entry SET applicable = false, justification = 'test', status = 'implemented'
 WHERE scope = 'north' AND framework = 'iso27001-2022' AND control_ref = '5.34';
UPDATE isms.soa_entry SET applicable = NULL, justification = NULL, status = 'implemented'
 WHERE scope = 'north' AND framework = 'iso27001-2022' AND control_ref = '8.12';
INSERT INTO isms.processing_activity_control (activity, framework, control_ref)
SELECT a.id, 'iso27001-2022', r
  FROM isms.processing_activity a, unnest('{8.24,8.13,5.34,8.12,8.11}'::text[]) AS r
 WHERE a.name = 'Payroll';
INSERT INTO isms.processing_activity_control (activity, framework, control_ref)
SELECT a.id, 'iso27001-2022', '8.24' FROM isms.processing_activity a WHERE a.name = 'Newsletter';
DELETE FROM isms.soa_entry WHERE scope = 'north' AND framework = 'iso27001-2022' AND control_ref = '8.11';
SELECT r.name, r.measures_count, r.measures_implemented,
       (SELECT count(*) FILTER (WHERE e.applicable AND e.status = 'implemented')
          FROM isms.processing_activity_control l
          LEFT JOIN isms.soa_entry e ON e.scope = r.scope AND e.framework = l.framework AND e.control_ref = l.control_ref
         WHERE l.activity = r.id) AS by_hand,
       pg_typeof(r.measures_implemented) AS type
  FROM isms.record_of_processing r ORDER BY r.name;

-- isms.risk_register and isms.risk_as_of: implemented linked controls.
INSERT INTO isms.risk (scope, ref, title, owner, inherent, next_review, matrix) VALUES
  ('north', 'R-1', 'Data leak', 'CISO', '4x4', current_date + 30, 'default'),
  ('south', 'R-1', 'Outage', 'COO', '3x3', current_date + 30, 'default'),
  ('north', 'R-2', 'Nothing linked', 'CISO', '2x2', current_date + 30, 'default');
SELECT count(isms.link_control(k.id, 'iso27001-2022', r, 0.5)) AS linked
  FROM isms.risk k, unnest('{8.24,8.13,5.34,8.12}'::text[]) AS r
 WHERE k.scope = 'north' AND k.ref = 'R-1';
SELECT count(isms.link_control(k.id, 'iso27001-2022', '8.24', 0.5)) AS linked FROM isms.risk k WHERE k.scope = 'south';
SELECT g.scope, g.ref, g.linked_control_count, g.implemented_control_count,
       (SELECT count(*) FILTER (WHERE e.applicable AND e.status = 'implemented')
          FROM isms.risk_control l
          LEFT JOIN isms.soa_entry e ON e.scope = g.scope AND e.framework = l.framework AND e.control_ref = l.control_ref
         WHERE l.risk_id = g.risk_id) AS by_hand,
       h.implemented_control_count AS as_of_now,
       pg_typeof(g.implemented_control_count) AS type
  FROM isms.risk_register g
  JOIN isms.risk_as_of(clock_timestamp()) h ON h.risk_id = g.risk_id
 ORDER BY g.scope, g.ref;
-- The past counts with the rule too: 8.24 of south, applicable but not
-- started, is implemented now; the register changes, the past does not.
SELECT clock_timestamp() AS before_decision \gset
UPDATE isms.soa_entry SET applicable = true, justification = 'test', status = 'implemented'
 WHERE scope = 'south' AND framework = 'iso27001-2022' AND control_ref = '8.24';
SELECT g.implemented_control_count AS now, h.implemented_control_count AS before
  FROM isms.risk_register g JOIN isms.risk_as_of(:'before_decision') h ON h.risk_id = g.risk_id
 WHERE g.scope = 'south';

-- isms.readiness_checks: the SoA figures per Annex A theme and for clause 6
-- against the counts written out, over every Annex A control (north lacks
-- an entry for 8.11: a control without an entry is undecided).
WITH s AS (
  SELECT c.group_id, e.scope IS NOT NULL AS has_entry, e.applicable, e.status
    FROM isms.control c
    LEFT JOIN isms.soa_entry e ON e.framework = c.framework AND e.control_ref = c.ref AND e.scope = 'north'
   WHERE c.framework = 'iso27001-2022'
), h AS (
  SELECT 'annex_a_theme' AS area, s.group_id AS ref,
         format('Statement of Applicability: %s controls, %s decided, %s applicable, %s of them implemented',
                count(*), count(*) FILTER (WHERE s.applicable IS NOT NULL), count(*) FILTER (WHERE s.applicable),
                count(*) FILTER (WHERE s.applicable AND s.status = 'implemented')) AS text
    FROM s GROUP BY s.group_id
  UNION ALL
  SELECT 'clause', '6', format('Statement of Applicability: %s of %s Annex A controls decided (%s applicable, %s excluded), each with a justification',
                               count(*) FILTER (WHERE s.applicable IS NOT NULL), count(*),
                               count(*) FILTER (WHERE s.applicable), count(*) FILTER (WHERE NOT s.applicable))
    FROM s
  UNION ALL
  SELECT 'clause', '6 (gap)', format('%s of %s Annex A controls not decided', count(*) FILTER (WHERE s.applicable IS NULL), count(*))
    FROM s
), v AS (
  SELECT k.area, k.ref, k.evidence AS text
    FROM isms.readiness_checks('north') k WHERE k.rule = 'soa_complete' AND k.evidence IS NOT NULL
  UNION ALL
  SELECT k.area, k.ref || ' (' || k.status || ')', substring(k.what FROM '^[0-9]+ of [0-9]+ Annex A controls not decided')
    FROM isms.readiness_checks('north') k WHERE k.rule = 'soa_complete' AND k.area = 'clause'
)
SELECT v.area, v.ref, v.text, v.text = h.text AS same_as_by_hand
  FROM v FULL JOIN h ON h.area = v.area AND h.ref = v.ref ORDER BY 1, 2;
