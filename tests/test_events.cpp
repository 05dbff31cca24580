// Events: loading and joining, rule-set validation of event criteria (located errors), the
// as-of date, atomic edits, incremental re-scoring, and a differential check of the scorer's
// event arithmetic against a plain per-lead re-implementation on random data.
#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <functional>
#include <memory>
#include <random>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "leadscore/events.h"
#include "leadscore/rules.h"
#include "leadscore/scorer.h"
#include "leadscore/table.h"

namespace leadscore {
namespace test_events {  // own namespace: the unity build compiles several test files as one
namespace {

using nlohmann::json;

std::shared_ptr<Table> leads_of(const std::string& csv, const RuleSet* rs = nullptr) {
  return std::make_shared<Table>(load_table(csv, rs ? rs->load_options() : LoadOptions{}));
}

std::shared_ptr<Events> events_of(std::shared_ptr<Table> leads, const std::string& text, EventOptions o = {}) {
  return std::make_shared<Events>(leads, load_table(text, event_load_options(o)), o);
}

const char* kLeads = "id,title\n1,CEO\n2,CTO\n3,Intern\n";
const char* kEvents =
    "lead_id,type,timestamp,campaign\n1,open,2024-03-30,spring\n1,open,2024-03-31,spring\n2,click,2024-03-01,fall\n";

Diagnostic first_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const RuleSetError& e) {
    return e.first_error();
  }
  ADD_FAILURE() << "no RuleSetError";
  return {};
}

TEST(EventDays, CalendarArithmetic) {
  EXPECT_EQ(parse_day("1970-01-01"), 0);
  EXPECT_EQ(parse_day("1970-01-02"), 1);
  EXPECT_EQ(parse_day("1969-12-31"), -1);
  EXPECT_EQ(*parse_day("2024-03-01") - *parse_day("2024-02-28"), 2);  // leap year
  EXPECT_EQ(*parse_day("2023-03-01") - *parse_day("2023-02-28"), 1);
  EXPECT_FALSE(parse_day("2023-02-29"));
  EXPECT_FALSE(parse_day("2024-13-01"));
  EXPECT_FALSE(parse_day("2024-3-1"));
  EXPECT_FALSE(parse_day("today"));
  EXPECT_EQ(day_text(*parse_day("2024-02-29")), "2024-02-29");
  EXPECT_EQ(day_text(-1), "1969-12-31");
  // 2024-03-25 is a Monday, 2024-03-31 a Sunday, 2024-04-01 a Monday.
  EXPECT_EQ(week_of_day(*parse_day("2024-03-25")), week_of_day(*parse_day("2024-03-31")));
  EXPECT_EQ(week_of_day(*parse_day("2024-03-31")) + 1, week_of_day(*parse_day("2024-04-01")));
  EXPECT_EQ(week_of_day(*parse_day("1969-12-29")), week_of_day(*parse_day("1970-01-04")));  // Mon..Sun around the epoch
  EXPECT_EQ(week_of_day(*parse_day("1969-12-28")) + 1, week_of_day(*parse_day("1969-12-29")));
  // A time in the evening west of UTC is the next UTC day.
  EXPECT_EQ(day_of_ms(-1), -1);
}

TEST(EventDecay, Formulas) {
  Decay h;
  h.half_life = 7;
  EXPECT_DOUBLE_EQ(h.factor(0), 1);
  EXPECT_DOUBLE_EQ(h.factor(7), 0.5);
  EXPECT_DOUBLE_EQ(h.factor(14), 0.25);
  EXPECT_DOUBLE_EQ(h.factor(21), 0.125);
  Decay l;
  l.linear_rate = 0.3, l.linear_period = 5;
  EXPECT_DOUBLE_EQ(l.factor(4), 1);
  EXPECT_DOUBLE_EQ(l.factor(5), 0.7);
  EXPECT_DOUBLE_EQ(l.factor(14), 1 - 0.6);
  EXPECT_DOUBLE_EQ(l.factor(15), 1 - 0.3 * 3);
  EXPECT_DOUBLE_EQ(l.factor(20), 0);  // 1 - 1.2 -> 0, never negative
  Decay e;
  e.expire = 30;
  EXPECT_DOUBLE_EQ(e.factor(29), 1);
  EXPECT_DOUBLE_EQ(e.factor(30), 0);
  Decay he = h;
  he.expire = 10;
  EXPECT_DOUBLE_EQ(he.factor(7), 0.5);
  EXPECT_DOUBLE_EQ(he.factor(10), 0);
}

TEST(EventRules, ValidationErrorsNameThePlace) {
  auto err = [](const std::string& text) { return first_error([&] { parse_rule_set(text); }); };
  Diagnostic d = err(R"({"rules": [{"id": "a", "points": 1, "events": {"type": "open", "witin": 3}}]})");
  EXPECT_EQ(d.code, "unknown_key");
  EXPECT_EQ(d.path, "rules[0].events.witin");
  EXPECT_EQ(d.rule_id, "a");
  EXPECT_NE(d.message.find("within"), std::string::npos) << d.message;
  d = err(R"({"rules": [{"id": "a", "points": 1, "events": {"within": 2.5}}]})");
  EXPECT_EQ(d.path, "rules[0].events.within");
  d = err(R"({"rules": [{"id": "a", "points": 1, "events": {"count": {">": 2}}}]})");
  EXPECT_EQ(d.path, "rules[0].events.count.>");
  d = err(R"({"rules": [{"id": "a", "points": 1, "events": {"count": {"between": [5, 2]}}}]})");
  EXPECT_EQ(d.path, "rules[0].events.count.between");
  d = err(R"({"rules": [{"id": "a", "points": 1, "events": {"repeat": "hourly"}}]})");
  EXPECT_EQ(d.path, "rules[0].events.repeat");
  d = err(
      R"({"rules": [{"id": "a", "points": 1, "events": {"repeat": "every", "bands": [{"min": 1, "points": 2}]}}]})");
  EXPECT_EQ(d.path, "rules[0].events.bands");
  d = err(R"({"rules": [{"id": "a", "events": {"bands": [{"min": 1, "points": 2}, {"min": 1, "points": 3}]}}]})");
  EXPECT_EQ(d.code, "bands");
  d = err(R"({"rules": [{"id": "a", "events": {"type": "x"}}]})");
  EXPECT_EQ(d.path, "rules[0]") << "points are required without bands";
  d = err(R"({"rules": [{"id": "a", "points": 1, "events": {"where": {"frob": [1]}}}]})");
  EXPECT_EQ(d.code, "unknown_operator");
  EXPECT_EQ(d.path.rfind("rules[0].events.where", 0), 0u) << d.path;
  // Decay only where the group decays; fit does not by default.
  d = err(R"({"rules": [{"id": "a", "group": "fit", "points": 1, "events": {"decay": {"halfLife": 7}}}]})");
  EXPECT_EQ(d.code, "decay");
  EXPECT_EQ(d.path, "rules[0].events.decay");
  d = err(R"({"groups": [{"id": "e", "decay": {"halfLife": 7, "linear": {"rate": 0.1, "period": 7}}}], "rules": []})");
  EXPECT_EQ(d.path, "groups[0].decay");
  d = err(R"({"groups": [{"id": "e", "decay": {"linear": {"rate": 0.1, "period": 0}}}], "rules": []})");
  EXPECT_EQ(d.path, "groups[0].decay.linear.period");
  d = err(R"({"groups": [{"id": "e", "decay": {"halfLife": -1}}], "rules": []})");
  EXPECT_EQ(d.path, "groups[0].decay.halfLife");
  d = err(R"({"rules": [{"id": "a", "points": 1, "per": "x", "events": {}}]})");
  EXPECT_EQ(d.path, "rules[0].per");
  d = err(R"({"fields": {"d": {"daysSince": 3}}, "rules": []})");
  EXPECT_EQ(d.path, "fields.d.daysSince");
  EXPECT_EQ(d.field, "d");
  d = err(R"({"fields": {"d": {"eventCount": {"type": "x", "default": 1}}}, "rules": []})");
  EXPECT_EQ(d.path, "fields.d.eventCount.default");
  d = err(R"({"fields": {"d": {"daysSince": "x", "type": "string"}}, "rules": []})");
  EXPECT_EQ(d.path, "fields.d.type");

  // Format 1 without events still reads, and the new keys round-trip.
  RuleSet rs = parse_rule_set(R"({"leadscore": 1, "fields": {"n": {"eventCount": {"type": "v", "within": 7}}},
    "groups": [{"id": "fit"}, {"id": "engagement", "decay": true}],
    "rules": [{"id": "a", "group": "engagement", "points": 2, "events": {"type": "v", "decay": {"expire": 9}}}]})");
  json j = to_json(rs);
  EXPECT_EQ(j["groups"][1]["decay"], true);
  EXPECT_EQ(j["rules"][0]["events"]["decay"]["expire"], 9);
  EXPECT_EQ(j["fields"]["n"]["eventCount"]["within"], 7);
  RuleSet again = parse_rule_set(j);
  EXPECT_EQ(to_json(again), j);
}

TEST(EventLoad, JoinReportsWhatItCannotUse) {
  auto leads = leads_of("id,name\n1,a\n2,b\n2,c\n,d\n");
  auto ev = events_of(
      leads, "lead_id,type,timestamp\n1,open,2024-01-01\n7,open,2024-01-02\n2,open,not a date\n,open,2024-01-03\n");
  EXPECT_EQ(ev->matched, 2u);
  EXPECT_EQ(ev->unknown_leads, 1u);
  EXPECT_EQ(ev->unknown_ids, std::vector<std::string>{"7"});
  EXPECT_EQ(ev->missing_lead_id, 1u);
  EXPECT_EQ(ev->undated, 1u);
  bool dup = false, bad_date = false;
  for (const auto& p : ev->problems) {
    dup |= p.message.find("used by two leads") != std::string::npos && p.line == 4;
    bad_date |= p.line == 4 && p.field == "timestamp" && p.column == 3;
  }
  EXPECT_TRUE(dup) << "lead id 2 on lines 3 and 4 is reported";
  EXPECT_TRUE(bad_date) << "the unparsable timestamp is reported with its line and column";
  // The duplicate id's events go to the first lead with it.
  EXPECT_EQ(ev->end(1) - ev->begin(1), 1u);
  EXPECT_EQ(ev->end(2) - ev->begin(2), 0u);
  // Nothing is lost: all 4 events are kept (unknown and id-less ones after the leads' events).
  EXPECT_EQ(ev->rows(), 4u);
  EXPECT_EQ(ev->end(3), 2u);
}

TEST(EventLoad, ColumnsByNameAndFormats) {
  auto leads = leads_of("Email,Name\nann@x.io,Ann\nbo@x.io,Bo\n");
  // Defaults: 'email' is a lead id spelling, matched to the leads' Email column.
  auto ev = events_of(leads, "email,event,time\nbo@x.io,visit,2024-02-01T10:00:00+02:00\n");
  EXPECT_EQ(ev->lead_key_name, "Email");
  EXPECT_EQ(ev->matched, 1u);
  // Named columns, NDJSON.
  EventOptions o{"who", "Email", "what", "when"};
  auto ev2 = events_of(leads,
                       "{\"who\": \"ann@x.io\", \"what\": \"visit\", \"when\": \"2024-02-01\"}\n{\"who\": \"bo@x.io\", "
                       "\"what\": \"open\", \"when\": \"2024-02-02\"}\n",
                       o);
  EXPECT_EQ(ev2->matched, 2u);
  EXPECT_EQ(ev2->table().format, "ndjson");
  EXPECT_EQ(ev2->type_name, "what");
  // Missing columns: a clear error naming the option to set.
  try {
    events_of(leads, "lead,kind,ts\n1,a,2024-01-01\n");
    FAIL();
  } catch (const EventsError& e) {
    EXPECT_NE(std::string(e.what()).find("type (CLI --event-type)"), std::string::npos) << e.what();
  }
  try {
    events_of(leads, "lead_id,type,timestamp\n1,a,2024-01-01\n", EventOptions{"", "nope", "", ""});
    FAIL();
  } catch (const EventsError& e) {
    EXPECT_NE(std::string(e.what()).find("'nope'"), std::string::npos) << e.what();
  }
  // Numeric lead keys match ids written as text ("007" is 7 when the leads' ids are numbers).
  auto nleads = leads_of("id\n7\n8\n");
  auto ev3 = events_of(nleads, "lead_id,type,timestamp\n007,a,2024-01-01\n8.0,a,2024-01-01\n");
  EXPECT_EQ(ev3->matched, 2u);
  // Text keys match exactly (after trimming): "007" is not "7".
  auto sleads = leads_of("id\n007\nA7\n");
  auto ev4 = events_of(sleads, "lead_id,type,timestamp\n 007 ,a,2024-01-01\n7,a,2024-01-01\na7,a,2024-01-01\n");
  EXPECT_EQ(ev4->matched, 1u);
  EXPECT_EQ(ev4->unknown_leads, 2u);
}

TEST(EventScorer, AsOfIsRequiredAndEditsAreAtomic) {
  auto leads = leads_of(kLeads);
  auto ev = events_of(leads, kEvents);
  const char* rules =
      R"({"rules": [{"id": "opens", "group": "engagement", "points": 5, "events": {"type": "open", "within": 7}}]})";
  Scorer s(leads);
  s.set_events(ev);
  Diagnostic d = first_error([&] { s.set_rules(std::string(rules)); });
  EXPECT_EQ(d.code, "as_of");
  EXPECT_NE(d.message.find("--as-of"), std::string::npos);
  EXPECT_FALSE(s.has_rules());
  s.set_as_of(*parse_day("2024-03-31"));
  s.set_rules(std::string(rules));
  EXPECT_EQ(s.results().total, (std::vector<double>{5, 0, 0}));
  // Clearing the date under rules that need it fails and keeps everything.
  d = first_error([&] { s.set_as_of(std::nullopt); });
  EXPECT_EQ(d.code, "as_of");
  EXPECT_EQ(s.as_of(), parse_day("2024-03-31"));
  EXPECT_EQ(s.results().total, (std::vector<double>{5, 0, 0}));
  // A day later the open of the 30th is 2 days old (still in), a week later both are out.
  s.set_as_of(*parse_day("2024-04-07"));
  EXPECT_EQ(s.results().total, (std::vector<double>{0, 0, 0}));
  s.set_as_of(*parse_day("2024-04-05"));
  EXPECT_EQ(s.results().total, (std::vector<double>{5, 0, 0}));
  // Events of another lead table are refused, state unchanged.
  auto other = leads_of(kLeads);
  d = first_error([&] { s.set_events(events_of(other, kEvents)); });
  EXPECT_EQ(d.code, "events");
  EXPECT_EQ(s.events(), ev);
  // A where naming a column the events lack: error at the rule, nothing changes.
  d = first_error([&] {
    s.replace_rule(
        "opens",
        json::parse(
            R"({"id": "opens", "group": "engagement", "points": 1, "events": {"where": {"==": [{"var": "campain"}, "spring"]}}})"));
  });
  EXPECT_EQ(d.code, "unknown_field");
  EXPECT_EQ(d.path, "rules[0].events.where");
  EXPECT_EQ(d.rule_id, "opens");
  EXPECT_NE(d.message.find("did you mean 'campaign'"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("events"), std::string::npos) << d.message;
  EXPECT_EQ(s.rules().rules[0].points, 5);
  // Dedupe on a column the events lack.
  d = first_error([&] {
    s.replace_rule("opens",
                   json::parse(R"({"id": "opens", "group": "engagement", "points": 1, "events": {"dedupe": "mail"}})"));
  });
  EXPECT_EQ(d.path, "rules[0].events.dedupe");
  // Swapping the events for a set whose columns the rule needs fails; the old events stay.
  s.replace_rule(
      "opens",
      json::parse(
          R"({"id": "opens", "group": "engagement", "points": 1, "events": {"where": {"==": [{"var": "campaign"}, "spring"]}}})"));
  EXPECT_EQ(s.results().total, (std::vector<double>{1, 0, 0}));
  d = first_error([&] { s.set_events(events_of(leads, "lead_id,type,timestamp\n1,open,2024-03-30\n")); });
  EXPECT_EQ(d.code, "unknown_field");
  EXPECT_EQ(s.events(), ev);
  EXPECT_EQ(s.results().total, (std::vector<double>{1, 0, 0}));
}

TEST(EventScorer, WarningsForUnknownTypesMissingEventsAndFutureEvents) {
  auto leads = leads_of(kLeads);
  Scorer s(leads);
  s.set_as_of(*parse_day("2024-03-30"));
  auto has = [](const Diagnostics& ds, const std::string& code, const std::string& text) {
    for (const auto& d : ds)
      if (d.code == code && d.message.find(text) != std::string::npos) return true;
    return false;
  };
  Diagnostics w = s.set_rules(
      std::string(R"({"rules": [{"id": "o", "group": "engagement", "points": 5, "events": {"type": "opn"}}]})"));
  EXPECT_TRUE(has(w, "no_events", "no events are loaded"));
  w = s.set_events(events_of(leads, kEvents));
  EXPECT_TRUE(has(w, "unknown_event_type", "did you mean 'open'")) << w.size();
  EXPECT_TRUE(has(w, "future_events", "1 event(s) are dated after the as-of day 2024-03-30"));
}

TEST(EventScorer, ReScoringReusesWhatDidNotChange) {
  auto leads = leads_of(kLeads);
  auto ev = events_of(leads, kEvents);
  Scorer s(leads);
  s.set_as_of(*parse_day("2024-03-31"));
  s.set_events(ev);
  s.set_rules(std::string(R"({"rules": [
    {"id": "ceo", "points": 10, "when": {"==": [{"var": "title"}, "CEO"]}},
    {"id": "opens", "group": "engagement", "points": 5, "events": {"type": "open"}},
    {"id": "clicks", "group": "engagement", "points": 3, "events": {"type": "click", "within": 60}}]})"));
  EXPECT_EQ(s.results().total, (std::vector<double>{15, 3, 0}));
  // Editing one event rule evaluates that rule only (its lead condition is cached).
  s.replace_rule(
      "clicks",
      json::parse(
          R"({"id": "clicks", "group": "engagement", "points": 4, "events": {"type": "click", "within": 60}})"));
  EXPECT_EQ(s.last_evaluations(), 1u);
  EXPECT_EQ(s.results().total, (std::vector<double>{15, 4, 0}));
  // A new as-of day re-evaluates the event rules, not the lead conditions, and never the events.
  const size_t rows_before = ev->rows();
  s.set_as_of(*parse_day("2024-05-15"));  // the click is 75 days old now
  EXPECT_EQ(s.last_evaluations(), 2u);
  EXPECT_EQ(s.results().total, (std::vector<double>{15, 0, 0}));
  EXPECT_EQ(ev->rows(), rows_before);
}

// The scorer against a direct re-implementation (per lead, over the events in input order, no
// grouping, no caches) on random events and random event rules, with random edits and as-of
// days in between.
struct Ev {
  int lead;
  std::string type;
  long day;  // kUndated-like: LONG_MIN = none
  int key;   // dedupe key, -1 missing
};

double reference_points(const std::vector<Ev>& evs, int lead, long asof, const json& rule, const json& group_decay) {
  const json& e = rule["events"];
  std::vector<const Ev*> m;
  for (const auto& x : evs)
    if (x.lead == lead && x.day != LONG_MIN && x.day <= asof && (!e.contains("type") || x.type == e["type"]) &&
        (!e.contains("within") || asof - x.day < e["within"].get<long>()))
      m.push_back(&x);
  // newest first, ties by input order
  std::stable_sort(m.begin(), m.end(), [](const Ev* a, const Ev* b) { return a->day > b->day; });
  if (e.contains("dedupe")) {
    std::vector<const Ev*> kept;
    std::set<int> seen;
    for (auto* x : m)
      if (x->key < 0 || seen.insert(x->key).second) kept.push_back(x);
    m = kept;
  }
  long count = (long)m.size();
  bool pass = true;
  if (e.contains("count")) {
    const auto& c = e["count"];
    if (c.contains(">=")) pass = count >= c[">="].get<long>();
    if (c.contains("=")) pass = count == c["="].get<long>();
    if (c.contains("<=")) pass = count <= c["<="].get<long>();
    if (c.contains("between")) pass = c["between"][0].get<long>() <= count && count <= c["between"][1].get<long>();
  } else {
    pass = count >= 1;
  }
  if (!pass) return NAN;  // did not fire
  json decay = e.contains("decay") ? e["decay"] : group_decay;
  auto factor = [&](long age) {
    if (!decay.is_object()) return 1.0;
    if (decay.contains("expire") && age >= decay["expire"].get<long>()) return 0.0;
    if (decay.contains("halfLife")) return std::pow(0.5, age / decay["halfLife"].get<double>());
    if (decay.contains("linear"))
      return std::max(
          0.0, 1 - decay["linear"]["rate"].get<double>() * std::floor(age / decay["linear"]["period"].get<double>()));
    return 1.0;
  };
  const double p = rule["points"].get<double>();
  const std::string repeat = e.value("repeat", "once");
  if (repeat == "once") return m.empty() ? p : p * factor(asof - m[0]->day);
  double sum = 0;
  std::set<long> periods;
  for (auto* x : m) {
    long per = repeat == "daily"    ? x->day
               : repeat == "weekly" ? (long)std::floor((x->day + 3) / 7.0)
                                    : (long)periods.size();
    if (!periods.insert(per).second) continue;
    sum += p * factor(asof - x->day);
  }
  return sum;
}

TEST(EventScorer, DifferentialAgainstADirectImplementation) {
  std::mt19937 rng(20240331);
  auto pick = [&](int n) { return (int)(rng() % (unsigned)n); };
  const int L = 40;
  std::string leads_csv = "id\n";
  for (int i = 0; i < L; ++i) leads_csv += std::to_string(100 + i) + "\n";
  auto leads = leads_of(leads_csv);
  std::vector<Ev> evs;
  std::string ev_csv = "lead_id,type,timestamp,key\n";
  const long base = *parse_day("2024-01-01");
  const char* types[] = {"open", "click", "visit"};
  for (int k = 0; k < 900; ++k) {
    Ev x{pick(L + 3), types[pick(3)], pick(25) == 0 ? LONG_MIN : base + pick(120), pick(4) == 0 ? -1 : pick(6)};
    evs.push_back(x);
    ev_csv += std::to_string(100 + x.lead) + "," + x.type + "," + (x.day == LONG_MIN ? "" : day_text(x.day)) + "," +
              (x.key < 0 ? "" : "k" + std::to_string(x.key)) + "\n";
  }
  auto ev = events_of(leads, ev_csv);
  ASSERT_EQ(ev->unknown_leads, (size_t)std::count_if(evs.begin(), evs.end(), [&](const Ev& x) { return x.lead >= L; }));
  auto random_rule = [&](int id) {
    json e = json::object();
    if (pick(4)) e["type"] = types[pick(3)];
    if (pick(2)) e["within"] = 1 + pick(60);
    const char* rep[] = {"once", "every", "daily", "weekly"};
    e["repeat"] = rep[pick(4)];
    if (pick(3) == 0) e["dedupe"] = "key";
    switch (pick(5)) {
      case 0:
        e["count"] = {{">=", pick(5)}};
        break;
      case 1:
        e["count"] = {{"=", pick(4)}};
        break;
      case 2:
        e["count"] = {{"<=", pick(4)}};
        break;
      case 3: {
        int a = pick(4);
        e["count"] = {{"between", {a, a + pick(4)}}};
        break;
      }
      default:
        break;
    }
    switch (pick(5)) {
      case 0:
        e["decay"] = {{"halfLife", 1 + pick(30)}};
        break;
      case 1:
        e["decay"] = {{"linear", {{"rate", 0.05 * (1 + pick(10))}, {"period", 1 + pick(14)}}}};
        break;
      case 2:
        e["decay"] = {{"expire", 1 + pick(60)}};
        break;
      case 3:
        e["decay"] = {{"halfLife", 1 + pick(30)}, {"expire", 1 + pick(60)}};
        break;
      default:
        break;
    }
    return json{{"id", "r" + std::to_string(id)}, {"group", "engagement"}, {"points", 1 + pick(9)}, {"events", e}};
  };
  json group_decay = {{"halfLife", 20}};
  json rs = {{"groups", {{{"id", "engagement"}, {"decay", group_decay}}}}, {"rules", json::array()}};
  for (int r = 0; r < 12; ++r) rs["rules"].push_back(random_rule(r));
  Scorer s(leads);
  s.set_events(ev);
  s.set_as_of(base + 100);
  s.set_rules(parse_rule_set(rs));
  for (int round = 0; round < 25; ++round) {
    if (round % 3 == 0)
      s.set_as_of(base + 30 + pick(120));
    else {
      int k = pick(12);
      s.replace_rule("r" + std::to_string(k), random_rule(k));
    }
    const RuleSet& cur = s.rules();
    Scorer fresh(leads);
    fresh.set_events(ev);
    fresh.set_as_of(*s.as_of());
    fresh.set_rules(cur);
    ASSERT_EQ(fresh.results().total, s.results().total) << "incremental = fresh, round " << round;
    json rj = to_json(cur);
    for (int i = 0; i < L; ++i) {
      Ledger l = s.ledger(i);
      double sum = 0;
      for (const auto& rule : rj["rules"]) {
        double want = reference_points(evs, i, *s.as_of(), rule, group_decay);
        auto it = std::find_if(l.entries.begin(), l.entries.end(),
                               [&](const LedgerEntry& e) { return e.rule_id == rule["id"]; });
        ASSERT_EQ(it != l.entries.end(), !std::isnan(want))
            << "lead " << i << " rule " << rule.dump() << " round " << round;
        if (std::isnan(want)) continue;
        EXPECT_NEAR(it->effective, want, 1e-9) << "lead " << i << " rule " << rule.dump();
        sum += want;
      }
      EXPECT_NEAR(s.results().total[i], sum, 1e-9) << "lead " << i;
    }
  }
}

}  // namespace
}  // namespace test_events
}  // namespace leadscore
