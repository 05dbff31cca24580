// leadscore worker client: the leadscore API, asynchronous, backed by worker.mjs running in a
// module Web Worker or a node:worker_threads Worker. The main thread never loads the wasm.
// Longer than our ~600-line guide on purpose: dist/ ships this one file for sites to import
// (workspaces included, the API our page uses), so it cannot import siblings of its own.
//
//   import { connect } from './worker-client.mjs';
//   const ls = connect(new Worker(new URL('./worker.mjs', import.meta.url), { type: 'module' }));
//   const controller = new AbortController();
//   const leads = await ls.loadLeads(file, {                  // File, Blob, ArrayBuffer, bytes or text
//     rules, onProgress: (p) => bar.value = p.bytesRead / p.totalBytes, signal: controller.signal });
//   const scorer = await ls.score(leads, rules);
//   const totals = await scorer.totals();                     // Float64Array, transferred
//   await scorer.replaceRule('demo', { ...rule, points: 30 }); // re-scores in the worker
//   console.log(scorer.rules, await scorer.top(10), await scorer.ledger(0));
//   await scorer.dispose(); await leads.dispose(); ls.close();
//   // events (docs/rules.md, "Events"): joined to the leads in the worker, scored against asOf
//   const events = await ls.loadEvents(eventsFile, { leads, onProgress });
//   const s2 = await ls.score(leads, rules, { events, asOf: new Date() });
//   await s2.setAsOf('2024-03-31'); await s2.setEvents(null);
//
// In Node: connect(new Worker(new URL('./worker.mjs', import.meta.url))) with Worker from
// node:worker_threads. Errors are LeadScoreError objects (exported here; an Error with code and,
// when known, line/column/ruleId/field/path/diagnostics), like the in-process API's. Remote
// objects dropped without dispose() are disposed in the worker after garbage collection.

/**
 * An error from the scoring core (or the worker), re-created on this side with the fields the
 * facade's LeadScoreError set (code, line, column, ruleId, field, path, diagnostics, ...): this
 * side never loads the module, so it cannot import that class; the fields are copied as sent.
 */
export class LeadScoreError extends Error {
  constructor(error) {
    super(error.message);
    const { name: _name, message: _message, stack: _stack, ...fields } = error;
    Object.assign(this, fields);
    this.name = 'LeadScoreError';
    this.code = error.code ?? 'internal';
  }
}

const cancelledError = () => new LeadScoreError({ code: 'cancelled', message: 'the load was cancelled' });

/**
 * Connects to a worker running worker.mjs. `worker`: a browser `Worker` (module type) or a
 * node:worker_threads `Worker`, or a function that makes one: then a worker that dies (a crash,
 * an out-of-memory abort) is replaced by a new one and `onRestart(why)` is called, so the app
 * can load its data again (remote objects of the dead worker reject with code 'crashed').
 * Returns the remote API; its methods return promises.
 */
export function connect(worker, { onRestart } = {}) {
  return new RemoteLeadScore(worker, onRestart);
}

const crashedError = (why) => new LeadScoreError({ code: 'crashed', message: `the leadscore worker stopped (${why})` });

class Channel {
  #worker;
  #pending = new Map();
  #nextId = 1;
  #closed = null;
  #registry;
  #latest = new Map();
  #onCrash;
  constructor(worker, onCrash = null) {
    this.#worker = worker;
    this.#onCrash = onCrash;
    const onMessage = (msg) => this.#onMessage(msg);
    const onFailure = (why) => this.#crash(why);
    if (typeof worker.on === 'function') {
      // node:worker_threads
      worker.on('message', onMessage);
      worker.on('error', (err) => onFailure(err?.message ?? String(err)));
      worker.on('exit', (code) => onFailure(`it exited with code ${code}`));
    } else {
      worker.addEventListener('message', (e) => onMessage(e.data));
      worker.addEventListener('error', (e) => {
        e.preventDefault?.();
        onFailure(e.message || 'it failed to start or crashed');
      });
      worker.addEventListener('messageerror', () => onFailure('a message from it could not be read'));
    }
    // Remote objects that are garbage-collected without dispose() are disposed in the worker.
    this.#registry =
      typeof FinalizationRegistry === 'function'
        ? new FinalizationRegistry((handle) => {
            if (!this.#closed) this.request('dispose', [handle]).catch(() => {});
          })
        : null;
  }

  track(obj, handle) {
    this.#registry?.register(obj, handle, obj);
  }
  untrack(obj) {
    this.#registry?.unregister(obj);
  }

  #onMessage(msg) {
    if (!msg || typeof msg !== 'object') return;
    const p = this.#pending.get(msg.id);
    if (!p) return;
    if (msg.progress) {
      try {
        p.onProgress?.(msg.progress);
      } catch (e) {
        queueMicrotask(() => {
          throw e;
        });
      }
      return;
    }
    this.#pending.delete(msg.id);
    p.cleanup?.();
    if (msg.ok) p.resolve(msg.value);
    else p.reject(new LeadScoreError(msg.error));
  }

  #crash(why) {
    if (this.#closed) return;
    this.#fail(crashedError(why));
    this.#worker.terminate();
    this.#onCrash?.(why);
  }

  #fail(err) {
    this.#closed ??= err;
    for (const p of this.#pending.values()) {
      p.cleanup?.();
      p.reject(err);
    }
    this.#pending.clear();
  }

  /** Sends {id, method, args}; resolves with the reply's value. */
  request(method, args = [], { onProgress, signal, transfer = [] } = {}) {
    if (this.#closed) return Promise.reject(this.#closed);
    if (signal?.aborted) return Promise.reject(cancelledError());
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const p = { resolve, reject, onProgress, cleanup: null };
      if (signal) {
        const onAbort = () => this.#worker.postMessage({ id, method: 'cancel' });
        signal.addEventListener('abort', onAbort, { once: true });
        p.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.#pending.set(id, p);
      try {
        this.#worker.postMessage({ id, method, args }, transfer);
      } catch (e) {
        this.#pending.delete(id);
        p.cleanup?.();
        reject(e);
      }
    });
  }

  /**
   * Like request(), keeping at most one call per `key` in flight: a call made while one runs
   * replaces any call still waiting, which resolves with {superseded: true}. For live re-scoring:
   * typing never queues up stale work.
   */
  latest(key, method, args = []) {
    let slot = this.#latest.get(key);
    if (!slot) this.#latest.set(key, (slot = { running: false, waiting: null }));
    return new Promise((resolve, reject) => {
      if (slot.waiting) slot.waiting.resolve({ superseded: true });
      slot.waiting = { method, args, resolve, reject };
      if (!slot.running) this.#drain(slot);
    });
  }

  async #drain(slot) {
    while (slot.waiting) {
      const job = slot.waiting;
      slot.waiting = null;
      slot.running = true;
      try {
        job.resolve(await this.request(job.method, job.args));
      } catch (e) {
        job.reject(e);
      } finally {
        slot.running = false;
      }
    }
  }

  close() {
    if (this.#closed) return;
    this.#fail(new LeadScoreError({ code: 'disposed', message: 'the connection to the leadscore worker was closed' }));
    this.#worker.terminate();
  }
}

/** The remote module: asynchronous versions of LeadScore's methods. */
class RemoteLeadScore {
  #ch;
  #make;
  #onRestart;
  constructor(worker, onRestart) {
    this.#make = typeof worker === 'function' ? worker : null;
    this.#onRestart = onRestart;
    this.#start(this.#make ? this.#make() : worker);
  }
  #start(worker) {
    this.#ch = new Channel(worker, this.#make ? (why) => this.#restart(why) : null);
    /** Resolves with the module version once the worker has loaded the wasm (rejects if it cannot). */
    this.ready = this.#ch.request('version');
    this.ready.catch(() => {});
  }
  #restart(why) {
    this.#start(this.#make());
    this.#onRestart?.(why);
  }
  /** The core's limits (docs/limits.md): maxBytes (per file), maxCellBytes, maxColumns, maxJsonDepth, maxRuleSetBytes, maxRules, maxConditionDepth, maxPoints, maxUnitPoints, maxBins. */
  limits() {
    return this.#ch.request('limits');
  }
  /** A new workspace in the worker: leads, rule-set variants, events, outcomes (see RemoteWorkspace). */
  async workspace(options = {}) {
    const ch = this.#ch;
    const { handle } = await ch.request('createWorkspace', [{ asOf: asOfText(options.asOf ?? null) }]);
    return new RemoteWorkspace(ch, handle);
  }
  /** For tests of restarts: makes the worker die as if the wasm had aborted. */
  crashForTests() {
    return this.#ch.request('crashForTests').catch(() => true);
  }
  /** Evaluates a JsonLogic expression (json-logic-engine semantics). */
  apply(logic, data = null) {
    return this.#ch.request('apply', [logic, data]);
  }
  /** Validates a rule set: {rules (normalised), warnings}; rejects on errors. */
  checkRules(rules) {
    return this.#ch.request('checkRules', [rules]);
  }
  /** Bytes of wasm memory in the worker. */
  heapBytes() {
    return this.#ch.request('heapBytes');
  }

  /**
   * Loads leads in the worker, in slices, and resolves with a remote lead table.
   * input: string | ArrayBuffer | typed array | Blob | File (a File is read slice by slice).
   * options: load options (format, delimiter, missing, fields, dateOrder, maxProblems, rules), and
   *   onProgress({bytesRead, totalBytes, rowsParsed, done?}) called after each slice,
   *   signal: an AbortSignal; aborting rejects with a LeadScoreError of code 'cancelled',
   *   sliceBytes: slice size (default 1 MB),
   *   transfer: true to transfer an ArrayBuffer input instead of copying it (it is detached here).
   */
  async loadLeads(input, options = {}) {
    const { onProgress, signal, transfer, ...loadOptions } = options;
    let buffer = null;
    if (transfer) buffer = input instanceof ArrayBuffer ? input : ArrayBuffer.isView(input) ? input.buffer : null;
    const r = await this.#ch.request('loadLeads', [input, loadOptions], {
      onProgress,
      signal,
      transfer: buffer ? [buffer] : [],
    });
    const leads = new RemoteLeads(this.#ch, r.handle, r.info);
    if (signal?.aborted) {
      // The load finished before the cancel reached the worker: still honour the abort.
      await leads.dispose();
      throw cancelledError();
    }
    return leads;
  }

  /**
   * Loads activity events in the worker and joins them to options.leads (a remote lead table
   * of this connection); options as loadLeads, plus leadId, leadKey, type, timestamp.
   */
  async loadEvents(input, options = {}) {
    const { onProgress, signal, transfer, leads, ...loadOptions } = options;
    if (!(leads instanceof RemoteLeads))
      throw new TypeError("loadEvents() needs options.leads from this connection's loadLeads()");
    let buffer = null;
    if (transfer) buffer = input instanceof ArrayBuffer ? input : ArrayBuffer.isView(input) ? input.buffer : null;
    const r = await this.#ch.request('loadEvents', [input, { ...loadOptions, leads: leads.handle }], {
      onProgress,
      signal,
      transfer: buffer ? [buffer] : [],
    });
    const events = new RemoteEvents(this.#ch, r.handle, r.info);
    if (signal?.aborted) {
      await events.dispose();
      throw cancelledError();
    }
    return events;
  }

  /** Scores remote leads with a rule set ({events, asOf} for event rules); resolves with a remote scorer. */
  async score(leads, rules, options = {}) {
    if (!(leads instanceof RemoteLeads)) throw new TypeError("score() takes leads from this connection's loadLeads()");
    const { events = null, asOf = null } = options ?? {};
    if (events !== null && !(events instanceof RemoteEvents))
      throw new TypeError("score() takes events from this connection's loadEvents()");
    const r = await this.#ch.request('score', [
      leads.handle,
      rules,
      { events: events ? events.handle : null, asOf: asOfText(asOf) },
    ]);
    return new RemoteScorer(this.#ch, r);
  }

  /**
   * Outcomes from a second file joined by lead id. deals: remote leads of this connection, or
   * text / ArrayBuffer / typed array / Blob / File (loaded in the worker with `options`).
   */
  async loadOutcomes(leads, leadIdColumn, deals, options = {}) {
    if (!(leads instanceof RemoteLeads))
      throw new TypeError("loadOutcomes() takes leads from this connection's loadLeads()");
    const d = deals instanceof RemoteLeads ? { handle: deals.handle } : deals;
    const r = await this.#ch.request('loadOutcomes', [leads.handle, leadIdColumn, d, options]);
    return new RemoteOutcomes(this.#ch, r.handle, r.info);
  }

  /** Compares two remote scorers of the same leads; options.outcomes: remote outcomes. */
  compare(a, b, options = {}) {
    const { outcomes, ...rest } = options ?? {};
    if (outcomes) rest.outcomes = outcomes.handle;
    return this.#ch.request('compare', [a.handle, b.handle, rest]);
  }

  /** The leads in tier (or cell) `from` under A and `to` under B: Int32Array, by B's score. */
  listMigration(a, b, options) {
    return this.#ch.request('listMigration', [a.handle, b.handle, options]);
  }

  /** Terminates the worker; pending requests reject. */
  close() {
    this.#ch.close();
  }
}

// A Date becomes its local calendar date here, where the person is ("today" for them).
function asOfText(asOf) {
  if (!(asOf instanceof Date)) return asOf ?? null;
  if (Number.isNaN(asOf.getTime())) throw new LeadScoreError({ code: 'as_of', message: 'asOf is an invalid Date' });
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${p(asOf.getFullYear(), 4)}-${p(asOf.getMonth() + 1)}-${p(asOf.getDate())}`;
}

/** Events living in the worker, joined to one remote lead table. */
class RemoteEvents {
  #ch;
  #info;
  #handle;
  constructor(ch, handle, info) {
    this.#ch = ch;
    this.#handle = handle;
    this.#info = info;
    ch.track(this, handle);
  }
  /** @internal */
  get handle() {
    if (this.#handle === null) throw new LeadScoreError({ code: 'disposed', message: 'these events were disposed' });
    return this.#handle;
  }
  get rows() {
    return this.#info.rows;
  }
  get problems() {
    return this.#info.problems;
  }
  get info() {
    return this.#info;
  }
  /** Event i (input order). */
  async row(i) {
    return (await this.#ch.request('call', [this.handle, 'row', [i]])).value;
  }
  async dispose() {
    if (this.#handle === null) return;
    const h = this.#handle;
    this.#handle = null;
    this.#ch.untrack(this);
    await this.#ch.request('dispose', [h]);
  }
}

/** A lead table living in the worker. */
class RemoteLeads {
  #ch;
  #info;
  #handle;
  constructor(ch, handle, info) {
    this.#ch = ch;
    this.#handle = handle;
    this.#info = info;
    ch.track(this, handle);
  }
  /** @internal */
  get handle() {
    if (this.#handle === null) throw new LeadScoreError({ code: 'disposed', message: 'these leads were disposed' });
    return this.#handle;
  }
  get rows() {
    return this.#info.rows;
  }
  get columns() {
    return this.#info.columns;
  }
  get format() {
    return this.#info.format;
  }
  get delimiter() {
    return this.#info.delimiter;
  }
  get problems() {
    return this.#info.problems;
  }
  get info() {
    return this.#info;
  }
  /** Lead i's values. */
  async row(i) {
    return (await this.#ch.request('call', [this.handle, 'row', [i]])).value;
  }
  /** One column's values for every lead (typed arrays, transferred). */
  async column(name) {
    return (await this.#ch.request('call', [this.handle, 'column', [name]])).value;
  }
  /** Known outcomes from a column of these leads. */
  async outcomes(column) {
    const r = await this.#ch.request('outcomes', [this.handle, column]);
    return new RemoteOutcomes(this.#ch, r.handle, r.info);
  }
  /** Frees the table in the worker (scorers made from it keep working). */
  async dispose() {
    if (this.#handle === null) return;
    const h = this.#handle;
    this.#handle = null;
    this.#ch.untrack(this);
    await this.#ch.request('dispose', [h]);
  }
}

/** Outcomes living in the worker. */
class RemoteOutcomes {
  #ch;
  #handle;
  #info;
  constructor(ch, handle, info) {
    this.#ch = ch;
    this.#handle = handle;
    this.#info = info;
    ch.track(this, handle);
  }
  /** @internal */
  get handle() {
    if (this.#handle === null) throw new LeadScoreError({ code: 'disposed', message: 'these outcomes were disposed' });
    return this.#handle;
  }
  get rows() {
    return this.#info.rows;
  }
  get info() {
    return this.#info;
  }
  /** Per lead: 1, 0 or -1 (Int8Array, transferred). */
  async values() {
    return (await this.#ch.request('call', [this.handle, 'values', []])).value;
  }
  async dispose() {
    if (this.#handle === null) return;
    const h = this.#handle;
    this.#handle = null;
    this.#ch.untrack(this);
    await this.#ch.request('dispose', [h]);
  }
}

/** A scorer living in the worker: the in-process Scorer's methods, asynchronous. */
class RemoteScorer {
  #ch;
  #handle;
  #state;
  #rows;
  constructor(ch, { handle, rows, rules, stats, warnings, asOf }) {
    this.#ch = ch;
    this.#handle = handle;
    this.#rows = rows;
    this.#state = { rules, stats, warnings, asOf };
    ch.track(this, handle);
  }
  #h() {
    if (this.#handle === null) throw new LeadScoreError({ code: 'disposed', message: 'this scorer was disposed' });
    return this.#handle;
  }
  async #call(method, args) {
    return (await this.#ch.request('call', [this.#h(), method, args])).value;
  }
  async #edit(method, args) {
    const r = await this.#ch.request('call', [this.#h(), method, args]);
    this.#state = r.state;
    return r.value;
  }
  /** The current rule set, normalised (as of the last edit that completed). */
  get rules() {
    return this.#state.rules;
  }
  get stats() {
    return this.#state.stats;
  }
  get warnings() {
    return this.#state.warnings;
  }
  get rows() {
    return this.#rows;
  }

  setRules(rules) {
    return this.#edit('setRules', [rules]);
  }
  addRule(rule, index = -1) {
    return this.#edit('addRule', [rule, index]);
  }
  replaceRule(id, rule) {
    return this.#edit('replaceRule', [id, rule]);
  }
  removeRule(id) {
    return this.#edit('removeRule', [id]);
  }
  setEnabled(id, enabled) {
    return this.#edit('setEnabled', [id, enabled]);
  }
  moveRule(id, index) {
    return this.#edit('moveRule', [id, index]);
  }
  /** Uses these remote events (null: none) and re-scores. */
  setEvents(events) {
    if (events !== null && events !== undefined && !(events instanceof RemoteEvents))
      return Promise.reject(new TypeError("setEvents() takes events from this connection's loadEvents()"));
    return this.#edit('setEvents', [events ? events.handle : null]);
  }
  /** Sets the as-of date ('YYYY-MM-DD' or a Date; null clears it) and re-scores. */
  setAsOf(asOf) {
    try {
      return this.#edit('setAsOf', [asOfText(asOf)]);
    } catch (e) {
      return Promise.reject(e);
    }
  }
  /** The as-of date in use (as of the last edit that completed), or null. */
  get asOf() {
    return this.#state.asOf ?? null;
  }

  totals() {
    return this.#call('totals', []);
  }
  groupScores(group) {
    return this.#call('groupScores', [group]);
  }
  tiers() {
    return this.#call('tiers', []);
  }
  salesReady() {
    return this.#call('salesReady', []);
  }
  fitBands() {
    return this.#call('fitBands', []);
  }
  engagementBands() {
    return this.#call('engagementBands', []);
  }
  results() {
    return this.#call('results', []);
  }
  ledger(i) {
    return this.#call('ledger', [i]);
  }
  row(i) {
    return this.#call('row', [i]);
  }
  top(n = 0, options = {}) {
    return this.#call('top', [n, options]);
  }
  filterByTier(tier, options = {}) {
    return this.#call('filterByTier', [tier, options]);
  }
  summary(options = {}) {
    return this.#call('summary', [options]);
  }
  toCSV(options = {}) {
    return this.#call('toCSV', [options]);
  }
  /** How well the scores predict the remote outcomes: one Evaluation report. */
  evaluate(outcomes, options = {}) {
    return this.#ch.request('evaluate', [this.#h(), outcomes.handle, options]);
  }
  /** @internal */
  get handle() {
    return this.#h();
  }
  /** Frees the scorer in the worker. */
  async dispose() {
    if (this.#handle === null) return;
    const h = this.#handle;
    this.#handle = null;
    this.#ch.untrack(this);
    await this.#ch.request('dispose', [h]);
  }
}

/**
 * A workspace living in the worker: what an app works on (one lead table, a scorer per rule-set
 * variant, events, outcomes, the as-of date), driven by coarse operations with small answers.
 * Every operation takes an options object and returns a promise; `{latest: key}` as the second
 * argument of setRules/view/ledger/breakdown/evaluate/compare makes it latest-wins for that key
 * (a superseded call resolves with {superseded: true}). Loads take {onProgress, signal}.
 */
class RemoteWorkspace {
  #ch;
  #handle;
  constructor(ch, handle) {
    this.#ch = ch;
    this.#handle = handle;
    ch.track(this, handle);
  }
  #h() {
    if (this.#handle === null) throw new LeadScoreError({ code: 'disposed', message: 'this workspace was disposed' });
    return this.#handle;
  }
  #op(op, args, { latest, onProgress, signal } = {}) {
    try {
      const req = [this.#h(), op, args];
      if (latest !== undefined) return this.#ch.latest(latest, 'workspace', req);
      return this.#ch.request('workspace', req, { onProgress, signal });
    } catch (e) {
      return Promise.reject(e);
    }
  }
  /** Loads leads ({input, options, rules: {variantId: rules}}), scores every variant: {info, variants, outcomes, events}. */
  loadLeads(args, opts) {
    return this.#op('loadLeads', args, opts);
  }
  /** Reads the same input again with new load options ({options, rules}); same answer as loadLeads. */
  reload(args, opts) {
    return this.#op('reload', args, opts);
  }
  /** Scores a variant ({variant, rules}): {rules, stats, warnings, rows, skipped, summary, evaluated}. */
  setRules(args, opts) {
    return this.#op('setRules', args, opts);
  }
  /** Would these rules ({rules, reread}) score the loaded leads? {skipped}; rejects otherwise. */
  tryRules(args, opts) {
    return this.#op('tryRules', args, opts);
  }
  dropVariant(args) {
    return this.#op('dropVariant', args);
  }
  /** A window of rows: {variant, sort: {key, dir}, tier, text, subset, offset, limit} -> {count, offset, rows}. */
  view(args, opts) {
    return this.#op('view', args, opts);
  }
  /** {variant, lead} -> {ledger, row}. */
  ledger(args, opts) {
    return this.#op('ledger', args, opts);
  }
  /** {variant, column, limit} -> {column, distinct, rows: [{value, count, mean, salesReady}]}. */
  breakdown(args, opts) {
    return this.#op('breakdown', args, opts);
  }
  /** {column, limit} -> the most common values of a text column. */
  values(args, opts) {
    return this.#op('values', args, opts);
  }
  /** {variant, reasons} -> a CSV Blob of the scored leads. */
  exportCsv(args, opts) {
    return this.#op('exportCsv', args, opts);
  }
  /** The same as exportCsv, as an XLSX Blob (one sheet; at most 1,048,575 leads). */
  exportXlsx(args, opts) {
    return this.#op('exportXlsx', args, opts);
  }
  /** {variant, dialect, leadsTable?, eventsTable?, prefix?} -> the rule set as one SQL query (docs/sql.md). */
  exportSql(args, opts) {
    return this.#op('exportSql', args, opts);
  }
  /** {source: 'column', column} | {source: 'ids', leadIdColumn, input, options} | null -> OutcomesInfo | null. */
  setOutcomes(args, opts) {
    return this.#op('setOutcomes', args ?? {}, opts);
  }
  /** {variant, capacity} -> Evaluation. */
  evaluate(args, opts) {
    return this.#op('evaluate', args, opts);
  }
  /** {a, b, capacity, movers, bins} -> Comparison (with the workspace's outcomes). */
  compare(args, opts) {
    return this.#op('compare', args, opts);
  }
  /** Events for the leads ({input, options}; input null: none) -> {info, variants}. */
  loadEvents(args, opts) {
    return this.#op('loadEvents', args, opts);
  }
  /** {date: 'YYYY-MM-DD' | Date} -> {variants}. */
  setAsOf({ date }, opts) {
    try {
      return this.#op('setAsOf', { date: asOfText(date) }, opts);
    } catch (e) {
      return Promise.reject(e);
    }
  }
  // ---- learning from outcomes and channel quality (docs/learn.md) ----
  /** {variant, options} -> {report, ruleSet, exactRuleSet}; {onProgress({done, stage}), signal} as for loads. */
  learn(args, opts) {
    return this.#op('learn', args ?? {}, opts);
  }
  /** {lead, top} -> the lead's probability, points and top factors under the last learned model. */
  learnedLead(args, opts) {
    return this.#op('learnedLead', args, opts);
  }
  /** {variant, column, values, bins} -> score distribution, conversion and lift per value. */
  channels(args, opts) {
    return this.#op('channels', args, opts);
  }
  async dispose() {
    if (this.#handle === null) return;
    const h = this.#handle;
    this.#handle = null;
    this.#ch.untrack(this);
    await this.#ch.request('dispose', [h]);
  }
}
