// Start-up: saved work first, then a shared link, then the built-in sample. The same path
// reloads everything into a new workspace after the worker restarted, and after a reset.
import * as persist from './persist.js';
import {
  engine,
  flushSaves,
  getState,
  goodDoc,
  hooks,
  markGood,
  newWorkspace,
  notify,
  scoredVariants,
  setState,
  today,
  ws,
} from './store.js';
import { loadData } from '../data/actions.js';
import { loadEventsFile } from '../events/actions.js';
import { commit } from '../rules/actions.js';
import { useOutcome } from '../validate/actions.js';
import { claimWorkspace } from './tabs.js';
import { refreshAll } from './refresh.js';

const SAMPLE_DATA = './samples/b2b-leads.csv';
const SAMPLE_RULES = './samples/b2b-rules.json';

export async function start() {
  hooks.onRestart = () => restore(true);
  engine.limits().then(
    (limits) => setState({ limits }),
    () => {},
  );
  await claimWorkspace();
  await restore(false);
}

async function fetchText(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`could not read ${url} (${r.status})`);
  return r.text();
}

const isObj = (x) => !!x && typeof x === 'object' && !Array.isArray(x);
// 'YYYY-MM-DD' naming a day of the calendar ('2024-13-45' is not: the core refuses it).
function realDate(s) {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s;
}

// What of a saved workspace can be used: values of the wrong shape (a damaged store) are left
// out, and each loss is told in `problems`.
export function sanitizeWorkspace(saved, problems) {
  if (saved === undefined) return undefined;
  if (!isObj(saved)) {
    problems.push('the saved rules and settings could not be read');
    return undefined;
  }
  const out = { asOfFixed: saved.asOfFixed === true };
  if (saved.variants !== undefined) {
    const ok = (v) => isObj(v) && typeof v.id === 'string' && isObj(v.doc);
    const vs = Array.isArray(saved.variants) ? saved.variants.filter(ok) : [];
    if (!Array.isArray(saved.variants) || vs.length < saved.variants.length)
      problems.push('some saved rule sets could not be read');
    out.variants = vs.map((v) => ({ id: v.id, doc: v.doc, good: isObj(v.good) ? v.good : undefined }));
  }
  if (isObj(saved.rules)) out.rules = saved.rules;
  for (const k of ['active', 'compareWith', 'breakdownColumn']) if (typeof saved[k] === 'string') out[k] = saved[k];
  if (['scores', 'validate', 'compare'].includes(saved.resultsTab)) out.resultsTab = saved.resultsTab;
  const c = saved.capacity;
  if (isObj(c) && ['count', 'share'].includes(c.kind) && Number.isFinite(c.value)) out.capacity = c;
  if (isObj(saved.outcome) && typeof saved.outcome.source === 'string') out.outcome = saved.outcome;
  if (realDate(saved.asOf)) out.asOf = saved.asOf;
  else if (saved.asOf !== undefined && saved.asOf !== null) problems.push('the saved as-of date could not be read');
  return out;
}

// A saved file ({name, blob}) that can be used, or undefined (a damaged one is told in `problems`).
function savedFile(value, what, problems) {
  if (value === undefined) return undefined;
  if (isObj(value) && value.blob instanceof Blob) return value;
  problems.push(`the saved ${what} could not be read`);
  return undefined;
}

// A file whose save was cut off by the page going away: named, so the page does not pass off
// what was saved before it as the file the user loaded last.
function notKept(key, stored, lost) {
  const file = persist.takeUnfinished(key, stored);
  if (file) lost.push(`“${file.name}”`);
}

// The saved variants (or the saved single rule set, or the sample's) become the page's.
async function restoreVariants(saved) {
  let variants = saved?.variants;
  for (const v of variants ?? []) if (v.good) markGood({ [v.id]: v.good });
  if (!variants?.length) variants = [{ id: 'v1', doc: saved?.rules ?? JSON.parse(await fetchText(SAMPLE_RULES)) }];
  variants = variants.map((v) => ({ id: v.id, doc: v.doc, past: [], future: [] }));
  const active = variants.some((v) => v.id === saved?.active) ? saved.active : variants[0].id;
  const a = variants.find((v) => v.id === active);
  const compareWith = variants.some((v) => v.id === saved?.compareWith && v.id !== active) ? saved.compareWith : null;
  setState((s) => ({
    variants,
    active,
    compareWith,
    doc: a.doc,
    past: [],
    future: [],
    breakdownColumn: saved?.breakdownColumn ?? 'source',
    outcome: saved?.outcome ?? null,
    capacity: saved?.capacity ?? s.capacity,
    resultsTab: saved?.resultsTab ?? 'scores',
  }));
}

// A saved "last good" version is checked again: a damaged store can hold anything there.
const compiles = (doc) =>
  doc
    ? engine.checkRules(doc).then(
        () => true,
        (e) => {
          if (e.code === 'crashed') throw e;
          return false;
        },
      )
    : false;

// The rule sets to load the data with: each variant's own, or, for a draft saved with errors, the
// last one of it that compiled (the draft stays the page's, with its errors shown).
async function rulesForLoad() {
  const docs = {};
  let draftError = null;
  for (const [id, doc] of Object.entries(scoredVariants())) {
    try {
      await engine.checkRules(doc);
      docs[id] = doc;
    } catch (e) {
      if (e.code === 'crashed') throw e;
      if (await compiles(goodDoc(id))) docs[id] = goodDoc(id);
      if (id === getState().active) draftError = e;
    }
  }
  return { rules: { doc: docs[getState().active], variants: docs }, draftError };
}

// A saved draft that does not score this data (its error is shown): the data is scored with the
// last version of it that did, rather than not at all.
async function scoreWithLastGood() {
  const { active, scored, scoreError, data } = getState();
  const good = goodDoc(active);
  if (scored || !scoreError || !good || !data) return;
  try {
    const r = await engine.checkRules(good).then(() => ws().setRules({ variant: active, rules: good }));
    setState((s) => ({ scored: r, scoredBy: { ...s.scoredBy, [active]: r }, scoreError }));
    await refreshAll();
  } catch {
    // the last good rules do not fit this data either: the error stays, without scores
  }
}

async function restore(afterCrash) {
  try {
    await restoreSaved(afterCrash);
  } catch (e) {
    if (e.code === 'crashed') throw e;
    setState({
      startProblem: { message: `Your saved work could not be opened: ${e.message}.` },
    });
    // What was saved stays saved (for "Export what is readable"); the page opens with the sample.
    if (!getState().data) await restoreSaved(afterCrash, { fresh: true }).catch(() => {});
  } finally {
    setState({ ready: true });
  }
}

async function restoreSaved(afterCrash, { fresh = false } = {}) {
  const problems = [];
  const lost = [];
  const saved = fresh ? undefined : sanitizeWorkspace(await persist.loadWorkspace(), problems);
  const state = getState();
  const asOf = afterCrash ? state.asOf : saved?.asOfFixed && saved?.asOf ? saved.asOf : today();
  setState({ asOf, asOfFixed: afterCrash ? state.asOfFixed : !!saved?.asOfFixed });
  await newWorkspace(asOf);
  if (!afterCrash) await restoreVariants(saved);
  if (!afterCrash && location.hash.startsWith('#rules=')) await openShared(location.hash);
  const dataset = fresh ? undefined : savedFile(await persist.loadDataset(), 'data', problems);
  notKept('dataset', dataset, lost);
  // The saved outcome source is applied once the data is in (a deals file is saved too).
  const outcome = getState().outcome;
  setState({ outcome: null });
  const { rules, draftError } = await rulesForLoad();
  let loaded = false;
  if (dataset) {
    loaded = await loadData(dataset.blob, String(dataset.name ?? 'Saved data'), { save: false, rules });
    if (!loaded) problems.push(`the saved data could not be loaded (${getState().loadError?.message})`);
  }
  if (!loaded) {
    const sample = new Blob([await fetchText(SAMPLE_DATA)], { type: 'text/csv' });
    await loadData(sample, 'Sample: 3,000 B2B leads (b2b-leads.csv)', { save: false, rules });
  }
  if (draftError) setState({ scoreError: draftError });
  await scoreWithLastGood();
  const savedEvents = fresh ? undefined : savedFile(await persist.loadEvents(), 'activity events', problems);
  notKept('events', savedEvents, lost);
  if (savedEvents?.blob && getState().data)
    await loadEventsFile(savedEvents.blob, savedEvents.name, { save: false, options: savedEvents.options });
  if (outcome && !outcome.auto) {
    const deals = outcome.source === 'ids' ? savedFile(await persist.loadDeals(), 'deals', problems) : null;
    if (outcome.source === 'ids') notKept('deals', deals, lost);
    const src = outcome.source === 'ids' ? { ...outcome, input: deals?.blob } : outcome;
    await useOutcome(src, { save: false });
  }
  for (const p of persist.readProblems) problems.push(`the saved ${p.key} could not be read (${p.message})`);
  if (problems.length)
    setState({
      startProblem: {
        message: `Some saved work could not be opened: ${[...new Set(problems)].join('; ')}. What could be read is open.`,
      },
    });
  if (draftError)
    notify(
      `Your rule set was saved with errors: it is shown with them${
        getState().scored ? ', and the data is scored with its last valid version' : ''
      }.`,
      'error',
    );
  if (afterCrash) notify('The scoring worker stopped and was restarted; your data and rules were reloaded.', 'error');
  if (lost.length)
    notify(
      `${lost.join(' and ')} ${lost.length > 1 ? 'were' : 'was'} still being saved when the page closed and ${
        lost.length > 1 ? 'were' : 'was'
      } not kept: what is open is what was saved before. Load ${lost.length > 1 ? 'them' : 'it'} again.`,
      'error',
    );
}

async function openShared(hash) {
  try {
    const doc = await persist.readFragment(hash);
    await engine.checkRules(doc); // validate before use
    commit(doc, { label: 'open shared link' });
    notify(`Opened the shared rule set${doc.name ? ` “${doc.name}”` : ''}. Undo (Ctrl+Z) goes back to your own.`);
  } catch (e) {
    notify(`The shared link was not used: ${e.message}`, 'error');
  }
  history.replaceState(null, '', location.pathname + location.search);
}

/** Downloads every saved value that can still be read, as JSON (files as their text). */
export async function exportSaved() {
  const all = await persist.readAll();
  const out = {};
  for (const [k, v] of Object.entries(all)) {
    if (isObj(v) && v.blob instanceof Blob) out[k] = { ...v, blob: await v.blob.text().catch(() => null) };
    else out[k] = v;
  }
  let text;
  try {
    text = JSON.stringify(out, null, 2);
  } catch (e) {
    text = JSON.stringify({ error: `not exportable: ${e.message}` });
  }
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  a.download = 'leadscore-saved-work.json';
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

export async function resetWorkspace() {
  if (getState().otherTab) {
    notify('This workspace is open in another tab: reload this one to take it over before resetting.', 'error');
    return;
  }
  await flushSaves();
  if (!(await persist.resetAll())) {
    location.reload(); // the damaged database is deleted as this page closes it
    return;
  }
  // The rule sets (doc, variants) stay on screen until restore() replaces them: every panel of
  // the loaded data reads them, and a null doc under the user's data crashed the Data tab.
  setState({
    startProblem: null,
    scoreError: null,
    loadError: null,
    past: [],
    future: [],
    notice: null,
    shareUrl: null,
    compareWith: null,
    starter: null,
    data: null,
    scored: null,
    selected: null,
    ledger: null,
    breakdown: null,
    outcome: null,
    outcomes: null,
    evaluation: {},
    comparison: null,
    resultsTab: 'scores',
    events: null,
    eventsName: null,
    asOfFixed: false,
  });
  await restore(false);
  notify('Reset: the sample data and rules are loaded again, and saved work was cleared.');
}

// For the Chromium tests (tests/e2e): make the worker crash, to prove saved work survives it.
globalThis.__leadscoreTest = { crashWorker: () => engine.crashForTests() };
