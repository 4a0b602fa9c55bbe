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

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.xml_escape', 'read', NULL),
  ('isms.risk_heatmap_svg', 'read', NULL);
