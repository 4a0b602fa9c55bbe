-- test/load/setup.sql: the data the mixed workload works on: four scopes,
-- each with its Statement of Applicability, 50 assessed risks, a
-- certificate (with its audits and reminders) and two processing
-- activities; and public.load_done, where every transaction of the
-- workload records what it did, so the checks can count reminders and log
-- entries against it.
SET client_min_messages = warning;
CREATE TABLE public.load_done (kind text NOT NULL, key text, at timestamptz DEFAULT clock_timestamp());
INSERT INTO isms.scope (id, name) SELECT 'load-' || s, 'Load scope ' || s FROM generate_series(1, 4) s;
SELECT isms.soa_init('load-' || s, 'iso27001-2022') FROM generate_series(1, 4) s;
INSERT INTO isms.risk (scope, ref, title, owner, inherent, status)
SELECT 'load-' || s, 'R-' || r, 'Risk ' || r, 'owner ' || (r % 5), isms.risk_score(1 + r % 5, 1 + (r * 7) % 5), 'assessed'
  FROM generate_series(1, 4) s, generate_series(1, 50) r;
INSERT INTO isms.certification (scope, certification_body, decided_on, cycle_start, expires_on)
SELECT 'load-' || s, 'CB ' || s, date '2026-01-15', date '2026-01-15', date '2029-01-14' FROM generate_series(1, 4) s;
INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories,
                                      personal_data_categories, retention, owner, next_review)
SELECT 'load-' || s, 'Activity ' || a, 'Purpose ' || a, 'contract', '{customers}', '{name,email}', '6 years', 'DPO',
       date '2026-06-01' + a
  FROM generate_series(1, 4) s, generate_series(1, 2) a;
