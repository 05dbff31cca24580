// Scoring: exact arithmetic with caps, tiers and matrix, ledgers that add up, incremental
// edits that equal a full re-score and only evaluate what changed, failed edits that leave
// everything untouched.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "leadscore/scorer.h"
#include "rules/compiler.h"

namespace test_scorer {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;

namespace {

const char* kLeads =
    "id,title,size,views,unsubscribed,country\n"
    "1,CEO,500,3,no,US\n"
    "2,VP Sales,40,10,no,DE\n"
    "3,Student,,0,yes,US\n"
    "4,CTO,2000,25,no,FR\n"
    "5,Analyst,120,,no,\n"
    "6,Intern,5,1,yes,US\n";

const char* kRules = R"({
  "groups": [{"id": "fit", "min": 0, "max": 30}, {"id": "engagement", "min": -10, "max": 40}],
  "total": {"min": 0, "max": 60},
  "rules": [
    {"id": "dm", "label": "Decision maker", "group": "fit", "points": 20, "when": {"in": [{"var": "title"}, ["CEO", "CTO", "VP Sales"]]}},
    {"id": "size", "group": "fit", "points": 15, "when": {">=": [{"var": "size"}, 100]}},
    {"id": "us", "group": "fit", "points": 5, "when": {"==": [{"var": "country"}, "US"]}},
    {"id": "views", "group": "engagement", "points": 3, "per": "views", "max": 30},
    {"id": "unsub", "group": "engagement", "points": -25, "when": {"var": "unsubscribed"}},
    {"id": "student", "group": "fit", "points": -25, "when": {"in": [{"var": "title"}, ["Student", "Intern"]]}}
  ],
  "tiers": [{"name": "Hot", "min": 50, "action": "Call"}, {"name": "Warm", "min": 25, "action": "Nurture"}, {"name": "Cold", "action": "Recycle"}],
  "matrix": {"fit": {"bands": [{"label": "A", "min": 25}, {"label": "B"}]},
             "engagement": {"bands": [{"label": "1", "min": 20}, {"label": "2"}]},
             "actions": {"A1": "Call now"}}
})";

std::shared_ptr<const Table> leads() { return std::make_shared<Table>(load_table(kLeads)); }

void expect_same_results(const Scorer& a, const Scorer& b) {
  const Results &x = a.results(), &y = b.results();
  ASSERT_EQ(x.total, y.total);
  ASSERT_EQ(x.groups, y.groups);
  ASSERT_EQ(x.tier, y.tier);
  ASSERT_EQ(x.fit_band, y.fit_band);
  ASSERT_EQ(x.engagement_band, y.engagement_band);
  ASSERT_EQ(x.sales_ready, y.sales_ready);
}

void expect_ledgers_add_up(const Scorer& s) {
  const RuleSet& rs = s.rules();
  for (size_t i = 0; i < s.table().rows; ++i) {
    Ledger l = s.ledger(i);
    double sum = 0;
    for (size_t g = 0; g < l.groups.size(); ++g) {
      double gsum = 0;
      for (const auto& e : l.entries)
        if (e.group == l.groups[g].id) gsum += e.points;
      ASSERT_EQ(gsum, l.groups[g].sum);
      ASSERT_EQ(rs.groups[g].bounds.clamp(gsum), l.groups[g].score);
      ASSERT_EQ(l.groups[g].score, s.results().groups[g][i]) << "lead " << i << " group " << l.groups[g].id;
      sum += l.groups[g].score;
    }
    ASSERT_EQ(rs.total.clamp(sum), l.total);
    ASSERT_EQ(l.total, s.results().total[i]) << "lead " << i;
    ASSERT_EQ(l.tier, rs.tiers[s.results().tier[i]].name);
  }
}

}  // namespace

TEST(Scorer, ArithmeticWithCaps) {
  Scorer s(leads());
  s.set_rules(std::string(kRules));
  const Results& r = s.results();
  // lead 1: fit dm 20 + size 15 + us 5 = 40 -> capped 30; engagement 3*3 = 9; total 39
  EXPECT_EQ(r.groups[0][0], 30);
  EXPECT_EQ(r.groups[1][0], 9);
  EXPECT_EQ(r.total[0], 39);
  // lead 2: fit 20; engagement 3*10 = 30 (rule max 30); total 50 -> Hot
  EXPECT_EQ(r.total[1], 50);
  EXPECT_EQ(s.rules().tiers[r.tier[1]].name, "Hot");
  // lead 3: fit us 5 - student 25 = -20 -> group min 0; engagement 0 - 25 -> -10; total -10 -> 0
  EXPECT_EQ(r.groups[0][2], 0);
  EXPECT_EQ(r.groups[1][2], -10);
  EXPECT_EQ(r.total[2], 0);
  // lead 4: fit 35 -> 30; views 25*3 = 75 -> rule max 30 -> group 30; total 60 (limit 60)
  EXPECT_EQ(r.total[3], 60);
  // lead 5: size 15; views missing -> 0: total 15 -> Cold
  EXPECT_EQ(r.total[4], 15);
  EXPECT_EQ(s.rules().tiers[r.tier[4]].name, "Cold");
  // sales-ready defaults to the top tier
  EXPECT_EQ(r.sales_ready, (std::vector<uint8_t>{0, 1, 0, 1, 0, 0}));
  // matrix: lead 4 fit 30 (A) engagement 30 (1) -> A1
  EXPECT_EQ(r.fit_band[3], 0);
  EXPECT_EQ(r.engagement_band[3], 0);
  Ledger l = s.ledger(3);
  EXPECT_EQ(l.cell, "A1");
  EXPECT_EQ(l.cell_action, "Call now");
  expect_ledgers_add_up(s);
}

TEST(Scorer, LedgerExplainsClipping) {
  Scorer s(leads());
  s.set_rules(std::string(kRules));
  Ledger l = s.ledger(3);  // CTO, size 2000, 25 views
  ASSERT_EQ(l.entries.size(), 3u);
  EXPECT_EQ(l.entries[0].rule_id, "dm");
  EXPECT_EQ(l.entries[2].rule_id, "views");
  EXPECT_EQ(l.entries[2].raw, 75);
  EXPECT_EQ(l.entries[2].points, 30);
  EXPECT_EQ(l.entries[2].clipped, "rule max");
  EXPECT_EQ(*l.entries[2].unit_value, 25);
  EXPECT_EQ(l.groups[0].sum, 35);
  EXPECT_EQ(l.groups[0].score, 30);
  EXPECT_EQ(l.groups[0].clipped, "group max");
  EXPECT_EQ(l.clipped, "");
  EXPECT_EQ(l.line, 5u);  // header is line 1
  Ledger m = s.ledger(2);
  EXPECT_EQ(m.groups[1].clipped, "group min");
  EXPECT_EQ(m.clipped, "total min");
  json j = to_json(l);
  EXPECT_EQ(j["rules"][2]["clipped"], "rule max");
  EXPECT_EQ(j["total"], 60);
  EXPECT_THROW(s.ledger(6), std::out_of_range);
}

TEST(Scorer, MatchingNothingScoresZero) {
  Scorer s(leads());
  s.set_rules(std::string(R"({"rules": [{"id": "never", "points": 10, "when": {"==": [{"var": "country"}, "JP"]}}]})"));
  for (double t : s.results().total) EXPECT_EQ(t, 0.0);
  bool warned = false;
  for (const auto& w : s.warnings()) warned |= w.code == "never_fires" && w.rule_id == "never";
  EXPECT_TRUE(warned);
}

TEST(Scorer, FailedEditsLeaveEverythingUntouched) {
  Scorer s(leads());
  s.set_rules(std::string(kRules));
  std::vector<double> before = s.results().total;
  json before_rules = to_json(s.rules());
  EXPECT_THROW(
      s.set_rules(std::string(R"({"rules": [{"id": "x", "points": 1, "when": {"==": [{"var": "titel"}, "CEO"]}}]})")),
      RuleSetError);
  EXPECT_THROW(s.set_rules(std::string("{not json")), RuleSetError);
  EXPECT_THROW(s.add_rule(json::parse(R"({"id": "dm", "points": 1})")), RuleSetError);   // duplicate id
  EXPECT_THROW(s.add_rule(json::parse(R"({"id": "y", "points": "1"})")), RuleSetError);  // bad type
  EXPECT_THROW(s.replace_rule("nope", json::parse(R"({"id": "nope", "points": 1})")), RuleSetError);
  EXPECT_THROW(
      s.replace_rule("dm", json::parse(R"({"id": "dm", "points": 1, "when": {"==": [{"var": "size"}, "big"]}})")),
      RuleSetError);
  EXPECT_THROW(s.remove_rule("nope"), RuleSetError);
  EXPECT_EQ(s.results().total, before);
  EXPECT_EQ(to_json(s.rules()), before_rules);
  try {
    s.replace_rule("dm", json::parse(R"({"id": "dm", "points": 1, "when": {"==": [{"var": "size"}, "big"]}})"));
  } catch (const RuleSetError& e) {
    EXPECT_EQ(e.first_error().rule_id, "dm");
    EXPECT_EQ(e.first_error().field, "size");
  }
}

TEST(Scorer, DisabledRulesAreKeptNotApplied) {
  Scorer s(leads());
  json doc = json::parse(kRules);
  doc["rules"][0]["enabled"] = false;
  // A disabled rule may even refer to a field these leads lack: a warning, not an error.
  doc["rules"].push_back(
      json::parse(R"({"id": "old", "points": 5, "enabled": false, "when": {"==": [{"var": "region"}, "EU"]}})"));
  s.set_rules(doc.dump());
  EXPECT_EQ(s.rules().rules.size(), 7u);
  EXPECT_EQ(s.results().groups[0][0], 20);  // size 15 + us 5, no dm
  bool warned = false;
  for (const auto& w : s.warnings()) warned |= w.rule_id == "old" && w.code == "unknown_field" && !w.is_error();
  EXPECT_TRUE(warned);
}

TEST(Scorer, EvaluationErrorsAreCountedAndExplained) {
  Scorer s(leads());
  s.set_rules(
      std::string(R"({"rules": [{"id": "math", "points": 10, "when": {">": [{"*": [{"var": "title"}, 2]}, 1]}}]})"));
  ASSERT_EQ(s.stats().size(), 1u);
  EXPECT_EQ(s.stats()[0].errors, 6u);
  EXPECT_EQ(s.stats()[0].first_error_row, 0);
  const Diagnostic* w = nullptr;
  for (const auto& d : s.warnings())
    if (d.code == "eval_error") w = &d;
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->line, 2u);
  Ledger l = s.ledger(0);
  ASSERT_EQ(l.errors.size(), 1u);
  EXPECT_EQ(l.errors[0].first, "math");
  EXPECT_EQ(l.total, 0);
}

// Each rule's fired and error counts are what its mask holds (counted here byte by byte), for
// table sizes around the counting's 8-byte words and 255-word runs (2,040 leads).
TEST(Scorer, FiredAndErrorCountsMatchTheMasks) {
  std::mt19937 rng(11);
  for (size_t n : {1u, 7u, 8u, 9u, 2039u, 2040u, 2041u, 4087u, 6131u}) {
    std::string csv = "id,x\n";
    for (size_t i = 0; i < n; ++i) {
      const unsigned r = rng() % 10;
      csv += std::to_string(i) + ',';
      csv += r < 2 ? "" : r < 4 ? "abc" : std::to_string(rng() % 10);  // missing, text, number
      csv += '\n';
    }
    auto t = std::make_shared<Table>(load_table(csv, {}));
    ASSERT_EQ(t->rows, n);
    // "*" of a text raises an error; numbers above 5 fire.
    const std::string rules = R"({"rules": [{"id": "r", "points": 1, "when": {">": [{"*": [{"var": "x"}, 1]}, 5]}},
                                            {"id": "s", "points": 1, "when": {">": [{"var": "x"}, 5]}}]})";
    Scorer s(t);
    s.set_rules(rules);
    const RuleSet rs = parse_rule_set(rules);
    for (size_t r = 0; r < 2; ++r) {
      Diagnostics d;
      const Mask m = evaluate(compile_rule(rs.rules[r], rs, *t, d, "rules"), *t);
      EXPECT_EQ(s.stats()[r].fired, (size_t)std::count(m.begin(), m.end(), kTrue)) << n << " leads, rule " << r;
      EXPECT_EQ(s.stats()[r].errors, (size_t)std::count(m.begin(), m.end(), kError)) << n << " leads, rule " << r;
    }
    if (n > 100) {
      EXPECT_GT(s.stats()[0].errors, 0u) << n;
    }  // (the counts are not all zero)
  }
}

// Tiers from one band to seven: each lead gets the first tier whose min its total reaches (the
// last tier takes the rest), totals landing exactly on every threshold and between them; after
// the full score and after an edit patched in place (the two find tiers by different code).
TEST(Scorer, TiersOfEveryCountAreTheFirstWhoseMinIsReached) {
  std::string csv = "id,p\n";
  for (int v = -5; v <= 65; ++v) csv += std::to_string(v + 100) + "," + std::to_string(v) + "\n";
  auto t = std::make_shared<Table>(load_table(csv, {}));
  for (size_t k = 1; k <= 7; ++k) {
    json doc = json::parse(R"({"rules": [{"id": "p", "points": 1, "per": "p"}]})");
    std::vector<double> mins;
    for (size_t j = 0; j + 1 < k; ++j) mins.push_back(60.0 - 10.0 * (double)j);
    doc["tiers"] = json::array();
    for (size_t j = 0; j < k; ++j) {
      json tier = {{"name", "T" + std::to_string(j)}};
      if (j + 1 < k) tier["min"] = mins[j];  // (the last tier has none: the rule set requires it)
      doc["tiers"].push_back(tier);
    }
    Scorer s(t);
    s.set_rules(doc.dump());
    auto expect_tiers = [&](const char* when) {
      for (size_t i = 0; i < t->rows; ++i) {
        const double total = s.results().total[i];
        int32_t want = (int32_t)k - 1;
        for (size_t j = 0; j < mins.size(); ++j)
          if (total >= mins[j]) {
            want = (int32_t)j;
            break;
          }
        EXPECT_EQ(s.results().tier[i], want) << k << " tiers, total " << total << ", " << when;
      }
    };
    expect_tiers("full score");
    // Only leads with p >= 40 move (by +15): totals 55..80 land on and between the thresholds.
    s.add_rule(json::parse(R"({"id": "q", "points": 15, "when": {">=": [{"var": "p"}, 40]}})"), 1);
    ASSERT_TRUE(s.last_in_place()) << k;
    expect_tiers("edit patched in place");
  }
}

TEST(Scorer, EditsOnlyEvaluateWhatChanged) {
  Scorer s(leads());
  s.set_rules(std::string(kRules));
  EXPECT_EQ(s.last_evaluations(), 6u);
  json r = to_json(s.rules().rules[1]);
  r["points"] = 12;  // points only: no condition re-evaluated
  s.replace_rule("size", r);
  EXPECT_EQ(s.last_evaluations(), 0u);
  r["when"] = json::parse(R"({">=": [{"var": "size"}, 1000]})");
  s.replace_rule("size", r);
  EXPECT_EQ(s.last_evaluations(), 1u);
  s.set_enabled("us", false);
  EXPECT_EQ(s.last_evaluations(), 0u);
  s.set_enabled("us", true);
  EXPECT_EQ(s.last_evaluations(), 1u);
  s.remove_rule("student");
  EXPECT_EQ(s.last_evaluations(), 0u);
  s.add_rule(json::parse(R"({"id": "fr", "group": "fit", "points": 2, "when": {"==": [{"var": "country"}, "FR"]}})"),
             0);
  EXPECT_EQ(s.last_evaluations(), 1u);
  EXPECT_EQ(s.rules().rules[0].id, "fr");
  s.move_rule("fr", s.rules().rules.size() - 1);
  EXPECT_EQ(s.rules().rules.back().id, "fr");
  EXPECT_EQ(s.last_evaluations(), 0u);
  // ...and the result is exactly a fresh full score of the same rule set.
  Scorer fresh(std::make_shared<Table>(s.table()));
  fresh.set_rules(s.rules());
  expect_same_results(s, fresh);
  expect_ledgers_add_up(s);
}

// Random edit sequences on random data: after every edit, incremental == full re-score.
TEST(Scorer, RandomEditsEqualFullRescore) {
  std::mt19937 rng(7);
  std::string csv = "a,b,c,d\n";
  const char* words[] = {"x", "y", "z", "N/A", ""};
  for (int i = 0; i < 400; ++i)
    csv += std::to_string(rng() % 50) + "," + words[rng() % 5] + "," + std::to_string((int)(rng() % 7) - 3) + "." +
           std::to_string(rng() % 10) + "," + (rng() % 3 ? "yes" : "no") + "\n";
  auto table = std::make_shared<Table>(load_table(csv));
  auto random_rule = [&](int id) {
    json conds[] = {json::parse(R"({">=": [{"var": "a"}, 25]})"),
                    json::parse(R"({"==": [{"var": "b"}, "x"]})"),
                    json::parse(R"({"<": [-1, {"var": "c"}, 1.5]})"),
                    json::parse(R"({"var": "d"})"),
                    json::parse(R"({"and": [{"var": "d"}, {"in": [{"var": "b"}, ["y", "z"]]}]})"),
                    json::parse(R"({"missing": ["b"]})")};
    json r = {{"id", "r" + std::to_string(id)},
              {"group", rng() % 2 ? "fit" : "engagement"},
              {"points", (int)(rng() % 41) - 20}};
    if (rng() % 4 == 0)
      r["per"] = rng() % 2 ? "a" : "c";
    else
      r["when"] = conds[rng() % 6];
    if (rng() % 3 == 0) r["max"] = 15;
    if (rng() % 3 == 0) r["min"] = -5;
    return r;
  };
  json doc = {{"groups", json::parse(R"([{"id": "fit", "min": -10, "max": 40}, {"id": "engagement", "max": 35}])")},
              {"total", {{"min", 0}, {"max", 70}}},
              {"tiers", json::parse(R"([{"name": "A", "min": 30}, {"name": "B", "min": 10}, {"name": "C"}])")},
              {"rules", json::array()}};
  for (int i = 0; i < 8; ++i) doc["rules"].push_back(random_rule(i));
  Scorer s(table);
  s.set_rules(doc.dump());
  int next_id = 100;
  for (int step = 0; step < 200; ++step) {
    const auto& rules = s.rules().rules;
    std::string id = rules.empty() ? "" : rules[rng() % rules.size()].id;
    switch (rng() % 5) {
      case 0:
        s.add_rule(random_rule(next_id++), (long)(rng() % (rules.size() + 1)));
        break;
      case 1:
        if (!id.empty()) {
          json r = random_rule(0);
          r["id"] = id;
          s.replace_rule(id, r);
        }
        break;
      case 2:
        if (!id.empty() && rules.size() > 2) s.remove_rule(id);
        break;
      case 3:
        if (!id.empty()) s.set_enabled(id, rng() % 2);
        break;
      case 4:
        if (!id.empty()) s.move_rule(id, rng() % rules.size());
        break;
    }
    Scorer fresh(table);
    fresh.set_rules(s.rules());
    expect_same_results(s, fresh);
  }
  expect_ledgers_add_up(s);
}

// Changing a field's aliases changes which column a rule reads: nothing cached may survive that.
TEST(Scorer, ChangedAliasesAreNotServedFromCache) {
  auto table = std::make_shared<Table>(load_table("Job Title,Former Title\nCEO,Intern\nIntern,CEO\n"));
  Scorer s(table);
  json doc = json::parse(R"({"fields": {"title": {"aliases": ["Job Title"]}},
                             "rules": [{"id": "dm", "points": 10, "when": {"==": [{"var": "title"}, "CEO"]}}]})");
  s.set_rules(doc.dump());
  EXPECT_EQ(s.results().total, (std::vector<double>{10, 0}));
  doc["fields"]["title"]["aliases"] = {"Former Title"};
  s.set_rules(doc.dump());
  EXPECT_EQ(s.results().total, (std::vector<double>{0, 10}));
  EXPECT_EQ(s.last_evaluations(), 1u);
}

}  // namespace test_scorer
