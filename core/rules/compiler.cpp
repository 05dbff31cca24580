// The rule compiler's planning half: reads a rule's condition against the table's columns,
// reports conditions that can never match, and picks a kernel for each sub-condition (lookup,
// compare, memo, presence, interpret; see compiler.h), producing the PredicateNode tree that
// kernels.cpp runs. Nothing here touches per-lead data except the per-distinct-value tables a
// lookup node carries.
#include "rules/compiler.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <optional>

#include "leadscore/jsonlogic.h"
#include "rules/predicate_node.h"

namespace leadscore {

namespace {

using Node = PredicateNode;
using NodePtr = std::shared_ptr<const Node>;

const json& empty_object() {
  static const json e = json::object();
  return e;
}

bool is_var(const json& v, std::string* name) {
  if (!v.is_object() || v.size() != 1) return false;
  auto it = v.find("var");
  if (it == v.end()) return false;
  const json* arg = &*it;
  if (arg->is_array()) {
    if (arg->size() != 1) return false;  // a default value changes what "missing" means: leave to the memo
    arg = &(*arg)[0];
  }
  if (!arg->is_string()) return false;
  *name = arg->get<std::string>();
  return !name->empty();
}

int exact_column(const Table& t, const std::string& name) {
  for (size_t i = 0; i < t.columns.size(); ++i)
    if (t.columns[i].name == name) return (int)i;
  return -1;
}

bool is_literal(const json& v) { return v.is_primitive(); }

// JS Number("...") for the type checks: is this text a number the comparison could coerce?
bool numeric_text(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  if (b == std::string::npos) return false;
  std::string t = s.substr(b, e - b + 1);
  char* end = nullptr;
  std::strtod(t.c_str(), &end);
  return end && *end == 0 && t.find_first_of("xXnN") == std::string::npos;
}

// A field name the interpreter reads as one plain key (no dots = no nesting, no escapes).
bool plain_name(const std::string& s) { return !s.empty() && s.find_first_of(".\\") == std::string::npos; }

// Conditions on one text column that are evaluated per distinct value natively instead of by the
// interpreter: var (truthiness), !, !!, and, or, in (list of literals / substring), ==, ===, !=,
// !== with a text literal, and primitive literals. For a text value (never missing: the missing
// slot always goes through the interpreter) these are exactly json-logic-engine's results: text
// truthiness is non-emptiness, both comparisons are between two texts, `in` on a list is
// SameValueZero (only text elements can equal a text), substring `in` is a byte search (the same
// as a UTF-16 search for valid UTF-8). Anything else returns false and uses the interpreter.
struct TextPred {
  enum class K { Lit, Var, Not, And, Or, InList, Contains, Eq } k = K::Lit;
  bool lit = false, negate = false;
  std::vector<TextPred> kids;
  std::vector<std::string> strs;
  std::string s;
};

bool text_pred(const json& e, const std::function<bool(const json&)>& is_col, TextPred& p, int depth = 0) {
  if (depth > 64) return false;
  if (e.is_primitive()) {
    p.k = TextPred::K::Lit;
    p.lit = jsonlogic::truthy(e);
    return true;
  }
  if (!e.is_object() || e.size() != 1) return false;
  if (is_col(e)) {
    p.k = TextPred::K::Var;
    return true;
  }
  const std::string& op = e.begin().key();
  const json& a = e.begin().value();
  if (op == "!" || op == "!!") {
    const json* arg = &a;
    if (a.is_array()) {
      if (a.size() != 1) return false;
      arg = &a[0];
    }
    if (op == "!!") return text_pred(*arg, is_col, p, depth + 1);
    p.k = TextPred::K::Not;
    p.kids.resize(1);
    return text_pred(*arg, is_col, p.kids[0], depth + 1);
  }
  if (!a.is_array()) return false;
  if ((op == "and" || op == "or") && !a.empty()) {
    p.k = op == "and" ? TextPred::K::And : TextPred::K::Or;
    p.kids.resize(a.size());
    for (size_t i = 0; i < a.size(); ++i)
      if (!text_pred(a[i], is_col, p.kids[i], depth + 1)) return false;
    return true;
  }
  if (op == "in" && a.size() == 2) {
    if (is_col(a[0]) && a[1].is_array()) {
      p.k = TextPred::K::InList;
      for (const auto& x : a[1]) {
        if (!x.is_primitive()) return false;  // nested logic in the list: leave to the interpreter
        if (x.is_string()) p.strs.push_back(x.get<std::string>());
      }
      return true;
    }
    if (a[0].is_string() && is_col(a[1])) {
      p.k = TextPred::K::Contains;
      p.s = a[0].get<std::string>();
      return true;
    }
    return false;
  }
  if ((op == "==" || op == "===" || op == "!=" || op == "!==") && a.size() == 2) {
    int v = is_col(a[0]) ? 0 : is_col(a[1]) ? 1 : -1;
    if (v < 0 || !a[1 - v].is_string()) return false;
    p.k = TextPred::K::Eq;
    p.s = a[1 - v].get<std::string>();
    p.negate = op == "!=" || op == "!==";
    return true;
  }
  return false;
}

bool text_eval(const TextPred& p, const std::string& v) {
  switch (p.k) {
    case TextPred::K::Lit:
      return p.lit;
    case TextPred::K::Var:
      return !v.empty();
    case TextPred::K::Not:
      return !text_eval(p.kids[0], v);
    case TextPred::K::And:
      for (const auto& k : p.kids)
        if (!text_eval(k, v)) return false;
      return true;
    case TextPred::K::Or:
      for (const auto& k : p.kids)
        if (text_eval(k, v)) return true;
      return false;
    case TextPred::K::InList:
      return std::find(p.strs.begin(), p.strs.end(), v) != p.strs.end();
    case TextPred::K::Contains:
      return !v.empty() && v.find(p.s) != std::string::npos;  // (haystack || []).includes(needle)
    case TextPred::K::Eq:
      return (v == p.s) != p.negate;
  }
  return false;
}

struct Compiler {
  const Rule& rule;
  const RuleSet& rs;
  const Table& table;
  Diagnostics& out;
  std::string path;
  bool failed = false;
  std::vector<int> used;

  void error(const std::string& code, const std::string& field, const std::string& msg) {
    out.push_back({Diagnostic::Severity::Error, code, msg, path + ".when", rule.id, field});
    failed = true;
  }

  // Resolve a field name the way the interpreter would see it: the exact column name.
  int resolve(const std::string& name) {
    if (int c = resolve_field(table, rs, name); c >= 0) {
      if (std::find(used.begin(), used.end(), c) == used.end()) used.push_back(c);
      return c;
    }
    std::vector<std::string> names;
    for (const auto& c : table.columns) names.push_back(c.name);
    std::string msg = "unknown field '" + name + "': the leads have no such column";
    int near = table.find(name);
    std::string hint = near >= 0 ? table.columns[near].name : did_you_mean(name, names);
    if (!hint.empty())
      msg += "; did you mean '" + hint + "'?";
    else {
      std::string list;
      for (size_t i = 0; i < names.size() && i < 12; ++i) list += (i ? ", " : "") + names[i];
      if (names.size() > 12) list += ", ...";
      msg += " (columns: " + list + ")";
    }
    if (name.find('.') != std::string::npos)
      msg += ". A dot in a field name reads a nested value; dots in headers become '_'";
    error("unknown_field", name, msg);
    return -1;
  }

  // The fields this (sub)expression reads, each with its column. `dynamic`: names computed at
  // run time (any column may be read).
  std::vector<std::pair<std::string, int>> fields_of(const json& expr, bool* dynamic) {
    bool dyn = false;
    std::vector<std::pair<std::string, int>> refs;
    for (const auto& n : jsonlogic::referenced_vars(expr, &dyn)) {
      int c = resolve(n);
      if (c >= 0) refs.emplace_back(n, c);
    }
    *dynamic = dyn;
    return refs;
  }

  // Comparisons that can never match because of the column's type are errors: the rule is
  // certainly wrong, and silently scoring nobody is the failure marketers complain about.
  void check_types(const json& expr) {
    if (!expr.is_object() || expr.size() != 1) {
      if (expr.is_array())
        for (const auto& e : expr) check_types(e);
      return;
    }
    const std::string& op = expr.begin().key();
    const json& args = expr.begin().value();
    static const char* cmp_ops[] = {"==", "===", "!=", "!==", "<", "<=", ">", ">="};
    bool is_cmp = std::any_of(std::begin(cmp_ops), std::end(cmp_ops), [&](const char* o) { return op == o; });
    if (is_cmp && args.is_array() && args.size() >= 2) {
      for (size_t i = 0; i < args.size(); ++i) {
        std::string name;
        if (!is_var(args[i], &name)) continue;
        int c = resolve_field(table, rs, name);
        if (c < 0) continue;
        for (size_t j = 0; j < args.size(); ++j)
          if (j != i && is_literal(args[j])) literal_mismatch(op, table.columns[c], args[j]);
      }
    } else if (op == "in" && args.is_array() && args.size() == 2 && args[1].is_array()) {
      std::string name;
      if (is_var(args[0], &name)) {
        int c = resolve_field(table, rs, name);
        if (c >= 0 && !args[1].empty()) {
          const Column& col = table.columns[c];
          bool any_number = false, any_bool = false, any_string = false;
          for (const auto& v : args[1])
            any_number |= v.is_number(), any_bool |= v.is_boolean(), any_string |= v.is_string();
          if (col.type == ColumnType::Number && !any_number)
            error("type_mismatch", name,
                  "field '" + name +
                      "' holds numbers, but the list has none, so 'in' can never match; write the numbers without "
                      "quotes");
          else if (col.type == ColumnType::Boolean && !any_bool)
            error("type_mismatch", name,
                  "field '" + name + "' holds true/false, but the list has neither, so 'in' can never match");
          else if ((col.type == ColumnType::String || col.type == ColumnType::Date) && !any_string)
            error("type_mismatch", name,
                  "field '" + name +
                      "' holds text, but the list has no text, so 'in' can never match; put the values in quotes");
        }
      }
    }
    if (args.is_array())
      for (const auto& a : args) check_types(a);
    else
      check_types(args);
  }

  void literal_mismatch(const std::string& op, const Column& col, const json& lit) {
    const std::string& name = col.name;
    bool strict = op == "===" || op == "!==";
    bool never = (op != "!=" && op != "!==");
    std::string what = never ? "can never match" : "always matches";
    if (col.type == ColumnType::Number && lit.is_string()) {
      std::string s = lit.get<std::string>();
      if (strict || !numeric_text(s))
        error("type_mismatch", name,
              "field '" + name + "' holds numbers, so comparing it with the text \"" + s + "\" " + what +
                  (numeric_text(s) ? "; write " + s + " without quotes" : ""));
    } else if (col.type == ColumnType::Boolean && lit.is_string()) {
      error("type_mismatch", name,
            "field '" + name + "' holds true/false, so comparing it with the text \"" + lit.get<std::string>() + "\" " +
                what + "; compare with true or false (no quotes)");
    } else if (col.type == ColumnType::Boolean && lit.is_number() && (op == "==" || op == "!=" || strict)) {
      double d = lit.get<double>();
      if (strict || (d != 0 && d != 1))
        error("type_mismatch", name,
              "field '" + name + "' holds true/false, so comparing it with " + lit.dump() + " " + what +
                  "; compare with true or false");
    } else if (col.type == ColumnType::Date && lit.is_number()) {
      error("type_mismatch", name,
            "field '" + name + "' holds dates, so comparing it with the number " + lit.dump() + " " + what +
                "; compare with a date in quotes, like \"2024-01-31\"");
    } else if (col.type == ColumnType::String && lit.is_boolean() && strict) {
      error("type_mismatch", name,
            "field '" + name + "' holds text, so comparing it with " + lit.dump() + " " + what +
                "; compare with text in quotes");
    }
  }

  NodePtr constant(const json& expr) {
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::Const;
    n->value = run_condition(expr, empty_object());
    return n;
  }

  // One column, strings or booleans: evaluate once per distinct value.
  NodePtr lookup(const json& expr, const std::vector<std::pair<std::string, int>>& refs) {
    const int c = refs.front().second;
    const Column& col = table.columns[c];
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::Lookup;
    n->col = c;
    json datum = json::object();
    auto with = [&](const json& v) {
      for (const auto& r : refs) datum[r.first] = v;
      return run_condition(expr, datum);
    };
    n->lut.push_back(run_condition(expr, datum));  // missing: always the interpreter
    if (col.type == ColumnType::String) {
      n->lut.reserve(col.dict.size() + 1);
      TextPred p;
      auto is_col = [&](const json& v) {
        std::string name;
        return is_var(v, &name) && plain_name(name) && resolve_field(table, rs, name) == c;
      };
      if (text_pred(expr, is_col, p)) {
        for (const auto& s : col.dict) n->lut.push_back(text_eval(p, s) ? kTrue : kFalse);
      } else {
        for (const auto& s : col.dict) n->lut.push_back(with(s));
      }
    } else {  // boolean
      n->lut.push_back(with(false));
      n->lut.push_back(with(true));
    }
    return n;
  }

  // {"<": [var, 5]}, {"<": [5, var]}, {"<=": [1, var, 9]}, {"==": [var, 3]}: numbers only.
  NodePtr compare(const json& expr, int c) {
    if (table.columns[c].type != ColumnType::Number || !expr.is_object() || expr.size() != 1) return nullptr;
    const std::string& op = expr.begin().key();
    const json& args = expr.begin().value();
    if (!args.is_array()) return nullptr;
    using Op = Node::Op;
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::Compare;
    n->col = c;
    std::string name;
    if (args.size() == 2) {
      bool var_left = is_var(args[0], &name) && args[1].is_number();
      bool var_right = !var_left && args[0].is_number() && is_var(args[1], &name);
      if (!var_left && !var_right) return nullptr;
      n->a = (var_left ? args[1] : args[0]).get<double>();
      if (op == "==" || op == "===")
        n->op = Op::EQ;
      else if (op == "!=" || op == "!==")
        n->op = Op::NE;
      else if (op == "<")
        n->op = var_left ? Op::LT : Op::GT;
      else if (op == "<=")
        n->op = var_left ? Op::LE : Op::GE;
      else if (op == ">")
        n->op = var_left ? Op::GT : Op::LT;
      else if (op == ">=")
        n->op = var_left ? Op::GE : Op::LE;
      else
        return nullptr;
    } else if (args.size() == 3 && (op == "<" || op == "<=") && args[0].is_number() && is_var(args[1], &name) &&
               args[2].is_number()) {
      n->a = args[0].get<double>();
      n->b = args[2].get<double>();
      n->op = op == "<" ? Op::OpenOpen : Op::ClosedClosed;
    } else {
      return nullptr;
    }
    if (resolve_field(table, rs, name) != c) return nullptr;
    n->if_missing = run_condition(expr, empty_object());
    return n;
  }

  // {"missing": ["x"]} and {"var": "x"} (truthiness) on a number or date column: no value is
  // missing / falsy; a number is truthy unless 0; a date (an ISO text) always is.
  NodePtr presence(const json& expr, int c) {
    if (!expr.is_object() || expr.size() != 1) return nullptr;
    const std::string& op = expr.begin().key();
    const json& a = expr.begin().value();
    std::string name;
    Node::Kind kind;
    if (op == "missing" && a.is_array() && a.size() == 1 && a[0].is_string()) {
      name = a[0].get<std::string>();
      kind = Node::Kind::Missing;
    } else if (is_var(expr, &name)) {
      kind = Node::Kind::Truthy;
    } else {
      return nullptr;
    }
    if (!plain_name(name) || resolve_field(table, rs, name) != c) return nullptr;
    auto n = std::make_shared<Node>();
    n->kind = kind;
    n->col = c;
    return n;
  }

  NodePtr memo(const json& expr, const std::vector<std::pair<std::string, int>>& refs) {
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::Memo;
    n->col = refs.front().second;
    n->refs = refs;
    n->expr = expr;
    n->if_missing = run_condition(expr, empty_object());
    return n;
  }

  NodePtr interpret(const json& expr, const std::vector<std::pair<std::string, int>>& refs, bool dynamic) {
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::Interpret;
    n->expr = expr;
    n->refs = refs;
    n->whole_row = dynamic;
    return n;
  }

  // "has a value, and <a comparison of that value>", the usual guard ({"and": [{"!": {"missing":
  // ["x"]}}, {">=": [{"var": "x"}, 3]}]}): the first operand is true exactly where column c has a
  // value and never an error (not missing(c); truthy(c) on a date column, where every date is
  // truthy), so the "and" is the second operand where c has a value and false elsewhere: that
  // comparison alone, with false as its result for missing values.
  NodePtr guarded(const Node& first, const Node& second) const {
    int c = -1;
    if (first.kind == Node::Kind::Not && first.kids[0]->kind == Node::Kind::Missing) c = first.kids[0]->col;
    if (first.kind == Node::Kind::Truthy && table.columns[first.col].type == ColumnType::Date) c = first.col;
    if (c < 0 || second.col != c || (second.kind != Node::Kind::Compare && second.kind != Node::Kind::Memo))
      return nullptr;
    auto n = std::make_shared<Node>(second);
    n->if_missing = kFalse;
    return n;
  }
  NodePtr logical(const json& expr, int depth) {
    if (!expr.is_object() || expr.size() != 1) return nullptr;
    const std::string& op = expr.begin().key();
    const json& args = expr.begin().value();
    if ((op == "and" || op == "or") && args.is_array() && !args.empty()) {
      auto n = std::make_shared<Node>();
      n->kind = op == "and" ? Node::Kind::And : Node::Kind::Or;
      for (const auto& a : args) n->kids.push_back(build(a, depth + 1));
      if (n->kind == Node::Kind::And && n->kids.size() == 2)
        if (NodePtr g = guarded(*n->kids[0], *n->kids[1])) return g;
      return n;
    }
    // {"!": x} negates x; {"!": [x]} negates x too (a one-element argument list).
    if (op == "!" || op == "!!") {
      const json* arg = &args;
      if (args.is_array()) {
        if (args.size() != 1) return nullptr;
        arg = &args[0];
      }
      if (!arg->is_object()) return nullptr;  // literals: leave to the constant folding
      NodePtr kid = build(*arg, depth + 1);
      if (op == "!!") return kid;
      auto n = std::make_shared<Node>();
      n->kind = Node::Kind::Not;
      n->kids.push_back(kid);
      return n;
    }
    return nullptr;
  }

  NodePtr build(const json& expr, int depth) {
    bool dynamic = false;
    auto refs = fields_of(expr, &dynamic);
    if (failed) return nullptr;
    if (dynamic) return interpret(expr, refs, true);
    if (refs.empty()) return constant(expr);
    bool one_column =
        std::all_of(refs.begin(), refs.end(), [&](const auto& r) { return r.second == refs.front().second; });
    if (one_column) {
      const int c = refs.front().second;
      ColumnType t = table.columns[c].type;
      if (t == ColumnType::String || t == ColumnType::Boolean) return lookup(expr, refs);
      if (auto n = presence(expr, c)) return n;
      if (auto n = compare(expr, c)) return n;
      if (auto n = logical(expr, depth)) return n;
      return memo(expr, refs);
    }
    if (auto n = logical(expr, depth)) return n;
    return interpret(expr, refs, false);
  }
};

std::string describe(const Node* n, const Table& t) {
  if (!n) return "always";
  auto col = [&](int c) { return t.columns[c].name; };
  switch (n->kind) {
    case Node::Kind::Const:
      return n->value == kTrue ? "always" : n->value == kFalse ? "never" : "always an error";
    case Node::Kind::Lookup:
      return "lookup(" + col(n->col) + ")";
    case Node::Kind::Compare:
      return "compare(" + col(n->col) + ")";
    case Node::Kind::Memo:
      return "memo(" + col(n->col) + ")";
    case Node::Kind::Missing:
      return "missing(" + col(n->col) + ")";
    case Node::Kind::Truthy:
      return "truthy(" + col(n->col) + ")";
    case Node::Kind::Not:
      return "not " + describe(n->kids[0].get(), t);
    case Node::Kind::And:
    case Node::Kind::Or: {
      std::string s = "(";
      for (size_t i = 0; i < n->kids.size(); ++i)
        s += (i ? (n->kind == Node::Kind::And ? " and " : " or ") : "") + describe(n->kids[i].get(), t);
      return s + ")";
    }
    case Node::Kind::Interpret: {
      std::string s = "interpreted(";
      if (n->whole_row) return s + "whole row)";
      std::vector<int> seen;
      for (const auto& r : n->refs)
        if (std::find(seen.begin(), seen.end(), r.second) == seen.end())
          s += (seen.empty() ? "" : ",") + col(r.second), seen.push_back(r.second);
      return s + ")";
    }
  }
  return "?";
}

}  // namespace

int resolve_field(const Table& table, const RuleSet& rs, const std::string& name) {
  if (int c = exact_column(table, name); c >= 0) return c;
  auto spec = std::find_if(rs.fields.begin(), rs.fields.end(), [&](const FieldSpec& f) { return f.name == name; });
  if (spec == rs.fields.end()) return -1;
  std::vector<std::string> keys = {normalize_header(spec->name)};
  for (const auto& a : spec->aliases) keys.push_back(normalize_header(a));
  for (size_t i = 0; i < table.columns.size(); ++i)
    for (const std::string& h : {normalize_header(table.columns[i].header), normalize_header(table.columns[i].name)})
      if (!h.empty() && std::find(keys.begin(), keys.end(), h) != keys.end()) return (int)i;
  return -1;
}

CompiledRule compile_rule(const Rule& rule, const RuleSet& rs, const Table& table, Diagnostics& out,
                          const std::string& path, bool check_types) {
  CompiledRule cr;
  Compiler c{rule, rs, table, out, path, false, {}};
  if (rule.per) {
    int col = resolve_field(table, rs, *rule.per);
    if (col < 0) {
      std::vector<std::string> names;
      for (const auto& x : table.columns) names.push_back(x.name);
      std::string hint = did_you_mean(*rule.per, names);
      out.push_back({Diagnostic::Severity::Error, "unknown_field",
                     "per-unit field '" + *rule.per + "' is not a column of the leads" +
                         (hint.empty() ? "" : "; did you mean '" + hint + "'?"),
                     path + ".per", rule.id, *rule.per});
      c.failed = true;
    } else if (table.columns[col].type != ColumnType::Number && table.columns[col].type != ColumnType::Boolean) {
      out.push_back({Diagnostic::Severity::Error, "type_mismatch",
                     "per-unit field '" + *rule.per + "' holds " + to_string(table.columns[col].type) +
                         " values; points per unit need a number column (declare it in 'fields' with \"type\": "
                         "\"number\" if it should be one)",
                     path + ".per", rule.id, *rule.per});
      c.failed = true;
    } else {
      cr.per_column = col;
      c.used.push_back(col);
    }
  }
  if (!rule.when.is_null()) {
    if (check_types) c.check_types(rule.when);
    NodePtr n = c.failed ? nullptr : c.build(rule.when, 0);
    if (!c.failed) cr.cond = n;
  }
  if (c.failed) return CompiledRule{};
  cr.columns = c.used;
  cr.plan = describe(cr.cond.get(), table);
  if (cr.per_column >= 0) cr.plan += " x " + table.columns[cr.per_column].name;
  return cr;
}
}  // namespace leadscore
