-- OSCAL 1.x catalog exchange: isms.oscal_catalog(framework) writes a
-- framework as an OSCAL catalog (groups, controls, nested controls, in
-- order); isms.oscal_import_catalog(jsonb) reads one back as a new framework.
-- Errors name the JSON path at fault (22023 for a missing member or wrong
-- JSON type, 22P02 for a malformed value); an error writes nothing.
-- pg_isms-specific data (ISO/IEC 27002 attributes, theme, jsonb attributes)
-- travels as props in the namespace urn:pg-isms, so a round trip keeps it.

-- The OSCAL id of a control or group: the stored one, else the reference
-- itself when it is an OSCAL token, else "control-"/"group-" + the
-- reference with other characters replaced by "_".
CREATE FUNCTION isms.oscal_token(ref text, kind text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT CASE WHEN ref OPERATOR(pg_catalog.~) '^[A-Za-z_][A-Za-z0-9_.-]*$' THEN ref
              ELSE kind OPERATOR(pg_catalog.||) '-'
                   OPERATOR(pg_catalog.||) pg_catalog.regexp_replace(ref, '[^A-Za-z0-9_.-]', '_', 'g') END
$$;
COMMENT ON FUNCTION isms.oscal_token(text, text) IS
  'OSCAL id for a control or group reference: the reference when it is an OSCAL token, else kind-reference with other characters replaced by "_"';

CREATE FUNCTION isms.oscal_control_object(framework text, ref text) RETURNS jsonb
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object(
           'id', coalesce(c.oscal_id, isms.oscal_token(c.ref, 'control')),
           'title', c.title,
           'props', (SELECT jsonb_agg(t.p ORDER BY t.o, t.k) FROM (
                       SELECT 0 AS o, 0::bigint AS k, jsonb_build_object('name', 'label', 'value', c.ref) AS p
                       UNION ALL
                       SELECT 1, 0, jsonb_build_object('name', 'theme', 'ns', 'urn:pg-isms', 'value', c.theme)
                        WHERE c.theme IS NOT NULL
                       UNION ALL
                       SELECT 2 + f.n, v.k, jsonb_build_object('name', f.family, 'ns', 'urn:pg-isms', 'value', v.val)
                         FROM (VALUES (1, 'control_type', c.control_type::text[]),
                                      (2, 'security_properties', c.security_properties::text[]),
                                      (3, 'cybersecurity_concepts', c.cybersecurity_concepts::text[]),
                                      (4, 'operational_capabilities', c.operational_capabilities::text[]),
                                      (5, 'security_domains', c.security_domains::text[])) AS f(n, family, vals)
                        CROSS JOIN LATERAL unnest(f.vals) WITH ORDINALITY AS v(val, k)
                       UNION ALL
                       SELECT 8, 0, jsonb_build_object('name', 'attributes', 'ns', 'urn:pg-isms', 'value', c.attributes::text)
                        WHERE c.attributes OPERATOR(pg_catalog.<>) '{}'::jsonb) AS t),
           'controls', (SELECT jsonb_agg(isms.oscal_control_object(k.framework, k.ref) ORDER BY k.position, k.ref)
                          FROM isms.control k
                         WHERE k.framework OPERATOR(pg_catalog.=) c.framework
                           AND k.parent_ref OPERATOR(pg_catalog.=) c.ref)))
    FROM isms.control c
   WHERE c.framework OPERATOR(pg_catalog.=) oscal_control_object.framework
     AND c.ref OPERATOR(pg_catalog.=) oscal_control_object.ref
$$;
COMMENT ON FUNCTION isms.oscal_control_object(text, text) IS
  'One control as an OSCAL control object (id, title, props, nested controls); used by isms.oscal_catalog';

CREATE FUNCTION isms.oscal_group_object(framework text, id text) RETURNS jsonb
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object(
           'id', isms.oscal_token(g.id, 'group'),
           'title', g.title,
           'controls', (SELECT jsonb_agg(isms.oscal_control_object(c.framework, c.ref) ORDER BY c.position, c.ref)
                          FROM isms.control c
                         WHERE c.framework OPERATOR(pg_catalog.=) g.framework
                           AND c.group_id OPERATOR(pg_catalog.=) g.id AND c.parent_ref IS NULL),
           'groups', (SELECT jsonb_agg(isms.oscal_group_object(s.framework, s.id) ORDER BY s.position, s.id)
                        FROM isms.control_group s
                       WHERE s.framework OPERATOR(pg_catalog.=) g.framework
                         AND s.parent_id OPERATOR(pg_catalog.=) g.id)))
    FROM isms.control_group g
   WHERE g.framework OPERATOR(pg_catalog.=) oscal_group_object.framework
     AND g.id OPERATOR(pg_catalog.=) oscal_group_object.id
$$;
COMMENT ON FUNCTION isms.oscal_group_object(text, text) IS
  'One group as an OSCAL group object (id, title, its controls and subgroups); used by isms.oscal_catalog';

CREATE FUNCTION isms.oscal_catalog(framework text) RETURNS jsonb
  LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  f isms.framework;
BEGIN
  SELECT * INTO f FROM isms.framework WHERE id OPERATOR(pg_catalog.=) oscal_catalog.framework;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'framework "%" does not exist', oscal_catalog.framework
      USING ERRCODE = 'foreign_key_violation', HINT = 'Frameworks are rows of isms.framework.';
  END IF;
  RETURN jsonb_build_object('catalog', jsonb_strip_nulls(jsonb_build_object(
    'uuid', f.oscal_uuid,
    'metadata', jsonb_build_object(
        'title', f.name,
        'last-modified', to_char(f.last_modified AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'version', coalesce(f.version, 'unversioned'),
        'oscal-version', '1.1.2',
        'props', jsonb_build_array(jsonb_build_object('name', 'framework', 'ns', 'urn:pg-isms', 'value', f.id))
                 OPERATOR(pg_catalog.||) CASE WHEN f.publisher IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(
                   jsonb_build_object('name', 'publisher', 'ns', 'urn:pg-isms', 'value', f.publisher)) END,
        'remarks', f.description),
    'groups', (SELECT jsonb_agg(isms.oscal_group_object(g.framework, g.id) ORDER BY g.position, g.id)
                 FROM isms.control_group g
                WHERE g.framework OPERATOR(pg_catalog.=) f.id AND g.parent_id IS NULL),
    'controls', (SELECT jsonb_agg(isms.oscal_control_object(c.framework, c.ref) ORDER BY c.position, c.ref)
                   FROM isms.control c
                  WHERE c.framework OPERATOR(pg_catalog.=) f.id AND c.group_id IS NULL AND c.parent_ref IS NULL))));
END
$$;
COMMENT ON FUNCTION isms.oscal_catalog(text) IS
  'The framework as an OSCAL 1.1 catalog (JSON): groups, controls and nested controls in order, ISO/IEC 27002 attributes as urn:pg-isms props';

-- jit = off: the planner cannot know how small a catalog tree is, guesses
-- millions of rows for the recursive walk, and JIT-compiles it, which took a
-- second for a document of ten nodes.
CREATE FUNCTION isms.oscal_import_catalog(catalog jsonb, framework text DEFAULT NULL) RETURNS text
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  SET jit = off
  AS $$
DECLARE
  ns CONSTANT text := 'urn:pg-isms';
  -- documented in docs/reference/oscal.md: bigger catalogs are refused (54000)
  max_nodes CONSTANT integer := 100000;
  families CONSTANT text[] := ARRAY['control_type', 'security_properties', 'cybersecurity_concepts',
                                     'operational_capabilities', 'security_domains'];
  cat jsonb;
  md jsonb;
  fw text;
  fw_uuid uuid;
  fw_modified timestamptz;
  fw_publisher text;
  node record;
  -- what earlier nodes (parents come first) left for their children, by
  -- node number (arrays, so a lookup does not copy anything)
  p_group text[];
  p_ref text[];
  p_theme text[];
  -- the rows to insert, by position, inserted in two statements at the end
  g_id text[];
  g_title text[];
  g_parent text[];
  c_ref text[];
  c_title text[];
  c_theme text[];
  c_group text[];
  c_parent text[];
  c_id text[];
  c_props jsonb[];
  c_attrs jsonb[];
  gpos integer := 0;
  cpos integer := 0;
  ncontrols integer := 0;
  nnodes bigint;
  obj jsonb;
  p jsonb;
  pi integer;
  id text;
  ref text;
  title text;
  theme text;
  group_id text;
  parent_ref text;
  attrs jsonb;
  vals text[];
  fam text;
  path text;
BEGIN
  IF catalog IS NULL THEN
    RETURN NULL;
  END IF;
  -- Document level.
  IF jsonb_typeof(catalog) <> 'object' THEN
    RAISE EXCEPTION 'invalid OSCAL catalog: $ must be an object, not %', jsonb_typeof(catalog)
      USING ERRCODE = 'invalid_parameter_value', HINT = 'An OSCAL catalog document is {"catalog": {...}}.';
  END IF;
  cat := catalog -> 'catalog';
  IF cat IS NULL OR jsonb_typeof(cat) <> 'object' THEN
    RAISE EXCEPTION 'invalid OSCAL catalog: $.catalog %',
                    CASE WHEN cat IS NULL THEN 'is missing' ELSE 'must be an object, not ' || jsonb_typeof(cat) END
      USING ERRCODE = 'invalid_parameter_value', HINT = 'An OSCAL catalog document is {"catalog": {...}}.';
  END IF;
  IF jsonb_typeof(cat -> 'uuid') IS DISTINCT FROM 'string' THEN
    RAISE EXCEPTION 'invalid OSCAL catalog: $.catalog.uuid %',
                    CASE WHEN cat ? 'uuid' THEN 'must be a string' ELSE 'is missing' END
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF (cat ->> 'uuid') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
    RAISE EXCEPTION 'invalid OSCAL catalog: $.catalog.uuid is not a UUID: "%"', cat ->> 'uuid'
      USING ERRCODE = 'invalid_text_representation', HINT = 'A UUID looks like 6f1c2c8e-3f5a-4d0e-9a43-2b7c1e5d9a10.';
  END IF;
  fw_uuid := (cat ->> 'uuid')::uuid;
  md := cat -> 'metadata';
  IF md IS NULL OR jsonb_typeof(md) <> 'object' THEN
    RAISE EXCEPTION 'invalid OSCAL catalog: $.catalog.metadata %',
                    CASE WHEN md IS NULL THEN 'is missing' ELSE 'must be an object, not ' || jsonb_typeof(md) END
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  FOREACH fam IN ARRAY ARRAY['title', 'last-modified', 'version', 'oscal-version'] LOOP
    IF jsonb_typeof(md -> fam) IS DISTINCT FROM 'string' OR btrim(md ->> fam) = '' THEN
      RAISE EXCEPTION 'invalid OSCAL catalog: $.catalog.metadata.% %', fam,
                      CASE WHEN NOT md ? fam THEN 'is missing'
                           WHEN jsonb_typeof(md -> fam) <> 'string' THEN 'must be a string, not ' || jsonb_typeof(md -> fam)
                           ELSE 'is empty' END
        USING ERRCODE = 'invalid_parameter_value',
              HINT = 'OSCAL metadata needs title, last-modified, version and oscal-version.';
    END IF;
  END LOOP;
  IF (md ->> 'oscal-version') !~ '^1\.[0-9]+(\.[0-9]+)?([-+].*)?$' THEN
    RAISE EXCEPTION 'invalid OSCAL catalog: $.catalog.metadata.oscal-version "%" is not supported', md ->> 'oscal-version'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'OSCAL 1.x catalogs (e.g. 1.1.2) are accepted.';
  END IF;
  IF (md ->> 'last-modified') !~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$' THEN
    RAISE EXCEPTION 'invalid OSCAL catalog: $.catalog.metadata.last-modified is not a date-time with time zone: "%"',
                    md ->> 'last-modified'
      USING ERRCODE = 'invalid_text_representation', HINT = 'For example 2026-01-15T10:00:00Z.';
  END IF;
  BEGIN
    fw_modified := (md ->> 'last-modified')::timestamptz;
  EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
    RAISE EXCEPTION 'invalid OSCAL catalog: $.catalog.metadata.last-modified is not a valid date-time: "%"',
                    md ->> 'last-modified'
      USING ERRCODE = 'invalid_text_representation', HINT = 'For example 2026-01-15T10:00:00Z.';
  END;
  IF md ? 'props' AND jsonb_typeof(md -> 'props') = 'array' THEN
    SELECT e ->> 'value' INTO fw_publisher FROM jsonb_array_elements(md -> 'props') AS e
     WHERE jsonb_typeof(e) = 'object' AND e ->> 'ns' = ns AND e ->> 'name' = 'publisher' LIMIT 1;
  END IF;
  FOREACH fam IN ARRAY ARRAY['groups', 'controls'] LOOP
    IF cat ? fam AND jsonb_typeof(cat -> fam) <> 'array' THEN
      RAISE EXCEPTION 'invalid OSCAL catalog: $.catalog.% must be an array, not %', fam, jsonb_typeof(cat -> fam)
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
  END LOOP;

  -- The size limit, checked before any real work: the elements of every
  -- "groups" and "controls" array anywhere in the document (a walk in C,
  -- about 1 ms per 1,000 nodes).
  SELECT coalesce(sum(jsonb_array_length(a)), 0) INTO nnodes
    FROM jsonb_path_query(cat, 'strict $.**.groups', '{}', true) AS a
   WHERE jsonb_typeof(a) = 'array';
  SELECT nnodes + coalesce(sum(jsonb_array_length(a)), 0) INTO nnodes
    FROM jsonb_path_query(cat, 'strict $.**.controls', '{}', true) AS a
   WHERE jsonb_typeof(a) = 'array';
  IF nnodes > max_nodes THEN
    RAISE EXCEPTION 'OSCAL catalog too large: % groups and controls (at most %)', nnodes, max_nodes
      USING ERRCODE = 'program_limit_exceeded',
            HINT = 'Split the catalog into several frameworks.';
  END IF;

  -- The framework.
  fw := coalesce(framework,
                 (SELECT e ->> 'value' FROM jsonb_array_elements(CASE WHEN jsonb_typeof(md -> 'props') = 'array'
                                                                      THEN md -> 'props' ELSE '[]' END) AS e
                   WHERE jsonb_typeof(e) = 'object' AND e ->> 'ns' = ns AND e ->> 'name' = 'framework' LIMIT 1),
                 left(btrim(regexp_replace(lower(md ->> 'title'), '[^a-z0-9_.]+', '-', 'g'), '-'), 63));
  IF fw !~ '^[a-z0-9][a-z0-9_.-]{0,62}$' THEN
    RAISE EXCEPTION 'invalid framework id "%"', fw
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Framework ids are lower-case letters, digits, "_", "-", "." (1 to 63 characters); pass one as the second argument.';
  END IF;
  IF EXISTS (SELECT 1 FROM isms.framework f WHERE f.id = fw) THEN
    RAISE EXCEPTION 'framework "%" already exists', fw
      USING ERRCODE = 'unique_violation',
            HINT = 'Pass another framework id as the second argument of isms.oscal_import_catalog.';
  END IF;
  INSERT INTO isms.framework (id, name, version, publisher, description, oscal_uuid, last_modified)
  VALUES (fw, md ->> 'title', md ->> 'version', fw_publisher,
          CASE WHEN jsonb_typeof(md -> 'remarks') = 'string' THEN md ->> 'remarks' END,
          fw_uuid, fw_modified);

  -- Groups and controls in document order (parents before children),
  -- numbered, each with its parent's number, its id and (controls) its
  -- reference, and where that id or reference first occurs: set-based, so
  -- the walk below never searches what it has already seen.
  FOR node IN
    WITH RECURSIVE tree AS (
      SELECT k.kind, '$.catalog.' || k.member || '[' || (e.i - 1) || ']' AS path, e.obj,
             ARRAY[k.rank, e.i::integer] AS ord, NULL::text AS parent_path, NULL::text AS parent_kind, 1 AS depth
        FROM (VALUES ('control', 'controls', 0), ('group', 'groups', 1)) AS k(kind, member, rank)
       CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(cat -> k.member) = 'array'
                                                    THEN cat -> k.member ELSE '[]' END) WITH ORDINALITY AS e(obj, i)
      UNION ALL
      SELECT k.kind, t.path || '.' || k.member || '[' || (e.i - 1) || ']', e.obj,
             t.ord || ARRAY[k.rank, e.i::integer], t.path, t.kind, t.depth + 1
        FROM tree t
       CROSS JOIN (VALUES ('control', 'controls', 0), ('group', 'groups', 1)) AS k(kind, member, rank)
       CROSS JOIN LATERAL jsonb_array_elements(
               CASE WHEN jsonb_typeof(t.obj) = 'object' AND jsonb_typeof(t.obj -> k.member) = 'array'
                         AND NOT (t.kind = 'control' AND k.kind = 'group') AND t.depth <= 32
                    THEN t.obj -> k.member ELSE '[]' END) WITH ORDINALITY AS e(obj, i)
    ), numbered AS (
      SELECT t.*, row_number() OVER (ORDER BY t.ord) AS n, count(*) OVER () AS total,
             -- a group without an id is "group-" and its number among the groups
             CASE WHEN t.kind = 'control' OR (jsonb_typeof(t.obj) = 'object' AND t.obj ? 'id')
                  THEN t.obj ->> 'id'
                  ELSE 'group-' || count(*) FILTER (WHERE t.kind = 'group') OVER (ORDER BY t.ord) END AS node_id,
             -- a control's reference: its first label prop without a class,
             -- else its first label prop, else its id
             CASE WHEN t.kind = 'control' THEN coalesce(
               (SELECT l.e ->> 'value' FROM jsonb_array_elements(CASE WHEN jsonb_typeof(t.obj -> 'props') = 'array'
                                                                      THEN t.obj -> 'props' ELSE '[]' END)
                                            WITH ORDINALITY AS l(e, i)
                 WHERE jsonb_typeof(l.e) = 'object' AND l.e ->> 'name' = 'label'
                   AND coalesce(l.e ->> 'ns', 'http://csrc.nist.gov/ns/oscal') = 'http://csrc.nist.gov/ns/oscal'
                 ORDER BY l.e ? 'class', l.i LIMIT 1),
               t.obj ->> 'id') END AS node_ref
        FROM tree t
    ), keyed AS (
      SELECT b.*,
             first_value(b.n) OVER (PARTITION BY b.node_id ORDER BY b.n) AS id_first_n,
             first_value(b.path) OVER (PARTITION BY b.node_id ORDER BY b.n) AS id_first_path,
             first_value(b.n) OVER (PARTITION BY b.node_ref ORDER BY b.n) AS ref_first_n,
             first_value(b.path) OVER (PARTITION BY b.node_ref ORDER BY b.n) AS ref_first_path
        FROM numbered b
    )
    SELECT c.*, p.n AS parent_n
      FROM keyed c LEFT JOIN keyed p ON p.path = c.parent_path
     ORDER BY c.n
  LOOP
    IF node.n = 1 THEN
      p_group := array_fill(NULL::text, ARRAY[node.total::integer]);
      p_ref := p_group;
      p_theme := p_group;
      g_id := p_group;
      g_title := p_group;
      g_parent := p_group;
      c_ref := p_group;
      c_title := p_group;
      c_theme := p_group;
      c_group := p_group;
      c_parent := p_group;
      c_id := p_group;
      c_attrs := array_fill(NULL::jsonb, ARRAY[node.total::integer]);
      c_props := c_attrs;
    END IF;
    obj := node.obj;
    path := node.path;
    IF node.depth > 32 THEN
      RAISE EXCEPTION 'invalid OSCAL catalog: % is nested more than 32 levels deep', path
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF jsonb_typeof(obj) <> 'object' THEN
      RAISE EXCEPTION 'invalid OSCAL catalog: % must be an object, not %', path, jsonb_typeof(obj)
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOREACH fam IN ARRAY CASE node.kind WHEN 'group' THEN ARRAY['groups', 'controls'] ELSE ARRAY['controls'] END LOOP
      IF obj ? fam AND jsonb_typeof(obj -> fam) <> 'array' THEN
        RAISE EXCEPTION 'invalid OSCAL catalog: %.% must be an array, not %', path, fam, jsonb_typeof(obj -> fam)
          USING ERRCODE = 'invalid_parameter_value';
      END IF;
    END LOOP;
    -- title: required, a non-blank string
    IF jsonb_typeof(obj -> 'title') IS DISTINCT FROM 'string' OR btrim(obj ->> 'title') = '' THEN
      RAISE EXCEPTION 'invalid OSCAL catalog: %.title %', path,
                      CASE WHEN NOT obj ? 'title' THEN 'is missing'
                           WHEN jsonb_typeof(obj -> 'title') <> 'string' THEN 'must be a string, not ' || jsonb_typeof(obj -> 'title')
                           ELSE 'is empty' END
        USING ERRCODE = 'invalid_parameter_value', HINT = 'Every group and control needs a title.';
    END IF;
    title := obj ->> 'title';
    -- id: required for controls, optional for groups; an OSCAL token, unique
    IF obj ? 'id' OR node.kind = 'control' THEN
      IF jsonb_typeof(obj -> 'id') IS DISTINCT FROM 'string' THEN
        RAISE EXCEPTION 'invalid OSCAL catalog: %.id %', path,
                        CASE WHEN obj ? 'id' THEN 'must be a string, not ' || jsonb_typeof(obj -> 'id') ELSE 'is missing' END
          USING ERRCODE = 'invalid_parameter_value', HINT = 'Every control needs an id.';
      END IF;
      id := obj ->> 'id';
      IF id !~ '^[A-Za-z_][A-Za-z0-9_.-]*$' OR length(id) > 64 THEN
        RAISE EXCEPTION 'invalid OSCAL catalog: %.id is not an OSCAL token: "%"', path, id
          USING ERRCODE = 'invalid_text_representation',
                HINT = 'An id starts with a letter or "_" and continues with letters, digits, "_", "-", "." (at most 64 here).';
      END IF;
    ELSE
      id := 'group-' || (gpos + 1);
    END IF;
    IF node.id_first_n < node.n THEN
      RAISE EXCEPTION 'invalid OSCAL catalog: %.id "%" is already used at %', path, id, node.id_first_path || '.id'
        USING ERRCODE = 'invalid_parameter_value', HINT = 'Ids are unique in a catalog.';
    END IF;
    -- props: an array of objects with string name and value
    IF obj ? 'props' AND jsonb_typeof(obj -> 'props') <> 'array' THEN
      RAISE EXCEPTION 'invalid OSCAL catalog: %.props must be an array, not %', path, jsonb_typeof(obj -> 'props')
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    pi := 0;
    FOR p IN SELECT e FROM jsonb_array_elements(CASE WHEN obj ? 'props' THEN obj -> 'props' ELSE '[]' END) AS e LOOP
      IF jsonb_typeof(p) <> 'object' OR jsonb_typeof(p -> 'name') IS DISTINCT FROM 'string'
         OR jsonb_typeof(p -> 'value') IS DISTINCT FROM 'string' THEN
        RAISE EXCEPTION 'invalid OSCAL catalog: %.props[%] must be an object with string "name" and "value"', path, pi
          USING ERRCODE = 'invalid_parameter_value';
      END IF;
      pi := pi + 1;
    END LOOP;

    IF node.kind = 'group' THEN
      gpos := gpos + 1;
      g_id[gpos] := id;
      g_title[gpos] := title;
      g_parent[gpos] := p_group[node.parent_n];
      p_group[node.n] := id;
      p_theme[node.n] := coalesce(p_theme[node.parent_n], title);
      CONTINUE;
    END IF;

    -- A control: its reference is its label prop (the first without a class),
    -- else its id (node.node_ref); pg_isms props carry theme and attributes.
    theme := NULL;
    attrs := '{}';
    pi := 0;
    FOR p IN SELECT e FROM jsonb_array_elements(CASE WHEN obj ? 'props' THEN obj -> 'props' ELSE '[]' END) AS e LOOP
      IF p ->> 'ns' = ns AND p ->> 'name' = 'theme' THEN
        theme := p ->> 'value';
      ELSIF p ->> 'ns' = ns AND p ->> 'name' = 'attributes' THEN
        BEGIN
          attrs := (p ->> 'value')::jsonb;
        EXCEPTION WHEN invalid_text_representation THEN
          attrs := NULL;
        END;
        IF attrs IS NULL OR jsonb_typeof(attrs) <> 'object' OR attrs ?| families THEN
          RAISE EXCEPTION 'invalid OSCAL catalog: %.props[%].value is not a JSON object of attributes: "%"', path, pi, p ->> 'value'
            USING ERRCODE = 'invalid_text_representation',
                  HINT = 'The urn:pg-isms "attributes" prop holds a JSON object, without the five ISO/IEC 27002 family names as keys.';
        END IF;
      ELSIF p ->> 'ns' = ns AND p ->> 'name' = ANY (families) THEN
        IF NOT (p ->> 'value') = ANY (CASE p ->> 'name'
               WHEN 'control_type' THEN enum_range(NULL::isms.control_type)::text[]
               WHEN 'security_properties' THEN enum_range(NULL::isms.security_property)::text[]
               WHEN 'cybersecurity_concepts' THEN enum_range(NULL::isms.cybersecurity_concept)::text[]
               WHEN 'operational_capabilities' THEN enum_range(NULL::isms.operational_capability)::text[]
               ELSE enum_range(NULL::isms.security_domain)::text[] END) THEN
          RAISE EXCEPTION 'invalid OSCAL catalog: %.props[%].value "%" is not a value of %', path, pi, p ->> 'value', p ->> 'name'
            USING ERRCODE = 'invalid_text_representation',
                  HINT = 'The accepted values are those of the enum types isms.control_type, isms.security_property, isms.cybersecurity_concept, isms.operational_capability and isms.security_domain.';
        END IF;
      END IF;
      pi := pi + 1;
    END LOOP;
    ref := node.node_ref;
    IF ref = '' OR btrim(ref) <> ref OR length(ref) > 64 OR ref ~ '[[:cntrl:]]' THEN
      RAISE EXCEPTION 'invalid OSCAL catalog: % has an unusable label "%"', path, ref
        USING ERRCODE = 'invalid_text_representation',
              HINT = 'A control label is 1 to 64 characters without surrounding spaces or control characters.';
    END IF;
    IF node.ref_first_n < node.n THEN
      RAISE EXCEPTION 'invalid OSCAL catalog: % has the label "%" already used at %', path, ref, node.ref_first_path
        USING ERRCODE = 'invalid_parameter_value', HINT = 'Control labels (or ids, when a control has no label) are unique in a catalog.';
    END IF;
    IF node.parent_kind = 'control' THEN
      parent_ref := p_ref[node.parent_n];
    ELSE
      parent_ref := NULL;
    END IF;
    group_id := p_group[node.parent_n];
    cpos := cpos + 1;
    ncontrols := ncontrols + 1;
    c_ref[cpos] := ref;
    c_title[cpos] := title;
    c_theme[cpos] := coalesce(theme, p_theme[node.parent_n]);
    c_group[cpos] := group_id;
    c_parent[cpos] := parent_ref;
    c_id[cpos] := id;
    c_props[cpos] := obj -> 'props';
    c_attrs[cpos] := attrs;
    p_group[node.n] := group_id;
    p_ref[node.n] := ref;
    p_theme[node.n] := coalesce(theme, p_theme[node.parent_n]);
  END LOOP;

  IF ncontrols = 0 THEN
    RAISE EXCEPTION 'invalid OSCAL catalog: $.catalog has no controls'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'A catalog lists its controls in "controls" arrays of the catalog or of its groups.';
  END IF;
  INSERT INTO isms.control_group (framework, id, title, parent_id, position)
  SELECT fw, u.id, u.title, u.parent, u.pos
    FROM unnest(g_id, g_title, g_parent) WITH ORDINALITY AS u(id, title, parent, pos)
   WHERE u.pos <= gpos;
  INSERT INTO isms.control (framework, ref, title, theme, group_id, parent_ref, position, oscal_id,
                            control_type, security_properties, cybersecurity_concepts,
                            operational_capabilities, security_domains, attributes)
  SELECT fw, u.ref, u.title, u.theme, u.group_id, u.parent_ref, u.pos, u.id,
         coalesce(f.control_type, '{}')::isms.control_type[],
         coalesce(f.security_properties, '{}')::isms.security_property[],
         coalesce(f.cybersecurity_concepts, '{}')::isms.cybersecurity_concept[],
         coalesce(f.operational_capabilities, '{}')::isms.operational_capability[],
         coalesce(f.security_domains, '{}')::isms.security_domain[],
         u.attrs
    FROM unnest(c_ref, c_title, c_theme, c_group, c_parent, c_id, c_props, c_attrs) WITH ORDINALITY
           AS u(ref, title, theme, group_id, parent_ref, id, props, attrs, pos)
   CROSS JOIN LATERAL (
     SELECT array_agg(e ->> 'value' ORDER BY i) FILTER (WHERE e ->> 'name' = 'control_type') AS control_type,
            array_agg(e ->> 'value' ORDER BY i) FILTER (WHERE e ->> 'name' = 'security_properties') AS security_properties,
            array_agg(e ->> 'value' ORDER BY i) FILTER (WHERE e ->> 'name' = 'cybersecurity_concepts') AS cybersecurity_concepts,
            array_agg(e ->> 'value' ORDER BY i) FILTER (WHERE e ->> 'name' = 'operational_capabilities') AS operational_capabilities,
            array_agg(e ->> 'value' ORDER BY i) FILTER (WHERE e ->> 'name' = 'security_domains') AS security_domains
       FROM jsonb_array_elements(coalesce(u.props, '[]')) WITH ORDINALITY AS x(e, i)
      WHERE e ->> 'ns' = ns) AS f
   WHERE u.pos <= cpos;
  RETURN fw;
END
$$;
COMMENT ON FUNCTION isms.oscal_import_catalog(jsonb, text) IS
  'Imports an OSCAL 1.x catalog (groups, controls, nested controls, in order) as a new framework and returns its id; errors name the JSON path and write nothing';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.oscal_token', 'read', NULL),
  ('isms.oscal_control_object', 'read', NULL),
  ('isms.oscal_group_object', 'read', NULL),
  ('isms.oscal_catalog', 'read', NULL),
  ('isms.oscal_import_catalog', 'write', NULL);
