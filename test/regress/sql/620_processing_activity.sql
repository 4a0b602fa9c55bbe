-- 61_processing_activity: records of processing (constraints, lawful basis
-- vocabulary, required retention), security measures as links to controls,
-- the review reminders, isms.processing_activity_reviewed, and the views
-- isms.record_of_processing and isms.privacy_summary.
\i test/regress/setup.sql

INSERT INTO isms.scope (id, name) VALUES ('shop', 'ACME web shop'), ('cloud', 'ACME hosting');
INSERT INTO isms.privacy_scope (scope, role, contact) VALUES ('shop', 'controller', 'dpo@acme.example');

-- The lawful bases, in GDPR Article 6(1) order.
SELECT enum_range(NULL::isms.lawful_basis);

INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, lawful_basis_detail,
    data_subject_categories, personal_data_categories, recipients, transfer_destinations, transfer_safeguards,
    retention, owner, last_reviewed, next_review)
VALUES ('shop', 'Order handling', 'Deliver and invoice orders', 'contract', NULL,
        '{customers}', '{name,postal address,e-mail,order history}', '{parcel service,payment provider}',
        '{US}', 'Standard contractual clauses 2021', '10 years after the order (commercial law)', 'Head of sales',
        '2026-01-10', '2027-01-10'),
       ('shop', 'Newsletter', 'Send offers to subscribers', 'consent', 'Double opt-in, consent log in the CRM',
        '{subscribers}', '{e-mail,click history}', '{}', '{}', NULL, 'Until consent is withdrawn', 'Marketing lead',
        NULL, '2026-12-01');
SELECT id, scope, name, lawful_basis, data_subject_categories, transfer_destinations, retention, next_review
  FROM isms.processing_activity ORDER BY id;
SELECT id AS orders FROM isms.processing_activity WHERE name = 'Order handling' \gset
SELECT id AS newsletter FROM isms.processing_activity WHERE name = 'Newsletter' \gset

-- Bad records, each with its SQLSTATE; nothing of them is written.
SELECT count(*) AS log_before FROM isms.change_log \gset
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner)
     VALUES ('shop', 'X', 'p', 'consnet', '{a}', '{b}', 'r', 'o')$$),
  ($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner)
     VALUES ('shop', 'X', 'p', 'Consent', '{a}', '{b}', 'r', 'o')$$),
  ($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner)
     VALUES ('shop', 'X', 'p', NULL, '{a}', '{b}', 'r', 'o')$$),
  ($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner)
     VALUES ('shop', 'X', 'p', 'contract', '{a}', '{b}', NULL, 'o')$$),
  ($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner)
     VALUES ('shop', 'X', 'p', 'contract', '{a}', '{b}', '   ', 'o')$$),
  ($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner)
     VALUES ('shop', 'X', ' ', 'contract', '{a}', '{b}', 'r', 'o')$$),
  ($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner)
     VALUES ('shop', '', 'p', 'contract', '{a}', '{b}', 'r', 'o')$$),
  ($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner)
     VALUES ('shop', 'X', 'p', 'contract', '{a}', '{b}', 'r', NULL)$$),
  ($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner)
     VALUES ('shop', 'X', 'p', 'contract', '{}', '{b}', 'r', 'o')$$),
  ($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner)
     VALUES ('shop', 'X', 'p', 'contract', '{a,NULL}', '{b}', 'r', 'o')$$),
  ($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner)
     VALUES ('shop', 'X', 'p', 'contract', '{a}', '{"b"," "}', 'r', 'o')$$),
  ($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner)
     VALUES ('shop', 'X', 'p', 'contract', '{{a},{b}}', '{b}', 'r', 'o')$$),
  ($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner, recipients)
     VALUES ('shop', 'X', 'p', 'contract', '{a}', '{b}', 'r', 'o', '{""}')$$),
  ($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner, transfer_destinations)
     VALUES ('shop', 'X', 'p', 'contract', '{a}', '{b}', 'r', 'o', '{US}')$$),
  ($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner, last_reviewed, next_review)
     VALUES ('shop', 'X', 'p', 'contract', '{a}', '{b}', 'r', 'o', '2026-05-01', '2026-04-30')$$),
  ($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner, next_review)
     VALUES ('shop', 'X', 'p', 'contract', '{a}', '{b}', 'r', 'o', 'infinity')$$),
  ($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner)
     VALUES ('nowhere', 'X', 'p', 'contract', '{a}', '{b}', 'r', 'o')$$),
  ($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner)
     VALUES ('shop', 'Newsletter', 'p', 'contract', '{a}', '{b}', 'r', 'o')$$),
  ($$INSERT INTO isms.processing_activity (id, scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner)
     VALUES (99, 'shop', 'X', 'p', 'contract', '{a}', '{b}', 'r', 'o')$$),
  ($$UPDATE isms.processing_activity SET retention = NULL WHERE name = 'Newsletter'$$),
  ($$UPDATE isms.processing_activity SET lawful_basis = 'legitimate interest' WHERE name = 'Newsletter'$$),
  ($$UPDATE isms.processing_activity SET transfer_safeguards = NULL WHERE name = 'Order handling'$$),
  ($$UPDATE isms.processing_activity SET next_review = '2025-01-01' WHERE name = 'Order handling'$$)) AS t(s);
SELECT count(*) AS activities, count(*) FILTER (WHERE name = 'X') AS bad_rows,
       (SELECT count(*) FROM isms.change_log) - :log_before AS new_log_entries,
       (SELECT count(*) FROM isms.reminder) AS reminders
  FROM isms.processing_activity;
SELECT name, lawful_basis, retention, transfer_safeguards, next_review FROM isms.processing_activity ORDER BY id;

-- Each activity with a next review is on the calendar.
SELECT kind, subject, subject_key, scope, owner, summary, description, due, alarms, sequence, status
  FROM isms.reminder ORDER BY subject_key::int;

-- A change the calendar does not show writes nothing; a new date, owner or
-- name is SEQUENCE + 1; no next review cancels; a new one schedules again;
-- deleting the activity cancels (the reminder stays for the calendars).
UPDATE isms.processing_activity SET recipients = '{parcel service,payment provider,tax adviser}' WHERE name = 'Order handling';
SELECT subject_key, due, sequence, status FROM isms.reminder WHERE subject_key = :'orders';
UPDATE isms.processing_activity SET next_review = '2027-02-01' WHERE name = 'Order handling';
SELECT subject_key, due, sequence, status FROM isms.reminder WHERE subject_key = :'orders';
UPDATE isms.processing_activity SET owner = 'Sales operations' WHERE name = 'Order handling';
SELECT subject_key, owner, sequence, status FROM isms.reminder WHERE subject_key = :'orders';
UPDATE isms.processing_activity SET next_review = NULL WHERE name = 'Newsletter';
SELECT subject_key, due, sequence, status FROM isms.reminder WHERE subject_key = :'newsletter';
UPDATE isms.processing_activity SET next_review = '2027-03-01' WHERE name = 'Newsletter';
SELECT subject_key, due, sequence, status FROM isms.reminder WHERE subject_key = :'newsletter';
-- An activity without a next review gets no reminder.
INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories,
    personal_data_categories, retention, owner)
VALUES ('shop', 'CCTV', 'Protect the warehouse', 'legitimate_interests', '{visitors,staff}', '{video}', '72 hours', 'Facilities');
SELECT id AS cctv FROM isms.processing_activity WHERE name = 'CCTV' \gset
SELECT count(*) AS cctv_reminders FROM isms.reminder WHERE subject_key = :'cctv';

-- Recording a review moves last_reviewed, next_review and the reminder.
SELECT name, last_reviewed, next_review FROM isms.processing_activity_reviewed(:newsletter, '2026-03-01');
SELECT name, last_reviewed, next_review FROM isms.processing_activity_reviewed(:cctv, '2026-02-15', '6 months');
SELECT subject_key, due, sequence, status FROM isms.reminder WHERE subject_key IN (:'newsletter', :'cctv') ORDER BY subject_key::int;
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$SELECT isms.processing_activity_reviewed(42, '2026-01-01')$$),
  ($$SELECT isms.processing_activity_reviewed(1, '2026-01-01', '0 days')$$),
  ($$SELECT isms.processing_activity_reviewed(1, '2026-01-01', '6 years')$$),
  ($$SELECT isms.processing_activity_reviewed(1, '-infinity')$$)) AS t(s);
SELECT split_part(pg_temp.try($$SELECT isms.processing_activity_reviewed(1, CURRENT_DATE + 1)$$), ':', 1) AS future_review;
SELECT isms.processing_activity_reviewed(1, NULL) IS NULL AS strict;
SELECT name, last_reviewed, next_review FROM isms.processing_activity WHERE id = 1;

-- Security measures are links to controls of any framework.
SELECT isms.soa_init('shop', 'iso27001-2022') AS annex_a_entries, isms.soa_init('shop', 'iso27701-2019') AS privacy_entries;
UPDATE isms.soa_entry SET applicable = true, justification = 'Consent-based marketing', status = 'implemented'
 WHERE scope = 'shop' AND control_ref IN ('A.7.2.3', 'A.7.2.4');
UPDATE isms.soa_entry SET applicable = true, justification = 'Customer data', status = 'implemented'
 WHERE scope = 'shop' AND control_ref IN ('8.24', '8.13');
UPDATE isms.soa_entry SET applicable = true, justification = 'Customer data', status = 'planned'
 WHERE scope = 'shop' AND control_ref = '5.34';
INSERT INTO isms.processing_activity_control (activity, framework, control_ref, note) VALUES
  (:orders, 'iso27001-2022', '8.24', 'TLS to the payment provider'),
  (:orders, 'iso27001-2022', '8.13', NULL),
  (:orders, 'iso27001-2022', '5.34', NULL),
  (:orders, 'iso27701-2019', 'A.7.5.1', 'Transfer basis recorded'),
  (:newsletter, 'iso27701-2019', 'A.7.2.4', 'Consent log');
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$INSERT INTO isms.processing_activity_control (activity, framework, control_ref) VALUES (1, 'iso27001-2022', '9.99')$$),
  ($$INSERT INTO isms.processing_activity_control (activity, framework, control_ref) VALUES (42, 'iso27001-2022', '8.24')$$),
  ($$INSERT INTO isms.processing_activity_control (activity, framework, control_ref) VALUES (1, 'iso27001-2022', '8.24')$$),
  ($$INSERT INTO isms.processing_activity_control (activity, framework, control_ref, note) VALUES (1, 'iso27001-2022', '8.5', '')$$)) AS t(s);
SELECT count(*) AS links FROM isms.processing_activity_control;

-- The record of processing, one flat row per activity.
SELECT scope_name, privacy_role, contact, name, lawful_basis, recipients, transfer_destinations,
       security_measures, measures_count, measures_implemented, owner, next_review
  FROM isms.record_of_processing ORDER BY id;
SELECT count(DISTINCT id) = count(*) AS one_row_per_activity FROM isms.record_of_processing;

-- The privacy summary: by lawful basis, reviews, transfers, measures.  The
-- review columns are computed against today, so the data is made relative.
UPDATE isms.processing_activity SET last_reviewed = CURRENT_DATE - 30, next_review = CURRENT_DATE + 335
 WHERE name IN ('Order handling', 'Newsletter');
UPDATE isms.processing_activity SET last_reviewed = NULL, next_review = NULL WHERE name = 'CCTV';
INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories,
    personal_data_categories, transfer_destinations, transfer_safeguards, retention, owner, last_reviewed, next_review)
VALUES ('shop', 'Payroll', 'Pay staff', 'legal_obligation', '{employees}', '{bank account,salary}', '{CH,IN}',
        'Adequacy decision (CH); standard contractual clauses (IN)', '10 years', 'HR',
        CURRENT_DATE - 400, CURRENT_DATE - 35),
       ('shop', 'Support tickets', 'Answer customers', 'contract', '{customers}', '{e-mail}', '{US}', 'Data privacy framework',
        '2 years', 'Support lead', CURRENT_DATE - 10, CURRENT_DATE + 355),
       ('cloud', 'Hosting for customers', 'Run customer shops', 'contract', '{customers of customers}', '{any}', '{}', NULL,
        'End of contract + 30 days', 'Head of hosting', CURRENT_DATE - 100, CURRENT_DATE + 265);
SELECT scope, privacy_role, activities, basis_consent, basis_contract, basis_legal_obligation, basis_vital_interests,
       basis_public_task, basis_legitimate_interests
  FROM isms.privacy_summary ORDER BY scope;
SELECT scope, not_reviewed_last_year, review_overdue, no_review_scheduled, with_transfers, transfer_destinations,
       without_security_measures, soa_by_annex
  FROM isms.privacy_summary ORDER BY scope;
SELECT name, review_overdue, not_reviewed_last_year FROM isms.record_of_processing WHERE scope = 'shop' ORDER BY id;

-- Deleting an activity takes its links along, cancels its reminder, and is
-- logged; a linked control cannot be deleted from under a record.
DELETE FROM isms.processing_activity WHERE name = 'Order handling';
SELECT count(*) AS links_left FROM isms.processing_activity_control WHERE activity = :orders;
SELECT subject_key, sequence, status FROM isms.reminder WHERE subject_key = :'orders';
SELECT table_name, op, count(*) FROM isms.change_log
 WHERE table_name LIKE 'isms.processing_activity%' GROUP BY 1, 2 ORDER BY 1, 2;
INSERT INTO isms.framework (id, name) VALUES ('acme', 'ACME controls');
INSERT INTO isms.control (framework, ref, title) VALUES ('acme', 'P-1', 'Pseudonymise exports');
INSERT INTO isms.processing_activity_control (activity, framework, control_ref) VALUES (:newsletter, 'acme', 'P-1');
SELECT pg_temp.try($$DELETE FROM isms.control WHERE framework = 'acme' AND ref = 'P-1'$$) AS delete_linked_control;
SELECT pg_temp.try($$DELETE FROM isms.scope WHERE id = 'cloud'$$) AS delete_scope_with_records;
