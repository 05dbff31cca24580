// Rule-set files the page reads (web/src/rules/ruleFile.js): refused past the size limit from
// Blob.size and while reading (a Blob bigger than it said), and refused when not UTF-8 at the
// first invalid byte — checked against Python's own UTF-8 decoder on random inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { firstInvalidByte, locateByte, readRuleFile } from '../../web/src/rules/ruleFile.js';
import { rng } from './prng.mjs';

const latin1 = (s) => Buffer.from(s, 'latin1');

test('invalid UTF-8 is refused at its line and column (characters, not bytes)', async () => {
  const bytes = Buffer.concat([Buffer.from('{\n  "rules": [\n    {"id": "ñé'), latin1('caf\xe9", "points": 1}]}')]);
  await assert.rejects(readRuleFile(new Blob([bytes]), 1e6), (e) => {
    assert.equal(e.code, 'encoding');
    assert.deepEqual([e.line, e.column], [3, 18]); // 4 spaces, {"id": " (9), ñ é c a f: é is the 18th
    assert.match(e.message, /not valid UTF-8 text: byte 0xE9 .* save it as UTF-8/);
    return true;
  });
});

test('valid UTF-8 is read as it is; a byte-order mark is dropped', async () => {
  const text = '{"rules": [{"id": "café ✓ 𝄞", "points": 1}]}';
  assert.equal(await readRuleFile(new Blob([text]), 1e6), text);
  assert.equal(await readRuleFile(new Blob(['\ufeff' + text]), 1e6), text);
});

test('the size limit: refused from Blob.size, and while reading a Blob that said less', async () => {
  await assert.rejects(readRuleFile(new Blob(['x'.repeat(101)]), 100), /the file is 101 bytes; .* at most 100 bytes/);
  assert.equal((await readRuleFile(new Blob(['x'.repeat(100)]), 100)).length, 100);
  let pulled = 0;
  const liar = {
    size: 10, // claims 10 bytes, streams 1 MiB chunks without end
    stream: () =>
      new ReadableStream({
        pull: (c) => {
          pulled++;
          c.enqueue(new Uint8Array(1 << 20));
        },
      }),
  };
  await assert.rejects(readRuleFile(liar, 64 << 20), (e) => e.code === 'limit' && /at most 64 MiB/.test(e.message));
  assert.ok(pulled <= 67, `read ${pulled} MiB`);
  await assert.rejects(readRuleFile({ size: 500 << 20, stream: () => assert.fail('read') }, 64 << 20), /500 MiB/);
});

// Python's decoder (an independent implementation) says where the first invalid byte is.
function pythonOffsets(cases) {
  const script =
    'import sys, json\nout = []\nfor h in json.load(sys.stdin):\n  b = bytes.fromhex(h)\n' +
    '  try:\n    b.decode("utf-8"); out.append(-1)\n  except UnicodeDecodeError as e:\n    out.append(e.start)\n' +
    'print(json.dumps(out))';
  const input = JSON.stringify(cases.map((b) => Buffer.from(b).toString('hex')));
  return JSON.parse(execFileSync('python3', ['-c', script], { input }).toString());
}

test('the first invalid byte agrees with Python on 400 random inputs', () => {
  const r = rng(28);
  const pieces = ['a', '\n', 'é', '✓', '𝄞', '"id"', ' '];
  const bad = [
    [0xe9],
    [0x80],
    [0xc0, 0xaf],
    [0xed, 0xa0, 0x80],
    [0xf4, 0x90, 0x80, 0x80],
    [0xe2, 0x9c],
    [0xff],
    [0xf0, 0x9d],
  ];
  const cases = [];
  for (let i = 0; i < 400; i++) {
    const parts = [];
    for (let k = Math.floor(r() * 30); k > 0; k--) parts.push(Buffer.from(pieces[Math.floor(r() * pieces.length)]));
    for (let k = Math.floor(r() * 3); k > 0; k--)
      parts.splice(Math.floor(r() * (parts.length + 1)), 0, Buffer.from(bad[Math.floor(r() * bad.length)]));
    cases.push(new Uint8Array(Buffer.concat(parts)));
  }
  const expected = pythonOffsets(cases);
  let invalid = 0;
  for (const [i, bytes] of cases.entries()) {
    let valid = true;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      valid = false;
    }
    assert.equal(valid, expected[i] === -1, `case ${i}: ${Buffer.from(bytes).toString('hex')}`);
    if (valid) continue;
    invalid++;
    assert.equal(firstInvalidByte(bytes), expected[i], `case ${i}: ${Buffer.from(bytes).toString('hex')}`);
  }
  assert.ok(invalid > 200, `${invalid} invalid inputs`);
});

test('locateByte counts lines and characters before the byte', () => {
  const b = new TextEncoder().encode('ab\nc𝄞é\nxyz');
  assert.deepEqual(locateByte(b, 0), { line: 1, column: 1 });
  assert.deepEqual(locateByte(b, 3), { line: 2, column: 1 });
  assert.deepEqual(locateByte(b, 3 + 1 + 4 + 2), { line: 2, column: 4 });
  assert.deepEqual(locateByte(b, b.length), { line: 3, column: 4 });
});
