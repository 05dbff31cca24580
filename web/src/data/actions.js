// Loading the lead table: a file, pasted text or the sample; read again when field declarations change.
import * as persist from '../app/persist.js';
import { refreshAll } from '../app/refresh.js';
import {
  errorOf,
  fieldsKey,
  getState,
  markGood,
  notify,
  scoredMap,
  scoredVariants,
  setState,
  ws,
} from '../app/store.js';
import { autoOutcome } from '../validate/actions.js';
import { bytes } from '../shared/format.js';

// The variants' docs that scored without error.
const goodOf = (docs, variants) =>
  Object.fromEntries(Object.entries(docs).filter(([id]) => variants[id] && !variants[id].error));

/**
 * Load a File/Blob (or text) as the lead table. On failure the previous data stays. `rules`
 * ({doc, variants}) replaces the page's rule sets for this load (start-up with a draft that has
 * errors loads with its last good rules).
 */
export async function loadData(input, name, { save = true, rules = null, fresh = null } = {}) {
  getState().loading?.controller.abort();
  const controller = new AbortController();
  const blob = typeof input === 'string' ? new Blob([input], { type: 'text/plain' }) : input;
  const progress = { bytesRead: 0, totalBytes: blob.size, rowsParsed: 0 };
  setState({ loading: { name, progress, controller }, loadError: null });
  const t0 = performance.now();
  try {
    // fresh: a rule set to start the user's workspace with (read and scored by it alone)
    const doc = fresh ?? (rules ? rules.doc : getState().doc);
    const docs = fresh
      ? { ...scoredVariants(), [getState().active]: fresh }
      : rules
        ? rules.variants
        : scoredVariants();
    const r = await ws().loadLeads(
      // preview: the worker scores the first slice of a big file with the active rules, shown while the rest loads
      {
        input: blob,
        options: { ...(doc ? { rules: doc } : {}), ...readOptions() },
        rules: docs,
        preview: getState().active,
      },
      {
        signal: controller.signal,
        onProgress: ({ preview, ...p }) =>
          setState((s) =>
            s.loading?.controller === controller
              ? { loading: { ...s.loading, progress: p, preview: preview ?? s.loading.preview } }
              : {},
          ),
      },
    );
    markGood(goodOf(docs, r.variants));
    const v = r.variants[getState().active];
    setState((s) => ({
      data: { name, size: blob.size, info: r.info, ms: performance.now() - t0 },
      loading: null,
      selected: null,
      ledger: null,
      // (no v: the active rule set was not sent, having errors and no last good version)
      scored: v && !v.error ? v : null,
      scoreError: v?.error ? errorOf(v.error) : null,
      scoredBy: scoredMap(r.variants),
      fieldsAt: fieldsKey(doc),
      view: { ...s.view, offset: 0, rows: [], count: 0 },
    }));
    if (save)
      persist
        .saveDataset({ name, blob, size: blob.size, savedAt: Date.now() })
        .catch((e) =>
          notify(`The data could not be saved for next time (${e.message}); it is loaded for now.`, 'error'),
        );
    if (r.events) setState({ events: r.events });
    // An outcome column found automatically is simply not used for data without it.
    if (r.outcomes?.error) setState((s) => ({ outcomes: s.outcome?.auto ? null : r.outcomes, outcome: null }));
    else if (r.outcomes) setState({ outcomes: r.outcomes });
    if (!getState().outcome) await autoOutcome(r.info);
    await refreshAll();
    return true;
  } catch (e) {
    if (getState().loading?.controller === controller) setState({ loading: null, loadError: e });
    return false;
  }
}

export const cancelLoad = () => getState().loading?.controller.abort();

/** Files beyond what the core accepts in a browser are refused up front, with the CLI suggested. */
export function openDataFile(file, { fresh = null } = {}) {
  const max = getState().limits?.maxBytes;
  if (max && file.size > max) {
    notify(
      `“${file.name}” is ${bytes(file.size)}: more than this page handles (${bytes(max)}). ` +
        `Score it with the command line instead: leadscore score --rules rules.json --leads "${file.name}" --out scored.csv`,
      'error',
    );
    return Promise.resolve(false);
  }
  return loadData(file, file.name, { fresh });
}

/**
 * How numbers and dates are read when the data does not decide (the core detects per column and
 * says so in a load note): `readAs` {decimal: 'auto' | '.' | ',', dateOrder: 'auto' | 'MDY' | 'DMY'}.
 */
function readOptions() {
  const { decimal = 'auto', dateOrder = 'auto' } = getState().readAs ?? {};
  return { ...(decimal !== 'auto' ? { decimal } : {}), ...(dateOrder !== 'auto' ? { dateOrder } : {}) };
}

/** Reads the data again with another decimal separator or date order. */
export async function setReadAs(patch) {
  setState((s) => ({ readAs: { ...s.readAs, ...patch } }));
  if (getState().data) await reloadWithFields();
}

/** The same input read again with the rule set's field declarations (types, mappings, missing texts). */
export async function reloadWithFields() {
  const doc = getState().doc;
  const key = fieldsKey(doc);
  try {
    const docs = scoredVariants();
    const r = await ws().reload({ options: { rules: doc, ...readOptions() }, rules: docs }, { latest: 'reload' });
    if (r.superseded) return;
    markGood(goodOf(docs, r.variants));
    const v = r.variants[getState().active];
    setState((s) => ({
      data: { ...s.data, info: r.info },
      fieldsAt: key,
      scored: v.error ? s.scored : v,
      scoreError: v.error ? errorOf(v.error) : null,
      scoredBy: { ...s.scoredBy, ...scoredMap(r.variants) },
    }));
    await refreshAll();
  } catch (e) {
    setState({ scoreError: e });
  }
}
