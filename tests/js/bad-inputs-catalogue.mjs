// The bad-input catalogue (tests/fixtures/bad-inputs/index.json) for the JS runners: the index,
// its generators (as in tests/test_bad_inputs.cpp) and each case's input bytes.
import { readFileSync } from 'node:fs';
import { rng } from './prng.mjs';

export const dir = new URL('../fixtures/bad-inputs/', import.meta.url);
export const index = JSON.parse(readFileSync(new URL('index.json', dir), 'utf8'));

// The generators named in index.json.
export function generate(g) {
  switch (g.type) {
    case 'big-cell':
      return `id,notes,n\n1,${'a'.repeat(g.bytes)},2\n`;
    case 'many-columns': {
      const h = Array.from({ length: g.columns }, (_, i) => `c${i + 1}`);
      return `${h.join(',')}\n${h.map(() => '1').join(',')}\n`;
    }
    case 'deep-json-cell':
      return `[{"a": ${'['.repeat(g.depth)}${']'.repeat(g.depth)}}]`;
    case 'deep-logic':
      return `{"rules":[{"id":"deep","points":1,"when":${'{"!":'.repeat(g.depth)}true${'}'.repeat(g.depth)}}]}`;
    case 'many-rules':
      return JSON.stringify({ rules: Array.from({ length: g.rules }, (_, i) => ({ id: `r${i}`, points: 1 })) });
    case 'unique-rows': {
      const r = rng(8);
      const parts = ['id,email,notes\n'];
      let n = parts[0].length;
      for (let i = 0; n < g.bytes; i++) {
        const line = `${i},u${i}.${Math.floor(r() * 1e9)}@example.com,note ${Math.floor(r() * 1e12).toString(36)} ${i}\n`;
        parts.push(line);
        n += line.length;
      }
      return new TextEncoder().encode(parts.join(''));
    }
    case 'big-rules': {
      const rules = '{"rules":[{"id":"a","points":1}]}';
      return rules + ' '.repeat(g.bytes - rules.length);
    }
    case 'zeros':
      return new Uint8Array(g.bytes);
    default:
      throw new Error(`unknown generator ${g.type}`);
  }
}

export const inputOf = (c) => (c.generate ? generate(c.generate) : new Uint8Array(readFileSync(new URL(c.file, dir))));
