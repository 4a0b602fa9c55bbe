-- Part of 0.1.0 -> 0.2.0 for sql/561_metric_views.sql (issue 18): every object in it is new in 0.2.0,
-- so the part is that file as it is (keep the two the same).

-- Dashboard views over clause 9.1 (flat, every column commented): the values
-- in force (the last row of each correction chain), the latest value of
-- each metric against its target, the trend per month, and the metrics
-- whose measurement is overdue.

CREATE VIEW isms.metric_value AS
SELECT m.scope,
       m.id AS metric_id,
       m.ref AS metric_ref,
       x.id AS measurement_id,
       x.value,
       m.unit,
       x.taken_at,
       x.recorded_by,
       x.recorded_at,
       x.corrects,
       x.note,
       isms.metric_evaluate(x.value, m.direction, m.target, m.threshold) AS status
  FROM isms.measurement x
  JOIN isms.metric m ON m.id = x.metric
 WHERE NOT EXISTS (SELECT 1 FROM isms.measurement c WHERE c.corrects = x.id);
COMMENT ON VIEW isms.metric_value IS
  'Measurement values in force: every measurement not corrected by a later row (a corrected value is replaced by the last row of its correction chain), with its status against the metric''s target';
COMMENT ON COLUMN isms.metric_value.scope IS 'Scope of the metric';
COMMENT ON COLUMN isms.metric_value.metric_id IS 'Metric id (isms.metric.id)';
COMMENT ON COLUMN isms.metric_value.metric_ref IS 'Metric reference, e.g. M-PATCH';
COMMENT ON COLUMN isms.metric_value.measurement_id IS 'Id of the measurement row in force';
COMMENT ON COLUMN isms.metric_value.value IS 'The value';
COMMENT ON COLUMN isms.metric_value.unit IS 'Unit of the metric';
COMMENT ON COLUMN isms.metric_value.taken_at IS 'When the value was taken';
COMMENT ON COLUMN isms.metric_value.recorded_by IS 'Who recorded it';
COMMENT ON COLUMN isms.metric_value.recorded_at IS 'When it was recorded';
COMMENT ON COLUMN isms.metric_value.corrects IS 'The measurement this value corrected (NULL for an original value)';
COMMENT ON COLUMN isms.metric_value.note IS 'Remark of the row (the reason, for a correction)';
COMMENT ON COLUMN isms.metric_value.status IS 'met, not_met (short of target, within threshold) or breached (worse than threshold)';

CREATE VIEW isms.metric_status AS
SELECT m.scope,
       m.id AS metric_id,
       m.ref AS metric_ref,
       m.name,
       o.ref AS objective_ref,
       o.title AS objective_title,
       m.framework,
       m.control_ref,
       m.owner,
       m.analyst,
       m.unit,
       m.direction,
       m.target,
       m.threshold,
       l.value AS latest_value,
       l.taken_at AS latest_taken_at,
       l.id AS latest_measurement_id,
       l.corrects IS NOT NULL AS latest_is_correction,
       isms.metric_evaluate(l.value, m.direction, m.target, m.threshold) AS status,
       -- Every chain of corrections starts at one original row and ends at
       -- one value in force: counting the originals counts the values.
       (SELECT count(*) FROM isms.measurement x WHERE x.metric = m.id AND x.corrects IS NULL) AS measurements,
       m.frequency,
       d.next_due,
       coalesce(m.retired_on IS NULL AND d.next_due <= now(), false) AS overdue,
       m.retired_on IS NOT NULL AS retired
  FROM isms.metric m
  LEFT JOIN isms.objective o ON o.id = m.objective
  LEFT JOIN LATERAL (
         SELECT x.id, x.value, x.taken_at, x.corrects
           FROM isms.measurement x
          WHERE x.metric = m.id
            AND NOT EXISTS (SELECT 1 FROM isms.measurement c WHERE c.corrects = x.id)
          ORDER BY x.taken_at DESC, x.id DESC
          LIMIT 1) l ON true
 CROSS JOIN LATERAL (SELECT isms.metric_next_due(m.frequency, m.frequency_start, l.taken_at) AS next_due) d;
COMMENT ON VIEW isms.metric_status IS
  'One row per metric: its latest value in force against target and threshold (met, not_met, breached, no_data), how many values it has, when the next measurement is due and whether it is overdue';
COMMENT ON COLUMN isms.metric_status.scope IS 'Scope of the metric';
COMMENT ON COLUMN isms.metric_status.metric_id IS 'Metric id (isms.metric.id)';
COMMENT ON COLUMN isms.metric_status.metric_ref IS 'Metric reference';
COMMENT ON COLUMN isms.metric_status.name IS 'What is measured';
COMMENT ON COLUMN isms.metric_status.objective_ref IS 'Reference of the objective it evaluates (NULL: none)';
COMMENT ON COLUMN isms.metric_status.objective_title IS 'Title of that objective';
COMMENT ON COLUMN isms.metric_status.framework IS 'Framework of the monitored control (NULL: none)';
COMMENT ON COLUMN isms.metric_status.control_ref IS 'Monitored control (NULL: none)';
COMMENT ON COLUMN isms.metric_status.owner IS 'Who measures';
COMMENT ON COLUMN isms.metric_status.analyst IS 'Who analyses and evaluates';
COMMENT ON COLUMN isms.metric_status.unit IS 'Unit of the values';
COMMENT ON COLUMN isms.metric_status.direction IS 'higher_is_better or lower_is_better';
COMMENT ON COLUMN isms.metric_status.target IS 'Target value';
COMMENT ON COLUMN isms.metric_status.threshold IS 'Alarm threshold';
COMMENT ON COLUMN isms.metric_status.latest_value IS 'Latest value in force (by taken_at; corrections replace what they correct); NULL when none';
COMMENT ON COLUMN isms.metric_status.latest_taken_at IS 'When the latest value was taken';
COMMENT ON COLUMN isms.metric_status.latest_measurement_id IS 'Measurement row of the latest value';
COMMENT ON COLUMN isms.metric_status.latest_is_correction IS 'true when the latest value is a correction of an earlier row';
COMMENT ON COLUMN isms.metric_status.status IS 'met, not_met (short of target, within threshold), breached (worse than threshold) or no_data';
COMMENT ON COLUMN isms.metric_status.measurements IS 'Number of values in force';
COMMENT ON COLUMN isms.metric_status.frequency IS 'RRULE of the measurement schedule';
COMMENT ON COLUMN isms.metric_status.next_due IS 'First occurrence of the schedule after the latest value (the first occurrence when none); NULL when the schedule has ended';
COMMENT ON COLUMN isms.metric_status.overdue IS 'true when next_due has passed: a scheduled measurement was not taken (never for a retired metric)';
COMMENT ON COLUMN isms.metric_status.retired IS 'true when the metric is retired';

CREATE VIEW isms.metric_trend AS
WITH per_month AS (
  SELECT v.metric_id,
         date_trunc('month', v.taken_at)::date AS period,
         count(*) AS measurements,
         min(v.value) AS min_value,
         max(v.value) AS max_value,
         avg(v.value) AS avg_value,
         (array_agg(v.value ORDER BY v.taken_at DESC, v.measurement_id DESC))[1] AS last_value
    FROM isms.metric_value v
   GROUP BY v.metric_id, date_trunc('month', v.taken_at)::date
)
SELECT m.scope,
       m.id AS metric_id,
       m.ref AS metric_ref,
       p.period,
       (p.period + interval '1 month' - interval '1 day')::date AS period_end,
       p.measurements,
       p.min_value,
       p.max_value,
       round(p.avg_value, 4) AS avg_value,
       p.last_value,
       isms.metric_evaluate(p.last_value, m.direction, m.target, m.threshold) AS status,
       p.last_value - lag(p.last_value) OVER w AS change,
       CASE WHEN lag(p.last_value) OVER w IS NULL THEN NULL
            WHEN p.last_value = lag(p.last_value) OVER w THEN 'stable'
            WHEN (p.last_value > lag(p.last_value) OVER w) = (m.direction = 'higher_is_better') THEN 'improving'
            ELSE 'worsening' END AS trend
  FROM per_month p
  JOIN isms.metric m ON m.id = p.metric_id
WINDOW w AS (PARTITION BY p.metric_id ORDER BY p.period);
COMMENT ON VIEW isms.metric_trend IS
  'Values in force per metric and calendar month (session TimeZone): count, min, max, average, the month''s last value and its status, and the change from the previous month with measurements (improving, worsening, stable)';
COMMENT ON COLUMN isms.metric_trend.scope IS 'Scope of the metric';
COMMENT ON COLUMN isms.metric_trend.metric_id IS 'Metric id';
COMMENT ON COLUMN isms.metric_trend.metric_ref IS 'Metric reference';
COMMENT ON COLUMN isms.metric_trend.period IS 'First day of the month';
COMMENT ON COLUMN isms.metric_trend.period_end IS 'Last day of the month';
COMMENT ON COLUMN isms.metric_trend.measurements IS 'Values taken in the month';
COMMENT ON COLUMN isms.metric_trend.min_value IS 'Lowest value of the month';
COMMENT ON COLUMN isms.metric_trend.max_value IS 'Highest value of the month';
COMMENT ON COLUMN isms.metric_trend.avg_value IS 'Average of the month, 4 decimals';
COMMENT ON COLUMN isms.metric_trend.last_value IS 'Last value of the month (by taken_at)';
COMMENT ON COLUMN isms.metric_trend.status IS 'Status of the last value: met, not_met or breached';
COMMENT ON COLUMN isms.metric_trend.change IS 'last_value minus the last value of the previous month with values (NULL for the first)';
COMMENT ON COLUMN isms.metric_trend.trend IS 'improving, worsening or stable against the previous month with values, taking the direction into account; NULL for the first';

CREATE VIEW isms.metrics_overdue AS
SELECT s.scope,
       s.metric_id,
       s.metric_ref,
       s.name,
       s.owner,
       s.frequency,
       s.latest_taken_at,
       s.next_due AS due_since,
       (now()::date - s.next_due::date) AS days_overdue
  FROM isms.metric_status s
 WHERE s.overdue;
COMMENT ON VIEW isms.metrics_overdue IS
  'Metrics whose measurement is overdue: an occurrence of the schedule passed with no value taken since (retired metrics excluded)';
COMMENT ON COLUMN isms.metrics_overdue.scope IS 'Scope of the metric';
COMMENT ON COLUMN isms.metrics_overdue.metric_id IS 'Metric id';
COMMENT ON COLUMN isms.metrics_overdue.metric_ref IS 'Metric reference';
COMMENT ON COLUMN isms.metrics_overdue.name IS 'What is measured';
COMMENT ON COLUMN isms.metrics_overdue.owner IS 'Who measures (who must act)';
COMMENT ON COLUMN isms.metrics_overdue.frequency IS 'RRULE of the schedule';
COMMENT ON COLUMN isms.metrics_overdue.latest_taken_at IS 'When the latest value was taken (NULL: never measured)';
COMMENT ON COLUMN isms.metrics_overdue.due_since IS 'The first occurrence missed (after the latest value)';
COMMENT ON COLUMN isms.metrics_overdue.days_overdue IS 'Days since due_since (session TimeZone)';

-- The same trend for another period length: week, month, quarter or year.
CREATE FUNCTION isms.metric_trend_by(period text)
  RETURNS TABLE (scope text, metric_id bigint, metric_ref text, period_start date, period_end date,
                 measurements bigint, min_value numeric, max_value numeric, avg_value numeric,
                 last_value numeric, status text, change numeric, trend text)
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  trunc_unit text := metric_trend_by.period;
  step interval;
BEGIN
  step := CASE trunc_unit WHEN 'week' THEN interval '1 week' WHEN 'month' THEN interval '1 month'
                    WHEN 'quarter' THEN interval '3 months' WHEN 'year' THEN interval '1 year' END;
  IF step IS NULL THEN
    RAISE EXCEPTION 'invalid trend period: "%"', coalesce(trunc_unit, 'NULL')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use week, month, quarter or year.';
  END IF;
  RETURN QUERY
  WITH per AS (
    SELECT v.metric_id,
           date_trunc(trunc_unit, v.taken_at)::date AS p,
           count(*) AS n,
           min(v.value) AS lo,
           max(v.value) AS hi,
           avg(v.value) AS av,
           (array_agg(v.value ORDER BY v.taken_at DESC, v.measurement_id DESC))[1] AS last
      FROM isms.metric_value v
     GROUP BY v.metric_id, date_trunc(trunc_unit, v.taken_at)::date
  )
  SELECT m.scope, m.id, m.ref, per.p, (per.p + step - interval '1 day')::date,
         per.n, per.lo, per.hi, round(per.av, 4), per.last,
         isms.metric_evaluate(per.last, m.direction, m.target, m.threshold),
         per.last - lag(per.last) OVER w,
         CASE WHEN lag(per.last) OVER w IS NULL THEN NULL
              WHEN per.last = lag(per.last) OVER w THEN 'stable'
              WHEN (per.last > lag(per.last) OVER w) = (m.direction = 'higher_is_better') THEN 'improving'
              ELSE 'worsening' END
    FROM per JOIN isms.metric m ON m.id = per.metric_id
  WINDOW w AS (PARTITION BY per.metric_id ORDER BY per.p)
   ORDER BY m.scope, m.ref, per.p;
END
$$;
COMMENT ON FUNCTION isms.metric_trend_by(text) IS
  'isms.metric_trend for another period: week, month, quarter or year (session TimeZone); another period 22023';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.metric_trend_by', 'read', NULL);
