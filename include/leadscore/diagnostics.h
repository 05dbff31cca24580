// Diagnostics: what went wrong (or looks wrong), and where — rule id, field, JSON path,
// line and column — so that a person can fix it. Errors stop a rule set from being used;
// warnings are shown next to the scores.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace leadscore {

struct Diagnostic {
  enum class Severity { Error, Warning };
  Severity severity = Severity::Error;
  std::string code;             // stable machine-readable kind: "json", "schema", "unknown_key", "unknown_field", ...
  std::string message;          // a sentence for a person: what is wrong and what to do
  std::string path;             // JSON pointer-ish path into the rule set: "rules[3].when"
  std::string rule_id;          // when it concerns one rule
  std::string field;            // when it concerns one field/column
  size_t line = 0, column = 0;  // 1-based position in the rule set text, when known

  bool is_error() const { return severity == Severity::Error; }
  // "error: rules[3] (rule 'dm-title'): unknown field 'titel' ..." — one line for a terminal.
  std::string to_string() const;
};

using Diagnostics = std::vector<Diagnostic>;

// Thrown when a rule set cannot be used. Carries every diagnostic found (errors and warnings).
struct RuleSetError : std::runtime_error {
  Diagnostics diagnostics;
  explicit RuleSetError(Diagnostics d);
  const Diagnostic& first_error() const;
};

bool has_errors(const Diagnostics& d);

// Closest candidate by edit distance (case-insensitive), or "" if none is close enough.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

// As JSON: {severity, code, message, path?, ruleId?, field?, line?, column?}.
nlohmann::json to_json(const Diagnostic& d);
nlohmann::json to_json(const Diagnostics& ds);

}  // namespace leadscore
