#!/usr/bin/env bash
# Builds the native core + CLI + tests (build/native) and, with an argument, the WebAssembly
# build (build/wasm):
#   ./scripts/build.sh          native only
#   ./scripts/build.sh module   native + the wasm module (dist/leadscore.mjs, dist/split/, dist/compact/), the
#                               visitor build (dist/visitor/), the page (dist/web) and the example site (dist/site)
#   ./scripts/build.sh wasm     all of the above + the GoogleTest suite compiled to wasm (run under Node)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}

cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j"$jobs"

if [ -n "${1:-}" ]; then
  # Emscripten 3.1.6 quirks (see ../shared/TOOLCHAIN.md): acorn lives in Debian's node path;
  # Node >= 18's fetch breaks the loader unless disabled.
  export NODE_PATH=/usr/share/nodejs
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release \
    "-DCMAKE_CROSSCOMPILING_EMULATOR=$(command -v node);--no-experimental-fetch" >/dev/null
  if [ "$1" = module ]; then
    cmake --build build/wasm -j"$jobs" --target leadscore_single leadscore_split leadscore_compact leadscore_visitor
  else
    cmake --build build/wasm -j"$jobs"
  fi
  node scripts/build-web.mjs
  node scripts/build-embed.mjs  # the visitor snippet, <lead-scorer>, the example site (docs/embed.md)
fi
