// Scorer::set_rules with `skipped`: rules that read a field the leads lack are scored as disabled
// and reported (the page and the CLI both rely on it); anything else wrong still refuses the set.
#include <gtest/gtest.h>

#include "leadscore/scorer.h"

namespace test_missing_fields {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;

namespace {

std::shared_ptr<const Table> leads() { return std::make_shared<Table>(load_table("title,size\nCEO,10\nIntern,300\n")); }

const char* kRules = R"({"rules": [
  {"id": "dm", "points": 20, "when": {"==": [{"var": "title"}, "CEO"]}},
  {"id": "rev", "points": 5, "when": {">": [{"var": "revenue"}, 100]}},
  {"id": "big", "points": 10, "when": {">=": [{"var": "size"}, 100]}}],
  "tiers": [{"name": "All"}]})";

}  // namespace

TEST(MissingFields, RulesOverAbsentColumnsAreSkippedAndTheRestScore) {
  Scorer s(leads());
  EXPECT_THROW(s.set_rules(std::string(kRules)), RuleSetError);  // plain set_rules refuses
  std::vector<SkippedRule> skipped;
  const Diagnostics w = s.set_rules(std::string(kRules), &skipped);
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].rule_id, "rev");
  EXPECT_EQ(skipped[0].field, "revenue");
  EXPECT_FALSE(skipped[0].message.empty());
  EXPECT_EQ(s.results().total, (std::vector<double>{20, 10}));
  EXPECT_TRUE(s.rules().rules[0].enabled);
  EXPECT_FALSE(s.rules().rules[1].enabled);  // scored as disabled
  for (const auto& d : w) EXPECT_FALSE(d.code == "unknown_field" && d.rule_id == "rev") << d.message;
  // A set that fits again clears the list.
  s.set_rules(std::string(R"({"rules": [{"id": "dm", "points": 1, "when": {"var": "title"}}]})"), &skipped);
  EXPECT_TRUE(skipped.empty());
}

TEST(MissingFields, AnyOtherErrorStillRefusesAndChangesNothing) {
  Scorer s(leads());
  std::vector<SkippedRule> skipped;
  s.set_rules(std::string(kRules), &skipped);
  const std::vector<double> before = s.results().total;
  const std::string bad = R"({"rules": [{"id": "rev", "points": 5, "when": {">": [{"var": "revenue"}, 1]}},
                                        {"id": "x", "points": 1, "when": {"frobnicate": [1]}}]})";
  EXPECT_THROW(s.set_rules(bad, &skipped), RuleSetError);
  EXPECT_EQ(s.results().total, before);
  EXPECT_EQ(s.rules().rules.size(), 3u);
}

}  // namespace test_missing_fields
