
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

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.risk_matrix_cell_check', 'internal', NULL),
  ('isms.risk_matrix_size_check', 'internal', NULL),
  ('isms.risk_level', 'read', NULL),
  ('isms.within_appetite', 'read', NULL),
  ('isms.risk_matrix_fill', 'admin', 'writes the cells of a risk matrix (configuration)'),
  ('isms.risk_matrix_copy', 'admin', 'creates a risk matrix (configuration)'),
  ('isms.risk_matrix_builtin_guard', 'internal', NULL);
