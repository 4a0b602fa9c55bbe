-- 00_base: the extension loads, reports its version, lives only in "isms",
-- and leaves nothing behind on DROP, even beside look-alike objects in public.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_isms CASCADE;
RESET client_min_messages;

-- Objects in public with the same names as ours must survive untouched.
CREATE TABLE public.risk (id int PRIMARY KEY, note text);
INSERT INTO public.risk VALUES (1, 'user table');
CREATE FUNCTION public.version() RETURNS text LANGUAGE sql AS $$ SELECT 'user version()' $$;
CREATE SCHEMA user_stuff;
CREATE TABLE user_stuff.control (x int);

CREATE EXTENSION pg_isms;

SELECT isms.version() = extversion AS version_matches_extension
  FROM pg_extension WHERE extname = 'pg_isms';
SELECT extrelocatable FROM pg_extension WHERE extname = 'pg_isms';
-- The schema isms belongs to the extension (so DROP EXTENSION removes it).
SELECT n.nspname AS member_schema
  FROM pg_depend d JOIN pg_namespace n ON d.classid = 'pg_namespace'::regclass AND n.oid = d.objid
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_isms') AND d.deptype = 'e';
SELECT public.version() AS public_version, (SELECT note FROM public.risk WHERE id = 1);

-- Nothing of the extension is in public or any schema but isms.
SELECT count(*) AS members_outside_isms
  FROM pg_depend d
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_isms'
  LEFT JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
  LEFT JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
  LEFT JOIN pg_type t ON d.classid = 'pg_type'::regclass AND t.oid = d.objid
  LEFT JOIN pg_operator o ON d.classid = 'pg_operator'::regclass AND o.oid = d.objid
 WHERE d.deptype = 'e'
   AND coalesce(p.pronamespace, c.relnamespace, t.typnamespace, o.oprnamespace)
       IS DISTINCT FROM 'isms'::regnamespace
   AND d.classid IN ('pg_proc'::regclass, 'pg_class'::regclass, 'pg_type'::regclass, 'pg_operator'::regclass);

-- The C module is loaded under its own name.
SELECT probin FROM pg_proc WHERE oid = 'isms.version()'::regprocedure;

-- Unknown isms.* settings are refused once the module is loaded.
SET isms.no_such_setting = 'x';

-- A schema isms that is not ours is never adopted.
DROP EXTENSION pg_isms;
CREATE SCHEMA isms;
-- Terse: PostgreSQL 18 adds a CONTEXT line naming the script's line.
\set VERBOSITY terse
CREATE EXTENSION pg_isms;
\set VERBOSITY default
SELECT count(*) AS extension_installed FROM pg_extension WHERE extname = 'pg_isms';
DROP SCHEMA isms;

-- DROP leaves nothing behind, and the user's objects are still there.
CREATE EXTENSION pg_isms;
DROP EXTENSION pg_isms;
SELECT count(*) AS isms_schema_left FROM pg_namespace WHERE nspname = 'isms';
SELECT count(*) AS module_functions_left FROM pg_proc WHERE probin LIKE '%pg_isms';
SELECT public.version() AS public_version, (SELECT note FROM public.risk WHERE id = 1);

-- And it can be created again.
CREATE EXTENSION pg_isms;
SELECT isms.version() IS NOT NULL AS recreated;

DROP TABLE public.risk;
DROP FUNCTION public.version();
DROP SCHEMA user_stuff CASCADE;
