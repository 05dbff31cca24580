// The page's worker: all heavy work happens here, next to the WebAssembly module.
//
// It holds one lead table and one scorer per rule-set variant, both inside wasm. The main
// thread sends coarse requests (load this file, use these rules, show rows 200..260 sorted by
// score, explain lead 17, export) and gets small answers back: the data crosses into wasm once,
// and a rule edit re-scores inside wasm. It talks to the module only through its public
// facade (leadscore.mjs, the same file any site can embed).
//
// Protocol: request {id, op, args} -> {id, ok: true, value} | {id, ok: false, error}
//           progress (load only)   -> {id, progress: {bytesRead, totalBytes, rowsParsed}}
//           cancel {op: 'cancel', target: id} stops a load between slices.
import { load, LeadScoreError } from './leadscore.mjs';

const SLICE = 1 << 20;
const module = load();
module.catch(() => {});

let leads = null;       // Leads
let outcomes = null;    // Outcomes of `leads` (a column, or a deals file joined by id), or null
let events = null;      // Events joined to `leads`, or null
let eventsSource = null;   // {input, options}: to join them again to a new table
let asOf = null;        // 'YYYY-MM-DD': every time computation is against it (the page sends today)
const scoreOptions = () => ({ events, asOf });
let outcomeSource = null;  // how they were made, to make them again for a new table
let source = null;      // {input, options}: what `leads` was loaded from (to reload with new field types)
const variants = new Map();  // variant id -> {scorer, cache}
const jobs = new Map();

const fail = (code, message, extra = {}) => new LeadScoreError({ code, message, ...extra });
const tick = () => new Promise((r) => setTimeout(r, 0));

// ---- loading ---------------------------------------------------------------------------------

function reader(input) {
  if (typeof Blob !== 'undefined' && input instanceof Blob) return { size: input.size, read: (a, b) => input.slice(a, b).arrayBuffer() };
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input)
    : input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  return { size: bytes.length, read: async (a, b) => bytes.subarray(a, b) };
}

async function loadTable(ls, input, options, job, id) {
  const { size, read } = reader(input);
  const loader = ls.createLoader(options);
  try {
    let done = 0;
    do {
      if (job.cancelled) throw fail('cancelled', 'the load was cancelled; the previous data is still loaded');
      const end = Math.min(size, done + SLICE);
      const { rows } = loader.feed(await read(done, end));
      done = end;
      postMessage({ id, progress: { bytesRead: done, totalBytes: size, rowsParsed: rows } });
      await tick();
    } while (done < size);
    if (job.cancelled) throw fail('cancelled', 'the load was cancelled; the previous data is still loaded');
    return loader.finish();
  } finally {
    loader.dispose();
  }
}

// A new table replaces the old one only when it loaded and every variant could score it.
async function loadLeads(ls, { input, options = {}, rules = {} }, job, id) {
  const table = await loadTable(ls, input, options, job, id);
  // Events belong to one table: join them again to the new one (a failure drops them, with why).
  let newEvents = null, eventsReport = null;
  if (eventsSource) {
    try {
      newEvents = await loadEventTable(ls, eventsSource.input, { ...eventsSource.options, leads: table }, job, id);
      eventsReport = { ...newEvents.info };
    } catch (e) {
      eventsReport = { error: errorJson(e) };
    }
  }
  const scored = new Map();
  try {
    for (const [vid, rs] of Object.entries(rules)) {
      try {
        const { value: scorer, skipped } = lenient(rs, (doc) => ls.score(table, doc, { events: newEvents, asOf }));
        scored.set(vid, { scorer, cache: null, error: null, skipped });
      } catch (e) {
        // The rules do not fit the new data (e.g. a field it lacks): keep the data, report per variant.
        scored.set(vid, { scorer: null, cache: null, error: errorJson(e) });
      }
    }
  } catch (e) {
    for (const v of scored.values()) v.scorer?.dispose();
    newEvents?.dispose();
    table.dispose();
    throw e;
  }
  if (eventsSource) {
    events?.dispose();
    events = newEvents;
    if (!newEvents) eventsSource = null;
  }
  for (const v of variants.values()) v.scorer?.dispose();
  variants.clear();
  for (const [vid, v] of scored) variants.set(vid, v);
  const out = { info: table.info, variants: {} };
  leads?.dispose();
  leads = table;
  source = { input, options };
  out.outcomes = await remakeOutcomes(ls);
  out.events = eventsReport;
  textCache = null;
  sortCache = null;
  columnCache = new Map();
  for (const [vid, v] of variants) out.variants[vid] = v.scorer ? state(v) : { error: v.error };
  return out;
}

// ---- scoring ---------------------------------------------------------------------------------

// Pasted data rarely has every column a rule set knows. Rules that read a field the data lacks
// are skipped (sent to the core disabled) and reported, so the rest still score; the rule set
// itself is not changed. Any other error still rejects the rules.
function lenient(rules, attempt) {
  const doc = typeof rules === 'string' ? JSON.parse(rules) : rules;
  try {
    return { value: attempt(doc), skipped: [] };
  } catch (e) {
    const diags = e.diagnostics ?? [];
    const errors = diags.filter((d) => d.severity === 'error');
    if (!errors.length || !errors.every((d) => d.code === 'unknown_field' && d.ruleId)) throw e;
    const skip = new Set(errors.map((d) => d.ruleId));
    const reduced = { ...doc, rules: doc.rules.map((r) => (skip.has(r.id) ? { ...r, enabled: false } : r)) };
    const value = attempt(reduced);  // throws if something else is wrong too
    return { value, skipped: errors.map((d) => ({ ruleId: d.ruleId, field: d.field, message: d.message })) };
  }
}

function needLeads() {
  if (!leads) throw fail('state', 'no leads are loaded yet: paste or drop a file first');
  return leads;
}

// Per-lead results of one variant, copied out of wasm lazily and at most once per rule change:
// totals always (the histogram needs them), group scores when rows are shown. Tiers, sales-ready
// and matrix cells are derived from those with the rule set's bands, exactly as the core does
// (bands sorted high to low; a value falls in the first band whose min it reaches, else the last).
function results(v) {
  if (!v.cache) {
    const s = v.scorer;
    const rules = s.rules;
    let totals = null, groups = null;
    v.cache = {
      version: ++version,
      get totals() { return (totals ??= s.totals()); },
      group(k) { return ((groups ??= [])[k] ??= s.groupScores(k)); },
      tierOf: bandOf(rules.tiers),
      ready: rules.salesReady === undefined ? () => false : (t) => t >= rules.salesReady,
      fitOf: rules.matrix ? bandOf(rules.matrix.fit.bands) : null,
      engOf: rules.matrix ? bandOf(rules.matrix.engagement.bands) : null,
      fitGroup: rules.matrix ? rules.groups.findIndex((g) => g.id === rules.matrix.fit.group) : -1,
      engGroup: rules.matrix ? rules.groups.findIndex((g) => g.id === rules.matrix.engagement.group) : -1,
    };
  }
  return v.cache;
}
let version = 0;

function bandOf(bands) {
  const mins = bands.map((b) => (b.min === undefined ? -Infinity : b.min));
  return (x) => {
    for (let k = 0; k < mins.length - 1; k++) if (x >= mins[k]) return k;
    return mins.length - 1;
  };
}

function histogram(totals, bins, lo, hi) {
  const counts = new Array(bins).fill(0);
  const width = (hi - lo) / bins || 1;
  for (let i = 0; i < totals.length; i++) counts[Math.min(bins - 1, Math.max(0, Math.floor((totals[i] - lo) / width)))]++;
  return counts;
}

// Bin edges on round numbers covering [min, max], about 30 bins.
function binning(min, max) {
  if (!(max > min)) return { lo: Math.floor(min) - 0.5, hi: Math.floor(min) + 0.5, bins: 1, width: 1 };
  const raw = (max - min) / 30;
  const p = 10 ** Math.floor(Math.log10(raw));
  const width = [1, 2, 2.5, 5, 10].map((m) => m * p).find((w) => w >= raw) ?? 10 * p;
  const lo = Math.floor(min / width) * width;
  let bins = Math.ceil((max - lo) / width);
  if (lo + bins * width <= max) bins++;  // the max falls inside the last bin
  return { lo, hi: lo + bins * width, bins, width };
}

function state(v) {
  const s = v.scorer;
  const r = results(v);
  const summary = s.summary({ bins: 1 });
  r.tierCounts = summary.tiers.map((t) => t.count);
  const b = binning(summary.min, summary.max);
  return {
    rules: s.rules, stats: s.stats, warnings: s.warnings, rows: s.rows, skipped: v.skipped ?? [],
    summary: { ...summary, histogram: histogram(r.totals, b.bins, b.lo, b.hi), bins: b },
    version: r.version,
  };
}

function setRules(ls, { variant, rules }) {
  needLeads();
  let v = variants.get(variant);
  if (!v || !v.scorer) {
    const { value: scorer, skipped } = lenient(rules, (doc) => ls.score(leads, doc, scoreOptions()));  // throws on invalid rules: nothing changes
    v = { scorer, cache: null, error: null, skipped };
    variants.get(variant)?.scorer?.dispose();
    variants.set(variant, v);
    return { ...state(v), evaluated: null };
  }
  const { value: edit, skipped } = lenient(rules, (doc) => v.scorer.setRules(doc));  // all-or-nothing
  v.cache = null;
  v.skipped = skipped;
  return { ...state(v), evaluated: edit.evaluated };
}

// Would these rules score the loaded leads? (for imports: an invalid file changes nothing). Rules
// whose field declarations differ are tried on the same input read with their declarations.
async function tryRules(ls, { rules, reread = false }, job, id) {
  if (!leads) return { skipped: [] };
  const table = reread && source ? await loadTable(ls, source.input, { rules }, job, id) : leads;
  let ev = null;
  try {
    if (table !== leads && eventsSource) ev = await loadEventTable(ls, eventsSource.input, { ...eventsSource.options, leads: table }, job, id);
    const { value: scorer, skipped } = lenient(rules, (doc) => ls.score(table, doc, table === leads ? scoreOptions() : { events: ev, asOf }));
    scorer.dispose();
    return { skipped };
  } finally {
    ev?.dispose();
    if (table !== leads) table.dispose();
  }
}

function dropVariant(_ls, { variant }) {
  variants.get(variant)?.scorer?.dispose();
  variants.delete(variant);
  return true;
}

function scorerOf(variant) {
  needLeads();
  const v = variants.get(variant);
  if (!v || !v.scorer) throw fail('state', v?.error?.message ?? 'this rule set has not been applied to the leads yet');
  return v;
}

// ---- views: sort, filter, a window of rows ---------------------------------------------------

let lsInstance = null;
let textCache = null;  // {text, mask: Uint8Array}
let sortCache = null;  // {key, variantVersion, order: Int32Array} for column sorts

function textMask(text) {
  if (textCache?.text === text) return textCache.mask;
  const needle = text.toLowerCase();
  const mask = new Uint8Array(leads.rows);
  for (const c of leads.columns) {
    const col = cachedColumn(c.name);
    if (col.type === 'string') {
      const hit = col.dictionary.map((s) => s.toLowerCase().includes(needle));
      for (let i = 0; i < mask.length; i++) if (col.codes[i] >= 0 && hit[col.codes[i]]) mask[i] = 1;
    } else if (col.type === 'number') {
      const want = Number(text);
      if (text.trim() !== '' && Number.isFinite(want)) for (let i = 0; i < mask.length; i++) if (col.values[i] === want) mask[i] = 1;
    }
  }
  textCache = { text, mask };
  return mask;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

// Lead order for a data column: missing values last, ties in file order.
function columnOrder(name, descending) {
  const col = cachedColumn(name);
  const n = leads.rows;
  const keys = new Float64Array(n);
  if (col.type === 'string') {
    const ranks = col.dictionary.map((s, k) => k).sort((a, b) => collator.compare(col.dictionary[a], col.dictionary[b]));
    const rankOf = new Float64Array(col.dictionary.length);
    ranks.forEach((k, r) => (rankOf[k] = r));
    for (let i = 0; i < n; i++) keys[i] = col.codes[i] < 0 ? NaN : rankOf[col.codes[i]];
  } else {
    keys.set(col.values);
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const sign = descending ? -1 : 1;
  order.sort((a, b) => {
    const x = keys[a], y = keys[b];
    const mx = x !== x, my = y !== y;
    if (mx || my) return mx === my ? a - b : mx ? 1 : -1;
    return x === y ? a - b : (x < y ? -sign : sign);
  });
  return order;
}

// Leads in view order (sorted, filtered), kept until the rules, sort or filter change, so
// scrolling only fetches rows. Sorting by score asks the core for just the first `need` leads
// (a partial sort) and for more only when the user scrolls further.
function viewOrder(v, { sort, tier, text, subset }, need) {
  const r = results(v);
  const s = v.scorer;
  const key = JSON.stringify([sort, tier, text, subset]);
  if (subset && r.viewKey !== key) {
    // Leads of one cell of a migration matrix (A's tier/cell -> B's), by score under this variant.
    const other = scorerOf(subset.other).scorer;
    const [a, b] = subset.otherIsA ? [other, s] : [s, other];
    const ids = new Uint8Array(leads.rows);
    for (const i of lsInstance.listMigration(a, b, { kind: subset.kind, from: subset.from, to: subset.to })) ids[i] = 1;
    const order = s.top(0, { ascending: false });
    const picked = order.filter((i) => ids[i]);
    Object.assign(r, { viewKey: key, picked, count: picked.length, complete: true });
    return r;
  }
  const tierIndex = tier === null || tier === '' ? -1 : s.rules.tiers.findIndex((t) => t.name === tier);
  const byScore = sort.key === 'score' || sort.key.startsWith('group:');
  if (r.viewKey === key && (r.complete || r.picked.length >= need)) return r;
  const mask = text.trim() ? textMask(text.trim()) : null;
  if (byScore && !mask) {
    const by = sort.key === 'score' ? 'total' : sort.key.slice(6);
    const count = tierIndex < 0 ? s.rows : r.tierCounts?.[tierIndex] ?? s.summary({ bins: 1 }).tiers[tierIndex].count;
    // Ask for a generous prefix: a full sort once the user is deep in the list.
    const n = need > 20000 ? 0 : Math.min(count, Math.max(1000, need * 2));
    const picked = s.top(n, { by, tier: tierIndex < 0 ? undefined : tierIndex, ascending: sort.dir === 'asc' });
    Object.assign(r, { viewKey: key, picked, count, complete: picked.length >= count });
    return r;
  }
  let order;
  if (byScore) order = s.top(0, { by: sort.key === 'score' ? 'total' : sort.key.slice(6), ascending: sort.dir === 'asc' });
  else if (sort.key === 'lead') order = Int32Array.from({ length: leads.rows }, (_, i) => (sort.dir === 'asc' ? i : leads.rows - 1 - i));
  else {
    const ck = `${sort.key}\u0000${sort.dir}`;
    if (sortCache?.key !== ck) sortCache = { key: ck, order: columnOrder(sort.key, sort.dir === 'desc') };
    order = sortCache.order;
  }
  let picked = order;
  if (tierIndex >= 0 || mask) {
    const totals = r.totals;
    const out = new Int32Array(order.length);
    let k = 0;
    for (let j = 0; j < order.length; j++) {
      const i = order[j];
      if ((tierIndex < 0 || r.tierOf(totals[i]) === tierIndex) && (!mask || mask[i])) out[k++] = i;
    }
    picked = out.subarray(0, k);
  }
  Object.assign(r, { viewKey: key, picked, count: picked.length, complete: true });
  return r;
}

function view(ls, { variant, sort = { key: 'score', dir: 'desc' }, tier = null, text = '', subset = null, offset = 0, limit = 60 }) {
  lsInstance = ls;
  const v = scorerOf(variant);
  const s = v.scorer;
  const r = results(v);
  const { picked, count } = viewOrder(v, { sort, tier, text, subset }, offset + limit);
  const start = Math.max(0, Math.min(offset, count));
  const rows = [];
  const groups = s.rules.groups;
  const m = s.rules.matrix;
  const totals = r.totals;
  for (let j = start; j < Math.min(picked.length, start + limit); j++) {
    const i = picked[j];
    const g = groups.map((_, k) => r.group(k)[i]);
    rows.push({
      i, total: totals[i], tier: r.tierOf(totals[i]), salesReady: r.ready(totals[i]), groups: g,
      cell: m ? m.fit.bands[r.fitOf(g[r.fitGroup])].label + m.engagement.bands[r.engOf(g[r.engGroup])].label : null,
      values: leads.row(i),
    });
  }
  return { count, offset: start, rows };
}

function ledger(_ls, { variant, lead }) {
  const v = scorerOf(variant);
  return { ledger: v.scorer.ledger(lead), row: leads.row(lead) };
}

// Columns are copied out of wasm once per table (they never change).
let columnCache = new Map();
function cachedColumn(name) {
  if (!columnCache.has(name)) columnCache.set(name, needLeads().column(name));
  return columnCache.get(name);
}

// Count, mean score and share sales-ready per value of a text or boolean column.
function breakdown(_ls, { variant, column, limit = 12 }) {
  const v = scorerOf(variant);
  const r = results(v);
  const col = cachedColumn(column);
  const n = leads.rows;
  const totals = r.totals;
  let labels, codeOf;
  if (col.type === 'string') {
    labels = col.dictionary;
    codeOf = (i) => col.codes[i];
  } else if (col.type === 'boolean') {
    labels = ['false', 'true'];
    codeOf = (i) => (col.values[i] !== col.values[i] ? -1 : col.values[i] ? 1 : 0);
  } else {
    throw fail('type_mismatch', `'${column}' is a ${col.type} column: pick a text or yes/no column to break scores down by`, { field: column });
  }
  const count = new Float64Array(labels.length + 1), sum = new Float64Array(labels.length + 1), ready = new Float64Array(labels.length + 1);
  for (let i = 0; i < n; i++) {
    const c = codeOf(i);
    const k = c < 0 ? labels.length : c;
    count[k]++, sum[k] += totals[i], ready[k] += r.ready(totals[i]) ? 1 : 0;
  }
  const all = [];
  for (let k = 0; k <= labels.length; k++)
    if (count[k]) all.push({ value: k === labels.length ? null : labels[k], count: count[k], mean: sum[k] / count[k], salesReady: ready[k] / count[k] });
  all.sort((a, b) => b.count - a.count || (a.value ?? '').localeCompare(b.value ?? ''));
  const top = all.slice(0, limit);
  if (all.length > limit) {
    const rest = all.slice(limit);
    const c = rest.reduce((a, x) => a + x.count, 0);
    top.push({ value: `${rest.length} other values`, other: true, count: c,
      mean: rest.reduce((a, x) => a + x.mean * x.count, 0) / c, salesReady: rest.reduce((a, x) => a + x.salesReady * x.count, 0) / c });
  }
  return { column, distinct: all.length, rows: top };
}

// The most common values of a text column (suggestions in the rule builder).
function values(_ls, { column, limit = 200 }) {
  const col = cachedColumn(column);
  if (col.type !== 'string') return [];
  const count = new Float64Array(col.dictionary.length);
  for (let i = 0; i < col.codes.length; i++) if (col.codes[i] >= 0) count[col.codes[i]]++;
  return col.dictionary.map((v, k) => [v, count[k]]).sort((a, b) => b[1] - a[1]).slice(0, limit).map(([v]) => v);
}

function exportCsv(_ls, { variant, reasons = true }) {
  const v = scorerOf(variant);
  const parts = [];
  const step = reasons ? 10000 : 50000;
  for (let b = 0; b < v.scorer.rows; b += step) parts.push(v.scorer.toCSV({ reasons, begin: b, end: b + step, header: b === 0 }));
  if (!parts.length) parts.push(v.scorer.toCSV({ reasons }));
  return new Blob(parts, { type: 'text/csv;charset=utf-8' });
}

// ---- activity events and the as-of date ------------------------------------------------------

async function loadEventTable(ls, input, options, job, id) {
  const { size, read } = reader(input);
  const loader = ls.createEventLoader(options);
  try {
    for (let done = 0; done < size || done === 0;) {
      if (job.cancelled) throw fail('cancelled', 'the load was cancelled; the previous events are still loaded');
      const end = Math.min(size, done + SLICE);
      const { rows } = loader.feed(await read(done, end));
      postMessage({ id, progress: { bytesRead: end, totalBytes: size, rowsParsed: rows, what: 'events' } });
      await tick();
      done = end;
      if (size === 0) break;
    }
    return loader.finish();
  } finally {
    loader.dispose();
  }
}

// Events for the current leads; every variant re-scores with them. On any error nothing changes.
async function loadEvents(ls, { input, options = {} }, job, id) {
  needLeads();
  const ev = input === null ? null : await loadEventTable(ls, input, { ...options, leads }, job, id);
  const done = [];
  try {
    for (const v of variants.values()) if (v.scorer) { v.scorer.setEvents(ev); done.push(v); }
  } catch (e) {
    for (const v of done) v.scorer.setEvents(events);  // back to the previous events
    ev?.dispose();
    throw e;
  }
  events?.dispose();
  events = ev;
  eventsSource = ev ? { input, options } : null;
  return { info: ev ? { ...ev.info } : null, variants: states() };
}

function setAsOf(_ls, { date }) {
  const before = asOf;
  const done = [];
  try {
    for (const v of variants.values()) if (v.scorer) { v.scorer.setAsOf(date); done.push(v); }
  } catch (e) {
    for (const v of done) v.scorer.setAsOf(before);
    throw e;
  }
  asOf = date;
  return { variants: states() };
}

function states() {
  const out = {};
  for (const [vid, v] of variants) {
    v.cache = null;
    out[vid] = v.scorer ? state(v) : { error: v.error };
  }
  return out;
}

// ---- outcomes, evaluation and comparison (all computed in the core) ---------------------------

async function bytesOf(input) {
  if (typeof input === 'string') return input;
  if (typeof Blob !== 'undefined' && input instanceof Blob) return new Uint8Array(await input.arrayBuffer());
  return input;
}

async function makeOutcomes(ls, src) {
  if (src.source === 'column') return leads.outcomes(src.column);
  return ls.loadOutcomes(leads, src.leadIdColumn, await bytesOf(src.input), src.options ?? {});
}

async function setOutcomes(ls, src) {
  needLeads();
  if (!src) {
    outcomes?.dispose();
    outcomes = outcomeSource = null;
    return null;
  }
  const o = await makeOutcomes(ls, src);  // throws: the previous outcomes stay
  outcomes?.dispose();
  outcomes = o;
  outcomeSource = src;
  return { ...o.info };
}

// A new table: the same outcome source, if it still applies (else it is dropped, with why).
async function remakeOutcomes(ls) {
  outcomes?.dispose();
  outcomes = null;
  if (!outcomeSource) return null;
  try {
    outcomes = await makeOutcomes(ls, outcomeSource);
    return { ...outcomes.info };
  } catch (e) {
    outcomeSource = null;
    return { error: errorJson(e) };
  }
}

function evaluate(_ls, { variant, capacity }) {
  if (!outcomes) throw fail('state', 'no outcomes yet: pick the column that says whether a lead converted, or load a deals file');
  return scorerOf(variant).scorer.evaluate(outcomes, capacity ? { capacity } : {});
}

function compare(ls, { a, b, capacity, movers = 15, bins = 30 }) {
  return ls.compare(scorerOf(a).scorer, scorerOf(b).scorer, { outcomes: outcomes ?? undefined, capacity: capacity ?? undefined, movers, bins });
}

// Reload the same input with new field declarations (types, header mappings, missing texts).
async function reload(ls, { options, rules }, job, id) {
  if (!source) throw fail('state', 'no leads are loaded yet');
  return loadLeads(ls, { input: source.input, options, rules }, job, id);
}

const ops = {
  version: (ls) => ls.version,
  checkRules: (ls, { rules }) => ls.checkRules(rules),
  init: (ls, { date }) => { asOf = date; return ls.version; },
  apply: (ls, { logic, data }) => ls.apply(logic, data),
  heapBytes: (ls) => ls.heapBytes(),
  loadLeads, reload, setRules, tryRules, dropVariant, view, ledger, breakdown, values, exportCsv, setOutcomes, evaluate, compare, loadEvents, setAsOf,
  crash: () => { setTimeout(() => { throw new Error('worker crash requested by a test'); }); return true; },
};

function errorJson(e) {
  const out = { name: e?.name ?? 'Error', message: e?.message ?? String(e), code: e?.code ?? 'internal' };
  for (const k of ['line', 'column', 'ruleId', 'field', 'path', 'diagnostics', 'operator'])
    if (e?.[k] !== undefined) out[k] = e[k];
  return out;
}

self.addEventListener('message', async ({ data: msg }) => {
  if (!msg || typeof msg !== 'object') return;
  if (msg.op === 'cancel') {
    const job = jobs.get(msg.target);
    if (job) job.cancelled = true;
    return;
  }
  const { id, op, args = {} } = msg;
  const job = { cancelled: false };
  jobs.set(id, job);
  try {
    if (!Object.hasOwn(ops, op)) throw fail('state', `unknown request '${op}'`);
    const ls = await module;
    const value = await ops[op](ls, args, job, id);
    postMessage({ id, ok: true, value });
  } catch (e) {
    postMessage({ id, ok: false, error: errorJson(e) });
  } finally {
    jobs.delete(id);
  }
});
