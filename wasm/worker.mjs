// leadscore worker: the API of leadscore.mjs off the main thread.
//
// Longer than our ~600-line guide on purpose: dist/ ships this one file (next to leadscore.mjs),
// and a site that embeds it must get everything our page uses, workspaces included.
//
// Runs inside a module Web Worker (`new Worker(new URL('./worker.mjs', import.meta.url),
// {type: 'module'})`) or a node:worker_threads Worker (`new Worker(url)`), detected at startup.
// It imports ./leadscore.mjs (the file next to it in dist/), keeps Leads and Scorer objects by
// numeric handle, and answers request messages. The client side is worker-client.mjs; the
// protocol is internal to the pair, but simple:
//
//   request   {id, method, args}                    -> reply {id, ok: true, value}
//                                                      or     {id, ok: false, error: {message, code, ...}}
//   progress  (loadLeads only)                      -> {id, progress: {bytesRead, totalBytes, rowsParsed, done?}}
//             (a workspace's loadLeads with {preview: variant id}: the first event of an input longer
//             than one slice also carries `preview`, that slice's leads scored: Workspace.#preview)
//   cancel    {id, method: 'cancel'}                   (id of the loadLeads request to stop; no reply of its own)
//
// methods: version(), apply(logic, data), checkRules(rules), heapBytes(),
//          loadLeads(input, options)  input: string | ArrayBuffer | typed array | Blob | File;
//                                     options: load options + sliceBytes (default 1 MB) + sheet
//                                     (an XLSX file: a sheet name or 0-based index; default the first)
//                                     -> {handle, info}
//          loadEvents(input, options) options: as loadLeads, with leads: a leads handle
//                                     -> {handle, info}   (events joined to those leads)
//          score(leadsHandle, rules, {events: eventsHandle, asOf}) -> {handle, rows, rules, stats, warnings, asOf}
//          call(handle, method, args) -> {value, state?}  (a Leads or Scorer method; edits also
//                                        return the new {rules, stats, warnings})
//          outcomes(leadsHandle, column) -> {handle, info}
//          loadOutcomes(leadsHandle, idColumn, deals, options)  deals: {handle} of loaded leads, or
//                                     text / bytes / Blob -> {handle, info}
//          evaluate(scorerHandle, outcomesHandle, options) -> Evaluation
//          compare(aHandle, bHandle, options)  options.outcomes: an outcomes handle -> Comparison
//          listMigration(aHandle, bHandle, options) -> Int32Array
//          dispose(handle), limits() -> the core's input limits
//          createWorkspace({asOf}) -> {handle}
//          workspace(handle, op, args)  a workspace operation (see "workspaces" below; loadLeads,
//                                     reload, tryRules and loadEvents post progress and can be cancelled)
//
// Loading reads the input in slices (files through Blob.stream() in a workspace, else
// Blob.slice(a, b).arrayBuffer(), so a big file is never held in memory whole), feeds each slice to a LeadLoader, posts a progress event after
// each, and between slices checks whether the request was cancelled: then the loader is
// disposed and the request fails with a LeadScoreError of code 'cancelled'. Typed arrays in
// results are transferred, not copied.
import { load, LeadScoreError, checkWhole } from './leadscore.mjs';

const SLICE = 1 << 20;
// Rows in the preview of a file still loading (scored from its first slice).
const PREVIEW_ROWS = 20;

// ---- transport --------------------------------------------------------------------------------
let post;
if (typeof WorkerGlobalScope !== 'undefined' && typeof self !== 'undefined' && self instanceof WorkerGlobalScope) {
  post = (msg, transfer = []) => self.postMessage(msg, transfer);
  self.addEventListener('message', (e) => onRequest(e.data));
} else {
  const { parentPort } = await import('node:worker_threads');
  if (!parentPort)
    throw new Error('leadscore worker.mjs must run in a module Web Worker or a node:worker_threads Worker');
  post = (msg, transfer = []) => parentPort.postMessage(msg, transfer);
  parentPort.on('message', (data) => onRequest(data));
}

// ---- state ------------------------------------------------------------------------------------
const ready = load();
ready.catch(() => {}); // reported to each request instead
const objects = new Map(); // handle -> Leads | Scorer
let nextHandle = 1;
const jobs = new Map(); // request id -> {cancelled}

const keep = (obj) => {
  const h = nextHandle++;
  objects.set(h, obj);
  return h;
};

const LEADS_METHODS = new Set(['row', 'column']);
const OUTCOMES_METHODS = new Set(['values']);
const SCORER_EDITS = new Set([
  'setRules',
  'addRule',
  'replaceRule',
  'removeRule',
  'setEnabled',
  'moveRule',
  'setEvents',
  'setAsOf',
]);
const SCORER_QUERIES = new Set([
  'totals',
  'groupScores',
  'tiers',
  'salesReady',
  'fitBands',
  'engagementBands',
  'results',
  'ledger',
  'row',
  'top',
  'filterByTier',
  'summary',
  'toCSV',
]);

const cancelled = () => new LeadScoreError({ code: 'cancelled', message: 'the load was cancelled' });
const fail = (code, message) => new LeadScoreError({ code, message });
// Lets queued messages (a cancel) be handled between slices.
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function get(handle, kind) {
  const obj = objects.get(handle);
  if (!obj) throw fail('disposed', `no object with handle ${handle} in the worker (disposed?)`);
  if (kind && obj.kind !== kind)
    throw fail(
      'state',
      `handle ${handle} is not ${{ leads: 'a lead table', scorer: 'a scorer', outcomes: 'a set of outcomes', workspace: 'a workspace' }[kind]}`,
    );
  return obj;
}

// The ArrayBuffers of the typed arrays in a result, to transfer them.
// (The facade returns copies, never views of wasm memory, so transferring them is safe.)
function buffers(value, out = new Set()) {
  if (ArrayBuffer.isView(value)) out.add(value.buffer);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) buffers(v, out);
  return out;
}

const scorerState = (s) => ({ rules: s.rules, stats: s.stats, warnings: s.warnings, asOf: s.asOf });

// ---- methods ----------------------------------------------------------------------------------
const methods = {
  version: (ls) => ls.version,
  apply: (ls, [logic, data]) => ls.apply(logic, data),
  checkRules: (ls, [rules]) => ls.checkRules(rules),
  heapBytes: (ls) => ls.heapBytes(),
  limits: (ls) => ls.limits,

  // A workspace (see the section at the end): the stateful, coarse API the page uses.
  createWorkspace(ls, [options = {}]) {
    const w = new Workspace(ls, options ?? {});
    return { handle: keep(w) };
  },
  workspace(ls, [handle, op, args = {}], job, id) {
    const w = get(handle, 'workspace');
    if (!Object.hasOwn(WORKSPACE_OPS, op)) throw fail('state', `workspaces have no operation '${op}'`);
    return w[op](args ?? {}, { job, progress: (p) => post({ id, progress: p }) });
  },
  // For tests of the client's restart: the worker dies as if the wasm had aborted.
  crashForTests() {
    setTimeout(() => {
      throw new Error('worker crash requested by a test');
    });
    return true;
  },

  async loadLeads(ls, [input, options = {}], job, id) {
    const { sliceBytes = SLICE, sheet, ...loadOptions } = options ?? {};
    const workbook = await spreadsheetAsCsv(input, sheet);
    const source = workbook?.csv ?? input;
    const loader = ls.createLoader({ sizeHint: byteSize(source), ...loadOptions });
    const result = await sliced(loader, source, sliceBytes, job, id, 'leads');
    if (workbook) result.info.source = workbook.source;
    return result;
  },

  loadEvents(ls, [input, options = {}], job, id) {
    const { sliceBytes = SLICE, leads, ...loadOptions } = options ?? {};
    return sliced(
      ls.createEventLoader({ ...loadOptions, leads: get(leads, 'leads') }),
      input,
      sliceBytes,
      job,
      id,
      'events',
    );
  },

  score(ls, [leadsHandle, rules, options = {}]) {
    const { events = null, asOf = null } = options ?? {};
    const scorer = ls.score(get(leadsHandle, 'leads'), rules, {
      events: events === null ? null : get(events, 'events'),
      asOf,
    });
    scorer.kind = 'scorer';
    return { handle: keep(scorer), rows: scorer.rows, ...scorerState(scorer) };
  },

  call(ls, [handle, method, args = []]) {
    const obj = get(handle);
    if (obj.kind === 'leads' || obj.kind === 'events') {
      if (!LEADS_METHODS.has(method))
        throw fail('state', `${obj.kind === 'leads' ? 'lead tables' : 'events'} have no method '${method}'`);
      return { value: obj[method](...args) };
    }
    if (obj.kind === 'outcomes') {
      if (!OUTCOMES_METHODS.has(method)) throw fail('state', `outcomes have no method '${method}'`);
      return { value: obj[method](...args) };
    }
    if (method === 'setEvents') args = [args[0] === null || args[0] === undefined ? null : get(args[0], 'events')];
    if (SCORER_EDITS.has(method)) return { value: obj[method](...args), state: scorerState(obj) };
    if (SCORER_QUERIES.has(method)) return { value: obj[method](...args) };
    throw fail('state', `scorers have no method '${method}'`);
  },

  outcomes(ls, [leadsHandle, column]) {
    const o = get(leadsHandle, 'leads').outcomes(column);
    o.kind = 'outcomes';
    return { handle: keep(o), info: o.info };
  },

  async loadOutcomes(ls, [leadsHandle, idColumn, deals, options = {}]) {
    const leads = get(leadsHandle, 'leads');
    let input = deals;
    if (deals && typeof deals === 'object' && typeof deals.handle === 'number') input = get(deals.handle, 'leads');
    else if (typeof Blob !== 'undefined' && deals instanceof Blob) input = new Uint8Array(await deals.arrayBuffer());
    const o = ls.loadOutcomes(leads, idColumn, input, options ?? {});
    o.kind = 'outcomes';
    return { handle: keep(o), info: o.info };
  },

  evaluate(ls, [scorerHandle, outcomesHandle, options = {}]) {
    return get(scorerHandle, 'scorer').evaluate(get(outcomesHandle, 'outcomes'), options ?? {});
  },

  compare(ls, [a, b, options = {}]) {
    const { outcomes, ...rest } = options ?? {};
    if (outcomes !== undefined && outcomes !== null) rest.outcomes = get(outcomes, 'outcomes');
    return ls.compare(get(a, 'scorer'), get(b, 'scorer'), rest);
  },

  listMigration(ls, [a, b, options = {}]) {
    return ls.listMigration(get(a, 'scorer'), get(b, 'scorer'), options ?? {});
  },

  dispose(ls, [handle]) {
    const obj = objects.get(handle);
    if (obj) {
      objects.delete(handle);
      obj.dispose();
    }
    return true;
  },
};

// A ZIP archive's first bytes (XLSX, and also ODS, DOCX...: the reader says which it is not).
const isZip = (head) => head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4;

// An XLSX file as {csv, source} (source: what the table info reports of the workbook), read by
// wasm/xlsx.mjs, which is loaded only now; undefined for any other input. `sheet`: a sheet name
// or 0-based index (default: the first).
async function spreadsheetAsCsv(input, sheet) {
  let bytes;
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    if (!isZip(new Uint8Array(await input.slice(0, 4).arrayBuffer()))) return undefined;
    bytes = new Uint8Array(await input.arrayBuffer());
  } else if (input instanceof ArrayBuffer || ArrayBuffer.isView(input)) {
    bytes =
      input instanceof ArrayBuffer
        ? new Uint8Array(input)
        : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    if (!isZip(bytes)) return undefined;
  } else {
    return undefined;
  }
  const { xlsxToCsv } = await import('./xlsx.mjs');
  try {
    const { csv, sheet: name, sheets, notes } = xlsxToCsv(bytes, { sheet });
    return { csv, source: { format: 'xlsx', sheet: name, sheets, notes } };
  } catch (e) {
    throw fail(e.code ?? 'format', e.message);
  }
}

// Feeds `input` to `loader` in slices with progress and cancellation; keeps the result.
async function sliced(loader, input, sliceBytes, job, id, kind) {
  try {
    const slice = Math.max(1, Math.floor(sliceBytes));
    let size, read;
    if (typeof Blob !== 'undefined' && input instanceof Blob) {
      size = input.size;
      read = (a, b) => input.slice(a, b).arrayBuffer();
    } else {
      let bytes;
      if (typeof input === 'string') bytes = new TextEncoder().encode(input);
      else if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
      else if (ArrayBuffer.isView(input)) bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
      else
        throw new TypeError(
          `load${kind === 'leads' ? 'Leads' : 'Events'}() takes a string, an ArrayBuffer, a typed array, a Blob or a File`,
        );
      size = bytes.length;
      read = async (a, b) => bytes.subarray(a, b);
    }
    let done = 0,
      rows = 0;
    do {
      if (job.cancelled) throw cancelled();
      const end = Math.min(size, done + slice);
      const chunk = await read(done, end);
      if (job.cancelled) throw cancelled();
      rows = loader.feed(chunk).rows;
      done = end;
      post({ id, progress: { bytesRead: done, totalBytes: size, rowsParsed: rows } });
      await tick();
    } while (done < size);
    if (job.cancelled) throw cancelled();
    const table = loader.finish();
    table.kind = kind;
    post({ id, progress: { bytesRead: size, totalBytes: size, rowsParsed: table.rows, done: true } });
    return { handle: keep(table), info: table.info };
  } finally {
    loader.dispose(); // no-op after finish()
  }
}

// A LeadScoreError's fields are the facade's (its own enumerable properties): sent as they are,
// so the facade stays the one place that defines them.
function errorJson(e) {
  if (e instanceof LeadScoreError) return { ...e, name: e.name, message: e.message };
  if (e instanceof Error) return { name: e.name, message: e.message, code: e.code ?? 'internal' };
  return { name: 'Error', message: String(e), code: 'internal' };
}

async function onRequest(msg) {
  if (!msg || typeof msg !== 'object') return;
  const { id, method, args = [] } = msg;
  if (method === 'cancel') {
    const job = jobs.get(id);
    if (job) job.cancelled = true;
    return;
  }
  const job = { cancelled: false };
  jobs.set(id, job);
  try {
    const fn = Object.hasOwn(methods, method) ? methods[method] : null;
    if (!fn) throw fail('state', `unknown method '${method}'`);
    const ls = await ready;
    const value = await fn(ls, args, job, id);
    let transfer = [];
    try {
      transfer = [...buffers(value)];
      post({ id, ok: true, value }, transfer);
    } catch (e) {
      // e.g. a value that cannot be cloned: report it rather than leave the caller waiting
      post({ id, ok: false, error: errorJson(e) });
    }
  } catch (e) {
    post({ id, ok: false, error: errorJson(e) });
  } finally {
    jobs.delete(id);
  }
}

// ---- workspaces -------------------------------------------------------------------------------
// A workspace holds what an app works on: one lead table, a scorer per rule-set variant (e.g. a
// baseline and a draft), optional events and outcomes, and the as-of date. Its operations are
// coarse (load this file for these variants, show rows 200..260 sorted by score, explain lead 17,
// export) and answer with small values, so a page never ships per-lead arrays to its main thread.
// Tiers, sales-ready flags, matrix cells, score order and histograms come from the core.

const WORKSPACE_OPS = Object.fromEntries(
  [
    'loadLeads',
    'reload',
    'setRules',
    'tryRules',
    'dropVariant',
    'view',
    'ledger',
    'breakdown',
    'values',
    'exportCsv',
    'exportXlsx',
    'setOutcomes',
    'evaluate',
    'compare',
    'loadEvents',
    'setAsOf',
    // learning from outcomes and channel quality (docs/learn.md)
    'learn',
    'learnedLead',
    'channels',
    'exportSql',
  ].map((op) => [op, true]),
);

// The size in bytes of a Blob or bytes (a string's UTF-16 length: exact for ASCII text), for
// the loader's sizeHint; 0 when unknown.
function byteSize(input) {
  if (typeof Blob !== 'undefined' && input instanceof Blob) return input.size;
  if (typeof input === 'string') return input.length;
  return input?.byteLength ?? 0;
}

// Reads a string, bytes or Blob in slices: {size, read(a, b)}.
function reader(input, what) {
  if (typeof Blob !== 'undefined' && input instanceof Blob) return streamReader(input);
  let bytes;
  if (typeof input === 'string') bytes = new TextEncoder().encode(input);
  else if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
  else if (ArrayBuffer.isView(input)) bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  else throw new TypeError(`${what} takes a string, an ArrayBuffer, a typed array, a Blob or a File`);
  return { size: bytes.length, read: async (a, b) => bytes.subarray(a, b) };
}

// A File or Blob read front to back through Blob.stream(): read(a, b) (called with a = the
// previous b) gathers the stream's chunks into the next b - a bytes; close() lets the stream go.
function streamReader(blob) {
  const it = blob.stream().getReader();
  let rest = new Uint8Array(0);
  const read = async (a, b) => {
    const parts = [rest];
    let got = rest.length;
    while (got < b - a) {
      const { done, value } = await it.read();
      if (done) break;
      parts.push(value);
      got += value.length;
    }
    const all = parts.length === 1 ? parts[0] : new Uint8Array(got);
    if (parts.length > 1) parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
    rest = all.subarray(b - a);
    return all.subarray(0, b - a);
  };
  return { size: blob.size, read, close: () => it.cancel().catch(() => {}) };
}

// Feeds `input` to a facade loader in slices, with progress and cancellation; returns the table.
// `first(bytes)`, when given, sees the first slice of an input longer than one slice and
// returns what the first progress event carries as `preview`.
async function feedAll(loader, input, { job, progress }, what, sheet, first = null) {
  let source = null;
  try {
    const workbook = what === 'leads' ? await spreadsheetAsCsv(input, sheet) : undefined; // an XLSX file
    if (workbook) input = workbook.csv;
    source = reader(input, what === 'events' ? 'loadEvents()' : 'loadLeads()');
    const { size, read } = source;
    let done = 0;
    do {
      if (job.cancelled) throw cancelled();
      const end = Math.min(size, done + SLICE);
      const slice = await read(done, end);
      const { rows } = loader.feed(slice);
      const preview = first && done === 0 && end < size && !workbook ? first(new Uint8Array(slice)) : null;
      done = end;
      progress({
        bytesRead: done,
        totalBytes: size,
        rowsParsed: rows,
        ...(what === 'events' ? { what } : {}),
        ...(preview ? { preview } : {}),
      });
      await tick();
    } while (done < size);
    if (job.cancelled) throw cancelled();
    const table = loader.finish();
    if (workbook) table.info.source = workbook.source;
    return table;
  } finally {
    source?.close?.();
    loader.dispose();
  }
}

// Where the last whole record of `bytes` (the input's first slice) ends: after its last line
// break outside quotes, since a quoted CSV cell may hold line breaks and the slice may end inside
// one (the preview of such a cut was empty). JSON and NDJSON text has no CSV quoting ('"' is
// escaped inside strings): its records end at any line break. 0 when no record is whole.
function lastRecordEnd(bytes) {
  let k = 0;
  while (k < bytes.length && (bytes[k] <= 32 || bytes[k] === 0xef || bytes[k] === 0xbb || bytes[k] === 0xbf)) k++;
  if (bytes[k] === 0x7b || bytes[k] === 0x5b) return bytes.lastIndexOf(10) + 1;
  let quoted = false,
    end = 0;
  for (; k < bytes.length; k++) {
    const b = bytes[k];
    if (b === 34) quoted = !quoted;
    else if (b === 10 && !quoted) end = k + 1;
  }
  return end;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

class Workspace {
  kind = 'workspace';
  #ls;
  leads = null; // Leads
  source = null; // {input, options}: what `leads` was loaded from (to reload with new field types)
  events = null; // Events joined to `leads`, or null
  eventsSource = null; // {input, options}: to join them again to a new table
  outcomes = null; // Outcomes of `leads`, or null
  outcomeSource = null; // how they were made, to make them again for a new table
  asOf = null; // 'YYYY-MM-DD': every time computation is against it
  variants = new Map(); // variant id -> {scorer, cache, error, skipped}
  columns = new Map(); // column name -> values copied out of wasm once per table
  textCache = null; // {text, mask}
  sortCache = null; // {key, order} for a column sort
  version = 0;

  constructor(ls, { asOf = null }) {
    this.#ls = ls;
    this.asOf = asOf;
  }

  dispose() {
    for (const v of this.variants.values()) v.scorer?.dispose();
    this.variants.clear();
    for (const x of [this.events, this.outcomes, this.leads, this.learner]) x?.dispose();
    this.events = this.outcomes = this.leads = this.learner = null;
  }

  #needLeads() {
    if (!this.leads) throw fail('state', 'no leads are loaded yet: paste or drop a file first');
    return this.leads;
  }

  #variant(id) {
    this.#needLeads();
    const v = this.variants.get(id);
    if (!v || !v.scorer)
      throw fail('state', v?.error?.message ?? 'this rule set has not been applied to the leads yet');
    return v;
  }

  // Pasted data rarely has every column a rule set knows: rules that read a field the data lacks
  // are skipped (scored as disabled by the core) and reported, so the rest still score.
  #score(table, doc, events) {
    const scorer = this.#ls.score(table, doc, { events, asOf: this.asOf, skipMissingFields: true });
    return { value: scorer, skipped: scorer.skipped };
  }

  // ---- loading ----

  /** Loads leads and scores them with every variant ({id: rules}); the old table stays on error. */
  async loadLeads({ input, options = {}, rules = {}, preview = null }, ctx) {
    const loader = this.#ls.createLoader(options.sheet ? options : { sizeHint: byteSize(input), ...options });
    const first = rules?.[preview] ? (bytes) => this.#preview(bytes, options, rules[preview]) : null;
    const table = await feedAll(loader, input, ctx, 'leads', options.sheet, first);
    let newEvents = null;
    let eventsReport = null;
    if (this.eventsSource) {
      // Events belong to one table: join them again to the new one (a failure drops them, with why).
      try {
        newEvents = await this.#eventTable(
          this.eventsSource.input,
          { ...this.eventsSource.options, leads: table },
          ctx,
        );
        eventsReport = { ...newEvents.info };
      } catch (e) {
        eventsReport = { error: errorJson(e) };
      }
    }
    const scored = new Map();
    for (const [vid, rs] of Object.entries(rules ?? {})) {
      try {
        const { value: scorer, skipped } = this.#score(table, rs, newEvents);
        scored.set(vid, { scorer, cache: null, error: null, skipped });
      } catch (e) {
        // The rules do not fit the new data (e.g. a field it lacks): keep the data, report per variant.
        scored.set(vid, { scorer: null, cache: null, error: errorJson(e) });
      }
    }
    if (this.eventsSource) {
      this.events?.dispose();
      this.events = newEvents;
      if (!newEvents) this.eventsSource = null;
    }
    for (const v of this.variants.values()) v.scorer?.dispose();
    this.variants = scored;
    this.leads?.dispose();
    this.leads = table;
    this.source = { input, options };
    this.textCache = this.sortCache = null;
    this.columns = new Map();
    const out = { info: table.info, variants: {}, outcomes: await this.#remakeOutcomes(), events: eventsReport };
    for (const [vid, v] of this.variants) out.variants[vid] = v.scorer ? this.#state(v) : { error: v.error };
    return out;
  }

  /**
   * The first scored rows of a file still loading: the whole records of its first slice are
   * loaded and scored apart (a small table, disposed here) and the best PREVIEW_ROWS of them
   * returned as {rows: [{i, total, tier, values}], leads, bytes, tiers}, or null when that
   * prefix does not load (a quoted line break cut at the slice's end, say) or the rules do not fit.
   */
  #preview(bytes, options, doc) {
    const cut = lastRecordEnd(bytes) - 1;
    if (cut < 0) return null;
    let table = null,
      scorer = null;
    try {
      table = this.#ls.loadLeads(bytes.subarray(0, cut + 1), { ...options, maxProblems: 1 });
      scorer = this.#ls.score(table, doc, { asOf: this.asOf, skipMissingFields: true });
      const totals = scorer.totals(),
        tiers = scorer.tiers();
      const order = Array.from(totals.keys()).sort((a, b) => totals[b] - totals[a] || a - b);
      const rows = order
        .slice(0, PREVIEW_ROWS)
        .map((i) => ({ i, total: totals[i], tier: tiers[i], values: table.row(i) }));
      return { rows, leads: table.rows, bytes: cut + 1, tiers: scorer.rules.tiers.map((t) => t.name) };
    } catch {
      return null;
    } finally {
      scorer?.dispose();
      table?.dispose();
    }
  }

  /** Reads the same input again with new field declarations (types, header mappings, missing texts). */
  reload({ options, rules }, ctx) {
    if (!this.source) throw fail('state', 'no leads are loaded yet');
    return this.loadLeads({ input: this.source.input, options, rules }, ctx);
  }

  // ---- scoring ----

  // Per-lead results of one variant, copied out of wasm lazily and at most once per change.
  #results(v) {
    if (!v.cache) {
      const s = v.scorer;
      const memo = {};
      const once = (k, f) => (memo[k] ??= f());
      v.cache = {
        version: ++this.version,
        get totals() {
          return once('totals', () => s.totals());
        },
        get tiers() {
          return once('tiers', () => s.tiers());
        },
        get ready() {
          return once('ready', () => s.salesReady());
        },
        get fit() {
          return once('fit', () => s.fitBands());
        },
        get engagement() {
          return once('engagement', () => s.engagementBands());
        },
        group: (k) => once(`g${k}`, () => s.groupScores(k)),
      };
    }
    return v.cache;
  }

  #state(v) {
    const s = v.scorer;
    const r = this.#results(v);
    const summary = s.summary({ bins: 1 });
    const { bins, histogram } = s.binnedHistogram(v.bins); // edges kept while the totals fit them
    v.bins = bins;
    return {
      rules: s.rules,
      stats: s.stats,
      warnings: s.warnings,
      rows: s.rows,
      skipped: v.skipped ?? [],
      summary: { ...summary, histogram, bins },
      version: r.version,
    };
  }

  #states() {
    const out = {};
    for (const [vid, v] of this.variants) {
      v.cache = null;
      out[vid] = v.scorer ? this.#state(v) : { error: v.error };
    }
    return out;
  }

  /** Scores `variant` with `rules` (an edit re-scores incrementally); invalid rules change nothing. */
  setRules({ variant, rules }) {
    this.#needLeads();
    const v = this.variants.get(variant);
    if (!v || !v.scorer) {
      const { value: scorer, skipped } = this.#score(this.leads, rules, this.events);
      v?.scorer?.dispose();
      const nv = { scorer, cache: null, error: null, skipped };
      this.variants.set(variant, nv);
      return { ...this.#state(nv), evaluated: null };
    }
    const edit = v.scorer.setRules(rules, { skipMissingFields: true }); // all-or-nothing
    const { skipped } = edit;
    v.cache = null;
    v.skipped = skipped;
    return { ...this.#state(v), evaluated: edit.evaluated };
  }

  /** Would these rules score the loaded leads? With reread, on the input read with their field declarations. */
  async tryRules({ rules, reread = false }, ctx) {
    if (!this.leads) return { skipped: [] };
    const table =
      reread && this.source
        ? await feedAll(this.#ls.createLoader({ rules }), this.source.input, ctx, 'leads', this.source.options?.sheet)
        : this.leads;
    let ev = null;
    try {
      if (table !== this.leads && this.eventsSource)
        ev = await this.#eventTable(this.eventsSource.input, { ...this.eventsSource.options, leads: table }, ctx);
      const { value: scorer, skipped } = this.#score(table, rules, table === this.leads ? this.events : ev);
      scorer.dispose();
      return { skipped };
    } finally {
      ev?.dispose();
      if (table !== this.leads) table.dispose();
    }
  }

  dropVariant({ variant }) {
    this.variants.get(variant)?.scorer?.dispose();
    this.variants.delete(variant);
    return true;
  }

  // ---- views: sort, filter, a window of rows ----

  #column(name) {
    if (!this.columns.has(name)) this.columns.set(name, this.#needLeads().column(name));
    return this.columns.get(name);
  }

  // Leads with a cell containing `text` (texts, case-insensitive) or equal to it (numbers).
  #textMask(text) {
    if (this.textCache?.text === text) return this.textCache.mask;
    const needle = text.toLowerCase();
    const want = Number(text);
    const mask = new Uint8Array(this.leads.rows);
    for (const c of this.leads.columns) {
      const col = this.#column(c.name);
      if (col.type === 'string') {
        const hit = col.dictionary.map((s) => s.toLowerCase().includes(needle));
        for (let i = 0; i < mask.length; i++) if (col.codes[i] >= 0 && hit[col.codes[i]]) mask[i] = 1;
      } else if (col.type === 'number' && Number.isFinite(want)) {
        for (let i = 0; i < mask.length; i++) if (col.values[i] === want) mask[i] = 1;
      }
    }
    this.textCache = { text, mask };
    return mask;
  }

  // Lead order for a data column (not a score): missing values last, ties in file order.
  #columnOrder(name, descending) {
    const col = this.#column(name);
    const n = this.leads.rows;
    const keys = new Float64Array(n);
    if (col.type === 'string') {
      const byText = col.dictionary
        .map((_, k) => k)
        .sort((a, b) => collator.compare(col.dictionary[a], col.dictionary[b]));
      const rankOf = new Float64Array(col.dictionary.length);
      byText.forEach((k, r) => (rankOf[k] = r));
      for (let i = 0; i < n; i++) keys[i] = col.codes[i] < 0 ? NaN : rankOf[col.codes[i]];
    } else {
      keys.set(col.values);
    }
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const sign = descending ? -1 : 1;
    return order.sort((a, b) => {
      const x = keys[a];
      const y = keys[b];
      const mx = Number.isNaN(x);
      const my = Number.isNaN(y);
      if (mx || my) return mx === my ? a - b : mx ? 1 : -1;
      return x === y ? a - b : x < y ? -sign : sign;
    });
  }

  // Leads of one cell of a migration matrix (A's tier/cell -> B's), by score under this variant.
  #subsetOrder(v, subset) {
    const other = this.#variant(subset.other).scorer;
    const [a, b] = subset.otherIsA ? [other, v.scorer] : [v.scorer, other];
    const ids = new Uint8Array(this.leads.rows);
    for (const i of this.#ls.listMigration(a, b, { kind: subset.kind, from: subset.from, to: subset.to })) ids[i] = 1;
    const picked = v.scorer.top(0, { ascending: false }).filter((i) => ids[i]);
    return { picked, count: picked.length, complete: true };
  }

  // Leads in view order (sorted, filtered), kept until the rules, sort or filter change, so
  // scrolling only fetches rows. Sorting by score asks the core for just the first `need` leads
  // (a partial sort) and for more only when the user scrolls further.
  #viewOrder(v, { sort, tier, text, subset }, need) {
    const r = this.#results(v);
    const s = v.scorer;
    const key = JSON.stringify([sort, tier, text, subset]);
    if (r.viewKey === key && (r.view.complete || r.view.picked.length >= need)) return r.view;
    r.viewKey = key;
    if (subset) return (r.view = this.#subsetOrder(v, subset));
    const tierIndex = tier === null || tier === '' ? -1 : s.rules.tiers.findIndex((t) => t.name === tier);
    if (tierIndex < 0 && tier !== null && tier !== '')
      throw new LeadScoreError({
        code: 'unknown_tier',
        message: `no tier '${tier}': the tiers are ${s.rules.tiers.map((t) => t.name).join(', ')}`,
      });
    const byScore = sort.key === 'score' || sort.key.startsWith('group:');
    const by = sort.key === 'score' ? 'total' : sort.key.slice(6);
    const mask = text.trim() ? this.#textMask(text.trim()) : null;
    if (byScore && !mask) {
      const count = tierIndex < 0 ? s.rows : s.summary({ bins: 1 }).tiers[tierIndex].count;
      // Ask for a generous prefix: a full sort once the user is deep in the list.
      const n = need > 20000 ? 0 : Math.min(count, Math.max(1000, need * 2));
      const picked = s.top(n, { by, tier: tierIndex < 0 ? undefined : tierIndex, ascending: sort.dir === 'asc' });
      return (r.view = { picked, count, complete: picked.length >= count });
    }
    let order;
    if (byScore) order = s.top(0, { by, tier: tierIndex < 0 ? undefined : tierIndex, ascending: sort.dir === 'asc' });
    else if (sort.key === 'lead')
      order = Int32Array.from({ length: this.leads.rows }, (_, i) =>
        sort.dir === 'asc' ? i : this.leads.rows - 1 - i,
      );
    else {
      const ck = `${sort.key}\u0000${sort.dir}`;
      if (this.sortCache?.key !== ck)
        this.sortCache = { key: ck, order: this.#columnOrder(sort.key, sort.dir === 'desc') };
      order = this.sortCache.order;
    }
    const tiers = tierIndex >= 0 && !byScore ? r.tiers : null;
    const picked =
      tiers || mask ? order.filter((i) => (!tiers || tiers[i] === tierIndex) && (!mask || mask[i])) : order;
    return (r.view = { picked, count: picked.length, complete: true });
  }

  /** A window of rows of `variant` sorted ({key: 'score'|'group:<id>'|'lead'|column, dir}) and filtered. */
  view({
    variant,
    sort = { key: 'score', dir: 'desc' },
    tier = null,
    text = '',
    subset = null,
    offset = 0,
    limit = 60,
  }) {
    const v = this.#variant(variant);
    const r = this.#results(v);
    if (typeof sort?.key !== 'string' || !['asc', 'desc'].includes(sort.dir))
      throw fail('state', "view(): sort is {key: 'score' | 'group:<id>' | 'lead' | a column, dir: 'asc' | 'desc'}");
    // Malformed numbers are errors; an offset past the end (the filter shrank the rows under a
    // scrolled table) is an empty window whose `offset` says where the rows end.
    checkWhole(offset, 'offset', 0, Number.MAX_SAFE_INTEGER);
    checkWhole(limit, 'limit', 0, 10000);
    const { picked, count } = this.#viewOrder(v, { sort, tier, text: String(text ?? ''), subset }, offset + limit);
    const start = Math.max(0, Math.min(offset, count));
    const groups = v.scorer.rules.groups;
    const m = v.scorer.rules.matrix;
    const rows = [];
    for (let j = start; j < Math.min(picked.length, start + limit); j++) {
      const i = picked[j];
      rows.push({
        i,
        total: r.totals[i],
        tier: r.tiers[i],
        salesReady: !!r.ready[i],
        groups: groups.map((_, k) => r.group(k)[i]),
        cell: m ? m.fit.bands[r.fit[i]].label + m.engagement.bands[r.engagement[i]].label : null,
        values: this.leads.row(i),
      });
    }
    return { count, offset: start, rows };
  }

  /** Why lead `lead` scored what it did under `variant`, and its values. */
  ledger({ variant, lead }) {
    const v = this.#variant(variant);
    return { ledger: v.scorer.ledger(lead), row: this.leads.row(lead) };
  }

  // Label and code per lead of a text or yes/no column.
  #categories(column) {
    const col = this.#column(column);
    if (col.type === 'string') return { labels: col.dictionary, codeOf: (i) => col.codes[i] };
    if (col.type === 'boolean') {
      const val = col.values;
      return { labels: ['false', 'true'], codeOf: (i) => (Number.isNaN(val[i]) ? -1 : val[i] ? 1 : 0) };
    }
    throw new LeadScoreError({
      code: 'type_mismatch',
      field: column,
      message: `'${column}' is a ${col.type} column: pick a text or yes/no column to break scores down by`,
    });
  }

  /** Count, mean score and share sales-ready per value of a text or yes/no column (the top `limit`, then the rest). */
  breakdown({ variant, column, limit = 12 }) {
    checkWhole(limit, 'limit', 0, 10000);
    const r = this.#results(this.#variant(variant));
    const { labels, codeOf } = this.#categories(column);
    const n = labels.length + 1; // the last: missing
    const count = new Float64Array(n);
    const sum = new Float64Array(n);
    const ready = new Float64Array(n);
    const { totals, ready: isReady } = r;
    for (let i = 0; i < this.leads.rows; i++) {
      const c = codeOf(i);
      const k = c < 0 ? labels.length : c;
      count[k]++;
      sum[k] += totals[i];
      ready[k] += isReady[i] ? 1 : 0;
    }
    const all = [];
    for (let k = 0; k < n; k++)
      if (count[k])
        all.push({
          value: k === labels.length ? null : labels[k],
          count: count[k],
          mean: sum[k] / count[k],
          salesReady: ready[k] / count[k],
        });
    all.sort((a, b) => b.count - a.count || (a.value ?? '').localeCompare(b.value ?? ''));
    const top = all.slice(0, limit);
    if (all.length > limit) {
      const rest = all.slice(limit);
      const c = rest.reduce((a, x) => a + x.count, 0);
      const mean = rest.reduce((a, x) => a + x.mean * x.count, 0) / c;
      const salesReady = rest.reduce((a, x) => a + x.salesReady * x.count, 0) / c;
      top.push({ value: `${rest.length} other values`, other: true, count: c, mean, salesReady });
    }
    return { column, distinct: all.length, rows: top };
  }

  /** The most common values of a text column (suggestions while writing a condition). */
  values({ column, limit = 200 }) {
    checkWhole(limit, 'limit', 0, 100000);
    const col = this.#column(column);
    if (col.type !== 'string') return [];
    const count = new Float64Array(col.dictionary.length);
    for (let i = 0; i < col.codes.length; i++) if (col.codes[i] >= 0) count[col.codes[i]]++;
    return col.dictionary
      .map((v, k) => [v, count[k]])
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([v]) => v);
  }

  /** The scored leads as a CSV Blob (built in pieces: never one huge string). */
  exportCsv({ variant, reasons = true, keep, add, rename }) {
    const s = this.#variant(variant).scorer;
    const parts = [];
    const step = reasons ? 10000 : 50000;
    const columns = { reasons, keep, add, rename };
    for (let b = 0; b < s.rows; b += step)
      parts.push(s.toCSV({ ...columns, begin: b, end: Math.min(s.rows, b + step), header: b === 0 }));
    if (!parts.length) parts.push(s.toCSV(columns));
    return new Blob(parts, { type: 'text/csv;charset=utf-8' });
  }

  /**
   * The same export as an XLSX workbook (wasm/xlsx.mjs, loaded now): numbers as number cells,
   * text columns of the leads (ids, zip codes) as text whatever they look like.
   */
  async exportXlsx(args) {
    const csv = await this.exportCsv(args).text();
    const rename = args.rename ?? {};
    const text = new Set(
      this.leads.info.columns.filter((c) => c.type === 'string').map((c) => rename[c.header] ?? c.header),
    );
    const { csvToXlsx } = await import('./xlsx.mjs');
    try {
      const bytes = csvToXlsx(csv, { textColumns: text });
      return new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    } catch (e) {
      throw fail(e.code ?? 'export', e.message);
    }
  }

  /** The variant's rule set as one SQL query (docs/sql.md), typed by the loaded leads and events. */
  exportSql({ variant, dialect, ...options }) {
    const s = this.#variant(variant).scorer;
    const asOf = this.asOf ? { asOf: this.asOf } : {};
    return this.#ls.toSql(s.rules, { ...options, ...asOf, dialect, leads: this.leads, events: this.events });
  }

  // ---- events and the as-of date ----

  #eventTable(input, options, ctx) {
    return feedAll(this.#ls.createEventLoader(options), input, ctx, 'events');
  }

  /** Events for the current leads (null: none); every variant re-scores with them. On error nothing changes. */
  async loadEvents({ input, options = {} }, ctx) {
    this.#needLeads();
    const ev = input === null ? null : await this.#eventTable(input, { ...options, leads: this.leads }, ctx);
    this.#forEachScorer(
      (s) => s.setEvents(ev),
      (s) => s.setEvents(this.events),
      () => ev?.dispose(),
    );
    this.events?.dispose();
    this.events = ev;
    this.eventsSource = ev ? { input, options } : null;
    return { info: ev ? { ...ev.info } : null, variants: this.#states() };
  }

  /** The date every time condition is computed against ('YYYY-MM-DD'); every variant re-scores. */
  setAsOf({ date }) {
    const before = this.asOf;
    this.#forEachScorer(
      (s) => s.setAsOf(date),
      (s) => s.setAsOf(before),
    );
    this.asOf = date;
    return { variants: this.#states() };
  }

  // Applies `change` to every scorer; if one fails, `undo` the ones done, `cleanup`, rethrow.
  #forEachScorer(change, undo, cleanup = () => {}) {
    const done = [];
    try {
      for (const v of this.variants.values())
        if (v.scorer) {
          change(v.scorer);
          done.push(v.scorer);
        }
    } catch (e) {
      for (const s of done) undo(s);
      cleanup();
      throw e;
    }
  }

  // ---- outcomes, evaluation and comparison ----

  async #makeOutcomes(src) {
    if (src.source === 'column') return this.leads.outcomes(src.column);
    const input =
      typeof Blob !== 'undefined' && src.input instanceof Blob
        ? new Uint8Array(await src.input.arrayBuffer())
        : src.input;
    return this.#ls.loadOutcomes(this.leads, src.leadIdColumn, input, src.options ?? {});
  }

  /** Outcomes from a column ({source: 'column', column}) or a deals file ({source: 'ids', leadIdColumn, input, options}); null: none. */
  async setOutcomes(src) {
    this.#needLeads();
    if (!src || src.source === undefined) {
      this.outcomes?.dispose();
      this.outcomes = this.outcomeSource = null;
      return null;
    }
    const o = await this.#makeOutcomes(src); // throws: the previous outcomes stay
    this.outcomes?.dispose();
    this.outcomes = o;
    this.outcomeSource = src;
    return { ...o.info };
  }

  // A new table: the same outcome source, if it still applies (else it is dropped, with why).
  async #remakeOutcomes() {
    this.outcomes?.dispose();
    this.outcomes = null;
    if (!this.outcomeSource) return null;
    try {
      this.outcomes = await this.#makeOutcomes(this.outcomeSource);
      return { ...this.outcomes.info };
    } catch (e) {
      this.outcomeSource = null;
      return { error: errorJson(e) };
    }
  }

  evaluate({ variant, capacity }) {
    if (!this.outcomes)
      throw fail('state', 'no outcomes yet: pick the column that says whether a lead converted, or load a deals file');
    return this.#variant(variant).scorer.evaluate(this.outcomes, capacity ? { capacity } : {});
  }

  compare({ a, b, capacity, movers = 15, bins = 30 }) {
    const options = { outcomes: this.outcomes ?? undefined, capacity: capacity ?? undefined, movers, bins };
    return this.#ls.compare(this.#variant(a).scorer, this.#variant(b).scorer, options);
  }

  // ---- learning from outcomes and channel quality (docs/learn.md) ----

  learner = null; // the last finished learning run (per-lead probabilities and factors)

  /** Learns a scorecard from the outcomes ({variant}: its rules become features too); progress per step, cancellable between steps. */
  async learn({ variant = null, options = {} } = {}, { job, progress }) {
    this.#needLeads();
    if (!this.outcomes)
      throw fail('state', 'no outcomes yet: pick the column that says whether a lead converted, or load a deals file');
    const source = variant ? this.#variant(variant).scorer : this.leads;
    const learner = this.#ls.createLearner(source, this.outcomes, options ?? {});
    try {
      for (;;) {
        if (job.cancelled) throw fail('cancelled', 'learning was cancelled');
        const s = learner.step();
        progress({ done: s.done, stage: s.stage });
        if (!s.more) break;
        await tick();
      }
      this.learner?.dispose();
      this.learner = learner;
      return learner.result();
    } catch (e) {
      learner.dispose();
      throw e;
    }
  }

  /** One lead's probability and top factors under the last learned model. */
  learnedLead({ lead, top = 3 }) {
    if (!this.learner) throw fail('state', 'nothing learned yet: run learn first');
    return this.learner.lead(lead, top);
  }

  /** Score distribution, conversion and lift by the values of a column. */
  channels({ variant, column, values = 20, bins = 10 }) {
    return this.#ls.channels(this.#variant(variant).scorer, column, {
      outcomes: this.outcomes ?? undefined,
      values,
      bins,
    });
  }
}
