import { randomRuleSet, makeLeads } from './js/random-rules.mjs';
const s = Number(process.argv[2]);
const rs = randomRuleSet(s);
for (const r of rs.rules) console.log(JSON.stringify(r));
const { rows } = makeLeads(5, 29);
console.log(JSON.stringify(rows.slice(0,3)));
