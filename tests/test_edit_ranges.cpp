// Single-rule edits with an index out of range (issue 28): Scorer::add_rule and move_rule refuse
// it with a RuleSetError of code "range" naming the index and the allowed range, and change
// nothing; index -1 appends. The bindings' checks of indexes that arrive as JS numbers are in
// tests/js/wasm-ranges.test.mjs.
#include <gtest/gtest.h>

#include <cmath>

#include "leadscore/scorer.h"

namespace test_edit_ranges {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;
using nlohmann::json;

namespace {

Scorer three_rules() {
  Scorer s(std::make_shared<Table>(load_table("id,n\n1,5\n2,7\n")));
  s.set_rules(
      std::string(R"({"rules": [{"id": "a", "points": 1}, {"id": "b", "points": 2}, {"id": "c", "points": 3}]})"));
  return s;
}

std::string ids(const Scorer& s) {
  std::string out;
  for (const auto& r : s.rules().rules) out += r.id;
  return out;
}

// The range error: code, where, and a message naming the index and the range.
template <class F>
void expect_range(F edit, const std::string& index, const std::string& range) {
  try {
    edit();
    ADD_FAILURE() << "accepted index " << index;
  } catch (const RuleSetError& e) {
    const Diagnostic& d = e.first_error();
    EXPECT_EQ(d.code, "range") << d.message;
    EXPECT_EQ(d.path, "rules") << d.message;
    EXPECT_NE(d.message.find("index " + index + " is out of range"), std::string::npos) << d.message;
    EXPECT_NE(d.message.find(range), std::string::npos) << d.message;
  }
}

}  // namespace

TEST(EditRanges, AddRuleInRangeInsertsAndMinusOneAppends) {
  Scorer s = three_rules();
  s.add_rule(json::parse(R"({"id": "x", "points": 1})"), 0);
  s.add_rule(json::parse(R"({"id": "y", "points": 1})"), 4);  // = the size: after the last
  s.add_rule(json::parse(R"({"id": "z", "points": 1})"), -1);
  s.add_rule(json::parse(R"({"id": "w", "points": 1})"));
  EXPECT_EQ(ids(s), "xabcyzw");
}

TEST(EditRanges, AddRulePastTheEndOrNegativeIsARangeErrorAndChangesNothing) {
  Scorer s = three_rules();
  const json rule = json::parse(R"({"id": "x", "points": 1})");
  expect_range([&] { s.add_rule(rule, 4); }, "4", "from 0 to 3 (or -1 to append)");
  expect_range([&] { s.add_rule(rule, 2000000000L); }, "2000000000", "from 0 to 3");  // (long is 32-bit in wasm)
  expect_range([&] { s.add_rule(rule, -2); }, "-2", "from 0 to 3");
  expect_range([&] { s.add_rule(rule, -1000); }, "-1000", "from 0 to 3");
  EXPECT_EQ(ids(s), "abc");
  EXPECT_EQ(s.results().total[0], 6);
}

TEST(EditRanges, MoveRuleOutOfRangeIsARangeErrorAndChangesNothing) {
  Scorer s = three_rules();
  s.move_rule("a", 2);
  EXPECT_EQ(ids(s), "bca");
  s.move_rule("a", 0);
  EXPECT_EQ(ids(s), "abc");
  expect_range([&] { s.move_rule("a", 3); }, "3", "from 0 to 2");
  expect_range([&] { s.move_rule("a", 4000000000UL); }, "4000000000", "from 0 to 2");  // (size_t is 32-bit in wasm)
  expect_range([&] { s.move_rule("a", (size_t)-1); }, sizeof(size_t) == 8 ? "1.84467e+19" : "4294967295",
               "from 0 to 2");
  EXPECT_EQ(ids(s), "abc");
  EXPECT_EQ(s.results().total[1], 6);
  EXPECT_THROW(s.move_rule("nope", 0), RuleSetError);  // an unknown id is still its own error
}

TEST(EditRanges, TheRangeErrorNamesIndexesThatArriveAsNumbers) {
  // What the bindings throw for a JS number that is no whole index.
  for (double bad : {0.5, -3.0, std::nan(""), 1e300}) {
    try {
      Scorer::throw_index_range("add_rule", bad, 3, true);
    } catch (const RuleSetError& e) {
      EXPECT_EQ(e.first_error().code, "range");
      EXPECT_NE(e.first_error().message.find("from 0 to 3 (or -1 to append)"), std::string::npos);
    }
  }
  try {
    Scorer::throw_index_range("move_rule", 0.5, 2, false);
  } catch (const RuleSetError& e) {
    EXPECT_NE(e.first_error().message.find("move_rule: index 0.5 is out of range; it takes a whole number from 0 to 2"),
              std::string::npos)
        << e.first_error().message;
  }
}

}  // namespace test_edit_ranges
