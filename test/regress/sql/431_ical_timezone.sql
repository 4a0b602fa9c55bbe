-- 43_ical_timezone: timed recurring reminders are exported in the session
-- TimeZone (DTSTART/DTEND/DUE with TZID, local wall time) with that zone's
-- VTIMEZONE from libical's built-in zones, so a weekly 09:00 Europe/Berlin
-- meeting stays at 09:00 across daylight-saving changes.  One-off timed
-- reminders stay in UTC, all-day ones stay dates; zones with one fixed
-- offset need no VTIMEZONE; a zone libical does not know falls back to UTC
-- with a WARNING.
\i test/regress/setup.sql
SET isms.uid_domain = 'isms.example.org';
\i test/regress/reminder_subject.sql
SET timezone = 'Europe/Berlin';
-- A weekly stand-up at 09:00 Berlin time that crosses the change to summer
-- time (2026-03-29), a one-off timed meeting, and an all-day review.
SELECT pg_temp.reminder_sync('management_review', 'pg_temp.subject', '1', 'default', NULL,
  'Weekly ISMS stand-up', NULL, '2026-03-16', 'FREQ=WEEKLY;COUNT=4', '{15 minutes}',
  '2026-03-16 09:00', '2026-03-16 09:30');
SELECT pg_temp.reminder_sync('management_review', 'pg_temp.subject', '2', 'default', NULL,
  'Management review meeting', NULL, '2026-06-15', NULL, NULL,
  '2026-06-15 09:00', '2026-06-15 11:30');
SELECT pg_temp.reminder_sync('soa_review', 'pg_temp.subject', '3', 'default', NULL,
  'Review the Statement of Applicability', NULL, '2026-03-01', 'FREQ=YEARLY', NULL);
UPDATE isms.reminder SET uid = kind || '-' || subject_key || '@isms.example.org',
       created_at = '2026-01-05 08:00+00', updated_at = '2026-01-05 08:00+00';
-- The calendar.  The VTIMEZONE comes from the system's zoneinfo (its
-- history changes with tzdata releases), so its observances are elided
-- here and checked by the query after; the rest of the text is exact.
CREATE FUNCTION pg_temp.shown(ics text) RETURNS text LANGUAGE sql AS $$
  SELECT regexp_replace(ics, E'(BEGIN:VTIMEZONE\r\nTZID:[^\r]*\r\nX-LIC-LOCATION:[^\r]*\r\n).*?(END:VTIMEZONE\r\n)',
                        E'\\1 ... observances ...\r\n\\2', 's')
$$;
\pset format unaligned
\pset tuples_only on
SELECT pg_temp.shown(isms.ical_export());
\pset format aligned
\pset tuples_only off
-- The VTIMEZONE: one, before the first event, with Berlin's rules (CET
-- +0100, CEST +0200, summer time from the last Sunday of March).
SELECT (SELECT count(*) FROM regexp_matches(x, 'BEGIN:VTIMEZONE', 'g')) AS vtimezones,
       strpos(x, 'BEGIN:VTIMEZONE') < strpos(x, 'BEGIN:VEVENT') AS before_events,
       x ~ E'BEGIN:DAYLIGHT\r\nTZNAME:CEST\r\nTZOFFSETFROM:\\+0100\r\nTZOFFSETTO:\\+0200\r\nDTSTART:[0-9T]+\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n' AS summer_rule,
       x ~ E'BEGIN:STANDARD\r\nTZNAME:CET\r\nTZOFFSETFROM:\\+0200\r\nTZOFFSETTO:\\+0100\r\nDTSTART:[0-9T]+\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n' AS winter_rule,
       md5(x) = md5(isms.ical_export()) AS byte_identical,
       (SELECT max(octet_length(rtrim(l, E'\r'))) FROM regexp_split_to_table(x, E'\n') AS l) <= 75 AS folded
  FROM (SELECT isms.ical_export() AS x OFFSET 0) s;
-- libical reads the calendar back (resolving TZID through the VTIMEZONE)
-- to the stored moments, whatever the reader's zone.
SET timezone = 'America/New_York';
SELECT e.uid, e.starts_at = r.starts_at AS same_start, e.ends_at = r.ends_at AS same_end
  FROM isms.ical_events((SELECT isms.ical_export() FROM (SELECT set_config('timezone', 'Europe/Berlin', true)) c)) e
  JOIN isms.reminder r USING (uid)
 WHERE r.starts_at IS NOT NULL ORDER BY e.uid;
SET timezone = 'Europe/Berlin';
-- The occurrences the calendar describes are the ones isms.rrule_occurrences
-- gives in the same zone: 09:00 local on both sides of the change.
SELECT o AS occurrence, o AT TIME ZONE 'UTC' AS utc
  FROM isms.rrule_occurrences('FREQ=WEEKLY;COUNT=4', '2026-03-16 09:00') AS o;
-- Reviews as to-dos: DUE in the zone too.
SELECT l FROM regexp_split_to_table(pg_temp.shown(isms.ical_export(review_component => 'vtodo')), E'\r\n') AS l
 WHERE l ~ '^(BEGIN:VTODO|UID|DTSTART|DUE|DTEND|RRULE)';
-- A zone with one fixed offset (and UTC itself): UTC times, no VTIMEZONE.
SET timezone = 'Etc/GMT-2';
SELECT strpos(x, 'VTIMEZONE') = 0 AS no_vtimezone, x ~ E'DTSTART:20260316T080000Z\r\n' AS utc_start
  FROM (SELECT isms.ical_export() AS x OFFSET 0) s;
SET timezone = 'UTC';
SELECT strpos(x, 'VTIMEZONE') = 0 AS no_vtimezone, x ~ E'DTSTART:20260316T080000Z\r\n' AS utc_start
  FROM (SELECT isms.ical_export() AS x OFFSET 0) s;
-- A zone PostgreSQL accepts but libical does not know (a POSIX rule):
-- UTC times, no VTIMEZONE, and a WARNING that says what to do.
SET timezone = 'CET-1CEST,M3.5.0,M10.5.0/3';
SELECT strpos(x, 'VTIMEZONE') = 0 AS no_vtimezone, x ~ E'DTSTART:20260316T080000Z\r\n' AS utc_start
  FROM (SELECT isms.ical_export() AS x OFFSET 0) s;
-- Without timed recurring reminders there is nothing to warn about and no VTIMEZONE.
SELECT strpos(isms.ical_export(kinds => '{soa_review}'), 'VTIMEZONE') = 0 AS no_vtimezone;
SET timezone = 'Europe/Berlin';
SELECT strpos(isms.ical_export(kinds => '{soa_review}'), 'VTIMEZONE') = 0 AS no_vtimezone_without_timed_rules;
