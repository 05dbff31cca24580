// Event criteria in rule sets (docs/rules.md, "Events"): which activity events a rule looks at,
// how their count is tested, how they earn points (once, every, daily, weekly, bands), how the
// points fade with age (decay), and computed per-lead fields (days since a date or the newest
// matching event, number of matching events).
//
// Pure data + strict parsing with located diagnostics; evaluation over events is in events.h,
// and the scorer (scorer.cpp) joins both to the arithmetic of docs/rules.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "leadscore/diagnostics.h"

namespace leadscore {

// Age in whole days: as-of day - event day (UTC calendar days); 0 on the as-of day.
struct Decay {
  std::optional<double> half_life;                   // points * 0.5^(age / H)
  std::optional<double> linear_rate, linear_period;  // points * max(0, 1 - r * floor(age / P))
  std::optional<int> expire;                         // age >= expire -> 0
  bool any() const { return half_life || linear_rate || expire; }
  double factor(long age) const;
};

struct CountTest {
  enum class Op { GE, EQ, LE, Between } op = Op::GE;
  long a = 1, b = 0;
  bool test(long n) const {
    switch (op) {
      case Op::GE:
        return n >= a;
      case Op::EQ:
        return n == a;
      case Op::LE:
        return n <= a;
      case Op::Between:
        return a <= n && n <= b;
    }
    return false;
  }
};

struct EventBand {
  long min = 0;
  double points = 0;
};

// Which events match: type(s) and a JsonLogic condition over the event's columns.
struct EventMatch {
  std::vector<std::string> types;     // empty = every type
  nlohmann::json where;               // null = every event
  std::optional<int> within;          // days: ages 0 .. within-1
  std::optional<std::string> dedupe;  // event column: same value counts once (the newest is kept)
  std::string key() const;            // identifies type + where (the per-event mask)
};

struct EventCriteria {
  EventMatch match;
  std::optional<CountTest> count;  // default >= 1 (or, with bands, >= the lowest band)
  enum class Repeat { Once, Every, Daily, Weekly } repeat = Repeat::Once;
  std::vector<EventBand> bands;  // sorted by min, highest first; empty = use the rule's points
  std::optional<Decay> decay;    // the rule's own decay
  bool no_decay = false;         // "decay": false
  nlohmann::json source;         // as written (normalised), for to_json
};

// A computed field: a number per lead, from a date field or the lead's events, against as-of.
struct DerivedField {
  std::string name;
  enum class Kind { DaysSinceField, DaysSinceEvent, EventCount } kind = Kind::DaysSinceField;
  std::string date_field;          // DaysSinceField
  EventMatch match;                // DaysSinceEvent (type/where), EventCount (+ within/dedupe)
  std::optional<double> fallback;  // "default": value when there is nothing to count from
  nlohmann::json source;           // the declaration as written (normalised), for to_json
};

// Parse `events` of a rule at `path` ("rules[3].events"). Appends located diagnostics.
EventCriteria parse_event_criteria(const nlohmann::json& j, const std::string& path, const std::string& rule_id,
                                   Diagnostics& out);
// Parse a group's "decay" (true, false or a decay object). Returns nullopt for false.
std::optional<Decay> parse_group_decay(const nlohmann::json& j, const std::string& path, Diagnostics& out,
                                       bool* marked);
// A field declaration with "daysSince" or "eventCount".
bool is_derived_field(const nlohmann::json& decl);
DerivedField parse_derived_field(const std::string& name, const nlohmann::json& decl, const std::string& path,
                                 Diagnostics& out);

nlohmann::json to_json(const Decay& d);

// Days: UTC calendar day number (days since 1970-01-01) of a time in ms; "YYYY-MM-DD" of a day.
long day_of_ms(double ms);
std::string day_text(long day);
// Parses an as-of date "YYYY-MM-DD" (a real calendar date). nullopt otherwise.
std::optional<long> parse_day(const std::string& s);
// Week index (Monday-based, UTC) of a day.
inline long week_of_day(long day) {
  long d = day + 3;  // 1970-01-01 was a Thursday
  return d >= 0 ? d / 7 : -((-d + 6) / 7);
}

}  // namespace leadscore
