#!/usr/bin/env bash
# Sets up a fresh machine and runs every test: the GoogleTest suite natively and as
# WebAssembly under Node, the CLI tests, the JavaScript tests of the module and the page's
# code, the page end to end in Chromium (screenshots in build/e2e-artifacts/), the suite again
# under ASan + UBSan, and a bounded run of each fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
step() { echo "== [$((SECONDS - start)) s] $*"; }
./scripts/setup.sh
step "build: native, WebAssembly, the page"
./scripts/build.sh wasm

step "native: GoogleTest + CLI"
ctest --test-dir build/native --output-on-failure
step "wasm: the same GoogleTest suite under Node"
ctest --test-dir build/wasm --output-on-failure
step "JavaScript tests (incl. tests/js/bench.test.mjs: node bench/run.mjs --check, every benchmark engine at small N)"
node --test tests/js/
step "the page in Chromium"
node --test --test-concurrency=1 tests/e2e/
step "native under ASan + UBSan: the same GoogleTest suite"
./scripts/asan.sh
step "fuzzing: each libFuzzer target for ${FUZZ_SECONDS:-30} s (long runs: scripts/fuzz.sh, tests/fuzz/RESULTS.md)"
./scripts/fuzz.sh all "${FUZZ_SECONDS:-30}"
step "all tests passed"
