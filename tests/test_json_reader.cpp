// JSON array-of-objects and NDJSON input: key union, types, nulls, nested values, format
// detection, and errors with line/column.
#include <gtest/gtest.h>

#include <string>

#include "leadscore/table.h"
#include "test_util.h"

namespace test_json_reader {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;
using nlohmann::json;

namespace {

const Column& col(const Table& t, const std::string& name) { return test::column(t, name); }

LoadError error_of(const std::string& text, const LoadOptions& o = {}) {
  try {
    load_table(text, o);
  } catch (const LoadError& e) {
    return e;
  }
  ADD_FAILURE() << "no LoadError for: " << text;
  return LoadError("");
}

std::vector<std::string> names(const Table& t) {
  std::vector<std::string> out;
  for (const auto& c : t.columns) out.push_back(c.name);
  return out;
}

}  // namespace

TEST(JsonReader, ArrayOfObjects) {
  const Table t = load_table(R"([
  {"name": "Ann", "age": 31, "vip": true, "score": 1.5},
  {"age": 45, "name": "Bob", "vip": false, "city": "Oslo"},
  {"name": "Cy", "signup": "2024-03-01", "age": "52"}
])");
  EXPECT_EQ(t.format, "json");
  EXPECT_EQ(t.delimiter, 0);
  ASSERT_EQ(t.rows, 3u);
  EXPECT_EQ(names(t), (std::vector<std::string>{"name", "age", "vip", "score", "city", "signup"}));  // first seen
  EXPECT_EQ(col(t, "name").type, ColumnType::String);
  EXPECT_EQ(col(t, "age").type, ColumnType::Number);  // "52" is inferred like CSV text
  EXPECT_EQ(col(t, "age").num.to_vector(), (std::vector<double>{31, 45, 52}));
  EXPECT_EQ(col(t, "vip").type, ColumnType::Boolean);
  EXPECT_TRUE(col(t, "vip").is_missing(2));
  EXPECT_EQ(col(t, "score").type, ColumnType::Number);
  EXPECT_TRUE(col(t, "score").is_missing(1));
  EXPECT_TRUE(col(t, "city").is_missing(0));
  EXPECT_EQ(col(t, "signup").type, ColumnType::Date);
  EXPECT_EQ(t.row_line, (std::vector<size_t>{2, 3, 4}));
  EXPECT_EQ(t.row_json(1), (json{{"name", "Bob"}, {"age", 45}, {"vip", false}, {"city", "Oslo"}}));
  EXPECT_TRUE(t.problems.empty());
}

TEST(JsonReader, Ndjson) {
  const Table t = load_table("{\"a\": 1, \"b\": \"x\"}\n\n   \n{\"a\": 2, \"c\": null}\r\n{\"b\": \"y\"}\n");
  EXPECT_EQ(t.format, "ndjson");
  ASSERT_EQ(t.rows, 3u);
  EXPECT_EQ(names(t), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(t.row_line, (std::vector<size_t>{1, 4, 5}));
  EXPECT_EQ(col(t, "a").type, ColumnType::Number);
  EXPECT_TRUE(col(t, "a").is_missing(2));
  EXPECT_TRUE(col(t, "c").is_missing(1));
  EXPECT_EQ(col(t, "c").type, ColumnType::String);  // only nulls
  EXPECT_TRUE(t.problems.empty());
}

TEST(JsonReader, NdjsonFilesConcatenatedWithTheirBoms) {
  // `cat a.ndjson b.ndjson` keeps each file's BOM: at the start of a line it is not a character,
  // and a line holding only a BOM is blank, wherever it is (a fuzz finding: after blank lines it
  // was a syntax error).
  LoadOptions o;
  o.format = "ndjson";
  const std::string bom = "\xEF\xBB\xBF";
  const Table t = load_table("\n\n" + bom + "\n{\"c\": 1}\n" + bom + "{\"c\": 2}\n" + bom + "  \n{\"c\": 3}\n", o);
  ASSERT_EQ(t.rows, 3u);
  EXPECT_EQ(t.row_line, (std::vector<size_t>{4, 5, 7}));
  EXPECT_EQ(t.row_json(1), (json{{"c", 2}}));
  EXPECT_EQ(names(t), (std::vector<std::string>{"c"}));
  // A BOM inside a line is still text the JSON syntax does not allow.
  EXPECT_THROW(load_table("{\"c\": 1}\n{\"c\": " + bom + "2}\n", o), LoadError);
}

TEST(JsonReader, NullsAndMissingTokens) {
  const Table t = load_table(R"([{"x": null, "y": "N/A", "z": ""}, {"x": 3, "y": 4, "z": "ok"}])");
  EXPECT_TRUE(col(t, "x").is_missing(0));
  EXPECT_TRUE(col(t, "y").is_missing(0));
  EXPECT_TRUE(col(t, "z").is_missing(0));
  EXPECT_EQ(col(t, "y").type, ColumnType::Number);
  EXPECT_EQ(t.row_json(0), json::object());
}

TEST(JsonReader, NumbersAndBooleansKeepTheirTypes) {
  const Table t = load_table(R"([{"n": 1, "f": 0.1, "big": 12345678901234, "neg": -7, "e": 1e3, "b": true, "z": 0},
                                 {"n": 2, "f": 2.50, "big": 1, "neg": -0.5, "e": 2E-2, "b": false, "z": 1}])");
  EXPECT_EQ(col(t, "n").value_json(0), json(1));
  EXPECT_EQ(col(t, "f").value_json(1), json(2.5));
  EXPECT_EQ(col(t, "big").value_json(0), json(12345678901234));
  EXPECT_EQ(col(t, "neg").value_json(1), json(-0.5));
  EXPECT_EQ(col(t, "e").value_json(0), json(1000));
  EXPECT_EQ(col(t, "e").value_json(1), json(0.02));
  EXPECT_EQ(col(t, "b").type, ColumnType::Boolean);
  EXPECT_EQ(col(t, "b").value_json(0), json(true));
  EXPECT_EQ(col(t, "z").type, ColumnType::Number);  // 0/1 stays a number
  // mixed with text: a string column showing the JSON text of the numbers
  const Table m = load_table(R"([{"v": 1.50}, {"v": "abc"}, {"v": true}])");
  EXPECT_EQ(col(m, "v").type, ColumnType::String);
  EXPECT_EQ(col(m, "v").dict.to_strings(), (std::vector<std::string>{"1.50", "abc", "true"}));
}

TEST(JsonReader, StringsFollowHints) {
  LoadOptions o;
  o.fields.push_back(FieldSpec{"zip", ColumnType::String, {}, {}});
  o.fields.push_back(FieldSpec{"n", ColumnType::Number, {}, {}});
  const Table t = load_table(R"([{"zip": "007", "n": "12"}, {"zip": 123, "n": "twelve"}])", o);
  EXPECT_EQ(col(t, "zip").type, ColumnType::String);
  EXPECT_EQ(col(t, "zip").value_json(0), json("007"));
  EXPECT_EQ(col(t, "zip").value_json(1), json("123"));
  EXPECT_EQ(col(t, "n").value_json(0), json(12));
  EXPECT_TRUE(col(t, "n").is_missing(1));
  ASSERT_EQ(t.problems.size(), 1u);
  EXPECT_EQ(t.problems[0].field, "n");
  EXPECT_EQ(t.problems[0].line, 1u);
  EXPECT_EQ(t.problems[0].column, 2u);
}

TEST(JsonReader, NestedValuesBecomeJsonText) {
  const Table t = load_table(
      "[\n"
      "  {\"id\": 1, \"tags\": [\"a\", \"b\"], \"addr\": {\"city\": \"Oslo\", \"geo\": [1, 2.5]}},\n"
      "  {\"id\": 2, \"tags\": [], \"addr\": null},\n"
      "  {\"id\": 3, \"tags\": [ { \"k\" : 1 } ]}\n"
      "]");
  ASSERT_EQ(t.rows, 3u);
  EXPECT_EQ(col(t, "tags").type, ColumnType::String);
  EXPECT_EQ(col(t, "tags").value_json(0), json("[\"a\",\"b\"]"));
  EXPECT_EQ(col(t, "tags").value_json(1), json("[]"));
  EXPECT_EQ(col(t, "tags").value_json(2), json("[{\"k\":1}]"));
  EXPECT_EQ(col(t, "addr").value_json(0), json("{\"city\":\"Oslo\",\"geo\":[1,2.5]}"));
  EXPECT_TRUE(col(t, "addr").is_missing(1));
  EXPECT_EQ(col(t, "id").num.to_vector(), (std::vector<double>{1, 2, 3}));
  ASSERT_EQ(t.problems.size(), 2u);  // one per column
  EXPECT_EQ(t.problems[0].line, 2u);
  EXPECT_EQ(t.problems[0].field, "tags");
  EXPECT_NE(t.problems[0].message.find("3 values"), std::string::npos) << t.problems[0].message;
  EXPECT_EQ(t.problems[1].field, "addr");
}

TEST(JsonReader, DuplicateKeysKeepTheLastValue) {
  const Table t = load_table("[{\"a\": 1, \"a\": 2}]");
  EXPECT_EQ(col(t, "a").value_json(0), json(2));
  ASSERT_EQ(t.problems.size(), 1u);
  EXPECT_NE(t.problems[0].message.find("duplicate key"), std::string::npos);
}

TEST(JsonReader, FormatDetection) {
  EXPECT_EQ(load_table("  \n\t[{\"a\":1}]").format, "json");
  EXPECT_EQ(load_table("\xEF\xBB\xBF[{\"a\":1}]").format, "json");
  EXPECT_EQ(load_table("\n{\"a\":1}\n").format, "ndjson");
  EXPECT_EQ(load_table("a,b\n1,2\n").format, "csv");
  EXPECT_EQ(load_table("[]").rows, 0u);
  LoadOptions o;
  o.format = "ndjson";
  EXPECT_EQ(load_table("{\"a\":1}", o).rows, 1u);
  // streaming: the format is decided once a non-space character arrives
  TableLoader l;
  for (char c : std::string("\n  [{\"a\": 1}, {\"a\": 2}]")) l.feed(&c, 1);
  const Table t = l.finish();
  EXPECT_EQ(t.format, "json");
  EXPECT_EQ(t.rows, 2u);
}

TEST(JsonReader, SyntaxErrorsHaveLineAndColumn) {
  LoadError e = error_of("[\n  {\"a\": 1},\n  {\"a\": tru}\n]");
  EXPECT_EQ(e.line, 3u);
  EXPECT_EQ(e.column, 12u);  // where the lexer gave up, after "tru"
  EXPECT_NE(std::string(e.what()).find("line 3, column 12"), std::string::npos) << e.what();

  e = error_of("[{\"a\": 1},\n {\"b\": 2,}]");
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.column, 10u);

  e = error_of("[{\"a\": 1}");  // cut short
  EXPECT_EQ(e.line, 1u);
  EXPECT_EQ(e.column, 10u);

  e = error_of("[{\"\xC3\xA9t\xC3\xA9\": 1 x}]");  // columns count characters
  EXPECT_EQ(e.line, 1u);
  EXPECT_EQ(e.column, 12u);

  e = error_of("{\"a\": 1}\n{\"a\": 2\n{\"a\": 3}\n");  // NDJSON: the broken line
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.column, 8u);
  EXPECT_NE(std::string(e.what()).find("NDJSON"), std::string::npos) << e.what();
}

TEST(JsonReader, NotAnArrayOfObjects) {
  LoadOptions json_format;
  json_format.format = "json";
  LoadError e = error_of("{\"a\": 1}", json_format);
  EXPECT_NE(std::string(e.what()).find("found an object"), std::string::npos) << e.what();

  e = error_of("[{\"a\": 1},\n 42]");
  EXPECT_NE(std::string(e.what()).find("element 2 is a number"), std::string::npos) << e.what();
  EXPECT_EQ(e.line, 2u);

  e = error_of("[[1, 2]]");
  EXPECT_NE(std::string(e.what()).find("element 1 is an array"), std::string::npos) << e.what();

  e = error_of("[\"a\"]");
  EXPECT_NE(std::string(e.what()).find("element 1 is a string"), std::string::npos) << e.what();

  e = error_of("42", json_format);
  EXPECT_NE(std::string(e.what()).find("found a number"), std::string::npos) << e.what();

  e = error_of("{\"a\": 1}\n[1]\n");
  EXPECT_NE(std::string(e.what()).find("found an array"), std::string::npos) << e.what();
  EXPECT_EQ(e.line, 2u);

  e = error_of("{\n  \"a\": 1,\n  \"b\": 2\n}\n");  // one pretty-printed object
  EXPECT_NE(std::string(e.what()).find("one JSON object written over several lines"), std::string::npos) << e.what();
}

}  // namespace test_json_reader
