-- 60_privacy: shape of the privacy objects, the 27701 seed, the SoA offer by
-- role, processing-activity rules and reminders, and an ordinary role that
-- records processing without any right on the reminder table.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pg_isms;
SELECT plan(35);

SELECT has_table('isms', t, 'table isms.' || t || ' exists')
  FROM unnest(ARRAY['privacy_scope', 'processing_activity', 'processing_activity_control']) AS t;
SELECT has_view('isms', v, 'view isms.' || v || ' exists')
  FROM unnest(ARRAY['privacy_summary', 'record_of_processing']) AS v;
SELECT enum_has_labels('isms', 'privacy_role', ARRAY['controller', 'processor', 'both'], 'privacy roles');
SELECT enum_has_labels('isms', 'lawful_basis',
  ARRAY['consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests'],
  'lawful bases of GDPR Art. 6(1), in order');
SELECT col_type_is('isms', 'processing_activity', 'lawful_basis', 'isms.lawful_basis', 'the lawful basis is the enum');
SELECT col_not_null('isms', 'processing_activity', 'retention', 'retention is required');
SELECT col_is_pk('isms', 'processing_activity_control', ARRAY['activity', 'framework', 'control_ref'],
                 'one link per activity and control');
SELECT fk_ok('isms', 'processing_activity_control', ARRAY['framework', 'control_ref'],
             'isms', 'control', ARRAY['framework', 'ref'], 'security measures reference controls');
SELECT volatility_is('isms', 'privacy_role_covers', ARRAY['isms.privacy_role', 'jsonb'], 'immutable',
                     'privacy_role_covers is immutable');
SELECT volatility_is('isms', 'processing_activity_reviewed', ARRAY['bigint', 'date', 'interval'], 'volatile',
                     'processing_activity_reviewed is volatile');
SELECT is_definer('isms', 'reminder_trigger', ARRAY[]::text[],
                  'the reminder trigger runs as the owner');
SELECT has_trigger('isms', 'soa_entry', t, 'soa_entry has trigger ' || t)
  FROM unnest(ARRAY['soa_entry_privacy_offer', 'soa_entry_privacy_undecide']) AS t;

-- The seed.
SELECT is((SELECT count(*)::int FROM isms.control WHERE framework = 'iso27701-2019' AND attributes @> '{"role": "controller"}'),
          31, 'Annex A: 31 controller controls');
SELECT is((SELECT count(*)::int FROM isms.control WHERE framework = 'iso27701-2019' AND attributes @> '{"role": "processor"}'),
          18, 'Annex B: 18 processor controls');
SELECT is((SELECT title FROM isms.control WHERE framework = 'iso27701-2019' AND ref = 'A.7.2.2'),
          'Identify lawful basis', 'A.7.2.2 title');
SELECT is((SELECT title FROM isms.control WHERE framework = 'iso27701-2019' AND ref = 'B.8.5.7'),
          'Engagement of a subcontractor to process PII', 'B.8.5.7 title');

-- The SoA offers the annex of the scope's role.
INSERT INTO isms.scope (id, name) VALUES ('tap-c', 'controller'), ('tap-p', 'processor'), ('tap-b', 'both');
INSERT INTO isms.privacy_scope (scope, role) VALUES ('tap-c', 'controller'), ('tap-p', 'processor'), ('tap-b', 'both');
SELECT is(isms.soa_init('tap-c', 'iso27701-2019'), 31, 'a controller scope is offered Annex A');
SELECT is(isms.soa_init('tap-p', 'iso27701-2019'), 18, 'a processor scope is offered Annex B');
SELECT is(isms.soa_init('tap-b', 'iso27701-2019'), 49, 'a scope acting as both is offered both annexes');
SELECT is((SELECT count(*)::int FROM isms.statement_of_applicability WHERE scope = 'tap-p' AND theme = 'Annex B (PII processors)'),
          18, 'the SoA view shows the processor annex');
SELECT throws_ok($$UPDATE isms.privacy_scope SET role = 'auditor' WHERE scope = 'tap-c'$$, '22P02', NULL,
                 'an unknown privacy role is refused');
SELECT lives_ok($$UPDATE isms.privacy_scope SET role = 'both' WHERE scope = 'tap-c'$$, 'a role can widen');
SELECT is((SELECT count(*)::int FROM isms.soa_entry WHERE scope = 'tap-c'), 49, 'widening offers the other annex');

-- Processing activities.
SELECT throws_ok($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, owner)
                   VALUES ('tap-c', 'CRM', 'Sales', 'contract', '{customers}', '{contact}', 'Sales')$$,
                 '23502', NULL, 'an activity without retention is refused');
SELECT throws_ok($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner)
                   VALUES ('tap-c', 'CRM', 'Sales', 'interest', '{customers}', '{contact}', '2 years', 'Sales')$$,
                 '22P02', NULL, 'a lawful basis outside the vocabulary is refused');
SELECT is((SELECT count(*)::int FROM isms.processing_activity WHERE scope = 'tap-c'), 0, 'nothing written by the refused inserts');

-- An ordinary role with rights on the records only: its insert still puts
-- the review on the calendar (the trigger runs as the owner) and is logged
-- under its name.
CREATE ROLE isms_tap_privacy;
GRANT USAGE ON SCHEMA isms TO isms_tap_privacy;
GRANT SELECT, INSERT, UPDATE ON isms.processing_activity TO isms_tap_privacy;
SET LOCAL ROLE isms_tap_privacy;
SELECT lives_ok($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner, next_review)
                  VALUES ('tap-c', 'CRM', 'Sales', 'contract', '{customers}', '{contact}', '2 years', 'Sales', '2030-01-01')$$,
                'a role with rights on the records can record an activity');
SELECT throws_ok($$SELECT count(*) FROM isms.reminder$$, '42501', NULL, 'that role cannot read the reminder table');
RESET ROLE;
SELECT is((SELECT r.due FROM isms.reminder r JOIN isms.processing_activity a ON r.subject_key = a.id::text
            WHERE r.kind = 'processing_review' AND a.name = 'CRM'), date '2030-01-01',
          'its review is on the calendar');
SELECT is((SELECT actor FROM isms.change_log WHERE table_name = 'isms.processing_activity' AND new_row ->> 'name' = 'CRM'),
          'isms_tap_privacy', 'the change log names the role');
SELECT is((SELECT activities::int FROM isms.privacy_summary WHERE scope = 'tap-c'), 1, 'privacy_summary counts it');

SELECT * FROM finish();
ROLLBACK;
