// leadscore worker: the API of leadscore.mjs off the main thread.
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
//   cancel    {id, method: 'cancel'}                   (id of the loadLeads request to stop; no reply of its own)
//
// methods: version(), apply(logic, data), checkRules(rules), heapBytes(),
//          loadLeads(input, options)  input: string | ArrayBuffer | typed array | Blob | File;
//                                     options: load options + sliceBytes (default 1 MB)
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
//          dispose(handle)
//
// Loading reads the input in slices (Blob.slice(a, b).arrayBuffer() for files, so a big file is
// never held in memory whole), feeds each slice to a LeadLoader, posts a progress event after
// each, and between slices checks whether the request was cancelled: then the loader is
// disposed and the request fails with a LeadScoreError of code 'cancelled'. Typed arrays in
// results are transferred, not copied.
import { load, LeadScoreError } from './leadscore.mjs';

const SLICE = 1 << 20;

// ---- transport --------------------------------------------------------------------------------
let post;
if (typeof WorkerGlobalScope !== 'undefined' && typeof self !== 'undefined' && self instanceof WorkerGlobalScope) {
  post = (msg, transfer = []) => self.postMessage(msg, transfer);
  self.addEventListener('message', (e) => onRequest(e.data));
} else {
  const { parentPort } = await import('node:worker_threads');
  if (!parentPort) throw new Error('leadscore worker.mjs must run in a module Web Worker or a node:worker_threads Worker');
  post = (msg, transfer = []) => parentPort.postMessage(msg, transfer);
  parentPort.on('message', (data) => onRequest(data));
}

// ---- state ------------------------------------------------------------------------------------
const ready = load();
ready.catch(() => {});  // reported to each request instead
const objects = new Map();  // handle -> Leads | Scorer
let nextHandle = 1;
const jobs = new Map();     // request id -> {cancelled}

const keep = (obj) => {
  const h = nextHandle++;
  objects.set(h, obj);
  return h;
};

const LEADS_METHODS = new Set(['row', 'column']);
const OUTCOMES_METHODS = new Set(['values']);
const SCORER_EDITS = new Set(['setRules', 'addRule', 'replaceRule', 'removeRule', 'setEnabled', 'moveRule', 'setEvents', 'setAsOf']);
const SCORER_QUERIES = new Set(['totals', 'groupScores', 'tiers', 'salesReady', 'fitBands', 'engagementBands', 'results', 'ledger', 'row', 'top', 'filterByTier', 'summary', 'toCSV']);

const cancelled = () => new LeadScoreError({ code: 'cancelled', message: 'the load was cancelled' });
const fail = (code, message) => new LeadScoreError({ code, message });
// Lets queued messages (a cancel) be handled between slices.
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function get(handle, kind) {
  const obj = objects.get(handle);
  if (!obj) throw fail('disposed', `no object with handle ${handle} in the worker (disposed?)`);
  if (kind && obj.kind !== kind) throw fail('state', `handle ${handle} is not ${{ leads: 'a lead table', scorer: 'a scorer', outcomes: 'a set of outcomes' }[kind]}`);
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

  loadLeads(ls, [input, options = {}], job, id) {
    const { sliceBytes = SLICE, ...loadOptions } = options ?? {};
    return sliced(ls.createLoader(loadOptions), input, sliceBytes, job, id, 'leads');
  },

  loadEvents(ls, [input, options = {}], job, id) {
    const { sliceBytes = SLICE, leads, ...loadOptions } = options ?? {};
    return sliced(ls.createEventLoader({ ...loadOptions, leads: get(leads, 'leads') }), input, sliceBytes, job, id, 'events');
  },

  score(ls, [leadsHandle, rules, options = {}]) {
    const { events = null, asOf = null } = options ?? {};
    const scorer = ls.score(get(leadsHandle, 'leads'), rules, { events: events === null ? null : get(events, 'events'), asOf });
    scorer.kind = 'scorer';
    return { handle: keep(scorer), rows: scorer.rows, ...scorerState(scorer) };
  },

  call(ls, [handle, method, args = []]) {
    const obj = get(handle);
    if (obj.kind === 'leads' || obj.kind === 'events') {
      if (!LEADS_METHODS.has(method)) throw fail('state', `${obj.kind === 'leads' ? 'lead tables' : 'events'} have no method '${method}'`);
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
      else throw new TypeError(`load${kind === 'leads' ? 'Leads' : 'Events'}() takes a string, an ArrayBuffer, a typed array, a Blob or a File`);
      size = bytes.length;
      read = async (a, b) => bytes.subarray(a, b);
    }
    let done = 0, rows = 0;
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
    loader.dispose();  // no-op after finish()
  }
}

function errorJson(e) {
  if (e instanceof LeadScoreError) {
    const out = { name: e.name, message: e.message, code: e.code };
    for (const k of ['line', 'column', 'ruleId', 'field', 'path', 'diagnostics', 'operator', 'type']) if (e[k] !== undefined) out[k] = e[k];
    return out;
  }
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
