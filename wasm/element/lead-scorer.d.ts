// Types of the <lead-scorer> custom element: `import 'leadscore/element'` (docs/embed.md).
import type { Ledger, LeadRow, RuleSet, Summary } from '../leadscore.js';

export interface LeadScorerScored {
  summary: Summary;
  top: Array<{ index: number; score: number; tier: string }>;
}
export interface LeadScorerSelect {
  index: number;
  row: LeadRow;
  ledger: Ledger;
}

export class LeadScorerElement extends HTMLElement {
  static observedAttributes: string[];
  /** A rule set object or JSON text; wins over the `rules` attribute (a URL). */
  rules: RuleSet | string | null;
  /** Leads as CSV/TSV/JSON/NDJSON text; wins over the `src` attribute (a URL). */
  csv: string | null;
  /** How many top leads to list (attribute `top`, default 10). */
  top: number;
  /** The last summary, null before the first score. */
  readonly summary: Summary | null;
}

/** Registers the element under another tag name (it is registered as `lead-scorer` on import). */
export function define(name?: string): void;

declare global {
  interface HTMLElementTagNameMap {
    'lead-scorer': LeadScorerElement;
  }
  interface HTMLElementEventMap {
    'lead-scorer:scored': CustomEvent<LeadScorerScored>;
    'lead-scorer:select': CustomEvent<LeadScorerSelect>;
    'lead-scorer:error': CustomEvent<{ error: Error }>;
  }
}
