-- 41_rrule: RRULE expansion with libical in the session TimeZone: counts,
-- ranges, bounds, 29 February, month ends, daylight-saving changes, and at
-- least twenty malformed rules with their reason.
\i test/regress/setup.sql
-- COUNT and UNTIL end a rule; ranges cut it.
SELECT isms.rrule_occurrences('FREQ=WEEKLY;COUNT=3', '2026-01-05 09:00+00');
SELECT isms.rrule_occurrences('FREQ=DAILY;UNTIL=20260104T090000Z', '2026-01-01 09:00+00');
SELECT isms.rrule_occurrences('FREQ=MONTHLY', '2026-01-15 00:00+00', '2026-04-01', '2026-06-30');
-- A rule with neither COUNT nor UNTIL stops at max_count (default 1000) or the range end.
SELECT count(*) FROM isms.rrule_occurrences('FREQ=DAILY', '2026-01-01 00:00+00');
SELECT count(*) FROM isms.rrule_occurrences('FREQ=DAILY', '2026-01-01 00:00+00', max_count => 10);
SELECT count(*) FROM isms.rrule_occurrences('FREQ=HOURLY', '2026-01-01 00:00+00', NULL, '2026-01-02 00:00+00');
SELECT count(*) FROM isms.rrule_occurrences('FREQ=DAILY', '2026-01-01 00:00+00', max_count => 0);
-- A range start with COUNT: the skipped occurrences still count.
SELECT isms.rrule_occurrences('FREQ=YEARLY;COUNT=5', '2026-03-01 00:00+00', '2029-01-01');
-- Range before dtstart, empty range, nulls.
SELECT count(*) FROM isms.rrule_occurrences('FREQ=DAILY;COUNT=3', '2026-01-01 00:00+00', '2020-01-01', '2020-12-31');
SELECT count(*) FROM isms.rrule_occurrences('FREQ=DAILY', '2026-01-01 00:00+00', '2026-02-01', '2026-01-01');
SELECT count(*) FROM isms.rrule_occurrences(NULL, '2026-01-01 00:00+00');
SELECT count(*) FROM isms.rrule_occurrences('FREQ=DAILY', NULL);
SELECT count(*) FROM isms.rrule_occurrences('FREQ=DAILY', '2026-01-01 00:00+00', 'infinity');
-- 29 February: a yearly rule from a leap day only hits leap years (RFC 5545
-- skips invalid dates); BYMONTHDAY=-1 gives the last day of each month.
SELECT isms.rrule_occurrences('FREQ=YEARLY;COUNT=3', '2024-02-29 12:00+00');
SELECT isms.rrule_occurrences('FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4', '2024-01-31 12:00+00');
SELECT isms.rrule_occurrences('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;COUNT=5', '2023-01-01 08:00+00');
-- Daylight saving: wall-clock time stays at 09:00 in the session zone,
-- the UTC offset moves (Europe/Berlin: last Sunday of March and October).
SET timezone = 'Europe/Berlin';
SELECT d, d AT TIME ZONE 'UTC' AS utc
  FROM isms.rrule_occurrences('FREQ=WEEKLY;BYDAY=SU;COUNT=3', '2026-03-22 09:00') AS d;
SELECT d, d AT TIME ZONE 'UTC' AS utc
  FROM isms.rrule_occurrences('FREQ=DAILY', '2026-10-23 09:00', '2026-10-24', '2026-10-27') AS d;
-- A time that does not exist (02:30 on the spring-forward day) is read as
-- PostgreSQL reads such input (moved forward by the gap); the one that
-- exists twice (02:30 on the fall-back day) is taken once.
SELECT isms.rrule_occurrences('FREQ=DAILY;COUNT=3', '2026-03-28 02:30');
SELECT isms.rrule_occurrences('FREQ=DAILY;COUNT=3', '2026-10-24 02:30');
-- The same rule in another session zone gives other instants: STABLE, not IMMUTABLE.
SET timezone = 'America/New_York';
SELECT d, d AT TIME ZONE 'UTC' AS utc
  FROM isms.rrule_occurrences('FREQ=WEEKLY;COUNT=3', '2026-03-01 09:00') AS d;
SELECT provolatile, proisstrict, proparallel FROM pg_proc
 WHERE oid IN ('isms.rrule_occurrences'::regproc, 'isms.rrule_next'::regproc, 'isms.rrule_is_valid'::regproc)
 ORDER BY proname;
SET timezone = 'UTC';
-- rrule_next: first occurrence strictly after the given instant.
SELECT isms.rrule_next('FREQ=MONTHLY;BYMONTHDAY=-1', '2024-01-31 10:00+00', '2024-02-15 00:00+00');
SELECT isms.rrule_next('FREQ=MONTHLY;BYMONTHDAY=-1', '2024-01-31 10:00+00', '2024-02-29 10:00+00');
SELECT isms.rrule_next('FREQ=YEARLY', '2026-04-01 00:00+00', '2025-01-01 00:00+00');
SELECT isms.rrule_next('FREQ=YEARLY;COUNT=2', '2024-01-31 10:00+00', '2026-02-15 00:00+00') IS NULL AS ended;
SELECT isms.rrule_next('FREQ=DAILY', '2026-01-01 00:00+00', 'infinity') IS NULL AS never;
SELECT isms.rrule_next('FREQ=MINUTELY', '2026-01-01 00:00+00', '2126-01-01 00:00+00');
SELECT isms.rrule_is_valid('FREQ=WEEKLY;BYDAY=MO,WE'), isms.rrule_is_valid('FREQ=WEEKLY;BYDAY=XX');
-- Malformed rules: 22P02 with the reason (what libical refused) in DETAIL.
SELECT left(r, 30) AS rrule, pg_temp.err(format('SELECT isms.rrule_next(%L, now(), now())', r)) AS result
  FROM (VALUES (''), ('FREQ=FOO'), ('BYDAY=MO'), ('FREQ=DAILY;FOO=1'), ('FREQ=DAILY;COUNT=abc'),
               ('FREQ=DAILY;COUNT=-1'), ('FREQ=DAILY;INTERVAL=0'), ('FREQ=MONTHLY;BYMONTHDAY=32'),
               ('FREQ=YEARLY;BYMONTH=13'), ('FREQ=DAILY;UNTIL=2020'),
               ('FREQ=DAILY;COUNT=3;UNTIL=20200101T000000Z'), ('FREQ=WEEKLY;BYDAY=XX'),
               ('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30'), ('RRULE:FREQ=DAILY'), ('FREQ=DAILY;WKST=XX'),
               ('FREQ=DAILY;BYHOUR=25'), ('FREQ=DAILY;BYSETPOS=0'), ('FREQ=YEARLY;BYWEEKNO=60'),
               ('FREQ=DAILY; COUNT=3'), ('FREQ=DAILY;COUNT'), (repeat('FREQ=DAILY;', 100)),
               ('FREQ=DAILY;BYMINUTE=61'), (E'FREQ=DAILY\n'), ('FREQ=YEARLY;BYYEARDAY=367'),
               ('FREQ=DAILY;BYDAY=1XX')) AS t(r);
-- The full error a user sees: message, the reason in DETAIL, a HINT.
SELECT * FROM isms.rrule_occurrences('FREQ=DAILY;COUNT=abc', '2026-01-01');
SELECT isms.rrule_next('FREQ=YEARLY;BYMONTH=13', '2026-01-01', '2026-01-02');
SELECT pg_temp.try($$SELECT count(*) FROM isms.rrule_occurrences('FREQ=DAILY', '2026-01-01', max_count => -1)$$),
       pg_temp.try($$SELECT count(*) FROM isms.rrule_occurrences('FREQ=DAILY', '-infinity')$$),
       pg_temp.try($$SELECT isms.rrule_next('FREQ=DAILY', '10000-01-01', '10000-01-02')$$);
-- A long expansion is interruptible: statement_timeout stops it.
SET statement_timeout = '200ms';
SELECT count(*) FROM isms.rrule_occurrences('FREQ=SECONDLY', '2000-01-01', max_count => 2000000000);
RESET statement_timeout;
