// Metrics of scores against known outcomes (docs/metrics.md): conversion by tier, matrix cell
// and score decile; the ROC curve and AUC exactly as scikit-learn computes them; precision and
// recall at a threshold; capacity planning; per-rule diagnostics; leakage checks per column.
//
// Only leads with a known outcome (Outcomes::value 0 or 1) count in rates and curves; counts of
// all leads are given next to them. A metric that is undefined (no known outcomes, only one
// class) is null in the JSON with a reason, never NaN.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "leadscore/outcomes.h"
#include "leadscore/scorer.h"

namespace leadscore {

// scikit-learn's roc_curve(y, score) (1.2, drop_intermediate=True): thresholds are the distinct
// scores from the highest down, tied leads move together (diagonal segments), collinear points
// are dropped, and a first point (0, 0) stands above every score (threshold +infinity here).
// Leads with an unknown outcome (-1) are ignored. Empty when there are no positives or no negatives.
struct RocCurve {
  std::vector<double> fpr, tpr, threshold;
  size_t positives = 0, negatives = 0;
};
RocCurve roc_curve(const std::vector<double>& score, const std::vector<int8_t>& outcome, bool drop_intermediate = true);
// Trapezoidal area under (fpr, tpr) in curve order (= sklearn.metrics.auc).
double auc(const RocCurve& c);
// roc_auc_score, or nullopt with *reason when undefined.
std::optional<double> roc_auc(const std::vector<double>& score, const std::vector<int8_t>& outcome,
                              std::string* reason = nullptr);

// How many leads sales can take: a count, or a share of all leads (rounded down).
struct Capacity {
  bool is_share = false;
  double value = 0;
  // The capacity in leads; throws MetricsError("range") for a negative, non-finite or > 1 share.
  size_t leads(size_t rows) const;
  static Capacity parse(const nlohmann::json& j);    // 120, {"count": 120}, {"share": 0.1}
  static Capacity parse_text(const std::string& s);  // "120", "10%", "0.1" (a share when < 1 with a dot)
};

// The lowest distinct score t with #{score >= t} <= k (ties at t all in or all out); nullopt when
// even the highest score is shared by more than k leads (or k is 0).
std::optional<double> capacity_threshold(const std::vector<double>& score, size_t k);

// {threshold, selected, selectedKnown, conversions, precision, recall[, reason]} for score >= t.
// `o` may be null (no outcomes: precision/recall null).
nlohmann::json selection_json(const std::vector<double>& score, const Outcomes* o, std::optional<double> threshold,
                              const std::string& no_threshold_reason);
// selection_json at the capacity threshold, plus "capacity".
nlohmann::json capacity_json(const std::vector<double>& score, const Outcomes* o, size_t capacity);

struct EvaluateOptions {
  std::optional<Capacity> capacity;
  bool leakage = true;
  static EvaluateOptions parse(const nlohmann::json& j);  // {"capacity": ..., "leakage": bool}
};

// Flag thresholds (documented in docs/metrics.md and leadscore.d.ts).
constexpr double kNearlyAlwaysShare = 0.95;   // a rule firing on >= 95 % of the leads
constexpr double kNoLiftZ = 1.96;             // |z| below this: not distinguishable at 95 %
constexpr double kNoLiftRelative = 0.05;      // rates within 5 % of each other: no lift either way
constexpr double kLeakAuc = 0.95;             // a column predicting this well alone: leakage warning
constexpr size_t kMinKnownForLeak = 30;       // ... given at least this many known outcomes
constexpr size_t kMinKnownForStronger = 200;  // a column beating the rule set's AUC: warning from this many
// Leakage on rules (core/analysis/leakage.cpp): a rule converting at >= 90 % when it fires (on at
// least 20 known leads, and halfway from the base rate to certain), or reading a column that is a
// leak, stands far above the others (AUC >= 0.8 and >= 0.25 above the median column), or whose
// name or values look set after the outcome.
constexpr double kLeakRuleRate = 0.9;
constexpr size_t kMinFiredForLeak = 20;
constexpr double kStrongColumnAuc = 0.8;
constexpr double kFarAboveMedian = 0.25;
constexpr double kSuspectColumnAuc = 0.7;  // a post-outcome-looking column this predictive: warning
constexpr size_t kMaxCategories =
    100;  // text columns with more distinct values (or < 10 known leads per value): missing vs present only

// One report (the JSON shape of Evaluation in wasm/leadscore.d.ts). Throws MetricsError("mismatch")
// when `o` belongs to other leads than the scorer's.
nlohmann::json evaluate(const Scorer& s, const Outcomes& o, const EvaluateOptions& options = {});

}  // namespace leadscore
