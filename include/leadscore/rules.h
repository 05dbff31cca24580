// The rule set: a versioned JSON document (schema in docs/rules.md).
//
// parse_rule_set() validates strictly and collects every problem with its path, rule id and,
// for JSON syntax errors, line and column. Nothing here looks at lead data: checking rules
// against a table's columns is the compiler's job (compiler.h).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "leadscore/diagnostics.h"
#include "leadscore/event_rules.h"
#include "leadscore/table.h"

namespace leadscore {

// Per-lead outcome of a condition: kFalse, kTrue, or kError (evaluation threw).
constexpr uint8_t kFalse = 0, kTrue = 1, kError = 2;

using json = nlohmann::json;

constexpr int kRuleSetVersion = 1;
constexpr size_t kMaxRules = 2000;    // more than anyone can review; see docs/rules.md
constexpr size_t kReviewRules = 100;  // above this, a "review" warning (and in evaluations)
// Largest |points| of a rule or event band and largest |min|/|max| of a rule, group or total
// (docs/limits.md), checked when the rule set is read. A per-unit rule's points times a lead's
// value (after the rule's min/max) may reach kMaxUnitPoints, checked when scoring: with at most
// kMaxRules rules, no sum can overflow to Infinity or NaN.
constexpr double kMaxPoints = 1e15;
constexpr double kMaxUnitPoints = 1e300;
constexpr size_t kMaxConditionDepth =
    512;  // levels of arrays/objects in a rule's `when` (= the JsonLogic interpreter's limit)

struct Bounds {
  std::optional<double> min, max;
  double clamp(double v) const {
    if (min && v < *min) return *min;
    if (max && v > *max) return *max;
    return v;
  }
  // Same bounds: both absent or both equal, for min and for max (std::optional's ==).
  bool operator==(const Bounds& o) const { return min == o.min && max == o.max; }
  bool operator!=(const Bounds& o) const { return !(*this == o); }
  // Which bound clipped v ("min", "max" or "").
  const char* clipped(double v) const { return (min && v < *min) ? "min" : (max && v > *max) ? "max" : ""; }
  // "rule max", "group min", ... for a ledger; "" when v is within the bounds.
  std::string clip_label(double v, const char* scope) const {
    const char* which = clipped(v);
    return *which ? std::string(scope) + " " + which : std::string();
  }
};

struct Rule {
  std::string id, label, description, group;
  double points = 0;
  std::optional<std::string> per;  // points per unit of this numeric field
  Bounds bounds;                   // clamp on this rule's points
  json when;                       // JsonLogic; null = always
  bool enabled = true;
  std::optional<EventCriteria> events;  // event criteria (docs/rules.md, "Events")
};

struct Group {
  std::string id, label, description;
  Bounds bounds;
  bool decays = false;         // "decay": true or a decay object
  std::optional<Decay> decay;  // default decay of the group's event rules
};

// A band of a score: tiers of the total, matrix bands of a group. Bands are sorted from the
// highest lower bound down; the last one has no lower bound (it takes everything below).
struct Band {
  std::string name;
  std::optional<double> min;  // inclusive lower bound; nullopt = -infinity
  std::string action;
  std::string description;
};

struct Matrix {
  std::string fit_group = "fit", engagement_group = "engagement";
  std::vector<Band> fit, engagement;                         // letters (A..D) and digits (1..4) by default
  std::vector<std::pair<std::string, std::string>> actions;  // "A1" -> "Call now"
  bool present = false;
};

struct RuleSet {
  int version = kRuleSetVersion;
  std::string schema;  // "$schema": the JSON Schema an editor checks the file with; never scored
  std::string name, description;
  std::vector<FieldSpec> fields;
  std::vector<DerivedField> derived;  // computed fields (daysSince, eventCount), by name (as JSON objects keep keys)
  std::optional<std::vector<std::string>> missing;  // replaces the default missing tokens when set
  std::vector<Group> groups;
  Bounds total;
  std::vector<Rule> rules;
  std::vector<Band> tiers;
  std::optional<double> sales_ready;  // threshold on the total
  Matrix matrix;

  int group_index(const std::string& id) const;
  int rule_index(const std::string& id) const;
  // LoadOptions carrying the declared fields and missing tokens, for loading leads for this rule set.
  LoadOptions load_options() const;
};

// Parse and validate. Throws RuleSetError (with all diagnostics) if anything is an error;
// otherwise returns the rule set and appends warnings to *warnings.
RuleSet parse_rule_set(const std::string& text, Diagnostics* warnings = nullptr);
RuleSet parse_rule_set(const json& doc, Diagnostics* warnings = nullptr);
inline RuleSet parse_rule_set(const char* text, Diagnostics* warnings = nullptr) {
  return parse_rule_set(std::string(text), warnings);
}
// One rule in the context of a rule set (groups, ids): for add/replace edits.
Rule parse_rule(const json& doc, const RuleSet& context, const std::string& path, Diagnostics& out);

json to_json(const RuleSet& rs);
json to_json(const Rule& r);

// Index of the band a value falls in (bands sorted high to low); the last band catches the rest.
int band_index(const std::vector<Band>& bands, double v);

// Line and column (1-based) of a byte offset in text.
std::pair<size_t, size_t> line_column(const std::string& text, size_t offset);

}  // namespace leadscore
