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
  for (const auto& d : rs.derived) dnames.push_back(d.name);
  std::shared_ptr<Table> dtab;
  if (!dnames.empty()) {
    if (derived_table_ && derived_names_ == dnames) {
      dtab = derived_table_;
    } else {
      dtab = std::make_shared<Table>(*base_);
      for (const auto& name : dnames) {
        Column c;
        c.name = c.header = name;
        c.type = ColumnType::Number;
        c.num.assign(n, NAN);
        dtab->columns.push_back(std::move(c));
      }
    }
  }
  const Table& t = dtab ? *dtab : *base_;
  const size_t base_cols = base_->columns.size();
  std::map<std::string, std::shared_ptr<const std::vector<uint8_t>>> emasks;
  {
    std::string needs;
    for (const auto& r : rs.rules)
      if (r.events && r.enabled && needs.empty()) needs = "rule '" + r.id + "' counts events";
    for (const auto& d : rs.derived)
      if (needs.empty()) needs = "field '" + d.name + "' is computed against a date";
    if (!needs.empty() && !as_of_)
      diags.push_back({Diagnostic::Severity::Error, "as_of",
                       "no as-of date is set, and " + needs +
                           ": set the date every time computation is against (CLI --as-of YYYY-MM-DD; JS score(leads, rules, {asOf}) or "
                           "scorer.setAsOf()). leadscore never reads the clock, so scores are reproducible",
                       "", "", ""});
    bool wants_events = false;
    for (size_t r = 0; r < rs.rules.size(); ++r) {
      const Rule& rule = rs.rules[r];
      if (!rule.events) continue;
      wants_events = true;
      if (!events_) continue;
      std::string path = "rules[" + std::to_string(r) + "].events";
      Diagnostics d;
      event_mask(rule.events->match, path, rule.id, d, emasks);
      const Table& et = events_->table();
      if (rule.events->match.dedupe && event_column(*events_, *rule.events->match.dedupe) < 0) {
        std::vector<std::string> names;
        for (const auto& c : et.columns) names.push_back(c.name);
        std::string hint = did_you_mean(*rule.events->match.dedupe, names);
        d.push_back({Diagnostic::Severity::Error, "unknown_field", "dedupe column '" + *rule.events->match.dedupe + "' is not a column of the events" +
                     (hint.empty() ? "" : "; did you mean '" + hint + "'?"), path + ".dedupe", rule.id, *rule.events->match.dedupe});
      }
      const Column& tc = et.columns[events_->type_column()];
      for (const auto& ty : rule.events->match.types)
        if (std::find(tc.dict.begin(), tc.dict.end(), ty) == tc.dict.end()) {
          std::string hint = did_you_mean(ty, tc.dict);
          d.push_back({Diagnostic::Severity::Warning, "unknown_event_type", "no event has type '" + ty + "'" +
                       (hint.empty() ? "" : "; did you mean '" + hint + "'?"), path + ".type", rule.id, ""});
        }
      for (auto& x : d) {
        if (!rule.enabled && x.is_error()) {
          x.severity = Diagnostic::Severity::Warning;
          x.message += " (the rule is disabled, so this does not stop scoring)";
        }
        diags.push_back(x);
      }
    }
    for (size_t k = 0; k < rs.derived.size(); ++k) {
      const DerivedField& f = rs.derived[k];
      std::string path = "fields." + f.name;
      if (int c = base_->find(f.name); c >= 0)
        diags.push_back({Diagnostic::Severity::Error, "duplicate", "the leads already have a column '" + base_->columns[c].name + "' (header '" +
                         base_->columns[c].header + "'); give the computed field '" + f.name + "' another name", path, "", f.name});
      if (f.kind == DerivedField::Kind::DaysSinceField) {
        int c = resolve_field(*base_, rs, f.date_field);
        if (c < 0) {
          std::vector<std::string> names;
          for (const auto& x : base_->columns) names.push_back(x.name);
          std::string hint = did_you_mean(f.date_field, names);
          diags.push_back({Diagnostic::Severity::Error, "unknown_field", "daysSince names '" + f.date_field + "', which is not a column of the leads" +
                           (hint.empty() ? "" : "; did you mean '" + hint + "'?"), path + ".daysSince", "", f.date_field});
        } else if (base_->columns[c].type != ColumnType::Date) {
          diags.push_back({Diagnostic::Severity::Error, "type_mismatch", "daysSince needs a date field, but '" + f.date_field + "' holds " +
                           to_string(base_->columns[c].type) + " values (declare it in 'fields' with \"type\": \"date\" if it holds dates)",
                           path + ".daysSince", "", f.date_field});
        }
        continue;
      }
      wants_events = true;
      if (!events_) continue;
      event_mask(f.match, path + (f.kind == DerivedField::Kind::EventCount ? ".eventCount" : ".daysSince"), "", diags, emasks);
      if (f.match.dedupe && event_column(*events_, *f.match.dedupe) < 0)
        diags.push_back({Diagnostic::Severity::Error, "unknown_field", "dedupe column '" + *f.match.dedupe + "' is not a column of the events",
                         path + ".eventCount.dedupe", "", *f.match.dedupe});
    }
    if (wants_events && !events_)
      diags.push_back({Diagnostic::Severity::Warning, "no_events", "the rules count events, but no events are loaded: every lead counts as having none", "", "", ""});
    if (events_ && as_of_ && wants_events) {
      size_t future = 0;
      const int32_t* day = events_->days();
      for (size_t r = 0, end = events_->end(n ? n - 1 : 0); n && r < end; ++r) future += day[r] != kUndated && day[r] > *as_of_;
      if (future)
        diags.push_back({Diagnostic::Severity::Warning, "future_events", fmt_count(future) + " event(s) are dated after the as-of day " + day_text(*as_of_) +
                         " and are not counted", "", "", ""});
    }
  }

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
    if (!rule.events) continue;

    // Event rules: the lead condition AND the count test, with per-lead effective points.
    EventRuleSpec spec = event_spec(rs, rule);
    std::shared_ptr<const std::vector<uint8_t>> em;
    if (events_) {
      em = emasks.at("m" + std::to_string(events_->serial()) + '\x1d' + rule.events->match.key());
      compiled[r].event_mask = em;
      if (rule.events->match.dedupe) {
        int col = event_column(*events_, *rule.events->match.dedupe);
        auto dkey = std::make_pair(events_->serial(), col);
        auto dc = dedupe_cache_.find(dkey);
        if (dc == dedupe_cache_.end()) {
          int32_t distinct = 0;
          auto codes = std::make_shared<const std::vector<int32_t>>(dedupe_codes(*events_, col, &distinct));
          dc = dedupe_cache_.emplace(dkey, std::make_pair(codes, distinct)).first;
        }
        compiled[r].dedupe = dc->second.first;
        compiled[r].dedupe_distinct = dc->second.second;
      }
    }
    std::ostringstream ek;
    ek.precision(17);
    ek << "E" << key << '\x1d' << rule.events->source.dump() << '\x1d' << rule.points << '\x1d' << (spec.decay ? to_json(*spec.decay).dump() : "-")
       << '\x1d' << as_of_.value_or(0) << '\x1d' << (events_ ? events_->serial() : 0);
    std::string ekey = ek.str();
    auto ehit = cache.find(ekey);
    if (ehit == cache.end()) {
      auto old = mask_cache_.find(ekey);
      if (old != mask_cache_.end()) ehit = cache.emplace(ekey, old->second).first;
    }
    if (ehit == cache.end()) {
      const Evaluated& base = *compiled[r].eval;
      auto ev = std::make_shared<Evaluated>();
      ev->serial = next_serial_++;
      ev->mask = base.mask;
      ev->errors = base.errors, ev->first_error_row = base.first_error_row;
      ev->points.assign(n, 0.0);
      std::vector<uint32_t> seen(compiled[r].dedupe ? (size_t)compiled[r].dedupe_distinct : 0, 0);
      const long asof = as_of_.value_or(0);
      for (size_t i = 0; i < n; ++i) {
        if (ev->mask[i] != kTrue) continue;
        EventOutcome o;
        if (events_) {
          o = evaluate_lead(*events_, i, asof, spec, em->data(), compiled[r].dedupe ? compiled[r].dedupe->data() : nullptr, seen, (uint32_t)i + 1, false);
        } else {
          CountTest test = rule.events->count.value_or(CountTest{CountTest::Op::GE, rule.events->bands.empty() ? 1 : rule.events->bands.back().min, 0});
          o.fired = test.test(0);
          bool once = rule.events->repeat == EventCriteria::Repeat::Once;
          if (o.fired && once) {
            double p = rule.points;
            if (!rule.events->bands.empty()) {
              if (rule.events->bands.back().min > 0) o.fired = false;
              else p = rule.events->bands.back().points;
            }
            if (o.fired) o.raw = o.effective = p;
          }
        }
        if (!o.fired) ev->mask[i] = kFalse;
        else ev->points[i] = o.effective, ev->fired++;
      }
      ++evaluations;
      ehit = cache.emplace(ekey, ev).first;
    }
    compiled[r].eval = ehit->second;
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

std::shared_ptr<const std::vector<uint8_t>> Scorer::event_mask(const EventMatch& m, const std::string& path, const std::string& rule_id, Diagnostics& diags,
                                                               std::map<std::string, std::shared_ptr<const std::vector<uint8_t>>>& keep) {
  std::string key = "m" + std::to_string(events_->serial()) + '\x1d' + m.key();
  if (auto it = keep.find(key); it != keep.end()) return it->second;
  if (auto it = event_mask_cache_.find(key); it != event_mask_cache_.end()) return keep[key] = it->second;
  bool ok = true;
  auto mask = std::make_shared<const std::vector<uint8_t>>(match_events(*events_, m, diags, path, rule_id, &ok));
  if (!ok) return nullptr;
  size_t errors = 0, first = 0;
  for (size_t r = 0; r < mask->size(); ++r)
    if ((*mask)[r] == kError && errors++ == 0) first = r;
  if (errors)
    diags.push_back({Diagnostic::Severity::Warning, "eval_error", "the 'where' condition could not be evaluated for " + fmt_count(errors) +
                     " event(s), which do not match; first at line " + std::to_string(events_->table().row_line[first]) + " of the events: " +
                     error_message(m.where, events_->table(), first), path + ".where", rule_id, ""});
  return keep[key] = mask;
}

EventRuleSpec Scorer::event_spec(const RuleSet& rs, const Rule& rule) const {
  EventRuleSpec spec;
  spec.crit = &*rule.events;
  spec.points = rule.points;
  if (!rule.events->no_decay) {
    if (rule.events->decay) spec.decay = &*rule.events->decay;
    else if (int g = rs.group_index(rule.group); g >= 0 && rs.groups[g].decays && rs.groups[g].decay) spec.decay = &*rs.groups[g].decay;
  }
  return spec;
}

void Scorer::compute_derived(const RuleSet& rs, Table& t, const std::map<std::string, std::shared_ptr<const std::vector<uint8_t>>>& masks) const {
  const size_t n = base_->rows, base_cols = base_->columns.size();
  const long asof = as_of_.value_or(0);
  for (size_t k = 0; k < rs.derived.size(); ++k) {
    const DerivedField& f = rs.derived[k];
    std::vector<double>& out = t.columns[base_cols + k].num;
    const double fallback = f.fallback.value_or(NAN);
    if (f.kind == DerivedField::Kind::DaysSinceField) {
      const Column& c = base_->columns[resolve_field(*base_, rs, f.date_field)];
      for (size_t i = 0; i < n; ++i) out[i] = std::isnan(c.num[i]) ? fallback : (double)(asof - day_of_ms(c.num[i]));
      continue;
    }
    const bool count = f.kind == DerivedField::Kind::EventCount;
    if (!events_) {
      std::fill(out.begin(), out.end(), count ? 0.0 : fallback);
      continue;
    }
    EventCriteria crit;
    crit.match = f.match;
    crit.count = CountTest{CountTest::Op::GE, 0, 0};
    EventRuleSpec spec;
    spec.crit = &crit;
    const uint8_t* em = masks.at("m" + std::to_string(events_->serial()) + '\x1d' + f.match.key())->data();
    std::vector<int32_t> codes;
    int32_t distinct = 0;
    if (f.match.dedupe) codes = dedupe_codes(*events_, event_column(*events_, *f.match.dedupe), &distinct);
    std::vector<uint32_t> seen((size_t)distinct, 0);
    for (size_t i = 0; i < n; ++i) {
      EventOutcome o = evaluate_lead(*events_, i, asof, spec, em, codes.empty() ? nullptr : codes.data(), seen, (uint32_t)i + 1, false);
      out[i] = count ? (double)o.count : o.newest_age >= 0 ? (double)o.newest_age : fallback;
    }
  }
}

Diagnostics Scorer::set_events(std::shared_ptr<const Events> events) {
  if (events && events->leads().get() != base_.get())
    throw RuleSetError({Diagnostic{Diagnostic::Severity::Error, "events",
                                   "these events were joined to another lead table; load them again for these leads", "", "", ""}});
  auto old = events_;
  events_ = std::move(events);
  if (!has_rules_) return {};
  try {
    return set_rules(RuleSet(rules_));
  } catch (...) {
    events_ = old;
    throw;
  }
}

Diagnostics Scorer::set_as_of(std::optional<long> day) {
  auto old = as_of_;
  as_of_ = day;
  if (!has_rules_) return {};
  try {
    return set_rules(RuleSet(rules_));
  } catch (...) {
    as_of_ = old;
    throw;
  }
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
      if (rule.events) {
        EventRuleSpec spec = event_spec(rules_, rule);
        EventOutcome o;
        if (events_ && compiled_[r].event_mask) {
          std::vector<uint32_t> seen(compiled_[r].dedupe ? (size_t)compiled_[r].dedupe_distinct : 0, 0);
          o = evaluate_lead(*events_, lead, as_of_.value_or(0), spec, compiled_[r].event_mask->data(),
                            compiled_[r].dedupe ? compiled_[r].dedupe->data() : nullptr, seen, 1, true);
        } else {
          o.raw = o.effective = compiled_[r].eval->points[lead];
        }
        e.is_event = true;
        e.count = o.count;
        if (rule.events->repeat != EventCriteria::Repeat::Once) e.occurrences = o.occurrences;
        e.raw = o.raw;
        e.effective = compiled_[r].eval->points[lead];  // the value the group sum used
        e.decay = o.raw != 0 ? e.effective / o.raw : (spec.decay && o.newest_age >= 0 ? spec.decay->factor(o.newest_age) : 1.0);
        if (o.newest_age >= 0) e.days_since = o.newest_age;
        e.future = o.future, e.undated = o.undated;
        e.points = rule.bounds.clamp(e.effective);
        e.clipped = clip_name(rule.bounds.clipped(e.effective), "rule");
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
