-- 260_soa_traceability: a traceable Statement of Applicability (ISO/IEC
-- 27001 6.1.3).  Legal, regulatory and contractual requirements, their
-- links to SoA entries (same scope only), business needs, the reasons each
-- entry carries (risks treated, requirements met, business need), evidence
-- freshness, untraced applicable controls as readiness blockers and stale
-- evidence as gaps; bad input refused with nothing written.
\i test/regress/setup.sql

INSERT INTO isms.scope (id, name) VALUES ('acme', 'ACME Ltd'), ('other', 'Other Ltd');
SELECT isms.soa_init('acme', 'iso27001-2022') AS entries;
UPDATE isms.soa_entry SET applicable = true, justification = 'Chosen in the 2026 risk treatment', status = 'implemented'
 WHERE scope = 'acme' AND control_ref IN ('5.1', '5.15', '5.34', '8.8', '8.13', '8.24', '7.4');
UPDATE isms.soa_entry SET applicable = false, justification = 'No software development in scope'
 WHERE scope = 'acme' AND control_ref = '8.25';

INSERT INTO isms.requirement (scope, ref, kind, source, reference, description, owner, applies_from)
VALUES ('acme', 'GDPR-32', 'legal', 'Regulation (EU) 2016/679 (GDPR)', 'Art. 32(1)', 'Security of processing, incl. encryption', 'Legal counsel', '2018-05-25'),
       ('acme', 'PCI-3', 'contractual', 'Merchant agreement with the acquirer (PCI DSS 4.0)', 'Req. 3.5', 'Stored card data is unreadable', 'CFO', NULL),
       ('acme', 'NIS2-21', 'regulatory', 'NIS2 national implementation', 'Art. 21(2)(e)', 'Vulnerability handling', 'CISO', '2024-10-18'),
       ('other', 'GDPR-32', 'legal', 'Regulation (EU) 2016/679 (GDPR)', 'Art. 32', 'Security of processing', NULL, NULL);
INSERT INTO isms.soa_requirement (scope, framework, control_ref, requirement, note)
SELECT 'acme', 'iso27001-2022', v.control_ref, q.id, v.note
  FROM (VALUES ('8.24', 'GDPR-32', 'Disk and backup encryption'), ('8.24', 'PCI-3', 'Card data tokenised and encrypted'),
               ('5.34', 'GDPR-32', NULL), ('8.8', 'NIS2-21', 'Patch within 14 days')) AS v(control_ref, ref, note)
  JOIN isms.requirement q ON q.scope = 'acme' AND q.ref = v.ref;
-- A risk treated by 8.8 and 8.13; a closed risk is no reason.
INSERT INTO isms.risk (scope, ref, title, owner, inherent) VALUES
  ('acme', 'R-01', 'Ransomware encrypts the file servers', 'CISO', '4x5'),
  ('acme', 'R-02', 'Old risk, closed', 'CISO', '2x2');
SELECT isms.link_control(id, 'iso27001-2022', '8.8', 0.6) FROM isms.risk WHERE ref = 'R-01';
SELECT isms.link_control(id, 'iso27001-2022', '8.13', 0.8) FROM isms.risk WHERE ref = 'R-01';
SELECT isms.link_control(id, 'iso27001-2022', '5.1', 0.3) FROM isms.risk WHERE ref = 'R-02';
SELECT isms.close_risk(id, 'Asset retired') FROM isms.risk WHERE ref = 'R-02';
-- A business need, and dated evidence.
UPDATE isms.soa_entry SET business_need = 'Customers require a published security policy'
 WHERE scope = 'acme' AND control_ref = '5.1';
UPDATE isms.soa_entry SET evidence = '{DOC-ENC-01}', evidence_date = '2026-01-10', evidence_validity = '5 years'
 WHERE scope = 'acme' AND control_ref = '8.24';
UPDATE isms.soa_entry SET evidence = '{PATCH-REPORT-2020}', evidence_date = '2020-01-10', evidence_validity = '1 year'
 WHERE scope = 'acme' AND control_ref = '8.8';
UPDATE isms.soa_entry SET evidence = '{RESTORE-TEST}' WHERE scope = 'acme' AND control_ref = '8.13';

-- The reasons per entry: the SoA export with reasons.
SELECT control_ref, applicable, risks, requirements, business_need, reasons, traced,
       evidence, evidence_date, evidence_valid_until, evidence_state
  FROM isms.soa_traceability WHERE scope = 'acme' AND applicable IS NOT NULL ORDER BY position;
-- Stale evidence of applicable controls: none, undated, expired.
SELECT control_ref, owner, evidence, evidence_date, evidence_valid_until, evidence_state, days_expired IS NOT NULL AS has_days
  FROM isms.soa_stale_evidence WHERE scope = 'acme' ORDER BY position;
SELECT e, d, v, isms.evidence_state(e, d, v, '2026-06-01') FROM (VALUES
  ('{}'::text[], NULL::date, interval '1 year'), (NULL, NULL, '1 year'), ('{x}', NULL, '1 year'),
  ('{x}', '2025-06-01', '1 year'), ('{x}', '2025-05-31', '1 year'), ('{x}', '2026-05-31', '1 day')) AS t(e, d, v);

-- Readiness: untraced applicable controls block their theme; stale
-- evidence is a gap; clause 6 carries the count.
SELECT area, ref, rule, what FROM isms.readiness_blockers('acme', '2026-06-01') WHERE rule = 'soa_traceability' ORDER BY ref;
SELECT area, ref, status, what FROM isms.readiness_checks('acme', '2026-06-01')
 WHERE rule IN ('soa_traceability', 'soa_evidence') ORDER BY area, ref, status DESC;
-- Giving 5.15 and 7.4 a reason lifts their blockers; retiring the only
-- requirement of 5.34 brings its blocker back.
UPDATE isms.soa_entry SET business_need = 'Least privilege is a customer contract term'
 WHERE scope = 'acme' AND control_ref IN ('5.15', '7.4');
SELECT ref, what FROM isms.readiness_blockers('acme', '2026-06-01') WHERE rule = 'soa_traceability';
UPDATE isms.requirement SET retired_on = '2026-03-01' WHERE scope = 'acme' AND ref = 'GDPR-32';
SELECT ref, what FROM isms.readiness_blockers('acme', '2026-06-01') WHERE rule = 'soa_traceability';
SELECT ref, what FROM isms.readiness_blockers('acme', '2026-02-01') WHERE rule = 'soa_traceability';
SELECT control_ref, requirements, traced FROM isms.soa_traceability WHERE scope = 'acme' AND control_ref IN ('5.34', '8.24');
UPDATE isms.requirement SET retired_on = NULL WHERE scope = 'acme' AND ref = 'GDPR-32';

-- Bad input: each refused with its SQLSTATE; nothing written.
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$INSERT INTO isms.requirement (scope, ref, kind, source, description) VALUES ('acme', 'X-1', 'moral', 's', 'd')$$),
  ($$INSERT INTO isms.requirement (scope, ref, kind, source, description) VALUES ('acme', 'X-1', 'legal', ' ', 'd')$$),
  ($$INSERT INTO isms.requirement (scope, ref, kind, source, description) VALUES ('acme', 'X-1', 'legal', 's', NULL)$$),
  ($$INSERT INTO isms.requirement (scope, ref, kind, source, description) VALUES ('acme', ' X-1', 'legal', 's', 'd')$$),
  ($$INSERT INTO isms.requirement (scope, ref, kind, source, description) VALUES ('acme', 'GDPR-32', 'legal', 's', 'd')$$),
  ($$INSERT INTO isms.requirement (scope, ref, kind, source, description) VALUES ('nowhere', 'X-1', 'legal', 's', 'd')$$),
  ($$INSERT INTO isms.requirement (scope, ref, kind, source, description, applies_from, retired_on) VALUES ('acme', 'X-1', 'legal', 's', 'd', '2026-01-01', '2025-01-01')$$),
  ($$INSERT INTO isms.requirement (scope, ref, kind, source, description, retired_on) VALUES ('acme', 'X-1', 'legal', 's', 'd', 'infinity')$$),
  ($$INSERT INTO isms.soa_requirement (scope, framework, control_ref, requirement) SELECT 'acme', 'iso27001-2022', '5.1', id FROM isms.requirement WHERE scope = 'other'$$),
  ($$INSERT INTO isms.soa_requirement (scope, framework, control_ref, requirement) SELECT 'other', 'iso27001-2022', '5.1', id FROM isms.requirement WHERE scope = 'other'$$),
  ($$INSERT INTO isms.soa_requirement (scope, framework, control_ref, requirement) SELECT 'acme', 'iso27001-2022', '8.24', id FROM isms.requirement WHERE scope = 'acme' AND ref = 'PCI-3'$$),
  ($$INSERT INTO isms.soa_requirement (scope, framework, control_ref, requirement, note) SELECT 'acme', 'iso27001-2022', '5.1', id, '' FROM isms.requirement WHERE scope = 'acme' AND ref = 'PCI-3'$$),
  ($$DELETE FROM isms.requirement WHERE scope = 'acme' AND ref = 'PCI-3'$$),
  ($$UPDATE isms.soa_entry SET business_need = '  ' WHERE scope = 'acme' AND control_ref = '5.1'$$),
  ($$UPDATE isms.soa_entry SET evidence_date = 'infinity' WHERE scope = 'acme' AND control_ref = '5.1'$$),
  ($$UPDATE isms.soa_entry SET evidence_validity = '0 days' WHERE scope = 'acme' AND control_ref = '5.1'$$),
  ($$UPDATE isms.soa_entry SET evidence_validity = '11 years' WHERE scope = 'acme' AND control_ref = '5.1'$$),
  ($$UPDATE isms.soa_entry SET evidence_validity = NULL WHERE scope = 'acme' AND control_ref = '5.1'$$)
) AS t(s);
SELECT (SELECT count(*) FROM isms.requirement) AS requirements, (SELECT count(*) FROM isms.soa_requirement) AS links,
       (SELECT business_need || ' / ' || evidence_validity FROM isms.soa_entry WHERE scope = 'acme' AND control_ref = '5.1') AS entry_5_1;

-- An SoA entry deleted takes its requirement links with it (soa_init adds
-- it back undecided, without them).
DELETE FROM isms.soa_entry WHERE scope = 'acme' AND control_ref = '5.34';
SELECT count(*) AS links_left FROM isms.soa_requirement WHERE control_ref = '5.34';

-- The history of requirements and their links is in the change log.
SELECT table_name, op, count(*) FROM isms.change_log
 WHERE table_name IN ('isms.requirement', 'isms.soa_requirement') GROUP BY 1, 2 ORDER BY 1, 2;
