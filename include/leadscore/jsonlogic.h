// JsonLogic, exactly as json-logic-engine 5.0.7 evaluates it (the maintained JavaScript
// implementation, following the community's newer specification). Row-at-a-time
// interpreter over nlohmann::json: the reference that the compiled columnar path in
// core/rules/kernels.cpp must equal, and what `leadscore apply` and `ls.apply()` run.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace leadscore::jsonlogic {

using json = nlohmann::json;

// An evaluation error: json-logic-engine throws where json-logic-js would return NaN or
// garbage (arithmetic on non-numbers, division by zero, invalid arguments, {"throw": ...}).
// `type` mirrors the thrown value's type ("NaN", "Invalid Arguments", or the user's value).
struct EvalError : std::runtime_error {
  json type;
  explicit EvalError(json type_, const std::string& msg) : std::runtime_error(msg), type(std::move(type_)) {}
};

// A structural problem in the logic itself, found before evaluation: unknown operator,
// wrong arity. `path` is a JSON pointer into the logic ("/and/1/in/0").
struct LogicError : std::runtime_error {
  std::string op, path;
  LogicError(const std::string& msg, std::string op_, std::string path_)
      : std::runtime_error(msg), op(std::move(op_)), path(std::move(path_)) {}
};

// Evaluate `logic` on `data`. Throws EvalError (runtime) or LogicError (unknown operator).
json apply(const json& logic, const json& data);

// JsonLogic truthiness as json-logic-engine defines it: JS truthiness, except that an empty
// array and an empty object are falsy too.
bool truthy(const json& v);

// Checks every operator is known and arities are acceptable; throws LogicError.
void validate(const json& logic);

// Is `name` an operator this implementation knows?
bool is_operator(const std::string& name);

// All field paths read by `var`/`val` with constant arguments, in first-seen order.
// Sets `dynamic` when some variable name is computed at run time (then any field may be read).
// Details: keys named by missing / missing_some / exists are reported too; paths use var's
// dotted syntax, with "\" escaping a dot that belongs to a val segment ({"val":"a.b"} ->
// "a\.b"); vars inside iterator mappers (map/filter/all/some/none/reduce) and try fallbacks
// read the item / accumulator / error, not the datum, and are not reported unless they
// climb back out ("../../x" in a top-level map -> "x"). `dynamic` is also set when the whole
// datum is read ({"var":""}, {"var":0}, {"val":[]}). Throws LogicError for logic nested
// deeper than apply() accepts.
std::vector<std::string> referenced_vars(const json& logic, bool* dynamic = nullptr);

// ---- additions ----

// A rule compiled once and evaluated per datum: json-logic-engine's optimizer pass
// (constant folding, idiom rewrites, argument shapes) is done in the constructor, so
// run() only evaluates. apply(logic, d) == Program(logic).run(d). The constructor throws
// LogicError (as apply would); an error the engine raises while folding constants is kept
// and thrown by every run(), as the engine does. run()/test() are const and thread-safe.
class Program {
 public:
  explicit Program(const json& logic);  // copies `logic`
  ~Program();
  Program(Program&&) noexcept;
  Program& operator=(Program&&) noexcept;
  json run(const json& data) const;   // throws EvalError
  bool test(const json& data) const;  // truthy(run(data)) without copying the result
  // json-logic-engine folds deterministic operands when it builds a rule, and an eager operator
  // (3-argument if, comparisons, arithmetic) holding one that throws throws on every datum, even
  // when the branch holding it is never taken: true for such logic.
  bool always_throws() const;
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// JS Number#toString(10) (shortest round-trip digits): 1.5 -> "1.5", 1e21 -> "1e+21",
// 0.1+0.2 -> "0.30000000000000004", -0 -> "0".
std::string number_to_string(double v);

// JS String(v) for a JSON value: numbers as above, arrays joined with "," (null -> ""),
// objects "[object Object]", null "null".
std::string to_js_string(const json& v);

}  // namespace leadscore::jsonlogic
