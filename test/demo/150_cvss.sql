-- Demo, part 150: CVSS vectors from scanners and advisories, sorted and
-- filtered by their exact FIRST scores, and the risk each one suggests.
SET search_path = public, isms;
\echo
\echo '== Scanner findings with CVSS v3.0, v3.1 and v4.0 vectors, worst first =='
CREATE TEMP TABLE demo_finding (host text, cve text, vector isms.cvss NOT NULL, PRIMARY KEY (host, cve));
INSERT INTO demo_finding VALUES
  ('web-01',  'CVE-2014-0160',  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N'),
  ('web-01',  'CVE-2014-6271',  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:H/RL:O/RC:C'),
  ('web-02',  'CVE-2014-3566',  'CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N'),
  ('db-01',   'CVE-2013-0375',  'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N'),
  ('laptop-7','VULN-0042',      'CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P'),
  ('plc-3',   'VULN-0099',      'CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:H/SC:N/SI:H/SA:H/MSI:S/S:P'),
  ('kiosk-1', 'CVE-2014-2019',  'CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N');
SELECT host, cve, isms.cvss_version(vector) AS ver, isms.cvss_score(vector) AS score,
       isms.cvss_severity(vector) AS severity, isms.cvss_base_score(vector) AS base
  FROM demo_finding ORDER BY vector DESC, host;

\echo
\echo '== Network-reachable without credentials (any CVSS version) =='
SELECT host, cve, isms.cvss_score(vector) AS score
  FROM demo_finding
 WHERE isms.cvss_metric(vector, 'AV') = 'N' AND isms.cvss_metric(vector, 'PR') = 'N'
 ORDER BY vector DESC;

\echo
\echo '== Proposed risk on the default 5x5 matrix (a pg_isms convention, not CVSS) =='
SELECT cve, isms.cvss_severity(vector) AS severity, isms.cvss_risk_score(vector) AS proposed,
       (isms.risk_level(isms.cvss_risk_score(vector))).name AS level
  FROM demo_finding ORDER BY isms.cvss_risk_score(vector) DESC, cve;

\echo
\echo '== Findings per severity =='
SELECT isms.cvss_severity(vector) AS severity, count(*) AS findings, max(vector) AS worst
  FROM demo_finding GROUP BY 1 ORDER BY min(vector) DESC;
