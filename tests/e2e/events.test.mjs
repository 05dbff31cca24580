// Events in the page (Chromium): activity events loaded next to the leads, scores as of a
// chosen day, and a ledger that shows why a lead's engagement faded (count, raw points, decay
// factor, effective points). The native CLI explains the same lead from the same files; the
// page must show the same numbers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { CLI, openPage, root, scored, shot, skip, startBrowser, text } from './browser.mjs';

let env;
before(async () => {
  if (!skip) env = await startBrowser();
});
after(async () => {
  await env?.close();
});

const AS_OF = '2025-06-30';
const RULES = `${root}samples/b2b-events-rules.json`;

test('events next to leads: join report, as-of date, and a decayed ledger equal to the CLI', { skip }, async () => {
  const { page, errors } = await openPage(env.browser, env.url);
  await scored(page, 3000);
  const [c1] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import rules…' }).click(),
  ]);
  await c1.setFiles(RULES);
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('scores as of date').fill(AS_OF);
  await page.getByRole('button', { name: "Use the sample's events" }).click();
  await page.locator('[data-testid=events-info]').waitFor();
  const info = await text(page, '[data-testid=events-info]');
  // The join report: every event is accounted for (unknown lead ids and undated ones counted).
  const stats = JSON.parse(
    execFileSync(process.execPath, [
      '-e',
      `
    const fs = require('fs');
    const lines = fs.readFileSync('${root}samples/b2b-events.csv', 'utf8').trim().split('\\n').slice(1);
    const leads = new Set(fs.readFileSync('${root}samples/b2b-leads.csv', 'utf8').trim().split('\\n').slice(1).map((l) => l.split(',')[0]));
    console.log(JSON.stringify({ rows: lines.length, unknown: lines.filter((l) => !leads.has(l.split(',')[0])).length }));`,
    ]).toString(),
  );
  assert.match(info, new RegExp(`${stats.rows.toLocaleString('en-US')} events`));
  if (stats.unknown)
    assert.match(
      info,
      new RegExp(`${stats.unknown.toLocaleString('en-US')} events name a lead that is not in the data`),
    );
  // The hottest lead's ledger, with decay, as the CLI explains it.
  const want = JSON.parse(
    execFileSync(
      CLI,
      [
        'explain',
        '--rules',
        RULES,
        '--leads',
        `${root}samples/b2b-leads.csv`,
        '--events',
        `${root}samples/b2b-events.csv`,
        '--as-of',
        AS_OF,
        '--lead',
        'top',
        '--format',
        'json',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    ).toString(),
  );
  const ledger = want.ledger ?? want;
  // (the page shows scores to two decimals)
  const shown = (x) => (Math.round(x * 100) / 100).toLocaleString('en-US');
  await page.waitForFunction(
    (t) => document.querySelector('.table-scroll .tr .score')?.textContent === t,
    shown(ledger.total),
  );
  await page.locator('.table-scroll .tr').first().click();
  const drawer = page.locator('aside.drawer');
  await drawer.locator('[data-testid=ledger-total]').waitFor();
  assert.equal(await drawer.locator('[data-testid=ledger-total]').innerText(), shown(ledger.total));
  const decayed = ledger.rules.filter((r) => r.decay !== undefined && r.decay !== 1);
  assert.ok(decayed.length > 0, 'the top lead has a decayed event rule');
  const details = await drawer.locator('[data-testid=event-detail]').allInnerTexts();
  for (const r of decayed) {
    const line = details.find((d) => d.includes(`${r.count} event`) && d.includes(r.decay.toFixed(3)));
    assert.ok(
      line,
      `ledger shows ${r.id}: ${r.count} events, decay ${r.decay.toFixed(3)} (got ${JSON.stringify(details)})`,
    );
  }
  await shot(page, '13-events-ledger');
  // Another as-of day: scores change, nothing is re-read (the page says so by not loading).
  const before = await drawer.locator('[data-testid=ledger-total]').innerText();
  await page.keyboard.press('Escape');
  await page.getByLabel('scores as of date').fill('2025-09-30');
  await page.waitForFunction((b) => document.querySelector('.table-scroll .tr .score')?.textContent !== b, before);
  assert.deepEqual(errors, []);
  await page.context().close();
});
