// The page's rule builder (web/src/condition.js): what each form operator says is what the
// JsonLogic it writes does. Differential: json-logic-engine 5.0.7 (the semantics the core
// follows) evaluates the written JsonLogic; an independent plain-JS reading of the operator's
// label gives the expected answer, on random leads with missing values, wrong-typed values and
// edge cases. Also: every rule of the sample rule sets survives the form unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LogicEngine } from 'json-logic-engine';
import { OPS, fromLogic, formOf, toLogic, simplify } from '../../web/src/rules/condition.js';
import { rng } from './prng.mjs';

const samples = ['b2b-rules.json', 'bank-rules.json'].map((f) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../samples/${f}`, import.meta.url)), 'utf8')),
);
const engine = new LogicEngine();
const truthy = (v) => (Array.isArray(v) ? v.length > 0 : !!v);
const run = (logic, data) => {
  try {
    return truthy(engine.run(logic, data));
  } catch {
    return 'error';
  }
};

test('sample rules: the form shows them and writes them back unchanged', () => {
  let n = 0;
  for (const rs of samples)
    for (const r of rs.rules) {
      assert.deepEqual(toLogic(formOf(r.when)), r.when, r.id);
      n++;
    }
  assert.ok(n > 25);
});

test('shapes the form cannot show stay as custom JsonLogic, untouched', () => {
  for (const logic of [
    { '+': [1, 2] },
    { '>=': [3, { var: 'x' }] },
    { '==': [{ var: 'a' }, { var: 'b' }] },
    { if: [true, 1, 0] },
    { '!': [{ var: 'x' }] },
    { in: [{ var: 'x' }, 'abc'] },
    { var: ['x', 1] },
    { '==': [{ var: 'x' }, null] },
  ]) {
    const c = fromLogic(logic);
    assert.equal(c.kind, 'custom', JSON.stringify(logic));
    assert.deepEqual(toLogic(formOf(logic)), logic);
  }
});

// What each operator's label means, read independently of JsonLogic. `x` is the lead's value
// (undefined = missing). Numbers compare as JavaScript's loose operators do, where a missing
// value counts as 0, also for "is 0" — json-logic-engine's behaviour, which the builder warns about.
const num = (x) => (x === undefined ? 0 : x);
const MEANING = {
  eq: (x, v) => (typeof v === 'number' ? num(x) == v : x == v), // loose on purpose: JsonLogic's ==
  ne: (x, v) => (typeof v === 'number' ? num(x) != v : x != v), // loose on purpose: JsonLogic's !=
  in: (x, list) => list.includes(x),
  not_in: (x, list) => !list.includes(x),
  // (an empty text contains nothing, not even "": json-logic-engine's `in` on a falsy text)
  contains: (x, s) => typeof x === 'string' && x !== '' && x.includes(s),
  contains_any: (x, list) => typeof x === 'string' && x !== '' && list.some((s) => x.includes(s)),
  not_contains: (x, s) => !(typeof x === 'string' && x !== '' && x.includes(s)),
  gte: (x, v) => num(x) >= v,
  gt: (x, v) => num(x) > v,
  lte: (x, v) => num(x) <= v,
  lt: (x, v) => num(x) < v,
  between: (x, [a, b]) => a <= num(x) && num(x) <= b,
  true: (x) => x === true,
  false: (x) => x === false, // (written with ===: a missing value is neither)
  // (an empty text is a value here; the loader reads empty cells as missing by default)
  present: (x) => x !== undefined,
  missing: (x) => x === undefined,
  truthy: (x) => !!x,
};

test('every operator does what its label says (json-logic-engine vs a plain reading), 4,000 random cases', () => {
  const r = rng(20261201);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const words = ['CEO', 'VP Sales', 'ceo', 'Head of IT', '', 'Student', 'VP', 'Director of Ops'];
  const values = {
    string: () => pick(words),
    number: () => pick([0, 1, 3, 30, 49.5, 50, 5000, -2]),
    boolean: () => r() < 0.5,
  };
  let checked = 0;
  for (const op of OPS) {
    for (const type of op.types.filter((t) => t !== 'date')) {
      for (let k = 0; k < 80; k++) {
        const v =
          op.value === 'list'
            ? [values[type](), values[type]()]
            : op.value === 'range'
              ? [values[type](), values[type]()].sort((a, b) => a - b)
              : op.value === 'one'
                ? values[type]()
                : undefined;
        const clause =
          v === undefined
            ? { kind: 'clause', field: 'f', op: op.id }
            : { kind: 'clause', field: 'f', op: op.id, value: v };
        const logic = toLogic(clause);
        assert.deepEqual(simplify(fromLogic(logic)), clause, `${op.id} round trip`);
        for (let j = 0; j < 3; j++) {
          const x = r() < 0.2 ? undefined : values[type]();
          const got = run(logic, x === undefined ? {} : { f: x });
          assert.notEqual(got, 'error', `${JSON.stringify(logic)} on ${JSON.stringify(x)}`);
          assert.equal(got, MEANING[op.id](x, v), `${op.label}: ${JSON.stringify(logic)} on f=${JSON.stringify(x)}`);
          checked++;
        }
      }
    }
  }
  assert.ok(checked >= 4000, `${checked} cases`);
});

test('loose yes/no tests of existing rules are kept, and their meaning stated', () => {
  const loose = fromLogic({ '==': [{ var: 'f' }, false] });
  assert.deepEqual(loose, { kind: 'clause', field: 'f', op: 'false', loose: true });
  assert.deepEqual(toLogic(loose), { '==': [{ var: 'f' }, false] });
  // json-logic-engine: with ==, a missing value "is no" (null == false) but not "is yes".
  assert.equal(run(toLogic(loose), {}), true);
  assert.equal(run(toLogic({ ...loose, op: 'true' }), {}), false);
  assert.equal(
    run(toLogic({ kind: 'clause', field: 'f', op: 'false' }), {}),
    false,
    'the form writes === : missing is not "no"',
  );
});

test('groups: All of / Any of combine like and / or; nested groups too', () => {
  const a = { kind: 'clause', field: 'title', op: 'contains', value: 'VP' };
  const b = { kind: 'clause', field: 'size', op: 'gte', value: 50 };
  const c = { kind: 'clause', field: 'demo', op: 'true' };
  const tree = { kind: 'group', join: 'and', items: [a, { kind: 'group', join: 'or', items: [b, c] }] };
  const logic = toLogic(tree);
  assert.deepEqual(fromLogic(logic), tree);
  const r = rng(7);
  for (let k = 0; k < 200; k++) {
    const lead = { title: r() < 0.5 ? 'VP Sales' : 'Engineer', size: Math.floor(r() * 100), demo: r() < 0.5 };
    const want = MEANING.contains(lead.title, 'VP') && (MEANING.gte(lead.size, 50) || MEANING.true(lead.demo));
    assert.equal(run(logic, lead), want);
  }
  assert.equal(
    toLogic({ kind: 'group', join: 'and', items: [] }),
    undefined,
    'an empty group: the rule always applies',
  );
  assert.deepEqual(toLogic({ kind: 'group', join: 'or', items: [a] }), toLogic(a), 'one item: no wrapper');
});

test('text clauses ignore case and accents by default (ls:same / ls:in), and say so', async () => {
  const { addExtensionOps } = await import('./extension-ops.mjs');
  const { defaultClause, describe } = await import('../../web/src/rules/condition.js');
  const ext = addExtensionOps(new LogicEngine());
  const c = { ...defaultClause('title', 'string'), value: 'ceo' };
  assert.deepEqual(toLogic(c), { 'ls:same': [{ var: 'title' }, 'ceo'] });
  assert.equal(describe(c), 'title is ceo (any case)');
  const leads = [{ title: 'CEO' }, { title: 'Cèo' }, { title: 'CTO' }, {}];
  const cases = [
    [{ ...c, op: 'ne' }, [false, false, true, true]],
    [{ ...c, op: 'in', value: ['cto', 'VP'] }, [false, false, true, false]],
    [{ ...c, op: 'not_in', value: ['cto'] }, [true, true, false, true]],
    [{ ...c, op: 'contains', value: 'E' }, [true, true, false, false]],
    [{ ...c, op: 'contains_any', value: ['x', 't'] }, [false, false, true, false]],
    [{ ...c, op: 'not_contains', value: 'o' }, [false, false, false, true]],
    [{ ...c, anyCase: false }, [false, false, false, false]],
  ];
  for (const [clause, want] of cases) {
    const logic = toLogic(clause);
    assert.deepEqual(
      leads.map((l) => truthy(ext.run(logic, l))),
      want,
      JSON.stringify(logic),
    );
    // shown again by the form as the same clause, and written back unchanged
    assert.deepEqual(toLogic(formOf(logic)), logic);
  }
});
