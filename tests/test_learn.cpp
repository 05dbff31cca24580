// Learning from outcomes (learn.h): the solver meets its optimality conditions, naive Bayes
// matches counts done by hand, the learned rule set scores exactly as the model's points (its
// conditions select the same leads as the features), rounding keeps the range, leakage is
// flagged and left out (bank marketing's `duration` too), too little data is refused with the
// numbers, results are deterministic, and channel quality counts.
#include <gtest/gtest.h>

#include <cmath>

#include "leadscore/learn.h"
#include "leadscore/metrics.h"
#include "leadscore/rules.h"
#include "test_util.h"

namespace test_learn {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;
using nlohmann::json;

uint64_t next(uint64_t& s) {
  uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
double uniform(uint64_t& s) { return (double)(next(s) >> 11) / 9007199254740992.0; }

// Leads whose conversion follows a known logistic model of source, visits and a flag; plus a
// call_duration recorded after the outcome and an id that says nothing.
std::string synthetic_csv(size_t n, uint64_t seed = 7) {
  const char* sources[] = {"web", "event", "partner", "ads", "rare"};
  std::string csv = "id,source,visits,newsletter,call_duration,converted\n";
  for (size_t i = 0; i < n; ++i) {
    size_t src = (size_t)(uniform(seed) * 4.04);
    if (src > 4) src = 4;
    int visits = (int)(uniform(seed) * 20);
    double u = uniform(seed);
    std::string news = u < 0.1 ? "" : u < 0.55 ? "yes" : "no";
    double logit = -2.2 +
                   (src == 1   ? 1.0
                    : src == 2 ? 0.6
                    : src == 3 ? -0.5
                               : 0) +
                   0.08 * visits + (news == "yes" ? 0.7 : 0);
    bool y = uniform(seed) < 1 / (1 + std::exp(-logit));
    int duration = y ? 200 + (int)(uniform(seed) * 600) : (int)(uniform(seed) * 260);
    // visits: 0 is common and some are missing (in JsonLogic null == 0: the conditions must tell them apart)
    std::string visits_text = uniform(seed) < 0.05 ? "" : std::to_string(visits);
    csv += std::to_string(i + 1) + "," + sources[src] + "," + visits_text + "," + news + "," +
           std::to_string(duration) + "," + (y ? "yes" : "no") + "\n";
  }
  return csv;
}

struct Learned {
  std::shared_ptr<Table> table;
  Outcomes outcomes;
  LearnResult result;
};

Learned learn_synthetic(LearnOptions opt, size_t n = 4000) {
  Learned l;
  l.table = std::make_shared<Table>(load_table(synthetic_csv(n)));
  l.outcomes = outcomes_from_column(*l.table, "converted");
  l.result = learn(*l.table, l.outcomes, nullptr, opt);
  return l;
}

const LearnFeature& feature(const LearnResult& r, const std::string& name) {
  for (const auto& f : r.features)
    if (f.name == name) return f;
  throw std::runtime_error("no feature " + name);
}

TEST(Learn, LogisticSolutionMeetsOptimalityConditions) {
  LearnOptions opt;
  opt.c = 0.05;
  Learned l = learn_synthetic(opt);
  const LearnResult& r = l.result;
  ASSERT_GT(r.design_columns, 5u);
  // d/dw [C sum logloss + |w|^2/2] = C sum (p - y) x + w = 0; d/db = C sum (p - y) = 0.
  std::vector<double> grad(r.design_columns, 0.0);
  double grad_b = 0;
  const size_t nf = r.features.size();
  for (size_t i = 0; i < r.split.size(); ++i) {
    if (r.split[i] != 0) continue;
    double resid = r.probability[i] - r.y[i];
    grad_b += *r.c * resid;
    for (size_t f = 0; f < nf; ++f)
      if (int32_t lv = r.active[i * nf + f]; lv >= 0 && r.features[f].used)
        grad[(size_t)r.features[f].levels[lv].design] += *r.c * resid;
  }
  for (const auto& f : r.features)
    for (const auto& lv : f.levels)
      if (lv.design >= 0) {
        EXPECT_NEAR(grad[(size_t)lv.design] + lv.weight, 0, 1e-8) << f.name << " " << lv.label;
      }
  EXPECT_NEAR(grad_b, 0, 1e-8);
  EXPECT_GT(*r.auc_model, 0.65);
}

// A wide design as the solver meets it: 30 yes/no features (both levels are columns, so one is
// implied by the other) and a 4-level feature missing on some rows (no level implied).
struct WideDesign {
  std::vector<int32_t> x;
  std::vector<int8_t> y;
  std::vector<size_t> rows;
  size_t k = 31, columns = 64;
};
WideDesign wide_design(size_t n) {
  WideDesign w;
  uint64_t seed = 11;
  for (size_t i = 0; i < n; ++i) {
    double logit = -1;
    for (size_t f = 0; f < 30; ++f) {
      const bool yes = uniform(seed) < (f % 3 == 0 ? 0.8 : 0.5);
      w.x.push_back((int32_t)(2 * f + (yes ? 0 : 1)));
      logit += yes ? 0.1 * (double)(f % 7) - 0.3 : 0;
    }
    const double u = uniform(seed);
    w.x.push_back(u < 0.1 ? -1 : 60 + (int32_t)(u * 4) % 4);
    logit += u < 0.1 ? 0 : 0.4 * (double)((int32_t)(u * 4) % 4);
    w.y.push_back(uniform(seed) < 1 / (1 + std::exp(-logit)));
    w.rows.push_back(i);
  }
  return w;
}

// C sum (p - y) x + w (no penalty on the intercept) on the dense design: 0 at the optimum.
double largest_gradient(const WideDesign& w, const LogisticFit& fit, double c) {
  std::vector<double> g(w.columns + 1, 0.0);
  for (size_t i : w.rows) {
    double e = fit.intercept;
    for (size_t f = 0; f < w.k; ++f)
      if (int32_t a = w.x[i * w.k + f]; a >= 0) e += fit.w[(size_t)a];
    const double r = c * (1 / (1 + std::exp(-e)) - w.y[i]);
    g[0] += r;
    for (size_t f = 0; f < w.k; ++f)
      if (int32_t a = w.x[i * w.k + f]; a >= 0) g[(size_t)a + 1] += r;
  }
  double most = std::fabs(g[0]);
  for (size_t j = 0; j < w.columns; ++j) most = std::max(most, std::fabs(g[j + 1] + fit.w[j]));
  return most;
}

TEST(Learn, WideYesNoDesignSolvesToTheOptimumOnAnyPath) {
  const WideDesign w = wide_design(3000);
  const LogisticFit cold = fit_logistic(w.x, w.k, w.rows, w.y, w.columns, 10.0);
  ASSERT_TRUE(cold.converged);
  EXPECT_LT(largest_gradient(w, cold, 10.0), 1e-7);
  // Both levels of a yes/no column are penalised alike: at the optimum their weights cancel.
  for (size_t f = 0; f < 30; ++f) EXPECT_NEAR(cold.w[2 * f] + cold.w[2 * f + 1], 0, 1e-8) << f;
  // Warm-started from another C with its curvature as the preconditioner: the same optimum.
  LogisticCurvature curvature;
  const LogisticFit small = fit_logistic(w.x, w.k, w.rows, w.y, w.columns, 0.01, nullptr, 1e-10, &curvature);
  EXPECT_LT(largest_gradient(w, small, 0.01), 1e-7);
  const LogisticFit warm = fit_logistic(w.x, w.k, w.rows, w.y, w.columns, 10.0, &small, 1e-10, &curvature);
  ASSERT_TRUE(warm.converged);
  EXPECT_NEAR(warm.intercept, cold.intercept, 1e-8);
  for (size_t j = 0; j < w.columns; ++j) EXPECT_NEAR(warm.w[j], cold.w[j], 1e-8) << j;
  EXPECT_GT(warm.products, 0u);  // it did use the preconditioned solves
}

TEST(Learn, CrossValidationPicksFromTheGridAndIsDeterministic) {
  LearnOptions opt;
  opt.c_grid = {0.001, 0.1, 10};
  Learned a = learn_synthetic(opt), b = learn_synthetic(opt);
  ASSERT_EQ(a.result.cv.size(), 3u);
  ASSERT_TRUE(a.result.c);
  EXPECT_TRUE(*a.result.c == 0.001 || *a.result.c == 0.1 || *a.result.c == 10);
  size_t best = 0;
  for (size_t k = 1; k < 3; ++k)
    if (a.result.cv[k].log_loss < a.result.cv[best].log_loss) best = k;
  EXPECT_EQ(*a.result.c, a.result.cv[best].c);
  EXPECT_EQ(to_json(a.result).dump(), to_json(b.result).dump());
  opt.seed = 43;
  Learned c = learn_synthetic(opt);
  EXPECT_NE(c.result.split, a.result.split);
}

TEST(Learn, NaiveBayesWeightsAreSmoothedLogRatiosOfCounts) {
  LearnOptions opt;
  opt.model = "naive_bayes";
  Learned l = learn_synthetic(opt);
  const LearnResult& r = l.result;
  double n1 = 0, n0 = 0;
  for (size_t i = 0; i < r.split.size(); ++i)
    if (r.split[i] == 0) (r.y[i] ? n1 : n0) += 1;
  const LearnFeature& f = feature(r, "source");
  const double L = (double)f.levels.size();
  double sum_first = 0;  // the feature's shift: every level relative to the same baseline (none here)
  for (const auto& lv : f.levels) {
    double pos = (double)lv.positives, neg = (double)(lv.count - lv.positives);
    double want = std::log((pos + 1) / (n1 + L)) - std::log((neg + 1) / (n0 + L));
    EXPECT_NEAR(lv.weight, want, 1e-12) << lv.label;
    sum_first += lv.count;
  }
  EXPECT_EQ(sum_first, n1 + n0);
}

// The learned rule set, scored by the Scorer, gives every lead the model's points.
void expect_rule_set_scores_as_model(const Learned& l, bool rounded) {
  Scorer s(l.table);
  s.set_rules(learned_rule_set(l.result, rounded).dump());
  for (size_t i = 0; i < l.table->rows; ++i) {
    const double want = learned_lead(l.result, i)[rounded ? "points" : "exactPoints"].get<double>();
    if (rounded)
      ASSERT_EQ(s.results().total[i], want) << "lead " << i;
    else
      ASSERT_NEAR(s.results().total[i], want, 1e-9) << "lead " << i;
  }
}

TEST(Learn, LearnedRuleSetScoresExactlyAsTheModel) {
  Learned l = learn_synthetic({});
  expect_rule_set_scores_as_model(l, false);
  expect_rule_set_scores_as_model(l, true);
  // Points are offset + factor x log-odds: 600 at odds 1:19, 50 more per doubling.
  const LearnResult& r = l.result;
  for (size_t i = 0; i < 50; ++i) {
    double logit = std::log(r.probability[i] / (1 - r.probability[i]));
    EXPECT_NEAR(learned_lead(r, i)["exactPoints"].get<double>(), 600 + 50 / std::log(2.0) * (logit + std::log(19.0)),
                1e-6);
  }
}

// The ledger of a learned rule set: the model's probability and the learner's top factors.
TEST(Learn, LedgerOfTheLearnedRuleSetGivesTheModelsProbabilityAndFactors) {
  Learned l = learn_synthetic({});
  const json exact = learned_rule_set(l.result, false), rounded = learned_rule_set(l.result, true);
  Scorer s(l.table), t(l.table);
  s.set_rules(exact.dump());
  t.set_rules(rounded.dump());
  for (size_t i : {0u, 5u, 123u, 3999u}) {
    const json model = learned_lead(l.result, i, 3);
    const json mine = learned_explanation(exact["x-learned"], s.ledger(i), 3);
    ASSERT_TRUE(mine.is_object());
    EXPECT_NEAR(mine["probability"].get<double>(), l.result.probability[i], 1e-9) << i;
    ASSERT_EQ(mine["factors"].size(), model["factors"].size());
    for (size_t k = 0; k < model["factors"].size(); ++k) {
      EXPECT_EQ(mine["factors"][k]["feature"], model["factors"][k]["feature"]) << i << " " << k;
      EXPECT_NEAR(mine["factors"][k]["contribution"].get<double>(), model["factors"][k]["contribution"].get<double>(),
                  1e-9);
    }
    // rounded: the probability its rounded points stand for
    const json r = learned_explanation(rounded["x-learned"], t.ledger(i), 3);
    const double factor = rounded["x-learned"]["factor"].get<double>();
    const double logit = std::log(l.result.probability[i] / (1 - l.result.probability[i]));
    EXPECT_NEAR(r["logOdds"].get<double>(),
                logit + (model["points"].get<double>() - model["exactPoints"].get<double>()) / factor, 1e-9);
  }
  EXPECT_TRUE(learned_explanation(json::object(), s.ledger(0)).is_null());  // not a learned rule set
}

TEST(Learn, RoundingKeepsTheRangeAndTheRanking) {
  for (const char* scale : {"pdo", "0-100"}) {
    LearnOptions opt;
    opt.scale = scale;
    Learned l = learn_synthetic(opt);
    const LearnResult& r = l.result;
    EXPECT_EQ(r.rounded_min, std::lround(r.min_score)) << scale;
    EXPECT_EQ(r.rounded_max, std::lround(r.max_score)) << scale;
    if (std::string(scale) == "0-100") {
      EXPECT_EQ(r.rounded_min, 0);
      EXPECT_EQ(r.rounded_max, 100);
    }
    EXPECT_NEAR(*r.auc_rounded, *r.auc_points, 0.01) << scale;
    EXPECT_NEAR(*r.auc_points, *r.auc_model, 1e-12) << scale;  // a linear map of the log-odds
    Scorer s(l.table);
    s.set_rules(learned_rule_set(r).dump());
    for (double t : s.results().total) ASSERT_TRUE(t >= (double)r.rounded_min && t <= (double)r.rounded_max);
  }
}

TEST(Learn, FlagsLeakageAndLeavesItOut) {
  Learned l = learn_synthetic({});
  const LearnFeature& d = feature(l.result, "call_duration");
  EXPECT_EQ(d.flag, "leakage");
  EXPECT_FALSE(d.used);
  EXPECT_NE(d.reason.find("duration"), std::string::npos);
  EXPECT_TRUE(feature(l.result, "source").used);
  for (const auto& f : l.result.features) EXPECT_NE(f.name, "converted");  // the outcome is never a feature
  json rs = learned_rule_set(l.result);
  EXPECT_EQ(rs.dump().find("call_duration"), std::string::npos);
  LearnOptions keep;
  keep.keep = {"call_duration"};
  Learned k = learn_synthetic(keep);
  EXPECT_TRUE(feature(k.result, "call_duration").used);
  EXPECT_GT(*k.result.auc_model, *l.result.auc_model);
}

TEST(Learn, FlagsAColumnThatSeparatesTheOutcomes) {
  std::string csv = "copy,noise,won\n";
  uint64_t s = 3;
  for (int i = 0; i < 1500; ++i) {
    bool y = uniform(s) < 0.2;
    csv += std::string(y ? "W" : "L") + "," + std::to_string((int)(uniform(s) * 10)) + "," + (y ? "1" : "0") + "\n";
  }
  auto t = std::make_shared<Table>(load_table(csv));
  Outcomes o = outcomes_from_column(*t, "won");
  LearnResult r = learn(*t, o, nullptr, {});
  const LearnFeature& f = feature(r, "copy");
  EXPECT_EQ(f.flag, "leakage");
  EXPECT_FALSE(f.used);
  EXPECT_NE(f.reason.find("almost perfectly"), std::string::npos) << f.reason;
  EXPECT_GE(f.auc, 0.99);
}

TEST(Learn, RefusesTooLittleDataWithTheNumbers) {
  auto t = std::make_shared<Table>(load_table(synthetic_csv(600)));
  Outcomes o = outcomes_from_column(*t, "converted");
  try {
    learn(*t, o, nullptr, {});
    FAIL() << "learned from 600 leads";
  } catch (const MetricsError& e) {
    EXPECT_EQ(e.code, "too_little_data");
    std::string m = e.what();
    EXPECT_NE(m.find("1000 leads"), std::string::npos) << m;
    EXPECT_NE(m.find("120 conversions"), std::string::npos) << m;
    EXPECT_NE(m.find("600 known outcomes"), std::string::npos) << m;
    EXPECT_NE(m.find("400 more leads"), std::string::npos) << m;
  }
  LearnOptions small;
  small.min_leads = 500, small.min_positives = 50;
  EXPECT_NO_THROW(learn(*t, o, nullptr, small));
}

TEST(Learn, ProgressAndCancel) {
  auto t = std::make_shared<Table>(load_table(synthetic_csv(2000)));
  Outcomes o = outcomes_from_column(*t, "converted");
  std::vector<double> seen;
  LearnOptions opt;
  opt.progress = [&](double done, const std::string&) {
    seen.push_back(done);
    return done < 0.5;
  };
  try {
    learn(*t, o, nullptr, opt);
    FAIL() << "not cancelled";
  } catch (const MetricsError& e) {
    EXPECT_EQ(e.code, "cancelled");
  }
  ASSERT_GE(seen.size(), 3u);
  for (size_t k = 1; k < seen.size(); ++k) EXPECT_GE(seen[k], seen[k - 1]);
}

TEST(Learn, InStepsGivesTheSameResult) {
  auto t = std::make_shared<Table>(load_table(synthetic_csv(3000)));
  Outcomes o = outcomes_from_column(*t, "converted");
  LearnOptions opt;
  opt.folds = 3;
  Learner l(*t, o, nullptr, opt);
  std::vector<std::string> stages;
  do stages.push_back(l.stage());
  while (l.step());
  EXPECT_EQ(stages,
            (std::vector<std::string>{"cross-validation", "cross-validation", "cross-validation", "fit", "scorecard"}));
  EXPECT_EQ(l.done(), 1.0);
  EXPECT_EQ(to_json(l.take()).dump(), to_json(learn(*t, o, nullptr, opt)).dump());
}

TEST(Learn, MonotoneMergesBinsUntilTheRateOnlyRises) {
  // conversion rises with x except for a dip in the middle: merged away with `monotone`
  std::string csv = "x,won\n";
  uint64_t s = 5;
  for (int i = 0; i < 3000; ++i) {
    int x = (int)(uniform(s) * 100);
    double p = x < 40 ? 0.08 : x < 60 ? 0.05 : x < 80 ? 0.12 : 0.16;
    csv += std::to_string(x) + "," + (uniform(s) < p ? "1" : "0") + "\n";
  }
  auto t = std::make_shared<Table>(load_table(csv));
  Outcomes o = outcomes_from_column(*t, "won");
  LearnOptions opt;
  opt.bins = 5;
  const LearnFeature plain = feature(learn(*t, o, nullptr, opt), "x");
  opt.monotone = true;
  const LearnFeature mono = feature(learn(*t, o, nullptr, opt), "x");
  auto rates = [](const LearnFeature& f) {
    std::vector<double> r;
    for (const auto& l : f.levels) r.push_back((double)l.positives / (double)l.count);
    return r;
  };
  auto rising = [](const std::vector<double>& r) { return std::is_sorted(r.begin(), r.end()); };
  EXPECT_FALSE(rising(rates(plain)));
  EXPECT_TRUE(rising(rates(mono)));
  EXPECT_LT(mono.levels.size(), plain.levels.size());
}

TEST(Learn, OptionsFromJson) {
  LearnOptions o = LearnOptions::parse(json::parse(R"({"model":"naive_bayes","scale":"0-100","bins":4,"keep":["a"]})"));
  EXPECT_EQ(o.model, "naive_bayes");
  EXPECT_EQ(o.bins, 4u);
  EXPECT_THROW(LearnOptions::parse(json::parse(R"({"modle":"x"})")), MetricsError);
  EXPECT_THROW(LearnOptions::parse(json::parse(R"({"folds":1})")), MetricsError);
  EXPECT_THROW(LearnOptions::parse(json::parse(R"({"testShare":0})")), MetricsError);
  EXPECT_THROW(LearnOptions::parse(json::parse(R"({"baseOdds":-1})")), MetricsError);
}

TEST(Learn, MissingAndOtherAreLevelsOfTheirOwn) {
  Learned l = learn_synthetic({});
  std::vector<std::string> labels;
  for (const auto& lv : feature(l.result, "newsletter").levels) labels.push_back(lv.label);
  EXPECT_NE(std::find(labels.begin(), labels.end(), "missing"), labels.end());
  labels.clear();
  for (const auto& lv : feature(l.result, "source").levels) labels.push_back(lv.label);
  EXPECT_NE(std::find(labels.begin(), labels.end(), "other"), labels.end());  // "rare" has too little support
  EXPECT_EQ(std::find(labels.begin(), labels.end(), "rare"), labels.end());
}

TEST(Learn, BankMarketingFlagsDurationAndRoundsWithinAPoint) {
  auto t = std::make_shared<Table>(load_table_file(test::data_path("bank-marketing/bank-full.csv")));
  Outcomes o = outcomes_from_column(*t, "y");
  LearnResult r = learn(*t, o, nullptr, {});
  const LearnFeature& d = feature(r, "duration");
  EXPECT_EQ(d.flag, "leakage");
  EXPECT_FALSE(d.used);
  EXPECT_NE(d.reason.find("after the outcome"), std::string::npos) << d.reason;
  EXPECT_GT(*r.auc_model, 0.75);
  EXPECT_LT(*r.auc_model, 0.85);  // with duration it would be above 0.9
  EXPECT_NEAR(*r.auc_rounded, *r.auc_points, 0.01);
}

TEST(Learn, CurrentRulesBecomeFeaturesAndLendTheirTiers) {
  auto rs = parse_rule_set(test::read_file(test::source_path("samples/bank-rules.json")));
  auto t = std::make_shared<Table>(load_table_file(test::data_path("bank-marketing/bank-full.csv"), rs.load_options()));
  Scorer current(t);
  current.set_rules(rs);
  Outcomes o = outcomes_from_column(*t, "y");
  LearnOptions opt;
  opt.c = 0.1;
  LearnResult r = learn(*t, o, &current, opt);
  EXPECT_FALSE(r.rule_conditions_from.empty());
  EXPECT_EQ(feature(r, r.rule_conditions_from[0]).source, "rule");
  json learned = learned_rule_set(r);
  ASSERT_EQ(learned["tiers"].size(), 3u);
  EXPECT_EQ(learned["tiers"][0]["name"], "Hot");
  EXPECT_EQ(learned["tiers"][0]["action"], "Call this week");
  EXPECT_EQ(learned["fields"], to_json(rs)["fields"]);
  Scorer variant(t);
  variant.set_rules(learned.dump());  // opens as a variant on the same leads
  // the top tier holds about as many leads as under the current rules
  size_t hot_now = 0, hot_learned = 0;
  for (size_t i = 0; i < t->rows; ++i)
    hot_now += current.results().tier[i] == 0, hot_learned += variant.results().tier[i] == 0;
  EXPECT_NEAR((double)hot_learned, (double)hot_now, 0.02 * (double)t->rows);
}

TEST(Channels, CountsConversionAndLiftByValue) {
  auto t = std::make_shared<Table>(load_table("src,score,won\na,5,1\na,3,0\nb,1,0\nb,1,0\n,2,1\n"));
  Scorer s(t);
  s.set_rules(R"({"rules":[{"id":"r","points":1,"per":"score"}]})");
  Outcomes o = outcomes_from_column(*t, "won");
  json c = channel_quality(s, &o, "src", 20, 4);
  ASSERT_EQ(c["channels"].size(), 3u);
  EXPECT_EQ(c["channels"][0]["value"], "a");
  EXPECT_EQ(c["channels"][0]["leads"], 2);
  EXPECT_EQ(c["channels"][0]["mean"], 4.0);
  EXPECT_EQ(c["channels"][0]["rate"], 0.5);
  EXPECT_DOUBLE_EQ(c["channels"][0]["lift"].get<double>(), 0.5 / 0.4);
  EXPECT_EQ(c["channels"][1]["value"], "b");
  EXPECT_EQ(c["channels"][1]["rate"], 0.0);
  EXPECT_EQ(c["channels"][2]["value"], "(missing)");
  EXPECT_EQ(c["channels"][0]["histogram"], json::parse("[0,0,1,1]"));
  EXPECT_THROW(channel_quality(s, &o, "nope", 20, 4), MetricsError);
}

}  // namespace test_learn
