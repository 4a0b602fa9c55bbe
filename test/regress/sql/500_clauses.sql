-- 50_clauses: ISO/IEC 27001:2022 clauses 4-10 as the framework
-- iso27001-2022-clauses (41 clauses and sub-clauses, nested), and the
-- documented information each clause requires.
\i test/regress/setup.sql

-- 41 entries, 7 top-level clauses, 15 required documented information items.
SELECT id, name, version, builtin FROM isms.framework WHERE id = 'iso27001-2022-clauses';
SELECT count(*) AS clauses, count(*) FILTER (WHERE parent_ref IS NULL) AS top_level,
       count(DISTINCT group_id) AS groups, bool_and(builtin) AS all_builtin
  FROM isms.control WHERE framework = 'iso27001-2022-clauses';
SELECT (SELECT count(*) FROM isms.document_requirement) AS required_items,
       (SELECT count(DISTINCT clause_ref) FROM isms.document_requirement) AS requiring_clauses;

-- The seed is exactly the committed CSV: ids, titles, parents.
CREATE TEMP TABLE csv_clauses (clause_id text, title text, parent_id text, mandatory_documented_information text);
\copy csv_clauses FROM 'data/iso27001-2022-clauses.csv' WITH (FORMAT csv, HEADER true)
SELECT count(*) AS csv_rows,
       count(*) FILTER (WHERE c.ref IS NULL) AS missing_in_seed,
       count(*) FILTER (WHERE c.title IS DISTINCT FROM v.title) AS title_differs,
       count(*) FILTER (WHERE c.parent_ref IS DISTINCT FROM nullif(v.parent_id, '')) AS parent_differs,
       count(*) FILTER (WHERE coalesce(v.mandatory_documented_information, '') IS DISTINCT FROM coalesce(
         (SELECT string_agg(r.title, '; ' ORDER BY r.position) FROM isms.document_requirement r
           WHERE r.framework = c.framework AND r.clause_ref = c.ref), '')) AS documents_differ
  FROM csv_clauses v LEFT JOIN isms.control c ON c.framework = 'iso27001-2022-clauses' AND c.ref = v.clause_id;

-- The tree as a reader sees it, in document order.
SELECT ref, repeat('  ', cardinality(string_to_array(ref, '.')) - 1) || title AS title, parent_ref, group_id, theme
  FROM isms.control WHERE framework = 'iso27001-2022-clauses' ORDER BY position;
SELECT id, clause_ref, title FROM isms.document_requirement ORDER BY position;

-- Seeded rows are read-only; users may add requirements of their own.
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$UPDATE isms.document_requirement SET title = 'Scope' WHERE id = 'isms-scope'$$),
  ($$DELETE FROM isms.document_requirement WHERE id = 'information-security-policy'$$),
  ($$UPDATE isms.control SET title = 'x' WHERE framework = 'iso27001-2022-clauses' AND ref = '4.1'$$),
  ($$INSERT INTO isms.document_requirement (id, clause_ref, title) VALUES ('Bad Id', '7.2', 'Training plan')$$),
  ($$INSERT INTO isms.document_requirement (id, clause_ref, title) VALUES ('training-plan', '11', 'Training plan')$$),
  ($$INSERT INTO isms.document_requirement (id, clause_ref, title) VALUES ('training-plan', '7.2', ' ')$$),
  ($$INSERT INTO isms.document_requirement (id, clause_ref, title) VALUES ('isms-scope', '4.3', 'again')$$)
) AS t(s);
SELECT count(*) AS required_items, count(*) FILTER (WHERE NOT builtin) AS user_items FROM isms.document_requirement;
INSERT INTO isms.document_requirement (id, clause_ref, title) VALUES ('training-plan', '7.2', 'Training plan');
SELECT id, framework, clause_ref, title, builtin, position > 15 AS after_seeds
  FROM isms.document_requirement WHERE NOT builtin;
UPDATE isms.document_requirement SET title = 'Yearly training plan' WHERE id = 'training-plan';
DELETE FROM isms.document_requirement WHERE id = 'training-plan';
SELECT count(*) AS required_items FROM isms.document_requirement;
