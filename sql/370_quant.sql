-- Quantitative risk (FAIR-style): per risk, the loss event frequency (events
-- per year) and the loss magnitude (per event) as ranges, PERT (min, most
-- likely, max) or lognormal (90 % interval); Monte Carlo simulation in C
-- (src/quant.c, src/quant_core.c) gives the annualised loss expectancy,
-- percentiles and the loss-exceedance curve of a risk or of a portfolio.
-- The model: docs/risk-methodology.md, "Quantitative risk".

-- Closed forms of an estimate (what the simulation converges to).
CREATE FUNCTION isms.estimate_mean(kind text, low double precision, mode double precision,
                                   high double precision)
  RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  RETURN CASE kind
           WHEN 'pert' THEN (low + 4 * mode + high) / 6
           WHEN 'lognormal' THEN
             CASE WHEN low > 0 AND high > low THEN
               exp((ln(low) + ln(high)) / 2 + ((ln(high) - ln(low)) / (2 * 1.6448536269514722)) ^ 2 / 2) END
         END;
COMMENT ON FUNCTION isms.estimate_mean(text, double precision, double precision, double precision) IS
  'Mean of an estimate: PERT (low + 4 mode + high) / 6; lognormal with 90 % interval (low, high) exp(mu + sigma^2/2), mu = (ln low + ln high)/2, sigma = (ln high - ln low)/(2 * 1.6449); NULL for an unknown kind or an invalid interval';

CREATE FUNCTION isms.estimate_variance(kind text, low double precision, mode double precision,
                                       high double precision)
  RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  RETURN CASE kind
           WHEN 'pert' THEN
             ((low + 4 * mode + high) / 6 - low) * (high - (low + 4 * mode + high) / 6) / 7
           WHEN 'lognormal' THEN
             CASE WHEN low > 0 AND high > low THEN
               (exp(((ln(high) - ln(low)) / (2 * 1.6448536269514722)) ^ 2) - 1)
               * exp(ln(low) + ln(high) + ((ln(high) - ln(low)) / (2 * 1.6448536269514722)) ^ 2) END
         END;
COMMENT ON FUNCTION isms.estimate_variance(text, double precision, double precision, double precision) IS
  'Variance of an estimate: PERT (mean - low)(high - mean)/7; lognormal (exp(sigma^2) - 1) exp(2 mu + sigma^2); NULL for an unknown kind or an invalid interval';

CREATE TABLE isms.risk_quantification (
  risk_id        bigint PRIMARY KEY REFERENCES isms.risk (id) ON DELETE CASCADE,
  frequency_kind text NOT NULL DEFAULT 'pert',
  frequency_low  double precision NOT NULL,
  frequency_mode double precision,
  frequency_high double precision NOT NULL,
  loss_kind      text NOT NULL DEFAULT 'pert',
  loss_low       double precision NOT NULL,
  loss_mode      double precision,
  loss_high      double precision NOT NULL,
  currency       text NOT NULL DEFAULT 'EUR'
                 CONSTRAINT risk_quantification_currency CHECK (currency ~ '^[A-Z]{3}$'),
  rationale      text,
  estimated_by   text CONSTRAINT risk_quantification_estimated_by_not_blank CHECK (btrim(estimated_by) <> ''),
  estimated_on   date NOT NULL DEFAULT current_date,
  CONSTRAINT risk_quantification_frequency_kind CHECK (frequency_kind IN ('pert', 'lognormal')),
  CONSTRAINT risk_quantification_loss_kind CHECK (loss_kind IN ('pert', 'lognormal')),
  -- PERT has a most likely value, a lognormal interval has none.
  CONSTRAINT risk_quantification_frequency_mode CHECK ((frequency_kind = 'pert') = (frequency_mode IS NOT NULL)),
  CONSTRAINT risk_quantification_loss_mode CHECK ((loss_kind = 'pert') = (loss_mode IS NOT NULL)),
  -- min <= most likely <= max; a lognormal interval is not empty.
  CONSTRAINT risk_quantification_frequency_order CHECK (
    frequency_low <= coalesce(frequency_mode, frequency_low)
    AND coalesce(frequency_mode, frequency_high) <= frequency_high
    AND (frequency_kind = 'pert' OR frequency_low < frequency_high)),
  CONSTRAINT risk_quantification_loss_order CHECK (
    loss_low <= coalesce(loss_mode, loss_low)
    AND coalesce(loss_mode, loss_high) <= loss_high
    AND (loss_kind = 'pert' OR loss_low < loss_high)),
  -- PERT from zero up, lognormal above zero.
  CONSTRAINT risk_quantification_frequency_positive CHECK (
    frequency_low >= 0 AND (frequency_kind = 'pert' OR frequency_low > 0)),
  CONSTRAINT risk_quantification_loss_positive CHECK (
    loss_low >= 0 AND (loss_kind = 'pert' OR loss_low > 0)),
  -- Upper bounds (NaN and infinity fail them too); the mean of a lognormal
  -- is bounded as well, compared in logs (ln mean = mu + sigma^2/2).
  CONSTRAINT risk_quantification_frequency_bound CHECK (
    frequency_high <= 1e5
    AND (frequency_kind = 'pert' OR NOT (frequency_low > 0 AND frequency_high > frequency_low)
         OR (ln(frequency_low) + ln(frequency_high)) / 2
            + ((ln(frequency_high) - ln(frequency_low)) / (2 * 1.6448536269514722)) ^ 2 / 2 <= ln(1e5::double precision))),
  CONSTRAINT risk_quantification_loss_bound CHECK (
    loss_high <= 1e15
    AND (loss_kind = 'pert' OR NOT (loss_low > 0 AND loss_high > loss_low)
         OR (ln(loss_low) + ln(loss_high)) / 2
            + ((ln(loss_high) - ln(loss_low)) / (2 * 1.6448536269514722)) ^ 2 / 2 <= ln(1e15::double precision)))
);
COMMENT ON TABLE isms.risk_quantification IS
  'Quantitative estimates of a risk (FAIR-style ranges), one row per risk: loss event frequency per year and loss magnitude per event, each PERT (min, most likely, max) or lognormal (90 % interval); simulated by isms.simulate_risk and isms.simulate_portfolio';
COMMENT ON COLUMN isms.risk_quantification.risk_id IS 'The risk (isms.risk.id); its scope decides who sees the row';
COMMENT ON COLUMN isms.risk_quantification.frequency_kind IS
  'Distribution of the loss event frequency: pert (low = min, mode = most likely, high = max) or lognormal (low, high = 5th and 95th percentile)';
COMMENT ON COLUMN isms.risk_quantification.frequency_low IS 'Loss events per year: PERT minimum, or 5th percentile of the lognormal; >= 0 (lognormal > 0)';
COMMENT ON COLUMN isms.risk_quantification.frequency_mode IS 'Loss events per year: PERT most likely value; NULL for lognormal';
COMMENT ON COLUMN isms.risk_quantification.frequency_high IS 'Loss events per year: PERT maximum, or 95th percentile of the lognormal; at most 100000 (and a lognormal mean at most 100000)';
COMMENT ON COLUMN isms.risk_quantification.loss_kind IS
  'Distribution of the loss magnitude of one event: pert (min, most likely, max) or lognormal (90 % interval)';
COMMENT ON COLUMN isms.risk_quantification.loss_low IS 'Loss of one event, in currency: PERT minimum, or 5th percentile of the lognormal; >= 0 (lognormal > 0)';
COMMENT ON COLUMN isms.risk_quantification.loss_mode IS 'Loss of one event: PERT most likely value; NULL for lognormal';
COMMENT ON COLUMN isms.risk_quantification.loss_high IS 'Loss of one event: PERT maximum, or 95th percentile of the lognormal; at most 1e15 (and a lognormal mean at most 1e15)';
COMMENT ON COLUMN isms.risk_quantification.currency IS 'ISO 4217 code of the loss amounts (e.g. EUR); a portfolio adds losses of one currency only';
COMMENT ON COLUMN isms.risk_quantification.rationale IS 'Where the numbers come from (incident data, industry reports, expert judgement)';
COMMENT ON COLUMN isms.risk_quantification.estimated_by IS 'Who made the estimate';
COMMENT ON COLUMN isms.risk_quantification.estimated_on IS 'When the estimate was made';

SELECT pg_catalog.pg_extension_config_dump('isms.risk_quantification', '');

SELECT isms.attach_change_log('isms.risk_quantification');

CREATE TYPE isms.loss_simulation AS (
  risks            integer,
  trials           integer,
  seed             bigint,
  currency         text,
  ale              double precision,
  stddev           double precision,
  p50              double precision,
  p90              double precision,
  p95              double precision,
  p99              double precision,
  p999             double precision,
  max_loss         double precision,
  loss_probability double precision,
  events_per_year  double precision
);
COMMENT ON TYPE isms.loss_simulation IS
  'Result of a Monte Carlo simulation of annual loss (isms.simulate_risk, isms.simulate_portfolio)';
COMMENT ON COLUMN isms.loss_simulation.risks IS 'Number of risks simulated together';
COMMENT ON COLUMN isms.loss_simulation.trials IS 'Number of simulated years';
COMMENT ON COLUMN isms.loss_simulation.seed IS 'Seed of the simulation: the same seed gives the same result';
COMMENT ON COLUMN isms.loss_simulation.currency IS 'Currency of the amounts';
COMMENT ON COLUMN isms.loss_simulation.ale IS 'Annualised loss expectancy: mean annual loss over the trials';
COMMENT ON COLUMN isms.loss_simulation.stddev IS 'Sample standard deviation of the annual loss (NULL for one trial)';
COMMENT ON COLUMN isms.loss_simulation.p50 IS 'Median annual loss (as percentile_disc(0.5) over the trials)';
COMMENT ON COLUMN isms.loss_simulation.p90 IS 'Annual loss exceeded in at most 10 % of the years (percentile_disc(0.9))';
COMMENT ON COLUMN isms.loss_simulation.p95 IS 'Annual loss exceeded in at most 5 % of the years (percentile_disc(0.95))';
COMMENT ON COLUMN isms.loss_simulation.p99 IS 'Annual loss exceeded in at most 1 % of the years (percentile_disc(0.99))';
COMMENT ON COLUMN isms.loss_simulation.p999 IS 'Annual loss exceeded in at most 0.1 % of the years (percentile_disc(0.999))';
COMMENT ON COLUMN isms.loss_simulation.max_loss IS 'Largest simulated annual loss';
COMMENT ON COLUMN isms.loss_simulation.loss_probability IS 'Share of the years with any loss (loss > 0)';
COMMENT ON COLUMN isms.loss_simulation.events_per_year IS 'Mean number of loss events per simulated year';

CREATE FUNCTION isms.simulate_risk(risk_id bigint, trials integer DEFAULT 100000, seed bigint DEFAULT 1)
  RETURNS isms.loss_simulation
  AS 'MODULE_PATHNAME', 'isms_simulate_risk'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.simulate_risk(bigint, integer, bigint) IS
  'Monte Carlo simulation of the annual loss of one risk from its isms.risk_quantification row: ALE, percentiles, P(loss > 0); the same seed gives the same result; trials 1 to 10000000 (22023), unknown risk or no estimates P0002';

CREATE FUNCTION isms.simulate_portfolio(risk_ids bigint[], trials integer DEFAULT 100000, seed bigint DEFAULT 1)
  RETURNS isms.loss_simulation
  AS 'MODULE_PATHNAME', 'isms_simulate_portfolio'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.simulate_portfolio(bigint[], integer, bigint) IS
  'Monte Carlo simulation of the total annual loss of several risks (independent, summed trial by trial, not by percentile); each risk draws the same years as in isms.simulate_risk with that seed; one currency; errors as isms.simulate_risk, repeated or NULL ids 22023/22004';

CREATE FUNCTION isms.risk_loss_exceedance(risk_id bigint, trials integer DEFAULT 100000, seed bigint DEFAULT 1,
                                          points integer DEFAULT 50)
  RETURNS TABLE (loss double precision, probability double precision)
  AS 'MODULE_PATHNAME', 'isms_risk_loss_exceedance'
  LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 50;
COMMENT ON FUNCTION isms.risk_loss_exceedance(bigint, integer, bigint, integer) IS
  'Loss-exceedance curve of one risk: rows (loss, probability that the annual loss exceeds it); loss 0 first, then points - 1 losses spaced evenly on a log scale from the smallest to the largest simulated loss; points 2 to 1000';

CREATE FUNCTION isms.portfolio_loss_exceedance(risk_ids bigint[], trials integer DEFAULT 100000, seed bigint DEFAULT 1,
                                               points integer DEFAULT 50)
  RETURNS TABLE (loss double precision, probability double precision)
  AS 'MODULE_PATHNAME', 'isms_portfolio_loss_exceedance'
  LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 50;
COMMENT ON FUNCTION isms.portfolio_loss_exceedance(bigint[], integer, bigint, integer) IS
  'Loss-exceedance curve of the total annual loss of several risks (trial-wise sums), rows (loss, probability of exceeding it), as isms.risk_loss_exceedance';

CREATE FUNCTION isms.simulate_trials(risk_ids bigint[], trials integer DEFAULT 100000, seed bigint DEFAULT 1)
  RETURNS TABLE (trial integer, loss double precision, events bigint)
  AS 'MODULE_PATHNAME', 'isms_simulate_trials'
  LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 100000;
COMMENT ON FUNCTION isms.simulate_trials(bigint[], integer, bigint) IS
  'The simulated years themselves: one row per trial with its total loss and number of loss events, the same years isms.simulate_portfolio summarises; for statistics of your own';

-- One row per quantified risk with the closed-form expectations: what the
-- dashboards show without running a simulation per read.
CREATE VIEW isms.risk_quantified AS
SELECT r.id AS risk_id,
       r.scope,
       r.ref,
       r.title,
       r.status,
       r.matrix,
       r.inherent,
       r.residual,
       q.currency,
       isms.estimate_mean(q.frequency_kind, q.frequency_low, q.frequency_mode, q.frequency_high) AS events_per_year,
       isms.estimate_mean(q.loss_kind, q.loss_low, q.loss_mode, q.loss_high) AS loss_per_event,
       isms.estimate_mean(q.frequency_kind, q.frequency_low, q.frequency_mode, q.frequency_high)
         * isms.estimate_mean(q.loss_kind, q.loss_low, q.loss_mode, q.loss_high) AS ale
  FROM isms.risk r
  JOIN isms.risk_quantification q ON q.risk_id = r.id;
COMMENT ON VIEW isms.risk_quantified IS
  'Every quantified risk with its expected loss events per year, expected loss per event and their product, the annualised loss expectancy (closed form, no simulation)';
COMMENT ON COLUMN isms.risk_quantified.risk_id IS 'The risk (isms.risk.id)';
COMMENT ON COLUMN isms.risk_quantified.scope IS 'Scope of the risk';
COMMENT ON COLUMN isms.risk_quantified.ref IS 'Reference of the risk (e.g. R-001)';
COMMENT ON COLUMN isms.risk_quantified.title IS 'Short statement of the risk';
COMMENT ON COLUMN isms.risk_quantified.status IS 'Status of the risk';
COMMENT ON COLUMN isms.risk_quantified.matrix IS 'Risk matrix of its scores';
COMMENT ON COLUMN isms.risk_quantified.inherent IS 'Inherent score (likelihood x impact)';
COMMENT ON COLUMN isms.risk_quantified.residual IS 'Residual score in force';
COMMENT ON COLUMN isms.risk_quantified.currency IS 'Currency of the amounts';
COMMENT ON COLUMN isms.risk_quantified.events_per_year IS 'Expected loss events per year (mean of the frequency estimate)';
COMMENT ON COLUMN isms.risk_quantified.loss_per_event IS 'Expected loss of one event (mean of the magnitude estimate)';
COMMENT ON COLUMN isms.risk_quantified.ale IS 'Annualised loss expectancy E[N] E[X] (exact; isms.simulate_risk converges to it)';

-- The heat map in money: every cell of every matrix for every scope (as
-- isms.risk_heatmap), with the quantified open risks whose residual score
-- falls in it and the sum of their ALE per currency.
CREATE VIEW isms.risk_ale_heatmap AS
SELECT h.scope,
       h.matrix,
       h.likelihood,
       h.impact,
       h.level,
       h.colour,
       c.currency,
       coalesce(c.risks, 0)::int AS quantified_risks,
       coalesce(c.ale, 0)::double precision AS ale
  FROM isms.risk_heatmap h
  LEFT JOIN (SELECT q.scope, q.matrix, q.currency,
                    isms.likelihood(q.residual) AS likelihood, isms.impact(q.residual) AS impact,
                    count(*) AS risks, sum(q.ale) AS ale
               FROM isms.risk_quantified q
              WHERE q.status <> 'closed' AND q.residual IS NOT NULL
              GROUP BY 1, 2, 3, 4, 5) c
         ON c.scope = h.scope AND c.matrix = h.matrix AND c.likelihood = h.likelihood AND c.impact = h.impact;
COMMENT ON VIEW isms.risk_ale_heatmap IS
  'Heat map in money: per scope, matrix and cell (residual likelihood x impact), the open quantified risks and the sum of their annualised loss expectancy; one row per currency in a cell that has risks, one row with currency NULL and 0 otherwise';
COMMENT ON COLUMN isms.risk_ale_heatmap.scope IS 'Scope';
COMMENT ON COLUMN isms.risk_ale_heatmap.matrix IS 'Risk matrix';
COMMENT ON COLUMN isms.risk_ale_heatmap.likelihood IS 'Likelihood of the cell (residual score)';
COMMENT ON COLUMN isms.risk_ale_heatmap.impact IS 'Impact of the cell (residual score)';
COMMENT ON COLUMN isms.risk_ale_heatmap.level IS 'Risk level of the cell';
COMMENT ON COLUMN isms.risk_ale_heatmap.colour IS 'Colour of the level (#rrggbb)';
COMMENT ON COLUMN isms.risk_ale_heatmap.currency IS 'Currency of ale (NULL when the cell has no quantified risk)';
COMMENT ON COLUMN isms.risk_ale_heatmap.quantified_risks IS 'Open quantified risks whose residual score is this cell';
COMMENT ON COLUMN isms.risk_ale_heatmap.ale IS 'Sum of their annualised loss expectancy (closed form)';

-- Expected loss per asset: which assets carry the most.  A risk counts in
-- full for every asset it affects (exposure, not a split), so the rows of
-- one scope can add up to more than its total ALE.
CREATE VIEW isms.asset_ale AS
SELECT a.id AS asset_id,
       a.scope,
       a.name,
       a.kind,
       a.owner,
       q.currency,
       count(*)::int AS quantified_risks,
       sum(q.ale) AS ale
  FROM isms.asset a
  JOIN isms.risk_asset ra ON ra.asset_id = a.id
  JOIN isms.risk_quantified q ON q.risk_id = ra.risk_id
 WHERE q.status <> 'closed'
 GROUP BY a.id, a.scope, a.name, a.kind, a.owner, q.currency;
COMMENT ON VIEW isms.asset_ale IS
  'Annualised loss expectancy per asset: the open quantified risks that affect it and the sum of their closed-form ALE, per currency; a risk counts in full for each of its assets (exposure), so assets do not add up to the total';
COMMENT ON COLUMN isms.asset_ale.asset_id IS 'The asset (isms.asset.id)';
COMMENT ON COLUMN isms.asset_ale.scope IS 'Scope of the asset';
COMMENT ON COLUMN isms.asset_ale.name IS 'Name of the asset';
COMMENT ON COLUMN isms.asset_ale.kind IS 'Kind of asset';
COMMENT ON COLUMN isms.asset_ale.owner IS 'Owner of the asset';
COMMENT ON COLUMN isms.asset_ale.currency IS 'Currency of ale';
COMMENT ON COLUMN isms.asset_ale.quantified_risks IS 'Open quantified risks that affect the asset';
COMMENT ON COLUMN isms.asset_ale.ale IS 'Sum of their annualised loss expectancy (closed form)';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.estimate_mean', 'read', NULL),
  ('isms.estimate_variance', 'read', NULL),
  ('isms.simulate_risk', 'read', 'reads estimates under the caller''s row-level security and writes nothing; CPU and memory (8 bytes a trial) bounded by the 10M trials cap'),
  ('isms.simulate_portfolio', 'read', 'as isms.simulate_risk'),
  ('isms.risk_loss_exceedance', 'read', 'as isms.simulate_risk'),
  ('isms.portfolio_loss_exceedance', 'read', 'as isms.simulate_risk'),
  ('isms.simulate_trials', 'read', 'as isms.simulate_risk');
