-- Findings of internal and certification audits (ISO/IEC 27001:2022 9.2,
-- 10.2): major and minor nonconformities, observations and opportunities
-- for improvement, each against a clause or control.  Rules kept by the
-- database: a nonconformity closes only with a corrective action verified
-- effective (530), and a major nonconformity is due within
-- isms.major_nonconformity_days of being raised.

CREATE TYPE isms.finding_kind AS ENUM
  ('major_nonconformity', 'minor_nonconformity', 'observation', 'opportunity_for_improvement');
COMMENT ON TYPE isms.finding_kind IS
  'Classification of an audit finding: major_nonconformity, minor_nonconformity (both need corrective action), observation, opportunity_for_improvement (no formal response)';

CREATE TYPE isms.finding_status AS ENUM ('open', 'closed');
COMMENT ON TYPE isms.finding_status IS
  'open, or closed (a nonconformity only with a corrective action verified effective)';

CREATE FUNCTION isms.is_nonconformity(kind isms.finding_kind) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT kind IN ('major_nonconformity'::isms.finding_kind, 'minor_nonconformity'::isms.finding_kind)
$$;
COMMENT ON FUNCTION isms.is_nonconformity(isms.finding_kind) IS
  'true for major_nonconformity and minor_nonconformity, the kinds that need a corrective action (ISO/IEC 27001:2022 10.2)';

CREATE TABLE isms.finding (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  audit       bigint NOT NULL REFERENCES isms.audit (id),
  ref         text CONSTRAINT finding_ref_format
              CHECK (ref ~ '^[^[:space:][:cntrl:]]([^[:cntrl:]]{0,62}[^[:space:][:cntrl:]])?$'),
  kind        isms.finding_kind NOT NULL,
  framework   text,
  control_ref text,
  statement   text NOT NULL CONSTRAINT finding_statement_not_blank CHECK (btrim(statement) <> ''),
  evidence    text,
  owner       text CONSTRAINT finding_owner_not_blank CHECK (btrim(owner) <> ''),
  raised_on   date NOT NULL DEFAULT current_date CONSTRAINT finding_raised_on_finite CHECK (isfinite(raised_on)),
  due         date CONSTRAINT finding_due_finite CHECK (isfinite(due)),
  status      isms.finding_status NOT NULL DEFAULT 'open',
  closed_on   date,
  closed_by   text CONSTRAINT finding_closed_by_not_blank CHECK (btrim(closed_by) <> ''),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT finding_audit_ref_key UNIQUE (audit, ref),
  FOREIGN KEY (framework, control_ref) REFERENCES isms.control (framework, ref),
  CONSTRAINT finding_requirement_complete CHECK ((framework IS NULL) = (control_ref IS NULL)),
  -- A nonconformity is always against a stated requirement (ISO/IEC 17021-1 9.4.5).
  CONSTRAINT finding_nonconformity_requirement CHECK (control_ref IS NOT NULL OR kind NOT IN ('major_nonconformity', 'minor_nonconformity')),
  CONSTRAINT finding_due_after_raised CHECK (due >= raised_on),
  CONSTRAINT finding_closed_on_iff_closed CHECK ((status = 'closed') = (closed_on IS NOT NULL)),
  CONSTRAINT finding_closed_after_raised CHECK (closed_on >= raised_on)
);
CREATE INDEX finding_audit ON isms.finding (audit);
CREATE INDEX finding_open ON isms.finding (kind) WHERE status = 'open';
COMMENT ON TABLE isms.finding IS
  'Findings of internal and certification audits: nonconformities (major, minor), observations and opportunities for improvement, each against a clause or control';
COMMENT ON COLUMN isms.finding.id IS 'Finding id (generated)';
COMMENT ON COLUMN isms.finding.audit IS 'Audit that raised it (isms.audit.id; an internal or certification-body audit, not a management review)';
COMMENT ON COLUMN isms.finding.ref IS 'Reference used in the audit report (e.g. NC-01), unique within its audit; optional';
COMMENT ON COLUMN isms.finding.kind IS 'major_nonconformity, minor_nonconformity, observation or opportunity_for_improvement';
COMMENT ON COLUMN isms.finding.framework IS 'Framework of the requirement: iso27001-2022-clauses for a clause, iso27001-2022 for an Annex A control, ...';
COMMENT ON COLUMN isms.finding.control_ref IS 'Clause or control the finding is against (required for nonconformities), e.g. 9.2.2 or 5.15';
COMMENT ON COLUMN isms.finding.statement IS 'Statement of the finding: what requirement is not fulfilled, or what could improve';
COMMENT ON COLUMN isms.finding.evidence IS 'Objective evidence the auditor saw';
COMMENT ON COLUMN isms.finding.owner IS 'Who must respond (person or role)';
COMMENT ON COLUMN isms.finding.raised_on IS 'Day the finding was raised (normally the last day of the audit)';
COMMENT ON COLUMN isms.finding.due IS
  'When the nonconformity must be closed: for a major at most isms.major_nonconformity_days after raised_on, which is also the default; on the calendar (reminder kind nonconformity_due)';
COMMENT ON COLUMN isms.finding.status IS 'open or closed; a nonconformity closes only with a corrective action verified effective';
COMMENT ON COLUMN isms.finding.closed_on IS 'Day it was closed (defaults to today when status becomes closed)';
COMMENT ON COLUMN isms.finding.closed_by IS 'Who closed it';
COMMENT ON COLUMN isms.finding.created_at IS 'When the row was created';

SELECT pg_catalog.pg_extension_config_dump('isms.finding', '');
SELECT pg_catalog.pg_extension_config_dump('isms.finding_id_seq', '');
COMMENT ON SEQUENCE isms.finding_id_seq IS 'Identity of isms.finding.id';

SELECT isms.attach_change_log('isms.finding');

-- The limit in force.  isms.version() loads the module first, so the value
-- read is the real setting and never a placeholder a session SET before
-- the module was loaded (the setting is superuser-only).
CREATE FUNCTION isms.major_nonconformity_limit() RETURNS integer
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  PERFORM isms.version();
  RETURN pg_catalog.current_setting('isms.major_nonconformity_days')::integer;
END
$$;
COMMENT ON FUNCTION isms.major_nonconformity_limit() IS
  'The setting isms.major_nonconformity_days in force (days from raising a major nonconformity to its latest due date)';

CREATE FUNCTION isms.finding_before_write() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  akind isms.audit_kind;
  lim integer;
BEGIN
  IF TG_OP = 'INSERT' OR NEW.audit <> OLD.audit THEN
    SELECT a.kind INTO akind FROM isms.audit a WHERE a.id = NEW.audit;
    IF akind = 'management_review' THEN
      RAISE EXCEPTION 'audit % is a management review; findings belong to audits', NEW.audit
        USING ERRCODE = 'check_violation', CONSTRAINT = 'finding_audit_kind',
              SCHEMA = 'isms', TABLE = 'finding',
              HINT = 'Record the finding against the internal or certification audit that raised it.';
    END IF;
  END IF;

  IF NEW.kind = 'major_nonconformity'
     AND (TG_OP = 'INSERT' OR (NEW.kind, NEW.raised_on, NEW.due) IS DISTINCT FROM (OLD.kind, OLD.raised_on, OLD.due)) THEN
    lim := isms.major_nonconformity_limit();
    IF NEW.due IS NULL THEN
      NEW.due := NEW.raised_on + lim;
    ELSIF NEW.due > NEW.raised_on + lim THEN
      RAISE EXCEPTION 'a major nonconformity must be due within % days of being raised', lim
        USING ERRCODE = 'check_violation', CONSTRAINT = 'finding_major_due_limit',
              SCHEMA = 'isms', TABLE = 'finding',
              DETAIL = format('Raised on %s, so due on %s at the latest; %s was given.',
                              NEW.raised_on, NEW.raised_on + lim, NEW.due),
              HINT = 'The limit is the setting isms.major_nonconformity_days.';
    END IF;
  END IF;

  IF NEW.status = 'closed' THEN
    IF TG_OP = 'INSERT' OR OLD.status <> 'closed' THEN
      NEW.closed_on := coalesce(NEW.closed_on, current_date);
    END IF;
    IF isms.is_nonconformity(NEW.kind)
       AND (TG_OP = 'INSERT' OR OLD.status <> 'closed' OR OLD.kind <> NEW.kind)
       AND NOT EXISTS (SELECT 1 FROM isms.corrective_action c
                        WHERE c.finding = NEW.id AND c.effective AND c.verified_on <= NEW.closed_on) THEN
      RAISE EXCEPTION 'nonconformity % cannot be closed without a corrective action verified effective',
                      coalesce(NEW.ref, '#' || NEW.id)
        USING ERRCODE = 'check_violation', CONSTRAINT = 'finding_close_needs_effective_action',
              SCHEMA = 'isms', TABLE = 'finding',
              DETAIL = CASE
                WHEN TG_OP = 'INSERT' OR NOT EXISTS (SELECT 1 FROM isms.corrective_action c WHERE c.finding = NEW.id)
                  THEN 'It has no corrective action.'
                WHEN NOT EXISTS (SELECT 1 FROM isms.corrective_action c WHERE c.finding = NEW.id AND c.verified_on IS NOT NULL)
                  THEN 'None of its corrective actions has been verified.'
                WHEN NOT EXISTS (SELECT 1 FROM isms.corrective_action c WHERE c.finding = NEW.id AND c.effective)
                  THEN 'Its corrective actions were verified not effective.'
                ELSE format('No corrective action was verified effective on or before %s.', NEW.closed_on) END,
              HINT = 'Record the verification in isms.corrective_action (verified_by, verified_on, effective = true), then close (ISO/IEC 27001:2022 10.2 d).';
    END IF;
  ELSE
    NEW.closed_on := NULL;
    NEW.closed_by := NULL;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION isms.finding_before_write() IS
  'Trigger: no findings on management reviews; the due date of a major nonconformity (default and limit isms.major_nonconformity_days); a nonconformity closes only with a corrective action verified effective (23514)';

-- The triggers stand aside while pg_restore loads data
-- (isms.restore_in_progress()): a closed finding may arrive before its
-- corrective actions, and the dump already holds the reminders.
CREATE TRIGGER finding_before_write BEFORE INSERT OR UPDATE ON isms.finding
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.finding_before_write();

REVOKE ALL ON FUNCTION isms.finding_before_write() FROM PUBLIC;

-- The due date of each nonconformity; closed: done; deleted, reclassified
-- (no longer a nonconformity) or without a due date: cancelled.
INSERT INTO isms.reminder_kind (kind, subject, component, alarms, description) VALUES
  ('nonconformity_due', 'isms.finding', 'VTODO', '{14 days}', 'Due date of a nonconformity found by an audit (ISO/IEC 27001 10.2)');
CREATE VIEW isms.finding_reminder AS
SELECT f.id, 'nonconformity_due'::text AS kind, a.scope, f.owner,
       format('%s due: %s %s', CASE f.kind WHEN 'major_nonconformity' THEN 'Major nonconformity'
                                           ELSE 'Minor nonconformity' END,
              coalesce(f.ref, '#' || f.id), f.control_ref) AS summary,
       concat_ws(E'\n', f.statement,
         format('Raised on %s by audit %s (%s).', to_char(f.raised_on, 'YYYY-MM-DD'), a.id, a.kind)) AS description,
       f.due,
       CASE WHEN NOT isms.is_nonconformity(f.kind) OR f.due IS NULL THEN 'cancelled'
            WHEN f.status = 'closed' THEN 'done' ELSE 'scheduled' END AS status
  FROM isms.finding f JOIN isms.audit a ON a.id = f.audit;
COMMENT ON VIEW isms.finding_reminder IS
  'Reminder source of isms.finding (isms.attach_reminders): the nonconformity_due reminder of each nonconformity; closed: done; other findings: none';
COMMENT ON COLUMN isms.finding_reminder.id IS 'Finding id (isms.finding.id): the subject key';
COMMENT ON COLUMN isms.finding_reminder.kind IS 'nonconformity_due';
COMMENT ON COLUMN isms.finding_reminder.scope IS 'Scope of the audit that raised it';
COMMENT ON COLUMN isms.finding_reminder.owner IS 'Who must act on the finding';
COMMENT ON COLUMN isms.finding_reminder.summary IS 'Calendar title: grade, reference and control';
COMMENT ON COLUMN isms.finding_reminder.description IS 'The statement, and when and by which audit it was raised';
COMMENT ON COLUMN isms.finding_reminder.due IS 'Due date of the nonconformity';
COMMENT ON COLUMN isms.finding_reminder.status IS 'scheduled, done (closed) or cancelled (not a nonconformity, or no due date)';
SELECT isms.attach_reminders('isms.finding', 'isms.finding_reminder');

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.is_nonconformity', 'read', NULL),
  ('isms.major_nonconformity_limit', 'read', NULL),
  ('isms.finding_before_write', 'internal', NULL);
