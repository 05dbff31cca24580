// The core's JSON face (json_api.h): the one error shape every boundary sends, option parsing,
// ranking, summaries and the nesting limit, as the bindings and the CLI use them.
#include <gtest/gtest.h>

#include <algorithm>
#include <new>
#include <random>

#include "leadscore/json_api.h"
#include "leadscore/jsonlogic.h"
#include "leadscore/limits.h"
#include "leadscore/metrics.h"
#include "leadscore/rules.h"
#include "leadscore/scorer.h"

namespace test_json_api {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;
using nlohmann::json;

namespace {

template <class E>
json error_of(const E& e) {
  return error_json(std::make_exception_ptr(e));
}

const char* kLeads = "id,size,title\n1,10,CEO\n2,30,Intern\n3,30,VP\n4,20,CEO\n5,,CTO\n";
const char* kRules = R"({"groups": [{"id": "fit"}, {"id": "eng"}],
  "rules": [{"id": "size", "group": "fit", "points": 1, "per": "size"},
            {"id": "boss", "group": "eng", "points": 5, "when": {"in": [{"var": "title"}, ["CEO", "CTO"]]}}],
  "tiers": [{"name": "Hot", "min": 30}, {"name": "Cold"}]})";

Scorer scored() {
  Scorer s(std::make_shared<Table>(load_table(kLeads)));
  s.set_rules(std::string(kRules));
  return s;
}

}  // namespace

TEST(JsonApi, RuleSetErrorsCarryWhereAndEveryDiagnostic) {
  try {
    parse_rule_set(std::string(R"({"rules": [{"id": "a", "points": 1, "when": {"nope": [1]}}]})"));
    FAIL() << "no error";
  } catch (...) {
    const json e = error_json(std::current_exception());
    EXPECT_EQ(e["ruleId"], "a");
    EXPECT_EQ(e["severity"], "error");
    EXPECT_FALSE(e["message"].get<std::string>().empty());
    ASSERT_TRUE(e["diagnostics"].is_array());
    EXPECT_GE(e["diagnostics"].size(), 1u);
    EXPECT_EQ(e["code"], e["diagnostics"][0]["code"]);
  }
}

TEST(JsonApi, EveryErrorKindHasItsCodeAndPlace) {
  const json load = error_of(LoadError("ragged", "too many cells", 7, 3, "title"));
  EXPECT_EQ(load,
            (json{{"code", "ragged"}, {"message", "too many cells"}, {"line", 7}, {"column", 3}, {"field", "title"}}));
  EXPECT_EQ(error_of(LoadError("plain")), (json{{"code", "load"}, {"message", "plain"}}));  // no line: no place
  EXPECT_EQ(error_of(EventsError("no lead id"))["code"], "events");
  EXPECT_EQ(error_of(MetricsError("unknown_field", "no column 'y'", "y"))["field"], "y");
  EXPECT_EQ(error_of(std::bad_alloc())["code"], "memory");
  EXPECT_EQ(error_of(std::runtime_error("x")), (json{{"code", "internal"}, {"message", "x"}}));
  try {
    jsonlogic::apply(json::parse(R"({"frobnicate": [1]})"), json::object());
    FAIL() << "no error";
  } catch (...) {
    const json e = error_json(std::current_exception());
    EXPECT_EQ(e["code"], "logic");
    EXPECT_EQ(e["operator"], "frobnicate");
  }
  try {
    const json never = json::parse("{");
    ADD_FAILURE() << never;
  } catch (...) {
    EXPECT_EQ(error_json(std::current_exception())["code"], "json");
  }
}

TEST(JsonApi, LoadOptionsFromJson) {
  const LoadOptions d = load_options_from_json(json::object());
  EXPECT_EQ(d.max_bytes, kBrowserMaxBytes);  // the browser's limit unless lifted
  EXPECT_EQ(d.max_problems, 1000u);
  const LoadOptions o = load_options_from_json(json::parse(
      R"({"delimiter": ";", "dateOrder": "DMY", "maxBytes": 0, "missing": ["n/a"],
          "rules": {"rules": [], "fields": {"size": {"type": "number", "aliases": ["Employees"]}}},
          "fields": {"size": {"type": "string"}, "when": {"type": "date"}}})"));
  EXPECT_EQ(o.delimiter, ';');
  EXPECT_EQ(o.date_order, LoadOptions::DateOrder::DMY);
  EXPECT_EQ(o.max_bytes, 0u);
  EXPECT_EQ(o.missing, std::vector<std::string>{"n/a"});
  ASSERT_EQ(o.fields.size(), 2u);  // "size" from the rules overridden by "fields", "when" added
  EXPECT_EQ(o.fields[0].name, "size");
  EXPECT_EQ(o.fields[0].type, ColumnType::String);
  EXPECT_EQ(o.fields[1].name, "when");
  EXPECT_THROW(load_options_from_json(json::parse(R"({"delimiter": ";;"})")), LoadError);
  const EventOptions e = event_options_from_json(json::parse(R"({"leadId": "who", "type": 3, "timestamp": "at"})"));
  EXPECT_EQ(e.lead_id, "who");
  EXPECT_EQ(e.type, "");  // not a string: detected
  EXPECT_EQ(e.timestamp, "at");
}

TEST(JsonApi, RankLeadsAgainstASortOfTheTotals) {
  const Scorer s = scored();
  const auto& tot = s.results().total;  // 15, 30, 30, 25, 5
  std::vector<int32_t> want(tot.size());
  for (size_t i = 0; i < want.size(); ++i) want[i] = (int32_t)i;
  std::stable_sort(want.begin(), want.end(), [&](int32_t a, int32_t b) { return tot[a] > tot[b]; });
  EXPECT_EQ(rank_leads(s, "total"), want);
  EXPECT_EQ(rank_leads(s, "total", -1, 2), std::vector<int32_t>(want.begin(), want.begin() + 2));  // ties by index
  std::vector<int32_t> up(want.rbegin(), want.rend());
  std::stable_sort(up.begin(), up.end(),
                   [&](int32_t a, int32_t b) { return tot[a] < tot[b] || (tot[a] == tot[b] && a < b); });
  EXPECT_EQ(rank_leads(s, "total", -1, 0, true), up);
  EXPECT_EQ(rank_leads(s, "total", 0), (std::vector<int32_t>{1, 2}));  // Hot only
  EXPECT_EQ(rank_leads(s, "eng"), (std::vector<int32_t>{0, 3, 4, 1, 2}));
  EXPECT_THROW(rank_leads(s, "nope"), std::invalid_argument);
}

TEST(JsonApi, SummaryAndStateName) {
  const Scorer s = scored();
  const json sm = summary_json(s, 5);
  EXPECT_EQ(sm["tiers"], json::parse(R"([{"name": "Hot", "count": 2}, {"name": "Cold", "count": 3}])"));
  EXPECT_EQ(sm["rows"], 5);
  EXPECT_EQ(sm["min"], 5.0);
  EXPECT_EQ(sm["max"], 30.0);
  EXPECT_EQ(sm["histogram"], json::parse("[1, 0, 1, 0, 3]"));  // 5 | - | 15 | - | 25 30 30: width 5
  const json st = scorer_state_json(s);
  EXPECT_EQ(st["stats"][1]["fired"], 3);
  EXPECT_TRUE(st["asOf"].is_null());
  EXPECT_EQ(row_json_checked(s.table(), 4)["line"], 6);
  EXPECT_THROW(row_json_checked(s.table(), 5), std::out_of_range);
  EXPECT_THROW(row_json_checked(s.table(), -1), std::out_of_range);
}

TEST(JsonApi, ParseJsonTextNamesTheTextAndThePlace) {
  EXPECT_EQ(parse_json_text("[1, 2]", "the data"), json::parse("[1,2]"));
  try {
    parse_json_text("{\n  \"a\": ,\n}", "LOGIC");
    FAIL() << "no error";
  } catch (const LoadError& e) {
    EXPECT_EQ(e.code, "json");
    EXPECT_EQ(e.line, 2u);
    EXPECT_NE(std::string(e.what()).find("LOGIC is not valid JSON"), std::string::npos);
  }
  const std::string deep = std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']');
  try {
    parse_json_text(deep, "the logic");
    FAIL() << "no error";
  } catch (const LoadError& e) {
    EXPECT_EQ(e.code, "limit");
    EXPECT_NE(std::string(e.what()).find("the logic nests more than 1,000 levels"), std::string::npos);
  }
  EXPECT_NO_THROW(parse_json_text(std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']'), "x"));
}

}  // namespace test_json_api
