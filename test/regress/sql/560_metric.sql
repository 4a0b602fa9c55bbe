-- 560_metric: clause 9.1 and 6.2.  Objectives and metrics with their rules
-- (an RRULE that expands, a threshold on the worse side of the target, a
-- metric serves an objective or a control, same scope), append-only
-- measurements (UPDATE, DELETE, TRUNCATE refused for everyone; a correction
-- is a new row), the views (latest value against target, trend per month,
-- overdue), and bad input refused with nothing written.  Dates are fixed so
-- the output does not depend on the day the test runs (after 2026-03-01).
\i test/regress/setup.sql

INSERT INTO isms.scope (id, name) VALUES ('acme', 'ACME Ltd'), ('other', 'Other Ltd');
INSERT INTO isms.objective (scope, ref, title, owner, target_date, measure)
VALUES ('acme', 'OBJ-01', 'Critical patches within 14 days', 'CIO', '2026-12-31', 'Median days from release to install'),
       ('acme', 'OBJ-02', 'Every employee trained yearly', 'HR lead', '2026-12-31', 'Share of staff trained in the last 12 months'),
       ('other', 'OBJ-01', 'Other objective', 'CEO', '2026-12-31', 'x');
INSERT INTO isms.metric (scope, ref, name, objective, framework, control_ref, method, frequency, frequency_start,
                         owner, analyst, unit, direction, target, threshold)
VALUES ('acme', 'M-PATCH', 'Days to install critical patches', 1, 'iso27001-2022', '8.8', 'Median over the month from the patch tool',
        'FREQ=MONTHLY;BYMONTHDAY=1', '2026-01-01 09:00+00', 'IT operations', 'CISO', 'days', 'lower_is_better', 14, 30),
       ('acme', 'M-TRAIN', 'Staff trained in the last 12 months', 2, NULL, NULL, 'HR system report',
        'FREQ=MONTHLY;INTERVAL=3', '2026-01-15 00:00+00', 'HR lead', 'CISO', '%', 'higher_is_better', 95, 80),
       ('acme', 'M-ONCE', 'Restore test of the ERP', NULL, 'iso27001-2022', '8.13', 'Restore to a test system, timed',
        'FREQ=YEARLY;COUNT=1', '2025-06-01 00:00+00', 'IT operations', 'CIO', 'hours', 'lower_is_better', 4, 8),
       ('acme', 'M-LATER', 'Phishing click rate', NULL, 'iso27001-2022', '6.3', 'Simulated campaign',
        'FREQ=YEARLY', '2500-01-01 00:00+00', 'CISO', 'CISO', '%', 'lower_is_better', 5, 10);
SELECT id, ref, objective, control_ref, frequency, direction, target, threshold FROM isms.metric ORDER BY id;

-- Bad metrics: each refused with its SQLSTATE; none written.
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$INSERT INTO isms.metric (scope, ref, name, objective, method, frequency, frequency_start, owner, analyst, direction, target, threshold) VALUES ('acme', 'M-X', 'x', 1, 'm', 'FREQ=SOMETIMES', '2026-01-01', 'o', 'a', 'higher_is_better', 1, 0)$$),
  ($$INSERT INTO isms.metric (scope, ref, name, objective, method, frequency, frequency_start, owner, analyst, direction, target, threshold) VALUES ('acme', 'M-X', 'x', 1, 'm', 'FREQ=MONTHLY;BYWEEKNO=20', '2026-01-01', 'o', 'a', 'higher_is_better', 1, 0)$$),
  ($$INSERT INTO isms.metric (scope, ref, name, objective, method, frequency, frequency_start, owner, analyst, direction, target, threshold) VALUES ('acme', 'M-X', 'x', 1, 'm', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', '2026-01-01', 'o', 'a', 'higher_is_better', 1, 0)$$),
  ($$INSERT INTO isms.metric (scope, ref, name, objective, method, frequency, frequency_start, owner, analyst, direction, target, threshold) VALUES ('acme', 'M-X', 'x', 1, 'm', 'FREQ=MONTHLY', '2026-01-01', 'o', 'a', 'higher_is_better', 10, 20)$$),
  ($$INSERT INTO isms.metric (scope, ref, name, objective, method, frequency, frequency_start, owner, analyst, direction, target, threshold) VALUES ('acme', 'M-X', 'x', 1, 'm', 'FREQ=MONTHLY', '2026-01-01', 'o', 'a', 'lower_is_better', 10, 5)$$),
  ($$INSERT INTO isms.metric (scope, ref, name, method, frequency, frequency_start, owner, analyst, direction, target, threshold) VALUES ('acme', 'M-X', 'x', 'm', 'FREQ=MONTHLY', '2026-01-01', 'o', 'a', 'lower_is_better', 10, 20)$$),
  ($$INSERT INTO isms.metric (scope, ref, name, objective, method, frequency, frequency_start, owner, analyst, direction, target, threshold) VALUES ('acme', 'M-X', 'x', 3, 'm', 'FREQ=MONTHLY', '2026-01-01', 'o', 'a', 'lower_is_better', 10, 20)$$),
  ($$INSERT INTO isms.metric (scope, ref, name, framework, control_ref, method, frequency, frequency_start, owner, analyst, direction, target, threshold) VALUES ('acme', 'M-X', 'x', 'iso27001-2022', '9.99', 'm', 'FREQ=MONTHLY', '2026-01-01', 'o', 'a', 'lower_is_better', 10, 20)$$),
  ($$INSERT INTO isms.metric (scope, ref, name, objective, method, frequency, frequency_start, owner, analyst, direction, target, threshold) VALUES ('acme', 'M-X', 'x', 1, 'm', 'FREQ=MONTHLY', '2026-01-01', 'o', 'a', 'lower_is_better', 'NaN', 20)$$),
  ($$INSERT INTO isms.metric (scope, ref, name, objective, method, frequency, frequency_start, owner, analyst, direction, target, threshold) VALUES ('acme', 'M-X', 'x', 1, 'm', 'FREQ=MONTHLY', '2026-01-01', ' ', 'a', 'lower_is_better', 10, 20)$$),
  ($$INSERT INTO isms.metric (scope, ref, name, objective, method, frequency, frequency_start, owner, direction, target, threshold) VALUES ('acme', 'M-X', 'x', 1, 'm', 'FREQ=MONTHLY', '2026-01-01', 'o', 'lower_is_better', 10, 20)$$),
  ($$INSERT INTO isms.metric (scope, ref, name, objective, method, frequency, frequency_start, owner, analyst, direction, target, threshold) VALUES ('acme', 'M-X', 'x', 1, 'm', 'FREQ=MONTHLY', '2026-01-01', 'o', 'a', 'sideways', 10, 20)$$),
  ($$INSERT INTO isms.metric (scope, ref, name, objective, method, frequency, frequency_start, owner, analyst, direction, target, threshold) VALUES ('acme', 'M-PATCH', 'x', 1, 'm', 'FREQ=MONTHLY', '2026-01-01', 'o', 'a', 'lower_is_better', 10, 20)$$),
  ($$INSERT INTO isms.metric (scope, ref, name, objective, method, frequency, frequency_start, owner, analyst, direction, target, threshold) VALUES ('acme', 'M-X', 'x', 1, 'm', 'FREQ=MONTHLY', 'infinity', 'o', 'a', 'lower_is_better', 10, 20)$$),
  ($$UPDATE isms.metric SET frequency = 'FREQ=WEEKLY;BYWEEKNO=3' WHERE ref = 'M-PATCH'$$),
  ($$INSERT INTO isms.objective (scope, ref, title, owner, target_date, measure) VALUES ('acme', 'OBJ-03', 'x', 'o', 'infinity', 'm')$$),
  ($$INSERT INTO isms.objective (scope, ref, title, owner, target_date, measure) VALUES ('acme', 'OBJ-03', 'x', 'o', '2026-12-31', '')$$),
  ($$INSERT INTO isms.objective (scope, ref, title, owner, target_date, measure, status) VALUES ('acme', 'OBJ-03', 'x', 'o', '2026-12-31', 'm', 'done')$$)
) AS t(s);
SELECT count(*) AS metrics, (SELECT count(*) FROM isms.objective) AS objectives,
       (SELECT frequency FROM isms.metric WHERE ref = 'M-PATCH') AS patch_frequency
  FROM isms.metric;

-- Measurements.  recorded_at is the database's, whatever the writer says.
INSERT INTO isms.measurement (metric, value, taken_at, recorded_by, recorded_at)
VALUES (1, 21, '2026-01-01 09:00+00', 'patch tool', '2001-01-01'),
       (1, 18, '2026-02-01 09:00+00', 'patch tool', '2001-01-01'),
       (1, 35, '2026-03-01 09:00+00', 'patch tool', '2001-01-01'),
       (2, 78, '2026-01-15 00:00+00', 'HR lead', NULL),
       (3, 3.5, '2025-06-03 00:00+00', 'IT operations', NULL);
SELECT id, metric, value, taken_at, recorded_by, recorded_at > now() - interval '1 hour' AS recorded_by_the_database, corrects FROM isms.measurement ORDER BY id;
-- The March value was wrong: a correction names it and says why; it keeps
-- the time of the value it corrects.  A correction can itself be corrected.
INSERT INTO isms.measurement (metric, value, corrects, note) VALUES (1, 31, 3, 'Two test servers counted');
INSERT INTO isms.measurement (metric, value, corrects, note) VALUES (1, 13, 6, 'Recomputed as a median, not a mean');
SELECT id, value, taken_at, corrects, note FROM isms.measurement WHERE metric = 1 ORDER BY id;

-- Bad measurements and every attempt to change or remove one: refused for
-- everyone, the superuser included; nothing written or changed.
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$INSERT INTO isms.measurement (metric, value, taken_at) VALUES (1, 10, now() + interval '1 hour')$$),
  ($$INSERT INTO isms.measurement (metric, value, taken_at) VALUES (1, 'NaN', '2026-02-15')$$),
  ($$INSERT INTO isms.measurement (metric, value, taken_at) VALUES (1, '-Infinity', '2026-02-15')$$),
  ($$INSERT INTO isms.measurement (metric, value, taken_at) VALUES (99, 10, '2026-02-15')$$),
  ($$INSERT INTO isms.measurement (metric, value, taken_at) VALUES (1, NULL, '2026-02-15')$$),
  ($$INSERT INTO isms.measurement (metric, value, taken_at) VALUES (1, 'ten', '2026-02-15')$$),
  ($$INSERT INTO isms.measurement (metric, value) VALUES (1, 10)$$),
  ($$INSERT INTO isms.measurement (metric, value, corrects) VALUES (1, 10, 2)$$),
  ($$INSERT INTO isms.measurement (metric, value, corrects, note) VALUES (1, 10, 3, 'corrected twice')$$),
  ($$INSERT INTO isms.measurement (metric, value, corrects, note) VALUES (2, 10, 1, 'another metric')$$),
  ($$INSERT INTO isms.measurement (metric, value, corrects, note) VALUES (1, 10, 999, 'nothing')$$),
  ($$INSERT INTO isms.measurement (id, metric, value, taken_at) VALUES (100, 1, 10, '2026-02-15')$$),
  ($$UPDATE isms.measurement SET value = 12 WHERE id = 3$$),
  ($$UPDATE isms.measurement SET note = 'x' WHERE false$$),
  ($$DELETE FROM isms.measurement WHERE id = 3$$),
  ($$TRUNCATE isms.measurement$$),
  ($$TRUNCATE isms.metric CASCADE$$),
  ($$DELETE FROM isms.metric WHERE ref = 'M-PATCH'$$)
) AS t(s);
SELECT count(*) AS measurements, sum(value) AS total, (SELECT count(*) FROM isms.metric) AS metrics FROM isms.measurement;

-- A retired metric takes no new value (a correction of an old one is fine).
UPDATE isms.metric SET retired_on = '2025-12-31' WHERE ref = 'M-ONCE';
SELECT pg_temp.try($$INSERT INTO isms.measurement (metric, value, taken_at) VALUES (3, 4, '2026-01-05')$$);
INSERT INTO isms.measurement (metric, value, corrects, note) VALUES (3, 3.25, 5, 'Stopwatch read wrongly');

-- Latest value in force against target and threshold; next due and overdue.
SELECT metric_ref, objective_ref, control_ref, unit, direction, target, threshold, latest_value, latest_taken_at,
       latest_is_correction, status, measurements, next_due, overdue, retired
  FROM isms.metric_status ORDER BY metric_ref;
SELECT metric_ref, latest_taken_at, due_since FROM isms.metrics_overdue ORDER BY metric_ref;
SELECT metric_ref, measurement_id, value, taken_at, corrects, status FROM isms.metric_value ORDER BY measurement_id;
SELECT metric_ref, period, period_end, measurements, min_value, max_value, avg_value, last_value, status, change, trend
  FROM isms.metric_trend ORDER BY metric_ref, period;

-- The same per quarter and per year; another period is refused.
SELECT metric_ref, period_start, period_end, measurements, last_value, status, change, trend
  FROM isms.metric_trend_by('quarter') ORDER BY metric_ref, period_start;
SELECT metric_ref, period_start, period_end, measurements, avg_value FROM isms.metric_trend_by('year') WHERE metric_ref = 'M-PATCH';
SELECT pg_temp.try($$SELECT * FROM isms.metric_trend_by('fortnight')$$), pg_temp.try($$SELECT * FROM isms.metric_trend_by(NULL)$$);
SELECT count(*) = (SELECT count(*) FROM isms.metric_trend) AS month_matches_the_view,
       count(*) FILTER (WHERE t.period_start = v.period AND t.last_value = v.last_value AND t.trend IS NOT DISTINCT FROM v.trend)
         = (SELECT count(*) FROM isms.metric_trend) AS same_rows
  FROM isms.metric_trend_by('month') t
  JOIN isms.metric_trend v ON v.metric_id = t.metric_id AND v.period = t.period_start;

-- The evaluation rule at its edges.
SELECT v, isms.metric_evaluate(v, 'lower_is_better', 14, 30) AS lower, isms.metric_evaluate(v, 'higher_is_better', 14, 10) AS higher
  FROM (VALUES (NULL::numeric), (9), (10), (13.99), (14), (14.01), (30), (30.5)) AS t(v);
-- Next due: first occurrence after the last value, or the first one.
SELECT isms.metric_next_due('FREQ=MONTHLY;BYMONTHDAY=1', '2026-01-01', NULL) AS never_measured,
       isms.metric_next_due('FREQ=MONTHLY;BYMONTHDAY=1', '2026-01-01', '2026-01-01') AS measured_on_the_day,
       isms.metric_next_due('FREQ=MONTHLY;BYMONTHDAY=1', '2026-01-01', '2026-03-17') AS measured_mid_march,
       isms.metric_next_due('FREQ=DAILY;COUNT=3', '2026-01-01', '2026-01-05') AS rule_ended;

-- Readiness (9.1): an overdue metric is a gap of clause 9; a scope without
-- metrics has a gap too.
SELECT rule, status, what, object, owner, since, evidence FROM isms.readiness_checks('acme', '2026-03-10')
 WHERE rule = 'monitoring' ORDER BY status, what;
SELECT rule, status, what, object, owner, since, evidence FROM isms.readiness_checks('acme', '2026-05-01')
 WHERE rule = 'monitoring' ORDER BY status, what;
SELECT rule, status, what FROM isms.readiness_checks('other', '2026-03-10') WHERE rule = 'monitoring';

-- Readiness (6.2): objectives are recorded; an active one past its target
-- date is a gap; achieving it clears the gap.
SELECT status, what, object, owner, since, evidence FROM isms.readiness_checks('acme', '2027-01-15')
 WHERE rule = 'objectives' ORDER BY status, what;
UPDATE isms.objective SET status = 'achieved' WHERE scope = 'acme' AND ref = 'OBJ-01';
SELECT status, what, evidence FROM isms.readiness_checks('acme', '2027-01-15') WHERE rule = 'objectives' ORDER BY status, what;
SELECT status, what FROM isms.readiness_checks('default', '2027-01-15') WHERE rule = 'objectives';

-- Every change of objectives and metrics is logged, and every measurement
-- recorded (measurements only ever get inserted).
SELECT table_name, op, count(*) FROM isms.change_log
 WHERE table_name IN ('isms.objective', 'isms.metric', 'isms.measurement') GROUP BY 1, 2 ORDER BY 1, 2;

-- The calendar: one recurring measurement_due reminder per metric in use,
-- its RRULE exported; a time of day makes it a timed entry; retiring the
-- metric cancelled its reminder (SEQUENCE + 1).
INSERT INTO isms.metric (scope, ref, name, framework, control_ref, method, frequency, frequency_start, owner, analyst, direction, target, threshold)
VALUES ('acme', 'M-SOC', 'Open alerts at the morning check', 'iso27001-2022', '8.16', 'SIEM queue', 'FREQ=DAILY;BYHOUR=8',
        '2026-01-05 08:00+00', 'SOC', 'CISO', 'lower_is_better', 0, 5);
SELECT r.kind, m.ref, r.status, r.sequence, r.due, r.starts_at, r.rrule, r.alarms, r.summary, r.owner
  FROM isms.reminder r JOIN isms.metric m ON r.subject = 'isms.metric'::regclass AND r.subject_key = m.id::text
 ORDER BY m.id;
SELECT description FROM isms.reminder WHERE kind = 'measurement_due' AND summary LIKE 'Measure M-PATCH%';
UPDATE isms.metric SET frequency = 'FREQ=MONTHLY;BYMONTHDAY=2' WHERE ref = 'M-PATCH';
SELECT rrule, sequence, status FROM isms.reminder WHERE summary LIKE 'Measure M-PATCH%';
SELECT line FROM regexp_split_to_table(isms.ical_export('acme', ARRAY['measurement_due']), E'\r\n') AS line
 WHERE line ~ '^(SUMMARY|RRULE|DTSTART)' ORDER BY line;
