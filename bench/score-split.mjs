// Where one `ls.score(leads, rules)` + `totals()` spends its time (bench/SHAPES.md's header):
// the per-call cost without any rule, the setRules call with one rule, the totals() copy, and
// dispose(), each the median of N runs in one Node process over the shape benchmark's leads.
// The split inside the core (parse, compile, evaluate, sums, results) is from a native profile:
// `--csv FILE` writes the leads and `--rules-dir DIR` one rule set per cell for leadscore_bench.
//
//   node --expose-gc bench/score-split.mjs [N] [--only REGEX] [--runs 7] [--csv F --rules-dir D]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './gen-leads.mjs';
import { median } from './harness.mjs';
import { uniformRows } from './plainjs.mjs';
import { CELLS, ruleSetOf } from './shapes.mjs';
import { makeLeads } from '../tests/js/random-rules.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const N = Number(argv.find((a) => /^\d+$/.test(a)) ?? 1000000);
const RUNS = Number(opt('--runs', 7));
const only = new RegExp(opt('--only', '^(email == text|email in substring|country in list|employees <|demo var)'));

const mod = await import(pathToFileURL(opt('--module', join(root, 'dist', 'leadscore.mjs'))).href);
const ls = await mod.load();
const { csv, rows: leadRows } = makeLeads(N, 29);
// --keep-rows: keep the leads as JS objects alive, as bench/shapes.mjs does (a large JS heap).
const kept = argv.includes('--keep-rows') ? uniformRows(leadRows) : null;
if (argv.includes('--csv')) writeFileSync(opt('--csv'), csv);
const leads = ls.loadLeads(csv, { rules: ruleSetOf(null) });
const gc = argv.includes('--no-gc') ? () => {} : (globalThis.gc ?? (() => {}));

// --cpu: CPU time of this process (user + system) instead of wall time, which on a shared machine
// also counts the time other processes had the core.
const cpu = argv.includes('--cpu');
const now = () => {
  if (!cpu) return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// Median ms of each step of score + totals + dispose for one rule set.
function split(rs) {
  const t = { score: [], totals: [], dispose: [] };
  for (let i = 0; i <= RUNS; ++i) {
    gc();
    const t0 = now();
    const s = ls.score(leads, rs);
    const t1 = now();
    s.totals();
    const t2 = now();
    s.dispose();
    const t3 = now();
    if (i) (t.score.push(t1 - t0), t.totals.push(t2 - t1), t.dispose.push(t3 - t2));
  }
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)]));
}

const noRules = { ...ruleSetOf(null), rules: [] };
const rows = [['(no rules)', split(noRules)]];
for (const [col, op, when] of CELLS) if (only.test(`${col} ${op}`)) rows.push([`${col} ${op}`, split(ruleSetOf(when))]);
rows.push(['(no rules, again: after the first calls grew the memory)', split(noRules)]);
if (argv.includes('--rules-dir')) {
  const dir = opt('--rules-dir');
  mkdirSync(dir, { recursive: true });
  CELLS.forEach(([, , when], k) =>
    writeFileSync(join(dir, `${String(k).padStart(3, '0')}.json`), JSON.stringify(ruleSetOf(when))),
  );
}
leads.dispose();
if (kept) console.log(`(kept ${kept.length} row objects alive)`);
console.log(`${N} leads, median of ${RUNS} runs (${cpu ? 'CPU' : 'wall'} ms)`);
console.log('| rule set | score() | totals() | dispose() | sum |');
console.log('|---|---:|---:|---:|---:|');
for (const [name, t] of rows)
  console.log(
    `| ${name} | ${t.score.toFixed(1)} | ${t.totals.toFixed(1)} | ${t.dispose.toFixed(1)} | ${(t.score + t.totals + t.dispose).toFixed(1)} |`,
  );
