#include "leadscore/export.h"

#include "io/values.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace leadscore {

namespace {
// A '+' or '-' followed only by digits, spaces and . , ( ) - / (a negative number, a phone number
// such as "+44 20 7946 0958"): a spreadsheet can read no function, reference or command into
// it, so it is written as it is (OWASP's guard is for cells that can carry a formula).
bool number_or_phone(const std::string& s) {
  if (s.size() < 2 || (s[0] != '+' && s[0] != '-')) return false;
  bool digit = false;
  for (size_t i = 1; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9')
      digit = true;
    else if (c == '\0' || !std::strchr(" .,()-/", c))
      return false;
  }
  return digit;
}
}  // namespace

bool starts_like_formula(const std::string& s) {
  return !s.empty() && std::strchr("=+-@\t\r", s[0]) && !number_or_phone(s);
}

std::string csv_cell(const std::string& v, bool text) {
  std::string s = v;
  if (text && starts_like_formula(s)) s = "'" + s;
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

void append_number(std::string& out, double d) {
  if (std::isnan(d)) return;
  if (d == 0) d = 0;  // -0 (e.g. -1 point x 0 days) prints as 0
  out += detail::format_number(d);
}

namespace {
std::string num(double d) {
  std::string s;
  append_number(s, d);
  return s;
}
std::string signed_num(double d) { return (d >= 0 ? "+" : "") + num(d); }
}  // namespace

std::string reasons_text(const Ledger& l) {
  std::string s;
  for (const auto& e : l.entries) {
    if (!s.empty()) s += "; ";
    s += e.label + " " + signed_num(e.points);
    if (!e.clipped.empty()) s += " (" + e.clipped + ")";
  }
  for (const auto& g : l.groups)
    if (!g.clipped.empty()) s += (s.empty() ? "" : "; ") + g.label + " capped at " + num(g.score);
  if (!l.clipped.empty()) s += (s.empty() ? "" : "; ") + std::string("total capped at ") + num(l.total);
  return s;
}

ScoredCsvWriter::ScoredCsvWriter(const Scorer& s, bool with_reasons)
    : ScoredCsvWriter(s, [with_reasons] {
        ExportOptions o;
        o.reasons = with_reasons;
        return o;
      }()) {}

ScoredCsvWriter::ScoredCsvWriter(const Scorer& s, const ExportOptions& options) : s_(s), options_(options) {
  plan_added();
  const Table& t = s.table();
  std::vector<std::string> added;
  for (const auto& a : added_) added.push_back(a.name);
  for (const auto& k : options_.keep)
    if (t.find(k) < 0)
      throw ExportError("no column '" + k + "' to keep: the leads' columns are listed by `leadscore check`");
  cells_.resize(t.columns.size());
  for (size_t c = 0; c < t.columns.size(); ++c) {
    const Column& col = t.columns[c];
    if (!options_.keep.empty() && std::none_of(options_.keep.begin(), options_.keep.end(),
                                               [&](const std::string& k) { return t.find(k) == static_cast<int>(c); }))
      continue;
    if (std::find(added.begin(), added.end(), col.header) != added.end()) {
      replaced_.push_back(col.header);
      continue;
    }
    passed_.push_back(c);
    if (col.type == ColumnType::String)
      for (const std::string_view v : col.dict) cells_[c].dict.push_back(csv_cell(std::string(v), true));
    for (const auto& v : col.spellings) cells_[c].spelled.push_back(csv_cell(v, col.type == ColumnType::String));
  }
  const RuleSet& rs = s.rules();
  if (rs.matrix.present) {
    for (const auto& f : rs.matrix.fit)
      for (const auto& e : rs.matrix.engagement) {
        std::string action;
        for (const auto& [cell, a] : rs.matrix.actions)
          if (cell == f.name + e.name) action = a;
        cell_actions_.push_back(csv_cell(action, true));
      }
  }
}

namespace {
const char* const kAddedKinds[] = {"score", "groups", "tier", "action", "sales_ready", "cell", "reasons"};
}

void ScoredCsvWriter::plan_added() {
  const RuleSet& rs = s_.rules();
  std::vector<std::string> kinds = options_.add;
  if (kinds.empty()) kinds.assign(std::begin(kAddedKinds), std::end(kAddedKinds));
  for (const auto& k : kinds)
    if (std::find(std::begin(kAddedKinds), std::end(kAddedKinds), k) == std::end(kAddedKinds))
      throw ExportError("unknown export column '" + k +
                        "'; choose from score, groups, tier, action, sales_ready, cell, reasons");
  auto wanted = [&](const char* k) { return std::find(kinds.begin(), kinds.end(), k) != kinds.end(); };
  auto add = [&](Added::Kind kind, std::string name, size_t group = 0) {
    if (auto it = options_.rename.find(name); it != options_.rename.end()) name = it->second;
    added_.push_back({kind, std::move(name), group});
  };
  if (wanted("score")) add(Added::Score, "score");
  if (wanted("groups"))
    for (size_t g = 0; g < rs.groups.size(); ++g) add(Added::Group, "score_" + rs.groups[g].id, g);
  if (wanted("tier")) add(Added::Tier, "tier");
  if (wanted("action")) add(Added::Action, "action");
  if (wanted("sales_ready")) add(Added::SalesReady, "sales_ready");
  if (wanted("cell") && rs.matrix.present) add(Added::Cell, "cell"), add(Added::CellAction, "cell_action");
  if (wanted("reasons") && options_.reasons) add(Added::Reasons, "reasons");
}

std::vector<std::string> ScoredCsvWriter::added_columns() const {
  std::vector<std::string> names;
  for (const auto& a : added_) names.push_back(a.name);
  return names;
}

std::string ScoredCsvWriter::header() const {
  const Table& t = s_.table();
  std::string head;
  bool first = true;  // not head.empty(): an empty first header is a column too
  auto add = [&](const std::string& name) {
    head += (first ? "" : ",") + csv_cell(name, true);
    first = false;
  };
  for (const size_t c : passed_) {
    const std::string& h = t.columns[c].header;
    const auto it = options_.rename.find(h);
    add(it == options_.rename.end() ? h : it->second);
  }
  for (const auto& a : added_) add(a.name);
  return head + "\r\n";
}

void ScoredCsvWriter::append_added(size_t i, std::string& line) const {
  const RuleSet& rs = s_.rules();
  const Results& r = s_.results();
  const Band& tier = rs.tiers[r.tier[i]];
  for (const auto& a : added_) {
    switch (a.kind) {
      case Added::Score:
        append_number(line, r.total[i]);
        break;
      case Added::Group:
        append_number(line, r.groups[a.group][i]);
        break;
      case Added::Tier:
        line += csv_cell(tier.name, true);
        break;
      case Added::Action:
        line += csv_cell(tier.action, true);
        break;
      case Added::SalesReady:
        line += r.sales_ready[i] ? "true" : "false";
        break;
      case Added::Cell: {
        const int f = r.fit_band[i], e = r.engagement_band[i];
        line += csv_cell(rs.matrix.fit[f].name + rs.matrix.engagement[e].name, true);
        break;
      }
      case Added::CellAction:
        line += cell_actions_[(size_t)r.fit_band[i] * rs.matrix.engagement.size() + (size_t)r.engagement_band[i]];
        break;
      case Added::Reasons:
        line += csv_cell(reasons_text(s_.ledger(i)), true);
        break;
    }
    line += ',';
  }
}

void ScoredCsvWriter::append_rows(size_t begin, size_t end, std::string& line) const {
  const Table& t = s_.table();
  end = std::min(end, t.rows);
  for (size_t i = begin; i < end; ++i) {
    for (const size_t c : passed_) {
      const Column& col = t.columns[c];
      const int32_t spelled = col.spelling_of(i);
      if (spelled >= 0) {
        line += cells_[c].spelled[static_cast<size_t>(spelled)];
      } else if (col.type == ColumnType::String) {
        if (col.codes[i] >= 0) line += cells_[c].dict[static_cast<size_t>(col.codes[i])];
      } else if (col.type == ColumnType::Number) {
        append_number(line, col.num[i]);
      } else if (col.type == ColumnType::Boolean) {
        if (!std::isnan(col.num[i])) line += col.num[i] != 0 ? "true" : "false";
      } else {
        line += csv_cell(col.value_text(i), false);
      }
      line += ',';
    }
    append_added(i, line);
    if (!passed_.empty() || !added_.empty()) line.pop_back();  // the last ','
    line += "\r\n";
  }
}

}  // namespace leadscore
