// Timing shared by the Node benchmarks and the pages of bench/browser/ (no Node imports here).
export const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

// The median of `runs` calls of f after `warmup` calls. More than one warm-up matters for wasm:
// V8 runs a function first as Liftoff (baseline) code and moves it to TurboFan only after it has
// run a while, with no switch inside a running call, so a kernel met for the first time runs its
// whole 1M-lead loop as baseline code on its first two or three calls (bench/SHAPES.md). Each
// call after a GC when --expose-gc gave one; returns the median ms and the last result.
export function timedRuns(f, runs, warmup = 1) {
  const gc = globalThis.gc ?? (() => {});
  const ms = [];
  let last;
  for (let i = 0; i < runs + warmup; ++i) {
    gc();
    const t0 = performance.now();
    last = f();
    if (i >= warmup) ms.push(performance.now() - t0);
  }
  return { ms: median(ms), last };
}
