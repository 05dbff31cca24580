#include "leadscore/diagnostics.h"

#include <algorithm>
#include <cctype>

namespace leadscore {

std::string Diagnostic::to_string() const {
  std::string s = severity == Severity::Error ? "error" : "warning";
  if (line) s += " at line " + std::to_string(line) + ", column " + std::to_string(column);
  std::string where;
  if (!path.empty()) where = path;
  if (!rule_id.empty()) where += (where.empty() ? "" : " ") + std::string("(rule '") + rule_id + "')";
  if (!where.empty()) s += " in " + where;
  return s + ": " + message;
}

static std::string first_error_message(const Diagnostics& d) {
  for (const auto& x : d)
    if (x.is_error()) return x.to_string();
  return d.empty() ? "invalid rule set" : d.front().to_string();
}

RuleSetError::RuleSetError(Diagnostics d) : std::runtime_error(first_error_message(d)), diagnostics(std::move(d)) {}

const Diagnostic& RuleSetError::first_error() const {
  for (const auto& x : diagnostics)
    if (x.is_error()) return x;
  return diagnostics.front();
}

bool has_errors(const Diagnostics& d) {
  return std::any_of(d.begin(), d.end(), [](const Diagnostic& x) { return x.is_error(); });
}

static size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      bool same = std::tolower((unsigned char)a[i - 1]) == std::tolower((unsigned char)b[j - 1]);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    size_t d = edit_distance(word, c);
    if (d < best_d) best_d = d, best = c;
  }
  return best;
}

nlohmann::json to_json(const Diagnostic& d) {
  nlohmann::json j = {{"severity", d.is_error() ? "error" : "warning"}, {"code", d.code}, {"message", d.message}};
  if (!d.path.empty()) j["path"] = d.path;
  if (!d.rule_id.empty()) j["ruleId"] = d.rule_id;
  if (!d.field.empty()) j["field"] = d.field;
  if (d.line) j["line"] = d.line, j["column"] = d.column;
  return j;
}

nlohmann::json to_json(const Diagnostics& ds) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& d : ds) a.push_back(to_json(d));
  return a;
}

}  // namespace leadscore
