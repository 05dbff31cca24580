// Does the visitor snippet slow the host page? The example site's home page (dist/site) in
// Chromium, with and without the snippet's two lines, both served by scripts/serve.mjs on the
// loopback: the load event, Largest Contentful Paint and (with the snippet) when the visitor was
// first scored. Robust against a shared machine: a few warm-up pairs are dropped, then pairs of
// runs alternate their order (with/without, without/with, ...), each in a fresh context (cold
// cache), with CPU throttling explicitly off (CDP rate 1); it reports medians, the interquartile
// range, the median of the paired differences with a bootstrap 95 % interval, and the machine's
// load average. Once on the loopback as is, once with the network throttled (CDP: 40 ms latency,
// 10 Mbit/s down) as a stand-in for a real visitor's connection.
// Results go to bench/EMBED.md by hand.
//   node bench/embed-load.mjs [--runs 40] [--warmup 3]
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, siteCsp } from '../scripts/serve.mjs';
import { STUB_AFTER_LOAD, STUB_AFTER_LOAD_HASH } from '../wasm/visitor/stub.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const arg = (name, dflt) => {
  const k = process.argv.indexOf(name);
  return k > 0 ? Number(process.argv[k + 1]) : dflt;
};
const runs = arg('--runs', 40);
const warmup = arg('--warmup', 3);

const dir = mkdtempSync(join(tmpdir(), 'ls-embed-load-'));
cpSync(`${root}dist/site`, dir, { recursive: true });
const home = readFileSync(join(dir, 'index.html'), 'utf8');
const without = home.replace(/ *<!-- leadscore visitor snippet[^\n]*\n *<script>[^\n]*\n *<script async[^\n]*\n/, '');
if (without === home) throw new Error('could not find the snippet in dist/site/index.html');
writeFileSync(join(dir, 'without.html'), without);
// The third way: the queue line also inserts the runtime's tag once the page has loaded, so not
// even the script is on the load path (docs/embed.md: STUB_AFTER_LOAD, with its own hash).
const afterLoad = home.replace(
  / *<script>window\.leadscore[^\n]*\n *<script async[^\n]*\n/,
  `    <script>${STUB_AFTER_LOAD}</script>\n`,
);
if (afterLoad === home) throw new Error('could not replace the snippet in dist/site/index.html');
writeFileSync(join(dir, 'afterload.html'), afterLoad);
const { server, url } = await serve({
  dir,
  csp: siteCsp().replace("script-src 'self'", `script-src 'self' ${STUB_AFTER_LOAD_HASH}`),
});
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
});

async function once(page, throttle) {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await p.addInitScript(() => {
    window.__lcp = 0;
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__lcp = e.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    window.addEventListener('leadscore:score', () => (window.__scored ??= performance.now()));
  });
  const cdp = await ctx.newCDPSession(p);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  if (throttle) {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 40,
      downloadThroughput: (10 * 1024 * 1024) / 8,
      uploadThroughput: (5 * 1024 * 1024) / 8,
    });
  }
  await p.goto(`${url}${page}`, { waitUntil: 'load' });
  if (page !== 'without.html') await p.waitForFunction(() => window.__scored, null, { timeout: 60_000 });
  await p.waitForTimeout(100);
  const r = await p.evaluate(() => ({
    load: performance.getEntriesByType('navigation')[0].loadEventStart,
    lcp: window.__lcp,
    scored: window.__scored ?? null,
  }));
  await ctx.close();
  return r;
}

const quantile = (a, q) => {
  const s = [...a].sort((x, y) => x - y);
  const i = (s.length - 1) * q;
  return s[Math.floor(i)] + (s[Math.ceil(i)] - s[Math.floor(i)]) * (i - Math.floor(i));
};
const median = (a) => quantile(a, 0.5);
// A bootstrap 95 % interval of the median of the paired differences (seeded: reproducible).
function bootstrap(d, rounds = 2000) {
  let seed = 22;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const meds = [];
  for (let r = 0; r < rounds; r++) meds.push(median(d.map(() => d[Math.floor(rand() * d.length)])));
  return [quantile(meds, 0.025), quantile(meds, 0.975)];
}
const f = (x) => x.toFixed(0);
const load0 = loadavg();
const PAGES = { with: 'index.html', without: 'without.html', afterLoad: 'afterload.html' };
for (const throttle of [false, true]) {
  const res = { with: [], without: [], afterLoad: [] };
  for (let i = 0; i < warmup + runs; i++) {
    // Rotate which page goes first, so a drift of the machine's load hits all three alike.
    const order = Object.keys(PAGES);
    for (let k = 0; k < i % 3; k++) order.push(order.shift());
    const round = {};
    for (const side of order) round[side] = await once(PAGES[side], throttle);
    if (i >= warmup) for (const side of order) res[side].push(round[side]);
  }
  const spread = (a) => `${f(median(a))} (IQR ${f(quantile(a, 0.25))}–${f(quantile(a, 0.75))})`;
  const line = (key) => {
    const wo = res.without.map((r) => r[key]);
    const vs = (side) => {
      const d = res[side].map((r, i) => r[key] - wo[i]);
      const [lo, hi] = bootstrap(d);
      return `${spread(res[side].map((r) => r[key]))}, paired difference ${f(median(d))} (95 % CI ${f(lo)} to ${f(hi)})`;
    };
    return `${key}: without ${spread(wo)}\n    with the snippet ${vs('with')}\n    inserted after load ${vs('afterLoad')}`;
  };
  console.log(
    `${throttle ? 'throttled (40 ms, 10 Mbit/s)' : 'loopback'}, ${runs} rounds (after ${warmup} warm-up), ms:`,
  );
  console.log(`  ${line('load')}\n  ${line('lcp')}`);
  for (const side of ['with', 'afterLoad'])
    console.log(`  first visitor score (${side}): ${spread(res[side].map((r) => r.scored))}`);
}
const load1 = loadavg();
console.log(
  `load average (1, 5, 15 min): before ${load0.map((x) => x.toFixed(1)).join(' ')}, after ${load1.map((x) => x.toFixed(1)).join(' ')}`,
);
await browser.close();
server.close();
rmSync(dir, { recursive: true, force: true });
