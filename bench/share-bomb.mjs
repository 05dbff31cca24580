// A share-link bomb in Chromium (issue 28): how long web/src/app/share.js takes to refuse a
// deflate bomb, and how much of the compressed input it hands the inflater before it does.
// Chromium's DecompressionStream unpacks each chunk it is given in full, so this is the figure
// that bounds time and memory.
//   node bench/share-bomb.mjs [MiB inflated, default 256] [other share.js to compare, e.g. main's]
// (git show main:web/src/app/share.js > /tmp/share-main.js to compare with main.)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { countInflaterInput } from '../tests/js/inflater-counter.mjs';

const mib = Number(process.argv[2] ?? 256);
const files = [fileURLToPath(new URL('../web/src/app/share.js', import.meta.url)), ...process.argv.slice(3)];
const bomb = deflateRawSync(Buffer.alloc(mib << 20, 0x20), { level: 9 });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
const page = await browser.newPage();
await page.goto('data:text/html,<p>bench</p>');

function measure([src, b64]) {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const mod = new Function(`${src}; return { inflateAtMost, MAX_SHARED };`)();
  const t0 = performance.now();
  return mod.inflateAtMost(bytes, mod.MAX_SHARED).then(
    (out) => ({ result: `inflated ${out.length} B`, ms: performance.now() - t0, fed: globalThis.__inflaterInput }),
    (e) => ({ result: `refused (${e.constructor.name})`, ms: performance.now() - t0, fed: globalThis.__inflaterInput }),
  );
}

console.log(`bomb: ${mib} MiB of spaces, ${bomb.length.toLocaleString('en-US')} B deflated`);
for (const f of files) {
  // the module as a script: its own import inlined, exports dropped
  const src = readFileSync(f, 'utf8')
    .replace(
      /^import .*bytesAtMost.*$/m,
      readFileSync(new URL('../web/src/shared/bytesAtMost.js', import.meta.url), 'utf8'),
    )
    .replace(/^export /gm, '');
  await page.evaluate(countInflaterInput);
  const r = await page.evaluate(measure, [src, bomb.toString('base64')]);
  console.log(`${f}: ${r.result} in ${r.ms.toFixed(0)} ms, ${r.fed.toLocaleString('en-US')} compressed B fed`);
}
await browser.close();
