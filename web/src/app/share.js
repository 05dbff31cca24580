// Sharing a rule set in the URL fragment: `#rules=<deflated JSON, base64url>`. Rules only — lead
// data never goes into a link. No IndexedDB here, so Node tests can import it.
import { bytesAtMost } from '../shared/bytesAtMost.js';

export const MAX_SHARED = 1 << 20; // inflated bytes

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

class TooLarge extends Error {}

// Deflate adds a few bytes per stored block (zlib: 5 per 16 KiB, 1.5% here) to its output: a link whose
// compressed bytes pass this cannot unpack within `max`, and is refused before any inflating.
export const maxCompressed = (max) => max + Math.ceil(max / 64) + 64;
const SLICE = 1024; // compressed bytes fed at a time: deflate unpacks at most ~1,032 times that

// The bytes as a stream of small slices, produced only when the inflater asks for more: a
// DecompressionStream unpacks each chunk it is given in full before its reader sees any of it,
// so one big chunk would be inflated whole (gigabytes) before the count below could stop it.
function slices(bytes) {
  let at = 0;
  return new ReadableStream(
    {
      pull(c) {
        if (at >= bytes.length) return c.close();
        c.enqueue(bytes.slice(at, (at += SLICE)));
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Inflates raw-deflate bytes, counting the output as it comes: past `max` bytes the stream is
 * cancelled and TooLarge thrown, so a small link cannot make the page inflate gigabytes.
 */
export async function inflateAtMost(bytes, max) {
  if (bytes.length > maxCompressed(max)) throw new TooLarge();
  const out = await bytesAtMost(slices(bytes).pipeThrough(new DecompressionStream('deflate-raw')), max);
  if (!out) throw new TooLarge();
  return out;
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
  // Refused by its length before decoding: base64 holds 3 bytes in 4 characters.
  if (m[1].length > Math.ceil((maxCompressed(MAX_SHARED) * 4) / 3))
    throw new Error(
      `the shared link is too long (${Math.round(m[1].length / 1024)} KB): a shared rule set can be at most ${
        MAX_SHARED >> 10
      } KB once unpacked; import it as a file instead`,
    );
  let bytes;
  try {
    bytes = await inflateAtMost(unb64url(m[1]), MAX_SHARED);
  } catch (e) {
    if (e instanceof TooLarge)
      throw new Error(
        `the shared rule set is larger than ${MAX_SHARED >> 10} KB once unpacked: import it as a file instead`,
        { cause: e },
      );
    throw new Error('the shared link is damaged (it could not be decompressed): ask for a new link', {
      cause: e,
    });
  }
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
