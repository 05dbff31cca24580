// Learning a scorecard from the outcomes (docs/learn.md) and channel quality: every number comes
// from the core in the worker (workspace.learn / learnedLead / channels); this file keeps the
// page's state of them and opens the learned rule set as a variant.
import { getState, saveWorkspace, setState, ws } from '../app/store.js';
import { setCompare, switchVariant } from '../rules/variants.js';

let running = null; // AbortController of the learning run in flight

/** Learns from the workspace's outcomes, with the active variant's rules as candidate features. */
export async function learnFromOutcomes(options = {}) {
  running?.abort();
  const ctrl = new AbortController();
  running = ctrl;
  const variant = getState().active;
  setState({ learn: { running: true, progress: { done: 0, stage: 'features' }, options } });
  try {
    const result = await ws().learn(
      { variant, options },
      {
        signal: ctrl.signal,
        onProgress: (p) => running === ctrl && setState({ learn: { running: true, progress: p, options } }),
      },
    );
    if (running === ctrl) setState({ learn: { result, from: variant, options } });
  } catch (e) {
    if (running === ctrl) setState({ learn: { error: { message: e.message, code: e.code, field: e.field }, options } });
  } finally {
    if (running === ctrl) running = null;
  }
}

export function cancelLearning() {
  running?.abort();
}

/** The learned rule set as a new variant, compared with the rules it was learned next to. */
export async function openLearnedVariant() {
  const { learn, variants } = getState();
  if (!learn?.result) return;
  const id = `v${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
  const doc = structuredClone(learn.result.ruleSet);
  setState({ variants: [...variants, { id, doc, past: [], future: [] }] });
  saveWorkspace();
  await switchVariant(id);
  if (learn.from) await setCompare(learn.from);
}

/** A lead's probability and top factors under the learned model. */
export async function explainLearned(lead) {
  try {
    const info = await ws().learnedLead({ lead, top: 3 });
    setState((s) => ({ learn: { ...s.learn, lead: info } }));
  } catch (e) {
    setState((s) => ({ learn: { ...s.learn, lead: { error: e.message } } }));
  }
}

/** Score distribution, conversion and lift by the values of `column` (the active variant's scores). */
export async function channelQuality(column) {
  if (!column) return setState({ channels: null });
  try {
    const report = await ws().channels({ variant: getState().active, column }, { latest: 'channels' });
    if (!report.superseded) setState({ channels: report });
  } catch (e) {
    setState({ channels: { error: e.message, column } });
  }
}
