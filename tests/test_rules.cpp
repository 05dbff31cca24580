// Rule set format: parsing, defaults, and strict validation with useful locations.
#include <gtest/gtest.h>

#include "leadscore/rules.h"

namespace test_rules {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;

namespace {

const char* kMinimal = R"({"rules": [{"id": "r1", "points": 10}]})";

Diagnostic first_error(const std::string& text) {
  try {
    parse_rule_set(text);
  } catch (const RuleSetError& e) {
    return e.first_error();
  }
  ADD_FAILURE() << "expected an error for: " << text;
  return {};
}

std::string with_rules(const std::string& rules, const std::string& extra = "") {
  return R"({"groups":[{"id":"fit"},{"id":"engagement","min":-10,"max":50}],)" + extra + R"("rules":)" + rules + "}";
}

}  // namespace

TEST(RuleSet, MinimalGetsDefaults) {
  RuleSet rs = parse_rule_set(kMinimal);
  ASSERT_EQ(rs.groups.size(), 2u);
  EXPECT_EQ(rs.groups[0].id, "fit");
  EXPECT_EQ(rs.groups[1].id, "engagement");
  ASSERT_EQ(rs.rules.size(), 1u);
  EXPECT_EQ(rs.rules[0].group, "fit");  // first group by default
  EXPECT_EQ(rs.rules[0].label, "r1");   // label defaults to id
  EXPECT_TRUE(rs.rules[0].when.is_null());
  ASSERT_EQ(rs.tiers.size(), 1u);
  EXPECT_FALSE(rs.tiers[0].min);
  EXPECT_FALSE(rs.sales_ready);
}

TEST(RuleSet, FullDocumentRoundTrips) {
  std::string text = R"({
    "leadscore": 1, "name": "t",
    "fields": {"title": {"type": "string", "aliases": ["Job Title"], "missing": ["-"]}},
    "missing": ["", "N/A"],
    "groups": [{"id": "fit", "min": 0, "max": 60}, {"id": "engagement", "min": -40, "max": 60}],
    "total": {"min": 0, "max": 100},
    "rules": [
      {"id": "a", "label": "A", "group": "fit", "points": 20, "when": {"==": [{"var": "title"}, "CEO"]}},
      {"id": "b", "group": "engagement", "points": 5, "per": "views", "max": 25},
      {"id": "c", "group": "engagement", "points": -20, "enabled": false}
    ],
    "tiers": [{"name": "Cold", "action": "Recycle"}, {"name": "Hot", "min": 70, "action": "Call"}, {"name": "Warm", "min": 40}],
    "salesReady": "Hot",
    "matrix": {"fit": {"bands": [{"label": "A", "min": 40}, {"label": "B"}]},
               "engagement": {"bands": [{"label": "1", "min": 20}, {"label": "2"}]},
               "actions": {"A1": "Call now"}}
  })";
  RuleSet rs = parse_rule_set(text);
  // Tiers are sorted from the highest lower bound down.
  ASSERT_EQ(rs.tiers.size(), 3u);
  EXPECT_EQ(rs.tiers[0].name, "Hot");
  EXPECT_EQ(rs.tiers[1].name, "Warm");
  EXPECT_EQ(rs.tiers[2].name, "Cold");
  EXPECT_EQ(*rs.sales_ready, 70);
  EXPECT_EQ(*rs.rules[1].per, "views");
  EXPECT_EQ(*rs.rules[1].bounds.max, 25);
  EXPECT_FALSE(rs.rules[2].enabled);
  EXPECT_TRUE(rs.matrix.present);
  ASSERT_EQ(rs.fields.size(), 1u);
  EXPECT_EQ(rs.fields[0].aliases[0], "Job Title");
  EXPECT_EQ(rs.load_options().missing, (std::vector<std::string>{"", "N/A"}));
  // Serialising and parsing again gives the same document.
  json once = to_json(rs);
  EXPECT_EQ(to_json(parse_rule_set(once.dump())), once);
}

TEST(RuleSet, JsonSyntaxErrorHasLineAndColumn) {
  Diagnostic d = first_error("{\n  \"rules\": [\n    {\"id\": \"a\", \"points\": 1,}\n  ]\n}");
  EXPECT_EQ(d.code, "json");
  EXPECT_EQ(d.line, 3u);
  EXPECT_EQ(d.column, 29u);  // the '}' after the trailing comma
}

TEST(RuleSet, UnknownKeySuggestsTheRightOne) {
  Diagnostic d = first_error(with_rules(R"([{"id": "a", "pionts": 5, "points": 1}])"));
  EXPECT_EQ(d.code, "unknown_key");
  EXPECT_EQ(d.path, "rules[0].pionts");
  EXPECT_EQ(d.rule_id, "a");
  EXPECT_NE(d.message.find("did you mean 'points'"), std::string::npos) << d.message;
  // x- keys are free notes
  EXPECT_NO_THROW(parse_rule_set(with_rules(R"([{"id": "a", "points": 1, "x-owner": "sales"}])")));
}

TEST(RuleSet, CollectsEveryError) {
  try {
    parse_rule_set(with_rules(R"([{"id": "a"}, {"id": "a", "points": "5"}, {"points": 1}])"));
    FAIL();
  } catch (const RuleSetError& e) {
    std::vector<std::string> paths;
    for (const auto& d : e.diagnostics) paths.push_back(d.path + ":" + d.code);
    auto has = [&](const std::string& s) { return std::find(paths.begin(), paths.end(), s) != paths.end(); };
    EXPECT_TRUE(has("rules[0]:schema")) << "points required";
    EXPECT_TRUE(has("rules[1].points:schema")) << "points as text";
    EXPECT_TRUE(has("rules[1].id:duplicate"));
    EXPECT_TRUE(has("rules[2]:schema")) << "id required";
    // the quoted number gets a hint
    for (const auto& d : e.diagnostics)
      if (d.path == "rules[1].points") {
        EXPECT_NE(d.message.find("without quotes"), std::string::npos);
      }
  }
}

TEST(RuleSet, UnknownGroup) {
  Diagnostic d = first_error(with_rules(R"([{"id": "a", "points": 1, "group": "engagment"}])"));
  EXPECT_EQ(d.code, "unknown_group");
  EXPECT_NE(d.message.find("did you mean 'engagement'"), std::string::npos) << d.message;
}

TEST(RuleSet, BoundsMustBeOrdered) {
  Diagnostic d = first_error(with_rules(R"([{"id": "a", "points": 1, "min": 10, "max": 5}])"));
  EXPECT_EQ(d.code, "bounds");
  EXPECT_EQ(d.path, "rules[0]");
}

TEST(RuleSet, UnknownOperatorNamesRuleAndOperator) {
  Diagnostic d =
      first_error(with_rules(R"([{"id": "a", "points": 1, "when": {"and": [true, {"contains": ["x", "y"]}]}}])"));
  EXPECT_EQ(d.code, "unknown_operator");
  EXPECT_EQ(d.rule_id, "a");
  EXPECT_NE(d.message.find("contains"), std::string::npos) << d.message;
  EXPECT_EQ(d.path.rfind("rules[0].when", 0), 0u) << d.path;
}

TEST(RuleSet, TiersMustCoverEveryScore) {
  // gap at the bottom: scores below 10 have no tier
  Diagnostic d =
      first_error(with_rules("[]", R"("tiers": [{"name": "Hot", "min": 50}, {"name": "Cold", "min": 10}],)"));
  EXPECT_EQ(d.code, "bands");
  EXPECT_NE(d.message.find("below 10"), std::string::npos) << d.message;
  // ...unless the total cannot go below the lowest tier
  EXPECT_NO_THROW(parse_rule_set(with_rules(
      "[]", R"("total": {"min": 10}, "tiers": [{"name": "Hot", "min": 50}, {"name": "Cold", "min": 10}],)")));
  // two tiers starting at the same score overlap
  d = first_error(
      with_rules("[]", R"("tiers": [{"name": "Hot", "min": 50}, {"name": "Warm", "min": 50}, {"name": "Cold"}],)"));
  EXPECT_EQ(d.code, "bands");
  // two open-ended tiers
  d = first_error(with_rules("[]", R"("tiers": [{"name": "Hot"}, {"name": "Cold"}],)"));
  EXPECT_EQ(d.code, "bands");
  // duplicate names
  d = first_error(with_rules("[]", R"("tiers": [{"name": "Hot", "min": 5}, {"name": "Hot"}],)"));
  EXPECT_EQ(d.code, "duplicate");
}

TEST(RuleSet, SalesReadyByNameOrNumber) {
  auto rs =
      parse_rule_set(with_rules("[]", R"("tiers": [{"name": "Hot", "min": 50}, {"name": "Cold"}], "salesReady": 42,)"));
  EXPECT_EQ(*rs.sales_ready, 42);
  rs = parse_rule_set(with_rules("[]", R"("tiers": [{"name": "Hot", "min": 50}, {"name": "Cold"}],)"));
  EXPECT_EQ(*rs.sales_ready, 50);  // default: the top tier
  Diagnostic d = first_error(
      with_rules("[]", R"("tiers": [{"name": "Hot", "min": 50}, {"name": "Cold"}], "salesReady": "Warm",)"));
  EXPECT_EQ(d.code, "unknown_tier");
}

TEST(RuleSet, MatrixCellsAndGroups) {
  std::string bands =
      R"({"fit": {"bands": [{"label": "A", "min": 10}, {"label": "B"}]}, "engagement": {"bands": [{"label": "1", "min": 5}, {"label": "2"}]}})";
  auto rs = parse_rule_set(with_rules("[]", R"("matrix": )" + bands + ","));
  EXPECT_EQ(rs.matrix.fit.size(), 2u);
  Diagnostic d = first_error(with_rules(
      "[]",
      R"("matrix": {"fit": {"bands": [{"label": "A", "min": 10}, {"label": "B"}]}, "engagement": {"bands": [{"label": "1"}]}, "actions": {"C9": "x"}},)"));
  EXPECT_EQ(d.code, "unknown_cell");
  d = first_error(with_rules(
      "[]",
      R"("matrix": {"fit": {"group": "nope", "bands": [{"label": "A"}]}, "engagement": {"bands": [{"label": "1"}]}},)"));
  EXPECT_EQ(d.code, "unknown_group");
  // the engagement group's own floor (-10) must be covered by its lowest band
  d = first_error(with_rules(
      "[]", R"("matrix": {"fit": {"bands": [{"label": "A"}]}, "engagement": {"bands": [{"label": "1", "min": 0}]}},)"));
  EXPECT_EQ(d.code, "bands");
}

TEST(RuleSet, VersionAndTypes) {
  EXPECT_EQ(first_error(R"({"leadscore": 2, "rules": []})").code, "version");
  EXPECT_EQ(first_error(R"([1, 2])").code, "schema");
  EXPECT_EQ(first_error(R"({"rules": {}})").code, "schema");
  EXPECT_EQ(first_error(R"({"rules": [], "fields": {"a": {"type": "integer"}}})").code, "schema");
  EXPECT_EQ(first_error(R"({"rules": [{"id": "a", "points": 1, "enabled": "no"}]})").code, "schema");
}

TEST(RuleSet, RuleCountLimit) {
  std::string rules = "[";
  for (size_t i = 0; i <= kMaxRules; ++i)
    rules += (i ? "," : "") + std::string(R"({"id":"r)") + std::to_string(i) + R"(","points":1})";
  Diagnostic d = first_error(with_rules(rules + "]"));
  EXPECT_EQ(d.code, "limit");
  EXPECT_NE(d.message.find("2000"), std::string::npos);
}

TEST(RuleSet, BandIndex) {
  std::vector<Band> b = {{"Hot", 70.0, "", ""}, {"Warm", 40.0, "", ""}, {"Cold", std::nullopt, "", ""}};
  EXPECT_EQ(band_index(b, 70), 0);
  EXPECT_EQ(band_index(b, 69.999), 1);
  EXPECT_EQ(band_index(b, 40), 1);
  EXPECT_EQ(band_index(b, 39), 2);
  EXPECT_EQ(band_index(b, -1e9), 2);
}

}  // namespace test_rules
