// What survives a reload: the rule sets and the last data set, in IndexedDB (idb-keyval), and
// rule sets shared as a URL fragment (share.js; rules only — lead data never goes into a link).
import { get, set, del, createStore } from 'idb-keyval';

const store = createStore('leadscore', 'workspace');

/** The saved workspace: {rules, variants?, view?} or undefined. */
export const loadWorkspace = () => get('workspace', store).catch(() => undefined);
export const saveWorkspace = (w) => set('workspace', w, store);

/** The last data set: {name, blob, size, savedAt} (a Blob of the original bytes) or undefined. */
export const loadDataset = () => get('dataset', store).catch(() => undefined);
export const saveDataset = (d) => set('dataset', d, store);

/** A deals file (outcomes joined by lead id): {name, blob}. */
export const loadDeals = () => get('deals', store).catch(() => undefined);
export const saveDeals = (d) => set('deals', d, store);

/** Activity events: {name, blob, options}. */
export const loadEvents = () => get('events', store).catch(() => undefined);
export const saveEvents = (d) => set('events', d, store);
export const clearEvents = () => del('events', store);

export async function resetAll() {
  await Promise.all([del('workspace', store), del('dataset', store), del('deals', store), del('events', store)]);
}

/** Debounced saving: the newest value wins, written `ms` after the last change. */
export function debounced(fn, ms) {
  let timer = null,
    last;
  const run = () => {
    timer = null;
    return fn(last);
  };
  const call = (value) => {
    last = value;
    clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
  call.flush = () => {
    if (timer) {
      clearTimeout(timer);
      run();
    }
  };
  return call;
}

export { shareFragment, readFragment } from './share.js';
