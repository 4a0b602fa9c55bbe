-- Dashboard views over the register: isms.risk_register (one flat row per
-- risk), isms.risk_heatmap (every cell of every matrix for every scope, also
-- the empty ones) and isms.treatment_status (one row per treatment plan).
-- Levels are plain joins to the matrix tables, not per-row function calls,
-- so the views cost what the same query written by hand costs (bench/30_*).

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

-- The cells of a size x size grid.  Not inlined (it sets search_path), so
-- the planner sees ROWS 25 instead of guessing 1000 x 1000 rows per matrix
-- for two generate_series, which made it JIT-compile a 250-row query.
CREATE FUNCTION isms.matrix_grid(size int, OUT likelihood int, OUT impact int)
RETURNS SETOF record
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 25
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
  SELECT l, i FROM generate_series(1, size) AS l CROSS JOIN generate_series(1, size) AS i
$fn$;
COMMENT ON FUNCTION isms.matrix_grid(int) IS
  'Every cell (likelihood, impact) of a size x size risk matrix, likelihood-major; the grid of isms.risk_heatmap';

CREATE VIEW isms.risk_heatmap AS
SELECT g.scope,
       g.matrix,
       g.likelihood,
       g.impact,
       g.score,
       c.level,
       lv.rank AS level_rank,
       lv.colour,
       coalesce(a.inherent_n, 0)::int AS inherent_count,
       coalesce(a.residual_n, 0)::int AS residual_count
  FROM (SELECT s.id AS scope, m.id AS matrix, gr.likelihood, gr.impact,
               isms.risk_score(gr.likelihood, gr.impact) AS score
          FROM isms.scope s
         CROSS JOIN isms.risk_matrix m
         CROSS JOIN LATERAL isms.matrix_grid(m.size) AS gr) g
  LEFT JOIN isms.risk_matrix_cell c
         ON c.matrix = g.matrix AND c.likelihood = g.likelihood AND c.impact = g.impact
  LEFT JOIN isms.risk_level lv ON lv.matrix = c.matrix AND lv.name = c.level
  -- Both counts from one pass over the risks: each open risk stands once
  -- for its inherent and once for its residual score.  Grouped by scope, so
  -- a filter on the view's scope reaches into the scan.
  LEFT JOIN (SELECT r.scope, r.matrix, v.score,
                    count(*) FILTER (WHERE v.inherent) AS inherent_n,
                    count(*) FILTER (WHERE NOT v.inherent) AS residual_n
               FROM isms.risk r
              CROSS JOIN LATERAL (VALUES (true, r.inherent), (false, r.residual)) AS v(inherent, score)
              WHERE r.status <> 'closed' AND v.score IS NOT NULL
              GROUP BY r.scope, r.matrix, v.score) a
         ON a.scope = g.scope AND a.matrix = g.matrix AND a.score OPERATOR(isms.=) g.score;
COMMENT ON VIEW isms.risk_heatmap IS
  'Heat map per scope and matrix: every cell of the grid, also the empty ones, with its level, colour and the number of open risks whose inherent and residual scores fall in it';
COMMENT ON COLUMN isms.risk_heatmap.scope IS 'Scope (every scope appears, also without risks)';
COMMENT ON COLUMN isms.risk_heatmap.matrix IS 'Risk matrix (every matrix appears for every scope)';
COMMENT ON COLUMN isms.risk_heatmap.likelihood IS 'Likelihood of the cell, 1 to the matrix size (the row of the grid)';
COMMENT ON COLUMN isms.risk_heatmap.impact IS 'Impact of the cell, 1 to the matrix size (the column of the grid)';
COMMENT ON COLUMN isms.risk_heatmap.score IS 'The cell as a risk score, likelihood x impact';
COMMENT ON COLUMN isms.risk_heatmap.level IS 'Level of the cell on the matrix; NULL if the matrix leaves the cell unmapped';
COMMENT ON COLUMN isms.risk_heatmap.level_rank IS 'Rank of the level (higher is worse)';
COMMENT ON COLUMN isms.risk_heatmap.colour IS 'Colour of the level, #rrggbb, to paint the cell';
COMMENT ON COLUMN isms.risk_heatmap.inherent_count IS 'Open (not closed) risks of the scope on this matrix whose inherent score is this cell';
COMMENT ON COLUMN isms.risk_heatmap.residual_count IS 'Open (not closed) risks of the scope on this matrix whose residual score is this cell';

CREATE VIEW isms.treatment_status AS
SELECT t.id AS treatment_id,
       t.risk_id,
       r.scope,
       r.ref AS risk_ref,
       r.title AS risk_title,
       r.owner AS risk_owner,
       r.status AS risk_status,
       t.option,
       t.plan,
       t.owner,
       t.due,
       t.status,
       t.completed_on,
       (t.status IN ('planned', 'in_progress') AND t.due < current_date) AS overdue,
       CASE WHEN t.status IN ('planned', 'in_progress') AND t.due < current_date
            THEN current_date - t.due END AS days_overdue,
       t.created_at
  FROM isms.treatment t
  JOIN isms.risk r ON r.id = t.risk_id;
COMMENT ON VIEW isms.treatment_status IS
  'Treatment plans for dashboards: one row per plan with its risk, option, owner, due date, status and whether it is overdue';
COMMENT ON COLUMN isms.treatment_status.treatment_id IS 'Treatment plan id (isms.treatment.id)';
COMMENT ON COLUMN isms.treatment_status.risk_id IS 'Risk id';
COMMENT ON COLUMN isms.treatment_status.scope IS 'Scope of the risk';
COMMENT ON COLUMN isms.treatment_status.risk_ref IS 'Reference of the risk';
COMMENT ON COLUMN isms.treatment_status.risk_title IS 'Title of the risk';
COMMENT ON COLUMN isms.treatment_status.risk_owner IS 'Owner of the risk';
COMMENT ON COLUMN isms.treatment_status.risk_status IS 'Current status of the risk';
COMMENT ON COLUMN isms.treatment_status.option IS 'Treatment option: modify, retain, avoid or share';
COMMENT ON COLUMN isms.treatment_status.plan IS 'What will be done';
COMMENT ON COLUMN isms.treatment_status.owner IS 'Who carries the plan out';
COMMENT ON COLUMN isms.treatment_status.due IS 'When the plan must be done';
COMMENT ON COLUMN isms.treatment_status.status IS 'planned, in_progress, done or cancelled';
COMMENT ON COLUMN isms.treatment_status.completed_on IS 'Date the plan was done';
COMMENT ON COLUMN isms.treatment_status.overdue IS 'True when the plan is still open (planned or in_progress) after its due date';
COMMENT ON COLUMN isms.treatment_status.days_overdue IS 'Days past the due date of an overdue plan; NULL otherwise';
COMMENT ON COLUMN isms.treatment_status.created_at IS 'When the plan was recorded';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.matrix_grid', 'read', NULL);
