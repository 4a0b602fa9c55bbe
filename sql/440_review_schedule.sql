-- Review schedules on the other capabilities' tables (issue 6): the next
-- review of each risk (from its residual level's review interval), of each
-- SoA entry (yearly by default), and the reminders of risks, SoA entries,
-- risk acceptances (their expiry) and treatment plans (their due date).
-- Next dates advance from the intended date, never from the day a late
-- review was finally done.  Each table's reminders are one view, its
-- reminder source, attached with isms.attach_reminders: the one reminder
-- trigger reads it for the rows of a statement, so a bulk load of 100 000
-- risks makes one INSERT into isms.reminder, not 100 000.  Every trigger is
-- skipped while pg_restore loads data (isms.restore_in_progress()).

-- The one rule for "next due date": one interval after the intended date,
-- and further whole intervals while that is still on or before the day the
-- review was done, so a late review does not shift the cadence.
CREATE FUNCTION isms.next_due(intended date, every interval, done date DEFAULT NULL)
  RETURNS date
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d date;
  i int := 0;
BEGIN
  IF intended IS NULL OR every IS NULL THEN
    RETURN NULL;
  END IF;
  IF every < interval '1 day' THEN
    RAISE EXCEPTION 'review interval must be at least one day, not %', every
      USING ERRCODE = '22023';
  END IF;
  d := (intended + every)::date;
  WHILE done IS NOT NULL AND d <= done LOOP
    i := i + 1;
    IF i > 100000 THEN
      RAISE EXCEPTION 'review date % is too far after the intended date %', done, intended
        USING ERRCODE = '22008';
    END IF;
    d := (d + every)::date;
  END LOOP;
  RETURN d;
END
$$;
COMMENT ON FUNCTION isms.next_due(date, interval, date) IS
  'Next due date: one interval after the intended date, plus whole intervals while still on or before the day the review was done (the cadence never drifts)';

-- ---------------------------------------------------------------- risks

-- The review interval of a score's level: one lookup, in C
-- (src/reminder_schedule.c), with the per-statement cache the next-review
-- trigger below uses, so SQL callers and the trigger read it one way.
CREATE FUNCTION isms.risk_review_interval(score isms.risk_score, matrix text) RETURNS interval
  AS 'MODULE_PATHNAME', 'isms_risk_review_interval'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.risk_review_interval(isms.risk_score, text) IS
  'Review interval of the level a score falls in (isms.risk_level.review_interval); NULL for a NULL score';

-- The effective score of a risk, the one rule for it: the residual
-- override, else the computed residual, else the inherent score.  In C
-- (src/reminder_schedule.c), where the trigger below applies the same code
-- to each row of a bulk load.
CREATE FUNCTION isms.effective_score(residual_override isms.risk_score, residual_computed isms.risk_score,
    inherent isms.risk_score)
  RETURNS isms.risk_score
  AS 'MODULE_PATHNAME', 'isms_effective_score'
  LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION isms.effective_score(isms.risk_score, isms.risk_score, isms.risk_score) IS
  'The score a risk''s review cadence follows: residual_override, else residual_computed, else inherent (NULL when all are NULL)';

-- BEFORE row trigger; named so it fires after isms.risk_before_write (which
-- keeps residual_computed).  The generated residual column is not filled
-- yet in a BEFORE trigger, so the score is taken as it will be:
-- isms.effective_score, the same C code.  In C
-- (src/reminder_schedule.c): it runs for every row of a bulk load, and
-- looks each (matrix, score) up once per statement (the cache of
-- isms.risk_review_interval).
CREATE FUNCTION isms.risk_next_review() RETURNS trigger
  AS 'MODULE_PATHNAME', 'isms_risk_next_review'
  LANGUAGE C;
COMMENT ON FUNCTION isms.risk_next_review() IS
  'Trigger: next_review of a risk = identified_on + the review interval of its residual level; a worse level brings the review forward (same cycle start, shorter interval), a better one never postpones it; an explicit next_review is kept';

CREATE TRIGGER risk_schedule_review BEFORE INSERT OR UPDATE ON isms.risk
  FOR EACH ROW WHEN (NOT isms.restore_in_progress())
  EXECUTE FUNCTION isms.risk_next_review();

CREATE TABLE isms.risk_review (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  risk_id      bigint NOT NULL REFERENCES isms.risk (id) ON DELETE CASCADE,
  reviewed_on  date NOT NULL DEFAULT current_date CONSTRAINT risk_review_reviewed_on_finite CHECK (isfinite(reviewed_on)),
  reviewer     text NOT NULL CONSTRAINT risk_review_reviewer_not_blank CHECK (btrim(reviewer) <> ''),
  notes        text,
  intended     date,
  next_review  date,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX risk_review_risk_idx ON isms.risk_review (risk_id);
COMMENT ON TABLE isms.risk_review IS
  'Reviews of risks as they were done; recording one moves the risk''s next_review forward from the intended date';
COMMENT ON COLUMN isms.risk_review.id IS 'Review id';
COMMENT ON COLUMN isms.risk_review.risk_id IS 'Reviewed risk (isms.risk.id)';
COMMENT ON COLUMN isms.risk_review.reviewed_on IS 'Day the review was done';
COMMENT ON COLUMN isms.risk_review.reviewer IS 'Who reviewed';
COMMENT ON COLUMN isms.risk_review.notes IS 'Outcome of the review';
COMMENT ON COLUMN isms.risk_review.intended IS 'The due date this review satisfied (the risk''s next_review before it; set by the trigger)';
COMMENT ON COLUMN isms.risk_review.next_review IS 'The next review it scheduled (set by the trigger)';
COMMENT ON COLUMN isms.risk_review.created_at IS 'When the review was recorded';
SELECT pg_catalog.pg_extension_config_dump('isms.risk_review', '');
SELECT pg_catalog.pg_extension_config_dump('isms.risk_review_id_seq', '');
COMMENT ON SEQUENCE isms.risk_review_id_seq IS 'Identity of isms.risk_review.id';

CREATE FUNCTION isms.risk_review_record() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  r isms.risk;
  every interval;
BEGIN
  SELECT * INTO r FROM isms.risk WHERE id = NEW.risk_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NEW;                          -- the foreign key reports it
  END IF;
  IF r.status = 'closed' THEN
    RAISE EXCEPTION 'risk % is closed and is not reviewed', NEW.risk_id
      USING ERRCODE = '23514', CONSTRAINT = 'risk_review_open_risk',
            HINT = 'Reopen it with isms.reopen_risk() first.';
  END IF;
  every := coalesce(isms.risk_review_interval(isms.effective_score(r.residual_override, r.residual_computed, r.inherent),
                                              r.matrix), interval '1 year');
  NEW.intended := r.next_review;
  NEW.next_review := isms.next_due(coalesce(r.next_review, NEW.reviewed_on), every, NEW.reviewed_on);
  UPDATE isms.risk SET next_review = NEW.next_review WHERE id = NEW.risk_id;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION isms.risk_review_record() IS
  'Trigger: a recorded review sets the risk''s next_review with isms.next_due (from the intended date, by the residual level''s interval)';
CREATE TRIGGER risk_review_record BEFORE INSERT ON isms.risk_review
  FOR EACH ROW WHEN (NOT isms.restore_in_progress())
  EXECUTE FUNCTION isms.risk_review_record();

-- Reminders of risks: a review on next_review until the risk is closed.
INSERT INTO isms.reminder_kind (kind, subject, component, alarms, description) VALUES
  ('risk_review', 'isms.risk', 'VTODO', '{7 days}', 'Review of a risk, due on its next_review');
CREATE VIEW isms.risk_reminder AS
SELECT r.id, 'risk_review'::text AS kind, r.scope, r.owner,
       'Review risk ' || r.ref || ': ' || r.title AS summary,
       concat_ws(E'\n', 'Residual: ' || r.residual::text, 'Inherent: ' || r.inherent::text,
                 'Status: ' || r.status::text) AS description,
       r.next_review AS due,
       CASE WHEN r.status = 'closed' THEN 'cancelled' ELSE 'scheduled' END AS status
  FROM isms.risk r;
COMMENT ON VIEW isms.risk_reminder IS
  'Reminder source of isms.risk (isms.attach_reminders): the risk_review reminder of each risk, on its next review; closed: cancelled';
COMMENT ON COLUMN isms.risk_reminder.id IS 'Risk id (isms.risk.id): the subject key';
COMMENT ON COLUMN isms.risk_reminder.kind IS 'risk_review';
COMMENT ON COLUMN isms.risk_reminder.scope IS 'Scope of the risk';
COMMENT ON COLUMN isms.risk_reminder.owner IS 'Risk owner';
COMMENT ON COLUMN isms.risk_reminder.summary IS 'Calendar title';
COMMENT ON COLUMN isms.risk_reminder.description IS 'Residual and inherent score and status';
COMMENT ON COLUMN isms.risk_reminder.due IS 'Next review (NULL: no reminder)';
COMMENT ON COLUMN isms.risk_reminder.status IS 'scheduled, or cancelled for a closed risk';
SELECT isms.attach_reminders('isms.risk', 'isms.risk_reminder');

-- ------------------------------------------------------------ SoA entries

CREATE FUNCTION isms.soa_entry_next_review() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  every interval := make_interval(months => current_setting('isms.soa_review_months')::int);
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.next_review IS NULL AND NEW.last_reviewed IS NOT NULL THEN
      NEW.next_review := (NEW.last_reviewed + every)::date;
    END IF;
  ELSIF NEW.last_reviewed IS DISTINCT FROM OLD.last_reviewed
        AND NEW.next_review IS NOT DISTINCT FROM OLD.next_review
        AND NEW.last_reviewed IS NOT NULL THEN
    NEW.next_review := isms.next_due(coalesce(OLD.next_review, NEW.last_reviewed), every, NEW.last_reviewed);
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION isms.soa_entry_next_review() IS
  'Trigger: reviewing an SoA entry (setting last_reviewed) moves next_review forward by isms.soa_review_months from the intended date; an explicit next_review is kept';
CREATE TRIGGER soa_entry_schedule_review BEFORE INSERT OR UPDATE ON isms.soa_entry
  FOR EACH ROW WHEN (NOT isms.restore_in_progress())
  EXECUTE FUNCTION isms.soa_entry_next_review();

INSERT INTO isms.reminder_kind (kind, subject, component, alarms, description) VALUES
  ('soa_review', 'isms.soa_entry', 'VTODO', '{7 days}', 'Review of a Statement of Applicability entry, due on its next_review');
CREATE VIEW isms.soa_entry_reminder AS
SELECT e.scope, e.framework, e.control_ref, 'soa_review'::text AS kind, e.owner,
       'Review SoA entry ' || e.control_ref || ' ' || c.title AS summary,
       concat_ws(E'\n', 'Framework: ' || e.framework,
                 'Applicable: ' || CASE e.applicable WHEN true THEN 'yes' WHEN false THEN 'no' ELSE 'not decided' END,
                 'Status: ' || e.status::text,
                 'Last reviewed: ' || to_char(e.last_reviewed, 'YYYY-MM-DD')) AS description,
       e.next_review AS due
  FROM isms.soa_entry e JOIN isms.control c ON c.framework = e.framework AND c.ref = e.control_ref;
COMMENT ON VIEW isms.soa_entry_reminder IS
  'Reminder source of isms.soa_entry (isms.attach_reminders): the soa_review reminder of each entry on its next review (subject key scope|framework|control_ref)';
COMMENT ON COLUMN isms.soa_entry_reminder.scope IS 'Scope of the entry: part of the subject key, and the reminder''s scope';
COMMENT ON COLUMN isms.soa_entry_reminder.framework IS 'Framework of the control: part of the subject key';
COMMENT ON COLUMN isms.soa_entry_reminder.control_ref IS 'Control reference: part of the subject key';
COMMENT ON COLUMN isms.soa_entry_reminder.kind IS 'soa_review';
COMMENT ON COLUMN isms.soa_entry_reminder.owner IS 'Owner of the entry';
COMMENT ON COLUMN isms.soa_entry_reminder.summary IS 'Calendar title';
COMMENT ON COLUMN isms.soa_entry_reminder.description IS 'Framework, applicability, status and last review';
COMMENT ON COLUMN isms.soa_entry_reminder.due IS 'Next review (NULL: no reminder)';
SELECT isms.attach_reminders('isms.soa_entry', 'isms.soa_entry_reminder');

-- ------------------------------------------------ acceptances and plans

INSERT INTO isms.reminder_kind (kind, subject, component, alarms, description) VALUES
  ('acceptance_expiry', 'isms.acceptance', 'VEVENT', '{30 days,7 days}', 'Expiry of a risk acceptance in force'),
  ('treatment_due', 'isms.treatment', 'VTODO', '{14 days,1 day}', 'Due date of an open risk treatment plan');
CREATE VIEW isms.acceptance_reminder AS
SELECT a.id, 'acceptance_expiry'::text AS kind, k.scope, k.owner,
       'Risk acceptance expires: ' || k.ref || ' ' || k.title AS summary,
       concat_ws(E'\n', 'Approved by: ' || a.approver, 'Accepted on: ' || to_char(a.accepted_on, 'YYYY-MM-DD'),
                 'Residual at decision: ' || a.residual::text || ' (' || a.residual_level || ')') AS description,
       a.valid_until AS due,
       CASE WHEN a.superseded_at IS NULL THEN 'scheduled' ELSE 'cancelled' END AS status
  FROM isms.acceptance a JOIN isms.risk k ON k.id = a.risk_id;
COMMENT ON VIEW isms.acceptance_reminder IS
  'Reminder source of isms.acceptance (isms.attach_reminders): an acceptance in force has an acceptance_expiry reminder at valid_until; superseded: cancelled';
COMMENT ON COLUMN isms.acceptance_reminder.id IS 'Acceptance id (isms.acceptance.id): the subject key';
COMMENT ON COLUMN isms.acceptance_reminder.kind IS 'acceptance_expiry';
COMMENT ON COLUMN isms.acceptance_reminder.scope IS 'Scope of the accepted risk';
COMMENT ON COLUMN isms.acceptance_reminder.owner IS 'Owner of the accepted risk';
COMMENT ON COLUMN isms.acceptance_reminder.summary IS 'Calendar title';
COMMENT ON COLUMN isms.acceptance_reminder.description IS 'Approver, date and residual at the decision';
COMMENT ON COLUMN isms.acceptance_reminder.due IS 'End of validity (valid_until)';
COMMENT ON COLUMN isms.acceptance_reminder.status IS 'scheduled, or cancelled once superseded';
SELECT isms.attach_reminders('isms.acceptance', 'isms.acceptance_reminder');

CREATE VIEW isms.treatment_reminder AS
SELECT t.id, 'treatment_due'::text AS kind, k.scope, t.owner,
       'Treatment plan due (' || t.option::text || '): ' || k.ref || ' ' || k.title AS summary,
       concat_ws(E'\n', t.plan, 'Status: ' || t.status) AS description,
       t.due,
       CASE WHEN t.status = 'done' THEN 'done'
            WHEN t.status IN ('planned', 'in_progress') THEN 'scheduled'
            ELSE 'cancelled' END AS status
  FROM isms.treatment t JOIN isms.risk k ON k.id = t.risk_id;
COMMENT ON VIEW isms.treatment_reminder IS
  'Reminder source of isms.treatment (isms.attach_reminders): an open plan with a due date has a treatment_due reminder; done: done; cancelled or without due date: cancelled';
COMMENT ON COLUMN isms.treatment_reminder.id IS 'Treatment id (isms.treatment.id): the subject key';
COMMENT ON COLUMN isms.treatment_reminder.kind IS 'treatment_due';
COMMENT ON COLUMN isms.treatment_reminder.scope IS 'Scope of the treated risk';
COMMENT ON COLUMN isms.treatment_reminder.owner IS 'Owner of the plan';
COMMENT ON COLUMN isms.treatment_reminder.summary IS 'Calendar title';
COMMENT ON COLUMN isms.treatment_reminder.description IS 'The plan and its status';
COMMENT ON COLUMN isms.treatment_reminder.due IS 'Due date of the plan (NULL: no reminder)';
COMMENT ON COLUMN isms.treatment_reminder.status IS 'scheduled (planned, in progress), done, or cancelled';
SELECT isms.attach_reminders('isms.treatment', 'isms.treatment_reminder');

REVOKE ALL ON FUNCTION isms.risk_next_review(), isms.risk_review_record(),
  isms.soa_entry_next_review() FROM PUBLIC;

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.next_due', 'read', NULL),
  ('isms.effective_score', 'read', NULL),
  ('isms.risk_review_interval', 'read', NULL),
  ('isms.risk_next_review', 'internal', NULL),
  ('isms.risk_review_record', 'internal', NULL),
  ('isms.soa_entry_next_review', 'internal', NULL);
