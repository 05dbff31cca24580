// A user's own file starts the user's workspace. Opened over the built-in sample's rule set, the
// file is read with its own columns (names and types from the data, no declarations of the
// sample's applied) and scored by a blank rule set; the page then offers the sample as a template
// mapped to the file's columns (StartPanel.jsx). The sample's rules stay one undo away.
import { getState, setState } from '../app/store.js';
import { commit } from '../rules/actions.js';
import { openDataFile } from './actions.js';
import { applyTemplate, blankRules } from './starter.js';

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

/** Opens a file the user chose or dropped: over the sample's rules, it starts the user's workspace. */
export async function openUserFile(file) {
  if (!(await onSampleRules())) return openDataFile(file);
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
