// The page's state, the connection to the scoring worker, and small helpers every action uses.
// Components read state with useStore(); actions (in each feature's actions.js) change it.
//
// The worker is the shipped one (wasm/worker.mjs) behind the shipped client
// (wasm/worker-client.mjs): the page holds one workspace in it (its leads, a scorer per rule-set
// variant, events, outcomes). If the worker dies, the client starts a new one and onRestart
// (set by app/start.js) loads the saved data and rules into a new workspace.
import { useEffect, useState } from 'preact/hooks';
import { connect } from '../../../wasm/worker-client.mjs';
import * as persist from './persist.js';

let state = {
  ready: false,
  limits: null, // the core's input limits (maxBytes per file), from the module
  // Rule sets ("variants": a baseline and drafts). The active one is mirrored in doc/past/future.
  variants: [], // [{id, doc, past, future}]
  active: null, // id of the variant being edited
  compareWith: null, // id of the variant shown next to it, or null
  scoredBy: {}, // variant id -> worker state (scores of that variant)
  doc: null, // the rule set being edited (plain JSON object)
  past: [], // undo: JSON texts of earlier docs
  future: [], // redo: JSON texts of later docs
  data: null, // {name, size, info}
  loading: null, // {name, progress: {bytesRead, totalBytes, rowsParsed}, controller}
  loadError: null, // LeadScoreError of the last failed load (the previous data stays)
  scored: null, // worker state of the current rules: {rules, stats, warnings, summary, evaluated}
  scoreError: null, // LeadScoreError of the newest rule set (the last valid scores stay shown)
  scoreMs: null, // how long the last re-score took, end to end
  view: { sort: { key: 'score', dir: 'desc' }, tier: '', text: '', offset: 0, count: 0, rows: [] },
  selected: null, // lead index whose ledger is open
  ledger: null, // {ledger, row}
  breakdownColumn: null,
  breakdown: null,
  notice: null, // {kind: 'info'|'error', text}
  tab: 'rules',
  resultsTab: 'scores', // 'scores' | 'validate' | 'compare'
  outcome: null, // how outcomes are known: {source: 'column', column} | {source: 'ids', leadIdColumn, idColumn, name}
  outcomes: null, // OutcomesInfo from the core, or {error}
  evaluation: {}, // variant id -> Evaluation (or {error})
  comparison: null, // Comparison of the active variant (A) with compareWith (B), or {error}
  capacity: { kind: 'share', value: 10 }, // how many leads sales can take: {kind: 'count'|'share', value}
  asOf: null, // 'YYYY-MM-DD' every score is computed against (default: today, here)
  asOfFixed: false, // the user chose the date (kept across reloads) rather than "today"
  events: null, // EventsInfo of the loaded activity events, or {error}, or null
  eventsName: null,
  startProblem: null, // {message, detail?}: saved work could not be read or used at start-up
  otherTab: false, // this workspace was opened in another tab: this one no longer saves
};
const listeners = new Set();

export function getState() {
  return state;
}
export function setState(patch) {
  state = { ...state, ...(typeof patch === 'function' ? patch(state) : patch) };
  for (const l of listeners) l(state);
}
export function useStore() {
  const [, force] = useState(0);
  useEffect(() => {
    const l = () => force((n) => n + 1);
    listeners.add(l);
    return () => listeners.delete(l);
  }, []);
  return state;
}

// ---- the worker ----

// A worker takes its Content-Security-Policy from the headers of its own script; the <meta> tag
// covers only this document. When worker.js comes without a policy (the page hosted as plain
// static files: docs/hosting.md), the worker is started from a blob: URL that imports it, and a
// blob: worker inherits this document's policy, <meta> tag included: the code that reads every
// data file never runs under no policy at all.
const WORKER = new URL('./worker.js', import.meta.url).href;
// Only when neither this document nor worker.js came with a policy header: a header on the
// document alone (worker-src 'self', no blob:) would refuse the blob: worker.
async function workerUrl() {
  try {
    const heads = [WORKER, location.href].map((u) => fetch(u, { method: 'HEAD', cache: 'no-store' }));
    for (const r of await Promise.all(heads)) if (!r.ok || r.headers.get('content-security-policy')) return WORKER;
  } catch {
    return WORKER;
  }
  return URL.createObjectURL(new Blob([`import ${JSON.stringify(WORKER)};\n`], { type: 'text/javascript' }));
}
const workerSrc = await workerUrl();

export const hooks = { onRestart: null };
export const engine = connect(() => new Worker(workerSrc, { type: 'module', name: 'leadscore' }), {
  onRestart: (why) => hooks.onRestart?.(why),
});
let current = null;

/** The page's workspace in the worker. */
export function ws() {
  if (!current) throw new Error('the scoring worker is not ready yet');
  return current;
}

/** A fresh workspace (at start-up, after a reset or a worker restart). */
export async function newWorkspace(asOf) {
  const old = current;
  current = await engine.workspace({ asOf });
  old?.dispose().catch(() => {});
  return current;
}

// ---- helpers ----

export const notify = (text, kind = 'info') => setState({ notice: { text, kind, at: Date.now() } });

/** Today's date where the user is (the core never reads the clock: the page supplies it). */
export const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

// Field types, header mappings and missing texts are read while loading: a change reloads.
export const fieldsKey = (doc) => JSON.stringify([doc?.fields ?? null, doc?.missing ?? null]);

// The variants the worker scores: the active one and the one it is compared with.
export function scoredVariants() {
  const out = { [state.active]: state.doc };
  const b = state.variants.find((v) => v.id === state.compareWith);
  if (b) out[b.id] = b.doc;
  return out;
}
export const scoredMap = (vs) => Object.fromEntries(Object.entries(vs).filter(([, v]) => !v.error));

// An error as the worker reported it inside a value (not thrown): an Error with its fields.
export const errorOf = (e) => Object.assign(new Error(e.message), e);

/** Takes the variants' new scores (after events or a date changed). */
export function applyStates(variants) {
  const scoredBy = { ...state.scoredBy };
  for (const [id, v] of Object.entries(variants)) if (!v.error) scoredBy[id] = v;
  const a = variants[state.active];
  const active = a && !a.error ? { scored: a, scoreError: null } : a?.error ? { scoreError: errorOf(a.error) } : {};
  setState({ scoredBy, ...active });
}

// ---- saving ----

// The last rule set of each variant that compiled: saved next to the draft, so that a draft
// saved with errors still opens with its data scored (by these rules) and its errors shown.
const good = new Map(); // variant id -> doc
export const markGood = (docs) => {
  for (const [id, doc] of Object.entries(docs)) if (doc) good.set(id, doc);
};
export const goodDoc = (id) => good.get(id);

// A save that fails (storage blocked or full) is said once: work that is not kept must not look kept.
let saveFailed = false;
const onSaveError = (e) => {
  if (saveFailed || persist.isReadOnly()) return;
  saveFailed = true;
  notify(
    `Your changes could not be saved in this browser (${String(e?.message ?? e).replace(/\.$/, '')}): export the rules to keep them.`,
    'error',
  );
};
// The workspace being written until IndexedDB says it is: a reload can cut a write off after it
// left the debounce, so pagehide keeps it in localStorage as it keeps a save not yet begun.
let writing;
const saveDebounced = persist.debounced((w) => {
  writing = w;
  return persist.saveWorkspace(w).then(() => {
    if (writing === w) writing = undefined;
  }, onSaveError);
}, 250);
// Leaving or hiding the page writes a pending save now (a reload or closed tab loses nothing).
addEventListener('pagehide', () => {
  const w = saveDebounced.pending() ?? writing;
  if (w !== undefined) persist.keepPending(w);
  saveDebounced.flush();
});
addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') saveDebounced.flush();
});
export const flushSaves = () => saveDebounced.flush();

/** Saves the workspace (rules, choices; not the data) a moment later. */
export function saveWorkspace() {
  saveDebounced({
    variants: state.variants.map((v) => ({ id: v.id, doc: v.doc, good: good.get(v.id) })),
    active: state.active,
    compareWith: state.compareWith,
    breakdownColumn: state.breakdownColumn,
    outcome: state.outcome,
    capacity: state.capacity,
    resultsTab: state.resultsTab,
    asOf: state.asOf,
    asOfFixed: state.asOfFixed,
  });
}
