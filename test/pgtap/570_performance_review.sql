-- 570_performance_review: structure, labels, privileges and scope security
-- of issue 18 (objectives, metrics, measurements, management reviews,
-- requirements): what a reader, an editor and a member of another scope
-- may do, and that the database rules hold for them as for the owner.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pg_isms;
SELECT plan(32);

SELECT enum_has_labels('isms', 'metric_direction', ARRAY['higher_is_better', 'lower_is_better'], 'metric directions');
SELECT enum_has_labels('isms', 'objective_status', ARRAY['active', 'achieved', 'abandoned'], 'objective statuses');
SELECT enum_has_labels('isms', 'requirement_kind', ARRAY['legal', 'regulatory', 'contractual'], 'requirement kinds');
SELECT fk_ok('isms', 'measurement', 'metric', 'isms', 'metric', 'id', 'a measurement belongs to a metric');
SELECT fk_ok('isms', 'management_review_action', 'review', 'isms', 'management_review', 'id', 'an action belongs to a review');
SELECT col_is_unique('isms', 'measurement', 'corrects', 'a value is corrected at most once');
SELECT volatility_is('isms', 'management_review_inputs', ARRAY['text', 'date', 'date', 'bigint'], 'stable', 'inputs: STABLE');
SELECT volatility_is('isms', 'metric_next_due', ARRAY['text', 'timestamp with time zone', 'timestamp with time zone'], 'stable',
                     'next due depends on the session TimeZone: STABLE');
SELECT volatility_is('isms', 'metric_evaluate', ARRAY['numeric', 'isms.metric_direction', 'numeric', 'numeric'], 'immutable',
                     'metric_evaluate: IMMUTABLE');
SELECT volatility_is('isms', 'management_review_sign', ARRAY['bigint', 'text'], 'volatile', 'sign-off writes: VOLATILE');
SELECT is((SELECT array_agg(class ORDER BY function_name) FROM isms.function_class
            WHERE function_name IN ('isms.management_review_sign', 'isms.management_review_snapshot',
                                    'isms.management_review_inputs', 'isms.append_only_refuse')),
          ARRAY['internal', 'read', 'write', 'write'], 'function classes: sign and snapshot write, inputs read, triggers internal');
SELECT is((SELECT array_agg(t ORDER BY t) FROM unnest(ARRAY['isms.objective', 'isms.metric', 'isms.measurement',
            'isms.management_review', 'isms.management_review_decision', 'isms.management_review_action',
            'isms.management_review_addendum', 'isms.requirement', 'isms.soa_requirement']) t
            WHERE t::regclass = ANY ((SELECT extconfig FROM pg_extension WHERE extname = 'pg_isms')::regclass[])),
          ARRAY['isms.management_review', 'isms.management_review_action', 'isms.management_review_addendum',
                'isms.management_review_decision', 'isms.measurement', 'isms.metric', 'isms.objective',
                'isms.requirement', 'isms.soa_requirement'],
          'every new table is dumped (pg_extension_config_dump)');

-- Two scopes, a reader and an editor of "north", an editor of "south".
INSERT INTO isms.scope (id, name) VALUES ('north', 'North'), ('south', 'South');
CREATE ROLE isms_tap_reader; CREATE ROLE isms_tap_editor; CREATE ROLE isms_tap_south;
SELECT isms.grant_reader('isms_tap_reader'); SELECT isms.grant_editor('isms_tap_editor'); SELECT isms.grant_editor('isms_tap_south');
INSERT INTO isms.scope_member (scope, role_name) VALUES ('north', 'isms_tap_reader'), ('north', 'isms_tap_editor'), ('south', 'isms_tap_south');
INSERT INTO isms.metric (scope, ref, name, framework, control_ref, method, frequency, frequency_start, owner, analyst, direction, target, threshold)
VALUES ('north', 'M-1', 'Patch days', 'iso27001-2022', '8.8', 'tool', 'FREQ=MONTHLY', '2026-01-01', 'IT', 'CISO', 'lower_is_better', 14, 30),
       ('south', 'M-1', 'Patch days', 'iso27001-2022', '8.8', 'tool', 'FREQ=MONTHLY', '2026-01-01', 'IT', 'CISO', 'lower_is_better', 14, 30);
INSERT INTO isms.measurement (metric, value, taken_at) SELECT id, 20, '2026-02-01' FROM isms.metric;
INSERT INTO isms.management_review (scope, held_on, chair, attendees)
VALUES ('north', '2026-03-01', 'CEO', '{CEO}'), ('south', '2026-03-01', 'CEO', '{CEO}');
SELECT id AS south_metric FROM isms.metric WHERE scope = 'south' \gset
SELECT isms.enable_scope_security() > 0 AS scope_security_on;
SELECT ok((SELECT array_agg(table_name::text ORDER BY table_name) FROM isms.scope_security
            WHERE table_name LIKE 'isms.m%' OR table_name LIKE 'isms.%requirement' OR table_name = 'isms.objective')
          @> ARRAY['isms.management_review', 'isms.management_review_action', 'isms.management_review_addendum',
                   'isms.management_review_decision', 'isms.measurement', 'isms.metric', 'isms.objective',
                   'isms.requirement', 'isms.soa_requirement'],
          'every new table is under scope security (own scope column or foreign key)');

-- The reader: sees the north rows, writes nothing.
SET ROLE isms_tap_reader;
SELECT is((SELECT count(*)::int FROM isms.metric_status), 1, 'a reader of north sees one metric');
SELECT is((SELECT count(*)::int FROM isms.measurement), 1, 'and its measurement only');
SELECT throws_ok($$INSERT INTO isms.measurement (metric, value, taken_at) SELECT id, 1, '2026-02-02' FROM isms.metric$$,
                 '42501', NULL, 'a reader cannot record a measurement');
SELECT throws_ok($$SELECT isms.management_review_sign(id, 'CEO') FROM isms.management_review$$,
                 '42501', NULL, 'a reader cannot sign a review off');
SELECT lives_ok($$SELECT isms.management_review_inputs('north', '2026-01-01', '2026-03-01')$$, 'a reader can preview the inputs');
RESET ROLE;

-- The editor of north: records, corrects, signs; the rules hold.
SET ROLE isms_tap_editor;
SELECT lives_ok($$INSERT INTO isms.measurement (metric, value, taken_at) SELECT id, 12, '2026-03-01' FROM isms.metric$$,
                'an editor records a measurement');
SELECT throws_ok($$UPDATE isms.measurement SET value = 1$$, '42501', 'isms.measurement is append-only: UPDATE is not allowed',
                 'an editor cannot update a measurement');
SELECT throws_ok($$DELETE FROM isms.measurement$$, '42501', 'isms.measurement is append-only: DELETE is not allowed',
                 'nor delete one');
SELECT throws_ok(format($$INSERT INTO isms.measurement (metric, value, taken_at) VALUES (%s, 1, '2026-02-02')$$, :south_metric),
                 '42501', NULL, 'no measurement for a metric of another scope (row-level security)');
SELECT throws_ok($$INSERT INTO isms.management_review (scope, held_on, chair, attendees) VALUES ('south', '2026-03-02', 'CEO', '{CEO}')$$,
                 '42501', NULL, 'no review for a scope the editor does not belong to');
SELECT throws_ok($$UPDATE isms.management_review SET inputs = '{}'$$, '428C9', NULL, 'inputs are never written by hand');
SELECT ok((SELECT isms.management_review_sign(id, 'CEO') IS NOT NULL FROM isms.management_review), 'an editor signs the north review off');
SELECT is((SELECT inputs #>> '{monitoring,0,latest_value}' FROM isms.management_review), '12',
          'its inputs hold what the editor may see: the north metric');
SELECT throws_ok($$UPDATE isms.management_review SET notes = 'x'$$, '55000', NULL, 'the signed review is locked for the editor');
SELECT throws_ok($$INSERT INTO isms.management_review_decision (review, decision) SELECT id, 'late' FROM isms.management_review$$,
                 '55000', NULL, 'no decision added after sign-off');
SELECT lives_ok($$INSERT INTO isms.management_review_addendum (review, concerns, body) SELECT id, 'notes', 'x' FROM isms.management_review$$,
                'an addendum instead');
SELECT throws_ok($$DELETE FROM isms.management_review_addendum$$, '42501', NULL, 'addenda are append-only');
RESET ROLE;

-- The editor of south sees nothing of north.
SET ROLE isms_tap_south;
SELECT is((SELECT count(*)::int FROM isms.management_review_addendum), 0, 'another scope sees no addendum of north');
SELECT is((SELECT string_agg(scope, ',') FROM isms.metric_status), 'south', 'and only its own metric');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
