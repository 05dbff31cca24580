// The embed, end to end in Chromium (docs/embed.md): the example marketing site (dist/site) is
// served from one origin (127.0.0.1:A) and the npm package (dist/package, as packed) from another
// (localhost:B), as a site using a CDN would. The snippet loads from the package origin; five page
// views and the demo form are recorded; the score equals the native CLI's for the same events
// and rules; `cross` fires once per threshold; no request goes anywhere but the two origins;
// without consent nothing is stored; <lead-scorer> on the host page scores a CSV as the CLI does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, CLI, cliSummary, root } from './browser.mjs';
import { serve, siteCsp } from '../../scripts/serve.mjs';
import { stage } from '../../scripts/pack.mjs';

const skip = !existsSync(`${root}dist/site/index.html`)
  ? 'dist/site is missing: ./scripts/build.sh module'
  : !existsSync(CHROMIUM)
    ? 'Chromium is not installed'
    : !existsSync(CLI)
      ? 'the CLI is missing: ./scripts/build.sh'
      : false;

let env;
before(async () => {
  if (skip) return;
  const pkgDir = stage();
  const pkg = await serve({ dir: pkgDir, cors: true });
  const pkgOrigin = `http://localhost:${pkg.server.address().port}`;
  // The site's pages load the runtime from the package origin instead of their own /leadscore/.
  const siteDir = mkdtempSync(join(tmpdir(), 'ls-site-'));
  cpSync(`${root}dist/site`, siteDir, { recursive: true });
  rmSync(join(siteDir, 'leadscore'), { recursive: true, force: true });
  for (const f of readdirSync(siteDir).filter((f) => f.endsWith('.html'))) {
    const html = readFileSync(join(siteDir, f), 'utf8').replaceAll('src="leadscore/', `src="${pkgOrigin}/`);
    writeFileSync(join(siteDir, f), html);
  }
  const site = await serve({ dir: siteDir, csp: siteCsp([pkgOrigin]) });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'].concat([
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ]),
  });
  env = { browser, site: site.url.replace(/\/$/, ''), pkg: pkgOrigin, servers: [site.server, pkg.server], siteDir };
});
after(async () => {
  await env?.browser.close();
  for (const s of env?.servers ?? []) s.close();
  if (env) rmSync(env.siteDir, { recursive: true, force: true });
});

/** A fresh context where every request is recorded and any request off the two origins is refused. */
async function context() {
  const ctx = await env.browser.newContext();
  const requests = [],
    errors = [];
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    const origin = new URL(url).origin;
    return origin === env.site || origin === env.pkg ? route.continue() : route.abort();
  });
  const crosses = [];
  await ctx.exposeBinding('__crossed', (_src, name) => crosses.push(name));
  await ctx.addInitScript(() => {
    document.addEventListener('leadscore:cross', (e) => window.__crossed(e.detail.threshold.name));
    window.addEventListener('leadscore:ready', () => (window.__leadscoreReady = true));
  });
  ctx.on('page', (p) => {
    p.on('pageerror', (e) => errors.push(e.message));
    p.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  });
  return { ctx, page: await ctx.newPage(), requests, errors, crosses };
}

/** Opens a page of the site and waits until the snippet has recorded and scored it. */
async function visit(page, path, pageViews) {
  await page.goto(`${env.site}${path}`);
  await page.waitForFunction(() => window.__leadscoreReady && window.leadscore.current?.(), null, { timeout: 30_000 });
  if (pageViews !== undefined)
    await page.waitForFunction(
      (n) => window.leadscore.export().events.filter((e) => e.type === 'page_view').length === n,
      pageViews,
    );
}

const offOrigin = (requests) =>
  requests.filter((u) => ![env.site, env.pkg].includes(new URL(u).origin) && !u.startsWith('data:'));

test('without consent nothing is stored, and nothing leaves the two origins', { skip }, async () => {
  const { ctx, page, requests, errors } = await context();
  for (const p of ['/index.html', '/pricing.html', '/features.html']) await visit(page, p);
  assert.equal(await page.evaluate(() => window.leadscore.current().tier), 'Cold');
  const stored = await page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    cookies: document.cookie,
    idb: (await indexedDB.databases()).length,
  }));
  assert.deepEqual(stored, { local: 0, session: 0, cookies: '', idb: 0 });
  assert.equal(await page.locator('#consent').isVisible(), true, 'the consent banner is shown');
  assert.deepEqual(offOrigin(requests), []);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('five page views and the demo form: score equals the CLI, cross fires once per threshold', { skip }, async () => {
  const { ctx, page, requests, errors, crosses } = await context();
  await visit(page, '/index.html', 1);
  await page.click('#consent-yes');
  assert.equal(await page.evaluate(() => window.leadscore.hasConsent()), true);
  await visit(page, '/features.html', 2);
  await visit(page, '/pricing.html?utm_source=newsletter&utm_medium=email&utm_campaign=spring', 3);
  await visit(page, '/index.html', 4);
  await visit(page, '/contact.html', 5);
  assert.deepEqual(crosses, ['Warm'], 'Warm passed once (at the pricing page)');
  assert.equal(await page.locator('#hot-cta').isVisible(), false, 'no demo offer for a warm visitor');

  await page.fill('input[name=name]', 'Ann Lee');
  await page.fill('input[name=email]', 'ann@example.com');
  await page.fill('input[name=title]', 'VP Sales');
  await page.fill('input[name=employees]', '450');
  await page.click('button[type=submit]');
  await page.waitForFunction(() => window.leadscore.current().ledger.rules.some((r) => r.id === 'exec'));
  await page.locator('#hot-cta').waitFor({ state: 'visible' });

  const got = await page.evaluate(() => ({
    state: window.leadscore.export(),
    score: window.leadscore.current(),
    asOf: new Date().toISOString().slice(0, 10),
    stored: JSON.parse(localStorage.getItem('leadscore:visitor')),
    field: document.querySelector('input[name=lead_score]').value,
  }));
  const types = got.state.events.map((e) => e.type);
  assert.equal(types.filter((t) => t === 'page_view').length, 5);
  assert.deepEqual(
    got.state.events.filter((e) => e.type === 'form_submit').map((e) => e.form),
    ['demo'],
  );
  assert.equal(got.stored.events.length, got.state.events.length, 'what is scored is what is stored');
  assert.equal(got.state.properties.utm_campaign, 'spring');
  assert.equal(got.score.tier, 'Hot');

  // The CLI scores the same visitor (one lead) and events with the same rules.
  const dir = mkdtempSync(join(tmpdir(), 'ls-embed-'));
  try {
    writeFileSync(join(dir, 'leads.json'), JSON.stringify([got.state.properties]));
    writeFileSync(join(dir, 'events.json'), JSON.stringify(got.state.events));
    const out = execFileSync(CLI, [
      'score',
      '--rules',
      `${root}examples/site/leadscore-rules.json`,
      '--leads',
      join(dir, 'leads.json'),
      '--events',
      join(dir, 'events.json'),
      '--as-of',
      got.asOf,
      '--format',
      'json',
    ]).toString();
    const cli = JSON.parse(out)[0]._score;
    assert.equal(got.score.score, cli.total);
    assert.equal(got.score.tier, cli.tier);
    assert.deepEqual(got.score.groups, cli.groups);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // The hidden field carries a score to the form's receiver (the one at submit time or later).
  assert.ok(Number(got.field) >= 40, `hidden field ${got.field}`);

  // Each threshold passed exactly once, in order; a reload passes none again.
  assert.deepEqual(crosses, ['Warm', 'Hot', 'salesReady']);
  await visit(page, '/index.html', 6);
  assert.deepEqual(crosses, ['Warm', 'Hot', 'salesReady']);
  assert.equal(await page.locator('#hot-cta').isVisible(), true, 'the demo offer stays for a hot visitor');

  // forget() erases everything.
  await page.click('#forget');
  assert.equal(await page.evaluate(() => localStorage.length), 0);

  assert.deepEqual(offOrigin(requests), []);
  const fromPkg = requests.filter((u) => u.startsWith(env.pkg)).map((u) => new URL(u).pathname);
  assert.deepEqual([...new Set(fromPkg)].sort(), [
    '/visitor/leadscore-visitor-core.wasm',
    '/visitor/leadscore-visitor.js',
  ]);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('<lead-scorer> on the host page scores a CSV as the CLI does', { skip }, async () => {
  const { ctx, page, requests, errors } = await context();
  await page.goto(`${env.site}/scorer.html`);
  await page.locator('#scorer-status').filter({ hasText: 'Scored' }).waitFor({ timeout: 60_000 });
  const shown = await page.evaluate(() => {
    const el = document.querySelector('lead-scorer');
    const sr = el.shadowRoot;
    return {
      summary: el.summary,
      rows: sr.querySelectorAll('[part~=row]').length,
      tierBorder: getComputedStyle(sr.querySelector('[part~=tier]')).fontWeight,
      radius: getComputedStyle(el).borderTopLeftRadius,
    };
  });
  const want = cliSummary(`${root}samples/b2b-rules.json`, `${root}samples/b2b-leads.csv`);
  assert.deepEqual(Object.fromEntries(shown.summary.tiers.map((t) => [t.name, t.count])), want);
  assert.equal(shown.rows, 10);
  assert.equal(shown.tierBorder, '600', 'the host styled a part (::part(tier))');
  assert.equal(shown.radius, '12px', 'the host set a custom property (--lead-scorer-radius)');

  // A click on a lead: a composed select event with the core's ledger.
  const ledger = await page.evaluate(
    () =>
      new Promise((ok) => {
        document.addEventListener('lead-scorer:select', (e) => ok(e.detail.ledger), { once: true });
        document.querySelector('lead-scorer').shadowRoot.querySelector('[part~=row]').click();
      }),
  );
  assert.equal(typeof ledger.total, 'number');

  // A bad rule set (as a property, which wins over the attribute): a composed error event that
  // says which rule, and the message in the error part; nothing thrown at the page.
  const error = await page.evaluate(
    () =>
      new Promise((ok) => {
        const el = document.querySelector('lead-scorer');
        document.addEventListener(
          'lead-scorer:error',
          (e) => ok({ ruleId: e.detail.error.ruleId, code: e.detail.error.code }),
          {
            once: true,
          },
        );
        el.rules = { rules: [{ id: 'broken', points: 'ten' }] };
      }),
  );
  assert.equal(error.ruleId, 'broken');
  assert.match(
    await page.evaluate(
      () => document.querySelector('lead-scorer').shadowRoot.querySelector('[part~=error]').textContent,
    ),
    /points/,
  );
  assert.deepEqual(offOrigin(requests), []);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test(
  '<lead-scorer>: one run per upgrade, and a superseded slow load never overwrites the table',
  { skip },
  async () => {
    const { ctx, page, errors } = await context();
    await page.addInitScript(() => {
      window.__scored = [];
      document.addEventListener('lead-scorer:scored', (e) => window.__scored.push(e.detail.summary.rows));
    });
    // The slow file answers 1.5 s late with the first five leads only.
    const fiveLeads = readFileSync(`${root}samples/b2b-leads.csv`, 'utf8').split('\n').slice(0, 6).join('\n');
    await page.route('**/data/slow.csv', async (route) => {
      await new Promise((ok) => setTimeout(ok, 1500));
      await route.fulfill({ contentType: 'text/csv', body: fiveLeads }).catch(() => {});
    });
    await page.goto(`${env.site}/scorer.html`);
    await page.locator('#scorer-status').filter({ hasText: 'Scored' }).waitFor({ timeout: 60_000 });
    const full = await page.evaluate(() => window.__scored);
    assert.equal(full.length, 1, 'four attribute/connect callbacks at upgrade make one run');

    await page.evaluate(() => document.querySelector('lead-scorer').setAttribute('src', 'data/slow.csv'));
    await page.waitForRequest('**/data/slow.csv');
    await page.evaluate(() => document.querySelector('lead-scorer').setAttribute('src', 'data/b2b-leads.csv'));
    await page.waitForFunction(() => window.__scored.length === 2);
    await page.waitForTimeout(2500); // the slow answer has arrived by now
    const after = await page.evaluate(() => ({
      scored: window.__scored,
      tiers: document.querySelector('lead-scorer').shadowRoot.querySelectorAll('[part~=tier]').length,
      rows: document.querySelector('lead-scorer').shadowRoot.querySelectorAll('[part~=row]').length,
    }));
    assert.deepEqual(after.scored, [full[0], full[0]], 'the slow five-lead file was never scored');
    assert.ok(after.tiers > 0, 'the table of the latest run is still shown');
    assert.equal(after.rows, 10);
    assert.deepEqual(errors, []);
    await ctx.close();
  },
);
