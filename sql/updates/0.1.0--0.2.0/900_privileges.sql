-- Part of 0.1.0 -> 0.2.0 for sql/900_privileges.sql: isms.access_map reads
-- the stated classes (isms.function_class, isms.table_class) instead of
-- inferring them; isms.access_rule goes (its rows moved in 001_base.sql).

DROP VIEW isms.access_map;
DROP TABLE isms.access_rule;

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

