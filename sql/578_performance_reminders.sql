-- The calendar entries of issue 18, as declared reminder sources
-- (isms.attach_reminders, sql/410_reminder.sql): a recurring reminder per
-- metric in use (kind measurement_due, its RRULE exported) and one per
-- action of a management review (kind review_action).  Each view says
-- which reminder each row of its table has; the reminder trigger keeps
-- isms.reminder in step (a row the view no longer yields is cancelled).

INSERT INTO isms.reminder_kind (kind, subject, component, alarms, description) VALUES
  ('measurement_due', 'isms.metric', 'VEVENT', '{1 day}',
   'A measurement of a metric is due (ISO/IEC 27001:2022 9.1), recurring by the metric''s RRULE'),
  ('review_action', 'isms.management_review_action', 'VTODO', '{7 days,1 day}',
   'Due date of an action decided by a management review (ISO/IEC 27001:2022 9.3.3)');

-- A measurement is timed when its schedule has a time of day (a start off
-- midnight UTC, BYHOUR/BYMINUTE/BYSECOND, or a sub-daily FREQ), else an
-- all-day entry: an RRULE with a time part needs a DATE-TIME DTSTART.
CREATE VIEW isms.metric_reminder AS
SELECT m.id,
       'measurement_due'::text AS kind,
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
       CASE WHEN (m.frequency_start AT TIME ZONE 'UTC')::time <> '00:00'
                 OR m.frequency ~ '(^|;)(BYHOUR|BYMINUTE|BYSECOND)='
                 OR m.frequency ~ '(^|;)FREQ=(HOURLY|MINUTELY|SECONDLY)(;|$)'
            THEN m.frequency_start END AS starts_at,
       'scheduled'::text AS status
  FROM isms.metric m
  LEFT JOIN isms.objective o ON o.id = m.objective
 WHERE m.retired_on IS NULL;
COMMENT ON VIEW isms.metric_reminder IS
  'Reminder source of isms.metric (isms.attach_reminders): the measurement_due entry of every metric in use, recurring by its RRULE from frequency_start; retired or deleted: cancelled';
COMMENT ON COLUMN isms.metric_reminder.id IS 'Metric id (isms.metric.id): the subject key';
COMMENT ON COLUMN isms.metric_reminder.kind IS 'measurement_due';
COMMENT ON COLUMN isms.metric_reminder.scope IS 'Scope of the metric';
COMMENT ON COLUMN isms.metric_reminder.owner IS 'Who measures';
COMMENT ON COLUMN isms.metric_reminder.summary IS 'Measure REF: name';
COMMENT ON COLUMN isms.metric_reminder.description IS 'Method, target and threshold, analyst, objective and control';
COMMENT ON COLUMN isms.metric_reminder.due IS 'Day of the first measurement (frequency_start in UTC)';
COMMENT ON COLUMN isms.metric_reminder.rrule IS 'The metric''s frequency, exported as RRULE';
COMMENT ON COLUMN isms.metric_reminder.starts_at IS 'frequency_start when the schedule has a time of day, else NULL (all-day entry)';
COMMENT ON COLUMN isms.metric_reminder.status IS 'Always scheduled (a metric in use is always due again)';
SELECT isms.attach_reminders('isms.metric', 'isms.metric_reminder');

CREATE VIEW isms.management_review_action_reminder AS
SELECT a.id,
       'review_action'::text AS kind,
       r.scope,
       a.owner,
       'Management review action: ' || a.action AS summary,
       concat_ws(E'\n', 'Decided by the management review of ' || to_char(r.held_on, 'YYYY-MM-DD') || ' (chair: ' || r.chair || ')',
                 'Decision: ' || d.decision,
                 'Progress: ' || a.progress_note) AS description,
       a.due,
       CASE a.status WHEN 'done' THEN 'done' ELSE 'scheduled' END AS status
  FROM isms.management_review_action a
  JOIN isms.management_review r ON r.id = a.review
  LEFT JOIN isms.management_review_decision d ON d.id = a.decision
 WHERE a.status <> 'cancelled';
COMMENT ON VIEW isms.management_review_action_reminder IS
  'Reminder source of isms.management_review_action (isms.attach_reminders): the review_action entry of each action on its due date; done: done; cancelled or deleted: cancelled';
COMMENT ON COLUMN isms.management_review_action_reminder.id IS 'Action id (isms.management_review_action.id): the subject key';
COMMENT ON COLUMN isms.management_review_action_reminder.kind IS 'review_action';
COMMENT ON COLUMN isms.management_review_action_reminder.scope IS 'Scope of the review';
COMMENT ON COLUMN isms.management_review_action_reminder.owner IS 'Who must do it';
COMMENT ON COLUMN isms.management_review_action_reminder.summary IS 'Management review action: what';
COMMENT ON COLUMN isms.management_review_action_reminder.description IS 'The review (day, chair), the decision, the progress so far';
COMMENT ON COLUMN isms.management_review_action_reminder.due IS 'Due date of the action';
COMMENT ON COLUMN isms.management_review_action_reminder.status IS 'scheduled, or done once the action is done';
SELECT isms.attach_reminders('isms.management_review_action', 'isms.management_review_action_reminder');
