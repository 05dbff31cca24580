// The rule-shape benchmark: each operator the compiler handles x each column kind, one rule per
// cell, scored over N leads (default 1M) by leadscore wasm in Node (ls.score: parse, compile,
// evaluate, sum) and by the same condition written as plain JS (bench/plainjs.mjs: one loop,
// the condition inlined, rows of one shape). Every cell's totals are compared lead by lead
// before its time counts. Writes bench/SHAPES.md (and build/shapes.json).
//
//   node --expose-gc bench/shapes.mjs [N] [--module dist/leadscore.mjs] [--only REGEX]
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compareTotals } from './engines.mjs';
import { plainScorer, uniformRows } from './plainjs.mjs';
import { root } from './gen-leads.mjs';
import { timedRuns } from './harness.mjs';
import { KINDS, fieldsDecl, makeLeads } from '../tests/js/random-rules.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const N = Number(argv.find((a) => /^\d+$/.test(a)) ?? 1000000);
const only = new RegExp(opt('--only', '.'));
const modulePath = opt('--module', join(root, 'dist', 'leadscore.mjs'));
const RUNS = Number(opt('--runs', 5));
const WARMUP = Number(opt('--warmup', 3));

const v = (name) => ({ var: name });
const TEXT_OPS = (c, lit, list, sub, subs) => [
  ['== text', { '==': [v(c), lit] }],
  ['!= text', { '!=': [v(c), lit] }],
  ['in list (5)', { in: [v(c), list] }],
  ['in substring', { in: [sub, v(c)] }],
  ['or of 8 substrings', { or: subs.map((s) => ({ in: [s, v(c)] })) }],
  ['missing', { missing: [c] }],
  ['! / !! (truthy)', { '!': { '!!': v(c) } }],
  ['substr == (prefix)', { '==': [{ substr: [v(c), 0, 4] }, lit.slice(0, 4)] }],
  ['cat ==', { '==': [{ cat: [v(c), '!'] }, lit + '!'] }],
  ['ls:same', { 'ls:same': [v(c), lit.toUpperCase()] }],
  ['ls:in substring', { 'ls:in': [sub.toUpperCase(), v(c)] }],
  [
    'and / or / if',
    { if: [{ '!': { missing: [c] } }, { or: [{ in: [sub, v(c)] }, { '==': [v('demo'), true] }] }, false] },
  ],
];
const NUM_OPS = (c, x, lo, hi) => [
  ['<', { '<': [v(c), x] }],
  ['<=', { '<=': [v(c), x] }],
  ['>', { '>': [v(c), x] }],
  ['>=', { '>=': [v(c), x] }],
  ['==', { '==': [v(c), x] }],
  ['!=', { '!=': [v(c), x] }],
  ['in list (numbers)', { in: [v(c), [x, lo, hi, 7, 12.5]] }],
  ['between <', { '<': [lo, v(c), hi] }],
  ['between <=', { '<=': [lo, v(c), hi] }],
  ['missing', { missing: [c] }],
  ['! / !! (truthy)', { '!': { '!!': v(c) } }],
  ['guarded <', { and: [{ '!': { missing: [c] } }, { '<': [v(c), x] }] }],
  ['arithmetic (x*2+1 >)', { '>': [{ '+': [{ '*': [v(c), 2] }, 1] }, 2 * x] }],
  ['arithmetic, 2 columns', { '>': [{ '+': [v(c), v('employees')] }, x] }],
  ['and / or / if', { if: [{ '>': [v(c), lo] }, { or: [{ '<': [v(c), hi] }, v('demo')] }, false] }],
];
const DATE_OPS = (c) => [
  ['<', { '<': [v(c), '2024-01-01'] }],
  ['<=', { '<=': [v(c), '2024-01-01'] }],
  ['>', { '>': [v(c), '2024-06-30'] }],
  ['>=', { '>=': [v(c), '2024-06-30'] }],
  ['== date', { '==': [v(c), '2024-03-01'] }],
  ['between <=', { '<=': ['2024-01-01', v(c), '2024-12-31'] }],
  ['missing', { missing: [c] }],
  ['! / !! (truthy)', { '!': { '!!': v(c) } }],
  ['and / or / if', { if: [{ '>=': [v(c), '2024-01-01'] }, v('demo'), false] }],
];
const BOOL_OPS = (c) => [
  ['var (truthy)', v(c)],
  ['== true', { '==': [v(c), true] }],
  ['!', { '!': v(c) }],
  ['missing', { missing: [c] }],
  ['and / or / if', { or: [v(c), { '>': [v('employees'), 1000] }] }],
];

const SUBS8 = ['@gmail.', '@yahoo.', '@hotmail.', '@outlook.', '@aol.', '@icloud.', '@gmx.', '@mail.'];
export const CELLS = [
  ...TEXT_OPS(
    'email',
    'anna.smith7@gmail.com',
    ['a@b.de', 'x@y.io', 'anna.smith7@gmail.com', 'q@r.fr', 'z@z.ai'],
    '@gmail.',
    SUBS8,
  ).map((c) => ['email', ...c]),
  ...TEXT_OPS(
    'website',
    'https://www.acme7.com/pricing?id=7',
    ['https://x.io/', 'https://y.de/', 'https://www.acme7.com/pricing?id=7', 'a', 'b'],
    '/pricing',
    ['/pricing', '/demo', '.io/', '.ai/', 'careers', 'docs/', 'about', 'contact'],
  ).map((c) => ['website', ...c]),
  ...TEXT_OPS('country', 'Germany', ['United States', 'Canada', 'Germany', 'France', 'Sweden'], 'land', [
    'United',
    'land',
    'ance',
    'ada',
    'pan',
    'ia',
    'ico',
    'den',
  ]).map((c) => ['country', ...c]),
  ...TEXT_OPS('partner_code', 'P-12345', ['P-12345', 'P-20000', 'P-30000', 'P-40000', 'P-50000'], 'P-1', [
    'P-1',
    'P-2',
    'P-3',
    'P-4',
    'P-5',
    'P-6',
    'P-7',
    'P-8',
  ]).map((c) => ['partner_code', ...c]),
  ...NUM_OPS('employees', 200, 50, 5000).map((c) => ['employees', ...c]),
  ...NUM_OPS('revenue', 1000.5, 10.25, 2500).map((c) => ['revenue', ...c]),
  ...NUM_OPS('score_hint', 50, 20, 80).map((c) => ['score_hint', ...c]),
  ...DATE_OPS('signup').map((c) => ['signup', ...c]),
  ...BOOL_OPS('demo').map((c) => ['demo', ...c]),
].filter(([col, op]) => only.test(`${col} ${op}`));

const timed = (f) => timedRuns(f, RUNS, WARMUP);

export const ruleSetOf = (when) => ({
  leadscore: 1,
  name: 'shape',
  fields: fieldsDecl(),
  groups: [{ id: 'fit' }],
  rules: [{ id: 'cell', group: 'fit', points: 10, when }],
});

async function main() {
  const mod = await import(pathToFileURL(modulePath).href);
  const ls = await mod.load();
  const { rows, csv } = makeLeads(N, 29);
  const urows = uniformRows(rows);
  const leads = ls.loadLeads(csv, { rules: ruleSetOf(null) });
  const out = [];
  for (const [col, op, when] of CELLS) {
    const rs = ruleSetOf(when);
    const js = plainScorer(rs);
    const j = timed(() => js(urows));
    const w = timed(() => {
      const s = ls.score(leads, rs);
      const t = s.totals();
      s.dispose();
      return t;
    });
    const c = compareTotals(j.last, w.last);
    const fired = j.last.reduce((a, x) => a + (x > 0), 0);
    out.push({ col, op, when, js: j.ms, wasm: w.ms, ratio: j.ms / w.ms, fired, mismatches: c.mismatches, why: c.why });
    console.log(
      `${col.padEnd(12)} ${op.padEnd(22)} js ${j.ms.toFixed(1).padStart(7)} ms  wasm ${w.ms.toFixed(1).padStart(7)} ms  ${(j.ms / w.ms).toFixed(1).padStart(6)}x${c.mismatches ? '  MISMATCH ' + c.why : ''}`,
    );
  }
  leads.dispose();
  mkdirSync(join(root, 'build'), { recursive: true });
  writeFileSync(join(root, 'build', 'shapes.json'), JSON.stringify({ n: N, cells: out }, null, 1));
  if (!argv.includes('--only')) writeFileSync(join(root, 'bench', 'SHAPES.md'), table(out));
}

function table(cells) {
  const int = (n) => n.toLocaleString('en-US');
  const L = [
    '# Rule shapes: leadscore wasm vs the same condition in plain JS',
    '',
    `Written by \`node --expose-gc bench/shapes.mjs\` (${int(N)} leads, median of ${RUNS} runs after ${WARMUP} warm-ups,`,
    `Node ${process.version}, ${new Date().toISOString().slice(0, 10)}). One rule per cell (10 points when the condition holds):`,
    'leadscore = `ls.score(leads, rules)` + `totals()` (parse, compile, evaluate, sum); plain JS = the rule set as',
    "one loop over row objects with the condition inlined (bench/plainjs.mjs, rows of one shape). Each cell's",
    'totals are compared lead by lead; "identical" says they matched. Leads: tests/js/random-rules.mjs (seed 29).',
    '',
    '| column | kind | operator | condition | plain JS ms | wasm ms | speed-up | ≥ 5× | identical |',
    '|---|---|---|---|---:|---:|---:|:-:|:-:|',
  ];
  for (const c of cells)
    L.push(
      `| ${c.col} | ${KINDS[c.col]} | ${c.op} | \`${JSON.stringify(c.when).replace(/\|/g, '\\|')}\` | ${c.js.toFixed(1)} | ${c.wasm.toFixed(1)} | ${c.ratio.toFixed(1)}× | ${c.ratio >= 5 ? 'yes' : '**no**'} | ${c.mismatches ? '**no**: ' + c.why : 'yes'} |`,
    );
  const r = cells.map((c) => c.ratio).sort((a, b) => a - b);
  L.push(
    '',
    `${cells.length} cells: worst ${r[0].toFixed(1)}×, median ${r[r.length >> 1].toFixed(1)}×, best ${r[r.length - 1].toFixed(1)}×; ${cells.filter((c) => c.ratio < 5).length} below 5×.`,
    '',
  );
  return L.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
