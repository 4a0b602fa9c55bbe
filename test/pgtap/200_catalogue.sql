-- 20_catalogue: shape of the catalogue, SoA and change-log objects, the seed
-- counts, and the rules a user relies on, each in one rolled-back transaction.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pg_isms;
SELECT plan(37);

SELECT has_table('isms', t, 'table isms.' || t || ' exists')
  FROM unnest(ARRAY['framework', 'control_group', 'control', 'control_relation', 'mapping_source', 'soa_entry', 'change_log']) AS t;
SELECT has_view('isms', v, 'view isms.' || v || ' exists')
  FROM unnest(ARRAY['statement_of_applicability', 'compliance_summary', 'compliance_by_attribute',
               'control_mapping', 'control_relation_chain', 'control_coverage']) AS v;
SELECT col_is_pk('isms', 'control', ARRAY['framework', 'ref'], 'control is keyed by (framework, ref)');
SELECT col_is_pk('isms', 'soa_entry', ARRAY['scope', 'framework', 'control_ref'], 'one SoA entry per scope and control');
SELECT col_type_is('isms', 'control', 'control_type', 'isms.control_type[]', 'control types are an enum array');
SELECT col_type_is('isms', 'control', 'attributes', 'jsonb', 'framework-specific attributes are jsonb');
SELECT enum_has_labels('isms', 'implementation_status', ARRAY['not_started', 'planned', 'partial', 'implemented'],
                       'implementation statuses in order');
SELECT enum_has_labels('isms', 'control_type', ARRAY['Preventive', 'Detective', 'Corrective'], 'control type vocabulary');
SELECT is((SELECT count(*)::int FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
            WHERE i.indrelid = 'isms.control'::regclass AND a.amname = 'gin'), 6,
          'six GIN indexes on control (five families and attributes)');
SELECT volatility_is('isms', 'soa_init', ARRAY['text', 'text'], 'volatile', 'soa_init is volatile');
SELECT volatility_is('isms', 'soa_as_of', ARRAY['text', 'timestamp with time zone'], 'stable', 'soa_as_of is stable');
SELECT is((SELECT count(*)::int FROM isms.control WHERE framework = 'iso27001-2022'), 93, '93 controls in 2022');
SELECT results_eq($$SELECT theme, count(*)::int FROM isms.control WHERE framework = 'iso27001-2022' GROUP BY theme ORDER BY min(position)$$,
                  $$VALUES ('Organizational', 37), ('People', 8), ('Physical', 14), ('Technological', 34)$$,
                  '37/8/14/34 per theme');
SELECT is((SELECT count(*)::int FROM isms.control WHERE framework = 'iso27001-2013'), 114, '114 controls in 2013');
SELECT is((SELECT count(DISTINCT source_ref)::int FROM isms.control_mapping WHERE source_framework = 'iso27001-2013'), 114,
          'the mapping covers every 2013 control');
SELECT has_trigger('isms', 'soa_entry', t, 'SoA changes are logged by ' || t)
  FROM unnest(ARRAY['soa_entry_log_insert', 'soa_entry_log_update', 'soa_entry_log_delete']) AS t;
SELECT table_privs_are('isms', 'change_log', 'public', ARRAY[]::text[], 'PUBLIC has no privilege on the change log');

INSERT INTO isms.scope (id, name) VALUES ('tap', 'TAP');
SELECT is(isms.soa_init('tap', 'iso27001-2022'), 93, 'soa_init adds 93 entries');
SELECT is(isms.soa_init('tap', 'iso27001-2022'), 0, 'soa_init again adds none');
SELECT throws_ok($$UPDATE isms.soa_entry SET applicable = false WHERE scope = 'tap' AND control_ref = '5.1'$$,
                 '23514', NULL, 'an exclusion without justification is refused');
SELECT lives_ok($$UPDATE isms.soa_entry SET applicable = false, justification = 'Outsourced' WHERE scope = 'tap' AND control_ref = '5.1'$$,
                'an exclusion with a justification is accepted');
SELECT is((SELECT count(*)::int FROM isms.change_log WHERE table_name = 'isms.soa_entry' AND new_row->>'scope' = 'tap'), 94,
          'every inserted and updated entry is in the change log');
SELECT throws_ok($$DELETE FROM isms.change_log$$, '42501', NULL, 'the change log refuses DELETE');
SELECT is((SELECT count(*)::int FROM isms.statement_of_applicability WHERE scope = 'tap'), 93, 'the SoA view shows every entry');

SELECT * FROM finish();
ROLLBACK;
