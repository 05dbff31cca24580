// ls:same and ls:in, the case- and accent-insensitive text operators (docs/rules.md): their
// meaning on texts, numbers, lists and missing values, and the plan the compiler gives them on a
// text column (one evaluation per distinct value, not one per lead). The same operators are
// checked against an independent JavaScript definition registered in json-logic-engine by
// tests/js/gen-differential.mjs (tests/fixtures/differential/cases.json, test_differential.cpp).
#include <gtest/gtest.h>

#include "jsonlogic/text_fold.h"
#include "leadscore/jsonlogic.h"
#include "rules/compiler.h"

namespace test_text_operators {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;
using json = nlohmann::json;

bool truthy(const char* logic, const char* data = "{}") {
  return jsonlogic::apply(json::parse(logic), json::parse(data)) == json(true);
}

TEST(TextOperators, FoldDropsCaseAndLatinAccents) {
  using leadscore::detail::fold_text;
  EXPECT_EQ(fold_text("CEO"), "ceo");
  EXPECT_EQ(fold_text("Zoë Ÿ ÀÉÎÕÜ Ç Ñ ß Æ Ø Ł"), "zoe y aeiou c n ß æ ø ł");
  EXPECT_EQ(fold_text("Dvořák Šťastný"), "dvorak stastny");
  EXPECT_EQ(fold_text("ΣΊΣΥΦΟΣ ✓"), "ΣΊΣΥΦΟΣ ✓");                        // outside the Latin range: as it is
  EXPECT_EQ(fold_text(std::string("\xC3", 1)), std::string("\xC3", 1));  // a cut UTF-8 sequence stays
}

TEST(TextOperators, SameComparesFoldedText) {
  EXPECT_TRUE(truthy(R"({"ls:same": [{"var": "t"}, "ceo"]})", R"({"t": "CEO"})"));
  EXPECT_TRUE(truthy(R"({"ls:same": [{"var": "t"}, "cafe"]})", R"({"t": "CAFÉ"})"));
  EXPECT_FALSE(truthy(R"({"ls:same": [{"var": "t"}, "ceo"]})", R"({"t": " CEO"})"));  // spaces count
  EXPECT_TRUE(truthy(R"({"ls:same": [{"var": "n"}, "5"]})", R"({"n": 5})"));          // String(5)
  EXPECT_FALSE(truthy(R"({"ls:same": [{"var": "t"}, "ceo"]})", R"({})"));             // missing: no match
  EXPECT_FALSE(truthy(R"({"ls:same": [{"var": "t"}, null]})", R"({"t": "null"})"));
}

TEST(TextOperators, InMatchesListsAndSubstrings) {
  EXPECT_TRUE(truthy(R"({"ls:in": [{"var": "t"}, ["ceo", "vp"]]})", R"({"t": "VP"})"));
  EXPECT_FALSE(truthy(R"({"ls:in": [{"var": "t"}, ["ceo", "vp"]]})", R"({"t": "VP Sales"})"));
  EXPECT_TRUE(truthy(R"({"ls:in": ["vp", {"var": "t"}]})", R"({"t": "Senior VP of Sales"})"));
  EXPECT_TRUE(truthy(R"({"ls:in": ["director", {"var": "t"}]})", R"({"t": "DIRECTÖR"})"));
  EXPECT_FALSE(truthy(R"({"ls:in": ["vp", {"var": "t"}]})", R"({})"));
  EXPECT_FALSE(truthy(R"({"ls:in": [{"var": "t"}, ["ceo", null]]})", R"({})"));
  EXPECT_TRUE(truthy(R"({"ls:in": [30, ["30", "45"]]})"));
}

TEST(TextOperators, CompiledPerDistinctValueOnTextColumns) {
  Table table = load_table("title\nCEO\nceo\nCafé\nVP\n\nZoë\n");
  RuleSet rs;
  for (const char* when :
       {R"({"ls:same": [{"var": "title"}, "cafe"]})", R"({"ls:in": [{"var": "title"}, ["ceo", "zoe"]]})",
        R"({"ls:in": ["e", {"var": "title"}]})"}) {
    Rule r;
    r.id = "r";
    r.points = 1;
    r.when = json::parse(when);
    Diagnostics d;
    CompiledRule cr = compile_rule(r, rs, table, d, "rules[0]", false);
    ASSERT_FALSE(has_errors(d)) << when;
    // a table of one answer per distinct text, filled by the interpreter
    EXPECT_TRUE(cr.plan.rfind("lookup(title)", 0) == 0 || cr.plan.rfind("memo", 0) == 0) << when << ": " << cr.plan;
    Mask got = evaluate(cr, table), want = evaluate_interpreted(r.when, table);
    EXPECT_EQ(got, want) << when;
  }
}

}  // namespace test_text_operators
