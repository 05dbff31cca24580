// Events through the WebAssembly API (node --test tests/js/), in process and through the worker:
//  - the hand-computed fixtures of tests/fixtures/events (the same files tests/test_events_golden.cpp
//    checks): join counts and problem lines, totals, group scores, every fired rule's ledger entry
//    (count, occurrences, raw, decay, effective, points, clipped, future, undated, daysSince),
//    computed fields in scorer.row(i);
//  - as-of handling: required (code as_of), 'YYYY-MM-DD' or a Date (its local calendar date),
//    invalid texts rejected, setAsOf/setEvents all-or-nothing;
//  - errors: loadEvents without leads, events of other leads, columns that cannot be found;
//  - the worker client gives the same results as the in-process API.
// Skips (with the reason) when dist/leadscore.mjs has not been built.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { connect } from '../../wasm/worker-client.mjs';

const DIST = fileURLToPath(new URL('../../dist/leadscore.mjs', import.meta.url));
const WORKER = fileURLToPath(new URL('../../wasm/worker.mjs', import.meta.url));
const skip = existsSync(DIST) ? false : 'dist/leadscore.mjs is missing: build it first (./scripts/build.sh wasm)';
const mod = skip ? null : await import(pathToFileURL(DIST).href);
const ls = skip ? null : await mod.load();

let dir = null,
  remote = null;
if (!skip) {
  dir = mkdtempSync(join(tmpdir(), 'leadscore-events-'));
  copyFileSync(DIST, join(dir, 'leadscore.mjs'));
  copyFileSync(WORKER, join(dir, 'worker.mjs'));
  remote = connect(new Worker(pathToFileURL(join(dir, 'worker.mjs'))));
}
after(() => {
  remote?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const fixtures = new URL('../fixtures/events/', import.meta.url);
const read = (rel) => readFileSync(new URL(rel, fixtures), 'utf8');
const names = JSON.parse(read('index.json'));
const close = (a, b) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));

function load(name) {
  const rules = JSON.parse(read(`${name}/rules.json`));
  const hand = JSON.parse(read(`${name}/hand.json`));
  const leads = ls.loadLeads(read(`${name}/leads.csv`), { rules });
  const events = ls.loadEvents(read(`${name}/events.csv`), { leads });
  return { rules, hand, leads, events };
}

function checkInfo(info, want, where) {
  for (const k of [
    'rows',
    'matched',
    'unknownLeads',
    'missingLeadId',
    'undated',
    'leadsWithEvents',
    'unknownLeadIds',
    'types',
    'firstDay',
    'lastDay',
  ])
    if (want[k] !== undefined) assert.deepEqual(info[k], want[k], `${where}: info.${k}`);
  if (want.problemLines)
    assert.deepEqual(
      [...new Set(info.problems.map((p) => p.line))].sort((a, b) => a - b),
      want.problemLines,
      `${where}: problem lines`,
    );
  assert.equal(info.leadId, 'lead_id');
  assert.equal(info.leadKey, 'id');
  assert.equal(info.type, 'type');
  assert.equal(info.timestamp, 'timestamp');
}

async function checkLeads(scorer, hand, where, rowOf) {
  for (const [i, want] of hand.leads.entries()) {
    const w = `${where}: lead ${i} (${want.why})`;
    const l = scorer.ledger(i);
    assert.ok(close(l.total, want.total), `${w}: total ${l.total}, by hand ${want.total}`);
    for (const g of l.groups) assert.ok(close(g.score, want.groups[g.id]), `${w}: group ${g.id} ${g.score}`);
    if (want.groupSum !== undefined) {
      assert.ok(close(l.groups[0].sum, want.groupSum), `${w}: group sum`);
      assert.equal(l.groups[0].clipped, want.groupClipped);
    }
    assert.deepEqual(l.rules.map((e) => e.id).sort(), Object.keys(want.rules).sort(), `${w}: rules that fired`);
    for (const e of l.rules) {
      const we = want.rules[e.id];
      for (const [k, v] of Object.entries(we)) {
        if (k === 'note') {
          assert.ok(typeof e.note === 'string', `${w}: ${e.id} has a note`);
          continue;
        }
        assert.ok(k in e, `${w}: ${e.id} has ${k}: ${JSON.stringify(e)}`);
        if (typeof v === 'number') assert.ok(close(e[k], v), `${w}: ${e.id}.${k} = ${e[k]}, by hand ${v}`);
        else assert.deepEqual(e[k], v, `${w}: ${e.id}.${k}`);
      }
      for (const k of ['future', 'undated']) if (!(k in we)) assert.ok(!(k in e), `${w}: ${e.id} has no ${k}`);
    }
    const row = await rowOf(i);
    for (const [k, v] of Object.entries(want.computed ?? {})) assert.equal(row[k], v, `${w}: computed ${k}`);
    for (const k of want.missingComputed ?? []) assert.ok(!(k in row), `${w}: ${k} is missing`);
  }
}

for (const name of names) {
  test(`events fixture ${name} (hand-computed)`, { skip }, async () => {
    const { rules, hand, leads, events } = load(name);
    try {
      checkInfo(events.info, hand.info, name);
      assert.equal(events.rows, hand.info.rows);
      const scorer = ls.score(leads, rules, { events, asOf: hand.asOf });
      assert.equal(scorer.asOf, hand.asOf);
      await checkLeads(scorer, hand, name, async (i) => scorer.row(i));
      // Rows of the events come back in input order.
      const first = events.row(0);
      assert.equal(String(first.lead_id), read(`${name}/events.csv`).split('\n')[1].split(',')[0]);
      scorer.dispose();
    } finally {
      events.dispose();
      leads.dispose();
    }
  });
}

test('asOf: required, validated, a Date is its local calendar day; edits are all-or-nothing', { skip }, () => {
  const { rules, leads, events } = load('decay');
  try {
    assert.throws(
      () => ls.score(leads, rules, { events }),
      (e) => e instanceof mod.LeadScoreError && e.code === 'as_of' && /setAsOf/.test(e.message),
    );
    const s = ls.score(leads, rules, { events, asOf: new Date(2024, 2, 31, 23, 59) }); // local 31 March, late evening
    assert.equal(s.asOf, '2024-03-31');
    const totals = s.totals();
    assert.ok(close(totals[0], 64.5));
    assert.throws(
      () => s.setAsOf('31/03/2024'),
      (e) => e.code === 'as_of' && /YYYY-MM-DD/.test(e.message),
    );
    assert.throws(
      () => s.setAsOf('2024-02-30'),
      (e) => e.code === 'as_of',
    );
    assert.throws(
      () => s.setAsOf(null),
      (e) => e.code === 'as_of',
    );
    assert.equal(s.asOf, '2024-03-31');
    assert.deepEqual(s.totals(), totals);
    // Ten days later: half-lives move on, the as-of change re-scores without reloading events.
    const r = s.setAsOf('2024-04-10');
    assert.equal(s.asOf, '2024-04-10');
    assert.ok(r.evaluated >= 1);
    const l = s.ledger(0).rules.find((e) => e.id === 'half');
    assert.ok(close(l.effective, 10 * (0.5 + 0.25 + 0.125)), `half after 10 more days: ${l.effective}`);
    // Events of other leads are refused; nothing changes.
    const other = ls.loadLeads(read('decay/leads.csv'));
    const otherEvents = ls.loadEvents(read('decay/events.csv'), { leads: other });
    assert.throws(
      () => s.setEvents(otherEvents),
      (e) => e.code === 'events',
    );
    assert.equal(s.ledger(0).rules.find((e) => e.id === 'half').effective, l.effective);
    // Without events every lead has none (a warning says so).
    const w = s.setEvents(null);
    assert.ok(w.warnings.some((d) => d.code === 'no_events'));
    assert.equal(
      s.ledger(0).rules.some((e) => e.id === 'half'),
      false,
    );
    otherEvents.dispose();
    other.dispose();
    s.dispose();
  } finally {
    events.dispose();
    leads.dispose();
  }
});

test('loadEvents errors say what to do', { skip }, () => {
  const leads = ls.loadLeads('id,name\n1,a\n');
  try {
    assert.throws(
      () => ls.loadEvents('lead_id,type,timestamp\n1,a,2024-01-01\n', {}),
      (e) => e.code === 'events' && /options\.leads/.test(e.message),
    );
    assert.throws(
      () => ls.loadEvents('who,what\n1,a\n', { leads }),
      (e) => e.code === 'events' && /leadId/.test(e.message),
    );
    assert.throws(
      () => ls.loadEvents('lead_id,type,timestamp\n1,a,2024-01-01\n', { leads, timestamp: 'when' }),
      (e) => e.code === 'events' && /'when'/.test(e.message),
    );
    assert.throws(
      () => ls.loadEvents('lead_id,type,timestamp\n1,"a,2024-01-01\n', { leads }),
      (e) => e.code === 'load' && e.line === 2,
    );
    const ev = ls.loadEvents('who,what,when\n1,visit,2024-01-01\n1,visit,soon\n', {
      leads,
      leadId: 'who',
      type: 'what',
      timestamp: 'when',
    });
    assert.equal(ev.info.matched, 2);
    assert.equal(ev.info.undated, 1);
    assert.ok(
      ev.problems.some((p) => p.line === 3 && p.field === 'when'),
      JSON.stringify(ev.problems),
    );
    assert.throws(
      () =>
        ls.score(
          leads,
          {
            rules: [
              {
                id: 'v',
                group: 'engagement',
                points: 1,
                events: { type: 'visit', where: { '==': [{ var: 'nope' }, 1] } },
              },
            ],
          },
          { events: ev, asOf: '2024-01-02' },
        ),
      (e) =>
        e.code === 'unknown_field' &&
        e.path === 'rules[0].events.where' &&
        e.ruleId === 'v' &&
        e.field === 'nope' &&
        /events have no such column/.test(e.message),
    );
    ev.dispose();
  } finally {
    leads.dispose();
  }
});

test('the worker client gives the in-process results', { skip }, async () => {
  for (const name of names) {
    const rules = JSON.parse(read(`${name}/rules.json`));
    const hand = JSON.parse(read(`${name}/hand.json`));
    const leads = await remote.loadLeads(read(`${name}/leads.csv`), { rules });
    const progress = [];
    const events = await remote.loadEvents(read(`${name}/events.csv`), {
      leads,
      sliceBytes: 64,
      onProgress: (p) => progress.push(p),
    });
    assert.ok(progress.length >= 2, 'progress in slices');
    assert.equal(events.info.matched, hand.info.matched);
    const s = await remote.score(leads, rules, { events, asOf: hand.asOf });
    assert.equal(s.asOf, hand.asOf);
    const ledgers = await Promise.all(hand.leads.map((_, i) => s.ledger(i)));
    const cache = new Map(ledgers.map((l, i) => [i, l]));
    await checkLeads({ ledger: (i) => cache.get(i) }, hand, `${name} via worker`, (i) => s.row(i));
    await s.setAsOf('2024-04-30');
    assert.equal(s.asOf, '2024-04-30');
    const local = load(name);
    const ref = ls.score(local.leads, rules, { events: local.events, asOf: '2024-04-30' });
    assert.deepEqual(await s.totals(), ref.totals());
    await s.setEvents(null);
    ref.setEvents(null);
    assert.deepEqual(await s.totals(), ref.totals());
    await assert.rejects(s.setAsOf('nope'), (e) => e.code === 'as_of');
    ref.dispose();
    local.events.dispose();
    local.leads.dispose();
    await s.dispose();
    await events.dispose();
    await leads.dispose();
  }
});

// Events are read under the same limits as leads, while they are fed (issue 28): NUL bytes (the
// start of /dev/zero) and an endless line stop at the first piece that breaks a limit, with the
// code and the place; a byte limit stops the feed that passes it. The leads stay usable.
test('an events stream of NUL bytes or over maxBytes stops while it is fed', { skip }, () => {
  const leads = ls.loadLeads('id,name\n1,a\n2,b\n');
  try {
    assert.throws(
      () => ls.loadEvents(new Uint8Array(4096), { leads }),
      (e) => e.code === 'encoding' && e.line === 1 && e.column === 1 && /NUL byte/.test(e.message),
    );
    const loader = ls.createEventLoader({ leads });
    const piece = new Uint8Array(1 << 20);
    let fed = 0;
    assert.throws(
      () => {
        for (; fed < 64; fed++) loader.feed(piece);
      },
      (e) => e.code === 'limit' && e.line === 1 && e.column === 1,
    );
    assert.ok(fed <= 3, `${fed} MiB of one cell were fed before the limit`);
    loader.dispose();
    const small = ls.createEventLoader({ leads, maxBytes: 100 });
    small.feed('lead_id,type,timestamp\n');
    assert.throws(
      () => small.feed('1,visit,2024-01-01\n'.repeat(10)),
      (e) => e.code === 'limit' && /100 bytes/.test(e.message),
    );
    small.dispose();
    assert.deepEqual(leads.row(1), { id: 2, name: 'b' });
  } finally {
    leads.dispose();
  }
});
