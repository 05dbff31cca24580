// The same rule set as JSON, for people who know it. Valid edits flow into the builder at once;
// text that is not JSON yet stays here, with the core's error (line, column) below it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { engine, useStore } from '../app/store.js';
import { commit } from './actions.js';

const pretty = (doc) => JSON.stringify(doc, null, 2);

// Where in the text a diagnostic points: its own line, else the rule's "id" line, else the key.
export function locate(text, d) {
  if (d.line) return { line: d.line, column: d.column ?? 1 };
  const lineOf = (offset) => text.slice(0, offset).split('\n').length;
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (d.ruleId) {
    const m = new RegExp(`"id"\\s*:\\s*${esc(JSON.stringify(d.ruleId))}`).exec(text);
    if (m) return { line: lineOf(m.index), column: 1 };
  }
  const key = /^([a-zA-Z]+)/.exec(d.path ?? '')?.[1];
  if (key) {
    const m = new RegExp(`"${key}"\\s*:`).exec(text);
    if (m) return { line: lineOf(m.index), column: 1 };
  }
  return null;
}

export function RulesJsonEditor() {
  const { doc, scoreError, scored } = useStore();
  const [text, setText] = useState(() => pretty(doc));
  const [syntax, setSyntax] = useState(null);
  const area = useRef(null);
  const mine = useRef(null); // the doc this view committed last (do not reformat the user's text for it)
  const edits = useRef(0); // the core answers a syntax check later: only the newest edit's answer counts
  useEffect(() => {
    if (mine.current === doc) return;
    setText(pretty(doc));
    setSyntax(null);
  }, [doc]);

  const onInput = async (e) => {
    const t = e.currentTarget.value;
    const edit = ++edits.current;
    setText(t);
    let parsed;
    try {
      parsed = JSON.parse(t);
    } catch (jsError) {
      // Ask the core where exactly: its messages carry line and column. (An Error's message is
      // not an own enumerable field: it is copied by name, or a spread would drop it.)
      try {
        await engine.checkRules(t);
      } catch (err) {
        if (edit !== edits.current) return;
        if (err.code === 'json')
          return setSyntax({
            line: err.line,
            column: err.column,
            message: err.message || jsError.message || 'this is not valid JSON yet',
          });
      }
      if (edit === edits.current) setSyntax({ message: jsError.message || 'this is not valid JSON yet' });
      return;
    }
    setSyntax(null);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      return setSyntax({ message: 'a rule set is a JSON object: { "rules": [ ... ] }' });
    mine.current = parsed;
    commit(parsed, { key: 'json' });
  };

  const goTo = (loc) => {
    const ta = area.current;
    if (!ta || !loc) return;
    const lines = text.split('\n');
    let offset = 0;
    for (let i = 0; i < loc.line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
    ta.focus();
    ta.setSelectionRange(offset + Math.max(0, (loc.column ?? 1) - 1), offset + (lines[loc.line - 1]?.length ?? 0));
    ta.scrollTop = Math.max(0, (loc.line - 5) * 18);
  };

  const problems = syntax
    ? [{ ...syntax, severity: 'error' }]
    : scoreError
      ? (scoreError.diagnostics?.filter((d) => d.severity !== 'warning') ?? [scoreError])
      : (scored?.skipped ?? []).map((d) => ({
          ...d,
          severity: 'skipped',
          message: `skipped for this data: ${d.message}`,
        }));
  return (
    <section class="json-view" aria-label="Rule set as JSON">
      <p class="muted">
        The rule set as JSON (
        <a href="https://jsonlogic.com" rel="noreferrer" target="_blank">
          JsonLogic
        </a>{' '}
        conditions). Edits here show in the builder as soon as they are valid.
      </p>
      <textarea
        ref={area}
        class="mono json"
        spellcheck={false}
        value={text}
        onInput={onInput}
        aria-label="rule set JSON"
        aria-invalid={problems.length ? 'true' : undefined}
        aria-describedby="json-problems"
      />
      <ul id="json-problems" class="problems">
        {problems.map((d) => {
          const loc = locate(text, d);
          return (
            <li
              class={`diag ${d.severity === 'error' ? 'error' : 'warning'}`}
              role={d.severity === 'error' ? 'alert' : undefined}
            >
              {loc ? (
                <button type="button" class="link" onClick={() => goTo(loc)}>
                  line {loc.line}
                  {d.line ? `, column ${loc.column}` : ''}
                </button>
              ) : null}
              {loc ? ': ' : ''}
              {d.message}
              {d.ruleId ? (
                <>
                  {' '}
                  (rule <code>{d.ruleId}</code>)
                </>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
