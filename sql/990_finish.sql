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
BEGIN
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

SELECT isms.reapply_security();
