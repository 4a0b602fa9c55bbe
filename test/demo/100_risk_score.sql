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
