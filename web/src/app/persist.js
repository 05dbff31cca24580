// What survives a reload: the rule sets and the last data set, in IndexedDB (idb-keyval), and
// rule sets shared as a URL fragment (share.js; rules only — lead data never goes into a link).
import { get, set, del, createStore } from 'idb-keyval';

const DB = 'leadscore';
const store = createStore(DB, 'workspace');

// Reads that failed (the store could not be opened or read): the page says so and offers a reset,
// rather than starting as if nothing had been saved and overwriting it.
export const readProblems = [];
// idb-keyval opens the database inside get/set, and an indexedDB.open that throws (storage
// blocked, a broken profile) throws synchronously there: every call goes through a promise.
const later = (fn) => Promise.resolve().then(fn);
const read = (key) =>
  later(() => get(key, store)).catch((e) => {
    readProblems.push({ key, message: e?.message ?? String(e) });
    return undefined;
  });

// A tab that lost its workspace to another tab (app/tabs.js) writes nothing any more.
let readOnly = false;
export const setReadOnly = (on) => (readOnly = on);
export const isReadOnly = () => readOnly;
const write = (key, value) => (readOnly ? Promise.resolve() : later(() => set(key, value, store)));
const remove = (key) => (readOnly ? Promise.resolve() : later(() => del(key, store)));

// localStorage where it can be used: without it (or when it is full) the IndexedDB writes still
// run, only unguarded against an unload.
const local = (fn) => {
  try {
    return fn(localStorage);
  } catch {
    return undefined;
  }
};
const takeLocal = (key) =>
  local((ls) => {
    const text = ls.getItem(key);
    ls.removeItem(key);
    return text === null ? undefined : JSON.parse(text);
  });

// A save still pending when the page goes away is also kept in localStorage, synchronously: an
// IndexedDB write begun in pagehide can be cut off by the unload. The next start uses it.
const PENDING = 'leadscore-pending-workspace';
export function keepPending(w) {
  if (!readOnly) local((ls) => ls.setItem(PENDING, JSON.stringify(w)));
}
const takePending = () => takeLocal(PENDING);

/** The saved workspace: {variants: [{id, doc, good?}], active, …} or undefined. */
export async function loadWorkspace() {
  const saved = await read('workspace');
  const pending = takePending();
  if (pending === undefined) return saved;
  await write('workspace', pending).catch(() => {});
  return pending;
}
export const saveWorkspace = (w) => write('workspace', w);

// A file's write can be cut off by a reload too, and a blob does not fit in localStorage. So each
// file write is marked there until it completes: the next start names the file that was not kept,
// rather than opening the one saved before it as if it were the one the user loaded last.
const UNFINISHED = 'leadscore-unfinished-';
function writeFile(key, value) {
  if (readOnly) return Promise.resolve();
  const token = `${Date.now()}-${Math.random()}`;
  local((ls) => ls.setItem(UNFINISHED + key, JSON.stringify({ name: String(value?.name ?? ''), token })));
  // (only this write's mark: a later write of the same key may have begun since)
  const done = () => local((ls) => ls.getItem(UNFINISHED + key)?.includes(token) && ls.removeItem(UNFINISHED + key));
  return write(key, { ...value, saveToken: token }).then(done);
}
/**
 * The file whose write under `key` began and did not finish before the page went away ({name}),
 * or undefined. `stored` is what the key holds now: a write that finished but was not unmarked in
 * time is recognised by its token.
 */
export function takeUnfinished(key, stored) {
  const mark = takeLocal(UNFINISHED + key);
  if (!mark || (stored && stored.saveToken === mark.token)) return undefined;
  return { name: mark.name };
}

/** The last data set: {name, blob, size, savedAt} (a Blob of the original bytes) or undefined. */
export const loadDataset = () => read('dataset');
export const saveDataset = (d) => writeFile('dataset', d);

/** A deals file (outcomes joined by lead id): {name, blob}. */
export const loadDeals = () => read('deals');
export const saveDeals = (d) => writeFile('deals', d);

/** Activity events: {name, blob, options}. */
export const loadEvents = () => read('events');
export const saveEvents = (d) => writeFile('events', d);
export const clearEvents = () => {
  takeLocal(`${UNFINISHED}events`);
  return remove('events');
};

/**
 * Clears the saved work. When the store itself cannot be written (a damaged database), the
 * database is deleted instead; that completes once this page's connection closes, so the caller
 * reloads the page (returns false then).
 */
export async function resetAll() {
  readProblems.length = 0;
  takePending();
  for (const key of ['dataset', 'deals', 'events']) takeLocal(UNFINISHED + key);
  try {
    await Promise.all(['workspace', 'dataset', 'deals', 'events'].map((k) => later(() => del(k, store))));
    return true;
  } catch {
    try {
      indexedDB.deleteDatabase(DB);
    } catch {
      // storage is blocked altogether: there is nothing saved to clear
    }
    return false;
  }
}

/** Every saved value that can still be read, as they are (for "export what is readable"). */
export async function readAll() {
  const out = {};
  for (const key of ['workspace', 'dataset', 'deals', 'events']) {
    try {
      out[key] = await get(key, store);
    } catch (e) {
      out[key] = { unreadable: e?.message ?? String(e) };
    }
  }
  return out;
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
  call.pending = () => (timer ? last : undefined);
  call.flush = async () => {
    if (timer) {
      clearTimeout(timer);
      await run();
    }
  };
  return call;
}

export { shareFragment, readFragment } from './share.js';
