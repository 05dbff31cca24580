// CRM and spreadsheet exports as they are: formatted numbers read per column with the decision
// reported, identifier-like columns kept as text, rows of only delimiters skipped, a `sep=` line
// honoured, and an export that writes every input cell as it was read (the round trip).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "io/number_formats.h"
#include "leadscore/export.h"
#include "leadscore/rules.h"
#include "leadscore/scorer.h"
#include "leadscore/table.h"
#include "test_util.h"

namespace test_crm_files {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;

bool has_problem(const Table& t, const std::string& field, const std::string& part) {
  for (const auto& p : t.problems)
    if (p.field == field && p.message.find(part) != std::string::npos) return true;
  return false;
}

TEST(CrmNumbers, ThousandsCurrencyPercentAndParentheses) {
  Table t = load_table(
      "name,amount,share,owed\n"
      "a,\"$1,200.50\",45 %,\"(1,200)\"\n"
      "b,$3,5%,\"2,000\"\n"
      "c,\"$12,345,678.9\",100%,-7\n");
  const Column& amount = test::column(t, "amount");
  ASSERT_EQ(amount.type, ColumnType::Number);
  EXPECT_EQ(amount.num[0], 1200.5);
  EXPECT_EQ(amount.num[1], 3);
  EXPECT_EQ(amount.num[2], 12345678.9);
  EXPECT_TRUE(has_problem(t, "amount", "currency \"$\""));
  const Column& share = test::column(t, "share");
  ASSERT_EQ(share.type, ColumnType::Number);
  EXPECT_EQ(share.num[0], 45);
  EXPECT_EQ(share.num[2], 100);
  const Column& owed = test::column(t, "owed");
  ASSERT_EQ(owed.type, ColumnType::Number);
  EXPECT_EQ(owed.num[0], -1200);
  EXPECT_EQ(owed.num[1], 2000);
  EXPECT_EQ(owed.num[2], -7);
}

TEST(CrmNumbers, DecimalCommaDetectedFromTheValues) {
  Table t = load_table("name,eu,de\na,\"12,5\",\"1.234,5\"\nb,3,\"2.000.000\"\nc,\"0,25\",7\n");
  const Column& eu = test::column(t, "eu");
  ASSERT_EQ(eu.type, ColumnType::Number);
  EXPECT_EQ(eu.num[0], 12.5);
  EXPECT_EQ(eu.num[2], 0.25);
  EXPECT_TRUE(has_problem(t, "eu", "decimal comma"));
  const Column& de = test::column(t, "de");
  ASSERT_EQ(de.type, ColumnType::Number);
  EXPECT_EQ(de.num[0], 1234.5);
  EXPECT_EQ(de.num[1], 2000000);
}

TEST(CrmNumbers, AmbiguousGroupsFollowTheDelimiterAndTheOverride) {
  // "1,234" reads as 1234 or 1.234: a comma-delimited file means a thousands separator...
  Table comma = load_table("id,v\n1,\"1,234\"\n2,\"5,000\"\n");
  EXPECT_EQ(test::column(comma, "v").num[0], 1234);
  EXPECT_TRUE(has_problem(comma, "v", "could also be read with a decimal comma"));
  // ...a semicolon-delimited one (the decimal-comma locales) a decimal comma.
  Table semi = load_table("id;v\n1;1,234\n2;5,000\n");
  EXPECT_EQ(test::column(semi, "v").num[0], 1.234);
  EXPECT_TRUE(has_problem(semi, "v", "could also be read with a decimal point"));
  LoadOptions o;
  o.decimal = '.';
  EXPECT_EQ(test::column(load_table("id;v\n1;1,234\n2;5,000\n", o), "v").num[0], 1234);
  o.decimal = ',';
  EXPECT_EQ(test::column(load_table("id,v\n1,\"1,234\"\n", o), "v").num[0], 1.234);
}

TEST(CrmNumbers, TextThatOnlyLooksNumericStaysText) {
  Table t = load_table(
      "a,b,c,d,e\n"
      "\"1,2,3\",1.2.3,SKU 100,\"$5\",192.168.1.1\n"
      "\"4,5\",2.0.1,SKU 200,\"€6\",10.0.0.1\n");
  for (const char* name : {"a", "b", "c", "d", "e"}) EXPECT_EQ(test::column(t, name).type, ColumnType::String) << name;
}

TEST(CrmIdentifiers, LeadingZerosLongDigitsAndPhonesStayText) {
  Table t = load_table(
      "zipcode,account,mobile_no,ref,count\n"
      "02139,1234567890123456789,+447700900123,07700900123,5\n"
      "10001,12,+15555550100,12,6\n");
  EXPECT_EQ(test::column(t, "zipcode").type, ColumnType::String);
  EXPECT_EQ(test::column(t, "zipcode").dict[0], "02139");
  EXPECT_EQ(test::column(t, "account").type, ColumnType::String);
  EXPECT_EQ(test::column(t, "account").dict[0], "1234567890123456789");
  EXPECT_EQ(test::column(t, "mobile_no").type, ColumnType::String);
  EXPECT_EQ(test::column(t, "ref").type, ColumnType::String);
  EXPECT_EQ(test::column(t, "ref").dict[0], "07700900123");
  EXPECT_EQ(test::column(t, "count").type, ColumnType::Number);
  EXPECT_TRUE(has_problem(t, "ref", "leading zeros"));
  EXPECT_TRUE(has_problem(t, "zipcode", "leading zeros"));  // the values' evidence before the header's
  EXPECT_TRUE(has_problem(t, "account", "more digits"));
  // A column named like a postal code stays text even without a leading zero...
  EXPECT_EQ(test::column(load_table("Postal Code\n94103\n10001\n"), "Postal Code").type, ColumnType::String);
  // ...unless declared a number.
  LoadOptions o;
  o.fields.push_back({"zip", ColumnType::Number, {}, {}});
  Table declared = load_table("zip\n02139\n10001\n", o);
  EXPECT_EQ(test::column(declared, "zip").type, ColumnType::Number);
  EXPECT_EQ(test::column(declared, "zip").num[0], 2139);
}

TEST(CrmRows, RowsOfOnlyDelimitersAreSkippedAndCounted) {
  Table t = load_table("a,b,c\n1,x,2\n,,\n , ,\n3,y,4\n,,\n");
  EXPECT_EQ(t.rows, 2u);
  EXPECT_EQ(t.row_line, (std::vector<size_t>{2, 5}));
  bool counted = false;
  for (const auto& p : t.problems)
    if (p.message.find("3 rows with no values") != std::string::npos && p.line == 3) counted = true;
  EXPECT_TRUE(counted);
  // A quoted empty field is a value someone wrote: that row stays.
  EXPECT_EQ(load_table("a,b\n1,2\n\"\",\n").rows, 2u);
}

TEST(CrmRows, SepLineSetsTheDelimiter) {
  Table t = load_table("sep=;\r\nname;amount;city\r\nA;5;Paris, FR\r\n");
  EXPECT_EQ(t.delimiter, ';');
  ASSERT_EQ(t.columns.size(), 3u);
  EXPECT_EQ(test::column(t, "city").dict[0], "Paris, FR");
  EXPECT_EQ(t.row_line[0], 3u);
  // with a BOM, and fed one byte at a time
  TableLoader loader;
  const std::string text = "\xEF\xBB\xBFSEP=|\nname|amount\nA|5\n";
  for (char c : text) loader.feed(&c, 1);
  Table piecewise = loader.finish();
  EXPECT_EQ(piecewise.delimiter, '|');
  EXPECT_EQ(piecewise.columns.size(), 2u);
}

std::string export_csv(const Table& t) {
  auto table = std::make_shared<const Table>(t);
  Scorer s(table);
  s.set_rules(parse_rule_set(R"({"rules":[{"id":"r","when":{"==":[1,1]},"points":1}]})"));
  ScoredCsvWriter w(s, false);
  std::string out = w.header();
  w.append_rows(0, t.rows, out);
  return out;
}

TEST(CrmExport, EveryCellIsWrittenAsItWasRead) {
  const std::string input =
      "Full Name,Amount,Opted In,Created,Status,Phone,Zip,Score\r\n"
      "Ann,\"$1,200.50\",Yes,03/04/2024,Select,+44 20 7946 0958,02139,7\r\n"
      "Bob,5.0,No,13/04/2024,open,-5,10001,\r\n"
      "Cy, 7 ,n/a,01/05/2024,=HYPERLINK(\"x\"),@me,99,9\r\n";
  Table t = load_table(input);
  const std::string out = export_csv(t);
  const size_t first_break = out.find("\r\n");
  EXPECT_EQ(out.substr(0, first_break),
            "Full Name,Amount,Opted In,Created,Status,Phone,Zip,Score,score,score_fit,score_engagement,tier,action,"
            "sales_ready");
  EXPECT_NE(out.find("Ann,\"$1,200.50\",Yes,03/04/2024,Select,+44 20 7946 0958,02139,7,1,"), std::string::npos) << out;
  EXPECT_NE(out.find("Bob,5.0,No,13/04/2024,open,-5,10001,,1,"), std::string::npos) << out;
  // A formula is neutralised (OWASP); a value that only looks like one keeps its spelling.
  EXPECT_NE(out.find("Cy, 7 ,n/a,01/05/2024,\"'=HYPERLINK(\"\"x\"\")\",'@me,99,9,1,"), std::string::npos) << out;
  // The input's own "Score" column differs in case from "score": kept. Re-scoring the export
  // replaces the added columns instead of repeating them.
  Table again = load_table(out);
  const std::string out2 = export_csv(again);
  EXPECT_EQ(out2, out);
}

TEST(CrmExport, RoundTripGivesTheSameValues) {
  Table t = load_table("a,b,c,d\n\"1.234,5\",TRUE,2024-03-01 09:30,x\n\"2,5\",false,2024-03-02 10:00,\n");
  Table back = load_table(export_csv(t));
  for (const char* name : {"a", "b", "c", "d"}) {
    const Column& x = test::column(t, name);
    const Column& y = test::column(back, name);
    ASSERT_EQ(x.type, y.type) << name;
    for (size_t r = 0; r < t.rows; ++r) {
      EXPECT_EQ(x.value_json(r), y.value_json(r)) << name << r;
      EXPECT_EQ(x.text_as_read(r), y.text_as_read(r)) << name << r;
    }
  }
}

TEST(CrmExport, FormulaGuardLeavesNumbersAndPhonesAlone) {
  for (const char* safe : {"-5", "+44 20 7946 0958", "+1 (555) 010-0100", "-1,234.5", "plain"})
    EXPECT_FALSE(starts_like_formula(safe)) << safe;
  for (const char* risky : {"=1+2", "+cmd|' /C calc'!A0", "-2+3+cmd|x", "@SUM(A1)", "\tx", "+", "-"})
    EXPECT_TRUE(starts_like_formula(risky)) << risky;
}

// Found by the export fuzz target (issue 28): an empty first header was dropped from the header
// line, so every column name of the export sat one column to the left of its values.
TEST(CrmExport, AnEmptyFirstHeaderKeepsItsColumn) {
  auto t = std::make_shared<Table>(load_table(",b\n1,2\n"));
  Scorer s(t);
  s.set_rules(std::string(R"({"rules": [{"id": "a", "points": 1}]})"));
  ScoredCsvWriter w(s, false);
  std::string out = w.header();
  w.append_rows(0, 1, out);
  const size_t eol = out.find("\r\n");
  const std::string head = out.substr(0, eol), row = out.substr(eol + 2);
  EXPECT_EQ(std::count(head.begin(), head.end(), ','), std::count(row.begin(), row.end(), ',')) << out;
  EXPECT_EQ(head.substr(0, 3), ",b,") << out;
}

}  // namespace test_crm_files
