// One-rule edits on large tables update a group's sums by difference (add the new rule's points,
// subtract the old one's) instead of re-summing every rule, but only when that cannot change a
// bit: every contribution an integer and every partial sum below 2^52. These tests hold the
// scorer to "identical to a full re-score" on both sides of that line, and check that the fast
// path is really taken where it may be and never where it may not.
#include <gtest/gtest.h>

#include <random>

#include "scorer.h"

namespace test_scorer_delta {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;

namespace {

void expect_same_results(const Scorer& a, const Scorer& b, const std::string& what) {
  const Results &x = a.results(), &y = b.results();
  ASSERT_EQ(x.total, y.total) << what;
  ASSERT_EQ(x.groups, y.groups) << what;
  ASSERT_EQ(x.tier, y.tier) << what;
  ASSERT_EQ(x.fit_band, y.fit_band) << what;
  ASSERT_EQ(x.engagement_band, y.engagement_band) << what;
  ASSERT_EQ(x.sales_ready, y.sales_ready) << what;
}

std::shared_ptr<const Table> table(std::mt19937& rng, size_t rows, const std::string& big = "") {
  std::string csv = "a,b,n,d,big\n";
  const char* words[] = {"x", "y", "z", "N/A", ""};
  for (size_t i = 0; i < rows; ++i)
    csv += std::to_string(rng() % 50) + "," + words[rng() % 5] + "," + (rng() % 9 ? std::to_string(rng() % 20) : "") + "," + (rng() % 3 ? "yes" : "no") +
           "," + (big.empty() ? "1" : big) + "\n";
  return std::make_shared<Table>(load_table(csv));
}

json random_rule(std::mt19937& rng, int id, bool fractional) {
  json conds[] = {json::parse(R"({">=": [{"var": "a"}, 25]})"), json::parse(R"({"==": [{"var": "b"}, "x"]})"),
                  json::parse(R"({"<": [3, {"var": "n"}, 15]})"), json::parse(R"({"var": "d"})"),
                  json::parse(R"({"and": [{"var": "d"}, {"in": [{"var": "b"}, ["y", "z"]]}]})"), json::parse(R"({"missing": ["n"]})")};
  json r = {{"id", "r" + std::to_string(id)}, {"group", rng() % 2 ? "fit" : "engagement"}};
  r["points"] = fractional ? ((int)(rng() % 41) - 20) / 10.0 + 0.01 : (double)((int)(rng() % 41) - 20);
  if (rng() % 4 == 0) r["per"] = "n";
  else r["when"] = conds[rng() % 6];
  if (rng() % 3 == 0) r["max"] = 15;
  if (rng() % 3 == 0) r["min"] = -5;
  return r;
}

json rule_set(std::mt19937& rng, bool fractional) {
  json doc = {{"groups", json::parse(R"([{"id": "fit", "min": -10, "max": 40}, {"id": "engagement", "max": 35}])")},
              {"total", {{"min", 0}, {"max", 70}}},
              {"tiers", json::parse(R"([{"name": "A", "min": 30}, {"name": "B", "min": 10}, {"name": "C"}])")},
              {"matrix", json::parse(R"({"fit": {"bands": [{"label": "A", "min": 20}, {"label": "B"}]},
                                          "engagement": {"bands": [{"label": "1", "min": 10}, {"label": "2"}]}})")},
              {"rules", json::array()}};
  for (int i = 0; i < 10; ++i) doc["rules"].push_back(random_rule(rng, i, fractional));
  return doc;
}

// Random edits; returns how many set_rules calls updated at least one group by difference
// (and in *in_place how many updated the previous results in place, lead by lead).
size_t random_edits(std::mt19937& rng, std::shared_ptr<const Table> t, bool fractional, int steps, size_t* in_place = nullptr) {
  Scorer s(t);
  s.set_rules(rule_set(rng, fractional).dump());
  size_t delta = 0;
  int next_id = 100;
  for (int step = 0; step < steps; ++step) {
    const auto& rules = s.rules().rules;
    std::string id = rules[rng() % rules.size()].id;
    switch (rng() % 6) {
      case 0: s.add_rule(random_rule(rng, next_id++, fractional), (long)(rng() % (rules.size() + 1))); break;
      case 1:
      case 2: {
        json r = random_rule(rng, 0, fractional);
        r["id"] = id;
        s.replace_rule(id, r);
        break;
      }
      case 3: if (rules.size() > 3) s.remove_rule(id); break;
      case 4: s.set_enabled(id, rng() % 2); break;
      case 5: s.move_rule(id, rng() % rules.size()); break;
    }
    delta += s.last_delta_groups() > 0;
    if (in_place) *in_place += s.last_in_place();
    Scorer fresh(t);
    fresh.set_rules(s.rules());
    expect_same_results(s, fresh, "step " + std::to_string(step));
    if (::testing::Test::HasFatalFailure()) return delta;
  }
  return delta;
}

}  // namespace

TEST(ScorerDelta, IntegerEditsUseTheDifferenceAndEqualAFullRescore) {
  std::mt19937 rng(11);
  size_t in_place = 0;
  size_t delta = random_edits(rng, table(rng, 3000), false, 150, &in_place);
  EXPECT_GT(delta, 50u);     // most single-rule edits of an integer rule set take the fast path
  EXPECT_GT(in_place, 30u);  // and most of those patch only the changed leads' results
}

TEST(ScorerDelta, InPlaceEditsTouchOnlyChangedLeadsAndNeverSurviveAFrameChange) {
  auto t = std::make_shared<Table>(load_table("a,b\n1,x\n5,y\n9,x\n12,z\n20,x\n"));
  const char* rules = R"({"groups": [{"id": "fit", "max": 30}, {"id": "engagement"}],
    "tiers": [{"name": "Hot", "min": 15}, {"name": "Cold"}],
    "rules": [{"id": "big", "group": "fit", "points": 10, "when": {">=": [{"var": "a"}, 9]}},
              {"id": "x", "group": "fit", "points": 5, "when": {"==": [{"var": "b"}, "x"]}},
              {"id": "e", "group": "engagement", "points": 3, "when": {"<": [{"var": "a"}, 10]}}]})";
  Scorer s(t);
  s.set_rules(rules);
  EXPECT_FALSE(s.last_in_place());
  // a >= 9 -> a >= 5: only the lead with a = 5 changes.
  s.replace_rule("big", json::parse(R"({"id": "big", "group": "fit", "points": 10, "when": {">=": [{"var": "a"}, 5]}})"));
  EXPECT_TRUE(s.last_in_place());
  EXPECT_EQ(s.last_patched_leads(), 1u);
  Scorer fresh(t);
  fresh.set_rules(s.rules());
  expect_same_results(s, fresh, "in place");
  EXPECT_EQ(s.results().total, (std::vector<double>{8, 13, 18, 10, 15}));  // a = 5: 3 + 10 (was 3)
  EXPECT_EQ(s.results().tier, (std::vector<int32_t>{1, 1, 0, 1, 0}));
  // New tier thresholds re-total every lead.
  RuleSet rs = s.rules();
  rs.tiers[0].min = 12;
  s.set_rules(rs);
  EXPECT_FALSE(s.last_in_place());
  Scorer fresh2(t);
  fresh2.set_rules(rs);
  expect_same_results(s, fresh2, "new tiers");
}

TEST(ScorerDelta, FractionalPointsAreAlwaysResummedInRuleOrder) {
  std::mt19937 rng(12);
  EXPECT_EQ(random_edits(rng, table(rng, 2000), true, 100), 0u);
}

TEST(ScorerDelta, OrderMattersForFractionsAndTheScorerKeepsRuleOrder) {
  // (0.1 + 0.2) + 0.3 != 0.1 + (0.2 + 0.3) in binary floating point: a difference update would
  // get the other rounding. Moving and replacing rules must give the rule-order sum.
  auto t = std::make_shared<Table>(load_table("a\n1\n2\n"));
  Scorer s(t);
  s.set_rules(R"({"rules": [{"id": "p1", "points": 0.1}, {"id": "p2", "points": 0.2}, {"id": "p3", "points": 0.3}]})");
  EXPECT_EQ(s.results().total[0], (0.1 + 0.2) + 0.3);
  s.move_rule("p1", 2);
  EXPECT_EQ(s.results().total[0], (0.2 + 0.3) + 0.1);
  EXPECT_NE((0.2 + 0.3) + 0.1, (0.1 + 0.2) + 0.3);
  s.replace_rule("p2", json::parse(R"({"id": "p2", "points": 0.25})"));
  EXPECT_EQ(s.results().total[0], (0.25 + 0.3) + 0.1);
  EXPECT_EQ(s.last_delta_groups(), 0u);
}

TEST(ScorerDelta, HugePerUnitValuesAreNotExact) {
  // 10 x 9e15 per lead exceeds 2^52: sums may round, so edits re-sum in rule order.
  std::mt19937 rng(13);
  auto t = table(rng, 500, "900000000000000");
  Scorer s(t);
  s.set_rules(R"({"rules": [{"id": "big", "points": 10, "per": "big"}, {"id": "a", "points": 1, "when": {">": [{"var": "a"}, 10]}}]})");
  s.replace_rule("a", json::parse(R"({"id": "a", "points": 3, "when": {">": [{"var": "a"}, 20]}})"));
  EXPECT_EQ(s.last_delta_groups(), 0u);
  Scorer fresh(t);
  fresh.set_rules(s.rules());
  expect_same_results(s, fresh, "huge");
  // The same edit without the huge rule takes the fast path.
  Scorer small(t);
  small.set_rules(R"({"rules": [{"id": "n", "points": 2, "per": "n"}, {"id": "a", "points": 1, "when": {">": [{"var": "a"}, 10]}}]})");
  small.replace_rule("a", json::parse(R"({"id": "a", "points": 3, "when": {">": [{"var": "a"}, 20]}})"));
  EXPECT_EQ(small.last_delta_groups(), 1u);
}

}  // namespace test_scorer_delta
