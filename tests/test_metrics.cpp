// Metrics against hand-computed numbers (tests/metrics_cases.h) and against independent
// reference computations: AUC by counting pairs (Mann-Whitney), capacity by brute force.
// scikit-learn itself is the reference in tests/metrics/sklearn_check.py (ctest metrics_sklearn).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

#include "leadscore/metrics.h"
#include "metrics_cases.h"
#include "test_util.h"

namespace test_metrics {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;
using namespace leadscore::test;
using nlohmann::json;

namespace {

struct Case {
  std::shared_ptr<Table> table;
  Scorer scorer;
  Outcomes outcomes;
  Case(const std::string& csv, const std::string& rules, const std::string& outcome = "y")
      : table(std::make_shared<Table>(load_table(csv))), scorer(table), outcomes() {
    scorer.set_rules(rules);
    outcomes = outcomes_from_column(*table, outcome);
  }
};

// Every number in the report is finite (NaN would be dumped as null without a reason).
void expect_finite(const json& j, const std::string& path = "") {
  if (j.is_number_float()) {
    EXPECT_TRUE(std::isfinite(j.get<double>())) << path;
  }
  if (j.is_array())
    for (size_t i = 0; i < j.size(); ++i) expect_finite(j[i], path + "[" + std::to_string(i) + "]");
  if (j.is_object())
    for (auto it = j.begin(); it != j.end(); ++it) expect_finite(it.value(), path + "." + it.key());
}

std::set<std::string> codes(const json& warnings) {
  std::set<std::string> s;
  for (const auto& w : warnings) s.insert(w["code"].get<std::string>());
  return s;
}

// AUC as the probability that a random positive outscores a random negative (ties count half).
double pair_auc(const std::vector<double>& s, const std::vector<int8_t>& y) {
  double num = 0, den = 0;
  for (size_t i = 0; i < s.size(); ++i)
    for (size_t j = 0; j < s.size(); ++j)
      if (y[i] == 1 && y[j] == 0) num += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0, den += 1;
  return num / den;
}

}  // namespace

TEST(Metrics, RocCurveLikeSklearnDocExample) {
  // sklearn.metrics.roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]):
  // fpr [0, 0, .5, .5, 1], tpr [0, .5, .5, 1, 1], thresholds [1.8, .8, .4, .35, .1]
  RocCurve c = roc_curve({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1});
  EXPECT_EQ(c.fpr, (std::vector<double>{0, 0, 0.5, 0.5, 1}));
  EXPECT_EQ(c.tpr, (std::vector<double>{0, 0.5, 0.5, 1, 1}));
  EXPECT_EQ(std::vector<double>(c.threshold.begin() + 1, c.threshold.end()),
            (std::vector<double>{0.8, 0.4, 0.35, 0.1}));
  EXPECT_TRUE(std::isinf(c.threshold[0]));
  EXPECT_DOUBLE_EQ(auc(c), 0.75);
}

TEST(Metrics, TiesGiveDiagonalSegments) {
  // Three leads tied at 1 (two positives, one negative): one step to (0.5, 1), not a staircase.
  RocCurve c = roc_curve({1, 1, 1, 0}, {1, 0, 1, 0});
  EXPECT_EQ(c.fpr, (std::vector<double>{0, 0.5, 1}));
  EXPECT_EQ(c.tpr, (std::vector<double>{0, 1, 1}));
  EXPECT_DOUBLE_EQ(auc(c), 0.75);
  // drop_intermediate: collinear points go, the area stays. sklearn: roc_curve([1, 1, 1, 0, 0],
  // [5, 4, 3, 2, 1]) = fpr [0, 0, 0, 1], tpr [0, 1/3, 1, 1], thresholds [6, 5, 3, 1].
  RocCurve full = roc_curve({5, 4, 3, 2, 1}, {1, 1, 1, 0, 0}, false),
           dropped = roc_curve({5, 4, 3, 2, 1}, {1, 1, 1, 0, 0});
  EXPECT_EQ(full.fpr.size(), 6u);
  EXPECT_EQ(dropped.fpr, (std::vector<double>{0, 0, 0, 1}));
  EXPECT_EQ(dropped.tpr, (std::vector<double>{0, 1.0 / 3, 1, 1}));
  EXPECT_EQ(std::vector<double>(dropped.threshold.begin() + 1, dropped.threshold.end()),
            (std::vector<double>{5, 3, 1}));
  EXPECT_EQ(auc(full), auc(dropped));
}

TEST(Metrics, AucEqualsPairCountingOnRandomTiedData) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 40; ++trial) {
    size_t n = 5 + rng() % 200;
    int levels = 1 + rng() % 6;  // few distinct scores: many ties
    std::vector<double> s(n);
    std::vector<int8_t> y(n);
    for (size_t i = 0; i < n; ++i) {
      s[i] = (double)(rng() % levels) * 2.5;
      int r = rng() % 10;
      y[i] = r == 0 ? -1 : (rng() % 100) < 20 + 10 * s[i] ? 1 : 0;
    }
    std::string why;
    auto a = roc_auc(s, y, &why);
    size_t pos = std::count(y.begin(), y.end(), 1), neg = std::count(y.begin(), y.end(), 0);
    if (!pos || !neg) {
      EXPECT_FALSE(a);
      EXPECT_FALSE(why.empty());
      continue;
    }
    ASSERT_TRUE(a);
    EXPECT_NEAR(*a, pair_auc(s, y), 1e-12) << "trial " << trial;
  }
}

TEST(Metrics, AucUndefinedCases) {
  std::string why;
  EXPECT_FALSE(roc_auc({1, 2, 3}, {1, 1, 1}, &why));
  EXPECT_NE(why.find("every lead"), std::string::npos);
  EXPECT_FALSE(roc_auc({1, 2, 3}, {0, 0, -1}, &why));
  EXPECT_NE(why.find("no lead with a known outcome converted"), std::string::npos);
  EXPECT_FALSE(roc_auc({1, 2}, {-1, -1}, &why));
  EXPECT_EQ(why, "no lead has a known outcome");
}

TEST(Metrics, CapacityThresholdNeverExceedsCapacity) {
  std::vector<double> s = {5, 3, 5, 3, 1, 3};
  EXPECT_EQ(capacity_threshold(s, 0), std::nullopt);
  EXPECT_EQ(capacity_threshold(s, 1), std::nullopt);  // two leads share the top score
  EXPECT_EQ(capacity_threshold(s, 2), 5.0);
  EXPECT_EQ(capacity_threshold(s, 4), 5.0);
  EXPECT_EQ(capacity_threshold(s, 5), 3.0);
  EXPECT_EQ(capacity_threshold(s, 6), 1.0);
  EXPECT_EQ(capacity_threshold(s, 100), 1.0);
  // Brute force: the lowest score t with #{>= t} <= k.
  std::mt19937 rng(3);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<double> v(1 + rng() % 40);
    for (auto& x : v) x = rng() % 7;
    size_t k = rng() % 45;
    std::optional<double> want;
    for (double t : v) {
      size_t c = std::count_if(v.begin(), v.end(), [&](double x) { return x >= t; });
      if (c <= k && (!want || t < *want)) want = t;
    }
    EXPECT_EQ(capacity_threshold(v, k), want);
  }
}

TEST(Metrics, CapacityParsing) {
  EXPECT_EQ(Capacity::parse_text("500").leads(10000), 500u);
  EXPECT_EQ(Capacity::parse_text("10%").leads(45211), 4521u);
  EXPECT_EQ(Capacity::parse_text("0.25").leads(100), 25u);
  EXPECT_EQ(Capacity::parse(json{{"share", 0.1}}).leads(1000), 100u);
  EXPECT_EQ(Capacity::parse(json{{"count", 7}}).leads(1000), 7u);
  EXPECT_EQ(Capacity::parse(json(12)).leads(5), 12u);
  for (const char* bad : {"", "abc", "-3", "150%", "1.5", "10 leads"})
    EXPECT_THROW(Capacity::parse_text(bad), MetricsError) << bad;
  EXPECT_THROW(Capacity::parse(json{{"share", 2}}), MetricsError);
  EXPECT_THROW(Capacity::parse(json("x")), MetricsError);
}

TEST(Metrics, HandComputedEvaluation) {
  Case c(small_leads(), small_rules(20, 10));
  json e = evaluate(c.scorer, c.outcomes, {});
  expect_finite(e);
  EXPECT_EQ(e["rows"], 12);
  EXPECT_EQ(e["known"], 10);
  EXPECT_EQ(e["positives"], 4);
  EXPECT_EQ(e["unknown"], 2);
  EXPECT_DOUBLE_EQ(e["baseRate"].get<double>(), 0.4);
  // tiers: Hot {1,2}, Warm {3,4}, Cold {5..12}
  EXPECT_EQ(e["tiers"][0], (json{{"tier", "Hot"}, {"count", 2}, {"known", 2}, {"positives", 1}, {"rate", 0.5}}));
  EXPECT_EQ(e["tiers"][1], (json{{"tier", "Warm"}, {"count", 2}, {"known", 2}, {"positives", 2}, {"rate", 1.0}}));
  EXPECT_EQ(e["tiers"][2]["count"], 8);
  EXPECT_EQ(e["tiers"][2]["known"], 6);
  EXPECT_EQ(e["tiers"][2]["positives"], 1);
  EXPECT_DOUBLE_EQ(e["tiers"][2]["rate"].get<double>(), 1.0 / 6);
  // cells A1 {1,2}, A2 {3,4}, B1 {5,6,11}, B2 {7,8,9,10,12}
  ASSERT_EQ(e["cells"].size(), 4u);
  EXPECT_EQ(e["cells"][0]["cell"], "A1");
  EXPECT_EQ(e["cells"][2], (json{{"cell", "B1"},
                                 {"fit", "B"},
                                 {"engagement", "1"},
                                 {"count", 3},
                                 {"known", 2},
                                 {"positives", 0},
                                 {"rate", 0.0}}));
  EXPECT_EQ(e["cells"][3]["count"], 5);
  EXPECT_EQ(e["cells"][3]["known"], 4);
  EXPECT_EQ(e["cells"][3]["positives"], 1);
  // deciles: 10 known leads ranked 1,2,3,4,5,11,7,8,9,12 (ties in lead order): one each
  ASSERT_EQ(e["deciles"].size(), 10u);
  std::vector<int> pos;
  for (const auto& d : e["deciles"]) {
    EXPECT_EQ(d["count"], 1);
    pos.push_back(d["positives"].get<int>());
  }
  EXPECT_EQ(pos, (std::vector<int>{1, 0, 1, 1, 0, 0, 0, 1, 0, 0}));
  EXPECT_DOUBLE_EQ(e["deciles"][0]["lift"].get<double>(), 2.5);
  EXPECT_EQ(e["deciles"][1]["lift"], 0.0);
  EXPECT_EQ(e["deciles"][5]["maxScore"], 10.0);  // lead 11
  EXPECT_EQ(e["deciles"][6]["maxScore"], 0.0);
  // AUC: 17 of 24 positive/negative pairs (ties half)
  EXPECT_NEAR(e["roc"]["auc"].get<double>(), 17.0 / 24, 1e-15);
  json pts = e["roc"]["points"];
  ASSERT_EQ(pts.size(), 5u);
  EXPECT_TRUE(pts[0]["threshold"].is_null());
  std::vector<double> fpr, tpr, thr;
  for (const auto& p : pts) fpr.push_back(p["fpr"]), tpr.push_back(p["tpr"]);
  for (size_t i = 1; i < pts.size(); ++i) thr.push_back(pts[i]["threshold"]);
  EXPECT_EQ(fpr, (std::vector<double>{0, 1.0 / 6, 1.0 / 6, 3.0 / 6, 1}));
  EXPECT_EQ(tpr, (std::vector<double>{0, 0.25, 0.75, 0.75, 1}));
  EXPECT_EQ(thr, (std::vector<double>{30, 20, 10, 0}));
  // sales-ready = Hot (>= 25): leads 1, 2
  json sr = e["salesReady"];
  EXPECT_EQ(sr["threshold"], 25.0);
  EXPECT_EQ(sr["selected"], 2);
  EXPECT_EQ(sr["conversions"], 1);
  EXPECT_EQ(sr["precision"], 0.5);
  EXPECT_EQ(sr["recall"], 0.25);
  EXPECT_EQ(sr["shareOfConversions"], 0.25);
  EXPECT_EQ(sr["tp"], 1);
  EXPECT_EQ(sr["fp"], 1);
  EXPECT_EQ(sr["fn"], 3);
  EXPECT_EQ(sr["tn"], 5);
  EXPECT_FALSE(sr.contains("reason"));
  // rules: r1 fires on 1-4 (known 4, 3 converted) vs 6 known, 1 converted
  json r1 = e["rules"][0];
  EXPECT_EQ(r1["fired"], 4);
  EXPECT_EQ(r1["whenFired"], (json{{"count", 4}, {"known", 4}, {"positives", 3}, {"rate", 0.75}}));
  EXPECT_EQ(r1["whenNotFired"]["known"], 6);
  EXPECT_EQ(r1["whenNotFired"]["positives"], 1);
  EXPECT_DOUBLE_EQ(r1["lift"].get<double>(), 0.75 / 0.4);
  // z = (3/4 - 1/6) / sqrt(0.4 * 0.6 * (1/4 + 1/6)) = 0.58333 / 0.31623
  EXPECT_NEAR(r1["z"].get<double>(), (0.75 - 1.0 / 6) / std::sqrt(0.24 * (0.25 + 1.0 / 6)), 1e-12);
  EXPECT_EQ(r1["flags"], json::array({"no_lift"}));  // |z| = 1.84 < 1.96 on 10 leads
  EXPECT_TRUE(e["columns"].is_array());
  EXPECT_EQ(e["review"], (json{{"rules", 2}, {"enabled", 2}, {"limit", 100}, {"over", false}}));
  EXPECT_EQ(codes(e["warnings"]), (std::set<std::string>{"no_lift"}));
}

TEST(Metrics, RuleFlagsAndLeakageOnMoreLeads) {
  // Ten copies of the small case: same rates, z grows by sqrt(10).
  Case c(small_leads(10), small_rules(20, 10, R"(,
      {"id": "never", "points": 5, "when": {"==": [{"var": "title"}, "Z"]}},
      {"id": "almost", "points": 1, "when": {"!": {"==": [{"var": "id"}, 1]}}},
      {"id": "off", "points": 1, "enabled": false})"));
  json e = evaluate(c.scorer, c.outcomes, {});
  expect_finite(e);
  std::map<std::string, json> flags;
  for (const auto& r : e["rules"]) flags[r["id"]] = r["flags"];
  EXPECT_EQ(flags["r1"], json::array());
  EXPECT_EQ(flags["r2"], json::array({"opposite_lift"}));  // +10 points, 25 % vs 50 %: z = -2.5
  EXPECT_EQ(flags["never"], json::array({"never_fires"}));
  EXPECT_EQ(flags["almost"], json::array({"nearly_always", "no_lift"}));  // 119 of 120
  EXPECT_EQ(flags["off"], json::array({"disabled"}));
  // status is "closed" exactly for converted leads: a leak; y itself is not listed.
  ASSERT_FALSE(e["columns"].empty());
  EXPECT_EQ(e["columns"][0]["column"], "status");
  EXPECT_EQ(e["columns"][0]["auc"], 1.0);
  EXPECT_EQ(e["columns"][0]["how"], "category");
  EXPECT_TRUE(e["columns"][0]["leak"].get<bool>());
  for (const auto& col : e["columns"]) {
    EXPECT_NE(col["column"], "y");
    if (col["column"] != "status") {
      EXPECT_FALSE(col["leak"].get<bool>()) << col.dump();
    }
  }
  // title alone: 1900 of 2400 pairs
  for (const auto& col : e["columns"])
    if (col["column"] == "title") {
      EXPECT_NEAR(col["auc"].get<double>(), 1900.0 / 2400, 1e-12);
    }
  auto w = codes(e["warnings"]);
  for (const char* k : {"leakage", "opposite_lift", "never_fires", "nearly_always"}) EXPECT_TRUE(w.count(k)) << k;
  EXPECT_FALSE(evaluate(c.scorer, c.outcomes, {std::nullopt, false})["columns"].size());
  // the column scan is kept with the outcomes: a second evaluation (another rule set) reuses it
  ASSERT_TRUE(c.outcomes.column_signals);
  EXPECT_TRUE(json_same(e, evaluate(c.scorer, c.outcomes, {})));
  c.scorer.set_rules(small_rules(20, 10));
  json e2 = evaluate(c.scorer, c.outcomes, {});
  EXPECT_TRUE(json_same(e["columns"], e2["columns"]));
  Outcomes fresh = outcomes_from_column(*c.table, "y");
  EXPECT_TRUE(json_same(e2, evaluate(c.scorer, fresh, {})));
}

TEST(Metrics, AllPositiveAllNegativeAndNoOutcomes) {
  std::string rules = small_rules(20, 10);
  struct {
    const char* y;
    const char* code;
  } cases[] = {{"yes", "one_class"}, {"no", "one_class"}, {"maybe", "no_outcomes"}};
  for (const auto& k : cases) {
    std::string csv = "id,title,flag,y\n";
    for (int i = 0; i < 30; ++i)
      csv += std::to_string(i) + "," + (i % 3 ? "A" : "C") + "," + (i % 2 ? "yes" : "no") + "," + k.y + "\n";
    Case c(csv, rules);
    EvaluateOptions opt;
    opt.capacity = Capacity{false, 5};
    json e = evaluate(c.scorer, c.outcomes, opt);
    expect_finite(e);
    EXPECT_TRUE(e["roc"]["auc"].is_null()) << k.y;
    EXPECT_FALSE(e["roc"]["reason"].get<std::string>().empty());
    EXPECT_TRUE(e["roc"]["points"].empty());
    EXPECT_TRUE(codes(e["warnings"]).count(k.code)) << k.y;
    EXPECT_TRUE(e["columns"].empty());
    for (const auto& r : e["rules"]) EXPECT_TRUE(r["z"].is_null());
    if (std::string(k.y) == "yes") {
      EXPECT_EQ(e["baseRate"], 1.0);
      EXPECT_EQ(e["salesReady"]["precision"], 1.0);
      EXPECT_EQ(e["salesReady"]["recall"], e["salesReady"]["conversions"].get<double>() / 30);
    } else if (std::string(k.y) == "no") {
      EXPECT_EQ(e["baseRate"], 0.0);
      EXPECT_EQ(e["salesReady"]["precision"], 0.0);
      EXPECT_TRUE(e["salesReady"]["recall"].is_null());
      EXPECT_NE(e["salesReady"]["reason"].get<std::string>().find("recall"), std::string::npos);
      for (const auto& d : e["deciles"]) EXPECT_TRUE(d["lift"].is_null());
    } else {
      EXPECT_TRUE(e["baseRate"].is_null());
      EXPECT_TRUE(e["deciles"].empty());
      EXPECT_TRUE(e["salesReady"]["precision"].is_null());
      EXPECT_TRUE(e["capacity"]["precision"].is_null());
      EXPECT_TRUE(e["salesReady"].contains("reason"));
      for (const auto& t : e["tiers"]) EXPECT_TRUE(t["rate"].is_null());
    }
  }
}

TEST(Metrics, OutcomesOfOtherLeadsAreRefused) {
  Case c(small_leads(), small_rules(20, 10));
  Table other = load_table(small_leads());
  Outcomes o = outcomes_from_column(other, "y");
  try {
    evaluate(c.scorer, o, {});
    FAIL();
  } catch (const MetricsError& e) {
    EXPECT_EQ(e.code, "mismatch");
  }
}

TEST(Metrics, NoSalesReadyThresholdSaysSo) {
  Case c(small_leads(), R"({"rules": [{"id": "r1", "points": 1, "when": {"==": [{"var": "title"}, "A"]}}]})");
  json e = evaluate(c.scorer, c.outcomes, {});
  EXPECT_TRUE(e["salesReady"]["threshold"].is_null());
  EXPECT_EQ(e["salesReady"]["selected"], 0);
  EXPECT_NE(e["salesReady"]["reason"].get<std::string>().find("salesReady"), std::string::npos);
  EXPECT_TRUE(e["cells"].empty());
}

TEST(Metrics, ReviewWarningAbove100Rules) {
  std::string rules = R"({"rules": [)";
  for (int i = 0; i < 101; ++i)
    rules += std::string(i ? "," : "") + R"({"id": "r)" + std::to_string(i) +
             R"(", "points": 1, "when": {"==": [{"var": "title"}, "A"]}})";
  rules += "]}";
  Case c(small_leads(), rules);
  json e = evaluate(c.scorer, c.outcomes, {});
  EXPECT_EQ(e["review"]["over"], true);
  EXPECT_EQ(e["review"]["rules"], 101);
  EXPECT_TRUE(codes(e["warnings"]).count("review"));
  // the core's own warning uses the same limit
  bool core_review = false;
  for (const auto& w : c.scorer.warnings()) core_review |= w.code == "review";
  EXPECT_TRUE(core_review);
}

TEST(Metrics, DecilesWithFewerThanTenKnownLeads) {
  Case c("id,title,flag,y\n1,A,yes,yes\n2,C,no,no\n3,A,no,no\n", small_rules(20, 10));
  json e = evaluate(c.scorer, c.outcomes, {});
  ASSERT_EQ(e["deciles"].size(), 3u);
  EXPECT_EQ(e["deciles"][0]["maxScore"], 30.0);
  EXPECT_EQ(e["deciles"][2]["minScore"], 0.0);
}

}  // namespace test_metrics
