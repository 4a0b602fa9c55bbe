-- 11_risk_matrix: matrix, level and cell tables, the seeded default matrix,
-- isms.risk_level(), isms.within_appetite(), isms.risk_matrix_fill() and
-- isms.risk_matrix_copy(), with their constraints and error codes.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pg_isms;
SELECT plan(75);
SET LOCAL search_path = public, isms;

-- Tables and keys.
SELECT has_table('isms', 'risk_matrix', 'isms.risk_matrix exists');
SELECT has_table('isms', 'risk_level', 'isms.risk_level exists');
SELECT has_table('isms', 'risk_matrix_cell', 'isms.risk_matrix_cell exists');
SELECT col_is_pk('isms', 'risk_matrix', ARRAY['id'], 'risk_matrix keyed by id');
SELECT col_is_pk('isms', 'risk_level', ARRAY['matrix', 'name'], 'risk_level keyed by (matrix, name)');
SELECT col_is_pk('isms', 'risk_matrix_cell', ARRAY['matrix', 'likelihood', 'impact'],
                 'risk_matrix_cell keyed by (matrix, likelihood, impact)');
SELECT col_type_is('isms', 'risk_level', 'review_interval', 'interval', 'review_interval is an interval');
SELECT col_type_is('isms', 'risk_matrix_cell', 'score', 'isms', 'risk_score', 'cells carry their risk_score');
SELECT function_returns('isms', 'risk_level', ARRAY['risk_score', 'text'], 'risk_level',
                        'isms.risk_level(risk_score, text) returns the level row type');
SELECT volatility_is('isms', 'risk_level', ARRAY['risk_score', 'text'], 'stable', 'risk_level() is STABLE');
SELECT volatility_is('isms', 'within_appetite', ARRAY['risk_score', 'text'], 'stable', 'within_appetite() is STABLE');
SELECT is_strict('isms', 'risk_level', ARRAY['risk_score', 'text'], 'risk_level() is STRICT');

-- The seeded default 5x5 matrix.
SELECT results_eq($$SELECT size, appetite FROM isms.risk_matrix WHERE id = 'default'$$,
                  $$VALUES (5, 2)$$, 'default is 5x5 with appetite rank 2 (medium)');
SELECT results_eq($$SELECT name, rank, colour, review_interval FROM isms.risk_level
                     WHERE matrix = 'default' ORDER BY rank$$,
                  $$VALUES ('low', 1, '#2e7d32', interval '12 months'), ('medium', 2, '#f9a825', interval '6 months'),
                           ('high', 3, '#ef6c00', interval '3 months'), ('critical', 4, '#c62828', interval '1 month')$$,
                  'default has low, medium, high, critical with colours and review intervals');
SELECT is((SELECT count(*)::int FROM isms.risk_matrix_cell WHERE matrix = 'default'), 25,
          'every cell of the default matrix has a level');
SELECT results_eq($$SELECT level, min(isms.score(score)), max(isms.score(score)) FROM isms.risk_matrix_cell
                     WHERE matrix = 'default' GROUP BY level ORDER BY 2$$,
                  $$VALUES ('low', 1, 4), ('medium', 5, 9), ('high', 10, 16), ('critical', 20, 25)$$,
                  'default bands: low 1-4, medium 5-9, high 10-16, critical 20-25');

-- isms.risk_level() and isms.within_appetite() on the default matrix.
SELECT is((isms.risk_level('1x1')).name, 'low', '1x1 is low');
SELECT is((isms.risk_level('3x3')).name, 'medium', '3x3 is medium');
SELECT is((isms.risk_level('2x5')).name, 'high', '2x5 is high');
SELECT is((isms.risk_level('4x5')).name, 'critical', '4x5 is critical');
SELECT is(isms.risk_level('4x5'), ROW('default', 'critical', 4, '#c62828', interval '1 month')::isms.risk_level,
          'the whole level row: matrix, name, rank, colour, review interval');
SELECT is((isms.risk_level('4x5', 'default')).rank, 4, 'the matrix may be named');
SELECT is(isms.risk_level(NULL), NULL, 'NULL score gives NULL');
SELECT ok(isms.within_appetite('3x3'), '3x3 (medium) is within the default appetite');
SELECT ok(NOT isms.within_appetite('2x5'), '2x5 (high) is not');
SELECT is(isms.within_appetite(NULL), NULL, 'NULL score: unknown');
SELECT throws_ok($$SELECT isms.risk_level('6x1')$$, '22003',
                 'risk score 6x1 lies outside the 5x5 risk matrix "default"', 'a score outside the matrix is an error');
SELECT throws_ok($$SELECT isms.within_appetite('1x6')$$, '22003', NULL, 'also for within_appetite()');
SELECT throws_ok($$SELECT isms.risk_level('1x1', 'nope')$$, '22023',
                 'risk matrix "nope" does not exist', 'an unknown matrix is an error');
SELECT throws_ok($$SELECT isms.within_appetite('1x1', 'nope')$$, '22023', NULL, 'also for within_appetite()');

-- A second matrix, banded cell by cell, lives beside the default.
INSERT INTO isms.risk_matrix (id, name, size, appetite) VALUES ('ops', 'Operations 3x3', 3, 1);
INSERT INTO isms.risk_level (matrix, name, rank, colour, review_interval) VALUES
  ('ops', 'green', 1, '#00ff00', '1 year'), ('ops', 'red', 2, '#FF0000', '1 week');
INSERT INTO isms.risk_matrix_cell (matrix, likelihood, impact, level)
SELECT 'ops', l, i, CASE WHEN i = 3 OR l = 3 THEN 'red' ELSE 'green' END
  FROM generate_series(1, 3) l, generate_series(1, 3) i WHERE (l, i) <> (2, 2);
SELECT is((isms.risk_level('3x1', 'ops')).name, 'red', 'cell by cell: 3x1 is red in ops');
SELECT is((isms.risk_level('3x1')).name, 'low', '... and still low in default');
SELECT ok(isms.within_appetite('1x2', 'ops') AND NOT isms.within_appetite('1x3', 'ops'),
          'appetite of ops is green only');
SELECT throws_ok($$SELECT isms.risk_level('2x2', 'ops')$$, 'P0002',
                 'cell 2x2 of risk matrix "ops" has no level', 'an unmapped cell is an error, not NULL');
SELECT throws_ok($$SELECT isms.risk_level('4x1', 'ops')$$, '22003', NULL, '4x1 is outside ops');

-- Constraints of the tables.
SELECT throws_ok($$INSERT INTO isms.risk_matrix_cell (matrix, likelihood, impact, level) VALUES ('ops', 4, 1, 'red')$$,
                 '23514', 'cell 4x1 lies outside the 3x3 risk matrix "ops"', 'a cell outside the matrix is refused');
SELECT throws_ok($$UPDATE isms.risk_matrix SET size = 2 WHERE id = 'ops'$$, '23514',
                 'risk matrix "ops" has cells outside 2x2', 'shrinking below a cell is refused');
SELECT throws_ok($$INSERT INTO isms.risk_matrix_cell (matrix, likelihood, impact, level) VALUES ('ops', 2, 2, 'amber')$$,
                 '23503', NULL, 'a cell needs a level of its own matrix');
SELECT throws_ok($$INSERT INTO isms.risk_matrix_cell (matrix, likelihood, impact, level) VALUES ('ops', 2, 2, 'low')$$,
                 '23503', NULL, 'a level of another matrix is not one of ops');
SELECT throws_ok($$INSERT INTO isms.risk_level VALUES ('ops', 'amber', 3, 'orange', '1 month')$$,
                 '23514', NULL, 'colour must be #rrggbb');
SELECT throws_ok($$INSERT INTO isms.risk_level VALUES ('ops', 'amber', 2, '#ffa500', '1 month')$$,
                 '23505', NULL, 'ranks are unique in a matrix');
SELECT throws_ok($$INSERT INTO isms.risk_level VALUES ('ops', 'amber', 3, '#ffa500', '0 days')$$,
                 '23514', NULL, 'review interval must be positive');
SELECT throws_ok($$INSERT INTO isms.risk_level VALUES ('ops', ' amber', 3, '#ffa500', '1 day')$$,
                 '23514', NULL, 'level names have no surrounding spaces');
SELECT throws_ok($$INSERT INTO isms.risk_level VALUES ('nope', 'amber', 3, '#ffa500', '1 day')$$,
                 '23503', NULL, 'a level needs its matrix');
SELECT throws_ok($$DELETE FROM isms.risk_level WHERE matrix = 'ops' AND name = 'red'$$,
                 '23503', NULL, 'a level in use cannot be deleted');
SELECT throws_ok($$INSERT INTO isms.risk_matrix (id, name, size, appetite) VALUES ('big', 'Big', 256, 1)$$,
                 '23514', NULL, 'size at most 255');
SELECT throws_ok($$INSERT INTO isms.risk_matrix (id, name, size, appetite) VALUES ('Bad Id', 'x', 3, 1)$$,
                 '23514', NULL, 'matrix ids are lower case');
SELECT throws_ok($$INSERT INTO isms.risk_matrix (id, name, size, appetite) VALUES ('z', 'x', 3, 0)$$,
                 '23514', NULL, 'appetite is a rank, at least 1');
SELECT is((SELECT count(*)::int FROM isms.risk_matrix_cell WHERE matrix = 'ops'), 8,
          'nothing was written by the refused statements');

-- Banding by thresholds.
INSERT INTO isms.risk_matrix (id, name, size, appetite) VALUES ('ten', 'Ten by ten', 10, 2);
INSERT INTO isms.risk_level (matrix, name, rank, colour, review_interval) VALUES
  ('ten', 'low', 1, '#00aa00', '1 year'), ('ten', 'medium', 2, '#aaaa00', '6 months'),
  ('ten', 'high', 3, '#aa0000', '1 month');
SELECT is(isms.risk_matrix_fill('ten', '{"low": 1, "medium": 20, "high": 50}'), 100,
          'fill writes every cell of a 10x10 matrix');
SELECT results_eq($$SELECT (isms.risk_level(s, 'ten')).name FROM unnest('{4x4,4x5,5x10,10x10}'::isms.risk_score[]) s$$,
                  ARRAY['low', 'medium', 'high', 'high'], 'cells get the level of the highest threshold not above the product');
SELECT throws_ok($$SELECT isms.risk_matrix_fill('ten', '[1, 2]')$$, '22023', NULL, 'thresholds must be an object');
SELECT throws_ok($$SELECT isms.risk_matrix_fill('ten', '{"low": 1, "medium": "x"}')$$, '22023', NULL,
                 'thresholds must be numbers');
SELECT throws_ok($$SELECT isms.risk_matrix_fill('ten', '{"low": 1, "medium": 2.5}')$$, '22023', NULL,
                 'thresholds must be whole numbers');
SELECT throws_ok($$SELECT isms.risk_matrix_fill('ten', '{"low": 1, "severe": 30}')$$, '23503',
                 'risk matrix "ten" has no level severe', 'threshold levels must exist');
SELECT throws_ok($$SELECT isms.risk_matrix_fill('ten', '{"low": 2, "high": 30}')$$, '22023',
                 'the lowest threshold must be 1, so that every cell gets a level', 'every cell must be covered');
SELECT throws_ok($$SELECT isms.risk_matrix_fill('ten', '{"low": 1, "medium": 40, "high": 30}')$$, '22023',
                 'thresholds must rise with the level rank', 'thresholds follow the ranks');
SELECT throws_ok($$SELECT isms.risk_matrix_fill('nope', '{"low": 1}')$$, '22023', NULL, 'unknown matrix');
SELECT is((SELECT count(*)::int FROM isms.risk_matrix_cell WHERE matrix = 'ten' AND level = 'high'), 21,
          'a refused fill leaves the cells as they were');

-- The built-in matrix is read-only; a copy is not.
SELECT throws_ok($$UPDATE isms.risk_matrix SET appetite = 3 WHERE id = 'default'$$, '42501',
                 'the built-in risk matrix "default" cannot be changed', 'default matrix is read-only');
SELECT throws_ok($$UPDATE isms.risk_level SET colour = '#000000' WHERE matrix = 'default'$$, '42501', NULL,
                 'its levels are read-only');
SELECT throws_ok($$DELETE FROM isms.risk_matrix_cell WHERE matrix = 'default'$$, '42501', NULL,
                 'its cells are read-only');
SELECT throws_ok($$SELECT isms.risk_matrix_fill('default', '{"low": 1}')$$, '42501', NULL,
                 'it cannot be re-banded');
SELECT lives_ok($$SELECT isms.risk_matrix_copy('default', 'mine', 'My matrix')$$, 'copy the default matrix');
SELECT lives_ok($$SELECT isms.risk_matrix_copy('default', 'mine-2')$$, 'copy without a name (the third argument defaults)');
SELECT is((SELECT name || ' / ' || (SELECT count(*) FROM isms.risk_matrix_cell WHERE matrix = 'mine-2')
             FROM isms.risk_matrix WHERE id = 'mine-2'),
          'Default 5x5 matrix (copy) / 25', 'the two-argument copy has the default name and every cell');
SELECT throws_ok($$SELECT isms.risk_matrix_copy(NULL, 'mine-3')$$, '22004', NULL,
                 'a NULL source is refused, not silently ignored');
UPDATE isms.risk_matrix SET appetite = 3 WHERE id = 'mine';
SELECT ok(isms.within_appetite('2x5', 'mine') AND NOT isms.within_appetite('2x5'),
          'the copy has its own appetite');
SELECT is((SELECT count(*)::int FROM isms.risk_matrix_cell WHERE matrix = 'mine'), 25, 'the copy has all cells');

-- risk_level() reads a matrix once per query: it still sees every change.
CREATE FUNCTION pg_temp.rebanded() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  seen text := '';
BEGIN
  FOR k IN 1..3 LOOP
    seen := seen || (isms.risk_level('1x1', 'mine')).name || ' ' || isms.within_appetite('1x1', 'mine') || ' ';
    UPDATE isms.risk_matrix_cell SET level = CASE k WHEN 1 THEN 'critical' ELSE 'medium' END
     WHERE matrix = 'mine' AND likelihood = 1 AND impact = 1;
  END LOOP;
  RETURN seen;
END
$$;
SELECT is(pg_temp.rebanded(), 'low true critical false medium true ',
          'a change in the same transaction is seen by the next call at the same call site');
SELECT is((SELECT string_agg((isms.risk_level(s, m)).name, ' ' ORDER BY n)
             FROM (VALUES (1, '5x5'::isms.risk_score, 'default'), (2, '5x5', 'ten'), (3, '5x5', 'default'),
                          (4, '1x1', 'mine')) AS t(n, s, m)),
          'critical medium critical medium', 'rows may switch between matrices');

-- The grid view: one row per cell with level, colour and appetite.
SELECT results_eq($$SELECT level, count(*)::int, bool_and(within_appetite), min(colour)
                     FROM isms.risk_matrix_grid WHERE matrix = 'default' GROUP BY level, rank ORDER BY rank$$,
                  $$VALUES ('low', 8, true, '#2e7d32'), ('medium', 7, true, '#f9a825'),
                           ('high', 7, false, '#ef6c00'), ('critical', 3, false, '#c62828')$$,
                  'risk_matrix_grid shows every default cell with its level, appetite and colour');
SELECT is((SELECT count(*)::int FROM isms.risk_matrix_grid g
            WHERE (isms.risk_level(g.score, g.matrix)).name <> g.level
               OR isms.within_appetite(g.score, g.matrix) <> g.within_appetite), 0,
          'the grid agrees with risk_level() and within_appetite() for every cell of every matrix');

-- Deleting a user matrix removes its levels and cells; dumps keep user rows only.
DELETE FROM isms.risk_matrix WHERE id = 'ops';
SELECT is((SELECT count(*)::int FROM isms.risk_level WHERE matrix = 'ops')
          + (SELECT count(*)::int FROM isms.risk_matrix_cell WHERE matrix = 'ops'), 0,
          'levels and cells go with their matrix');
SELECT is((SELECT array_agg(c::regclass::text || ': ' || w ORDER BY c::regclass::text)
             FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS u(c, w)
            WHERE e.extname = 'pg_isms'
              AND c IN ('isms.risk_matrix'::regclass, 'isms.risk_level'::regclass,
                        'isms.risk_matrix_cell'::regclass)),
          ARRAY['risk_level: WHERE matrix <> ''default''', 'risk_matrix: WHERE id <> ''default''',
                'risk_matrix_cell: WHERE matrix <> ''default'''],
          'user matrices, levels and cells are dumped, the built-in ones are not');

SELECT * FROM finish();
ROLLBACK;
