// JsonLogic, exactly as json-logic-engine 5.0.7 evaluates it (the maintained JavaScript
// implementation, following the community's newer specification). Row-at-a-time
// interpreter over nlohmann::json: the reference that the compiled columnar path in
// compiler.cpp must equal, and what `leadscore apply` and `ls.apply()` run.
#pragma once

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

// JsonLogic truthiness: JS truthiness, except an empty array is falsy.
bool truthy(const json& v);

// Checks every operator is known and arities are acceptable; throws LogicError.
void validate(const json& logic);

// Is `name` an operator this implementation knows?
bool is_operator(const std::string& name);

// All field paths read by `var`/`val` with constant arguments, in first-seen order.
// Sets `dynamic` when some variable name is computed at run time (then any field may be read).
std::vector<std::string> referenced_vars(const json& logic, bool* dynamic = nullptr);

}  // namespace leadscore::jsonlogic
