-- 50_documents: structure, labels and privileges of the clauses framework
-- and the register of documented information.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pg_isms;
SELECT plan(16);

SELECT is((SELECT count(*)::int FROM isms.control WHERE framework = 'iso27001-2022-clauses'), 41,
          '41 clauses and sub-clauses');
SELECT results_eq($$SELECT ref FROM isms.control WHERE framework = 'iso27001-2022-clauses' AND parent_ref IS NULL ORDER BY position$$,
                  ARRAY['4', '5', '6', '7', '8', '9', '10'], 'top-level clauses 4 to 10 in order');
SELECT is((SELECT title FROM isms.control WHERE framework = 'iso27001-2022-clauses' AND ref = '6.3'),
          'Planning of changes', 'clause 6.3 (new in 2022) is there');
SELECT is((SELECT count(*)::int FROM isms.document_requirement WHERE builtin), 15, '15 required documented information items');
SELECT results_eq($$SELECT id FROM isms.document_requirement WHERE clause_ref = '6.1.3' ORDER BY position$$,
                  ARRAY['risk-treatment-process', 'statement-of-applicability'], '6.1.3 requires two items');
SELECT col_is_pk('isms', 'document', 'id', 'documents are keyed by id');
SELECT col_is_unique('isms', 'document', ARRAY['scope', 'ref'], 'one ref per scope');
SELECT col_is_pk('isms', 'document_serves', ARRAY['document', 'framework', 'control_ref'], 'serves: one row per pair');
SELECT col_is_pk('isms', 'document_fulfils', ARRAY['document', 'requirement'], 'fulfils: one row per pair');
SELECT col_default_is('isms', 'document', 'review_interval', '1 year'::interval::text, 'yearly review by default');
SELECT enum_has_labels('isms', 'document_kind',
  ARRAY['policy', 'procedure', 'standard', 'guideline', 'plan', 'register', 'record', 'report', 'other'], 'document kinds');
SELECT is_definer('isms', 'reminder_trigger', 'the reminder trigger runs as its definer');

CREATE ROLE isms_tap_docs;
SELECT ok(NOT has_function_privilege('isms_tap_docs', 'isms.reminder_trigger()', 'EXECUTE'),
          'PUBLIC cannot call the reminder trigger function');
SELECT ok(NOT has_table_privilege('isms_tap_docs', 'isms.document', 'SELECT'),
          'PUBLIC cannot read the register');

-- A document written by an editor (isms.grant_editor), who may write the
-- register but not the reminders, still gets its reminder (through the
-- SECURITY DEFINER trigger).
DO $$ BEGIN PERFORM isms.grant_editor('isms_tap_docs'); END $$;
SET LOCAL ROLE isms_tap_docs;
SELECT lives_ok($$INSERT INTO isms.document (scope, ref, title, kind, owner, next_review)
                  VALUES ('default', 'TAP-1', 'Tap policy', 'policy', 'me', '2030-01-01')$$,
                'an editor inserts a document');
RESET ROLE;
SELECT is((SELECT r.due FROM isms.reminder r JOIN isms.document d ON r.subject_key = d.id::text
            WHERE r.kind = 'document_review' AND d.ref = 'TAP-1'), date '2030-01-01',
          'its review reminder exists, due on the next review');

SELECT * FROM finish();
ROLLBACK;
