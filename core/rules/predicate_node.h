// The compiled form of a rule's condition (PredicateNode), shared by the planner that builds it
// (compiler.cpp) and the kernels that run it over a table (kernels.cpp). Internal to the core.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "leadscore/jsonlogic.h"
#include "rules/compiler.h"

namespace leadscore {

// Arithmetic over number / boolean columns and number literals ({"+": [{"var": "a"}, {"*":
// [{"var": "b"}, 2]}]}), computed a column at a time. A missing value reads as 0 (null in
// JsonLogic arithmetic); a NaN result is the interpreter's NaN error.
struct Arith {
  enum class Op { Lit, Col, Add, Sub, Mul, Neg } op = Op::Lit;
  double lit = 0;  // Lit
  int col = -1;    // Col
  std::vector<Arith> kids;
};

struct PredicateNode {
  enum class Kind { Const, Lookup, Compare, Memo, And, Or, Not, Interpret, Missing, Truthy, If } kind = Kind::Const;
  uint8_t value = kFalse;    // Const
  int col = -1;              // Lookup, Compare, Memo, Missing (number/date: NaN), Truthy (number/date)
  std::vector<uint8_t> lut;  // Lookup: [0] = missing, [code + 1] (string) or [1]=false,[2]=true (boolean)
  enum class Op { LT, LE, GT, GE, EQ, NE, OpenOpen, OpenClosed, ClosedOpen, ClosedClosed } op = Op::EQ;  // Compare
  double a = 0, b = 0;                            // Compare constants (b: upper bound for between)
  uint8_t if_missing = kFalse;                    // Compare, Memo: result when the column is missing
  json expr;                                      // Memo, Interpret
  std::vector<std::pair<std::string, int>> refs;  // Lookup, Memo, Interpret: field name as the rule writes it -> column
  bool whole_row = false;                         // Interpret: computed field names -> pass the whole row
  std::shared_ptr<const Arith> arith;             // Compare: the compared value when not column col
  std::vector<std::shared_ptr<const PredicateNode>> kids;  // And, Or, Not; If: condition, then, else
};

// The interpreter's verdict on one datum: kTrue, kFalse, or kError when evaluation throws. Every
// node kind falls back to this, so compiled and interpreted results agree.
inline uint8_t run_condition(const json& expr, const json& datum) {
  try {
    return jsonlogic::truthy(jsonlogic::apply(expr, datum)) ? kTrue : kFalse;
  } catch (const jsonlogic::EvalError&) {
    return kError;
  }
}

}  // namespace leadscore
