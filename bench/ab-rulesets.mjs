// Two builds of the module on the generated rule sets, in one sitting: each set's calls alternate
// between build A and build B in one Node process, so a machine that speeds up or slows down
// moves both. Whole-set ratios from separate runs of bench/random-rulesets.mjs move by ±30 %
// between runs (bench/RANDOM.md); this is how a change to the core is measured instead.
//
//   node bench/ab-rulesets.mjs A.mjs B.mjs [SETS=1-30 | seeds... | rules.json...] [--n 5] [--leads 1000000]
//
// A and B are single-file builds (dist/leadscore.mjs): build one, copy it aside, build the other.
// Prints, per set, the median time of A and of B (ls.score + totals(), after two warm-ups) and
// B / A, then the sums. Totals are compared lead by lead: a set where A and B differ is marked.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compareTotals } from './engines.mjs';
import { median } from './timing.mjs';
import { makeLeads, randomRuleSet } from '../tests/js/random-rules.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const N = Number(opt('--n', 5));
const LEADS = Number(opt('--leads', 1000000));
const positional = argv.filter((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
const [a, b, ...which] = positional;
if (!a || !b) {
  console.error('usage: node bench/ab-rulesets.mjs A.mjs B.mjs [1-30 | seeds | rules.json ...] [--n 5]');
  process.exit(2);
}

const seedRange = (spec) => {
  const [p, q] = spec.split('-').map(Number);
  return Array.from({ length: q - p + 1 }, (_, i) => p + i);
};
const sets = (which.length ? which : ['1-30']).flatMap((x) => {
  if (x.endsWith('.json')) return [[x, JSON.parse(readFileSync(x, 'utf8'))]];
  const seeds = x.includes('-') ? seedRange(x) : [Number(x)];
  return seeds.map((s) => [`seed ${s}`, randomRuleSet(s)]);
});

const builds = [];
for (const path of [a, b]) builds.push(await (await import(pathToFileURL(resolve(path)).href)).load());
const { csv } = makeLeads(LEADS, 29);
const leads = builds.map((ls) => ls.loadLeads(csv, { rules: randomRuleSet(1) }));

const call = (k, rs) => {
  const t0 = performance.now();
  const s = builds[k].score(leads[k], rs);
  const totals = s.totals();
  s.dispose();
  return { ms: performance.now() - t0, totals };
};

let sumA = 0;
let sumB = 0;
for (const [name, rs] of sets) {
  const times = [[], []];
  const last = [];
  for (let i = 0; i < N + 2; ++i)
    for (const k of [0, 1]) {
      const r = call(k, rs);
      if (i >= 2) times[k].push(r.ms);
      last[k] = r.totals;
    }
  const ma = median(times[0]);
  const mb = median(times[1]);
  sumA += ma;
  sumB += mb;
  const differ = compareTotals(last[0], last[1]).mismatches;
  console.log(
    `${name.padEnd(16)} A ${ma.toFixed(1).padStart(7)} ms  B ${mb.toFixed(1).padStart(7)} ms  ${(mb / ma).toFixed(2)}${differ ? `  TOTALS DIFFER (${differ} leads)` : ''}`,
  );
}
console.log(`sum              A ${sumA.toFixed(0)} ms  B ${sumB.toFixed(0)} ms  ${(sumB / sumA).toFixed(3)}`);
for (const l of leads) l.dispose();
