-- Update part: the same statements as sql/280_control_coverage.sql (new objects only).
-- Coverage through relations: how far the Statement of Applicability of a
-- scope covers the controls of a framework the scope does not assess itself
-- (NIST CSF 2.0 through ISO/IEC 27001:2022, a user's SOC 2 through CSF, ...),
-- derived from isms.control_relation along chains of up to four relations.
-- docs/reference/mapping.md defines every rule; in short: a relation is read
-- in both directions (subset-of backwards is superset-of), two relations in a
-- row compose only where set logic allows (isms.relationship_compose), and a
-- target is covered when an implemented control of the SoA contains it
-- (equal-to, equivalent-to, superset-of), partial when only controls that
-- overlap it less surely are implemented (or partly implemented).

-- The relationship of A to C implied by "A r1 B" and "B r2 C", or NULL when
-- nothing follows.  Values are those of isms.control_relationship plus
-- 'related' (a relation of unstated kind, read as "they overlap").  No SET
-- search_path, unlike the other SQL functions: a SET clause keeps the
-- planner from inlining the function, and the chain view calls it for every
-- pair it joins (a tenth of the view's time inlined, against a function
-- call with a search_path switch each).  The body names nothing that a
-- search_path could redirect: every operator is OPERATOR(pg_catalog.=), the
-- rest are literals.  Not STRICT for the same reason (the planner inlines a
-- strict function only when the body is strict too, and CASE is not); a
-- NULL argument still gives NULL.
CREATE FUNCTION isms.relationship_compose(first text, second text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
  SELECT CASE
    WHEN first OPERATOR(pg_catalog.=) 'equal-to' THEN second
    WHEN second OPERATOR(pg_catalog.=) 'equal-to' THEN first
    -- equivalent-to keeps the other relation (equivalent to equivalent stays equivalent)
    WHEN first OPERATOR(pg_catalog.=) 'equivalent-to' THEN second
    WHEN second OPERATOR(pg_catalog.=) 'equivalent-to' THEN first
    -- A contains B contains C; A within B within C
    WHEN first OPERATOR(pg_catalog.=) second
         AND first OPERATOR(pg_catalog.=) ANY (ARRAY['subset-of', 'superset-of']) THEN first
    -- A contains B, and B lies in C or overlaps it: A overlaps C
    WHEN first OPERATOR(pg_catalog.=) 'superset-of'
         AND second OPERATOR(pg_catalog.=) ANY (ARRAY['subset-of', 'intersects-with']) THEN 'intersects-with'
    WHEN first OPERATOR(pg_catalog.=) 'superset-of' AND second OPERATOR(pg_catalog.=) 'related' THEN 'related'
    -- A overlaps B, B lies in C: A overlaps C
    WHEN first OPERATOR(pg_catalog.=) 'intersects-with' AND second OPERATOR(pg_catalog.=) 'subset-of' THEN 'intersects-with'
    WHEN first OPERATOR(pg_catalog.=) 'related' AND second OPERATOR(pg_catalog.=) 'subset-of' THEN 'related'
    -- anything else (A within B containing C, two overlaps, ...): no conclusion
    ELSE NULL END
$$;
COMMENT ON FUNCTION isms.relationship_compose(text, text) IS
  'Relationship of A to C implied by A-first-B and B-second-C (OSCAL values or related), NULL when set logic gives none; the rule of the chains of isms.control_coverage';

-- Every relation in both directions, the relationship as text ('related'
-- for NULL), then the chains from each SoA entry of one scope: at most four
-- relations, never through the same control twice (the path), only while a
-- relationship follows.  A control is named "framework ref" in the path:
-- framework ids hold no space, so the name is unambiguous.  A function of
-- the scope, so that a view filtered on one scope walks that scope only (a
-- condition cannot enter a recursive query from outside).
CREATE FUNCTION isms.scope_relation_chains(scope text)
  RETURNS TABLE (origin_framework text, origin_ref text, framework text, control_ref text,
                 relationship text, depth integer, path text[])
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
WITH RECURSIVE edge AS (
  SELECT r.source_framework AS from_framework, r.source_ref AS from_ref,
         r.target_framework AS to_framework, r.target_ref AS to_ref,
         coalesce(r.relationship::text, 'related') AS relationship
    FROM isms.control_relation r
  UNION ALL
  SELECT r.target_framework, r.target_ref, r.source_framework, r.source_ref,
         CASE r.relationship WHEN 'subset-of' THEN 'superset-of' WHEN 'superset-of' THEN 'subset-of'
                             ELSE coalesce(r.relationship::text, 'related') END
    FROM isms.control_relation r
), walk AS (
  SELECT e.framework AS origin_framework, e.control_ref AS origin_ref,
         x.to_framework, x.to_ref, x.relationship, 1 AS depth,
         ARRAY[e.framework OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) e.control_ref,
               x.to_framework OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) x.to_ref] AS path
    FROM isms.soa_entry e
    JOIN edge x ON x.from_framework OPERATOR(pg_catalog.=) e.framework AND x.from_ref OPERATOR(pg_catalog.=) e.control_ref
   WHERE e.scope OPERATOR(pg_catalog.=) scope_relation_chains.scope
  UNION ALL
  SELECT w.origin_framework, w.origin_ref, x.to_framework, x.to_ref,
         isms.relationship_compose(w.relationship, x.relationship), w.depth OPERATOR(pg_catalog.+) 1,
         w.path OPERATOR(pg_catalog.||) (x.to_framework OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) x.to_ref)
    FROM walk w
    JOIN edge x ON x.from_framework OPERATOR(pg_catalog.=) w.to_framework AND x.from_ref OPERATOR(pg_catalog.=) w.to_ref
   WHERE w.depth OPERATOR(pg_catalog.<) 4
     AND isms.relationship_compose(w.relationship, x.relationship) IS NOT NULL
     AND NOT (x.to_framework OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) x.to_ref)
             OPERATOR(pg_catalog.=) ANY (w.path)
)
SELECT w.origin_framework, w.origin_ref, w.to_framework, w.to_ref, w.relationship, w.depth, w.path
  FROM walk w
$$;
COMMENT ON FUNCTION isms.scope_relation_chains(text) IS
  'The chains of at most four relations from the SoA controls of one scope (the rows of isms.control_relation_chain for that scope)';

CREATE VIEW isms.control_relation_chain AS
SELECT s.scope, c.origin_framework, c.origin_ref, c.framework, c.control_ref, c.relationship, c.depth, c.path
  FROM (SELECT DISTINCT e.scope FROM isms.soa_entry e) AS s
 CROSS JOIN LATERAL isms.scope_relation_chains(s.scope) AS c;
COMMENT ON VIEW isms.control_relation_chain IS
  'Every chain of at most four relations (isms.control_relation, read both ways) from a control of a scope''s SoA to a control of another framework, with the relationship it implies';
COMMENT ON COLUMN isms.control_relation_chain.scope IS 'Scope of the SoA entry the chain starts from';
COMMENT ON COLUMN isms.control_relation_chain.origin_framework IS 'Framework of the SoA control the chain starts from';
COMMENT ON COLUMN isms.control_relation_chain.origin_ref IS 'Reference of the SoA control the chain starts from';
COMMENT ON COLUMN isms.control_relation_chain.framework IS 'Framework of the control the chain reaches';
COMMENT ON COLUMN isms.control_relation_chain.control_ref IS 'Reference of the control the chain reaches';
COMMENT ON COLUMN isms.control_relation_chain.relationship IS
  'Relationship of the SoA control to the control reached (isms.relationship_compose along the chain): an isms.control_relationship value, or related (unstated)';
COMMENT ON COLUMN isms.control_relation_chain.depth IS 'Number of relations in the chain (1 to 4)';
COMMENT ON COLUMN isms.control_relation_chain.path IS 'The controls of the chain, "framework ref", from the SoA control to the control reached';

-- The coverage of one scope: every control of every framework that takes
-- part in a relation, except the frameworks the scope assesses in its own
-- SoA, with what the chains from its SoA entries say (docs/reference/
-- mapping.md).  A function of the scope for the reason given above.
CREATE FUNCTION isms.scope_coverage(scope text)
  RETURNS TABLE (framework text, control_ref text, title text, coverage text, related_controls integer,
                 implemented_controls integer, covered_by text[], depth integer, "position" integer)
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
WITH assessed AS MATERIALIZED (
  SELECT DISTINCT e.framework FROM isms.soa_entry e WHERE e.scope OPERATOR(pg_catalog.=) scope_coverage.scope
), related AS MATERIALIZED (
  SELECT r.source_framework AS framework FROM isms.control_relation r
  UNION
  SELECT r.target_framework FROM isms.control_relation r
), evidence AS MATERIALIZED (
  SELECT ch.framework, ch.control_ref, ch.origin_framework, ch.origin_ref, ch.depth,
         ch.relationship OPERATOR(pg_catalog.=) ANY (ARRAY['equal-to', 'equivalent-to', 'superset-of']) AS covering,
         coalesce(e.applicable, false) AND e.status OPERATOR(pg_catalog.=) 'implemented'::isms.implementation_status AS implemented,
         coalesce(e.applicable, false)
           AND e.status OPERATOR(pg_catalog.=) ANY (ARRAY['implemented', 'partial']::isms.implementation_status[]) AS started
    FROM isms.scope_relation_chains(scope_coverage.scope) AS ch
    JOIN isms.soa_entry e ON e.scope OPERATOR(pg_catalog.=) scope_coverage.scope
                         AND e.framework OPERATOR(pg_catalog.=) ch.origin_framework
                         AND e.control_ref OPERATOR(pg_catalog.=) ch.origin_ref
), summary AS (
  SELECT v.framework, v.control_ref,
         count(DISTINCT (v.origin_framework, v.origin_ref)) AS related_controls,
         count(DISTINCT (v.origin_framework, v.origin_ref)) FILTER (WHERE v.implemented) AS implemented_controls,
         pg_catalog.array_agg(DISTINCT v.origin_framework OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) v.origin_ref)
           FILTER (WHERE v.covering AND v.implemented) AS covered_by,
         bool_or(v.covering AND v.implemented) AS covered,
         bool_or(v.started) AS started,
         min(v.depth) AS depth
    FROM evidence v
   GROUP BY v.framework, v.control_ref
)
SELECT c.framework, c.ref, c.title,
       CASE WHEN s.control_ref IS NULL THEN 'unmapped'
            WHEN s.covered THEN 'covered'
            WHEN s.started THEN 'partial'
            ELSE 'not_covered' END,
       coalesce(s.related_controls, 0)::integer,
       coalesce(s.implemented_controls, 0)::integer,
       coalesce(s.covered_by, '{}'),
       s.depth,
       c.position
  FROM isms.control c
  JOIN related f ON f.framework OPERATOR(pg_catalog.=) c.framework
  LEFT JOIN summary s ON s.framework OPERATOR(pg_catalog.=) c.framework AND s.control_ref OPERATOR(pg_catalog.=) c.ref
 WHERE NOT EXISTS (SELECT 1 FROM assessed a WHERE a.framework OPERATOR(pg_catalog.=) c.framework)
$$;
COMMENT ON FUNCTION isms.scope_coverage(text) IS
  'The coverage of one scope through its SoA and chains of relations (the rows of isms.control_coverage for that scope)';

CREATE VIEW isms.control_coverage AS
SELECT s.scope, c.framework, c.control_ref, c.title, c.coverage, c.related_controls, c.implemented_controls,
       c.covered_by, c.depth, c.position
  FROM (SELECT DISTINCT e.scope FROM isms.soa_entry e) AS s
 CROSS JOIN LATERAL isms.scope_coverage(s.scope) AS c;
COMMENT ON VIEW isms.control_coverage IS
  'Per scope, every control of a related framework the scope does not assess itself, covered / partial / not_covered / unmapped through the scope''s SoA and chains of isms.control_relation (docs/reference/mapping.md)';
COMMENT ON COLUMN isms.control_coverage.scope IS 'Scope whose SoA gives the coverage';
COMMENT ON COLUMN isms.control_coverage.framework IS 'Framework of the covered control (e.g. nist-csf-2.0)';
COMMENT ON COLUMN isms.control_coverage.control_ref IS 'Reference of the covered control (e.g. GV.OC-01)';
COMMENT ON COLUMN isms.control_coverage.title IS 'Title of the covered control';
COMMENT ON COLUMN isms.control_coverage.coverage IS
  'covered: an applicable, implemented SoA control is equal-to, equivalent-to or superset-of it (along a chain); partial: not covered, but a related applicable SoA control is implemented or partly implemented; not_covered: related SoA controls exist, none started; unmapped: no chain reaches it';
COMMENT ON COLUMN isms.control_coverage.related_controls IS 'SoA controls of the scope that reach this control through a chain';
COMMENT ON COLUMN isms.control_coverage.implemented_controls IS 'Of those, the applicable ones with status implemented';
COMMENT ON COLUMN isms.control_coverage.covered_by IS 'The implemented SoA controls ("framework ref") that cover it; empty unless coverage is covered';
COMMENT ON COLUMN isms.control_coverage.depth IS 'Fewest relations from an SoA control to it (1 = direct), NULL when unmapped';
COMMENT ON COLUMN isms.control_coverage.position IS 'Order of the control in its framework (isms.control.position)';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.relationship_compose', 'read', NULL),
  ('isms.scope_relation_chains', 'read', NULL),
  ('isms.scope_coverage', 'read', NULL);
