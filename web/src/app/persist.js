// What survives a reload: the rule sets and the last data set, in IndexedDB (idb-keyval), and
// rule sets shared as a URL fragment (rules only — lead data never goes into a link).
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

// ---- sharing a rule set in the URL fragment ----------------------------------------------------

const MAX_SHARED = 1 << 20; // decompressed bytes

const b64url = (bytes) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
const unb64url = (text) => {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
};

async function pipe(bytes, stream) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

/** `#rules=<deflated JSON, base64url>` for a rule set. */
export async function shareFragment(rules) {
  const json = new TextEncoder().encode(JSON.stringify(rules));
  return `#rules=${b64url(await pipe(json, new CompressionStream('deflate-raw')))}`;
}

/**
 * The rule set in a `#rules=...` fragment, parsed as data (JSON.parse, never evaluated): the
 * caller still validates it with the core before using it. Throws a readable Error.
 */
export async function readFragment(hash) {
  const m = /^#rules=([A-Za-z0-9_-]+)$/.exec(hash);
  if (!m) return null;
  let bytes;
  try {
    bytes = await pipe(unb64url(m[1]), new DecompressionStream('deflate-raw'));
  } catch {
    throw new Error('the shared link is damaged (it could not be decompressed): ask for a new link');
  }
  if (bytes.length > MAX_SHARED)
    throw new Error(`the shared rule set is larger than ${MAX_SHARED >> 10} KB: import it as a file instead`);
  let doc;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new Error(`the shared link does not hold a valid rule set (${e.message})`, { cause: e });
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new Error('the shared link does not hold a rule set (expected a JSON object)');
  return doc;
}
