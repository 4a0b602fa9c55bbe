-- isms.scope: the ISMS scopes (an organisation or a business unit).  Every
-- register, SoA, certificate and reminder belongs to one; functions take the
-- scope by its text id.

CREATE TABLE isms.scope (
  id          text PRIMARY KEY
              CONSTRAINT scope_id_format CHECK (id ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
  name        text NOT NULL CONSTRAINT scope_name_not_blank CHECK (btrim(name) <> ''),
  description text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE isms.scope IS
  'ISMS scopes (ISO/IEC 27001 clause 4.3): an organisation or business unit whose ISMS is managed here; the scope "default" is created at install';
COMMENT ON COLUMN isms.scope.id IS
  'Scope id used by every function and table: lower-case letters, digits, "_", "-", "." (1 to 63 characters, starting with a letter or digit)';
COMMENT ON COLUMN isms.scope.name IS 'Display name of the scope';
COMMENT ON COLUMN isms.scope.description IS 'What the scope covers (boundaries, sites, services)';
COMMENT ON COLUMN isms.scope.created_at IS 'When the scope was created';

INSERT INTO isms.scope (id, name, description)
VALUES ('default', 'Default scope', 'Created by CREATE EXTENSION pg_isms');

-- User scopes survive pg_dump; the "default" row is recreated by CREATE EXTENSION.
SELECT pg_catalog.pg_extension_config_dump('isms.scope', $$WHERE id <> 'default'$$);
