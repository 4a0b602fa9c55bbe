-- 15_cvss: the isms.cvss type: input rules, canonical output, exact scores
-- with their sources, every metric value, malformed input, binary I/O,
-- ordering, hashing and index use.
\i test/regress/setup.sql
-- pg_temp.err (test/regress/setup.sql) shows the DETAIL, which names the offending metric.

-- Canonical output: specification order, Not Defined (X) metrics left out,
-- surrounding white space ignored.  v3.x accepts any order (the v3.0/v3.1
-- specifications say readers must); the first two rows are the examples of
-- RedHatProductSecurity/cvss tests/test_cvss3.py (test_clean_vector).
SELECT v AS input, v::isms.cvss AS canonical FROM (VALUES
  ('CVSS:3.0/S:C/C:H/I:H/A:N/AV:P/AC:H/PR:H/UI:R/E:H/RL:O/RC:R/CR:H/IR:X/AR:X/MAC:H/MPR:X/MUI:X/MC:L/MA:X'),
  ('CVSS:3.0/A:N/E:P/RC:C/MAV:N/AV:A/AC:H/S:U/C:N/I:L/MPR:H/MUI:X/MS:U/MI:X/PR:H/UI:R'),
  ('  CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X  '),
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/CR:X/MSI:S/S:X/U:Amber')
) AS t(v);

-- Exact scores.  Each row says where its expected numbers come from; the
-- "environmental" column of a v3.x vector without environmental metrics
-- is the environmental formula, as FIRST's calculator shows it (it differs
-- from the base score for some Scope:Changed vectors in v3.1).
CREATE TEMP TABLE cited (id serial, vector text, source text);
INSERT INTO cited (vector, source) VALUES
  ('CVSS:3.0/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X', 'FIRST v3.0 calculator: 3.8 / 3.7 / 3.7 (RedHatProductSecurity/cvss tests/vectors_calculator3)'),
  ('CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:N/E:H/RL:O/RC:C/CR:H/IR:H/AR:H/MAV:N/MAC:L/MPR:L/MUI:N/MS:C/MC:H/MI:H/MA:H', 'FIRST v3.0 calculator: 9.3 / 8.9 / 9.5 (same file)'),
  ('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 'FIRST v3.1 calculator: 10.0 / 10.0 / 10.0 (tests/vectors_simple31)'),
  ('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H', 'FIRST v3.1 calculator: 9.6 / 9.6 / 9.7 (tests/vectors_simple31)'),
  ('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 'FIRST v3.1 calculator: 9.9 / 9.9 / 10.0 (tests/vectors_simple31)'),
  ('CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:H', 'FIRST v3.1 calculator: 9.0 / 9.0 / 9.1 (tests/vectors_simple31)'),
  ('CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:L', 'FIRST v3.1 calculator: 8.9 / 8.9 / 8.9 (tests/vectors_simple31)'),
  ('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'FIRST v3.1 calculator: 9.8 (tests/vectors_simple31); v3.1 Examples: CVE-2014-6271'),
  ('CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:L/I:N/A:N', 'FIRST v3.1 calculator: 3.5 (tests/vectors_simple31)'),
  ('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N', 'FIRST v3.1 calculator: 0.0 (tests/vectors_simple31)'),
  ('CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 'FIRST v3.1 Examples: CVE-2014-3566 (POODLE) 3.1'),
  ('CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L', 'FIRST v3.1 Examples: CVE-2009-0783 (Tomcat) 4.2'),
  ('CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N', 'FIRST v3.1 Examples: CVE-2014-2019 (iOS) 4.6'),
  ('CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H', 'FIRST v3.1 Examples: CVE-2013-6014 (Juniper) 9.3'),
  ('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U', 'v3.1 specification 7.2 by hand: Roundup(9.8 x 0.91 x 0.95 x 0.92 = 7.794) = 7.8'),
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'FIRST v4.0 Examples: 9.3'),
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 'v4.0 MacroVector 000100 scores 10 (specification lookup table), highest vector'),
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/AR:L', 'RedHatProductSecurity/cvss tests/test_cvss4.py: 7.9 (CVSS-BE; 8.7 without AR)'),
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/MSI:H', 'RedHatProductSecurity/cvss tests/test_cvss4.py: 7.7 (CVSS-BE; 0.0 without MSI)'),
  ('CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U', 'RedHatProductSecurity/cvss tests/vectors_threat4: 4.1 (CVSS-BT; 7.3 with E:A)'),
  ('CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:M/IR:M/AR:M', 'RedHatProductSecurity/cvss tests/vectors_security4: 5.5'),
  ('CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:H/SA:N', 'RedHatProductSecurity/cvss tests/vectors_simple4: 4.0'),
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:A/VC:L/VI:N/VA:N/SC:H/SI:N/SA:H', 'RedHatProductSecurity/cvss tests/vectors_simple4: 6.0'),
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:P/VC:H/VI:L/VA:L/SC:L/SI:L/SA:L', 'RedHatProductSecurity/cvss tests/vectors_simple4: 7.0'),
  ('CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:N/SA:N', 'RedHatProductSecurity/cvss tests/vectors_simple4: 2.1'),
  ('CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:P/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 'RedHatProductSecurity/cvss tests/test_cvss4.py: 0.0 (no impact)');
SELECT isms.cvss_version(c) AS ver, isms.cvss_base_score(c) AS base,
       isms.cvss_temporal_score(c) AS temporal, isms.cvss_environmental_score(c) AS env,
       isms.cvss_score(c) AS score, isms.cvss_severity(c) AS severity, source
  FROM (SELECT id, vector::isms.cvss AS c, source FROM cited) s ORDER BY id;

-- Every value of every metric of every version parses where the
-- specification puts it, reads back with isms.cvss_metric and prints back.
CREATE TEMP TABLE metric_values (ver text, metric text, vals text[], mandatory boolean);
INSERT INTO metric_values VALUES
  ('3.0', 'AV', '{N,A,L,P}', true), ('3.0', 'AC', '{L,H}', true), ('3.0', 'PR', '{N,L,H}', true),
  ('3.0', 'UI', '{N,R}', true), ('3.0', 'S', '{U,C}', true), ('3.0', 'C', '{H,L,N}', true),
  ('3.0', 'I', '{H,L,N}', true), ('3.0', 'A', '{H,L,N}', true),
  ('3.0', 'E', '{X,H,F,P,U}', false), ('3.0', 'RL', '{X,U,W,T,O}', false), ('3.0', 'RC', '{X,C,R,U}', false),
  ('3.0', 'CR', '{X,H,M,L}', false), ('3.0', 'IR', '{X,H,M,L}', false), ('3.0', 'AR', '{X,H,M,L}', false),
  ('3.0', 'MAV', '{X,N,A,L,P}', false), ('3.0', 'MAC', '{X,L,H}', false), ('3.0', 'MPR', '{X,N,L,H}', false),
  ('3.0', 'MUI', '{X,N,R}', false), ('3.0', 'MS', '{X,U,C}', false), ('3.0', 'MC', '{X,H,L,N}', false),
  ('3.0', 'MI', '{X,H,L,N}', false), ('3.0', 'MA', '{X,H,L,N}', false),
  ('4.0', 'AV', '{N,A,L,P}', true), ('4.0', 'AC', '{L,H}', true), ('4.0', 'AT', '{N,P}', true),
  ('4.0', 'PR', '{N,L,H}', true), ('4.0', 'UI', '{N,P,A}', true), ('4.0', 'VC', '{H,L,N}', true),
  ('4.0', 'VI', '{H,L,N}', true), ('4.0', 'VA', '{H,L,N}', true), ('4.0', 'SC', '{H,L,N}', true),
  ('4.0', 'SI', '{H,L,N}', true), ('4.0', 'SA', '{H,L,N}', true), ('4.0', 'E', '{X,A,P,U}', false),
  ('4.0', 'CR', '{X,H,M,L}', false), ('4.0', 'IR', '{X,H,M,L}', false), ('4.0', 'AR', '{X,H,M,L}', false),
  ('4.0', 'MAV', '{X,N,A,L,P}', false), ('4.0', 'MAC', '{X,L,H}', false), ('4.0', 'MAT', '{X,N,P}', false),
  ('4.0', 'MPR', '{X,N,L,H}', false), ('4.0', 'MUI', '{X,N,P,A}', false), ('4.0', 'MVC', '{X,H,L,N}', false),
  ('4.0', 'MVI', '{X,H,L,N}', false), ('4.0', 'MVA', '{X,H,L,N}', false), ('4.0', 'MSC', '{X,H,L,N}', false),
  ('4.0', 'MSI', '{X,S,H,L,N}', false), ('4.0', 'MSA', '{X,S,H,L,N}', false), ('4.0', 'S', '{X,N,P}', false),
  ('4.0', 'AU', '{X,N,Y}', false), ('4.0', 'R', '{X,A,U,I}', false), ('4.0', 'V', '{X,D,C}', false),
  ('4.0', 'RE', '{X,L,M,H}', false), ('4.0', 'U', '{X,Clear,Green,Amber,Red}', false);
-- v3.1 has exactly the metrics and values of v3.0
INSERT INTO metric_values SELECT '3.1', metric, vals, mandatory FROM metric_values WHERE ver = '3.0';
CREATE TEMP TABLE tried AS
SELECT m.ver, m.metric, val,
       CASE WHEN m.mandatory
            THEN regexp_replace(b.base, '/' || m.metric || ':[A-Z]+', '/' || m.metric || ':' || val)
            ELSE b.base || '/' || m.metric || ':' || val END AS text
  FROM metric_values m CROSS JOIN LATERAL unnest(m.vals) AS val
  JOIN (VALUES ('3.0', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'),
               ('3.1', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'),
               ('4.0', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')) AS b(ver, base)
    ON b.ver = m.ver;
SELECT ver, count(*) AS values_tried,
       count(*) FILTER (WHERE isms.cvss_metric(text::isms.cvss, metric) = val) AS read_back,
       count(*) FILTER (WHERE (text::isms.cvss)::text = CASE WHEN val = 'X' THEN regexp_replace(text, '/[A-Z]+:X$', '') ELSE text END) AS printed_back,
       count(*) FILTER (WHERE isms.cvss_version(text::isms.cvss) = ver) AS right_version
  FROM tried GROUP BY ver ORDER BY ver;

-- Malformed vectors: 22P02 with a DETAIL naming what is wrong.
SELECT v AS input, pg_temp.err(format('SELECT %L::isms.cvss', v)) AS result FROM (VALUES
  (''),
  ('   '),
  ('AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'),
  ('CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'),
  ('CVSS:2.0/AV:N/AC:L/Au:N/C:C/I:C/A:C'),
  ('cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'),
  ('CVSS:3.1'),
  ('CVSS:3.1/'),
  ('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H'),
  ('CVSS:3.1/AV:N/AC:L/UI:N/S:U/C:H/I:H/A:H'),
  ('CVSS:3.1/AV:W/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'),
  ('CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'),
  ('CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'),
  ('CVSS:3.1/AV:/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'),
  ('CVSS:3.1/AV:N/AC:L/PR:U/UI:N/S:U/C:H/I:H/A:H'),
  ('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:A'),
  ('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MS:S'),
  ('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:N'),
  ('CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'),
  ('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/E:P'),
  ('CVSS:3.1/AX:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'),
  ('CVSS:3.1/AV:N/AC:L/AT:N/PR:N/UI:N/S:U/C:H/I:H/A:H'),
  ('CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'),
  ('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/'),
  ('CVSS:3.1/AVN/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'),
  ('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAT:N'),
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N'),
  ('CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'),
  ('CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'),
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/SC:N/VI:H/SI:N/VA:H/SA:N'),
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/CR:H/E:A'),
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/SI:H'),
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N'),
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSC:S'),
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'),
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:red'),
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/JJ:H'),
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/RL:O'),
  ('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:Ä')
) AS t(v);
-- The message itself, once in full.
SELECT pg_temp.try($$SELECT 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q'::isms.cvss$$);

-- Bad input writes nothing.
CREATE TABLE vuln (id int PRIMARY KEY, v isms.cvss NOT NULL);
INSERT INTO vuln VALUES (1, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
SELECT pg_temp.try($$INSERT INTO vuln VALUES (2, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), (3, 'CVSS:3.1/AV:N')$$);
SELECT id, v FROM vuln ORDER BY id;

-- isms.cvss_metric: X for an optional metric left out, NULL for a metric of
-- another version, 22023 for a name no version has.
SELECT isms.cvss_metric(v, 'AV') AS av, isms.cvss_metric(v, 'E') AS e,
       isms.cvss_metric(v, 'AT') AS at_of_v4, isms.cvss_metric(v, 'MSI') AS msi
  FROM (VALUES ('CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'::isms.cvss),
               ('CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/MSI:S'::isms.cvss)) AS t(v);
SELECT pg_temp.try($$SELECT isms.cvss_metric('CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'av')$$);

-- Binary COPY round trip, and recv refusing a format it does not know
-- (first byte 2) or a value out of range (AV value number 9).
CREATE TEMP TABLE vin (v isms.cvss);
INSERT INTO vin SELECT vector::isms.cvss FROM cited;
\copy vin TO 'test/regress/results/150_cvss.bin' WITH (FORMAT binary)
CREATE TEMP TABLE vout (v isms.cvss);
\copy vout FROM 'test/regress/results/150_cvss.bin' WITH (FORMAT binary)
SELECT count(*) AS copied, count(*) FILTER (WHERE vin.v IS NOT NULL) AS identical
  FROM vout LEFT JOIN vin ON vin.v OPERATOR(isms.=) vout.v AND isms.cvss_score(vin.v) = isms.cvss_score(vout.v);
SELECT encode(isms.cvss_send('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P'), 'hex') AS send;
CREATE TEMP TABLE raw (b bytea);
INSERT INTO raw VALUES ('\x020216'::bytea || decode(repeat('01', 22), 'hex'));
\copy raw TO 'test/regress/results/150_cvss_bad1.bin' WITH (FORMAT binary)
TRUNCATE raw;
INSERT INTO raw VALUES ('\x010216'::bytea || '\x09'::bytea || decode(repeat('01', 21), 'hex'));
\copy raw TO 'test/regress/results/150_cvss_bad2.bin' WITH (FORMAT binary)
\copy vout FROM 'test/regress/results/150_cvss_bad1.bin' WITH (FORMAT binary)
\copy vout FROM 'test/regress/results/150_cvss_bad2.bin' WITH (FORMAT binary)
SELECT count(*) AS still FROM vout;

-- Operators and aggregates live in schema isms: ORDER BY, DISTINCT and
-- GROUP BY find the default operator classes anyway; written operators
-- need isms on search_path (or OPERATOR(isms.=)).
SELECT pg_temp.try($$SELECT 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'::isms.cvss = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'$$) AS without_search_path,
       'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'::isms.cvss OPERATOR(isms.=) 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' AS qualified;
SET search_path = public, isms;

-- Ordering: by score, then version, then metric values.
SELECT v, isms.cvss_score(v) AS score
  FROM (SELECT vector::isms.cvss AS v FROM cited) s ORDER BY v;
SELECT min(v) AS lowest, max(v) AS highest FROM (SELECT vector::isms.cvss AS v FROM cited) s;
-- = is the canonical vector: the same vector written two ways is one value
SELECT 'CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:X'::isms.cvss
       = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' AS same,
       'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'::isms.cvss
       < 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' AS older_version_first_on_equal_score,
       'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'::isms.cvss
       <> 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:H' AS explicit_high_differs;

-- All 2,592 v3.1 base vectors: btree and hash indexes, DISTINCT, GROUP BY,
-- hash aggregate and merge join agree.
CREATE TABLE v31 AS
SELECT format('CVSS:3.1/AV:%s/AC:%s/PR:%s/UI:%s/S:%s/C:%s/I:%s/A:%s', av, ac, pr, ui, s, c, i, a)::isms.cvss AS v
  FROM unnest('{N,A,L,P}'::text[]) av, unnest('{L,H}'::text[]) ac, unnest('{N,L,H}'::text[]) pr,
       unnest('{N,R}'::text[]) ui, unnest('{U,C}'::text[]) s, unnest('{H,L,N}'::text[]) c,
       unnest('{H,L,N}'::text[]) i, unnest('{H,L,N}'::text[]) a;
CREATE INDEX v31_btree ON v31 (v);
ANALYZE v31;
SELECT count(*) AS vectors, count(DISTINCT v) AS distinct_vectors,
       count(DISTINCT isms.cvss_score(v)) AS distinct_scores FROM v31;
-- Severity bands over all base vectors.  These vectors are exactly those of
-- FIRST's v3.1 calculator data (RedHatProductSecurity/cvss
-- tests/vectors_simple31); the counts and bounds below were also computed
-- independently with the @pandatix/js-cvss implementation: None 96, Low 416
-- (1.6-3.9), Medium 1464 (4.0-6.9), High 555 (7.0-8.9), Critical 61.
SELECT isms.cvss_severity(v) AS severity, count(*) AS n, min(isms.cvss_score(v)) AS lo, max(isms.cvss_score(v)) AS hi
  FROM v31 GROUP BY 1 ORDER BY min(v);
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM v31 WHERE v = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
EXPLAIN (COSTS OFF) SELECT * FROM v31 WHERE v >= 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' ORDER BY v;
SELECT v, isms.cvss_score(v) AS score FROM v31 WHERE v >= 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' ORDER BY v;
RESET enable_bitmapscan;
EXPLAIN (COSTS OFF) SELECT v FROM v31 ORDER BY v DESC LIMIT 3;
SELECT v FROM v31 ORDER BY v DESC LIMIT 3;
CREATE INDEX v31_hash ON v31 USING hash (v);
DROP INDEX v31_btree;
EXPLAIN (COSTS OFF) SELECT * FROM v31 WHERE v = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
SELECT count(*) AS found_by_hash FROM v31 WHERE v = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
RESET enable_seqscan;
SET enable_sort = off;
SET enable_mergejoin = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM v31 a JOIN v31 b USING (v);
SELECT count(*) AS hash_join_rows FROM v31 a JOIN v31 b USING (v);
EXPLAIN (COSTS OFF) SELECT count(*) FROM (SELECT v FROM v31 GROUP BY v) g;
SELECT count(*) AS hash_groups FROM (SELECT v FROM v31 GROUP BY v) g;
RESET enable_sort;
RESET enable_mergejoin;
SET enable_hashjoin = off;
SET enable_hashagg = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM v31 a JOIN v31 b USING (v);
SELECT count(*) AS merge_join_rows FROM v31 a JOIN v31 b USING (v);
RESET enable_hashjoin;
RESET enable_hashagg;
RESET enable_nestloop;
-- sorted by the type equals sorted by score, then by the vector's bytes
SELECT bool_and(ok) AS order_follows_score FROM (
  SELECT isms.cvss_score(v) >= lag(isms.cvss_score(v)) OVER (ORDER BY v) IS NOT FALSE AS ok FROM v31) s;
