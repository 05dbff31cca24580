// Does the visitor snippet slow the host page? The example site's home page (dist/site) in
// Chromium, with and without the snippet's two lines, alternating, fresh context (cold cache)
// each run: the load event, Largest Contentful Paint, and (with the snippet) when the visitor
// was first scored. Once on the loopback network as is, once with the network throttled (CDP:
// 40 ms latency, 10 Mbit/s down) as a stand-in for a real visitor's connection.
// Results go to bench/EMBED.md by hand (one run's figures; the VM is shared).
//   node bench/embed-load.mjs [--runs 15]
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, siteCsp } from '../scripts/serve.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const k = process.argv.indexOf('--runs');
const runs = k > 0 ? Number(process.argv[k + 1]) : 15;

const dir = mkdtempSync(join(tmpdir(), 'ls-embed-load-'));
cpSync(`${root}dist/site`, dir, { recursive: true });
const home = readFileSync(join(dir, 'index.html'), 'utf8');
const without = home.replace(/ *<!-- leadscore visitor snippet[^\n]*\n *<script>[^\n]*\n *<script async[^\n]*\n/, '');
if (without === home) throw new Error('could not find the snippet in dist/site/index.html');
writeFileSync(join(dir, 'without.html'), without);
const { server, url } = await serve({ dir, csp: siteCsp() });
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
  if (throttle) {
    const cdp = await ctx.newCDPSession(p);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 40,
      downloadThroughput: (10 * 1024 * 1024) / 8,
      uploadThroughput: (5 * 1024 * 1024) / 8,
    });
  }
  await p.goto(`${url}${page}`, { waitUntil: 'load' });
  if (page === 'index.html') await p.waitForFunction(() => window.__scored, null, { timeout: 60_000 });
  await p.waitForTimeout(100);
  const r = await p.evaluate(() => ({
    load: performance.getEntriesByType('navigation')[0].loadEventStart,
    lcp: window.__lcp,
    scored: window.__scored ?? null,
  }));
  await ctx.close();
  return r;
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
for (const throttle of [false, true]) {
  const res = { with: [], without: [] };
  for (let i = 0; i < runs; i++) {
    res.with.push(await once('index.html', throttle));
    res.without.push(await once('without.html', throttle));
  }
  const m = (side, key) => median(res[side].map((r) => r[key])).toFixed(1);
  console.log(
    `${throttle ? 'throttled (40 ms, 10 Mbit/s)' : 'loopback'}, ${runs} runs, medians in ms: ` +
      `load event ${m('without', 'load')} without / ${m('with', 'load')} with the snippet; ` +
      `LCP ${m('without', 'lcp')} / ${m('with', 'lcp')}; first visitor score at ${m('with', 'scored')}`,
  );
}
await browser.close();
server.close();
rmSync(dir, { recursive: true, force: true });
