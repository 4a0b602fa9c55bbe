-- Least privilege: three levels (reader, editor, admin) granted to roles by
-- isms.grant_reader/_editor/_admin and taken back by the revokes.  Which
-- privilege each object gives at each level is isms.access_map: functions
-- by their row in isms.function_class (stated by the install file that
-- makes them), tables by their dump registration unless isms.table_class
-- says otherwise.  See docs/operations.md and docs/reference/security.md.

-- The class of every table, view, sequence and function of the schema, and
-- the privileges each level gets on it (cumulative: an editor also has what
-- a reader has).  The rule, in order:
--   views: read;  tables: the isms.table_class row, else "config" when the
--   table is dumped with a filter (it holds seeded rows:
--   pg_extension_config_dump with a WHERE), "user" when dumped whole,
--   "derived" when not dumped at all (shipped, read-only data);  sequences:
--   the class of the table whose column owns or uses them;  functions: their
--   isms.function_class row, never inferred: a function without one is
--   "unclassified", gets no privilege, and isms.reapply_security refuses it
--   when it belongs to the extension.
CREATE VIEW isms.access_map AS
WITH ext AS (
  SELECT e.extconfig, e.extcondition FROM pg_catalog.pg_extension e WHERE e.extname = 'pg_isms'
), dumped AS (
  SELECT u.rel, u.cond FROM ext, LATERAL ROWS FROM (pg_catalog.unnest(ext.extconfig), pg_catalog.unnest(ext.extcondition)) AS u(rel, cond)
), rel AS (
  SELECT c.oid, c.relkind,
         pg_catalog.format('%I.%I', n.nspname, c.relname) AS name
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'isms' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
), tclass AS (
  SELECT r.oid, r.name, r.relkind,
         CASE WHEN r.relkind IN ('v', 'm') THEN 'view'
              ELSE coalesce(
                (SELECT a.class FROM isms.table_class a WHERE a.table_name = r.name),
                (SELECT CASE WHEN d.cond = '' THEN 'user' ELSE 'config' END
                   FROM dumped d WHERE d.rel = r.oid),
                'derived') END AS class
    FROM rel r WHERE r.relkind <> 'S'
), sclass AS (
  -- A sequence takes the most privileged writer class of the tables using it:
  -- OWNED BY / identity (pg_depend from the sequence) or a column DEFAULT
  -- calling nextval (pg_depend from the default expression).
  SELECT s.oid, s.name,
         coalesce((SELECT CASE WHEN pg_catalog.bool_or(t.class = 'user') THEN 'user'
                               WHEN pg_catalog.bool_or(t.class = 'config') THEN 'config'
                               ELSE 'derived' END
                     FROM pg_catalog.pg_depend d
                     LEFT JOIN pg_catalog.pg_attrdef ad
                            ON d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND ad.oid = d.objid
                     JOIN tclass t ON t.oid = CASE WHEN d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                                                   THEN d.refobjid ELSE ad.adrelid END
                    WHERE (d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = s.oid
                           AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype IN ('a', 'i'))
                       OR (d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass
                           AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = s.oid)),
                  'derived') AS class
    FROM rel s WHERE s.relkind = 'S'
), fclass AS (
  SELECT p.oid,
         pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes)) AS name,
         coalesce((SELECT a.class FROM isms.function_class a
                    WHERE a.function_name = n.nspname || '.' || p.proname),
                  'unclassified') AS class
    FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname = 'isms'
)
SELECT 'table'::text AS object_type, t.name AS object_name, t.class,
       'SELECT'::text AS reader,
       CASE WHEN t.class = 'user' THEN 'SELECT, INSERT, UPDATE, DELETE' ELSE 'SELECT' END AS editor,
       CASE WHEN t.class IN ('user', 'config') THEN 'SELECT, INSERT, UPDATE, DELETE' ELSE 'SELECT' END AS admin
  FROM tclass t WHERE t.class <> 'view'
UNION ALL
SELECT 'view', t.name, t.class, 'SELECT', 'SELECT', 'SELECT' FROM tclass t WHERE t.class = 'view'
UNION ALL
SELECT 'sequence', s.name, s.class, NULL,
       CASE WHEN s.class = 'user' THEN 'USAGE, SELECT' END,
       CASE WHEN s.class IN ('user', 'config') THEN 'USAGE, SELECT' END
  FROM sclass s
UNION ALL
SELECT 'function', f.name, f.class,
       CASE WHEN f.class = 'read' THEN 'EXECUTE' END,
       CASE WHEN f.class IN ('read', 'write') THEN 'EXECUTE' END,
       CASE WHEN f.class IN ('read', 'write', 'admin') THEN 'EXECUTE' END
  FROM fclass f;
COMMENT ON VIEW isms.access_map IS
  'Every table, view, sequence and function of isms with its access class and the privileges isms.grant_reader, isms.grant_editor and isms.grant_admin give on it (NULL: none)';
COMMENT ON COLUMN isms.access_map.object_type IS 'table, view, sequence or function';
COMMENT ON COLUMN isms.access_map.object_name IS 'Schema-qualified name (functions with their argument types)';
COMMENT ON COLUMN isms.access_map.class IS
  'Access class: user, config, derived (tables and sequences), view, or read, write, admin, internal, owner (functions, from isms.function_class; unclassified when it has no row)';
COMMENT ON COLUMN isms.access_map.reader IS 'Privileges a reader gets on the object (NULL: none)';
COMMENT ON COLUMN isms.access_map.editor IS 'Privileges an editor gets on the object (NULL: none)';
COMMENT ON COLUMN isms.access_map.admin IS 'Privileges an admin gets on the object (NULL: none)';

CREATE TABLE isms.role_access (
  role_name  name PRIMARY KEY,
  level      text NOT NULL CONSTRAINT role_access_level CHECK (level IN ('reader', 'editor', 'admin')),
  granted_at timestamptz NOT NULL DEFAULT now(),
  granted_by name NOT NULL DEFAULT current_user
);
COMMENT ON TABLE isms.role_access IS
  'Roles given access by isms.grant_reader, isms.grant_editor or isms.grant_admin, with their level; isms.reapply_security grants again from it after an upgrade';
COMMENT ON COLUMN isms.role_access.role_name IS 'The role (name at the time of the grant)';
COMMENT ON COLUMN isms.role_access.level IS 'reader, editor or admin (each includes the ones before)';
COMMENT ON COLUMN isms.role_access.granted_at IS 'When the level was last set';
COMMENT ON COLUMN isms.role_access.granted_by IS 'Role that set it';
SELECT pg_catalog.pg_extension_config_dump('isms.role_access', '');
INSERT INTO isms.table_class (table_name, class, reason) VALUES
  ('isms.role_access', 'derived', 'written only by isms.grant_* and isms.revoke_*');

-- Take every privilege of the role on isms away, then give it those of
-- "level" (NULL: none).  Owner-only: GRANT needs ownership of the objects.
CREATE FUNCTION isms.set_access_level(target regrole, level text) RETURNS text
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  r record;
  rolname name;
  privs text;
BEGIN
  IF target IS NULL THEN
    RAISE EXCEPTION 'role must not be NULL' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  SELECT a.rolname INTO rolname FROM pg_catalog.pg_roles a WHERE a.oid OPERATOR(pg_catalog.=) target::oid;
  IF rolname IS NULL THEN
    RAISE EXCEPTION 'role with OID % does not exist', target::oid USING ERRCODE = 'undefined_object';
  END IF;
  IF rolname OPERATOR(pg_catalog.~) '^pg_' THEN
    RAISE EXCEPTION 'access levels are not given to the predefined role "%"', rolname
      USING ERRCODE = 'reserved_name', HINT = 'Grant the level to a role of your own.';
  END IF;
  EXECUTE pg_catalog.format('REVOKE ALL ON ALL TABLES IN SCHEMA isms FROM %I', rolname);
  EXECUTE pg_catalog.format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA isms FROM %I', rolname);
  EXECUTE pg_catalog.format('REVOKE ALL ON ALL ROUTINES IN SCHEMA isms FROM %I', rolname);
  EXECUTE pg_catalog.format('REVOKE ALL ON SCHEMA isms FROM %I', rolname);
  IF level IS NULL THEN
    DELETE FROM isms.role_access a WHERE a.role_name OPERATOR(pg_catalog.=) rolname;
    RETURN NULL;
  END IF;
  EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA isms TO %I', rolname);
  FOR r IN SELECT m.object_type, m.object_name, m.reader, m.editor, m.admin
             FROM isms.access_map m ORDER BY m.object_type, m.object_name
  LOOP
    privs := CASE level WHEN 'reader' THEN r.reader WHEN 'editor' THEN r.editor ELSE r.admin END;
    CONTINUE WHEN privs IS NULL;
    EXECUTE pg_catalog.format('GRANT %s ON %s %s TO %I', privs,
      CASE r.object_type WHEN 'function' THEN 'ROUTINE' WHEN 'sequence' THEN 'SEQUENCE' ELSE 'TABLE' END,
      r.object_name, rolname);
  END LOOP;
  INSERT INTO isms.role_access AS a (role_name, level) VALUES (rolname, level)
  ON CONFLICT (role_name) DO UPDATE
    SET level = excluded.level, granted_at = pg_catalog.now(), granted_by = CURRENT_USER
    WHERE a.level OPERATOR(pg_catalog.<>) excluded.level;
  RETURN level;
END
$$;
COMMENT ON FUNCTION isms.set_access_level(regrole, text) IS
  'Internal: revoke every privilege of a role on isms, then grant those of the level (reader, editor, admin, or NULL for none) from isms.access_map';

-- The level a role has now (NULL: none).
CREATE FUNCTION isms.access_level(target regrole) RETURNS text
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT a.level FROM isms.role_access a JOIN pg_catalog.pg_roles r ON r.rolname OPERATOR(pg_catalog.=) a.role_name
   WHERE r.oid OPERATOR(pg_catalog.=) target::oid
$$;
COMMENT ON FUNCTION isms.access_level(regrole) IS
  'The access level (reader, editor, admin) given to a role by isms.grant_*; NULL when it has none';

CREATE FUNCTION isms.grant_reader(role regrole) RETURNS text
  LANGUAGE sql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT isms.set_access_level(role,
    CASE WHEN isms.access_level(role) IN ('editor', 'admin') THEN isms.access_level(role) ELSE 'reader' END)
$$;
COMMENT ON FUNCTION isms.grant_reader(regrole) IS
  'Let a role read isms: USAGE on the schema, SELECT on every table and view, EXECUTE on read functions; a role already editor or admin keeps its level; returns the level';

CREATE FUNCTION isms.grant_editor(role regrole) RETURNS text
  LANGUAGE sql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT isms.set_access_level(role,
    CASE WHEN isms.access_level(role) = 'admin' THEN 'admin' ELSE 'editor' END)
$$;
COMMENT ON FUNCTION isms.grant_editor(regrole) IS
  'Reader, plus INSERT, UPDATE, DELETE on user-data tables (SoA, register, audits, ...) and EXECUTE on writing functions; never on the change log or reminders; an admin stays admin; returns the level';

CREATE FUNCTION isms.grant_admin(role regrole) RETURNS text
  LANGUAGE sql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT isms.set_access_level(role, 'admin')
$$;
COMMENT ON FUNCTION isms.grant_admin(regrole) IS
  'Editor, plus writing configuration: scopes, scope membership, risk matrices, frameworks and controls; returns the level';

CREATE FUNCTION isms.revoke_reader(role regrole) RETURNS text
  LANGUAGE sql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT isms.set_access_level(role, NULL)
$$;
COMMENT ON FUNCTION isms.revoke_reader(regrole) IS
  'Take every privilege on isms from a role (whatever its level); returns NULL';

CREATE FUNCTION isms.revoke_editor(role regrole) RETURNS text
  LANGUAGE sql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT isms.set_access_level(role, CASE WHEN isms.access_level(role) IS NULL THEN NULL ELSE 'reader' END)
$$;
COMMENT ON FUNCTION isms.revoke_editor(regrole) IS
  'Take writing away from an editor or admin, who stays a reader (a role without access keeps none); returns the level left';

CREATE FUNCTION isms.revoke_admin(role regrole) RETURNS text
  LANGUAGE sql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT isms.set_access_level(role, CASE WHEN isms.access_level(role) = 'admin' THEN 'editor' ELSE isms.access_level(role) END)
$$;
COMMENT ON FUNCTION isms.revoke_admin(regrole) IS
  'Take configuration rights away from an admin, who stays an editor (other roles keep their level); returns the level left';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.set_access_level', 'owner', 'grants and revokes privileges: needs ownership of the objects'),
  ('isms.access_level', 'read', NULL),
  ('isms.grant_reader', 'owner', 'grants privileges: needs ownership of the objects'),
  ('isms.grant_editor', 'owner', 'grants privileges: needs ownership of the objects'),
  ('isms.grant_admin', 'owner', 'grants privileges: needs ownership of the objects'),
  ('isms.revoke_reader', 'owner', 'revokes privileges: needs ownership of the objects'),
  ('isms.revoke_editor', 'owner', 'revokes privileges: needs ownership of the objects'),
  ('isms.revoke_admin', 'owner', 'revokes privileges: needs ownership of the objects');
