-- 15_cvss_risk: isms.cvss_risk_score, the project's convention for proposing
-- a risk score from a CVSS vector (not part of CVSS).
\i test/regress_setup.sql
-- On the default 5x5 matrix: likelihood = 1 + network + low complexity +
-- no privileges/interaction + known exploit (- unproven); impact = rating.
SELECT v AS vector, isms.cvss_severity(v::isms.cvss) AS severity,
       isms.cvss_risk_score(v::isms.cvss) AS proposed,
       (isms.risk_level(isms.cvss_risk_score(v::isms.cvss))).name AS level
  FROM (VALUES
  ('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H'),            -- 4 of 5, Critical
  ('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/E:H'),        -- functional exploit: 5
  ('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/E:U'),        -- unproven: 3
  ('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAV:L'),      -- modified to local: 3, env score High
  ('CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N'),            -- 1, Low
  ('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N'),            -- 4, None
  ('CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/E:F'),        -- 1 + low complexity + exploit = 3
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'),       -- 4, Critical
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A'),   -- attacked: 5
  ('CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U'),   -- attack requirements, unproven: 2
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MAT:P')  -- modified requirements: 3
) AS t(v);
-- Scaled to the size of another matrix (1..5 onto 1..3).
INSERT INTO isms.risk_matrix (id, name, size, appetite) VALUES ('small', 'Three by three', 3, 4);
SELECT v AS vector, isms.cvss_risk_score(v::isms.cvss, 'small') AS on_3x3
  FROM (VALUES ('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/E:H'),
               ('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H'),
               ('CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N')) AS t(v);
-- Unknown matrix, and NULL.
SELECT pg_temp.try($$SELECT isms.cvss_risk_score('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'nope')$$);
SELECT isms.cvss_risk_score(NULL) IS NULL AS null_in_null_out;
