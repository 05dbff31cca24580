#!/usr/bin/env node
// The benchmark: leadscore against the JavaScript rule engines people would use instead, on the
// same synthetic B2B leads (bench/gen-leads.mjs) and the same rule set (bench/rules.json).
// Longer than our ~600-line guide: it is the one script that runs every engine and writes
// RESULTS.md's generated part; its engines are in engines.mjs, its data in gen-leads.mjs.
//
//   node bench/run.mjs            full run (~10 min on the 2-core machine); rewrites the generated
//                                 part of bench/RESULTS.md
//   node bench/run.mjs --quick    fewer runs, smaller sizes (100k only); writes nothing unless --out
//   node bench/run.mjs --check    correctness only, small N: every engine adapter must give
//                                 identical totals (checksum + per lead); no timing; exit 1 if not
//   options: --out FILE  --json FILE  --no-browser  --no-native  --sizes 100000,1000000
//            --before DIR/leadscore.mjs   also measure another build of the module (score at every
//                                         size, edit at the largest): a before/after table
//
// Every engine's totals are compared with the hand-written JS scorer's, lead by lead, before its
// times are reported; an engine that differs is reported as FAILED and its time is not used.
// Each JS/wasm measurement runs in a fresh Node process (bench/proc.mjs); native runs
// build/native/bench/leadscore_bench; Chromium is Debian's /usr/bin/chromium through
// playwright-core, on pages from bench/browser/ served from 127.0.0.1.
//
// Longer than our ~600-line guide (since Prettier's wrapping; ~450 lines before): one script that
// runs and then reports, the report reading the run's constants. Split it when a full run (~10
// min) can check that RESULTS.md comes out the same.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { compareTotals as compare } from './engines.mjs';
import { DATA_DIR, DATA_VERSION, ensureData, root } from './gen-leads.mjs';
import { pageResult, proc, withBrowser } from './harness.mjs';

const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const opt = (f, d) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : d);
const CHECK = flag('--check'),
  QUICK = flag('--quick');
const NATIVE_BIN = join(root, 'build', 'native', 'bench', 'leadscore_bench');
const CHROMIUM = '/usr/bin/chromium';
const RULES = join(root, 'bench', 'rules.json');
const ruleSet = JSON.parse(readFileSync(RULES, 'utf8'));
const EDIT = {
  id: 'right-size',
  a: { '<=': [50, { var: 'company_size' }, 2000] },
  b: { '<=': [100, { var: 'company_size' }, 5000] },
};

// Sizes and repetitions.
const SIZES = CHECK
  ? [2000]
  : opt('--sizes', QUICK ? '100000' : '100000,1000000')
      .split(',')
      .map(Number);
const BIG = SIZES[SIZES.length - 1];
// V8 runs wasm (and JS) first in a baseline tier and optimises hot code in the background: at
// 100k leads the first leadscore runs are 2-8x slower than the rest. Since the kernels read
// narrow column storage (more, smaller functions to tier up) the steady state comes after 9-11
// runs (it was 5-7): 12 warm-up runs for every engine measured with REPS.
const REPS = CHECK ? { warmup: 0, runs: 1 } : QUICK ? { warmup: 10, runs: 3 } : { warmup: 12, runs: 5 };
const SLOW = CHECK ? { warmup: 0, runs: 1 } : { warmup: 1, runs: 3 };
const RULES_ENGINE_N = 2000;
const BEFORE = opt('--before', null); // json-rules-engine is async and ~1.5 ms per lead: capped
// Engines measured at each size (slow interpreters only up to 100k).
const JS_ENGINES = [
  ['hand-written', () => true, REPS],
  ['json-logic-engine (compiled)', () => true, REPS],
  ['json-logic-engine (interpreted)', (n) => n <= 100000, SLOW],
  ['json-logic-js', (n) => n <= 100000, SLOW],
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b),
    k = s.length >> 1;
  return s.length ? (s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2) : NaN;
};
const log = (...a) => console.error('[bench]', ...a);
const totalsPath = (name, n) => join(DATA_DIR, `totals-${name.replace(/[^a-z0-9]+/gi, '_')}-${n}.f64`);
const readTotals = (p) => {
  const b = readFileSync(p);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

function native(n, extra = []) {
  const r = spawnSync(
    NATIVE_BIN,
    [
      '--rules',
      RULES,
      '--leads',
      join(DATA_DIR, `leads-v${DATA_VERSION}-${n}.csv`),
      '--warmup',
      String(REPS.warmup),
      '--runs',
      String(REPS.runs),
      '--load-runs',
      String(CHECK ? 1 : 3),
      ...extra,
    ],
    { encoding: 'utf8', maxBuffer: 16 << 20 },
  );
  if (r.status !== 0) throw new Error(`leadscore_bench failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// ------------------------------------------------------------------ the run
const results = {
  date: new Date().toISOString(),
  sizes: SIZES,
  reps: REPS,
  engines: {},
  edit: {},
  ingest: {},
  failures: [],
};
const record = (name, n, entry) => ((results.engines[name] ??= {})[n] = entry);

function checkAgainst(ref, name, n, got, extra = {}) {
  const c = compare(ref, got);
  const entry = { ...extra, mismatches: c.mismatches };
  const refSum = results.engines['hand-written'][n].checksum;
  if (c.mismatches || entry.checksum !== refSum) {
    entry.failed = c.mismatches
      ? `${c.mismatches} leads differ from the hand-written scorer (${c.why})`
      : `checksum ${entry.checksum} differs from the hand-written scorer's ${refSum}`;
    results.failures.push(`${name} at ${n}: ${entry.failed}`);
    log('FAILED', name, n, entry.failed);
  }
  record(name, n, entry);
  return entry;
}

async function main() {
  const t0 = Date.now();
  results.machine = {
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAvgStart: os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' '),
  };
  try {
    results.machine.emcc = execFileSync('emcc', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    /* not installed */
  }
  try {
    results.machine.gxx = execFileSync('g++', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    /* not installed */
  }
  const pkg = (p) => JSON.parse(readFileSync(join(root, 'node_modules', p, 'package.json'), 'utf8')).version;
  results.versions = Object.fromEntries(
    ['json-logic-js', 'json-logic-engine', 'json-rules-engine', 'papaparse', 'playwright-core'].map((p) => [p, pkg(p)]),
  );
  if (!existsSync(join(root, 'dist', 'leadscore.mjs')))
    throw new Error('dist/leadscore.mjs is missing: run ./scripts/build.sh wasm first');
  const haveNative = !flag('--no-native') && existsSync(NATIVE_BIN);
  const haveBrowser = !flag('--no-browser') && existsSync(CHROMIUM);
  if (!haveNative) results.failures.push(`native engine not run (${NATIVE_BIN} missing or --no-native)`);
  if (!haveBrowser) results.failures.push('Chromium engine not run (/usr/bin/chromium missing or --no-browser)');

  log('generating data', [...SIZES, RULES_ENGINE_N].join(', '));
  for (const n of new Set([...SIZES, RULES_ENGINE_N])) await ensureData(n);

  const refs = {};
  const reference = (n) => {
    if (refs[n]) return refs[n];
    const p = totalsPath('hand-written', n);
    const r = proc({ task: 'score', engine: 'hand-written', n, ...REPS, totals: p });
    record('hand-written', n, { ms: r.ms, checksum: r.checksum, mismatches: 0 });
    log('hand-written', n, median(r.ms).toFixed(1), 'ms');
    return (refs[n] = readTotals(p));
  };

  // 1. Full scoring.
  for (const n of SIZES) {
    const ref = reference(n);
    for (const [name, when, reps] of JS_ENGINES.slice(1)) {
      if (!when(n)) continue;
      const p = totalsPath(name, n);
      const r = proc({ task: 'score', engine: name, n, ...reps, totals: p });
      checkAgainst(ref, name, n, readTotals(p), { ms: r.ms, checksum: r.checksum });
      log(name, n, median(r.ms).toFixed(1), 'ms');
    }
    {
      const p = totalsPath('wasm', n);
      const r = proc({ task: 'score', engine: 'leadscore-wasm', n, ...REPS, totals: p });
      checkAgainst(ref, 'leadscore wasm (Node)', n, readTotals(p), { ms: r.ms, checksum: r.checksum });
      log('leadscore wasm (Node)', n, median(r.ms).toFixed(1), 'ms');
    }
    if (BEFORE) {
      const p = totalsPath('wasm-before', n);
      const r = proc({ task: 'score', engine: 'leadscore-wasm', module: BEFORE, n, ...REPS, totals: p });
      checkAgainst(ref, 'leadscore wasm, before', n, readTotals(p), { ms: r.ms, checksum: r.checksum });
      log('leadscore wasm, before', n, median(r.ms).toFixed(1), 'ms');
    }
    if (haveNative) {
      const p = totalsPath('native', n);
      const r = native(n, [
        '--totals',
        p,
        ...(n === BIG
          ? ['--edit', EDIT.id, '--edit-a', JSON.stringify(EDIT.a), '--edit-b', JSON.stringify(EDIT.b)]
          : []),
      ]);
      checkAgainst(ref, 'leadscore native', n, readTotals(p), { ms: r.scoreMs, checksum: r.checksum });
      results.ingest[n] = { ...(results.ingest[n] ?? {}), native: { ms: r.loadMs }, nativeTableBytes: r.tableBytes };
      if (r.editMs) results.edit.native = { ms: r.editMs, evaluated: r.editEvaluated, summary: r.editSummary };
      log('leadscore native', n, median(r.scoreMs).toFixed(1), 'ms');
    }
  }
  // json-rules-engine, capped.
  {
    const n = RULES_ENGINE_N,
      ref = reference(n),
      p = totalsPath('json-rules-engine', n);
    const r = proc({ task: 'score', engine: 'json-rules-engine', n, ...SLOW, totals: p });
    checkAgainst(ref, 'json-rules-engine', n, readTotals(p), { ms: r.ms, checksum: r.checksum });
    log('json-rules-engine', n, median(r.ms).toFixed(1), 'ms');
  }

  // 2. One-rule edit at the largest size, with tier counts and histogram.
  {
    const n = BIG;
    const w = proc({ task: 'edit', engine: 'leadscore-wasm', n, ...REPS, edit: EDIT });
    const h = proc({ task: 'edit', engine: 'hand-written', n, ...(CHECK ? REPS : SLOW), edit: EDIT });
    if (BEFORE) {
      const b = proc({ task: 'edit', engine: 'leadscore-wasm', module: BEFORE, n, ...REPS, edit: EDIT });
      results.edit.before = { ms: b.ms, summary: b.summary };
    }
    results.edit.n = n;
    results.edit.wasm = { ms: w.ms, evaluated: w.evaluated, summary: w.summary };
    results.edit.handWritten = { ms: h.ms, summary: h.summary };
    const same = (a, b) => JSON.stringify([a.tiers, a.histogram]) === JSON.stringify([b.tiers, b.histogram]);
    for (const [name, s] of [
      ['leadscore wasm (Node)', w.summary],
      ['leadscore wasm: JS recount of its totals', w.check],
      ['leadscore native', results.edit.native?.summary],
    ])
      if (s && !same(s, h.summary))
        results.failures.push(
          `edit at ${n}: ${name} tier counts/histogram ${JSON.stringify(s)} differ from the hand-written scorer's ${JSON.stringify(h.summary)}`,
        );
    log('edit', n, 'wasm', median(w.ms).toFixed(2), 'ms; hand-written', median(h.ms).toFixed(1), 'ms');
  }

  // 3. Ingestion; 4. memory.
  for (const n of SIZES) {
    const r = proc({ task: 'ingest', n, ...(n > 100000 ? SLOW : REPS) });
    results.ingest[n] = { ...(results.ingest[n] ?? {}), ...r };
    if (r.leadscore.rows !== n || r.papaparse.rows !== n || (r.jsonParse && r.jsonParse.rows !== n))
      results.failures.push(
        `ingest at ${n}: row counts leadscore ${r.leadscore.rows}, PapaParse ${r.papaparse.rows}, JSON ${r.jsonParse?.rows}`,
      );
    log(
      'ingest',
      n,
      'leadscore',
      median(r.leadscore.ms).toFixed(1),
      'PapaParse',
      median(r.papaparse.ms).toFixed(1),
      'JSON.parse',
      median(r.jsonParse?.ms ?? []).toFixed(1),
    );
  }
  results.memory = proc({ task: 'memory', n: BIG });
  log('memory', JSON.stringify(results.memory));

  // 5. Module size; Chromium (scoring, edit, first scores).
  const single = readFileSync(join(root, 'dist', 'leadscore.mjs'));
  results.size = { raw: single.length, gzip: gzipSync(single, { level: 9 }).length };
  const splitWasm = join(root, 'dist', 'split', 'leadscore.wasm');
  if (existsSync(splitWasm)) {
    const w = readFileSync(splitWasm);
    results.size.wasmRaw = w.length;
    results.size.wasmGzip = gzipSync(w, { level: 9 }).length;
  }
  if (haveBrowser) {
    await withBrowser(async (browser, base) => {
      results.machine.chromium = browser.version();
      for (const n of SIZES) {
        const ref = reference(n);
        const q = new URLSearchParams({
          csv: `/build/bench-data/leads-v${DATA_VERSION}-${n}.csv`,
          rules: '/bench/rules.json',
          expected: '/' + totalsPath('hand-written', n).slice(root.length),
          warmup: REPS.warmup,
          runs: REPS.runs,
          loadRuns: CHECK ? 1 : 3,
        });
        if (n === BIG) q.set('edit', JSON.stringify(EDIT));
        const r = await pageResult(browser, `${base}/bench/browser/score.html?${q}`, 'benchResult');
        const entry = { ms: r.scoreMs, checksum: r.checksum, mismatches: r.mismatches };
        if (r.mismatches || r.leads !== ref.length || r.checksum !== results.engines['hand-written'][n].checksum) {
          entry.failed = `${r.mismatches} leads differ from the hand-written scorer (first: lead ${r.first})`;
          results.failures.push(`leadscore wasm (Chromium) at ${n}: ${entry.failed}`);
        }
        record('leadscore wasm (Chromium)', n, entry);
        results.ingest[n].chromium = { ms: r.loadMs };
        if (n === BIG) {
          results.edit.chromium = { ms: r.editMs, summary: r.summary };
          const h = results.edit.handWritten.summary;
          if (JSON.stringify([r.summary.tiers, r.summary.histogram]) !== JSON.stringify([h.tiers, h.histogram]))
            results.failures.push(`edit at ${n}: Chromium tier counts/histogram differ from the hand-written scorer's`);
        }
        log('leadscore wasm (Chromium)', n, median(r.scoreMs).toFixed(1), 'ms');
      }
      const first = [];
      for (let i = 0; i < (CHECK ? 1 : 7); ++i)
        first.push(await pageResult(browser, `${base}/bench/browser/first-scores.html`, 'firstScores', 60000));
      if (first.some((f) => f.leads !== 3000))
        results.failures.push(`first scores page scored ${first[0].leads} leads, expected 3000`);
      results.firstScores = Object.fromEntries(
        ['imported', 'fetched', 'instantiated', 'loaded', 'scored', 'painted'].map((k) => [k, first.map((f) => f[k])]),
      );
      log('first scores (ms since navigation start)', median(results.firstScores.scored).toFixed(0));
    });
  }
  results.machine.loadAvgEnd = os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
  results.seconds = Math.round((Date.now() - t0) / 1000);
}

// ------------------------------------------------------------------ report
const fmt = (x, d = 1) =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '–';
const int = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const ratio = (x) =>
  Number.isFinite(x) ? (x >= 100 ? int(x) : x >= 10 ? fmt(x, 0) : x >= 0.1 ? fmt(x, 2) : x.toPrecision(2)) + '×' : '–';

function report() {
  const R = results,
    L = [];
  const lps = (e, n) => n / (median(e.ms) / 1000);
  L.push(
    `Generated by \`node bench/run.mjs\` on ${R.date.slice(0, 10)} in ${R.seconds} s. Medians of ${R.reps.runs} runs after ${R.reps.warmup} warm-up runs`,
    `(json-logic-js, json-logic-engine interpreted, json-rules-engine and the 1M ingestion: 3 runs after 1); every ratio compares`,
    `numbers from this same run.`,
    '',
  );
  const m = R.machine;
  L.push(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB, ${m.os}; load average ${m.loadAvgStart} at the start, ${m.loadAvgEnd} at the end`,
    `(the machine is shared: expect ±30 % between runs). Node ${m.node}; Chromium ${m.chromium ?? '–'}; ${m.emcc ?? 'emcc –'}; ${m.gxx ?? ''}.`,
    `Engines: ${Object.entries(R.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
  );
  if (R.failures.length) L.push('**Problems in this run:**', '', ...R.failures.map((f) => `- ${f}`), '');

  L.push(
    '### 1. Full scoring throughput',
    '',
    `${ruleSet.rules.length} rules (bench/rules.json) on the same leads. Every engine's totals were compared lead by lead with the`,
    `hand-written scorer's (checksum = FNV-1a of the totals' bytes) before its time was counted. leadscore: \`ls.score(leads, rules)\` +`,
    '`totals()` from a table already in wasm memory (parse the rule set, compile, evaluate every rule, sum, tiers); JS engines: row',
    'objects already in memory → Float64Array of totals.',
    '',
  );
  const names = [
    'leadscore native',
    'leadscore wasm (Node)',
    'leadscore wasm (Chromium)',
    'hand-written',
    'json-logic-engine (compiled)',
    'json-logic-engine (interpreted)',
    'json-logic-js',
    'json-rules-engine',
  ];
  const sizes = [...new Set([...R.sizes, RULES_ENGINE_N])].sort((a, b) => a - b);
  L.push(
    `| engine | ${R.sizes.map((n) => `${int(n)} leads: ms | leads/s | vs hand-written`).join(' | ')} | identical |`,
  );
  L.push(`|---|${R.sizes.map(() => '---:|---:|---:').join('|')}|---|`);
  for (const name of names) {
    const e = R.engines[name];
    if (!e) continue;
    const cells = R.sizes.map((n) => {
      const x = e[n] ?? (name === 'json-rules-engine' ? e[RULES_ENGINE_N] : null);
      const nn = e[n] ? n : RULES_ENGINE_N;
      if (!x || x.failed) return x?.failed ? 'FAILED | | ' : '– | – | –';
      const hw = R.engines['hand-written'][n];
      return `${fmt(median(x.ms), median(x.ms) < 100 ? 1 : 0)}${nn !== n ? ` (${int(nn)} leads)` : ''} | ${int(lps(x, nn))} | ${ratio(lps(x, nn) / lps(hw, n))}`;
    });
    const checked = sizes
      .filter((n) => e[n])
      .map((n) => `${e[n].failed ? 'NO' : 'yes'} (${int(n)})`)
      .join(', ');
    L.push(`| ${name} | ${cells.join(' | ')} | ${checked} |`);
  }
  L.push('');
  const sp = (a, b, n) =>
    R.engines[a]?.[n] && R.engines[b]?.[n] ? median(R.engines[b][n].ms) / median(R.engines[a][n].ms) : NaN;
  for (const n of R.sizes)
    L.push(
      `At ${int(n)}: leadscore wasm (Node) is ${ratio(sp('leadscore wasm (Node)', 'hand-written', n))} the hand-written scorer, ` +
        `${ratio(sp('leadscore wasm (Node)', 'json-logic-js', n))} json-logic-js, ${ratio(sp('leadscore wasm (Node)', 'json-logic-engine (compiled)', n))} compiled json-logic-engine; ` +
        `wasm takes ${ratio(sp('leadscore native', 'leadscore wasm (Node)', n))} native's time (Chromium: ${ratio(sp('leadscore native', 'leadscore wasm (Chromium)', n))}).`,
    );
  L.push('');

  const E = R.edit;
  if (E.n) {
    L.push(
      `### 2. One-rule edit at ${int(E.n)} leads`,
      '',
      `Replace rule \`${EDIT.id}\`'s condition (alternating \`${JSON.stringify(EDIT.a)}\` and \`${JSON.stringify(EDIT.b)}\`), then the tier counts and`,
      'the 20-bin histogram of totals the page draws. leadscore: `scorer.replaceRule()` + `scorer.summary({bins: 20})` (re-evaluates the one',
      'changed condition, re-sums its group); the hand-written scorer has no incremental path: it re-scores every lead, then counts.',
      'Tier counts and histograms were compared: identical in every engine' +
        (R.failures.some((f) => f.startsWith('edit')) ? ' **except as listed above**.' : '.'),
      '',
    );
    L.push('| engine | median ms | vs hand-written | conditions re-evaluated |', '|---|---:|---:|---:|');
    const hw = median(E.handWritten.ms);
    for (const [name, x] of [
      ['leadscore native', E.native],
      ['leadscore wasm (Node)', E.wasm],
      ['leadscore wasm (Chromium)', E.chromium],
      ['hand-written (full re-score)', E.handWritten],
    ])
      if (x)
        L.push(
          `| ${name} | ${fmt(median(x.ms), 2)} | ${ratio(hw / median(x.ms))} | ${x.evaluated ?? (name.startsWith('leadscore wasm (C') ? 1 : 'all')} |`,
        );
    L.push('');
  }

  L.push(
    '### 3. Ingestion: text → rows/table',
    '',
    'leadscore: `ls.loadLeads(csvText, {rules})` (CSV parse, missing tokens, type inference, dictionary encoding into wasm memory);',
    'PapaParse: `Papa.parse(csvText, {header: true, dynamicTyping: true, skipEmptyLines: true})` (objects with numbers, booleans only for',
    '"true"/"false", no missing tokens); `JSON.parse` of the same rows as a JSON array (bench/gen-leads.mjs\'s JSON file, typed values).',
    '',
  );
  L.push(
    '| leads | CSV | leadscore native | leadscore wasm (Node) | leadscore wasm (Chromium) | PapaParse | JSON.parse (JSON size) | wasm vs PapaParse | wasm vs JSON.parse |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const n of R.sizes) {
    const g = R.ingest[n];
    if (!g?.leadscore) continue;
    const w = median(g.leadscore.ms),
      p = median(g.papaparse.ms),
      j = g.jsonParse ? median(g.jsonParse.ms) : NaN;
    L.push(
      `| ${int(n)} | ${fmt(g.csvBytes / 1e6, 1)} MB | ${fmt(median(g.native?.ms ?? []), 0)} ms | ${fmt(w, 0)} ms | ${fmt(median(g.chromium?.ms ?? []), 0)} ms | ${fmt(p, 0)} ms | ${fmt(j, 0)} ms (${fmt((g.jsonBytes ?? NaN) / 1e6, 0)} MB) | ${ratio(p / w)} | ${ratio(j / w)} |`,
    );
  }
  L.push('');

  const M = R.memory;
  if (M) {
    L.push(
      `### 4. Memory per lead (${int(M.leads)} leads, ${M.columns} columns)`,
      '',
      '| what | bytes | per lead |',
      '|---|---:|---:|',
      `| leadscore table in wasm memory (malloc'd bytes in use after loading minus before) | ${int(M.wasmTableBytes)} | **${fmt(M.wasmTableBytes / M.leads, 1)}** |`,
      `| wasm linear memory after loading (peak, incl. parse buffers; never shrinks) | ${int(M.wasmHeapBytes)} | ${fmt(M.wasmHeapBytes / M.leads, 1)} |`,
      `| leadscore table natively (glibc malloc in use) | ${int(R.ingest[M.leads]?.nativeTableBytes)} | ${fmt(R.ingest[M.leads]?.nativeTableBytes / M.leads, 1)} |`,
      `| JS heap: the same rows as objects (JSON) | ${int(M.jsHeapBytes)} | ${fmt(M.jsHeapBytes / M.leads, 1)} |`,
      `| JS heap: PapaParse rows (dynamicTyping) | ${int(M.papaHeapBytes)} | ${fmt(M.papaHeapBytes / M.leads, 1)} |`,
      '',
      `The JS rows take ${ratio(M.jsHeapBytes / M.wasmTableBytes)} the memory of the wasm table.`,
      '',
    );
  }

  if (R.engines['leadscore wasm, before']) {
    const b = R.engines['leadscore wasm, before'],
      a = R.engines['leadscore wasm (Node)'];
    L.push(
      `### Before / after (same run): \`${BEFORE}\` vs \`dist/leadscore.mjs\``,
      '',
      '| measurement | before | after | speed-up |',
      '|---|---:|---:|---:|',
    );
    for (const n of R.sizes)
      if (b[n] && a[n])
        L.push(
          `| full score, ${int(n)} leads (ms) | ${fmt(median(b[n].ms), 1)} | ${fmt(median(a[n].ms), 1)} | ${ratio(median(b[n].ms) / median(a[n].ms))} |`,
        );
    if (E.before && E.wasm)
      L.push(
        `| one-rule edit + summary, ${int(E.n)} leads (ms) | ${fmt(median(E.before.ms), 2)} | ${fmt(median(E.wasm.ms), 2)} | ${ratio(median(E.before.ms) / median(E.wasm.ms))} |`,
      );
    L.push('');
  }
  L.push('### 5. Module size and first scores in Chromium', '');
  if (R.size) {
    L.push(
      `\`dist/leadscore.mjs\` (single file, wasm inlined): ${int(R.size.raw)} B raw, **${int(R.size.gzip)} B gzip -9** (${fmt(R.size.gzip / 1024, 0)} KiB).`,
    );
    if (R.size.wasmRaw)
      L.push(`\`dist/split/leadscore.wasm\`: ${int(R.size.wasmRaw)} B raw, ${int(R.size.wasmGzip)} B gzip -9.`);
    L.push('');
  }
  if (R.firstScores) {
    const f = R.firstScores;
    L.push(
      '`bench/browser/first-scores.html`, a fresh browser context each time (no cache), served from 127.0.0.1: import the module,',
      'fetch samples/b2b-leads.csv (3,000 leads) and its rule set, instantiate, load, score, paint. Milliseconds since navigation start,',
      `median of ${f.scored.length}:`,
      '',
      '| module imported | data fetched | instantiated | leads loaded | **scored** | painted |',
      '|---:|---:|---:|---:|---:|---:|',
      `| ${['imported', 'fetched', 'instantiated', 'loaded', 'scored', 'painted'].map((k) => (k === 'scored' ? `**${int(median(f[k]))}**` : int(median(f[k])))).join(' | ')} |`,
      '',
    );
  }
  return L.join('\n');
}

function targets() {
  const R = results,
    L = [];
  const med = (name, n) => median(R.engines[name]?.[n]?.ms ?? []);
  const n = R.sizes[R.sizes.length - 1];
  const row = (what, goal, got, ok) =>
    L.push(`| ${what} | ${goal} | ${got} | ${ok === null ? '–' : ok ? 'met' : '**missed**'} |`);
  L.push('| target | goal | measured (this run) | |', '|---|---|---|---|');
  const wasm = (m) => med('leadscore wasm (Node)', m);
  const hw = med('hand-written', n) / wasm(n);
  row(`scoring vs hand-written JS (${int(n)})`, '≥ 10×', ratio(hw), hw >= 10);
  const jl = med('json-logic-js', 100000) / wasm(100000);
  row('scoring vs json-logic-js (100k)', '≥ 300×', ratio(jl), Number.isFinite(jl) ? jl >= 300 : null);
  const nat = wasm(n) / med('leadscore native', n);
  row(`wasm (Node) time vs native (${int(n)})`, '≤ 1.5×', ratio(nat), Number.isFinite(nat) ? nat <= 1.5 : null);
  const ed = median(R.edit.wasm?.ms ?? []);
  row(
    `one-rule edit incl. tiers + histogram, wasm (${int(R.edit.n)})`,
    '≤ 10 ms',
    `${fmt(ed, 2)} ms (Chromium ${fmt(median(R.edit.chromium?.ms ?? []), 2)} ms, native ${fmt(median(R.edit.native?.ms ?? []), 2)} ms)`,
    ed <= 10,
  );
  const g = R.ingest[n];
  const ing = g ? median(g.papaparse.ms) / median(g.leadscore.ms) : NaN;
  row(`CSV ingestion vs PapaParse (${int(n)})`, '≥ 10×', ratio(ing), Number.isFinite(ing) ? ing >= 10 : null);
  const mem = R.memory ? R.memory.wasmTableBytes / R.memory.leads : NaN;
  row(
    `table memory per lead (${R.memory?.columns} columns)`,
    '≤ 100 B',
    `${fmt(mem, 1)} B`,
    Number.isFinite(mem) ? mem <= 100 : null,
  );
  return L.join('\n');
}

await main();
if (flag('--json') || opt('--json'))
  writeFileSync(opt('--json', join(DATA_DIR, 'results.json')), JSON.stringify(results, null, 1));
if (CHECK) {
  const engines = Object.entries(results.engines).flatMap(([name, e]) =>
    Object.entries(e).map(([n, x]) => ({ name, n, ok: !x.failed })),
  );
  for (const e of engines) console.log(`${e.ok ? 'ok' : 'FAILED'}  ${e.name} (${e.n} leads)`);
  console.log(JSON.stringify({ engines, failures: results.failures }));
  process.exit(results.failures.length ? 1 : 0);
}
const text = `## Targets\n\n${targets()}\n\n${report()}`;
const out = opt('--out', QUICK ? null : join(root, 'bench', 'RESULTS.md'));
if (out) {
  const START = '<!-- generated by bench/run.mjs: start -->',
    END = '<!-- generated by bench/run.mjs: end -->';
  const old = existsSync(out) ? readFileSync(out, 'utf8') : `# Benchmark results\n\n${START}\n${END}\n`;
  const a = old.indexOf(START),
    b = old.indexOf(END);
  const next =
    a >= 0 && b > a
      ? old.slice(0, a + START.length) + '\n' + text + '\n' + old.slice(b)
      : old + `\n${START}\n${text}\n${END}\n`;
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, next);
  log('wrote', out);
}
console.log(text);
if (results.failures.length) process.exitCode = 1;
