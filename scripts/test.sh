#!/usr/bin/env bash
# Sets up a fresh machine and runs every test: the GoogleTest suite natively and as
# WebAssembly under Node, the CLI tests, the JavaScript tests, the suite again under
# ASan + UBSan, and a bounded run of each fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh wasm

echo "== native: GoogleTest + CLI"
ctest --test-dir build/native --output-on-failure
echo "== wasm: the same GoogleTest suite under Node"
ctest --test-dir build/wasm --output-on-failure
echo "== JavaScript tests"
node --test tests/js/
echo "== native under ASan + UBSan: the same GoogleTest suite"
./scripts/asan.sh
echo "== fuzzing: each libFuzzer target for ${FUZZ_SECONDS:-45} s (long runs: scripts/fuzz.sh, tests/fuzz/RESULTS.md)"
./scripts/fuzz.sh all "${FUZZ_SECONDS:-45}"
