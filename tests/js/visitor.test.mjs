// The visitor build and runtime (wasm/visitor/, docs/embed.md) in Node:
// - differential: random visitors (properties + event histories) scored by the visitor build
//   equal the native CLI's score, tier and groups for the same files (the CLI is the reference);
// - the runtime's promises: nothing stored before consent, forget() erases, retention and cap,
//   `cross` once per threshold passing (also across a reload), hidden form fields filled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rng } from './prng.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const WASM = `${root}dist/visitor/leadscore-visitor-core.wasm`;
const CLI = `${root}build/native/cli/leadscore`;
const RULES_FILE = `${root}examples/site/leadscore-rules.json`;
const skip = !existsSync(WASM) ? 'the visitor build is missing (./scripts/build.sh module)' : false;
const skipCli = skip || (!existsSync(CLI) ? 'the CLI is missing (./scripts/build.sh)' : false);

const load = async () => {
  const mod = await import('../../wasm/visitor/leadscore-visitor.js');
  return { ...mod, wasmBinary: readFileSync(WASM) };
};
const rules = () => JSON.parse(readFileSync(RULES_FILE, 'utf8'));
const AS_OF = '2026-06-30';
const DAY = 86_400_000;

// Up to `most` events over the last `days` days (5 % of them 3 days in the future, after as-of).
function randomEvents(rand, { most, days, types, paths, seconds }) {
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const events = [];
  const n = Math.floor(rand() * most);
  for (let i = 0; i < n; i++) {
    const t = Date.parse(`${AS_OF}T12:00:00Z`) - Math.floor(rand() * days * DAY) + (rand() < 0.05 ? 3 * DAY : 0);
    const type = pick(types);
    const e = { type, timestamp: new Date(t).toISOString() };
    if (type === 'page_view') e.path = pick(paths);
    if (type === 'form_submit') e.form = pick(['demo', 'newsletter']);
    if (type === 'time_on_page') e.seconds = Math.floor(rand() * seconds);
    events.push(e);
  }
  return events;
}

function randomVisitor(rand) {
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const properties = {};
  if (rand() < 0.6) properties.title = pick(['VP Sales', 'Student', 'CEO', 'Head of Growth', 'Engineer']);
  if (rand() < 0.6) properties.employees = pick([5, 50, 199, 200, 1200]);
  if (rand() < 0.5) properties.utm_medium = pick(['cpc', 'email', 'social']);
  const events = randomEvents(rand, {
    most: 25,
    days: 60,
    types: ['page_view', 'page_view', 'page_view', 'visit', 'cta_click', 'form_submit', 'time_on_page'],
    paths: ['/index.html', '/pricing.html', '/features.html'],
    seconds: 300,
  });
  return { properties, events };
}

function cliScore(dir, rulesFile, { properties, events }) {
  writeFileSync(join(dir, 'leads.json'), JSON.stringify([{ lead_id: 'visitor', ...properties }]));
  const args = [
    'score',
    '--rules',
    rulesFile,
    '--leads',
    join(dir, 'leads.json'),
    '--as-of',
    AS_OF,
    '--format',
    'json',
  ];
  if (events.length) {
    writeFileSync(join(dir, 'events.json'), JSON.stringify(events.map((e) => ({ lead_id: 'visitor', ...e }))));
    args.push('--events', join(dir, 'events.json'));
  }
  const out = execFileSync(CLI, args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  return JSON.parse(out)[0]._score;
}

test('visitor build equals the CLI on 40 random visitors', { skip: skipCli }, async () => {
  const { scoreVisitor, wasmBinary } = await load();
  const dir = mkdtempSync(join(tmpdir(), 'ls-visitor-'));
  try {
    const rand = rng(22);
    let hot = 0;
    for (let k = 0; k < 40; k++) {
      const v = randomVisitor(rand);
      const got = await scoreVisitor({ rules: rules(), ...v, asOf: AS_OF }, { wasmBinary });
      const want = cliScore(dir, RULES_FILE, v);
      const ctx = `visitor ${k}: ${JSON.stringify(v)}`;
      assert.equal(got.score, want.total, ctx);
      assert.equal(got.tier, want.tier, ctx);
      assert.equal(got.salesReady, want.salesReady, ctx);
      for (const [g, s] of Object.entries(want.groups)) assert.equal(got.groups[g], s, `${ctx} group ${g}`);
      if (got.tier === 'Hot') hot++;
    }
    assert.ok(hot > 0, 'some random visitors are hot (the test covers the top tier)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Every construct the visitor build compiles (per-unit points, bounds, bands, repeat, counts,
// dedupe, the three decays, between, strict and loose comparisons, aliases, missing tokens):
// the whole ledger must equal the CLI's `explain` of the same visitor.
const WIDE_FILE = `${root}tests/fixtures/visitor/wide-rules.json`;

function wideVisitor(rand) {
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const properties = {};
  if (rand() < 0.7) properties.title = pick(['VP Sales', 'Student', 'CEO', 'n/a', 'unknown', 'Engineer', '']);
  if (rand() < 0.7)
    properties[rand() < 0.3 ? 'company_size' : 'employees'] = pick([5, 50, 499, 500, 501, 2000, '300', 'N/A']);
  if (rand() < 0.5) properties.revenue = pick([0, 500, 12000, 50000, 2e6]);
  if (rand() < 0.6) properties.plan = pick(['pro', 'free', 'enterprise', 'basic']);
  if (rand() < 0.4) properties.trial = rand() < 0.5;
  const events = randomEvents(rand, {
    most: 30,
    days: 70,
    types: ['page_view', 'page_view', 'visit', 'cta_click', 'form_submit', 'time_on_page'],
    paths: ['/index.html', '/pricing.html', '/features.html', '/contact.html'],
    seconds: 200,
  });
  return { properties, events };
}

function cliExplain(dir, rulesFile, { properties, events }) {
  writeFileSync(join(dir, 'leads.json'), JSON.stringify([{ lead_id: 'visitor', ...properties }]));
  const args = ['explain', '--rules', rulesFile, '--leads', join(dir, 'leads.json'), '--lead', '1'];
  args.push('--as-of', AS_OF, '--format', 'json');
  if (events.length) {
    writeFileSync(join(dir, 'events.json'), JSON.stringify(events.map((e) => ({ lead_id: 'visitor', ...e }))));
    args.push('--events', join(dir, 'events.json'));
  }
  const out = JSON.parse(execFileSync(CLI, args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString());
  delete out.values;
  return out;
}

test(
  'visitor build: the whole ledger equals the CLI on 60 visitors of a wide rule set',
  { skip: skipCli },
  async () => {
    const { scoreVisitor, wasmBinary } = await load();
    const wide = JSON.parse(readFileSync(WIDE_FILE, 'utf8'));
    const dir = mkdtempSync(join(tmpdir(), 'ls-visitor-'));
    try {
      const rand = rng(2222);
      const tiers = new Set();
      const fired = new Set();
      for (let k = 0; k < 60; k++) {
        const v = wideVisitor(rand);
        const got = await scoreVisitor({ rules: wide, ...v, asOf: AS_OF }, { wasmBinary });
        assert.deepEqual(got.ledger, cliExplain(dir, WIDE_FILE, v), `visitor ${k}: ${JSON.stringify(v)}`);
        tiers.add(got.tier);
        for (const r of got.ledger.rules) fired.add(r.id);
      }
      // 3,000 events need more than the evaluator's static 64 KB buffer: its grown memory, twice.
      const big = wideVisitor(rand);
      for (let i = 0; i < 100; i++) big.events.push(...wideVisitor(rand).events);
      assert.ok(big.events.length > 1000, `${big.events.length} events`);
      for (let i = 0; i < 2; i++) {
        const got = await scoreVisitor({ rules: wide, ...big, asOf: AS_OF }, { wasmBinary });
        assert.deepEqual(got.ledger, cliExplain(dir, WIDE_FILE, big), `a visitor with ${big.events.length} events`);
      }
      assert.equal(tiers.size, 4, `every tier is reached: ${[...tiers]}`);
      const never = wide.rules.map((r) => r.id).filter((id) => id !== 'off' && !fired.has(id));
      assert.deepEqual(never, [], 'every enabled rule fires for some visitor');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

// Random rule sets of every construct the visitor build compiles, random visitors: where the CLI
// scores (it refuses some rule sets outright, e.g. text compared with a number field, or a rule
// reading an undeclared field nobody has), the ledgers must be equal.
function randomRuleSet(rand) {
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const fields = { title: 'string', employees: 'number', plan: 'string', score: 'number', ok: 'boolean' };
  const lit = () => pick([0, 1, 50, 500, 'pro', 'CEO', 'VP', '', true, false, null, '50', 2.5]);
  const cond = (depth) => {
    const v = { var: pick(Object.keys(fields)) };
    if (depth > 2 || rand() < 0.5) {
      const op = pick(['==', '!=', '===', '!==', '<', '<=', '>', '>=', 'in', 'list', 'between', '!', '!!']);
      if (op === 'in')
        return { in: rand() < 0.5 ? [pick(['CEO', 'VP', 'o', '5']), v] : [v, pick(['CEO VP', '50 500'])] };
      if (op === 'list') return { in: [v, [lit(), lit(), lit()]] };
      if (op === 'between') return { [pick(['<', '<='])]: [lit(), v, lit()] };
      if (op === '!' || op === '!!') return { [op]: [v] };
      return rand() < 0.5 ? { [op]: [v, lit()] } : { [op]: [lit(), v] };
    }
    return { [pick(['and', 'or'])]: [cond(depth + 1), cond(depth + 1)] };
  };
  const where = () =>
    pick([
      { in: ['pricing', { var: 'path' }] },
      { '>=': [{ var: 'seconds' }, pick([0, 30, 100])] },
      { '==': [{ var: 'form' }, 'demo'] },
      { '!': { var: pick(['path', 'seconds', 'form']) } },
    ]);
  const decays = [
    true,
    { halfLife: 7 },
    { linear: { rate: 0.2, period: 5 } },
    { expire: 20 },
    { halfLife: 3, expire: 10 },
  ];
  const engagement = { id: 'engagement', ...(rand() < 0.5 ? { decay: pick(decays) } : {}) };
  if (rand() < 0.3) Object.assign(engagement, { min: 0, max: 30 });
  const rules = [];
  for (let i = 0, n = 3 + Math.floor(rand() * 8); i < n; i++) {
    const r = { id: `r${i}` };
    if (rand() < 0.45) {
      Object.assign(r, { group: 'fit', points: pick([1, 5, -3, 0.5, 10]) });
      if (rand() < 0.8) r.when = cond(0);
      if (rand() < 0.15)
        Object.assign(r, { per: pick(['employees', 'score']), points: pick([0.01, 2]), when: undefined });
    } else {
      const ev = {
        type: pick(['page_view', 'visit', 'cta_click', 'form_submit', 'time_on_page', ['page_view', 'visit']]),
      };
      if (rand() < 0.3) ev.where = where();
      if (rand() < 0.4) ev.within = pick([1, 3, 7, 30]);
      const repeat = rand();
      if (repeat < 0.4) ev.repeat = pick(['every', 'daily', 'weekly']);
      else if (repeat < 0.6)
        ev.bands = [
          { min: 1, points: 2 },
          { min: pick([2, 5]), points: 6 },
        ];
      if (rand() < 0.3 && !ev.bands) ev.count = pick([{ '>=': 2 }, { '=': 0 }, { '<=': 1 }, { between: [1, 3] }]);
      if (rand() < 0.15) ev.dedupe = pick(['path', 'form']);
      if (rand() < 0.15) ev.decay = false;
      else if (rand() < 0.2 && engagement.decay) ev.decay = pick([{ halfLife: 2 }, { expire: 5 }]);
      Object.assign(r, { group: 'engagement', events: ev });
      if (!ev.bands) r.points = pick([1, 4, 10, -2]);
      if (rand() < 0.15) r.when = cond(2);
    }
    if (rand() < 0.2) r.max = pick([3, 8]);
    if (rand() < 0.1) r.min = pick([-2, 1]);
    rules.push(JSON.parse(JSON.stringify(r)));
  }
  const declared = Object.entries(fields).filter(() => rand() < 0.7);
  return {
    leadscore: 1,
    fields: Object.fromEntries(declared.map(([k, type]) => [k, { type }])),
    groups: [{ id: 'fit', ...(rand() < 0.3 ? { max: 20 } : {}) }, engagement],
    ...(rand() < 0.3 ? { total: { min: 0, max: 50 } } : {}),
    rules,
    tiers: [{ name: 'A', min: pick([10, 20, 40]) }, { name: 'B', min: pick([0, 5]) }, { name: 'C' }],
    ...(rand() < 0.3 ? { salesReady: pick([15, 'A']) } : {}),
  };
}

test('random rule sets: where the CLI scores, the whole ledger is equal', { skip: skipCli }, async () => {
  const { scoreVisitor, wasmBinary } = await load();
  const rand = rng(31);
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const values = {
    title: ['CEO', 'VP Sales', 'Student', 'dev', 'n/a'],
    employees: [0, 5, 50, 500, 5000, -3, 2.5],
    plan: ['pro', 'free', 'x'],
    score: [0, 1, 99.5],
    ok: [true, false],
  };
  const dir = mkdtempSync(join(tmpdir(), 'ls-visitor-'));
  let compared = 0;
  try {
    for (let k = 0; k < 80; k++) {
      const rules = randomRuleSet(rand);
      const properties = {};
      for (const [f, vs] of Object.entries(values)) if (rand() < 0.7) properties[f] = pick(vs);
      const v = {
        properties,
        events: randomEvents(rand, {
          most: 20,
          days: 40,
          types: ['page_view', 'visit', 'cta_click', 'form_submit', 'time_on_page'],
          paths: ['/index.html', '/pricing.html', '/a.html'],
          seconds: 200,
        }),
      };
      writeFileSync(join(dir, 'rules.json'), JSON.stringify(rules));
      let want;
      try {
        want = cliExplain(dir, join(dir, 'rules.json'), v);
      } catch {
        continue; // the CLI refuses this rule set for these leads
      }
      const got = await scoreVisitor({ rules, ...v, asOf: AS_OF }, { wasmBinary });
      assert.deepEqual(got.ledger, want, `case ${k}: ${JSON.stringify({ rules, ...v })}`);
      compared++;
    }
    assert.ok(compared >= 25, `${compared} of 80 compared`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('undeclared fields and event columns are typed as the CLI types them, or refused', { skip: skipCli }, async () => {
  const { scoreVisitor, wasmBinary } = await load();
  const typing = {
    leadscore: 1,
    rules: [
      { id: 'num_text', group: 'fit', points: 1, when: { '===': [{ var: 'x' }, 300] } },
      { id: 'yes_word', group: 'fit', points: 2, when: { '===': [{ var: 'b' }, true] } },
      { id: 'plain', group: 'fit', points: 4, when: { '==': [{ var: 'c' }, 'spring'] } },
      {
        id: 'ev_num',
        group: 'engagement',
        points: 8,
        events: { type: 'dl', where: { '===': [{ var: 'asset' }, 42] } },
      },
      {
        id: 'ev_mixed',
        group: 'engagement',
        points: 16,
        events: { type: 'dl', where: { '===': [{ var: 'tag' }, '7'] } },
      },
    ],
  };
  const v = {
    properties: { x: '300', b: 'yes', c: 'spring' },
    events: [
      { type: 'dl', timestamp: '2026-06-29T10:00:00Z', asset: '42', tag: 7 },
      { type: 'dl', timestamp: '2026-06-28T10:00:00Z', asset: 42, tag: 'seven' },
    ],
  };
  const dir = mkdtempSync(join(tmpdir(), 'ls-visitor-'));
  try {
    writeFileSync(join(dir, 'rules.json'), JSON.stringify(typing));
    const got = await scoreVisitor({ rules: typing, ...v, asOf: AS_OF }, { wasmBinary });
    const want = cliExplain(dir, join(dir, 'rules.json'), v);
    assert.deepEqual(got.ledger, want);
    assert.equal(got.score, 31, 'all five rules fire: "300" is 300, "yes" is true, 7 next to "seven" is "7"');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Text the CLI may read as a date, a formatted number or a code: refused, not guessed.
  for (const [properties, field] of [
    [{ c: '2024-05-01' }, 'c'],
    [{ c: '1,200' }, 'c'],
    [{ x: '007' }, 'x'],
  ])
    await assert.rejects(scoreVisitor({ rules: typing, properties, events: [], asOf: AS_OF }, { wasmBinary }), (e) => {
      assert.equal(e.code, 'ambiguous');
      assert.equal(e.field, field);
      assert.match(e.message, /declare/);
      return true;
    });
});

test('damaged rule sets, properties and events: a score or a LeadScoreError, never a crash', { skip }, async () => {
  const { scoreVisitor, wasmBinary } = await load();
  const wide = readFileSync(WIDE_FILE, 'utf8');
  const rand = rng(7);
  const junk = [null, true, false, 0, -1, 1e308, 'x', '', [], {}, [1, 2], { a: 1 }, 'NaN', '2024-01-01'];
  let rate = 0;
  const damage = (x) => {
    if (Array.isArray(x)) return x.map((v) => (rand() < rate ? junk[Math.floor(rand() * junk.length)] : damage(v)));
    if (x === null || typeof x !== 'object') return x;
    const o = {};
    for (const [k, v] of Object.entries(x))
      if (rand() >= rate / 2) o[k] = rand() < rate ? junk[Math.floor(rand() * junk.length)] : damage(v);
    return o;
  };
  const outcomes = { scored: 0, refused: 0 };
  for (let i = 0; i < 600; i++) {
    rate = rand() * 0.01;
    const request = damage({
      rules: JSON.parse(wide),
      properties: { title: 'CEO', employees: 300, plan: 'pro', trial: true },
      events: [
        { type: 'page_view', timestamp: '2026-06-29T10:00:00Z', path: '/pricing.html' },
        { type: 'visit', timestamp: '2026-06-20T10:00:00Z' },
      ],
    });
    try {
      const r = await scoreVisitor({ ...request, asOf: AS_OF }, { wasmBinary });
      assert.ok(Number.isFinite(r.score), `a finite score (${JSON.stringify(request)})`);
      outcomes.scored++;
    } catch (e) {
      assert.equal(e.name, 'LeadScoreError', `${e.stack}\n${JSON.stringify(request)}`);
      assert.ok(e.message && typeof e.code === 'string');
      outcomes.refused++;
    }
  }
  assert.ok(outcomes.scored > 50 && outcomes.refused > 50, JSON.stringify(outcomes));
});

test('the visitor build refuses what it does not cover, naming the rule', { skip }, async () => {
  const { scoreVisitor, wasmBinary } = await load();
  const refuse = async (edit, pattern, ruleId) => {
    const r = rules();
    edit(r);
    await assert.rejects(scoreVisitor({ rules: r, properties: {}, events: [], asOf: AS_OF }, { wasmBinary }), (e) => {
      assert.equal(e.name, 'LeadScoreError');
      assert.match(e.message, pattern);
      assert.equal(e.ruleId, ruleId);
      return true;
    });
  };
  await refuse((r) => (r.rules[1].when = { substr: [{ var: 'title' }, 0, 2] }), /operator 'substr'/, 'size');
  await refuse(
    (r) => (r.rules[0].when = { 'ls:contains': [{ var: 'title' }, 'ceo'] }),
    /operator 'ls:contains'/,
    'exec',
  );
  await refuse((r) => (r.rules[2].when = { '==': [{ var: ['utm_medium', 'cpc'] }, 'cpc'] }), /"var": "field"/, 'paid');
  await refuse((r) => (r.rules[3].events.within = 'a month'), /'within'/, 'pages');
  await refuse((r) => (r.fields.age = { daysSince: 'signup' }), /computed field 'age'/, '');
  await refuse((r) => (r.matrix = { fit: {}, engagement: {} }), /'matrix' is not supported/, '');
});

test('a bad rule set is a located error, not a crash', { skip }, async () => {
  const { scoreVisitor, wasmBinary } = await load();
  const bad = rules();
  bad.rules[0].points = 'ten';
  await assert.rejects(scoreVisitor({ rules: bad, properties: {}, events: [] }, { wasmBinary }), (e) => {
    assert.equal(e.name, 'LeadScoreError');
    assert.match(e.message, /points/);
    assert.equal(e.ruleId, 'exec');
    return true;
  });
  await assert.rejects(scoreVisitor({ rules: '{"rules": [', properties: {} }, { wasmBinary }), (e) => {
    assert.equal(e.code, 'json');
    assert.ok(e.line >= 1 && e.column >= 1);
    return true;
  });
});

// A Storage and a document just big enough for the runtime.
function fakeStorage() {
  const m = new Map();
  const s = {
    writes: 0,
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    setItem: (k, v) => {
      s.writes++;
      m.set(k, String(v));
    },
    removeItem: (k) => m.delete(k),
    get size() {
      return m.size;
    },
  };
  return s;
}
function fakeDocument() {
  const fields = [{ attr: 'score', value: '' }].map((f) => ({
    ...f,
    getAttribute: () => f.attr,
  }));
  const events = [];
  return {
    events,
    fields,
    dispatchEvent: (e) => events.push(e),
    querySelectorAll: (sel) => (sel === 'input[data-leadscore-field]' ? fields : []),
  };
}

function visitorWith(mod, over = {}) {
  let t = Date.parse(`${AS_OF}T09:00:00Z`);
  const clock = { now: () => t, advance: (ms) => (t += ms) };
  const doc = fakeDocument();
  const storage = over.storage ?? fakeStorage();
  const v = mod.createVisitor({
    rules: rules(),
    storage,
    document: doc,
    now: clock.now,
    wasmBinary: mod.wasmBinary,
    ...over,
  });
  return { v, clock, doc, storage };
}

test('nothing is stored before consent; consent keeps the page so far; forget() erases', { skip }, async () => {
  const mod = await load();
  const { v, storage } = visitorWith(mod);
  await v.page('/index.html', '?utm_source=news&utm_medium=cpc&utm_campaign=launch');
  await v.track('cta_click', { path: '/index.html' });
  assert.equal(storage.writes, 0, 'no write before consent');
  assert.equal(storage.size, 0);
  assert.equal(v.current().ledger.rules.find((r) => r.id === 'paid')?.points, 5, 'UTM medium reached the score');
  v.consent(true);
  const saved = JSON.parse(storage.getItem(mod.STORAGE_KEY));
  assert.deepEqual(
    saved.events.map((e) => e.type),
    ['visit', 'page_view', 'cta_click'],
  );
  assert.equal(saved.properties.utm_campaign, 'launch');
  v.forget();
  assert.equal(storage.size, 0, 'forget() erased the storage');
  assert.equal(v.hasConsent(), false);
  await v.track('cta_click');
  assert.equal(storage.size, 0, 'after forget() nothing is stored again until consent');
});

test('retention window and cap on stored events', { skip }, async () => {
  const mod = await load();
  const { v, clock, storage } = visitorWith(mod, { consent: true, retentionDays: 10, maxEvents: 6 });
  for (let i = 0; i < 5; i++) {
    await v.page(`/p${i}.html`, '');
    clock.advance(4 * DAY); // each page is a new visit, 4 days apart
  }
  const saved = JSON.parse(storage.getItem(mod.STORAGE_KEY));
  assert.ok(saved.events.length <= 6, `cap: ${saved.events.length} events kept`);
  const oldest = Math.min(...saved.events.map((e) => Date.parse(e.timestamp)));
  assert.ok(clock.now() - oldest <= 14 * DAY, 'older events than the retention window are gone');
  assert.deepEqual(
    saved.events.filter((e) => e.type === 'page_view').map((e) => e.path),
    ['/p2.html', '/p3.html', '/p4.html'],
  );
});

test('cross fires once per threshold passing, also across a reload; tier and hidden field', { skip }, async () => {
  const mod = await load();
  const storage = fakeStorage();
  const { v, doc } = visitorWith(mod, { consent: true, storage });
  const crosses = [],
    tiers = [];
  v.on('cross', (d) => crosses.push(d.threshold.name));
  v.on('tier', (d) => tiers.push(d.tier));
  await v.setRules(rules());
  for (let i = 0; i < 5; i++) await v.page(`/page-${i}.html`, ''); // 5 x 4 = 20: Warm
  assert.deepEqual(crosses, ['Warm']);
  await v.track('form_submit', { form: 'demo', path: '/contact.html' }); // +30: Hot, sales-ready
  assert.deepEqual(crosses, ['Warm', 'Hot', 'salesReady']);
  assert.deepEqual(tiers, ['Cold', 'Warm', 'Hot']);
  for (let i = 0; i < 3; i++) await v.page('/pricing.html', ''); // still Hot: nothing new
  assert.equal(crosses.length, 3);
  assert.equal(doc.fields[0].value, String(v.current().score), 'the hidden field holds the score');
  const domCross = doc.events.filter((e) => e.type === 'leadscore:cross');
  assert.equal(domCross.length, 3);
  assert.ok(domCross.every((e) => e.bubbles && e.composed));

  // A reload (a new runtime on the same storage) does not fire the same passing again.
  const again = visitorWith(mod, { consent: true, storage });
  const later = [];
  again.v.on('cross', (d) => later.push(d.threshold.name));
  await again.v.page('/index.html', '');
  assert.deepEqual(later, []);
  assert.equal(again.v.current().tier, 'Hot');
});

test('storage: null keeps everything in memory, even with consent and a localStorage around', { skip }, async () => {
  const mod = await load();
  const global = fakeStorage();
  globalThis.localStorage = global;
  try {
    const { v } = visitorWith(mod, { consent: true, storage: null });
    await v.page('/index.html', '');
    assert.equal(global.writes, 0);
    assert.equal(v.export().events.filter((e) => e.type === 'page_view').length, 1);
  } finally {
    delete globalThis.localStorage;
  }
});
