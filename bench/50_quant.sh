#!/usr/bin/env bash
# bench/50_quant.sh: Monte Carlo trials per second of isms.simulate_risk()
# (10M simulated years of one risk: PERT frequency 0.1/0.5/2 events a year,
# lognormal loss with 90 % in 10k..1M, i.e. two gamma draws for the rate, a
# Poisson count and 0.68 lognormal losses a year, plus the summary with
# its percentiles) and of isms.simulate_portfolio() (1M years of 10 such
# risks summed trial by trial), against the floor: a plain
#   SELECT sum(random()) FROM generate_series(1, 10000000)
# in the same session.  The queries take turns for 5 rounds (JIT off, one
# backend, so one core) and the best time of each counts, so changing
# machine load hits all alike.  Prints trials/s and ratios; never a gate.
set -euo pipefail
cd "$(dirname "$0")/.."
db=isms_bench_quant
n=${QUANT_TRIALS:-10000000}
PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d postgres \
	-c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS '$db'" >/dev/null 2>&1 || true' EXIT

psql -X -q -A -t -v ON_ERROR_STOP=1 -v n="$n" -d $db <<'SQL'
CREATE EXTENSION pg_isms;
SET jit = off;
SET max_parallel_workers_per_gather = 0;
INSERT INTO isms.risk (id, scope, ref, title, owner)
SELECT g, 'default', 'B-' || g, 'bench risk ' || g, 'bench' FROM generate_series(1, 10) g;
INSERT INTO isms.risk_quantification (risk_id, frequency_kind, frequency_low, frequency_mode, frequency_high,
                                      loss_kind, loss_low, loss_high)
SELECT g, 'pert', 0.1, 0.5, 2, 'lognormal', 1e4, 1e6 FROM generate_series(1, 10) g;

CREATE FUNCTION pg_temp.best_of_5(n int, OUT floor_s float8, OUT risk_s float8, OUT portfolio_s float8,
                                  OUT ale float8, OUT portfolio_ale float8)
LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; i int; k int; t float8; x float8;
  qs text[] := ARRAY[format('SELECT sum(random()) FROM generate_series(1, %s)', n),
                     format('SELECT (isms.simulate_risk(1, %s, 7)).ale', n),
                     format('SELECT (isms.simulate_portfolio(ARRAY[1,2,3,4,5,6,7,8,9,10], %s, 7)).ale', n / 10)];
  best float8[] := ARRAY['infinity', 'infinity', 'infinity']::float8[];
BEGIN
  EXECUTE qs[1];                                  -- warm up
  FOR i IN 1..5 LOOP
    FOR k IN 1..3 LOOP
      t0 := clock_timestamp();
      EXECUTE qs[k] INTO x;
      t := extract(epoch FROM clock_timestamp() - t0);
      best[k] := least(best[k], t);
      IF k = 2 THEN ale := x; ELSIF k = 3 THEN portfolio_ale := x; END IF;
    END LOOP;
  END LOOP;
  floor_s := best[1]; risk_s := best[2]; portfolio_s := best[3];
END $$;

SELECT format(E'quant: %s trials, best of 5 rounds\n'
              'floor  generate_series(1, N) of random():   %8s s  %6s M rows/s\n'
              'simulate_risk(N trials):                    %8s s  %6s M trials/s  (ALE %s)\n'
              'simulate_portfolio(10 risks x N/10 trials): %8s s  %6s M risk-trials/s  (ALE %s)\n'
              'ratio simulate_risk_trials_per_s_vs_random_rows_per_s: %s (goal: >= 10 M trials/s per core)\n'
              'ratio simulate_portfolio_vs_random: %s',
              :n,
              round(floor_s::numeric, 3), round((:n / floor_s / 1e6)::numeric, 1),
              round(risk_s::numeric, 3), round((:n / risk_s / 1e6)::numeric, 1), round(ale::numeric),
              round(portfolio_s::numeric, 3), round((:n / portfolio_s / 1e6)::numeric, 1), round(portfolio_ale::numeric),
              round((floor_s / risk_s)::numeric, 2), round((floor_s / portfolio_s)::numeric, 2))
  FROM pg_temp.best_of_5(:n);
SQL
