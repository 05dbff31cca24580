// Reading a rule-set file the user chose: refused from its size before reading (a 500 MB file
// crashed the tab), counted again while reading (a Blob may be bigger than it said), and decoded
// as strict UTF-8 (invalid bytes silently became U+FFFD, changing rule ids) with the location
// of the first invalid byte. No page state here, so Node tests can import it.
import { bytesAtMost } from '../shared/bytesAtMost.js';

const MiB = 1 << 20;
const size = (n) =>
  n >= MiB ? `${+(n / MiB).toFixed(1)} MiB` : n >= 1024 ? `${Math.ceil(n / 1024)} KiB` : `${n} bytes`;

/** An error with a code and, when known, a line and column (as the core's errors have them). */
function fileError(code, message, where = {}) {
  return Object.assign(new Error(message), { code, ...where });
}

const tooLarge = (bytes, max) =>
  fileError(
    'limit',
    `the file is ${bytes === undefined ? 'larger than the limit' : size(bytes)}; a rule set can be at most ${size(max)}`,
  );

async function readAtMost(blob, max) {
  if (blob.size > max) throw tooLarge(blob.size, max);
  const bytes = await bytesAtMost(blob.stream(), max);
  if (!bytes) throw tooLarge(undefined, max);
  return bytes;
}

// Offset of the first byte that is not valid UTF-8: where the longest prefix a strict decoder
// accepts (in streaming mode, which allows a sequence cut at the end) stops, moved back to the
// start of a sequence left incomplete there (é in Latin-1, 0xE9, is a 3-byte lead in UTF-8).
export function firstInvalidByte(bytes) {
  const ok = (n, stream) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0,
    hi = bytes.length; // ok(lo) holds, ok(hi) does not
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (ok(mid, true)) lo = mid;
    else hi = mid;
  }
  let at = lo;
  while (at > lo - 3 && at > 0 && !ok(at, false)) at--;
  return at;
}

/** Line and column (1-based, in characters) of byte `offset` of valid UTF-8 text before it. */
export function locateByte(bytes, offset) {
  const before = new TextDecoder().decode(bytes.subarray(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: [...lines[lines.length - 1]].length + 1 };
}

/**
 * The text of a rule-set file of at most `maxBytes` bytes, decoded as strict UTF-8 (a byte-order
 * mark is dropped). Throws an Error with code 'limit' or 'encoding' (with line and column).
 */
export async function readRuleFile(blob, maxBytes) {
  const bytes = await readAtMost(blob, maxBytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidByte(bytes);
    const hex = bytes[at].toString(16).toUpperCase().padStart(2, '0');
    throw fileError(
      'encoding',
      `the file is not valid UTF-8 text: byte 0x${hex} here is not part of a UTF-8 character (saved as Latin-1 or Windows-1252?); save it as UTF-8`,
      locateByte(bytes, at),
    );
  }
}
