-- 400_rrule: isms.rrule_is_valid no longer asks libical's iterator (pg_isms
-- expands every rule itself, BYWEEKNO included); its comment says so.
COMMENT ON FUNCTION isms.rrule_is_valid(text) IS
  'True if the RFC 5545 RRULE value (without "RRULE:") is well formed, follows RFC 5545''s rules and occurs at all; used by the CHECK on isms.reminder.rrule';
