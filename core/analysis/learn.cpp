// learn(): the stages in order (minimum data, the seeded split, features, the model, the
// scorecard, held-out AUCs), the options from JSON and the report as JSON.
#include <algorithm>
#include <cmath>

#include "analysis/learn_internal.h"
#include "leadscore/metrics.h"

namespace leadscore {

using nlohmann::json;
using namespace learn_detail;

namespace learn_detail {

void report_progress(const LearnOptions& o, double done, const std::string& stage) {
  if (o.progress && !o.progress(done, stage)) throw MetricsError("cancelled", "learning was cancelled");
}

}  // namespace learn_detail

namespace {

std::vector<std::string> strings(const json& j, const std::string& key) {
  if (!j.is_array()) throw MetricsError("range", "learn option '" + key + "' must be a list of column names");
  std::vector<std::string> out;
  for (const auto& v : j) {
    if (!v.is_string()) throw MetricsError("range", "learn option '" + key + "' must be a list of column names");
    out.push_back(v.get<std::string>());
  }
  return out;
}

double number(const json& j, const std::string& key) {
  if (!j.is_number()) throw MetricsError("range", "learn option '" + key + "' must be a number");
  return j.get<double>();
}

size_t count(const json& j, const std::string& key) {
  double v = number(j, key);
  if (v < 0 || v != std::floor(v) || v > 1e9)
    throw MetricsError("range", "learn option '" + key + "' must be a whole number from 0");
  return (size_t)v;
}

void check_options(const LearnOptions& o) {
  auto bad = [](const std::string& m) { throw MetricsError("range", m); };
  if (o.model != "logistic" && o.model != "naive_bayes") bad("model must be \"logistic\" or \"naive_bayes\"");
  if (o.scale != "pdo" && o.scale != "0-100") bad("scale must be \"pdo\" or \"0-100\"");
  if (!(o.test_share > 0 && o.test_share <= 0.9)) bad("testShare must be above 0 and at most 0.9 (0.25: a quarter)");
  if (o.folds < 2 || o.folds > 20) bad("folds must be from 2 to 20");
  if (o.bins < 2 || o.bins > 50) bad("bins must be from 2 to 50");
  if (o.c && !(*o.c > 0 && std::isfinite(*o.c))) bad("c must be a positive number");
  if (o.c_grid.empty()) bad("cGrid must list at least one C");
  for (double c : o.c_grid)
    if (!(c > 0 && std::isfinite(c))) bad("every C of cGrid must be a positive number");
  if (!(o.base_odds > 0 && std::isfinite(o.base_odds))) bad("baseOdds must be a positive number (1/19 for 1:19)");
  if (!(o.pdo > 0 && std::isfinite(o.pdo))) bad("pdo must be a positive number of points");
  if (!std::isfinite(o.base_score)) bad("baseScore must be a number");
  if (!(o.alpha > 0 && std::isfinite(o.alpha))) bad("alpha must be a positive number");
  if (!(o.min_level_share >= 0 && o.min_level_share < 1)) bad("minLevelShare must be from 0 to below 1");
  if (o.max_levels < 1) bad("maxLevels must be at least 1");
}

// Refuses below the minimum, saying how much more is needed.
void check_minimum(const Outcomes& o, const LearnOptions& opt) {
  const size_t known = o.positives + o.negatives;
  const size_t need_leads = std::max<size_t>(opt.min_leads, 4 * opt.folds);
  const size_t need_pos = std::max<size_t>(opt.min_positives, 2 * opt.folds);
  if (known >= need_leads && o.positives >= need_pos && o.negatives >= need_pos) return;
  std::string msg = "learning needs at least " + std::to_string(need_leads) + " leads with a known outcome and " +
                    std::to_string(need_pos) + " conversions (and as many non-conversions); these leads have " +
                    std::to_string(known) + " known outcomes with " + std::to_string(o.positives) + " conversions";
  std::vector<std::string> more;
  if (known < need_leads) more.push_back(std::to_string(need_leads - known) + " more leads with outcomes");
  if (o.positives < need_pos) more.push_back(std::to_string(need_pos - o.positives) + " more conversions");
  if (o.negatives < need_pos) more.push_back(std::to_string(need_pos - o.negatives) + " more non-conversions");
  for (size_t k = 0; k < more.size(); ++k) msg += (k ? " and " : ": ") + more[k];
  throw MetricsError("too_little_data", msg + " are needed");
}

// Stratified: each class shuffled, its first test_share (rounded) held out.
void split_rows(const Outcomes& o, LearnResult& r) {
  std::vector<size_t> pos, neg;
  r.y = o.value;
  r.split.assign(o.value.size(), -1);
  for (size_t i = 0; i < o.value.size(); ++i)
    if (o.value[i] == kConverted)
      pos.push_back(i);
    else if (o.value[i] == kNotConverted)
      neg.push_back(i);
  Random rng(r.options.seed);
  for (auto* cls : {&pos, &neg}) {
    rng.shuffle(*cls);
    const size_t test = (size_t)std::llround(r.options.test_share * (double)cls->size());
    for (size_t k = 0; k < cls->size(); ++k) r.split[(*cls)[k]] = k < test ? 1 : 0;
  }
  for (size_t i = 0; i < r.split.size(); ++i) {
    if (r.split[i] < 0) continue;
    (r.split[i] ? r.test : r.train)++;
    if (o.value[i] == kConverted) (r.split[i] ? r.test_positives : r.train_positives)++;
  }
  if (r.train_positives < r.options.folds || r.train - r.train_positives < r.options.folds)
    throw MetricsError("too_little_data", "the train split has too few conversions or non-conversions for " +
                                              std::to_string(r.options.folds) + " folds");
}

std::optional<double> auc_of(const LearnResult& r, int8_t split, int what) {
  std::vector<double> score;
  std::vector<int8_t> out;
  for (size_t i = 0; i < r.split.size(); ++i) {
    if (r.split[i] != split) continue;
    score.push_back(what == 0 ? row_log_odds(r, i) : row_points(r, i, what == 2));
    out.push_back(r.y[i]);
  }
  return roc_auc(score, out);
}

// The current rules' tiers (names, actions, lead shares), fields, derived fields and missing tokens.
void capture_current(const Scorer& current, LearnResult& r) {
  json rs = to_json(current.rules());
  r.current = {{"tiers", rs.value("tiers", json::array())}};
  for (const char* k : {"fields", "derived", "missing"})
    if (rs.contains(k)) r.current[k] = rs[k];
  r.current_rules_name = current.rules().name;
  std::vector<size_t> count(current.rules().tiers.size(), 0);
  for (int32_t t : current.results().tier)
    if (t >= 0 && (size_t)t < count.size()) ++count[t];
  json shares = json::array();
  size_t acc = 0;
  for (size_t c : count) acc += c, shares.push_back((double)acc / (double)std::max<size_t>(r.split.size(), 1));
  r.current["shares"] = shares;
}

// Probabilities, the scorecard and the held-out AUCs.
void finish(LearnResult& r) {
  const size_t rows = r.split.size();
  r.probability.resize(rows);
  for (size_t i = 0; i < rows; ++i) {
    double e = row_log_odds(r, i);
    r.probability[i] = e >= 0 ? 1 / (1 + std::exp(-e)) : std::exp(e) / (1 + std::exp(e));
  }
  make_scorecard(r);
  r.auc_model = auc_of(r, 1, 0), r.auc_points = auc_of(r, 1, 1), r.auc_rounded = auc_of(r, 1, 2);
  r.auc_train = auc_of(r, 0, 0);
}

}  // namespace

LearnOptions LearnOptions::parse(const json& j) {
  LearnOptions o;
  if (j.is_null()) return o;
  if (!j.is_object()) throw MetricsError("range", "learn options must be an object");
  for (const auto& [k, v] : j.items()) {
    if (k == "model" || k == "scale") {
      if (!v.is_string()) throw MetricsError("range", "learn option '" + k + "' must be a text");
      (k == "model" ? o.model : o.scale) = v.get<std::string>();
    } else if (k == "testShare")
      o.test_share = number(v, k);
    else if (k == "seed")
      o.seed = (uint64_t)count(v, k);
    else if (k == "folds")
      o.folds = count(v, k);
    else if (k == "c")
      o.c = v.is_null() ? std::optional<double>() : number(v, k);
    else if (k == "cGrid") {
      o.c_grid.clear();
      if (!v.is_array()) throw MetricsError("range", "learn option 'cGrid' must be a list of numbers");
      for (const auto& c : v) o.c_grid.push_back(number(c, k));
    } else if (k == "bins")
      o.bins = count(v, k);
    else if (k == "monotone" || k == "useRules" || k == "useColumns") {
      if (!v.is_boolean()) throw MetricsError("range", "learn option '" + k + "' must be true or false");
      (k == "monotone" ? o.monotone : k == "useRules" ? o.use_rules : o.use_columns) = v.get<bool>();
    } else if (k == "minLevelShare")
      o.min_level_share = number(v, k);
    else if (k == "minLevelCount")
      o.min_level_count = count(v, k);
    else if (k == "maxLevels")
      o.max_levels = count(v, k);
    else if (k == "columns")
      o.columns = strings(v, k);
    else if (k == "exclude")
      o.exclude = strings(v, k);
    else if (k == "keep")
      o.keep = strings(v, k);
    else if (k == "baseScore")
      o.base_score = number(v, k);
    else if (k == "baseOdds")
      o.base_odds = number(v, k);
    else if (k == "pdo")
      o.pdo = number(v, k);
    else if (k == "alpha")
      o.alpha = number(v, k);
    else if (k == "minLeads")
      o.min_leads = count(v, k);
    else if (k == "minPositives")
      o.min_positives = count(v, k);
    else
      throw MetricsError("range", "unknown learn option '" + k + "'");
  }
  check_options(o);
  return o;
}

struct Learner::Impl {
  LearnResult r;
  CvState cv;
  size_t next = 0, steps = 0;  // steps: folds (without a fixed C), the fit, the scorecard
};

Learner::Learner(const Table& leads, const Outcomes& o, const Scorer* current, const LearnOptions& opt)
    : impl_(std::make_unique<Impl>()) {
  if (o.table != &leads || o.value.size() != leads.rows)
    throw MetricsError("mismatch", "the outcomes belong to other leads than the ones to learn from");
  if (current && &current->table() != &leads)
    throw MetricsError("mismatch", "the current rules score other leads than the ones to learn from");
  check_options(opt);
  check_minimum(o, opt);
  LearnResult& r = impl_->r;
  r.options = opt;
  r.options.progress = nullptr;
  r.outcome = o.source == "column" ? o.column : "ids in " + o.deals_id_column;
  r.known = o.positives + o.negatives, r.positives = o.positives;
  split_rows(o, r);
  if (current) capture_current(*current, r);
  std::vector<int> skip;
  if (o.column_index >= 0) skip.push_back(o.column_index);
  if (o.lead_id_index >= 0) skip.push_back(o.lead_id_index);
  build_features(leads, o.value, current, skip, r);
  measure_features(o.value, r);
  assign_design(r);
  if (r.design_columns == 0)
    throw MetricsError("no_features", "no usable feature: every candidate column is constant, excluded or flagged");
  if (opt.model == "logistic") cv_prepare(r.y, r, impl_->cv);
  impl_->steps = (opt.model == "logistic" ? impl_->cv.folds.size() : 0) + 2;
}

Learner::~Learner() = default;

double Learner::done() const { return 0.2 + 0.8 * (double)impl_->next / (double)impl_->steps; }

std::string Learner::stage() const {
  const size_t n = impl_->next, steps = impl_->steps;
  return n >= steps ? "done" : n + 2 == steps ? "fit" : n + 1 == steps ? "scorecard" : "cross-validation";
}

bool Learner::step() {
  Impl& m = *impl_;
  LearnResult& r = m.r;
  if (m.next >= m.steps) return false;
  const std::string what = stage();
  if (what == "cross-validation")
    cv_fold(r.y, r, m.cv, m.next);
  else if (what == "fit" && r.options.model == "naive_bayes")
    fit_naive_bayes(r.y, r);
  else if (what == "fit")
    fit_final(r.y, r, m.cv);
  else
    finish(r);
  return ++m.next < m.steps;
}

LearnResult Learner::take() {
  if (impl_->next < impl_->steps) throw std::logic_error("Learner::take() before the last step");
  return std::move(impl_->r);
}

LearnResult learn(const Table& leads, const Outcomes& o, const Scorer* current, const LearnOptions& opt) {
  report_progress(opt, 0, "features");
  Learner l(leads, o, current, opt);
  report_progress(opt, l.done(), l.stage());
  while (l.step()) report_progress(opt, l.done(), l.stage());
  report_progress(opt, 1, "done");
  LearnResult r = l.take();
  r.options.progress = opt.progress;
  return r;
}

namespace {

json opt_json(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json feature_json(const LearnFeature& f) {
  json levels = json::array();
  for (const auto& l : f.levels)
    levels.push_back({{"label", l.label},
                      {"count", l.count},
                      {"positives", l.positives},
                      {"rate", l.count ? json((double)l.positives / (double)l.count) : json(nullptr)},
                      {"woe", l.woe},
                      {"weight", l.weight},
                      {"points", l.points},
                      {"rounded", l.rounded},
                      {"design", l.design},
                      {"when", l.when}});
  return {{"name", f.name},  {"source", f.source}, {"kind", f.kind},
          {"iv", f.iv},      {"auc", f.auc},       {"used", f.used},
          {"flag", f.flag},  {"reason", f.reason}, {"hasBaseline", f.has_baseline},
          {"levels", levels}};
}

}  // namespace

json to_json(const LearnResult& r) {
  const LearnOptions& o = r.options;
  std::vector<size_t> order(r.features.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (r.features[a].used != r.features[b].used) return r.features[a].used;
    return r.features[a].iv > r.features[b].iv;
  });
  json features = json::array(), flagged = json::array(), cv = json::array(), tiers = json::array();
  for (size_t k : order) {
    features.push_back(feature_json(r.features[k]));
    if (!r.features[k].flag.empty())
      flagged.push_back({{"name", r.features[k].name},
                         {"flag", r.features[k].flag},
                         {"used", r.features[k].used},
                         {"reason", r.features[k].reason}});
  }
  for (const auto& row : r.cv) cv.push_back({{"c", row.c}, {"logLoss", row.log_loss}, {"auc", row.auc}});
  for (const auto& t : r.tier_shares)
    tiers.push_back({{"name", t.first}, {"min", std::isfinite(t.second) ? json(t.second) : json(nullptr)}});
  return {{"model", o.model},
          {"outcome", r.outcome},
          {"leads",
           {{"known", r.known},
            {"positives", r.positives},
            {"train", r.train},
            {"test", r.test},
            {"trainPositives", r.train_positives},
            {"testPositives", r.test_positives}}},
          {"minimum", {{"leads", o.min_leads}, {"positives", o.min_positives}}},
          {"seed", o.seed},
          {"testShare", o.test_share},
          {"c", opt_json(r.c)},
          {"cv", cv},
          {"iterations", r.iterations},
          {"designColumns", r.design_columns},
          {"intercept", r.intercept},
          {"scale",
           {{"kind", o.scale},
            {"baseScore", o.base_score},
            {"baseOdds", o.base_odds},
            {"pdo", o.pdo},
            {"factor", r.factor},
            {"offset", r.offset}}},
          {"basePoints", r.base_points},
          {"roundedBase", r.rounded_base},
          {"range",
           {{"min", r.min_score}, {"max", r.max_score}, {"roundedMin", r.rounded_min}, {"roundedMax", r.rounded_max}}},
          {"auc",
           {{"model", opt_json(r.auc_model)},
            {"points", opt_json(r.auc_points)},
            {"rounded", opt_json(r.auc_rounded)},
            {"train", opt_json(r.auc_train)}}},
          {"features", features},
          {"flagged", flagged},
          {"rulesAsFeatures", r.rule_conditions_from},
          {"tiers", tiers},
          {"notes", r.notes}};
}

}  // namespace leadscore
