// The visitor build's evaluator (docs/embed.md, bench/EMBED.md): scores ONE visitor from a rule
// set compiled by wasm/visitor/compile.js into numbers. It is the arithmetic of the core's Scorer
// for one lead (core/scoring/scorer.cpp ledger(), core/scoring/events.cpp evaluate_lead(),
// Decay::factor, band_index) and a JsonLogic interpreter with json-logic-engine's comparisons, with
// no parser, no table loader, no libc++ and no exceptions, so that it fits the visitor budget
// (60 KB gzipped, JS + wasm). tests/js/visitor.test.mjs checks it against the native CLI.
//
// Plain C++ without the standard library's containers, exceptions or a heap: the whole input is
// one f64 buffer that compile.js fills (ls_reserve) and the output is written into its tail.
//
// Layout (all f64, written by compile.js / read back by leadscore-visitor.js):
//   strings:  per string id: byte offset, byte length, its JavaScript Number() value
//   values:   (tag, value) pairs: tag 0 null, 1 boolean, 2 number, 3 string (value = string id)
//   node:     [op, length, ...] (length counts the whole node), see the OP_ constants
#include <cmath>
#include <cstddef>
#include <cstdint>

enum { T_NULL = 0, T_BOOL = 1, T_NUM = 2, T_STR = 3 };
enum {
  OP_LIT = 0,  // tag, value
  OP_VAR,      // slot
  OP_EQ,       // a, b (loose ==)
  OP_NE,
  OP_SEQ,  // ===
  OP_SNE,
  OP_LT,  // a, b[, c] (between)
  OP_LE,
  OP_GT,
  OP_GE,
  OP_NOT,
  OP_TRUTHY,
  OP_AND,
  OP_OR,
  OP_IN,     // needle, haystack (a string expression)
  OP_IN_ARR  // needle, n, (tag, value) * n
};

typedef struct {
  int tag;
  double v;
} Value;

static const double* g_str;       // string table
static const uint8_t* g_bytes;    // UTF-8 bytes of the strings
static const double* g_vals;      // the current row's (tag, value) pairs
static uint8_t g_arena[1 << 16];  // most visitors fit; larger inputs get pages of their own
static uint8_t* g_big;
static uint32_t g_big_size;

// A buffer of n bytes for compile.js to fill: no malloc in this build, so fresh pages are taken
// once and reused by later calls that fit.
extern "C" uint8_t* ls_reserve(uint32_t n) {
  if (n <= sizeof g_arena) return g_arena;
  if (n <= g_big_size) return g_big;
  const uint32_t pages = (n + 65535) / 65536;
  const size_t old = __builtin_wasm_memory_grow(0, pages);
  if (old == static_cast<size_t>(-1)) return nullptr;
  g_big_size = pages * 65536;
  return g_big = reinterpret_cast<uint8_t*>(old * 65536u);
}

static double to_number(Value a) {
  if (a.tag == T_STR) return g_str[(int)a.v * 3 + 2];
  return a.tag == T_NULL ? 0 : a.v;
}

static int truthy(Value a) {
  if (a.tag == T_STR) return g_str[(int)a.v * 3 + 1] > 0;
  if (a.tag == T_NULL) return 0;
  return a.v != 0 && a.v == a.v;
}

static int str_cmp(int a, int b) {
  const uint8_t *p = g_bytes + (uint32_t)g_str[a * 3], *q = g_bytes + (uint32_t)g_str[b * 3];
  uint32_t m = (uint32_t)g_str[a * 3 + 1], n = (uint32_t)g_str[b * 3 + 1];
  for (uint32_t i = 0; i < m && i < n; ++i)
    if (p[i] != q[i]) return p[i] < q[i] ? -1 : 1;
  return m < n ? -1 : m > n;
}

static int strict_eq(Value a, Value b) { return a.tag == b.tag && (a.tag == T_NULL || a.v == b.v); }

// Set by an evaluation that throws in the core's JsonLogic (the rule then counts as an error, as
// in the CLI's ledger): 1 "NaN", 2 the TypeError of 'in' on something that is no text or list.
static int g_err;

// json-logic-engine's comparison (core/jsonlogic/program.h idiom_compare): text with text or
// null compares as text (strings are interned by compile.js: same text, same id); anything else
// as numbers, where a side that is no number is an error, not false.
static int compare(int op, Value a, Value b) {
  if ((a.tag == T_STR || a.tag == T_NULL) && (b.tag == T_STR || b.tag == T_NULL)) {
    if (op == OP_EQ || op == OP_NE) return strict_eq(a, b) == (op == OP_EQ);
    int c = 2;  // unordered
    if (a.tag == T_STR && b.tag == T_STR) {
      c = str_cmp((int)a.v, (int)b.v);
    } else {
      const double x = to_number(a), y = to_number(b);
      c = x < y ? -1 : x > y ? 1 : x == y ? 0 : 2;
    }
    return op == OP_LT ? c == -1 : op == OP_LE ? (c == -1 || c == 0) : op == OP_GT ? c == 1 : (c == 1 || c == 0);
  }
  const double x = to_number(a), y = to_number(b);
  if (x != x || y != y) {
    g_err = 1;
    return 0;
  }
  switch (op) {
    case OP_EQ:
      return x == y;
    case OP_NE:
      return x != y;
    case OP_LT:
      return x < y;
    case OP_LE:
      return x <= y;
    case OP_GT:
      return x > y;
  }
  return x >= y;
}

static int contains(int hay, int needle) {
  const uint8_t *h = g_bytes + (uint32_t)g_str[hay * 3], *n = g_bytes + (uint32_t)g_str[needle * 3];
  uint32_t hn = (uint32_t)g_str[hay * 3 + 1], nn = (uint32_t)g_str[needle * 3 + 1];
  for (uint32_t i = 0; i + nn <= hn; ++i) {
    uint32_t k = 0;
    while (k < nn && h[i + k] == n[k]) ++k;
    if (k == nn) return 1;
  }
  return 0;
}

// The string id of a value's JavaScript String(): compile.js interns "null", "false", "true" as
// ids 0, 1, 2 and the text of every number it encodes, listed as (number, id) pairs.
static const double* g_numtext;
static int g_n_numtext;
static int text_of(Value a) {
  if (a.tag == T_STR) return (int)a.v;
  if (a.tag == T_NULL) return 0;
  if (a.tag == T_BOOL) return a.v != 0 ? 2 : 1;
  for (int i = 0; i < g_n_numtext; ++i)
    if (g_numtext[2 * i] == a.v) return (int)g_numtext[2 * i + 1];
  return -1;
}

static Value boolean(int b) {
  Value r = {T_BOOL, b ? 1.0 : 0.0};
  return r;
}

static Value eval(const double* n) {
  const int op = (int)n[0];
  const double* a = n + 2;          // the first argument
  const double* b = a + (int)a[1];  // the second (for nodes with two or more)
  switch (op) {
    case OP_LIT: {
      Value r = {(int)n[2], n[3]};
      return r;
    }
    case OP_VAR: {
      int s = (int)n[2];
      Value r = {(int)g_vals[s * 2], g_vals[s * 2 + 1]};
      return r;
    }
    case OP_EQ:
    case OP_NE:
    case OP_GT:
    case OP_GE:
      return boolean(compare(op, eval(a), eval(b)));
    case OP_SEQ:
    case OP_SNE:
      return boolean(strict_eq(eval(a), eval(b)) == (op == OP_SEQ));
    case OP_LT:
    case OP_LE: {  // also a < b < c
      Value x = eval(a), y = eval(b);
      int r = compare(op, x, y);
      if (r && b + (int)b[1] < n + (int)n[1]) r = compare(op, y, eval(b + (int)b[1]));
      return boolean(r);
    }
    case OP_NOT:
      return boolean(!truthy(eval(a)));
    case OP_TRUTHY:
      return boolean(truthy(eval(a)));
    case OP_AND:
    case OP_OR: {  // the deciding operand's value, as JsonLogic returns it
      const double* end = n + (int)n[1];
      Value v = {T_NULL, 0};
      for (const double* p = a; p < end; p += (int)p[1]) {
        v = eval(p);
        if (truthy(v) != (op == OP_AND)) break;
      }
      return v;
    }
    case OP_IN: {  // (haystack || []).includes(needle): in text, the needle as text
      Value x = eval(a), h = eval(b);
      if (!truthy(h)) return boolean(0);
      if (h.tag != T_STR) {
        g_err = 2;
        return boolean(0);
      }
      const int needle = text_of(x);
      return boolean(needle >= 0 && contains((int)h.v, needle));
    }
    case OP_IN_ARR: {
      Value x = eval(a);
      int k = (int)b[0];
      for (int i = 0; i < k; ++i) {
        Value e = {(int)b[1 + 2 * i], b[2 + 2 * i]};
        if (strict_eq(x, e)) return boolean(1);
      }
      return boolean(0);
    }
  }
  return boolean(0);
}

// Decay::factor: [expire or -1, half-life or 0, linear rate or 0, linear period]
static double decay_factor(const double* d, double age) {
  if (d[0] >= 0 && age >= d[0]) return 0;
  if (d[1] > 0) return pow(0.5, age / d[1]);
  if (d[2] > 0) {
    double f = 1.0 - d[2] * floor(age / d[3]);
    return f > 0 ? f : 0;
  }
  return 1;
}

static long week_of_day(long day) {
  long d = day + 3;  // 1970-01-01 was a Thursday
  return d >= 0 ? d / 7 : -((-d + 6) / 7);
}

static int count_test(const double* t, long n) {
  switch ((int)t[0]) {
    case 0:
      return n >= t[1];
    case 1:
      return n == t[1];
    case 2:
      return n <= t[1];
  }
  return t[1] <= n && n <= t[2];
}

// The events, newest first, undated last: per event its day (or NaN), type string id and row.
// An event rule: out = [fired, count, occurrences, raw, effective, newest age, future, undated].
enum { E_TYPES = 0, E_WHERE, E_WITHIN, E_DEDUPE, E_COUNT, E_REPEAT = 7, E_BANDS, E_DECAY, E_SIZE };
static void event_rule(const double* r, const double* prog, double points, double* ev, int n_ev, int n_cols,
                       double asof, double* out) {
  const double* types = prog + (int)r[E_TYPES];
  const double* where = r[E_WHERE] >= 0 ? prog + (int)r[E_WHERE] : 0;
  const double* decay = r[E_DECAY] >= 0 ? prog + (int)r[E_DECAY] : 0;
  const double* bands = prog + (int)r[E_BANDS];  // [n, (min, points) * n], highest min first
  const int repeat = (int)r[E_REPEAT], every = repeat == 1, periodic = repeat >= 2;
  long count = 0, occ = 0, future = 0, undated = 0, newest = -1, last_period = 0;
  int have_period = 0;
  double raw = 0, eff = 0;
  for (int i = 0; i < n_ev; ++i) {
    const double* e = ev + i * (3 + 2 * n_cols);
    int ok = (int)types[0] == 0;
    for (int t = 0; t < (int)types[0] && !ok; ++t) ok = types[1 + t] == e[1];
    g_vals = e + 3;
    g_err = 0;
    if (!ok || (where && (!truthy(eval(where)) || g_err))) continue;  // an error: no match (a CLI warning)
    if (e[0] != e[0]) {
      ++undated;
      continue;
    }
    const long d = (long)e[0], age = (long)asof - d;
    if (age < 0) {
      ++future;
      continue;
    }
    if (r[E_WITHIN] >= 0 && age >= r[E_WITHIN]) continue;
    if (r[E_DEDUPE] >= 0) {  // the newest event of each value counts; a missing value always counts
      const double* v = e + 3 + 2 * (int)r[E_DEDUPE];
      int seen = 0;
      for (int j = 0; j < i && (int)v[0] != T_NULL && !seen; ++j) {
        const double* f = ev + j * (3 + 2 * n_cols);
        const double* w = f + 3 + 2 * (int)r[E_DEDUPE];
        seen = f[2] > 0 && w[0] == v[0] && w[1] == v[1];
      }
      if (seen) continue;
    }
    ev[i * (3 + 2 * n_cols) + 2] = 1;  // counted (the dedupe test above looks at counted events only)
    ++count;
    if (newest < 0) newest = age;
    if (every || periodic) {
      if (periodic) {
        long p = repeat == 3 ? week_of_day(d) : d;
        if (have_period && p == last_period) continue;
        have_period = 1, last_period = p;
      }
      ++occ;
      raw += points;
      eff += decay ? points * decay_factor(decay, (double)age) : points;
    }
  }
  for (int i = 0; i < n_ev; ++i) ev[i * (3 + 2 * n_cols) + 2] = 0;
  int fired = count_test(r + E_COUNT, count);
  if (!every && !periodic) {
    double p = points;
    if (bands[0] > 0) {
      int k = 0;
      while (k < (int)bands[0] && count < bands[1 + 2 * k]) ++k;
      if (k == (int)bands[0])
        fired = 0;
      else
        p = bands[2 + 2 * k];
    }
    raw = p;
    eff = decay && newest >= 0 ? p * decay_factor(decay, (double)newest) : p;
  }
  if (!fired) raw = eff = 0;
  out[0] = fired, out[1] = count, out[2] = occ, out[3] = raw, out[4] = eff, out[5] = newest;
  out[6] = future, out[7] = undated;
  out[8] = raw != 0 ? eff / raw : decay && newest >= 0 ? decay_factor(decay, (double)newest) : 1;
}

static double clamp(const double* b, double v) {  // [has min, min, has max, max]
  if (b[0] > 0 && v < b[1]) return b[1];
  if (b[2] > 0 && v > b[3]) return b[3];
  return v;
}

// in = [as-of day, rule count, group count, tier count, sales-ready (NaN: none), total bounds (4),
//       offsets: strings, bytes, properties, events, event count, event columns, rules, groups,
//       tiers, program, output, number texts, their count]; returns the output: per rule R_OUT numbers, per group (sum,
//       score), then sum, total, tier index, sales ready.
enum { R_GROUP = 0, R_WHEN, R_POINTS, R_PER, R_BOUNDS, R_EVENT = 8, R_SIZE = R_EVENT + E_SIZE, R_OUT = 12 };
extern "C" double* ls_score(double* in) {
  const double asof = in[0];
  const int n_rules = (int)in[1], n_groups = (int)in[2], n_tiers = (int)in[3];
  g_str = in + (int)in[9];
  g_bytes = reinterpret_cast<const uint8_t*>(in + (int)in[10]);
  const double* props = in + (int)in[11];
  double* ev = in + (int)in[12];
  const int n_ev = (int)in[13], n_cols = (int)in[14];
  const double* rules = in + (int)in[15];
  const double* groups = in + (int)in[16];  // per group its bounds (4)
  const double* tiers = in + (int)in[17];   // per tier: its min (NaN: none), highest first
  const double* prog = in + (int)in[18];
  double* out = in + (int)in[19];
  g_numtext = in + (int)in[20];
  g_n_numtext = (int)in[21];
  double* gout = out + n_rules * R_OUT;
  for (int g = 0; g < n_groups; ++g) gout[2 * g] = 0;
  for (int i = 0; i < n_rules; ++i) {
    const double* r = rules + i * R_SIZE;
    double* o = out + i * R_OUT;  // [state, raw, points, value, event outcome (9)] ... see compile.js
    for (int k = 0; k < R_OUT; ++k) o[k] = 0;
    g_vals = props;
    if (r[R_GROUP] < 0) continue;
    g_err = 0;
    const int when = r[R_WHEN] < 0 || truthy(eval(prog + (int)r[R_WHEN]));
    if (g_err) {  // the ledger lists it under errors
      o[0] = 3, o[1] = g_err;
      continue;
    }
    if (!when) continue;
    double raw = r[R_POINTS];
    if (r[R_EVENT] >= 0) {
      event_rule(r + R_EVENT, prog, r[R_POINTS], ev, n_ev, n_cols, asof, o + 3);
      if (o[3] == 0) continue;
      raw = o[7];
      o[1] = o[6];
    } else if (r[R_PER] >= 0) {
      const double* v = props + 2 * (int)r[R_PER];
      if ((int)v[0] != T_NUM) {
        o[0] = 2;  // fired, but the per-unit field is missing: 0 points
        continue;
      }
      o[3] = v[1];
      o[1] = raw = r[R_POINTS] * v[1];
    } else {
      o[1] = raw;
    }
    o[0] = 1;
    o[2] = clamp(r + R_BOUNDS, raw);
    gout[2 * (int)r[R_GROUP]] += o[2];
  }
  double sum = 0;
  for (int g = 0; g < n_groups; ++g) sum += gout[2 * g + 1] = clamp(groups + 4 * g, gout[2 * g]);
  double* t = gout + 2 * n_groups;
  t[0] = sum;
  t[1] = clamp(in + 5, sum);
  int tier = 0;
  while (tier < n_tiers - 1 && tiers[tier] == tiers[tier] && !(t[1] >= tiers[tier])) ++tier;  // band_index
  t[2] = n_tiers ? tier : -1;
  t[3] = in[4] == in[4] && t[1] >= in[4];
  return out;
}
