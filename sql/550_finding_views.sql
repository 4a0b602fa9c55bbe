-- Dashboard views over findings and corrective actions: what is open, what
-- is overdue, what may be closed.

CREATE VIEW isms.open_findings AS
SELECT a.scope,
       f.id AS finding_id,
       f.ref,
       f.kind,
       isms.is_nonconformity(f.kind) AS nonconformity,
       f.framework,
       f.control_ref,
       c.title AS requirement_title,
       f.statement,
       f.evidence,
       f.owner,
       f.audit AS audit_id,
       a.kind AS audit_kind,
       f.raised_on,
       f.due,
       CURRENT_DATE - f.raised_on AS days_open,
       coalesce(f.due < CURRENT_DATE, false) AS overdue,
       coalesce(ca.actions, 0) AS actions,
       coalesce(ca.open_actions, 0) AS open_actions,
       coalesce(ca.overdue_actions, 0) AS overdue_actions,
       ca.next_action_due,
       coalesce(ca.effective_actions, 0) AS effective_actions,
       NOT isms.is_nonconformity(f.kind) OR coalesce(ca.effective_actions, 0) > 0 AS can_close
  FROM isms.finding f
  JOIN isms.audit a ON a.id = f.audit
  LEFT JOIN isms.control c ON c.framework = f.framework AND c.ref = f.control_ref
  LEFT JOIN LATERAL (
    SELECT count(*) AS actions,
           count(*) FILTER (WHERE x.completed_on IS NULL) AS open_actions,
           count(*) FILTER (WHERE x.completed_on IS NULL AND x.due < CURRENT_DATE) AS overdue_actions,
           min(x.due) FILTER (WHERE x.completed_on IS NULL) AS next_action_due,
           count(*) FILTER (WHERE x.effective) AS effective_actions
      FROM isms.corrective_action x WHERE x.finding = f.id) ca ON true
 WHERE f.status = 'open';
COMMENT ON VIEW isms.open_findings IS
  'Open audit findings for dashboards: one row per open finding with its requirement, due date, whether it is overdue and the state of its corrective actions';
COMMENT ON COLUMN isms.open_findings.scope IS 'Scope of the audit that raised it (isms.scope.id)';
COMMENT ON COLUMN isms.open_findings.finding_id IS 'Finding id (isms.finding.id)';
COMMENT ON COLUMN isms.open_findings.ref IS 'Reference in the audit report (e.g. NC-01)';
COMMENT ON COLUMN isms.open_findings.kind IS 'major_nonconformity, minor_nonconformity, observation or opportunity_for_improvement';
COMMENT ON COLUMN isms.open_findings.nonconformity IS 'true for major and minor nonconformities (they need a corrective action verified effective to close)';
COMMENT ON COLUMN isms.open_findings.framework IS 'Framework of the requirement (iso27001-2022-clauses, iso27001-2022, ...)';
COMMENT ON COLUMN isms.open_findings.control_ref IS 'Clause or control the finding is against';
COMMENT ON COLUMN isms.open_findings.requirement_title IS 'Title of that clause or control';
COMMENT ON COLUMN isms.open_findings.statement IS 'Statement of the finding';
COMMENT ON COLUMN isms.open_findings.evidence IS 'Objective evidence the auditor saw';
COMMENT ON COLUMN isms.open_findings.owner IS 'Who must respond';
COMMENT ON COLUMN isms.open_findings.audit_id IS 'Audit that raised it (isms.audit.id)';
COMMENT ON COLUMN isms.open_findings.audit_kind IS 'Kind of that audit: internal, stage1, stage2, surveillance, recertification';
COMMENT ON COLUMN isms.open_findings.raised_on IS 'Day it was raised';
COMMENT ON COLUMN isms.open_findings.due IS 'When it must be closed (NULL: no date set)';
COMMENT ON COLUMN isms.open_findings.days_open IS 'Days since it was raised';
COMMENT ON COLUMN isms.open_findings.overdue IS 'true when the due date is before today';
COMMENT ON COLUMN isms.open_findings.actions IS 'Number of corrective actions recorded';
COMMENT ON COLUMN isms.open_findings.open_actions IS 'Corrective actions not completed yet';
COMMENT ON COLUMN isms.open_findings.overdue_actions IS 'Corrective actions not completed and past their due date';
COMMENT ON COLUMN isms.open_findings.next_action_due IS 'Earliest due date among the open corrective actions';
COMMENT ON COLUMN isms.open_findings.effective_actions IS 'Corrective actions verified effective';
COMMENT ON COLUMN isms.open_findings.can_close IS 'true when closing is allowed now: not a nonconformity, or a corrective action was verified effective';

CREATE VIEW isms.corrective_action_register AS
SELECT a.scope,
       x.id AS action_id,
       f.id AS finding_id,
       f.ref AS finding_ref,
       f.kind AS finding_kind,
       f.status AS finding_status,
       f.control_ref,
       x.correction,
       x.root_cause,
       x.action,
       x.owner,
       x.due,
       x.completed_on,
       x.verified_by,
       x.verified_on,
       x.effective,
       CASE WHEN x.effective THEN 'effective'
            WHEN NOT x.effective THEN 'not_effective'
            WHEN x.completed_on IS NOT NULL THEN 'awaiting_verification'
            WHEN x.due < CURRENT_DATE THEN 'overdue'
            ELSE 'open' END AS state,
       x.completed_on IS NULL AND x.due < CURRENT_DATE AS overdue,
       CASE WHEN x.completed_on IS NULL AND x.due < CURRENT_DATE THEN CURRENT_DATE - x.due END AS days_overdue,
       (SELECT m.uid FROM isms.reminder m
         WHERE m.kind = 'corrective_action' AND m.subject = 'isms.corrective_action'::regclass
           AND m.subject_key = x.id::text) AS reminder_uid
  FROM isms.corrective_action x
  JOIN isms.finding f ON f.id = x.finding
  JOIN isms.audit a ON a.id = f.audit;
COMMENT ON VIEW isms.corrective_action_register IS
  'Every corrective action with its finding and state (open, overdue, awaiting_verification, effective, not_effective); overdue actions are the rows with overdue = true';
COMMENT ON COLUMN isms.corrective_action_register.scope IS 'Scope of the audit that raised the finding';
COMMENT ON COLUMN isms.corrective_action_register.action_id IS 'Corrective action id (isms.corrective_action.id)';
COMMENT ON COLUMN isms.corrective_action_register.finding_id IS 'Finding it answers (isms.finding.id)';
COMMENT ON COLUMN isms.corrective_action_register.finding_ref IS 'Reference of that finding in the audit report';
COMMENT ON COLUMN isms.corrective_action_register.finding_kind IS 'Kind of that finding';
COMMENT ON COLUMN isms.corrective_action_register.finding_status IS 'open or closed';
COMMENT ON COLUMN isms.corrective_action_register.control_ref IS 'Clause or control of the finding';
COMMENT ON COLUMN isms.corrective_action_register.correction IS 'Immediate fix';
COMMENT ON COLUMN isms.corrective_action_register.root_cause IS 'Root cause';
COMMENT ON COLUMN isms.corrective_action_register.action IS 'The corrective action';
COMMENT ON COLUMN isms.corrective_action_register.owner IS 'Who carries it out';
COMMENT ON COLUMN isms.corrective_action_register.due IS 'When it must be completed';
COMMENT ON COLUMN isms.corrective_action_register.completed_on IS 'When it was completed (NULL: open)';
COMMENT ON COLUMN isms.corrective_action_register.verified_by IS 'Who reviewed its effectiveness';
COMMENT ON COLUMN isms.corrective_action_register.verified_on IS 'When its effectiveness was reviewed';
COMMENT ON COLUMN isms.corrective_action_register.effective IS 'Verdict: true effective, false not effective, NULL not verified';
COMMENT ON COLUMN isms.corrective_action_register.state IS 'open, overdue, awaiting_verification, effective or not_effective';
COMMENT ON COLUMN isms.corrective_action_register.overdue IS 'true when not completed and past its due date';
COMMENT ON COLUMN isms.corrective_action_register.days_overdue IS 'Days past the due date while not completed (NULL otherwise)';
COMMENT ON COLUMN isms.corrective_action_register.reminder_uid IS 'Calendar UID of its reminder (isms.reminder.uid)';
