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

#include "compiler.h"
#include "diagnostics.h"
#include "events.h"
#include "rules.h"
#include "table.h"

namespace leadscore {

struct Results {
  size_t rows = 0;
  std::vector<double> total;
  std::vector<std::vector<double>> groups;  // [group][lead], groups in rule-set order
  std::vector<int32_t> tier;                // index into RuleSet::tiers (highest tier first)
  std::vector<int32_t> fit_band, engagement_band;  // index into matrix bands, -1 without a matrix
  std::vector<uint8_t> sales_ready;         // total >= salesReady threshold
};

struct RuleStats {
  std::string id;
  bool enabled = true;
  size_t fired = 0;          // leads whose condition held
  size_t errors = 0;         // leads where evaluating the condition raised an error (not fired)
  long first_error_row = -1;
  std::string first_error;
  std::string plan;          // how the condition runs ("lookup(title) and compare(age)")
};

struct LedgerEntry {
  std::string rule_id, label, group;
  double raw = 0;              // points before the rule's own min/max
  double points = 0;           // after the rule's min/max: what the group sum got
  std::string clipped;         // "rule min" / "rule max" / ""
  std::optional<double> unit_value;  // per-unit rules: the field's value
  std::string note;            // e.g. "per-unit field is missing: 0 points"
  // Event rules (raw = points before decay; points = clamp(effective) by the rule's min/max):
  bool is_event = false;
  long count = 0;              // matching events counted (type, where, dated, not after as-of, window, dedupe)
  std::optional<long> occurrences;  // repeat every/daily/weekly: events or periods that earned points
  double decay = 1;            // effective / raw (once: the newest counted event's factor)
  double effective = 0;        // after decay, before the rule's min/max
  std::optional<long> days_since;   // age of the newest counted event
  long future = 0, undated = 0;     // matching events not counted: after the as-of day, without timestamp
};

struct LedgerGroup {
  std::string id, label;
  double sum = 0, score = 0;   // sum of its entries, and after the group's min/max
  std::string clipped;         // "group min" / "group max" / ""
};

struct Ledger {
  size_t lead = 0, line = 0;
  std::vector<LedgerEntry> entries;   // every rule that fired: by group, in rule order within a group
  std::vector<LedgerGroup> groups;
  std::vector<std::pair<std::string, std::string>> errors;  // rule id -> why it could not be evaluated
  double sum = 0, total = 0;
  std::string clipped;                // "total min" / "total max" / ""
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

class Scorer {
 public:
  explicit Scorer(std::shared_ptr<const Table> table);

  // Replace the rule set. Throws RuleSetError when it has errors (unknown fields, type
  // mismatches, ...): the previous rule set and results stay as they were. Returns warnings.
  Diagnostics set_rules(const RuleSet& rs);
  Diagnostics set_rules(const std::string& text);

  // Single-rule edits (each validated in the context of the current rule set; all-or-nothing).
  Diagnostics add_rule(const nlohmann::json& rule, long index = -1);   // -1 = append
  Diagnostics replace_rule(const std::string& id, const nlohmann::json& rule);
  Diagnostics remove_rule(const std::string& id);
  Diagnostics set_enabled(const std::string& id, bool enabled);
  Diagnostics move_rule(const std::string& id, size_t index);

  const Table& table() const { return *table_; }
  const std::shared_ptr<const Table>& table_ptr() const { return table_; }
  const RuleSet& rules() const { return rules_; }
  const Results& results() const { return results_; }
  const std::vector<RuleStats>& stats() const { return stats_; }
  const Diagnostics& warnings() const { return warnings_; }
  bool has_rules() const { return has_rules_; }

  // Events joined to this scorer's leads (null = none) and the as-of day (UTC day number, see
  // event_rules.h) every time computation is against. Each re-scores like an edit: all-or-nothing
  // (throws RuleSetError, e.g. code "events" for events of other leads, "as_of" when rules need
  // a date and it is cleared). Events are never re-read or re-sorted.
  Diagnostics set_events(std::shared_ptr<const Events> events);
  Diagnostics set_as_of(std::optional<long> day);
  const std::shared_ptr<const Events>& events() const { return events_; }
  std::optional<long> as_of() const { return as_of_; }

  Ledger ledger(size_t lead) const;
  // Rule r's per-lead condition result (kTrue / kFalse / kError), or null for a disabled rule.
  const Mask* rule_mask(size_t r) const { return r < compiled_.size() && compiled_[r].eval ? &compiled_[r].eval->mask : nullptr; }
  // How many conditions were evaluated over the leads by the last set_rules (for tests/bench).
  size_t last_evaluations() const { return last_evaluations_; }
  // How many groups the last set_rules updated by difference instead of re-summing (for tests/bench).
  size_t last_delta_groups() const { return last_delta_groups_; }
  // Whether the last re-score updated the previous results in place, touching only the leads
  // whose group sums changed (one-rule edits; see set_rules, step 3b), and how many those were.
  bool last_in_place() const { return last_in_place_; }
  size_t last_patched_leads() const { return last_patched_leads_; }
  // The totals' exact counts (built on the first call after a full re-score by one pass over the
  // totals, then kept up to date by in-place edits), or null when the totals are not all integers
  // in a span of TotalCounts::kMaxSpan values. Not thread-safe (a cache).
  const TotalCounts* total_counts() const;

 private:
  struct Evaluated {  // one condition over every lead
    uint64_t serial = 0;  // identifies this evaluation in group signatures
    Mask mask;
    size_t fired = 0, errors = 0;
    long first_error_row = -1;
    std::vector<double> points;  // event rules: effective points per lead, before the rule's min/max
  };
  struct Compiled {
    CompiledRule rule;
    std::shared_ptr<const Evaluated> eval;  // null when disabled
    // Event rules: which events match (per event row) and their dedupe codes.
    std::shared_ptr<const std::vector<uint8_t>> event_mask;
    std::shared_ptr<const std::vector<int32_t>> dedupe;
    int32_t dedupe_distinct = 0;
  };
  // Events: cached per-event masks (type + where) and dedupe codes; computed fields.
  std::shared_ptr<const std::vector<uint8_t>> event_mask(const EventMatch& m, const std::string& path, const std::string& rule_id,
                                                         Diagnostics& diags, std::map<std::string, std::shared_ptr<const std::vector<uint8_t>>>& keep);
  void compute_derived(const RuleSet& rs, Table& t, const std::map<std::string, std::shared_ptr<const std::vector<uint8_t>>>& masks) const;
  EventRuleSpec event_spec(const RuleSet& rs, const Rule& rule) const;
  std::shared_ptr<Table> derived_table_for(const RuleSet& rs, std::vector<std::string>* dnames) const;
  void check_events(const RuleSet& rs, Diagnostics& diags, std::map<std::string, std::shared_ptr<const std::vector<uint8_t>>>& emasks);
  void evaluate_event_rule(const RuleSet& rs, const Rule& rule, const std::string& key,
                           const std::map<std::string, std::shared_ptr<const std::vector<uint8_t>>>& emasks, Compiled& c,
                           std::map<std::string, std::shared_ptr<const Evaluated>>& cache, size_t* evaluations);
  void event_entry(size_t r, size_t lead, LedgerEntry& e) const;
  std::shared_ptr<const Table> base_;                 // the leads as loaded
  std::shared_ptr<Table> derived_table_;              // base columns + computed fields, when the rules declare some
  std::vector<std::string> derived_names_;
  std::string derived_sig_;
  std::shared_ptr<const Events> events_;
  std::optional<long> as_of_;
  std::map<std::string, std::shared_ptr<const std::vector<uint8_t>>> event_mask_cache_;
  std::map<std::pair<uint64_t, int>, std::pair<std::shared_ptr<const std::vector<int32_t>>, int32_t>> dedupe_cache_;  // (events, column)
  int rule_index_checked(const std::string& id) const;

 public:
  // A rule's part in its group's sum (internal; public for the summing helpers in scorer.cpp).
  struct Member {
    std::shared_ptr<const Evaluated> eval;
    double points = 0;
    int per_column = -1;
    Bounds bounds;
    bool event = false;   // an event rule: points per lead in eval->points
    std::string per_sig;  // per-unit computed fields: the signature of their values
  };

 private:
  struct GroupMeta {
    std::string id;
    Bounds bounds;
    std::vector<Member> members;  // enabled rules in rule order
    bool exact = false;           // every partial sum is an exact integer
    double magnitude = 0;         // exact groups: a bound on |sum| (before the group's min/max)
    std::vector<double> raw;      // exact groups: sums before the group's min/max
    bool same_as(const GroupMeta& o) const;
  };

  std::shared_ptr<const Table> table_;
  RuleSet rules_;
  bool has_rules_ = false;
  std::vector<Compiled> compiled_;
  std::map<std::string, std::shared_ptr<const Evaluated>> mask_cache_;   // condition JSON -> evaluation
  std::map<std::string, CompiledRule> compile_cache_;                      // condition + per + fields -> compiled rule
  uint64_t next_serial_ = 1;
  std::vector<GroupMeta> group_meta_;  // per group of rules_: what its scores in results_.groups were summed from
  size_t last_delta_groups_ = 0;
  bool last_in_place_ = false;
  size_t last_patched_leads_ = 0;
  mutable TotalCounts counts_;
  mutable int counts_state_ = 0;  // 0: not built since the last full re-score, 1: valid, -1: none
  std::map<int, std::pair<bool, double>> integral_columns_;  // column -> (only integers, max |value|)
  Results results_;
  std::vector<RuleStats> stats_;
  Diagnostics warnings_;
  size_t last_evaluations_ = 0;
};

// Summary of the scorer's current results: from total_counts() when there are counts (no pass
// over the leads), else from one pass over the totals for the tiers, sales-ready count, min, max
// and sum and one more for the histogram. Both give identical numbers (`use_counts` = false
// forces the passes; tests compare the two). bins >= 1.
Summary summarize(const Scorer& s, size_t bins, bool use_counts = true);

}  // namespace leadscore

namespace leadscore {

// Histogram of the current totals over caller-given edges: `bins` equal bins from lo to hi. A
// total below lo counts in the first bin, one at or above hi in the last, NaN in none. The page
// picks round edges from the summary's min/max and keeps them while rules are edited, so the bars
// stay comparable; summarize() always spans min..max. hi <= lo: bins of width 1 from lo;
// non-finite edges: from 0.
std::vector<size_t> histogram_range(const Scorer& s, double lo, double hi, size_t bins);

}  // namespace leadscore
