#include "leadscore/outcomes.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

namespace leadscore {

namespace {

std::string trim_lower(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r' || s[a] == '\n')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r' || s[b - 1] == '\n')) --b;
  std::string out = s.substr(a, b - a);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
  return out;
}

std::string trim(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) --b;
  return s.substr(a, b - a);
}

std::vector<std::string> column_names(const Table& t) {
  std::vector<std::string> names;
  for (const auto& c : t.columns) names.push_back(c.name);
  return names;
}

void count(Outcomes& o) {
  o.positives = o.negatives = o.unknown = 0;
  for (int8_t v : o.value) (v == kConverted ? o.positives : v == kNotConverted ? o.negatives : o.unknown)++;
  auto warn = [&](const std::string& code, const std::string& msg, const std::string& field) {
    o.warnings.push_back({Diagnostic::Severity::Warning, code, msg, "", "", field});
  };
  const std::string where = o.source == "column" ? "column '" + o.column + "'" : "the deals file";
  if (o.value.empty()) return;
  if (o.positives + o.negatives == 0)
    warn("no_outcomes",
         o.source == "column"
             ? "no lead has a known outcome in column '" + o.column +
                   "': use a column of yes/no, 1/0, true/false or won/lost"
             : "no lead has an id, so no outcome is known: check the lead id column '" + o.lead_id_column + "'",
         o.source == "column" ? o.column : o.lead_id_column);
  else if (o.positives == 0)
    warn("one_class", "no lead converted according to " + where + ": conversion metrics (AUC, recall) are undefined",
         "");
  else if (o.negatives == 0)
    warn("one_class",
         "every lead with a known outcome converted according to " + where + ": AUC and precision say nothing", "");
}

}  // namespace

int8_t parse_outcome(const std::string& text) {
  const std::string s = trim_lower(text);
  if (s == "yes" || s == "1" || s == "true" || s == "won" || s == "y") return kConverted;
  if (s == "no" || s == "0" || s == "false" || s == "lost" || s == "n") return kNotConverted;
  return kUnknownOutcome;
}

int find_column_or_throw(const Table& t, const std::string& name, const std::string& what) {
  int c = t.find(name);
  if (c >= 0) return c;
  std::string hint = did_you_mean(name, column_names(t));
  std::string msg = what + " '" + name + "' is not a column of " + (t.rows ? "these leads" : "the table");
  msg += hint.empty() ? "; columns are: " : "; did you mean '" + hint + "'? Columns are: ";
  auto names = column_names(t);
  for (size_t i = 0; i < names.size() && i < 30; ++i) msg += (i ? ", " : "") + names[i];
  if (names.size() > 30) msg += ", ...";
  throw MetricsError("unknown_field", msg, name);
}

Outcomes outcomes_from_column(const Table& leads, const std::string& column) {
  Outcomes o;
  o.table = &leads;
  o.source = "column";
  o.column_index = find_column_or_throw(leads, column, "outcome column");
  const Column& c = leads.columns[o.column_index];
  o.column = c.name;
  if (c.type == ColumnType::Date)
    throw MetricsError(
        "outcome",
        "column '" + c.name + "' holds dates, not outcomes: use a column of yes/no, 1/0, true/false or won/lost",
        c.name);
  o.value.assign(leads.rows, kUnknownOutcome);
  std::map<std::string, size_t> unknown;
  if (c.type == ColumnType::String) {
    std::vector<int8_t> by_code(c.dict.size());
    for (size_t k = 0; k < c.dict.size(); ++k) by_code[k] = parse_outcome(std::string(c.dict[k]));
    std::vector<size_t> unknown_codes(c.dict.size());
    for (size_t i = 0; i < leads.rows; ++i) {
      int32_t code = c.codes[i];
      if (code < 0) {
        ++o.missing;
        continue;
      }
      o.value[i] = by_code[code];
      if (o.value[i] == kUnknownOutcome) ++unknown_codes[code];
    }
    for (size_t k = 0; k < c.dict.size(); ++k)
      if (unknown_codes[k]) unknown[std::string(c.dict[k])] += unknown_codes[k];
  } else {  // Number, Boolean (1/0)
    for (size_t i = 0; i < leads.rows; ++i) {
      double v = c.num[i];
      if (std::isnan(v))
        ++o.missing;
      else if (v == 1)
        o.value[i] = kConverted;
      else if (v == 0)
        o.value[i] = kNotConverted;
      else
        ++unknown[c.value_text(i)];
    }
  }
  std::vector<std::pair<std::string, size_t>> uv(unknown.begin(), unknown.end());
  std::stable_sort(uv.begin(), uv.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (uv.size() > 20) uv.resize(20);
  o.unknown_values = uv;
  count(o);
  size_t other = o.unknown - o.missing;
  if (other > 0 && o.positives + o.negatives > 0) {
    std::string msg = std::to_string(other) + " lead(s) have a value in '" + o.column +
                      "' that is not an outcome (e.g. '" + uv[0].first +
                      "'); they count as unknown and are left out of the metrics";
    o.warnings.push_back({Diagnostic::Severity::Warning, "unknown_values", msg, "", "", o.column});
  }
  return o;
}

Outcomes outcomes_from_ids(const Table& leads, const std::string& lead_id_column, const Table& deals,
                           const std::string& deals_id_column) {
  Outcomes o;
  o.table = &leads;
  o.source = "ids";
  o.lead_id_index = find_column_or_throw(leads, lead_id_column, "lead id column");
  int di = find_column_or_throw(deals, deals_id_column.empty() ? lead_id_column : deals_id_column, "deals id column");
  const Column& lc = leads.columns[o.lead_id_index];
  const Column& dc = deals.columns[di];
  o.lead_id_column = lc.name;
  o.deals_id_column = dc.name;
  o.deals_rows = deals.rows;

  std::unordered_map<std::string, size_t> lead_count;  // id -> how many leads carry it
  std::vector<std::string> ids(leads.rows);
  for (size_t i = 0; i < leads.rows; ++i) {
    if (lc.is_missing(i)) continue;
    ids[i] = trim(lc.value_text(i));
    if (!ids[i].empty()) lead_count[ids[i]]++;
  }
  for (const auto& [id, n] : lead_count) o.duplicate_lead_ids += n > 1;
  std::unordered_map<std::string, bool> won;
  for (size_t i = 0; i < deals.rows; ++i) {
    std::string id = dc.is_missing(i) ? "" : trim(dc.value_text(i));
    if (id.empty()) {
      ++o.deals_missing_id;
      continue;
    }
    if (!lead_count.count(id)) {
      ++o.unmatched;
      if (o.unmatched_examples.size() < 10) o.unmatched_examples.push_back(id);
      continue;
    }
    won[id] = true;
  }
  o.value.assign(leads.rows, kUnknownOutcome);
  for (size_t i = 0; i < leads.rows; ++i)
    if (!ids[i].empty()) o.value[i] = won.count(ids[i]) ? kConverted : kNotConverted;
  count(o);
  if (o.unmatched)
    o.warnings.push_back({Diagnostic::Severity::Warning, "unmatched_ids",
                          std::to_string(o.unmatched) + " of " + std::to_string(deals.rows) + " deals have an id ('" +
                              o.unmatched_examples[0] + "', ...) that matches no lead's '" + o.lead_id_column +
                              "'; they are not used",
                          "", "", o.deals_id_column});
  if (o.deals_missing_id)
    o.warnings.push_back(
        {Diagnostic::Severity::Warning, "missing_ids",
         std::to_string(o.deals_missing_id) + " deals have no '" + o.deals_id_column + "'; they are not used", "", "",
         o.deals_id_column});
  if (o.duplicate_lead_ids)
    o.warnings.push_back({Diagnostic::Severity::Warning, "duplicate_ids",
                          std::to_string(o.duplicate_lead_ids) +
                              " lead id(s) occur on more than one lead; each such lead gets the id's outcome",
                          "", "", o.lead_id_column});
  return o;
}

nlohmann::json to_json(const Outcomes& o) {
  nlohmann::json j = {{"source", o.source},       {"rows", o.value.size()}, {"positives", o.positives},
                      {"negatives", o.negatives}, {"unknown", o.unknown},   {"warnings", to_json(o.warnings)}};
  if (o.source == "column") {
    j["column"] = o.column;
    j["missing"] = o.missing;
    nlohmann::json uv = nlohmann::json::array();
    for (const auto& [v, n] : o.unknown_values) uv.push_back({{"value", v}, {"count", n}});
    j["unknownValues"] = uv;
  } else {
    j["leadIdColumn"] = o.lead_id_column;
    j["dealsIdColumn"] = o.deals_id_column;
    j["dealsRows"] = o.deals_rows;
    j["unmatched"] = o.unmatched;
    j["unmatchedExamples"] = o.unmatched_examples;
    j["dealsMissingId"] = o.deals_missing_id;
    j["duplicateLeadIds"] = o.duplicate_lead_ids;
  }
  return j;
}

}  // namespace leadscore
