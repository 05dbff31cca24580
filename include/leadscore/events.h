// Activity events joined to a lead table (docs/rules.md, "Events").
//
// Loaded with the ordinary readers (CSV/TSV/JSON/NDJSON -> Table), then joined once: each event's
// lead id is looked up among the leads' key column, and the events are reordered so that each
// lead's events are contiguous (lead order), newest first, undated last; events with an unknown
// or missing lead id come after all leads' events (kept and reported, never scored). Scoring,
// rule edits and as-of changes read these arrays; nothing re-reads or re-sorts them.
//
// Time is whole UTC days: an event's day is floor(ms / 86400000); its age against an as-of day
// is asof - day (0 on the as-of day, negative = after it: "future", not counted).
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "leadscore/event_rules.h"
#include "leadscore/table.h"

namespace leadscore {

struct EventOptions {
  std::string lead_id;    // events' lead id column ("" = detect)
  std::string lead_key;   // leads' key column ("" = detect)
  std::string type;       // events' type column ("" = detect)
  std::string timestamp;  // events' timestamp column ("" = detect)
};

// Thrown when events cannot be joined (a column to join on is missing). Per-event problems
// (unknown lead ids, missing timestamps) are LoadProblems instead.
struct EventsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

constexpr int32_t kUndated = std::numeric_limits<int32_t>::min();

// The LoadOptions to read an events file with: type hints for the id (text), type (text) and
// timestamp (date) columns, under the names given or the default spellings.
LoadOptions event_load_options(const EventOptions& opts, LoadOptions base = {});

class Events {
 public:
  // Joins `events` (loaded with event_load_options) to `leads`. Throws EventsError.
  Events(std::shared_ptr<const Table> leads, Table events, const EventOptions& opts);

  const Table& table() const { return table_; }  // grouped order (see above)
  const std::shared_ptr<const Table>& leads() const { return leads_; }
  size_t rows() const { return table_.rows; }
  // Events of lead i: rows begin(i) .. end(i)-1 of table(), newest first, undated last.
  size_t begin(size_t lead) const { return start_[lead]; }
  size_t end(size_t lead) const { return start_[lead + 1]; }
  const int32_t* days() const { return day_.data(); }  // per row: UTC day, kUndated without timestamp
  int type_column() const { return type_col_; }
  int timestamp_column() const { return ts_col_; }
  size_t input_row(size_t row) const { return input_row_[row]; }  // grouped row -> 0-based input row
  size_t grouped_row(size_t input) const { return grouped_row_[input]; }
  uint64_t serial() const { return serial_; }  // identity, for caches

  // What the join found (EventsInfo in leadscore.d.ts).
  std::string lead_id_name, lead_key_name, type_name, timestamp_name;
  size_t matched = 0, unknown_leads = 0, missing_lead_id = 0, undated = 0, leads_with_events = 0;
  std::vector<std::string> unknown_ids;                     // first 20 distinct
  std::vector<std::pair<std::string, size_t>> type_counts;  // most frequent first
  long first_day = 0, last_day = 0;                         // when some event is dated
  std::vector<LoadProblem> problems;                        // load problems + join problems (lines)

 private:
  std::shared_ptr<const Table> leads_;
  Table table_;
  std::vector<uint32_t> start_;
  std::vector<int32_t> day_;
  std::vector<uint32_t> input_row_, grouped_row_;
  int type_col_ = -1, ts_col_ = -1;
  uint64_t serial_ = 0;
};

// Per event row: does it match type(s) + where? kTrue / kFalse / kError (where threw).
// Compiles `where` against the events' columns; errors (unknown column, type mismatch) are
// appended to `out` with `path` and `rule_id`.
std::vector<uint8_t> match_events(const Events& ev, const EventMatch& m, Diagnostics& out, const std::string& path,
                                  const std::string& rule_id, bool* ok);
// Column of `name` among the events' columns, -1 if none.
int event_column(const Events& ev, const std::string& name);
// Per event row, a small code for the dedupe column's value (-1 = missing): equal values, equal codes.
std::vector<int32_t> dedupe_codes(const Events& ev, int column, int32_t* distinct);

// The outcome of one event rule (or computed field) for one lead.
struct EventOutcome {
  long count = 0;                // matching events counted
  long occurrences = 0;          // events / periods that earned points (every, daily, weekly)
  double raw = 0;                // points before decay
  double effective = 0;          // after decay
  bool fired = false;            // the count test passed (and some band was reached)
  long newest_age = -1;          // age of the newest counted event, -1 when none
  long future = 0, undated = 0;  // matching events not counted (only when `detail`)
};

struct EventRuleSpec {  // an event rule, resolved for evaluation
  const EventCriteria* crit = nullptr;
  double points = 0;
  const Decay* decay = nullptr;  // effective decay (rule's, else group default), null = none
};

// Evaluates one lead. `mask`: match_events; `dedupe`: dedupe_codes (or null), `seen` scratch
// of size `distinct` (stamps; reuse across leads with increasing `stamp`).
EventOutcome evaluate_lead(const Events& ev, size_t lead, long asof, const EventRuleSpec& spec, const uint8_t* mask,
                           const int32_t* dedupe, std::vector<uint32_t>& seen, uint32_t stamp, bool detail);

}  // namespace leadscore
