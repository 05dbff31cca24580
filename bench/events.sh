#!/usr/bin/env bash
# Events at scale, natively: builds bench/events_bench.cpp against the core library of the
# native build and runs it. Default 1,000,000 leads and 20,000,000 events (about 1 GB of CSV in
# memory; needs ~10 GB RAM); pass smaller sizes for a quick look: bench/events.sh 100000 2000000
# Results are recorded by hand in bench/EVENTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh >/dev/null
g++ -O2 -std=c++17 -Iinclude -Icore bench/events_bench.cpp build/native/core/libleadscore_core.a -o build/events_bench
exec build/events_bench "${1:-1000000}" "${2:-20000000}" "${3:-5}"
