// The public API stands alone: a program that includes only leadscore/leadscore.h (and links
// leadscore_core) loads leads, scores them, explains a lead and reports the rule set's warnings.
#include <gtest/gtest.h>

#include "leadscore/leadscore.h"

namespace test_public_api {  // own namespace: the unity build compiles several test files as one

TEST(PublicApi, TheUmbrellaHeaderScoresAndExplains) {
  auto leads = std::make_shared<leadscore::Table>(leadscore::load_table("name,title\nAnn,CEO\nBo,Student\n"));
  leadscore::Scorer scorer(leads);
  scorer.set_rules(std::string(R"({"rules": [{"id": "dm", "points": 20, "when": {"==": [{"var": "title"}, "CEO"]}}],
                                   "tiers": [{"name": "Hot", "min": 10}, {"name": "Cold"}]})"));
  EXPECT_EQ(scorer.results().total, (std::vector<double>{20, 0}));
  const leadscore::Ledger why = scorer.ledger(0);
  ASSERT_EQ(why.entries.size(), 1u);
  EXPECT_EQ(why.entries[0].rule_id, "dm");
  EXPECT_EQ(why.tier, "Hot");
  EXPECT_THROW(scorer.set_rules(std::string(R"({"rules": [{"id": "x", "points": 1, "when": {"var": "nope"}}]})")),
               leadscore::RuleSetError);
  EXPECT_EQ(scorer.results().total, (std::vector<double>{20, 0}));  // the failed set changed nothing
}

}  // namespace test_public_api
