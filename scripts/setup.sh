#!/usr/bin/env bash
# Installs everything leadscore needs on a fresh Debian 12 machine. Idempotent: a second run
# only checks. Debian packages: compilers, Emscripten, nlohmann/json, GoogleTest, Chromium
# (browser tests), scikit-learn (metric cross-checks). npm packages: from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(cmake g++ make googletest libgtest-dev nlohmann-json3-dev emscripten node-acorn python3-sklearn python3-openpyxl chromium clang clang-format libclang-rt-14-dev)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v node >/dev/null || { echo "setup: Node.js 20 is required (node not found)" >&2; exit 1; }
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup: ok"
