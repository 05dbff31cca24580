#!/usr/bin/env bash
# The main job: set up, build, score the built-in B2B sample with the sample rule set, and
# explain the hottest lead.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
ls=build/native/core/leadscore
$ls check --rules samples/b2b-rules.json --leads samples/b2b-leads.csv
$ls score --rules samples/b2b-rules.json --leads samples/b2b-leads.csv --out build/b2b-scored.csv
echo "scored leads written to build/b2b-scored.csv"
top=$(awk -F, 'NR > 1 { print NR - 1 }' build/b2b-scored.csv | head -1)
$ls explain --rules samples/b2b-rules.json --leads samples/b2b-leads.csv --lead "${1:-$top}"
