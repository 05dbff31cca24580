// Rule compilation against a table: field resolution, type checks that catch rules that can
// never match, execution plans, and compiled == interpreted on crafted data.
#include <gtest/gtest.h>

#include "rules/compiler.h"

namespace test_compiler {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;

namespace {

const char* kLeads =
    "name,title,age,unsubscribed,created,views,emp.var.rate\n"
    "Ann,CEO,45,no,2024-01-05,3,1.1\n"
    "Bob,VP Sales,,yes,2024-02-10,,1.4\n"
    "Cid,Student,22,no,,12,-0.1\n"
    "Dee,,61,,2023-12-31,0,\n"
    "Eve,head of growth,38,yes,2024-03-01,7,1.1\n";

struct Fixture {
  Table table = load_table(kLeads);
  RuleSet rs;
  Diagnostics diags;

  CompiledRule compile(const std::string& when, const std::string& per = "") {
    Rule r;
    r.id = "r";
    r.points = 1;
    r.when = json::parse(when);
    if (!per.empty()) r.per = per;
    diags.clear();
    return compile_rule(r, rs, table, diags, "rules[0]");
  }
  Diagnostic error(const std::string& when, const std::string& per = "") {
    compile(when, per);
    for (const auto& d : diags)
      if (d.is_error()) return d;
    ADD_FAILURE() << "expected a compile error for " << when;
    return {};
  }
  std::string bits(const std::string& when) {
    CompiledRule cr = compile(when);
    EXPECT_FALSE(has_errors(diags)) << (diags.empty() ? "" : diags[0].to_string());
    Mask m = evaluate(cr, table);
    Mask ref = evaluate_interpreted(json::parse(when), table);
    EXPECT_EQ(m, ref) << when << " plan " << cr.plan;
    std::string s;
    for (auto b : m) s += "FTE"[b];
    return s;
  }
};

}  // namespace

TEST(Compiler, TableTypesAsExpected) {
  Fixture f;
  ASSERT_EQ(f.table.rows, 5u);
  EXPECT_EQ(f.table.columns[f.table.find("age")].type, ColumnType::Number);
  EXPECT_EQ(f.table.columns[f.table.find("unsubscribed")].type, ColumnType::Boolean);
  EXPECT_EQ(f.table.columns[f.table.find("created")].type, ColumnType::Date);
  EXPECT_EQ(f.table.columns[f.table.find("title")].type, ColumnType::String);
}

TEST(Compiler, PlansUseColumnKernels) {
  Fixture f;
  EXPECT_EQ(f.compile(R"({"in": [{"var": "title"}, ["CEO", "CTO"]]})").plan, "lookup(title)");
  EXPECT_EQ(f.compile(R"({">=": [{"var": "age"}, 40]})").plan, "compare(age)");
  EXPECT_EQ(f.compile(R"({"<=": [30, {"var": "age"}, 50]})").plan, "compare(age)");
  EXPECT_EQ(f.compile(R"({"var": "unsubscribed"})").plan, "lookup(unsubscribed)");
  EXPECT_EQ(f.compile(R"({">=": [{"var": "created"}, "2024-01-01"]})").plan, "compare(created)");
  EXPECT_EQ(f.compile(R"({">=": [{"var": "created"}, "2024-01"]})").plan, "memo(created)");
  EXPECT_EQ(f.compile(R"({"and": [{">=": [{"var": "age"}, 30]}, {"in": ["VP", {"var": "title"}]}]})").plan,
            "(compare(age) and lookup(title))");
  EXPECT_EQ(f.compile(R"({">": [{"var": "age"}, {"var": "views"}]})").plan, "interpreted(age,views)");
  EXPECT_EQ(f.compile(R"({"==": [1, 1]})").plan, "always");
  EXPECT_EQ(f.compile("null").plan, "always");
  EXPECT_EQ(f.compile(R"({"var": "views"})", "views").plan, "truthy(views) x views");
}

// Expected strings were checked against json-logic-engine 5.0.7 under Node on the same rows.
TEST(Compiler, CompiledEqualsInterpreted) {
  Fixture f;
  EXPECT_EQ(f.bits(R"({"in": [{"var": "title"}, ["CEO", "VP Sales"]]})"), "TTFFF");
  EXPECT_EQ(f.bits(R"({"in": ["VP", {"var": "title"}]})"), "FTFFF");
  EXPECT_EQ(f.bits(R"({">=": [{"var": "age"}, 40]})"), "TFFTF");
  // json-logic-engine: a missing number compares as null -> 0 (so "age < 30" holds for Bob).
  EXPECT_EQ(f.bits(R"({"<": [{"var": "age"}, 30]})"), "FTTFF");
  EXPECT_EQ(f.bits(R"({"==": [{"var": "unsubscribed"}, true]})"), "FTFFT");
  EXPECT_EQ(f.bits(R"({"!": {"var": "unsubscribed"}})"), "TFTTF");
  EXPECT_EQ(f.bits(R"({">=": [{"var": "created"}, "2024-01-01"]})"), "TTFFT");
  EXPECT_EQ(f.bits(R"({"missing": ["age"]})"), "FTFFF");
  EXPECT_EQ(f.bits(R"({"or": [{"missing": ["title"]}, {"<=": [{"var": "views"}, 0]}]})"), "FTFTF");
  EXPECT_EQ(f.bits(R"({">": [{"+": [{"var": "views"}, {"var": "age"}]}, 50]})"), "FFFTF");
  // arithmetic on text throws in json-logic-engine: the lead gets an error, not a match
  EXPECT_EQ(f.bits(R"({">": [{"*": [{"var": "name"}, 2]}, 1]})"), "EEEEE");
  // and/or short-circuit: errors only where the engine would reach them
  EXPECT_EQ(f.bits(R"({"and": [{"var": "unsubscribed"}, {">": [{"*": [{"var": "title"}, 2]}, 1]}]})"), "FEFFE");
}

TEST(Compiler, UnknownFieldNamesRuleAndSuggests) {
  Fixture f;
  Diagnostic d = f.error(R"({"==": [{"var": "titel"}, "CEO"]})");
  EXPECT_EQ(d.code, "unknown_field");
  EXPECT_EQ(d.field, "titel");
  EXPECT_EQ(d.rule_id, "r");
  EXPECT_NE(d.message.find("did you mean 'title'"), std::string::npos) << d.message;
  // dotted headers are renamed (a dot in var reads a nested value)
  d = f.error(R"({">": [{"var": "emp.var.rate"}, 1]})");
  EXPECT_NE(d.message.find("emp_var_rate"), std::string::npos) << d.message;
  EXPECT_EQ(f.compile(R"({">": [{"var": "emp_var_rate"}, 1]})").plan, "compare(emp_var_rate)");
}

TEST(Compiler, TypeMismatchesThatCanNeverMatch) {
  Fixture f;
  EXPECT_EQ(f.error(R"({"==": [{"var": "age"}, "forty"]})").code, "type_mismatch");
  EXPECT_EQ(f.error(R"({"===": [{"var": "age"}, "40"]})").code, "type_mismatch");
  EXPECT_EQ(f.error(R"({"==": [{"var": "unsubscribed"}, "yes"]})").code, "type_mismatch");
  EXPECT_EQ(f.error(R"({">": [{"var": "created"}, 20240101]})").code, "type_mismatch");
  EXPECT_EQ(f.error(R"({"in": [{"var": "age"}, ["18", "19"]]})").code, "type_mismatch");
  EXPECT_EQ(f.error(R"({"in": [{"var": "title"}, [1, 2]]})").code, "type_mismatch");
  Diagnostic d = f.error(R"({"and": [true, {"!=": [{"var": "age"}, "n/a"]}]})");
  EXPECT_NE(d.message.find("always matches"), std::string::npos) << d.message;
  // Loose comparisons that can match are fine.
  f.compile(R"({"==": [{"var": "age"}, "45"]})");
  EXPECT_FALSE(has_errors(f.diags));
  f.compile(R"({"==": [{"var": "unsubscribed"}, 1]})");
  EXPECT_FALSE(has_errors(f.diags));
}

TEST(Compiler, PerUnitFieldMustBeNumeric) {
  Fixture f;
  EXPECT_EQ(f.error("null", "title").code, "type_mismatch");
  EXPECT_EQ(f.error("null", "nope").code, "unknown_field");
  CompiledRule cr = f.compile("null", "views");
  EXPECT_GE(cr.per_column, 0);
}

// Leads loaded before the rule set (the page and the JS API allow it): fields declared with
// aliases still find their columns, and conditions see the values under the field's name.
TEST(Compiler, AliasesResolveWhenRulesArriveAfterTheLeads) {
  Table t = load_table("Full Name,Job Title,Employees\nAnn,CEO,500\nBob,Intern,12\n");
  RuleSet rs = parse_rule_set(R"({
    "fields": {"title": {"aliases": ["Job Title"]}, "size": {"aliases": ["Employees", "Company Size"]}},
    "rules": []})");
  EXPECT_EQ(resolve_field(t, rs, "title"), 1);
  EXPECT_EQ(resolve_field(t, rs, "size"), 2);
  EXPECT_EQ(resolve_field(t, rs, "Job Title"), 1);  // the column's own name works too
  EXPECT_EQ(resolve_field(t, rs, "region"), -1);
  auto bits = [&](const std::string& when, const std::string& expect_plan) {
    Rule r;
    r.id = "r";
    r.when = json::parse(when);
    Diagnostics d;
    CompiledRule cr = compile_rule(r, rs, t, d, "rules[0]");
    EXPECT_FALSE(has_errors(d)) << (d.empty() ? "" : d[0].to_string());
    EXPECT_EQ(cr.plan, expect_plan) << when;
    std::string s;
    for (auto b : evaluate(cr, t)) s += "FTE"[b];
    return s;
  };
  EXPECT_EQ(bits(R"({"==": [{"var": "title"}, "CEO"]})", "lookup(Job Title)"), "TF");
  EXPECT_EQ(bits(R"({">=": [{"var": "size"}, 100]})", "compare(Employees)"), "TF");
  EXPECT_EQ(bits(R"({"<": [{"var": "size"}, {"cat": [{"var": "title"}, ""]}]})", "interpreted(Employees,Job Title)"),
            "EE");
  EXPECT_EQ(bits(R"({"and": [{"var": "title"}, {"!": {"missing": ["size"]}}]})",
                 "(lookup(Job Title) and not missing(Employees))"),
            "TT");
}

}  // namespace test_compiler
