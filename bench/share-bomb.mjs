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

const mib = Number(process.argv[2] ?? 256);
const files = [fileURLToPath(new URL('../web/src/app/share.js', import.meta.url)), ...process.argv.slice(3)];
const bomb = deflateRawSync(Buffer.alloc(mib << 20, 0x20), { level: 9 });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
const page = await browser.newPage();
await page.goto('data:text/html,<p>bench</p>');

function measure([src, b64]) {
  const Native = globalThis.DecompressionStream;
  let fed = 0;
  const Counting = class {
    constructor(format) {
      const d = new Native(format);
      const count = new TransformStream({ transform: (c, out) => ((fed += c.length), out.enqueue(c)) });
      count.readable.pipeTo(d.writable).catch(() => {});
      this.writable = count.writable;
      this.readable = d.readable;
    }
  };
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const mod = new Function('DecompressionStream', `${src}; return { inflateAtMost, MAX_SHARED };`)(Counting);
  const t0 = performance.now();
  return mod.inflateAtMost(bytes, mod.MAX_SHARED).then(
    (out) => ({ result: `inflated ${out.length} B`, ms: performance.now() - t0, fed }),
    (e) => ({ result: `refused (${e.constructor.name})`, ms: performance.now() - t0, fed }),
  );
}

console.log(`bomb: ${mib} MiB of spaces, ${bomb.length.toLocaleString('en-US')} B deflated`);
for (const f of files) {
  const src = readFileSync(f, 'utf8').replace(/^export /gm, '');
  const r = await page.evaluate(measure, [src, bomb.toString('base64')]);
  console.log(`${f}: ${r.result} in ${r.ms.toFixed(0)} ms, ${r.fed.toLocaleString('en-US')} compressed B fed`);
}
await browser.close();
