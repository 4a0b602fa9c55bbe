-- isms.scope: the ISMS scopes (an organisation or a business unit).  Every
-- register, SoA, certificate and reminder belongs to one; functions take the
-- scope by its text id.

CREATE TABLE isms.scope (
  id          text PRIMARY KEY
              CONSTRAINT scope_id_format CHECK (id ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
  name        text NOT NULL CONSTRAINT scope_name_not_blank CHECK (btrim(name) <> ''),
  description text,
  created_at  timestamptz DEFAULT now()
);
COMMENT ON TABLE isms.scope IS
  'ISMS scopes (ISO/IEC 27001 clause 4.3): an organisation or business unit whose ISMS is managed here; the scope "default" is created at install';
COMMENT ON COLUMN isms.scope.id IS
  'Scope id used by every function and table: lower-case letters, digits, "_", "-", "." (1 to 63 characters, starting with a letter or digit)';
COMMENT ON COLUMN isms.scope.name IS 'Display name of the scope';
COMMENT ON COLUMN isms.scope.description IS 'What the scope covers (boundaries, sites, services)';
COMMENT ON COLUMN isms.scope.created_at IS 'When the scope was created; NULL for the built-in scope "default"';

INSERT INTO isms.scope (id, name, description, created_at)
VALUES ('default', 'Default scope', 'Created by CREATE EXTENSION pg_isms', NULL);

-- User scopes survive pg_dump; the "default" row is recreated by CREATE
-- EXTENSION, so it is read-only: an edit to it could not survive a dump.
SELECT pg_catalog.pg_extension_config_dump('isms.scope', $$WHERE id <> 'default'$$);

CREATE FUNCTION isms.scope_protect_default() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF OLD.id = 'default' THEN
    RAISE EXCEPTION 'the built-in scope "default" cannot be changed or deleted'
      USING ERRCODE = '55000',
            HINT = 'Create a scope of your own: INSERT INTO isms.scope (id, name) VALUES (...).';
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION isms.scope_protect_default() IS
  'Trigger function: refuses UPDATE or DELETE of the built-in scope "default" (SQLSTATE 55000), which CREATE EXTENSION recreates and pg_dump does not carry';

CREATE TRIGGER scope_protect_default BEFORE UPDATE OR DELETE ON isms.scope
  FOR EACH ROW EXECUTE FUNCTION isms.scope_protect_default();

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.scope_protect_default', 'internal', NULL);
