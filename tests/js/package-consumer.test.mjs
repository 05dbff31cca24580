// The npm package as a web developer gets it (docs/embed.md): scripts/pack.mjs stages and packs
// dist/package; the tarball is installed offline into an empty project, which then
// (a) type-checks a TypeScript file using every entry with `strict` (the repository's tsc),
// (b) bundles it with esbuild, and (c) runs the bundle in Node (Chromium: tests/e2e/embed.test.mjs).
// Also: the package holds only what its `files` say, and each entry's size is under its budget.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../../', import.meta.url));
const need = [
  'dist/compact/leadscore.wasm',
  'dist/leadscore.mjs',
  'dist/visitor/leadscore-visitor.mjs',
  'dist/visitor/leadscore-visitor-core.wasm',
];
const missing = need.find((f) => !existsSync(root + f));
const skip = missing ? `${missing} is missing: ./scripts/build.sh module` : false;

let dir, tarball;
before(async () => {
  if (skip) return;
  const { stage, pack } = await import('../../scripts/pack.mjs');
  stage();
  tarball = pack();
  dir = mkdtempSync(join(tmpdir(), 'ls-consumer-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], {
    cwd: dir,
    stdio: 'pipe',
    env: { ...process.env, npm_config_cache: join(dir, '.npm-cache') },
  });
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const CONSUMER_TS = `
import { load, LeadScoreError, type Ledger, type RuleSet, type Scorer } from 'leadscore';
import { load as loadInline } from 'leadscore/inline';
import { connect, type RemoteLeadScore } from 'leadscore/worker-client';
import type {} from 'leadscore/worker';
import { createVisitor, scoreVisitor, type Crossing, type VisitorScore } from 'leadscore/visitor';
import { LeadScorerElement, define } from 'leadscore/element';

export const rules: RuleSet = {
  rules: [
    { id: 'vp', label: 'VP', points: 20, when: { in: ['VP', { var: 'title' }] } },
    { id: 'size', label: '200+ employees', points: 10, when: { '>=': [{ var: 'employees' }, 200] } },
    { id: 'pages', label: 'Pages', group: 'engagement', points: 5, events: { type: 'page_view', repeat: 'every' } },
  ],
  tiers: [{ name: 'Hot', min: 25, action: 'Call' }, { name: 'Cold', action: 'Nurture' }],
};

export interface Outcome {
  split: number;
  inline: number;
  visitor: VisitorScore;
  tracked: VisitorScore | null;
  crossed: string[];
  element: string;
}

export async function run(wasm: Uint8Array, visitorWasm: Uint8Array): Promise<Outcome> {
  const csv = 'title,employees\\nVP Sales,450\\nStudent,3';
  const ls = await load({ wasmBinary: wasm });
  const leads = ls.loadLeads(csv);
  const scorer: Scorer = ls.score(leads, rules, { asOf: '2026-06-30', skipMissingFields: true });
  const ledger: Ledger = scorer.ledger(0);
  const inline = await loadInline();
  const split = ledger.total;
  const inlineTotal = inline.score(inline.loadLeads(csv), rules, { asOf: '2026-06-30', skipMissingFields: true }).ledger(0).total;
  try {
    ls.score(leads, { rules: [{ id: 'x', points: 1, when: { var: 'nope' } }] });
  } catch (e) {
    if (!(e instanceof LeadScoreError) || e.ruleId !== 'x') throw e;
  }
  const visitor = await scoreVisitor(
    { rules, properties: { title: 'VP Sales', employees: 450 }, events: [], asOf: '2026-06-30' },
    { wasmBinary: visitorWasm },
  );
  const crossed: string[] = [];
  const v = createVisitor({ rules, consent: false, storage: null, wasmBinary: visitorWasm, now: () => Date.parse('2026-06-30T10:00:00Z') });
  v.on('cross', (c: Crossing) => crossed.push(c.threshold.name));
  await v.set({ title: 'Student' });
  for (let i = 0; i < 5; i++) await v.page('/p' + i, '');
  const tracked = v.current();
  define('x-lead-scorer');
  return { split, inline: inlineTotal, visitor, tracked, crossed, element: typeof LeadScorerElement };
}

export function remote(worker: Worker): RemoteLeadScore {
  return connect(worker);
}
`;

test('(a) a TypeScript consumer of every entry type-checks with strict', { skip }, () => {
  writeFileSync(join(dir, 'consumer.ts'), CONSUMER_TS);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'es2022',
        module: 'esnext',
        moduleResolution: 'bundler',
        lib: ['es2022', 'dom'],
        types: [],
        skipLibCheck: false,
      },
      files: ['consumer.ts'],
    }),
  );
  try {
    execFileSync(`${root}node_modules/.bin/tsc`, ['-p', dir], { cwd: dir, stdio: 'pipe' });
  } catch (e) {
    assert.fail(`tsc: ${e.stdout}${e.stderr}`);
  }
  // And it must be able to fail: a wrong use is an error.
  writeFileSync(
    join(dir, 'wrong.ts'),
    `import { scoreVisitor } from 'leadscore/visitor';\nscoreVisitor({ rule: {} });\n`,
  );
  writeFileSync(join(dir, 'tsconfig.wrong.json'), JSON.stringify({ extends: './tsconfig.json', files: ['wrong.ts'] }));
  assert.throws(() =>
    execFileSync(`${root}node_modules/.bin/tsc`, ['-p', join(dir, 'tsconfig.wrong.json')], { stdio: 'pipe' }),
  );
});

test('(b) esbuild bundles it and (c) the bundle runs in Node', { skip }, async () => {
  writeFileSync(join(dir, 'consumer.ts'), CONSUMER_TS);
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(dir, 'consumer.ts')],
    outfile: join(dir, 'bundle.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    logLevel: 'error',
  });
  const pkg = join(dir, 'node_modules/leadscore');
  const out = execFileSync(process.execPath, [
    '--input-type=module',
    '-e',
    `import { readFileSync } from 'node:fs';
     const { run } = await import(${JSON.stringify(join(dir, 'bundle.mjs'))});
     const r = await run(readFileSync(${JSON.stringify(join(pkg, 'leadscore.wasm'))}),
                         readFileSync(${JSON.stringify(join(pkg, 'visitor/leadscore-visitor-core.wasm'))}));
     console.log(JSON.stringify({ ...r, visitor: { score: r.visitor.score, tier: r.visitor.tier }, tracked: { score: r.tracked.score, tier: r.tracked.tier } }));`,
  ]).toString();
  const r = JSON.parse(out);
  assert.equal(r.split, 30);
  assert.equal(r.inline, 30);
  assert.deepEqual(r.visitor, { score: 30, tier: 'Hot' });
  assert.deepEqual(r.tracked, { score: 25, tier: 'Hot' }, 'five page views x 5 points');
  assert.deepEqual(r.crossed, ['Hot', 'salesReady'], 'the top tier and the sales-ready threshold (its min)');
  assert.equal(r.element, 'function');
});

test('the package holds its entries, types and manifest, and each entry fits its budget', { skip }, () => {
  const pkg = join(dir, 'node_modules/leadscore');
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  assert.equal(manifest.private, undefined);
  assert.equal(manifest.customElements, './custom-elements.json');
  for (const [entry, target] of Object.entries(manifest.exports)) {
    for (const file of typeof target === 'string' ? [target] : Object.values(target))
      assert.ok(existsSync(join(pkg, file)), `${entry}: ${file} is in the package`);
    if (typeof target !== 'string' && target.default.endsWith('.mjs')) assert.ok(target.types, `${entry} has types`);
  }
  const cem = JSON.parse(readFileSync(join(pkg, 'custom-elements.json'), 'utf8'));
  assert.equal(cem.modules[0].declarations[0].tagName, 'lead-scorer');
  const gz = (...files) => files.reduce((n, f) => n + gzipSync(readFileSync(join(pkg, f)), { level: 9 }).length, 0);
  const main = gz('leadscore.mjs', 'leadscore.wasm');
  assert.ok(main <= 300 * 1024, `default entry ${main} bytes gzipped (budget 300 KB)`);
  const visitor = gz('visitor/leadscore-visitor.js', 'visitor/leadscore-visitor-core.wasm');
  // The visitor budget: 60 KB gzipped (JS + wasm), never above 100 KB (bench/EMBED.md).
  assert.ok(visitor <= 60 * 1024, `visitor ${visitor} bytes gzipped (budget 60 KB)`);
});
