#include "scorer.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace leadscore {

namespace {

std::string fmt_count(size_t n) {
  std::string s = std::to_string(n);
  for (int i = (int)s.size() - 3; i > 0; i -= 3) s.insert((size_t)i, ",");
  return s;
}

std::string clip_name(const char* which, const char* scope) {
  return *which ? std::string(scope) + " " + which : std::string();
}

// The points a fired rule contributes to its group for lead i (after the rule's own bounds).
// Per-unit rules whose field is missing contribute nothing.
inline bool contribution(const Rule& r, const Column* per, size_t i, double* raw) {
  if (!per) {
    *raw = r.points;
    return true;
  }
  double v = per->num[i];
  if (std::isnan(v)) return false;
  *raw = r.points * v;
  return true;
}

}  // namespace

Scorer::Scorer(std::shared_ptr<const Table> table) : base_(table), table_(std::move(table)) {
  results_.rows = table_->rows;
}

int Scorer::rule_index_checked(const std::string& id) const {
  int i = rules_.rule_index(id);
  if (i < 0) {
    Diagnostic d{Diagnostic::Severity::Error, "unknown_rule", "there is no rule with id '" + id + "'", "", id, ""};
    throw RuleSetError({d});
  }
  return i;
}

Diagnostics Scorer::set_rules(const std::string& text) {
  Diagnostics parse_warnings;
  RuleSet rs = parse_rule_set(text, &parse_warnings);
  Diagnostics w = set_rules(rs);
  warnings_.insert(warnings_.begin(), parse_warnings.begin(), parse_warnings.end());
  w.insert(w.begin(), parse_warnings.begin(), parse_warnings.end());
  return w;
}

Diagnostics Scorer::set_rules(const RuleSet& rs) {
  const size_t n = base_->rows;
  Diagnostics diags;

  // 0. Events and computed fields (docs/rules.md, "Events"): the table the rules see is the
  //    leads plus one number column per computed field; nothing committed is touched yet.
  std::vector<std::string> dnames;
  std::shared_ptr<Table> dtab = derived_table_for(rs, &dnames);
  const Table& t = dtab ? *dtab : *base_;
  const size_t base_cols = base_->columns.size();
  std::map<std::string, std::shared_ptr<const std::vector<uint8_t>>> emasks;
  check_events(rs, diags, emasks);

  // 1. Compile every rule against the table's columns. Errors in enabled rules stop here,
  //    before anything is changed; a disabled rule's errors are only warnings.
  //    A rule compiled before against these leads (same condition, per-unit field and field
  //    declarations) is reused: compiling can cost a pass over a column's distinct values.
  std::vector<Compiled> compiled(rs.rules.size());
  std::map<std::string, CompiledRule> ccache;
  std::string fields_key;
  for (const auto& f : rs.fields) {
    fields_key += f.name + '\x1f';
    for (const auto& a : f.aliases) fields_key += a + '\x1e';
  }
  for (const auto& d : dnames) fields_key += d + '\x1c';  // computed fields change the column layout
  for (size_t r = 0; r < rs.rules.size(); ++r) {
    const Rule& rule = rs.rules[r];
    std::string key = rule.when.dump() + '\x1d' + rule.per.value_or("") + '\x1d' + fields_key;
    if (auto it = compile_cache_.find(key); it != compile_cache_.end()) {
      compiled[r].rule = ccache[key] = it->second;
      continue;
    }
    if (auto it = ccache.find(key); it != ccache.end()) {
      compiled[r].rule = it->second;
      continue;
    }
    Diagnostics d;
    compiled[r].rule = compile_rule(rule, rs, t, d, "rules[" + std::to_string(r) + "]");
    if (!has_errors(d)) ccache[key] = compiled[r].rule;
    for (auto& x : d) {
      if (!rule.enabled && x.is_error()) {
        x.severity = Diagnostic::Severity::Warning;
        x.message += " (the rule is disabled, so this does not stop scoring)";
      }
      diags.push_back(x);
    }
  }
  for (const auto& f : rs.fields)
    if (resolve_field(t, rs, f.name) < 0)
      diags.push_back({Diagnostic::Severity::Warning, "field_not_in_data", "field '" + f.name + "' is declared but the leads have no column for it (nor any of its aliases)",
                       "fields." + f.name, "", f.name});
  if (has_errors(diags)) throw RuleSetError(diags);

  // 1b. Computed fields' values (only when their definitions, the events or the as-of day changed).
  std::string dsig;
  if (dtab) {
    for (const auto& d : rs.derived) dsig += d.name + '=' + d.source.dump() + '\x1d';
    dsig += std::to_string(as_of_.value_or(0)) + '/' + std::to_string(events_ ? events_->serial() : 0);
    if (dtab != derived_table_ || dsig != derived_sig_) compute_derived(rs, *dtab, emasks);
  }
  auto reads_derived = [&](const CompiledRule& cr) {
    return std::any_of(cr.columns.begin(), cr.columns.end(), [&](int c) { return (size_t)c >= base_cols; });
  };

  // 2. Evaluate the conditions that are not already cached.
  std::map<std::string, std::shared_ptr<const Evaluated>> cache;
  size_t evaluations = 0;
  for (size_t r = 0; r < rs.rules.size(); ++r) {
    const Rule& rule = rs.rules[r];
    if (!rule.enabled) continue;
    // Field declarations decide which column a name reads (aliases), so they are part of the key.
    std::string key = rule.when.dump() + '\x1d' + fields_key;
    if (reads_derived(compiled[r].rule)) key += '\x1d' + dsig;
    auto hit = cache.find(key);
    if (hit == cache.end()) {
      auto old = mask_cache_.find(key);
      if (old != mask_cache_.end()) hit = cache.emplace(key, old->second).first;
    }
    if (hit == cache.end()) {
      auto ev = std::make_shared<Evaluated>();
      ev->serial = next_serial_++;
      ev->mask = evaluate(compiled[r].rule, t);
      for (size_t i = 0; i < n; ++i) {
        ev->fired += ev->mask[i] == kTrue;
        if (ev->mask[i] == kError && ev->errors++ == 0) ev->first_error_row = (long)i;
      }
      ++evaluations;
      hit = cache.emplace(key, ev).first;
    }
    compiled[r].eval = hit->second;
    if (rule.events) evaluate_event_rule(rs, rule, key, emasks, compiled[r], cache, &evaluations);
  }

  // 3. Sum each group; reuse a group's scores when nothing that feeds it changed.
  Results res;
  res.rows = n;
  std::map<std::string, std::shared_ptr<const std::vector<double>>> gcache;
  std::vector<std::shared_ptr<const std::vector<double>>> gscores(rs.groups.size());
  for (size_t g = 0; g < rs.groups.size(); ++g) {
    const Group& grp = rs.groups[g];
    std::ostringstream sig;
    sig.precision(17);
    sig << grp.id << '|' << (grp.bounds.min ? *grp.bounds.min : NAN) << '|' << (grp.bounds.max ? *grp.bounds.max : NAN);
    for (size_t r = 0; r < rs.rules.size(); ++r) {
      const Rule& rule = rs.rules[r];
      if (!rule.enabled || rule.group != grp.id) continue;
      sig << ';' << compiled[r].eval->serial << ',' << rule.points << ',' << compiled[r].rule.per_column << ','
          << (compiled[r].rule.per_column >= (int)base_cols ? dsig : std::string()) << ','
          << (rule.bounds.min ? *rule.bounds.min : NAN) << ',' << (rule.bounds.max ? *rule.bounds.max : NAN);
    }
    std::string key = sig.str();
    if (auto it = group_cache_.find(key); it != group_cache_.end()) {
      gscores[g] = it->second;
    } else {
      auto scores = std::make_shared<std::vector<double>>(n, 0.0);
      std::vector<double>& s = *scores;
      for (size_t r = 0; r < rs.rules.size(); ++r) {
        const Rule& rule = rs.rules[r];
        if (!rule.enabled || rule.group != grp.id) continue;
        const uint8_t* m = compiled[r].eval->mask.data();
        if (rule.events) {
          const double* pts = compiled[r].eval->points.data();
          for (size_t i = 0; i < n; ++i)
            if (m[i] == kTrue) s[i] += rule.bounds.clamp(pts[i]);
        } else if (compiled[r].rule.per_column < 0) {
          const double p = rule.bounds.clamp(rule.points);
          for (size_t i = 0; i < n; ++i)
            if (m[i] == kTrue) s[i] += p;
        } else {
          const double* v = t.columns[compiled[r].rule.per_column].num.data();
          for (size_t i = 0; i < n; ++i)
            if (m[i] == kTrue && !std::isnan(v[i])) s[i] += rule.bounds.clamp(rule.points * v[i]);
        }
      }
      for (size_t i = 0; i < n; ++i) s[i] = grp.bounds.clamp(s[i]);
      gscores[g] = scores;
    }
    gcache[key] = gscores[g];
  }

  // 4. Totals, tiers, matrix bands, sales-ready.
  res.total.assign(n, 0.0);
  for (size_t g = 0; g < gscores.size(); ++g) {
    const double* s = gscores[g]->data();
    for (size_t i = 0; i < n; ++i) res.total[i] += s[i];
  }
  res.tier.resize(n);
  res.sales_ready.resize(n);
  for (size_t i = 0; i < n; ++i) {
    res.total[i] = rs.total.clamp(res.total[i]);
    res.tier[i] = band_index(rs.tiers, res.total[i]);
    res.sales_ready[i] = rs.sales_ready && res.total[i] >= *rs.sales_ready;
  }
  res.fit_band.assign(n, -1);
  res.engagement_band.assign(n, -1);
  if (rs.matrix.present) {
    const auto& f = *gscores[rs.group_index(rs.matrix.fit_group)];
    const auto& e = *gscores[rs.group_index(rs.matrix.engagement_group)];
    for (size_t i = 0; i < n; ++i) {
      res.fit_band[i] = band_index(rs.matrix.fit, f[i]);
      res.engagement_band[i] = band_index(rs.matrix.engagement, e[i]);
    }
  }
  for (const auto& g : gscores) res.groups.push_back(*g);

  // 5. Per-rule statistics and the warnings a reviewer should see.
  std::vector<RuleStats> stats;
  for (size_t r = 0; r < rs.rules.size(); ++r) {
    const Rule& rule = rs.rules[r];
    RuleStats st;
    st.id = rule.id;
    st.enabled = rule.enabled;
    st.plan = compiled[r].rule.plan;
    std::string path = "rules[" + std::to_string(r) + "]";
    if (const auto& ev = compiled[r].eval) {
      st.fired = ev->fired;
      st.errors = ev->errors;
      st.first_error_row = ev->first_error_row;
      if (ev->errors) {
        size_t row = (size_t)ev->first_error_row;
        st.first_error = error_message(rule.when, t, row);
        Diagnostic d{Diagnostic::Severity::Warning, "eval_error",
                     "the condition could not be evaluated for " + fmt_count(ev->errors) + " lead(s), which get no points from it; first at line " +
                         std::to_string(row < t.row_line.size() ? t.row_line[row] : row + 1) + ": " + st.first_error,
                     path + ".when", rule.id, ""};
        d.line = row < t.row_line.size() ? t.row_line[row] : 0;
        diags.push_back(d);
      }
      if (n > 0 && ev->fired == 0 && ev->errors == 0)
        diags.push_back({Diagnostic::Severity::Warning, "never_fires", "the rule matches none of the " + fmt_count(n) + " leads", path + ".when", rule.id, ""});
      else if (n > 1 && ev->fired == n && !rule.when.is_null())
        diags.push_back({Diagnostic::Severity::Warning, "always_fires", "the rule matches every lead, so it does not tell leads apart", path + ".when", rule.id, ""});
    }
    stats.push_back(st);
  }

  // 6. Commit: nothing above touched the previous state (but the values of computed fields,
  //    which only the new rule set reads).
  table_ = dtab ? std::shared_ptr<const Table>(dtab) : base_;
  derived_table_ = dtab;
  derived_names_ = dnames;
  derived_sig_ = dsig;
  event_mask_cache_ = std::move(emasks);
  if (!events_) dedupe_cache_.clear();
  rules_ = rs;
  has_rules_ = true;
  compiled_ = std::move(compiled);
  mask_cache_ = std::move(cache);
  compile_cache_ = std::move(ccache);
  group_cache_ = std::move(gcache);
  results_ = std::move(res);
  stats_ = std::move(stats);
  warnings_ = diags;
  last_evaluations_ = evaluations;
  return diags;
}

Diagnostics Scorer::add_rule(const nlohmann::json& rule, long index) {
  Diagnostics d;
  Rule r = parse_rule(rule, rules_, "rules[" + std::to_string(index < 0 ? rules_.rules.size() : (size_t)index) + "]", d);
  if (!r.id.empty() && rules_.rule_index(r.id) >= 0)
    d.push_back({Diagnostic::Severity::Error, "duplicate", "rule id '" + r.id + "' is already used; ids must be unique", "", r.id, ""});
  if (has_errors(d)) throw RuleSetError(d);
  RuleSet rs = rules_;
  if (index < 0 || (size_t)index >= rs.rules.size()) rs.rules.push_back(r);
  else rs.rules.insert(rs.rules.begin() + index, r);
  return set_rules(rs);
}

Diagnostics Scorer::replace_rule(const std::string& id, const nlohmann::json& rule) {
  int at = rule_index_checked(id);
  Diagnostics d;
  Rule r = parse_rule(rule, rules_, "rules[" + std::to_string(at) + "]", d);
  if (r.id != id && rules_.rule_index(r.id) >= 0)
    d.push_back({Diagnostic::Severity::Error, "duplicate", "rule id '" + r.id + "' is already used; ids must be unique", "", r.id, ""});
  if (has_errors(d)) throw RuleSetError(d);
  RuleSet rs = rules_;
  rs.rules[at] = r;
  return set_rules(rs);
}

Diagnostics Scorer::remove_rule(const std::string& id) {
  int at = rule_index_checked(id);
  RuleSet rs = rules_;
  rs.rules.erase(rs.rules.begin() + at);
  return set_rules(rs);
}

Diagnostics Scorer::set_enabled(const std::string& id, bool enabled) {
  int at = rule_index_checked(id);
  RuleSet rs = rules_;
  rs.rules[at].enabled = enabled;
  return set_rules(rs);
}

Diagnostics Scorer::move_rule(const std::string& id, size_t index) {
  int at = rule_index_checked(id);
  RuleSet rs = rules_;
  Rule r = rs.rules[at];
  rs.rules.erase(rs.rules.begin() + at);
  rs.rules.insert(rs.rules.begin() + std::min(index, rs.rules.size()), r);
  return set_rules(rs);
}

Ledger Scorer::ledger(size_t lead) const {
  const Table& t = *table_;
  if (lead >= t.rows) throw std::out_of_range("lead " + std::to_string(lead) + " is out of range (the table has " + std::to_string(t.rows) + " leads)");
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
      e.clipped = clip_name(rule.bounds.clipped(raw), "rule");
      lg.sum += e.points;
      l.entries.push_back(e);
    }
    lg.score = grp.bounds.clamp(lg.sum);
    lg.clipped = clip_name(grp.bounds.clipped(lg.sum), "group");
    l.sum += lg.score;
    l.groups.push_back(lg);
  }
  l.total = rules_.total.clamp(l.sum);
  l.clipped = clip_name(rules_.total.clipped(l.sum), "total");
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
  json j = {{"lead", l.lead}, {"line", l.line}, {"total", l.total}, {"sum", l.sum}, {"tier", l.tier}, {"action", l.action},
            {"salesReady", l.sales_ready}, {"groups", groups}, {"rules", rules}};
  if (!l.clipped.empty()) j["clipped"] = l.clipped;
  if (!l.cell.empty()) j["cell"] = l.cell, j["cellAction"] = l.cell_action;
  if (!l.errors.empty()) {
    json errs = json::array();
    for (const auto& [id, msg] : l.errors) errs.push_back({{"id", id}, {"message", msg}});
    j["errors"] = errs;
  }
  return j;
}

}  // namespace leadscore
