// The events side of the Scorer (docs/rules.md, "Events"): computed fields, validation of event
// criteria against the loaded events, per-lead evaluation of event rules, their ledger entries,
// and set_events / set_as_of. Kept apart from scorer.cpp, which calls these at its steps.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "leadscore/limits.h"
#include "leadscore/scorer.h"
#include "scoring/scorer_state.h"

namespace leadscore {

// The table the rules see: the leads plus one number column per computed field (the current
// one when the computed fields have the same names; a copy of the leads otherwise). Null when
// the rule set has no computed fields.
std::shared_ptr<Table> Scorer::State::derived_table_for(const RuleSet& rs, std::vector<std::string>* dnames) const {
  const size_t n = base_->rows;
  for (const auto& d : rs.derived) dnames->push_back(d.name);
  std::shared_ptr<Table> dtab;
  if (!dnames->empty()) {
    if (derived_table_ && derived_names_ == *dnames) {
      dtab = derived_table_;
    } else {
      dtab = std::make_shared<Table>(*base_);
      for (const auto& name : *dnames) {
        Column c;
        c.name = c.header = name;
        c.type = ColumnType::Number;
        c.num = std::vector<double>(n, NAN);
        dtab->columns.push_back(std::move(c));
      }
    }
  }
  return dtab;
}

// Errors and warnings about event criteria and computed fields: the as-of date, columns the
// events lack, unknown types, future events. Computes the per-event masks into `emasks`.
void Scorer::State::check_events(const RuleSet& rs, Diagnostics& diags,
                                 std::map<std::string, std::shared_ptr<const std::vector<uint8_t>>>& emasks) {
  const size_t n = base_->rows;
  std::string needs;
  for (const auto& r : rs.rules)
    if (r.events && r.enabled && needs.empty()) needs = "rule '" + r.id + "' counts events";
  for (const auto& d : rs.derived)
    if (needs.empty()) needs = "field '" + d.name + "' is computed against a date";
  if (!needs.empty() && !as_of_)
    diags.push_back({Diagnostic::Severity::Error, "as_of",
                     "no as-of date is set, and " + needs +
                         ": set the date every time computation is against (CLI --as-of YYYY-MM-DD; JS score(leads, "
                         "rules, {asOf}) or "
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
      d.push_back({Diagnostic::Severity::Error, "unknown_field",
                   "dedupe column '" + *rule.events->match.dedupe + "' is not a column of the events" +
                       (hint.empty() ? "" : "; did you mean '" + hint + "'?"),
                   path + ".dedupe", rule.id, *rule.events->match.dedupe});
    }
    const Column& tc = et.columns[events_->type_column()];
    for (const auto& ty : rule.events->match.types)
      if (std::find(tc.dict.begin(), tc.dict.end(), ty) == tc.dict.end()) {
        std::string hint = did_you_mean(ty, tc.dict.to_strings());
        d.push_back({Diagnostic::Severity::Warning, "unknown_event_type",
                     "no event has type '" + ty + "'" + (hint.empty() ? "" : "; did you mean '" + hint + "'?"),
                     path + ".type", rule.id, ""});
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
      diags.push_back({Diagnostic::Severity::Error, "duplicate",
                       "the leads already have a column '" + base_->columns[c].name + "' (header '" +
                           base_->columns[c].header + "'); give the computed field '" + f.name + "' another name",
                       path, "", f.name});
    if (f.kind == DerivedField::Kind::DaysSinceField) {
      int c = resolve_field(*base_, rs, f.date_field);
      if (c < 0) {
        std::vector<std::string> names;
        for (const auto& x : base_->columns) names.push_back(x.name);
        std::string hint = did_you_mean(f.date_field, names);
        diags.push_back({Diagnostic::Severity::Error, "unknown_field",
                         "daysSince names '" + f.date_field + "', which is not a column of the leads" +
                             (hint.empty() ? "" : "; did you mean '" + hint + "'?"),
                         path + ".daysSince", "", f.date_field});
      } else if (base_->columns[c].type != ColumnType::Date) {
        diags.push_back({Diagnostic::Severity::Error, "type_mismatch",
                         "daysSince needs a date field, but '" + f.date_field + "' holds " +
                             to_string(base_->columns[c].type) +
                             " values (declare it in 'fields' with \"type\": \"date\" if it holds dates)",
                         path + ".daysSince", "", f.date_field});
      }
      continue;
    }
    wants_events = true;
    if (!events_) continue;
    event_mask(f.match, path + (f.kind == DerivedField::Kind::EventCount ? ".eventCount" : ".daysSince"), "", diags,
               emasks);
    if (f.match.dedupe && event_column(*events_, *f.match.dedupe) < 0)
      diags.push_back({Diagnostic::Severity::Error, "unknown_field",
                       "dedupe column '" + *f.match.dedupe + "' is not a column of the events",
                       path + ".eventCount.dedupe", "", *f.match.dedupe});
  }
  if (wants_events && !events_)
    diags.push_back({Diagnostic::Severity::Warning, "no_events",
                     "the rules count events, but no events are loaded: every lead counts as having none", "", "", ""});
  if (events_ && as_of_ && wants_events) {
    size_t future = 0;
    const int32_t* day = events_->days();
    for (size_t r = 0, end = events_->end(n ? n - 1 : 0); n && r < end; ++r)
      future += day[r] != kUndated && day[r] > *as_of_;
    if (future)
      diags.push_back({Diagnostic::Severity::Warning, "future_events",
                       format_count(future) + " event(s) are dated after the as-of day " + day_text(*as_of_) +
                           " and are not counted",
                       "", "", ""});
  }
}

// An event rule over every lead: its lead condition (c.eval) AND the count test, with each
// lead's effective points. Cached like conditions, by everything it depends on.
void Scorer::State::evaluate_event_rule(
    const RuleSet& rs, const Rule& rule, const std::string& key,
    const std::map<std::string, std::shared_ptr<const std::vector<uint8_t>>>& emasks, Compiled& c,
    std::map<std::string, std::shared_ptr<const Evaluated>>& cache, size_t* evaluations) {
  const size_t n = base_->rows;
  EventRuleSpec spec = event_spec(rs, rule);
  std::shared_ptr<const std::vector<uint8_t>> em;
  if (events_) {
    em = emasks.at("m" + std::to_string(events_->serial()) + '\x1d' + rule.events->match.key());
    c.event_mask = em;
    if (rule.events->match.dedupe) {
      int col = event_column(*events_, *rule.events->match.dedupe);
      auto dkey = std::make_pair(events_->serial(), col);
      auto dc = dedupe_cache_.find(dkey);
      if (dc == dedupe_cache_.end()) {
        int32_t distinct = 0;
        auto codes = std::make_shared<const std::vector<int32_t>>(dedupe_codes(*events_, col, &distinct));
        dc = dedupe_cache_.emplace(dkey, std::make_pair(codes, distinct)).first;
      }
      c.dedupe = dc->second.first;
      c.dedupe_distinct = dc->second.second;
    }
  }
  // Plain concatenation, not a stringstream: streams pull the locale machinery (~45 KB of wasm)
  // into the visitor build (bench/EMBED.md). %.17g keeps the points exact, as precision(17) did.
  char points[32];
  std::snprintf(points, sizeof points, "%.17g", rule.points);
  const std::string ekey = "E" + key + '\x1d' + rule.events->source.dump() + '\x1d' + points + '\x1d' +
                           (spec.decay ? to_json(*spec.decay).dump() : "-") + '\x1d' +
                           std::to_string(as_of_.value_or(0)) + '\x1d' +
                           std::to_string(events_ ? events_->serial() : 0);
  auto ehit = cache.find(ekey);
  if (ehit == cache.end()) {
    auto old = mask_cache_.find(ekey);
    if (old != mask_cache_.end()) ehit = cache.emplace(ekey, old->second).first;
  }
  if (ehit == cache.end()) {
    const Evaluated& base = *c.eval;
    auto ev = std::make_shared<Evaluated>();
    ev->serial = next_serial_++;
    ev->mask = base.mask;
    ev->errors = base.errors, ev->first_error_row = base.first_error_row;
    ev->points.assign(n, 0.0);
    std::vector<uint32_t> seen(c.dedupe ? (size_t)c.dedupe_distinct : 0, 0);
    const long asof = as_of_.value_or(0);
    for (size_t i = 0; i < n; ++i) {
      if (ev->mask[i] != kTrue) continue;
      EventOutcome o;
      if (events_) {
        o = evaluate_lead(*events_, i, asof, spec, em->data(), c.dedupe ? c.dedupe->data() : nullptr, seen,
                          (uint32_t)i + 1, false);
      } else {
        CountTest test = rule.events->count.value_or(
            CountTest{CountTest::Op::GE, rule.events->bands.empty() ? 1 : rule.events->bands.back().min, 0});
        o.fired = test.test(0);
        bool once = rule.events->repeat == EventCriteria::Repeat::Once;
        if (o.fired && once) {
          double p = rule.points;
          if (!rule.events->bands.empty()) {
            if (rule.events->bands.back().min > 0)
              o.fired = false;
            else
              p = rule.events->bands.back().points;
          }
          if (o.fired) o.raw = o.effective = p;
        }
      }
      if (!o.fired)
        ev->mask[i] = kFalse;
      else
        ev->points[i] = o.effective, ev->fired++;
    }
    ++*evaluations;
    ehit = cache.emplace(ekey, ev).first;
  }
  c.eval = ehit->second;
}

// A fired event rule's ledger entry for one lead (count, occurrences, raw, decay, effective).
void Scorer::State::event_entry(size_t r, size_t lead, LedgerEntry& e) const {
  const Rule& rule = rules_.rules[r];
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
  e.decay =
      o.raw != 0 ? e.effective / o.raw : (spec.decay && o.newest_age >= 0 ? spec.decay->factor(o.newest_age) : 1.0);
  if (o.newest_age >= 0) e.days_since = o.newest_age;
  e.future = o.future, e.undated = o.undated;
  e.points = rule.bounds.clamp(e.effective);
  e.clipped = rule.bounds.clip_label(e.effective, "rule");
}

std::shared_ptr<const std::vector<uint8_t>> Scorer::State::event_mask(
    const EventMatch& m, const std::string& path, const std::string& rule_id, Diagnostics& diags,
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
    diags.push_back({Diagnostic::Severity::Warning, "eval_error",
                     "the 'where' condition could not be evaluated for " + format_count(errors) +
                         " event(s), which do not match; first at line " +
                         std::to_string(events_->table().row_line[first]) +
                         " of the events: " + error_message(m.where, events_->table(), first),
                     path + ".where", rule_id, ""});
  return keep[key] = mask;
}

EventRuleSpec Scorer::State::event_spec(const RuleSet& rs, const Rule& rule) const {
  EventRuleSpec spec;
  spec.crit = &*rule.events;
  spec.points = rule.points;
  if (!rule.events->no_decay) {
    if (rule.events->decay)
      spec.decay = &*rule.events->decay;
    else if (int g = rs.group_index(rule.group); g >= 0 && rs.groups[g].decays && rs.groups[g].decay)
      spec.decay = &*rs.groups[g].decay;
  }
  return spec;
}

void Scorer::State::compute_derived(
    const RuleSet& rs, Table& t,
    const std::map<std::string, std::shared_ptr<const std::vector<uint8_t>>>& masks) const {
  const size_t n = base_->rows, base_cols = base_->columns.size();
  const long asof = as_of_.value_or(0);
  for (size_t k = 0; k < rs.derived.size(); ++k) {
    const DerivedField& f = rs.derived[k];
    t.columns[base_cols + k].num = [&] {
      std::vector<double> out(n);
      const double fallback = f.fallback.value_or(NAN);
      if (f.kind == DerivedField::Kind::DaysSinceField) {
        const Column& c = base_->columns[resolve_field(*base_, rs, f.date_field)];
        for (size_t i = 0; i < n; ++i) out[i] = c.num.is_missing(i) ? fallback : (double)(asof - day_of_ms(c.num[i]));
        return out;
      }
      const bool count = f.kind == DerivedField::Kind::EventCount;
      if (!events_) {
        std::fill(out.begin(), out.end(), count ? 0.0 : fallback);
        return out;
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
        EventOutcome o = evaluate_lead(*events_, i, asof, spec, em, codes.empty() ? nullptr : codes.data(), seen,
                                       (uint32_t)i + 1, false);
        out[i] = count ? (double)o.count : o.newest_age >= 0 ? (double)o.newest_age : fallback;
      }
      return out;
    }();
  }
}

Diagnostics Scorer::State::set_events(std::shared_ptr<const Events> events) {
  if (events && events->leads().get() != base_.get())
    throw RuleSetError(
        {Diagnostic{Diagnostic::Severity::Error, "events",
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

Diagnostics Scorer::State::set_as_of(std::optional<long> day) {
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

}  // namespace leadscore
