// Counts the compressed bytes handed to any DecompressionStream (in globalThis.__inflaterInput):
// a browser's DecompressionStream unpacks each chunk it is given in full before its reader sees
// any output, so little compressed input fed = bounded time and memory. Self-contained, so that
// a page can run it as is (Playwright addInitScript / evaluate); calling it again resets the count.
export function countInflaterInput() {
  const Native = (globalThis.__nativeDecompressionStream ??= globalThis.DecompressionStream);
  globalThis.__inflaterInput = 0;
  globalThis.DecompressionStream = class {
    constructor(format) {
      const d = new Native(format);
      const count = new TransformStream({
        transform: (c, out) => ((globalThis.__inflaterInput += c.length), out.enqueue(c)),
      });
      count.readable.pipeTo(d.writable).catch(() => {});
      this.writable = count.writable;
      this.readable = d.readable;
    }
  };
}

export function uncountInflaterInput() {
  if (globalThis.__nativeDecompressionStream) globalThis.DecompressionStream = globalThis.__nativeDecompressionStream;
}
