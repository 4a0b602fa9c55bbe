-- Part of 0.1.0 -> 0.2.0 for sql/405_reminder_kind.sql, sql/410_reminder.sql
-- and the reminder wiring of 420, 440, 510, 520, 530 and 620 (issue 17):
-- the hand-written reminder triggers and the per-row and set-based
-- reminder API go; the reminder-kind catalogue, the one reminder trigger
-- and one reminder source (a view) per subject table come.  isms.reminder
-- keeps every row as it is: the sources are attached without a sync, so
-- every UID, SEQUENCE and status stays (test/suites/962_upgrade.sh).

-- The old wiring: triggers first, then their functions.
DROP TRIGGER risk_reminders_insert ON isms.risk;
DROP TRIGGER risk_reminders_update ON isms.risk;
DROP TRIGGER risk_reminders_delete ON isms.risk;
DROP TRIGGER soa_entry_reminders_insert ON isms.soa_entry;
DROP TRIGGER soa_entry_reminders_update ON isms.soa_entry;
DROP TRIGGER soa_entry_reminders_delete ON isms.soa_entry;
DROP TRIGGER acceptance_reminders_insert ON isms.acceptance;
DROP TRIGGER acceptance_reminders_update ON isms.acceptance;
DROP TRIGGER acceptance_reminders_delete ON isms.acceptance;
DROP TRIGGER treatment_reminders_insert ON isms.treatment;
DROP TRIGGER treatment_reminders_update ON isms.treatment;
DROP TRIGGER treatment_reminders_delete ON isms.treatment;
DROP TRIGGER certification_schedule ON isms.certification;
DROP TRIGGER audit_schedule ON isms.audit;
DROP TRIGGER document_schedule ON isms.document;
DROP TRIGGER finding_schedule ON isms.finding;
DROP TRIGGER corrective_action_after_write ON isms.corrective_action;
DROP TRIGGER processing_activity_schedule ON isms.processing_activity;
DROP FUNCTION isms.risk_reminders();
DROP FUNCTION isms.soa_entry_reminders();
DROP FUNCTION isms.acceptance_reminders();
DROP FUNCTION isms.treatment_reminders();
DROP FUNCTION isms.document_schedule();
DROP FUNCTION isms.finding_schedule();
DROP FUNCTION isms.processing_activity_schedule();
DROP FUNCTION isms.certification_schedule();
DROP FUNCTION isms.audit_schedule();
DROP FUNCTION isms.corrective_action_after_write();
DROP FUNCTION isms.audit_reminder_kind(isms.audit_kind);
DROP FUNCTION isms.reminder_sync(text, regclass, text, text, text, text, text, date, text, interval[], timestamptz, timestamptz, date);
DROP FUNCTION isms.reminder_cancel(text, regclass, text);
DROP FUNCTION isms.reminder_done(text, regclass, text);
DROP FUNCTION isms.reminder_sync_set(isms.reminder_item[]);
DROP FUNCTION isms.reminder_close_set(text, regclass, text[], isms.reminder_status);
DELETE FROM isms.function_class WHERE function_name IN (
  'isms.risk_reminders', 'isms.soa_entry_reminders', 'isms.acceptance_reminders', 'isms.treatment_reminders',
  'isms.document_schedule', 'isms.finding_schedule', 'isms.processing_activity_schedule',
  'isms.reminder_sync', 'isms.reminder_cancel', 'isms.reminder_done', 'isms.reminder_sync_set', 'isms.reminder_close_set');
UPDATE isms.table_class SET reason = 'written only by isms.reminder_trigger(), which isms.attach_reminders puts on the subject tables' WHERE table_name = 'isms.reminder';
COMMENT ON TYPE isms.reminder_item IS
  'One reminder as isms.reminder_trigger hands it to the writer of isms.reminder (internal)';

-- sql/405_reminder_kind.sql (isms.audit_kind exists: 0.1.0 made it in 420).
-- The rule for a reminder kind's name, in C: isms.reminder_kind and
-- isms.reminder check it (a regular expression for it cost a bulk load of
-- reminders more than the rest of their CHECKs).
CREATE FUNCTION isms.kind_is_valid(kind text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'isms_kind_is_valid'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.kind_is_valid(text) IS
  'True if kind is a reminder kind name: a lowercase letter, then lowercase letters, digits and "_", 63 characters at most';
INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.kind_is_valid', 'read', NULL);

CREATE TABLE isms.reminder_kind (
  kind        text PRIMARY KEY
              CONSTRAINT reminder_kind_name CHECK (isms.kind_is_valid(kind)),
  subject     regclass NOT NULL,
  component   text NOT NULL DEFAULT 'VEVENT'
              CONSTRAINT reminder_kind_component CHECK (component IN ('VEVENT', 'VTODO')),
  audit_kind  isms.audit_kind CONSTRAINT reminder_kind_one_per_audit_kind UNIQUE,
  -- Checked where they land: isms.reminder's reminder_alarms_valid.
  alarms      interval[],
  description text NOT NULL CONSTRAINT reminder_kind_description_not_blank CHECK (btrim(description) <> '')
);
COMMENT ON TABLE isms.reminder_kind IS
  'Every kind of reminder: its subject table, calendar component, audit kind and default alarms; read by isms.ical_export, isms.ical_import and the reminder sources';
COMMENT ON COLUMN isms.reminder_kind.kind IS 'Reminder kind (isms.reminder.kind), e.g. risk_review';
COMMENT ON COLUMN isms.reminder_kind.subject IS 'Table whose rows have reminders of this kind (isms.reminder.subject)';
COMMENT ON COLUMN isms.reminder_kind.component IS
  'VEVENT: always an event (audits, expiries); VTODO: a task, exported as VTODO when isms.ical_export is asked for tasks (review_component vtodo), else as an event';
COMMENT ON COLUMN isms.reminder_kind.audit_kind IS
  'The audit kind this reminder kind stands for (audit reminders, and the audit an imported invitation fills); NULL for other kinds';
COMMENT ON COLUMN isms.reminder_kind.alarms IS
  'Default alarms (how long before the start each fires) for reminders whose source gives none; NULL: no alarm';
COMMENT ON COLUMN isms.reminder_kind.description IS 'What the reminder is for';
-- The kinds on pg_isms's own tables come with the extension; kinds a DBA
-- declares for their own tables are user data.
SELECT pg_catalog.pg_extension_config_dump('isms.reminder_kind',
  'WHERE subject::pg_catalog.oid OPERATOR(pg_catalog.<>) ALL (ARRAY(SELECT c.oid FROM pg_catalog.pg_class c WHERE c.relnamespace OPERATOR(pg_catalog.=) ''isms''::pg_catalog.regnamespace))');

-- sql/410_reminder.sql: the one reminder trigger and its helpers.
-- The one reminder trigger: AFTER INSERT, UPDATE and DELETE, per statement,
-- with the transition tables; its argument names the reminder source.
-- SECURITY DEFINER: it writes isms.reminder, which only the extension owner
-- may; search_path is pinned in C (after the restore check has read the
-- caller's), and the source is one the attaching owner owns.
CREATE FUNCTION isms.reminder_trigger() RETURNS trigger
  AS 'MODULE_PATHNAME', 'isms_reminder_trigger'
  LANGUAGE C SECURITY DEFINER;
COMMENT ON FUNCTION isms.reminder_trigger() IS
  'Trigger: keeps the reminders of the written rows as the reminder source (the trigger''s argument) says: scheduled rows upserted (SEQUENCE + 1 on change), done ones done, every other reminder of those rows cancelled; set by isms.attach_reminders';

-- Per row inside the trigger's statement: does the row go into
-- isms.reminder (scheduled or done)?  Raises for an undeclared kind (23503)
-- or an unknown status (22023), undoing the statement.
CREATE FUNCTION isms.reminder_row_wanted(subject regclass, source regclass, st text, unknown boolean,
    kind text, status text)
  RETURNS boolean
  AS 'MODULE_PATHNAME', 'isms_reminder_row_wanted'
  LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION isms.reminder_row_wanted(regclass, regclass, text, boolean, text, text) IS
  'Internal to isms.reminder_trigger: whether a row of a reminder source is written (status scheduled or done); raises for a kind not declared for the subject or a status the rule does not know';

CREATE FUNCTION isms.reminder_source_sync(subject regclass, source regclass, apply boolean)
  RETURNS bigint
  AS 'MODULE_PATHNAME', 'isms_reminder_source_sync'
  LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION isms.reminder_source_sync(regclass, regclass, boolean) IS
  'Internal to isms.attach_reminders: check that source can feed the reminders of subject; with apply, bring the reminders of every row in line with it and return how many it wrote or cancelled';

-- Declare a reminder source: one view (or table) with the subject's
-- primary-key columns and the reminder columns, and the triggers that keep
-- isms.reminder in step with it.  Attaching again replaces the source.
CREATE FUNCTION isms.attach_reminders(subject regclass, source regclass, kind text DEFAULT NULL,
    component text DEFAULT 'VEVENT', alarms interval[] DEFAULT NULL, description text DEFAULT NULL,
    sync boolean DEFAULT true)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  src record;
  tab record;
  t name;
BEGIN
  IF subject IS NULL OR source IS NULL OR sync IS NULL THEN
    RAISE EXCEPTION 'subject, source and sync must not be NULL' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  SELECT c.relkind, c.relowner, pg_catalog.format('%I.%I', n.nspname, c.relname) AS name INTO src
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE c.oid = source;
  SELECT c.relkind, pg_catalog.format('%I.%I', n.nspname, c.relname) AS name INTO tab
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE c.oid = subject;
  IF tab.relkind NOT IN ('r', 'p') THEN
    RAISE EXCEPTION '% is not a table', subject USING ERRCODE = 'wrong_object_type',
      DETAIL = 'Reminders are attached to tables.';
  END IF;
  -- The source is read with the extension owner's rights whenever the
  -- table is written: only a source of the attaching role's own.
  IF src.relowner OPERATOR(pg_catalog.<>) (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER) THEN
    RAISE EXCEPTION 'reminder source % is not owned by %', source, CURRENT_USER
      USING ERRCODE = 'insufficient_privilege',
            DETAIL = 'The source is read with the rights of the extension owner whenever the table is written.',
            HINT = 'Create the view as the role that attaches it, or ALTER VIEW ... OWNER TO that role.';
  END IF;
  IF kind IS NOT NULL THEN
    INSERT INTO isms.reminder_kind AS k (kind, subject, component, alarms, description)
    VALUES (kind, subject, component, alarms, coalesce(description, kind))
    ON CONFLICT ON CONSTRAINT reminder_kind_pkey DO UPDATE
      SET component = excluded.component, alarms = excluded.alarms, description = excluded.description
      WHERE k.subject::pg_catalog.oid OPERATOR(pg_catalog.=) excluded.subject::pg_catalog.oid;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'reminder kind "%" belongs to another table', kind
        USING ERRCODE = 'unique_violation',
              DETAIL = pg_catalog.format('It is declared for %s.',
                (SELECT k.subject FROM isms.reminder_kind k WHERE k.kind OPERATOR(pg_catalog.=) attach_reminders.kind));
    END IF;
  END IF;
  -- The source is checked before any trigger exists.
  PERFORM isms.reminder_source_sync(subject, source, false);
  FOR t IN SELECT g.tgname FROM pg_catalog.pg_trigger g
            WHERE g.tgrelid OPERATOR(pg_catalog.=) subject
              AND g.tgfoid OPERATOR(pg_catalog.=) 'isms.reminder_trigger()'::pg_catalog.regprocedure
            ORDER BY 1
  LOOP
    EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', t, tab.name);
  END LOOP;
  EXECUTE pg_catalog.format('CREATE TRIGGER isms_reminders_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows'
    ' FOR EACH STATEMENT EXECUTE FUNCTION isms.reminder_trigger(%L)', tab.name, src.name);
  EXECUTE pg_catalog.format('CREATE TRIGGER isms_reminders_update AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
    ' FOR EACH STATEMENT EXECUTE FUNCTION isms.reminder_trigger(%L)', tab.name, src.name);
  EXECUTE pg_catalog.format('CREATE TRIGGER isms_reminders_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows'
    ' FOR EACH STATEMENT EXECUTE FUNCTION isms.reminder_trigger(%L)', tab.name, src.name);
  IF sync THEN
    RETURN isms.reminder_source_sync(subject, source, true);
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.attach_reminders(regclass, regclass, text, text, interval[], text, boolean) IS
  'Put a table''s deadlines on the ISMS calendar: source (a view of the caller''s with the table''s primary-key columns, kind, scope, summary, due and optional reminder columns) says which reminders each row has; triggers keep isms.reminder in step; kind (with component, alarms, description) declares a kind in isms.reminder_kind; sync brings existing rows in at once; returns the reminders written or cancelled';

CREATE FUNCTION isms.detach_reminders(subject regclass) RETURNS integer
  LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  t name;
  n integer := 0;
BEGIN
  FOR t IN SELECT g.tgname FROM pg_catalog.pg_trigger g
            WHERE g.tgrelid OPERATOR(pg_catalog.=) subject
              AND g.tgfoid OPERATOR(pg_catalog.=) 'isms.reminder_trigger()'::pg_catalog.regprocedure
            ORDER BY 1
  LOOP
    EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', t, subject);
    n := n OPERATOR(pg_catalog.+) 1;
  END LOOP;
  RETURN n;
END
$$;
COMMENT ON FUNCTION isms.detach_reminders(regclass) IS
  'Take the reminder triggers off a table (its reminders stay as they are); returns how many triggers were dropped';

-- Where each table's reminders come from: the attached sources.
CREATE VIEW isms.reminder_source AS
SELECT g.tgrelid::pg_catalog.regclass AS subject,
       pg_catalog.to_regclass(pg_catalog.convert_from(pg_catalog.substr(g.tgargs, 1,
         pg_catalog.position(g.tgargs, '\000'::bytea) OPERATOR(pg_catalog.-) 1), 'UTF8')) AS source
  FROM pg_catalog.pg_trigger g
 WHERE g.tgfoid OPERATOR(pg_catalog.=) 'isms.reminder_trigger()'::pg_catalog.regprocedure
   AND g.tgtype::integer OPERATOR(pg_catalog.&) 4 OPERATOR(pg_catalog.<>) 0;
COMMENT ON VIEW isms.reminder_source IS
  'Every table with reminders attached (isms.attach_reminders) and the source its reminders come from';
COMMENT ON COLUMN isms.reminder_source.subject IS 'The subject table';
COMMENT ON COLUMN isms.reminder_source.source IS 'The view (or table) that says which reminders each row has';
REVOKE ALL ON FUNCTION isms.reminder_trigger(), isms.reminder_source_sync(regclass, regclass, boolean),
  isms.reminder_row_wanted(regclass, regclass, text, boolean, text, text),
  isms.attach_reminders(regclass, regclass, text, text, interval[], text, boolean), isms.detach_reminders(regclass)
  FROM PUBLIC;
INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.reminder_trigger', 'internal', NULL),
  ('isms.reminder_row_wanted', 'internal', 'a check inside the reminder trigger''s statement'),
  ('isms.reminder_source_sync', 'internal', 'called by isms.attach_reminders, which checks the source first'),
  ('isms.attach_reminders', 'owner', 'creates triggers, and the source it attaches is read with the extension owner''s rights'),
  ('isms.detach_reminders', 'owner', 'drops triggers: needs ownership of the table');

-- sql/420_certification.sql
-- The reminder kinds of certificates and audits; each audit kind has its
-- own (isms.reminder_kind.audit_kind), which the import reads back.
INSERT INTO isms.reminder_kind (kind, subject, component, audit_kind, alarms, description) VALUES
  ('certificate_expiry', 'isms.certification', 'VEVENT', NULL, '{90 days,30 days}', 'Expiry of a certificate'),
  ('stage1_audit', 'isms.audit', 'VEVENT', 'stage1', '{30 days,7 days}', 'Stage 1 certification audit'),
  ('stage2_audit', 'isms.audit', 'VEVENT', 'stage2', '{30 days,7 days}', 'Stage 2 certification audit'),
  ('surveillance_audit', 'isms.audit', 'VEVENT', 'surveillance', '{30 days,7 days}', 'Surveillance audit of the certification cycle'),
  ('recertification_audit', 'isms.audit', 'VEVENT', 'recertification', '{30 days,7 days}', 'Recertification audit before the certificate expires'),
  ('internal_audit', 'isms.audit', 'VEVENT', 'internal', '{14 days}', 'Internal audit (ISO/IEC 27001 9.2)'),
  ('management_review', 'isms.audit', 'VTODO', 'management_review', '{14 days}', 'Management review (ISO/IEC 27001 9.3)');

CREATE FUNCTION isms.audit_reminder_kind(kind isms.audit_kind) RETURNS text
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT k.kind FROM isms.reminder_kind k WHERE k.audit_kind OPERATOR(pg_catalog.=) audit_reminder_kind.kind
$$;
COMMENT ON FUNCTION isms.audit_reminder_kind(isms.audit_kind) IS
  'Reminder kind of an audit kind, from isms.reminder_kind: stage1_audit, stage2_audit, surveillance_audit, recertification_audit, internal_audit, management_review';

CREATE FUNCTION isms.certification_schedule() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  c isms.certification := NEW;
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO isms.audit (scope, kind, certification, cycle_year, due_by)
    SELECT c.scope, p.kind, c.id, p.cycle_year, p.due_by
      FROM isms.certification_cycle(c.cycle_start, c.expires_on, c.recertification_lead) AS p;
    IF c.previous IS NOT NULL THEN
      UPDATE isms.certification SET status = 'superseded'
       WHERE id = c.previous AND status IN ('active', 'suspended');
    END IF;
  ELSIF (NEW.cycle_start, NEW.expires_on, NEW.recertification_lead, NEW.scope)
        IS DISTINCT FROM (OLD.cycle_start, OLD.expires_on, OLD.recertification_lead, OLD.scope) THEN
    -- Reschedule the open audits of the cycle; completed and cancelled ones are history.
    UPDATE isms.audit a SET due_by = p.due_by, scope = c.scope
      FROM isms.certification_cycle(c.cycle_start, c.expires_on, c.recertification_lead) AS p
     WHERE a.certification = c.id AND a.cycle_year = p.cycle_year
       AND a.status IN ('planned', 'confirmed')
       AND (a.due_by, a.scope) IS DISTINCT FROM (p.due_by, c.scope);
  END IF;

  IF c.status = 'withdrawn' THEN
    UPDATE isms.audit SET status = 'cancelled'
     WHERE certification = c.id AND status IN ('planned', 'confirmed');
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.certification_schedule() IS
  'Trigger: creates and reschedules the surveillance and recertification audits of a certificate; withdrawing it cancels its open audits';

CREATE TRIGGER certification_schedule AFTER INSERT OR UPDATE ON isms.certification
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.certification_schedule();

CREATE FUNCTION isms.audit_schedule() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  a isms.audit := NEW;
  next_due date;
BEGIN
  IF a.status = 'completed' THEN
    IF a.repeat_every IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM isms.audit WHERE follows = a.id) THEN
      next_due := isms.next_due(a.due_by, a.repeat_every, a.completed_on);
      INSERT INTO isms.audit (scope, kind, title, due_by, auditor, repeat_every, follows)
      VALUES (a.scope, a.kind, a.title, next_due, a.auditor, a.repeat_every, a.id);
    END IF;
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.audit_schedule() IS
  'Trigger: schedules the next internal audit or management review when one is completed';

CREATE TRIGGER audit_schedule AFTER INSERT OR UPDATE ON isms.audit
  FOR EACH ROW WHEN (NEW.status = 'completed' AND NOT isms.restore_in_progress())
  EXECUTE FUNCTION isms.audit_schedule();

-- The reminders: the certificate's expiry (done once superseded, cancelled
-- when withdrawn) and every audit's date (done when completed, cancelled
-- when cancelled), each audit under its kind's reminder kind.
CREATE VIEW isms.certification_reminder AS
SELECT c.id, 'certificate_expiry'::text AS kind, c.scope,
       format('Certificate expires: %s%s (%s)', c.standard,
              coalesce(' no. ' || c.certificate_number, ''), c.certification_body) AS summary,
       format('Certification body: %s. Decision: %s. Cycle start: %s. Expiry: %s.%s',
              c.certification_body, to_char(c.decided_on, 'YYYY-MM-DD'),
              to_char(c.cycle_start, 'YYYY-MM-DD'), to_char(c.expires_on, 'YYYY-MM-DD'),
              CASE c.status WHEN 'suspended' THEN ' The certificate is SUSPENDED.' ELSE '' END) AS description,
       c.expires_on AS due,
       CASE c.status WHEN 'withdrawn' THEN 'cancelled' WHEN 'superseded' THEN 'done' ELSE 'scheduled' END AS status
  FROM isms.certification c;
COMMENT ON VIEW isms.certification_reminder IS
  'Reminder source of isms.certification (isms.attach_reminders): the certificate_expiry reminder of each certificate; superseded: done; withdrawn: cancelled';
COMMENT ON COLUMN isms.certification_reminder.id IS 'Certificate id (isms.certification.id): the subject key';
COMMENT ON COLUMN isms.certification_reminder.kind IS 'certificate_expiry';
COMMENT ON COLUMN isms.certification_reminder.scope IS 'Certified scope';
COMMENT ON COLUMN isms.certification_reminder.summary IS 'Calendar title: standard, number and body';
COMMENT ON COLUMN isms.certification_reminder.description IS 'Body, decision, cycle start and expiry; whether it is suspended';
COMMENT ON COLUMN isms.certification_reminder.due IS 'Expiry date';
COMMENT ON COLUMN isms.certification_reminder.status IS 'scheduled, done (superseded) or cancelled (withdrawn)';
SELECT isms.attach_reminders('isms.certification', 'isms.certification_reminder', sync => false);

CREATE VIEW isms.audit_reminder AS
SELECT a.id, k.kind, a.scope, a.auditor AS owner,
       coalesce(a.title,
         CASE a.kind
           WHEN 'stage1' THEN 'Stage 1 certification audit'
           WHEN 'stage2' THEN 'Stage 2 certification audit'
           WHEN 'surveillance' THEN 'Surveillance audit' || coalesce(' ' || a.cycle_year, '')
           WHEN 'recertification' THEN 'Recertification audit'
           WHEN 'internal' THEN 'Internal audit'
           ELSE 'Management review' END
         || CASE WHEN cert.id IS NOT NULL THEN format(' (%s, %s)', cert.standard, cert.certification_body) ELSE '' END) AS summary,
       concat_ws(E'\n', 'Due by: ' || to_char(a.due_by, 'YYYY-MM-DD'), 'Status: ' || a.status::text, a.notes) AS description,
       coalesce(a.planned_start, a.due_by) AS due,
       CASE WHEN a.planned_end > a.planned_start THEN a.planned_end END AS last_day,
       CASE a.status WHEN 'cancelled' THEN 'cancelled' WHEN 'completed' THEN 'done' ELSE 'scheduled' END AS status
  FROM isms.audit a
  JOIN isms.reminder_kind k ON k.audit_kind = a.kind
  LEFT JOIN isms.certification cert ON cert.id = a.certification;
COMMENT ON VIEW isms.audit_reminder IS
  'Reminder source of isms.audit (isms.attach_reminders): each audit''s reminder under the reminder kind of its audit kind (isms.reminder_kind.audit_kind), on the planned dates or the due date; completed: done; cancelled: cancelled';
COMMENT ON COLUMN isms.audit_reminder.id IS 'Audit id (isms.audit.id): the subject key';
COMMENT ON COLUMN isms.audit_reminder.kind IS 'Reminder kind of the audit kind (stage1_audit, ..., management_review)';
COMMENT ON COLUMN isms.audit_reminder.scope IS 'Audited scope';
COMMENT ON COLUMN isms.audit_reminder.owner IS 'Lead auditor or audit team';
COMMENT ON COLUMN isms.audit_reminder.summary IS 'Calendar title: the audit''s title, else one made from its kind and certificate';
COMMENT ON COLUMN isms.audit_reminder.description IS 'Due date, status and notes';
COMMENT ON COLUMN isms.audit_reminder.due IS 'First planned day, else the due date';
COMMENT ON COLUMN isms.audit_reminder.last_day IS 'Last planned day of a multi-day audit';
COMMENT ON COLUMN isms.audit_reminder.status IS 'scheduled, done (completed) or cancelled';
SELECT isms.attach_reminders('isms.audit', 'isms.audit_reminder', sync => false);
REVOKE ALL ON FUNCTION isms.certification_schedule(), isms.audit_schedule() FROM PUBLIC;

-- sql/440_review_schedule.sql
-- Reminders of risks: a review on next_review until the risk is closed.
INSERT INTO isms.reminder_kind (kind, subject, component, alarms, description) VALUES
  ('risk_review', 'isms.risk', 'VTODO', '{7 days}', 'Review of a risk, due on its next_review');
CREATE VIEW isms.risk_reminder AS
SELECT r.id, 'risk_review'::text AS kind, r.scope, r.owner,
       'Review risk ' || r.ref || ': ' || r.title AS summary,
       concat_ws(E'\n', 'Residual: ' || r.residual::text, 'Inherent: ' || r.inherent::text,
                 'Status: ' || r.status::text) AS description,
       r.next_review AS due,
       CASE WHEN r.status = 'closed' THEN 'cancelled' ELSE 'scheduled' END AS status
  FROM isms.risk r;
COMMENT ON VIEW isms.risk_reminder IS
  'Reminder source of isms.risk (isms.attach_reminders): the risk_review reminder of each risk, on its next review; closed: cancelled';
COMMENT ON COLUMN isms.risk_reminder.id IS 'Risk id (isms.risk.id): the subject key';
COMMENT ON COLUMN isms.risk_reminder.kind IS 'risk_review';
COMMENT ON COLUMN isms.risk_reminder.scope IS 'Scope of the risk';
COMMENT ON COLUMN isms.risk_reminder.owner IS 'Risk owner';
COMMENT ON COLUMN isms.risk_reminder.summary IS 'Calendar title';
COMMENT ON COLUMN isms.risk_reminder.description IS 'Residual and inherent score and status';
COMMENT ON COLUMN isms.risk_reminder.due IS 'Next review (NULL: no reminder)';
COMMENT ON COLUMN isms.risk_reminder.status IS 'scheduled, or cancelled for a closed risk';
SELECT isms.attach_reminders('isms.risk', 'isms.risk_reminder', sync => false);
INSERT INTO isms.reminder_kind (kind, subject, component, alarms, description) VALUES
  ('soa_review', 'isms.soa_entry', 'VTODO', '{7 days}', 'Review of a Statement of Applicability entry, due on its next_review');
CREATE VIEW isms.soa_entry_reminder AS
SELECT e.scope, e.framework, e.control_ref, 'soa_review'::text AS kind, e.owner,
       'Review SoA entry ' || e.control_ref || ' ' || c.title AS summary,
       concat_ws(E'\n', 'Framework: ' || e.framework,
                 'Applicable: ' || CASE e.applicable WHEN true THEN 'yes' WHEN false THEN 'no' ELSE 'not decided' END,
                 'Status: ' || e.status::text,
                 'Last reviewed: ' || to_char(e.last_reviewed, 'YYYY-MM-DD')) AS description,
       e.next_review AS due
  FROM isms.soa_entry e JOIN isms.control c ON c.framework = e.framework AND c.ref = e.control_ref;
COMMENT ON VIEW isms.soa_entry_reminder IS
  'Reminder source of isms.soa_entry (isms.attach_reminders): the soa_review reminder of each entry on its next review (subject key scope|framework|control_ref)';
COMMENT ON COLUMN isms.soa_entry_reminder.scope IS 'Scope of the entry: part of the subject key, and the reminder''s scope';
COMMENT ON COLUMN isms.soa_entry_reminder.framework IS 'Framework of the control: part of the subject key';
COMMENT ON COLUMN isms.soa_entry_reminder.control_ref IS 'Control reference: part of the subject key';
COMMENT ON COLUMN isms.soa_entry_reminder.kind IS 'soa_review';
COMMENT ON COLUMN isms.soa_entry_reminder.owner IS 'Owner of the entry';
COMMENT ON COLUMN isms.soa_entry_reminder.summary IS 'Calendar title';
COMMENT ON COLUMN isms.soa_entry_reminder.description IS 'Framework, applicability, status and last review';
COMMENT ON COLUMN isms.soa_entry_reminder.due IS 'Next review (NULL: no reminder)';
SELECT isms.attach_reminders('isms.soa_entry', 'isms.soa_entry_reminder', sync => false);
INSERT INTO isms.reminder_kind (kind, subject, component, alarms, description) VALUES
  ('acceptance_expiry', 'isms.acceptance', 'VEVENT', '{30 days,7 days}', 'Expiry of a risk acceptance in force'),
  ('treatment_due', 'isms.treatment', 'VTODO', '{14 days,1 day}', 'Due date of an open risk treatment plan');
CREATE VIEW isms.acceptance_reminder AS
SELECT a.id, 'acceptance_expiry'::text AS kind, k.scope, k.owner,
       'Risk acceptance expires: ' || k.ref || ' ' || k.title AS summary,
       concat_ws(E'\n', 'Approved by: ' || a.approver, 'Accepted on: ' || to_char(a.accepted_on, 'YYYY-MM-DD'),
                 'Residual at decision: ' || a.residual::text || ' (' || a.residual_level || ')') AS description,
       a.valid_until AS due,
       CASE WHEN a.superseded_at IS NULL THEN 'scheduled' ELSE 'cancelled' END AS status
  FROM isms.acceptance a JOIN isms.risk k ON k.id = a.risk_id;
COMMENT ON VIEW isms.acceptance_reminder IS
  'Reminder source of isms.acceptance (isms.attach_reminders): an acceptance in force has an acceptance_expiry reminder at valid_until; superseded: cancelled';
COMMENT ON COLUMN isms.acceptance_reminder.id IS 'Acceptance id (isms.acceptance.id): the subject key';
COMMENT ON COLUMN isms.acceptance_reminder.kind IS 'acceptance_expiry';
COMMENT ON COLUMN isms.acceptance_reminder.scope IS 'Scope of the accepted risk';
COMMENT ON COLUMN isms.acceptance_reminder.owner IS 'Owner of the accepted risk';
COMMENT ON COLUMN isms.acceptance_reminder.summary IS 'Calendar title';
COMMENT ON COLUMN isms.acceptance_reminder.description IS 'Approver, date and residual at the decision';
COMMENT ON COLUMN isms.acceptance_reminder.due IS 'End of validity (valid_until)';
COMMENT ON COLUMN isms.acceptance_reminder.status IS 'scheduled, or cancelled once superseded';
SELECT isms.attach_reminders('isms.acceptance', 'isms.acceptance_reminder', sync => false);

CREATE VIEW isms.treatment_reminder AS
SELECT t.id, 'treatment_due'::text AS kind, k.scope, t.owner,
       'Treatment plan due (' || t.option::text || '): ' || k.ref || ' ' || k.title AS summary,
       concat_ws(E'\n', t.plan, 'Status: ' || t.status) AS description,
       t.due,
       CASE WHEN t.status = 'done' THEN 'done'
            WHEN t.status IN ('planned', 'in_progress') THEN 'scheduled'
            ELSE 'cancelled' END AS status
  FROM isms.treatment t JOIN isms.risk k ON k.id = t.risk_id;
COMMENT ON VIEW isms.treatment_reminder IS
  'Reminder source of isms.treatment (isms.attach_reminders): an open plan with a due date has a treatment_due reminder; done: done; cancelled or without due date: cancelled';
COMMENT ON COLUMN isms.treatment_reminder.id IS 'Treatment id (isms.treatment.id): the subject key';
COMMENT ON COLUMN isms.treatment_reminder.kind IS 'treatment_due';
COMMENT ON COLUMN isms.treatment_reminder.scope IS 'Scope of the treated risk';
COMMENT ON COLUMN isms.treatment_reminder.owner IS 'Owner of the plan';
COMMENT ON COLUMN isms.treatment_reminder.summary IS 'Calendar title';
COMMENT ON COLUMN isms.treatment_reminder.description IS 'The plan and its status';
COMMENT ON COLUMN isms.treatment_reminder.due IS 'Due date of the plan (NULL: no reminder)';
COMMENT ON COLUMN isms.treatment_reminder.status IS 'scheduled (planned, in progress), done, or cancelled';
SELECT isms.attach_reminders('isms.treatment', 'isms.treatment_reminder', sync => false);

-- sql/510_document.sql
-- The review reminder of each document, on its next review; retiring it
-- cancels the reminder.
INSERT INTO isms.reminder_kind (kind, subject, component, alarms, description) VALUES
  ('document_review', 'isms.document', 'VTODO', '{14 days}', 'Review of a document of the ISMS (ISO/IEC 27001 7.5)');
CREATE VIEW isms.document_reminder AS
SELECT d.id, 'document_review'::text AS kind, d.scope, d.owner,
       format('Review %s %s: %s', d.kind, d.ref, d.title) AS summary,
       concat_ws(E'\n',
         'Version: ' || coalesce(d.version, 'none'),
         CASE WHEN d.approved_on IS NULL THEN 'Not approved yet (draft).'
              ELSE format('Approved by %s on %s.', d.approved_by, to_char(d.approved_on, 'YYYY-MM-DD')) END,
         'Location: ' || d.location,
         'Review every ' || d.review_interval::text || '.') AS description,
       d.next_review AS due,
       CASE WHEN d.retired_on IS NULL THEN 'scheduled' ELSE 'cancelled' END AS status
  FROM isms.document d;
COMMENT ON VIEW isms.document_reminder IS
  'Reminder source of isms.document (isms.attach_reminders): the document_review reminder of each document on its next review; retired: cancelled';
COMMENT ON COLUMN isms.document_reminder.id IS 'Document id (isms.document.id): the subject key';
COMMENT ON COLUMN isms.document_reminder.kind IS 'document_review';
COMMENT ON COLUMN isms.document_reminder.scope IS 'Scope of the document';
COMMENT ON COLUMN isms.document_reminder.owner IS 'Owner of the document';
COMMENT ON COLUMN isms.document_reminder.summary IS 'Calendar title: kind, reference and title';
COMMENT ON COLUMN isms.document_reminder.description IS 'Version, approval, location and review interval';
COMMENT ON COLUMN isms.document_reminder.due IS 'Next review';
COMMENT ON COLUMN isms.document_reminder.status IS 'scheduled, or cancelled once retired';
SELECT isms.attach_reminders('isms.document', 'isms.document_reminder', sync => false);

-- sql/520_finding.sql
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
SELECT isms.attach_reminders('isms.finding', 'isms.finding_reminder', sync => false);

-- sql/530_corrective_action.sql
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

CREATE TRIGGER corrective_action_after_write AFTER UPDATE OR DELETE ON isms.corrective_action
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.corrective_action_after_write();
REVOKE ALL ON FUNCTION isms.corrective_action_after_write() FROM PUBLIC;
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
SELECT isms.attach_reminders('isms.corrective_action', 'isms.corrective_action_reminder', sync => false);

-- sql/620_processing_activity.sql
-- The review reminder: one per activity (kind processing_review), due on
-- next_review; no next review, or a deleted activity, cancels it.
INSERT INTO isms.reminder_kind (kind, subject, component, alarms, description) VALUES
  ('processing_review', 'isms.processing_activity', 'VTODO', '{14 days}', 'Review of a record of processing activity (ISO/IEC 27701)');
CREATE VIEW isms.processing_activity_reminder AS
SELECT a.id, 'processing_review'::text AS kind, a.scope, a.owner,
       format('Review record of processing: %s', a.name) AS summary,
       concat_ws(E'\n',
         'Purpose: ' || a.purpose,
         'Lawful basis: ' || replace(a.lawful_basis::text, '_', ' '),
         'Last reviewed: ' || coalesce(to_char(a.last_reviewed, 'YYYY-MM-DD'), 'never')) AS description,
       a.next_review AS due
  FROM isms.processing_activity a;
COMMENT ON VIEW isms.processing_activity_reminder IS
  'Reminder source of isms.processing_activity (isms.attach_reminders): the processing_review reminder of each activity on its next review';
COMMENT ON COLUMN isms.processing_activity_reminder.id IS 'Activity id (isms.processing_activity.id): the subject key';
COMMENT ON COLUMN isms.processing_activity_reminder.kind IS 'processing_review';
COMMENT ON COLUMN isms.processing_activity_reminder.scope IS 'Scope of the activity';
COMMENT ON COLUMN isms.processing_activity_reminder.owner IS 'Owner of the activity';
COMMENT ON COLUMN isms.processing_activity_reminder.summary IS 'Calendar title';
COMMENT ON COLUMN isms.processing_activity_reminder.description IS 'Purpose, lawful basis and last review';
COMMENT ON COLUMN isms.processing_activity_reminder.due IS 'Next review (NULL: no reminder)';
SELECT isms.attach_reminders('isms.processing_activity', 'isms.processing_activity_reminder', sync => false);

-- The kind rule is one C function (sql/405_reminder_kind.sql) for both tables.
ALTER TABLE isms.reminder DROP CONSTRAINT reminder_kind_format,
  ADD CONSTRAINT reminder_kind_format CHECK (isms.kind_is_valid(kind));
