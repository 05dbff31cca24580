// Scoring: compiled rules -> per-rule masks -> group scores -> totals, tiers, matrix cells,
// and on demand each lead's ledger.
//
// Arithmetic, exactly: each fired rule's points (points, or points x field value for per-unit
// rules) are clamped to the rule's min/max; summed per group in rule order; clamped to the
// group's min/max; the groups are summed in declaration order and clamped to the total's
// min/max. A lead matching nothing scores 0.
//
// Incremental by construction: a rule's mask depends only on its condition and is cached by
// it, and a group's scores only on its rules' masks, points and caps. set_rules() re-evaluates
// just the conditions that changed and re-sums just the groups that changed, so editing one
// rule costs one rule, and the result is identical to scoring from scratch.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "leadscore/diagnostics.h"
#include "leadscore/events.h"
#include "leadscore/rules.h"
#include "leadscore/table.h"

namespace leadscore {

struct Results {
  size_t rows = 0;
  std::vector<double> total;
  std::vector<std::vector<double>> groups;         // [group][lead], groups in rule-set order
  std::vector<int32_t> tier;                       // index into RuleSet::tiers (highest tier first)
  std::vector<int32_t> fit_band, engagement_band;  // index into matrix bands, -1 without a matrix
  std::vector<uint8_t> sales_ready;                // total >= salesReady threshold
};

struct RuleStats {
  std::string id;
  bool enabled = true;
  size_t fired = 0;   // leads whose condition held
  size_t errors = 0;  // leads where evaluating the condition raised an error (not fired)
  long first_error_row = -1;
  std::string first_error;
  std::string plan;  // how the condition runs ("lookup(title) and compare(age)")
};

struct LedgerEntry {
  std::string rule_id, label, group;
  double raw = 0;                    // points before the rule's own min/max
  double points = 0;                 // after the rule's min/max: what the group sum got
  std::string clipped;               // "rule min" / "rule max" / ""
  std::optional<double> unit_value;  // per-unit rules: the field's value
  std::string note;                  // e.g. "per-unit field is missing: 0 points"
  // Event rules (raw = points before decay; points = clamp(effective) by the rule's min/max):
  bool is_event = false;
  long count = 0;                   // matching events counted (type, where, dated, not after as-of, window, dedupe)
  std::optional<long> occurrences;  // repeat every/daily/weekly: events or periods that earned points
  double decay = 1;                 // effective / raw (once: the newest counted event's factor)
  double effective = 0;             // after decay, before the rule's min/max
  std::optional<long> days_since;   // age of the newest counted event
  long future = 0, undated = 0;     // matching events not counted: after the as-of day, without timestamp
};

struct LedgerGroup {
  std::string id, label;
  double sum = 0, score = 0;  // sum of its entries, and after the group's min/max
  std::string clipped;        // "group min" / "group max" / ""
};

struct Ledger {
  size_t lead = 0, line = 0;
  std::vector<LedgerEntry> entries;  // every rule that fired: by group, in rule order within a group
  std::vector<LedgerGroup> groups;
  std::vector<std::pair<std::string, std::string>> errors;  // rule id -> why it could not be evaluated
  double sum = 0, total = 0;
  std::string clipped;  // "total min" / "total max" / ""
  std::string tier, action, cell, cell_action;
  bool sales_ready = false;
};

nlohmann::json to_json(const Ledger& l);

// What the page draws after every edit: tier counts, the sales-ready count, min / max / mean of
// the totals and a histogram of the totals in `bins` equal bins between min and max (a total
// equal to max goes in the last bin). See summarize().
struct Summary {
  size_t rows = 0;
  std::vector<size_t> tiers;  // per tier of the rule set, highest first
  size_t sales_ready = 0;
  double min = 0, max = 0, mean = 0;  // 0 without leads
  std::vector<size_t> histogram;
};

// Exact counts of the totals: count[k] leads have the total lo + k. Kept only while every total
// is an integer and they span at most kMaxSpan values (the normal case: integral points and caps).
struct TotalCounts {
  static constexpr size_t kMaxSpan = 1 << 16;
  double lo = 0;
  std::vector<uint32_t> count;
};

// A rule left out of scoring because it reads a field the leads lack (see Scorer::set_rules).
struct SkippedRule {
  std::string rule_id, field, message;
};

class Scorer {
 public:
  explicit Scorer(std::shared_ptr<const Table> table);
  ~Scorer();
  Scorer(Scorer&&) noexcept;
  Scorer& operator=(Scorer&&) noexcept;

  // Replace the rule set. Throws RuleSetError when it has errors (unknown fields, type
  // mismatches, ...): the previous rule set and results stay as they were. Returns warnings.
  Diagnostics set_rules(const RuleSet& rs);
  Diagnostics set_rules(const std::string& text);
  // The same, except that rules whose only errors are fields the leads lack (code
  // "unknown_field") are scored as disabled and listed in `skipped`, so data that lacks a column
  // still scores on the other rules (the page and the CLI do this; the CLI's --strict does not);
  // their unknown-field warnings are left out. Any other error throws, changing nothing.
  Diagnostics set_rules(const RuleSet& rs, std::vector<SkippedRule>* skipped);
  Diagnostics set_rules(const std::string& text, std::vector<SkippedRule>* skipped);

  // Single-rule edits (each validated in the context of the current rule set; all-or-nothing).
  // An index out of range is an error (code "range"), never clamped.
  Diagnostics add_rule(const nlohmann::json& rule, long index = -1);  // -1 = append
  Diagnostics replace_rule(const std::string& id, const nlohmann::json& rule);
  Diagnostics remove_rule(const std::string& id);
  Diagnostics set_enabled(const std::string& id, bool enabled);
  Diagnostics move_rule(const std::string& id, size_t index);
  // The "range" RuleSetError of those edits: `index` is not a whole number in 0..last (nor -1,
  // where `append` allows it). The bindings throw it too, for indexes that arrive as numbers.
  [[noreturn]] static void throw_index_range(const char* edit, double index, size_t last, bool append);

  const Table& table() const;
  const std::shared_ptr<const Table>& table_ptr() const;
  const RuleSet& rules() const;
  const Results& results() const;
  const std::vector<RuleStats>& stats() const;
  const Diagnostics& warnings() const;
  bool has_rules() const;

  // Events joined to this scorer's leads (null = none) and the as-of day (UTC day number, see
  // event_rules.h) every time computation is against. Each re-scores like an edit: all-or-nothing
  // (throws RuleSetError, e.g. code "events" for events of other leads, "as_of" when rules need
  // a date and it is cleared). Events are never re-read or re-sorted.
  Diagnostics set_events(std::shared_ptr<const Events> events);
  Diagnostics set_as_of(std::optional<long> day);
  // The same with the day written YYYY-MM-DD ("" = none); another spelling is a RuleSetError "as_of".
  Diagnostics set_as_of(const std::string& day);
  const std::shared_ptr<const Events>& events() const;
  std::optional<long> as_of() const;

  Ledger ledger(size_t lead) const;
  // Rule r's per-lead condition results (kTrue = 1 / kFalse = 0 / kError = 2, one byte per lead,
  // table().rows of them), or null for a disabled rule.
  const uint8_t* rule_mask(size_t r) const;
  // How many conditions were evaluated over the leads by the last set_rules (for tests/bench).
  size_t last_evaluations() const;
  // How many groups the last set_rules updated by difference instead of re-summing (for tests/bench).
  size_t last_delta_groups() const;
  // Whether the last re-score updated the previous results in place, touching only the leads
  // whose group sums changed (one-rule edits), and how many those were.
  bool last_in_place() const;
  size_t last_patched_leads() const;
  // The totals' exact counts (built on the first call after a full re-score by one pass over the
  // totals, then kept up to date by in-place edits), or null when the totals are not all integers
  // in a span of TotalCounts::kMaxSpan values. Not thread-safe (a cache).
  const TotalCounts* total_counts() const;

  struct State;  // core/scoring/scorer_state.h: compiled rules, cached masks, group sums

 private:
  std::unique_ptr<State> s_;
};

// Summary of the scorer's current results: from total_counts() when there are counts (no pass
// over the leads), else from one pass over the totals for the tiers, sales-ready count, min, max
// and sum and one more for the histogram. Both give identical numbers (`use_counts` = false
// forces the passes; tests compare the two). bins >= 1.
Summary summarize(const Scorer& s, size_t bins, bool use_counts = true);

// Lead indices ordered by `key` ("total" or a group id), highest first unless `ascending`, ties
// by index; only leads of tier `tier` (an index into the rule set's tiers; -1 = all); at most
// `limit` of them (0 = all). Throws std::invalid_argument for another key.
std::vector<int32_t> rank_leads(const Scorer& s, const std::string& key, int tier = -1, size_t limit = 0,
                                bool ascending = false);

// Histogram of the current totals over caller-given edges: `bins` equal bins from lo to hi. A
// total below lo counts in the first bin, one at or above hi in the last, NaN in none. The page
// picks round edges from the summary's min/max and keeps them while rules are edited, so the bars
// stay comparable; summarize() always spans min..max. hi <= lo: bins of width 1 from lo;
// non-finite edges: from 0.
std::vector<size_t> histogram_range(const Scorer& s, double lo, double hi, size_t bins);

// Histogram edges on round numbers (bin widths 1, 2, 2.5, 5 x 10^k) covering [min, max] in about
// `target` bins; min == max gives one bin of width 1 around it. With `previous` edges, they are
// kept while [min, max] stays inside them and spans at least a third of them, so the bars of a
// histogram stay comparable from one rule edit to the next.
struct HistogramEdges {
  double lo = 0, hi = 1, width = 1;
  size_t bins = 1;
};
HistogramEdges histogram_edges(double min, double max, const HistogramEdges* previous = nullptr, size_t target = 30);

}  // namespace leadscore
