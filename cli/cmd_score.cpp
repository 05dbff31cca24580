// leadscore score and leadscore explain.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <vector>

#include "commands.h"
#include "inputs.h"
#include "leadscore/event_rules.h"
#include "leadscore/export.h"
#include "leadscore/json_api.h"
#include "leadscore/learn.h"

namespace leadscore::cli {

using nlohmann::json;

namespace {

// One lead as a JSON object: its values and a _score object (score --format json|ndjson).
json scored_row_json(const Scorer& s, size_t i, bool with_reasons,
                     const std::map<std::string, std::string>& cell_actions) {
  const RuleSet& rs = s.rules();
  const Results& r = s.results();
  const Band& tier = rs.tiers[r.tier[i]];
  json j = s.table().row_json(i);
  json sc = {
      {"total", r.total[i]}, {"tier", tier.name}, {"action", tier.action}, {"salesReady", (bool)r.sales_ready[i]}};
  json gs = json::object();
  for (size_t g = 0; g < rs.groups.size(); ++g) gs[rs.groups[g].id] = r.groups[g][i];
  sc["groups"] = gs;
  if (rs.matrix.present) {
    std::string cell = rs.matrix.fit[r.fit_band[i]].name + rs.matrix.engagement[r.engagement_band[i]].name;
    auto it = cell_actions.find(cell);
    sc["cell"] = cell, sc["cellAction"] = it == cell_actions.end() ? "" : it->second;
  }
  if (with_reasons) sc["reasons"] = reasons_text(s.ledger(i));
  j["_score"] = sc;
  return j;
}

std::vector<std::string> comma_list(const std::string& v) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t comma = v.find(',', start);
    std::string item = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

ExportOptions export_options(const Args& a, const std::string& format) {
  ExportOptions o;
  o.reasons = !a.has("no-reasons");
  for (const char* k : {"keep", "add", "rename"})
    if (a.has(k) && format != "csv") throw Usage(std::string("--") + k + " chooses CSV columns; it needs --format csv");
  if (a.has("keep")) o.keep = comma_list(a.get("keep"));
  if (a.has("add")) o.add = comma_list(a.get("add"));
  if (a.has("rename"))
    for (const auto& pair : comma_list(a.get("rename"))) {
      const size_t eq = pair.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size())
        throw Usage("--rename takes OLD=NEW pairs separated by commas, not '" + pair + "'");
      o.rename[pair.substr(0, eq)] = pair.substr(eq + 1);
    }
  return o;
}

// `csv`: the writer when the format is CSV (made before the output is opened, so that a bad
// column choice fails first).
void write_scored(const Scorer& s, const std::string& format, bool with_reasons, const ScoredCsvWriter* csv_writer,
                  std::ostream& out) {
  const size_t rows = s.table().rows;
  if (csv_writer) {
    const ScoredCsvWriter& csv = *csv_writer;
    if (!csv.replaced_columns().empty()) {
      std::string names;
      for (const auto& n : csv.replaced_columns()) names += (names.empty() ? "" : ", ") + n;
      std::cerr << "leadscore: note: the input's columns " << names
                << " (an earlier export) are replaced by the new ones\n";
    }
    out << csv.header();
    std::string chunk;
    for (size_t i = 0; i < rows; i += 4096) {
      chunk.clear();
      csv.append_rows(i, std::min(rows, i + 4096), chunk);
      out << chunk;
    }
    return;
  }
  const auto& acts = s.rules().matrix.actions;
  const std::map<std::string, std::string> cell_actions(acts.begin(), acts.end());
  if (format == "json") out << "[\n";
  for (size_t i = 0; i < rows; ++i) {
    std::string line = scored_row_json(s, i, with_reasons, cell_actions).dump();
    if (format == "json")
      out << (i ? ",\n" : "") << line;
    else
      out << line << "\n";
  }
  if (format == "json") out << "\n]\n";
}

void print_score_summary(const Scorer& s, double load_ms, double write_ms) {
  const RuleSet& rs = s.rules();
  const Results& r = s.results();
  const size_t rows = s.table().rows;
  std::vector<size_t> counts(rs.tiers.size());
  size_t ready = 0, enabled = 0;
  for (size_t i = 0; i < rows; ++i) counts[r.tier[i]]++, ready += r.sales_ready[i];
  for (const auto& rule : rs.rules) enabled += rule.enabled;
  std::cerr << "scored " << rows << " leads (" << s.table().columns.size() << " columns) with " << enabled << " rule"
            << (enabled == 1 ? "" : "s") << " in " << load_ms << " ms (load + score), wrote them in " << write_ms
            << " ms\n";
  for (size_t k = 0; k < rs.tiers.size(); ++k) std::cerr << "  " << rs.tiers[k].name << ": " << counts[k] << "\n";
  if (rs.sales_ready) std::cerr << "  sales-ready (score >= " << num(*rs.sales_ready) << "): " << ready << "\n";
}

void print_entry(const LedgerEntry& e) {
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

void print_ledger(const Scorer& s, const Ledger& l, long n, const std::string& leads) {
  const Table& t = s.table();
  std::cout << "Lead " << n << " (line " << l.line << " of " << shown(leads) << ")";
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
    for (const auto& e : l.entries)
      if (e.group == g.id) print_entry(e);
  }
  if (!l.clipped.empty()) std::cout << "\n  sum " << num(l.sum) << ", clipped by " << l.clipped << "\n";
  for (const auto& [id, msg] : l.errors) std::cout << "  ! rule " << id << " could not be evaluated: " << msg << "\n";
}

}  // namespace

int cmd_score(const Args& a) {
  const std::string format = a.get_or("format", "csv");
  if (format != "csv" && format != "json" && format != "ndjson") throw Usage("--format must be csv, json or ndjson");
  auto t0 = std::chrono::steady_clock::now();
  Diagnostics warnings;
  Scorer s = make_scorer(a, &warnings);
  auto t1 = std::chrono::steady_clock::now();
  const ExportOptions options = export_options(a, format);
  std::optional<ScoredCsvWriter> csv;  // an unknown column fails here, before --out is touched
  if (format == "csv") csv.emplace(s, options);

  const std::string path = a.get_or("out", "-");
  std::ofstream file;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) throw std::runtime_error("cannot write '" + path + "'");
  }
  std::ostream& out = path != "-" ? file : std::cout;
  std::vector<char> buf(1 << 20);
  out.rdbuf()->pubsetbuf(buf.data(), buf.size());
  write_scored(s, format, options.reasons, csv ? &*csv : nullptr, out);
  out.flush();
  if (!out) throw std::runtime_error("writing '" + shown(path) + "' failed");
  auto t2 = std::chrono::steady_clock::now();

  print_diagnostics(warnings, a.get("rules"));
  print_score_summary(s, std::chrono::duration<double, std::milli>(t1 - t0).count(),
                      std::chrono::duration<double, std::milli>(t2 - t1).count());
  return 0;
}

namespace {

// The "x-learned" note of a rule set `leadscore learn --out` wrote (null for any other).
json learned_note(const std::string& rules_path) {
  if (rules_path == "-") return nullptr;  // stdin is read once, by the rule set
  json doc = json::parse(read_input(rules_path), nullptr, false);
  return doc.is_object() && doc.contains("x-learned") ? doc["x-learned"] : json();
}

void print_learned(const json& learned) {
  std::printf("\nLearned model: probability of converting %.1f%%\n", 100 * learned["probability"].get<double>());
  for (const json& f : learned["factors"])
    std::printf("  %s: %+.1f points against the average lead\n",
                (f["rule"].is_string() ? f["rule"] : f["feature"]).get<std::string>().c_str(),
                f["contribution"].get<double>());
}

}  // namespace

int cmd_explain(const Args& a) {
  const std::string which = a.get("lead");
  const std::string format = a.get_or("format", "text");
  if (format != "text" && format != "json") throw Usage("--format must be text or json");
  long n = 0;
  if (which != "top") {
    char* end = nullptr;
    n = std::strtol(which.c_str(), &end, 10);
    if (which.empty() || *end) throw Usage("--lead takes a lead number (1 = first data row) or 'top'");
  }
  Diagnostics warnings;
  Scorer s = make_scorer(a, &warnings);
  if (which == "top") {  // the highest score (the first such lead in the file)
    const auto& tot = s.results().total;
    n = tot.empty() ? 0 : (long)(std::max_element(tot.begin(), tot.end()) - tot.begin()) + 1;
  }
  if (n < 1 || (size_t)n > s.table().rows)
    throw std::runtime_error("--lead " + std::to_string(n) + " is out of range: the file has leads 1 to " +
                             std::to_string(s.table().rows));
  Ledger l = s.ledger((size_t)n - 1);
  const json learned = learned_explanation(learned_note(a.get("rules")), l);
  if (format == "json") {
    json j = to_json(l);
    j["values"] = s.table().row_json(l.lead);
    if (!learned.is_null()) j["learned"] = learned;
    std::cout << j.dump(2) << "\n";
  } else {
    print_ledger(s, l, n, a.get("leads"));
    if (!learned.is_null()) print_learned(learned);
  }
  return 0;
}

}  // namespace leadscore::cli
