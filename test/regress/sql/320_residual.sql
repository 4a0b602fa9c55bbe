-- 31_residual: residual risk from linked controls (ISO 27002 control type,
-- effectiveness, SoA implementation status), manual override, and the
-- links' bad inputs.
\i test/regress/setup.sql

-- The arithmetic alone.
SELECT status, isms.implementation_factor(status)
  FROM unnest(enum_range(NULL::isms.implementation_status)) AS status;
SELECT inherent, l, i, isms.residual_from(inherent::isms.risk_score, l, i) AS residual
  FROM (VALUES ('4x5', 0, 0), ('4x5', 1, 1), ('4x5', 0.8, 0.5), ('5x5', 0.74, 0.75),
               ('5x5', 0.5, 0.2499), ('1x1', 1, 1), ('2x3', 0.5, 0.5), ('3x3', 0.999, 0.001)) AS t(inherent, l, i);
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$SELECT isms.residual_from('4x5', 1.5, 0)$$),
  ($$SELECT isms.residual_from('4x5', 0, -0.1)$$),
  ($$SELECT isms.residual_from('4x5', NULL, 0) IS NULL$$)
) AS t(s);

-- The catalogue's control types of the controls used below.
SELECT ref, control_type FROM isms.control
 WHERE framework = 'iso27001-2022' AND ref IN ('5.7', '5.15', '8.7', '8.8', '8.13', '8.15', '8.16')
 ORDER BY string_to_array(ref, '.')::int[];

INSERT INTO isms.risk (scope, ref, title, owner, inherent)
VALUES ('default', 'R-001', 'Ransomware encrypts file servers', 'cio', '4x5');
-- No controls: residual = inherent.
SELECT isms.residual_score(1), residual, residual_computed FROM isms.risk WHERE id = 1;
SELECT * FROM isms.control_reduction(1, 'default');

-- A preventive control that is not in the SoA does nothing yet.
SELECT isms.link_control(1, 'iso27001-2022', '8.8', 0.5);
SELECT * FROM isms.control_reduction(1, 'default');
SELECT residual FROM isms.risk WHERE id = 1;

-- The SoA drives it: planned 0, partial half, implemented full; not
-- applicable or undecided counts nothing.
SELECT isms.soa_init('default', 'iso27001-2022') AS soa_entries;
CREATE FUNCTION pg_temp.soa(ref text, st isms.implementation_status, app boolean DEFAULT true)
RETURNS text LANGUAGE sql AS $$
  UPDATE isms.soa_entry SET applicable = app, justification = 'test', status = st
   WHERE scope = 'default' AND framework = 'iso27001-2022' AND control_ref = ref;
  SELECT residual::text FROM isms.risk WHERE id = 1;
$$;
SELECT pg_temp.soa('8.8', 'planned') AS planned,
       pg_temp.soa('8.8', 'partial') AS partial,
       pg_temp.soa('8.8', 'implemented') AS implemented,
       pg_temp.soa('8.8', 'implemented', false) AS not_applicable,
       pg_temp.soa('8.8', 'implemented', NULL) AS undecided,
       pg_temp.soa('8.8', 'implemented') AS implemented_again;
-- (8.8 preventive, 0.5 implemented: likelihood 4 - floor(3 x 0.5) = 3.)

-- A corrective control lowers impact; a detective-only one lowers impact at
-- half weight; several controls combine as 1 - prod(1 - strength).
SELECT pg_temp.soa('8.13', 'implemented'), pg_temp.soa('8.15', 'implemented'),
       pg_temp.soa('8.7', 'implemented'), pg_temp.soa('8.16', 'planned');
SELECT isms.link_control(1, 'iso27001-2022', '8.13', 0.8);
SELECT * FROM isms.control_reduction(1, 'default');
SELECT residual FROM isms.risk WHERE id = 1;
SELECT isms.unlink_control(1, 'iso27001-2022', '8.13'), isms.unlink_control(1, 'iso27001-2022', '8.13');
SELECT isms.link_control(1, 'iso27001-2022', '8.15', 0.8);
SELECT * FROM isms.control_reduction(1, 'default');
SELECT residual FROM isms.risk WHERE id = 1;
-- 8.7 is preventive, detective and corrective: both axes, corrective weight.
SELECT isms.link_control(1, 'iso27001-2022', '8.7', 0.6);
SELECT isms.link_control(1, 'iso27001-2022', '8.13', 0.8);
SELECT isms.link_control(1, 'iso27001-2022', '8.16', 0.5);
SELECT * FROM isms.control_reduction(1, 'default');
SELECT isms.residual_score(1), residual, residual_computed FROM isms.risk WHERE id = 1;
-- Changing an effectiveness moves the residual; so does the SoA.
SELECT isms.link_control(1, 'iso27001-2022', '8.7', 0.1);
SELECT residual FROM isms.risk WHERE id = 1;
SELECT pg_temp.soa('8.16', 'implemented') AS monitoring_live;
-- Everything at full strength: never below 1x1.
UPDATE isms.risk_control SET effectiveness = 1 WHERE risk_id = 1;
SELECT residual, isms.residual_score(1) FROM isms.risk WHERE id = 1;
-- A new inherent score is reduced by the same controls.
UPDATE isms.risk_control SET effectiveness = 0.5 WHERE risk_id = 1;
UPDATE isms.risk SET inherent = '5x5' WHERE id = 1;
SELECT inherent, residual FROM isms.risk WHERE id = 1;
-- A risk of another scope linked to the same control follows its own SoA.
INSERT INTO isms.scope (id, name) VALUES ('emea', 'EMEA');
INSERT INTO isms.risk (scope, ref, title, owner, inherent) VALUES ('emea', 'R-001', 'Ransomware', 'cio', '4x5');
SELECT isms.link_control(2, 'iso27001-2022', '8.7', 0.6);
SELECT scope, residual FROM isms.risk ORDER BY id;
-- Deleting the SoA entry removes its effect.
DELETE FROM isms.soa_entry WHERE scope = 'default' AND control_ref IN ('8.7', '8.8');
SELECT residual FROM isms.risk WHERE id = 1;
-- Unchanged residuals write nothing: this SoA edit touches no linked control.
SELECT count(*) AS risk_log FROM isms.change_log WHERE table_name = 'isms.risk' \gset
UPDATE isms.soa_entry SET status = 'implemented', applicable = true, justification = 'x'
 WHERE scope = 'default' AND control_ref = '5.1';
UPDATE isms.soa_entry SET owner = 'it' WHERE scope = 'default' AND control_ref = '8.13';
SELECT count(*) - :risk_log AS risk_rows_logged FROM isms.change_log WHERE table_name = 'isms.risk';
-- residual_computed cannot be written by hand.
UPDATE isms.risk SET residual_computed = '1x1' WHERE id = 1;
SELECT residual, residual_computed FROM isms.risk WHERE id = 1;

-- Manual override: visible as such, with who and why; cleared with NULL.
SELECT isms.override_residual(1, '2x2', 'Cyber insurance covers restoration costs');
SELECT residual, residual_computed, residual_override, residual_override_rationale,
       residual_override_by = current_user AS by_me, residual_override_at IS NOT NULL AS has_when,
       isms.residual_score(1)
  FROM isms.risk WHERE id = 1;
SELECT residual, residual_overridden, residual_computed, residual_override_rationale
  FROM isms.risk_register WHERE risk_id = 1;
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$SELECT isms.override_residual(1, '1x1', NULL)$$),
  ($$SELECT isms.override_residual(1, '1x1', ' ')$$),
  ($$SELECT isms.override_residual(1, '6x1', 'off the matrix')$$),
  ($$SELECT isms.override_residual(999, '1x1', 'why')$$),
  ($$UPDATE isms.risk SET residual_override_rationale = NULL WHERE id = 1$$),
  ($$UPDATE isms.risk SET residual_override_by = 'someone else' WHERE id = 1$$)
) AS t(s);
SELECT residual, residual_override_rationale, residual_override_by = current_user AS by_me
  FROM isms.risk WHERE id = 1;
SELECT isms.override_residual(1, NULL, NULL);
SELECT residual, residual_override, residual_override_rationale, residual_override_by
  FROM isms.risk WHERE id = 1;

-- Bad links: refused with their SQLSTATE, nothing written.
SELECT count(*) AS links FROM isms.risk_control \gset
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$SELECT isms.link_control(999, 'iso27001-2022', '8.7', 0.5)$$),
  ($$SELECT isms.link_control(NULL, 'iso27001-2022', '8.7', 0.5)$$),
  ($$SELECT isms.link_control(1, 'iso27001-2022', '9.99', 0.5)$$),
  ($$SELECT isms.link_control(1, 'no-such-framework', '8.7', 0.5)$$),
  ($$SELECT isms.link_control(1, 'iso27001-2022', '5.15', 1.5)$$),
  ($$SELECT isms.link_control(1, 'iso27001-2022', '5.15', -0.1)$$),
  ($$SELECT isms.link_control(1, 'iso27001-2022', '5.15', NULL)$$),
  ($$INSERT INTO isms.risk_control (risk_id, framework, control_ref, effectiveness) VALUES (999, 'iso27001-2022', '5.15', 0.5)$$),
  ($$UPDATE isms.risk_control SET effectiveness = 2 WHERE risk_id = 1$$)
) AS t(s);
SELECT count(*) - :links AS links_added, max(effectiveness) AS max_effectiveness FROM isms.risk_control;
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$SELECT isms.residual_score(999)$$),
  ($$SELECT isms.residual_score(NULL)$$)
) AS t(s);
-- An identified risk has no residual.
INSERT INTO isms.risk (scope, ref, title, owner) VALUES ('default', 'R-002', 'Unscored', 'cio');
SELECT isms.residual_score(3) IS NULL AS no_residual;
