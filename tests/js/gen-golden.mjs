// Regenerates tests/fixtures/golden/<name>/expected.json for every fixture in index.json from
// its rules.json + leads.json, with the reference scorer. Run from the repository root:
//   node tests/js/gen-golden.mjs
// Review the diff before committing: expected.json is what the C++ (and later wasm) scorer must match.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scoreAll } from './reference-scorer.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'golden');
const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));

const names = readJson(join(root, 'index.json'));
for (const name of names) {
  const dir = join(root, name);
  const rules = readJson(join(dir, 'rules.json'));
  const leads = readJson(join(dir, 'leads.json'));
  const expected = { leads: scoreAll(rules, leads) };
  // One lead per line keeps diffs readable.
  const body = expected.leads.map((l) => '    ' + JSON.stringify(l)).join(',\n');
  writeFileSync(join(dir, 'expected.json'), '{\n  "leads": [\n' + body + '\n  ]\n}\n');
  console.log(`${name}: ${leads.length} leads`);
}
