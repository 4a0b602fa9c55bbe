-- 15_cvss: isms.cvss contracts: SQLSTATEs, labels of the functions,
-- operator classes, soft input errors (PostgreSQL 16+), NULL handling.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pg_isms;
SET LOCAL search_path = public, isms;
SELECT plan(23);

SELECT has_type('isms', 'cvss', 'type isms.cvss exists');
SELECT is((SELECT typlen::int FROM pg_type WHERE oid = 'isms.cvss'::regtype), 20,
          'isms.cvss is fixed-size, 20 bytes');
SELECT is((SELECT count(*)::int FROM pg_opclass WHERE opcintype = 'isms.cvss'::regtype AND opcdefault), 2,
          'default btree and hash operator classes');

SELECT throws_ok($$SELECT 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'::isms.cvss$$, '22P02',
                 'invalid input syntax for type isms.cvss: "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"',
                 'a bad value is 22P02');
SELECT throws_ok($$SELECT 'CVSS:3.1/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'::isms.cvss$$, '22P02', NULL,
                 'a missing base metric is 22P02');
SELECT throws_ok($$SELECT 'CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'::isms.cvss$$, '22P02', NULL,
                 'a v4.0 metric out of order is 22P02');
SELECT throws_ok($$SELECT isms.cvss_metric('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'ZZ')$$, '22023',
                 'unknown CVSS metric "ZZ"', 'an unknown metric name is 22023');
SELECT is(isms.cvss_metric('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'MSI'), NULL,
          'a metric of another version is NULL');
SELECT is(isms.cvss_score(NULL), NULL, 'NULL in, NULL out');

SELECT is(isms.cvss_score('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), 9.8,
          'CVE-2014-6271 scores 9.8 (FIRST v3.1 Examples)');
SELECT is(isms.cvss_score('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'), 9.3,
          'v4.0 all-high vulnerable system scores 9.3 (FIRST v4.0 Examples)');
SELECT is(isms.cvss_temporal_score('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'), NULL,
          'v4.0 has no temporal score');
SELECT is(pg_typeof(isms.cvss_score('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'))::text, 'numeric',
          'scores are numeric');

SELECT volatility_is('isms', 'cvss_score', ARRAY['cvss'], 'immutable', 'cvss_score is immutable');
SELECT volatility_is('isms', 'cvss_metric', ARRAY['cvss', 'text'], 'immutable', 'cvss_metric is immutable');
SELECT is((SELECT bool_and(proisstrict) FROM pg_proc WHERE pronamespace = 'isms'::regnamespace
             AND proname LIKE 'cvss%'), true, 'every cvss function is STRICT');
SELECT is((SELECT bool_and(proparallel = 's') FROM pg_proc WHERE pronamespace = 'isms'::regnamespace
             AND proname LIKE 'cvss%'), true, 'every cvss function is PARALLEL SAFE');
SELECT ok(NOT has_schema_privilege('public', 'isms', 'USAGE'),
          'PUBLIC cannot reach isms.cvss or its functions (no USAGE on schema isms)');

-- soft errors: pg_input_is_valid exists from PostgreSQL 16 on (called
-- through EXECUTE so that this file parses on older servers too)
CREATE FUNCTION pg_temp.valid(t text) RETURNS boolean LANGUAGE plpgsql AS $f$
DECLARE r boolean;
BEGIN
  EXECUTE 'SELECT pg_input_is_valid($1, ''isms.cvss'')' INTO r USING t;
  RETURN r;
END
$f$;
SELECT CASE WHEN current_setting('server_version_num')::int >= 160000
  THEN is(pg_temp.valid('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H'), false, 'a bad vector is a soft error')
  ELSE pass('soft errors need PostgreSQL 16') END;
SELECT CASE WHEN current_setting('server_version_num')::int >= 160000
  THEN is(pg_temp.valid('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), true, 'a good vector is valid')
  ELSE pass('soft errors need PostgreSQL 16') END;

-- a table column with a CHECK on the severity works like any other type
CREATE TABLE pg_temp.finding (id int PRIMARY KEY, v isms.cvss NOT NULL
  CHECK (isms.cvss_severity(v) <> 'None'));
SELECT throws_ok($$INSERT INTO pg_temp.finding VALUES (1, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N')$$,
                 '23514', NULL, 'a CHECK on the severity refuses a 0.0 vector');
SELECT lives_ok($$INSERT INTO pg_temp.finding VALUES (2, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N')$$,
                'and accepts a 5.3 one');
SELECT is((SELECT count(*)::int FROM pg_temp.finding), 1, 'only the valid row was written');

SELECT * FROM finish();
ROLLBACK;
