-- 401_rrule_bounds: RRULE expansion stays bounded and interruptible
-- (statement_timeout is honoured; a rule with no occurrence is a clean
-- 22P02), BYWEEKNO is expanded, and the direct computation of rules
-- without BY* parts matches wall-clock arithmetic across daylight-saving
-- changes in several zones.
\i test/regress/setup.sql
-- Runs one statement; "57014" if statement_timeout cancelled it (which
-- pg_temp.try cannot catch: WHEN OTHERS excludes query_canceled).
CREATE FUNCTION pg_temp.timed(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE sql;
  RETURN 'finished';
EXCEPTION
  WHEN query_canceled THEN RETURN SQLSTATE || ': ' || SQLERRM;
  WHEN OTHERS THEN RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;
-- Rules with no occurrence at all (day 200 in January, 31 April) are
-- refused up front: 22P02, the reason in DETAIL.
SET statement_timeout = '300ms';
SELECT pg_temp.timed($$SELECT count(*) FROM isms.rrule_occurrences('FREQ=SECONDLY;BYMONTH=1;BYYEARDAY=200', '2024-02-29 09:30')$$);
SELECT pg_temp.timed($$SELECT isms.rrule_next('FREQ=SECONDLY;BYMONTHDAY=31;BYMONTH=4', '2024-02-29 09:30', '2030-01-01')$$);
-- Sparse rules are fast: a day (hour, minute) that fails the rule is
-- skipped whole, not second by second.  23:59 of every 29 February that is
-- a Monday, on a 7-second grid from 2024-02-29 09:30:00: the first in 2044.
SELECT pg_temp.timed($$SELECT count(*) FROM isms.rrule_occurrences('FREQ=SECONDLY;INTERVAL=7;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;BYHOUR=23;BYMINUTE=59', '2024-02-29 09:30', max_count => 20)$$);
SELECT isms.rrule_next('FREQ=SECONDLY;INTERVAL=7;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;BYHOUR=23;BYMINUTE=59', '2024-02-29 09:30', '2024-03-01');
-- A long expansion is bounded per call, so the statement timeout stops it.
SELECT pg_temp.timed($$SELECT count(*) FROM isms.rrule_occurrences('FREQ=SECONDLY;BYMINUTE=0,30', '2024-02-29 09:30', max_count => 2000000000)$$);
RESET statement_timeout;
-- With a range end a sparse rule simply ends: no occurrence in the range.
SELECT count(*) FROM isms.rrule_occurrences('FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO', '2024-03-01 09:30', NULL, '2030-01-01');
-- A sparse rule keeps its occurrences (every 29 February that is a Monday).
SELECT isms.rrule_occurrences('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;COUNT=3', '2024-01-01 09:30');
-- BYWEEKNO is computed directly, never by libical 3.0, which reads outside
-- its day mask for it (rrule_fuzz: FREQ=YEARLY;BYWEEKNO=42 from 2026-03-29
-- 02:30 crashed under ASan and gave random days without it; with BYDAY, days
-- around the new year differed between two runs).  The fuzzer's rules, now
-- with their days: week 42 on DTSTART's weekday (a Sunday), the first
-- Monday of week 45 after a leap day, and weeks 1 and -1 (2024 has 52
-- weeks, 2026 has 53; week 1 of 2025 begins on 2024-12-30).
SET timezone = 'UTC';
SELECT isms.rrule_occurrences('FREQ=YEARLY;BYWEEKNO=42', '2026-03-29 02:30', max_count => 3);
SELECT isms.rrule_next('FREQ=YEARLY;BYWEEKNO=45;BYDAY=MO', '2024-02-29 09:30', '2025-01-01');
SELECT isms.rrule_is_valid('FREQ=YEARLY;BYWEEKNO=42');
SELECT o, to_char(o, 'IYYY-"W"IW-ID') AS iso_week
  FROM isms.rrule_occurrences('FREQ=YEARLY;BYWEEKNO=1,-1;BYDAY=TU,SU', '2024-02-29 09:30', max_count => 8) o;
-- Week 53 never falls in June: refused like 30 February.
SELECT pg_temp.try($$SELECT isms.rrule_occurrences('FREQ=YEARLY;BYWEEKNO=53;BYMONTH=6', '2024-01-01')$$);
-- RFC 5545 3.3.10's rules for BYWEEKNO, refused as malformed (22P02).
SELECT pg_temp.try($$SELECT isms.rrule_occurrences('FREQ=MONTHLY;BYWEEKNO=1', '2026-01-01')$$),
       pg_temp.try($$SELECT isms.rrule_occurrences('FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO', '2026-01-01')$$),
       isms.rrule_is_valid('FREQ=YEARLY;BYWEEKNO=0'), isms.rrule_is_valid('FREQ=YEARLY;BYWEEKNO=-54');
-- Rules without BY* parts are computed directly: each occurrence is DTSTART
-- plus whole INTERVALs of wall time, read in the session zone as
-- PostgreSQL reads a timestamp without zone.  Compared over 2 to 3 years of
-- DST changes (a half-hour DST shift in Lord Howe).
SET timezone = 'Europe/Berlin';
SELECT count(*) AS mismatches FROM (
  SELECT o, row_number() OVER () - 1 AS g
    FROM isms.rrule_occurrences('FREQ=HOURLY', '2026-01-01 09:30', max_count => 20000) o) x
 WHERE o <> (timestamp '2026-01-01 09:30' + g * interval '1 hour')::timestamptz;
SET timezone = 'America/New_York';
SELECT count(*) AS mismatches FROM (
  SELECT o, row_number() OVER () - 1 AS g
    FROM isms.rrule_occurrences('FREQ=MINUTELY;INTERVAL=97', '2026-03-01 00:03', max_count => 20000) o) x
 WHERE o <> (timestamp '2026-03-01 00:03' + g * interval '97 minutes')::timestamptz;
SET timezone = 'Australia/Lord_Howe';
SELECT count(*) AS mismatches FROM (
  SELECT o, row_number() OVER () - 1 AS g
    FROM isms.rrule_occurrences('FREQ=MINUTELY;INTERVAL=30', '2026-01-01 00:00', max_count => 40000) o) x
 WHERE o <> (timestamp '2026-01-01 00:00' + g * interval '30 minutes')::timestamptz;
-- Around the changes themselves (Berlin): 02:30 does not exist on 29 March
-- 2026 and exists twice on 25 October.
SET timezone = 'Europe/Berlin';
SELECT isms.rrule_occurrences('FREQ=HOURLY;COUNT=4', '2026-03-29 00:30');
SELECT isms.rrule_occurrences('FREQ=MINUTELY;INTERVAL=30;COUNT=6', '2026-10-25 01:00');
-- MONTHLY skips months without DTSTART's day; YEARLY from 29 February hits leap years only.
SELECT isms.rrule_occurrences('FREQ=MONTHLY;INTERVAL=1;COUNT=4', '2026-01-31 09:00');
SELECT isms.rrule_occurrences('FREQ=YEARLY;INTERVAL=100;COUNT=2', '2000-02-29 09:00');
-- COUNT counts from DTSTART even when range_start skips ahead; rrule_next too.
-- (the last of the 10^9 seconds is 2026-01-01 00:00 + 999,999,999 s of wall time)
SELECT isms.rrule_occurrences('FREQ=SECONDLY;COUNT=1000000000', '2026-01-01 00:00', '2057-09-09 01:46:37', max_count => 5);
SELECT isms.rrule_next('FREQ=HOURLY;INTERVAL=5;COUNT=10', '2026-01-01 00:00', '2026-01-02 20:00');
SELECT isms.rrule_next('FREQ=HOURLY;INTERVAL=5;COUNT=10', '2026-01-02 20:00', '2026-01-04 20:00');
-- UNTIL in UTC is compared with the wall time as libical does.
SELECT isms.rrule_occurrences('FREQ=DAILY;UNTIL=20260103T090000Z', '2026-01-01 09:00');
-- A range end far away or before year 2 is no problem for the stop.
SET timezone = 'UTC';
SELECT count(*) FROM isms.rrule_occurrences('FREQ=YEARLY', '2026-01-01', NULL, '9999-06-01', max_count => 3);
SELECT count(*) FROM isms.rrule_occurrences('FREQ=YEARLY', '2026-01-01', NULL, '0001-06-01 BC');
-- RSCALE (RFC 7529) is refused before libical sees it: libical strdup()s
-- its value and never frees it, even for a rule it refuses (rrule_fuzz,
-- LeakSanitizer), which would leak backend memory on every call.
SELECT pg_temp.try($$SELECT isms.rrule_next('FREQ=YEARLY;RSCALE=GREGORIAN', '2026-01-01', '2026-01-01')$$);
SELECT isms.rrule_is_valid('FREQ=WEEKLY;FREQ=MONTHLY;RSCALE=MO'), isms.rrule_is_valid('FREQ=YEARLY;rscale=hebrew');
