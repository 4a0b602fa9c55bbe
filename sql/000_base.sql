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

