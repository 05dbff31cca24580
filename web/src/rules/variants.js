// Variants: several named rule sets, one edited at a time, any two compared.
import { reloadWithFields } from '../data/actions.js';
import { refreshAnalysis } from '../app/refresh.js';
import { fieldsKey, getState, markGood, saveWorkspace, setState, ws } from '../app/store.js';
import { forgetLastCommit, rescore } from './actions.js';

const newId = () => `v${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
export const variantName = (v, k) => v?.doc?.name || `Rule set ${k + 1}`;

async function scoreVariant(id) {
  const v = getState().variants.find((x) => x.id === id);
  if (!v || !getState().data) return;
  try {
    const r = await ws().setRules({ variant: id, rules: v.doc }, { latest: `score:${id}` });
    if (!r.superseded) {
      markGood({ [id]: v.doc });
      setState((s) => ({ scoredBy: { ...s.scoredBy, [id]: r } }));
    }
    await refreshAnalysis();
  } catch (e) {
    if (e.code !== 'crashed') setState((s) => ({ scoredBy: { ...s.scoredBy, [id]: { error: e.message } } }));
  }
}

/** Edit another variant: its rules, history and scores become the page's. */
export async function switchVariant(id) {
  const state = getState();
  const v = state.variants.find((x) => x.id === id);
  if (id === state.active || !v) return;
  forgetLastCommit();
  const compareWith = state.compareWith === id ? state.active : state.compareWith;
  const scored = state.scoredBy[id] ?? state.scored;
  setState({
    active: id,
    doc: v.doc,
    past: v.past,
    future: v.future,
    compareWith,
    scored,
    selected: null,
    ledger: null,
  });
  saveWorkspace();
  if (fieldsKey(v.doc) !== state.fieldsAt) await reloadWithFields();
  else await rescore();
}

/** A copy of the active rule set as a new draft, compared with the one it came from. */
export async function duplicateVariant() {
  const state = getState();
  const from = state.active;
  const k = state.variants.length;
  const base = state.doc.name || `Rule set ${state.variants.findIndex((v) => v.id === from) + 1}`;
  const name = `${base.replace(/ \(draft( \d+)?\)$/, '')} (draft${k > 1 ? ` ${k}` : ''})`;
  const doc = { ...structuredClone(state.doc), name };
  const id = newId();
  setState({ variants: [...state.variants, { id, doc, past: [], future: [] }] });
  await switchVariant(id);
  await setCompare(from);
}

export async function deleteVariant(id) {
  const state = getState();
  if (state.variants.length < 2) return;
  const rest = state.variants.filter((v) => v.id !== id);
  const scoredBy = { ...state.scoredBy };
  delete scoredBy[id];
  setState({ variants: rest, compareWith: state.compareWith === id ? null : state.compareWith, scoredBy });
  ws()
    .dropVariant({ variant: id })
    .catch(() => {});
  if (state.active === id) {
    const next = rest[0];
    const compareWith = getState().compareWith === next.id ? null : getState().compareWith;
    setState({ active: next.id, doc: next.doc, past: next.past, future: next.future, compareWith });
    await rescore();
  }
  saveWorkspace();
}

export async function setCompare(id) {
  const state = getState();
  const compareWith = id && id !== state.active && state.variants.some((v) => v.id === id) ? id : null;
  setState({ compareWith });
  saveWorkspace();
  if (compareWith) await scoreVariant(compareWith);
}
