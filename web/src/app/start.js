// Start-up: saved work first, then a shared link, then the built-in sample. The same path
// reloads everything into a new workspace after the worker restarted, and after a reset.
import * as persist from './persist.js';
import { engine, getState, hooks, newWorkspace, notify, setState, today } from './store.js';
import { loadData } from '../data/actions.js';
import { loadEventsFile } from '../events/actions.js';
import { commit } from '../rules/actions.js';
import { useOutcome } from '../validate/actions.js';

const SAMPLE_DATA = './samples/b2b-leads.csv';
const SAMPLE_RULES = './samples/b2b-rules.json';

export async function start() {
  hooks.onRestart = () => restore(true);
  engine.limits().then(
    (limits) => setState({ limits }),
    () => {},
  );
  await restore(false);
}

async function fetchText(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`could not read ${url} (${r.status})`);
  return r.text();
}

// The saved variants (or the saved single rule set, or the sample's) become the page's.
async function restoreVariants(saved) {
  let variants = saved?.variants?.filter((v) => v?.doc && typeof v.id === 'string');
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

async function restore(afterCrash) {
  const saved = await persist.loadWorkspace();
  const state = getState();
  const asOf = afterCrash ? state.asOf : saved?.asOfFixed && saved?.asOf ? saved.asOf : today();
  setState({ asOf, asOfFixed: afterCrash ? state.asOfFixed : !!saved?.asOfFixed });
  await newWorkspace(asOf);
  if (!afterCrash) await restoreVariants(saved);
  if (!afterCrash && location.hash.startsWith('#rules=')) await openShared(location.hash);
  const dataset = await persist.loadDataset();
  // The saved outcome source is applied once the data is in (a deals file is saved too).
  const outcome = getState().outcome;
  setState({ outcome: null });
  if (dataset?.blob) await loadData(dataset.blob, dataset.name, { save: false });
  else {
    const sample = new Blob([await fetchText(SAMPLE_DATA)], { type: 'text/csv' });
    await loadData(sample, 'Sample: 3,000 B2B leads (b2b-leads.csv)', { save: false });
  }
  const savedEvents = await persist.loadEvents();
  if (savedEvents?.blob && getState().data)
    await loadEventsFile(savedEvents.blob, savedEvents.name, { save: false, options: savedEvents.options });
  if (outcome && !outcome.auto) {
    const src = outcome.source === 'ids' ? { ...outcome, input: (await persist.loadDeals())?.blob } : outcome;
    await useOutcome(src, { save: false });
  }
  setState({ ready: true });
  if (afterCrash) notify('The scoring worker stopped and was restarted; your data and rules were reloaded.', 'error');
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

export async function resetWorkspace() {
  await persist.resetAll();
  setState({
    past: [],
    future: [],
    doc: null,
    notice: null,
    shareUrl: null,
    variants: [],
    active: null,
    compareWith: null,
    scoredBy: {},
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
