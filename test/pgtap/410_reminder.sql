-- 40_reminder: privileges and labels of the reminder machinery: only the
-- subject triggers (through SECURITY DEFINER functions) write reminders.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pg_isms;
SELECT plan(15);

SELECT has_table('isms', 'reminder', 'isms.reminder exists');
SELECT col_is_pk('isms', 'reminder', 'uid', 'uid is the primary key');
SELECT col_is_unique('isms', 'reminder', ARRAY['kind', 'subject', 'subject_key'],
                     'one reminder per kind and subject');
SELECT enum_has_labels('isms', 'reminder_status', ARRAY['scheduled', 'done', 'cancelled'],
                       'reminder_status labels');
SELECT is_definer('isms', 'reminder_trigger', 'reminder_trigger is SECURITY DEFINER');
SELECT isnt_definer('isms', 'attach_reminders', 'attach_reminders runs as its caller');
SELECT has_table('isms', 'reminder_kind', 'isms.reminder_kind exists');
SELECT volatility_is('isms', 'rrule_occurrences', 'stable', 'rrule_occurrences reads TimeZone: STABLE');
SELECT volatility_is('isms', 'rrule_next', 'stable', 'rrule_next reads TimeZone: STABLE');

CREATE ROLE isms_tap_nobody;
SELECT ok(NOT has_function_privilege('isms_tap_nobody', 'isms.attach_reminders(regclass, regclass, text, text, interval[], text, boolean)',
  'EXECUTE'), 'PUBLIC cannot call attach_reminders');
SELECT ok(NOT has_function_privilege('isms_tap_nobody', 'isms.reminder_source_sync(regclass, regclass, boolean)', 'EXECUTE'),
          'PUBLIC cannot call reminder_source_sync');
SELECT ok(NOT has_table_privilege('isms_tap_nobody', 'isms.reminder', 'INSERT')
          AND NOT has_table_privilege('isms_tap_nobody', 'isms.reminder', 'UPDATE')
          AND NOT has_table_privilege('isms_tap_nobody', 'isms.reminder', 'DELETE'),
          'PUBLIC cannot write isms.reminder');

-- A role that may write a subject table (and nothing of isms) puts its
-- rows on the calendar through the table's reminder trigger, never
-- directly.
CREATE TABLE public.tap_subject (id int PRIMARY KEY, due date);
CREATE VIEW public.tap_subject_reminder AS
  SELECT id, 'tap_review'::text AS kind, 'default'::text AS scope, 'Tap ' || id AS summary, due FROM public.tap_subject;
SELECT isms.attach_reminders('public.tap_subject', 'public.tap_subject_reminder', kind => 'tap_review');
GRANT INSERT, SELECT ON public.tap_subject TO isms_tap_nobody;
SET LOCAL ROLE isms_tap_nobody;
SELECT lives_ok($$INSERT INTO public.tap_subject VALUES (1, '2026-01-01')$$,
                'a write to the subject table writes its reminder as the trigger''s definer');
SELECT throws_ok($$UPDATE isms.reminder SET sequence = 0$$, '42501', NULL,
                 'a direct UPDATE is refused');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM isms.reminder WHERE kind = 'tap_review'), 1, 'the reminder was written');

SELECT * FROM finish();
ROLLBACK;
