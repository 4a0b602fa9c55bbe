-- Part of 0.1.0 -> 0.2.0 for sql/350_risk_views.sql (issue 17): the
-- implemented linked controls of isms.risk_register are summed from
-- isms.soa_entry_counts (created in 240_soa_views.sql), the one SoA
-- counting rule.  isms.risk_as_of returns the view's row type and is built
-- from its definition, so it goes first and is made again in
-- 360_risk_history.sql; the other readers of the view (the management
-- review input, sql/570_management_review.sql) are function bodies that
-- name it at run time.

DROP FUNCTION isms.risk_as_of(timestamptz);
DROP VIEW isms.risk_register;

CREATE VIEW isms.risk_register AS
SELECT r.id AS risk_id,
       r.scope,
       r.ref,
       r.title,
       r.owner,
       r.status,
       r.matrix,
       r.inherent,
       li.name AS inherent_level,
       li.colour AS inherent_colour,
       r.residual,
       lr.name AS residual_level,
       lr.colour AS residual_colour,
       r.residual_override IS NOT NULL AS residual_overridden,
       r.residual_computed,
       r.residual_override_rationale,
       -- The C function reads the appetite once per query; it is only
       -- asked about mapped cells, so an unmapped one gives NULL, not an error.
       CASE WHEN lr.rank IS NOT NULL THEN isms.within_appetite(r.residual, r.matrix) END AS within_appetite,
       r.target,
       lt.name AS target_level,
       r.residual OPERATOR(isms.<=) r.target AS target_met,
       r.treatment,
       r.next_review,
       (r.status <> 'closed' AND r.next_review < current_date) AS overdue,
       a.approver AS accepted_by,
       a.accepted_on,
       a.valid_until AS acceptance_valid_until,
       (a.valid_until < current_date) AS acceptance_expired,
       (r.residual OPERATOR(isms.>) a.residual) AS acceptance_stale,
       coalesce(c.controls, '{}') AS linked_controls,
       coalesce(c.linked, 0) AS linked_control_count,
       coalesce(c.implemented, 0) AS implemented_control_count,
       r.identified_on,
       r.closed_at,
       r.cvss
  FROM isms.risk r
  LEFT JOIN isms.risk_matrix_cell ci
         ON ci.matrix = r.matrix AND ci.likelihood = isms.likelihood(r.inherent)
        AND ci.impact = isms.impact(r.inherent)
  LEFT JOIN isms.risk_level li ON li.matrix = ci.matrix AND li.name = ci.level
  LEFT JOIN isms.risk_matrix_cell cr
         ON cr.matrix = r.matrix AND cr.likelihood = isms.likelihood(r.residual)
        AND cr.impact = isms.impact(r.residual)
  LEFT JOIN isms.risk_level lr ON lr.matrix = cr.matrix AND lr.name = cr.level
  LEFT JOIN isms.risk_matrix_cell ct
         ON ct.matrix = r.matrix AND ct.likelihood = isms.likelihood(r.target)
        AND ct.impact = isms.impact(r.target)
  LEFT JOIN isms.risk_level lt ON lt.matrix = ct.matrix AND lt.name = ct.level
  LEFT JOIN isms.acceptance a ON a.risk_id = r.id AND a.superseded_at IS NULL
  LEFT JOIN (SELECT rc.risk_id,
                    array_agg(rc.framework || ':' || rc.control_ref
                              ORDER BY rc.framework, rc.control_ref) AS controls,
                    count(*)::int AS linked,
                    sum(se.implemented)::int AS implemented
               FROM isms.risk_control rc
               JOIN isms.risk rr ON rr.id = rc.risk_id
               LEFT JOIN isms.soa_entry_counts se
                      ON se.scope = rr.scope AND se.framework = rc.framework
                     AND se.control_ref = rc.control_ref
              GROUP BY rc.risk_id) c ON c.risk_id = r.id;
COMMENT ON VIEW isms.risk_register IS
  'The risk register for dashboards: one flat row per risk with scores, levels, colours, appetite, treatment, review, acceptance and linked controls';
COMMENT ON COLUMN isms.risk_register.risk_id IS 'Risk id (isms.risk.id)';
COMMENT ON COLUMN isms.risk_register.scope IS 'Scope of the risk';
COMMENT ON COLUMN isms.risk_register.ref IS 'Risk reference, unique in its scope';
COMMENT ON COLUMN isms.risk_register.title IS 'Short statement of the risk';
COMMENT ON COLUMN isms.risk_register.owner IS 'Risk owner';
COMMENT ON COLUMN isms.risk_register.status IS 'Status: identified, assessed, treatment_planned, treated, accepted or closed';
COMMENT ON COLUMN isms.risk_register.matrix IS 'Risk matrix the scores and levels are read on';
COMMENT ON COLUMN isms.risk_register.inherent IS 'Inherent score (likelihood x impact before controls), e.g. 4x5';
COMMENT ON COLUMN isms.risk_register.inherent_level IS 'Level of the inherent score on the matrix (e.g. high)';
COMMENT ON COLUMN isms.risk_register.inherent_colour IS 'Colour of the inherent level, #rrggbb';
COMMENT ON COLUMN isms.risk_register.residual IS 'Residual score in force (after controls, or the manual override)';
COMMENT ON COLUMN isms.risk_register.residual_level IS 'Level of the residual score on the matrix';
COMMENT ON COLUMN isms.risk_register.residual_colour IS 'Colour of the residual level, #rrggbb';
COMMENT ON COLUMN isms.risk_register.residual_overridden IS 'True when the residual is a manual override instead of the computed value';
COMMENT ON COLUMN isms.risk_register.residual_computed IS 'Residual score computed from the linked controls (shown even when overridden)';
COMMENT ON COLUMN isms.risk_register.residual_override_rationale IS 'Why the residual was overridden; NULL without override';
COMMENT ON COLUMN isms.risk_register.within_appetite IS 'True when the residual level is within the matrix''s risk appetite';
COMMENT ON COLUMN isms.risk_register.target IS 'Target score the treatment aims at';
COMMENT ON COLUMN isms.risk_register.target_level IS 'Level of the target score on the matrix';
COMMENT ON COLUMN isms.risk_register.target_met IS 'True when the residual score is at or below the target (risk score order); NULL without target';
COMMENT ON COLUMN isms.risk_register.treatment IS 'Treatment option of the latest plan: modify, retain, avoid or share';
COMMENT ON COLUMN isms.risk_register.next_review IS 'Date of the next review';
COMMENT ON COLUMN isms.risk_register.overdue IS 'True when the next review date has passed and the risk is not closed';
COMMENT ON COLUMN isms.risk_register.accepted_by IS 'Approver of the acceptance in force; NULL without one';
COMMENT ON COLUMN isms.risk_register.accepted_on IS 'Date of the acceptance in force';
COMMENT ON COLUMN isms.risk_register.acceptance_valid_until IS 'Last day the acceptance in force holds';
COMMENT ON COLUMN isms.risk_register.acceptance_expired IS 'True when the acceptance in force has expired (valid_until in the past): the risk needs a new decision';
COMMENT ON COLUMN isms.risk_register.acceptance_stale IS 'True when the residual score is now higher than the one that was accepted';
COMMENT ON COLUMN isms.risk_register.linked_controls IS 'Controls linked to the risk as framework:ref, e.g. {iso27001-2022:8.7}';
COMMENT ON COLUMN isms.risk_register.linked_control_count IS 'Number of linked controls';
COMMENT ON COLUMN isms.risk_register.implemented_control_count IS 'Number of linked controls that are applicable and implemented in the scope''s SoA';
COMMENT ON COLUMN isms.risk_register.identified_on IS 'Date the risk was identified';
COMMENT ON COLUMN isms.risk_register.closed_at IS 'When the risk was closed; NULL while open';
COMMENT ON COLUMN isms.risk_register.cvss IS 'Optional CVSS vector of the vulnerability behind the risk (isms.cvss; sorts by score; isms.cvss_score and isms.cvss_severity read it)';
