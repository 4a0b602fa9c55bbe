-- isms.cvss: CVSS v3.0, v3.1 and v4.0 vectors as a type, with the exact
-- scores of FIRST's specifications (parser and scoring in src/cvss_core.c).
-- Stored as 20 bytes: version, cached score and 4 bits per metric.

CREATE TYPE isms.cvss;

CREATE FUNCTION isms.cvss_in(cstring) RETURNS isms.cvss
  AS 'MODULE_PATHNAME', 'isms_cvss_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.cvss_in(cstring) IS
  'Input of isms.cvss: parses a CVSS v3.0, v3.1 or v4.0 vector string (22P02 naming the offending metric)';
CREATE FUNCTION isms.cvss_out(isms.cvss) RETURNS cstring
  AS 'MODULE_PATHNAME', 'isms_cvss_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.cvss_out(isms.cvss) IS
  'Output of isms.cvss: the canonical vector (specification order, Not Defined metrics left out)';
CREATE FUNCTION isms.cvss_recv(internal) RETURNS isms.cvss
  AS 'MODULE_PATHNAME', 'isms_cvss_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.cvss_recv(internal) IS
  'Binary input of isms.cvss (format version byte 1, version, metric count, one byte per metric); checks every byte';
CREATE FUNCTION isms.cvss_send(isms.cvss) RETURNS bytea
  AS 'MODULE_PATHNAME', 'isms_cvss_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.cvss_send(isms.cvss) IS
  'Binary output of isms.cvss (format version byte 1, version, metric count, one byte per metric)';

CREATE TYPE isms.cvss (
  INPUT = isms.cvss_in,
  OUTPUT = isms.cvss_out,
  RECEIVE = isms.cvss_recv,
  SEND = isms.cvss_send,
  INTERNALLENGTH = 20,
  ALIGNMENT = char,
  STORAGE = plain
);
COMMENT ON TYPE isms.cvss IS
  'A CVSS v3.0, v3.1 or v4.0 vector with its FIRST scores; sorts by score, then version, then metric values';

-- Comparison: by cvss_score, then version, then the metric values in
-- specification order; equal exactly when the canonical vectors are equal.
CREATE FUNCTION isms.cvss_eq(isms.cvss, isms.cvss) RETURNS boolean
  AS 'MODULE_PATHNAME', 'isms_cvss_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION isms.cvss_eq(isms.cvss, isms.cvss) IS 'Support of = on isms.cvss: same canonical vector';
CREATE FUNCTION isms.cvss_ne(isms.cvss, isms.cvss) RETURNS boolean
  AS 'MODULE_PATHNAME', 'isms_cvss_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION isms.cvss_ne(isms.cvss, isms.cvss) IS 'Support of <> on isms.cvss';
CREATE FUNCTION isms.cvss_lt(isms.cvss, isms.cvss) RETURNS boolean
  AS 'MODULE_PATHNAME', 'isms_cvss_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION isms.cvss_lt(isms.cvss, isms.cvss) IS 'Support of < on isms.cvss (score, then version, then metrics)';
CREATE FUNCTION isms.cvss_le(isms.cvss, isms.cvss) RETURNS boolean
  AS 'MODULE_PATHNAME', 'isms_cvss_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION isms.cvss_le(isms.cvss, isms.cvss) IS 'Support of <= on isms.cvss';
CREATE FUNCTION isms.cvss_gt(isms.cvss, isms.cvss) RETURNS boolean
  AS 'MODULE_PATHNAME', 'isms_cvss_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION isms.cvss_gt(isms.cvss, isms.cvss) IS 'Support of > on isms.cvss';
CREATE FUNCTION isms.cvss_ge(isms.cvss, isms.cvss) RETURNS boolean
  AS 'MODULE_PATHNAME', 'isms_cvss_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION isms.cvss_ge(isms.cvss, isms.cvss) IS 'Support of >= on isms.cvss';
CREATE FUNCTION isms.cvss_cmp(isms.cvss, isms.cvss) RETURNS integer
  AS 'MODULE_PATHNAME', 'isms_cvss_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION isms.cvss_cmp(isms.cvss, isms.cvss) IS 'B-tree support of isms.cvss: -1, 0 or 1';
CREATE FUNCTION isms.cvss_hash(isms.cvss) RETURNS integer
  AS 'MODULE_PATHNAME', 'isms_cvss_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION isms.cvss_hash(isms.cvss) IS 'Hash support of isms.cvss';
CREATE FUNCTION isms.cvss_hash_extended(isms.cvss, bigint) RETURNS bigint
  AS 'MODULE_PATHNAME', 'isms_cvss_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION isms.cvss_hash_extended(isms.cvss, bigint) IS 'Extended (seeded) hash support of isms.cvss';

CREATE OPERATOR isms.= (
  LEFTARG = isms.cvss, RIGHTARG = isms.cvss, FUNCTION = isms.cvss_eq,
  COMMUTATOR = OPERATOR(isms.=), NEGATOR = OPERATOR(isms.<>),
  RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR isms.<> (
  LEFTARG = isms.cvss, RIGHTARG = isms.cvss, FUNCTION = isms.cvss_ne,
  COMMUTATOR = OPERATOR(isms.<>), NEGATOR = OPERATOR(isms.=),
  RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR isms.< (
  LEFTARG = isms.cvss, RIGHTARG = isms.cvss, FUNCTION = isms.cvss_lt,
  COMMUTATOR = OPERATOR(isms.>), NEGATOR = OPERATOR(isms.>=),
  RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR isms.<= (
  LEFTARG = isms.cvss, RIGHTARG = isms.cvss, FUNCTION = isms.cvss_le,
  COMMUTATOR = OPERATOR(isms.>=), NEGATOR = OPERATOR(isms.>),
  RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR isms.> (
  LEFTARG = isms.cvss, RIGHTARG = isms.cvss, FUNCTION = isms.cvss_gt,
  COMMUTATOR = OPERATOR(isms.<), NEGATOR = OPERATOR(isms.<=),
  RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR isms.>= (
  LEFTARG = isms.cvss, RIGHTARG = isms.cvss, FUNCTION = isms.cvss_ge,
  COMMUTATOR = OPERATOR(isms.<=), NEGATOR = OPERATOR(isms.<),
  RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR CLASS isms.cvss_ops DEFAULT FOR TYPE isms.cvss USING btree AS
  OPERATOR 1 isms.<,
  OPERATOR 2 isms.<=,
  OPERATOR 3 isms.=,
  OPERATOR 4 isms.>=,
  OPERATOR 5 isms.>,
  FUNCTION 1 isms.cvss_cmp(isms.cvss, isms.cvss);

CREATE OPERATOR CLASS isms.cvss_hash_ops DEFAULT FOR TYPE isms.cvss USING hash AS
  OPERATOR 1 isms.=,
  FUNCTION 1 isms.cvss_hash(isms.cvss),
  FUNCTION 2 isms.cvss_hash_extended(isms.cvss, bigint);

CREATE FUNCTION isms.cvss_smaller(isms.cvss, isms.cvss) RETURNS isms.cvss
  AS 'MODULE_PATHNAME', 'isms_cvss_smaller' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.cvss_smaller(isms.cvss, isms.cvss) IS 'The lower of two isms.cvss values (state function of isms.min)';
CREATE FUNCTION isms.cvss_larger(isms.cvss, isms.cvss) RETURNS isms.cvss
  AS 'MODULE_PATHNAME', 'isms_cvss_larger' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.cvss_larger(isms.cvss, isms.cvss) IS 'The higher of two isms.cvss values (state function of isms.max)';
CREATE AGGREGATE isms.min(isms.cvss) (
  SFUNC = isms.cvss_smaller, STYPE = isms.cvss,
  COMBINEFUNC = isms.cvss_smaller, SORTOP = OPERATOR(isms.<), PARALLEL = SAFE
);
COMMENT ON AGGREGATE isms.min(isms.cvss) IS 'Lowest CVSS vector (lowest score; ties by version, then metrics)';
CREATE AGGREGATE isms.max(isms.cvss) (
  SFUNC = isms.cvss_larger, STYPE = isms.cvss,
  COMBINEFUNC = isms.cvss_larger, SORTOP = OPERATOR(isms.>), PARALLEL = SAFE
);
COMMENT ON AGGREGATE isms.max(isms.cvss) IS 'Highest CVSS vector (highest score; ties by version, then metrics)';

-- Scores and metrics.  Scores are numeric with one decimal, as FIRST prints them.

CREATE FUNCTION isms.cvss_version(isms.cvss) RETURNS text
  AS 'MODULE_PATHNAME', 'isms_cvss_version' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.cvss_version(isms.cvss) IS
  'CVSS version of the vector: 3.0, 3.1 or 4.0';

CREATE FUNCTION isms.cvss_base_score(isms.cvss) RETURNS numeric
  AS 'MODULE_PATHNAME', 'isms_cvss_base_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.cvss_base_score(isms.cvss) IS
  'Base score (0.0-10.0); for CVSS 4.0 the CVSS-B score, threat and environmental metrics ignored';

CREATE FUNCTION isms.cvss_temporal_score(isms.cvss) RETURNS numeric
  AS 'MODULE_PATHNAME', 'isms_cvss_temporal_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.cvss_temporal_score(isms.cvss) IS
  'CVSS 3.x temporal score (equals the base score when no temporal metric is set); NULL for CVSS 4.0';

CREATE FUNCTION isms.cvss_environmental_score(isms.cvss) RETURNS numeric
  AS 'MODULE_PATHNAME', 'isms_cvss_environmental_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.cvss_environmental_score(isms.cvss) IS
  'CVSS 3.x environmental score (its formula even when no environmental metric is set, as FIRST''s calculator shows it); NULL for CVSS 4.0';

CREATE FUNCTION isms.cvss_score(isms.cvss) RETURNS numeric
  AS 'MODULE_PATHNAME', 'isms_cvss_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.cvss_score(isms.cvss) IS
  'Most specific score the vector allows: 3.x environmental if an environmental metric is set, else temporal if a temporal one is, else base; 4.0 the CVSS-B/BT/BE/BTE score';

CREATE FUNCTION isms.cvss_severity(isms.cvss) RETURNS text
  AS 'MODULE_PATHNAME', 'isms_cvss_severity' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.cvss_severity(isms.cvss) IS
  'Qualitative rating of isms.cvss_score: None (0.0), Low (0.1-3.9), Medium (4.0-6.9), High (7.0-8.9), Critical (9.0-10.0)';

CREATE FUNCTION isms.cvss_metric(isms.cvss, metric text) RETURNS text
  AS 'MODULE_PATHNAME', 'isms_cvss_metric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.cvss_metric(isms.cvss, text) IS
  'Value of one metric (e.g. AV -> N); X when an optional metric is not defined; NULL when the metric belongs only to another CVSS version; 22023 for an unknown metric name';

-- The min and max aggregates share their names, so their class, with
-- isms.risk_score's (sql/100_risk_score.sql).
INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.cvss_in', 'read', NULL),
  ('isms.cvss_out', 'read', NULL),
  ('isms.cvss_recv', 'read', NULL),
  ('isms.cvss_send', 'read', NULL),
  ('isms.cvss_eq', 'read', NULL),
  ('isms.cvss_ne', 'read', NULL),
  ('isms.cvss_lt', 'read', NULL),
  ('isms.cvss_le', 'read', NULL),
  ('isms.cvss_gt', 'read', NULL),
  ('isms.cvss_ge', 'read', NULL),
  ('isms.cvss_cmp', 'read', NULL),
  ('isms.cvss_hash', 'read', NULL),
  ('isms.cvss_hash_extended', 'read', NULL),
  ('isms.cvss_smaller', 'read', NULL),
  ('isms.cvss_larger', 'read', NULL),
  ('isms.cvss_version', 'read', NULL),
  ('isms.cvss_base_score', 'read', NULL),
  ('isms.cvss_temporal_score', 'read', NULL),
  ('isms.cvss_environmental_score', 'read', NULL),
  ('isms.cvss_score', 'read', NULL),
  ('isms.cvss_severity', 'read', NULL),
  ('isms.cvss_metric', 'read', NULL);
