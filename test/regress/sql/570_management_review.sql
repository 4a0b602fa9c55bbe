-- 570_management_review: clause 9.3.  A review whose 9.3.2 inputs the
-- database takes (never written by hand), its 9.3.3 decisions and actions,
-- the sign-off after which nothing of it changes (each refusal with its
-- SQLSTATE, and nothing written), addenda, the next review reporting the
-- actions of the previous one, and the readiness rule (a signed review in
-- the 12 months before the day judged).
\i test/regress/setup.sql
-- A jsonb value without the moment it was taken, for stable output.
CREATE FUNCTION pg_temp.stable(j jsonb) RETURNS jsonb LANGUAGE sql AS $$ SELECT j - 'taken_at' $$;

INSERT INTO isms.scope (id, name, description) VALUES ('acme', 'ACME Ltd', 'Web shop and warehouse');
-- Something for the inputs to report: a completed internal audit with a
-- minor nonconformity and an opportunity, a risk with a plan, a metric.
INSERT INTO isms.audit (scope, kind, title, due_by, status, completed_on, auditor)
VALUES ('acme', 'internal', 'Internal audit 2026', '2026-03-31', 'completed', '2026-03-02', 'Internal audit team');
INSERT INTO isms.finding (audit, ref, kind, framework, control_ref, statement, owner, raised_on, due)
VALUES (1, 'NC-01', 'minor_nonconformity', 'iso27001-2022', '5.15', 'Leavers keep access for two weeks', 'IT operations', '2026-03-02', '2026-05-31'),
       (1, 'OFI-01', 'opportunity_for_improvement', 'iso27001-2022', '8.8', 'Patch reports could be automated', NULL, '2026-03-02', NULL);
INSERT INTO isms.corrective_action (finding, action, owner, due) VALUES (1, 'Daily leaver feed from HR', 'IT operations', '2026-04-30');
INSERT INTO isms.risk (scope, ref, title, owner, inherent, identified_on, next_review)
VALUES ('acme', 'R-01', 'Ransomware encrypts the file servers', 'CISO', '4x5', '2026-01-10', '2027-01-10');
SELECT isms.treat(id, 'modify', 'Immutable off-site backups', 'IT operations', '2026-09-30') > 0 AS treated FROM isms.risk;
INSERT INTO isms.requirement (scope, ref, kind, source, reference, description)
VALUES ('acme', 'GDPR-32', 'legal', 'Regulation (EU) 2016/679 (GDPR)', 'Art. 32', 'Security of processing');
INSERT INTO isms.objective (scope, ref, title, owner, target_date, measure)
VALUES ('acme', 'OBJ-01', 'Critical patches within 14 days', 'CIO', '2026-12-31', 'Median days to patch');
INSERT INTO isms.metric (scope, ref, name, objective, method, frequency, frequency_start, owner, analyst, unit, direction, target, threshold)
VALUES ('acme', 'M-PATCH', 'Days to install critical patches', 1, 'Patch tool report', 'FREQ=MONTHLY;BYMONTHDAY=1', '2026-01-01',
        'IT operations', 'CISO', 'days', 'lower_is_better', 14, 30);
INSERT INTO isms.measurement (metric, value, taken_at) VALUES (1, 35, '2026-03-01'), (1, 20, '2026-04-01');

-- The review of April 2026.  Its period starts 12 months earlier (no
-- previous signed review).
INSERT INTO isms.management_review (scope, held_on, chair, attendees, notes)
VALUES ('acme', '2026-04-20', 'CEO', '{CEO,CISO,CIO,"HR lead"}', 'Customers asked for SOC 2 reports (9.3.2 e)');
SELECT id, held_on, period_start, inputs IS NULL AS no_inputs_yet, signed_by FROM isms.management_review;
INSERT INTO isms.management_review_decision (review, kind, decision)
VALUES (1, 'improvement', 'Automate the patch report'), (1, 'resources', 'Hire a second security engineer');
INSERT INTO isms.management_review_action (review, decision, action, owner, due)
VALUES (1, 1, 'Connect the patch tool to the metrics', 'IT operations', '2026-06-30'),
       (1, 2, 'Open the job posting', 'HR lead', '2026-05-15');

-- Bad input, and inputs or sign-off time written by hand: refused, nothing written.
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$INSERT INTO isms.management_review (scope, held_on, chair, attendees) VALUES ('acme', '2026-04-21', 'CEO', '{}')$$),
  ($$INSERT INTO isms.management_review (scope, held_on, chair, attendees) VALUES ('acme', '2026-04-21', 'CEO', '{CEO,NULL}')$$),
  ($$INSERT INTO isms.management_review (scope, held_on, chair, attendees) VALUES ('acme', '2026-04-21', 'CEO', '{CEO," "}')$$),
  ($$INSERT INTO isms.management_review (scope, held_on, chair, attendees) VALUES ('acme', '2026-04-21', ' ', '{CEO}')$$),
  ($$INSERT INTO isms.management_review (scope, held_on, chair, attendees) VALUES ('acme', 'infinity', 'CEO', '{CEO}')$$),
  ($$INSERT INTO isms.management_review (scope, held_on, chair, attendees) VALUES ('nowhere', '2026-04-21', 'CEO', '{CEO}')$$),
  ($$INSERT INTO isms.management_review (scope, held_on, chair, attendees, period_start) VALUES ('acme', '2026-04-21', 'CEO', '{CEO}', '2026-05-01')$$),
  ($$INSERT INTO isms.management_review (scope, held_on, chair, attendees, inputs) VALUES ('acme', '2026-04-21', 'CEO', '{CEO}', '{"risks": "none"}')$$),
  ($$INSERT INTO isms.management_review (scope, held_on, chair, attendees, signed_at) VALUES ('acme', '2026-04-21', 'CEO', '{CEO}', now())$$),
  ($$INSERT INTO isms.management_review (scope, held_on, chair, attendees, signed_by) VALUES ('acme', '2999-01-01', 'CEO', '{CEO}', 'CEO')$$),
  ($$UPDATE isms.management_review SET inputs = '{"risks": "none"}' WHERE id = 1$$),
  ($$UPDATE isms.management_review SET signed_at = now() WHERE id = 1$$),
  ($$INSERT INTO isms.management_review_decision (review, kind, decision) VALUES (1, 'wish', 'x')$$),
  ($$INSERT INTO isms.management_review_decision (review, decision) VALUES (1, '  ')$$),
  ($$INSERT INTO isms.management_review_decision (review, decision) VALUES (99, 'x')$$),
  ($$INSERT INTO isms.management_review_action (review, action, owner, due) VALUES (1, 'x', 'o', 'infinity')$$),
  ($$INSERT INTO isms.management_review_action (review, action, owner, due, status) VALUES (1, 'x', 'o', '2026-05-01', 'done')$$),
  ($$INSERT INTO isms.management_review_action (review, action, owner, due, status) VALUES (1, 'x', 'o', '2026-05-01', 'started')$$),
  ($$INSERT INTO isms.management_review_action (review, action, owner, due) VALUES (1, 'x', NULL, '2026-05-01')$$),
  ($$INSERT INTO isms.management_review_addendum (review, concerns, body) VALUES (1, 'attendees', 'x')$$),
  ($$SELECT isms.management_review_inputs('nowhere', '2026-01-01', '2026-02-01')$$),
  ($$SELECT isms.management_review_inputs('acme', '2026-02-01', '2026-01-01')$$),
  ($$SELECT isms.management_review_inputs('acme', NULL, '2026-01-01')$$),
  ($$SELECT isms.management_review_snapshot(99)$$),
  ($$SELECT isms.management_review_sign(99, 'CEO')$$),
  ($$SELECT isms.management_review_sign(1, ' ')$$)
) AS t(s);
SELECT (SELECT count(*) FROM isms.management_review) AS reviews,
       (SELECT count(*) FROM isms.management_review_decision) AS decisions,
       (SELECT count(*) FROM isms.management_review_action) AS actions,
       (SELECT count(*) FROM isms.management_review_addendum) AS addenda,
       (SELECT inputs IS NULL AND signed_at IS NULL FROM isms.management_review WHERE id = 1) AS review_1_untouched;

-- The inputs, taken now from what the database holds (9.3.2 a-g).
SELECT jsonb_pretty(pg_temp.stable(isms.management_review_snapshot(1)));
SELECT inputs_taken_at > now() - interval '1 hour' AS taken_by_the_database, signed_at IS NULL AS unsigned
  FROM isms.management_review WHERE id = 1;
-- Until sign-off the review can change and the inputs be taken again: a
-- new measurement shows up.
INSERT INTO isms.measurement (metric, value, taken_at) VALUES (1, 12, '2026-04-15');
UPDATE isms.management_review SET notes = notes || '; SOC 2 to be assessed' WHERE id = 1;
SELECT isms.management_review_snapshot(1) #> '{monitoring,0}' AS monitoring_retaken;

-- Sign-off.  signed_at is the database's; the inputs stay as taken.
SELECT isms.management_review_sign(1, 'CEO') = statement_timestamp() AS signed_now;
SELECT id, signed_by, signed_at IS NOT NULL AS signed, inputs #>> '{monitoring,0,latest_value}' AS frozen_latest_value
  FROM isms.management_review;
CREATE TEMP TABLE before_change AS
SELECT (SELECT md5(string_agg(r::text, '|' ORDER BY r.id)) FROM isms.management_review r) AS reviews,
       (SELECT md5(string_agg(d::text, '|' ORDER BY d.id)) FROM isms.management_review_decision d) AS decisions,
       (SELECT md5(string_agg(a::text, '|' ORDER BY a.id)) FROM isms.management_review_action a) AS actions;

-- Once signed, nothing of the review changes: each attempt refused, for
-- the superuser too.
INSERT INTO isms.measurement (metric, value, taken_at) VALUES (1, 9, '2026-04-18');
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$UPDATE isms.management_review SET notes = 'rewritten' WHERE id = 1$$),
  ($$UPDATE isms.management_review SET attendees = '{CEO}' WHERE id = 1$$),
  ($$UPDATE isms.management_review SET signed_by = 'someone else' WHERE id = 1$$),
  ($$UPDATE isms.management_review SET inputs_taken_at = now() WHERE id = 1$$),
  ($$SELECT isms.management_review_snapshot(1)$$),
  ($$SELECT isms.management_review_sign(1, 'CEO')$$),
  ($$DELETE FROM isms.management_review WHERE id = 1$$),
  ($$TRUNCATE isms.management_review CASCADE$$),
  ($$INSERT INTO isms.management_review_decision (review, decision) VALUES (1, 'One more decision')$$),
  ($$UPDATE isms.management_review_decision SET decision = 'Buy a patch tool' WHERE id = 1$$),
  ($$DELETE FROM isms.management_review_decision WHERE id = 2$$),
  ($$TRUNCATE isms.management_review_decision CASCADE$$),
  ($$INSERT INTO isms.management_review_action (review, action, owner, due) VALUES (1, 'One more action', 'CISO', '2026-07-01')$$),
  ($$UPDATE isms.management_review_action SET due = '2026-12-31' WHERE id = 1$$),
  ($$UPDATE isms.management_review_action SET owner = 'CISO' WHERE id = 1$$),
  ($$UPDATE isms.management_review_action SET action = 'Something easier' WHERE id = 1$$),
  ($$DELETE FROM isms.management_review_action WHERE id = 2$$),
  ($$TRUNCATE isms.management_review_action$$)
) AS t(s);
SELECT b.reviews = (SELECT md5(string_agg(r::text, '|' ORDER BY r.id)) FROM isms.management_review r) AS reviews_unchanged,
       b.decisions = (SELECT md5(string_agg(d::text, '|' ORDER BY d.id)) FROM isms.management_review_decision d) AS decisions_unchanged,
       b.actions = (SELECT md5(string_agg(a::text, '|' ORDER BY a.id)) FROM isms.management_review_action a) AS actions_unchanged
  FROM before_change b;

-- The progress of an action does move on; a correction is an addendum,
-- which is itself append-only.
UPDATE isms.management_review_action SET status = 'done', completed_on = '2026-05-10', progress_note = 'Posted on three boards'
 WHERE id = 2;
INSERT INTO isms.management_review_addendum (review, concerns, body, added_at)
VALUES (1, 'attendees', 'The DPO attended too and was left out of the list', '2001-01-01');
SELECT id, review, concerns, body, added_by, added_at > '2001-01-01' AS added_now FROM isms.management_review_addendum;
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$UPDATE isms.management_review_addendum SET body = 'x'$$),
  ($$DELETE FROM isms.management_review_addendum$$),
  ($$TRUNCATE isms.management_review_addendum$$),
  ($$INSERT INTO isms.management_review_addendum (review, concerns, body) VALUES (99, 'x', 'y')$$),
  ($$INSERT INTO isms.management_review_addendum (review, concerns, body) VALUES (1, '', 'y')$$)
) AS t(s);
SELECT count(*) AS addenda FROM isms.management_review_addendum;

-- The next review reports the actions of the previous one (9.3.2 a): the
-- open one and the one done in its period; its period starts the day after.
INSERT INTO isms.management_review (scope, held_on, chair, attendees)
VALUES ('acme', '2026-10-20', 'CEO', '{CEO,CISO}');
SELECT held_on, period_start FROM isms.management_review WHERE held_on = '2026-10-20';
SELECT jsonb_pretty(isms.management_review_snapshot(id) -> 'previous_actions') FROM isms.management_review WHERE held_on = '2026-10-20';
-- An unsigned review can be deleted, with its decisions and actions.
INSERT INTO isms.management_review_decision (review, decision)
SELECT id, 'Draft decision' FROM isms.management_review WHERE held_on = '2026-10-20';
DELETE FROM isms.management_review WHERE held_on = '2026-10-20';
INSERT INTO isms.management_review (scope, held_on, chair, attendees)
VALUES ('acme', '2026-10-20', 'CEO', '{CEO,CISO}');
SELECT count(*) AS reviews, (SELECT count(*) FROM isms.management_review_decision) AS decisions FROM isms.management_review;

-- Readiness (9.3): a review signed off and held in the 12 months before the
-- day; an unsigned one is named; none at all is a blocker too.
SELECT status, what, object, owner, since, evidence FROM isms.readiness_checks('acme', '2026-06-01') WHERE rule = 'management_review';
SELECT status, what, object, owner, since, evidence FROM isms.readiness_checks('acme', '2027-05-01') WHERE rule = 'management_review';
INSERT INTO isms.management_review (scope, held_on, chair, attendees) VALUES ('acme', '2026-11-30', 'CEO', '{CEO}');
SELECT status, what, object, owner, since, evidence FROM isms.readiness_checks('acme', '2027-05-01') WHERE rule = 'management_review';
SELECT status, what, object, evidence FROM isms.readiness_checks('default', '2026-06-01') WHERE rule = 'management_review';

-- History: reviews and actions are in the change log.
SELECT table_name, op, count(*) FROM isms.change_log
 WHERE table_name LIKE 'isms.management_review%' GROUP BY 1, 2 ORDER BY 1, 2;

-- The calendar: every open action is a review_action reminder on its due
-- date; done moves it to done, cancelled or deleted to cancelled.
SELECT r.subject_key::int AS action, r.status, r.sequence, r.due, r.owner, r.summary, r.alarms
  FROM isms.reminder r WHERE r.kind = 'review_action' ORDER BY 1;
INSERT INTO isms.management_review_action (review, action, owner, due)
SELECT id, 'Draft the SOC 2 readiness plan', 'CISO', '2026-12-15' FROM isms.management_review WHERE held_on = '2026-10-20';
UPDATE isms.management_review_action SET status = 'cancelled', progress_note = 'Customer withdrew the request'
 WHERE action = 'Draft the SOC 2 readiness plan';
INSERT INTO isms.management_review_action (review, action, owner, due)
SELECT id, 'Second draft', 'CISO', '2026-12-20' FROM isms.management_review WHERE held_on = '2026-10-20';
DELETE FROM isms.management_review_action WHERE action = 'Second draft';
SELECT r.summary, r.status, r.sequence, r.description FROM isms.reminder r WHERE r.kind = 'review_action' ORDER BY r.subject_key::int;
