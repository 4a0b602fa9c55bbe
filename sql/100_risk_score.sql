
-- isms.risk_score: a point on a likelihood x impact matrix ("4x5"), a
-- 4-byte pass-by-value type that sorts by product, then impact, then
-- likelihood.  Optional typmod risk_score(n) bounds both axes to 1..n.
-- C functions are in src/risk_score.c; docs in docs/reference/risk_score.md.

CREATE TYPE isms.risk_score;

CREATE FUNCTION isms.risk_score_in(cstring, oid, integer) RETURNS isms.risk_score
  AS 'MODULE_PATHNAME', 'isms_risk_score_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.risk_score_in(cstring, oid, integer) IS
  'Text input of isms.risk_score ("LxI", for example "4x5")';
CREATE FUNCTION isms.risk_score_out(isms.risk_score) RETURNS cstring
  AS 'MODULE_PATHNAME', 'isms_risk_score_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.risk_score_out(isms.risk_score) IS
  'Text output of isms.risk_score: the canonical "LxI"';
CREATE FUNCTION isms.risk_score_recv(internal, oid, integer) RETURNS isms.risk_score
  AS 'MODULE_PATHNAME', 'isms_risk_score_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.risk_score_recv(internal, oid, integer) IS
  'Binary input of isms.risk_score: version byte 1, likelihood and impact as int2';
CREATE FUNCTION isms.risk_score_send(isms.risk_score) RETURNS bytea
  AS 'MODULE_PATHNAME', 'isms_risk_score_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.risk_score_send(isms.risk_score) IS
  'Binary output of isms.risk_score: version byte 1, likelihood and impact as int2';
CREATE FUNCTION isms.risk_score_typmod_in(cstring[]) RETURNS integer
  AS 'MODULE_PATHNAME', 'isms_risk_score_typmod_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.risk_score_typmod_in(cstring[]) IS
  'Type modifier input of isms.risk_score(n): the matrix size n, 1 to 255';
CREATE FUNCTION isms.risk_score_typmod_out(integer) RETURNS cstring
  AS 'MODULE_PATHNAME', 'isms_risk_score_typmod_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.risk_score_typmod_out(integer) IS
  'Type modifier output of isms.risk_score(n)';

CREATE TYPE isms.risk_score (
  INPUT = isms.risk_score_in,
  OUTPUT = isms.risk_score_out,
  RECEIVE = isms.risk_score_recv,
  SEND = isms.risk_score_send,
  TYPMOD_IN = isms.risk_score_typmod_in,
  TYPMOD_OUT = isms.risk_score_typmod_out,
  INTERNALLENGTH = 4,
  PASSEDBYVALUE,
  ALIGNMENT = int4,
  STORAGE = plain
);
COMMENT ON TYPE isms.risk_score IS
  'Risk score: likelihood x impact on a risk matrix, written "LxI" (e.g. "4x5"); ordered by product, then impact, then likelihood; risk_score(n) bounds both axes to 1..n';

-- Length coercion to risk_score(n), applied on assignment like varchar(n).
CREATE FUNCTION isms.risk_score(isms.risk_score, integer, boolean) RETURNS isms.risk_score
  AS 'MODULE_PATHNAME', 'isms_risk_score_typmod_apply' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.risk_score(isms.risk_score, integer, boolean) IS
  'Cast to isms.risk_score(n): raises 22003 when likelihood or impact exceeds n';
CREATE CAST (isms.risk_score AS isms.risk_score)
  WITH FUNCTION isms.risk_score(isms.risk_score, integer, boolean) AS IMPLICIT;

CREATE FUNCTION isms.risk_score(likelihood integer, impact integer) RETURNS isms.risk_score
  AS 'MODULE_PATHNAME', 'isms_risk_score_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.risk_score(integer, integer) IS
  'The risk score of a likelihood and an impact, each 1 to 255 (22003 otherwise)';
CREATE FUNCTION isms.likelihood(isms.risk_score) RETURNS integer
  AS 'MODULE_PATHNAME', 'isms_risk_score_likelihood' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.likelihood(isms.risk_score) IS 'Likelihood of a risk score (4 for "4x5")';
CREATE FUNCTION isms.impact(isms.risk_score) RETURNS integer
  AS 'MODULE_PATHNAME', 'isms_risk_score_impact' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.impact(isms.risk_score) IS 'Impact of a risk score (5 for "4x5")';
CREATE FUNCTION isms.score(isms.risk_score) RETURNS integer
  AS 'MODULE_PATHNAME', 'isms_risk_score_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.score(isms.risk_score) IS
  'Product likelihood x impact of a risk score (20 for "4x5"), the first sort key';

-- Comparison, sorting and hashing support.
CREATE FUNCTION isms.risk_score_eq(isms.risk_score, isms.risk_score) RETURNS boolean
  AS 'MODULE_PATHNAME', 'isms_risk_score_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION isms.risk_score_eq(isms.risk_score, isms.risk_score) IS 'Implements = for isms.risk_score';
CREATE FUNCTION isms.risk_score_ne(isms.risk_score, isms.risk_score) RETURNS boolean
  AS 'MODULE_PATHNAME', 'isms_risk_score_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION isms.risk_score_ne(isms.risk_score, isms.risk_score) IS 'Implements <> for isms.risk_score';
CREATE FUNCTION isms.risk_score_lt(isms.risk_score, isms.risk_score) RETURNS boolean
  AS 'MODULE_PATHNAME', 'isms_risk_score_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION isms.risk_score_lt(isms.risk_score, isms.risk_score) IS 'Implements < for isms.risk_score';
CREATE FUNCTION isms.risk_score_le(isms.risk_score, isms.risk_score) RETURNS boolean
  AS 'MODULE_PATHNAME', 'isms_risk_score_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION isms.risk_score_le(isms.risk_score, isms.risk_score) IS 'Implements <= for isms.risk_score';
CREATE FUNCTION isms.risk_score_gt(isms.risk_score, isms.risk_score) RETURNS boolean
  AS 'MODULE_PATHNAME', 'isms_risk_score_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION isms.risk_score_gt(isms.risk_score, isms.risk_score) IS 'Implements > for isms.risk_score';
CREATE FUNCTION isms.risk_score_ge(isms.risk_score, isms.risk_score) RETURNS boolean
  AS 'MODULE_PATHNAME', 'isms_risk_score_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION isms.risk_score_ge(isms.risk_score, isms.risk_score) IS 'Implements >= for isms.risk_score';
CREATE FUNCTION isms.risk_score_cmp(isms.risk_score, isms.risk_score) RETURNS integer
  AS 'MODULE_PATHNAME', 'isms_risk_score_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION isms.risk_score_cmp(isms.risk_score, isms.risk_score) IS
  'B-tree comparison of isms.risk_score: -1, 0 or 1 (product, then impact, then likelihood)';
CREATE FUNCTION isms.risk_score_sortsupport(internal) RETURNS void
  AS 'MODULE_PATHNAME', 'isms_risk_score_sortsupport' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.risk_score_sortsupport(internal) IS 'B-tree sort support of isms.risk_score';
CREATE FUNCTION isms.risk_score_hash(isms.risk_score) RETURNS integer
  AS 'MODULE_PATHNAME', 'isms_risk_score_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION isms.risk_score_hash(isms.risk_score) IS 'Hash of isms.risk_score (hash joins, hash aggregates, hash indexes)';
CREATE FUNCTION isms.risk_score_hash_extended(isms.risk_score, bigint) RETURNS bigint
  AS 'MODULE_PATHNAME', 'isms_risk_score_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION isms.risk_score_hash_extended(isms.risk_score, bigint) IS
  'Seeded 64-bit hash of isms.risk_score (hash partitioning)';
CREATE FUNCTION isms.risk_score_smaller(isms.risk_score, isms.risk_score) RETURNS isms.risk_score
  AS 'MODULE_PATHNAME', 'isms_risk_score_smaller' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.risk_score_smaller(isms.risk_score, isms.risk_score) IS
  'The smaller of two risk scores (transition function of isms.min)';
CREATE FUNCTION isms.risk_score_larger(isms.risk_score, isms.risk_score) RETURNS isms.risk_score
  AS 'MODULE_PATHNAME', 'isms_risk_score_larger' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.risk_score_larger(isms.risk_score, isms.risk_score) IS
  'The larger of two risk scores (transition function of isms.max)';

CREATE OPERATOR isms.= (
  LEFTARG = isms.risk_score, RIGHTARG = isms.risk_score, FUNCTION = isms.risk_score_eq,
  COMMUTATOR = OPERATOR(isms.=), NEGATOR = OPERATOR(isms.<>),
  RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
COMMENT ON OPERATOR isms.= (isms.risk_score, isms.risk_score) IS 'equal';
CREATE OPERATOR isms.<> (
  LEFTARG = isms.risk_score, RIGHTARG = isms.risk_score, FUNCTION = isms.risk_score_ne,
  COMMUTATOR = OPERATOR(isms.<>), NEGATOR = OPERATOR(isms.=),
  RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR isms.<> (isms.risk_score, isms.risk_score) IS 'not equal';
CREATE OPERATOR isms.< (
  LEFTARG = isms.risk_score, RIGHTARG = isms.risk_score, FUNCTION = isms.risk_score_lt,
  COMMUTATOR = OPERATOR(isms.>), NEGATOR = OPERATOR(isms.>=),
  RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
COMMENT ON OPERATOR isms.< (isms.risk_score, isms.risk_score) IS 'less than (product, then impact, then likelihood)';
CREATE OPERATOR isms.<= (
  LEFTARG = isms.risk_score, RIGHTARG = isms.risk_score, FUNCTION = isms.risk_score_le,
  COMMUTATOR = OPERATOR(isms.>=), NEGATOR = OPERATOR(isms.>),
  RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
COMMENT ON OPERATOR isms.<= (isms.risk_score, isms.risk_score) IS 'less than or equal';
CREATE OPERATOR isms.> (
  LEFTARG = isms.risk_score, RIGHTARG = isms.risk_score, FUNCTION = isms.risk_score_gt,
  COMMUTATOR = OPERATOR(isms.<), NEGATOR = OPERATOR(isms.<=),
  RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
COMMENT ON OPERATOR isms.> (isms.risk_score, isms.risk_score) IS 'greater than (product, then impact, then likelihood)';
CREATE OPERATOR isms.>= (
  LEFTARG = isms.risk_score, RIGHTARG = isms.risk_score, FUNCTION = isms.risk_score_ge,
  COMMUTATOR = OPERATOR(isms.<=), NEGATOR = OPERATOR(isms.<),
  RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR isms.>= (isms.risk_score, isms.risk_score) IS 'greater than or equal';

CREATE OPERATOR CLASS isms.risk_score_ops
  DEFAULT FOR TYPE isms.risk_score USING btree AS
    OPERATOR 1 isms.<,
    OPERATOR 2 isms.<=,
    OPERATOR 3 isms.=,
    OPERATOR 4 isms.>=,
    OPERATOR 5 isms.>,
    FUNCTION 1 isms.risk_score_cmp(isms.risk_score, isms.risk_score),
    FUNCTION 2 isms.risk_score_sortsupport(internal),
    FUNCTION 4 pg_catalog.btequalimage(oid);
COMMENT ON OPERATOR CLASS isms.risk_score_ops USING btree IS
  'B-tree order of isms.risk_score: product, then impact, then likelihood';

CREATE OPERATOR CLASS isms.risk_score_hash_ops
  DEFAULT FOR TYPE isms.risk_score USING hash AS
    OPERATOR 1 isms.=,
    FUNCTION 1 isms.risk_score_hash(isms.risk_score),
    FUNCTION 2 isms.risk_score_hash_extended(isms.risk_score, bigint);
COMMENT ON OPERATOR CLASS isms.risk_score_hash_ops USING hash IS
  'Hash equality of isms.risk_score (hash joins, hash aggregates, hash partitioning)';

CREATE AGGREGATE isms.min(isms.risk_score) (
  SFUNC = isms.risk_score_smaller, STYPE = isms.risk_score,
  COMBINEFUNC = isms.risk_score_smaller, SORTOP = OPERATOR(isms.<), PARALLEL = SAFE
);
COMMENT ON AGGREGATE isms.min(isms.risk_score) IS 'Lowest risk score of a group (the order of isms.risk_score)';
CREATE AGGREGATE isms.max(isms.risk_score) (
  SFUNC = isms.risk_score_larger, STYPE = isms.risk_score,
  COMBINEFUNC = isms.risk_score_larger, SORTOP = OPERATOR(isms.>), PARALLEL = SAFE
);
COMMENT ON AGGREGATE isms.max(isms.risk_score) IS 'Highest risk score of a group (the order of isms.risk_score)';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.risk_score_in', 'read', NULL),
  ('isms.risk_score_out', 'read', NULL),
  ('isms.risk_score_recv', 'read', NULL),
  ('isms.risk_score_send', 'read', NULL),
  ('isms.risk_score_typmod_in', 'read', NULL),
  ('isms.risk_score_typmod_out', 'read', NULL),
  ('isms.risk_score', 'read', NULL),
  ('isms.likelihood', 'read', NULL),
  ('isms.impact', 'read', NULL),
  ('isms.score', 'read', NULL),
  ('isms.risk_score_eq', 'read', NULL),
  ('isms.risk_score_ne', 'read', NULL),
  ('isms.risk_score_lt', 'read', NULL),
  ('isms.risk_score_le', 'read', NULL),
  ('isms.risk_score_gt', 'read', NULL),
  ('isms.risk_score_ge', 'read', NULL),
  ('isms.risk_score_cmp', 'read', NULL),
  ('isms.risk_score_sortsupport', 'read', NULL),
  ('isms.risk_score_hash', 'read', NULL),
  ('isms.risk_score_hash_extended', 'read', NULL),
  ('isms.risk_score_smaller', 'read', NULL),
  ('isms.risk_score_larger', 'read', NULL),
  ('isms.min', 'read', NULL),
  ('isms.max', 'read', NULL);
