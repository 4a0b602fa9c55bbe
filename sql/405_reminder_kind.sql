-- The reminder-kind catalogue: every kind of reminder, the table whose rows
-- it belongs to, whether calendars get it as an event or a task, the audit
-- kind it stands for, and its default alarms.  The export (src/ical.c), the
-- import (sql/430_ical.sql) and the reminder sources (isms.attach_reminders)
-- read it; nothing decides a kind by its name.  Each install file that
-- attaches reminders to its table adds the kinds of that table.

CREATE TYPE isms.audit_kind AS ENUM
  ('stage1', 'stage2', 'surveillance', 'recertification', 'internal', 'management_review');
COMMENT ON TYPE isms.audit_kind IS
  'Kind of audit: stage1 and stage2 (initial certification), surveillance, recertification (certification body), internal (ISO/IEC 27001 9.2), management_review (9.3)';

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
