-- RRULE expansion (RFC 5545 3.3.10) with libical: validation, occurrences and
-- the next occurrence, in the wall-clock time of the session TimeZone.

CREATE FUNCTION isms.rrule_is_valid(rrule text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'isms_rrule_is_valid'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.rrule_is_valid(text) IS
  'True if libical accepts the RFC 5545 RRULE value (without "RRULE:") and can expand it; used by the CHECK on isms.reminder.rrule';

CREATE FUNCTION isms.rrule_occurrences(rrule text, dtstart timestamptz,
    range_start timestamptz DEFAULT NULL, range_end timestamptz DEFAULT NULL,
    max_count int DEFAULT 1000)
  RETURNS SETOF timestamptz
  AS 'MODULE_PATHNAME', 'isms_rrule_occurrences'
  LANGUAGE C STABLE PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION isms.rrule_occurrences(text, timestamptz, timestamptz, timestamptz, int) IS
  'Occurrences of an RRULE starting at dtstart, within [range_start, range_end], at most max_count; expanded in the session TimeZone (STABLE); bad rule: 22P02 with the reason';

CREATE FUNCTION isms.rrule_next(rrule text, dtstart timestamptz, after timestamptz)
  RETURNS timestamptz
  AS 'MODULE_PATHNAME', 'isms_rrule_next'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.rrule_next(text, timestamptz, timestamptz) IS
  'First occurrence of an RRULE starting at dtstart that is strictly after "after", or NULL when the rule has ended; session TimeZone';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.rrule_is_valid', 'read', NULL),
  ('isms.rrule_occurrences', 'read', NULL),
  ('isms.rrule_next', 'read', NULL);
