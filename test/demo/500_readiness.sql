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
