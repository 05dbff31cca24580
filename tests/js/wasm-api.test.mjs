// The JavaScript API of dist/leadscore.mjs (node --test tests/js/):
//  - errors are LeadScoreError (an Error) with code and, where known, line/column, ruleId/field;
//    a failed edit leaves rules and results as they were;
//  - text, Uint8Array (also a view with an offset) and ArrayBuffer inputs give the same leads;
//  - an incremental load split at every byte of a tricky CSV equals the whole-text load;
//  - rule edits (add/replace/remove/disable/move) give exactly a fresh scorer's results;
//  - top/filterByTier/summary agree with a plain-JS computation on totals()/tiers();
//  - the single-file and the split build give identical results;
//  - bank-full.csv (45,211 leads) with samples/bank-rules.json scores exactly as the native CLI.
// Skips (with the reason) what needs an artifact that has not been built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rng } from './prng.mjs';

const path = (rel) => fileURLToPath(new URL(rel, import.meta.url));
const DIST = path('../../dist/leadscore.mjs');
const SPLIT = path('../../dist/split/leadscore.mjs');
const SPLIT_WASM = path('../../dist/split/leadscore.wasm');
const CLI = path('../../build/native/cli/leadscore');
const BANK = path('../data/bank-marketing/bank-full.csv');
const BANK_RULES = path('../../samples/bank-rules.json');

const skip = existsSync(DIST)
  ? false
  : 'dist/leadscore.mjs is missing: build it first (cmake --build build/wasm --target leadscore_single)';
const mod = skip ? null : await import(new URL('../../dist/leadscore.mjs', import.meta.url).href);
const ls = skip ? null : await mod.load();
const { LeadScoreError } = mod ?? {};

// ------------------------------------------------------------------------- helpers

const TITLES = ['CEO', 'CTO', 'VP Sales', 'Head of Marketing', 'Engineer', 'Student', 'Analyst', 'N/A'];
const INDUSTRIES = ['Software', 'Fintech', 'Retail', 'Health', 'Education', ''];
function makeCsv(rows, seed = 1) {
  const r = rng(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const lines = ['id,title,industry,company_size,page_views,email_clicks,demo_requested,unsubscribed,country'];
  for (let i = 0; i < rows; i++) {
    lines.push(
      [
        i + 1,
        pick(TITLES),
        pick(INDUSTRIES),
        r() < 0.1 ? '' : Math.floor(r() * 10000),
        Math.floor(r() * 12),
        r() < 0.05 ? 'NA' : Math.floor(r() * 8),
        r() < 0.2 ? 'yes' : 'no',
        r() < 0.1 ? 'true' : 'false',
        pick(['US', 'DE', 'FR', 'US', 'UK']),
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

const RULES = {
  leadscore: 1,
  name: 'API test',
  groups: [
    { id: 'fit', label: 'Fit', min: 0, max: 60 },
    { id: 'engagement', label: 'Engagement', min: -40, max: 60 },
  ],
  total: { min: 0, max: 100 },
  rules: [
    {
      id: 'dm-title',
      group: 'fit',
      points: 20,
      when: { in: [{ var: 'title' }, ['CEO', 'CTO', 'VP Sales', 'Head of Marketing']] },
    },
    { id: 'software', group: 'fit', points: 10, when: { in: [{ var: 'industry' }, ['Software', 'Fintech']] } },
    { id: 'mid-size', group: 'fit', points: 15, when: { '<=': [50, { var: 'company_size' }, 5000] } },
    { id: 'page-views', group: 'engagement', points: 5, per: 'page_views', max: 25 },
    { id: 'clicks', group: 'engagement', points: 3, per: 'email_clicks', min: 2, max: 12 },
    { id: 'demo', group: 'engagement', points: 25, when: { '==': [{ var: 'demo_requested' }, true] } },
    { id: 'unsubscribed', group: 'engagement', points: -30, when: { '==': [{ var: 'unsubscribed' }, true] } },
  ],
  tiers: [
    { name: 'Hot', min: 70, action: 'Call within 24 h' },
    { name: 'Warm', min: 40, action: 'Nurture' },
    { name: 'Cold', action: 'Recycle' },
  ],
  salesReady: 'Hot',
  matrix: {
    fit: {
      group: 'fit',
      bands: [{ label: 'A', min: 40 }, { label: 'B', min: 25 }, { label: 'C', min: 10 }, { label: 'D' }],
    },
    engagement: {
      group: 'engagement',
      bands: [{ label: '1', min: 40 }, { label: '2', min: 20 }, { label: '3', min: 5 }, { label: '4' }],
    },
    actions: { A1: 'Call now', D4: 'Recycle' },
  },
};

function snapshot(leads) {
  const rows = [];
  for (let i = 0; i < leads.rows; i++) rows.push(leads.row(i));
  return { info: leads.info, rows };
}

// Asserts that `fn` throws a LeadScoreError and returns it.
function thrown(fn, what) {
  let err;
  assert.throws(fn, (e) => ((err = e), true), what);
  assert.ok(err instanceof LeadScoreError, `${what}: a LeadScoreError (${err})`);
  assert.ok(err instanceof Error, `${what}: an Error`);
  assert.equal(err.name, 'LeadScoreError');
  assert.equal(typeof err.message, 'string');
  assert.ok(err.message.length > 10, `${what}: a message (${err.message})`);
  assert.equal(typeof err.code, 'string');
  return err;
}

const using = (leads, fn) => {
  try {
    return fn(leads);
  } finally {
    leads.dispose();
  }
};

// ------------------------------------------------------------------------- errors

test('a CSV with an unterminated quote: LeadScoreError with line and column of the quote', { skip }, () => {
  const e = thrown(() => ls.loadLeads('a,b\n1,2\n"unterminated,1\n3,4\n'), 'unterminated quote');
  assert.equal(e.code, 'load');
  assert.equal(e.line, 3);
  assert.equal(e.column, 1);
  const e2 = thrown(() => ls.loadLeads('a,b\n1,2\n3,"x\n'), 'unterminated quote in the 2nd field');
  assert.equal(e2.line, 3);
  assert.equal(e2.column, 3);
  // The same through the incremental loader.
  const loader = ls.createLoader();
  loader.feed('a,b\n1,2\n3,"');
  loader.feed('x\n');
  const e3 = thrown(() => loader.finish(), 'unterminated quote, incremental');
  assert.deepEqual([e3.code, e3.line, e3.column], ['load', 3, 3]);
  assert.equal(thrown(() => loader.feed('more'), 'feed after finish').code, 'state');
});

test('invalid rule JSON: code json with line and column, from checkRules and score', { skip }, () => {
  const text = '{"rules": [\n  {"id": "x",, "points": 1}]}';
  const e = thrown(() => ls.checkRules(text), 'invalid JSON');
  assert.equal(e.code, 'json');
  assert.equal(e.line, 2);
  assert.equal(e.column, 14);
  assert.ok(Array.isArray(e.diagnostics) && e.diagnostics[0].severity === 'error');
  using(ls.loadLeads('a\n1\n'), (leads) => {
    const e2 = thrown(() => ls.score(leads, text), 'invalid JSON in score');
    assert.deepEqual([e2.code, e2.line, e2.column], ['json', 2, 14]);
  });
});

test('an unknown field: ruleId and field; schema errors name the rule and path', { skip }, () => {
  using(ls.loadLeads('title,age\nCEO,40\nStudent,20\n'), (leads) => {
    const rules = { rules: [{ id: 'r1', points: 1, when: { '==': [{ var: 'titel' }, 'x'] } }] };
    const e = thrown(() => ls.score(leads, rules), 'unknown field');
    assert.equal(e.code, 'unknown_field');
    assert.equal(e.ruleId, 'r1');
    assert.equal(e.field, 'titel');
    assert.match(e.message, /title/, 'suggests the right name');
    const s = ls.score(leads, { rules: [] });
    try {
      const e2 = thrown(() => s.addRule({ id: 'a', points: 'x' }), 'points as text');
      assert.equal(e2.code, 'schema');
      assert.equal(e2.ruleId, 'a');
      assert.equal(e2.path, 'rules[0].points');
      assert.equal(thrown(() => s.removeRule('nope'), 'unknown rule').code, 'unknown_rule');
      assert.equal(thrown(() => s.ledger(5), 'lead out of range').code, 'range');
      assert.equal(thrown(() => s.row(-1), 'lead out of range').code, 'range');
      assert.equal(thrown(() => leads.row(2), 'row out of range').code, 'range');
      assert.equal(thrown(() => s.top(1, { tier: 'Nope' }), 'unknown tier').code, 'unknown_tier');
      assert.equal(thrown(() => s.top(1, { by: 'nope' }), 'unknown group').code, 'unknown_group');
      assert.equal(thrown(() => s.groupScores('nope'), 'unknown group').code, 'unknown_group');
      assert.equal(thrown(() => ls.apply({ '/': [1, 0] }), 'division by zero').code, 'eval');
      assert.equal(thrown(() => ls.apply({ nosuchop: 1 }), 'unknown operator').code, 'logic');
      assert.equal(thrown(() => ls.loadLeads('a\n1\n', { delimiter: ';;' }), 'bad delimiter').code, 'load');
    } finally {
      s.dispose();
    }
    const s2 = ls.score(leads, { rules: [] });
    s2.dispose();
    assert.equal(thrown(() => s2.totals(), 'after dispose').code, 'disposed');
  });
});

test('a failed setRules/addRule/replaceRule leaves totals() and rules unchanged', { skip }, () => {
  using(ls.loadLeads(makeCsv(300, 7)), (leads) => {
    const s = ls.score(leads, RULES);
    try {
      const totals = s.totals(),
        tiers = s.tiers(),
        rules = structuredClone(s.rules),
        stats = structuredClone(s.stats);
      const unchanged = (what) => {
        assert.deepEqual(s.totals(), totals, `${what}: totals`);
        assert.deepEqual(s.tiers(), tiers, `${what}: tiers`);
        assert.deepEqual(s.rules, rules, `${what}: rules`);
        assert.deepEqual(s.stats, stats, `${what}: stats`);
      };
      thrown(() => s.addRule({ id: 'bad', points: 5, when: { '==': [{ var: 'nope' }, 1] } }), 'addRule unknown field');
      unchanged('addRule');
      thrown(() => s.addRule({ id: 'demo', points: 5 }), 'addRule duplicate id');
      unchanged('addRule duplicate');
      thrown(
        () =>
          s.setRules({
            ...RULES,
            rules: [...RULES.rules, { id: 'x', points: 1, when: { '==': [{ var: 'company_size' }, 'big'] } }],
          }),
        'setRules type mismatch',
      );
      unchanged('setRules');
      thrown(() => s.setRules('{"rules": ['), 'setRules invalid JSON');
      unchanged('setRules invalid JSON');
      thrown(() => s.replaceRule('demo', { id: 'software', points: 1 }), 'replaceRule to a used id');
      unchanged('replaceRule');
      thrown(() => s.moveRule('nope', 0), 'moveRule unknown');
      unchanged('moveRule');
    } finally {
      s.dispose();
    }
  });
});

// ------------------------------------------------------------------------- inputs

test('Uint8Array, a Uint8Array view with an offset, and ArrayBuffer inputs equal string input', { skip }, () => {
  const text = 'Name;Título;Score;Note\n"Zoë, Ltd";Directeur général;12,5;ünïcødé 🚀\nŁukasz;CEO;7;"multi\nline"\n';
  const bytes = new TextEncoder().encode(text);
  const padded = new Uint8Array(bytes.length + 10);
  padded.set(bytes, 5);
  const want = using(ls.loadLeads(text), snapshot);
  assert.equal(want.info.rows, 2);
  assert.equal(want.info.delimiter, ';');
  assert.deepEqual(using(ls.loadLeads(bytes), snapshot), want, 'Uint8Array');
  assert.deepEqual(
    using(ls.loadLeads(padded.subarray(5, 5 + bytes.length)), snapshot),
    want,
    'Uint8Array view with an offset',
  );
  assert.deepEqual(using(ls.loadLeads(bytes.slice().buffer), snapshot), want, 'ArrayBuffer');
  assert.deepEqual(using(ls.loadLeads(new DataView(bytes.slice().buffer)), snapshot), want, 'DataView');
  // JSON and NDJSON as bytes too.
  const json = '[{"a": 1, "b": "x"}, {"a": 2, "b": "ÿ"}]';
  assert.deepEqual(
    using(ls.loadLeads(new TextEncoder().encode(json)), snapshot),
    using(ls.loadLeads(json), snapshot),
    'JSON bytes',
  );
});

test('long text is encoded into wasm memory in slices without splitting a surrogate pair', { skip }, () => {
  // The facade encodes strings in slices of floor(4 MiB / 3) UTF-16 code units: put emoji (two
  // units each) across every offset near the first slice end, and 3-byte characters before it.
  const SLICE = Math.floor((4 << 20) / 3);
  const rows = ['id,note'];
  let length = 'id,note\n'.length;
  for (let i = 0; length < SLICE - 100; i++) {
    const row = `${i},${i % 3 ? 'plain' : '€uro ✓'}`;
    rows.push(row);
    length += row.length + 1;
  }
  // then a cell of 100 emoji (200 units) that covers the slice end
  const text = rows.join('\n') + '\n' + `edge,${'🚀'.repeat(100)}x\n` + 'after,ok\n';
  assert.ok(
    text.length > SLICE + 50 && text.length < SLICE + 400,
    `text of ${text.length} units around the slice end ${SLICE}`,
  );
  for (const shift of [0, 1]) {
    // the pair's high half at the slice's last unit, then its low half
    const t = (shift ? 'x' : '') + text;
    const want = using(ls.loadLeads(new TextEncoder().encode(t)), snapshot);
    const got = using(ls.loadLeads(t), snapshot);
    assert.deepEqual(got, want, `shift ${shift}`);
    assert.ok(JSON.stringify(got).includes('🚀'.repeat(100) + 'x'), 'the emoji cell arrives whole');
  }
});

// Quoted delimiters and line breaks, "" escapes, CRLF / LF / lone CR, a BOM, multi-byte UTF-8
// (2, 3 and 4 bytes), text after a closing quote, a ragged row, a blank line, missing tokens,
// no final newline.
const TRICKY =
  '\uFEFFName,"Job Title",Notes,Amount,Active,Created\r\n' +
  '"Smith, Jane","VP ""Sales""","line1\nline2",1200.5,yes,2024-03-01\r\n' +
  'Łukasz Żółć,CEO,"",  -3 ,no,2024-03-02\r' +
  'Émilie,"CTO",plain 12"3 text,N/A,Y,2024-03-05\n' +
  '"ab"cd,x €,🚀 y,7,n,2024-01-01\n' +
  'ragged,row\n' +
  '\n' +
  'last,,"quoted\r\nCRLF inside",1e3,true,2024-12-31';

test('incremental loading split at every byte of a tricky CSV equals the whole-text load', { skip }, () => {
  const bytes = new TextEncoder().encode(TRICKY);
  const want = using(ls.loadLeads(TRICKY), snapshot);
  assert.equal(want.info.rows, 6);
  assert.ok(want.info.problems.length >= 2, 'the ragged row and the text after a quote are reported');
  for (let k = 0; k <= bytes.length; k++) {
    const loader = ls.createLoader();
    const p1 = loader.feed(bytes.subarray(0, k));
    const p2 = loader.feed(bytes.subarray(k));
    assert.equal(p1.bytes, k);
    assert.equal(p2.bytes, bytes.length);
    assert.deepEqual(using(loader.finish(), snapshot), want, `split at byte ${k}`);
  }
  // Three pieces around every pair of nearby positions, and one byte at a time.
  for (let a = 0; a < bytes.length; a += 3) {
    const b = Math.min(bytes.length, a + 1 + (a % 7));
    const loader = ls.createLoader();
    loader.feed(bytes.subarray(0, a));
    loader.feed(bytes.subarray(a, b).slice().buffer);
    loader.feed(bytes.subarray(b));
    assert.deepEqual(using(loader.finish(), snapshot), want, `split at bytes ${a} and ${b}`);
  }
  const loader = ls.createLoader();
  for (let i = 0; i < bytes.length; i++) loader.feed(bytes.subarray(i, i + 1));
  assert.deepEqual(using(loader.finish(), snapshot), want, 'one byte at a time');
  // Text pieces (split between characters) too.
  const loader2 = ls.createLoader();
  for (const piece of TRICKY.match(/[\s\S]{1,5}/gu)) loader2.feed(piece);
  assert.deepEqual(using(loader2.finish(), snapshot), want, 'text pieces');
});

// ------------------------------------------------------------------------- edits

test('rule edits (add/replace/remove/disable/move/setRules) equal a fresh scorer', { skip }, () => {
  using(ls.loadLeads(makeCsv(400, 3)), (leads) => {
    const s = ls.score(leads, RULES);
    const rs = structuredClone(RULES);
    const fresh = (what, r) => {
      const f = ls.score(leads, rs);
      try {
        assert.deepEqual(s.rules, f.rules, `${what}: rules`);
        assert.deepEqual(s.results(), f.results(), `${what}: results`);
        assert.deepEqual(s.stats, f.stats, `${what}: stats`);
        assert.deepEqual(s.warnings, f.warnings, `${what}: warnings`);
        assert.deepEqual(s.ledger(7), f.ledger(7), `${what}: a ledger`);
        assert.deepEqual(r.warnings, f.warnings, `${what}: the edit's warnings are the new rule set's`);
      } finally {
        f.dispose();
      }
      return r;
    };
    const idx = (id) => rs.rules.findIndex((r) => r.id === id);

    let r = s.addRule({ id: 'us', group: 'fit', points: 5, when: { '==': [{ var: 'country' }, 'US'] } });
    rs.rules.push({ id: 'us', group: 'fit', points: 5, when: { '==': [{ var: 'country' }, 'US'] } });
    assert.equal(fresh('addRule at the end', r).evaluated, 1);

    r = s.addRule({ id: 'big', group: 'fit', points: 8, when: { '>': [{ var: 'company_size' }, 8000] } }, 0);
    rs.rules.splice(0, 0, { id: 'big', group: 'fit', points: 8, when: { '>': [{ var: 'company_size' }, 8000] } });
    assert.equal(fresh('addRule at 0', r).evaluated, 1);

    r = s.replaceRule('demo', {
      id: 'demo',
      group: 'engagement',
      points: 35,
      when: { '==': [{ var: 'demo_requested' }, true] },
    });
    rs.rules[idx('demo')] = {
      id: 'demo',
      group: 'engagement',
      points: 35,
      when: { '==': [{ var: 'demo_requested' }, true] },
    };
    assert.equal(fresh('replaceRule: points only', r).evaluated, 0, 'the condition is cached');

    r = s.replaceRule('software', {
      id: 'retail',
      group: 'fit',
      points: -5,
      min: -3,
      when: { '==': [{ var: 'industry' }, 'Retail'] },
    });
    rs.rules[idx('software')] = {
      id: 'retail',
      group: 'fit',
      points: -5,
      min: -3,
      when: { '==': [{ var: 'industry' }, 'Retail'] },
    };
    fresh('replaceRule: new id and condition', r);

    r = s.setEnabled('dm-title', false);
    rs.rules[idx('dm-title')].enabled = false;
    assert.equal(fresh('disable', r).evaluated, 0);

    r = s.setEnabled('dm-title', true);
    delete rs.rules[idx('dm-title')].enabled;
    fresh('enable', r);

    const move = (id, to) => {
      const [rule] = rs.rules.splice(idx(id), 1);
      rs.rules.splice(Math.min(to, rs.rules.length), 0, rule);
    };
    r = s.moveRule('unsubscribed', 0);
    move('unsubscribed', 0);
    assert.equal(fresh('moveRule to 0', r).evaluated, 0);
    assert.throws(
      () => s.moveRule('big', 99),
      (e) => e.code === 'range',
      'moveRule past the end: a range error, not clamped',
    );
    r = s.moveRule('big', rs.rules.length - 1);
    move('big', rs.rules.length - 1);
    fresh('moveRule to the end', r);

    r = s.removeRule('page-views');
    rs.rules.splice(idx('page-views'), 1);
    assert.equal(fresh('removeRule', r).evaluated, 0);

    rs.rules = rs.rules.filter((x) => x.id !== 'us');
    rs.groups[0].max = 30;
    rs.tiers[0].min = 50;
    r = s.setRules(rs);
    fresh('setRules', r);
    s.dispose();
  });
});

// ------------------------------------------------------------------------- queries

test('top, filterByTier and summary agree with plain JS on totals()/tiers()', { skip }, () => {
  using(ls.loadLeads(makeCsv(500, 11)), (leads) => {
    const s = ls.score(leads, RULES);
    try {
      const totals = s.totals(),
        tiers = s.tiers(),
        fit = s.groupScores('fit'),
        ready = s.salesReady();
      const order = (v, keep = () => true, asc = false) =>
        [...v.keys()].filter(keep).sort((a, b) => (asc ? v[a] - v[b] : v[b] - v[a]) || a - b);
      const all = order(totals);
      assert.ok(new Set(totals).size > 10, 'scores vary');
      assert.ok(
        all.some((i, k) => k > 0 && totals[all[k - 1]] === totals[i]),
        'there are ties',
      );

      assert.ok(s.top(10) instanceof Int32Array);
      assert.deepEqual([...s.top(10)], all.slice(0, 10));
      assert.deepEqual([...s.top()], all);
      assert.deepEqual([...s.top(0)], all);
      assert.deepEqual([...s.top(1e9)], all);
      assert.deepEqual([...s.top(25, { ascending: true })], order(totals, undefined, true).slice(0, 25));
      assert.deepEqual([...s.top(15, { by: 'fit' })], order(fit).slice(0, 15));
      const names = s.rules.tiers.map((t) => t.name);
      assert.deepEqual(names, ['Hot', 'Warm', 'Cold']);
      names.forEach((name, k) => {
        const want = order(totals, (i) => tiers[i] === k);
        assert.deepEqual([...s.filterByTier(name)], want, `filterByTier(${name})`);
        assert.deepEqual([...s.filterByTier(k)], want, `filterByTier(${k})`);
        assert.deepEqual([...s.top(5, { tier: name })], want.slice(0, 5), `top(5, tier ${name})`);
        assert.deepEqual(
          [...s.filterByTier(name, { by: 'fit', ascending: true })],
          order(fit, (i) => tiers[i] === k, true),
        );
      });

      for (const bins of [1, 7, 20]) {
        const sum = s.summary({ bins });
        let lo = Infinity,
          hi = -Infinity,
          total = 0;
        for (const t of totals) ((lo = Math.min(lo, t)), (hi = Math.max(hi, t)), (total += t));
        const width = hi > lo ? (hi - lo) / bins : 1;
        const hist = new Array(bins).fill(0);
        for (const t of totals) hist[Math.min(bins - 1, Math.floor((t - lo) / width))]++;
        assert.equal(sum.rows, totals.length);
        assert.deepEqual(
          sum.tiers,
          names.map((name, k) => ({ name, count: tiers.filter((t) => t === k).length })),
        );
        assert.equal(
          sum.salesReady,
          ready.reduce((a, b) => a + b, 0),
        );
        assert.equal(sum.salesReady, tiers.filter((t) => t === 0).length, 'salesReady = the Hot tier');
        assert.equal(sum.min, lo);
        assert.equal(sum.max, hi);
        assert.ok(Math.abs(sum.mean - total / totals.length) < 1e-9);
        assert.deepEqual(sum.histogram, hist, `histogram with ${bins} bins`);
      }
      assert.equal(s.summary().histogram.length, 20, 'default 20 bins');
    } finally {
      s.dispose();
    }
  });
});

// ------------------------------------------------------------------------- builds and real data

const bankSkip = skip;
const bankText = bankSkip ? null : readFileSync(BANK);
const bankRules = readFileSync(BANK_RULES, 'utf8');

function results(m, leadsInput, rules, opts = {}) {
  const leads = m.loadLeads(leadsInput, { rules, ...opts });
  const s = m.score(leads, rules);
  try {
    return {
      info: leads.info,
      rules: s.rules,
      stats: s.stats,
      warnings: s.warnings,
      results: s.results(),
      top: s.top(50),
      summary: s.summary(),
      ledger: s.ledger(3),
    };
  } finally {
    s.dispose();
    leads.dispose();
  }
}

const splitSkip =
  skip ||
  (existsSync(SPLIT) && existsSync(SPLIT_WASM)
    ? false
    : 'dist/split/leadscore.{mjs,wasm} are missing: build them first (cmake --build build/wasm --target leadscore_split)');
test('the single-file and the split build give identical results', { skip: splitSkip }, async () => {
  const split = await (
    await import(new URL('../../dist/split/leadscore.mjs', import.meta.url).href)
  ).load({ wasmBinary: readFileSync(SPLIT_WASM) });
  assert.notEqual(split, ls, 'two separate instances');
  assert.deepEqual(results(split, makeCsv(2000, 5), RULES), results(ls, makeCsv(2000, 5), RULES));
  assert.deepEqual(split.apply({ cat: [0.1, { '+': [0.1, 0.2] }] }), ls.apply({ cat: [0.1, { '+': [0.1, 0.2] }] }));
  if (!bankSkip)
    assert.deepEqual(results(split, bankText, bankRules), results(ls, bankText, bankRules), 'bank-full.csv');
});

const cliSkip =
  bankSkip || (existsSync(CLI) ? false : 'build/native/cli/leadscore is missing: build the native CLI first');
test('bank-full.csv: 45,211 leads, scored exactly as the native CLI does', { skip: cliSkip }, () => {
  const leads = ls.loadLeads(bankText, { rules: bankRules });
  const s = ls.score(leads, bankRules);
  try {
    assert.equal(leads.rows, 45211);
    assert.equal(leads.delimiter, ';');
    const out = execFileSync(
      CLI,
      ['score', '--rules', BANK_RULES, '--leads', BANK, '--format', 'ndjson', '--no-reasons'],
      { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const lines = out.toString('utf8').trimEnd().split('\n');
    assert.equal(lines.length, 45211);
    const rs = s.rules;
    const r = s.results();
    let mismatches = 0;
    const first = [];
    lines.forEach((line, i) => {
      const want = JSON.parse(line)._score;
      const cell = rs.matrix
        ? rs.matrix.fit.bands[r.fitBands[i]].label + rs.matrix.engagement.bands[r.engagementBands[i]].label
        : undefined;
      const got = {
        total: r.totals[i],
        tier: rs.tiers[r.tiers[i]].name,
        action: rs.tiers[r.tiers[i]].action ?? '',
        salesReady: r.salesReady[i] === 1,
        groups: Object.fromEntries(rs.groups.map((g) => [g.id, r.groups[g.id][i]])),
        ...(cell !== undefined ? { cell, cellAction: rs.matrix.actions[cell] ?? '' } : {}),
      };
      const exp = {
        total: want.total,
        tier: want.tier,
        action: want.action,
        salesReady: want.salesReady,
        groups: want.groups,
        ...(want.cell !== undefined ? { cell: want.cell, cellAction: want.cellAction } : {}),
      };
      try {
        assert.deepEqual(got, exp);
      } catch {
        if (mismatches++ < 5) first.push(`lead ${i}: wasm ${JSON.stringify(got)} vs CLI ${JSON.stringify(exp)}`);
      }
    });
    assert.equal(mismatches, 0, first.join('\n'));
    // A few ledgers against `leadscore explain --format json` (whose lead numbers are 1-based).
    for (const i of [0, 41, 45210]) {
      const want = JSON.parse(
        execFileSync(CLI, [
          'explain',
          '--rules',
          BANK_RULES,
          '--leads',
          BANK,
          '--lead',
          String(i + 1),
          '--format',
          'json',
        ]).toString(),
      );
      delete want.values;
      assert.deepEqual(s.ledger(i), want, `ledger of lead ${i}`);
    }
  } finally {
    s.dispose();
    leads.dispose();
  }
});
