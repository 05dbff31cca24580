// No import circles in the page (web/src), the shipped worker pair (wasm/*.mjs) or the facade
// (wasm/leadscore.js): the import graph of relative static and literal dynamic imports is walked
// and any cycle fails, naming its files. The walker itself is checked on a planted cycle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE = /\.(m?js|jsx)$/;
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
// dist/ puts the facade, built into leadscore.mjs, next to the worker.
const ALIASES = { [join(root, 'wasm/leadscore.mjs')]: join(root, 'wasm/leadscore.js') };

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : SOURCE.test(name) ? [p] : [];
  });
}

// Relative imports of one file, resolved to files (unresolvable ones are reported, not skipped).
function importsOf(file) {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
  const out = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec.startsWith('.')) continue;
    const p = resolve(dirname(file), spec);
    out.push(ALIASES[p] ?? p);
  }
  return out;
}

/** Every cycle's files (as paths relative to `base`), found by depth-first search. */
export function cycles(entries, base = root) {
  const graph = new Map();
  const missing = [];
  const visit = (f) => {
    if (graph.has(f)) return;
    const deps = importsOf(f).filter(
      (d) => existsSync(d) || (missing.push(`${relative(base, f)} -> ${relative(base, d)}`), false),
    );
    graph.set(f, deps);
    deps.forEach(visit);
  };
  entries.forEach(visit);
  const found = [];
  const state = new Map(); // file -> 'open' | 'done'
  const stack = [];
  const dfs = (f) => {
    state.set(f, 'open');
    stack.push(f);
    for (const d of graph.get(f)) {
      if (state.get(d) === 'open')
        found.push(
          stack
            .slice(stack.indexOf(d))
            .concat(d)
            .map((x) => relative(base, x)),
        );
      else if (!state.has(d)) dfs(d);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) dfs(f);
  return { found, missing, files: graph.size };
}

test('no import circles in web/src, wasm/*.mjs and wasm/leadscore.js', () => {
  const entries = [
    ...files(join(root, 'web/src')),
    ...readdirSync(join(root, 'wasm'))
      .filter((f) => f.endsWith('.mjs') || f === 'leadscore.js')
      .map((f) => join(root, 'wasm', f)),
  ];
  const { found, missing, files: n } = cycles(entries);
  assert.ok(n >= 30, `only ${n} files were walked`);
  assert.deepEqual(missing, [], 'imports that resolve to no file');
  assert.deepEqual(
    found.map((c) => c.join(' -> ')),
    [],
  );
});

test('the walker finds a planted circle (a -> b -> c -> a) and its files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadscore-imports-'));
  try {
    writeFileSync(join(dir, 'a.js'), "import { b } from './b.js';\nexport const a = 1;\n");
    writeFileSync(join(dir, 'b.jsx'), "export { c } from './c.mjs';\nexport const b = 2;\n");
    writeFileSync(
      join(dir, 'c.mjs'),
      "// import './none.js';\nconst a = await import('./a.js');\nexport const c = 3;\n",
    );
    writeFileSync(join(dir, 'd.js'), "import './a.js';\n");
    const fixed = (f) => f.replace('./b.js', './b.jsx');
    writeFileSync(join(dir, 'a.js'), fixed(readFileSync(join(dir, 'a.js'), 'utf8')));
    const { found, missing } = cycles([join(dir, 'd.js')], dir);
    assert.deepEqual(missing, []);
    assert.deepEqual(found, [['a.js', 'b.jsx', 'c.mjs', 'a.js']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
