-- 70_heatmap_svg: the heat-map picture agrees with isms.risk_heatmap, is
-- well-formed (checked by xml_is_well_formed where the server has libxml;
-- test/suites/700_heatmap_svg.sh checks it with xmllint), escapes names, and
-- refuses bad arguments without side effects.
\i test/regress/setup.sql
INSERT INTO isms.scope (id, name) VALUES ('shop', 'Web shop'), ('hr', 'HR');
INSERT INTO isms.risk (scope, ref, title, owner, inherent) VALUES
  ('shop', 'R1', 'Card data theft', 'CISO', '4x5'),
  ('shop', 'R2', 'Outage', 'CTO', '4x5'),
  ('shop', 'R3', 'Defacement', 'CTO', '2x3'),
  ('hr', 'R1', 'Payroll leak', 'HR lead', '1x1');

-- Every cell is drawn, with the view's count.
WITH svg AS (SELECT isms.risk_heatmap_svg('shop', 'default', 'inherent') AS s),
cells AS (
  SELECT m[1]::int AS likelihood, m[2]::int AS impact, m[3] AS level, m[4]::int AS cnt
    FROM svg, regexp_matches(s, 'data-likelihood="(\d+)" data-impact="(\d+)" data-level="([^"]*)" data-count="(\d+)"', 'g') AS m
)
SELECT count(*) AS cells_drawn,
       count(*) FILTER (WHERE c.cnt = h.inherent_count AND c.level = h.level) AS cells_matching_view,
       sum(c.cnt) AS risks_drawn
  FROM cells c JOIN isms.risk_heatmap h
    ON h.scope = 'shop' AND h.matrix = 'default' AND h.likelihood = c.likelihood AND h.impact = c.impact;

-- Counts in cells and legend, all scopes together.
SELECT m[1] AS likelihood, m[2] AS impact, m[3] AS count
  FROM regexp_matches(isms.risk_heatmap_svg(NULL, 'default', 'inherent'),
                      'data-likelihood="(\d+)" data-impact="(\d+)" data-level="[^"]*" data-count="([1-9]\d*)"', 'g') AS m
 ORDER BY 1, 2;
SELECT m[1] AS level, m[2] AS count
  FROM regexp_matches(isms.risk_heatmap_svg(NULL, 'default', 'inherent'),
                      '<g class="legend" data-level="([^"]*)" data-count="(\d+)"', 'g') AS m;

-- Well-formed XML, also with a level name that needs escaping.
SELECT isms.risk_matrix_copy('default', 'board', 'Board <matrix> & "friends"');
UPDATE isms.risk_level SET name = 'high & "hot"' WHERE matrix = 'board' AND name = 'high';
SELECT xml_is_well_formed_document(isms.risk_heatmap_svg('shop', 'board', 'inherent')) AS well_formed,
       position('high &amp; &quot;hot&quot;' IN isms.risk_heatmap_svg('shop', 'board', 'inherent')) > 0 AS escaped;
SELECT isms.xml_escape($$<a href="x">Tom & Jerry's</a>$$);

-- The same data gives the same picture.
SELECT md5(isms.risk_heatmap_svg()) = md5(isms.risk_heatmap_svg()) AS deterministic;

-- Bad arguments: precise errors.
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$SELECT isms.risk_heatmap_svg(which => 'both')$$),
  ($$SELECT isms.risk_heatmap_svg(which => NULL)$$),
  ($$SELECT isms.risk_heatmap_svg(matrix => 'nope')$$),
  ($$SELECT isms.risk_heatmap_svg(matrix => NULL)$$),
  ($$SELECT isms.risk_heatmap_svg(scope => 'nowhere')$$)
) AS t(s);
