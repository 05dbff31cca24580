// Type inference (number, boolean, date, string), dates of each form, D/M vs M/D, Excel serials,
// type hints and their problems, missing tokens, declared fields and aliases, value formatting.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>
#include <set>
#include <string>

#include "io/values.h"
#include "leadscore/table.h"
#include "test_util.h"

namespace test_type_inference {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;
using nlohmann::json;

namespace {

const Column& col(const Table& t, const std::string& name) { return test::column(t, name); }

// One column named x holding the given values (one per line).
Table one_column(const std::vector<std::string>& values, const LoadOptions& o = {}) {
  std::string text = "x\n";
  for (const auto& v : values) text += "\"" + v + "\"\n";
  return load_table(text, o);
}

std::vector<std::string> texts(const Column& c, size_t rows) {
  std::vector<std::string> out;
  for (size_t r = 0; r < rows; ++r) out.push_back(c.value_text(r));
  return out;
}

LoadOptions hinted(const std::string& field, ColumnType type) {
  LoadOptions o;
  FieldSpec f;
  f.name = field;
  f.type = type;
  o.fields.push_back(f);
  return o;
}

constexpr double k20240301 = 1709251200000.0;  // 2024-03-01T00:00:00Z in ms

}  // namespace

TEST(TypeInference, Numbers) {
  const Table t = one_column({"1", "-2.5", "+3", ".5", "1e3", " 7 ", "5.", "-1.5E-2"});
  const Column& c = col(t, "x");
  ASSERT_EQ(c.type, ColumnType::Number);
  EXPECT_EQ(c.num.to_vector(), (std::vector<double>{1, -2.5, 3, 0.5, 1000, 7, 5, -0.015}));
  EXPECT_TRUE(t.problems.empty());
}

TEST(TypeInference, NotNumbers) {
  // ("1,234", "$5", "5%", "1 000" read as formatted numbers: test_crm_files.cpp)
  for (const char* bad : {"0x1F", "Infinity", "-Infinity", "NaN", "1.2.3", "12abc", "1e", "--1", "e5", ".", "+",
                          "1e999", "5$5", "1,2,3"}) {
    const Table t = one_column({"1", bad});
    EXPECT_EQ(col(t, "x").type, ColumnType::String) << bad;
    EXPECT_EQ(col(t, "x").value_text(1), bad);
  }
}

TEST(TypeInference, NumberFormatting) {
  const Table t = one_column({"1.5", "3", "0.1", "1e21", "1e-7", "123456789.125", "-0.000001", "0.30000000000000004",
                              "3.0", "-0", "9007199254740992", "1.7976931348623157e308", "5e-324", "100"});
  const Column& c = col(t, "x");
  ASSERT_EQ(c.type, ColumnType::Number);
  EXPECT_EQ(
      texts(c, t.rows),
      (std::vector<std::string>{"1.5", "3", "0.1", "1e+21", "1e-7", "123456789.125", "-0.000001", "0.30000000000000004",
                                "3", "0", "9007199254740992", "1.7976931348623157e+308", "5e-324", "100"}));
  EXPECT_TRUE(c.value_json(1).is_number_integer());
  EXPECT_EQ(c.value_json(1), json(3));
  EXPECT_TRUE(c.value_json(0).is_number_float());
  EXPECT_EQ(c.value_json(0), json(1.5));
  EXPECT_TRUE(c.value_json(8).is_number_integer());
}

TEST(TypeInference, Booleans) {
  Table t = one_column({"yes", "No", "TRUE", "false", "Y", "n", " yes "});
  ASSERT_EQ(col(t, "x").type, ColumnType::Boolean);
  EXPECT_EQ(col(t, "x").num.to_vector(), (std::vector<double>{1, 0, 1, 0, 1, 0, 1}));
  EXPECT_EQ(col(t, "x").value_json(0), json(true));
  EXPECT_EQ(col(t, "x").value_json(1), json(false));
  EXPECT_EQ(col(t, "x").value_text(2), "true");

  t = one_column({"yes", "no", "1", "0"});  // words mixed with 0/1
  ASSERT_EQ(col(t, "x").type, ColumnType::Boolean);
  EXPECT_EQ(col(t, "x").num.to_vector(), (std::vector<double>{1, 0, 1, 0}));

  t = one_column({"1", "0", "1"});  // only 0/1: a number
  EXPECT_EQ(col(t, "x").type, ColumnType::Number);

  t = one_column({"1", "0", "1"}, hinted("x", ColumnType::Boolean));  // ...unless hinted
  ASSERT_EQ(col(t, "x").type, ColumnType::Boolean);
  EXPECT_EQ(col(t, "x").value_json(0), json(true));

  t = one_column({"yes", "maybe"});
  EXPECT_EQ(col(t, "x").type, ColumnType::String);
}

TEST(TypeInference, IsoDates) {
  Table t = one_column({"2024-03-01", "2024-3-2", "2024/03/03"});
  ASSERT_EQ(col(t, "x").type, ColumnType::Date);
  EXPECT_FALSE(col(t, "x").date_has_time);
  EXPECT_EQ(col(t, "x").num[0], k20240301);
  EXPECT_EQ(texts(col(t, "x"), t.rows), (std::vector<std::string>{"2024-03-01", "2024-03-02", "2024-03-03"}));
  EXPECT_EQ(col(t, "x").value_json(0), json("2024-03-01"));

  t = one_column({"2024-03-01T09:30", "2024-03-01T09:30:00Z", "2024-03-01T09:30:00+02:00", "2024-03-01 09:30:00",
                  "2024-03-01T09:30:00.123Z", "2024-03-01T09:30:00.5-0130", "2024-03-01",
                  "2024-03-01T23:59:59.999999Z"});
  const Column& c = col(t, "x");
  ASSERT_EQ(c.type, ColumnType::Date);
  EXPECT_TRUE(c.date_has_time);
  EXPECT_EQ(texts(c, t.rows),
            (std::vector<std::string>{"2024-03-01T09:30:00Z", "2024-03-01T09:30:00Z", "2024-03-01T07:30:00Z",
                                      "2024-03-01T09:30:00Z", "2024-03-01T09:30:00.123Z", "2024-03-01T11:00:00.500Z",
                                      "2024-03-01T00:00:00Z", "2024-03-01T23:59:59.999Z"}));
  EXPECT_EQ(c.num[0], k20240301 + 9.5 * 3600000);
  EXPECT_TRUE(t.problems.empty());

  // invalid calendar dates make the column text
  EXPECT_EQ(col(one_column({"2024-02-29", "2023-02-29"}), "x").type, ColumnType::String);
  EXPECT_EQ(col(one_column({"2024-02-29"}), "x").type, ColumnType::Date);
  EXPECT_EQ(col(one_column({"2024-03-01T25:00"}), "x").type, ColumnType::String);
  EXPECT_EQ(col(one_column({"2024-03-01x"}), "x").type, ColumnType::String);
}

TEST(TypeInference, SlashDatesMonthFirstByDefault) {
  const Table t = one_column({"03/04/2024", "05/06/2024", "3/4/24", "12/1/99"});
  const Column& c = col(t, "x");
  ASSERT_EQ(c.type, ColumnType::Date);
  EXPECT_EQ(texts(c, t.rows), (std::vector<std::string>{"2024-03-04", "2024-05-06", "2024-03-04", "1999-12-01"}));
  ASSERT_EQ(t.problems.size(), 1u);  // the ambiguity is noted once for the column
  EXPECT_EQ(t.problems[0].field, "x");
  EXPECT_EQ(t.problems[0].column, 1u);
  EXPECT_NE(t.problems[0].message.find("month/day/year"), std::string::npos) << t.problems[0].message;
}

TEST(TypeInference, SlashDatesDecidedByTheData) {
  Table t = one_column({"13/04/2024", "03/04/2024"});  // a first part > 12: day first
  EXPECT_EQ(texts(col(t, "x"), t.rows), (std::vector<std::string>{"2024-04-13", "2024-04-03"}));
  EXPECT_TRUE(t.problems.empty());

  t = one_column({"04/13/2024", "03/04/2024"});  // a second part > 12: month first
  EXPECT_EQ(texts(col(t, "x"), t.rows), (std::vector<std::string>{"2024-04-13", "2024-03-04"}));
  EXPECT_TRUE(t.problems.empty());

  t = one_column({"13/04/2024", "04/13/2024"});  // both: not one date column
  EXPECT_EQ(col(t, "x").type, ColumnType::String);

  LoadOptions dmy;
  dmy.date_order = LoadOptions::DateOrder::DMY;
  t = one_column({"03/04/2024", "1/2/2024 14:05"}, dmy);
  EXPECT_EQ(texts(col(t, "x"), t.rows), (std::vector<std::string>{"2024-04-03T00:00:00Z", "2024-02-01T14:05:00Z"}));
  EXPECT_TRUE(t.problems.empty());

  LoadOptions mdy;
  mdy.date_order = LoadOptions::DateOrder::MDY;
  t = one_column({"03/04/2024"}, mdy);
  EXPECT_EQ(col(t, "x").value_text(0), "2024-03-04");
  EXPECT_TRUE(t.problems.empty());

  t = one_column({"02/30/2024", "01/01/2024"});  // no 30 February either way
  EXPECT_EQ(col(t, "x").type, ColumnType::String);

  t = one_column({"3/4/2024 9:05 PM", "3/5/2024 12:00 am"});
  EXPECT_EQ(texts(col(t, "x"), t.rows), (std::vector<std::string>{"2024-03-04T21:05:00Z", "2024-03-05T00:00:00Z"}));
}

TEST(TypeInference, DottedDatesAreDayFirst) {
  const Table t = one_column({"01.03.2024", "31.12.2023", "1.2.24"});
  ASSERT_EQ(col(t, "x").type, ColumnType::Date);
  EXPECT_EQ(texts(col(t, "x"), t.rows), (std::vector<std::string>{"2024-03-01", "2023-12-31", "2024-02-01"}));
  EXPECT_TRUE(t.problems.empty());
}

TEST(TypeInference, ExcelSerialsOnlyWithADateHint) {
  const std::vector<std::string> serials = {"25569", "1", "59", "61", "45352", "45352.5", "2024-03-02"};
  Table t = one_column(serials, hinted("x", ColumnType::Date));
  const Column& c = col(t, "x");
  ASSERT_EQ(c.type, ColumnType::Date);
  EXPECT_TRUE(c.date_has_time);
  EXPECT_EQ(texts(c, t.rows),
            (std::vector<std::string>{"1970-01-01T00:00:00Z", "1900-01-01T00:00:00Z", "1900-02-28T00:00:00Z",
                                      "1900-03-01T00:00:00Z", "2024-03-01T00:00:00Z", "2024-03-01T12:00:00Z",
                                      "2024-03-02T00:00:00Z"}));
  EXPECT_EQ(c.num[0], 0.0);
  EXPECT_EQ(c.num[4], k20240301);
  EXPECT_TRUE(t.problems.empty());

  // 60 is Excel's 1900-02-29, which did not exist
  t = one_column({"60", "61"}, hinted("x", ColumnType::Date));
  EXPECT_TRUE(col(t, "x").is_missing(0));
  EXPECT_EQ(col(t, "x").value_text(1), "1900-03-01");
  ASSERT_EQ(t.problems.size(), 1u);
  EXPECT_EQ(t.problems[0].line, 2u);

  // without the hint a serial is just a number
  t = one_column({"45352", "25569"});
  EXPECT_EQ(col(t, "x").type, ColumnType::Number);
}

TEST(TypeInference, HintsWinAndReportCellsThatDoNotFit) {
  LoadOptions o = hinted("age", ColumnType::Number);
  FieldSpec b;
  b.name = "ok";
  b.type = ColumnType::Boolean;
  o.fields.push_back(b);
  FieldSpec d;
  d.name = "when";
  d.type = ColumnType::Date;
  o.fields.push_back(d);
  FieldSpec s;
  s.name = "zip";
  s.type = ColumnType::String;
  o.fields.push_back(s);
  const Table t = load_table(
      "name,age,ok,when,zip\n"
      "Ann,31,yes,2024-03-01,007\n"
      "Bob,abc,maybe,tomorrow,12345\n"
      "Cy,,n,,\n",
      o);
  ASSERT_EQ(t.rows, 3u);
  EXPECT_EQ(col(t, "age").type, ColumnType::Number);
  EXPECT_EQ(col(t, "age").value_json(0), json(31));
  EXPECT_TRUE(col(t, "age").is_missing(1));
  EXPECT_TRUE(col(t, "age").is_missing(2));
  EXPECT_EQ(col(t, "ok").type, ColumnType::Boolean);
  EXPECT_TRUE(col(t, "ok").is_missing(1));
  EXPECT_EQ(col(t, "when").type, ColumnType::Date);
  EXPECT_TRUE(col(t, "when").is_missing(1));
  EXPECT_EQ(col(t, "zip").type, ColumnType::String);
  EXPECT_EQ(col(t, "zip").value_json(0), json("007"));
  EXPECT_EQ(col(t, "zip").value_json(1), json("12345"));
  EXPECT_TRUE(col(t, "zip").is_missing(2));

  ASSERT_EQ(t.problems.size(), 3u);  // "" is a missing token, not a problem
  const LoadProblem& p = t.problems[0];
  EXPECT_EQ(p.line, 3u);
  EXPECT_EQ(p.column, 2u);
  EXPECT_EQ(p.field, "age");
  EXPECT_EQ(p.message, "expected a number in \"age\", got \"abc\"; kept as missing");
  EXPECT_EQ(t.problems[1].field, "ok");
  EXPECT_EQ(t.problems[1].column, 3u);
  EXPECT_NE(t.problems[1].message.find("\"maybe\""), std::string::npos);
  EXPECT_EQ(t.problems[2].field, "when");
  EXPECT_NE(t.problems[2].message.find("expected a date"), std::string::npos);
}

TEST(TypeInference, EveryBadCellIsReported) {
  std::string text = "n\n";
  for (int i = 0; i < 50; ++i) text += (i % 5 == 0 ? "x" : std::to_string(i)) + "\n";
  const Table t = load_table(text, hinted("n", ColumnType::Number));
  ASSERT_EQ(t.problems.size(), 10u);
  for (size_t i = 0; i < 10; ++i) EXPECT_EQ(t.problems[i].line, 2 + 5 * i);
  LoadOptions capped = hinted("n", ColumnType::Number);
  capped.max_problems = 4;
  const Table c = load_table(text, capped);
  ASSERT_EQ(c.problems.size(), 5u);
  EXPECT_NE(c.problems.back().message.find("6 more"), std::string::npos) << c.problems.back().message;
}

TEST(TypeInference, InferTypesOff) {
  LoadOptions o;
  o.infer_types = false;
  const Table t = load_table("a,b\n1,yes\n2,no\n", o);
  EXPECT_EQ(col(t, "a").type, ColumnType::String);
  EXPECT_EQ(col(t, "b").type, ColumnType::String);
  o.fields.push_back(FieldSpec{"a", ColumnType::Number, {}, {}});
  const Table h = load_table("a,b\n1,yes\n2,no\n", o);
  EXPECT_EQ(col(h, "a").type, ColumnType::Number);  // hints still apply
}

TEST(TypeInference, MissingTokensGlobal) {
  const Table t = one_column({"1", "N/A", "unknown", "UNKNOWN", " n/a ", "Select", "-", "null", "None", "", "  ", "2"});
  const Column& c = col(t, "x");
  ASSERT_EQ(c.type, ColumnType::Number);
  for (size_t r = 1; r + 1 < t.rows; ++r) EXPECT_TRUE(c.is_missing(r)) << r;
  EXPECT_EQ(c.value_text(11), "2");
  EXPECT_EQ(c.value_json(1), json(nullptr));
  EXPECT_EQ(c.value_text(1), "");
  EXPECT_TRUE(t.problems.empty());

  // longer than any token until trimmed (spaces, tabs, no-break spaces): still missing
  const Table w = one_column({"3", "        unknown        ", "\xC2\xA0\xC2\xA0\xC2\xA0Select", "None\t\t\t\t\t\t\t\t",
                              "\xC2\xA0 N/A \xC2\xA0\xC2\xA0", "4"});
  ASSERT_EQ(col(w, "x").type, ColumnType::Number);
  for (size_t r = 1; r + 1 < w.rows; ++r) EXPECT_TRUE(col(w, "x").is_missing(r)) << r;

  // in a string column missing values are code -1 and not in the dictionary
  const Table s = one_column({"a", "unknown", "b", "a"});
  const Column& sc = col(s, "x");
  ASSERT_EQ(sc.type, ColumnType::String);
  EXPECT_EQ(sc.dict.to_strings(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(sc.codes, (std::vector<int32_t>{0, -1, 1, 0}));
  EXPECT_EQ(s.row_json(1), json::object());

  // custom list, and none at all
  LoadOptions o;
  o.missing = {" TBD "};
  const Table u = one_column({"1", "tbd", "N/A"}, o);
  EXPECT_EQ(col(u, "x").type, ColumnType::String);  // N/A is text now
  EXPECT_TRUE(col(u, "x").is_missing(1));
  LoadOptions none;
  none.missing = {};
  const Table v = one_column({"a", ""}, none);
  EXPECT_FALSE(col(v, "x").is_missing(1));
  EXPECT_EQ(col(v, "x").value_json(1), json(""));
}

TEST(TypeInference, MissingTokensPerField) {
  LoadOptions o;
  FieldSpec f;
  f.name = "pdays";
  f.missing = {"-1", "999"};
  o.fields.push_back(f);
  const Table t = load_table("pdays,other\n5,-1\n-1,999\n999,3\n", o);
  EXPECT_EQ(col(t, "pdays").type, ColumnType::Number);
  EXPECT_FALSE(col(t, "pdays").is_missing(0));
  EXPECT_TRUE(col(t, "pdays").is_missing(1));
  EXPECT_TRUE(col(t, "pdays").is_missing(2));
  EXPECT_FALSE(col(t, "other").is_missing(0));  // only that field
  EXPECT_EQ(col(t, "other").value_json(0), json(-1));
}

TEST(TypeInference, NormalizeHeader) {
  EXPECT_EQ(normalize_header("Job Title"), "jobtitle");
  EXPECT_EQ(normalize_header("  E-Mail_Address "), "emailaddress");
  EXPECT_EQ(normalize_header("Lead Score (%)"), "leadscore");
  EXPECT_EQ(normalize_header("emp.var.rate"), "empvarrate");
  EXPECT_EQ(normalize_header("ABC123"), "abc123");
  EXPECT_EQ(normalize_header("###"), "");
}

TEST(TypeInference, DeclaredFieldsAndAliases) {
  LoadOptions o;
  FieldSpec job;
  job.name = "job_title";
  job.aliases = {"Position", "Role"};
  FieldSpec email;
  email.name = "email";
  email.aliases = {"E-mail Address"};
  o.fields = {job, email};
  const Table t = load_table("POSITION,Email,e_mail,E-mail address\nCEO,a@x.io,b@x.io,c@x.io\n", o);
  ASSERT_EQ(t.columns.size(), 4u);
  EXPECT_EQ(t.columns[0].name, "job_title");
  EXPECT_EQ(t.columns[0].header, "POSITION");
  EXPECT_EQ(t.columns[1].name, "email");
  EXPECT_EQ(t.columns[1].header, "Email");
  EXPECT_EQ(t.columns[2].name, "e_mail");  // also "email" once normalised: keeps its own name
  EXPECT_EQ(t.columns[3].name, "E-mail address");
  ASSERT_EQ(t.problems.size(), 2u);
  EXPECT_EQ(t.problems[0].column, 3u);
  EXPECT_NE(t.problems[0].message.find("\"email\""), std::string::npos) << t.problems[0].message;
  EXPECT_EQ(t.problems[1].column, 4u);

  EXPECT_EQ(t.find("job_title"), 0);
  EXPECT_EQ(t.find("POSITION"), 0);   // by header
  EXPECT_EQ(t.find("Job Title"), 0);  // normalised
  EXPECT_EQ(t.find("e_mail"), 2);
  EXPECT_EQ(t.find("E-mail address"), 3);
  EXPECT_EQ(t.find("nope"), -1);
  EXPECT_EQ(t.row_json(0),
            (json{{"job_title", "CEO"}, {"email", "a@x.io"}, {"e_mail", "b@x.io"}, {"E-mail address", "c@x.io"}}));
}

TEST(TypeInference, ColumnTypeNames) {
  for (ColumnType t : {ColumnType::Number, ColumnType::Boolean, ColumnType::Date, ColumnType::String})
    EXPECT_EQ(column_type_from_string(to_string(t)), t);
  EXPECT_STREQ(to_string(ColumnType::Boolean), "boolean");
  EXPECT_FALSE(column_type_from_string("text").has_value());
}

TEST(TypeInference, EmptyColumnIsString) {
  const Table t = load_table("a,b\n1,\n2,N/A\n");
  EXPECT_EQ(col(t, "b").type, ColumnType::String);
  EXPECT_TRUE(col(t, "b").dict.empty());
  EXPECT_TRUE(col(t, "b").is_missing(0));
  EXPECT_EQ(t.row_json(0), (json{{"a", 1}}));
}

TEST(TypeInference, IntegersMixedWithTextKeepTheirTextAndOrder) {
  // canonical integers take a fast path while loading; as text they must come back exactly
  const Table t = one_column({"abc", "12", "007", "-5", "12", "1073741824", "-0", "+3"});
  const Column& c = col(t, "x");
  ASSERT_EQ(c.type, ColumnType::String);
  EXPECT_EQ(c.dict.to_strings(), (std::vector<std::string>{"abc", "12", "007", "-5", "1073741824", "-0", "+3"}));
  EXPECT_EQ(c.codes, (std::vector<int32_t>{0, 1, 2, 3, 1, 4, 5, 6}));

  const Table n = one_column({"-1073741823", "1073741822", "1073741823", "99999999999", "-7", "0"});
  EXPECT_EQ(col(n, "x").type, ColumnType::Number);
  EXPECT_EQ(col(n, "x").num.to_vector(),
            (std::vector<double>{-1073741823, 1073741822, 1073741823, 99999999999, -7, 0}));

  // integers that are not 0/1 in a boolean-hinted column are reported with their text
  const Table b = one_column({"1", "2", "yes"}, hinted("x", ColumnType::Boolean));
  EXPECT_EQ(col(b, "x").num[0], 1);
  EXPECT_TRUE(col(b, "x").is_missing(1));
  ASSERT_EQ(b.problems.size(), 1u);
  EXPECT_NE(b.problems[0].message.find("got \"2\""), std::string::npos) << b.problems[0].message;

  // integer missing tokens in a string column
  LoadOptions o;
  o.fields.push_back(FieldSpec{"x", ColumnType::String, {}, {"0"}});
  const Table s = one_column({"0", "10", "a", "0"}, o);
  EXPECT_EQ(col(s, "x").dict.to_strings(), (std::vector<std::string>{"10", "a"}));
  EXPECT_EQ(col(s, "x").codes, (std::vector<int32_t>{-1, 0, 1, -1}));
}

TEST(TypeInference, DecimalsReadAsStrtodReadsThem) {
  // Decimals of up to 15 digits take a fast path (digits / 10^k); it must give strtod's double,
  // bit for bit, on both sides of it: 15 digits (fast) and 16 or more (strtod).
  std::mt19937_64 rng(7);
  std::vector<std::string> values = {"0.1",
                                     "0.2",
                                     "0.3",
                                     "-0.0",
                                     ".5",
                                     "5.",
                                     "999999999999999.",
                                     "0.000000000000001",
                                     "123456789012.345",
                                     "1234567890123456.7",
                                     "0.1234567890123456",
                                     "9007199254740993.0",
                                     "-28.2",
                                     "324.5",
                                     "00012.50"};
  for (int i = 0; i < 3000; ++i) {
    const int digits = 1 + (int)(rng() % 18), point = (int)(rng() % (digits + 1));
    std::string v = rng() % 4 == 0 ? "-" : "";
    for (int d = 0; d < digits; ++d) {
      if (d == point) v += '.';
      v += (char)('0' + rng() % 10);
    }
    if (point == digits) v += '.';
    values.push_back(v);
  }
  const Table t = one_column(values);
  const Column& c = col(t, "x");
  ASSERT_EQ(c.type, ColumnType::Number);
  for (size_t r = 0; r < values.size(); ++r) {
    const double want = std::strtod(values[r].c_str(), nullptr), got = c.num[r];
    EXPECT_EQ(std::memcmp(&want, &got, sizeof want), 0) << values[r] << ": " << got << " != " << want;
  }
}

TEST(TypeInference, LongTextsKeepEveryDistinctValue) {
  // Texts longer than 8 bytes are hashed and compared eight bytes at a time (the last word
  // overlapping the one before): values of the same length that differ only in a middle byte,
  // only in byte 8 or only in the last byte must stay distinct, and repeats must find their
  // first code, also after the dictionary has grown many times.
  std::vector<std::string> values;
  for (int i = 0; i < 20000; ++i) {
    const int k = (i * 7919) % 5000;  // each value comes back four times, scattered
    std::string v = "Company " + std::string(k % 23, 'x') + "-" + std::to_string(k);
    if (k % 3 == 0) v[v.size() / 2] ^= 1;  // a middle byte
    // (each right after v: the check for a repeat of the previous cell compares the texts without
    // first matching a hash, so a comparison that skipped a byte would merge them here)
    values.push_back(v);
    values.push_back(v.substr(0, v.size() - 1) + "~");  // same length, differs in the last byte
    values.push_back(v);
    values.push_back(v.substr(0, 8) + "#" + v.substr(9));  // same length, differs in byte 8
  }
  const Table t = one_column(values);
  const Column& c = col(t, "x");
  ASSERT_EQ(c.type, ColumnType::String);
  ASSERT_EQ(c.codes.size(), values.size());
  for (size_t r = 0; r < values.size(); ++r) ASSERT_EQ(c.dict[(size_t)c.codes[r]], values[r]) << "row " << r;
  EXPECT_EQ(c.dict.size(), std::set<std::string>(values.begin(), values.end()).size());
  const std::vector<std::string> texts = c.dict.to_strings();
  EXPECT_EQ(std::set<std::string>(texts.begin(), texts.end()).size(), c.dict.size());  // no duplicates
  std::vector<std::string> first_seen;  // the dictionary is in first-seen order
  std::set<std::string> seen;
  for (const auto& v : values)
    if (seen.insert(v).second) first_seen.push_back(v);
  EXPECT_EQ(texts, first_seen);
}

}  // namespace test_type_inference

namespace test_type_inference {

// Formatted numbers and dates give up at the first text that fits no format, wherever it is, and
// a declared date column whose texts are none of them dates keeps every cell as missing.
TEST(TypeInference, AColumnThatFitsNoFormatAtAnyEntryStaysText) {
  for (const std::vector<std::string>& cells : {std::vector<std::string>{"+1 410 054 1599", "$1,200", "12"},
                                                {"$1,200", "$3,400.50", "+1 410 054 1599"},
                                                {"$1,200", "1 410 054 1599", "$9"},
                                                {"2024-03-01", "2024-03-02", "+1 410 054 1599"},
                                                {"+1 410 054 1599", "2024-03-01"}}) {
    const Table t = one_column(cells);
    const Column& c = col(t, "x");
    EXPECT_EQ(c.type, ColumnType::String) << cells[0];
    EXPECT_EQ(texts(c, t.rows), cells);
  }
  const Table money = one_column({"$1,200", "$3,400.50", "$9"});
  ASSERT_EQ(col(money, "x").type, ColumnType::Number);
  EXPECT_EQ(col(money, "x").num.to_vector(), (std::vector<double>{1200, 3400.5, 9}));

  const Table t = load_table("when\nsoon\nlater\n", hinted("when", ColumnType::Date));
  const Column& when = col(t, "when");
  ASSERT_EQ(when.type, ColumnType::Date);
  EXPECT_TRUE(when.is_missing(0));
  EXPECT_TRUE(when.is_missing(1));
  EXPECT_EQ(t.problems.size(), 2u);
}

}  // namespace test_type_inference

namespace test_type_inference {

// A number cell keeps its spelling exactly where JavaScript would print its value otherwise
// (checked against format_number, the one number-to-text of the core), so an export writes
// every cell as read. Plain decimals are decided from their text without formatting them.
TEST(TypeInference, NumberCellsKeepTheirSpellingExactlyWhereTheyPrintOtherwise) {
  std::mt19937 rng(5);
  // (Leading zeros would make the column an identifier: test_crm_files.cpp.)
  const auto digits = [&](size_t n, bool lead_zero_ok) {
    std::string d;
    for (size_t i = 0; i < n; ++i) d += static_cast<char>('0' + rng() % 10);
    if (!lead_zero_ok && n > 1 && d[0] == '0') d[0] = static_cast<char>('1' + rng() % 9);
    return d;
  };
  std::vector<std::string> cells = {"0",
                                    "-0",
                                    "0.0",
                                    "5.",
                                    "5.50",
                                    "0.000001",
                                    "0.0000001",
                                    "-0.5",
                                    "1e3",
                                    "123456789012345",
                                    "1234567890123456",
                                    "0.30000000000000004",
                                    "100",
                                    "-100.25",
                                    "0.1"};
  for (int i = 0; i < 4000; ++i) {
    const size_t whole = rng() % 10, frac = rng() % 9;
    std::string c = (rng() % 4 == 0 ? "-" : "") + (whole ? digits(whole, false) : "0");
    if (frac) c += "." + digits(frac, true);
    cells.push_back(c);
  }
  std::string text = "amount\n";
  for (const auto& c : cells) text += c + "\n";
  const Table t = load_table(text, LoadOptions{});
  const Column& c = col(t, "amount");
  ASSERT_EQ(c.type, ColumnType::Number);
  size_t spelled = 0;
  for (size_t r = 0; r < t.rows; ++r) {
    ASSERT_EQ(c.text_as_read(r), cells[r]) << r;
    const bool differs = detail::format_number(c.num[r]) != cells[r];
    ASSERT_EQ(c.spelling_of(r) >= 0, differs) << cells[r];
    spelled += differs;
  }
  EXPECT_GT(spelled, 100u);  // trailing zeros, "-0", "5.", exponents, 16 digits
}

}  // namespace test_type_inference
