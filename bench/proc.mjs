// One measurement in a fresh Node process (so engines do not share a heap or a JIT state):
//   node --expose-gc bench/proc.mjs '{"task": ..., ...}'     prints one JSON object
// Tasks (bench/run.mjs starts them; times in ms, each list in run order after the warm-up):
//   score   {engine, n, warmup, runs, totals?}   full scoring of n leads with bench/rules.json;
//           engine: a bench/engines.mjs engine or "leadscore-wasm"; writes the totals to `totals`
//   edit    {engine, n, warmup, runs, edit}      one-rule edit + tier counts + histogram
//   ingest  {n, warmup, runs, wide?}             CSV text -> table: leadscore vs PapaParse vs JSON.parse
//   memory  {n, wide?, wasmOnly?}                wasm heap of the table vs JS heap of row objects
// (wide: the 30-column data of gen-leads.mjs --wide)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ENGINES, checksum, parseRows, prepare, summary } from './engines.mjs';
import { uniformRows } from './plainjs.mjs';
import { DATA_DIR, DATA_VERSION, root } from './gen-leads.mjs';

const args = JSON.parse(process.argv[2]);
const rulesText = readFileSync(join(root, 'bench', 'rules.json'), 'utf8');
const ruleSet = JSON.parse(rulesText);
const data = (n, ext) => join(DATA_DIR, `leads-v${DATA_VERSION}-${args.wide ? 'w30-' : ''}${n}.${ext}`);
const csvPath = (n) => data(n, 'csv');
const jsonPath = (n) => data(n, 'json');
const modulePath = args.module ?? join(root, 'dist', 'leadscore.mjs');
const gc = globalThis.gc ?? (() => {});

// ms: wall time; cpuMs: the process's CPU time (user + system, all threads), which on a shared
// machine moves far less with the other load than the wall time does.
async function timed(warmup, runs, f) {
  const ms = [],
    cpuMs = [];
  let last;
  for (let i = 0; i < warmup + runs; ++i) {
    gc();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    last = await f(i);
    const t = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (i >= warmup) (ms.push(t), cpuMs.push((c.user + c.system) / 1000));
  }
  return { ms, cpuMs, last };
}

async function leadscore() {
  const mod = await import(pathToFileURL(modulePath).href);
  return { ls: await mod.load(), factory: mod.default };
}

// Edits alternate between two conditions of one rule, so each edit re-evaluates one condition.
const editRule = (which) => {
  const r = structuredClone(ruleSet.rules.find((x) => x.id === args.edit.id));
  r.when = which ? args.edit.b : args.edit.a;
  return r;
};

// Rows of a JSON array written one object per line (gen-leads.mjs), parsed line by line.
function parseLines(bytes) {
  let rows = 0;
  for (let at = 0; at < bytes.length;) {
    let end = bytes.indexOf(10, at);
    if (end < 0) end = bytes.length;
    const line = bytes.toString('utf8', at, end).replace(/,$/, '');
    if (line.startsWith('{')) (JSON.parse(line), ++rows);
    at = end + 1;
  }
  return rows;
}

// The fast plain-JS scorer reads rows of one shape (bench/PLAIN-JS.md); the engines read them as parsed.
const rowsFor = (engine, n) => {
  const rows = parseRows(readFileSync(jsonPath(n), 'utf8'));
  return engine === 'hand-written' ? uniformRows(rows) : rows;
};

const tasks = {
  async score() {
    const { engine, n, warmup, runs } = args;
    let totals, res;
    if (engine === 'leadscore-wasm') {
      const { ls } = await leadscore();
      const leads = ls.loadLeads(readFileSync(csvPath(n), 'utf8'), { rules: ruleSet });
      res = await timed(warmup, runs, () => {
        const s = ls.score(leads, ruleSet); // parse rules, compile, evaluate, sum: nothing cached
        const t = s.totals();
        s.dispose();
        return t;
      });
      leads.dispose();
    } else {
      const rows = rowsFor(engine, n);
      const score = await ENGINES[engine](ruleSet);
      res = await timed(warmup, runs, () => score(rows));
    }
    totals = res.last;
    if (args.totals) writeFileSync(args.totals, new Uint8Array(totals.buffer, totals.byteOffset, totals.byteLength));
    return { leads: totals.length, ms: res.ms, checksum: checksum(totals) };
  },

  async edit() {
    const { engine, n, warmup, runs } = args;
    const prep = prepare(ruleSet);
    if (engine === 'leadscore-wasm') {
      const { ls } = await leadscore();
      const leads = ls.loadLeads(readFileSync(csvPath(n), 'utf8'), { rules: ruleSet });
      const s = ls.score(leads, ruleSet);
      let evaluated = 0;
      const res = await timed(2 * warmup, 2 * runs, (i) => {
        evaluated = s.replaceRule(args.edit.id, editRule(i % 2)).evaluated;
        return s.summary({ bins: 20 });
      });
      // The same summary computed in JS from the totals after the last edit (edit b).
      const check = summary(prep, s.totals());
      return {
        leads: n,
        ms: res.ms,
        evaluated,
        summary: { tiers: res.last.tiers.map((t) => t.count), histogram: res.last.histogram },
        check,
      };
    }
    // Plain JS has no incremental path: an edit re-scores every lead with the edited rule set.
    const rows = rowsFor(engine, n);
    const rs = [structuredClone(ruleSet), structuredClone(ruleSet)];
    rs.forEach((x, k) => (x.rules = x.rules.map((r) => (r.id === args.edit.id ? editRule(k) : r))));
    const scorers = await Promise.all(rs.map((x) => ENGINES[engine](x)));
    const res = await timed(2 * warmup, 2 * runs, async (i) => summary(prep, await scorers[i % 2](rows)));
    return { leads: n, ms: res.ms, summary: res.last };
  },

  async ingest() {
    const { n, warmup, runs } = args;
    const csv = readFileSync(csvPath(n), 'utf8');
    const out = { leads: n, csvBytes: Buffer.byteLength(csv) };
    const { ls } = await leadscore();
    const a = await timed(warmup, runs, () => {
      const leads = ls.loadLeads(csv, { rules: ruleSet });
      const rows = leads.rows;
      leads.dispose();
      return rows;
    });
    out.leadscore = { ms: a.ms, cpuMs: a.cpuMs, rows: a.last };
    const Papa = (await import('papaparse')).default;
    const b = await timed(warmup, runs, () =>
      Papa.parse(csv, { header: true, dynamicTyping: true, skipEmptyLines: true }),
    );
    out.papaparse = { ms: b.ms, cpuMs: b.cpuMs, rows: b.last.data.length, errors: b.last.errors.length };
    b.last = null;
    if (args.json !== false) {
      const bytes = readFileSync(jsonPath(n));
      out.jsonBytes = bytes.length;
      // Past V8's longest string (~512 MB: the 30-column JSON) the text cannot be one string:
      // JSON.parse then reads it a row (a line) at a time, as a streaming reader would.
      const whole = bytes.length < 0x1fffffe8;
      const json = whole ? bytes.toString('utf8') : null;
      const c = await timed(warmup, runs, () => (whole ? JSON.parse(json).length : parseLines(bytes)));
      out.jsonParse = { ms: c.ms, cpuMs: c.cpuMs, rows: c.last, perRow: !whole };
    }
    return out;
  },

  async memory() {
    const { n } = args;
    const out = { leads: n };
    // Values below are held, then dropped (= null), on purpose: the heap is measured while they live.
    /* eslint-disable no-useless-assignment, no-unused-vars -- see above */
    // JS: the rows as objects (what every JS engine scores), after the text is gone.
    // (wasmOnly: the wasm table alone, for data whose JSON is longer than V8's longest string)
    if (!args.wasmOnly) {
      gc();
      gc();
      const before = process.memoryUsage().heapUsed; // before the text exists: it is freed below
      let text = readFileSync(jsonPath(n), 'utf8');
      let rows = parseRows(text);
      text = null;
      gc();
      gc();
      out.jsHeapBytes = process.memoryUsage().heapUsed - before;
      out.jsRows = rows.length;
      rows = null;
    }
    // PapaParse's rows (dynamicTyping) from the CSV.
    if (!args.wasmOnly) {
      let text = readFileSync(csvPath(n), 'utf8');
      const Papa = (await import('papaparse')).default;
      gc();
      gc();
      const before = process.memoryUsage().heapUsed;
      let rows = Papa.parse(text, { header: true, dynamicTyping: true, skipEmptyLines: true }).data;
      gc();
      gc();
      out.papaHeapBytes = process.memoryUsage().heapUsed - before;
      rows = null;
      text = null;
    }
    /* eslint-enable no-useless-assignment, no-unused-vars */
    // wasm: malloc'd bytes in use for the table (its own module instance, so nothing else lives there).
    {
      const { factory } = await leadscore();
      const m = await factory();
      const text = readFileSync(csvPath(n), 'utf8');
      const bytes = Buffer.from(text);
      const before = m.heapInUse();
      out.wasmHeapBefore = m.heapBytes();
      const loader = new m.Loader();
      // The size hint, as the facade and the worker give it (hint: false to measure without)
      const sizeHint = args.hint === false ? 0 : bytes.length;
      const begun = JSON.parse(loader.begin(JSON.stringify({ rules: ruleSet, sizeHint })));
      if (!begun.ok) throw new Error(begun.error.message);
      // Feed the text in 4 MB pieces, as the facade does, so the peak is not a second copy of the file.
      for (let at = 0; at < bytes.length; at += 4 << 20) {
        const piece = bytes.subarray(at, Math.min(bytes.length, at + (4 << 20)));
        const ptr = m._malloc(piece.length);
        m.HEAPU8.set(piece, ptr);
        const r = JSON.parse(loader.feed(ptr, piece.length));
        m._free(ptr);
        if (!r.ok) throw new Error(r.error.message);
      }
      const fin = JSON.parse(loader.finish());
      if (!fin.ok) throw new Error(fin.error.message);
      const leads = loader.take();
      loader.delete();
      out.wasmTableBytes = m.heapInUse() - before;
      out.wasmHeapBytes = m.heapBytes(); // the whole linear memory after loading (peak; never shrinks)
      out.wasmRows = fin.info.rows;
      out.columns = fin.info.columns.length;
      leads.delete();
    }
    return out;
  },
};

const result = await tasks[args.task]();
process.stdout.write(JSON.stringify(result) + '\n');
