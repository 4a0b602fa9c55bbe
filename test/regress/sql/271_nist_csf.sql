-- 271_nist_csf: the seeded NIST CSF 2.0 and NIST's informative references
-- to ISO/IEC 27001:2022 are exactly the committed extract of NIST's CSF 2.0
-- Reference Tool export (data/nist/csf2-core-iso27001.csv): every element
-- that is not withdrawn, with NIST's text, every Annex A reference, and
-- (sql/502_nist_csf_clause_relations.sql) every reference to a clause.
\i test/regress/setup.sql
CREATE TEMP TABLE export (element_id text, element_type text, withdrawn boolean, text text, iso27001_2022 text);
\copy export FROM 'data/nist/csf2-core-iso27001.csv' WITH (FORMAT csv, HEADER true)

SELECT g.id, g.title, count(c.*) FILTER (WHERE c.attributes ->> 'class' = 'category') AS categories,
       count(c.*) FILTER (WHERE c.attributes ->> 'class' = 'subcategory') AS subcategories
  FROM isms.control_group g LEFT JOIN isms.control c ON c.framework = g.framework AND c.group_id = g.id
 WHERE g.framework = 'nist-csf-2.0' GROUP BY g.id, g.title, g.position ORDER BY g.position;

-- The shipped elements are the export's elements that are not withdrawn;
-- a Subcategory's title is NIST's outcome statement, nested in its Category.
SELECT (SELECT count(*) FROM export WHERE NOT withdrawn AND element_type <> 'function') AS export_active,
       (SELECT count(*) FROM export WHERE withdrawn) AS export_withdrawn,
       (SELECT count(*) FROM isms.control WHERE framework = 'nist-csf-2.0') AS shipped,
       (SELECT count(*) FROM isms.control c JOIN export e ON e.element_id = c.ref
         WHERE c.framework = 'nist-csf-2.0' AND NOT e.withdrawn AND e.element_type = c.attributes ->> 'class') AS matched,
       (SELECT count(*) FROM isms.control c JOIN export e ON e.element_id = c.ref
         WHERE c.framework = 'nist-csf-2.0' AND c.attributes ->> 'class' = 'subcategory'
           AND regexp_replace(e.text, '\s+', ' ', 'g') <> c.title) AS subcategory_text_differs,
       (SELECT count(*) FROM isms.control c WHERE c.framework = 'nist-csf-2.0' AND c.attributes ->> 'class' = 'subcategory'
           AND c.parent_ref <> split_part(c.ref, '-', 1)) AS wrongly_nested;
SELECT ref, title, theme, group_id, parent_ref FROM isms.control
 WHERE framework = 'nist-csf-2.0' AND ref IN ('GV.OC', 'GV.OC-01', 'PR.DS-11', 'RC.CO-04') ORDER BY position;

-- Every "Annex A Controls: N.N" reference of a Category or Subcategory is a
-- relation from that Annex A control, and there is no other.
CREATE TEMP TABLE refs AS
SELECT DISTINCT e.element_id AS csf, btrim(substring(r FROM 'Annex A Controls:(.*)$')) AS annex_a
  FROM export e, unnest(string_to_array(e.iso27001_2022, ' | ')) AS r
 WHERE NOT e.withdrawn AND e.element_type <> 'function' AND r LIKE 'ISO/IEC 27001:2022: Annex A Controls:%';
DELETE FROM refs WHERE annex_a IN ('', 'None', 'All applicable controls');
SELECT (SELECT count(*) FROM refs) AS references,
       (SELECT count(*) FROM isms.control_relation WHERE source = 'nist-csf-2.0-iso27001-2022'
           AND source_framework = 'iso27001-2022') AS relations,
       (SELECT count(*) FROM refs f WHERE NOT EXISTS (
          SELECT 1 FROM isms.control_relation r WHERE r.source_framework = 'iso27001-2022' AND r.source_ref = f.annex_a
             AND r.target_framework = 'nist-csf-2.0' AND r.target_ref = f.csf)) AS missing,
       (SELECT count(*) FROM isms.control_relation WHERE source = 'nist-csf-2.0-iso27001-2022'
           AND (relationship IS NOT NULL OR NOT builtin)) AS with_invented_kind;
SELECT source_ref, array_agg(target_ref ORDER BY target_ref) AS csf
  FROM isms.control_relation WHERE source = 'nist-csf-2.0-iso27001-2022' AND source_framework = 'iso27001-2022'
   AND source_ref IN ('5.1', '8.13')
 GROUP BY source_ref ORDER BY source_ref;

-- The "Mandatory Clause" references, read here from the CSV on their own:
-- 176 lines; "None" is no reference; "7.1, 7.2" names two clauses, "6.1,"
-- one; "4.2(a)" and "4.2 (a)" are items of clause 4.2.  Every reference to
-- an existing clause is a relation from that clause with the same
-- provenance and no relationship, and there is no other; 6.11 and 6.13 name
-- no clause and are not shipped (nor read as 6.1.1 or 6.1.3).
CREATE TEMP TABLE clause_lines AS
SELECT e.element_id AS csf, btrim(substring(r FROM 'Mandatory Clause:(.*)$')) AS printed
  FROM export e, unnest(string_to_array(e.iso27001_2022, ' | ')) AS r
 WHERE NOT e.withdrawn AND e.element_type <> 'function' AND r LIKE 'ISO/IEC 27001:2022: Mandatory Clause:%';
CREATE TEMP TABLE clause_refs AS
SELECT DISTINCT l.csf, substring(btrim(p) FROM '^[0-9.]*[0-9]') AS clause
  FROM clause_lines l, unnest(string_to_array(l.printed, ',')) AS p
 WHERE l.printed <> 'None' AND btrim(p) <> '';
SELECT (SELECT count(*) FROM clause_lines) AS lines,
       (SELECT count(*) FROM clause_lines WHERE printed = 'None') AS reading_none,
       (SELECT string_agg(DISTINCT clause, ' ') FROM clause_refs f
         WHERE NOT EXISTS (SELECT 1 FROM isms.control c WHERE c.framework = 'iso27001-2022-clauses' AND c.ref = f.clause)) AS no_such_clause,
       (SELECT count(*) FROM clause_refs f
         WHERE EXISTS (SELECT 1 FROM isms.control c WHERE c.framework = 'iso27001-2022-clauses' AND c.ref = f.clause)) AS references,
       (SELECT count(*) FROM isms.control_relation WHERE source_framework = 'iso27001-2022-clauses') AS relations,
       (SELECT count(*) FROM clause_refs f
         WHERE EXISTS (SELECT 1 FROM isms.control c WHERE c.framework = 'iso27001-2022-clauses' AND c.ref = f.clause)
           AND NOT EXISTS (SELECT 1 FROM isms.control_relation r
                 WHERE r.source_framework = 'iso27001-2022-clauses' AND r.source_ref = f.clause
                   AND r.target_framework = 'nist-csf-2.0' AND r.target_ref = f.csf)) AS missing,
       (SELECT count(*) FROM isms.control_relation r WHERE r.source_framework = 'iso27001-2022-clauses'
           AND NOT EXISTS (SELECT 1 FROM clause_refs f WHERE f.clause = r.source_ref AND f.csf = r.target_ref)) AS not_in_csv,
       (SELECT count(*) FROM isms.control_relation WHERE source_framework = 'iso27001-2022-clauses'
           AND (relationship IS NOT NULL OR NOT builtin OR source IS DISTINCT FROM 'nist-csf-2.0-iso27001-2022')) AS other_kind_or_source;
-- The printed forms that are not a plain clause id, and the note they leave.
SELECT l.csf, l.printed, r.source_ref, r.note
  FROM clause_lines l
  JOIN isms.control_relation r ON r.source_framework = 'iso27001-2022-clauses' AND r.target_ref = l.csf
   AND r.source_ref IN (SELECT substring(btrim(p) FROM '^[0-9.]*[0-9]') FROM unnest(string_to_array(l.printed, ',')) AS p)
 WHERE l.printed !~ '^[0-9.]*[0-9]$' AND l.printed <> 'None'
 ORDER BY l.csf, l.printed, r.source_ref;
SELECT source_ref, count(*) AS csf_elements FROM isms.control_relation
 WHERE source_framework = 'iso27001-2022-clauses' GROUP BY source_ref
 ORDER BY string_to_array(source_ref, '.')::int[];
SELECT id, title, publisher, url, licence, retrieved_from, method, matching_rationale, status
  FROM isms.mapping_source ORDER BY id;
