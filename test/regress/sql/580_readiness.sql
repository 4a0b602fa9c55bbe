-- 53_readiness: the gap analysis.  A scope that is ready on 2026-06-01, then
-- each readiness rule turns one clause or theme from ready to gap or
-- blocker and back, one at a time; the blockers as rows a person can act
-- on; bad input.  Every call names the day it judges, so the output does
-- not depend on when the test runs.
\i test/regress/setup.sql

-- One line per call: the status of clauses 4-10 and the four themes.
CREATE FUNCTION pg_temp.states(day date DEFAULT '2026-06-01') RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(ref || '=' || status, ' ' ORDER BY position) FROM isms.readiness('acme', day)
$$;
CREATE FUNCTION pg_temp.missing(r text, day date DEFAULT '2026-06-01') RETURNS SETOF text LANGUAGE sql AS $$
  SELECT unnest(missing) FROM isms.readiness('acme', day) WHERE ref = r
$$;

-- An empty scope: every mandatory element is missing.
SELECT ref, title, status, blockers, gaps FROM isms.readiness('default', '2026-06-01');
SELECT area, ref, rule, what, object FROM isms.readiness_blockers('default', '2026-06-01') WHERE ref IN ('6', '9');

-- A scope that is ready on 2026-06-01.
INSERT INTO isms.scope (id, name) VALUES ('acme', 'ACME Ltd');
INSERT INTO isms.document (scope, ref, title, kind, owner, version, approved_by, approved_on, location)
SELECT 'acme', 'DOC-' || lpad(r.position::text, 2, '0'), r.title,
       CASE WHEN r.title LIKE '%policy' OR r.title LIKE '%scope' THEN 'policy'
            WHEN r.title LIKE '%process' THEN 'procedure' ELSE 'record' END::isms.document_kind,
       'CISO', '1.0', 'CEO', '2026-01-10', 'https://intranet.example/isms/' || r.id
  FROM isms.document_requirement r ORDER BY r.position;
INSERT INTO isms.document_fulfils (document, requirement)
SELECT d.id, r.id FROM isms.document d JOIN isms.document_requirement r ON d.ref = 'DOC-' || lpad(r.position::text, 2, '0');
SELECT isms.soa_init('acme', 'iso27001-2022');
UPDATE isms.soa_entry SET applicable = true, justification = 'Treats risks of the 2026 assessment', status = 'implemented',
       owner = 'CISO', last_reviewed = '2026-01-10', next_review = '2027-01-10'
 WHERE scope = 'acme';
UPDATE isms.soa_entry SET applicable = false, justification = 'No software development in scope', status = 'not_started'
 WHERE scope = 'acme' AND control_ref IN ('8.25', '8.26', '8.27', '8.28', '8.29', '8.30', '8.31');
-- Each applicable control has a reason (6.1.3) and dated evidence.
UPDATE isms.soa_entry SET business_need = 'Baseline of the 2026 risk assessment', evidence = '{DOC-05}', evidence_date = '2026-01-10'
 WHERE scope = 'acme' AND applicable;
INSERT INTO isms.risk (scope, ref, title, owner, inherent, next_review)
VALUES ('acme', 'R-01', 'Ransomware encrypts the file servers', 'CISO', '4x5', '2026-12-01');
SELECT isms.treat(id, 'modify', 'Immutable off-site backups', 'IT operations', '2026-09-30') > 0 AS treated
  FROM isms.risk WHERE ref = 'R-01';
INSERT INTO isms.audit (scope, kind, title, due_by, status, completed_on, auditor)
VALUES ('acme', 'internal', 'Internal audit 2026', '2026-03-31', 'completed', '2026-03-02', 'Internal audit team');
INSERT INTO isms.audit (scope, kind, due_by, status, completed_on, auditor)
VALUES ('acme', 'management_review', '2026-04-30', 'completed', '2026-04-15', 'CEO');
-- The review itself, signed off (9.3), and a metric measured on time (9.1).
INSERT INTO isms.management_review (scope, held_on, chair, attendees) VALUES ('acme', '2026-04-15', 'CEO', '{CEO,CISO}');
SELECT isms.management_review_sign(id, 'CEO') IS NOT NULL AS signed FROM isms.management_review WHERE scope = 'acme';
INSERT INTO isms.metric (scope, ref, name, framework, control_ref, method, frequency, frequency_start, owner, analyst, direction, target, threshold)
VALUES ('acme', 'M-BACKUP', 'Successful restore tests', 'iso27001-2022', '8.13', 'Restore log', 'FREQ=YEARLY', '2026-01-01', 'IT operations', 'CISO',
        'higher_is_better', 100, 90);
INSERT INTO isms.measurement (metric, value, taken_at) SELECT id, 100, '2026-01-05' FROM isms.metric WHERE ref = 'M-BACKUP';
INSERT INTO isms.objective (scope, ref, title, owner, target_date, measure)
VALUES ('acme', 'OBJ-01', 'Restores always succeed', 'CIO', '2026-12-31', 'Share of successful restore tests');
SELECT id, kind, status, completed_on, follows FROM isms.audit WHERE scope = 'acme' ORDER BY id;
SELECT isms.audit_cover_scope(1) AS covered_rows;
SELECT pg_temp.states() AS ready;
SELECT ref, evidence FROM isms.readiness('acme', '2026-06-01') WHERE ref IN ('9', 'technological');
SELECT count(*) AS blockers FROM isms.readiness_blockers('acme', '2026-06-01');

-- 1. Required documented information missing: blocker (clause 6).
DELETE FROM isms.document_fulfils WHERE requirement = 'statement-of-applicability';
SELECT pg_temp.states() AS soa_document_missing;
SELECT pg_temp.missing('6');
INSERT INTO isms.document_fulfils (document, requirement)
SELECT id, 'statement-of-applicability' FROM isms.document WHERE ref = 'DOC-05';
SELECT pg_temp.states() AS back;

-- 2. A required document not approved: gap (clause 5).
UPDATE isms.document SET approved_by = NULL, approved_on = NULL WHERE ref = 'DOC-02';
SELECT pg_temp.states() AS policy_not_approved;
SELECT pg_temp.missing('5');
UPDATE isms.document SET approved_by = 'CEO', approved_on = '2026-01-10', next_review = '2027-01-10' WHERE ref = 'DOC-02';
SELECT pg_temp.states() AS back;

-- 3. A required document past its review: gap (clause 4).
UPDATE isms.document SET next_review = '2026-05-01' WHERE ref = 'DOC-01';
SELECT pg_temp.states() AS scope_review_overdue;
SELECT pg_temp.missing('4');
UPDATE isms.document SET last_reviewed = '2026-05-02' WHERE ref = 'DOC-01';
SELECT pg_temp.states() AS reviewed;

-- 4. A retired required document counts for nothing: blocker (clause 10).
UPDATE isms.document SET retired_on = '2026-05-31' WHERE ref = 'DOC-15';
SELECT pg_temp.states() AS retired;
SELECT pg_temp.states('2026-05-30') AS day_before_retirement;
UPDATE isms.document SET retired_on = NULL WHERE ref = 'DOC-15';
SELECT pg_temp.states() AS back;

-- 5. Any other document past its review: gap (clause 7, control of documented information).
INSERT INTO isms.document (scope, ref, title, kind, owner, approved_by, approved_on, next_review)
VALUES ('acme', 'PRC-01', 'Access control procedure', 'procedure', 'IT operations', 'CISO', '2025-05-15', '2026-05-15');
SELECT pg_temp.states() AS procedure_review_overdue;
SELECT pg_temp.missing('7');
UPDATE isms.document SET last_reviewed = '2026-05-20' WHERE ref = 'PRC-01';
SELECT pg_temp.states() AS reviewed;

-- 6. A control not decided in the SoA: gap (clause 6 and its theme).
UPDATE isms.soa_entry SET applicable = NULL, justification = NULL WHERE scope = 'acme' AND control_ref = '5.7';
SELECT pg_temp.states() AS undecided;
SELECT pg_temp.missing('6') UNION ALL SELECT pg_temp.missing('organizational');
UPDATE isms.soa_entry SET applicable = true, justification = 'Threat feeds used by the SOC' WHERE scope = 'acme' AND control_ref = '5.7';
SELECT pg_temp.states() AS back;

-- 7. An applicable control not fully implemented: gap (its theme).
UPDATE isms.soa_entry SET status = 'partial' WHERE scope = 'acme' AND control_ref = '8.8';
SELECT pg_temp.states() AS partial;
SELECT pg_temp.missing('technological');
UPDATE isms.soa_entry SET status = 'implemented' WHERE scope = 'acme' AND control_ref = '8.8';
SELECT pg_temp.states() AS back;

-- 8. An SoA entry past its review: gap (its theme).
UPDATE isms.soa_entry SET next_review = '2026-05-01' WHERE scope = 'acme' AND control_ref = '7.4';
SELECT pg_temp.states() AS soa_review_overdue;
SELECT pg_temp.missing('physical');
UPDATE isms.soa_entry SET next_review = '2027-01-10' WHERE scope = 'acme' AND control_ref = '7.4';
SELECT pg_temp.states() AS back;

-- 9. A risk identified but not assessed: gap (clause 6).
INSERT INTO isms.risk (scope, ref, title, owner, identified_on, next_review)
VALUES ('acme', 'R-02', 'Supplier loses customer data', 'Procurement', '2026-05-20', '2026-12-01');
SELECT pg_temp.states() AS not_assessed;
SELECT pg_temp.missing('6');
UPDATE isms.risk SET inherent = '3x4' WHERE ref = 'R-02';
SELECT pg_temp.states() AS assessed;

-- 10. A risk past its review date: gap (clause 8).
UPDATE isms.risk SET next_review = '2026-05-01' WHERE ref = 'R-02';
SELECT pg_temp.states() AS risk_review_overdue;
SELECT pg_temp.missing('8');
UPDATE isms.risk SET next_review = '2026-12-01' WHERE ref = 'R-02';
SELECT pg_temp.states() AS back;

-- 11. No open risk at all: blocker (clause 6).
SELECT isms.close_risk(id, 'Merged into R-01') FROM isms.risk WHERE ref = 'R-02';
UPDATE isms.treatment SET status = 'done' WHERE plan = 'Immutable off-site backups';
SELECT isms.close_risk(id, 'Backups tested; risk gone') FROM isms.risk WHERE ref = 'R-01';
SELECT pg_temp.states() AS no_open_risk;
SELECT pg_temp.missing('6');
SELECT isms.reopen_risk(id, 'Ransomware is still a risk') FROM isms.risk WHERE ref = 'R-01';
SELECT pg_temp.states() AS back;

-- 12. A treatment plan past its due date: gap (clause 8).
SELECT isms.treat(id, 'modify', 'EDR on every server', 'IT operations', '2026-05-15') > 0 AS treated
  FROM isms.risk WHERE ref = 'R-01';
SELECT pg_temp.states() AS treatment_overdue;
SELECT pg_temp.missing('8');
UPDATE isms.treatment SET status = 'done', completed_on = '2026-05-30' WHERE plan = 'EDR on every server';
SELECT pg_temp.states() AS done;

-- 13. No internal audit in the last 12 months: blocker (clause 9).
UPDATE isms.audit SET completed_on = '2025-05-20' WHERE id = 1;
SELECT pg_temp.states() AS audit_too_old;
SELECT pg_temp.missing('9');
SELECT area, ref, rule, what, object, owner, since FROM isms.readiness_blockers('acme', '2026-06-01');
UPDATE isms.audit SET completed_on = '2026-03-02' WHERE id = 1;
SELECT pg_temp.states() AS back;

-- 14. Internal audits that did not cover a clause or control: gap.
DELETE FROM isms.audit_coverage WHERE audit = 1 AND framework = 'iso27001-2022-clauses' AND control_ref = '7';
SELECT pg_temp.states() AS clause_7_not_audited;
SELECT pg_temp.missing('7');
-- Covering the sub-clauses covers the clause.
INSERT INTO isms.audit_coverage (audit, framework, control_ref)
VALUES (1, 'iso27001-2022-clauses', '7.1'), (1, 'iso27001-2022-clauses', '7.2'), (1, 'iso27001-2022-clauses', '7.3'),
       (1, 'iso27001-2022-clauses', '7.4'), (1, 'iso27001-2022-clauses', '7.5.1'), (1, 'iso27001-2022-clauses', '7.5.2');
SELECT pg_temp.states() AS all_but_7_5_3;
SELECT pg_temp.missing('7');
INSERT INTO isms.audit_coverage (audit, framework, control_ref) VALUES (1, 'iso27001-2022-clauses', '7.5.3');
SELECT pg_temp.states() AS back;
DELETE FROM isms.audit_coverage WHERE audit = 1 AND framework = 'iso27001-2022' AND control_ref = '8.8';
SELECT pg_temp.states() AS control_8_8_not_audited;
SELECT pg_temp.missing('technological');
-- A second internal audit covering it counts as well.
INSERT INTO isms.audit (scope, kind, title, due_by, status, completed_on, repeat_every)
VALUES ('acme', 'internal', 'Vulnerability management audit', '2026-05-31', 'completed', '2026-05-12', '3 years');
INSERT INTO isms.audit_coverage (audit, framework, control_ref)
SELECT id, 'iso27001-2022', '8.8' FROM isms.audit WHERE title = 'Vulnerability management audit';
SELECT pg_temp.states() AS back;

-- 15. No signed management review in the 12 months before the day:
-- blocker (clause 9).  A completed audit-programme entry of kind
-- management_review is not enough; a later review not signed off is named.
SELECT status, what, object, owner, since, evidence FROM isms.readiness_checks('acme', '2027-04-20')
 WHERE rule = 'management_review';
INSERT INTO isms.management_review (scope, held_on, chair, attendees) VALUES ('acme', '2027-03-01', 'CEO', '{CEO}');
SELECT status, what, object, owner, since FROM isms.readiness_checks('acme', '2027-04-20')
 WHERE rule = 'management_review';
-- ... but while a signed one is still in the window, it counts.
SELECT status, what, evidence FROM isms.readiness_checks('acme', '2027-03-02') WHERE rule = 'management_review';
DELETE FROM isms.management_review WHERE held_on = '2027-03-01';
SELECT pg_temp.states() AS back;

-- 16. An open major nonconformity: blocker (the clause it is against).
INSERT INTO isms.finding (audit, ref, kind, framework, control_ref, statement, owner, raised_on)
VALUES (1, 'NC-01', 'major_nonconformity', 'iso27001-2022-clauses', '7.5.3',
        'Obsolete procedures in use on the shop floor', 'Quality manager', '2026-05-10');
SELECT pg_temp.states() AS open_major;
SELECT area, ref, rule, what, object, owner, since FROM isms.readiness_blockers('acme', '2026-06-01');
INSERT INTO isms.corrective_action (finding, correction, root_cause, action, owner, due, completed_on, verified_by, verified_on, effective)
SELECT id, 'Obsolete copies withdrawn', 'Printed copies not controlled', 'Procedures only on the intranet, print marked uncontrolled',
       'Quality manager', '2026-05-31', '2026-05-20', 'CISO', '2026-05-25', true
  FROM isms.finding WHERE ref = 'NC-01';
UPDATE isms.finding SET status = 'closed', closed_on = '2026-05-26' WHERE ref = 'NC-01';
SELECT pg_temp.states() AS closed;
-- Judged on a day before it was closed, it still blocks.
SELECT pg_temp.states('2026-05-20') AS before_closing;

-- 17. A minor nonconformity without corrective action: gap (its theme);
-- a corrective action past its due date: gap (clause 10).
INSERT INTO isms.finding (audit, ref, kind, framework, control_ref, statement, owner, raised_on)
VALUES (1, 'NC-02', 'minor_nonconformity', 'iso27001-2022', '5.15', 'Leavers keep access for two weeks', 'IT operations', '2026-05-10');
SELECT pg_temp.states() AS minor_without_action;
SELECT pg_temp.missing('organizational');
INSERT INTO isms.corrective_action (finding, action, owner, due)
SELECT id, 'Same-day account removal from the leaver checklist', 'IT operations', '2026-07-15' FROM isms.finding WHERE ref = 'NC-02';
SELECT pg_temp.states() AS action_planned;
SELECT pg_temp.states('2026-08-01') AS action_overdue;
SELECT unnest(missing) FROM isms.readiness('acme', '2026-08-01') WHERE ref = '10';
UPDATE isms.corrective_action SET completed_on = '2026-07-10' WHERE owner = 'IT operations';
SELECT pg_temp.states('2026-08-01') AS completed;
-- A minor nonconformity past its own due date: gap.
UPDATE isms.finding SET due = '2026-07-31' WHERE ref = 'NC-02';
SELECT pg_temp.states('2026-08-01') AS minor_overdue;
SELECT pg_temp.missing('organizational', '2026-08-01');

-- The view is the function judged today, for every scope.
SELECT count(*) AS rows, count(DISTINCT scope) AS scopes FROM isms.certification_readiness;
SELECT count(*) AS differences FROM (
  (SELECT * FROM isms.certification_readiness WHERE scope = 'acme'
   EXCEPT SELECT * FROM isms.readiness('acme', CURRENT_DATE))
  UNION ALL
  (SELECT * FROM isms.readiness('acme', CURRENT_DATE)
   EXCEPT SELECT * FROM isms.certification_readiness WHERE scope = 'acme')) d;

-- The detail rows behind one clause.
SELECT rule, status, what, evidence FROM isms.readiness_checks('acme', '2026-06-01') WHERE ref = '10' ORDER BY rule, status;

-- Bad input.
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$SELECT * FROM isms.readiness('nope')$$),
  ($$SELECT * FROM isms.readiness(NULL)$$),
  ($$SELECT * FROM isms.readiness_blockers('acme', 'infinity')$$),
  ($$SELECT * FROM isms.readiness_blockers('acme', NULL)$$),
  ($$SELECT * FROM isms.readiness_checks('nope', '2026-06-01')$$),
  ($$SELECT isms.audit_cover_scope(999)$$)
) AS t(s);
