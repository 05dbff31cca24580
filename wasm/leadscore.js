// ---------------------------------------------------------------------------------------------
// leadscore: the ES-module facade. Emscripten's --extern-post-js appends this file to the
// generated loader, so `dist/leadscore.mjs` is one module: loader + (inlined) wasm + this API.
// Longer than our ~600-line guide on purpose: --extern-post-js takes one file, so the facade
// cannot import helpers of its own.
// Documented in leadscore.d.ts. Coarse calls only: data crosses into wasm once, re-scoring
// happens inside; results come back as typed-array copies; errors become LeadScoreError.
// ---------------------------------------------------------------------------------------------

/** An error from the scoring core, with where it happened when known. */
export class LeadScoreError extends Error {
  constructor(error) {
    super(error.message);
    this.name = 'LeadScoreError';
    this.code = error.code;
    for (const k of ['line', 'column', 'ruleId', 'field', 'path', 'diagnostics', 'operator', 'type'])
      if (error[k] !== undefined) this[k] = error[k];
  }
}

const unwrap = (text) => {
  const r = JSON.parse(text);
  if (!r.ok) {
    const e = r.error;
    // The core's evaluation errors are terse ("NaN", "Invalid Arguments"): say what happened.
    if (e.code === 'eval')
      e.message =
        `the expression could not be evaluated: ${e.message}` +
        (e.type === 'NaN' ? ' (arithmetic on a value that is not a number, or a division by zero)' : '');
    throw new LeadScoreError(e);
  }
  return r;
};

// The core's limits (limits_json in core/api/json_api.cpp), read once the module is loaded: the
// facade checks the size of a rule set before copying it into wasm memory with them.
let coreLimits = null;
const MiB = (n) => (n % 2 ** 20 === 0 ? `${n / 2 ** 20} MiB` : `${n} bytes`);

// A rule set as text, refused over maxRuleSetBytes before it is copied into wasm memory (a JS
// string of n code units is at least n UTF-8 bytes; the core checks the bytes again).
const toJSONText = (v, what) => checkSize(jsonText(v, what), what === 'rule' ? 'the rule' : 'the rule set');
const checkSize = (text, what) => {
  const max = coreLimits?.maxRuleSetBytes;
  if (max && text.length > max)
    throw new LeadScoreError({
      code: 'limit',
      path: '',
      message: `${what} is at least ${text.length.toLocaleString('en-US')} bytes, larger than ${MiB(max)}, the limit for a rule set or another JSON document read whole (limits.maxRuleSetBytes; it cannot be raised); is this the right file?`,
    });
  return text;
};

const jsonText = (v, what) => {
  if (typeof v === 'string') return v;
  if (v === undefined) throw new TypeError(`${what} is required`);
  // JSON.stringify would turn NaN and Infinity into null ("must be a number, not null"): say what it was.
  return JSON.stringify(v, function (key, x) {
    if (typeof x === 'number' && !Number.isFinite(x)) {
      const ruleId = typeof this?.id === 'string' ? this.id : undefined;
      throw new LeadScoreError({
        code: 'schema',
        message: `'${key}' is ${x}${ruleId ? ` in rule '${ruleId}'` : ''}; numbers in ${what} must be finite`,
        field: key,
        ...(ruleId ? { ruleId } : {}),
      });
    }
    return x;
  });
};

// A lead index must be an integer in [0, rows): say so instead of a generic error from the core.
const checkIndex = (i, rows) => {
  if (!Number.isInteger(i) || i < 0 || i >= rows)
    throw new LeadScoreError({
      code: 'range',
      field: 'lead',
      message: `lead ${i} is out of range: there are ${rows} leads (0..${rows - 1})`,
    });
  return i;
};

// A count or index argument (bins, a limit, a range of leads) must be a whole number from min to
// max: say which argument and the range instead of clamping it (issue 28). `field` names it.
export const checkWhole = (v, field, min, max) => {
  if (!Number.isInteger(v) || v < min || v > max)
    throw new LeadScoreError({
      code: 'range',
      field,
      message: `${field} ${typeof v === 'number' ? v : JSON.stringify(v)} is out of range: a whole number from ${min} to ${max}`,
    });
  return v;
};

// Frees wasm memory of handles that were garbage-collected without dispose().
const finalizer =
  typeof FinalizationRegistry === 'function' ? new FinalizationRegistry((h) => h.isDeleted() || h.delete()) : null;

const CHUNK = 4 << 20;
const CHUNK_UNITS = Math.floor(CHUNK / 3); // UTF-16 code units: at most 3 UTF-8 bytes each
const utf8 = new TextEncoder();

function owned(wrapper, handle) {
  finalizer?.register(wrapper, handle, wrapper);
  return handle;
}

function release(wrapper, handle) {
  if (!handle || handle.isDeleted()) return;
  finalizer?.unregister(wrapper);
  handle.delete();
}

// An as-of date for the core: "YYYY-MM-DD" ("" = none). A Date gives its local calendar date:
// what "today" means to the person in front of the page.
const asOfText = (asOf) => {
  if (asOf === undefined || asOf === null) return '';
  if (asOf instanceof Date) {
    if (Number.isNaN(asOf.getTime())) throw new LeadScoreError({ code: 'as_of', message: 'asOf is an invalid Date' });
    const p = (n, w = 2) => String(n).padStart(w, '0');
    return `${p(asOf.getFullYear(), 4)}-${p(asOf.getMonth() + 1)}-${p(asOf.getDate())}`;
  }
  if (typeof asOf === 'string') return asOf;
  throw new LeadScoreError({
    code: 'as_of',
    message: `asOf must be a 'YYYY-MM-DD' text or a Date, not ${typeof asOf}`,
  });
};

/** Incremental loading of leads (or, with options.leads, of events joined to them): feed pieces, then finish(). */
class LeadLoader {
  #m;
  #h;
  #done = false;
  #leads = null;
  constructor(m, options, events = false) {
    this.#m = m;
    this.#h = owned(this, new m.Loader());
    try {
      if (events) {
        const { leads, ...rest } = options ?? {};
        if (!(leads instanceof Leads))
          throw new LeadScoreError({
            code: 'events',
            message: 'loadEvents() needs options.leads: the Leads (from loadLeads) the events belong to',
          });
        this.#leads = leads;
        leads.handle(); // throws 'disposed' now rather than at finish()
        unwrap(this.#h.beginEvents(JSON.stringify(rest)));
      } else {
        unwrap(this.#h.begin(JSON.stringify(options ?? {})));
      }
    } catch (e) {
      this.dispose();
      throw e;
    }
  }
  #live() {
    if (this.#done || !this.#h)
      throw new LeadScoreError({
        code: 'state',
        message: 'this loader has finished or was disposed; create a new one',
      });
    return this.#h;
  }
  /** Feeds one piece; returns bytes and rows parsed so far. */
  feed(chunk) {
    this.#live();
    let last;
    if (typeof chunk === 'string') {
      // Text is encoded as UTF-8 straight into wasm memory (TextEncoder.encodeInto), a slice at
      // a time; embind's own std::string conversion encodes in a JS loop, which took ~40 % of
      // loading a CSV. A slice never ends between the two halves of a surrogate pair.
      for (let at = 0; ;) {
        let end = Math.min(chunk.length, at + CHUNK_UNITS);
        if (end < chunk.length) {
          const c = chunk.charCodeAt(end - 1);
          if (c >= 0xd800 && c <= 0xdbff) end -= 1;
        }
        const piece = chunk.substring(at, end);
        last = this.#staged(piece.length * 3, (view) => utf8.encodeInto(piece, view).written);
        at = end;
        if (at >= chunk.length) break;
      }
    } else {
      let bytes;
      if (chunk instanceof ArrayBuffer) bytes = new Uint8Array(chunk);
      else if (ArrayBuffer.isView(chunk)) bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      else throw new TypeError('feed() takes a string, an ArrayBuffer or a typed array / DataView');
      for (let at = 0; ; at += CHUNK) {
        const piece = bytes.subarray(at, Math.min(bytes.length, at + CHUNK));
        last = this.#staged(piece.length, (view) => (view.set(piece), piece.length));
        if (at + CHUNK >= bytes.length) break;
      }
    }
    return { bytes: last.bytes, rows: last.rows };
  }
  // Feeds `fill(view)`'s bytes (it writes at most `cap` into the view and returns how many)
  // through a wasm allocation freed at once: a loader holds no JS-side allocation that a dropped
  // (never disposed) loader could leak.
  #staged(cap, fill) {
    const ptr = this.#m._malloc(Math.max(1, cap));
    if (!ptr)
      throw new LeadScoreError({
        code: 'memory',
        message: 'out of memory while loading; try the native CLI for files this size',
      });
    try {
      const n = fill(this.#m.HEAPU8.subarray(ptr, ptr + cap)); // read HEAPU8 after malloc: memory growth replaces it
      return unwrap(this.#h.feed(ptr, n));
    } finally {
      this.#m._free(ptr);
    }
  }
  /** Parses what was fed and returns the lead table. */
  finish() {
    const h = this.#live();
    this.#done = true;
    try {
      if (this.#leads) {
        unwrap(h.finishEvents(this.#leads.handle()));
        return new Events(h.takeEvents());
      }
      unwrap(h.finish());
      return new Leads(h.take(), this.#m);
    } finally {
      this.dispose();
    }
  }
  /** Abandons the load and frees its memory. */
  dispose() {
    this.#done = true;
    release(this, this.#h);
    this.#h = null;
  }
}

/** A lead table held in wasm memory. */
class Leads {
  #h;
  #info;
  #m;
  constructor(handle, m) {
    this.#m = m;
    this.#h = owned(this, handle);
    this.#info = unwrap(handle.info()).info;
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
  /** Everything the loader detected, as one plain object. */
  get info() {
    return this.#info;
  }
  /** One lead's values as rules see them (missing values absent). */
  row(i) {
    return unwrap(this.#live().row(checkIndex(i, this.rows))).row;
  }
  /** One column's values for every lead (copies): numbers as a Float64Array, texts as codes + dictionary. */
  column(name) {
    const cols = this.#info.columns;
    const c = typeof name === 'number' ? name : cols.findIndex((x) => x.name === name);
    if (!Number.isInteger(c) || c < 0 || c >= cols.length)
      throw new LeadScoreError({
        code: 'unknown_field',
        field: String(name),
        message: `no column '${name}': the columns are ${cols.map((x) => x.name).join(', ')}`,
      });
    const { name: n, type } = cols[c];
    const h = this.#live();
    if (type !== 'string') return { name: n, type, values: h.numView(c).slice() };
    const codes = h.codeView(c).slice(); // copy before dictionary() allocates
    return { name: n, type, codes, dictionary: unwrap(h.dictionary(c)).dictionary };
  }
  /** Known outcomes from a column of these leads (yes/no, 1/0, true/false, won/lost). */
  outcomes(column) {
    return Outcomes.fromColumn(this.#m, this, column);
  }
  /** @internal */
  handle() {
    return this.#live();
  }
  #live() {
    if (!this.#h || this.#h.isDeleted())
      throw new LeadScoreError({ code: 'disposed', message: 'these leads were disposed' });
    return this.#h;
  }
  dispose() {
    release(this, this.#h);
    this.#h = null;
  }
}

/** Known outcomes (converted or not) of one lead table, in wasm memory. */
class Outcomes {
  #h;
  #info;
  constructor(handle, info) {
    this.#h = owned(this, handle);
    this.#info = info;
  }
  /** @internal */
  static fromColumn(m, leads, column) {
    return makeOutcomes(m, (h) => h.fromColumn(leads.handle(), String(column)));
  }
  /** @internal */
  static fromDeals(m, leads, idColumn, deals, dealsIdColumn) {
    return makeOutcomes(m, (h) => h.fromDeals(leads.handle(), String(idColumn), deals.handle(), String(dealsIdColumn)));
  }
  get rows() {
    return this.#info.rows;
  }
  /** Counts, unknown values, unmatched deals, warnings. */
  get info() {
    return this.#info;
  }
  /** Per lead: 1 converted, 0 not, -1 unknown (copy). */
  values() {
    return this.handle().valuesView().slice();
  }
  /** @internal */
  handle() {
    if (!this.#h || this.#h.isDeleted())
      throw new LeadScoreError({ code: 'disposed', message: 'these outcomes were disposed' });
    return this.#h;
  }
  dispose() {
    release(this, this.#h);
    this.#h = null;
  }
}

/** Activity events joined to one lead table, grouped by lead once. */
class Events {
  #h;
  #info;
  constructor(handle) {
    this.#h = owned(this, handle);
    this.#info = unwrap(handle.info()).info;
  }
  get rows() {
    return this.#info.rows;
  }
  get problems() {
    return this.#info.problems;
  }
  /** Rows, columns, resolved column names, join counts (matched, unknownLeads, undated, ...), types. */
  get info() {
    return this.#info;
  }
  /** Event i (input order) as 'where' sees it. */
  row(i) {
    return unwrap(this.#live().row(checkIndex(i, this.rows))).row;
  }
  /** @internal */
  handle() {
    return this.#live();
  }
  #live() {
    if (!this.#h || this.#h.isDeleted())
      throw new LeadScoreError({ code: 'disposed', message: 'these events were disposed' });
    return this.#h;
  }
  dispose() {
    release(this, this.#h);
    this.#h = null;
  }
}

function makeOutcomes(m, fill) {
  const h = new m.OutcomeSet();
  let info;
  try {
    info = unwrap(fill(h)).info;
  } catch (e) {
    h.delete();
    throw e;
  }
  return new Outcomes(h, info);
}

const checkOutcomes = (o) => {
  if (!(o instanceof Outcomes)) throw new TypeError('expected Outcomes from leads.outcomes() or ls.loadOutcomes()');
  return o;
};
const report = (text) => unwrap(text).report;

/** Scores of one lead table under one rule set, kept up to date as rules change. */
class Scorer {
  #h;
  #state;
  #tierIndex;
  constructor(m, leads, rules, options = {}) {
    this.#h = owned(this, new m.Session(leads.handle()));
    try {
      const { events = null, asOf = null, skipMissingFields = false } = options ?? {};
      if (events) unwrap(this.#h.setEvents(Scorer.#eventsHandle(events)));
      if (asOf !== null && asOf !== undefined) unwrap(this.#h.setAsOf(asOfText(asOf)));
      this.setRules(rules, { skipMissingFields });
    } catch (e) {
      this.dispose();
      throw e;
    }
  }
  #live() {
    if (!this.#h || this.#h.isDeleted())
      throw new LeadScoreError({ code: 'disposed', message: 'this scorer was disposed' });
    return this.#h;
  }
  // After an edit the rule set, stats and warnings are fetched from wasm only when first asked
  // for: an edit followed by summary() or totals() does not pay for serialising them.
  #edit(text) {
    const r = unwrap(text);
    this.#state = null;
    this.#tierIndex = null;
    return { warnings: r.warnings, evaluated: r.evaluated };
  }
  #st() {
    if (!this.#state) {
      this.#state = unwrap(this.#live().state());
      this.#tierIndex = new Map(this.#state.rules.tiers.map((t, i) => [t.name, i]));
    }
    return this.#state;
  }
  /**
   * Replaces the rule set (object or JSON text). On error nothing changes. With skipMissingFields,
   * rules that read a field the leads lack are scored as disabled and listed in `skipped` (and
   * in `scorer.skipped` until the next setRules), so the others still score.
   */
  setRules(rules, { skipMissingFields = false } = {}) {
    const text = toJSONText(rules, 'rules');
    if (!skipMissingFields) {
      this.skipped = [];
      return this.#edit(this.#live().setRules(text));
    }
    const r = unwrap(this.#live().setRulesSkippingMissingFields(text));
    this.#state = null;
    this.#tierIndex = null;
    this.skipped = r.skipped;
    return { warnings: r.warnings, evaluated: r.evaluated, skipped: r.skipped };
  }
  addRule(rule, index = -1) {
    return this.#edit(this.#live().addRule(toJSONText(rule, 'rule'), index));
  }
  replaceRule(id, rule) {
    return this.#edit(this.#live().replaceRule(id, toJSONText(rule, 'rule')));
  }
  removeRule(id) {
    return this.#edit(this.#live().removeRule(id));
  }
  setEnabled(id, enabled) {
    return this.#edit(this.#live().setEnabled(id, !!enabled));
  }
  moveRule(id, index) {
    return this.#edit(this.#live().moveRule(id, index));
  }
  static #eventsHandle(events) {
    if (events === null || events === undefined) return null;
    if (!(events instanceof Events))
      throw new LeadScoreError({ code: 'events', message: 'events must come from loadEvents()' });
    return events.handle();
  }
  /** Uses these events (null: none) and re-scores; on error nothing changes. */
  setEvents(events) {
    return this.#edit(this.#live().setEvents(Scorer.#eventsHandle(events)));
  }
  /** Sets the as-of date ('YYYY-MM-DD' or a Date; null clears it) and re-scores. */
  setAsOf(asOf) {
    return this.#edit(this.#live().setAsOf(asOfText(asOf)));
  }
  /** The as-of date in use ('YYYY-MM-DD') or null. */
  get asOf() {
    return this.#st().asOf ?? null;
  }

  /** The current rule set, normalised (tiers sorted high to low). */
  get rules() {
    return this.#st().rules;
  }
  /** Per rule: how often it fired, errors, how it runs. */
  get stats() {
    return this.#st().stats;
  }
  get warnings() {
    return this.#st().warnings;
  }
  get rows() {
    return this.#live().totalsView().length;
  }

  totals() {
    return this.#live().totalsView().slice();
  }
  groupScores(group) {
    const g = typeof group === 'number' ? group : this.rules.groups.findIndex((x) => x.id === group);
    const v = g >= 0 ? this.#live().groupView(g) : null;
    if (!v) throw new LeadScoreError({ code: 'unknown_group', message: `no group '${group}'` });
    return v.slice();
  }
  tiers() {
    return this.#live().tierView().slice();
  }
  salesReady() {
    return this.#live().salesReadyView().slice();
  }
  fitBands() {
    return this.#live().fitBandView().slice();
  }
  engagementBands() {
    return this.#live().engagementBandView().slice();
  }
  /** All per-lead results at once, as typed-array copies. */
  results() {
    const groups = {};
    this.rules.groups.forEach((g, i) => (groups[g.id] = this.#live().groupView(i).slice()));
    return {
      totals: this.totals(),
      groups,
      tiers: this.tiers(),
      salesReady: this.salesReady(),
      fitBands: this.fitBands(),
      engagementBands: this.engagementBands(),
    };
  }
  /** Why lead i scored what it did. */
  ledger(i) {
    return unwrap(this.#live().ledger(checkIndex(i, this.rows))).ledger;
  }
  row(i) {
    return unwrap(this.#live().row(checkIndex(i, this.rows))).row;
  }
  #tier(t) {
    if (t === undefined || t === null) return -1;
    const k =
      typeof t === 'number'
        ? checkWhole(t, 'tier', 0, this.rules.tiers.length - 1)
        : (this.#st(), this.#tierIndex.get(t));
    if (k === undefined) throw new LeadScoreError({ code: 'unknown_tier', message: `no tier '${t}'` });
    return k;
  }
  /** Lead indices by score, highest first (ties: file order). Options: by ('total' or a group id), tier, ascending. */
  top(n = 0, { by = 'total', tier, ascending = false } = {}) {
    if (by !== 'total' && !this.rules.groups.some((g) => g.id === by))
      throw new LeadScoreError({
        code: 'unknown_group',
        message: `cannot order by '${by}': use 'total' or a group id (${this.rules.groups.map((g) => g.id).join(', ')})`,
      });
    checkWhole(n, 'n', 0, Number.MAX_SAFE_INTEGER); // at most n: more than rows is all of them
    unwrap(this.#live().order(by, this.#tier(tier), n, ascending));
    return this.#h.orderView().slice();
  }
  /** Lead indices in one tier, by score. */
  filterByTier(tier, options = {}) {
    return this.top(0, { ...options, tier });
  }
  /**
   * Scored leads as CSV text (the CLI's format; every input cell as it was read, formula-like
   * text cells neutralised). keep: input columns; add: added columns; rename: {old: new} headers.
   */
  toCSV({ reasons = true, begin = 0, end, header = begin === 0, keep, add, rename } = {}) {
    const rows = this.rows;
    const b = checkWhole(begin, 'begin', 0, rows),
      // end past the last lead is the last lead (a loop of fixed-size pieces), as slice() reads it
      e =
        end === undefined || end === Infinity
          ? rows
          : Math.min(rows, checkWhole(end, 'end', b, Number.MAX_SAFE_INTEGER));
    const options = JSON.stringify({ reasons: !!reasons, keep, add, rename });
    return unwrap(this.#live().exportCsv(b, e, !!header, options)).csv;
  }
  /** Tier counts, sales-ready count, min/max/mean and a histogram of totals. */
  summary({ bins = 20 } = {}) {
    const r = unwrap(this.#live().summary(checkWhole(bins, 'bins', 1, coreLimits.maxBins)));
    delete r.ok;
    return r;
  }
  /** Totals counted in `bins` equal bins from lo to hi (outside: the end bins): stable bars while editing. */
  /**
   * Round histogram edges for the totals and the counts in them. Pass the `bins` of the previous
   * call to keep its edges while the totals still fit them (bars stay comparable between edits).
   */
  binnedHistogram(previous = null) {
    const r = unwrap(this.#live().edgesAndHistogram(previous ? JSON.stringify(previous) : ''));
    return { bins: r.bins, histogram: r.histogram };
  }
  histogram({ lo, hi, bins = 20 } = {}) {
    if (typeof lo !== 'number' || typeof hi !== 'number')
      throw new LeadScoreError({ code: 'range', message: 'histogram() needs numeric lo and hi edges' });
    return unwrap(this.#live().histogram(lo, hi, checkWhole(bins, 'bins', 1, coreLimits.maxBins))).histogram;
  }
  /** How well the scores predict known outcomes: one report (see Evaluation in leadscore.d.ts). */
  evaluate(outcomes, options = {}) {
    return report(this.#live().evaluate(checkOutcomes(outcomes).handle(), JSON.stringify(options ?? {})));
  }
  /** @internal */
  handle() {
    return this.#live();
  }
  dispose() {
    release(this, this.#h);
    this.#h = null;
  }
}

/** A learning run (learn.h's Learner): step() until `more` is false, then result(). See docs/learn.md. */
class Learner {
  #h;
  #done = false;
  constructor(m, source, outcomes, options) {
    const h = new m.LearnJob();
    const json = JSON.stringify(options ?? {});
    try {
      if (source instanceof Scorer) unwrap(h.startWithRules(source.handle(), checkOutcomes(outcomes).handle(), json));
      else if (source instanceof Leads) unwrap(h.start(source.handle(), checkOutcomes(outcomes).handle(), json));
      else
        throw new TypeError(
          'learn() takes leads from loadLeads() or a scorer from score() (its rules become features)',
        );
    } catch (e) {
      h.delete();
      throw e;
    }
    this.#h = owned(this, h);
  }
  #live() {
    if (!this.#h) throw new LeadScoreError({ code: 'disposed', message: 'this learner was disposed' });
    return this.#h;
  }
  /** One stage (a cross-validation fold, the final fit, the scorecard): {more, done (0..1), stage}. */
  step() {
    const r = unwrap(this.#live().step());
    this.#done = !r.more;
    return { more: r.more, done: r.done, stage: r.stage };
  }
  get finished() {
    return this.#done;
  }
  /** {report, ruleSet (rounded points), exactRuleSet}. */
  result() {
    const r = unwrap(this.#live().report());
    return { report: r.report, ruleSet: r.ruleSet, exactRuleSet: r.exactRuleSet };
  }
  /** Per lead: the model's probability of converting (a copy). */
  probability() {
    const v = this.#live().probabilityView();
    return v ? Float64Array.from(v) : new Float64Array(0);
  }
  /** One lead (0-based): probability, points, split and the `top` largest contributions. */
  lead(i, top = 3) {
    const probability = this.#live().probabilityView(); // null before a result: the core says so
    if (probability) checkIndex(i, probability.length);
    checkWhole(top, 'top', 0, 1000);
    return unwrap(this.#live().lead(i, top)).lead;
  }
  dispose() {
    release(this, this.#h);
    this.#h = null;
  }
}

/** The loaded module. */
class LeadScore {
  #m;
  constructor(m) {
    this.#m = m;
    coreLimits ??= JSON.parse(m.limits());
  }
  get version() {
    return '0.1.0';
  }
  /** The core's limits (docs/limits.md): maxBytes (per file), maxCellBytes, maxColumns, maxJsonDepth, maxRuleSetBytes, maxRules, ... */
  get limits() {
    return JSON.parse(this.#m.limits());
  }
  /** Evaluates a JsonLogic expression exactly as the scorer does (json-logic-engine semantics). */
  apply(logic, data = null) {
    const l = checkSize(JSON.stringify(logic ?? null), 'the logic'),
      d = checkSize(JSON.stringify(data ?? null), 'the data');
    return unwrap(this.#m.apply(l, d)).value;
  }
  /** Validates a rule set without leads: returns it normalised, with warnings; throws on errors. */
  checkRules(rules) {
    const r = unwrap(this.#m.checkRules(toJSONText(rules, 'rules')));
    return { rules: r.rules, warnings: r.warnings };
  }
  /** Loads leads from CSV/TSV/JSON/NDJSON text or bytes into wasm memory. */
  loadLeads(input, options = {}) {
    // The size up front lets the core reserve its per-row storage once (a string: its UTF-16 length).
    const sizeHint = typeof input === 'string' ? input.length : (input?.byteLength ?? 0);
    const loader = this.createLoader({ sizeHint, ...options });
    try {
      loader.feed(input);
      return loader.finish();
    } catch (e) {
      loader.dispose();
      throw e;
    }
  }
  createLoader(options = {}) {
    return new LeadLoader(this.#m, options);
  }
  /** Outcomes from a second file (e.g. closed deals) joined by lead id. */
  loadOutcomes(leads, leadIdColumn, deals, options = {}) {
    if (!(leads instanceof Leads)) throw new TypeError('loadOutcomes() takes leads from loadLeads()');
    const { idColumn, ...loadOptions } = options ?? {};
    const table = deals instanceof Leads ? deals : this.loadLeads(deals, loadOptions);
    try {
      return Outcomes.fromDeals(this.#m, leads, leadIdColumn, table, idColumn ?? leadIdColumn);
    } finally {
      if (table !== deals) table.dispose();
    }
  }
  /** Compares two scorers of the same leads: migration, movers, capacity, evaluations. */
  compare(a, b, options = {}) {
    if (!(a instanceof Scorer) || !(b instanceof Scorer))
      throw new TypeError('compare() takes two scorers from score()');
    const { outcomes, ...rest } = options ?? {};
    const json = JSON.stringify(rest);
    return report(
      outcomes
        ? this.#m.compareWithOutcomes(a.handle(), b.handle(), checkOutcomes(outcomes).handle(), json)
        : this.#m.compare(a.handle(), b.handle(), json),
    );
  }
  /** The leads in tier (or cell) `from` under A and `to` under B, by B's score. */
  listMigration(a, b, { kind = 'tier', from, to, limit = 0 } = {}) {
    if (!(a instanceof Scorer) || !(b instanceof Scorer))
      throw new TypeError('listMigration() takes two scorers from score()');
    checkWhole(limit, 'limit', 0, Number.MAX_SAFE_INTEGER);
    return Int32Array.from(
      unwrap(this.#m.listMigration(a.handle(), b.handle(), String(kind), String(from), String(to), limit)).leads,
    );
  }
  /** Loads activity events and joins them to options.leads (grouped by lead once). */
  loadEvents(input, options) {
    const loader = this.createEventLoader(options);
    try {
      loader.feed(input);
      return loader.finish();
    } catch (e) {
      loader.dispose();
      throw e;
    }
  }
  createEventLoader(options) {
    return new LeadLoader(this.#m, options, true);
  }
  /** Scores leads with a rule set ({events, asOf} for event rules); keep the scorer to edit rules and re-score incrementally. */
  score(leads, rules, options = {}) {
    return new Scorer(this.#m, leads, rules, options);
  }
  /**
   * The rule set as one SQL query for a warehouse (docs/sql.md): {dialect, leads, events, asOf,
   * leadsTable, eventsTable, leadKey, eventLeadId, eventType, eventTime, columns, eventColumns}.
   * Throws LeadScoreError (code "sql", naming the rule) for what has no faithful translation.
   */
  toSql(rules, options = {}) {
    this.#needs('toSql', 'toSql');
    const { leads = null, events = null, asOf, ...rest } = options ?? {};
    const text = toJSONText(rules, 'rules');
    if (asOfText(asOf)) rest.asOf = asOfText(asOf);
    return unwrap(
      this.#m.toSql(text, JSON.stringify(rest), leads ? leads.handle() : null, events ? events.handle() : null),
    ).sql;
  }
  // The package's compact default entry leaves SQL and learning out (its size budget, bench/EMBED.md).
  #needs(binding, method) {
    if (typeof this.#m[binding] !== 'function')
      throw new LeadScoreError({
        code: 'unsupported',
        message: `${method}() is not in this build of leadscore (the package's compact default entry); import 'leadscore/inline', or use the workbench's build`,
      });
  }
  /** Bytes of wasm memory in use by the module (grows, never shrinks). */
  heapBytes() {
    return this.#m.heapBytes();
  }
  // ---- learning from outcomes and channel quality (docs/learn.md) ----
  /** A learning run in steps (for progress and cancel between them). */
  createLearner(source, outcomes, options = {}) {
    this.#needs('LearnJob', 'learn');
    return new Learner(this.#m, source, outcomes, options);
  }
  /** Learns a scorecard; options.onProgress({done, stage}) after each step. Dispose the learner when done. */
  learn(source, outcomes, options = {}) {
    const { onProgress, ...rest } = options ?? {};
    const learner = this.createLearner(source, outcomes, rest);
    try {
      for (let s = learner.step(); ; s = learner.step()) {
        onProgress?.({ done: s.done, stage: s.stage });
        if (!s.more) break;
      }
      return learner;
    } catch (e) {
      learner.dispose();
      throw e;
    }
  }
  /** Score distribution, conversion and lift by the values of a column. */
  channels(scorer, column, { outcomes, values = 20, bins = 10 } = {}) {
    this.#needs('channels', 'channels');
    if (!(scorer instanceof Scorer)) throw new TypeError('channels() takes a scorer from score()');
    const json = JSON.stringify({ values, bins });
    return report(
      outcomes
        ? this.#m.channelsWithOutcomes(scorer.handle(), checkOutcomes(outcomes).handle(), String(column), json)
        : this.#m.channels(scorer.handle(), String(column), json),
    );
  }
}

let instance = null;

/** Loads the module once; later calls return the same instance. */
export function load(options = {}) {
  if (!instance) {
    instance = createLeadScoreModule(options).then((m) => new LeadScore(m));
    instance.catch(() => (instance = null));
  }
  return instance;
}
