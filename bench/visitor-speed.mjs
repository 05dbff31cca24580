// One visitor scored, three ways, in Node: the visitor build (dist/visitor: the rule set compiled
// by wasm/visitor/compile.js, evaluated by the -Oz wasm/visitor_core.cpp; rules + properties +
// events to score and ledger), and the same work through the
// full module's facade in its -O3 build (dist/split, the workbench's) and its -Oz build
// (dist/compact, the package's default entry): load the one-row lead table and the events, score,
// read the ledger. Interleaved, medians of --runs (default 40) after warm-up, for 10, 100 and 500
// stored events (the runtime's default cap). All three must give the same score (checked).
// Results go to bench/EMBED.md by hand.
//   node bench/visitor-speed.mjs [--runs 40]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rng } from '../tests/js/prng.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const k = process.argv.indexOf('--runs');
const runs = k > 0 ? Number(process.argv[k + 1]) : 40;
const rules = JSON.parse(readFileSync(`${root}examples/site/leadscore-rules.json`, 'utf8'));
const AS_OF = '2026-06-30';
// V8 runs wasm in its baseline tier (Liftoff) until the optimizing tier has compiled it in the
// background: the first rounds measure that, not the code. The cold figure is printed apart.
const WARM = 40;

const { scoreVisitor } = await import('../wasm/visitor/leadscore-visitor.js');
const visitorWasm = readFileSync(`${root}dist/visitor/leadscore-visitor-core.wasm`);
const modules = {};
for (const build of ['split', 'compact']) {
  const { load } = await import(`${root}dist/${build}/leadscore.mjs`);
  modules[build] = await load({ wasmBinary: readFileSync(`${root}dist/${build}/leadscore.wasm`) });
}

function events(n) {
  const rand = rng(n);
  const day = Date.parse(`${AS_OF}T12:00:00Z`);
  return Array.from({ length: n }, (_, i) => {
    const type = ['page_view', 'page_view', 'visit', 'cta_click', 'form_submit'][Math.floor(rand() * 5)];
    const e = {
      type,
      timestamp: new Date(day - Math.floor(rand() * 80) * 86_400_000).toISOString(),
      path: `/p${i % 7}`,
    };
    if (type === 'form_submit') e.form = rand() < 0.5 ? 'demo' : 'newsletter';
    return e;
  });
}

const properties = { title: 'VP Sales', employees: 450, utm_medium: 'cpc' };
const viaVisitor = async (ev) =>
  (await scoreVisitor({ rules, properties, events: ev, asOf: AS_OF }, { wasmBinary: visitorWasm })).score;
function viaModule(ls, ev) {
  const leads = ls.loadLeads(JSON.stringify([{ lead_id: 'visitor', ...properties }]), { rules });
  const evs = ls.loadEvents(JSON.stringify(ev.map((e) => ({ lead_id: 'visitor', ...e }))), { leads });
  const scorer = ls.score(leads, rules, { events: evs, asOf: AS_OF, skipMissingFields: true });
  const total = scorer.ledger(0).total;
  scorer.dispose();
  evs.dispose();
  leads.dispose();
  return total;
}

{
  // Cold: the very first score in this process (what a page pays on its first page view).
  const s = performance.now();
  await scoreVisitor({ rules, properties, events: [], asOf: AS_OF }, { wasmBinary: visitorWasm });
  console.log(
    `first visitor score in the process (cold, incl. instantiation): ${(performance.now() - s).toFixed(1)} ms`,
  );
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const n of [10, 100, 500]) {
  const ev = events(n);
  const want = await viaVisitor(ev);
  for (const b of ['split', 'compact']) if (viaModule(modules[b], ev) !== want) throw new Error(`${b} differs at ${n}`);
  const t = { visitor: [], split: [], compact: [] };
  for (let i = 0; i < runs + WARM; i++) {
    let s = performance.now();
    await viaVisitor(ev);
    if (i >= WARM) t.visitor.push(performance.now() - s);
    for (const b of ['split', 'compact']) {
      s = performance.now();
      viaModule(modules[b], ev);
      if (i >= WARM) t[b].push(performance.now() - s);
    }
  }
  console.log(
    `${n} events: visitor build ${median(t.visitor).toFixed(2)} ms, module -O3 (split) ${median(t.split).toFixed(2)} ms, ` +
      `module -Oz (compact) ${median(t.compact).toFixed(2)} ms (medians of ${runs}; score ${want.toFixed(3)})`,
  );
}
