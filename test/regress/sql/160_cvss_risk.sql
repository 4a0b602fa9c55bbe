-- 15_cvss_risk: isms.cvss_risk_score, the project's convention for proposing
-- a risk score from a CVSS vector (not part of CVSS).
\i test/regress/setup.sql
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
-- The optional CVSS column on risks: a vector is stored canonically, sorts
-- by score, and feeds isms.cvss_risk_score to propose the inherent score.
INSERT INTO isms.risk (scope, ref, title, owner, vulnerability, cvss) VALUES
  ('default', 'V-1', 'Web server RCE', 'it', 'CVE-A', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/E:H'),
  ('default', 'V-2', 'Local privilege escalation', 'it', 'CVE-B', 'CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H'),
  ('default', 'V-3', 'Phishing kit', 'it', 'CVE-C', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'),
  ('default', 'V-4', 'Info leak', 'it', 'CVE-D', 'CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N'),
  ('default', 'P-1', 'Process risk without a vector', 'qa', NULL, NULL);
SELECT ref, cvss, isms.cvss_score(cvss) AS score, isms.cvss_severity(cvss) AS severity
  FROM isms.risk ORDER BY cvss DESC NULLS LAST, ref;
-- Propose the inherent score where none was assessed yet.
UPDATE isms.risk SET inherent = isms.cvss_risk_score(cvss, matrix)
 WHERE inherent IS NULL AND cvss IS NOT NULL;
SELECT ref, inherent, (isms.risk_level(inherent, matrix)).name AS level
  FROM isms.risk ORDER BY ref;
-- The change log carries the canonical vector.
SELECT new_row->>'cvss' AS logged_vector
  FROM isms.change_log
 WHERE table_name = 'isms.risk' AND op = 'INSERT' AND new_row->>'ref' = 'V-2';
-- "Top vulnerabilities" reads the partial index on the column.
SET enable_seqscan = off;
SET enable_sort = off;
EXPLAIN (COSTS OFF)
SELECT ref FROM isms.risk WHERE cvss IS NOT NULL ORDER BY cvss DESC LIMIT 3;
SELECT ref FROM isms.risk WHERE cvss IS NOT NULL ORDER BY cvss DESC LIMIT 3;
RESET enable_seqscan;
RESET enable_sort;
-- A malformed vector is refused with the offending metric; nothing written.
SELECT pg_temp.err($$INSERT INTO isms.risk (scope, ref, title, owner, cvss)
  VALUES ('default', 'V-9', 'Bad vector', 'it', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q')$$);
SELECT pg_temp.err($$UPDATE isms.risk SET cvss = 'CVSS:3.1/AV:N' WHERE ref = 'V-4'$$);
SELECT count(*) AS risks, count(*) FILTER (WHERE ref = 'V-9') AS bad_rows,
       (SELECT cvss FROM isms.risk WHERE ref = 'V-4') AS v4_unchanged
  FROM isms.risk;
