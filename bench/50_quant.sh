#!/usr/bin/env bash
# bench/50_quant.sh: Monte Carlo trials per second of isms.simulate_risk()
# (10M simulated years of one risk: PERT frequency 0.1/0.5/2 events a year,
# lognormal loss with 90 % in 10k..1M, i.e. two gamma draws for the rate, a
# Poisson count and 0.68 lognormal losses a year, plus the summary with its
# percentiles) and of isms.simulate_portfolio() (1M years of 10 such risks
# summed trial by trial), against the floor: a plain
#   SELECT sum(random()) FROM generate_series(1, 10000000)
# on the same server.  Each query is one statement of its own backend (JIT
# and parallel query off, so one core); the three take turns for 5 rounds
# and the best of each counts, so changing machine load hits all alike.
# Timed twice: wall clock, and the backend's CPU time (user + system, from
# log_statement_stats), which is what "per core" means on a shared machine.
# Prints trials/s and ratios; never a pass/fail gate.
set -euo pipefail
cd "$(dirname "$0")/.."
db=isms_bench_quant
n=${QUANT_TRIALS:-10000000}
rounds=${QUANT_ROUNDS:-5}
PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d postgres \
	-c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS '$db'" >/dev/null 2>&1 || true' EXIT

psql -X -q -v ON_ERROR_STOP=1 -d $db <<'SQL'
CREATE EXTENSION pg_isms;
INSERT INTO isms.risk (id, scope, ref, title, owner)
SELECT g, 'default', 'B-' || g, 'bench risk ' || g, 'bench' FROM generate_series(1, 10) g;
INSERT INTO isms.risk_quantification (risk_id, frequency_kind, frequency_low, frequency_mode, frequency_high,
                                      loss_kind, loss_low, loss_high)
SELECT g, 'pert', 0.1, 0.5, 2, 'lognormal', 1e4, 1e6 FROM generate_series(1, 10) g;
SQL

queries=("SELECT sum(random()) FROM generate_series(1, $n)"
	"SELECT (isms.simulate_risk(1, $n, 7)).ale"
	"SELECT (isms.simulate_portfolio(ARRAY[1,2,3,4,5,6,7,8,9,10], $((n / 10)), 7)).ale")
best_wall=(inf inf inf)
best_cpu=(inf inf inf)
result=("" "" "")
# "!	0.883651 s user, 0.000000 s system, 0.884214 s elapsed" -> cpu wall
stats() { sed -n 's/^!\s*\([0-9.]*\) s user, \([0-9.]*\) s system, \([0-9.]*\) s elapsed.*/\1 \2 \3/p' | head -n 1 \
	| awk '{ printf "%.6f %.6f\n", $1 + $2, $3 }'; }
min() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "inf" || b + 0 < a + 0) print b; else print a }'; }
psql -X -q -d $db -c "${queries[0]}" >/dev/null     # warm up
for ((r = 1; r <= rounds; r++)); do
	for k in 0 1 2; do
		out=$(PGOPTIONS="-c jit=off -c max_parallel_workers_per_gather=0 -c log_statement_stats=on -c client_min_messages=log" \
			psql -X -q -A -t -v ON_ERROR_STOP=1 -d $db -c "${queries[$k]}" 2>&1)
		read -r cpu wall < <(printf '%s\n' "$out" | stats)
		result[$k]=$(printf '%s\n' "$out" | grep -v '^[!A-Z]' | grep -v '^\s*$' | head -n 1)
		best_cpu[$k]=$(min "${best_cpu[$k]}" "$cpu")
		best_wall[$k]=$(min "${best_wall[$k]}" "$wall")
	done
done

awk -v n="$n" -v fw="${best_wall[0]}" -v rw="${best_wall[1]}" -v pw="${best_wall[2]}" \
	-v fc="${best_cpu[0]}" -v rc="${best_cpu[1]}" -v pc="${best_cpu[2]}" \
	-v ale="${result[1]}" -v pale="${result[2]}" -v rounds="$rounds" 'BEGIN {
	printf "quant: %d trials, best of %d rounds (wall clock | backend CPU)\n", n, rounds
	printf "floor  SELECT sum(random()) FROM generate_series(1, N): %7.3f s %6.1f M rows/s | %7.3f s %6.1f M rows/s\n", fw, n / fw / 1e6, fc, n / fc / 1e6
	printf "isms.simulate_risk(N trials):                          %7.3f s %6.1f M trials/s | %7.3f s %6.1f M trials/s  (ALE %.0f)\n", rw, n / rw / 1e6, rc, n / rc / 1e6, ale
	printf "isms.simulate_portfolio(10 risks x N/10 trials):       %7.3f s %6.1f M risk-trials/s | %7.3f s %6.1f M risk-trials/s  (ALE %.0f)\n", pw, n / pw / 1e6, pc, n / pc / 1e6, pale
	printf "ratio simulate_risk_trials_vs_random_rows (CPU): %.2f (wall %.2f; goal: >= 10 M trials/s per core: %.1f M/s)\n", fc / rc, fw / rw, n / rc / 1e6
	printf "ratio simulate_portfolio_vs_random_rows (CPU): %.2f (wall %.2f)\n", fc / pc, fw / pw
}'
