// The snippet's inline line is allowed by a Content-Security-Policy hash (docs/embed.md): every
// copy a site owner may paste (README, the guide, the package README, the example site) must be
// the exact text the hash is of, and the guides must quote that hash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { STUB, STUB_AFTER_LOAD, STUB_AFTER_LOAD_HASH, STUB_HASH } from '../../wasm/visitor/stub.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (f) => readFileSync(root + f, 'utf8');
const pages = readdirSync(`${root}examples/site`).filter((f) => f.endsWith('.html'));

test('every copy of the snippet is the hashed text', () => {
  for (const f of ['README.md', 'docs/embed.md', 'wasm/package/README.md', ...pages.map((p) => `examples/site/${p}`)]) {
    const scripts = [...read(f).matchAll(/<script>(.*?)<\/script>/gs)].map((m) => m[1]);
    assert.ok(scripts.length > 0, `${f} shows the snippet`);
    for (const s of scripts) {
      // The guide also shows the after-load form (its own hash, quoted below).
      if (f === 'docs/embed.md' && s === STUB_AFTER_LOAD) continue;
      assert.equal(s, STUB, `${f}: the inline script differs from STUB`);
    }
  }
  assert.ok(
    read('docs/embed.md').includes(`<script>${STUB_AFTER_LOAD}</script>`),
    'the guide shows the after-load form',
  );
});

test('the guides quote the hash of the snippet', () => {
  const hash = STUB_HASH.slice(1, -1);
  for (const f of ['docs/embed.md', 'wasm/package/README.md']) assert.ok(read(f).includes(hash), `${f} quotes ${hash}`);
  assert.ok(read('docs/embed.md').includes(STUB_AFTER_LOAD_HASH.slice(1, -1)), 'the guide quotes the after-load hash');
});
