#!/usr/bin/env bash
# End-to-end tests of the native CLI: real files in, exit codes and messages out.
# usage: cli_test.sh LEADSCORE_BINARY REPO_DIR SHARED_DIR
set -uo pipefail
ls=$1 repo=$2 data=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

check() {  # check NAME CONDITION-COMMAND...
  local name=$1; shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name"; fi
}
contains() { grep -qF -- "$2" "$1"; }

bank="$data/bank-marketing/bank-full.csv"
bank2="$data/bank-marketing/bank-additional-full.csv"

# score the bank-marketing file: every row out, tier counts on stderr
"$ls" score --rules "$repo/samples/bank-rules.json" --leads "$bank" --out "$tmp/bank.csv" 2>"$tmp/err"; rc=$?
check "score bank exit 0" test $rc -eq 0
check "score bank writes header + 45,211 rows" test "$(wc -l <"$tmp/bank.csv")" -eq 45212
check "score bank reports count" contains "$tmp/err" "scored 45211 leads"
check "score output has reasons column" contains "$tmp/bank.csv" ",reasons"
# the score column equals the sum of the group columns clamped (total has no cap in bank rules? check via explain instead)

# JSON and NDJSON output parse and carry the same totals as CSV
"$ls" score --rules "$repo/samples/b2b-rules.json" --leads "$repo/samples/b2b-leads.csv" --format json --out "$tmp/b2b.json" 2>/dev/null
"$ls" score --rules "$repo/samples/b2b-rules.json" --leads "$repo/samples/b2b-leads.csv" --format ndjson --out "$tmp/b2b.ndjson" 2>/dev/null
"$ls" score --rules "$repo/samples/b2b-rules.json" --leads "$repo/samples/b2b-leads.csv" --out "$tmp/b2b.csv" 2>/dev/null
check "json output is 3000 leads" test "$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).length)' "$tmp/b2b.json")" = 3000
check "ndjson = json totals" test "$(node -e '
  const fs = require("fs");
  const a = JSON.parse(fs.readFileSync(process.argv[1])).map(r => r._score.total);
  const b = fs.readFileSync(process.argv[2], "utf8").trim().split("\n").map(l => JSON.parse(l)._score.total);
  console.log(a.length === b.length && a.every((x, i) => x === b[i]))' "$tmp/b2b.json" "$tmp/b2b.ndjson")" = true

# explain: a lead's ledger adds up to its score in the scored file
"$ls" explain --rules "$repo/samples/b2b-rules.json" --leads "$repo/samples/b2b-leads.csv" --lead 7 --format json >"$tmp/explain.json"
check "explain json total equals score output" test "$(node -e '
  const fs = require("fs");
  const l = JSON.parse(fs.readFileSync(process.argv[1]));
  const rows = JSON.parse(fs.readFileSync(process.argv[2]));
  const sum = l.groups.reduce((s, g) => s + g.score, 0);
  console.log(l.total === rows[6]._score.total && l.sum === sum && l.line === 8)' "$tmp/explain.json" "$tmp/b2b.json")" = true
"$ls" explain --rules "$repo/samples/bank-rules.json" --leads "$bank" --lead 45211 >"$tmp/explain.txt"; rc=$?
check "explain last bank lead" test $rc -eq 0
check "explain prints score and tier" contains "$tmp/explain.txt" "Score "
"$ls" explain --rules "$repo/samples/bank-rules.json" --leads "$bank" --lead 45212 2>"$tmp/err"; rc=$?
check "explain out of range fails" test $rc -eq 1
check "explain out of range says the range" contains "$tmp/err" "1 to 45211"

# explain --lead top picks the highest score
"$ls" explain --rules "$repo/samples/b2b-rules.json" --leads "$repo/samples/b2b-leads.csv" --lead top --format json >"$tmp/top.json"
check "explain top is the maximum score" test "$(node -e '
  const fs = require("fs");
  const l = JSON.parse(fs.readFileSync(process.argv[1]));
  const max = Math.max(...JSON.parse(fs.readFileSync(process.argv[2])).map(r => r._score.total));
  console.log(l.total === max)' "$tmp/top.json" "$tmp/b2b.json")" = true
"$ls" explain --rules "$repo/samples/b2b-rules.json" --leads "$repo/samples/b2b-leads.csv" --lead first >/dev/null 2>&1
check "explain --lead with a word is a usage error" test $? -eq 2

# bank-additional (CRLF, dotted headers) loads and checks
"$ls" check --rules "$repo/samples/bank-rules.json" --leads "$bank2" >"$tmp/out" 2>&1; rc=$?
check "check on bank-additional (fields differ) reports the unknown field or passes cleanly" test $rc -eq 0 -o $rc -eq 1

# check: errors name rule and field, exit 1
cat >"$tmp/bad.json" <<'JSON'
{"rules": [{"id": "dm", "points": 20, "when": {"==": [{"var": "jobb"}, "management"]}}]}
JSON
"$ls" check --rules "$tmp/bad.json" --leads "$bank" >"$tmp/out" 2>&1; rc=$?
check "check bad field exit 1" test $rc -eq 1
check "check names rule" contains "$tmp/out" "(rule 'dm')"
check "check suggests field" contains "$tmp/out" "did you mean 'job'?"
printf '{"rules": [\n  {"id": "a" "points": 1}\n]}\n' >"$tmp/syntax.json"
"$ls" check --rules "$tmp/syntax.json" >"$tmp/out" 2>&1; rc=$?
check "syntax error exit 1" test $rc -eq 1
check "syntax error has line 2" contains "$tmp/out" "line 2, column 14"
"$ls" score --rules "$tmp/bad.json" --leads "$bank" --strict --out "$tmp/none.csv" >"$tmp/out" 2>&1; rc=$?
check "score --strict with a missing column exit 1" test $rc -eq 1
check "score --strict with a missing column writes nothing" test ! -e "$tmp/none.csv"
check "score --strict names rule and field" contains "$tmp/out" "(rule 'dm'): unknown field 'jobb'"

# load errors carry line and column
printf 'a,b\n1,"open\n2,3\n' >"$tmp/broken.csv"
"$ls" score --rules "$repo/samples/bank-rules.json" --leads "$tmp/broken.csv" >"$tmp/out" 2>&1; rc=$?
check "broken csv exit 1" test $rc -eq 1
check "broken csv says line 2 column 3" contains "$tmp/out" "broken.csv:2:3:"
"$ls" score --rules "$repo/samples/bank-rules.json" --leads "$tmp/nope.csv" >"$tmp/out" 2>&1; rc=$?
check "missing file exit 1" test $rc -eq 1

# formula cells are neutralised in CSV output
printf 'name,title\n=HYPERLINK("x"),CEO\n+1,@cmd\n' >"$tmp/xss.csv"
printf '{"rules": [{"id": "t", "points": 1, "when": {"==": [{"var": "title"}, "CEO"]}}]}' >"$tmp/t.json"
"$ls" score --rules "$tmp/t.json" --leads "$tmp/xss.csv" --out "$tmp/xss-out.csv" 2>/dev/null
check "formula neutralised" contains "$tmp/xss-out.csv" "'=HYPERLINK"
check "at-sign neutralised" contains "$tmp/xss-out.csv" "'@cmd"

# events: --events + --as-of; totals equal the hand-computed fixtures (tests/fixtures/events)
for fx in counts repeat-dedupe decay recency-computed; do
  d="$repo/tests/fixtures/events/$fx"
  "$ls" score --rules "$d/rules.json" --leads "$d/leads.csv" --events "$d/events.csv" --as-of 2024-03-31 --format json --out "$tmp/ev-$fx.json" 2>"$tmp/ev-err"; rc=$?
  check "score --events $fx exit 0" test $rc -eq 0
  check "score --events $fx totals = hand.json" test "$(node -e '
    const fs = require("fs");
    const got = JSON.parse(fs.readFileSync(process.argv[1])).map(r => r._score.total);
    const want = JSON.parse(fs.readFileSync(process.argv[2])).leads.map(l => l.total);
    console.log(got.length === want.length && got.every((x, i) => Math.abs(x - want[i]) < 1e-9))' "$tmp/ev-$fx.json" "$d/hand.json")" = true
done
d="$repo/tests/fixtures/events/counts"
"$ls" score --rules "$d/rules.json" --leads "$d/leads.csv" --events "$d/events.csv" --as-of 2024-03-31 --out "$tmp/ev.csv" 2>"$tmp/ev-err"
check "events summary on stderr" contains "$tmp/ev-err" "13 events, 11 joined to 4 leads (lead_id = id), 1 with an unknown lead id (99), 1 without a lead id, 1 without a timestamp"
check "unknown lead id line reported" contains "$tmp/ev-err" "events.csv:13:1: note: [lead_id] no lead has id '99'"
check "undated event line reported" contains "$tmp/ev-err" "events.csv:10:3: note: [timestamp] the event has no usable timestamp"
check "event rule in reasons" contains "$tmp/ev.csv" "eq2 +10"
d="$repo/tests/fixtures/events/recency-computed"
"$ls" score --rules "$d/rules.json" --leads "$d/leads.csv" --events "$d/events.csv" --as-of 2024-03-31 --out "$tmp/rc.csv" 2>/dev/null
check "computed fields are output columns" test "$(head -1 "$tmp/rc.csv" | cut -d, -f1-7)" = "id,last_activity,page_views,days_since_any,days_since_visit,inactive_days,visits_30d"
check "computed values of lead 1" test "$(sed -n 2p "$tmp/rc.csv" | cut -d, -f4-7)" = "2,2,30,4"
d="$repo/tests/fixtures/events/decay"
"$ls" explain --rules "$d/rules.json" --leads "$d/leads.csv" --events "$d/events.csv" --as-of 2024-03-31 --lead 1 >"$tmp/ev-explain.txt" 2>/dev/null
check "explain says the as-of day" contains "$tmp/ev-explain.txt" "as of 2024-03-31"
check "explain shows count and decay" contains "$tmp/ev-explain.txt" "+17.5  half [half] (3 events, 3 scored, newest 0 days ago, decay 0.583: 30 -> 17.5)"
"$ls" explain --rules "$d/rules.json" --leads "$d/leads.csv" --events "$d/events.csv" --as-of 2024-03-31 --lead 1 --format json >"$tmp/ev-explain.json" 2>/dev/null
check "explain json has event fields" test "$(node -e '
  const l = JSON.parse(require("fs").readFileSync(process.argv[1]));
  const h = l.rules.find(r => r.id === "half");
  console.log(h.count === 3 && h.raw === 30 && h.effective === 17.5 && h.points === 17.5 && Math.abs(h.decay - 17.5 / 30) < 1e-12)' "$tmp/ev-explain.json")" = true
"$ls" check --rules "$d/rules.json" --leads "$d/leads.csv" --events "$d/events.csv" --as-of 2024-03-31 >"$tmp/out" 2>&1; rc=$?
check "check with events exit 0" test $rc -eq 0
check "check lists event rule firing" contains "$tmp/out" "half: fires on 3"
"$ls" score --rules "$d/rules.json" --leads "$d/leads.csv" --events "$d/events.csv" --out "$tmp/none2.csv" >"$tmp/out" 2>&1; rc=$?
check "events without --as-of exit 1" test $rc -eq 1
check "events without --as-of says so" contains "$tmp/out" "CLI --as-of YYYY-MM-DD"
check "events without --as-of writes nothing" test ! -e "$tmp/none2.csv"
"$ls" score --rules "$d/rules.json" --leads "$d/leads.csv" --events "$d/events.csv" --as-of 31/03/2024 >"$tmp/out" 2>&1; rc=$?
check "bad --as-of is a usage error" test $rc -eq 2
check "bad --as-of explains the format" contains "$tmp/out" "YYYY-MM-DD"
printf 'who,what\n1,x\n' >"$tmp/ev-bad.csv"
"$ls" score --rules "$d/rules.json" --leads "$d/leads.csv" --events "$tmp/ev-bad.csv" --as-of 2024-03-31 >"$tmp/out" 2>&1; rc=$?
check "events without known columns exit 1" test $rc -eq 1
check "events without known columns names the option" contains "$tmp/out" "--event-lead-id"
printf 'who,what,when\n1,visit,2024-03-30\n' >"$tmp/ev-named.csv"
"$ls" score --rules "$d/rules.json" --leads "$d/leads.csv" --events "$tmp/ev-named.csv" --event-lead-id who --event-type what --event-time when --lead-key id --as-of 2024-03-31 --format json --out "$tmp/named.json" 2>/dev/null; rc=$?
check "named event columns exit 0" test $rc -eq 0
check "named event columns score the visit (ceo 20 + nodecay 1 + (10 + 2) x 0.5^(1/10))" test "$(node -e '
  const t = JSON.parse(require("fs").readFileSync(process.argv[1]))[0]._score.total;
  console.log(Math.abs(t - (21 + 12 * Math.pow(0.5, 0.1))) < 1e-9)' "$tmp/named.json")" = true
check "a -0 prints as 0" contains "$tmp/rc.csv" "stale +0;"

# the B2B sample with its events (samples/b2b-events.csv from scripts/gen-sample-events.mjs)
"$ls" score --rules "$repo/samples/b2b-events-rules.json" --leads "$repo/samples/b2b-leads.csv" --events "$repo/samples/b2b-events.csv" --as-of 2025-06-30 --out "$tmp/b2b-ev.csv" 2>"$tmp/err"; rc=$?
check "b2b sample with events exit 0" test $rc -eq 0
check "b2b sample events all joined" contains "$tmp/err" "23886 events, 23886 joined"
check "b2b sample with events scores every lead" test "$(wc -l <"$tmp/b2b-ev.csv")" -eq 3001
node "$repo/scripts/gen-sample-events.mjs" "$tmp/b2b-events.csv" >/dev/null 2>&1
check "b2b events sample is reproducible" cmp -s "$tmp/b2b-events.csv" "$repo/samples/b2b-events.csv"

# apply
check "apply substring" test "$("$ls" apply '{"in": ["VP", {"var": "title"}]}' '{"title": "VP Sales"}')" = true
check "apply arithmetic" test "$("$ls" apply '{"+": [1, 2.5]}' null)" = 3.5
echo '{"title": "CEO"}' >"$tmp/d.json"
check "apply from file" test "$("$ls" apply '{"var": "title"}' "@$tmp/d.json")" = '"CEO"'
"$ls" apply '{"+": [1, "abc"]}' null >"$tmp/out" 2>&1; rc=$?
check "apply eval error exit 1" test $rc -eq 1
"$ls" apply '{"frobnicate": [1]}' null >"$tmp/out" 2>&1; rc=$?
check "apply unknown op exit 1" test $rc -eq 1
check "apply unknown op named" contains "$tmp/out" "frobnicate"
"$ls" apply '{"var": ' null >"$tmp/out" 2>&1; rc=$?
check "apply bad json exit 1" test $rc -eq 1
check "apply bad json says LOGIC" contains "$tmp/out" "LOGIC is not valid JSON"

# evaluate: outcomes from a column or from a second file (numbers vs sklearn: tests/metrics/sklearn_check.py)
"$ls" evaluate --rules "$repo/samples/bank-rules.json" --leads "$bank" --outcome y >"$tmp/eval.txt" 2>"$tmp/err"; rc=$?
check "evaluate bank exit 0" test $rc -eq 0
check "evaluate text shows AUC" contains "$tmp/eval.txt" "AUC 0."
check "evaluate text shows tiers" contains "$tmp/eval.txt" "By tier"
check "evaluate text flags duration as stronger than the rules" contains "$tmp/eval.txt" "stronger_than_rules: column 'duration'"
"$ls" evaluate --rules "$repo/samples/bank-rules.json" --leads "$bank" --outcome y --format json >"$tmp/eval.json"
check "evaluate json: tier counts add up to the rows, outcomes say 0 unknown" test "$(node -e '
  const e = JSON.parse(require("fs").readFileSync(process.argv[1]));
  console.log(e.tiers.reduce((s, t) => s + t.count, 0) === 45211 && e.outcomes.unknown === 0 && e.rules.length === 17)' "$tmp/eval.json")" = true
"$ls" evaluate --rules "$repo/samples/bank-rules.json" --leads "$bank" --outcome yy >"$tmp/out" 2>&1; rc=$?
check "evaluate unknown outcome column exit 1" test $rc -eq 1
check "evaluate unknown outcome column suggests y" contains "$tmp/out" "did you mean 'y'?"
"$ls" evaluate --rules "$repo/samples/bank-rules.json" --leads "$bank" >/dev/null 2>&1
check "evaluate without outcomes is a usage error" test $? -eq 2
"$ls" evaluate --rules "$repo/samples/bank-rules.json" --leads "$bank" --outcomes "$bank" >/dev/null 2>&1
check "evaluate --outcomes without --lead-id is a usage error" test $? -eq 2
"$ls" evaluate --rules "$repo/samples/bank-rules.json" --leads "$bank" --outcome y --capacity lots >"$tmp/out" 2>&1; rc=$?
check "evaluate bad capacity exit 1" test $rc -eq 1
check "evaluate bad capacity says the form" contains "$tmp/out" "a share (10% or 0.1)"
olist="$data/olist-like"
"$ls" evaluate --rules "$repo/samples/olist-rules.json" --leads "$olist/olist_marketing_qualified_leads_dataset.csv" \
  --outcomes "$olist/olist_closed_deals_dataset.csv" --lead-id mql_id >"$tmp/olist.txt" 2>"$tmp/err"; rc=$?
check "evaluate olist two files exit 0" test $rc -eq 0
check "evaluate olist says how it joined" contains "$tmp/olist.txt" "842 deals joined on 'mql_id' = 'mql_id'"
"$ls" evaluate --rules "$repo/samples/olist-rules.json" --leads "$olist/olist_marketing_qualified_leads_dataset.csv" \
  --outcomes "$olist/olist_closed_deals_dataset.csv" --lead-id mql --outcome-id mql_id >"$tmp/out" 2>&1
check "evaluate unknown lead id column exit 1" test $? -eq 1
check "evaluate unknown lead id column names it" contains "$tmp/out" "lead id column 'mql'"

# compare: A vs A changes nothing; A vs B migration agrees with the listed leads
"$ls" compare --rules "$repo/samples/bank-rules.json" --rules-b "$repo/samples/bank-rules.json" --leads "$bank" --format json >"$tmp/same.json"
check "compare a rule set with itself: nothing moves" test "$(node -e '
  const c = JSON.parse(require("fs").readFileSync(process.argv[1]));
  const offDiagonal = c.tiers.counts.flatMap((r, i) => r.filter((_, j) => j !== i)).reduce((s, x) => s + x, 0);
  console.log(c.changed === 0 && c.movers.length === 0 && offDiagonal === 0 && c.salesReady.up === 0 && c.salesReady.down === 0)' "$tmp/same.json")" = true
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1]));
  r.name = "B"; r.rules.find((x) => x.id === "targeted-month").points = 30; r.rules = r.rules.filter((x) => x.id !== "cellular");
  require("fs").writeFileSync(process.argv[2], JSON.stringify(r))' "$repo/samples/bank-rules.json" "$tmp/bank-b.json"
"$ls" compare --rules "$repo/samples/bank-rules.json" --rules-b "$tmp/bank-b.json" --leads "$bank" --outcome y --capacity 2000 --format json >"$tmp/cmp.json"; rc=$?
check "compare exit 0" test $rc -eq 0
"$ls" compare --rules "$repo/samples/bank-rules.json" --rules-b "$tmp/bank-b.json" --leads "$bank" --from Cold --to Warm --format json >"$tmp/list.json"
check "compare: listed Cold->Warm leads = the matrix cell; movers explain their delta" test "$(node -e '
  const fs = require("fs");
  const c = JSON.parse(fs.readFileSync(process.argv[1])), list = JSON.parse(fs.readFileSync(process.argv[2]));
  const cell = c.tiers.counts[2][1];
  const clippedTotal = (m) => [m.a, m.b].some((x) => x === 0 || x === 100);  // bank total: min 0, max 100
  const explained = c.movers.every((m) => m.rules.length > 0 && (clippedTotal(m) || m.groups.reduce((s, g) => s + g.delta, 0) === m.delta));
  const sorted = list.every((x, i) => i === 0 || list[i - 1].b >= x.b);
  console.log(cell > 0 && list.length === cell && sorted && c.capacity.a.selected <= 2000 && c.capacity.b.selected <= 2000 &&
    c.evaluation.a.roc.auc > 0.5 && c.movers.length === 20 && explained)' "$tmp/cmp.json" "$tmp/list.json")" = true
"$ls" compare --rules "$repo/samples/bank-rules.json" --rules-b "$tmp/bank-b.json" --leads "$bank" >"$tmp/cmp.txt"
check "compare text shows the migration" contains "$tmp/cmp.txt" "Tier migration (rows: A, columns: B)"
check "compare text shows movers" contains "$tmp/cmp.txt" "Top movers"
"$ls" compare --rules "$repo/samples/bank-rules.json" --rules-b "$tmp/bank-b.json" --leads "$bank" --from Lukewarm --to Hot >"$tmp/out" 2>&1
check "compare unknown tier exit 1" test $? -eq 1
check "compare unknown tier lists tiers" contains "$tmp/out" "Hot, Warm, Cold"
"$ls" compare --rules "$repo/samples/bank-rules.json" --leads "$bank" >/dev/null 2>&1
check "compare without --rules-b is a usage error" test $? -eq 2

# usage
"$ls" >/dev/null 2>&1; check "no command exit 2" test $? -eq 2
"$ls" frob >/dev/null 2>&1; check "unknown command exit 2" test $? -eq 2
"$ls" score --rules x >/dev/null 2>&1; check "missing --leads exit 2" test $? -eq 2

# command-line habits (issue 25): strict options, -, --help, --version, check --json, load flags
b2b_rules="$repo/samples/b2b-rules.json" b2b_leads="$repo/samples/b2b-leads.csv"
"$ls" score --rules "$b2b_rules" --leads "$b2b_leads" --ouput "$tmp/x.csv" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "misspelt option exit 2" test $rc -eq 2
check "misspelt option named with a suggestion" contains "$tmp/err" "unknown option '--ouput' for score; did you mean '--out'?"
check "misspelt option writes nothing" test ! -s "$tmp/out" -a ! -e "$tmp/x.csv"
"$ls" explain --rules "$b2b_rules" --leads "$b2b_leads" --leads "$b2b_leads" --lead 1 >/dev/null 2>"$tmp/err"; rc=$?
check "option given twice exit 2" test $rc -eq 2
check "option given twice says so" contains "$tmp/err" "--leads is given twice"
"$ls" score --rules "$b2b_rules" --leads >/dev/null 2>"$tmp/err"; rc=$?
check "option without its value exit 2" test $rc -eq 2
check "option without its value says so" contains "$tmp/err" "--leads needs a value"
"$ls" score --rules "$b2b_rules" --out --leads "$b2b_leads" >/dev/null 2>"$tmp/err"; rc=$?
check "option followed by an option is missing its value" test $rc -eq 2
"$ls" score --rules "$b2b_rules" --leads "$b2b_leads" --lead 3 >/dev/null 2>"$tmp/err"; rc=$?
check "an option of another subcommand exit 2" test $rc -eq 2
check "score does not take --lead, suggests --leads" contains "$tmp/err" "did you mean '--leads'?"
"$ls" check --rules "$b2b_rules" --no-reasons >/dev/null 2>"$tmp/err"; rc=$?
check "check does not take --no-reasons" test $rc -eq 2
check "says whose option it is" contains "$tmp/err" "(--no-reasons is an option of score)"
"$ls" score --no-reasons=yes --rules "$b2b_rules" --leads "$b2b_leads" >/dev/null 2>&1
check "a flag with a value exit 2" test $? -eq 2
"$ls" score --rules "$b2b_rules" --leads "$b2b_leads" stray >/dev/null 2>&1
check "a stray argument exit 2" test $? -eq 2
"$ls" scroe >/dev/null 2>"$tmp/err"
check "misspelt command suggests score" contains "$tmp/err" "did you mean 'score'?"

# - is standard input (one of them) and standard output
"$ls" score --rules "$b2b_rules" --leads - --out "$tmp/stdin.csv" <"$b2b_leads" 2>/dev/null; rc=$?
check "--leads - exit 0" test $rc -eq 0
check "--leads - equals the file" cmp -s "$tmp/stdin.csv" "$tmp/b2b.csv"
"$ls" score --rules - --leads "$b2b_leads" --out - <"$b2b_rules" >"$tmp/stdin2.csv" 2>/dev/null
check "--rules - and --out - equal the files" cmp -s "$tmp/stdin2.csv" "$tmp/b2b.csv"
"$ls" score --rules "$b2b_rules" --leads "$b2b_leads" --format=json 2>/dev/null >"$tmp/stdout.json"
check "no --out writes standard output" cmp -s "$tmp/stdout.json" "$tmp/b2b.json"
d="$repo/tests/fixtures/events/counts"
"$ls" score --rules "$d/rules.json" --leads "$d/leads.csv" --events - --as-of 2024-03-31 --out "$tmp/ev-stdin.csv" <"$d/events.csv" 2>"$tmp/err"
check "--events - equals the file" cmp -s "$tmp/ev-stdin.csv" "$tmp/ev.csv"
check "--events - is named <stdin> in notes" contains "$tmp/err" "<stdin>:13:1: note:"
"$ls" score --rules - --leads - </dev/null >/dev/null 2>"$tmp/err"; rc=$?
check "two inputs from - exit 2" test $rc -eq 2
check "two inputs from - says so" contains "$tmp/err" "only one input can be - (standard input), but --rules and --leads both are"
"$ls" evaluate --rules "$repo/samples/olist-rules.json" --leads "$olist/olist_marketing_qualified_leads_dataset.csv" \
  --outcomes - --lead-id mql_id <"$olist/olist_closed_deals_dataset.csv" >"$tmp/olist-stdin.txt" 2>/dev/null
check "--outcomes - equals the file" cmp -s "$tmp/olist-stdin.txt" "$tmp/olist.txt"
echo 1 | "$ls" apply - - >/dev/null 2>&1
check "apply - - exit 2" test $? -eq 2
check "apply reads - for DATA" test "$(echo '{"title": "CEO"}' | "$ls" apply '{"var": "title"}' -)" = '"CEO"'

# --help on every subcommand, leadscore --help, --version
for c in score explain check evaluate compare apply sql version; do
  "$ls" $c --help >"$tmp/help" 2>"$tmp/err"; rc=$?
  check "$c --help exit 0" test $rc -eq 0 -a ! -s "$tmp/err"
  check "$c --help shows usage, example and exit status" test "$(grep -c -e "^usage: leadscore $c" -e '^example:' -e '^exit status: 0 ok' "$tmp/help")" -eq 3
  "$ls" $c -h >"$tmp/help2" 2>/dev/null
  check "$c -h = --help" cmp -s "$tmp/help" "$tmp/help2"
  undocumented=""
  for o in $(grep -o -e '^  --[a-z-]*' "$tmp/help"); do
    grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" "$repo/cli/leadscore.1" || undocumented="$undocumented $o"
  done
  check "man page documents every option of $c (missing:$undocumented)" test -z "$undocumented"
done
"$ls" score --rules x --frob --help >/dev/null 2>&1
check "an unknown option beside --help is still an error" test $? -eq 2
"$ls" --help >"$tmp/help"; rc=$?
check "leadscore --help exit 0" test $rc -eq 0
check "leadscore --help lists subcommands" test "$(grep -c -E '^  (score|explain|check|evaluate|compare|apply) ' "$tmp/help")" -eq 6
check "leadscore --help says the exit codes" contains "$tmp/help" "2 usage"
"$ls" help compare >"$tmp/help"
check "leadscore help compare" contains "$tmp/help" "--rules-b R2"
want_version=$(sed -n 's/^project(leadscore VERSION \([0-9.]*\).*/\1/p' "$repo/CMakeLists.txt")
check "--version prints the CMake project version" test "$("$ls" --version)" = "leadscore $want_version (rule set format 1)"
check "version = --version" test "$("$ls" version)" = "$("$ls" --version)"

# check --json: machine-readable diagnostics, plan and counts
"$ls" check --rules "$repo/samples/bank-rules.json" --leads "$bank" --json >"$tmp/check.json" 2>"$tmp/err"; rc=$?
check "check --json exit 0" test $rc -eq 0
check "check --json: ok, 17 rules with plan and fired counts, leads" test "$(python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
r = c["rules"]
print(c["ok"] is True and c["ruleSet"]["rules"] == 17 == len(r) and all(isinstance(x["plan"], str) and x["plan"] and 0 <= x["fired"] <= 45211 for x in r)
      and c["leads"]["rows"] == 45211 and isinstance(c["diagnostics"], list) and isinstance(c["warnings"], list))' "$tmp/check.json")" = True
"$ls" check --rules "$tmp/bad.json" --leads "$bank" --format json >"$tmp/check.json" 2>/dev/null; rc=$?
check "check --format json with a missing column exit 1" test $rc -eq 1
check "check json diagnostic has ruleId, field, path, code" test "$(python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
d = c["diagnostics"][0]
print(c["ok"] is False and d["ruleId"] == "dm" and d["field"] == "jobb" and d["path"] == "rules[0].when" and d["code"] == "unknown_field"
      and d["severity"] == "error" and c["error"]["code"] == "unknown_field" and "plan" not in c["rules"][0])' "$tmp/check.json")" = True
"$ls" check --rules "$tmp/syntax.json" --json >"$tmp/check.json" 2>/dev/null; rc=$?
check "check --json syntax error exit 1" test $rc -eq 1
check "check json syntax error has line and column" test "$(python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
print(c["ok"] is False and c["diagnostics"][0]["line"] == 2 and c["diagnostics"][0]["column"] == 14 and "rules" not in c)' "$tmp/check.json")" = True
"$ls" check --rules "$tmp/nope.json" --json >"$tmp/check.json" 2>/dev/null; rc=$?
check "check --json on a missing file exit 1 with an error object" test $rc -eq 1 -a "$(python3 -c '
import json, sys; print("cannot open" in json.load(open(sys.argv[1]))["error"]["message"])' "$tmp/check.json")" = True
"$ls" check --rules "$repo/samples/b2b-rules.json" --json --format text >/dev/null 2>&1
check "check --json --format text exit 2" test $? -eq 2

# --delimiter and --date-order
"$ls" score --rules "$repo/samples/bank-rules.json" --leads "$bank" --delimiter ';' --out "$tmp/semi.csv" 2>"$tmp/err"; rc=$?
check "--delimiter ';' on bank-full exit 0" test $rc -eq 0
check "--delimiter ';' = detected" cmp -s "$tmp/semi.csv" "$tmp/bank.csv"
"$ls" score --rules "$repo/samples/bank-rules.json" --leads "$bank" --delimiter , --out "$tmp/comma.csv" 2>"$tmp/err"; rc=$?
check "--delimiter , on bank-full reads one column: its rules are skipped" contains "$tmp/err" "warning: skipping rule 'management' (field 'job')"
printf 'id\tjob\n1\tmanagement\n' >"$tmp/tab.txt"
"$ls" score --rules "$tmp/bad.json" --leads "$tmp/tab.txt" --delimiter tab --format ndjson 2>/dev/null >"$tmp/tab.out"
check "--delimiter tab" contains "$tmp/tab.out" '"job":"management"'
"$ls" score --rules "$tmp/bad.json" --leads "$tmp/tab.txt" --delimiter '\t' --format ndjson 2>/dev/null >"$tmp/tab2.out"
check "--delimiter \\t = tab" cmp -s "$tmp/tab.out" "$tmp/tab2.out"
"$ls" score --rules "$tmp/bad.json" --leads "$tmp/tab.txt" --delimiter ';;' >/dev/null 2>"$tmp/err"; rc=$?
check "--delimiter of two characters exit 2" test $rc -eq 2
check "--delimiter error says the allowed values" contains "$tmp/err" "one character (e.g. ';' or '|'), or \\t or tab"
printf 'id,signup\n1,03/04/2024\n2,05/06/2024\n' >"$tmp/dates.csv"
printf '{"rules": [{"id": "april", "points": 10, "when": {">=": [{"var": "signup"}, "2024-04-01"]}}]}' >"$tmp/dates.json"
"$ls" score --rules "$tmp/dates.json" --leads "$tmp/dates.csv" --format ndjson >"$tmp/mdy.out" 2>"$tmp/err"
check "dates default to month first" contains "$tmp/mdy.out" '"signup":"2024-03-04"'
check "... with a note" contains "$tmp/err" "read as month/day/year"
"$ls" score --rules "$tmp/dates.json" --leads "$tmp/dates.csv" --date-order DMY --format ndjson >"$tmp/dmy.out" 2>"$tmp/err"
check "--date-order DMY reads day first" test "$(grep -c -e '"signup":"2024-04-03"' -e '"signup":"2024-06-05"' "$tmp/dmy.out")" -eq 2
check "--date-order DMY changes the score" test "$(grep -c '"total":10' "$tmp/dmy.out")" -eq 2
check "--date-order DMY without the note" test "$(grep -c 'month/day' "$tmp/err")" -eq 0
"$ls" score --rules "$tmp/dates.json" --leads "$tmp/dates.csv" --date-order YMD >/dev/null 2>"$tmp/err"; rc=$?
check "--date-order YMD exit 2" test $rc -eq 2
check "--date-order error names the allowed values" contains "$tmp/err" "DMY, MDY or auto"

# CRM files: formatted numbers, --decimal, identifiers as text, empty rows, sep=, the round trip
printf 'sep=;\nname;amount;zip;phone\nA;1.234,5;02139;+44 20 7946 0958\n;;;\nB;"2,5";10001;-5\n' >"$tmp/crm.csv"
printf '{"rules": [{"id": "big", "points": 10, "when": {">": [{"var": "amount"}, 100]}}]}' >"$tmp/crm.json"
"$ls" score --rules "$tmp/crm.json" --leads "$tmp/crm.csv" --out "$tmp/crm-out.csv" 2>"$tmp/err"; rc=$?
check "crm: exit 0" test $rc -eq 0
check "crm: sep= line sets the delimiter" contains "$tmp/crm-out.csv" "name,amount,zip,phone,score"
check "crm: decimal comma noted" contains "$tmp/err" '"amount" read as numbers written like "1.234,5": thousands separator ".", decimal comma'
check "crm: empty row counted" contains "$tmp/err" "1 row with no values (only delimiters) skipped"
check "crm: 1.234,5 scores as 1234.5" contains "$tmp/crm-out.csv" 'A,"1.234,5",02139,+44 20 7946 0958,10,'
check "crm: cells written as read (no apostrophe on phones, negatives)" contains "$tmp/crm-out.csv" 'B,"2,5",10001,-5,0,'
"$ls" score --rules "$tmp/crm.json" --leads "$tmp/crm-out.csv" --out "$tmp/crm-again.csv" 2>"$tmp/err"
check "crm: re-scoring an export replaces its score columns" cmp -s "$tmp/crm-out.csv" "$tmp/crm-again.csv"
check "crm: ... and says so" contains "$tmp/err" "(an earlier export) are replaced by the new ones"
"$ls" score --rules "$tmp/crm.json" --leads "$tmp/crm.csv" --decimal . --format ndjson 2>/dev/null >"$tmp/crm-point.out"
check "crm: --decimal . reads 1.234,5 as text (not a number under a decimal point)" contains "$tmp/crm-point.out" '"amount":"1.234,5"'
"$ls" score --rules "$tmp/crm.json" --leads "$tmp/crm.csv" --decimal x >/dev/null 2>"$tmp/err"; rc=$?
check "crm: --decimal x exit 2" test $rc -eq 2
"$ls" score --rules "$tmp/crm.json" --leads "$tmp/crm.csv" --keep zip,NAME --add score,tier --rename "score=Lead Score,name=Full Name" --out "$tmp/crm-cols.csv" 2>"$tmp/err"; rc=$?
check "export columns: exit 0" test $rc -eq 0
check "export columns: kept in table order, chosen added, renamed" test "$(head -1 "$tmp/crm-cols.csv" | tr -d '\r')" = "Full Name,zip,Lead Score,tier"
check "export columns: rows" contains "$tmp/crm-cols.csv" 'A,02139,10,All'
"$ls" score --rules "$tmp/crm.json" --leads "$tmp/crm.csv" --keep nope --out "$tmp/crm-none.csv" 2>"$tmp/err"; rc=$?
check "export columns: an unknown --keep column exit 1" test $rc -eq 1
check "export columns: ... named" contains "$tmp/err" "no column 'nope' to keep"
check "export columns: ... before --out is written" test ! -e "$tmp/crm-none.csv"
"$ls" score --rules "$tmp/crm.json" --leads "$tmp/crm.csv" --add score,stars >/dev/null 2>"$tmp/err"; rc=$?
check "export columns: an unknown --add item names the choices" contains "$tmp/err" "choose from score, groups, tier"
"$ls" score --rules "$tmp/crm.json" --leads "$tmp/crm.csv" --keep zip --format json >/dev/null 2>"$tmp/err"; rc=$?
check "export columns: --keep with json exit 2" test $rc -eq 2

# a rule reading a missing column: skipped with a warning, the rest scored; --strict: exit 1
printf '{"rules": [{"id": "dm", "points": 20, "when": {"==": [{"var": "jobb"}, "management"]}}, {"id": "mgmt", "points": 5, "when": {"==": [{"var": "job"}, "management"]}}]}' >"$tmp/half.json"
"$ls" score --rules "$tmp/half.json" --leads "$bank" --out "$tmp/half.csv" 2>"$tmp/err"; rc=$?
check "missing column: exit 0" test $rc -eq 0
check "missing column: warning names rule and field" contains "$tmp/err" "warning: skipping rule 'dm' (field 'jobb'): unknown field 'jobb'"
check "missing column: says what was skipped" contains "$tmp/err" "skipped 1 rule reading columns the leads lack (dm)"
check "missing column: every lead scored" test "$(wc -l <"$tmp/half.csv")" -eq 45212
check "missing column: the other rule fires" contains "$tmp/half.csv" ",mgmt +5"
check "missing column: reasons never name the skipped rule" test "$(grep -c 'dm ' "$tmp/half.csv")" -eq 0
"$ls" explain --rules "$tmp/half.json" --leads "$bank" --lead 1 --format json >"$tmp/half-explain.json" 2>/dev/null
check "missing column: explain ledger without the skipped rule" test "$(python3 -c '
import json, sys; l = json.load(open(sys.argv[1])); print([r["id"] for r in l["rules"]] == ["mgmt"] and l["total"] == 5)' "$tmp/half-explain.json")" = True
"$ls" score --rules "$tmp/half.json" --leads "$bank" --strict --out "$tmp/half2.csv" >/dev/null 2>&1
check "missing column under --strict exit 1" test $? -eq 1
"$ls" compare --rules "$repo/samples/bank-rules.json" --rules-b "$tmp/half.json" --leads "$bank" --format json >/dev/null 2>"$tmp/err"; rc=$?
check "compare skips B's missing-column rule too" test $rc -eq 0
check "compare names B's skipped rule" contains "$tmp/err" "skipping rule 'dm'"
printf '{"rules": [{"id": "dm", "points": 20, "when": {"==": [{"var": "jobb"}, "management"]}}, {"id": "bad", "points": 1, "per": "job"}]}' >"$tmp/two.json"
"$ls" score --rules "$tmp/two.json" --leads "$bank" >/dev/null 2>"$tmp/err"; rc=$?
check "a missing column beside another error still exit 1" test $rc -eq 1

# Limits while reading (issue 28): an endless stream stops at a limit, it is not held whole
timeout 20 "$ls" check --rules /dev/zero >/dev/null 2>"$tmp/err"; rc=$?
check "rules from /dev/zero: exit 1 (not a hang)" test $rc -eq 1
check "rules from /dev/zero: names the 64 MiB limit" contains "$tmp/err" "/dev/zero: larger than 64 MiB"
timeout 20 "$ls" check --rules - </dev/zero >/dev/null 2>"$tmp/err"; rc=$?
check "rules from an endless stdin: exit 1" test $rc -eq 1
check "rules from an endless stdin: names the limit" contains "$tmp/err" "<stdin>: larger than 64 MiB"
timeout 20 "$ls" score --rules "$repo/samples/b2b-rules.json" --leads /dev/zero >/dev/null 2>"$tmp/err"; rc=$?
check "leads from /dev/zero: exit 1 (not a hang)" test $rc -eq 1
check "leads from /dev/zero: the file and where" contains "$tmp/err" "/dev/zero:1:1: "
timeout 20 "$ls" score --rules "$repo/samples/b2b-events-rules.json" --leads "$repo/samples/b2b-leads.csv" \
  --events /dev/zero --as-of 2025-07-01 >/dev/null 2>"$tmp/err"; rc=$?
check "events from /dev/zero: exit 1 (not a hang)" test $rc -eq 1
check "events from /dev/zero: the file and where" contains "$tmp/err" "/dev/zero:1:1: "
truncate -s 500M "$tmp/huge-rules.json"  # sparse: 500 MB of NUL bytes without using the disk
timeout 20 "$ls" score --rules "$tmp/huge-rules.json" --leads "$repo/samples/b2b-leads.csv" >/dev/null 2>"$tmp/err"; rc=$?
check "a 500 MB rule file: exit 1 at the rules limit (not after reading it)" test $rc -eq 1
check "a 500 MB rule file: names the 64 MiB limit" contains "$tmp/err" "huge-rules.json: larger than 64 MiB"
rm -f "$tmp/huge-rules.json"
tr '\0' a </dev/zero | timeout 20 "$ls" score --rules "$repo/samples/b2b-rules.json" --leads - >/dev/null 2>"$tmp/err"; rc=$?
check "an endless header line on stdin: exit 1 (not a hang)" test $rc -eq 1
check "an endless header line: the cell limit, where" contains "$tmp/err" "<stdin>:1:1: the value at line 1, field 1 is longer than 1 MiB"
{ printf 'id,'; head -c 3000000 /dev/zero | tr '\0' b; } | timeout 20 "$ls" score --rules "$repo/samples/b2b-rules.json" --leads - >/dev/null 2>"$tmp/err"; rc=$?
check "a 3 MB header cell without a line end: exit 1" test $rc -eq 1
check "a 3 MB header cell: field 2" contains "$tmp/err" "<stdin>:1:2: the value at line 1, field 2 is longer than 1 MiB"
{ printf 'id,'; head -c 1048577 /dev/zero | tr '\0' b; printf '\n1,2\n'; } >"$tmp/longhead.csv"
timeout 20 "$ls" score --rules "$repo/samples/b2b-rules.json" --leads "$tmp/longhead.csv" >/dev/null 2>"$tmp/err"; rc=$?
check "a header cell 1 byte over 1 MiB: exit 1" test $rc -eq 1
check "a header cell 1 byte over 1 MiB: the limit" contains "$tmp/err" "longhead.csv:1:2: the header of column 2 is 1,048,577 bytes long; the limit is 1 MiB per cell"

# learn (a scorecard from outcomes) and channels (docs/learn.md)
"$ls" learn --leads "$bank" --outcome y --out "$tmp/learned.json" >"$tmp/learn.txt" 2>"$tmp/err"; rc=$?
check "learn bank exit 0" test $rc -eq 0
check "learn flags duration as leakage" contains "$tmp/learn.txt" "duration (leakage): probably known only after the outcome"
check "learn prints held-out AUC" contains "$tmp/learn.txt" "held-out AUC: model 0.7"
"$ls" check --rules "$tmp/learned.json" --leads "$bank" >/dev/null 2>&1
check "the learned rule set checks against the leads" test $? -eq 0
check "the learned rule set leaves duration out" test "$(grep -c '"duration"' "$tmp/learned.json")" -eq 0
"$ls" compare --rules "$repo/samples/bank-rules.json" --rules-b "$tmp/learned.json" --leads "$bank" --outcome y --format json >"$tmp/cmp.json" 2>/dev/null
check "the learned rule set compares against the current rules" test $? -eq 0
"$ls" learn --leads "$bank" --outcome y --rules "$repo/samples/bank-rules.json" --c 0.1 --json --lead 1 >"$tmp/learn.json" 2>/dev/null
check "learn --rules --json: the rules' conditions are features" test "$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log(r.rulesAsFeatures.length>0&&r.lead.factors.length>0&&r.c===0.1)' "$tmp/learn.json")" = true
"$ls" learn --leads "$bank" --outcome y --c 0.1 --probabilities "$tmp/p.csv" >/dev/null 2>&1
check "learn --probabilities: a line per lead" test "$(wc -l <"$tmp/p.csv")" -eq 45212
check "learn --probabilities: the header" test "$(head -1 "$tmp/p.csv")" = "lead,probability,points,split"
head -600 "$bank" >"$tmp/bank600.csv"
"$ls" learn --leads "$tmp/bank600.csv" --outcome y >/dev/null 2>"$tmp/err"; rc=$?
check "learn on 599 leads: exit 1" test $rc -eq 1
check "learn on 599 leads: says the numbers" contains "$tmp/err" "needs at least 1000 leads with a known outcome and 120 conversions"
"$ls" learn --leads "$bank" --outcome nope >/dev/null 2>"$tmp/err"; rc=$?
check "learn with an unknown outcome column: exit 1" test $rc -eq 1
"$ls" learn --leads "$bank" >/dev/null 2>"$tmp/err"; rc=$?
check "learn without outcomes: usage (exit 2)" test $rc -eq 2
"$ls" learn --leads "$bank" --outcome y --base-odds 1:0 >/dev/null 2>"$tmp/err"; rc=$?
check "learn --base-odds 1:0: usage (exit 2)" test $rc -eq 2
"$ls" channels --rules "$repo/samples/bank-rules.json" --leads "$bank" --by contact --outcome y >"$tmp/ch.txt" 2>/dev/null; rc=$?
check "channels exit 0" test $rc -eq 0
check "channels lists the values with conversion and lift" contains "$tmp/ch.txt" "cellular: 29285 leads"
"$ls" channels --rules "$repo/samples/bank-rules.json" --leads "$bank" --by contact --outcome y --json >"$tmp/ch.json" 2>/dev/null
check "channels --json: leads add up" test "$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log(r.channels.reduce((a,c)=>a+c.leads,0))' "$tmp/ch.json")" = 45211
"$ls" channels --rules "$repo/samples/bank-rules.json" --leads "$bank" >/dev/null 2>&1
check "channels without --by: usage (exit 2)" test $? -eq 2
# sql: the rule set as one query (docs/sql.md); the query itself runs in tests/js/sql-engines.test.mjs
"$ls" sql --rules "$repo/samples/bank-rules.json" --dialect bigquery --data "$bank" --leads-table 'crm.leads' >"$tmp/bank.sql" 2>"$tmp/err"; rc=$?
check "sql bank exit 0" test $rc -eq 0
check "sql reads the named table" contains "$tmp/bank.sql" 'FROM `crm`.`leads` AS l'
check "sql has a column per rule" contains "$tmp/bank.sql" 'AS `points_student_or_retired`'
check "sql has score and tier" contains "$tmp/bank.sql" ' AS `tier` FROM ls_total'
check "sql has the total" contains "$tmp/bank.sql" ' AS `score` FROM ls_groups'
"$ls" sql --rules "$repo/samples/bank-rules.json" --dialect duckdb --data "$bank" --out "$tmp/bank-duck.sql" 2>/dev/null
check "sql --out writes the file" contains "$tmp/bank-duck.sql" '"points_student-or-retired"'
"$ls" sql --rules "$repo/samples/bank-rules.json" --dialect oracle >/dev/null 2>"$tmp/err"; rc=$?
check "sql unknown dialect: usage, exit 2" test $rc -eq 2
check "sql unknown dialect: lists the dialects" contains "$tmp/err" "duckdb, postgres, bigquery, snowflake or spark"
"$ls" sql --rules "$repo/samples/bank-rules.json" >/dev/null 2>"$tmp/err"; rc=$?
check "sql without --dialect: exit 2" test $rc -eq 2
printf '{"rules":[{"id":"txt","points":1,"when":{"<":[{"var":"job"},5]}}]}' >"$tmp/refuse.json"
"$ls" sql --rules "$tmp/refuse.json" --dialect postgres --data "$bank" >"$tmp/refused.sql" 2>"$tmp/err"; rc=$?
check "sql refusal: exit 1" test $rc -eq 1
check "sql refusal: nothing written" test ! -s "$tmp/refused.sql"
check "sql refusal: names the rule and the construct" contains "$tmp/err" "rules[0].when (rule 'txt'): rule 'txt': '<' between a text field and a number"
"$ls" sql --rules "$repo/samples/b2b-events-rules.json" --dialect snowflake --data "$repo/samples/b2b-leads.csv" >/dev/null 2>"$tmp/err"; rc=$?
check "sql event rules without --as-of: exit 1" test $rc -eq 1
check "sql event rules without --as-of: says so" contains "$tmp/err" "no as-of date is set"
"$ls" sql --rules "$repo/samples/b2b-events-rules.json" --dialect spark --data "$repo/samples/b2b-leads.csv" --events "$repo/samples/b2b-events.csv" --as-of 2024-03-31 >"$tmp/ev.sql" 2>"$tmp/err"; rc=$?
check "sql event rules: exit 0" test $rc -eq 0
check "sql event rules: day differences in Spark's order" contains "$tmp/ev.sql" "DATEDIFF(DATE '2024-03-31', CAST("

# cmake --install: the binary and the man page
build=$(cd "$(dirname "$ls")/.." && pwd)
if [ -f "$build/cmake_install.cmake" ]; then
  cmake --install "$build" --prefix "$tmp/inst" >/dev/null 2>&1
  check "install puts the binary in bin" test -x "$tmp/inst/bin/leadscore"
  check "install puts the man page in share/man/man1" test -f "$tmp/inst/share/man/man1/leadscore.1"
  if command -v groff >/dev/null; then
    groff -man -Tutf8 -ww -z "$tmp/inst/share/man/man1/leadscore.1" 2>"$tmp/groff"
    check "man page renders without warnings" test ! -s "$tmp/groff"
  fi
fi

echo "$pass passed, $fail failed"
test $fail -eq 0
