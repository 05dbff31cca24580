// A user's own file starts the user's workspace. Opened over the built-in sample's rule set, the
// file is read with its own columns (names and types from the data, no declarations of the
// sample's applied) and scored by a blank rule set; the page then offers the sample as a template
// mapped to the file's columns (StartPanel.jsx). The sample's rules stay one undo away.
import { engine, getState, setState } from '../app/store.js';
import { commit } from '../rules/actions.js';
import { openDataFile } from './actions.js';
import { applyTemplate, blankRules, lossyDeclarations, withoutTypes } from './starter.js';

const SAMPLE_RULES = './samples/b2b-rules.json';
let sample = null;

/** The built-in sample's rule set (the template offered for a user's file). */
export async function sampleRules() {
  if (!sample)
    sample = fetch(SAMPLE_RULES).then((r) => {
      if (!r.ok) throw new Error(`could not read ${SAMPLE_RULES} (${r.status})`);
      return r.json();
    });
  return sample.catch((e) => {
    sample = null;
    throw e;
  });
}

async function onSampleRules() {
  const doc = getState().doc;
  if (!doc) return true;
  try {
    return doc.name === (await sampleRules()).name;
  } catch {
    return false;
  }
}

const typeWord = { number: 'numbers', date: 'dates', boolean: 'yes/no values', string: 'text' };

// Before a file is read with the rule set's type declarations, the ones that would empty values
// of it are asked about (the file is read once without declarations to know).
async function askAboutLossyTypes(file) {
  const doc = getState().doc;
  if (!Object.values(doc?.fields ?? {}).some((f) => f.type && f.type !== 'string')) return;
  let info;
  try {
    const raw = await engine.loadLeads(file, {});
    info = raw.info;
    await raw.dispose();
  } catch {
    return; // the real load reports what is wrong with the file
  }
  const lossy = lossyDeclarations(doc, info);
  if (!lossy.length) return;
  const lines = lossy.map(
    (l) =>
      `• “${l.column.header}” holds ${typeWord[l.column.type]}, your rule set reads it as ${typeWord[l.type]} (field ${l.field}): up to ${l.column.values.toLocaleString('en-US')} values would be left empty`,
  );
  const keep = confirm(
    `Reading “${file.name}” with your rule set's types would throw values away:\n${lines.join('\n')}\n\n` +
      'OK: read these columns as the file has them (the type declarations are taken out; Undo puts them back).\n' +
      'Cancel: read them as the rule set declares.',
  );
  if (keep)
    commit(
      withoutTypes(
        doc,
        lossy.map((l) => l.field),
      ),
      { rescore: false },
    );
}

/** Opens a file the user chose or dropped: over the sample's rules, it starts the user's workspace. */
export async function openUserFile(file) {
  if (!(await onSampleRules())) {
    await askAboutLossyTypes(file);
    return openDataFile(file);
  }
  const blank = blankRules();
  const ok = await openDataFile(file, { fresh: blank });
  if (!ok) return false;
  commit(blank, { rescore: false });
  setState({ starter: { name: file.name, template: null }, tab: 'data' });
  return true;
}

/** Keeps the blank rule set: the chooser goes, the Rules tab opens. */
export function startBlank() {
  setState({ starter: null, tab: 'rules' });
}

/** Replaces the rule set by the template mapped onto the data's columns. */
export function startFromTemplate(template, mapping) {
  const { data, starter } = getState();
  const doc = applyTemplate(template, mapping, data.info.columns, `${template.name} for ${starter?.name ?? 'my data'}`);
  commit(doc);
  setState({ starter: null, tab: 'rules' });
}
