// Internal to the SQL compiler (core/analysis/sql*.cpp): the dialect's spelling of what differs
// between engines, and JsonLogic -> typed SQL expressions.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "leadscore/sql.h"

namespace leadscore::sql {

// What the dialects spell differently. Everything numeric is a double: integer division and
// NUMERIC/DECIMAL literals never happen.
struct Dialect {
  SqlDialect d;
  std::string ident(const std::string& name) const;  // quoted identifier
  std::string table(const std::string& name) const;  // each dot-separated part quoted
  std::string str(const std::string& s) const;       // string literal
  std::string num(double v) const;                   // double literal
  std::string dbl() const;                           // the double type
  std::string text() const;                          // the text type
  std::string to_double(const std::string& e) const { return "CAST(" + e + " AS " + dbl() + ")"; }
  std::string date(long day) const;                                  // DATE literal
  std::string days_between(const std::string& from, long to) const;  // to - from in days (integer)
  std::string epoch_day(const std::string& date) const;              // days since 1970-01-01
  std::string date_text(const std::string& e) const;                 // "YYYY-MM-DD" of a DATE
  std::string time_text(const std::string& e) const;                 // "YYYY-MM-DDTHH:MM:SS[.mmm]Z" of a UTC TIMESTAMP
  std::string contains(const std::string& hay, const std::string& needle) const;              // substring test
  std::string less(const std::string& a, const std::string& op, const std::string& b) const;  // text order
  std::string pow(const std::string& b, const std::string& e) const;
};

// Throws RuleSetError with one diagnostic.
[[noreturn]] void refuse(const std::string& code, const std::string& message, const std::string& path,
                         const std::string& rule_id, const std::string& field = "");

// A JsonLogic value in SQL, typed as the engine's typed columns make it: a number, boolean or
// string (dates are ISO text), or JS null where `sql` is NULL (only when `nullable`). Truthy:
// only its truthiness is known (the result of `missing`, or mixed-type `and`/`or`/`if`).
enum class JT { Num, Bool, Str, Null, Truthy };

struct Val {
  JT t = JT::Null;
  std::string sql = "NULL";
  bool nullable = false;
  std::string err;            // SQL condition (never NULL) under which evaluation throws; "" = never
  std::optional<json> konst;  // compile-time value
  std::string truthy_sql;     // JT::Truthy: the truthiness
};

struct Field {
  std::string sql;  // how to read it
  JT t;
  bool nullable;
};

// Compiles one condition (a rule's `when`, an events `where`).
class LogicCompiler {
 public:
  LogicCompiler(const Dialect& d, std::function<std::optional<Field>(const std::string&)> field, std::string rule_id,
                std::string path)
      : d_(d), field_(std::move(field)), rule_(std::move(rule_id)), path_(std::move(path)) {}
  // SQL boolean (never NULL): true where the condition is truthy and raises no error.
  std::string condition(const json& logic);

 private:
  Val compile(const json& l);
  Val op(const std::string& name, const json& args);
  Val var(const json& args);
  Val compare(const std::string& op, const std::vector<Val>& a);
  Val compare2(const std::string& op, const Val& a, const Val& b);
  Val compare_typed(const std::string& op, const Val& a, const Val& b);
  Val logic_and_or(bool is_and, const json& args);
  Val logic_if(const json& args);
  Val in(const Val& needle, const Val& hay);
  Val arith(const std::string& op, const json& args);
  Val missing(const std::string& op, const json& args);
  Val cat(const std::vector<Val>& a);
  Val coalesce(const std::vector<Val>& a);
  Val constant(const json& v);
  std::string truthy(const Val& v) const;
  std::string as_number(const Val& v);  // ToNumber of a Num/Bool/Null value (null -> 0)
  [[noreturn]] void no(const std::string& what) const;

  const Dialect& d_;
  std::function<std::optional<Field>(const std::string&)> field_;
  std::string rule_, path_;
};

// Helpers shared by the query builder.
std::string or_err(const std::string& a, const std::string& b);  // a OR b, "" = never
std::string clamp(const Dialect& d, const std::string& e, const Bounds& b);

}  // namespace leadscore::sql
