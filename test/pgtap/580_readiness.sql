-- 51_readiness: structure, labels, volatility and privileges of findings,
-- corrective actions, audit coverage and the readiness functions; the
-- setting; an ordinary role working through the triggers.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pg_isms;
SELECT plan(25);

SELECT enum_has_labels('isms', 'finding_kind',
  ARRAY['major_nonconformity', 'minor_nonconformity', 'observation', 'opportunity_for_improvement'], 'finding kinds');
SELECT enum_has_labels('isms', 'finding_status', ARRAY['open', 'closed'], 'finding statuses');
SELECT enum_has_labels('isms', 'readiness_status', ARRAY['ready', 'gap', 'blocker'], 'readiness statuses, least severe first');
SELECT col_is_pk('isms', 'audit_coverage', ARRAY['audit', 'framework', 'control_ref'], 'coverage: one row per audit and requirement');
SELECT fk_ok('isms', 'corrective_action', 'finding', 'isms', 'finding', 'id', 'an action belongs to a finding');
SELECT fk_ok('isms', 'finding', 'audit', 'isms', 'audit', 'id', 'a finding belongs to an audit');
SELECT col_not_null('isms', 'corrective_action', 'due', 'every corrective action has a due date');

SELECT is(current_setting('isms.major_nonconformity_days'), '90', 'major nonconformities: 90 days by default');
SELECT is((SELECT context FROM pg_settings WHERE name = 'isms.major_nonconformity_days'), 'superuser',
          'only a superuser changes the limit');
SELECT is((SELECT min_val || '..' || max_val FROM pg_settings WHERE name = 'isms.major_nonconformity_days'), '1..366',
          'limit between 1 and 366 days');

SELECT volatility_is('isms', 'readiness_checks', ARRAY['text', 'date'], 'stable', 'readiness_checks reads tables: STABLE');
SELECT volatility_is('isms', 'readiness', ARRAY['text', 'date'], 'stable', 'readiness: STABLE');
SELECT volatility_is('isms', 'readiness_blockers', ARRAY['text', 'date'], 'stable', 'readiness_blockers: STABLE');
SELECT volatility_is('isms', 'is_nonconformity', ARRAY['isms.finding_kind'], 'immutable', 'is_nonconformity: IMMUTABLE');
SELECT volatility_is('isms', 'audit_cover_scope', ARRAY['bigint'], 'volatile', 'audit_cover_scope writes: VOLATILE');
SELECT is_definer('isms', 'reminder_trigger', 'the finding reminder trigger runs as its definer');
SELECT is_definer('isms', 'corrective_action_after_write', 'the action reminder trigger runs as its definer');

CREATE ROLE isms_tap_auditor;
SELECT ok(NOT has_function_privilege('isms_tap_auditor', 'isms.reminder_trigger()', 'EXECUTE')
          AND NOT has_function_privilege('isms_tap_auditor', 'isms.corrective_action_after_write()', 'EXECUTE'),
          'PUBLIC cannot call the trigger functions');
SELECT ok(NOT has_table_privilege('isms_tap_auditor', 'isms.finding', 'SELECT')
          AND NOT has_table_privilege('isms_tap_auditor', 'isms.certification_readiness', 'SELECT'),
          'PUBLIC reads nothing');

-- An editor (isms.grant_editor) writing findings and actions: the rules and
-- the reminders work through the triggers, without any right to write
-- isms.reminder.
INSERT INTO isms.audit (scope, kind, due_by, status, completed_on) VALUES ('default', 'internal', '2026-03-31', 'completed', '2026-03-02');
DO $$ BEGIN PERFORM isms.grant_editor('isms_tap_auditor'); END $$;
SET LOCAL ROLE isms_tap_auditor;
SELECT lives_ok($$INSERT INTO isms.finding (audit, ref, kind, framework, control_ref, statement, raised_on)
                  SELECT id, 'TAP-NC', 'major_nonconformity', 'iso27001-2022', '8.8', 'Patching late', '2026-03-02'
                    FROM isms.audit WHERE scope = 'default' AND status = 'completed'$$,
                'an auditor records a major nonconformity');
SELECT throws_ok($$UPDATE isms.finding SET status = 'closed' WHERE ref = 'TAP-NC'$$, '23514', NULL,
                 'and cannot close it without an effective action');
SELECT lives_ok($$INSERT INTO isms.corrective_action (finding, action, owner, due)
                  SELECT id, 'Automated patching', 'IT', '2026-04-30' FROM isms.finding WHERE ref = 'TAP-NC'$$,
                'records a corrective action');
SELECT lives_ok($$UPDATE isms.corrective_action SET completed_on = '2026-04-01', verified_by = 'CISO',
                         verified_on = '2026-04-10', effective = true WHERE action = 'Automated patching'$$,
                'completes and verifies it');
SELECT lives_ok($$UPDATE isms.finding SET status = 'closed', closed_on = '2026-04-11' WHERE ref = 'TAP-NC'$$, 'then closes it');
RESET ROLE;
SELECT results_eq($$SELECT r.kind, r.status::text FROM isms.reminder r
                     WHERE r.subject IN ('isms.finding'::regclass, 'isms.corrective_action'::regclass) ORDER BY r.kind$$,
                  $$VALUES ('corrective_action', 'done'), ('nonconformity_due', 'done')$$,
                  'both reminders were written, and are done');

SELECT * FROM finish();
ROLLBACK;
