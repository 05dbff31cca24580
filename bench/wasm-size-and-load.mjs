#!/usr/bin/env node
// WebAssembly build: size, load time, boundary-call cost, scoring speed vs native.
//
//   node bench/wasm-size-and-load.mjs             # measure dist/ (results: bench/WASM.md)
//   node bench/wasm-size-and-load.mjs --quick     # fewer repetitions
//   node bench/wasm-size-and-load.mjs --json      # machine-readable
//   node bench/wasm-size-and-load.mjs --module some/dir/leadscore.mjs [--wasm some/dir/leadscore.wasm]
//                                                 # another build (e.g. a flag experiment)
//   node bench/wasm-size-and-load.mjs --no-native # skip the native comparison
//   node bench/wasm-size-and-load.mjs --compare BUILD_DIR... [--rounds N]
//                                                 # flag experiments side by side (see below)
//
// Measures
//  1. raw and gzip -9 size of dist/leadscore.mjs (single file: loader + inlined wasm + facade)
//     and of dist/split/leadscore.{mjs,wasm}; brotli too, for reference;
//  2. module load time in Node: import + instantiate, median of 10 fresh processes;
//  3. the cost of one boundary call: ns per ls.apply of a tiny expression, and per
//     scorer.totals() on the 45,211 bank leads (a 353 KB typed-array copy);
//  4. on bank-full.csv (45,211 leads) with samples/bank-rules.json: the first load and score in
//     the process (cold: V8 runs wasm in its baseline tier first), then, after a few untimed
//     rounds, medians of load, full score (ls.score), a one-rule edit that changes a condition
//     (1 condition re-evaluated), one that changes only points (0 re-evaluated), a disable/enable;
//  5. the same with the native core: the CLI's own "load + score" time, and (if g++ and
//     build/native/core/libleadscore_core.a are there) a small in-process harness built on the
//     fly that times load, score and the same two edits.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants as zc, gzipSync } from 'node:zlib';

// The native side of item 5: the same core, timed in-process (compiled on the fly with g++ -O3
// against build/native/core/libleadscore_core.a). Prints JSON.
const NATIVE_HARNESS = String.raw`
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>
#include "leadscore/rules.h"
#include "leadscore/scorer.h"
#include "leadscore/table.h"
using namespace leadscore;
using clk = std::chrono::steady_clock;
static double since(clk::time_point t) { return std::chrono::duration<double, std::milli>(clk::now() - t).count(); }
static double median(std::vector<double> v) { std::sort(v.begin(), v.end()); size_t n = v.size(); return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2; }
static std::string slurp(const char* p) { std::ifstream f(p, std::ios::binary); std::stringstream s; s << f.rdbuf(); return s.str(); }
int main(int argc, char** argv) {
  std::string data = slurp(argv[1]), rules_text = slurp(argv[2]);
  int n = argc > 3 ? std::atoi(argv[3]) : 9;
  RuleSet rs = parse_rule_set(rules_text);
  std::vector<double> load, score, cond, points;
  std::shared_ptr<Table> t;
  for (int i = 0; i < std::min(n, 5); ++i) { auto t0 = clk::now(); t = std::make_shared<Table>(load_table(data, rs.load_options())); load.push_back(since(t0)); }
  for (int i = 0; i < n; ++i) { auto t0 = clk::now(); Scorer s(t); s.set_rules(rules_text); score.push_back(since(t0)); }
  Scorer s(t);
  s.set_rules(rules_text);
  nlohmann::json rule = to_json(rs.rules[rs.rule_index("balance-1000")]);
  for (int i = 0; i < 2 * n; ++i) {
    nlohmann::json r = rule; r["when"] = {{">=", {{{"var", "balance"}}, i % 2 ? 1500 : 1000}}};
    auto t0 = clk::now(); s.replace_rule("balance-1000", r); cond.push_back(since(t0));
  }
  for (int i = 0; i < 2 * n; ++i) {
    nlohmann::json r = rule; r["points"] = 10 + i % 2;
    auto t0 = clk::now(); s.replace_rule("balance-1000", r); points.push_back(since(t0));
  }
  std::printf("{\"leads\": %zu, \"loadMs\": %.3f, \"scoreMs\": %.3f, \"editConditionMs\": %.3f, \"editPointsMs\": %.3f}\n",
              t->rows, median(load), median(score), median(cond), median(points));
}
`;

const root = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const flag = (f) => args.includes(f);
const opt = (f, d) => (args.includes(f) ? args[args.indexOf(f) + 1] : d);
const QUICK = flag('--quick');
const JSON_OUT = flag('--json');

const SINGLE = join(root, 'dist/leadscore.mjs');
const SPLIT = join(root, 'dist/split/leadscore.mjs');
const SPLIT_WASM = join(root, 'dist/split/leadscore.wasm');
const MODULE = opt('--module', existsSync(SINGLE) ? SINGLE : null);
const MODULE_WASM = opt(
  '--wasm',
  MODULE && MODULE !== SINGLE && existsSync(MODULE.replace(/\.mjs$/, '.wasm'))
    ? MODULE.replace(/\.mjs$/, '.wasm')
    : null,
);
const BANK = join(root, 'tests/data/bank-marketing/bank-full.csv');
const BANK_RULES = join(root, 'samples/bank-rules.json');
const CLI = join(root, 'build/native/cli/leadscore');
const CORE_LIB = join(root, 'build/native/core/libleadscore_core.a');

const log = (...a) => JSON_OUT || console.error(...a);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const time = (fn) => {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const ms = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(1));

if (!MODULE || !existsSync(MODULE)) {
  console.error(
    'dist/leadscore.mjs is missing: build it first (cmake --build build/wasm --target leadscore_single leadscore_split)',
  );
  process.exit(2);
}
const out = { module: MODULE, node: process.version, date: new Date().toISOString().slice(0, 10) };

// ---- --compare: several builds side by side (flag experiments) ------------------------------------
// node bench/wasm-size-and-load.mjs --compare DIR_OR_MJS [DIR_OR_MJS ...]
// Each is a split build (leadscore.mjs + leadscore.wasm) or a single file. Every round starts one
// fresh Node process per build, in turn (so background load hits all alike), which times: module
// load, the first (cold) bank load and score, then the fastest of 6 warm rounds of load, score,
// condition edit, points edit, top(10) and apply. Reported: the median over rounds of each.
if (flag('--compare')) {
  const targets = [];
  for (const a of args.slice(args.indexOf('--compare') + 1)) {
    if (a.startsWith('--')) break;
    targets.push(a);
  }
  const resolve = (t) => {
    const mjs = t.endsWith('.mjs') ? t : join(t, 'leadscore.mjs');
    const wasm = mjs.replace(/\.mjs$/, '.wasm');
    return { name: t, mjs, wasm: existsSync(wasm) ? wasm : null };
  };
  const child = (m) => `
    import { readFileSync } from 'node:fs';
    const T = (f) => { const t0 = performance.now(); f(); return performance.now() - t0; };
    const t0 = performance.now();
    const mod = await import(${JSON.stringify(pathToFileURL(m.mjs).href)});
    const ls = await mod.load(${m.wasm ? `{ wasmBinary: readFileSync(${JSON.stringify(m.wasm)}) }` : '{}'});
    const r = { moduleMs: performance.now() - t0 };
    const bytes = readFileSync(${JSON.stringify(BANK)});
    const rules = readFileSync(${JSON.stringify(BANK_RULES)}, 'utf8');
    const target = JSON.parse(rules).rules.find((x) => x.id === 'balance-1000');
    let leads, s;
    r.coldLoadMs = T(() => (leads = ls.loadLeads(bytes, { rules })));
    r.coldScoreMs = T(() => (s = ls.score(leads, rules)));
    const w = { loadMs: [], scoreMs: [], editConditionMs: [], editPointsMs: [], top10Ms: [], applyUs: [] };
    for (let i = 0; i < 6; i++) {
      s.dispose(); leads.dispose();
      w.loadMs.push(T(() => (leads = ls.loadLeads(bytes, { rules }))));
      w.scoreMs.push(T(() => (s = ls.score(leads, rules))));
      w.editConditionMs.push(T(() => s.replaceRule(target.id, { ...target, when: { '>=': [{ var: 'balance' }, 1000 + 500 * (1 + (i % 2))] } })));
      w.editPointsMs.push(T(() => s.replaceRule(target.id, { ...target, when: { '>=': [{ var: 'balance' }, 1000 + 500 * (1 + (i % 2))] }, points: 11 + i })));
      w.top10Ms.push(T(() => s.top(10)));
      w.applyUs.push(T(() => { for (let k = 0; k < 1000; k++) ls.apply({ '==': [1, 1] }); }));
    }
    for (const [k, v] of Object.entries(w)) r[k] = Math.min(...v);
    console.log(JSON.stringify(r));`;
  const ms2 = targets.map(resolve);
  const rounds = Number(opt('--rounds', QUICK ? 2 : 3));
  const res = ms2.map(() => []);
  for (let r = 0; r < rounds; r++)
    ms2.forEach((m, k) => {
      const p = spawnSync(process.execPath, ['--input-type=module', '-e', child(m)], { encoding: 'utf8' });
      if (p.status !== 0) throw new Error(`${m.name}: ${p.stderr}`);
      res[k].push(JSON.parse(p.stdout.trim().split('\n').pop()));
      log(`round ${r + 1}: ${m.name} done`);
    });
  const rows = ms2.map((m, k) => {
    const w = m.wasm ? readFileSync(m.wasm) : null;
    const j = readFileSync(m.mjs);
    const wasmGz = w ? gzipSync(w, { level: 9 }).length : null;
    // Single-file size: the split loader plus the wasm as base64, as -sSINGLE_FILE=1 lays it out.
    const singleGz = w
      ? gzipSync(Buffer.concat([j, Buffer.from(w.toString('base64'))]), { level: 9 }).length
      : gzipSync(j, { level: 9 }).length;
    const med = Object.fromEntries(Object.keys(res[k][0]).map((key) => [key, median(res[k].map((x) => x[key]))]));
    return { name: m.name, wasmRaw: w?.length ?? null, wasmGz, singleGz, ...med };
  });
  if (JSON_OUT) console.log(JSON.stringify(rows, null, 2));
  else {
    console.log(
      `| build | wasm raw | wasm gz | single file gz (est.) | module load | cold load + score | warm load | warm score | edit: condition | edit: points | top(10) | apply |`,
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of rows)
      console.log(
        `| ${r.name} | ${r.wasmRaw ? kb(r.wasmRaw) : '–'} | ${r.wasmGz ? kb(r.wasmGz) : '–'} | ${kb(r.singleGz)} (${r.singleGz.toLocaleString('en')} B) | ${ms(r.moduleMs)} ms | ${ms(r.coldLoadMs)} + ${ms(r.coldScoreMs)} ms | ${ms(r.loadMs)} ms | ${ms(r.scoreMs)} ms | ${ms(r.editConditionMs)} ms | ${ms(r.editPointsMs)} ms | ${ms(r.top10Ms)} ms | ${r.applyUs.toFixed(1)} µs |`,
      );
  }
  process.exit(0);
}

// ---- 1. sizes -----------------------------------------------------------------------------------
function size(file) {
  if (!existsSync(file)) return null;
  const b = readFileSync(file);
  return {
    file: file.startsWith(root) ? file.slice(root.length) : file,
    raw: b.length,
    gzip: gzipSync(b, { level: 9 }).length,
    brotli: brotliCompressSync(b, { params: { [zc.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}
out.sizes = (MODULE === SINGLE ? [SINGLE, SPLIT, SPLIT_WASM] : [MODULE, MODULE_WASM])
  .filter(Boolean)
  .map(size)
  .filter(Boolean);
log('sizes:', out.sizes);

// ---- 2. load time in fresh processes --------------------------------------------------------------
function loadTimes(moduleFile, wasmFile, runs) {
  const script = `
    import { readFileSync } from 'node:fs';
    const t0 = performance.now();
    const m = await import(${JSON.stringify(pathToFileURL(moduleFile).href)});
    const t1 = performance.now();
    const opts = ${wasmFile ? `{ wasmBinary: readFileSync(${JSON.stringify(wasmFile)}) }` : '{}'};
    const ls = await m.load(opts);
    const t2 = performance.now();
    ls.apply({ '==': [1, 1] });
    console.log(JSON.stringify({ import: t1 - t0, instantiate: t2 - t1, total: t2 - t0 }));`;
  const rs = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const wall = performance.now() - t0;
    if (r.status !== 0) throw new Error(`load failed: ${r.stderr}`);
    rs.push({ ...JSON.parse(r.stdout.trim().split('\n').pop()), process: wall });
  }
  const m = (k) => median(rs.map((r) => r[k]));
  return { runs, importMs: m('import'), instantiateMs: m('instantiate'), totalMs: m('total'), processMs: m('process') };
}
const RUNS = QUICK ? 3 : 10;
out.load = { module: loadTimes(MODULE, MODULE_WASM, RUNS) };
if (MODULE === SINGLE && existsSync(SPLIT) && existsSync(SPLIT_WASM))
  out.load.split = loadTimes(SPLIT, SPLIT_WASM, RUNS);
{
  const r = spawnSync(process.execPath, ['-e', '0']);
  const base = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    base.push(performance.now() - t0);
  }
  out.load.emptyNodeProcessMs = median(base);
  void r;
}
log('load:', out.load);

// ---- 3/4. in-process: call cost, scoring -----------------------------------------------------------
const mod = await import(pathToFileURL(MODULE).href);
const ls = await mod.load(MODULE_WASM ? { wasmBinary: readFileSync(MODULE_WASM) } : {});

function perCall(fn, calls, reps) {
  fn();
  const r = [];
  for (let k = 0; k < reps; k++)
    r.push(
      (time(() => {
        for (let i = 0; i < calls; i++) fn();
      }) *
        1e6) /
        calls,
    );
  return median(r);
}
out.calls = { applyTinyNs: perCall(() => ls.apply({ '==': [1, 1] }), QUICK ? 5000 : 20000, 7) };
out.calls.applyWithDataNs = perCall(
  () => ls.apply({ in: [{ var: 'title' }, ['CEO', 'CTO']] }, { title: 'CTO' }),
  QUICK ? 5000 : 20000,
  7,
);

if (existsSync(BANK)) {
  const bytes = readFileSync(BANK);
  const rulesText = readFileSync(BANK_RULES, 'utf8');
  const rules = JSON.parse(rulesText);
  const N = QUICK ? 3 : 9;
  const bank = { leads: 0, bytes: bytes.length };

  // Cold: the first load and score in this process. V8 first runs wasm with its baseline
  // compiler (Liftoff) and tiers hot functions up to TurboFan in the background, so the first
  // runs are several times slower than later ones. Warm: medians after a few untimed rounds.
  let leads;
  bank.coldLoadMs = time(() => (leads = ls.loadLeads(bytes, { rules: rulesText })));
  {
    let s0;
    bank.coldScoreMs = time(() => (s0 = ls.score(leads, rulesText)));
    s0.dispose();
  }
  for (let i = 0; i < (QUICK ? 2 : 4); i++) {
    leads.dispose();
    leads = ls.loadLeads(bytes, { rules: rulesText });
    ls.score(leads, rulesText).dispose();
  }
  const loadMs = [];
  for (let i = 0; i < Math.min(N, 5); i++) {
    leads.dispose();
    loadMs.push(time(() => (leads = ls.loadLeads(bytes, { rules: rulesText }))));
  }
  bank.leads = leads.rows;
  bank.loadMs = median(loadMs);

  const scoreMs = [];
  for (let i = 0; i < N; i++) {
    let s;
    scoreMs.push(time(() => (s = ls.score(leads, rulesText))));
    s.dispose();
  }
  bank.scoreMs = median(scoreMs);

  const s = ls.score(leads, rulesText);
  // One-rule edit that changes a condition: alternate between two thresholds, so each edit
  // evaluates one condition over all leads (the other one is no longer cached).
  const target = rules.rules.find((r) => r.id === 'balance-1000');
  const variants = [1000, 1500].map((v) => ({ ...target, when: { '>=': [{ var: 'balance' }, v] } }));
  const condMs = [],
    evaluated = [];
  for (let i = 0; i < N * 2; i++)
    condMs.push(time(() => evaluated.push(s.replaceRule(target.id, variants[i % 2]).evaluated)));
  bank.editConditionMs = median(condMs);
  bank.editConditionEvaluated = Math.max(...evaluated);
  // Points only: no condition is evaluated, one group is re-summed.
  s.replaceRule(target.id, variants[0]);
  const pointsMs = [],
    evaluated2 = [];
  for (let i = 0; i < N * 2; i++)
    pointsMs.push(
      time(() => evaluated2.push(s.replaceRule(target.id, { ...variants[0], points: 10 + (i % 2) }).evaluated)),
    );
  bank.editPointsMs = median(pointsMs);
  bank.editPointsEvaluated = Math.max(...evaluated2);
  const toggleMs = [];
  for (let i = 0; i < N * 2; i++) toggleMs.push(time(() => s.setEnabled('cellular', i % 2 === 1)));
  bank.toggleMs = median(toggleMs);

  out.calls.totals45kNs = perCall(() => s.totals(), QUICK ? 100 : 500, 7);
  out.calls.ledgerNs = perCall(() => s.ledger(42), QUICK ? 500 : 2000, 7);
  out.calls.top10Ns = perCall(() => s.top(10), QUICK ? 50 : 200, 7);
  out.calls.summaryNs = perCall(() => s.summary(), QUICK ? 50 : 200, 7);
  s.dispose();
  leads.dispose();
  out.bank = bank;
  log('calls:', out.calls);
  log('bank (wasm):', bank);

  // ---- 5. native ----------------------------------------------------------------------------
  const native = {};
  if (existsSync(CLI) && !flag('--no-native')) {
    const t = [];
    for (let i = 0; i < (QUICK ? 3 : 5); i++) {
      const r = spawnSync(
        CLI,
        ['score', '--rules', BANK_RULES, '--leads', BANK, '--no-reasons', '--out', '/dev/null'],
        { encoding: 'utf8' },
      );
      const m = /in ([\d.]+) ms \(load \+ score\)/.exec(r.stderr);
      if (m) t.push(Number(m[1]));
    }
    if (t.length) native.cliLoadPlusScoreMs = median(t);
  }
  if (existsSync(CORE_LIB) && !flag('--no-native')) {
    const dir = mkdtempSync(join(tmpdir(), 'leadscore-bench-'));
    try {
      const src = join(dir, 'bench.cpp');
      writeFileSync(src, NATIVE_HARNESS);
      const exe = join(dir, 'bench');
      execFileSync('g++', ['-O3', '-DNDEBUG', '-std=c++17', '-I', join(root, 'include'), src, CORE_LIB, '-o', exe], {
        stdio: 'pipe',
      });
      Object.assign(native, JSON.parse(execFileSync(exe, [BANK, BANK_RULES, String(N)]).toString()));
    } catch (e) {
      native.harnessError = String(e.stderr ?? e.message).slice(0, 300);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  out.native = native;
  log('native:', native);
}

// ---- report ---------------------------------------------------------------------------------------
if (JSON_OUT) {
  console.log(JSON.stringify(out, null, 2));
} else {
  const L = [];
  L.push(
    `Node ${out.node}, ${out.date}, module ${out.module.startsWith(root) ? out.module.slice(root.length) : out.module}`,
    '',
  );
  L.push('| file | raw | gzip -9 | brotli |', '|---|---:|---:|---:|');
  for (const s of out.sizes) L.push(`| ${s.file} | ${kb(s.raw)} | ${kb(s.gzip)} | ${kb(s.brotli)} |`);
  L.push(
    '',
    '| load in a fresh Node process (median of ' + out.load.module.runs + ') | import | instantiate | total |',
    '|---|---:|---:|---:|',
  );
  L.push(
    `| ${MODULE === SINGLE ? 'single file' : 'module'} | ${ms(out.load.module.importMs)} ms | ${ms(out.load.module.instantiateMs)} ms | ${ms(out.load.module.totalMs)} ms |`,
  );
  if (out.load.split)
    L.push(
      `| split (.mjs + .wasm via wasmBinary) | ${ms(out.load.split.importMs)} ms | ${ms(out.load.split.instantiateMs)} ms | ${ms(out.load.split.totalMs)} ms |`,
    );
  L.push('', '| boundary call | median |', '|---|---:|');
  L.push(`| ls.apply({"==":[1,1]}) | ${Math.round(out.calls.applyTinyNs)} ns |`);
  L.push(`| ls.apply({"in":[{"var":"title"},["CEO","CTO"]]}, {title}) | ${Math.round(out.calls.applyWithDataNs)} ns |`);
  if (out.calls.totals45kNs) {
    L.push(`| scorer.totals() on 45,211 leads (copy) | ${Math.round(out.calls.totals45kNs)} ns |`);
    L.push(`| scorer.ledger(i) | ${Math.round(out.calls.ledgerNs)} ns |`);
    L.push(`| scorer.top(10) on 45,211 leads | ${Math.round(out.calls.top10Ns)} ns |`);
    L.push(`| scorer.summary() on 45,211 leads | ${Math.round(out.calls.summaryNs)} ns |`);
  }
  if (out.bank) {
    const b = out.bank,
      n = out.native;
    L.push(
      '',
      `| bank-full.csv (${b.leads.toLocaleString('en')} leads, ${(b.bytes / 1e6).toFixed(1)} MB) | wasm | native |`,
      '|---|---:|---:|',
    );
    L.push(`| first load in a fresh process (cold) | ${ms(b.coldLoadMs)} ms | |`);
    L.push(`| first full score (cold) | ${ms(b.coldScoreMs)} ms | |`);
    L.push(
      `| load (parse + infer), warm median | ${ms(b.loadMs)} ms | ${n.loadMs !== undefined ? ms(n.loadMs) + ' ms' : '–'} |`,
    );
    L.push(
      `| full score (17 rules), warm median | ${ms(b.scoreMs)} ms | ${n.scoreMs !== undefined ? ms(n.scoreMs) + ' ms' : '–'} |`,
    );
    L.push(
      `| load + score, warm | ${ms(b.loadMs + b.scoreMs)} ms | ${n.cliLoadPlusScoreMs !== undefined ? ms(n.cliLoadPlusScoreMs) + ' ms (CLI)' : '–'} |`,
    );
    L.push(
      `| one-rule edit, new condition (${b.editConditionEvaluated} evaluated) | ${ms(b.editConditionMs)} ms | ${n.editConditionMs !== undefined ? ms(n.editConditionMs) + ' ms' : '–'} |`,
    );
    L.push(
      `| one-rule edit, points only (${b.editPointsEvaluated} evaluated) | ${ms(b.editPointsMs)} ms | ${n.editPointsMs !== undefined ? ms(n.editPointsMs) + ' ms' : '–'} |`,
    );
    L.push(`| disable/enable a rule | ${ms(b.toggleMs)} ms | – |`);
    if (n.harnessError) L.push('', `native harness: ${n.harnessError}`);
  }
  console.log(L.join('\n'));
}
