#!/usr/bin/env bash
# Sets up a fresh machine and runs the tests: the GoogleTest suite natively and as WebAssembly
# under Node, the CLI tests and the scikit-learn cross-checks, the JavaScript tests of the module
# and the page's code, the page end to end in Chromium (screenshots in build/e2e-artifacts/), and
# the house style (scripts/lint.sh). Everything it needs is in this repository (tests/data).
#   ./scripts/test.sh          the default run (about 12 minutes on 2 cores)
#   ./scripts/test.sh --long   the same, then the suite under ASan + UBSan and each libFuzzer
#                              target for FUZZ_SECONDS (default 30) s; CI runs this
set -euo pipefail
cd "$(dirname "$0")/.."
long=0
case "${1:-}" in
  --long) long=1 ;;
  "") ;;
  *) echo "usage: scripts/test.sh [--long]" >&2; exit 2 ;;
esac
start=$SECONDS
step() { echo "== [$((SECONDS - start)) s] $*"; }
./scripts/setup.sh
step "style: clang-format, ESLint, Prettier"
./scripts/lint.sh
step "build: native, WebAssembly, the page"
./scripts/build.sh wasm

step "native: GoogleTest + CLI + scikit-learn cross-checks"
ctest --test-dir build/native --output-on-failure
step "wasm: the same GoogleTest suite under Node"
ctest --test-dir build/wasm --output-on-failure
step "JavaScript tests (incl. tests/js/bench.test.mjs: node bench/run.mjs --check, every benchmark engine at small N)"
node --test tests/js/
step "the page in Chromium"
node --test --test-concurrency=1 tests/e2e/
if ((long)); then
  step "native under ASan + UBSan: the same GoogleTest suite"
  ./scripts/asan.sh
  step "fuzzing: each libFuzzer target for ${FUZZ_SECONDS:-30} s (long runs: scripts/fuzz.sh, tests/fuzz/RESULTS.md)"
  ./scripts/fuzz.sh all "${FUZZ_SECONDS:-30}"
fi
step "all tests passed"
