// The module is built with WebAssembly exception handling (-fwasm-exceptions, not Emscripten's
// JS-emulated -fexceptions): C++ exceptions thrown anywhere in the core are still caught at the
// boundary and reach JS as LeadScoreError values with their code and position, the module stays
// usable after thousands of them, and caught exceptions do not leak wasm memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const path = (rel) => fileURLToPath(new URL(rel, import.meta.url));
const DIST = path('../../dist/leadscore.mjs');
const SPLIT_WASM = path('../../dist/split/leadscore.wasm');
const SPLIT_JS = path('../../dist/split/leadscore.mjs');
const skip = existsSync(DIST) ? false : 'dist/leadscore.mjs is missing: build the wasm first';
const mod = skip ? null : await import(DIST);

// Section ids of a wasm binary (after the 8-byte header: id, LEB128 size, payload).
function sections(bytes) {
  const ids = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at++];
    let size = 0,
      shift = 0,
      b;
    do {
      b = bytes[at++];
      size |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    ids.push(id);
    at += size;
  }
  return ids;
}

test(
  'the wasm uses native exception handling, not the JS invoke_* emulation',
  { skip: existsSync(SPLIT_WASM) ? false : 'split build missing' },
  () => {
    const wasm = readFileSync(SPLIT_WASM);
    assert.deepEqual([...wasm.subarray(0, 4)], [0, 0x61, 0x73, 0x6d]);
    assert.ok(sections(wasm).includes(13), 'no tag section (id 13): not built with -fwasm-exceptions');
    const loader = readFileSync(SPLIT_JS, 'utf8');
    assert.doesNotMatch(loader, /\binvoke_(v|i|ii|vi|vii|iii)\b/, 'JS-emulated exception trampolines present');
  },
);

test('exceptions from every layer of the core reach JS as LeadScoreError', { skip }, async () => {
  const ls = await mod.load();
  const { LeadScoreError } = mod;
  const leads = ls.loadLeads('title,size\nCEO,10\nVP,20\n');
  const cases = [
    [() => ls.score(leads, '{"rules": [ {"id": "a", "points": }'), 'json'], // nlohmann parse_error
    [
      () => ls.score(leads, { rules: [{ id: 'a', points: 1, when: { '==': [{ var: 'titel' }, 'CEO'] } }] }),
      'unknown_field',
    ], // RuleSetError
    [() => ls.apply({ nope: [1] }), 'logic'], // LogicError
    [() => ls.apply({ '+': [1, 'abc'] }), 'eval'], // EvalError
    [() => ls.loadLeads('a,b\n"unterminated,1\n'), 'load'], // LoadError
    [() => ls.checkRules({ rules: 5 }), null], // RuleSetError, parse
  ];
  for (const [f, code] of cases) {
    assert.throws(
      f,
      (e) => e instanceof LeadScoreError && (code === null || e.code === code) && e.message.length > 0,
      String(f),
    );
  }
  const e = (() => {
    try {
      ls.score(leads, '{"rules": [\n  {"id": "a",, "points": 1}]}');
    } catch (x) {
      return x;
    }
  })();
  assert.equal(e.code, 'json');
  assert.ok(e.line >= 2 || /line 2/.test(e.message), `position lost: ${e.message}`);
  leads.dispose();
});

test('thousands of caught exceptions leave the module working and leak no memory', { skip }, async () => {
  const m = await mod.default(); // a separate instance: its heap holds only what this test does
  const loader = () => {
    const l = new m.Loader();
    const r = JSON.parse(l.begin('{}'));
    assert.equal(r.ok, true);
    JSON.parse(l.feedText('title,size\nCEO,10\n'));
    assert.equal(JSON.parse(l.finish()).ok, true);
    const leads = l.take();
    l.delete();
    return leads;
  };
  const leads = loader();
  const s = new m.Session(leads);
  const bad = '{"rules": [{"id": "a", "points": 1, "when": {"==": [{"var": "nope"}, 1]}}]}';
  for (let i = 0; i < 200; ++i) JSON.parse(s.setRules(bad)); // warm up allocator pools
  const before = m.heapInUse();
  for (let i = 0; i < 3000; ++i) {
    const r = JSON.parse(s.setRules(bad));
    assert.equal(r.ok, false);
    assert.equal(r.error.code, 'unknown_field');
    assert.equal(JSON.parse(m.apply('{"+": [1, "x"]}', 'null')).ok, false);
  }
  const grown = m.heapInUse() - before;
  assert.ok(grown < 64 * 1024, `heap in use grew by ${grown} B over 6,000 caught exceptions`);
  const ok = JSON.parse(s.setRules('{"rules": [{"id": "a", "points": 7, "when": {">": [{"var": "size"}, 5]}}]}'));
  assert.equal(ok.ok, true);
  assert.deepEqual([...s.totalsView()], [7]);
  s.delete();
  leads.delete();
});
