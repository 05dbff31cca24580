// The compiled columnar path against json-logic-engine 5.0.7: random conditions x random leads
// (missing values, number-like strings, booleans, dates), expected outcomes produced by
// tests/js/gen-differential.mjs running the real engine under Node. Zero differences allowed,
// and the row-at-a-time interpreter must agree too.
#include <gtest/gtest.h>

#include <cmath>

#include "leadscore/jsonlogic.h"
#include "rules/compiler.h"
#include "test_util.h"

namespace test_differential {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;

namespace {

double parse_iso_ms(const std::string& s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &sec);
  // days from civil (Howard Hinnant)
  y -= mo <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  long days = era * 146097 + doe - 719468;
  return ((double)days * 86400.0 + h * 3600 + mi * 60 + sec) * 1000.0;
}

// Build a table straight from typed columns, bypassing the loaders: the datum each engine
// sees must be exactly the generated one.
Table table_from(const json& columns) {
  Table t;
  t.format = "json";
  for (const auto& c : columns) {
    Column col;
    col.name = col.header = c["name"].get<std::string>();
    col.type = *column_type_from_string(c["type"].get<std::string>());
    const json& vals = c["values"];
    t.rows = vals.size();
    std::vector<double> num;
    for (const auto& v : vals) {
      if (col.type == ColumnType::String) {
        if (v.is_null()) {
          col.codes.push_back(-1);
          continue;
        }
        std::string s = v.get<std::string>();
        auto it = std::find(col.dict.begin(), col.dict.end(), s);
        if (it == col.dict.end()) {
          col.dict.push_back(s);
          it = col.dict.end() - 1;
        }
        col.codes.push_back((int32_t)(it - col.dict.begin()));
      } else if (v.is_null()) {
        num.push_back(NAN);
      } else if (col.type == ColumnType::Boolean) {
        num.push_back(v.get<bool>() ? 1 : 0);
      } else if (col.type == ColumnType::Date) {
        std::string s = v.get<std::string>();
        col.date_has_time |= s.size() > 10;
        num.push_back(parse_iso_ms(s));
      } else {
        num.push_back(v.get<double>());
      }
    }
    if (col.type != ColumnType::String) col.num = std::move(num);
    t.columns.push_back(col);
  }
  for (size_t i = 0; i < t.rows; ++i) t.row_line.push_back(i + 2);
  return t;
}

}  // namespace

TEST(Differential, CompiledEqualsJsonLogicEngine) {
  json cases = json::parse(test::read_file(test::source_path("tests/fixtures/differential/cases.json")));
  ASSERT_EQ(cases["engine"], "json-logic-engine@5.0.7");
  Table t = table_from(cases["columns"]);
  // The datum the generator gave json-logic-engine is what the table presents.
  for (size_t i = 0; i < t.rows; ++i) {
    json expected = json::object();
    for (const auto& c : cases["columns"])
      if (!c["values"][i].is_null()) expected[c["name"].get<std::string>()] = c["values"][i];
    ASSERT_EQ(t.row_json(i), expected) << "lead " << i;
  }

  const json& rules = cases["rules"];
  const json& expected = cases["expected"];
  ASSERT_EQ(rules.size(), expected.size());
  RuleSet rs;
  size_t compared = 0, differences = 0, interpreted_differences = 0;
  std::map<std::string, size_t> plans;
  for (size_t r = 0; r < rules.size(); ++r) {
    Rule rule;
    rule.id = "r" + std::to_string(r);
    rule.when = rules[r];
    Diagnostics d;
    CompiledRule cr = compile_rule(rule, rs, t, d, "rules[" + std::to_string(r) + "]", /*check_types=*/false);
    ASSERT_FALSE(has_errors(d)) << rules[r].dump() << "\n" << d.front().to_string();
    Mask compiled = evaluate(cr, t);
    Mask interpreted = evaluate_interpreted(rule.when, t);
    plans[cr.plan.substr(0, cr.plan.find('('))]++;
    const std::string& exp = expected[r].get_ref<const std::string&>();
    ASSERT_EQ(exp.size(), t.rows);
    for (size_t i = 0; i < t.rows; ++i, ++compared) {
      char want = exp[i];
      char got = "FTE"[compiled[i]];
      char interp = "FTE"[interpreted[i]];
      if (got != want && ++differences <= 20)
        ADD_FAILURE() << "rule " << r << " " << rules[r].dump() << "\nlead " << i << " " << t.row_json(i).dump()
                      << "\ncompiled " << got << " (plan " << cr.plan << "), json-logic-engine " << want;
      if (interp != want && ++interpreted_differences <= 20)
        ADD_FAILURE() << "interpreter differs: rule " << rules[r].dump() << " lead " << t.row_json(i).dump() << " got "
                      << interp << " want " << want;
    }
  }
  EXPECT_GE(compared, 10000u);
  EXPECT_EQ(differences, 0u);
  EXPECT_EQ(interpreted_differences, 0u);
  std::string summary;
  for (const auto& [k, v] : plans) summary += k + "=" + std::to_string(v) + " ";
  std::cout << "[differential] " << compared << " cases, " << differences << " differences; plans: " << summary << "\n";
}

}  // namespace test_differential
