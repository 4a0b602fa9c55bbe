-- 33_history: every insert, update and delete on the register tables is in
-- isms.change_log (who, when, transaction, old and new row), failed
-- statements leave nothing, and isms.risk_as_of(t) returns exactly what
-- isms.risk_register showed at t.
\i test/regress/setup.sql
SELECT isms.soa_init('default', 'iso27001-2022') AS soa_entries;
SELECT count(*) AS log_start FROM isms.change_log \gset
SELECT count(*) AS before_anything FROM isms.risk_as_of(now());

-- Step 1: assets and risks.
INSERT INTO isms.asset (scope, name, owner, classification) VALUES ('default', 'File servers', 'IT lead', 'internal');
INSERT INTO isms.risk (scope, ref, title, owner, inherent, target, next_review) VALUES
  ('default', 'R-001', 'Ransomware encrypts file servers', 'CIO', '4x5', '2x2', current_date + 90),
  ('default', 'R-002', 'Laptop theft', 'IT lead', '3x3', NULL, current_date - 1),
  ('default', 'R-003', 'Duplicate of R-001', 'CIO', NULL, NULL, NULL);
SELECT isms.link_asset(1, 1), isms.link_asset(3, 1);
SELECT clock_timestamp() AS t1 \gset
CREATE TEMP TABLE reg_t1 AS SELECT * FROM isms.risk_register;

-- Step 2: controls, the SoA, a plan, an acceptance.
SELECT isms.link_control(1, 'iso27001-2022', '8.7', 0.6), isms.link_control(1, 'iso27001-2022', '8.13', 0.8);
UPDATE isms.soa_entry SET applicable = true, justification = 'ransomware', status = 'implemented'
 WHERE scope = 'default' AND control_ref IN ('8.7', '8.13');
SELECT isms.treat(1, 'modify', 'EDR everywhere', 'IT operations', current_date + 60) AS plan \gset
SELECT isms.accept_risk(2, 'IT lead', 'Disk encryption', current_date + 200) > 0 AS accepted;
SELECT clock_timestamp() AS t2 \gset
CREATE TEMP TABLE reg_t2 AS SELECT * FROM isms.risk_register;

-- Step 3: the plan is done, R-002 closes, R-003 is deleted, a link goes.
UPDATE isms.treatment SET status = 'done' WHERE id = :plan;
SELECT isms.close_risk(2, 'laptops replaced by thin clients');
DELETE FROM isms.risk WHERE ref = 'R-003';
SELECT isms.unlink_control(1, 'iso27001-2022', '8.13');
SELECT clock_timestamp() AS t3 \gset
CREATE TEMP TABLE reg_t3 AS SELECT * FROM isms.risk_register;

-- Step 4: more changes after the last snapshot, by another role.
CREATE ROLE isms_regress_register_editor;
GRANT USAGE ON SCHEMA isms TO isms_regress_register_editor;
GRANT SELECT, INSERT, UPDATE, DELETE ON isms.risk, isms.risk_control, isms.treatment, isms.acceptance,
      isms.asset, isms.risk_asset TO isms_regress_register_editor;
GRANT SELECT ON isms.risk_matrix, isms.risk_level, isms.risk_matrix_cell, isms.risk_status_transition,
      isms.soa_entry, isms.control TO isms_regress_register_editor;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA isms TO isms_regress_register_editor;
-- Writing functions are not executable by PUBLIC (issue 8: least privilege).
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA isms TO isms_regress_register_editor;
SET ROLE isms_regress_register_editor;
UPDATE isms.risk SET inherent = '5x5', title = 'Ransomware encrypts file and backup servers' WHERE ref = 'R-001';
SELECT isms.reopen_risk(2, 'thin clients postponed');
UPDATE isms.asset SET classification = 'confidential' WHERE name = 'File servers';
SELECT isms.link_control(1, 'iso27001-2022', '8.7', 0.7);
DELETE FROM isms.acceptance WHERE risk_id = 2;
DELETE FROM isms.treatment WHERE id = :plan;
DELETE FROM isms.asset WHERE name = 'File servers';
SELECT pg_temp.try($$UPDATE isms.change_log SET actor = 'nobody'$$) AS alter_log,
       pg_temp.try($$DELETE FROM isms.change_log$$) AS delete_log;
RESET ROLE;

-- The register as it stood at each moment, compared with what the view
-- showed then, column by column (no row may differ either way).
CREATE FUNCTION pg_temp.diff(snapshot regclass, at timestamptz) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  EXECUTE format('SELECT count(*) FROM ((TABLE %1$s EXCEPT SELECT * FROM isms.risk_as_of(%2$L))
                                        UNION ALL
                                        (SELECT * FROM isms.risk_as_of(%2$L) EXCEPT TABLE %1$s)) d',
                 snapshot, at) INTO n;
  RETURN n;
END
$$;
SELECT 't1' AS moment, (SELECT count(*) FROM reg_t1) AS rows_then, pg_temp.diff('reg_t1', :'t1') AS differences
UNION ALL
SELECT 't2', (SELECT count(*) FROM reg_t2), pg_temp.diff('reg_t2', :'t2')
UNION ALL
SELECT 't3', (SELECT count(*) FROM reg_t3), pg_temp.diff('reg_t3', :'t3')
UNION ALL
SELECT 'now', (SELECT count(*) FROM isms.risk_register),
       (SELECT count(*) FROM ((TABLE isms.risk_register EXCEPT SELECT * FROM isms.risk_as_of(now()))
                              UNION ALL
                              (SELECT * FROM isms.risk_as_of(now()) EXCEPT TABLE isms.risk_register)) d);
-- What changed between the moments, as an auditor would read it.
SELECT 't1' AS moment, ref, status, inherent, residual, residual_level, overdue, accepted_by, linked_controls
  FROM isms.risk_as_of(:'t1')
UNION ALL
SELECT 't2', ref, status, inherent, residual, residual_level, overdue, accepted_by, linked_controls
  FROM isms.risk_as_of(:'t2')
UNION ALL
SELECT 't3', ref, status, inherent, residual, residual_level, overdue, accepted_by, linked_controls
  FROM isms.risk_as_of(:'t3')
UNION ALL
SELECT 'now', ref, status, inherent, residual, residual_level, overdue, accepted_by, linked_controls
  FROM isms.risk_register
 ORDER BY 1, 2;
-- Judged on as_of's date: a year on, R-001's review is overdue.
SELECT ref, next_review - current_date AS review_in_days, overdue
  FROM isms.risk_as_of(now() + interval '1 year') ORDER BY ref;

-- Completeness: every insert, update and delete on every register table.
SELECT table_name, op, count(*)
  FROM isms.change_log WHERE table_name <> 'isms.soa_entry'
 GROUP BY 1, 2 ORDER BY 1, 2;
SELECT op, count(*) FROM isms.change_log WHERE table_name = 'isms.soa_entry' GROUP BY op ORDER BY op;
-- Who and which transaction: the editor's changes carry its name; the
-- residual changes the SoA caused share the SoA update's transaction.
SELECT actor, table_name, op, old_row ->> 'title' AS old_title, new_row ->> 'title' AS new_title,
       old_row ->> 'residual' AS old_residual, new_row ->> 'residual' AS new_residual
  FROM isms.change_log WHERE actor = 'isms_regress_register_editor' ORDER BY id;
SELECT count(DISTINCT txid) AS transactions, array_agg(DISTINCT table_name ORDER BY table_name) AS tables
  FROM isms.change_log
 WHERE txid IN (SELECT txid FROM isms.change_log WHERE table_name = 'isms.soa_entry' AND op = 'UPDATE');
-- Deleted rows keep their last state in the log, also those deleted by a
-- cascade (the asset's link to R-001, R-003's link to the asset).
SELECT table_name, op, actor = current_user AS by_me,
       coalesce(old_row ->> 'ref', old_row ->> 'name', old_row ->> 'control_ref', old_row ->> 'plan', old_row ->> 'rationale') AS what
  FROM isms.change_log WHERE op = 'DELETE' ORDER BY id;

-- Failed statements leave nothing in the log.
SELECT count(*) AS log_before FROM isms.change_log \gset
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$INSERT INTO isms.risk (scope, ref, title, owner, status) VALUES ('default', 'R-009', 'x', 'y', 'closed')$$),
  ($$UPDATE isms.risk SET status = 'treated' WHERE ref = 'R-002'$$),
  ($$SELECT isms.accept_risk(1, 'CEO', 'valid until yesterday', current_date - 1)$$),
  ($$SELECT isms.link_control(1, 'iso27001-2022', '8.8', 7)$$),
  ($$SELECT isms.treat(1, 'modify', '', 'x', current_date)$$)
) AS t(s);
SELECT count(*) - :log_before AS log_rows_added FROM isms.change_log;

REVOKE ALL ON ALL TABLES IN SCHEMA isms FROM isms_regress_register_editor;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA isms FROM isms_regress_register_editor;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA isms FROM isms_regress_register_editor;
REVOKE ALL ON SCHEMA isms FROM isms_regress_register_editor;
DROP ROLE isms_regress_register_editor;
