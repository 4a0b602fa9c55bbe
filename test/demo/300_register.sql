-- 300_register: a realistic risk register for the scope "default" (a
-- mid-sized online retailer): assets, risks scored on the default 5x5
-- matrix, controls linked from the Annex A catalogue (their SoA status comes
-- from 200_catalogue_soa), treatment plans, acceptances, a closed risk, a
-- manual override, and what the risk owner, the CISO and an auditor look at.
\echo
\echo '=== Risk register: assets of the scope "default"'
INSERT INTO isms.asset (scope, name, kind, owner, classification, confidentiality, integrity, availability, description) VALUES
  ('default', 'Customer database', 'information', 'Head of e-commerce', 'confidential', 5, 4, 4, 'Orders, addresses, payment tokens'),
  ('default', 'Web shop', 'service', 'Head of e-commerce', 'internal', 3, 5, 5, 'Public storefront and checkout'),
  ('default', 'File servers', 'hardware', 'IT operations', 'internal', 3, 4, 4, 'Department shares, two sites'),
  ('default', 'Payroll data', 'information', 'HR lead', 'restricted', 5, 5, 2, 'Salaries and bank details'),
  ('default', 'Staff laptops', 'hardware', 'IT operations', 'internal', 3, 3, 3, '180 Windows laptops'),
  ('default', 'Warehouse', 'site', 'Facilities', 'internal', 2, 3, 5, 'Main warehouse and packing'),
  ('default', 'Payment provider', 'supplier', 'CFO', 'confidential', 4, 5, 5, 'Card acquiring and fraud screening');
SELECT name, kind, owner, classification, confidentiality AS c, integrity AS i, availability AS a
  FROM isms.asset WHERE scope = 'default' ORDER BY id;

INSERT INTO isms.risk (scope, ref, title, owner, threat, vulnerability, inherent, target, identified_on, next_review) VALUES
  ('default', 'R-001', 'Ransomware encrypts file servers and backups', 'CIO', 'Criminal ransomware group',
   'Flat network, backups reachable from the domain', '4x5', '2x3', '2026-01-12', '2026-12-15'),
  ('default', 'R-002', 'Card data stolen from the web shop', 'Head of e-commerce', 'Skimming script injected into checkout',
   'Third-party scripts loaded without integrity checks', '3x5', '2x4', '2026-01-12', '2027-02-15'),
  ('default', 'R-003', 'Payroll data leaked by a phished HR account', 'HR lead', 'Phishing', 'Password-only access to the HR system',
   '4x4', '2x2', '2026-01-20', '2027-01-20'),
  ('default', 'R-004', 'Lost or stolen laptop exposes customer exports', 'CIO', 'Theft, loss', 'Local copies of exports',
   '4x3', '2x2', '2026-01-20', '2027-05-01'),
  ('default', 'R-005', 'Payment provider outage stops all sales', 'CFO', 'Supplier outage', 'Single payment provider',
   '3x4', '2x2', '2026-02-03', '2026-11-01'),
  ('default', 'R-006', 'Warehouse fire destroys stock and packing line', 'COO', 'Fire', 'Old electrical installation',
   '2x5', '1x5', '2026-02-03', '2027-02-03'),
  ('default', 'R-007', 'Insider changes product prices', 'Head of e-commerce', 'Disgruntled employee',
   'Shared admin account on the shop backend', '2x3', NULL, '2026-02-10', '2027-02-10'),
  ('default', 'R-008', 'Legacy FTP server exposes supplier files', 'CIO', 'Internet scanning', 'Unencrypted FTP',
   '3x3', NULL, '2026-02-10', '2027-02-10'),
  ('default', 'R-009', 'Shop unreachable during a DDoS attack', 'CIO', 'Extortion DDoS', 'No upstream filtering',
   '3x4', '2x3', '2026-03-01', '2026-09-01'),
  ('default', 'R-010', 'AI chatbot discloses order data', 'Head of e-commerce', NULL, NULL, NULL, NULL, '2026-11-20', NULL);

-- Two risks stem from a vulnerability a scanner scored: keep its CVSS vector
-- on the risk (optional column; the inherent score stays the owner's call).
UPDATE isms.risk r SET cvss = v.vector::isms.cvss
  FROM (VALUES ('R-002', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:L/A:N'),
               ('R-008', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N')) AS v(ref, vector)
 WHERE r.scope = 'default' AND r.ref = v.ref;

SELECT isms.link_asset(r.id, a.id)
  FROM (VALUES ('R-001', 'File servers'), ('R-002', 'Web shop'), ('R-002', 'Customer database'),
               ('R-002', 'Payment provider'), ('R-003', 'Payroll data'), ('R-004', 'Staff laptops'),
               ('R-004', 'Customer database'), ('R-005', 'Payment provider'), ('R-006', 'Warehouse'),
               ('R-007', 'Web shop'), ('R-009', 'Web shop')) AS l(ref, asset)
  JOIN isms.risk r ON r.scope = 'default' AND r.ref = l.ref
  JOIN isms.asset a ON a.scope = 'default' AND a.name = l.asset \g /dev/null

-- Controls that treat each risk, with the owner's view of their effectiveness.
SELECT isms.link_control(r.id, 'iso27001-2022', l.control, l.effectiveness)
  FROM (VALUES ('R-001', '8.7', 0.6), ('R-001', '8.13', 0.8), ('R-001', '8.8', 0.5), ('R-001', '8.16', 0.5),
               ('R-002', '8.26', 0.7), ('R-002', '8.28', 0.6), ('R-002', '8.16', 0.5),
               ('R-003', '8.5', 0.8), ('R-003', '6.3', 0.4), ('R-003', '5.15', 0.5),
               ('R-004', '8.24', 0.9), ('R-004', '7.9', 0.3), ('R-004', '8.1', 0.5),
               ('R-005', '5.30', 0.6), ('R-005', '5.19', 0.3),
               ('R-006', '7.5', 0.5), ('R-006', '5.29', 0.5),
               ('R-007', '5.3', 0.6), ('R-007', '8.2', 0.6), ('R-007', '8.15', 0.5),
               ('R-009', '8.20', 0.6), ('R-009', '5.30', 0.4)) AS l(ref, control, effectiveness)
  JOIN isms.risk r ON r.scope = 'default' AND r.ref = l.ref \g /dev/null

-- Treatment decisions.
SELECT isms.treat(id, 'modify', 'Segment the server network; offline, immutable backup copy', 'IT operations', date '2027-03-31')
  FROM isms.risk WHERE scope = 'default' AND ref = 'R-001' \g /dev/null
SELECT isms.treat(id, 'share', 'Cyber insurance covering restoration and business interruption', 'CFO', date '2026-06-30')
  FROM isms.risk WHERE scope = 'default' AND ref = 'R-001' \g /dev/null
SELECT isms.treat(id, 'modify', 'Subresource integrity and a content security policy on checkout', 'Web team', date '2026-09-30')
  FROM isms.risk WHERE scope = 'default' AND ref = 'R-002' \g /dev/null
SELECT isms.treat(id, 'modify', 'Phishing-resistant MFA for the HR system', 'IT operations', date '2026-05-31')
  FROM isms.risk WHERE scope = 'default' AND ref = 'R-003' \g /dev/null
SELECT isms.treat(id, 'share', 'Second payment provider as fallback', 'CFO', date '2027-06-30')
  FROM isms.risk WHERE scope = 'default' AND ref = 'R-005' \g /dev/null
SELECT isms.treat(id, 'retain', 'Keep: sprinklers and insurance in place, new installation budgeted for 2028', 'COO', NULL)
  FROM isms.risk WHERE scope = 'default' AND ref = 'R-006' \g /dev/null
SELECT isms.treat(id, 'avoid', 'Switch supplier exchange to SFTP and shut the FTP server down', 'IT operations', date '2026-04-30')
  FROM isms.risk WHERE scope = 'default' AND ref = 'R-008' \g /dev/null
-- Progress: the insurance and the MFA are done, the FTP server is gone.
UPDATE isms.treatment t SET status = 'done', completed_on = date '2026-06-12'
  FROM isms.risk r WHERE r.id = t.risk_id AND r.ref = 'R-001' AND t.option = 'share';
UPDATE isms.treatment t SET status = 'in_progress'
  FROM isms.risk r WHERE r.id = t.risk_id AND r.ref = 'R-001' AND t.option = 'modify';
UPDATE isms.treatment t SET status = 'done', completed_on = date '2026-05-20'
  FROM isms.risk r WHERE r.id = t.risk_id AND r.ref IN ('R-003', 'R-008');
-- The MFA rollout is recorded in the SoA; R-003's residual follows by itself.
SELECT residual AS "R-003 residual before" FROM isms.risk WHERE scope = 'default' AND ref = 'R-003';
UPDATE isms.soa_entry SET applicable = true, status = 'implemented', evidence = '{CHG-2026-0412}',
       justification = 'Phishing-resistant MFA on the HR system and all admin access'
 WHERE scope = 'default' AND framework = 'iso27001-2022' AND control_ref = '8.5';
SELECT residual AS "R-003 residual after" FROM isms.risk WHERE scope = 'default' AND ref = 'R-003';
SELECT isms.close_risk(id, 'FTP server decommissioned; supplier files moved to SFTP')
  FROM isms.risk WHERE scope = 'default' AND ref = 'R-008' \g /dev/null
-- Acceptances: within appetite by the owner, above appetite by the CEO.
SELECT isms.accept_risk(id, 'CEO', 'Fire protection in place; new installation budgeted for 2028', current_date + 365)
  FROM isms.risk WHERE scope = 'default' AND ref = 'R-006' \g /dev/null
SELECT isms.accept_risk(id, 'Head of e-commerce', 'Medium risk: four-eyes review of price changes is enough for now', current_date + 730)
  FROM isms.risk WHERE scope = 'default' AND ref = 'R-007' \g /dev/null
SELECT isms.accept_risk(id, 'CEO', 'Accepted until the second payment provider is live', current_date + 180)
  FROM isms.risk WHERE scope = 'default' AND ref = 'R-005' \g /dev/null
-- The DDoS risk: the owner knows of upstream filtering bought outside the catalogue.
SELECT isms.override_residual(id, '2x3', 'Upstream DDoS filtering contracted with the ISP (contract 2026-114)')
  FROM isms.risk WHERE scope = 'default' AND ref = 'R-009' \g /dev/null

\echo '=== The risk register (isms.risk_register)'
SELECT ref, title, owner, status, inherent, inherent_level AS inh_level, residual, residual_level AS res_level,
       CASE WHEN residual_overridden THEN 'override' ELSE '' END AS "override",
       within_appetite AS in_appetite, target, target_met, treatment, overdue
  FROM isms.risk_register WHERE scope = 'default' ORDER BY ref;

\echo '=== How the controls lower R-001 (isms.control_reduction, SoA status of each link)'
SELECT rc.control_ref, c.title, c.control_type, rc.effectiveness, e.status,
       rc.effectiveness * CASE WHEN e.applicable THEN isms.implementation_factor(e.status) ELSE 0 END AS strength
  FROM isms.risk_control rc
  JOIN isms.risk r ON r.id = rc.risk_id
  JOIN isms.control c ON c.framework = rc.framework AND c.ref = rc.control_ref
  LEFT JOIN isms.soa_entry e ON e.scope = r.scope AND e.framework = rc.framework AND e.control_ref = rc.control_ref
 WHERE r.scope = 'default' AND r.ref = 'R-001' ORDER BY c.position;
SELECT r.ref, r.inherent, round(x.likelihood_reduction, 3) AS likelihood_reduction,
       round(x.impact_reduction, 3) AS impact_reduction, x.controls, x.effective_controls, r.residual
  FROM isms.risk r CROSS JOIN LATERAL isms.control_reduction(r.id, r.scope) x
 WHERE r.scope = 'default' AND r.status <> 'closed' AND r.inherent IS NOT NULL ORDER BY r.ref;

\echo '=== Heat map of residual risk, scope default (isms.risk_heatmap): level and count per cell'
SELECT likelihood AS "L \ I",
       max(CASE impact WHEN 1 THEN format('%s %s', left(level, 4), nullif(residual_count, 0)) END) AS "1",
       max(CASE impact WHEN 2 THEN format('%s %s', left(level, 4), nullif(residual_count, 0)) END) AS "2",
       max(CASE impact WHEN 3 THEN format('%s %s', left(level, 4), nullif(residual_count, 0)) END) AS "3",
       max(CASE impact WHEN 4 THEN format('%s %s', left(level, 4), nullif(residual_count, 0)) END) AS "4",
       max(CASE impact WHEN 5 THEN format('%s %s', left(level, 4), nullif(residual_count, 0)) END) AS "5"
  FROM isms.risk_heatmap WHERE scope = 'default' AND matrix = 'default'
 GROUP BY likelihood ORDER BY likelihood DESC;

\echo '=== Treatment plans (isms.treatment_status)'
SELECT risk_ref, option, plan, owner, due, status, overdue, days_overdue
  FROM isms.treatment_status WHERE scope = 'default' ORDER BY due NULLS LAST, risk_ref;

\echo '=== Acceptances in force, with the snapshot taken at decision time'
SELECT r.ref, a.approver, a.risk_owner, a.residual, a.residual_level, a.above_appetite,
       a.valid_until - a.accepted_on AS days_valid, a.rationale
  FROM isms.acceptance a JOIN isms.risk r ON r.id = a.risk_id
 WHERE a.superseded_at IS NULL ORDER BY r.ref;

\echo '=== Refused: an owner accepting their own above-appetite risk, and a skipped status (nothing is written)'
DO $$
DECLARE
  r record;
BEGIN
  SELECT risk_id AS id, ref, owner INTO r FROM isms.risk_register
   WHERE scope = 'default' AND NOT within_appetite AND status <> 'closed' ORDER BY ref LIMIT 1;
  BEGIN
    PERFORM isms.accept_risk(r.id, r.owner, 'Own decision', current_date + 30);
  EXCEPTION WHEN check_violation THEN
    RAISE NOTICE '% accepting %: % (SQLSTATE %)', r.owner, r.ref, SQLERRM, SQLSTATE;
  END;
  BEGIN
    UPDATE isms.risk SET status = 'treated' WHERE scope = 'default' AND ref = 'R-007';
  EXCEPTION WHEN check_violation THEN
    RAISE NOTICE 'R-007: % (SQLSTATE %)', SQLERRM, SQLSTATE;
  END;
END
$$;

\echo '=== What changed in the register (isms.change_log), and the register before the plans (isms.risk_as_of)'
SELECT table_name, op, count(*) AS rows FROM isms.change_log
 WHERE table_name IN ('isms.asset', 'isms.risk', 'isms.risk_asset', 'isms.risk_control', 'isms.treatment', 'isms.acceptance')
 GROUP BY table_name, op ORDER BY table_name, op;
SELECT min(logged_at) AS before_plans FROM isms.change_log WHERE table_name = 'isms.treatment' \gset
SELECT ref, status, residual, residual_level FROM isms.risk_as_of(:'before_plans'::timestamptz - interval '1 microsecond')
 WHERE scope = 'default' ORDER BY ref LIMIT 5;
