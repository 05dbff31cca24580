// Stages the npm package in dist/package/ and packs it (npm pack) into dist/leadscore-<version>.tgz.
// The repository's own package.json stays private (it holds the dev tools); the published
// manifest is written here, from its name, version, description and licence (docs/embed.md).
//   node scripts/pack.mjs [--no-pack]
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const out = join(dist, 'package');
const repo = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// [from (repository-relative), to (package-relative)]
const files = [
  // The default entry is the compact (-Oz) build: the full API in the package's size budget.
  ['dist/compact/leadscore.mjs', 'leadscore.mjs'],
  ['dist/compact/leadscore.wasm', 'leadscore.wasm'],
  ['wasm/leadscore.d.ts', 'leadscore.d.ts'],
  ['dist/leadscore.mjs', 'inline/leadscore.mjs'],
  ['wasm/package/inline.d.ts', 'inline/leadscore.d.ts'],
  ['wasm/worker.mjs', 'worker.mjs'],
  ['wasm/package/worker.d.ts', 'worker.d.ts'],
  ['wasm/worker-client.mjs', 'worker-client.mjs'],
  ['wasm/package/worker-client.d.ts', 'worker-client.d.ts'],
  ['dist/visitor/leadscore-visitor.mjs', 'visitor/leadscore-visitor.mjs'],
  ['dist/visitor/leadscore-visitor.js', 'visitor/leadscore-visitor.js'],
  ['dist/visitor/leadscore-visitor-core.wasm', 'visitor/leadscore-visitor-core.wasm'],
  ['wasm/visitor/leadscore-visitor.d.ts', 'visitor/leadscore-visitor.d.ts'],
  ['wasm/element/lead-scorer.mjs', 'element/lead-scorer.mjs'],
  ['wasm/element/lead-scorer.d.ts', 'element/lead-scorer.d.ts'],
  ['wasm/element/custom-elements.json', 'custom-elements.json'],
  ['wasm/package/README.md', 'README.md'],
  ['LICENSE', 'LICENSE'],
];

const manifest = {
  name: repo.name,
  version: repo.version,
  description: repo.description,
  license: repo.license,
  type: 'module',
  engines: repo.engines,
  keywords: ['lead scoring', 'webassembly', 'jsonlogic', 'custom element', 'crm'],
  exports: {
    '.': { types: './leadscore.d.ts', default: './leadscore.mjs' },
    './inline': { types: './inline/leadscore.d.ts', default: './inline/leadscore.mjs' },
    './worker': { types: './worker.d.ts', default: './worker.mjs' },
    './worker-client': { types: './worker-client.d.ts', default: './worker-client.mjs' },
    './visitor': { types: './visitor/leadscore-visitor.d.ts', default: './visitor/leadscore-visitor.mjs' },
    './visitor/snippet': './visitor/leadscore-visitor.js',
    './element': { types: './element/lead-scorer.d.ts', default: './element/lead-scorer.mjs' },
    './leadscore.wasm': './leadscore.wasm',
    './visitor/leadscore-visitor-core.wasm': './visitor/leadscore-visitor-core.wasm',
    './custom-elements.json': './custom-elements.json',
    './package.json': './package.json',
  },
  types: './leadscore.d.ts',
  module: './leadscore.mjs',
  // Importing these registers an element or installs the snippet: keep them in bundles.
  sideEffects: ['./element/lead-scorer.mjs', './visitor/leadscore-visitor.js'],
  customElements: './custom-elements.json',
  files: [...new Set([...files.map(([, to]) => to.split('/')[0]), 'xlsx.mjs'])].filter(
    (f) => f !== 'README.md' && f !== 'LICENSE',
  ),
};

export function stage() {
  for (const [from] of files)
    if (!existsSync(join(root, from)))
      throw new Error(`${from} is missing: run ./scripts/build.sh module (and node scripts/build-embed.mjs)`);
  rmSync(out, { recursive: true, force: true });
  for (const [from, to] of files) {
    mkdirSync(dirname(join(out, to)), { recursive: true });
    copyFileSync(join(root, from), join(out, to));
  }
  // The worker reads XLSX files with wasm/xlsx.mjs, imported on demand: shipped bundled with
  // fflate, so the package has no dependencies.
  buildSync({
    entryPoints: [join(root, 'wasm/xlsx.mjs')],
    bundle: true,
    format: 'esm',
    minify: true,
    outfile: join(out, 'xlsx.mjs'),
    logLevel: 'error',
  });
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return out;
}

/** Packs the staged folder; returns the tarball's path. */
export function pack() {
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', dist], { cwd: out })
    .toString()
    .trim()
    .split('\n')
    .pop();
  return join(dist, name);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  stage();
  console.log(`pack: staged ${out}`);
  if (!process.argv.includes('--no-pack')) console.log(`pack: ${pack()}`);
}
