#include "scorer.h"

#include "input_limits.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

namespace leadscore {

namespace {

// The points a fired rule contributes to its group for lead i (after the rule's own bounds).
// Per-unit rules whose field is missing contribute nothing.
inline bool contribution(const Rule& r, const Column* per, size_t i, double* raw) {
  if (!per) {
    *raw = r.points;
    return true;
  }
  double v = per->num[i];
  if (std::isnan(v)) return false;
  *raw = r.points * v;
  return true;
}

// Leads are summed in blocks small enough that a block's sums stay in L1 cache while every rule
// of the group is added to them (each mask is read once, each sum written once). The order of
// additions per lead is the same as one rule after another over all leads: identical results.
constexpr size_t kBlock = 2048;

struct Clamp {
  double lo, hi;
  explicit Clamp(const Bounds& b) : lo(b.min ? *b.min : -INFINITY), hi(b.max ? *b.max : INFINITY) {}
  double operator()(double v) const { return v < lo ? lo : v > hi ? hi : v; }  // Bounds::clamp, branch-free
};

// How many leads a condition fired on (kTrue = 1: bit 0) and raised an error on (kError = 2:
// bit 1), eight mask bytes at a time: each byte lane of the two 64-bit sums counts up to 255
// before the lanes are added up.
void count_outcomes(const uint8_t* m, size_t n, size_t* fired, size_t* errors) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kLow16 = 0x00FF00FF00FF00FFull;
  auto lanes = [](uint64_t a) {  // the sum of the eight byte lanes
    const uint64_t pairs = (a & kLow16) + ((a >> 8) & kLow16);  // four 16-bit lanes, each <= 510
    return (size_t)((pairs * 0x0001000100010001ull) >> 48);      // their sum <= 2040
  };
  size_t f = 0, e = 0, i = 0;
  while (i + 8 <= n) {
    uint64_t af = 0, ae = 0;
    for (size_t end = std::min(n - n % 8, i + 8 * 255); i < end; i += 8) {
      uint64_t w;
      std::memcpy(&w, m + i, 8);
      af += w & kOnes;
      ae += (w >> 1) & kOnes;
    }
    f += lanes(af), e += lanes(ae);
  }
  for (; i < n; ++i) f += m[i] & 1, e += m[i] >> 1;
  *fired = f, *errors = e;
}

// A rule whose contribution is its (clamped) points wherever it fired: not per-unit, no events.
bool fixed_points(const Scorer::Member& m) { return m.per_column < 0 && !m.event; }
// That contribution, times sign: what add_contribution and changed_leads add where it fired.
double fixed_contribution(const Scorer::Member& m, double sign) { return sign * Clamp(m.bounds)(m.points); }

// One rule's contribution to its group, lead by lead, times sign (+1 / -1): points where the mask
// is true (per-unit rules: points x value, clamped, where the value is present), +0.0 elsewhere.
// A sum that starts at +0.0 never becomes -0.0, so adding +0.0 leaves it exactly as skipping would.
void add_contribution(double* s, const Scorer::Member& mem, const Table& t, size_t i0, size_t n, double sign) {
  const Clamp c(mem.bounds);
  const uint8_t* m = mem.eval->mask.data() + i0;
  if (mem.event) {  // event rules: each lead's effective (decayed) points, then the rule's min/max
    const double* pts = mem.eval->points.data() + i0;
    for (size_t i = 0; i < n; ++i) s[i] += m[i] == kTrue ? sign * c(pts[i]) : 0.0;
    return;
  }
  if (mem.per_column < 0) {
    // kTrue = 1, kFalse = 0, kError = 2: (m & 1) is 1 exactly where the rule fired. p x 0 may be
    // -0.0, which leaves any sum but -0.0 unchanged.
    const double p = fixed_contribution(mem, sign);
    for (size_t i = 0; i < n; ++i) s[i] += p * (double)(m[i] & 1);
  } else if (const Values& col = t.columns[mem.per_column].num; col.kind() == Values::Kind::U8) {
    // One-byte values (counts): the contribution of each of the 256 values once, then a lookup.
    double x[256];
    for (int k = 0; k < 256; ++k) x[k] = k == Values::kMissingU8 ? 0.0 : sign * c(mem.points * (double)k);
    const uint8_t* v = col.u8() + i0;
    for (size_t i = 0; i < n; ++i) s[i] += m[i] == kTrue ? x[v[i]] : 0.0;
  } else {
    double per[kBlock];  // the block's values, decoded from the column's storage
    col.decode(i0, n, per);
    const double p = mem.points;
    for (size_t i = 0; i < n; ++i) {
      const double v = per[i];
      const double x = sign * c(p * v);
      s[i] += ((m[i] == kTrue) & (v == v)) ? x : 0.0;
    }
  }
}

bool integral(double v) { return std::isfinite(v) && std::floor(v) == v; }
// A total TotalCounts can hold: an integer below 2^53 (so the conversion is exact), not -0.0
// (summaries must give back its bits).
bool countable(double v) { return std::fabs(v) < 9007199254740992.0 && (double)(int64_t)v == v && !(v == 0 && std::signbit(v)); }
bool same_bits(double a, double b) { return a == b && std::signbit(a) == std::signbit(b); }

// Whether a rule's contributions are always integers (so group sums are exact); *mag gets a bound
// on their magnitude. Column facts are computed once per table (`cache`).
bool integral_member(const Scorer::Member& m, const Table& t, std::map<int, std::pair<bool, double>>& cache, double* mag) {
  if (!integral(m.points)) return false;
  if (m.bounds.min && !integral(*m.bounds.min)) return false;
  if (m.bounds.max && !integral(*m.bounds.max)) return false;
  double top = std::fabs(m.points);
  if (m.per_column >= 0) {
    auto it = cache.find(m.per_column);
    if (it == cache.end()) {
      double vmax = 0;
      const bool ok = t.columns[m.per_column].num.integers(&vmax);
      it = cache.emplace(m.per_column, std::make_pair(ok, vmax)).first;
    }
    if (!it->second.first) return false;
    top *= it->second.second;
  }
  if (m.bounds.min) top = std::max(top, std::fabs(*m.bounds.min));
  if (m.bounds.max) top = std::max(top, std::fabs(*m.bounds.max));
  *mag = top;
  return true;
}

bool same_member(const Scorer::Member& a, const Scorer::Member& b) {
  return a.eval->serial == b.eval->serial && a.points == b.points && a.per_column == b.per_column && a.event == b.event &&
         a.per_sig == b.per_sig && a.bounds == b.bounds;
}

// The members only in `before` (to subtract) and only in `after` (to add), as multisets.
void diff_members(const std::vector<Scorer::Member>& before, const std::vector<Scorer::Member>& after, std::vector<const Scorer::Member*>* sub,
                  std::vector<const Scorer::Member*>* add) {
  sub->clear(), add->clear();
  std::vector<bool> used(before.size());
  for (const auto& a : after) {
    size_t k = 0;
    while (k < before.size() && (used[k] || !same_member(before[k], a))) ++k;
    if (k < before.size()) used[k] = true;
    else add->push_back(&a);
  }
  for (size_t k = 0; k < before.size(); ++k)
    if (!used[k]) sub->push_back(&before[k]);
}

// Totals, tiers, matrix bands and the sales-ready threshold defined alike in both rule sets
// (what decides a lead's results from its group scores, apart from the groups themselves).
bool same_scoring_frame(const RuleSet& a, const RuleSet& b) {
  auto same_bands = [](const std::vector<Band>& x, const std::vector<Band>& y) {
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i)
      if (x[i].min != y[i].min) return false;
    return true;
  };
  if (a.total != b.total || a.sales_ready != b.sales_ready || !same_bands(a.tiers, b.tiers) ||
      a.matrix.present != b.matrix.present || a.groups.size() != b.groups.size())
    return false;
  for (size_t g = 0; g < a.groups.size(); ++g)
    if (a.groups[g].id != b.groups[g].id) return false;
  return !a.matrix.present || (a.matrix.fit_group == b.matrix.fit_group && a.matrix.engagement_group == b.matrix.engagement_group &&
                               same_bands(a.matrix.fit, b.matrix.fit) && same_bands(a.matrix.engagement, b.matrix.engagement));
}

// The tier (or matrix band) of a value, as band_index(): bands highest first, the first whose min
// it reaches; a band without min takes anything. With mins that never increase and only the last
// band without one (how rule sets are normalised), that is the number of bands whose min the value
// does not reach, capped at the last band: no branches.
struct BandFinder {
  std::vector<double> mins;  // -inf for a band without min
  bool sorted = true;
  // Up to five sorted bands (four thresholds: the last band's min is not one), the thresholds
  // held by value and all used: no loop, no branch, no load through mins.
  struct Small {
    bool u1 = false, u2 = false, u3 = false, u4 = false;  // which of the four thresholds exist
    double m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    int32_t operator()(double x) const {
      return (int32_t)(u1 & !(x >= m0)) + (int32_t)(u2 & !(x >= m1)) + (int32_t)(u3 & !(x >= m2)) + (int32_t)(u4 & !(x >= m3));
    }
  } sb;
  bool small = false;
  explicit BandFinder(const std::vector<Band>& bands) {
    for (size_t i = 0; i < bands.size(); ++i) {
      mins.push_back(bands[i].min ? *bands[i].min : -INFINITY);
      if ((!bands[i].min && i + 1 < bands.size()) || (i && mins[i] > mins[i - 1])) sorted = false;
    }
    const size_t k = mins.size();
    if (sorted && k && k <= 5) {
      small = true;
      sb.u1 = k > 1, sb.u2 = k > 2, sb.u3 = k > 3, sb.u4 = k > 4;
      sb.m0 = mins[0], sb.m1 = mins[std::min<size_t>(1, k - 1)], sb.m2 = mins[std::min<size_t>(2, k - 1)],
      sb.m3 = mins[std::min<size_t>(3, k - 1)];
    }
  }
  int32_t operator()(double v) const {
    if (small) return sb(v);
    const size_t k = mins.size();
    if (sorted && k) {
      int32_t below = 0;
      for (size_t i = 0; i + 1 < k; ++i) below += !(v >= mins[i]);
      return below;
    }
    for (size_t i = 0; i < k; ++i)
      if (!bands_min(i) || v >= mins[i]) return (int32_t)i;
    return k ? (int32_t)k - 1 : -1;
  }
  bool bands_min(size_t i) const { return mins[i] != -INFINITY; }
  // out[i] = (*this)(v[i]) for n values; the sorted case one threshold at a time (vectorisable).
  void all(const double* v, int32_t* out, size_t n) const {
    const size_t k = mins.size();
    if (!sorted || !k) {
      for (size_t i = 0; i < n; ++i) out[i] = (*this)(v[i]);
      return;
    }
    // Small: all thresholds in one pass (copied to locals, in registers); more bands, one
    // threshold at a time.
    if (small) {
      const Small f = sb;
      for (size_t i = 0; i < n; ++i) out[i] = f(v[i]);
      return;
    }
    for (size_t i = 0; i < n; ++i) out[i] = 0;
    for (size_t j = 0; j + 1 < k; ++j) {
      const double m = mins[j];
      for (size_t i = 0; i < n; ++i) out[i] += !(v[i] >= m);
    }
  }
};

}  // namespace

bool Scorer::GroupMeta::same_as(const GroupMeta& o) const {
  if (id != o.id || bounds != o.bounds || members.size() != o.members.size()) return false;
  for (size_t k = 0; k < members.size(); ++k)
    if (!same_member(members[k], o.members[k])) return false;
  return true;
}

Scorer::Scorer(std::shared_ptr<const Table> table) : base_(table), table_(std::move(table)) {
  results_.rows = table_->rows;
}

int Scorer::rule_index_checked(const std::string& id) const {
  int i = rules_.rule_index(id);
  if (i < 0) {
    Diagnostic d{Diagnostic::Severity::Error, "unknown_rule", "there is no rule with id '" + id + "'", "", id, ""};
    throw RuleSetError({d});
  }
  return i;
}

// The leads of block [i0, i0 + len) whose group sum an edit changes: their block-relative
// indices go to idx (in order) and their changes to d[idx[q]]; returns how many. The change is
// (added contributions) - (subtracted ones), summed from +0.0 in add_contribution's order, so
// bit for bit what add_contribution gives. About one lead in seven changes in a typical edit,
// spread at random, so a branch per lead would mispredict on most of them: for fixed-points
// rules the masks' fired bits are read eight leads at a time and the indices kept without a
// branch; per-unit and event rules go through add_contribution.
// For each byte value, the positions of its set bits, lowest first (the rest 0), and how many
// (x86-64's baseline has no popcount instruction).
struct SetBits {
  uint8_t at[256][8];
  uint8_t count[256];
  constexpr SetBits() : at(), count() {
    for (int v = 0; v < 256; ++v)
      for (int b = 0; b < 8; ++b)
        if (v >> b & 1) at[v][count[v]++] = (uint8_t)b;
  }
};
constexpr SetBits kSetBits;

size_t changed_leads(const std::vector<const Scorer::Member*>& adds, const std::vector<const Scorer::Member*>& subs, const Table& t,
                     size_t i0, size_t len, double* d, uint32_t* idx) {
  auto fixed = [](const Scorer::Member* m) { return fixed_points(*m); };
  size_t k = 0;
  if (std::all_of(adds.begin(), adds.end(), fixed) && std::all_of(subs.begin(), subs.end(), fixed)) {
    auto lead = [&](size_t j) {  // the exact change at block index j, in add_contribution's order
      double v = 0.0;
      for (const auto* m : adds) v += fixed_contribution(*m, 1.0) * (double)(m->eval->mask[i0 + j] & 1);
      for (const auto* m : subs) v += fixed_contribution(*m, -1.0) * (double)(m->eval->mask[i0 + j] & 1);
      d[j] = v;
      idx[k] = (uint32_t)j;
      k += v != 0.0;
    };
    // Eight leads at a time: bit 0 of each mask byte is "fired" (kTrue = 1, kFalse = 0, kError = 2).
    constexpr uint64_t kFired = 0x0101010101010101ull;
    constexpr bool kWords = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;  // byte b of a word is lead j + b
    auto word = [&](const Scorer::Member* m, size_t j) {
      uint64_t w;
      std::memcpy(&w, m->eval->mask.data() + i0 + j, 8);
      return w & kFired;
    };
    size_t j = 0;
    const double p = adds.size() == 1 ? fixed_contribution(*adds[0], 1.0) : 0.0;
    if (kWords && subs.size() == 1 && p != 0 && p == fixed_contribution(*subs[0], 1.0)) {
      // One rule's condition replaced, same points: a lead changes exactly where the two fired
      // bits differ, by +p where the new condition holds and -p where the old one did.
      const uint8_t* ma = adds[0]->eval->mask.data() + i0;
      // Eight leads per step and no branch: the eight changed bits gathered into one byte (the
      // multiply moves byte b's bit 0 to bit 56 + b, without carries), whose set bits' positions
      // come from a table; all eight indices are written, the first popcount of them kept.
      // (k + 8 <= j + 8 <= len: idx has room.)
      for (; j + 8 <= len; j += 8) {
        const uint64_t z = word(adds[0], j) ^ word(subs[0], j);
        const unsigned bits = (unsigned)((z * 0x0102040810204080ull) >> 56);
        const uint8_t* at = kSetBits.at[bits];
        for (size_t b = 0; b < 8; ++b) idx[k + b] = (uint32_t)(j + at[b]);
        k += kSetBits.count[bits];
      }
      const double pm[2] = {-p, p};  // (p + -0.0 = p); a select, not a branch: the bits are random
      for (size_t q = 0; q < k; ++q) d[idx[q]] = pm[ma[idx[q]] & 1];
    } else if (kWords) {
      // Only leads where one of the rules fired can change.
      for (; j + 8 <= len; j += 8) {
        uint64_t z = 0;
        for (const auto* m : adds) z |= word(m, j);
        for (const auto* m : subs) z |= word(m, j);
        for (; z; z &= z - 1) lead(j + (size_t)(__builtin_ctzll(z) >> 3));
      }
    }
    for (; j < len; ++j) lead(j);
    return k;
  }
  std::fill(d, d + len, 0.0);
  for (const auto* m : adds) add_contribution(d, *m, t, i0, len, 1.0);
  for (const auto* m : subs) add_contribution(d, *m, t, i0, len, -1.0);
  for (size_t j = 0; j < len; ++j) {
    idx[k] = (uint32_t)j;
    k += d[j] != 0.0;
  }
  return k;
}

Diagnostics Scorer::set_rules(const std::string& text) {
  Diagnostics parse_warnings;
  RuleSet rs = parse_rule_set(text, &parse_warnings);
  Diagnostics w = set_rules(rs);
  warnings_.insert(warnings_.begin(), parse_warnings.begin(), parse_warnings.end());
  w.insert(w.begin(), parse_warnings.begin(), parse_warnings.end());
  return w;
}

Diagnostics Scorer::set_rules(const RuleSet& rs) {
  const size_t n = base_->rows;
  Diagnostics diags;

  // 0. Events and computed fields (docs/rules.md, "Events"): the table the rules see is the
  //    leads plus one number column per computed field; nothing committed is touched yet.
  std::vector<std::string> dnames;
  std::shared_ptr<Table> dtab = derived_table_for(rs, &dnames);
  const Table& t = dtab ? *dtab : *base_;
  const size_t base_cols = base_->columns.size();
  std::map<std::string, std::shared_ptr<const std::vector<uint8_t>>> emasks;
  check_events(rs, diags, emasks);

  // 1. Compile every rule against the table's columns. Errors in enabled rules stop here,
  //    before anything is changed; a disabled rule's errors are only warnings.
  //    A rule compiled before against these leads (same condition, per-unit field and field
  //    declarations) is reused: compiling can cost a pass over a column's distinct values.
  std::vector<Compiled> compiled(rs.rules.size());
  std::map<std::string, CompiledRule> ccache;
  std::string fields_key;
  for (const auto& f : rs.fields) {
    fields_key += f.name + '\x1f';
    for (const auto& a : f.aliases) fields_key += a + '\x1e';
  }
  for (const auto& d : dnames) fields_key += d + '\x1c';  // computed fields change the column layout
  for (size_t r = 0; r < rs.rules.size(); ++r) {
    const Rule& rule = rs.rules[r];
    std::string key = rule.when.dump() + '\x1d' + rule.per.value_or("") + '\x1d' + fields_key;
    if (auto it = compile_cache_.find(key); it != compile_cache_.end()) {
      compiled[r].rule = ccache[key] = it->second;
      continue;
    }
    if (auto it = ccache.find(key); it != ccache.end()) {
      compiled[r].rule = it->second;
      continue;
    }
    Diagnostics d;
    compiled[r].rule = compile_rule(rule, rs, t, d, "rules[" + std::to_string(r) + "]");
    if (!has_errors(d)) ccache[key] = compiled[r].rule;
    for (auto& x : d) {
      if (!rule.enabled && x.is_error()) {
        x.severity = Diagnostic::Severity::Warning;
        x.message += " (the rule is disabled, so this does not stop scoring)";
      }
      diags.push_back(x);
    }
  }
  for (const auto& f : rs.fields)
    if (resolve_field(t, rs, f.name) < 0)
      diags.push_back({Diagnostic::Severity::Warning, "field_not_in_data", "field '" + f.name + "' is declared but the leads have no column for it (nor any of its aliases)",
                       "fields." + f.name, "", f.name});
  if (has_errors(diags)) throw RuleSetError(diags);

  // 1b. Computed fields' values (only when their definitions, the events or the as-of day changed).
  std::string dsig;
  if (dtab) {
    for (const auto& d : rs.derived) dsig += d.name + '=' + d.source.dump() + '\x1d';
    dsig += std::to_string(as_of_.value_or(0)) + '/' + std::to_string(events_ ? events_->serial() : 0);
    if (dtab != derived_table_ || dsig != derived_sig_) compute_derived(rs, *dtab, emasks);
  }
  auto reads_derived = [&](const CompiledRule& cr) {
    return std::any_of(cr.columns.begin(), cr.columns.end(), [&](int c) { return (size_t)c >= base_cols; });
  };

  // 2. Evaluate the conditions that are not already cached: first find them (in rule order), then
  //    evaluate them together (rules looking up the same text column share one pass over it).
  std::map<std::string, std::shared_ptr<const Evaluated>> cache;
  size_t evaluations = 0;
  std::vector<std::string> keys(rs.rules.size());
  std::vector<const CompiledRule*> todo;
  std::vector<std::string> todo_keys;
  for (size_t r = 0; r < rs.rules.size(); ++r) {
    if (!rs.rules[r].enabled) continue;
    // Field declarations decide which column a name reads (aliases), so they are part of the key.
    std::string& key = keys[r];
    key = rs.rules[r].when.dump() + '\x1d' + fields_key;
    if (reads_derived(compiled[r].rule)) key += '\x1d' + dsig;
    if (cache.count(key)) continue;
    if (auto old = mask_cache_.find(key); old != mask_cache_.end()) {
      cache.emplace(key, old->second);
      continue;
    }
    cache.emplace(key, nullptr);  // to be evaluated (once, however many rules share it)
    todo.push_back(&compiled[r].rule);
    todo_keys.push_back(key);
  }
  std::vector<Mask> masks = evaluate_all(todo, t);
  for (size_t k = 0; k < todo.size(); ++k) {
    auto ev = std::make_shared<Evaluated>();
    ev->serial = next_serial_++;
    ev->mask = std::move(masks[k]);
    const uint8_t* m = ev->mask.data();
    size_t fired = 0, errors = 0;
    count_outcomes(m, n, &fired, &errors);
    ev->fired = fired, ev->errors = errors;
    if (errors) ev->first_error_row = (long)(std::find(m, m + n, kError) - m);
    ++evaluations;
    cache[todo_keys[k]] = ev;
  }
  for (size_t r = 0; r < rs.rules.size(); ++r) {
    const Rule& rule = rs.rules[r];
    if (!rule.enabled) continue;
    compiled[r].eval = cache.at(keys[r]);
    if (rule.events) evaluate_event_rule(rs, rule, keys[r], emasks, compiled[r], cache, &evaluations);
  }

  // 3. Sum each group. A group whose inputs (condition results, points, per-unit fields, caps)
  //    are unchanged keeps its scores. A group where only a few rules changed, and whose sums
  //    are exact integers (integral points and bounds, integral per-unit values, |sum| < 2^53),
  //    is updated by adding the new rules' and subtracting the old rules' points: with exact
  //    integer sums the order of additions cannot change a bit, so this equals a full re-sum.
  //    Anything else is summed from scratch in rule order.
  Results res;
  res.rows = n;
  std::vector<GroupMeta> metas(rs.groups.size());
  std::vector<std::vector<double>> scores(rs.groups.size());
  std::vector<int> reuse(rs.groups.size(), -1);  // index into group_meta_ / results_.groups
  std::vector<int> from(rs.groups.size(), -1);   // delta groups: the previous group updated
  std::vector<std::vector<const Member*>> adds(rs.groups.size()), subs(rs.groups.size());
  size_t delta_groups = 0;
  for (size_t g = 0; g < rs.groups.size(); ++g) {
    const Group& grp = rs.groups[g];
    GroupMeta& gm = metas[g];
    gm.id = grp.id;
    gm.bounds = grp.bounds;
    gm.exact = true;  // the group's own min/max apply after the sum
    double bound = 0;
    for (size_t r = 0; r < rs.rules.size(); ++r) {
      const Rule& rule = rs.rules[r];
      if (!rule.enabled || rule.group != grp.id) continue;
      Member m{compiled[r].eval, rule.points, compiled[r].rule.per_column, rule.bounds, false, {}};
      m.event = rule.events.has_value();
      // A per-unit computed field changes with the events and the as-of day: part of the identity.
      if (m.per_column >= (int)base_cols) m.per_sig = dsig;
      double mag = 0;
      // Event points (decay) and computed fields are not known to be integers: summed in full.
      gm.exact = gm.exact && !m.event && m.per_column < (int)base_cols && integral_member(m, t, integral_columns_, &mag);
      bound += mag;
      gm.members.push_back(std::move(m));
    }
    gm.exact = gm.exact && bound < 4503599627370496.0;  // 2^52: every partial sum is an exact integer
    gm.magnitude = bound;
    // Unchanged?
    for (size_t k = 0; k < group_meta_.size() && reuse[g] < 0; ++k)
      if (k < results_.groups.size() && results_.groups[k].size() == n && group_meta_[k].same_as(gm) &&
          std::find(reuse.begin(), reuse.end(), (int)k) == reuse.end())
        reuse[g] = (int)k;
    if (reuse[g] >= 0) continue;
    // A few rules changed in an exact group: update the previous sums.
    for (size_t k = 0; k < group_meta_.size() && from[g] < 0; ++k) {
      const GroupMeta& old = group_meta_[k];
      if (old.id != gm.id || !old.exact || !gm.exact || old.raw.size() != n || k >= results_.groups.size()) continue;
      diff_members(old.members, gm.members, &subs[g], &adds[g]);
      if (adds[g].size() + subs[g].size() <= std::max<size_t>(2, gm.members.size() / 2)) from[g] = (int)k;
    }
  }

  // 3b. The page's case, one rule edited: every group is either unchanged or updated by
  //     difference from its own previous sums (same bounds), and totals, tiers, matrix bands and
  //     the sales-ready threshold are defined as before. Then only the leads whose group sums
  //     changed need new totals, tiers and bands: the previous results are patched in place at
  //     the commit (see there), instead of writing every lead's results afresh.
  bool patch = has_rules_ && results_.rows == n && group_meta_.size() == rs.groups.size() &&
               results_.groups.size() == rs.groups.size() && same_scoring_frame(rules_, rs);
  for (size_t g = 0; g < rs.groups.size() && patch; ++g)
    patch = reuse[g] == (int)g || (from[g] == (int)g && group_meta_[g].bounds == metas[g].bounds);
  std::vector<size_t> patched;  // groups patched in place at the commit

  for (size_t g = 0; g < rs.groups.size(); ++g) {
    if (reuse[g] >= 0) continue;
    const Group& grp = rs.groups[g];
    GroupMeta& gm = metas[g];
    const Clamp gc(grp.bounds);
    if (patch) {
      patched.push_back(g);
      ++delta_groups;
      continue;
    }
    // Each block of sums is made in `raw` (L1) and appended to the result vectors, which are
    // only reserved: nothing is zero-filled first and written again.
    std::vector<double>& sc = scores[g];
    sc.reserve(n);
    if (gm.exact) gm.raw.reserve(n);
    double raw[kBlock];
    auto append = [&](size_t len) {
      if (gm.exact) gm.raw.insert(gm.raw.end(), raw, raw + len);
      for (size_t i = 0; i < len; ++i) raw[i] = gc(raw[i]);
      sc.insert(sc.end(), raw, raw + len);
    };
    if (from[g] >= 0) {
      const double* old_raw = group_meta_[from[g]].raw.data();
      for (size_t i0 = 0; i0 < n; i0 += kBlock) {
        const size_t len = std::min(kBlock, n - i0);
        std::copy(old_raw + i0, old_raw + i0 + len, raw);
        for (const Member* m : adds[g]) add_contribution(raw, *m, t, i0, len, 1.0);
        for (const Member* m : subs[g]) add_contribution(raw, *m, t, i0, len, -1.0);
        append(len);
      }
      ++delta_groups;
    } else {
      // Exact groups: the fixed-points rules are taken 8 at a time; their fired bits are packed
      // into one byte per lead and a 256-entry table gives the 8 rules' sum. Integer sums do not
      // depend on the order of additions, so this equals adding rule after rule.
      std::vector<const Member*> fixed, other;
      for (const Member& m : gm.members) (gm.exact && fixed_points(m) ? fixed : other).push_back(&m);
      if (fixed.size() < 4) fixed.clear(), other.clear();
      if (other.empty() && fixed.empty())
        for (const Member& m : gm.members) other.push_back(&m);
      std::vector<std::array<double, 256>> luts((fixed.size() + 7) / 8);
      for (size_t c = 0; c < luts.size(); ++c)
        for (unsigned bits = 0; bits < 256; ++bits) {
          double sum = 0;
          for (size_t b = 0; b < 8 && 8 * c + b < fixed.size(); ++b)
            if (bits >> b & 1) sum += Clamp(fixed[8 * c + b]->bounds)(fixed[8 * c + b]->points);
          luts[c][bits] = sum;
        }
      // (packed is filled eight leads at a time: bit 0 of each mask byte, kTrue = 1, shifted to
      // the rule's bit; a block of kBlock leads is a whole number of words.)
      static_assert(kBlock % 8 == 0, "blocks are whole 8-byte words");
      uint64_t packed_words[kBlock / 8];
      uint8_t* packed = reinterpret_cast<uint8_t*>(packed_words);
      for (size_t i0 = 0; i0 < n; i0 += kBlock) {
        const size_t len = std::min(kBlock, n - i0);
        const size_t words = len / 8;
        std::fill(raw, raw + len, 0.0);
        for (size_t c = 0; c < luts.size(); ++c) {
          std::fill(packed_words, packed_words + (len + 7) / 8, 0);
          for (size_t b = 0; b < 8 && 8 * c + b < fixed.size(); ++b) {
            const uint8_t* m = fixed[8 * c + b]->eval->mask.data() + i0;
            for (size_t w = 0; w < words; ++w) {
              uint64_t x;
              std::memcpy(&x, m + 8 * w, 8);
              packed_words[w] |= (x & 0x0101010101010101ull) << b;
            }
            for (size_t i = 8 * words; i < len; ++i) packed[i] |= (uint8_t)((m[i] & 1) << b);
          }
          const double* lut = luts[c].data();
          for (size_t i = 0; i < len; ++i) raw[i] += lut[packed[i]];
        }
        for (const Member* m : other) add_contribution(raw, *m, t, i0, len, 1.0);
        append(len);
      }
    }
  }
  auto group_data = [&](size_t g) { return reuse[g] >= 0 ? results_.groups[reuse[g]].data() : scores[g].data(); };

  // 4. Totals, tiers, matrix bands, sales-ready: one pass (patched leads: at the commit).
  const Clamp tc(rs.total);
  const BandFinder tiers(rs.tiers), fb(rs.matrix.fit), eb(rs.matrix.engagement);
  const double ready = rs.sales_ready ? *rs.sales_ready : INFINITY;
  const bool has_ready = rs.sales_ready.has_value();
  const int fit_g = rs.matrix.present ? rs.group_index(rs.matrix.fit_group) : -1;
  const int eng_g = rs.matrix.present ? rs.group_index(rs.matrix.engagement_group) : -1;
  if (!patch) {
    // Block by block into L1 buffers, appended to reserved vectors (no zero fill first).
    res.total.reserve(n);
    res.tier.reserve(n);
    res.sales_ready.reserve(n);
    std::vector<const double*> gs;
    for (size_t g = 0; g < rs.groups.size(); ++g) gs.push_back(group_data(g));
    const double* f = fit_g >= 0 ? gs[fit_g] : nullptr;
    const double* e = eng_g >= 0 ? gs[eng_g] : nullptr;
    if (f) res.fit_band.reserve(n), res.engagement_band.reserve(n);
    else res.fit_band.assign(n, -1), res.engagement_band.assign(n, -1);
    double tot[kBlock];
    int32_t tier[kBlock], band[kBlock];
    uint8_t sr[kBlock];
    for (size_t i0 = 0; i0 < n; i0 += kBlock) {
      const size_t len = std::min(kBlock, n - i0);
      for (size_t i = 0; i < len; ++i) tot[i] = 0.0;
      for (const double* sc : gs)
        for (size_t i = 0; i < len; ++i) tot[i] += sc[i0 + i];
      for (size_t i = 0; i < len; ++i) {
        const double v = tot[i] = tc(tot[i]);
        sr[i] = has_ready & (v >= ready);
      }
      tiers.all(tot, tier, len);
      res.total.insert(res.total.end(), tot, tot + len);
      res.tier.insert(res.tier.end(), tier, tier + len);
      res.sales_ready.insert(res.sales_ready.end(), sr, sr + len);
      if (f) {
        fb.all(f + i0, band, len);
        res.fit_band.insert(res.fit_band.end(), band, band + len);
        eb.all(e + i0, band, len);
        res.engagement_band.insert(res.engagement_band.end(), band, band + len);
      }
    }
  }

  // 5. Per-rule statistics and the warnings a reviewer should see.
  std::vector<RuleStats> stats;
  for (size_t r = 0; r < rs.rules.size(); ++r) {
    const Rule& rule = rs.rules[r];
    RuleStats st;
    st.id = rule.id;
    st.enabled = rule.enabled;
    st.plan = compiled[r].rule.plan;
    std::string path = "rules[" + std::to_string(r) + "]";
    if (const auto& ev = compiled[r].eval) {
      st.fired = ev->fired;
      st.errors = ev->errors;
      st.first_error_row = ev->first_error_row;
      if (ev->errors) {
        size_t row = (size_t)ev->first_error_row;
        st.first_error = error_message(rule.when, t, row);
        Diagnostic d{Diagnostic::Severity::Warning, "eval_error",
                     "the condition could not be evaluated for " + format_count(ev->errors) + " lead(s), which get no points from it; first at line " +
                         std::to_string(row < t.row_line.size() ? t.row_line[row] : row + 1) + ": " + st.first_error,
                     path + ".when", rule.id, ""};
        d.line = row < t.row_line.size() ? t.row_line[row] : 0;
        diags.push_back(d);
      }
      if (n > 0 && ev->fired == 0 && ev->errors == 0)
        diags.push_back({Diagnostic::Severity::Warning, "never_fires", "the rule matches none of the " + format_count(n) + " leads", path + ".when", rule.id, ""});
      else if (n > 1 && ev->fired == n && !rule.when.is_null())
        diags.push_back({Diagnostic::Severity::Warning, "always_fires", "the rule matches every lead, so it does not tell leads apart", path + ".when", rule.id, ""});
    }
    stats.push_back(st);
  }

  // 6. Commit: nothing above touched the previous state. Everything that can throw (copies)
  //    happens before the first move.
  RuleSet rules_copy = rs;
  Diagnostics warnings_copy = diags;
  std::vector<std::string> dnames_copy = dnames;
  std::string dsig_copy = dsig;
  size_t patched_leads = 0;
  if (patch) {
    // Nothing below allocates or throws: the previous results are updated in place. Per patched
    // group and block of leads, d = (added contributions) - (subtracted ones) from +0.0, read from
    // the masks (and per-unit columns) only, not every lead's previous results. The sums are exact
    // integers, so raw + d equals a re-sum, and d == 0 exactly where a lead's sum is unchanged.
    res = std::move(results_);
    for (size_t g = 0; g < rs.groups.size(); ++g) metas[g].raw = std::move(group_meta_[g].raw);
    // A lead whose group score changed gets a new total. When every group score is an exact
    // integer (exact groups, integral group bounds) and |total| < 2^52, old total - old score +
    // new score is the in-order sum of the groups exactly, provided the old total was not clamped
    // (strictly inside the total's bounds). A total clamped at its min whose group score went
    // down (or at its max, up) stays clamped: the exact sum moved further past the bound.
    // Otherwise the groups are summed again in order, as the full pass does. Either way the bits
    // equal a full re-score's.
    bool exact_total = true;
    double magnitude = 0;
    for (size_t g = 0; g < rs.groups.size(); ++g) {
      const Bounds& b = rs.groups[g].bounds;
      exact_total = exact_total && metas[g].exact && (!b.min || integral(*b.min)) && (!b.max || integral(*b.max));
      magnitude += std::max({metas[g].magnitude, b.min ? std::fabs(*b.min) : 0.0, b.max ? std::fabs(*b.max) : 0.0});
    }
    exact_total = exact_total && magnitude < 4503599627370496.0;
    if (counts_state_ != 1) counts_state_ = 0;  // (re)built from the totals when next asked for
    double d[kBlock];
    uint32_t idx[kBlock];
    for (size_t g : patched) {
      double* raw = metas[g].raw.data();
      double* sc = res.groups[g].data();
      const Clamp gc(rs.groups[g].bounds);
      // The arrays as local pointers, the tier count state as a local: the one-byte stores
      // (sales-ready) may alias anything, which would reload every vector's pointer per lead.
      double* const total = res.total.data();
      int32_t* const tier = res.tier.data();
      uint8_t* const ready_flag = res.sales_ready.data();
      int32_t* const fit_band = (int)g == fit_g ? res.fit_band.data() : nullptr;
      int32_t* const eng_band = (int)g == eng_g ? res.engagement_band.data() : nullptr;
      uint32_t* const count = counts_.count.data();
      const double count_lo = counts_.lo, count_n = (double)counts_.count.size();
      bool counting = counts_state_ == 1;
      // Small band finders' thresholds as locals too (the finders' addresses escape elsewhere).
      const BandFinder::Small ts = tiers.sb, fs = fb.sb, es = eb.sb;
      const bool t_small = tiers.small, f_small = fb.small, e_small = eb.small;
      for (size_t i0 = 0; i0 < n; i0 += kBlock) {
        const size_t len = std::min(kBlock, n - i0);
        const size_t k = changed_leads(adds[g], subs[g], t, i0, len, d, idx);
        patched_leads += k;
        for (size_t q = 0; q < k; ++q) {
          const size_t j = idx[q], i = i0 + j;
          raw[i] += d[j];
          const double os = sc[i], ns = gc(raw[i]);
          if (same_bits(os, ns)) continue;  // capped: the group score and all that follows stay
          sc[i] = ns;
          if (fit_band) fit_band[i] = f_small ? fs(ns) : fb(ns);
          if (eng_band) eng_band[i] = e_small ? es(ns) : eb(ns);
          const double ot = total[i];
          double v;
          if (exact_total && ot > tc.lo && ot < tc.hi) {
            v = ot - os + ns;
          } else if (exact_total && ((ot == tc.lo && ns < os) || (ot == tc.hi && ns > os))) {
            continue;  // clamped, and the sum moved further past the bound: the total stays
          } else {
            v = 0.0;
            for (const auto& gs : res.groups) v += gs[i];
          }
          v = tc(v);
          if (same_bits(v, ot)) continue;
          total[i] = v;
          ready_flag[i] = has_ready & (v >= ready);
          tier[i] = t_small ? ts(v) : tiers(v);
          if (counting) {
            count[(size_t)(ot - count_lo)]--;
            const double c = v - count_lo;
            if (countable(v) && c >= 0 && c < count_n) count[(size_t)c]++;
            else counting = false;
          }
        }
      }
      if (counts_state_ == 1 && !counting) counts_state_ = 0;
    }
  } else {
    for (size_t g = 0; g < rs.groups.size(); ++g)
      if (reuse[g] >= 0) {
        scores[g] = std::move(results_.groups[reuse[g]]);
        metas[g].raw = std::move(group_meta_[reuse[g]].raw);
      }
    res.groups = std::move(scores);
  }
  group_meta_ = std::move(metas);
  rules_ = std::move(rules_copy);
  // (computed fields' values were written into dtab, which only the new rule set reads)
  table_ = dtab ? std::shared_ptr<const Table>(dtab) : base_;
  derived_table_ = dtab;
  derived_names_ = std::move(dnames_copy);
  derived_sig_ = std::move(dsig_copy);
  event_mask_cache_ = std::move(emasks);
  if (!events_) dedupe_cache_.clear();
  has_rules_ = true;
  compiled_ = std::move(compiled);
  mask_cache_ = std::move(cache);
  compile_cache_ = std::move(ccache);
  results_ = std::move(res);
  stats_ = std::move(stats);
  warnings_ = std::move(warnings_copy);
  last_evaluations_ = evaluations;
  last_delta_groups_ = delta_groups;
  last_in_place_ = patch;
  last_patched_leads_ = patched_leads;
  if (!patch) counts_state_ = 0;
  return diags;
}

Diagnostics Scorer::add_rule(const nlohmann::json& rule, long index) {
  Diagnostics d;
  Rule r = parse_rule(rule, rules_, "rules[" + std::to_string(index < 0 ? rules_.rules.size() : (size_t)index) + "]", d);
  if (!r.id.empty() && rules_.rule_index(r.id) >= 0)
    d.push_back({Diagnostic::Severity::Error, "duplicate", "rule id '" + r.id + "' is already used; ids must be unique", "", r.id, ""});
  if (has_errors(d)) throw RuleSetError(d);
  RuleSet rs = rules_;
  if (index < 0 || (size_t)index >= rs.rules.size()) rs.rules.push_back(r);
  else rs.rules.insert(rs.rules.begin() + index, r);
  return set_rules(rs);
}

Diagnostics Scorer::replace_rule(const std::string& id, const nlohmann::json& rule) {
  int at = rule_index_checked(id);
  Diagnostics d;
  Rule r = parse_rule(rule, rules_, "rules[" + std::to_string(at) + "]", d);
  if (r.id != id && rules_.rule_index(r.id) >= 0)
    d.push_back({Diagnostic::Severity::Error, "duplicate", "rule id '" + r.id + "' is already used; ids must be unique", "", r.id, ""});
  if (has_errors(d)) throw RuleSetError(d);
  RuleSet rs = rules_;
  rs.rules[at] = r;
  return set_rules(rs);
}

Diagnostics Scorer::remove_rule(const std::string& id) {
  int at = rule_index_checked(id);
  RuleSet rs = rules_;
  rs.rules.erase(rs.rules.begin() + at);
  return set_rules(rs);
}

Diagnostics Scorer::set_enabled(const std::string& id, bool enabled) {
  int at = rule_index_checked(id);
  RuleSet rs = rules_;
  rs.rules[at].enabled = enabled;
  return set_rules(rs);
}

Diagnostics Scorer::move_rule(const std::string& id, size_t index) {
  int at = rule_index_checked(id);
  RuleSet rs = rules_;
  Rule r = rs.rules[at];
  rs.rules.erase(rs.rules.begin() + at);
  rs.rules.insert(rs.rules.begin() + std::min(index, rs.rules.size()), r);
  return set_rules(rs);
}

Ledger Scorer::ledger(size_t lead) const {
  const Table& t = *table_;
  if (lead >= t.rows) throw std::out_of_range("lead " + std::to_string(lead) + " is out of range (the table has " + std::to_string(t.rows) + " leads)");
  Ledger l;
  l.lead = lead;
  l.line = lead < t.row_line.size() ? t.row_line[lead] : 0;
  for (const auto& grp : rules_.groups) {
    LedgerGroup lg{grp.id, grp.label, 0, 0, ""};
    for (size_t r = 0; r < rules_.rules.size(); ++r) {
      const Rule& rule = rules_.rules[r];
      if (!rule.enabled || rule.group != grp.id || !compiled_[r].eval) continue;
      uint8_t m = compiled_[r].eval->mask[lead];
      if (m == kError) {
        l.errors.emplace_back(rule.id, error_message(rule.when, t, lead));
        continue;
      }
      if (m != kTrue) continue;
      LedgerEntry e;
      e.rule_id = rule.id, e.label = rule.label, e.group = rule.group;
      if (rule.events) {  // count, decay, effective points: scorer_events.cpp
        event_entry(r, lead, e);
        lg.sum += e.points;
        l.entries.push_back(e);
        continue;
      }
      const Column* per = compiled_[r].rule.per_column >= 0 ? &t.columns[compiled_[r].rule.per_column] : nullptr;
      if (per) e.unit_value = per->is_missing(lead) ? std::nullopt : std::optional<double>(per->num[lead]);
      double raw;
      if (!contribution(rule, per, lead, &raw)) {
        e.note = "'" + *rule.per + "' is missing for this lead: 0 points";
        l.entries.push_back(e);
        continue;
      }
      e.raw = raw;
      e.points = rule.bounds.clamp(raw);
      e.clipped = rule.bounds.clip_label(raw, "rule");
      lg.sum += e.points;
      l.entries.push_back(e);
    }
    lg.score = grp.bounds.clamp(lg.sum);
    lg.clipped = grp.bounds.clip_label(lg.sum, "group");
    l.sum += lg.score;
    l.groups.push_back(lg);
  }
  l.total = rules_.total.clamp(l.sum);
  l.clipped = rules_.total.clip_label(l.sum, "total");
  int tier = band_index(rules_.tiers, l.total);
  if (tier >= 0) l.tier = rules_.tiers[tier].name, l.action = rules_.tiers[tier].action;
  l.sales_ready = rules_.sales_ready && l.total >= *rules_.sales_ready;
  if (rules_.matrix.present) {
    const auto& m = rules_.matrix;
    int f = band_index(m.fit, l.groups[rules_.group_index(m.fit_group)].score);
    int e = band_index(m.engagement, l.groups[rules_.group_index(m.engagement_group)].score);
    l.cell = m.fit[f].name + m.engagement[e].name;
    for (const auto& [cell, action] : m.actions)
      if (cell == l.cell) l.cell_action = action;
  }
  return l;
}

nlohmann::json to_json(const Ledger& l) {
  using nlohmann::json;
  json rules = json::array();
  for (const auto& e : l.entries) {
    json j = {{"id", e.rule_id}, {"label", e.label}, {"group", e.group}, {"raw", e.raw}, {"points", e.points}};
    if (!e.clipped.empty()) j["clipped"] = e.clipped;
    if (e.unit_value) j["value"] = *e.unit_value;
    if (!e.note.empty()) j["note"] = e.note;
    if (e.is_event) {
      j["count"] = e.count;
      if (e.occurrences) j["occurrences"] = *e.occurrences;
      j["decay"] = e.decay;
      j["effective"] = e.effective;
      if (e.days_since) j["daysSince"] = *e.days_since;
      if (e.future) j["future"] = e.future;
      if (e.undated) j["undated"] = e.undated;
    }
    rules.push_back(j);
  }
  json groups = json::array();
  for (const auto& g : l.groups) {
    json j = {{"id", g.id}, {"label", g.label}, {"sum", g.sum}, {"score", g.score}};
    if (!g.clipped.empty()) j["clipped"] = g.clipped;
    groups.push_back(j);
  }
  json j = {{"lead", l.lead}, {"line", l.line}, {"total", l.total}, {"sum", l.sum}, {"tier", l.tier}, {"action", l.action},
            {"salesReady", l.sales_ready}, {"groups", groups}, {"rules", rules}};
  if (!l.clipped.empty()) j["clipped"] = l.clipped;
  if (!l.cell.empty()) j["cell"] = l.cell, j["cellAction"] = l.cell_action;
  if (!l.errors.empty()) {
    json errs = json::array();
    for (const auto& [id, msg] : l.errors) errs.push_back({{"id", id}, {"message", msg}});
    j["errors"] = errs;
  }
  return j;
}

const TotalCounts* Scorer::total_counts() const {
  if (counts_state_ == 0) {
    counts_state_ = -1;
    const std::vector<double>& tot = results_.total;
    const size_t n = tot.size();
    double lo = n ? INFINITY : 0, hi = n ? -INFINITY : 0;
    for (double v : tot) lo = std::min(lo, v), hi = std::max(hi, v);  // NaN: fails below
    // Room for edits to move the extremes (else the next patch beyond them drops the counts),
    // and every sum of the totals exact (|total| x leads < 2^53).
    const double span = hi - lo, room = std::max(64.0, span);
    if (has_rules_ && n <= UINT32_MAX && span >= 0 && span + 1 <= (double)TotalCounts::kMaxSpan &&
        std::max(std::fabs(lo), std::fabs(hi)) * ((double)n + 1) < 9007199254740992.0) {
      const double extra = std::min(room, std::floor(((double)TotalCounts::kMaxSpan - span - 1) / 2));
      counts_.lo = lo - extra;
      counts_.count.assign((size_t)(span + 2 * extra) + 1, 0);
      uint32_t* c = counts_.count.data();
      const double base = counts_.lo;
      bool ok = true;
      for (double v : tot) {
        if (!(v >= lo && v <= hi)) {  // NaN (min and max skip it)
          ok = false;
          break;
        }
        ok &= countable(v);
        c[(size_t)(v - base)]++;
      }
      if (ok) counts_state_ = 1;
    }
  }
  return counts_state_ == 1 ? &counts_ : nullptr;
}

Summary summarize(const Scorer& s, size_t bins, bool use_counts) {
  const Results& r = s.results();
  const RuleSet& rs = s.rules();
  Summary out;
  out.rows = r.rows;
  out.tiers.assign(rs.tiers.size(), 0);
  const size_t nb = std::max<size_t>(1, bins);
  out.histogram.assign(nb, 0);
  if (!r.rows || r.total.size() != r.rows) return out;
  const TotalCounts* tc = use_counts ? s.total_counts() : nullptr;
  double lo = INFINITY, hi = -INFINITY, sum = 0;
  if (tc) {
    // Every lead with the same total has the same tier, sales-ready flag and bin.
    const BandFinder tiers(rs.tiers);
    const double ready = rs.sales_ready ? *rs.sales_ready : INFINITY;
    const uint32_t* c = tc->count.data();
    for (size_t k = 0; k < tc->count.size(); ++k) {
      if (!c[k]) continue;
      const double v = tc->lo + (double)k;
      lo = std::min(lo, v), hi = std::max(hi, v), sum += v * c[k];
      const int32_t t = tiers(v);
      if (t >= 0 && (size_t)t < out.tiers.size()) out.tiers[t] += c[k];
      if (rs.sales_ready && v >= ready) out.sales_ready += c[k];
    }
    const double width = hi > lo ? (hi - lo) / nb : 1;
    for (size_t k = 0; k < tc->count.size(); ++k)
      if (c[k]) out.histogram[std::min(nb - 1, (size_t)((tc->lo + (double)k - lo) / width))] += c[k];
  } else {
    const double* tot = r.total.data();
    for (size_t i = 0; i < r.rows; ++i) {
      const int32_t t = r.tier[i];
      if (t >= 0 && (size_t)t < out.tiers.size()) out.tiers[t]++;
      out.sales_ready += r.sales_ready[i];
      lo = std::min(lo, tot[i]), hi = std::max(hi, tot[i]), sum += tot[i];
    }
    const double width = hi > lo ? (hi - lo) / nb : 1;
    for (size_t i = 0; i < r.rows; ++i) out.histogram[std::min(nb - 1, (size_t)((tot[i] - lo) / width))]++;
  }
  out.min = lo, out.max = hi, out.mean = sum / (double)r.rows;
  return out;
}

}  // namespace leadscore

namespace leadscore {

std::vector<size_t> histogram_range(const Scorer& s, double lo, double hi, size_t bins) {
  const size_t nb = std::max<size_t>(1, bins);
  std::vector<size_t> out(nb, 0);
  const Results& r = s.results();
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = hi = 0;
  const double width = hi > lo ? (hi - lo) / (double)nb : 1;
  for (size_t i = 0; i < r.rows && i < r.total.size(); ++i) {
    const double x = (r.total[i] - lo) / width;
    if (x != x) continue;  // NaN
    out[x <= 0 ? 0 : std::min(nb - 1, (size_t)std::min(x, (double)nb))]++;
  }
  return out;
}

}  // namespace leadscore
