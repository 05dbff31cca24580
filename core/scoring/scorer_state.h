// The Scorer's state (internal): compiled rules, cached condition masks, the group sums they
// were made from, and the stages of a re-score. Scorer (include/leadscore/scorer.h) forwards to
// it, so the public header shows no compiler or cache types.
//
// A re-score (set_rules) runs as named stages over a Rescore plan; nothing before commit()
// touches the committed state, so a rule set with errors leaves everything as it was:
//   compile()        rules -> compiled kernels (cached by condition and field declarations)
//   evaluate()       conditions not cached -> per-lead masks (event rules: per-lead points)
//   plan_groups()    per group: unchanged (reuse), a few rules changed (delta), or re-sum; and
//                    whether the whole edit can patch the previous results in place
//   sum_groups()     group scores for the groups that are neither reused nor patched
//   derive_results() totals, tiers, matrix bands, sales-ready (when not patching)
//   rule_stats()     per-rule counts and the warnings a reviewer should see
//   commit()         moves the plan in (or patches the previous results in place)
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "leadscore/scorer.h"
#include "rules/compiler.h"

namespace leadscore {

using EventMasks = std::map<std::string, std::shared_ptr<const std::vector<uint8_t>>>;

struct Scorer::State {
  struct Evaluated {      // one condition over every lead
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
  // A rule's part in its group's sum.
  struct Member {
    std::shared_ptr<const Evaluated> eval;
    double points = 0;
    int per_column = -1;
    Bounds bounds;
    bool event = false;   // an event rule: points per lead in eval->points
    std::string per_sig;  // per-unit computed fields: the signature of their values
  };
  struct GroupMeta {
    std::string id;
    Bounds bounds;
    std::vector<Member> members;  // enabled rules in rule order
    bool exact = false;           // every partial sum is an exact integer
    double magnitude = 0;         // exact groups: a bound on |sum| (before the group's min/max)
    std::vector<double> raw;      // exact groups: sums before the group's min/max
    bool same_as(const GroupMeta& o) const;
  };
  struct Rescore;  // one set_rules in progress (rescore.cpp)

  explicit State(std::shared_ptr<const Table> table) : base_(table), table_(std::move(table)) {
    results_.rows = table_->rows;
  }

  Diagnostics set_rules(const RuleSet& rs);
  // The stages of set_rules (rescore.cpp).
  void compile(const RuleSet& rs, Rescore& p);
  void evaluate(const RuleSet& rs, Rescore& p);
  void check_per_unit(const RuleSet& rs, Rescore& p) const;
  void plan_groups(const RuleSet& rs, Rescore& p);
  void sum_groups(const RuleSet& rs, Rescore& p) const;
  void derive_results(const RuleSet& rs, Rescore& p) const;
  void rule_stats(const RuleSet& rs, Rescore& p) const;
  void commit(const RuleSet& rs, Rescore& p);
  size_t patch_in_place(const RuleSet& rs, Rescore& p);

  int rule_index_checked(const std::string& id) const;
  Ledger ledger(size_t lead) const;
  const TotalCounts* total_counts() const;

  // Events (event_scoring.cpp): cached per-event masks (type + where) and dedupe codes; computed fields.
  std::shared_ptr<const std::vector<uint8_t>> event_mask(const EventMatch& m, const std::string& path,
                                                         const std::string& rule_id, Diagnostics& diags,
                                                         EventMasks& keep);
  void compute_derived(const RuleSet& rs, Table& t, const EventMasks& masks) const;
  EventRuleSpec event_spec(const RuleSet& rs, const Rule& rule) const;
  std::shared_ptr<Table> derived_table_for(const RuleSet& rs, std::vector<std::string>* dnames) const;
  void check_events(const RuleSet& rs, Diagnostics& diags, EventMasks& emasks);
  void evaluate_event_rule(const RuleSet& rs, const Rule& rule, const std::string& key, const EventMasks& emasks,
                           Compiled& c, std::map<std::string, std::shared_ptr<const Evaluated>>& cache,
                           size_t* evaluations);
  void event_entry(size_t r, size_t lead, LedgerEntry& e) const;
  Diagnostics set_events(std::shared_ptr<const Events> events);
  Diagnostics set_as_of(std::optional<long> day);

  std::shared_ptr<const Table> base_;     // the leads as loaded
  std::shared_ptr<Table> derived_table_;  // base columns + computed fields, when the rules declare some
  std::vector<std::string> derived_names_;
  std::string derived_sig_;
  std::shared_ptr<const Events> events_;
  std::optional<long> as_of_;
  EventMasks event_mask_cache_;
  std::map<std::pair<uint64_t, int>, std::pair<std::shared_ptr<const std::vector<int32_t>>, int32_t>>
      dedupe_cache_;  // (events, column)

  std::shared_ptr<const Table> table_;
  RuleSet rules_;
  bool has_rules_ = false;
  std::vector<Compiled> compiled_;
  std::map<std::string, std::shared_ptr<const Evaluated>> mask_cache_;  // condition JSON -> evaluation
  std::map<std::string, CompiledRule> compile_cache_;                   // condition + per + fields -> compiled rule
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

}  // namespace leadscore
