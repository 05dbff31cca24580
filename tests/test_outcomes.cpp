// Outcomes: from a column (yes/no, 1/0, true/false, won/lost, any case; other values and
// missing cells unknown and counted) and from a second file joined by lead id (unmatched
// deals counted); clear errors for a missing column; the Olist funnel joined for real.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "leadscore/outcomes.h"
#include "metrics_cases.h"
#include "test_util.h"

namespace test_outcomes {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;
using namespace leadscore::test;

TEST(Outcomes, ParseTexts) {
  for (const char* s : {"yes", "YES", " Yes ", "1", "true", "TRUE", "won", "Won", "y"})
    EXPECT_EQ(parse_outcome(s), 1) << s;
  for (const char* s : {"no", "No", "0", "false", "False", "lost", "LOST", "n"}) EXPECT_EQ(parse_outcome(s), 0) << s;
  for (const char* s : {"", "pending", "2", "yes!", "open", "1.0"}) EXPECT_EQ(parse_outcome(s), -1) << s;
}

TEST(Outcomes, StringColumnCountsUnknownValues) {
  Table t = load_table(small_leads());
  Outcomes o = outcomes_from_column(t, "y");
  std::vector<int8_t> want = {1, 0, 1, 1, 0, -1, 0, 1, 0, -1, 0, 0};
  EXPECT_EQ(o.value, want);
  EXPECT_EQ(o.positives, 4u);
  EXPECT_EQ(o.negatives, 6u);
  EXPECT_EQ(o.unknown, 2u);
  EXPECT_EQ(o.missing, 1u);
  ASSERT_EQ(o.unknown_values.size(), 1u);
  EXPECT_EQ(o.unknown_values[0].first, "pending");
  EXPECT_EQ(o.unknown_values[0].second, 1u);
  ASSERT_EQ(o.warnings.size(), 1u);
  EXPECT_EQ(o.warnings[0].code, "unknown_values");
  auto j = to_json(o);
  EXPECT_EQ(j["source"], "column");
  EXPECT_EQ(j["unknownValues"][0]["value"], "pending");
}

TEST(Outcomes, MixedSpellingsCaseInsensitive) {
  Table t = load_table("id,deal\n1,Won\n2,LOST\n3,True\n4,false\n5,1\n6,0\n7,open\n8,N/A\n9,open\n");
  Outcomes o = outcomes_from_column(t, "deal");
  std::vector<int8_t> want = {1, 0, 1, 0, 1, 0, -1, -1, -1};
  EXPECT_EQ(o.value, want);
  EXPECT_EQ(o.missing, 1u);  // "N/A" is a missing token
  ASSERT_EQ(o.unknown_values.size(), 1u);
  EXPECT_EQ(o.unknown_values[0], std::make_pair(std::string("open"), size_t(2)));
}

TEST(Outcomes, BooleanAndNumberColumns) {
  Table t = load_table("a,b\nyes,1\nno,0\n,2\nYES,\n");
  ASSERT_EQ(column(t, "a").type, ColumnType::Boolean);
  ASSERT_EQ(column(t, "b").type, ColumnType::Number);
  Outcomes a = outcomes_from_column(t, "a");
  EXPECT_EQ(a.value, (std::vector<int8_t>{1, 0, -1, 1}));
  Outcomes b = outcomes_from_column(t, "b");
  EXPECT_EQ(b.value, (std::vector<int8_t>{1, 0, -1, -1}));
  EXPECT_EQ(b.missing, 1u);
  ASSERT_EQ(b.unknown_values.size(), 1u);
  EXPECT_EQ(b.unknown_values[0].first, "2");
}

TEST(Outcomes, ErrorsSayWhatToDo) {
  Table t = load_table("id,converted,created\n1,yes,2024-01-02\n");
  try {
    outcomes_from_column(t, "convertd");
    FAIL() << "no error";
  } catch (const MetricsError& e) {
    EXPECT_EQ(e.code, "unknown_field");
    EXPECT_EQ(e.field, "convertd");
    EXPECT_NE(std::string(e.what()).find("did you mean 'converted'"), std::string::npos) << e.what();
  }
  try {
    outcomes_from_column(t, "created");
    FAIL() << "no error";
  } catch (const MetricsError& e) {
    EXPECT_EQ(e.code, "outcome");
    EXPECT_NE(std::string(e.what()).find("dates"), std::string::npos);
  }
}

TEST(Outcomes, NoKnownOutcomeIsAWarningNotAnError) {
  Table t = load_table("id,title\n1,CEO\n2,CTO\n");
  Outcomes o = outcomes_from_column(t, "title");
  EXPECT_EQ(o.unknown, 2u);
  ASSERT_FALSE(o.warnings.empty());
  EXPECT_EQ(o.warnings[0].code, "no_outcomes");
}

TEST(Outcomes, JoinByIdCountsUnmatchedAndMissing) {
  Table leads = load_table("lead,name\n1,a\n2,b\n3,c\n4,d\n,e\n3,f\n");
  Table deals = load_table("lead_id,amount\n2,10\n4,5\n4,7\n99,1\n,3\n\" 3 \",2\n");
  Outcomes o = outcomes_from_ids(leads, "lead", deals, "lead_id");
  EXPECT_EQ(o.value, (std::vector<int8_t>{0, 1, 1, 1, -1, 1}));
  EXPECT_EQ(o.positives, 4u);
  EXPECT_EQ(o.negatives, 1u);
  EXPECT_EQ(o.unknown, 1u);
  EXPECT_EQ(o.unmatched, 1u);
  EXPECT_EQ(o.unmatched_examples, std::vector<std::string>{"99"});
  EXPECT_EQ(o.deals_missing_id, 1u);
  EXPECT_EQ(o.duplicate_lead_ids, 1u);
  EXPECT_EQ(o.deals_rows, 6u);
  std::set<std::string> codes;
  for (const auto& w : o.warnings) codes.insert(w.code);
  EXPECT_EQ(codes, (std::set<std::string>{"unmatched_ids", "missing_ids", "duplicate_ids"}));
  try {
    outcomes_from_ids(leads, "lead", deals, "deal");
    FAIL() << "no error";
  } catch (const MetricsError& e) {
    EXPECT_EQ(e.code, "unknown_field");
    EXPECT_EQ(e.field, "deal");
  }
}

// Olist: an MQL converted iff its mql_id appears in the closed deals. Independent count: the
// first field of each line of both files (ids are plain hex, never quoted).
TEST(Outcomes, OlistFunnelJoin) {
  const std::string dir = data_path("olist-like/");
  auto first_fields = [](const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::vector<std::string> v;
    std::getline(in, line);
    while (std::getline(in, line)) v.push_back(line.substr(0, line.find(',')));
    return v;
  };
  auto mqls = first_fields(dir + "olist_marketing_qualified_leads_dataset.csv");
  auto deals_ids = first_fields(dir + "olist_closed_deals_dataset.csv");
  std::set<std::string> lead_set(mqls.begin(), mqls.end()), deal_set(deals_ids.begin(), deals_ids.end());
  size_t converted = 0, unmatched = 0;
  for (const auto& id : mqls) converted += deal_set.count(id);
  for (const auto& id : deals_ids) unmatched += !lead_set.count(id);

  Table leads = load_table_file(dir + "olist_marketing_qualified_leads_dataset.csv");
  Table deals = load_table_file(dir + "olist_closed_deals_dataset.csv");
  Outcomes o = outcomes_from_ids(leads, "mql_id", deals, "mql_id");
  EXPECT_EQ(leads.rows, 8000u);
  EXPECT_EQ(deals.rows, 842u);
  EXPECT_EQ(o.positives, converted);
  EXPECT_EQ(o.negatives, mqls.size() - converted);
  EXPECT_EQ(o.unmatched, unmatched);
  EXPECT_EQ(o.unknown, 0u);
  EXPECT_GT(o.positives, 800u);  // README: 10.5 % of 8,000
}

}  // namespace test_outcomes
