// "Learn from outcomes" in Chromium: the page learns a scorecard in the worker from the sample
// leads and their outcomes, shows the held-out AUC the native CLI computes for the same leads,
// rules and options, lists flagged features, opens the learned rule set as a new variant compared
// with the current one, and a learning run can be cancelled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { CLI, openPage, root, scored, shot, skip, startBrowser } from './browser.mjs';

let env;
before(async () => {
  if (!skip) env = await startBrowser();
});
after(async () => {
  await env?.close();
});

async function openValidate(page) {
  await scored(page, 3000);
  await page.getByRole('tab', { name: /Validate against outcomes/ }).click();
  await page.getByRole('region', { name: 'Learn from outcomes' }).waitFor();
}

test('learn from outcomes: the CLI’s held-out AUC, flagged features, opens as a variant', { skip }, async () => {
  const { page, errors } = await openPage(env.browser, env.url);
  await openValidate(page);
  const panel = page.getByRole('region', { name: 'Learn from outcomes' });
  await panel.getByRole('button', { name: 'Learn', exact: true }).click();
  await page.locator('[data-testid=learn-result]').waitFor({ timeout: 60000 });
  const want = JSON.parse(
    execFileSync(CLI, [
      'learn',
      '--rules',
      `${root}samples/b2b-rules.json`,
      '--leads',
      `${root}samples/b2b-leads.csv`,
      '--outcome',
      'converted',
      '--json',
    ]).toString(),
  );
  assert.equal(await page.locator('[data-testid=learn-auc]').innerText(), want.auc.rounded.toFixed(3));
  // every used feature's levels, with the CLI's rounded points
  const first = want.features.find((f) => f.used);
  const row = page.locator(`tr[data-feature="${first.name}"][data-level="${first.levels[0].label}"]`);
  assert.equal((await row.locator('td').nth(6).innerText()).trim(), String(first.levels[0].rounded));
  for (const f of want.flagged)
    assert.equal(await page.locator(`.learn-flagged li[data-feature="${f.name}"]`).count(), 1);
  await shot(page, '30-learn');
  await panel.getByRole('button', { name: 'Open as a new variant and compare' }).click();
  await page.waitForFunction(() =>
    document
      .querySelector('select[aria-label="rule set being edited"]')
      ?.selectedOptions[0]?.textContent.includes('Learned from outcomes'),
  );
  await page.getByRole('tab', { name: /Compare rule sets/ }).click();
  await page.locator('table.migration').first().waitFor();
  await shot(page, '31-learn-compare');
  assert.deepEqual(errors, []);
});

test('learning can be cancelled, and channel quality draws per value', { skip }, async () => {
  const { page, errors } = await openPage(env.browser, env.url);
  await openValidate(page);
  const panel = page.getByRole('region', { name: 'Learn from outcomes' });
  await panel.getByRole('button', { name: 'Learn', exact: true }).click();
  await panel.getByRole('button', { name: 'Cancel' }).click({ timeout: 5000 });
  await page.locator('[data-testid=learn-error]').waitFor();
  assert.match(await page.locator('[data-testid=learn-error]').innerText(), /cancelled/);
  await page.locator('details.channels summary').click();
  const select = page.getByLabel('channel column');
  const column = await select.evaluate((s) => [...s.options].map((o) => o.value).find((v) => v));
  await select.selectOption(column);
  await page.locator(`table[aria-label="channels by ${column}"]`).waitFor();
  const want = JSON.parse(
    execFileSync(CLI, [
      'channels',
      '--rules',
      `${root}samples/b2b-rules.json`,
      '--leads',
      `${root}samples/b2b-leads.csv`,
      '--outcome',
      'converted',
      '--by',
      column,
      '--json',
    ]).toString(),
  );
  const rows = page.locator(`table[aria-label="channels by ${column}"] tbody tr`);
  assert.equal(await rows.count(), want.channels.length);
  assert.equal((await rows.first().locator('td').nth(1).innerText()).replace(/,/g, ''), String(want.channels[0].leads));
  assert.deepEqual(errors, []);
});
