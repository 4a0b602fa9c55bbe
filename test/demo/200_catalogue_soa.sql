-- 200_catalogue_soa: the Annex A catalogue, a Statement of Applicability for
-- the scope "default" with a realistic mix of decisions, and what a CISO and
-- an auditor look at.
\echo
\echo '=== Control catalogue: ISO/IEC 27001:2022 Annex A by theme'
SELECT theme, count(*) AS controls FROM isms.control
 WHERE framework = 'iso27001-2022' GROUP BY theme ORDER BY min(position);

\echo '=== All Detective controls that protect Availability (GIN-indexed attributes)'
SELECT ref, title FROM isms.control
 WHERE control_type @> '{Detective}' AND security_properties @> '{Availability}' ORDER BY position;

SELECT isms.soa_init('default', 'iso27001-2022') AS soa_entries_created \gset
UPDATE isms.soa_entry e
   SET applicable = true,
       justification = 'Treats risks of the information security risk assessment 2026',
       owner = CASE c.theme WHEN 'People' THEN 'HR lead' WHEN 'Physical' THEN 'Facilities'
                            WHEN 'Technological' THEN 'IT operations' ELSE 'CISO' END,
       status = (ARRAY['implemented', 'implemented', 'implemented', 'partial', 'planned', 'not_started']
                 )[1 + (c.position * 7) % 6]::isms.implementation_status,
       evidence = CASE WHEN c.position % 3 = 0 THEN ARRAY['ISMS-DOC-' || c.position] ELSE '{}' END,
       last_reviewed = date '2026-01-15',
       next_review = CASE WHEN c.position % 11 = 0 THEN date '2026-06-30' ELSE date '2027-01-15' END
  FROM isms.control c
 WHERE c.framework = e.framework AND c.ref = e.control_ref AND e.scope = 'default';
UPDATE isms.soa_entry
   SET applicable = false, justification = 'No software is developed within the scope', status = 'not_started',
       owner = NULL, evidence = '{}', last_reviewed = NULL, next_review = NULL
 WHERE scope = 'default' AND control_ref IN ('8.25', '8.26', '8.27', '8.28', '8.29', '8.30', '8.31');

\echo '=== Compliance by theme (isms.compliance_summary)'
SELECT theme, controls, applicable, not_applicable, implemented, partial, planned, not_started, percent_implemented
  FROM isms.compliance_summary WHERE scope = 'default' AND framework = 'iso27001-2022' ORDER BY theme;

\echo '=== Compliance by cybersecurity concept (isms.compliance_by_attribute)'
SELECT value, applicable, implemented, percent_implemented
  FROM isms.compliance_by_attribute
 WHERE scope = 'default' AND framework = 'iso27001-2022' AND family = 'cybersecurity_concepts'
 ORDER BY value::isms.cybersecurity_concept;

\echo '=== Statement of Applicability (first 12 rows)'
SELECT control_ref, title, applicable, status, owner, evidence_count, next_review, review_overdue
  FROM isms.statement_of_applicability WHERE scope = 'default' ORDER BY framework, position LIMIT 12;

\echo '=== Where did the 2013 access-control clause go? (isms.control_mapping)'
SELECT m.source_ref AS iso27001_2013, o.title AS old_title, m.target_ref AS iso27001_2022, n.title AS new_title
  FROM isms.control_mapping m
  JOIN isms.control o ON o.framework = m.source_framework AND o.ref = m.source_ref
  JOIN isms.control n ON n.framework = m.target_framework AND n.ref = m.target_ref
 WHERE o.group_id = 'A.9' ORDER BY o.position;

\echo '=== Who changed the SoA (isms.change_log)'
SELECT actor, op, count(*) AS rows FROM isms.change_log
 WHERE table_name = 'isms.soa_entry' GROUP BY actor, op ORDER BY op;
