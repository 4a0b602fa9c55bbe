-- 21_soa: the Statement of Applicability: soa_init, the justification rule,
-- the dashboard views and their numbers.
\i test/regress/setup.sql

INSERT INTO isms.scope (id, name) VALUES ('emea', 'EMEA');

-- soa_init adds every control once; a second run adds nothing.
SELECT isms.soa_init('emea', 'iso27001-2022') AS first_run,
       isms.soa_init('emea', 'iso27001-2022') AS second_run;
SELECT count(*), count(*) FILTER (WHERE applicable IS NULL) AS undecided,
       count(DISTINCT status) AS statuses FROM isms.soa_entry WHERE scope = 'emea';
-- After a deletion it adds back only what is missing, and leaves decisions alone.
UPDATE isms.soa_entry SET applicable = true, justification = 'Required by policy P-1'
 WHERE scope = 'emea' AND control_ref = '5.1';
DELETE FROM isms.soa_entry WHERE scope = 'emea' AND control_ref IN ('8.1', '8.2');
SELECT isms.soa_init('emea', 'iso27001-2022') AS refill, isms.soa_init('emea', 'iso27001-2022') AS again;
SELECT control_ref, applicable, justification FROM isms.soa_entry
 WHERE scope = 'emea' AND control_ref IN ('5.1', '8.1', '8.2') ORDER BY control_ref;
-- Another framework in the same scope, and a second scope, are independent.
SELECT isms.soa_init('emea', 'iso27001-2013') AS old_framework, isms.soa_init('default', 'iso27001-2022') AS default_scope;
SELECT scope, framework, count(*) FROM isms.soa_entry GROUP BY 1, 2 ORDER BY 1, 2;
DELETE FROM isms.soa_entry WHERE framework = 'iso27001-2013';

-- Unknown scope or framework: 23503, nothing written.  NULL in: NULL out.
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$SELECT isms.soa_init('nowhere', 'iso27001-2022')$$),
  ($$SELECT isms.soa_init('emea', 'nist-800-53')$$)
) AS t(s);
SELECT isms.soa_init(NULL, 'iso27001-2022') IS NULL AS null_scope;
SELECT count(*) AS entries FROM isms.soa_entry;

-- The justification rule: a decision in either direction needs a reason.
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$UPDATE isms.soa_entry SET applicable = true WHERE scope = 'emea' AND control_ref = '5.2'$$),
  ($$UPDATE isms.soa_entry SET applicable = false WHERE scope = 'emea' AND control_ref = '5.2'$$),
  ($$UPDATE isms.soa_entry SET applicable = false, justification = '   ' WHERE scope = 'emea' AND control_ref = '5.2'$$),
  ($$UPDATE isms.soa_entry SET justification = NULL WHERE scope = 'emea' AND control_ref = '5.1'$$),
  ($$INSERT INTO isms.soa_entry (scope, framework, control_ref, applicable) VALUES ('default', 'iso27001-2013', 'A.5.1.1', false)$$),
  ($$UPDATE isms.soa_entry SET applicable = false, justification = 'No development in scope' WHERE scope = 'emea' AND control_ref = '8.25'$$),
  ($$UPDATE isms.soa_entry SET justification = 'Still open' WHERE scope = 'emea' AND control_ref = '5.3'$$)
) AS t(s);
-- Other constraints of an entry.
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$UPDATE isms.soa_entry SET status = 'done' WHERE scope = 'emea' AND control_ref = '5.1'$$),
  ($$UPDATE isms.soa_entry SET last_reviewed = '2026-03-01', next_review = '2026-02-01' WHERE scope = 'emea' AND control_ref = '5.1'$$),
  ($$UPDATE isms.soa_entry SET evidence = '{DOC-1,NULL}' WHERE scope = 'emea' AND control_ref = '5.1'$$),
  ($$UPDATE isms.soa_entry SET owner = '' WHERE scope = 'emea' AND control_ref = '5.1'$$),
  ($$INSERT INTO isms.soa_entry (scope, framework, control_ref) VALUES ('emea', 'iso27001-2022', '9.1')$$),
  ($$INSERT INTO isms.soa_entry (scope, framework, control_ref) VALUES ('mars', 'iso27001-2022', '5.1')$$),
  ($$INSERT INTO isms.soa_entry (scope, framework, control_ref) VALUES ('emea', 'iso27001-2022', '5.1')$$)
) AS t(s);
SELECT control_ref, applicable, justification, status, owner, evidence, last_reviewed, next_review
  FROM isms.soa_entry WHERE scope = 'emea' AND control_ref IN ('5.1', '5.2', '5.3', '8.25') ORDER BY control_ref;

-- A small SoA: People theme decided, with statuses, owners, evidence, reviews.
UPDATE isms.soa_entry SET applicable = true, justification = 'Risk R-' || control_ref,
       status = CASE WHEN control_ref IN ('6.1', '6.2', '6.3') THEN 'implemented'
                     WHEN control_ref = '6.4' THEN 'partial'
                     WHEN control_ref = '6.5' THEN 'planned'
                     ELSE 'not_started' END::isms.implementation_status,
       owner = 'HR', evidence = CASE WHEN control_ref = '6.1' THEN '{HR-POL-1,HR-CHK-2}'::text[] ELSE '{}' END,
       last_reviewed = '1999-06-01', next_review = CASE WHEN control_ref = '6.2' THEN date '2000-01-01' ELSE date '2999-01-15' END
 WHERE scope = 'emea' AND control_ref LIKE '6.%' AND control_ref <> '6.7';
UPDATE isms.soa_entry SET applicable = false, justification = 'Everyone works on site'
 WHERE scope = 'emea' AND control_ref = '6.7';
UPDATE isms.soa_entry SET next_review = NULL WHERE scope = 'emea' AND control_ref = '6.2';
UPDATE isms.soa_entry SET last_reviewed = '1999-01-01', next_review = '2000-01-01' WHERE scope = 'emea' AND control_ref = '6.3';

SELECT control_ref, title, theme, control_type, applicable, status, owner, evidence_count,
       last_reviewed, next_review, review_overdue
  FROM isms.statement_of_applicability
 WHERE scope = 'emea' AND theme = 'People' ORDER BY framework, position;
SELECT count(*) AS rows, count(DISTINCT (scope, framework, control_ref)) AS distinct_keys
  FROM isms.statement_of_applicability;

SELECT * FROM isms.compliance_summary WHERE scope = 'emea' ORDER BY framework, theme;
SELECT family, value, controls, applicable, not_applicable, implemented, percent_implemented
  FROM isms.compliance_by_attribute
 WHERE scope = 'emea' AND applicable + not_applicable > 0 AND family IN ('control_type', 'security_domains')
 ORDER BY family, value;
-- Each of the five families sums to at least the number of controls.
SELECT family, count(*) AS values_used, sum(controls) >= 93 AS covers_all
  FROM isms.compliance_by_attribute WHERE scope = 'emea' GROUP BY family ORDER BY family;

-- Framework-specific attributes (here a 27701-like role) appear as a family.
INSERT INTO isms.framework (id, name) VALUES ('privacy-test', 'Privacy test');
INSERT INTO isms.control (framework, ref, title, attributes) VALUES
  ('privacy-test', 'A.1', 'Controller control', '{"role": "controller"}'),
  ('privacy-test', 'B.1', 'Processor control', '{"role": "processor", "tags": ["gdpr", "transfer"]}'),
  ('privacy-test', 'B.2', 'Processor control 2', '{"role": "processor"}');
SELECT isms.soa_init('emea', 'privacy-test');
UPDATE isms.soa_entry SET applicable = true, justification = 'We process PII', status = 'implemented'
 WHERE scope = 'emea' AND framework = 'privacy-test' AND control_ref = 'B.1';
SELECT family, value, controls, applicable, implemented, percent_implemented
  FROM isms.compliance_by_attribute WHERE framework = 'privacy-test' ORDER BY family, value;
SELECT theme, controls, applicable, implemented FROM isms.compliance_summary WHERE framework = 'privacy-test';
-- A framework in use cannot be deleted under the SoA.
SELECT pg_temp.try($$DELETE FROM isms.framework WHERE id = 'privacy-test'$$);
