\set ECHO none
-- test/regress/reminder_subject.sql: a scratch subject table for the
-- reminder and calendar tests, included after setup.sql.  pg_temp.subject
-- holds one reminder per row (its id is the subject key) and is attached
-- with isms.attach_reminders through the view pg_temp.subject_reminder,
-- like any DBA's table; pg_temp.reminder_sync / _cancel / _done write it
-- the way a subject table's rows change.  The kinds the tests use are
-- declared for it (the shipped ones it borrows keep their component but
-- lose their default alarms, so a test's alarms are exactly its own).
CREATE TABLE pg_temp.subject (
  id text PRIMARY KEY, kind text NOT NULL, scope text, owner text, summary text, description text,
  due date, rrule text, alarms interval[], starts_at timestamptz, ends_at timestamptz, last_day date,
  status text NOT NULL DEFAULT 'scheduled');
SET client_min_messages = warning;
CREATE VIEW pg_temp.subject_reminder AS SELECT * FROM pg_temp.subject;
RESET client_min_messages;
-- (Unless the including test says \set borrow_kinds off: it goes on
-- writing pg_isms's own tables, whose sources yield those kinds.)
\if :{?borrow_kinds}
\else
\set borrow_kinds on
\endif
\if :borrow_kinds
UPDATE isms.reminder_kind SET subject = 'pg_temp.subject', alarms = NULL
 WHERE kind IN ('risk_review', 'soa_review', 'management_review', 'treatment_due', 'acceptance_expiry');
\endif
INSERT INTO isms.reminder_kind (kind, subject, component, description)
SELECT k, 'pg_temp.subject', 'VTODO', 'test kind ' || k
  FROM unnest(ARRAY['audit', 'range_test', 'text_test', 'x', 'set_test', 'bulk_test']) k;
SELECT isms.attach_reminders('pg_temp.subject', 'pg_temp.subject_reminder') IS NOT NULL AS attached \gset
CREATE FUNCTION pg_temp.reminder_sync(kind text, subject regclass, subject_key text,
    scope text, owner text, summary text, description text, due date,
    rrule text DEFAULT NULL, alarms interval[] DEFAULT NULL,
    starts_at timestamptz DEFAULT NULL, ends_at timestamptz DEFAULT NULL, last_day date DEFAULT NULL)
  RETURNS void LANGUAGE sql AS $$
  INSERT INTO pg_temp.subject AS s VALUES (subject_key, kind, scope, owner, summary, description, due,
                                           rrule, alarms, starts_at, ends_at, last_day, 'scheduled')
  ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, scope = excluded.scope, owner = excluded.owner,
    summary = excluded.summary, description = excluded.description, due = excluded.due,
    rrule = excluded.rrule, alarms = excluded.alarms, starts_at = excluded.starts_at,
    ends_at = excluded.ends_at, last_day = excluded.last_day, status = 'scheduled'
$$;
CREATE FUNCTION pg_temp.reminder_cancel(kind text, subject regclass, subject_key text) RETURNS void
  LANGUAGE sql AS $$ UPDATE pg_temp.subject SET status = 'cancelled' WHERE id = subject_key $$;
-- Only a scheduled subject is completed.
CREATE FUNCTION pg_temp.reminder_done(kind text, subject regclass, subject_key text) RETURNS void
  LANGUAGE sql AS $$ UPDATE pg_temp.subject SET status = 'done' WHERE id = subject_key AND status = 'scheduled' $$;
\set ECHO all
