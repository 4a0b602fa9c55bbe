-- 51_document: the register of documented information: defaults of the
-- review cycle, the review reminders (kind document_review), the
-- document_register view, and bad input refused with nothing written.
\i test/regress/setup.sql

INSERT INTO isms.scope (id, name) VALUES ('acme', 'ACME Ltd');

-- Approved policy: next review one year after approval.  A record reviewed
-- every six months.  A draft procedure that is past its review date.
INSERT INTO isms.document (scope, ref, title, kind, owner, version, approved_by, approved_on, location)
VALUES ('acme', 'POL-001', 'Information security policy', 'policy', 'CISO', '2.0', 'CEO', '2026-01-15',
        'https://intranet.example/isms/pol-001');
INSERT INTO isms.document (scope, ref, title, kind, owner, version, approved_by, approved_on, location,
                           review_interval, last_reviewed)
VALUES ('acme', 'REC-007', 'Training records', 'record', 'HR lead', '1', 'CISO', '2025-06-01',
        '/srv/isms/records/training', '6 months', '2026-02-10');
INSERT INTO isms.document (scope, ref, title, kind, owner, location, next_review)
VALUES ('acme', 'PRC-003', 'Access control procedure', 'procedure', 'IT operations', 'docs/prc-003.md', '2020-03-01');
-- A document with no date at all is due for review a year from today.
INSERT INTO isms.document (scope, ref, title, kind, owner) VALUES ('acme', 'GDL-001', 'Password guideline', 'guideline', 'CISO');
SELECT ref, next_review = (current_date + interval '1 year')::date AS due_in_a_year FROM isms.document WHERE ref = 'GDL-001';
DELETE FROM isms.document WHERE ref = 'GDL-001';

INSERT INTO isms.document_serves (document, framework, control_ref)
SELECT d.id, v.framework, v.ref FROM isms.document d,
  (VALUES ('POL-001', 'iso27001-2022-clauses', '5.2'), ('POL-001', 'iso27001-2022', '5.1'),
          ('REC-007', 'iso27001-2022-clauses', '7.2'), ('REC-007', 'iso27001-2022', '6.3'),
          ('PRC-003', 'iso27001-2022', '8.5'), ('PRC-003', 'iso27001-2022', '5.15'),
          ('PRC-003', 'iso27001-2013', 'A.9.2.1')) AS v(doc, framework, ref)
 WHERE d.ref = v.doc;
INSERT INTO isms.document_fulfils (document, requirement)
SELECT d.id, v.req FROM isms.document d,
  (VALUES ('POL-001', 'information-security-policy'), ('REC-007', 'evidence-of-competence')) AS v(doc, req)
 WHERE d.ref = v.doc;

SELECT ref, kind, version, approved_on, review_interval, last_reviewed, next_review FROM isms.document ORDER BY ref;
SELECT ref, clauses, controls, fulfils, reminder_uid IS NOT NULL AS on_calendar
  FROM isms.document_register ORDER BY ref;

-- Every document has a review reminder, due on its next review.
SELECT d.ref, r.kind, r.owner, r.summary, r.due, r.status, r.sequence, r.alarms
  FROM isms.reminder r JOIN isms.document d ON r.subject = 'isms.document'::regclass AND r.subject_key = d.id::text
 ORDER BY d.ref;
SELECT description FROM isms.reminder r JOIN isms.document d ON r.subject_key = d.id::text
 WHERE r.subject = 'isms.document'::regclass AND d.ref = 'POL-001';

-- Recording a review moves the next review on by the interval, and the
-- reminder with it (SEQUENCE + 1); an update that changes nothing leaves
-- the reminder alone.
UPDATE isms.document SET last_reviewed = '2026-09-01' WHERE ref = 'REC-007';
UPDATE isms.document SET title = title WHERE ref = 'POL-001';
-- Approving a new version counts as a review; an explicit next_review wins.
UPDATE isms.document SET version = '1.0', approved_by = 'CISO', approved_on = '2026-03-01' WHERE ref = 'PRC-003';
UPDATE isms.document SET review_interval = '2 years', next_review = '2099-12-31' WHERE ref = 'POL-001';
SELECT d.ref, d.next_review, r.due, r.sequence, r.status
  FROM isms.document d JOIN isms.reminder r ON r.subject = 'isms.document'::regclass AND r.subject_key = d.id::text
 ORDER BY d.ref;

-- Retiring cancels the reminder (the row stays, SEQUENCE + 1); deleting a
-- document cancels it too and removes its links.
UPDATE isms.document SET retired_on = '2026-10-01' WHERE ref = 'PRC-003';
DELETE FROM isms.document WHERE ref = 'REC-007';
SELECT r.summary, r.status, r.sequence FROM isms.reminder r
 WHERE r.subject = 'isms.document'::regclass ORDER BY r.summary;
-- The state a dashboard shows: current, draft, review_overdue, retired.
INSERT INTO isms.document (scope, ref, title, kind, owner, next_review)
VALUES ('acme', 'DRF-001', 'Supplier security standard', 'standard', 'Procurement', '2099-01-01');
INSERT INTO isms.document (scope, ref, title, kind, owner, approved_by, approved_on, next_review)
VALUES ('acme', 'OLD-001', 'Business continuity plan', 'plan', 'COO', 'CEO', '2019-01-01', '2020-01-01');
SELECT ref, state, review_overdue, next_review, retired_on FROM isms.document_register ORDER BY ref;
DELETE FROM isms.document WHERE ref IN ('DRF-001', 'OLD-001');
SELECT (SELECT count(*) FROM isms.document_serves) AS serves, (SELECT count(*) FROM isms.document_fulfils) AS fulfils;

-- Every change is in the change log.
SELECT op, count(*) FROM isms.change_log WHERE table_name = 'isms.document' GROUP BY op ORDER BY op;

-- Bad input: a precise SQLSTATE each, and nothing written.
SELECT count(*) AS documents_before, (SELECT count(*) FROM isms.reminder) AS reminders_before FROM isms.document;
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$INSERT INTO isms.document (scope, ref, title, kind, owner) VALUES ('nope', 'X-1', 'x', 'policy', 'me')$$),
  ($$INSERT INTO isms.document (scope, ref, title, kind, owner) VALUES ('acme', 'X-1', 'x', 'memo', 'me')$$),
  ($$INSERT INTO isms.document (scope, ref, title, kind, owner) VALUES ('acme', 'X-1', ' ', 'policy', 'me')$$),
  ($$INSERT INTO isms.document (scope, ref, title, kind, owner) VALUES ('acme', ' X-1', 'x', 'policy', 'me')$$),
  ($$INSERT INTO isms.document (scope, ref, title, kind) VALUES ('acme', 'X-1', 'x', 'policy')$$),
  ($$INSERT INTO isms.document (scope, ref, title, kind, owner) VALUES ('acme', 'POL-001', 'x', 'policy', 'me')$$),
  ($$INSERT INTO isms.document (scope, ref, title, kind, owner, approved_by) VALUES ('acme', 'X-1', 'x', 'policy', 'me', 'CEO')$$),
  ($$INSERT INTO isms.document (scope, ref, title, kind, owner, review_interval) VALUES ('acme', 'X-1', 'x', 'policy', 'me', '1 day')$$),
  ($$INSERT INTO isms.document (scope, ref, title, kind, owner, review_interval) VALUES ('acme', 'X-1', 'x', 'policy', 'me', '6 years')$$),
  ($$INSERT INTO isms.document (scope, ref, title, kind, owner, last_reviewed, next_review) VALUES ('acme', 'X-1', 'x', 'policy', 'me', '2026-05-01', '2026-04-01')$$),
  ($$INSERT INTO isms.document (scope, ref, title, kind, owner, next_review) VALUES ('acme', 'X-1', 'x', 'policy', 'me', 'infinity')$$),
  ($$INSERT INTO isms.document (id, scope, ref, title, kind, owner) VALUES (99, 'acme', 'X-1', 'x', 'policy', 'me')$$),
  ($$INSERT INTO isms.document_serves (document, framework, control_ref) SELECT id, 'iso27001-2022', '9.9' FROM isms.document WHERE ref = 'POL-001'$$),
  ($$INSERT INTO isms.document_serves (document, framework, control_ref) VALUES (424242, 'iso27001-2022', '5.1')$$),
  ($$INSERT INTO isms.document_fulfils (document, requirement) SELECT id, 'policy' FROM isms.document WHERE ref = 'POL-001'$$),
  ($$INSERT INTO isms.document_fulfils (document, requirement) SELECT id, 'information-security-policy' FROM isms.document WHERE ref = 'POL-001'$$),
  ($$UPDATE isms.document SET approved_on = NULL WHERE ref = 'POL-001'$$),
  ($$UPDATE isms.document SET owner = '' WHERE ref = 'POL-001'$$)
) AS t(s);
SELECT count(*) AS documents_after, (SELECT count(*) FROM isms.reminder) AS reminders_after,
       (SELECT count(*) FROM isms.document_serves) AS serves, (SELECT count(*) FROM isms.document_fulfils) AS fulfils
  FROM isms.document;
SELECT ref, approved_by, approved_on, owner FROM isms.document WHERE ref = 'POL-001';
