-- isms.reminder: the one source behind every calendar.  Only triggers on the
-- subject tables write it, through isms.reminder_sync / _cancel / _done (or
-- their set-based forms isms.reminder_sync_set / _close_set, which the
-- statement triggers call with the rows of their transition tables).  Rows are never
-- deleted by the extension: a closed or deleted subject cancels its reminder
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
  -- The length is tested apart from the pattern: PostgreSQL's regex engine
  -- builds a bounded repeat such as {0,62} state by state on every call.
  kind         text NOT NULL CONSTRAINT reminder_kind_format CHECK (kind ~ '^[a-z][a-z0-9_]*$' AND length(kind) <= 63),
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
  ('isms.reminder', 'derived', 'written only by the subject tables'' triggers through the reminder functions');

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

CREATE FUNCTION isms.reminder_sync(kind text, subject regclass, subject_key text,
    scope text, owner text, summary text, description text, due date,
    rrule text DEFAULT NULL, alarms interval[] DEFAULT NULL,
    starts_at timestamptz DEFAULT NULL, ends_at timestamptz DEFAULT NULL,
    last_day date DEFAULT NULL)
  RETURNS void
  AS 'MODULE_PATHNAME', 'isms_reminder_sync'
  LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER;
COMMENT ON FUNCTION isms.reminder_sync(text, regclass, text, text, text, text, text, date, text, interval[], timestamptz, timestamptz, date) IS
  'Insert or update the reminder of a subject; SEQUENCE + 1 and status back to scheduled when anything a calendar shows changed, nothing written otherwise';

CREATE FUNCTION isms.reminder_cancel(kind text, subject regclass, subject_key text)
  RETURNS void
  AS 'MODULE_PATHNAME', 'isms_reminder_cancel'
  LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER;
COMMENT ON FUNCTION isms.reminder_cancel(text, regclass, text) IS
  'Cancel the reminder of a closed or deleted subject (STATUS:CANCELLED, SEQUENCE + 1); the row stays so calendars remove the event';

CREATE FUNCTION isms.reminder_done(kind text, subject regclass, subject_key text)
  RETURNS void
  AS 'MODULE_PATHNAME', 'isms_reminder_done'
  LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER;
COMMENT ON FUNCTION isms.reminder_done(text, regclass, text) IS
  'Mark a scheduled reminder done (SEQUENCE + 1) when its subject is completed';

-- The set-based forms: one statement per trigger firing, same rules.
CREATE TYPE isms.reminder_item AS (
  kind text, subject regclass, subject_key text, scope text, owner text,
  summary text, description text, due date, rrule text, alarms interval[],
  starts_at timestamptz, ends_at timestamptz, last_day date
);
COMMENT ON TYPE isms.reminder_item IS
  'One reminder as the statement triggers hand it to isms.reminder_sync_set: the arguments of isms.reminder_sync as a row';
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

CREATE FUNCTION isms.reminder_sync_set(items isms.reminder_item[])
  RETURNS void
  AS 'MODULE_PATHNAME', 'isms_reminder_sync_set'
  LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER;
COMMENT ON FUNCTION isms.reminder_sync_set(isms.reminder_item[]) IS
  'isms.reminder_sync for a set of subjects (each at most once) in one INSERT ... ON CONFLICT: what the statement triggers call with their transition tables';

CREATE FUNCTION isms.reminder_close_set(kind text, subject regclass, subject_keys text[],
    status isms.reminder_status)
  RETURNS void
  AS 'MODULE_PATHNAME', 'isms_reminder_close_set'
  LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER;
COMMENT ON FUNCTION isms.reminder_close_set(text, regclass, text[], isms.reminder_status) IS
  'Move the reminders of a set of subjects to status (cancelled or done) unless they are in it already, SEQUENCE + 1 each; the rows stay';

REVOKE ALL ON FUNCTION isms.reminder_sync(text, regclass, text, text, text, text, text, date, text, interval[], timestamptz, timestamptz, date),
  isms.reminder_cancel(text, regclass, text), isms.reminder_done(text, regclass, text),
  isms.reminder_sync_set(isms.reminder_item[]),
  isms.reminder_close_set(text, regclass, text[], isms.reminder_status),
  isms.reminder_restore_guard(), isms.new_uid()
  FROM PUBLIC;

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.new_uid', 'internal', 'default of isms.reminder.uid, which only the reminder functions insert'),
  ('isms.uid_is_valid', 'read', NULL),
  ('isms.reminder_restore_guard', 'internal', NULL),
  ('isms.restore_in_progress', 'read', NULL),
  ('isms.reminder_sync', 'internal', 'called by SECURITY DEFINER subject triggers only'),
  ('isms.reminder_cancel', 'internal', 'called by SECURITY DEFINER subject triggers only'),
  ('isms.reminder_done', 'internal', 'called by SECURITY DEFINER subject triggers only'),
  ('isms.reminder_sync_set', 'internal', 'SECURITY DEFINER: writes isms.reminder for the subject triggers'),
  ('isms.reminder_close_set', 'internal', NULL);
