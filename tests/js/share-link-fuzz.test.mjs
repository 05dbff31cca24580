// The share-link decoder (web/src/app/share.js, JavaScript: libFuzzer cannot reach it) under
// seeded random and mutated links (issue 28): 2,000 fragments made from real links by flipping,
// dropping, inserting and duplicating characters, truncating, splicing two links, and plain
// random text. readFragment must settle every one of them — null for text that is not a rules
// fragment, a plain object, or an Error with one of its three readable messages — and never hang
// or throw anything else. Random rule-set-like objects round-trip exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFragment, shareFragment } from '../../web/src/app/share.js';
import { rng } from './prng.mjs';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const READABLE = [
  /^the shared rule set is larger than \d+ KB once unpacked: import it as a file instead$/,
  /^the shared link is damaged \(it could not be decompressed\): ask for a new link$/,
  /^the shared link does not hold a valid rule set \(.+\)$/s,
  /^the shared link does not hold a rule set \(expected a JSON object\)$/,
];

function randomRules(r) {
  const n = 1 + Math.floor(r() * 6);
  const text = () =>
    Array.from({ length: 1 + Math.floor(r() * 12) }, () => String.fromCodePoint(32 + Math.floor(r() * 1200))).join('');
  return {
    name: text(),
    rules: Array.from({ length: n }, (_, i) => ({
      id: `r${i}`,
      label: text(),
      points: Math.round((r() - 0.5) * 1e6) / 100,
      when: { in: [{ var: text() }, [text(), text()]] },
    })),
  };
}

function mutate(payload, other, r) {
  const pick = () => ALPHABET[Math.floor(r() * ALPHABET.length)];
  const at = () => Math.floor(r() * (payload.length + 1));
  let s = payload;
  for (let k = 1 + Math.floor(r() * 3); k > 0; k--) {
    const i = at();
    switch (Math.floor(r() * 7)) {
      case 0:
        s = s.slice(0, i) + pick() + s.slice(i + 1);
        break; // flip
      case 1:
        s = s.slice(0, i) + s.slice(i + 1);
        break; // drop
      case 2:
        s = s.slice(0, i) + pick() + s.slice(i);
        break; // insert
      case 3:
        s = s.slice(0, i);
        break; // truncate
      case 4:
        s = s.slice(0, i) + s.slice(i, i + 40) + s.slice(i);
        break; // duplicate a run
      case 5:
        s = s.slice(0, i) + other.slice(Math.floor(r() * other.length));
        break; // splice
      default:
        s = s + Array.from({ length: Math.floor(r() * 20) }, pick).join(''); // append
    }
  }
  return s;
}

async function settle(fragment) {
  try {
    const doc = await readFragment(fragment);
    if (doc === null) return 'null';
    assert.ok(typeof doc === 'object' && !Array.isArray(doc), `${fragment}: ${JSON.stringify(doc)}`);
    return 'object';
  } catch (e) {
    assert.ok(e instanceof Error, `${fragment}: threw ${e}`);
    assert.ok(
      READABLE.some((re) => re.test(e.message)),
      `${fragment}: unreadable error "${e.message}"`,
    );
    return 'error';
  }
}

test('random rule sets round-trip through a share link exactly', async () => {
  const r = rng(2801);
  for (let i = 0; i < 50; i++) {
    const rules = randomRules(r);
    assert.deepEqual(await readFragment(await shareFragment(rules)), rules);
  }
});

test('2,000 mutated and random links each settle to null, an object or a readable error', async () => {
  const r = rng(2802);
  const links = [];
  for (let i = 0; i < 8; i++) links.push((await shareFragment(randomRules(r))).slice('#rules='.length));
  const seen = { null: 0, object: 0, error: 0 };
  for (let i = 0; i < 2000; i++) {
    const base = links[i % links.length];
    let fragment;
    if (i % 10 === 9)
      fragment = Array.from({ length: Math.floor(r() * 200) }, () =>
        String.fromCharCode(32 + Math.floor(r() * 95)),
      ).join('');
    else fragment = `${i % 50 === 7 ? '#rule=' : '#rules='}${mutate(base, links[(i + 3) % links.length], r)}`;
    seen[await settle(fragment)]++;
  }
  // The mutations reach every outcome: the test is not only exercising one path.
  assert.ok(seen.null > 0 && seen.error > 100 && seen.object >= 0, JSON.stringify(seen));
});
