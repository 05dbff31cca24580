// leadscore — the native command line: score big files, check rule sets, explain a lead,
// evaluate JsonLogic. Same core as the page; no Emscripten here.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "leadscore/compare.h"
#include "leadscore/export.h"
#include "leadscore/json_api.h"
#include "leadscore/jsonlogic.h"
#include "leadscore/limits.h"
#include "leadscore/metrics.h"
#include "leadscore/rules.h"
#include "leadscore/scorer.h"
#include "leadscore/table.h"
#include "report_text.h"

using namespace leadscore;
using nlohmann::json;

namespace {

const char* kUsage = R"(leadscore — explainable lead scoring (native CLI)

usage:
  leadscore score   --rules R --leads L [EVENTS] [--format csv|json|ndjson] [--out F] [--no-reasons]
  leadscore explain --rules R --leads L [EVENTS] --lead N|top [--format text|json]
  leadscore check   --rules R [--leads L [EVENTS]]
  leadscore evaluate --rules R --leads L OUTCOMES [--capacity C] [--format text|json]
  leadscore compare --rules R --rules-b R2 --leads L [OUTCOMES] [--capacity C] [--movers N]
                    [--from T --to T2 [--kind tier|cell]] [--format text|json]
  leadscore apply   LOGIC DATA
  leadscore version

  R       a rule set (JSON; see docs/rules.md)
  L       leads as CSV/TSV (delimiter detected), a JSON array of objects, or NDJSON
  N       the lead's number: 1 for the first data row; 'top' for the highest score
  OUTCOMES  --outcome COLUMN (yes/no, 1/0, true/false, won/lost in a column of L), or
          --outcomes DEALS --lead-id COLUMN [--outcome-id COLUMN]: a lead converted when its
          id appears in DEALS (a second file, e.g. a CRM's closed deals; docs/metrics.md)
  C       how many leads sales can take: a count (500) or a share (10%)
  EVENTS  --events E --as-of YYYY-MM-DD: activity events (CSV/TSV/JSON/NDJSON: lead id, type,
          timestamp, properties) and the day every time computation is against (rules with
          'events' or computed daysSince/eventCount fields need --as-of). Columns are found by
          name (lead_id/email/id, type/event, timestamp/date/time) or given with
          --event-lead-id, --event-type, --event-time; --lead-key names the leads' id column.
  LOGIC, DATA
          JSON text, or @file to read it from a file, or - for standard input

score writes every lead with its score, group scores, tier, next-step action, matrix cell,
sales-ready flag and the reasons (rules that fired, with points). Text cells that a spreadsheet
would run as a formula (=, +, -, @, tab, CR) are prefixed with an apostrophe.
Exit status: 0 ok, 1 invalid input or rules, 2 usage.
)";

struct Usage : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Args {
  std::string cmd;
  std::map<std::string, std::string> opt;
  std::vector<std::string> pos;
  bool has(const std::string& k) const { return opt.count(k) > 0; }
  std::string get(const std::string& k) const {
    auto it = opt.find(k);
    if (it == opt.end()) throw Usage("missing --" + k);
    return it->second;
  }
};

Args parse_args(int argc, char** argv) {
  Args a;
  if (argc < 2) throw Usage("no command given");
  a.cmd = argv[1];
  static const std::vector<std::string> flags = {"no-reasons"};
  for (int i = 2; i < argc; ++i) {
    std::string s = argv[i];
    if (s.rfind("--", 0) == 0 && s.size() > 2) {
      std::string k = s.substr(2), v;
      if (auto eq = k.find('='); eq != std::string::npos)
        v = k.substr(eq + 1), k = k.substr(0, eq);
      else if (std::find(flags.begin(), flags.end(), k) != flags.end())
        v = "1";
      else if (i + 1 < argc)
        v = argv[++i];
      else
        throw Usage("--" + k + " needs a value");
      a.opt[k] = v;
    } else {
      a.pos.push_back(s);
    }
  }
  return a;
}

std::string read_all(std::istream& in) {
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open '" + path + "': " + std::strerror(errno));
  return read_all(in);
}

std::string read_arg(const std::string& a) {
  if (a == "-") return read_all(std::cin);
  if (!a.empty() && a[0] == '@') return read_file(a.substr(1));
  return a;
}

// ":line:column" (or ":line", or nothing) after a file name, as compilers print places.
std::string where(size_t line, size_t column) {
  return line ? ":" + std::to_string(line) + (column ? ":" + std::to_string(column) : "") : "";
}

// A file's load notes on standard error, the first 20 of them: no row is dropped, but they say
// where a cell did not fit.
void print_notes(const std::string& path, const std::vector<LoadProblem>& problems, const char* what) {
  const size_t shown = 20;
  for (size_t i = 0; i < problems.size() && i < shown; ++i) {
    const auto& p = problems[i];
    std::cerr << path << where(p.line, p.column) << ": note: " << (p.field.empty() ? "" : "[" + p.field + "] ")
              << p.message << "\n";
  }
  if (problems.size() > shown)
    std::cerr << path << ": ... and " << (problems.size() - shown) << " more " << what << "\n";
}

void print_diagnostics(const Diagnostics& d, const std::string& file) {
  for (const auto& x : d) std::cerr << file << ": " << x.to_string() << "\n";
}

RuleSet load_rules(const std::string& path, Diagnostics* warnings) {
  try {
    return parse_rule_set(read_file(path), warnings);
  } catch (RuleSetError& e) {
    print_diagnostics(e.diagnostics, path);
    throw std::runtime_error("the rule set has errors; nothing was scored");
  }
}

std::shared_ptr<Table> load_leads(const std::string& path, const RuleSet& rs) {
  std::shared_ptr<Table> t;
  try {
    t = std::make_shared<Table>(load_table_file(path, rs.load_options()));
  } catch (const LoadError& e) {
    throw std::runtime_error(path + where(e.line, e.column) + ": " + e.what());
  }
  print_notes(path, t->problems, "load notes");
  return t;
}

// --as-of and --events: set on the scorer before the rules (docs/rules.md, "Events").
void attach_events(const Args& a, Scorer& s, const std::shared_ptr<Table>& table) {
  if (a.has("as-of")) {
    auto day = parse_day(a.get("as-of"));
    if (!day) throw Usage("--as-of takes a date written YYYY-MM-DD (e.g. 2024-03-31), not '" + a.get("as-of") + "'");
    s.set_as_of(*day);
  }
  if (!a.has("events")) {
    for (const char* k : {"event-lead-id", "event-type", "event-time", "lead-key"})
      if (a.has(k)) throw Usage(std::string("--") + k + " needs --events");
    return;
  }
  const std::string path = a.get("events");
  EventOptions o;
  if (a.has("event-lead-id")) o.lead_id = a.get("event-lead-id");
  if (a.has("event-type")) o.type = a.get("event-type");
  if (a.has("event-time")) o.timestamp = a.get("event-time");
  if (a.has("lead-key")) o.lead_key = a.get("lead-key");
  std::shared_ptr<Events> ev;
  try {
    ev = std::make_shared<Events>(table, load_table_file(path, event_load_options(o)), o);
  } catch (const LoadError& e) {
    throw std::runtime_error(path + where(e.line, e.column) + ": " + e.what());
  } catch (const EventsError& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  print_notes(path, ev->problems, "event notes");
  std::cerr << path << ": " << ev->rows() << " events, " << ev->matched << " joined to " << ev->leads_with_events
            << " leads (" << ev->lead_id_name << " = " << ev->lead_key_name << ")";
  if (ev->unknown_leads) {
    std::cerr << ", " << ev->unknown_leads << " with an unknown lead id (";
    for (size_t i = 0; i < ev->unknown_ids.size() && i < 5; ++i) std::cerr << (i ? ", " : "") << ev->unknown_ids[i];
    std::cerr << (ev->unknown_ids.size() > 5 ? ", ..." : "") << ")";
  }
  if (ev->missing_lead_id) std::cerr << ", " << ev->missing_lead_id << " without a lead id";
  if (ev->undated) std::cerr << ", " << ev->undated << " without a timestamp";
  std::cerr << "\n";
  s.set_events(ev);
}

Scorer make_scorer(const Args& a, Diagnostics* warnings) {
  a.get("leads");  // both are required: say so before reading anything
  RuleSet rs = load_rules(a.get("rules"), warnings);
  auto table = load_leads(a.get("leads"), rs);
  Scorer s(table);
  attach_events(a, s, table);
  try {
    auto w = s.set_rules(rs);
    warnings->insert(warnings->end(), w.begin(), w.end());
  } catch (RuleSetError& e) {
    print_diagnostics(e.diagnostics, a.get("rules"));
    throw std::runtime_error("the rule set does not fit these leads; nothing was scored");
  }
  return s;
}

// Shortest text that reads back as the same double (like JS), "" when missing.
std::string num(double d) {
  std::string s;
  append_number(s, d);
  return s;
}

std::string signed_num(double d) { return (d >= 0 ? "+" : "") + num(d); }

int cmd_score(const Args& a) {
  auto t0 = std::chrono::steady_clock::now();
  Diagnostics warnings;
  Scorer s = make_scorer(a, &warnings);
  auto t1 = std::chrono::steady_clock::now();
  const Table& t = s.table();
  const RuleSet& rs = s.rules();
  const Results& r = s.results();
  std::string format = a.has("format") ? a.get("format") : "csv";
  if (format != "csv" && format != "json" && format != "ndjson") throw Usage("--format must be csv, json or ndjson");
  bool with_reasons = !a.has("no-reasons");

  std::ofstream file;
  if (a.has("out")) {
    file.open(a.get("out"), std::ios::binary);
    if (!file) throw std::runtime_error("cannot write '" + a.get("out") + "'");
  }
  std::ostream& out = a.has("out") ? file : std::cout;
  std::vector<char> buf(1 << 20);
  out.rdbuf()->pubsetbuf(buf.data(), buf.size());

  std::optional<ScoredCsvWriter> csv;
  if (format == "csv") {
    csv.emplace(s, with_reasons);
    out << csv->header();
  } else if (format == "json") {
    out << "[\n";
  }
  if (csv) {
    std::string chunk;
    for (size_t i = 0; i < t.rows; i += 4096) {
      chunk.clear();
      csv->append_rows(i, i + 4096, chunk);
      out << chunk;
    }
  } else {
    std::map<std::string, std::string> cell_actions(rs.matrix.actions.begin(), rs.matrix.actions.end());
    for (size_t i = 0; i < t.rows; ++i) {
      const Band& tier = rs.tiers[r.tier[i]];
      json j = t.row_json(i);
      json sc = {
          {"total", r.total[i]}, {"tier", tier.name}, {"action", tier.action}, {"salesReady", (bool)r.sales_ready[i]}};
      json gs = json::object();
      for (size_t g = 0; g < rs.groups.size(); ++g) gs[rs.groups[g].id] = r.groups[g][i];
      sc["groups"] = gs;
      if (rs.matrix.present) {
        std::string cell = rs.matrix.fit[r.fit_band[i]].name + rs.matrix.engagement[r.engagement_band[i]].name;
        sc["cell"] = cell, sc["cellAction"] = cell_actions[cell];
      }
      if (with_reasons) sc["reasons"] = reasons_text(s.ledger(i));
      j["_score"] = sc;
      if (format == "json")
        out << (i ? ",\n" : "") << j.dump();
      else
        out << j.dump() << "\n";
    }
  }
  if (format == "json") out << "\n]\n";
  out.flush();
  auto t2 = std::chrono::steady_clock::now();

  print_diagnostics(warnings, a.get("rules"));
  std::vector<size_t> counts(rs.tiers.size());
  size_t ready = 0;
  for (size_t i = 0; i < t.rows; ++i) counts[r.tier[i]]++, ready += r.sales_ready[i];
  std::cerr << "scored " << t.rows << " leads (" << t.columns.size() << " columns) with " << rs.rules.size()
            << " rules in " << std::chrono::duration<double, std::milli>(t1 - t0).count()
            << " ms (load + score), wrote them in " << std::chrono::duration<double, std::milli>(t2 - t1).count()
            << " ms\n";
  for (size_t k = 0; k < rs.tiers.size(); ++k) std::cerr << "  " << rs.tiers[k].name << ": " << counts[k] << "\n";
  if (rs.sales_ready) std::cerr << "  sales-ready (score >= " << num(*rs.sales_ready) << "): " << ready << "\n";
  return 0;
}

int cmd_explain(const Args& a) {
  a.get("lead");
  Diagnostics warnings;
  Scorer s = make_scorer(a, &warnings);
  long n = 0;
  std::string which = a.get("lead");
  if (which == "top") {  // the highest score (the first such lead in the file)
    const auto& tot = s.results().total;
    n = tot.empty() ? 0 : (long)(std::max_element(tot.begin(), tot.end()) - tot.begin()) + 1;
  } else {
    char* end = nullptr;
    n = std::strtol(which.c_str(), &end, 10);
    if (which.empty() || *end) throw Usage("--lead takes a lead number (1 = first data row) or 'top'");
  }
  if (n < 1 || (size_t)n > s.table().rows)
    throw std::runtime_error("--lead " + std::to_string(n) + " is out of range: the file has leads 1 to " +
                             std::to_string(s.table().rows));
  Ledger l = s.ledger((size_t)n - 1);
  if (a.has("format") && a.get("format") == "json") {
    json j = to_json(l);
    j["values"] = s.table().row_json(l.lead);
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  const Table& t = s.table();
  std::cout << "Lead " << n << " (line " << l.line << " of " << a.get("leads") << ")";
  if (s.as_of()) std::cout << ", as of " << day_text(*s.as_of());
  std::cout << "\n";
  for (const auto& c : t.columns)
    std::cout << "  " << c.name << ": " << (c.is_missing(l.lead) ? "(missing)" : c.value_text(l.lead)) << "\n";
  std::cout << "\nScore " << num(l.total) << " — " << l.tier << (l.action.empty() ? "" : " (" + l.action + ")");
  if (!l.cell.empty()) std::cout << ", cell " << l.cell << (l.cell_action.empty() ? "" : " (" + l.cell_action + ")");
  std::cout << (l.sales_ready ? ", sales-ready" : "") << "\n";
  for (const auto& g : l.groups) {
    std::cout << "\n  " << g.label << ": " << num(g.score);
    if (!g.clipped.empty()) std::cout << " (sum " << num(g.sum) << ", clipped by " << g.clipped << ")";
    std::cout << "\n";
    for (const auto& e : l.entries) {
      if (e.group != g.id) continue;
      std::cout << "    " << signed_num(e.points) << "  " << e.label << " [" << e.rule_id << "]";
      if (e.unit_value)
        std::cout << " (" << num(*e.unit_value) << " x " << num(e.raw / (*e.unit_value ? *e.unit_value : 1)) << ")";
      if (e.is_event) {
        std::cout << " (" << e.count << " event" << (e.count == 1 ? "" : "s");
        if (e.occurrences) std::cout << ", " << *e.occurrences << " scored";
        if (e.days_since) std::cout << ", newest " << *e.days_since << " days ago";
        if (e.decay != 1)
          std::cout << ", decay " << num(std::round(e.decay * 1000) / 1000) << ": " << num(e.raw) << " -> "
                    << num(e.effective);
        if (e.future) std::cout << ", " << e.future << " after the as-of day";
        if (e.undated) std::cout << ", " << e.undated << " undated";
        std::cout << ")";
      }
      if (!e.clipped.empty()) std::cout << " (raw " << num(e.raw) << ", clipped by " << e.clipped << ")";
      if (!e.note.empty()) std::cout << " — " << e.note;
      std::cout << "\n";
    }
  }
  if (!l.clipped.empty()) std::cout << "\n  sum " << num(l.sum) << ", clipped by " << l.clipped << "\n";
  for (const auto& [id, msg] : l.errors) std::cout << "  ! rule " << id << " could not be evaluated: " << msg << "\n";
  return 0;
}

int cmd_check(const Args& a) {
  Diagnostics warnings;
  RuleSet rs = load_rules(a.get("rules"), &warnings);
  std::cout << a.get("rules") << ": " << (rs.name.empty() ? "rule set" : "'" + rs.name + "'") << ", " << rs.rules.size()
            << " rules in " << rs.groups.size() << " groups, " << rs.tiers.size() << " tiers\n";
  if (a.has("leads")) {
    auto table = load_leads(a.get("leads"), rs);
    Scorer s(table);
    attach_events(a, s, table);
    try {
      auto w = s.set_rules(rs);
      warnings.insert(warnings.end(), w.begin(), w.end());
    } catch (RuleSetError& e) {
      print_diagnostics(e.diagnostics, a.get("rules"));
      return 1;
    }
    std::cout << a.get("leads") << ": " << table->rows << " leads, " << table->columns.size() << " columns\n";
    for (const auto& st : s.stats())
      std::cout << "  " << st.id << (st.enabled ? "" : " (disabled)") << ": fires on " << st.fired
                << (st.errors ? ", errors on " + std::to_string(st.errors) : "") << "   [" << st.plan << "]\n";
  }
  print_diagnostics(warnings, a.get("rules"));
  std::cout << (warnings.empty() ? "ok\n" : "ok, with " + std::to_string(warnings.size()) + " warning(s)\n");
  return 0;
}

// --outcome COLUMN, or --outcomes FILE --lead-id COLUMN [--outcome-id COLUMN]: for `leads`.
Outcomes cli_outcomes(const Args& a, const Table& leads, std::shared_ptr<Table>& deals) {
  if (a.has("outcome")) return outcomes_from_column(leads, a.get("outcome"));
  if (!a.has("lead-id")) throw Usage("--outcomes needs --lead-id COLUMN (the leads' id column)");
  if (!deals) deals = load_leads(a.get("outcomes"), RuleSet{});
  return outcomes_from_ids(leads, a.get("lead-id"), *deals,
                           a.has("outcome-id") ? a.get("outcome-id") : a.get("lead-id"));
}

std::string output_format(const Args& a) {
  std::string f = a.has("format") ? a.get("format") : "text";
  if (f != "text" && f != "json") throw Usage("--format must be text or json");
  return f;
}

int cmd_evaluate(const Args& a) {
  if (!a.has("outcome") && !a.has("outcomes"))
    throw Usage("evaluate needs --outcome COLUMN or --outcomes FILE --lead-id COLUMN");
  std::string format = output_format(a);
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
  std::string format = output_format(a);
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
  RuleSet rb = load_rules(a.get("rules-b"), &warnings);
  // B reads the same file; it shares A's table unless its field declarations load it differently.
  json ja = to_json(sa.rules()), jb = to_json(rb);
  std::shared_ptr<const Table> tb = sa.table_ptr();
  if (ja.value("fields", json()) != jb.value("fields", json()) ||
      ja.value("missing", json()) != jb.value("missing", json()))
    tb = load_leads(a.get("leads"), rb);
  Scorer sb(tb);
  try {
    auto w = sb.set_rules(rb);
    warnings.insert(warnings.end(), w.begin(), w.end());
  } catch (RuleSetError& e) {
    print_diagnostics(e.diagnostics, a.get("rules-b"));
    throw std::runtime_error("rule set B does not fit these leads; nothing was compared");
  }
  std::shared_ptr<Table> deals;
  std::optional<Outcomes> oa, ob;
  if (a.has("outcome") || a.has("outcomes")) {
    oa = cli_outcomes(a, sa.table(), deals);
    if (&sb.table() != &sa.table()) ob = cli_outcomes(a, sb.table(), deals);
    opt.outcomes = &*oa;
    opt.outcomes_b = ob ? &*ob : nullptr;
  }
  if (a.has("from") || a.has("to")) {  // list the leads of one migration cell
    auto leads = list_migration(sa, sb, a.has("kind") ? a.get("kind") : "tier", a.get("from"), a.get("to"));
    if (format == "json") {
      json j = json::array();
      for (int32_t i : leads)
        j.push_back({{"lead", i + 1}, {"a", sa.results().total[i]}, {"b", sb.results().total[i]}});
      std::cout << j.dump(2) << "\n";
    } else {
      std::cout << leads.size() << " leads: " << a.get("from") << " under A, " << a.get("to")
                << " under B (by B's score)\n";
      for (int32_t i : leads)
        std::cout << "  lead " << i + 1 << ": " << num(sa.results().total[i]) << " -> " << num(sb.results().total[i])
                  << "\n";
    }
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

int cmd_apply(const Args& a) {
  if (a.pos.size() != 2) throw Usage("apply takes two arguments: LOGIC DATA");
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

}  // namespace

int main(int argc, char** argv) {
  try {
    Args a = parse_args(argc, argv);
    if (a.cmd == "score") return cmd_score(a);
    if (a.cmd == "explain") return cmd_explain(a);
    if (a.cmd == "check") return cmd_check(a);
    if (a.cmd == "apply") return cmd_apply(a);
    if (a.cmd == "evaluate") return cmd_evaluate(a);
    if (a.cmd == "compare") return cmd_compare(a);
    if (a.cmd == "version" || a.cmd == "--version") {
      std::cout << "leadscore 0.1.0 (rule set format " << kRuleSetVersion << ")\n";
      return 0;
    }
    if (a.cmd == "help" || a.cmd == "--help" || a.cmd == "-h") {
      std::cout << kUsage;
      return 0;
    }
    throw Usage("unknown command '" + a.cmd + "'");
  } catch (const Usage& e) {
    std::cerr << "leadscore: " << e.what() << "\n\n" << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "leadscore: " << e.what() << "\n";
    return 1;
  }
}
