-- 32_treatment_acceptance: treatment plans and how they move the risk;
-- acceptance rules (appetite, approver, policy maximum, expiry), snapshots,
-- superseding, and acceptances as immutable records.
\i test/regress/setup.sql
INSERT INTO isms.risk (scope, ref, title, owner, inherent) VALUES
  ('default', 'R-001', 'Ransomware encrypts file servers', 'CIO', '4x5'),   -- critical
  ('default', 'R-002', 'Laptop theft', 'IT lead', '3x2'),                  -- medium, within appetite
  ('default', 'R-003', 'Supplier outage', 'COO', '3x4'),                   -- high
  ('default', 'R-004', 'Phishing', 'CISO', '5x3');                         -- high
SELECT ref, inherent, (isms.risk_level(residual)).name AS level, isms.within_appetite(residual) AS within
  FROM isms.risk ORDER BY id;

-- Treatment plans.
SELECT isms.treat(1, 'modify', 'EDR on every server', 'IT operations', '2030-03-31') AS plan_1,
       isms.treat(1, 'share', 'Cyber insurance', 'CFO', '2030-01-31') AS plan_2;
SELECT ref, status, treatment FROM isms.risk WHERE id = 1;
SELECT id, risk_id, option, plan, owner, due, status, completed_on, created_by = current_user AS by_me
  FROM isms.treatment ORDER BY id;
-- Bad plans: refused, nothing written.
SELECT count(*) AS plans FROM isms.treatment \gset
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$SELECT isms.treat(1, 'modify', ' ', 'ops', '2030-01-01')$$),
  ($$SELECT isms.treat(1, 'modify', NULL, 'ops', '2030-01-01')$$),
  ($$SELECT isms.treat(1, 'modify', 'plan', '', '2030-01-01')$$),
  ($$SELECT isms.treat(1, 'modify', 'plan', 'ops', NULL)$$),
  ($$SELECT isms.treat(1, NULL, 'plan', 'ops', '2030-01-01')$$),
  ($$INSERT INTO isms.treatment (risk_id, option, plan, owner, due, status) VALUES (1, 'modify', 'p', 'o', '2030-01-01', 'done')$$),
  ($$INSERT INTO isms.treatment (risk_id, option, plan, owner, due, status) VALUES (1, 'modify', 'p', 'o', '2030-01-01', 'finished')$$),
  ($$INSERT INTO isms.treatment (risk_id, option, plan, owner, due) VALUES (999, 'modify', 'p', 'o', '2030-01-01')$$),
  ($$UPDATE isms.treatment SET option = 'avoid' WHERE id = 1$$),
  ($$UPDATE isms.treatment SET risk_id = 2 WHERE id = 1$$)
) AS t(s);
SELECT count(*) - :plans AS plans_added FROM isms.treatment;
SELECT id, status, treatment FROM isms.risk ORDER BY id;

-- Progress: planned <-> in_progress -> done | cancelled, final.
UPDATE isms.treatment SET status = 'in_progress' WHERE id = 1;
UPDATE isms.treatment SET status = 'done' WHERE id = 1;
SELECT id, status, completed_on = current_date AS today FROM isms.treatment WHERE id = 1;
SELECT status FROM isms.risk WHERE id = 1;   -- plan 2 is still open
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$UPDATE isms.treatment SET status = 'planned' WHERE id = 1$$),
  ($$UPDATE isms.treatment SET status = 'cancelled' WHERE id = 1$$),
  ($$UPDATE isms.treatment SET completed_on = NULL WHERE id = 1$$),
  ($$UPDATE isms.treatment SET completed_on = '2030-01-01' WHERE id = 2$$)
) AS t(s);
UPDATE isms.treatment SET status = 'done', completed_on = '2026-01-15' WHERE id = 2;
SELECT id, status, completed_on = current_date AS today, completed_on = '2026-01-15' AS as_given
  FROM isms.treatment ORDER BY id;
SELECT status, treatment FROM isms.risk WHERE id = 1;   -- last open plan done: treated
-- A plain INSERT works like isms.treat(): further treatment.
INSERT INTO isms.treatment (risk_id, option, plan, owner, due) VALUES (1, 'modify', 'Network segmentation', 'Network team', '2030-06-30')
RETURNING id AS plan_3 \gset
SELECT status, treatment FROM isms.risk WHERE id = 1;
-- Cancelling every open plan while others are done: treated again.
UPDATE isms.treatment SET status = 'cancelled' WHERE id = :plan_3;
SELECT status FROM isms.risk WHERE id = 1;
-- Cancelling the only plan: back to assessed.
SELECT isms.treat(3, 'avoid', 'Move to a second supplier', 'COO', '2030-09-30') AS plan_4 \gset
SELECT status FROM isms.risk WHERE id = 3;
UPDATE isms.treatment SET status = 'cancelled' WHERE id = :plan_4;
SELECT status FROM isms.risk WHERE id = 3;
-- Deleting the only open plan settles the risk the same way.
SELECT isms.treat(3, 'avoid', 'Second supplier', 'COO', '2030-09-30') AS plan_5 \gset
SELECT status FROM isms.risk WHERE id = 3;
DELETE FROM isms.treatment WHERE id = :plan_5;
SELECT status FROM isms.risk WHERE id = 3;

-- Acceptance within the appetite: the owner may accept, for any future date.
SELECT isms.accept_risk(2, 'IT lead', 'Disk encryption makes theft a hardware loss', current_date + 1000) > 0 AS accepted;
SELECT risk_id, approver, accepted_on = current_date AS today, valid_until - accepted_on AS days,
       risk_owner, matrix, residual, residual_level, residual_overridden, above_appetite,
       max_validity_days, superseded_at
  FROM isms.acceptance;
SELECT status FROM isms.risk WHERE id = 2;

-- Above the appetite: approver other than the owner (any case and spacing),
-- valid_until within the policy maximum; nothing written when refused.
SELECT count(*) AS acceptances FROM isms.acceptance \gset
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$SELECT isms.accept_risk(4, 'CISO', 'owner accepts own high risk', current_date + 30)$$),
  ($$SELECT isms.accept_risk(4, ' ciso ', 'same person, other spelling', current_date + 30)$$),
  ($$SELECT isms.accept_risk(4, 'CEO', 'too long', current_date + 366)$$),
  ($$SELECT isms.accept_risk(4, 'CEO', 'expired at once', current_date)$$),
  ($$SELECT isms.accept_risk(4, 'CEO', 'in the past', current_date - 1)$$),
  ($$SELECT isms.accept_risk(4, 'CEO', 'no end', NULL)$$),
  ($$SELECT isms.accept_risk(4, NULL, 'no approver', current_date + 30)$$),
  ($$SELECT isms.accept_risk(4, ' ', 'blank approver', current_date + 30)$$),
  ($$SELECT isms.accept_risk(4, 'CEO', '', current_date + 30)$$),
  ($$INSERT INTO isms.acceptance (risk_id, approver, rationale, valid_until) VALUES (4, 'CISO', 'plain insert by owner', current_date + 30)$$),
  ($$INSERT INTO isms.acceptance (risk_id, approver, rationale, valid_until) VALUES (999, 'CEO', 'no such risk', current_date + 30)$$)
) AS t(s);
SELECT count(*) - :acceptances AS acceptances_added, (SELECT status FROM isms.risk WHERE id = 4) AS status
  FROM isms.acceptance;
-- At the limit it is accepted; the snapshot says above appetite.
SELECT isms.accept_risk(4, 'CEO', 'Awareness programme starts next quarter', current_date + 365) > 0 AS accepted;
SELECT risk_id, approver, valid_until - accepted_on AS days, risk_owner, residual, residual_level,
       above_appetite, max_validity_days
  FROM isms.acceptance WHERE risk_id = 4;
SELECT status FROM isms.risk WHERE id = 4;
-- A plain INSERT is held to the same rules, and its snapshot is the
-- trigger's, not the caller's.
INSERT INTO isms.acceptance (risk_id, approver, rationale, accepted_on, valid_until, risk_owner,
                             matrix, residual, residual_level, residual_overridden, above_appetite,
                             max_validity_days)
VALUES (3, 'CEO', 'Second supplier too expensive', '2000-01-01', current_date + 90, 'CEO',
        'default', '1x1', 'low', true, false, 9999);
SELECT risk_id, accepted_on = current_date AS today, risk_owner, residual, residual_level,
       residual_overridden, above_appetite, max_validity_days
  FROM isms.acceptance WHERE risk_id = 3;
SELECT status FROM isms.risk WHERE id = 3;

-- The policy maximum is a superuser setting, stored with each acceptance.
SET isms.acceptance_max_days = 30;
SELECT pg_temp.try($$SELECT isms.accept_risk(4, 'CEO', 'renewal', current_date + 31)$$);
SELECT isms.accept_risk(4, 'CEO', 'Renewed for one month', current_date + 30) > 0 AS accepted;
RESET isms.acceptance_max_days;
CREATE ROLE isms_regress_register_user;
SET ROLE isms_regress_register_user;
SELECT pg_temp.try($$SET isms.acceptance_max_days = 3000$$);
RESET ROLE;
DROP ROLE isms_regress_register_user;
SELECT pg_temp.try($$SET isms.acceptance_max_days = 0$$);

-- A new acceptance supersedes the previous one; one is in force per risk.
SELECT approver, valid_until - accepted_on AS days, max_validity_days,
       superseded_at IS NOT NULL AS superseded
  FROM isms.acceptance WHERE risk_id = 4 ORDER BY id;
SELECT pg_temp.try($$UPDATE isms.acceptance SET superseded_at = NULL WHERE risk_id = 4$$);

-- Acceptances are records.
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$UPDATE isms.acceptance SET valid_until = valid_until + 100 WHERE risk_id = 2$$),
  ($$UPDATE isms.acceptance SET approver = 'CEO' WHERE risk_id = 2$$),
  ($$UPDATE isms.acceptance SET residual = '1x1' WHERE risk_id = 2$$),
  ($$DELETE FROM isms.acceptance WHERE risk_id = 2$$)
) AS t(s);
SELECT count(*) AS acceptances_of_r2 FROM isms.acceptance WHERE risk_id = 2;

-- Retaining: a retain plan waits for the acceptance, which completes it.
INSERT INTO isms.risk (scope, ref, title, owner, inherent) VALUES ('default', 'R-005', 'Legacy fax line', 'COO', '2x2');
SELECT isms.treat(5, 'retain', 'Keep until the contract ends', 'COO', NULL) > 0 AS planned;
SELECT status, treatment FROM isms.risk WHERE id = 5;
SELECT isms.accept_risk(5, 'COO', 'Low risk, contract ends next year', current_date + 300) > 0 AS accepted;
SELECT r.status, t.status AS plan_status, t.completed_on = current_date AS today
  FROM isms.risk r JOIN isms.treatment t ON t.risk_id = r.id WHERE r.id = 5;

-- Leaving accepted supersedes the acceptance; the register no longer shows it.
SELECT isms.treat(2, 'modify', 'Remote wipe for all laptops', 'IT lead', '2030-02-28') > 0 AS planned;
SELECT status, (SELECT count(*) FROM isms.acceptance WHERE risk_id = 2 AND superseded_at IS NULL) AS in_force
  FROM isms.risk WHERE id = 2;
SELECT ref, status, accepted_by, acceptance_valid_until FROM isms.risk_register WHERE risk_id = 2;
-- Deleting a superseded acceptance is allowed (its history stays in the log).
DELETE FROM isms.acceptance WHERE risk_id = 2;

-- Expiry: the acceptance stays in force and shows as expired.  Time is made
-- to pass by moving the dates of acceptance 5 back, as the table owner with
-- the record trigger off.
ALTER TABLE isms.acceptance DISABLE TRIGGER acceptance_before_write;
UPDATE isms.acceptance SET accepted_on = accepted_on - 400, valid_until = current_date - 1 WHERE risk_id = 5;
ALTER TABLE isms.acceptance ENABLE TRIGGER acceptance_before_write;
SELECT ref, status, accepted_by, acceptance_valid_until = current_date - 1 AS yesterday,
       acceptance_expired, acceptance_stale
  FROM isms.risk_register WHERE risk_id IN (3, 4, 5) ORDER BY risk_id;
-- Renewing it is a new decision that supersedes the expired one.
SELECT isms.accept_risk(5, 'COO', 'Contract extended by six months', current_date + 180) > 0 AS accepted;
SELECT ref, status, acceptance_valid_until - current_date AS days_left, acceptance_expired
  FROM isms.risk_register WHERE risk_id = 5;
-- Stale: the residual grew after the decision.
UPDATE isms.risk SET inherent = '4x4' WHERE id = 3;
SELECT ref, residual, acceptance_stale FROM isms.risk_register WHERE risk_id = 3;
