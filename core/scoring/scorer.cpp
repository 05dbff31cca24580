// Scorer: the public face of scoring/ (scorer_state.h holds the state, rescore.cpp the stages of
// a re-score, group_sums.* the per-lead kernels). Here: forwarding, single-rule edits, ledgers,
// summaries and ranking.
#include "leadscore/scorer.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "leadscore/limits.h"
#include "scoring/group_sums.h"
#include "scoring/scorer_state.h"

namespace leadscore {

using namespace scoring;

bool Scorer::State::GroupMeta::same_as(const GroupMeta& o) const {
  if (id != o.id || bounds != o.bounds || members.size() != o.members.size()) return false;
  for (size_t k = 0; k < members.size(); ++k)
    if (!same_member(members[k], o.members[k])) return false;
  return true;
}

Scorer::Scorer(std::shared_ptr<const Table> table) : s_(std::make_unique<State>(std::move(table))) {}
Scorer::~Scorer() = default;
Scorer::Scorer(Scorer&&) noexcept = default;
Scorer& Scorer::operator=(Scorer&&) noexcept = default;

const Table& Scorer::table() const { return *s_->table_; }
const std::shared_ptr<const Table>& Scorer::table_ptr() const { return s_->table_; }
const RuleSet& Scorer::rules() const { return s_->rules_; }
const Results& Scorer::results() const { return s_->results_; }
const std::vector<RuleStats>& Scorer::stats() const { return s_->stats_; }
const Diagnostics& Scorer::warnings() const { return s_->warnings_; }
bool Scorer::has_rules() const { return s_->has_rules_; }
const std::shared_ptr<const Events>& Scorer::events() const { return s_->events_; }
std::optional<long> Scorer::as_of() const { return s_->as_of_; }
size_t Scorer::last_evaluations() const { return s_->last_evaluations_; }
size_t Scorer::last_delta_groups() const { return s_->last_delta_groups_; }
bool Scorer::last_in_place() const { return s_->last_in_place_; }
size_t Scorer::last_patched_leads() const { return s_->last_patched_leads_; }
const TotalCounts* Scorer::total_counts() const { return s_->total_counts(); }
Ledger Scorer::ledger(size_t lead) const { return s_->ledger(lead); }
Diagnostics Scorer::set_rules(const RuleSet& rs) { return s_->set_rules(rs); }
Diagnostics Scorer::set_events(std::shared_ptr<const Events> events) { return s_->set_events(std::move(events)); }
Diagnostics Scorer::set_as_of(std::optional<long> day) { return s_->set_as_of(day); }
Diagnostics Scorer::set_as_of(const std::string& day) {
  std::optional<long> d;
  if (!day.empty()) {
    d = parse_day(day);
    if (!d)
      throw RuleSetError(
          {Diagnostic{Diagnostic::Severity::Error, "as_of",
                      "asOf must be a date written YYYY-MM-DD (e.g. 2024-03-31), not '" + day + "'", "", "", ""}});
  }
  return s_->set_as_of(d);
}

const uint8_t* Scorer::rule_mask(size_t r) const {
  const auto& c = s_->compiled_;
  return r < c.size() && c[r].eval ? c[r].eval->mask.data() : nullptr;
}

int Scorer::State::rule_index_checked(const std::string& id) const {
  int i = rules_.rule_index(id);
  if (i < 0) {
    Diagnostic d{Diagnostic::Severity::Error, "unknown_rule", "there is no rule with id '" + id + "'", "", id, ""};
    throw RuleSetError({d});
  }
  return i;
}

Diagnostics Scorer::set_rules(const std::string& text) { return set_rules(text, nullptr); }

Diagnostics Scorer::set_rules(const std::string& text, std::vector<SkippedRule>* skipped) {
  Diagnostics parse_warnings;
  RuleSet rs = parse_rule_set(text, &parse_warnings);
  Diagnostics w = skipped ? set_rules(rs, skipped) : set_rules(rs);
  s_->warnings_.insert(s_->warnings_.begin(), parse_warnings.begin(), parse_warnings.end());
  w.insert(w.begin(), parse_warnings.begin(), parse_warnings.end());
  return w;
}

Diagnostics Scorer::set_rules(const RuleSet& given, std::vector<SkippedRule>* skipped) {
  skipped->clear();
  try {
    return set_rules(given);
  } catch (const RuleSetError& e) {
    std::vector<SkippedRule> out;
    for (const auto& d : e.diagnostics) {
      if (!d.is_error()) continue;
      if (d.code != "unknown_field" || d.rule_id.empty()) throw;  // something else is wrong too
      out.push_back({d.rule_id, d.field, d.message});
    }
    if (out.empty()) throw;
    auto is_skipped = [&](const std::string& id) {
      return std::any_of(out.begin(), out.end(), [&](const SkippedRule& k) { return k.rule_id == id; });
    };
    RuleSet rs = given;
    for (auto& r : rs.rules)
      if (is_skipped(r.id)) r.enabled = false;
    Diagnostics warnings = set_rules(rs);  // throws (changing nothing) if the rest does not fit either
    warnings.erase(
        std::remove_if(warnings.begin(), warnings.end(),
                       [&](const Diagnostic& d) { return d.code == "unknown_field" && is_skipped(d.rule_id); }),
        warnings.end());
    *skipped = std::move(out);
    return warnings;
  }
}

Diagnostics Scorer::add_rule(const nlohmann::json& rule, long index) {
  Diagnostics d;
  Rule r = parse_rule(rule, s_->rules_,
                      "rules[" + std::to_string(index < 0 ? s_->rules_.rules.size() : (size_t)index) + "]", d);
  if (!r.id.empty() && s_->rules_.rule_index(r.id) >= 0)
    d.push_back({Diagnostic::Severity::Error, "duplicate", "rule id '" + r.id + "' is already used; ids must be unique",
                 "", r.id, ""});
  if (has_errors(d)) throw RuleSetError(d);
  RuleSet rs = s_->rules_;
  if (index < -1 || (index >= 0 && (size_t)index > rs.rules.size()))
    throw_index_range("add_rule", (double)index, rs.rules.size(), true);
  if (index < 0 || (size_t)index == rs.rules.size())
    rs.rules.push_back(r);
  else
    rs.rules.insert(rs.rules.begin() + index, r);
  return s_->set_rules(rs);
}

void Scorer::throw_index_range(const char* edit, double index, size_t last, bool append) {
  char at[40];
  if (index == std::floor(index) && std::fabs(index) < 1e18)
    snprintf(at, sizeof at, "%lld", (long long)index);
  else
    snprintf(at, sizeof at, "%g", index);
  throw RuleSetError({{Diagnostic::Severity::Error, "range",
                       std::string(edit) + ": index " + at + " is out of range; it takes a whole number from 0 to " +
                           std::to_string(last) + (append ? " (or -1 to append)" : ""),
                       "rules", "", ""}});
}

Diagnostics Scorer::replace_rule(const std::string& id, const nlohmann::json& rule) {
  int at = s_->rule_index_checked(id);
  Diagnostics d;
  Rule r = parse_rule(rule, s_->rules_, "rules[" + std::to_string(at) + "]", d);
  if (r.id != id && s_->rules_.rule_index(r.id) >= 0)
    d.push_back({Diagnostic::Severity::Error, "duplicate", "rule id '" + r.id + "' is already used; ids must be unique",
                 "", r.id, ""});
  if (has_errors(d)) throw RuleSetError(d);
  RuleSet rs = s_->rules_;
  rs.rules[at] = r;
  return s_->set_rules(rs);
}

Diagnostics Scorer::remove_rule(const std::string& id) {
  int at = s_->rule_index_checked(id);
  RuleSet rs = s_->rules_;
  rs.rules.erase(rs.rules.begin() + at);
  return s_->set_rules(rs);
}

Diagnostics Scorer::set_enabled(const std::string& id, bool enabled) {
  int at = s_->rule_index_checked(id);
  RuleSet rs = s_->rules_;
  rs.rules[at].enabled = enabled;
  return s_->set_rules(rs);
}

Diagnostics Scorer::move_rule(const std::string& id, size_t index) {
  int at = s_->rule_index_checked(id);
  RuleSet rs = s_->rules_;
  if (index >= rs.rules.size()) throw_index_range("move_rule", (double)index, rs.rules.size() - 1, false);
  Rule r = rs.rules[at];
  rs.rules.erase(rs.rules.begin() + at);
  rs.rules.insert(rs.rules.begin() + index, r);
  return s_->set_rules(rs);
}

Ledger Scorer::State::ledger(size_t lead) const {
  const Table& t = *table_;
  if (lead >= t.rows)
    throw std::out_of_range("lead " + std::to_string(lead) + " is out of range (the table has " +
                            std::to_string(t.rows) + " leads)");
  Ledger l;
  l.lead = lead;
  l.line = lead < t.row_line.size() ? t.row_line[lead] : 0;
  for (const auto& grp : rules_.groups) {
    LedgerGroup lg{grp.id, grp.label, 0, 0, ""};
    for (size_t r = 0; r < rules_.rules.size(); ++r) {
      const Rule& rule = rules_.rules[r];
      if (!rule.enabled || rule.group != grp.id || !compiled_[r].eval) continue;
      uint8_t m = compiled_[r].eval->mask[lead];
      if (m == kError) {
        l.errors.emplace_back(rule.id, error_message(rule.when, t, lead));
        continue;
      }
      if (m != kTrue) continue;
      LedgerEntry e;
      e.rule_id = rule.id, e.label = rule.label, e.group = rule.group;
      if (rule.events) {  // count, decay, effective points: scorer_events.cpp
        event_entry(r, lead, e);
        lg.sum += e.points;
        l.entries.push_back(e);
        continue;
      }
      const Column* per = compiled_[r].rule.per_column >= 0 ? &t.columns[compiled_[r].rule.per_column] : nullptr;
      if (per) e.unit_value = per->is_missing(lead) ? std::nullopt : std::optional<double>(per->num[lead]);
      double raw;
      if (!contribution(rule, per, lead, &raw)) {
        e.note = "'" + *rule.per + "' is missing for this lead: 0 points";
        l.entries.push_back(e);
        continue;
      }
      e.raw = raw;
      e.points = rule.bounds.clamp(raw);
      e.clipped = rule.bounds.clip_label(raw, "rule");
      lg.sum += e.points;
      l.entries.push_back(e);
    }
    lg.score = grp.bounds.clamp(lg.sum);
    lg.clipped = grp.bounds.clip_label(lg.sum, "group");
    l.sum += lg.score;
    l.groups.push_back(lg);
  }
  l.total = rules_.total.clamp(l.sum);
  l.clipped = rules_.total.clip_label(l.sum, "total");
  int tier = band_index(rules_.tiers, l.total);
  if (tier >= 0) l.tier = rules_.tiers[tier].name, l.action = rules_.tiers[tier].action;
  l.sales_ready = rules_.sales_ready && l.total >= *rules_.sales_ready;
  if (rules_.matrix.present) {
    const auto& m = rules_.matrix;
    int f = band_index(m.fit, l.groups[rules_.group_index(m.fit_group)].score);
    int e = band_index(m.engagement, l.groups[rules_.group_index(m.engagement_group)].score);
    l.cell = m.fit[f].name + m.engagement[e].name;
    for (const auto& [cell, action] : m.actions)
      if (cell == l.cell) l.cell_action = action;
  }
  return l;
}

nlohmann::json to_json(const Ledger& l) {
  using nlohmann::json;
  json rules = json::array();
  for (const auto& e : l.entries) {
    json j = {{"id", e.rule_id}, {"label", e.label}, {"group", e.group}, {"raw", e.raw}, {"points", e.points}};
    if (!e.clipped.empty()) j["clipped"] = e.clipped;
    if (e.unit_value) j["value"] = *e.unit_value;
    if (!e.note.empty()) j["note"] = e.note;
    if (e.is_event) {
      j["count"] = e.count;
      if (e.occurrences) j["occurrences"] = *e.occurrences;
      j["decay"] = e.decay;
      j["effective"] = e.effective;
      if (e.days_since) j["daysSince"] = *e.days_since;
      if (e.future) j["future"] = e.future;
      if (e.undated) j["undated"] = e.undated;
    }
    rules.push_back(j);
  }
  json groups = json::array();
  for (const auto& g : l.groups) {
    json j = {{"id", g.id}, {"label", g.label}, {"sum", g.sum}, {"score", g.score}};
    if (!g.clipped.empty()) j["clipped"] = g.clipped;
    groups.push_back(j);
  }
  json j = {{"lead", l.lead},
            {"line", l.line},
            {"total", l.total},
            {"sum", l.sum},
            {"tier", l.tier},
            {"action", l.action},
            {"salesReady", l.sales_ready},
            {"groups", groups},
            {"rules", rules}};
  if (!l.clipped.empty()) j["clipped"] = l.clipped;
  if (!l.cell.empty()) j["cell"] = l.cell, j["cellAction"] = l.cell_action;
  if (!l.errors.empty()) {
    json errs = json::array();
    for (const auto& [id, msg] : l.errors) errs.push_back({{"id", id}, {"message", msg}});
    j["errors"] = errs;
  }
  return j;
}

const TotalCounts* Scorer::State::total_counts() const {
  if (counts_state_ == 0) {
    counts_state_ = -1;
    const std::vector<double>& tot = results_.total;
    const size_t n = tot.size();
    double lo = n ? INFINITY : 0, hi = n ? -INFINITY : 0;
    for (double v : tot) lo = std::min(lo, v), hi = std::max(hi, v);  // NaN: fails below
    // Room for edits to move the extremes (else the next patch beyond them drops the counts),
    // and every sum of the totals exact (|total| x leads < 2^53).
    const double span = hi - lo, room = std::max(64.0, span);
    if (has_rules_ && n <= UINT32_MAX && span >= 0 && span + 1 <= (double)TotalCounts::kMaxSpan &&
        std::max(std::fabs(lo), std::fabs(hi)) * ((double)n + 1) < 9007199254740992.0) {
      const double extra = std::min(room, std::floor(((double)TotalCounts::kMaxSpan - span - 1) / 2));
      counts_.lo = lo - extra;
      counts_.count.assign((size_t)(span + 2 * extra) + 1, 0);
      uint32_t* c = counts_.count.data();
      const double base = counts_.lo;
      bool ok = true;
      for (double v : tot) {
        if (!(v >= lo && v <= hi)) {  // NaN (min and max skip it)
          ok = false;
          break;
        }
        ok &= countable(v);
        c[(size_t)(v - base)]++;
      }
      if (ok) counts_state_ = 1;
    }
  }
  return counts_state_ == 1 ? &counts_ : nullptr;
}

Summary summarize(const Scorer& s, size_t bins, bool use_counts) {
  const Results& r = s.results();
  const RuleSet& rs = s.rules();
  Summary out;
  out.rows = r.rows;
  out.tiers.assign(rs.tiers.size(), 0);
  const size_t nb = std::max<size_t>(1, bins);
  out.histogram.assign(nb, 0);
  if (!r.rows || r.total.size() != r.rows) return out;
  const TotalCounts* tc = use_counts ? s.total_counts() : nullptr;
  double lo = INFINITY, hi = -INFINITY, sum = 0;
  if (tc) {
    // Every lead with the same total has the same tier, sales-ready flag and bin.
    const BandFinder tiers(rs.tiers);
    const double ready = rs.sales_ready ? *rs.sales_ready : INFINITY;
    const uint32_t* c = tc->count.data();
    for (size_t k = 0; k < tc->count.size(); ++k) {
      if (!c[k]) continue;
      const double v = tc->lo + (double)k;
      lo = std::min(lo, v), hi = std::max(hi, v), sum += v * c[k];
      const int32_t t = tiers(v);
      if (t >= 0 && (size_t)t < out.tiers.size()) out.tiers[t] += c[k];
      if (rs.sales_ready && v >= ready) out.sales_ready += c[k];
    }
    const double width = hi > lo ? (hi - lo) / nb : 1;
    for (size_t k = 0; k < tc->count.size(); ++k)
      if (c[k]) out.histogram[std::min(nb - 1, (size_t)((tc->lo + (double)k - lo) / width))] += c[k];
  } else {
    const double* tot = r.total.data();
    for (size_t i = 0; i < r.rows; ++i) {
      const int32_t t = r.tier[i];
      if (t >= 0 && (size_t)t < out.tiers.size()) out.tiers[t]++;
      out.sales_ready += r.sales_ready[i];
      lo = std::min(lo, tot[i]), hi = std::max(hi, tot[i]), sum += tot[i];
    }
    const double width = hi > lo ? (hi - lo) / nb : 1;
    for (size_t i = 0; i < r.rows; ++i) out.histogram[std::min(nb - 1, (size_t)((tot[i] - lo) / width))]++;
  }
  out.min = lo, out.max = hi, out.mean = sum / (double)r.rows;
  return out;
}

std::vector<int32_t> rank_leads(const Scorer& s, const std::string& key, int tier, size_t limit, bool ascending) {
  const Results& r = s.results();
  const double* v = r.total.data();
  const int g = s.rules().group_index(key);
  if (g >= 0)
    v = r.groups[g].data();
  else if (key != "total")
    throw std::invalid_argument("cannot order by '" + key + "': use 'total' or a group id");
  std::vector<int32_t> order;
  for (size_t i = 0; i < r.rows; ++i)
    if (tier < 0 || r.tier[i] == tier) order.push_back((int32_t)i);
  auto cmp = [&](int32_t a, int32_t b) {
    return ascending ? (v[a] < v[b] || (v[a] == v[b] && a < b)) : (v[a] > v[b] || (v[a] == v[b] && a < b));
  };
  const size_t n = limit > 0 ? std::min(order.size(), limit) : order.size();
  if (n < order.size()) {
    std::partial_sort(order.begin(), order.begin() + n, order.end(), cmp);
    order.resize(n);
  } else {
    std::sort(order.begin(), order.end(), cmp);
  }
  return order;
}

std::vector<size_t> histogram_range(const Scorer& s, double lo, double hi, size_t bins) {
  const size_t nb = std::max<size_t>(1, bins);
  std::vector<size_t> out(nb, 0);
  const Results& r = s.results();
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = hi = 0;
  const double width = hi > lo ? (hi - lo) / (double)nb : 1;
  for (size_t i = 0; i < r.rows && i < r.total.size(); ++i) {
    const double x = (r.total[i] - lo) / width;
    if (x != x) continue;  // NaN
    out[x <= 0 ? 0 : std::min(nb - 1, (size_t)std::min(x, (double)nb))]++;
  }
  return out;
}

HistogramEdges histogram_edges(double min, double max, const HistogramEdges* previous, size_t target) {
  if (previous && min >= previous->lo && max < previous->hi && max - min >= (previous->hi - previous->lo) / 3)
    return *previous;
  HistogramEdges e;
  if (!(max > min)) {
    e.lo = std::floor(min) - 0.5, e.hi = std::floor(min) + 0.5;
    return e;
  }
  const double raw = (max - min) / (double)std::max<size_t>(1, target);
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  e.width = 10 * p;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * p >= raw) {
      e.width = m * p;
      break;
    }
  e.lo = std::floor(min / e.width) * e.width;
  e.bins = (size_t)std::ceil((max - e.lo) / e.width);
  if (e.lo + (double)e.bins * e.width <= max) e.bins++;  // the max falls inside the last bin
  e.hi = e.lo + (double)e.bins * e.width;
  return e;
}

}  // namespace leadscore
