-- 44_review_schedule: next reviews and reminders on the register and the
-- SoA: risks (residual level's interval), recorded risk reviews advancing
-- from the intended date, SoA entries (yearly by default), treatment plans,
-- acceptances; closed and deleted subjects cancel; bulk statements are
-- set-based; nothing runs during a restore.
\i test/regress/setup.sql
-- isms.next_due: one interval after the intended date; a late review does
-- not move the cadence, a very late one skips to the next boundary.
SELECT intended, every, done, isms.next_due(intended, every, done)
  FROM (VALUES (date '2026-01-31', interval '1 month', NULL::date),
               ('2026-01-31', '1 month', '2026-02-10'),
               ('2026-01-31', '1 month', '2026-03-05'),
               ('2024-02-29', '1 year', '2024-03-01'),
               ('2026-03-31', '6 months', '2027-04-02'),
               ('2026-03-31', '6 months', '2026-01-15')) AS t(intended, every, done);
SELECT pg_temp.try($$SELECT isms.next_due('2026-01-01', '1 hour', '2026-02-01')$$),
       pg_temp.try($$SELECT isms.next_due('0001-01-01', '1 day', '5000-01-01')$$);
-- Risks: next_review = identified_on + the review interval of the residual level.
SELECT name, review_interval FROM isms.risk_level WHERE matrix = 'default' ORDER BY rank;
INSERT INTO isms.risk (scope, ref, title, owner, inherent, identified_on) VALUES
  ('default', 'R-1', 'Ransomware', 'alice', '4x5', '2026-01-10'),
  ('default', 'R-2', 'Phishing', 'bob', '2x2', '2026-01-10'),
  ('default', 'R-3', 'Unassessed', 'bob', NULL, '2026-01-10'),
  ('default', 'R-4', 'Given date', 'bob', '3x3', '2026-01-10');
UPDATE isms.risk SET next_review = '2026-12-24' WHERE ref = 'R-4';
SELECT ref, residual, (isms.risk_level(residual)).name AS level, next_review FROM isms.risk ORDER BY ref;
SELECT kind, subject, subject_key, summary, due, alarms, sequence, status FROM isms.reminder ORDER BY subject_key;
-- A better residual level never postpones a scheduled review; a worse one
-- brings it forward (same start of the cycle, shorter interval).
UPDATE isms.risk SET residual_override = '1x2', residual_override_rationale = 'compensating control' WHERE ref = 'R-1';
UPDATE isms.risk SET inherent = '5x5' WHERE ref = 'R-4';
UPDATE isms.risk SET inherent = '3x4' WHERE ref = 'R-3';
SELECT ref, residual, (isms.risk_level(residual)).name AS level, next_review FROM isms.risk ORDER BY ref;
-- Recorded reviews advance from the intended date: on time, late, very late.
INSERT INTO isms.risk_review (risk_id, reviewed_on, reviewer, notes)
SELECT id, '2027-01-02', 'ciso', 'on time' FROM isms.risk WHERE ref = 'R-2';
INSERT INTO isms.risk_review (risk_id, reviewed_on, reviewer, notes)
SELECT id, '2027-04-20', 'ciso', 'late' FROM isms.risk WHERE ref = 'R-2';
INSERT INTO isms.risk_review (risk_id, reviewed_on, reviewer, notes)
SELECT id, '2031-02-01', 'ciso', 'very late' FROM isms.risk WHERE ref = 'R-2';
SELECT r.ref, v.reviewed_on, v.notes, v.intended, v.next_review
  FROM isms.risk_review v JOIN isms.risk r ON r.id = v.risk_id ORDER BY v.id;
SELECT ref, next_review FROM isms.risk WHERE ref = 'R-2';
SELECT subject_key, due, sequence FROM isms.reminder WHERE kind = 'risk_review' ORDER BY subject_key;
-- Treatment plans: due reminder; done marks it done.  Acceptances: expiry
-- reminder while in force; a newer acceptance supersedes (cancelled).
SELECT isms.treat((SELECT id FROM isms.risk WHERE ref = 'R-1'), 'modify', 'Offline backups', 'ops', '2026-06-30');
SELECT isms.treat((SELECT id FROM isms.risk WHERE ref = 'R-4'), 'modify', 'Awareness training', 'hr', '2026-09-30');
UPDATE isms.treatment SET status = 'done', completed_on = '2026-06-01' WHERE plan = 'Offline backups';
UPDATE isms.treatment SET status = 'cancelled' WHERE plan = 'Awareness training';
SELECT isms.accept_risk((SELECT id FROM isms.risk WHERE ref = 'R-2'), 'ciso', 'low risk', '2027-01-01');
SELECT isms.accept_risk((SELECT id FROM isms.risk WHERE ref = 'R-2'), 'ciso', 'still low', '2027-06-30');
SELECT kind, summary, due, alarms, sequence, status FROM isms.reminder
 WHERE kind IN ('treatment_due', 'acceptance_expiry') ORDER BY kind, subject_key;
-- Closing cancels; reopening revives the same UID; deleting cancels.
CREATE TEMP TABLE uid_r2 AS SELECT uid FROM isms.reminder WHERE kind = 'risk_review'
   AND subject_key = (SELECT id::text FROM isms.risk WHERE ref = 'R-2');
SELECT isms.close_risk((SELECT id FROM isms.risk WHERE ref = 'R-2'), 'outsourced');
SELECT status, sequence FROM isms.reminder WHERE uid = (SELECT uid FROM uid_r2);
SELECT isms.reopen_risk((SELECT id FROM isms.risk WHERE ref = 'R-2'), 'back in house');
SELECT status, sequence, due FROM isms.reminder WHERE uid = (SELECT uid FROM uid_r2);
DELETE FROM isms.risk WHERE ref = 'R-4';
SELECT kind, status FROM isms.reminder
 WHERE (kind = 'risk_review' AND subject_key = '4') OR (kind = 'treatment_due' AND subject_key = '2')
 ORDER BY kind;
-- A closed risk is not reviewed; bad reviews are refused and change nothing.
INSERT INTO isms.risk (scope, ref, title, owner, inherent, identified_on) VALUES ('default', 'R-5', 'Closed one', 'bob', '2x3', '2026-01-10');
SELECT isms.close_risk((SELECT id FROM isms.risk WHERE ref = 'R-5'), 'duplicate of R-2');
SELECT pg_temp.try($$INSERT INTO isms.risk_review (risk_id, reviewer) SELECT id, 'x' FROM isms.risk WHERE ref = 'R-5'$$),
       pg_temp.try($$INSERT INTO isms.risk_review (risk_id, reviewer) VALUES (999, 'x')$$),
       pg_temp.try($$INSERT INTO isms.risk_review (risk_id, reviewer) VALUES (1, ' ')$$);
SELECT count(*) AS reviews, (SELECT next_review FROM isms.risk WHERE ref = 'R-5') AS r5_next_review FROM isms.risk_review;
-- The reminder trigger follows exactly its source, isms.risk_reminder:
-- applying the source again to every risk changes nothing.
CREATE TEMP TABLE seq_r1 AS SELECT sequence, updated_at FROM isms.reminder
 WHERE kind = 'risk_review' AND subject_key = (SELECT id::text FROM isms.risk WHERE ref = 'R-1');
SELECT isms.reminder_source_sync('isms.risk', 'isms.risk_reminder', true) AS rewritten;
SELECT r.sequence = s.sequence AS same_sequence, r.updated_at = s.updated_at AS not_rewritten
  FROM isms.reminder r, seq_r1 s
 WHERE r.kind = 'risk_review' AND r.subject_key = (SELECT id::text FROM isms.risk WHERE ref = 'R-1');
-- A bulk insert is one set-based statement: 1000 risks, 1000 reminders.
INSERT INTO isms.risk (scope, ref, title, owner, inherent, identified_on)
SELECT 'default', 'B-' || g, 'Bulk ' || g, 'owner' || g % 7, isms.risk_score(1 + g % 5, 1 + g % 4), '2026-02-01'
  FROM generate_series(1, 1000) g;
SELECT count(*) AS bulk_reminders, count(DISTINCT uid) AS distinct_uids, min(due), max(due)
  FROM isms.reminder r JOIN isms.risk k ON r.kind = 'risk_review' AND r.subject_key = k.id::text
 WHERE k.ref LIKE 'B-%';
-- SoA entries: reviewing one moves next_review forward by
-- isms.soa_review_months (12) from the intended date.
SELECT isms.soa_init('default', 'iso27001-2022') > 0 AS soa_ready;
UPDATE isms.soa_entry SET applicable = true, justification = 'Risk R-1', owner = 'ciso', last_reviewed = '2026-01-15'
 WHERE framework = 'iso27001-2022' AND control_ref IN ('5.1', '5.2', '8.13');
UPDATE isms.soa_entry SET last_reviewed = '2027-03-01' WHERE control_ref = '5.1';
SET isms.soa_review_months = 6;
UPDATE isms.soa_entry SET last_reviewed = '2026-07-01' WHERE control_ref = '5.2';
RESET isms.soa_review_months;
UPDATE isms.soa_entry SET last_reviewed = '2026-02-01', next_review = '2026-03-01' WHERE control_ref = '8.13';
SELECT control_ref, last_reviewed, next_review FROM isms.soa_entry
 WHERE next_review IS NOT NULL ORDER BY control_ref;
SELECT subject_key, summary, due, sequence, status FROM isms.reminder WHERE kind = 'soa_review' ORDER BY subject_key;
DELETE FROM isms.soa_entry WHERE control_ref = '8.13';
SELECT subject_key, status, sequence FROM isms.reminder WHERE kind = 'soa_review' AND subject_key LIKE '%8.13';
SELECT pg_temp.try('SET isms.soa_review_months = 0'), pg_temp.try('SET isms.soa_review_months = 61');
-- During a restore (COPY by a superuser with an empty search_path, what
-- pg_dump scripts do) the schedule triggers do nothing: the dump holds
-- their results.
SELECT count(*) AS reminders_before FROM isms.reminder;
SET search_path = '';
COPY isms.risk (id, scope, ref, title, owner, matrix, inherent, status, identified_on, next_review, residual_computed) FROM stdin;
9001	default	RESTORED-1	Restored risk	carol	default	3x3	assessed	2025-05-05	2025-11-05	3x3
\.
RESET search_path;
SELECT ref, next_review FROM isms.risk WHERE ref = 'RESTORED-1';
SELECT count(*) AS reminders_after FROM isms.reminder;
SELECT isms.restore_in_progress() AS restoring_now;
-- A statement's rows are one set for the reminder trigger (here on the
-- scratch table of test/regress/reminder_subject.sql): the same SEQUENCE
-- rule for every row, an unchanged row not rewritten.
\set borrow_kinds off
\i test/regress/reminder_subject.sql
INSERT INTO pg_temp.subject (id, kind, scope, owner, summary, description, due, rrule, alarms) VALUES
  ('a', 'set_test', 'default', 'ann', 'A', NULL, '2026-05-01', NULL, '{1 day}'),
  ('b', 'set_test', 'default', 'bob', 'B', 'two', '2026-05-02', 'FREQ=YEARLY', NULL);
CREATE TEMP TABLE set_before AS SELECT subject_key, uid, sequence, updated_at FROM isms.reminder WHERE kind = 'set_test';
UPDATE pg_temp.subject SET due = CASE id WHEN 'b' THEN date '2026-05-09' ELSE due END WHERE kind = 'set_test';
SELECT r.subject_key, r.due, r.rrule, r.sequence, r.uid = b.uid AS same_uid, r.updated_at = b.updated_at AS not_rewritten
  FROM isms.reminder r JOIN set_before b USING (subject_key) WHERE r.kind = 'set_test' ORDER BY 1;
-- Done, then cancelled; a reminder already in the status is left alone.
UPDATE pg_temp.subject SET status = 'done' WHERE id = 'a';
UPDATE pg_temp.subject SET status = 'cancelled' WHERE id IN ('a', 'b', 'nonexistent');
UPDATE pg_temp.subject SET status = 'cancelled' WHERE id IN ('a', 'b');
SELECT subject_key, status, sequence FROM isms.reminder WHERE kind = 'set_test' ORDER BY 1;
-- Errors, and nothing written: a source that yields one subject twice, a
-- bad RRULE, an unknown status.
CREATE TABLE pg_temp.twice_subject (LIKE pg_temp.subject INCLUDING ALL);
INSERT INTO isms.reminder_kind (kind, subject, description) VALUES ('twice_test', 'pg_temp.twice_subject', 'twice');
SET client_min_messages = warning;
CREATE VIEW pg_temp.twice_source AS SELECT s.* FROM pg_temp.twice_subject s, (VALUES (1), (2)) v(n);
RESET client_min_messages;
SELECT isms.attach_reminders('pg_temp.twice_subject', 'pg_temp.twice_source');
SELECT pg_temp.try($$INSERT INTO pg_temp.twice_subject (id, kind, scope, summary, due) VALUES ('c', 'twice_test', 'default', 'C', '2026-05-01')$$) AS twice,
       pg_temp.try($$INSERT INTO pg_temp.subject (id, kind, scope, summary, due, rrule) VALUES ('d', 'set_test', 'default', 'D', '2026-05-01', 'FREQ=SOMETIMES')$$) AS bad_rrule,
       pg_temp.try($$INSERT INTO pg_temp.subject (id, kind, scope, summary, due, status) VALUES ('e', 'set_test', 'default', 'E', '2026-05-01', 'postponed')$$) AS bad_status;
-- A statement that changes no row touches no reminder.
UPDATE pg_temp.subject SET due = due WHERE false;
DELETE FROM pg_temp.subject WHERE false;
SELECT subject_key, status, sequence FROM isms.reminder WHERE kind IN ('set_test', 'twice_test') ORDER BY 1;
-- The UID check: 1 to 200 characters, "@", 1 to 253 of [A-Za-z0-9.-].
SELECT left(u, 8) AS uid_start, length(u) AS uid_length, pg_temp.try(format($$INSERT INTO isms.reminder (uid, kind, subject, subject_key, scope, summary, due)
         VALUES (%L, 'uid_test', 'isms.scope', %L, 'default', 'x', '2026-01-01')$$, u, u)) AS result
  FROM (VALUES (repeat('a', 200) || '@' || repeat('b', 253)), (repeat('a', 201) || '@b'), ('a@' || repeat('b', 254)),
               ('a@b@c'), ('a b@c'), ('@c'), ('a@'), ('a@c_d')) v(u);
SELECT count(*) AS uid_test_rows FROM isms.reminder WHERE kind = 'uid_test';
-- The rule itself (isms.uid_is_valid, in C): characters, not bytes, count
-- towards the 200; no whitespace or control character; NULL stays NULL.
SELECT u IS NULL AS is_null, length(u) AS chars, octet_length(u) AS bytes, isms.uid_is_valid(u) AS valid
  FROM (VALUES (repeat('ä', 200) || '@b'), (repeat('ä', 201) || '@b'), (E'a\tb@c'), (E'a\u0001@c'),
               (E'a\u007f@c'), ('a@B-9.x'), ('ü@c'), ('a@ü'), (NULL)) v(u);
-- New UIDs are time-ordered (RFC 9562 version 7): the first 48 bits are the
-- creation time in milliseconds, and the UIDs one session makes increase.
SELECT bool_and(abs(('x' || translate(left(u, 13), '-', ''))::bit(48)::bigint
                    - (extract(epoch FROM clock_timestamp()) * 1000)::bigint) < 60000) AS time_prefix_now,
       bool_and(u ~ '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}@') AS version_7,
       count(DISTINCT u) AS distinct_uids,
       (array_agg(u ORDER BY g) = array_agg(u ORDER BY u COLLATE "C")) AS increasing
  FROM (SELECT g, isms.new_uid() AS u FROM generate_series(1, 5000) g) s;
-- The trigger reads review intervals through the one matrix cache, valid
-- for one snapshot: a changed level counts from the next statement on,
-- within the same transaction too.
SELECT isms.risk_matrix_copy('default', 'm2');
BEGIN;
INSERT INTO isms.risk (scope, ref, title, owner, matrix, inherent, identified_on)
VALUES ('default', 'M2-1', 'Before', 'bob', 'm2', '2x2', '2026-01-01');
UPDATE isms.risk_level SET review_interval = '2 months' WHERE matrix = 'm2' AND name = (isms.risk_level('2x2', 'm2')).name;
INSERT INTO isms.risk (scope, ref, title, owner, matrix, inherent, identified_on)
VALUES ('default', 'M2-2', 'After', 'bob', 'm2', '2x2', '2026-01-01');
SELECT ref, next_review FROM isms.risk WHERE ref LIKE 'M2-%' ORDER BY ref;
COMMIT;
-- Sets of 64 or more: a plain INSERT when no subject has a reminder yet, the
-- upsert otherwise; a subject twice still fails as one statement (the
-- plain INSERT is undone, the upsert reports it) and writes nothing.
INSERT INTO pg_temp.subject (id, kind, scope, summary, due)
SELECT g::text, 'bulk_test', 'default', 'B' || g, '2026-06-01' FROM generate_series(1, 100) g;
INSERT INTO pg_temp.subject AS s (id, kind, scope, summary, due)
SELECT g::text, 'bulk_test', 'default', 'B' || g, CASE WHEN g % 2 = 0 THEN date '2026-07-01' ELSE '2026-06-01' END
  FROM generate_series(51, 150) g
ON CONFLICT (id) DO UPDATE SET due = excluded.due;
SELECT sequence, due, count(*) FROM isms.reminder WHERE kind = 'bulk_test' GROUP BY 1, 2 ORDER BY 1, 2;
INSERT INTO isms.reminder_kind (kind, subject, description) VALUES ('bulk_test2', 'pg_temp.twice_subject', 'twice, in bulk');
SELECT pg_temp.try($$INSERT INTO pg_temp.twice_subject (id, kind, scope, summary, due)
  SELECT g::text, 'bulk_test2', 'default', 'C' || g, '2026-06-01' FROM generate_series(1, 80) g$$) AS twice;
SELECT count(*) AS bulk_test2_rows FROM isms.reminder WHERE kind = 'bulk_test2';
-- The effective score, one rule (isms.effective_score, the C code of the
-- next-review trigger): override, else computed residual, else inherent.
SELECT o, c, i, isms.effective_score(o::isms.risk_score, c::isms.risk_score, i::isms.risk_score) AS effective
  FROM (VALUES ('1x1', '2x2', '3x3'), (NULL, '2x2', '3x3'), (NULL, NULL, '3x3'), (NULL, NULL, NULL)) v(o, c, i);
-- ...and every risk's review follows it: no risk whose next review a
-- review would compute from another score.
SELECT count(*) AS risks_where_the_rules_differ FROM isms.risk
 WHERE isms.effective_score(residual_override, residual_computed, inherent)::text IS DISTINCT FROM coalesce(residual, inherent)::text;
