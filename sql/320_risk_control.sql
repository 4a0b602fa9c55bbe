-- isms.risk_control and residual risk: links from risks to the catalogue
-- controls that treat them, and the arithmetic that turns the inherent score
-- into the residual one from the ISO/IEC 27002 control type of each linked
-- control, its effectiveness and its implementation status in the scope's
-- SoA.  The method is explained in docs/risk-methodology.md.

CREATE TABLE isms.risk_control (
  risk_id       bigint NOT NULL REFERENCES isms.risk (id) ON DELETE CASCADE,
  framework     text NOT NULL,
  control_ref   text NOT NULL,
  effectiveness numeric NOT NULL
                CONSTRAINT risk_control_effectiveness_range CHECK (effectiveness BETWEEN 0 AND 1),
  note          text,
  linked_at     timestamptz NOT NULL DEFAULT now(),
  linked_by     text NOT NULL DEFAULT current_user,
  PRIMARY KEY (risk_id, framework, control_ref),
  CONSTRAINT risk_control_control_fkey FOREIGN KEY (framework, control_ref)
    REFERENCES isms.control (framework, ref)
);
CREATE INDEX risk_control_control_idx ON isms.risk_control (framework, control_ref);
COMMENT ON TABLE isms.risk_control IS
  'Controls that treat a risk, with the effectiveness the risk owner expects; the implementation status comes from the SoA of the risk''s scope, and both feed isms.risk.residual';
COMMENT ON COLUMN isms.risk_control.risk_id IS 'The treated risk (isms.risk.id)';
COMMENT ON COLUMN isms.risk_control.framework IS 'Framework of the control (isms.framework.id)';
COMMENT ON COLUMN isms.risk_control.control_ref IS 'Control reference in that framework (isms.control.ref), e.g. 8.7';
COMMENT ON COLUMN isms.risk_control.effectiveness IS
  'Expected effectiveness of the control against this risk when fully implemented: 0 (none) to 1 (removes the risk factor completely)';
COMMENT ON COLUMN isms.risk_control.note IS 'How the control treats this risk';
COMMENT ON COLUMN isms.risk_control.linked_at IS 'When the link was made or last changed';
COMMENT ON COLUMN isms.risk_control.linked_by IS 'Role that made or last changed the link';

SELECT pg_catalog.pg_extension_config_dump('isms.risk_control', '');

CREATE FUNCTION isms.implementation_factor(status isms.implementation_status) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $fn$
  SELECT CASE status
           WHEN 'implemented' THEN 1.0
           WHEN 'partial' THEN 0.5
           ELSE 0.0
         END
$fn$;
COMMENT ON FUNCTION isms.implementation_factor(isms.implementation_status) IS
  'Share of a control''s effectiveness that counts at an implementation status: implemented 1, partial 0.5, planned and not_started 0';

-- The arithmetic alone: each axis keeps its distance above 1 in proportion
-- to what the controls leave, rounded towards the higher (safer) score.
CREATE FUNCTION isms.residual_from(inherent isms.risk_score, likelihood_reduction numeric,
                                   impact_reduction numeric)
RETURNS isms.risk_score
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  l int := isms.likelihood(inherent);
  i int := isms.impact(inherent);
BEGIN
  IF likelihood_reduction < 0 OR likelihood_reduction > 1
     OR impact_reduction < 0 OR impact_reduction > 1 THEN
    RAISE EXCEPTION 'reduction out of range: likelihood % and impact %',
                    likelihood_reduction, impact_reduction
      USING ERRCODE = 'numeric_value_out_of_range',
            DETAIL = 'A reduction is a fraction from 0 (no reduction) to 1 (down to 1).';
  END IF;
  RETURN isms.risk_score(l - floor((l - 1) * likelihood_reduction)::int,
                         i - floor((i - 1) * impact_reduction)::int);
END
$fn$;
COMMENT ON FUNCTION isms.residual_from(isms.risk_score, numeric, numeric) IS
  'Residual score from an inherent score and the fractions (0..1) by which controls reduce likelihood and impact: each axis becomes axis - floor((axis - 1) * reduction), never below 1x1';

CREATE FUNCTION isms.control_reduction(risk_id bigint, scope text,
                                       OUT likelihood_reduction numeric,
                                       OUT impact_reduction numeric,
                                       OUT controls int, OUT effective_controls int)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  keep_l numeric := 1;
  keep_i numeric := 1;
  c record;
BEGIN
  controls := 0;
  effective_controls := 0;
  FOR c IN
    SELECT rc.effectiveness
             * CASE WHEN se.applicable THEN isms.implementation_factor(se.status) ELSE 0 END
             AS strength,
           'Preventive' = ANY (ctl.control_type) AS preventive,
           'Corrective' = ANY (ctl.control_type) AS corrective,
           'Detective' = ANY (ctl.control_type) AS detective
      FROM isms.risk_control rc
      JOIN isms.control ctl ON ctl.framework OPERATOR(pg_catalog.=) rc.framework
                           AND ctl.ref OPERATOR(pg_catalog.=) rc.control_ref
      LEFT JOIN isms.soa_entry se ON se.scope OPERATOR(pg_catalog.=) control_reduction.scope
                                 AND se.framework OPERATOR(pg_catalog.=) rc.framework
                                 AND se.control_ref OPERATOR(pg_catalog.=) rc.control_ref
     WHERE rc.risk_id OPERATOR(pg_catalog.=) control_reduction.risk_id
  LOOP
    controls := controls + 1;
    CONTINUE WHEN coalesce(c.strength, 0) = 0;
    effective_controls := effective_controls + 1;
    IF c.preventive THEN
      keep_l := keep_l * (1 - c.strength);
    END IF;
    -- A corrective control limits the damage fully; a detective one only
    -- shortens the time until the response, so it counts half.
    IF c.corrective THEN
      keep_i := keep_i * (1 - c.strength);
    ELSIF c.detective THEN
      keep_i := keep_i * (1 - c.strength / 2);
    END IF;
  END LOOP;
  likelihood_reduction := 1 - keep_l;
  impact_reduction := 1 - keep_i;
END
$fn$;
COMMENT ON FUNCTION isms.control_reduction(bigint, text) IS
  'How much the controls linked to a risk reduce its likelihood (preventive controls) and impact (corrective, and detective at half weight), each link weighted by effectiveness x implementation factor in the given scope''s SoA; also counts the links and those with any effect';

CREATE FUNCTION isms.residual_score(risk_id bigint) RETURNS isms.risk_score
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  r record;
  red record;
BEGIN
  SELECT k.scope, k.inherent, k.residual_override INTO r
    FROM isms.risk k WHERE k.id OPERATOR(pg_catalog.=) residual_score.risk_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk % does not exist', coalesce(residual_score.risk_id::text, 'NULL')
      USING ERRCODE = 'no_data_found';
  END IF;
  IF r.residual_override IS NOT NULL THEN
    RETURN r.residual_override;
  END IF;
  SELECT * INTO red FROM isms.control_reduction(residual_score.risk_id, r.scope);
  RETURN isms.residual_from(r.inherent, red.likelihood_reduction, red.impact_reduction);
END
$fn$;
COMMENT ON FUNCTION isms.residual_score(bigint) IS
  'Residual score of a risk: the manual override when set, otherwise the inherent score reduced by the linked controls (isms.control_reduction, isms.residual_from); NULL while the risk has no inherent score; unknown risk P0002';

-- Stores the recomputed residual only when it changed, so the change log
-- does not fill with updates that change nothing.
CREATE FUNCTION isms.refresh_residual(risk_id bigint) RETURNS boolean
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  r record;
  red record;
  fresh isms.risk_score;
BEGIN
  SELECT k.scope, k.inherent, k.residual_computed INTO r
    FROM isms.risk k WHERE k.id OPERATOR(pg_catalog.=) refresh_residual.risk_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  SELECT * INTO red FROM isms.control_reduction(refresh_residual.risk_id, r.scope);
  fresh := isms.residual_from(r.inherent, red.likelihood_reduction, red.impact_reduction);
  IF fresh IS NOT DISTINCT FROM r.residual_computed THEN
    RETURN false;
  END IF;
  UPDATE isms.risk k SET residual_computed = fresh
   WHERE k.id OPERATOR(pg_catalog.=) refresh_residual.risk_id;
  RETURN true;
END
$fn$;
COMMENT ON FUNCTION isms.refresh_residual(bigint) IS
  'Recomputes and stores residual_computed of a risk when it changed (returns true then); called by the triggers on isms.risk_control and isms.soa_entry';

CREATE FUNCTION isms.link_control(risk_id bigint, framework text, control_ref text,
                                  effectiveness numeric)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM isms.risk r WHERE r.id OPERATOR(pg_catalog.=) link_control.risk_id) THEN
    RAISE EXCEPTION 'risk % does not exist', coalesce(link_control.risk_id::text, 'NULL')
      USING ERRCODE = 'no_data_found';
  END IF;
  INSERT INTO isms.risk_control AS rc (risk_id, framework, control_ref, effectiveness)
  VALUES (link_control.risk_id, link_control.framework, link_control.control_ref,
          link_control.effectiveness)
  ON CONFLICT ON CONSTRAINT risk_control_pkey DO UPDATE
    SET effectiveness = EXCLUDED.effectiveness, linked_at = now(), linked_by = current_user
    WHERE rc.effectiveness IS DISTINCT FROM EXCLUDED.effectiveness;
END
$fn$;
COMMENT ON FUNCTION isms.link_control(bigint, text, text, numeric) IS
  'Links a catalogue control to a risk with an effectiveness from 0 to 1, or changes the effectiveness of an existing link; the residual score follows. Unknown risk P0002, unknown control 23503, effectiveness outside 0..1 23514';

CREATE FUNCTION isms.unlink_control(risk_id bigint, framework text, control_ref text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
BEGIN
  DELETE FROM isms.risk_control rc
   WHERE rc.risk_id OPERATOR(pg_catalog.=) unlink_control.risk_id
     AND rc.framework OPERATOR(pg_catalog.=) unlink_control.framework
     AND rc.control_ref OPERATOR(pg_catalog.=) unlink_control.control_ref;
  RETURN FOUND;
END
$fn$;
COMMENT ON FUNCTION isms.unlink_control(bigint, text, text) IS
  'Removes the link between a risk and a control; returns whether there was one. The residual score follows';

CREATE FUNCTION isms.override_residual(risk_id bigint, score isms.risk_score, rationale text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
BEGIN
  IF score IS NOT NULL AND (rationale IS NULL OR btrim(rationale) = '') THEN
    RAISE EXCEPTION 'a residual override needs a rationale'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  UPDATE isms.risk r
     SET residual_override = override_residual.score,
         residual_override_rationale = override_residual.rationale
   WHERE r.id OPERATOR(pg_catalog.=) override_residual.risk_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk % does not exist', coalesce(override_residual.risk_id::text, 'NULL')
      USING ERRCODE = 'no_data_found';
  END IF;
END
$fn$;
COMMENT ON FUNCTION isms.override_residual(bigint, isms.risk_score, text) IS
  'Sets a manual residual score with its rationale (shown as overridden in isms.risk_register), or removes the override when score is NULL; no rationale 22004, unknown risk P0002, outside the matrix 22003';

-- Links and SoA status feed the stored residual.
CREATE FUNCTION isms.risk_control_after_write() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
BEGIN
  IF isms.restore_in_progress() THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM isms.refresh_residual(OLD.risk_id);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.risk_id <> OLD.risk_id) THEN
    PERFORM isms.refresh_residual(NEW.risk_id);
  END IF;
  RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION isms.risk_control_after_write() IS
  'Trigger on isms.risk_control: recomputes the residual score of the risks whose links changed';

CREATE TRIGGER risk_control_refresh_residual AFTER INSERT OR UPDATE OR DELETE ON isms.risk_control
  FOR EACH ROW EXECUTE FUNCTION isms.risk_control_after_write();

-- SECURITY DEFINER: whoever may edit the SoA moves residual scores with it,
-- without needing any right on the register (the risk's change-log entry is
-- then written as the extension owner, in the same transaction as the SoA
-- change that caused it).
CREATE FUNCTION isms.soa_entry_refresh_residual() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
BEGIN
  IF isms.restore_in_progress() THEN
    RETURN NULL;
  END IF;
  -- refresh_residual writes only what changed, so every touched key is
  -- simply recomputed (status, applicability or even the key itself).
  IF TG_OP = 'UPDATE' THEN
    PERFORM isms.refresh_residual(r.id)
       FROM (SELECT n.scope, n.framework, n.control_ref FROM new_rows n
             UNION
             SELECT o.scope, o.framework, o.control_ref FROM old_rows o) ch
       JOIN isms.risk_control rc ON rc.framework = ch.framework AND rc.control_ref = ch.control_ref
       JOIN isms.risk r ON r.id = rc.risk_id AND r.scope = ch.scope;
  ELSIF TG_OP = 'INSERT' THEN
    PERFORM isms.refresh_residual(r.id)
       FROM new_rows n
       JOIN isms.risk_control rc ON rc.framework = n.framework AND rc.control_ref = n.control_ref
       JOIN isms.risk r ON r.id = rc.risk_id AND r.scope = n.scope;
  ELSE
    PERFORM isms.refresh_residual(r.id)
       FROM old_rows o
       JOIN isms.risk_control rc ON rc.framework = o.framework AND rc.control_ref = o.control_ref
       JOIN isms.risk r ON r.id = rc.risk_id AND r.scope = o.scope;
  END IF;
  RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION isms.soa_entry_refresh_residual() IS
  'Statement trigger on isms.soa_entry: when the implementation status or applicability of controls changes, recomputes the residual score of the risks of that scope linked to them';

CREATE TRIGGER soa_entry_refresh_residual_ins AFTER INSERT ON isms.soa_entry
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION isms.soa_entry_refresh_residual();
CREATE TRIGGER soa_entry_refresh_residual_upd AFTER UPDATE ON isms.soa_entry
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION isms.soa_entry_refresh_residual();
CREATE TRIGGER soa_entry_refresh_residual_del AFTER DELETE ON isms.soa_entry
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION isms.soa_entry_refresh_residual();

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.implementation_factor', 'read', NULL),
  ('isms.residual_from', 'read', NULL),
  ('isms.control_reduction', 'read', NULL),
  ('isms.residual_score', 'read', NULL),
  ('isms.refresh_residual', 'write', NULL),
  ('isms.link_control', 'write', NULL),
  ('isms.unlink_control', 'write', NULL),
  ('isms.override_residual', 'write', NULL),
  ('isms.risk_control_after_write', 'internal', NULL),
  ('isms.soa_entry_refresh_residual', 'internal', NULL);
