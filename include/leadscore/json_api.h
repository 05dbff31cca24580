// The core's JSON face: what a binding (WebAssembly) or a tool (the CLI's --format json) needs to
// turn options in and results and errors out, defined once here so that no boundary computes or
// re-spells anything. Every error becomes one shape: {code, message, line?, column?, ruleId?,
// field?, path?, diagnostics?, operator?, type?} (the JS LeadScoreError carries the same fields).
#pragma once

#include <exception>
#include <string>

#include <nlohmann/json.hpp>

#include "leadscore/events.h"
#include "leadscore/export.h"
#include "leadscore/limits.h"
#include "leadscore/scorer.h"
#include "leadscore/table.h"

namespace leadscore {

// Any exception the core throws (or std::bad_alloc, a JSON error) as the one error shape.
nlohmann::json error_json(std::exception_ptr e);

// Load options from {format, delimiter, missing, fields, dateOrder, maxProblems, maxBytes, rules}:
// the same fields the CLI takes as flags. `rules` (a rule set, as text or JSON) brings its field
// declarations; `fields` adds or overrides some. maxBytes defaults to kBrowserMaxBytes (0 lifts it).
// {reasons, keep, add, rename} (export.h's ExportOptions; all optional).
ExportOptions export_options_from_json(const nlohmann::json& options);

LoadOptions load_options_from_json(const nlohmann::json& o);
// Event column options from {leadId, leadKey, type, timestamp} (other keys are ignored).
EventOptions event_options_from_json(const nlohmann::json& o);

// What was loaded: rows, format, delimiter, each column (name, header, type, missing, distinct)
// and the load problems with their lines.
nlohmann::json table_info_json(const Table& t);
// Joined events: the table info, the join's counts and problems in input-line order, types, days.
nlohmann::json events_info_json(const Events& e);
// The scorer's rule set, per-rule statistics, warnings, conditions evaluated and the as-of day.
nlohmann::json scorer_state_json(const Scorer& s);
// summarize() with the tier names: {rows, tiers: [{name, count}], salesReady, min, max, mean, histogram}.
nlohmann::json summary_json(const Scorer& s, size_t bins);
// One lead's values as rules see them and its input line; std::out_of_range past the last lead.
nlohmann::json row_json_checked(const Table& t, double lead);

// The input limits a caller checks before reading (limits.h): {maxBytes, maxCellBytes, maxColumns, maxJsonDepth}.
nlohmann::json limits_json();

// JSON text read under the nesting limit (kMaxJsonDepth): LoadError "limit" when deeper, "json"
// with line and column when invalid. `what` names the text in messages ("the logic").
nlohmann::json parse_json_text(const std::string& text, const std::string& what);

}  // namespace leadscore
