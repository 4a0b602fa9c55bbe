-- 30_register: shape of the risk register objects (tables, keys, types,
-- triggers, views, volatility, dump registration, privileges) and a few
-- rules a user relies on, in one rolled-back transaction.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pg_isms;
SELECT plan(50);

SELECT has_table('isms', t, 'table isms.' || t || ' exists')
  FROM unnest(ARRAY['asset', 'risk', 'risk_asset', 'risk_status_transition', 'risk_control', 'treatment', 'acceptance']) AS t;
SELECT has_view('isms', v, 'view isms.' || v || ' exists')
  FROM unnest(ARRAY['risk_register', 'risk_heatmap', 'treatment_status']) AS v;
SELECT enum_has_labels('isms', 'treatment_option', ARRAY['modify', 'retain', 'avoid', 'share'],
                       'the ISO/IEC 27005:2022 treatment options');
SELECT enum_has_labels('isms', 'risk_status',
                       ARRAY['identified', 'assessed', 'treatment_planned', 'treated', 'accepted', 'closed'],
                       'risk statuses in life-cycle order');
SELECT col_type_is('isms', 'risk', c, 'isms.risk_score', 'risk.' || c || ' is an isms.risk_score')
  FROM unnest(ARRAY['inherent', 'residual', 'target']) AS c;
SELECT col_type_is('isms', 'risk', 'id', 'bigint', 'risk ids are bigint');
SELECT col_type_is('isms', 'risk', 'next_review', 'date', 'risks have a next_review date (for review reminders)');
SELECT col_type_is('isms', 'treatment', 'due', 'date', 'treatments have a due date (for reminders)');
SELECT is((SELECT attgenerated FROM pg_attribute WHERE attrelid = 'isms.risk'::regclass AND attname = 'residual'), 's',
          'risk.residual is a stored generated column');
SELECT col_is_pk('isms', 'risk_control', ARRAY['risk_id', 'framework', 'control_ref'], 'one link per risk and control');
SELECT has_unique('isms', 'risk', 'risk refs are unique per scope');
SELECT fk_ok('isms', 'risk_control', ARRAY['framework', 'control_ref'], 'isms', 'control', ARRAY['framework', 'ref'],
             'links point at catalogue controls');
SELECT is((SELECT count(*)::int FROM isms.risk_status_transition), 18, 'eighteen allowed status moves');
SELECT has_trigger('isms', 'risk', 'risk_before_write', 'risk writes go through the state-machine trigger');
SELECT has_trigger('isms', t, t || '_log_' || op, 'changes to ' || t || ' are logged (' || op || ')')
  FROM unnest(ARRAY['risk', 'risk_control', 'treatment', 'acceptance']) AS t,
       unnest(ARRAY['insert', 'update', 'delete']) AS op
 WHERE op = 'update' OR t = 'risk';
SELECT has_trigger('isms', 'soa_entry', 'soa_entry_refresh_residual_upd', 'SoA status changes move residual scores');
SELECT volatility_is('isms', 'residual_score', ARRAY['bigint'], 'stable', 'residual_score is stable');
SELECT volatility_is('isms', 'residual_from', ARRAY['isms.risk_score', 'numeric', 'numeric'], 'immutable',
                     'residual_from is immutable');
SELECT volatility_is('isms', 'treat', ARRAY['bigint', 'isms.treatment_option', 'text', 'text', 'date'], 'volatile',
                     'treat is volatile');
SELECT volatility_is('isms', 'risk_as_of', ARRAY['timestamp with time zone'], 'stable', 'risk_as_of is stable');
SELECT is((SELECT count(*)::int FROM pg_proc p
            WHERE p.pronamespace = 'isms'::regnamespace AND p.prolang = (SELECT oid FROM pg_language WHERE lanname IN ('plpgsql'))
              AND p.proname IN ('treat', 'link_control', 'accept_risk', 'close_risk', 'reopen_risk', 'residual_score',
                                'override_residual', 'risk_as_of', 'link_asset', 'control_reduction')
              AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')), 0,
          'every register plpgsql function pins its search_path');
SELECT results_eq($$SELECT c.relname::text COLLATE "C" FROM pg_extension e, unnest(e.extconfig) r(oid) JOIN pg_class c ON c.oid = r.oid
                     WHERE e.extname = 'pg_isms' AND c.relname IN ('asset', 'asset_id_seq', 'risk', 'risk_id_seq',
                       'risk_asset', 'risk_control', 'treatment', 'treatment_id_seq', 'acceptance', 'acceptance_id_seq')
                     ORDER BY 1$$,
                  $$VALUES ('acceptance' COLLATE "C"), ('acceptance_id_seq'), ('asset'), ('asset_id_seq'), ('risk'), ('risk_asset'),
                           ('risk_control'), ('risk_id_seq'), ('treatment'), ('treatment_id_seq')$$,
                  'register tables and their sequences are dumped by pg_dump');
SELECT ok(NOT EXISTS (SELECT 1 FROM pg_extension e, unnest(e.extconfig) r(oid)
                       WHERE e.extname = 'pg_isms' AND r.oid = 'isms.risk_status_transition'::regclass),
          'the state machine is part of the extension, not user data');
SELECT ok(NOT has_table_privilege('public', 'isms.' || t, 'SELECT,INSERT,UPDATE,DELETE'),
          'PUBLIC has no privilege on isms.' || t)
  FROM unnest(ARRAY['risk', 'acceptance', 'treatment', 'risk_register']) AS t;
SELECT is((SELECT setting FROM pg_settings WHERE name = 'isms.acceptance_max_days'), '365',
          'the acceptance policy maximum defaults to 365 days');
SELECT is((SELECT context FROM pg_settings WHERE name = 'isms.acceptance_max_days'), 'superuser',
          'only a superuser can change the acceptance policy');

-- Behaviour.
INSERT INTO isms.risk (scope, ref, title, owner, inherent) VALUES ('default', 'T-1', 'tap risk', 'owner', '4x4');
SELECT is((SELECT status::text FROM isms.risk WHERE ref = 'T-1'), 'assessed', 'a scored risk starts assessed');
SELECT throws_ok($$UPDATE isms.risk SET status = 'treated' WHERE ref = 'T-1'$$, '23514',
                 'invalid risk status transition from "assessed" to "treated"', 'a plain UPDATE cannot skip treatment');
SELECT throws_ok($$SELECT isms.accept_risk((SELECT id FROM isms.risk WHERE ref = 'T-1'), 'owner', 'mine', current_date + 10)$$,
                 '23514', NULL, 'the owner cannot accept an above-appetite risk');
SELECT lives_ok($$SELECT isms.accept_risk((SELECT id FROM isms.risk WHERE ref = 'T-1'), 'board', 'ok', current_date + 10)$$,
                'someone else can, within the policy maximum');
SELECT is((SELECT status::text FROM isms.risk WHERE ref = 'T-1'), 'accepted', 'the acceptance moved the risk');
SELECT is((SELECT count(*)::int FROM isms.risk_heatmap WHERE matrix = 'default' AND scope = 'default'), 25,
          'the default heat map has 25 cells');

SELECT * FROM finish();
ROLLBACK;
