// Leakage checks of the evaluation report (internal to core/analysis): which columns look filled
// in after the outcome, and why a rule that reads them, or that is near-certain when it fires,
// may score with what is only known once the lead has converted. Thresholds are in metrics.h.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "leadscore/outcomes.h"
#include "leadscore/rules.h"
#include "leadscore/table.h"

namespace leadscore::leakage {

// Why a column's name or values look like they are set after the outcome (a status, a quality
// grade, tags, a stage, a lost reason), as a short phrase; empty when nothing suggests it.
std::string post_outcome_hint(const Column& col);

// The median single-column AUC of `sigs` (0.5 when there are none).
double median_auc(const std::vector<ColumnSignal>& sigs);

// Whether a column's AUC alone stands far above the other columns' (see kFarAboveMedian).
bool far_above_rest(double auc, double median);

// The columns of `t` a rule reads (its condition's variables and its per-unit field), by index.
std::vector<size_t> columns_read(const Rule& rule, const Table& t);

// What the report needs to judge one rule: its conversion when it fires, and the columns' signals.
struct RuleEvidence {
  size_t known_fired = 0, positives_fired = 0;
  double base = 0;
  bool classes = false;
};

// The reasons a rule may leak the outcome ([{kind, column?, message}], empty when none):
// near-certain conversion when it fires, or a column read that is a leak, far above the rest,
// or post-outcome by its name or values. `sigs` may be null (the column scan was not run).
nlohmann::json rule_reasons(const Rule& rule, const Table& t, const RuleEvidence& ev,
                            const std::vector<ColumnSignal>* sigs, size_t known_leads);

}  // namespace leadscore::leakage
