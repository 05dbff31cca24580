// Shared by the page's Chromium tests: serve dist/web on 127.0.0.1 (scripts/serve.mjs, with its
// Content-Security-Policy), launch Debian's Chromium through playwright-core, and record every
// request a page makes and every console error, so tests can assert none left localhost.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from '../../scripts/serve.mjs';

export const CHROMIUM = '/usr/bin/chromium';
export const root = fileURLToPath(new URL('../../', import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL('../../build/e2e-artifacts/', import.meta.url));
export const skip = !existsSync(`${root}dist/web/index.html`)
  ? 'dist/web is missing: build the page first (./scripts/build.sh module)'
  : !existsSync(CHROMIUM)
    ? 'Chromium is not installed (scripts/setup.sh installs it)'
    : false;

export async function startBrowser() {
  mkdirSync(ARTIFACTS, { recursive: true });
  const { server, url } = await serve({ port: 0 });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    url,
    close: async () => {
      await browser.close();
      server.close();
    },
  };
}

/** A fresh browser context (empty IndexedDB) and page, with requests and errors recorded. */
export async function openPage(browser, url, { viewport = { width: 1440, height: 900 }, context } = {}) {
  const ctx = context ?? (await browser.newContext({ viewport, acceptDownloads: true }));
  const page = await ctx.newPage();
  const requests = [],
    errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  ctx.on('serviceworker', (w) => errors.push(`unexpected service worker ${w.url()}`));
  await page.goto(url);
  return { ctx, page, requests, errors };
}

/** Waits until the page shows scores for `rows` leads (or any, when omitted). */
export async function scored(page, rows) {
  await page.waitForSelector('[data-testid=lead-count]', { timeout: 60_000 });
  if (rows !== undefined)
    await page.waitForFunction(
      (n) =>
        document
          .querySelector('[data-testid=lead-count]')
          ?.textContent.endsWith(`of ${n.toLocaleString('en-US')} leads`),
      rows,
      { timeout: 120_000 },
    );
}

// ---- small helpers shared by the page tests ----
export const shot = (page, name) => page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: false });
export const text = (page, sel) => page.locator(sel).first().innerText();
export const tierCount = async (page, tier) =>
  Number((await text(page, `.tier-card[data-tier="${tier}"] .tier-count`)).replace(/,/g, ''));
export const bins = async (page) => JSON.parse(await page.locator('.chart').getAttribute('data-bins'));

// Tier counts of the native CLI for the same rules and leads: the page must agree.
export const CLI = `${root}build/native/cli/leadscore`;
export function cliSummary(rules, leads) {
  const r = execFileSync('bash', [
    '-c',
    `"${CLI}" score --rules "${rules}" --leads "${leads}" --out /dev/null 2>&1 >/dev/null`,
  ]).toString();
  return Object.fromEntries([...r.matchAll(/^ {2}(\w+): (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
}

export async function paste(page, csv) {
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Paste leads (CSV, TSV, JSON or NDJSON, with a header row)').fill(csv);
  await page.getByRole('button', { name: 'Score pasted data' }).click();
}
