// The bodies of the fuzz targets past loading and rules (issue 28): the events loader and join,
// metrics and rule-set comparison, and the scored-CSV export writer. Header-only like checks.h,
// so tests/test_fuzz_regressions.cpp replays every committed input through the same checks.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checks.h"
#include "leadscore/compare.h"
#include "leadscore/events.h"
#include "leadscore/export.h"
#include "leadscore/metrics.h"
#include "leadscore/outcomes.h"

namespace leadscore::fuzz {

// ------------------------------------------------------------------------- events

// Leads the fuzzed events join to: ids as text, one missing, one duplicated spelling.
inline std::shared_ptr<const Table> event_leads() {
  static const std::shared_ptr<const Table> t =
      std::make_shared<Table>(load_table("lead_id,title\nL1,CEO\nL2,VP\n3,\nL4,cto\n,Student\n"));
  return t;
}

// The join's own invariants: every event row once, each lead's events contiguous and newest
// first (undated last), the counts adding up.
inline void check_events_join(const Events& ev, size_t leads) {
  const size_t n = ev.rows();
  LS_FUZZ_CHECK(ev.begin(0) == 0 && ev.end(leads - 1) <= n, "lead ranges inside the events");
  std::vector<bool> seen(n, false);
  for (size_t r = 0; r < n; ++r) {
    const size_t in = ev.input_row(r);
    LS_FUZZ_CHECK(in < n && !seen[in] && ev.grouped_row(in) == r, "input_row and grouped_row are inverse");
    seen[in] = true;
  }
  size_t joined = 0;
  for (size_t i = 0; i < leads; ++i) {
    LS_FUZZ_CHECK(ev.begin(i) <= ev.end(i), "a lead's range is not reversed");
    joined += ev.end(i) - ev.begin(i);
    for (size_t r = ev.begin(i) + 1; r < ev.end(i); ++r) {
      const int32_t a = ev.days()[r - 1], b = ev.days()[r];
      LS_FUZZ_CHECK(b == kUndated || (a != kUndated && a >= b), "newest first, undated last");
    }
  }
  LS_FUZZ_CHECK(joined == ev.matched, "matched = events in the leads' ranges");
  LS_FUZZ_CHECK(ev.matched + ev.unknown_leads + ev.missing_lead_id == n, "every event counted once");
  for (size_t r = 0; r < n; ++r)
    if (ev.days()[r] != kUndated)
      LS_FUZZ_CHECK(ev.days()[r] >= ev.first_day && ev.days()[r] <= ev.last_day, "days within first..last");
  for (const auto& p : ev.problems) LS_FUZZ_CHECK(detail::valid_utf8(p.message), "event notes are UTF-8");
}

// Events: byte 0 options (format, which columns are named), the rest an events file. The join's
// invariants hold, and event rules score every lead to a finite total (or fail as RuleSetError).
inline void check_events(const uint8_t* data, size_t size) {
  Bytes in(data, size);
  const uint8_t opt = in.byte();
  const std::string text = in.rest();
  EventOptions eo;
  if (opt & 1) eo.lead_id = "lead_id";
  if (opt & 2) eo.type = "type";
  if (opt & 4) eo.timestamp = "timestamp";
  LoadOptions lo = event_load_options(eo);
  lo.format = (opt & 8) ? "auto" : "csv";
  std::shared_ptr<Events> ev;
  try {
    ev = std::make_shared<Events>(event_leads(), load_table(text, lo), eo);
  } catch (const LoadError& e) {
    (void)error_outcome(e);
    return;
  } catch (const EventsError& e) {
    LS_FUZZ_CHECK(detail::valid_utf8(e.what()) && *e.what(), "events errors are readable");
    return;
  }
  check_events_join(*ev, event_leads()->rows);
  Scorer s(event_leads());
  s.set_events(ev);
  s.set_as_of(std::optional<long>((opt & 16) ? 19800L : 20000L));
  static const char* kRules = R"({"groups":[{"id":"e","decay":{"halfLife":10}}],"rules":[
    {"id":"any","group":"e","points":3,"events":{"type":"visit","repeat":"every"}},
    {"id":"two","group":"e","points":5,"events":{"type":["open","click"],"within":30,"count":{">=":2}}},
    {"id":"lin","group":"e","points":-4,"events":{"type":"download","decay":{"linear":{"rate":0.5,"period":7}}}}]})";
  try {
    s.set_rules(parse_rule_set(kRules));
  } catch (const RuleSetError& e) {
    LS_FUZZ_CHECK(!s.has_rules(), std::string("a failed set_rules leaves no rules: ") + e.what());
    return;
  }
  for (size_t i = 0; i < s.table().rows; ++i) {
    LS_FUZZ_CHECK(std::isfinite(s.results().total[i]), "event totals are finite");
    (void)to_json(s.ledger(i)).dump();
  }
}

// ------------------------------------------------------------------------- metrics and compare

// roc_auc_score written out as the Mann-Whitney statistic: pairs ranked right + half the ties.
inline std::optional<double> brute_auc(const std::vector<double>& score, const std::vector<int8_t>& y) {
  double right = 0, pairs = 0;
  for (size_t i = 0; i < y.size(); ++i)
    for (size_t j = 0; j < y.size(); ++j)
      if (y[i] == 1 && y[j] == 0) {
        pairs += 1;
        right += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
      }
  if (pairs == 0) return std::nullopt;
  return right / pairs;
}

// Leads built from fuzzer bytes: per row two values from a list of spellings (empty, negative,
// huge, formatted) and an outcome text from a list or the bytes themselves.
inline std::string metrics_csv(Bytes& in) {
  static const char* kValues[] = {"", "0", "1", "2.5", "-3", "1e300", "-1e300", "7", "100", "$1,200", "N/A", "12"};
  static const char* kOutcomes[] = {"yes", "no", "", "1", "0", "won", "lost", "maybe", "TRUE", "false"};
  std::string csv = "x,y,won\n";
  const size_t rows = in.byte() % 48;
  for (size_t r = 0; r < rows && !in.empty(); ++r) {
    const uint8_t a = in.byte(), b = in.byte(), c = in.byte();
    csv += std::string(kValues[a % 12]) + "," + kValues[b % 12] + ",";
    if (c < 250) {
      csv += kOutcomes[c % 10];
    } else {  // a few raw bytes as the outcome text
      for (size_t k = c - 248; k > 0 && !in.empty(); --k) {
        const char ch = static_cast<char>(in.byte());
        csv += (ch == ',' || ch == '\n' || ch == '\r' || ch == '"') ? '_' : ch;
      }
    }
    csv += "\n";
  }
  return csv;
}

// Metrics and compare: AUC against the pairwise statistic, the capacity threshold against its
// definition, evaluate() and compare() either MetricsError or JSON that serialises.
inline void check_metrics(const uint8_t* data, size_t size) {
  Bytes in(data, size);
  const uint8_t opt = in.byte();
  const double pa = static_cast<int8_t>(in.byte()), pb = static_cast<int8_t>(in.byte());
  std::shared_ptr<const Table> t;
  try {
    t = std::make_shared<Table>(load_table(metrics_csv(in)));
  } catch (const LoadError& e) {
    (void)error_outcome(e);
    return;
  }
  auto scorer = [&](const std::string& field, double points) {
    auto s = std::make_unique<Scorer>(t);
    json rs = {{"rules", json::array({{{"id", "p"}, {"points", points}, {"per", field}, {"max", 1e6}}})}};
    if (opt & 1) rs["rules"].push_back({{"id", "k"}, {"points", 1}, {"when", {{"!!", json::array({{{"var", "y"}}})}}}});
    s->set_rules(parse_rule_set(rs.dump()));
    return s;
  };
  std::unique_ptr<Scorer> a, b;
  try {
    a = scorer("x", pa), b = scorer("y", pb);
  } catch (const RuleSetError&) {
    return;  // a column typed as text (every value N/A): the rule set does not fit, said so
  }
  Outcomes o;
  try {
    o = outcomes_from_column(*t, "won");
  } catch (const MetricsError& e) {
    LS_FUZZ_CHECK(*e.what() != 0, "metrics errors are readable");
    return;
  }
  const std::vector<double> total(a->results().total.begin(), a->results().total.end());
  const auto got = roc_auc(total, o.value), want = brute_auc(total, o.value);
  LS_FUZZ_CHECK(got.has_value() == want.has_value(), "AUC defined alike");
  if (got) LS_FUZZ_CHECK(std::fabs(*got - *want) < 1e-9, "AUC = the pairwise statistic");
  const size_t k = opt >> 3;
  if (const auto th = capacity_threshold(total, k)) {
    const size_t at =
        static_cast<size_t>(std::count_if(total.begin(), total.end(), [&](double v) { return v >= *th; }));
    LS_FUZZ_CHECK(at <= k && at > 0, "the capacity threshold selects at most k leads");
  }
  CompareOptions co;
  co.outcomes = (opt & 2) ? &o : nullptr;
  co.bins = 1 + (opt >> 4);
  co.movers = opt & 7;
  if (opt & 4) co.capacity = Capacity{(opt & 8) != 0, (opt & 8) ? 0.25 : static_cast<double>(k)};
  try {
    (void)evaluate(*a, o).dump();
    (void)compare(*a, *b, co).dump();
  } catch (const MetricsError& e) {
    LS_FUZZ_CHECK(*e.what() != 0, "metrics errors are readable");
  }
}

// ------------------------------------------------------------------------- export

// Whole text that strtod reads as a finite number ("-1e5", "+3"): a spreadsheet reads a number.
inline bool is_number_text(const std::string& f) {
  char* end = nullptr;
  const double d = std::strtod(f.c_str(), &end);
  return !f.empty() && end == f.c_str() + f.size() && std::isfinite(d) && f.find_first_of("xXnN") == std::string::npos;
}

// Export: byte 0 options, the rest a leads file. The scored CSV parses back (reference
// tokenizer) to one record per lead with the header's width; every input cell comes back as
// read, with a ' in front only where it would start a formula; no cell starts a formula; the
// file written in pieces equals the file written at once.
inline void check_export(const uint8_t* data, size_t size) {
  Bytes in(data, size);
  const uint8_t opt = in.byte();
  const uint32_t seed = in.u32();
  std::shared_ptr<const Table> t;
  try {
    t = std::make_shared<Table>(load_table(in.rest()));
  } catch (const LoadError& e) {
    (void)error_outcome(e);
    return;
  }
  Scorer s(t);
  s.set_rules(parse_rule_set(R"({"groups":[{"id":"fit"}],"tiers":[{"name":"=Hot","min":2},{"name":"Cold"}],
    "rules":[{"id":"all","group":"fit","points":2.5,"label":"+all, \"quoted\""}]})"));
  ExportOptions eo;
  eo.reasons = opt & 1;
  if (opt & 2) eo.add = {"score", "tier"};
  if ((opt & 4) && !t->columns.empty()) eo.keep = {t->columns.back().name};
  if (opt & 8) eo.rename = {{"score", "=Lead Score"}};
  const ScoredCsvWriter w(s, eo);
  std::string whole = w.header(), pieces = w.header();
  w.append_rows(0, t->rows, whole);
  Rng rng(seed);
  size_t at = 0;
  for (size_t c : cuts(t->rows, rng)) w.append_rows(at, c, pieces), at = c;
  LS_FUZZ_CHECK(whole == pieces, "rows written in pieces = at once");
  LS_FUZZ_CHECK(detail::valid_utf8(whole), "the export is UTF-8");
  std::vector<Record> recs;
  size_t open = 0;
  LS_FUZZ_CHECK(reference_records(whole, ',', recs, &open), "the export parses back");
  LS_FUZZ_CHECK(recs.size() == t->rows + 1, "a header and one record per lead");
  const size_t width = recs[0].fields.size(), added = w.added_columns().size();
  LS_FUZZ_CHECK(width >= added, "the added columns are in the header");
  std::vector<size_t> passed;
  for (size_t c = 0; c < t->columns.size(); ++c)
    if ((eo.keep.empty() || static_cast<int>(c) == t->find(eo.keep[0])) &&
        std::find(w.replaced_columns().begin(), w.replaced_columns().end(), t->columns[c].header) ==
            w.replaced_columns().end())
      passed.push_back(c);
  LS_FUZZ_CHECK(width == passed.size() + added || (width == 1 && passed.size() + added == 0), "header width");
  for (size_t r = 1; r < recs.size(); ++r) {
    LS_FUZZ_CHECK(recs[r].fields.size() == width, "record " + std::to_string(r) + " has the header's width");
    // No text cell starts a formula. Cells of number, date and yes/no columns are written as read
    // (a missing value spelled "-", "-1e5"): their spellings are numbers or missing-value words.
    for (size_t k = 0; k < recs[r].fields.size(); ++k) {
      const std::string& f = recs[r].fields[k];
      if (k < passed.size() && t->columns[passed[k]].type != ColumnType::String) continue;
      LS_FUZZ_CHECK(!starts_like_formula(f) || is_number_text(f), "no text cell starts a formula: " + f);
    }
    for (size_t k = 0; k < passed.size(); ++k) {
      const std::string as_read = t->columns[passed[k]].text_as_read(r - 1), got = recs[r].fields[k];
      LS_FUZZ_CHECK(got == as_read || (got == "'" + as_read && starts_like_formula(as_read)),
                    "cell written as read: [" + got + "] vs [" + as_read + "]");
    }
  }
}

}  // namespace leadscore::fuzz
