// Type declarations for dist/leadscore.mjs (and dist/split/leadscore.mjs): the leadscore
// WebAssembly module and its ES-module facade (wasm/leadscore.js). Hand-written; the shapes
// mirror the JSON produced by wasm/bindings.cpp, core/rules.cpp to_json(RuleSet) and
// core/scorer.cpp to_json(Ledger).
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
 * From the facade: `disposed` (a method called after dispose()), `state` (a finished loader
 * was fed), `range` (a lead index outside 0..rows-1), `unknown_group`, `unknown_tier` (a group
 * or tier name that the rule set lacks), `memory` (wasm memory exhausted), `internal`.
 *
 * New codes may be added; treat unknown ones as generic errors.
 */
export type LeadScoreErrorCode =
  | 'json' | 'schema' | 'unknown_key' | 'version' | 'bounds' | 'bands' | 'limit' | 'duplicate'
  | 'unknown_group' | 'unknown_tier' | 'unknown_cell' | 'unknown_operator' | 'logic'
  | 'unknown_field' | 'type_mismatch' | 'unknown_rule'
  | 'load' | 'empty' | 'format' | 'encoding' | 'cancelled' | 'eval' | 'disposed' | 'state' | 'range' | 'memory' | 'internal'
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
   * `field_not_in_data` (a declared field has no column), `review` (a large rule set).
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
}

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
  /** Finite number, positive or negative (per unit when `per` is set). */
  points: number;
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
  /** Format version; only `1` is read. */
  leadscore?: 1;
  name?: string;
  description?: string;
  /** Field declarations by field name (the name rules use in `var`). */
  fields?: Record<string, FieldDeclaration>;
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
  leadscore: 1;
  name?: string;
  description?: string;
  fields?: Record<string, { type?: FieldType; aliases?: string[]; missing?: string[] }>;
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
  /** At most this many load problems are listed (default 1000; 0 = no limit). */
  maxProblems?: number;
  /**
   * Largest input accepted, in bytes (default 1 GiB, 0 = no limit). A larger input fails with a
   * `limit` error suggesting the native CLI, which streams files of any size (docs/limits.md).
   */
  maxBytes?: number;
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
   * Frees the table's memory. Scorers made from it keep working (they share the table).
   * Handles dropped without dispose() are freed after garbage collection, eventually.
   */
  dispose(): void;
}

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
// Scoring
// ---------------------------------------------------------------------------------------------

/** What an edit did: {@link Scorer.setRules} and the single-rule edits. */
export interface EditResult {
  /** Warnings about the new rule set (never-firing rules, evaluation errors, ...). */
  warnings: Diagnostic[];
  /** How many conditions had to be evaluated over the leads (unchanged ones are cached). */
  evaluated: number;
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
  /** Replaces the rule set (object or JSON text). */
  setRules(rules: RuleSet | string): EditResult;
  /** Inserts a rule at `index` (default -1: at the end). */
  addRule(rule: Rule | string, index?: number): EditResult;
  /** Replaces the rule with id `id` (the new rule may have another id). */
  replaceRule(id: string, rule: Rule | string): EditResult;
  removeRule(id: string): EditResult;
  /** Turns a rule on or off without removing it. */
  setEnabled(id: string, enabled: boolean): EditResult;
  /** Moves a rule to position `index` (clamped to the end). */
  moveRule(id: string, index: number): EditResult;

  /** The current rule set, normalised (tiers sorted high to low). */
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
  /** Lead `i`'s values. Throws `range` outside 0..rows-1. */
  row(i: number): LeadRow;
  /**
   * Lead indices ordered by score, highest first (ties in lead order); at most `n` (0 = all).
   * Throws `unknown_tier` for an unknown tier and `unknown_group` for an unknown `by`.
   */
  top(n?: number, options?: TopOptions): Int32Array;
  /** Indices of all leads in one tier, by score. */
  filterByTier(tier: string | number, options?: Omit<TopOptions, 'tier'>): Int32Array;
  /** Tier counts, sales-ready count, min/max/mean and a histogram of totals (default 20 bins). */
  summary(options?: { bins?: number }): Summary;
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
   * Loads leads from CSV/TSV/JSON/NDJSON text or UTF-8 bytes into wasm memory. Throws `load`
   * (with line/column) when the input cannot be read as a table; per-cell problems are listed
   * in {@link Leads.problems} instead.
   */
  loadLeads(input: string | ArrayBuffer | ArrayBufferView, options?: LoadOptions): Leads;
  /** Starts an incremental load (for big files, progress, workers). */
  createLoader(options?: LoadOptions): LeadLoader;
  /** Scores `leads` with `rules`; keep the scorer to edit rules and re-score incrementally. */
  score(leads: Leads, rules: RuleSet | string): Scorer;
  /** Bytes of wasm memory (grows when needed, never shrinks). */
  heapBytes(): number;
}
