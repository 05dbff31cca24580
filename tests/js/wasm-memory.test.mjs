// Memory of dist/leadscore.mjs (node --test tests/js/):
//  - 1,000 load/score/query/dispose cycles of a few hundred leads each, with failing loads and
//    failing edits mixed in, must not grow the wasm heap after a short warm-up;
//  - leads and scorers dropped WITHOUT dispose() are freed by the facade's FinalizationRegistry
//    once the garbage collector runs (gc is exposed at run time through v8 flags, so no special
//    node option is needed), so the heap does not grow either.
// ls.heapBytes() is the size of wasm memory: it grows when malloc needs more and never shrinks,
// so any steady leak shows up as growth over 1,000 cycles.
// Skips (with the reason) when dist/leadscore.mjs has not been built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { rng } from './prng.mjs';

const distUrl = new URL('../../dist/leadscore.mjs', import.meta.url);
const skip = existsSync(fileURLToPath(distUrl))
  ? false
  : 'dist/leadscore.mjs is missing: build it first (cmake --build build/wasm --target leadscore_single)';
const ls = skip ? null : await (await import(distUrl.href)).load();

function makeCsv(rows, seed) {
  const r = rng(seed);
  const titles = ['CEO', 'CTO', 'VP Sales', 'Engineer', 'Student', 'N/A'];
  const lines = ['title,company_size,page_views,demo,country,notes'];
  for (let i = 0; i < rows; i++)
    lines.push(
      `${titles[Math.floor(r() * titles.length)]},${Math.floor(r() * 9000)},${Math.floor(r() * 10)},${r() < 0.2 ? 'yes' : 'no'},${r() < 0.5 ? 'US' : 'DE'},"note ${Math.floor(r() * 1e6)}, ok"`,
    );
  return lines.join('\n') + '\n';
}

const RULES = {
  groups: [
    { id: 'fit', max: 50 },
    { id: 'engagement', min: -10, max: 50 },
  ],
  rules: [
    { id: 'dm', group: 'fit', points: 20, when: { in: [{ var: 'title' }, ['CEO', 'CTO', 'VP Sales']] } },
    {
      id: 'size',
      group: 'fit',
      points: 0.005,
      per: 'company_size',
      max: 20,
      when: { '>': [{ var: 'company_size' }, 100] },
    },
    { id: 'views', group: 'engagement', points: 4, per: 'page_views', max: 20 },
    { id: 'demo', group: 'engagement', points: 25, when: { '==': [{ var: 'demo' }, true] } },
    {
      id: 'mixed',
      group: 'engagement',
      points: 5,
      when: { and: [{ '==': [{ var: 'country' }, 'US'] }, { '>': [{ '+': [{ var: 'page_views' }, 1] }, 5] }] },
    },
  ],
  tiers: [{ name: 'Hot', min: 60, action: 'Call' }, { name: 'Warm', min: 30 }, { name: 'Cold' }],
  salesReady: 'Hot',
  matrix: {
    fit: { bands: [{ label: 'A', min: 30 }, { label: 'B' }] },
    engagement: { bands: [{ label: '1', min: 30 }, { label: '2' }] },
  },
};

const CSVS = skip ? [] : Array.from({ length: 8 }, (_, k) => makeCsv(200 + 40 * k, k + 1));
const BYTES = CSVS.map((t) => new TextEncoder().encode(t));

// One cycle: load (text, bytes or incremental), score, query, edit, fail, dispose.
function cycle(k, { dispose = true } = {}) {
  const text = CSVS[k % CSVS.length];
  let leads;
  if (k % 3 === 0) leads = ls.loadLeads(text);
  else if (k % 3 === 1) leads = ls.loadLeads(BYTES[k % BYTES.length]);
  else {
    const loader = ls.createLoader();
    const b = BYTES[k % BYTES.length];
    loader.feed(b.subarray(0, 1000));
    loader.feed(b.subarray(1000));
    leads = loader.finish();
  }
  const s = ls.score(leads, RULES);
  s.totals();
  s.results();
  s.ledger(k % leads.rows);
  s.top(10);
  s.summary({ bins: 5 });
  s.replaceRule('demo', {
    id: 'demo',
    group: 'engagement',
    points: 20 + (k % 7),
    when: { '==': [{ var: 'demo' }, true] },
  });
  s.setEnabled('mixed', k % 2 === 0);
  // Failures must not leak either.
  try {
    s.addRule({ id: 'bad', points: 1, when: { '==': [{ var: 'nope' }, 1] } });
  } catch {
    // expected: the rule reads an unknown field
  }
  try {
    ls.loadLeads('a,b\n"open,1\n');
  } catch {
    // expected: an unclosed quote
  }
  const abandoned = ls.createLoader();
  abandoned.feed(BYTES[0].subarray(0, 500));
  if (dispose) {
    abandoned.dispose();
    s.dispose();
    leads.dispose();
  }
  return leads.rows;
}

test('1,000 load/score/dispose cycles do not grow the wasm heap after warm-up', { skip }, () => {
  for (let k = 0; k < 20; k++) cycle(k);
  const warm = ls.heapBytes();
  const seen = [];
  for (let k = 20; k < 1000; k++) {
    assert.ok(cycle(k) >= 200);
    if (k % 100 === 0) seen.push(ls.heapBytes());
  }
  const end = ls.heapBytes();
  assert.equal(end, warm, `heap after warm-up ${warm} bytes, after 1,000 cycles ${end} (samples: ${seen.join(', ')})`);
});

test('handles dropped without dispose() are freed after garbage collection', { skip }, async () => {
  setFlagsFromString('--expose-gc');
  const gc = globalThis.gc ?? runInNewContext('gc');
  assert.equal(typeof gc, 'function');
  const collect = async () => {
    for (let i = 0; i < 4; i++) {
      gc();
      // FinalizationRegistry callbacks run as separate tasks after a collection.
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  // Warm up with the same pattern, then measure.
  for (let k = 0; k < 40; k++) {
    cycle(k, { dispose: false });
    if (k % 10 === 9) await collect();
  }
  await collect();
  const warm = ls.heapBytes();
  for (let k = 0; k < 400; k++) {
    cycle(k, { dispose: false });
    if (k % 10 === 9) await collect();
  }
  await collect();
  const end = ls.heapBytes();
  assert.equal(end, warm, `heap after warm-up ${warm} bytes, after 400 undisposed cycles ${end}`);
});
