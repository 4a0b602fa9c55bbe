-- 600_privacy: ISO/IEC 27701 on top of the ISMS.  The scope "default" acts as
-- PII controller (a web shop); a second scope "hosting" is a PII processor
-- for its customers.  Each gets the annex of its role in its SoA, the shop
-- keeps its records of processing, and their reviews go on the calendar.
\echo
\echo '=== ISO/IEC 27701:2019 in the catalogue: controls per annex and role'
SELECT theme, attributes ->> 'role' AS role, count(*) AS controls
  FROM isms.control WHERE framework = 'iso27701-2019' GROUP BY theme, role ORDER BY min(position);
\echo '=== ISO/IEC 27701:2025 beside it (framework iso27701-2025; no 2019 -> 2025 correspondence is shipped)'
SELECT theme, attributes ->> 'role' AS role, count(*) AS controls
  FROM isms.control WHERE framework = 'iso27701-2025' GROUP BY theme, role ORDER BY min(position);

INSERT INTO isms.scope (id, name, description)
VALUES ('hosting', 'ACME hosting', 'Managed shop hosting run for business customers');
INSERT INTO isms.privacy_scope (scope, role, contact) VALUES
  ('default', 'controller', 'dpo@acme.example'),
  ('hosting', 'processor', 'privacy@acme.example');

\echo '=== soa_init offers each scope the annex of its privacy role'
SELECT s.scope, s.role, isms.soa_init(s.scope, 'iso27701-2019') AS entries_offered
  FROM isms.privacy_scope s ORDER BY s.scope;

UPDATE isms.soa_entry e
   SET applicable = true,
       justification = 'PII of customers and staff is processed',
       owner = 'Data protection officer',
       status = (ARRAY['implemented', 'implemented', 'partial', 'planned', 'not_started']
                 )[1 + (c.position * 3) % 5]::isms.implementation_status,
       last_reviewed = CURRENT_DATE - 60, next_review = CURRENT_DATE + 305
  FROM isms.control c
 WHERE c.framework = e.framework AND c.ref = e.control_ref
   AND e.framework = 'iso27701-2019' AND e.scope IN ('default', 'hosting');
UPDATE isms.soa_entry
   SET applicable = false, justification = 'No automated decisions about individuals are taken', status = 'not_started',
       owner = NULL, last_reviewed = NULL, next_review = NULL
 WHERE scope = 'default' AND framework = 'iso27701-2019' AND control_ref = 'A.7.3.10';

\echo '=== Privacy SoA by annex (isms.compliance_summary: the theme is the annex)'
SELECT scope, theme, controls, applicable, not_applicable, implemented, percent_implemented
  FROM isms.compliance_summary WHERE framework = 'iso27701-2019' ORDER BY scope, theme;

INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, lawful_basis_detail,
    data_subject_categories, personal_data_categories, recipients, transfer_destinations, transfer_safeguards,
    retention, owner, last_reviewed, next_review) VALUES
  ('default', 'Order handling', 'Deliver and invoice orders', 'contract', NULL,
   '{customers}', '{name,postal address,e-mail,order history}', '{parcel service,payment provider}',
   '{US}', 'Standard contractual clauses (2021/914)', '10 years after the order (commercial and tax law)',
   'Head of sales', CURRENT_DATE - 90, CURRENT_DATE + 275),
  ('default', 'Newsletter', 'Send offers to subscribers', 'consent', 'Double opt-in; consent log kept in the CRM',
   '{subscribers}', '{e-mail,click history}', '{mailing service}', '{}', NULL,
   'Until consent is withdrawn, then 3 years as proof of consent', 'Marketing lead', CURRENT_DATE - 200, CURRENT_DATE + 165),
  ('default', 'Payroll', 'Pay staff and meet tax and social security duties', 'legal_obligation',
   'Tax and social security law', '{employees}', '{bank account,salary,tax id}', '{tax office,payroll provider}',
   '{IN}', 'Standard contractual clauses with the payroll provider', '10 years after the end of employment', 'HR lead',
   CURRENT_DATE - 420, CURRENT_DATE - 55),
  ('default', 'Warehouse CCTV', 'Protect goods and staff', 'legitimate_interests',
   'Theft prevention in the warehouse', '{visitors,staff}', '{video}', '{}', '{}', NULL, '72 hours', 'Facilities',
   NULL, CURRENT_DATE + 20);
INSERT INTO isms.processing_activity_control (activity, framework, control_ref, note)
SELECT a.id, m.framework, m.ref, m.note
  FROM isms.processing_activity a
  JOIN (VALUES ('Order handling', 'iso27001-2022', '8.24', 'TLS to payment provider and parcel service'),
               ('Order handling', 'iso27001-2022', '5.34', NULL),
               ('Order handling', 'iso27701-2019', 'A.7.5.1', 'Transfer basis documented'),
               ('Newsletter', 'iso27701-2019', 'A.7.2.4', 'Consent log'),
               ('Payroll', 'iso27001-2022', '8.3', 'Payroll data restricted to HR'),
               ('Payroll', 'iso27001-2022', '8.24', NULL)) AS m(activity, framework, ref, note)
    ON m.activity = a.name AND a.scope = 'default';

\echo '=== Record of processing activities (isms.record_of_processing)'
SELECT name, lawful_basis, data_subject_categories, retention, transfer_destinations,
       measures_count, measures_implemented, next_review, review_overdue
  FROM isms.record_of_processing WHERE scope = 'default' ORDER BY id;

\echo '=== Privacy summary per scope (isms.privacy_summary)'
SELECT scope, privacy_role, activities, basis_consent, basis_contract, basis_legal_obligation,
       basis_legitimate_interests, not_reviewed_last_year, review_overdue, with_transfers, transfer_destinations,
       without_security_measures
  FROM isms.privacy_summary ORDER BY scope;
SELECT scope, a ->> 'framework' AS framework, a ->> 'annex' AS annex, a -> 'roles' AS roles,
       a ->> 'applicable' AS applicable, a ->> 'implemented' AS implemented, a ->> 'percent_implemented' AS percent
  FROM isms.privacy_summary, jsonb_array_elements(soa_by_annex) AS a ORDER BY scope, annex;

\echo '=== Reviews of the records on the calendar (isms.reminder, kind processing_review)'
SELECT r.summary, r.owner, r.due, r.status, r.sequence
  FROM isms.reminder r WHERE r.kind = 'processing_review' ORDER BY r.due;

\echo '=== The DPO reviews the overdue payroll record: the calendar entry moves'
SELECT name, last_reviewed, next_review
  FROM isms.processing_activity_reviewed((SELECT id FROM isms.processing_activity WHERE name = 'Payroll'));
SELECT r.summary, r.due, r.sequence FROM isms.reminder r
  JOIN isms.processing_activity a ON r.subject = 'isms.processing_activity'::regclass AND r.subject_key = a.id::text
 WHERE a.name = 'Payroll';

\echo '=== The same reviews in the iCalendar feed (isms.ical_export, read back with isms.ical_events)'
SELECT summary, kind, first_day, sequence, cancelled
  FROM isms.ical_events(isms.ical_export('default', ARRAY['processing_review'])) ORDER BY first_day;
