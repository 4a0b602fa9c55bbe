-- 400_calendar: the certification cycle, the internal-audit programme and
-- the calendar feed a user subscribes to (written to pg_isms.ics).
\echo
\echo '=== Certificate of the scope "default" (decided ten months ago): the audit programme the trigger made'
INSERT INTO isms.certification (scope, certification_body, certificate_number, decided_on)
VALUES ('default', 'ACME Certification GmbH', 'IS 712345', (current_date - interval '10 months')::date);
SELECT a.kind, a.cycle_year, a.due_by, a.status
  FROM isms.audit a JOIN isms.certification c ON c.id = a.certification
 WHERE c.certificate_number = 'IS 712345' ORDER BY a.cycle_year;

\echo '=== The body proposes dates for surveillance audit 1; the internal-audit programme and management review'
UPDATE isms.audit SET planned_start = due_by - 30, planned_end = due_by - 29, status = 'confirmed',
       auditor = 'J. Smith (ACME)'
 WHERE kind = 'surveillance' AND cycle_year = 1
   AND certification = (SELECT id FROM isms.certification WHERE certificate_number = 'IS 712345');
INSERT INTO isms.audit (scope, kind, due_by, auditor)
VALUES ('default', 'internal', (current_date - interval '2 months')::date, 'Internal Audit');
INSERT INTO isms.audit (scope, kind, due_by) VALUES ('default', 'management_review', current_date + 45);
-- The internal audit was done late; the next one keeps its yearly rhythm.
UPDATE isms.audit SET status = 'completed', completed_on = (current_date - interval '2 months')::date + 12
 WHERE kind = 'internal' AND scope = 'default';
SELECT kind, due_by, planned_start, status, completed_on FROM isms.audit
 WHERE certification IS NULL ORDER BY due_by;

\echo '=== Upcoming reminders (what the calendar shows)'
SELECT kind, summary, due, last_day, sequence, status FROM isms.reminder ORDER BY due LIMIT 12;

\echo '=== The calendar feed: written to pg_isms.ics (subscribe to it, see docs/calendar-guide.md)'
\pset format unaligned
\pset tuples_only on
SELECT isms.ical_export() \g :outdir/pg_isms.ics
\pset format aligned
\pset tuples_only off
SELECT count(*) AS events_in_feed FROM isms.ical_events(isms.ical_export());
