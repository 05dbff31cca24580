// The visitor build's boundary (docs/embed.md): score ONE website visitor with the same core as
// the workbench, from a rule set, the properties the site knows about the visitor and the
// engagement events recorded in the visitor's own browser.
//
// A plain C ABI with JSON text in and out instead of Embind: the visitor build has a 60 KB
// (gzipped, JS + wasm) budget on a marketing page, and Embind's registry and its JS half cost
// more than this whole boundary (bench/EMBED.md). One call does everything; nothing is kept
// between calls, so there is no handle to free.
//
//   ls_visitor_score(request) -> response, both UTF-8 JSON texts (NUL-terminated)
//   request:  {rules, properties: {field: value}, events: [{type, timestamp, ...}], asOf: "YYYY-MM-DD"}
//   response: {ok: true, score, tier, action, salesReady, cell, groups: {id: score}, ledger,
//              skipped: [{ruleId, field}], warnings: [...], tierIndex, tiers: [{name, min}],
//              salesReadyMin} or {ok: false, error: {...}}
// The response lives in wasm memory until the next call (ls_visitor_free or the next score).
#include <cstdlib>
#include <memory>
#include <string>

#include "leadscore/events.h"
#include "leadscore/json_api.h"
#include "leadscore/rules.h"
#include "leadscore/scorer.h"
#include "leadscore/table.h"

using leadscore::EventOptions;
using leadscore::Events;
using leadscore::Scorer;
using leadscore::Table;
using nlohmann::json;

namespace {

// Column names the visitor's one-row lead table and its events are joined on; the events file a
// visitor exports (leadscore.export()) uses the same names, so the CLI joins them identically.
constexpr const char* kVisitorKey = "lead_id";
constexpr const char* kVisitorId = "visitor";

std::string g_response;

// The properties as one lead: a JSON array with one object, read by the same loader as any
// lead file, with the rule set's field declarations (aliases, types, missing tokens).
std::shared_ptr<const Table> visitor_table(const leadscore::RuleSet& rules, const json& properties) {
  json row = properties.is_object() ? properties : json::object();
  row[kVisitorKey] = kVisitorId;
  leadscore::LoadOptions opts = rules.load_options();
  opts.format = "json";
  return std::make_shared<Table>(leadscore::load_table(json::array({row}).dump(), opts));
}

std::shared_ptr<const Events> visitor_events(const std::shared_ptr<const Table>& leads, const json& events) {
  if (!events.is_array() || events.empty()) return nullptr;
  json rows = json::array();
  for (const json& e : events) {
    if (!e.is_object()) continue;
    json r = e;
    r[kVisitorKey] = kVisitorId;
    rows.push_back(std::move(r));
  }
  if (rows.empty()) return nullptr;
  EventOptions eo;
  eo.lead_id = eo.lead_key = kVisitorKey;
  eo.type = "type";
  eo.timestamp = "timestamp";
  leadscore::LoadOptions base;
  base.format = "json";
  return std::make_shared<Events>(leads, leadscore::load_table(rows.dump(), leadscore::event_load_options(eo, base)),
                                  eo);
}

json score(const json& req) {
  // The rule set is parsed once (the -Oz build pays for every JSON pass: bench/EMBED.md).
  const json& given = req.at("rules");
  leadscore::Diagnostics warnings;
  const leadscore::RuleSet rules = given.is_string() ? leadscore::parse_rule_set(given.get<std::string>(), &warnings)
                                                     : leadscore::parse_rule_set(given, &warnings);
  auto leads = visitor_table(rules, req.value("properties", json::object()));
  Scorer scorer(leads);
  if (auto ev = visitor_events(leads, req.value("events", json::array()))) scorer.set_events(ev);
  scorer.set_as_of(req.value("asOf", std::string()));
  std::vector<leadscore::SkippedRule> skipped;
  const leadscore::Diagnostics scored = scorer.set_rules(rules, &skipped);
  warnings.insert(warnings.end(), scored.begin(), scored.end());
  const leadscore::Ledger l = scorer.ledger(0);
  json groups = json::object();
  for (const auto& g : l.groups) groups[g.id] = g.score;
  json tiers = json::array();  // highest first, as Results::tier indexes them
  for (const auto& t : scorer.rules().tiers)
    tiers.push_back({{"name", t.name}, {"min", t.min ? json(*t.min) : json()}});
  const auto& sales_ready = scorer.rules().sales_ready;
  json skip = json::array();
  for (const auto& s : skipped) skip.push_back({{"ruleId", s.rule_id}, {"field", s.field}});
  json out = {{"ok", true}, {"score", l.total}, {"tier", l.tier}, {"action", l.action}, {"cell", l.cell}};
  out["salesReady"] = l.sales_ready;
  out["salesReadyMin"] = sales_ready ? json(*sales_ready) : json();
  out["tierIndex"] = scorer.results().tier[0];
  out["tiers"] = std::move(tiers);
  out["groups"] = std::move(groups);
  out["ledger"] = to_json(l);
  out["skipped"] = std::move(skip);
  out["warnings"] = to_json(warnings);
  return out;
}

}  // namespace

extern "C" {

const char* ls_visitor_score(const char* request) {
  try {
    g_response = score(json::parse(request)).dump(-1, ' ', false, json::error_handler_t::replace);
  } catch (...) {
    g_response = json{{"ok", false}, {"error", leadscore::error_json(std::current_exception())}}.dump(
        -1, ' ', false, json::error_handler_t::replace);
  }
  return g_response.c_str();
}

void ls_visitor_free() { std::string().swap(g_response); }

}  // extern "C"
