// One-rule edits on large tables update a group's sums by difference (add the new rule's points,
// subtract the old one's) instead of re-summing every rule, but only when that cannot change a
// bit: every contribution an integer and every partial sum below 2^52. These tests hold the
// scorer to "identical to a full re-score" on both sides of that line, and check that the fast
// path is really taken where it may be and never where it may not.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <random>

#include "leadscore/scorer.h"

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
  // == cannot tell 0 from -0.0: the bits must be the same too.
  ASSERT_EQ(std::memcmp(x.total.data(), y.total.data(), x.total.size() * sizeof(double)), 0) << what;
  for (size_t g = 0; g < x.groups.size(); ++g)
    ASSERT_EQ(std::memcmp(x.groups[g].data(), y.groups[g].data(), x.groups[g].size() * sizeof(double)), 0) << what;
}

void expect_same_summary(const Summary& a, const Summary& b, const std::string& what) {
  ASSERT_EQ(a.rows, b.rows) << what;
  ASSERT_EQ(a.tiers, b.tiers) << what;
  ASSERT_EQ(a.sales_ready, b.sales_ready) << what;
  ASSERT_EQ(a.histogram, b.histogram) << what;
  ASSERT_TRUE(std::memcmp(&a.min, &b.min, 8) == 0 && std::memcmp(&a.max, &b.max, 8) == 0 &&
              std::memcmp(&a.mean, &b.mean, 8) == 0)
      << what << ": " << a.min << " " << a.max << " " << a.mean << " vs " << b.min << " " << b.max << " " << b.mean;
}

// The summary an edited scorer gives (from its exact counts of totals when it has them, kept up
// to date by in-place edits) equals one computed by passes over a fresh scorer's totals, for a
// few bin counts. Returns whether the counts were there.
bool check_summaries(const Scorer& s, const Scorer& fresh, const std::string& what) {
  for (size_t bins : {1, 7, 20}) {
    expect_same_summary(summarize(s, bins), summarize(fresh, bins, false),
                        what + ", " + std::to_string(bins) + " bins");
    if (::testing::Test::HasFatalFailure()) return false;
  }
  const TotalCounts* c = s.total_counts();
  if (c) {  // the counts themselves: every total counted once, at its value
    std::map<double, size_t> want, got;
    for (double v : fresh.results().total) want[v]++;
    for (size_t k = 0; k < c->count.size(); ++k)
      if (c->count[k]) got[c->lo + (double)k] = c->count[k];
    EXPECT_EQ(got, want) << what;
  }
  return c != nullptr;
}

std::shared_ptr<const Table> table(std::mt19937& rng, size_t rows, const std::string& big = "") {
  std::string csv = "a,b,n,d,big\n";
  const char* words[] = {"x", "y", "z", "N/A", ""};
  for (size_t i = 0; i < rows; ++i)
    csv += std::to_string(rng() % 50) + "," + words[rng() % 5] + "," + (rng() % 9 ? std::to_string(rng() % 20) : "") +
           "," + (rng() % 3 ? "yes" : "no") + "," + (big.empty() ? "1" : big) + "\n";
  return std::make_shared<Table>(load_table(csv));
}

json random_rule(std::mt19937& rng, int id, bool fractional) {
  json conds[] = {json::parse(R"({">=": [{"var": "a"}, 25]})"),
                  json::parse(R"({"==": [{"var": "b"}, "x"]})"),
                  json::parse(R"({"<": [3, {"var": "n"}, 15]})"),
                  json::parse(R"({"var": "d"})"),
                  json::parse(R"({"and": [{"var": "d"}, {"in": [{"var": "b"}, ["y", "z"]]}]})"),
                  json::parse(R"({"missing": ["n"]})")};
  json r = {{"id", "r" + std::to_string(id)}, {"group", rng() % 2 ? "fit" : "engagement"}};
  r["points"] = fractional ? ((int)(rng() % 41) - 20) / 10.0 + 0.01 : (double)((int)(rng() % 41) - 20);
  if (rng() % 4 == 0)
    r["per"] = "n";
  else
    r["when"] = conds[rng() % 6];
  if (rng() % 3 == 0) r["max"] = 15;
  if (rng() % 3 == 0) r["min"] = -5;
  return r;
}

json rule_set(std::mt19937& rng, bool fractional, bool fractional_caps = false) {
  json doc = {
      {"groups", fractional_caps
                     ? json::parse(R"([{"id": "fit", "min": -10, "max": 40.1}, {"id": "engagement", "max": 35.3}])")
                     : json::parse(R"([{"id": "fit", "min": -10, "max": 40}, {"id": "engagement", "max": 35}])")},
      {"total", {{"min", 0}, {"max", 70}}},
      {"tiers", json::parse(R"([{"name": "A", "min": 30}, {"name": "B", "min": 10}, {"name": "C"}])")},
      {"matrix", json::parse(R"({"fit": {"bands": [{"label": "A", "min": 20}, {"label": "B"}]},
                                          "engagement": {"bands": [{"label": "1", "min": 10}, {"label": "2"}]}})")},
      {"rules", json::array()}};
  for (int i = 0; i < 10; ++i) doc["rules"].push_back(random_rule(rng, i, fractional));
  return doc;
}

// Random edits; returns how many set_rules calls updated at least one group by difference
// (and in *in_place how many updated the previous results in place, lead by lead, and in
// *counted after how many the summary came from exact counts of the totals).
size_t random_edits(std::mt19937& rng, std::shared_ptr<const Table> t, bool fractional, int steps,
                    size_t* in_place = nullptr, size_t* counted = nullptr, bool fractional_caps = false) {
  Scorer s(t);
  s.set_rules(rule_set(rng, fractional, fractional_caps).dump());
  size_t delta = 0;
  int next_id = 100;
  for (int step = 0; step < steps; ++step) {
    const auto& rules = s.rules().rules;
    std::string id = rules[rng() % rules.size()].id;
    switch (rng() % 6) {
      case 0:
        s.add_rule(random_rule(rng, next_id++, fractional), (long)(rng() % (rules.size() + 1)));
        break;
      case 1:
      case 2: {
        json r = random_rule(rng, 0, fractional);
        r["id"] = id;
        s.replace_rule(id, r);
        break;
      }
      case 3:
        if (rules.size() > 3) s.remove_rule(id);
        break;
      case 4:
        s.set_enabled(id, rng() % 2);
        break;
      case 5:
        s.move_rule(id, rng() % rules.size());
        break;
    }
    delta += s.last_delta_groups() > 0;
    if (in_place) *in_place += s.last_in_place();
    Scorer fresh(t);
    fresh.set_rules(s.rules());
    expect_same_results(s, fresh, "step " + std::to_string(step));
    if (::testing::Test::HasFatalFailure()) return delta;
    const bool c = check_summaries(s, fresh, "step " + std::to_string(step));
    if (counted) *counted += c;
    if (::testing::Test::HasFatalFailure()) return delta;
  }
  return delta;
}

}  // namespace

TEST(ScorerDelta, IntegerEditsUseTheDifferenceAndEqualAFullRescore) {
  std::mt19937 rng(11);
  size_t in_place = 0, counted = 0;
  size_t delta = random_edits(rng, table(rng, 3000), false, 150, &in_place, &counted);
  EXPECT_GT(delta, 50u);     // most single-rule edits of an integer rule set take the fast path
  EXPECT_GT(in_place, 30u);  // and most of those patch only the changed leads' results
  EXPECT_EQ(counted, 150u);  // integer totals: summaries always come from the counts
}

TEST(ScorerDelta, FractionalGroupCapsStillPatchInPlaceAndSummariseAlike) {
  // Group sums are exact but a capped group score (40.1) is not an integer: totals are summed
  // again in group order for the patched leads, and the summaries come from passes.
  std::mt19937 rng(13);
  size_t in_place = 0, counted = 0;
  random_edits(rng, table(rng, 3000), false, 120, &in_place, &counted, true);
  EXPECT_GT(in_place, 20u);
  EXPECT_LT(counted, 120u);
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
  s.replace_rule("big",
                 json::parse(R"({"id": "big", "group": "fit", "points": 10, "when": {">=": [{"var": "a"}, 5]}})"));
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

TEST(ScorerDelta, EveryWayOfFindingTheChangedLeadsGivesAFullRescoresResults) {
  // An in-place edit finds the leads whose sums changed in one of three ways: one condition
  // replaced with the same points (the two masks' fired bits compared eight leads at a time),
  // other fixed-points edits (only leads where one of the rules fired), and per-unit rules
  // (their contributions summed). 4,099 leads: two full blocks of 2,048, a tail that is not a
  // multiple of eight.
  std::mt19937 rng(21);
  auto t = table(rng, 4099);
  Scorer s(t);
  s.set_rules(rule_set(rng, false).dump());
  const json conds[] = {json::parse(R"({">=": [{"var": "a"}, 25]})"),   json::parse(R"({">=": [{"var": "a"}, 26]})"),
                        json::parse(R"({"<": [3, {"var": "n"}, 15]})"), json::parse(R"({"==": [{"var": "b"}, "x"]})"),
                        json::parse(R"({"missing": ["n"]})"),           json::parse(R"({"var": "d"})")};
  size_t in_place = 0, patched = 0;
  auto check = [&](const std::string& what) {
    in_place += s.last_in_place();
    patched += s.last_patched_leads();
    Scorer fresh(t);
    fresh.set_rules(s.rules());
    expect_same_results(s, fresh, what);
    check_summaries(s, fresh, what);
  };
  json r = {{"id", "probe"}, {"group", "fit"}, {"points", 7}, {"when", conds[0]}};
  s.add_rule(r);
  check("added");
  for (int step = 0; step < 24 && !::testing::Test::HasFatalFailure(); ++step) {
    switch (step % 4) {
      case 0:  // same points, new condition
      case 1:
        r["when"] = conds[rng() % 6];
        break;
      case 2:
        r["points"] = (int)(rng() % 21) - 10;
        break;  // new points, same condition (0 included)
      case 3:
        r["when"] = conds[rng() % 6], r["points"] = (int)(rng() % 21) - 10;
        break;
    }
    s.replace_rule("probe", r);
    check("step " + std::to_string(step) + ": " + r.dump());
  }
  json per = {{"id", "per"}, {"group", "engagement"}, {"points", 2}, {"per", "n"}, {"max", 15}};
  s.add_rule(per);
  check("per-unit added");
  for (int p : {3, -1, 3}) {
    per["points"] = p;
    s.replace_rule("per", per);
    check("per-unit points " + std::to_string(p));
  }
  EXPECT_GE(in_place, 20u);   // the edits above were patched in place...
  EXPECT_GT(patched, 2000u);  // ...and moved leads
}

TEST(ScorerDelta, FractionalPointsAreAlwaysResummedInRuleOrder) {
  std::mt19937 rng(12);
  size_t counted = 0;
  EXPECT_EQ(random_edits(rng, table(rng, 2000), true, 100, nullptr, &counted), 0u);
  EXPECT_LT(counted, 100u);  // fractional totals: summaries from passes over the totals
}

TEST(ScorerDelta, CountsOfTotalsFollowEditsBeyondTheirRange) {
  auto t = std::make_shared<Table>(load_table("a\n1\n2\n3\n4\n5\n"));
  const char* rules = R"({"tiers": [{"name": "Hot", "min": 500}, {"name": "Cold"}], "salesReady": 5,
    "rules": [{"id": "big", "points": 10, "when": {">=": [{"var": "a"}, 3]}}]})";
  Scorer s(t);
  s.set_rules(rules);
  Summary first = summarize(s, 4);
  ASSERT_NE(s.total_counts(), nullptr);
  EXPECT_EQ(first.tiers, (std::vector<size_t>{0, 5}));
  EXPECT_EQ(first.histogram, (std::vector<size_t>{2, 0, 0, 3}));
  EXPECT_EQ(first.sales_ready, 3u);
  EXPECT_EQ(first.mean, 6.0);
  // Far beyond the counted range: the in-place edit drops the counts, the next summary rebuilds them.
  s.replace_rule("big", json::parse(R"({"id": "big", "points": 100000, "when": {">=": [{"var": "a"}, 2]}})"));
  ASSERT_TRUE(s.last_in_place());
  Summary second = summarize(s, 4);
  EXPECT_EQ(second.tiers, (std::vector<size_t>{4, 1}));
  EXPECT_EQ(second.max, 100000.0);
  EXPECT_EQ(second.mean, 80000.0);
  EXPECT_EQ(second.histogram, (std::vector<size_t>{1, 0, 0, 4}));
  expect_same_summary(second, summarize(s, 4, false), "rebuilt");
  // Non-integer totals: no counts, the same summary from the passes.
  s.replace_rule("big", json::parse(R"({"id": "big", "points": 0.5, "when": {">=": [{"var": "a"}, 2]}})"));
  EXPECT_EQ(s.total_counts(), nullptr);
  EXPECT_EQ(summarize(s, 4).mean, 0.4);
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
  s.set_rules(
      R"({"rules": [{"id": "big", "points": 10, "per": "big"}, {"id": "a", "points": 1, "when": {">": [{"var": "a"}, 10]}}]})");
  s.replace_rule("a", json::parse(R"({"id": "a", "points": 3, "when": {">": [{"var": "a"}, 20]}})"));
  EXPECT_EQ(s.last_delta_groups(), 0u);
  Scorer fresh(t);
  fresh.set_rules(s.rules());
  expect_same_results(s, fresh, "huge");
  // The same edit without the huge rule takes the fast path.
  Scorer small(t);
  small.set_rules(
      R"({"rules": [{"id": "n", "points": 2, "per": "n"}, {"id": "a", "points": 1, "when": {">": [{"var": "a"}, 10]}}]})");
  small.replace_rule("a", json::parse(R"({"id": "a", "points": 3, "when": {">": [{"var": "a"}, 20]}})"));
  EXPECT_EQ(small.last_delta_groups(), 1u);
}

}  // namespace test_scorer_delta
