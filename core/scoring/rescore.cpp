// Scorer::set_rules as named stages over one Rescore plan (see scoring/scorer_state.h for the
// order and what each stage decides). Re-scoring is incremental by construction: a condition's
// mask is cached by the condition, a group's scores by its rules' masks, points and caps, so an
// edit of one rule evaluates one condition and re-sums (or patches) one group, and the result
// is identical to scoring from scratch.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "leadscore/limits.h"
#include "scoring/group_sums.h"
#include "scoring/scorer_state.h"

namespace leadscore {

using namespace scoring;

namespace {

// What turns group scores into a lead's total, tier, matrix bands and sales-ready flag.
struct ResultRules {
  Clamp total;
  BandFinder tiers, fit, engagement;
  double ready;
  bool has_ready;
  int fit_group, engagement_group;
  explicit ResultRules(const RuleSet& rs)
      : total(rs.total),
        tiers(rs.tiers),
        fit(rs.matrix.fit),
        engagement(rs.matrix.engagement),
        ready(rs.sales_ready ? *rs.sales_ready : INFINITY),
        has_ready(rs.sales_ready.has_value()),
        fit_group(rs.matrix.present ? rs.group_index(rs.matrix.fit_group) : -1),
        engagement_group(rs.matrix.present ? rs.group_index(rs.matrix.engagement_group) : -1) {}
};

}  // namespace

// Everything one set_rules computes before it commits.
struct Scorer::State::Rescore {
  size_t n = 0;
  Diagnostics diags;
  // compile
  std::vector<std::string> dnames;  // computed fields
  std::shared_ptr<Table> dtab;      // the leads + computed fields, or null
  const Table* t = nullptr;         // the table the rules read
  size_t base_cols = 0;
  EventMasks emasks;
  std::vector<Compiled> compiled;
  std::map<std::string, CompiledRule> ccache;
  std::string fields_key, dsig;
  // evaluate
  std::map<std::string, std::shared_ptr<const Evaluated>> cache;
  std::vector<std::string> keys;
  size_t evaluations = 0;
  // plan_groups, sum_groups, derive_results
  std::vector<GroupMeta> metas;
  std::vector<std::vector<double>> scores;
  std::vector<int> reuse, from;
  std::vector<std::vector<const Member*>> adds, subs;
  size_t delta_groups = 0;
  bool patch = false;
  std::vector<size_t> patched;
  Results res;
  // rule_stats
  std::vector<RuleStats> stats;
};

Diagnostics Scorer::State::set_rules(const RuleSet& rs) {
  Rescore p;
  p.n = base_->rows;
  p.res.rows = p.n;
  compile(rs, p);
  evaluate(rs, p);
  check_per_unit(rs, p);
  plan_groups(rs, p);
  if (!p.patch) {
    sum_groups(rs, p);
    derive_results(rs, p);
  }
  rule_stats(rs, p);
  Diagnostics diags = p.diags;
  commit(rs, p);
  return diags;
}

void Scorer::State::compile(const RuleSet& rs, Rescore& p) {
  // 0. Events and computed fields (docs/rules.md, "Events"): the table the rules see is the
  //    leads plus one number column per computed field; nothing committed is touched yet.
  p.dtab = derived_table_for(rs, &p.dnames);
  p.t = p.dtab ? p.dtab.get() : base_.get();
  p.base_cols = base_->columns.size();
  check_events(rs, p.diags, p.emasks);

  // 1. Compile every rule against the table's columns. Errors in enabled rules stop here,
  //    before anything is changed; a disabled rule's errors are only warnings.
  //    A rule compiled before against these leads (same condition, per-unit field and field
  //    declarations) is reused: compiling can cost a pass over a column's distinct values.
  auto& compiled = p.compiled;
  auto& ccache = p.ccache;
  auto& fields_key = p.fields_key;
  auto& diags = p.diags;
  const Table& t = *p.t;
  compiled.resize(rs.rules.size());
  for (const auto& f : rs.fields) {
    fields_key += f.name + '\x1f';
    for (const auto& a : f.aliases) fields_key += a + '\x1e';
  }
  for (const auto& d : p.dnames) fields_key += d + '\x1c';  // computed fields change the column layout
  std::vector<std::string> keys(rs.rules.size());
  std::vector<const Rule*> to_compile;
  for (size_t r = 0; r < rs.rules.size(); ++r) {
    keys[r] = rs.rules[r].when.dump() + '\x1d' + rs.rules[r].per.value_or("") + '\x1d' + fields_key;
    if (!compile_cache_.count(keys[r])) to_compile.push_back(&rs.rules[r]);
  }
  TextSearches searches(to_compile, rs, t);  // the new rules' substring searches, one pass per column
  for (size_t r = 0; r < rs.rules.size(); ++r) {
    const Rule& rule = rs.rules[r];
    const std::string& key = keys[r];
    if (auto it = compile_cache_.find(key); it != compile_cache_.end()) {
      compiled[r].rule = ccache[key] = it->second;
      continue;
    }
    if (auto it = ccache.find(key); it != ccache.end()) {
      compiled[r].rule = it->second;
      continue;
    }
    Diagnostics d;
    compiled[r].rule = compile_rule(rule, rs, t, d, "rules[" + std::to_string(r) + "]", true, &searches);
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
      diags.push_back(
          {Diagnostic::Severity::Warning, "field_not_in_data",
           "field '" + f.name + "' is declared but the leads have no column for it (nor any of its aliases)",
           "fields." + f.name, "", f.name});
  if (has_errors(diags)) throw RuleSetError(diags);

  // 1b. Computed fields' values (only when their definitions, the events or the as-of day changed).
  std::string& dsig = p.dsig;
  if (p.dtab) {
    for (const auto& d : rs.derived) dsig += d.name + '=' + d.source.dump() + '\x1d';
    dsig += std::to_string(as_of_.value_or(0)) + '/' + std::to_string(events_ ? events_->serial() : 0);
    if (p.dtab != derived_table_ || dsig != derived_sig_) compute_derived(rs, *p.dtab, p.emasks);
  }
}

void Scorer::State::evaluate(const RuleSet& rs, Rescore& p) {
  // 2. Evaluate the conditions that are not already cached: first find them (in rule order), then
  //    evaluate them together (rules looking up the same text column share one pass over it).
  const size_t n = p.n, base_cols = p.base_cols;
  const Table& t = *p.t;
  auto& cache = p.cache;
  auto& compiled = p.compiled;
  auto& keys = p.keys;
  const std::string &fields_key = p.fields_key, &dsig = p.dsig;
  size_t& evaluations = p.evaluations;
  keys.resize(rs.rules.size());
  auto reads_derived = [&](const CompiledRule& cr) {
    return std::any_of(cr.columns.begin(), cr.columns.end(), [&](int c) { return (size_t)c >= base_cols; });
  };
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
    if (rule.events) evaluate_event_rule(rs, rule, keys[r], p.emasks, compiled[r], cache, &evaluations);
  }
}

// 2b. A per-unit rule's points times a lead's value (after the rule's own min/max) must stay
//     within kMaxUnitPoints: a huge value would make totals overflow to Infinity or NaN. An
//     error naming the rule, the field and the lead, never a score.
//     Only rules that could pass the limit scan the leads: with both caps, or when |points| times
//     the column's largest |value| (kept with its values) is within it, none can. So a
//     one-rule edit does not re-read the column of every per-unit rule (bench/RESULTS.md, edits).
void Scorer::State::check_per_unit(const RuleSet& rs, Rescore& p) const {
  const Table& t = *p.t;
  Diagnostics errors;
  for (size_t r = 0; r < rs.rules.size(); ++r) {
    const Rule& rule = rs.rules[r];
    const int col = p.compiled[r].rule.per_column;
    if (!rule.enabled || rule.events || col < 0 || !p.compiled[r].eval) continue;
    if (rule.bounds.min && rule.bounds.max) continue;  // caps are within kMaxPoints
    if (std::fabs(rule.points) * t.columns[col].num.max_abs() <= kMaxUnitPoints) continue;
    const Values& v = t.columns[col].num;
    const uint8_t* m = p.compiled[r].eval->mask.data();
    for (size_t i = 0; i < p.n; ++i) {
      if (m[i] != kTrue || v.is_missing(i)) continue;
      const double x = rule.bounds.clamp(rule.points * v[i]);
      if (std::fabs(x) <= kMaxUnitPoints) continue;
      char buf[160];
      snprintf(buf, sizeof buf, "%g points x '%s' %g = %g", rule.points, rule.per->c_str(), v[i], rule.points * v[i]);
      const size_t line = i < t.row_line.size() ? t.row_line[i] : 0;
      errors.push_back({Diagnostic::Severity::Error, "limit",
                        "rule '" + rule.id + "' would give lead " + std::to_string(i + 1) +
                            (line ? " (line " + std::to_string(line) + ")" : std::string()) + " " + buf +
                            " points; the limit is 1e300 either way, so that no score can overflow. Give the rule "
                            "a 'max' (and 'min'), or smaller points",
                        "rules[" + std::to_string(r) + "].per", rule.id, *rule.per});
      break;
    }
  }
  if (!errors.empty()) {
    Diagnostics all = p.diags;
    all.insert(all.end(), errors.begin(), errors.end());
    throw RuleSetError(all);
  }
}

void Scorer::State::plan_groups(const RuleSet& rs, Rescore& p) {
  // 3. Sum each group. A group whose inputs (condition results, points, per-unit fields, caps)
  //    are unchanged keeps its scores. A group where only a few rules changed, and whose sums
  //    are exact integers (integral points and bounds, integral per-unit values, |sum| < 2^53),
  //    is updated by adding the new rules' and subtracting the old rules' points: with exact
  //    integer sums the order of additions cannot change a bit, so this equals a full re-sum.
  //    Anything else is summed from scratch in rule order.
  const size_t n = p.n, base_cols = p.base_cols;
  const Table& t = *p.t;
  const auto& compiled = p.compiled;
  const std::string& dsig = p.dsig;
  auto& metas = p.metas;
  auto &reuse = p.reuse, &from = p.from;
  auto &adds = p.adds, &subs = p.subs;
  metas.resize(rs.groups.size());
  p.scores.resize(rs.groups.size());
  reuse.assign(rs.groups.size(), -1);  // index into group_meta_ / results_.groups
  from.assign(rs.groups.size(), -1);   // delta groups: the previous group updated
  adds.resize(rs.groups.size()), subs.resize(rs.groups.size());
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
      gm.exact =
          gm.exact && !m.event && m.per_column < (int)base_cols && integral_member(m, t, integral_columns_, &mag);
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
  bool& patch = p.patch;
  patch = has_rules_ && results_.rows == n && group_meta_.size() == rs.groups.size() &&
          results_.groups.size() == rs.groups.size() && same_scoring_frame(rules_, rs);
  for (size_t g = 0; g < rs.groups.size() && patch; ++g)
    patch = reuse[g] == (int)g || (from[g] == (int)g && group_meta_[g].bounds == metas[g].bounds);
  for (size_t g = 0; g < rs.groups.size(); ++g)
    if (reuse[g] < 0 && patch) p.patched.push_back(g), ++p.delta_groups;  // patched in place at the commit
}

// 3 (continued). Groups neither reused nor patched: updated from their previous sums, or summed
//    from scratch.
void Scorer::State::sum_groups(const RuleSet& rs, Rescore& p) const {
  const size_t n = p.n;
  const Table& t = *p.t;
  const auto &reuse = p.reuse, &from = p.from;
  const auto &adds = p.adds, &subs = p.subs;
  auto& metas = p.metas;
  auto& scores = p.scores;
  for (size_t g = 0; g < rs.groups.size(); ++g) {
    if (reuse[g] >= 0) continue;
    const Group& grp = rs.groups[g];
    GroupMeta& gm = metas[g];
    const Clamp gc(grp.bounds);
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
      ++p.delta_groups;
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
}

void Scorer::State::derive_results(const RuleSet& rs, Rescore& p) const {
  // 4. Totals, tiers, matrix bands, sales-ready: one pass (patched leads: at the commit).
  const size_t n = p.n;
  const auto& reuse = p.reuse;
  const auto& scores = p.scores;
  Results& res = p.res;
  const auto group_data = [&](size_t g) { return reuse[g] >= 0 ? results_.groups[reuse[g]].data() : scores[g].data(); };
  const ResultRules f(rs);
  // Scalars copied to locals: the one-byte stores below may alias anything reached by address.
  const Clamp tc = f.total;
  const BandFinder &tiers = f.tiers, &fb = f.fit, &eb = f.engagement;
  const double ready = f.ready;
  const bool has_ready = f.has_ready;
  const int fit_g = f.fit_group, eng_g = f.engagement_group;
  {
    // Block by block into L1 buffers, appended to reserved vectors (no zero fill first).
    res.total.reserve(n);
    res.tier.reserve(n);
    res.sales_ready.reserve(n);
    std::vector<const double*> gs;
    for (size_t g = 0; g < rs.groups.size(); ++g) gs.push_back(group_data(g));
    const double* f = fit_g >= 0 ? gs[fit_g] : nullptr;
    const double* e = eng_g >= 0 ? gs[eng_g] : nullptr;
    if (f)
      res.fit_band.reserve(n), res.engagement_band.reserve(n);
    else
      res.fit_band.assign(n, -1), res.engagement_band.assign(n, -1);
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
}

void Scorer::State::rule_stats(const RuleSet& rs, Rescore& p) const {
  // 5. Per-rule statistics and the warnings a reviewer should see.
  const size_t n = p.n;
  const Table& t = *p.t;
  const auto& compiled = p.compiled;
  auto& diags = p.diags;
  auto& stats = p.stats;
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
        Diagnostic d{Diagnostic::Severity::Warning,
                     "eval_error",
                     "the condition could not be evaluated for " + format_count(ev->errors) +
                         " lead(s), which get no points from it; first at line " +
                         std::to_string(row < t.row_line.size() ? t.row_line[row] : row + 1) + ": " + st.first_error,
                     path + ".when",
                     rule.id,
                     ""};
        d.line = row < t.row_line.size() ? t.row_line[row] : 0;
        diags.push_back(d);
      }
      if (n > 0 && ev->fired == 0 && ev->errors == 0)
        diags.push_back({Diagnostic::Severity::Warning, "never_fires",
                         "the rule matches none of the " + format_count(n) + " leads", path + ".when", rule.id, ""});
      else if (n > 1 && ev->fired == n && !rule.when.is_null())
        diags.push_back({Diagnostic::Severity::Warning, "always_fires",
                         "the rule matches every lead, so it does not tell leads apart", path + ".when", rule.id, ""});
    }
    stats.push_back(st);
  }
}

// Nothing before this touched the previous state. Everything that can throw (copies) happens
// before the first move; patching in place neither allocates nor throws.
void Scorer::State::commit(const RuleSet& rs, Rescore& p) {
  RuleSet rules_copy = rs;
  Diagnostics warnings_copy = p.diags;
  std::vector<std::string> dnames_copy = p.dnames;
  std::string dsig_copy = p.dsig;
  size_t patched_leads = 0;
  if (p.patch) {
    patched_leads = patch_in_place(rs, p);
  } else {
    for (size_t g = 0; g < rs.groups.size(); ++g)
      if (p.reuse[g] >= 0) {
        p.scores[g] = std::move(results_.groups[p.reuse[g]]);
        p.metas[g].raw = std::move(group_meta_[p.reuse[g]].raw);
      }
    p.res.groups = std::move(p.scores);
  }
  group_meta_ = std::move(p.metas);
  rules_ = std::move(rules_copy);
  // (computed fields' values were written into dtab, which only the new rule set reads)
  table_ = p.dtab ? std::shared_ptr<const Table>(p.dtab) : base_;
  derived_table_ = p.dtab;
  derived_names_ = std::move(dnames_copy);
  derived_sig_ = std::move(dsig_copy);
  event_mask_cache_ = std::move(p.emasks);
  if (!events_) dedupe_cache_.clear();
  has_rules_ = true;
  compiled_ = std::move(p.compiled);
  mask_cache_ = std::move(p.cache);
  compile_cache_ = std::move(p.ccache);
  results_ = std::move(p.res);
  stats_ = std::move(p.stats);
  warnings_ = std::move(warnings_copy);
  last_evaluations_ = p.evaluations;
  last_delta_groups_ = p.delta_groups;
  last_in_place_ = p.patch;
  last_patched_leads_ = patched_leads;
  if (!p.patch) counts_state_ = 0;
}

// The in-place patch of a one-rule edit (see plan_groups): only the leads whose group sums
// change get new group scores, totals, tiers and bands. Returns how many leads changed.
size_t Scorer::State::patch_in_place(const RuleSet& rs, Rescore& p) {
  const size_t n = p.n;
  const Table& t = *p.t;
  const auto &adds = p.adds, &subs = p.subs;
  auto& metas = p.metas;
  Results& res = p.res;
  const ResultRules f(rs);
  // Scalars copied to locals: the one-byte stores below may alias anything reached by address.
  const Clamp tc = f.total;
  const BandFinder &tiers = f.tiers, &fb = f.fit, &eb = f.engagement;
  const double ready = f.ready;
  const bool has_ready = f.has_ready;
  const int fit_g = f.fit_group, eng_g = f.engagement_group;
  size_t patched_leads = 0;
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
  for (size_t g : p.patched) {
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
          if (countable(v) && c >= 0 && c < count_n)
            count[(size_t)c]++;
          else
            counting = false;
        }
      }
    }
    if (counts_state_ == 1 && !counting) counts_state_ = 0;
  }
  return patched_leads;
}

}  // namespace leadscore
