-- 40_reminder: isms.reminder as the reminder trigger keeps it for a
-- subject table (test/regress/reminder_subject.sql): stable UIDs, SEQUENCE
-- rules, cancel-not-delete, done, the restore guard.
\i test/regress/setup.sql
SET isms.uid_domain = 'isms.example.org';
\i test/regress/reminder_subject.sql
-- A new reminder: SEQUENCE 0, scheduled, UID = time-ordered UUID (version 7)
-- @ the configured domain.
BEGIN;
SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '1', 'default', 'alice',
  'Review risk R-1', 'Residual level high', '2026-05-01');
SELECT uid ~ '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}@isms\.example\.org$' AS uid_ok,
       kind, subject, subject_key, scope, owner, summary, due, sequence, status,
       created_at = now() AS created_now, updated_at = now() AS updated_now
  FROM isms.reminder;
COMMIT;
CREATE TABLE pg_temp.uid1 AS SELECT uid FROM isms.reminder;
-- The same call again writes nothing: SEQUENCE stays 0.
SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '1', 'default', 'alice',
  'Review risk R-1', 'Residual level high', '2026-05-01');
SELECT sequence, xmin = (SELECT xmin FROM isms.reminder) AS same_tuple FROM isms.reminder;
-- Every calendar-visible change adds one; the UID never changes, even when
-- the domain setting changes later.
SET isms.uid_domain = 'other.example.org';
SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '1', 'default', 'alice',
  'Review risk R-1', 'Residual level high', '2026-06-01');                         -- due
SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '1', 'default', 'bob',
  'Review risk R-1', 'Residual level high', '2026-06-01');                         -- owner
SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '1', 'default', 'bob',
  'Review risk R-1', 'Residual level high', '2026-06-01', 'FREQ=YEARLY');          -- rrule
SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '1', 'default', 'bob',
  'Review risk R-1', 'Residual level high', '2026-06-01', 'FREQ=YEARLY', '{7 days,1 day}'); -- alarms
SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '1', 'default', 'bob',
  'Review risk R-1', 'Residual level high', '2026-06-01', 'FREQ=YEARLY', '{7 days,1 day}'); -- same
SELECT r.uid = u.uid AS same_uid, sequence, status, owner, due, rrule, alarms
  FROM isms.reminder r, pg_temp.uid1 u;
-- Cancel: STATUS cancelled, SEQUENCE + 1, the row stays; cancelling twice
-- changes nothing.
SELECT pg_temp.reminder_cancel('risk_review', 'pg_temp.subject', '1');
SELECT pg_temp.reminder_cancel('risk_review', 'pg_temp.subject', '1');
SELECT sequence, status FROM isms.reminder;
-- A later sync revives it (back to scheduled, SEQUENCE + 1, same UID).
SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '1', 'default', 'bob',
  'Review risk R-1', 'Residual level high', '2026-06-01', 'FREQ=YEARLY', '{7 days,1 day}');
SELECT r.uid = u.uid AS same_uid, sequence, status FROM isms.reminder r, pg_temp.uid1 u;
-- Done: only a scheduled reminder becomes done; done twice changes nothing;
-- cancelling a done reminder still works.
SELECT pg_temp.reminder_done('risk_review', 'pg_temp.subject', '1');
SELECT pg_temp.reminder_done('risk_review', 'pg_temp.subject', '1');
SELECT sequence, status FROM isms.reminder;
SELECT pg_temp.reminder_cancel('risk_review', 'pg_temp.subject', '1');
SELECT sequence, status FROM isms.reminder;
-- Cancel or done of a subject without a reminder is a no-op.
SELECT pg_temp.reminder_cancel('risk_review', 'pg_temp.subject', '99'),
       pg_temp.reminder_done('risk_review', 'pg_temp.subject', '99');
SELECT count(*) FROM isms.reminder;
-- Timed entries: start and end; multi-day all-day entries: last_day.
SELECT pg_temp.reminder_sync('audit', 'pg_temp.subject', '2', 'default', NULL,
  'Stage 2 audit', NULL, '2026-03-02', NULL, NULL,
  '2026-03-02 08:00+00', '2026-03-02 16:00+00');
SELECT pg_temp.reminder_sync('audit', 'pg_temp.subject', '3', 'default', NULL,
  'Surveillance audit', NULL, '2026-03-02', NULL, NULL, NULL, NULL, '2026-03-04');
SELECT subject_key, due, last_day, starts_at, ends_at, sequence FROM isms.reminder
 WHERE kind = 'audit' ORDER BY subject_key;
-- Bad calls are refused with their SQLSTATE and write nothing.
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '4', 'default', NULL, 'x', NULL, '2026-01-01', 'FREQ=DAILY;COUNT=x')$$),
  ($$SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '4', 'default', NULL, 'x', NULL, '2026-01-01', 'RRULE:FREQ=DAILY')$$),
  ($$SELECT pg_temp.reminder_sync('Risk Review', 'pg_temp.subject', '4', 'default', NULL, 'x', NULL, '2026-01-01')$$),
  ($$SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '4', NULL, NULL, 'x', NULL, '2026-01-01')$$),
  ($$SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '4', 'default', NULL, '  ', NULL, '2026-01-01')$$),
  ($$SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '4', 'default', NULL, 'x', NULL, NULL)$$),
  ($$SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '4', 'default', NULL, 'x', NULL, 'infinity')$$),
  ($$SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '4', 'default', NULL, 'x', NULL, '3000-12-31')$$),
  ($$SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '4', 'default', NULL, 'x', NULL, '0001-01-01')$$),
  ($$SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '4', 'default', NULL, 'x', NULL, '2026-01-01', NULL, NULL, NULL, NULL, '3000-12-31')$$),
  ($$SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '4', 'default', NULL, 'x', NULL, '2026-01-01', NULL, NULL, '3000-12-30 00:00:01+00')$$),
  ($$SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '4', 'default', NULL, 'x', NULL, '2026-01-01', NULL, NULL, '0001-01-02 23:59+00')$$),
  ($$SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '4', 'default', NULL, 'x', NULL, '2026-01-01', NULL, NULL, '2026-01-01 10:00+00', 'infinity')$$),
  ($$SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '4', 'default', NULL, 'x', NULL, '2026-01-01', NULL, '{-1 day}')$$),
  ($$SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '4', 'default', NULL, 'x', NULL, '2026-01-01', NULL, '{2 years}')$$),
  ($$SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '4', 'default', NULL, 'x', NULL, '2026-01-01', NULL, '{1 day,NULL}')$$),
  ($$SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '4', 'default', NULL, 'x', NULL, '2026-01-01', NULL, '{1,2,3,4,5,6,7,8,9,10,11}')$$),
  ($$SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '4', 'default', NULL, 'x', NULL, '2026-01-01', NULL, NULL, NULL, '2026-01-01 10:00+00')$$),
  ($$SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '4', 'default', NULL, 'x', NULL, '2026-01-01', NULL, NULL, '2026-01-01 10:00+00', '2026-01-01 09:00+00')$$),
  ($$SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '4', 'default', NULL, 'x', NULL, '2026-01-01', NULL, NULL, '2026-01-01 10:00+00', NULL, '2026-01-02')$$),
  ($$SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '4', 'default', NULL, 'x', NULL, '2026-01-02', NULL, NULL, NULL, NULL, '2026-01-01')$$),
  ($$SET isms.uid_domain = 'bad domain'$$),
  ($$SET isms.uid_domain = '-x.org'$$),
  ($$SET isms.uid_domain = 'x..org'$$),
  ($$SET isms.uid_domain = ''$$),
  ($$SET isms.calendar_name = ''$$),
  ($$SET isms.review_component = 'vjournal'$$)
) AS t(s);
SELECT count(*) AS reminders, count(*) FILTER (WHERE subject_key = '4') AS written_for_4
  FROM isms.reminder;
-- The last day and time an export carries are accepted, and exported as such.
BEGIN;
SELECT pg_temp.reminder_sync('range_test', 'pg_temp.subject', 'first', 'default', NULL, 'x', NULL, '0001-01-02'),
       pg_temp.reminder_sync('range_test', 'pg_temp.subject', 'last', 'default', NULL, 'x', NULL, '3000-12-30'),
       pg_temp.reminder_sync('range_test', 'pg_temp.subject', 'timed', 'default', NULL, 'x', NULL, '3000-12-29',
                          NULL, NULL, '3000-12-29 10:00+00', '3000-12-30 00:00+00');
SELECT line FROM regexp_split_to_table(isms.ical_export(kinds => '{range_test}'), E'\r\n') line
 WHERE line ~ '^(DTSTART|DTEND)';
-- A row outside that range that got past the checks (here: a check
-- dropped) is refused by the export, not written as 00000000T000000.
ALTER TABLE isms.reminder DROP CONSTRAINT reminder_due_in_calendar;
UPDATE isms.reminder SET due = '3001-01-01' WHERE kind = 'range_test' AND subject_key = 'last';
SELECT regexp_replace(pg_temp.try($$SELECT isms.ical_export(kinds => '{range_test}')$$), '"[^"]+"', '"<uid>"') AS export,
       pg_temp.err($$SELECT isms.ical_export(kinds => '{range_test}')$$) AS detail;
ROLLBACK;
SHOW isms.uid_domain;
-- A restore (rows inserted by pg_restore, outside the reminder functions)
-- replaces the row a subject trigger made moments before, so the restored
-- UID and SEQUENCE win and no duplicate is left.
INSERT INTO isms.reminder (uid, kind, subject, subject_key, scope, summary, due, sequence, status)
VALUES ('restored-1@isms.example.org', 'audit', 'pg_temp.subject', '3', 'default',
        'Surveillance audit', '2026-03-02', 4, 'scheduled');
SELECT CASE WHEN uid LIKE '%@other.example.org' THEN 'made by sync' ELSE uid END AS uid,
       subject_key, sequence
  FROM isms.reminder WHERE kind = 'audit' ORDER BY subject_key;
-- After the restore the subject trigger syncs the same data again: nothing changes.
SELECT pg_temp.reminder_sync('audit', 'pg_temp.subject', '3', 'default', NULL,
  'Surveillance audit', NULL, '2026-03-02');
SELECT uid, sequence FROM isms.reminder WHERE subject_key = '3';
-- The reminder table is user data for pg_dump; rows are never deleted by the
-- functions above.
SELECT 'isms.reminder'::regclass = ANY (extconfig) AS dumped FROM pg_extension WHERE extname = 'pg_isms';
-- The kind rule, one C function behind both tables' CHECKs: a lowercase
-- ASCII letter, then lowercase letters, digits and "_", 63 at most.
SELECT k AS kind, isms.kind_is_valid(k) AS valid
  FROM unnest(ARRAY['risk_review', 'a', 'a1_', repeat('a', 63), repeat('a', 64), '', '1abc', '_abc',
                    'Risk', 'risk review', 'risk-review', 'risk_révision', E'risk\n']) AS k;
SELECT isms.kind_is_valid(NULL) IS NULL AS strict;
-- Refused in isms.reminder as in isms.reminder_kind (23514, the constraint
-- named), and nothing is written.
SELECT count(*) AS before FROM isms.reminder;
SELECT pg_temp.try($$INSERT INTO isms.reminder (kind, subject, subject_key, scope, summary, due)
                     VALUES ('Risk Review', 'isms.scope', 'x', 'default', 'x', '2027-01-01')$$) AS bad_kind;
SELECT pg_temp.try($$INSERT INTO isms.reminder_kind (kind, subject, description)
                     VALUES ('9lives', 'isms.scope', 'x')$$) AS bad_declared_kind;
SELECT count(*) AS after FROM isms.reminder;
SELECT count(*) AS declared FROM isms.reminder_kind WHERE kind = '9lives';
