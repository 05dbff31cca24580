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
# Why is the hottest lead hot? (pass a lead number to explain another one)
$ls explain --rules samples/b2b-rules.json --leads samples/b2b-leads.csv --lead "${1:-top}"
