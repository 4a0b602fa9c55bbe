-- 52_finding: findings and corrective actions: the due-date limit of a major
-- nonconformity (isms.major_nonconformity_days), the closing rule (a
-- nonconformity closes only with a corrective action verified effective),
-- the reminders of due dates, the dashboard views, and bad input refused
-- with nothing written.
\i test/regress/setup.sql
-- Like pg_temp.try, with the DETAIL that says what is missing.
CREATE FUNCTION pg_temp.try_detail(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  d text;
BEGIN
  EXECUTE sql;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
  RETURN SQLSTATE || ': ' || SQLERRM || ' / ' || coalesce(d, '');
END
$$;

INSERT INTO isms.scope (id, name) VALUES ('acme', 'ACME Ltd');
INSERT INTO isms.audit (scope, kind, title, due_by, status, completed_on, auditor)
VALUES ('acme', 'internal', 'Internal audit 2026', '2026-03-31', 'completed', '2026-03-02', 'Internal audit team'),
       ('acme', 'stage2', NULL, '2026-05-31', 'confirmed', NULL, 'CB lead auditor'),
       ('acme', 'management_review', NULL, '2026-04-30', 'planned', NULL, 'CEO');
SELECT id, kind FROM isms.audit WHERE scope = 'acme' AND follows IS NULL ORDER BY id;

-- The limit is a superuser setting, 90 days by default.
SHOW isms.major_nonconformity_days;
SELECT isms.major_nonconformity_limit();

-- A major nonconformity is due 90 days after it was raised unless an
-- earlier date is given; other kinds get no default.
INSERT INTO isms.finding (audit, ref, kind, framework, control_ref, statement, evidence, owner, raised_on)
VALUES (1, 'NC-01', 'major_nonconformity', 'iso27001-2022-clauses', '9.2.2',
        'No audit programme: internal audits are planned ad hoc', 'Interview with the CISO; no programme document', 'CISO', '2026-03-02'),
       (1, 'NC-02', 'minor_nonconformity', 'iso27001-2022', '5.15',
        'Leavers keep access for up to two weeks', 'Three of ten leavers sampled', 'IT operations', '2026-03-02'),
       (1, 'OFI-01', 'opportunity_for_improvement', 'iso27001-2022', '8.8', 'Patch reports could be automated', NULL, NULL, '2026-03-02'),
       (1, 'OBS-01', 'observation', NULL, NULL, 'Staff know the reporting channel well', NULL, NULL, '2026-03-02');
INSERT INTO isms.finding (audit, ref, kind, framework, control_ref, statement, owner, raised_on, due)
VALUES (2, 'NC-03', 'major_nonconformity', 'iso27001-2022-clauses', '9.3.3', 'No record of management review results', 'CEO', '2026-05-20', '2026-06-30');
SELECT ref, kind, control_ref, raised_on, due, due - raised_on AS days, status FROM isms.finding ORDER BY id;

-- A due date beyond the limit is refused; so is one set later by UPDATE.
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$INSERT INTO isms.finding (audit, kind, framework, control_ref, statement, raised_on, due) VALUES (1, 'major_nonconformity', 'iso27001-2022', '5.1', 'x', '2026-03-02', '2026-06-01')$$),
  ($$UPDATE isms.finding SET due = '2026-08-01' WHERE ref = 'NC-01'$$)
) AS t(s);
-- Reclassifying a minor as major gives it the default due date.
UPDATE isms.finding SET kind = 'major_nonconformity' WHERE ref = 'NC-02';
SELECT ref, kind, due FROM isms.finding WHERE ref = 'NC-02';
UPDATE isms.finding SET kind = 'minor_nonconformity', due = '2026-07-31' WHERE ref = 'NC-02';
-- A superuser can tighten the limit; it applies to what is written next.
SET isms.major_nonconformity_days = 30;
SELECT pg_temp.try_detail($$INSERT INTO isms.finding (audit, kind, framework, control_ref, statement, raised_on, due) VALUES (1, 'major_nonconformity', 'iso27001-2022', '5.1', 'x', '2026-03-02', '2026-04-15')$$);
RESET isms.major_nonconformity_days;
-- ... and nobody else can change it.
CREATE ROLE isms_regress_auditor;
SET ROLE isms_regress_auditor;
SELECT pg_temp.try($$SET isms.major_nonconformity_days = 365$$);
RESET ROLE;
DROP ROLE isms_regress_auditor;

-- Due dates are on the calendar: one reminder per open nonconformity.
SELECT f.ref, r.kind, r.owner, r.summary, r.due, r.status, r.sequence
  FROM isms.reminder r JOIN isms.finding f ON r.subject = 'isms.finding'::regclass AND r.subject_key = f.id::text
 ORDER BY f.id;

-- Closing a nonconformity needs a corrective action verified effective.
SELECT pg_temp.try_detail($$UPDATE isms.finding SET status = 'closed' WHERE ref = 'NC-01'$$) AS no_action;
INSERT INTO isms.corrective_action (finding, correction, root_cause, action, owner, due)
SELECT id, 'Audit of 9.2 planned for April', 'Nobody was responsible for the audit programme',
       'Three-year audit programme approved by top management', 'CISO', '2026-04-30'
  FROM isms.finding WHERE ref = 'NC-01';
SELECT pg_temp.try_detail($$UPDATE isms.finding SET status = 'closed' WHERE ref = 'NC-01'$$) AS not_verified;
UPDATE isms.corrective_action SET completed_on = '2026-04-20', verified_by = 'Lead auditor', verified_on = '2026-05-05', effective = false
 WHERE action LIKE 'Three-year%';
SELECT pg_temp.try_detail($$UPDATE isms.finding SET status = 'closed' WHERE ref = 'NC-01'$$) AS not_effective;
INSERT INTO isms.corrective_action (finding, action, owner, due)
SELECT id, 'Programme owner named; audits scheduled in isms.audit', 'CISO', '2026-05-25' FROM isms.finding WHERE ref = 'NC-01';
UPDATE isms.corrective_action SET completed_on = '2026-05-10', verified_by = 'Lead auditor', verified_on = '2026-05-20', effective = true
 WHERE action LIKE 'Programme owner%';
-- A closing date before the verification is refused too.
SELECT pg_temp.try_detail($$UPDATE isms.finding SET status = 'closed', closed_on = '2026-05-15' WHERE ref = 'NC-01'$$) AS closed_before_verified;
UPDATE isms.finding SET status = 'closed', closed_on = '2026-05-21', closed_by = 'Lead auditor' WHERE ref = 'NC-01';
-- Observations and opportunities for improvement close without any action.
UPDATE isms.finding SET status = 'closed', closed_on = '2026-03-10' WHERE ref IN ('OFI-01', 'OBS-01');
SELECT ref, kind, status, closed_on, closed_by FROM isms.finding ORDER BY id;

-- Once closed, the nonconformity must keep its effective action: it cannot
-- be deleted or marked not effective, and the finding cannot be turned into
-- a nonconformity while closed without one.  Reopening lifts that.
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$UPDATE isms.corrective_action SET effective = false WHERE action LIKE 'Programme owner%'$$),
  ($$DELETE FROM isms.corrective_action WHERE action LIKE 'Programme owner%'$$),
  ($$UPDATE isms.finding SET kind = 'minor_nonconformity', framework = 'iso27001-2022', control_ref = '8.8' WHERE ref = 'OFI-01'$$),
  ($$INSERT INTO isms.finding (audit, kind, framework, control_ref, statement, status) VALUES (1, 'minor_nonconformity', 'iso27001-2022', '5.1', 'x', 'closed')$$)
) AS t(s);
UPDATE isms.finding SET status = 'open' WHERE ref = 'NC-01';
SELECT ref, status, closed_on, closed_by FROM isms.finding WHERE ref = 'NC-01';
UPDATE isms.finding SET status = 'closed', closed_on = '2026-05-21' WHERE ref = 'NC-01';

-- Corrective actions of a major are due within its due date (and so within
-- the limit); the reminders follow completion.
SELECT pg_temp.try_detail($$INSERT INTO isms.corrective_action (finding, action, owner, due) SELECT id, 'late', 'CEO', '2026-07-01' FROM isms.finding WHERE ref = 'NC-03'$$);
INSERT INTO isms.corrective_action (finding, correction, action, owner, due)
SELECT id, 'Minutes of the March review written up', 'Template for review results; minutes within a week', 'CEO', '2026-06-15'
  FROM isms.finding WHERE ref = 'NC-03';
INSERT INTO isms.corrective_action (finding, action, owner, due)
SELECT id, 'Leaver checklist triggers same-day account removal', 'IT operations', '2020-01-31' FROM isms.finding WHERE ref = 'NC-02';
SELECT x.action, r.kind, r.owner, r.due, r.status, r.sequence, r.summary
  FROM isms.reminder r JOIN isms.corrective_action x ON r.subject = 'isms.corrective_action'::regclass AND r.subject_key = x.id::text
 ORDER BY x.id;
SELECT f.ref, r.status, r.sequence FROM isms.reminder r JOIN isms.finding f ON r.subject = 'isms.finding'::regclass AND r.subject_key = f.id::text
 ORDER BY f.id;

-- Dashboards: open findings and the corrective action register (overdue
-- is visible; these dates are far in the past or future).
SELECT ref, kind, nonconformity, control_ref, requirement_title, due, overdue, actions, open_actions, overdue_actions, effective_actions, can_close
  FROM isms.open_findings ORDER BY finding_id;
SELECT finding_ref, left(action, 40) AS action, due, completed_on, effective, state, overdue, reminder_uid IS NOT NULL AS on_calendar
  FROM isms.corrective_action_register ORDER BY action_id;

-- Deleting a finding takes its actions along and cancels all reminders.
DELETE FROM isms.finding WHERE ref = 'NC-03';
SELECT r.kind, r.status, r.sequence FROM isms.reminder r
 WHERE r.subject IN ('isms.finding'::regclass, 'isms.corrective_action'::regclass) AND r.status = 'cancelled' ORDER BY r.kind;

-- Every change is in the change log.
SELECT table_name, op, count(*) FROM isms.change_log
 WHERE table_name IN ('isms.finding', 'isms.corrective_action') GROUP BY 1, 2 ORDER BY 1, 2;

-- Bad input: a precise SQLSTATE each, and nothing written.
SELECT (SELECT count(*) FROM isms.finding) AS findings, (SELECT count(*) FROM isms.corrective_action) AS actions,
       (SELECT count(*) FROM isms.reminder) AS reminders;
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$INSERT INTO isms.finding (audit, kind, statement) VALUES (999, 'observation', 'x')$$),
  ($$INSERT INTO isms.finding (audit, kind, statement) VALUES (3, 'observation', 'raised in a management review')$$),
  ($$INSERT INTO isms.finding (audit, kind, statement) VALUES (1, 'critical', 'x')$$),
  ($$INSERT INTO isms.finding (audit, kind, statement) VALUES (1, 'minor_nonconformity', 'no requirement')$$),
  ($$INSERT INTO isms.finding (audit, kind, framework, statement) VALUES (1, 'observation', 'iso27001-2022', 'half a requirement')$$),
  ($$INSERT INTO isms.finding (audit, kind, framework, control_ref, statement) VALUES (1, 'observation', 'iso27001-2022', '4.1', 'a clause in the wrong framework')$$),
  ($$INSERT INTO isms.finding (audit, kind, statement) VALUES (1, 'observation', '  ')$$),
  ($$INSERT INTO isms.finding (audit, ref, kind, statement) VALUES (1, 'NC-01', 'observation', 'duplicate ref')$$),
  ($$INSERT INTO isms.finding (audit, kind, statement, raised_on, due) VALUES (1, 'observation', 'x', '2026-03-02', '2026-03-01')$$),
  ($$INSERT INTO isms.finding (audit, kind, statement, raised_on) VALUES (1, 'observation', 'x', 'infinity')$$),
  ($$INSERT INTO isms.finding (audit, kind, statement, raised_on, status, closed_on) VALUES (1, 'observation', 'x', '2026-03-02', 'closed', '2026-03-01')$$),
  ($$INSERT INTO isms.finding (audit, kind, statement, status) VALUES (1, 'observation', 'x', 'resolved')$$),
  ($$INSERT INTO isms.corrective_action (finding, action, owner, due) VALUES (999, 'x', 'me', '2026-04-01')$$),
  ($$INSERT INTO isms.corrective_action (finding, action, owner) SELECT id, 'x', 'me' FROM isms.finding WHERE ref = 'NC-02'$$),
  ($$INSERT INTO isms.corrective_action (finding, action, owner, due) SELECT id, ' ', 'me', '2026-04-01' FROM isms.finding WHERE ref = 'NC-02'$$),
  ($$INSERT INTO isms.corrective_action (finding, action, owner, due) SELECT id, 'x', 'me', '2026-08-01' FROM isms.finding WHERE ref = 'NC-02'$$),
  ($$INSERT INTO isms.corrective_action (finding, action, owner, due, verified_by) SELECT id, 'x', 'me', '2026-04-01', 'auditor' FROM isms.finding WHERE ref = 'NC-02'$$),
  ($$INSERT INTO isms.corrective_action (finding, action, owner, due, verified_by, verified_on, effective) SELECT id, 'x', 'me', '2026-04-01', 'auditor', '2026-04-02', true FROM isms.finding WHERE ref = 'NC-02'$$),
  ($$INSERT INTO isms.corrective_action (finding, action, owner, due, completed_on, verified_by, verified_on, effective) SELECT id, 'x', 'me', '2026-04-01', '2026-04-03', 'auditor', '2026-04-02', true FROM isms.finding WHERE ref = 'NC-02'$$),
  ($$UPDATE isms.finding SET status = 'closed' WHERE ref = 'NC-02'$$)
) AS t(s);
SELECT (SELECT count(*) FROM isms.finding) AS findings, (SELECT count(*) FROM isms.corrective_action) AS actions,
       (SELECT count(*) FROM isms.reminder) AS reminders,
       (SELECT status FROM isms.finding WHERE ref = 'NC-02') AS nc_02;
