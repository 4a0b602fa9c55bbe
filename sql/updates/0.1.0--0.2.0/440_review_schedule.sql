-- Part of 0.1.0 -> 0.2.0 for sql/440_review_schedule.sql: the effective
-- score of a risk is one function, isms.effective_score (the C code the
-- next-review trigger uses), which isms.risk_review_record now calls.

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
INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.effective_score', 'read', NULL);

DROP TRIGGER risk_review_record ON isms.risk_review;
DROP FUNCTION isms.risk_review_record();
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
REVOKE ALL ON FUNCTION isms.risk_review_record() FROM PUBLIC;

-- The review interval lookup is the C one the trigger uses (no second,
-- PL/pgSQL copy of it).
DROP FUNCTION isms.risk_review_interval(isms.risk_score, text);
-- The review interval of a score's level: one lookup, in C
-- (src/reminder_schedule.c), with the per-statement cache the next-review
-- trigger below uses, so SQL callers and the trigger read it one way.
CREATE FUNCTION isms.risk_review_interval(score isms.risk_score, matrix text) RETURNS interval
  AS 'MODULE_PATHNAME', 'isms_risk_review_interval'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.risk_review_interval(isms.risk_score, text) IS
  'Review interval of the level a score falls in (isms.risk_level.review_interval); NULL for a NULL score';
