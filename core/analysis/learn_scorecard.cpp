// From log-odds weights to a scorecard: points = offset + factor x log-odds, with the factor from
// points-to-double-odds (PDO / ln 2, and base_score at base_odds) or stretched to 0-100. Each text
// or number feature is shifted so its lowest level is 0 points (the base rule takes the rest), so
// points read as "what this adds"; rule features keep 0 for "does not fire". Rounding to integers
// keeps the score range: the base is fixed from the rounded minimum and the largest rounding
// errors of the top levels absorb the difference to the rounded maximum.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "analysis/learn_internal.h"

namespace leadscore::learn_detail {

using nlohmann::json;

namespace {

struct Extremes {
  double lo = 0, hi = 0;
};

// Lowest and highest weight of a feature's levels (0 included when rows can be in no level).
Extremes weight_extremes(const LearnFeature& f) {
  Extremes e;
  bool first = !f.has_baseline;
  for (const auto& l : f.levels) {
    if (first) e.lo = e.hi = l.weight, first = false;
    e.lo = std::min(e.lo, l.weight), e.hi = std::max(e.hi, l.weight);
  }
  return e;
}

void scale(LearnResult& r) {
  const LearnOptions& o = r.options;
  double lo = r.intercept, hi = r.intercept;
  for (const auto& f : r.features)
    if (f.used) lo += weight_extremes(f).lo, hi += weight_extremes(f).hi;
  if (o.scale == "0-100") {
    if (!(hi - lo > 1e-12))
      throw MetricsError("no_features", "every lead gets the same log-odds: nothing to scale to 0-100");
    r.factor = 100 / (hi - lo);
    r.offset = -r.factor * lo;
  } else {
    r.factor = o.pdo / std::log(2.0);
    r.offset = o.base_score - r.factor * std::log(o.base_odds);
  }
  r.base_points = r.offset + r.factor * r.intercept;
  r.min_score = r.max_score = 0;
  for (auto& f : r.features) {
    if (!f.used) continue;
    const double shift = f.has_baseline ? 0 : weight_extremes(f).lo;
    r.base_points += r.factor * shift;
    for (auto& l : f.levels) l.points = r.factor * (l.weight - shift);
    Extremes e = weight_extremes(f);
    r.min_score += r.factor * (e.lo - shift), r.max_score += r.factor * (e.hi - shift);
  }
  r.min_score += r.base_points, r.max_score += r.base_points;
}

struct RoundedRange {
  long lo = 0, hi = 0;
  int top = -1;  // the level holding hi (-1: the implicit 0 of a rule not firing)
};

RoundedRange rounded_range(const LearnFeature& f) {
  RoundedRange rr;
  bool first = !f.has_baseline;
  for (size_t k = 0; k < f.levels.size(); ++k) {
    long v = f.levels[k].rounded;
    if (first || v > rr.hi) rr.hi = v, rr.top = (int)k;
    if (first || v < rr.lo) rr.lo = v;
    first = false;
  }
  return rr;
}

void round_points(LearnResult& r) {
  long sum_lo = 0, sum_hi = 0;
  for (auto& f : r.features)
    if (f.used)
      for (auto& l : f.levels) l.rounded = std::lround(l.points);
  const long target_lo = std::lround(r.min_score), target_hi = std::lround(r.max_score);
  for (const auto& f : r.features)
    if (f.used) sum_lo += rounded_range(f).lo;
  r.rounded_base = target_lo - sum_lo;
  for (int pass = 0; pass < 4; ++pass) {  // each pass moves a top level by at most 1
    sum_hi = 0;
    std::vector<std::pair<double, LearnLevel*>> tops;  // (rounding error, the level)
    for (auto& f : r.features) {
      if (!f.used) continue;
      RoundedRange rr = rounded_range(f);
      sum_hi += rr.hi;
      if (rr.top >= 0 && rr.hi > rr.lo) tops.push_back({f.levels[rr.top].points - (double)rr.hi, &f.levels[rr.top]});
    }
    long missing = target_hi - (r.rounded_base + sum_hi);
    if (missing == 0 || tops.empty()) break;
    std::stable_sort(tops.begin(), tops.end(),
                     [&](const auto& a, const auto& b) { return missing > 0 ? a.first > b.first : a.first < b.first; });
    for (size_t k = 0; k < tops.size() && missing != 0; ++k) {
      tops[k].second->rounded += missing > 0 ? 1 : -1;
      missing += missing > 0 ? -1 : 1;
    }
  }
  r.rounded_min = r.rounded_base, r.rounded_max = r.rounded_base;
  for (auto& f : r.features) {
    if (!f.used) continue;
    RoundedRange rr = rounded_range(f);
    r.rounded_min += rr.lo, r.rounded_max += rr.hi;
  }
}

std::string cut(const std::string& s, size_t n) { return s.size() <= n ? s : s.substr(0, n); }

// Tier lower bounds at the lead shares of the current rules' tiers (r.current["shares"], taken
// when learning started), or 10 % Hot, 30 % Warm.
void pick_tiers(LearnResult& r) {
  std::vector<std::pair<std::string, double>> cumulative;  // name, share of leads at or above it
  const size_t n = r.split.size();
  const json tiers = r.current.is_object() ? r.current.value("tiers", json::array()) : json::array();
  const json shares = r.current.is_object() ? r.current.value("shares", json::array()) : json::array();
  if (tiers.size() > 1 && shares.size() == tiers.size()) {
    for (size_t t = 0; t < tiers.size(); ++t)
      cumulative.push_back({tiers[t].value("name", ""), shares[t].get<double>()});
  } else {
    cumulative = {{"Hot", 0.10}, {"Warm", 0.40}, {"Cold", 1.0}};
  }
  std::vector<double> s(n);
  for (size_t i = 0; i < n; ++i) s[i] = row_points(r, i, true);
  std::sort(s.begin(), s.end(), std::greater<double>());
  r.tier_shares.clear();
  for (size_t t = 0; t < cumulative.size(); ++t) {
    double min = -INFINITY;
    if (t + 1 < cumulative.size() && n > 0) {
      size_t idx = (size_t)std::ceil(cumulative[t].second * (double)n);
      min = s[std::min(n - 1, idx > 0 ? idx - 1 : 0)];
      if (!r.tier_shares.empty() && min >= r.tier_shares.back().second) min = r.tier_shares.back().second - 1;
    }
    r.tier_shares.push_back({cumulative[t].first, min});
  }
}

std::string slug(const std::string& s) {
  std::string out;
  for (char ch : s) out += std::isalnum((unsigned char)ch) || ch == '_' ? ch : '-';
  return cut(out, 60);
}

}  // namespace

double row_points(const LearnResult& r, size_t row, bool rounded) {
  const size_t nf = r.features.size();
  double p = rounded ? (double)r.rounded_base : r.base_points;
  for (size_t f = 0; f < nf; ++f)
    if (int32_t l = r.active[row * nf + f]; l >= 0 && r.features[f].used) {
      const LearnLevel& lv = r.features[f].levels[l];
      p += rounded ? (double)lv.rounded : lv.points;
    }
  return p;
}

void make_scorecard(LearnResult& r) {
  scale(r);
  round_points(r);
  pick_tiers(r);
  const size_t nf = r.features.size();
  r.average_points.assign(nf, 0);
  const std::vector<size_t> train = rows_of(r, 0);
  for (size_t i : train)
    for (size_t f = 0; f < nf; ++f)
      if (int32_t l = r.active[i * nf + f]; l >= 0 && r.features[f].used)
        r.average_points[f] += r.features[f].levels[l].points;
  for (double& a : r.average_points) a /= (double)std::max<size_t>(train.size(), 1);
}

}  // namespace leadscore::learn_detail

namespace leadscore {

using learn_detail::row_points;
using nlohmann::json;

json learned_rule_set(const LearnResult& r, bool rounded) {
  json rules = json::array();
  rules.push_back({{"id", "base"},
                   {"label", "Base points"},
                   {"group", "learned"},
                   {"points", rounded ? json(r.rounded_base) : json(r.base_points)},
                   {"description", "every lead starts here: the model's log-odds with every feature at its lowest"}});
  json features = json::array();  // per feature: its rules and average points, for explanations
  for (size_t f = 0; f < r.features.size(); ++f) {
    const LearnFeature& feat = r.features[f];
    if (!feat.used) continue;
    json ids = json::array();
    double sum = 0;  // over the train leads (a level's count), as average_points
    for (const LearnLevel& l : feat.levels) sum += (double)l.count * (rounded ? (double)l.rounded : l.points);
    for (size_t k = 0; k < feat.levels.size(); ++k) {
      const LearnLevel& l = feat.levels[k];
      json points = rounded ? json(l.rounded) : json(l.points);
      if (points == json(0)) continue;
      char woe[64];
      std::snprintf(woe, sizeof woe, "WoE %.3f, %zu train leads, %zu converted", l.woe, l.count, l.positives);
      ids.push_back("f" + std::to_string(f) + "-" + learn_detail::slug(feat.name) + "-" + std::to_string(k));
      rules.push_back({{"id", ids.back()},
                       {"label", learn_detail::cut(feat.name + ": " + l.label, 200)},
                       {"group", "learned"},
                       {"points", points},
                       {"when", l.when},
                       {"description", woe}});
    }
    features.push_back({{"name", feat.name}, {"rules", ids}, {"average", r.train ? sum / (double)r.train : 0.0}});
  }
  json tiers = json::array();
  const json current_tiers = r.current.is_object() ? r.current.value("tiers", json::array()) : json::array();
  for (size_t t = 0; t < r.tier_shares.size(); ++t) {
    json tier = {{"name", r.tier_shares[t].first}};
    if (t + 1 < r.tier_shares.size()) tier["min"] = r.tier_shares[t].second;
    if (t < current_tiers.size() && current_tiers[t].contains("action")) tier["action"] = current_tiers[t]["action"];
    tiers.push_back(tier);
  }
  json doc = {{"leadscore", 1},
              {"name", std::string("Learned from outcomes (") +
                           (r.options.model == "naive_bayes" ? "naive Bayes" : "logistic regression") + ")"},
              {"description", "Points learned from " + std::to_string(r.train) + " leads with known outcomes (" +
                                  r.outcome + "); checked on " + std::to_string(r.test) + " held-out leads."},
              {"groups", json::array({{{"id", "learned"}, {"label", "Learned scorecard"}}})},
              {"rules", rules},
              {"tiers", tiers},
              {"x-learned",
               {{"model", r.options.model},
                {"scale", r.options.scale},
                {"factor", r.factor},
                {"offset", r.offset},
                {"seed", r.options.seed},
                {"heldOutAuc", r.auc_rounded ? json(*r.auc_rounded) : json(nullptr)},
                {"features", features}}}};
  if (r.options.scale == "0-100") doc["total"] = {{"min", 0}, {"max", 100}};
  for (const char* k : {"fields", "derived", "missing"})
    if (r.current.is_object() && r.current.contains(k) && !r.current[k].is_null()) doc[k] = r.current[k];
  return doc;
}

json learned_lead(const LearnResult& r, size_t lead, size_t top) {
  if (lead >= r.split.size())
    throw MetricsError("range", "lead " + std::to_string(lead + 1) + " is not in the table (it has " +
                                    std::to_string(r.split.size()) + " leads)");
  const size_t nf = r.features.size();
  std::vector<std::pair<double, json>> factors;
  for (size_t f = 0; f < nf; ++f) {
    const LearnFeature& feat = r.features[f];
    if (!feat.used) continue;
    int32_t l = r.active[lead * nf + f];
    double exact = l >= 0 ? feat.levels[l].points : 0;
    double contribution = exact - r.average_points[f];
    factors.push_back({std::fabs(contribution),
                       {{"feature", feat.name},
                        {"level", l >= 0 ? feat.levels[l].label : "does not fire"},
                        {"points", l >= 0 ? feat.levels[l].rounded : 0},
                        {"contribution", contribution}}});
  }
  std::stable_sort(factors.begin(), factors.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  json list = json::array();
  for (size_t k = 0; k < factors.size() && k < top; ++k) list.push_back(factors[k].second);
  return {{"lead", lead + 1},
          {"probability", r.probability[lead]},
          {"points", row_points(r, lead, true)},
          {"exactPoints", row_points(r, lead, false)},
          {"split", r.split[lead] == 0   ? "train"
                    : r.split[lead] == 1 ? "test"
                                         : "unknown"},
          {"factors", list}};
}

json learned_explanation(const json& note, const Ledger& ledger, size_t top) {
  if (!note.is_object() || !note.value("factor", json()).is_number() || !note.value("offset", json()).is_number() ||
      !note.value("features", json()).is_array() || !(note["factor"].get<double>() > 0))
    return nullptr;
  const double log_odds = (ledger.total - note["offset"].get<double>()) / note["factor"].get<double>();
  std::vector<std::pair<double, json>> factors;
  for (const json& f : note["features"]) {
    if (!f.is_object() || !f.value("rules", json()).is_array()) continue;
    double points = 0;
    json fired = nullptr;
    for (const LedgerEntry& e : ledger.entries)
      if (std::find(f["rules"].begin(), f["rules"].end(), json(e.rule_id)) != f["rules"].end())
        points += e.points, fired = e.label;
    const double contribution = points - f.value("average", 0.0);
    factors.push_back(
        {std::fabs(contribution),
         {{"feature", f.value("name", "")}, {"rule", fired}, {"points", points}, {"contribution", contribution}}});
  }
  std::stable_sort(factors.begin(), factors.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  json list = json::array();
  for (size_t k = 0; k < factors.size() && k < top; ++k) list.push_back(factors[k].second);
  return {{"probability", 1 / (1 + std::exp(-log_odds))}, {"logOdds", log_odds}, {"factors", list}};
}

json design_columns_json(const LearnResult& r) {
  json cols = json::array();
  for (const auto& f : r.features)
    for (const auto& l : f.levels)
      if (l.design >= 0) cols.push_back({{"index", l.design}, {"feature", f.name}, {"level", l.label}});
  return cols;
}

std::string design_csv(const LearnResult& r) {
  std::string out = "split,y,p,points,rounded";
  for (size_t j = 0; j < r.design_columns; ++j) out += ",x" + std::to_string(j);
  out += "\n";
  const size_t nf = r.features.size();
  std::vector<char> row(r.design_columns);
  char buf[128];
  for (size_t i = 0; i < r.split.size(); ++i) {
    if (r.split[i] < 0) continue;
    std::fill(row.begin(), row.end(), '0');
    for (size_t f = 0; f < nf; ++f)
      if (int32_t l = r.active[i * nf + f]; l >= 0 && r.features[f].used) row[r.features[f].levels[l].design] = '1';
    std::snprintf(buf, sizeof buf, "%s,%d,%.17g,%.17g,%.17g", r.split[i] ? "test" : "train", (int)r.y[i],
                  r.probability[i], row_points(r, i, false), row_points(r, i, true));
    out += buf;
    for (char c : row) out += ',', out += c;
    out += '\n';
  }
  return out;
}

}  // namespace leadscore
