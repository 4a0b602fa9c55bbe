-- The one BEFORE trigger of isms.risk and the rules it applies: the start
-- rule of a new risk and the state machine (its data is
-- isms.risk_status_transition, 310), in C for every row and in plpgsql for
-- what only an UPDATE needs (src/risk_write.c; docs/design-decisions.md).
-- Restored rows must arrive exactly as dumped: the trigger asks
-- isms_restore_in_progress() (src/restore.c) first.

-- The start rule of a new risk, in C (src/risk_write.c): the write trigger
-- applies it to every inserted row, isms.risk_transition_check to a
-- from_status of NULL.
CREATE FUNCTION isms.risk_start_check(to_status isms.risk_status) RETURNS void
  AS 'MODULE_PATHNAME', 'isms_risk_start_check'
  LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION isms.risk_start_check(isms.risk_status) IS
  'Returns when a new risk may start as to_status (identified, or assessed), otherwise raises 22004 for NULL and 23514 (constraint risk_status_transition)';

-- Raises the documented error for a move the state machine does not allow;
-- from_status NULL means a new risk.
CREATE FUNCTION isms.risk_transition_check(risk_id bigint, from_status isms.risk_status,
                                           to_status isms.risk_status)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  allowed text;
BEGIN
  IF to_status IS NULL THEN
    RAISE EXCEPTION 'risk status must not be null' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF from_status IS NULL THEN
    PERFORM isms.risk_start_check(to_status);
    RETURN;
  END IF;
  IF from_status OPERATOR(pg_catalog.=) to_status
     OR EXISTS (SELECT 1 FROM isms.risk_status_transition t
                 WHERE t.from_status OPERATOR(pg_catalog.=) risk_transition_check.from_status
                   AND t.to_status OPERATOR(pg_catalog.=) risk_transition_check.to_status) THEN
    RETURN;
  END IF;
  SELECT string_agg(t.to_status::text, ', ' ORDER BY t.to_status) INTO allowed
    FROM isms.risk_status_transition t
   WHERE t.from_status OPERATOR(pg_catalog.=) risk_transition_check.from_status;
  RAISE EXCEPTION 'invalid risk status transition from "%" to "%"', from_status, to_status
    USING ERRCODE = 'check_violation', CONSTRAINT = 'risk_status_transition',
          SCHEMA = 'isms', TABLE = 'risk',
          DETAIL = format('Risk %s is "%s"; from there it may go to: %s.', risk_id, from_status, allowed),
          HINT = 'The allowed moves are listed in isms.risk_status_transition.';
END
$fn$;
COMMENT ON FUNCTION isms.risk_transition_check(bigint, isms.risk_status, isms.risk_status) IS
  'Returns when the risk may move from from_status (NULL: a new risk) to to_status, otherwise raises 23514 (constraint risk_status_transition) naming the allowed moves';

-- What an UPDATE of a risk adds to the rules of the write trigger: the
-- state machine and its preconditions (which read treatments and
-- acceptances), the acceptance a move away from "accepted" supersedes,
-- closed_at, and the residual from the linked controls.  Called by
-- isms.risk_before_write() with the row as the trigger has it so far.
CREATE FUNCTION isms.risk_update_rules(nr isms.risk, orow isms.risk) RETURNS isms.risk
LANGUAGE plpgsql
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  red record;
BEGIN
  IF nr.status IS DISTINCT FROM orow.status THEN
    PERFORM isms.risk_transition_check(orow.id, orow.status, nr.status);
    IF nr.status = 'treatment_planned'
       AND NOT EXISTS (SELECT 1 FROM isms.treatment t
                        WHERE t.risk_id OPERATOR(pg_catalog.=) nr.id
                          AND t.status IN ('planned', 'in_progress')) THEN
      RAISE EXCEPTION 'risk % has no open treatment plan', nr.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'risk_planned_needs_treatment',
              SCHEMA = 'isms', TABLE = 'risk',
              HINT = 'Record the plan with isms.treat().';
    ELSIF nr.status = 'treated'
       AND (EXISTS (SELECT 1 FROM isms.treatment t
                     WHERE t.risk_id OPERATOR(pg_catalog.=) nr.id
                       AND t.status IN ('planned', 'in_progress'))
            OR NOT EXISTS (SELECT 1 FROM isms.treatment t
                            WHERE t.risk_id OPERATOR(pg_catalog.=) nr.id
                              AND t.status = 'done' AND t.option <> 'retain')) THEN
      RAISE EXCEPTION 'risk % cannot be treated: it needs a completed treatment plan and no open one', nr.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'risk_treated_needs_completed_treatment',
              SCHEMA = 'isms', TABLE = 'risk',
              HINT = 'Set the status of its isms.treatment rows to done; the risk then becomes treated by itself.';
    ELSIF nr.status = 'accepted'
       AND NOT EXISTS (SELECT 1 FROM isms.acceptance a
                        WHERE a.risk_id OPERATOR(pg_catalog.=) nr.id
                          AND a.superseded_at IS NULL AND a.valid_until >= current_date) THEN
      RAISE EXCEPTION 'risk % has no valid acceptance', nr.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'risk_accepted_needs_acceptance',
              SCHEMA = 'isms', TABLE = 'risk',
              HINT = 'Record the acceptance with isms.accept_risk().';
    END IF;
    IF orow.status = 'accepted' THEN
      UPDATE isms.acceptance a SET superseded_at = now()
       WHERE a.risk_id OPERATOR(pg_catalog.=) nr.id AND a.superseded_at IS NULL;
    END IF;
    nr.closed_at := CASE WHEN nr.status = 'closed' THEN now() END;
  ELSE
    nr.closed_at := orow.closed_at;
  END IF;

  SELECT * INTO red FROM isms.control_reduction(nr.id, nr.scope);
  nr.residual_computed := isms.residual_from(nr.inherent, red.likelihood_reduction,
                                              red.impact_reduction);
  RETURN nr;
END
$fn$;
COMMENT ON FUNCTION isms.risk_update_rules(isms.risk, isms.risk) IS
  'Internal (called by isms.risk_before_write on UPDATE): the status state machine and its preconditions, the superseded acceptance, closed_at and residual_computed of the new row nr over the old row orow';

-- One BEFORE trigger for every write to isms.risk: scores on the matrix,
-- override bookkeeping, the start rule and, on UPDATE, the rules above.
-- In C (src/risk_write.c): it runs for every row of a bulk load.  Plain
-- UPDATEs and the functions take the same path.
CREATE FUNCTION isms.risk_before_write() RETURNS trigger
  AS 'MODULE_PATHNAME', 'isms_risk_before_write'
  LANGUAGE C;
COMMENT ON FUNCTION isms.risk_before_write() IS
  'Trigger on isms.risk: checks scores against the matrix, enforces the status state machine and its preconditions, records override authorship and keeps residual_computed';

CREATE TRIGGER risk_before_write BEFORE INSERT OR UPDATE ON isms.risk
  FOR EACH ROW EXECUTE FUNCTION isms.risk_before_write();

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.risk_start_check', 'read', NULL),
  ('isms.risk_transition_check', 'read', NULL),
  ('isms.risk_update_rules', 'internal', NULL),
  ('isms.risk_before_write', 'internal', NULL);
