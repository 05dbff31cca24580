#!/usr/bin/env node
// Time and memory of learning a scorecard (docs/learn.md) in WebAssembly (dist/leadscore.mjs)
// under Node, and optionally in Chromium (--chromium): 50,000 leads with known outcomes,
// 5-fold cross-validation over the default 6 values of C, then the final fit and the scorecard.
// Results: bench/LEARN.md. Not a test: the machine is shared, so figures are noisy.
//
//   node bench/learn.mjs [--rounds N] [--chromium]
//
// Two shapes of "100 features" (seeded synthetic leads whose outcome follows a logistic model):
//   A  20 number columns, 5 quantile bins each: 100 design columns, 20 active per lead
//   B  100 yes/no columns: 200 design columns (yes and no), 100 active per lead
// Timed: ls.learn(leads, outcomes) — features, WoE/IV, CV (30 fits), final fit, scorecard —
// median of N rounds (default 3) after one untimed round, as wall time and (in Node) as the
// process's user CPU time, which a shared, loaded machine disturbs less. Memory: wasm heap
// growth for the loaded leads, and the whole wasm heap after learning (it never shrinks).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const path = (rel) => fileURLToPath(new URL(rel, import.meta.url));
const DIST = path('../dist/leadscore.mjs');
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 3;
const LEADS = 50000;

// ---- portable (also runs in the page: --chromium sends this part as a module) ----
// splitmix64 on BigInt is slow; a 32-bit mulberry32 is enough for synthetic data.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** CSV text of `rows` leads: `cols` columns of kind 'number' or 'yesno', and the outcome y. */
export function makeLeads(rows, cols, kind, seed = 1) {
  const r = rng(seed);
  const beta = Array.from({ length: cols }, () => (r() - 0.5) * (kind === 'number' ? 0.6 : 0.3));
  const lines = [[...Array.from({ length: cols }, (_, j) => `x${j + 1}`), 'y'].join(',')];
  for (let i = 0; i < rows; i++) {
    let logit = -2.2;
    const cells = new Array(cols);
    for (let j = 0; j < cols; j++) {
      if (kind === 'number') {
        const v = Math.round(r() * 1000) / 10;
        cells[j] = v;
        logit += (beta[j] * (v - 50)) / 25;
      } else {
        const yes = r() < 0.5;
        cells[j] = yes ? 'yes' : 'no';
        logit += yes ? beta[j] : -beta[j];
      }
    }
    lines.push(`${cells.join(',')},${r() < 1 / (1 + Math.exp(-logit)) ? 1 : 0}`);
  }
  return lines.join('\n') + '\n';
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs in Node or in a page: `ls` is the loaded module. CPU time only where process.cpuUsage exists. */
export function benchShape(ls, csv, rounds) {
  const cpu = () => (typeof process !== 'undefined' && process.cpuUsage ? process.cpuUsage().user / 1000 : NaN);
  const heap0 = ls.heapBytes();
  const leads = ls.loadLeads(csv);
  const outcomes = leads.outcomes('y');
  const heapLoaded = ls.heapBytes();
  const run = () => {
    const t0 = performance.now(),
      c0 = cpu();
    const learner = ls.learn(leads, outcomes, {});
    return { ms: performance.now() - t0, cpuMs: cpu() - c0, learner };
  };
  run().learner.dispose();
  const wall = [],
    cpus = [];
  let last = null;
  for (let k = 0; k < rounds; k++) {
    const { ms, cpuMs, learner } = run();
    wall.push(ms);
    cpus.push(cpuMs);
    last?.dispose();
    last = learner;
  }
  const report = last.result().report;
  const out = {
    wallMs: Math.round(median(wall)),
    cpuMs: Math.round(median(cpus)),
    wallAll: wall.map((t) => Math.round(t)),
    cpuAll: cpus.map((t) => Math.round(t)),
    designColumns: report.designColumns,
    c: report.c,
    auc: report.auc.rounded,
    heapLeadsMB: +((heapLoaded - heap0) / 2 ** 20).toFixed(1),
    heapTotalMB: +(ls.heapBytes() / 2 ** 20).toFixed(1),
  };
  last.dispose();
  outcomes.dispose();
  leads.dispose();
  return out;
}

// ---- end portable ----

async function inNode() {
  if (!existsSync(DIST)) throw new Error('dist/leadscore.mjs is missing: ./scripts/build.sh module');
  const { load } = await import(pathToFileURL(DIST).href);
  const ls = await load();
  const results = {};
  for (const [name, cols, kind] of [
    ['A: 20 number columns x 5 bins', 20, 'number'],
    ['B: 100 yes/no columns', 100, 'yesno'],
  ]) {
    const csv = makeLeads(LEADS, cols, kind);
    results[name] = benchShape(ls, csv, rounds);
    console.log(name, JSON.stringify(results[name]));
  }
  console.log('node rss MB', Math.round(process.memoryUsage().rss / 2 ** 20));
  return results;
}

async function inChromium() {
  const { startBrowser } = await import('../tests/e2e/browser.mjs');
  const env = await startBrowser();
  try {
    // the page's Content-Security-Policy forbids blob: scripts; the bench module comes as one
    const page = await (await env.browser.newContext({ bypassCSP: true })).newPage();
    await page.goto(env.url);
    const self = await import('node:fs').then((fs) => fs.readFileSync(fileURLToPath(import.meta.url), 'utf8'));
    const portable = self.slice(self.indexOf('// ---- portable'), self.indexOf('// ---- end portable'));
    for (const [name, cols, kind] of [
      ['A: 20 number columns x 5 bins', 20, 'number'],
      ['B: 100 yes/no columns', 100, 'yesno'],
    ]) {
      const r = await page.evaluate(
        async ({ src, cols, kind, rounds, leads }) => {
          const mod = await import(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
          const { load } = await import(new URL('leadscore.mjs', location.href).href);
          const ls = await load();
          return mod.benchShape(ls, mod.makeLeads(leads, cols, kind), rounds);
        },
        { src: portable, cols, kind, rounds, leads: LEADS },
      );
      console.log('chromium', name, JSON.stringify(r));
    }
  } finally {
    await env.close();
  }
}

async function main() {
  if (process.argv.includes('--chromium')) await inChromium();
  else await inNode();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
