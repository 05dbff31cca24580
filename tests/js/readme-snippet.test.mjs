// README.md's JavaScript example must run as written (node --test tests/js/): the first ```js
// block in the section "## Use it from JavaScript" is extracted and run with Node from the
// repository root. The snippet imports the module as './dist/leadscore.mjs' (a path from the
// repository root, as a reader would copy it); it is run from a temporary file, with that path
// pointed at this repository's dist/. It must exit with status 0 and print something.
// Skips (with the reason) when dist/leadscore.mjs has not been built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);
const README = fileURLToPath(new URL('README.md', root));
const DIST = fileURLToPath(new URL('dist/leadscore.mjs', root));
const HEADING = '## Use it from JavaScript';
const skip = existsSync(DIST)
  ? false
  : 'dist/leadscore.mjs is missing: build it first (cmake --build build/wasm --target leadscore_single)';

// The first ```js (or ```javascript / ```mjs) block after the heading, within its section.
function extractSnippet(markdown) {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === HEADING);
  if (start < 0)
    return {
      error: `README.md has no section "${HEADING}": add it with a \`\`\`js example (see tests/js/readme-snippet.test.mjs)`,
    };
  for (let i = start + 1; i < lines.length; i++) {
    if (/^#{1,2} /.test(lines[i])) break; // the next section
    if (/^```(js|javascript|mjs)\s*$/.test(lines[i].trim())) {
      const end = lines.findIndex((l, k) => k > i && l.trim() === '```');
      if (end < 0) return { error: `the \`\`\`js block at README.md line ${i + 1} is never closed` };
      return { code: lines.slice(i + 1, end).join('\n'), line: i + 2 };
    }
  }
  return { error: `the section "${HEADING}" in README.md has no \`\`\`js code block` };
}

test('README "Use it from JavaScript": the first js example runs', { skip }, () => {
  const { code, line, error } = extractSnippet(readFileSync(README, 'utf8'));
  assert.ok(!error, error);
  assert.match(code, /dist\/leadscore\.mjs/, 'the example imports dist/leadscore.mjs');
  const distDir = new URL('dist/', root).href;
  const runnable = code.replace(/(['"])(?:\.\/)?dist\//g, `$1${distDir}`);
  const dir = mkdtempSync(join(tmpdir(), 'readme-snippet-'));
  try {
    const file = join(dir, 'snippet.mjs');
    writeFileSync(file, runnable);
    let out;
    try {
      out = execFileSync(process.execPath, [file], {
        cwd: fileURLToPath(root),
        timeout: 120_000,
        stdio: ['ignore', 'pipe', 'pipe'],
      }).toString();
    } catch (e) {
      assert.fail(
        `the README example (from line ${line}) failed with status ${e.status}:\n${e.stderr?.toString() ?? e.message}`,
      );
    }
    assert.ok(out.trim().length > 0, 'the example prints something');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
