// JsonLogic -> SQL with json-logic-engine 5.0.7's coercions on the engine's typed columns
// (docs/sql.md). Each value carries its JS type (a column's type, or null where the cell is
// missing) and the condition under which its evaluation throws, so that `!` of a condition that
// raised an error stays an error (the rule does not fire), as in the engine. A comparison is
// resolved per combination of missing / present operands, with the coercion that combination
// gets in the engine (program.h, idiom_compare). What needs a conversion SQL cannot do the JS
// way (text to number, number to text) is refused.
#include <cmath>

#include "analysis/sql_internal.h"
#include "leadscore/jsonlogic.h"

namespace leadscore::sql {

namespace {

std::string sql_op(const std::string& op) {
  if (op == "==" || op == "===") return "=";
  if (op == "!=" || op == "!==") return "<>";
  return op;
}

bool num_holds(const std::string& op, double x, double y) {
  if (op == "<") return x < y;
  if (op == "<=") return x <= y;
  if (op == ">") return x > y;
  if (op == ">=") return x >= y;
  if (op == "==" || op == "===") return x == y;
  return x != y;
}

Val bool_val(const std::string& sql, const std::string& err = "") {
  Val v;
  v.t = JT::Bool;
  v.sql = sql;
  v.err = err;
  return v;
}

Val null_variant() {
  Val v;
  v.t = JT::Null;
  v.sql = "NULL";
  v.konst = json(nullptr);
  return v;
}

bool is_str_or_null(const Val& v) { return v.t == JT::Str || v.t == JT::Null; }

// ToNumber of a constant as the comparison idiom takes it (+precoerceNumber); NaN when it throws.
double precoerce_const(const json& k) {
  try {
    return jsonlogic::apply(json{{"+", json::array({k})}}, json::object()).get<double>();
  } catch (...) {
    return NAN;
  }
}

}  // namespace

void LogicCompiler::no(const std::string& what) const {
  refuse("sql", "rule '" + rule_ + "': " + what + " has no faithful SQL translation (docs/sql.md)", path_, rule_);
}

std::string LogicCompiler::condition(const json& logic) {
  if (logic.is_null()) return "TRUE";
  Val v = compile(logic);
  std::string t = truthy(v);
  if (v.err.empty()) return t;
  return "(CASE WHEN COALESCE(" + v.err + ", TRUE) THEN FALSE ELSE " + t + " END)";
}

std::string LogicCompiler::truthy(const Val& v) const {
  if (v.konst) return jsonlogic::truthy(*v.konst) ? "TRUE" : "FALSE";
  switch (v.t) {
    case JT::Num:
      return "COALESCE(" + v.sql + " <> 0, FALSE)";
    case JT::Bool:
      return v.nullable || v.sql != "TRUE" ? "COALESCE(" + v.sql + ", FALSE)" : "TRUE";
    case JT::Str:
      return "COALESCE(" + v.sql + " <> '', FALSE)";
    case JT::Null:
      return "FALSE";
    case JT::Truthy:
      return v.truthy_sql;
  }
  return "FALSE";
}

Val LogicCompiler::constant(const json& k) {
  Val v;
  v.konst = k;
  if (k.is_number()) {
    v.t = JT::Num;
    v.sql = d_.num(k.get<double>());
  } else if (k.is_boolean()) {
    v.t = JT::Bool;
    v.sql = k.get<bool>() ? "TRUE" : "FALSE";
  } else if (k.is_string()) {
    v.t = JT::Str;
    v.sql = d_.str(k.get<std::string>());
  } else if (k.is_null()) {
    v.t = JT::Null;
  } else {
    v.t = JT::Truthy;  // an array or object: only `in` reads it, as its haystack
    v.sql = "";
    v.truthy_sql = jsonlogic::truthy(k) ? "TRUE" : "FALSE";
  }
  return v;
}

Val LogicCompiler::compile(const json& l) {
  if (!l.is_object()) {
    if (l.is_array()) {
      // Arrays are evaluated element by element by the engine; a constant one is a value.
      bool dynamic = false;
      if (jsonlogic::referenced_vars(l, &dynamic).empty() && !dynamic) return constant(jsonlogic::apply(l, {}));
      no("an array of computed values");
    }
    return constant(l);
  }
  if (l.size() != 1) no("an object with " + std::to_string(l.size()) + " keys");
  bool dynamic = false;
  if (jsonlogic::referenced_vars(l, &dynamic).empty() && !dynamic) {
    try {
      return constant(jsonlogic::apply(l, json::object()));
    } catch (const jsonlogic::EvalError& e) {
      no("'" + l.dump() + "' (it always raises an error: " + e.what() + ")");
    }
  }
  return op(l.begin().key(), l.begin().value());
}

Val LogicCompiler::op(const std::string& name, const json& args) {
  if (name == "var") return var(args);
  if (name == "val" || name == "exists") {
    // One field by name ({"val": "x"}, {"val": ["x"]}): its value, or whether the lead has one.
    const json* key = args.is_string() ? &args : args.is_array() && args.size() == 1 ? &args[0] : nullptr;
    if (!key || !key->is_string() || key->get<std::string>().empty()) no("'" + name + "' of a path or a scope");
    Val v = var(*key);
    if (name == "val") return v;
    return bool_val(v.nullable ? "((" + v.sql + ") IS NOT NULL)" : "TRUE");
  }
  if (name == "==" || name == "!=" || name == "===" || name == "!==" || name == "<" || name == "<=" || name == ">" ||
      name == ">=") {
    if (!args.is_array() || args.size() < 2 || args.size() > 3) no("'" + name + "' without 2 or 3 arguments");
    std::vector<Val> a;
    for (const auto& x : args) a.push_back(compile(x));
    return compare(name, a);
  }
  if (name == "and" || name == "or") return logic_and_or(name == "and", args);
  if (name == "if" || name == "?:") return logic_if(args);
  if (name == "!" || name == "!!" || name == "not") {
    const json& x = args.is_array() ? (args.empty() ? json() : args[0]) : args;
    Val v = compile(x);
    std::string t = truthy(v);
    return bool_val(name == "!!" ? t : "(NOT " + t + ")", v.err);
  }
  if (name == "in") {
    if (!args.is_array() || args.size() != 2) no("'in' without 2 arguments");
    return in(compile(args[0]), compile(args[1]));
  }
  if (name == "+" || name == "-" || name == "*" || name == "/" || name == "max" || name == "min")
    return arith(name, args);
  if (name == "missing" || name == "missing_some") return missing(name, args);
  if (name == "??" || name == "cat") {
    if (!args.is_array()) no("'" + name + "' without a list of arguments");
    std::vector<Val> a;
    for (const auto& x : args) a.push_back(compile(x));
    return name == "cat" ? cat(a) : coalesce(a);
  }
  if (jsonlogic::is_operator(name)) no("the operator '" + name + "'");
  no("the unknown operator '" + name + "'");
}

// `cat` of texts; a missing one raises an error as in the engine (json-logic-engine calls
// toString() on it); numbers would need JavaScript's formatting.
Val LogicCompiler::cat(const std::vector<Val>& a) {
  Val out;
  out.t = JT::Str;
  out.sql.clear();
  for (const auto& v : a) {
    if (v.t == JT::Truthy || ((v.t == JT::Num || v.t == JT::Bool) && !v.konst))
      no("'cat' of a number or boolean field (JavaScript's number formatting)");
    if (v.konst && v.konst->is_null()) no("'cat' of null (it always raises an error)");
    std::string piece = v.konst ? d_.str(jsonlogic::to_js_string(*v.konst)) : "COALESCE(" + v.sql + ", '')";
    out.sql += (out.sql.empty() ? "" : " || ") + piece;
    out.err = or_err(out.err, v.err);
    if (!v.konst && (v.nullable || v.t == JT::Null)) out.err = or_err(out.err, "(" + v.sql + ") IS NULL");
  }
  out.sql = out.sql.empty() ? "''" : "(" + out.sql + ")";
  return out;
}

// `??`: the first value that is not null, of one type; later operands only run (and raise
// errors) while every earlier one was null.
Val LogicCompiler::coalesce(const std::vector<Val>& a) {
  Val out;
  out.t = JT::Null;
  out.nullable = true;
  std::string items, err, none_before;
  for (const auto& v : a) {
    if (v.t == JT::Truthy) no("'?\?' of a list");
    if (v.t != JT::Null && out.t != JT::Null && v.t != out.t) no("'?\?' of values of different types");
    if (v.t != JT::Null) out.t = v.t;
    if (!v.err.empty()) err = or_err(err, none_before.empty() ? v.err : "(" + none_before + " AND " + v.err + ")");
    items += (items.empty() ? "" : ", ") + v.sql;
    none_before += (none_before.empty() ? "" : " AND ") + ("(" + v.sql + ") IS NULL");
    out.nullable = v.nullable || v.t == JT::Null;
    if (!out.nullable) break;  // the engine stops at the first value that is not null
  }
  out.sql = "COALESCE(" + items + ", NULL)";
  out.err = err;
  return out;
}

Val LogicCompiler::var(const json& args) {
  const json* key = &args;
  const json* def = nullptr;
  if (args.is_array()) {
    if (args.empty() || args.size() > 2) no("'var' with " + std::to_string(args.size()) + " arguments");
    key = &args[0];
    if (args.size() == 2) def = &args[1];
  }
  if (!key->is_string() || key->get<std::string>().empty()) no("'var' of the whole lead or a computed name");
  const std::string name = key->get<std::string>();
  std::optional<Field> f = field_(name);
  if (!f) {
    if (name.find('.') != std::string::npos) no("the nested path '" + name + "'");
    refuse("unknown_field", "rule '" + rule_ + "' reads '" + name + "', which is not a column of the table", path_,
           rule_, name);
  }
  Val v;
  v.t = f->t;
  v.sql = f->sql;
  v.nullable = f->nullable;
  if (def && !def->is_null() && v.nullable) {
    Val dv = constant(*def);
    if (dv.t != v.t) no("'var' with a default of another type than the field '" + name + "'");
    v.sql = "COALESCE(" + v.sql + ", " + dv.sql + ")";
    v.nullable = false;
  }
  return v;
}

// Comparisons: json-logic-engine's comparison idiom for 2 and 3 arguments; a 3-argument one
// (between) only evaluates its second test when the first holds.
Val LogicCompiler::compare(const std::string& op, const std::vector<Val>& a) {
  Val first = compare2(op, a[0], a[1]);
  if (a.size() == 2) return first;
  Val second = compare2(op, a[1], a[2]);
  std::string err = first.err;
  if (!second.err.empty()) err = or_err(err, "(" + truthy(first) + " AND " + second.err + ")");
  return bool_val("(" + truthy(first) + " AND " + truthy(second) + ")", err);
}

Val LogicCompiler::compare2(const std::string& op, const Val& a, const Val& b) {
  if (a.t == JT::Truthy || b.t == JT::Truthy) no("'" + op + "' on a list or on a value of mixed type");
  auto variants = [](const Val& v) {
    std::vector<std::pair<std::string, Val>> out;  // (SQL condition selecting it, value)
    if (v.t == JT::Null) {
      out.push_back({"", null_variant()});
      return out;
    }
    if (v.nullable) out.push_back({"(" + v.sql + ") IS NULL", null_variant()});
    Val present = v;
    present.nullable = false;
    present.err.clear();
    out.push_back({"", present});
    return out;
  };
  auto va = variants(a), vb = variants(b);
  std::string val = "CASE", err = "CASE";
  bool any_err = false;
  for (const auto& [ca, xa] : va)
    for (const auto& [cb, xb] : vb) {
      Val r = compare_typed(op, xa, xb);
      std::string when = ca.empty() ? cb : cb.empty() ? ca : "(" + ca + " AND " + cb + ")";
      const std::string lead = when.empty() ? " ELSE " : " WHEN " + when + " THEN ";  // the last case
      val += lead + r.sql;
      err += lead + (r.err.empty() ? "FALSE" : r.err);
      any_err = any_err || !r.err.empty();
    }
  val += " END";
  err += " END";
  if (va.size() == 1 && vb.size() == 1) {
    Val r = compare_typed(op, va[0].second, vb[0].second);
    val = r.sql;
    err = r.err;
    any_err = !err.empty();
  }
  return bool_val(val, or_err(or_err(a.err, b.err), any_err ? err : ""));
}

// Both operands of a definite type (JT::Null for a missing value).
Val LogicCompiler::compare_typed(const std::string& op, const Val& a, const Val& b) {
  if (a.konst && b.konst) {
    try {
      return bool_val(jsonlogic::truthy(jsonlogic::apply(json{{op, json::array({*a.konst, *b.konst})}}, {})) ? "TRUE"
                                                                                                             : "FALSE");
    } catch (const jsonlogic::EvalError&) {
      return bool_val("FALSE", "TRUE");
    }
  }
  const bool strict = op == "===" || op == "!==";
  const bool eq = op == "==" || op == "!=" || strict;
  const bool neg = op == "!=" || op == "!==";
  if (strict || (eq && is_str_or_null(a) && is_str_or_null(b))) {
    std::string same;
    if (a.t != b.t)
      same = "FALSE";
    else if (a.t == JT::Null)
      same = "TRUE";
    else
      same = "(" + a.sql + " = " + b.sql + ")";
    if (a.t != b.t && !strict) same = "FALSE";  // null == text
    return bool_val(neg ? "(NOT " + same + ")" : same);
  }
  if (is_str_or_null(a) && is_str_or_null(b)) {
    if (a.t == JT::Str && b.t == JT::Str) return bool_val(d_.less(a.sql, op, b.sql));
    // A missing value against a text: both as numbers (null is 0), the text must be a constant.
    const Val& s = a.t == JT::Str ? a : b;
    if (s.t == JT::Str && !s.konst) no("'" + op + "' between a missing value and a text field (text as a number)");
    double x = a.t == JT::Null ? 0 : jsonlogic::apply(json{{"+", json::array({*a.konst})}}, {}).get<double>();
    double y = b.t == JT::Null ? 0 : jsonlogic::apply(json{{"+", json::array({*b.konst})}}, {}).get<double>();
    return bool_val(num_holds(op, x, y) ? "TRUE" : "FALSE");
  }
  // Numbers: +precoerceNumber of each side; NaN on the left throws, on the right too unless the
  // left is null.
  auto side = [&](const Val& v, double* k) -> std::string {
    if (v.konst) {
      *k = v.konst->is_null() ? 0 : precoerce_const(*v.konst);
      return std::isnan(*k) ? "" : d_.num(*k);
    }
    if (v.t == JT::Str) no("'" + op + "' between a text field and a number (text as a number)");
    *k = 0;
    return as_number(v);
  };
  double kx = 0, ky = 0;
  std::string x = side(a, &kx), y = side(b, &ky);
  if (x.empty()) return bool_val("FALSE", "TRUE");
  if (y.empty()) {
    if (a.t == JT::Null) return bool_val(num_holds(op, 0, NAN) ? "TRUE" : "FALSE");
    return bool_val("FALSE", "TRUE");
  }
  return bool_val("(" + x + " " + sql_op(op) + " " + y + ")");
}

std::string LogicCompiler::as_number(const Val& v) {
  if (v.konst) {
    double k = v.konst->is_null() ? 0 : precoerce_const(*v.konst);
    if (std::isnan(k)) no("arithmetic on '" + v.konst->dump() + "' (it raises an error)");
    return d_.num(k);
  }
  switch (v.t) {
    case JT::Num:
      return v.nullable ? "COALESCE(" + v.sql + ", " + d_.num(0) + ")" : v.sql;
    case JT::Bool:
      return "(CASE WHEN " + v.sql + " THEN " + d_.num(1) + " ELSE " + d_.num(0) + " END)";
    case JT::Null:
      return d_.num(0);
    default:
      no("a text field or a list used as a number (JavaScript's text-to-number conversion)");
  }
}

Val LogicCompiler::logic_and_or(bool is_and, const json& args) {
  if (!args.is_array() || args.empty()) no(std::string("'") + (is_and ? "and" : "or") + "' without a list");
  std::vector<Val> v;
  for (const auto& x : args) v.push_back(compile(x));
  std::string err, before = "TRUE";  // `before`: every earlier operand let evaluation go on
  JT t = v[0].t;
  bool same = true, nullable = false;
  for (const auto& x : v) {
    if (!x.err.empty()) err = or_err(err, before == "TRUE" ? x.err : "(" + before + " AND " + x.err + ")");
    std::string go = is_and ? truthy(x) : "(NOT " + truthy(x) + ")";
    before = before == "TRUE" ? go : "(" + before + " AND " + go + ")";
    same = same && x.t == t && t != JT::Truthy;
    nullable = nullable || x.nullable;
  }
  Val out;
  out.err = err;
  if (same && t != JT::Null) {
    out.t = t;
    out.nullable = nullable;
    out.sql = "CASE";
    for (size_t i = 0; i + 1 < v.size(); ++i)
      out.sql += " WHEN " + (is_and ? "NOT " + truthy(v[i]) : truthy(v[i])) + " THEN " + v[i].sql;
    out.sql += " ELSE " + v.back().sql + " END";
    if (v.size() == 1) out.sql = v[0].sql;
    return out;
  }
  out.t = JT::Truthy;
  std::string all;
  for (const auto& x : v) all += (all.empty() ? "" : is_and ? " AND " : " OR ") + truthy(x);
  out.truthy_sql = "(" + all + ")";
  return out;
}

Val LogicCompiler::logic_if(const json& args) {
  if (!args.is_array() || args.size() < 2) no("'if' with fewer than 2 arguments");
  std::vector<Val> v;
  for (const auto& x : args) v.push_back(compile(x));
  const bool has_else = v.size() % 2 == 1;
  // Branch values and their type (a missing else is null).
  std::vector<const Val*> branches;
  for (size_t i = 1; i < v.size(); i += 2) branches.push_back(&v[i]);
  if (has_else) branches.push_back(&v.back());
  JT t = JT::Null;
  bool same = true, nullable = !has_else;
  for (const Val* b : branches) {
    if (b->t == JT::Truthy || (b->t != JT::Null && t != JT::Null && b->t != t)) same = false;
    if (b->t != JT::Null) t = b->t;
    nullable = nullable || b->nullable || b->t == JT::Null;
  }
  std::string val = "CASE", tru = "CASE", err, before = "TRUE";
  for (size_t i = 0; i + 1 < v.size(); i += 2) {
    const std::string c = truthy(v[i]);
    auto guard = [&](const std::string& e) { return before == "TRUE" ? e : "(" + before + " AND " + e + ")"; };
    if (!v[i].err.empty()) err = or_err(err, guard(v[i].err));
    if (!v[i + 1].err.empty()) err = or_err(err, guard("(" + c + " AND " + v[i + 1].err + ")"));
    val += " WHEN " + c + " THEN " + v[i + 1].sql;
    tru += " WHEN " + c + " THEN " + truthy(v[i + 1]);
    before = guard("(NOT " + c + ")");
  }
  if (has_else) {
    if (!v.back().err.empty())
      err = or_err(err, before == "TRUE" ? v.back().err : "(" + before + " AND " + v.back().err + ")");
    val += " ELSE " + v.back().sql;
    tru += " ELSE " + truthy(v.back());
  } else {
    tru += " ELSE FALSE";
  }
  val += " END";
  tru += " END";
  Val out;
  out.err = err;
  if (same && t != JT::Null) {
    out.t = t;
    out.sql = val;
    out.nullable = nullable;
  } else {
    out.t = JT::Truthy;
    out.truthy_sql = tru;
  }
  return out;
}

Val LogicCompiler::in(const Val& needle, const Val& hay) {
  const std::string err = or_err(needle.err, hay.err);
  if (hay.konst) {
    const json& h = *hay.konst;
    if (!jsonlogic::truthy(h) && !h.is_array()) return bool_val("FALSE", err);
    if (h.is_array()) {
      if (needle.t == JT::Truthy) no("'in' with a list or a mixed-type value as the needle");
      std::string list;
      bool has_null = false;
      for (const auto& e : h) {
        if (e.is_null()) has_null = true;
        Val ev = constant(e);
        if (ev.t == needle.t && needle.t != JT::Null) list += (list.empty() ? "" : ", ") + ev.sql;
      }
      std::string r = list.empty() ? "FALSE" : "COALESCE(" + needle.sql + " IN (" + list + "), FALSE)";
      if (has_null && (needle.nullable || needle.t == JT::Null))
        r = needle.t == JT::Null ? "TRUE" : "(" + r + " OR (" + needle.sql + ") IS NULL)";
      return bool_val(r, err);
    }
    if (!h.is_string()) no("'in' with a number or boolean as the haystack (it raises an error)");
    // Substring of a constant text: the needle as text (a missing one is "null").
    if (needle.t != JT::Str) no("'in' with a number or boolean field as the needle (JavaScript's number formatting)");
    const std::string if_null = h.get<std::string>().find("null") != std::string::npos ? "TRUE" : "FALSE";
    std::string r = d_.contains(hay.sql, needle.sql);
    if (needle.nullable) r = "(CASE WHEN (" + needle.sql + ") IS NULL THEN " + if_null + " ELSE " + r + " END)";
    return bool_val("COALESCE(" + r + ", FALSE)", err);
  }
  if (hay.t == JT::Null) return bool_val("FALSE", err);
  if (hay.t != JT::Str) no("'in' with a number, boolean or list field as the haystack");
  std::string needle_text;
  if (needle.konst) {
    needle_text = jsonlogic::to_js_string(*needle.konst);
    if (needle_text.empty()) return bool_val(truthy(hay), err);
    needle_text = d_.str(needle_text);
  } else if (needle.t == JT::Str) {
    needle_text = needle.nullable ? "COALESCE(" + needle.sql + ", 'null')" : needle.sql;
  } else {
    no("'in' with a number or boolean field as the needle (JavaScript's number formatting)");
  }
  return bool_val("(" + truthy(hay) + " AND COALESCE(" + d_.contains(hay.sql, needle_text) + ", FALSE))", err);
}

Val LogicCompiler::arith(const std::string& name, const json& args) {
  std::vector<Val> v;
  const bool unary = !args.is_array();
  if (unary)
    v.push_back(compile(args));
  else
    for (const auto& x : args) v.push_back(compile(x));
  Val out;
  out.t = JT::Num;
  for (const auto& x : v) out.err = or_err(out.err, x.err);
  if (name == "max" || name == "min") {
    if (v.empty()) no("'" + name + "' without arguments (it raises an error)");
    std::string items;
    for (const auto& x : v) {
      if (x.t != JT::Num) no("'" + name + "' of a value that is not a number (it raises an error)");
      if (x.nullable) out.err = or_err(out.err, "(" + x.sql + ") IS NULL");
      items += (items.empty() ? "" : ", ") + x.sql;
    }
    // When an argument is NULL the engine throws (out.err), so NULL from GREATEST is never read.
    out.sql = v.size() == 1 ? v[0].sql : (name == "max" ? "GREATEST(" : "LEAST(") + items + ")";
    return out;
  }
  if (v.empty()) {
    if (name == "*") return constant(json(1));
    no("'" + name + "' without arguments");
  }
  std::vector<std::string> n;
  for (const auto& x : v) n.push_back(as_number(x));
  if (name == "-" && v.size() == 1) {
    out.sql = "(-" + n[0] + ")";
    return out;
  }
  if (name == "/") {
    if (v.size() == 1) n.insert(n.begin(), d_.num(1));
    std::string acc = n[0];
    for (size_t i = 1; i < n.size(); ++i) {
      out.err = or_err(out.err, "(" + n[i] + " = 0)");  // the engine throws on a falsy divisor
      acc = "(" + acc + " / NULLIF(" + n[i] + ", 0))";
    }
    out.sql = acc;
    return out;
  }
  std::string acc = n[0];
  for (size_t i = 1; i < n.size(); ++i) acc = "(" + acc + " " + name + " " + n[i] + ")";
  out.sql = acc;
  return out;
}

Val LogicCompiler::missing(const std::string& name, const json& args) {
  json names = args;
  double need = 0;
  if (name == "missing_some") {
    if (!args.is_array() || args.size() != 2 || !args[0].is_number() || !args[1].is_array())
      no("'missing_some' not of the form [number, [fields]]");
    need = args[0].get<double>();
    names = args[1];
  }
  if (!names.is_array()) names = json::array({names});
  std::string any, present;
  for (const auto& k : names) {
    if (!k.is_string()) no("'" + name + "' of a computed field name");
    std::optional<Field> f = field_(k.get<std::string>());
    if (!f)
      refuse("unknown_field", "rule '" + rule_ + "' reads '" + k.get<std::string>() + "', which is not a column", path_,
             rule_, k.get<std::string>());
    std::string is_null = f->nullable ? "(" + f->sql + ") IS NULL" : "FALSE";
    any += (any.empty() ? "" : " OR ") + is_null;
    present += (present.empty() ? "" : " + ") + ("(CASE WHEN " + is_null + " THEN 0 ELSE 1 END)");
  }
  Val out;
  out.t = JT::Truthy;
  if (names.empty()) {
    out.truthy_sql = "FALSE";
    return out;
  }
  out.truthy_sql = "(" + any + ")";
  // missing_some: [] when enough are present, else the missing ones (falsy when none is).
  if (name == "missing_some") out.truthy_sql = "((" + any + ") AND (" + present + ") < " + d_.num(need) + ")";
  return out;
}

}  // namespace leadscore::sql
