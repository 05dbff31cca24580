// Real exports (tests/data; Olist is a seeded synthetic stand-in): UCI Bank Marketing (; separated, quoted text, CRLF
// in the "additional" file) and the Olist marketing funnel (MQLs and closed deals). Every cell of the bank files is
// checked against a naive split of the file text.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "leadscore/table.h"
#include "test_util.h"

namespace test_real_data {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;
using nlohmann::json;

namespace {

// The bank files have no quoted delimiters or line breaks: split lines on ';', strip quotes.
std::vector<std::vector<std::string>> naive_split(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  size_t at = 0;
  while (at < text.size()) {
    size_t eol = text.find('\n', at);
    if (eol == std::string::npos) eol = text.size();
    std::string line = text.substr(at, eol - at);
    at = eol + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> fields;
    size_t f = 0;
    for (;;) {
      const size_t semi = line.find(';', f);
      std::string v = line.substr(f, semi == std::string::npos ? std::string::npos : semi - f);
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      fields.push_back(v);
      if (semi == std::string::npos) break;
      f = semi + 1;
    }
    rows.push_back(fields);
  }
  return rows;
}

const Column& col(const Table& t, const std::string& name) { return test::column(t, name); }

// Each cell against the file's text, by the column's type.
void check_every_cell(const Table& t, const std::vector<std::vector<std::string>>& raw) {
  ASSERT_EQ(raw.size(), t.rows + 1);
  for (size_t c = 0; c < t.columns.size(); ++c) {
    const Column& column = t.columns[c];
    ASSERT_EQ(column.header, raw[0][c]);
    size_t bad = 0;
    for (size_t r = 0; r < t.rows && bad < 5; ++r) {
      const std::string& text = raw[r + 1][c];
      const bool missing = text == "unknown";
      if (column.is_missing(r) != missing) {
        ADD_FAILURE() << column.name << " row " << r << ": missing? text " << text;
        ++bad;
        continue;
      }
      if (missing) continue;
      switch (column.type) {
        case ColumnType::Number:
          if (column.num[r] != std::strtod(text.c_str(), nullptr)) ++bad, ADD_FAILURE() << column.name << " row " << r;
          break;
        case ColumnType::Boolean:
          if (column.value_json(r) != json(text == "yes")) ++bad, ADD_FAILURE() << column.name << " row " << r;
          break;
        case ColumnType::String:
          if (column.value_text(r) != text) ++bad, ADD_FAILURE() << column.name << " row " << r;
          break;
        case ColumnType::Date:
          ++bad, ADD_FAILURE() << column.name << " is not a date column";
          break;
      }
    }
  }
}

}  // namespace

TEST(RealData, BankFull) {
  const std::string path = test::data_path("bank-marketing/bank-full.csv");
  const Table t = load_table_file(path);
  EXPECT_EQ(t.format, "csv");
  EXPECT_EQ(t.delimiter, ';');
  ASSERT_EQ(t.rows, 45211u);
  ASSERT_EQ(t.columns.size(), 17u);
  EXPECT_TRUE(t.problems.empty()) << t.problems.front().message;
  for (const char* n : {"age", "balance", "day", "duration", "campaign", "pdays", "previous"})
    EXPECT_EQ(col(t, n).type, ColumnType::Number) << n;
  for (const char* n : {"job", "marital", "education", "contact", "month", "poutcome"})
    EXPECT_EQ(col(t, n).type, ColumnType::String) << n;
  for (const char* n : {"default", "housing", "loan", "y"}) EXPECT_EQ(col(t, n).type, ColumnType::Boolean) << n;

  // "unknown" (a default missing token) is missing, and not in the dictionary
  const Column& job = col(t, "job");
  EXPECT_EQ(std::find(job.dict.begin(), job.dict.end(), "unknown"), job.dict.end());
  size_t jobs_missing = 0, yes = 0;
  for (size_t r = 0; r < t.rows; ++r) {
    jobs_missing += job.is_missing(r);
    yes += col(t, "y").num[r] == 1;
  }
  EXPECT_EQ(jobs_missing, 288u);
  EXPECT_EQ(yes, 5289u);  // 11.7%

  // first and last rows, as in the file
  EXPECT_EQ(t.row_json(0), json::parse(R"({"age":58,"job":"management","marital":"married","education":"tertiary",
      "default":false,"balance":2143,"housing":true,"loan":false,"day":5,"month":"may","duration":261,
      "campaign":1,"pdays":-1,"previous":0,"y":false})"));
  EXPECT_EQ(t.row_json(45210), json::parse(R"({"age":37,"job":"entrepreneur","marital":"married",
      "education":"secondary","default":false,"balance":2971,"housing":false,"loan":false,"contact":"cellular",
      "day":17,"month":"nov","duration":361,"campaign":2,"pdays":188,"previous":11,"poutcome":"other","y":false})"));
  EXPECT_EQ(t.row_line.front(), 2u);
  EXPECT_EQ(t.row_line.back(), 45212u);

  check_every_cell(t, naive_split(test::read_file(path)));
}

TEST(RealData, BankAdditionalFullWithCrlf) {
  const std::string path = test::data_path("bank-marketing/bank-additional-full.csv");
  const std::string text = test::read_file(path);
  ASSERT_NE(text.find("\r\n"), std::string::npos);
  const Table t = load_table_file(path);
  EXPECT_EQ(t.delimiter, ';');
  ASSERT_EQ(t.rows, 41188u);
  ASSERT_EQ(t.columns.size(), 21u);
  EXPECT_TRUE(t.problems.empty()) << t.problems.front().message;
  for (const char* n : {"emp.var.rate", "cons.price.idx", "cons.conf.idx", "euribor3m", "nr.employed", "pdays"})
    EXPECT_EQ(col(t, n).type, ColumnType::Number) << n;
  EXPECT_EQ(col(t, "y").type, ColumnType::Boolean);
  EXPECT_EQ(col(t, "empvarrate").name, "emp_var_rate");      // found by normalised name
  EXPECT_EQ(col(t, "emp.var.rate").header, "emp.var.rate");  // dots become '_' in the name, not the header
  EXPECT_EQ(col(t, "emp.var.rate").value_json(0), json(1.1));
  EXPECT_EQ(col(t, "cons.price.idx").value_text(0), "93.994");
  EXPECT_EQ(col(t, "nr.employed").value_json(41187), json(4963.6));
  EXPECT_EQ(col(t, "y").value_json(41186), json(true));
  EXPECT_EQ(col(t, "job").value_text(41187), "retired");
  // the last header and value carry no stray \r
  EXPECT_EQ(t.columns.back().header, "y");
  check_every_cell(t, naive_split(text));
  // streaming the same text in odd-sized pieces gives the same table
  TableLoader l;
  for (size_t at = 0; at < text.size(); at += 77777)
    l.feed(text.data() + at, std::min<size_t>(77777, text.size() - at));
  const Table s = l.finish();
  ASSERT_EQ(s.rows, t.rows);
  for (size_t r = 0; r < t.rows; r += 997) EXPECT_EQ(s.row_json(r), t.row_json(r));
}

TEST(RealData, OlistMarketingQualifiedLeads) {
  const Table t = load_table_file(test::data_path("olist-like/olist_marketing_qualified_leads_dataset.csv"));
  EXPECT_EQ(t.delimiter, ',');
  ASSERT_EQ(t.rows, 8000u);
  ASSERT_EQ(t.columns.size(), 4u);
  EXPECT_TRUE(t.problems.empty()) << t.problems.front().message;
  const Column& first = col(t, "first_contact_date");
  EXPECT_EQ(first.type, ColumnType::Date);
  EXPECT_FALSE(first.date_has_time);
  EXPECT_EQ(first.value_text(0), "2017-12-07");
  EXPECT_EQ(col(t, "mql_id").value_text(0), "0dcc291e1c0876a8cdd23e6dbef2cd29");
  EXPECT_EQ(col(t, "origin").type, ColumnType::String);
  EXPECT_EQ(col(t, "mql_id").dict.size(), 8000u);  // one id per lead
}

TEST(RealData, OlistClosedDeals) {
  const Table t = load_table_file(test::data_path("olist-like/olist_closed_deals_dataset.csv"));
  ASSERT_EQ(t.rows, 842u);
  ASSERT_EQ(t.columns.size(), 14u);
  EXPECT_TRUE(t.problems.empty()) << t.problems.front().message;
  const Column& won = col(t, "won_date");
  EXPECT_EQ(won.type, ColumnType::Date);
  EXPECT_TRUE(won.date_has_time);
  EXPECT_EQ(won.value_text(0), "2017-12-02T09:00:25Z");
  EXPECT_EQ(col(t, "declared_monthly_revenue").type, ColumnType::Number);
  EXPECT_EQ(col(t, "has_company").type, ColumnType::Boolean);  // True/False
  // joined on mql_id: every closed deal is one of the MQLs
  const Table mql = load_table_file(test::data_path("olist-like/olist_marketing_qualified_leads_dataset.csv"));
  const Column& ids = col(mql, "mql_id");
  const std::vector<std::string> id_texts = ids.dict.to_strings();
  const std::set<std::string> known(id_texts.begin(), id_texts.end());
  size_t found = 0;
  for (size_t r = 0; r < t.rows; ++r) found += known.count(col(t, "mql_id").value_text(r));
  EXPECT_EQ(found, 842u);
}

}  // namespace test_real_data
