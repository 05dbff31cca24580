// Types of the visitor runtime: `import { createVisitor } from 'leadscore/visitor'` (docs/embed.md).
import type { Ledger, RuleSet } from '../leadscore.js';

/** Where the visitor build's .wasm comes from (default: next to this module). */
export interface VisitorLoadOptions {
  wasmUrl?: string | URL;
  /** The .wasm bytes, where fetching a URL does not work (Node). */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

/** One engagement event as stored: a type, an ISO timestamp and the event's own properties. */
export interface VisitorEvent {
  type: string;
  timestamp: string;
  [property: string]: string | number | boolean | null;
}

export interface VisitorScoreRequest {
  rules: RuleSet | string;
  /** What the site knows about the visitor: the fields fit rules read. */
  properties?: Record<string, string | number | boolean | null>;
  events?: VisitorEvent[];
  /** The day scores are computed against, YYYY-MM-DD (default: none; event rules need one). */
  asOf?: string;
}

export interface VisitorTier {
  name: string;
  min: number | null;
}

/** A scored visitor: every number equals the core's (the CLI's) for the same rules and events. */
export interface VisitorScore {
  score: number;
  tier: string;
  action: string;
  cell: string;
  salesReady: boolean;
  salesReadyMin: number | null;
  /** Index into `tiers` (highest tier first). */
  tierIndex: number;
  tiers: VisitorTier[];
  groups: Record<string, number>;
  ledger: Ledger;
  /** Rules left out because they read a property or event column this visitor does not have. */
  skipped: Array<{ ruleId: string; field: string }>;
  warnings: Array<{ code: string; message: string; severity: string; ruleId?: string; path?: string }>;
}

/** Loads the visitor build once (later calls reuse it). */
export function loadCore(options?: VisitorLoadOptions): Promise<unknown>;
/** Scores one visitor. Rejects with a LeadScoreError-shaped error (code, line, column, ruleId). */
export function scoreVisitor(request: VisitorScoreRequest, options?: VisitorLoadOptions): Promise<VisitorScore>;

export class VisitorScoreError extends Error {
  code: string;
  line?: number;
  column?: number;
  ruleId?: string;
  field?: string;
}

/** localStorage key of everything the runtime keeps. */
export const STORAGE_KEY: string;

export interface VisitorOptions extends VisitorLoadOptions {
  rules?: RuleSet | string | null;
  /** true when consent is implied by the site (default false: nothing is stored until consent()). */
  consent?: boolean;
  /** Days events are kept (default 90). */
  retentionDays?: number;
  /** Most events kept, newest first (default 500). */
  maxEvents?: number;
  /** Default: localStorage. */
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  /** Default: document (DOM events, hidden fields). */
  document?: Document;
  /** The clock (ms since 1970), for tests. */
  now?: () => number;
}

export interface TierDetail {
  score: number;
  tier: string;
  action: string;
  salesReady: boolean;
  ledger: Ledger;
}
export interface TierChange extends TierDetail {
  previous: string | null;
}
export interface Crossing extends TierDetail {
  /** The threshold passed: a tier (name and min) or `{name: 'salesReady', min}`. */
  threshold: VisitorTier;
}

export interface Visitor {
  consent(granted?: boolean): Visitor;
  hasConsent(): boolean;
  forget(): Visitor;
  setRules(rules: RuleSet | string): Promise<VisitorScore | null>;
  set(properties: Record<string, string | number | boolean | null>): Promise<VisitorScore | null>;
  track(type: string, properties?: Record<string, string | number | boolean | null>): Promise<VisitorScore | null>;
  page(path?: string, search?: string): Promise<VisitorScore | null>;
  on(type: 'tier', listener: (detail: TierChange) => void): () => void;
  on(type: 'cross', listener: (detail: Crossing) => void): () => void;
  on(type: 'score', listener: (detail: TierDetail) => void): () => void;
  on(type: 'error', listener: (error: Error) => void): () => void;
  off(type: 'tier' | 'cross' | 'score' | 'error', listener: (detail: never) => void): void;
  current(): VisitorScore | null;
  /** What is stored, as the CLI reads it (lead_id "visitor"). */
  export(): {
    properties: Record<string, string | number | boolean | null>;
    events: Array<VisitorEvent & { lead_id: string }>;
    visits: number;
  };
  score(): Promise<VisitorScore | null>;
}

export function createVisitor(options?: VisitorOptions): Visitor;
/** Records page views, form submits, [data-leadscore-event] clicks and time on page; returns a stop function. */
export function autoTrack(visitor: Visitor, options?: { document?: Document; now?: () => number }): () => void;
export function prune(
  events: VisitorEvent[],
  options: { now: number; retentionDays: number; maxEvents: number },
): VisitorEvent[];

declare global {
  interface DocumentEventMap {
    'leadscore:tier': CustomEvent<TierChange>;
    'leadscore:cross': CustomEvent<Crossing>;
    'leadscore:score': CustomEvent<TierDetail>;
  }
}
