// In and out: the scored leads as CSV, the rule set as a file or a link, and importing one.
import * as persist from '../app/persist.js';
import { fieldsKey, getState, notify, setState, engine, ws } from '../app/store.js';
import { commit } from '../rules/actions.js';
import { readRuleFile } from '../rules/ruleFile.js';

/* global __LEADSCORE_MAX_RULE_SET_BYTES__ */
// The core's rule-set size limit. The module's limits() will carry it (issue 28); until it does,
// scripts/build-web.mjs reads kMaxRuleSetBytes from include/leadscore/limits.h into the bundle.
const maxRuleSetBytes = () => getState().limits?.maxRuleSetBytes ?? __LEADSCORE_MAX_RULE_SET_BYTES__;

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const slug = (s) =>
  (s || 'leadscore')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'leadscore';

/** The scored leads as CSV or XLSX ({format, add, keep, rename}: see ExportDialog). */
export async function exportScores({ format = 'csv', add, keep, rename } = {}) {
  try {
    const state = getState();
    const args = { variant: state.active, reasons: true, add, keep, rename };
    const blob = format === 'xlsx' ? await ws().exportXlsx(args) : await ws().exportCsv(args);
    const base = (state.data?.name ?? 'leads').replace(/^Sample: .*\((.*)\)$/, '$1').replace(/\.[a-z]+$/i, '');
    download(blob, `${slug(base)}-scored.${format}`);
    return true;
  } catch (e) {
    notify(`Export failed: ${e.message}`, 'error');
    return false;
  }
}

export function exportRules() {
  const doc = { ...getState().doc, $schema: new URL('rule-set.schema.json', location.href).href }; // editors complete it
  download(
    new Blob([JSON.stringify(doc, null, 2) + '\n'], { type: 'application/json' }),
    `${slug(doc?.name)}.rules.json`,
  );
}

// Where an error points, for a message: line and column, else rule and field, else the path.
const whereOf = (e) =>
  e.line
    ? ` (line ${e.line}, column ${e.column})`
    : e.ruleId
      ? ` (rule ${e.ruleId}${e.field ? `, field ${e.field}` : ''})`
      : e.path
        ? ` (at ${e.path})`
        : '';

/** Import a rule set file: validated by the core first; an invalid file changes nothing. */
export async function importRules(file) {
  let doc;
  try {
    const text = await readRuleFile(file, maxRuleSetBytes()); // refused by size, strict UTF-8
    await engine.checkRules(text); // the core says where (line, column, rule, field)
    doc = JSON.parse(text);
    // and whether it fits the loaded leads (read again if it declares fields differently)
    await ws().tryRules({ rules: doc, reread: fieldsKey(doc) !== getState().fieldsAt });
  } catch (e) {
    notify(`“${file.name}” was not imported: ${e.message}${whereOf(e)}. Your rules are unchanged.`, 'error');
    return false;
  }
  commit(doc);
  notify(`Imported the rule set from “${file.name}”. Undo (Ctrl+Z) brings back the previous one.`);
  return true;
}

export async function shareLink() {
  const url = location.origin + location.pathname + (await persist.shareFragment(getState().doc));
  try {
    await navigator.clipboard.writeText(url);
    notify('A link to this rule set (rules only, no lead data) was copied to the clipboard.');
  } catch {
    notify('Copy this link to share the rule set (rules only, no lead data).');
  }
  setState({ shareUrl: url });
  return url;
}

export const SQL_DIALECTS = ['duckdb', 'postgres', 'bigquery', 'snowflake', 'spark'];

/** The active rule set as one SQL query for a warehouse (docs/sql.md), written by the core. */
export async function exportSql(dialect) {
  try {
    const state = getState();
    const sql = await ws().exportSql({ variant: state.active, dialect });
    download(new Blob([sql], { type: 'application/sql' }), `${slug(state.doc?.name)}.${dialect}.sql`);
    notify(`Exported the rule set as ${dialect} SQL: it scores a table named “leads” (see docs/sql.md).`);
  } catch (e) {
    notify(`SQL export failed: ${e.message}${whereOf(e)}`, 'error');
  }
}
