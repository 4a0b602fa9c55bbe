-- Demo, part 0: what was installed.
\echo
\echo '== pg_isms demo =='
SELECT isms.version() AS pg_isms_version,
       (SELECT extversion FROM pg_extension WHERE extname = 'pg_isms') AS extension_version,
       current_setting('server_version') AS postgresql;
-- Demo, part 100: risk scores and the default risk matrix.
SET search_path = public, isms;
\echo
\echo '== Risk scores sort like numbers: by likelihood x impact, then impact =='
CREATE TEMP TABLE demo_score (risk text PRIMARY KEY, inherent isms.risk_score(5) NOT NULL,
                              residual isms.risk_score(5) NOT NULL);
INSERT INTO demo_score VALUES
  ('Ransomware on file servers',   '4x5', '2x4'),
  ('Laptop theft',                 '3x3', '3x1'),
  ('Cloud misconfiguration',       '3x4', '2x3'),
  ('Supplier data breach',         '2x5', '2x5'),
  ('Phishing of finance staff',    '5x4', '3x2'),
  ('Office flood',                 '1x4', '1x2');
SELECT risk, inherent, isms.score(inherent) AS score, (isms.risk_level(inherent)).name AS level,
       residual, (isms.risk_level(residual)).name AS residual_level,
       isms.within_appetite(residual) AS accepted
  FROM demo_score ORDER BY inherent DESC;

\echo
\echo '== Above appetite after treatment =='
SELECT risk, residual, l.name AS level, l.review_interval
  FROM demo_score, LATERAL isms.risk_level(residual) l
 WHERE NOT isms.within_appetite(residual) ORDER BY residual DESC;

\echo
\echo '== The built-in 5x5 matrix (rows: likelihood 5..1, columns: impact 1..5) =='
SELECT likelihood,
       string_agg(rpad(level, 8), ' ' ORDER BY impact) AS "impact 1 .. 5"
  FROM isms.risk_matrix_cell WHERE matrix = 'default'
 GROUP BY likelihood ORDER BY likelihood DESC;
SELECT name, rank, colour, review_interval,
       rank <= (SELECT appetite FROM isms.risk_matrix WHERE id = 'default') AS within_appetite
  FROM isms.risk_level WHERE matrix = 'default' ORDER BY rank;

\echo
\echo '== A second matrix beside the default: 3x3, banded by score thresholds =='
INSERT INTO isms.risk_matrix (id, name, size, appetite, description)
VALUES ('ops-3x3', 'Operations 3x3', 3, 1, 'Quick triage by the operations team');
INSERT INTO isms.risk_level (matrix, name, rank, colour, review_interval) VALUES
  ('ops-3x3', 'green', 1, '#43a047', '12 months'),
  ('ops-3x3', 'amber', 2, '#fb8c00', '3 months'),
  ('ops-3x3', 'red',   3, '#e53935', '1 month');
SELECT isms.risk_matrix_fill('ops-3x3', '{"green": 1, "amber": 3, "red": 6}') AS cells_written;
SELECT s AS score, (isms.risk_level(s)).name AS "default", (isms.risk_level(s, 'ops-3x3')).name AS "ops-3x3",
       isms.within_appetite(s, 'ops-3x3') AS ops_accepts
  FROM unnest('{1x2,2x2,3x2,3x3}'::isms.risk_score[]) s;
-- Demo, part 150: CVSS vectors from scanners and advisories, sorted and
-- filtered by their exact FIRST scores, and the risk each one suggests.
SET search_path = public, isms;
\echo
\echo '== Scanner findings with CVSS v3.0, v3.1 and v4.0 vectors, worst first =='
CREATE TEMP TABLE demo_finding (host text, cve text, vector isms.cvss NOT NULL, PRIMARY KEY (host, cve));
INSERT INTO demo_finding VALUES
  ('web-01',  'CVE-2014-0160',  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N'),
  ('web-01',  'CVE-2014-6271',  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:H/RL:O/RC:C'),
  ('web-02',  'CVE-2014-3566',  'CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N'),
  ('db-01',   'CVE-2013-0375',  'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N'),
  ('laptop-7','VULN-0042',      'CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P'),
  ('plc-3',   'VULN-0099',      'CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:H/SC:N/SI:H/SA:H/MSI:S/S:P'),
  ('kiosk-1', 'CVE-2014-2019',  'CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N');
SELECT host, cve, isms.cvss_version(vector) AS ver, isms.cvss_score(vector) AS score,
       isms.cvss_severity(vector) AS severity, isms.cvss_base_score(vector) AS base
  FROM demo_finding ORDER BY vector DESC, host;

\echo
\echo '== Network-reachable without credentials (any CVSS version) =='
SELECT host, cve, isms.cvss_score(vector) AS score
  FROM demo_finding
 WHERE isms.cvss_metric(vector, 'AV') = 'N' AND isms.cvss_metric(vector, 'PR') = 'N'
 ORDER BY vector DESC;

\echo
\echo '== Proposed risk on the default 5x5 matrix (a pg_isms convention, not CVSS) =='
SELECT cve, isms.cvss_severity(vector) AS severity, isms.cvss_risk_score(vector) AS proposed,
       (isms.risk_level(isms.cvss_risk_score(vector))).name AS level
  FROM demo_finding ORDER BY isms.cvss_risk_score(vector) DESC, cve;

\echo
\echo '== Findings per severity =='
SELECT isms.cvss_severity(vector) AS severity, count(*) AS findings, max(vector) AS worst
  FROM demo_finding GROUP BY 1 ORDER BY min(vector) DESC;
-- 200_catalogue_soa: the Annex A catalogue, a Statement of Applicability for
-- the scope "default" with a realistic mix of decisions, and what a CISO and
-- an auditor look at.
\echo
\echo '=== Control catalogue: ISO/IEC 27001:2022 Annex A by theme'
SELECT theme, count(*) AS controls FROM isms.control
 WHERE framework = 'iso27001-2022' GROUP BY theme ORDER BY min(position);

\echo '=== All Detective controls that protect Availability (GIN-indexed attributes)'
SELECT ref, title FROM isms.control
 WHERE control_type @> '{Detective}' AND security_properties @> '{Availability}' ORDER BY position;

SELECT isms.soa_init('default', 'iso27001-2022') AS soa_entries_created \gset
UPDATE isms.soa_entry e
   SET applicable = true,
       justification = 'Treats risks of the information security risk assessment 2026',
       owner = CASE c.theme WHEN 'People' THEN 'HR lead' WHEN 'Physical' THEN 'Facilities'
                            WHEN 'Technological' THEN 'IT operations' ELSE 'CISO' END,
       status = (ARRAY['implemented', 'implemented', 'implemented', 'partial', 'planned', 'not_started']
                 )[1 + (c.position * 7) % 6]::isms.implementation_status,
       evidence = CASE WHEN c.position % 3 = 0 THEN ARRAY['ISMS-DOC-' || c.position] ELSE '{}' END,
       last_reviewed = date '2026-01-15',
       next_review = CASE WHEN c.position % 11 = 0 THEN date '2026-06-30' ELSE date '2027-01-15' END
  FROM isms.control c
 WHERE c.framework = e.framework AND c.ref = e.control_ref AND e.scope = 'default';
UPDATE isms.soa_entry
   SET applicable = false, justification = 'No software is developed within the scope', status = 'not_started',
       owner = NULL, evidence = '{}', last_reviewed = NULL, next_review = NULL
 WHERE scope = 'default' AND control_ref IN ('8.25', '8.26', '8.27', '8.28', '8.29', '8.30', '8.31');

\echo '=== Compliance by theme (isms.compliance_summary)'
SELECT theme, controls, applicable, not_applicable, implemented, partial, planned, not_started, percent_implemented
  FROM isms.compliance_summary WHERE scope = 'default' AND framework = 'iso27001-2022' ORDER BY theme;

\echo '=== Compliance by cybersecurity concept (isms.compliance_by_attribute)'
SELECT value, applicable, implemented, percent_implemented
  FROM isms.compliance_by_attribute
 WHERE scope = 'default' AND framework = 'iso27001-2022' AND family = 'cybersecurity_concepts'
 ORDER BY value::isms.cybersecurity_concept;

\echo '=== Statement of Applicability (first 12 rows)'
SELECT control_ref, title, applicable, status, owner, evidence_count, next_review, review_overdue
  FROM isms.statement_of_applicability WHERE scope = 'default' ORDER BY framework, position LIMIT 12;

\echo '=== Where did the 2013 access-control clause go? (isms.control_mapping)'
SELECT m.source_ref AS iso27001_2013, o.title AS old_title, m.target_ref AS iso27001_2022, n.title AS new_title
  FROM isms.control_mapping m
  JOIN isms.control o ON o.framework = m.source_framework AND o.ref = m.source_ref
  JOIN isms.control n ON n.framework = m.target_framework AND n.ref = m.target_ref
 WHERE o.group_id = 'A.9' ORDER BY o.position;

\echo '=== Who changed the SoA (isms.change_log)'
SELECT actor, op, count(*) AS rows FROM isms.change_log
 WHERE table_name = 'isms.soa_entry' GROUP BY actor, op ORDER BY op;
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
-- 400_calendar: the certification cycle, the internal-audit programme and
-- the calendar feed a user subscribes to (written to pg_isms.ics).
\echo
\echo '=== Certificate of the scope "default" (decided ten months ago): the audit programme the trigger made'
INSERT INTO isms.certification (scope, certification_body, certificate_number, decided_on)
VALUES ('default', 'ACME Certification GmbH', 'IS 712345', (current_date - interval '10 months')::date);
SELECT a.kind, a.cycle_year, a.due_by, a.status
  FROM isms.audit a JOIN isms.certification c ON c.id = a.certification
 WHERE c.certificate_number = 'IS 712345' ORDER BY a.cycle_year;

\echo '=== The body proposes dates for surveillance audit 1; the internal-audit programme and management review'
UPDATE isms.audit SET planned_start = due_by - 30, planned_end = due_by - 29, status = 'confirmed',
       auditor = 'J. Smith (ACME)'
 WHERE kind = 'surveillance' AND cycle_year = 1
   AND certification = (SELECT id FROM isms.certification WHERE certificate_number = 'IS 712345');
INSERT INTO isms.audit (scope, kind, due_by, auditor)
VALUES ('default', 'internal', (current_date - interval '2 months')::date, 'Internal Audit');
INSERT INTO isms.audit (scope, kind, due_by) VALUES ('default', 'management_review', current_date + 45);
-- The internal audit was done late; the next one keeps its yearly rhythm.
UPDATE isms.audit SET status = 'completed', completed_on = (current_date - interval '2 months')::date + 12
 WHERE kind = 'internal' AND scope = 'default';
SELECT kind, due_by, planned_start, status, completed_on FROM isms.audit
 WHERE certification IS NULL ORDER BY due_by;

\echo '=== Upcoming reminders (what the calendar shows)'
SELECT kind, summary, due, last_day, sequence, status FROM isms.reminder ORDER BY due LIMIT 12;

\echo '=== The calendar feed: written to pg_isms.ics (subscribe to it, see docs/calendar-guide.md)'
\pset format unaligned
\pset tuples_only on
SELECT isms.ical_export() \g :outdir/pg_isms.ics
\pset format aligned
\pset tuples_only off
SELECT count(*) AS events_in_feed FROM isms.ical_events(isms.ical_export());
-- 500_readiness: the register of documented information, the findings of
-- the internal audit with their corrective actions, and the gap analysis a
-- CISO looks at before the next certification audit of the scope "default".
\echo
\echo '=== Register of documented information: the mandatory items (all but one), approved a few months ago'
INSERT INTO isms.document (scope, ref, title, kind, owner, version, approved_by, approved_on, location)
SELECT 'default', 'ISMS-' || lpad(r.position::text, 2, '0'), r.title,
       CASE WHEN r.title LIKE '%policy' OR r.title LIKE '%scope' THEN 'policy'
            WHEN r.title LIKE '%process' THEN 'procedure'
            WHEN r.title LIKE '%objectives' THEN 'plan'
            ELSE 'record' END::isms.document_kind,
       CASE WHEN r.clause_ref LIKE '7.2' THEN 'HR lead' ELSE 'CISO' END,
       '1.' || (r.position % 3), 'Managing director', CURRENT_DATE - 120,
       'https://intranet.example/isms/' || r.id
  FROM isms.document_requirement r
 WHERE r.id <> 'information-security-objectives'
 ORDER BY r.position;
INSERT INTO isms.document_fulfils (document, requirement)
SELECT d.id, r.id FROM isms.document d JOIN isms.document_requirement r ON d.title = r.title
 WHERE d.scope = 'default';
INSERT INTO isms.document_serves (document, framework, control_ref)
SELECT d.id, 'iso27001-2022-clauses', r.clause_ref FROM isms.document d JOIN isms.document_requirement r ON d.title = r.title
 WHERE d.scope = 'default';
-- Two more documents: a procedure still in draft, a standard past its review.
INSERT INTO isms.document (scope, ref, title, kind, owner, location, next_review)
VALUES ('default', 'PRC-ACC', 'Access control procedure', 'procedure', 'IT operations', 'https://intranet.example/isms/prc-acc', CURRENT_DATE + 200);
INSERT INTO isms.document (scope, ref, title, kind, owner, version, approved_by, approved_on, location, next_review)
VALUES ('default', 'STD-CRY', 'Cryptography standard', 'standard', 'IT operations', '2.3', 'CISO', CURRENT_DATE - 420,
        'https://intranet.example/isms/std-cry', CURRENT_DATE - 55);
INSERT INTO isms.document_serves (document, framework, control_ref)
SELECT id, 'iso27001-2022', v FROM isms.document, unnest(ARRAY['5.15', '5.18', '8.2', '8.5']) v WHERE ref = 'PRC-ACC'
UNION ALL
SELECT id, 'iso27001-2022', '8.24' FROM isms.document WHERE ref = 'STD-CRY';
SELECT ref, title, kind, state, next_review, clauses, controls
  FROM isms.document_register WHERE scope = 'default' AND (state <> 'current' OR ref IN ('ISMS-01', 'ISMS-05'))
 ORDER BY ref;

\echo '=== The last internal audit covered the whole scope; the management review took place three weeks ago'
SELECT isms.audit_cover_scope(id) AS clauses_and_controls_covered
  FROM isms.audit WHERE scope = 'default' AND kind = 'internal' AND status = 'completed';
UPDATE isms.audit SET status = 'completed', completed_on = current_date - 21
 WHERE scope = 'default' AND kind = 'management_review' AND status = 'planned';

\echo '=== Its findings: a major and a minor nonconformity, an opportunity for improvement'
INSERT INTO isms.finding (audit, ref, kind, framework, control_ref, statement, evidence, owner, raised_on, due)
SELECT a.id, v.ref, v.kind::isms.finding_kind, v.framework, v.control_ref, v.statement, v.evidence, v.owner, CURRENT_DATE - 40,
       CASE WHEN v.kind = 'minor_nonconformity' THEN CURRENT_DATE + 60 END
  FROM isms.audit a,
       (VALUES ('NC-01', 'major_nonconformity', 'iso27001-2022', '8.8',
                'Critical patches are not applied within the 14 days the policy requires',
                '11 of 20 servers sampled missed critical patches for more than 30 days', 'IT operations'),
               ('NC-02', 'minor_nonconformity', 'iso27001-2022', '5.18',
                'Access rights are not reviewed every six months as the procedure says',
                'Last review of the ERP roles dated 14 months ago', 'IT operations'),
               ('OFI-01', 'opportunity_for_improvement', 'iso27001-2022-clauses', '9.1',
                'Security metrics could be collected automatically', NULL, 'CISO'))
         AS v(ref, kind, framework, control_ref, statement, evidence, owner)
 WHERE a.scope = 'default' AND a.kind = 'internal' AND a.status = 'completed';
INSERT INTO isms.corrective_action (finding, correction, root_cause, action, owner, due)
SELECT id, 'Missing patches applied on the 11 servers', 'Patch window depends on one administrator',
       'Automated patch deployment with a weekly compliance report', 'IT operations', CURRENT_DATE + 20
  FROM isms.finding WHERE ref = 'NC-01';
INSERT INTO isms.corrective_action (finding, action, owner, due)
SELECT id, 'Access review of the ERP roles', 'IT operations', CURRENT_DATE - 5 FROM isms.finding WHERE ref = 'NC-02';
-- A minor nonconformity already closed: its action was verified effective.
INSERT INTO isms.finding (audit, ref, kind, framework, control_ref, statement, owner, raised_on)
SELECT id, 'NC-03', 'minor_nonconformity', 'iso27001-2022-clauses', '7.3',
       'New starters had no awareness briefing in their first month', 'HR lead', CURRENT_DATE - 40
  FROM isms.audit WHERE scope = 'default' AND kind = 'internal' AND status = 'completed';
INSERT INTO isms.corrective_action (finding, correction, root_cause, action, owner, due)
SELECT id, 'Briefing held for the six new starters', 'Onboarding checklist had no security step',
       'Security briefing added to the onboarding checklist', 'HR lead', CURRENT_DATE - 10
  FROM isms.finding WHERE ref = 'NC-03';
UPDATE isms.corrective_action SET completed_on = CURRENT_DATE - 20, verified_by = 'CISO', verified_on = CURRENT_DATE - 8, effective = true
 WHERE action = 'Security briefing added to the onboarding checklist';
UPDATE isms.finding SET status = 'closed', closed_on = CURRENT_DATE - 7, closed_by = 'CISO' WHERE ref = 'NC-03';
SELECT ref, kind, control_ref, requirement_title, raised_on, due, overdue, open_actions, overdue_actions, can_close
  FROM isms.open_findings WHERE scope = 'default' ORDER BY finding_id;
SELECT finding_ref, action, owner, due, state, days_overdue
  FROM isms.corrective_action_register WHERE scope = 'default' ORDER BY action_id;

\echo '=== Gap analysis for the next certification audit (isms.certification_readiness)'
SELECT ref, title, status, blockers, gaps FROM isms.certification_readiness WHERE scope = 'default' ORDER BY position;

\echo '=== What blocks certification, as a to-do list (isms.readiness_blockers)'
SELECT ref, what, object, owner, since FROM isms.readiness_blockers('default');

\echo '=== Clause 7 in detail: what is missing and the evidence looked at'
SELECT unnest(missing) AS missing FROM isms.certification_readiness WHERE scope = 'default' AND ref = '7';
SELECT unnest(evidence) AS evidence FROM isms.certification_readiness WHERE scope = 'default' AND ref = '7';

\echo '=== Due dates of findings, actions and document reviews on the calendar'
SELECT kind, summary, due, status FROM isms.reminder
 WHERE kind IN ('document_review', 'nonconformity_due', 'corrective_action') AND scope = 'default'
   AND due < CURRENT_DATE + 90
 ORDER BY due, summary;
-- 600_privacy: ISO/IEC 27701 on top of the ISMS.  The scope "default" acts as
-- PII controller (a web shop); a second scope "hosting" is a PII processor
-- for its customers.  Each gets the annex of its role in its SoA, the shop
-- keeps its records of processing, and their reviews go on the calendar.
\echo
\echo '=== ISO/IEC 27701:2019 in the catalogue: controls per annex and role'
SELECT theme, attributes ->> 'role' AS role, count(*) AS controls
  FROM isms.control WHERE framework = 'iso27701-2019' GROUP BY theme, role ORDER BY min(position);

INSERT INTO isms.scope (id, name, description)
VALUES ('hosting', 'ACME hosting', 'Managed shop hosting run for business customers');
INSERT INTO isms.privacy_scope (scope, role, contact) VALUES
  ('default', 'controller', 'dpo@acme.example'),
  ('hosting', 'processor', 'privacy@acme.example');

\echo '=== soa_init offers each scope the annex of its privacy role'
SELECT s.scope, s.role, isms.soa_init(s.scope, 'iso27701-2019') AS entries_offered
  FROM isms.privacy_scope s ORDER BY s.scope;

UPDATE isms.soa_entry e
   SET applicable = true,
       justification = 'PII of customers and staff is processed',
       owner = 'Data protection officer',
       status = (ARRAY['implemented', 'implemented', 'partial', 'planned', 'not_started']
                 )[1 + (c.position * 3) % 5]::isms.implementation_status,
       last_reviewed = CURRENT_DATE - 60, next_review = CURRENT_DATE + 305
  FROM isms.control c
 WHERE c.framework = e.framework AND c.ref = e.control_ref
   AND e.framework = 'iso27701-2019' AND e.scope IN ('default', 'hosting');
UPDATE isms.soa_entry
   SET applicable = false, justification = 'No automated decisions about individuals are taken', status = 'not_started',
       owner = NULL, last_reviewed = NULL, next_review = NULL
 WHERE scope = 'default' AND framework = 'iso27701-2019' AND control_ref = 'A.7.3.10';

\echo '=== Privacy SoA by annex (isms.compliance_summary: the theme is the annex)'
SELECT scope, theme, controls, applicable, not_applicable, implemented, percent_implemented
  FROM isms.compliance_summary WHERE framework = 'iso27701-2019' ORDER BY scope, theme;

INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, lawful_basis_detail,
    data_subject_categories, personal_data_categories, recipients, transfer_destinations, transfer_safeguards,
    retention, owner, last_reviewed, next_review) VALUES
  ('default', 'Order handling', 'Deliver and invoice orders', 'contract', NULL,
   '{customers}', '{name,postal address,e-mail,order history}', '{parcel service,payment provider}',
   '{US}', 'Standard contractual clauses (2021/914)', '10 years after the order (commercial and tax law)',
   'Head of sales', CURRENT_DATE - 90, CURRENT_DATE + 275),
  ('default', 'Newsletter', 'Send offers to subscribers', 'consent', 'Double opt-in; consent log kept in the CRM',
   '{subscribers}', '{e-mail,click history}', '{mailing service}', '{}', NULL,
   'Until consent is withdrawn, then 3 years as proof of consent', 'Marketing lead', CURRENT_DATE - 200, CURRENT_DATE + 165),
  ('default', 'Payroll', 'Pay staff and meet tax and social security duties', 'legal_obligation',
   'Tax and social security law', '{employees}', '{bank account,salary,tax id}', '{tax office,payroll provider}',
   '{IN}', 'Standard contractual clauses with the payroll provider', '10 years after the end of employment', 'HR lead',
   CURRENT_DATE - 420, CURRENT_DATE - 55),
  ('default', 'Warehouse CCTV', 'Protect goods and staff', 'legitimate_interests',
   'Theft prevention in the warehouse', '{visitors,staff}', '{video}', '{}', '{}', NULL, '72 hours', 'Facilities',
   NULL, CURRENT_DATE + 20);
INSERT INTO isms.processing_activity_control (activity, framework, control_ref, note)
SELECT a.id, m.framework, m.ref, m.note
  FROM isms.processing_activity a
  JOIN (VALUES ('Order handling', 'iso27001-2022', '8.24', 'TLS to payment provider and parcel service'),
               ('Order handling', 'iso27001-2022', '5.34', NULL),
               ('Order handling', 'iso27701-2019', 'A.7.5.1', 'Transfer basis documented'),
               ('Newsletter', 'iso27701-2019', 'A.7.2.4', 'Consent log'),
               ('Payroll', 'iso27001-2022', '8.3', 'Payroll data restricted to HR'),
               ('Payroll', 'iso27001-2022', '8.24', NULL)) AS m(activity, framework, ref, note)
    ON m.activity = a.name AND a.scope = 'default';

\echo '=== Record of processing activities (isms.record_of_processing)'
SELECT name, lawful_basis, data_subject_categories, retention, transfer_destinations,
       measures_count, measures_implemented, next_review, review_overdue
  FROM isms.record_of_processing WHERE scope = 'default' ORDER BY id;

\echo '=== Privacy summary per scope (isms.privacy_summary)'
SELECT scope, privacy_role, activities, basis_consent, basis_contract, basis_legal_obligation,
       basis_legitimate_interests, not_reviewed_last_year, review_overdue, with_transfers, transfer_destinations,
       without_security_measures
  FROM isms.privacy_summary ORDER BY scope;
SELECT scope, a ->> 'framework' AS framework, a ->> 'annex' AS annex, a -> 'roles' AS roles,
       a ->> 'applicable' AS applicable, a ->> 'implemented' AS implemented, a ->> 'percent_implemented' AS percent
  FROM isms.privacy_summary, jsonb_array_elements(soa_by_annex) AS a ORDER BY scope, annex;

\echo '=== Reviews of the records on the calendar (isms.reminder, kind processing_review)'
SELECT r.summary, r.owner, r.due, r.status, r.sequence
  FROM isms.reminder r WHERE r.kind = 'processing_review' ORDER BY r.due;

\echo '=== The DPO reviews the overdue payroll record: the calendar entry moves'
SELECT name, last_reviewed, next_review
  FROM isms.processing_activity_reviewed((SELECT id FROM isms.processing_activity WHERE name = 'Payroll'));
SELECT r.summary, r.due, r.sequence FROM isms.reminder r
  JOIN isms.processing_activity a ON r.subject = 'isms.processing_activity'::regclass AND r.subject_key = a.id::text
 WHERE a.name = 'Payroll';

\echo '=== The same reviews in the iCalendar feed (isms.ical_export, read back with isms.ical_events)'
SELECT summary, kind, first_day, sequence, cancelled
  FROM isms.ical_events(isms.ical_export('default', ARRAY['processing_review'])) ORDER BY first_day;
-- 800_demo_org: the rest of the demo organisation, so the dashboards look
-- like a real mid-sized ISMS: 40 assets and 60 risks in the scope "default"
-- spread across the matrix, linked to assets and Annex A controls, in every
-- state of their life cycle, with an acceptance that has already expired.
\echo
\echo '=== Demo organisation: filling the register to 40 assets and 60 risks'
INSERT INTO isms.asset (scope, name, kind, owner, classification, confidentiality, integrity, availability) VALUES
  ('default', 'ERP system', 'software', 'CFO', 'confidential', 4, 5, 4),
  ('default', 'Product catalogue', 'information', 'Head of e-commerce', 'public', 1, 4, 4),
  ('default', 'Order management service', 'service', 'Head of e-commerce', 'internal', 3, 5, 5),
  ('default', 'Customer support mailbox', 'information', 'Head of support', 'confidential', 4, 3, 3),
  ('default', 'Ticketing system', 'software', 'Head of support', 'internal', 3, 3, 3),
  ('default', 'Active Directory', 'software', 'IT operations', 'restricted', 4, 5, 5),
  ('default', 'Firewall cluster', 'network', 'IT operations', 'restricted', 3, 5, 5),
  ('default', 'Office network', 'network', 'IT operations', 'internal', 2, 3, 4),
  ('default', 'Warehouse Wi-Fi', 'network', 'IT operations', 'internal', 2, 3, 4),
  ('default', 'Backup system', 'hardware', 'IT operations', 'restricted', 5, 5, 4),
  ('default', 'Source code repository', 'software', 'Head of development', 'confidential', 4, 5, 3),
  ('default', 'CI/CD pipeline', 'service', 'Head of development', 'confidential', 3, 5, 3),
  ('default', 'Cloud hosting account', 'service', 'CIO', 'restricted', 4, 5, 5),
  ('default', 'DNS and domains', 'service', 'CIO', 'internal', 1, 5, 5),
  ('default', 'E-mail service', 'service', 'IT operations', 'internal', 4, 4, 4),
  ('default', 'HR system', 'software', 'HR lead', 'restricted', 5, 4, 3),
  ('default', 'Employee records', 'information', 'HR lead', 'restricted', 5, 4, 2),
  ('default', 'Contracts archive', 'information', 'Legal counsel', 'confidential', 4, 4, 2),
  ('default', 'Accounting records', 'information', 'CFO', 'confidential', 4, 5, 3),
  ('default', 'Marketing analytics', 'information', 'Head of marketing', 'internal', 3, 3, 2),
  ('default', 'Newsletter platform', 'supplier', 'Head of marketing', 'internal', 3, 3, 3),
  ('default', 'Parcel carrier integration', 'supplier', 'COO', 'internal', 2, 4, 5),
  ('default', 'Warehouse management system', 'software', 'COO', 'internal', 2, 5, 5),
  ('default', 'Handheld scanners', 'hardware', 'COO', 'internal', 1, 3, 4),
  ('default', 'Head office', 'site', 'Facilities', 'internal', 2, 2, 4),
  ('default', 'Server room', 'site', 'Facilities', 'restricted', 3, 4, 5),
  ('default', 'Mobile phones', 'hardware', 'IT operations', 'internal', 3, 3, 3),
  ('default', 'Printers and scanners', 'hardware', 'IT operations', 'internal', 3, 2, 2),
  ('default', 'IT administrators', 'people', 'CIO', 'internal', 4, 4, 4),
  ('default', 'Customer service agents', 'people', 'Head of support', 'internal', 3, 3, 3),
  ('default', 'Fraud screening rules', 'information', 'CFO', 'confidential', 4, 5, 4),
  ('default', 'Returns process', 'process', 'COO', 'internal', 2, 3, 3),
  ('default', 'Incident response process', 'process', 'CISO', 'internal', 3, 4, 4);

INSERT INTO isms.risk (scope, ref, title, owner, threat, vulnerability, inherent, target, identified_on, next_review)
SELECT 'default', format('R-%s', lpad(n::text, 3, '0')), title, owner, threat, vuln, inherent::isms.risk_score,
       target::isms.risk_score, date '2026-01-05' + (n * 5), date '2026-12-01' + (n * 3) % 150
  FROM (VALUES
   (11, 'Domain administrator account compromised', 'CIO', 'Credential theft', 'No tiered admin model', '4x5', '2x4'),
   (12, 'Backup restore fails when needed', 'IT operations', 'Hardware failure', 'Restores never tested', '3x5', '1x4'),
   (13, 'Cloud account takeover', 'CIO', 'Phishing of cloud admins', 'Root account without hardware key', '3x5', '1x5'),
   (14, 'Source code leaked from the repository', 'Head of development', 'Leaked access token', 'Long-lived personal tokens', '3x4', '2x3'),
   (15, 'Malicious package in the build pipeline', 'Head of development', 'Supply-chain attack', 'Dependencies not pinned', '3x4', '2x3'),
   (16, 'Domain hijacked at the registrar', 'CIO', 'Social engineering of the registrar', 'No registry lock', '2x5', '1x5'),
   (17, 'E-mail spoofing of the CEO', 'CFO', 'Business e-mail compromise', 'DMARC not enforced', '4x4', '2x3'),
   (18, 'Employee records sent to the wrong recipient', 'HR lead', 'Human error', 'No data-loss prevention', '3x3', '2x2'),
   (19, 'Contracts archive destroyed by water damage', 'Legal counsel', 'Flood', 'Paper archive in the basement', '2x4', '1x3'),
   (20, 'Fraudulent supplier bank-detail change', 'CFO', 'Invoice fraud', 'No call-back verification', '3x4', '1x4'),
   (21, 'Marketing analytics collects data without consent', 'Head of marketing', 'Regulatory action', 'Tags added without review', '3x3', '1x3'),
   (22, 'Newsletter platform breach exposes addresses', 'Head of marketing', 'Supplier breach', 'Full customer export shared', '2x3', '2x2'),
   (23, 'Parcel carrier API outage delays shipping', 'COO', 'Supplier outage', 'Single carrier integration', '3x3', '2x2'),
   (24, 'Warehouse system unavailable during peak', 'COO', 'Capacity shortage', 'No load testing before peak', '3x4', '2x3'),
   (25, 'Handheld scanners infected with malware', 'COO', 'Malware', 'Unmanaged Android devices', '2x2', NULL),
   (26, 'Tailgating into the head office', 'Facilities', 'Unauthorised entry', 'No visitor badges', '3x2', '2x2'),
   (27, 'Server room overheats', 'Facilities', 'Cooling failure', 'Single air-conditioning unit', '2x4', '1x4'),
   (28, 'Lost mobile phone with company e-mail', 'IT operations', 'Loss', 'No mobile device management', '4x2', '2x2'),
   (29, 'Confidential print-outs left on printers', 'IT operations', 'Human error', 'No pull printing', '4x2', '2x1'),
   (30, 'Administrator misuses privileged access', 'CIO', 'Insider', 'No session recording', '2x4', '1x4'),
   (31, 'Support agent social-engineered into account change', 'Head of support', 'Social engineering', 'Weak caller verification', '4x3', '2x3'),
   (32, 'Fraud rules tampered with', 'CFO', 'Insider', 'Rules editable by all analysts', '2x4', '1x3'),
   (33, 'Returns abused to obtain refunds for empty parcels', 'COO', 'Fraud', 'No weight check on returns', '4x2', '2x2'),
   (34, 'Incident detected too late to contain', 'CISO', 'Targeted attack', 'No 24x7 monitoring', '3x5', '2x4'),
   (35, 'Vulnerable web shop plug-in exploited', 'Head of e-commerce', 'Known exploit', 'Patching lags by months', '4x4', '2x3'),
   (36, 'Customer database copied to a test system', 'Head of development', 'Data exposure', 'Production data used in tests', '3x4', '1x3'),
   (37, 'ERP upgrade corrupts accounting data', 'CFO', 'Change failure', 'No rollback plan', '2x4', '1x3'),
   (38, 'Accounting records lost beyond retention', 'CFO', 'Deletion', 'No retention policy', '2x3', '1x2'),
   (39, 'Office network eavesdropped', 'IT operations', 'Network sniffing', 'Flat network, no 802.1X', '2x3', '1x3'),
   (40, 'Warehouse Wi-Fi used to reach the ERP', 'IT operations', 'Lateral movement', 'Wi-Fi not segmented', '3x4', '1x3'),
   (41, 'Firewall misconfiguration opens admin ports', 'IT operations', 'Configuration error', 'Changes not reviewed', '3x4', '1x3'),
   (42, 'Ticketing system exposes customer data', 'Head of support', 'Misconfiguration', 'Public links enabled', '2x3', '1x2'),
   (43, 'Support mailbox phishing leads to malware', 'Head of support', 'Phishing', 'Attachments opened on agent PCs', '4x3', '2x3'),
   (44, 'Key developer leaves without handover', 'Head of development', 'Staff turnover', 'Undocumented systems', '3x3', '2x2'),
   (45, 'Product catalogue defaced', 'Head of e-commerce', 'Web attack', 'Shared CMS accounts', '2x2', NULL),
   (46, 'Order service data inconsistent after outage', 'Head of e-commerce', 'Software fault', 'No reconciliation job', '2x4', '1x3'),
   (47, 'Password reuse by staff on external sites', 'CISO', 'Credential stuffing', 'No password manager', '4x3', '2x2'),
   (48, 'Legal hold not applied to e-mails', 'Legal counsel', 'Litigation', 'No e-discovery process', '1x4', NULL),
   (49, 'Pandemic closes the warehouse', 'COO', 'Epidemic', 'No remote or alternative site plan', '1x5', NULL),
   (50, 'Regulator fines for late breach notification', 'CISO', 'Regulatory action', 'Notification duties unclear', '2x4', '1x3'),
   (51, 'Shadow IT stores customer lists in personal clouds', 'CISO', 'Data exposure', 'No approved file sharing', '3x3', '2x2'),
   (52, 'Certificate expiry takes the shop offline', 'IT operations', 'Operational error', 'Manual certificate renewal', '3x3', '1x3'),
   (53, 'Ransom demand via stolen HR data', 'HR lead', 'Extortion', 'HR exports on shared drives', '2x5', '1x4'),
   (54, 'Cleaning staff access confidential documents', 'Facilities', 'Unauthorised access', 'No clear-desk policy', '2x2', NULL),
   (55, 'Power cut stops the head office', 'Facilities', 'Power failure', 'No UPS for network equipment', '3x2', '2x2'),
   (56, 'Weak encryption on customer exports', 'Head of development', 'Cryptanalysis', 'Legacy ZIP encryption', '2x3', '1x2'),
   (57, 'Time-of-check error in refunds API', 'Head of development', 'Business-logic abuse', 'No code review checklist', '2x3', '1x2'),
   (58, 'Monitoring alerts ignored after hours', 'CISO', 'Alert fatigue', 'No on-call rota', '3x3', '2x2'),
   (59, 'Visitor Wi-Fi abused for illegal downloads', 'IT operations', 'Misuse', 'Open guest network', '2x1', NULL),
   (60, 'Outdated security policy no longer followed', 'CISO', 'Governance gap', 'Policy not reviewed since 2022', '3x2', '1x2')
  ) AS r(n, title, owner, threat, vuln, inherent, target);

-- Each new risk is linked to the asset it is mostly about.
SELECT isms.link_asset(r.id, a.id)
  FROM (VALUES ('R-011', 'Active Directory'), ('R-012', 'Backup system'), ('R-013', 'Cloud hosting account'),
               ('R-014', 'Source code repository'), ('R-015', 'CI/CD pipeline'), ('R-016', 'DNS and domains'),
               ('R-017', 'E-mail service'), ('R-018', 'Employee records'), ('R-019', 'Contracts archive'),
               ('R-020', 'Accounting records'), ('R-021', 'Marketing analytics'), ('R-022', 'Newsletter platform'),
               ('R-023', 'Parcel carrier integration'), ('R-024', 'Warehouse management system'),
               ('R-025', 'Handheld scanners'), ('R-026', 'Head office'), ('R-027', 'Server room'),
               ('R-028', 'Mobile phones'), ('R-029', 'Printers and scanners'), ('R-030', 'IT administrators'),
               ('R-031', 'Customer service agents'), ('R-032', 'Fraud screening rules'), ('R-033', 'Returns process'),
               ('R-034', 'Incident response process'), ('R-035', 'Web shop'), ('R-036', 'Customer database'),
               ('R-037', 'ERP system'), ('R-038', 'Accounting records'), ('R-039', 'Office network'),
               ('R-040', 'Warehouse Wi-Fi'), ('R-041', 'Firewall cluster'), ('R-042', 'Ticketing system'),
               ('R-043', 'Customer support mailbox'), ('R-044', 'Source code repository'),
               ('R-045', 'Product catalogue'), ('R-046', 'Order management service'), ('R-047', 'E-mail service'),
               ('R-048', 'E-mail service'), ('R-049', 'Warehouse'), ('R-050', 'Incident response process'),
               ('R-051', 'Customer database'), ('R-052', 'Web shop'), ('R-053', 'Employee records'),
               ('R-054', 'Head office'), ('R-055', 'Head office'), ('R-056', 'Customer database'),
               ('R-057', 'Order management service'), ('R-058', 'Incident response process'),
               ('R-059', 'Office network'), ('R-060', 'Incident response process')) AS l(ref, asset)
  JOIN isms.risk r ON r.scope = 'default' AND r.ref = l.ref
  JOIN isms.asset a ON a.scope = 'default' AND a.name = l.asset \g /dev/null

-- Controls that treat them (their SoA status decides how much they count).
SELECT isms.link_control(r.id, 'iso27001-2022', l.control, l.effectiveness)
  FROM (VALUES ('R-011', '8.2', 0.6), ('R-011', '8.5', 0.7), ('R-012', '8.13', 0.8), ('R-012', '5.30', 0.5),
               ('R-013', '8.5', 0.8), ('R-013', '5.23', 0.5), ('R-014', '8.4', 0.6), ('R-014', '5.17', 0.5),
               ('R-015', '8.25', 0.5), ('R-015', '8.28', 0.6), ('R-016', '5.19', 0.4), ('R-017', '5.14', 0.6),
               ('R-017', '6.3', 0.5), ('R-018', '8.12', 0.6), ('R-019', '7.5', 0.6), ('R-020', '5.14', 0.5),
               ('R-021', '5.34', 0.6), ('R-022', '5.20', 0.5), ('R-023', '5.22', 0.4), ('R-024', '8.6', 0.7),
               ('R-026', '7.2', 0.7), ('R-027', '7.11', 0.6), ('R-028', '8.1', 0.7), ('R-029', '7.7', 0.6),
               ('R-030', '8.15', 0.5), ('R-030', '8.2', 0.5), ('R-031', '6.3', 0.6), ('R-032', '8.32', 0.6),
               ('R-034', '8.16', 0.7), ('R-034', '5.24', 0.6), ('R-035', '8.8', 0.8), ('R-036', '8.33', 0.7),
               ('R-037', '8.32', 0.6), ('R-038', '5.33', 0.6), ('R-039', '8.20', 0.6), ('R-040', '8.22', 0.7),
               ('R-041', '8.9', 0.6), ('R-042', '5.15', 0.5), ('R-043', '8.7', 0.6), ('R-043', '6.3', 0.4),
               ('R-044', '5.37', 0.5), ('R-046', '8.14', 0.5), ('R-047', '5.17', 0.6), ('R-050', '5.26', 0.6),
               ('R-051', '5.10', 0.5), ('R-052', '8.9', 0.5), ('R-053', '8.12', 0.5), ('R-055', '7.11', 0.6),
               ('R-056', '8.24', 0.8), ('R-057', '8.28', 0.6), ('R-058', '8.16', 0.5), ('R-060', '5.1', 0.8)
       ) AS l(ref, control, effectiveness)
  JOIN isms.risk r ON r.scope = 'default' AND r.ref = l.ref \g /dev/null

-- Decisions: plans for most, some finished, a few retained or avoided.
SELECT isms.treat(r.id, t.option::isms.treatment_option, t.plan, t.owner, t.due::date)
  FROM (VALUES
   ('R-011', 'modify', 'Tiered administration and privileged access workstations', 'IT operations', '2027-03-31'),
   ('R-012', 'modify', 'Quarterly restore tests with documented results', 'IT operations', '2026-10-31'),
   ('R-013', 'modify', 'Hardware keys for all cloud administrators', 'CIO', '2026-12-31'),
   ('R-014', 'modify', 'Short-lived tokens and secret scanning', 'Head of development', '2027-01-31'),
   ('R-015', 'modify', 'Pin dependencies and verify signatures in CI', 'Head of development', '2027-02-28'),
   ('R-016', 'modify', 'Registry lock on the main domains', 'CIO', '2026-09-30'),
   ('R-017', 'modify', 'Enforce DMARC reject; payment call-back rule', 'CFO', '2026-08-31'),
   ('R-020', 'modify', 'Call-back verification for every bank-detail change', 'CFO', '2026-07-31'),
   ('R-024', 'modify', 'Load test before every peak season', 'COO', '2026-10-15'),
   ('R-031', 'modify', 'Caller verification script and training', 'Head of support', '2027-01-15'),
   ('R-034', 'share', 'Managed detection and response service', 'CISO', '2027-02-01'),
   ('R-035', 'modify', 'Monthly patch window for shop plug-ins', 'Head of e-commerce', '2026-11-30'),
   ('R-036', 'modify', 'Masked test data sets only', 'Head of development', '2027-04-30'),
   ('R-040', 'modify', 'Separate VLAN for warehouse Wi-Fi', 'IT operations', '2026-12-15'),
   ('R-041', 'modify', 'Four-eyes review of firewall changes', 'IT operations', '2027-01-31'),
   ('R-043', 'modify', 'Attachment sandboxing for the support mailbox', 'Head of support', '2027-03-15'),
   ('R-047', 'modify', 'Company password manager for all staff', 'CISO', '2026-06-30'),
   ('R-052', 'modify', 'Automated certificate renewal (ACME)', 'IT operations', '2026-05-31'),
   ('R-053', 'modify', 'Remove HR exports from shared drives', 'HR lead', '2026-09-15'),
   ('R-059', 'avoid', 'Close the guest network', 'IT operations', '2026-04-30'),
   ('R-060', 'modify', 'Rewrite and approve the security policy', 'CISO', '2026-03-31')
  ) AS t(ref, option, plan, owner, due)
  JOIN isms.risk r ON r.scope = 'default' AND r.ref = t.ref \g /dev/null
UPDATE isms.treatment t SET status = 'done', completed_on = t.due - 10
  FROM isms.risk r WHERE r.id = t.risk_id AND r.ref IN ('R-047', 'R-052', 'R-059', 'R-060');
UPDATE isms.treatment t SET status = 'in_progress'
  FROM isms.risk r WHERE r.id = t.risk_id AND r.ref IN ('R-011', 'R-013', 'R-017', 'R-035', 'R-040');
SELECT isms.close_risk(id, 'Guest network closed') FROM isms.risk WHERE scope = 'default' AND ref = 'R-059' \g /dev/null

-- Small risks kept on purpose, accepted by their owners.
SELECT isms.accept_risk(id, owner, 'Low risk, within appetite; reviewed yearly', current_date + 365)
  FROM isms.risk WHERE scope = 'default' AND ref IN ('R-025', 'R-045', 'R-054') \g /dev/null

-- An acceptance recorded last year that has run out: the register shows it
-- as expired.  The demo makes the year pass by moving the record's dates,
-- as the table owner with the record trigger off (acceptances are records).
SELECT isms.accept_risk(id, 'CEO', 'Accepted until the alternative-site study is done', current_date + 300)
  FROM isms.risk WHERE scope = 'default' AND ref = 'R-049' \g /dev/null
ALTER TABLE isms.acceptance DISABLE TRIGGER acceptance_before_write;
UPDATE isms.acceptance a SET accepted_on = current_date - 400, valid_until = current_date - 35
  FROM isms.risk r WHERE r.id = a.risk_id AND r.scope = 'default' AND r.ref = 'R-049';
ALTER TABLE isms.acceptance ENABLE TRIGGER acceptance_before_write;

SELECT count(*) AS assets FROM isms.asset WHERE scope = 'default';
SELECT status, count(*) AS risks FROM isms.risk WHERE scope = 'default' GROUP BY status ORDER BY status;
-- 900_summary: the screen a CISO looks at, after all demo data is loaded:
-- compliance by theme, the top residual risks, the heat map as text, the
-- next 90 days of the calendar; and the calendar feed (.ics) and the heat
-- map (.svg) written to the folder the demo was started from.
\echo
\echo '==================== pg_isms demo: summary ===================='
\echo
\echo '=== Compliance by Annex A theme, scope default (isms.compliance_summary)'
SELECT theme, controls, applicable, implemented, percent_implemented AS "% implemented"
  FROM isms.compliance_summary
 WHERE scope = 'default' AND framework = 'iso27001-2022' ORDER BY theme;

\echo '=== Top 10 residual risks (isms.risk_register)'
SELECT ref, left(title, 48) AS title, owner, inherent, residual, residual_level AS level,
       status, within_appetite AS in_appetite
  FROM isms.risk_register
 WHERE scope = 'default' AND status <> 'closed' AND residual IS NOT NULL
 ORDER BY residual DESC, ref LIMIT 10;

\echo '=== Residual heat map, scope default: open risks per cell (likelihood up, impact across)'
SELECT likelihood AS "L \ I",
       max(CASE impact WHEN 1 THEN format('%-8s %2s', level, nullif(residual_count, 0)) END) AS "1",
       max(CASE impact WHEN 2 THEN format('%-8s %2s', level, nullif(residual_count, 0)) END) AS "2",
       max(CASE impact WHEN 3 THEN format('%-8s %2s', level, nullif(residual_count, 0)) END) AS "3",
       max(CASE impact WHEN 4 THEN format('%-8s %2s', level, nullif(residual_count, 0)) END) AS "4",
       max(CASE impact WHEN 5 THEN format('%-8s %2s', level, nullif(residual_count, 0)) END) AS "5"
  FROM isms.risk_heatmap WHERE scope = 'default' AND matrix = 'default'
 GROUP BY likelihood ORDER BY likelihood DESC;

\echo '=== The next 90 days (isms.reminder: what the calendar feed shows)'
SELECT coalesce(starts_at::date, due) AS "when", kind, left(summary, 60) AS summary, owner
  FROM isms.reminder
 WHERE status = 'scheduled' AND coalesce(starts_at::date, due) BETWEEN current_date AND current_date + 90
 ORDER BY 1, kind, summary;
SELECT count(*) FILTER (WHERE status = 'scheduled' AND coalesce(starts_at::date, due) < current_date) AS overdue_reminders,
       count(*) FILTER (WHERE status = 'scheduled') AS scheduled_reminders
  FROM isms.reminder;

\pset format unaligned
\pset tuples_only on
SELECT isms.ical_export() \g :outdir/pg_isms.ics
SELECT isms.risk_heatmap_svg('default') \g :outdir/pg_isms-heatmap.svg
\pset format aligned
\pset tuples_only off
\echo
\echo 'Wrote the calendar feed:  ' :outdir/pg_isms.ics '(import or subscribe: docs/calendar-guide.md)'
\echo 'Wrote the heat map:       ' :outdir/pg_isms-heatmap.svg '(open in a browser)'
