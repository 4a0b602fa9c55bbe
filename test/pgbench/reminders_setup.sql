-- test/pgbench/reminders_setup.sql: the subjects of the reminder
-- concurrency test: a table like the ones a DBA adds, on the calendar
-- through one view and isms.attach_reminders (the shared interface), plus
-- the audit programme (isms.audit) itself.
DROP TABLE IF EXISTS public.conc_subject CASCADE;
CREATE TABLE public.conc_subject (id int PRIMARY KEY, due date NOT NULL, owner text);
CREATE VIEW public.conc_subject_reminder AS
SELECT s.id, 'conc_review'::text AS kind, 'default'::text AS scope, s.owner,
       'Review subject ' || s.id AS summary, s.due
  FROM public.conc_subject s;
SELECT isms.attach_reminders('public.conc_subject', 'public.conc_subject_reminder',
  kind => 'conc_review', alarms => '{1 day}', description => 'concurrency test subject');
