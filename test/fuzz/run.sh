#!/usr/bin/env bash
# test/fuzz/run.sh: build every libFuzzer harness test/fuzz/NAME_fuzz.c with
# clang (address and undefined-behaviour sanitizers), linked with every
# src/*_core.c and libical, and run it for FUZZ_SECONDS seconds (default 20)
# or FUZZ_RUNS executions, starting from the seed corpus test/fuzz/corpus/NAME.
# New inputs go to build/fuzz/corpus/NAME (not committed); a crash aborts
# with the reproducer's path.
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/lib.sh
# clang and its sanitizer runtime, the latter named after clang's major
# (libclang-rt-14-dev on Debian 12, -19- on 13, ...).
if [ -z "${CLANG:-}" ] && ! command -v clang >/dev/null; then
	ISMS_APT_PACKAGES="clang libical-dev" isms_install_deps
fi
CLANG=${CLANG:-$(command -v clang)}
rt="libclang-rt-$("$CLANG" --version | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -1)-dev"
ISMS_APT_PACKAGES=$rt isms_install_deps
out=build/fuzz
mkdir -p "$out"
total=0
for h in test/fuzz/*_fuzz.c; do
	[ -e "$h" ] || continue
	name=$(basename "$h" _fuzz.c)
	"$CLANG" -g -O1 -ffp-contract=off -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-Isrc -o "$out/$name" "$h" $(ls src/*_core.c 2>/dev/null) -lical -lm
	mkdir -p "$out/corpus/$name" "test/fuzz/corpus/$name"
	limit=(-max_total_time="${FUZZ_SECONDS:-20}")
	[ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
	log="$out/$name.log"
	# -close_fd_mask=2: libical prints parser warnings on stderr (libFuzzer
	# and the sanitizers keep their own copy of it for reports).
	if ! "$out/$name" "${limit[@]}" -max_len=4096 -close_fd_mask=2 -artifact_prefix="$out/$name-" \
		"$out/corpus/$name" "test/fuzz/corpus/$name" >"$log" 2>&1; then
		tail -n 40 "$log"
		echo "fuzz: $name FAILED (log: $log)"
		exit 1
	fi
	runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
	echo "fuzz: $name: ${runs:-?} executions, no crash"
	total=$((total + 1))
done
echo "fuzz: $total harnesses ran"
