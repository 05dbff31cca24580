// Leakage as a diagnostic of rules (core/analysis/leakage.cpp, reported by evaluate()): a rule
// that is near-certain when it fires, or reads a column that is a leak, far above the other
// columns, or post-outcome by its name or values, is flagged "leak" with its reasons, and every
// message names rules by their labels.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "../core/analysis/leakage.h"
#include "leadscore/metrics.h"
#include "metrics_cases.h"
#include "test_util.h"

namespace test_leakage {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;
using namespace leadscore::test;
using nlohmann::json;

namespace {

struct Evaluated {
  std::shared_ptr<Table> table;
  Scorer scorer;
  Outcomes outcomes;
  json report;
  Evaluated(const std::string& csv, const std::string& rules)
      : table(std::make_shared<Table>(load_table(csv))), scorer(table) {
    scorer.set_rules(rules);
    outcomes = outcomes_from_column(*table, "y");
    report = evaluate(scorer, outcomes, {});
  }
  const json& rule(const std::string& id) const {
    for (const auto& r : report["rules"])
      if (r["id"] == id) return r;
    throw std::runtime_error("no rule " + id);
  }
  const json& column(const std::string& name) const {
    for (const auto& c : report["columns"])
      if (c["column"] == name) return c;
    throw std::runtime_error("no column " + name);
  }
};

std::set<std::string> kinds(const json& rule) {
  std::set<std::string> k;
  for (const auto& r : rule["leakage"]) k.insert(r["kind"].get<std::string>());
  return k;
}

bool has_flag(const json& rule, const std::string& flag) {
  for (const auto& f : rule["flags"])
    if (f == flag) return true;
  return false;
}

Column text_column(const std::string& name, std::vector<std::string> values) {
  Column c;
  c.name = c.header = name;
  c.type = ColumnType::String;
  for (const auto& v : values) c.dict.push_back(v);
  return c;
}

}  // namespace

TEST(Leakage, PostOutcomeHintsByNameAndValues) {
  for (const char* name : {"Lead Quality", "LeadStage", "Tags", "status", "Reason Lost", "deal_won"})
    EXPECT_FALSE(leakage::post_outcome_hint(text_column(name, {"a"})).empty()) << name;
  for (const char* name : {"Lead Source", "Last Activity", "Country", "Stagecoach", "Statuses2x"})
    EXPECT_EQ(leakage::post_outcome_hint(text_column(name, {"Email Opened", "Converted to Lead"})), "") << name;
  std::string by_value =
      leakage::post_outcome_hint(text_column("Notes", {"Ringing", "Closed by Horizzon", "Interested"}));
  EXPECT_NE(by_value.find("Closed by Horizzon"), std::string::npos) << by_value;
  EXPECT_NE(leakage::post_outcome_hint(text_column("Comment", {"Will revert after reading the email"})), "");
}

TEST(Leakage, MedianAndFarAbove) {
  std::vector<ColumnSignal> s = {{"a", "number", "value", 0.9},
                                 {"b", "number", "value", 0.55},
                                 {"c", "number", "value", 0.6},
                                 {"d", "number", "value", 0.52}};
  EXPECT_DOUBLE_EQ(leakage::median_auc(s), (0.55 + 0.6) / 2);
  s.pop_back();
  EXPECT_DOUBLE_EQ(leakage::median_auc(s), 0.6);
  EXPECT_DOUBLE_EQ(leakage::median_auc({}), 0.5);
  EXPECT_TRUE(leakage::far_above_rest(0.9, 0.6));
  EXPECT_FALSE(leakage::far_above_rest(0.84, 0.6));  // 0.24 above the median: not far enough
  EXPECT_FALSE(leakage::far_above_rest(0.79, 0.5));  // not strong enough on its own
}

TEST(Leakage, RuleOnALeakyColumnIsFlaggedByItsLabel) {
  // status is "closed" exactly for the converted leads (AUC 1): a rule on it converts 100 %.
  Evaluated e(small_leads(10), small_rules(20, 10, R"(,
      {"id": "new-rule-8", "label": "Deal closed", "points": 30, "when": {"==": [{"var": "status"}, "closed"]}})"));
  const json& r = e.rule("new-rule-8");
  EXPECT_TRUE(has_flag(r, "leak")) << r.dump();
  EXPECT_EQ(kinds(r), (std::set<std::string>{"near_certain", "leak_column"}));
  EXPECT_EQ(r["leakage"][1]["column"], "status");
  bool warned = false;
  for (const auto& w : e.report["warnings"]) {
    std::string m = w["message"];
    EXPECT_EQ(m.find("new-rule-8"), std::string::npos) << "messages name rules by label: " << m;
    if (w["code"] == "leakage_rule") {
      warned = true;
      EXPECT_EQ(w["ruleId"], "new-rule-8");
      EXPECT_NE(m.find("rule 'Deal closed'"), std::string::npos) << m;
      EXPECT_NE(m.find("100.0 %"), std::string::npos) << m;
    }
  }
  EXPECT_TRUE(warned);
  // The other rules read title and flag: nothing leaky about them.
  EXPECT_TRUE(e.rule("r1")["leakage"].empty());
  EXPECT_TRUE(e.rule("r2")["leakage"].empty());
  EXPECT_FALSE(has_flag(e.rule("r1"), "leak"));
}

TEST(Leakage, FlagStaysWhenTheRuleSetIsStrong) {
  // The "column beats your rules" hint goes once the rules use the column; the rule's flag stays.
  Evaluated e(small_leads(30), R"({"groups": [{"id": "fit"}], "rules": [
      {"id": "s", "group": "fit", "points": 50, "when": {"==": [{"var": "status"}, "closed"]}}],
      "tiers": [{"name": "Hot", "min": 25}, {"name": "Cold"}]})");
  EXPECT_DOUBLE_EQ(e.report["roc"]["auc"].get<double>(), 1.0);
  EXPECT_TRUE(has_flag(e.rule("s"), "leak"));
  // Unlabelled rules are named by their id.
  bool named = false;
  for (const auto& w : e.report["warnings"])
    if (w["code"] == "leakage_rule") named = w["message"].get<std::string>().find("rule 's'") != std::string::npos;
  EXPECT_TRUE(named);
}

TEST(Leakage, NearCertainNeedsEnoughLeadsAndAJumpOverTheBaseRate) {
  // 12 leads: the rule on status fires for 4 known leads only, below kMinFiredForLeak.
  Evaluated few(small_leads(1), small_rules(20, 10, R"(,
      {"id": "c", "points": 1, "when": {"==": [{"var": "status"}, "closed"]}})"));
  EXPECT_EQ(kinds(few.rule("c")).count("near_certain"), 0u);
  EXPECT_EQ(kinds(few.rule("c")).count("leak_column"), 0u);                  // 11 known leads: too few to call a leak
  EXPECT_EQ(kinds(few.rule("c")), (std::set<std::string>{"post_outcome"}));  // its name still says status
}

TEST(Leakage, ColumnFarAboveTheOthers) {
  // "strong" agrees with y for 90 % of the leads (AUC ~0.9), the noise columns not at all.
  std::mt19937 rng(7);
  std::string csv = "y,strong,noise1,noise2,noise3,noise4\n";
  int fired = 0, conv = 0;
  for (int i = 0; i < 400; ++i) {
    int y = (int)(rng() % 100) < 30;
    int strong = (int)(rng() % 100) < 90 ? y : 1 - y;
    fired += strong, conv += strong && y;
    csv += std::to_string(y) + "," + std::to_string(strong);
    for (int k = 0; k < 4; ++k) csv += "," + std::to_string(rng() % 1000);
    csv += "\n";
  }
  Evaluated e(csv, R"({"groups": [{"id": "fit"}], "rules": [
      {"id": "st", "label": "Strong signal", "group": "fit", "points": 10, "when": {"==": [{"var": "strong"}, 1]}},
      {"id": "n1", "label": "Noise", "group": "fit", "points": 10, "when": {">": [{"var": "noise1"}, 500]}}],
      "tiers": [{"name": "Hot", "min": 10}, {"name": "Cold"}]})");
  const json& col = e.column("strong");
  ASSERT_GE(col["auc"].get<double>(), kStrongColumnAuc) << col.dump();
  EXPECT_TRUE(col["farAbove"].get<bool>());
  EXPECT_FALSE(col["leak"].get<bool>());
  EXPECT_TRUE(col["postOutcome"].is_null());
  EXPECT_FALSE(e.column("noise1")["farAbove"].get<bool>());
  double median = e.report["columnsMedianAuc"].get<double>();
  EXPECT_LT(median, col["auc"].get<double>() - kFarAboveMedian);
  // The rule converts well below 90 % when it fires: only the column's strength flags it.
  EXPECT_LT((double)conv / fired, kLeakRuleRate);
  EXPECT_EQ(kinds(e.rule("st")), (std::set<std::string>{"far_above"}));
  EXPECT_TRUE(e.rule("n1")["leakage"].empty());
  std::set<std::string> codes;
  for (const auto& w : e.report["warnings"]) codes.insert(w["code"].get<std::string>());
  EXPECT_TRUE(codes.count("leakage_suspect"));
  EXPECT_TRUE(codes.count("leakage_rule"));
}

TEST(Leakage, WithoutTheColumnScanOnlyTheRuleItselfCounts) {
  auto table = std::make_shared<Table>(load_table(small_leads(10)));
  Scorer s(table);
  s.set_rules(small_rules(20, 10, R"(,
      {"id": "c", "label": "Closed", "points": 1, "when": {"==": [{"var": "status"}, "closed"]}})"));
  Outcomes o = outcomes_from_column(*table, "y");
  EvaluateOptions no_scan;
  no_scan.leakage = false;
  json e = evaluate(s, o, no_scan);
  for (const auto& r : e["rules"]) {
    if (r["id"] == "c") {
      EXPECT_EQ(kinds(r), (std::set<std::string>{"near_certain", "post_outcome"}));
    }
  }
  EXPECT_TRUE(e["columnsMedianAuc"].is_null());
}

}  // namespace test_leakage
