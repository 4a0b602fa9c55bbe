-- isms.loss_exceedance_svg(): the loss-exceedance curve of a set of risks
-- as a standalone SVG picture for dashboards and reports, beside the heat
-- map of 700.  Drawn from isms.portfolio_loss_exceedance and
-- isms.simulate_portfolio with the same trials and seed, so picture, curve
-- and figures agree; every point carries its loss and probability as data-*
-- attributes for machine checks.

-- A loss on an axis: 1, 10, 100, 1k ... 100k, 1M ... 100M, 1bn ..., 1tn ...
CREATE FUNCTION isms.loss_label(e integer) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  RETURN CASE WHEN e < 0 THEN '10^' || e::text
              WHEN e < 3 THEN (10 ^ e)::bigint::text
              WHEN e < 6 THEN (10 ^ (e - 3))::bigint::text || 'k'
              WHEN e < 9 THEN (10 ^ (e - 6))::bigint::text || 'M'
              WHEN e < 12 THEN (10 ^ (e - 9))::bigint::text || 'bn'
              WHEN e < 15 THEN (10 ^ (e - 12))::bigint::text || 'tn'
              ELSE '10^' || e::text END;
COMMENT ON FUNCTION isms.loss_label(integer) IS
  'Axis label of the loss 10^e as isms.loss_exceedance_svg() prints it: 1, 10, 100, 1k, 10k, 100k, 1M, ..., 1bn, ..., 1tn, else 10^e';

CREATE FUNCTION isms.loss_exceedance_svg(risk_ids bigint[], trials integer DEFAULT 100000,
                                         seed bigint DEFAULT 1, title text DEFAULT NULL)
  RETURNS text
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  width  constant integer := 760;
  height constant integer := 440;
  left_m constant integer := 80;
  right_m constant integer := 40;
  top_m  constant integer := 60;
  bottom_m constant integer := 64;
  pw constant integer := width - left_m - right_m;
  ph constant integer := height - top_m - bottom_m;
  sim    isms.loss_simulation;
  lo     double precision;
  hi     double precision;
  e0     integer;
  e1     integer;
  p0     double precision;
  svg    text;
  path   text := '';
  dots   text := '';
  r      record;
  losses double precision[];
  probs  double precision[];
  x      numeric;
  y      numeric;
  caption text;
BEGIN
  IF risk_ids IS NULL THEN
    RAISE EXCEPTION 'risk_ids must not be NULL'
      USING ERRCODE = 'null_value_not_allowed', HINT = 'Give an array of risk ids, e.g. array_agg(risk_id) of isms.risk_quantified.';
  END IF;
  IF trials IS NULL OR seed IS NULL THEN
    RAISE EXCEPTION 'trials and seed must not be NULL' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  -- Errors of the simulation (unknown risk, trials out of range, ...) come from here.
  sim := isms.simulate_portfolio(risk_ids, trials, seed);
  -- One more run of the same trials for the curve (same seed, same years).
  SELECT array_agg(c.loss ORDER BY c.loss), array_agg(c.probability ORDER BY c.loss)
    INTO losses, probs
    FROM isms.portfolio_loss_exceedance(risk_ids, trials, seed, 60) c;
  lo := losses[2];
  hi := losses[cardinality(losses)];
  p0 := probs[1];
  caption := coalesce(title, CASE WHEN sim.risks = 1 THEN 'Loss exceedance, risk ' || risk_ids[1]
                                  ELSE 'Loss exceedance, ' || sim.risks || ' risks' END);

  IF lo IS NULL THEN
    -- No simulated year had a loss: a flat line at 0.
    lo := 1; hi := 10;
  END IF;
  e0 := floor(log(lo))::integer;
  e1 := greatest(ceil(log(hi))::integer, e0 + 1);

  svg := format('<?xml version="1.0" encoding="UTF-8"?>' || E'\n'
             || '<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" '
             || 'font-family="Helvetica, Arial, sans-serif" role="img" aria-labelledby="title" '
             || 'data-trials="%s" data-seed="%s" data-ale="%s" data-p95="%s" data-currency="%s">' || E'\n'
             || '<title id="title">%s</title>' || E'\n'
             || '<rect width="100%%" height="100%%" fill="#ffffff"/>' || E'\n'
             || '<text x="%s" y="28" font-size="17" font-weight="bold">%s</text>' || E'\n'
             || '<text x="%s" y="46" font-size="12" fill="#555555">%s</text>' || E'\n',
             width, height, width, height,
             sim.trials, sim.seed, sim.ale, sim.p95, isms.xml_escape(sim.currency),
             isms.xml_escape(caption), left_m, isms.xml_escape(caption), left_m,
             isms.xml_escape(format('%s simulated years, seed %s; ALE %s %s, P95 %s %s, P99 %s %s',
                                    sim.trials, sim.seed, to_char(sim.ale, 'FM999,999,999,999,990'), sim.currency,
                                    to_char(sim.p95, 'FM999,999,999,999,990'), sim.currency,
                                    to_char(sim.p99, 'FM999,999,999,999,990'), sim.currency)));

  -- Grid and axes: decades of loss across, probability 0..100 % up.
  FOR i IN 0 .. 10 LOOP
    y := round(top_m + ph * (1 - i / 10.0), 1);
    svg := svg || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>'
                         || '<text x="%s" y="%s" font-size="11" text-anchor="end" fill="#333333">%s %%</text>' || E'\n',
                         left_m, y, left_m + pw, y, CASE WHEN i = 0 THEN '#333333' ELSE '#e6e6e6' END,
                         left_m - 6, y + 4, i * 10);
  END LOOP;
  FOR e IN e0 .. e1 LOOP
    x := round(left_m + pw * (e - e0)::numeric / (e1 - e0), 1);
    svg := svg || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>'
                         || '<text x="%s" y="%s" font-size="11" text-anchor="middle" fill="#333333">%s</text>' || E'\n',
                         x, top_m, x, top_m + ph, CASE WHEN e = e0 THEN '#333333' ELSE '#e6e6e6' END,
                         x, top_m + ph + 16, isms.loss_label(e));
  END LOOP;
  svg := svg || format('<text x="%s" y="%s" font-size="13" text-anchor="middle">Annual loss (%s, log scale)</text>' || E'\n'
                       || '<text x="%s" y="%s" font-size="13" text-anchor="middle" transform="rotate(-90 %s %s)">Probability of exceeding</text>' || E'\n',
                       left_m + pw / 2, top_m + ph + 40, isms.xml_escape(sim.currency),
                       left_m - 52, top_m + ph / 2, left_m - 52, top_m + ph / 2);

  -- The curve: from the left edge at P(loss > 0), then every positive point.
  path := format('M %s %s', left_m, round(top_m + ph * (1 - coalesce(p0, 0))::numeric, 1));
  FOR r IN SELECT u.loss, u.probability FROM unnest(losses, probs) AS u(loss, probability) LOOP
    IF r.loss > 0 THEN
      x := round((left_m + pw * (log(r.loss) - e0) / (e1 - e0))::numeric, 1);
      y := round((top_m + ph * (1 - r.probability))::numeric, 1);
      path := path || format(' L %s %s', x, y);
    ELSE
      x := left_m;
      y := round((top_m + ph * (1 - r.probability))::numeric, 1);
    END IF;
    dots := dots || format('<circle class="point" cx="%s" cy="%s" r="2.5" fill="#b2182b" data-loss="%s" data-probability="%s"/>' || E'\n',
                           x, y, r.loss, r.probability);
  END LOOP;
  svg := svg || format('<path class="curve" d="%s" fill="none" stroke="#b2182b" stroke-width="2"/>' || E'\n', path) || dots;

  -- ALE and P95 as vertical markers, where they fall on the axis.
  FOR r IN SELECT * FROM (VALUES ('ALE', sim.ale, '#2166ac'), ('P95', sim.p95, '#762a83')) AS m(name, v, colour)
            WHERE m.v > 0 LOOP
    x := round((left_m + pw * greatest(0, least(1, (log(r.v) - e0) / (e1 - e0))))::numeric, 1);
    svg := svg || format('<g class="marker" data-name="%s" data-value="%s"><line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5" stroke-dasharray="5 3"/>'
                         || '<text x="%s" y="%s" font-size="11" fill="%s">%s</text></g>' || E'\n',
                         r.name, r.v, x, top_m, x, top_m + ph, r.colour, x + 4,
                         top_m + 12 + CASE WHEN r.name = 'P95' THEN 14 ELSE 0 END, r.colour, r.name);
  END LOOP;
  RETURN svg || '</svg>' || E'\n';
END
$$;
COMMENT ON FUNCTION isms.loss_exceedance_svg(bigint[], integer, bigint, text) IS
  'Standalone SVG picture of the loss-exceedance curve of the risks (trial-wise sum, isms.portfolio_loss_exceedance with 60 points) on a log loss axis, with ALE and P95 markers and the figures of isms.simulate_portfolio for the same trials and seed; title defaults to the risk count';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.loss_label', 'read', NULL),
  ('isms.loss_exceedance_svg', 'read', 'draws from isms.simulate_portfolio: reads, writes nothing');
