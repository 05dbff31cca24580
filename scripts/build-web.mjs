// Builds the static page into dist/web/: the app bundled with esbuild (Preact, uPlot and
// idb-keyval from node_modules, pinned by package-lock.json; the worker client from wasm/), the
// shipped worker (wasm/worker.mjs, minified, the same file sites embed), the WebAssembly module
// (dist/split: leadscore.mjs + leadscore.wasm, streamed), index.html and the built-in sample.
// Nothing is fetched from the network at run time.
//   node scripts/build-web.mjs [--minify]
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'web');
const minify = !process.argv.includes('--no-minify');
const split = join(root, 'dist', 'split');
for (const f of ['leadscore.mjs', 'leadscore.wasm'])
  if (!existsSync(join(split, f)))
    throw new Error(`dist/split/${f} is missing: build the WebAssembly module first (./scripts/build.sh module)`);

// The core's rule-set size limit, for the page's import before the module exposes it (issue 28).
const limitsH = readFileSync(join(root, 'include/leadscore/limits.h'), 'utf8');
const ruleSetLimit = /kMaxRuleSetBytes = (\d+)ull << (\d+);/.exec(limitsH);
if (!ruleSetLimit) throw new Error('kMaxRuleSetBytes not found in include/leadscore/limits.h');

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'samples'), { recursive: true });
const common = {
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
};
await build({
  ...common,
  entryPoints: { app: join(root, 'web/src/app/main.jsx') },
  outdir: out,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  loader: { '.css': 'css' },
  define: { __LEADSCORE_MAX_RULE_SET_BYTES__: String(Number(ruleSetLimit[1]) * 2 ** Number(ruleSetLimit[2])) },
});
await build({
  ...common,
  entryPoints: { worker: join(root, 'wasm/worker.mjs') },
  outdir: out,
  // the XLSX reader (wasm/xlsx.mjs + fflate) is its own chunk, fetched only when such a file is opened
  splitting: true,
  chunkNames: '[name]-[hash]',
  // the module is served as is, next to the worker; node:worker_threads is only read under Node
  external: ['./leadscore.mjs', 'node:worker_threads'],
});
for (const f of ['leadscore.mjs', 'leadscore.wasm']) copyFileSync(join(split, f), join(out, f));
for (const f of ['index.html', 'favicon.svg']) copyFileSync(join(root, 'web', f), join(out, f));
copyFileSync(join(root, 'docs', 'rule-set.schema.json'), join(out, 'rule-set.schema.json')); // exported rules point at it
for (const f of ['b2b-leads.csv', 'b2b-rules.json', 'b2b-events.csv', 'b2b-events-rules.json'])
  copyFileSync(join(root, 'samples', f), join(out, 'samples', f));
console.log(`build-web: dist/web ready (${minify ? 'minified' : 'readable'})`);
