-- isms.acceptance: risk acceptance decisions (ISO/IEC 27001:2022 6.1.3 f,
-- ISO/IEC 27005:2022 10.5).  Each row is a record of a decision: a trigger
-- takes a snapshot of the risk (owner, residual score and level, appetite,
-- policy maximum) at decision time, and the rules for acceptances above the
-- appetite are CHECK constraints over that snapshot, so they hold for plain
-- INSERTs as much as for isms.accept_risk().  Records never change except
-- for being superseded; an expired one stays visible as expired.

CREATE TABLE isms.acceptance (
  id                  bigserial PRIMARY KEY,
  risk_id             bigint NOT NULL REFERENCES isms.risk (id) ON DELETE CASCADE,
  approver            text NOT NULL CONSTRAINT acceptance_approver_not_blank CHECK (btrim(approver) <> ''),
  rationale           text NOT NULL CONSTRAINT acceptance_rationale_not_blank CHECK (btrim(rationale) <> ''),
  accepted_on         date NOT NULL DEFAULT current_date,
  valid_until         date NOT NULL,
  risk_owner          text NOT NULL,
  matrix              text NOT NULL,
  residual            isms.risk_score NOT NULL,
  residual_level      text NOT NULL,
  residual_overridden boolean NOT NULL,
  above_appetite      boolean NOT NULL,
  max_validity_days   int NOT NULL,
  superseded_at       timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  created_by          text NOT NULL DEFAULT current_user,
  CONSTRAINT acceptance_valid_until_after_acceptance CHECK (valid_until > accepted_on),
  CONSTRAINT acceptance_approver_not_owner
    CHECK (NOT above_appetite OR lower(btrim(approver)) <> lower(btrim(risk_owner))),
  CONSTRAINT acceptance_validity_within_policy
    CHECK (NOT above_appetite OR valid_until <= accepted_on + max_validity_days)
);
-- At most one acceptance in force per risk; the register joins on it.
CREATE UNIQUE INDEX acceptance_current_key ON isms.acceptance (risk_id) WHERE superseded_at IS NULL;
COMMENT ON TABLE isms.acceptance IS
  'Risk acceptance decisions with approver, rationale and expiry, and a snapshot of the risk at decision time; above the appetite the approver must not be the risk owner and the validity must be within isms.acceptance_max_days. Rows are records: only superseded_at ever changes';
COMMENT ON COLUMN isms.acceptance.id IS 'Acceptance id (generated; returned by isms.accept_risk())';
COMMENT ON COLUMN isms.acceptance.risk_id IS 'The accepted risk (isms.risk.id)';
COMMENT ON COLUMN isms.acceptance.approver IS 'Who accepted the residual risk; above the appetite someone other than the risk owner';
COMMENT ON COLUMN isms.acceptance.rationale IS 'Why the risk is accepted';
COMMENT ON COLUMN isms.acceptance.accepted_on IS 'Date of the decision (always the day it was recorded)';
COMMENT ON COLUMN isms.acceptance.valid_until IS 'Last day the acceptance holds; after it the acceptance shows as expired';
COMMENT ON COLUMN isms.acceptance.risk_owner IS 'Snapshot: the risk owner at decision time';
COMMENT ON COLUMN isms.acceptance.matrix IS 'Snapshot: the risk matrix the level was read on';
COMMENT ON COLUMN isms.acceptance.residual IS 'Snapshot: the residual score that was accepted';
COMMENT ON COLUMN isms.acceptance.residual_level IS 'Snapshot: the level of that residual score on the matrix at decision time';
COMMENT ON COLUMN isms.acceptance.residual_overridden IS 'Snapshot: whether that residual was a manual override';
COMMENT ON COLUMN isms.acceptance.above_appetite IS 'Snapshot: whether that residual was above the matrix''s risk appetite';
COMMENT ON COLUMN isms.acceptance.max_validity_days IS 'Snapshot: the policy maximum (isms.acceptance_max_days) in force at decision time';
COMMENT ON COLUMN isms.acceptance.superseded_at IS
  'When the acceptance stopped being the one in force (a newer acceptance, or the risk left accepted status); NULL while in force';
COMMENT ON COLUMN isms.acceptance.created_at IS 'When the acceptance was recorded';
COMMENT ON COLUMN isms.acceptance.created_by IS 'Role that recorded the acceptance';

SELECT pg_catalog.pg_extension_config_dump('isms.acceptance', '');
SELECT pg_catalog.pg_extension_config_dump('isms.acceptance_id_seq', '');
COMMENT ON SEQUENCE isms.acceptance_id_seq IS 'Ids of isms.acceptance (dumped with the table, so new ids continue after restored ones)';

CREATE FUNCTION isms.acceptance_before_write() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'INSERT' AND isms.restore_in_progress() THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF (to_jsonb(NEW) - 'superseded_at') <> (to_jsonb(OLD) - 'superseded_at')
       OR (OLD.superseded_at IS NOT NULL AND NEW.superseded_at IS DISTINCT FROM OLD.superseded_at) THEN
      RAISE EXCEPTION 'an acceptance is a record and cannot be changed'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'acceptance_is_a_record',
              SCHEMA = 'isms', TABLE = 'acceptance',
              HINT = 'Record a new acceptance with isms.accept_risk(); it supersedes this one.';
    END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    IF OLD.superseded_at IS NULL
       AND EXISTS (SELECT 1 FROM isms.risk k WHERE k.id OPERATOR(pg_catalog.=) OLD.risk_id
                                              AND k.status = 'accepted') THEN
      RAISE EXCEPTION 'acceptance % is in force for risk %', OLD.id, OLD.risk_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'acceptance_is_a_record',
              SCHEMA = 'isms', TABLE = 'acceptance',
              HINT = 'Reassess, treat or close the risk first.';
    END IF;
    RETURN OLD;
  END IF;

  SELECT k.id, k.status, k.owner, k.matrix, k.residual, k.residual_override IS NOT NULL AS overridden
    INTO r FROM isms.risk k WHERE k.id OPERATOR(pg_catalog.=) NEW.risk_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk % does not exist', coalesce(NEW.risk_id::text, 'NULL')
      USING ERRCODE = 'foreign_key_violation', SCHEMA = 'isms', TABLE = 'acceptance';
  END IF;
  IF r.status <> 'accepted' THEN
    PERFORM isms.risk_transition_check(r.id, r.status, 'accepted');
  END IF;
  NEW.accepted_on := current_date;
  NEW.risk_owner := r.owner;
  NEW.matrix := r.matrix;
  NEW.residual := r.residual;
  NEW.residual_level := (isms.risk_level(r.residual, r.matrix)).name;
  NEW.residual_overridden := r.overridden;
  NEW.above_appetite := NOT isms.within_appetite(r.residual, r.matrix);
  -- The module defines the setting; read it only once the module is loaded.
  PERFORM isms.version();
  NEW.max_validity_days := coalesce(current_setting('isms.acceptance_max_days', true), '365')::int;
  NEW.superseded_at := NULL;
  NEW.created_at := now();
  NEW.created_by := current_user;
  UPDATE isms.acceptance a SET superseded_at = now()
   WHERE a.risk_id OPERATOR(pg_catalog.=) NEW.risk_id AND a.superseded_at IS NULL;
  RETURN NEW;
END
$fn$;
COMMENT ON FUNCTION isms.acceptance_before_write() IS
  'Trigger on isms.acceptance: snapshots the risk at decision time and supersedes the previous acceptance (INSERT); refuses changes other than superseding (UPDATE) and deleting the acceptance in force (DELETE), both 23514 acceptance_is_a_record';

CREATE TRIGGER acceptance_before_write BEFORE INSERT OR UPDATE OR DELETE ON isms.acceptance
  FOR EACH ROW EXECUTE FUNCTION isms.acceptance_before_write();

CREATE FUNCTION isms.acceptance_after_insert() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
BEGIN
  IF isms.restore_in_progress() THEN
    RETURN NULL;
  END IF;
  UPDATE isms.risk k SET status = 'accepted'
   WHERE k.id OPERATOR(pg_catalog.=) NEW.risk_id AND k.status <> 'accepted';
  -- A plan to retain is carried out by the acceptance itself.
  UPDATE isms.treatment t SET status = 'done'
   WHERE t.risk_id OPERATOR(pg_catalog.=) NEW.risk_id AND t.option = 'retain'
     AND t.status IN ('planned', 'in_progress');
  RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION isms.acceptance_after_insert() IS
  'Trigger on isms.acceptance: moves the risk to accepted and marks its open retain plans done';

CREATE TRIGGER acceptance_moves_risk AFTER INSERT ON isms.acceptance
  FOR EACH ROW EXECUTE FUNCTION isms.acceptance_after_insert();

CREATE FUNCTION isms.accept_risk(risk_id bigint, approver text, rationale text, valid_until date)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  aid bigint;
BEGIN
  PERFORM 1 FROM isms.risk r WHERE r.id OPERATOR(pg_catalog.=) accept_risk.risk_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk % does not exist', coalesce(accept_risk.risk_id::text, 'NULL')
      USING ERRCODE = 'no_data_found';
  END IF;
  INSERT INTO isms.acceptance (risk_id, approver, rationale, valid_until)
  VALUES (accept_risk.risk_id, accept_risk.approver, accept_risk.rationale, accept_risk.valid_until)
  RETURNING id INTO aid;
  RETURN aid;
END
$fn$;
COMMENT ON FUNCTION isms.accept_risk(bigint, text, text, date) IS
  'Accepts the current residual risk of a risk until valid_until and moves it to accepted; returns the acceptance id. Above the appetite the approver must not be the owner (23514 acceptance_approver_not_owner) and valid_until must be within isms.acceptance_max_days (23514 acceptance_validity_within_policy). Unknown risk P0002, identified or closed risk 23514 risk_status_transition';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.acceptance_before_write', 'internal', NULL),
  ('isms.acceptance_after_insert', 'internal', NULL),
  ('isms.accept_risk', 'write', NULL);
