// Builds what a marketing site embeds (docs/embed.md) from the visitor build and the module:
//   dist/visitor/leadscore-visitor.js    the snippet's script (classic, async; wasm/visitor/snippet.js)
//   dist/visitor/leadscore-visitor.mjs   the same runtime as an ES module (import 'leadscore/visitor')
//   dist/visitor/leadscore-visitor-core.wasm   (built by CMake: leadscore_visitor)
//   dist/element/lead-scorer.mjs         the <lead-scorer> custom element (imports ../leadscore.mjs)
//   dist/site/                           the example marketing site (examples/site) wired to them, with
//                                        the package's files under dist/site/leadscore/
// Everything is minified by esbuild (Closure is not part of Debian's Emscripten 3.1.6).
//   node scripts/build-embed.mjs
import { build } from 'esbuild';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const need = (f, how) => {
  if (!existsSync(join(dist, f))) throw new Error(`dist/${f} is missing: ${how}`);
};
need('visitor/leadscore-visitor-core.wasm', 'build the visitor core first (./scripts/build.sh module)');

const common = { bundle: true, minify: true, target: 'es2020', legalComments: 'none', logLevel: 'warning' };
await build({
  ...common,
  entryPoints: [join(root, 'wasm/visitor/snippet.js')],
  outfile: join(dist, 'visitor/leadscore-visitor.js'),
  format: 'iife',
  // The runtime's import.meta.url is only read without wasmUrl, which the snippet always gives.
  define: { 'import.meta.url': 'undefined' },
});
await build({
  ...common,
  entryPoints: [join(root, 'wasm/visitor/leadscore-visitor.js')],
  outfile: join(dist, 'visitor/leadscore-visitor.mjs'),
  format: 'esm',
});
mkdirSync(join(dist, 'element'), { recursive: true });
copyFileSync(join(root, 'wasm/element/lead-scorer.mjs'), join(dist, 'element/lead-scorer.mjs'));

// The example site: its pages, and the embed files under /leadscore/ when it serves them itself.
const site = join(dist, 'site');
rmSync(site, { recursive: true, force: true });
cpSync(join(root, 'examples/site'), site, { recursive: true });
mkdirSync(join(site, 'data'), { recursive: true });
for (const f of ['b2b-leads.csv', 'b2b-rules.json']) copyFileSync(join(root, 'samples', f), join(site, 'data', f));
// The site serves the package's files itself under /leadscore/ (a CDN or a second origin works too).
mkdirSync(join(site, 'leadscore/visitor'), { recursive: true });
for (const f of readdirSync(join(dist, 'visitor')))
  copyFileSync(join(dist, 'visitor', f), join(site, 'leadscore/visitor', f));
mkdirSync(join(site, 'leadscore/element'), { recursive: true });
copyFileSync(join(dist, 'element/lead-scorer.mjs'), join(site, 'leadscore/element/lead-scorer.mjs'));
// <lead-scorer> imports ../leadscore.mjs: the package's default entry (the compact build).
const module = existsSync(join(dist, 'compact/leadscore.wasm')) ? 'compact' : 'split';
for (const f of ['leadscore.mjs', 'leadscore.wasm']) copyFileSync(join(dist, module, f), join(site, 'leadscore', f));
console.log('build-embed: dist/visitor, dist/element and dist/site ready');
