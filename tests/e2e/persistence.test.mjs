// Nothing lost, nothing hangs (issue 28), in Chromium: a rule set saved with errors opens with its
// errors and its data scored by the last valid rules; a damaged store opens with a message and a
// reset that recovers; two tabs on one workspace do not overwrite each other silently.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cliSummary, openPage, root, scored, shot, skip, startBrowser, text, tierCount } from './browser.mjs';

let env;
before(async () => {
  if (!skip) env = await startBrowser();
});
after(async () => {
  await env?.close();
});

const SAMPLE = cliSummary(`${root}samples/b2b-rules.json`, `${root}samples/b2b-leads.csv`);
const demoPoints = (page) =>
  page.locator('li.rule[data-rule-id="demo-request"]').getByLabel('Requested a demo: points');

// Writes values into the page's IndexedDB store directly, as a damaged store would hold them.
const writeStore = (page, entries) =>
  page.evaluate(
    (entries) =>
      new Promise((ok, fail) => {
        const r = indexedDB.open('leadscore');
        r.onerror = () => fail(r.error);
        r.onsuccess = () => {
          const db = r.result;
          const tx = db.transaction('workspace', 'readwrite');
          for (const [k, v] of entries) tx.objectStore('workspace').put(v, k);
          tx.oncomplete = () => {
            db.close();
            ok();
          };
          tx.onerror = () => fail(tx.error);
        };
      }),
    entries,
  );

test('a rule set saved with errors reopens with its errors and the data scored', { skip }, async () => {
  const { page, ctx, errors } = await openPage(env.browser, env.url);
  await scored(page, 3000);
  await page.getByRole('tab', { name: 'JSON' }).click();
  const area = page.getByLabel('rule set JSON');
  await area.fill(JSON.stringify({ name: 'draft', rules: [{ id: 'a', points: 'many' }] }, null, 2));
  await page.waitForFunction(() => /rules have errors/.test(document.querySelector('.status')?.textContent));
  await page.reload(); // at once: leaving the page keeps the pending save
  await scored(page, 3000);
  assert.match(await text(page, '.status'), /rules have errors/);
  for (const tier of ['Hot', 'Warm', 'Cold']) assert.equal(await tierCount(page, tier), SAMPLE[tier], tier);
  await page.getByRole('tab', { name: 'JSON' }).click();
  assert.match(await area.inputValue(), /"many"/, 'the draft is the rule set shown');
  assert.match(await page.locator('#json-problems li').first().innerText(), /points/);
  await shot(page, '20-draft-with-errors');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a damaged store opens with a message, and Reset recovers', { skip }, async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await scored(page, 3000);
  await writeStore(page, [
    ['workspace', 'garbage'],
    ['dataset', { name: 'leads.csv', blob: 42 }],
    ['events', [1, 2, 3]],
  ]);
  await page.reload();
  const banner = page.locator('[data-testid=start-problem]');
  await banner.waitFor({ timeout: 30_000 });
  assert.match(await banner.innerText(), /could not be (read|opened)/);
  await scored(page, 3000); // the sample, not "Starting…" forever
  await shot(page, '21-damaged-store');
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Reset saved work', exact: true }).click();
  await banner.waitFor({ state: 'detached' });
  await scored(page, 3000);
  await page.reload();
  await scored(page, 3000);
  assert.equal(await banner.count(), 0);
  await ctx.close();
});

test('a store whose database is broken opens with a message, and Reset recovers', { skip }, async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await scored(page, 3000);
  // On a page of the same origin without the app (whose open connection would block the upgrade):
  await page.goto(`${env.url}favicon.svg`);
  await page.evaluate(
    () =>
      new Promise((ok, fail) => {
        indexedDB.open('leadscore').onsuccess = (e) => {
          const v = e.target.result.version;
          e.target.result.close();
          // A newer version without the store the page reads.
          const r = indexedDB.open('leadscore', v + 1);
          r.onupgradeneeded = () => r.result.deleteObjectStore('workspace');
          r.onsuccess = () => {
            r.result.close();
            ok();
          };
          r.onerror = r.onblocked = () => fail(new Error('could not upgrade'));
        };
      }),
  );
  await page.goto(env.url);
  const banner = page.locator('[data-testid=start-problem]');
  await banner.waitFor({ timeout: 30_000 });
  await scored(page, 3000);
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Reset saved work', exact: true }).click();
  await page.waitForLoadState('load');
  await scored(page, 3000);
  await page.reload();
  await scored(page, 3000);
  assert.equal(await banner.count(), 0);
  await ctx.close();
});

test('two tabs on one workspace: the older one says so and saves nothing', { skip }, async () => {
  const a = await openPage(env.browser, env.url);
  await scored(a.page, 3000);
  const b = await openPage(env.browser, env.url, { context: a.ctx });
  await scored(b.page, 3000);
  const stale = a.page.locator('[data-testid=other-tab]');
  await stale.waitFor({ timeout: 10_000 });
  assert.match(await stale.innerText(), /open in another tab/);
  assert.equal(await b.page.locator('[data-testid=other-tab]').count(), 0);
  await b.page.getByRole('tab', { name: 'Rules' }).click();
  await demoPoints(b.page).fill('50');
  await a.page.getByRole('tab', { name: 'Rules' }).click();
  await demoPoints(a.page).fill('77'); // edited in the stale tab: not saved
  await a.page.waitForTimeout(600);
  await b.page.waitForTimeout(600);
  await b.page.reload();
  await scored(b.page, 3000);
  assert.equal(await demoPoints(b.page).inputValue(), '50', 'the stale tab did not overwrite');
  // Reloading the stale tab takes the workspace over: it opens what the other tab saved.
  await a.page.getByRole('button', { name: 'Reload to take over' }).click();
  await scored(a.page, 3000);
  assert.equal(await demoPoints(a.page).inputValue(), '50');
  await b.page.locator('[data-testid=other-tab]').waitFor({ timeout: 10_000 });
  assert.equal(await a.page.locator('[data-testid=other-tab]').count(), 0);
  await a.ctx.close();
});

test('a draft with errors saved before last-good versions were kept still loads the data', { skip }, async () => {
  const { page, ctx } = await openPage(env.browser, env.url);
  await scored(page, 3000);
  await writeStore(page, [
    ['workspace', { variants: [{ id: 'v1', doc: { rules: [{ id: 'a', points: 'many' }] } }], active: 'v1' }],
  ]);
  await page.reload();
  await page.waitForFunction(() => /3,000 leads/.test(document.querySelector('.status')?.textContent));
  assert.match(await text(page, '.status'), /rules have errors/);
  assert.equal(await page.locator('.loading-first').count(), 0, 'not "Starting…"');
  await ctx.close();
});
