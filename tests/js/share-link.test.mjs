// Share links (web/src/app/share.js): a link round-trips its rule set, and a compressed bomb (a
// small link that would inflate to gigabytes) is refused with a clear message after inflating
// little more than the 1 MiB limit, in bounded time and memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { countInflaterInput, uncountInflaterInput } from './inflater-counter.mjs';
import { MAX_SHARED, inflateAtMost, maxCompressed, readFragment, shareFragment } from '../../web/src/app/share.js';

const link = (bytes) => '#rules=' + Buffer.from(bytes).toString('base64url');

test('a share link round-trips its rule set', async () => {
  const rules = { name: 'r', rules: [{ id: 'a', points: 3, when: { '==': [{ var: 'x' }, 1] } }] };
  assert.deepEqual(await readFragment(await shareFragment(rules)), rules);
});

test('a compressed bomb is refused while it inflates, not after', async () => {
  // 1 GiB of spaces in one JSON string deflates to ~1 MB; build it in pieces to keep the test
  // small: deflate of a 64 MiB run (~64 KB), which already inflates far past the limit.
  const bomb = deflateRawSync(Buffer.alloc(64 << 20, 0x20), { level: 9 });
  assert.ok(bomb.length < 200 << 10, `bomb is ${bomb.length} bytes`);
  const t0 = performance.now();
  const heap0 = process.memoryUsage().arrayBuffers;
  await assert.rejects(readFragment(link(bomb)), /larger than 1024 KB once unpacked: import it as a file/);
  const ms = performance.now() - t0;
  assert.ok(ms < 2000, `took ${ms} ms`);
  assert.ok(process.memoryUsage().arrayBuffers - heap0 < 32 << 20, 'inflated far past the limit');
});

test('the limit is exact: MAX_SHARED bytes pass, one more is refused', async () => {
  const ok = deflateRawSync(Buffer.alloc(MAX_SHARED, 0x20));
  assert.equal((await inflateAtMost(ok, MAX_SHARED)).length, MAX_SHARED);
  const over = deflateRawSync(Buffer.alloc(MAX_SHARED + 1, 0x20));
  await assert.rejects(inflateAtMost(over, MAX_SHARED));
});

test('a damaged link says so', async () => {
  await assert.rejects(readFragment('#rules=AAAA_____'), /damaged/);
  assert.equal(await readFragment('#other'), null);
});

// (That a bomb is fed a little at a time is tested in Chromium, tests/e2e/bad-inputs.test.mjs:
// Node's inflater buffers its input anyway.)
async function fedWhileRefusing(bytes) {
  countInflaterInput();
  try {
    await assert.rejects(inflateAtMost(bytes, MAX_SHARED));
  } finally {
    uncountInflaterInput();
  }
  return globalThis.__inflaterInput;
}

test('a link too long to unpack within the limit is refused before inflating (1.96 MB link)', async () => {
  const noise = Buffer.alloc(1_470_000);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  const hash = link(noise);
  assert.ok(hash.length > 1_960_000, `${hash.length} characters`);
  await assert.rejects(readFragment(hash), /the shared link is too long \(1914 KB\).*at most 1024 KB once unpacked/);
  assert.equal(await fedWhileRefusing(noise), 0, 'nothing inflated');
  // The bound is deflate's own overhead: stored (incompressible) data of MAX_SHARED bytes fits it.
  const stored = deflateRawSync(noise.subarray(0, MAX_SHARED), { level: 0 });
  assert.ok(stored.length <= maxCompressed(MAX_SHARED), `${stored.length} > ${maxCompressed(MAX_SHARED)}`);
  assert.equal((await inflateAtMost(stored, MAX_SHARED)).length, MAX_SHARED);
});
