-- 30_risk: assets, risks, their constraints, and the risk status state
-- machine: every pair of statuses, by plain UPDATE and by the functions.
\i test/regress/setup.sql
INSERT INTO isms.scope (id, name) VALUES ('emea', 'EMEA');

-- Assets and their constraints.
INSERT INTO isms.asset (scope, name, kind, owner, classification, confidentiality, integrity, availability)
VALUES ('default', 'Customer database', 'information', 'head of sales', 'confidential', 4, 4, 3),
       ('default', 'ERP', 'software', 'cfo', 'internal', 3, 5, 4),
       ('emea', 'Payroll files', 'information', 'hr lead', 'restricted', 5, 4, 2);
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$INSERT INTO isms.asset (scope, name, owner) VALUES ('default', 'ERP', 'x')$$),
  ($$INSERT INTO isms.asset (scope, name, owner) VALUES ('default', ' ', 'x')$$),
  ($$INSERT INTO isms.asset (scope, name, owner) VALUES ('default', 'Laptop', '')$$),
  ($$INSERT INTO isms.asset (scope, name, owner, kind) VALUES ('default', 'Laptop', 'x', 'gadget')$$),
  ($$INSERT INTO isms.asset (scope, name, owner, confidentiality) VALUES ('default', 'Laptop', 'x', 6)$$),
  ($$INSERT INTO isms.asset (scope, name, owner, availability) VALUES ('default', 'Laptop', 'x', 0)$$),
  ($$INSERT INTO isms.asset (scope, name, owner, classification) VALUES ('default', 'Laptop', 'x', '')$$),
  ($$INSERT INTO isms.asset (scope, name, owner) VALUES ('nowhere', 'Laptop', 'x')$$)
) AS t(s);
SELECT scope, name, kind, owner, classification, confidentiality, integrity, availability
  FROM isms.asset ORDER BY id;

-- Risks: a risk with an inherent score is assessed at once, one without is
-- identified; residual starts equal to inherent.
INSERT INTO isms.risk (scope, ref, title, owner, threat, vulnerability, inherent, target)
VALUES ('default', 'R-001', 'Ransomware encrypts file servers', 'cio', 'criminal group',
        'unpatched servers', '4x5', '2x3'),
       ('default', 'R-002', 'Supplier leaks customer data', 'head of sales', NULL, NULL, NULL, NULL);
SELECT id, ref, status, inherent, residual, residual_computed, target, identified_on = current_date AS today
  FROM isms.risk ORDER BY id;

-- Bad risks: each refused with its SQLSTATE, nothing written.
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$INSERT INTO isms.risk (scope, ref, title, owner) VALUES ('default', 'R-001', 'duplicate ref', 'x')$$),
  ($$INSERT INTO isms.risk (scope, ref, title, owner) VALUES ('default', '', 'empty ref', 'x')$$),
  ($$INSERT INTO isms.risk (scope, ref, title, owner) VALUES ('default', ' R-9', 'leading space', 'x')$$),
  ($$INSERT INTO isms.risk (scope, ref, title, owner) VALUES ('default', repeat('r', 65), 'long ref', 'x')$$),
  ($$INSERT INTO isms.risk (scope, ref, title, owner) VALUES ('default', 'R-9', '  ', 'x')$$),
  ($$INSERT INTO isms.risk (scope, ref, title, owner) VALUES ('default', 'R-9', 'no owner', NULL)$$),
  ($$INSERT INTO isms.risk (scope, ref, title, owner) VALUES ('default', 'R-9', 'blank owner', ' ')$$),
  ($$INSERT INTO isms.risk (scope, ref, title, owner) VALUES ('mars', 'R-9', 'unknown scope', 'x')$$),
  ($$INSERT INTO isms.risk (scope, ref, title, owner, matrix) VALUES ('default', 'R-9', 'unknown matrix', 'x', 'nope')$$),
  ($$INSERT INTO isms.risk (scope, ref, title, owner, inherent) VALUES ('default', 'R-9', 'bad score', 'x', '0x3')$$),
  ($$INSERT INTO isms.risk (scope, ref, title, owner, inherent) VALUES ('default', 'R-9', 'off the matrix', 'x', '6x1')$$),
  ($$INSERT INTO isms.risk (scope, ref, title, owner, inherent, target) VALUES ('default', 'R-9', 'target off', 'x', '3x3', '1x6')$$),
  ($$INSERT INTO isms.risk (scope, ref, title, owner, status) VALUES ('default', 'R-9', 'starts treated', 'x', 'treated')$$),
  ($$INSERT INTO isms.risk (scope, ref, title, owner, inherent, status) VALUES ('default', 'R-9', 'starts accepted', 'x', '2x2', 'accepted')$$),
  ($$INSERT INTO isms.risk (scope, ref, title, owner, status) VALUES ('default', 'R-9', 'starts closed', 'x', 'closed')$$),
  ($$INSERT INTO isms.risk (scope, ref, title, owner, status) VALUES ('default', 'R-9', 'null status', 'x', NULL)$$),
  ($$INSERT INTO isms.risk (scope, ref, title, owner, inherent, residual_override) VALUES ('default', 'R-9', 'override without why', 'x', '3x3', '1x1')$$),
  ($$INSERT INTO isms.risk (scope, ref, title, owner, residual) VALUES ('default', 'R-9', 'residual is generated', 'x', '1x1')$$),
  ($$UPDATE isms.risk SET inherent = NULL WHERE ref = 'R-001'$$),
  ($$UPDATE isms.risk SET inherent = '5x6' WHERE ref = 'R-001'$$)
) AS t(s);
SELECT count(*) AS risks, (SELECT count(*) FROM isms.change_log WHERE table_name = 'isms.risk') AS logged
  FROM isms.risk;

-- The same ref may be used in another scope.
INSERT INTO isms.risk (scope, ref, title, owner, inherent) VALUES ('emea', 'R-001', 'Payroll fraud', 'hr lead', '2x4');

-- Linking assets: same scope only.
SELECT isms.link_asset(1, 1), isms.link_asset(1, 2), isms.link_asset(1, 2);
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$SELECT isms.link_asset(1, 3)$$),
  ($$SELECT isms.link_asset(999, 1)$$),
  ($$SELECT isms.link_asset(1, 999)$$),
  ($$INSERT INTO isms.risk_asset (scope, risk_id, asset_id) VALUES ('emea', 1, 3)$$)
) AS t(s);
SELECT scope, risk_id, asset_id FROM isms.risk_asset ORDER BY 2, 3;

-- Assessing an identified risk (setting its inherent score) assesses it.
UPDATE isms.risk SET inherent = '3x4' WHERE ref = 'R-002' AND scope = 'default';
SELECT ref, status, inherent, residual FROM isms.risk WHERE scope = 'default' ORDER BY id;

-- The state machine as data.
SELECT from_status, to_status, how FROM isms.risk_status_transition ORDER BY 1, 2;

-- Every pair of statuses by plain UPDATE.  pg_temp.risk_in(status) makes a
-- fresh risk in that status through the public functions.
CREATE FUNCTION pg_temp.risk_in(st isms.risk_status) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  rid bigint;
  tid bigint;
BEGIN
  INSERT INTO isms.risk (scope, ref, title, owner, inherent)
  VALUES ('default', 'SM-' || st || '-' || (SELECT count(*) FROM isms.risk), 'state machine', 'owner',
          CASE WHEN st <> 'identified' THEN '3x3'::isms.risk_score END)
  RETURNING id INTO rid;
  IF st IN ('treatment_planned', 'treated') THEN
    tid := isms.treat(rid, 'modify', 'patch', 'ops', '2030-01-01');
  END IF;
  IF st = 'treated' THEN
    UPDATE isms.treatment SET status = 'done' WHERE id = tid;
  END IF;
  IF st = 'accepted' THEN
    PERFORM isms.accept_risk(rid, 'ceo', 'business decision', current_date + 30);
  END IF;
  IF st = 'closed' THEN
    PERFORM isms.close_risk(rid, 'duplicate');
  END IF;
  IF (SELECT status FROM isms.risk WHERE id = rid) <> st THEN
    RAISE 'could not set up a % risk', st;
  END IF;
  RETURN rid;
END
$$;
CREATE TEMP TABLE sm AS
SELECT f.s AS from_status, t.s AS to_status, pg_temp.risk_in(f.s) AS risk_id
  FROM unnest(enum_range(NULL::isms.risk_status)) AS f(s)
 CROSS JOIN unnest(enum_range(NULL::isms.risk_status)) AS t(s)
 WHERE f.s <> t.s;
SELECT count(*) AS log_before FROM isms.change_log WHERE table_name = 'isms.risk' \gset
ALTER TABLE sm ADD COLUMN result text;
UPDATE sm SET result = pg_temp.try(format('UPDATE isms.risk SET status = %L, status_reason = %L WHERE id = %s',
                                          sm.to_status, 'plain update', sm.risk_id));
-- (closed -> identified of a risk that has an inherent score lands on
-- assessed, like any identified risk with a score.)
SELECT sm.from_status, sm.to_status,
       EXISTS (SELECT 1 FROM isms.risk_status_transition x
                WHERE x.from_status = sm.from_status AND x.to_status = sm.to_status) AS allowed,
       sm.result AS plain_update, r.status AS status_after
  FROM sm JOIN isms.risk r ON r.id = sm.risk_id
 ORDER BY sm.from_status, sm.to_status;
-- Every refused move left its risk as it was, and only the moves that
-- happened were logged.
SELECT count(*) FILTER (WHERE sm.result <> 'ok') AS refused,
       count(*) FILTER (WHERE sm.result <> 'ok' AND r.status = sm.from_status) AS refused_and_unmoved,
       count(*) FILTER (WHERE sm.result = 'ok') AS done,
       (SELECT count(*) FROM isms.change_log WHERE table_name = 'isms.risk') - :log_before AS risk_rows_logged
  FROM sm JOIN isms.risk r ON r.id = sm.risk_id;

-- The functions from every status.
CREATE TEMP TABLE fm AS
SELECT f.s AS from_status, fn, pg_temp.risk_in(f.s) AS risk_id
  FROM unnest(enum_range(NULL::isms.risk_status)) AS f(s)
 CROSS JOIN (VALUES ('treat'), ('accept_risk'), ('close_risk'), ('reopen_risk')) AS v(fn);
ALTER TABLE fm ADD COLUMN result text;
UPDATE fm SET result = pg_temp.try(CASE fm.fn
         WHEN 'treat' THEN format('SELECT isms.treat(%s, %L, %L, %L, %L)', risk_id, 'modify', 'harden', 'ops', '2030-06-30')
         WHEN 'accept_risk' THEN format('SELECT isms.accept_risk(%s, %L, %L, current_date + 10)', risk_id, 'ceo', 'ok')
         WHEN 'close_risk' THEN format('SELECT isms.close_risk(%s, %L)', risk_id, 'risk gone')
         ELSE format('SELECT isms.reopen_risk(%s, %L)', risk_id, 'came back') END);
SELECT fm.from_status, fm.fn, fm.result, r.status AS status_after
  FROM fm JOIN isms.risk r ON r.id = fm.risk_id
 ORDER BY fm.from_status, fm.fn;

-- Bad arguments to the functions.
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$SELECT isms.close_risk(999, 'x')$$),
  ($$SELECT isms.close_risk(NULL, 'x')$$),
  ($$SELECT isms.close_risk(1, NULL)$$),
  ($$SELECT isms.close_risk(1, '  ')$$),
  ($$SELECT isms.reopen_risk(999, 'x')$$),
  ($$SELECT isms.treat(999, 'modify', 'p', 'o', '2030-01-01')$$),
  ($$SELECT isms.treat(1, 'mitigate', 'p', 'o', '2030-01-01')$$),
  ($$SELECT isms.accept_risk(999, 'ceo', 'ok', '2030-01-01')$$),
  ($$SELECT isms.risk_transition_check(1, 'assessed', NULL)$$)
) AS t(s);
SELECT status, status_reason, closed_at IS NULL AS open FROM isms.risk WHERE id = 1;

-- Closing records when; reopening clears it; the reason is kept.
SELECT isms.close_risk(1, 'asset retired');
SELECT status, status_reason, closed_at IS NOT NULL AS has_closed_at FROM isms.risk WHERE id = 1;
SELECT pg_temp.try($$UPDATE isms.risk SET status_reason = NULL WHERE id = 1$$);
SELECT isms.reopen_risk(1, 'asset back in use');
SELECT status, status_reason, closed_at IS NULL AS open FROM isms.risk WHERE id = 1;
-- A risk closed while only identified reopens as identified.
INSERT INTO isms.risk (scope, ref, title, owner) VALUES ('default', 'R-010', 'Unscored', 'cio') RETURNING id AS r10 \gset
SELECT isms.close_risk(:r10, 'not a risk'), isms.reopen_risk(:r10, 'it is a risk');
-- closed_at cannot be forged.
UPDATE isms.risk SET closed_at = '2000-01-01' WHERE id = :r10;
SELECT status, closed_at FROM isms.risk WHERE id = :r10;
