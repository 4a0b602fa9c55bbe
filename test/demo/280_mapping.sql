-- 280_mapping: the NIST Cybersecurity Framework 2.0 seen through the Annex A
-- Statement of Applicability of the scope "default" (from 200_catalogue_soa):
-- NIST's informative references from CSF 2.0 to ISO/IEC 27001:2022 are rows
-- of isms.control_relation, and isms.control_coverage derives the coverage.
\echo
\echo '=== Where the relations come from (isms.mapping_source)'
SELECT s.id, s.publisher, s.version, count(r.*) AS relations, s.licence
  FROM isms.mapping_source s LEFT JOIN isms.control_relation r ON r.source = s.id
 GROUP BY s.id ORDER BY s.id;

\echo '=== NIST CSF 2.0: Functions, Categories and Subcategories'
SELECT g.id AS function, g.title,
       count(*) FILTER (WHERE c.attributes ->> 'class' = 'category') AS categories,
       count(*) FILTER (WHERE c.attributes ->> 'class' = 'subcategory') AS subcategories
  FROM isms.control_group g JOIN isms.control c ON c.framework = g.framework AND c.group_id = g.id
 WHERE g.framework = 'nist-csf-2.0' GROUP BY g.id, g.title, g.position ORDER BY g.position;

\echo '=== CSF 2.0 coverage of the scope "default", by Function (isms.control_coverage)'
\echo '    NIST states no relationship type for its references, so "covered" needs a relation'
\echo '    that says equal-to / superset-of; with NIST''s data alone the best is "partial"'
SELECT c.group_id AS function,
       count(*) FILTER (WHERE v.coverage = 'covered') AS covered,
       count(*) FILTER (WHERE v.coverage = 'partial') AS partial,
       count(*) FILTER (WHERE v.coverage = 'not_covered') AS not_covered,
       count(*) FILTER (WHERE v.coverage = 'unmapped') AS unmapped
  FROM isms.control_coverage v JOIN isms.control c ON c.framework = v.framework AND c.ref = v.control_ref
 WHERE v.scope = 'default' AND v.framework = 'nist-csf-2.0' AND c.attributes ->> 'class' = 'subcategory'
 GROUP BY c.group_id ORDER BY min(c.position);

\echo '=== Protect / Data Security: each Subcategory with its Annex A controls'
SELECT v.control_ref, v.coverage, v.implemented_controls || ' of ' || v.related_controls AS implemented,
       (SELECT string_agg(ch.origin_ref || ' ' || e.status, ', ' ORDER BY ch.origin_ref)
          FROM isms.control_relation_chain ch
          JOIN isms.soa_entry e ON e.scope = ch.scope AND e.framework = ch.origin_framework AND e.control_ref = ch.origin_ref
         WHERE ch.scope = v.scope AND ch.framework = v.framework AND ch.control_ref = v.control_ref) AS annex_a
  FROM isms.control_coverage v
 WHERE v.scope = 'default' AND v.framework = 'nist-csf-2.0' AND v.control_ref LIKE 'PR.DS-%'
 ORDER BY v.position;

\echo '=== The same relations as an OSCAL 1.2 mapping collection (isms.oscal_mapping)'
SELECT m -> 'metadata' ->> 'title' AS title,
       jsonb_array_length(m #> '{mappings,0,maps}') AS maps,
       m #>> '{mappings,0,maps,0,sources,0,id-ref}' || ' -> ' || (m #>> '{mappings,0,maps,0,targets,0,id-ref}') AS first_map
  FROM (SELECT isms.oscal_mapping('nist-csf-2.0-iso27001-2022') -> 'mapping-collection' AS m) x;
