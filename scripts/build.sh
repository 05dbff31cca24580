#!/usr/bin/env bash
# Builds the native core + CLI + tests (build/native) and, with "wasm", the WebAssembly
# build (build/wasm): the GoogleTest suite compiled to wasm and run under Node.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}

cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j"$jobs"

if [ "${1:-}" = wasm ]; then
  # Emscripten 3.1.6 quirks (see ../shared/TOOLCHAIN.md): acorn lives in Debian's node path;
  # Node >= 18's fetch breaks the loader unless disabled.
  export NODE_PATH=/usr/share/nodejs
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release \
    "-DCMAKE_CROSSCOMPILING_EMULATOR=$(command -v node);--no-experimental-fetch" >/dev/null
  cmake --build build/wasm -j"$jobs"
fi
