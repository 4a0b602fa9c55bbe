-- Information security objectives (ISO/IEC 27001:2022 6.2) and the
-- monitoring and measurement of clause 9.1: what is measured (isms.metric:
-- for which objective or control, how, how often as an RRULE, who measures,
-- who analyses, the target and the threshold) and the values taken
-- (isms.measurement).  Measurements are append-only, enforced here: a
-- recorded value is never updated or deleted; a correction is a new row
-- naming the one it corrects, and the views (561) read the latest one.

CREATE TYPE isms.objective_status AS ENUM ('active', 'achieved', 'abandoned');
COMMENT ON TYPE isms.objective_status IS
  'State of an information security objective: active (being pursued), achieved, abandoned';

CREATE TYPE isms.metric_direction AS ENUM ('higher_is_better', 'lower_is_better');
COMMENT ON TYPE isms.metric_direction IS
  'Which way a metric improves: higher_is_better (e.g. % trained staff) or lower_is_better (e.g. days to patch)';

CREATE TABLE isms.objective (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scope       text NOT NULL REFERENCES isms.scope (id) ON UPDATE CASCADE,
  ref         text NOT NULL
              CONSTRAINT objective_ref_format CHECK (ref ~ '^[^[:space:][:cntrl:]]([^[:cntrl:]]{0,62}[^[:space:][:cntrl:]])?$'),
  title       text NOT NULL CONSTRAINT objective_title_not_blank CHECK (btrim(title) <> ''),
  description text,
  owner       text NOT NULL CONSTRAINT objective_owner_not_blank CHECK (btrim(owner) <> ''),
  target_date date NOT NULL CONSTRAINT objective_target_date_finite CHECK (isfinite(target_date)),
  measure     text NOT NULL CONSTRAINT objective_measure_not_blank CHECK (btrim(measure) <> ''),
  status      isms.objective_status NOT NULL DEFAULT 'active',
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT objective_scope_ref_key UNIQUE (scope, ref),
  -- Target of the same-scope foreign key of isms.metric.
  CONSTRAINT objective_scope_id_key UNIQUE (scope, id)
);
COMMENT ON TABLE isms.objective IS
  'Information security objectives (ISO/IEC 27001:2022 6.2): what is to be achieved in a scope, by whom, by when and how it is measured; metrics (isms.metric) evaluate them';
COMMENT ON COLUMN isms.objective.id IS 'Objective id';
COMMENT ON COLUMN isms.objective.scope IS 'Scope (isms.scope.id)';
COMMENT ON COLUMN isms.objective.ref IS 'Short reference, unique in the scope, e.g. OBJ-01';
COMMENT ON COLUMN isms.objective.title IS 'What is to be achieved';
COMMENT ON COLUMN isms.objective.description IS 'Details: the plan to achieve it, resources (6.2 f-h)';
COMMENT ON COLUMN isms.objective.owner IS 'Who is responsible (6.2 h)';
COMMENT ON COLUMN isms.objective.target_date IS 'When it is to be achieved (6.2 i)';
COMMENT ON COLUMN isms.objective.measure IS 'How achievement is evaluated (6.2 j), in words; the numbers are its metrics';
COMMENT ON COLUMN isms.objective.status IS 'active, achieved or abandoned';
COMMENT ON COLUMN isms.objective.created_at IS 'When the objective was recorded';
SELECT pg_catalog.pg_extension_config_dump('isms.objective', '');
SELECT pg_catalog.pg_extension_config_dump('isms.objective_id_seq', '');
COMMENT ON SEQUENCE isms.objective_id_seq IS 'Identity of isms.objective.id';

CREATE TABLE isms.metric (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scope           text NOT NULL REFERENCES isms.scope (id) ON UPDATE CASCADE,
  ref             text NOT NULL
                  CONSTRAINT metric_ref_format CHECK (ref ~ '^[^[:space:][:cntrl:]]([^[:cntrl:]]{0,62}[^[:space:][:cntrl:]])?$'),
  name            text NOT NULL CONSTRAINT metric_name_not_blank CHECK (btrim(name) <> ''),
  description     text,
  objective       bigint,
  framework       text,
  control_ref     text,
  method          text NOT NULL CONSTRAINT metric_method_not_blank CHECK (btrim(method) <> ''),
  frequency       text NOT NULL CONSTRAINT metric_frequency_valid CHECK (isms.rrule_is_valid(frequency)),
  frequency_start timestamptz NOT NULL
                  CONSTRAINT metric_frequency_start_in_calendar
                  CHECK (frequency_start BETWEEN timestamptz '1900-01-01 00:00+00' AND timestamptz '2500-12-31 00:00+00'),
  owner           text NOT NULL CONSTRAINT metric_owner_not_blank CHECK (btrim(owner) <> ''),
  analyst         text NOT NULL CONSTRAINT metric_analyst_not_blank CHECK (btrim(analyst) <> ''),
  unit            text CONSTRAINT metric_unit_not_blank CHECK (btrim(unit) <> ''),
  direction       isms.metric_direction NOT NULL,
  target          numeric NOT NULL CONSTRAINT metric_target_finite
                  CHECK (target NOT IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric)),
  threshold       numeric NOT NULL CONSTRAINT metric_threshold_finite
                  CHECK (threshold NOT IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric)),
  retired_on      date CONSTRAINT metric_retired_on_finite CHECK (isfinite(retired_on)),
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT metric_scope_ref_key UNIQUE (scope, ref),
  CONSTRAINT metric_objective_fkey FOREIGN KEY (scope, objective) REFERENCES isms.objective (scope, id) ON UPDATE CASCADE,
  CONSTRAINT metric_control_fkey FOREIGN KEY (framework, control_ref) REFERENCES isms.control (framework, ref),
  CONSTRAINT metric_control_complete CHECK ((framework IS NULL) = (control_ref IS NULL)),
  -- Clause 9.1 a: what is monitored serves an objective or a control.
  CONSTRAINT metric_measures_something CHECK (objective IS NOT NULL OR control_ref IS NOT NULL),
  -- The threshold (the alarm) lies on the worse side of the target, or on it.
  CONSTRAINT metric_threshold_side CHECK (
    CASE direction WHEN 'higher_is_better' THEN threshold <= target ELSE threshold >= target END)
);
CREATE INDEX metric_objective_idx ON isms.metric (objective);
COMMENT ON TABLE isms.metric IS
  'What is monitored and measured (ISO/IEC 27001:2022 9.1): for which objective or control, the method, how often (an RRULE), who measures, who analyses, the target and the threshold; values are in isms.measurement';
COMMENT ON COLUMN isms.metric.id IS 'Metric id';
COMMENT ON COLUMN isms.metric.scope IS 'Scope (isms.scope.id)';
COMMENT ON COLUMN isms.metric.ref IS 'Short reference, unique in the scope, e.g. M-PATCH';
COMMENT ON COLUMN isms.metric.name IS 'What is measured (9.1 a)';
COMMENT ON COLUMN isms.metric.description IS 'Longer explanation';
COMMENT ON COLUMN isms.metric.objective IS 'Objective the metric evaluates (isms.objective.id, same scope); NULL when it serves a control only';
COMMENT ON COLUMN isms.metric.framework IS 'Framework of the control the metric monitors (with control_ref)';
COMMENT ON COLUMN isms.metric.control_ref IS 'Control the metric monitors (e.g. 8.8); NULL when it serves an objective only';
COMMENT ON COLUMN isms.metric.method IS 'How it is measured, so results are comparable and reproducible (9.1 b)';
COMMENT ON COLUMN isms.metric.frequency IS 'When it is measured (9.1 c): an RFC 5545 RRULE value, e.g. FREQ=MONTHLY;BYMONTHDAY=1';
COMMENT ON COLUMN isms.metric.frequency_start IS 'DTSTART of the RRULE: the first time a measurement is due (1900 to 2500: libical expands rules up to 2582)';
COMMENT ON COLUMN isms.metric.owner IS 'Who measures (9.1 d)';
COMMENT ON COLUMN isms.metric.analyst IS 'Who analyses and evaluates the results (9.1 e, f)';
COMMENT ON COLUMN isms.metric.unit IS 'Unit of the values, e.g. %, days, count';
COMMENT ON COLUMN isms.metric.direction IS 'higher_is_better or lower_is_better';
COMMENT ON COLUMN isms.metric.target IS 'Value to reach: a value at or better than the target meets it';
COMMENT ON COLUMN isms.metric.threshold IS 'Alarm level on the worse side of the target: a value worse than the threshold breaches it';
COMMENT ON COLUMN isms.metric.retired_on IS 'Day from which the metric is no longer measured (no longer due, no reminder)';
COMMENT ON COLUMN isms.metric.created_at IS 'When the metric was recorded';
SELECT pg_catalog.pg_extension_config_dump('isms.metric', '');
SELECT pg_catalog.pg_extension_config_dump('isms.metric_id_seq', '');
COMMENT ON SEQUENCE isms.metric_id_seq IS 'Identity of isms.metric.id';

-- The RRULE must expand from its start (isms.rrule_next raises 22P02 when
-- no occurrence is found, or RFC 5545 forbids the rule): the views compute the
-- next due date from it on every read.
CREATE FUNCTION isms.metric_before_write() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.frequency IS DISTINCT FROM OLD.frequency
     OR NEW.frequency_start IS DISTINCT FROM OLD.frequency_start THEN
    PERFORM isms.rrule_next(NEW.frequency, NEW.frequency_start, NEW.frequency_start - interval '1 microsecond');
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION isms.metric_before_write() IS
  'Trigger: the frequency RRULE of a metric must expand from frequency_start (22P02 otherwise, also for a rule RFC 5545 forbids such as BYWEEKNO outside FREQ=YEARLY)';
CREATE TRIGGER metric_before_write BEFORE INSERT OR UPDATE ON isms.metric
  FOR EACH ROW WHEN (NOT isms.restore_in_progress())
  EXECUTE FUNCTION isms.metric_before_write();

CREATE TABLE isms.measurement (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  metric      bigint NOT NULL REFERENCES isms.metric (id),
  value       numeric NOT NULL CONSTRAINT measurement_value_finite
              CHECK (value NOT IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric)),
  taken_at    timestamptz NOT NULL CONSTRAINT measurement_taken_at_in_calendar
              CHECK (taken_at BETWEEN timestamptz '1900-01-01 00:00+00' AND timestamptz '2999-12-31 00:00+00'),
  recorded_by text NOT NULL DEFAULT current_user CONSTRAINT measurement_recorded_by_not_blank CHECK (btrim(recorded_by) <> ''),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  note        text CONSTRAINT measurement_note_not_blank CHECK (btrim(note) <> ''),
  corrects    bigint,
  CONSTRAINT measurement_metric_id_key UNIQUE (metric, id),
  -- A correction names a measurement of the same metric; each value is
  -- corrected at most once, so the corrections of a value form one chain
  -- whose last row is the value in force.
  CONSTRAINT measurement_corrects_fkey FOREIGN KEY (metric, corrects) REFERENCES isms.measurement (metric, id),
  CONSTRAINT measurement_corrected_once UNIQUE (corrects),
  CONSTRAINT measurement_correction_needs_note CHECK (corrects IS NULL OR note IS NOT NULL)
);
CREATE INDEX measurement_metric_taken_idx ON isms.measurement (metric, taken_at);
-- The originals of a metric: one per value in force (isms.metric_status
-- counts them with an index-only scan).
CREATE INDEX measurement_metric_original_idx ON isms.measurement (metric) WHERE corrects IS NULL;
COMMENT ON TABLE isms.measurement IS
  'Results of monitoring and measurement (ISO/IEC 27001:2022 9.1, documented information): append-only; a correction is a new row naming the one it corrects (corrects), and views use the last row of each chain';
COMMENT ON COLUMN isms.measurement.id IS 'Measurement id';
COMMENT ON COLUMN isms.measurement.metric IS 'The metric measured (isms.metric.id)';
COMMENT ON COLUMN isms.measurement.value IS 'The value, in the metric''s unit (finite)';
COMMENT ON COLUMN isms.measurement.taken_at IS 'When the value was taken (not in the future); a correction takes the corrected row''s time unless given';
COMMENT ON COLUMN isms.measurement.recorded_by IS 'Who recorded it (default current_user)';
COMMENT ON COLUMN isms.measurement.recorded_at IS 'When it was recorded: the transaction time, set by the database';
COMMENT ON COLUMN isms.measurement.note IS 'Remark; required on a correction (why the earlier value was wrong)';
COMMENT ON COLUMN isms.measurement.corrects IS 'The measurement this row corrects (same metric, each corrected at most once); NULL for an original value';
SELECT pg_catalog.pg_extension_config_dump('isms.measurement', '');
SELECT pg_catalog.pg_extension_config_dump('isms.measurement_id_seq', '');
COMMENT ON SEQUENCE isms.measurement_id_seq IS 'Identity of isms.measurement.id';

-- BEFORE INSERT: the database, not the writer, says when a value was
-- recorded; a value cannot be taken in the future or for a retired metric;
-- a correction inherits the time of the value it corrects.
CREATE FUNCTION isms.measurement_before_insert() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  m isms.metric;
BEGIN
  NEW.recorded_at := now();
  IF NEW.corrects IS NOT NULL AND NEW.taken_at IS NULL THEN
    SELECT c.taken_at INTO NEW.taken_at FROM isms.measurement c WHERE c.id = NEW.corrects;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'measurement % does not exist: there is nothing to correct', NEW.corrects
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'measurement_corrects_fkey';
    END IF;
  END IF;
  IF NEW.taken_at > statement_timestamp() THEN
    RAISE EXCEPTION 'a measurement cannot be taken in the future'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'measurement_taken_at_not_future',
            HINT = 'Record a value once it has been taken.';
  END IF;
  SELECT * INTO m FROM isms.metric WHERE id = NEW.metric;
  IF FOUND AND m.retired_on IS NOT NULL AND NEW.taken_at >= m.retired_on AND NEW.corrects IS NULL THEN
    RAISE EXCEPTION 'metric % was retired on %; no measurement is taken after that', m.ref, m.retired_on
      USING ERRCODE = 'check_violation', CONSTRAINT = 'measurement_metric_in_use';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION isms.measurement_before_insert() IS
  'Trigger: sets recorded_at to the transaction time, gives a correction the time of the value it corrects (unknown one 23503), refuses values taken in the future or after the metric was retired (23514)';
CREATE TRIGGER measurement_before_insert BEFORE INSERT ON isms.measurement
  FOR EACH ROW WHEN (NOT isms.restore_in_progress())
  EXECUTE FUNCTION isms.measurement_before_insert();

CREATE FUNCTION isms.append_only_refuse() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = CASE TG_TABLE_NAME
                   WHEN 'measurement' THEN 'Record a correction instead: a new row whose "corrects" names the wrong one.'
                   ELSE 'Add an addendum instead.' END;
END
$$;
COMMENT ON FUNCTION isms.append_only_refuse() IS
  'Trigger function of the append-only tables (isms.measurement, isms.management_review_addendum): refuses UPDATE, DELETE and TRUNCATE for everyone, superusers included (42501)';
CREATE TRIGGER measurement_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON isms.measurement
  FOR EACH STATEMENT EXECUTE FUNCTION isms.append_only_refuse();

SELECT isms.attach_change_log('isms.objective');
SELECT isms.attach_change_log('isms.metric');
-- Measurements only ever get inserted; logging the inserts puts every
-- recorded value into the change log's history as well.
SELECT isms.attach_change_log('isms.measurement');

-- Where a value stands against its metric: met (at or better than the
-- target), not_met (between target and threshold, or on the threshold),
-- breached (worse than the threshold), no_data (no value).
CREATE FUNCTION isms.metric_evaluate(value numeric, direction isms.metric_direction,
                                     target numeric, threshold numeric) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN value IS NULL THEN 'no_data'
              WHEN direction OPERATOR(pg_catalog.=) 'higher_is_better'::isms.metric_direction THEN
                CASE WHEN value OPERATOR(pg_catalog.>=) target THEN 'met'
                     WHEN value OPERATOR(pg_catalog.<) threshold THEN 'breached'
                     ELSE 'not_met' END
              ELSE
                CASE WHEN value OPERATOR(pg_catalog.<=) target THEN 'met'
                     WHEN value OPERATOR(pg_catalog.>) threshold THEN 'breached'
                     ELSE 'not_met' END
         END
$$;
COMMENT ON FUNCTION isms.metric_evaluate(numeric, isms.metric_direction, numeric, numeric) IS
  'Status of a value against a metric: met (at or better than target), not_met (short of the target, not past the threshold), breached (worse than the threshold), no_data (NULL value)';

-- When a metric is next due: the first occurrence of its RRULE after the
-- last measurement (or from its start when it has none).  A metric is
-- overdue exactly when that occurrence is not in the future: then an
-- occurrence passed with no measurement since.
CREATE FUNCTION isms.metric_next_due(frequency text, frequency_start timestamptz, last_taken timestamptz)
  RETURNS timestamptz
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
AS $$
  SELECT isms.rrule_next(frequency, frequency_start,
                         coalesce(last_taken, frequency_start OPERATOR(pg_catalog.-) interval '1 microsecond'))
$$;
COMMENT ON FUNCTION isms.metric_next_due(text, timestamptz, timestamptz) IS
  'Next time a measurement is due: the first occurrence of the RRULE (from frequency_start) after the last measurement taken, or the first occurrence when there is none; NULL when the rule has ended; session TimeZone';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.metric_before_write', 'internal', NULL),
  ('isms.measurement_before_insert', 'internal', NULL),
  ('isms.append_only_refuse', 'internal', NULL),
  ('isms.metric_evaluate', 'read', NULL),
  ('isms.metric_next_due', 'read', NULL);
