-- pg_isms extension script, assembled from sql/install/*.sql in name order.
\echo Use "CREATE EXTENSION pg_isms" to load this file. \quit

-- The schema is made here, as a member of the extension, so DROP EXTENSION
-- removes it with everything in it (see docs/design-decisions.md: why the
-- control file names pg_catalog).  An existing schema "isms" is an error,
-- never silently adopted.
CREATE SCHEMA isms;
COMMENT ON SCHEMA isms IS
  'pg_isms: ISO/IEC 27001 information security management system (risk register, Annex A catalogue, Statement of Applicability, audit cycle, calendars)';

-- Nothing in isms is usable by PUBLIC unless granted below or by
-- isms.grant_reader/editor/admin.
REVOKE ALL ON SCHEMA isms FROM PUBLIC;

CREATE FUNCTION isms.version() RETURNS text
  AS 'MODULE_PATHNAME', 'isms_version'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.version() IS
  'Version of the loaded pg_isms C module; equals the installed extension version';

-- isms.scope: the ISMS scopes (an organisation or a business unit).  Every
-- register, SoA, certificate and reminder belongs to one; functions take the
-- scope by its text id.

CREATE TABLE isms.scope (
  id          text PRIMARY KEY
              CONSTRAINT scope_id_format CHECK (id ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
  name        text NOT NULL CONSTRAINT scope_name_not_blank CHECK (btrim(name) <> ''),
  description text,
  created_at  timestamptz DEFAULT now()
);
COMMENT ON TABLE isms.scope IS
  'ISMS scopes (ISO/IEC 27001 clause 4.3): an organisation or business unit whose ISMS is managed here; the scope "default" is created at install';
COMMENT ON COLUMN isms.scope.id IS
  'Scope id used by every function and table: lower-case letters, digits, "_", "-", "." (1 to 63 characters, starting with a letter or digit)';
COMMENT ON COLUMN isms.scope.name IS 'Display name of the scope';
COMMENT ON COLUMN isms.scope.description IS 'What the scope covers (boundaries, sites, services)';
COMMENT ON COLUMN isms.scope.created_at IS 'When the scope was created; NULL for the built-in scope "default"';

INSERT INTO isms.scope (id, name, description, created_at)
VALUES ('default', 'Default scope', 'Created by CREATE EXTENSION pg_isms', NULL);

-- User scopes survive pg_dump; the "default" row is recreated by CREATE
-- EXTENSION, so it is read-only: an edit to it could not survive a dump.
SELECT pg_catalog.pg_extension_config_dump('isms.scope', $$WHERE id <> 'default'$$);

CREATE FUNCTION isms.scope_protect_default() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF OLD.id = 'default' THEN
    RAISE EXCEPTION 'the built-in scope "default" cannot be changed or deleted'
      USING ERRCODE = '55000',
            HINT = 'Create a scope of your own: INSERT INTO isms.scope (id, name) VALUES (...).';
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION isms.scope_protect_default() IS
  'Trigger function: refuses UPDATE or DELETE of the built-in scope "default" (SQLSTATE 55000), which CREATE EXTENSION recreates and pg_dump does not carry';

CREATE TRIGGER scope_protect_default BEFORE UPDATE OR DELETE ON isms.scope
  FOR EACH ROW EXECUTE FUNCTION isms.scope_protect_default();

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

-- Risk matrices and levels: named matrices (size, appetite), their levels
-- (rank, colour, review cadence) and the cell -> level map, filled cell by
-- cell or from score thresholds by isms.risk_matrix_fill().  The seeded
-- matrix "default" (5x5: low, medium, high, critical) is part of the
-- extension and read-only; copy it with isms.risk_matrix_copy() to change it.

CREATE TABLE isms.risk_matrix (
  id          text PRIMARY KEY
              CONSTRAINT risk_matrix_id_format CHECK (id ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
  name        text NOT NULL CONSTRAINT risk_matrix_name_not_blank CHECK (btrim(name) <> ''),
  size        integer NOT NULL CONSTRAINT risk_matrix_size_range CHECK (size BETWEEN 1 AND 255),
  appetite    integer NOT NULL CONSTRAINT risk_matrix_appetite_positive CHECK (appetite >= 1),
  description text
);
COMMENT ON TABLE isms.risk_matrix IS
  'Risk matrices (ISO/IEC 27005 risk criteria): a square likelihood x impact grid whose cells map to levels; "default" (5x5) is built in and read-only';
COMMENT ON COLUMN isms.risk_matrix.id IS
  'Matrix id used by isms.risk_level() and isms.within_appetite(): lower-case letters, digits, "_", "-", "." (1 to 63 characters)';
COMMENT ON COLUMN isms.risk_matrix.name IS 'Display name of the matrix';
COMMENT ON COLUMN isms.risk_matrix.size IS
  'Number of likelihood and of impact steps (1 to 255); scores of this matrix fit isms.risk_score(size)';
COMMENT ON COLUMN isms.risk_matrix.appetite IS
  'Risk appetite: the highest level rank that is acceptable; a score whose level rank is at most this is within appetite';
COMMENT ON COLUMN isms.risk_matrix.description IS 'How the matrix is meant to be used (scales, who approved it)';

CREATE TABLE isms.risk_level (
  matrix          text NOT NULL REFERENCES isms.risk_matrix (id) ON UPDATE CASCADE ON DELETE CASCADE,
  name            text NOT NULL
                  CONSTRAINT risk_level_name_format CHECK (name <> '' AND btrim(name) = name AND length(name) <= 63),
  rank            integer NOT NULL CONSTRAINT risk_level_rank_positive CHECK (rank >= 1),
  colour          text NOT NULL CONSTRAINT risk_level_colour_format CHECK (colour ~ '^#[0-9A-Fa-f]{6}$'),
  review_interval interval NOT NULL
                  CONSTRAINT risk_level_review_interval_positive CHECK (review_interval > interval '0'),
  PRIMARY KEY (matrix, name),
  CONSTRAINT risk_level_rank_unique UNIQUE (matrix, rank)
);
COMMENT ON TABLE isms.risk_level IS
  'Levels of a risk matrix (low, medium, ...): rank, heat-map colour and how often a risk at that level is reviewed; also the row type isms.risk_level() returns';
COMMENT ON COLUMN isms.risk_level.matrix IS 'The matrix (isms.risk_matrix.id) the level belongs to';
COMMENT ON COLUMN isms.risk_level.name IS 'Level name, unique in its matrix (no surrounding spaces, at most 63 characters)';
COMMENT ON COLUMN isms.risk_level.rank IS 'Severity order within the matrix: 1 is the lowest; unique in its matrix';
COMMENT ON COLUMN isms.risk_level.colour IS 'Heat-map colour as "#rrggbb"';
COMMENT ON COLUMN isms.risk_level.review_interval IS 'How often a risk at this level is reviewed (positive interval)';

CREATE TABLE isms.risk_matrix_cell (
  matrix     text NOT NULL REFERENCES isms.risk_matrix (id) ON UPDATE CASCADE ON DELETE CASCADE,
  likelihood integer NOT NULL CONSTRAINT risk_matrix_cell_likelihood_range CHECK (likelihood BETWEEN 1 AND 255),
  impact     integer NOT NULL CONSTRAINT risk_matrix_cell_impact_range CHECK (impact BETWEEN 1 AND 255),
  level      text NOT NULL,
  score      isms.risk_score GENERATED ALWAYS AS (isms.risk_score(likelihood, impact)) STORED,
  PRIMARY KEY (matrix, likelihood, impact),
  FOREIGN KEY (matrix, level) REFERENCES isms.risk_level (matrix, name) ON UPDATE CASCADE
);
COMMENT ON TABLE isms.risk_matrix_cell IS
  'Cell -> level map of a risk matrix: which level a likelihood x impact cell belongs to (both axes within the matrix size)';
COMMENT ON COLUMN isms.risk_matrix_cell.matrix IS 'The matrix (isms.risk_matrix.id)';
COMMENT ON COLUMN isms.risk_matrix_cell.likelihood IS 'Likelihood of the cell, 1 to the matrix size';
COMMENT ON COLUMN isms.risk_matrix_cell.impact IS 'Impact of the cell, 1 to the matrix size';
COMMENT ON COLUMN isms.risk_matrix_cell.level IS 'Name of the level (isms.risk_level.name in the same matrix)';
COMMENT ON COLUMN isms.risk_matrix_cell.score IS 'The cell as an isms.risk_score (generated from likelihood and impact)';

-- Cells must lie inside their matrix, also when the matrix shrinks.
CREATE FUNCTION isms.risk_matrix_cell_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, isms, pg_temp AS $$
DECLARE
  msize integer;
BEGIN
  SELECT m.size INTO msize FROM isms.risk_matrix m WHERE m.id OPERATOR(pg_catalog.=) NEW.matrix;
  IF msize IS NOT NULL AND (NEW.likelihood > msize OR NEW.impact > msize) THEN
    RAISE EXCEPTION 'cell %x% lies outside the %x% risk matrix "%"',
                    NEW.likelihood, NEW.impact, msize, msize, NEW.matrix
      USING ERRCODE = 'check_violation', CONSTRAINT = 'risk_matrix_cell_within_size',
            TABLE = 'risk_matrix_cell', SCHEMA = 'isms';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION isms.risk_matrix_cell_check() IS
  'Trigger: refuses (23514) a cell of isms.risk_matrix_cell outside its matrix size';
CREATE TRIGGER risk_matrix_cell_within_size BEFORE INSERT OR UPDATE ON isms.risk_matrix_cell
  FOR EACH ROW EXECUTE FUNCTION isms.risk_matrix_cell_check();

CREATE FUNCTION isms.risk_matrix_size_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, isms, pg_temp AS $$
BEGIN
  IF NEW.size < OLD.size AND EXISTS (
       SELECT FROM isms.risk_matrix_cell c
        WHERE c.matrix OPERATOR(pg_catalog.=) NEW.id
          AND (c.likelihood > NEW.size OR c.impact > NEW.size)) THEN
    RAISE EXCEPTION 'risk matrix "%" has cells outside %x%', NEW.id, NEW.size, NEW.size
      USING ERRCODE = 'check_violation', CONSTRAINT = 'risk_matrix_cell_within_size',
            TABLE = 'risk_matrix', SCHEMA = 'isms',
            HINT = 'Delete those cells from isms.risk_matrix_cell first.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION isms.risk_matrix_size_check() IS
  'Trigger: refuses (23514) shrinking an isms.risk_matrix below one of its cells';
CREATE TRIGGER risk_matrix_size_shrink BEFORE UPDATE OF size ON isms.risk_matrix
  FOR EACH ROW EXECUTE FUNCTION isms.risk_matrix_size_check();

-- isms.risk_level(score, matrix): the level row of a score.  In C
-- (src/risk_level.c): it reads the matrix once per query and snapshot, so
-- it costs about what a join to the cell table costs.
CREATE FUNCTION isms.risk_level(score isms.risk_score, matrix text DEFAULT 'default')
RETURNS isms.risk_level
AS 'MODULE_PATHNAME', 'isms_risk_level' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.risk_level(isms.risk_score, text) IS
  'The level (isms.risk_level row: name, rank, colour, review_interval) of a risk score in a matrix ("default" unless named); 22003 outside the matrix, 22023 unknown matrix, P0002 unmapped cell';

CREATE FUNCTION isms.within_appetite(score isms.risk_score, matrix text DEFAULT 'default')
RETURNS boolean
AS 'MODULE_PATHNAME', 'isms_within_appetite' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.within_appetite(isms.risk_score, text) IS
  'Whether a risk score is within the appetite of a matrix ("default" unless named): its level rank is at most the matrix appetite';

-- Banding by thresholds: every cell gets the level with the largest
-- threshold not above likelihood x impact.
CREATE FUNCTION isms.risk_matrix_fill(matrix text, thresholds jsonb) RETURNS integer
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, isms, pg_temp AS $$
DECLARE
  msize integer;
  bad text;
  written integer;
BEGIN
  SELECT m.size INTO msize FROM isms.risk_matrix m WHERE m.id OPERATOR(pg_catalog.=) risk_matrix_fill.matrix
    FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk matrix "%" does not exist', risk_matrix_fill.matrix
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF jsonb_typeof(thresholds) IS DISTINCT FROM 'object' OR thresholds OPERATOR(pg_catalog.=) '{}' THEN
    RAISE EXCEPTION 'thresholds must be a JSON object of level name to lowest score, not %', thresholds
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'For example {"low": 1, "medium": 5, "high": 10, "critical": 20}.';
  END IF;
  SELECT string_agg(format('%s: %s', t.key, t.value), ', ') INTO bad
    FROM jsonb_each(thresholds) t
   WHERE jsonb_typeof(t.value) IS DISTINCT FROM 'number'
      OR t.value::text !~ '^[0-9]{1,5}$' OR t.value::text::integer < 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'thresholds must be whole numbers from 1 to 65025: %', bad
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT string_agg(quote_ident(t.key), ', ') INTO bad
    FROM jsonb_each(thresholds) t
   WHERE NOT EXISTS (SELECT FROM isms.risk_level l
                      WHERE l.matrix OPERATOR(pg_catalog.=) risk_matrix_fill.matrix
                        AND l.name OPERATOR(pg_catalog.=) t.key);
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'risk matrix "%" has no level %', risk_matrix_fill.matrix, bad
      USING ERRCODE = 'foreign_key_violation',
            HINT = 'Insert the levels into isms.risk_level first.';
  END IF;
  IF (SELECT min(t.value::text::integer) FROM jsonb_each(thresholds) t) <> 1 THEN
    RAISE EXCEPTION 'the lowest threshold must be 1, so that every cell gets a level'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF EXISTS (SELECT FROM jsonb_each(thresholds) a
               JOIN isms.risk_level la ON la.matrix OPERATOR(pg_catalog.=) risk_matrix_fill.matrix
                                      AND la.name OPERATOR(pg_catalog.=) a.key
               JOIN jsonb_each(thresholds) b ON a.value::text::integer < b.value::text::integer
               JOIN isms.risk_level lb ON lb.matrix OPERATOR(pg_catalog.=) risk_matrix_fill.matrix
                                      AND lb.name OPERATOR(pg_catalog.=) b.key
              WHERE la.rank > lb.rank)
     OR (SELECT count(DISTINCT t.value) FROM jsonb_each(thresholds) t)
        <> (SELECT count(*) FROM jsonb_each(thresholds)) THEN
    RAISE EXCEPTION 'thresholds must rise with the level rank'
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = 'A level of higher rank needs a higher lowest score.';
  END IF;
  DELETE FROM isms.risk_matrix_cell c WHERE c.matrix OPERATOR(pg_catalog.=) risk_matrix_fill.matrix;
  INSERT INTO isms.risk_matrix_cell (matrix, likelihood, impact, level)
  SELECT risk_matrix_fill.matrix, l, i,
         (SELECT t.key FROM jsonb_each(thresholds) t
           WHERE t.value::text::integer <= l * i
           ORDER BY t.value::text::integer DESC LIMIT 1)
    FROM generate_series(1, msize) l, generate_series(1, msize) i;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$$;
COMMENT ON FUNCTION isms.risk_matrix_fill(text, jsonb) IS
  'Fills every cell of a matrix from score thresholds {"level": lowest likelihood x impact, ...} (replacing its cells); returns the number of cells written';

-- Not STRICT: name has a default of NULL, and a STRICT function called
-- with it omitted would silently do nothing.
CREATE FUNCTION isms.risk_matrix_copy(source text, target text, name text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, isms, pg_temp AS $$
BEGIN
  IF source IS NULL OR target IS NULL THEN
    RAISE EXCEPTION 'risk_matrix_copy needs a source and a target matrix id'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  INSERT INTO isms.risk_matrix (id, name, size, appetite, description)
  SELECT target, coalesce(risk_matrix_copy.name, m.name || ' (copy)'), m.size, m.appetite, m.description
    FROM isms.risk_matrix m WHERE m.id OPERATOR(pg_catalog.=) source;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk matrix "%" does not exist', source USING ERRCODE = 'invalid_parameter_value';
  END IF;
  INSERT INTO isms.risk_level (matrix, name, rank, colour, review_interval)
  SELECT target, l.name, l.rank, l.colour, l.review_interval
    FROM isms.risk_level l WHERE l.matrix OPERATOR(pg_catalog.=) source;
  INSERT INTO isms.risk_matrix_cell (matrix, likelihood, impact, level)
  SELECT target, c.likelihood, c.impact, c.level
    FROM isms.risk_matrix_cell c WHERE c.matrix OPERATOR(pg_catalog.=) source;
END
$$;
COMMENT ON FUNCTION isms.risk_matrix_copy(text, text, text) IS
  'Copies a matrix with its levels and cells under a new id (and name), e.g. to adapt the built-in "default"';

-- The built-in matrix.
INSERT INTO isms.risk_matrix (id, name, size, appetite, description)
VALUES ('default', 'Default 5x5 matrix', 5, 2,
        'Built in: likelihood and impact 1 (rare / negligible) to 5 (almost certain / severe); low and medium risks are within appetite');
INSERT INTO isms.risk_level (matrix, name, rank, colour, review_interval) VALUES
  ('default', 'low',      1, '#2e7d32', interval '12 months'),
  ('default', 'medium',   2, '#f9a825', interval '6 months'),
  ('default', 'high',     3, '#ef6c00', interval '3 months'),
  ('default', 'critical', 4, '#c62828', interval '1 month');
SELECT isms.risk_matrix_fill('default', '{"low": 1, "medium": 5, "high": 10, "critical": 20}');

-- The built-in rows are recreated by CREATE EXTENSION, never dumped, and
-- so must not change: a change would be lost by pg_dump/restore.
CREATE FUNCTION isms.risk_matrix_builtin_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, isms, pg_temp AS $$
DECLARE
  col text := TG_ARGV[0];
BEGIN
  IF (TG_OP <> 'INSERT' AND to_jsonb(OLD) ->> col OPERATOR(pg_catalog.=) 'default')
     OR (TG_OP <> 'DELETE' AND to_jsonb(NEW) ->> col OPERATOR(pg_catalog.=) 'default') THEN
    RAISE EXCEPTION 'the built-in risk matrix "default" cannot be changed'
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Copy it with isms.risk_matrix_copy(''default'', ''mine'') and change the copy.';
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION isms.risk_matrix_builtin_guard() IS
  'Trigger: refuses (42501) changes to the built-in matrix "default", its levels and cells';
CREATE TRIGGER risk_matrix_builtin BEFORE INSERT OR UPDATE OR DELETE ON isms.risk_matrix
  FOR EACH ROW EXECUTE FUNCTION isms.risk_matrix_builtin_guard('id');
CREATE TRIGGER risk_level_builtin BEFORE INSERT OR UPDATE OR DELETE ON isms.risk_level
  FOR EACH ROW EXECUTE FUNCTION isms.risk_matrix_builtin_guard('matrix');
CREATE TRIGGER risk_matrix_cell_builtin BEFORE INSERT OR UPDATE OR DELETE ON isms.risk_matrix_cell
  FOR EACH ROW EXECUTE FUNCTION isms.risk_matrix_builtin_guard('matrix');

-- User matrices survive pg_dump; "default" is recreated by CREATE EXTENSION.
SELECT pg_catalog.pg_extension_config_dump('isms.risk_matrix', $$WHERE id <> 'default'$$);
SELECT pg_catalog.pg_extension_config_dump('isms.risk_level', $$WHERE matrix <> 'default'$$);
SELECT pg_catalog.pg_extension_config_dump('isms.risk_matrix_cell', $$WHERE matrix <> 'default'$$);

-- A flat view of every matrix cell with its level, for BI heat-map legends.
CREATE VIEW isms.risk_matrix_grid AS
SELECT c.matrix, c.likelihood, c.impact, c.score, isms.score(c.score) AS product,
       l.name AS level, l.rank, l.colour, l.review_interval,
       l.rank OPERATOR(pg_catalog.<=) m.appetite AS within_appetite
  FROM isms.risk_matrix_cell c
  JOIN isms.risk_matrix m ON m.id OPERATOR(pg_catalog.=) c.matrix
  JOIN isms.risk_level l ON l.matrix OPERATOR(pg_catalog.=) c.matrix
                        AND l.name OPERATOR(pg_catalog.=) c.level;
COMMENT ON VIEW isms.risk_matrix_grid IS
  'Every cell of every risk matrix with its level, colour and appetite verdict: the legend and background of a heat map';
COMMENT ON COLUMN isms.risk_matrix_grid.matrix IS 'Matrix id (isms.risk_matrix.id)';
COMMENT ON COLUMN isms.risk_matrix_grid.likelihood IS 'Likelihood of the cell (row of the heat map)';
COMMENT ON COLUMN isms.risk_matrix_grid.impact IS 'Impact of the cell (column of the heat map)';
COMMENT ON COLUMN isms.risk_matrix_grid.score IS 'The cell as an isms.risk_score ("LxI")';
COMMENT ON COLUMN isms.risk_matrix_grid.product IS 'Likelihood x impact';
COMMENT ON COLUMN isms.risk_matrix_grid.level IS 'Level name of the cell';
COMMENT ON COLUMN isms.risk_matrix_grid.rank IS 'Level rank (1 is the lowest)';
COMMENT ON COLUMN isms.risk_matrix_grid.colour IS 'Level colour "#rrggbb"';
COMMENT ON COLUMN isms.risk_matrix_grid.review_interval IS 'How often a risk in this cell is reviewed';
COMMENT ON COLUMN isms.risk_matrix_grid.within_appetite IS 'Whether a risk in this cell is within the matrix appetite';
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
-- isms.cvss_risk_score: a proposed isms.risk_score for a CVSS vector.  This
-- is a CONVENTION OF THIS PROJECT, not part of CVSS: FIRST defines severity,
-- not risk.  Impact comes from the CVSS qualitative rating, likelihood from
-- how easily and how surely the vulnerability is exploited; both are scaled
-- to the size of the chosen risk matrix.  Documented in docs/reference/cvss.md.

CREATE FUNCTION isms.cvss_risk_score(vector isms.cvss, matrix text DEFAULT 'default')
RETURNS isms.risk_score
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, isms, pg_temp AS $$
DECLARE
  msize integer;
  v4 boolean := isms.cvss_version(vector) OPERATOR(pg_catalog.=) '4.0';
  av text;
  ac text;
  attack_req text;
  pr text;
  ui text;
  e text;
  likelihood5 integer := 1;
  impact5 integer;
BEGIN
  SELECT m.size INTO msize FROM isms.risk_matrix m WHERE m.id OPERATOR(pg_catalog.=) cvss_risk_score.matrix;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk matrix "%" does not exist', cvss_risk_score.matrix
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Matrices are the rows of isms.risk_matrix.';
  END IF;

  -- effective values: a modified (environmental) metric replaces its base metric
  av := coalesce(nullif(isms.cvss_metric(vector, 'MAV'), 'X'), isms.cvss_metric(vector, 'AV'));
  ac := coalesce(nullif(isms.cvss_metric(vector, 'MAC'), 'X'), isms.cvss_metric(vector, 'AC'));
  pr := coalesce(nullif(isms.cvss_metric(vector, 'MPR'), 'X'), isms.cvss_metric(vector, 'PR'));
  ui := coalesce(nullif(isms.cvss_metric(vector, 'MUI'), 'X'), isms.cvss_metric(vector, 'UI'));
  attack_req := CASE WHEN v4
                     THEN coalesce(nullif(isms.cvss_metric(vector, 'MAT'), 'X'), isms.cvss_metric(vector, 'AT'))
                     ELSE 'N' END;
  e := isms.cvss_metric(vector, 'E');

  -- likelihood on a 1..5 scale: 1, plus one for each of
  IF av OPERATOR(pg_catalog.=) 'N' THEN                                   -- reachable over the network
    likelihood5 := likelihood5 + 1;
  END IF;
  IF ac OPERATOR(pg_catalog.=) 'L' AND attack_req OPERATOR(pg_catalog.=) 'N' THEN  -- no special conditions
    likelihood5 := likelihood5 + 1;
  END IF;
  IF pr OPERATOR(pg_catalog.=) 'N' AND ui OPERATOR(pg_catalog.=) 'N' THEN  -- no account, no victim action
    likelihood5 := likelihood5 + 1;
  END IF;
  IF (v4 AND e OPERATOR(pg_catalog.=) 'A') OR (NOT v4 AND e IN ('H', 'F')) THEN  -- known exploitation or working exploit
    likelihood5 := likelihood5 + 1;
  ELSIF e OPERATOR(pg_catalog.=) 'U' THEN                                  -- no known exploit
    likelihood5 := greatest(likelihood5 - 1, 1);
  END IF;

  -- impact on a 1..5 scale: the qualitative severity rating
  impact5 := CASE isms.cvss_severity(vector)
               WHEN 'None' THEN 1 WHEN 'Low' THEN 2 WHEN 'Medium' THEN 3
               WHEN 'High' THEN 4 ELSE 5 END;

  -- scaled to the matrix: 1..5 onto 1..size
  RETURN isms.risk_score(greatest(1, ceil(likelihood5 * msize / 5.0)::integer),
                         greatest(1, ceil(impact5 * msize / 5.0)::integer));
END
$$;
COMMENT ON FUNCTION isms.cvss_risk_score(isms.cvss, text) IS
  'Project convention, not CVSS: proposes a risk score for a CVSS vector on a matrix ("default" unless named): impact from the severity rating (None..Critical -> 1..5), likelihood 1 plus network attack, low complexity, no privileges/interaction, known exploit (minus unproven), both scaled to the matrix size; 22023 unknown matrix';
-- Control catalogue: frameworks, their groups and controls with the five
-- ISO/IEC 27002:2022 attribute families (enum arrays: the vocabulary is the
-- type), and mappings between controls of different frameworks.  Seed rows
-- (sql/install/210_catalogue_seed.sql) carry builtin = true and are left out
-- of pg_dump; user rows are dumped.

-- The five attribute families of ISO/IEC 27002:2022 clause 4.2, spelt as the
-- standard's hashtags without '#', in the standard's order.
CREATE TYPE isms.control_type AS ENUM ('Preventive', 'Detective', 'Corrective');
COMMENT ON TYPE isms.control_type IS
  'ISO/IEC 27002:2022 attribute "control type": when the control acts relative to an incident';

CREATE TYPE isms.security_property AS ENUM ('Confidentiality', 'Integrity', 'Availability');
COMMENT ON TYPE isms.security_property IS
  'ISO/IEC 27002:2022 attribute "information security properties": what the control preserves';

CREATE TYPE isms.cybersecurity_concept AS ENUM ('Identify', 'Protect', 'Detect', 'Respond', 'Recover');
COMMENT ON TYPE isms.cybersecurity_concept IS
  'ISO/IEC 27002:2022 attribute "cybersecurity concepts" (the ISO/IEC TS 27110 framework functions)';

CREATE TYPE isms.operational_capability AS ENUM (
  'Governance', 'Asset_management', 'Information_protection', 'Human_resource_security',
  'Physical_security', 'System_and_network_security', 'Application_security',
  'Secure_configuration', 'Identity_and_access_management',
  'Threat_and_vulnerability_management', 'Continuity', 'Supplier_relationships_security',
  'Legal_and_compliance', 'Information_security_event_management',
  'Information_security_assurance');
COMMENT ON TYPE isms.operational_capability IS
  'ISO/IEC 27002:2022 attribute "operational capabilities": the practitioner''s view of the control';

CREATE TYPE isms.security_domain AS ENUM (
  'Governance_and_Ecosystem', 'Protection', 'Defence', 'Resilience');
COMMENT ON TYPE isms.security_domain IS
  'ISO/IEC 27002:2022 attribute "security domains"';

-- Order of groups and controls inside a framework when the inserting
-- statement gives none: insertion order, after every seeded position.
CREATE SEQUENCE isms.catalogue_position_seq AS integer START WITH 10000;
COMMENT ON SEQUENCE isms.catalogue_position_seq IS
  'Default position of user-added groups and controls (insertion order; seeds use 1..9999)';

CREATE TABLE isms.framework (
  id            text PRIMARY KEY
                CONSTRAINT framework_id_format CHECK (id ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
  name          text NOT NULL CONSTRAINT framework_name_not_blank CHECK (btrim(name) <> ''),
  version       text,
  publisher     text,
  description   text,
  oscal_uuid    uuid NOT NULL DEFAULT pg_catalog.gen_random_uuid(),
  last_modified timestamptz NOT NULL DEFAULT now(),
  builtin       boolean NOT NULL DEFAULT false,
  created_at    timestamptz DEFAULT now()
);
COMMENT ON TABLE isms.framework IS
  'Control frameworks (catalogues): the seeded iso27001-2022 and iso27001-2013, and any added by users or imported from OSCAL';
COMMENT ON COLUMN isms.framework.id IS
  'Framework id used by every function and table: lower-case letters, digits, "_", "-", "." (1 to 63 characters), e.g. iso27001-2022';
COMMENT ON COLUMN isms.framework.name IS 'Display name (OSCAL metadata title)';
COMMENT ON COLUMN isms.framework.version IS 'Version of the catalogue (OSCAL metadata version)';
COMMENT ON COLUMN isms.framework.publisher IS 'Who publishes the framework (e.g. ISO/IEC)';
COMMENT ON COLUMN isms.framework.description IS 'What the framework is and where its data comes from';
COMMENT ON COLUMN isms.framework.oscal_uuid IS
  'UUID of the catalog in OSCAL exchange: kept from an imported document, fixed for the seeds, random otherwise';
COMMENT ON COLUMN isms.framework.last_modified IS
  'When the catalogue content last changed (OSCAL metadata last-modified)';
COMMENT ON COLUMN isms.framework.builtin IS
  'true for frameworks shipped with the extension (recreated by CREATE EXTENSION, not dumped)';
COMMENT ON COLUMN isms.framework.created_at IS 'When the framework was added; NULL for the seeded ones';

CREATE TABLE isms.control_group (
  framework text NOT NULL REFERENCES isms.framework (id) ON DELETE CASCADE,
  id        text NOT NULL
            CONSTRAINT control_group_id_format
            CHECK (id <> '' AND btrim(id) = id AND length(id) <= 64 AND id !~ '[[:cntrl:]]'),
  title     text NOT NULL CONSTRAINT control_group_title_not_blank CHECK (btrim(title) <> ''),
  parent_id text,
  position  integer NOT NULL DEFAULT pg_catalog.nextval('isms.catalogue_position_seq'),
  builtin   boolean NOT NULL DEFAULT false,
  PRIMARY KEY (framework, id),
  CONSTRAINT control_group_not_own_parent CHECK (parent_id <> id)
);
COMMENT ON TABLE isms.control_group IS
  'Groups of controls inside a framework (Annex A themes, 2013 clauses, OSCAL groups), possibly nested';
COMMENT ON COLUMN isms.control_group.framework IS 'Framework the group belongs to';
COMMENT ON COLUMN isms.control_group.id IS 'Group id, unique in its framework (the OSCAL group id)';
COMMENT ON COLUMN isms.control_group.title IS 'Group title';
COMMENT ON COLUMN isms.control_group.parent_id IS 'Enclosing group in the same framework, NULL for a top-level group';
COMMENT ON COLUMN isms.control_group.position IS 'Order of the group among the groups of its framework';
COMMENT ON COLUMN isms.control_group.builtin IS 'true for seeded rows (not dumped)';

CREATE TABLE isms.control (
  framework   text NOT NULL REFERENCES isms.framework (id) ON DELETE CASCADE,
  ref         text NOT NULL
              CONSTRAINT control_ref_format
              CHECK (ref <> '' AND btrim(ref) = ref AND length(ref) <= 64 AND ref !~ '[[:cntrl:]]'),
  title       text NOT NULL CONSTRAINT control_title_not_blank CHECK (btrim(title) <> ''),
  theme       text CONSTRAINT control_theme_not_blank CHECK (btrim(theme) <> ''),
  group_id    text,
  parent_ref  text,
  position    integer NOT NULL DEFAULT pg_catalog.nextval('isms.catalogue_position_seq'),
  oscal_id    text CONSTRAINT control_oscal_id_format
              CHECK (oscal_id ~ '^[A-Za-z_][A-Za-z0-9_.-]*$'),
  control_type             isms.control_type[] NOT NULL DEFAULT '{}',
  security_properties      isms.security_property[] NOT NULL DEFAULT '{}',
  cybersecurity_concepts   isms.cybersecurity_concept[] NOT NULL DEFAULT '{}',
  operational_capabilities isms.operational_capability[] NOT NULL DEFAULT '{}',
  security_domains         isms.security_domain[] NOT NULL DEFAULT '{}',
  attributes  jsonb NOT NULL DEFAULT '{}'
              CONSTRAINT control_attributes_object CHECK (pg_catalog.jsonb_typeof(attributes) = 'object')
              -- The five ISO/IEC 27002 families are columns; a key of the same
              -- name would make isms.compliance_by_attribute ambiguous.
              CONSTRAINT control_attributes_reserved_keys CHECK (
                NOT attributes ?| ARRAY['control_type', 'security_properties',
                  'cybersecurity_concepts', 'operational_capabilities', 'security_domains']),
  builtin     boolean NOT NULL DEFAULT false,
  PRIMARY KEY (framework, ref),
  UNIQUE (framework, oscal_id),
  FOREIGN KEY (framework, group_id) REFERENCES isms.control_group (framework, id),
  CONSTRAINT control_not_own_parent CHECK (parent_ref <> ref),
  -- An attribute array lists values, never an unknown (NULL) one.
  CONSTRAINT control_attribute_no_null CHECK (
    pg_catalog.array_position(control_type, NULL) IS NULL
    AND pg_catalog.array_position(security_properties, NULL) IS NULL
    AND pg_catalog.array_position(cybersecurity_concepts, NULL) IS NULL
    AND pg_catalog.array_position(operational_capabilities, NULL) IS NULL
    AND pg_catalog.array_position(security_domains, NULL) IS NULL)
);
COMMENT ON TABLE isms.control IS
  'Controls of every framework, with the ISO/IEC 27002:2022 attributes as enum arrays (GIN-indexed) and framework-specific attributes in jsonb';
COMMENT ON COLUMN isms.control.framework IS 'Framework of the control (isms.framework.id)';
COMMENT ON COLUMN isms.control.ref IS 'Reference of the control in its framework as people write it, e.g. 5.1 or A.9.2.3';
COMMENT ON COLUMN isms.control.title IS 'Title of the control (titles only, never the text of the standard)';
COMMENT ON COLUMN isms.control.theme IS
  'Theme the dashboards group by: Organizational, People, Physical, Technological for ISO/IEC 27001:2022; the clause for 2013';
COMMENT ON COLUMN isms.control.group_id IS 'Group of the control (isms.control_group.id), NULL outside any group';
COMMENT ON COLUMN isms.control.parent_ref IS 'Parent control (same framework) of a nested control (OSCAL control enhancement), NULL otherwise';
COMMENT ON COLUMN isms.control.position IS 'Order of the control in its framework (document order)';
COMMENT ON COLUMN isms.control.oscal_id IS
  'OSCAL control id when it is not derived from ref (kept from an imported catalog), NULL otherwise';
COMMENT ON COLUMN isms.control.control_type IS 'ISO/IEC 27002 control type values (Preventive, Detective, Corrective)';
COMMENT ON COLUMN isms.control.security_properties IS
  'ISO/IEC 27002 information security properties (Confidentiality, Integrity, Availability)';
COMMENT ON COLUMN isms.control.cybersecurity_concepts IS
  'ISO/IEC 27002 cybersecurity concepts (Identify, Protect, Detect, Respond, Recover)';
COMMENT ON COLUMN isms.control.operational_capabilities IS
  'ISO/IEC 27002 operational capabilities (Governance, Asset_management, ... Information_security_assurance)';
COMMENT ON COLUMN isms.control.security_domains IS
  'ISO/IEC 27002 security domains (Governance_and_Ecosystem, Protection, Defence, Resilience)';
COMMENT ON COLUMN isms.control.attributes IS
  'Framework-specific attributes as a JSON object, e.g. {"role": "controller"} for ISO/IEC 27701; string or string-array values appear in isms.compliance_by_attribute';
COMMENT ON COLUMN isms.control.builtin IS 'true for seeded rows (not dumped)';

-- "All Detective controls that protect Availability": one GIN index per
-- family, combined by a BitmapAnd.
CREATE INDEX control_control_type_gin ON isms.control USING gin (control_type);
CREATE INDEX control_security_properties_gin ON isms.control USING gin (security_properties);
CREATE INDEX control_cybersecurity_concepts_gin ON isms.control USING gin (cybersecurity_concepts);
CREATE INDEX control_operational_capabilities_gin ON isms.control USING gin (operational_capabilities);
CREATE INDEX control_security_domains_gin ON isms.control USING gin (security_domains);
CREATE INDEX control_attributes_gin ON isms.control USING gin (attributes jsonb_path_ops);

CREATE TABLE isms.control_mapping (
  source_framework text NOT NULL,
  source_ref       text NOT NULL,
  target_framework text NOT NULL,
  target_ref       text NOT NULL,
  note             text,
  builtin          boolean NOT NULL DEFAULT false,
  PRIMARY KEY (source_framework, source_ref, target_framework, target_ref),
  FOREIGN KEY (source_framework, source_ref) REFERENCES isms.control (framework, ref) ON DELETE CASCADE,
  FOREIGN KEY (target_framework, target_ref) REFERENCES isms.control (framework, ref) ON DELETE CASCADE,
  CONSTRAINT control_mapping_between_frameworks CHECK (source_framework <> target_framework)
);
CREATE INDEX control_mapping_target ON isms.control_mapping (target_framework, target_ref);
COMMENT ON TABLE isms.control_mapping IS
  'Which control of one framework corresponds to which control of another (seeded: ISO/IEC 27001:2013 to 2022); one row per pair';
COMMENT ON COLUMN isms.control_mapping.source_framework IS 'Framework of the source control (e.g. iso27001-2013)';
COMMENT ON COLUMN isms.control_mapping.source_ref IS 'Reference of the source control (e.g. A.9.2.3)';
COMMENT ON COLUMN isms.control_mapping.target_framework IS 'Framework of the target control (e.g. iso27001-2022)';
COMMENT ON COLUMN isms.control_mapping.target_ref IS 'Reference of the target control (e.g. 8.2)';
COMMENT ON COLUMN isms.control_mapping.note IS 'Remark on the pair (e.g. where sources disagree)';
COMMENT ON COLUMN isms.control_mapping.builtin IS 'true for seeded rows (not dumped)';

-- User rows are dumped; seeded ones come back with CREATE EXTENSION.
SELECT pg_catalog.pg_extension_config_dump('isms.framework', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('isms.control_group', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('isms.control', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('isms.control_mapping', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('isms.catalogue_position_seq', '');

-- Seeded rows are recreated by CREATE EXTENSION and left out of dumps, so an
-- edit to one could not survive pg_dump: they are read-only, like the scope
-- "default".  A user row cannot be turned into a seeded one either.
CREATE FUNCTION isms.catalogue_protect_builtin() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF OLD.builtin THEN
    RAISE EXCEPTION 'seeded rows of %.% cannot be changed or deleted', TG_TABLE_SCHEMA, TG_TABLE_NAME
      USING ERRCODE = '55000',
            DETAIL = 'The seeded catalogues are recreated by CREATE EXTENSION and not carried by pg_dump.',
            HINT = 'Add a framework of your own (isms.framework) and map it with isms.control_mapping.';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.builtin THEN
    RAISE EXCEPTION 'a user row of %.% cannot be marked builtin', TG_TABLE_SCHEMA, TG_TABLE_NAME
      USING ERRCODE = '55000', DETAIL = 'builtin rows are not dumped; the row would be lost by pg_dump.';
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION isms.catalogue_protect_builtin() IS
  'Trigger function: refuses UPDATE or DELETE of seeded catalogue rows, and marking a user row builtin (SQLSTATE 55000)';

CREATE TRIGGER framework_protect_builtin BEFORE UPDATE OR DELETE ON isms.framework
  FOR EACH ROW EXECUTE FUNCTION isms.catalogue_protect_builtin();
CREATE TRIGGER control_group_protect_builtin BEFORE UPDATE OR DELETE ON isms.control_group
  FOR EACH ROW EXECUTE FUNCTION isms.catalogue_protect_builtin();
CREATE TRIGGER control_protect_builtin BEFORE UPDATE OR DELETE ON isms.control
  FOR EACH ROW EXECUTE FUNCTION isms.catalogue_protect_builtin();
CREATE TRIGGER control_mapping_protect_builtin BEFORE UPDATE OR DELETE ON isms.control_mapping
  FOR EACH ROW EXECUTE FUNCTION isms.catalogue_protect_builtin();

-- Nesting (control.parent_ref, control_group.parent_id) is checked by
-- constraint triggers, not by self-referencing foreign keys: pg_dump warns
-- about "circular foreign-key constraints" on every dump of an extension
-- configuration table that references itself.
CREATE FUNCTION isms.catalogue_check_parent() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF TG_TABLE_NAME = 'control' THEN
    IF TG_OP <> 'DELETE' AND NEW.parent_ref IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM isms.control c WHERE c.framework = NEW.framework AND c.ref = NEW.parent_ref) THEN
      RAISE EXCEPTION 'parent control "%" of control "%" does not exist in framework "%"',
                      NEW.parent_ref, NEW.ref, NEW.framework
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'control_parent_ref_exists';
    END IF;
    IF TG_OP <> 'INSERT' AND EXISTS (
         SELECT 1 FROM isms.control c WHERE c.framework = OLD.framework AND c.parent_ref = OLD.ref)
       AND NOT EXISTS (SELECT 1 FROM isms.control c WHERE c.framework = OLD.framework AND c.ref = OLD.ref) THEN
      RAISE EXCEPTION 'control "%" of framework "%" still has nested controls', OLD.ref, OLD.framework
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'control_parent_ref_exists';
    END IF;
  ELSE
    IF TG_OP <> 'DELETE' AND NEW.parent_id IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM isms.control_group g WHERE g.framework = NEW.framework AND g.id = NEW.parent_id) THEN
      RAISE EXCEPTION 'parent group "%" of group "%" does not exist in framework "%"',
                      NEW.parent_id, NEW.id, NEW.framework
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'control_group_parent_id_exists';
    END IF;
    IF TG_OP <> 'INSERT' AND EXISTS (
         SELECT 1 FROM isms.control_group g WHERE g.framework = OLD.framework AND g.parent_id = OLD.id)
       AND NOT EXISTS (SELECT 1 FROM isms.control_group g WHERE g.framework = OLD.framework AND g.id = OLD.id) THEN
      RAISE EXCEPTION 'group "%" of framework "%" still has nested groups', OLD.id, OLD.framework
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'control_group_parent_id_exists';
    END IF;
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.catalogue_check_parent() IS
  'Constraint trigger function: a nested control or group needs its parent in the same framework, and a parent with children stays (SQLSTATE 23503)';

CREATE CONSTRAINT TRIGGER control_parent_ref_exists
  AFTER INSERT OR UPDATE OR DELETE ON isms.control
  FOR EACH ROW EXECUTE FUNCTION isms.catalogue_check_parent();
CREATE CONSTRAINT TRIGGER control_group_parent_id_exists
  AFTER INSERT OR UPDATE OR DELETE ON isms.control_group
  FOR EACH ROW EXECUTE FUNCTION isms.catalogue_check_parent();
-- GENERATED by data/gen_seed.py from data/iso27001-2022-annex-a.csv and
-- data/iso27001-2013-to-2022.csv: edit those and rerun, never this file.
-- The seeded catalogues (titles and ISO/IEC 27002:2022 attributes only, never
-- the text of the standards) and the 2013 -> 2022 mapping; builtin = true.

INSERT INTO isms.framework (id, name, version, publisher, description, oscal_uuid, last_modified, builtin, created_at) VALUES
  ('iso27001-2022', 'ISO/IEC 27001:2022 Annex A', '2022', 'ISO/IEC',
   'Information security controls of ISO/IEC 27001:2022 Annex A with the ISO/IEC 27002:2022 attributes (titles only)',
   'bc63e2f2-f4be-4985-b7c7-9030a6d1e84b', '2022-10-25 00:00:00+00', true, NULL),
  ('iso27001-2013', 'ISO/IEC 27001:2013 Annex A', '2013', 'ISO/IEC',
   'Control objectives and controls of ISO/IEC 27001:2013 Annex A (titles only), mapped to 2022 in isms.control_mapping',
   'df53cd27-f1bc-484e-a0d7-ac62f4b44784', '2013-10-01 00:00:00+00', true, NULL);

INSERT INTO isms.control_group (framework, id, title, position, builtin) VALUES
  ('iso27001-2022', 'organizational', 'Organizational', 1, true),
  ('iso27001-2022', 'people', 'People', 2, true),
  ('iso27001-2022', 'physical', 'Physical', 3, true),
  ('iso27001-2022', 'technological', 'Technological', 4, true),
  ('iso27001-2013', 'A.5', 'Information security policies', 1, true),
  ('iso27001-2013', 'A.6', 'Organization of information security', 2, true),
  ('iso27001-2013', 'A.7', 'Human resource security', 3, true),
  ('iso27001-2013', 'A.8', 'Asset management', 4, true),
  ('iso27001-2013', 'A.9', 'Access control', 5, true),
  ('iso27001-2013', 'A.10', 'Cryptography', 6, true),
  ('iso27001-2013', 'A.11', 'Physical and environmental security', 7, true),
  ('iso27001-2013', 'A.12', 'Operations security', 8, true),
  ('iso27001-2013', 'A.13', 'Communications security', 9, true),
  ('iso27001-2013', 'A.14', 'System acquisition, development and maintenance', 10, true),
  ('iso27001-2013', 'A.15', 'Supplier relationships', 11, true),
  ('iso27001-2013', 'A.16', 'Information security incident management', 12, true),
  ('iso27001-2013', 'A.17', 'Information security aspects of business continuity management', 13, true),
  ('iso27001-2013', 'A.18', 'Compliance', 14, true);

INSERT INTO isms.control (framework, ref, title, theme, group_id, position, control_type, security_properties, cybersecurity_concepts, operational_capabilities, security_domains, builtin) VALUES
  ('iso27001-2022', '5.1', 'Policies for information security', 'Organizational', 'organizational', 1, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify}'::isms.cybersecurity_concept[], '{Governance}'::isms.operational_capability[], '{Governance_and_Ecosystem,Resilience}'::isms.security_domain[], true),
  ('iso27001-2022', '5.2', 'Information security roles and responsibilities', 'Organizational', 'organizational', 2, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify}'::isms.cybersecurity_concept[], '{Governance}'::isms.operational_capability[], '{Governance_and_Ecosystem,Protection,Resilience}'::isms.security_domain[], true),
  ('iso27001-2022', '5.3', 'Segregation of duties', 'Organizational', 'organizational', 3, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Governance,Identity_and_access_management}'::isms.operational_capability[], '{Governance_and_Ecosystem}'::isms.security_domain[], true),
  ('iso27001-2022', '5.4', 'Management responsibilities', 'Organizational', 'organizational', 4, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify}'::isms.cybersecurity_concept[], '{Governance}'::isms.operational_capability[], '{Governance_and_Ecosystem}'::isms.security_domain[], true),
  ('iso27001-2022', '5.5', 'Contact with authorities', 'Organizational', 'organizational', 5, '{Preventive,Corrective}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify,Protect,Respond,Recover}'::isms.cybersecurity_concept[], '{Governance}'::isms.operational_capability[], '{Defence,Resilience}'::isms.security_domain[], true),
  ('iso27001-2022', '5.6', 'Contact with special interest groups', 'Organizational', 'organizational', 6, '{Preventive,Corrective}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect,Respond,Recover}'::isms.cybersecurity_concept[], '{Governance}'::isms.operational_capability[], '{Defence}'::isms.security_domain[], true),
  ('iso27001-2022', '5.7', 'Threat intelligence', 'Organizational', 'organizational', 7, '{Preventive,Detective,Corrective}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify,Detect,Respond}'::isms.cybersecurity_concept[], '{Threat_and_vulnerability_management}'::isms.operational_capability[], '{Defence,Resilience}'::isms.security_domain[], true),
  ('iso27001-2022', '5.8', 'Information security in project management', 'Organizational', 'organizational', 8, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify,Protect}'::isms.cybersecurity_concept[], '{Governance}'::isms.operational_capability[], '{Governance_and_Ecosystem,Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '5.9', 'Inventory of information and other associated assets', 'Organizational', 'organizational', 9, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify}'::isms.cybersecurity_concept[], '{Asset_management}'::isms.operational_capability[], '{Governance_and_Ecosystem,Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '5.10', 'Acceptable use of information and other associated assets', 'Organizational', 'organizational', 10, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Asset_management,Information_protection}'::isms.operational_capability[], '{Governance_and_Ecosystem,Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '5.11', 'Return of assets', 'Organizational', 'organizational', 11, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Asset_management}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '5.12', 'Classification of information', 'Organizational', 'organizational', 12, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify}'::isms.cybersecurity_concept[], '{Information_protection}'::isms.operational_capability[], '{Protection,Defence}'::isms.security_domain[], true),
  ('iso27001-2022', '5.13', 'Labelling of information', 'Organizational', 'organizational', 13, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Information_protection}'::isms.operational_capability[], '{Defence,Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '5.14', 'Information transfer', 'Organizational', 'organizational', 14, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Asset_management,Information_protection}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '5.15', 'Access control', 'Organizational', 'organizational', 15, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Identity_and_access_management}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '5.16', 'Identity management', 'Organizational', 'organizational', 16, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Identity_and_access_management}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '5.17', 'Authentication information', 'Organizational', 'organizational', 17, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Identity_and_access_management}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '5.18', 'Access rights', 'Organizational', 'organizational', 18, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Identity_and_access_management}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '5.19', 'Information security in supplier relationships', 'Organizational', 'organizational', 19, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify}'::isms.cybersecurity_concept[], '{Supplier_relationships_security}'::isms.operational_capability[], '{Governance_and_Ecosystem,Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '5.20', 'Addressing information security within supplier agreements', 'Organizational', 'organizational', 20, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify}'::isms.cybersecurity_concept[], '{Supplier_relationships_security}'::isms.operational_capability[], '{Governance_and_Ecosystem,Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '5.21', 'Managing information security in the ICT supply chain', 'Organizational', 'organizational', 21, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify}'::isms.cybersecurity_concept[], '{Supplier_relationships_security}'::isms.operational_capability[], '{Governance_and_Ecosystem,Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '5.22', 'Monitoring, review and change management of supplier services', 'Organizational', 'organizational', 22, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify}'::isms.cybersecurity_concept[], '{Supplier_relationships_security,Information_security_assurance}'::isms.operational_capability[], '{Governance_and_Ecosystem,Protection,Defence}'::isms.security_domain[], true),
  ('iso27001-2022', '5.23', 'Information security for use of cloud services', 'Organizational', 'organizational', 23, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Supplier_relationships_security}'::isms.operational_capability[], '{Governance_and_Ecosystem,Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '5.24', 'Information security incident management planning and preparation', 'Organizational', 'organizational', 24, '{Corrective}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Respond,Recover}'::isms.cybersecurity_concept[], '{Governance,Information_security_event_management}'::isms.operational_capability[], '{Defence}'::isms.security_domain[], true),
  ('iso27001-2022', '5.25', 'Assessment and decision on information security events', 'Organizational', 'organizational', 25, '{Detective}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Detect,Respond}'::isms.cybersecurity_concept[], '{Information_security_event_management}'::isms.operational_capability[], '{Defence}'::isms.security_domain[], true),
  ('iso27001-2022', '5.26', 'Response to information security incidents', 'Organizational', 'organizational', 26, '{Corrective}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Respond,Recover}'::isms.cybersecurity_concept[], '{Information_security_event_management}'::isms.operational_capability[], '{Defence}'::isms.security_domain[], true),
  ('iso27001-2022', '5.27', 'Learning from information security incidents', 'Organizational', 'organizational', 27, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify,Protect}'::isms.cybersecurity_concept[], '{Information_security_event_management}'::isms.operational_capability[], '{Defence}'::isms.security_domain[], true),
  ('iso27001-2022', '5.28', 'Collection of evidence', 'Organizational', 'organizational', 28, '{Corrective}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Detect,Respond}'::isms.cybersecurity_concept[], '{Information_security_event_management}'::isms.operational_capability[], '{Defence}'::isms.security_domain[], true),
  ('iso27001-2022', '5.29', 'Information security during disruption', 'Organizational', 'organizational', 29, '{Preventive,Corrective}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect,Respond}'::isms.cybersecurity_concept[], '{Continuity}'::isms.operational_capability[], '{Protection,Resilience}'::isms.security_domain[], true),
  ('iso27001-2022', '5.30', 'ICT readiness for business continuity', 'Organizational', 'organizational', 30, '{Corrective}'::isms.control_type[], '{Availability}'::isms.security_property[], '{Respond}'::isms.cybersecurity_concept[], '{Continuity}'::isms.operational_capability[], '{Resilience}'::isms.security_domain[], true),
  ('iso27001-2022', '5.31', 'Legal, statutory, regulatory and contractual requirements', 'Organizational', 'organizational', 31, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify}'::isms.cybersecurity_concept[], '{Legal_and_compliance}'::isms.operational_capability[], '{Governance_and_Ecosystem,Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '5.32', 'Intellectual property rights', 'Organizational', 'organizational', 32, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify}'::isms.cybersecurity_concept[], '{Legal_and_compliance}'::isms.operational_capability[], '{Governance_and_Ecosystem}'::isms.security_domain[], true),
  ('iso27001-2022', '5.33', 'Protection of records', 'Organizational', 'organizational', 33, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify,Protect}'::isms.cybersecurity_concept[], '{Legal_and_compliance,Asset_management,Information_protection}'::isms.operational_capability[], '{Defence}'::isms.security_domain[], true),
  ('iso27001-2022', '5.34', 'Privacy and protection of PII', 'Organizational', 'organizational', 34, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify,Protect}'::isms.cybersecurity_concept[], '{Information_protection,Legal_and_compliance}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '5.35', 'Independent review of information security', 'Organizational', 'organizational', 35, '{Preventive,Corrective}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify,Protect}'::isms.cybersecurity_concept[], '{Information_security_assurance}'::isms.operational_capability[], '{Governance_and_Ecosystem}'::isms.security_domain[], true),
  ('iso27001-2022', '5.36', 'Compliance with policies, rules and standards for information security', 'Organizational', 'organizational', 36, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify,Protect}'::isms.cybersecurity_concept[], '{Legal_and_compliance,Information_security_assurance}'::isms.operational_capability[], '{Governance_and_Ecosystem}'::isms.security_domain[], true),
  ('iso27001-2022', '5.37', 'Documented operating procedures', 'Organizational', 'organizational', 37, '{Preventive,Corrective}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect,Recover}'::isms.cybersecurity_concept[], '{Asset_management,Physical_security,System_and_network_security,Application_security,Secure_configuration,Identity_and_access_management,Threat_and_vulnerability_management,Continuity,Information_security_event_management}'::isms.operational_capability[], '{Governance_and_Ecosystem,Protection,Defence}'::isms.security_domain[], true),
  ('iso27001-2022', '6.1', 'Screening', 'People', 'people', 38, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Human_resource_security}'::isms.operational_capability[], '{Governance_and_Ecosystem}'::isms.security_domain[], true),
  ('iso27001-2022', '6.2', 'Terms and conditions of employment', 'People', 'people', 39, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Human_resource_security}'::isms.operational_capability[], '{Governance_and_Ecosystem}'::isms.security_domain[], true),
  ('iso27001-2022', '6.3', 'Information security awareness, education and training', 'People', 'people', 40, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Human_resource_security}'::isms.operational_capability[], '{Governance_and_Ecosystem}'::isms.security_domain[], true),
  ('iso27001-2022', '6.4', 'Disciplinary process', 'People', 'people', 41, '{Preventive,Corrective}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect,Respond}'::isms.cybersecurity_concept[], '{Human_resource_security}'::isms.operational_capability[], '{Governance_and_Ecosystem}'::isms.security_domain[], true),
  ('iso27001-2022', '6.5', 'Responsibilities after termination or change of employment', 'People', 'people', 42, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Human_resource_security,Asset_management}'::isms.operational_capability[], '{Governance_and_Ecosystem}'::isms.security_domain[], true),
  ('iso27001-2022', '6.6', 'Confidentiality or non-disclosure agreements', 'People', 'people', 43, '{Preventive}'::isms.control_type[], '{Confidentiality}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Human_resource_security,Information_protection,Supplier_relationships_security}'::isms.operational_capability[], '{Governance_and_Ecosystem}'::isms.security_domain[], true),
  ('iso27001-2022', '6.7', 'Remote working', 'People', 'people', 44, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Asset_management,Information_protection,Physical_security,System_and_network_security}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '6.8', 'Information security event reporting', 'People', 'people', 45, '{Detective}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Detect}'::isms.cybersecurity_concept[], '{Information_security_event_management}'::isms.operational_capability[], '{Defence}'::isms.security_domain[], true),
  ('iso27001-2022', '7.1', 'Physical security perimeters', 'Physical', 'physical', 46, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Physical_security}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '7.2', 'Physical entry', 'Physical', 'physical', 47, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Physical_security,Identity_and_access_management}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '7.3', 'Securing offices, rooms and facilities', 'Physical', 'physical', 48, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Physical_security,Asset_management}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '7.4', 'Physical security monitoring', 'Physical', 'physical', 49, '{Preventive,Detective}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect,Detect}'::isms.cybersecurity_concept[], '{Physical_security}'::isms.operational_capability[], '{Protection,Defence}'::isms.security_domain[], true),
  ('iso27001-2022', '7.5', 'Protecting against physical and environmental threats', 'Physical', 'physical', 50, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Physical_security}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '7.6', 'Working in secure areas', 'Physical', 'physical', 51, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Physical_security}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '7.7', 'Clear desk and clear screen', 'Physical', 'physical', 52, '{Preventive}'::isms.control_type[], '{Confidentiality}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Physical_security}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '7.8', 'Equipment siting and protection', 'Physical', 'physical', 53, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Physical_security,Asset_management}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '7.9', 'Security of assets off-premises', 'Physical', 'physical', 54, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Physical_security,Asset_management}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '7.10', 'Storage media', 'Physical', 'physical', 55, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Physical_security,Asset_management}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '7.11', 'Supporting utilities', 'Physical', 'physical', 56, '{Preventive,Detective}'::isms.control_type[], '{Integrity,Availability}'::isms.security_property[], '{Protect,Detect}'::isms.cybersecurity_concept[], '{Physical_security}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '7.12', 'Cabling security', 'Physical', 'physical', 57, '{Preventive}'::isms.control_type[], '{Confidentiality,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Physical_security}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '7.13', 'Equipment maintenance', 'Physical', 'physical', 58, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Physical_security,Asset_management}'::isms.operational_capability[], '{Protection,Resilience}'::isms.security_domain[], true),
  ('iso27001-2022', '7.14', 'Secure disposal or re-use of equipment', 'Physical', 'physical', 59, '{Preventive}'::isms.control_type[], '{Confidentiality}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Physical_security,Asset_management}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.1', 'User end point devices', 'Technological', 'technological', 60, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Asset_management,Information_protection}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.2', 'Privileged access rights', 'Technological', 'technological', 61, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Identity_and_access_management}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.3', 'Information access restriction', 'Technological', 'technological', 62, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Identity_and_access_management}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.4', 'Access to source code', 'Technological', 'technological', 63, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Identity_and_access_management,Application_security,Secure_configuration}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.5', 'Secure authentication', 'Technological', 'technological', 64, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Identity_and_access_management}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.6', 'Capacity management', 'Technological', 'technological', 65, '{Preventive,Detective}'::isms.control_type[], '{Integrity,Availability}'::isms.security_property[], '{Identify,Protect,Detect}'::isms.cybersecurity_concept[], '{Continuity}'::isms.operational_capability[], '{Governance_and_Ecosystem,Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.7', 'Protection against malware', 'Technological', 'technological', 66, '{Preventive,Detective,Corrective}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect,Detect}'::isms.cybersecurity_concept[], '{System_and_network_security,Information_protection}'::isms.operational_capability[], '{Protection,Defence}'::isms.security_domain[], true),
  ('iso27001-2022', '8.8', 'Management of technical vulnerabilities', 'Technological', 'technological', 67, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify,Protect}'::isms.cybersecurity_concept[], '{Threat_and_vulnerability_management}'::isms.operational_capability[], '{Governance_and_Ecosystem,Protection,Defence}'::isms.security_domain[], true),
  ('iso27001-2022', '8.9', 'Configuration management', 'Technological', 'technological', 68, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Secure_configuration}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.10', 'Information deletion', 'Technological', 'technological', 69, '{Preventive}'::isms.control_type[], '{Confidentiality}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Information_protection,Legal_and_compliance}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.11', 'Data masking', 'Technological', 'technological', 70, '{Preventive}'::isms.control_type[], '{Confidentiality}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Information_protection}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.12', 'Data leakage prevention', 'Technological', 'technological', 71, '{Preventive,Detective}'::isms.control_type[], '{Confidentiality}'::isms.security_property[], '{Protect,Detect}'::isms.cybersecurity_concept[], '{Information_protection}'::isms.operational_capability[], '{Protection,Defence}'::isms.security_domain[], true),
  ('iso27001-2022', '8.13', 'Information backup', 'Technological', 'technological', 72, '{Corrective}'::isms.control_type[], '{Integrity,Availability}'::isms.security_property[], '{Recover}'::isms.cybersecurity_concept[], '{Continuity}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.14', 'Redundancy of information processing facilities', 'Technological', 'technological', 73, '{Preventive}'::isms.control_type[], '{Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Continuity,Asset_management}'::isms.operational_capability[], '{Protection,Resilience}'::isms.security_domain[], true),
  ('iso27001-2022', '8.15', 'Logging', 'Technological', 'technological', 74, '{Detective}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Detect}'::isms.cybersecurity_concept[], '{Information_security_event_management}'::isms.operational_capability[], '{Protection,Defence}'::isms.security_domain[], true),
  ('iso27001-2022', '8.16', 'Monitoring activities', 'Technological', 'technological', 75, '{Detective,Corrective}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Detect,Respond}'::isms.cybersecurity_concept[], '{Information_security_event_management}'::isms.operational_capability[], '{Defence}'::isms.security_domain[], true),
  ('iso27001-2022', '8.17', 'Clock synchronization', 'Technological', 'technological', 76, '{Detective}'::isms.control_type[], '{Integrity}'::isms.security_property[], '{Protect,Detect}'::isms.cybersecurity_concept[], '{Information_security_event_management}'::isms.operational_capability[], '{Protection,Defence}'::isms.security_domain[], true),
  ('iso27001-2022', '8.18', 'Use of privileged utility programs', 'Technological', 'technological', 77, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{System_and_network_security,Secure_configuration,Application_security}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.19', 'Installation of software on operational systems', 'Technological', 'technological', 78, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Secure_configuration,Application_security}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.20', 'Networks security', 'Technological', 'technological', 79, '{Preventive,Detective}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect,Detect}'::isms.cybersecurity_concept[], '{System_and_network_security}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.21', 'Security of network services', 'Technological', 'technological', 80, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{System_and_network_security}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.22', 'Segregation of networks', 'Technological', 'technological', 81, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{System_and_network_security}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.23', 'Web filtering', 'Technological', 'technological', 82, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{System_and_network_security}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.24', 'Use of cryptography', 'Technological', 'technological', 83, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Secure_configuration}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.25', 'Secure development life cycle', 'Technological', 'technological', 84, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Application_security,System_and_network_security}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.26', 'Application security requirements', 'Technological', 'technological', 85, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Application_security,System_and_network_security}'::isms.operational_capability[], '{Protection,Defence}'::isms.security_domain[], true),
  ('iso27001-2022', '8.27', 'Secure system architecture and engineering principles', 'Technological', 'technological', 86, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Application_security,System_and_network_security}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.28', 'Secure coding', 'Technological', 'technological', 87, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Application_security,System_and_network_security}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.29', 'Security testing in development and acceptance', 'Technological', 'technological', 88, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify}'::isms.cybersecurity_concept[], '{Application_security,Information_security_assurance,System_and_network_security}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.30', 'Outsourced development', 'Technological', 'technological', 89, '{Preventive,Detective}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Identify,Protect,Detect}'::isms.cybersecurity_concept[], '{System_and_network_security,Application_security,Supplier_relationships_security}'::isms.operational_capability[], '{Governance_and_Ecosystem,Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.31', 'Separation of development, test and production environments', 'Technological', 'technological', 90, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Application_security,System_and_network_security}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.32', 'Change management', 'Technological', 'technological', 91, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Application_security,System_and_network_security}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.33', 'Test information', 'Technological', 'technological', 92, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{Information_protection}'::isms.operational_capability[], '{Protection}'::isms.security_domain[], true),
  ('iso27001-2022', '8.34', 'Protection of information systems during audit testing', 'Technological', 'technological', 93, '{Preventive}'::isms.control_type[], '{Confidentiality,Integrity,Availability}'::isms.security_property[], '{Protect}'::isms.cybersecurity_concept[], '{System_and_network_security,Information_protection}'::isms.operational_capability[], '{Governance_and_Ecosystem,Protection}'::isms.security_domain[], true);

INSERT INTO isms.control (framework, ref, title, theme, group_id, position, builtin) VALUES
  ('iso27001-2013', 'A.5.1.1', 'Policies for information security', 'Information security policies', 'A.5', 1, true),
  ('iso27001-2013', 'A.5.1.2', 'Review of the policies for information security', 'Information security policies', 'A.5', 2, true),
  ('iso27001-2013', 'A.6.1.1', 'Information security roles and responsibilities', 'Organization of information security', 'A.6', 3, true),
  ('iso27001-2013', 'A.6.1.2', 'Segregation of duties', 'Organization of information security', 'A.6', 4, true),
  ('iso27001-2013', 'A.6.1.3', 'Contact with authorities', 'Organization of information security', 'A.6', 5, true),
  ('iso27001-2013', 'A.6.1.4', 'Contact with special interest groups', 'Organization of information security', 'A.6', 6, true),
  ('iso27001-2013', 'A.6.1.5', 'Information security in project management', 'Organization of information security', 'A.6', 7, true),
  ('iso27001-2013', 'A.6.2.1', 'Mobile device policy', 'Organization of information security', 'A.6', 8, true),
  ('iso27001-2013', 'A.6.2.2', 'Teleworking', 'Organization of information security', 'A.6', 9, true),
  ('iso27001-2013', 'A.7.1.1', 'Screening', 'Human resource security', 'A.7', 10, true),
  ('iso27001-2013', 'A.7.1.2', ' Terms and conditions of employment', 'Human resource security', 'A.7', 11, true),
  ('iso27001-2013', 'A.7.2.1', 'Management responsibilities', 'Human resource security', 'A.7', 12, true),
  ('iso27001-2013', 'A.7.2.2', 'Information security awareness, education and training', 'Human resource security', 'A.7', 13, true),
  ('iso27001-2013', 'A.7.2.3', 'Disciplinary process', 'Human resource security', 'A.7', 14, true),
  ('iso27001-2013', 'A.7.3.1', 'Termination or change of employment responsibilities', 'Human resource security', 'A.7', 15, true),
  ('iso27001-2013', 'A.8.1.1', 'Inventory of assets', 'Asset management', 'A.8', 16, true),
  ('iso27001-2013', 'A.8.1.2', 'Ownership of assets', 'Asset management', 'A.8', 17, true),
  ('iso27001-2013', 'A.8.1.3', 'Acceptable use of assets', 'Asset management', 'A.8', 18, true),
  ('iso27001-2013', 'A.8.1.4', 'Return of assets', 'Asset management', 'A.8', 19, true),
  ('iso27001-2013', 'A.8.2.1', 'Classification of information', 'Asset management', 'A.8', 20, true),
  ('iso27001-2013', 'A.8.2.2', 'Labelling of information', 'Asset management', 'A.8', 21, true),
  ('iso27001-2013', 'A.8.2.3', 'Handling of assets', 'Asset management', 'A.8', 22, true),
  ('iso27001-2013', 'A.8.3.1', 'Management of removable media', 'Asset management', 'A.8', 23, true),
  ('iso27001-2013', 'A.8.3.2', 'Disposal of media', 'Asset management', 'A.8', 24, true),
  ('iso27001-2013', 'A.8.3.3', 'Physical media transfer', 'Asset management', 'A.8', 25, true),
  ('iso27001-2013', 'A.9.1.1', 'Access control policy', 'Access control', 'A.9', 26, true),
  ('iso27001-2013', 'A.9.1.2', 'Access to networks and network services', 'Access control', 'A.9', 27, true),
  ('iso27001-2013', 'A.9.2.1', 'User registration and de-registration', 'Access control', 'A.9', 28, true),
  ('iso27001-2013', 'A.9.2.2', 'User access provisioning', 'Access control', 'A.9', 29, true),
  ('iso27001-2013', 'A.9.2.3', 'Management of privileged access rights', 'Access control', 'A.9', 30, true),
  ('iso27001-2013', 'A.9.2.4', 'Management of secret authentication information of users', 'Access control', 'A.9', 31, true),
  ('iso27001-2013', 'A.9.2.5', 'Review of user access rights', 'Access control', 'A.9', 32, true),
  ('iso27001-2013', 'A.9.2.6', 'Removal or adjustment of access rights', 'Access control', 'A.9', 33, true),
  ('iso27001-2013', 'A.9.3.1', 'Use of secret authentication information', 'Access control', 'A.9', 34, true),
  ('iso27001-2013', 'A.9.4.1', 'Information access restriction', 'Access control', 'A.9', 35, true),
  ('iso27001-2013', 'A.9.4.2', 'Secure log-on procedures', 'Access control', 'A.9', 36, true),
  ('iso27001-2013', 'A.9.4.3', 'Password management system', 'Access control', 'A.9', 37, true),
  ('iso27001-2013', 'A.9.4.4', 'Use of privileged utility programs', 'Access control', 'A.9', 38, true),
  ('iso27001-2013', 'A.9.4.5', 'Access control to program source code', 'Access control', 'A.9', 39, true),
  ('iso27001-2013', 'A.10.1.1', 'Policy on the use of cryptographic controls', 'Cryptography', 'A.10', 40, true),
  ('iso27001-2013', 'A.10.1.2', 'Key management', 'Cryptography', 'A.10', 41, true),
  ('iso27001-2013', 'A.11.1.1', 'Physical security perimeter', 'Physical and environmental security', 'A.11', 42, true),
  ('iso27001-2013', 'A.11.1.2', 'Physical entry controls', 'Physical and environmental security', 'A.11', 43, true),
  ('iso27001-2013', 'A.11.1.3', 'Securing offices, rooms and facilities', 'Physical and environmental security', 'A.11', 44, true),
  ('iso27001-2013', 'A.11.1.4', 'Protecting against external and environmental threats', 'Physical and environmental security', 'A.11', 45, true),
  ('iso27001-2013', 'A.11.1.5', 'Working in secure areas', 'Physical and environmental security', 'A.11', 46, true),
  ('iso27001-2013', 'A.11.1.6', 'Delivery and loading areas', 'Physical and environmental security', 'A.11', 47, true),
  ('iso27001-2013', 'A.11.2.1', 'Equipment siting and protection', 'Physical and environmental security', 'A.11', 48, true),
  ('iso27001-2013', 'A.11.2.2', 'Supporting utilities', 'Physical and environmental security', 'A.11', 49, true),
  ('iso27001-2013', 'A.11.2.3', 'Cabling security', 'Physical and environmental security', 'A.11', 50, true),
  ('iso27001-2013', 'A.11.2.4', 'Equipment maintenance', 'Physical and environmental security', 'A.11', 51, true),
  ('iso27001-2013', 'A.11.2.5', 'Removal of assets', 'Physical and environmental security', 'A.11', 52, true),
  ('iso27001-2013', 'A.11.2.6', 'Security of equipment and assets off-premises', 'Physical and environmental security', 'A.11', 53, true),
  ('iso27001-2013', 'A.11.2.7', 'Secure disposal or reuse of equipment', 'Physical and environmental security', 'A.11', 54, true),
  ('iso27001-2013', 'A.11.2.8', 'Unattended user equipment', 'Physical and environmental security', 'A.11', 55, true),
  ('iso27001-2013', 'A.11.2.9', 'Clear desk and clear screen policy', 'Physical and environmental security', 'A.11', 56, true),
  ('iso27001-2013', 'A.12.1.1', 'Documented operating procedures', 'Operations security', 'A.12', 57, true),
  ('iso27001-2013', 'A.12.1.2', 'Change management', 'Operations security', 'A.12', 58, true),
  ('iso27001-2013', 'A.12.1.3', 'Capacity management', 'Operations security', 'A.12', 59, true),
  ('iso27001-2013', 'A.12.1.4', 'Separation of development, testing and operational environments', 'Operations security', 'A.12', 60, true),
  ('iso27001-2013', 'A.12.2.1', 'Controls against malware', 'Operations security', 'A.12', 61, true),
  ('iso27001-2013', 'A.12.3.1', 'Information backup', 'Operations security', 'A.12', 62, true),
  ('iso27001-2013', 'A.12.4.1', 'Event logging', 'Operations security', 'A.12', 63, true),
  ('iso27001-2013', 'A.12.4.2', 'Protection of log information', 'Operations security', 'A.12', 64, true),
  ('iso27001-2013', 'A.12.4.3', 'Administrator and operator logs', 'Operations security', 'A.12', 65, true),
  ('iso27001-2013', 'A.12.4.4', 'Clock synchronisation', 'Operations security', 'A.12', 66, true),
  ('iso27001-2013', 'A.12.5.1', 'Installation of software on operational systems', 'Operations security', 'A.12', 67, true),
  ('iso27001-2013', 'A.12.6.1', 'Management of technial vulnerabilities', 'Operations security', 'A.12', 68, true),
  ('iso27001-2013', 'A.12.6.2', 'Restrictions on software installation', 'Operations security', 'A.12', 69, true),
  ('iso27001-2013', 'A.12.7.1', 'Information systems audit controls', 'Operations security', 'A.12', 70, true),
  ('iso27001-2013', 'A.13.1.1', 'Network controls', 'Communications security', 'A.13', 71, true),
  ('iso27001-2013', 'A.13.1.2', 'Security of network services', 'Communications security', 'A.13', 72, true),
  ('iso27001-2013', 'A.13.1.3', 'Segregation in networks', 'Communications security', 'A.13', 73, true),
  ('iso27001-2013', 'A.13.2.1', 'Information transfer policies and procedures', 'Communications security', 'A.13', 74, true),
  ('iso27001-2013', 'A.13.2.2', 'Agreements on information transfer', 'Communications security', 'A.13', 75, true),
  ('iso27001-2013', 'A.13.2.3', 'Electronic messaging', 'Communications security', 'A.13', 76, true),
  ('iso27001-2013', 'A.13.2.4', 'Confidentiality or non-disclosure agreements', 'Communications security', 'A.13', 77, true),
  ('iso27001-2013', 'A.14.1.1', 'Information security requirements analysis and specification', 'System acquisition, development and maintenance', 'A.14', 78, true),
  ('iso27001-2013', 'A.14.1.2', 'Securing application services on public networks', 'System acquisition, development and maintenance', 'A.14', 79, true),
  ('iso27001-2013', 'A.14.1.3', 'Protecting application services transactions', 'System acquisition, development and maintenance', 'A.14', 80, true),
  ('iso27001-2013', 'A.14.2.1', ' Secure development policy', 'System acquisition, development and maintenance', 'A.14', 81, true),
  ('iso27001-2013', 'A.14.2.2', 'System change control procedures', 'System acquisition, development and maintenance', 'A.14', 82, true),
  ('iso27001-2013', 'A.14.2.3', 'Technical review of applications after operating platform changes', 'System acquisition, development and maintenance', 'A.14', 83, true),
  ('iso27001-2013', 'A.14.2.4', 'Restrictions on changes to software packages', 'System acquisition, development and maintenance', 'A.14', 84, true),
  ('iso27001-2013', 'A.14.2.5', 'Secure system engineering principles', 'System acquisition, development and maintenance', 'A.14', 85, true),
  ('iso27001-2013', 'A.14.2.6', 'Secure development environment', 'System acquisition, development and maintenance', 'A.14', 86, true),
  ('iso27001-2013', 'A.14.2.7', 'Outsourced development', 'System acquisition, development and maintenance', 'A.14', 87, true),
  ('iso27001-2013', 'A.14.2.8', 'System security testing', 'System acquisition, development and maintenance', 'A.14', 88, true),
  ('iso27001-2013', 'A.14.2.9', 'System acceptance testing', 'System acquisition, development and maintenance', 'A.14', 89, true),
  ('iso27001-2013', 'A.14.3.1', 'Protection of test data', 'System acquisition, development and maintenance', 'A.14', 90, true),
  ('iso27001-2013', 'A.15.1.1', 'Information security policy for supplier relationships', 'Supplier relationships', 'A.15', 91, true),
  ('iso27001-2013', 'A.15.1.2', 'Addressing security within supplier agreements', 'Supplier relationships', 'A.15', 92, true),
  ('iso27001-2013', 'A.15.1.3', 'Information and communication technology supply chain', 'Supplier relationships', 'A.15', 93, true),
  ('iso27001-2013', 'A.15.2.1', ' Monitoring and review of supplier services', 'Supplier relationships', 'A.15', 94, true),
  ('iso27001-2013', 'A.15.2.2', 'Managing changes to supplier services', 'Supplier relationships', 'A.15', 95, true),
  ('iso27001-2013', 'A.16.1.1', 'Responsibilities and procedures', 'Information security incident management', 'A.16', 96, true),
  ('iso27001-2013', 'A.16.1.2', 'Reporting information security events', 'Information security incident management', 'A.16', 97, true),
  ('iso27001-2013', 'A.16.1.3', 'Reporting information security weaknesses', 'Information security incident management', 'A.16', 98, true),
  ('iso27001-2013', 'A.16.1.4', 'Assessment of and decision on information security events', 'Information security incident management', 'A.16', 99, true),
  ('iso27001-2013', 'A.16.1.5', 'Response to information security incidents', 'Information security incident management', 'A.16', 100, true),
  ('iso27001-2013', 'A.16.1.6', 'Learning from information security incidents', 'Information security incident management', 'A.16', 101, true),
  ('iso27001-2013', 'A.16.1.7', 'Collection of evidence', 'Information security incident management', 'A.16', 102, true),
  ('iso27001-2013', 'A.17.1.1', 'Planning information security continuity', 'Information security aspects of business continuity management', 'A.17', 103, true),
  ('iso27001-2013', 'A.17.1.2', 'Implementing information security continuity', 'Information security aspects of business continuity management', 'A.17', 104, true),
  ('iso27001-2013', 'A.17.1.3', 'Verify, review and evaluate information security continuity', 'Information security aspects of business continuity management', 'A.17', 105, true),
  ('iso27001-2013', 'A.17.2.1', 'Availability of information processing facilities', 'Information security aspects of business continuity management', 'A.17', 106, true),
  ('iso27001-2013', 'A.18.1.1', 'Identification of applicable legislation and contractual requirements', 'Compliance', 'A.18', 107, true),
  ('iso27001-2013', 'A.18.1.2', 'Intellectual property rights', 'Compliance', 'A.18', 108, true),
  ('iso27001-2013', 'A.18.1.3', 'Protection of records', 'Compliance', 'A.18', 109, true),
  ('iso27001-2013', 'A.18.1.4', 'Privacy and protection of personally identifiable information', 'Compliance', 'A.18', 110, true),
  ('iso27001-2013', 'A.18.1.5', 'Regulation of cryptographic controls', 'Compliance', 'A.18', 111, true),
  ('iso27001-2013', 'A.18.2.1', 'Independent review of information security', 'Compliance', 'A.18', 112, true),
  ('iso27001-2013', 'A.18.2.2', 'Compliance with security policies and standards', 'Compliance', 'A.18', 113, true),
  ('iso27001-2013', 'A.18.2.3', 'Technical compliance review', 'Compliance', 'A.18', 114, true);

INSERT INTO isms.control_mapping (source_framework, source_ref, target_framework, target_ref, note, builtin) VALUES
  ('iso27001-2013', 'A.5.1.1', 'iso27001-2022', '5.1', NULL, true),
  ('iso27001-2013', 'A.5.1.2', 'iso27001-2022', '5.1', NULL, true),
  ('iso27001-2013', 'A.6.1.1', 'iso27001-2022', '5.2', NULL, true),
  ('iso27001-2013', 'A.6.1.2', 'iso27001-2022', '5.3', NULL, true),
  ('iso27001-2013', 'A.6.1.3', 'iso27001-2022', '5.5', 'not in CISO Assistant mapping', true),
  ('iso27001-2013', 'A.6.1.4', 'iso27001-2022', '5.6', 'not in CISO Assistant mapping', true),
  ('iso27001-2013', 'A.6.1.5', 'iso27001-2022', '5.8', 'not in CISO Assistant mapping', true),
  ('iso27001-2013', 'A.6.2.1', 'iso27001-2022', '8.1', NULL, true),
  ('iso27001-2013', 'A.6.2.2', 'iso27001-2022', '6.7', NULL, true),
  ('iso27001-2013', 'A.7.1.1', 'iso27001-2022', '6.1', NULL, true),
  ('iso27001-2013', 'A.7.1.2', 'iso27001-2022', '6.2', NULL, true),
  ('iso27001-2013', 'A.7.2.1', 'iso27001-2022', '5.4', NULL, true),
  ('iso27001-2013', 'A.7.2.2', 'iso27001-2022', '6.3', NULL, true),
  ('iso27001-2013', 'A.7.2.3', 'iso27001-2022', '6.4', NULL, true),
  ('iso27001-2013', 'A.7.3.1', 'iso27001-2022', '6.5', NULL, true),
  ('iso27001-2013', 'A.8.1.1', 'iso27001-2022', '5.9', NULL, true),
  ('iso27001-2013', 'A.8.1.2', 'iso27001-2022', '5.9', NULL, true),
  ('iso27001-2013', 'A.8.1.3', 'iso27001-2022', '5.10', NULL, true),
  ('iso27001-2013', 'A.8.1.4', 'iso27001-2022', '5.11', NULL, true),
  ('iso27001-2013', 'A.8.2.1', 'iso27001-2022', '5.12', NULL, true),
  ('iso27001-2013', 'A.8.2.2', 'iso27001-2022', '5.13', NULL, true),
  ('iso27001-2013', 'A.8.2.3', 'iso27001-2022', '5.10', NULL, true),
  ('iso27001-2013', 'A.8.3.1', 'iso27001-2022', '7.10', NULL, true),
  ('iso27001-2013', 'A.8.3.2', 'iso27001-2022', '7.10', NULL, true),
  ('iso27001-2013', 'A.8.3.3', 'iso27001-2022', '7.10', NULL, true),
  ('iso27001-2013', 'A.9.1.1', 'iso27001-2022', '5.15', NULL, true),
  ('iso27001-2013', 'A.9.1.2', 'iso27001-2022', '5.15', NULL, true),
  ('iso27001-2013', 'A.9.2.1', 'iso27001-2022', '5.16', NULL, true),
  ('iso27001-2013', 'A.9.2.2', 'iso27001-2022', '5.18', NULL, true),
  ('iso27001-2013', 'A.9.2.3', 'iso27001-2022', '8.2', NULL, true),
  ('iso27001-2013', 'A.9.2.4', 'iso27001-2022', '5.17', NULL, true),
  ('iso27001-2013', 'A.9.2.5', 'iso27001-2022', '5.18', 'not in CISO Assistant mapping', true),
  ('iso27001-2013', 'A.9.2.6', 'iso27001-2022', '5.18', 'not in CISO Assistant mapping', true),
  ('iso27001-2013', 'A.9.3.1', 'iso27001-2022', '5.17', NULL, true),
  ('iso27001-2013', 'A.9.4.1', 'iso27001-2022', '8.3', NULL, true),
  ('iso27001-2013', 'A.9.4.2', 'iso27001-2022', '8.5', NULL, true),
  ('iso27001-2013', 'A.9.4.3', 'iso27001-2022', '5.17', NULL, true),
  ('iso27001-2013', 'A.9.4.4', 'iso27001-2022', '8.18', NULL, true),
  ('iso27001-2013', 'A.9.4.5', 'iso27001-2022', '8.4', NULL, true),
  ('iso27001-2013', 'A.10.1.1', 'iso27001-2022', '8.24', NULL, true),
  ('iso27001-2013', 'A.10.1.2', 'iso27001-2022', '8.24', NULL, true),
  ('iso27001-2013', 'A.11.1.1', 'iso27001-2022', '7.1', NULL, true),
  ('iso27001-2013', 'A.11.1.2', 'iso27001-2022', '7.2', NULL, true),
  ('iso27001-2013', 'A.11.1.3', 'iso27001-2022', '7.3', NULL, true),
  ('iso27001-2013', 'A.11.1.4', 'iso27001-2022', '7.5', NULL, true),
  ('iso27001-2013', 'A.11.1.5', 'iso27001-2022', '7.6', NULL, true),
  ('iso27001-2013', 'A.11.1.6', 'iso27001-2022', '7.2', NULL, true),
  ('iso27001-2013', 'A.11.2.1', 'iso27001-2022', '7.8', NULL, true),
  ('iso27001-2013', 'A.11.2.2', 'iso27001-2022', '7.11', NULL, true),
  ('iso27001-2013', 'A.11.2.3', 'iso27001-2022', '7.12', NULL, true),
  ('iso27001-2013', 'A.11.2.4', 'iso27001-2022', '7.13', NULL, true),
  ('iso27001-2013', 'A.11.2.5', 'iso27001-2022', '7.10', NULL, true),
  ('iso27001-2013', 'A.11.2.6', 'iso27001-2022', '7.9', NULL, true),
  ('iso27001-2013', 'A.11.2.7', 'iso27001-2022', '7.14', NULL, true),
  ('iso27001-2013', 'A.11.2.8', 'iso27001-2022', '8.1', NULL, true),
  ('iso27001-2013', 'A.11.2.9', 'iso27001-2022', '7.7', NULL, true),
  ('iso27001-2013', 'A.12.1.1', 'iso27001-2022', '5.37', NULL, true),
  ('iso27001-2013', 'A.12.1.2', 'iso27001-2022', '8.32', NULL, true),
  ('iso27001-2013', 'A.12.1.3', 'iso27001-2022', '8.6', NULL, true),
  ('iso27001-2013', 'A.12.1.4', 'iso27001-2022', '8.31', NULL, true),
  ('iso27001-2013', 'A.12.2.1', 'iso27001-2022', '8.7', NULL, true),
  ('iso27001-2013', 'A.12.3.1', 'iso27001-2022', '8.13', NULL, true),
  ('iso27001-2013', 'A.12.4.1', 'iso27001-2022', '8.15', NULL, true),
  ('iso27001-2013', 'A.12.4.2', 'iso27001-2022', '8.15', NULL, true),
  ('iso27001-2013', 'A.12.4.3', 'iso27001-2022', '8.15', NULL, true),
  ('iso27001-2013', 'A.12.4.4', 'iso27001-2022', '8.17', NULL, true),
  ('iso27001-2013', 'A.12.5.1', 'iso27001-2022', '8.19', NULL, true),
  ('iso27001-2013', 'A.12.6.1', 'iso27001-2022', '8.8', NULL, true),
  ('iso27001-2013', 'A.12.6.2', 'iso27001-2022', '8.19', 'not in CISO Assistant mapping', true),
  ('iso27001-2013', 'A.12.7.1', 'iso27001-2022', '8.34', 'not in CISO Assistant mapping', true),
  ('iso27001-2013', 'A.13.1.1', 'iso27001-2022', '8.20', NULL, true),
  ('iso27001-2013', 'A.13.1.2', 'iso27001-2022', '8.21', NULL, true),
  ('iso27001-2013', 'A.13.1.3', 'iso27001-2022', '8.22', NULL, true),
  ('iso27001-2013', 'A.13.2.1', 'iso27001-2022', '5.14', 'CISO Assistant maps this to 8.14', true),
  ('iso27001-2013', 'A.13.2.2', 'iso27001-2022', '5.14', 'CISO Assistant maps this to 8.14', true),
  ('iso27001-2013', 'A.13.2.3', 'iso27001-2022', '5.14', 'CISO Assistant maps this to 8.14', true),
  ('iso27001-2013', 'A.13.2.4', 'iso27001-2022', '6.6', NULL, true),
  ('iso27001-2013', 'A.14.1.1', 'iso27001-2022', '5.8', NULL, true),
  ('iso27001-2013', 'A.14.1.2', 'iso27001-2022', '8.26', NULL, true),
  ('iso27001-2013', 'A.14.1.3', 'iso27001-2022', '8.26', NULL, true),
  ('iso27001-2013', 'A.14.2.1', 'iso27001-2022', '8.25', NULL, true),
  ('iso27001-2013', 'A.14.2.2', 'iso27001-2022', '8.32', NULL, true),
  ('iso27001-2013', 'A.14.2.3', 'iso27001-2022', '8.32', 'not in CISO Assistant mapping', true),
  ('iso27001-2013', 'A.14.2.4', 'iso27001-2022', '8.32', 'not in CISO Assistant mapping', true),
  ('iso27001-2013', 'A.14.2.5', 'iso27001-2022', '8.27', NULL, true),
  ('iso27001-2013', 'A.14.2.6', 'iso27001-2022', '8.31', NULL, true),
  ('iso27001-2013', 'A.14.2.7', 'iso27001-2022', '8.30', NULL, true),
  ('iso27001-2013', 'A.14.2.8', 'iso27001-2022', '8.29', NULL, true),
  ('iso27001-2013', 'A.14.2.9', 'iso27001-2022', '8.29', NULL, true),
  ('iso27001-2013', 'A.14.3.1', 'iso27001-2022', '8.33', NULL, true),
  ('iso27001-2013', 'A.15.1.1', 'iso27001-2022', '5.19', NULL, true),
  ('iso27001-2013', 'A.15.1.2', 'iso27001-2022', '5.20', NULL, true),
  ('iso27001-2013', 'A.15.1.3', 'iso27001-2022', '5.21', NULL, true),
  ('iso27001-2013', 'A.15.2.1', 'iso27001-2022', '5.22', NULL, true),
  ('iso27001-2013', 'A.15.2.2', 'iso27001-2022', '5.22', NULL, true),
  ('iso27001-2013', 'A.16.1.1', 'iso27001-2022', '5.24', NULL, true),
  ('iso27001-2013', 'A.16.1.2', 'iso27001-2022', '6.8', NULL, true),
  ('iso27001-2013', 'A.16.1.3', 'iso27001-2022', '6.8', NULL, true),
  ('iso27001-2013', 'A.16.1.4', 'iso27001-2022', '5.25', NULL, true),
  ('iso27001-2013', 'A.16.1.5', 'iso27001-2022', '5.26', NULL, true),
  ('iso27001-2013', 'A.16.1.6', 'iso27001-2022', '5.27', NULL, true),
  ('iso27001-2013', 'A.16.1.7', 'iso27001-2022', '5.28', NULL, true),
  ('iso27001-2013', 'A.17.1.1', 'iso27001-2022', '5.29', NULL, true),
  ('iso27001-2013', 'A.17.1.2', 'iso27001-2022', '5.29', NULL, true),
  ('iso27001-2013', 'A.17.1.3', 'iso27001-2022', '5.29', NULL, true),
  ('iso27001-2013', 'A.17.2.1', 'iso27001-2022', '8.14', NULL, true),
  ('iso27001-2013', 'A.18.1.1', 'iso27001-2022', '5.31', NULL, true),
  ('iso27001-2013', 'A.18.1.2', 'iso27001-2022', '5.32', NULL, true),
  ('iso27001-2013', 'A.18.1.3', 'iso27001-2022', '5.33', NULL, true),
  ('iso27001-2013', 'A.18.1.4', 'iso27001-2022', '5.34', NULL, true),
  ('iso27001-2013', 'A.18.1.5', 'iso27001-2022', '5.31', NULL, true),
  ('iso27001-2013', 'A.18.2.1', 'iso27001-2022', '5.35', NULL, true),
  ('iso27001-2013', 'A.18.2.2', 'iso27001-2022', '5.36', NULL, true),
  ('iso27001-2013', 'A.18.2.3', 'iso27001-2022', '5.36', NULL, true),
  ('iso27001-2013', 'A.18.2.3', 'iso27001-2022', '8.8', 'CISO Assistant maps this to 5.36', true);
-- The append-only change log: who changed which row of which table, when,
-- in which transaction, with the row before and after as jsonb.  Written by
-- the C trigger function isms.log_change() (statement level with transition
-- tables: one INSERT ... SELECT per statement).  Nobody but the owner can
-- write it, and nobody can update, delete or truncate it while the guard
-- trigger is enabled.

-- Ids start at the install time in microseconds, so entries restored from a
-- dump (older ids) never collide with entries written by the restore itself
-- or afterwards, and id order stays time order across dump and restore.
-- The sequence is deliberately not dumped (see docs/design-decisions.md).
CREATE SEQUENCE isms.change_log_id_seq AS bigint;
SELECT pg_catalog.setval('isms.change_log_id_seq',
  (extract(epoch FROM pg_catalog.clock_timestamp()) * 1000000)::bigint);
COMMENT ON SEQUENCE isms.change_log_id_seq IS
  'Ids of isms.change_log; starts at the install time in microseconds';

CREATE TABLE isms.change_log (
  id         bigint NOT NULL DEFAULT pg_catalog.nextval('isms.change_log_id_seq'),
  logged_at  timestamptz NOT NULL DEFAULT now(),
  txid       xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
  actor      text NOT NULL,
  table_name text NOT NULL,
  op         text NOT NULL CONSTRAINT change_log_op CHECK (op IN ('INSERT', 'UPDATE', 'DELETE')),
  old_row    jsonb,
  new_row    jsonb,
  -- One btree serves both as the key and as the index the history of one
  -- table is read through (isms.soa_as_of, isms.rows_as_of, isms.risk_as_of:
  -- one table's entries up to a moment, in id order).  id is unique on its
  -- own (one sequence); a second btree, on id alone, would cost every
  -- logged row as much again, and even a BRIN index on logged_at costs a
  -- tenth of an entry (bench/21_change_log.sh): the log has no other index.
  CONSTRAINT change_log_pkey PRIMARY KEY (table_name, id),
  CONSTRAINT change_log_rows CHECK (
    CASE op WHEN 'INSERT' THEN old_row IS NULL AND new_row IS NOT NULL
            WHEN 'UPDATE' THEN old_row IS NOT NULL AND new_row IS NOT NULL
            ELSE old_row IS NOT NULL AND new_row IS NULL END)
);
ALTER SEQUENCE isms.change_log_id_seq OWNED BY isms.change_log.id;
COMMENT ON TABLE isms.change_log IS
  'Append-only history of every insert, update and delete on the tables that fire isms.log_change() (SoA entries, risks, treatments, ...)';
COMMENT ON COLUMN isms.change_log.id IS 'Entry id; ascending in the order the changes were made';
COMMENT ON COLUMN isms.change_log.logged_at IS
  'Start time of the transaction that made the change (all changes of one transaction share it)';
COMMENT ON COLUMN isms.change_log.txid IS 'Transaction id (pg_current_xact_id) of the change';
COMMENT ON COLUMN isms.change_log.actor IS 'Role that made the change (current_user at the time)';
COMMENT ON COLUMN isms.change_log.table_name IS 'Schema-qualified table that changed, e.g. isms.soa_entry';
COMMENT ON COLUMN isms.change_log.op IS 'INSERT, UPDATE or DELETE';
COMMENT ON COLUMN isms.change_log.old_row IS 'The row before the change (UPDATE, DELETE), as jsonb';
COMMENT ON COLUMN isms.change_log.new_row IS 'The row after the change (INSERT, UPDATE), as jsonb';

SELECT pg_catalog.pg_extension_config_dump('isms.change_log', '');

CREATE FUNCTION isms.log_change() RETURNS trigger
  AS 'MODULE_PATHNAME', 'isms_log_change'
  LANGUAGE C;
COMMENT ON FUNCTION isms.log_change() IS
  'Trigger function: appends each inserted, updated or deleted row to isms.change_log; use AFTER ... REFERENCING ... FOR EACH STATEMENT (fast) or FOR EACH ROW';

CREATE FUNCTION isms.change_log_refuse() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
BEGIN
  RAISE EXCEPTION 'isms.change_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'History is never rewritten; see docs/reference/change_log.md for retention.';
END
$$;
COMMENT ON FUNCTION isms.change_log_refuse() IS
  'Trigger function of isms.change_log: refuses UPDATE, DELETE and TRUNCATE (42501)';

CREATE TRIGGER change_log_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON isms.change_log
  FOR EACH STATEMENT EXECUTE FUNCTION isms.change_log_refuse();
-- The Statement of Applicability (ISO/IEC 27001 clause 6.1.3 d): one entry
-- per scope and control, with the decision, its justification, the
-- implementation status, owner, evidence and review dates.  Every change is
-- appended to isms.change_log, which isms.soa_as_of reads.

CREATE TYPE isms.implementation_status AS ENUM ('not_started', 'planned', 'partial', 'implemented');
COMMENT ON TYPE isms.implementation_status IS
  'How far a control is implemented: not_started, planned, partial, implemented (in that order)';

CREATE TABLE isms.soa_entry (
  scope         text NOT NULL REFERENCES isms.scope (id),
  framework     text NOT NULL,
  control_ref   text NOT NULL,
  applicable    boolean,
  justification text,
  status        isms.implementation_status NOT NULL DEFAULT 'not_started',
  owner         text CONSTRAINT soa_entry_owner_not_blank CHECK (btrim(owner) <> ''),
  evidence      text[] NOT NULL DEFAULT '{}'
                CONSTRAINT soa_entry_evidence_no_null CHECK (pg_catalog.array_position(evidence, NULL) IS NULL),
  last_reviewed date,
  next_review   date,
  PRIMARY KEY (scope, framework, control_ref),
  FOREIGN KEY (framework, control_ref) REFERENCES isms.control (framework, ref),
  -- Clause 6.1.3 d: the SoA justifies inclusions and exclusions alike.
  CONSTRAINT soa_entry_justification_required CHECK (
    applicable IS NULL OR coalesce(btrim(justification), '') <> ''),
  CONSTRAINT soa_entry_review_order CHECK (next_review >= last_reviewed)
);
CREATE INDEX soa_entry_control ON isms.soa_entry (framework, control_ref);
COMMENT ON TABLE isms.soa_entry IS
  'Statement of Applicability: per scope and control, whether it applies and why, how far it is implemented, who owns it, evidence and reviews';
COMMENT ON COLUMN isms.soa_entry.scope IS 'ISMS scope (isms.scope.id)';
COMMENT ON COLUMN isms.soa_entry.framework IS 'Framework of the control (isms.framework.id)';
COMMENT ON COLUMN isms.soa_entry.control_ref IS 'Reference of the control in its framework (isms.control.ref)';
COMMENT ON COLUMN isms.soa_entry.applicable IS
  'true = included, false = excluded, NULL = not decided yet (as created by isms.soa_init)';
COMMENT ON COLUMN isms.soa_entry.justification IS
  'Why the control is included or excluded; required as soon as applicable is decided';
COMMENT ON COLUMN isms.soa_entry.status IS 'Implementation status (isms.implementation_status)';
COMMENT ON COLUMN isms.soa_entry.owner IS 'Person or role responsible for the control in this scope';
COMMENT ON COLUMN isms.soa_entry.evidence IS 'References to evidence (document ids, URLs, ticket numbers)';
COMMENT ON COLUMN isms.soa_entry.last_reviewed IS 'When the entry was last reviewed';
COMMENT ON COLUMN isms.soa_entry.next_review IS 'When the entry is next due for review (not before last_reviewed)';

SELECT pg_catalog.pg_extension_config_dump('isms.soa_entry', '');

CREATE TRIGGER soa_entry_log_insert AFTER INSERT ON isms.soa_entry
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER soa_entry_log_update AFTER UPDATE ON isms.soa_entry
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER soa_entry_log_delete AFTER DELETE ON isms.soa_entry
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();

CREATE FUNCTION isms.soa_init(scope text, framework text) RETURNS integer
  LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  added integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM isms.scope s WHERE s.id OPERATOR(pg_catalog.=) soa_init.scope) THEN
    RAISE EXCEPTION 'scope "%" does not exist', soa_init.scope
      USING ERRCODE = 'foreign_key_violation', HINT = 'Scopes are rows of isms.scope.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM isms.framework f WHERE f.id OPERATOR(pg_catalog.=) soa_init.framework) THEN
    RAISE EXCEPTION 'framework "%" does not exist', soa_init.framework
      USING ERRCODE = 'foreign_key_violation', HINT = 'Frameworks are rows of isms.framework.';
  END IF;
  INSERT INTO isms.soa_entry (scope, framework, control_ref)
  SELECT soa_init.scope, c.framework, c.ref
    FROM isms.control c
   WHERE c.framework OPERATOR(pg_catalog.=) soa_init.framework
   ORDER BY c.position, c.ref
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS added = ROW_COUNT;
  RETURN added;
END
$$;
COMMENT ON FUNCTION isms.soa_init(text, text) IS
  'Adds an undecided SoA entry for every control of the framework not yet in the scope''s SoA; returns how many were added (0 on a second run)';
-- Dashboard views over the SoA (flat, every column commented) and
-- isms.soa_as_of, which rebuilds the SoA view of a past moment from
-- isms.change_log.

CREATE VIEW isms.statement_of_applicability AS
SELECT e.scope,
       e.framework,
       e.control_ref,
       c.title,
       c.theme,
       c.control_type,
       c.security_properties,
       c.cybersecurity_concepts,
       c.operational_capabilities,
       c.security_domains,
       c.attributes,
       e.applicable,
       e.justification,
       e.status,
       e.owner,
       pg_catalog.cardinality(e.evidence) AS evidence_count,
       e.evidence,
       e.last_reviewed,
       e.next_review,
       coalesce(e.next_review < CURRENT_DATE, false) AS review_overdue,
       c.position
  FROM isms.soa_entry e
  JOIN isms.control c ON c.framework = e.framework AND c.ref = e.control_ref;
COMMENT ON VIEW isms.statement_of_applicability IS
  'The Statement of Applicability: one flat row per scope and control in its SoA, with the control''s title, theme and attributes';
COMMENT ON COLUMN isms.statement_of_applicability.scope IS 'ISMS scope (isms.scope.id)';
COMMENT ON COLUMN isms.statement_of_applicability.framework IS 'Framework of the control, e.g. iso27001-2022';
COMMENT ON COLUMN isms.statement_of_applicability.control_ref IS 'Control reference, e.g. 5.1';
COMMENT ON COLUMN isms.statement_of_applicability.title IS 'Control title';
COMMENT ON COLUMN isms.statement_of_applicability.theme IS 'Control theme (Organizational, People, Physical, Technological for ISO/IEC 27001:2022)';
COMMENT ON COLUMN isms.statement_of_applicability.control_type IS 'ISO/IEC 27002 control type values';
COMMENT ON COLUMN isms.statement_of_applicability.security_properties IS 'ISO/IEC 27002 information security properties';
COMMENT ON COLUMN isms.statement_of_applicability.cybersecurity_concepts IS 'ISO/IEC 27002 cybersecurity concepts';
COMMENT ON COLUMN isms.statement_of_applicability.operational_capabilities IS 'ISO/IEC 27002 operational capabilities';
COMMENT ON COLUMN isms.statement_of_applicability.security_domains IS 'ISO/IEC 27002 security domains';
COMMENT ON COLUMN isms.statement_of_applicability.attributes IS 'Framework-specific attributes (jsonb object)';
COMMENT ON COLUMN isms.statement_of_applicability.applicable IS 'true = included, false = excluded, NULL = not decided yet';
COMMENT ON COLUMN isms.statement_of_applicability.justification IS 'Why the control is included or excluded';
COMMENT ON COLUMN isms.statement_of_applicability.status IS 'Implementation status: not_started, planned, partial, implemented';
COMMENT ON COLUMN isms.statement_of_applicability.owner IS 'Person or role responsible for the control';
COMMENT ON COLUMN isms.statement_of_applicability.evidence_count IS 'Number of evidence references';
COMMENT ON COLUMN isms.statement_of_applicability.evidence IS 'Evidence references (document ids, URLs, tickets)';
COMMENT ON COLUMN isms.statement_of_applicability.last_reviewed IS 'Date of the last review';
COMMENT ON COLUMN isms.statement_of_applicability.next_review IS 'Date the next review is due';
COMMENT ON COLUMN isms.statement_of_applicability.review_overdue IS 'true when next_review is before today';
COMMENT ON COLUMN isms.statement_of_applicability.position IS 'Order of the control in its framework (sort by framework, position)';

CREATE FUNCTION isms.soa_as_of(scope text, as_of timestamptz)
  RETURNS SETOF isms.statement_of_applicability
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  WITH event AS (
    -- Each log entry says "this key now holds this row" (new_row) and, when
    -- the key changed or the row went, "the old key holds nothing" (old_row).
    SELECT k.framework, k.control_ref, l.id, v.ord, v.state
      FROM isms.change_log l
     CROSS JOIN LATERAL (VALUES (l.old_row, NULL::jsonb, 0), (l.new_row, l.new_row, 1)) AS v(keyrow, state, ord)
     CROSS JOIN LATERAL (SELECT v.keyrow OPERATOR(pg_catalog.->>) 'scope' AS scope,
                                v.keyrow OPERATOR(pg_catalog.->>) 'framework' AS framework,
                                v.keyrow OPERATOR(pg_catalog.->>) 'control_ref' AS control_ref) AS k
     WHERE l.table_name OPERATOR(pg_catalog.=) 'isms.soa_entry'
       AND l.logged_at OPERATOR(pg_catalog.<=) soa_as_of.as_of
       AND v.keyrow IS NOT NULL
       AND k.scope OPERATOR(pg_catalog.=) soa_as_of.scope
  ), latest AS (
    SELECT DISTINCT ON (framework, control_ref) state
      FROM event
     ORDER BY framework, control_ref, id DESC, ord DESC
  )
  SELECT e.scope, e.framework, e.control_ref, c.title, c.theme,
         c.control_type, c.security_properties, c.cybersecurity_concepts,
         c.operational_capabilities, c.security_domains, c.attributes,
         e.applicable, e.justification, e.status, e.owner,
         pg_catalog.cardinality(e.evidence), e.evidence, e.last_reviewed, e.next_review,
         coalesce(e.next_review OPERATOR(pg_catalog.<) soa_as_of.as_of::date, false),
         c.position
    FROM latest
   CROSS JOIN LATERAL pg_catalog.jsonb_populate_record(NULL::isms.soa_entry, latest.state) AS e
    JOIN isms.control c ON c.framework OPERATOR(pg_catalog.=) e.framework
                       AND c.ref OPERATOR(pg_catalog.=) e.control_ref
   WHERE latest.state IS NOT NULL
$$;
COMMENT ON FUNCTION isms.soa_as_of(text, timestamptz) IS
  'The rows isms.statement_of_applicability showed for the scope at a past moment, rebuilt from isms.change_log (catalogue columns as they are now)';

CREATE VIEW isms.compliance_summary AS
SELECT e.scope,
       e.framework,
       c.theme,
       count(*) AS controls,
       count(*) FILTER (WHERE e.applicable IS NULL) AS undecided,
       count(*) FILTER (WHERE e.applicable) AS applicable,
       count(*) FILTER (WHERE NOT e.applicable) AS not_applicable,
       count(*) FILTER (WHERE e.applicable AND e.status = 'implemented') AS implemented,
       count(*) FILTER (WHERE e.applicable AND e.status = 'partial') AS partial,
       count(*) FILTER (WHERE e.applicable AND e.status = 'planned') AS planned,
       count(*) FILTER (WHERE e.applicable AND e.status = 'not_started') AS not_started,
       round(100.0 * count(*) FILTER (WHERE e.applicable AND e.status = 'implemented')
             / nullif(count(*) FILTER (WHERE e.applicable), 0), 1) AS percent_implemented
  FROM isms.soa_entry e
  JOIN isms.control c ON c.framework = e.framework AND c.ref = e.control_ref
 GROUP BY e.scope, e.framework, c.theme;
COMMENT ON VIEW isms.compliance_summary IS
  'Compliance per scope, framework and theme: how many controls, how many apply, how many of those are implemented';
COMMENT ON COLUMN isms.compliance_summary.scope IS 'ISMS scope';
COMMENT ON COLUMN isms.compliance_summary.framework IS 'Framework';
COMMENT ON COLUMN isms.compliance_summary.theme IS 'Control theme (NULL for controls without one)';
COMMENT ON COLUMN isms.compliance_summary.controls IS 'Controls of the theme in the scope''s SoA';
COMMENT ON COLUMN isms.compliance_summary.undecided IS 'Controls whose applicability is not decided yet';
COMMENT ON COLUMN isms.compliance_summary.applicable IS 'Controls included (applicable)';
COMMENT ON COLUMN isms.compliance_summary.not_applicable IS 'Controls excluded (not applicable)';
COMMENT ON COLUMN isms.compliance_summary.implemented IS 'Applicable controls with status implemented';
COMMENT ON COLUMN isms.compliance_summary.partial IS 'Applicable controls with status partial';
COMMENT ON COLUMN isms.compliance_summary.planned IS 'Applicable controls with status planned';
COMMENT ON COLUMN isms.compliance_summary.not_started IS 'Applicable controls with status not_started';
COMMENT ON COLUMN isms.compliance_summary.percent_implemented IS
  'implemented / applicable in percent, one decimal; NULL when nothing applies';

-- Every attribute value of a control, one row per family and value.  Not
-- inlined (it has SET options), so the planner takes its ROWS estimate
-- instead of guessing 100 rows per unnest and JIT-compiling a query over a
-- few hundred controls.
CREATE FUNCTION isms.control_attribute_values(control isms.control)
  RETURNS TABLE (family text, value text)
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 12
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT 'control_type', v::text FROM unnest(control.control_type) AS v
  UNION ALL
  SELECT 'security_properties', v::text FROM unnest(control.security_properties) AS v
  UNION ALL
  SELECT 'cybersecurity_concepts', v::text FROM unnest(control.cybersecurity_concepts) AS v
  UNION ALL
  SELECT 'operational_capabilities', v::text FROM unnest(control.operational_capabilities) AS v
  UNION ALL
  SELECT 'security_domains', v::text FROM unnest(control.security_domains) AS v
  UNION ALL
  SELECT j.key, x.value
    FROM jsonb_each(control.attributes) AS j
   CROSS JOIN LATERAL (
           SELECT j.value #>> '{}' WHERE jsonb_typeof(j.value) IN ('string', 'number', 'boolean')
           UNION ALL
           SELECT t FROM jsonb_array_elements_text(
             CASE WHEN jsonb_typeof(j.value) = 'array' THEN j.value ELSE '[]' END) AS t
         ) AS x(value)
$$;
COMMENT ON FUNCTION isms.control_attribute_values(isms.control) IS
  'The attribute values of a control, one row per family and value: the five ISO/IEC 27002 families, then every string, number, boolean or array-of-those key of control.attributes';

-- The values are computed once per control (a few hundred rows under the
-- hash) and hash-joined to the SoA entries.  Unnesting per SoA entry made
-- the planner sort 100k rows; a MATERIALIZED CTE hid the statistics of
-- control, so the join was estimated at a few dozen rows and sorted too.
CREATE VIEW isms.compliance_by_attribute AS
WITH control_value AS (
  SELECT c.framework, c.ref, a.family, a.value
    FROM isms.control c
   CROSS JOIN LATERAL isms.control_attribute_values(c) AS a
)
SELECT e.scope,
       e.framework,
       a.family,
       a.value,
       count(*) AS controls,
       count(*) FILTER (WHERE e.applicable IS NULL) AS undecided,
       count(*) FILTER (WHERE e.applicable) AS applicable,
       count(*) FILTER (WHERE NOT e.applicable) AS not_applicable,
       count(*) FILTER (WHERE e.applicable AND e.status = 'implemented') AS implemented,
       round(100.0 * count(*) FILTER (WHERE e.applicable AND e.status = 'implemented')
             / nullif(count(*) FILTER (WHERE e.applicable), 0), 1) AS percent_implemented
  FROM isms.soa_entry e
  JOIN control_value a ON a.framework = e.framework AND a.ref = e.control_ref
 GROUP BY e.scope, e.framework, a.family, a.value;
COMMENT ON VIEW isms.compliance_by_attribute IS
  'Compliance per scope, framework, attribute family and value: the five ISO/IEC 27002 families and every key of control.attributes';
COMMENT ON COLUMN isms.compliance_by_attribute.scope IS 'ISMS scope';
COMMENT ON COLUMN isms.compliance_by_attribute.framework IS 'Framework';
COMMENT ON COLUMN isms.compliance_by_attribute.family IS
  'Attribute family: control_type, security_properties, cybersecurity_concepts, operational_capabilities, security_domains, or a key of control.attributes (e.g. role)';
COMMENT ON COLUMN isms.compliance_by_attribute.value IS 'Attribute value, e.g. Detective or Availability';
COMMENT ON COLUMN isms.compliance_by_attribute.controls IS 'Controls carrying the value in the scope''s SoA';
COMMENT ON COLUMN isms.compliance_by_attribute.undecided IS 'Of those, not decided yet';
COMMENT ON COLUMN isms.compliance_by_attribute.applicable IS 'Of those, included (applicable)';
COMMENT ON COLUMN isms.compliance_by_attribute.not_applicable IS 'Of those, excluded';
COMMENT ON COLUMN isms.compliance_by_attribute.implemented IS 'Applicable controls with status implemented';
COMMENT ON COLUMN isms.compliance_by_attribute.percent_implemented IS
  'implemented / applicable in percent, one decimal; NULL when nothing applies';
-- OSCAL 1.x catalog exchange: isms.oscal_catalog(framework) writes a
-- framework as an OSCAL catalog (groups, controls, nested controls, in
-- order); isms.oscal_import_catalog(jsonb) reads one back as a new framework.
-- Errors name the JSON path at fault (22023 for a missing member or wrong
-- JSON type, 22P02 for a malformed value); an error writes nothing.
-- pg_isms-specific data (ISO/IEC 27002 attributes, theme, jsonb attributes)
-- travels as props in the namespace urn:pg-isms, so a round trip keeps it.

-- The OSCAL id of a control or group: the stored one, else the reference
-- itself when it is an OSCAL token, else "control-"/"group-" + the
-- reference with other characters replaced by "_".
CREATE FUNCTION isms.oscal_token(ref text, kind text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT CASE WHEN ref OPERATOR(pg_catalog.~) '^[A-Za-z_][A-Za-z0-9_.-]*$' THEN ref
              ELSE kind OPERATOR(pg_catalog.||) '-'
                   OPERATOR(pg_catalog.||) pg_catalog.regexp_replace(ref, '[^A-Za-z0-9_.-]', '_', 'g') END
$$;
COMMENT ON FUNCTION isms.oscal_token(text, text) IS
  'OSCAL id for a control or group reference: the reference when it is an OSCAL token, else kind-reference with other characters replaced by "_"';

CREATE FUNCTION isms.oscal_control_object(framework text, ref text) RETURNS jsonb
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object(
           'id', coalesce(c.oscal_id, isms.oscal_token(c.ref, 'control')),
           'title', c.title,
           'props', (SELECT jsonb_agg(t.p ORDER BY t.o, t.k) FROM (
                       SELECT 0 AS o, 0::bigint AS k, jsonb_build_object('name', 'label', 'value', c.ref) AS p
                       UNION ALL
                       SELECT 1, 0, jsonb_build_object('name', 'theme', 'ns', 'urn:pg-isms', 'value', c.theme)
                        WHERE c.theme IS NOT NULL
                       UNION ALL
                       SELECT 2 + f.n, v.k, jsonb_build_object('name', f.family, 'ns', 'urn:pg-isms', 'value', v.val)
                         FROM (VALUES (1, 'control_type', c.control_type::text[]),
                                      (2, 'security_properties', c.security_properties::text[]),
                                      (3, 'cybersecurity_concepts', c.cybersecurity_concepts::text[]),
                                      (4, 'operational_capabilities', c.operational_capabilities::text[]),
                                      (5, 'security_domains', c.security_domains::text[])) AS f(n, family, vals)
                        CROSS JOIN LATERAL unnest(f.vals) WITH ORDINALITY AS v(val, k)
                       UNION ALL
                       SELECT 8, 0, jsonb_build_object('name', 'attributes', 'ns', 'urn:pg-isms', 'value', c.attributes::text)
                        WHERE c.attributes OPERATOR(pg_catalog.<>) '{}'::jsonb) AS t),
           'controls', (SELECT jsonb_agg(isms.oscal_control_object(k.framework, k.ref) ORDER BY k.position, k.ref)
                          FROM isms.control k
                         WHERE k.framework OPERATOR(pg_catalog.=) c.framework
                           AND k.parent_ref OPERATOR(pg_catalog.=) c.ref)))
    FROM isms.control c
   WHERE c.framework OPERATOR(pg_catalog.=) oscal_control_object.framework
     AND c.ref OPERATOR(pg_catalog.=) oscal_control_object.ref
$$;
COMMENT ON FUNCTION isms.oscal_control_object(text, text) IS
  'One control as an OSCAL control object (id, title, props, nested controls); used by isms.oscal_catalog';

CREATE FUNCTION isms.oscal_group_object(framework text, id text) RETURNS jsonb
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object(
           'id', isms.oscal_token(g.id, 'group'),
           'title', g.title,
           'controls', (SELECT jsonb_agg(isms.oscal_control_object(c.framework, c.ref) ORDER BY c.position, c.ref)
                          FROM isms.control c
                         WHERE c.framework OPERATOR(pg_catalog.=) g.framework
                           AND c.group_id OPERATOR(pg_catalog.=) g.id AND c.parent_ref IS NULL),
           'groups', (SELECT jsonb_agg(isms.oscal_group_object(s.framework, s.id) ORDER BY s.position, s.id)
                        FROM isms.control_group s
                       WHERE s.framework OPERATOR(pg_catalog.=) g.framework
                         AND s.parent_id OPERATOR(pg_catalog.=) g.id)))
    FROM isms.control_group g
   WHERE g.framework OPERATOR(pg_catalog.=) oscal_group_object.framework
     AND g.id OPERATOR(pg_catalog.=) oscal_group_object.id
$$;
COMMENT ON FUNCTION isms.oscal_group_object(text, text) IS
  'One group as an OSCAL group object (id, title, its controls and subgroups); used by isms.oscal_catalog';

CREATE FUNCTION isms.oscal_catalog(framework text) RETURNS jsonb
  LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  f isms.framework;
BEGIN
  SELECT * INTO f FROM isms.framework WHERE id OPERATOR(pg_catalog.=) oscal_catalog.framework;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'framework "%" does not exist', oscal_catalog.framework
      USING ERRCODE = 'foreign_key_violation', HINT = 'Frameworks are rows of isms.framework.';
  END IF;
  RETURN jsonb_build_object('catalog', jsonb_strip_nulls(jsonb_build_object(
    'uuid', f.oscal_uuid,
    'metadata', jsonb_build_object(
        'title', f.name,
        'last-modified', to_char(f.last_modified AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'version', coalesce(f.version, 'unversioned'),
        'oscal-version', '1.1.2',
        'props', jsonb_build_array(jsonb_build_object('name', 'framework', 'ns', 'urn:pg-isms', 'value', f.id))
                 OPERATOR(pg_catalog.||) CASE WHEN f.publisher IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(
                   jsonb_build_object('name', 'publisher', 'ns', 'urn:pg-isms', 'value', f.publisher)) END,
        'remarks', f.description),
    'groups', (SELECT jsonb_agg(isms.oscal_group_object(g.framework, g.id) ORDER BY g.position, g.id)
                 FROM isms.control_group g
                WHERE g.framework OPERATOR(pg_catalog.=) f.id AND g.parent_id IS NULL),
    'controls', (SELECT jsonb_agg(isms.oscal_control_object(c.framework, c.ref) ORDER BY c.position, c.ref)
                   FROM isms.control c
                  WHERE c.framework OPERATOR(pg_catalog.=) f.id AND c.group_id IS NULL AND c.parent_ref IS NULL))));
END
$$;
COMMENT ON FUNCTION isms.oscal_catalog(text) IS
  'The framework as an OSCAL 1.1 catalog (JSON): groups, controls and nested controls in order, ISO/IEC 27002 attributes as urn:pg-isms props';

-- jit = off: the planner cannot know how small a catalog tree is, guesses
-- millions of rows for the recursive walk, and JIT-compiles it, which took a
-- second for a document of ten nodes.
CREATE FUNCTION isms.oscal_import_catalog(catalog jsonb, framework text DEFAULT NULL) RETURNS text
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  SET jit = off
  AS $$
DECLARE
  ns CONSTANT text := 'urn:pg-isms';
  -- documented in docs/reference/oscal.md: bigger catalogs are refused (54000)
  max_nodes CONSTANT integer := 100000;
  families CONSTANT text[] := ARRAY['control_type', 'security_properties', 'cybersecurity_concepts',
                                     'operational_capabilities', 'security_domains'];
  cat jsonb;
  md jsonb;
  fw text;
  fw_uuid uuid;
  fw_modified timestamptz;
  fw_publisher text;
  node record;
  -- what earlier nodes (parents come first) left for their children, by
  -- node number (arrays, so a lookup does not copy anything)
  p_group text[];
  p_ref text[];
  p_theme text[];
  -- the rows to insert, by position, inserted in two statements at the end
  g_id text[];
  g_title text[];
  g_parent text[];
  c_ref text[];
  c_title text[];
  c_theme text[];
  c_group text[];
  c_parent text[];
  c_id text[];
  c_props jsonb[];
  c_attrs jsonb[];
  gpos integer := 0;
  cpos integer := 0;
  ncontrols integer := 0;
  nnodes bigint;
  obj jsonb;
  p jsonb;
  pi integer;
  id text;
  ref text;
  title text;
  theme text;
  group_id text;
  parent_ref text;
  attrs jsonb;
  vals text[];
  fam text;
  path text;
BEGIN
  IF catalog IS NULL THEN
    RETURN NULL;
  END IF;
  -- Document level.
  IF jsonb_typeof(catalog) <> 'object' THEN
    RAISE EXCEPTION 'invalid OSCAL catalog: $ must be an object, not %', jsonb_typeof(catalog)
      USING ERRCODE = 'invalid_parameter_value', HINT = 'An OSCAL catalog document is {"catalog": {...}}.';
  END IF;
  cat := catalog -> 'catalog';
  IF cat IS NULL OR jsonb_typeof(cat) <> 'object' THEN
    RAISE EXCEPTION 'invalid OSCAL catalog: $.catalog %',
                    CASE WHEN cat IS NULL THEN 'is missing' ELSE 'must be an object, not ' || jsonb_typeof(cat) END
      USING ERRCODE = 'invalid_parameter_value', HINT = 'An OSCAL catalog document is {"catalog": {...}}.';
  END IF;
  IF jsonb_typeof(cat -> 'uuid') IS DISTINCT FROM 'string' THEN
    RAISE EXCEPTION 'invalid OSCAL catalog: $.catalog.uuid %',
                    CASE WHEN cat ? 'uuid' THEN 'must be a string' ELSE 'is missing' END
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF (cat ->> 'uuid') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
    RAISE EXCEPTION 'invalid OSCAL catalog: $.catalog.uuid is not a UUID: "%"', cat ->> 'uuid'
      USING ERRCODE = 'invalid_text_representation', HINT = 'A UUID looks like 6f1c2c8e-3f5a-4d0e-9a43-2b7c1e5d9a10.';
  END IF;
  fw_uuid := (cat ->> 'uuid')::uuid;
  md := cat -> 'metadata';
  IF md IS NULL OR jsonb_typeof(md) <> 'object' THEN
    RAISE EXCEPTION 'invalid OSCAL catalog: $.catalog.metadata %',
                    CASE WHEN md IS NULL THEN 'is missing' ELSE 'must be an object, not ' || jsonb_typeof(md) END
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  FOREACH fam IN ARRAY ARRAY['title', 'last-modified', 'version', 'oscal-version'] LOOP
    IF jsonb_typeof(md -> fam) IS DISTINCT FROM 'string' OR btrim(md ->> fam) = '' THEN
      RAISE EXCEPTION 'invalid OSCAL catalog: $.catalog.metadata.% %', fam,
                      CASE WHEN NOT md ? fam THEN 'is missing'
                           WHEN jsonb_typeof(md -> fam) <> 'string' THEN 'must be a string, not ' || jsonb_typeof(md -> fam)
                           ELSE 'is empty' END
        USING ERRCODE = 'invalid_parameter_value',
              HINT = 'OSCAL metadata needs title, last-modified, version and oscal-version.';
    END IF;
  END LOOP;
  IF (md ->> 'oscal-version') !~ '^1\.[0-9]+(\.[0-9]+)?([-+].*)?$' THEN
    RAISE EXCEPTION 'invalid OSCAL catalog: $.catalog.metadata.oscal-version "%" is not supported', md ->> 'oscal-version'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'OSCAL 1.x catalogs (e.g. 1.1.2) are accepted.';
  END IF;
  IF (md ->> 'last-modified') !~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$' THEN
    RAISE EXCEPTION 'invalid OSCAL catalog: $.catalog.metadata.last-modified is not a date-time with time zone: "%"',
                    md ->> 'last-modified'
      USING ERRCODE = 'invalid_text_representation', HINT = 'For example 2026-01-15T10:00:00Z.';
  END IF;
  BEGIN
    fw_modified := (md ->> 'last-modified')::timestamptz;
  EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
    RAISE EXCEPTION 'invalid OSCAL catalog: $.catalog.metadata.last-modified is not a valid date-time: "%"',
                    md ->> 'last-modified'
      USING ERRCODE = 'invalid_text_representation', HINT = 'For example 2026-01-15T10:00:00Z.';
  END;
  IF md ? 'props' AND jsonb_typeof(md -> 'props') = 'array' THEN
    SELECT e ->> 'value' INTO fw_publisher FROM jsonb_array_elements(md -> 'props') AS e
     WHERE jsonb_typeof(e) = 'object' AND e ->> 'ns' = ns AND e ->> 'name' = 'publisher' LIMIT 1;
  END IF;
  FOREACH fam IN ARRAY ARRAY['groups', 'controls'] LOOP
    IF cat ? fam AND jsonb_typeof(cat -> fam) <> 'array' THEN
      RAISE EXCEPTION 'invalid OSCAL catalog: $.catalog.% must be an array, not %', fam, jsonb_typeof(cat -> fam)
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
  END LOOP;

  -- The size limit, checked before any real work: the elements of every
  -- "groups" and "controls" array anywhere in the document (a walk in C,
  -- about 1 ms per 1,000 nodes).
  SELECT coalesce(sum(jsonb_array_length(a)), 0) INTO nnodes
    FROM jsonb_path_query(cat, 'strict $.**.groups', '{}', true) AS a
   WHERE jsonb_typeof(a) = 'array';
  SELECT nnodes + coalesce(sum(jsonb_array_length(a)), 0) INTO nnodes
    FROM jsonb_path_query(cat, 'strict $.**.controls', '{}', true) AS a
   WHERE jsonb_typeof(a) = 'array';
  IF nnodes > max_nodes THEN
    RAISE EXCEPTION 'OSCAL catalog too large: % groups and controls (at most %)', nnodes, max_nodes
      USING ERRCODE = 'program_limit_exceeded',
            HINT = 'Split the catalog into several frameworks.';
  END IF;

  -- The framework.
  fw := coalesce(framework,
                 (SELECT e ->> 'value' FROM jsonb_array_elements(CASE WHEN jsonb_typeof(md -> 'props') = 'array'
                                                                      THEN md -> 'props' ELSE '[]' END) AS e
                   WHERE jsonb_typeof(e) = 'object' AND e ->> 'ns' = ns AND e ->> 'name' = 'framework' LIMIT 1),
                 left(btrim(regexp_replace(lower(md ->> 'title'), '[^a-z0-9_.]+', '-', 'g'), '-'), 63));
  IF fw !~ '^[a-z0-9][a-z0-9_.-]{0,62}$' THEN
    RAISE EXCEPTION 'invalid framework id "%"', fw
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Framework ids are lower-case letters, digits, "_", "-", "." (1 to 63 characters); pass one as the second argument.';
  END IF;
  IF EXISTS (SELECT 1 FROM isms.framework f WHERE f.id = fw) THEN
    RAISE EXCEPTION 'framework "%" already exists', fw
      USING ERRCODE = 'unique_violation',
            HINT = 'Pass another framework id as the second argument of isms.oscal_import_catalog.';
  END IF;
  INSERT INTO isms.framework (id, name, version, publisher, description, oscal_uuid, last_modified)
  VALUES (fw, md ->> 'title', md ->> 'version', fw_publisher,
          CASE WHEN jsonb_typeof(md -> 'remarks') = 'string' THEN md ->> 'remarks' END,
          fw_uuid, fw_modified);

  -- Groups and controls in document order (parents before children),
  -- numbered, each with its parent's number, its id and (controls) its
  -- reference, and where that id or reference first occurs: set-based, so
  -- the walk below never searches what it has already seen.
  FOR node IN
    WITH RECURSIVE tree AS (
      SELECT k.kind, '$.catalog.' || k.member || '[' || (e.i - 1) || ']' AS path, e.obj,
             ARRAY[k.rank, e.i::integer] AS ord, NULL::text AS parent_path, NULL::text AS parent_kind, 1 AS depth
        FROM (VALUES ('control', 'controls', 0), ('group', 'groups', 1)) AS k(kind, member, rank)
       CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(cat -> k.member) = 'array'
                                                    THEN cat -> k.member ELSE '[]' END) WITH ORDINALITY AS e(obj, i)
      UNION ALL
      SELECT k.kind, t.path || '.' || k.member || '[' || (e.i - 1) || ']', e.obj,
             t.ord || ARRAY[k.rank, e.i::integer], t.path, t.kind, t.depth + 1
        FROM tree t
       CROSS JOIN (VALUES ('control', 'controls', 0), ('group', 'groups', 1)) AS k(kind, member, rank)
       CROSS JOIN LATERAL jsonb_array_elements(
               CASE WHEN jsonb_typeof(t.obj) = 'object' AND jsonb_typeof(t.obj -> k.member) = 'array'
                         AND NOT (t.kind = 'control' AND k.kind = 'group') AND t.depth <= 32
                    THEN t.obj -> k.member ELSE '[]' END) WITH ORDINALITY AS e(obj, i)
    ), numbered AS (
      SELECT t.*, row_number() OVER (ORDER BY t.ord) AS n, count(*) OVER () AS total,
             -- a group without an id is "group-" and its number among the groups
             CASE WHEN t.kind = 'control' OR (jsonb_typeof(t.obj) = 'object' AND t.obj ? 'id')
                  THEN t.obj ->> 'id'
                  ELSE 'group-' || count(*) FILTER (WHERE t.kind = 'group') OVER (ORDER BY t.ord) END AS node_id,
             -- a control's reference: its first label prop without a class,
             -- else its first label prop, else its id
             CASE WHEN t.kind = 'control' THEN coalesce(
               (SELECT l.e ->> 'value' FROM jsonb_array_elements(CASE WHEN jsonb_typeof(t.obj -> 'props') = 'array'
                                                                      THEN t.obj -> 'props' ELSE '[]' END)
                                            WITH ORDINALITY AS l(e, i)
                 WHERE jsonb_typeof(l.e) = 'object' AND l.e ->> 'name' = 'label'
                   AND coalesce(l.e ->> 'ns', 'http://csrc.nist.gov/ns/oscal') = 'http://csrc.nist.gov/ns/oscal'
                 ORDER BY l.e ? 'class', l.i LIMIT 1),
               t.obj ->> 'id') END AS node_ref
        FROM tree t
    ), keyed AS (
      SELECT b.*,
             first_value(b.n) OVER (PARTITION BY b.node_id ORDER BY b.n) AS id_first_n,
             first_value(b.path) OVER (PARTITION BY b.node_id ORDER BY b.n) AS id_first_path,
             first_value(b.n) OVER (PARTITION BY b.node_ref ORDER BY b.n) AS ref_first_n,
             first_value(b.path) OVER (PARTITION BY b.node_ref ORDER BY b.n) AS ref_first_path
        FROM numbered b
    )
    SELECT c.*, p.n AS parent_n
      FROM keyed c LEFT JOIN keyed p ON p.path = c.parent_path
     ORDER BY c.n
  LOOP
    IF node.n = 1 THEN
      p_group := array_fill(NULL::text, ARRAY[node.total::integer]);
      p_ref := p_group;
      p_theme := p_group;
      g_id := p_group;
      g_title := p_group;
      g_parent := p_group;
      c_ref := p_group;
      c_title := p_group;
      c_theme := p_group;
      c_group := p_group;
      c_parent := p_group;
      c_id := p_group;
      c_attrs := array_fill(NULL::jsonb, ARRAY[node.total::integer]);
      c_props := c_attrs;
    END IF;
    obj := node.obj;
    path := node.path;
    IF node.depth > 32 THEN
      RAISE EXCEPTION 'invalid OSCAL catalog: % is nested more than 32 levels deep', path
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF jsonb_typeof(obj) <> 'object' THEN
      RAISE EXCEPTION 'invalid OSCAL catalog: % must be an object, not %', path, jsonb_typeof(obj)
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOREACH fam IN ARRAY CASE node.kind WHEN 'group' THEN ARRAY['groups', 'controls'] ELSE ARRAY['controls'] END LOOP
      IF obj ? fam AND jsonb_typeof(obj -> fam) <> 'array' THEN
        RAISE EXCEPTION 'invalid OSCAL catalog: %.% must be an array, not %', path, fam, jsonb_typeof(obj -> fam)
          USING ERRCODE = 'invalid_parameter_value';
      END IF;
    END LOOP;
    -- title: required, a non-blank string
    IF jsonb_typeof(obj -> 'title') IS DISTINCT FROM 'string' OR btrim(obj ->> 'title') = '' THEN
      RAISE EXCEPTION 'invalid OSCAL catalog: %.title %', path,
                      CASE WHEN NOT obj ? 'title' THEN 'is missing'
                           WHEN jsonb_typeof(obj -> 'title') <> 'string' THEN 'must be a string, not ' || jsonb_typeof(obj -> 'title')
                           ELSE 'is empty' END
        USING ERRCODE = 'invalid_parameter_value', HINT = 'Every group and control needs a title.';
    END IF;
    title := obj ->> 'title';
    -- id: required for controls, optional for groups; an OSCAL token, unique
    IF obj ? 'id' OR node.kind = 'control' THEN
      IF jsonb_typeof(obj -> 'id') IS DISTINCT FROM 'string' THEN
        RAISE EXCEPTION 'invalid OSCAL catalog: %.id %', path,
                        CASE WHEN obj ? 'id' THEN 'must be a string, not ' || jsonb_typeof(obj -> 'id') ELSE 'is missing' END
          USING ERRCODE = 'invalid_parameter_value', HINT = 'Every control needs an id.';
      END IF;
      id := obj ->> 'id';
      IF id !~ '^[A-Za-z_][A-Za-z0-9_.-]*$' OR length(id) > 64 THEN
        RAISE EXCEPTION 'invalid OSCAL catalog: %.id is not an OSCAL token: "%"', path, id
          USING ERRCODE = 'invalid_text_representation',
                HINT = 'An id starts with a letter or "_" and continues with letters, digits, "_", "-", "." (at most 64 here).';
      END IF;
    ELSE
      id := 'group-' || (gpos + 1);
    END IF;
    IF node.id_first_n < node.n THEN
      RAISE EXCEPTION 'invalid OSCAL catalog: %.id "%" is already used at %', path, id, node.id_first_path || '.id'
        USING ERRCODE = 'invalid_parameter_value', HINT = 'Ids are unique in a catalog.';
    END IF;
    -- props: an array of objects with string name and value
    IF obj ? 'props' AND jsonb_typeof(obj -> 'props') <> 'array' THEN
      RAISE EXCEPTION 'invalid OSCAL catalog: %.props must be an array, not %', path, jsonb_typeof(obj -> 'props')
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    pi := 0;
    FOR p IN SELECT e FROM jsonb_array_elements(CASE WHEN obj ? 'props' THEN obj -> 'props' ELSE '[]' END) AS e LOOP
      IF jsonb_typeof(p) <> 'object' OR jsonb_typeof(p -> 'name') IS DISTINCT FROM 'string'
         OR jsonb_typeof(p -> 'value') IS DISTINCT FROM 'string' THEN
        RAISE EXCEPTION 'invalid OSCAL catalog: %.props[%] must be an object with string "name" and "value"', path, pi
          USING ERRCODE = 'invalid_parameter_value';
      END IF;
      pi := pi + 1;
    END LOOP;

    IF node.kind = 'group' THEN
      gpos := gpos + 1;
      g_id[gpos] := id;
      g_title[gpos] := title;
      g_parent[gpos] := p_group[node.parent_n];
      p_group[node.n] := id;
      p_theme[node.n] := coalesce(p_theme[node.parent_n], title);
      CONTINUE;
    END IF;

    -- A control: its reference is its label prop (the first without a class),
    -- else its id (node.node_ref); pg_isms props carry theme and attributes.
    theme := NULL;
    attrs := '{}';
    pi := 0;
    FOR p IN SELECT e FROM jsonb_array_elements(CASE WHEN obj ? 'props' THEN obj -> 'props' ELSE '[]' END) AS e LOOP
      IF p ->> 'ns' = ns AND p ->> 'name' = 'theme' THEN
        theme := p ->> 'value';
      ELSIF p ->> 'ns' = ns AND p ->> 'name' = 'attributes' THEN
        BEGIN
          attrs := (p ->> 'value')::jsonb;
        EXCEPTION WHEN invalid_text_representation THEN
          attrs := NULL;
        END;
        IF attrs IS NULL OR jsonb_typeof(attrs) <> 'object' OR attrs ?| families THEN
          RAISE EXCEPTION 'invalid OSCAL catalog: %.props[%].value is not a JSON object of attributes: "%"', path, pi, p ->> 'value'
            USING ERRCODE = 'invalid_text_representation',
                  HINT = 'The urn:pg-isms "attributes" prop holds a JSON object, without the five ISO/IEC 27002 family names as keys.';
        END IF;
      ELSIF p ->> 'ns' = ns AND p ->> 'name' = ANY (families) THEN
        IF NOT (p ->> 'value') = ANY (CASE p ->> 'name'
               WHEN 'control_type' THEN enum_range(NULL::isms.control_type)::text[]
               WHEN 'security_properties' THEN enum_range(NULL::isms.security_property)::text[]
               WHEN 'cybersecurity_concepts' THEN enum_range(NULL::isms.cybersecurity_concept)::text[]
               WHEN 'operational_capabilities' THEN enum_range(NULL::isms.operational_capability)::text[]
               ELSE enum_range(NULL::isms.security_domain)::text[] END) THEN
          RAISE EXCEPTION 'invalid OSCAL catalog: %.props[%].value "%" is not a value of %', path, pi, p ->> 'value', p ->> 'name'
            USING ERRCODE = 'invalid_text_representation',
                  HINT = 'The accepted values are those of the enum types isms.control_type, isms.security_property, isms.cybersecurity_concept, isms.operational_capability and isms.security_domain.';
        END IF;
      END IF;
      pi := pi + 1;
    END LOOP;
    ref := node.node_ref;
    IF ref = '' OR btrim(ref) <> ref OR length(ref) > 64 OR ref ~ '[[:cntrl:]]' THEN
      RAISE EXCEPTION 'invalid OSCAL catalog: % has an unusable label "%"', path, ref
        USING ERRCODE = 'invalid_text_representation',
              HINT = 'A control label is 1 to 64 characters without surrounding spaces or control characters.';
    END IF;
    IF node.ref_first_n < node.n THEN
      RAISE EXCEPTION 'invalid OSCAL catalog: % has the label "%" already used at %', path, ref, node.ref_first_path
        USING ERRCODE = 'invalid_parameter_value', HINT = 'Control labels (or ids, when a control has no label) are unique in a catalog.';
    END IF;
    IF node.parent_kind = 'control' THEN
      parent_ref := p_ref[node.parent_n];
    ELSE
      parent_ref := NULL;
    END IF;
    group_id := p_group[node.parent_n];
    cpos := cpos + 1;
    ncontrols := ncontrols + 1;
    c_ref[cpos] := ref;
    c_title[cpos] := title;
    c_theme[cpos] := coalesce(theme, p_theme[node.parent_n]);
    c_group[cpos] := group_id;
    c_parent[cpos] := parent_ref;
    c_id[cpos] := id;
    c_props[cpos] := obj -> 'props';
    c_attrs[cpos] := attrs;
    p_group[node.n] := group_id;
    p_ref[node.n] := ref;
    p_theme[node.n] := coalesce(theme, p_theme[node.parent_n]);
  END LOOP;

  IF ncontrols = 0 THEN
    RAISE EXCEPTION 'invalid OSCAL catalog: $.catalog has no controls'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'A catalog lists its controls in "controls" arrays of the catalog or of its groups.';
  END IF;
  INSERT INTO isms.control_group (framework, id, title, parent_id, position)
  SELECT fw, u.id, u.title, u.parent, u.pos
    FROM unnest(g_id, g_title, g_parent) WITH ORDINALITY AS u(id, title, parent, pos)
   WHERE u.pos <= gpos;
  INSERT INTO isms.control (framework, ref, title, theme, group_id, parent_ref, position, oscal_id,
                            control_type, security_properties, cybersecurity_concepts,
                            operational_capabilities, security_domains, attributes)
  SELECT fw, u.ref, u.title, u.theme, u.group_id, u.parent_ref, u.pos, u.id,
         coalesce(f.control_type, '{}')::isms.control_type[],
         coalesce(f.security_properties, '{}')::isms.security_property[],
         coalesce(f.cybersecurity_concepts, '{}')::isms.cybersecurity_concept[],
         coalesce(f.operational_capabilities, '{}')::isms.operational_capability[],
         coalesce(f.security_domains, '{}')::isms.security_domain[],
         u.attrs
    FROM unnest(c_ref, c_title, c_theme, c_group, c_parent, c_id, c_props, c_attrs) WITH ORDINALITY
           AS u(ref, title, theme, group_id, parent_ref, id, props, attrs, pos)
   CROSS JOIN LATERAL (
     SELECT array_agg(e ->> 'value' ORDER BY i) FILTER (WHERE e ->> 'name' = 'control_type') AS control_type,
            array_agg(e ->> 'value' ORDER BY i) FILTER (WHERE e ->> 'name' = 'security_properties') AS security_properties,
            array_agg(e ->> 'value' ORDER BY i) FILTER (WHERE e ->> 'name' = 'cybersecurity_concepts') AS cybersecurity_concepts,
            array_agg(e ->> 'value' ORDER BY i) FILTER (WHERE e ->> 'name' = 'operational_capabilities') AS operational_capabilities,
            array_agg(e ->> 'value' ORDER BY i) FILTER (WHERE e ->> 'name' = 'security_domains') AS security_domains
       FROM jsonb_array_elements(coalesce(u.props, '[]')) WITH ORDINALITY AS x(e, i)
      WHERE e ->> 'ns' = ns) AS f
   WHERE u.pos <= cpos;
  RETURN fw;
END
$$;
COMMENT ON FUNCTION isms.oscal_import_catalog(jsonb, text) IS
  'Imports an OSCAL 1.x catalog (groups, controls, nested controls, in order) as a new framework and returns its id; errors name the JSON path and write nothing';
-- isms.asset: the information assets of a scope (ISO/IEC 27005:2022 8.2,
-- ISO/IEC 27001:2022 A.5.9), with their owner, classification and their
-- confidentiality / integrity / availability requirements.  Risks link to
-- assets through isms.risk_asset (310_risk.sql).

CREATE TABLE isms.asset (
  id              bigserial PRIMARY KEY,
  scope           text NOT NULL REFERENCES isms.scope (id),
  name            text NOT NULL CONSTRAINT asset_name_not_blank CHECK (btrim(name) <> ''),
  kind            text NOT NULL DEFAULT 'information'
                  CONSTRAINT asset_kind_known CHECK (kind IN ('information', 'process', 'software',
                    'hardware', 'network', 'service', 'people', 'site', 'supplier', 'other')),
  description     text,
  owner           text NOT NULL CONSTRAINT asset_owner_not_blank CHECK (btrim(owner) <> ''),
  classification  text CONSTRAINT asset_classification_not_blank CHECK (btrim(classification) <> ''),
  confidentiality int CONSTRAINT asset_confidentiality_range CHECK (confidentiality BETWEEN 1 AND 5),
  integrity       int CONSTRAINT asset_integrity_range CHECK (integrity BETWEEN 1 AND 5),
  availability    int CONSTRAINT asset_availability_range CHECK (availability BETWEEN 1 AND 5),
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT asset_scope_name_key UNIQUE (scope, name),
  -- Target of the same-scope foreign key of isms.risk_asset.
  CONSTRAINT asset_scope_id_key UNIQUE (scope, id)
);
COMMENT ON TABLE isms.asset IS
  'Information assets of a scope (ISO/IEC 27005 primary and supporting assets) with owner, classification and CIA requirements; risks link to them through isms.risk_asset';
COMMENT ON COLUMN isms.asset.id IS 'Asset id (generated)';
COMMENT ON COLUMN isms.asset.scope IS 'Scope (isms.scope.id) the asset belongs to';
COMMENT ON COLUMN isms.asset.name IS 'Asset name, unique in its scope';
COMMENT ON COLUMN isms.asset.kind IS
  'Kind of asset: information, process, software, hardware, network, service, people, site, supplier or other';
COMMENT ON COLUMN isms.asset.description IS 'What the asset is and where it lives';
COMMENT ON COLUMN isms.asset.owner IS 'Asset owner (ISO/IEC 27001 A.5.9): a person or role accountable for the asset';
COMMENT ON COLUMN isms.asset.classification IS
  'Classification under the organisation''s own scheme (A.5.12), for example public, internal, confidential, restricted; NULL while not classified';
COMMENT ON COLUMN isms.asset.confidentiality IS 'Confidentiality requirement, 1 (negligible) to 5 (very high); NULL while not assessed';
COMMENT ON COLUMN isms.asset.integrity IS 'Integrity requirement, 1 (negligible) to 5 (very high); NULL while not assessed';
COMMENT ON COLUMN isms.asset.availability IS 'Availability requirement, 1 (negligible) to 5 (very high); NULL while not assessed';
COMMENT ON COLUMN isms.asset.created_at IS 'When the asset was recorded';

SELECT pg_catalog.pg_extension_config_dump('isms.asset', '');
SELECT pg_catalog.pg_extension_config_dump('isms.asset_id_seq', '');
COMMENT ON SEQUENCE isms.asset_id_seq IS 'Ids of isms.asset (dumped with the table, so new ids continue after restored ones)';
-- isms.risk: the risk register (ISO/IEC 27001:2022 6.1.2, 8.2), its status
-- state machine and the links from risks to assets.  The state machine is
-- data (isms.risk_status_transition) checked by one BEFORE trigger, so a
-- plain UPDATE is held to the same rules as isms.treat(), isms.accept_risk(),
-- isms.close_risk() and isms.reopen_risk().  Residual arithmetic: 320.

CREATE TYPE isms.treatment_option AS ENUM ('modify', 'retain', 'avoid', 'share');
COMMENT ON TYPE isms.treatment_option IS
  'ISO/IEC 27005:2022 risk treatment options: modify (mitigate, reduce), retain (accept, tolerate), avoid (terminate), share (transfer)';

CREATE TYPE isms.risk_status AS ENUM
  ('identified', 'assessed', 'treatment_planned', 'treated', 'accepted', 'closed');
COMMENT ON TYPE isms.risk_status IS
  'Life cycle of a risk: identified, assessed, treatment_planned, treated, accepted, closed; the allowed moves are the rows of isms.risk_status_transition';

CREATE TABLE isms.risk_status_transition (
  from_status isms.risk_status NOT NULL,
  to_status   isms.risk_status NOT NULL,
  how         text NOT NULL,
  PRIMARY KEY (from_status, to_status),
  CONSTRAINT risk_status_transition_moves CHECK (from_status <> to_status)
);
COMMENT ON TABLE isms.risk_status_transition IS
  'The risk status state machine: every allowed change of isms.risk.status; any other change is refused with SQLSTATE 23514 (constraint risk_status_transition). A new risk starts as identified or assessed. Part of the extension, not user data';
COMMENT ON COLUMN isms.risk_status_transition.from_status IS 'Status before the change';
COMMENT ON COLUMN isms.risk_status_transition.to_status IS 'Status after the change';
COMMENT ON COLUMN isms.risk_status_transition.how IS 'What makes this change (function, trigger or plain UPDATE) and what it needs';

INSERT INTO isms.risk_status_transition (from_status, to_status, how) VALUES
  ('identified', 'assessed', 'an inherent score is recorded (automatic when inherent is set)'),
  ('identified', 'closed', 'isms.close_risk(): not a risk, a duplicate or out of scope'),
  ('assessed', 'treatment_planned', 'isms.treat() or an INSERT into isms.treatment'),
  ('assessed', 'accepted', 'isms.accept_risk(): retained without a plan'),
  ('assessed', 'closed', 'isms.close_risk()'),
  ('treatment_planned', 'treated', 'the last open treatment plan is done (automatic)'),
  ('treatment_planned', 'accepted', 'isms.accept_risk(): residual risk accepted together with the plan (ISO/IEC 27001 6.1.3 f)'),
  ('treatment_planned', 'assessed', 'every treatment plan cancelled (automatic), or reassessment'),
  ('treatment_planned', 'closed', 'isms.close_risk()'),
  ('treated', 'accepted', 'isms.accept_risk(): the residual risk is accepted'),
  ('treated', 'treatment_planned', 'isms.treat(): further treatment'),
  ('treated', 'assessed', 'reassessment'),
  ('treated', 'closed', 'isms.close_risk()'),
  ('accepted', 'treatment_planned', 'isms.treat(): treat after all (the acceptance is superseded)'),
  ('accepted', 'assessed', 'reassessment (the acceptance is superseded)'),
  ('accepted', 'closed', 'isms.close_risk() (the acceptance is superseded)'),
  ('closed', 'identified', 'isms.reopen_risk() of a risk without inherent score'),
  ('closed', 'assessed', 'isms.reopen_risk() of a risk with an inherent score');

CREATE TABLE isms.risk (
  id              bigserial PRIMARY KEY,
  scope           text NOT NULL REFERENCES isms.scope (id),
  ref             text NOT NULL
                  CONSTRAINT risk_ref_format CHECK (ref ~ '^[^[:space:]]([^\n]{0,62}[^[:space:]])?$'),
  title           text NOT NULL CONSTRAINT risk_title_not_blank CHECK (btrim(title) <> ''),
  description     text,
  owner           text NOT NULL CONSTRAINT risk_owner_not_blank CHECK (btrim(owner) <> ''),
  threat          text,
  vulnerability   text,
  cvss            isms.cvss,
  matrix          text NOT NULL DEFAULT 'default' REFERENCES isms.risk_matrix (id),
  inherent        isms.risk_score,
  residual        isms.risk_score GENERATED ALWAYS AS (coalesce(residual_override, residual_computed)) STORED,
  target          isms.risk_score,
  treatment       isms.treatment_option,
  status          isms.risk_status NOT NULL DEFAULT 'identified',
  identified_on   date NOT NULL DEFAULT current_date,
  next_review     date,
  residual_computed isms.risk_score,
  residual_override isms.risk_score,
  residual_override_rationale text,
  residual_override_by text,
  residual_override_at timestamptz,
  status_reason   text,
  closed_at       timestamptz,
  CONSTRAINT risk_scope_ref_key UNIQUE (scope, ref),
  -- Target of the same-scope foreign key of isms.risk_asset.
  CONSTRAINT risk_scope_id_key UNIQUE (scope, id),
  CONSTRAINT risk_assessed_needs_inherent
    CHECK (inherent IS NOT NULL OR status IN ('identified', 'closed')),
  CONSTRAINT risk_override_needs_rationale
    CHECK (residual_override IS NULL OR btrim(coalesce(residual_override_rationale, '')) <> ''),
  CONSTRAINT risk_closed_needs_reason
    CHECK (status <> 'closed' OR btrim(coalesce(status_reason, '')) <> '')
);
CREATE INDEX risk_owner_idx ON isms.risk (owner);
-- Filtering by CVSS ("everything High or worse") implies a vector, so a
-- partial index serves it without indexing the many risks that have none.
CREATE INDEX risk_cvss_idx ON isms.risk (cvss) WHERE cvss IS NOT NULL;
COMMENT ON TABLE isms.risk IS
  'The risk register: one row per information security risk of a scope, with inherent, residual and target scores, treatment and status; every change is in isms.change_log';
COMMENT ON COLUMN isms.risk.id IS 'Risk id (generated); the key every function takes';
COMMENT ON COLUMN isms.risk.scope IS 'Scope (isms.scope.id) the risk belongs to';
COMMENT ON COLUMN isms.risk.ref IS 'Reference shown to people (e.g. R-001), unique in its scope; 1 to 64 characters, no leading or trailing space';
COMMENT ON COLUMN isms.risk.title IS 'Short statement of the risk';
COMMENT ON COLUMN isms.risk.description IS 'Longer description: scenario, consequences';
COMMENT ON COLUMN isms.risk.owner IS 'Risk owner (ISO/IEC 27001 6.1.2 c 2): the person or role accountable for the risk; may not approve an acceptance above appetite';
COMMENT ON COLUMN isms.risk.threat IS 'Threat (source of harm) in the risk scenario';
COMMENT ON COLUMN isms.risk.vulnerability IS 'Vulnerability the threat exploits';
COMMENT ON COLUMN isms.risk.cvss IS 'Optional CVSS v3.0/v3.1/v4.0 vector of the vulnerability (isms.cvss); sorts by score; isms.cvss_risk_score(cvss, matrix) proposes an inherent score from it';
COMMENT ON COLUMN isms.risk.matrix IS 'Risk matrix (isms.risk_matrix.id) the scores are read on; scores must fit its size';
COMMENT ON COLUMN isms.risk.inherent IS 'Inherent risk: likelihood x impact before the linked controls; NULL while the risk is only identified';
COMMENT ON COLUMN isms.risk.residual IS 'Residual risk in force (read-only): the manual override when one is set, otherwise residual_computed';
COMMENT ON COLUMN isms.risk.target IS 'Target risk the treatment aims at (set by the risk owner)';
COMMENT ON COLUMN isms.risk.treatment IS 'Treatment option of the latest treatment plan (isms.treat()); NULL before any plan';
COMMENT ON COLUMN isms.risk.status IS 'Status in the risk life cycle; changes follow isms.risk_status_transition';
COMMENT ON COLUMN isms.risk.identified_on IS 'Date the risk was identified';
COMMENT ON COLUMN isms.risk.next_review IS 'Date of the next review of the risk (kept by the review scheduling triggers when installed); overdue when in the past';
COMMENT ON COLUMN isms.risk.residual_computed IS 'Residual risk computed from inherent and the linked controls (isms.residual_score without override); maintained by triggers, read-only';
COMMENT ON COLUMN isms.risk.residual_override IS 'Manual residual score set with isms.override_residual(); NULL when the computed value is in force';
COMMENT ON COLUMN isms.risk.residual_override_rationale IS 'Why the computed residual was overridden; required with an override';
COMMENT ON COLUMN isms.risk.residual_override_by IS 'Role that set the override (set by trigger)';
COMMENT ON COLUMN isms.risk.residual_override_at IS 'When the override was set (set by trigger)';
COMMENT ON COLUMN isms.risk.status_reason IS 'Reason given with the latest close or reopen; required while closed';
COMMENT ON COLUMN isms.risk.closed_at IS 'When the risk was closed (set by trigger); NULL while open';

SELECT pg_catalog.pg_extension_config_dump('isms.risk', '');
SELECT pg_catalog.pg_extension_config_dump('isms.risk_id_seq', '');
COMMENT ON SEQUENCE isms.risk_id_seq IS 'Ids of isms.risk (dumped with the table, so new ids continue after restored ones)';

CREATE TABLE isms.risk_asset (
  scope    text NOT NULL,
  risk_id  bigint NOT NULL,
  asset_id bigint NOT NULL,
  PRIMARY KEY (risk_id, asset_id),
  CONSTRAINT risk_asset_risk_same_scope FOREIGN KEY (scope, risk_id)
    REFERENCES isms.risk (scope, id) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT risk_asset_asset_same_scope FOREIGN KEY (scope, asset_id)
    REFERENCES isms.asset (scope, id) ON DELETE CASCADE
);
CREATE INDEX risk_asset_asset_idx ON isms.risk_asset (asset_id);
COMMENT ON TABLE isms.risk_asset IS
  'Assets a risk affects; risk and asset must belong to the same scope (foreign keys through scope)';
COMMENT ON COLUMN isms.risk_asset.scope IS 'Scope of both the risk and the asset';
COMMENT ON COLUMN isms.risk_asset.risk_id IS 'The risk (isms.risk.id)';
COMMENT ON COLUMN isms.risk_asset.asset_id IS 'The affected asset (isms.asset.id)';

SELECT pg_catalog.pg_extension_config_dump('isms.risk_asset', '');

-- Restored rows must arrive exactly as dumped: the register's triggers ask
-- isms.restore_in_progress() (410_reminder.sql, src/reminder.c).

-- Raises the documented error for a move the state machine does not allow;
-- from_status NULL means a new risk.
CREATE FUNCTION isms.risk_transition_check(risk_id bigint, from_status isms.risk_status,
                                           to_status isms.risk_status)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  allowed text;
BEGIN
  IF to_status IS NULL THEN
    RAISE EXCEPTION 'risk status must not be null' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF from_status IS NULL THEN
    IF to_status IN ('identified', 'assessed') THEN
      RETURN;
    END IF;
    RAISE EXCEPTION 'a new risk cannot start as "%"', to_status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'risk_status_transition',
            SCHEMA = 'isms', TABLE = 'risk',
            DETAIL = 'A new risk starts as "identified", or "assessed" when it has an inherent score.',
            HINT = 'Insert the risk, then use isms.treat(), isms.accept_risk() or isms.close_risk().';
  END IF;
  IF from_status OPERATOR(pg_catalog.=) to_status
     OR EXISTS (SELECT 1 FROM isms.risk_status_transition t
                 WHERE t.from_status OPERATOR(pg_catalog.=) risk_transition_check.from_status
                   AND t.to_status OPERATOR(pg_catalog.=) risk_transition_check.to_status) THEN
    RETURN;
  END IF;
  SELECT string_agg(t.to_status::text, ', ' ORDER BY t.to_status) INTO allowed
    FROM isms.risk_status_transition t
   WHERE t.from_status OPERATOR(pg_catalog.=) risk_transition_check.from_status;
  RAISE EXCEPTION 'invalid risk status transition from "%" to "%"', from_status, to_status
    USING ERRCODE = 'check_violation', CONSTRAINT = 'risk_status_transition',
          SCHEMA = 'isms', TABLE = 'risk',
          DETAIL = format('Risk %s is "%s"; from there it may go to: %s.', risk_id, from_status, allowed),
          HINT = 'The allowed moves are listed in isms.risk_status_transition.';
END
$fn$;
COMMENT ON FUNCTION isms.risk_transition_check(bigint, isms.risk_status, isms.risk_status) IS
  'Returns when the risk may move from from_status (NULL: a new risk) to to_status, otherwise raises 23514 (constraint risk_status_transition) naming the allowed moves';

-- One BEFORE trigger for every write to isms.risk: scores on the matrix,
-- override bookkeeping, the state machine and its preconditions, and the
-- computed residual.  Plain UPDATEs and the functions take the same path.
CREATE FUNCTION isms.risk_before_write() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  msize int;
  red record;
BEGIN
  IF isms.restore_in_progress() THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' OR NEW.matrix IS DISTINCT FROM OLD.matrix
     OR NEW.inherent IS DISTINCT FROM OLD.inherent OR NEW.target IS DISTINCT FROM OLD.target
     OR NEW.residual_override IS DISTINCT FROM OLD.residual_override THEN
    SELECT m.size INTO msize FROM isms.risk_matrix m WHERE m.id OPERATOR(pg_catalog.=) NEW.matrix;
    IF greatest(isms.likelihood(NEW.inherent), isms.impact(NEW.inherent)) > msize THEN
      RAISE EXCEPTION 'inherent score % is outside risk matrix "%"', NEW.inherent, NEW.matrix
        USING ERRCODE = 'numeric_value_out_of_range',
              DETAIL = format('Matrix "%s" is %sx%s.', NEW.matrix, msize, msize);
    END IF;
    IF greatest(isms.likelihood(NEW.target), isms.impact(NEW.target)) > msize THEN
      RAISE EXCEPTION 'target score % is outside risk matrix "%"', NEW.target, NEW.matrix
        USING ERRCODE = 'numeric_value_out_of_range',
              DETAIL = format('Matrix "%s" is %sx%s.', NEW.matrix, msize, msize);
    END IF;
    IF greatest(isms.likelihood(NEW.residual_override), isms.impact(NEW.residual_override)) > msize THEN
      RAISE EXCEPTION 'residual override % is outside risk matrix "%"', NEW.residual_override, NEW.matrix
        USING ERRCODE = 'numeric_value_out_of_range',
              DETAIL = format('Matrix "%s" is %sx%s.', NEW.matrix, msize, msize);
    END IF;
  END IF;

  -- Who set the override and when are facts, not user input.
  IF NEW.residual_override IS NULL THEN
    NEW.residual_override_rationale := NULL;
    NEW.residual_override_by := NULL;
    NEW.residual_override_at := NULL;
  ELSIF TG_OP = 'INSERT' OR NEW.residual_override IS DISTINCT FROM OLD.residual_override
        OR NEW.residual_override_rationale IS DISTINCT FROM OLD.residual_override_rationale THEN
    NEW.residual_override_by := current_user;
    NEW.residual_override_at := now();
  ELSE
    NEW.residual_override_by := OLD.residual_override_by;
    NEW.residual_override_at := OLD.residual_override_at;
  END IF;

  -- Recording an inherent score is the assessment.
  IF NEW.status = 'identified' AND NEW.inherent IS NOT NULL
     AND (TG_OP = 'INSERT' OR OLD.status IN ('identified', 'closed')) THEN
    NEW.status := 'assessed';
  END IF;

  IF TG_OP = 'INSERT' THEN
    PERFORM isms.risk_transition_check(NEW.id, NULL, NEW.status);
    NEW.closed_at := NULL;
    NEW.residual_computed := NEW.inherent;   -- no control can be linked yet
    RETURN NEW;
  END IF;

  IF NEW.status IS DISTINCT FROM OLD.status THEN
    PERFORM isms.risk_transition_check(OLD.id, OLD.status, NEW.status);
    IF NEW.status = 'treatment_planned'
       AND NOT EXISTS (SELECT 1 FROM isms.treatment t
                        WHERE t.risk_id OPERATOR(pg_catalog.=) NEW.id
                          AND t.status IN ('planned', 'in_progress')) THEN
      RAISE EXCEPTION 'risk % has no open treatment plan', NEW.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'risk_planned_needs_treatment',
              SCHEMA = 'isms', TABLE = 'risk',
              HINT = 'Record the plan with isms.treat().';
    ELSIF NEW.status = 'treated'
       AND (EXISTS (SELECT 1 FROM isms.treatment t
                     WHERE t.risk_id OPERATOR(pg_catalog.=) NEW.id
                       AND t.status IN ('planned', 'in_progress'))
            OR NOT EXISTS (SELECT 1 FROM isms.treatment t
                            WHERE t.risk_id OPERATOR(pg_catalog.=) NEW.id
                              AND t.status = 'done' AND t.option <> 'retain')) THEN
      RAISE EXCEPTION 'risk % cannot be treated: it needs a completed treatment plan and no open one', NEW.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'risk_treated_needs_completed_treatment',
              SCHEMA = 'isms', TABLE = 'risk',
              HINT = 'Set the status of its isms.treatment rows to done; the risk then becomes treated by itself.';
    ELSIF NEW.status = 'accepted'
       AND NOT EXISTS (SELECT 1 FROM isms.acceptance a
                        WHERE a.risk_id OPERATOR(pg_catalog.=) NEW.id
                          AND a.superseded_at IS NULL AND a.valid_until >= current_date) THEN
      RAISE EXCEPTION 'risk % has no valid acceptance', NEW.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'risk_accepted_needs_acceptance',
              SCHEMA = 'isms', TABLE = 'risk',
              HINT = 'Record the acceptance with isms.accept_risk().';
    END IF;
    IF OLD.status = 'accepted' THEN
      UPDATE isms.acceptance a SET superseded_at = now()
       WHERE a.risk_id OPERATOR(pg_catalog.=) NEW.id AND a.superseded_at IS NULL;
    END IF;
    NEW.closed_at := CASE WHEN NEW.status = 'closed' THEN now() END;
  ELSE
    NEW.closed_at := OLD.closed_at;
  END IF;

  SELECT * INTO red FROM isms.control_reduction(NEW.id, NEW.scope);
  NEW.residual_computed := isms.residual_from(NEW.inherent, red.likelihood_reduction,
                                              red.impact_reduction);
  RETURN NEW;
END
$fn$;
COMMENT ON FUNCTION isms.risk_before_write() IS
  'Trigger on isms.risk: checks scores against the matrix, enforces the status state machine and its preconditions, records override authorship and keeps residual_computed';

CREATE TRIGGER risk_before_write BEFORE INSERT OR UPDATE ON isms.risk
  FOR EACH ROW EXECUTE FUNCTION isms.risk_before_write();

CREATE FUNCTION isms.link_asset(risk_id bigint, asset_id bigint) RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  rscope text;
BEGIN
  SELECT r.scope INTO rscope FROM isms.risk r WHERE r.id OPERATOR(pg_catalog.=) link_asset.risk_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk % does not exist', coalesce(link_asset.risk_id::text, 'NULL')
      USING ERRCODE = 'no_data_found';
  END IF;
  INSERT INTO isms.risk_asset (scope, risk_id, asset_id)
  VALUES (rscope, link_asset.risk_id, link_asset.asset_id)
  ON CONFLICT DO NOTHING;
END
$fn$;
COMMENT ON FUNCTION isms.link_asset(bigint, bigint) IS
  'Links a risk to an asset of the same scope (idempotent); unknown risk: P0002; asset of another scope or unknown: 23503';

CREATE FUNCTION isms.close_risk(risk_id bigint, reason text) RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  st isms.risk_status;
BEGIN
  SELECT r.status INTO st FROM isms.risk r
   WHERE r.id OPERATOR(pg_catalog.=) close_risk.risk_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk % does not exist', coalesce(close_risk.risk_id::text, 'NULL')
      USING ERRCODE = 'no_data_found';
  END IF;
  IF st = 'closed' THEN
    RAISE EXCEPTION 'risk % is already closed', close_risk.risk_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'risk_status_transition',
            SCHEMA = 'isms', TABLE = 'risk';
  END IF;
  IF reason IS NULL OR btrim(reason) = '' THEN
    RAISE EXCEPTION 'closing a risk needs a reason'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  UPDATE isms.risk r SET status = 'closed', status_reason = close_risk.reason
   WHERE r.id OPERATOR(pg_catalog.=) close_risk.risk_id;
END
$fn$;
COMMENT ON FUNCTION isms.close_risk(bigint, text) IS
  'Closes a risk with a reason (any open status may close; a current acceptance is superseded); unknown risk P0002, already closed 23514, no reason 22004';

CREATE FUNCTION isms.reopen_risk(risk_id bigint, reason text) RETURNS isms.risk_status
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  st isms.risk_status;
BEGIN
  SELECT r.status INTO st FROM isms.risk r
   WHERE r.id OPERATOR(pg_catalog.=) reopen_risk.risk_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk % does not exist', coalesce(reopen_risk.risk_id::text, 'NULL')
      USING ERRCODE = 'no_data_found';
  END IF;
  IF st <> 'closed' THEN
    RAISE EXCEPTION 'risk % is not closed (status "%")', reopen_risk.risk_id, st
      USING ERRCODE = 'check_violation', CONSTRAINT = 'risk_status_transition',
            SCHEMA = 'isms', TABLE = 'risk',
            HINT = 'Only a closed risk can be reopened.';
  END IF;
  IF reason IS NULL OR btrim(reason) = '' THEN
    RAISE EXCEPTION 'reopening a risk needs a reason'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  UPDATE isms.risk r
     SET status = CASE WHEN r.inherent IS NULL THEN 'identified' ELSE 'assessed' END::isms.risk_status,
         status_reason = reopen_risk.reason
   WHERE r.id OPERATOR(pg_catalog.=) reopen_risk.risk_id
  RETURNING r.status INTO st;
  RETURN st;
END
$fn$;
COMMENT ON FUNCTION isms.reopen_risk(bigint, text) IS
  'Reopens a closed risk with a reason; it returns to assessed (identified without inherent score) and the new status is returned; unknown risk P0002, not closed 23514, no reason 22004';
-- isms.risk_control and residual risk: links from risks to the catalogue
-- controls that treat them, and the arithmetic that turns the inherent score
-- into the residual one from the ISO/IEC 27002 control type of each linked
-- control, its effectiveness and its implementation status in the scope's
-- SoA.  The method is explained in docs/risk-methodology.md.

CREATE TABLE isms.risk_control (
  risk_id       bigint NOT NULL REFERENCES isms.risk (id) ON DELETE CASCADE,
  framework     text NOT NULL,
  control_ref   text NOT NULL,
  effectiveness numeric NOT NULL
                CONSTRAINT risk_control_effectiveness_range CHECK (effectiveness BETWEEN 0 AND 1),
  note          text,
  linked_at     timestamptz NOT NULL DEFAULT now(),
  linked_by     text NOT NULL DEFAULT current_user,
  PRIMARY KEY (risk_id, framework, control_ref),
  CONSTRAINT risk_control_control_fkey FOREIGN KEY (framework, control_ref)
    REFERENCES isms.control (framework, ref)
);
CREATE INDEX risk_control_control_idx ON isms.risk_control (framework, control_ref);
COMMENT ON TABLE isms.risk_control IS
  'Controls that treat a risk, with the effectiveness the risk owner expects; the implementation status comes from the SoA of the risk''s scope, and both feed isms.risk.residual';
COMMENT ON COLUMN isms.risk_control.risk_id IS 'The treated risk (isms.risk.id)';
COMMENT ON COLUMN isms.risk_control.framework IS 'Framework of the control (isms.framework.id)';
COMMENT ON COLUMN isms.risk_control.control_ref IS 'Control reference in that framework (isms.control.ref), e.g. 8.7';
COMMENT ON COLUMN isms.risk_control.effectiveness IS
  'Expected effectiveness of the control against this risk when fully implemented: 0 (none) to 1 (removes the risk factor completely)';
COMMENT ON COLUMN isms.risk_control.note IS 'How the control treats this risk';
COMMENT ON COLUMN isms.risk_control.linked_at IS 'When the link was made or last changed';
COMMENT ON COLUMN isms.risk_control.linked_by IS 'Role that made or last changed the link';

SELECT pg_catalog.pg_extension_config_dump('isms.risk_control', '');

CREATE FUNCTION isms.implementation_factor(status isms.implementation_status) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $fn$
  SELECT CASE status
           WHEN 'implemented' THEN 1.0
           WHEN 'partial' THEN 0.5
           ELSE 0.0
         END
$fn$;
COMMENT ON FUNCTION isms.implementation_factor(isms.implementation_status) IS
  'Share of a control''s effectiveness that counts at an implementation status: implemented 1, partial 0.5, planned and not_started 0';

-- The arithmetic alone: each axis keeps its distance above 1 in proportion
-- to what the controls leave, rounded towards the higher (safer) score.
CREATE FUNCTION isms.residual_from(inherent isms.risk_score, likelihood_reduction numeric,
                                   impact_reduction numeric)
RETURNS isms.risk_score
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  l int := isms.likelihood(inherent);
  i int := isms.impact(inherent);
BEGIN
  IF likelihood_reduction < 0 OR likelihood_reduction > 1
     OR impact_reduction < 0 OR impact_reduction > 1 THEN
    RAISE EXCEPTION 'reduction out of range: likelihood % and impact %',
                    likelihood_reduction, impact_reduction
      USING ERRCODE = 'numeric_value_out_of_range',
            DETAIL = 'A reduction is a fraction from 0 (no reduction) to 1 (down to 1).';
  END IF;
  RETURN isms.risk_score(l - floor((l - 1) * likelihood_reduction)::int,
                         i - floor((i - 1) * impact_reduction)::int);
END
$fn$;
COMMENT ON FUNCTION isms.residual_from(isms.risk_score, numeric, numeric) IS
  'Residual score from an inherent score and the fractions (0..1) by which controls reduce likelihood and impact: each axis becomes axis - floor((axis - 1) * reduction), never below 1x1';

CREATE FUNCTION isms.control_reduction(risk_id bigint, scope text,
                                       OUT likelihood_reduction numeric,
                                       OUT impact_reduction numeric,
                                       OUT controls int, OUT effective_controls int)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  keep_l numeric := 1;
  keep_i numeric := 1;
  c record;
BEGIN
  controls := 0;
  effective_controls := 0;
  FOR c IN
    SELECT rc.effectiveness
             * CASE WHEN se.applicable THEN isms.implementation_factor(se.status) ELSE 0 END
             AS strength,
           'Preventive' = ANY (ctl.control_type) AS preventive,
           'Corrective' = ANY (ctl.control_type) AS corrective,
           'Detective' = ANY (ctl.control_type) AS detective
      FROM isms.risk_control rc
      JOIN isms.control ctl ON ctl.framework OPERATOR(pg_catalog.=) rc.framework
                           AND ctl.ref OPERATOR(pg_catalog.=) rc.control_ref
      LEFT JOIN isms.soa_entry se ON se.scope OPERATOR(pg_catalog.=) control_reduction.scope
                                 AND se.framework OPERATOR(pg_catalog.=) rc.framework
                                 AND se.control_ref OPERATOR(pg_catalog.=) rc.control_ref
     WHERE rc.risk_id OPERATOR(pg_catalog.=) control_reduction.risk_id
  LOOP
    controls := controls + 1;
    CONTINUE WHEN coalesce(c.strength, 0) = 0;
    effective_controls := effective_controls + 1;
    IF c.preventive THEN
      keep_l := keep_l * (1 - c.strength);
    END IF;
    -- A corrective control limits the damage fully; a detective one only
    -- shortens the time until the response, so it counts half.
    IF c.corrective THEN
      keep_i := keep_i * (1 - c.strength);
    ELSIF c.detective THEN
      keep_i := keep_i * (1 - c.strength / 2);
    END IF;
  END LOOP;
  likelihood_reduction := 1 - keep_l;
  impact_reduction := 1 - keep_i;
END
$fn$;
COMMENT ON FUNCTION isms.control_reduction(bigint, text) IS
  'How much the controls linked to a risk reduce its likelihood (preventive controls) and impact (corrective, and detective at half weight), each link weighted by effectiveness x implementation factor in the given scope''s SoA; also counts the links and those with any effect';

CREATE FUNCTION isms.residual_score(risk_id bigint) RETURNS isms.risk_score
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  r record;
  red record;
BEGIN
  SELECT k.scope, k.inherent, k.residual_override INTO r
    FROM isms.risk k WHERE k.id OPERATOR(pg_catalog.=) residual_score.risk_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk % does not exist', coalesce(residual_score.risk_id::text, 'NULL')
      USING ERRCODE = 'no_data_found';
  END IF;
  IF r.residual_override IS NOT NULL THEN
    RETURN r.residual_override;
  END IF;
  SELECT * INTO red FROM isms.control_reduction(residual_score.risk_id, r.scope);
  RETURN isms.residual_from(r.inherent, red.likelihood_reduction, red.impact_reduction);
END
$fn$;
COMMENT ON FUNCTION isms.residual_score(bigint) IS
  'Residual score of a risk: the manual override when set, otherwise the inherent score reduced by the linked controls (isms.control_reduction, isms.residual_from); NULL while the risk has no inherent score; unknown risk P0002';

-- Stores the recomputed residual only when it changed, so the change log
-- does not fill with updates that change nothing.
CREATE FUNCTION isms.refresh_residual(risk_id bigint) RETURNS boolean
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  r record;
  red record;
  fresh isms.risk_score;
BEGIN
  SELECT k.scope, k.inherent, k.residual_computed INTO r
    FROM isms.risk k WHERE k.id OPERATOR(pg_catalog.=) refresh_residual.risk_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  SELECT * INTO red FROM isms.control_reduction(refresh_residual.risk_id, r.scope);
  fresh := isms.residual_from(r.inherent, red.likelihood_reduction, red.impact_reduction);
  IF fresh IS NOT DISTINCT FROM r.residual_computed THEN
    RETURN false;
  END IF;
  UPDATE isms.risk k SET residual_computed = fresh
   WHERE k.id OPERATOR(pg_catalog.=) refresh_residual.risk_id;
  RETURN true;
END
$fn$;
COMMENT ON FUNCTION isms.refresh_residual(bigint) IS
  'Recomputes and stores residual_computed of a risk when it changed (returns true then); called by the triggers on isms.risk_control and isms.soa_entry';

CREATE FUNCTION isms.link_control(risk_id bigint, framework text, control_ref text,
                                  effectiveness numeric)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM isms.risk r WHERE r.id OPERATOR(pg_catalog.=) link_control.risk_id) THEN
    RAISE EXCEPTION 'risk % does not exist', coalesce(link_control.risk_id::text, 'NULL')
      USING ERRCODE = 'no_data_found';
  END IF;
  INSERT INTO isms.risk_control AS rc (risk_id, framework, control_ref, effectiveness)
  VALUES (link_control.risk_id, link_control.framework, link_control.control_ref,
          link_control.effectiveness)
  ON CONFLICT ON CONSTRAINT risk_control_pkey DO UPDATE
    SET effectiveness = EXCLUDED.effectiveness, linked_at = now(), linked_by = current_user
    WHERE rc.effectiveness IS DISTINCT FROM EXCLUDED.effectiveness;
END
$fn$;
COMMENT ON FUNCTION isms.link_control(bigint, text, text, numeric) IS
  'Links a catalogue control to a risk with an effectiveness from 0 to 1, or changes the effectiveness of an existing link; the residual score follows. Unknown risk P0002, unknown control 23503, effectiveness outside 0..1 23514';

CREATE FUNCTION isms.unlink_control(risk_id bigint, framework text, control_ref text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
BEGIN
  DELETE FROM isms.risk_control rc
   WHERE rc.risk_id OPERATOR(pg_catalog.=) unlink_control.risk_id
     AND rc.framework OPERATOR(pg_catalog.=) unlink_control.framework
     AND rc.control_ref OPERATOR(pg_catalog.=) unlink_control.control_ref;
  RETURN FOUND;
END
$fn$;
COMMENT ON FUNCTION isms.unlink_control(bigint, text, text) IS
  'Removes the link between a risk and a control; returns whether there was one. The residual score follows';

CREATE FUNCTION isms.override_residual(risk_id bigint, score isms.risk_score, rationale text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
BEGIN
  IF score IS NOT NULL AND (rationale IS NULL OR btrim(rationale) = '') THEN
    RAISE EXCEPTION 'a residual override needs a rationale'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  UPDATE isms.risk r
     SET residual_override = override_residual.score,
         residual_override_rationale = override_residual.rationale
   WHERE r.id OPERATOR(pg_catalog.=) override_residual.risk_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk % does not exist', coalesce(override_residual.risk_id::text, 'NULL')
      USING ERRCODE = 'no_data_found';
  END IF;
END
$fn$;
COMMENT ON FUNCTION isms.override_residual(bigint, isms.risk_score, text) IS
  'Sets a manual residual score with its rationale (shown as overridden in isms.risk_register), or removes the override when score is NULL; no rationale 22004, unknown risk P0002, outside the matrix 22003';

-- Links and SoA status feed the stored residual.
CREATE FUNCTION isms.risk_control_after_write() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
BEGIN
  IF isms.restore_in_progress() THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM isms.refresh_residual(OLD.risk_id);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.risk_id <> OLD.risk_id) THEN
    PERFORM isms.refresh_residual(NEW.risk_id);
  END IF;
  RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION isms.risk_control_after_write() IS
  'Trigger on isms.risk_control: recomputes the residual score of the risks whose links changed';

CREATE TRIGGER risk_control_refresh_residual AFTER INSERT OR UPDATE OR DELETE ON isms.risk_control
  FOR EACH ROW EXECUTE FUNCTION isms.risk_control_after_write();

-- SECURITY DEFINER: whoever may edit the SoA moves residual scores with it,
-- without needing any right on the register (the risk's change-log entry is
-- then written as the extension owner, in the same transaction as the SoA
-- change that caused it).
CREATE FUNCTION isms.soa_entry_refresh_residual() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
BEGIN
  IF isms.restore_in_progress() THEN
    RETURN NULL;
  END IF;
  -- refresh_residual writes only what changed, so every touched key is
  -- simply recomputed (status, applicability or even the key itself).
  IF TG_OP = 'UPDATE' THEN
    PERFORM isms.refresh_residual(r.id)
       FROM (SELECT n.scope, n.framework, n.control_ref FROM new_rows n
             UNION
             SELECT o.scope, o.framework, o.control_ref FROM old_rows o) ch
       JOIN isms.risk_control rc ON rc.framework = ch.framework AND rc.control_ref = ch.control_ref
       JOIN isms.risk r ON r.id = rc.risk_id AND r.scope = ch.scope;
  ELSIF TG_OP = 'INSERT' THEN
    PERFORM isms.refresh_residual(r.id)
       FROM new_rows n
       JOIN isms.risk_control rc ON rc.framework = n.framework AND rc.control_ref = n.control_ref
       JOIN isms.risk r ON r.id = rc.risk_id AND r.scope = n.scope;
  ELSE
    PERFORM isms.refresh_residual(r.id)
       FROM old_rows o
       JOIN isms.risk_control rc ON rc.framework = o.framework AND rc.control_ref = o.control_ref
       JOIN isms.risk r ON r.id = rc.risk_id AND r.scope = o.scope;
  END IF;
  RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION isms.soa_entry_refresh_residual() IS
  'Statement trigger on isms.soa_entry: when the implementation status or applicability of controls changes, recomputes the residual score of the risks of that scope linked to them';

CREATE TRIGGER soa_entry_refresh_residual_ins AFTER INSERT ON isms.soa_entry
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION isms.soa_entry_refresh_residual();
CREATE TRIGGER soa_entry_refresh_residual_upd AFTER UPDATE ON isms.soa_entry
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION isms.soa_entry_refresh_residual();
CREATE TRIGGER soa_entry_refresh_residual_del AFTER DELETE ON isms.soa_entry
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION isms.soa_entry_refresh_residual();
-- isms.treatment: risk treatment plans (ISO/IEC 27001:2022 6.1.3, 8.3).  A
-- new plan moves its risk to treatment_planned; when the last open plan of a
-- risk is done the risk becomes treated, and when every plan is cancelled it
-- goes back to assessed.  Triggers do this, so isms.treat() and plain SQL on
-- the table behave the same.

CREATE TABLE isms.treatment (
  id           bigserial PRIMARY KEY,
  risk_id      bigint NOT NULL REFERENCES isms.risk (id) ON DELETE CASCADE,
  option       isms.treatment_option NOT NULL,
  plan         text NOT NULL CONSTRAINT treatment_plan_not_blank CHECK (btrim(plan) <> ''),
  owner        text NOT NULL CONSTRAINT treatment_owner_not_blank CHECK (btrim(owner) <> ''),
  due          date,
  status       text NOT NULL DEFAULT 'planned'
               CONSTRAINT treatment_status_known
               CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
  completed_on date,
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   text NOT NULL DEFAULT current_user,
  CONSTRAINT treatment_due_needed CHECK (due IS NOT NULL OR option = 'retain'),
  CONSTRAINT treatment_completed_on_when_done CHECK ((status = 'done') = (completed_on IS NOT NULL))
);
CREATE INDEX treatment_risk_idx ON isms.treatment (risk_id);
COMMENT ON TABLE isms.treatment IS
  'Risk treatment plans: option, what will be done, by whom, by when, and progress; inserting one moves the risk to treatment_planned';
COMMENT ON COLUMN isms.treatment.id IS 'Treatment plan id (generated; returned by isms.treat())';
COMMENT ON COLUMN isms.treatment.risk_id IS 'The treated risk (isms.risk.id)';
COMMENT ON COLUMN isms.treatment.option IS 'ISO/IEC 27005 treatment option: modify, retain, avoid or share';
COMMENT ON COLUMN isms.treatment.plan IS 'What will be done';
COMMENT ON COLUMN isms.treatment.owner IS 'Who carries the plan out';
COMMENT ON COLUMN isms.treatment.due IS 'When the plan must be done; required except for retain';
COMMENT ON COLUMN isms.treatment.status IS
  'planned, in_progress, done or cancelled; done and cancelled are final';
COMMENT ON COLUMN isms.treatment.completed_on IS 'Date the plan was done (set by trigger when status becomes done unless given)';
COMMENT ON COLUMN isms.treatment.created_at IS 'When the plan was recorded';
COMMENT ON COLUMN isms.treatment.created_by IS 'Role that recorded the plan';

SELECT pg_catalog.pg_extension_config_dump('isms.treatment', '');
SELECT pg_catalog.pg_extension_config_dump('isms.treatment_id_seq', '');
COMMENT ON SEQUENCE isms.treatment_id_seq IS 'Ids of isms.treatment (dumped with the table, so new ids continue after restored ones)';

CREATE FUNCTION isms.treatment_before_write() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
BEGIN
  IF isms.restore_in_progress() THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.status NOT IN ('planned', 'in_progress') THEN
      RAISE EXCEPTION 'a new treatment plan cannot start as "%"', NEW.status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'treatment_status_transition',
              SCHEMA = 'isms', TABLE = 'treatment',
              DETAIL = 'A new plan is planned or in_progress.';
    END IF;
    NEW.completed_on := NULL;
    RETURN NEW;
  END IF;
  IF NEW.risk_id <> OLD.risk_id OR NEW.option <> OLD.option THEN
    RAISE EXCEPTION 'the risk and option of a treatment plan cannot change'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'treatment_status_transition',
            SCHEMA = 'isms', TABLE = 'treatment',
            HINT = 'Cancel the plan and record a new one with isms.treat().';
  END IF;
  IF NEW.status <> OLD.status THEN
    IF OLD.status IN ('done', 'cancelled') THEN
      RAISE EXCEPTION 'invalid treatment status transition from "%" to "%"', OLD.status, NEW.status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'treatment_status_transition',
              SCHEMA = 'isms', TABLE = 'treatment',
              DETAIL = 'done and cancelled are final.',
              HINT = 'Record a new plan with isms.treat().';
    END IF;
    IF NEW.status = 'done' THEN
      NEW.completed_on := coalesce(NEW.completed_on, current_date);
    ELSE
      NEW.completed_on := NULL;
    END IF;
  END IF;
  RETURN NEW;
END
$fn$;
COMMENT ON FUNCTION isms.treatment_before_write() IS
  'Trigger on isms.treatment: status moves planned <-> in_progress -> done | cancelled (done and cancelled final; 23514 treatment_status_transition otherwise), completion date, fixed risk and option';

CREATE TRIGGER treatment_before_write BEFORE INSERT OR UPDATE ON isms.treatment
  FOR EACH ROW EXECUTE FUNCTION isms.treatment_before_write();

-- Moves the risk along when its plans change.  A risk whose only finished
-- plans are "retain" waits for isms.accept_risk().
CREATE FUNCTION isms.treatment_after_write() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  rid bigint;
  rstatus isms.risk_status;
  open_plans boolean;
  done_plans boolean;
BEGIN
  IF isms.restore_in_progress() THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    UPDATE isms.risk r
       SET treatment = NEW.option,
           status = 'treatment_planned'
     WHERE r.id OPERATOR(pg_catalog.=) NEW.risk_id
       AND (r.status <> 'treatment_planned' OR r.treatment IS DISTINCT FROM NEW.option);
    RETURN NULL;
  END IF;
  rid := CASE WHEN TG_OP = 'DELETE' THEN OLD.risk_id ELSE NEW.risk_id END;
  SELECT r.status INTO rstatus FROM isms.risk r WHERE r.id OPERATOR(pg_catalog.=) rid;
  IF rstatus IS DISTINCT FROM 'treatment_planned' THEN
    RETURN NULL;
  END IF;
  SELECT bool_or(t.status IN ('planned', 'in_progress')),
         bool_or(t.status = 'done' AND t.option <> 'retain')
    INTO open_plans, done_plans
    FROM isms.treatment t WHERE t.risk_id OPERATOR(pg_catalog.=) rid;
  IF coalesce(open_plans, false) THEN
    RETURN NULL;
  ELSIF coalesce(done_plans, false) THEN
    UPDATE isms.risk r SET status = 'treated' WHERE r.id OPERATOR(pg_catalog.=) rid;
  ELSIF NOT EXISTS (SELECT 1 FROM isms.treatment t
                     WHERE t.risk_id OPERATOR(pg_catalog.=) rid AND t.status = 'done') THEN
    UPDATE isms.risk r SET status = 'assessed' WHERE r.id OPERATOR(pg_catalog.=) rid;
  END IF;
  RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION isms.treatment_after_write() IS
  'Trigger on isms.treatment: a new plan moves the risk to treatment_planned; when no plan is open any more the risk becomes treated (a non-retain plan done) or assessed (all cancelled)';

CREATE TRIGGER treatment_moves_risk AFTER INSERT OR UPDATE OR DELETE ON isms.treatment
  FOR EACH ROW EXECUTE FUNCTION isms.treatment_after_write();

CREATE FUNCTION isms.treat(risk_id bigint, option isms.treatment_option, plan text,
                           owner text, due date)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  tid bigint;
BEGIN
  PERFORM 1 FROM isms.risk r WHERE r.id OPERATOR(pg_catalog.=) treat.risk_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk % does not exist', coalesce(treat.risk_id::text, 'NULL')
      USING ERRCODE = 'no_data_found';
  END IF;
  INSERT INTO isms.treatment (risk_id, option, plan, owner, due)
  VALUES (treat.risk_id, treat.option, treat.plan, treat.owner, treat.due)
  RETURNING id INTO tid;
  RETURN tid;
END
$fn$;
COMMENT ON FUNCTION isms.treat(bigint, isms.treatment_option, text, text, date) IS
  'Records a treatment plan for a risk and moves the risk to treatment_planned (from assessed, treated or accepted); returns the plan id. Unknown risk P0002, a risk that is identified or closed 23514, missing plan/owner/due 23502 or 23514';
-- isms.acceptance: risk acceptance decisions (ISO/IEC 27001:2022 6.1.3 f,
-- ISO/IEC 27005:2022 10.5).  Each row is a record of a decision: a trigger
-- takes a snapshot of the risk (owner, residual score and level, appetite,
-- policy maximum) at decision time, and the rules for acceptances above the
-- appetite are CHECK constraints over that snapshot, so they hold for plain
-- INSERTs as much as for isms.accept_risk().  Records never change except
-- for being superseded; an expired one stays visible as expired.

CREATE TABLE isms.acceptance (
  id                  bigserial PRIMARY KEY,
  risk_id             bigint NOT NULL REFERENCES isms.risk (id) ON DELETE CASCADE,
  approver            text NOT NULL CONSTRAINT acceptance_approver_not_blank CHECK (btrim(approver) <> ''),
  rationale           text NOT NULL CONSTRAINT acceptance_rationale_not_blank CHECK (btrim(rationale) <> ''),
  accepted_on         date NOT NULL DEFAULT current_date,
  valid_until         date NOT NULL,
  risk_owner          text NOT NULL,
  matrix              text NOT NULL,
  residual            isms.risk_score NOT NULL,
  residual_level      text NOT NULL,
  residual_overridden boolean NOT NULL,
  above_appetite      boolean NOT NULL,
  max_validity_days   int NOT NULL,
  superseded_at       timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  created_by          text NOT NULL DEFAULT current_user,
  CONSTRAINT acceptance_valid_until_after_acceptance CHECK (valid_until > accepted_on),
  CONSTRAINT acceptance_approver_not_owner
    CHECK (NOT above_appetite OR lower(btrim(approver)) <> lower(btrim(risk_owner))),
  CONSTRAINT acceptance_validity_within_policy
    CHECK (NOT above_appetite OR valid_until <= accepted_on + max_validity_days)
);
-- At most one acceptance in force per risk; the register joins on it.
CREATE UNIQUE INDEX acceptance_current_key ON isms.acceptance (risk_id) WHERE superseded_at IS NULL;
COMMENT ON TABLE isms.acceptance IS
  'Risk acceptance decisions with approver, rationale and expiry, and a snapshot of the risk at decision time; above the appetite the approver must not be the risk owner and the validity must be within isms.acceptance_max_days. Rows are records: only superseded_at ever changes';
COMMENT ON COLUMN isms.acceptance.id IS 'Acceptance id (generated; returned by isms.accept_risk())';
COMMENT ON COLUMN isms.acceptance.risk_id IS 'The accepted risk (isms.risk.id)';
COMMENT ON COLUMN isms.acceptance.approver IS 'Who accepted the residual risk; above the appetite someone other than the risk owner';
COMMENT ON COLUMN isms.acceptance.rationale IS 'Why the risk is accepted';
COMMENT ON COLUMN isms.acceptance.accepted_on IS 'Date of the decision (always the day it was recorded)';
COMMENT ON COLUMN isms.acceptance.valid_until IS 'Last day the acceptance holds; after it the acceptance shows as expired';
COMMENT ON COLUMN isms.acceptance.risk_owner IS 'Snapshot: the risk owner at decision time';
COMMENT ON COLUMN isms.acceptance.matrix IS 'Snapshot: the risk matrix the level was read on';
COMMENT ON COLUMN isms.acceptance.residual IS 'Snapshot: the residual score that was accepted';
COMMENT ON COLUMN isms.acceptance.residual_level IS 'Snapshot: the level of that residual score on the matrix at decision time';
COMMENT ON COLUMN isms.acceptance.residual_overridden IS 'Snapshot: whether that residual was a manual override';
COMMENT ON COLUMN isms.acceptance.above_appetite IS 'Snapshot: whether that residual was above the matrix''s risk appetite';
COMMENT ON COLUMN isms.acceptance.max_validity_days IS 'Snapshot: the policy maximum (isms.acceptance_max_days) in force at decision time';
COMMENT ON COLUMN isms.acceptance.superseded_at IS
  'When the acceptance stopped being the one in force (a newer acceptance, or the risk left accepted status); NULL while in force';
COMMENT ON COLUMN isms.acceptance.created_at IS 'When the acceptance was recorded';
COMMENT ON COLUMN isms.acceptance.created_by IS 'Role that recorded the acceptance';

SELECT pg_catalog.pg_extension_config_dump('isms.acceptance', '');
SELECT pg_catalog.pg_extension_config_dump('isms.acceptance_id_seq', '');
COMMENT ON SEQUENCE isms.acceptance_id_seq IS 'Ids of isms.acceptance (dumped with the table, so new ids continue after restored ones)';

CREATE FUNCTION isms.acceptance_before_write() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'INSERT' AND isms.restore_in_progress() THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF (to_jsonb(NEW) - 'superseded_at') <> (to_jsonb(OLD) - 'superseded_at')
       OR (OLD.superseded_at IS NOT NULL AND NEW.superseded_at IS DISTINCT FROM OLD.superseded_at) THEN
      RAISE EXCEPTION 'an acceptance is a record and cannot be changed'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'acceptance_is_a_record',
              SCHEMA = 'isms', TABLE = 'acceptance',
              HINT = 'Record a new acceptance with isms.accept_risk(); it supersedes this one.';
    END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    IF OLD.superseded_at IS NULL
       AND EXISTS (SELECT 1 FROM isms.risk k WHERE k.id OPERATOR(pg_catalog.=) OLD.risk_id
                                              AND k.status = 'accepted') THEN
      RAISE EXCEPTION 'acceptance % is in force for risk %', OLD.id, OLD.risk_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'acceptance_is_a_record',
              SCHEMA = 'isms', TABLE = 'acceptance',
              HINT = 'Reassess, treat or close the risk first.';
    END IF;
    RETURN OLD;
  END IF;

  SELECT k.id, k.status, k.owner, k.matrix, k.residual, k.residual_override IS NOT NULL AS overridden
    INTO r FROM isms.risk k WHERE k.id OPERATOR(pg_catalog.=) NEW.risk_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk % does not exist', coalesce(NEW.risk_id::text, 'NULL')
      USING ERRCODE = 'foreign_key_violation', SCHEMA = 'isms', TABLE = 'acceptance';
  END IF;
  IF r.status <> 'accepted' THEN
    PERFORM isms.risk_transition_check(r.id, r.status, 'accepted');
  END IF;
  NEW.accepted_on := current_date;
  NEW.risk_owner := r.owner;
  NEW.matrix := r.matrix;
  NEW.residual := r.residual;
  NEW.residual_level := (isms.risk_level(r.residual, r.matrix)).name;
  NEW.residual_overridden := r.overridden;
  NEW.above_appetite := NOT isms.within_appetite(r.residual, r.matrix);
  -- The module defines the setting; read it only once the module is loaded.
  PERFORM isms.version();
  NEW.max_validity_days := coalesce(current_setting('isms.acceptance_max_days', true), '365')::int;
  NEW.superseded_at := NULL;
  NEW.created_at := now();
  NEW.created_by := current_user;
  UPDATE isms.acceptance a SET superseded_at = now()
   WHERE a.risk_id OPERATOR(pg_catalog.=) NEW.risk_id AND a.superseded_at IS NULL;
  RETURN NEW;
END
$fn$;
COMMENT ON FUNCTION isms.acceptance_before_write() IS
  'Trigger on isms.acceptance: snapshots the risk at decision time and supersedes the previous acceptance (INSERT); refuses changes other than superseding (UPDATE) and deleting the acceptance in force (DELETE), both 23514 acceptance_is_a_record';

CREATE TRIGGER acceptance_before_write BEFORE INSERT OR UPDATE OR DELETE ON isms.acceptance
  FOR EACH ROW EXECUTE FUNCTION isms.acceptance_before_write();

CREATE FUNCTION isms.acceptance_after_insert() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
BEGIN
  IF isms.restore_in_progress() THEN
    RETURN NULL;
  END IF;
  UPDATE isms.risk k SET status = 'accepted'
   WHERE k.id OPERATOR(pg_catalog.=) NEW.risk_id AND k.status <> 'accepted';
  -- A plan to retain is carried out by the acceptance itself.
  UPDATE isms.treatment t SET status = 'done'
   WHERE t.risk_id OPERATOR(pg_catalog.=) NEW.risk_id AND t.option = 'retain'
     AND t.status IN ('planned', 'in_progress');
  RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION isms.acceptance_after_insert() IS
  'Trigger on isms.acceptance: moves the risk to accepted and marks its open retain plans done';

CREATE TRIGGER acceptance_moves_risk AFTER INSERT ON isms.acceptance
  FOR EACH ROW EXECUTE FUNCTION isms.acceptance_after_insert();

CREATE FUNCTION isms.accept_risk(risk_id bigint, approver text, rationale text, valid_until date)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
DECLARE
  aid bigint;
BEGIN
  PERFORM 1 FROM isms.risk r WHERE r.id OPERATOR(pg_catalog.=) accept_risk.risk_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk % does not exist', coalesce(accept_risk.risk_id::text, 'NULL')
      USING ERRCODE = 'no_data_found';
  END IF;
  INSERT INTO isms.acceptance (risk_id, approver, rationale, valid_until)
  VALUES (accept_risk.risk_id, accept_risk.approver, accept_risk.rationale, accept_risk.valid_until)
  RETURNING id INTO aid;
  RETURN aid;
END
$fn$;
COMMENT ON FUNCTION isms.accept_risk(bigint, text, text, date) IS
  'Accepts the current residual risk of a risk until valid_until and moves it to accepted; returns the acceptance id. Above the appetite the approver must not be the owner (23514 acceptance_approver_not_owner) and valid_until must be within isms.acceptance_max_days (23514 acceptance_validity_within_policy). Unknown risk P0002, identified or closed risk 23514 risk_status_transition';
-- Dashboard views over the register: isms.risk_register (one flat row per
-- risk), isms.risk_heatmap (every cell of every matrix for every scope, also
-- the empty ones) and isms.treatment_status (one row per treatment plan).
-- Levels are plain joins to the matrix tables, not per-row function calls,
-- so the views cost what the same query written by hand costs (bench/30_*).

CREATE VIEW isms.risk_register AS
SELECT r.id AS risk_id,
       r.scope,
       r.ref,
       r.title,
       r.owner,
       r.status,
       r.matrix,
       r.inherent,
       li.name AS inherent_level,
       li.colour AS inherent_colour,
       r.residual,
       lr.name AS residual_level,
       lr.colour AS residual_colour,
       r.residual_override IS NOT NULL AS residual_overridden,
       r.residual_computed,
       r.residual_override_rationale,
       -- The C function reads the appetite once per query; it is only
       -- asked about mapped cells, so an unmapped one gives NULL, not an error.
       CASE WHEN lr.rank IS NOT NULL THEN isms.within_appetite(r.residual, r.matrix) END AS within_appetite,
       r.target,
       lt.name AS target_level,
       r.residual OPERATOR(isms.<=) r.target AS target_met,
       r.treatment,
       r.next_review,
       (r.status <> 'closed' AND r.next_review < current_date) AS overdue,
       a.approver AS accepted_by,
       a.accepted_on,
       a.valid_until AS acceptance_valid_until,
       (a.valid_until < current_date) AS acceptance_expired,
       (r.residual OPERATOR(isms.>) a.residual) AS acceptance_stale,
       coalesce(c.controls, '{}') AS linked_controls,
       coalesce(c.linked, 0) AS linked_control_count,
       coalesce(c.implemented, 0) AS implemented_control_count,
       r.identified_on,
       r.closed_at,
       r.cvss
  FROM isms.risk r
  LEFT JOIN isms.risk_matrix_cell ci
         ON ci.matrix = r.matrix AND ci.likelihood = isms.likelihood(r.inherent)
        AND ci.impact = isms.impact(r.inherent)
  LEFT JOIN isms.risk_level li ON li.matrix = ci.matrix AND li.name = ci.level
  LEFT JOIN isms.risk_matrix_cell cr
         ON cr.matrix = r.matrix AND cr.likelihood = isms.likelihood(r.residual)
        AND cr.impact = isms.impact(r.residual)
  LEFT JOIN isms.risk_level lr ON lr.matrix = cr.matrix AND lr.name = cr.level
  LEFT JOIN isms.risk_matrix_cell ct
         ON ct.matrix = r.matrix AND ct.likelihood = isms.likelihood(r.target)
        AND ct.impact = isms.impact(r.target)
  LEFT JOIN isms.risk_level lt ON lt.matrix = ct.matrix AND lt.name = ct.level
  LEFT JOIN isms.acceptance a ON a.risk_id = r.id AND a.superseded_at IS NULL
  LEFT JOIN (SELECT rc.risk_id,
                    array_agg(rc.framework || ':' || rc.control_ref
                              ORDER BY rc.framework, rc.control_ref) AS controls,
                    count(*)::int AS linked,
                    (count(*) FILTER (WHERE se.applicable AND se.status = 'implemented'))::int AS implemented
               FROM isms.risk_control rc
               JOIN isms.risk rr ON rr.id = rc.risk_id
               LEFT JOIN isms.soa_entry se
                      ON se.scope = rr.scope AND se.framework = rc.framework
                     AND se.control_ref = rc.control_ref
              GROUP BY rc.risk_id) c ON c.risk_id = r.id;
COMMENT ON VIEW isms.risk_register IS
  'The risk register for dashboards: one flat row per risk with scores, levels, colours, appetite, treatment, review, acceptance and linked controls';
COMMENT ON COLUMN isms.risk_register.risk_id IS 'Risk id (isms.risk.id)';
COMMENT ON COLUMN isms.risk_register.scope IS 'Scope of the risk';
COMMENT ON COLUMN isms.risk_register.ref IS 'Risk reference, unique in its scope';
COMMENT ON COLUMN isms.risk_register.title IS 'Short statement of the risk';
COMMENT ON COLUMN isms.risk_register.owner IS 'Risk owner';
COMMENT ON COLUMN isms.risk_register.status IS 'Status: identified, assessed, treatment_planned, treated, accepted or closed';
COMMENT ON COLUMN isms.risk_register.matrix IS 'Risk matrix the scores and levels are read on';
COMMENT ON COLUMN isms.risk_register.inherent IS 'Inherent score (likelihood x impact before controls), e.g. 4x5';
COMMENT ON COLUMN isms.risk_register.inherent_level IS 'Level of the inherent score on the matrix (e.g. high)';
COMMENT ON COLUMN isms.risk_register.inherent_colour IS 'Colour of the inherent level, #rrggbb';
COMMENT ON COLUMN isms.risk_register.residual IS 'Residual score in force (after controls, or the manual override)';
COMMENT ON COLUMN isms.risk_register.residual_level IS 'Level of the residual score on the matrix';
COMMENT ON COLUMN isms.risk_register.residual_colour IS 'Colour of the residual level, #rrggbb';
COMMENT ON COLUMN isms.risk_register.residual_overridden IS 'True when the residual is a manual override instead of the computed value';
COMMENT ON COLUMN isms.risk_register.residual_computed IS 'Residual score computed from the linked controls (shown even when overridden)';
COMMENT ON COLUMN isms.risk_register.residual_override_rationale IS 'Why the residual was overridden; NULL without override';
COMMENT ON COLUMN isms.risk_register.within_appetite IS 'True when the residual level is within the matrix''s risk appetite';
COMMENT ON COLUMN isms.risk_register.target IS 'Target score the treatment aims at';
COMMENT ON COLUMN isms.risk_register.target_level IS 'Level of the target score on the matrix';
COMMENT ON COLUMN isms.risk_register.target_met IS 'True when the residual score is at or below the target (risk score order); NULL without target';
COMMENT ON COLUMN isms.risk_register.treatment IS 'Treatment option of the latest plan: modify, retain, avoid or share';
COMMENT ON COLUMN isms.risk_register.next_review IS 'Date of the next review';
COMMENT ON COLUMN isms.risk_register.overdue IS 'True when the next review date has passed and the risk is not closed';
COMMENT ON COLUMN isms.risk_register.accepted_by IS 'Approver of the acceptance in force; NULL without one';
COMMENT ON COLUMN isms.risk_register.accepted_on IS 'Date of the acceptance in force';
COMMENT ON COLUMN isms.risk_register.acceptance_valid_until IS 'Last day the acceptance in force holds';
COMMENT ON COLUMN isms.risk_register.acceptance_expired IS 'True when the acceptance in force has expired (valid_until in the past): the risk needs a new decision';
COMMENT ON COLUMN isms.risk_register.acceptance_stale IS 'True when the residual score is now higher than the one that was accepted';
COMMENT ON COLUMN isms.risk_register.linked_controls IS 'Controls linked to the risk as framework:ref, e.g. {iso27001-2022:8.7}';
COMMENT ON COLUMN isms.risk_register.linked_control_count IS 'Number of linked controls';
COMMENT ON COLUMN isms.risk_register.implemented_control_count IS 'Number of linked controls that are applicable and implemented in the scope''s SoA';
COMMENT ON COLUMN isms.risk_register.identified_on IS 'Date the risk was identified';
COMMENT ON COLUMN isms.risk_register.closed_at IS 'When the risk was closed; NULL while open';
COMMENT ON COLUMN isms.risk_register.cvss IS 'Optional CVSS vector of the vulnerability behind the risk (isms.cvss; sorts by score; isms.cvss_score and isms.cvss_severity read it)';

-- The cells of a size x size grid.  Not inlined (it sets search_path), so
-- the planner sees ROWS 25 instead of guessing 1000 x 1000 rows per matrix
-- for two generate_series, which made it JIT-compile a 250-row query.
CREATE FUNCTION isms.matrix_grid(size int, OUT likelihood int, OUT impact int)
RETURNS SETOF record
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 25
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
  SELECT l, i FROM generate_series(1, size) AS l CROSS JOIN generate_series(1, size) AS i
$fn$;
COMMENT ON FUNCTION isms.matrix_grid(int) IS
  'Every cell (likelihood, impact) of a size x size risk matrix, likelihood-major; the grid of isms.risk_heatmap';

CREATE VIEW isms.risk_heatmap AS
SELECT g.scope,
       g.matrix,
       g.likelihood,
       g.impact,
       g.score,
       c.level,
       lv.rank AS level_rank,
       lv.colour,
       coalesce(a.inherent_n, 0)::int AS inherent_count,
       coalesce(a.residual_n, 0)::int AS residual_count
  FROM (SELECT s.id AS scope, m.id AS matrix, gr.likelihood, gr.impact,
               isms.risk_score(gr.likelihood, gr.impact) AS score
          FROM isms.scope s
         CROSS JOIN isms.risk_matrix m
         CROSS JOIN LATERAL isms.matrix_grid(m.size) AS gr) g
  LEFT JOIN isms.risk_matrix_cell c
         ON c.matrix = g.matrix AND c.likelihood = g.likelihood AND c.impact = g.impact
  LEFT JOIN isms.risk_level lv ON lv.matrix = c.matrix AND lv.name = c.level
  -- Both counts from one pass over the risks: each open risk stands once
  -- for its inherent and once for its residual score.  Grouped by scope, so
  -- a filter on the view's scope reaches into the scan.
  LEFT JOIN (SELECT r.scope, r.matrix, v.score,
                    count(*) FILTER (WHERE v.inherent) AS inherent_n,
                    count(*) FILTER (WHERE NOT v.inherent) AS residual_n
               FROM isms.risk r
              CROSS JOIN LATERAL (VALUES (true, r.inherent), (false, r.residual)) AS v(inherent, score)
              WHERE r.status <> 'closed' AND v.score IS NOT NULL
              GROUP BY r.scope, r.matrix, v.score) a
         ON a.scope = g.scope AND a.matrix = g.matrix AND a.score OPERATOR(isms.=) g.score;
COMMENT ON VIEW isms.risk_heatmap IS
  'Heat map per scope and matrix: every cell of the grid, also the empty ones, with its level, colour and the number of open risks whose inherent and residual scores fall in it';
COMMENT ON COLUMN isms.risk_heatmap.scope IS 'Scope (every scope appears, also without risks)';
COMMENT ON COLUMN isms.risk_heatmap.matrix IS 'Risk matrix (every matrix appears for every scope)';
COMMENT ON COLUMN isms.risk_heatmap.likelihood IS 'Likelihood of the cell, 1 to the matrix size (the row of the grid)';
COMMENT ON COLUMN isms.risk_heatmap.impact IS 'Impact of the cell, 1 to the matrix size (the column of the grid)';
COMMENT ON COLUMN isms.risk_heatmap.score IS 'The cell as a risk score, likelihood x impact';
COMMENT ON COLUMN isms.risk_heatmap.level IS 'Level of the cell on the matrix; NULL if the matrix leaves the cell unmapped';
COMMENT ON COLUMN isms.risk_heatmap.level_rank IS 'Rank of the level (higher is worse)';
COMMENT ON COLUMN isms.risk_heatmap.colour IS 'Colour of the level, #rrggbb, to paint the cell';
COMMENT ON COLUMN isms.risk_heatmap.inherent_count IS 'Open (not closed) risks of the scope on this matrix whose inherent score is this cell';
COMMENT ON COLUMN isms.risk_heatmap.residual_count IS 'Open (not closed) risks of the scope on this matrix whose residual score is this cell';

CREATE VIEW isms.treatment_status AS
SELECT t.id AS treatment_id,
       t.risk_id,
       r.scope,
       r.ref AS risk_ref,
       r.title AS risk_title,
       r.owner AS risk_owner,
       r.status AS risk_status,
       t.option,
       t.plan,
       t.owner,
       t.due,
       t.status,
       t.completed_on,
       (t.status IN ('planned', 'in_progress') AND t.due < current_date) AS overdue,
       CASE WHEN t.status IN ('planned', 'in_progress') AND t.due < current_date
            THEN current_date - t.due END AS days_overdue,
       t.created_at
  FROM isms.treatment t
  JOIN isms.risk r ON r.id = t.risk_id;
COMMENT ON VIEW isms.treatment_status IS
  'Treatment plans for dashboards: one row per plan with its risk, option, owner, due date, status and whether it is overdue';
COMMENT ON COLUMN isms.treatment_status.treatment_id IS 'Treatment plan id (isms.treatment.id)';
COMMENT ON COLUMN isms.treatment_status.risk_id IS 'Risk id';
COMMENT ON COLUMN isms.treatment_status.scope IS 'Scope of the risk';
COMMENT ON COLUMN isms.treatment_status.risk_ref IS 'Reference of the risk';
COMMENT ON COLUMN isms.treatment_status.risk_title IS 'Title of the risk';
COMMENT ON COLUMN isms.treatment_status.risk_owner IS 'Owner of the risk';
COMMENT ON COLUMN isms.treatment_status.risk_status IS 'Current status of the risk';
COMMENT ON COLUMN isms.treatment_status.option IS 'Treatment option: modify, retain, avoid or share';
COMMENT ON COLUMN isms.treatment_status.plan IS 'What will be done';
COMMENT ON COLUMN isms.treatment_status.owner IS 'Who carries the plan out';
COMMENT ON COLUMN isms.treatment_status.due IS 'When the plan must be done';
COMMENT ON COLUMN isms.treatment_status.status IS 'planned, in_progress, done or cancelled';
COMMENT ON COLUMN isms.treatment_status.completed_on IS 'Date the plan was done';
COMMENT ON COLUMN isms.treatment_status.overdue IS 'True when the plan is still open (planned or in_progress) after its due date';
COMMENT ON COLUMN isms.treatment_status.days_overdue IS 'Days past the due date of an overdue plan; NULL otherwise';
COMMENT ON COLUMN isms.treatment_status.created_at IS 'When the plan was recorded';
-- History of the register: the generic change-log trigger of the catalogue
-- (isms.log_change(), 220) is attached to every register table at
-- statement level (one INSERT ... SELECT per statement), and
-- isms.risk_as_of() rebuilds isms.risk_register at a past moment from that
-- log.  There is deliberately no second log.

CREATE TRIGGER asset_log_insert AFTER INSERT ON isms.asset
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER asset_log_update AFTER UPDATE ON isms.asset
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER asset_log_delete AFTER DELETE ON isms.asset
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_log_insert AFTER INSERT ON isms.risk
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_log_update AFTER UPDATE ON isms.risk
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_log_delete AFTER DELETE ON isms.risk
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_asset_log_insert AFTER INSERT ON isms.risk_asset
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_asset_log_update AFTER UPDATE ON isms.risk_asset
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_asset_log_delete AFTER DELETE ON isms.risk_asset
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_control_log_insert AFTER INSERT ON isms.risk_control
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_control_log_update AFTER UPDATE ON isms.risk_control
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_control_log_delete AFTER DELETE ON isms.risk_control
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER treatment_log_insert AFTER INSERT ON isms.treatment
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER treatment_log_update AFTER UPDATE ON isms.treatment
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER treatment_log_delete AFTER DELETE ON isms.treatment
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER acceptance_log_insert AFTER INSERT ON isms.acceptance
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER acceptance_log_update AFTER UPDATE ON isms.acceptance
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER acceptance_log_delete AFTER DELETE ON isms.acceptance
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();

-- Each log entry says "this key now holds this row" (new_row) and, when the
-- row went or its key changed, "the old key holds nothing" (old_row); the
-- latest statement about each key at or before as_of is its state then.
CREATE FUNCTION isms.rows_as_of(table_name text, key_columns text[], as_of timestamptz)
RETURNS SETOF jsonb
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
BEGIN
  -- Planned per call for the table asked about (EXECUTE): the history of a
  -- table with few entries in the log is a range of the log's key
  -- (table_name, id); that of the table filling most of it, a scan.
  RETURN QUERY EXECUTE $q$
  SELECT x.state
    FROM (SELECT DISTINCT ON (k.key) v.state
            FROM isms.change_log l
           CROSS JOIN LATERAL (VALUES (l.old_row, NULL::jsonb, 0), (l.new_row, l.new_row, 1))
                              AS v(keyrow, state, ord)
           CROSS JOIN LATERAL (SELECT ARRAY[v.keyrow ->> $2[1], v.keyrow ->> $2[2],
                                            v.keyrow ->> $2[3]] AS key) AS k
           WHERE l.table_name = $1
             AND l.logged_at <= $3
             AND v.keyrow IS NOT NULL
           ORDER BY k.key, l.id DESC, v.ord DESC) AS x
   WHERE x.state IS NOT NULL$q$
  USING table_name, key_columns, as_of;
END
$fn$;
COMMENT ON FUNCTION isms.rows_as_of(text, text[], timestamptz) IS
  'The rows a logged table (e.g. ''isms.risk'') held at as_of, as jsonb, rebuilt from isms.change_log; key_columns names its key (at most three columns)';

-- isms.risk_as_of() is isms.risk_register over the rows each table held at
-- as_of (the last logged version of each key at or before as_of, unless
-- that was a DELETE), with as_of's date in place of current_date.  Its body
-- is not written a second time: it is the view's own definition
-- (pg_get_viewdef) with the four tables replaced by those row sets and
-- current_date by as_of's date, so the two cannot drift apart.  Every
-- replacement must happen exactly as often as expected, or the install
-- fails here.
DO $do$
DECLARE
  body text := pg_catalog.pg_get_viewdef('isms.risk_register'::pg_catalog.regclass);
  -- pattern, replacement, occurrences expected in the view
  subst CONSTANT text[] := ARRAY[
    ['isms\.risk\M', 'risk_then', '2'],
    ['isms\.risk_control\M', 'control_then', '1'],
    ['isms\.soa_entry\M', 'soa_then', '1'],
    ['isms\.acceptance\M', 'acceptance_then', '1'],
    ['\mCURRENT_DATE\M', '(as_of)::date', '2']];
  found int;
BEGIN
  FOR i IN 1 .. pg_catalog.array_length(subst, 1) LOOP
    found := (SELECT pg_catalog.count(*) FROM pg_catalog.regexp_matches(body, subst[i][1], 'g'));
    IF found OPERATOR(pg_catalog.<>) subst[i][3]::int THEN
      RAISE EXCEPTION 'isms.risk_register: % occurs % times, expected %', subst[i][1], found, subst[i][3];
    END IF;
    body := pg_catalog.regexp_replace(body, subst[i][1], subst[i][2], 'g');
  END LOOP;
  body := pg_catalog.rtrim(body, E'; \n');
  EXECUTE pg_catalog.format($f$
CREATE FUNCTION isms.risk_as_of(as_of timestamptz) RETURNS SETOF isms.risk_register
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, isms, pg_temp
AS %L$f$, $b$
WITH risk_then AS (
  SELECT r.* FROM isms.rows_as_of('isms.risk', '{id}', as_of) AS j
   CROSS JOIN LATERAL jsonb_populate_record(NULL::isms.risk, j) AS r
), control_then AS (
  SELECT c.* FROM isms.rows_as_of('isms.risk_control', '{risk_id,framework,control_ref}', as_of) AS j
   CROSS JOIN LATERAL jsonb_populate_record(NULL::isms.risk_control, j) AS c
), soa_then AS (
  SELECT e.* FROM isms.rows_as_of('isms.soa_entry', '{scope,framework,control_ref}', as_of) AS j
   CROSS JOIN LATERAL jsonb_populate_record(NULL::isms.soa_entry, j) AS e
), acceptance_then AS (
  SELECT a.* FROM isms.rows_as_of('isms.acceptance', '{id}', as_of) AS j
   CROSS JOIN LATERAL jsonb_populate_record(NULL::isms.acceptance, j) AS a
)$b$ || body);
END
$do$;
COMMENT ON FUNCTION isms.risk_as_of(timestamptz) IS
  'The risk register (rows of isms.risk_register) as it stood at as_of, rebuilt from isms.change_log: risks, their links, acceptances and SoA statuses as they were then; overdue and expired are judged on as_of''s date; level names and colours come from the current matrices';
-- RRULE expansion (RFC 5545 3.3.10) with libical: validation, occurrences and
-- the next occurrence, in the wall-clock time of the session TimeZone.

CREATE FUNCTION isms.rrule_is_valid(rrule text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'isms_rrule_is_valid'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.rrule_is_valid(text) IS
  'True if libical accepts the RFC 5545 RRULE value (without "RRULE:") and can expand it; used by the CHECK on isms.reminder.rrule';

CREATE FUNCTION isms.rrule_occurrences(rrule text, dtstart timestamptz,
    range_start timestamptz DEFAULT NULL, range_end timestamptz DEFAULT NULL,
    max_count int DEFAULT 1000)
  RETURNS SETOF timestamptz
  AS 'MODULE_PATHNAME', 'isms_rrule_occurrences'
  LANGUAGE C STABLE PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION isms.rrule_occurrences(text, timestamptz, timestamptz, timestamptz, int) IS
  'Occurrences of an RRULE starting at dtstart, within [range_start, range_end], at most max_count; expanded in the session TimeZone (STABLE); bad rule: 22P02 with the reason';

CREATE FUNCTION isms.rrule_next(rrule text, dtstart timestamptz, after timestamptz)
  RETURNS timestamptz
  AS 'MODULE_PATHNAME', 'isms_rrule_next'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.rrule_next(text, timestamptz, timestamptz) IS
  'First occurrence of an RRULE starting at dtstart that is strictly after "after", or NULL when the rule has ended; session TimeZone';
-- isms.reminder: the one source behind every calendar.  Only triggers on the
-- subject tables write it, through isms.reminder_sync / _cancel / _done (or
-- their set-based forms isms.reminder_sync_set / _close_set, which the
-- statement triggers call with the rows of their transition tables).  Rows are never
-- deleted by the extension: a closed or deleted subject cancels its reminder
-- (STATUS:CANCELLED, SEQUENCE + 1) so subscribed clients remove the event.

CREATE TYPE isms.reminder_status AS ENUM ('scheduled', 'done', 'cancelled');
COMMENT ON TYPE isms.reminder_status IS
  'State of a reminder: scheduled (due), done (the subject was completed), cancelled (the subject was closed or deleted)';

CREATE FUNCTION isms.new_uid() RETURNS text
  AS 'MODULE_PATHNAME', 'isms_new_uid'
  LANGUAGE C VOLATILE PARALLEL SAFE;
COMMENT ON FUNCTION isms.new_uid() IS
  'A new globally unique calendar UID "<time-ordered UUID (RFC 9562 version 7)>@<isms.uid_domain>" (default of isms.reminder.uid)';

-- The UID rule in C (src/ical_core.c): a regular expression for it costs
-- more per row than the rest of a reminder insert, which a bulk load of
-- subjects pays once per row.
CREATE FUNCTION isms.uid_is_valid(uid text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'isms_uid_is_valid'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isms.uid_is_valid(text) IS
  'True if uid is a calendar UID pg_isms stores: 1 to 200 characters without "@", whitespace or control characters, "@", and a domain of 1 to 253 letters, digits, "." and "-"; the CHECK on isms.reminder.uid';

CREATE TABLE isms.reminder (
  uid          text PRIMARY KEY DEFAULT isms.new_uid()
               CONSTRAINT reminder_uid_format CHECK (isms.uid_is_valid(uid)),
  -- The length is tested apart from the pattern: PostgreSQL's regex engine
  -- builds a bounded repeat such as {0,62} state by state on every call.
  kind         text NOT NULL CONSTRAINT reminder_kind_format CHECK (kind ~ '^[a-z][a-z0-9_]*$' AND length(kind) <= 63),
  subject      regclass NOT NULL,
  subject_key  text NOT NULL CONSTRAINT reminder_subject_key_not_blank CHECK (subject_key <> ''),
  scope        text NOT NULL,
  owner        text,
  summary      text NOT NULL CONSTRAINT reminder_summary_not_blank CHECK (btrim(summary) <> ''),
  description  text,
  -- Dates and times stay within what an iCalendar export carries: libical
  -- 3.0 writes dates from 0001-01-02 (0001-01-01 is its null time) to the
  -- year 3000, and an all-day entry ends the day after its last day; times
  -- keep a day's margin for any zone (src/ical_core.h, ISMS_ICAL_FIRST_DAY).
  due          date NOT NULL CONSTRAINT reminder_due_in_calendar
               CHECK (due BETWEEN date '0001-01-02' AND date '3000-12-30'),
  last_day     date CONSTRAINT reminder_last_day_after_due
               CHECK (last_day >= due AND last_day <= date '3000-12-30'),
  starts_at    timestamptz CONSTRAINT reminder_starts_at_in_calendar
               CHECK (starts_at BETWEEN timestamptz '0001-01-03 00:00+00' AND timestamptz '3000-12-30 00:00+00'),
  ends_at      timestamptz CONSTRAINT reminder_ends_at_in_calendar
               CHECK (ends_at <= timestamptz '3000-12-30 00:00+00'),
  rrule        text CONSTRAINT reminder_rrule_valid CHECK (isms.rrule_is_valid(rrule)),
  alarms       interval[] CONSTRAINT reminder_alarms_valid
               CHECK (cardinality(alarms) <= 10 AND array_ndims(alarms) = 1
                      AND interval '0' <= ALL (alarms) AND interval '1 year' >= ALL (alarms)
                      AND array_position(alarms, NULL) IS NULL),
  sequence     int NOT NULL DEFAULT 0 CONSTRAINT reminder_sequence_not_negative CHECK (sequence >= 0),
  status       isms.reminder_status NOT NULL DEFAULT 'scheduled',
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT reminder_one_per_subject UNIQUE (kind, subject, subject_key),
  CONSTRAINT reminder_timed_or_all_day CHECK (starts_at IS NULL OR last_day IS NULL),
  CONSTRAINT reminder_ends_after_start CHECK (ends_at IS NULL OR (starts_at IS NOT NULL AND ends_at > starts_at)),
  CONSTRAINT reminder_updated_after_created CHECK (updated_at >= created_at)
);
COMMENT ON TABLE isms.reminder IS
  'Every deadline as a calendar entry with a stable UID and a SEQUENCE; written only by triggers on the subject tables; exported by isms.ical_export';
COMMENT ON COLUMN isms.reminder.uid IS 'Calendar UID, stable for the life of the reminder and globally unique: time-ordered random UUID (version 7) @ isms.uid_domain (at creation)';
COMMENT ON COLUMN isms.reminder.kind IS 'What is due: certificate_expiry, surveillance_audit, recertification_audit, audit, internal_audit, management_review, risk_review, soa_review, acceptance_expiry, treatment_due, ...';
COMMENT ON COLUMN isms.reminder.subject IS 'Table of the subject row the reminder belongs to';
COMMENT ON COLUMN isms.reminder.subject_key IS 'Primary key of the subject row, as text';
COMMENT ON COLUMN isms.reminder.scope IS 'Scope id of the subject (isms.scope.id); exported as CATEGORIES';
COMMENT ON COLUMN isms.reminder.owner IS 'Who must act (free text, e.g. a name or e-mail); exported in the description';
COMMENT ON COLUMN isms.reminder.summary IS 'One-line title shown by calendar clients (SUMMARY)';
COMMENT ON COLUMN isms.reminder.description IS 'Longer text (DESCRIPTION)';
COMMENT ON COLUMN isms.reminder.due IS 'Day the item is due (0001-01-02 to 3000-12-30, what an iCalendar export carries); an all-day entry on this day unless starts_at is set (DTSTART;VALUE=DATE or DUE)';
COMMENT ON COLUMN isms.reminder.last_day IS 'Last day of a multi-day all-day entry (e.g. an audit from due to last_day); NULL for one day';
COMMENT ON COLUMN isms.reminder.starts_at IS 'Start of a timed entry (DTSTART in UTC); NULL for all-day entries';
COMMENT ON COLUMN isms.reminder.ends_at IS 'End of a timed entry (DTEND); NULL for none';
COMMENT ON COLUMN isms.reminder.rrule IS 'RFC 5545 RRULE value (without "RRULE:") when the entry recurs; NULL for one-off entries';
COMMENT ON COLUMN isms.reminder.alarms IS 'How long before the start each alarm fires (one VALARM each); at most 10, each between 0 and 1 year';
COMMENT ON COLUMN isms.reminder.sequence IS 'RFC 5545 SEQUENCE: 0 at creation, plus one on every change a calendar shows';
COMMENT ON COLUMN isms.reminder.status IS 'scheduled, done or cancelled (exported as STATUS)';
COMMENT ON COLUMN isms.reminder.created_at IS 'When the reminder was created (CREATED)';
COMMENT ON COLUMN isms.reminder.updated_at IS 'When a calendar-visible field last changed (DTSTAMP and LAST-MODIFIED)';


SELECT pg_catalog.pg_extension_config_dump('isms.reminder', '');

CREATE FUNCTION isms.reminder_restore_guard() RETURNS trigger
  AS 'MODULE_PATHNAME', 'isms_reminder_restore_guard'
  LANGUAGE C;
COMMENT ON FUNCTION isms.reminder_restore_guard() IS
  'Trigger: a reminder row inserted from outside the reminder functions (a pg_dump restore) replaces the one a subject trigger made for the same subject';
CREATE TRIGGER reminder_restore_guard BEFORE INSERT ON isms.reminder
  FOR EACH ROW WHEN (pg_catalog.pg_trigger_depth() OPERATOR(pg_catalog.=) 0)
  EXECUTE FUNCTION isms.reminder_restore_guard();

-- STABLE (constant within a statement) and therefore callable by every
-- role: the schedule triggers' WHEN clauses run it as whoever writes.
CREATE FUNCTION isms.restore_in_progress() RETURNS boolean
  AS 'MODULE_PATHNAME', 'isms_restore_in_progress_sql'
  LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION isms.restore_in_progress() IS
  'True while pg_restore (or psql running a plain dump) loads table data: COPY in a superuser session with check_function_bodies off or an empty search_path; the triggers of pg_isms then keep the dumped rows as they are and skip the work whose results the dump holds';

CREATE FUNCTION isms.reminder_sync(kind text, subject regclass, subject_key text,
    scope text, owner text, summary text, description text, due date,
    rrule text DEFAULT NULL, alarms interval[] DEFAULT NULL,
    starts_at timestamptz DEFAULT NULL, ends_at timestamptz DEFAULT NULL,
    last_day date DEFAULT NULL)
  RETURNS void
  AS 'MODULE_PATHNAME', 'isms_reminder_sync'
  LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER;
COMMENT ON FUNCTION isms.reminder_sync(text, regclass, text, text, text, text, text, date, text, interval[], timestamptz, timestamptz, date) IS
  'Insert or update the reminder of a subject; SEQUENCE + 1 and status back to scheduled when anything a calendar shows changed, nothing written otherwise';

CREATE FUNCTION isms.reminder_cancel(kind text, subject regclass, subject_key text)
  RETURNS void
  AS 'MODULE_PATHNAME', 'isms_reminder_cancel'
  LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER;
COMMENT ON FUNCTION isms.reminder_cancel(text, regclass, text) IS
  'Cancel the reminder of a closed or deleted subject (STATUS:CANCELLED, SEQUENCE + 1); the row stays so calendars remove the event';

CREATE FUNCTION isms.reminder_done(kind text, subject regclass, subject_key text)
  RETURNS void
  AS 'MODULE_PATHNAME', 'isms_reminder_done'
  LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER;
COMMENT ON FUNCTION isms.reminder_done(text, regclass, text) IS
  'Mark a scheduled reminder done (SEQUENCE + 1) when its subject is completed';

-- The set-based forms: one statement per trigger firing, same rules.
CREATE TYPE isms.reminder_item AS (
  kind text, subject regclass, subject_key text, scope text, owner text,
  summary text, description text, due date, rrule text, alarms interval[],
  starts_at timestamptz, ends_at timestamptz, last_day date
);
COMMENT ON TYPE isms.reminder_item IS
  'One reminder as the statement triggers hand it to isms.reminder_sync_set: the arguments of isms.reminder_sync as a row';
COMMENT ON COLUMN isms.reminder_item.kind IS 'What is due (isms.reminder.kind)';
COMMENT ON COLUMN isms.reminder_item.subject IS 'Table of the subject row (isms.reminder.subject)';
COMMENT ON COLUMN isms.reminder_item.subject_key IS 'Primary key of the subject row, as text';
COMMENT ON COLUMN isms.reminder_item.scope IS 'Scope id of the subject';
COMMENT ON COLUMN isms.reminder_item.owner IS 'Who must act';
COMMENT ON COLUMN isms.reminder_item.summary IS 'One-line title (SUMMARY)';
COMMENT ON COLUMN isms.reminder_item.description IS 'Longer text (DESCRIPTION)';
COMMENT ON COLUMN isms.reminder_item.due IS 'Day the item is due';
COMMENT ON COLUMN isms.reminder_item.rrule IS 'RRULE value when the entry recurs, else NULL';
COMMENT ON COLUMN isms.reminder_item.alarms IS 'How long before the start each alarm fires';
COMMENT ON COLUMN isms.reminder_item.starts_at IS 'Start of a timed entry, else NULL';
COMMENT ON COLUMN isms.reminder_item.ends_at IS 'End of a timed entry, else NULL';
COMMENT ON COLUMN isms.reminder_item.last_day IS 'Last day of a multi-day all-day entry, else NULL';

CREATE FUNCTION isms.reminder_sync_set(items isms.reminder_item[])
  RETURNS void
  AS 'MODULE_PATHNAME', 'isms_reminder_sync_set'
  LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER;
COMMENT ON FUNCTION isms.reminder_sync_set(isms.reminder_item[]) IS
  'isms.reminder_sync for a set of subjects (each at most once) in one INSERT ... ON CONFLICT: what the statement triggers call with their transition tables';

CREATE FUNCTION isms.reminder_close_set(kind text, subject regclass, subject_keys text[],
    status isms.reminder_status)
  RETURNS void
  AS 'MODULE_PATHNAME', 'isms_reminder_close_set'
  LANGUAGE C VOLATILE PARALLEL UNSAFE SECURITY DEFINER;
COMMENT ON FUNCTION isms.reminder_close_set(text, regclass, text[], isms.reminder_status) IS
  'Move the reminders of a set of subjects to status (cancelled or done) unless they are in it already, SEQUENCE + 1 each; the rows stay';

REVOKE ALL ON FUNCTION isms.reminder_sync(text, regclass, text, text, text, text, text, date, text, interval[], timestamptz, timestamptz, date),
  isms.reminder_cancel(text, regclass, text), isms.reminder_done(text, regclass, text),
  isms.reminder_sync_set(isms.reminder_item[]),
  isms.reminder_close_set(text, regclass, text[], isms.reminder_status),
  isms.reminder_restore_guard(), isms.new_uid()
  FROM PUBLIC;
-- Certification cycle (ISO/IEC 17021-1 9.1.3, see docs/reference/certification.md
-- for the exact rule and its sources): certificates per scope, the audit
-- programme a trigger keeps in step with them, internal audits and
-- management reviews that schedule their next occurrence, and the
-- reminders of all of them.

CREATE TYPE isms.audit_kind AS ENUM
  ('stage1', 'stage2', 'surveillance', 'recertification', 'internal', 'management_review');
COMMENT ON TYPE isms.audit_kind IS
  'Kind of audit: stage1 and stage2 (initial certification), surveillance, recertification (certification body), internal (ISO/IEC 27001 9.2), management_review (9.3)';

CREATE TYPE isms.audit_status AS ENUM ('planned', 'confirmed', 'completed', 'cancelled');
COMMENT ON TYPE isms.audit_status IS
  'planned (due, dates not agreed), confirmed (dates agreed), completed, cancelled';

CREATE TABLE isms.certification (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scope                text NOT NULL REFERENCES isms.scope (id) ON UPDATE CASCADE,
  standard             text NOT NULL DEFAULT 'ISO/IEC 27001:2022'
                       CONSTRAINT certification_standard_not_blank CHECK (btrim(standard) <> ''),
  certification_body   text NOT NULL CONSTRAINT certification_body_not_blank CHECK (btrim(certification_body) <> ''),
  certificate_number   text CONSTRAINT certification_number_not_blank CHECK (btrim(certificate_number) <> ''),
  decided_on           date NOT NULL CONSTRAINT certification_decided_finite CHECK (isfinite(decided_on)),
  cycle_start          date NOT NULL,
  expires_on           date NOT NULL CONSTRAINT certification_expires_finite CHECK (isfinite(expires_on)),
  recertification_lead interval NOT NULL DEFAULT '3 months'
                       CONSTRAINT certification_lead_range CHECK (recertification_lead >= interval '0' AND recertification_lead <= interval '1 year'),
  previous             bigint UNIQUE REFERENCES isms.certification (id),
  status               text NOT NULL DEFAULT 'active'
                       CONSTRAINT certification_status_valid CHECK (status IN ('active', 'suspended', 'superseded', 'withdrawn')),
  created_at           timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT certification_expires_after_decision CHECK (expires_on > decided_on),
  CONSTRAINT certification_cycle_length CHECK (expires_on > cycle_start + interval '2 years' AND expires_on <= cycle_start + interval '3 years'),
  CONSTRAINT certification_not_own_previous CHECK (previous <> id)
);
COMMENT ON TABLE isms.certification IS
  'Certificates per scope: each row is one three-year certification cycle; a trigger keeps its surveillance and recertification audits and the expiry reminder in step';
COMMENT ON COLUMN isms.certification.id IS 'Certificate cycle id';
COMMENT ON COLUMN isms.certification.scope IS 'Certified scope (isms.scope.id)';
COMMENT ON COLUMN isms.certification.standard IS 'Certified standard, default ISO/IEC 27001:2022';
COMMENT ON COLUMN isms.certification.certification_body IS 'Accredited certification body that issued the certificate';
COMMENT ON COLUMN isms.certification.certificate_number IS 'Certificate number as printed';
COMMENT ON COLUMN isms.certification.decided_on IS 'Certification (or recertification) decision date; changing it reschedules the cycle';
COMMENT ON COLUMN isms.certification.cycle_start IS 'Anchor of the cycle (set by the trigger): the decision date, or the previous expiry when a recertification was decided before it';
COMMENT ON COLUMN isms.certification.expires_on IS 'Expiry date; defaults to three years after cycle_start';
COMMENT ON COLUMN isms.certification.recertification_lead IS 'How long before expiry the recertification audit is due (0 to 1 year, default 3 months)';
COMMENT ON COLUMN isms.certification.previous IS 'The certificate this recertification continues (its cycle goes on), or NULL for an initial certification';
COMMENT ON COLUMN isms.certification.status IS 'active, suspended, superseded (by a recertification) or withdrawn';
COMMENT ON COLUMN isms.certification.created_at IS 'When the row was created';
SELECT pg_catalog.pg_extension_config_dump('isms.certification', '');
SELECT pg_catalog.pg_extension_config_dump('isms.certification_id_seq', '');
COMMENT ON SEQUENCE isms.certification_id_seq IS 'Identity of isms.certification.id';

CREATE TABLE isms.audit (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scope          text NOT NULL REFERENCES isms.scope (id) ON UPDATE CASCADE,
  kind           isms.audit_kind NOT NULL,
  title          text CONSTRAINT audit_title_not_blank CHECK (btrim(title) <> ''),
  certification  bigint REFERENCES isms.certification (id) ON DELETE CASCADE,
  cycle_year     smallint CONSTRAINT audit_cycle_year_range CHECK (cycle_year BETWEEN 1 AND 3),
  due_by         date NOT NULL CONSTRAINT audit_due_by_finite CHECK (isfinite(due_by)),
  planned_start  date CONSTRAINT audit_planned_start_finite CHECK (isfinite(planned_start)),
  planned_end    date,
  status         isms.audit_status NOT NULL DEFAULT 'planned',
  auditor        text,
  completed_on   date,
  repeat_every   interval CONSTRAINT audit_repeat_range CHECK (repeat_every >= interval '1 month' AND repeat_every <= interval '3 years'),
  follows        bigint UNIQUE REFERENCES isms.audit (id) ON DELETE SET NULL,
  external_uid   text UNIQUE CONSTRAINT audit_external_uid_not_blank CHECK (btrim(external_uid) <> ''),
  notes          text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT audit_planned_end_after_start CHECK (planned_end IS NULL OR (planned_start IS NOT NULL AND planned_end >= planned_start AND planned_end <= planned_start + 60)),
  CONSTRAINT audit_completed_on_iff_completed CHECK ((status = 'completed') = (completed_on IS NOT NULL)),
  CONSTRAINT audit_cycle_slot CHECK ((cycle_year IS NULL) = (certification IS NULL)
                                     AND (cycle_year IS NULL OR kind IN ('surveillance', 'recertification'))),
  CONSTRAINT audit_repeat_only_internal CHECK (repeat_every IS NULL OR kind IN ('internal', 'management_review')),
  CONSTRAINT audit_one_per_slot UNIQUE (certification, cycle_year)
);
COMMENT ON TABLE isms.audit IS
  'Audit programme: certification-body audits (stage 1, stage 2, surveillance, recertification), internal audits and management reviews, each with its reminder';
COMMENT ON COLUMN isms.audit.id IS 'Audit id';
COMMENT ON COLUMN isms.audit.scope IS 'Audited scope (isms.scope.id)';
COMMENT ON COLUMN isms.audit.kind IS 'stage1, stage2, surveillance, recertification, internal or management_review';
COMMENT ON COLUMN isms.audit.title IS 'Optional title; the calendar shows a generated one when NULL';
COMMENT ON COLUMN isms.audit.certification IS 'Certificate whose cycle scheduled this audit (surveillance and recertification audits made by the trigger)';
COMMENT ON COLUMN isms.audit.cycle_year IS 'Year of the cycle the audit belongs to: 1 and 2 (surveillance), 3 (recertification)';
COMMENT ON COLUMN isms.audit.due_by IS 'Latest date the audit must take place';
COMMENT ON COLUMN isms.audit.planned_start IS 'First planned day (the calendar entry moves here once set)';
COMMENT ON COLUMN isms.audit.planned_end IS 'Last planned day (inclusive)';
COMMENT ON COLUMN isms.audit.status IS 'planned, confirmed, completed or cancelled';
COMMENT ON COLUMN isms.audit.auditor IS 'Lead auditor or audit team';
COMMENT ON COLUMN isms.audit.completed_on IS 'Day the audit (or review) was completed; required when status is completed';
COMMENT ON COLUMN isms.audit.repeat_every IS 'For internal audits and management reviews: interval to the next one (default 1 year); completing this one schedules the next from its due date';
COMMENT ON COLUMN isms.audit.follows IS 'The internal audit or management review whose completion scheduled this one';
COMMENT ON COLUMN isms.audit.external_uid IS 'UID of the invitation a certification body sent, when the audit came from isms.ical_import';
COMMENT ON COLUMN isms.audit.notes IS 'Free notes (shown in the calendar description)';
COMMENT ON COLUMN isms.audit.created_at IS 'When the row was created';
SELECT pg_catalog.pg_extension_config_dump('isms.audit', '');
SELECT pg_catalog.pg_extension_config_dump('isms.audit_id_seq', '');
COMMENT ON SEQUENCE isms.audit_id_seq IS 'Identity of isms.audit.id';

-- The rule, in one place, as a function users and tests can call.  Month
-- arithmetic clamps to the month end (29 February + 12 months = 28 February),
-- which keeps "no later than 12 months" true.
CREATE FUNCTION isms.certification_cycle(cycle_start date, expires_on date,
    recertification_lead interval DEFAULT '3 months')
  RETURNS TABLE (kind isms.audit_kind, cycle_year smallint, due_by date)
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT 'surveillance'::isms.audit_kind, 1::smallint, (cycle_start + interval '12 months')::date
  UNION ALL
  SELECT 'surveillance', 2::smallint, (cycle_start + interval '24 months')::date
  UNION ALL
  SELECT 'recertification', 3::smallint, (expires_on - recertification_lead)::date
$$;
COMMENT ON FUNCTION isms.certification_cycle(date, date, interval) IS
  'The audit programme of one certification cycle: surveillance 1 due 12 months after the cycle start, surveillance 2 due 24 months after, recertification due the lead time before expiry';

CREATE FUNCTION isms.audit_reminder_kind(kind isms.audit_kind) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE kind WHEN 'management_review' THEN 'management_review'
                   WHEN 'internal' THEN 'internal_audit'
                   ELSE kind::text || '_audit' END
$$;
COMMENT ON FUNCTION isms.audit_reminder_kind(isms.audit_kind) IS
  'Reminder kind of an audit: stage1_audit, stage2_audit, surveillance_audit, recertification_audit, internal_audit, management_review';

-- Every trigger below is skipped while pg_restore loads data
-- (isms.restore_in_progress()): the dump already holds the audits and
-- reminders these triggers made, with their ids, UIDs and SEQUENCEs.

-- BEFORE: cycle anchor and default expiry.
CREATE FUNCTION isms.certification_defaults() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  prev isms.certification;
  old_default date;
BEGIN
  IF NEW.previous IS NOT NULL THEN
    SELECT * INTO prev FROM isms.certification WHERE id = NEW.previous;
    IF prev.scope IS DISTINCT FROM NEW.scope THEN
      RAISE EXCEPTION 'a recertification must continue a certificate of the same scope'
        USING ERRCODE = '23514', DETAIL = format('Certificate %s belongs to scope %s, not %s.', NEW.previous, prev.scope, NEW.scope);
    END IF;
  END IF;
  -- A recertification decided before the old expiry keeps the cycle aligned
  -- on the old expiry; otherwise the cycle starts at the decision.
  NEW.cycle_start := CASE WHEN prev.id IS NOT NULL AND NEW.decided_on <= prev.expires_on
                          THEN prev.expires_on ELSE NEW.decided_on END;
  IF TG_OP = 'INSERT' THEN
    IF NEW.expires_on IS NULL THEN
      NEW.expires_on := (NEW.cycle_start + interval '3 years')::date;
    END IF;
  ELSE
    -- A decision-date change moves an expiry that was the default with it.
    old_default := (OLD.cycle_start + interval '3 years')::date;
    IF NEW.cycle_start IS DISTINCT FROM OLD.cycle_start
       AND NEW.expires_on IS NOT DISTINCT FROM OLD.expires_on
       AND OLD.expires_on = old_default THEN
      NEW.expires_on := (NEW.cycle_start + interval '3 years')::date;
    END IF;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION isms.certification_defaults() IS
  'Trigger: sets cycle_start and the default expiry (three years after the cycle start) of a certificate';

-- AFTER: audits of the cycle and the expiry reminder.
CREATE FUNCTION isms.certification_schedule() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  c isms.certification := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  key text := c.id::text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM isms.reminder_cancel('certificate_expiry', 'isms.certification'::regclass, key);
    RETURN NULL;
  END IF;

  IF TG_OP = 'INSERT' THEN
    INSERT INTO isms.audit (scope, kind, certification, cycle_year, due_by)
    SELECT c.scope, p.kind, c.id, p.cycle_year, p.due_by
      FROM isms.certification_cycle(c.cycle_start, c.expires_on, c.recertification_lead) AS p;
    IF c.previous IS NOT NULL THEN
      UPDATE isms.certification SET status = 'superseded'
       WHERE id = c.previous AND status IN ('active', 'suspended');
    END IF;
  ELSIF (NEW.cycle_start, NEW.expires_on, NEW.recertification_lead, NEW.scope)
        IS DISTINCT FROM (OLD.cycle_start, OLD.expires_on, OLD.recertification_lead, OLD.scope) THEN
    -- Reschedule the open audits of the cycle; completed and cancelled ones are history.
    UPDATE isms.audit a SET due_by = p.due_by, scope = c.scope
      FROM isms.certification_cycle(c.cycle_start, c.expires_on, c.recertification_lead) AS p
     WHERE a.certification = c.id AND a.cycle_year = p.cycle_year
       AND a.status IN ('planned', 'confirmed')
       AND (a.due_by, a.scope) IS DISTINCT FROM (p.due_by, c.scope);
  END IF;

  IF c.status = 'withdrawn' THEN
    PERFORM isms.reminder_cancel('certificate_expiry', 'isms.certification'::regclass, key);
    UPDATE isms.audit SET status = 'cancelled'
     WHERE certification = c.id AND status IN ('planned', 'confirmed');
  ELSE
    PERFORM isms.reminder_sync('certificate_expiry', 'isms.certification'::regclass, key,
      c.scope, NULL,
      format('Certificate expires: %s%s (%s)', c.standard,
             coalesce(' no. ' || c.certificate_number, ''), c.certification_body),
      format('Certification body: %s. Decision: %s. Cycle start: %s. Expiry: %s.%s',
             c.certification_body, to_char(c.decided_on, 'YYYY-MM-DD'),
             to_char(c.cycle_start, 'YYYY-MM-DD'), to_char(c.expires_on, 'YYYY-MM-DD'),
             CASE c.status WHEN 'suspended' THEN ' The certificate is SUSPENDED.' ELSE '' END),
      c.expires_on, NULL, '{90 days,30 days}');
    IF c.status = 'superseded' THEN
      PERFORM isms.reminder_done('certificate_expiry', 'isms.certification'::regclass, key);
    END IF;
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.certification_schedule() IS
  'Trigger: creates and reschedules the surveillance and recertification audits of a certificate and keeps its expiry reminder in step';

CREATE TRIGGER certification_defaults BEFORE INSERT OR UPDATE ON isms.certification
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.certification_defaults();
CREATE TRIGGER certification_schedule AFTER INSERT OR UPDATE OR DELETE ON isms.certification
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.certification_schedule();

-- BEFORE on audits: the review programme's default interval.
CREATE FUNCTION isms.audit_defaults() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF NEW.kind IN ('internal', 'management_review') AND NEW.repeat_every IS NULL
     AND TG_OP = 'INSERT' THEN
    NEW.repeat_every := interval '1 year';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION isms.audit_defaults() IS
  'Trigger: internal audits and management reviews repeat yearly unless repeat_every says otherwise';

-- AFTER on audits: the reminder, and the next internal audit or management
-- review when one is completed.  The next due date advances from the
-- intended date (due_by), by whole intervals until it lies after the day
-- the late one was done: the cadence never drifts.
CREATE FUNCTION isms.audit_schedule() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  a isms.audit := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  rkind text := isms.audit_reminder_kind(a.kind);
  next_due date;
  label text;
  cert isms.certification;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.kind <> NEW.kind THEN
    PERFORM isms.reminder_cancel(isms.audit_reminder_kind(OLD.kind), 'isms.audit'::regclass, OLD.id::text);
  END IF;
  IF TG_OP = 'DELETE' OR a.status = 'cancelled' THEN
    PERFORM isms.reminder_cancel(rkind, 'isms.audit'::regclass, a.id::text);
    RETURN NULL;
  END IF;

  IF a.certification IS NOT NULL THEN
    SELECT * INTO cert FROM isms.certification WHERE id = a.certification;
  END IF;
  label := coalesce(a.title,
    CASE a.kind
      WHEN 'stage1' THEN 'Stage 1 certification audit'
      WHEN 'stage2' THEN 'Stage 2 certification audit'
      WHEN 'surveillance' THEN 'Surveillance audit' || coalesce(' ' || a.cycle_year, '')
      WHEN 'recertification' THEN 'Recertification audit'
      WHEN 'internal' THEN 'Internal audit'
      ELSE 'Management review' END
    || CASE WHEN cert.id IS NOT NULL THEN format(' (%s, %s)', cert.standard, cert.certification_body) ELSE '' END);
  PERFORM isms.reminder_sync(rkind, 'isms.audit'::regclass, a.id::text, a.scope, a.auditor,
    label,
    concat_ws(E'\n',
      'Due by: ' || to_char(a.due_by, 'YYYY-MM-DD'),
      'Status: ' || a.status::text,
      a.notes),
    coalesce(a.planned_start, a.due_by), NULL,
    CASE WHEN a.kind IN ('internal', 'management_review') THEN '{14 days}'::interval[]
         ELSE '{30 days,7 days}'::interval[] END,
    NULL, NULL, CASE WHEN a.planned_end > a.planned_start THEN a.planned_end END);
  IF a.status = 'completed' THEN
    PERFORM isms.reminder_done(rkind, 'isms.audit'::regclass, a.id::text);
    IF a.repeat_every IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM isms.audit WHERE follows = a.id) THEN
      next_due := isms.next_due(a.due_by, a.repeat_every, a.completed_on);
      INSERT INTO isms.audit (scope, kind, title, due_by, auditor, repeat_every, follows)
      VALUES (a.scope, a.kind, a.title, next_due, a.auditor, a.repeat_every, a.id);
    END IF;
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.audit_schedule() IS
  'Trigger: keeps the reminder of an audit in step (planned dates, due date, done, cancelled) and schedules the next internal audit or management review when one is completed';

CREATE TRIGGER audit_defaults BEFORE INSERT ON isms.audit
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.audit_defaults();
CREATE TRIGGER audit_schedule AFTER INSERT OR UPDATE OR DELETE ON isms.audit
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.audit_schedule();

REVOKE ALL ON FUNCTION isms.certification_schedule(), isms.audit_schedule(),
  isms.certification_defaults(), isms.audit_defaults() FROM PUBLIC;
-- iCalendar (RFC 5545) with libical: the reminders as a calendar feed, and
-- reading the invitations a certification body sends.

CREATE FUNCTION isms.ical_export(scope text DEFAULT NULL, kinds text[] DEFAULT NULL,
    owner text DEFAULT NULL, since timestamptz DEFAULT NULL,
    review_component text DEFAULT NULL)
  RETURNS text
  AS 'MODULE_PATHNAME', 'isms_ical_export'
  LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION isms.ical_export(text, text[], text, timestamptz, text) IS
  'The reminders (optionally of one scope, some kinds, one owner, changed since a moment) as one RFC 5545 VCALENDAR built with libical (METHOD:PUBLISH, VALARMs, RRULEs); the same data gives byte-identical text';

CREATE FUNCTION isms.ical_events(ics text,
    OUT uid text, OUT summary text, OUT kind text, OUT organizer text,
    OUT cancelled boolean, OUT sequence int, OUT first_day date, OUT last_day date,
    OUT starts_at timestamptz, OUT ends_at timestamptz)
  RETURNS SETOF record
  AS 'MODULE_PATHNAME', 'isms_ical_events_srf'
  LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION isms.ical_events(text) IS
  'Every VEVENT of an iCalendar text as a row (days in the session time zone; DTEND is exclusive, last_day is inclusive); malformed text is 22P02 with libical''s reason';

-- The documented import rule (docs/reference/ical.md):
--  1. an event whose UID is one of our audit reminders updates that audit;
--  2. an event whose UID was imported before (isms.audit.external_uid)
--     updates that audit;
--  3. any other event that names an audit kind (X-PG-ISMS-KIND, or its
--     SUMMARY: stage 1, stage 2, recertification, surveillance, internal
--     audit, management review) fills the earliest still-unconfirmed audit
--     of that kind of the scope's certification cycle that has no
--     invitation yet, or else
--     creates a confirmed audit;
--  4. everything else is ignored.
-- Updating means: planned days from DTSTART..DTEND, status confirmed; a
-- cancelled invitation clears the planned days (status planned).  Completed
-- and cancelled audits are never changed.  Returns the audits created or
-- changed.  One statement: any error leaves nothing written.
CREATE FUNCTION isms.ical_import(ics text, scope text DEFAULT NULL) RETURNS int
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  ev record;
  target bigint;
  akind isms.audit_kind;
  n int := 0;
  hit int;
BEGIN
  IF ics IS NULL THEN
    RETURN 0;
  END IF;
  IF ical_import.scope IS NOT NULL AND NOT EXISTS (SELECT 1 FROM isms.scope s WHERE s.id = ical_import.scope) THEN
    RAISE EXCEPTION 'scope "%" does not exist', ical_import.scope USING ERRCODE = '23503';
  END IF;
  FOR ev IN SELECT * FROM isms.ical_events(ics) LOOP
    target := NULL;
    -- 1. one of our reminders
    SELECT a.id INTO target
      FROM isms.reminder r JOIN isms.audit a ON a.id::text = r.subject_key
     WHERE r.uid = ev.uid AND r.subject = 'isms.audit'::regclass;
    IF target IS NULL AND EXISTS (SELECT 1 FROM isms.reminder r WHERE r.uid = ev.uid) THEN
      CONTINUE;                       -- ours, but not an audit: nothing to plan
    END IF;
    -- 2. an invitation seen before
    IF target IS NULL THEN
      SELECT a.id INTO target FROM isms.audit a WHERE a.external_uid = ev.uid;
    END IF;
    IF target IS NULL THEN
      -- 3. a new invitation that describes an audit
      akind := CASE
        WHEN ev.kind ~ '^(stage1|stage2|surveillance|recertification)_audit$' THEN replace(ev.kind, '_audit', '')
        WHEN ev.kind = 'internal_audit' THEN 'internal'
        WHEN ev.kind = 'management_review' THEN 'management_review'
        WHEN ev.summary ~* 'stage[[:space:]-]*(1|one|i)([^[:alnum:]]|$)' THEN 'stage1'
        WHEN ev.summary ~* 'stage[[:space:]-]*(2|two|ii)([^[:alnum:]]|$)' THEN 'stage2'
        WHEN ev.summary ~* 're-?certification|recert' THEN 'recertification'
        WHEN ev.summary ~* 'surveillance' THEN 'surveillance'
        WHEN ev.summary ~* 'management[[:space:]]+review' THEN 'management_review'
        WHEN ev.summary ~* 'internal[[:space:]]+audit' THEN 'internal'
      END;
      IF akind IS NULL OR ev.cancelled THEN
        CONTINUE;                     -- 4. not an audit (or a cancellation of one we never had)
      END IF;
      IF ical_import.scope IS NULL THEN
        RAISE EXCEPTION 'the event "%" describes a % audit, but no scope was given', ev.uid, akind
          USING ERRCODE = '22023', HINT = 'Call isms.ical_import(ics, scope) to say which scope new audits belong to.';
      END IF;
      SELECT a.id INTO target
        FROM isms.audit a
       WHERE a.scope = ical_import.scope AND a.kind = akind AND a.certification IS NOT NULL
         AND a.external_uid IS NULL AND a.status = 'planned'
       ORDER BY a.due_by, a.id
       LIMIT 1;
      IF target IS NULL THEN
        INSERT INTO isms.audit (scope, kind, title, due_by, planned_start, planned_end, status, auditor, external_uid)
        VALUES (ical_import.scope, akind, nullif(btrim(ev.summary), ''), ev.first_day, ev.first_day,
                ev.last_day, 'confirmed', ev.organizer, ev.uid);
        n := n + 1;
        CONTINUE;
      END IF;
      UPDATE isms.audit SET external_uid = ev.uid WHERE id = target;
    END IF;
    UPDATE isms.audit a
       SET planned_start = CASE WHEN ev.cancelled THEN NULL ELSE ev.first_day END,
           planned_end = CASE WHEN ev.cancelled THEN NULL ELSE ev.last_day END,
           status = CASE WHEN ev.cancelled THEN 'planned' ELSE 'confirmed' END::isms.audit_status,
           auditor = coalesce(ev.organizer, a.auditor)
     WHERE a.id = target AND a.status IN ('planned', 'confirmed')
       AND (a.planned_start, a.planned_end, a.status, a.auditor) IS DISTINCT FROM
           (CASE WHEN ev.cancelled THEN NULL ELSE ev.first_day END,
            CASE WHEN ev.cancelled THEN NULL ELSE ev.last_day END,
            CASE WHEN ev.cancelled THEN 'planned' ELSE 'confirmed' END::isms.audit_status,
            coalesce(ev.organizer, a.auditor));
    GET DIAGNOSTICS hit = ROW_COUNT;
    n := n + hit;
  END LOOP;
  RETURN n;
END
$$;
COMMENT ON FUNCTION isms.ical_import(text, text) IS
  'Read a certification body''s invitations: events with our audit UIDs update planned dates; other audit events fill the open cycle audit of their kind or create one in the given scope (documented rule); all or nothing; returns audits created or changed';
-- Review schedules on the other capabilities' tables (issue 6): the next
-- review of each risk (from its residual level's review interval), of each
-- SoA entry (yearly by default), and the reminders of risks, SoA entries,
-- risk acceptances (their expiry) and treatment plans (their due date).
-- Next dates advance from the intended date, never from the day a late
-- review was finally done.  Reminders are written set-based by statement
-- triggers over transition tables: each hands its rows to
-- isms.reminder_sync_set / isms.reminder_close_set (src/reminder.c, where
-- the SEQUENCE rule lives), so a bulk load of 100 000 risks makes one
-- INSERT ... ON CONFLICT, not 100 000.  Every trigger is skipped while
-- pg_restore loads data (isms.restore_in_progress()).

-- The one rule for "next due date": one interval after the intended date,
-- and further whole intervals while that is still on or before the day the
-- review was done, so a late review does not shift the cadence.
CREATE FUNCTION isms.next_due(intended date, every interval, done date DEFAULT NULL)
  RETURNS date
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d date;
  i int := 0;
BEGIN
  IF intended IS NULL OR every IS NULL THEN
    RETURN NULL;
  END IF;
  IF every < interval '1 day' THEN
    RAISE EXCEPTION 'review interval must be at least one day, not %', every
      USING ERRCODE = '22023';
  END IF;
  d := (intended + every)::date;
  WHILE done IS NOT NULL AND d <= done LOOP
    i := i + 1;
    IF i > 100000 THEN
      RAISE EXCEPTION 'review date % is too far after the intended date %', done, intended
        USING ERRCODE = '22008';
    END IF;
    d := (d + every)::date;
  END LOOP;
  RETURN d;
END
$$;
COMMENT ON FUNCTION isms.next_due(date, interval, date) IS
  'Next due date: one interval after the intended date, plus whole intervals while still on or before the day the review was done (the cadence never drifts)';

-- ---------------------------------------------------------------- risks

-- A plain lookup (not isms.risk_level(), whose matrix cache lives for one
-- query): an index probe with a cached plan.  The trigger below does the
-- same lookup in C.
CREATE FUNCTION isms.risk_review_interval(score isms.risk_score, matrix text) RETURNS interval
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  every interval;
BEGIN
  SELECT l.review_interval INTO every
    FROM isms.risk_matrix_cell c
    JOIN isms.risk_level l ON l.matrix OPERATOR(pg_catalog.=) c.matrix AND l.name OPERATOR(pg_catalog.=) c.level
   WHERE c.matrix OPERATOR(pg_catalog.=) risk_review_interval.matrix
     AND c.likelihood OPERATOR(pg_catalog.=) isms.likelihood(risk_review_interval.score)
     AND c.impact OPERATOR(pg_catalog.=) isms.impact(risk_review_interval.score);
  RETURN every;
END
$$;
COMMENT ON FUNCTION isms.risk_review_interval(isms.risk_score, text) IS
  'Review interval of the level a score falls in (isms.risk_level.review_interval); NULL for a NULL score';

-- BEFORE row trigger; named so it fires after isms.risk_before_write (which
-- keeps residual_computed).  The generated residual column is not filled
-- yet in a BEFORE trigger, so the score is taken as it will be:
-- coalesce(residual_override, residual_computed, inherent).  In C
-- (src/reminder_schedule.c): it runs for every row of a bulk load, and
-- looks each (matrix, score) up once per statement.
CREATE FUNCTION isms.risk_next_review() RETURNS trigger
  AS 'MODULE_PATHNAME', 'isms_risk_next_review'
  LANGUAGE C;
COMMENT ON FUNCTION isms.risk_next_review() IS
  'Trigger: next_review of a risk = identified_on + the review interval of its residual level; a worse level brings the review forward (same cycle start, shorter interval), a better one never postpones it; an explicit next_review is kept';

CREATE TRIGGER risk_schedule_review BEFORE INSERT OR UPDATE ON isms.risk
  FOR EACH ROW WHEN (NOT isms.restore_in_progress())
  EXECUTE FUNCTION isms.risk_next_review();

CREATE TABLE isms.risk_review (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  risk_id      bigint NOT NULL REFERENCES isms.risk (id) ON DELETE CASCADE,
  reviewed_on  date NOT NULL DEFAULT current_date CONSTRAINT risk_review_reviewed_on_finite CHECK (isfinite(reviewed_on)),
  reviewer     text NOT NULL CONSTRAINT risk_review_reviewer_not_blank CHECK (btrim(reviewer) <> ''),
  notes        text,
  intended     date,
  next_review  date,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX risk_review_risk_idx ON isms.risk_review (risk_id);
COMMENT ON TABLE isms.risk_review IS
  'Reviews of risks as they were done; recording one moves the risk''s next_review forward from the intended date';
COMMENT ON COLUMN isms.risk_review.id IS 'Review id';
COMMENT ON COLUMN isms.risk_review.risk_id IS 'Reviewed risk (isms.risk.id)';
COMMENT ON COLUMN isms.risk_review.reviewed_on IS 'Day the review was done';
COMMENT ON COLUMN isms.risk_review.reviewer IS 'Who reviewed';
COMMENT ON COLUMN isms.risk_review.notes IS 'Outcome of the review';
COMMENT ON COLUMN isms.risk_review.intended IS 'The due date this review satisfied (the risk''s next_review before it; set by the trigger)';
COMMENT ON COLUMN isms.risk_review.next_review IS 'The next review it scheduled (set by the trigger)';
COMMENT ON COLUMN isms.risk_review.created_at IS 'When the review was recorded';
SELECT pg_catalog.pg_extension_config_dump('isms.risk_review', '');
SELECT pg_catalog.pg_extension_config_dump('isms.risk_review_id_seq', '');
COMMENT ON SEQUENCE isms.risk_review_id_seq IS 'Identity of isms.risk_review.id';

CREATE FUNCTION isms.risk_review_record() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  r isms.risk;
  every interval;
BEGIN
  SELECT * INTO r FROM isms.risk WHERE id = NEW.risk_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NEW;                          -- the foreign key reports it
  END IF;
  IF r.status = 'closed' THEN
    RAISE EXCEPTION 'risk % is closed and is not reviewed', NEW.risk_id
      USING ERRCODE = '23514', CONSTRAINT = 'risk_review_open_risk',
            HINT = 'Reopen it with isms.reopen_risk() first.';
  END IF;
  every := coalesce(isms.risk_review_interval(coalesce(r.residual, r.inherent), r.matrix), interval '1 year');
  NEW.intended := r.next_review;
  NEW.next_review := isms.next_due(coalesce(r.next_review, NEW.reviewed_on), every, NEW.reviewed_on);
  UPDATE isms.risk SET next_review = NEW.next_review WHERE id = NEW.risk_id;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION isms.risk_review_record() IS
  'Trigger: a recorded review sets the risk''s next_review with isms.next_due (from the intended date, by the residual level''s interval)';
CREATE TRIGGER risk_review_record BEFORE INSERT ON isms.risk_review
  FOR EACH ROW WHEN (NOT isms.restore_in_progress())
  EXECUTE FUNCTION isms.risk_review_record();

-- Reminders of risks, set-based.
CREATE FUNCTION isms.risk_reminders() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM isms.reminder_close_set('risk_review', 'isms.risk', ARRAY(SELECT o.id::text FROM old_rows o), 'cancelled');
    RETURN NULL;
  END IF;
  PERFORM isms.reminder_sync_set(ARRAY(
    SELECT ROW('risk_review', 'isms.risk'::regclass, n.id::text, n.scope, n.owner,
               'Review risk ' || n.ref || ': ' || n.title,
               concat_ws(E'\n', 'Residual: ' || n.residual::text, 'Inherent: ' || n.inherent::text,
                         'Status: ' || n.status::text),
               n.next_review, NULL, '{7 days}', NULL, NULL, NULL)::isms.reminder_item
      FROM new_rows n
     WHERE n.next_review IS NOT NULL AND n.status <> 'closed'));
  IF TG_OP = 'UPDATE' THEN
    PERFORM isms.reminder_close_set('risk_review', 'isms.risk',
      ARRAY(SELECT n.id::text FROM new_rows n WHERE n.next_review IS NULL OR n.status = 'closed'), 'cancelled');
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.risk_reminders() IS
  'Statement trigger: keeps the risk_review reminders of the inserted, updated or deleted risks in step (closed or deleted: cancelled), in one set-based statement';
CREATE TRIGGER risk_reminders_insert AFTER INSERT ON isms.risk
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.risk_reminders();
CREATE TRIGGER risk_reminders_update AFTER UPDATE ON isms.risk
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.risk_reminders();
CREATE TRIGGER risk_reminders_delete AFTER DELETE ON isms.risk
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.risk_reminders();

-- ------------------------------------------------------------ SoA entries

CREATE FUNCTION isms.soa_entry_next_review() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  every interval := make_interval(months => current_setting('isms.soa_review_months')::int);
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.next_review IS NULL AND NEW.last_reviewed IS NOT NULL THEN
      NEW.next_review := (NEW.last_reviewed + every)::date;
    END IF;
  ELSIF NEW.last_reviewed IS DISTINCT FROM OLD.last_reviewed
        AND NEW.next_review IS NOT DISTINCT FROM OLD.next_review
        AND NEW.last_reviewed IS NOT NULL THEN
    NEW.next_review := isms.next_due(coalesce(OLD.next_review, NEW.last_reviewed), every, NEW.last_reviewed);
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION isms.soa_entry_next_review() IS
  'Trigger: reviewing an SoA entry (setting last_reviewed) moves next_review forward by isms.soa_review_months from the intended date; an explicit next_review is kept';
CREATE TRIGGER soa_entry_schedule_review BEFORE INSERT OR UPDATE ON isms.soa_entry
  FOR EACH ROW WHEN (NOT isms.restore_in_progress())
  EXECUTE FUNCTION isms.soa_entry_next_review();

CREATE FUNCTION isms.soa_entry_reminders() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM isms.reminder_close_set('soa_review', 'isms.soa_entry',
      ARRAY(SELECT o.scope || '|' || o.framework || '|' || o.control_ref FROM old_rows o), 'cancelled');
    RETURN NULL;
  END IF;
  PERFORM isms.reminder_sync_set(ARRAY(
    SELECT ROW('soa_review', 'isms.soa_entry'::regclass, n.scope || '|' || n.framework || '|' || n.control_ref,
               n.scope, n.owner,
               'Review SoA entry ' || n.control_ref || ' ' || c.title,
               concat_ws(E'\n', 'Framework: ' || n.framework,
                         'Applicable: ' || CASE n.applicable WHEN true THEN 'yes' WHEN false THEN 'no' ELSE 'not decided' END,
                         'Status: ' || n.status::text,
                         'Last reviewed: ' || to_char(n.last_reviewed, 'YYYY-MM-DD')),
               n.next_review, NULL, '{7 days}', NULL, NULL, NULL)::isms.reminder_item
      FROM new_rows n JOIN isms.control c ON c.framework = n.framework AND c.ref = n.control_ref
     WHERE n.next_review IS NOT NULL));
  IF TG_OP = 'UPDATE' THEN
    PERFORM isms.reminder_close_set('soa_review', 'isms.soa_entry',
      ARRAY(SELECT n.scope || '|' || n.framework || '|' || n.control_ref FROM new_rows n
             WHERE n.next_review IS NULL), 'cancelled');
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.soa_entry_reminders() IS
  'Statement trigger: keeps the soa_review reminders of SoA entries in step (key scope|framework|control_ref; no next review or deleted: cancelled)';
CREATE TRIGGER soa_entry_reminders_insert AFTER INSERT ON isms.soa_entry
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.soa_entry_reminders();
CREATE TRIGGER soa_entry_reminders_update AFTER UPDATE ON isms.soa_entry
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.soa_entry_reminders();
CREATE TRIGGER soa_entry_reminders_delete AFTER DELETE ON isms.soa_entry
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.soa_entry_reminders();

-- ------------------------------------------------ acceptances and plans

CREATE FUNCTION isms.acceptance_reminders() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM isms.reminder_close_set('acceptance_expiry', 'isms.acceptance',
      ARRAY(SELECT o.id::text FROM old_rows o), 'cancelled');
    RETURN NULL;
  END IF;
  PERFORM isms.reminder_sync_set(ARRAY(
    SELECT ROW('acceptance_expiry', 'isms.acceptance'::regclass, n.id::text, k.scope, k.owner,
               'Risk acceptance expires: ' || k.ref || ' ' || k.title,
               concat_ws(E'\n', 'Approved by: ' || n.approver, 'Accepted on: ' || to_char(n.accepted_on, 'YYYY-MM-DD'),
                         'Residual at decision: ' || n.residual::text || ' (' || n.residual_level || ')'),
               n.valid_until, NULL, '{30 days,7 days}', NULL, NULL, NULL)::isms.reminder_item
      FROM new_rows n JOIN isms.risk k ON k.id = n.risk_id
     WHERE n.superseded_at IS NULL));
  IF TG_OP = 'UPDATE' THEN
    PERFORM isms.reminder_close_set('acceptance_expiry', 'isms.acceptance',
      ARRAY(SELECT n.id::text FROM new_rows n WHERE n.superseded_at IS NOT NULL), 'cancelled');
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.acceptance_reminders() IS
  'Statement trigger: an acceptance in force has an acceptance_expiry reminder at valid_until; superseded or deleted: cancelled';
CREATE TRIGGER acceptance_reminders_insert AFTER INSERT ON isms.acceptance
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.acceptance_reminders();
CREATE TRIGGER acceptance_reminders_update AFTER UPDATE ON isms.acceptance
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.acceptance_reminders();
CREATE TRIGGER acceptance_reminders_delete AFTER DELETE ON isms.acceptance
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.acceptance_reminders();

CREATE FUNCTION isms.treatment_reminders() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM isms.reminder_close_set('treatment_due', 'isms.treatment',
      ARRAY(SELECT o.id::text FROM old_rows o), 'cancelled');
    RETURN NULL;
  END IF;
  PERFORM isms.reminder_sync_set(ARRAY(
    SELECT ROW('treatment_due', 'isms.treatment'::regclass, n.id::text, k.scope, n.owner,
               'Treatment plan due (' || n.option::text || '): ' || k.ref || ' ' || k.title,
               concat_ws(E'\n', n.plan, 'Status: ' || n.status),
               n.due, NULL, '{14 days,1 day}', NULL, NULL, NULL)::isms.reminder_item
      FROM new_rows n JOIN isms.risk k ON k.id = n.risk_id
     WHERE n.due IS NOT NULL AND n.status IN ('planned', 'in_progress')));
  IF TG_OP = 'UPDATE' THEN
    -- done: the reminder is done; cancelled or no due date: cancelled.
    PERFORM isms.reminder_close_set('treatment_due', 'isms.treatment',
      ARRAY(SELECT n.id::text FROM new_rows n WHERE n.status = 'done'), 'done');
    PERFORM isms.reminder_close_set('treatment_due', 'isms.treatment',
      ARRAY(SELECT n.id::text FROM new_rows n
             WHERE n.status <> 'done' AND (n.status = 'cancelled' OR n.due IS NULL)), 'cancelled');
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.treatment_reminders() IS
  'Statement trigger: an open treatment plan with a due date has a treatment_due reminder; done: reminder done; cancelled, without due date or deleted: cancelled';
CREATE TRIGGER treatment_reminders_insert AFTER INSERT ON isms.treatment
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.treatment_reminders();
CREATE TRIGGER treatment_reminders_update AFTER UPDATE ON isms.treatment
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.treatment_reminders();
CREATE TRIGGER treatment_reminders_delete AFTER DELETE ON isms.treatment
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.treatment_reminders();

REVOKE ALL ON FUNCTION isms.risk_next_review(), isms.risk_review_record(), isms.risk_reminders(),
  isms.soa_entry_next_review(), isms.soa_entry_reminders(), isms.acceptance_reminders(),
  isms.treatment_reminders() FROM PUBLIC;
-- ISO/IEC 27001:2022 clauses 4-10 are the framework iso27001-2022-clauses
-- (seeded into isms.control by 501_clause_seed.sql, nested by parent_ref);
-- isms.document_requirement lists the documented information each clause
-- requires, which isms.certification_readiness looks for in the register of
-- documented information (isms.document).

CREATE TABLE isms.document_requirement (
  id         text PRIMARY KEY
             CONSTRAINT document_requirement_id_format CHECK (id ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
  framework  text NOT NULL DEFAULT 'iso27001-2022-clauses',
  clause_ref text NOT NULL,
  title      text NOT NULL CONSTRAINT document_requirement_title_not_blank CHECK (btrim(title) <> ''),
  position   integer NOT NULL DEFAULT pg_catalog.nextval('isms.catalogue_position_seq'),
  builtin    boolean NOT NULL DEFAULT false,
  FOREIGN KEY (framework, clause_ref) REFERENCES isms.control (framework, ref)
);
CREATE INDEX document_requirement_clause ON isms.document_requirement (framework, clause_ref);
COMMENT ON TABLE isms.document_requirement IS
  'Documented information a clause requires (ISO/IEC 27001:2022 clauses 4-10, seeded), which isms.certification_readiness expects in isms.document; users may add their own';
COMMENT ON COLUMN isms.document_requirement.id IS
  'Id of the item, e.g. information-security-policy, statement-of-applicability (lower-case letters, digits, "_", "-", ".")';
COMMENT ON COLUMN isms.document_requirement.framework IS 'Framework of the requiring clause (iso27001-2022-clauses for the seeds)';
COMMENT ON COLUMN isms.document_requirement.clause_ref IS 'Clause that requires the documented information, e.g. 5.2';
COMMENT ON COLUMN isms.document_requirement.title IS 'What must be documented (titles only, never the text of the standard)';
COMMENT ON COLUMN isms.document_requirement.position IS 'Order of the item (document order of the standard for the seeds)';
COMMENT ON COLUMN isms.document_requirement.builtin IS 'true for seeded rows (recreated by CREATE EXTENSION, not dumped, read-only)';

SELECT pg_catalog.pg_extension_config_dump('isms.document_requirement', 'WHERE NOT builtin');

CREATE TRIGGER document_requirement_protect_builtin BEFORE UPDATE OR DELETE ON isms.document_requirement
  FOR EACH ROW EXECUTE FUNCTION isms.catalogue_protect_builtin();
-- GENERATED by data/gen_clause_seed.py from data/iso27001-2022-clauses.csv:
-- edit that file and rerun, never this file.  ISO/IEC 27001:2022 clauses
-- 4-10 (titles only, never the text of the standard) as the framework
-- iso27001-2022-clauses, and the documented information each clause requires;
-- builtin = true.

INSERT INTO isms.framework (id, name, version, publisher, description, oscal_uuid, last_modified, builtin, created_at) VALUES
  ('iso27001-2022-clauses', 'ISO/IEC 27001:2022 clauses 4-10', '2022', 'ISO/IEC',
   'Requirements of the information security management system, ISO/IEC 27001:2022 clauses 4 to 10 (titles only); none can be excluded',
   '0867825d-e1f2-4711-95cb-7ca5db55239a', '2022-10-25 00:00:00+00', true, NULL);

INSERT INTO isms.control_group (framework, id, title, position, builtin) VALUES
  ('iso27001-2022-clauses', '4', 'Context of the organization', 1, true),
  ('iso27001-2022-clauses', '5', 'Leadership', 2, true),
  ('iso27001-2022-clauses', '6', 'Planning', 3, true),
  ('iso27001-2022-clauses', '7', 'Support', 4, true),
  ('iso27001-2022-clauses', '8', 'Operation', 5, true),
  ('iso27001-2022-clauses', '9', 'Performance evaluation', 6, true),
  ('iso27001-2022-clauses', '10', 'Improvement', 7, true);

INSERT INTO isms.control (framework, ref, title, theme, group_id, parent_ref, position, builtin) VALUES
  ('iso27001-2022-clauses', '4', 'Context of the organization', 'Context of the organization', '4', NULL, 1, true),
  ('iso27001-2022-clauses', '4.1', 'Understanding the organization and its context', 'Context of the organization', '4', '4', 2, true),
  ('iso27001-2022-clauses', '4.2', 'Understanding the needs and expectations of interested parties', 'Context of the organization', '4', '4', 3, true),
  ('iso27001-2022-clauses', '4.3', 'Determining the scope of the information security management system', 'Context of the organization', '4', '4', 4, true),
  ('iso27001-2022-clauses', '4.4', 'Information security management system', 'Context of the organization', '4', '4', 5, true),
  ('iso27001-2022-clauses', '5', 'Leadership', 'Leadership', '5', NULL, 6, true),
  ('iso27001-2022-clauses', '5.1', 'Leadership and commitment', 'Leadership', '5', '5', 7, true),
  ('iso27001-2022-clauses', '5.2', 'Policy', 'Leadership', '5', '5', 8, true),
  ('iso27001-2022-clauses', '5.3', 'Organizational roles, responsibilities and authorities', 'Leadership', '5', '5', 9, true),
  ('iso27001-2022-clauses', '6', 'Planning', 'Planning', '6', NULL, 10, true),
  ('iso27001-2022-clauses', '6.1', 'Actions to address risks and opportunities', 'Planning', '6', '6', 11, true),
  ('iso27001-2022-clauses', '6.1.1', 'General', 'Planning', '6', '6.1', 12, true),
  ('iso27001-2022-clauses', '6.1.2', 'Information security risk assessment', 'Planning', '6', '6.1', 13, true),
  ('iso27001-2022-clauses', '6.1.3', 'Information security risk treatment', 'Planning', '6', '6.1', 14, true),
  ('iso27001-2022-clauses', '6.2', 'Information security objectives and planning to achieve them', 'Planning', '6', '6', 15, true),
  ('iso27001-2022-clauses', '6.3', 'Planning of changes', 'Planning', '6', '6', 16, true),
  ('iso27001-2022-clauses', '7', 'Support', 'Support', '7', NULL, 17, true),
  ('iso27001-2022-clauses', '7.1', 'Resources', 'Support', '7', '7', 18, true),
  ('iso27001-2022-clauses', '7.2', 'Competence', 'Support', '7', '7', 19, true),
  ('iso27001-2022-clauses', '7.3', 'Awareness', 'Support', '7', '7', 20, true),
  ('iso27001-2022-clauses', '7.4', 'Communication', 'Support', '7', '7', 21, true),
  ('iso27001-2022-clauses', '7.5', 'Documented information', 'Support', '7', '7', 22, true),
  ('iso27001-2022-clauses', '7.5.1', 'General', 'Support', '7', '7.5', 23, true),
  ('iso27001-2022-clauses', '7.5.2', 'Creating and updating', 'Support', '7', '7.5', 24, true),
  ('iso27001-2022-clauses', '7.5.3', 'Control of documented information', 'Support', '7', '7.5', 25, true),
  ('iso27001-2022-clauses', '8', 'Operation', 'Operation', '8', NULL, 26, true),
  ('iso27001-2022-clauses', '8.1', 'Operational planning and control', 'Operation', '8', '8', 27, true),
  ('iso27001-2022-clauses', '8.2', 'Information security risk assessment', 'Operation', '8', '8', 28, true),
  ('iso27001-2022-clauses', '8.3', 'Information security risk treatment', 'Operation', '8', '8', 29, true),
  ('iso27001-2022-clauses', '9', 'Performance evaluation', 'Performance evaluation', '9', NULL, 30, true),
  ('iso27001-2022-clauses', '9.1', 'Monitoring, measurement, analysis and evaluation', 'Performance evaluation', '9', '9', 31, true),
  ('iso27001-2022-clauses', '9.2', 'Internal audit', 'Performance evaluation', '9', '9', 32, true),
  ('iso27001-2022-clauses', '9.2.1', 'General', 'Performance evaluation', '9', '9.2', 33, true),
  ('iso27001-2022-clauses', '9.2.2', 'Internal audit programme', 'Performance evaluation', '9', '9.2', 34, true),
  ('iso27001-2022-clauses', '9.3', 'Management review', 'Performance evaluation', '9', '9', 35, true),
  ('iso27001-2022-clauses', '9.3.1', 'General', 'Performance evaluation', '9', '9.3', 36, true),
  ('iso27001-2022-clauses', '9.3.2', 'Management review inputs', 'Performance evaluation', '9', '9.3', 37, true),
  ('iso27001-2022-clauses', '9.3.3', 'Management review results', 'Performance evaluation', '9', '9.3', 38, true),
  ('iso27001-2022-clauses', '10', 'Improvement', 'Improvement', '10', NULL, 39, true),
  ('iso27001-2022-clauses', '10.1', 'Continual improvement', 'Improvement', '10', '10', 40, true),
  ('iso27001-2022-clauses', '10.2', 'Nonconformity and corrective action', 'Improvement', '10', '10', 41, true);

INSERT INTO isms.document_requirement (id, framework, clause_ref, title, position, builtin) VALUES
  ('isms-scope', 'iso27001-2022-clauses', '4.3', 'ISMS scope', 1, true),
  ('information-security-policy', 'iso27001-2022-clauses', '5.2', 'Information security policy', 2, true),
  ('risk-assessment-process', 'iso27001-2022-clauses', '6.1.2', 'Risk assessment process', 3, true),
  ('risk-treatment-process', 'iso27001-2022-clauses', '6.1.3', 'Risk treatment process', 4, true),
  ('statement-of-applicability', 'iso27001-2022-clauses', '6.1.3', 'Statement of Applicability', 5, true),
  ('information-security-objectives', 'iso27001-2022-clauses', '6.2', 'Information security objectives', 6, true),
  ('evidence-of-competence', 'iso27001-2022-clauses', '7.2', 'Evidence of competence', 7, true),
  ('documented-information-determined-necessary', 'iso27001-2022-clauses', '7.5.1', 'Documented information determined necessary', 8, true),
  ('operational-planning-and-control-evidence', 'iso27001-2022-clauses', '8.1', 'Operational planning and control evidence', 9, true),
  ('results-of-risk-assessments', 'iso27001-2022-clauses', '8.2', 'Results of risk assessments', 10, true),
  ('results-of-risk-treatment', 'iso27001-2022-clauses', '8.3', 'Results of risk treatment', 11, true),
  ('monitoring-and-measurement-results', 'iso27001-2022-clauses', '9.1', 'Monitoring and measurement results', 12, true),
  ('audit-programme-and-audit-results', 'iso27001-2022-clauses', '9.2.2', 'Audit programme and audit results', 13, true),
  ('management-review-results', 'iso27001-2022-clauses', '9.3.3', 'Management review results', 14, true),
  ('nonconformities-and-corrective-actions', 'iso27001-2022-clauses', '10.2', 'Nonconformities, actions taken and results of corrective action', 15, true);
-- isms.document: the register of documented information per scope
-- (ISO/IEC 27001:2022 7.5): what it is, which clauses and controls it
-- serves, which required item it fulfils, who owns and approved it, where it
-- lives and when it is next reviewed.  Reviews go on the calendar through
-- isms.reminder (kind document_review) like every other deadline.

CREATE TYPE isms.document_kind AS ENUM
  ('policy', 'procedure', 'standard', 'guideline', 'plan', 'register', 'record', 'report', 'other');
COMMENT ON TYPE isms.document_kind IS
  'Kind of documented information: policy, procedure, standard, guideline, plan, register, record, report, other';

CREATE TABLE isms.document (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scope           text NOT NULL REFERENCES isms.scope (id) ON UPDATE CASCADE,
  ref             text NOT NULL
                  CONSTRAINT document_ref_format CHECK (ref ~ '^[^[:space:][:cntrl:]]([^[:cntrl:]]{0,62}[^[:space:][:cntrl:]])?$'),
  title           text NOT NULL CONSTRAINT document_title_not_blank CHECK (btrim(title) <> ''),
  kind            isms.document_kind NOT NULL,
  owner           text NOT NULL CONSTRAINT document_owner_not_blank CHECK (btrim(owner) <> ''),
  version         text CONSTRAINT document_version_not_blank CHECK (btrim(version) <> ''),
  approved_by     text CONSTRAINT document_approved_by_not_blank CHECK (btrim(approved_by) <> ''),
  approved_on     date CONSTRAINT document_approved_on_finite CHECK (isfinite(approved_on)),
  location        text CONSTRAINT document_location_not_blank CHECK (btrim(location) <> ''),
  review_interval interval NOT NULL DEFAULT '1 year'
                  CONSTRAINT document_review_interval_range
                  CHECK (review_interval >= interval '1 month' AND review_interval <= interval '5 years'),
  last_reviewed   date CONSTRAINT document_last_reviewed_finite CHECK (isfinite(last_reviewed)),
  next_review     date NOT NULL CONSTRAINT document_next_review_finite CHECK (isfinite(next_review)),
  retired_on      date CONSTRAINT document_retired_on_finite CHECK (isfinite(retired_on)),
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT document_scope_ref_key UNIQUE (scope, ref),
  CONSTRAINT document_approval_complete CHECK ((approved_by IS NULL) = (approved_on IS NULL)),
  CONSTRAINT document_review_order CHECK (next_review > last_reviewed)
);
COMMENT ON TABLE isms.document IS
  'Register of documented information per scope (ISO/IEC 27001:2022 7.5): policies, procedures, records ...; each review is a calendar reminder (kind document_review)';
COMMENT ON COLUMN isms.document.id IS 'Document id (generated)';
COMMENT ON COLUMN isms.document.scope IS 'Scope (isms.scope.id) the document belongs to';
COMMENT ON COLUMN isms.document.ref IS 'Document reference people use (e.g. POL-001), unique in its scope; 1 to 64 characters, no leading or trailing space';
COMMENT ON COLUMN isms.document.title IS 'Title of the document';
COMMENT ON COLUMN isms.document.kind IS 'policy, procedure, standard, guideline, plan, register, record, report or other';
COMMENT ON COLUMN isms.document.owner IS 'Person or role responsible for the document and its reviews';
COMMENT ON COLUMN isms.document.version IS 'Version in force (free text, e.g. 2.1)';
COMMENT ON COLUMN isms.document.approved_by IS 'Who approved the version in force; NULL while the document is a draft';
COMMENT ON COLUMN isms.document.approved_on IS 'When the version in force was approved; given together with approved_by';
COMMENT ON COLUMN isms.document.location IS 'Where the document lives: URL or path';
COMMENT ON COLUMN isms.document.review_interval IS 'How often the document is reviewed (1 month to 5 years, default 1 year)';
COMMENT ON COLUMN isms.document.last_reviewed IS 'Date of the last review; setting it moves next_review on by review_interval';
COMMENT ON COLUMN isms.document.next_review IS
  'When the next review is due: defaults to last_reviewed, else approved_on, else today, plus review_interval; overdue when in the past';
COMMENT ON COLUMN isms.document.retired_on IS 'When the document was withdrawn; a retired document counts for nothing and its reminder is cancelled';
COMMENT ON COLUMN isms.document.created_at IS 'When the row was created';

SELECT pg_catalog.pg_extension_config_dump('isms.document', '');
SELECT pg_catalog.pg_extension_config_dump('isms.document_id_seq', '');
COMMENT ON SEQUENCE isms.document_id_seq IS 'Identity of isms.document.id';

CREATE TABLE isms.document_serves (
  document    bigint NOT NULL REFERENCES isms.document (id) ON DELETE CASCADE,
  framework   text NOT NULL,
  control_ref text NOT NULL,
  PRIMARY KEY (document, framework, control_ref),
  FOREIGN KEY (framework, control_ref) REFERENCES isms.control (framework, ref)
);
CREATE INDEX document_serves_control ON isms.document_serves (framework, control_ref);
COMMENT ON TABLE isms.document_serves IS
  'Clauses (framework iso27001-2022-clauses) and controls (e.g. iso27001-2022) a document serves; one row per pair';
COMMENT ON COLUMN isms.document_serves.document IS 'The document (isms.document.id)';
COMMENT ON COLUMN isms.document_serves.framework IS 'Framework of the clause or control';
COMMENT ON COLUMN isms.document_serves.control_ref IS 'Clause or control reference, e.g. 6.1.3 or 5.1';
SELECT pg_catalog.pg_extension_config_dump('isms.document_serves', '');

CREATE TABLE isms.document_fulfils (
  document    bigint NOT NULL REFERENCES isms.document (id) ON DELETE CASCADE,
  requirement text NOT NULL REFERENCES isms.document_requirement (id),
  PRIMARY KEY (document, requirement)
);
CREATE INDEX document_fulfils_requirement ON isms.document_fulfils (requirement);
COMMENT ON TABLE isms.document_fulfils IS
  'Which required documented information (isms.document_requirement) a document is; the readiness view looks here';
COMMENT ON COLUMN isms.document_fulfils.document IS 'The document (isms.document.id)';
COMMENT ON COLUMN isms.document_fulfils.requirement IS 'The required item it fulfils (isms.document_requirement.id), e.g. statement-of-applicability';
SELECT pg_catalog.pg_extension_config_dump('isms.document_fulfils', '');

-- Every change to the register is history an auditor may ask for (7.5.3).
CREATE TRIGGER document_log_insert AFTER INSERT ON isms.document
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER document_log_update AFTER UPDATE ON isms.document
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER document_log_delete AFTER DELETE ON isms.document
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();

-- BEFORE: the next review follows the last review (or approval) by the
-- interval unless the writer sets next_review itself.
CREATE FUNCTION isms.document_defaults() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.next_review IS NULL THEN
      NEW.next_review := (coalesce(NEW.last_reviewed, NEW.approved_on, current_date) + NEW.review_interval)::date;
    END IF;
  ELSIF NEW.next_review IS NOT DISTINCT FROM OLD.next_review
        AND (NEW.last_reviewed, NEW.approved_on, NEW.review_interval)
            IS DISTINCT FROM (OLD.last_reviewed, OLD.approved_on, OLD.review_interval)
        AND coalesce(NEW.last_reviewed, NEW.approved_on) IS NOT NULL THEN
    NEW.next_review := (greatest(NEW.last_reviewed, NEW.approved_on) + NEW.review_interval)::date;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION isms.document_defaults() IS
  'Trigger: next_review defaults to (last review, else approval, else today) + review_interval, and moves on when a review or approval is recorded';

-- AFTER: the review reminder.
CREATE FUNCTION isms.document_schedule() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  d isms.document := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
  IF TG_OP = 'DELETE' OR d.retired_on IS NOT NULL THEN
    PERFORM isms.reminder_cancel('document_review', 'isms.document'::regclass, d.id::text);
    RETURN NULL;
  END IF;
  PERFORM isms.reminder_sync('document_review', 'isms.document'::regclass, d.id::text,
    d.scope, d.owner,
    format('Review %s %s: %s', d.kind, d.ref, d.title),
    concat_ws(E'\n',
      'Version: ' || coalesce(d.version, 'none'),
      CASE WHEN d.approved_on IS NULL THEN 'Not approved yet (draft).'
           ELSE format('Approved by %s on %s.', d.approved_by, to_char(d.approved_on, 'YYYY-MM-DD')) END,
      'Location: ' || d.location,
      'Review every ' || d.review_interval::text || '.'),
    d.next_review, NULL, '{14 days}');
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.document_schedule() IS
  'Trigger: keeps the document_review reminder of a document in step with its next review; retiring or deleting the document cancels it';

-- Both stand aside while pg_restore loads data (isms.restore_in_progress()):
-- the dump already holds the dates and the reminders they made.
CREATE TRIGGER document_defaults BEFORE INSERT OR UPDATE ON isms.document
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.document_defaults();
CREATE TRIGGER document_schedule AFTER INSERT OR UPDATE OR DELETE ON isms.document
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.document_schedule();

REVOKE ALL ON FUNCTION isms.document_defaults(), isms.document_schedule() FROM PUBLIC;

CREATE VIEW isms.document_register AS
SELECT d.scope,
       d.id AS document_id,
       d.ref,
       d.title,
       d.kind,
       d.owner,
       d.version,
       d.approved_by,
       d.approved_on,
       d.location,
       d.review_interval,
       d.last_reviewed,
       d.next_review,
       d.retired_on,
       CASE WHEN d.retired_on IS NOT NULL THEN 'retired'
            WHEN d.approved_on IS NULL THEN 'draft'
            WHEN d.next_review < CURRENT_DATE THEN 'review_overdue'
            ELSE 'current' END AS state,
       d.retired_on IS NULL AND d.next_review < CURRENT_DATE AS review_overdue,
       d.next_review - CURRENT_DATE AS days_to_review,
       ARRAY(SELECT s.control_ref FROM isms.document_serves s
               JOIN isms.control c ON c.framework = s.framework AND c.ref = s.control_ref
              WHERE s.document = d.id AND s.framework = 'iso27001-2022-clauses'
              ORDER BY c.position) AS clauses,
       ARRAY(SELECT CASE s.framework WHEN 'iso27001-2022' THEN s.control_ref
                                     ELSE s.framework || ':' || s.control_ref END
               FROM isms.document_serves s
               JOIN isms.control c ON c.framework = s.framework AND c.ref = s.control_ref
              WHERE s.document = d.id AND s.framework <> 'iso27001-2022-clauses'
              ORDER BY s.framework <> 'iso27001-2022', s.framework, c.position) AS controls,
       ARRAY(SELECT r.title FROM isms.document_fulfils f
               JOIN isms.document_requirement r ON r.id = f.requirement
              WHERE f.document = d.id ORDER BY r.position) AS fulfils,
       (SELECT m.uid FROM isms.reminder m
         WHERE m.kind = 'document_review' AND m.subject = 'isms.document'::regclass
           AND m.subject_key = d.id::text) AS reminder_uid
  FROM isms.document d;
COMMENT ON VIEW isms.document_register IS
  'Register of documented information for dashboards: one row per document with its approval, review state, the clauses and controls it serves and the required items it fulfils';
COMMENT ON COLUMN isms.document_register.scope IS 'Scope (isms.scope.id)';
COMMENT ON COLUMN isms.document_register.document_id IS 'Document id (isms.document.id)';
COMMENT ON COLUMN isms.document_register.ref IS 'Document reference, e.g. POL-001';
COMMENT ON COLUMN isms.document_register.title IS 'Title';
COMMENT ON COLUMN isms.document_register.kind IS 'policy, procedure, standard, guideline, plan, register, record, report or other';
COMMENT ON COLUMN isms.document_register.owner IS 'Person or role responsible';
COMMENT ON COLUMN isms.document_register.version IS 'Version in force';
COMMENT ON COLUMN isms.document_register.approved_by IS 'Who approved the version in force (NULL: draft)';
COMMENT ON COLUMN isms.document_register.approved_on IS 'When it was approved (NULL: draft)';
COMMENT ON COLUMN isms.document_register.location IS 'URL or path of the document';
COMMENT ON COLUMN isms.document_register.review_interval IS 'How often it is reviewed';
COMMENT ON COLUMN isms.document_register.last_reviewed IS 'Date of the last review';
COMMENT ON COLUMN isms.document_register.next_review IS 'When the next review is due';
COMMENT ON COLUMN isms.document_register.retired_on IS 'When it was withdrawn (NULL: in force)';
COMMENT ON COLUMN isms.document_register.state IS
  'retired, draft (not approved), review_overdue (next review before today) or current';
COMMENT ON COLUMN isms.document_register.review_overdue IS 'true when a document in force is past its next review';
COMMENT ON COLUMN isms.document_register.days_to_review IS 'Days from today to the next review (negative: overdue by that many days)';
COMMENT ON COLUMN isms.document_register.clauses IS 'ISO/IEC 27001:2022 clauses it serves (refs of iso27001-2022-clauses), in clause order';
COMMENT ON COLUMN isms.document_register.controls IS
  'Controls it serves: Annex A refs (iso27001-2022) as is, other frameworks as framework:ref';
COMMENT ON COLUMN isms.document_register.fulfils IS 'Titles of the required documented information it fulfils (isms.document_requirement)';
COMMENT ON COLUMN isms.document_register.reminder_uid IS 'Calendar UID of its review reminder (isms.reminder.uid)';
-- Findings of internal and certification audits (ISO/IEC 27001:2022 9.2,
-- 10.2): major and minor nonconformities, observations and opportunities
-- for improvement, each against a clause or control.  Rules kept by the
-- database: a nonconformity closes only with a corrective action verified
-- effective (530), and a major nonconformity is due within
-- isms.major_nonconformity_days of being raised.

CREATE TYPE isms.finding_kind AS ENUM
  ('major_nonconformity', 'minor_nonconformity', 'observation', 'opportunity_for_improvement');
COMMENT ON TYPE isms.finding_kind IS
  'Classification of an audit finding: major_nonconformity, minor_nonconformity (both need corrective action), observation, opportunity_for_improvement (no formal response)';

CREATE TYPE isms.finding_status AS ENUM ('open', 'closed');
COMMENT ON TYPE isms.finding_status IS
  'open, or closed (a nonconformity only with a corrective action verified effective)';

CREATE FUNCTION isms.is_nonconformity(kind isms.finding_kind) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT kind IN ('major_nonconformity'::isms.finding_kind, 'minor_nonconformity'::isms.finding_kind)
$$;
COMMENT ON FUNCTION isms.is_nonconformity(isms.finding_kind) IS
  'true for major_nonconformity and minor_nonconformity, the kinds that need a corrective action (ISO/IEC 27001:2022 10.2)';

CREATE TABLE isms.finding (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  audit       bigint NOT NULL REFERENCES isms.audit (id),
  ref         text CONSTRAINT finding_ref_format
              CHECK (ref ~ '^[^[:space:][:cntrl:]]([^[:cntrl:]]{0,62}[^[:space:][:cntrl:]])?$'),
  kind        isms.finding_kind NOT NULL,
  framework   text,
  control_ref text,
  statement   text NOT NULL CONSTRAINT finding_statement_not_blank CHECK (btrim(statement) <> ''),
  evidence    text,
  owner       text CONSTRAINT finding_owner_not_blank CHECK (btrim(owner) <> ''),
  raised_on   date NOT NULL DEFAULT current_date CONSTRAINT finding_raised_on_finite CHECK (isfinite(raised_on)),
  due         date CONSTRAINT finding_due_finite CHECK (isfinite(due)),
  status      isms.finding_status NOT NULL DEFAULT 'open',
  closed_on   date,
  closed_by   text CONSTRAINT finding_closed_by_not_blank CHECK (btrim(closed_by) <> ''),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT finding_audit_ref_key UNIQUE (audit, ref),
  FOREIGN KEY (framework, control_ref) REFERENCES isms.control (framework, ref),
  CONSTRAINT finding_requirement_complete CHECK ((framework IS NULL) = (control_ref IS NULL)),
  -- A nonconformity is always against a stated requirement (ISO/IEC 17021-1 9.4.5).
  CONSTRAINT finding_nonconformity_requirement CHECK (control_ref IS NOT NULL OR kind NOT IN ('major_nonconformity', 'minor_nonconformity')),
  CONSTRAINT finding_due_after_raised CHECK (due >= raised_on),
  CONSTRAINT finding_closed_on_iff_closed CHECK ((status = 'closed') = (closed_on IS NOT NULL)),
  CONSTRAINT finding_closed_after_raised CHECK (closed_on >= raised_on)
);
CREATE INDEX finding_audit ON isms.finding (audit);
CREATE INDEX finding_open ON isms.finding (kind) WHERE status = 'open';
COMMENT ON TABLE isms.finding IS
  'Findings of internal and certification audits: nonconformities (major, minor), observations and opportunities for improvement, each against a clause or control';
COMMENT ON COLUMN isms.finding.id IS 'Finding id (generated)';
COMMENT ON COLUMN isms.finding.audit IS 'Audit that raised it (isms.audit.id; an internal or certification-body audit, not a management review)';
COMMENT ON COLUMN isms.finding.ref IS 'Reference used in the audit report (e.g. NC-01), unique within its audit; optional';
COMMENT ON COLUMN isms.finding.kind IS 'major_nonconformity, minor_nonconformity, observation or opportunity_for_improvement';
COMMENT ON COLUMN isms.finding.framework IS 'Framework of the requirement: iso27001-2022-clauses for a clause, iso27001-2022 for an Annex A control, ...';
COMMENT ON COLUMN isms.finding.control_ref IS 'Clause or control the finding is against (required for nonconformities), e.g. 9.2.2 or 5.15';
COMMENT ON COLUMN isms.finding.statement IS 'Statement of the finding: what requirement is not fulfilled, or what could improve';
COMMENT ON COLUMN isms.finding.evidence IS 'Objective evidence the auditor saw';
COMMENT ON COLUMN isms.finding.owner IS 'Who must respond (person or role)';
COMMENT ON COLUMN isms.finding.raised_on IS 'Day the finding was raised (normally the last day of the audit)';
COMMENT ON COLUMN isms.finding.due IS
  'When the nonconformity must be closed: for a major at most isms.major_nonconformity_days after raised_on, which is also the default; on the calendar (reminder kind nonconformity_due)';
COMMENT ON COLUMN isms.finding.status IS 'open or closed; a nonconformity closes only with a corrective action verified effective';
COMMENT ON COLUMN isms.finding.closed_on IS 'Day it was closed (defaults to today when status becomes closed)';
COMMENT ON COLUMN isms.finding.closed_by IS 'Who closed it';
COMMENT ON COLUMN isms.finding.created_at IS 'When the row was created';

SELECT pg_catalog.pg_extension_config_dump('isms.finding', '');
SELECT pg_catalog.pg_extension_config_dump('isms.finding_id_seq', '');
COMMENT ON SEQUENCE isms.finding_id_seq IS 'Identity of isms.finding.id';

CREATE TRIGGER finding_log_insert AFTER INSERT ON isms.finding
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER finding_log_update AFTER UPDATE ON isms.finding
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER finding_log_delete AFTER DELETE ON isms.finding
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();

-- The limit in force.  isms.version() loads the module first, so the value
-- read is the real setting and never a placeholder a session SET before
-- the module was loaded (the setting is superuser-only).
CREATE FUNCTION isms.major_nonconformity_limit() RETURNS integer
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  PERFORM isms.version();
  RETURN pg_catalog.current_setting('isms.major_nonconformity_days')::integer;
END
$$;
COMMENT ON FUNCTION isms.major_nonconformity_limit() IS
  'The setting isms.major_nonconformity_days in force (days from raising a major nonconformity to its latest due date)';

CREATE FUNCTION isms.finding_before_write() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  akind isms.audit_kind;
  lim integer;
BEGIN
  IF TG_OP = 'INSERT' OR NEW.audit <> OLD.audit THEN
    SELECT a.kind INTO akind FROM isms.audit a WHERE a.id = NEW.audit;
    IF akind = 'management_review' THEN
      RAISE EXCEPTION 'audit % is a management review; findings belong to audits', NEW.audit
        USING ERRCODE = 'check_violation', CONSTRAINT = 'finding_audit_kind',
              SCHEMA = 'isms', TABLE = 'finding',
              HINT = 'Record the finding against the internal or certification audit that raised it.';
    END IF;
  END IF;

  IF NEW.kind = 'major_nonconformity'
     AND (TG_OP = 'INSERT' OR (NEW.kind, NEW.raised_on, NEW.due) IS DISTINCT FROM (OLD.kind, OLD.raised_on, OLD.due)) THEN
    lim := isms.major_nonconformity_limit();
    IF NEW.due IS NULL THEN
      NEW.due := NEW.raised_on + lim;
    ELSIF NEW.due > NEW.raised_on + lim THEN
      RAISE EXCEPTION 'a major nonconformity must be due within % days of being raised', lim
        USING ERRCODE = 'check_violation', CONSTRAINT = 'finding_major_due_limit',
              SCHEMA = 'isms', TABLE = 'finding',
              DETAIL = format('Raised on %s, so due on %s at the latest; %s was given.',
                              NEW.raised_on, NEW.raised_on + lim, NEW.due),
              HINT = 'The limit is the setting isms.major_nonconformity_days.';
    END IF;
  END IF;

  IF NEW.status = 'closed' THEN
    IF TG_OP = 'INSERT' OR OLD.status <> 'closed' THEN
      NEW.closed_on := coalesce(NEW.closed_on, current_date);
    END IF;
    IF isms.is_nonconformity(NEW.kind)
       AND (TG_OP = 'INSERT' OR OLD.status <> 'closed' OR OLD.kind <> NEW.kind)
       AND NOT EXISTS (SELECT 1 FROM isms.corrective_action c
                        WHERE c.finding = NEW.id AND c.effective AND c.verified_on <= NEW.closed_on) THEN
      RAISE EXCEPTION 'nonconformity % cannot be closed without a corrective action verified effective',
                      coalesce(NEW.ref, '#' || NEW.id)
        USING ERRCODE = 'check_violation', CONSTRAINT = 'finding_close_needs_effective_action',
              SCHEMA = 'isms', TABLE = 'finding',
              DETAIL = CASE
                WHEN TG_OP = 'INSERT' OR NOT EXISTS (SELECT 1 FROM isms.corrective_action c WHERE c.finding = NEW.id)
                  THEN 'It has no corrective action.'
                WHEN NOT EXISTS (SELECT 1 FROM isms.corrective_action c WHERE c.finding = NEW.id AND c.verified_on IS NOT NULL)
                  THEN 'None of its corrective actions has been verified.'
                WHEN NOT EXISTS (SELECT 1 FROM isms.corrective_action c WHERE c.finding = NEW.id AND c.effective)
                  THEN 'Its corrective actions were verified not effective.'
                ELSE format('No corrective action was verified effective on or before %s.', NEW.closed_on) END,
              HINT = 'Record the verification in isms.corrective_action (verified_by, verified_on, effective = true), then close (ISO/IEC 27001:2022 10.2 d).';
    END IF;
  ELSE
    NEW.closed_on := NULL;
    NEW.closed_by := NULL;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION isms.finding_before_write() IS
  'Trigger: no findings on management reviews; the due date of a major nonconformity (default and limit isms.major_nonconformity_days); a nonconformity closes only with a corrective action verified effective (23514)';

CREATE FUNCTION isms.finding_schedule() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  f isms.finding := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  a isms.audit;
BEGIN
  IF TG_OP = 'DELETE' OR NOT isms.is_nonconformity(f.kind) OR f.due IS NULL THEN
    PERFORM isms.reminder_cancel('nonconformity_due', 'isms.finding'::regclass, f.id::text);
    RETURN NULL;
  END IF;
  -- A closed one is only marked done: syncing first would revive it and
  -- add two to SEQUENCE on every later edit.
  IF f.status = 'closed' THEN
    PERFORM isms.reminder_done('nonconformity_due', 'isms.finding'::regclass, f.id::text);
    RETURN NULL;
  END IF;
  SELECT * INTO a FROM isms.audit WHERE id = f.audit;
  PERFORM isms.reminder_sync('nonconformity_due', 'isms.finding'::regclass, f.id::text,
    a.scope, f.owner,
    format('%s due: %s %s', CASE f.kind WHEN 'major_nonconformity' THEN 'Major nonconformity'
                                        ELSE 'Minor nonconformity' END,
           coalesce(f.ref, '#' || f.id), f.control_ref),
    concat_ws(E'\n', f.statement,
      format('Raised on %s by audit %s (%s).', to_char(f.raised_on, 'YYYY-MM-DD'), a.id, a.kind)),
    f.due, NULL, '{14 days}');
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.finding_schedule() IS
  'Trigger: keeps the nonconformity_due reminder of a nonconformity in step (done when closed, cancelled when deleted or reclassified)';

-- The triggers stand aside while pg_restore loads data
-- (isms.restore_in_progress()): a closed finding may arrive before its
-- corrective actions, and the dump already holds the reminders.
CREATE TRIGGER finding_before_write BEFORE INSERT OR UPDATE ON isms.finding
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.finding_before_write();
CREATE TRIGGER finding_schedule AFTER INSERT OR UPDATE OR DELETE ON isms.finding
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.finding_schedule();

REVOKE ALL ON FUNCTION isms.finding_before_write(), isms.finding_schedule() FROM PUBLIC;
-- Corrective actions (ISO/IEC 27001:2022 10.2): per finding the correction,
-- the root cause, the action, who and by when, completion and the
-- verification of its effectiveness.  Due dates go on the calendar
-- (reminder kind corrective_action); a closed nonconformity keeps at least
-- one action verified effective.

CREATE TABLE isms.corrective_action (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  finding      bigint NOT NULL REFERENCES isms.finding (id) ON DELETE CASCADE,
  correction   text CONSTRAINT corrective_action_correction_not_blank CHECK (btrim(correction) <> ''),
  root_cause   text CONSTRAINT corrective_action_root_cause_not_blank CHECK (btrim(root_cause) <> ''),
  action       text NOT NULL CONSTRAINT corrective_action_action_not_blank CHECK (btrim(action) <> ''),
  owner        text NOT NULL CONSTRAINT corrective_action_owner_not_blank CHECK (btrim(owner) <> ''),
  due          date NOT NULL CONSTRAINT corrective_action_due_finite CHECK (isfinite(due)),
  completed_on date CONSTRAINT corrective_action_completed_on_finite CHECK (isfinite(completed_on)),
  verified_by  text CONSTRAINT corrective_action_verified_by_not_blank CHECK (btrim(verified_by) <> ''),
  verified_on  date CONSTRAINT corrective_action_verified_on_finite CHECK (isfinite(verified_on)),
  effective    boolean,
  created_at   timestamptz NOT NULL DEFAULT now(),
  -- A verification is who, when and the verdict, all three or none, and
  -- it looks at a completed action.
  CONSTRAINT corrective_action_verification_complete
    CHECK ((verified_by IS NULL) = (verified_on IS NULL) AND (verified_on IS NULL) = (effective IS NULL)),
  CONSTRAINT corrective_action_verified_after_completion
    CHECK (verified_on IS NULL OR (completed_on IS NOT NULL AND verified_on >= completed_on))
);
CREATE INDEX corrective_action_finding ON isms.corrective_action (finding);
CREATE INDEX corrective_action_open_due ON isms.corrective_action (due) WHERE completed_on IS NULL;
COMMENT ON TABLE isms.corrective_action IS
  'Corrective actions per finding (ISO/IEC 27001:2022 10.2): correction, root cause, action, owner, due date, completion and verification of effectiveness; each due date is a calendar reminder';
COMMENT ON COLUMN isms.corrective_action.id IS 'Corrective action id (generated)';
COMMENT ON COLUMN isms.corrective_action.finding IS 'The finding it answers (isms.finding.id)';
COMMENT ON COLUMN isms.corrective_action.correction IS 'Immediate fix of the nonconformity (10.2 a)';
COMMENT ON COLUMN isms.corrective_action.root_cause IS 'Cause found by reviewing the nonconformity (10.2 b)';
COMMENT ON COLUMN isms.corrective_action.action IS 'What removes the cause so it does not recur (10.2 c)';
COMMENT ON COLUMN isms.corrective_action.owner IS 'Who carries the action out';
COMMENT ON COLUMN isms.corrective_action.due IS
  'When the action must be completed; not after the finding''s due date (for a major nonconformity that is within isms.major_nonconformity_days); overdue when past and not completed';
COMMENT ON COLUMN isms.corrective_action.completed_on IS 'Day the action was completed (NULL: open)';
COMMENT ON COLUMN isms.corrective_action.verified_by IS 'Who reviewed its effectiveness (10.2 d)';
COMMENT ON COLUMN isms.corrective_action.verified_on IS 'When effectiveness was reviewed; not before completion';
COMMENT ON COLUMN isms.corrective_action.effective IS 'Verdict of the review: true = effective, false = not effective (a new action is needed), NULL = not verified yet';
COMMENT ON COLUMN isms.corrective_action.created_at IS 'When the row was created';

SELECT pg_catalog.pg_extension_config_dump('isms.corrective_action', '');
SELECT pg_catalog.pg_extension_config_dump('isms.corrective_action_id_seq', '');
COMMENT ON SEQUENCE isms.corrective_action_id_seq IS 'Identity of isms.corrective_action.id';

CREATE TRIGGER corrective_action_log_insert AFTER INSERT ON isms.corrective_action
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER corrective_action_log_update AFTER UPDATE ON isms.corrective_action
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER corrective_action_log_delete AFTER DELETE ON isms.corrective_action
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();

CREATE FUNCTION isms.corrective_action_before_write() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  f isms.finding;
BEGIN
  IF TG_OP = 'INSERT' OR (NEW.finding, NEW.due) IS DISTINCT FROM (OLD.finding, OLD.due) THEN
    SELECT * INTO f FROM isms.finding WHERE id = NEW.finding;
    IF NEW.due > f.due THEN
      RAISE EXCEPTION 'a corrective action cannot be due after its finding'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'corrective_action_due_within_finding',
              SCHEMA = 'isms', TABLE = 'corrective_action',
              DETAIL = format('Finding %s is due on %s; %s was given.', coalesce(f.ref, '#' || f.id), f.due, NEW.due),
              HINT = CASE WHEN f.kind = 'major_nonconformity'
                          THEN 'A major nonconformity is due within isms.major_nonconformity_days of being raised.'
                          ELSE 'Move the finding''s due date first, or plan an earlier action.' END;
    END IF;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION isms.corrective_action_before_write() IS
  'Trigger: a corrective action is not due after its finding (so a major nonconformity''s actions stay within isms.major_nonconformity_days), 23514';

-- AFTER, per row: the reminder, and the closing rule seen from this side:
-- a closed nonconformity must keep an action verified effective.
CREATE FUNCTION isms.corrective_action_after_write() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  c isms.corrective_action := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  f isms.finding;
  a isms.audit;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    SELECT * INTO f FROM isms.finding WHERE id = OLD.finding;
    IF f.status = 'closed' AND isms.is_nonconformity(f.kind)
       AND NOT EXISTS (SELECT 1 FROM isms.corrective_action x
                        WHERE x.finding = f.id AND x.effective AND x.verified_on <= f.closed_on) THEN
      RAISE EXCEPTION 'nonconformity % is closed and would keep no corrective action verified effective',
                      coalesce(f.ref, '#' || f.id)
        USING ERRCODE = 'check_violation', CONSTRAINT = 'finding_close_needs_effective_action',
              SCHEMA = 'isms', TABLE = 'corrective_action',
              HINT = 'Reopen the finding (status = open) first.';
    END IF;
  END IF;

  IF TG_OP = 'DELETE' THEN
    PERFORM isms.reminder_cancel('corrective_action', 'isms.corrective_action'::regclass, c.id::text);
    RETURN NULL;
  END IF;
  IF c.completed_on IS NOT NULL THEN
    PERFORM isms.reminder_done('corrective_action', 'isms.corrective_action'::regclass, c.id::text);
    RETURN NULL;
  END IF;
  SELECT * INTO f FROM isms.finding WHERE id = c.finding;
  SELECT * INTO a FROM isms.audit WHERE id = f.audit;
  PERFORM isms.reminder_sync('corrective_action', 'isms.corrective_action'::regclass, c.id::text,
    a.scope, c.owner,
    format('Corrective action due: %s %s', coalesce(f.ref, 'finding #' || f.id), left(c.action, 80)),
    concat_ws(E'\n', 'Action: ' || c.action, 'Root cause: ' || c.root_cause, 'Correction: ' || c.correction,
      format('Finding (%s, %s): %s', f.kind, f.control_ref, f.statement)),
    c.due, NULL, '{7 days}');
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.corrective_action_after_write() IS
  'Trigger: keeps the corrective_action reminder in step (done when completed, cancelled when deleted) and refuses to leave a closed nonconformity without an action verified effective (23514)';

-- Standing aside while pg_restore loads data, like the finding triggers.
CREATE TRIGGER corrective_action_before_write BEFORE INSERT OR UPDATE ON isms.corrective_action
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.corrective_action_before_write();
CREATE TRIGGER corrective_action_after_write AFTER INSERT OR UPDATE OR DELETE ON isms.corrective_action
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.corrective_action_after_write();

REVOKE ALL ON FUNCTION isms.corrective_action_before_write(), isms.corrective_action_after_write() FROM PUBLIC;
-- What an audit covered (ISO/IEC 27001:2022 9.2.2: the audit programme and
-- the scope of each audit): one row per clause or control.  A clause covers
-- its sub-clauses.  isms.certification_readiness reads it to decide whether
-- the internal audits of the last 12 months covered the whole scope.

CREATE TABLE isms.audit_coverage (
  audit       bigint NOT NULL REFERENCES isms.audit (id) ON DELETE CASCADE,
  framework   text NOT NULL,
  control_ref text NOT NULL,
  PRIMARY KEY (audit, framework, control_ref),
  FOREIGN KEY (framework, control_ref) REFERENCES isms.control (framework, ref)
);
CREATE INDEX audit_coverage_control ON isms.audit_coverage (framework, control_ref);
COMMENT ON TABLE isms.audit_coverage IS
  'Clauses (iso27001-2022-clauses; a clause covers its sub-clauses) and controls (e.g. iso27001-2022) an audit covered';
COMMENT ON COLUMN isms.audit_coverage.audit IS 'The audit (isms.audit.id)';
COMMENT ON COLUMN isms.audit_coverage.framework IS 'Framework of the clause or control';
COMMENT ON COLUMN isms.audit_coverage.control_ref IS 'Clause or control reference, e.g. 9.2 or 8.8';
SELECT pg_catalog.pg_extension_config_dump('isms.audit_coverage', '');

CREATE FUNCTION isms.audit_cover_scope(audit bigint) RETURNS integer
  LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  s text;
  added integer;
BEGIN
  SELECT a.scope INTO s FROM isms.audit a WHERE a.id OPERATOR(pg_catalog.=) audit_cover_scope.audit;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit % does not exist', audit_cover_scope.audit
      USING ERRCODE = 'foreign_key_violation', HINT = 'Audits are rows of isms.audit.';
  END IF;
  INSERT INTO isms.audit_coverage (audit, framework, control_ref)
  SELECT audit_cover_scope.audit, c.framework, c.ref
    FROM isms.control c
   WHERE c.framework OPERATOR(pg_catalog.=) 'iso27001-2022-clauses' AND c.parent_ref IS NULL
  UNION ALL
  SELECT audit_cover_scope.audit, e.framework, e.control_ref
    FROM isms.soa_entry e
   WHERE e.scope OPERATOR(pg_catalog.=) s AND e.framework OPERATOR(pg_catalog.=) 'iso27001-2022'
     AND e.applicable
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS added = ROW_COUNT;
  RETURN added;
END
$$;
COMMENT ON FUNCTION isms.audit_cover_scope(bigint) IS
  'Records that an audit covered its whole scope: clauses 4 to 10 and every Annex A control applicable in the scope''s SoA; returns how many rows were added (unknown audit 23503)';
-- Dashboard views over findings and corrective actions: what is open, what
-- is overdue, what may be closed.

CREATE VIEW isms.open_findings AS
SELECT a.scope,
       f.id AS finding_id,
       f.ref,
       f.kind,
       isms.is_nonconformity(f.kind) AS nonconformity,
       f.framework,
       f.control_ref,
       c.title AS requirement_title,
       f.statement,
       f.evidence,
       f.owner,
       f.audit AS audit_id,
       a.kind AS audit_kind,
       f.raised_on,
       f.due,
       CURRENT_DATE - f.raised_on AS days_open,
       coalesce(f.due < CURRENT_DATE, false) AS overdue,
       coalesce(ca.actions, 0) AS actions,
       coalesce(ca.open_actions, 0) AS open_actions,
       coalesce(ca.overdue_actions, 0) AS overdue_actions,
       ca.next_action_due,
       coalesce(ca.effective_actions, 0) AS effective_actions,
       NOT isms.is_nonconformity(f.kind) OR coalesce(ca.effective_actions, 0) > 0 AS can_close
  FROM isms.finding f
  JOIN isms.audit a ON a.id = f.audit
  LEFT JOIN isms.control c ON c.framework = f.framework AND c.ref = f.control_ref
  LEFT JOIN LATERAL (
    SELECT count(*) AS actions,
           count(*) FILTER (WHERE x.completed_on IS NULL) AS open_actions,
           count(*) FILTER (WHERE x.completed_on IS NULL AND x.due < CURRENT_DATE) AS overdue_actions,
           min(x.due) FILTER (WHERE x.completed_on IS NULL) AS next_action_due,
           count(*) FILTER (WHERE x.effective) AS effective_actions
      FROM isms.corrective_action x WHERE x.finding = f.id) ca ON true
 WHERE f.status = 'open';
COMMENT ON VIEW isms.open_findings IS
  'Open audit findings for dashboards: one row per open finding with its requirement, due date, whether it is overdue and the state of its corrective actions';
COMMENT ON COLUMN isms.open_findings.scope IS 'Scope of the audit that raised it (isms.scope.id)';
COMMENT ON COLUMN isms.open_findings.finding_id IS 'Finding id (isms.finding.id)';
COMMENT ON COLUMN isms.open_findings.ref IS 'Reference in the audit report (e.g. NC-01)';
COMMENT ON COLUMN isms.open_findings.kind IS 'major_nonconformity, minor_nonconformity, observation or opportunity_for_improvement';
COMMENT ON COLUMN isms.open_findings.nonconformity IS 'true for major and minor nonconformities (they need a corrective action verified effective to close)';
COMMENT ON COLUMN isms.open_findings.framework IS 'Framework of the requirement (iso27001-2022-clauses, iso27001-2022, ...)';
COMMENT ON COLUMN isms.open_findings.control_ref IS 'Clause or control the finding is against';
COMMENT ON COLUMN isms.open_findings.requirement_title IS 'Title of that clause or control';
COMMENT ON COLUMN isms.open_findings.statement IS 'Statement of the finding';
COMMENT ON COLUMN isms.open_findings.evidence IS 'Objective evidence the auditor saw';
COMMENT ON COLUMN isms.open_findings.owner IS 'Who must respond';
COMMENT ON COLUMN isms.open_findings.audit_id IS 'Audit that raised it (isms.audit.id)';
COMMENT ON COLUMN isms.open_findings.audit_kind IS 'Kind of that audit: internal, stage1, stage2, surveillance, recertification';
COMMENT ON COLUMN isms.open_findings.raised_on IS 'Day it was raised';
COMMENT ON COLUMN isms.open_findings.due IS 'When it must be closed (NULL: no date set)';
COMMENT ON COLUMN isms.open_findings.days_open IS 'Days since it was raised';
COMMENT ON COLUMN isms.open_findings.overdue IS 'true when the due date is before today';
COMMENT ON COLUMN isms.open_findings.actions IS 'Number of corrective actions recorded';
COMMENT ON COLUMN isms.open_findings.open_actions IS 'Corrective actions not completed yet';
COMMENT ON COLUMN isms.open_findings.overdue_actions IS 'Corrective actions not completed and past their due date';
COMMENT ON COLUMN isms.open_findings.next_action_due IS 'Earliest due date among the open corrective actions';
COMMENT ON COLUMN isms.open_findings.effective_actions IS 'Corrective actions verified effective';
COMMENT ON COLUMN isms.open_findings.can_close IS 'true when closing is allowed now: not a nonconformity, or a corrective action was verified effective';

CREATE VIEW isms.corrective_action_register AS
SELECT a.scope,
       x.id AS action_id,
       f.id AS finding_id,
       f.ref AS finding_ref,
       f.kind AS finding_kind,
       f.status AS finding_status,
       f.control_ref,
       x.correction,
       x.root_cause,
       x.action,
       x.owner,
       x.due,
       x.completed_on,
       x.verified_by,
       x.verified_on,
       x.effective,
       CASE WHEN x.effective THEN 'effective'
            WHEN NOT x.effective THEN 'not_effective'
            WHEN x.completed_on IS NOT NULL THEN 'awaiting_verification'
            WHEN x.due < CURRENT_DATE THEN 'overdue'
            ELSE 'open' END AS state,
       x.completed_on IS NULL AND x.due < CURRENT_DATE AS overdue,
       CASE WHEN x.completed_on IS NULL AND x.due < CURRENT_DATE THEN CURRENT_DATE - x.due END AS days_overdue,
       (SELECT m.uid FROM isms.reminder m
         WHERE m.kind = 'corrective_action' AND m.subject = 'isms.corrective_action'::regclass
           AND m.subject_key = x.id::text) AS reminder_uid
  FROM isms.corrective_action x
  JOIN isms.finding f ON f.id = x.finding
  JOIN isms.audit a ON a.id = f.audit;
COMMENT ON VIEW isms.corrective_action_register IS
  'Every corrective action with its finding and state (open, overdue, awaiting_verification, effective, not_effective); overdue actions are the rows with overdue = true';
COMMENT ON COLUMN isms.corrective_action_register.scope IS 'Scope of the audit that raised the finding';
COMMENT ON COLUMN isms.corrective_action_register.action_id IS 'Corrective action id (isms.corrective_action.id)';
COMMENT ON COLUMN isms.corrective_action_register.finding_id IS 'Finding it answers (isms.finding.id)';
COMMENT ON COLUMN isms.corrective_action_register.finding_ref IS 'Reference of that finding in the audit report';
COMMENT ON COLUMN isms.corrective_action_register.finding_kind IS 'Kind of that finding';
COMMENT ON COLUMN isms.corrective_action_register.finding_status IS 'open or closed';
COMMENT ON COLUMN isms.corrective_action_register.control_ref IS 'Clause or control of the finding';
COMMENT ON COLUMN isms.corrective_action_register.correction IS 'Immediate fix';
COMMENT ON COLUMN isms.corrective_action_register.root_cause IS 'Root cause';
COMMENT ON COLUMN isms.corrective_action_register.action IS 'The corrective action';
COMMENT ON COLUMN isms.corrective_action_register.owner IS 'Who carries it out';
COMMENT ON COLUMN isms.corrective_action_register.due IS 'When it must be completed';
COMMENT ON COLUMN isms.corrective_action_register.completed_on IS 'When it was completed (NULL: open)';
COMMENT ON COLUMN isms.corrective_action_register.verified_by IS 'Who reviewed its effectiveness';
COMMENT ON COLUMN isms.corrective_action_register.verified_on IS 'When its effectiveness was reviewed';
COMMENT ON COLUMN isms.corrective_action_register.effective IS 'Verdict: true effective, false not effective, NULL not verified';
COMMENT ON COLUMN isms.corrective_action_register.state IS 'open, overdue, awaiting_verification, effective or not_effective';
COMMENT ON COLUMN isms.corrective_action_register.overdue IS 'true when not completed and past its due date';
COMMENT ON COLUMN isms.corrective_action_register.days_overdue IS 'Days past the due date while not completed (NULL otherwise)';
COMMENT ON COLUMN isms.corrective_action_register.reminder_uid IS 'Calendar UID of its reminder (isms.reminder.uid)';
-- Certification readiness (the gap analysis): every rule the readiness view
-- applies, as rows (isms.readiness_checks), folded into one row per scope
-- and clause 4-10 and per Annex A theme (isms.readiness, the view
-- isms.certification_readiness), and the blockers a person can act on
-- (isms.readiness_blockers).  The rules and their severities are listed in
-- docs/reference/readiness.md.  Every function takes the day to judge on
-- (default today), so a dashboard can look ahead to the audit date.

CREATE TYPE isms.readiness_status AS ENUM ('ready', 'gap', 'blocker');
COMMENT ON TYPE isms.readiness_status IS
  'Readiness of a clause or theme for the certification audit, in increasing severity: ready, gap (to fix, a minor finding at worst), blocker (a major nonconformity in waiting)';

-- Shortens a list of references for a message: the first ten, then "...".
CREATE FUNCTION isms.readiness_list(refs text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.array_to_string(refs[1:10], ', ')
         || CASE WHEN pg_catalog.cardinality(refs) > 10
                 THEN format(' and %s more', pg_catalog.cardinality(refs) - 10) ELSE '' END
$$;
COMMENT ON FUNCTION isms.readiness_list(text[]) IS
  'The first ten references of a list joined by ", ", then "and N more"; used in readiness messages';

CREATE FUNCTION isms.readiness_checks(scope text, as_of date DEFAULT CURRENT_DATE)
  RETURNS TABLE (area text, ref text, rule text, status isms.readiness_status, what text,
                 object text, owner text, since date, evidence text)
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
  sid text := readiness_checks.scope;
  day date := readiness_checks.as_of;
  year_ago date := (readiness_checks.as_of - interval '12 months')::date;
BEGIN
  IF sid IS NULL OR day IS NULL THEN
    RAISE EXCEPTION 'scope and as_of must not be null'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM isms.scope s WHERE s.id OPERATOR(pg_catalog.=) sid) THEN
    RAISE EXCEPTION 'scope "%" does not exist', sid
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Scopes are rows of isms.scope.';
  END IF;
  IF NOT isfinite(day) THEN
    RAISE EXCEPTION 'as_of must be a finite date, not %', day
      USING ERRCODE = 'invalid_parameter_value';
  END IF;

  RETURN QUERY
  WITH RECURSIVE clause AS (
    SELECT c.ref, c.ref AS top, ARRAY[c.ref] AS path
      FROM isms.control c
     WHERE c.framework = 'iso27001-2022-clauses' AND c.parent_ref IS NULL
    UNION ALL
    SELECT c.ref, t.top, t.path || c.ref
      FROM isms.control c JOIN clause t ON c.parent_ref = t.ref
     WHERE c.framework = 'iso27001-2022-clauses'
  ),
  leaf AS (
    SELECT t.* FROM clause t
     WHERE NOT EXISTS (SELECT 1 FROM isms.control c
                        WHERE c.framework = 'iso27001-2022-clauses' AND c.parent_ref = t.ref)
  ),
  doc AS (
    SELECT d.* FROM isms.document d
     WHERE d.scope = sid AND (d.retired_on IS NULL OR d.retired_on > day)
  ),
  soa AS (
    SELECT c.ref, c.group_id, c.position, e.scope IS NOT NULL AS has_entry,
           e.applicable, e.status AS impl, e.next_review
      FROM isms.control c
      LEFT JOIN isms.soa_entry e
        ON e.framework = c.framework AND e.control_ref = c.ref AND e.scope = sid
     WHERE c.framework = 'iso27001-2022'
  ),
  internal_audit AS (
    SELECT a.* FROM isms.audit a
     WHERE a.scope = sid AND a.kind = 'internal' AND a.status = 'completed'
       AND a.completed_on <= day AND a.completed_on >= year_ago
  ),
  covered AS (
    SELECT DISTINCT v.framework, v.control_ref, v.audit
      FROM isms.audit_coverage v JOIN internal_audit a ON a.id = v.audit
  ),
  nc AS (
    SELECT f.*, coalesce(cl.top, ac.group_id, '10') AS at_ref,
           CASE WHEN ac.group_id IS NOT NULL THEN 'annex_a_theme' ELSE 'clause' END AS at_area,
           coalesce(f.ref, '#' || f.id) AS label
      FROM isms.finding f
      JOIN isms.audit a ON a.id = f.audit AND a.scope = sid
      LEFT JOIN clause cl ON f.framework = 'iso27001-2022-clauses' AND cl.ref = f.control_ref
      LEFT JOIN isms.control ac ON f.framework = 'iso27001-2022' AND ac.framework = f.framework AND ac.ref = f.control_ref
     WHERE isms.is_nonconformity(f.kind) AND f.raised_on <= day
  )
  -- Required documented information: present, approved, in review.
  SELECT 'clause', cl.top, 'required_document',
         CASE WHEN d.id IS NULL THEN 'blocker'
              WHEN d.approved_on IS NULL OR d.next_review < day THEN 'gap'
              ELSE 'ready' END::isms.readiness_status,
         CASE WHEN d.id IS NULL THEN format('Required documented information missing: %s (clause %s)', r.title, r.clause_ref)
              WHEN d.approved_on IS NULL THEN format('%s %s (%s, clause %s) is not approved', initcap(d.kind::text), d.ref, r.title, r.clause_ref)
              WHEN d.next_review < day THEN format('Review of %s %s (%s, clause %s) overdue since %s', d.kind, d.ref, r.title, r.clause_ref, d.next_review)
         END,
         CASE WHEN d.id IS NULL THEN 'document_requirement ' || r.id ELSE 'document ' || d.ref END,
         d.owner,
         CASE WHEN d.id IS NOT NULL AND d.approved_on IS NULL THEN d.created_at::date
              WHEN d.next_review < day THEN d.next_review END,
         CASE WHEN d.id IS NULL THEN format('%s (clause %s): no document in force fulfils it', r.title, r.clause_ref)
              ELSE format('%s (clause %s): %s %s "%s"%s, %s, next review %s', r.title, r.clause_ref, d.kind, d.ref, d.title,
                          coalesce(' v' || d.version, ''),
                          coalesce(format('approved by %s on %s', d.approved_by, d.approved_on), 'not approved'),
                          d.next_review) END
    FROM isms.document_requirement r
    JOIN clause cl ON r.framework = 'iso27001-2022-clauses' AND cl.ref = r.clause_ref
    LEFT JOIN LATERAL (
      SELECT d.* FROM doc d JOIN isms.document_fulfils x ON x.document = d.id
       WHERE x.requirement = r.id
       ORDER BY d.approved_on IS NOT NULL DESC, d.next_review >= day DESC, d.approved_on DESC, d.id
       LIMIT 1) d ON true

  -- Control of documented information (7.5.3): the other documents in review.
  UNION ALL
  SELECT 'clause', '7', 'document_review', 'gap',
         format('Review of %s %s "%s" overdue since %s', d.kind, d.ref, d.title, d.next_review),
         'document ' || d.ref, d.owner, d.next_review, NULL
    FROM doc d
   WHERE d.next_review < day AND NOT EXISTS (SELECT 1 FROM isms.document_fulfils x WHERE x.document = d.id)
  UNION ALL
  SELECT 'clause', '7', 'document_review', 'ready', NULL, NULL, NULL, NULL,
         format('Document register: %s documents in force, %s approved, %s past their review date',
                count(*), count(*) FILTER (WHERE d.approved_on IS NOT NULL), count(*) FILTER (WHERE d.next_review < day))
    FROM doc d

  -- Statement of Applicability (6.1.3 d): every Annex A control decided.
  UNION ALL
  SELECT 'clause', '6', 'soa_complete',
         CASE WHEN NOT bool_or(s.has_entry) THEN 'blocker'
              WHEN bool_or(s.applicable IS NULL) THEN 'gap'
              ELSE 'ready' END::isms.readiness_status,
         CASE WHEN NOT bool_or(s.has_entry) THEN 'No Statement of Applicability: no Annex A control has an SoA entry in this scope'
              WHEN bool_or(s.applicable IS NULL) THEN
                format('%s of %s Annex A controls not decided in the Statement of Applicability: %s',
                       count(*) FILTER (WHERE s.applicable IS NULL), count(*),
                       isms.readiness_list(array_agg(s.ref ORDER BY s.position) FILTER (WHERE s.applicable IS NULL))) END,
         'statement of applicability', NULL, NULL,
         format('Statement of Applicability: %s of %s Annex A controls decided (%s applicable, %s excluded), each with a justification',
                count(*) FILTER (WHERE s.applicable IS NOT NULL), count(*),
                count(*) FILTER (WHERE s.applicable), count(*) FILTER (WHERE NOT s.applicable))
    FROM soa s

  -- Annex A themes: decided, implemented, reviewed.
  UNION ALL
  SELECT 'annex_a_theme', s.group_id, 'soa_complete', 'gap',
         format('%s controls not decided in the Statement of Applicability: %s',
                count(*), isms.readiness_list(array_agg(s.ref ORDER BY s.position))),
         'statement of applicability', NULL, NULL, NULL
    FROM soa s WHERE s.applicable IS NULL GROUP BY s.group_id
  UNION ALL
  SELECT 'annex_a_theme', s.group_id, 'soa_implementation', 'gap',
         format('%s applicable controls not fully implemented: %s',
                count(*), isms.readiness_list(array_agg(s.ref || ' (' || s.impl || ')' ORDER BY s.position))),
         'statement of applicability', NULL, NULL, NULL
    FROM soa s WHERE s.applicable AND s.impl <> 'implemented' GROUP BY s.group_id
  UNION ALL
  SELECT 'annex_a_theme', s.group_id, 'soa_review', 'gap',
         format('%s SoA entries past their review date: %s',
                count(*), isms.readiness_list(array_agg(s.ref || ' (' || s.next_review || ')' ORDER BY s.position))),
         'statement of applicability', NULL, min(s.next_review), NULL
    FROM soa s WHERE s.applicable IS NOT NULL AND s.next_review < day GROUP BY s.group_id
  UNION ALL
  SELECT 'annex_a_theme', s.group_id, 'soa_complete', 'ready', NULL, NULL, NULL, NULL,
         format('Statement of Applicability: %s controls, %s decided, %s applicable, %s of them implemented',
                count(*), count(*) FILTER (WHERE s.applicable IS NOT NULL),
                count(*) FILTER (WHERE s.applicable), count(*) FILTER (WHERE s.applicable AND s.impl = 'implemented'))
    FROM soa s GROUP BY s.group_id

  -- Risk assessment (6.1.2, 8.2) and treatment (6.1.3, 8.3).
  UNION ALL
  SELECT 'clause', '6', 'risk_assessed', 'blocker',
         'No risk assessment: the scope has no open risk in the risk register',
         'risk register', NULL, NULL, NULL
   WHERE NOT EXISTS (SELECT 1 FROM isms.risk k WHERE k.scope = sid AND k.status <> 'closed')
  UNION ALL
  SELECT 'clause', '6', 'risk_assessed', 'gap',
         format('Risk %s "%s" is identified but not assessed', k.ref, k.title),
         'risk ' || k.ref, k.owner, k.identified_on, NULL
    FROM isms.risk k WHERE k.scope = sid AND k.status = 'identified'
  UNION ALL
  SELECT 'clause', '6', 'risk_assessed', 'ready', NULL, NULL, NULL, NULL,
         format('Risk register: %s open risks, %s assessed', count(*), count(*) FILTER (WHERE k.status <> 'identified'))
    FROM isms.risk k WHERE k.scope = sid AND k.status <> 'closed'
  UNION ALL
  SELECT 'clause', '8', 'risk_review', 'gap',
         CASE WHEN k.next_review IS NULL THEN format('Risk %s "%s" has no review date', k.ref, k.title)
              ELSE format('Review of risk %s "%s" overdue since %s', k.ref, k.title, k.next_review) END,
         'risk ' || k.ref, k.owner, k.next_review, NULL
    FROM isms.risk k
   WHERE k.scope = sid AND k.status <> 'closed' AND (k.next_review IS NULL OR k.next_review < day)
  UNION ALL
  SELECT 'clause', '8', 'risk_review', 'ready', NULL, NULL, NULL, NULL,
         format('Risk reviews: %s of %s open risks reviewed on time',
                count(*) FILTER (WHERE k.next_review >= day), count(*))
    FROM isms.risk k WHERE k.scope = sid AND k.status <> 'closed'
  UNION ALL
  SELECT 'clause', '8', 'treatment_on_time', 'gap',
         format('Treatment plan %s of risk %s overdue since %s: %s', t.id, k.ref, t.due, t.plan),
         'treatment ' || t.id, t.owner, t.due, NULL
    FROM isms.treatment t JOIN isms.risk k ON k.id = t.risk_id
   WHERE k.scope = sid AND t.status IN ('planned', 'in_progress') AND t.due < day
  UNION ALL
  SELECT 'clause', '8', 'treatment_on_time', 'ready', NULL, NULL, NULL, NULL,
         format('Risk treatment: %s plans open (%s overdue), %s done',
                count(*) FILTER (WHERE t.status IN ('planned', 'in_progress')),
                count(*) FILTER (WHERE t.status IN ('planned', 'in_progress') AND t.due < day),
                count(*) FILTER (WHERE t.status = 'done'))
    FROM isms.treatment t JOIN isms.risk k ON k.id = t.risk_id AND k.scope = sid

  -- Internal audit (9.2) within the last 12 months, and what it covered.
  UNION ALL
  SELECT 'clause', '9', 'internal_audit', 'blocker',
         'No internal audit completed in the last 12 months',
         'audit programme', nxt.auditor, (last.completed_on + interval '12 months')::date,
         concat_ws('; ',
           CASE WHEN last.id IS NULL THEN 'No internal audit was ever completed'
                ELSE format('Last internal audit: #%s completed on %s', last.id, last.completed_on) END,
           'next one due by ' || nxt.due_by)
    FROM (SELECT 1) one
    LEFT JOIN LATERAL (SELECT a.* FROM isms.audit a
                        WHERE a.scope = sid AND a.kind = 'internal' AND a.status = 'completed' AND a.completed_on <= day
                        ORDER BY a.completed_on DESC LIMIT 1) last ON true
    LEFT JOIN LATERAL (SELECT a.* FROM isms.audit a
                        WHERE a.scope = sid AND a.kind = 'internal' AND a.status IN ('planned', 'confirmed')
                        ORDER BY a.due_by LIMIT 1) nxt ON true
   WHERE NOT EXISTS (SELECT 1 FROM internal_audit)
  UNION ALL
  SELECT 'clause', '9', 'internal_audit', 'ready', NULL, NULL, NULL, NULL,
         format('Internal audit #%s%s completed on %s%s, covering %s clauses and controls',
                a.id, coalesce(' "' || a.title || '"', ''), a.completed_on, coalesce(' by ' || a.auditor, ''),
                (SELECT count(*) FROM isms.audit_coverage v WHERE v.audit = a.id))
    FROM internal_audit a
  UNION ALL
  SELECT 'clause', l.top, 'audit_coverage', 'gap',
         format('Not covered by an internal audit in the last 12 months: clauses %s',
                isms.readiness_list(array_agg(l.ref ORDER BY l.path))),
         'audit programme', NULL, NULL, NULL
    FROM leaf l
   WHERE EXISTS (SELECT 1 FROM internal_audit)
     AND NOT EXISTS (SELECT 1 FROM covered v
                      WHERE v.framework = 'iso27001-2022-clauses' AND v.control_ref = ANY (l.path))
   GROUP BY l.top
  UNION ALL
  SELECT 'annex_a_theme', s.group_id, 'audit_coverage', 'gap',
         format('Applicable controls not covered by an internal audit in the last 12 months: %s',
                isms.readiness_list(array_agg(s.ref ORDER BY s.position))),
         'audit programme', NULL, NULL, NULL
    FROM soa s
   WHERE s.applicable AND EXISTS (SELECT 1 FROM internal_audit)
     AND NOT EXISTS (SELECT 1 FROM covered v WHERE v.framework = 'iso27001-2022' AND v.control_ref = s.ref)
   GROUP BY s.group_id

  -- Management review (9.3) within the last 12 months.
  UNION ALL
  SELECT 'clause', '9', 'management_review',
         CASE WHEN mr.id IS NULL THEN 'blocker' ELSE 'ready' END::isms.readiness_status,
         CASE WHEN mr.id IS NULL THEN 'No management review completed in the last 12 months' END,
         CASE WHEN mr.id IS NULL THEN 'audit programme' END,
         CASE WHEN mr.id IS NULL THEN nxt.auditor END,
         CASE WHEN mr.id IS NULL THEN (last.completed_on + interval '12 months')::date END,
         CASE WHEN mr.id IS NOT NULL THEN format('Management review #%s completed on %s', mr.id, mr.completed_on)
              WHEN last.id IS NOT NULL THEN format('Last management review: #%s completed on %s', last.id, last.completed_on)
              ELSE 'No management review was ever completed' END
    FROM (SELECT 1) one
    LEFT JOIN LATERAL (SELECT a.* FROM isms.audit a
                        WHERE a.scope = sid AND a.kind = 'management_review' AND a.status = 'completed'
                          AND a.completed_on <= day AND a.completed_on >= year_ago
                        ORDER BY a.completed_on DESC LIMIT 1) mr ON true
    LEFT JOIN LATERAL (SELECT a.* FROM isms.audit a
                        WHERE a.scope = sid AND a.kind = 'management_review' AND a.status = 'completed' AND a.completed_on <= day
                        ORDER BY a.completed_on DESC LIMIT 1) last ON true
    LEFT JOIN LATERAL (SELECT a.* FROM isms.audit a
                        WHERE a.scope = sid AND a.kind = 'management_review' AND a.status IN ('planned', 'confirmed')
                        ORDER BY a.due_by LIMIT 1) nxt ON true

  -- Nonconformities (10.2), on the row of the clause or theme they are against.
  UNION ALL
  SELECT f.at_area, f.at_ref, 'nonconformity',
         CASE WHEN f.kind = 'major_nonconformity' THEN 'blocker' ELSE 'gap' END::isms.readiness_status,
         CASE WHEN f.kind = 'major_nonconformity'
                THEN format('Open major nonconformity %s against %s: %s', f.label, f.control_ref, f.statement)
              WHEN f.due < day
                THEN format('Minor nonconformity %s against %s overdue since %s: %s', f.label, f.control_ref, f.due, f.statement)
              ELSE format('Minor nonconformity %s against %s has no corrective action: %s', f.label, f.control_ref, f.statement) END,
         'finding ' || f.label, f.owner,
         CASE WHEN f.kind = 'minor_nonconformity' AND f.due < day THEN f.due ELSE f.raised_on END,
         NULL
    FROM nc f
   WHERE (f.status = 'open' OR f.closed_on > day)
     AND (f.kind = 'major_nonconformity' OR f.due < day
          OR NOT EXISTS (SELECT 1 FROM isms.corrective_action x WHERE x.finding = f.id))
  UNION ALL
  SELECT 'clause', '10', 'nonconformity', 'ready', NULL, NULL, NULL, NULL,
         format('Nonconformities: %s raised, %s closed with a corrective action verified effective, %s open (%s major)',
                count(*), count(*) FILTER (WHERE f.status = 'closed' AND f.closed_on <= day),
                count(*) FILTER (WHERE f.status = 'open' OR f.closed_on > day),
                count(*) FILTER (WHERE (f.status = 'open' OR f.closed_on > day) AND f.kind = 'major_nonconformity'))
    FROM nc f

  -- Corrective actions on time (10.2).
  UNION ALL
  SELECT 'clause', '10', 'corrective_action', 'gap',
         format('Corrective action #%s for %s overdue since %s: %s', x.id, coalesce(f.ref, 'finding #' || f.id), x.due, x.action),
         'corrective action #' || x.id, x.owner, x.due, NULL
    FROM isms.corrective_action x
    JOIN isms.finding f ON f.id = x.finding
    JOIN isms.audit a ON a.id = f.audit AND a.scope = sid
   WHERE (x.completed_on IS NULL OR x.completed_on > day) AND x.due < day
  UNION ALL
  SELECT 'clause', '10', 'corrective_action', 'ready', NULL, NULL, NULL, NULL,
         format('Corrective actions: %s recorded, %s completed, %s verified effective, %s overdue',
                count(*), count(*) FILTER (WHERE x.completed_on <= day), count(*) FILTER (WHERE x.effective AND x.verified_on <= day),
                count(*) FILTER (WHERE (x.completed_on IS NULL OR x.completed_on > day) AND x.due < day))
    FROM isms.corrective_action x
    JOIN isms.finding f ON f.id = x.finding
    JOIN isms.audit a ON a.id = f.audit AND a.scope = sid;
END
$fn$;
COMMENT ON FUNCTION isms.readiness_checks(text, date) IS
  'Every readiness rule applied to one scope on a day (default today): one row per problem found (gap or blocker, with what, which object, owner, since when) and per piece of evidence looked at (ready); unknown scope or infinite day 22023, NULL 22004';

CREATE FUNCTION isms.readiness(scope text, as_of date DEFAULT CURRENT_DATE)
  RETURNS TABLE (scope text, area text, ref text, title text, status isms.readiness_status,
                 blockers integer, gaps integer, missing text[], evidence text[], "position" integer)
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
AS $$
  WITH chk AS (SELECT * FROM isms.readiness_checks(readiness.scope, readiness.as_of)),
  area AS (
    SELECT 'clause' AS area, c.ref, c.title, c.position
      FROM isms.control c
     WHERE c.framework OPERATOR(pg_catalog.=) 'iso27001-2022-clauses' AND c.parent_ref IS NULL
    UNION ALL
    SELECT 'annex_a_theme', g.id, g.title, 1000 + g.position
      FROM isms.control_group g
     WHERE g.framework OPERATOR(pg_catalog.=) 'iso27001-2022' AND g.parent_id IS NULL
  )
  SELECT readiness.scope, a.area, a.ref, a.title,
         coalesce(max(k.status), 'ready'),
         (count(*) FILTER (WHERE k.status OPERATOR(pg_catalog.=) 'blocker'))::integer,
         (count(*) FILTER (WHERE k.status OPERATOR(pg_catalog.=) 'gap'))::integer,
         coalesce(array_agg(k.what ORDER BY k.status DESC, k.rule, k.since, k.what)
                  FILTER (WHERE k.status OPERATOR(pg_catalog.<>) 'ready'), '{}'),
         coalesce(array_agg(k.evidence ORDER BY k.rule, k.evidence) FILTER (WHERE k.evidence IS NOT NULL), '{}'),
         a.position
    FROM area a
    LEFT JOIN chk k ON k.area OPERATOR(pg_catalog.=) a.area AND k.ref OPERATOR(pg_catalog.=) a.ref
   GROUP BY a.area, a.ref, a.title, a.position
   ORDER BY a.position
$$;
COMMENT ON FUNCTION isms.readiness(text, date) IS
  'Readiness of one scope on a day (default today): one row per clause 4-10 and per Annex A theme with status (ready, gap, blocker), what is missing and the evidence looked at';

CREATE VIEW isms.certification_readiness AS
SELECT r.scope, r.area, r.ref, r.title, r.status, r.blockers, r.gaps, r.missing, r.evidence, r.position
  FROM isms.scope s
 CROSS JOIN LATERAL isms.readiness(s.id, CURRENT_DATE) r;
COMMENT ON VIEW isms.certification_readiness IS
  'Gap analysis for the next certification audit: one row per scope and ISO/IEC 27001:2022 clause 4-10, plus one per Annex A theme, judged today';
COMMENT ON COLUMN isms.certification_readiness.scope IS 'Scope (isms.scope.id)';
COMMENT ON COLUMN isms.certification_readiness.area IS 'clause (ISO/IEC 27001:2022 clauses 4 to 10) or annex_a_theme (the four Annex A themes)';
COMMENT ON COLUMN isms.certification_readiness.ref IS 'Clause number (4 to 10) or theme id (organizational, people, physical, technological)';
COMMENT ON COLUMN isms.certification_readiness.title IS 'Clause or theme title';
COMMENT ON COLUMN isms.certification_readiness.status IS
  'ready (nothing missing), gap (something to fix; a minor finding at worst) or blocker (missing mandatory element or open major nonconformity)';
COMMENT ON COLUMN isms.certification_readiness.blockers IS 'Number of blocking problems (see isms.readiness_blockers)';
COMMENT ON COLUMN isms.certification_readiness.gaps IS 'Number of gaps';
COMMENT ON COLUMN isms.certification_readiness.missing IS 'What is missing, one sentence per problem, blockers first';
COMMENT ON COLUMN isms.certification_readiness.evidence IS 'The evidence looked at: documents, SoA, risk register, audits, findings and actions, one sentence each';
COMMENT ON COLUMN isms.certification_readiness.position IS 'Sort order: clauses 4 to 10, then the themes';

CREATE FUNCTION isms.readiness_blockers(scope text, as_of date DEFAULT CURRENT_DATE)
  RETURNS TABLE (area text, ref text, rule text, what text, object text, owner text, since date)
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
AS $$
  SELECT k.area, k.ref, k.rule, k.what, k.object, k.owner, k.since
    FROM isms.readiness_checks(readiness_blockers.scope, readiness_blockers.as_of) k
   WHERE k.status OPERATOR(pg_catalog.=) 'blocker'
   ORDER BY k.since NULLS FIRST, k.area,
            CASE WHEN k.area OPERATOR(pg_catalog.=) 'clause' THEN pg_catalog.lpad(k.ref, 3, '0') ELSE k.ref END,
            k.rule, k.what
$$;
COMMENT ON FUNCTION isms.readiness_blockers(text, date) IS
  'What blocks certification of a scope on a day (default today), as rows a person can act on: what, which object, owner, since when (oldest first); unknown scope 22023';
-- Privacy (ISO/IEC 27701): whether a scope acts as PII controller, processor
-- or both, and the rule that lets the SoA offer only the annex of that role.
-- Controls carry their role as the attribute "role" (a string or an array of
-- strings) in isms.control.attributes; any framework can use it, so a later
-- edition of ISO/IEC 27701 is new catalogue rows, not new schema.

CREATE TYPE isms.privacy_role AS ENUM ('controller', 'processor', 'both');
COMMENT ON TYPE isms.privacy_role IS
  'Role of a scope in processing PII (ISO/IEC 27701): controller, processor, or both';

CREATE TABLE isms.privacy_scope (
  scope      text PRIMARY KEY REFERENCES isms.scope (id),
  role       isms.privacy_role NOT NULL,
  contact    text CONSTRAINT privacy_scope_contact_not_blank CHECK (btrim(contact) <> ''),
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE isms.privacy_scope IS
  'Privacy role of a scope: controller, processor or both; isms.soa_init offers the ISO/IEC 27701 controls of that role only. A scope without a row is not filtered';
COMMENT ON COLUMN isms.privacy_scope.scope IS 'ISMS scope (isms.scope.id)';
COMMENT ON COLUMN isms.privacy_scope.role IS
  'controller, processor or both; decides which role-specific controls (attribute "role") the scope''s SoA is offered';
COMMENT ON COLUMN isms.privacy_scope.contact IS
  'Privacy contact of the scope (data protection officer or privacy office), shown with the records of processing';
COMMENT ON COLUMN isms.privacy_scope.created_at IS 'When the role was first recorded';

SELECT pg_catalog.pg_extension_config_dump('isms.privacy_scope', '');

CREATE TRIGGER privacy_scope_log_insert AFTER INSERT ON isms.privacy_scope
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER privacy_scope_log_update AFTER UPDATE ON isms.privacy_scope
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER privacy_scope_log_delete AFTER DELETE ON isms.privacy_scope
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();

-- The one place that says which control a role is offered.  Only the values
-- controller and processor restrict: a control without them ("role" absent,
-- or used by a user framework for something else) is offered to every scope,
-- and so is every control when the scope declared no role (role NULL).
CREATE FUNCTION isms.control_privacy_roles(attributes jsonb) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT coalesce(pg_catalog.array_agg(DISTINCT v ORDER BY v), '{}')
    FROM pg_catalog.jsonb_array_elements_text(
           CASE pg_catalog.jsonb_typeof(attributes OPERATOR(pg_catalog.->) 'role')
             WHEN 'array' THEN attributes OPERATOR(pg_catalog.->) 'role'
             WHEN 'string' THEN pg_catalog.jsonb_build_array(attributes OPERATOR(pg_catalog.->) 'role')
             ELSE '[]'::jsonb END) AS v
   WHERE v OPERATOR(pg_catalog.=) ANY (ARRAY['controller', 'processor'])
$$;
COMMENT ON FUNCTION isms.control_privacy_roles(jsonb) IS
  'The privacy roles (controller, processor) a control is for, from its attribute "role" (a string or an array); empty when the control is not role-specific';

CREATE FUNCTION isms.privacy_role_covers(role isms.privacy_role, attributes jsonb)
  RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT role IS NULL
      OR role OPERATOR(pg_catalog.=) 'both'::isms.privacy_role
      OR pg_catalog.cardinality(isms.control_privacy_roles(coalesce(attributes, '{}'))) OPERATOR(pg_catalog.=) 0
      OR role::text OPERATOR(pg_catalog.=) ANY (isms.control_privacy_roles(attributes))
$$;
COMMENT ON FUNCTION isms.privacy_role_covers(isms.privacy_role, jsonb) IS
  'true when a scope acting in this privacy role (NULL = not declared) is offered a control with these attributes: the control is not role-specific, or is for a role the scope plays';

-- BEFORE INSERT/UPDATE of an undecided SoA entry.  An offer (an undecided
-- entry, as isms.soa_init makes) of a control for a role the scope does not
-- play is skipped, which is how soa_init, unchanged, offers the matching
-- annex only.  Decided entries pass: an auditor may want Annex B listed as
-- excluded with a justification.  Turning a decided entry of such a control
-- back into an undecided one is refused, so the SoA never holds an offer of
-- the wrong role.  Rows a restore loads (isms.restore_in_progress()) pass unchanged.
CREATE FUNCTION isms.privacy_soa_offer() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  scope_role isms.privacy_role;
  attrs jsonb;
BEGIN
  SELECT p.role INTO scope_role FROM isms.privacy_scope p WHERE p.scope OPERATOR(pg_catalog.=) NEW.scope;
  IF NOT FOUND OR isms.restore_in_progress() THEN
    RETURN NEW;
  END IF;
  SELECT c.attributes INTO attrs FROM isms.control c
   WHERE c.framework OPERATOR(pg_catalog.=) NEW.framework AND c.ref OPERATOR(pg_catalog.=) NEW.control_ref;
  IF NOT FOUND OR isms.privacy_role_covers(scope_role, attrs) THEN
    RETURN NEW;          -- an unknown control is left to the foreign key
  END IF;
  IF TG_OP = 'INSERT' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'control "%" of framework "%" is not offered to scope "%", which acts as PII %',
                  NEW.control_ref, NEW.framework, NEW.scope, scope_role
    USING ERRCODE = 'check_violation', CONSTRAINT = 'soa_entry_privacy_role',
          DETAIL = format('The control is for the role(s) %s; an entry for it must stay decided (applicable true or false, with a justification).',
                          attrs OPERATOR(pg_catalog.->) 'role'),
          HINT = 'Delete the entry, keep it decided, or change the scope''s role in isms.privacy_scope.';
END
$$;
COMMENT ON FUNCTION isms.privacy_soa_offer() IS
  'Trigger on isms.soa_entry: skips an undecided entry (an offer) of a control for a privacy role the scope does not play; refuses to make such an entry undecided again (23514)';

CREATE TRIGGER soa_entry_privacy_offer BEFORE INSERT ON isms.soa_entry
  FOR EACH ROW WHEN (NEW.applicable IS NULL)
  EXECUTE FUNCTION isms.privacy_soa_offer();
CREATE TRIGGER soa_entry_privacy_undecide BEFORE UPDATE ON isms.soa_entry
  FOR EACH ROW WHEN (NEW.applicable IS NULL AND (OLD.applicable IS NOT NULL
                     OR (NEW.scope, NEW.framework, NEW.control_ref)
                        IS DISTINCT FROM (OLD.scope, OLD.framework, OLD.control_ref)))
  EXECUTE FUNCTION isms.privacy_soa_offer();

-- AFTER a scope's role is set or changed: offers of controls it no longer
-- covers go (they hold no decision; the change log keeps them), and when the
-- role widens, the controls it now covers are offered in every framework the
-- scope's SoA already uses.  Nothing happens while a restore loads the
-- rows (isms.restore_in_progress()): the dump holds the SoA exactly as it was.
CREATE FUNCTION isms.privacy_scope_sync() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
BEGIN
  IF isms.restore_in_progress() THEN
    RETURN NULL;         -- a dump holds the SoA exactly as it was
  END IF;
  DELETE FROM isms.soa_entry e
   USING isms.control c
   WHERE e.scope OPERATOR(pg_catalog.=) NEW.scope
     AND e.applicable IS NULL
     AND c.framework OPERATOR(pg_catalog.=) e.framework AND c.ref OPERATOR(pg_catalog.=) e.control_ref
     AND NOT isms.privacy_role_covers(NEW.role, c.attributes);
  IF TG_OP = 'UPDATE' AND OLD.scope OPERATOR(pg_catalog.=) NEW.scope THEN
    INSERT INTO isms.soa_entry (scope, framework, control_ref)
    SELECT NEW.scope, c.framework, c.ref
      FROM isms.control c
     WHERE c.framework IN (SELECT e.framework FROM isms.soa_entry e WHERE e.scope OPERATOR(pg_catalog.=) NEW.scope)
       AND isms.privacy_role_covers(NEW.role, c.attributes)
       AND NOT isms.privacy_role_covers(OLD.role, c.attributes)
     ORDER BY c.framework, c.position, c.ref
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.privacy_scope_sync() IS
  'Trigger on isms.privacy_scope: removes undecided SoA entries of controls the new role does not cover, and offers the controls a widened role now covers';

CREATE TRIGGER privacy_scope_sync AFTER INSERT OR UPDATE OF scope, role ON isms.privacy_scope
  FOR EACH ROW EXECUTE FUNCTION isms.privacy_scope_sync();
-- GENERATED by data/gen_seed.py from data/iso27701-2019-controls.csv: edit that
-- and rerun, never this file.  ISO/IEC 27701:2019 Annex A (PII controllers)
-- and Annex B (PII processors), ids and titles only; the annex and the role
-- are control attributes (see 600_privacy_scope.sql); builtin = true.

INSERT INTO isms.framework (id, name, version, publisher, description, oscal_uuid, last_modified, builtin, created_at) VALUES
  ('iso27701-2019', 'ISO/IEC 27701:2019 Annexes A and B', '2019', 'ISO/IEC',
   'PIMS-specific controls of ISO/IEC 27701:2019: Annex A for PII controllers (31), Annex B for PII processors (18); titles only, the role is the control attribute "role"',
   '1c9e3297-3fa0-40b8-83b6-fdafb8a90725', '2019-08-01 00:00:00+00', true, NULL);

INSERT INTO isms.control_group (framework, id, title, parent_id, position, builtin) VALUES
  ('iso27701-2019', 'A', 'Annex A (PII controllers)', NULL, 1, true),
  ('iso27701-2019', 'A.7.2', 'Conditions for collection and processing', 'A', 2, true),
  ('iso27701-2019', 'A.7.3', 'Obligations to PII principals', 'A', 3, true),
  ('iso27701-2019', 'A.7.4', 'Privacy by design and privacy by default', 'A', 4, true),
  ('iso27701-2019', 'A.7.5', 'PII sharing, transfer and disclosure', 'A', 5, true),
  ('iso27701-2019', 'B', 'Annex B (PII processors)', NULL, 6, true),
  ('iso27701-2019', 'B.8.2', 'Conditions for collection and processing', 'B', 7, true),
  ('iso27701-2019', 'B.8.3', 'Obligations to PII principals', 'B', 8, true),
  ('iso27701-2019', 'B.8.4', 'Privacy by design and privacy by default', 'B', 9, true),
  ('iso27701-2019', 'B.8.5', 'PII sharing, transfer and disclosure', 'B', 10, true);

INSERT INTO isms.control (framework, ref, title, theme, group_id, position, attributes, builtin) VALUES
  ('iso27701-2019', 'A.7.2.1', 'Identify and document purpose', 'Annex A (PII controllers)', 'A.7.2', 1, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.2.2', 'Identify lawful basis', 'Annex A (PII controllers)', 'A.7.2', 2, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.2.3', 'Determine when and how consent is to be obtained', 'Annex A (PII controllers)', 'A.7.2', 3, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.2.4', 'Obtain and record consent', 'Annex A (PII controllers)', 'A.7.2', 4, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.2.5', 'Privacy impact assessment', 'Annex A (PII controllers)', 'A.7.2', 5, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.2.6', 'Contracts with PII processors', 'Annex A (PII controllers)', 'A.7.2', 6, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.2.7', 'Joint PII controller', 'Annex A (PII controllers)', 'A.7.2', 7, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.2.8', 'Records related to processing PII', 'Annex A (PII controllers)', 'A.7.2', 8, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.3.1', 'Determining and fulfilling obligations to PII principals', 'Annex A (PII controllers)', 'A.7.3', 9, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.3.2', 'Determining information for PII principals', 'Annex A (PII controllers)', 'A.7.3', 10, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.3.3', 'Providing information to PII principals', 'Annex A (PII controllers)', 'A.7.3', 11, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.3.4', 'Providing mechanism to modify or withdraw consent', 'Annex A (PII controllers)', 'A.7.3', 12, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.3.5', 'Providing mechanism to object to PII processing', 'Annex A (PII controllers)', 'A.7.3', 13, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.3.6', 'Access, correction and/or erasure', 'Annex A (PII controllers)', 'A.7.3', 14, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.3.7', 'PII controllers'' obligations to inform third parties', 'Annex A (PII controllers)', 'A.7.3', 15, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.3.8', 'Providing copy of PII processed', 'Annex A (PII controllers)', 'A.7.3', 16, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.3.9', 'Handling requests', 'Annex A (PII controllers)', 'A.7.3', 17, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.3.10', 'Automated decision making', 'Annex A (PII controllers)', 'A.7.3', 18, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.4.1', 'Limit collection', 'Annex A (PII controllers)', 'A.7.4', 19, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.4.2', 'Limit processing', 'Annex A (PII controllers)', 'A.7.4', 20, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.4.3', 'Accuracy and quality', 'Annex A (PII controllers)', 'A.7.4', 21, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.4.4', 'PII minimization objectives', 'Annex A (PII controllers)', 'A.7.4', 22, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.4.5', 'PII de-identification and deletion at the end of processing', 'Annex A (PII controllers)', 'A.7.4', 23, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.4.6', 'Temporary files', 'Annex A (PII controllers)', 'A.7.4', 24, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.4.7', 'Retention', 'Annex A (PII controllers)', 'A.7.4', 25, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.4.8', 'Disposal', 'Annex A (PII controllers)', 'A.7.4', 26, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.4.9', 'PII transmission controls', 'Annex A (PII controllers)', 'A.7.4', 27, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.5.1', 'Identify basis for PII transfer between jurisdictions', 'Annex A (PII controllers)', 'A.7.5', 28, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.5.2', 'Countries and international organizations to which PII can be transferred', 'Annex A (PII controllers)', 'A.7.5', 29, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.5.3', 'Records of transfer of PII', 'Annex A (PII controllers)', 'A.7.5', 30, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'A.7.5.4', 'Records of PII disclosure to third parties', 'Annex A (PII controllers)', 'A.7.5', 31, '{"annex": "A", "role": "controller"}', true),
  ('iso27701-2019', 'B.8.2.1', 'Customer agreement', 'Annex B (PII processors)', 'B.8.2', 32, '{"annex": "B", "role": "processor"}', true),
  ('iso27701-2019', 'B.8.2.2', 'Organization''s purposes', 'Annex B (PII processors)', 'B.8.2', 33, '{"annex": "B", "role": "processor"}', true),
  ('iso27701-2019', 'B.8.2.3', 'Marketing and advertising use', 'Annex B (PII processors)', 'B.8.2', 34, '{"annex": "B", "role": "processor"}', true),
  ('iso27701-2019', 'B.8.2.4', 'Infringing instruction', 'Annex B (PII processors)', 'B.8.2', 35, '{"annex": "B", "role": "processor"}', true),
  ('iso27701-2019', 'B.8.2.5', 'Customer obligations', 'Annex B (PII processors)', 'B.8.2', 36, '{"annex": "B", "role": "processor"}', true),
  ('iso27701-2019', 'B.8.2.6', 'Records related to processing PII', 'Annex B (PII processors)', 'B.8.2', 37, '{"annex": "B", "role": "processor"}', true),
  ('iso27701-2019', 'B.8.3.1', 'Obligations to PII principals', 'Annex B (PII processors)', 'B.8.3', 38, '{"annex": "B", "role": "processor"}', true),
  ('iso27701-2019', 'B.8.4.1', 'Temporary files', 'Annex B (PII processors)', 'B.8.4', 39, '{"annex": "B", "role": "processor"}', true),
  ('iso27701-2019', 'B.8.4.2', 'Return, transfer or disposal of PII', 'Annex B (PII processors)', 'B.8.4', 40, '{"annex": "B", "role": "processor"}', true),
  ('iso27701-2019', 'B.8.4.3', 'PII transmission controls', 'Annex B (PII processors)', 'B.8.4', 41, '{"annex": "B", "role": "processor"}', true),
  ('iso27701-2019', 'B.8.5.1', 'Basis for PII transfer between jurisdictions', 'Annex B (PII processors)', 'B.8.5', 42, '{"annex": "B", "role": "processor"}', true),
  ('iso27701-2019', 'B.8.5.2', 'Countries and international organizations to which PII can be transferred', 'Annex B (PII processors)', 'B.8.5', 43, '{"annex": "B", "role": "processor"}', true),
  ('iso27701-2019', 'B.8.5.3', 'Records of PII disclosure to third parties', 'Annex B (PII processors)', 'B.8.5', 44, '{"annex": "B", "role": "processor"}', true),
  ('iso27701-2019', 'B.8.5.4', 'Notification of PII disclosure requests', 'Annex B (PII processors)', 'B.8.5', 45, '{"annex": "B", "role": "processor"}', true),
  ('iso27701-2019', 'B.8.5.5', 'Legally binding PII disclosures', 'Annex B (PII processors)', 'B.8.5', 46, '{"annex": "B", "role": "processor"}', true),
  ('iso27701-2019', 'B.8.5.6', 'Disclosure of subcontractors used to process PII', 'Annex B (PII processors)', 'B.8.5', 47, '{"annex": "B", "role": "processor"}', true),
  ('iso27701-2019', 'B.8.5.7', 'Engagement of a subcontractor to process PII', 'Annex B (PII processors)', 'B.8.5', 48, '{"annex": "B", "role": "processor"}', true),
  ('iso27701-2019', 'B.8.5.8', 'Change of subcontractor to process PII', 'Annex B (PII processors)', 'B.8.5', 49, '{"annex": "B", "role": "processor"}', true);
-- Records of processing activities (what a PII controller keeps: GDPR
-- Article 30(1), ISO/IEC 27701 A.7.2.8): per scope, the purpose, the lawful
-- basis from a fixed vocabulary, the categories of data subjects and of
-- personal data, recipients, transfers out of the origin jurisdiction,
-- retention (required), owner, reviews, and the security measures as links
-- to controls of any framework.  A trigger keeps the next review on the
-- calendar through isms.reminder_sync / reminder_cancel.

CREATE TYPE isms.lawful_basis AS ENUM (
  'consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests');
COMMENT ON TYPE isms.lawful_basis IS
  'Lawful basis of processing, GDPR Article 6(1) (a) to (f): consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests';

CREATE FUNCTION isms.is_text_list(list text[]) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT pg_catalog.cardinality(list) OPERATOR(pg_catalog.=) 0
      OR (pg_catalog.array_ndims(list) OPERATOR(pg_catalog.=) 1
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(list) AS v
                           WHERE v IS NULL OR pg_catalog.btrim(v) OPERATOR(pg_catalog.=) ''))
$$;
COMMENT ON FUNCTION isms.is_text_list(text[]) IS
  'true when a text array is a plain list: one dimension, no NULL and no blank element (used by CHECK constraints)';

CREATE TABLE isms.processing_activity (
  id                       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scope                    text NOT NULL REFERENCES isms.scope (id),
  name                     text NOT NULL
                           CONSTRAINT processing_activity_name_not_blank CHECK (btrim(name) <> ''),
  purpose                  text NOT NULL
                           CONSTRAINT processing_activity_purpose_not_blank CHECK (btrim(purpose) <> ''),
  lawful_basis             isms.lawful_basis NOT NULL,
  lawful_basis_detail      text CONSTRAINT processing_activity_lawful_basis_detail_not_blank
                           CHECK (btrim(lawful_basis_detail) <> ''),
  data_subject_categories  text[] NOT NULL
                           CONSTRAINT processing_activity_data_subjects_listed
                           CHECK (cardinality(data_subject_categories) > 0 AND isms.is_text_list(data_subject_categories)),
  personal_data_categories text[] NOT NULL
                           CONSTRAINT processing_activity_personal_data_listed
                           CHECK (cardinality(personal_data_categories) > 0 AND isms.is_text_list(personal_data_categories)),
  recipients               text[] NOT NULL DEFAULT '{}'
                           CONSTRAINT processing_activity_recipients_list CHECK (isms.is_text_list(recipients)),
  transfer_destinations    text[] NOT NULL DEFAULT '{}'
                           CONSTRAINT processing_activity_transfer_destinations_list
                           CHECK (isms.is_text_list(transfer_destinations)),
  transfer_safeguards      text CONSTRAINT processing_activity_transfer_safeguards_not_blank
                           CHECK (btrim(transfer_safeguards) <> ''),
  retention                text NOT NULL
                           CONSTRAINT processing_activity_retention_not_blank CHECK (btrim(retention) <> ''),
  owner                    text NOT NULL
                           CONSTRAINT processing_activity_owner_not_blank CHECK (btrim(owner) <> ''),
  last_reviewed            date CONSTRAINT processing_activity_last_reviewed_finite CHECK (isfinite(last_reviewed)),
  next_review              date CONSTRAINT processing_activity_next_review_finite CHECK (isfinite(next_review)),
  created_at               timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT processing_activity_name_unique UNIQUE (scope, name),
  -- GDPR Article 30(1)(e): a transfer is documented with its safeguards.
  CONSTRAINT processing_activity_transfer_safeguards_required
    CHECK (cardinality(transfer_destinations) = 0 OR transfer_safeguards IS NOT NULL),
  CONSTRAINT processing_activity_review_order CHECK (next_review >= last_reviewed)
);
COMMENT ON TABLE isms.processing_activity IS
  'Records of processing activities (GDPR Art. 30(1), ISO/IEC 27701 A.7.2.8) per scope; the next review is kept on the calendar (reminder kind processing_review)';
COMMENT ON COLUMN isms.processing_activity.id IS 'Activity id';
COMMENT ON COLUMN isms.processing_activity.scope IS 'ISMS scope the activity belongs to (isms.scope.id)';
COMMENT ON COLUMN isms.processing_activity.name IS 'Name of the processing activity, unique in its scope (e.g. Payroll)';
COMMENT ON COLUMN isms.processing_activity.purpose IS 'Purpose(s) of the processing';
COMMENT ON COLUMN isms.processing_activity.lawful_basis IS
  'Lawful basis (isms.lawful_basis): consent, contract, legal_obligation, vital_interests, public_task or legitimate_interests';
COMMENT ON COLUMN isms.processing_activity.lawful_basis_detail IS
  'What the basis rests on: the legal obligation, the legitimate interest pursued, the consent record, ...';
COMMENT ON COLUMN isms.processing_activity.data_subject_categories IS
  'Categories of data subjects (PII principals), e.g. {employees,applicants}; at least one';
COMMENT ON COLUMN isms.processing_activity.personal_data_categories IS
  'Categories of personal data, e.g. {contact details,bank account}; at least one';
COMMENT ON COLUMN isms.processing_activity.recipients IS 'Categories of recipients the data is disclosed to (may be empty)';
COMMENT ON COLUMN isms.processing_activity.transfer_destinations IS
  'Countries or international organisations outside the origin jurisdiction the data is transferred to; empty when none';
COMMENT ON COLUMN isms.processing_activity.transfer_safeguards IS
  'Safeguards of those transfers (adequacy decision, standard contractual clauses, ...); required when there are transfers';
COMMENT ON COLUMN isms.processing_activity.retention IS
  'Retention: how long the data is kept or the rule that decides it (required, e.g. "10 years after the end of employment")';
COMMENT ON COLUMN isms.processing_activity.owner IS 'Person or role responsible for the activity and its reviews';
COMMENT ON COLUMN isms.processing_activity.last_reviewed IS 'When the record was last reviewed';
COMMENT ON COLUMN isms.processing_activity.next_review IS
  'When the record is next due for review (not before last_reviewed); on the calendar while set';
COMMENT ON COLUMN isms.processing_activity.created_at IS 'When the record was created';
COMMENT ON SEQUENCE isms.processing_activity_id_seq IS 'Identity of isms.processing_activity.id';

SELECT pg_catalog.pg_extension_config_dump('isms.processing_activity', '');
SELECT pg_catalog.pg_extension_config_dump('isms.processing_activity_id_seq', '');

CREATE TABLE isms.processing_activity_control (
  activity    bigint NOT NULL REFERENCES isms.processing_activity (id) ON DELETE CASCADE,
  framework   text NOT NULL,
  control_ref text NOT NULL,
  note        text CONSTRAINT processing_activity_control_note_not_blank CHECK (btrim(note) <> ''),
  PRIMARY KEY (activity, framework, control_ref),
  FOREIGN KEY (framework, control_ref) REFERENCES isms.control (framework, ref)
);
CREATE INDEX processing_activity_control_control ON isms.processing_activity_control (framework, control_ref);
COMMENT ON TABLE isms.processing_activity_control IS
  'Security measures of a processing activity (GDPR Art. 30(1)(g)) as links to controls of any framework (e.g. iso27001-2022 8.24)';
COMMENT ON COLUMN isms.processing_activity_control.activity IS 'Processing activity (isms.processing_activity.id)';
COMMENT ON COLUMN isms.processing_activity_control.framework IS 'Framework of the control (isms.control.framework)';
COMMENT ON COLUMN isms.processing_activity_control.control_ref IS 'Reference of the control (isms.control.ref)';
COMMENT ON COLUMN isms.processing_activity_control.note IS 'How the control protects this activity';

SELECT pg_catalog.pg_extension_config_dump('isms.processing_activity_control', '');

CREATE TRIGGER processing_activity_log_insert AFTER INSERT ON isms.processing_activity
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER processing_activity_log_update AFTER UPDATE ON isms.processing_activity
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER processing_activity_log_delete AFTER DELETE ON isms.processing_activity
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER processing_activity_control_log_insert AFTER INSERT ON isms.processing_activity_control
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER processing_activity_control_log_update AFTER UPDATE ON isms.processing_activity_control
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER processing_activity_control_log_delete AFTER DELETE ON isms.processing_activity_control
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();

-- The review reminder: one per activity (kind processing_review), due on
-- next_review; no next review, or a deleted activity, cancels it.  The
-- reminder functions are the owner's (SECURITY DEFINER, like the other
-- subject triggers).
CREATE FUNCTION isms.processing_activity_schedule() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  a isms.processing_activity := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
  IF TG_OP = 'DELETE' OR a.next_review IS NULL THEN
    PERFORM isms.reminder_cancel('processing_review', 'isms.processing_activity'::regclass, a.id::text);
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE'
     AND (NEW.scope, NEW.name, NEW.purpose, NEW.lawful_basis, NEW.owner, NEW.last_reviewed, NEW.next_review)
         IS NOT DISTINCT FROM (OLD.scope, OLD.name, OLD.purpose, OLD.lawful_basis, OLD.owner, OLD.last_reviewed, OLD.next_review) THEN
    RETURN NULL;
  END IF;
  PERFORM isms.reminder_sync('processing_review', 'isms.processing_activity'::regclass, a.id::text,
    a.scope, a.owner,
    format('Review record of processing: %s', a.name),
    concat_ws(E'\n',
      'Purpose: ' || a.purpose,
      'Lawful basis: ' || replace(a.lawful_basis::text, '_', ' '),
      'Last reviewed: ' || coalesce(to_char(a.last_reviewed, 'YYYY-MM-DD'), 'never')),
    a.next_review, NULL, '{14 days}'::interval[]);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.processing_activity_schedule() IS
  'Trigger on isms.processing_activity: keeps the processing_review reminder on next_review, cancels it when there is no next review or the activity is deleted';
REVOKE ALL ON FUNCTION isms.processing_activity_schedule() FROM PUBLIC;

CREATE TRIGGER processing_activity_schedule AFTER INSERT OR UPDATE OR DELETE ON isms.processing_activity
  FOR EACH ROW EXECUTE FUNCTION isms.processing_activity_schedule();

-- Record a review: last_reviewed = on, next_review = on + every.
CREATE FUNCTION isms.processing_activity_reviewed(activity bigint, reviewed_on date DEFAULT CURRENT_DATE,
    next_in interval DEFAULT '1 year')
  RETURNS isms.processing_activity
  LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  result isms.processing_activity;
BEGIN
  IF NOT isfinite(reviewed_on) THEN
    RAISE EXCEPTION 'review date must be finite, not %', reviewed_on USING ERRCODE = 'datetime_field_overflow';
  END IF;
  IF reviewed_on OPERATOR(pg_catalog.>) CURRENT_DATE THEN
    RAISE EXCEPTION 'review date % is in the future', reviewed_on
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Record a review once it has taken place.';
  END IF;
  IF next_in OPERATOR(pg_catalog.<) interval '1 day' OR next_in OPERATOR(pg_catalog.>) interval '5 years' THEN
    RAISE EXCEPTION 'next review interval is out of range'
      USING ERRCODE = 'interval_field_overflow', DETAIL = 'The next review must be 1 day to 5 years after the review.';
  END IF;
  UPDATE isms.processing_activity p
     SET last_reviewed = reviewed_on, next_review = (reviewed_on OPERATOR(pg_catalog.+) next_in)::date
   WHERE p.id OPERATOR(pg_catalog.=) processing_activity_reviewed.activity
  RETURNING p.* INTO result;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'processing activity % does not exist', activity
      USING ERRCODE = 'no_data_found', HINT = 'Activities are rows of isms.processing_activity.';
  END IF;
  RETURN result;
END
$$;
COMMENT ON FUNCTION isms.processing_activity_reviewed(bigint, date, interval) IS
  'Records a review of a processing activity: last_reviewed = reviewed_on, next_review = reviewed_on + next_in (1 day to 5 years); the reminder moves with it';
-- Privacy dashboards: the record of processing activities as one flat row
-- per activity, and isms.privacy_summary per scope (activities by lawful
-- basis, reviews, transfers, and the ISO/IEC 27701 SoA per annex).  "Privacy
-- controls" are those with a controller/processor role attribute, in any
-- framework, so a later edition of ISO/IEC 27701 shows up without change.

CREATE VIEW isms.record_of_processing AS
SELECT a.id,
       a.scope,
       s.name AS scope_name,
       p.role AS privacy_role,
       p.contact,
       a.name,
       a.purpose,
       a.lawful_basis,
       a.lawful_basis_detail,
       a.data_subject_categories,
       a.personal_data_categories,
       a.recipients,
       a.transfer_destinations,
       a.transfer_safeguards,
       a.retention,
       coalesce(m.measures, '{}') AS security_measures,
       coalesce(m.measures_count, 0) AS measures_count,
       coalesce(m.measures_implemented, 0) AS measures_implemented,
       a.owner,
       a.last_reviewed,
       a.next_review,
       coalesce(a.next_review < CURRENT_DATE, false) AS review_overdue,
       (a.last_reviewed IS NULL OR a.last_reviewed < CURRENT_DATE - 365) AS not_reviewed_last_year
  FROM isms.processing_activity a
  JOIN isms.scope s ON s.id = a.scope
  LEFT JOIN isms.privacy_scope p ON p.scope = a.scope
  LEFT JOIN LATERAL (
         SELECT array_agg(l.framework || ' ' || l.control_ref || ' ' || c.title
                          ORDER BY l.framework, c.position, l.control_ref) AS measures,
                count(*) AS measures_count,
                count(*) FILTER (WHERE e.applicable AND e.status = 'implemented') AS measures_implemented
           FROM isms.processing_activity_control l
           JOIN isms.control c ON c.framework = l.framework AND c.ref = l.control_ref
           LEFT JOIN isms.soa_entry e ON e.scope = a.scope AND e.framework = l.framework
                                     AND e.control_ref = l.control_ref
          WHERE l.activity = a.id
       ) AS m ON true;
COMMENT ON VIEW isms.record_of_processing IS
  'The record of processing activities (GDPR Art. 30(1)): one flat row per activity with its scope''s privacy role and contact, its security measures and review state';
COMMENT ON COLUMN isms.record_of_processing.id IS 'Activity id (isms.processing_activity.id)';
COMMENT ON COLUMN isms.record_of_processing.scope IS 'ISMS scope';
COMMENT ON COLUMN isms.record_of_processing.scope_name IS 'Display name of the scope (the controller)';
COMMENT ON COLUMN isms.record_of_processing.privacy_role IS 'Privacy role of the scope (isms.privacy_scope.role); NULL when not declared';
COMMENT ON COLUMN isms.record_of_processing.contact IS 'Privacy contact of the scope (isms.privacy_scope.contact)';
COMMENT ON COLUMN isms.record_of_processing.name IS 'Name of the processing activity';
COMMENT ON COLUMN isms.record_of_processing.purpose IS 'Purpose(s) of the processing';
COMMENT ON COLUMN isms.record_of_processing.lawful_basis IS 'Lawful basis (GDPR Art. 6(1))';
COMMENT ON COLUMN isms.record_of_processing.lawful_basis_detail IS 'What the lawful basis rests on';
COMMENT ON COLUMN isms.record_of_processing.data_subject_categories IS 'Categories of data subjects';
COMMENT ON COLUMN isms.record_of_processing.personal_data_categories IS 'Categories of personal data';
COMMENT ON COLUMN isms.record_of_processing.recipients IS 'Categories of recipients';
COMMENT ON COLUMN isms.record_of_processing.transfer_destinations IS 'Destinations outside the origin jurisdiction; empty when none';
COMMENT ON COLUMN isms.record_of_processing.transfer_safeguards IS 'Safeguards of the transfers';
COMMENT ON COLUMN isms.record_of_processing.retention IS 'Retention period or rule';
COMMENT ON COLUMN isms.record_of_processing.security_measures IS
  'Linked controls as "framework ref title", in framework order (isms.processing_activity_control)';
COMMENT ON COLUMN isms.record_of_processing.measures_count IS 'Number of linked controls';
COMMENT ON COLUMN isms.record_of_processing.measures_implemented IS
  'Linked controls that the scope''s SoA marks applicable and implemented';
COMMENT ON COLUMN isms.record_of_processing.owner IS 'Person or role responsible';
COMMENT ON COLUMN isms.record_of_processing.last_reviewed IS 'Date of the last review';
COMMENT ON COLUMN isms.record_of_processing.next_review IS 'Date the next review is due';
COMMENT ON COLUMN isms.record_of_processing.review_overdue IS 'true when next_review is before today';
COMMENT ON COLUMN isms.record_of_processing.not_reviewed_last_year IS
  'true when the record was never reviewed or not in the last 365 days';

CREATE VIEW isms.privacy_summary AS
WITH act AS (
  SELECT a.scope,
         count(*) AS activities,
         count(*) FILTER (WHERE a.lawful_basis = 'consent') AS basis_consent,
         count(*) FILTER (WHERE a.lawful_basis = 'contract') AS basis_contract,
         count(*) FILTER (WHERE a.lawful_basis = 'legal_obligation') AS basis_legal_obligation,
         count(*) FILTER (WHERE a.lawful_basis = 'vital_interests') AS basis_vital_interests,
         count(*) FILTER (WHERE a.lawful_basis = 'public_task') AS basis_public_task,
         count(*) FILTER (WHERE a.lawful_basis = 'legitimate_interests') AS basis_legitimate_interests,
         count(*) FILTER (WHERE a.last_reviewed IS NULL OR a.last_reviewed < CURRENT_DATE - 365) AS not_reviewed_last_year,
         count(*) FILTER (WHERE a.next_review < CURRENT_DATE) AS review_overdue,
         count(*) FILTER (WHERE a.next_review IS NULL) AS no_review_scheduled,
         count(*) FILTER (WHERE cardinality(a.transfer_destinations) > 0) AS with_transfers,
         count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM isms.processing_activity_control l
                                             WHERE l.activity = a.id)) AS without_security_measures
    FROM isms.processing_activity a
   GROUP BY a.scope
), dest AS (
  SELECT a.scope, array_agg(DISTINCT d ORDER BY d) AS transfer_destinations
    FROM isms.processing_activity a
   CROSS JOIN LATERAL unnest(a.transfer_destinations) AS d
   GROUP BY a.scope
), annex AS (
  SELECT e.scope, e.framework,
         coalesce(c.attributes ->> 'annex', c.theme) AS annex,
         isms.control_privacy_roles(c.attributes) AS roles,
         min(c.position) AS first_position,
         count(*) AS controls,
         count(*) FILTER (WHERE e.applicable IS NULL) AS undecided,
         count(*) FILTER (WHERE e.applicable) AS applicable,
         count(*) FILTER (WHERE NOT e.applicable) AS not_applicable,
         count(*) FILTER (WHERE e.applicable AND e.status = 'implemented') AS implemented,
         round(100.0 * count(*) FILTER (WHERE e.applicable AND e.status = 'implemented')
               / nullif(count(*) FILTER (WHERE e.applicable), 0), 1) AS percent_implemented
    FROM isms.soa_entry e
    JOIN isms.control c ON c.framework = e.framework AND c.ref = e.control_ref
   WHERE cardinality(isms.control_privacy_roles(c.attributes)) > 0
   GROUP BY e.scope, e.framework, 3, 4
), soa AS (
  SELECT scope,
         jsonb_agg(jsonb_build_object(
           'framework', framework, 'annex', annex, 'roles', to_jsonb(roles), 'controls', controls,
           'undecided', undecided, 'applicable', applicable, 'not_applicable', not_applicable,
           'implemented', implemented, 'percent_implemented', percent_implemented)
           ORDER BY framework, first_position) AS soa_by_annex
    FROM annex
   GROUP BY scope
)
SELECT s.id AS scope,
       p.role AS privacy_role,
       coalesce(act.activities, 0) AS activities,
       coalesce(act.basis_consent, 0) AS basis_consent,
       coalesce(act.basis_contract, 0) AS basis_contract,
       coalesce(act.basis_legal_obligation, 0) AS basis_legal_obligation,
       coalesce(act.basis_vital_interests, 0) AS basis_vital_interests,
       coalesce(act.basis_public_task, 0) AS basis_public_task,
       coalesce(act.basis_legitimate_interests, 0) AS basis_legitimate_interests,
       coalesce(act.not_reviewed_last_year, 0) AS not_reviewed_last_year,
       coalesce(act.review_overdue, 0) AS review_overdue,
       coalesce(act.no_review_scheduled, 0) AS no_review_scheduled,
       coalesce(act.with_transfers, 0) AS with_transfers,
       coalesce(dest.transfer_destinations, '{}') AS transfer_destinations,
       coalesce(act.without_security_measures, 0) AS without_security_measures,
       coalesce(soa.soa_by_annex, '[]') AS soa_by_annex
  FROM isms.scope s
  LEFT JOIN isms.privacy_scope p ON p.scope = s.id
  LEFT JOIN act ON act.scope = s.id
  LEFT JOIN dest ON dest.scope = s.id
  LEFT JOIN soa ON soa.scope = s.id
 WHERE p.scope IS NOT NULL OR act.scope IS NOT NULL OR soa.scope IS NOT NULL;
COMMENT ON VIEW isms.privacy_summary IS
  'Privacy per scope (scopes with a privacy role, processing activities or privacy controls in their SoA): activities by lawful basis, reviews, transfers, and the privacy SoA per annex';
COMMENT ON COLUMN isms.privacy_summary.scope IS 'ISMS scope';
COMMENT ON COLUMN isms.privacy_summary.privacy_role IS 'controller, processor or both (isms.privacy_scope.role); NULL when not declared';
COMMENT ON COLUMN isms.privacy_summary.activities IS 'Processing activities recorded for the scope';
COMMENT ON COLUMN isms.privacy_summary.basis_consent IS 'Activities whose lawful basis is consent';
COMMENT ON COLUMN isms.privacy_summary.basis_contract IS 'Activities whose lawful basis is contract';
COMMENT ON COLUMN isms.privacy_summary.basis_legal_obligation IS 'Activities whose lawful basis is legal_obligation';
COMMENT ON COLUMN isms.privacy_summary.basis_vital_interests IS 'Activities whose lawful basis is vital_interests';
COMMENT ON COLUMN isms.privacy_summary.basis_public_task IS 'Activities whose lawful basis is public_task';
COMMENT ON COLUMN isms.privacy_summary.basis_legitimate_interests IS 'Activities whose lawful basis is legitimate_interests';
COMMENT ON COLUMN isms.privacy_summary.not_reviewed_last_year IS
  'Activities never reviewed or not reviewed in the last 365 days';
COMMENT ON COLUMN isms.privacy_summary.review_overdue IS 'Activities whose next review is before today';
COMMENT ON COLUMN isms.privacy_summary.no_review_scheduled IS 'Activities without a next review date';
COMMENT ON COLUMN isms.privacy_summary.with_transfers IS 'Activities transferring data outside the origin jurisdiction';
COMMENT ON COLUMN isms.privacy_summary.transfer_destinations IS 'All transfer destinations of the scope, distinct and sorted';
COMMENT ON COLUMN isms.privacy_summary.without_security_measures IS 'Activities with no linked control';
COMMENT ON COLUMN isms.privacy_summary.soa_by_annex IS
  'Privacy SoA per framework and annex: JSON array of {framework, annex, roles, controls, undecided, applicable, not_applicable, implemented, percent_implemented} in framework order (flat per annex: isms.compliance_summary, whose theme is the annex)';
-- isms.risk_heatmap_svg(): the heat map as a standalone SVG picture that a
-- dashboard or a report embeds as it is.  Drawn from isms.risk_heatmap, so
-- the picture and the view never disagree; every cell carries its
-- likelihood, impact and count as data-* attributes for machine checks.

CREATE FUNCTION isms.xml_escape(t text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
    SELECT replace(replace(replace(replace(replace(t, '&', '&amp;'), '<', '&lt;'),
                                   '>', '&gt;'), '"', '&quot;'), '''', '&apos;')
  $$;
COMMENT ON FUNCTION isms.xml_escape(text) IS
  'Escapes text for XML character data and attribute values (& < > " and ''), as isms.risk_heatmap_svg() uses it';

CREATE FUNCTION isms.risk_heatmap_svg(scope text DEFAULT NULL, matrix text DEFAULT 'default',
                                      which text DEFAULT 'residual')
  RETURNS text
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  cell   constant integer := 64;           -- cell edge, px
  left_m constant integer := 96;           -- room for the likelihood axis
  top_m  constant integer := 56;           -- room for the title
  n      integer;
  m_name text;
  legend_x integer;
  width  integer;
  height integer;
  svg    text;
  r      record;
  y      integer;
  total  integer := 0;
BEGIN
  IF which IS NULL OR which NOT IN ('inherent', 'residual') THEN
    RAISE EXCEPTION 'invalid value for "which": %', coalesce(quote_literal(which), 'NULL')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use ''inherent'' or ''residual''.';
  END IF;
  IF risk_heatmap_svg.matrix IS NULL THEN
    RAISE EXCEPTION 'matrix must not be NULL'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Give a matrix id such as ''default''.';
  END IF;
  SELECT m.size, m.name INTO n, m_name FROM isms.risk_matrix m WHERE m.id OPERATOR(pg_catalog.=) risk_heatmap_svg.matrix;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'risk matrix "%" does not exist', risk_heatmap_svg.matrix
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Matrices are rows of isms.risk_matrix.';
  END IF;
  IF risk_heatmap_svg.scope IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM isms.scope s WHERE s.id OPERATOR(pg_catalog.=) risk_heatmap_svg.scope) THEN
    RAISE EXCEPTION 'scope "%" does not exist', risk_heatmap_svg.scope
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Scopes are rows of isms.scope; NULL draws all scopes together.';
  END IF;

  legend_x := left_m + n * cell + 32;
  width := legend_x + 200;
  height := greatest(top_m + n * cell + 64, top_m + 40 + 24 * (SELECT count(*)::integer FROM isms.risk_level l
                                                                WHERE l.matrix OPERATOR(pg_catalog.=) risk_heatmap_svg.matrix));
  svg := format('<?xml version="1.0" encoding="UTF-8"?>' || E'\n'
             || '<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" '
             || 'font-family="Helvetica, Arial, sans-serif" role="img" aria-labelledby="title">' || E'\n'
             || '<title id="title">%s</title>' || E'\n'
             || '<rect width="100%%" height="100%%" fill="#ffffff"/>' || E'\n'
             || '<text x="%s" y="28" font-size="17" font-weight="bold">%s</text>' || E'\n',
             width, height, width, height,
             isms.xml_escape(initcap(which) || ' risk heat map, '
                             || coalesce('scope ' || risk_heatmap_svg.scope, 'all scopes')
                             || ', matrix ' || m_name),
             left_m,
             isms.xml_escape(initcap(which) || ' risk: ' || coalesce(risk_heatmap_svg.scope, 'all scopes')
                             || ' (' || m_name || ')'));

  -- Cells: likelihood grows upwards, impact to the right.
  FOR r IN
    SELECT h.likelihood, h.impact, max(h.level) AS level, max(h.colour) AS colour,
           sum(CASE WHEN which = 'inherent' THEN h.inherent_count ELSE h.residual_count END)::integer AS cnt
      FROM isms.risk_heatmap h
     WHERE h.matrix OPERATOR(pg_catalog.=) risk_heatmap_svg.matrix
       AND (risk_heatmap_svg.scope IS NULL OR h.scope OPERATOR(pg_catalog.=) risk_heatmap_svg.scope)
     GROUP BY h.likelihood, h.impact
     ORDER BY h.likelihood DESC, h.impact
  LOOP
    y := top_m + (n - r.likelihood) * cell;
    total := total + r.cnt;
    svg := svg || format(
      '<g class="cell" data-likelihood="%s" data-impact="%s" data-level="%s" data-count="%s">'
      || '<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#ffffff" stroke-width="2"/>'
      || '%s</g>' || E'\n',
      r.likelihood, r.impact, isms.xml_escape(coalesce(r.level, '')), r.cnt,
      left_m + (r.impact - 1) * cell, y, cell, cell, coalesce(r.colour, '#e0e0e0'),
      CASE WHEN r.cnt > 0 THEN format(
        '<text x="%s" y="%s" font-size="20" font-weight="bold" text-anchor="middle" fill="%s">%s</text>',
        left_m + (r.impact - 1) * cell + cell / 2, y + cell / 2 + 7,
        -- dark text on light cells, white on dark ones (ITU-R BT.601 luma)
        CASE WHEN r.colour IS NULL
               OR (0.299 * ('x' || substr(r.colour, 2, 2))::bit(8)::integer
                 + 0.587 * ('x' || substr(r.colour, 4, 2))::bit(8)::integer
                 + 0.114 * ('x' || substr(r.colour, 6, 2))::bit(8)::integer) > 150
             THEN '#1a1a1a' ELSE '#ffffff' END,
        r.cnt) ELSE '' END);
  END LOOP;

  -- Axes: numbers and labels.
  FOR i IN 1 .. n LOOP
    svg := svg || format('<text x="%s" y="%s" font-size="12" text-anchor="end" fill="#333333">%s</text>'
                         || '<text x="%s" y="%s" font-size="12" text-anchor="middle" fill="#333333">%s</text>' || E'\n',
                         left_m - 8, top_m + (n - i) * cell + cell / 2 + 4, i,
                         left_m + (i - 1) * cell + cell / 2, top_m + n * cell + 18, i);
  END LOOP;
  svg := svg || format('<text x="%s" y="%s" font-size="14" text-anchor="middle">Impact</text>' || E'\n'
                       || '<text x="%s" y="%s" font-size="14" text-anchor="middle" transform="rotate(-90 %s %s)">Likelihood</text>' || E'\n',
                       left_m + n * cell / 2, top_m + n * cell + 42,
                       left_m - 40, top_m + n * cell / 2, left_m - 40, top_m + n * cell / 2);

  -- Legend: levels from the worst down, with their counts.
  svg := svg || format('<text x="%s" y="%s" font-size="14" font-weight="bold">Levels</text>' || E'\n', legend_x, top_m + 12);
  y := top_m + 28;
  FOR r IN
    SELECT l.name, l.colour, l.rank,
           coalesce((SELECT sum(CASE WHEN which = 'inherent' THEN h.inherent_count ELSE h.residual_count END)::integer
                       FROM isms.risk_heatmap h
                      WHERE h.matrix OPERATOR(pg_catalog.=) l.matrix AND h.level OPERATOR(pg_catalog.=) l.name
                        AND (risk_heatmap_svg.scope IS NULL OR h.scope OPERATOR(pg_catalog.=) risk_heatmap_svg.scope)), 0) AS cnt
      FROM isms.risk_level l
     WHERE l.matrix OPERATOR(pg_catalog.=) risk_heatmap_svg.matrix
     ORDER BY l.rank DESC
  LOOP
    svg := svg || format('<g class="legend" data-level="%s" data-count="%s"><rect x="%s" y="%s" width="16" height="16" fill="%s"/>'
                         || '<text x="%s" y="%s" font-size="13">%s (%s)</text></g>' || E'\n',
                         isms.xml_escape(r.name), r.cnt, legend_x, y, r.colour,
                         legend_x + 24, y + 13, isms.xml_escape(r.name), r.cnt);
    y := y + 24;
  END LOOP;
  svg := svg || format('<text x="%s" y="%s" font-size="12" fill="#555555">%s open risks</text>' || E'\n', legend_x, y + 14, total);
  RETURN svg || '</svg>' || E'\n';
END
$$;
COMMENT ON FUNCTION isms.risk_heatmap_svg(text, text, text) IS
  'Standalone SVG picture of a risk matrix: cells coloured by level with the number of open risks of the scope (NULL: all scopes) whose inherent or residual (which) score falls in each, axis labels and a legend; drawn from isms.risk_heatmap';
-- Least privilege: three levels (reader, editor, admin) granted to roles by
-- isms.grant_reader/_editor/_admin and taken back by the revokes.  Which
-- privilege each object gives at each level is computed from the catalog by
-- a rule (isms.access_map), so objects added later are covered without
-- edits; isms.access_rule holds the few exceptions the rule cannot see.
-- See docs/operations.md and docs/reference/security.md.

CREATE TABLE isms.access_rule (
  object_type text NOT NULL CONSTRAINT access_rule_object_type CHECK (object_type IN ('table', 'function')),
  object_name text NOT NULL CONSTRAINT access_rule_object_name CHECK (object_name ~ '^isms\.[a-z_][a-z0-9_]*$'),
  class       text NOT NULL,
  reason      text NOT NULL,
  PRIMARY KEY (object_type, object_name),
  CONSTRAINT access_rule_class CHECK (
    (object_type = 'table' AND class IN ('user', 'config', 'derived'))
    OR (object_type = 'function' AND class IN ('read', 'write', 'admin', 'internal', 'owner')))
);
COMMENT ON TABLE isms.access_rule IS
  'Exceptions to the access rule of isms.access_map: tables and functions whose class the catalog alone does not tell (shipped with the extension, read-only)';
COMMENT ON COLUMN isms.access_rule.object_type IS 'table (also for sequences of that table) or function (every overload of the name)';
COMMENT ON COLUMN isms.access_rule.object_name IS 'Schema-qualified name without arguments, e.g. isms.reminder';
COMMENT ON COLUMN isms.access_rule.class IS
  'Tables: user (editors write), config (admins write), derived (nobody writes directly). Functions: read, write, admin, internal (nobody calls directly), owner (extension owner only)';
COMMENT ON COLUMN isms.access_rule.reason IS 'Why the object is an exception';

INSERT INTO isms.access_rule (object_type, object_name, class, reason) VALUES
  ('table', 'isms.change_log', 'derived', 'written only by the trigger isms.log_change(); append-only history'),
  ('table', 'isms.reminder', 'derived', 'written only by the subject tables'' triggers through isms.reminder_sync and friends'),
  ('table', 'isms.role_access', 'derived', 'written only by isms.grant_* and isms.revoke_*'),
  ('table', 'isms.scope_member', 'config', 'who may see which scope is configuration: admins only'),
  ('function', 'isms.reminder_sync', 'internal', 'called by SECURITY DEFINER subject triggers only'),
  ('function', 'isms.reminder_cancel', 'internal', 'called by SECURITY DEFINER subject triggers only'),
  ('function', 'isms.reminder_done', 'internal', 'called by SECURITY DEFINER subject triggers only'),
  ('function', 'isms.new_uid', 'internal', 'default of isms.reminder.uid, which only the reminder functions insert'),
  ('function', 'isms.risk_matrix_fill', 'admin', 'writes the cells of a risk matrix (configuration)'),
  ('function', 'isms.risk_matrix_copy', 'admin', 'creates a risk matrix (configuration)'),
  ('function', 'isms.grant_reader', 'owner', 'grants privileges: needs ownership of the objects'),
  ('function', 'isms.grant_editor', 'owner', 'grants privileges: needs ownership of the objects'),
  ('function', 'isms.grant_admin', 'owner', 'grants privileges: needs ownership of the objects'),
  ('function', 'isms.revoke_reader', 'owner', 'revokes privileges: needs ownership of the objects'),
  ('function', 'isms.revoke_editor', 'owner', 'revokes privileges: needs ownership of the objects'),
  ('function', 'isms.revoke_admin', 'owner', 'revokes privileges: needs ownership of the objects'),
  ('function', 'isms.reapply_security', 'owner', 'changes privileges, views and policies: needs ownership'),
  ('function', 'isms.enable_scope_security', 'owner', 'ALTER TABLE ... ENABLE ROW LEVEL SECURITY needs ownership'),
  ('function', 'isms.disable_scope_security', 'owner', 'ALTER TABLE ... DISABLE ROW LEVEL SECURITY needs ownership');

-- The class of every table, view, sequence and function of the schema, and
-- the privileges each level gets on it (cumulative: an editor also has what
-- a reader has).  The rule, in order:
--   views: read;  tables: the access_rule row, else "config" when the table
--   is dumped with a filter (it holds seeded rows: pg_extension_config_dump
--   with a WHERE), "user" when dumped whole, "derived" when not dumped at all
--   (shipped, read-only data);  sequences: the class of the table whose
--   column owns or uses them;  functions: the access_rule row, else
--   "internal" for trigger functions and SECURITY DEFINER functions, "write"
--   for VOLATILE ones and "read" for the rest.
CREATE VIEW isms.access_map AS
WITH ext AS (
  SELECT e.extconfig, e.extcondition FROM pg_catalog.pg_extension e WHERE e.extname = 'pg_isms'
), dumped AS (
  SELECT u.rel, u.cond FROM ext, LATERAL ROWS FROM (pg_catalog.unnest(ext.extconfig), pg_catalog.unnest(ext.extcondition)) AS u(rel, cond)
), rel AS (
  SELECT c.oid, c.relkind,
         pg_catalog.format('%I.%I', n.nspname, c.relname) AS name
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'isms' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
), tclass AS (
  SELECT r.oid, r.name, r.relkind,
         CASE WHEN r.relkind IN ('v', 'm') THEN 'view'
              ELSE coalesce(
                (SELECT a.class FROM isms.access_rule a
                  WHERE a.object_type = 'table' AND a.object_name = r.name),
                (SELECT CASE WHEN d.cond = '' THEN 'user' ELSE 'config' END
                   FROM dumped d WHERE d.rel = r.oid),
                'derived') END AS class
    FROM rel r WHERE r.relkind <> 'S'
), sclass AS (
  -- A sequence takes the most privileged writer class of the tables using it:
  -- OWNED BY / identity (pg_depend from the sequence) or a column DEFAULT
  -- calling nextval (pg_depend from the default expression).
  SELECT s.oid, s.name,
         coalesce((SELECT CASE WHEN pg_catalog.bool_or(t.class = 'user') THEN 'user'
                               WHEN pg_catalog.bool_or(t.class = 'config') THEN 'config'
                               ELSE 'derived' END
                     FROM pg_catalog.pg_depend d
                     LEFT JOIN pg_catalog.pg_attrdef ad
                            ON d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND ad.oid = d.objid
                     JOIN tclass t ON t.oid = CASE WHEN d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                                                   THEN d.refobjid ELSE ad.adrelid END
                    WHERE (d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = s.oid
                           AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype IN ('a', 'i'))
                       OR (d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass
                           AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = s.oid)),
                  'derived') AS class
    FROM rel s WHERE s.relkind = 'S'
), fclass AS (
  SELECT p.oid,
         pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes)) AS name,
         coalesce((SELECT a.class FROM isms.access_rule a
                    WHERE a.object_type = 'function'
                      AND a.object_name = pg_catalog.format('%I.%I', n.nspname, p.proname)),
                  CASE WHEN p.prorettype IN ('pg_catalog.trigger'::pg_catalog.regtype, 'pg_catalog.event_trigger'::pg_catalog.regtype)
                         OR p.prosecdef THEN 'internal'
                       WHEN p.provolatile = 'v' THEN 'write'
                       ELSE 'read' END) AS class
    FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname = 'isms'
)
SELECT 'table'::text AS object_type, t.name AS object_name, t.class,
       'SELECT'::text AS reader,
       CASE WHEN t.class = 'user' THEN 'SELECT, INSERT, UPDATE, DELETE' ELSE 'SELECT' END AS editor,
       CASE WHEN t.class IN ('user', 'config') THEN 'SELECT, INSERT, UPDATE, DELETE' ELSE 'SELECT' END AS admin
  FROM tclass t WHERE t.class <> 'view'
UNION ALL
SELECT 'view', t.name, t.class, 'SELECT', 'SELECT', 'SELECT' FROM tclass t WHERE t.class = 'view'
UNION ALL
SELECT 'sequence', s.name, s.class, NULL,
       CASE WHEN s.class = 'user' THEN 'USAGE, SELECT' END,
       CASE WHEN s.class IN ('user', 'config') THEN 'USAGE, SELECT' END
  FROM sclass s
UNION ALL
SELECT 'function', f.name, f.class,
       CASE WHEN f.class = 'read' THEN 'EXECUTE' END,
       CASE WHEN f.class IN ('read', 'write') THEN 'EXECUTE' END,
       CASE WHEN f.class IN ('read', 'write', 'admin') THEN 'EXECUTE' END
  FROM fclass f;
COMMENT ON VIEW isms.access_map IS
  'Every table, view, sequence and function of isms with its access class and the privileges isms.grant_reader, isms.grant_editor and isms.grant_admin give on it (NULL: none)';
COMMENT ON COLUMN isms.access_map.object_type IS 'table, view, sequence or function';
COMMENT ON COLUMN isms.access_map.object_name IS 'Schema-qualified name (functions with their argument types)';
COMMENT ON COLUMN isms.access_map.class IS
  'Access class: user, config, derived (tables and sequences), view, or read, write, admin, internal, owner (functions)';
COMMENT ON COLUMN isms.access_map.reader IS 'Privileges a reader gets on the object (NULL: none)';
COMMENT ON COLUMN isms.access_map.editor IS 'Privileges an editor gets on the object (NULL: none)';
COMMENT ON COLUMN isms.access_map.admin IS 'Privileges an admin gets on the object (NULL: none)';

CREATE TABLE isms.role_access (
  role_name  name PRIMARY KEY,
  level      text NOT NULL CONSTRAINT role_access_level CHECK (level IN ('reader', 'editor', 'admin')),
  granted_at timestamptz NOT NULL DEFAULT now(),
  granted_by name NOT NULL DEFAULT current_user
);
COMMENT ON TABLE isms.role_access IS
  'Roles given access by isms.grant_reader, isms.grant_editor or isms.grant_admin, with their level; isms.reapply_security grants again from it after an upgrade';
COMMENT ON COLUMN isms.role_access.role_name IS 'The role (name at the time of the grant)';
COMMENT ON COLUMN isms.role_access.level IS 'reader, editor or admin (each includes the ones before)';
COMMENT ON COLUMN isms.role_access.granted_at IS 'When the level was last set';
COMMENT ON COLUMN isms.role_access.granted_by IS 'Role that set it';
SELECT pg_catalog.pg_extension_config_dump('isms.role_access', '');

-- Take every privilege of the role on isms away, then give it those of
-- "level" (NULL: none).  Owner-only: GRANT needs ownership of the objects.
CREATE FUNCTION isms.set_access_level(target regrole, level text) RETURNS text
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  r record;
  rolname name;
  privs text;
BEGIN
  IF target IS NULL THEN
    RAISE EXCEPTION 'role must not be NULL' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  SELECT a.rolname INTO rolname FROM pg_catalog.pg_roles a WHERE a.oid OPERATOR(pg_catalog.=) target::oid;
  IF rolname IS NULL THEN
    RAISE EXCEPTION 'role with OID % does not exist', target::oid USING ERRCODE = 'undefined_object';
  END IF;
  IF rolname OPERATOR(pg_catalog.~) '^pg_' THEN
    RAISE EXCEPTION 'access levels are not given to the predefined role "%"', rolname
      USING ERRCODE = 'reserved_name', HINT = 'Grant the level to a role of your own.';
  END IF;
  EXECUTE pg_catalog.format('REVOKE ALL ON ALL TABLES IN SCHEMA isms FROM %I', rolname);
  EXECUTE pg_catalog.format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA isms FROM %I', rolname);
  EXECUTE pg_catalog.format('REVOKE ALL ON ALL ROUTINES IN SCHEMA isms FROM %I', rolname);
  EXECUTE pg_catalog.format('REVOKE ALL ON SCHEMA isms FROM %I', rolname);
  IF level IS NULL THEN
    DELETE FROM isms.role_access a WHERE a.role_name OPERATOR(pg_catalog.=) rolname;
    RETURN NULL;
  END IF;
  EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA isms TO %I', rolname);
  FOR r IN SELECT m.object_type, m.object_name, m.reader, m.editor, m.admin
             FROM isms.access_map m ORDER BY m.object_type, m.object_name
  LOOP
    privs := CASE level WHEN 'reader' THEN r.reader WHEN 'editor' THEN r.editor ELSE r.admin END;
    CONTINUE WHEN privs IS NULL;
    EXECUTE pg_catalog.format('GRANT %s ON %s %s TO %I', privs,
      CASE r.object_type WHEN 'function' THEN 'ROUTINE' WHEN 'sequence' THEN 'SEQUENCE' ELSE 'TABLE' END,
      r.object_name, rolname);
  END LOOP;
  INSERT INTO isms.role_access AS a (role_name, level) VALUES (rolname, level)
  ON CONFLICT (role_name) DO UPDATE
    SET level = excluded.level, granted_at = pg_catalog.now(), granted_by = CURRENT_USER
    WHERE a.level OPERATOR(pg_catalog.<>) excluded.level;
  RETURN level;
END
$$;
COMMENT ON FUNCTION isms.set_access_level(regrole, text) IS
  'Internal: revoke every privilege of a role on isms, then grant those of the level (reader, editor, admin, or NULL for none) from isms.access_map';
INSERT INTO isms.access_rule (object_type, object_name, class, reason) VALUES
  ('function', 'isms.set_access_level', 'owner', 'grants and revokes privileges: needs ownership of the objects');

-- The level a role has now (NULL: none).
CREATE FUNCTION isms.access_level(target regrole) RETURNS text
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT a.level FROM isms.role_access a JOIN pg_catalog.pg_roles r ON r.rolname OPERATOR(pg_catalog.=) a.role_name
   WHERE r.oid OPERATOR(pg_catalog.=) target::oid
$$;
COMMENT ON FUNCTION isms.access_level(regrole) IS
  'The access level (reader, editor, admin) given to a role by isms.grant_*; NULL when it has none';

CREATE FUNCTION isms.grant_reader(role regrole) RETURNS text
  LANGUAGE sql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT isms.set_access_level(role,
    CASE WHEN isms.access_level(role) IN ('editor', 'admin') THEN isms.access_level(role) ELSE 'reader' END)
$$;
COMMENT ON FUNCTION isms.grant_reader(regrole) IS
  'Let a role read isms: USAGE on the schema, SELECT on every table and view, EXECUTE on read functions; a role already editor or admin keeps its level; returns the level';

CREATE FUNCTION isms.grant_editor(role regrole) RETURNS text
  LANGUAGE sql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT isms.set_access_level(role,
    CASE WHEN isms.access_level(role) = 'admin' THEN 'admin' ELSE 'editor' END)
$$;
COMMENT ON FUNCTION isms.grant_editor(regrole) IS
  'Reader, plus INSERT, UPDATE, DELETE on user-data tables (SoA, register, audits, ...) and EXECUTE on writing functions; never on the change log or reminders; an admin stays admin; returns the level';

CREATE FUNCTION isms.grant_admin(role regrole) RETURNS text
  LANGUAGE sql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT isms.set_access_level(role, 'admin')
$$;
COMMENT ON FUNCTION isms.grant_admin(regrole) IS
  'Editor, plus writing configuration: scopes, scope membership, risk matrices, frameworks and controls; returns the level';

CREATE FUNCTION isms.revoke_reader(role regrole) RETURNS text
  LANGUAGE sql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT isms.set_access_level(role, NULL)
$$;
COMMENT ON FUNCTION isms.revoke_reader(regrole) IS
  'Take every privilege on isms from a role (whatever its level); returns NULL';

CREATE FUNCTION isms.revoke_editor(role regrole) RETURNS text
  LANGUAGE sql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT isms.set_access_level(role, CASE WHEN isms.access_level(role) IS NULL THEN NULL ELSE 'reader' END)
$$;
COMMENT ON FUNCTION isms.revoke_editor(regrole) IS
  'Take writing away from an editor or admin, who stays a reader (a role without access keeps none); returns the level left';

CREATE FUNCTION isms.revoke_admin(role regrole) RETURNS text
  LANGUAGE sql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT isms.set_access_level(role, CASE WHEN isms.access_level(role) = 'admin' THEN 'editor' ELSE isms.access_level(role) END)
$$;
COMMENT ON FUNCTION isms.revoke_admin(regrole) IS
  'Take configuration rights away from an admin, who stays an editor (other roles keep their level); returns the level left';
-- Row-level security per scope.  isms.scope_member says which roles (or
-- group roles, through membership) belong to which scope; once
-- isms.enable_scope_security() has run, every table with a scope column, the
-- tables that hang off them by foreign key, and the change log show and
-- accept only rows of the caller's scopes.  Views run with the caller's
-- rights (security_invoker, PostgreSQL 15+; see isms.reapply_security), so
-- they do not bypass the policies.

CREATE TABLE isms.scope_member (
  scope     text NOT NULL REFERENCES isms.scope (id) ON DELETE CASCADE,
  role_name name NOT NULL CONSTRAINT scope_member_role_not_blank CHECK (role_name <> ''),
  PRIMARY KEY (scope, role_name)
);
COMMENT ON TABLE isms.scope_member IS
  'Which roles belong to which scope; with isms.enable_scope_security() a role sees and changes only rows of scopes it (or a role it is a member of) belongs to';
COMMENT ON COLUMN isms.scope_member.scope IS 'Scope id (isms.scope.id)';
COMMENT ON COLUMN isms.scope_member.role_name IS
  'Role name; members of this role (directly or through other roles) belong to the scope too, so a group role per scope works';
SELECT pg_catalog.pg_extension_config_dump('isms.scope_member', '');

-- Whether scope security is on.  pg_dump does not carry policies or the
-- row-level-security flag of extension tables, so this row (dumped as data)
-- switches it back on when a restore loads it: see the trigger below.
CREATE TABLE isms.scope_security_state (
  singleton  boolean PRIMARY KEY DEFAULT true CONSTRAINT scope_security_state_one_row CHECK (singleton),
  enabled    boolean NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  changed_by name NOT NULL DEFAULT current_user
);
COMMENT ON TABLE isms.scope_security_state IS
  'One row once isms.enable_scope_security() or isms.disable_scope_security() has run: whether scope security is on; restoring the row from a dump switches it on again';
COMMENT ON COLUMN isms.scope_security_state.singleton IS 'Always true: the table holds at most one row';
COMMENT ON COLUMN isms.scope_security_state.enabled IS 'true while scope security is on';
COMMENT ON COLUMN isms.scope_security_state.changed_at IS 'When it was last switched';
COMMENT ON COLUMN isms.scope_security_state.changed_by IS 'Role that switched it';
SELECT pg_catalog.pg_extension_config_dump('isms.scope_security_state', '');
INSERT INTO isms.access_rule (object_type, object_name, class, reason) VALUES
  ('table', 'isms.scope_security_state', 'derived', 'written only by isms.enable_scope_security and isms.disable_scope_security'),
  ('function', 'isms.scope_security_restore', 'internal', 'trigger of isms.scope_security_state');

-- The scopes the current role belongs to.  SECURITY INVOKER on purpose:
-- current_user must be the caller, not an owner.
CREATE FUNCTION isms.my_scopes() RETURNS text[]
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT coalesce(pg_catalog.array_agg(DISTINCT m.scope ORDER BY m.scope), '{}')
    FROM isms.scope_member m
    JOIN pg_catalog.pg_roles r ON r.rolname OPERATOR(pg_catalog.=) m.role_name
   WHERE pg_catalog.pg_has_role(r.oid, 'MEMBER')
$$;
COMMENT ON FUNCTION isms.my_scopes() IS
  'Scopes the current role belongs to through isms.scope_member (directly or by role membership); what the scope policies let it see';

-- Tables protected by isms.enable_scope_security(), and how: by their own
-- scope column, through a foreign key to a protected table (repeated until
-- nothing changes), or the change log by the scope inside the logged rows.
CREATE VIEW isms.scope_security AS
WITH RECURSIVE tabs AS (
  SELECT c.oid, pg_catalog.format('%I.%I', n.nspname, c.relname) AS name
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'isms' AND c.relkind IN ('r', 'p')
     AND c.relname NOT IN ('scope', 'scope_member')
), direct AS (
  -- A text column named scope, or any column with a one-column foreign key
  -- to isms.scope.
  (SELECT DISTINCT ON (t.oid) t.oid, t.name, 'scope column'::text AS how, a.attname AS scope_column,
         NULL::oid AS fk
    FROM tabs t
    JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
   WHERE (a.attname = 'scope' AND a.atttypid = 'pg_catalog.text'::pg_catalog.regtype)
      OR EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                  WHERE k.conrelid = t.oid AND k.contype = 'f' AND k.conkey = ARRAY[a.attnum]
                    AND k.confrelid = 'isms.scope'::pg_catalog.regclass)
   ORDER BY t.oid, a.attname <> 'scope', a.attnum)
  UNION ALL
  SELECT t.oid, t.name, 'scope in logged row', NULL::name, NULL::oid
    FROM tabs t WHERE t.name = 'isms.change_log'
), chain AS (
  SELECT d.oid, d.name, d.how COLLATE "default", d.scope_column, d.fk, 0 AS depth FROM direct d
  UNION ALL
  SELECT t.oid, t.name, ('foreign key to ' || p.name)::text COLLATE "default", NULL::name, k.oid, p.depth + 1
    FROM chain p
    JOIN pg_catalog.pg_constraint k ON k.contype = 'f' AND k.confrelid = p.oid
    JOIN tabs t ON t.oid = k.conrelid
   WHERE p.depth < 8 AND t.oid <> p.oid
     AND NOT EXISTS (SELECT 1 FROM direct d WHERE d.oid = t.oid)
)
SELECT DISTINCT ON (c.oid)
       c.name AS table_name, c.how, c.scope_column,
       c.fk AS via_constraint,
       EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'isms_scope') AS enabled,
       x.relrowsecurity AS row_security
  FROM chain c JOIN pg_catalog.pg_class x ON x.oid = c.oid
 ORDER BY c.oid, c.depth, c.fk;
COMMENT ON VIEW isms.scope_security IS
  'Tables isms.enable_scope_security() protects, how each is tied to a scope, and whether its policy is in place';
COMMENT ON COLUMN isms.scope_security.table_name IS 'The protected table';
COMMENT ON COLUMN isms.scope_security.how IS
  'scope column (its own), foreign key to T (rows visible when the referenced row of T is), or scope in logged row (isms.change_log)';
COMMENT ON COLUMN isms.scope_security.scope_column IS 'The column holding the scope id (for how = scope column)';
COMMENT ON COLUMN isms.scope_security.via_constraint IS 'OID of the foreign key used (NULL for the other kinds)';
COMMENT ON COLUMN isms.scope_security.enabled IS 'true when the policy isms_scope exists on the table';
COMMENT ON COLUMN isms.scope_security.row_security IS 'true when row-level security is enabled on the table';

CREATE FUNCTION isms.enable_scope_security() RETURNS integer
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  r record;
  cond text;
  mine constant text := '((SELECT isms.my_scopes())::text[])';
  n integer := 0;
BEGIN
  FOR r IN SELECT s.table_name, s.how, s.scope_column, s.via_constraint, s.enabled FROM isms.scope_security s ORDER BY 1 LOOP
    IF r.how = 'scope column' THEN
      cond := pg_catalog.format('%I IS NULL OR %I OPERATOR(pg_catalog.=) ANY %s', r.scope_column, r.scope_column, mine);
    ELSIF r.how = 'scope in logged row' THEN
      -- An entry is visible when the logged row would be: by its scope
      -- column, or through the row its foreign key references (so an entry
      -- whose referenced row is gone stays hidden); entries of tables
      -- outside scope security stay visible.
      SELECT 'CASE table_name ' || coalesce(pg_catalog.string_agg(x.arm, ' ' ORDER BY x.table_name), '')
             || ' ELSE true END'
        INTO cond
        FROM (
          SELECT s.table_name,
                 pg_catalog.format('WHEN %L THEN %s', s.table_name,
                   CASE WHEN s.how = 'scope column' THEN
                     pg_catalog.format('coalesce(coalesce(new_row, old_row) OPERATOR(pg_catalog.->>) %L OPERATOR(pg_catalog.=) ANY %s, true)',
                                       s.scope_column, mine)
                   ELSE
                     (SELECT pg_catalog.format('EXISTS (SELECT 1 FROM %s p WHERE %s)', k.confrelid::pg_catalog.regclass,
                               pg_catalog.string_agg(pg_catalog.format(
                                 'p.%I::text OPERATOR(pg_catalog.=) (coalesce(new_row, old_row) OPERATOR(pg_catalog.->>) %L)',
                                 pa.attname, ca.attname), ' AND ' ORDER BY u.i))
                        FROM pg_catalog.pg_constraint k
                        CROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest(k.conkey), pg_catalog.unnest(k.confkey)) WITH ORDINALITY AS u(ck, pk, i)
                        JOIN pg_catalog.pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = u.ck
                        JOIN pg_catalog.pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = u.pk
                       WHERE k.oid = s.via_constraint
                       GROUP BY k.confrelid)
                   END) AS arm
            FROM isms.scope_security s
           WHERE s.how <> 'scope in logged row'
        ) x;
    ELSE
      -- EXISTS over the referenced table: its own policy decides.
      SELECT pg_catalog.format('EXISTS (SELECT 1 FROM %s p WHERE %s)', k.confrelid::pg_catalog.regclass,
               pg_catalog.string_agg(pg_catalog.format('p.%I OPERATOR(pg_catalog.=) %I.%I', pa.attname,
                                      c.relname, ca.attname), ' AND ' ORDER BY u.i))
        INTO cond
        FROM pg_catalog.pg_constraint k
        JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
        CROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest(k.conkey), pg_catalog.unnest(k.confkey)) WITH ORDINALITY AS u(ck, pk, i)
        JOIN pg_catalog.pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = u.ck
        JOIN pg_catalog.pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = u.pk
       WHERE k.oid = r.via_constraint
       GROUP BY k.confrelid;
      -- A NULL foreign key references nothing: such rows stay visible.
      cond := pg_catalog.format('(%s) OR %s', cond,
        (SELECT pg_catalog.string_agg(pg_catalog.format('%I IS NULL', a.attname), ' OR ')
           FROM pg_catalog.pg_constraint k
           JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
          WHERE k.oid = r.via_constraint));
    END IF;
    IF r.enabled THEN
      EXECUTE pg_catalog.format('DROP POLICY isms_scope ON %s', r.table_name);
    END IF;
    EXECUTE pg_catalog.format('CREATE POLICY isms_scope ON %s USING (%s) WITH CHECK (%s)',
                              r.table_name, cond, cond);
    EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', r.table_name);
    n := n + 1;
  END LOOP;
  INSERT INTO isms.scope_security_state AS s (enabled) VALUES (true)
  ON CONFLICT (singleton) DO UPDATE SET enabled = true, changed_at = pg_catalog.now(), changed_by = CURRENT_USER
    WHERE NOT s.enabled;
  RETURN n;
END
$$;
COMMENT ON FUNCTION isms.enable_scope_security() IS
  'Turn on row-level security per scope on every table listed by isms.scope_security (policy isms_scope); returns the number of tables; run again after an upgrade adds tables (isms.reapply_security does)';

CREATE FUNCTION isms.disable_scope_security() RETURNS integer
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  r record;
  n integer := 0;
BEGIN
  FOR r IN SELECT p.polrelid::pg_catalog.regclass AS t
             FROM pg_catalog.pg_policy p
             JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
            WHERE c.relnamespace = 'isms'::pg_catalog.regnamespace AND p.polname = 'isms_scope'
            ORDER BY 1
  LOOP
    EXECUTE pg_catalog.format('DROP POLICY isms_scope ON %s', r.t);
    -- Policies of the DBA's own keep row-level security on.
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE p.polrelid = r.t) THEN
      EXECUTE pg_catalog.format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY', r.t);
    END IF;
    n := n + 1;
  END LOOP;
  UPDATE isms.scope_security_state s SET enabled = false, changed_at = pg_catalog.now(), changed_by = CURRENT_USER
   WHERE s.enabled;
  RETURN n;
END
$$;
COMMENT ON FUNCTION isms.disable_scope_security() IS
  'Drop the scope policies made by isms.enable_scope_security() and turn row-level security off where no other policy remains; returns the number of tables';

-- A restore loads the state row after CREATE EXTENSION made the tables
-- without policies: switch scope security back on then.
CREATE FUNCTION isms.scope_security_restore() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
BEGIN
  IF NEW.enabled AND EXISTS (SELECT 1 FROM isms.scope_security s WHERE NOT s.enabled) THEN
    PERFORM isms.enable_scope_security();
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION isms.scope_security_restore() IS
  'Trigger of isms.scope_security_state: a restored row saying enabled switches scope security on (pg_dump does not carry policies of extension tables)';
CREATE TRIGGER scope_security_restore AFTER INSERT ON isms.scope_security_state
  FOR EACH ROW EXECUTE FUNCTION isms.scope_security_restore();
-- Runs last in the extension script, and at the end of every upgrade script
-- (docs/operations.md, "Upgrades"): applies the privilege model to every
-- object that exists by then, so objects of any capability are covered
-- without edits here.

CREATE FUNCTION isms.reapply_security() RETURNS void
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  r record;
BEGIN
  -- PUBLIC: no schema access, nothing writable, nothing that writes runs.
  REVOKE ALL ON SCHEMA isms FROM PUBLIC;
  REVOKE ALL ON ALL TABLES IN SCHEMA isms FROM PUBLIC;
  REVOKE ALL ON ALL SEQUENCES IN SCHEMA isms FROM PUBLIC;
  FOR r IN SELECT m.object_name FROM isms.access_map m
            WHERE m.object_type = 'function' AND m.class <> 'read' ORDER BY 1
  LOOP
    EXECUTE pg_catalog.format('REVOKE EXECUTE ON ROUTINE %s FROM PUBLIC', r.object_name);
  END LOOP;
  -- Views run with the caller's rights, so scope policies apply through
  -- them (PostgreSQL 15+; before that views bypass row-level security:
  -- docs/operations.md).
  IF pg_catalog.current_setting('server_version_num')::int >= 150000 THEN
    FOR r IN SELECT c.oid::pg_catalog.regclass AS v FROM pg_catalog.pg_class c
              WHERE c.relnamespace = 'isms'::pg_catalog.regnamespace AND c.relkind = 'v'
                AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)
              ORDER BY 1
    LOOP
      EXECUTE pg_catalog.format('ALTER VIEW %s SET (security_invoker = true)', r.v);
    END LOOP;
  END IF;
  -- Roles keep their level over objects added since the grant.
  FOR r IN SELECT a.role_name, a.level, x.oid FROM isms.role_access a
             JOIN pg_catalog.pg_roles x ON x.rolname = a.role_name ORDER BY 1
  LOOP
    PERFORM isms.set_access_level(r.oid::pg_catalog.regrole, r.level);
  END LOOP;
  -- Scope security, when on, covers tables added since.
  IF EXISTS (SELECT 1 FROM isms.scope_security_state s WHERE s.enabled) THEN
    PERFORM isms.enable_scope_security();
  END IF;
END
$$;
COMMENT ON FUNCTION isms.reapply_security() IS
  'Apply the privilege model to every object of isms: revoke from PUBLIC, views with the caller''s rights (PG15+), grant again the levels in isms.role_access, extend scope security to new tables; run at the end of CREATE EXTENSION and of every upgrade';

SELECT isms.reapply_security();
