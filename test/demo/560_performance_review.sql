-- 560_performance_review: issue 18 in the scope "default".  A traceable
-- SoA (why each applicable control is there: a risk, a legal, regulatory or
-- contractual requirement, or a business need; how fresh its evidence is),
-- clause 9.1 objectives and metrics with their measurements (one corrected),
-- and two clause 9.3 management reviews whose inputs the database took and
-- which are locked once signed off.
\echo
\echo '=== Requirements the controls are chosen for (isms.requirement)'
INSERT INTO isms.requirement (scope, ref, kind, source, reference, description, owner, applies_from) VALUES
  ('default', 'GDPR-32', 'legal', 'Regulation (EU) 2016/679 (GDPR)', 'Art. 32(1)',
   'Security of processing: encryption, confidentiality, availability and regular testing', 'Legal counsel', '2018-05-25'),
  ('default', 'GDPR-33', 'legal', 'Regulation (EU) 2016/679 (GDPR)', 'Art. 33', 'Notify personal data breaches within 72 hours', 'Legal counsel', '2018-05-25'),
  ('default', 'NIS2-21', 'regulatory', 'NIS2 Directive (EU) 2022/2555, national law', 'Art. 21(2)',
   'Risk management measures: incident handling, business continuity, supply chain, vulnerability handling', 'CISO', '2024-10-18'),
  ('default', 'PCI-DSS', 'contractual', 'Merchant agreement with the acquirer (PCI DSS v4.0)', 'Req. 3, 6, 8',
   'Protect stored card data, patch systems, authenticate access', 'CFO', NULL),
  ('default', 'CUST-SLA', 'contractual', 'Framework contract with the largest B2B customer', 'Annex 4',
   'Security awareness of staff handling customer data; yearly penetration test', 'Head of e-commerce', NULL);
INSERT INTO isms.soa_requirement (scope, framework, control_ref, requirement, note)
SELECT 'default', 'iso27001-2022', l.control_ref, q.id, l.note
  FROM (VALUES ('8.24', 'GDPR-32', 'Disk, database and backup encryption'), ('8.13', 'GDPR-32', 'Backups tested quarterly'),
               ('5.24', 'GDPR-33', 'Incident process includes the 72-hour notification'), ('5.26', 'GDPR-33', NULL),
               ('5.24', 'NIS2-21', NULL), ('5.30', 'NIS2-21', 'ICT continuity'), ('5.21', 'NIS2-21', 'Supply-chain security'),
               ('8.8', 'NIS2-21', 'Vulnerability handling'), ('8.8', 'PCI-DSS', 'Critical patches within 30 days'),
               ('8.5', 'PCI-DSS', 'MFA for all access to the cardholder data environment'), ('6.3', 'CUST-SLA', 'Yearly awareness training'),
               ('8.29', 'CUST-SLA', 'Yearly penetration test')) AS l(control_ref, ref, note)
  JOIN isms.requirement q ON q.scope = 'default' AND q.ref = l.ref
  JOIN isms.soa_entry e ON e.scope = 'default' AND e.framework = 'iso27001-2022' AND e.control_ref = l.control_ref;

-- Business needs for most of the rest; three applicable controls are left
-- without any reason, so readiness shows them as blockers.
UPDATE isms.soa_entry e
   SET business_need = CASE c.theme WHEN 'People' THEN 'Staff conduct is part of the customer promise'
                                    WHEN 'Physical' THEN 'Warehouse and head office operations depend on it'
                                    ELSE 'Baseline of the ISMS agreed by the management board' END
  FROM isms.control c
 WHERE c.framework = e.framework AND c.ref = e.control_ref AND e.scope = 'default' AND e.applicable
   AND e.control_ref NOT IN ('5.6', '7.14', '8.21')
   AND NOT EXISTS (SELECT 1 FROM isms.soa_requirement x WHERE x.scope = e.scope AND x.control_ref = e.control_ref)
   AND NOT EXISTS (SELECT 1 FROM isms.risk_control l JOIN isms.risk k ON k.id = l.risk_id
                    WHERE k.scope = e.scope AND l.control_ref = e.control_ref AND k.status <> 'closed');
-- Evidence dates: most evidence checked this year, some of it long ago.
UPDATE isms.soa_entry e
   SET evidence_date = CASE WHEN c.position % 4 = 0 THEN CURRENT_DATE - 500 ELSE CURRENT_DATE - 60 END
  FROM isms.control c
 WHERE c.framework = e.framework AND c.ref = e.control_ref AND e.scope = 'default' AND cardinality(e.evidence) > 0;

\echo '=== The SoA with its reasons (isms.soa_traceability, the SoA export): first 12 applicable controls'
SELECT control_ref, left(title, 40) AS title, risks, requirements, left(business_need, 30) AS business_need, reasons, evidence_state
  FROM isms.soa_traceability WHERE scope = 'default' AND applicable ORDER BY position LIMIT 12;
\echo '=== Untraced applicable controls: readiness blockers (isms.readiness_blockers)'
SELECT area, ref, rule, what FROM isms.readiness_blockers('default') WHERE rule = 'soa_traceability' ORDER BY ref;
\echo '=== Evidence freshness of applicable controls (isms.soa_stale_evidence)'
SELECT evidence_state, count(*) AS controls, min(evidence_valid_until) AS oldest_valid_until
  FROM isms.soa_stale_evidence WHERE scope = 'default' GROUP BY evidence_state ORDER BY evidence_state;

\echo
\echo '=== Clause 6.2 objectives and 9.1 metrics'
INSERT INTO isms.objective (scope, ref, title, owner, target_date, measure) VALUES
  ('default', 'OBJ-01', 'Critical patches installed within 14 days', 'CIO', date_trunc('year', now())::date + 364, 'Median days from release to installation'),
  ('default', 'OBJ-02', 'Every employee completes awareness training yearly', 'HR lead', date_trunc('year', now())::date + 364, 'Share of staff trained in the last 12 months'),
  ('default', 'OBJ-03', 'Incidents contained within 4 hours', 'CISO', date_trunc('year', now())::date + 364, 'Median time from detection to containment');
INSERT INTO isms.metric (scope, ref, name, objective, framework, control_ref, method, frequency, frequency_start,
                         owner, analyst, unit, direction, target, threshold)
SELECT 'default', v.ref, v.name, o.id, 'iso27001-2022', v.control_ref, v.method, v.frequency,
       date_trunc('month', now()) - interval '11 months', v.owner, v.analyst, v.unit, v.direction::isms.metric_direction, v.target, v.threshold
  FROM (VALUES
   ('M-PATCH', 'Days to install critical patches', 'OBJ-01', '8.8', 'Median over the month, from the patch management tool',
    'FREQ=MONTHLY;BYMONTHDAY=1', 'IT operations', 'CISO', 'days', 'lower_is_better', 14, 30),
   ('M-TRAIN', 'Staff trained in the last 12 months', 'OBJ-02', '6.3', 'HR system report of completed courses',
    'FREQ=MONTHLY;INTERVAL=3', 'HR lead', 'CISO', '%', 'higher_is_better', 95, 80),
   ('M-CONTAIN', 'Hours from detection to containment', 'OBJ-03', '5.26', 'Median over the incidents closed in the month',
    'FREQ=MONTHLY;BYMONTHDAY=1', 'CISO', 'Managing director', 'hours', 'lower_is_better', 4, 8),
   ('M-RESTORE', 'Successful restore tests', NULL, '8.13', 'Restore of a sampled system to the test environment',
    'FREQ=MONTHLY;INTERVAL=3', 'IT operations', 'CIO', '%', 'higher_is_better', 100, 90)
  ) AS v(ref, name, objective, control_ref, method, frequency, owner, analyst, unit, direction, target, threshold)
  LEFT JOIN isms.objective o ON o.scope = 'default' AND o.ref = v.objective;
-- A year of values, taken on the day each was due (the restore tests
-- stopped five months ago: that metric is overdue).
INSERT INTO isms.measurement (metric, value, taken_at, recorded_by)
SELECT m.id, v.value, date_trunc('month', now()) - make_interval(months => v.ago), m.owner
  FROM isms.metric m
  JOIN (VALUES ('M-PATCH', 11, 31), ('M-PATCH', 10, 28), ('M-PATCH', 9, 26), ('M-PATCH', 8, 24), ('M-PATCH', 7, 22),
               ('M-PATCH', 6, 19), ('M-PATCH', 5, 18), ('M-PATCH', 4, 16), ('M-PATCH', 3, 15), ('M-PATCH', 2, 41),
               ('M-PATCH', 1, 13), ('M-PATCH', 0, 12),
               ('M-TRAIN', 11, 71), ('M-TRAIN', 8, 79), ('M-TRAIN', 5, 86), ('M-TRAIN', 2, 91),
               ('M-CONTAIN', 11, 9), ('M-CONTAIN', 9, 7.5), ('M-CONTAIN', 6, 6), ('M-CONTAIN', 4, 5.5),
               ('M-CONTAIN', 2, 4.5), ('M-CONTAIN', 1, 3.5), ('M-CONTAIN', 0, 3),
               ('M-RESTORE', 11, 80), ('M-RESTORE', 8, 100), ('M-RESTORE', 5, 95)) AS v(ref, ago, value)
    ON m.scope = 'default' AND m.ref = v.ref;
-- Two months ago the patch figure counted the test lab: corrected, not overwritten.
INSERT INTO isms.measurement (metric, value, corrects, note, recorded_by)
SELECT x.metric, 17, x.id, 'The test lab servers were counted; recomputed without them', 'CISO'
  FROM isms.measurement x JOIN isms.metric m ON m.id = x.metric
 WHERE m.ref = 'M-PATCH' AND x.value = 41;
\echo '=== Latest value of each metric against its target (isms.metric_status)'
SELECT metric_ref, left(name, 36) AS name, objective_ref, unit, target, threshold, latest_value,
       latest_taken_at::date AS taken, status, next_due::date AS next_due, overdue
  FROM isms.metric_status WHERE scope = 'default' ORDER BY metric_ref;
\echo '=== Trend of M-PATCH per month (isms.metric_trend; the corrected value replaces the wrong one)'
SELECT period, last_value, status, change, trend
  FROM isms.metric_trend WHERE scope = 'default' AND metric_ref = 'M-PATCH' ORDER BY period;
\echo '=== Measurements overdue (isms.metrics_overdue)'
SELECT metric_ref, name, owner, latest_taken_at::date AS last_taken, due_since::date AS due_since
  FROM isms.metrics_overdue WHERE scope = 'default' ORDER BY metric_ref;
\echo '=== The wrong value is still there, corrected (append-only: UPDATE and DELETE are refused)'
SELECT x.id, m.ref, x.value, x.taken_at::date AS taken, x.corrects, x.note
  FROM isms.measurement x JOIN isms.metric m ON m.id = x.metric
 WHERE m.ref = 'M-PATCH' AND x.taken_at = date_trunc('month', now()) - interval '2 months' ORDER BY x.id;

\echo
\echo '=== Clause 9.3: the management review of half a year ago, signed off, with its actions'
INSERT INTO isms.management_review (scope, held_on, chair, attendees, notes)
VALUES ('default', CURRENT_DATE - 190, 'Managing director', '{"Managing director",CISO,CIO,CFO,"HR lead"}',
        'Customers ask for evidence of awareness training (feedback of interested parties, 9.3.2 e)');
INSERT INTO isms.management_review_decision (review, kind, decision)
SELECT id, d.kind, d.decision FROM isms.management_review,
       (VALUES ('improvement', 'Automate the patch reporting'), ('resources', 'Fund a second security engineer')) AS d(kind, decision)
 WHERE scope = 'default' AND held_on = CURRENT_DATE - 190;
INSERT INTO isms.management_review_action (review, decision, action, owner, due)
SELECT d.review, d.id, a.action, a.owner, CURRENT_DATE - a.due_ago
  FROM isms.management_review_decision d
  JOIN (VALUES ('Automate the patch reporting', 'Connect the patch tool to the metric M-PATCH', 'IT operations', 100),
               ('Fund a second security engineer', 'Hire a second security engineer', 'HR lead', 40)) AS a(decision, action, owner, due_ago)
    ON a.decision = d.decision;
SELECT isms.management_review_sign(id, 'Managing director') IS NOT NULL AS signed_off
  FROM isms.management_review WHERE scope = 'default' AND held_on = CURRENT_DATE - 190;
-- After sign-off only progress moves on.
UPDATE isms.management_review_action SET status = 'done', completed_on = CURRENT_DATE - 95, progress_note = 'Dashboard live'
 WHERE action = 'Connect the patch tool to the metric M-PATCH';

\echo '=== The review of three weeks ago: inputs taken by the database, decisions, actions, sign-off'
INSERT INTO isms.management_review (scope, held_on, chair, attendees, notes)
VALUES ('default', CURRENT_DATE - 21, 'Managing director', '{"Managing director",CISO,CIO,COO,"Legal counsel"}',
        'The largest customer asks for the yearly penetration test report (9.3.2 e)');
SELECT jsonb_array_length(isms.management_review_snapshot(id) -> 'monitoring') AS metrics_in_the_inputs
  FROM isms.management_review WHERE scope = 'default' AND held_on = CURRENT_DATE - 21;
INSERT INTO isms.management_review_decision (review, kind, decision)
SELECT id, d.kind, d.decision FROM isms.management_review,
       (VALUES ('change', 'Bring restore tests back to quarterly, owned by the CIO'),
               ('improvement', 'Reach the training target before the surveillance audit')) AS d(kind, decision)
 WHERE scope = 'default' AND held_on = CURRENT_DATE - 21;
INSERT INTO isms.management_review_action (review, decision, action, owner, due)
SELECT d.review, d.id, a.action, a.owner, CURRENT_DATE + a.due_in
  FROM isms.management_review_decision d
  JOIN (VALUES ('Bring restore tests back to quarterly, owned by the CIO', 'Schedule and run the overdue restore test', 'CIO', 30),
               ('Reach the training target before the surveillance audit', 'Remind the 40 untrained staff, report weekly', 'HR lead', 45))
       AS a(decision, action, owner, due_in)
    ON a.decision = d.decision;
SELECT isms.management_review_sign(id, 'Managing director') IS NOT NULL AS signed_off
  FROM isms.management_review WHERE scope = 'default' AND held_on = CURRENT_DATE - 21;
-- A correction after sign-off is an addendum; the review itself is locked.
INSERT INTO isms.management_review_addendum (review, concerns, body)
SELECT id, 'attendees', 'The DPO attended as a guest and is missing from the list'
  FROM isms.management_review WHERE scope = 'default' AND held_on = CURRENT_DATE - 21;
DO $$
BEGIN
  UPDATE isms.management_review SET notes = 'rewritten' WHERE scope = 'default' AND held_on = CURRENT_DATE - 21;
  RAISE EXCEPTION 'a signed review was changed';
EXCEPTION WHEN object_not_in_prerequisite_state THEN
  RAISE NOTICE 'refused as it must be (55000): %', SQLERRM;
END
$$;

\echo '=== The last signed management review and the inputs the database took for it (9.3.2)'
SELECT r.id, r.held_on, r.period_start, r.chair, r.signed_by, r.signed_at IS NOT NULL AS signed,
       (SELECT count(*) FROM isms.management_review_decision d WHERE d.review = r.id) AS decisions,
       (SELECT count(*) FROM isms.management_review_action a WHERE a.review = r.id) AS actions,
       (SELECT count(*) FROM isms.management_review_addendum x WHERE x.review = r.id) AS addenda
  FROM isms.management_review r
 WHERE r.scope = 'default' AND r.signed_at IS NOT NULL ORDER BY r.held_on DESC LIMIT 1;
SELECT i.key AS input, left(i.value::text, 120) AS frozen_value
  FROM (SELECT * FROM isms.management_review WHERE scope = 'default' AND signed_at IS NOT NULL
         ORDER BY held_on DESC LIMIT 1) r
 CROSS JOIN LATERAL jsonb_each(r.inputs) AS i
 WHERE i.key NOT IN ('scope', 'taken_at')
 ORDER BY i.key;
\echo '=== Its inputs, a) actions of the previous review and d 2) monitoring results, as frozen'
SELECT a.action, a.owner, a.due, a.status, a.overdue
  FROM (SELECT * FROM isms.management_review WHERE scope = 'default' AND signed_at IS NOT NULL ORDER BY held_on DESC LIMIT 1) r
 CROSS JOIN LATERAL jsonb_to_recordset(r.inputs -> 'previous_actions') AS a(action text, owner text, due date, status text, overdue boolean);
SELECT m.metric, m.latest_value, m.target, m.threshold, m.status, m.overdue
  FROM (SELECT * FROM isms.management_review WHERE scope = 'default' AND signed_at IS NOT NULL ORDER BY held_on DESC LIMIT 1) r
 CROSS JOIN LATERAL jsonb_to_recordset(r.inputs -> 'monitoring')
       AS m(metric text, latest_value numeric, target numeric, threshold numeric, status text, overdue boolean);
\echo '=== Readiness of clause 9 now (isms.readiness_checks): the signed review counts'
SELECT rule, status, coalesce(what, evidence) AS what_or_evidence
  FROM isms.readiness_checks('default') WHERE ref = '9' AND rule IN ('management_review', 'monitoring') ORDER BY rule, status;
\echo '=== Every measurement, review, decision, action and addendum above is in the hash-chained change log (isms.verify_change_log)'
SELECT l.table_name, count(*) AS entries
  FROM isms.change_log l
 WHERE l.table_name IN ('isms.objective', 'isms.metric', 'isms.measurement', 'isms.requirement', 'isms.soa_requirement',
                        'isms.management_review', 'isms.management_review_decision', 'isms.management_review_action',
                        'isms.management_review_addendum')
 GROUP BY l.table_name ORDER BY l.table_name;
SELECT status, entries, problem FROM isms.verify_change_log();
