// Known outcomes of leads (converted or not), for checking scores against reality.
//
// Two sources:
// - a column of the leads: yes/no, 1/0, true/false, won/lost, y/n (ASCII case ignored, spaces
//   trimmed). A Boolean column reads 1/0, a Number column 1 and 0; anything else, and missing
//   cells, are unknown: counted (most frequent unknown values listed) and excluded from metrics.
// - a second table joined by lead id, like a CRM's deals export: a lead converted when its id
//   appears in the deals' id column, else not; leads without an id are unknown. Ids compare as
//   the text a cell prints (Column::value_text), spaces trimmed. Deals whose id matches no lead
//   are counted and a few listed.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "leadscore/diagnostics.h"
#include "leadscore/table.h"

namespace leadscore {

// An error about outcome/metrics input: `code` as in the JS API (`unknown_field`, `outcome`,
// `mismatch`, `unknown_tier`, `unknown_cell`, `range`), and the field concerned when there is one.
struct MetricsError : std::runtime_error {
  std::string code, field;
  MetricsError(std::string code_, const std::string& msg, std::string field_ = "")
      : std::runtime_error(msg), code(std::move(code_)), field(std::move(field_)) {}
};

constexpr int8_t kConverted = 1, kNotConverted = 0, kUnknownOutcome = -1;

// How well one column alone predicts the outcomes (metrics.cpp; ColumnSignal in leadscore.d.ts).
struct ColumnSignal {
  std::string name, type, how;
  double auc = 0.5;
};

struct Outcomes {
  const Table* table = nullptr;  // the leads these outcomes belong to (identity only)
  std::vector<int8_t> value;     // per lead: 1, 0 or -1 (unknown)
  size_t positives = 0, negatives = 0, unknown = 0;
  std::string source;  // "column" or "ids"
  // source "column"
  std::string column;
  int column_index = -1;
  size_t missing = 0;
  std::vector<std::pair<std::string, size_t>> unknown_values;  // most frequent first, at most 20
  // source "ids"
  std::string lead_id_column, deals_id_column;
  int lead_id_index = -1;
  size_t deals_rows = 0, unmatched = 0, deals_missing_id = 0, duplicate_lead_ids = 0;
  std::vector<std::string> unmatched_examples;  // at most 10
  Diagnostics warnings;
  // Filled by the first evaluate() with leakage checks (depends only on the leads and outcomes).
  mutable std::shared_ptr<const std::vector<ColumnSignal>> column_signals;
};

// 1 / 0 for a recognised outcome text ("Yes", " won ", "0"), -1 otherwise.
int8_t parse_outcome(const std::string& text);

// Throws MetricsError("unknown_field") when the column does not exist (with a suggestion),
// MetricsError("outcome") for a Date column.
Outcomes outcomes_from_column(const Table& leads, const std::string& column);
Outcomes outcomes_from_ids(const Table& leads, const std::string& lead_id_column, const Table& deals,
                           const std::string& deals_id_column);

nlohmann::json to_json(const Outcomes& o);

// The column index of `name` in `t` (Table::find), or MetricsError("unknown_field") naming `what`.
int find_column_or_throw(const Table& t, const std::string& name, const std::string& what);

}  // namespace leadscore
