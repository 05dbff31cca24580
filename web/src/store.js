// The page's state and every action that changes it. Components read state with useStore()
// and call actions; actions talk to the engine (the worker) and persist what must survive.
//
// The data path: text/file -> engine.loadLeads (worker, wasm) -> info + scores -> page.
// A rule edit: doc -> history -> engine.latest('score', setRules) -> scores -> view refresh.
import { useEffect, useState } from 'preact/hooks';
import { Engine } from './engine.js';
import * as persist from './persist.js';

const SAMPLE_DATA = './samples/b2b-leads.csv';
const SAMPLE_RULES = './samples/b2b-rules.json';
const ROW_WINDOW = 80;

let state = {
  ready: false,
  // Rule sets ("variants": a baseline and drafts). The active one is mirrored in doc/past/future.
  variants: [],           // [{id, doc, past, future}]
  active: null,           // id of the variant being edited
  compareWith: null,      // id of the variant shown next to it, or null
  scoredBy: {},           // variant id -> worker state (scores of that variant)
  doc: null,              // the rule set being edited (plain JSON object)
  past: [], future: [],   // undo/redo: JSON texts of earlier/later docs
  data: null,             // {name, size, info}
  loading: null,          // {name, progress: {bytesRead, totalBytes, rowsParsed}, controller}
  loadError: null,        // EngineError of the last failed load (the previous data stays)
  scored: null,           // worker state of the current rules: {rules, stats, warnings, summary, evaluated}
  scoreError: null,       // EngineError of the newest rule set (the last valid scores stay shown)
  scoreMs: null,          // how long the last re-score took, end to end
  view: { sort: { key: 'score', dir: 'desc' }, tier: '', text: '', offset: 0, count: 0, rows: [] },
  selected: null,         // lead index whose ledger is open
  ledger: null,           // {ledger, row}
  breakdownColumn: null,
  breakdown: null,
  notice: null,           // {kind: 'info'|'error', text}
  tab: 'rules',
  resultsTab: 'scores',   // 'scores' | 'validate' | 'compare'
  outcome: null,          // how outcomes are known: {source: 'column', column} | {source: 'ids', leadIdColumn, idColumn, name}
  outcomes: null,         // OutcomesInfo from the core, or {error}
  evaluation: {},         // variant id -> Evaluation (or {error})
  comparison: null,       // Comparison of the active variant (A) with compareWith (B), or {error}
  capacity: { kind: 'share', value: 10 },  // how many leads sales can take: {kind: 'count'|'share', value}
  asOf: null,             // 'YYYY-MM-DD' every score is computed against (default: today, here)
  asOfFixed: false,       // the user chose the date (kept across reloads) rather than "today"
  events: null,           // EventsInfo of the loaded activity events, or {error}, or null
  eventsName: null,
};
const listeners = new Set();

export function getState() { return state; }
function setState(patch) {
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

export const engine = new Engine(new URL('./worker.js', import.meta.url));
const saveWorkspace = persist.debounced((w) => persist.saveWorkspace(w).catch(() => {}), 250);
addEventListener('pagehide', () => saveWorkspace.flush());

export const notify = (text, kind = 'info') => setState({ notice: { text, kind, at: Date.now() } });

// ---- start-up ----------------------------------------------------------------------------------

/** Today's date where the user is (the core never reads the clock: the page supplies it). */
export const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

export async function start() {
  engine.onRestart = () => restore(true);
  await restore(false);
}

async function fetchText(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`could not read ${url} (${r.status})`);
  return r.text();
}

// Saved work first, then the shared link, then the built-in sample.
async function restore(afterCrash) {
  const saved = await persist.loadWorkspace();
  const asOf = afterCrash ? state.asOf : saved?.asOfFixed && saved?.asOf ? saved.asOf : today();
  setState({ asOf, asOfFixed: afterCrash ? state.asOfFixed : !!saved?.asOfFixed });
  await engine.call('init', { date: asOf });
  if (!afterCrash) {
    let variants = saved?.variants?.filter((v) => v?.doc && typeof v.id === 'string');
    if (!variants?.length) variants = saved?.rules ? [{ id: 'v1', doc: saved.rules }] : [{ id: 'v1', doc: JSON.parse(await fetchText(SAMPLE_RULES)) }];
    variants = variants.map((v) => ({ id: v.id, doc: v.doc, past: [], future: [] }));
    const active = variants.some((v) => v.id === saved?.active) ? saved.active : variants[0].id;
    const a = variants.find((v) => v.id === active);
    const compareWith = variants.some((v) => v.id === saved?.compareWith && v.id !== active) ? saved.compareWith : null;
    setState({
      variants, active, compareWith, doc: a.doc, past: [], future: [], breakdownColumn: saved?.breakdownColumn ?? 'source',
      outcome: saved?.outcome ?? null, capacity: saved?.capacity ?? state.capacity, resultsTab: saved?.resultsTab ?? 'scores',
    });
  }
  if (!afterCrash && location.hash.startsWith('#rules=')) await openShared(location.hash);
  const dataset = await persist.loadDataset();
  // The saved outcome source is applied once the data is in (a deals file is saved too).
  const outcome = state.outcome;
  setState({ outcome: null });
  if (dataset?.blob) await loadData(dataset.blob, dataset.name, { save: false });
  else await loadData(new Blob([await fetchText(SAMPLE_DATA)], { type: 'text/csv' }), 'Sample: 3,000 B2B leads (b2b-leads.csv)', { save: false });
  const savedEvents = await persist.loadEvents();
  if (savedEvents?.blob && state.data) await loadEventsFile(savedEvents.blob, savedEvents.name, { save: false, options: savedEvents.options });
  if (outcome && !outcome.auto) await useOutcome(outcome.source === 'ids' ? { ...outcome, input: (await persist.loadDeals())?.blob } : outcome, { save: false });
  setState({ ready: true });
  if (afterCrash) notify('The scoring worker stopped and was restarted; your data and rules were reloaded.', 'error');
}

async function openShared(hash) {
  try {
    const { readFragment } = persist;
    const doc = await readFragment(hash);
    await engine.call('checkRules', { rules: doc });  // validate before use
    commit(doc, { label: 'open shared link' });
    notify(`Opened the shared rule set${doc.name ? ` “${doc.name}”` : ''}. Undo (Ctrl+Z) goes back to your own.`);
  } catch (e) {
    notify(`The shared link was not used: ${e.message}`, 'error');
  }
  history.replaceState(null, '', location.pathname + location.search);
}

// ---- data ------------------------------------------------------------------------------------

const fieldsKey = (doc) => JSON.stringify([doc?.fields ?? null, doc?.missing ?? null]);

// The variants the worker scores: the active one and the one it is compared with.
function scoredVariants() {
  const out = { [state.active]: state.doc };
  const b = state.variants.find((v) => v.id === state.compareWith);
  if (b) out[b.id] = b.doc;
  return out;
}
const scoredMap = (vs) => Object.fromEntries(Object.entries(vs).filter(([, v]) => !v.error));

/** Load a File/Blob (or text) as the lead table. On failure the previous data stays. */
export async function loadData(input, name, { save = true } = {}) {
  state.loading?.controller.abort();
  const controller = new AbortController();
  const blob = typeof input === 'string' ? new Blob([input], { type: 'text/plain' }) : input;
  setState({ loading: { name, progress: { bytesRead: 0, totalBytes: blob.size, rowsParsed: 0 }, controller }, loadError: null });
  const t0 = performance.now();
  try {
    const doc = state.doc;
    const r = await engine.call('loadLeads', { input: blob, options: { rules: doc }, rules: scoredVariants() }, {
      signal: controller.signal,
      onProgress: (p) => setState((s) => (s.loading?.controller === controller ? { loading: { ...s.loading, progress: p } } : {})),
    });
    const v = r.variants[state.active];
    setState({
      data: { name, size: blob.size, info: r.info, ms: performance.now() - t0 },
      loading: null, selected: null, ledger: null,
      scored: v.error ? null : v, scoreError: v.error ? errorOf(v.error) : null, scoredBy: scoredMap(r.variants),
      fieldsAt: fieldsKey(doc),
      view: { ...state.view, offset: 0, rows: [], count: 0 },
    });
    if (save) persist.saveDataset({ name, blob, size: blob.size, savedAt: Date.now() }).catch((e) => notify(`The data could not be saved for next time (${e.message}); it is loaded for now.`, 'error'));
    if (r.events) setState({ events: r.events });
    // An outcome column found automatically is simply not used for data without it.
    if (r.outcomes?.error) setState({ outcomes: state.outcome?.auto ? null : r.outcomes, outcome: null });
    else if (r.outcomes) setState({ outcomes: r.outcomes });
    if (!state.outcome) await autoOutcome(r.info);
    await Promise.all([refreshView(), refreshBreakdown(), refreshAnalysis()]);
    return true;
  } catch (e) {
    if (state.loading?.controller === controller) setState({ loading: null, loadError: e });
    return false;
  }
}

export const cancelLoad = () => state.loading?.controller.abort();

const errorOf = (e) => Object.assign(new Error(e.message), e);

// ---- rules -------------------------------------------------------------------------------------

let lastCommit = { key: null, at: 0 };

/**
 * Make `doc` the rule set: it enters the undo history (edits with the same `key` within a
 * second — typing in one box — count as one step), is saved, and re-scored live.
 */
export function commit(doc, { key = null } = {}) {
  const now = Date.now();
  const prevText = JSON.stringify(state.doc);
  const text = JSON.stringify(doc);
  if (text === prevText) return;
  const merge = key !== null && key === lastCommit.key && now - lastCommit.at < 1000;
  lastCommit = { key, at: now };
  setActive({ doc, past: merge ? state.past : [...state.past, prevText].slice(-200), future: [] });
  afterChange();
}

// Updates the active variant (and its mirror in doc/past/future).
function setActive(patch) {
  setState((s) => ({ ...patch, variants: s.variants.map((v) => (v.id === s.active ? { ...v, ...patch } : v)) }));
}

export function undo() {
  if (!state.past.length) return;
  const past = [...state.past];
  const prev = past.pop();
  lastCommit = { key: null, at: 0 };
  setActive({ doc: JSON.parse(prev), past, future: [JSON.stringify(state.doc), ...state.future] });
  afterChange();
}

export function redo() {
  if (!state.future.length) return;
  const [next, ...future] = state.future;
  lastCommit = { key: null, at: 0 };
  setActive({ doc: JSON.parse(next), past: [...state.past, JSON.stringify(state.doc)], future });
  afterChange();
}

const workspace = () => ({
  variants: state.variants.map((v) => ({ id: v.id, doc: v.doc })), active: state.active, compareWith: state.compareWith,
  breakdownColumn: state.breakdownColumn, outcome: state.outcome, capacity: state.capacity, resultsTab: state.resultsTab,
  asOf: state.asOf, asOfFixed: state.asOfFixed,
});

function afterChange() {
  saveWorkspace(workspace());
  if (!state.data) return;
  // Field types, header mappings and missing texts are read while loading: reload for those.
  if (fieldsKey(state.doc) !== state.fieldsAt) reloadWithFields();
  else rescore();
}

async function reloadWithFields() {
  const doc = state.doc;
  const key = fieldsKey(doc);
  try {
    const r = await engine.latest('reload', 'reload', { options: { rules: doc }, rules: scoredVariants() });
    if (r.superseded) return;
    const v = r.variants[state.active];
    setState({
      data: { ...state.data, info: r.info }, fieldsAt: key,
      scored: v.error ? state.scored : v, scoreError: v.error ? errorOf(v.error) : null,
      scoredBy: { ...state.scoredBy, ...scoredMap(r.variants) },
    });
    await Promise.all([refreshView(), refreshBreakdown(), refreshLedger(), refreshAnalysis()]);
  } catch (e) {
    setState({ scoreError: e });
  }
}

async function rescore() {
  const t0 = performance.now();
  try {
    const id = state.active;
    const r = await engine.latest(`score:${id}`, 'setRules', { variant: id, rules: state.doc });
    if (r.superseded || id !== state.active) return;
    setState({ scored: r, scoreError: null, scoreMs: performance.now() - t0, scoredBy: { ...state.scoredBy, [id]: r } });
    await Promise.all([refreshView(), refreshBreakdown(), refreshLedger(), refreshAnalysis()]);
  } catch (e) {
    if (e.code === 'crashed') return;
    setState({ scoreError: e });
  }
}

// ---- views -------------------------------------------------------------------------------------

export async function refreshView(patch = {}) {
  if (!state.data) return;
  const view = { ...state.view, ...patch };
  const reorder = 'sort' in patch || 'tier' in patch || 'text' in patch || 'subset' in patch;
  if (reorder) view.offset = 0;
  setState({ view: reorder ? { ...view, pending: true } : view });
  try {
    const r = await engine.latest('view', 'view', {
      variant: state.active, sort: view.sort, tier: view.tier, text: view.text, subset: view.subset ?? null, offset: view.offset, limit: ROW_WINDOW,
    });
    if (r.superseded) return;
    setState((s) => ({ view: { ...s.view, count: r.count, offset: r.offset, rows: r.rows, pending: false } }));
  } catch (e) {
    if (e.code !== 'crashed') setState((s) => ({ view: { ...s.view, count: 0, rows: [] } }));
  }
}

/** The table scrolled: fetch the window around `first` when it is not loaded. */
export function scrollTo(first) {
  const v = state.view;
  const want = Math.max(0, first - 20);
  if (v.rows.length && first >= v.offset && first + 30 <= v.offset + v.rows.length) return;
  if (v.rows.length && first >= v.offset && v.offset + v.rows.length >= v.count) return;
  refreshView({ offset: want });
}

export async function select(lead) {
  setState({ selected: lead, ledger: lead === null ? null : state.ledger });
  await refreshLedger();
}

async function refreshLedger() {
  const lead = state.selected;
  if (lead === null || !state.data) return;
  try {
    const r = await engine.latest('ledger', 'ledger', { variant: state.active, lead });
    if (!r.superseded && state.selected === lead) setState({ ledger: r });
  } catch (e) {
    if (e.code !== 'crashed') setState({ ledger: { error: e.message } });
  }
}

export async function setBreakdown(column) {
  setState({ breakdownColumn: column });
  saveWorkspace(workspace());
  await refreshBreakdown();
}

async function refreshBreakdown() {
  const column = state.breakdownColumn;
  const cols = state.data?.info.columns ?? [];
  const col = cols.find((c) => c.name === column) ?? cols.find((c) => c.type === 'string' && c.distinct <= 50);
  if (!col || !state.scored) return setState({ breakdown: null });
  try {
    const r = await engine.latest('breakdown', 'breakdown', { variant: state.active, column: col.name });
    if (!r.superseded) setState({ breakdown: r });
  } catch (e) {
    if (e.code !== 'crashed') setState({ breakdown: { column: col.name, error: e.message } });
  }
}

export const setTab = (tab) => setState({ tab });

// ---- activity events and the as-of date ---------------------------------------------------------

function applyStates(variants) {
  const scoredBy = { ...state.scoredBy };
  for (const [id, v] of Object.entries(variants)) if (!v.error) scoredBy[id] = v;
  const a = variants[state.active];
  setState({ scoredBy, ...(a && !a.error ? { scored: a, scoreError: null } : a?.error ? { scoreError: errorOf(a.error) } : {}) });
}

/** Activity events (CSV/JSON/NDJSON) for the loaded leads; null clears them. */
export async function loadEventsFile(input, name, { save = true, options = {} } = {}) {
  if (!state.data) return false;
  const controller = new AbortController();
  setState({ eventsLoading: { name, controller, progress: { bytesRead: 0, totalBytes: input?.size ?? 0 } } });
  try {
    const r = await engine.call('loadEvents', { input, options }, {
      signal: controller.signal,
      onProgress: (p) => setState((s) => (s.eventsLoading ? { eventsLoading: { ...s.eventsLoading, progress: p } } : {})),
    });
    setState({ events: r.info, eventsName: input ? name : null, eventsLoading: null });
    applyStates(r.variants);
    if (save) (input ? persist.saveEvents({ name, blob: input, options }) : persist.clearEvents()).catch(() => {});
    await Promise.all([refreshView(), refreshBreakdown(), refreshLedger(), refreshAnalysis()]);
    return true;
  } catch (e) {
    setState({ eventsLoading: null, events: { ...(state.events ?? {}), error: { message: e.message, code: e.code, line: e.line } } });
    return false;
  }
}

export async function setAsOfDate(date) {
  const value = date || today();
  try {
    const r = await engine.call('setAsOf', { date: value });
    setState({ asOf: value, asOfFixed: !!date && date !== today() });
    applyStates(r.variants);
    saveWorkspace(workspace());
    await Promise.all([refreshView(), refreshBreakdown(), refreshLedger(), refreshAnalysis()]);
  } catch (e) {
    notify(`The date was not changed: ${e.message}`, 'error');
  }
}

// ---- outcomes, validation and comparison ---------------------------------------------------------

const OUTCOME_NAMES = ['converted', 'is_converted', 'y', 'won', 'outcome', 'closed_won', 'deal_won'];

// A boolean column with an outcome-like name is taken as the outcome unless the user chose.
async function autoOutcome(info) {
  if (state.outcome) return useOutcome(state.outcome, { save: false });
  const col = info.columns.find((c) => OUTCOME_NAMES.includes(c.name.toLowerCase()) && (c.type === 'boolean' || c.type === 'string'));
  if (col) await useOutcome({ source: 'column', column: col.name, auto: true }, { save: false });
  else setState({ outcomes: null });
}

/** Outcomes from a column ({source: 'column', column}) or a deals file ({source: 'ids', leadIdColumn, idColumn, input: File, name}); null: none. */
export async function useOutcome(src, { save = true } = {}) {
  if (!state.data) return;
  try {
    const args = src && (src.source === 'column' ? { source: 'column', column: src.column }
      : { source: 'ids', leadIdColumn: src.leadIdColumn, input: src.input, options: src.idColumn ? { idColumn: src.idColumn } : {} });
    if (src?.source === 'ids' && !src.input) throw new Error('choose the deals file first');
    const info = await engine.call('setOutcomes', args ?? null);
    const { input, ...keep } = src ?? {};
    setState({ outcome: src ? keep : null, outcomes: info, evaluation: {}, comparison: null });
    if (save && src?.source === 'ids') persist.saveDeals({ name: src.name, blob: input }).catch(() => {});
    saveWorkspace(workspace());
    await refreshAnalysis();
  } catch (e) {
    setState({ outcomes: { error: { message: e.message, code: e.code, field: e.field } } });
  }
}

export function setResultsTab(resultsTab) {
  setState({ resultsTab });
  saveWorkspace(workspace());
  refreshAnalysis();
}

export function setCapacity(capacity) {
  setState({ capacity });
  saveWorkspace(workspace());
  refreshAnalysis();
}

const capacityArg = () => (state.capacity.kind === 'share' ? { share: state.capacity.value / 100 } : { count: state.capacity.value });

/** Evaluations and the comparison for what is on screen (computed in the core, in the worker). */
export async function refreshAnalysis() {
  if (!state.data || state.resultsTab === 'scores') return;
  const ids = [state.compareWith, state.active].filter(Boolean);
  const jobs = [];
  if (state.resultsTab === 'validate' && state.outcomes && !state.outcomes.error)
    for (const id of ids)
      jobs.push(engine.latest(`evaluate:${id}`, 'evaluate', { variant: id, capacity: capacityArg() }).then(
        (r) => !r.superseded && setState((s) => ({ evaluation: { ...s.evaluation, [id]: r } })),
        (e) => e.code !== 'crashed' && setState((s) => ({ evaluation: { ...s.evaluation, [id]: { error: e.message } } }))));
  if (state.resultsTab === 'compare' && state.compareWith)
    // A is the reference (the rule set compared with), B the one being edited: "what my change does".
    jobs.push(engine.latest('compare', 'compare', { a: state.compareWith, b: state.active, capacity: capacityArg() }).then(
      (r) => !r.superseded && setState({ comparison: { ...r, a_id: state.compareWith, b_id: state.active } }),
      (e) => e.code !== 'crashed' && setState({ comparison: { error: e.message } })));
  await Promise.all(jobs);
}

/** Show, in the table, the leads of one migration cell (A's tier/cell -> B's). */
export function showMigration(kind, from, to) {
  setState({ resultsTab: 'scores' });
  refreshView({ subset: { kind, from, to, other: state.compareWith, otherIsA: true }, tier: '', text: '' });
}
export const clearSubset = () => refreshView({ subset: null });

// ---- variants: several named rule sets, one edited at a time, any two compared -------------------

const newId = () => `v${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
export const variantName = (v, k) => v?.doc?.name || `Rule set ${k + 1}`;

async function scoreVariant(id) {
  const v = state.variants.find((x) => x.id === id);
  if (!v || !state.data) return;
  try {
    const r = await engine.latest(`score:${id}`, 'setRules', { variant: id, rules: v.doc });
    if (!r.superseded) setState({ scoredBy: { ...state.scoredBy, [id]: r } });
    await refreshAnalysis();
  } catch (e) {
    if (e.code !== 'crashed') setState({ scoredBy: { ...state.scoredBy, [id]: { error: e.message } } });
  }
}

/** Edit another variant: its rules, history and scores become the page's. */
export async function switchVariant(id) {
  if (id === state.active || !state.variants.some((v) => v.id === id)) return;
  const v = state.variants.find((x) => x.id === id);
  lastCommit = { key: null, at: 0 };
  const compareWith = state.compareWith === id ? state.active : state.compareWith;
  setState({ active: id, doc: v.doc, past: v.past, future: v.future, compareWith, scored: state.scoredBy[id] ?? state.scored, selected: null, ledger: null });
  saveWorkspace(workspace());
  if (fieldsKey(v.doc) !== state.fieldsAt) await reloadWithFields();
  else await rescore();
}

/** A copy of the active rule set as a new draft, compared with the one it came from. */
export async function duplicateVariant() {
  const from = state.active;
  const k = state.variants.length;
  const base = state.doc.name || `Rule set ${state.variants.findIndex((v) => v.id === from) + 1}`;
  const doc = { ...structuredClone(state.doc), name: `${base.replace(/ \(draft( \d+)?\)$/, '')} (draft${k > 1 ? ` ${k}` : ''})` };
  const id = newId();
  setState({ variants: [...state.variants, { id, doc, past: [], future: [] }] });
  await switchVariant(id);
  await setCompare(from);
}

export async function deleteVariant(id) {
  if (state.variants.length < 2) return;
  const rest = state.variants.filter((v) => v.id !== id);
  const scoredBy = { ...state.scoredBy };
  delete scoredBy[id];
  setState({ variants: rest, compareWith: state.compareWith === id ? null : state.compareWith, scoredBy });
  engine.call('dropVariant', { variant: id }).catch(() => {});
  if (state.active === id) {
    setState({ active: null });
    const next = rest[0];
    setState({ active: next.id, doc: next.doc, past: next.past, future: next.future, compareWith: state.compareWith === next.id ? null : state.compareWith });
    await rescore();
  }
  saveWorkspace(workspace());
}

export async function setCompare(id) {
  const compareWith = id && id !== state.active && state.variants.some((v) => v.id === id) ? id : null;
  setState({ compareWith });
  saveWorkspace(workspace());
  if (compareWith) await scoreVariant(compareWith);
}

// ---- in and out --------------------------------------------------------------------------------

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const slug = (s) => (s || 'leadscore').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'leadscore';

export async function exportScores() {
  try {
    const blob = await engine.call('exportCsv', { variant: state.active, reasons: true });
    const base = (state.data?.name ?? 'leads').replace(/^Sample: .*\((.*)\)$/, '$1').replace(/\.[a-z]+$/i, '');
    download(blob, `${slug(base)}-scored.csv`);
  } catch (e) {
    notify(`Export failed: ${e.message}`, 'error');
  }
}

export function exportRules() {
  download(new Blob([JSON.stringify(state.doc, null, 2) + '\n'], { type: 'application/json' }), `${slug(state.doc?.name)}.rules.json`);
}

/** Import a rule set file: validated by the core first; an invalid file changes nothing. */
export async function importRules(file) {
  let doc;
  try {
    const text = await file.text();
    await engine.call('checkRules', { rules: text });  // the core says where (line, column, rule, field)
    doc = JSON.parse(text);
    // and whether it fits the loaded leads (read again if it declares fields differently)
    await engine.call('tryRules', { rules: doc, reread: fieldsKey(doc) !== state.fieldsAt });
  } catch (e) {
    const where = e.line ? ` (line ${e.line}, column ${e.column})` : e.ruleId ? ` (rule ${e.ruleId}${e.field ? `, field ${e.field}` : ''})` : e.path ? ` (at ${e.path})` : '';
    notify(`“${file.name}” was not imported: ${e.message}${where}. Your rules are unchanged.`, 'error');
    return false;
  }
  commit(doc);
  notify(`Imported the rule set from “${file.name}”. Undo (Ctrl+Z) brings back the previous one.`);
  return true;
}

export async function shareLink() {
  const url = location.origin + location.pathname + (await persist.shareFragment(state.doc));
  try {
    await navigator.clipboard.writeText(url);
    notify('A link to this rule set (rules only, no lead data) was copied to the clipboard.');
  } catch {
    notify('Copy this link to share the rule set (rules only, no lead data).');
  }
  setState({ shareUrl: url });
  return url;
}

export async function resetWorkspace() {
  await persist.resetAll();
  setState({ past: [], future: [], doc: null, notice: null, shareUrl: null, variants: [], active: null, compareWith: null, scoredBy: {}, outcome: null, outcomes: null, evaluation: {}, comparison: null, resultsTab: 'scores', events: null, eventsName: null, asOfFixed: false });
  await restore(false);
  notify('Reset: the sample data and rules are loaded again, and saved work was cleared.');
}

// For the Chromium tests (tests/e2e): make the worker crash, to prove saved work survives it.
globalThis.__leadscoreTest = { crashWorker: () => engine.crash().catch(() => {}) };
