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
