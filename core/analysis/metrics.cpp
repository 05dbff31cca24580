#include "leadscore/metrics.h"

#include "leakage.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

namespace leadscore {

using nlohmann::json;

namespace {

json ratio(size_t num, size_t den) { return den ? json((double)num / (double)den) : json(nullptr); }

json rate_json(size_t count, size_t known, size_t positives) {
  return {{"count", count}, {"known", known}, {"positives", positives}, {"rate", ratio(positives, known)}};
}

std::string pct(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", 100 * x);
  return buf;
}

std::string fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", x);
  return buf;
}

Diagnostic warning(const std::string& code, const std::string& msg, const std::string& rule = "",
                   const std::string& field = "") {
  return {Diagnostic::Severity::Warning, code, msg, "", rule, field};
}

// Lead indices with a known outcome, by score from the highest down, ties in lead order.
std::vector<size_t> ranked_known(const std::vector<double>& score, const std::vector<int8_t>& outcome) {
  std::vector<size_t> idx;
  idx.reserve(score.size());
  for (size_t i = 0; i < score.size(); ++i)
    if (outcome[i] >= 0) idx.push_back(i);
  std::sort(idx.begin(), idx.end(),
            [&](size_t a, size_t b) { return score[a] > score[b] || (score[a] == score[b] && a < b); });
  return idx;
}

// Orientation-free AUC of a score (max(auc, 1 - auc)); 0.5 when undefined.
double strength(const std::vector<double>& score, const std::vector<int8_t>& outcome) {
  auto a = roc_auc(score, outcome);
  return a ? std::max(*a, 1 - *a) : 0.5;
}

}  // namespace

namespace {

// roc_curve on leads already ranked by ranked_known().
RocCurve roc_from_ranked(const std::vector<double>& score, const std::vector<int8_t>& outcome,
                         const std::vector<size_t>& idx, bool drop_intermediate) {
  RocCurve c;
  std::vector<double> tps, fps, thr;
  double tp = 0, fp = 0;
  for (size_t k = 0; k < idx.size(); ++k) {
    (outcome[idx[k]] == kConverted ? tp : fp) += 1;
    if (k + 1 == idx.size() || score[idx[k + 1]] != score[idx[k]]) {
      tps.push_back(tp), fps.push_back(fp), thr.push_back(score[idx[k]]);
    }
  }
  c.positives = (size_t)tp, c.negatives = (size_t)fp;
  if (tp == 0 || fp == 0) return c;
  std::vector<size_t> keep;
  for (size_t i = 0; i < tps.size(); ++i) {
    bool k = !drop_intermediate || tps.size() <= 2 || i == 0 || i + 1 == tps.size() ||
             fps[i + 1] - 2 * fps[i] + fps[i - 1] != 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] != 0;
    if (k) keep.push_back(i);
  }
  c.fpr.push_back(0), c.tpr.push_back(0), c.threshold.push_back(std::numeric_limits<double>::infinity());
  for (size_t i : keep) {
    c.fpr.push_back(fps[i] / fp);
    c.tpr.push_back(tps[i] / tp);
    c.threshold.push_back(thr[i]);
  }
  return c;
}

}  // namespace

RocCurve roc_curve(const std::vector<double>& score, const std::vector<int8_t>& outcome, bool drop_intermediate) {
  return roc_from_ranked(score, outcome, ranked_known(score, outcome), drop_intermediate);
}

double auc(const RocCurve& c) {
  double a = 0;
  for (size_t i = 1; i < c.fpr.size(); ++i) a += (c.fpr[i] - c.fpr[i - 1]) * (c.tpr[i] + c.tpr[i - 1]) / 2.0;
  return a;
}

std::optional<double> roc_auc(const std::vector<double>& score, const std::vector<int8_t>& outcome,
                              std::string* reason) {
  RocCurve c = roc_curve(score, outcome);
  if (c.positives == 0 || c.negatives == 0) {
    if (reason)
      *reason = c.positives + c.negatives == 0 ? "no lead has a known outcome"
                : c.positives == 0
                    ? "no lead with a known outcome converted: AUC needs conversions and non-conversions"
                    : "every lead with a known outcome converted: AUC needs conversions and non-conversions";
    return std::nullopt;
  }
  return auc(c);
}

size_t Capacity::leads(size_t rows) const {
  if (!std::isfinite(value) || value < 0)
    throw MetricsError("range", "capacity must be a non-negative number of leads or a share from 0 to 1");
  if (is_share) {
    if (value > 1) throw MetricsError("range", "a capacity share must be from 0 to 1 (e.g. 0.1 for 10 % of the leads)");
    return (size_t)std::floor(value * (double)rows + 1e-9);
  }
  if (value != std::floor(value)) throw MetricsError("range", "a capacity count must be a whole number of leads");
  return (size_t)value;
}

Capacity Capacity::parse(const json& j) {
  Capacity c;
  if (j.is_number())
    c.value = j.get<double>();
  else if (j.is_object() && j.contains("count") && j["count"].is_number())
    c.value = j["count"].get<double>();
  else if (j.is_object() && j.contains("share") && j["share"].is_number())
    c.value = j["share"].get<double>(), c.is_share = true;
  else
    throw MetricsError("range", "capacity must be a number of leads, {\"count\": N} or {\"share\": 0..1}");
  c.leads(0);  // validates
  return c;
}

Capacity Capacity::parse_text(const std::string& s) {
  Capacity c;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end == s.c_str())
    throw MetricsError("range", "--capacity takes a number of leads (500) or a share (10% or 0.1), got '" + s + "'");
  std::string rest(end);
  if (rest == "%")
    c.is_share = true, c.value = v / 100;
  else if (rest.empty())
    c.is_share = s.find('.') != std::string::npos && v < 1, c.value = v;
  else
    throw MetricsError("range", "--capacity takes a number of leads (500) or a share (10% or 0.1), got '" + s + "'");
  c.leads(0);
  return c;
}

std::optional<double> capacity_threshold(const std::vector<double>& score, size_t k) {
  std::vector<double> s(score);
  std::sort(s.begin(), s.end(), std::greater<double>());
  std::optional<double> best;
  for (size_t i = 0; i < s.size();) {
    size_t j = i;
    while (j < s.size() && s[j] == s[i]) ++j;
    if (j > k) break;  // taking this score would exceed the capacity
    best = s[i];
    i = j;
  }
  return best;
}

json selection_json(const std::vector<double>& score, const Outcomes* o, std::optional<double> threshold,
                    const std::string& no_threshold_reason) {
  size_t selected = 0, known = 0, conv = 0, all_pos = o ? o->positives : 0;
  if (threshold)
    for (size_t i = 0; i < score.size(); ++i)
      if (score[i] >= *threshold) {
        ++selected;
        if (o && o->value[i] >= 0) ++known, conv += o->value[i] == kConverted;
      }
  json j = {{"threshold", threshold ? json(*threshold) : json(nullptr)},
            {"selected", selected},
            {"selectedKnown", known},
            {"conversions", conv},
            {"precision", o ? ratio(conv, known) : json(nullptr)},
            {"recall", o ? ratio(conv, all_pos) : json(nullptr)}};
  std::string reason;
  if (!threshold)
    reason = no_threshold_reason;
  else if (!o)
    reason = "no outcomes given: precision and recall need known outcomes";
  else if (o->positives + o->negatives == 0)
    reason = "no lead has a known outcome";
  else if (known == 0)
    reason = "no selected lead has a known outcome: precision is undefined";
  else if (all_pos == 0)
    reason = "no lead converted: recall is undefined";
  if (!reason.empty()) j["reason"] = reason;
  return j;
}

json capacity_json(const std::vector<double>& score, const Outcomes* o, size_t capacity) {
  std::optional<double> t = capacity_threshold(score, capacity);
  std::string why;
  if (!t) {
    if (capacity == 0)
      why = "a capacity of 0 leads selects nothing";
    else if (score.empty())
      why = "there are no leads";
    else {
      double top = *std::max_element(score.begin(), score.end());
      size_t n = (size_t)std::count(score.begin(), score.end(), top);
      why = "the top score " + fmt(top) + " is shared by " + std::to_string(n) + " leads, more than the capacity of " +
            std::to_string(capacity) + ": rules that separate these leads are needed";
    }
  }
  json j = selection_json(score, o, t, why);
  j["capacity"] = capacity;
  return j;
}

EvaluateOptions EvaluateOptions::parse(const json& j) {
  EvaluateOptions e;
  if (j.is_null()) return e;
  if (!j.is_object()) throw MetricsError("range", "evaluate options must be an object");
  if (j.contains("capacity") && !j["capacity"].is_null()) e.capacity = Capacity::parse(j["capacity"]);
  if (j.contains("leakage")) e.leakage = j["leakage"].get<bool>();
  return e;
}

namespace {

// Rules are named by their labels in messages (people wrote those), by id when a rule has none.
std::string rule_name(const Rule& rule) { return "rule '" + (rule.label.empty() ? rule.id : rule.label) + "'"; }

// Why the rule may leak the outcome; flags it and warns (by its label) when there is a reason.
json rule_leakage(const Rule& rule, const Table& t, const leakage::RuleEvidence& ev,
                  const std::vector<ColumnSignal>* sigs, const Outcomes& o, json& flags, Diagnostics& warnings) {
  json reasons = leakage::rule_reasons(rule, t, ev, sigs, o.positives + o.negatives);
  if (reasons.empty()) return reasons;
  flags.push_back("leak");
  std::string why;
  for (const auto& r : reasons) why += (why.empty() ? "" : "; ") + r["message"].get<std::string>();
  warnings.push_back(warning("leakage_rule",
                             rule_name(rule) + " may score with what is only known after the outcome: " + why +
                                 ". Keep it only if this is known before the lead converts",
                             rule.id));
  return reasons;
}

json rule_diagnostics(const Scorer& s, const Outcomes& o, bool classes, double base,
                      const std::vector<ColumnSignal>* sigs, Diagnostics& warnings) {
  const RuleSet& rs = s.rules();
  const size_t n = s.table().rows;
  json out = json::array();
  for (size_t r = 0; r < rs.rules.size(); ++r) {
    const Rule& rule = rs.rules[r];
    const uint8_t* m = s.rule_mask(r);
    size_t c[2] = {0, 0}, k[2] = {0, 0}, p[2] = {0, 0};  // [0] not fired, [1] fired
    for (size_t i = 0; i < n; ++i) {
      int f = m && m[i] == kTrue;
      ++c[f];
      if (o.value[i] >= 0) ++k[f], p[f] += o.value[i] == kConverted;
    }
    json flags = json::array();
    json z = nullptr, lift = nullptr, leaks = json::array();
    if (!rule.enabled) {
      flags.push_back("disabled");
    } else {
      if (c[1] == 0) {
        flags.push_back("never_fires");
        warnings.push_back(
            warning("never_fires", rule_name(rule) + " fires on none of the " + std::to_string(n) + " leads", rule.id));
      } else if (!rule.when.is_null() && (double)c[1] >= kNearlyAlwaysShare * (double)n) {
        flags.push_back("nearly_always");
        warnings.push_back(warning(
            "nearly_always",
            rule_name(rule) + " fires on " + pct((double)c[1] / n) + " of the leads, so it hardly tells them apart",
            rule.id));
      }
      if (k[1] && base > 0) lift = ((double)p[1] / k[1]) / base;
      if (classes && k[0] && k[1]) {
        double r1 = (double)p[1] / k[1], r0 = (double)p[0] / k[0], pool = (double)(p[0] + p[1]) / (k[0] + k[1]);
        double se = std::sqrt(pool * (1 - pool) * (1.0 / k[0] + 1.0 / k[1]));
        double zz = se > 0 ? (r1 - r0) / se : 0;
        if (se > 0) z = zz;
        bool close = std::fabs(r1 - r0) <= kNoLiftRelative * std::max(r1, r0);
        std::string rates = pct(r1) + " of " + std::to_string(k[1]) + " when it fires vs " + pct(r0) + " of " +
                            std::to_string(k[0]) + " when not";
        if (close || std::fabs(zz) < kNoLiftZ) {
          flags.push_back("no_lift");
          warnings.push_back(warning("no_lift",
                                     rule_name(rule) + " carries no measurable lift: conversion " + rates +
                                         "; consider removing it or rethinking its condition",
                                     rule.id));
        } else if ((rule.points > 0 && r1 < r0) || (rule.points < 0 && r1 > r0)) {
          flags.push_back("opposite_lift");
          warnings.push_back(warning("opposite_lift",
                                     rule_name(rule) + " gives " + (rule.points > 0 ? "+" : "") + fmt(rule.points) +
                                         " points but works the other way: conversion " + rates,
                                     rule.id));
        }
      }
      if (c[1]) leaks = rule_leakage(rule, s.table(), {k[1], p[1], base, classes}, sigs, o, flags, warnings);
    }
    out.push_back({{"id", rule.id},
                   {"label", rule.label},
                   {"group", rule.group},
                   {"points", rule.points},
                   {"enabled", rule.enabled},
                   {"fired", c[1]},
                   {"share", n ? (double)c[1] / n : 0.0},
                   {"whenFired", rate_json(c[1], k[1], p[1])},
                   {"whenNotFired", rate_json(c[0], k[0], p[0])},
                   {"lift", lift},
                   {"z", z},
                   {"flags", flags},
                   {"leakage", leaks}});
  }
  return out;
}

// How well each column predicts the outcome alone (see ColumnSignal in leadscore.d.ts); depends only on the leads and
// the outcomes, so it is computed once per Outcomes and kept there (Outcomes::column_signals).
std::vector<ColumnSignal> compute_column_signals(const Table& t, const Outcomes& o) {
  using Sig = ColumnSignal;
  std::vector<Sig> sigs;
  const size_t n = t.rows;
  const double inf = std::numeric_limits<double>::infinity();
  const size_t known_leads = o.positives + o.negatives;
  for (size_t c = 0; c < t.columns.size(); ++c) {
    if ((int)c == o.column_index || (int)c == o.lead_id_index) continue;
    const Column& col = t.columns[c];
    std::vector<double> score(n);
    const size_t missing = col.missing(n);
    if (missing == n) continue;
    if (col.type == ColumnType::Number || col.type == ColumnType::Date) {
      for (size_t i = 0; i < n; ++i) score[i] = std::isnan(col.num[i]) ? -inf : col.num[i];
      double best = strength(score, o.value);
      if (missing) {
        for (size_t i = 0; i < n; ++i)
          if (std::isnan(col.num[i])) score[i] = inf;
        best = std::max(best, strength(score, o.value));
      }
      sigs.push_back({col.name, to_string(col.type), "value", best});
      continue;
    }
    // Categories: booleans (0/1/missing) and text with few distinct values, each scored by its rate.
    std::vector<int32_t> cat(n);
    size_t ncat;
    if (col.type == ColumnType::Boolean) {
      for (size_t i = 0; i < n; ++i) cat[i] = std::isnan(col.num[i]) ? 2 : (int32_t)col.num[i];
      ncat = 3;
    } else {
      for (size_t i = 0; i < n; ++i) cat[i] = col.codes[i] < 0 ? (int32_t)col.dict.size() : col.codes[i];
      ncat = col.dict.size() + 1;
    }
    std::string how = "category";
    // Too many values to score each by its own rate without overfitting: missing vs present.
    if (col.type == ColumnType::String && (col.dict.size() > kMaxCategories || known_leads < 10 * ncat)) {
      if (!missing) continue;
      for (size_t i = 0; i < n; ++i) cat[i] = col.codes[i] < 0;
      ncat = 2;
      how = "missing";
    }
    std::vector<double> known(ncat), pos(ncat);
    for (size_t i = 0; i < n; ++i)
      if (o.value[i] >= 0) known[cat[i]] += 1, pos[cat[i]] += o.value[i];
    for (size_t i = 0; i < n; ++i) score[i] = known[cat[i]] ? pos[cat[i]] / known[cat[i]] : 0;
    sigs.push_back({col.name, to_string(col.type), how, strength(score, o.value)});
  }
  std::stable_sort(sigs.begin(), sigs.end(), [](const Sig& a, const Sig& b) { return a.auc > b.auc; });
  return sigs;
}

// The column scan, computed once per Outcomes and kept there (it does not depend on the rules).
const std::vector<ColumnSignal>& signals_of(const Table& t, const Outcomes& o) {
  if (!o.column_signals)
    o.column_signals = std::make_shared<const std::vector<ColumnSignal>>(compute_column_signals(t, o));
  return *o.column_signals;
}

const Column* column_named(const Table& t, const std::string& name) {
  for (const auto& c : t.columns)
    if (c.name == name) return &c;
  return nullptr;
}

json column_signals(const Table& t, const Outcomes& o, const std::vector<ColumnSignal>& sigs,
                    std::optional<double> rules_auc, Diagnostics& warnings) {
  const size_t known_leads = o.positives + o.negatives;
  const double median = leakage::median_auc(sigs);
  json out = json::array();
  for (const auto& s : sigs) {
    bool leak = s.auc >= kLeakAuc && known_leads >= kMinKnownForLeak;
    bool far = !leak && leakage::far_above_rest(s.auc, median) && known_leads >= kMinKnownForLeak;
    const Column* col = column_named(t, s.name);
    std::string hint = col ? leakage::post_outcome_hint(*col) : "";
    if (leak)
      warnings.push_back(warning("leakage",
                                 "column '" + s.name + "' alone predicts the outcome almost perfectly (AUC " +
                                     fmt(s.auc) +
                                     "): it may be filled in after the outcome (e.g. a status set by sales). Do not "
                                     "score with it unless it is known before the outcome",
                                 "", s.name));
    else if (far || (!hint.empty() && s.auc >= kSuspectColumnAuc && known_leads >= kMinKnownForLeak))
      warnings.push_back(
          warning("leakage_suspect",
                  "column '" + s.name + "' alone predicts the outcome " +
                      (far ? "far better than the typical column (AUC " + fmt(s.auc) + " vs " + fmt(median) + ")"
                           : "well (AUC " + fmt(s.auc) + ")") +
                      (hint.empty() ? "" : " and " + hint) +
                      ": check that it is known before a lead converts before scoring with it",
                  "", s.name));
    else if (rules_auc && s.auc > *rules_auc && known_leads >= kMinKnownForStronger)
      warnings.push_back(warning("stronger_than_rules",
                                 "column '" + s.name + "' alone predicts the outcome better (AUC " + fmt(s.auc) +
                                     ") than the whole rule set (" + fmt(*rules_auc) +
                                     "): if it is only known after the outcome (like a call's duration) it is a leak; "
                                     "otherwise a rule on it may help",
                                 "", s.name));
    out.push_back({{"column", s.name},
                   {"type", s.type},
                   {"auc", s.auc},
                   {"how", s.how},
                   {"leak", leak},
                   {"farAbove", far},
                   {"postOutcome", hint.empty() ? json(nullptr) : json(hint)}});
  }
  return out;
}

}  // namespace

json evaluate(const Scorer& s, const Outcomes& o, const EvaluateOptions& options) {
  const Table& t = s.table();
  if (o.table != &t || o.value.size() != t.rows)
    throw MetricsError(
        "mismatch",
        "these outcomes belong to other leads than the scorer's: make them from the leads the scorer scores");
  if (!s.has_rules()) throw MetricsError("mismatch", "the scorer has no rule set yet");
  const RuleSet& rs = s.rules();
  const Results& r = s.results();
  const std::vector<double>& score = r.total;
  const size_t n = t.rows, known = o.positives + o.negatives;
  const bool classes = o.positives > 0 && o.negatives > 0;
  const double base = known ? (double)o.positives / known : 0;
  Diagnostics warnings;
  if (known == 0)
    warnings.push_back(warning(
        "no_outcomes",
        "no lead has a known outcome, so no metric can be computed: check the outcome column or the deals file"));
  else if (!classes)
    warnings.push_back(warning(
        "one_class", o.positives == 0 ? "no lead with a known outcome converted: AUC, recall and lift are undefined"
                                      : "every lead with a known outcome converted: AUC and precision say nothing"));

  json rep = {{"rows", n},
              {"known", known},
              {"positives", o.positives},
              {"negatives", o.negatives},
              {"unknown", o.unknown},
              {"baseRate", ratio(o.positives, known)}};

  // Tiers and cells.
  std::vector<size_t> tc(rs.tiers.size()), tk(rs.tiers.size()), tp(rs.tiers.size());
  const size_t nf = rs.matrix.present ? rs.matrix.fit.size() : 0,
               ne = rs.matrix.present ? rs.matrix.engagement.size() : 0;
  std::vector<size_t> cc(nf * ne), ck(nf * ne), cp(nf * ne);
  for (size_t i = 0; i < n; ++i) {
    bool k = o.value[i] >= 0, p = o.value[i] == kConverted;
    tc[r.tier[i]]++, tk[r.tier[i]] += k, tp[r.tier[i]] += p;
    if (nf) {
      size_t cell = (size_t)r.fit_band[i] * ne + (size_t)r.engagement_band[i];
      cc[cell]++, ck[cell] += k, cp[cell] += p;
    }
  }
  json tiers = json::array();
  for (size_t k = 0; k < rs.tiers.size(); ++k) {
    json j = rate_json(tc[k], tk[k], tp[k]);
    j["tier"] = rs.tiers[k].name;
    tiers.push_back(j);
  }
  rep["tiers"] = tiers;
  json cells = json::array();
  for (size_t f = 0; f < nf; ++f)
    for (size_t e = 0; e < ne; ++e) {
      size_t x = f * ne + e;
      json j = rate_json(cc[x], ck[x], cp[x]);
      j["cell"] = rs.matrix.fit[f].name + rs.matrix.engagement[e].name;
      j["fit"] = rs.matrix.fit[f].name;
      j["engagement"] = rs.matrix.engagement[e].name;
      cells.push_back(j);
    }
  rep["cells"] = cells;

  // Deciles over the known leads, by rank.
  std::vector<size_t> rank = ranked_known(score, o.value);
  const size_t D = std::min<size_t>(10, rank.size());
  json deciles = json::array();
  for (size_t d = 0; d < D; ++d) {
    size_t a = d * rank.size() / D, b = (d + 1) * rank.size() / D, pos = 0;
    for (size_t q = a; q < b; ++q) pos += o.value[rank[q]] == kConverted;
    json j = rate_json(b - a, b - a, pos);
    j["decile"] = d + 1;
    j["maxScore"] = score[rank[a]];
    j["minScore"] = score[rank[b - 1]];
    j["lift"] = (o.positives && b > a) ? json(((double)pos / (b - a)) / base) : json(nullptr);
    deciles.push_back(j);
  }
  rep["deciles"] = deciles;

  // ROC, from the same ranking (one sort for deciles, curve and AUC).
  std::optional<double> rules_auc;
  {
    std::string why;
    RocCurve c = roc_from_ranked(score, o.value, rank, true);
    if (classes)
      rules_auc = auc(c);
    else
      roc_auc(score, o.value, &why);  // only for the reason
    json roc = {{"auc", rules_auc ? json(*rules_auc) : json(nullptr)}, {"points", json::array()}};
    if (!rules_auc)
      roc["reason"] = why;
    else {
      for (size_t i = 0; i < c.fpr.size(); ++i)
        roc["points"].push_back(
            {{"fpr", c.fpr[i]}, {"tpr", c.tpr[i]}, {"threshold", i == 0 ? json(nullptr) : json(c.threshold[i])}});
    }
    rep["roc"] = roc;
  }

  // Sales-ready.
  {
    json sr = selection_json(score, &o, rs.sales_ready, "the rule set has no sales-ready threshold ('salesReady')");
    size_t tpn = 0, fpn = 0, fnn = 0, tnn = 0;
    for (size_t i = 0; i < n; ++i) {
      if (o.value[i] < 0) continue;
      bool sel = r.sales_ready[i], pos = o.value[i] == kConverted;
      (sel ? (pos ? tpn : fpn) : (pos ? fnn : tnn))++;
    }
    sr["shareOfConversions"] = sr["recall"];
    sr["tp"] = tpn, sr["fp"] = fpn, sr["fn"] = fnn, sr["tn"] = tnn;
    rep["salesReady"] = sr;
  }
  if (options.capacity) rep["capacity"] = capacity_json(score, &o, options.capacity->leads(n));

  const std::vector<ColumnSignal>* sigs = options.leakage && classes ? &signals_of(t, o) : nullptr;
  rep["rules"] = rule_diagnostics(s, o, classes, base, sigs, warnings);
  rep["columns"] = sigs ? column_signals(t, o, *sigs, rules_auc, warnings) : json::array();
  rep["columnsMedianAuc"] = sigs ? json(leakage::median_auc(*sigs)) : json(nullptr);

  size_t enabled = 0;
  for (const auto& x : rs.rules) enabled += x.enabled;
  bool over = rs.rules.size() > kReviewRules;
  rep["review"] = {{"rules", rs.rules.size()}, {"enabled", enabled}, {"limit", kReviewRules}, {"over", over}};
  if (over)
    warnings.push_back(
        warning("review", std::to_string(rs.rules.size()) + " rules is more than a team can review (more than " +
                              std::to_string(kReviewRules) +
                              "); merge similar rules, starting with those flagged no_lift or never_fires"));
  rep["warnings"] = to_json(warnings);
  return rep;
}

}  // namespace leadscore
