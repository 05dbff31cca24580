// scripts/serve.mjs's embed options (docs/embed.md): the example site mounted under
// /examples/site/ with its own policy (no 'unsafe-inline', no 'unsafe-eval', the snippet by its
// hash, 'wasm-unsafe-eval'), the package origin's CORS header, and framing relaxed only for the
// origins given. A mount must not open a way out of its folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CSP, cspFramedBy, serve, siteCsp } from '../../scripts/serve.mjs';
import { STUB_HASH } from '../../wasm/visitor/stub.mjs';

test('framing: only the origins given, nothing else changes', () => {
  assert.equal(cspFramedBy([]), CSP);
  const framed = cspFramedBy(['https://a.example', 'https://b.example']);
  assert.match(framed, /frame-ancestors https:\/\/a\.example https:\/\/b\.example$/);
  assert.equal(framed.replace(/frame-ancestors .*$/, ''), CSP.replace(/frame-ancestors .*$/, ''));
});

test('the site policy: hash, wasm, package origin; never unsafe-inline or unsafe-eval', () => {
  const p = siteCsp(['https://cdn.example']);
  assert.ok(p.includes(STUB_HASH));
  assert.match(p, /script-src 'self' https:\/\/cdn\.example .*'wasm-unsafe-eval'/);
  assert.match(p, /connect-src 'self' https:\/\/cdn\.example;/);
  assert.doesNotMatch(p, /unsafe-inline|'unsafe-eval'/);
});

test('mounts serve their folder with their policy; cors adds the header; no way out', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ls-serve-'));
  mkdirSync(join(dir, 'web'));
  mkdirSync(join(dir, 'site'));
  writeFileSync(join(dir, 'web/index.html'), 'page');
  writeFileSync(join(dir, 'site/index.html'), 'site');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  const { server, url } = await serve({
    dir: join(dir, 'web'),
    cors: true,
    mounts: [{ prefix: '/examples/site/', dir: join(dir, 'site'), csp: siteCsp() }],
  });
  try {
    const page = await fetch(url);
    assert.equal(await page.text(), 'page');
    assert.equal(page.headers.get('content-security-policy'), CSP);
    assert.equal(page.headers.get('access-control-allow-origin'), '*');
    const site = await fetch(`${url}examples/site/`);
    assert.equal(await site.text(), 'site');
    assert.equal(site.headers.get('content-security-policy'), siteCsp());
    for (const p of [
      'examples/site/../../secret.txt',
      'examples/site/%2e%2e/%2e%2e/secret.txt',
      'examples/site/..%2f..%2fsecret.txt',
    ]) {
      const r = await fetch(`${url}${p}`);
      assert.notEqual(await r.text(), 'secret', p);
    }
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
