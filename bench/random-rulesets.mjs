// Speed over generated rule sets: K seeded random rule sets (tests/js/random-rules.mjs: 10-30
// realistic rules over e-mail, URL, country, source, size, revenue, sparse score, date, boolean
// and sparse partner-code columns) scored over N leads by leadscore wasm in Node and by the fast
// plain-JS baseline (bench/plainjs.mjs). Totals are compared lead by lead; the distribution of
// speed-ups (worst, median, best) goes to bench/RANDOM.md (and build/random-rulesets.json).
//
//   node --expose-gc bench/random-rulesets.mjs [N=1000000] [--sets 100] [--runs 3] [--warmup 3] [--chromium]
// --chromium: the same sets in headless Chromium too (bench/browser/random.html), a second column.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compareTotals } from './engines.mjs';
import { plainScorer, uniformRows } from './plainjs.mjs';
import { root } from './gen-leads.mjs';
import { pageResult, timedRuns, withBrowser } from './harness.mjs';
import { makeLeads, randomRuleSet } from '../tests/js/random-rules.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const N = Number(argv.find((a) => /^\d+$/.test(a)) ?? 1000000);
const SETS = Number(opt('--sets', 100));
const RUNS = Number(opt('--runs', 3));
const WARMUP = Number(opt('--warmup', 3));
const modulePath = opt('--module', join(root, 'dist', 'leadscore.mjs'));

const timed = (f) => timedRuns(f, RUNS, WARMUP);

const mod = await import(pathToFileURL(modulePath).href);
const ls = await mod.load();
const { rows, csv } = makeLeads(N, 29);
const urows = uniformRows(rows);
const leads = ls.loadLeads(csv, { rules: randomRuleSet(1) });
const out = [];
for (let seed = 1; seed <= SETS; ++seed) {
  const rs = randomRuleSet(seed);
  const js = plainScorer(rs);
  const j = timed(() => js(urows));
  const w = timed(() => {
    const s = ls.score(leads, rs);
    const t = s.totals();
    s.dispose();
    return t;
  });
  const c = compareTotals(j.last, w.last);
  out.push({ seed, rules: rs.rules.length, js: j.ms, wasm: w.ms, ratio: j.ms / w.ms, mismatches: c.mismatches });
  console.log(
    `seed ${String(seed).padStart(3)} ${String(rs.rules.length).padStart(2)} rules  js ${j.ms.toFixed(1).padStart(7)} ms  wasm ${w.ms.toFixed(1).padStart(7)} ms  ${(j.ms / w.ms).toFixed(1).padStart(5)}x${c.mismatches ? '  MISMATCH ' + c.why : ''}`,
  );
}
leads.dispose();
writeFileSync(join(root, 'build', 'random-rulesets.json'), JSON.stringify({ n: N, sets: out }, null, 1));

const chromium = argv.includes('--chromium')
  ? await withBrowser((browser, base) =>
      pageResult(
        browser,
        `${base}/bench/browser/random.html?n=${N}&sets=${SETS}&runs=${RUNS}&warmup=${WARMUP}`,
        'randomResult',
        3600000,
      ),
    )
  : null;
if (chromium) writeFileSync(join(root, 'build', 'random-rulesets-chromium.json'), JSON.stringify(chromium, null, 1));

const f = (x) => `${x.ratio.toFixed(1)}× (seed ${x.seed}: ${x.wasm.toFixed(0)} ms vs ${x.js.toFixed(0)} ms)`;
const spread = (sets) => {
  const by = [...sets].sort((a, b) => a.ratio - b.ratio);
  const pct = (p) => by[Math.min(by.length - 1, Math.floor(p * by.length))];
  return { by, rows: [by[0], pct(0.1), pct(0.5), by[by.length - 1]].map(f) };
};
const node = spread(out);
const web = chromium && spread(chromium.sets);
const below = (s) =>
  s.by
    .filter((x) => x.ratio < 5)
    .map((x) => x.seed)
    .join(', ') || 'none';
const differ = (sets) => sets.filter((x) => x.mismatches).length;
const L = [
  '# Generated rule sets: leadscore wasm vs plain JS',
  '',
  `Written by \`node --expose-gc bench/random-rulesets.mjs ${N} --sets ${SETS} --runs ${RUNS} --warmup ${WARMUP}${chromium ? ' --chromium' : ''}\` (Node ${process.version}${chromium ? `, ${chromium.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? 'Chromium'}` : ''},`,
  `${new Date().toISOString().slice(0, 10)}; median of ${RUNS} runs after ${WARMUP} warm-ups). ${SETS} seeded rule sets from`,
  'tests/js/random-rules.mjs (10–30 rules each) over the same leads; plain JS = bench/plainjs.mjs (one loop, every',
  'condition inlined, rows of one shape). leadscore = `ls.score(leads, rules)` + `totals()`. Totals compared lead by',
  `lead: ${differ(out)} of ${SETS} rule sets differ in Node${chromium ? `, ${differ(chromium.sets)} in Chromium` : ''}.`,
  '',
  chromium ? '| | Node | Chromium |' : '| | speed-up |',
  chromium ? '|---|---|---|' : '|---|---|',
  ...['worst', '10th percentile', 'median', 'best'].map(
    (label, i) => `| ${label} | ${node.rows[i]} |${web ? ` ${web.rows[i]} |` : ''}`,
  ),
  '',
  `Goal: worst ≥ 5×, median ≥ 10×. Rule sets below 5× in Node: ${below(node)}.${web ? ` In Chromium: ${below(web)}.` : ''}`,
  '',
];
if (SETS >= 20) writeFileSync(join(root, 'bench', 'RANDOM.md'), L.join('\n'));
console.log(L.join('\n'));
