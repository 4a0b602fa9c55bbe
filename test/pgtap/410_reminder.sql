-- 40_reminder: privileges and labels of the reminder machinery: only the
-- subject triggers (through SECURITY DEFINER functions) write reminders.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pg_isms;
SELECT plan(14);

SELECT has_table('isms', 'reminder', 'isms.reminder exists');
SELECT col_is_pk('isms', 'reminder', 'uid', 'uid is the primary key');
SELECT col_is_unique('isms', 'reminder', ARRAY['kind', 'subject', 'subject_key'],
                     'one reminder per kind and subject');
SELECT enum_has_labels('isms', 'reminder_status', ARRAY['scheduled', 'done', 'cancelled'],
                       'reminder_status labels');
SELECT is_definer('isms', 'reminder_sync', 'reminder_sync is SECURITY DEFINER');
SELECT is_definer('isms', 'reminder_cancel', 'reminder_cancel is SECURITY DEFINER');
SELECT is_definer('isms', 'reminder_done', 'reminder_done is SECURITY DEFINER');
SELECT volatility_is('isms', 'rrule_occurrences', 'stable', 'rrule_occurrences reads TimeZone: STABLE');
SELECT volatility_is('isms', 'rrule_next', 'stable', 'rrule_next reads TimeZone: STABLE');

CREATE ROLE isms_tap_nobody;
SELECT ok(NOT has_function_privilege('isms_tap_nobody',
  'isms.reminder_sync(text, regclass, text, text, text, text, text, date, text, interval[], timestamptz, timestamptz, date)',
  'EXECUTE'), 'PUBLIC cannot call reminder_sync');
SELECT ok(NOT has_function_privilege('isms_tap_nobody', 'isms.reminder_cancel(text, regclass, text)', 'EXECUTE'),
          'PUBLIC cannot call reminder_cancel');
SELECT ok(NOT has_table_privilege('isms_tap_nobody', 'isms.reminder', 'INSERT')
          AND NOT has_table_privilege('isms_tap_nobody', 'isms.reminder', 'UPDATE')
          AND NOT has_table_privilege('isms_tap_nobody', 'isms.reminder', 'DELETE'),
          'PUBLIC cannot write isms.reminder');

-- A role with USAGE on the schema and EXECUTE on reminder_sync (what a
-- subject trigger runs as) writes through the function, never directly.
GRANT USAGE ON SCHEMA isms TO isms_tap_nobody;
GRANT EXECUTE ON FUNCTION isms.reminder_sync(text, regclass, text, text, text, text, text, date, text, interval[], timestamptz, timestamptz, date)
  TO isms_tap_nobody;
SET LOCAL ROLE isms_tap_nobody;
SELECT lives_ok($$SELECT isms.reminder_sync('risk_review', 'isms.scope', 'default', 'default', NULL, 'x', NULL, '2026-01-01')$$,
                'reminder_sync writes as its definer');
SELECT throws_ok($$UPDATE isms.reminder SET sequence = 0$$, '42501', NULL,
                 'a direct UPDATE is refused');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
