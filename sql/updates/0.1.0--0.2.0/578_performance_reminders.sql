-- Part of 0.1.0 -> 0.2.0 for sql/578_performance_reminders.sql (issue 18): every object in it is new in 0.2.0,
-- so the part is that file as it is (keep the two the same).

-- The calendar entries of issue 18, in one file: a recurring reminder per
-- metric in use (kind measurement_due, its RRULE exported) and one per
-- action of a management review (kind review_action).  What each subject
-- should show is declared once, as a view of isms.reminder_item rows; the
-- statement triggers below hand the rows of the changed subjects to the
-- set-based API (isms.reminder_sync_set / isms.reminder_close_set), as
-- sql/440_review_schedule.sql does.  Written so it converts directly to a
-- declared reminder source: the two views are the sources, the triggers
-- are what attaching them replaces.  Skipped while pg_restore loads data.

-- A measurement is timed when its schedule has a time of day (a start off
-- midnight UTC, BYHOUR/BYMINUTE/BYSECOND, or a sub-daily FREQ), else an
-- all-day entry: an RRULE with a time part needs a DATE-TIME DTSTART.
CREATE VIEW isms.measurement_due_reminders AS
SELECT 'measurement_due'::text AS kind,
       'isms.metric'::regclass AS subject,
       m.id::text AS subject_key,
       m.scope,
       m.owner,
       'Measure ' || m.ref || ': ' || m.name AS summary,
       concat_ws(E'\n', 'Method: ' || m.method,
                 'Target: ' || m.target || coalesce(' ' || m.unit, '') || ', threshold: ' || m.threshold
                   || coalesce(' ' || m.unit, '') || ' (' || replace(m.direction::text, '_', ' ') || ')',
                 'Analysed by: ' || m.analyst,
                 'Objective: ' || o.ref || ' ' || o.title,
                 'Control: ' || m.control_ref) AS description,
       (m.frequency_start AT TIME ZONE 'UTC')::date AS due,
       m.frequency AS rrule,
       '{1 day}'::interval[] AS alarms,
       CASE WHEN t.timed THEN m.frequency_start END AS starts_at,
       NULL::timestamptz AS ends_at,
       NULL::date AS last_day
  FROM isms.metric m
  LEFT JOIN isms.objective o ON o.id = m.objective
 CROSS JOIN LATERAL (SELECT (m.frequency_start AT TIME ZONE 'UTC')::time <> '00:00'
                            OR m.frequency ~ '(^|;)(BYHOUR|BYMINUTE|BYSECOND)='
                            OR m.frequency ~ '(^|;)FREQ=(HOURLY|MINUTELY|SECONDLY)(;|$)' AS timed) t
 WHERE m.retired_on IS NULL;
COMMENT ON VIEW isms.measurement_due_reminders IS
  'Reminder source: the measurement_due calendar entry every metric in use should have (recurring by its RRULE from frequency_start); retired metrics have none';
COMMENT ON COLUMN isms.measurement_due_reminders.kind IS 'Always measurement_due';
COMMENT ON COLUMN isms.measurement_due_reminders.subject IS 'Always isms.metric';
COMMENT ON COLUMN isms.measurement_due_reminders.subject_key IS 'The metric id, as text';
COMMENT ON COLUMN isms.measurement_due_reminders.scope IS 'Scope of the metric';
COMMENT ON COLUMN isms.measurement_due_reminders.owner IS 'Who measures';
COMMENT ON COLUMN isms.measurement_due_reminders.summary IS 'Measure REF: name';
COMMENT ON COLUMN isms.measurement_due_reminders.description IS 'Method, target and threshold, analyst, objective and control';
COMMENT ON COLUMN isms.measurement_due_reminders.due IS 'Day of the first measurement (frequency_start in UTC)';
COMMENT ON COLUMN isms.measurement_due_reminders.rrule IS 'The metric''s frequency, exported as RRULE';
COMMENT ON COLUMN isms.measurement_due_reminders.alarms IS 'One alarm a day before';
COMMENT ON COLUMN isms.measurement_due_reminders.starts_at IS 'frequency_start when the schedule has a time of day, else NULL (all-day entry)';
COMMENT ON COLUMN isms.measurement_due_reminders.ends_at IS 'Always NULL';
COMMENT ON COLUMN isms.measurement_due_reminders.last_day IS 'Always NULL';

CREATE VIEW isms.review_action_reminders AS
SELECT 'review_action'::text AS kind,
       'isms.management_review_action'::regclass AS subject,
       a.id::text AS subject_key,
       r.scope,
       a.owner,
       'Management review action: ' || a.action AS summary,
       concat_ws(E'\n', 'Decided by the management review of ' || to_char(r.held_on, 'YYYY-MM-DD') || ' (chair: ' || r.chair || ')',
                 'Decision: ' || d.decision,
                 'Progress: ' || a.progress_note) AS description,
       a.due,
       NULL::text AS rrule,
       '{7 days,1 day}'::interval[] AS alarms,
       NULL::timestamptz AS starts_at,
       NULL::timestamptz AS ends_at,
       NULL::date AS last_day
  FROM isms.management_review_action a
  JOIN isms.management_review r ON r.id = a.review
  LEFT JOIN isms.management_review_decision d ON d.id = a.decision
 WHERE a.status = 'open';
COMMENT ON VIEW isms.review_action_reminders IS
  'Reminder source: the review_action calendar entry every open action of a management review should have, on its due date';
COMMENT ON COLUMN isms.review_action_reminders.kind IS 'Always review_action';
COMMENT ON COLUMN isms.review_action_reminders.subject IS 'Always isms.management_review_action';
COMMENT ON COLUMN isms.review_action_reminders.subject_key IS 'The action id, as text';
COMMENT ON COLUMN isms.review_action_reminders.scope IS 'Scope of the review';
COMMENT ON COLUMN isms.review_action_reminders.owner IS 'Who must do it';
COMMENT ON COLUMN isms.review_action_reminders.summary IS 'Management review action: what';
COMMENT ON COLUMN isms.review_action_reminders.description IS 'The review (day, chair), the decision, the progress so far';
COMMENT ON COLUMN isms.review_action_reminders.due IS 'Due date of the action';
COMMENT ON COLUMN isms.review_action_reminders.rrule IS 'Always NULL (one-off)';
COMMENT ON COLUMN isms.review_action_reminders.alarms IS 'Alarms a week and a day before';
COMMENT ON COLUMN isms.review_action_reminders.starts_at IS 'Always NULL (all-day entry)';
COMMENT ON COLUMN isms.review_action_reminders.ends_at IS 'Always NULL';
COMMENT ON COLUMN isms.review_action_reminders.last_day IS 'Always NULL';

CREATE FUNCTION isms.metric_reminders() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM isms.reminder_close_set('measurement_due', 'isms.metric', ARRAY(SELECT o.id::text FROM old_rows o), 'cancelled');
    RETURN NULL;
  END IF;
  PERFORM isms.reminder_sync_set(ARRAY(
    SELECT ROW(v.*)::isms.reminder_item FROM isms.measurement_due_reminders v
     WHERE v.subject_key IN (SELECT n.id::text FROM new_rows n)));
  IF TG_OP = 'UPDATE' THEN
    PERFORM isms.reminder_close_set('measurement_due', 'isms.metric',
      ARRAY(SELECT n.id::text FROM new_rows n WHERE n.retired_on IS NOT NULL), 'cancelled');
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.metric_reminders() IS
  'Statement trigger: keeps the measurement_due reminders of the inserted, updated or deleted metrics in step with isms.measurement_due_reminders (retired or deleted: cancelled)';
CREATE TRIGGER metric_reminders_insert AFTER INSERT ON isms.metric
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.metric_reminders();
CREATE TRIGGER metric_reminders_update AFTER UPDATE ON isms.metric
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.metric_reminders();
CREATE TRIGGER metric_reminders_delete AFTER DELETE ON isms.metric
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.metric_reminders();

CREATE FUNCTION isms.review_action_reminders_sync() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM isms.reminder_close_set('review_action', 'isms.management_review_action',
      ARRAY(SELECT o.id::text FROM old_rows o), 'cancelled');
    RETURN NULL;
  END IF;
  PERFORM isms.reminder_sync_set(ARRAY(
    SELECT ROW(v.*)::isms.reminder_item FROM isms.review_action_reminders v
     WHERE v.subject_key IN (SELECT n.id::text FROM new_rows n)));
  IF TG_OP = 'UPDATE' THEN
    PERFORM isms.reminder_close_set('review_action', 'isms.management_review_action',
      ARRAY(SELECT n.id::text FROM new_rows n WHERE n.status = 'done'), 'done');
    PERFORM isms.reminder_close_set('review_action', 'isms.management_review_action',
      ARRAY(SELECT n.id::text FROM new_rows n WHERE n.status = 'cancelled'), 'cancelled');
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.review_action_reminders_sync() IS
  'Statement trigger: keeps the review_action reminders of management review actions in step with isms.review_action_reminders (done: done; cancelled or deleted: cancelled)';
CREATE TRIGGER management_review_action_reminders_insert AFTER INSERT ON isms.management_review_action
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.review_action_reminders_sync();
CREATE TRIGGER management_review_action_reminders_update AFTER UPDATE ON isms.management_review_action
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.review_action_reminders_sync();
CREATE TRIGGER management_review_action_reminders_delete AFTER DELETE ON isms.management_review_action
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.review_action_reminders_sync();

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.metric_reminders', 'internal', NULL),
  ('isms.review_action_reminders_sync', 'internal', NULL);
