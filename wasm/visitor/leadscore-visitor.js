// The visitor runtime (docs/embed.md): scores one website visitor in the visitor's own browser
// with the visitor build: the rule set compiled here (compile.js) and evaluated by a small .wasm
// (wasm/visitor_core.cpp) with the core's arithmetic; the CLI gives the same scores.
//
// What it keeps: engagement events (page views, form submits, clicks on [data-leadscore-event],
// time on page, visits) and the properties the site sets, in first-party localStorage only, and
// only after consent. Nothing is ever sent anywhere: the only requests are the runtime's own files
// (this script, the .wasm) and the rule set the site points it at.
//
// Two ways in: the snippet (snippet.js, a classic async script with a command queue) and
// `import { createVisitor } from 'leadscore/visitor'` for sites with a bundler.
import { compileRules, decode, encode, LeadScoreError } from './compile.js';

export const STORAGE_KEY = 'leadscore:visitor';
const DAY_MS = 86_400_000;
const SESSION_GAP_MS = 30 * 60_000; // a new visit after 30 minutes without activity (as web analytics)
const UTM = ['utm_source', 'utm_medium', 'utm_campaign'];

/** An error from the scoring core (the same fields as the module's LeadScoreError). */
export { LeadScoreError as VisitorScoreError };

let modulePromise;
/**
 * Loads the visitor build's evaluator once (a .wasm without imports or glue code). `wasmUrl`:
 * where its .wasm is (default: next to this script); `wasmBinary`: its bytes (Node, tests).
 */
export function loadCore({ wasmUrl, wasmBinary } = {}) {
  modulePromise ??= (async () => {
    if (wasmBinary) return (await WebAssembly.instantiate(wasmBinary)).instance.exports;
    const url = String(wasmUrl ?? new URL('./leadscore-visitor-core.wasm', import.meta.url));
    const res = await fetch(url);
    if (!res.ok) throw new Error(`leadscore: ${url} answered ${res.status}`);
    // Streaming compiles while it downloads; it needs the wasm MIME type, which not every host sends.
    const m = res.headers.get('content-type')?.startsWith('application/wasm')
      ? await WebAssembly.instantiateStreaming(res)
      : await WebAssembly.instantiate(await res.arrayBuffer());
    return m.instance.exports;
  })().catch((e) => {
    modulePromise = undefined; // the next call tries again
    throw e;
  });
  return modulePromise;
}

// The rule set is checked and compiled once per rule set (object identity, or the same text).
const plans = new WeakMap();
let lastText = { text: null, plan: null };
function plan(rules) {
  if (typeof rules === 'string') {
    if (lastText.text !== rules) lastText = { text: rules, plan: compileRules(rules) };
    return lastText.plan;
  }
  if (rules === null || typeof rules !== 'object') return compileRules(rules);
  if (!plans.has(rules)) plans.set(rules, compileRules(rules));
  return plans.get(rules);
}

/** Scores one visitor: {rules, properties, events, asOf} -> {score, tier, ledger, ...} (throws on bad rules). */
export async function scoreVisitor(request, load = {}) {
  const p = plan(request.rules);
  const m = await loadCore(load);
  const { f64, out, skipped } = encode(p, request);
  const at = m.ls_reserve(f64.byteLength);
  if (!at)
    throw new LeadScoreError({
      code: 'memory',
      message: 'the visitor build is out of memory',
      path: '',
      ruleId: '',
      field: '',
    });
  new Float64Array(m.memory.buffer, at, f64.length).set(f64);
  m.ls_score(at);
  return decode(p, new Float64Array(m.memory.buffer, at + out * 8, f64.length - out), skipped);
}

const today = (now) => new Date(now).toISOString().slice(0, 10);

/** The one localStorage key: written only after consent, read to find an earlier consent. */
function store(storage) {
  return {
    read() {
      try {
        const s = JSON.parse(storage?.getItem(STORAGE_KEY) ?? 'null');
        return s && typeof s === 'object' && Array.isArray(s.events) ? s : null;
      } catch {
        return null;
      }
    },
    write(state) {
      try {
        storage?.setItem(STORAGE_KEY, JSON.stringify(state));
      } catch {
        // full or disabled storage: keep scoring from memory
      }
    },
    erase() {
      try {
        storage?.removeItem(STORAGE_KEY);
      } catch {
        // disabled storage: nothing to erase
      }
    },
  };
}

/** Keeps events inside the retention window and under the cap (the newest win). */
export function prune(events, { now, retentionDays, maxEvents }) {
  const oldest = now - retentionDays * DAY_MS;
  const kept = events.filter((e) => Date.parse(e.timestamp) >= oldest);
  return kept.length > maxEvents ? kept.slice(kept.length - maxEvents) : kept;
}

/**
 * A visitor tracker. Options: rules (object or JSON text), consent (true when the site says
 * consent is implied), storage (default localStorage), retentionDays (90), maxEvents (500),
 * wasmUrl / wasmBinary (loadCore), now (a clock, for tests), document (DOM events, hidden fields).
 */
export function createVisitor(options = {}) {
  const now = options.now ?? (() => Date.now());
  const retentionDays = options.retentionDays ?? 90;
  const maxEvents = options.maxEvents ?? 500;
  const doc = options.document ?? globalThis.document;
  // storage: null keeps everything in memory (a test, or a site that wants no storage at all).
  const storage = store('storage' in options ? options.storage : globalThis.localStorage);
  const listeners = { tier: new Set(), cross: new Set(), score: new Set(), error: new Set() };
  let rules = options.rules ?? null;
  let consent = false;
  // Memory of this page: used until consent, then written through to storage.
  let state = { events: [], properties: {}, tierIndex: null, salesReady: false, lastSeen: 0, visits: 0 };
  let last = null; // the last score result
  let scoring = Promise.resolve();

  const persist = () => {
    state.events = prune(state.events, { now: now(), retentionDays, maxEvents });
    if (consent) storage.write({ ...state, consent: true });
  };
  const emit = (type, detail) => {
    for (const fn of listeners[type]) {
      try {
        fn(detail);
      } catch (e) {
        console.error(e);
      }
    }
    doc?.dispatchEvent(new CustomEvent(`leadscore:${type}`, { detail, bubbles: true, composed: true }));
  };

  const api = {
    /** Grants (true) or withdraws (false: erases everything) consent to store. */
    consent(granted = true) {
      if (!granted) return api.forget();
      if (consent) return api;
      consent = true;
      const saved = storage.read();
      if (saved) {
        // What this page recorded before consent joins what earlier pages stored.
        state = {
          ...saved,
          events: [...saved.events, ...state.events],
          properties: { ...saved.properties, ...state.properties },
        };
      }
      persist();
      return api;
    },
    hasConsent: () => consent,
    /** Erases everything stored and in memory, and withdraws consent. */
    forget() {
      consent = false;
      storage.erase();
      state = { events: [], properties: {}, tierIndex: null, salesReady: false, lastSeen: 0, visits: 0 };
      last = null;
      return api;
    },
    setRules(r) {
      rules = r;
      return api.score();
    },
    /** Properties the site knows about the visitor (fit): {title, employees, ...}. */
    set(properties) {
      Object.assign(state.properties, properties);
      persist();
      return api.score();
    },
    /** Records one engagement event: track('download', {asset: 'whitepaper'}). */
    track(type, props = {}) {
      if (typeof type !== 'string' || !type) throw new TypeError('track(type): type must be a non-empty string');
      const t = now();
      if (t - state.lastSeen > SESSION_GAP_MS) {
        state.visits += 1;
        state.events.push({ type: 'visit', timestamp: new Date(t).toISOString(), visit: state.visits });
      }
      state.lastSeen = t;
      state.events.push({ ...props, type, timestamp: new Date(t).toISOString() });
      persist();
      return api.score();
    },
    /** Records a page view of `path` (default: this page), with UTM parameters from `search`. */
    page(path, search) {
      const loc = globalThis.location;
      const params = new URLSearchParams(search ?? loc?.search ?? '');
      const utm = {};
      for (const k of UTM) if (params.get(k)) utm[k] = params.get(k);
      if (Object.keys(utm).length) Object.assign(state.properties, utm);
      return api.track('page_view', { path: path ?? loc?.pathname ?? '/', ...utm });
    },
    on(type, fn) {
      if (!listeners[type]) throw new TypeError(`on(type): type must be one of ${Object.keys(listeners).join(', ')}`);
      listeners[type].add(fn);
      return () => listeners[type].delete(fn);
    },
    off(type, fn) {
      listeners[type]?.delete(fn);
    },
    /** The last score (null before the first). */
    current: () => last,
    /** What is stored, as the CLI reads it: properties (one lead) and events (lead_id = "visitor"). */
    export: () => ({
      properties: { lead_id: 'visitor', ...state.properties },
      events: state.events.map((e) => ({ lead_id: 'visitor', ...e })),
      visits: state.visits,
    }),
    /** Scores now (queued after any scoring in flight); resolves with the result. */
    score() {
      scoring = scoring.then(run, run);
      return scoring;
    },
  };

  async function run() {
    if (!rules) return null;
    try {
      const r = await scoreVisitor(
        { rules, properties: state.properties, events: state.events, asOf: today(now()) },
        { wasmUrl: options.wasmUrl, wasmBinary: options.wasmBinary },
      );
      announce(r);
      fillFields(r);
      return r;
    } catch (e) {
      emit('error', e);
      return null;
    }
  }

  // tier: on the first score of a page and whenever the tier changes. cross: once per upward
  // passing of each tier's threshold (tiers are listed highest first: a lower index is higher)
  // and of the sales-ready threshold; kept with the state so a reload does not fire it again.
  function announce(r) {
    // A visitor not scored before starts below every threshold (in the lowest tier).
    const before = state.tierIndex ?? r.tiers.length - 1;
    const detail = { score: r.score, tier: r.tier, action: r.action, salesReady: r.salesReady, ledger: r.ledger };
    if (last === null || last.tier !== r.tier) emit('tier', { ...detail, previous: last?.tier ?? null });
    if (r.tierIndex < before)
      for (let t = before - 1; t >= r.tierIndex; t--) emit('cross', { ...detail, threshold: r.tiers[t] });
    if (r.salesReady && !state.salesReady)
      emit('cross', { ...detail, threshold: { name: 'salesReady', min: r.salesReadyMin } });
    state.tierIndex = r.tierIndex;
    state.salesReady = r.salesReady;
    last = r;
    if (consent) persist();
    emit('score', detail);
  }

  function fillFields(r) {
    for (const input of doc?.querySelectorAll?.('input[data-leadscore-field]') ?? []) {
      const what = input.getAttribute('data-leadscore-field') || 'score';
      input.value = what === 'tier' ? r.tier : what === 'ledger' ? JSON.stringify(r.ledger) : String(r.score);
    }
  }

  // Consent given on an earlier page is in the store (reading our own key stores nothing).
  if (options.consent || storage.read()?.consent) api.consent(true);
  return api;
}

/**
 * Records what a page does without the site writing code: the page view, form submits, clicks on
 * [data-leadscore-event] (the attribute's value is the event type; data-leadscore-label its
 * label) and the time on the page (on leaving it). Returns a function that stops it.
 */
export function autoTrack(visitor, { document: doc = globalThis.document, now = () => Date.now() } = {}) {
  const opened = now();
  visitor.page();
  const onClick = (e) => {
    const el = e.target?.closest?.('[data-leadscore-event]');
    if (!el) return;
    const props = { path: globalThis.location?.pathname ?? '/' };
    const label = el.getAttribute('data-leadscore-label');
    if (label) props.label = label;
    visitor.track(el.getAttribute('data-leadscore-event') || 'click', props);
  };
  const onSubmit = (e) => {
    const form = e.target;
    visitor.track('form_submit', {
      path: globalThis.location?.pathname ?? '/',
      form: form?.getAttribute?.('name') || form?.id || 'form',
    });
  };
  let timed = false;
  const onHide = () => {
    if (doc.visibilityState !== 'hidden' || timed) return;
    timed = true; // once per page: leaving and coming back is still one page
    visitor.track('time_on_page', {
      path: globalThis.location?.pathname ?? '/',
      seconds: Math.round((now() - opened) / 1000),
    });
  };
  doc.addEventListener('click', onClick, true);
  doc.addEventListener('submit', onSubmit, true);
  doc.addEventListener('visibilitychange', onHide);
  return () => {
    doc.removeEventListener('click', onClick, true);
    doc.removeEventListener('submit', onSubmit, true);
    doc.removeEventListener('visibilitychange', onHide);
  };
}
