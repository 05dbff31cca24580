// The bad-input catalogue (tests/fixtures/bad-inputs/index.json) against the built module
// dist/leadscore.mjs: each input fails with the listed LeadScoreError code and location (or loads
// with the listed problem), and the leads and scorer loaded before keep working and unchanged.
// The 'wasm-memory' case runs against build/wasm/test-modules/leadscore-64mb.mjs (the same module
// with a 64 MiB memory ceiling): exhausting memory must give a 'memory' error, and the module must
// go on working. Skips (with the reason) when the modules have not been built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dir, index, inputOf } from './bad-inputs-catalogue.mjs';

const distUrl = new URL('../../dist/leadscore.mjs', import.meta.url);
const smallUrl = new URL('../../build/wasm/test-modules/leadscore-64mb.mjs', import.meta.url);
const skip = existsSync(fileURLToPath(distUrl))
  ? false
  : 'dist/leadscore.mjs is missing: build it first (./scripts/build.sh wasm)';

function expectError(c, e) {
  const x = c.expect;
  assert.ok(e instanceof Error && e.name === 'LeadScoreError', `${c.id}: not a LeadScoreError: ${e?.stack ?? e}`);
  assert.equal(e.code, x.error, `${c.id}: ${e.message}`);
  for (const k of ['line', 'column', 'field', 'ruleId', 'path'])
    if (x[k] !== undefined) assert.equal(e[k] ?? (k === 'path' ? '' : e[k]), x[k], `${c.id}: ${k} of "${e.message}"`);
  if (x.message) assert.ok(e.message.includes(x.message), `${c.id}: "${e.message}" lacks "${x.message}"`);
}

function expectLoaded(c, leads) {
  const x = c.expect;
  assert.equal(x.error, undefined, `${c.id}: expected ${x.error}, but it loaded`);
  assert.equal(leads.rows, x.rows, c.id);
  if (x.problem) {
    const p = x.problem;
    const hit = leads.problems.find(
      (q) =>
        q.line === p.line &&
        (p.column === undefined || q.column === p.column) &&
        (p.field === undefined || q.field === p.field) &&
        q.message.includes(p.message),
    );
    assert.ok(hit, `${c.id}: no problem like ${JSON.stringify(p)} in ${JSON.stringify(leads.problems)}`);
  }
  for (const v of x.values ?? []) {
    const row = leads.row(v.row);
    const col = leads.columns.find((k) => k.name === v.field || k.header === v.field);
    assert.equal(String(row[col.name]), v.text, `${c.id}: ${JSON.stringify(v)}`);
  }
}

// The base leads (or a case's own 'leads'), scored by the base rules.
async function base(ls, leadsFile = index.base.leads) {
  const rules = JSON.parse(readFileSync(new URL(index.base.rules, dir), 'utf8'));
  const leads = ls.loadLeads(readFileSync(new URL(leadsFile, dir), 'utf8'), { rules });
  const scorer = ls.score(leads, rules);
  const snapshot = () =>
    JSON.stringify({
      rows: Array.from({ length: leads.rows }, (_, i) => leads.row(i)),
      rules: scorer.rules,
      totals: [...scorer.totals()],
      ledgers: Array.from({ length: leads.rows }, (_, i) => scorer.ledger(i)),
    });
  return { leads, scorer, snapshot, before: snapshot() };
}

// The base leads scored by base.eventRules with base.events as of base.asOf.
function eventsBase(ls) {
  const rules = JSON.parse(readFileSync(new URL(index.base.eventRules, dir), 'utf8'));
  const leads = ls.loadLeads(readFileSync(new URL(index.base.leads, dir), 'utf8'), { rules });
  const options = { leads, ...index.base.eventOptions };
  const events = ls.loadEvents(readFileSync(new URL(index.base.events, dir)), options);
  const scorer = ls.score(leads, rules, { events, asOf: index.base.asOf });
  const snapshot = () =>
    JSON.stringify({
      events: Array.from({ length: events.rows }, (_, i) => events.row(i)),
      totals: [...scorer.totals()],
      ledgers: Array.from({ length: leads.rows }, (_, i) => scorer.ledger(i)),
    });
  return { options, snapshot, before: snapshot() };
}

// An events case: the load fails as listed (a join error names the columns: 'where' header) or
// loads with the listed note; the scores over the base events stay as they were.
function runEventsCase(ls, c, input, eb) {
  let events;
  try {
    events = ls.loadEvents(input, eb.options);
  } catch (e) {
    assert.ok(c.expect.error, `${c.id}: unexpected ${e.code}: ${e.message}`);
    expectError(c, e);
    if (c.expect.error === 'events') assert.equal(c.where, 'header', c.id);
  }
  if (events) {
    expectLoaded(c, events);
    events.dispose();
  }
  assert.equal(eb.snapshot(), eb.before, `${c.id}: the previous events or scores changed`);
}

test('every catalogue input fails where it should, and the previous leads and rules stay', { skip }, async () => {
  const ls = await (await import(distUrl.href)).load();
  const b = await base(ls);
  const eb = eventsBase(ls);
  let ran = 0;
  for (const c of index.cases) {
    if (c.only && c.only !== 'js') continue;
    const input = inputOf(c);
    if (c.kind === 'events') {
      runEventsCase(ls, c, input, eb);
    } else if (c.kind === 'leads') {
      let leads;
      try {
        leads = ls.loadLeads(input, c.options ?? {});
      } catch (e) {
        assert.ok(c.expect.error, `${c.id}: unexpected ${e.code}: ${e.message}`);
        expectError(c, e);
      }
      if (leads) {
        expectLoaded(c, leads);
        leads.dispose();
      }
    } else {
      const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
      const own = c.leads ? await base(ls, c.leads) : b;
      assert.throws(
        () => own.scorer.setRules(text),
        (e) => (expectError(c, e), true),
        c.id,
      );
      assert.equal(own.snapshot(), own.before, `${c.id}: the previous leads or rules changed`);
    }
    assert.equal(b.snapshot(), b.before, `${c.id}: the previous leads or rules changed`);
    ran++;
  }
  assert.ok(ran >= 30, `${ran} cases ran`);
});

test('NaN and Infinity in a rule set object are named, not sent as null', { skip }, async () => {
  const ls = await (await import(distUrl.href)).load();
  const b = await base(ls);
  for (const bad of [NaN, Infinity, -Infinity]) {
    assert.throws(
      () => b.scorer.addRule({ id: 'n', points: bad }),
      (e) => e.code === 'schema' && e.ruleId === 'n' && e.field === 'points' && e.message.includes(String(bad)),
    );
    assert.throws(
      () => b.scorer.setRules({ rules: [{ id: 'x', points: 1, max: bad }] }),
      (e) => e.code === 'schema' && e.field === 'max',
    );
  }
  assert.equal(b.snapshot(), b.before);
});

test(
  'a load that exhausts wasm memory fails with a memory error, and the module goes on working',
  {
    skip:
      skip ||
      (existsSync(fileURLToPath(smallUrl))
        ? false
        : 'build/wasm/test-modules/leadscore-64mb.mjs is missing (./scripts/build.sh wasm)'),
  },
  async () => {
    const ls = await (await import(smallUrl.href)).load();
    const b = await base(ls);
    const c = index.cases.find((x) => x.id === 'wasm-memory');
    const input = inputOf(c);
    for (let attempt = 0; attempt < 2; attempt++) {
      assert.throws(
        () => ls.loadLeads(input),
        (e) => (expectError(c, e), true),
      );
      // The module still answers: the earlier leads and scorer are intact, and new work succeeds.
      assert.equal(b.snapshot(), b.before);
      const small = ls.loadLeads('title,n\nCEO,1\nVP Sales,2\n');
      const s = ls.score(small, { rules: [{ id: 'ceo', points: 5, when: { '==': [{ var: 'title' }, 'CEO'] } }] });
      assert.deepEqual([...s.totals()], [5, 0]);
      s.dispose();
      small.dispose();
    }
    assert.ok(ls.heapBytes() <= 64 * 1024 * 1024);
  },
);
