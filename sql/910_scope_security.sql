-- Row-level security per scope.  isms.scope_member says which roles (or
-- group roles, through membership) belong to which scope; once
-- isms.enable_scope_security() has run, every table with a scope column, the
-- tables that hang off them by foreign key, and the change log show and
-- accept only rows of the caller's scopes.  Views run with the caller's
-- rights (security_invoker, PostgreSQL 15+; see isms.reapply_security), so
-- they do not bypass the policies.

CREATE TABLE isms.scope_member (
  scope     text NOT NULL REFERENCES isms.scope (id) ON DELETE CASCADE,
  role_name name NOT NULL CONSTRAINT scope_member_role_not_blank CHECK (role_name <> ''),
  PRIMARY KEY (scope, role_name)
);
COMMENT ON TABLE isms.scope_member IS
  'Which roles belong to which scope; with isms.enable_scope_security() a role sees and changes only rows of scopes it (or a role it is a member of) belongs to';
COMMENT ON COLUMN isms.scope_member.scope IS 'Scope id (isms.scope.id)';
COMMENT ON COLUMN isms.scope_member.role_name IS
  'Role name; members of this role (directly or through other roles) belong to the scope too, so a group role per scope works';
SELECT pg_catalog.pg_extension_config_dump('isms.scope_member', '');
INSERT INTO isms.table_class (table_name, class, reason) VALUES
  ('isms.scope_member', 'config', 'who may see which scope is configuration: admins only');

-- Whether scope security is on.  pg_dump does not carry policies or the
-- row-level-security flag of extension tables, so this row (dumped as data)
-- switches it back on when a restore loads it: see the trigger below.
CREATE TABLE isms.scope_security_state (
  singleton  boolean PRIMARY KEY DEFAULT true CONSTRAINT scope_security_state_one_row CHECK (singleton),
  enabled    boolean NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  changed_by name NOT NULL DEFAULT current_user
);
COMMENT ON TABLE isms.scope_security_state IS
  'One row once isms.enable_scope_security() or isms.disable_scope_security() has run: whether scope security is on; restoring the row from a dump switches it on again';
COMMENT ON COLUMN isms.scope_security_state.singleton IS 'Always true: the table holds at most one row';
COMMENT ON COLUMN isms.scope_security_state.enabled IS 'true while scope security is on';
COMMENT ON COLUMN isms.scope_security_state.changed_at IS 'When it was last switched';
COMMENT ON COLUMN isms.scope_security_state.changed_by IS 'Role that switched it';
SELECT pg_catalog.pg_extension_config_dump('isms.scope_security_state', '');
INSERT INTO isms.table_class (table_name, class, reason) VALUES
  ('isms.scope_security_state', 'derived', 'written only by isms.enable_scope_security and isms.disable_scope_security');

-- The scopes the current role belongs to.  SECURITY INVOKER on purpose:
-- current_user must be the caller, not an owner.
CREATE FUNCTION isms.my_scopes() RETURNS text[]
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT coalesce(pg_catalog.array_agg(DISTINCT m.scope ORDER BY m.scope), '{}')
    FROM isms.scope_member m
    JOIN pg_catalog.pg_roles r ON r.rolname OPERATOR(pg_catalog.=) m.role_name
   WHERE pg_catalog.pg_has_role(r.oid, 'MEMBER')
$$;
COMMENT ON FUNCTION isms.my_scopes() IS
  'Scopes the current role belongs to through isms.scope_member (directly or by role membership); what the scope policies let it see';

-- Tables protected by isms.enable_scope_security(), and how: by their own
-- scope column, through a foreign key to a protected table (repeated until
-- nothing changes), or the change log by the scope inside the logged rows.
CREATE VIEW isms.scope_security AS
WITH RECURSIVE tabs AS (
  SELECT c.oid, pg_catalog.format('%I.%I', n.nspname, c.relname) AS name
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'isms' AND c.relkind IN ('r', 'p')
     AND c.relname NOT IN ('scope', 'scope_member')
), direct AS (
  -- A text column named scope, or any column with a one-column foreign key
  -- to isms.scope.
  (SELECT DISTINCT ON (t.oid) t.oid, t.name, 'scope column'::text AS how, a.attname AS scope_column,
         NULL::oid AS fk
    FROM tabs t
    JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
   WHERE (a.attname = 'scope' AND a.atttypid = 'pg_catalog.text'::pg_catalog.regtype)
      OR EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                  WHERE k.conrelid = t.oid AND k.contype = 'f' AND k.conkey = ARRAY[a.attnum]
                    AND k.confrelid = 'isms.scope'::pg_catalog.regclass)
   ORDER BY t.oid, a.attname <> 'scope', a.attnum)
  UNION ALL
  SELECT t.oid, t.name, 'scope in logged row', NULL::name, NULL::oid
    FROM tabs t WHERE t.name = 'isms.change_log'
), chain AS (
  SELECT d.oid, d.name, d.how COLLATE "default", d.scope_column, d.fk, 0 AS depth FROM direct d
  UNION ALL
  SELECT t.oid, t.name, ('foreign key to ' || p.name)::text COLLATE "default", NULL::name, k.oid, p.depth + 1
    FROM chain p
    JOIN pg_catalog.pg_constraint k ON k.contype = 'f' AND k.confrelid = p.oid
    JOIN tabs t ON t.oid = k.conrelid
   WHERE p.depth < 8 AND t.oid <> p.oid
     AND NOT EXISTS (SELECT 1 FROM direct d WHERE d.oid = t.oid)
)
SELECT DISTINCT ON (c.oid)
       c.name AS table_name, c.how, c.scope_column,
       c.fk AS via_constraint,
       EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'isms_scope') AS enabled,
       x.relrowsecurity AS row_security
  FROM chain c JOIN pg_catalog.pg_class x ON x.oid = c.oid
 ORDER BY c.oid, c.depth, c.fk;
COMMENT ON VIEW isms.scope_security IS
  'Tables isms.enable_scope_security() protects, how each is tied to a scope, and whether its policy is in place';
COMMENT ON COLUMN isms.scope_security.table_name IS 'The protected table';
COMMENT ON COLUMN isms.scope_security.how IS
  'scope column (its own), foreign key to T (rows visible when the referenced row of T is), or scope in logged row (isms.change_log)';
COMMENT ON COLUMN isms.scope_security.scope_column IS 'The column holding the scope id (for how = scope column)';
COMMENT ON COLUMN isms.scope_security.via_constraint IS 'OID of the foreign key used (NULL for the other kinds)';
COMMENT ON COLUMN isms.scope_security.enabled IS 'true when the policy isms_scope exists on the table';
COMMENT ON COLUMN isms.scope_security.row_security IS 'true when row-level security is enabled on the table';

CREATE FUNCTION isms.enable_scope_security() RETURNS integer
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  r record;
  cond text;
  mine constant text := '((SELECT isms.my_scopes())::text[])';
  n integer := 0;
BEGIN
  FOR r IN SELECT s.table_name, s.how, s.scope_column, s.via_constraint, s.enabled FROM isms.scope_security s ORDER BY 1 LOOP
    IF r.how = 'scope column' THEN
      cond := pg_catalog.format('%I IS NULL OR %I OPERATOR(pg_catalog.=) ANY %s', r.scope_column, r.scope_column, mine);
    ELSIF r.how = 'scope in logged row' THEN
      -- An entry is visible when the logged row would be: by its scope
      -- column, or through the row its foreign key references (so an entry
      -- whose referenced row is gone stays hidden); entries of tables
      -- outside scope security stay visible.
      SELECT 'CASE table_name ' || coalesce(pg_catalog.string_agg(x.arm, ' ' ORDER BY x.table_name), '')
             || ' ELSE true END'
        INTO cond
        FROM (
          SELECT s.table_name,
                 pg_catalog.format('WHEN %L THEN %s', s.table_name,
                   CASE WHEN s.how = 'scope column' THEN
                     pg_catalog.format('coalesce(coalesce(new_row, old_row) OPERATOR(pg_catalog.->>) %L OPERATOR(pg_catalog.=) ANY %s, true)',
                                       s.scope_column, mine)
                   ELSE
                     (SELECT pg_catalog.format('EXISTS (SELECT 1 FROM %s p WHERE %s)', k.confrelid::pg_catalog.regclass,
                               pg_catalog.string_agg(pg_catalog.format(
                                 'p.%I::text OPERATOR(pg_catalog.=) (coalesce(new_row, old_row) OPERATOR(pg_catalog.->>) %L)',
                                 pa.attname, ca.attname), ' AND ' ORDER BY u.i))
                        FROM pg_catalog.pg_constraint k
                        CROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest(k.conkey), pg_catalog.unnest(k.confkey)) WITH ORDINALITY AS u(ck, pk, i)
                        JOIN pg_catalog.pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = u.ck
                        JOIN pg_catalog.pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = u.pk
                       WHERE k.oid = s.via_constraint
                       GROUP BY k.confrelid)
                   END) AS arm
            FROM isms.scope_security s
           WHERE s.how <> 'scope in logged row'
        ) x;
    ELSE
      -- EXISTS over the referenced table: its own policy decides.
      SELECT pg_catalog.format('EXISTS (SELECT 1 FROM %s p WHERE %s)', k.confrelid::pg_catalog.regclass,
               pg_catalog.string_agg(pg_catalog.format('p.%I OPERATOR(pg_catalog.=) %I.%I', pa.attname,
                                      c.relname, ca.attname), ' AND ' ORDER BY u.i))
        INTO cond
        FROM pg_catalog.pg_constraint k
        JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
        CROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest(k.conkey), pg_catalog.unnest(k.confkey)) WITH ORDINALITY AS u(ck, pk, i)
        JOIN pg_catalog.pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = u.ck
        JOIN pg_catalog.pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = u.pk
       WHERE k.oid = r.via_constraint
       GROUP BY k.confrelid;
      -- A NULL foreign key references nothing: such rows stay visible.
      cond := pg_catalog.format('(%s) OR %s', cond,
        (SELECT pg_catalog.string_agg(pg_catalog.format('%I IS NULL', a.attname), ' OR ')
           FROM pg_catalog.pg_constraint k
           JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
          WHERE k.oid = r.via_constraint));
    END IF;
    IF r.enabled THEN
      EXECUTE pg_catalog.format('DROP POLICY isms_scope ON %s', r.table_name);
    END IF;
    EXECUTE pg_catalog.format('CREATE POLICY isms_scope ON %s USING (%s) WITH CHECK (%s)',
                              r.table_name, cond, cond);
    EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', r.table_name);
    n := n + 1;
  END LOOP;
  INSERT INTO isms.scope_security_state AS s (enabled) VALUES (true)
  ON CONFLICT (singleton) DO UPDATE SET enabled = true, changed_at = pg_catalog.now(), changed_by = CURRENT_USER
    WHERE NOT s.enabled;
  RETURN n;
END
$$;
COMMENT ON FUNCTION isms.enable_scope_security() IS
  'Turn on row-level security per scope on every table listed by isms.scope_security (policy isms_scope); returns the number of tables; run again after an upgrade adds tables (isms.reapply_security does)';

CREATE FUNCTION isms.disable_scope_security() RETURNS integer
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  r record;
  n integer := 0;
BEGIN
  FOR r IN SELECT p.polrelid::pg_catalog.regclass AS t
             FROM pg_catalog.pg_policy p
             JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
            WHERE c.relnamespace = 'isms'::pg_catalog.regnamespace AND p.polname = 'isms_scope'
            ORDER BY 1
  LOOP
    EXECUTE pg_catalog.format('DROP POLICY isms_scope ON %s', r.t);
    -- Policies of the DBA's own keep row-level security on.
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE p.polrelid = r.t) THEN
      EXECUTE pg_catalog.format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY', r.t);
    END IF;
    n := n + 1;
  END LOOP;
  UPDATE isms.scope_security_state s SET enabled = false, changed_at = pg_catalog.now(), changed_by = CURRENT_USER
   WHERE s.enabled;
  RETURN n;
END
$$;
COMMENT ON FUNCTION isms.disable_scope_security() IS
  'Drop the scope policies made by isms.enable_scope_security() and turn row-level security off where no other policy remains; returns the number of tables';

-- A restore loads the state row after CREATE EXTENSION made the tables
-- without policies: switch scope security back on then.
CREATE FUNCTION isms.scope_security_restore() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
BEGIN
  IF NEW.enabled AND EXISTS (SELECT 1 FROM isms.scope_security s WHERE NOT s.enabled) THEN
    PERFORM isms.enable_scope_security();
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.scope_security_restore() IS
  'Trigger of isms.scope_security_state: a restored row saying enabled switches scope security on (pg_dump does not carry policies of extension tables)';
CREATE TRIGGER scope_security_restore AFTER INSERT ON isms.scope_security_state
  FOR EACH ROW EXECUTE FUNCTION isms.scope_security_restore();

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.my_scopes', 'read', NULL),
  ('isms.enable_scope_security', 'owner', 'ALTER TABLE ... ENABLE ROW LEVEL SECURITY needs ownership'),
  ('isms.disable_scope_security', 'owner', 'ALTER TABLE ... DISABLE ROW LEVEL SECURITY needs ownership'),
  ('isms.scope_security_restore', 'internal', NULL);
