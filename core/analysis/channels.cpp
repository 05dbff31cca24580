// Channel quality: the scores and, with outcomes, the conversions of the leads grouped by one
// column (lead source, campaign, UTM medium): where the good leads come from.
#include <algorithm>
#include <cmath>
#include <map>

#include "leadscore/learn.h"

namespace leadscore {

using nlohmann::json;

namespace {

struct Channel {
  std::string name;
  std::vector<size_t> leads;
};

// The leads by the text of `col`: the `max_values` most frequent values, then "(other)" and "(missing)".
std::vector<Channel> group_leads(const Column& col, size_t rows, size_t max_values) {
  std::map<std::string, std::vector<size_t>> by;
  std::vector<size_t> missing;
  for (size_t i = 0; i < rows; ++i) {
    if (col.is_missing(i))
      missing.push_back(i);
    else
      by[col.value_text(i)].push_back(i);
  }
  std::vector<Channel> all;
  for (auto& [k, v] : by) all.push_back({k, std::move(v)});
  std::stable_sort(all.begin(), all.end(),
                   [](const Channel& a, const Channel& b) { return a.leads.size() > b.leads.size(); });
  if (all.size() > max_values) {
    Channel other{"(other)", {}};
    for (size_t k = max_values; k < all.size(); ++k)
      other.leads.insert(other.leads.end(), all[k].leads.begin(), all[k].leads.end());
    std::sort(other.leads.begin(), other.leads.end());
    all.resize(max_values);
    all.push_back(std::move(other));
  }
  if (!missing.empty()) all.push_back({"(missing)", std::move(missing)});
  return all;
}

double quantile(std::vector<double>& v, double q) {  // linear interpolation, as numpy's default
  if (v.empty()) return 0;
  double pos = q * (double)(v.size() - 1);
  size_t lo = (size_t)std::floor(pos);
  std::nth_element(v.begin(), v.begin() + (long)lo, v.end());
  double a = v[lo];
  if (lo + 1 >= v.size()) return a;
  double b = *std::min_element(v.begin() + (long)lo + 1, v.end());
  return a + (b - a) * (pos - (double)lo);
}

json channel_json(const Channel& c, const Scorer& s, const Outcomes* o, double lo, double hi, size_t bins,
                  double overall_rate) {
  const Results& res = s.results();
  std::vector<double> totals;
  std::vector<size_t> hist(bins, 0), tiers(s.rules().tiers.size(), 0);
  size_t known = 0, conv = 0;
  double sum = 0;
  for (size_t i : c.leads) {
    double t = res.total[i];
    totals.push_back(t), sum += t;
    size_t b = hi > lo ? (size_t)std::floor((t - lo) / (hi - lo) * (double)bins) : 0;
    ++hist[std::min(b, bins - 1)];
    if (res.tier[i] >= 0 && (size_t)res.tier[i] < tiers.size()) ++tiers[res.tier[i]];
    if (o && o->value[i] >= 0) ++known, conv += o->value[i] == kConverted;
  }
  json j = {{"value", c.name},
            {"leads", c.leads.size()},
            {"mean", totals.empty() ? 0.0 : sum / (double)totals.size()},
            {"p25", quantile(totals, 0.25)},
            {"median", quantile(totals, 0.5)},
            {"p75", quantile(totals, 0.75)},
            {"histogram", hist},
            {"tiers", tiers}};
  if (o) {
    j["known"] = known, j["conversions"] = conv;
    double rate = known ? (double)conv / (double)known : 0;
    j["rate"] = known ? json(rate) : json(nullptr);
    j["lift"] = known && overall_rate > 0 ? json(rate / overall_rate) : json(nullptr);
  }
  return j;
}

}  // namespace

json channel_quality(const Scorer& s, const Outcomes* o, const std::string& column, size_t max_values, size_t bins) {
  const Table& t = s.table();
  if (o && (o->table != &t || o->value.size() != t.rows))
    throw MetricsError("mismatch", "the outcomes belong to other leads than the scored ones");
  if (bins < 1 || bins > 1000) throw MetricsError("range", "bins must be from 1 to 1000");
  if (max_values < 1) throw MetricsError("range", "the number of channels shown must be at least 1");
  const Column& col = t.columns[find_column_or_throw(t, column, "the channel column")];
  const Results& res = s.results();
  double lo = 0, hi = 0;
  if (t.rows) {
    auto mm = std::minmax_element(res.total.begin(), res.total.end());
    lo = *mm.first, hi = *mm.second;
  }
  const double overall =
      o && o->positives + o->negatives ? (double)o->positives / (double)(o->positives + o->negatives) : 0;
  json channels = json::array();
  for (const Channel& c : group_leads(col, t.rows, max_values))
    channels.push_back(channel_json(c, s, o, lo, hi, bins, overall));
  json tiers = json::array();
  for (const auto& b : s.rules().tiers) tiers.push_back(b.name);
  json out = {{"column", col.name},
              {"leads", t.rows},
              {"histogram", {{"lo", lo}, {"hi", hi}, {"bins", bins}}},
              {"tiers", tiers},
              {"channels", channels}};
  if (o) out["overallRate"] = o->positives + o->negatives ? json(overall) : json(nullptr);
  return out;
}

}  // namespace leadscore
