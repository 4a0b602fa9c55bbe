-- Certification cycle (ISO/IEC 17021-1 9.1.3, see docs/reference/certification.md
-- for the exact rule and its sources): certificates per scope, the audit
-- programme a trigger keeps in step with them, internal audits and
-- management reviews that schedule their next occurrence, and the
-- reminders of all of them.

-- isms.audit_kind is made with the reminder-kind catalogue
-- (sql/405_reminder_kind.sql), which maps each audit kind to its reminder kind.

CREATE TYPE isms.audit_status AS ENUM ('planned', 'confirmed', 'completed', 'cancelled');
COMMENT ON TYPE isms.audit_status IS
  'planned (due, dates not agreed), confirmed (dates agreed), completed, cancelled';

CREATE TABLE isms.certification (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scope                text NOT NULL REFERENCES isms.scope (id) ON UPDATE CASCADE,
  standard             text NOT NULL DEFAULT 'ISO/IEC 27001:2022'
                       CONSTRAINT certification_standard_not_blank CHECK (btrim(standard) <> ''),
  certification_body   text NOT NULL CONSTRAINT certification_body_not_blank CHECK (btrim(certification_body) <> ''),
  certificate_number   text CONSTRAINT certification_number_not_blank CHECK (btrim(certificate_number) <> ''),
  decided_on           date NOT NULL CONSTRAINT certification_decided_finite CHECK (isfinite(decided_on)),
  cycle_start          date NOT NULL,
  expires_on           date NOT NULL CONSTRAINT certification_expires_finite CHECK (isfinite(expires_on)),
  recertification_lead interval NOT NULL DEFAULT '3 months'
                       CONSTRAINT certification_lead_range CHECK (recertification_lead >= interval '0' AND recertification_lead <= interval '1 year'),
  previous             bigint UNIQUE REFERENCES isms.certification (id),
  status               text NOT NULL DEFAULT 'active'
                       CONSTRAINT certification_status_valid CHECK (status IN ('active', 'suspended', 'superseded', 'withdrawn')),
  created_at           timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT certification_expires_after_decision CHECK (expires_on > decided_on),
  CONSTRAINT certification_cycle_length CHECK (expires_on > cycle_start + interval '2 years' AND expires_on <= cycle_start + interval '3 years'),
  CONSTRAINT certification_not_own_previous CHECK (previous <> id)
);
COMMENT ON TABLE isms.certification IS
  'Certificates per scope: each row is one three-year certification cycle; a trigger keeps its surveillance and recertification audits and the expiry reminder in step';
COMMENT ON COLUMN isms.certification.id IS 'Certificate cycle id';
COMMENT ON COLUMN isms.certification.scope IS 'Certified scope (isms.scope.id)';
COMMENT ON COLUMN isms.certification.standard IS 'Certified standard, default ISO/IEC 27001:2022';
COMMENT ON COLUMN isms.certification.certification_body IS 'Accredited certification body that issued the certificate';
COMMENT ON COLUMN isms.certification.certificate_number IS 'Certificate number as printed';
COMMENT ON COLUMN isms.certification.decided_on IS 'Certification (or recertification) decision date; changing it reschedules the cycle';
COMMENT ON COLUMN isms.certification.cycle_start IS 'Anchor of the cycle (set by the trigger): the decision date, or the previous expiry when a recertification was decided before it';
COMMENT ON COLUMN isms.certification.expires_on IS 'Expiry date; defaults to three years after cycle_start';
COMMENT ON COLUMN isms.certification.recertification_lead IS 'How long before expiry the recertification audit is due (0 to 1 year, default 3 months)';
COMMENT ON COLUMN isms.certification.previous IS 'The certificate this recertification continues (its cycle goes on), or NULL for an initial certification';
COMMENT ON COLUMN isms.certification.status IS 'active, suspended, superseded (by a recertification) or withdrawn';
COMMENT ON COLUMN isms.certification.created_at IS 'When the row was created';
SELECT pg_catalog.pg_extension_config_dump('isms.certification', '');
SELECT pg_catalog.pg_extension_config_dump('isms.certification_id_seq', '');
COMMENT ON SEQUENCE isms.certification_id_seq IS 'Identity of isms.certification.id';

CREATE TABLE isms.audit (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scope          text NOT NULL REFERENCES isms.scope (id) ON UPDATE CASCADE,
  kind           isms.audit_kind NOT NULL,
  title          text CONSTRAINT audit_title_not_blank CHECK (btrim(title) <> ''),
  certification  bigint REFERENCES isms.certification (id) ON DELETE CASCADE,
  cycle_year     smallint CONSTRAINT audit_cycle_year_range CHECK (cycle_year BETWEEN 1 AND 3),
  due_by         date NOT NULL CONSTRAINT audit_due_by_finite CHECK (isfinite(due_by)),
  planned_start  date CONSTRAINT audit_planned_start_finite CHECK (isfinite(planned_start)),
  planned_end    date,
  status         isms.audit_status NOT NULL DEFAULT 'planned',
  auditor        text,
  completed_on   date,
  repeat_every   interval CONSTRAINT audit_repeat_range CHECK (repeat_every >= interval '1 month' AND repeat_every <= interval '3 years'),
  follows        bigint UNIQUE REFERENCES isms.audit (id) ON DELETE SET NULL,
  external_uid   text UNIQUE CONSTRAINT audit_external_uid_not_blank CHECK (btrim(external_uid) <> ''),
  notes          text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT audit_planned_end_after_start CHECK (planned_end IS NULL OR (planned_start IS NOT NULL AND planned_end >= planned_start AND planned_end <= planned_start + 60)),
  CONSTRAINT audit_completed_on_iff_completed CHECK ((status = 'completed') = (completed_on IS NOT NULL)),
  CONSTRAINT audit_cycle_slot CHECK ((cycle_year IS NULL) = (certification IS NULL)
                                     AND (cycle_year IS NULL OR kind IN ('surveillance', 'recertification'))),
  CONSTRAINT audit_repeat_only_internal CHECK (repeat_every IS NULL OR kind IN ('internal', 'management_review')),
  CONSTRAINT audit_one_per_slot UNIQUE (certification, cycle_year)
);
COMMENT ON TABLE isms.audit IS
  'Audit programme: certification-body audits (stage 1, stage 2, surveillance, recertification), internal audits and management reviews, each with its reminder';
COMMENT ON COLUMN isms.audit.id IS 'Audit id';
COMMENT ON COLUMN isms.audit.scope IS 'Audited scope (isms.scope.id)';
COMMENT ON COLUMN isms.audit.kind IS 'stage1, stage2, surveillance, recertification, internal or management_review';
COMMENT ON COLUMN isms.audit.title IS 'Optional title; the calendar shows a generated one when NULL';
COMMENT ON COLUMN isms.audit.certification IS 'Certificate whose cycle scheduled this audit (surveillance and recertification audits made by the trigger)';
COMMENT ON COLUMN isms.audit.cycle_year IS 'Year of the cycle the audit belongs to: 1 and 2 (surveillance), 3 (recertification)';
COMMENT ON COLUMN isms.audit.due_by IS 'Latest date the audit must take place';
COMMENT ON COLUMN isms.audit.planned_start IS 'First planned day (the calendar entry moves here once set)';
COMMENT ON COLUMN isms.audit.planned_end IS 'Last planned day (inclusive)';
COMMENT ON COLUMN isms.audit.status IS 'planned, confirmed, completed or cancelled';
COMMENT ON COLUMN isms.audit.auditor IS 'Lead auditor or audit team';
COMMENT ON COLUMN isms.audit.completed_on IS 'Day the audit (or review) was completed; required when status is completed';
COMMENT ON COLUMN isms.audit.repeat_every IS 'For internal audits and management reviews: interval to the next one (default 1 year); completing this one schedules the next from its due date';
COMMENT ON COLUMN isms.audit.follows IS 'The internal audit or management review whose completion scheduled this one';
COMMENT ON COLUMN isms.audit.external_uid IS 'UID of the invitation a certification body sent, when the audit came from isms.ical_import';
COMMENT ON COLUMN isms.audit.notes IS 'Free notes (shown in the calendar description)';
COMMENT ON COLUMN isms.audit.created_at IS 'When the row was created';
SELECT pg_catalog.pg_extension_config_dump('isms.audit', '');
SELECT pg_catalog.pg_extension_config_dump('isms.audit_id_seq', '');
COMMENT ON SEQUENCE isms.audit_id_seq IS 'Identity of isms.audit.id';

-- The rule, in one place, as a function users and tests can call.  Month
-- arithmetic clamps to the month end (29 February + 12 months = 28 February),
-- which keeps "no later than 12 months" true.
CREATE FUNCTION isms.certification_cycle(cycle_start date, expires_on date,
    recertification_lead interval DEFAULT '3 months')
  RETURNS TABLE (kind isms.audit_kind, cycle_year smallint, due_by date)
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT 'surveillance'::isms.audit_kind, 1::smallint, (cycle_start + interval '12 months')::date
  UNION ALL
  SELECT 'surveillance', 2::smallint, (cycle_start + interval '24 months')::date
  UNION ALL
  SELECT 'recertification', 3::smallint, (expires_on - recertification_lead)::date
$$;
COMMENT ON FUNCTION isms.certification_cycle(date, date, interval) IS
  'The audit programme of one certification cycle: surveillance 1 due 12 months after the cycle start, surveillance 2 due 24 months after, recertification due the lead time before expiry';

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

-- Every trigger below is skipped while pg_restore loads data
-- (isms.restore_in_progress()): the dump already holds the audits and
-- reminders these triggers made, with their ids, UIDs and SEQUENCEs.

-- BEFORE: cycle anchor and default expiry.
CREATE FUNCTION isms.certification_defaults() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  prev isms.certification;
  old_default date;
BEGIN
  IF NEW.previous IS NOT NULL THEN
    SELECT * INTO prev FROM isms.certification WHERE id = NEW.previous;
    IF prev.scope IS DISTINCT FROM NEW.scope THEN
      RAISE EXCEPTION 'a recertification must continue a certificate of the same scope'
        USING ERRCODE = '23514', DETAIL = format('Certificate %s belongs to scope %s, not %s.', NEW.previous, prev.scope, NEW.scope);
    END IF;
  END IF;
  -- A recertification decided before the old expiry keeps the cycle aligned
  -- on the old expiry; otherwise the cycle starts at the decision.
  NEW.cycle_start := CASE WHEN prev.id IS NOT NULL AND NEW.decided_on <= prev.expires_on
                          THEN prev.expires_on ELSE NEW.decided_on END;
  IF TG_OP = 'INSERT' THEN
    IF NEW.expires_on IS NULL THEN
      NEW.expires_on := (NEW.cycle_start + interval '3 years')::date;
    END IF;
  ELSE
    -- A decision-date change moves an expiry that was the default with it.
    old_default := (OLD.cycle_start + interval '3 years')::date;
    IF NEW.cycle_start IS DISTINCT FROM OLD.cycle_start
       AND NEW.expires_on IS NOT DISTINCT FROM OLD.expires_on
       AND OLD.expires_on = old_default THEN
      NEW.expires_on := (NEW.cycle_start + interval '3 years')::date;
    END IF;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION isms.certification_defaults() IS
  'Trigger: sets cycle_start and the default expiry (three years after the cycle start) of a certificate';

-- AFTER: the audits of the cycle (the expiry reminder comes from
-- isms.certification_reminder).
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

CREATE TRIGGER certification_defaults BEFORE INSERT OR UPDATE ON isms.certification
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.certification_defaults();
CREATE TRIGGER certification_schedule AFTER INSERT OR UPDATE ON isms.certification
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.certification_schedule();

-- BEFORE on audits: the review programme's default interval.
CREATE FUNCTION isms.audit_defaults() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF NEW.kind IN ('internal', 'management_review') AND NEW.repeat_every IS NULL
     AND TG_OP = 'INSERT' THEN
    NEW.repeat_every := interval '1 year';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION isms.audit_defaults() IS
  'Trigger: internal audits and management reviews repeat yearly unless repeat_every says otherwise';

-- AFTER on audits: the next internal audit or management review when one
-- is completed (the reminder comes from isms.audit_reminder).  The next due
-- date advances from the intended date (due_by), by whole intervals until
-- it lies after the day the late one was done: the cadence never drifts.
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

CREATE TRIGGER audit_defaults BEFORE INSERT ON isms.audit
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.audit_defaults();
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
SELECT isms.attach_reminders('isms.certification', 'isms.certification_reminder');

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
SELECT isms.attach_reminders('isms.audit', 'isms.audit_reminder');

REVOKE ALL ON FUNCTION isms.certification_schedule(), isms.audit_schedule(),
  isms.certification_defaults(), isms.audit_defaults() FROM PUBLIC;

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.certification_cycle', 'read', NULL),
  ('isms.audit_reminder_kind', 'read', NULL),
  ('isms.certification_defaults', 'internal', NULL),
  ('isms.certification_schedule', 'internal', NULL),
  ('isms.audit_defaults', 'internal', NULL),
  ('isms.audit_schedule', 'internal', NULL);
