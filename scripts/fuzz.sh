#!/usr/bin/env bash
# Runs a libFuzzer target (ASan + UBSan) for a while, or every target one after another.
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer flags...]   e.g. scripts/fuzz.sh csv 600
#   scripts/fuzz.sh all SECONDS                            each target for SECONDS
#   RUNS=10000000 scripts/fuzz.sh csv 0                    stop after 10M executions instead
#   SAN=ubsan RUNS=10000000 scripts/fuzz.sh csv 0          UBSan only (build/fuzz-ubsan): 2-3x faster
#   SAN=fast RUNS=10000000 scripts/fuzz.sh csv 0           UBSan, edge coverage only, no comparison
#                                                          tracing (build/fuzz-fast): 4-5x faster again;
#                                                          for long runs from a corpus the default grew
# Long runs in the background: `nice` alone does not yield to builds when the fuzzer is in another
# session (autogroup scheduling); also `echo 19 > /proc/$PID/autogroup`.
#
# Targets: csv json rules jsonlogic differential events metrics export (tests/fuzz/checks.h and
# checks_analysis.h say what each checks).
# Seeds: tests/fuzz/corpus/TARGET (committed, never written); what the fuzzer finds on the way
# goes to build/fuzz/corpus/TARGET and crash inputs to build/fuzz/artifacts/TARGET/. A crash
# input becomes a regression test by copying it to tests/fuzz/regressions/TARGET/ (the
# GoogleTest FuzzRegressions.* reads every file there). Exit status 1 on a finding.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(csv json rules jsonlogic differential events metrics export)
target=${1:?usage: scripts/fuzz.sh TARGET|all SECONDS [libFuzzer flags...]}
seconds=${2:?usage: scripts/fuzz.sh TARGET|all SECONDS [libFuzzer flags...]}
shift 2

bdir=build/fuzz asan=ON
cmp=ON
[ "${SAN:-asan}" = ubsan ] && bdir=build/fuzz-ubsan asan=OFF
[ "${SAN:-asan}" = fast ] && bdir=build/fuzz-fast asan=OFF cmp=OFF
if [ ! -f $bdir/CMakeCache.txt ]; then
  cmake -S tests/fuzz -B $bdir -DCMAKE_CXX_COMPILER="$(command -v clang++-14 || command -v clang++)" -DLEADSCORE_FUZZ_ASAN=$asan \
    -DLEADSCORE_FUZZ_TRACE_CMP=$cmp >/dev/null
fi
[ -n "${NO_BUILD:-}" ] || cmake --build $bdir -j"${JOBS:-2}" >/dev/null  # NO_BUILD=1: binaries as they are (long runs)

run_one() {
  local t=$1
  shift
  local bin=$bdir/fuzz_$t dict=tests/fuzz/$t.dict
  [ "$t" = differential ] && dict=tests/fuzz/jsonlogic.dict
  [ "$t" = export ] && dict=tests/fuzz/csv.dict
  local dict_flag=(-dict="$dict")
  [ -f "$dict" ] || dict_flag=()  # metrics: structured bytes, no words to splice
  mkdir -p "build/fuzz/corpus/$t" "build/fuzz/artifacts/$t"
  local limit=(-max_total_time="$seconds")
  [ -n "${RUNS:-}" ] && limit=(-runs="$RUNS")
  if [ -n "${RUNS:-}" ]; then echo "== fuzz $t ($RUNS runs)"; else echo "== fuzz $t ($seconds s)"; fi
  # -timeout: an input taking 10 s is a hang; -rss_limit_mb: a leak or blow-up; UBSan aborts.
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1:malloc_context_size=4 \
    "$bin" "${limit[@]}" -max_len="${MAX_LEN:-4096}" -timeout=10 -rss_limit_mb=2560 -entropic="${ENTROPIC:-0}" "${dict_flag[@]}" \
    -artifact_prefix="build/fuzz/artifacts/$t/" -print_final_stats=1 "$@" \
    "build/fuzz/corpus/$t" "tests/fuzz/corpus/$t" 2>&1 | tee "$bdir/$t.log" |
    grep -E "^(#[0-9]+ +(INITED|DONE)|stat::number_of_executed_units|stat::average_exec_per_sec|==[0-9]+==ERROR|FUZZ FAILURE|SUMMARY|artifact_prefix|Test unit written)" || true
  if ! grep -q "^Done [0-9]* runs" "$bdir/$t.log"; then
    echo "fuzz $t: FINDING — see $bdir/$t.log and build/fuzz/artifacts/$t/" >&2
    echo "  reproduce: $bin build/fuzz/artifacts/$t/<file>; then copy it to tests/fuzz/regressions/$t/" >&2
    return 1
  fi
}

status=0
if [ "$target" = all ]; then
  for t in "${targets[@]}"; do run_one "$t" "$@" || status=1; done
else
  run_one "$target" "$@" || status=1
fi
exit $status
