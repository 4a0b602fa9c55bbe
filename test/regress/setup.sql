\set ECHO none
-- test/regress/setup.sql: included first by every pg_regress file (\i), silently.
-- A fresh extension, a fixed time zone, and pg_temp.try(sql): runs one
-- statement and returns "SQLSTATE: message" (or "ok"), so bad-input tests
-- show the exact code and text, and a later SELECT shows nothing was written.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_isms CASCADE;
CREATE EXTENSION pg_isms;
RESET client_min_messages;
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
CREATE FUNCTION pg_temp.try(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE sql;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;
-- Like try, with the DETAIL instead of the message (parsers name the
-- offending part there).
CREATE FUNCTION pg_temp.err(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
  EXECUTE sql;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
  RETURN SQLSTATE || ': ' || d;
END
$$;
\set ECHO all
