-- 00_base: schema, module, version, name collisions, nothing in public.
BEGIN;
SELECT plan(12);

CREATE TABLE public.risk (id int);
CREATE FUNCTION public.version() RETURNS text LANGUAGE sql AS $$ SELECT 'mine' $$;
CREATE EXTENSION IF NOT EXISTS pg_isms;

SELECT has_schema('isms', 'CREATE EXTENSION makes the isms schema');
SELECT has_function('isms', 'version', ARRAY[]::name[], 'isms.version() exists');
SELECT is(isms.version(), (SELECT extversion FROM pg_extension WHERE extname = 'pg_isms')::text,
          'isms.version() equals the installed extension version');
SELECT volatility_is('isms', 'version', ARRAY[]::name[], 'immutable', 'version() is immutable');
SELECT is((SELECT extrelocatable FROM pg_extension WHERE extname = 'pg_isms'), false,
          'the extension is not relocatable');
SELECT is((SELECT count(*)::int FROM pg_depend d
            WHERE d.classid = 'pg_namespace'::regclass AND d.objid = 'isms'::regnamespace
              AND d.deptype = 'e'
              AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_isms')), 1,
          'schema isms is a member of the extension');
SELECT is(public.version(), 'mine', 'a user function public.version() is untouched');
SELECT has_table('public', 'risk', 'a user table public.risk is untouched');
SELECT is((SELECT count(*)::int FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
             JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
            WHERE e.extname = 'pg_isms' AND d.deptype = 'e'
              AND p.pronamespace = 'public'::regnamespace), 0,
          'no extension function lands in public');
SELECT is((SELECT count(*)::int FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
             JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
            WHERE e.extname = 'pg_isms' AND d.deptype = 'e'
              AND c.relnamespace = 'public'::regnamespace), 0,
          'no extension relation lands in public');
SELECT ok(NOT has_schema_privilege('public', 'isms', 'CREATE'),
          'PUBLIC cannot create objects in isms');
SELECT matches((SELECT probin FROM pg_proc WHERE oid = 'isms.version()'::regprocedure),
            'pg_isms$', 'version() comes from the pg_isms module');

SELECT * FROM finish();
ROLLBACK;
