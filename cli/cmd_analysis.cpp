// leadscore evaluate and leadscore compare: the rules against known outcomes, and two rule sets.
#include <cstdlib>
#include <iostream>
#include <optional>

#include "commands.h"
#include "inputs.h"
#include "leadscore/compare.h"
#include "leadscore/metrics.h"
#include "leadscore/outcomes.h"
#include "report_text.h"

namespace leadscore::cli {

using nlohmann::json;

namespace {

// --outcome COLUMN, or --outcomes FILE --lead-id COLUMN [--outcome-id COLUMN]: for `leads`.
Outcomes cli_outcomes(const Args& a, const Table& leads, std::shared_ptr<Table>& deals) {
  if (a.has("outcome")) return outcomes_from_column(leads, a.get("outcome"));
  if (!a.has("lead-id")) throw Usage("--outcomes needs --lead-id COLUMN (the leads' id column)");
  if (!deals) {
    Args plain = a;  // the deals file: its own delimiter, the date order of the leads
    plain.opt.erase("delimiter");
    deals = load_leads(plain, a.get("outcomes"), RuleSet{});
  }
  return outcomes_from_ids(leads, a.get("lead-id"), *deals, a.get_or("outcome-id", a.get("lead-id")));
}

std::string output_format(const Args& a) {
  std::string f = a.get_or("format", "text");
  if (f != "text" && f != "json") throw Usage("--format must be text or json");
  return f;
}

// --from T --to T2: the leads of one migration cell, by B's score.
void print_migration(const Args& a, const Scorer& sa, const Scorer& sb, const std::string& format) {
  auto leads = list_migration(sa, sb, a.get_or("kind", "tier"), a.get("from"), a.get("to"));
  if (format == "json") {
    json j = json::array();
    for (int32_t i : leads) j.push_back({{"lead", i + 1}, {"a", sa.results().total[i]}, {"b", sb.results().total[i]}});
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << leads.size() << " leads: " << a.get("from") << " under A, " << a.get("to")
            << " under B (by B's score)\n";
  for (int32_t i : leads)
    std::cout << "  lead " << i + 1 << ": " << num(sa.results().total[i]) << " -> " << num(sb.results().total[i])
              << "\n";
}

// Rule set B on A's leads: the same table unless B's field declarations load it differently.
Scorer scorer_b(const Args& a, const Scorer& sa, Diagnostics* warnings) {
  RuleSet rb = load_rules(a.get("rules-b"), warnings);
  json ja = to_json(sa.rules()), jb = to_json(rb);
  std::shared_ptr<const Table> tb = sa.table_ptr();
  if (ja.value("fields", json()) != jb.value("fields", json()) ||
      ja.value("missing", json()) != jb.value("missing", json()))
    tb = load_leads(a, a.get("leads"), rb);
  Scorer sb(tb);
  set_rules_or_skip(a, sb, rb, a.get("rules-b"), warnings, "rule set B does not fit these leads; nothing was compared");
  return sb;
}

}  // namespace

int cmd_evaluate(const Args& a) {
  if (!a.has("outcome") && !a.has("outcomes"))
    throw Usage("evaluate needs --outcome COLUMN or --outcomes FILE --lead-id COLUMN");
  const std::string format = output_format(a);
  EvaluateOptions opt;
  if (a.has("capacity")) opt.capacity = Capacity::parse_text(a.get("capacity"));
  Diagnostics warnings;
  Scorer s = make_scorer(a, &warnings);
  std::shared_ptr<Table> deals;
  Outcomes o = cli_outcomes(a, s.table(), deals);
  json rep = evaluate(s, o, opt);
  rep["outcomes"] = to_json(o);
  if (format == "json")
    std::cout << rep.dump(2) << "\n";
  else
    std::cout << outcomes_text(rep["outcomes"]) << evaluation_text(rep);
  return 0;
}

int cmd_compare(const Args& a) {
  const std::string format = output_format(a);
  a.get("rules-b");
  CompareOptions opt;
  if (a.has("capacity")) opt.capacity = Capacity::parse_text(a.get("capacity"));
  if (a.has("movers")) {
    char* end = nullptr;
    long m = std::strtol(a.get("movers").c_str(), &end, 10);
    if (a.get("movers").empty() || *end || m < 0) throw Usage("--movers takes a number of leads (0 or more)");
    opt.movers = (size_t)m;
  }
  Diagnostics warnings;
  Scorer sa = make_scorer(a, &warnings);
  Scorer sb = scorer_b(a, sa, &warnings);
  std::shared_ptr<Table> deals;
  std::optional<Outcomes> oa, ob;
  if (a.has("outcome") || a.has("outcomes")) {
    oa = cli_outcomes(a, sa.table(), deals);
    if (&sb.table() != &sa.table()) ob = cli_outcomes(a, sb.table(), deals);
    opt.outcomes = &*oa;
    opt.outcomes_b = ob ? &*ob : nullptr;
  }
  if (a.has("from") || a.has("to")) {
    print_migration(a, sa, sb, format);
    return 0;
  }
  json rep = compare(sa, sb, opt);
  if (oa) rep["outcomes"] = to_json(*oa);
  if (format == "json")
    std::cout << rep.dump(2) << "\n";
  else
    std::cout << (oa ? outcomes_text(rep["outcomes"]) : "") << comparison_text(rep);
  return 0;
}

}  // namespace leadscore::cli
