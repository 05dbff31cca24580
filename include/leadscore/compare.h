// Comparing two rule sets (variants A and B) scored on the same leads (docs/metrics.md): tier
// and matrix-cell migration, sales-ready crossings, overlaid histograms, top movers with a
// per-lead ledger diff, capacity planning, and with outcomes each variant's evaluation.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "leadscore/metrics.h"
#include "leadscore/outcomes.h"
#include "leadscore/scorer.h"

namespace leadscore {

struct CompareOptions {
  const Outcomes* outcomes = nullptr;  // outcomes of A's leads (adds evaluations, capacity metrics)
  const Outcomes* outcomes_b =
      nullptr;  // of B's leads when B scores another load of the same file (CLI); default: outcomes
  std::optional<Capacity> capacity;
  size_t movers = 20;
  size_t bins = 20;
  EvaluateOptions evaluate;
  // JS options: {capacity, movers, bins, evaluate: {leakage}} (outcomes are passed separately).
  static CompareOptions parse(const nlohmann::json& j);
};

// The JSON shape of Comparison in wasm/leadscore.d.ts. Throws MetricsError("mismatch") when the
// scorers have different numbers of leads, or the outcomes belong to other leads.
nlohmann::json compare(const Scorer& a, const Scorer& b, const CompareOptions& options = {});

// Leads in tier (kind "tier") or matrix cell (kind "cell") `from` under A and `to` under B, by
// B's total from the highest down (ties in lead order), at most `limit` (0 = all).
// Throws MetricsError("unknown_tier" / "unknown_cell" / "range").
std::vector<int32_t> list_migration(const Scorer& a, const Scorer& b, const std::string& kind, const std::string& from,
                                    const std::string& to, size_t limit = 0);

}  // namespace leadscore
