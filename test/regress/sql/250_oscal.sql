-- 23_oscal: OSCAL catalog export and import: a small catalog written by the
-- project (test/data/oscal/mini-catalog.json), round trips that keep ids,
-- titles, groups and order, and malformed documents with the JSON path of
-- the fault, none of which writes anything.
\i test/regress/setup.sql
\set mini `cat test/data/oscal/mini-catalog.json`

-- The outline of a catalog document: every group and control with its
-- place in the tree, id and title, in document order.
CREATE FUNCTION pg_temp.outline(doc jsonb) RETURNS jsonb LANGUAGE sql AS $$
  WITH RECURSIVE t(kind, ord, place, obj) AS (
    SELECT k.kind, ARRAY[k.rank, e.i::int], k.member || '[' || e.i || ']', e.obj
      FROM (VALUES ('control', 'controls', 0), ('group', 'groups', 1)) AS k(kind, member, rank),
           jsonb_array_elements(coalesce(doc -> 'catalog' -> k.member, '[]')) WITH ORDINALITY AS e(obj, i)
    UNION ALL
    SELECT k.kind, t.ord || ARRAY[k.rank, e.i::int], t.place || '.' || k.member || '[' || e.i || ']', e.obj
      FROM t, (VALUES ('control', 'controls', 0), ('group', 'groups', 1)) AS k(kind, member, rank),
           jsonb_array_elements(coalesce(t.obj -> k.member, '[]')) WITH ORDINALITY AS e(obj, i)
  )
  SELECT jsonb_agg(jsonb_build_array(kind, place, obj -> 'id', obj -> 'title') ORDER BY ord) FROM t
$$;

-- Import: the framework id comes from the title; labels become references.
SELECT isms.oscal_import_catalog(:'mini') AS imported;
SELECT id, name, version, oscal_uuid, last_modified FROM isms.framework WHERE NOT builtin;
SELECT framework, id, title, parent_id, position FROM isms.control_group WHERE NOT builtin ORDER BY position;
SELECT ref, title, theme, group_id, parent_ref, position, oscal_id
  FROM isms.control WHERE framework = 'mini-catalog-for-pg_isms-tests' ORDER BY position;

-- Export keeps every id, title, group and the order of the original document.
SELECT pg_temp.outline(isms.oscal_catalog('mini-catalog-for-pg_isms-tests')) = pg_temp.outline(:'mini') AS outline_kept,
       jsonb_array_length(pg_temp.outline(:'mini')) AS nodes;
SELECT isms.oscal_catalog('mini-catalog-for-pg_isms-tests') -> 'catalog' -> 'metadata' AS metadata;
SELECT jsonb_pretty(isms.oscal_catalog('mini-catalog-for-pg_isms-tests') #> '{catalog,groups,0,controls,0}') AS nested_control;

-- Export, import, export again: identical documents apart from the framework id.
SELECT isms.oscal_import_catalog(isms.oscal_catalog('mini-catalog-for-pg_isms-tests'), 'mini-again') AS reimported;
SELECT isms.oscal_catalog('mini-again') #- '{catalog,metadata,props}'
     = isms.oscal_catalog('mini-catalog-for-pg_isms-tests') #- '{catalog,metadata,props}' AS same_document;

-- The seeded ISO/IEC 27001:2022 catalogue round-trips with its themes and
-- all five attribute families; the copy works with the SoA machinery.
SELECT isms.oscal_import_catalog(isms.oscal_catalog('iso27001-2022'), 'iso-copy') AS copy;
SELECT count(*) AS controls,
       count(*) FILTER (WHERE (c.ref, c.title, c.theme, c.group_id, c.parent_ref, c.position, c.control_type,
                               c.security_properties, c.cybersecurity_concepts, c.operational_capabilities,
                               c.security_domains, c.attributes)
                           IS NOT DISTINCT FROM
                              (o.ref, o.title, o.theme, o.group_id, o.parent_ref, o.position, o.control_type,
                               o.security_properties, o.cybersecurity_concepts, o.operational_capabilities,
                               o.security_domains, o.attributes)) AS identical
  FROM isms.control c JOIN isms.control o ON o.framework = 'iso27001-2022' AND o.ref = c.ref
 WHERE c.framework = 'iso-copy';
SELECT isms.oscal_catalog('iso-copy') #- '{catalog,metadata,props}'
     = isms.oscal_catalog('iso27001-2022') #- '{catalog,metadata,props}' AS same_document;
SELECT pg_temp.outline(isms.oscal_catalog('iso27001-2013')) -> 0 AS first_2013_node,
       jsonb_array_length(pg_temp.outline(isms.oscal_catalog('iso27001-2013'))) AS nodes_2013;
SELECT isms.soa_init('default', 'iso-copy') AS soa_entries;
-- A user framework with jsonb attributes and a group-less control.
INSERT INTO isms.framework (id, name) VALUES ('privacy-x', 'Privacy X');
INSERT INTO isms.control (framework, ref, title, attributes, control_type)
VALUES ('privacy-x', 'A.7.2.1', 'Identify and document purpose', '{"role": "controller", "annex": "A"}', '{Preventive}');
SELECT isms.oscal_import_catalog(isms.oscal_catalog('privacy-x'), 'privacy-y') AS copy;
SELECT ref, oscal_id, theme, attributes, control_type FROM isms.control WHERE framework = 'privacy-y';

-- Malformed and incomplete documents: the error names the JSON path, and
-- nothing is written.
CREATE TEMP TABLE before AS
  SELECT (SELECT count(*) FROM isms.framework) AS f, (SELECT count(*) FROM isms.control) AS c,
         (SELECT count(*) FROM isms.control_group) AS g;
SELECT n, pg_temp.try(format('SELECT isms.oscal_import_catalog(%L::jsonb, %L)', doc, fw)) AS result
  FROM (VALUES
  (1, '[]'::jsonb, 'x1'),
  (2, '{}'::jsonb, 'x2'),
  (3, '{"catalog": []}'::jsonb, 'x3'),
  (4, :'mini'::jsonb #- '{catalog,uuid}', 'x4'),
  (5, jsonb_set(:'mini', '{catalog,uuid}', '"not-a-uuid"'), 'x5'),
  (6, :'mini'::jsonb #- '{catalog,metadata}', 'x6'),
  (7, :'mini'::jsonb #- '{catalog,metadata,title}', 'x7'),
  (8, jsonb_set(:'mini', '{catalog,metadata,version}', '12'), 'x8'),
  (9, jsonb_set(:'mini', '{catalog,metadata,last-modified}', '"yesterday"'), 'x9'),
  (10, jsonb_set(:'mini', '{catalog,metadata,last-modified}', '"2026-02-30T10:00:00Z"'), 'x10'),
  (11, jsonb_set(:'mini', '{catalog,metadata,oscal-version}', '"2.0.0"'), 'x11'),
  (12, jsonb_set(:'mini', '{catalog,groups}', '{"id": "gov"}'), 'x12'),
  (13, :'mini'::jsonb #- '{catalog,groups,1,title}', 'x13'),
  (14, jsonb_set(:'mini', '{catalog,groups,0,controls,1,title}', '"   "'), 'x14'),
  (15, :'mini'::jsonb #- '{catalog,groups,0,groups,0,controls,0,id}', 'x15'),
  (16, jsonb_set(:'mini', '{catalog,groups,0,controls,0,controls,0,id}', '"1.1"'), 'x16'),
  (17, jsonb_set(:'mini', '{catalog,groups,1,controls,1,id}', '"gov-2"'), 'x17'),
  (18, jsonb_set(:'mini', '{catalog,groups,1,controls,0,title}', '42'), 'x18'),
  (19, jsonb_set(:'mini', '{catalog,groups,1,controls,0}', '"ops-1"'), 'x19'),
  (20, jsonb_set(:'mini', '{catalog,groups,1,controls,0,props}', '{"name": "label"}'), 'x20'),
  (21, jsonb_set(:'mini', '{catalog,groups,1,controls,0,props}', '[{"name": "label", "value": 7}]'), 'x21'),
  (22, jsonb_set(:'mini', '{catalog,groups,1,controls,0,props}', '[{"name": "label", "value": "GOV-1"}]'), 'x22'),
  (23, jsonb_set(:'mini', '{catalog,groups,1,controls,0,props}',
                 '[{"name": "control_type", "ns": "urn:pg-isms", "value": "Sometimes"}]'), 'x23'),
  (24, jsonb_set(:'mini', '{catalog,groups,1,controls,0,props}',
                 '[{"name": "attributes", "ns": "urn:pg-isms", "value": "{role: controller}"}]'), 'x24'),
  (25, jsonb_set(:'mini', '{catalog,groups,0,controls,0,controls}', '{}'), 'x25'),
  (26, '{"catalog": {"uuid": "6f1c2c8e-3f5a-4d0e-9a43-2b7c1e5d9a10", "metadata": {"title": "Empty",
        "last-modified": "2026-01-15T10:00:00Z", "version": "1", "oscal-version": "1.1.2"}, "groups": []}}'::jsonb, 'x26'),
  (27, :'mini'::jsonb, 'Not An Id'),
  (28, :'mini'::jsonb, 'iso27001-2022'),
  (29, jsonb_set(:'mini', '{catalog,metadata,props}', '[{"name": "framework", "ns": "urn:pg-isms", "value": "iso27001-2013"}]'), NULL),
  (30, jsonb_set(:'mini', '{catalog,metadata,title}', '"***"'), NULL)
) AS t(n, doc, fw) ORDER BY n;
SELECT (SELECT count(*) FROM isms.framework) - f AS frameworks_added, (SELECT count(*) FROM isms.control) - c AS controls_added,
       (SELECT count(*) FROM isms.control_group) - g AS groups_added
  FROM before;
-- The same document a second time needs another id.
SELECT pg_temp.try(format('SELECT isms.oscal_import_catalog(%L::jsonb)', :'mini'));
-- NULL in, NULL out; an unknown framework cannot be exported.
SELECT isms.oscal_import_catalog(NULL) IS NULL AS null_document, isms.oscal_catalog(NULL) IS NULL AS null_framework;
SELECT pg_temp.try($$SELECT isms.oscal_catalog('nist-800-53')$$);

-- Every member of the test document replaced in turn by each of a set of
-- wrong values (or removed): the import either succeeds or fails with
-- 22023/22P02 naming a JSON path, never another error, and a failure
-- writes nothing.
CREATE TEMP TABLE mutation AS
WITH RECURSIVE node(path, val) AS (
  SELECT ARRAY[k], v FROM jsonb_each(:'mini'::jsonb) AS e(k, v)
  UNION ALL
  SELECT n.path || c.k, c.v
    FROM node n,
         LATERAL (SELECT e.k, e.v FROM jsonb_each(CASE WHEN jsonb_typeof(n.val) = 'object' THEN n.val ELSE '{}' END) AS e(k, v)
                  UNION ALL
                  SELECT (e.i - 1)::text, e.v
                    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(n.val) = 'array' THEN n.val ELSE '[]' END)
                         WITH ORDINALITY AS e(v, i)) AS c
)
SELECT row_number() OVER (ORDER BY n.path, r.n) AS id,
       CASE WHEN r.v IS NULL THEN :'mini'::jsonb #- n.path ELSE jsonb_set(:'mini', n.path, r.v) END AS doc
  FROM node n
 CROSS JOIN (VALUES (1, NULL::jsonb), (2, 'null'), (3, '42'), (4, '""'), (5, '"1 bad"'), (6, '[]'),
                    (7, '{}'), (8, 'true'), (9, '[{"name": "x"}]')) AS r(n, v);
CREATE TEMP TABLE mutation_result AS
  SELECT m.id, pg_temp.try(format('SELECT isms.oscal_import_catalog(%L::jsonb, %L)', m.doc, 'mut-' || m.id)) AS result
    FROM mutation m;
SELECT count(*) AS documents,
       count(*) FILTER (WHERE result = 'ok') AS imported,
       count(*) FILTER (WHERE result LIKE '22023: invalid OSCAL catalog: $%') AS rejected_22023,
       count(*) FILTER (WHERE result LIKE '22P02: invalid OSCAL catalog: $%') AS rejected_22p02,
       count(*) FILTER (WHERE result <> 'ok' AND result NOT LIKE '22023: invalid OSCAL catalog: $%'
                          AND result NOT LIKE '22P02: invalid OSCAL catalog: $%') AS other_outcome
  FROM mutation_result;
SELECT (SELECT count(*) FROM isms.framework WHERE id LIKE 'mut-%')
     = (SELECT count(*) FROM mutation_result WHERE result = 'ok') AS only_successes_written;
