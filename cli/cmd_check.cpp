// leadscore check (text or JSON) and leadscore apply.
#include <exception>
#include <iostream>

#include "commands.h"
#include "inputs.h"
#include "leadscore/json_api.h"
#include "leadscore/jsonlogic.h"

namespace leadscore::cli {

using nlohmann::json;

namespace {

// What check found, for either output: the rule set, every diagnostic, and with leads the
// scorer (per-rule plans and fired counts). `error` is set when the check failed.
struct CheckResult {
  std::optional<RuleSet> rules;
  Diagnostics diagnostics;
  std::shared_ptr<Table> leads;
  std::optional<Scorer> scorer;
  std::exception_ptr error;
};

CheckResult run_check(const Args& a) {
  CheckResult c;
  try {
    c.rules = parse_rule_set(read_input(a.get("rules")), &c.diagnostics);
    if (!a.has("leads")) return c;
    c.leads = load_leads(a, a.get("leads"), *c.rules);
    c.scorer.emplace(c.leads);
    attach_events(a, *c.scorer, c.leads);
    auto w = c.scorer->set_rules(*c.rules);
    c.diagnostics.insert(c.diagnostics.end(), w.begin(), w.end());
  } catch (const Usage&) {
    throw;
  } catch (const RuleSetError& e) {
    c.diagnostics.insert(c.diagnostics.end(), e.diagnostics.begin(), e.diagnostics.end());
    c.error = std::current_exception();
  } catch (const std::exception&) {
    c.error = std::current_exception();
  }
  return c;
}

json check_json(const Args& a, const CheckResult& c) {
  json j = {{"ok", !c.error}, {"rulesFile", shown(a.get("rules"))}, {"diagnostics", to_json(c.diagnostics)}};
  if (c.error) {
    j["error"] = error_json(c.error);
    j["error"].erase("diagnostics");  // the same list as j["diagnostics"]
  }
  if (c.rules) {
    j["ruleSet"] = {{"name", c.rules->name},
                    {"rules", c.rules->rules.size()},
                    {"groups", c.rules->groups.size()},
                    {"tiers", c.rules->tiers.size()}};
    json rules = json::array();  // per rule: as written, and with leads its plan and counts
    for (const auto& r : c.rules->rules)
      rules.push_back({{"id", r.id}, {"group", r.group}, {"points", r.points}, {"enabled", r.enabled}});
    j["rules"] = rules;
  }
  if (c.leads)
    j["leads"] = {{"file", shown(a.get("leads"))}, {"rows", c.leads->rows}, {"columns", c.leads->columns.size()}};
  if (c.scorer && c.scorer->has_rules() && !c.error) {
    json state = scorer_state_json(*c.scorer);
    for (size_t i = 0; i < j["rules"].size() && i < state["stats"].size(); ++i) j["rules"][i].update(state["stats"][i]);
    j["warnings"] = state["warnings"];
    j["asOf"] = state["asOf"];
  }
  return j;
}

void print_check_text(const Args& a, const CheckResult& c) {
  const RuleSet& rs = *c.rules;
  std::cout << shown(a.get("rules")) << ": " << (rs.name.empty() ? "rule set" : "'" + rs.name + "'") << ", "
            << rs.rules.size() << " rules in " << rs.groups.size() << " groups, " << rs.tiers.size() << " tiers\n";
  if (c.scorer && !c.error) {
    std::cout << shown(a.get("leads")) << ": " << c.leads->rows << " leads, " << c.leads->columns.size()
              << " columns\n";
    for (const auto& st : c.scorer->stats())
      std::cout << "  " << st.id << (st.enabled ? "" : " (disabled)") << ": fires on " << st.fired
                << (st.errors ? ", errors on " + std::to_string(st.errors) : "") << "   [" << st.plan << "]\n";
  }
}

}  // namespace

int cmd_check(const Args& a) {
  const std::string format = a.has("json") ? "json" : a.get_or("format", "text");
  if (format != "text" && format != "json") throw Usage("--format must be text or json");
  if (a.has("json") && a.has("format") && a.get("format") != "json") throw Usage("--json and --format text disagree");
  a.get("rules");
  const CheckResult c = run_check(a);
  if (format == "json") {
    std::cout << check_json(a, c).dump(2) << "\n";
    return c.error ? 1 : 0;
  }
  print_diagnostics(c.diagnostics, a.get("rules"));
  if (c.error) {
    try {
      std::rethrow_exception(c.error);
    } catch (const RuleSetError&) {
      return 1;  // its diagnostics are printed above
    }
  }
  print_check_text(a, c);
  std::cout << (c.diagnostics.empty() ? "ok\n" : "ok, with " + std::to_string(c.diagnostics.size()) + " warning(s)\n");
  return 0;
}

int cmd_apply(const Args& a) {
  if (a.pos.size() != 2) throw Usage("apply takes two arguments: LOGIC DATA");
  if (a.pos[0] == "-" && a.pos[1] == "-") throw Usage("only one of LOGIC and DATA can be - (standard input)");
  const json logic = parse_json_text(read_arg(a.pos[0]), "LOGIC");
  const json data = parse_json_text(read_arg(a.pos[1]), "DATA");
  try {
    std::cout << jsonlogic::apply(logic, data).dump() << "\n";
  } catch (const jsonlogic::EvalError& e) {
    throw std::runtime_error(std::string("evaluation error: ") + e.what());
  } catch (const jsonlogic::LogicError& e) {
    throw std::runtime_error(std::string("invalid logic: ") + e.what());
  }
  return 0;
}

}  // namespace leadscore::cli
