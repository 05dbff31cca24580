// Learning from outcomes in WebAssembly (docs/learn.md), node --test tests/js/:
//  - ls.learn() on the sample leads gives the native CLI's report (AUCs and weights to 1e-9,
//    the same rounded points, the same flags) and a learned rule set that scores as its points;
//  - the worker's workspace.learn posts increasing progress, gives the in-process report, can
//    be cancelled (LeadScoreError 'cancelled') and serves the next request; learnedLead and
//    channels answer; too little data is refused with the numbers;
//  - a learned rule set's ledger gives the probability its (rounded) points stand for and the
//    top factors, against the learner's own probability and exact contributions.
// Skips when dist/leadscore.mjs (or, for the CLI comparison, build/native) has not been built.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { connect, LeadScoreError } from '../../wasm/worker-client.mjs';

const path = (rel) => fileURLToPath(new URL(rel, import.meta.url));
const DIST = path('../../dist/leadscore.mjs');
const WORKER = path('../../wasm/worker.mjs');
const CLI = path('../../build/native/cli/leadscore');
const LEADS = path('../../samples/b2b-leads.csv');
const RULES = path('../../samples/b2b-rules.json');
const skip = existsSync(DIST) ? false : 'dist/leadscore.mjs is missing: ./scripts/build.sh module';

let dir = null,
  remote = null,
  ls = null;
if (!skip) {
  dir = mkdtempSync(join(tmpdir(), 'leadscore-learn-'));
  copyFileSync(DIST, join(dir, 'leadscore.mjs'));
  copyFileSync(WORKER, join(dir, 'worker.mjs'));
  remote = connect(new Worker(pathToFileURL(join(dir, 'worker.mjs'))));
  ls = await (await import(pathToFileURL(DIST).href)).load();
}
after(() => {
  remote?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const csv = () => readFileSync(LEADS, 'utf8');
const near = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('ls.learn equals the native CLI and its rule set scores as its points', { skip }, (t) => {
  const rules = JSON.parse(readFileSync(RULES, 'utf8'));
  const leads = ls.loadLeads(csv(), { rules });
  const scorer = ls.score(leads, rules);
  const outcomes = leads.outcomes('converted');
  const steps = [];
  const learner = ls.learn(scorer, outcomes, { onProgress: (p) => steps.push(p) });
  const { report, ruleSet } = learner.result();
  assert.ok(steps.length >= 7, 'progress after each step (5 folds, fit, scorecard)');
  assert.equal(steps.at(-1).stage, 'done');
  for (let k = 1; k < steps.length; k++) assert.ok(steps[k].done >= steps[k - 1].done);
  // the learned rule set scores every lead with the points the learner reports
  const learned = ls.score(leads, ruleSet);
  const totals = learned.totals();
  for (const i of [0, 1, 17, 999, 2999]) assert.equal(totals[i], learner.lead(i).points, `lead ${i}`);
  const p = learner.probability();
  assert.equal(p.length, 3000);
  near(p[5], learner.lead(5).probability, 0, 'probability');
  if (!existsSync(CLI)) return t.skip('build/native/cli/leadscore is missing: no CLI comparison');
  const want = JSON.parse(
    execFileSync(CLI, ['learn', '--rules', RULES, '--leads', LEADS, '--outcome', 'converted', '--json']).toString(),
  );
  for (const k of ['model', 'points', 'rounded', 'train']) near(report.auc[k], want.auc[k], 1e-9, `auc.${k}`);
  near(report.intercept, want.intercept, 1e-9, 'intercept');
  assert.equal(report.c, want.c);
  assert.deepEqual(
    report.features.map((f) => [f.name, f.used, f.flag, f.levels.map((l) => l.rounded)]),
    want.features.map((f) => [f.name, f.used, f.flag, f.levels.map((l) => l.rounded)]),
  );
  learner.dispose();
});

test("the learned rule set's ledger: the probability its points stand for, top factors", { skip }, () => {
  const leads = ls.loadLeads(csv());
  const learner = ls.learn(leads, leads.outcomes('converted'));
  const { ruleSet } = learner.result();
  const { factor, offset } = ruleSet['x-learned'];
  const learned = ls.score(leads, ruleSet);
  for (const i of [0, 3, 17, 999, 2999]) {
    const mine = learned.ledger(i).learned;
    const model = learner.lead(i, 1000);
    // the model's own log-odds (its exact points), moved by the rounding of this lead's points
    const logit = Math.log(model.probability / (1 - model.probability));
    near(mine.logOdds, logit + (model.points - model.exactPoints) / factor, 1e-9, `lead ${i} log-odds`);
    near(mine.probability, 1 / (1 + Math.exp(-(model.points - offset) / factor)), 1e-12, `lead ${i} probability`);
    assert.equal(mine.factors.length, 3);
    for (const f of mine.factors) {
      const exact = model.factors.find((m) => m.feature === f.feature);
      assert.ok(exact, `lead ${i}: ${f.feature} is one of the model's features`);
      assert.equal(f.points, exact.points, `lead ${i} ${f.feature}: the rounded points of its level`);
      near(f.contribution, exact.contribution, 2, `lead ${i} ${f.feature} contribution (rounded vs exact)`);
    }
    const sizes = mine.factors.map((f) => Math.abs(f.contribution));
    assert.deepEqual(
      sizes,
      [...sizes].sort((a, b) => b - a),
      'largest first',
    );
  }
  // a hand-made rule set has no probability
  const rules = JSON.parse(readFileSync(RULES, 'utf8'));
  assert.equal(ls.score(ls.loadLeads(csv(), { rules }), rules).ledger(0).learned, undefined);
  learner.dispose();
});

test('too little data: refused with the numbers', { skip }, () => {
  const leads = ls.loadLeads(csv().split('\n').slice(0, 501).join('\n'));
  assert.throws(
    () => ls.learn(leads, leads.outcomes('converted')),
    (e) => e.code === 'too_little_data' && /these leads have 500 known outcomes/.test(e.message),
  );
});

test('worker: progress, the in-process report, cancel, lead factors, channels', { skip }, async () => {
  const w = await remote.workspace();
  const rules = JSON.parse(readFileSync(RULES, 'utf8'));
  await w.loadLeads({ input: csv(), rules: { a: rules } });
  await assert.rejects(w.learn({}), (e) => e instanceof LeadScoreError && e.code === 'state');
  await w.setOutcomes({ source: 'column', column: 'converted' });
  const events = [];
  const r = await w.learn({ options: { folds: 4 } }, { onProgress: (p) => events.push(p) });
  assert.ok(events.length >= 6);
  for (let k = 1; k < events.length; k++) assert.ok(events[k].done >= events[k - 1].done);
  const leads = ls.loadLeads(csv()); // the workspace reads columns by their headers
  const here = ls.learn(leads, leads.outcomes('converted'), { folds: 4 });
  assert.deepEqual(r.report, here.result().report);
  const lead = await w.learnedLead({ lead: 3, top: 2 });
  assert.deepEqual(lead, here.lead(3, 2));
  assert.equal(lead.factors.length, 2);
  // the learned rule set as a variant: its ledger carries the probability and top factors
  await w.setRules({ variant: 'learned', rules: r.ruleSet });
  const { ledger } = await w.ledger({ variant: 'learned', lead: 3 });
  assert.deepEqual(ledger.learned, ls.score(leads, r.ruleSet).ledger(3).learned);
  assert.equal(ledger.learned.factors.length, 3);
  assert.equal((await w.ledger({ variant: 'a', lead: 3 })).ledger.learned, undefined);
  // cancel while it runs: rejected as cancelled, and the worker carries on
  const ctrl = new AbortController();
  const running = w.learn({ variant: 'a' }, { signal: ctrl.signal, onProgress: () => ctrl.abort() });
  await assert.rejects(running, (e) => e instanceof LeadScoreError && e.code === 'cancelled');
  const again = await w.learn({ variant: 'a', options: { c: 0.1 } });
  assert.ok(again.report.rulesAsFeatures.length > 0);
  const ch = await w.channels({ variant: 'a', column: 'country' });
  assert.equal(
    ch.channels.reduce((n, c) => n + c.leads, 0),
    3000,
  );
  assert.ok(ch.channels.every((c) => c.lift === null || c.lift >= 0));
  await w.dispose();
});
