// Numbers that could overflow a total (issue 28): a per-unit rule whose points times some lead's
// value (after the rule's own caps) passes kMaxUnitPoints is an error naming the rule, the field
// and the lead, and the previous scores stay; within the limit every total is finite, even with
// kMaxRules such rules. The check skips the scan of the leads only when no lead can pass the
// limit (both caps, or |points| x the column's largest |value| within it), so these tests put the
// offending value in every position and storage, and edit after the maximum was cached. Also the
// rule-set size limit, checked before parsing.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "leadscore/limits.h"
#include "leadscore/rules.h"
#include "leadscore/scorer.h"

namespace test_number_limits {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;

namespace {

std::shared_ptr<Table> table(const std::string& csv) { return std::make_shared<Table>(load_table(csv)); }

std::string per_rule(const std::string& id, double points, const std::string& extra = "") {
  char p[64];
  snprintf(p, sizeof p, "%.17g", points);
  return R"({"id": ")" + id + R"(", "points": )" + p + R"(, "per": "x")" + extra + "}";
}

std::string set_of(const std::string& rules) { return R"({"rules": [)" + rules + "]}"; }

// The error a per-unit overflow must give.
void expect_overflow(Scorer& s, const std::string& rules, const std::string& rule_id, const std::string& where) {
  try {
    s.set_rules(set_of(rules));
    ADD_FAILURE() << "accepted " << rules;
  } catch (const RuleSetError& e) {
    const Diagnostic& d = e.first_error();
    EXPECT_EQ(d.code, "limit") << d.message;
    EXPECT_EQ(d.rule_id, rule_id) << d.message;
    EXPECT_EQ(d.field, "x") << d.message;
    EXPECT_NE(d.message.find(where), std::string::npos) << d.message;
  }
}

}  // namespace

TEST(NumberLimits, PerUnitAtTheLimitScoresPastItIsAnError) {
  // The huge value first, last, negative, after a missing one; stored as doubles (F64).
  const std::pair<std::string, std::string> cases[] = {{"x\n1e300\n5\n", "lead 1 (line 2)"},
                                                       {"x\n5\n-1e300\n", "lead 2 (line 3)"},
                                                       {"x,y\n0.5,a\n,b\n1e300,c\n", "lead 3 (line 4)"}};
  for (const auto& [csv, where] : cases) {
    Scorer s(table(csv));
    s.set_rules(set_of(per_rule("p", 1)));
    for (double t : s.results().total) EXPECT_TRUE(std::isfinite(t)) << csv;
    const std::vector<double> before = s.results().total;
    expect_overflow(s, per_rule("p", 2), "p", where);
    EXPECT_EQ(s.results().total, before) << "a refused edit changes nothing";
    EXPECT_EQ(s.rules().rules[0].points, 1);
  }
}

TEST(NumberLimits, CapsOrAFalseConditionKeepAPerUnitRuleWithinTheLimit) {
  Scorer s(table("x,flag\n1e300,no\n7,yes\n"));
  s.set_rules(set_of(per_rule("capped", 1e15, R"(, "min": -10, "max": 10)")));
  EXPECT_EQ(s.results().total[0], 10);
  EXPECT_EQ(s.results().total[1], 10);
  // One cap is not enough on the side it does not bound.
  expect_overflow(s, per_rule("low", 1e15, R"(, "min": -10)"), "low", "lead 1 (line 2)");
  // The lead with the huge value does not meet the condition: nothing can overflow.
  s.set_rules(set_of(per_rule("only_yes", 1e15, R"(, "when": {"==": [{"var": "flag"}, true]})")));
  EXPECT_EQ(s.results().total[1], 7e15);
  // ... and does: an error, though the column's largest value was known before.
  expect_overflow(s, per_rule("only_no", 1e15, R"(, "when": {"==": [{"var": "flag"}, false]})"), "only_no",
                  "lead 1 (line 2)");
}

TEST(NumberLimits, EveryStorageOfTheColumnIsChecked) {
  // Small counts (one byte), whole numbers (four bytes) and whole days (dates) are stored
  // narrowly: the largest magnitude must come out of each the same as out of doubles.
  struct Case {
    std::string csv;
    double biggest;
  } cases[] = {{"x\n3\n200\n\n", 200},
               {"x\n-2000000000\n7\n", 2e9},
               {"x\n1.5\n-4.25\n", 4.25},
               {"x\n2024-03-01\n1970-01-02\n", 1709251200000.0}};
  for (const auto& c : cases) {
    const Table t = load_table(c.csv);
    EXPECT_EQ(t.columns[0].num.max_abs(), c.biggest) << c.csv;
    double plain = 0;
    for (size_t i = 0; i < t.rows; ++i)
      if (!t.columns[0].num.is_missing(i)) plain = std::max(plain, std::fabs(t.columns[0].num[i]));
    EXPECT_EQ(t.columns[0].num.max_abs(), plain) << c.csv;
  }
  EXPECT_EQ(Values().max_abs(), 0);
  // Points (at most 1e15) that pass the limit only with the largest value of the column.
  Scorer s(table("x\n3\n2e285\n-7\n"));
  s.set_rules(set_of(per_rule("p", 4e14)));
  expect_overflow(s, per_rule("p", 6e14), "p", "lead 2 (line 3)");
}

TEST(NumberLimits, TheMostRulesAtTheLargestPointsStayFinite) {
  std::string rules;
  for (size_t i = 0; i < kMaxRules; ++i) rules += (i ? "," : "") + per_rule("r" + std::to_string(i), 1);
  Scorer s(table("x\n1e300\n-1e300\n"));
  s.set_rules(set_of(rules));
  EXPECT_TRUE(std::isfinite(s.results().total[0]) && s.results().total[0] > 1e303) << s.results().total[0];
  EXPECT_TRUE(std::isfinite(s.results().total[1]) && s.results().total[1] < -1e303) << s.results().total[1];
}

TEST(NumberLimits, ARuleSetOverTheSizeLimitIsRefusedBeforeParsing) {
  std::string text(kMaxRuleSetBytes + 1, ' ');
  try {
    parse_rule_set(text);
    ADD_FAILURE() << "accepted " << text.size() << " bytes";
  } catch (const RuleSetError& e) {
    EXPECT_EQ(e.first_error().code, "limit");
    EXPECT_NE(e.first_error().message.find("larger than 64 MiB"), std::string::npos) << e.what();
  }
  // (The byte just below the limit is parsed like any text: not repeated here, 64 MiB of JSON
  // parsing would cost seconds; the CLI test reads a 500 MB file to the limit.)
}

}  // namespace test_number_limits
