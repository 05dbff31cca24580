// "$schema" in a rule set: editors point it at docs/rule-set.schema.json. The core accepts it
// as text, reports anything else with its path, keeps it out of scoring and writes it back.
#include <gtest/gtest.h>

#include "leadscore/leadscore.h"

namespace test_rule_schema {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;

namespace {

const char* kSchemaUrl = "https://leadscore.dev/schema/rule-set.schema.json";

std::string rules_with(const std::string& schema_member) {
  return "{" + schema_member + R"("rules": [{"id": "dm", "points": 20, "when": {"==": [{"var": "title"}, "CEO"]}}],
     "tiers": [{"name": "Hot", "min": 10}, {"name": "Cold"}]})";
}

}  // namespace

TEST(RuleSetSchema, AcceptsSchemaTextAndWritesItBack) {
  RuleSet rs = parse_rule_set(rules_with(std::string(R"("$schema": ")") + kSchemaUrl + "\","));
  EXPECT_EQ(rs.schema, kSchemaUrl);
  json out = to_json(rs);
  ASSERT_TRUE(out.contains("$schema"));
  EXPECT_EQ(out["$schema"], kSchemaUrl);
  EXPECT_EQ(parse_rule_set(out.dump()).schema, kSchemaUrl);  // the round trip keeps it
}

TEST(RuleSetSchema, AbsentSchemaIsNotInvented) {
  RuleSet rs = parse_rule_set(rules_with(""));
  EXPECT_TRUE(rs.schema.empty());
  EXPECT_FALSE(to_json(rs).contains("$schema"));
}

TEST(RuleSetSchema, NonTextSchemaIsAnErrorAtItsKey) {
  for (const char* bad : {"42", "true", "{}", "[\"a\"]"}) {
    try {
      parse_rule_set(rules_with(std::string(R"("$schema": )") + bad + ","));
      ADD_FAILURE() << "accepted \"$schema\": " << bad;
    } catch (const RuleSetError& e) {
      const Diagnostic d = e.first_error();
      EXPECT_EQ(d.code, "schema") << bad;
      EXPECT_NE(d.path.find("$schema"), std::string::npos) << d.path;
      EXPECT_NE(d.message.find("must be text"), std::string::npos) << d.message;
    }
  }
}

TEST(RuleSetSchema, SchemaDoesNotChangeScores) {
  auto leads = std::make_shared<Table>(load_table("name,title\nAnn,CEO\nBo,Student\n"));
  Scorer plain(leads), with_schema(leads);
  plain.set_rules(rules_with(""));
  with_schema.set_rules(rules_with(std::string(R"("$schema": ")") + kSchemaUrl + "\","));
  EXPECT_EQ(with_schema.results().total, plain.results().total);
  EXPECT_EQ(with_schema.results().total, (std::vector<double>{20, 0}));
  json a = to_json(with_schema.rules()), b = to_json(plain.rules());
  a.erase("$schema");
  EXPECT_EQ(a, b);  // nothing else differs
}

}  // namespace test_rule_schema
