-- Privacy (ISO/IEC 27701): whether a scope acts as PII controller, processor
-- or both, and the rule that lets the SoA offer only the annex of that role.
-- Controls carry their role as the attribute "role" (a string or an array of
-- strings) in isms.control.attributes; any framework can use it, so a later
-- edition of ISO/IEC 27701 is new catalogue rows, not new schema.

CREATE TYPE isms.privacy_role AS ENUM ('controller', 'processor', 'both');
COMMENT ON TYPE isms.privacy_role IS
  'Role of a scope in processing PII (ISO/IEC 27701): controller, processor, or both';

CREATE TABLE isms.privacy_scope (
  scope      text PRIMARY KEY REFERENCES isms.scope (id),
  role       isms.privacy_role NOT NULL,
  contact    text CONSTRAINT privacy_scope_contact_not_blank CHECK (btrim(contact) <> ''),
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE isms.privacy_scope IS
  'Privacy role of a scope: controller, processor or both; isms.soa_init offers the ISO/IEC 27701 controls of that role only. A scope without a row is not filtered';
COMMENT ON COLUMN isms.privacy_scope.scope IS 'ISMS scope (isms.scope.id)';
COMMENT ON COLUMN isms.privacy_scope.role IS
  'controller, processor or both; decides which role-specific controls (attribute "role") the scope''s SoA is offered';
COMMENT ON COLUMN isms.privacy_scope.contact IS
  'Privacy contact of the scope (data protection officer or privacy office), shown with the records of processing';
COMMENT ON COLUMN isms.privacy_scope.created_at IS 'When the role was first recorded';

SELECT pg_catalog.pg_extension_config_dump('isms.privacy_scope', '');

SELECT isms.attach_change_log('isms.privacy_scope');

-- The one place that says which control a role is offered.  Only the values
-- controller and processor restrict: a control without them ("role" absent,
-- or used by a user framework for something else) is offered to every scope,
-- and so is every control when the scope declared no role (role NULL).
CREATE FUNCTION isms.control_privacy_roles(attributes jsonb) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT coalesce(pg_catalog.array_agg(DISTINCT v ORDER BY v), '{}')
    FROM pg_catalog.jsonb_array_elements_text(
           CASE pg_catalog.jsonb_typeof(attributes OPERATOR(pg_catalog.->) 'role')
             WHEN 'array' THEN attributes OPERATOR(pg_catalog.->) 'role'
             WHEN 'string' THEN pg_catalog.jsonb_build_array(attributes OPERATOR(pg_catalog.->) 'role')
             ELSE '[]'::jsonb END) AS v
   WHERE v OPERATOR(pg_catalog.=) ANY (ARRAY['controller', 'processor'])
$$;
COMMENT ON FUNCTION isms.control_privacy_roles(jsonb) IS
  'The privacy roles (controller, processor) a control is for, from its attribute "role" (a string or an array); empty when the control is not role-specific';

CREATE FUNCTION isms.privacy_role_covers(role isms.privacy_role, attributes jsonb)
  RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT role IS NULL
      OR role OPERATOR(pg_catalog.=) 'both'::isms.privacy_role
      OR pg_catalog.cardinality(isms.control_privacy_roles(coalesce(attributes, '{}'))) OPERATOR(pg_catalog.=) 0
      OR role::text OPERATOR(pg_catalog.=) ANY (isms.control_privacy_roles(attributes))
$$;
COMMENT ON FUNCTION isms.privacy_role_covers(isms.privacy_role, jsonb) IS
  'true when a scope acting in this privacy role (NULL = not declared) is offered a control with these attributes: the control is not role-specific, or is for a role the scope plays';

-- BEFORE INSERT/UPDATE of an undecided SoA entry.  An offer (an undecided
-- entry, as isms.soa_init makes) of a control for a role the scope does not
-- play is skipped, which is how soa_init, unchanged, offers the matching
-- annex only.  Decided entries pass: an auditor may want Annex B listed as
-- excluded with a justification.  Turning a decided entry of such a control
-- back into an undecided one is refused, so the SoA never holds an offer of
-- the wrong role.  Rows a restore loads (isms.restore_in_progress()) pass unchanged.
CREATE FUNCTION isms.privacy_soa_offer() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  scope_role isms.privacy_role;
  attrs jsonb;
BEGIN
  SELECT p.role INTO scope_role FROM isms.privacy_scope p WHERE p.scope OPERATOR(pg_catalog.=) NEW.scope;
  IF NOT FOUND OR isms.restore_in_progress() THEN
    RETURN NEW;
  END IF;
  SELECT c.attributes INTO attrs FROM isms.control c
   WHERE c.framework OPERATOR(pg_catalog.=) NEW.framework AND c.ref OPERATOR(pg_catalog.=) NEW.control_ref;
  IF NOT FOUND OR isms.privacy_role_covers(scope_role, attrs) THEN
    RETURN NEW;          -- an unknown control is left to the foreign key
  END IF;
  IF TG_OP = 'INSERT' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'control "%" of framework "%" is not offered to scope "%", which acts as PII %',
                  NEW.control_ref, NEW.framework, NEW.scope, scope_role
    USING ERRCODE = 'check_violation', CONSTRAINT = 'soa_entry_privacy_role',
          DETAIL = format('The control is for the role(s) %s; an entry for it must stay decided (applicable true or false, with a justification).',
                          attrs OPERATOR(pg_catalog.->) 'role'),
          HINT = 'Delete the entry, keep it decided, or change the scope''s role in isms.privacy_scope.';
END
$$;
COMMENT ON FUNCTION isms.privacy_soa_offer() IS
  'Trigger on isms.soa_entry: skips an undecided entry (an offer) of a control for a privacy role the scope does not play; refuses to make such an entry undecided again (23514)';

CREATE TRIGGER soa_entry_privacy_offer BEFORE INSERT ON isms.soa_entry
  FOR EACH ROW WHEN (NEW.applicable IS NULL)
  EXECUTE FUNCTION isms.privacy_soa_offer();
CREATE TRIGGER soa_entry_privacy_undecide BEFORE UPDATE ON isms.soa_entry
  FOR EACH ROW WHEN (NEW.applicable IS NULL AND (OLD.applicable IS NOT NULL
                     OR (NEW.scope, NEW.framework, NEW.control_ref)
                        IS DISTINCT FROM (OLD.scope, OLD.framework, OLD.control_ref)))
  EXECUTE FUNCTION isms.privacy_soa_offer();

-- AFTER a scope's role is set or changed: offers of controls it no longer
-- covers go (they hold no decision; the change log keeps them), and when the
-- role widens, the controls it now covers are offered in every framework the
-- scope's SoA already uses.  Nothing happens while a restore loads the
-- rows (isms.restore_in_progress()): the dump holds the SoA exactly as it was.
CREATE FUNCTION isms.privacy_scope_sync() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
BEGIN
  IF isms.restore_in_progress() THEN
    RETURN NULL;         -- a dump holds the SoA exactly as it was
  END IF;
  DELETE FROM isms.soa_entry e
   USING isms.control c
   WHERE e.scope OPERATOR(pg_catalog.=) NEW.scope
     AND e.applicable IS NULL
     AND c.framework OPERATOR(pg_catalog.=) e.framework AND c.ref OPERATOR(pg_catalog.=) e.control_ref
     AND NOT isms.privacy_role_covers(NEW.role, c.attributes);
  IF TG_OP = 'UPDATE' AND OLD.scope OPERATOR(pg_catalog.=) NEW.scope THEN
    INSERT INTO isms.soa_entry (scope, framework, control_ref)
    SELECT NEW.scope, c.framework, c.ref
      FROM isms.control c
     WHERE c.framework IN (SELECT e.framework FROM isms.soa_entry e WHERE e.scope OPERATOR(pg_catalog.=) NEW.scope)
       AND isms.privacy_role_covers(NEW.role, c.attributes)
       AND NOT isms.privacy_role_covers(OLD.role, c.attributes)
     ORDER BY c.framework, c.position, c.ref
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.privacy_scope_sync() IS
  'Trigger on isms.privacy_scope: removes undecided SoA entries of controls the new role does not cover, and offers the controls a widened role now covers';

CREATE TRIGGER privacy_scope_sync AFTER INSERT OR UPDATE OF scope, role ON isms.privacy_scope
  FOR EACH ROW EXECUTE FUNCTION isms.privacy_scope_sync();

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.control_privacy_roles', 'read', NULL),
  ('isms.privacy_role_covers', 'read', NULL),
  ('isms.privacy_soa_offer', 'internal', NULL),
  ('isms.privacy_scope_sync', 'internal', NULL);
