// "Learn from outcomes" in Chromium: the page learns a scorecard in the worker from the sample
// leads and their outcomes, shows the held-out AUC the native CLI computes for the same leads,
// rules and options, lists flagged features, opens the learned rule set as a new variant compared
// with the current one, shows a lead's probability and top factors under it in the ledger (as the
// CLI's explain of the learned rule set gives them), and a learning run can be cancelled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  // the learned variant's ledger: the probability and top factors the native CLI gives for it
  await page.getByRole('tab', { name: 'Scores' }).click();
  await page.locator('.table-scroll .tr').first().click();
  const drawer = page.locator('aside.drawer');
  await drawer.locator('[data-testid=learned-probability]').waitFor();
  const lead = Number((await drawer.locator('h2').first().innerText()).match(/Lead (\d+)/)[1]);
  const learnedRules = join(mkdtempSync(join(tmpdir(), 'leadscore-e2e-learn-')), 'learned.json');
  const common = ['--rules', `${root}samples/b2b-rules.json`, '--leads', `${root}samples/b2b-leads.csv`];
  execFileSync(CLI, ['learn', ...common, '--outcome', 'converted', '--out', learnedRules]);
  const explained = JSON.parse(
    execFileSync(CLI, [
      'explain',
      '--rules',
      learnedRules,
      '--leads',
      `${root}samples/b2b-leads.csv`,
      '--lead',
      String(lead),
      '--format',
      'json',
    ]).toString(),
  );
  assert.equal(
    await drawer.locator('[data-testid=learned-probability]').innerText(),
    `${(100 * explained.learned.probability).toFixed(1)}%`,
  );
  assert.deepEqual(
    await drawer.locator('.learned-factors li').evaluateAll((li) => li.map((e) => e.dataset.feature)),
    explained.learned.factors.map((f) => f.feature),
  );
  await shot(page, '33-learned-ledger');
  assert.deepEqual(errors, []);
});

test("channel quality: the CLI's leads per value, drawn per value", { skip }, async () => {
  const { page, errors } = await openPage(env.browser, env.url);
  await openValidate(page);
  await page.locator('details.channels summary').click();
  const select = page.getByLabel('channel column');
  const name = await select.evaluate((s) => [...s.options].find((o) => /source/i.test(o.value)).value);
  await select.selectOption(name);
  await page.locator(`table[aria-label="channels by ${name}"]`).waitFor();
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
      name,
      '--json',
    ]).toString(),
  );
  const rows = page.locator(`table[aria-label="channels by ${name}"] tbody tr`);
  assert.equal(await rows.count(), want.channels.length);
  for (const [k, c] of want.channels.entries()) {
    const cells = rows.nth(k).locator('td');
    assert.equal(await cells.nth(0).innerText(), c.value);
    assert.equal((await cells.nth(1).innerText()).replace(/,/g, ''), String(c.leads));
  }
  await page.locator('details.channels .chart canvas').first().waitFor();
  await shot(page, '32-channels');
  assert.deepEqual(errors, []);
});

// 20,000 leads x 30 number columns: learning takes long enough to cancel it for sure.
function bigCsv() {
  let s = 1;
  const r = () => (s = (s * 48271) % 2147483647) / 2147483647;
  const lines = [[...Array.from({ length: 30 }, (_, j) => `x${j}`), 'converted'].join(',')];
  for (let i = 0; i < 20000; i++) {
    const xs = Array.from({ length: 30 }, () => Math.floor(r() * 100));
    lines.push(`${xs.join(',')},${r() < 0.1 + xs[0] / 500 ? 'yes' : 'no'}`);
  }
  return lines.join('\n');
}

test('learning can be cancelled: the page says so and learns again afterwards', { skip }, async () => {
  const { page, errors } = await openPage(env.browser, env.url);
  await scored(page, 3000);
  // (fill() types 2 MB slowly: set the text and send one input event)
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.locator('textarea#paste').evaluate((el, text) => {
    el.value = text;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, bigCsv());
  await page.getByRole('button', { name: 'Score pasted data' }).click();
  await scored(page, 20000);
  await page.getByRole('tab', { name: /Validate against outcomes/ }).click();
  const panel = page.getByRole('region', { name: 'Learn from outcomes' });
  await panel.getByRole('button', { name: 'Learn', exact: true }).click();
  await panel.getByRole('button', { name: 'Cancel' }).click();
  await page.locator('[data-testid=learn-error]').waitFor();
  assert.match(await page.locator('[data-testid=learn-error]').innerText(), /cancelled/);
  await panel.getByRole('button', { name: 'Learn', exact: true }).click();
  await page.locator('[data-testid=learn-result]').waitFor({ timeout: 120000 });
  assert.deepEqual(errors, []);
});
