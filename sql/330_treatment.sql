-- isms.treatment: risk treatment plans (ISO/IEC 27001:2022 6.1.3, 8.3).  A
-- new plan moves its risk to treatment_planned; when the last open plan of a
-- risk is done the risk becomes treated, and when every plan is cancelled it
-- goes back to assessed.  Triggers do this, so isms.treat() and plain SQL on
-- the table behave the same.

CREATE TABLE isms.treatment (
  id           bigserial PRIMARY KEY,
  risk_id      bigint NOT NULL REFERENCES isms.risk (id) ON DELETE CASCADE,
  option       isms.treatment_option NOT NULL,
  plan         text NOT NULL CONSTRAINT treatment_plan_not_blank CHECK (btrim(plan) <> ''),
  owner        text NOT NULL CONSTRAINT treatment_owner_not_blank CHECK (btrim(owner) <> ''),
  due          date,
  status       text NOT NULL DEFAULT 'planned'
               CONSTRAINT treatment_status_known
               CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
  completed_on date,
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   text NOT NULL DEFAULT current_user,
  CONSTRAINT treatment_due_needed CHECK (due IS NOT NULL OR option = 'retain'),
  CONSTRAINT treatment_completed_on_when_done CHECK ((status = 'done') = (completed_on IS NOT NULL))
);
CREATE INDEX treatment_risk_idx ON isms.treatment (risk_id);
COMMENT ON TABLE isms.treatment IS
  'Risk treatment plans: option, what will be done, by whom, by when, and progress; inserting one moves the risk to treatment_planned';
COMMENT ON COLUMN isms.treatment.id IS 'Treatment plan id (generated; returned by isms.treat())';
COMMENT ON COLUMN isms.treatment.risk_id IS 'The treated risk (isms.risk.id)';
COMMENT ON COLUMN isms.treatment.option IS 'ISO/IEC 27005 treatment option: modify, retain, avoid or share';
COMMENT ON COLUMN isms.treatment.plan IS 'What will be done';
COMMENT ON COLUMN isms.treatment.owner IS 'Who carries the plan out';
COMMENT ON COLUMN isms.treatment.due IS 'When the plan must be done; required except for retain';
COMMENT ON COLUMN isms.treatment.status IS
  'planned, in_progress, done or cancelled; done and cancelled are final';
COMMENT ON COLUMN isms.treatment.completed_on IS 'Date the plan was done (set by trigger when status becomes done unless given)';
COMMENT ON COLUMN isms.treatment.created_at IS 'When the plan was recorded';
COMMENT ON COLUMN isms.treatment.created_by IS 'Role that recorded the plan';

SELECT pg_catalog.pg_extension_config_dump('isms.treatment', '');
SELECT pg_catalog.pg_extension_config_dump('isms.treatment_id_seq', '');
COMMENT ON SEQUENCE isms.treatment_id_seq IS 'Ids of isms.treatment (dumped with the table, so new ids continue after restored ones)';

CREATE FUNCTION isms.treatment_before_write() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
BEGIN
  IF isms.restore_in_progress() THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.status NOT IN ('planned', 'in_progress') THEN
      RAISE EXCEPTION 'a new treatment plan cannot start as "%"', NEW.status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'treatment_status_transition',
              SCHEMA = 'isms', TABLE = 'treatment',
              DETAIL = 'A new plan is planned or in_progress.';
    END IF;
    NEW.completed_on := NULL;
    RETURN NEW;
  END IF;
  IF NEW.risk_id <> OLD.risk_id OR NEW.option <> OLD.option THEN
    RAISE EXCEPTION 'the risk and option of a treatment plan cannot change'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'treatment_status_transition',
            SCHEMA = 'isms', TABLE = 'treatment',
            HINT = 'Cancel the plan and record a new one with isms.treat().';
  END IF;
  IF NEW.status <> OLD.status THEN
    IF OLD.status IN ('done', 'cancelled') THEN
      RAISE EXCEPTION 'invalid treatment status transition from "%" to "%"', OLD.status, NEW.status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'treatment_status_transition',
              SCHEMA = 'isms', TABLE = 'treatment',
              DETAIL = 'done and cancelled are final.',
              HINT = 'Record a new plan with isms.treat().';
    END IF;
    IF NEW.status = 'done' THEN
      NEW.completed_on := coalesce(NEW.completed_on, current_date);
    ELSE
      NEW.completed_on := NULL;
    END IF;
  END IF;
  RETURN NEW;
END
$fn$;
COMMENT ON FUNCTION isms.treatment_before_write() IS
  'Trigger on isms.treatment: status moves planned <-> in_progress -> done | cancelled (done and cancelled final; 23514 treatment_status_transition otherwise), completion date, fixed risk and option';

CREATE TRIGGER treatment_before_write BEFORE INSERT OR UPDATE ON isms.treatment
  FOR EACH ROW EXECUTE FUNCTION isms.treatment_before_write();

-- Moves the risk along when its plans change.  A risk whose only finished
-- plans are "retain" waits for isms.accept_risk().
CREATE FUNCTION isms.treatment_after_write() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  rid bigint;
  rstatus isms.risk_status;
  open_plans boolean;
  done_plans boolean;
BEGIN
  IF isms.restore_in_progress() THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    UPDATE isms.risk r
       SET treatment = NEW.option,
           status = 'treatment_planned'
     WHERE r.id OPERATOR(pg_catalog.=) NEW.risk_id
       AND (r.status <> 'treatment_planned' OR r.treatment IS DISTINCT FROM NEW.option);
    RETURN NULL;
  END IF;
  rid := CASE WHEN TG_OP = 'DELETE' THEN OLD.risk_id ELSE NEW.risk_id END;
  SELECT r.status INTO rstatus FROM isms.risk r WHERE r.id OPERATOR(pg_catalog.=) rid;
  IF rstatus IS DISTINCT FROM 'treatment_planned' THEN
    RETURN NULL;
  END IF;
  SELECT bool_or(t.status IN ('planned', 'in_progress')),
         bool_or(t.status = 'done' AND t.option <> 'retain')
    INTO open_plans, done_plans
    FROM isms.treatment t WHERE t.risk_id OPERATOR(pg_catalog.=) rid;
  IF coalesce(open_plans, false) THEN
    RETURN NULL;
  ELSIF coalesce(done_plans, false) THEN
    UPDATE isms.risk r SET status = 'treated' WHERE r.id OPERATOR(pg_catalog.=) rid;
  ELSIF NOT EXISTS (SELECT 1 FROM isms.treatment t
                     WHERE t.risk_id OPERATOR(pg_catalog.=) rid AND t.status = 'done') THEN
    UPDATE isms.risk r SET status = 'assessed' WHERE r.id OPERATOR(pg_catalog.=) rid;
  END IF;
  RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION isms.treatment_after_write() IS
  'Trigger on isms.treatment: a new plan moves the risk to treatment_planned; when no plan is open any more the risk becomes treated (a non-retain plan done) or assessed (all cancelled)';

CREATE TRIGGER treatment_moves_risk AFTER INSERT OR UPDATE OR DELETE ON isms.treatment
  FOR EACH ROW EXECUTE FUNCTION isms.treatment_after_write();

CREATE FUNCTION isms.treat(risk_id bigint, option isms.treatment_option, plan text,
                           owner text, due date)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  tid bigint;
BEGIN
  PERFORM 1 FROM isms.risk r WHERE r.id OPERATOR(pg_catalog.=) treat.risk_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk % does not exist', coalesce(treat.risk_id::text, 'NULL')
      USING ERRCODE = 'no_data_found';
  END IF;
  INSERT INTO isms.treatment (risk_id, option, plan, owner, due)
  VALUES (treat.risk_id, treat.option, treat.plan, treat.owner, treat.due)
  RETURNING id INTO tid;
  RETURN tid;
END
$fn$;
COMMENT ON FUNCTION isms.treat(bigint, isms.treatment_option, text, text, date) IS
  'Records a treatment plan for a risk and moves the risk to treatment_planned (from assessed, treated or accepted); returns the plan id. Unknown risk P0002, a risk that is identified or closed 23514, missing plan/owner/due 23502 or 23514';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.treatment_before_write', 'internal', NULL),
  ('isms.treatment_after_write', 'internal', NULL),
  ('isms.treat', 'write', NULL);
