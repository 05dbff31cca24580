#!/usr/bin/env node
// Cost of the metrics calls on bank-full.csv (45,211 leads) with samples/bank-rules.json, in
// WebAssembly (dist/leadscore.mjs) and natively (the CLI), all in one run (results: bench/METRICS.md).
//
//   node bench/metrics.mjs [--rounds N]
//
// WebAssembly, after 3 untimed rounds, medians of N rounds (default 15) of:
//   score         ls.score(leads, rules)              (the reference: a full score)
//   evaluate, new outcomes  leads.outcomes('y') + evaluate: the per-column leakage scan runs
//   evaluate      scorer.evaluate(outcomes)           (the scan is kept with the outcomes: reused)
//   evaluate -L   scorer.evaluate(outcomes, {leakage: false})
//   compare       ls.compare(a, b, {movers: 20})      (no outcomes)
//   compare+O     ls.compare(a, b, {outcomes, capacity: 4000})  (two evaluations included)
//   edit+evaluate b.replaceRule(one points change) then evaluate -L: the page's "live" loop
// Native: medians of N runs of the CLI (load + score + report, whole process): score
// --no-reasons to /dev/null vs evaluate --format json.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const path = (rel) => fileURLToPath(new URL(rel, import.meta.url));
const DIST = path('../dist/leadscore.mjs');
const CLI = path('../build/native/cli/leadscore');
const BANK = path('../tests/data/bank-marketing/bank-full.csv');
const RULES = path('../samples/bank-rules.json');
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 15;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
function time(fn) {
  for (let i = 0; i < 3; i++) fn();
  const t = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

const out = {};
if (existsSync(DIST)) {
  const ls = await (await import(pathToFileURL(DIST).href)).load();
  const rules = readFileSync(RULES, 'utf8');
  const leads = ls.loadLeads(readFileSync(BANK), { rules });
  const outcomes = leads.outcomes('y');
  const rb = JSON.parse(rules);
  rb.rules.find((r) => r.id === 'targeted-month').points = 30;
  const a = ls.score(leads, rules),
    b = ls.score(leads, rb);
  out.score = time(() => ls.score(leads, rules).dispose());
  out['evaluate, new outcomes'] = time(() => {
    const o = leads.outcomes('y');
    a.evaluate(o);
    o.dispose();
  });
  out.evaluate = time(() => a.evaluate(outcomes));
  out['evaluate -L'] = time(() => a.evaluate(outcomes, { leakage: false }));
  out.compare = time(() => ls.compare(a, b, { movers: 20 }));
  out['compare+O'] = time(() => ls.compare(a, b, { outcomes, capacity: 4000, evaluate: { leakage: false } }));
  let p = 30;
  out['edit+evaluate'] = time(() => {
    p = p === 30 ? 31 : 30;
    b.replaceRule('targeted-month', { ...rb.rules.find((r) => r.id === 'targeted-month'), points: p });
    b.evaluate(outcomes, { leakage: false });
  });
} else {
  console.error('dist/leadscore.mjs is missing: ./scripts/build.sh wasm');
}
if (existsSync(CLI)) {
  const run = (...args) => time(() => execFileSync(CLI, args, { stdio: ['ignore', 'ignore', 'ignore'] }));
  out['native score (process)'] = run('score', '--rules', RULES, '--leads', BANK, '--no-reasons', '--out', '/dev/null');
  out['native evaluate (process)'] = run(
    'evaluate',
    '--rules',
    RULES,
    '--leads',
    BANK,
    '--outcome',
    'y',
    '--format',
    'json',
  );
}
for (const [k, v] of Object.entries(out)) console.log(`${k.padEnd(28)} ${v.toFixed(1).padStart(8)} ms`);
if (out.score)
  console.log(
    `evaluate / score ${(out.evaluate / out.score).toFixed(2)}x, evaluate -L / score ${(out['evaluate -L'] / out.score).toFixed(2)}x`,
  );
