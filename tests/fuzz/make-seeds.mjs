// Writes the committed seed corpora of the fuzz targets (tests/fuzz/corpus/TARGET/) from the test
// fixtures, the samples, small slices of the data files in tests/data and the JsonLogic
// conformance suite. Run again after adding fixtures: node tests/fuzz/make-seeds.mjs
// Each CSV/JSON seed starts with the target's 5 option bytes (see checks.h): option byte, seed.
import { readFileSync, writeFileSync, mkdirSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));
const data = join(root, 'tests', 'data');
const out = join(root, 'tests/fuzz/corpus');
const MAX = 4096; // the default -max_len of scripts/fuzz.sh

const corpora = { csv: [], json: [], rules: [], jsonlogic: [], differential: [] };
const add = (target, buf) => {
  buf = Buffer.isBuffer(buf) ? buf : Buffer.from(buf);
  if (buf.length <= MAX) corpora[target].push(buf);
};
const prefix = (opt, seed = 0x12345678) =>
  Buffer.from([opt, seed >>> 24, (seed >>> 16) & 255, (seed >>> 8) & 255, seed & 255]);
const firstLines = (path, n) => readFileSync(path, 'utf8').split(/\r?\n/).slice(0, n).join('\n') + '\n';

// CSV: samples, golden leads, real files (first lines), shapes the tokenizer must handle.
const csvs = [];
for (const d of JSON.parse(readFileSync(join(root, 'tests/fixtures/golden/index.json'), 'utf8'))) {
  const p = join(root, 'tests/fixtures/golden', d, 'leads.csv');
  if (existsSync(p)) csvs.push(readFileSync(p));
}
csvs.push(Buffer.from(firstLines(join(root, 'samples/b2b-leads.csv'), 25)));
for (const f of [
  'bank-marketing/bank-full.csv',
  'bank-marketing/bank-additional-full.csv',
  'olist-like/olist_closed_deals_dataset.csv',
  'olist-like/olist_marketing_qualified_leads_dataset.csv',
])
  csvs.push(Buffer.from(firstLines(join(data, f), 12)));
csvs.push(Buffer.from('\uFEFFname,"quoted ""x""",n\r\nA,"multi\r\nline",1\r\nB,,2\r\n'));
csvs.push(Buffer.from('a;b;c\n1;2\n3;4;5;6\n"open;7\n'));
csvs.push(Buffer.from('a\tb\n"x"junk\t 2 \n\n   \ny\t\n'));
csvs.push(Buffer.from('id,when,flag\n1,03/04/2024,yes\n2,13/04/2024,no\n3,2024-03-01T09:30:00Z,Y\n'));
csvs.push(Buffer.from('h,h,,h\nCaf\xe9,na\xefve,\x00,x\n', 'latin1'));
csvs.forEach((c, i) => add('csv', Buffer.concat([prefix([0, 1, 2, 3, 4, 0x21, 0x49, 0x8a][i % 8]), c])));

// JSON / NDJSON: golden leads, a converted slice of a real file, shapes.
for (const d of JSON.parse(readFileSync(join(root, 'tests/fixtures/golden/index.json'), 'utf8'))) {
  const p = join(root, 'tests/fixtures/golden', d, 'leads.json');
  if (existsSync(p)) add('json', Buffer.concat([prefix(1), readFileSync(p)]));
}
const bankLines = firstLines(join(data, 'bank-marketing/bank-full.csv'), 8)
  .trim()
  .split('\n')
  .map((l) => l.split(';').map((x) => x.replace(/^"|"$/g, '')));
const objs = bankLines
  .slice(1)
  .map((r) => Object.fromEntries(bankLines[0].map((h, i) => [h, /^-?\d+$/.test(r[i]) ? Number(r[i]) : r[i]])));
add('json', Buffer.concat([prefix(1), Buffer.from(JSON.stringify(objs))]));
add('json', Buffer.concat([prefix(2), Buffer.from(objs.map((o) => JSON.stringify(o)).join('\n') + '\n')]));
add(
  'json',
  Buffer.concat([prefix(0), Buffer.from('[{"a":1,"b":{"x":[1,2]},"c":null,"a":2},{"d":"\\u00e9","e":1.50,"f":true}]')]),
);
add('json', Buffer.concat([prefix(2), Buffer.from('\uFEFF{"a":1}\n\n{"a":"x","b":[]}\r\n{"c":-0.0}')]));
add('json', Buffer.concat([prefix(4), Buffer.from('[{"n": 12345678901234567890, "m": -1e400}] trailing')]));

// Rule sets: golden rules and the samples.
for (const d of JSON.parse(readFileSync(join(root, 'tests/fixtures/golden/index.json'), 'utf8')))
  add('rules', readFileSync(join(root, 'tests/fixtures/golden', d, 'rules.json')));
for (const f of ['samples/b2b-rules.json', 'samples/bank-rules.json']) add('rules', readFileSync(join(root, f)));
add(
  'rules',
  JSON.stringify({
    fields: { size: { type: 'number', aliases: ['company_size'] } },
    groups: [
      { id: 'fit', max: 30 },
      { id: 'engagement', min: -5 },
    ],
    total: { min: 0, max: 50 },
    rules: [
      { id: 'a', group: 'fit', points: 10, when: { in: [{ var: 'title' }, ['CEO', 'cto']] } },
      { id: 'b', group: 'fit', points: 0.01, per: 'size', max: 15 },
      {
        id: 'c',
        group: 'engagement',
        points: 2,
        per: 'page_views',
        when: { '>=': [{ var: 'created' }, '2024-01-01'] },
      },
      { id: 'd', group: 'engagement', points: -3, when: { '==': [{ var: 'demo' }, false] }, enabled: false },
      {
        id: 'e',
        group: 'engagement',
        points: 4,
        when: { '<': [{ '+': [{ var: 'score' }, { var: 'page_views' }] }, 5] },
      },
    ],
    tiers: [{ name: 'Hot', min: 30, action: 'Call' }, { name: 'Cold' }],
    salesReady: 'Hot',
    matrix: {
      fit: { bands: [{ label: 'A', min: 10 }, { label: 'B' }] },
      engagement: { bands: [{ label: '1', min: 5 }, { label: '2' }] },
      actions: { A1: 'Now' },
    },
  }),
);

// JsonLogic: the conformance suite as "logic\0data".
const suite = JSON.parse(readFileSync(join(data, 'jsonlogic/tests.json'), 'utf8'));
for (const c of suite)
  if (Array.isArray(c)) add('jsonlogic', JSON.stringify(c[0]) + '\0' + JSON.stringify(c[1] ?? null));

// Differential: raw mode (byte 0 odd) with conditions from the differential fixture, and
// generated mode (byte 0 even) with a few byte strings.
const diff = JSON.parse(readFileSync(join(root, 'tests/fixtures/differential/cases.json'), 'utf8'));
const q = (v) => (v === null ? '' : /[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
const table =
  [
    diff.columns.map((c) => c.name).join(','),
    ...Array.from({ length: 14 }, (_, i) => diff.columns.map((c) => q(c.values[i])).join(',')),
  ].join('\n') + '\n';
for (const r of diff.rules.slice(0, 80))
  add('differential', Buffer.concat([Buffer.from([1]), Buffer.from(JSON.stringify(r) + '\0' + table)]));
for (let k = 0; k < 20; k++)
  add('differential', Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37 + k * 101) & 254)));

for (const [target, bufs] of Object.entries(corpora)) {
  const dir = join(out, target);
  if (existsSync(dir)) rmSync(dir, { recursive: true });
  mkdirSync(dir, { recursive: true });
  for (const b of bufs) writeFileSync(join(dir, createHash('sha1').update(b).digest('hex').slice(0, 16)), b);
  console.log(`${target}: ${readdirSync(dir).length} seeds`);
}
