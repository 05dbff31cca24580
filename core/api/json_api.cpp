// The core's JSON face (include/leadscore/json_api.h): option parsing, result and error shapes
// shared by the WebAssembly bindings and the CLI.
#include "leadscore/json_api.h"

#include <algorithm>
#include <new>
#include <stdexcept>

#include "leadscore/event_rules.h"
#include "leadscore/jsonlogic.h"
#include "leadscore/limits.h"
#include "leadscore/metrics.h"
#include "leadscore/rules.h"

namespace leadscore {

using nlohmann::json;

namespace {

json error_with_place(const std::string& code, const std::string& message, size_t line, size_t column,
                      const std::string& field) {
  json err = {{"code", code}, {"message", message}};
  if (line) err["line"] = line, err["column"] = column;
  if (!field.empty()) err["field"] = field;
  return err;
}

json problems_json(const std::vector<LoadProblem>& ps) {
  json out = json::array();
  for (const auto& p : ps) {
    json j = {{"line", p.line}, {"message", p.message}};
    if (p.column) j["column"] = p.column;
    if (!p.field.empty()) j["field"] = p.field;
    out.push_back(j);
  }
  return out;
}

}  // namespace

json error_json(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const RuleSetError& x) {
    json err = to_json(x.first_error());
    err["diagnostics"] = to_json(x.diagnostics);
    return err;
  } catch (const LoadError& x) {
    return error_with_place(x.code, x.what(), x.line, x.column, x.field);
  } catch (const EventsError& x) {
    return {{"code", "events"}, {"message", x.what()}};
  } catch (const jsonlogic::EvalError& x) {
    return {{"code", "eval"}, {"message", x.what()}, {"type", x.type}};
  } catch (const jsonlogic::LogicError& x) {
    return {{"code", "logic"}, {"message", x.what()}, {"operator", x.op}, {"path", x.path}};
  } catch (const MetricsError& x) {
    return error_with_place(x.code, x.what(), 0, 0, x.field);
  } catch (const json::exception& x) {
    return {{"code", "json"}, {"message", std::string("invalid JSON: ") + x.what()}};
  } catch (const std::bad_alloc&) {
    return {{"code", "memory"},
            {"message",
             "out of memory: the data is too large for this browser tab; try the native CLI (leadscore score) for "
             "files this size"}};
  } catch (const ExportError& x) {
    return {{"code", "export"}, {"message", x.what()}};
  } catch (const std::exception& x) {
    return {{"code", "internal"}, {"message", x.what()}};
  } catch (...) {
    return {{"code", "internal"}, {"message", "unknown error"}};
  }
}

ExportOptions export_options_from_json(const json& o) {
  ExportOptions e;
  if (o.is_null()) return e;
  if (!o.is_object()) throw ExportError("export options must be an object");
  e.reasons = o.value("reasons", true);
  if (o.contains("keep")) e.keep = o["keep"].get<std::vector<std::string>>();
  if (o.contains("add")) e.add = o["add"].get<std::vector<std::string>>();
  if (o.contains("rename")) e.rename = o["rename"].get<std::map<std::string, std::string>>();
  return e;
}

LoadOptions load_options_from_json(const json& o) {
  LoadOptions opts;
  if (o.contains("rules") && !o["rules"].is_null()) {
    const json& r = o["rules"];
    opts = (r.is_string() ? parse_rule_set(r.get<std::string>()) : parse_rule_set(r)).load_options();
  }
  if (o.contains("format")) opts.format = o["format"].get<std::string>();
  if (o.contains("delimiter")) {
    std::string d = o["delimiter"].get<std::string>();
    if (d.size() > 1) throw LoadError("delimiter must be one character, got '" + d + "'");
    opts.delimiter = d.empty() ? 0 : d[0];
  }
  if (o.contains("missing")) opts.missing = o["missing"].get<std::vector<std::string>>();
  if (o.contains("dateOrder")) {
    const std::string d = o["dateOrder"];
    opts.date_order = d == "DMY"   ? LoadOptions::DateOrder::DMY
                      : d == "MDY" ? LoadOptions::DateOrder::MDY
                                   : LoadOptions::DateOrder::Auto;
  }
  if (o.contains("decimal")) {
    const std::string d = o["decimal"];
    if (d != "." && d != "," && d != "auto")
      throw LoadError("decimal must be \".\", \",\" or \"auto\", got '" + d + "'");
    opts.decimal = d == "auto" ? 0 : d[0];
  }
  opts.max_problems = o.value("maxProblems", (size_t)1000);
  // Beyond this, the native CLI is the tool (docs/limits.md); maxBytes: 0 lifts the limit.
  opts.max_bytes = o.value("maxBytes", (uint64_t)kBrowserMaxBytes);
  opts.size_hint = o.value("sizeHint", (uint64_t)0);  // the input's size when known (a File's): see LoadOptions
  if (o.contains("fields")) {
    // {"name": {"type": "number", "aliases": [...], "missing": [...]}}: same shape as in a rule set
    RuleSet rs = parse_rule_set(json{{"rules", json::array()}, {"fields", o["fields"]}});
    for (auto& f : rs.fields) {
      auto it =
          std::find_if(opts.fields.begin(), opts.fields.end(), [&](const FieldSpec& x) { return x.name == f.name; });
      if (it != opts.fields.end())
        *it = f;
      else
        opts.fields.push_back(f);
    }
  }
  return opts;
}

EventOptions event_options_from_json(const json& o) {
  EventOptions e;
  for (auto [key, dst] : {std::pair<const char*, std::string*>{"leadId", &e.lead_id},
                          {"leadKey", &e.lead_key},
                          {"type", &e.type},
                          {"timestamp", &e.timestamp}})
    if (o.contains(key) && o[key].is_string()) *dst = o[key].get<std::string>();
  return e;
}

json table_info_json(const Table& t) {
  json cols = json::array();
  for (const auto& c : t.columns) {
    json j = {{"name", c.name}, {"header", c.header}, {"type", to_string(c.type)}};
    j["missing"] = c.missing(t.rows);
    if (c.type == ColumnType::String) j["distinct"] = c.dict.size();
    cols.push_back(j);
  }
  return {{"rows", t.rows},
          {"format", t.format},
          {"delimiter", t.delimiter ? std::string(1, t.delimiter) : ""},
          {"columns", cols},
          {"problems", problems_json(t.problems)}};
}

json events_info_json(const Events& e) {
  json j = table_info_json(e.table());
  // The load's and the join's problems, in input-line order (one without a line last).
  std::vector<LoadProblem> ps = e.problems;
  std::stable_sort(ps.begin(), ps.end(), [](const LoadProblem& a, const LoadProblem& b) {
    return (a.line ? a.line : SIZE_MAX) < (b.line ? b.line : SIZE_MAX);
  });
  j["problems"] = problems_json(ps);
  json types = json::array();
  for (const auto& [t, c] : e.type_counts) types.push_back({{"type", t}, {"count", c}});
  j.update({{"leadId", e.lead_id_name},
            {"leadKey", e.lead_key_name},
            {"type", e.type_name},
            {"timestamp", e.timestamp_name},
            {"matched", e.matched},
            {"unknownLeads", e.unknown_leads},
            {"unknownLeadIds", e.unknown_ids},
            {"missingLeadId", e.missing_lead_id},
            {"undated", e.undated},
            {"leadsWithEvents", e.leads_with_events},
            {"types", types}});
  if (e.rows() > e.undated) j["firstDay"] = day_text(e.first_day), j["lastDay"] = day_text(e.last_day);
  return j;
}

json scorer_state_json(const Scorer& s) {
  json stats = json::array();
  for (const auto& st : s.stats()) {
    json j = {{"id", st.id}, {"enabled", st.enabled}, {"fired", st.fired}, {"errors", st.errors}, {"plan", st.plan}};
    if (st.errors) j["firstError"] = st.first_error, j["firstErrorRow"] = st.first_error_row;
    stats.push_back(j);
  }
  return {{"rules", to_json(s.rules())},
          {"stats", stats},
          {"warnings", to_json(s.warnings())},
          {"evaluated", s.last_evaluations()},
          {"asOf", s.as_of() ? json(day_text(*s.as_of())) : json(nullptr)}};
}

json summary_json(const Scorer& s, size_t bins) {
  // From the scorer's exact counts of the totals when it has them (kept up to date by one-rule
  // edits): no pass over the leads.
  const Summary sm = summarize(s, bins);
  const RuleSet& rs = s.rules();
  json tiers = json::array();
  for (size_t k = 0; k < rs.tiers.size(); ++k) tiers.push_back({{"name", rs.tiers[k].name}, {"count", sm.tiers[k]}});
  return {{"rows", sm.rows}, {"tiers", tiers},  {"salesReady", sm.sales_ready}, {"min", sm.min},
          {"max", sm.max},   {"mean", sm.mean}, {"histogram", sm.histogram}};
}

json row_json_checked(const Table& t, double lead) {
  if (!(lead >= 0 && lead < (double)t.rows))
    throw std::out_of_range("lead " + std::to_string((long long)lead) + " is out of range (0.." +
                            std::to_string(t.rows) + ")");
  const size_t r = (size_t)lead;
  return {{"row", t.row_json(r)}, {"line", r < t.row_line.size() ? t.row_line[r] : 0}};
}

json limits_json() {
  return {{"maxBytes", kBrowserMaxBytes},
          {"maxCellBytes", kMaxCellBytes},
          {"maxColumns", kMaxColumns},
          {"maxJsonDepth", kMaxJsonDepth},
          {"maxRuleSetBytes", kMaxRuleSetBytes},
          {"maxRules", kMaxRules},
          {"maxConditionDepth", kMaxConditionDepth},
          {"maxPoints", kMaxPoints},
          {"maxUnitPoints", kMaxUnitPoints},
          {"maxBins", kMaxBins}};
}

json parse_json_text(const std::string& text, const std::string& what) {
  if (text.size() > kMaxRuleSetBytes) throw LoadError("limit", too_large_message(what, text.size()), 0, 0);
  if (json_text_depth(text, kMaxJsonDepth, nullptr) > kMaxJsonDepth)
    throw LoadError("limit",
                    what + " nests more than " + format_count(kMaxJsonDepth) + " levels deep; the limit is " +
                        format_count(kMaxJsonDepth),
                    0, 0);
  try {
    return json::parse(text);
  } catch (const json::out_of_range&) {
    throw LoadError("json", what + " holds a number too large to be finite", 0, 0);
  } catch (const json::parse_error& e) {
    auto [line, col] = line_column(text, e.byte ? e.byte - 1 : 0);
    throw LoadError("json",
                    what + " is not valid JSON (line " + std::to_string(line) + ", column " + std::to_string(col) + ")",
                    line, col);
  }
}

}  // namespace leadscore
