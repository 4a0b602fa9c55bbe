-- 34_views: the dashboard views.  The heat map has every cell of every
-- matrix for every scope (also empty ones), counts match the register,
-- closed risks are left out; the register and treatment views show levels,
-- colours, appetite, overdue and linked controls.
\i test/regress/setup.sql
INSERT INTO isms.scope (id, name) VALUES ('emea', 'EMEA'), ('empty', 'No risks yet');
-- A second, 3x3 matrix next to the built-in 5x5.
INSERT INTO isms.risk_matrix (id, name, size, appetite) VALUES ('simple', 'Simple 3x3', 3, 1);
INSERT INTO isms.risk_level (matrix, name, rank, colour, review_interval) VALUES
  ('simple', 'acceptable', 1, '#00aa00', '1 year'), ('simple', 'unacceptable', 2, '#aa0000', '1 month');
SELECT isms.risk_matrix_fill('simple', '{"acceptable": 1, "unacceptable": 4}') AS cells;
SELECT isms.soa_init('default', 'iso27001-2022') AS soa_entries;
UPDATE isms.soa_entry SET applicable = true, justification = 'risk treatment', status = 'implemented'
 WHERE scope = 'default' AND control_ref IN ('8.7', '8.13');
UPDATE isms.soa_entry SET applicable = true, justification = 'risk treatment', status = 'planned'
 WHERE scope = 'default' AND control_ref = '8.16';

INSERT INTO isms.risk (scope, ref, title, owner, inherent, target, next_review, matrix) VALUES
  ('default', 'R-001', 'Ransomware encrypts file servers', 'CIO', '4x5', '2x2', current_date - 10, 'default'),
  ('default', 'R-002', 'Laptop theft', 'IT lead', '3x2', NULL, current_date + 100, 'default'),
  ('default', 'R-003', 'Supplier outage', 'COO', '3x4', '3x4', current_date + 92, 'default'),
  ('default', 'R-004', 'Old duplicate', 'COO', '5x5', NULL, current_date - 400, 'default'),
  ('default', 'R-005', 'Not yet scored', 'COO', NULL, NULL, NULL, 'default'),
  ('default', 'S-001', 'Badge cloning', 'Facilities', '2x3', NULL, current_date + 30, 'simple'),
  ('emea', 'R-001', 'Payroll fraud', 'HR lead', '4x5', NULL, current_date + 30, 'default');
SELECT isms.link_control(1, 'iso27001-2022', '8.7', 0.6), isms.link_control(1, 'iso27001-2022', '8.13', 0.8),
       isms.link_control(1, 'iso27001-2022', '8.16', 0.5);
SELECT isms.close_risk(4, 'duplicate of R-001');
SELECT isms.accept_risk(2, 'IT lead', 'Encrypted disks', current_date + 100) > 0 AS accepted;
SELECT isms.treat(3, 'share', 'Second supplier contract', 'COO', current_date - 5) AS late_plan,
       isms.treat(3, 'modify', 'Stock of spare parts', 'Logistics', current_date + 30) AS plan;

-- Statistics, as autovacuum would gather them: without any, the planner
-- guesses hundreds of scopes and matrices and spends seconds JIT-compiling.
ANALYZE isms.scope, isms.risk_matrix, isms.risk_matrix_cell, isms.risk_level, isms.risk,
        isms.risk_control, isms.acceptance, isms.treatment;

-- The register: one flat row per risk.
SELECT scope, ref, status, matrix, inherent, inherent_level, inherent_colour, residual, residual_level,
       residual_colour, within_appetite, target, target_level, target_met, treatment
  FROM isms.risk_register ORDER BY scope, ref;
SELECT scope, ref, next_review - current_date AS review_in_days, overdue, accepted_by,
       acceptance_valid_until - current_date AS acceptance_days_left, acceptance_expired, acceptance_stale,
       linked_controls, linked_control_count, implemented_control_count,
       identified_on = current_date AS identified_today, closed_at IS NOT NULL AS closed
  FROM isms.risk_register ORDER BY scope, ref;
-- The view's levels agree with isms.risk_level() for every risk.
SELECT count(*) AS risks,
       count(*) FILTER (WHERE inherent_level IS NOT DISTINCT FROM (isms.risk_level(inherent, matrix)).name
                          AND residual_level IS NOT DISTINCT FROM (isms.risk_level(residual, matrix)).name
                          AND residual_colour IS NOT DISTINCT FROM (isms.risk_level(residual, matrix)).colour) AS agree
  FROM isms.risk_register;

-- The heat map: every cell for every scope and matrix.
SELECT scope, matrix, count(*) AS cells, max(likelihood) AS size,
       count(DISTINCT (likelihood, impact)) AS distinct_cells,
       count(*) FILTER (WHERE level IS NULL OR colour IS NULL) AS unpainted,
       sum(inherent_count) AS inherent, sum(residual_count) AS residual
  FROM isms.risk_heatmap GROUP BY scope, matrix ORDER BY scope, matrix;
-- Counts equal the open, scored risks of the register, cell by cell.
SELECT count(*) AS mismatched_cells
  FROM isms.risk_heatmap h
 WHERE h.inherent_count <> (SELECT count(*) FROM isms.risk_register r
                             WHERE r.scope = h.scope AND r.matrix = h.matrix AND r.status <> 'closed'
                               AND r.inherent OPERATOR(isms.=) h.score)
    OR h.residual_count <> (SELECT count(*) FROM isms.risk_register r
                             WHERE r.scope = h.scope AND r.matrix = h.matrix AND r.status <> 'closed'
                               AND r.residual OPERATOR(isms.=) h.score);
-- The non-empty cells, and the 3x3 grid as a dashboard draws it.
SELECT scope, matrix, score, level, colour, inherent_count, residual_count
  FROM isms.risk_heatmap WHERE inherent_count + residual_count > 0 ORDER BY scope, matrix, score;
SELECT likelihood, string_agg(format('%s:%s/%s', level, inherent_count, residual_count), '  ' ORDER BY impact) AS row
  FROM isms.risk_heatmap WHERE scope = 'default' AND matrix = 'simple'
 GROUP BY likelihood ORDER BY likelihood DESC;
-- An empty scope still gets full, empty grids.
SELECT matrix, count(*) AS cells, sum(inherent_count + residual_count) AS risks
  FROM isms.risk_heatmap WHERE scope = 'empty' GROUP BY matrix ORDER BY matrix;
-- A new matrix appears at once, for every scope.
INSERT INTO isms.risk_matrix (id, name, size, appetite) VALUES ('big', 'Seven steps', 7, 1);
SELECT scope, count(*) AS cells, count(level) AS mapped FROM isms.risk_heatmap WHERE matrix = 'big'
 GROUP BY scope ORDER BY scope;

-- Treatment status: plans by owner, due, overdue.
SELECT risk_ref, risk_status, option, plan, owner, due - current_date AS due_in_days, status,
       overdue, days_overdue
  FROM isms.treatment_status ORDER BY treatment_id;
UPDATE isms.treatment SET status = 'done' WHERE plan = 'Second supplier contract';
SELECT risk_ref, plan, status, overdue, days_overdue, completed_on = current_date AS done_today
  FROM isms.treatment_status ORDER BY treatment_id;

-- Every column of the three views has a comment.
SELECT c.relname, count(*) AS columns, count(col_description(c.oid, a.attnum)) AS commented
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
 WHERE c.oid IN ('isms.risk_register'::regclass, 'isms.risk_heatmap'::regclass, 'isms.treatment_status'::regclass)
 GROUP BY c.relname ORDER BY c.relname;
