// Candidate features for learning: text values with enough support, numeric columns cut at
// train quantiles (optionally merged until monotone), booleans, "missing" and "other" as levels
// of their own, and the current rules' conditions. Each level carries the JsonLogic condition
// that selects exactly the rows assigned to it here, so the learned rule set scores as the model.
// Then weight of evidence, information value, and the flags (leakage, constant).
#include <algorithm>
#include <cmath>
#include <set>

#include "analysis/learn_internal.h"
#include "io/values.h"
#include "leadscore/metrics.h"

namespace leadscore::learn_detail {

using nlohmann::json;

namespace {

json var(const std::string& name) { return json{{"var", name}}; }
// Not `!= null`: in json-logic-engine null == 0 and null == false (both compare as numbers).
json missing(const std::string& name) { return json{{"missing", json::array({name})}}; }
json present(const std::string& name) { return json{{"!", missing(name)}}; }
json all_of(json a, json b) { return json{{"and", json::array({std::move(a), std::move(b)})}}; }

// A feature under construction: its levels and each row's level.
struct Built {
  LearnFeature feature;
  std::vector<int32_t> level;  // per row, -1 none
};

std::vector<double> train_values(const Column& c, const std::vector<int8_t>& split) {
  std::vector<double> v;
  for (size_t i = 0; i < split.size(); ++i)
    if (split[i] == 0 && !c.num.is_missing(i)) v.push_back(c.num[i]);
  std::sort(v.begin(), v.end());
  return v;
}

// Equal-frequency cut points on distinct values: a bin is [edge_k, edge_k+1), the first below
// edge_0, the last from the last edge. A value holding much of the column (pdays = -1 for most
// bank customers) fills a bin alone and the rest is cut into the remaining bins.
std::vector<double> quantile_edges(const std::vector<double>& sorted, size_t bins) {
  std::vector<double> edges;
  size_t start = 0, left = bins;  // the current bin starts at sorted[start]; bins still to fill
  for (size_t i = 0; i < sorted.size() && left > 1;) {
    size_t j = i;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;  // [i, j): one distinct value
    const double target = (double)(sorted.size() - start) / (double)left;
    if ((double)(j - start) >= target && j < sorted.size()) {
      edges.push_back(sorted[j]);
      start = j, --left;
    }
    i = j;
  }
  return edges;
}

size_t bin_of(const std::vector<double>& edges, double v) {
  return (size_t)(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin());
}

// Removes edges between adjacent bins whose conversion rates go against the overall direction.
void merge_monotone(const Column& c, const std::vector<int8_t>& y, const std::vector<int8_t>& split,
                    std::vector<double>& edges) {
  for (;;) {
    std::vector<double> pos(edges.size() + 1, 0), all(edges.size() + 1, 0);
    for (size_t i = 0; i < split.size(); ++i)
      if (split[i] == 0 && !c.num.is_missing(i)) {
        size_t b = bin_of(edges, c.num[i]);
        all[b] += 1, pos[b] += y[i];
      }
    auto rate = [&](size_t b) { return all[b] > 0 ? pos[b] / all[b] : 0; };
    const double dir = rate(edges.size()) >= rate(0) ? 1 : -1;
    size_t bad = edges.size();
    for (size_t b = 0; b + 1 <= edges.size() && bad == edges.size(); ++b)
      if ((rate(b + 1) - rate(b)) * dir < 0) bad = b;
    if (bad == edges.size()) return;
    edges.erase(edges.begin() + (long)bad);
  }
}

void add_level(Built& b, std::string label, json when) {
  LearnLevel l;
  l.label = std::move(label);
  l.when = std::move(when);
  b.feature.levels.push_back(std::move(l));
}

Built number_feature(const Column& c, const std::vector<int8_t>& y, const std::vector<int8_t>& split,
                     const LearnOptions& o) {
  Built b;
  b.feature.kind = "number";
  std::vector<double> edges = quantile_edges(train_values(c, split), std::max<size_t>(o.bins, 2));
  if (o.monotone) merge_monotone(c, y, split, edges);
  const std::string& n = c.name;
  auto text = [](double v) { return detail::format_number(v); };
  for (size_t k = 0; k <= edges.size(); ++k) {
    json lo = k == 0 ? json() : json{{">=", json::array({var(n), edges[k - 1]})}};
    json hi = k == edges.size() ? json() : json{{"<", json::array({var(n), edges[k]})}};
    std::string label = k == 0              ? (edges.empty() ? "any value" : "< " + text(edges[0]))
                        : k == edges.size() ? ">= " + text(edges[k - 1])
                                            : "[" + text(edges[k - 1]) + ", " + text(edges[k]) + ")";
    // null compares as 0 in JsonLogic: without the presence test a missing value would land in a bin.
    json when = present(n);
    if (!lo.is_null()) when = all_of(when, lo);
    if (!hi.is_null()) when = all_of(when, hi);
    add_level(b, label, when);
  }
  const size_t missing_level = b.feature.levels.size();
  if (c.missing(split.size()) > 0) add_level(b, "missing", missing(n));
  b.level.resize(split.size());
  for (size_t i = 0; i < split.size(); ++i)
    b.level[i] = c.num.is_missing(i) ? (int32_t)missing_level : (int32_t)bin_of(edges, c.num[i]);
  return b;
}

Built boolean_feature(const Column& c, size_t rows) {
  Built b;
  b.feature.kind = "boolean";
  add_level(b, "true", all_of(present(c.name), json{{"==", json::array({var(c.name), true})}}));
  add_level(b, "false", all_of(present(c.name), json{{"==", json::array({var(c.name), false})}}));
  if (c.missing(rows) > 0) add_level(b, "missing", missing(c.name));
  b.level.resize(rows);
  for (size_t i = 0; i < rows; ++i) b.level[i] = c.num.is_missing(i) ? 2 : c.num[i] != 0 ? 0 : 1;
  return b;
}

Built text_feature(const Column& c, const std::vector<int8_t>& split, size_t train, const LearnOptions& o) {
  Built b;
  b.feature.kind = "text";
  std::vector<size_t> count(c.dict.size(), 0);
  for (size_t i = 0; i < split.size(); ++i)
    if (split[i] == 0 && c.codes[i] >= 0) ++count[c.codes[i]];
  std::vector<int32_t> order;
  const double need = std::max((double)o.min_level_count, o.min_level_share * (double)train);
  for (size_t k = 0; k < c.dict.size(); ++k)
    if ((double)count[k] >= need) order.push_back((int32_t)k);
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t z) { return count[a] > count[z]; });
  if (order.size() > o.max_levels) order.resize(o.max_levels);
  std::vector<int32_t> level_of(c.dict.size(), -1);
  json kept = json::array();
  for (int32_t k : order) {
    level_of[k] = (int32_t)b.feature.levels.size();
    const std::string level(c.dict[k]);
    kept.push_back(level);
    add_level(b, level, json{{"==", json::array({var(c.name), level})}});
  }
  const int32_t other = (int32_t)b.feature.levels.size();
  if (order.size() < c.dict.size())
    add_level(b, "other", all_of(present(c.name), json{{"!", {{"in", json::array({var(c.name), kept})}}}}));
  const int32_t missing_level = (int32_t)b.feature.levels.size();
  if (c.missing(split.size()) > 0) add_level(b, "missing", missing(c.name));
  b.level.resize(split.size());
  for (size_t i = 0; i < split.size(); ++i)
    b.level[i] = c.codes[i] < 0 ? missing_level : level_of[c.codes[i]] >= 0 ? level_of[c.codes[i]] : other;
  return b;
}

std::vector<Built> column_features(const Table& t, const std::vector<int8_t>& y, const std::vector<int>& skip,
                                   LearnResult& r) {
  const LearnOptions& o = r.options;
  std::set<int> chosen;
  if (o.columns.empty())
    for (size_t k = 0; k < t.columns.size(); ++k) chosen.insert((int)k);
  for (const auto& name : o.columns) chosen.insert(find_column_or_throw(t, name, "a candidate column (columns)"));
  for (const auto& name : o.exclude) {
    chosen.erase(find_column_or_throw(t, name, "an excluded column (exclude)"));
    r.notes.push_back("column '" + name + "' left out as asked");
  }
  for (int k : skip) chosen.erase(k);
  std::vector<Built> out;
  for (int k : chosen) {
    const Column& c = t.columns[k];
    if (c.type == ColumnType::Date) {
      r.notes.push_back("date column '" + c.name + "' not used: a date becomes a feature as an age (daysSince)");
      continue;
    }
    Built b = c.type == ColumnType::Number    ? number_feature(c, y, r.split, o)
              : c.type == ColumnType::Boolean ? boolean_feature(c, t.rows)
                                              : text_feature(c, r.split, r.train, o);
    b.feature.name = c.name;
    b.feature.source = "column";
    out.push_back(std::move(b));
  }
  return out;
}

std::vector<Built> rule_features(const Scorer& s, size_t rows, LearnResult& r) {
  std::vector<Built> out;
  const RuleSet& rs = s.rules();
  for (size_t k = 0; k < rs.rules.size(); ++k) {
    const Rule& rule = rs.rules[k];
    const uint8_t* mask = s.rule_mask(k);
    if (!mask || rule.when.is_null() || rule.events) continue;  // disabled, always, or over events
    Built b;
    b.feature.name = rule.id;
    b.feature.source = "rule";
    b.feature.kind = "rule";
    b.feature.has_baseline = true;
    add_level(b, "fires", rule.when);
    b.level.resize(rows);
    for (size_t i = 0; i < rows; ++i) b.level[i] = mask[i] == kTrue ? 0 : -1;
    r.rule_conditions_from.push_back(rule.id);
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace

void build_features(const Table& t, const std::vector<int8_t>& y, const Scorer* current, const std::vector<int>& skip,
                    LearnResult& r) {
  std::vector<Built> all;
  if (current && r.options.use_rules) all = rule_features(*current, t.rows, r);
  if (r.options.use_columns) {
    std::vector<Built> cols = column_features(t, y, skip, r);
    for (auto& b : cols) all.push_back(std::move(b));
  }
  const size_t f = all.size();
  r.active.assign(t.rows * f, -1);
  for (size_t k = 0; k < f; ++k) {
    for (size_t i = 0; i < t.rows; ++i) r.active[i * f + k] = all[k].level[i];
    r.features.push_back(std::move(all[k].feature));
  }
}

namespace {

// Words in a column name that say the value is recorded once the outcome is known.
const char* post_outcome_word(const std::string& name) {
  static const char* const kWords[] = {"duration", "converted", "conversion", "won",      "lost",      "closed",
                                       "close",    "outcome",   "result",     "status",   "stage",     "revenue",
                                       "churn",    "churned",   "deal",       "purchase", "purchased", "paid"};
  std::vector<std::string> tokens(1);
  for (char ch : name) {
    if (std::isalnum((unsigned char)ch))
      tokens.back() += (char)std::tolower((unsigned char)ch);
    else if (!tokens.back().empty())
      tokens.emplace_back();
  }
  for (const auto& tok : tokens)
    for (const char* w : kWords)
      if (tok == w) return w;
  return nullptr;
}

std::string fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// baseline_rows: train leads in no level (a rule firing on all of them is as constant as one firing on none).
void flag_feature(LearnFeature& f, const LearnOptions& o, size_t baseline_rows) {
  size_t populated = baseline_rows > 0 ? 1 : 0;
  for (const auto& l : f.levels) populated += l.count > 0;
  if (populated < 2) {
    const bool rare = f.kind == "text" && !f.levels.empty() && f.levels[0].label == "other";
    f.used = false, f.flag = "constant";
    f.reason = rare ? "no value is shared by enough leads to be a level (an id or free text?)"
                    : "the same value for every train lead: says nothing";
    return;
  }
  const char* word = f.source == "column" ? post_outcome_word(f.name) : nullptr;
  if (word)
    f.flag = "leakage",
    f.reason = std::string("probably known only after the outcome: '") + word +
               "' in its name (like a call's duration, known once the call ended with the answer); IV " +
               fixed(f.iv, 2) + ", AUC " + fixed(f.auc, 3) + " alone";
  else if (f.auc >= kLearnLeakAuc || f.iv >= kLearnLeakIv)
    f.flag = "leakage", f.reason = "separates the outcomes almost perfectly alone (AUC " + fixed(f.auc, 3) + ", IV " +
                                   fixed(f.iv, 2) + "): probably recorded with or after the outcome";
  else if (f.iv >= kLearnSuspiciousIv)
    f.flag = "suspicious", f.reason = "unusually strong alone (IV " + fixed(f.iv, 2) +
                                      " above 0.5): check that it is known before the outcome";
  if (f.flag == "leakage") {
    bool keep = std::find(o.keep.begin(), o.keep.end(), f.name) != o.keep.end();
    f.used = keep;
    f.reason += keep ? "; kept as asked" : "; left out (keep it with keep / --keep)";
  }
}

// The AUC of scoring each lead by its level's value (ties count one half, as roc_auc does), from
// the levels' counts: the same number as sorting the leads, without sorting them.
double level_auc(const std::vector<double>& value, const std::vector<double>& pos, const std::vector<double>& all) {
  std::vector<size_t> order;
  double P = 0, N = 0;
  for (size_t k = 0; k < value.size(); ++k)
    if (all[k] > 0) order.push_back(k), P += pos[k], N += all[k] - pos[k];
  if (P == 0 || N == 0) return 0.5;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return value[a] < value[b]; });
  double below = 0, pairs = 0;  // negatives at lower values; positive-negative pairs ranked right
  for (size_t s = 0; s < order.size();) {
    size_t e = s;
    double p = 0, n = 0;
    for (; e < order.size() && value[order[e]] == value[order[s]]; ++e)
      p += pos[order[e]], n += all[order[e]] - pos[order[e]];
    pairs += p * (below + 0.5 * n);
    below += n, s = e;
  }
  return pairs / (P * N);
}

}  // namespace

void measure_features(const std::vector<int8_t>& y, LearnResult& r) {
  const size_t nf = r.features.size();
  const std::vector<size_t> train = rows_of(r, 0);
  double P = 0, N = 0;
  for (size_t i : train) (y[i] ? P : N) += 1;
  // Counts per feature and level ([L]: the baseline, no level), row by row (r.active is row-major).
  std::vector<std::vector<double>> pos_of(nf), all_of(nf);
  for (size_t f = 0; f < nf; ++f) pos_of[f].assign(r.features[f].levels.size() + 1, 0), all_of[f] = pos_of[f];
  for (size_t i : train)
    for (size_t f = 0; f < nf; ++f) {
      const int32_t l = r.active[i * nf + f];
      const size_t k = l < 0 ? r.features[f].levels.size() : (size_t)l;
      all_of[f][k] += 1, pos_of[f][k] += y[i];
    }
  for (size_t f = 0; f < nf; ++f) {
    LearnFeature& feat = r.features[f];
    const size_t L = feat.levels.size();
    const std::vector<double>&pos = pos_of[f], &all = all_of[f];
    std::vector<double> woe(L + 1, 0);
    feat.iv = 0;
    for (size_t k = 0; k <= L; ++k) {
      if (all[k] == 0) continue;
      double neg = all[k] - pos[k];
      woe[k] = std::log(((pos[k] + 0.5) / P) / ((neg + 0.5) / N));
      feat.iv += (pos[k] / P - neg / N) * woe[k];
    }
    for (size_t k = 0; k < L; ++k) {
      feat.levels[k].count = (size_t)all[k], feat.levels[k].positives = (size_t)pos[k];
      feat.levels[k].woe = woe[k];
    }
    const double a = level_auc(woe, pos, all);
    feat.auc = std::max(a, 1 - a);
    flag_feature(feat, r.options, (size_t)all[L]);
  }
}

void assign_design(LearnResult& r) {
  int next = 0;
  for (auto& f : r.features)
    for (auto& l : f.levels) l.design = f.used ? next++ : -1;
  r.design_columns = (size_t)next;
}

std::vector<size_t> rows_of(const LearnResult& r, int8_t split) {
  std::vector<size_t> rows;
  for (size_t i = 0; i < r.split.size(); ++i)
    if (r.split[i] == split) rows.push_back(i);
  return rows;
}

}  // namespace leadscore::learn_detail
