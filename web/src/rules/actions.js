// Editing the rule set: every change enters the undo history, is saved, and is re-scored live.
import { reloadWithFields } from '../data/actions.js';
import { refreshAll } from '../app/refresh.js';
import { fieldsKey, getState, markGood, saveWorkspace, setState, ws } from '../app/store.js';

let lastCommit = { key: null, at: 0 };
export const forgetLastCommit = () => (lastCommit = { key: null, at: 0 });

/**
 * Make `doc` the rule set: it enters the undo history (edits with the same `key` within a
 * second — typing in one box — count as one step), is saved, and re-scored live.
 */
export function commit(doc, { key = null, rescore: score = true } = {}) {
  const state = getState();
  const now = Date.now();
  const prevText = JSON.stringify(state.doc);
  if (JSON.stringify(doc) === prevText) return;
  const merge = key !== null && key === lastCommit.key && now - lastCommit.at < 1000;
  lastCommit = { key, at: now };
  setActive({ doc, past: merge ? state.past : [...state.past, prevText].slice(-200), future: [] });
  if (score) afterChange();
  else saveWorkspace(); // already scored (a load with this rule set)
}

// Updates the active variant (and its mirror in doc/past/future).
function setActive(patch) {
  setState((s) => ({ ...patch, variants: s.variants.map((v) => (v.id === s.active ? { ...v, ...patch } : v)) }));
}

export function undo() {
  const state = getState();
  if (!state.past.length) return;
  const past = [...state.past];
  const prev = past.pop();
  forgetLastCommit();
  setActive({ doc: JSON.parse(prev), past, future: [JSON.stringify(state.doc), ...state.future] });
  afterChange();
}

export function redo() {
  const state = getState();
  if (!state.future.length) return;
  const [next, ...future] = state.future;
  forgetLastCommit();
  setActive({ doc: JSON.parse(next), past: [...state.past, JSON.stringify(state.doc)], future });
  afterChange();
}

function afterChange() {
  saveWorkspace();
  const state = getState();
  if (!state.data) return;
  if (fieldsKey(state.doc) !== state.fieldsAt) reloadWithFields();
  else rescore();
}

/** Scores the active variant's rules (latest wins: typing never queues stale work). */
export async function rescore() {
  const t0 = performance.now();
  try {
    const { active: id, doc } = getState();
    const r = await ws().setRules({ variant: id, rules: doc }, { latest: `score:${id}` });
    if (r.superseded) return;
    markGood({ [id]: doc });
    if (id !== getState().active) return;
    setState((s) => ({
      scored: r,
      scoreError: null,
      scoreMs: performance.now() - t0,
      scoredBy: { ...s.scoredBy, [id]: r },
    }));
    await refreshAll();
  } catch (e) {
    if (e.code !== 'crashed') setState({ scoreError: e });
  }
}
