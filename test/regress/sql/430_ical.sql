-- 43_ical: iCalendar export (golden, byte-identical for the same data,
-- VEVENT/VTODO, VALARM, RRULE, cancel and done across re-exports, filters)
-- and import of a certification body's invitations (rule, all or nothing,
-- malformed calendars with libical's reason).
\i test/regress/setup.sql
SET isms.uid_domain = 'isms.example.org';
INSERT INTO isms.scope (id, name) VALUES ('emea', 'EMEA');
\i test/regress/reminder_subject.sql
-- Data: a certificate (its cycle), an internal audit, and reviews synced
-- directly (as the register's triggers will): a recurring one with an
-- RRULE, a timed one, one with text that needs escaping and folding.
INSERT INTO isms.certification (scope, certification_body, certificate_number, decided_on)
VALUES ('emea', 'ACME Certification; Audit, Ltd', 'IS 700001', '2024-02-29');
INSERT INTO isms.audit (scope, kind, due_by, auditor) VALUES ('emea', 'internal', '2026-01-31', 'Internal Audit');
SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '1', 'emea', 'Zoë Müller',
  'Review risk R-1: ransomware, backups; "offline"',
  'Residual level: high.' || E'\n' || 'Long text that is longer than seventy-five octets so that libical folds it onto continuation lines.',
  '2026-05-01', NULL, '{7 days,1 day}');
SELECT pg_temp.reminder_sync('soa_review', 'pg_temp.subject', '2', 'emea', 'ciso@example.org',
  'Review the Statement of Applicability', NULL, '2026-03-01', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', '{14 days}');
SELECT pg_temp.reminder_sync('management_review', 'pg_temp.subject', '3', 'default', NULL,
  'Management review meeting', NULL, '2026-06-15', NULL, '{1 day}',
  '2026-06-15 09:00+02', '2026-06-15 11:30+02');
-- Fixture: fixed UIDs and times, so the golden output is deterministic by the data.
UPDATE isms.reminder SET uid = kind || '-' || subject_key || '@isms.example.org',
       created_at = '2026-01-05 08:00+00', updated_at = '2026-01-05 08:00+00';
\pset format unaligned
\pset tuples_only on
-- The whole calendar, reviews as events (the default).
SELECT isms.ical_export();
-- One scope, reviews as to-dos (management_review and soa_review become VTODO).
SELECT isms.ical_export('default', review_component => 'vtodo');
SET isms.review_component = 'vtodo';
SELECT isms.ical_export(kinds => '{soa_review}');
RESET isms.review_component;
\pset format aligned
\pset tuples_only off
-- Same data, same bytes; CRLF line ends, no line longer than 75 octets.
SELECT md5(isms.ical_export()) = md5(isms.ical_export()) AS byte_identical,
       (SELECT bool_and(l ~ E'\r$') FROM regexp_split_to_table(rtrim(isms.ical_export(), E'\n'), E'\n') AS l) AS crlf,
       (SELECT max(octet_length(rtrim(l, E'\r'))) FROM regexp_split_to_table(isms.ical_export(), E'\n') AS l) <= 75 AS folded;
-- Filters: scope, kinds, owner, since (changed at or after a moment).
SELECT (SELECT count(*) FROM regexp_matches(isms.ical_export(scope => 'emea'), 'BEGIN:VEVENT', 'g')) AS emea,
       (SELECT count(*) FROM regexp_matches(isms.ical_export(kinds => '{risk_review,soa_review}'), 'BEGIN:VEVENT', 'g')) AS reviews,
       (SELECT count(*) FROM regexp_matches(isms.ical_export(owner => 'Zoë Müller'), 'BEGIN:VEVENT', 'g')) AS zoe,
       (SELECT count(*) FROM regexp_matches(isms.ical_export(since => '2026-01-06'), 'BEGIN:VEVENT', 'g')) AS changed_later,
       (SELECT count(*) FROM regexp_matches(isms.ical_export(scope => 'nowhere'), 'BEGIN:V', 'g')) AS empty_calendar;
-- Update across re-exports: moving the review date gives SEQUENCE:1 and new
-- DTSTART under the same UID; cancelling gives STATUS:CANCELLED, SEQUENCE:2,
-- no alarm; the event stays in the feed.
CREATE TEMP TABLE before AS SELECT isms.ical_export(kinds => '{risk_review}') AS ics;
SELECT pg_temp.reminder_sync('risk_review', 'pg_temp.subject', '1', 'emea', 'Zoë Müller',
  'Review risk R-1: ransomware, backups; "offline"',
  'Residual level: high.' || E'\n' || 'Long text that is longer than seventy-five octets so that libical folds it onto continuation lines.',
  '2026-06-01', NULL, '{7 days,1 day}');
UPDATE isms.reminder SET updated_at = '2026-02-01 09:00+00' WHERE kind = 'risk_review';
SELECT pg_temp.reminder_cancel('risk_review', 'pg_temp.subject', '1');
UPDATE isms.reminder SET updated_at = '2026-02-02 09:00+00' WHERE kind = 'risk_review';
SELECT l FROM regexp_split_to_table(isms.ical_export(kinds => '{risk_review}'), E'\r\n') AS l
 WHERE l ~ '^(UID|SEQUENCE|STATUS|DTSTART|DTSTAMP|BEGIN:VALARM)';
SELECT ics <> isms.ical_export(kinds => '{risk_review}') AS changed FROM before;
SELECT pg_temp.try($$SELECT isms.ical_export(review_component => 'vjournal')$$);
-- Reading calendars: every VEVENT as a row, days in the session time zone.
SELECT * FROM isms.ical_events(isms.ical_export(scope => 'default'));
SET timezone = 'Pacific/Auckland';
SELECT uid, first_day, last_day, starts_at, ends_at FROM isms.ical_events(E'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:tz@x\r\nDTSTART:20260301T220000Z\r\nDTEND:20260302T020000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n');
SET timezone = 'UTC';
-- Import.  The certification body confirms surveillance audit 1 by
-- answering our own event (same UID), sends a new invitation for
-- surveillance 2 (its own UID, matched to the open cycle audit), invites
-- to an extra stage 1 audit (created), and sends something that is not an
-- audit (ignored).
SELECT isms.ical_import(
  E'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Body//EN\r\nMETHOD:REQUEST\r\n' ||
  E'BEGIN:VEVENT\r\nUID:surveillance_audit-1@isms.example.org\r\nDTSTAMP:20260110T000000Z\r\nSEQUENCE:1\r\nDTSTART;VALUE=DATE:20250210\r\nDTEND;VALUE=DATE:20250212\r\nSUMMARY:Surveillance audit 1\r\nORGANIZER;CN=Jane Auditor:mailto:jane@body.example\r\nEND:VEVENT\r\n' ||
  E'BEGIN:VEVENT\r\nUID:body-4711@body.example\r\nDTSTAMP:20260110T000000Z\r\nDTSTART;TZID=Europe/Berlin:20260223T090000\r\nDTEND;TZID=Europe/Berlin:20260224T170000\r\nSUMMARY:ISO 27001 Surveillance Audit (2nd year)\r\nEND:VEVENT\r\n' ||
  E'BEGIN:VEVENT\r\nUID:body-4712@body.example\r\nDTSTAMP:20260110T000000Z\r\nDTSTART:20260901T080000Z\r\nDTEND:20260901T160000Z\r\nSUMMARY:Stage 1 audit - new site\r\nEND:VEVENT\r\n' ||
  E'BEGIN:VEVENT\r\nUID:body-4713@body.example\r\nDTSTAMP:20260110T000000Z\r\nDTSTART;VALUE=DATE:20260305\r\nSUMMARY:Christmas party\r\nEND:VEVENT\r\n' ||
  E'END:VCALENDAR\r\n', 'emea');
SELECT id, kind, due_by, planned_start, planned_end, status, auditor, external_uid, title
  FROM isms.audit ORDER BY id;
SELECT kind, subject_key, due, last_day, sequence FROM isms.reminder
 WHERE subject = 'isms.audit'::regclass ORDER BY subject_key::int;
-- The same invitations again change nothing; a moved date changes one
-- audit; a cancellation clears the planned days.
SELECT isms.ical_import(E'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:body-4711@body.example\r\nDTSTART;TZID=Europe/Berlin:20260223T090000\r\nDTEND;TZID=Europe/Berlin:20260224T170000\r\nSUMMARY:ISO 27001 Surveillance Audit (2nd year)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n', 'emea') AS unchanged;
SELECT isms.ical_import(E'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:body-4711@body.example\r\nDTSTART;VALUE=DATE:20260302\r\nSUMMARY:Surveillance\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n', 'emea') AS moved;
SELECT isms.ical_import(E'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:body-4712@body.example\r\nDTSTART:20260901T080000Z\r\nSTATUS:CANCELLED\r\nSUMMARY:Stage 1 audit - new site\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n', 'emea') AS cancelled;
SELECT id, kind, planned_start, planned_end, status, external_uid FROM isms.audit WHERE external_uid IS NOT NULL ORDER BY id;
-- Malformed calendars: 22P02 with libical's reason, and nothing written
-- (all or nothing: the good event before the bad one is not kept).
CREATE TEMP TABLE counts AS SELECT (SELECT count(*) FROM isms.audit) AS a,
  (SELECT string_agg(uid || sequence, ',' ORDER BY uid) FROM isms.reminder) AS r;
CREATE FUNCTION pg_temp.why(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
  EXECUTE sql;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
  RETURN SQLSTATE || ': ' || SQLERRM || coalesce(' / ' || nullif(d, ''), '');
END
$$;
SELECT name, pg_temp.why(format('SELECT isms.ical_import(%L, %L)', ics, 'emea')) AS result FROM (VALUES
  ('empty', ''),
  ('not iCalendar', 'hello world'),
  ('a lone VEVENT', E'BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260101T000000Z\r\nEND:VEVENT\r\n'),
  ('two calendars', E'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n'),
  ('bad DTSTART', E'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:2026-13-45\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'),
  ('bad property line', E'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260101\r\n:no name\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'),
  ('no UID', E'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20260101T000000Z\r\nSUMMARY:Surveillance audit\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'),
  ('no DTSTART', E'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Surveillance audit\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'),
  ('end before start', E'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260105T000000Z\r\nDTEND:20260101T000000Z\r\nSUMMARY:Surveillance audit\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'),
  ('unknown TZID', E'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=Mars/Olympus:20260105T090000\r\nSUMMARY:Surveillance audit\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'),
  ('bad parameter', E'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=FOO:20260105\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'),
  ('second event bad', E'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:good@x\r\nDTSTART;VALUE=DATE:20260105\r\nSUMMARY:Stage 2 audit\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:bad@x\r\nSUMMARY:Stage 2 audit\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'),
  ('unterminated', E'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20260105\r\n'),
  ('bad duration', E'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20260105\r\nDURATION:P1X\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'),
  ('year 10000', E'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:100000105\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n')
) AS t(name, ics);
-- Errors that are not about the text.
SELECT pg_temp.why($$SELECT isms.ical_import(E'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:new@x\r\nDTSTART;VALUE=DATE:20260105\r\nSUMMARY:Stage 2 audit\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n')$$) AS no_scope,
       pg_temp.why($$SELECT isms.ical_import(E'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', 'nowhere')$$) AS bad_scope,
       isms.ical_import(NULL) AS null_text,
       isms.ical_import(E'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n', 'emea') AS no_events;
SELECT (SELECT count(*) FROM isms.audit) = a AS no_audit_written,
       (SELECT string_agg(uid || sequence, ',' ORDER BY uid) FROM isms.reminder) = r AS no_reminder_changed
  FROM counts;
-- Text the export must not pass through as it is: control characters (RFC
-- 5545 3.3.11 allows none but HTAB in TEXT; LF is written as \n) are left
-- out, a value left empty is not written; and every summary length around
-- libical 3.0's folding slip (a last fold of exactly 74 octets came out as
-- CR, CRLF, space, LF) gives clean CRLF lines that unfold to the summary.
BEGIN;
SELECT pg_temp.reminder_sync('text_test', 'pg_temp.subject', 'ctl', 'emea', NULL,
         E'a\x01b\x7fc\td\re', E'\x02\x03', '2026-07-01'),
       pg_temp.reminder_sync('text_test', 'pg_temp.subject', 'ctl-owner', 'emea', E'\x04',
         'Owner is only a control character', NULL, '2026-07-01');
SELECT count(*) AS summaries FROM (
  SELECT pg_temp.reminder_sync('text_test', 'pg_temp.subject', 'len-' || n, 'emea', NULL,
           repeat('x', n), NULL, '2026-07-02')
    FROM generate_series(55, 160) n) s;
CREATE TEMP TABLE text_export AS SELECT isms.ical_export(kinds => '{text_test}') AS x;
SELECT replace(l, E'\t', '<TAB>') AS line
  FROM text_export, regexp_split_to_table(replace(x, E'\r\n ', ''), E'\r\n') l
 WHERE l ~ '^(SUMMARY|DESCRIPTION):' AND l !~ '^SUMMARY:x';
SELECT position(E'\r' IN replace(x, E'\r\n', '')) = 0 AS no_bare_cr,
       position(E'\n' IN replace(x, E'\r\n', '')) = 0 AS no_bare_lf,
       x !~ E'[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]' AS no_control_characters,
       (SELECT max(octet_length(l)) FROM regexp_split_to_table(x, E'\r\n') l) <= 75 AS folded,
       (SELECT bool_and(position(E'\r\nSUMMARY:' || repeat('x', n) || E'\r\n' IN replace(x, E'\r\n ', '')) > 0)
          FROM generate_series(55, 160) n) AS summaries_unfold
  FROM text_export;
-- The calendar name (a setting) goes through the same repair.
CREATE TEMP TABLE name_check (n int, clean boolean);
DO $$
BEGIN
  FOR n IN 50..140 LOOP
    PERFORM set_config('isms.calendar_name', repeat('n', n), true);
    INSERT INTO name_check
      SELECT n, position(E'\r' IN replace(isms.ical_export(kinds => '{none}'), E'\r\n', '')) = 0;
  END LOOP;
END
$$;
SELECT count(*) AS names, bool_and(clean) AS names_clean FROM name_check;
ROLLBACK;
