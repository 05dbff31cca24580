// Comparing variants A and B on the small hand-computed case (tests/metrics_cases.h): tier and
// cell migration, sales-ready crossings, histograms, movers with ledger diffs, capacity, the
// leads of a migration cell; and invariants on random rule sets.
#include <gtest/gtest.h>

#include <random>

#include "leadscore/compare.h"
#include "metrics_cases.h"
#include "test_util.h"

namespace test_compare {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;
using namespace leadscore::test;
using nlohmann::json;

namespace {

struct Pair {
  std::shared_ptr<Table> table = std::make_shared<Table>(load_table(small_leads()));
  Scorer a{table}, b{table};
  Outcomes o = outcomes_from_column(*table, "y");
  Pair() {
    a.set_rules(small_rules(20, 10));
    b.set_rules(small_rules(5, 25));
  }
};

}  // namespace

TEST(Compare, HandComputedMigration) {
  Pair p;
  json c = compare(p.a, p.b, {});
  EXPECT_EQ(c["rows"], 12);
  EXPECT_EQ(c["changed"], 5);  // leads 3, 4, 5, 6, 11
  EXPECT_EQ(c["tiers"]["from"], (json{"Hot", "Warm", "Cold"}));
  EXPECT_EQ(c["tiers"]["counts"], (json{{2, 0, 0}, {0, 0, 2}, {3, 0, 5}}));
  EXPECT_EQ(c["cells"]["from"], (json{"A1", "A2", "B1", "B2"}));
  EXPECT_EQ(c["cells"]["counts"], (json{{0, 0, 2, 0}, {0, 0, 0, 2}, {0, 0, 3, 0}, {0, 0, 0, 5}}));
  EXPECT_EQ(c["salesReady"], (json{{"up", 3}, {"down", 0}, {"both", 2}, {"neither", 7}}));
  EXPECT_EQ(c["histogram"]["edges"].size(), 21u);  // 20 bins by default
  EXPECT_EQ(c["a"]["salesReady"], 2);
  EXPECT_EQ(c["b"]["salesReady"], 5);
  EXPECT_EQ(c["a"]["threshold"], 25.0);
  EXPECT_FALSE(c.contains("evaluation"));
  EXPECT_FALSE(c.contains("capacity"));
  // movers: all five moved by 15; ties in lead order
  ASSERT_EQ(c["movers"].size(), 5u);
  std::vector<int> leads;
  for (const auto& m : c["movers"]) leads.push_back(m["lead"]);
  EXPECT_EQ(leads, (std::vector<int>{2, 3, 4, 5, 10}));
  json m = c["movers"][0];
  EXPECT_EQ(m["a"], 20.0);
  EXPECT_EQ(m["b"], 5.0);
  EXPECT_EQ(m["delta"], -15.0);
  EXPECT_EQ(m["tierA"], "Warm");
  EXPECT_EQ(m["tierB"], "Cold");
  EXPECT_EQ(m["cellA"], "A2");
  EXPECT_EQ(m["cellB"], "B2");
  EXPECT_EQ(m["line"], 4);
  ASSERT_EQ(m["rules"].size(), 1u);
  EXPECT_EQ(m["rules"][0], (json{{"id", "r1"},
                                 {"label", "r1"},
                                 {"a", 20.0},
                                 {"b", 5.0},
                                 {"delta", -15.0},
                                 {"firedA", true},
                                 {"firedB", true},
                                 {"inA", true},
                                 {"inB", true}}));
  EXPECT_EQ(m["groups"][0], (json{{"id", "fit"}, {"a", 20.0}, {"b", 5.0}, {"delta", -15.0}}));
  EXPECT_EQ(c["movers"][2]["rules"][0]["id"], "r2");
  CompareOptions few;
  few.movers = 2;
  EXPECT_EQ(compare(p.a, p.b, few)["movers"].size(), 2u);
}

TEST(Compare, Histogram) {
  Pair p;
  CompareOptions o;
  o.bins = 3;
  json h = compare(p.a, p.b, o)["histogram"];
  EXPECT_EQ(h["edges"], (json{0.0, 10.0, 20.0, 30.0}));
  EXPECT_EQ(h["a"], (json{5, 3, 4}));
  EXPECT_EQ(h["b"], (json{7, 0, 5}));
}

TEST(Compare, CapacityAndEvaluations) {
  Pair p;
  CompareOptions o;
  o.outcomes = &p.o;
  o.capacity = Capacity{false, 5};
  json c = compare(p.a, p.b, o);
  EXPECT_EQ(c["capacity"]["capacity"], 5);
  // A: 30, 30, 20, 20 fit (the three 10s would make 7); 3 of the 4 converted
  EXPECT_EQ(c["capacity"]["a"]["threshold"], 20.0);
  EXPECT_EQ(c["capacity"]["a"]["selected"], 4);
  EXPECT_EQ(c["capacity"]["a"]["conversions"], 3);
  EXPECT_EQ(c["capacity"]["a"]["precision"], 0.75);
  EXPECT_EQ(c["capacity"]["a"]["recall"], 0.75);
  // B: 30, 30, 25, 25, 25; lead 6 unknown, so 4 known, 1 converted
  EXPECT_EQ(c["capacity"]["b"]["threshold"], 25.0);
  EXPECT_EQ(c["capacity"]["b"]["selected"], 5);
  EXPECT_EQ(c["capacity"]["b"]["selectedKnown"], 4);
  EXPECT_EQ(c["capacity"]["b"]["precision"], 0.25);
  EXPECT_EQ(c["capacity"]["b"]["recall"], 0.25);
  EXPECT_NEAR(c["evaluation"]["a"]["roc"]["auc"].get<double>(), 17.0 / 24, 1e-15);
  EXPECT_TRUE(leadscore::test::json_same(c["evaluation"]["b"], evaluate(p.b, p.o, {})));
  o.capacity = Capacity{false, 3};
  c = compare(p.a, p.b, o);
  EXPECT_EQ(c["capacity"]["a"]["threshold"], 30.0);
  EXPECT_EQ(c["capacity"]["b"]["threshold"], 30.0);
  EXPECT_EQ(c["capacity"]["b"]["selected"], 2);
  o.capacity = Capacity{false, 1};
  c = compare(p.a, p.b, o);
  EXPECT_TRUE(c["capacity"]["a"]["threshold"].is_null());
  EXPECT_NE(c["capacity"]["a"]["reason"].get<std::string>().find("shared by 2 leads"), std::string::npos);
  // without outcomes: capacity thresholds but no precision
  CompareOptions q;
  q.capacity = Capacity{true, 0.5};
  c = compare(p.a, p.b, q);
  EXPECT_EQ(c["capacity"]["capacity"], 6);
  EXPECT_TRUE(c["capacity"]["a"]["precision"].is_null());
  EXPECT_TRUE(c["capacity"]["a"].contains("reason"));
}

TEST(Compare, ListMigration) {
  Pair p;
  EXPECT_EQ(list_migration(p.a, p.b, "tier", "Cold", "Hot"), (std::vector<int32_t>{4, 5, 10}));
  EXPECT_EQ(list_migration(p.a, p.b, "tier", "Warm", "Cold"), (std::vector<int32_t>{2, 3}));
  EXPECT_EQ(list_migration(p.a, p.b, "tier", "Cold", "Cold", 2), (std::vector<int32_t>{6, 7}));
  EXPECT_EQ(list_migration(p.a, p.b, "cell", "A1", "B1"), (std::vector<int32_t>{0, 1}));
  EXPECT_TRUE(list_migration(p.a, p.b, "tier", "Hot", "Cold").empty());
  try {
    list_migration(p.a, p.b, "tier", "Lukewarm", "Hot");
    FAIL();
  } catch (const MetricsError& e) {
    EXPECT_EQ(e.code, "unknown_tier");
    EXPECT_NE(std::string(e.what()).find("Hot, Warm, Cold"), std::string::npos);
  }
  EXPECT_THROW(list_migration(p.a, p.b, "cell", "Z9", "B1"), MetricsError);
  EXPECT_THROW(list_migration(p.a, p.b, "band", "A1", "B1"), MetricsError);
}

TEST(Compare, RulesOnlyInOneVariantAndDifferentTiers) {
  Pair p;
  Scorer b(p.table);
  b.set_rules(
      R"({"rules": [{"id": "r2", "points": 25, "when": {"var": "flag"}}, {"id": "new", "points": 3, "when": {"==": [{"var": "y"}, "no"]}}],
                  "tiers": [{"name": "Top", "min": 20}, {"name": "Rest"}]})");
  json c = compare(p.a, b, {});
  EXPECT_TRUE(c["cells"].is_null());
  EXPECT_EQ(c["tiers"]["to"], (json{"Top", "Rest"}));
  EXPECT_EQ(c["b"]["threshold"], 20.0);  // default: the top tier's min
  // lead 1 (index 0): A 30 = r1 20 + r2 10; B 25 = r2 25 -> r1 gone (-20), r2 +15
  for (const auto& m : c["movers"]) {
    if (m["lead"] != 0) continue;
    ASSERT_EQ(m["rules"].size(), 2u);
    EXPECT_EQ(m["rules"][0]["id"], "r1");
    EXPECT_EQ(m["rules"][0]["inB"], false);
    EXPECT_EQ(m["rules"][0]["delta"], -20.0);
    EXPECT_EQ(m["rules"][1]["id"], "r2");
    EXPECT_EQ(m["rules"][1]["delta"], 15.0);
  }
  // lead 2 (index 1, y = no): B gives r2 25 + new 3
  bool seen = false;
  for (const auto& m : c["movers"])
    if (m["lead"] == 1) {
      seen = true;
      EXPECT_EQ(m["b"], 28.0);
      bool has_new = false;
      for (const auto& r : m["rules"]) has_new |= r["id"] == "new" && r["inA"] == false && r["firedB"] == true;
      EXPECT_TRUE(has_new);
    }
  EXPECT_TRUE(seen);
}

TEST(Compare, InvariantsOnRandomVariants) {
  // Migration counts add up to the tier counts; crossings add up; the sum of rule deltas equals
  // the total delta when no cap clips; movers are sorted.
  auto table = std::make_shared<Table>(load_table(small_leads(5)));
  std::mt19937 rng(11);
  for (int trial = 0; trial < 20; ++trial) {
    Scorer a(table), b(table);
    a.set_rules(small_rules((double)(rng() % 40) - 10, (double)(rng() % 40) - 10));
    b.set_rules(small_rules((double)(rng() % 40) - 10, (double)(rng() % 40) - 10));
    CompareOptions o;
    o.movers = 1000;
    json c = compare(a, b, o);
    size_t total = 0;
    for (size_t i = 0; i < 3; ++i) {
      size_t row = 0, col = 0;
      for (size_t j = 0; j < 3; ++j)
        row += c["tiers"]["counts"][i][j].get<size_t>(), col += c["tiers"]["counts"][j][i].get<size_t>();
      EXPECT_EQ(row, c["a"]["tiers"][i]["count"].get<size_t>());
      EXPECT_EQ(col, c["b"]["tiers"][i]["count"].get<size_t>());
      total += row;
    }
    EXPECT_EQ(total, table->rows);
    auto sr = c["salesReady"];
    EXPECT_EQ(
        sr["up"].get<size_t>() + sr["down"].get<size_t>() + sr["both"].get<size_t>() + sr["neither"].get<size_t>(),
        table->rows);
    EXPECT_EQ(sr["both"].get<size_t>() + sr["up"].get<size_t>(), c["b"]["salesReady"].get<size_t>());
    EXPECT_EQ(c["movers"].size(), c["changed"].get<size_t>());
    double prev = 1e300;
    for (const auto& m : c["movers"]) {
      double d = std::fabs(m["delta"].get<double>());
      EXPECT_LE(d, prev);
      prev = d;
      double sum = 0;
      for (const auto& r : m["rules"]) sum += r["delta"].get<double>();
      EXPECT_EQ(sum, m["delta"].get<double>());  // small_rules has no caps
    }
  }
}

TEST(Compare, DifferentLeadsAreRefused) {
  Pair p;
  auto other = std::make_shared<Table>(load_table(small_leads(2)));
  Scorer c(other);
  c.set_rules(small_rules(1, 1));
  try {
    compare(p.a, c, {});
    FAIL();
  } catch (const MetricsError& e) {
    EXPECT_EQ(e.code, "mismatch");
  }
}

}  // namespace test_compare
