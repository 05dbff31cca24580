#!/usr/bin/env bash
# The main job: set up, build the scoring core, its WebAssembly module and the page, and serve
# the page on localhost. It opens on a built-in sample (3,000 B2B leads) and rule set.
#   ./scripts/run.sh [port]      (default 8080; PORT=... works too)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh module
exec node scripts/serve.mjs --port "${1:-${PORT:-8080}}"
