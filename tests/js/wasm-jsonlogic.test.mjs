// JsonLogic through the WebAssembly API (ls.apply), node --test tests/js/:
//  - the official suite (shared/conformance/jsonlogic/tests.json): exactly 277 cases, all pass;
//  - engine-specific behaviour checked against the real json-logic-engine 5.0.7 package, whose
//    semantics leadscore follows: ~70 varied expressions (NaN arithmetic that throws, truthiness
//    of [] and {}, val/exists/??/try/throw, iterators, coercions) must give the same value, or
//    both throw with the same kind of error.
// Skips (with the reason) when dist/leadscore.mjs has not been built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LogicEngine } from 'json-logic-engine';

const distUrl = new URL('../../dist/leadscore.mjs', import.meta.url);
const skip = existsSync(fileURLToPath(distUrl))
  ? false
  : 'dist/leadscore.mjs is missing: build it first (cmake --build build/wasm --target leadscore_single)';
const mod = skip ? null : await import(distUrl.href);
const ls = skip ? null : await mod.load();

const suiteUrl = new URL('../data/jsonlogic/tests.json', import.meta.url);

// Deep equality where numbers compare numerically (1 == 1.0), as the C++ suite does.
function same(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => same(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a),
      kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]));
  }
  return a === b;
}

test('the official JsonLogic suite: 277 cases, 277 pass', { skip }, () => {
  const suite = JSON.parse(readFileSync(suiteUrl, 'utf8'));
  assert.ok(Array.isArray(suite));
  let cases = 0,
    passed = 0,
    section = '(none)';
  const failures = [];
  for (const c of suite) {
    if (typeof c === 'string') {
      section = c;
      continue;
    }
    assert.ok(Array.isArray(c) && c.length === 3, JSON.stringify(c));
    cases++;
    const [logic, data, expected] = c;
    try {
      const got = ls.apply(logic, data);
      if (same(got, expected)) passed++;
      else
        failures.push(
          `${section}: ${JSON.stringify(logic)} on ${JSON.stringify(data)} gave ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`,
        );
    } catch (e) {
      failures.push(`${section}: ${JSON.stringify(logic)} on ${JSON.stringify(data)} threw ${e.message}`);
    }
  }
  assert.deepEqual(failures, []);
  // A silently shrinking (or truncated) suite must fail, not pass vacuously.
  assert.equal(cases, 277);
  assert.equal(passed, 277);
});

// [logic, data]: evaluated by json-logic-engine and by ls.apply.
const engineCases = [
  // arithmetic: json-logic-engine throws {type: 'NaN'} where json-logic-js returns NaN
  [{ '+': ['abc', 1] }, null],
  [{ '/': [1, 0] }, null],
  [{ '%': [5, 0] }, null],
  [{ '*': ['2', '3'] }, null],
  [{ '-': ['5'] }, null],
  [{ '+': [] }, null],
  [{ '+': ['1e3', '0x10'] }, null],
  [{ '+': [true, null] }, null],
  [{ '-': [[], 1] }, null],
  [{ '+': [0.1, 0.2] }, null],
  [{ '*': [{ var: 'n' }, { var: 'm' }] }, { n: '4', m: 2.5 }],
  [{ '/': [{ var: 'revenue' }, { var: 'employees' }] }, { revenue: 1e6 }],
  // truthiness: [] and {} are falsy in json-logic-engine
  [{ '!!': [[]] }, null],
  [{ '!!': [{}] }, null],
  [{ '!': [[0]] }, null],
  [{ '!!': ['0'] }, null],
  [{ if: [[], 'yes', 'no'] }, null],
  [{ or: [0, '', [], 'x'] }, null],
  [{ and: [1, [], 2] }, null],
  [{ not: [null] }, null],
  [{ if: [false, 1, false, 2] }, null],
  [{ '?:': [true, 'a', 'b'] }, null],
  // newer-spec operators
  [{ '??': [null, 0, 5] }, null],
  [{ throw: 'boom' }, null],
  [{ try: [{ throw: 'x' }, 7] }, null],
  [{ try: [{ '/': [1, 0] }, { var: 'type' }] }, null],
  [{ val: 'a' }, { a: 3 }],
  [{ val: ['a', 'b'] }, { a: { b: 4 } }],
  [{ val: 'a.b' }, { 'a.b': 1, a: { b: 2 } }],
  [{ var: 'a.b' }, { 'a.b': 1, a: { b: 2 } }],
  [{ var: ['missing', 'dflt'] }, {}],
  [{ var: 1 }, ['a', 'b']],
  [{ exists: 'a' }, { a: null }],
  [{ exists: ['a', 'b'] }, { a: {} }],
  [{ keys: [{ var: '' }] }, { x: 1, y: 2 }],
  [{ eachKey: { a: { var: 'x' }, b: 2 } }, { x: 1 }],
  [{ get: [{ var: 'o' }, 'k', 'dflt'] }, { o: { k: 0 } }],
  [{ pipe: [5, { '*': [{ var: '' }, 2] }] }, null],
  [{ preserve: { a: 1 } }, null],
  // strings
  [{ length: 'héllo' }, null],
  [{ length: [[1, 2, 3]] }, null],
  [{ substr: ['leadscore', -5, 3] }, null],
  [{ cat: [1.5, null, [1, 2], true] }, null],
  [{ cat: [0.1, 1e21, -0] }, null],
  [{ in: ['VP', 'SVP Sales'] }, null],
  [{ in: [1, ['1', 2]] }, null],
  [{ in: [{ var: 'title' }, ['CEO', 'CTO']] }, { title: 'CTO' }],
  // comparisons and coercion
  [{ '==': [null, 0] }, null],
  [{ '==': ['', 0] }, null],
  [{ '==': [[1], 1] }, null],
  [{ '==': [true, '1'] }, null],
  [{ '===': [[1], [1]] }, null],
  [{ '!=': [1, '1'] }, null],
  [{ '<': ['a', 'b'] }, null],
  [{ '<': [null, 1] }, null],
  [{ '<': ['10', 9] }, null],
  [{ '<=': [1, 'x', 3] }, null],
  [{ '<=': [50, { var: 'size' }, 5000] }, { size: 50 }],
  [{ '>': [{ var: 'd' }, '2024-01-01'] }, { d: '2024-03-01' }],
  [{ max: [] }, null],
  [{ max: [1, '5', 3] }, null],
  [{ min: ['a', 1] }, null],
  // iterators
  [{ map: [{ var: 'xs' }, { '*': [{ var: '' }, 2] }] }, { xs: [1, 2, 3] }],
  [{ filter: [{ var: 'xs' }, { '>': [{ var: '' }, 1] }] }, { xs: [1, 2, 3] }],
  [{ reduce: [{ var: 'xs' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 10] }, { xs: [1, 2, 3] }],
  [{ all: [[], { var: '' }] }, null],
  [{ some: [{ var: 'xs' }, { '==': [{ var: 'k' }, 2] }] }, { xs: [{ k: 1 }, { k: 2 }] }],
  [{ none: [[0, false], { var: '' }] }, null],
  [{ merge: [1, [2, [3]], null] }, null],
  [{ map: [{ var: 'xs' }, { var: '../../k' }] }, { xs: [1], k: 9 }],
  [{ missing: ['a', 'b.c', 'd'] }, { a: 1, b: { c: null } }],
  [{ missing_some: [1, ['a', 'b']] }, { b: 0 }],
  // structural errors
  [{ nosuchop: [1] }, null],
  [{ throw: { type: 'custom' } }, null],
];

const engine = skip ? null : new LogicEngine();

test(
  `json-logic-engine 5.0.7 and ls.apply agree on ${engineCases.length} engine-specific expressions`,
  { skip },
  () => {
    assert.ok(engineCases.length >= 50);
    let threw = 0;
    for (const [logic, data] of engineCases) {
      const what = `${JSON.stringify(logic)} on ${JSON.stringify(data)}`;
      let want, wantError;
      try {
        // Values cross the wasm boundary as JSON (Infinity becomes null): compare the JSON forms.
        want = JSON.parse(JSON.stringify(engine.run(logic, data)) ?? 'null');
      } catch (e) {
        // The engine throws a bare NaN for NaN arithmetic, {type} objects otherwise.
        wantError = { type: typeof e === 'number' && Number.isNaN(e) ? 'NaN' : e?.type };
      }
      if (wantError === undefined) {
        let got;
        assert.doesNotThrow(() => (got = ls.apply(logic, data)), what);
        assert.ok(same(got, want), `${what}: wasm ${JSON.stringify(got)}, engine ${JSON.stringify(want)}`);
      } else {
        threw++;
        assert.throws(
          () => ls.apply(logic, data),
          (e) => {
            assert.ok(e instanceof mod.LeadScoreError && e instanceof Error, what);
            if (wantError.type === 'Unknown Operator') {
              assert.equal(e.code, 'logic', `${what}: ${e.message}`);
            } else {
              assert.equal(e.code, 'eval', `${what}: ${e.message}`);
              assert.deepEqual(e.type, wantError.type, `${what}: thrown type`);
            }
            return true;
          },
          `${what}: the engine throws ${JSON.stringify(wantError.type)}`,
        );
      }
    }
    assert.ok(threw >= 10, `${threw} cases throw in the engine`);
  },
);
