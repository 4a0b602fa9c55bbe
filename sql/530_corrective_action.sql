-- Corrective actions (ISO/IEC 27001:2022 10.2): per finding the correction,
-- the root cause, the action, who and by when, completion and the
-- verification of its effectiveness.  Due dates go on the calendar
-- (reminder kind corrective_action); a closed nonconformity keeps at least
-- one action verified effective.

CREATE TABLE isms.corrective_action (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  finding      bigint NOT NULL REFERENCES isms.finding (id) ON DELETE CASCADE,
  correction   text CONSTRAINT corrective_action_correction_not_blank CHECK (btrim(correction) <> ''),
  root_cause   text CONSTRAINT corrective_action_root_cause_not_blank CHECK (btrim(root_cause) <> ''),
  action       text NOT NULL CONSTRAINT corrective_action_action_not_blank CHECK (btrim(action) <> ''),
  owner        text NOT NULL CONSTRAINT corrective_action_owner_not_blank CHECK (btrim(owner) <> ''),
  due          date NOT NULL CONSTRAINT corrective_action_due_finite CHECK (isfinite(due)),
  completed_on date CONSTRAINT corrective_action_completed_on_finite CHECK (isfinite(completed_on)),
  verified_by  text CONSTRAINT corrective_action_verified_by_not_blank CHECK (btrim(verified_by) <> ''),
  verified_on  date CONSTRAINT corrective_action_verified_on_finite CHECK (isfinite(verified_on)),
  effective    boolean,
  created_at   timestamptz NOT NULL DEFAULT now(),
  -- A verification is who, when and the verdict, all three or none, and
  -- it looks at a completed action.
  CONSTRAINT corrective_action_verification_complete
    CHECK ((verified_by IS NULL) = (verified_on IS NULL) AND (verified_on IS NULL) = (effective IS NULL)),
  CONSTRAINT corrective_action_verified_after_completion
    CHECK (verified_on IS NULL OR (completed_on IS NOT NULL AND verified_on >= completed_on))
);
CREATE INDEX corrective_action_finding ON isms.corrective_action (finding);
CREATE INDEX corrective_action_open_due ON isms.corrective_action (due) WHERE completed_on IS NULL;
COMMENT ON TABLE isms.corrective_action IS
  'Corrective actions per finding (ISO/IEC 27001:2022 10.2): correction, root cause, action, owner, due date, completion and verification of effectiveness; each due date is a calendar reminder';
COMMENT ON COLUMN isms.corrective_action.id IS 'Corrective action id (generated)';
COMMENT ON COLUMN isms.corrective_action.finding IS 'The finding it answers (isms.finding.id)';
COMMENT ON COLUMN isms.corrective_action.correction IS 'Immediate fix of the nonconformity (10.2 a)';
COMMENT ON COLUMN isms.corrective_action.root_cause IS 'Cause found by reviewing the nonconformity (10.2 b)';
COMMENT ON COLUMN isms.corrective_action.action IS 'What removes the cause so it does not recur (10.2 c)';
COMMENT ON COLUMN isms.corrective_action.owner IS 'Who carries the action out';
COMMENT ON COLUMN isms.corrective_action.due IS
  'When the action must be completed; not after the finding''s due date (for a major nonconformity that is within isms.major_nonconformity_days); overdue when past and not completed';
COMMENT ON COLUMN isms.corrective_action.completed_on IS 'Day the action was completed (NULL: open)';
COMMENT ON COLUMN isms.corrective_action.verified_by IS 'Who reviewed its effectiveness (10.2 d)';
COMMENT ON COLUMN isms.corrective_action.verified_on IS 'When effectiveness was reviewed; not before completion';
COMMENT ON COLUMN isms.corrective_action.effective IS 'Verdict of the review: true = effective, false = not effective (a new action is needed), NULL = not verified yet';
COMMENT ON COLUMN isms.corrective_action.created_at IS 'When the row was created';

SELECT pg_catalog.pg_extension_config_dump('isms.corrective_action', '');
SELECT pg_catalog.pg_extension_config_dump('isms.corrective_action_id_seq', '');
COMMENT ON SEQUENCE isms.corrective_action_id_seq IS 'Identity of isms.corrective_action.id';

SELECT isms.attach_change_log('isms.corrective_action');

CREATE FUNCTION isms.corrective_action_before_write() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  f isms.finding;
BEGIN
  IF TG_OP = 'INSERT' OR (NEW.finding, NEW.due) IS DISTINCT FROM (OLD.finding, OLD.due) THEN
    SELECT * INTO f FROM isms.finding WHERE id = NEW.finding;
    IF NEW.due > f.due THEN
      RAISE EXCEPTION 'a corrective action cannot be due after its finding'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'corrective_action_due_within_finding',
              SCHEMA = 'isms', TABLE = 'corrective_action',
              DETAIL = format('Finding %s is due on %s; %s was given.', coalesce(f.ref, '#' || f.id), f.due, NEW.due),
              HINT = CASE WHEN f.kind = 'major_nonconformity'
                          THEN 'A major nonconformity is due within isms.major_nonconformity_days of being raised.'
                          ELSE 'Move the finding''s due date first, or plan an earlier action.' END;
    END IF;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION isms.corrective_action_before_write() IS
  'Trigger: a corrective action is not due after its finding (so a major nonconformity''s actions stay within isms.major_nonconformity_days), 23514';

-- AFTER, per row: the closing rule seen from this side: a closed
-- nonconformity must keep an action verified effective.  (The reminder
-- comes from isms.corrective_action_reminder.)
CREATE FUNCTION isms.corrective_action_after_write() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  f isms.finding;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    SELECT * INTO f FROM isms.finding WHERE id = OLD.finding;
    IF f.status = 'closed' AND isms.is_nonconformity(f.kind)
       AND NOT EXISTS (SELECT 1 FROM isms.corrective_action x
                        WHERE x.finding = f.id AND x.effective AND x.verified_on <= f.closed_on) THEN
      RAISE EXCEPTION 'nonconformity % is closed and would keep no corrective action verified effective',
                      coalesce(f.ref, '#' || f.id)
        USING ERRCODE = 'check_violation', CONSTRAINT = 'finding_close_needs_effective_action',
              SCHEMA = 'isms', TABLE = 'corrective_action',
              HINT = 'Reopen the finding (status = open) first.';
    END IF;
  END IF;

  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.corrective_action_after_write() IS
  'Trigger: refuses to leave a closed nonconformity without an action verified effective (23514)';

-- Standing aside while pg_restore loads data, like the finding triggers.
CREATE TRIGGER corrective_action_before_write BEFORE INSERT OR UPDATE ON isms.corrective_action
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.corrective_action_before_write();
CREATE TRIGGER corrective_action_after_write AFTER UPDATE OR DELETE ON isms.corrective_action
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.corrective_action_after_write();

REVOKE ALL ON FUNCTION isms.corrective_action_before_write(), isms.corrective_action_after_write() FROM PUBLIC;

-- The due date of each corrective action; completed: done.
INSERT INTO isms.reminder_kind (kind, subject, component, alarms, description) VALUES
  ('corrective_action', 'isms.corrective_action', 'VTODO', '{7 days}', 'Due date of a corrective action on a finding (ISO/IEC 27001 10.2)');
CREATE VIEW isms.corrective_action_reminder AS
SELECT c.id, 'corrective_action'::text AS kind, a.scope, c.owner,
       format('Corrective action due: %s %s', coalesce(f.ref, 'finding #' || f.id), left(c.action, 80)) AS summary,
       concat_ws(E'\n', 'Action: ' || c.action, 'Root cause: ' || c.root_cause, 'Correction: ' || c.correction,
         format('Finding (%s, %s): %s', f.kind, f.control_ref, f.statement)) AS description,
       c.due,
       CASE WHEN c.completed_on IS NULL THEN 'scheduled' ELSE 'done' END AS status
  FROM isms.corrective_action c
  JOIN isms.finding f ON f.id = c.finding
  JOIN isms.audit a ON a.id = f.audit;
COMMENT ON VIEW isms.corrective_action_reminder IS
  'Reminder source of isms.corrective_action (isms.attach_reminders): the corrective_action reminder of each action on its due date; completed: done';
COMMENT ON COLUMN isms.corrective_action_reminder.id IS 'Corrective action id (isms.corrective_action.id): the subject key';
COMMENT ON COLUMN isms.corrective_action_reminder.kind IS 'corrective_action';
COMMENT ON COLUMN isms.corrective_action_reminder.scope IS 'Scope of the audit that raised the finding';
COMMENT ON COLUMN isms.corrective_action_reminder.owner IS 'Who carries the action out';
COMMENT ON COLUMN isms.corrective_action_reminder.summary IS 'Calendar title: the finding and the start of the action';
COMMENT ON COLUMN isms.corrective_action_reminder.description IS 'Action, root cause, correction and the finding';
COMMENT ON COLUMN isms.corrective_action_reminder.due IS 'Due date of the action';
COMMENT ON COLUMN isms.corrective_action_reminder.status IS 'scheduled, or done once completed';
SELECT isms.attach_reminders('isms.corrective_action', 'isms.corrective_action_reminder');

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.corrective_action_before_write', 'internal', NULL),
  ('isms.corrective_action_after_write', 'internal', NULL);
