// Several named rule sets (a baseline and drafts): pick the one to edit, duplicate it as a
// draft, delete one, and pick a second one to compare with.
import { useStore } from '../app/store.js';
import { deleteVariant, duplicateVariant, setCompare, switchVariant, variantName } from './variants.js';
import { Icon } from '../shared/icons.jsx';

export function VariantBar() {
  const { variants, active, compareWith } = useStore();
  if (!variants.length) return null;
  const names = variants.map((v, k) => ({ id: v.id, name: variantName(v, k) }));
  return (
    <div class="variant-bar" role="group" aria-label="Rule sets">
      <label>
        Rule set
        <select
          aria-label="rule set being edited"
          value={active}
          onChange={(e) => switchVariant(e.currentTarget.value)}
        >
          {names.map((v) => (
            <option value={v.id}>{v.name}</option>
          ))}
        </select>
      </label>
      <button type="button" onClick={duplicateVariant} title="Copy this rule set as a draft and compare the two">
        Duplicate as draft
      </button>
      <button
        type="button"
        class="icon danger"
        aria-label="delete this rule set"
        title="Delete this rule set"
        disabled={variants.length < 2}
        onClick={() =>
          confirm(`Delete the rule set “${names.find((v) => v.id === active)?.name}”?`) && deleteVariant(active)
        }
      >
        <Icon name="trash" />
      </button>
      <label>
        Compare with
        <select
          aria-label="rule set to compare with"
          value={compareWith ?? ''}
          onChange={(e) => setCompare(e.currentTarget.value || null)}
        >
          <option value="">— nothing</option>
          {names
            .filter((v) => v.id !== active)
            .map((v) => (
              <option value={v.id}>{v.name}</option>
            ))}
        </select>
      </label>
    </div>
  );
}
