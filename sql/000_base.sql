-- pg_isms extension script, assembled from sql/*.sql in name order.
\echo Use "CREATE EXTENSION pg_isms" to load this file. \quit

-- The schema is made here, as a member of the extension, so DROP EXTENSION
-- removes it with everything in it (see docs/design-decisions.md: why the
-- control file names pg_catalog).  An existing schema "isms" is an error,
-- never silently adopted.
CREATE SCHEMA isms;
COMMENT ON SCHEMA isms IS
  'pg_isms: ISO/IEC 27001 information security management system (risk register, Annex A catalogue, Statement of Applicability, audit cycle, calendars)';

-- Nothing in isms is usable by PUBLIC unless granted below or by
-- isms.grant_reader/editor/admin.
REVOKE ALL ON SCHEMA isms FROM PUBLIC;

CREATE FUNCTION isms.version() RETURNS text
  AS 'MODULE_PATHNAME', 'isms_version'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.version() IS
  'Version of the loaded pg_isms C module; equals the installed extension version';


-- The access class of every function, stated where the function is made:
-- each sql/NNN_*.sql file ends with the rows for the functions it creates
-- (docs/development.md, "Adding a function: classify it").  The privilege
-- model (sql/900_privileges.sql, isms.access_map) grants from these rows,
-- never from a function's volatility, and isms.reapply_security refuses to
-- finish an install or upgrade that leaves a function of the extension
-- unclassified or a row without its function.
CREATE TABLE isms.function_class (
  function_name text PRIMARY KEY CONSTRAINT function_class_name CHECK (function_name ~ '^isms\.[a-z_][a-z0-9_]*$'),
  class         text NOT NULL CONSTRAINT function_class_class CHECK (class IN ('read', 'write', 'admin', 'internal', 'owner')),
  reason        text
);
COMMENT ON TABLE isms.function_class IS
  'Access class of every function of isms, one row per name (all overloads share it); isms.access_map grants EXECUTE from it (shipped with the extension, read-only)';
COMMENT ON COLUMN isms.function_class.function_name IS 'Schema-qualified name without arguments or quotes, e.g. isms.soa_init';
COMMENT ON COLUMN isms.function_class.class IS
  'read (readers and up), write (editors and up), admin (admins), internal (nobody calls it directly: triggers, helpers of SECURITY DEFINER code), owner (extension owner only: needs ownership)';
COMMENT ON COLUMN isms.function_class.reason IS 'Why, where the class is not plain from what the function does (NULL: it is)';

-- Tables whose class the rule of isms.access_map cannot read from their
-- pg_extension_config_dump registration; each install file adds the rows
-- for its own tables.
CREATE TABLE isms.table_class (
  table_name text PRIMARY KEY CONSTRAINT table_class_name CHECK (table_name ~ '^isms\.[a-z_][a-z0-9_]*$'),
  class      text NOT NULL CONSTRAINT table_class_class CHECK (class IN ('user', 'config', 'derived')),
  reason     text NOT NULL
);
COMMENT ON TABLE isms.table_class IS
  'Exceptions to the table rule of isms.access_map: tables whose class their dump registration does not tell (shipped with the extension, read-only)';
COMMENT ON COLUMN isms.table_class.table_name IS 'Schema-qualified table name, e.g. isms.reminder (its sequences follow it)';
COMMENT ON COLUMN isms.table_class.class IS
  'user (editors write), config (admins write), derived (nobody writes directly)';
COMMENT ON COLUMN isms.table_class.reason IS 'Why the table is an exception';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.version', 'read', NULL);
