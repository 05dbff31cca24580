// scripts/serve.mjs answers every request and never stops on one: a bounded, seeded set of
// hostile request paths (NUL, bad percent-encoding, traversal, long paths, encoded slashes,
// folders, random bytes) is sent over raw sockets to the server running as its own process on
// 127.0.0.1; each gets a 2xx or 4xx answer, nothing outside the served folder is returned, and
// the server still serves / afterwards. The server is killed at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rng } from './prng.mjs';

const SERVE = fileURLToPath(new URL('../../scripts/serve.mjs', import.meta.url));
const SECRET = 'SECRET-OUTSIDE-THE-SERVED-FOLDER';
let tmp, child, port;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'leadscore-serve-'));
  writeFileSync(join(tmp, 'secret.txt'), SECRET);
  const site = join(tmp, 'site');
  mkdirSync(join(site, 'sub'), { recursive: true });
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>served</title>');
  writeFileSync(join(site, 'sub', 'a.txt'), 'inside');
  child = spawn(process.execPath, [SERVE, '--port', '0', '--host', '127.0.0.1', '--dir', site], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  port = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error('serve.mjs did not start')), 10000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(Number(m[1]));
      }
    });
    child.once('exit', (code) => fail(new Error(`serve.mjs exited with ${code}`)));
  });
});

after(() => {
  child?.kill();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// One raw request; resolves with { status, body } (status 0 when the connection closed without
// an answer). Bounded by a 5 s timeout.
function request(rawPath) {
  return new Promise((ok, fail) => {
    const sock = connect(port, '127.0.0.1');
    const chunks = [];
    const timer = setTimeout(() => {
      sock.destroy();
      fail(new Error(`no answer to ${JSON.stringify(rawPath.toString('latin1').slice(0, 80))}`));
    }, 5000);
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', () => {});
    sock.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      ok({ status: m ? Number(m[1]) : 0, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    sock.write(
      Buffer.concat([
        Buffer.from('GET '),
        Buffer.isBuffer(rawPath) ? rawPath : Buffer.from(rawPath, 'latin1'),
        Buffer.from(' HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
      ]),
    );
  });
}

function hostilePaths() {
  const fixed = [
    '/%00',
    '/%00.html',
    '/index.html%00',
    '/sub/%00/a.txt',
    '/\0',
    '/%',
    '/%zz',
    '/%e0%a4%a',
    '/%c0%af',
    '/%ff%fe',
    '/..',
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/sub/../../secret.txt',
    '/sub/%2e%2e/%2e%2e/secret.txt',
    '//../secret.txt',
    '/%2f..%2f..%2fsecret.txt',
    '/sub%2fa.txt',
    '/sub',
    '/sub/',
    '/sub//',
    '/.',
    '/./',
    '*',
    'http://127.0.0.1/../secret.txt',
    '/' + 'a'.repeat(5000),
    '/' + 'a/'.repeat(3000),
    '/' + '%2e%2e/'.repeat(500) + 'secret.txt',
    '/' + 'x'.repeat(300) + '.html',
  ];
  const random = rng(28);
  const out = [...fixed];
  for (let i = 0; i < 300; i++) {
    const n = 1 + Math.floor(random() * 40);
    const bytes = [0x2f];
    for (let k = 0; k < n; k++) bytes.push(Math.floor(random() * 256));
    const buf = Buffer.from(bytes);
    if (i % 2) {
      // percent-encoded, so every byte reaches the handler
      out.push('/' + [...buf.subarray(1)].map((b) => '%' + b.toString(16).padStart(2, '0')).join(''));
    } else {
      // raw, without CR, LF and space (which end the request line): the parser may refuse it
      out.push(Buffer.from(bytes.filter((b) => b !== 0x0d && b !== 0x0a && b !== 0x20)));
    }
  }
  return out;
}

test('every hostile request path gets a 2xx or 4xx answer and nothing from outside', async () => {
  const paths = hostilePaths();
  assert.ok(paths.length > 300);
  for (const p of paths) {
    const { status, body } = await request(p);
    const shown = JSON.stringify((Buffer.isBuffer(p) ? p.toString('latin1') : p).slice(0, 80));
    assert.ok((status >= 200 && status < 300) || (status >= 400 && status < 500), `${shown} → ${status}`);
    assert.ok(!body.includes(SECRET), `${shown} returned a file outside the served folder`);
    assert.equal(child.exitCode, null, `the server exited after ${shown}`);
  }
  const home = await request('/');
  assert.equal(home.status, 200);
  assert.match(home.body, /served/);
  assert.equal((await request('/sub/a.txt')).status, 200);
});
