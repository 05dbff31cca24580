// Small form controls that keep what the user typed until it is valid, then commit it.
import { useEffect, useRef, useState } from 'preact/hooks';

let uid = 0;
export const useId = (prefix = 'f') => {
  const r = useRef(null);
  if (r.current === null) r.current = `${prefix}-${++uid}`;
  return r.current;
};

/**
 * A number box: commits a finite number (or null when empty and `optional`); while the text is
 * not a number it shows why and commits nothing.
 */
export function NumberInput({
  value,
  onCommit,
  optional = false,
  label,
  className = '',
  placeholder,
  step = 'any',
  id,
  invalid,
}) {
  const [text, setText] = useState(value === null || value === undefined ? '' : String(value));
  const [error, setError] = useState(null);
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current) {
      setText(value === null || value === undefined ? '' : String(value));
      setError(null);
    }
  }, [value]);
  const onInput = (e) => {
    const t = e.currentTarget.value;
    setText(t);
    const trimmed = t.trim();
    if (trimmed === '') {
      if (optional) {
        setError(null);
        onCommit(null);
      } else setError('enter a number');
      return;
    }
    const n = Number(trimmed.replace(',', '.'));
    if (!Number.isFinite(n)) return setError(`“${t}” is not a number`);
    setError(null);
    onCommit(n);
  };
  return (
    <span class={`num ${className}`}>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        value={text}
        aria-label={label}
        placeholder={placeholder}
        step={step}
        aria-invalid={error || invalid ? 'true' : undefined}
        onInput={onInput}
        onFocus={() => (focused.current = true)}
        onBlur={() => {
          focused.current = false;
          if (!error) setText(value === null || value === undefined ? '' : String(value));
        }}
      />
      {error && (
        <span class="field-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}

/** A list of values as removable chips, plus a box to add more (Enter, Tab or comma). */
export function TagInput({ values, onChange, label, suggestions, numeric = false }) {
  const [text, setText] = useState('');
  const listId = useId('dl');
  const add = (raw) => {
    const parts = raw
      .split(/\n/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (!parts.length) return;
    const vals = parts.map((p) => (numeric && Number.isFinite(Number(p)) ? Number(p) : p));
    onChange([...values, ...vals.filter((x) => !values.includes(x))]);
    setText('');
  };
  return (
    <span class="tags" role="group" aria-label={label}>
      {values.map((v, k) => (
        <span class="tag" key={`${k}:${v}`}>
          <span class="tag-text">{v === '' ? '(empty cell)' : String(v)}</span>
          <button
            type="button"
            class="tag-x"
            aria-label={`remove ${v === '' ? 'empty cell' : v}`}
            onClick={() => onChange(values.filter((_, j) => j !== k))}
          >
            ×
          </button>
        </span>
      ))}
      <input
        type="text"
        value={text}
        list={suggestions?.length ? listId : undefined}
        aria-label={`add to ${label}`}
        placeholder={values.length ? 'add…' : 'type a value, Enter'}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || (e.key === ',' && !text.includes('"'))) {
            e.preventDefault();
            add(text);
          } else if (e.key === 'Backspace' && text === '' && values.length) onChange(values.slice(0, -1));
        }}
        onBlur={() => add(text)}
        onPaste={(e) => {
          const t = e.clipboardData?.getData('text') ?? '';
          if (t.includes('\n')) {
            e.preventDefault();
            add(t);
          }
        }}
      />
      {suggestions?.length > 0 && (
        <datalist id={listId}>
          {suggestions.slice(0, 200).map((s) => (
            <option value={s} />
          ))}
        </datalist>
      )}
    </span>
  );
}

/** A text box that commits on every keystroke. */
export function TextInput({ value, onCommit, label, placeholder, className = '', list, id, invalid }) {
  return (
    <input
      id={id}
      class={className}
      type="text"
      value={value ?? ''}
      aria-label={label}
      placeholder={placeholder}
      list={list}
      aria-invalid={invalid ? 'true' : undefined}
      onInput={(e) => onCommit(e.currentTarget.value)}
    />
  );
}

/** A one-line JSON box: keeps the text while it is not valid JSON yet, commits parsed values. */
export function JsonInput({ value, onCommit, label, placeholder, className = '' }) {
  const shown = value === undefined ? '' : JSON.stringify(value);
  const [text, setText] = useState(shown);
  const [error, setError] = useState(null);
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current) setText(shown);
  }, [shown]);
  return (
    <span class="json-input">
      <input
        type="text"
        class={`mono ${className}`}
        value={text}
        aria-label={label}
        placeholder={placeholder}
        aria-invalid={error ? 'true' : undefined}
        onFocus={() => (focused.current = true)}
        onBlur={() => {
          focused.current = false;
        }}
        onInput={(e) => {
          const t = e.currentTarget.value;
          setText(t);
          if (!t.trim()) {
            setError(null);
            return onCommit(undefined);
          }
          try {
            const v = JSON.parse(t);
            setError(null);
            onCommit(v);
          } catch (err) {
            setError('not valid JSON yet');
          }
        }}
      />
      {error && (
        <span class="field-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
