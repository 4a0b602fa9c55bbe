-- 42_certification: the certification cycle trigger (surveillance 1 and 2,
-- recertification, expiry) for several decision dates including 29
-- February, rescheduling, recertification continuing the cycle,
-- withdrawal, deletion, and the internal-audit / management-review
-- programme advancing from the intended date.
\i test/regress/setup.sql
INSERT INTO isms.scope (id, name) VALUES ('emea', 'EMEA'), ('apac', 'APAC');
-- The rule itself, for several decision dates (cycle start = decision for an
-- initial certificate; expiry three years later).
SELECT d AS decided_on, (d + interval '3 years')::date AS expires_on, c.*
  FROM (VALUES (date '2024-02-29'), ('2023-01-31'), ('2025-08-31'), ('2026-12-31')) AS v(d),
       isms.certification_cycle(d, (d + interval '3 years')::date) AS c
 ORDER BY d, c.cycle_year;
SELECT * FROM isms.certification_cycle('2024-02-29', '2027-02-28', '6 months');
-- Inserting a certificate schedules its audits and its expiry reminder.
INSERT INTO isms.certification (scope, certification_body, certificate_number, decided_on)
VALUES ('emea', 'ACME Certification', 'IS 700001', '2024-02-29');
SELECT id, scope, decided_on, cycle_start, expires_on, recertification_lead, status FROM isms.certification;
SELECT id, kind, certification, cycle_year, due_by, status FROM isms.audit ORDER BY id;
SELECT kind, subject, subject_key, summary, due, alarms, sequence, status
  FROM isms.reminder ORDER BY due, kind;
-- Changing the decision date reschedules every open audit and the expiry
-- (which was the default) with SEQUENCE + 1; a completed audit stays.
UPDATE isms.audit SET status = 'completed', completed_on = '2025-02-10', planned_start = '2025-02-10',
       planned_end = '2025-02-11', auditor = 'J. Smith' WHERE cycle_year = 1;
UPDATE isms.certification SET decided_on = '2024-03-15';
SELECT id, decided_on, cycle_start, expires_on FROM isms.certification;
SELECT id, kind, cycle_year, due_by, planned_start, planned_end, status FROM isms.audit ORDER BY id;
SELECT kind, subject_key, due, last_day, sequence, status FROM isms.reminder ORDER BY due, kind;
-- An explicit expiry is kept when the decision date moves within the cycle rules.
UPDATE isms.certification SET decided_on = '2024-03-20', expires_on = '2027-03-19';
SELECT decided_on, cycle_start, expires_on FROM isms.certification;
SELECT cycle_year, due_by FROM isms.audit WHERE certification = 1 ORDER BY cycle_year;
-- Agreeing dates for surveillance 2 moves its calendar entry to the planned days.
UPDATE isms.audit SET planned_start = '2026-03-02', planned_end = '2026-03-04', status = 'confirmed'
 WHERE cycle_year = 2;
SELECT kind, subject_key, due, last_day, sequence, status FROM isms.reminder
 WHERE subject = 'isms.audit'::regclass AND subject_key = '2';
-- Recertification decided before expiry continues the cycle: the new cycle
-- starts at the old expiry, the old certificate is superseded (its expiry
-- reminder done).
UPDATE isms.audit SET status = 'completed', completed_on = '2026-12-01', planned_start = '2026-12-01'
 WHERE cycle_year = 3;
INSERT INTO isms.certification (scope, certification_body, certificate_number, decided_on, previous)
VALUES ('emea', 'ACME Certification', 'IS 700002', '2027-01-15', 1);
SELECT id, decided_on, cycle_start, expires_on, previous, status FROM isms.certification ORDER BY id;
SELECT id, kind, certification, cycle_year, due_by, status FROM isms.audit WHERE certification = 2 ORDER BY id;
SELECT kind, subject, subject_key, due, sequence, status FROM isms.reminder
 WHERE kind = 'certificate_expiry' ORDER BY subject_key;
-- A recertification decided after the old expiry starts a new cycle at the decision.
INSERT INTO isms.certification (scope, certification_body, decided_on) VALUES ('apac', 'Other Body', '2023-05-10');
INSERT INTO isms.certification (scope, certification_body, decided_on, previous) VALUES ('apac', 'Other Body', '2026-07-01', 3);
SELECT id, decided_on, cycle_start, expires_on, previous, status FROM isms.certification WHERE scope = 'apac' ORDER BY id;
-- Withdrawal cancels the expiry reminder and the open audits (STATUS:CANCELLED, SEQUENCE + 1).
UPDATE isms.certification SET status = 'withdrawn' WHERE id = 4;
SELECT a.id, a.status, r.status AS reminder, r.sequence
  FROM isms.audit a JOIN isms.reminder r ON r.subject = 'isms.audit'::regclass AND r.subject_key = a.id::text
 WHERE a.certification = 4 ORDER BY a.id;
SELECT status, sequence FROM isms.reminder WHERE kind = 'certificate_expiry' AND subject_key = '4';
-- Deleting a certificate deletes its audits and cancels every reminder; the
-- reminder rows stay so calendars drop the events.
DELETE FROM isms.certification WHERE id = 4;
DELETE FROM isms.certification WHERE id = 3;
SELECT count(*) AS audits_left FROM isms.audit WHERE certification IN (3, 4);
SELECT subject, subject_key, kind, status FROM isms.reminder
 WHERE (subject = 'isms.certification'::regclass AND subject_key IN ('3', '4'))
    OR (subject = 'isms.audit'::regclass AND subject_key::bigint BETWEEN 10 AND 15)
 ORDER BY subject, subject_key::int;
-- Internal audits and management reviews repeat (yearly by default).  The
-- next one is due one interval after the intended date, not after the day
-- a late one was finally done; a very late one skips to the next interval
-- boundary after its completion.
INSERT INTO isms.audit (scope, kind, due_by, auditor) VALUES ('emea', 'internal', '2026-01-31', 'Internal Audit');
INSERT INTO isms.audit (scope, kind, due_by, repeat_every) VALUES ('emea', 'management_review', '2026-03-31', '6 months');
UPDATE isms.audit SET status = 'completed', completed_on = '2026-04-20' WHERE kind = 'internal' AND due_by = '2026-01-31';
UPDATE isms.audit SET status = 'completed', completed_on = '2027-04-02' WHERE kind = 'management_review' AND due_by = '2026-03-31';
SELECT id, kind, due_by, status, completed_on, repeat_every, follows FROM isms.audit
 WHERE kind IN ('internal', 'management_review') ORDER BY kind, due_by;
-- Completing the same one again (status flip) does not schedule a second successor.
UPDATE isms.audit SET status = 'confirmed', completed_on = NULL WHERE kind = 'internal' AND due_by = '2026-01-31';
UPDATE isms.audit SET status = 'completed', completed_on = '2026-04-21' WHERE kind = 'internal' AND due_by = '2026-01-31';
SELECT count(*) AS internal_audits FROM isms.audit WHERE kind = 'internal';
SELECT kind, summary, due, alarms, status FROM isms.reminder
 WHERE kind IN ('internal_audit', 'management_review') ORDER BY due;
-- Bad rows are refused with their SQLSTATE and nothing is written.
CREATE TEMP TABLE counts AS SELECT (SELECT count(*) FROM isms.certification) AS c,
  (SELECT count(*) FROM isms.audit) AS a, (SELECT count(*) FROM isms.reminder) AS r;
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$INSERT INTO isms.certification (scope, certification_body, decided_on) VALUES ('nope', 'B', '2026-01-01')$$),
  ($$INSERT INTO isms.certification (scope, certification_body, decided_on) VALUES ('emea', ' ', '2026-01-01')$$),
  ($$INSERT INTO isms.certification (scope, certification_body, decided_on) VALUES ('emea', 'B', NULL)$$),
  ($$INSERT INTO isms.certification (scope, certification_body, decided_on) VALUES ('emea', 'B', 'infinity')$$),
  ($$INSERT INTO isms.certification (scope, certification_body, decided_on, expires_on) VALUES ('emea', 'B', '2026-01-01', '2025-12-31')$$),
  ($$INSERT INTO isms.certification (scope, certification_body, decided_on, expires_on) VALUES ('emea', 'B', '2026-01-01', '2030-01-01')$$),
  ($$INSERT INTO isms.certification (scope, certification_body, decided_on, recertification_lead) VALUES ('emea', 'B', '2026-01-01', '2 years')$$),
  ($$INSERT INTO isms.certification (scope, certification_body, decided_on, status) VALUES ('emea', 'B', '2026-01-01', 'expired')$$),
  ($$INSERT INTO isms.certification (scope, certification_body, decided_on, previous) VALUES ('apac', 'B', '2029-01-01', 2)$$),
  ($$INSERT INTO isms.certification (scope, certification_body, decided_on, previous) VALUES ('emea', 'B', '2029-01-01', 1)$$),
  ($$INSERT INTO isms.audit (scope, kind, due_by) VALUES ('emea', 'external', '2026-01-01')$$),
  ($$INSERT INTO isms.audit (scope, kind, due_by) VALUES ('emea', 'internal', NULL)$$),
  ($$INSERT INTO isms.audit (scope, kind, due_by, planned_start, planned_end) VALUES ('emea', 'internal', '2026-01-01', '2026-01-05', '2026-01-04')$$),
  ($$INSERT INTO isms.audit (scope, kind, due_by, planned_end) VALUES ('emea', 'internal', '2026-01-01', '2026-01-04')$$),
  ($$INSERT INTO isms.audit (scope, kind, due_by, status) VALUES ('emea', 'internal', '2026-01-01', 'completed')$$),
  ($$INSERT INTO isms.audit (scope, kind, due_by, repeat_every) VALUES ('emea', 'internal', '2026-01-01', '1 day')$$),
  ($$INSERT INTO isms.audit (scope, kind, due_by, repeat_every) VALUES ('emea', 'stage2', '2026-01-01', '1 year')$$),
  ($$INSERT INTO isms.audit (scope, kind, due_by, cycle_year) VALUES ('emea', 'surveillance', '2026-01-01', 1)$$),
  ($$INSERT INTO isms.audit (scope, kind, due_by, certification, cycle_year) VALUES ('emea', 'surveillance', '2026-01-01', 2, 1)$$),
  ($$INSERT INTO isms.audit (scope, kind, due_by, title) VALUES ('emea', 'stage1', '2026-01-01', '')$$)
) AS t(s);
SELECT (SELECT count(*) FROM isms.certification) = c AS no_certificate,
       (SELECT count(*) FROM isms.audit) = a AS no_audit,
       (SELECT count(*) FROM isms.reminder) = r AS no_reminder FROM counts;
