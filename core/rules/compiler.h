// The rule compiler: a rule's JsonLogic condition, resolved against one table's columns,
// becomes a small tree of column kernels that evaluates every lead at once.
//
//   - a sub-condition that reads one string or boolean column is evaluated once per distinct
//     value (dictionary entry, plus "missing") by the JsonLogic interpreter, then applied to
//     every lead by a table lookup on its dictionary code;
//   - comparisons of a number/date column with a constant become tight loops over doubles;
//   - other one-column conditions are evaluated per distinct value with a memo;
//   - and / or / ! / !! combine child masks;
//   - anything else (two columns in one comparison, computed field names) falls back to the
//     interpreter on a per-lead object holding only the columns the condition reads.
// Every path reuses the interpreter's semantics, so the result equals plain evaluation of the
// rule on each lead's row (tests/test_differential.cpp checks it against json-logic-engine).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "leadscore/diagnostics.h"
#include "leadscore/rules.h"
#include "leadscore/table.h"

namespace leadscore {

// resize() / Mask(n) leave new bytes uninitialised (value-initialisation is skipped): every
// kernel writes each lead's result, so zero-filling a byte per lead and rule first was wasted
// memory traffic (~1 MB per rule per million leads).
template <class T>
struct UninitAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UninitAllocator<U>;
  };
  UninitAllocator() = default;
  template <class U>
  UninitAllocator(const UninitAllocator<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... A>
  void construct(U* p, A&&... a) {
    ::new (static_cast<void*>(p)) U(std::forward<A>(a)...);
  }
};
using Mask = std::vector<uint8_t, UninitAllocator<uint8_t>>;

struct PredicateNode;  // compiled kernel tree (predicate_node.h)

struct CompiledRule {
  std::shared_ptr<const PredicateNode> cond;  // null = always true
  int per_column = -1;                        // column index for per-unit points, -1 if none
  std::vector<int> columns;                   // columns the rule reads
  std::string plan;                           // how it will run, for `leadscore check` ("lookup(title) and range(age)")
};

// The substring searches (`in` on a text, `ls:in`) that a batch of rules makes in each text
// column, planned together: the first rule that searches a column searches it for the needles of
// all the batch's rules at once (up to 8 per pass over the column's texts) and later rules read
// their answers, instead of a pass per rule (bench/SHAPES.md, "fused"). Inert in the size-first
// build. Lives while the batch compiles; holds references to `rs` and `table`.
class TextSearches {
 public:
  TextSearches(const std::vector<const Rule*>& rules, const RuleSet& rs, const Table& table);
  ~TextSearches();
  TextSearches(const TextSearches&) = delete;
  TextSearches& operator=(const TextSearches&) = delete;
  // out[e] = 1 for every entry of column `col`'s dictionary containing any of the needles (in
  // the folded text when `folded`), other bytes as they are. False, with `out` untouched, when
  // some needle was not planned for the column or the column has fewer than two.
  bool mark_any(int col, const std::string* needles, size_t count, bool folded, uint8_t* out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Compile one rule against a table. Appends errors (unknown field, a comparison that can never
// match because of types, non-numeric per-unit field) and warnings to `out`; returns
// nullopt-equivalent (cond null and per_column -1 with errors appended) on error.
// `check_types` = false skips the "can never match" checks (for differential testing only).
// `searches`: the batch's planned substring searches, if any.
CompiledRule compile_rule(const Rule& rule, const RuleSet& rs, const Table& table, Diagnostics& out,
                          const std::string& path, bool check_types = true, TextSearches* searches = nullptr);

// The column a rule's field name reads: the column of that name, else the column whose header
// matches the field's declaration in the rule set (its name or an alias, compared the
// normalize_header way), so aliases work even when the leads were loaded before the rules.
// -1 when there is none.
int resolve_field(const Table& table, const RuleSet& rs, const std::string& name);

// Evaluate a compiled rule on every lead.
Mask evaluate(const CompiledRule& rule, const Table& table);
// Evaluate several rules: masks[k] is evaluate(*rules[k], table). Conditions that are one lookup
// on the same text column (the usual "title is one of ..." rules) share one pass over its codes.
std::vector<Mask> evaluate_all(const std::vector<const CompiledRule*>& rules, const Table& table);

// Why `when` raised an error on this lead (re-runs the interpreter on that one row).
std::string error_message(const json& when, const Table& table, size_t row);

// The plain reference: interpret `when` on each lead's row object. Slow; for tests and tools.
Mask evaluate_interpreted(const json& when, const Table& table);

}  // namespace leadscore
