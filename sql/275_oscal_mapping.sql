-- OSCAL 1.2 control mapping exchange: isms.oscal_mapping(source) writes the
-- relations of one isms.mapping_source as an OSCAL mapping-collection (one
-- "mapping" per pair of frameworks, one "map" per relation);
-- isms.oscal_import_mapping(jsonb) reads one back as a new source, so users
-- load their own mappings (SOC 2, NIS2, DORA, ...).  Errors name the JSON
-- path at fault (22023 for a missing member or wrong JSON type, 22P02 for a
-- malformed value, 23503 for a framework or control that does not exist,
-- 23505 for a pair already related, 0A000 for maps between sets of more than
-- one control); an error writes nothing.  A relation without relationship
-- travels as relationship "related" in the namespace urn:pg-isms.

-- A stable UUID for a name (the md5 of "urn:pg-isms:" || name with the
-- version and variant bits of a name-based UUID), for the objects of an
-- export that have no stored UUID: the same data exports the same document.
CREATE FUNCTION isms.oscal_derived_uuid(name text) RETURNS uuid
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT (pg_catalog.substr(h, 1, 12) OPERATOR(pg_catalog.||) '5' OPERATOR(pg_catalog.||) pg_catalog.substr(h, 14, 3)
          OPERATOR(pg_catalog.||) pg_catalog.substr('89ab89ab89ab89ab', pg_catalog.strpos('0123456789abcdef', pg_catalog.substr(h, 17, 1)), 1)
          OPERATOR(pg_catalog.||) pg_catalog.substr(h, 18, 15))::uuid
    FROM pg_catalog.md5('urn:pg-isms:' OPERATOR(pg_catalog.||) name) AS h
$$;
COMMENT ON FUNCTION isms.oscal_derived_uuid(text) IS
  'Name-based UUID (md5 of urn:pg-isms:name, version 5 and RFC 4122 variant bits set) for exported OSCAL objects without a stored UUID';

CREATE FUNCTION isms.oscal_mapping(source text) RETURNS jsonb
  LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  s isms.mapping_source;
  maps jsonb;
BEGIN
  SELECT * INTO s FROM isms.mapping_source m WHERE m.id OPERATOR(pg_catalog.=) oscal_mapping.source;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'mapping source "%" does not exist', oscal_mapping.source
      USING ERRCODE = 'foreign_key_violation', HINT = 'Mapping sources are rows of isms.mapping_source.';
  END IF;
  SELECT jsonb_agg(m.obj ORDER BY m.ord, m.sf, m.tf) INTO maps
    FROM (
      SELECT p.sf, p.tf, coalesce(res.ord, 9223372036854775807) AS ord,
             jsonb_build_object(
               'uuid', coalesce(res.uuid, isms.oscal_derived_uuid('mapping:' || s.id || ':' || p.sf || ':' || p.tf)),
               'source-resource', jsonb_build_object(
                   'type', 'catalog', 'href', coalesce(res.source_href, 'urn:pg-isms:framework:' || p.sf),
                   'props', jsonb_build_array(jsonb_build_object('name', 'framework', 'ns', 'urn:pg-isms', 'value', p.sf))),
               'target-resource', jsonb_build_object(
                   'type', 'catalog', 'href', coalesce(res.target_href, 'urn:pg-isms:framework:' || p.tf),
                   'props', jsonb_build_array(jsonb_build_object('name', 'framework', 'ns', 'urn:pg-isms', 'value', p.tf))),
               'maps', (SELECT jsonb_agg(jsonb_build_object(
                                 'uuid', coalesce(r.oscal_uuid, isms.oscal_derived_uuid(
                                           'map:' || r.source_framework || ':' || r.source_ref || ':' || r.target_framework || ':' || r.target_ref)),
                                 'ns', CASE WHEN r.relationship IS NULL THEN 'urn:pg-isms' END,
                                 'relationship', coalesce(r.relationship::text, 'related'),
                                 'sources', jsonb_build_array(jsonb_build_object(
                                   'type', 'control', 'id-ref', coalesce(sc.oscal_id, isms.oscal_token(sc.ref, 'control')))),
                                 'targets', jsonb_build_array(jsonb_build_object(
                                   'type', 'control', 'id-ref', coalesce(tc.oscal_id, isms.oscal_token(tc.ref, 'control')))),
                                 'remarks', r.note)
                               ORDER BY sc.position, sc.ref, tc.position, tc.ref)
                          FROM isms.control_relation r
                          JOIN isms.control sc ON sc.framework = r.source_framework AND sc.ref = r.source_ref
                          JOIN isms.control tc ON tc.framework = r.target_framework AND tc.ref = r.target_ref
                         WHERE r.source = s.id AND r.source_framework = p.sf AND r.target_framework = p.tf)) AS obj
        FROM (SELECT DISTINCT r.source_framework AS sf, r.target_framework AS tf
                FROM isms.control_relation r WHERE r.source = s.id) AS p
        LEFT JOIN (SELECT e ->> 'source' AS sf, e ->> 'target' AS tf, (e ->> 'uuid')::uuid AS uuid,
                          e ->> 'source-href' AS source_href, e ->> 'target-href' AS target_href, x.i AS ord
                     FROM jsonb_array_elements(s.oscal_resources) WITH ORDINALITY AS x(e, i)) AS res
          ON res.sf = p.sf AND res.tf = p.tf) AS m;
  IF maps IS NULL THEN
    RAISE EXCEPTION 'mapping source "%" has no relations to export', s.id
      USING ERRCODE = 'invalid_parameter_value', HINT = 'An OSCAL mapping collection holds at least one map.';
  END IF;
  RETURN jsonb_build_object('mapping-collection', jsonb_strip_nulls(jsonb_build_object(
    'uuid', s.oscal_uuid,
    'metadata', jsonb_build_object(
        'title', s.title,
        'last-modified', to_char(s.last_modified AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'version', coalesce(s.version, 'unversioned'),
        'oscal-version', '1.2.0',
        'props', (SELECT jsonb_agg(jsonb_build_object('name', p.name, 'ns', 'urn:pg-isms', 'value', p.value) ORDER BY p.o)
                    FROM (VALUES (1, 'source', s.id), (2, 'publisher', s.publisher), (3, 'url', s.url),
                                 (4, 'licence', s.licence), (5, 'retrieved-from', s.retrieved_from)) AS p(o, name, value)
                   WHERE p.value IS NOT NULL)),
    'provenance', jsonb_build_object(
        'method', s.method, 'matching-rationale', s.matching_rationale, 'status', s.status,
        'mapping-description', coalesce(s.description, s.title)),
    'mappings', maps)));
END
$$;
COMMENT ON FUNCTION isms.oscal_mapping(text) IS
  'The relations of a mapping source as an OSCAL 1.2 mapping-collection (JSON): one mapping per framework pair, one map per relation, provenance and urn:pg-isms props';

CREATE FUNCTION isms.oscal_import_mapping(collection jsonb, source text DEFAULT NULL, frameworks jsonb DEFAULT NULL)
  RETURNS text
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  SET jit = off
  AS $$
DECLARE
  ns CONSTANT text := 'urn:pg-isms';
  oscal_ns CONSTANT text := 'http://csrc.nist.gov/ns/oscal';
  -- documented in docs/reference/mapping.md: bigger collections are refused (54000)
  max_maps CONSTANT integer := 100000;
  max_mappings CONSTANT integer := 1000;
  uuid_re CONSTANT text := '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
  mc jsonb;
  md jsonb;
  prov jsonb;
  src text;
  src_uuid uuid;
  src_modified timestamptz;
  resources jsonb := '[]';
  pairs text[] := '{}';
  mapping jsonb;
  mi integer;
  mp jsonb;
  mj integer;
  res jsonb;
  side text;
  fw text[];
  href text[];
  item jsonb;
  items jsonb;
  idref text;
  refs text[];
  ids_source jsonb;
  ids_target jsonb;
  ids jsonb;
  inserted bigint;
  rel_text text;
  rel_ns text;
  rel isms.control_relationship;
  path text;
  f text;
  nmaps bigint;
BEGIN
  IF collection IS NULL THEN
    RETURN NULL;
  END IF;
  IF jsonb_typeof(collection) <> 'object' THEN
    RAISE EXCEPTION 'invalid OSCAL mapping collection: $ must be an object, not %', jsonb_typeof(collection)
      USING ERRCODE = 'invalid_parameter_value', HINT = 'An OSCAL mapping document is {"mapping-collection": {...}}.';
  END IF;
  mc := collection -> 'mapping-collection';
  IF mc IS NULL OR jsonb_typeof(mc) <> 'object' THEN
    RAISE EXCEPTION 'invalid OSCAL mapping collection: $.mapping-collection %',
                    CASE WHEN mc IS NULL THEN 'is missing' ELSE 'must be an object, not ' || jsonb_typeof(mc) END
      USING ERRCODE = 'invalid_parameter_value', HINT = 'An OSCAL mapping document is {"mapping-collection": {...}}.';
  END IF;
  IF frameworks IS NOT NULL AND jsonb_typeof(frameworks) <> 'object' THEN
    RAISE EXCEPTION 'frameworks must be a JSON object of resource href -> framework id, not %', jsonb_typeof(frameworks)
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF jsonb_typeof(mc -> 'uuid') IS DISTINCT FROM 'string' THEN
    RAISE EXCEPTION 'invalid OSCAL mapping collection: $.mapping-collection.uuid %',
                    CASE WHEN mc ? 'uuid' THEN 'must be a string' ELSE 'is missing' END
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF (mc ->> 'uuid') !~ uuid_re THEN
    RAISE EXCEPTION 'invalid OSCAL mapping collection: $.mapping-collection.uuid is not a UUID: "%"', mc ->> 'uuid'
      USING ERRCODE = 'invalid_text_representation', HINT = 'A UUID looks like 6f1c2c8e-3f5a-4d0e-9a43-2b7c1e5d9a10.';
  END IF;
  src_uuid := (mc ->> 'uuid')::uuid;

  -- metadata
  md := mc -> 'metadata';
  IF md IS NULL OR jsonb_typeof(md) <> 'object' THEN
    RAISE EXCEPTION 'invalid OSCAL mapping collection: $.mapping-collection.metadata %',
                    CASE WHEN md IS NULL THEN 'is missing' ELSE 'must be an object, not ' || jsonb_typeof(md) END
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  FOREACH f IN ARRAY ARRAY['title', 'last-modified', 'version', 'oscal-version'] LOOP
    IF jsonb_typeof(md -> f) IS DISTINCT FROM 'string' OR btrim(md ->> f) = '' THEN
      RAISE EXCEPTION 'invalid OSCAL mapping collection: $.mapping-collection.metadata.% %', f,
                      CASE WHEN NOT md ? f THEN 'is missing'
                           WHEN jsonb_typeof(md -> f) <> 'string' THEN 'must be a string, not ' || jsonb_typeof(md -> f)
                           ELSE 'is empty' END
        USING ERRCODE = 'invalid_parameter_value',
              HINT = 'OSCAL metadata needs title, last-modified, version and oscal-version.';
    END IF;
  END LOOP;
  IF (md ->> 'oscal-version') !~ '^1\.([2-9]|[1-9][0-9]+)(\.[0-9]+)?([-+].*)?$' THEN
    RAISE EXCEPTION 'invalid OSCAL mapping collection: $.mapping-collection.metadata.oscal-version "%" is not supported',
                    md ->> 'oscal-version'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'The mapping model exists from OSCAL 1.2.0 on.';
  END IF;
  IF (md ->> 'last-modified') !~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$' THEN
    RAISE EXCEPTION 'invalid OSCAL mapping collection: $.mapping-collection.metadata.last-modified is not a date-time with time zone: "%"',
                    md ->> 'last-modified'
      USING ERRCODE = 'invalid_text_representation', HINT = 'For example 2026-01-15T10:00:00Z.';
  END IF;
  BEGIN
    src_modified := (md ->> 'last-modified')::timestamptz;
  EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
    RAISE EXCEPTION 'invalid OSCAL mapping collection: $.mapping-collection.metadata.last-modified is not a valid date-time: "%"',
                    md ->> 'last-modified'
      USING ERRCODE = 'invalid_text_representation', HINT = 'For example 2026-01-15T10:00:00Z.';
  END;
  IF md ? 'props' AND jsonb_typeof(md -> 'props') <> 'array' THEN
    RAISE EXCEPTION 'invalid OSCAL mapping collection: $.mapping-collection.metadata.props must be an array, not %',
                    jsonb_typeof(md -> 'props')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;

  -- provenance: method, matching-rationale and status as OSCAL spells them
  prov := mc -> 'provenance';
  IF prov IS NULL OR jsonb_typeof(prov) <> 'object' THEN
    RAISE EXCEPTION 'invalid OSCAL mapping collection: $.mapping-collection.provenance %',
                    CASE WHEN prov IS NULL THEN 'is missing' ELSE 'must be an object, not ' || jsonb_typeof(prov) END
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  FOREACH f IN ARRAY ARRAY['method', 'matching-rationale', 'status', 'mapping-description'] LOOP
    IF prov ? f AND jsonb_typeof(prov -> f) <> 'string' THEN
      RAISE EXCEPTION 'invalid OSCAL mapping collection: $.mapping-collection.provenance.% must be a string, not %',
                      f, jsonb_typeof(prov -> f)
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
  END LOOP;
  IF prov ->> 'method' NOT IN ('human', 'automation', 'hybrid') THEN
    RAISE EXCEPTION 'invalid OSCAL mapping collection: $.mapping-collection.provenance.method "%" is not human, automation or hybrid',
                    prov ->> 'method'
      USING ERRCODE = 'invalid_text_representation';
  END IF;
  IF prov ->> 'matching-rationale' NOT IN ('syntactic', 'semantic', 'functional') THEN
    RAISE EXCEPTION 'invalid OSCAL mapping collection: $.mapping-collection.provenance.matching-rationale "%" is not syntactic, semantic or functional',
                    prov ->> 'matching-rationale'
      USING ERRCODE = 'invalid_text_representation';
  END IF;
  IF prov ->> 'status' NOT IN ('complete', 'not-complete', 'draft', 'deprecated', 'superseded') THEN
    RAISE EXCEPTION 'invalid OSCAL mapping collection: $.mapping-collection.provenance.status "%" is not complete, not-complete, draft, deprecated or superseded',
                    prov ->> 'status'
      USING ERRCODE = 'invalid_text_representation';
  END IF;

  -- mappings: checked and counted before anything is written
  IF jsonb_typeof(mc -> 'mappings') IS DISTINCT FROM 'array' OR jsonb_array_length(mc -> 'mappings') = 0 THEN
    RAISE EXCEPTION 'invalid OSCAL mapping collection: $.mapping-collection.mappings %',
                    CASE WHEN NOT mc ? 'mappings' THEN 'is missing'
                         WHEN jsonb_typeof(mc -> 'mappings') <> 'array' THEN 'must be an array, not ' || jsonb_typeof(mc -> 'mappings')
                         ELSE 'is empty' END
      USING ERRCODE = 'invalid_parameter_value', HINT = 'A mapping collection holds at least one mapping.';
  END IF;
  IF jsonb_array_length(mc -> 'mappings') > max_mappings THEN
    RAISE EXCEPTION 'OSCAL mapping collection too large: % mappings (at most %)', jsonb_array_length(mc -> 'mappings'), max_mappings
      USING ERRCODE = 'program_limit_exceeded', HINT = 'One mapping holds all maps between two frameworks.';
  END IF;
  SELECT coalesce(sum(CASE WHEN jsonb_typeof(m -> 'maps') = 'array' THEN jsonb_array_length(m -> 'maps') ELSE 0 END), 0)
    INTO nmaps
    FROM jsonb_array_elements(mc -> 'mappings') AS m
   WHERE jsonb_typeof(m) = 'object';
  IF nmaps > max_maps THEN
    RAISE EXCEPTION 'OSCAL mapping collection too large: % maps (at most %)', nmaps, max_maps
      USING ERRCODE = 'program_limit_exceeded', HINT = 'Split the collection into several documents.';
  END IF;

  -- the source row
  src := coalesce(source,
                  (SELECT e ->> 'value' FROM jsonb_array_elements(CASE WHEN jsonb_typeof(md -> 'props') = 'array'
                                                                       THEN md -> 'props' ELSE '[]' END) AS e
                    WHERE jsonb_typeof(e) = 'object' AND e ->> 'ns' = ns AND e ->> 'name' = 'source' LIMIT 1),
                  left(btrim(regexp_replace(lower(md ->> 'title'), '[^a-z0-9_.]+', '-', 'g'), '-'), 63));
  IF src !~ '^[a-z0-9][a-z0-9_.-]{0,62}$' THEN
    RAISE EXCEPTION 'invalid mapping source id "%"', src
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Source ids are lower-case letters, digits, "_", "-", "." (1 to 63 characters); pass one as the second argument.';
  END IF;
  IF EXISTS (SELECT 1 FROM isms.mapping_source m WHERE m.id = src) THEN
    RAISE EXCEPTION 'mapping source "%" already exists', src
      USING ERRCODE = 'unique_violation',
            HINT = 'Pass another source id as the second argument of isms.oscal_import_mapping, or delete the old source (its relations go with it).';
  END IF;
  INSERT INTO isms.mapping_source (id, title, version, publisher, url, licence, retrieved_from, description,
                                   method, matching_rationale, status, oscal_uuid, last_modified)
  SELECT src, md ->> 'title', md ->> 'version', p.publisher, p.url, p.licence, p.retrieved_from,
         prov ->> 'mapping-description', prov ->> 'method', prov ->> 'matching-rationale', prov ->> 'status',
         src_uuid, src_modified
    FROM (SELECT max(e ->> 'value') FILTER (WHERE e ->> 'name' = 'publisher') AS publisher,
                 max(e ->> 'value') FILTER (WHERE e ->> 'name' = 'url') AS url,
                 max(e ->> 'value') FILTER (WHERE e ->> 'name' = 'licence') AS licence,
                 max(e ->> 'value') FILTER (WHERE e ->> 'name' = 'retrieved-from') AS retrieved_from
            FROM jsonb_array_elements(CASE WHEN jsonb_typeof(md -> 'props') = 'array' THEN md -> 'props' ELSE '[]' END) AS e
           WHERE jsonb_typeof(e) = 'object' AND e ->> 'ns' = ns AND jsonb_typeof(e -> 'value') = 'string') AS p;

  mi := 0;
  FOR mapping IN SELECT e FROM jsonb_array_elements(mc -> 'mappings') AS e LOOP
    path := '$.mapping-collection.mappings[' || mi || ']';
    IF jsonb_typeof(mapping) <> 'object' THEN
      RAISE EXCEPTION 'invalid OSCAL mapping collection: % must be an object, not %', path, jsonb_typeof(mapping)
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF jsonb_typeof(mapping -> 'uuid') IS DISTINCT FROM 'string' THEN
      RAISE EXCEPTION 'invalid OSCAL mapping collection: %.uuid %', path,
                      CASE WHEN mapping ? 'uuid' THEN 'must be a string' ELSE 'is missing' END
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF (mapping ->> 'uuid') !~ uuid_re THEN
      RAISE EXCEPTION 'invalid OSCAL mapping collection: %.uuid is not a UUID: "%"', path, mapping ->> 'uuid'
        USING ERRCODE = 'invalid_text_representation';
    END IF;
    -- the two resources name the frameworks
    fw := ARRAY[NULL, NULL]::text[];
    href := fw;
    FOR j IN 1 .. 2 LOOP
      side := CASE j WHEN 1 THEN 'source-resource' ELSE 'target-resource' END;
      res := mapping -> side;
      IF res IS NULL OR jsonb_typeof(res) <> 'object' THEN
        RAISE EXCEPTION 'invalid OSCAL mapping collection: %.% %', path, side,
                        CASE WHEN res IS NULL THEN 'is missing' ELSE 'must be an object, not ' || jsonb_typeof(res) END
          USING ERRCODE = 'invalid_parameter_value';
      END IF;
      FOREACH f IN ARRAY ARRAY['type', 'href'] LOOP
        IF jsonb_typeof(res -> f) IS DISTINCT FROM 'string' THEN
          RAISE EXCEPTION 'invalid OSCAL mapping collection: %.%.% %', path, side, f,
                          CASE WHEN res ? f THEN 'must be a string, not ' || jsonb_typeof(res -> f) ELSE 'is missing' END
            USING ERRCODE = 'invalid_parameter_value';
        END IF;
      END LOOP;
      IF res ? 'props' AND jsonb_typeof(res -> 'props') <> 'array' THEN
        RAISE EXCEPTION 'invalid OSCAL mapping collection: %.%.props must be an array, not %', path, side, jsonb_typeof(res -> 'props')
          USING ERRCODE = 'invalid_parameter_value';
      END IF;
      href[j] := res ->> 'href';
      fw[j] := coalesce(
        (SELECT e ->> 'value' FROM jsonb_array_elements(CASE WHEN res ? 'props' THEN res -> 'props' ELSE '[]' END) AS e
          WHERE jsonb_typeof(e) = 'object' AND e ->> 'ns' = ns AND e ->> 'name' = 'framework' LIMIT 1),
        frameworks ->> href[j],
        substring(href[j] FROM '^urn:pg-isms:framework:(.+)$'));
      IF fw[j] IS NULL THEN
        RAISE EXCEPTION 'invalid OSCAL mapping collection: %.% ("%") names no framework', path, side, href[j]
          USING ERRCODE = 'invalid_parameter_value',
                HINT = 'Give the resource a prop {"name": "framework", "ns": "urn:pg-isms", "value": "<framework id>"}, or pass {"<href>": "<framework id>"} as the third argument.';
      END IF;
      IF NOT EXISTS (SELECT 1 FROM isms.framework x WHERE x.id = fw[j]) THEN
        RAISE EXCEPTION 'invalid OSCAL mapping collection: %.% names framework "%", which does not exist', path, side, fw[j]
          USING ERRCODE = 'foreign_key_violation',
                HINT = 'Create or import the framework first (isms.oscal_import_catalog).';
      END IF;
    END LOOP;
    IF fw[1] = fw[2] THEN
      RAISE EXCEPTION 'invalid OSCAL mapping collection: % maps framework "%" to itself', path, fw[1]
        USING ERRCODE = 'check_violation', CONSTRAINT = 'control_relation_between_frameworks';
    END IF;
    IF fw[1] || ' ' || fw[2] = ANY (pairs) THEN
      RAISE EXCEPTION 'invalid OSCAL mapping collection: % maps "%" to "%" a second time', path, fw[1], fw[2]
        USING ERRCODE = 'invalid_parameter_value', HINT = 'Put all maps between two frameworks in one mapping.';
    END IF;
    pairs := pairs || (fw[1] || ' ' || fw[2]);
    -- OSCAL id -> reference for both frameworks, once per mapping: the
    -- stored or derived OSCAL id first, the reference itself as fallback
    FOR j IN 1 .. 2 LOOP
      SELECT coalesce(jsonb_object_agg(d.k, d.ref), '{}') INTO ids
        FROM (SELECT DISTINCT ON (u.k) u.k, u.ref
                FROM (SELECT coalesce(c.oscal_id, isms.oscal_token(c.ref, 'control')) AS k, c.ref, 0 AS pri
                        FROM isms.control c WHERE c.framework = fw[j]
                      UNION ALL
                      SELECT c.ref, c.ref, 1 FROM isms.control c WHERE c.framework = fw[j]) AS u
               ORDER BY u.k, u.pri) AS d;
      IF j = 1 THEN ids_source := ids; ELSE ids_target := ids; END IF;
    END LOOP;
    resources := resources || jsonb_build_array(jsonb_build_object(
      'source', fw[1], 'target', fw[2], 'uuid', lower(mapping ->> 'uuid'),
      'source-href', href[1], 'target-href', href[2]));

    IF jsonb_typeof(mapping -> 'maps') IS DISTINCT FROM 'array' OR jsonb_array_length(mapping -> 'maps') = 0 THEN
      RAISE EXCEPTION 'invalid OSCAL mapping collection: %.maps %', path,
                      CASE WHEN NOT mapping ? 'maps' THEN 'is missing'
                           WHEN jsonb_typeof(mapping -> 'maps') <> 'array' THEN 'must be an array, not ' || jsonb_typeof(mapping -> 'maps')
                           ELSE 'is empty' END
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    mj := 0;
    FOR mp IN SELECT e FROM jsonb_array_elements(mapping -> 'maps') AS e LOOP
      path := '$.mapping-collection.mappings[' || mi || '].maps[' || mj || ']';
      IF jsonb_typeof(mp) <> 'object' THEN
        RAISE EXCEPTION 'invalid OSCAL mapping collection: % must be an object, not %', path, jsonb_typeof(mp)
          USING ERRCODE = 'invalid_parameter_value';
      END IF;
      IF jsonb_typeof(mp -> 'uuid') IS DISTINCT FROM 'string' THEN
        RAISE EXCEPTION 'invalid OSCAL mapping collection: %.uuid %', path,
                        CASE WHEN mp ? 'uuid' THEN 'must be a string' ELSE 'is missing' END
          USING ERRCODE = 'invalid_parameter_value';
      END IF;
      IF (mp ->> 'uuid') !~ uuid_re THEN
        RAISE EXCEPTION 'invalid OSCAL mapping collection: %.uuid is not a UUID: "%"', path, mp ->> 'uuid'
          USING ERRCODE = 'invalid_text_representation';
      END IF;
      IF mp ? 'ns' AND jsonb_typeof(mp -> 'ns') <> 'string' THEN
        RAISE EXCEPTION 'invalid OSCAL mapping collection: %.ns must be a string, not %', path, jsonb_typeof(mp -> 'ns')
          USING ERRCODE = 'invalid_parameter_value';
      END IF;
      rel_ns := coalesce(mp ->> 'ns', oscal_ns);
      -- relationship: a string, or an object with the value in "type"
      rel_text := CASE jsonb_typeof(mp -> 'relationship')
                    WHEN 'string' THEN mp ->> 'relationship'
                    WHEN 'object' THEN CASE WHEN jsonb_typeof(mp -> 'relationship' -> 'type') = 'string'
                                            THEN mp -> 'relationship' ->> 'type' END END;
      IF rel_text IS NULL THEN
        RAISE EXCEPTION 'invalid OSCAL mapping collection: %.relationship %', path,
                        CASE WHEN NOT mp ? 'relationship' THEN 'is missing' ELSE 'must be a string' END
          USING ERRCODE = 'invalid_parameter_value';
      END IF;
      IF rel_ns = oscal_ns AND rel_text = ANY (enum_range(NULL::isms.control_relationship)::text[]) THEN
        rel := rel_text::isms.control_relationship;
      ELSIF rel_ns = ns AND rel_text = 'related' THEN
        rel := NULL;
      ELSIF rel_ns = oscal_ns AND rel_text = 'no-relationship' THEN
        RAISE EXCEPTION 'invalid OSCAL mapping collection: %.relationship is no-relationship', path
          USING ERRCODE = 'invalid_parameter_value',
                HINT = 'isms.control_relation holds related pairs only; leave unrelated pairs out of the document.';
      ELSE
        RAISE EXCEPTION 'invalid OSCAL mapping collection: %.relationship "%" (namespace %) is not known', path, rel_text, rel_ns
          USING ERRCODE = 'invalid_text_representation',
                HINT = 'OSCAL relationships: equal-to, equivalent-to, subset-of, superset-of, intersects-with; or "related" in the namespace urn:pg-isms.';
      END IF;
      IF mp ? 'remarks' AND jsonb_typeof(mp -> 'remarks') <> 'string' THEN
        RAISE EXCEPTION 'invalid OSCAL mapping collection: %.remarks must be a string, not %', path, jsonb_typeof(mp -> 'remarks')
          USING ERRCODE = 'invalid_parameter_value';
      END IF;
      -- one source control and one target control
      refs := ARRAY[NULL, NULL]::text[];
      FOR j IN 1 .. 2 LOOP
        side := CASE j WHEN 1 THEN 'sources' ELSE 'targets' END;
        items := mp -> side;
        IF jsonb_typeof(items) IS DISTINCT FROM 'array' OR jsonb_array_length(items) = 0 THEN
          RAISE EXCEPTION 'invalid OSCAL mapping collection: %.% %', path, side,
                          CASE WHEN items IS NULL THEN 'is missing'
                               WHEN jsonb_typeof(items) <> 'array' THEN 'must be an array, not ' || jsonb_typeof(items)
                               ELSE 'is empty' END
            USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF jsonb_array_length(items) > 1 THEN
          RAISE EXCEPTION 'OSCAL mapping collection: %.% lists % controls', path, side, jsonb_array_length(items)
            USING ERRCODE = 'feature_not_supported',
                  HINT = 'A relationship between sets of controls does not hold pair by pair; write one map per pair of controls.';
        END IF;
        item := items -> 0;
        IF jsonb_typeof(item) <> 'object' OR jsonb_typeof(item -> 'type') IS DISTINCT FROM 'string'
           OR jsonb_typeof(item -> 'id-ref') IS DISTINCT FROM 'string' THEN
          RAISE EXCEPTION 'invalid OSCAL mapping collection: %.%[0] must be an object with string "type" and "id-ref"', path, side
            USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF item ->> 'type' <> 'control' THEN
          RAISE EXCEPTION 'OSCAL mapping collection: %.%[0] is of type "%"', path, side, item ->> 'type'
            USING ERRCODE = 'feature_not_supported', HINT = 'Only maps between controls (type "control") are stored.';
        END IF;
        idref := item ->> 'id-ref';
        -- the control whose OSCAL id (stored, or derived from its reference) is
        -- the id-ref, else the control of that reference
        refs[j] := CASE j WHEN 1 THEN ids_source ->> idref ELSE ids_target ->> idref END;
        IF refs[j] IS NULL THEN
          RAISE EXCEPTION 'invalid OSCAL mapping collection: %.%[0].id-ref "%" is not a control of framework "%"',
                          path, side, idref, fw[j]
            USING ERRCODE = 'foreign_key_violation';
        END IF;
      END LOOP;
      -- ON CONFLICT finds an existing pair through the primary key whatever
      -- the plan; a pair already related (by another source or an earlier
      -- map of this document) inserts nothing
      INSERT INTO isms.control_relation (source_framework, source_ref, target_framework, target_ref, note,
                                         relationship, source, oscal_uuid)
      VALUES (fw[1], refs[1], fw[2], refs[2], mp ->> 'remarks', rel, src, (mp ->> 'uuid')::uuid)
      ON CONFLICT ON CONSTRAINT control_relation_pkey DO NOTHING;
      GET DIAGNOSTICS inserted = ROW_COUNT;
      IF inserted = 0 THEN
        RAISE EXCEPTION 'invalid OSCAL mapping collection: % relates "% %" to "% %", which are already related', path,
                        fw[1], refs[1], fw[2], refs[2]
          USING ERRCODE = 'unique_violation', CONSTRAINT = 'control_relation_pkey',
                HINT = 'A pair of controls has one relation; an earlier map of this document or another source holds it.';
      END IF;
      mj := mj + 1;
    END LOOP;
    mi := mi + 1;
  END LOOP;
  UPDATE isms.mapping_source m SET oscal_resources = resources WHERE m.id = src;
  RETURN src;
END
$$;
COMMENT ON FUNCTION isms.oscal_import_mapping(jsonb, text, jsonb) IS
  'Imports an OSCAL 1.2 mapping-collection as a new isms.mapping_source with its relations and returns the source id; frameworks maps resource hrefs to framework ids; errors name the JSON path and write nothing';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.oscal_derived_uuid', 'read', NULL),
  ('isms.oscal_mapping', 'read', NULL),
  ('isms.oscal_import_mapping', 'admin', 'writes isms.mapping_source and isms.control_relation, which are configuration');
