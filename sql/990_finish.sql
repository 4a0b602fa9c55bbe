-- Runs last in the extension script, and at the end of every upgrade script
-- (docs/operations.md, "Upgrades"): applies the privilege model to every
-- object that exists by then, so objects of any capability are covered
-- without edits here.

CREATE FUNCTION isms.reapply_security() RETURNS void
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  r record;
  missing text;
BEGIN
  -- Every function of the extension has its stated class, and every stated
  -- class a function: access is never guessed (docs/development.md).
  SELECT pg_catalog.string_agg(DISTINCT n.nspname || '.' || p.proname, ', ') INTO missing
    FROM pg_catalog.pg_proc p
    JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
    JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid
                               AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.deptype = 'e'
    JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_isms'
   WHERE n.nspname = 'isms'
     AND NOT EXISTS (SELECT 1 FROM isms.function_class c WHERE c.function_name = n.nspname || '.' || p.proname);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'functions of pg_isms without an access class: %', missing
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'Add a row to isms.function_class in the install file that creates them (docs/development.md, "Adding a function: classify it").';
  END IF;
  SELECT pg_catalog.string_agg(c.function_name, ', ' ORDER BY c.function_name) INTO missing
    FROM isms.function_class c
   WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc p
                      WHERE p.pronamespace = 'isms'::pg_catalog.regnamespace
                        AND 'isms.' || p.proname = c.function_name);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'access classes for functions that do not exist: %', missing
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'Delete the rows of isms.function_class for the functions a script drops.';
  END IF;
  -- PUBLIC: no schema access, nothing writable, nothing that writes runs.
  REVOKE ALL ON SCHEMA isms FROM PUBLIC;
  REVOKE ALL ON ALL TABLES IN SCHEMA isms FROM PUBLIC;
  REVOKE ALL ON ALL SEQUENCES IN SCHEMA isms FROM PUBLIC;
  FOR r IN SELECT m.object_name FROM isms.access_map m
            WHERE m.object_type = 'function' AND m.class <> 'read' ORDER BY 1
  LOOP
    EXECUTE pg_catalog.format('REVOKE EXECUTE ON ROUTINE %s FROM PUBLIC', r.object_name);
  END LOOP;
  -- Views run with the caller's rights, so scope policies apply through
  -- them (PostgreSQL 15+; before that views bypass row-level security:
  -- docs/operations.md).
  IF pg_catalog.current_setting('server_version_num')::int >= 150000 THEN
    FOR r IN SELECT c.oid::pg_catalog.regclass AS v FROM pg_catalog.pg_class c
              WHERE c.relnamespace = 'isms'::pg_catalog.regnamespace AND c.relkind = 'v'
                AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)
              ORDER BY 1
    LOOP
      EXECUTE pg_catalog.format('ALTER VIEW %s SET (security_invoker = true)', r.v);
    END LOOP;
  END IF;
  -- Roles keep their level over objects added since the grant.
  FOR r IN SELECT a.role_name, a.level, x.oid FROM isms.role_access a
             JOIN pg_catalog.pg_roles x ON x.rolname = a.role_name ORDER BY 1
  LOOP
    PERFORM isms.set_access_level(r.oid::pg_catalog.regrole, r.level);
  END LOOP;
  -- Scope security, when on, covers tables added since.
  IF EXISTS (SELECT 1 FROM isms.scope_security_state s WHERE s.enabled) THEN
    PERFORM isms.enable_scope_security();
  END IF;
END
$$;
COMMENT ON FUNCTION isms.reapply_security() IS
  'Apply the privilege model to every object of isms: revoke from PUBLIC, views with the caller''s rights (PG15+), grant again the levels in isms.role_access, extend scope security to new tables; run at the end of CREATE EXTENSION and of every upgrade';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.reapply_security', 'owner', 'changes privileges, views and policies: needs ownership');

SELECT isms.reapply_security();
