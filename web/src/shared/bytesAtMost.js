// Reads a byte stream whole, counting as it comes: past `max` bytes it stops (the stream is
// cancelled, so nothing more is produced) and returns null. For inputs that must be bounded
// while they are read, not after: share links as they inflate, rule files as they are read.

/** The stream's bytes in one Uint8Array, or null once there are more than `max`. */
export async function bytesAtMost(stream, max) {
  const reader = stream.getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      reader.cancel().catch(() => {});
      return null;
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
