-- isms.risk: the risk register (ISO/IEC 27001:2022 6.1.2, 8.2), its status
-- state machine and the links from risks to assets.  The state machine is
-- data (isms.risk_status_transition) checked by one BEFORE trigger (311), so a
-- plain UPDATE is held to the same rules as isms.treat(), isms.accept_risk(),
-- isms.close_risk() and isms.reopen_risk().  Residual arithmetic: 320.

CREATE TYPE isms.treatment_option AS ENUM ('modify', 'retain', 'avoid', 'share');
COMMENT ON TYPE isms.treatment_option IS
  'ISO/IEC 27005:2022 risk treatment options: modify (mitigate, reduce), retain (accept, tolerate), avoid (terminate), share (transfer)';

CREATE TYPE isms.risk_status AS ENUM
  ('identified', 'assessed', 'treatment_planned', 'treated', 'accepted', 'closed');
COMMENT ON TYPE isms.risk_status IS
  'Life cycle of a risk: identified, assessed, treatment_planned, treated, accepted, closed; the allowed moves are the rows of isms.risk_status_transition';

CREATE TABLE isms.risk_status_transition (
  from_status isms.risk_status NOT NULL,
  to_status   isms.risk_status NOT NULL,
  how         text NOT NULL,
  PRIMARY KEY (from_status, to_status),
  CONSTRAINT risk_status_transition_moves CHECK (from_status <> to_status)
);
COMMENT ON TABLE isms.risk_status_transition IS
  'The risk status state machine: every allowed change of isms.risk.status; any other change is refused with SQLSTATE 23514 (constraint risk_status_transition). A new risk starts as identified or assessed. Part of the extension, not user data';
COMMENT ON COLUMN isms.risk_status_transition.from_status IS 'Status before the change';
COMMENT ON COLUMN isms.risk_status_transition.to_status IS 'Status after the change';
COMMENT ON COLUMN isms.risk_status_transition.how IS 'What makes this change (function, trigger or plain UPDATE) and what it needs';

INSERT INTO isms.risk_status_transition (from_status, to_status, how) VALUES
  ('identified', 'assessed', 'an inherent score is recorded (automatic when inherent is set)'),
  ('identified', 'closed', 'isms.close_risk(): not a risk, a duplicate or out of scope'),
  ('assessed', 'treatment_planned', 'isms.treat() or an INSERT into isms.treatment'),
  ('assessed', 'accepted', 'isms.accept_risk(): retained without a plan'),
  ('assessed', 'closed', 'isms.close_risk()'),
  ('treatment_planned', 'treated', 'the last open treatment plan is done (automatic)'),
  ('treatment_planned', 'accepted', 'isms.accept_risk(): residual risk accepted together with the plan (ISO/IEC 27001 6.1.3 f)'),
  ('treatment_planned', 'assessed', 'every treatment plan cancelled (automatic), or reassessment'),
  ('treatment_planned', 'closed', 'isms.close_risk()'),
  ('treated', 'accepted', 'isms.accept_risk(): the residual risk is accepted'),
  ('treated', 'treatment_planned', 'isms.treat(): further treatment'),
  ('treated', 'assessed', 'reassessment'),
  ('treated', 'closed', 'isms.close_risk()'),
  ('accepted', 'treatment_planned', 'isms.treat(): treat after all (the acceptance is superseded)'),
  ('accepted', 'assessed', 'reassessment (the acceptance is superseded)'),
  ('accepted', 'closed', 'isms.close_risk() (the acceptance is superseded)'),
  ('closed', 'identified', 'isms.reopen_risk() of a risk without inherent score'),
  ('closed', 'assessed', 'isms.reopen_risk() of a risk with an inherent score');

CREATE TABLE isms.risk (
  id              bigserial PRIMARY KEY,
  scope           text NOT NULL REFERENCES isms.scope (id),
  ref             text NOT NULL
                  CONSTRAINT risk_ref_format CHECK (ref ~ '^[^[:space:]]([^\n]{0,62}[^[:space:]])?$'),
  title           text NOT NULL CONSTRAINT risk_title_not_blank CHECK (btrim(title) <> ''),
  description     text,
  owner           text NOT NULL CONSTRAINT risk_owner_not_blank CHECK (btrim(owner) <> ''),
  threat          text,
  vulnerability   text,
  cvss            isms.cvss,
  matrix          text NOT NULL DEFAULT 'default' REFERENCES isms.risk_matrix (id),
  inherent        isms.risk_score,
  residual        isms.risk_score GENERATED ALWAYS AS (coalesce(residual_override, residual_computed)) STORED,
  target          isms.risk_score,
  treatment       isms.treatment_option,
  status          isms.risk_status NOT NULL DEFAULT 'identified',
  identified_on   date NOT NULL DEFAULT current_date,
  next_review     date,
  residual_computed isms.risk_score,
  residual_override isms.risk_score,
  residual_override_rationale text,
  residual_override_by text,
  residual_override_at timestamptz,
  status_reason   text,
  closed_at       timestamptz,
  CONSTRAINT risk_scope_ref_key UNIQUE (scope, ref),
  -- Target of the same-scope foreign key of isms.risk_asset.
  CONSTRAINT risk_scope_id_key UNIQUE (scope, id),
  CONSTRAINT risk_assessed_needs_inherent
    CHECK (inherent IS NOT NULL OR status IN ('identified', 'closed')),
  CONSTRAINT risk_override_needs_rationale
    CHECK (residual_override IS NULL OR btrim(coalesce(residual_override_rationale, '')) <> ''),
  CONSTRAINT risk_closed_needs_reason
    CHECK (status <> 'closed' OR btrim(coalesce(status_reason, '')) <> '')
);
CREATE INDEX risk_owner_idx ON isms.risk (owner);
-- Filtering by CVSS ("everything High or worse") implies a vector, so a
-- partial index serves it without indexing the many risks that have none.
CREATE INDEX risk_cvss_idx ON isms.risk (cvss) WHERE cvss IS NOT NULL;
COMMENT ON TABLE isms.risk IS
  'The risk register: one row per information security risk of a scope, with inherent, residual and target scores, treatment and status; every change is in isms.change_log';
COMMENT ON COLUMN isms.risk.id IS 'Risk id (generated); the key every function takes';
COMMENT ON COLUMN isms.risk.scope IS 'Scope (isms.scope.id) the risk belongs to';
COMMENT ON COLUMN isms.risk.ref IS 'Reference shown to people (e.g. R-001), unique in its scope; 1 to 64 characters, no leading or trailing space';
COMMENT ON COLUMN isms.risk.title IS 'Short statement of the risk';
COMMENT ON COLUMN isms.risk.description IS 'Longer description: scenario, consequences';
COMMENT ON COLUMN isms.risk.owner IS 'Risk owner (ISO/IEC 27001 6.1.2 c 2): the person or role accountable for the risk; may not approve an acceptance above appetite';
COMMENT ON COLUMN isms.risk.threat IS 'Threat (source of harm) in the risk scenario';
COMMENT ON COLUMN isms.risk.vulnerability IS 'Vulnerability the threat exploits';
COMMENT ON COLUMN isms.risk.cvss IS 'Optional CVSS v3.0/v3.1/v4.0 vector of the vulnerability (isms.cvss); sorts by score; isms.cvss_risk_score(cvss, matrix) proposes an inherent score from it';
COMMENT ON COLUMN isms.risk.matrix IS 'Risk matrix (isms.risk_matrix.id) the scores are read on; scores must fit its size';
COMMENT ON COLUMN isms.risk.inherent IS 'Inherent risk: likelihood x impact before the linked controls; NULL while the risk is only identified';
COMMENT ON COLUMN isms.risk.residual IS 'Residual risk in force (read-only): the manual override when one is set, otherwise residual_computed';
COMMENT ON COLUMN isms.risk.target IS 'Target risk the treatment aims at (set by the risk owner)';
COMMENT ON COLUMN isms.risk.treatment IS 'Treatment option of the latest treatment plan (isms.treat()); NULL before any plan';
COMMENT ON COLUMN isms.risk.status IS 'Status in the risk life cycle; changes follow isms.risk_status_transition';
COMMENT ON COLUMN isms.risk.identified_on IS 'Date the risk was identified';
COMMENT ON COLUMN isms.risk.next_review IS 'Date of the next review of the risk (kept by the review scheduling triggers when installed); overdue when in the past';
COMMENT ON COLUMN isms.risk.residual_computed IS 'Residual risk computed from inherent and the linked controls (isms.residual_score without override); maintained by triggers, read-only';
COMMENT ON COLUMN isms.risk.residual_override IS 'Manual residual score set with isms.override_residual(); NULL when the computed value is in force';
COMMENT ON COLUMN isms.risk.residual_override_rationale IS 'Why the computed residual was overridden; required with an override';
COMMENT ON COLUMN isms.risk.residual_override_by IS 'Role that set the override (set by trigger)';
COMMENT ON COLUMN isms.risk.residual_override_at IS 'When the override was set (set by trigger)';
COMMENT ON COLUMN isms.risk.status_reason IS 'Reason given with the latest close or reopen; required while closed';
COMMENT ON COLUMN isms.risk.closed_at IS 'When the risk was closed (set by trigger); NULL while open';

SELECT pg_catalog.pg_extension_config_dump('isms.risk', '');
SELECT pg_catalog.pg_extension_config_dump('isms.risk_id_seq', '');
COMMENT ON SEQUENCE isms.risk_id_seq IS 'Ids of isms.risk (dumped with the table, so new ids continue after restored ones)';

CREATE TABLE isms.risk_asset (
  scope    text NOT NULL,
  risk_id  bigint NOT NULL,
  asset_id bigint NOT NULL,
  PRIMARY KEY (risk_id, asset_id),
  CONSTRAINT risk_asset_risk_same_scope FOREIGN KEY (scope, risk_id)
    REFERENCES isms.risk (scope, id) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT risk_asset_asset_same_scope FOREIGN KEY (scope, asset_id)
    REFERENCES isms.asset (scope, id) ON DELETE CASCADE
);
CREATE INDEX risk_asset_asset_idx ON isms.risk_asset (asset_id);
COMMENT ON TABLE isms.risk_asset IS
  'Assets a risk affects; risk and asset must belong to the same scope (foreign keys through scope)';
COMMENT ON COLUMN isms.risk_asset.scope IS 'Scope of both the risk and the asset';
COMMENT ON COLUMN isms.risk_asset.risk_id IS 'The risk (isms.risk.id)';
COMMENT ON COLUMN isms.risk_asset.asset_id IS 'The affected asset (isms.asset.id)';

SELECT pg_catalog.pg_extension_config_dump('isms.risk_asset', '');

CREATE FUNCTION isms.link_asset(risk_id bigint, asset_id bigint) RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  rscope text;
BEGIN
  SELECT r.scope INTO rscope FROM isms.risk r WHERE r.id OPERATOR(pg_catalog.=) link_asset.risk_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk % does not exist', coalesce(link_asset.risk_id::text, 'NULL')
      USING ERRCODE = 'no_data_found';
  END IF;
  INSERT INTO isms.risk_asset (scope, risk_id, asset_id)
  VALUES (rscope, link_asset.risk_id, link_asset.asset_id)
  ON CONFLICT DO NOTHING;
END
$fn$;
COMMENT ON FUNCTION isms.link_asset(bigint, bigint) IS
  'Links a risk to an asset of the same scope (idempotent); unknown risk: P0002; asset of another scope or unknown: 23503';

CREATE FUNCTION isms.close_risk(risk_id bigint, reason text) RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  st isms.risk_status;
BEGIN
  SELECT r.status INTO st FROM isms.risk r
   WHERE r.id OPERATOR(pg_catalog.=) close_risk.risk_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk % does not exist', coalesce(close_risk.risk_id::text, 'NULL')
      USING ERRCODE = 'no_data_found';
  END IF;
  IF st = 'closed' THEN
    RAISE EXCEPTION 'risk % is already closed', close_risk.risk_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'risk_status_transition',
            SCHEMA = 'isms', TABLE = 'risk';
  END IF;
  IF reason IS NULL OR btrim(reason) = '' THEN
    RAISE EXCEPTION 'closing a risk needs a reason'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  UPDATE isms.risk r SET status = 'closed', status_reason = close_risk.reason
   WHERE r.id OPERATOR(pg_catalog.=) close_risk.risk_id;
END
$fn$;
COMMENT ON FUNCTION isms.close_risk(bigint, text) IS
  'Closes a risk with a reason (any open status may close; a current acceptance is superseded); unknown risk P0002, already closed 23514, no reason 22004';

CREATE FUNCTION isms.reopen_risk(risk_id bigint, reason text) RETURNS isms.risk_status
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  st isms.risk_status;
BEGIN
  SELECT r.status INTO st FROM isms.risk r
   WHERE r.id OPERATOR(pg_catalog.=) reopen_risk.risk_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk % does not exist', coalesce(reopen_risk.risk_id::text, 'NULL')
      USING ERRCODE = 'no_data_found';
  END IF;
  IF st <> 'closed' THEN
    RAISE EXCEPTION 'risk % is not closed (status "%")', reopen_risk.risk_id, st
      USING ERRCODE = 'check_violation', CONSTRAINT = 'risk_status_transition',
            SCHEMA = 'isms', TABLE = 'risk',
            HINT = 'Only a closed risk can be reopened.';
  END IF;
  IF reason IS NULL OR btrim(reason) = '' THEN
    RAISE EXCEPTION 'reopening a risk needs a reason'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  UPDATE isms.risk r
     SET status = CASE WHEN r.inherent IS NULL THEN 'identified' ELSE 'assessed' END::isms.risk_status,
         status_reason = reopen_risk.reason
   WHERE r.id OPERATOR(pg_catalog.=) reopen_risk.risk_id
  RETURNING r.status INTO st;
  RETURN st;
END
$fn$;
COMMENT ON FUNCTION isms.reopen_risk(bigint, text) IS
  'Reopens a closed risk with a reason; it returns to assessed (identified without inherent score) and the new status is returned; unknown risk P0002, not closed 23514, no reason 22004';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.link_asset', 'write', NULL),
  ('isms.close_risk', 'write', NULL),
  ('isms.reopen_risk', 'write', NULL);
