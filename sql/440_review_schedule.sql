-- Review schedules on the other capabilities' tables (issue 6): the next
-- review of each risk (from its residual level's review interval), of each
-- SoA entry (yearly by default), and the reminders of risks, SoA entries,
-- risk acceptances (their expiry) and treatment plans (their due date).
-- Next dates advance from the intended date, never from the day a late
-- review was finally done.  Reminders are written set-based by statement
-- triggers over transition tables: each hands its rows to
-- isms.reminder_sync_set / isms.reminder_close_set (src/reminder.c, where
-- the SEQUENCE rule lives), so a bulk load of 100 000 risks makes one
-- INSERT ... ON CONFLICT, not 100 000.  Every trigger is skipped while
-- pg_restore loads data (isms.restore_in_progress()).

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

-- A plain lookup (not isms.risk_level(), whose matrix cache lives for one
-- query): an index probe with a cached plan.  The trigger below does the
-- same lookup in C.
CREATE FUNCTION isms.risk_review_interval(score isms.risk_score, matrix text) RETURNS interval
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  every interval;
BEGIN
  SELECT l.review_interval INTO every
    FROM isms.risk_matrix_cell c
    JOIN isms.risk_level l ON l.matrix OPERATOR(pg_catalog.=) c.matrix AND l.name OPERATOR(pg_catalog.=) c.level
   WHERE c.matrix OPERATOR(pg_catalog.=) risk_review_interval.matrix
     AND c.likelihood OPERATOR(pg_catalog.=) isms.likelihood(risk_review_interval.score)
     AND c.impact OPERATOR(pg_catalog.=) isms.impact(risk_review_interval.score);
  RETURN every;
END
$$;
COMMENT ON FUNCTION isms.risk_review_interval(isms.risk_score, text) IS
  'Review interval of the level a score falls in (isms.risk_level.review_interval); NULL for a NULL score';

-- BEFORE row trigger; named so it fires after isms.risk_before_write (which
-- keeps residual_computed).  The generated residual column is not filled
-- yet in a BEFORE trigger, so the score is taken as it will be:
-- coalesce(residual_override, residual_computed, inherent).  In C
-- (src/reminder_schedule.c): it runs for every row of a bulk load, and
-- looks each (matrix, score) up once per statement.
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
  every := coalesce(isms.risk_review_interval(coalesce(r.residual, r.inherent), r.matrix), interval '1 year');
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

-- Reminders of risks, set-based.
CREATE FUNCTION isms.risk_reminders() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM isms.reminder_close_set('risk_review', 'isms.risk', ARRAY(SELECT o.id::text FROM old_rows o), 'cancelled');
    RETURN NULL;
  END IF;
  PERFORM isms.reminder_sync_set(ARRAY(
    SELECT ROW('risk_review', 'isms.risk'::regclass, n.id::text, n.scope, n.owner,
               'Review risk ' || n.ref || ': ' || n.title,
               concat_ws(E'\n', 'Residual: ' || n.residual::text, 'Inherent: ' || n.inherent::text,
                         'Status: ' || n.status::text),
               n.next_review, NULL, '{7 days}', NULL, NULL, NULL)::isms.reminder_item
      FROM new_rows n
     WHERE n.next_review IS NOT NULL AND n.status <> 'closed'));
  IF TG_OP = 'UPDATE' THEN
    PERFORM isms.reminder_close_set('risk_review', 'isms.risk',
      ARRAY(SELECT n.id::text FROM new_rows n WHERE n.next_review IS NULL OR n.status = 'closed'), 'cancelled');
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.risk_reminders() IS
  'Statement trigger: keeps the risk_review reminders of the inserted, updated or deleted risks in step (closed or deleted: cancelled), in one set-based statement';
CREATE TRIGGER risk_reminders_insert AFTER INSERT ON isms.risk
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.risk_reminders();
CREATE TRIGGER risk_reminders_update AFTER UPDATE ON isms.risk
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.risk_reminders();
CREATE TRIGGER risk_reminders_delete AFTER DELETE ON isms.risk
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.risk_reminders();

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

CREATE FUNCTION isms.soa_entry_reminders() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM isms.reminder_close_set('soa_review', 'isms.soa_entry',
      ARRAY(SELECT o.scope || '|' || o.framework || '|' || o.control_ref FROM old_rows o), 'cancelled');
    RETURN NULL;
  END IF;
  PERFORM isms.reminder_sync_set(ARRAY(
    SELECT ROW('soa_review', 'isms.soa_entry'::regclass, n.scope || '|' || n.framework || '|' || n.control_ref,
               n.scope, n.owner,
               'Review SoA entry ' || n.control_ref || ' ' || c.title,
               concat_ws(E'\n', 'Framework: ' || n.framework,
                         'Applicable: ' || CASE n.applicable WHEN true THEN 'yes' WHEN false THEN 'no' ELSE 'not decided' END,
                         'Status: ' || n.status::text,
                         'Last reviewed: ' || to_char(n.last_reviewed, 'YYYY-MM-DD')),
               n.next_review, NULL, '{7 days}', NULL, NULL, NULL)::isms.reminder_item
      FROM new_rows n JOIN isms.control c ON c.framework = n.framework AND c.ref = n.control_ref
     WHERE n.next_review IS NOT NULL));
  IF TG_OP = 'UPDATE' THEN
    PERFORM isms.reminder_close_set('soa_review', 'isms.soa_entry',
      ARRAY(SELECT n.scope || '|' || n.framework || '|' || n.control_ref FROM new_rows n
             WHERE n.next_review IS NULL), 'cancelled');
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.soa_entry_reminders() IS
  'Statement trigger: keeps the soa_review reminders of SoA entries in step (key scope|framework|control_ref; no next review or deleted: cancelled)';
CREATE TRIGGER soa_entry_reminders_insert AFTER INSERT ON isms.soa_entry
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.soa_entry_reminders();
CREATE TRIGGER soa_entry_reminders_update AFTER UPDATE ON isms.soa_entry
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.soa_entry_reminders();
CREATE TRIGGER soa_entry_reminders_delete AFTER DELETE ON isms.soa_entry
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.soa_entry_reminders();

-- ------------------------------------------------ acceptances and plans

CREATE FUNCTION isms.acceptance_reminders() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM isms.reminder_close_set('acceptance_expiry', 'isms.acceptance',
      ARRAY(SELECT o.id::text FROM old_rows o), 'cancelled');
    RETURN NULL;
  END IF;
  PERFORM isms.reminder_sync_set(ARRAY(
    SELECT ROW('acceptance_expiry', 'isms.acceptance'::regclass, n.id::text, k.scope, k.owner,
               'Risk acceptance expires: ' || k.ref || ' ' || k.title,
               concat_ws(E'\n', 'Approved by: ' || n.approver, 'Accepted on: ' || to_char(n.accepted_on, 'YYYY-MM-DD'),
                         'Residual at decision: ' || n.residual::text || ' (' || n.residual_level || ')'),
               n.valid_until, NULL, '{30 days,7 days}', NULL, NULL, NULL)::isms.reminder_item
      FROM new_rows n JOIN isms.risk k ON k.id = n.risk_id
     WHERE n.superseded_at IS NULL));
  IF TG_OP = 'UPDATE' THEN
    PERFORM isms.reminder_close_set('acceptance_expiry', 'isms.acceptance',
      ARRAY(SELECT n.id::text FROM new_rows n WHERE n.superseded_at IS NOT NULL), 'cancelled');
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.acceptance_reminders() IS
  'Statement trigger: an acceptance in force has an acceptance_expiry reminder at valid_until; superseded or deleted: cancelled';
CREATE TRIGGER acceptance_reminders_insert AFTER INSERT ON isms.acceptance
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.acceptance_reminders();
CREATE TRIGGER acceptance_reminders_update AFTER UPDATE ON isms.acceptance
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.acceptance_reminders();
CREATE TRIGGER acceptance_reminders_delete AFTER DELETE ON isms.acceptance
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.acceptance_reminders();

CREATE FUNCTION isms.treatment_reminders() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM isms.reminder_close_set('treatment_due', 'isms.treatment',
      ARRAY(SELECT o.id::text FROM old_rows o), 'cancelled');
    RETURN NULL;
  END IF;
  PERFORM isms.reminder_sync_set(ARRAY(
    SELECT ROW('treatment_due', 'isms.treatment'::regclass, n.id::text, k.scope, n.owner,
               'Treatment plan due (' || n.option::text || '): ' || k.ref || ' ' || k.title,
               concat_ws(E'\n', n.plan, 'Status: ' || n.status),
               n.due, NULL, '{14 days,1 day}', NULL, NULL, NULL)::isms.reminder_item
      FROM new_rows n JOIN isms.risk k ON k.id = n.risk_id
     WHERE n.due IS NOT NULL AND n.status IN ('planned', 'in_progress')));
  IF TG_OP = 'UPDATE' THEN
    -- done: the reminder is done; cancelled or no due date: cancelled.
    PERFORM isms.reminder_close_set('treatment_due', 'isms.treatment',
      ARRAY(SELECT n.id::text FROM new_rows n WHERE n.status = 'done'), 'done');
    PERFORM isms.reminder_close_set('treatment_due', 'isms.treatment',
      ARRAY(SELECT n.id::text FROM new_rows n
             WHERE n.status <> 'done' AND (n.status = 'cancelled' OR n.due IS NULL)), 'cancelled');
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.treatment_reminders() IS
  'Statement trigger: an open treatment plan with a due date has a treatment_due reminder; done: reminder done; cancelled, without due date or deleted: cancelled';
CREATE TRIGGER treatment_reminders_insert AFTER INSERT ON isms.treatment
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.treatment_reminders();
CREATE TRIGGER treatment_reminders_update AFTER UPDATE ON isms.treatment
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.treatment_reminders();
CREATE TRIGGER treatment_reminders_delete AFTER DELETE ON isms.treatment
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.treatment_reminders();

REVOKE ALL ON FUNCTION isms.risk_next_review(), isms.risk_review_record(), isms.risk_reminders(),
  isms.soa_entry_next_review(), isms.soa_entry_reminders(), isms.acceptance_reminders(),
  isms.treatment_reminders() FROM PUBLIC;

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.next_due', 'read', NULL),
  ('isms.risk_review_interval', 'read', NULL),
  ('isms.risk_next_review', 'internal', NULL),
  ('isms.risk_review_record', 'internal', NULL),
  ('isms.risk_reminders', 'internal', NULL),
  ('isms.soa_entry_next_review', 'internal', NULL),
  ('isms.soa_entry_reminders', 'internal', NULL),
  ('isms.acceptance_reminders', 'internal', NULL),
  ('isms.treatment_reminders', 'internal', NULL);
