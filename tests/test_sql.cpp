// Rule set -> SQL (include/leadscore/sql.h, docs/sql.md):
//  (tests/fixtures/sql/leads.csv and events.csv: data for the golden rule set, run on DuckDB and
//  PostgreSQL by tests/js/sql-engines.test.mjs)
//  - golden text for every dialect (tests/fixtures/sql/golden.<dialect>.sql; DuckDB and
//    PostgreSQL are also run on real engines by tests/js/sql-engines.test.mjs). Regenerate with
//    LEADSCORE_UPDATE_SQL=1 after a deliberate change, and read the diff;
//  - the dialect traps: caps never use GREATEST/LEAST, no LIKE/ILIKE, divisions guarded and in
//    doubles, the argument order of day differences;
//  - quoting: names and texts that try to break out of their quotes;
//  - refusals: each construct without a faithful translation is an error naming the rule, its
//    path and the construct (never SQL that scores differently).
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "analysis/sql_internal.h"
#include "leadscore/sql.h"
#include "test_util.h"

using namespace leadscore;
using namespace leadscore::test;
using nlohmann::json;

namespace {

const SqlDialect kDialects[] = {SqlDialect::DuckDB, SqlDialect::Postgres, SqlDialect::BigQuery, SqlDialect::Snowflake,
                                SqlDialect::Spark};

std::vector<SqlColumn> golden_leads() {
  return {{"Lead \"Source\"", ColumnType::String, false}, {"select", ColumnType::String, false},
          {"title", ColumnType::String, false},           {"employees", ColumnType::Number, false},
          {"offices", ColumnType::Number, false},         {"phone", ColumnType::String, false},
          {"last_activity", ColumnType::Date, false},     {"unsubscribed", ColumnType::Boolean, false},
          {"page_views", ColumnType::Number, false},      {"id", ColumnType::String, false}};
}

std::vector<SqlColumn> golden_events() {
  return {{"lead_id", ColumnType::String, false},
          {"type", ColumnType::String, false},
          {"timestamp", ColumnType::Date, true},
          {"url", ColumnType::String, false}};
}

SqlOptions golden_options(SqlDialect d) {
  SqlOptions o;
  o.dialect = d;
  o.leads_columns = golden_leads();
  o.events_columns = golden_events();
  o.as_of = *parse_day("2024-03-31");
  return o;
}

// One rule over typed leads -> the query (or the RuleSetError it throws).
std::string sql_of(const json& when, SqlDialect d = SqlDialect::DuckDB) {
  json rs = {{"leadscore", 1}, {"rules", json::array({{{"id", "r1"}, {"points", 1}, {"when", when}}})}};
  SqlOptions o;
  o.dialect = d;
  o.leads_columns = {{"n", ColumnType::Number, false},
                     {"s", ColumnType::String, false},
                     {"b", ColumnType::Boolean, false},
                     {"d", ColumnType::Date, false},
                     {"t", ColumnType::Date, true}};
  return to_sql(parse_rule_set(rs), o);
}

// The diagnostic of a refusal, or fails.
Diagnostic refusal(const json& when) {
  try {
    sql_of(when);
  } catch (const RuleSetError& e) {
    return e.diagnostics.at(0);
  }
  ADD_FAILURE() << "translated: " << when.dump();
  return {};
}

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST(Sql, GoldenTextPerDialect) {
  RuleSet rs = parse_rule_set(read_file(source_path("tests/fixtures/sql/rules.json")));
  for (SqlDialect d : kDialects) {
    const std::string path = source_path(std::string("tests/fixtures/sql/golden.") + to_string(d) + ".sql");
    const std::string got = to_sql(rs, golden_options(d));
    if (std::getenv("LEADSCORE_UPDATE_SQL")) std::ofstream(path, std::ios::binary) << got;
    EXPECT_EQ(got, read_file(path)) << to_string(d) << ": regenerate with LEADSCORE_UPDATE_SQL=1 if intended";
  }
}

TEST(Sql, DialectTraps) {
  RuleSet rs = parse_rule_set(read_file(source_path("tests/fixtures/sql/rules.json")));
  for (SqlDialect d : kDialects) {
    const std::string q = to_sql(rs, golden_options(d));
    SCOPED_TRACE(to_string(d));
    // Caps are CASE expressions: BigQuery's GREATEST/LEAST would turn a cap into NULL.
    EXPECT_EQ(count(q, "GREATEST("), 0u);
    EXPECT_EQ(count(q, "LEAST("), 0u);
    // Substrings without LIKE patterns ('%' or '_' in a value would match anything); no ILIKE.
    EXPECT_EQ(count(q, " LIKE "), 0u);
    EXPECT_EQ(count(q, "ILIKE"), 0u);
    // Every division by a value that may be 0 is guarded, and in doubles (1/2 is 0 in integers).
    EXPECT_EQ(count(q, " / NULLIF("), 1u);
    EXPECT_EQ(count(q, " / 0"), 0u);
  }
  // Day differences: as-of day minus the date, in each dialect's argument order.
  auto days = [](SqlDialect d) { return sql::Dialect{d}.days_between("x", *parse_day("2024-03-31")); };
  EXPECT_EQ(days(SqlDialect::DuckDB), "DATE_DIFF('day', CAST(x AS DATE), DATE '2024-03-31')");
  EXPECT_EQ(days(SqlDialect::Postgres), "(DATE '2024-03-31' - CAST(x AS DATE))");
  EXPECT_EQ(days(SqlDialect::BigQuery), "DATE_DIFF(DATE '2024-03-31', CAST(x AS DATE), DAY)");
  EXPECT_EQ(days(SqlDialect::Snowflake), "DATEDIFF(day, CAST(x AS DATE), DATE '2024-03-31')");
  EXPECT_EQ(days(SqlDialect::Spark), "DATEDIFF(DATE '2024-03-31', CAST(x AS DATE))");
  // Numbers are doubles everywhere: a decimal literal would make 1/3 a NUMERIC in PostgreSQL.
  EXPECT_EQ(sql::Dialect{SqlDialect::Postgres}.num(0.1), "CAST(0.1 AS DOUBLE PRECISION)");
  EXPECT_EQ(sql::Dialect{SqlDialect::BigQuery}.num(-2), "CAST(-2 AS FLOAT64)");
  // Text order is byte order: PostgreSQL is told so (its default collation is the locale's).
  EXPECT_NE(sql_of({{"<", {{{"var", "s"}}, "m"}}}, SqlDialect::Postgres).find("COLLATE \"C\" <"), std::string::npos);
}

TEST(Sql, QuotingNamesAndTexts) {
  using sql::Dialect;
  EXPECT_EQ(Dialect{SqlDialect::DuckDB}.ident("Lead \"Source\""), "\"Lead \"\"Source\"\"\"");
  EXPECT_EQ(Dialect{SqlDialect::Postgres}.ident("select"), "\"select\"");
  EXPECT_EQ(Dialect{SqlDialect::Snowflake}.ident("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(Dialect{SqlDialect::BigQuery}.ident("a`b\\c"), "`a\\`b\\\\c`");
  EXPECT_EQ(Dialect{SqlDialect::Spark}.ident("a`b"), "`a``b`");
  EXPECT_EQ(Dialect{SqlDialect::Spark}.table("db.my`leads"), "`db`.`my``leads`");
  // DuckDB and PostgreSQL read backslashes literally; the others read escapes.
  EXPECT_EQ(Dialect{SqlDialect::DuckDB}.str("it's \\"), "'it''s \\'");
  EXPECT_EQ(Dialect{SqlDialect::Postgres}.str("'; DROP TABLE leads; --"), "'''; DROP TABLE leads; --'");
  EXPECT_EQ(Dialect{SqlDialect::BigQuery}.str("it's \\\n"), "'it\\'s \\\\\\n'");
  EXPECT_EQ(Dialect{SqlDialect::Snowflake}.str("it's \\"), "'it\\'s \\\\'");
  EXPECT_EQ(Dialect{SqlDialect::Spark}.str("it's \\"), "'it\\'s \\\\'");
  EXPECT_THROW(Dialect{SqlDialect::DuckDB}.str(std::string("a\0b", 3)), std::invalid_argument);
  // A rule id and a value trying to end the query: both stay inside their quotes.
  json rs = {{"leadscore", 1},
             {"rules", json::array({{{"id", "x\"; DROP TABLE leads; --"},
                                     {"points", 1},
                                     {"when", {{"==", {{{"var", "s"}}, "'); DROP TABLE leads; --"}}}}}})}};
  SqlOptions o;
  o.leads_columns = {{"s", ColumnType::String, false}};
  const std::string q = to_sql(parse_rule_set(rs), o);
  EXPECT_NE(q.find("\"points_x\"\"; DROP TABLE leads; --\""), std::string::npos);
  EXPECT_NE(q.find("'''); DROP TABLE leads; --'"), std::string::npos);
  // BigQuery column names hold letters, digits and '_' only.
  o.dialect = SqlDialect::BigQuery;
  rs["rules"][0]["id"] = "no-phone";
  EXPECT_NE(to_sql(parse_rule_set(rs), o).find("AS `points_no_phone`"), std::string::npos);
}

TEST(Sql, TypedComparisons) {
  // A missing number is 0 in '<' (json-logic-engine), and '==' against null only for null.
  const std::string lt = sql_of({{"<", {{{"var", "n"}}, 30}}});
  EXPECT_NE(lt.find("WHEN (CAST(s.\"n\" AS DOUBLE)) IS NULL THEN TRUE"), std::string::npos) << lt;
  // A missing date against a date text: 0 < NaN is false, decided when compiling.
  const std::string ge = sql_of({{">=", {{{"var", "d"}}, "2024-01-01"}}});
  EXPECT_NE(ge.find("IS NULL THEN FALSE ELSE (STRFTIME(CAST(s.\"d\" AS DATE), '%Y-%m-%d') >= '2024-01-01')"),
            std::string::npos)
      << ge;
  // Booleans compare as numbers: true == 1.
  EXPECT_NE(sql_of({{"==", {{{"var", "b"}}, 1}}}).find("CASE WHEN s.\"b\" THEN CAST(1 AS DOUBLE)"), std::string::npos);
  // 'in' a list matches by type (SameValueZero): a number field never matches "1".
  const std::string in = sql_of({{"in", {{{"var", "n"}}, {"1", 2}}}});
  EXPECT_NE(in.find("IN (CAST(2 AS DOUBLE))"), std::string::npos) << in;
  EXPECT_EQ(in.find("'1'"), std::string::npos) << in;
  // A date with times of day compares as the engine writes it: milliseconds only when present.
  EXPECT_NE(sql_of({{"==", {{{"var", "t"}}, "2024-01-01T10:00:00Z"}}})
                .find("REPLACE(STRFTIME(CAST(s.\"t\" AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ'), '.000Z', 'Z')"),
            std::string::npos);
  // A missing needle in a text is the text "null".
  EXPECT_NE(sql_of({{"in", {{{"var", "s"}}, "nullable"}}}).find("IS NULL THEN TRUE"), std::string::npos);
}

TEST(Sql, RefusesWhatHasNoFaithfulTranslation) {
  struct Case {
    json when;
    std::string construct;
  };
  const std::vector<Case> cases = {
      {{{"<", {{{"var", "s"}}, 5}}}, "between a text field and a number"},
      {{{"==", {{{"var", "s"}}, {{"var", "n"}}}}}, "between a text field and a number"},
      {{{"<", {{{"var", "s"}}, {{"var", "s"}}}}}, "between a missing value and a text field"},
      {{{"%", {{{"var", "n"}}, 2}}}, "the operator '%'"},
      {{{"substr", {{{"var", "s"}}, 1}}}, "the operator 'substr'"},
      {{{"map", {{{"var", "s"}}, 1}}}, "the operator 'map'"},
      {{{"cat", {{{"var", "n"}}, "x"}}}, "'cat' of a number"},
      {{{"in", {{{"var", "n"}}, "123"}}}, "number or boolean field as the needle"},
      {{{"in", {"a", {{"var", "n"}}}}}, "number, boolean or list field as the haystack"},
      {{{"+", {{{"var", "s"}}, 1}}}, "text field or a list used as a number"},
      {{{"var", "a.b"}}, "nested path"},
      {{{"max", {{{"var", "s"}}, 1}}}, "not a number"},
      {{{"/", {1, 0}}}, "always raises an error"},
      {{{"==", {{{"var", {"n", "x"}}}, 1}}}, "default of another type"},
  };
  for (const auto& c : cases) {
    Diagnostic d = refusal(c.when);
    EXPECT_EQ(d.code, "sql") << c.when.dump();
    EXPECT_EQ(d.rule_id, "r1") << c.when.dump();
    EXPECT_EQ(d.path, "rules[0].when") << c.when.dump();
    EXPECT_NE(d.message.find(c.construct), std::string::npos) << c.when.dump() << ": " << d.message;
  }
  // A field the schema lacks, and event rules without an as-of date.
  EXPECT_EQ(refusal({{"==", {{{"var", "nope"}}, 1}}}).code, "unknown_field");
  json ev = {{"leadscore", 1}, {"rules", json::array({{{"id", "e"}, {"points", 1}, {"events", {{"type", "x"}}}}})}};
  try {
    to_sql(parse_rule_set(ev), SqlOptions{});
    ADD_FAILURE() << "no as-of date accepted";
  } catch (const RuleSetError& e) {
    EXPECT_EQ(e.diagnostics.at(0).code, "as_of");
  }
  // An output column that would hide a lead column.
  json clash = {{"leadscore", 1}, {"rules", json::array({{{"id", "x"}, {"points", 1}}})}};
  SqlOptions o;
  o.leads_columns = {{"points_X", ColumnType::Number, false}};
  EXPECT_THROW(to_sql(parse_rule_set(clash), o), RuleSetError);
}

TEST(Sql, PrefixAndDeclaredDates) {
  json rs = {{"leadscore", 1},
             {"fields", {{"d", {{"type", "date"}}}, {"score", {{"type", "number"}}}}},
             {"rules", json::array({{{"id", "x"}, {"points", 1}, {"when", {{">=", {{{"var", "score"}}, 1}}}}}})}};
  SqlOptions o;
  o.leads_columns = {{"score", ColumnType::Number, false}};
  EXPECT_THROW(to_sql(parse_rule_set(rs), o), RuleSetError);  // "score" is a lead column
  o.prefix = "ls_";
  const std::string q = to_sql(parse_rule_set(rs), o);
  EXPECT_NE(q.find("AS \"ls_score\""), std::string::npos);
  EXPECT_NE(q.find("AS \"ls_tier\""), std::string::npos);
  EXPECT_NE(q.find("AS \"ls_points_x\""), std::string::npos);
  // Without the columns' types a declared date may carry times of day: refused in conditions.
  rs["rules"][0]["when"] = {{">=", {{{"var", "d"}}, "2024-01-01"}}};
  o = SqlOptions{};
  o.prefix = "ls_";
  try {
    to_sql(parse_rule_set(rs), o);
    ADD_FAILURE() << "a declared date compared without knowing its times";
  } catch (const RuleSetError& e) {
    EXPECT_NE(e.diagnostics.at(0).message.find("times of day"), std::string::npos);
  }
  o.leads_columns = {{"d", ColumnType::Date, false}};
  EXPECT_NO_THROW(to_sql(parse_rule_set(rs), o));
}

TEST(Sql, OptionsFromJson) {
  SqlOptions o = sql_options_from_json(json::parse(
      R"({"dialect":"Snowflake","leadsTable":"db.crm.leads","asOf":"2024-03-31","columns":[{"name":"a","type":"date","hasTime":true}]})"));
  EXPECT_EQ(o.dialect, SqlDialect::Snowflake);
  EXPECT_EQ(o.leads_table, "db.crm.leads");
  EXPECT_EQ(*o.as_of, *parse_day("2024-03-31"));
  ASSERT_EQ(o.leads_columns.size(), 1u);
  EXPECT_TRUE(o.leads_columns[0].has_time);
  EXPECT_THROW(sql_options_from_json(json{{"dialect", "oracle"}}), RuleSetError);
  EXPECT_THROW(sql_options_from_json(json{{"asOf", "31/03/2024"}}), RuleSetError);
  EXPECT_THROW(sql_options_from_json(json{{"columns", {{{"name", "a"}, {"type", "uuid"}}}}}), RuleSetError);
}
