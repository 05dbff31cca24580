// `npm run lint` (ESLint + Prettier --check over every JS/MJS/JSX file) must pass: a lint error
// or an unformatted file fails the JS tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('npm run lint is clean (eslint, prettier --check)', () => {
  const r = spawnSync('npm', ['run', '--silent', 'lint'], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  assert.equal(r.status, 0, `npm run lint failed:\n${r.stdout}\n${r.stderr}`);
});
