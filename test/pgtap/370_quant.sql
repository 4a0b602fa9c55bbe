-- 370_quant: the quantitative-risk objects as a user relies on them: table,
-- keys and constraints, labels of the simulation functions, determinism,
-- the closed forms within 5 standard errors, the error codes, that errors
-- write nothing, and who may call what.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pg_isms;
SELECT plan(32);
SET LOCAL search_path = public, isms;

SELECT has_table('isms', 'risk_quantification', 'isms.risk_quantification exists');
SELECT col_is_pk('isms', 'risk_quantification', ARRAY['risk_id'], 'one row per risk');
SELECT col_is_fk('isms', 'risk_quantification', ARRAY['risk_id'], 'risk_id references a risk');
SELECT has_type('isms', 'loss_simulation', 'isms.loss_simulation exists');
SELECT has_view('isms', 'risk_quantified', 'isms.risk_quantified exists');
SELECT has_view('isms', 'risk_ale_heatmap', 'isms.risk_ale_heatmap exists');
SELECT volatility_is('isms', 'simulate_risk', ARRAY['bigint', 'integer', 'bigint'], 'stable', 'simulate_risk is STABLE (reads tables)');
SELECT volatility_is('isms', 'simulate_portfolio', ARRAY['bigint[]', 'integer', 'bigint'], 'stable', 'simulate_portfolio is STABLE');
SELECT volatility_is('isms', 'estimate_mean', ARRAY['text', 'double precision', 'double precision', 'double precision'],
                     'immutable', 'estimate_mean is IMMUTABLE');
SELECT is_strict('isms', 'simulate_risk', ARRAY['bigint', 'integer', 'bigint'], 'simulate_risk is STRICT');
SELECT is((SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'isms'::regnamespace
            AND proname IN ('simulate_risk', 'simulate_portfolio', 'risk_loss_exceedance', 'portfolio_loss_exceedance',
                            'simulate_trials', 'loss_exceedance_svg') AND proparallel = 's'), 6,
          'the simulation functions are PARALLEL SAFE');

INSERT INTO isms.risk (id, scope, ref, title, owner) VALUES
  (901, 'default', 'T-901', 'tap risk', 'tap'), (902, 'default', 'T-902', 'tap risk 2', 'tap'),
  (903, 'default', 'T-903', 'no estimates', 'tap');
INSERT INTO isms.risk_quantification (risk_id, frequency_kind, frequency_low, frequency_mode, frequency_high,
                                      loss_kind, loss_low, loss_mode, loss_high)
VALUES (901, 'pert', 1, 2, 4, 'pert', 100, 300, 1000), (902, 'lognormal', 0.1, NULL, 1, 'lognormal', 1e3, NULL, 1e5);

SELECT throws_ok($$INSERT INTO isms.risk_quantification (risk_id, frequency_low, frequency_mode, frequency_high, loss_low, loss_mode, loss_high)
                   VALUES (903, 3, 2, 1, 1, 1, 1)$$, '23514', NULL, 'min > max is refused');
SELECT throws_ok($$INSERT INTO isms.risk_quantification (risk_id, frequency_kind, frequency_low, frequency_high, loss_low, loss_mode, loss_high)
                   VALUES (903, 'lognormal', 0, 1, 1, 1, 1)$$, '23514', NULL, 'a lognormal from 0 is refused');
SELECT throws_ok($$INSERT INTO isms.risk_quantification (risk_id, frequency_kind, frequency_low, frequency_mode, frequency_high, loss_low, loss_mode, loss_high)
                   VALUES (903, 'triangular', 1, 2, 3, 1, 1, 1)$$, '23514', NULL, 'an unknown kind is refused');
SELECT is((SELECT count(*)::int FROM isms.risk_quantification WHERE risk_id = 903), 0, 'nothing written by refused estimates');

SELECT results_eq($$SELECT * FROM isms.simulate_risk(901, 20000, 99)$$, $$SELECT * FROM isms.simulate_risk(901, 20000, 99)$$,
                  'the same seed gives the same result');
SELECT isnt((SELECT ale FROM isms.simulate_risk(901, 20000, 99)), (SELECT ale FROM isms.simulate_risk(901, 20000, 100)),
            'another seed another result');
-- PERT(1, 2, 4) events, PERT(100, 300, 1000) loss: E[L] = 13/6 * 2300/6.
SELECT ok(abs(s.ale - 13 / 6.0 * 2300 / 6.0)
          <= 5 * sqrt((13 / 6.0 * (isms.estimate_variance('pert', 100, 300, 1000) + (2300 / 6.0) ^ 2)
                       + isms.estimate_variance('pert', 1, 2, 4) * (2300 / 6.0) ^ 2) / s.trials),
          'ALE within 5 standard errors of E[N] E[X]')
  FROM isms.simulate_risk(901, 500000, 3) s;
SELECT ok(s.p50 <= s.p90 AND s.p90 <= s.p95 AND s.p95 <= s.p99 AND s.p99 <= s.p999 AND s.p999 <= s.max_loss,
          'percentiles rise') FROM isms.simulate_portfolio(ARRAY[901, 902]) s;
SELECT is((SELECT count(*)::int FROM isms.risk_loss_exceedance(902, 10000, 1, 20)), 20, 'a curve of 20 points');
SELECT is((SELECT count(*)::int FROM isms.simulate_trials(ARRAY[901, 902], 1234, 1)), 1234, 'one row per trial');

SELECT throws_ok($$SELECT isms.simulate_risk(901, 0)$$, '22023', NULL, 'zero trials: 22023');
SELECT throws_ok($$SELECT isms.simulate_risk(901, 10000001)$$, '22023', NULL, 'above the trials cap: 22023');
SELECT throws_ok($$SELECT isms.simulate_risk(-1)$$, 'P0002', 'risk -1 does not exist', 'unknown risk: P0002');
SELECT throws_ok($$SELECT isms.simulate_risk(903)$$, 'P0002', 'risk 903 has no quantification', 'no estimates: P0002');
SELECT throws_ok($$SELECT isms.simulate_portfolio(ARRAY[901, NULL])$$, '22004', NULL, 'NULL id: 22004');
SELECT throws_ok($$SELECT * FROM isms.portfolio_loss_exceedance(ARRAY[901], 100, 1, 0)$$, '22023', NULL, 'zero points: 22023');

-- Who may call what (isms.access_map, granted by isms.grant_*).
SELECT is((SELECT reader FROM isms.access_map WHERE object_name = 'isms.simulate_risk(bigint, integer, bigint)'), 'EXECUTE',
          'readers may simulate');
SELECT is((SELECT reader FROM isms.access_map WHERE object_name = 'isms.risk_quantification'), 'SELECT',
          'readers only read the estimates');
SELECT is((SELECT editor FROM isms.access_map WHERE object_name = 'isms.risk_quantification'), 'SELECT, INSERT, UPDATE, DELETE',
          'editors write the estimates');
SELECT ok(EXISTS (SELECT 1 FROM pg_extension e, unnest(e.extconfig) c WHERE e.extname = 'pg_isms'
                   AND c = 'isms.risk_quantification'::regclass), 'the estimates are dumped with the data');
SELECT ok(obj_description('isms.risk_quantification'::regclass, 'pg_class') IS NOT NULL, 'the table has a comment');

SELECT * FROM finish();
ROLLBACK;
