#include "inputs.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>

#include "leadscore/event_rules.h"
#include "leadscore/events.h"
#include "leadscore/export.h"
#include "leadscore/limits.h"

namespace leadscore::cli {

namespace {

// A whole JSON document (rule set, apply's LOGIC or DATA), read in pieces and refused once it
// passes kMaxRuleSetBytes: an endless stream (/dev/zero) stops there instead of filling memory.
std::string read_stream(std::istream& in, const std::string& path) {
  std::string text;
  std::vector<char> buf(1u << 20);
  for (;;) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const size_t got = static_cast<size_t>(in.gcount());
    if (text.size() + got > kMaxRuleSetBytes)
      throw std::runtime_error(shown(path) + ": larger than " + format_bytes(kMaxRuleSetBytes) +
                               ", the limit for a rule set or another JSON document read whole; is this the right "
                               "file?");
    text.append(buf.data(), got);
    if (!in) break;
  }
  if (in.bad()) throw std::runtime_error("error reading " + shown(path));
  return text;
}

std::optional<std::string>& stdin_cache() {
  static std::optional<std::string> text;
  return text;
}

const std::string& stdin_text() {
  auto& text = stdin_cache();
  if (!text) text = read_stream(std::cin, "-");
  return *text;
}

// Leads on standard input: fed to the loader in pieces like a file, not held whole first.
Table load_stdin_table(const LoadOptions& o) {
  if (stdin_cache()) return load_table(*stdin_cache(), o);
  TableLoader loader(o);
  std::vector<char> buf(1u << 20);
  for (;;) {
    std::cin.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const std::streamsize got = std::cin.gcount();
    if (got > 0) loader.feed(buf.data(), static_cast<size_t>(got));
    if (!std::cin) break;
  }
  if (std::cin.bad()) throw LoadError("error reading standard input");
  stdin_cache() = std::string();  // used up
  return loader.finish();
}

Table load_any(const std::string& path, const LoadOptions& o) {
  try {
    return path == "-" ? load_stdin_table(o) : load_table_file(path, o);
  } catch (const LoadError& e) {
    throw std::runtime_error(shown(path) + where(e.line, e.column) + ": " + e.what());
  }
}

// A file's load notes on standard error, the first 20 of them: no row is dropped, but they say
// where a cell did not fit.
void print_notes(const std::string& path, const std::vector<LoadProblem>& problems, const char* what) {
  const size_t limit = 20;
  for (size_t i = 0; i < problems.size() && i < limit; ++i) {
    const auto& p = problems[i];
    std::cerr << shown(path) << where(p.line, p.column) << ": note: " << (p.field.empty() ? "" : "[" + p.field + "] ")
              << p.message << "\n";
  }
  if (problems.size() > limit)
    std::cerr << shown(path) << ": ... and " << (problems.size() - limit) << " more " << what << "\n";
}

void print_event_summary(const std::string& path, const Events& ev) {
  std::cerr << shown(path) << ": " << ev.rows() << " events, " << ev.matched << " joined to " << ev.leads_with_events
            << " leads (" << ev.lead_id_name << " = " << ev.lead_key_name << ")";
  if (ev.unknown_leads) {
    std::cerr << ", " << ev.unknown_leads << " with an unknown lead id (";
    for (size_t i = 0; i < ev.unknown_ids.size() && i < 5; ++i) std::cerr << (i ? ", " : "") << ev.unknown_ids[i];
    std::cerr << (ev.unknown_ids.size() > 5 ? ", ..." : "") << ")";
  }
  if (ev.missing_lead_id) std::cerr << ", " << ev.missing_lead_id << " without a lead id";
  if (ev.undated) std::cerr << ", " << ev.undated << " without a timestamp";
  std::cerr << "\n";
}

char parse_delimiter(const std::string& v) {
  if (v == "\\t" || v == "tab" || v == "\t") return '\t';
  if (v.size() == 1 && v[0] != '"' && v[0] != '\n' && v[0] != '\r' && (unsigned char)v[0] < 0x80) return v[0];
  throw Usage("--delimiter takes one character (e.g. ';' or '|'), or \\t or tab for a tab, not '" + v + "'");
}

LoadOptions::DateOrder parse_date_order(std::string v) {
  for (auto& ch : v) ch = (char)std::toupper((unsigned char)ch);
  if (v == "DMY") return LoadOptions::DateOrder::DMY;
  if (v == "MDY") return LoadOptions::DateOrder::MDY;
  if (v == "AUTO") return LoadOptions::DateOrder::Auto;
  throw Usage("--date-order must be DMY, MDY or auto");
}

}  // namespace

std::string shown(const std::string& path) { return path == "-" ? "<stdin>" : path; }

std::string read_input(const std::string& path) {
  if (path == "-") return stdin_text();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open '" + path + "': " + std::strerror(errno));
  return read_stream(in, path);
}

std::string read_arg(const std::string& a) {
  if (a == "-") return stdin_text();
  if (!a.empty() && a[0] == '@') return read_input(a.substr(1));
  return a;
}

std::string where(size_t line, size_t column) {
  return line ? ":" + std::to_string(line) + (column ? ":" + std::to_string(column) : "") : "";
}

void print_diagnostics(const Diagnostics& d, const std::string& file) {
  for (const auto& x : d) std::cerr << shown(file) << ": " << x.to_string() << "\n";
}

void apply_load_flags(const Args& a, LoadOptions& o, bool leads) {
  if (leads && a.has("delimiter")) o.delimiter = parse_delimiter(a.get("delimiter"));
  if (a.has("date-order")) o.date_order = parse_date_order(a.get("date-order"));
  if (leads && a.has("decimal")) {
    const std::string d = a.get("decimal");
    if (d != "." && d != "," && d != "auto") throw Usage("--decimal must be . or , or auto, not '" + d + "'");
    o.decimal = d == "auto" ? 0 : d[0];
  }
}

RuleSet load_rules(const std::string& path, Diagnostics* warnings) {
  try {
    return parse_rule_set(read_input(path), warnings);
  } catch (RuleSetError& e) {
    print_diagnostics(e.diagnostics, path);
    throw std::runtime_error("the rule set has errors; nothing was scored");
  }
}

std::shared_ptr<Table> load_leads(const Args& a, const std::string& path, const RuleSet& rs) {
  LoadOptions o = rs.load_options();
  apply_load_flags(a, o, true);
  auto t = std::make_shared<Table>(load_any(path, o));
  print_notes(path, t->problems, "load notes");
  return t;
}

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
  LoadOptions lo = event_load_options(o);
  apply_load_flags(a, lo, false);
  std::shared_ptr<Events> ev;
  try {
    ev = std::make_shared<Events>(table, load_any(path, lo), o);
  } catch (const EventsError& e) {
    throw std::runtime_error(shown(path) + ": " + e.what());
  }
  print_notes(path, ev->problems, "event notes");
  print_event_summary(path, *ev);
  s.set_events(ev);
}

void set_rules_or_skip(const Args& a, Scorer& s, RuleSet rs, const std::string& rules_path, Diagnostics* warnings,
                       const std::string& failure) {
  std::vector<SkippedRule> skipped;
  Diagnostics w;
  try {
    w = a.has("strict") ? s.set_rules(rs) : s.set_rules(rs, &skipped);
  } catch (const RuleSetError& e) {
    print_diagnostics(e.diagnostics, rules_path);
    throw std::runtime_error(failure);
  }
  warnings->insert(warnings->end(), w.begin(), w.end());
  if (skipped.empty()) return;
  std::string ids;
  for (const auto& k : skipped) {
    std::cerr << shown(rules_path) << ": warning: skipping rule '" << k.rule_id << "' (field '" << k.field
              << "'): " << k.message << "\n";
    ids += (ids.empty() ? "" : ", ") + k.rule_id;
  }
  std::cerr << shown(rules_path) << ": skipped " << skipped.size() << " rule" << (skipped.size() == 1 ? "" : "s")
            << " reading columns the leads lack (" << ids << "); the other rules are scored (--strict: exit 1)\n";
}

Scorer make_scorer(const Args& a, Diagnostics* warnings) {
  a.get("leads");  // both are required: say so before reading anything
  RuleSet rs = load_rules(a.get("rules"), warnings);
  auto table = load_leads(a, a.get("leads"), rs);
  Scorer s(table);
  attach_events(a, s, table);
  set_rules_or_skip(a, s, rs, a.get("rules"), warnings, "the rule set does not fit these leads; nothing was scored");
  return s;
}

std::string num(double d) {
  std::string s;
  append_number(s, d);
  return s;
}

std::string signed_num(double d) { return (d >= 0 ? "+" : "") + num(d); }

}  // namespace leadscore::cli
