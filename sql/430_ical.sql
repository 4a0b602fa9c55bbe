-- iCalendar (RFC 5545) with libical: the reminders as a calendar feed, and
-- reading the invitations a certification body sends.

CREATE FUNCTION isms.ical_export(scope text DEFAULT NULL, kinds text[] DEFAULT NULL,
    owner text DEFAULT NULL, since timestamptz DEFAULT NULL,
    review_component text DEFAULT NULL)
  RETURNS text
  AS 'MODULE_PATHNAME', 'isms_ical_export'
  LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION isms.ical_export(text, text[], text, timestamptz, text) IS
  'The reminders (optionally of one scope, some kinds, one owner, changed since a moment) as one RFC 5545 VCALENDAR built with libical (METHOD:PUBLISH, VALARMs, RRULEs); the same data gives byte-identical text';

CREATE FUNCTION isms.ical_events(ics text,
    OUT uid text, OUT summary text, OUT kind text, OUT organizer text,
    OUT cancelled boolean, OUT sequence int, OUT first_day date, OUT last_day date,
    OUT starts_at timestamptz, OUT ends_at timestamptz)
  RETURNS SETOF record
  AS 'MODULE_PATHNAME', 'isms_ical_events_srf'
  LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION isms.ical_events(text) IS
  'Every VEVENT of an iCalendar text as a row (days in the session time zone; DTEND is exclusive, last_day is inclusive); malformed text is 22P02 with libical''s reason';

-- The documented import rule (docs/reference/ical.md):
--  1. an event whose UID is one of our audit reminders updates that audit;
--  2. an event whose UID was imported before (isms.audit.external_uid)
--     updates that audit;
--  3. any other event that names an audit kind (X-PG-ISMS-KIND, a reminder
--     kind that isms.reminder_kind maps to an audit kind, or its
--     SUMMARY: stage 1, stage 2, recertification, surveillance, internal
--     audit, management review) fills the earliest still-unconfirmed audit
--     of that kind of the scope's certification cycle that has no
--     invitation yet, or else
--     creates a confirmed audit;
--  4. everything else is ignored.
-- Updating means: planned days from DTSTART..DTEND, status confirmed; a
-- cancelled invitation clears the planned days (status planned).  Completed
-- and cancelled audits are never changed.  Returns the audits created or
-- changed.  One statement: any error leaves nothing written.
CREATE FUNCTION isms.ical_import(ics text, scope text DEFAULT NULL) RETURNS int
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  ev record;
  target bigint;
  akind isms.audit_kind;
  n int := 0;
  hit int;
BEGIN
  IF ics IS NULL THEN
    RETURN 0;
  END IF;
  IF ical_import.scope IS NOT NULL AND NOT EXISTS (SELECT 1 FROM isms.scope s WHERE s.id = ical_import.scope) THEN
    RAISE EXCEPTION 'scope "%" does not exist', ical_import.scope USING ERRCODE = '23503';
  END IF;
  FOR ev IN SELECT * FROM isms.ical_events(ics) LOOP
    target := NULL;
    -- 1. one of our reminders
    SELECT a.id INTO target
      FROM isms.reminder r JOIN isms.audit a ON a.id::text = r.subject_key
     WHERE r.uid = ev.uid AND r.subject = 'isms.audit'::regclass;
    IF target IS NULL AND EXISTS (SELECT 1 FROM isms.reminder r WHERE r.uid = ev.uid) THEN
      CONTINUE;                       -- ours, but not an audit: nothing to plan
    END IF;
    -- 2. an invitation seen before
    IF target IS NULL THEN
      SELECT a.id INTO target FROM isms.audit a WHERE a.external_uid = ev.uid;
    END IF;
    IF target IS NULL THEN
      -- 3. a new invitation that describes an audit
      -- X-PG-ISMS-KIND names a reminder kind: the catalogue says which
      -- audit kind it stands for.  A foreign invitation has only its title.
      akind := CASE
        WHEN ev.kind IS NOT NULL AND EXISTS (SELECT 1 FROM isms.reminder_kind k
                                              WHERE k.kind = ev.kind AND k.audit_kind IS NOT NULL)
          THEN (SELECT k.audit_kind FROM isms.reminder_kind k WHERE k.kind = ev.kind)
        WHEN ev.summary ~* 'stage[[:space:]-]*(1|one|i)([^[:alnum:]]|$)' THEN 'stage1'
        WHEN ev.summary ~* 'stage[[:space:]-]*(2|two|ii)([^[:alnum:]]|$)' THEN 'stage2'
        WHEN ev.summary ~* 're-?certification|recert' THEN 'recertification'
        WHEN ev.summary ~* 'surveillance' THEN 'surveillance'
        WHEN ev.summary ~* 'management[[:space:]]+review' THEN 'management_review'
        WHEN ev.summary ~* 'internal[[:space:]]+audit' THEN 'internal'
      END;
      IF akind IS NULL OR ev.cancelled THEN
        CONTINUE;                     -- 4. not an audit (or a cancellation of one we never had)
      END IF;
      IF ical_import.scope IS NULL THEN
        RAISE EXCEPTION 'the event "%" describes a % audit, but no scope was given', ev.uid, akind
          USING ERRCODE = '22023', HINT = 'Call isms.ical_import(ics, scope) to say which scope new audits belong to.';
      END IF;
      SELECT a.id INTO target
        FROM isms.audit a
       WHERE a.scope = ical_import.scope AND a.kind = akind AND a.certification IS NOT NULL
         AND a.external_uid IS NULL AND a.status = 'planned'
       ORDER BY a.due_by, a.id
       LIMIT 1;
      IF target IS NULL THEN
        INSERT INTO isms.audit (scope, kind, title, due_by, planned_start, planned_end, status, auditor, external_uid)
        VALUES (ical_import.scope, akind, nullif(btrim(ev.summary), ''), ev.first_day, ev.first_day,
                ev.last_day, 'confirmed', ev.organizer, ev.uid);
        n := n + 1;
        CONTINUE;
      END IF;
      UPDATE isms.audit SET external_uid = ev.uid WHERE id = target;
    END IF;
    UPDATE isms.audit a
       SET planned_start = CASE WHEN ev.cancelled THEN NULL ELSE ev.first_day END,
           planned_end = CASE WHEN ev.cancelled THEN NULL ELSE ev.last_day END,
           status = CASE WHEN ev.cancelled THEN 'planned' ELSE 'confirmed' END::isms.audit_status,
           auditor = coalesce(ev.organizer, a.auditor)
     WHERE a.id = target AND a.status IN ('planned', 'confirmed')
       AND (a.planned_start, a.planned_end, a.status, a.auditor) IS DISTINCT FROM
           (CASE WHEN ev.cancelled THEN NULL ELSE ev.first_day END,
            CASE WHEN ev.cancelled THEN NULL ELSE ev.last_day END,
            CASE WHEN ev.cancelled THEN 'planned' ELSE 'confirmed' END::isms.audit_status,
            coalesce(ev.organizer, a.auditor));
    GET DIAGNOSTICS hit = ROW_COUNT;
    n := n + hit;
  END LOOP;
  RETURN n;
END
$$;
COMMENT ON FUNCTION isms.ical_import(text, text) IS
  'Read a certification body''s invitations: events with our audit UIDs update planned dates; other audit events fill the open cycle audit of their kind or create one in the given scope (documented rule); all or nothing; returns audits created or changed';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.ical_export', 'read', NULL),
  ('isms.ical_events', 'read', NULL),
  ('isms.ical_import', 'write', NULL);
