\i test/regress/setup.sql
-- 370_quant: quantitative risk.  Estimates and their constraints, the
-- simulation against the closed forms of the model (mean and variance of
-- the annual loss, events per year, within 5 standard errors of the trial
-- count under fixed seeds), the summary against percentile_disc over the
-- raw trials, trial-wise portfolio sums, the loss-exceedance curve against
-- a count, the same seed giving the same bits (and the bits the unit test's
-- reference generator gives), errors with their SQLSTATEs, labels, scope
-- security, the views and the SVG.
SET extra_float_digits = 0;

INSERT INTO isms.risk (id, scope, ref, title, owner) VALUES
  (7, 'default', 'Q-7', 'Ransomware', 'CISO'),
  (8, 'default', 'Q-8', 'Card data theft', 'CISO'),
  (9, 'default', 'Q-9', 'Laptop loss', 'CISO'),
  (10, 'default', 'Q-10', 'DDoS', 'CISO'),
  (11, 'default', 'Q-11', 'Unquantified', 'CISO'),
  (12, 'default', 'Q-12', 'Billed in dollars', 'CISO');

-- Bad estimates: each refused by its constraint, nothing written.
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$INSERT INTO isms.risk_quantification VALUES (7, 'uniform', 1, 2, 3, 'pert', 1, 2, 3)$$),
  ($$INSERT INTO isms.risk_quantification VALUES (7, 'pert', 1, 4, 3, 'pert', 1, 2, 3)$$),
  ($$INSERT INTO isms.risk_quantification VALUES (7, 'pert', 2, 1, 3, 'pert', 1, 2, 3)$$),
  ($$INSERT INTO isms.risk_quantification VALUES (7, 'pert', -1, 0, 3, 'pert', 1, 2, 3)$$),
  ($$INSERT INTO isms.risk_quantification VALUES (7, 'pert', 1, NULL, 3, 'pert', 1, 2, 3)$$),
  ($$INSERT INTO isms.risk_quantification VALUES (7, 'lognormal', 1, 2, 3, 'pert', 1, 2, 3)$$),
  ($$INSERT INTO isms.risk_quantification VALUES (7, 'lognormal', 0, NULL, 3, 'pert', 1, 2, 3)$$),
  ($$INSERT INTO isms.risk_quantification VALUES (7, 'lognormal', 3, NULL, 3, 'pert', 1, 2, 3)$$),
  ($$INSERT INTO isms.risk_quantification VALUES (7, 'pert', 1, 2, 200000, 'pert', 1, 2, 3)$$),
  ($$INSERT INTO isms.risk_quantification VALUES (7, 'lognormal', 1, NULL, 100000, 'pert', 1, 2, 3)$$),
  ($$INSERT INTO isms.risk_quantification VALUES (7, 'pert', 1, 2, 'Infinity', 'pert', 1, 2, 3)$$),
  ($$INSERT INTO isms.risk_quantification VALUES (7, 'pert', 1, 2, 'NaN', 'pert', 1, 2, 3)$$),
  ($$INSERT INTO isms.risk_quantification VALUES (7, 'pert', 1, 2, 3, 'pert', 1, 2, 2e15)$$),
  ($$INSERT INTO isms.risk_quantification VALUES (7, 'pert', 1, 2, 3, 'lognormal', 1e-300, NULL, 1e15)$$),
  ($$INSERT INTO isms.risk_quantification VALUES (7, 'pert', 1, 2, 3, 'lognormal', 5, NULL, 4)$$),
  ($$INSERT INTO isms.risk_quantification (risk_id, frequency_low, frequency_mode, frequency_high, loss_low, loss_mode, loss_high, currency) VALUES (7, 1, 2, 3, 1, 2, 3, 'euro')$$),
  ($$INSERT INTO isms.risk_quantification VALUES (999, 'pert', 1, 2, 3, 'pert', 1, 2, 3)$$)
) AS t(s);
SELECT count(*) AS nothing_written FROM isms.risk_quantification;

-- Four quantified risks, one of them with a fixed rate (compound Poisson).
INSERT INTO isms.risk_quantification (risk_id, frequency_kind, frequency_low, frequency_mode, frequency_high,
                                      loss_kind, loss_low, loss_mode, loss_high, rationale) VALUES
  (7, 'pert', 0.1, 0.5, 2, 'lognormal', 1e4, NULL, 1e6, 'the example shared with test/unit/quant_test.c'),
  (8, 'lognormal', 0.05, NULL, 1, 'pert', 5e4, 2e5, 3e6, 'industry breach reports'),
  (9, 'pert', 3, 3, 3, 'pert', 500, 1500, 4000, 'three laptops a year, fixed'),
  (10, 'lognormal', 0.5, NULL, 4, 'lognormal', 2e3, NULL, 1e5, 'two DDoS a year');
INSERT INTO isms.risk_quantification (risk_id, frequency_low, frequency_mode, frequency_high,
                                      loss_low, loss_mode, loss_high, currency)
VALUES (12, 0.1, 0.2, 0.3, 1e3, 2e3, 3e3, 'USD');
SELECT risk_id, frequency_kind, loss_kind, currency, estimated_on = current_date AS today
  FROM isms.risk_quantification ORDER BY risk_id;

-- The closed forms, written out here from the formulas, equal the functions.
SELECT abs(isms.estimate_mean('pert', 0.1, 0.5, 2) - (0.1 + 4 * 0.5 + 2) / 6.0) < 1e-15 AS pert_mean,
       abs(isms.estimate_variance('pert', 0.1, 0.5, 2)
           - ((0.1 + 4 * 0.5 + 2) / 6.0 - 0.1) * (2 - (0.1 + 4 * 0.5 + 2) / 6.0) / 7) < 1e-15 AS pert_variance,
       abs(isms.estimate_mean('lognormal', 1e4, NULL, 1e6)
           / exp(ln(1e5::float8) + (ln(1e2::float8) / (2 * 1.6448536269514722)) ^ 2 / 2) - 1) < 1e-12 AS lognormal_mean,
       isms.estimate_mean('beta', 1, 2, 3) IS NULL AS unknown_kind;

-- The same seed gives the same bits; another seed other bits.  The ALE of
-- risk 7 with 10000 trials and seed 42 is the figure the unit test computes
-- with its reference xoroshiro128** (0x1.6306787fce93cp+17): the server's
-- pg_prng draws the same stream.
SELECT a = b AS same_seed_same_result, a.ale <> c.ale AS other_seed_other_result,
       a.ale = 181772.94140035834 AS as_unit_reference
  FROM isms.simulate_risk(7, 10000, 42) a, isms.simulate_risk(7, 10000, 42) b, isms.simulate_risk(7, 10000, 43) c;
SELECT risks, trials, seed, currency, round(ale) AS ale, round(p95) AS p95, loss_probability
  FROM isms.simulate_risk(7, 10000, 42);

-- Against the closed forms: with lambda ~ F and X ~ G,
--   E[L] = E[lambda] E[X],  Var[L] = E[lambda] E[X^2] + Var[lambda] E[X]^2,
--   E[N] = E[lambda],       Var[N] = E[lambda] + Var[lambda];
-- the simulated mean within 5 standard errors sqrt(Var[L] / n).
CREATE TEMP TABLE expect AS
SELECT q.risk_id,
       isms.estimate_mean(q.frequency_kind, q.frequency_low, q.frequency_mode, q.frequency_high) AS el,
       isms.estimate_variance(q.frequency_kind, q.frequency_low, q.frequency_mode, q.frequency_high) AS vl,
       isms.estimate_mean(q.loss_kind, q.loss_low, q.loss_mode, q.loss_high) AS ex,
       isms.estimate_variance(q.loss_kind, q.loss_low, q.loss_mode, q.loss_high) AS vx
  FROM isms.risk_quantification q WHERE q.risk_id BETWEEN 7 AND 10;
SELECT e.risk_id,
       abs(s.ale - e.el * e.ex) <= 5 * sqrt((e.el * (e.vx + e.ex ^ 2) + e.vl * e.ex ^ 2) / s.trials) AS ale_within_5_se,
       abs(s.events_per_year - e.el) <= 5 * sqrt((e.el + e.vl) / s.trials) AS events_within_5_se,
       -- and the simulation is not trivially off: within 2 % of E[L] at 1M trials
       abs(s.ale / (e.el * e.ex) - 1) < 0.02 AS ale_within_2_percent
  FROM expect e, LATERAL isms.simulate_risk(e.risk_id, 1000000, 2026) s
 ORDER BY e.risk_id;

-- The variance, from the raw trials: within 5 standard errors of the
-- variance estimator, sqrt((m4 - s^4) / n) with the sample's 4th moment.
-- Risk 9 has a fixed rate of 3: compound Poisson, Var[L] = 3 E[X^2].
SELECT e.risk_id,
       abs(m.var - (e.el * (e.vx + e.ex ^ 2) + e.vl * e.ex ^ 2)) <= 5 * sqrt(abs(m.m4 - m.var ^ 2) / m.n) AS variance_within_5_se
  FROM expect e,
       LATERAL (SELECT count(*)::float8 AS n, var_samp(t.loss) AS var,
                       avg((t.loss - a.mean) ^ 4) AS m4
                  FROM isms.simulate_trials(ARRAY[e.risk_id], 300000, 77) t,
                       (SELECT avg(loss) AS mean FROM isms.simulate_trials(ARRAY[e.risk_id], 300000, 77)) a) m
 ORDER BY e.risk_id;
-- Risk 9 by hand: 3 events a year, PERT(500, 1500, 4000) each: mean 1750,
-- variance 1250 * 2250 / 7; E[L] = 5250, Var[L] = 3 (variance + 1750^2).
WITH t AS (SELECT loss, events FROM isms.simulate_trials(ARRAY[9::bigint], 300000, 5)),
     m AS (SELECT count(*)::float8 AS n, avg(loss) AS mean, var_samp(loss) AS var, min(events) AS lo, max(events) AS hi FROM t),
     k AS (SELECT avg((t.loss - m.mean) ^ 4) AS m4 FROM t, m)
SELECT abs(m.mean - 5250) <= 5 * sqrt(3 * (1250 * 2250 / 7.0 + 1750 ^ 2) / m.n) AS fixed_rate_mean_within_5_se,
       abs(m.var - 3 * (1250 * 2250 / 7.0 + 1750 ^ 2)) <= 5 * sqrt((k.m4 - m.var ^ 2) / m.n) AS compound_poisson_variance_within_5_se,
       m.lo = 0 AND m.hi > 10 AS poisson_counts,
       -- the tolerance is tight: a model 2 % off would fail it
       abs(m.mean - 1.02 * 5250) > 5 * sqrt(3 * (1250 * 2250 / 7.0 + 1750 ^ 2) / m.n) AS two_percent_off_detected
  FROM m, k;

-- The summary is the raw trials summarised: mean, percentile_disc, max, share of loss years.
SELECT abs(s.ale / t.mean - 1) < 1e-12 AS ale_is_mean,
       s.p50 = t.p50 AND s.p90 = t.p90 AND s.p95 = t.p95 AND s.p99 = t.p99 AND s.p999 = t.p999 AS percentiles_are_percentile_disc,
       s.max_loss = t.mx AS max, s.loss_probability = t.share AS loss_probability,
       s.events_per_year = t.events AS events, abs(s.stddev / t.sd - 1) < 1e-9 AS stddev
  FROM isms.simulate_portfolio(ARRAY[7, 8, 10], 54321, 9) s,
       (SELECT avg(loss) AS mean, max(loss) AS mx, stddev_samp(loss) AS sd,
               (count(*) FILTER (WHERE loss > 0))::float8 / count(*) AS share,
               sum(events)::float8 / count(*) AS events,
               percentile_disc(0.5) WITHIN GROUP (ORDER BY loss) AS p50,
               percentile_disc(0.9) WITHIN GROUP (ORDER BY loss) AS p90,
               percentile_disc(0.95) WITHIN GROUP (ORDER BY loss) AS p95,
               percentile_disc(0.99) WITHIN GROUP (ORDER BY loss) AS p99,
               percentile_disc(0.999) WITHIN GROUP (ORDER BY loss) AS p999
          FROM isms.simulate_trials(ARRAY[7, 8, 10], 54321, 9)) t;

-- A portfolio sums the risks trial by trial: each risk draws the same years
-- as alone with that seed, in any order of the ids, and the portfolio's
-- P95 is not the sum of the P95s.
SELECT count(*) AS trials,
       count(*) FILTER (WHERE p.loss <> a.loss + b.loss OR p.events <> a.events + b.events) AS differ
  FROM isms.simulate_trials(ARRAY[8, 7], 20000, 3) p
  JOIN isms.simulate_trials(ARRAY[7::bigint], 20000, 3) a USING (trial)
  JOIN isms.simulate_trials(ARRAY[8::bigint], 20000, 3) b USING (trial);
SELECT abs(p.ale - (a.ale + b.ale)) <= 1e-9 * p.ale AS ale_adds_up,
       p.p95 < a.p95 + b.p95 AS p95_below_sum_of_p95,
       p = isms.simulate_portfolio(ARRAY[8, 7], 20000, 3) AS order_of_ids_irrelevant
  FROM isms.simulate_portfolio(ARRAY[7, 8], 20000, 3) p, isms.simulate_risk(7, 20000, 3) a, isms.simulate_risk(8, 20000, 3) b;

-- The loss-exceedance curve: loss 0 first with P(loss > 0), then losses
-- rising, probabilities falling, each the exact share of trials above it.
SELECT count(*) AS points, min(loss) AS first_loss,
       bool_and(c.probability = (SELECT count(*) FILTER (WHERE t.loss > c.loss)::float8 / 20000
                                   FROM isms.simulate_trials(ARRAY[7::bigint], 20000, 11) t)) AS exact_shares
  FROM isms.risk_loss_exceedance(7, 20000, 11, 12) c;
SELECT bool_and(loss >= prev_loss AND probability <= prev_p) AS monotone
  FROM (SELECT loss, probability, lag(loss) OVER w AS prev_loss, lag(probability) OVER w AS prev_p
          FROM isms.portfolio_loss_exceedance(ARRAY[7, 8, 9, 10], 50000, 1, 200) WINDOW w AS (ORDER BY loss)) c
 WHERE prev_loss IS NOT NULL;
SELECT (SELECT probability FROM isms.risk_loss_exceedance(8, 5000, 2, 10) WHERE loss = 0)
       = (SELECT loss_probability FROM isms.simulate_risk(8, 5000, 2)) AS first_point_is_loss_probability;
-- Risk 9, 3 events every year on average: P(loss > 0) = 1 - exp(-3), within 5 standard errors.
SELECT loss = 0 AS at_zero, abs(probability - (1 - exp(-3))) <= 5 * sqrt(exp(-3) * (1 - exp(-3)) / 100000) AS p_any_loss
  FROM isms.risk_loss_exceedance(9, 100000, 1, 5) LIMIT 1;

-- Bad arguments: precise SQLSTATEs, nothing computed.
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$SELECT isms.simulate_risk(7, 0, 1)$$),
  ($$SELECT isms.simulate_risk(7, 10000001, 1)$$),
  ($$SELECT isms.simulate_risk(404, 10, 1)$$),
  ($$SELECT isms.simulate_risk(11, 10, 1)$$),
  ($$SELECT isms.simulate_portfolio('{}', 10, 1)$$),
  ($$SELECT isms.simulate_portfolio(ARRAY[7, NULL], 10, 1)$$),
  ($$SELECT isms.simulate_portfolio(ARRAY[7, 7], 10, 1)$$),
  ($$SELECT isms.simulate_portfolio(ARRAY[7, 12], 10, 1)$$),
  ($$SELECT isms.simulate_portfolio(ARRAY[[7], [8]], 10, 1)$$),
  ($$SELECT isms.simulate_portfolio((SELECT array_agg(g) FROM generate_series(1, 10001) g), 10, 1)$$),
  ($$SELECT * FROM isms.risk_loss_exceedance(7, 10, 1, 1)$$),
  ($$SELECT * FROM isms.risk_loss_exceedance(7, 10, 1, 1001)$$),
  ($$SELECT * FROM isms.portfolio_loss_exceedance(ARRAY[7, 404], 10, 1)$$),
  ($$SELECT * FROM isms.simulate_trials(ARRAY[7], -5, 1)$$),
  ($$SELECT isms.loss_exceedance_svg(NULL)$$),
  ($$SELECT isms.loss_exceedance_svg(ARRAY[11])$$)
) AS t(s);
-- A cancel request stops a long simulation (checked every ~1M loss draws):
-- 100,000 events a year for a million years would take many minutes.
BEGIN;
INSERT INTO isms.risk (id, scope, ref, title, owner) VALUES (13, 'default', 'Q-13', 'Phishing mails', 'CISO');
INSERT INTO isms.risk_quantification (risk_id, frequency_low, frequency_mode, frequency_high, loss_kind, loss_low, loss_high)
VALUES (13, 1e5, 1e5, 1e5, 'lognormal', 1, 10);
SET LOCAL statement_timeout = '300ms';
SELECT isms.simulate_risk(13, 1000000, 1);
ROLLBACK;

-- NULL arguments give NULL (STRICT).
SELECT isms.simulate_risk(NULL) IS NULL AS null_risk, isms.simulate_risk(7, NULL) IS NULL AS null_trials,
       (SELECT count(*) FROM isms.risk_loss_exceedance(7, 10, NULL)) AS null_seed_rows;
-- One trial: no standard deviation.
SELECT trials, stddev IS NULL AS no_stddev, p50 = max_loss AS one_value FROM isms.simulate_risk(7, 1, 1);

-- Labels: reading tables makes them STABLE (not IMMUTABLE); parallel safe; strict.
SELECT p.oid::regprocedure AS function, p.provolatile, p.proparallel, p.proisstrict
  FROM pg_proc p
 WHERE p.pronamespace = 'isms'::regnamespace
   AND p.proname IN ('simulate_risk', 'simulate_portfolio', 'risk_loss_exceedance', 'portfolio_loss_exceedance',
                     'simulate_trials', 'estimate_mean', 'estimate_variance', 'loss_exceedance_svg', 'loss_label')
 ORDER BY 1::text;
-- Privileges: readers read and simulate, editors also write estimates.
SELECT object_type, object_name, class, reader, editor, admin FROM isms.access_map
 WHERE object_name ~ '^isms\.(risk_quantification|risk_quantified|risk_ale_heatmap|simulate_|risk_loss|portfolio_loss|loss_|estimate_)'
 ORDER BY 1, 2;

-- Run in a parallel worker, the same result.
BEGIN;
SELECT set_config(CASE WHEN current_setting('server_version_num')::int >= 160000
                       THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END, 'on', true) IS NOT NULL AS forced;
SELECT ale = 181772.94140035834 AS same_in_parallel_worker FROM isms.simulate_risk(7, 10000, 42);
ROLLBACK;

-- Views: closed-form ALE per risk, and the heat map in money (residual cells).
SELECT risk_id, ref, currency, round(events_per_year::numeric, 4) AS events_per_year,
       round(loss_per_event) AS loss_per_event, round(ale) AS ale
  FROM isms.risk_quantified ORDER BY risk_id;
UPDATE isms.risk SET inherent = '4x5' WHERE id IN (7, 8);
UPDATE isms.risk SET inherent = '3x2' WHERE id = 9;
SELECT likelihood, impact, level, currency, quantified_risks, round(ale) AS ale
  FROM isms.risk_ale_heatmap
 WHERE scope = 'default' AND matrix = 'default' AND quantified_risks > 0 ORDER BY 1, 2;
SELECT sum(ale) = (SELECT sum(ale) FROM isms.risk_quantified WHERE risk_id IN (7, 8, 9)) AS cells_add_up
  FROM isms.risk_ale_heatmap WHERE scope = 'default' AND quantified_risks > 0;

-- Per asset: a risk counts in full for each asset it affects.
INSERT INTO isms.asset (id, scope, name, owner) VALUES (70, 'default', 'File servers', 'IT'), (71, 'default', 'Web shop', 'IT');
INSERT INTO isms.risk_asset (scope, risk_id, asset_id) VALUES ('default', 7, 70), ('default', 8, 71), ('default', 7, 71);
SELECT name, quantified_risks, round(ale) AS ale,
       round(ale) = round((SELECT sum(q.ale) FROM isms.risk_quantified q WHERE q.risk_id IN (SELECT risk_id FROM isms.risk_asset WHERE asset_id = a.asset_id))) AS sum_of_its_risks
  FROM isms.asset_ale a ORDER BY name;

-- The SVG: well-formed, one point per curve row, figures of the same run.
SELECT xml_is_well_formed_document(svg) AS well_formed,
       (length(svg) - length(replace(svg, 'class="point"', ''))) / length('class="point"') AS points,
       svg LIKE '%data-ale="' || (SELECT ale FROM isms.simulate_portfolio(ARRAY[7, 8], 5000, 4)) || '"%' AS same_ale,
       svg LIKE '%<title id="title">Loss exceedance, 2 risks</title>%' AS title
  FROM isms.loss_exceedance_svg(ARRAY[7, 8], 5000, 4) AS svg;
SELECT isms.loss_exceedance_svg(ARRAY[7::bigint], 100, 1, 'R&D <risk>') LIKE '%R&amp;D &lt;risk&gt;%' AS escaped;
SELECT isms.loss_label(e) FROM generate_series(-1, 15, 4) e;

-- Deleting a risk deletes its estimates; every change is in the change log.
DELETE FROM isms.risk WHERE id = 10;
SELECT count(*) AS left_quantified FROM isms.risk_quantification WHERE risk_id = 10;
SELECT op, count(*) FROM isms.change_log WHERE table_name = 'isms.risk_quantification' GROUP BY op ORDER BY op;

-- Scope security: the estimates follow their risk's scope.
SET client_min_messages = warning;
DROP ROLE IF EXISTS isms_t_quant_north;
RESET client_min_messages;
CREATE ROLE isms_t_quant_north;
SELECT isms.grant_editor('isms_t_quant_north');
INSERT INTO isms.scope (id, name) VALUES ('north', 'North site');
INSERT INTO isms.scope_member (scope, role_name) VALUES ('north', 'isms_t_quant_north');
INSERT INTO isms.risk (id, scope, ref, title, owner) VALUES (20, 'north', 'N-1', 'North risk', 'north lead');
SELECT isms.enable_scope_security() > 0 AS enabled;
SELECT table_name, how, enabled FROM isms.scope_security WHERE table_name = 'isms.risk_quantification';
SET ROLE isms_t_quant_north;
INSERT INTO isms.risk_quantification (risk_id, frequency_low, frequency_mode, frequency_high, loss_low, loss_mode, loss_high)
VALUES (20, 1, 1, 1, 100, 100, 100);
SELECT risk_id FROM isms.risk_quantification ORDER BY 1;
SELECT ale, p95, max_loss FROM isms.simulate_risk(20, 100, 1);
-- Another scope's risk is invisible, to the simulation too; its estimates cannot be written.
SELECT pg_temp.try($$SELECT isms.simulate_risk(7, 100, 1)$$) AS other_scope;
SELECT pg_temp.try($$INSERT INTO isms.risk_quantification (risk_id, frequency_low, frequency_mode, frequency_high, loss_low, loss_mode, loss_high) VALUES (11, 1, 1, 1, 1, 1, 1)$$) AS other_scope_write;
RESET ROLE;
SELECT count(*) AS still_unquantified FROM isms.risk_quantification WHERE risk_id = 11;
SELECT isms.disable_scope_security() > 0 AS disabled;
SELECT isms.revoke_editor('isms_t_quant_north'), isms.revoke_reader('isms_t_quant_north');
DROP ROLE isms_t_quant_north;
