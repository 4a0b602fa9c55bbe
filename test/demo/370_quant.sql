-- 370_quant: quantitative risk for five risks of the register: how often a
-- loss event happens (events per year) and what one costs (EUR), as the
-- ranges a risk owner can give (PERT: min, most likely, max; lognormal: a
-- 90 % interval); then Monte Carlo simulation of the year's loss: ALE, P95
-- and P99 per risk and for the five together (summed year by year).
\echo
\echo '=== Quantitative risk: estimates of five risks (isms.risk_quantification)'
INSERT INTO isms.risk_quantification (risk_id, frequency_kind, frequency_low, frequency_mode, frequency_high,
                                      loss_kind, loss_low, loss_mode, loss_high, rationale, estimated_by)
SELECT r.id, e.fk, e.fl, e.fm, e.fh, e.lk, e.ll, e.lm, e.lh, e.why, 'CISO'
  FROM (VALUES
    ('R-001', 'pert', 0.05, 0.2, 0.6, 'lognormal', 2e5, NULL::float8, 5e6, 'sector incident reports; restore from offline backups takes a week'),
    ('R-002', 'lognormal', 0.02, NULL, 0.5, 'pert', 1e5, 4e5, 4e6, 'card-brand fines, forensics and notification costs'),
    ('R-005', 'pert', 0.5, 1, 3, 'lognormal', 1e4, NULL, 3e5, 'provider status history; lost sales per hour of outage'),
    ('R-006', 'pert', 0.002, 0.01, 0.03, 'pert', 5e5, 2e6, 8e6, 'insurer statistics for warehouses; stock value'),
    ('R-009', 'lognormal', 0.3, NULL, 4, 'lognormal', 5e3, NULL, 2e5, 'extortion DDoS seen twice last year; lost sales'))
    AS e(ref, fk, fl, fm, fh, lk, ll, lm, lh, why)
  JOIN isms.risk r ON r.scope = 'default' AND r.ref = e.ref;
SELECT r.ref, q.frequency_kind AS frequency, q.frequency_low AS "events/yr low", q.frequency_mode AS likely,
       q.frequency_high AS high, q.loss_kind AS loss, q.loss_low AS "loss low", q.loss_mode AS likely, q.loss_high AS high
  FROM isms.risk_quantification q JOIN isms.risk r ON r.id = q.risk_id ORDER BY r.ref;

\echo '=== Simulated annual loss, 100,000 years each, seed 2026 (isms.simulate_risk); ALE in closed form beside it'
-- MATERIALIZED: the simulation runs for the quantified risks only (the
-- planner may otherwise call a LATERAL function before the join filters).
WITH q AS MATERIALIZED (SELECT * FROM isms.risk_quantified WHERE scope = 'default')
SELECT q.ref, left(q.title, 40) AS title, to_char(q.ale, 'FM9,999,999') AS "ALE exact",
       to_char(s.ale, 'FM9,999,999') AS "ALE simulated", to_char(s.p95, 'FM99,999,999') AS "P95",
       to_char(s.p99, 'FM99,999,999') AS "P99", round((100 * s.loss_probability)::numeric, 1) AS "% years with loss"
  FROM q, LATERAL isms.simulate_risk(q.risk_id, 100000, 2026) s
 ORDER BY q.ale DESC;

\echo '=== The five together, summed year by year (isms.simulate_portfolio): P95 is not the sum of the P95s'
SELECT s.risks, to_char(s.ale, 'FM99,999,999') AS "ALE", to_char(s.p50, 'FM99,999,999') AS "P50",
       to_char(s.p95, 'FM99,999,999') AS "P95", to_char(s.p99, 'FM99,999,999') AS "P99",
       to_char(s.max_loss, 'FM999,999,999') AS "worst year", round(s.events_per_year::numeric, 2) AS "events/yr"
  FROM isms.simulate_portfolio((SELECT array_agg(risk_id) FROM isms.risk_quantified WHERE scope = 'default'), 100000, 2026) s;

\echo '=== Loss-exceedance curve of the five: chance that a year costs more than ... (isms.portfolio_loss_exceedance)'
SELECT to_char(loss, 'FM999,999,999') AS "annual loss above", round((100 * probability)::numeric, 2) AS "% of years"
  FROM isms.portfolio_loss_exceedance((SELECT array_agg(risk_id) FROM isms.risk_quantified WHERE scope = 'default'),
                                      100000, 2026, 9);
