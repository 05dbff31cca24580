// Event fixtures worked out by hand (tests/fixtures/events/<name>/hand.json; see its README):
// every count operator, repeat mode, decay form, window edge, age 0, future-dated and undated
// events, unknown lead ids, bands, computed days-since / event-count fields. The same files are
// checked through the WebAssembly API by tests/js/wasm-events.test.mjs.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "leadscore/events.h"
#include "leadscore/rules.h"
#include "leadscore/scorer.h"
#include "leadscore/table.h"
#include "test_util.h"

namespace leadscore {
namespace test_events_golden {  // own namespace: the unity build compiles several test files as one
namespace {

using nlohmann::json;
using test::read_file;
using test::source_path;

const std::string kDir = "tests/fixtures/events";

bool close(double a, double b) { return std::fabs(a - b) <= 1e-12 * std::max({1.0, std::fabs(a), std::fabs(b)}); }

struct Loaded {
  RuleSet rs;
  std::shared_ptr<Table> leads;
  std::shared_ptr<Events> events;
};

Loaded load_fixture(const std::string& name) {
  Loaded f;
  const std::string dir = kDir + "/" + name + "/";
  f.rs = parse_rule_set(read_file(source_path(dir + "rules.json")));
  f.leads = std::make_shared<Table>(load_table(read_file(source_path(dir + "leads.csv")), f.rs.load_options()));
  Table ev = load_table(read_file(source_path(dir + "events.csv")), event_load_options({}));
  f.events = std::make_shared<Events>(f.leads, std::move(ev), EventOptions{});
  return f;
}

void check_fixture(const std::string& name) {
  SCOPED_TRACE("fixture " + name);
  const json hand = json::parse(read_file(source_path(kDir + "/" + name + "/hand.json")));
  Loaded f = load_fixture(name);
  for (const auto& p : f.leads->problems) ADD_FAILURE() << "lead load problem line " << p.line << ": " << p.message;

  // What the join reports.
  const json& info = hand.at("info");
  const Events& ev = *f.events;
  EXPECT_EQ(ev.rows(), info.at("rows").get<size_t>());
  EXPECT_EQ(ev.matched, info.at("matched").get<size_t>());
  EXPECT_EQ(ev.unknown_leads, info.at("unknownLeads").get<size_t>());
  EXPECT_EQ(ev.missing_lead_id, info.at("missingLeadId").get<size_t>());
  EXPECT_EQ(ev.undated, info.at("undated").get<size_t>());
  EXPECT_EQ(ev.leads_with_events, info.at("leadsWithEvents").get<size_t>());
  if (info.contains("unknownLeadIds")) {
    EXPECT_EQ(ev.unknown_ids, info.at("unknownLeadIds").get<std::vector<std::string>>());
  }
  if (info.contains("types")) {
    json types = json::array();
    for (const auto& [t, c] : ev.type_counts) types.push_back({{"type", t}, {"count", c}});
    EXPECT_EQ(types, info.at("types"));
  }
  if (info.contains("firstDay")) {
    EXPECT_EQ(day_text(ev.first_day), info.at("firstDay").get<std::string>());
    EXPECT_EQ(day_text(ev.last_day), info.at("lastDay").get<std::string>());
  }
  if (info.contains("problemLines")) {
    std::set<size_t> lines;
    for (const auto& p : ev.problems) lines.insert(p.line);
    EXPECT_EQ(lines, info.at("problemLines").get<std::set<size_t>>()) << "lines of the events' problems";
  }

  Scorer s(f.leads);
  auto day = parse_day(hand.at("asOf").get<std::string>());
  ASSERT_TRUE(day);
  s.set_as_of(*day);
  s.set_events(f.events);
  try {
    s.set_rules(f.rs);
  } catch (const RuleSetError& e) {
    FAIL() << "rules rejected: " << e.first_error().to_string();
  }
  const json& leads = hand.at("leads");
  ASSERT_EQ(leads.size(), f.leads->rows);
  const RuleSet& rs = s.rules();
  for (size_t i = 0; i < leads.size(); ++i) {
    SCOPED_TRACE("lead " + std::to_string(i) + ": " + leads[i].at("why").get<std::string>());
    const json& want = leads[i];
    EXPECT_TRUE(close(s.results().total[i], want.at("total").get<double>())) << "total " << s.results().total[i];
    for (size_t g = 0; g < rs.groups.size(); ++g)
      EXPECT_TRUE(close(s.results().groups[g][i], want.at("groups").at(rs.groups[g].id).get<double>()))
          << "group " << rs.groups[g].id;
    Ledger l = s.ledger(i);
    json lj = to_json(l);
    EXPECT_TRUE(close(lj.at("total").get<double>(), want.at("total").get<double>()));
    if (want.contains("groupSum")) {
      EXPECT_TRUE(close(lj.at("groups")[0].at("sum").get<double>(), want.at("groupSum").get<double>()));
      EXPECT_EQ(lj.at("groups")[0].value("clipped", ""), want.at("groupClipped").get<std::string>());
    }
    // Exactly the rules hand.json lists fired, with the fields it gives.
    std::set<std::string> fired, expected;
    for (const auto& e : lj.at("rules")) fired.insert(e.at("id").get<std::string>());
    for (auto it = want.at("rules").begin(); it != want.at("rules").end(); ++it) expected.insert(it.key());
    EXPECT_EQ(fired, expected) << "rules that fired";
    for (const auto& e : lj.at("rules")) {
      const std::string id = e.at("id");
      if (!want.at("rules").contains(id)) continue;
      SCOPED_TRACE("rule " + id + ": " + e.dump());
      const json& w = want.at("rules").at(id);
      for (auto it = w.begin(); it != w.end(); ++it) {
        const std::string& k = it.key();
        if (k == "note") {
          EXPECT_TRUE(e.contains("note"));
          continue;
        }
        ASSERT_TRUE(e.contains(k)) << "ledger entry has no '" << k << "'";
        if (it->is_number())
          EXPECT_TRUE(close(e.at(k).get<double>(), it->get<double>())) << k << " = " << e.at(k) << ", by hand " << *it;
        else
          EXPECT_EQ(e.at(k), *it) << k;
      }
      // Fields the hand computation says are absent (0 future / undated) are absent.
      for (const char* k : {"future", "undated"})
        if (!w.contains(k)) {
          EXPECT_FALSE(e.contains(k)) << k;
        }
      // The ledger's arithmetic: points = clamp(effective) by the rule's bounds.
      if (e.contains("effective")) {
        const Rule& r = rs.rules[rs.rule_index(id)];
        EXPECT_DOUBLE_EQ(e.at("points").get<double>(), r.bounds.clamp(e.at("effective").get<double>()));
      }
    }
    double sum = 0;
    for (size_t g = 0; g < l.groups.size(); ++g) {
      double gs = 0;
      for (const auto& e : l.entries)
        if (e.group == l.groups[g].id) gs += e.points;
      EXPECT_DOUBLE_EQ(l.groups[g].sum, gs);
      EXPECT_DOUBLE_EQ(l.groups[g].score, rs.groups[g].bounds.clamp(gs));
      sum += l.groups[g].score;
    }
    EXPECT_DOUBLE_EQ(l.total, rs.total.clamp(sum));
    // Computed fields, as rules see them.
    json row = s.table().row_json(i);
    if (want.contains("computed"))
      for (auto it = want.at("computed").begin(); it != want.at("computed").end(); ++it) {
        ASSERT_TRUE(row.contains(it.key())) << "computed field " << it.key();
        EXPECT_EQ(row.at(it.key()).get<double>(), it->get<double>()) << it.key();
      }
    if (want.contains("missingComputed")) {
      for (const auto& k : want.at("missingComputed"))
        EXPECT_FALSE(row.contains(k.get<std::string>())) << k << " should be missing";
    }
  }
}

TEST(EventsGolden, EveryFixtureMatchesTheHandComputation) {
  json names = json::parse(read_file(source_path(kDir + "/index.json")));
  ASSERT_GE(names.size(), 4u);
  for (const auto& n : names) check_fixture(n.get<std::string>());
}

// The fixtures again, but built the way an editor builds them: rules first, then the events,
// then the as-of day (each step re-scores); the result equals the one-step build.
TEST(EventsGolden, OrderOfSettingRulesEventsAndAsOfDoesNotMatter) {
  json names = json::parse(read_file(source_path(kDir + "/index.json")));
  for (const auto& n : names) {
    SCOPED_TRACE(n.get<std::string>());
    Loaded f = load_fixture(n.get<std::string>());
    const json hand = json::parse(read_file(source_path(kDir + "/" + n.get<std::string>() + "/hand.json")));
    long day = *parse_day(hand.at("asOf").get<std::string>());
    Scorer a(f.leads);
    a.set_as_of(day - 40);  // some other day first
    a.set_rules(f.rs);
    a.set_events(f.events);
    a.set_as_of(day);
    Scorer b(f.leads);
    b.set_events(f.events);
    b.set_as_of(day);
    b.set_rules(f.rs);
    EXPECT_EQ(a.results().total, b.results().total);
    for (size_t i = 0; i < f.leads->rows; ++i) EXPECT_EQ(to_json(a.ledger(i)), to_json(b.ledger(i)));
  }
}

}  // namespace
}  // namespace test_events_golden
}  // namespace leadscore
