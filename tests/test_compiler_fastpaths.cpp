// The compiler's native fast paths (bench/RESULTS.md, "what the profile showed"): text conditions
// evaluated per distinct value without the interpreter, and the missing / truthiness kernels on
// number and date columns. Each shape is checked against the interpreter (itself checked against
// json-logic-engine) on values chosen to hit the edges: empty texts (missing tokens off), texts
// with spaces and case variants, UTF-8, 0, -0, negative numbers, missing cells, dates with times.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "rules/compiler.h"

namespace test_compiler_fastpaths {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;

namespace {

const char* kLeads =
    "title,notes,n,d,t\n"
    "CEO,,0,2024-01-05,2024-01-05T10:00:00Z\n"
    "VP Sales,vp,-0,,\n"
    "ceo,\"\",12.5,2023-12-31,2023-12-31T23:59:00Z\n"
    ",Ünïcödé ✓,,2024-03-01,\n"
    " CEO , ,-3,2024-03-01,2024-03-01T00:00:00Z\n"
    "Head of Growth,Interested in demo,1,2025-06-30,2025-06-30T12:00:00Z\n";

struct Fixture {
  Table table;
  RuleSet rs;
  Fixture() {
    LoadOptions o;
    o.missing = {};  // empty texts stay texts, so "" reaches the text kernels
    o.fields = {
        {"n", ColumnType::Number, {}, {""}}, {"d", ColumnType::Date, {}, {""}}, {"t", ColumnType::Date, {}, {""}}};
    table = load_table(kLeads, o);
  }
  // Compiled result == interpreted result; returns the plan.
  std::string check(const std::string& when) {
    Rule r;
    r.id = "r";
    r.points = 1;
    r.when = json::parse(when);
    Diagnostics d;
    CompiledRule cr = compile_rule(r, rs, table, d, "rules[0]", false);
    EXPECT_FALSE(has_errors(d)) << when << ": " << (d.empty() ? "" : d[0].to_string());
    Mask got = evaluate(cr, table), want = evaluate_interpreted(r.when, table);
    std::string g, w;
    for (auto b : got) g += "FTE"[b];
    for (auto b : want) w += "FTE"[b];
    EXPECT_EQ(g, w) << when << " (plan " << cr.plan << ")";
    return cr.plan;
  }
};

}  // namespace

TEST(CompilerFastPaths, TheTableHasTheEdgeValues) {
  Fixture f;
  ASSERT_EQ(f.table.rows, 6u);
  const Column& notes = f.table.columns[f.table.find("notes")];
  ASSERT_EQ(notes.type, ColumnType::String);
  EXPECT_FALSE(notes.is_missing(0));  // "" is a value here
  EXPECT_EQ(notes.dict[notes.codes[0]], "");
  EXPECT_EQ(f.table.columns[f.table.find("n")].type, ColumnType::Number);
  EXPECT_TRUE(f.table.columns[f.table.find("n")].is_missing(3));
  EXPECT_EQ(f.table.columns[f.table.find("t")].type, ColumnType::Date);
}

TEST(CompilerFastPaths, TextShapesEqualTheInterpreter) {
  Fixture f;
  for (
      const char* when : {
          R"({"var": "notes"})",
          R"({"!": {"var": "notes"}})",
          R"({"!!": [{"var": "title"}]})",
          R"({"!": [{"var": "title"}]})",
          R"({"in": ["", {"var": "notes"}]})",
          R"({"!": {"in": ["", {"var": "notes"}]}})",
          R"({"in": ["CEO", {"var": "title"}]})",
          R"({"in": ["ö", {"var": "notes"}]})",
          R"({"in": [" ", {"var": "notes"}]})",
          R"({"in": [{"var": "title"}, ["CEO", "ceo", 5, null, true]]})",
          R"({"in": [{"var": "notes"}, ["", "vp"]]})",
          R"({"in": [{"var": "notes"}, []]})",
          R"({"==": [{"var": "title"}, "CEO"]})",
          R"({"==": ["", {"var": "notes"}]})",
          R"({"===": [{"var": "title"}, " CEO "]})",
          R"({"!=": [{"var": "title"}, "CEO"]})",
          R"({"!==": [{"var": "notes"}, ""]})",
          R"({"and": [{"var": "title"}, {"in": ["C", {"var": "title"}]}, true]})",
          R"({"or": [{"==": [{"var": "title"}, "ceo"]}, 0, ""]})",
          R"({"and": [{"!!": {"var": "title"}}, {"or": [{"in": ["CEO", {"var": "title"}]}, {"in": ["VP", {"var": "title"}]}]}]})",
          R"({"or": ["x", {"var": "notes"}]})",
          R"({"and": [null, {"var": "notes"}]})",
      }) {
    EXPECT_EQ(f.check(when),
              "lookup(" + std::string(std::string(when).find("notes") != std::string::npos ? "notes" : "title") + ")")
        << when;
  }
}

TEST(CompilerFastPaths, ShapesLeftToTheInterpreterStillAgree) {
  Fixture f;
  // Not fast-path shapes (number literals against text, defaults, nested logic in lists): the
  // interpreter runs per distinct value, as before.
  for (const char* when :
       {R"({"==": [{"var": "notes"}, 0]})", R"({"in": [{"var": "notes"}, [{"var": "title"}]]})",
        R"({"var": ["notes", "x"]})", R"({"<": [{"var": "title"}, "D"]})", R"({"in": [5, {"var": "notes"}]})"})
    f.check(when);
}

TEST(CompilerFastPaths, PresenceKernelsOnNumbersAndDates) {
  Fixture f;
  EXPECT_EQ(f.check(R"({"missing": ["n"]})"), "missing(n)");
  EXPECT_EQ(f.check(R"({"!": {"missing": ["d"]}})"), "not missing(d)");
  EXPECT_EQ(f.check(R"({"missing": ["t"]})"), "missing(t)");
  EXPECT_EQ(f.check(R"({"var": "n"})"), "truthy(n)");  // 0 and -0 are falsy, -3 truthy
  EXPECT_EQ(f.check(R"({"!": {"var": "n"}})"), "not truthy(n)");
  EXPECT_EQ(f.check(R"({"!!": {"var": "d"}})"), "truthy(d)");
  EXPECT_EQ(f.check(R"({"var": ["t"]})"), "truthy(t)");
  // A guard "has a value, and ..." folds into the comparison (false where missing), on numbers
  // and dates; a number's truthiness is not a guard (0 is falsy), nor is a guard on another column.
  EXPECT_EQ(f.check(R"({"and": [{"!": {"missing": ["n"]}}, {"<": [{"var": "n"}, 1]}]})"), "compare(n)");
  EXPECT_EQ(f.check(R"({"and": [{"!": {"missing": ["n"]}}, {"!": {"<": [{"var": "n"}, 1]}}]})"),
            "(not missing(n) and not compare(n))");
  EXPECT_EQ(f.check(R"({"and": [{"var": "n"}, {"<": [{"var": "n"}, 1]}]})"), "(truthy(n) and compare(n))");
  EXPECT_EQ(f.check(R"({"and": [{"var": "d"}, {">=": [{"var": "d"}, "2024-01-01"]}]})"), "compare(d)");
  EXPECT_EQ(f.check(R"({"and": [{"!": {"missing": ["d"]}}, {"<": [{"var": "d"}, "2024-02-01"]}]})"), "compare(d)");
  EXPECT_EQ(f.check(R"({"and": [{"var": "t"}, {">=": [{"var": "t"}, "2024-01-01"]}]})"), "memo(t)");
  EXPECT_EQ(f.check(R"({"and": [{"!": {"missing": ["t"]}}, {"<": [{"var": "n"}, 1]}]})"),
            "(not missing(t) and compare(n))");
  EXPECT_EQ(f.check(R"({"and": [{"!": {"missing": ["n"]}}, {"<": [{"var": "n"}, 1]}, {"var": "d"}]})"),
            "(not missing(n) and compare(n) and truthy(d))");
  // Several names, a default, or a name the interpreter reads as a path: the memo, as before.
  EXPECT_EQ(f.check(R"({"missing": ["n", "d"]})"), "interpreted(n,d)");
  EXPECT_EQ(f.check(R"({"var": ["n", 5]})"), "memo(n)");
}

// A date column without times compared with ISO dates: the interpreter compares the texts, the
// kernel the days; equal on every day of the column, the days either side, and each operator.
// A column with times, a literal that is not exactly a real ISO date, or dates past the years
// that print with four digits stay with the memo.
TEST(CompilerFastPaths, DateComparisonsWithIsoDatesAreCompares) {
  Fixture f;
  const char* ops[] = {"<", "<=", ">", ">=", "==", "===", "!=", "!=="};
  for (const char* day : {"2023-12-30", "2023-12-31", "2024-01-01", "2024-01-05", "2024-01-06", "2024-02-29",
                          "2024-03-01", "2025-06-30", "2025-07-01", "0000-01-01", "1970-01-01"})
    for (const char* op : ops) {
      const std::string lit = std::string("\"") + day + "\"";
      EXPECT_EQ(f.check(std::string(R"({")") + op + R"(": [{"var": "d"}, )" + lit + "]}"), "compare(d)") << op << day;
      EXPECT_EQ(f.check(std::string(R"({")") + op + R"(": [)" + lit + R"(, {"var": "d"}]})"), "compare(d)")
          << op << day;
      EXPECT_EQ(f.check(std::string(R"({")") + op + R"(": [{"var": "t"}, )" + lit + "]}"), "memo(t)") << op << day;
    }
  EXPECT_EQ(f.check(R"({"<": ["2024-01-01", {"var": "d"}, "2024-03-01"]})"), "compare(d)");
  EXPECT_EQ(f.check(R"({"<=": ["2024-01-05", {"var": "d"}, "2024-03-01"]})"), "compare(d)");
  for (const char* lit : {"2024-02-30", "2023-02-29", "2024-1-05", "2024-01-05T00:00:00Z", "20240105", "2024/01/05",
                          "2024-13-01", "2024-00-10", "+02024-01-05", " 2024-01-05", "2024-01-0x"})
    EXPECT_EQ(f.check(std::string(R"({">=": [{"var": "d"}, ")") + lit + R"("]})"), "memo(d)") << lit;
  EXPECT_EQ(f.check(R"({">=": [{"var": "d"}, 20240105]})"), "memo(d)");
  EXPECT_EQ(f.check(R"({"<": ["2024-01-01", {"var": "d"}, "2024-02-30"]})"), "memo(d)");

  // Dates far enough out that some would print with six digits: the memo, and still equal.
  LoadOptions o;
  o.fields = {{"d", ColumnType::Date, {}, {""}}};
  f.table = load_table("d\n2024-01-05\n3939-12-31\n", o);
  EXPECT_EQ(f.check(R"({">=": [{"var": "d"}, "2024-01-01"]})"), "compare(d)");
  f.table = load_table("d\n2024-01-05\n9999-12-31\n", o);
  EXPECT_EQ(f.check(R"({">=": [{"var": "d"}, "2024-01-01"]})"), "memo(d)");
}

TEST(CompilerFastPaths, MemoWithManyDistinctValues) {
  // The memo's hash table grows past its first size; results stay equal to the interpreter.
  std::string csv = "x\n";
  for (int i = 0; i < 5000; ++i) csv += (i % 17 == 0 ? std::string("") : std::to_string(i * 0.5 - 700)) + "\n";
  Fixture f;
  f.table = load_table(csv);
  ASSERT_EQ(f.table.columns[0].type, ColumnType::Number);
  EXPECT_EQ(f.check(R"({"==": [{"%": [{"var": "x"}, 3]}, 1]})"), "memo(x)");
  EXPECT_EQ(f.check(R"({"in": [{"var": "x"}, [{"var": "x"}, 2.5]]})"), "memo(x)");
}

TEST(CompilerFastPaths, NumberListsAreCompares) {
  std::string csv = "x\n";
  for (int i = 0; i < 300; ++i) csv += (i % 17 == 0 ? std::string("") : std::to_string(i * 0.5 - 70)) + "\n";
  Fixture f;
  f.table = load_table(csv);
  ASSERT_EQ(f.table.columns[0].type, ColumnType::Number);
  EXPECT_EQ(f.check(R"({"in": [{"var": "x"}, [1, 2.5, -70, 0]]})"),
            "(compare(x) or compare(x) or compare(x) or compare(x))");
  EXPECT_EQ(f.check(R"({"in": [{"var": "x"}, [null, "1", 3]]})"), "(compare(x))");  // missing: null is listed
  EXPECT_EQ(f.check(R"({"!": {"in": [{"var": "x"}, [-69.5, 12]]}})"), "not (compare(x) or compare(x))");
  EXPECT_EQ(f.check(R"({"in": [{"var": "x"}, ["1", "2"]]})"), "memo(x)");  // no number element
}

TEST(CompilerFastPaths, TextSubstringSetsPrefixesAndFoldedText) {
  // High-cardinality text shapes: an `or` of substring tests (one scan), substr prefixes and
  // suffixes, cat, ls:same / ls:in, against the interpreter on e-mail-like values.
  std::string csv = "email,site\n";
  const char* emails[] = {"anna@gmail.com", "BEN@GMAIL.COM", "c@yahoo.co.uk", "d@acme.io",    "",         "@",
                          "gmail.com",      "zoë@müller.de", "e@@gmail.",     "f@outlook.fr", "g@gmx.de", "h@mail.ru",
                          "Ünï@x.de"};
  const char* sites[] = {"https://www.acme.io/pricing",
                         "http://x.de",
                         "",
                         "https://www.",
                         "https://ww",
                         "HTTPS://WWW.A.COM",
                         "https://www.ü.de/demo",
                         "www.a.com/pricing",
                         "",
                         "x",
                         "/pricing",
                         "https://b.ai/",
                         "https://www.c.com"};
  for (size_t i = 0; i < 13; ++i) csv += std::string(emails[i]) + "," + sites[i] + "\n";
  Fixture f;
  LoadOptions o;
  o.missing = {};
  f.table = load_table(csv, o);
  for (
      const char* when : {
          R"({"or": [{"in": ["@gmail.", {"var": "email"}]}, {"in": ["@yahoo.", {"var": "email"}]}, {"in": ["@gmx.", {"var": "email"}]}]})",
          R"({"or": [{"in": ["@", {"var": "email"}]}, {"in": ["", {"var": "email"}]}]})",
          R"({"!": {"or": [{"in": [".de", {"var": "email"}]}, {"in": ["mail", {"var": "email"}]}]}})",
          R"({"==": [{"substr": [{"var": "site"}, 0, 12]}, "https://www."]})",
          R"({"!=": [{"substr": [{"var": "site"}, 0, 12]}, "https://www."]})",
          R"({"==": ["https://ww", {"substr": [{"var": "site"}, 0, 12]}]})",
          R"({"==": [{"substr": [{"var": "site"}, -8]}, "/pricing"]})",
          R"({"==": [{"substr": [{"var": "site"}, -8, 8]}, "/pricing"]})",
          R"({"==": [{"substr": [{"var": "site"}, -12, 12]}, "x"]})",
          R"({"==": [{"cat": ["<", {"var": "email"}, ">"]}, "<d@acme.io>"]})",
          R"({"!=": [{"cat": ["<", {"var": "email"}, ">"]}, "[d@acme.io]"]})",
          R"({"ls:same": [{"var": "email"}, "ben@gmail.com"]})",
          R"({"ls:same": ["ZOE@MULLER.DE", {"var": "email"}]})",
          R"({"ls:in": ["GMAIL", {"var": "email"}]})",
          R"({"ls:in": ["müller", {"var": "email"}]})",
          R"({"ls:in": [{"var": "email"}, ["ANNA@gmail.com", null, "unï@x.de"]]})",
          R"({"missing": ["email"]})",
          R"({"!": {"missing": "site"}})",
          R"({"if": [{"in": ["@gmail.", {"var": "email"}]}, {"in": [".com", {"var": "email"}]}, {"in": ["x", {"var": "email"}]}]})",
          R"({"if": [{"missing": ["email"]}, true, {"==": [{"var": "email"}, "@"]}, false, {"var": "email"}]})",
          R"({"if": [{"in": ["@", {"var": "email"}]}, {"!": {"in": ["gmail", {"var": "email"}]}}]})",
      })
    EXPECT_EQ(f.check(when).rfind("lookup(", 0), 0u) << when;
}

TEST(CompilerFastPaths, ArithmeticAndIfAreKernels) {
  Fixture f;
  f.table = load_table("a,b,flag\n1,2,true\n,3,false\n-4.5,,\n0,0,true\n1e300,1e300,false\n7,-7,true\n");
  EXPECT_EQ(f.check(R"({">": [{"+": [{"var": "a"}, {"*": [{"var": "b"}, 2]}]}, 3]})"), "compare(arithmetic)");
  EXPECT_EQ(f.check(R"({"<=": [-1, {"-": [{"var": "a"}, {"var": "b"}]}, 5]})"), "compare(arithmetic)");
  EXPECT_EQ(f.check(R"({"==": [{"-": [{"var": "a"}]}, 4.5]})"), "compare(arithmetic)");
  EXPECT_EQ(f.check(R"({">": [{"*": [{"var": "a"}, {"var": "flag"}]}, 0]})"), "compare(arithmetic)");
  EXPECT_EQ(f.check(R"({"<": [{"-": [{"*": [{"var": "a"}, 1e300]}, {"*": [{"var": "b"}, 1e300]}]}, 1]})"),
            "compare(arithmetic)");  // inf - inf: NaN, the interpreter's error
  EXPECT_EQ(f.check(R"({"if": [{"var": "flag"}, {">": [{"var": "a"}, 0]}, {"<": [{"var": "b"}, 3]}]})"),
            "if(lookup(flag), compare(a), compare(b))");
  EXPECT_EQ(f.check(R"({"if": [{"var": "flag"}, {">": [{"var": "a"}, 0]}]})"), "if(lookup(flag), compare(a), never)");
  EXPECT_EQ(f.check(R"({"if": [{">": [{"var": "a"}, 0]}, true, {"var": "flag"}, {"<": [{"var": "b"}, 3]}, false]})"),
            "if(compare(a), always, if(lookup(flag), compare(b), never))");
  f.check(R"({"if": [{"<": [{"var": "a"}, {"var": "b"}]}, {"var": "flag"}, {"!": {"var": "flag"}}]})");
  // Arithmetic that can reach infinity (1e300 x 1e300) errs where it is evaluated: inside and /
  // or / if only where JavaScript evaluates it (the row 1e300,1e300 has flag false).
  const char* nan = R"({"<": [{"-": [{"*": [{"var": "a"}, 1e300]}, {"*": [{"var": "b"}, 1e300]}]}, 1]})";
  for (const char* shape : {R"({"or": [{"!": {"var": "flag"}}, %s]})", R"({"and": [{"var": "flag"}, %s]})",
                            R"({"if": [{"var": "flag"}, %s, true]})", R"({"if": [{"var": "flag"}, true, %s]})"}) {
    char when[512];
    std::snprintf(when, sizeof when, shape, nan);
    f.check(when);
  }
  // Bounded arithmetic (every |value| and product far below overflow) cannot err: and / or / if
  // over it combine whole masks, with the interpreter's results.
  f.table = load_table("a,b,flag\n1,2,true\n,3,false\n-4.5,,\n0,0,true\n1e150,-1e140,false\n7,-7,true\n");
  for (const char* when :
       {R"({"or": [{"!": {"var": "flag"}}, {">": [{"+": [{"var": "a"}, {"*": [{"var": "b"}, 0.01]}]}, 3]}]})",
        R"({"if": [{">": [{"*": [{"var": "a"}, {"var": "b"}]}, -1]}, {"var": "flag"}, false]})",
        R"({"and": [{"<": [{"-": [{"var": "a"}]}, 5]}, {"!": {"var": "flag"}}]})"})
    f.check(when);
}

TEST(CompilerFastPaths, ComparisonsOnWholeNumbersEqualTheInterpreter) {
  // A column of whole numbers past one byte is stored as 32-bit integers; its comparisons run as
  // integer ranges (x < 2.5 is x <= 2). Every operator, with constants between, on and past the
  // values, past the 32-bit range, and -0, against the interpreter; missing cells take the
  // comparison's missing answer (false, and true for !=).
  std::string csv = "x\n";
  for (const char* v :
       {"-2147483647", "-70000", "-3", "-2", "-1", "0", "1", "2", "3", "255", "256", "70000", "2147483647", ""})
    csv += std::string(v) + "\n";
  Fixture f;
  f.table = load_table(csv);
  const Column& c = f.table.columns[0];
  ASSERT_EQ(c.type, ColumnType::Number);
  ASSERT_EQ(c.num.kind(), Values::Kind::I32);
  ASSERT_EQ(c.num.scale(), 1);
  const char* consts[] = {"-1e300",     "-3000000000", "-2147483648", "-2147483647.5", "-2147483647", "-3",
                          "-2.5",       "-0.0",        "0",           "0.5",           "2",           "2.5",
                          "255",        "255.5",       "256",         "2147483646.5",  "2147483647",  "2147483647.5",
                          "3000000000", "1e300"};
  size_t n = 0;
  for (const char* op : {"<", "<=", ">", ">=", "==", "!=", "===", "!=="})
    for (const char* a : consts) {
      const std::string k = a;
      EXPECT_EQ(f.check(R"({")" + std::string(op) + R"(": [{"var": "x"}, )" + k + "]}"), "compare(x)")
          << op << " " << k;
      f.check(R"({")" + std::string(op) + R"(": [)" + k + R"(, {"var": "x"}]})");
      ++n;
    }
  for (const char* op : {"<", "<="})
    for (const char* a : consts)
      for (const char* b : {"-2.5", "0", "2", "2.5", "256", "2147483647", "1e300"}) {
        EXPECT_EQ(f.check(R"({")" + std::string(op) + R"(": [)" + std::string(a) + R"(, {"var": "x"}, )" + b + "]}"),
                  "compare(x)");
        ++n;
      }
  // and the guarded form, where missing is false whatever the operator
  EXPECT_EQ(f.check(R"({"and": [{"!": {"missing": ["x"]}}, {"!=": [{"var": "x"}, 2]}]})"), "compare(x)");
  EXPECT_GT(n, 400u);
}

// evaluate_all shares one pass over a text column between the rules that look it up (groups of
// four and what is left over), and evaluates the rest one by one: every mask is evaluate()'s.
TEST(CompilerFastPaths, RulesSharingATextColumnGetEvaluatesMasks) {
  std::string csv = "title,source,n\n";
  const char* titles[] = {"CEO", "VP Sales", "", "cto", "Intern", "Head of Growth", "Manager"};
  for (int i = 0; i < 3001; ++i)
    csv += std::string(titles[(i * 7 + i / 5) % 7]) + "," + (i % 3 ? "Referral" : "Cold") + "," +
           (i % 11 ? std::to_string(i % 40) : "") + "\n";
  Fixture f;
  f.table = load_table(csv);
  ASSERT_EQ(f.table.columns[0].type, ColumnType::String);
  ASSERT_GT(f.table.columns[0].missing(f.table.rows), 100u);  // (missing lookups read lut[0])
  const std::vector<std::string> whens = {R"({"in": [{"var": "title"}, ["CEO", "cto"]]})",
                                          R"({"==": [{"var": "source"}, "Referral"]})",
                                          R"({"in": ["Sales", {"var": "title"}]})",
                                          R"({">": [{"var": "n"}, 10]})",
                                          R"({"!": {"var": "title"}})",
                                          R"({">": [{"*": [{"var": "title"}, 2]}, 1]})",  // an error for every title
                                          R"({"==": [{"var": "title"}, "Intern"]})",
                                          R"({"!=": [{"var": "source"}, "Cold"]})",
                                          R"({"in": [{"var": "title"}, ["Manager", "Head of Growth"]]})"};
  for (size_t count = 1; count <= whens.size(); ++count) {  // 1..6 title rules, 0..2 source rules
    std::vector<CompiledRule> crs;
    for (size_t k = 0; k < count; ++k) {
      Rule r;
      r.id = "r" + std::to_string(k);
      r.points = 1;
      r.when = json::parse(whens[k]);
      Diagnostics d;
      crs.push_back(compile_rule(r, f.rs, f.table, d, "rules", false));
    }
    std::vector<const CompiledRule*> ptrs;
    for (const auto& cr : crs) ptrs.push_back(&cr);
    const std::vector<Mask> all = evaluate_all(ptrs, f.table);
    ASSERT_EQ(all.size(), count);
    if (count == whens.size()) {  // (the shared pass is taken: six of the rules are lookups of title)
      EXPECT_EQ(std::count_if(crs.begin(), crs.end(), [](const CompiledRule& c) { return c.plan == "lookup(title)"; }),
                6);
    }
    for (size_t k = 0; k < count; ++k)
      EXPECT_TRUE(all[k] == evaluate(crs[k], f.table)) << count << " rules, rule " << k << " (" << crs[k].plan << ")";
  }
}

}  // namespace test_compiler_fastpaths
