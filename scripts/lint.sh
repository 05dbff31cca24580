#!/usr/bin/env bash
# House style, checked (the test command runs it): clang-format for C++ (.clang-format), ESLint
# and Prettier for JavaScript (eslint.config.js, .prettierrc). `./scripts/lint.sh --fix` rewrites.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t cxx < <(git ls-files '*.cpp' '*.h')
if [ "${1:-}" = --fix ]; then
  clang-format -i "${cxx[@]}"
  if [ -f eslint.config.js ]; then npx eslint --fix . && npm run --silent format >/dev/null; fi
  exit 0
fi
clang-format --dry-run --Werror "${cxx[@]}"
echo "lint: clang-format ok (${#cxx[@]} files)"
python3 scripts/include-cycles.py
if [ -f eslint.config.js ]; then npm run --silent lint && echo "lint: eslint + prettier ok"; fi
