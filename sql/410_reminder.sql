-- isms.reminder: the one source behind every calendar.  Only the one
-- reminder trigger writes it, isms.reminder_trigger(), which
-- isms.attach_reminders puts on a subject table together with the view
-- that says which reminders each of its rows has (src/reminder_source.c;
-- the SEQUENCE rule is in src/reminder.c).  Rows are never deleted by the
-- extension: a closed or deleted subject cancels its reminder
-- (STATUS:CANCELLED, SEQUENCE + 1) so subscribed clients remove the event.

CREATE TYPE isms.reminder_status AS ENUM ('scheduled', 'done', 'cancelled');
COMMENT ON TYPE isms.reminder_status IS
  'State of a reminder: scheduled (due), done (the subject was completed), cancelled (the subject was closed or deleted)';

CREATE FUNCTION isms.new_uid() RETURNS text
  AS 'MODULE_PATHNAME', 'isms_new_uid'
  LANGUAGE C VOLATILE PARALLEL SAFE;
COMMENT ON FUNCTION isms.new_uid() IS
  'A new globally unique calendar UID "<time-ordered UUID (RFC 9562 version 7)>@<isms.uid_domain>" (default of isms.reminder.uid)';

-- The UID rule in C (src/ical_core.c): a regular expression for it costs
-- more per row than the rest of a reminder insert, which a bulk load of
-- subjects pays once per row.
CREATE FUNCTION isms.uid_is_valid(uid text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'isms_uid_is_valid'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.uid_is_valid(text) IS
  'True if uid is a calendar UID pg_isms stores: 1 to 200 characters without "@", whitespace or control characters, "@", and a domain of 1 to 253 letters, digits, "." and "-"; the CHECK on isms.reminder.uid';

CREATE TABLE isms.reminder (
  uid          text PRIMARY KEY DEFAULT isms.new_uid()
               CONSTRAINT reminder_uid_format CHECK (isms.uid_is_valid(uid)),
  kind         text NOT NULL CONSTRAINT reminder_kind_format CHECK (isms.kind_is_valid(kind)),
  subject      regclass NOT NULL,
  subject_key  text NOT NULL CONSTRAINT reminder_subject_key_not_blank CHECK (subject_key <> ''),
  scope        text NOT NULL,
  owner        text,
  summary      text NOT NULL CONSTRAINT reminder_summary_not_blank CHECK (btrim(summary) <> ''),
  description  text,
  -- Dates and times stay within what an iCalendar export carries: libical
  -- 3.0 writes dates from 0001-01-02 (0001-01-01 is its null time) to the
  -- year 3000, and an all-day entry ends the day after its last day; times
  -- keep a day's margin for any zone (src/ical_core.h, ISMS_ICAL_FIRST_DAY).
  due          date NOT NULL CONSTRAINT reminder_due_in_calendar
               CHECK (due BETWEEN date '0001-01-02' AND date '3000-12-30'),
  last_day     date CONSTRAINT reminder_last_day_after_due
               CHECK (last_day >= due AND last_day <= date '3000-12-30'),
  starts_at    timestamptz CONSTRAINT reminder_starts_at_in_calendar
               CHECK (starts_at BETWEEN timestamptz '0001-01-03 00:00+00' AND timestamptz '3000-12-30 00:00+00'),
  ends_at      timestamptz CONSTRAINT reminder_ends_at_in_calendar
               CHECK (ends_at <= timestamptz '3000-12-30 00:00+00'),
  rrule        text CONSTRAINT reminder_rrule_valid CHECK (isms.rrule_is_valid(rrule)),
  alarms       interval[] CONSTRAINT reminder_alarms_valid
               CHECK (cardinality(alarms) <= 10 AND array_ndims(alarms) = 1
                      AND interval '0' <= ALL (alarms) AND interval '1 year' >= ALL (alarms)
                      AND array_position(alarms, NULL) IS NULL),
  sequence     int NOT NULL DEFAULT 0 CONSTRAINT reminder_sequence_not_negative CHECK (sequence >= 0),
  status       isms.reminder_status NOT NULL DEFAULT 'scheduled',
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT reminder_one_per_subject UNIQUE (kind, subject, subject_key),
  CONSTRAINT reminder_timed_or_all_day CHECK (starts_at IS NULL OR last_day IS NULL),
  CONSTRAINT reminder_ends_after_start CHECK (ends_at IS NULL OR (starts_at IS NOT NULL AND ends_at > starts_at)),
  CONSTRAINT reminder_updated_after_created CHECK (updated_at >= created_at)
);
COMMENT ON TABLE isms.reminder IS
  'Every deadline as a calendar entry with a stable UID and a SEQUENCE; written only by triggers on the subject tables; exported by isms.ical_export';
COMMENT ON COLUMN isms.reminder.uid IS 'Calendar UID, stable for the life of the reminder and globally unique: time-ordered random UUID (version 7) @ isms.uid_domain (at creation)';
COMMENT ON COLUMN isms.reminder.kind IS 'What is due: certificate_expiry, surveillance_audit, recertification_audit, audit, internal_audit, management_review, risk_review, soa_review, acceptance_expiry, treatment_due, ...';
COMMENT ON COLUMN isms.reminder.subject IS 'Table of the subject row the reminder belongs to';
COMMENT ON COLUMN isms.reminder.subject_key IS 'Primary key of the subject row, as text';
COMMENT ON COLUMN isms.reminder.scope IS 'Scope id of the subject (isms.scope.id); exported as CATEGORIES';
COMMENT ON COLUMN isms.reminder.owner IS 'Who must act (free text, e.g. a name or e-mail); exported in the description';
COMMENT ON COLUMN isms.reminder.summary IS 'One-line title shown by calendar clients (SUMMARY)';
COMMENT ON COLUMN isms.reminder.description IS 'Longer text (DESCRIPTION)';
COMMENT ON COLUMN isms.reminder.due IS 'Day the item is due (0001-01-02 to 3000-12-30, what an iCalendar export carries); an all-day entry on this day unless starts_at is set (DTSTART;VALUE=DATE or DUE)';
COMMENT ON COLUMN isms.reminder.last_day IS 'Last day of a multi-day all-day entry (e.g. an audit from due to last_day); NULL for one day';
COMMENT ON COLUMN isms.reminder.starts_at IS 'Start of a timed entry (DTSTART in UTC); NULL for all-day entries';
COMMENT ON COLUMN isms.reminder.ends_at IS 'End of a timed entry (DTEND); NULL for none';
COMMENT ON COLUMN isms.reminder.rrule IS 'RFC 5545 RRULE value (without "RRULE:") when the entry recurs; NULL for one-off entries';
COMMENT ON COLUMN isms.reminder.alarms IS 'How long before the start each alarm fires (one VALARM each); at most 10, each between 0 and 1 year';
COMMENT ON COLUMN isms.reminder.sequence IS 'RFC 5545 SEQUENCE: 0 at creation, plus one on every change a calendar shows';
COMMENT ON COLUMN isms.reminder.status IS 'scheduled, done or cancelled (exported as STATUS)';
COMMENT ON COLUMN isms.reminder.created_at IS 'When the reminder was created (CREATED)';
COMMENT ON COLUMN isms.reminder.updated_at IS 'When a calendar-visible field last changed (DTSTAMP and LAST-MODIFIED)';


SELECT pg_catalog.pg_extension_config_dump('isms.reminder', '');
INSERT INTO isms.table_class (table_name, class, reason) VALUES
  ('isms.reminder', 'derived', 'written only by isms.reminder_trigger(), which isms.attach_reminders puts on the subject tables');

CREATE FUNCTION isms.reminder_restore_guard() RETURNS trigger
  AS 'MODULE_PATHNAME', 'isms_reminder_restore_guard'
  LANGUAGE C;
COMMENT ON FUNCTION isms.reminder_restore_guard() IS
  'Trigger: a reminder row inserted from outside the reminder functions (a pg_dump restore) replaces the one a subject trigger made for the same subject';
CREATE TRIGGER reminder_restore_guard BEFORE INSERT ON isms.reminder
  FOR EACH ROW WHEN (pg_catalog.pg_trigger_depth() OPERATOR(pg_catalog.=) 0)
  EXECUTE FUNCTION isms.reminder_restore_guard();

-- STABLE (constant within a statement) and therefore callable by every
-- role: the schedule triggers' WHEN clauses run it as whoever writes.
CREATE FUNCTION isms.restore_in_progress() RETURNS boolean
  AS 'MODULE_PATHNAME', 'isms_restore_in_progress_sql'
  LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION isms.restore_in_progress() IS
  'True while pg_restore (or psql running a plain dump) loads table data: COPY in a superuser session with check_function_bodies off or an empty search_path; the triggers of pg_isms then keep the dumped rows as they are and skip the work whose results the dump holds';

-- One reminder as the reminder trigger hands it to the writer.
CREATE TYPE isms.reminder_item AS (
  kind text, subject regclass, subject_key text, scope text, owner text,
  summary text, description text, due date, rrule text, alarms interval[],
  starts_at timestamptz, ends_at timestamptz, last_day date
);
COMMENT ON TYPE isms.reminder_item IS
  'One reminder as isms.reminder_trigger hands it to the writer of isms.reminder (internal)';
COMMENT ON COLUMN isms.reminder_item.kind IS 'What is due (isms.reminder.kind)';
COMMENT ON COLUMN isms.reminder_item.subject IS 'Table of the subject row (isms.reminder.subject)';
COMMENT ON COLUMN isms.reminder_item.subject_key IS 'Primary key of the subject row, as text';
COMMENT ON COLUMN isms.reminder_item.scope IS 'Scope id of the subject';
COMMENT ON COLUMN isms.reminder_item.owner IS 'Who must act';
COMMENT ON COLUMN isms.reminder_item.summary IS 'One-line title (SUMMARY)';
COMMENT ON COLUMN isms.reminder_item.description IS 'Longer text (DESCRIPTION)';
COMMENT ON COLUMN isms.reminder_item.due IS 'Day the item is due';
COMMENT ON COLUMN isms.reminder_item.rrule IS 'RRULE value when the entry recurs, else NULL';
COMMENT ON COLUMN isms.reminder_item.alarms IS 'How long before the start each alarm fires';
COMMENT ON COLUMN isms.reminder_item.starts_at IS 'Start of a timed entry, else NULL';
COMMENT ON COLUMN isms.reminder_item.ends_at IS 'End of a timed entry, else NULL';
COMMENT ON COLUMN isms.reminder_item.last_day IS 'Last day of a multi-day all-day entry, else NULL';

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
  isms.reminder_row_wanted(regclass, regclass, text, boolean, text, text), isms.attach_reminders(regclass, regclass, text, text, interval[], text, boolean), isms.detach_reminders(regclass),
  isms.reminder_restore_guard(), isms.new_uid()
  FROM PUBLIC;

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.new_uid', 'internal', 'default of isms.reminder.uid, which only the reminder functions insert'),
  ('isms.uid_is_valid', 'read', NULL),
  ('isms.reminder_restore_guard', 'internal', NULL),
  ('isms.restore_in_progress', 'read', NULL),
  ('isms.reminder_trigger', 'internal', NULL),
  ('isms.reminder_row_wanted', 'internal', 'a check inside the reminder trigger''s statement'),
  ('isms.reminder_source_sync', 'internal', 'called by isms.attach_reminders, which checks the source first'),
  ('isms.attach_reminders', 'owner', 'creates triggers, and the source it attaches is read with the extension owner''s rights'),
  ('isms.detach_reminders', 'owner', 'drops triggers: needs ownership of the table');
