// Type declarations for dist/leadscore.mjs (and dist/split/leadscore.mjs): the leadscore
// WebAssembly module and its ES-module facade (wasm/leadscore.js). Hand-written; the shapes
// mirror the JSON produced by wasm/bindings.cpp, core/rules.cpp to_json(RuleSet) and
// core/scorer.cpp to_json(Ledger). The last section declares the worker pair (dist/worker.mjs,
// dist/worker-client.mjs). Longer than our ~600-line guide on purpose: it is the one type
// declaration of the whole API, read top to bottom.
//
//   import { load, LeadScoreError } from './leadscore.mjs';
//   const ls = await load();
//   const leads = ls.loadLeads(csvText, { rules });
//   const scorer = ls.score(leads, rules);
//   const best = scorer.top(10);                 // Int32Array of lead indices
//   console.log(scorer.ledger(best[0]));         // why the best lead scored what it did
//   scorer.dispose(); leads.dispose();

// ---------------------------------------------------------------------------------------------
// Loading the module
// ---------------------------------------------------------------------------------------------

/**
 * Options for {@link load}, passed to Emscripten's module factory. Only needed for the split
 * build (`dist/split/leadscore.mjs` + `leadscore.wasm`); the single-file build carries its
 * WebAssembly inline and needs none.
 */
export interface LoadModuleOptions {
  /**
   * The `.wasm` bytes, when the loader cannot fetch them itself (e.g. the split build in Node:
   * `wasmBinary: fs.readFileSync('dist/split/leadscore.wasm')`).
   */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Maps a file name the loader wants (`leadscore.wasm`) to the URL to fetch it from. */
  locateFile?: (path: string, scriptDirectory: string) => string;
  /** Where the module's standard output goes (default `console.log`). */
  print?: (text: string) => void;
  /** Where the module's standard error goes (default `console.warn`). */
  printErr?: (text: string) => void;
}

/**
 * Loads and instantiates the WebAssembly module. The first call starts loading; every later
 * call returns the same promise (one instance per module file), and `options` of later calls
 * are ignored. If loading fails, the next call tries again.
 */
export function load(options?: LoadModuleOptions): Promise<LeadScore>;

// ---------------------------------------------------------------------------------------------
// Errors and diagnostics
// ---------------------------------------------------------------------------------------------

/**
 * Machine-readable kind of a {@link LeadScoreError}.
 *
 * From rule sets (the first error's diagnostic code): `json` (not valid JSON; has line/column),
 * `schema`, `unknown_key`, `version`, `bounds`, `bands`, `limit`, `duplicate`, `unknown_group`,
 * `unknown_tier`, `unknown_cell`, `unknown_operator`, `logic`, `unknown_field` (has ruleId and
 * field), `type_mismatch`, `unknown_rule` (an edit named a rule id that does not exist).
 *
 * From loading leads: `load` (the input cannot be read as a table: unterminated quote, invalid
 * JSON, not an array of objects; line/column), `empty` (no header, no data), `limit` (over a limit
 * of docs/limits.md: input size — see {@link LoadOptions.maxBytes} —, cell size, columns, nesting;
 * line/column/field where it applies), `format` (an XLSX/XLS/HTML/PDF/ZIP/gzip file, not text),
 * `encoding` (UTF-16 text, a NUL byte; line/column/field), `cancelled`.
 *
 * From the facade: `schema` also when a rule set object holds NaN or ±Infinity (JSON has neither;
 * `field` names the key, `ruleId` the rule).
 *
 * From {@link LeadScore.apply}: `eval` (the expression threw while evaluating, as
 * json-logic-engine throws; see `type`), `logic` (unknown operator or wrong arity; see
 * `operator`, `path`), `json`.
 *
 * From events ({@link LeadScore.loadEvents}, {@link Scorer.setEvents}, {@link Scorer.setAsOf}):
 * `events` (a column to join on is missing, or the events belong to other leads), `as_of` (the
 * rules use events or computed days and no valid as-of date is set), `decay` (a rule decays in
 * a group that is not marked decaying).
 *
 * From the facade: `disposed` (a method called after dispose()), `state` (a finished loader
 * was fed), `range` (a lead index outside 0..rows-1), `unknown_group`, `unknown_tier` (a group
 * or tier name that the rule set lacks), `memory` (wasm memory exhausted), `internal`.
 *
 * From outcomes and metrics: `unknown_field` (no such outcome or id column; has field),
 * `outcome` (a column that cannot hold outcomes, e.g. dates), `mismatch` (outcomes or scorers
 * made from different leads), `unknown_cell` (listMigration), `range` (a bad capacity).
 *
 * New codes may be added; treat unknown ones as generic errors.
 */
export type LeadScoreErrorCode =
  | 'json'
  | 'schema'
  | 'unknown_key'
  | 'version'
  | 'bounds'
  | 'bands'
  | 'limit'
  | 'duplicate'
  | 'unknown_group'
  | 'unknown_tier'
  | 'unknown_cell'
  | 'unknown_operator'
  | 'logic'
  | 'unknown_field'
  | 'type_mismatch'
  | 'unknown_rule'
  | 'events'
  | 'as_of'
  | 'decay'
  | 'load'
  | 'empty'
  | 'format'
  | 'encoding'
  | 'cancelled'
  | 'eval'
  | 'disposed'
  | 'state'
  | 'range'
  | 'memory'
  | 'internal'
  | 'outcome'
  | 'mismatch'
  | (string & {});

/**
 * The error every leadscore call throws for invalid input, rules or state. A real `Error`
 * (`instanceof Error`), with a sentence for a person in `message` and where it happened in the
 * other fields, when known.
 */
export class LeadScoreError extends Error {
  /** @internal Built by the facade from the core's error JSON. */
  constructor(error: { message: string; code: string; [key: string]: unknown });
  /** Always `"LeadScoreError"`. */
  readonly name: 'LeadScoreError';
  /** What went wrong, as a sentence that says what to do. */
  readonly message: string;
  /** Machine-readable kind; see {@link LeadScoreErrorCode}. */
  readonly code: LeadScoreErrorCode;
  /**
   * 1-based line: in the rule set text (invalid JSON) or in the leads' input (a CSV with an
   * unterminated quote: the line where the quote opened).
   */
  readonly line?: number;
  /** 1-based column (counted in characters) that goes with {@link line}. */
  readonly column?: number;
  /** The rule the error is about (e.g. a rule using an unknown field). */
  readonly ruleId?: string;
  /** The field (column) the error is about, e.g. the unknown field's name. */
  readonly field?: string;
  /** Where in the rule set, e.g. `rules[3].when`; for `logic` errors a JSON pointer into the expression. */
  readonly path?: string;
  /** Rule set errors: every problem found (errors and warnings), not only the first. */
  readonly diagnostics?: Diagnostic[];
  /** `logic` errors from {@link LeadScore.apply}: the offending operator. */
  readonly operator?: string;
  /**
   * `eval` errors: the value json-logic-engine would throw (`"NaN"`, `"Invalid Arguments"`, or
   * the value given to `{"throw": ...}`).
   */
  readonly type?: unknown;
}

/** A problem (error) or remark (warning) about a rule set, with where it is. */
export interface Diagnostic {
  /** Errors stop a rule set from being used; warnings are shown next to the scores. */
  severity: 'error' | 'warning';
  /**
   * Machine-readable kind: error codes as in {@link LeadScoreErrorCode}; warnings include
   * `never_fires`, `always_fires`, `eval_error` (the condition threw for some leads),
   * `field_not_in_data` (a declared field has no column), `review` (a large rule set);
   * with events: `no_events` (rules count events but none are loaded), `unknown_event_type`
   * (a rule's type occurs in no event), `future_events` (events dated after the as-of day,
   * not counted).
   */
  code: string;
  /** A sentence for a person: what is wrong and what to do. */
  message: string;
  /** Path into the rule set, e.g. `rules[3].when`. */
  path?: string;
  /** The rule concerned. */
  ruleId?: string;
  /** The field concerned. */
  field?: string;
  /** 1-based line (rule set text, or for `eval_error` the input line of the first failing lead). */
  line?: number;
  /** 1-based column, with {@link line} (absent for `eval_error`). */
  column?: number;
}

// ---------------------------------------------------------------------------------------------
// Rule sets (docs/rules.md)
// ---------------------------------------------------------------------------------------------

/** A JsonLogic expression (json-logic-engine 5.0.7 semantics): any JSON value. */
export type JsonLogic = null | boolean | number | string | JsonLogic[] | { [operator: string]: JsonLogic };

/** Any JSON value (data for {@link LeadScore.apply}, results of it). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A column type: declared in `fields`, or inferred from the data. */
export type FieldType = 'number' | 'boolean' | 'date' | 'string';

/** A field declaration: the value of one `fields` entry. */
export interface FieldDeclaration {
  /** Declared type; wins over inference. A cell that does not fit becomes missing and is reported. */
  type?: FieldType;
  /** Other header spellings (matched after lower-casing and keeping only letters and digits). */
  aliases?: string[];
  /** Extra "no value" texts for this field only. */
  missing?: string[];
  /** Notes for people (accepted in rule sets, not kept in the normalised form). */
  description?: string;
  /** Display name (accepted in rule sets, not kept in the normalised form). */
  label?: string;
}

/** A sub-score (e.g. `fit`, `engagement`), optionally capped. */
export interface Group {
  /** Unique id; rules name it in `group`. */
  id: string;
  /** What people see (default: the id). */
  label?: string;
  description?: string;
  /** Lower cap on the group's sum. */
  min?: number;
  /** Upper cap on the group's sum. */
  max?: number;
  /**
   * Marks the group as decaying (docs/rules.md, "Events"): `true` lets its event rules use
   * their own `events.decay`; a {@link Decay} is also the default decay of its event rules.
   * Groups without it (e.g. `fit`) never decay; a rule there with `events.decay` is an error.
   */
  decay?: boolean | Decay;
}

/**
 * How an event's points fade with its age in whole days (`age` = as-of day − event day, UTC;
 * 0 on the as-of day). Applied to each event's points before the rule's and group's caps.
 * Give `halfLife` or `linear` (or neither), optionally with `expire`.
 */
export interface Decay {
  /** Exponential: `points · 0.5^(age / halfLife)` (days, > 0). */
  halfLife?: number;
  /** Linear steps: `points · max(0, 1 − rate · ⌊age / period⌋)` (rate > 0, period a whole number of days ≥ 1). */
  linear?: { rate: number; period: number };
  /** Expiry: an event `expire` days old or older gives 0 points (whole days ≥ 1). */
  expire?: number;
}

/** A test on the number of matching events: exactly one key. */
export type CountTest =
  | { '=': number }
  | { '>=': number }
  /** Also matches leads with zero matching events. */
  | { '<=': number }
  /** Inclusive: `a ≤ count ≤ b`. */
  | { between: [number, number] };

/** A tier of points by event count ({@link EventCriteria.bands}). */
export interface EventBand {
  /** Lowest count (inclusive) that earns these points; the highest band reached wins. */
  min: number;
  points: number;
}

/** Which events a rule (or a computed field) looks at, and how they score. docs/rules.md, "Events". */
export interface EventCriteria {
  /** Event type(s) to match (compared exactly); absent: every type. */
  type?: string | string[];
  /** JsonLogic over the event's columns (its properties, `type`, `timestamp`); absent: every event of the type. */
  where?: JsonLogic;
  /** Only events less than this many whole days old (ages 0 .. within−1). Absent: all events up to the as-of day. */
  within?: number;
  /** Test on the count of matching events (after `within` and `dedupe`); default `{">=": 1}`. */
  count?: CountTest;
  /**
   * `once` (default): the rule's points once; `every`: points for every matching event;
   * `daily` / `weekly`: at most once per UTC day / per week (Monday to Sunday, UTC).
   */
  repeat?: 'once' | 'every' | 'daily' | 'weekly';
  /** An event column: events with the same value count once (the newest is kept). Missing values are not merged. */
  dedupe?: string;
  /** Points by count instead of `points` (repeat must be `once`), e.g. 1–3 events → 2, 4+ → 5. */
  bands?: EventBand[];
  /** This rule's decay (its group must be marked decaying); `false`: this rule does not decay. */
  decay?: Decay | false;
}

/**
 * A computed field (declared in `fields` like a column): a number per lead, recomputed when the
 * events or the as-of date change, usable in `when` and `per` like any number column.
 */
export type ComputedField =
  | {
      /**
       * Days from a date field of the leads to the as-of day (negative for future dates), or,
       * given event criteria, days since the lead's newest matching event (not counting events
       * after the as-of day).
       */
      daysSince: string | Pick<EventCriteria, 'type' | 'where'>;
      /** Value when there is nothing to count from (missing date, no matching event); default: missing. */
      default?: number;
      type?: 'number';
      description?: string;
      label?: string;
    }
  | {
      /** Number of matching events (after `within` and `dedupe`); 0 when there are none. */
      eventCount: Pick<EventCriteria, 'type' | 'where' | 'within' | 'dedupe'>;
      type?: 'number';
      description?: string;
      label?: string;
    };

/** One scoring rule. */
export interface Rule {
  /** Unique, at most 100 characters; errors and ledgers name it. */
  id: string;
  /** What people see (default: the id). */
  label?: string;
  /** Why the rule exists. */
  description?: string;
  /** A declared group id (default: the first group). */
  group?: string;
  /**
   * Finite number, positive or negative (per unit when `per` is set; per matching event or
   * period with `events.repeat`). Required, except with `events.bands` (which give the points).
   */
  points?: number;
  /** A number or boolean field: the rule gives `points × value`. A missing value gives 0. */
  per?: string;
  /** Lower clamp on this rule's points. */
  min?: number;
  /** Upper clamp on this rule's points. */
  max?: number;
  /** The condition (JsonLogic). Without it the rule always applies. */
  when?: JsonLogic;
  /** `false` keeps the rule in the set without applying it. */
  enabled?: boolean;
  /**
   * Event criteria: the rule fires when `when` (if any) holds for the lead AND the count test
   * on its matching events passes. Needs an as-of date; see docs/rules.md, "Events".
   */
  events?: EventCriteria;
  /** Keys starting with `x-` are kept as your own notes. */
  [note: `x-${string}`]: unknown;
}

/** A tier: a band of the total with a next-step action. */
export interface Tier {
  name: string;
  /** Inclusive lower bound. Exactly the lowest tier omits it (or sets it at or below `total.min`). */
  min?: number;
  /** Next step for leads in this tier. */
  action?: string;
  description?: string;
}

/** A band of a matrix axis (`A`..`D`, `1`..`4`). */
export interface MatrixBand {
  label: string;
  /** Inclusive lower bound on the group's score; the lowest band omits it. */
  min?: number;
  action?: string;
  description?: string;
}

/** The fit × engagement grid. */
export interface Matrix {
  fit?: { group?: string; bands: MatrixBand[] };
  engagement?: { group?: string; bands: MatrixBand[] };
  /** Next step per cell, e.g. `{"A1": "Call now"}`. */
  actions?: Record<string, string>;
}

/** A rule set as written (format 1; see docs/rules.md). */
export interface RuleSet {
  /** The JSON Schema editors check the file with (docs/rule-set.schema.json); not scored. */
  $schema?: string;
  /** Format version; only `1` is read. */
  leadscore?: 1;
  name?: string;
  description?: string;
  /** Field declarations by field name (the name rules use in `var`), and computed fields. */
  fields?: Record<string, FieldDeclaration | ComputedField>;
  /** Texts that mean "no value" in every column (replaces the default list). */
  missing?: string[];
  /** Sub-scores; default `fit` and `engagement` without caps. */
  groups?: Group[];
  /** Limit on the final score. */
  total?: { min?: number; max?: number };
  /** At most 2,000 rules. */
  rules: Rule[];
  /** Bands of the total; default one tier "All". */
  tiers?: Tier[];
  /** Threshold on the total, or a tier name (that tier's `min`). */
  salesReady?: number | string;
  matrix?: Matrix;
  /** Keys starting with `x-` are kept as your own notes. */
  [note: `x-${string}`]: unknown;
}

/**
 * A rule set as the core keeps it ({@link LeadScore.checkRules}, {@link Scorer.rules}):
 * defaults filled in, tiers and bands sorted from the highest `min` down, `salesReady` a number,
 * labels omitted where they equal the id, field notes and `x-` keys dropped.
 */
export interface NormalizedRuleSet {
  $schema?: string;
  leadscore: 1;
  name?: string;
  description?: string;
  fields?: Record<string, { type?: FieldType; aliases?: string[]; missing?: string[] } | ComputedField>;
  missing?: string[];
  groups: Group[];
  total?: { min?: number; max?: number };
  rules: Array<Rule & { group: string }>;
  /** Highest first; the index of a tier here is what {@link Scorer.tiers} holds. */
  tiers: Tier[];
  salesReady?: number;
  matrix?: {
    fit: { group: string; bands: MatrixBand[] };
    engagement: { group: string; bands: MatrixBand[] };
    actions: Record<string, string>;
  };
}

/** Result of {@link LeadScore.checkRules}. */
export interface CheckRulesResult {
  /** The rule set, normalised. */
  rules: NormalizedRuleSet;
  /** Warnings (errors throw instead). */
  warnings: Diagnostic[];
}

// ---------------------------------------------------------------------------------------------
// Leads
// ---------------------------------------------------------------------------------------------

/** Options for {@link LeadScore.loadLeads} and {@link LeadScore.createLoader}. */
export interface LoadOptions {
  /** Input format; `auto` (default) decides by the first character: `[` JSON, `{` NDJSON, else CSV. */
  format?: 'auto' | 'csv' | 'tsv' | 'json' | 'ndjson';
  /** CSV delimiter, one character; default: detected among `,` `;` tab `|`. */
  delimiter?: string;
  /** Texts meaning "no value" in every column (replaces the default list; `[]` turns it off). */
  missing?: string[];
  /** Field declarations, as in a rule set's `fields` (merged over those of `rules`). */
  fields?: Record<string, FieldDeclaration>;
  /** How to read dates like `03/04/2024`; default `auto` (month first unless a value shows otherwise). */
  dateOrder?: 'auto' | 'MDY' | 'DMY';
  /**
   * Decimal separator of formatted numbers (`1.234,5`, `12,5`); default `auto`: detected per
   * column (`1,234` alone reads as 1234, or 1.234 in `;`-delimited files; a load note says which).
   */
  decimal?: 'auto' | '.' | ',';
  /** At most this many load problems are listed (default 1000; 0 = no limit). */
  maxProblems?: number;
  /**
   * Largest input accepted, in bytes (default 1 GiB, 0 = no limit). A larger input fails with a
   * `limit` error suggesting the native CLI, which streams files of any size (docs/limits.md).
   */
  maxBytes?: number;
  /**
   * The input's size in bytes when known before it is fed (a File's `size`): only a hint, with
   * which a CSV load reserves its per-row storage once, keeping the wasm memory peak down.
   * `loadLeads` and the worker set it themselves.
   */
  sizeHint?: number;
  /**
   * The rule set the leads are for (object or JSON text): its `fields` (types, aliases,
   * missing texts) and `missing` list are used while loading.
   */
  rules?: RuleSet | string;
}

/** A column of a loaded table. */
export interface ColumnInfo {
  /** Name rules use: the declared field name when a header or alias matched, else the header. */
  name: string;
  /** The header as written in the file. */
  header: string;
  /** Declared or inferred type. */
  type: FieldType;
  /** How many leads have no value here. */
  missing: number;
  /** String columns: how many distinct values. */
  distinct?: number;
}

/** A cell or row the loader could not take as written (the row is never dropped). */
export interface LoadProblem {
  /** 1-based input line where the record or cell starts (0 = the whole file). */
  line: number;
  /** What happened and what was done ("kept as missing", "extra fields ignored", ...). */
  message: string;
  /** 1-based field index (CSV), when it concerns one cell. */
  column?: number;
  /** The column's name, when it concerns one column. */
  field?: string;
}

/** What the loader detected: {@link Leads.info}. */
export interface LeadsInfo {
  rows: number;
  format: 'csv' | 'json' | 'ndjson';
  /** Detected (or given) CSV delimiter; `""` for JSON/NDJSON. */
  delimiter: string;
  columns: ColumnInfo[];
  problems: LoadProblem[];
}

/**
 * One lead's values as rules see them: numbers, `true`/`false`, texts, dates as ISO texts.
 * Missing values are absent.
 */
export type LeadRow = Record<string, number | boolean | string>;

/** A lead table held in wasm memory. Free it with {@link Leads.dispose} when done. */
export interface Leads {
  /** Number of leads (data rows). */
  readonly rows: number;
  readonly columns: ColumnInfo[];
  readonly format: LeadsInfo['format'];
  readonly delimiter: string;
  readonly problems: LoadProblem[];
  /** Everything above as one plain object. */
  readonly info: LeadsInfo;
  /** Lead `i`'s values (0-based). Throws `range` when `i` is not an integer in 0..rows-1. */
  row(i: number): LeadRow;
  /**
   * One column's values for every lead, in one call (copies; lead `i` at index `i`). Numbers,
   * booleans (1/0) and dates (ms since 1970-01-01T00:00:00Z) come as `values` with `NaN` for
   * missing; texts as dictionary `codes` (`-1` = missing) into `dictionary` (distinct values in
   * first-seen order). By name or 0-based column index; throws `unknown_field`.
   */
  column(name: string | number): ColumnValues;
  /**
   * Known outcomes from a column of these leads (e.g. `y`, `converted`, `status`): yes/no,
   * 1/0, true/false, won/lost, y/n (any case, spaces trimmed). Any other value and missing cells
   * are unknown: counted in {@link OutcomesInfo} and left out of every metric. Throws
   * `unknown_field` (with a suggestion) when there is no such column, `outcome` for a date column.
   */
  outcomes(column: string): Outcomes;
  /**
   * Frees the table's memory. Scorers made from it keep working (they share the table).
   * Handles dropped without dispose() are freed after garbage collection, eventually.
   */
  dispose(): void;
}

/** {@link Leads.column}: a number/boolean/date column, or a text column. */
export type ColumnValues =
  | { name: string; type: 'number' | 'boolean' | 'date'; values: Float64Array }
  | { name: string; type: 'string'; codes: Int32Array; dictionary: string[] };

/** Progress of an incremental load. */
export interface LoaderProgress {
  /** Bytes fed so far. */
  bytes: number;
  /** Rows parsed so far (updated about every 1 MB / 64k rows; CSV only, JSON counts at finish). */
  rows: number;
}

/**
 * Incremental loading: feed the input in pieces split anywhere (inside a quoted field or a
 * UTF-8 character too), then {@link LeadLoader.finish}. Gives the same table as loading the
 * whole text at once. CSV is parsed as it arrives; JSON/NDJSON when finished.
 */
export interface LeadLoader {
  /** Feeds one piece (text, or bytes as UTF-8). Throws `state` after finish()/dispose(). */
  feed(chunk: string | ArrayBuffer | ArrayBufferView): LoaderProgress;
  /** Parses what was fed and returns the table. The loader is disposed either way. */
  finish(): Leads;
  /** Abandons the load and frees its memory. */
  dispose(): void;
}

// ---------------------------------------------------------------------------------------------
// Events (activity over time; docs/rules.md, "Events")
// ---------------------------------------------------------------------------------------------

/**
 * Options for {@link LeadScore.loadEvents} and {@link LeadScore.createEventLoader}: the load
 * options of leads (format, delimiter, missing, fields, dateOrder, maxProblems), the leads to
 * join to, and which columns are which. Column names are matched like headers (case, spaces
 * and punctuation ignored).
 */
export interface EventLoadOptions extends Omit<LoadOptions, 'rules'> {
  /** The leads these events belong to: they are joined (and grouped by lead) once, here. */
  leads: Leads;
  /** Events' column holding the lead id. Default: the first of `lead_id`, `lead`, `contact_id`, `email`, `id`. */
  leadId?: string;
  /**
   * Leads' column the id is matched against (exact text after trimming spaces; numbers by
   * value). Default: the leads' column named like `leadId`, else the first of `lead_id`, `id`,
   * `email`, `contact_id`.
   */
  leadKey?: string;
  /** Events' column holding the event type. Default: the first of `type`, `event`, `event_type`, `activity`, `action`. */
  type?: string;
  /**
   * Events' column holding when it happened (dates or date-times as in leads; times without a
   * zone are UTC). Default: the first of `timestamp`, `time`, `date`, `occurred_at`,
   * `event_time`, `event_date`, `created_at`. Cells that are not dates are listed in problems.
   */
  timestamp?: string;
}

/** What loading and joining events found: {@link Events.info}. */
export interface EventsInfo {
  /** Events read (every row of the input, joined or not). */
  rows: number;
  format: 'csv' | 'json' | 'ndjson';
  delimiter: string;
  /** The events' columns (properties included). */
  columns: ColumnInfo[];
  /**
   * Cells the loader could not take as written, events whose lead id is unknown or missing,
   * events without a usable timestamp, lead ids used by two leads: each with its line.
   */
  problems: LoadProblem[];
  /** Resolved column names. */
  leadId: string;
  leadKey: string;
  type: string;
  timestamp: string;
  /** Events joined to a lead. */
  matched: number;
  /** Events whose lead id matches no lead (kept, never scored). */
  unknownLeads: number;
  /** Up to 20 of those ids, in first-seen order. */
  unknownLeadIds: string[];
  /** Events without a lead id. */
  missingLeadId: number;
  /** Events without a usable timestamp (never counted; see problems for their lines). */
  undated: number;
  /** Leads that have at least one event. */
  leadsWithEvents: number;
  /** Event types with their counts, most frequent first. */
  types: Array<{ type: string; count: number }>;
  /** Earliest and latest event day (`YYYY-MM-DD`, UTC), when any event is dated. */
  firstDay?: string;
  lastDay?: string;
}

/**
 * Activity events joined to one lead table, stored columnar and grouped by lead once: scoring,
 * rule edits and as-of changes never re-read or re-sort them. Free with {@link Events.dispose}.
 */
export interface Events {
  readonly rows: number;
  readonly problems: LoadProblem[];
  readonly info: EventsInfo;
  /** Event `i` (0-based, in input order) as `where` sees it. Throws `range`. */
  row(i: number): LeadRow;
  /** Frees the events (scorers using them keep their own reference). */
  dispose(): void;
}

/** Incremental loading of events, like {@link LeadLoader}; finish() joins them to the leads. */
export interface EventLoader {
  feed(chunk: string | ArrayBuffer | ArrayBufferView): LoaderProgress;
  finish(): Events;
  dispose(): void;
}

/**
 * An as-of date: `YYYY-MM-DD`, or a `Date` (its local calendar date, which is what "today"
 * means to the person at the page). Every time computation is against it, never the clock.
 */
export type AsOf = string | Date;

/** Options for {@link LeadScore.score}. */
export interface ScoreOptions {
  /** Events joined to the same leads (from {@link LeadScore.loadEvents}). */
  events?: Events | null;
  /** Required when the rules use events or computed `daysSince` / `eventCount` fields. */
  asOf?: AsOf | null;
  /** Score rules that read a field the leads lack as disabled (see {@link Scorer.skipped}). */
  skipMissingFields?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------

/** What an edit did: {@link Scorer.setRules} and the single-rule edits. */
export interface EditResult {
  /** Warnings about the new rule set (never-firing rules, evaluation errors, ...). */
  warnings: Diagnostic[];
  /** How many conditions had to be evaluated over the leads (unchanged ones are cached). */
  evaluated: number;
  /** setRules with `skipMissingFields`: the rules left out. */
  skipped?: SkippedRule[];
}

/** A rule scored as disabled because it reads a field the leads lack. */
export interface SkippedRule {
  ruleId: string;
  field: string;
  message: string;
}

/** Histogram edges: `bins` bins of `width` from `lo` to `hi`. */
export interface HistogramBins {
  lo: number;
  hi: number;
  bins: number;
  width: number;
}

/** Per-rule statistics ({@link Scorer.stats}). */
export interface RuleStats {
  id: string;
  enabled: boolean;
  /** Leads whose condition held. */
  fired: number;
  /** Leads where evaluating the condition threw (they get no points from it). */
  errors: number;
  /** How the condition runs, e.g. `lookup(title) and compare(age)`. */
  plan: string;
  /** When errors > 0: why the first failing lead failed. */
  firstError?: string;
  /** When errors > 0: the first failing lead (0-based index). */
  firstErrorRow?: number;
}

/** A rule that fired for a lead, in its {@link Ledger}. */
export interface LedgerRule {
  /** Rule id. */
  id: string;
  label: string;
  group: string;
  /** Points before the rule's own min/max (points × value for per-unit rules). */
  raw: number;
  /** Points after the rule's min/max: what the group sum got. */
  points: number;
  /** Which bound of the rule clipped `raw`. */
  clipped?: 'rule min' | 'rule max';
  /** Per-unit rules: the field's value (absent when it is missing). */
  value?: number;
  /** E.g. "'page_views' is missing for this lead: 0 points". */
  note?: string;
  /**
   * Event rules: matching events counted (type, `where`, dated on or before the as-of day,
   * within the window, after `dedupe`).
   */
  count?: number;
  /** Event rules with `repeat` `every` / `daily` / `weekly`: how many events or periods earned points. */
  occurrences?: number;
  /** Event rules: `effective / raw` (1 without decay; for `once`, the newest event's factor). */
  decay?: number;
  /** Event rules: points after decay, before the rule's min/max (`points` = clamp(effective)). */
  effective?: number;
  /** Event rules: age in days of the newest counted event (absent when none was counted). */
  daysSince?: number;
  /** Event rules: matching events dated after the as-of day, not counted (absent when 0). */
  future?: number;
  /** Event rules: matching events without a usable timestamp, not counted (absent when 0). */
  undated?: number;
}

/** A group's part of a {@link Ledger}. */
export interface LedgerGroup {
  id: string;
  label: string;
  /** Sum of the group's rules' points. */
  sum: number;
  /** After the group's min/max. */
  score: number;
  clipped?: 'group min' | 'group max';
}

/** Why a lead scored what it did ({@link Scorer.ledger}). The total equals the ledger's sum after caps. */
export interface Ledger {
  /** 0-based lead index. */
  lead: number;
  /** 1-based input line where the lead's row starts (0 if unknown). */
  line: number;
  /** Final score, after the total's min/max. */
  total: number;
  /** Sum of the group scores, before the total's min/max. */
  sum: number;
  clipped?: 'total min' | 'total max';
  /** Tier name. */
  tier: string;
  /** The tier's next-step action ("" when none). */
  action: string;
  salesReady: boolean;
  /** Every group, in rule-set order. */
  groups: LedgerGroup[];
  /** Every rule that fired: by group, in rule order within a group. */
  rules: LedgerRule[];
  /** With a matrix: the cell, fit label + engagement label (e.g. `A1`). */
  cell?: string;
  /** With a matrix: the cell's action ("" when none). */
  cellAction?: string;
  /** Rules whose condition threw for this lead (they gave no points). */
  errors?: Array<{ id: string; message: string }>;
  /**
   * Only for a rule set learned from outcomes (its `x-learned` note, docs/learn.md): the probability
   * the total stands for, logistic((total - offset) / factor), and the `3` features whose points for
   * this lead differ most from their average over the train leads.
   */
  learned?: {
    probability: number;
    logOdds: number;
    factors: { feature: string; rule: string | null; points: number; contribution: number }[];
  };
}

/** Per-lead results, typed-array copies, lead `i` at index `i`. */
export interface Results {
  totals: Float64Array;
  /** Group scores by group id. */
  groups: Record<string, Float64Array>;
  /** Tier index into `scorer.rules.tiers` (0 = highest tier). */
  tiers: Int32Array;
  /** 1 when the total reaches the sales-ready threshold, else 0. */
  salesReady: Uint8Array;
  /** Index into `rules.matrix.fit.bands`, or -1 without a matrix. */
  fitBands: Int32Array;
  /** Index into `rules.matrix.engagement.bands`, or -1 without a matrix. */
  engagementBands: Int32Array;
}

/** Options for {@link Scorer.top} and {@link Scorer.filterByTier}. */
export interface TopOptions {
  /** `'total'` (default) or a group id. */
  by?: string;
  /** Only leads in this tier (name or index). */
  tier?: string | number;
  /** Lowest first instead of highest first. Ties are always in lead order. */
  ascending?: boolean;
}

/** {@link Scorer.summary}. */
export interface Summary {
  rows: number;
  /** Count per tier, highest tier first. */
  tiers: Array<{ name: string; count: number }>;
  /** Leads at or above the sales-ready threshold. */
  salesReady: number;
  /** Lowest, highest and mean total (0 without leads). */
  min: number;
  max: number;
  mean: number;
  /** Counts of totals in `bins` equal-width bins from min to max (the max falls in the last). */
  histogram: number[];
}

/**
 * Scores of one lead table under one rule set, kept up to date as rules change. Edits are
 * all-or-nothing: one that throws leaves the rules and results as they were. Re-scoring after an
 * edit evaluates only the conditions that changed and gives exactly the result of a fresh scorer.
 */
export interface Scorer {
  /**
   * Replaces the rule set (object or JSON text). With `skipMissingFields`, rules that read a
   * field the leads lack are scored as disabled and listed in `skipped` (any other error still
   * throws, changing nothing).
   */
  setRules(rules: RuleSet | string, options?: { skipMissingFields?: boolean }): EditResult;
  /** The rules the last setRules (or score) left out with `skipMissingFields`. */
  readonly skipped: SkippedRule[];
  /**
   * Inserts a rule at `index`: a whole number from 0 to the number of rules, or -1 (the
   * default) for the end. Anything else throws LeadScoreError code "range"; nothing is clamped.
   */
  addRule(rule: Rule | string, index?: number): EditResult;
  /** Replaces the rule with id `id` (the new rule may have another id). */
  replaceRule(id: string, rule: Rule | string): EditResult;
  removeRule(id: string): EditResult;
  /** Turns a rule on or off without removing it. */
  setEnabled(id: string, enabled: boolean): EditResult;
  /**
   * Moves a rule to position `index`, a whole number from 0 to the number of rules - 1.
   * Anything else throws LeadScoreError code "range"; nothing is clamped.
   */
  moveRule(id: string, index: number): EditResult;
  /**
   * Uses these events (joined to this scorer's leads; `null`: none) and re-scores. Throws
   * `events` for events of other leads, or a rule set error when a rule's `where`/`dedupe`
   * names a column the events lack; then nothing changes.
   */
  setEvents(events: Events | null): EditResult;
  /** Sets the as-of date and re-scores (events are not re-read or re-sorted). `null` clears it. Throws `as_of`. */
  setAsOf(asOf: AsOf | null): EditResult;
  /** The as-of date in use (`YYYY-MM-DD`), or null. */
  readonly asOf: string | null;

  /**
   * The current rule set, normalised (tiers sorted high to low). `rules`, `stats`, `warnings` and
   * `asOf` are read from wasm when first asked for after an edit (an edit followed only by
   * `summary()` or `totals()` does not serialise them); on a disposed scorer they throw
   * `disposed` unless read before `dispose()`.
   */
  readonly rules: NormalizedRuleSet;
  /** Per rule, in rule order. */
  readonly stats: RuleStats[];
  /** Warnings of the current rule set. */
  readonly warnings: Diagnostic[];
  /** Number of leads. */
  readonly rows: number;

  /** Every lead's total (copy). */
  totals(): Float64Array;
  /** Every lead's score in one group, by id or index (copy). Throws `unknown_group`. */
  groupScores(group: string | number): Float64Array;
  /** Every lead's tier index into {@link Scorer.rules}`.tiers` (copy). */
  tiers(): Int32Array;
  /** 1/0 per lead (copy). */
  salesReady(): Uint8Array;
  /** Matrix fit band index per lead, -1 without a matrix (copy). */
  fitBands(): Int32Array;
  /** Matrix engagement band index per lead, -1 without a matrix (copy). */
  engagementBands(): Int32Array;
  /** All of the above at once. */
  results(): Results;
  /** Why lead `i` (0-based) scored what it did. Throws `range` outside 0..rows-1. */
  ledger(i: number): Ledger;
  /** Lead `i`'s values, computed fields (`daysSince`, `eventCount`) included. Throws `range` outside 0..rows-1. */
  row(i: number): LeadRow;
  /**
   * Lead indices ordered by score, highest first (ties in lead order); at most `n` (0 = all).
   * Throws `unknown_tier` for an unknown tier and `unknown_group` for an unknown `by`, `range`
   * (field `n` or `tier`) for `n` not a whole number from 0 or a tier number out of range.
   */
  top(n?: number, options?: TopOptions): Int32Array;
  /** Indices of all leads in one tier, by score. */
  filterByTier(tier: string | number, options?: Omit<TopOptions, 'tier'>): Int32Array;
  /**
   * Scored leads as CSV text, exactly as `leadscore score` writes them: every column, then
   * `score`, `score_<group>`, `tier`, `action`, `sales_ready`, (`cell`, `cell_action`) and
   * `reasons`; CRLF line ends. Text cells starting with `=`, `+`, `-`, `@`, tab or CR get a
   * leading `'` so spreadsheets do not run them. For big tables, export in pieces
   * (`begin`/`end`, header only on the first) and join them as Blob parts. `begin` and `end`
   * must be whole numbers with 0 ≤ begin ≤ rows and end ≥ begin (an `end` past the last lead
   * reads to the end; omitted: rows), else `range`.
   */
  toCSV(options?: {
    reasons?: boolean;
    begin?: number;
    end?: number;
    header?: boolean;
    /** Input columns to keep (names or headers as written); default all. */
    keep?: string[];
    /** Added columns, written in this order whatever the order given; default all. */
    add?: ExportColumn[];
    /** Header names to write instead, e.g. `{score: 'Lead Score'}` for a CRM import. */
    rename?: Record<string, string>;
  }): string;
  /** Tier counts, sales-ready count, min/max/mean and a histogram of totals (default 20 bins, 1 to 10,000 — else `range`, field `bins`). With integer totals (integral points and caps) it reads the scorer's exact counts of totals, kept up to date by edits, not every lead. */
  summary(options?: { bins?: number }): Summary;
  /**
   * The totals counted in `bins` equal bins from `lo` to `hi` (default 20, 1 to 10,000 — else `range`): a
   * total below `lo` counts in the first bin, one at or above `hi` in the last. Unlike
   * {@link Summary.histogram} (always min..max), the edges are the caller's, so bars stay put
   * while rules are edited. Non-finite edges count from 0 in bins of width 1.
   */
  histogram(options: { lo: number; hi: number; bins?: number }): number[];
  /**
   * Round edges for the totals (widths 1, 2, 2.5 or 5 × 10^k, about 30 bins) and the counts in
   * them. Given the `bins` of the previous call, its edges are kept while the totals still fit
   * them, so the bars stay comparable from one edit to the next.
   */
  binnedHistogram(previous?: HistogramBins | null): { bins: HistogramBins; histogram: number[] };
  /**
   * How well the current scores predict known outcomes: conversion by tier, matrix cell and
   * score decile, ROC curve and AUC, precision/recall at the sales-ready threshold, per-rule
   * diagnostics and leakage warnings, in one report. `outcomes` must come from the same leads
   * (throws `mismatch` otherwise). Never NaN: an undefined metric is `null` with a `reason`.
   */
  evaluate(outcomes: Outcomes, options?: EvaluateOptions): Evaluation;
  /** Frees the scorer's memory. Dropped scorers are freed after garbage collection, eventually. */
  dispose(): void;
}

// ---------------------------------------------------------------------------------------------
// The module
// ---------------------------------------------------------------------------------------------

/** The loaded module ({@link load}). */
export interface LeadScore {
  /** Package version, e.g. `"0.1.0"`. */
  readonly version: string;
  /**
   * Evaluates a JsonLogic expression on `data` exactly as conditions are evaluated
   * (json-logic-engine 5.0.7 semantics). Throws `eval` where the engine throws.
   */
  apply(logic: JsonLogic, data?: Json): Json;
  /** Validates a rule set without leads: returns it normalised, with warnings; throws on errors. */
  checkRules(rules: RuleSet | string): CheckRulesResult;
  /**
   * The rule set as one SQL query that scores a table of leads in a warehouse (docs/sql.md):
   * every lead column plus `points_<rule>`, `score_<group>`, `score`, `tier`. Conditions are typed
   * by `leads`/`events` (loaded tables) or `columns`/`eventColumns`. Throws `sql` (naming the
   * rule) for what has no faithful translation, `as_of` when event rules have no as-of date.
   */
  toSql(rules: RuleSet | string, options: SqlOptions): string;
  /**
   * Loads leads from CSV/TSV/JSON/NDJSON text or UTF-8 bytes into wasm memory. Throws `load`
   * (with line/column) when the input cannot be read as a table; per-cell problems are listed
   * in {@link Leads.problems} instead.
   */
  loadLeads(input: string | ArrayBuffer | ArrayBufferView, options?: LoadOptions): Leads;
  /** Starts an incremental load (for big files, progress, workers). */
  createLoader(options?: LoadOptions): LeadLoader;
  /**
   * Outcomes from a second file joined by lead id, like a CRM's deals export: a lead converted
   * when its id (`leadIdColumn` of `leads`) appears in the deals' `options.idColumn` (default:
   * the same name), else it did not. Leads without an id are unknown. `deals` is text or bytes
   * (loaded with the load options in `options`) or already loaded {@link Leads}. Ids compare as
   * text, spaces trimmed (numbers as they print: `42`, `1.5`). Deals whose id matches no lead
   * are counted in {@link OutcomesInfo.unmatched}. Throws `unknown_field` for a missing id column.
   */
  loadOutcomes(
    leads: Leads,
    leadIdColumn: string,
    deals: string | ArrayBuffer | ArrayBufferView | Leads,
    options?: DealsOptions,
  ): Outcomes;
  /**
   * Compares two rule sets scored on the same leads (A = `a`, B = `b`): tier and matrix cell
   * migration, sales-ready crossings, overlaid histograms, top movers with per-lead ledger diffs,
   * capacity planning, and with `outcomes` each variant's {@link Evaluation}. Throws `mismatch`
   * when the scorers (or the outcomes) were made from different leads.
   */
  compare(a: Scorer, b: Scorer, options?: CompareOptions): Comparison;
  /**
   * The leads of one migration matrix cell: tier (or matrix cell, with `kind: 'cell'`) `from`
   * under A and `to` under B. Ordered by B's score, highest first (ties in lead order); at most
   * `limit` (0 = all). Throws `unknown_tier` / `unknown_cell` for a label the rule set lacks.
   */
  listMigration(a: Scorer, b: Scorer, options: ListMigrationOptions): Int32Array;
  /**
   * Loads activity events (CSV/TSV/JSON/NDJSON text or bytes) and joins them to
   * `options.leads`. Throws `load` when the input cannot be read, `events` when a column to join
   * on cannot be found; unknown lead ids, missing timestamps and bad cells are listed in
   * {@link Events.problems} (with lines) and counted in {@link Events.info}.
   */
  loadEvents(input: string | ArrayBuffer | ArrayBufferView, options: EventLoadOptions): Events;
  /** Starts an incremental load of events. */
  createEventLoader(options: EventLoadOptions): EventLoader;
  /**
   * Scores `leads` with `rules`; keep the scorer to edit rules and re-score incrementally.
   * Rules with events or computed day counts need `options.asOf` (and `options.events`).
   */
  score(leads: Leads, rules: RuleSet | string, options?: ScoreOptions): Scorer;
  /** Bytes of wasm memory (grows when needed, never shrinks). */
  heapBytes(): number;
  /** The core's input limits; a larger file is refused with code `limit` (maxBytes: 0 in LoadOptions lifts it). */
  readonly limits: Limits;
  /**
   * Learns a scorecard from known outcomes (docs/learn.md): from the leads' columns, or with a
   * {@link Scorer} also from its rules' conditions (its tiers' names and lead shares are kept).
   * Runs every step, calling `options.onProgress`; dispose the returned learner when done.
   * Throws `too_little_data` (with the numbers needed), `range` for a bad option, `mismatch`.
   */
  learn(
    source: Leads | Scorer,
    outcomes: Outcomes,
    options?: LearnOptions & { onProgress?: (p: LearnProgress) => void },
  ): Learner;
  /** A learning run in steps (progress and cancel between them). */
  createLearner(source: Leads | Scorer, outcomes: Outcomes, options?: LearnOptions): Learner;
  /** Score distribution, conversion and lift by the values of `column`. */
  channels(
    scorer: Scorer,
    column: string,
    options?: { outcomes?: Outcomes; values?: number; bins?: number },
  ): ChannelReport;
}

// ---- learning from outcomes and channel quality (docs/learn.md) ----

/** Options of learning; every key optional (defaults in docs/learn.md). */
export interface LearnOptions {
  model?: 'logistic' | 'naive_bayes';
  /** Held-out share of the leads with a known outcome (stratified), default 0.25. */
  testShare?: number;
  seed?: number;
  folds?: number;
  /** A fixed C (no cross-validation); cGrid: the C values cross-validated (default 0.001 ... 100). */
  c?: number | null;
  cGrid?: number[];
  bins?: number;
  monotone?: boolean;
  minLevelShare?: number;
  minLevelCount?: number;
  maxLevels?: number;
  columns?: string[];
  exclude?: string[];
  /** Columns used even when flagged as leakage. */
  keep?: string[];
  useRules?: boolean;
  useColumns?: boolean;
  /** 'pdo': baseScore points at baseOdds (odds of converting), pdo more per doubling; '0-100'. */
  scale?: 'pdo' | '0-100';
  baseScore?: number;
  baseOdds?: number;
  pdo?: number;
  alpha?: number;
  minLeads?: number;
  minPositives?: number;
}

export interface LearnProgress {
  /** 0..1 */
  done: number;
  stage: 'cross-validation' | 'fit' | 'scorecard' | 'done';
}

export interface LearnedLevel {
  label: string;
  count: number;
  positives: number;
  rate: number | null;
  woe: number;
  weight: number;
  points: number;
  rounded: number;
  /** Design column of the model, -1 when the feature is left out. */
  design: number;
  when: unknown;
}

export interface LearnedFeature {
  name: string;
  source: 'column' | 'rule';
  kind: 'text' | 'number' | 'boolean' | 'rule';
  iv: number;
  auc: number;
  used: boolean;
  flag: '' | 'leakage' | 'suspicious' | 'constant';
  reason: string;
  hasBaseline: boolean;
  levels: LearnedLevel[];
}

/** The learning report: features sorted by information value (used first). */
export interface LearnReport {
  model: 'logistic' | 'naive_bayes';
  outcome: string;
  leads: {
    known: number;
    positives: number;
    train: number;
    test: number;
    trainPositives: number;
    testPositives: number;
  };
  minimum: { leads: number; positives: number };
  seed: number;
  testShare: number;
  c: number | null;
  cv: { c: number; logLoss: number; auc: number }[];
  iterations: number;
  designColumns: number;
  intercept: number;
  scale: { kind: 'pdo' | '0-100'; baseScore: number; baseOdds: number; pdo: number; factor: number; offset: number };
  basePoints: number;
  roundedBase: number;
  range: { min: number; max: number; roundedMin: number; roundedMax: number };
  /** Held-out AUCs of the model, its exact points and the rounded points; train AUC of the model. */
  auc: { model: number | null; points: number | null; rounded: number | null; train: number | null };
  features: LearnedFeature[];
  flagged: { name: string; flag: string; used: boolean; reason: string }[];
  rulesAsFeatures: string[];
  tiers: { name: string; min: number | null }[];
  notes: string[];
}

export interface LearnResult {
  report: LearnReport;
  /** The learned scorecard (integer points): open it as a rule-set variant. */
  ruleSet: RuleSet;
  exactRuleSet: RuleSet;
}

export interface LearnedLead {
  lead: number;
  probability: number;
  points: number;
  exactPoints: number;
  split: 'train' | 'test' | 'unknown';
  factors: { feature: string; level: string; points: number; contribution: number }[];
}

export interface Learner {
  step(): { more: boolean } & LearnProgress;
  readonly finished: boolean;
  result(): LearnResult;
  probability(): Float64Array;
  lead(i: number, top?: number): LearnedLead;
  dispose(): void;
}

export interface ChannelReport {
  column: string;
  leads: number;
  histogram: { lo: number; hi: number; bins: number };
  tiers: string[];
  overallRate?: number | null;
  channels: {
    value: string;
    leads: number;
    mean: number;
    p25: number;
    median: number;
    p75: number;
    histogram: number[];
    tiers: number[];
    known?: number;
    conversions?: number;
    rate?: number | null;
    lift?: number | null;
  }[];
}

/** The core's limits (include/leadscore/limits.h, docs/limits.md), the same for every caller. */
export interface Limits {
  /** Bytes of one input file the WebAssembly build reads (1 GiB). */
  maxBytes: number;
  /** Bytes of one CSV cell or JSON value. */
  maxCellBytes: number;
  maxColumns: number;
  /** Nesting of any JSON document. */
  maxJsonDepth: number;
  /** Bytes of a rule set (or another JSON document read whole); checked before parsing (64 MiB). */
  maxRuleSetBytes: number;
  /** Rules in a rule set. */
  maxRules: number;
  /** Nesting of one rule's condition. */
  maxConditionDepth: number;
  /** |points| and |caps| in a rule set. */
  maxPoints: number;
  /** |points × value| of a per-unit rule for one lead. */
  maxUnitPoints: number;
  /** Bins of summary() and histogram(). */
  maxBins: number;
}

/**
 * Checks a count or index argument: a whole number from min to max, else a LeadScoreError with
 * code `range` and `field` = the argument's name (never clamped). Used by the facade and the worker.
 */
export function checkWhole(value: unknown, field: string, min: number, max: number): number;

// ---------------------------------------------------------------------------------------------
// Outcomes, metrics and comparing variants (docs/metrics.md)
//
// The worker client (worker-client.mjs) has the same calls, asynchronous:
// `remoteLeads.outcomes(column)`, `remote.loadOutcomes(leads, idColumn, deals, options)` (deals:
// text, bytes, a Blob/File or remote Leads), `remoteScorer.evaluate(outcomes, options)`,
// `remote.compare(a, b, options)`, `remote.listMigration(a, b, options)`; each resolves with the
// shapes below (a remote Outcomes has `info`, `rows`, `values()` and `dispose()`).
// ---------------------------------------------------------------------------------------------

/** Options for {@link LeadScore.loadOutcomes}: load options for the deals file, plus its id column. */
export interface DealsOptions extends Omit<LoadOptions, 'rules'> {
  /** The deals' column holding the lead id (default: the same name as the leads' id column). */
  idColumn?: string;
}

/** Where outcomes came from and what could not be used. */
export interface OutcomesInfo {
  /** `column`: a column of the leads; `ids`: a second file joined by lead id. */
  source: 'column' | 'ids';
  /** Number of leads (equals the leads' rows). */
  rows: number;
  /** Leads that converted. */
  positives: number;
  /** Leads that did not convert. */
  negatives: number;
  /** Leads whose outcome is unknown (excluded from every metric). */
  unknown: number;
  /** source `column`: the column's name. */
  column?: string;
  /** source `column`: unknown because the cell is missing. */
  missing?: number;
  /** source `column`: values that are not an outcome (e.g. `pending`), most frequent first, at most 20. */
  unknownValues?: Array<{ value: string; count: number }>;
  /** source `ids`: the leads' id column. */
  leadIdColumn?: string;
  /** source `ids`: the deals' id column. */
  dealsIdColumn?: string;
  /** source `ids`: rows in the deals file. */
  dealsRows?: number;
  /** source `ids`: deals whose id is not among the leads (not used). */
  unmatched?: number;
  /** source `ids`: up to 10 such ids. */
  unmatchedExamples?: string[];
  /** source `ids`: deals without an id (not used). */
  dealsMissingId?: number;
  /** source `ids`: lead ids that occur more than once among the leads (all such leads get the outcome). */
  duplicateLeadIds?: number;
  /** E.g. `no_outcomes` (no lead has a known outcome), `one_class`, `unmatched_ids`. */
  warnings: Diagnostic[];
}

/**
 * Known outcomes of one lead table, held in wasm memory. Made by {@link Leads.outcomes} or
 * {@link LeadScore.loadOutcomes}; usable with every scorer of the same leads.
 */
export interface Outcomes {
  readonly rows: number;
  readonly info: OutcomesInfo;
  /** Per lead: 1 converted, 0 not converted, -1 unknown (copy). */
  values(): Int8Array;
  dispose(): void;
}

/**
 * How many leads sales can take: a count (a plain number is a count) or a share of all leads
 * (`{share: 0.1}` = 10 %, rounded down to whole leads).
 */
export type Capacity = number | { count: number } | { share: number };

/** Options for {@link Scorer.evaluate}. */
export interface EvaluateOptions {
  /** Also report the threshold that fits this capacity and what it would have caught. */
  capacity?: Capacity;
  /** Check every column for leakage (default true). */
  leakage?: boolean;
}

/** Conversion among a set of leads. `rate` is `positives / known`, `null` when `known` is 0. */
export interface Rate {
  /** Leads in the set. */
  count: number;
  /** Of those, leads with a known outcome. */
  known: number;
  /** Of those, leads that converted. */
  positives: number;
  rate: number | null;
}

export interface TierOutcome extends Rate {
  tier: string;
}

/** One fit × engagement cell (every cell of the grid is listed, empty ones too). */
export interface CellOutcome extends Rate {
  /** Fit label + engagement label, e.g. `A1`. */
  cell: string;
  fit: string;
  engagement: string;
}

/**
 * A score decile. Deciles are taken over the leads with a known outcome, ranked by score from
 * the highest down, ties in lead order; decile k (1..10) holds ranks floor((k-1)·n/10) to
 * floor(k·n/10)-1, so tied scores can straddle two deciles (see minScore/maxScore).
 */
export interface DecileOutcome extends Rate {
  /** 1 = highest scores. */
  decile: number;
  minScore: number;
  maxScore: number;
  /** rate / base rate (`null` when either is null or the base rate is 0). */
  lift: number | null;
}

/**
 * A point of the ROC curve, exactly as scikit-learn's `roc_curve` (drop_intermediate=true):
 * leads with tied scores move together, giving diagonal segments.
 */
export interface RocPoint {
  /** False positive rate of "score >= threshold". */
  fpr: number;
  /** True positive rate of "score >= threshold". */
  tpr: number;
  /** `null` for the first point (above every score: nothing selected). */
  threshold: number | null;
}

export interface Roc {
  /** Area under the curve (trapezoids, ties as diagonals = scikit-learn's `roc_auc_score`); `null` when undefined. */
  auc: number | null;
  /** Why `auc` is null: no known outcomes, or only one class among them. */
  reason?: string;
  /** Empty when `auc` is null. */
  points: RocPoint[];
}

/** What selecting the leads with score >= `threshold` catches. */
export interface Selection {
  /** The threshold (`null`: none, e.g. a rule set without `salesReady`; see `reason`). */
  threshold: number | null;
  /** Leads selected (all leads, known outcome or not). */
  selected: number;
  /** Of those, leads with a known outcome. */
  selectedKnown: number;
  /** True positives: selected leads that converted. */
  conversions: number;
  /** conversions / selectedKnown; `null` without outcomes or when no selected lead has a known outcome. */
  precision: number | null;
  /** conversions / all conversions; `null` without outcomes or conversions. */
  recall: number | null;
  /** Why a value is null. */
  reason?: string;
}

/** {@link Evaluation.salesReady}: the selection at the rule set's sales-ready threshold. */
export interface SalesReadyOutcome extends Selection {
  /** The share of all conversions that the sales-ready set catches (equals `recall`). */
  shareOfConversions: number | null;
  /** Confusion counts over leads with a known outcome. */
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/**
 * Capacity planning for one variant: the lowest score threshold that selects no more leads than
 * the capacity (ties at the threshold are all in or all out), and what it would have caught.
 */
export interface CapacityOutcome extends Selection {
  /** The capacity in leads. */
  capacity: number;
}

/**
 * Flags of a rule in {@link RuleDiagnostic.flags}:
 * `never_fires`; `nearly_always` (fires on >= 95 % of the leads); `no_lift` (converts like the
 * leads it does not fire on: |z| < 1.96 or rates within 5 % of each other); `opposite_lift`
 * (significantly lower conversion when it fires although its points are positive, or higher
 * although they are negative); `disabled`; `leak` (may score with what is only known after the
 * outcome: see {@link RuleDiagnostic.leakage}).
 */
export type RuleFlag = 'never_fires' | 'nearly_always' | 'no_lift' | 'opposite_lift' | 'disabled' | 'leak';

/**
 * Why a rule may leak the outcome: `near_certain` (converts >= 90 % when it fires, on at least 20
 * known leads, halfway or more from the base rate to certain), or it reads a `column` that is a
 * `leak_column` (AUC >= 0.95 alone), `far_above` the other columns (AUC >= 0.8 and >= 0.25 over
 * the median column's), or `post_outcome` by its name (status, quality, tags, stage, reason,
 * lost, won, closed, disposition, outcome, result) or values (closed, won, lost, revert...).
 */
export interface LeakReason {
  kind: 'near_certain' | 'leak_column' | 'far_above' | 'post_outcome';
  column?: string;
  /** For people; names columns, and the rule by its label in the matching warning. */
  message: string;
}

/** Per-rule diagnostics in an {@link Evaluation}. */
export interface RuleDiagnostic {
  id: string;
  label: string;
  group: string;
  points: number;
  enabled: boolean;
  /** Leads whose condition held (0 for a disabled rule). */
  fired: number;
  /** fired / all leads. */
  share: number;
  whenFired: Rate;
  whenNotFired: Rate;
  /** whenFired.rate / base rate (`null` when undefined). */
  lift: number | null;
  /** Two-proportion z statistic of fired vs not fired (`null` when undefined). */
  z: number | null;
  flags: RuleFlag[];
  /** Empty unless `flags` has `leak`; computed for enabled rules that fire. */
  leakage: LeakReason[];
}

/**
 * How well one column of the leads predicts the outcome on its own, as an orientation-free AUC
 * (0.5 = not at all, 1 = perfectly). Numbers and dates: the value as a score, missing values
 * ranked lowest or highest (whichever predicts better); booleans, and text with at most 100
 * distinct values and at least 10 known outcomes per value on average: each value (missing
 * too) scored by its conversion rate; other text: missing vs present.
 */
export interface ColumnSignal {
  column: string;
  type: FieldType;
  auc: number;
  /** `value`, `category` or `missing` (see above). */
  how: 'value' | 'category' | 'missing';
  /** auc >= 0.95 (with at least 30 known outcomes): predicts almost perfectly — may be filled in after the outcome (a leak). */
  leak: boolean;
  /** Not a leak, but AUC >= 0.8 and >= 0.25 above the median column's: far above the rest. */
  farAbove: boolean;
  /** Why the column's name or values look set after the outcome, or `null`. */
  postOutcome: string | null;
}

/** {@link Scorer.evaluate}: one report. Every rate or ratio that is undefined is `null`. */
export interface Evaluation {
  rows: number;
  /** Leads with a known outcome, and how they split. */
  known: number;
  positives: number;
  negatives: number;
  unknown: number;
  /** positives / known (`null` without known outcomes). */
  baseRate: number | null;
  /** Highest tier first. */
  tiers: TierOutcome[];
  /** Every fit × engagement cell (fit bands high to low, then engagement); empty without a matrix. */
  cells: CellOutcome[];
  /** 10 entries when at least 10 leads have a known outcome, else as many as there are such leads. */
  deciles: DecileOutcome[];
  roc: Roc;
  salesReady: SalesReadyOutcome;
  /** With {@link EvaluateOptions.capacity}. */
  capacity?: CapacityOutcome;
  /** In rule order. */
  rules: RuleDiagnostic[];
  /** Strongest first; empty with `leakage: false`. The outcome and id columns are left out. */
  columns: ColumnSignal[];
  /** The median of `columns[].auc` (`null` when the columns were not scanned). */
  columnsMedianAuc: number | null;
  /** Rule count against what people can review (the core warns above `limit` = 100). */
  review: { rules: number; enabled: number; limit: number; over: boolean };
  /**
   * Remarks for people: `no_outcomes`, `one_class`, `never_fires`, `nearly_always`, `no_lift`,
   * `opposite_lift` (with ruleId), `leakage` (with field: a column with AUC >= 0.95 alone),
   * `stronger_than_rules` (with field: a column that alone beats the rule set's AUC, given at
   * least 200 known outcomes — a leak if it is only known after the outcome, like a call's
   * duration), `leakage_suspect` (with field: a column far above the rest, or post-outcome by its
   * name or values with AUC >= 0.7), `leakage_rule` (with ruleId: a rule flagged `leak`), `review`.
   * Messages name rules by their labels (ids when a rule has none).
   */
  warnings: Diagnostic[];
}

/** Options for {@link LeadScore.compare}. */
export interface CompareOptions {
  /** Known outcomes of the same leads: adds each variant's {@link Evaluation} and fills in capacity metrics. */
  outcomes?: Outcomes;
  /** Capacity planning for both variants. */
  capacity?: Capacity;
  /** How many top movers to list (default 20). */
  movers?: number;
  /** Bins of the overlaid histograms (default 20). */
  bins?: number;
  /** Options for the evaluations (with `outcomes`). */
  evaluate?: Omit<EvaluateOptions, 'capacity'>;
}

/** A migration matrix: `counts[i][j]` leads are in `from[i]` under A and `to[j]` under B. */
export interface Migration {
  /** A's tiers (highest first) or cells. */
  from: string[];
  /** B's tiers (highest first) or cells. */
  to: string[];
  counts: number[][];
}

/** One variant in a {@link Comparison}. */
export interface VariantSummary {
  name: string;
  rules: number;
  /** Sales-ready threshold (`null` when the rule set has none). */
  threshold: number | null;
  salesReady: number;
  tiers: Array<{ name: string; count: number }>;
  min: number;
  max: number;
  mean: number;
}

/** How one rule's part of a lead's score differs between A and B. */
export interface RuleDelta {
  id: string;
  label: string;
  /** Points the rule gave this lead under A (0 if it did not fire or A has no such rule). */
  a: number;
  b: number;
  /** b - a. */
  delta: number;
  /** Whether the rule fired for this lead under A / under B (false when the variant lacks it). */
  firedA: boolean;
  firedB: boolean;
  /** Whether the variant has a rule with this id. */
  inA: boolean;
  inB: boolean;
}

/** A lead whose score changed most, with what accounts for the change. */
export interface Mover {
  /** 0-based lead index. */
  lead: number;
  /** 1-based input line. */
  line: number;
  /** Total under A and under B, and b - a. */
  a: number;
  b: number;
  delta: number;
  tierA: string;
  tierB: string;
  cellA?: string;
  cellB?: string;
  /** Rules whose points for this lead differ, largest |delta| first. */
  rules: RuleDelta[];
  /** Group scores (after caps) under A and B; caps can make rule deltas differ from the group's. */
  groups: Array<{ id: string; a: number; b: number; delta: number }>;
}

/** {@link LeadScore.compare}: one report. */
export interface Comparison {
  rows: number;
  a: VariantSummary;
  b: VariantSummary;
  /** Leads whose total differs. */
  changed: number;
  /** Tier migration (rows: A's tiers, columns: B's). */
  tiers: Migration;
  /** Matrix cell migration; `null` unless both rule sets have a matrix. */
  cells: Migration | null;
  /** Crossings of the sales-ready threshold (each variant's own threshold). */
  salesReady: { up: number; down: number; both: number; neither: number };
  /** Overlaid histograms of totals: shared `edges` (bins + 1 values), counts per variant. */
  histogram: { edges: number[]; a: number[]; b: number[] };
  /** Largest |b - a| first (ties in lead order), leads whose total changed only. */
  movers: Mover[];
  /** With {@link CompareOptions.capacity}. */
  capacity?: { capacity: number; a: CapacityOutcome; b: CapacityOutcome };
  /** With {@link CompareOptions.outcomes}. */
  evaluation?: { a: Evaluation; b: Evaluation };
}

/** Options for {@link LeadScore.listMigration}. */
export interface ListMigrationOptions {
  /** `tier` (default) or `cell`. */
  kind?: 'tier' | 'cell';
  /** Tier name (or cell) under A. */
  from: string;
  /** Tier name (or cell) under B. */
  to: string;
  /** At most this many (0 = all, the default). */
  limit?: number;
}

// ---------------------------------------------------------------------------------------------
// The worker (dist/worker.mjs) and its client (dist/worker-client.mjs)
// ---------------------------------------------------------------------------------------------
//
//   import { connect } from './worker-client.mjs';
//   const ls = connect(() => new Worker(new URL('./worker.mjs', import.meta.url), { type: 'module' }),
//     { onRestart: () => reloadMyData() });          // a function: a crashed worker is replaced
//   const ws = await ls.workspace({ asOf: new Date() });
//   const { info, variants } = await ws.loadLeads({ input: file, rules: { base: rules } },
//     { onProgress: (p) => bar.value = p.bytesRead / p.totalBytes, signal });
//   const page = await ws.view({ variant: 'base', sort: { key: 'score', dir: 'desc' }, offset: 0, limit: 50 });
//   await ws.setRules({ variant: 'base', rules: edited }, { latest: 'score' });  // typing: latest wins

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Called after a crashed worker was replaced (only when connect() was given a function). */
  onRestart?: (why: string) => void;
}

/**
 * Connects to worker.mjs in a module Web Worker or a node:worker_threads Worker. Given a function
 * that makes the worker, a worker that dies is replaced and `onRestart` called; objects of the dead
 * worker reject with code `crashed`. Errors are {@link LeadScoreError}s with the facade's fields.
 */
export function connect(worker: Worker | (() => Worker), options?: ConnectOptions): RemoteLeadScore;

/** The first slice of a file still loading, scored apart: its best leads (index, total, tier index, values). */
export interface LoadPreview {
  rows: { i: number; total: number; tier: number; values: Record<string, unknown> }[];
  /** Leads in that slice, and its bytes (whole records only). */
  leads: number;
  bytes: number;
  /** Tier names, indexed by `tier`. */
  tiers: string[];
}

/** Options of calls that load files: progress after each slice, cancel with an AbortSignal. */
export interface RemoteLoadOptions {
  onProgress?: (p: {
    bytesRead: number;
    totalBytes: number;
    rowsParsed: number;
    done?: boolean;
    what?: 'events';
    /** A workspace load with `preview`: on the first event of an input longer than one slice. */
    preview?: LoadPreview;
  }) => void;
  /** Aborting rejects with code `cancelled`; the workspace keeps what it had. */
  signal?: AbortSignal;
}

/** Options of every workspace call. */
export interface WorkspaceCallOptions extends RemoteLoadOptions {
  /**
   * At most one call per key in flight: a call made while one runs replaces any call still
   * waiting, which resolves with `{superseded: true}` (live re-scoring while typing).
   */
  latest?: string;
}

/** The module in a worker: the in-process API's calls, asynchronous (partial list), and workspaces. */
export interface RemoteLeadScore {
  /** Resolves with the version once the worker has loaded the wasm. */
  readonly ready: Promise<string>;
  apply(logic: unknown, data?: unknown): Promise<unknown>;
  checkRules(rules: RuleSet | string): Promise<CheckRulesResult>;
  heapBytes(): Promise<number>;
  /** The core's input limits (check a file's size before sending it). */
  limits(): Promise<Limits>;
  /** A new workspace in the worker. */
  workspace(options?: { asOf?: string | Date | null }): Promise<RemoteWorkspace>;
  /** For tests of restarts: the worker dies as if the wasm had aborted. */
  crashForTests(): Promise<true>;
  /** Terminates the worker; pending calls reject. */
  close(): void;
}

/** A rule-set variant's scores after a load or an edit (small: no per-lead arrays). */
export interface VariantState {
  rules: NormalizedRuleSet;
  stats: RuleStats[];
  warnings: Diagnostic[];
  rows: number;
  /** Rules skipped because they read a field the data lacks (sent to the core disabled). */
  skipped: { ruleId: string; field: string; message: string }[];
  /** The core's summary, with a histogram over round edges (`bins`) counted by the core. */
  summary: Summary & { bins: { lo: number; hi: number; bins: number; width: number } };
  /** After an edit: how many rules were evaluated again. */
  evaluated?: number | null;
  version: number;
}

/** An error reported inside a value (the rest of the call succeeded). */
export interface ErrorJson {
  name: string;
  message: string;
  code: string;
  line?: number;
  column?: number;
  ruleId?: string;
  field?: string;
  path?: string;
}

/** The answer of {@link RemoteWorkspace.loadLeads} and {@link RemoteWorkspace.reload}. */
export interface WorkspaceLoad {
  info: LeadsInfo;
  /** Per variant id: its scores, or why the rules do not fit the data. */
  variants: Record<string, VariantState | { error: ErrorJson }>;
  /** The outcome source applied again to the new table (null: none; error: dropped). */
  outcomes: OutcomesInfo | { error: ErrorJson } | null;
  /** The events joined again to the new table (null: none; error: dropped). */
  events: EventsInfo | { error: ErrorJson } | null;
}

/** Which rows {@link RemoteWorkspace.view} returns. */
export interface ViewOptions {
  variant: string;
  /** key: `score`, `group:<id>`, `lead` (file order) or a column name; dir `asc` | `desc`. */
  sort?: { key: string; dir: 'asc' | 'desc' };
  /** Only this tier (by name); '' or null: all. */
  tier?: string | null;
  /** Only leads with a text cell containing this (case-insensitive) or a number equal to it. */
  text?: string;
  /** Only the leads of one migration cell: A's tier (or cell) `from`, B's `to`. */
  subset?: { kind: 'tier' | 'cell'; from: string; to: string; other: string; otherIsA: boolean } | null;
  offset?: number;
  limit?: number;
}

/** One row of a view: tier, sales-ready flag and matrix cell as the core computed them. */
export interface ViewRow {
  i: number;
  total: number;
  tier: number;
  salesReady: boolean;
  groups: number[];
  cell: string | null;
  values: Record<string, unknown>;
}

/** A workspace in the worker: one lead table, a scorer per variant, events, outcomes, the as-of date. */
export interface RemoteWorkspace {
  /** Loads leads (a string, bytes, Blob or File, read in slices) and scores every variant. The previous table stays on error. */
  loadLeads(
    args: {
      input: string | ArrayBuffer | ArrayBufferView | Blob;
      options?: LoadOptions;
      rules?: Record<string, RuleSet>;
      /** A variant id: score the file's first slice with it and send it as progress's `preview`. */
      preview?: string;
    },
    options?: WorkspaceCallOptions,
  ): Promise<WorkspaceLoad>;
  /** The same input read again with new load options (field types, mappings, missing texts). */
  reload(
    args: { options?: LoadOptions; rules?: Record<string, RuleSet> },
    options?: WorkspaceCallOptions,
  ): Promise<WorkspaceLoad>;
  /** Scores one variant (an existing one incrementally); invalid rules reject and change nothing. */
  setRules(args: { variant: string; rules: RuleSet | string }, options?: WorkspaceCallOptions): Promise<VariantState>;
  /** Would these rules score the loaded leads (with `reread`: read with their field declarations)? */
  tryRules(
    args: { rules: RuleSet; reread?: boolean },
    options?: WorkspaceCallOptions,
  ): Promise<{ skipped: VariantState['skipped'] }>;
  dropVariant(args: { variant: string }): Promise<true>;
  /** A window of rows, sorted and filtered; sorting by score is the core's (partial) order. */
  view(args: ViewOptions, options?: WorkspaceCallOptions): Promise<{ count: number; offset: number; rows: ViewRow[] }>;
  ledger(
    args: { variant: string; lead: number },
    options?: WorkspaceCallOptions,
  ): Promise<{ ledger: Ledger; row: Record<string, unknown> }>;
  /** Count, mean score and share sales-ready (the core's flags) per value of a text or yes/no column. */
  breakdown(
    args: { variant: string; column: string; limit?: number },
    options?: WorkspaceCallOptions,
  ): Promise<{
    column: string;
    distinct: number;
    rows: { value: string | null; count: number; mean: number; salesReady: number; other?: true }[];
  }>;
  /** The most common values of a text column. */
  values(args: { column: string; limit?: number }, options?: WorkspaceCallOptions): Promise<string[]>;
  /** The scored leads as CSV (the CLI's format). */
  exportCsv(args: ExportArgs, options?: WorkspaceCallOptions): Promise<Blob>;
  /** The same as exportCsv, as an XLSX workbook (numbers as number cells; at most 1,048,575 leads). */
  exportXlsx(args: ExportArgs, options?: WorkspaceCallOptions): Promise<Blob>;
  /** The variant's rule set as one SQL query (docs/sql.md), typed by the workspace's leads and events. */
  exportSql(
    args: { variant: string; dialect: SqlDialect; leadsTable?: string; eventsTable?: string; prefix?: string },
    options?: WorkspaceCallOptions,
  ): Promise<string>;
  /** Outcomes from a column or a deals file joined by id; null clears them. */
  setOutcomes(
    args:
      | { source: 'column'; column: string }
      | {
          source: 'ids';
          leadIdColumn: string;
          input: string | ArrayBuffer | ArrayBufferView | Blob;
          options?: DealsOptions;
        }
      | null,
    options?: WorkspaceCallOptions,
  ): Promise<OutcomesInfo | null>;
  evaluate(
    args: { variant: string; capacity?: EvaluateOptions['capacity'] },
    options?: WorkspaceCallOptions,
  ): Promise<Evaluation>;
  /** Compares variant `a` with `b` (with the workspace's outcomes, if any). */
  compare(
    args: { a: string; b: string; capacity?: CompareOptions['capacity']; movers?: number; bins?: number },
    options?: WorkspaceCallOptions,
  ): Promise<Comparison>;
  /** Events for the loaded leads (input null: none); every variant re-scores. */
  loadEvents(
    args: { input: string | ArrayBuffer | ArrayBufferView | Blob | null; options?: Omit<EventLoadOptions, 'leads'> },
    options?: WorkspaceCallOptions,
  ): Promise<{ info: EventsInfo | null; variants: Record<string, VariantState | { error: ErrorJson }> }>;
  /** The as-of date; every variant re-scores. */
  setAsOf(
    args: { date: string | Date | null },
    options?: WorkspaceCallOptions,
  ): Promise<{ variants: Record<string, VariantState | { error: ErrorJson }> }>;
  /** Learns a scorecard from the workspace's outcomes ({variant}: its rules become features); onProgress and signal as for loads. */
  learn(
    args: { variant?: string | null; options?: LearnOptions },
    options?: WorkspaceCallOptions & { onProgress?: (p: LearnProgress) => void },
  ): Promise<LearnResult>;
  /** A lead's probability and top factors under the last learned model. */
  learnedLead(args: { lead: number; top?: number }, options?: WorkspaceCallOptions): Promise<LearnedLead>;
  /** Score distribution, conversion and lift by the values of a column. */
  channels(
    args: { variant: string; column: string; values?: number; bins?: number },
    options?: WorkspaceCallOptions,
  ): Promise<ChannelReport>;
  dispose(): Promise<void>;
}

/** SQL dialects of {@link LeadScore.toSql}. */
export type SqlDialect = 'duckdb' | 'postgres' | 'bigquery' | 'snowflake' | 'spark';

/** A column's type for {@link SqlOptions} (as the engine types columns). */
export interface SqlColumn {
  name: string;
  type: 'number' | 'boolean' | 'date' | 'string';
  /** Date columns: whether values carry a time of day (a UTC TIMESTAMP in the database). */
  hasTime?: boolean;
}

/** Options of {@link LeadScore.toSql} (docs/sql.md). */
export interface SqlOptions {
  dialect: SqlDialect;
  /** Loaded leads: the columns' names and types (else `columns`, else the declared fields). */
  leads?: Leads;
  /** Loaded events: their columns and the id / type / time names. */
  events?: Events;
  columns?: SqlColumn[];
  eventColumns?: SqlColumn[];
  /** 'YYYY-MM-DD' or a Date (its local calendar day); required by event rules and computed fields. */
  asOf?: string | Date;
  /** Default `leads`; may be qualified (`project.dataset.leads`). */
  leadsTable?: string;
  /** Default `events`. */
  eventsTable?: string;
  leadKey?: string;
  eventLeadId?: string;
  eventType?: string;
  eventTime?: string;
  /** Before every output column (`ls_score`, `ls_points_<rule>`...). */
  prefix?: string;
}

/** What a workspace export holds: the variant, the input columns to keep, the added columns, header names. */
export interface ExportArgs {
  variant: string;
  reasons?: boolean;
  /** Input columns to keep (names or headers as written); default all. */
  keep?: string[];
  /** Added columns, written in this order whatever the order given; default all. */
  add?: ExportColumn[];
  /** Header names to write instead, e.g. `{score: 'Lead Score'}` for a CRM import. */
  rename?: Record<string, string>;
}

/** The columns an export can add after the leads' own. */
export type ExportColumn = 'score' | 'groups' | 'tier' | 'action' | 'sales_ready' | 'cell' | 'reasons';
