// The page's what-if and validation views in Chromium: a draft next to its baseline (migration
// matrix, AUC of both, drill-down into a migration cell), and outcomes from a second file (the
// Olist leads and closed deals). The numbers come from the core; the native CLI computes the
// same reports independently of the page, and the page must show them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { CLI, openPage, paste, root, scored, shot, skip, startBrowser, text } from './browser.mjs';

let env;
const OLIST = `${root}tests/data/olist-like/`;
before(async () => {
  if (!skip) env = await startBrowser();
});
after(async () => {
  await env?.close();
});

const cliJson = (args) =>
  JSON.parse(
    execFileSync(CLI, [...args, '--format', 'json'], {
      maxBuffer: 1 << 28,
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString(),
  );

test('a draft next to its baseline: migration matrix, AUC of both, drill down into a cell', { skip }, async () => {
  const { page, errors } = await openPage(env.browser, env.url);
  await scored(page, 3000);
  await page.getByRole('button', { name: 'Duplicate as draft' }).click();
  await page.waitForFunction(() =>
    document
      .querySelector('select[aria-label="rule set being edited"]')
      ?.selectedOptions[0]?.textContent.includes('(draft)'),
  );
  // Change a rule in the draft: a demo request is worth 50 instead of 30.
  await page.locator('li.rule[data-rule-id="demo-request"]').getByLabel('Requested a demo: points').fill('50');
  await page.getByRole('tab', { name: /Compare rule sets/ }).click();
  await page.locator('table.migration').first().waitFor();
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid=changed]')?.textContent.replace(/,/g, '')) > 0,
  );
  // The CLI's compare of the same two rule sets on the same leads.
  const base = JSON.parse(readFileSync(`${root}samples/b2b-rules.json`, 'utf8'));
  const draft = structuredClone(base);
  draft.rules.find((r) => r.id === 'demo-request').points = 50;
  writeFileSync('/tmp/ls-e2e-a.json', JSON.stringify(base));
  writeFileSync('/tmp/ls-e2e-b.json', JSON.stringify(draft));
  const want = cliJson([
    'compare',
    '--rules',
    '/tmp/ls-e2e-a.json',
    '--rules-b',
    '/tmp/ls-e2e-b.json',
    '--leads',
    `${root}samples/b2b-leads.csv`,
    '--outcome',
    'converted',
  ]);
  assert.equal(Number((await text(page, '[data-testid=changed]')).replace(/,/g, '')), want.changed);
  assert.equal(
    await text(page, '[data-testid=ready-up]'),
    want.salesReady.up ? `+${want.salesReady.up.toLocaleString('en-US')}` : '0',
  );
  const matrix = page.locator('table.migration').first();
  for (const [i, from] of want.tiers.from.entries())
    for (const [j, to] of want.tiers.to.entries()) {
      const n = want.tiers.counts[i][j];
      const cell = matrix.locator('tbody tr').nth(i).locator('td').nth(j);
      assert.equal((await cell.innerText()).replace(/,/g, ''), String(n), `${from} -> ${to}`);
    }
  assert.match(
    await text(page, '[data-testid=auc-compare]'),
    new RegExp(`${want.evaluation.a.roc.auc.toFixed(3)} → ${want.evaluation.b.roc.auc.toFixed(3)}`),
  );
  await shot(page, '10-compare');
  // Drill down: the Warm -> Hot cell lists exactly those leads.
  const wi = want.tiers.from.indexOf('Warm'),
    hj = want.tiers.to.indexOf('Hot');
  await matrix.getByRole('button', { name: new RegExp(`leads from Warm under A to Hot under B`) }).click();
  await page.waitForFunction(
    (n) =>
      document.querySelector('[data-testid=lead-count]')?.textContent.startsWith(`${n.toLocaleString('en-US')} of`),
    want.tiers.counts[wi][hj],
  );
  assert.match(await text(page, '.notice.subset'), /Warm under A and Hot under B/);
  // Validate: both variants side by side, AUC as the core computes it.
  await page.getByRole('tab', { name: 'Validate against outcomes' }).click();
  await page.locator('[data-testid=auc-a]').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.variant-card').length === 2);
  assert.equal(await text(page, '[data-testid=auc-a]'), want.evaluation.a.roc.auc.toFixed(3));
  assert.equal(await text(page, '[data-testid=auc-b]'), want.evaluation.b.roc.auc.toFixed(3));
  const hot = page.locator('.variant-card.b tr[data-tier="Hot"] td').nth(2);
  const hb = want.evaluation.b.tiers.find((t) => t.tier === 'Hot');
  assert.match(await hot.innerText(), new RegExp(`\\(${hb.positives}/${hb.known}\\)`));
  await shot(page, '11-validate');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('Olist: leads and closed deals as two files, conversion by tier', { skip }, async () => {
  const { page, errors } = await openPage(env.browser, env.url);
  await scored(page, 3000);
  const [c1] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import rules…' }).click(),
  ]);
  await c1.setFiles(`${root}samples/olist-rules.json`);
  await page.waitForFunction(() => /Imported the rule set/.test(document.querySelector('.notice')?.textContent ?? ''));
  await page.getByRole('tab', { name: 'Data' }).click();
  const [c2] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Choose a file…' }).click(),
  ]);
  await c2.setFiles(`${OLIST}olist_marketing_qualified_leads_dataset.csv`);
  await scored(page, 8000);
  await page.getByLabel('a second file (deals), joined by lead id').check();
  await page.getByLabel('lead id column', { exact: true }).selectOption('mql_id');
  const [c3] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Choose deals file…' }).click(),
  ]);
  await c3.setFiles(`${OLIST}olist_closed_deals_dataset.csv`);
  await page.locator('[data-testid=outcome-info]').waitFor();
  const want = cliJson([
    'evaluate',
    '--rules',
    `${root}samples/olist-rules.json`,
    '--leads',
    `${OLIST}olist_marketing_qualified_leads_dataset.csv`,
    '--outcomes',
    `${OLIST}olist_closed_deals_dataset.csv`,
    '--lead-id',
    'mql_id',
  ]);
  assert.match(
    await text(page, '[data-testid=outcome-info]'),
    new RegExp(`${want.positives.toLocaleString('en-US')}\\s+converted`),
  );
  await page.getByRole('tab', { name: 'Validate against outcomes' }).click();
  await page.locator('[data-testid=auc-a]').waitFor();
  for (const t of want.tiers) {
    const cell = page.locator(`.variant-card tr[data-tier="${t.tier}"] td`).nth(2);
    assert.match(
      await cell.innerText(),
      new RegExp(`\\(${t.positives.toLocaleString('en-US')}/${t.known.toLocaleString('en-US')}\\)`),
      t.tier,
    );
  }
  assert.equal(await text(page, '[data-testid=auc-a]'), want.roc.auc.toFixed(3));
  await shot(page, '12-olist-validate');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('validate without outcomes: the page says how to add them and offers the outcome picker', { skip }, async () => {
  const { page, errors } = await openPage(env.browser, env.url);
  await scored(page, 3000);
  await paste(page, 'id,title,country\n1,CEO,US\n2,Student,DE\n3,CTO,FR\n');
  await scored(page, 3);
  await page.getByRole('tab', { name: 'Validate against outcomes' }).click();
  await page.locator('.analysis').waitFor();
  assert.match(await text(page, '.analysis'), /tell the page which leads converted/);
  // the outcome picker is there, inside the Validate view, and nothing threw while drawing it
  assert.ok((await page.locator('.analysis select, .analysis input').count()) > 0);
  assert.deepEqual(errors, []);
});
