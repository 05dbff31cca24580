// The boundary between JavaScript and the scoring core: Embind registrations and the code that
// turns every C++ exception into a readable value. Nothing here scores; it only forwards.
//
// Every call returns a JSON text: {"ok": true, ...} or {"ok": false, "error": {message, code,
// line, column, ruleId, field, diagnostics}}. The ES-module facade (leadscore.js) parses it and
// throws a real JS Error. Bulk results leave as typed_memory_views that the facade copies at once.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/heap.h>
#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <new>
#include <numeric>
#include <string>

#include "leadscore/compare.h"
#include "leadscore/event_rules.h"
#include "leadscore/events.h"
#include "leadscore/export.h"
#include "leadscore/json_api.h"
#include "leadscore/jsonlogic.h"
#include "leadscore/learn.h"
#include "leadscore/limits.h"
#include "leadscore/metrics.h"
#include "leadscore/outcomes.h"
#include "leadscore/rules.h"
#include "leadscore/scorer.h"
#include "leadscore/sql.h"
#include "leadscore/table.h"

using namespace emscripten;
using namespace leadscore;
using nlohmann::json;

namespace {

// Lead values are valid UTF-8 (the loader re-reads invalid bytes as Windows-1252); `replace`
// keeps a stray invalid byte from turning an answer into an exception anyway.
std::string ok(json j = json::object()) {
  j["ok"] = true;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string fail(json error) {
  return json{{"ok", false}, {"error", std::move(error)}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Runs f and converts whatever it throws into {"ok": false, "error": ...} (json_api.h: one shape).
template <class F>
std::string guarded(F&& f) {
  try {
    return f();
  } catch (...) {
    return fail(error_json(std::current_exception()));
  }
}

json options_json(const std::string& text) { return text.empty() ? json::object() : json::parse(text); }

// One lead's values (as rules see them) and the input line it came from.
std::string row_result(const Table& t, double i) {
  return guarded([&] { return ok(row_json_checked(t, i)); });
}

}  // namespace

// A lead table living in wasm memory.
class Leads {
 public:
  explicit Leads(std::shared_ptr<const Table> t) : table(std::move(t)) {}
  std::string info() const {
    return guarded([&] { return ok({{"info", table_info_json(*table)}}); });
  }
  std::string row(double i) const { return row_result(*table, i); }
  // Column c's values without a call per lead: numbers, booleans (0/1) and dates (ms since
  // 1970, UTC) as doubles with NaN for missing; texts as dictionary codes (-1 = missing) plus
  // the dictionary. Views are valid until the next allocation: the facade copies them at once.
  val numView(double c) const {
    const Column* col = column(c);
    if (!col || col->type == ColumnType::String) return val::null();
    if (col->num.kind() == Values::Kind::F64) return val(typed_memory_view(col->num.size(), col->num.f64()));
    const std::vector<double> v = col->num.to_vector();  // narrower storage: decoded into a JS copy
    val out = val::global("Float64Array").new_(v.size());
    out.call<void>("set", val(typed_memory_view(v.size(), v.data())));
    return out;
  }
  val codeView(double c) const {
    const Column* col = column(c);
    return col && col->type == ColumnType::String ? val(typed_memory_view(col->codes.size(), col->codes.data()))
                                                  : val::null();
  }
  std::string dictionary(double c) const {
    return guarded([&] {
      const Column* col = column(c);
      if (!col) throw std::out_of_range("no column " + std::to_string((long long)c));
      return ok({{"dictionary", col->dict.to_strings()}});
    });
  }
  std::shared_ptr<const Table> table;

 private:
  const Column* column(double c) const {
    return c >= 0 && c < (double)table->columns.size() ? &table->columns[(size_t)c] : nullptr;
  }
};

// Events joined to one lead table (docs/rules.md, "Events"); registered as "Events".
class EventSet {
 public:
  explicit EventSet(std::shared_ptr<const Events> e) : events(std::move(e)) {}
  std::string info() const {
    return guarded([&] { return ok({{"info", events_info_json(*events)}}); });
  }
  // Event i in input order.
  std::string row(double i) const {
    return guarded([&] {
      if (!(i >= 0 && i < (double)events->rows()))
        throw std::out_of_range("event " + std::to_string((long long)i) + " is out of range");
      size_t r = events->grouped_row((size_t)i);
      return ok({{"row", events->table().row_json(r)}, {"line", events->table().row_line[r]}});
    });
  }
  std::shared_ptr<const Events> events;
};

// Loads leads from text, bytes in wasm memory, or pieces fed one by one (workers, progress).
class Loader {
 public:
  Loader() = default;
  std::string begin(const std::string& options) {
    return guarded([&] {
      LoadOptions opts = load_options_from_json(options_json(options));
      start(std::move(opts));
      return ok();
    });
  }
  // Bytes previously written by JS into wasm memory at ptr (malloc'd by the facade).
  std::string feed(uintptr_t ptr, size_t len) {
    return guarded([&] {
      if (!loader_) throw std::logic_error("feed() before begin()");
      loader_->feed(reinterpret_cast<const char*>(ptr), len);
      bytes_ += len;
      return ok({{"bytes", bytes_}, {"rows", rows_}});
    });
  }
  std::string feedText(const std::string& text) { return feed(reinterpret_cast<uintptr_t>(text.data()), text.size()); }
  // On success the new table is in `result`; on failure nothing changes.
  std::string finish() {
    return guarded([&] {
      if (!loader_) throw std::logic_error("finish() before begin()");
      auto l = std::move(loader_);
      result_ = std::make_shared<Table>(l->finish());
      return ok({{"info", table_info_json(*result_)}});
    });
  }
  void cancel() { loader_.reset(); }
  Leads* take() { return result_ ? new Leads(std::move(result_)) : nullptr; }

  // Events: begin with the event column options (type hints for id, type, timestamp), finish by
  // joining to the leads.
  std::string beginEvents(const std::string& options) {
    return guarded([&] {
      const json o = options_json(options);
      event_opts_ = event_options_from_json(o);
      LoadOptions opts = event_load_options(event_opts_, load_options_from_json(o));
      start(std::move(opts));
      return ok();
    });
  }
  std::string finishEvents(const Leads& leads) {
    return guarded([&] {
      if (!loader_) throw std::logic_error("finishEvents() before beginEvents()");
      auto l = std::move(loader_);
      events_ = std::make_shared<Events>(leads.table, l->finish(), event_opts_);
      return ok();
    });
  }
  EventSet* takeEvents() { return events_ ? new EventSet(std::move(events_)) : nullptr; }

 private:
  void start(LoadOptions opts) {
    rows_ = bytes_ = 0;
    opts.progress = [this](size_t, size_t rows) {
      rows_ = rows;
      return true;
    };
    loader_ = std::make_unique<TableLoader>(std::move(opts));
  }
  std::unique_ptr<TableLoader> loader_;
  std::shared_ptr<Table> result_;
  EventOptions event_opts_;
  std::shared_ptr<Events> events_;
  size_t bytes_ = 0, rows_ = 0;
};

class OutcomeSet;

// A scorer bound to one lead table. Holds rule results inside wasm; re-scoring after an edit
// happens here without data crossing the boundary.
class Session {
 public:
  explicit Session(const Leads& leads) : scorer_(leads.table) {}

  std::string setRules(const std::string& text) {
    return guarded([&] {
      std::string out = done(scorer_.set_rules(text));
      keep_learned_note(text);
      return out;
    });
  }
  // setRules, scoring rules that read fields the leads lack as disabled (listed in "skipped").
  std::string setRulesSkippingMissingFields(const std::string& text) {
    return guarded([&] {
      std::vector<SkippedRule> skipped;
      json out = edited(scorer_.set_rules(text, &skipped));
      keep_learned_note(text);
      out["skipped"] = json::array();
      for (const auto& k : skipped)
        out["skipped"].push_back({{"ruleId", k.rule_id}, {"field", k.field}, {"message", k.message}});
      return ok(out);
    });
  }
  // Indexes arrive as any JS number: a whole number in range, else the core's "range" error.
  std::string addRule(const std::string& rule, double index) {
    return guarded([&] {
      const size_t n = scorer_.rules().rules.size();
      if (index != -1 && !(index >= 0 && index <= (double)n && index == std::floor(index)))
        Scorer::throw_index_range("add_rule", index, n, true);
      return done(scorer_.add_rule(json::parse(rule), (long)index));
    });
  }
  std::string replaceRule(const std::string& id, const std::string& rule) {
    return guarded([&] { return done(scorer_.replace_rule(id, json::parse(rule))); });
  }
  std::string removeRule(const std::string& id) {
    return guarded([&] { return done(scorer_.remove_rule(id)); });
  }
  std::string setEnabled(const std::string& id, bool enabled) {
    return guarded([&] { return done(scorer_.set_enabled(id, enabled)); });
  }
  std::string moveRule(const std::string& id, double index) {
    return guarded([&] {
      const size_t n = scorer_.rules().rules.size();
      if (n == 0) return done(scorer_.move_rule(id, 0));  // no rule: "id not found"
      if (!(index >= 0 && index < (double)n && index == std::floor(index)))
        Scorer::throw_index_range("move_rule", index, n - 1, false);
      return done(scorer_.move_rule(id, (size_t)index));
    });
  }
  // Events (null = none) and the as-of day ("YYYY-MM-DD"; "" = none): re-score like edits.
  std::string setEvents(EventSet* events) {
    return guarded([&] { return done(scorer_.set_events(events ? events->events : nullptr)); });
  }
  std::string setAsOf(const std::string& day) {
    return guarded([&] { return done(scorer_.set_as_of(day)); });
  }

  std::string state() const {
    return guarded([&] { return ok(scorer_state_json(scorer_)); });
  }

  std::string row(double i) const { return row_result(scorer_.table(), i); }

  std::string ledger(double i) const {
    return guarded([&] {
      check_rules();
      if (!(i >= 0 && i < (double)scorer_.table().rows))
        throw std::out_of_range("lead " + std::to_string((long long)i) + " is out of range");
      const Ledger l = scorer_.ledger((size_t)i);
      json out = {{"ledger", to_json(l)}};
      // A learned rule set's probability and top factors (learned_explanation), in the ledger.
      if (json learned = learned_explanation(learned_note_, l); !learned.is_null()) out["ledger"]["learned"] = learned;
      return ok(out);
    });
  }

  // Lead indices ordered by `key` (rank_leads), written to `order_` for orderView.
  std::string order(const std::string& key, double tier, double limit, bool ascending) {
    return guarded([&] {
      check_rules();
      order_ = rank_leads(scorer_, key, tier < 0 ? -1 : (int)tier, limit > 0 ? (size_t)limit : 0, ascending);
      return ok({{"count", order_.size()}});
    });
  }

  // Tier counts, sales-ready count, and a histogram of totals with `bins` equal bins.
  std::string summary(double bins) const {
    return guarded([&] {
      check_rules();
      return ok(summary_json(scorer_, (size_t)std::max(1.0, std::min(bins, 10000.0))));
    });
  }

  // Round edges for the totals (kept from `previous`, {lo, hi, bins, width} or null, while they
  // still fit: histogram_edges) and the counts in them.
  std::string edgesAndHistogram(const std::string& previous) const {
    return guarded([&] {
      check_rules();
      const json p = options_json(previous);
      HistogramEdges old;
      const bool has_previous = p.is_object() && !p.empty();
      if (has_previous)
        old = {p.at("lo").get<double>(), p.at("hi").get<double>(), p.at("width").get<double>(),
               p.at("bins").get<size_t>()};
      const Summary sm = summarize(scorer_, 1);
      const HistogramEdges e = histogram_edges(sm.min, sm.max, has_previous ? &old : nullptr);
      return ok({{"bins", {{"lo", e.lo}, {"hi", e.hi}, {"bins", e.bins}, {"width", e.width}}},
                 {"histogram", histogram_range(scorer_, e.lo, e.hi, e.bins)}});
    });
  }

  // Totals counted over caller-given edges (histogram_range in the core): stable bins while editing.
  std::string histogram(double lo, double hi, double bins) const {
    return guarded([&] {
      check_rules();
      return ok({{"histogram", histogram_range(scorer_, lo, hi, (size_t)std::max(1.0, std::min(bins, 10000.0)))}});
    });
  }

  // Views into wasm memory. Valid only until the next call that can allocate: the facade
  // copies them immediately.
  val totalsView() const {
    return val(typed_memory_view(scorer_.results().total.size(), scorer_.results().total.data()));
  }
  val groupView(double g) const {
    const auto& gs = scorer_.results().groups;
    size_t k = (size_t)g;
    return k < gs.size() ? val(typed_memory_view(gs[k].size(), gs[k].data())) : val::null();
  }
  val tierView() const { return val(typed_memory_view(scorer_.results().tier.size(), scorer_.results().tier.data())); }
  val salesReadyView() const {
    return val(typed_memory_view(scorer_.results().sales_ready.size(), scorer_.results().sales_ready.data()));
  }
  val fitBandView() const {
    return val(typed_memory_view(scorer_.results().fit_band.size(), scorer_.results().fit_band.data()));
  }
  val engagementBandView() const {
    return val(typed_memory_view(scorer_.results().engagement_band.size(), scorer_.results().engagement_band.data()));
  }
  val orderView() const { return val(typed_memory_view(order_.size(), order_.data())); }

  // Scored leads [begin, end) as CSV lines (export.h: the CLI's format, formula cells
  // neutralised), with the header line first when `header`. The writer (which formats each
  // dictionary value once) is kept between chunks and dropped on any rule edit.
  std::string exportCsv(double begin, double end, bool header, const std::string& options) {
    return guarded([&] {
      check_rules();
      if (!csv_ || csv_options_ != options)
        csv_ = std::make_unique<ScoredCsvWriter>(scorer_, export_options_from_json(json::parse(options))),
        csv_options_ = options;
      std::string out = header ? csv_->header() : std::string();
      csv_->append_rows((size_t)std::max(0.0, begin), (size_t)std::max(0.0, end), out);
      return ok({{"csv", std::move(out)}});
    });
  }
  // Outcomes, metrics, variants (metrics_bindings below).
  std::string evaluate(const OutcomeSet& o, const std::string& options) const;
  const Scorer& scorer() const { return scorer_; }

 private:
  void check_rules() const {
    if (!scorer_.has_rules()) throw std::logic_error("no rule set yet: call setRules() first");
  }
  json edited(const Diagnostics& warnings) {
    csv_.reset();
    return {{"warnings", to_json(warnings)}, {"evaluated", scorer_.last_evaluations()}};
  }
  std::string done(const Diagnostics& warnings) { return ok(edited(warnings)); }
  // The "x-learned" note of a rule set learned from outcomes (null otherwise): the ledger turns a
  // total into that model's probability with it. Kept across edits of single rules.
  void keep_learned_note(const std::string& text) {
    json doc = json::parse(text, nullptr, false);
    learned_note_ = doc.is_object() && doc.contains("x-learned") ? doc["x-learned"] : json();
  }
  Scorer scorer_;
  json learned_note_;
  std::vector<int32_t> order_;
  std::unique_ptr<ScoredCsvWriter> csv_;
  std::string csv_options_;  // the options csv_ was made with (JSON text)
};

// Known outcomes of one lead table (column of the leads, or a deals table joined by id).
class OutcomeSet {
 public:
  std::string fromColumn(const Leads& leads, const std::string& column) {
    return guarded([&] {
      Outcomes o = outcomes_from_column(*leads.table, column);
      table_ = leads.table, outcomes_ = std::move(o);
      return ok({{"info", to_json(outcomes_)}});
    });
  }
  std::string fromDeals(const Leads& leads, const std::string& id_column, const Leads& deals,
                        const std::string& deals_id_column) {
    return guarded([&] {
      Outcomes o = outcomes_from_ids(*leads.table, id_column, *deals.table, deals_id_column);
      table_ = leads.table, outcomes_ = std::move(o);
      return ok({{"info", to_json(outcomes_)}});
    });
  }
  std::string info() const {
    return guarded([&] { return ok({{"info", to_json(outcomes_)}}); });
  }
  val valuesView() const { return val(typed_memory_view(outcomes_.value.size(), outcomes_.value.data())); }
  const Outcomes& outcomes() const { return outcomes_; }

 private:
  std::shared_ptr<const Table> table_;  // keeps the leads alive (and their address unique) while in use
  Outcomes outcomes_;
};

std::string Session::evaluate(const OutcomeSet& o, const std::string& options) const {
  return guarded([&] {
    check_rules();
    return ok({{"report", leadscore::evaluate(scorer_, o.outcomes(), EvaluateOptions::parse(json::parse(options)))}});
  });
}

namespace {

void same_leads(const Session& a, const Session& b) {
  if (&a.scorer().table() != &b.scorer().table())
    throw MetricsError("mismatch",
                       "the two scorers were made from different leads: score both rule sets on the same Leads object");
}

std::string compare_json(const Session& a, const Session& b, const OutcomeSet* o, const std::string& options) {
  return guarded([&] {
    same_leads(a, b);
    CompareOptions opt = CompareOptions::parse(json::parse(options));
    opt.outcomes = o ? &o->outcomes() : nullptr;
    return ok({{"report", compare(a.scorer(), b.scorer(), opt)}});
  });
}

std::string compare_plain(const Session& a, const Session& b, const std::string& options) {
  return compare_json(a, b, nullptr, options);
}
std::string compare_outcomes(const Session& a, const Session& b, const OutcomeSet& o, const std::string& options) {
  return compare_json(a, b, &o, options);
}

std::string list_migration_json(const Session& a, const Session& b, const std::string& kind, const std::string& from,
                                const std::string& to, double limit) {
  return guarded([&] {
    same_leads(a, b);
    return ok({{"leads", list_migration(a.scorer(), b.scorer(), kind, from, to, limit > 0 ? (size_t)limit : 0)}});
  });
}

}  // namespace

std::string apply_json(const std::string& logic, const std::string& data) {
  return guarded([&] {
    return ok({{"value", jsonlogic::apply(parse_json_text(logic, "the logic"), parse_json_text(data, "the data"))}});
  });
}

std::string check_rules(const std::string& text) {
  return guarded([&] {
    Diagnostics w;
    RuleSet rs = parse_rule_set(text, &w);
    return ok({{"rules", to_json(rs)}, {"warnings", to_json(w)}});
  });
}

// The core's input limits, for callers to check a file's size before reading it.
std::string limits() { return limits_json().dump(); }

double heap_bytes() { return (double)emscripten_get_heap_size(); }
// Bytes malloc'd and not freed yet (what live tables and scorers hold): bench/ measures per-lead memory.
double heap_in_use() { return (double)mallinfo().uordblks; }

#ifndef LEADSCORE_COMPACT  // the package's default entry leaves SQL and learning out (its size budget)
// The rule set as one SQL query (docs/sql.md); the columns' types from loaded leads / events
// when given (null otherwise), the rest of the options as JSON (sql_options_from_json).
std::string to_sql_json(const std::string& rules, const std::string& options, const Leads* leads,
                        const EventSet* events) {
  return guarded([&] {
    RuleSet rs = parse_rule_set(rules);
    SqlOptions o = sql_options_from_json(options_json(options));
    if (leads) o.leads_columns = sql_schema(*leads->table);
    if (events) {
      const Events& e = *events->events;
      o.events_columns = sql_schema(e.table());
      if (o.event_lead_id.empty()) o.event_lead_id = e.lead_id_name;
      if (o.event_type.empty()) o.event_type = e.type_name;
      if (o.event_time.empty()) o.event_time = e.timestamp_name;
      if (o.lead_key.empty()) o.lead_key = e.lead_key_name;
    }
    return ok({{"sql", to_sql(rs, o)}});
  });
}
#endif

EMSCRIPTEN_BINDINGS(leadscore) {
  function("apply", &apply_json);
  function("checkRules", &check_rules);
  function("heapBytes", &heap_bytes);
  function("limits", &limits);
  function("heapInUse", &heap_in_use);
#ifndef LEADSCORE_COMPACT
  function("toSql", &to_sql_json, allow_raw_pointers());
#endif
  class_<Leads>("Leads")
      .function("info", &Leads::info)
      .function("row", &Leads::row)
      .function("numView", &Leads::numView)
      .function("codeView", &Leads::codeView)
      .function("dictionary", &Leads::dictionary);
  class_<EventSet>("Events").function("info", &EventSet::info).function("row", &EventSet::row);
  class_<Loader>("Loader")
      .constructor<>()
      .function("begin", &Loader::begin)
      .function("feed", &Loader::feed)
      .function("feedText", &Loader::feedText)
      .function("finish", &Loader::finish)
      .function("cancel", &Loader::cancel)
      .function("take", &Loader::take, allow_raw_pointers())
      .function("beginEvents", &Loader::beginEvents)
      .function("finishEvents", &Loader::finishEvents)
      .function("takeEvents", &Loader::takeEvents, allow_raw_pointers());
  class_<OutcomeSet>("OutcomeSet")
      .constructor<>()
      .function("fromColumn", &OutcomeSet::fromColumn)
      .function("fromDeals", &OutcomeSet::fromDeals)
      .function("info", &OutcomeSet::info)
      .function("valuesView", &OutcomeSet::valuesView);
  function("compare", &compare_plain);
  function("compareWithOutcomes", &compare_outcomes);
  function("listMigration", &list_migration_json);
  class_<Session>("Session")
      .constructor<const Leads&>()
      .function("setRules", &Session::setRules)
      .function("addRule", &Session::addRule)
      .function("replaceRule", &Session::replaceRule)
      .function("removeRule", &Session::removeRule)
      .function("setEnabled", &Session::setEnabled)
      .function("moveRule", &Session::moveRule)
      .function("setEvents", &Session::setEvents, allow_raw_pointers())
      .function("setAsOf", &Session::setAsOf)
      .function("state", &Session::state)
      .function("ledger", &Session::ledger)
      .function("row", &Session::row)
      .function("order", &Session::order)
      .function("summary", &Session::summary)
      .function("histogram", &Session::histogram)
      .function("edgesAndHistogram", &Session::edgesAndHistogram)
      .function("setRulesSkippingMissingFields", &Session::setRulesSkippingMissingFields)
      .function("totalsView", &Session::totalsView)
      .function("groupView", &Session::groupView)
      .function("tierView", &Session::tierView)
      .function("salesReadyView", &Session::salesReadyView)
      .function("fitBandView", &Session::fitBandView)
      .function("engagementBandView", &Session::engagementBandView)
      .function("orderView", &Session::orderView)
      .function("exportCsv", &Session::exportCsv)
      .function("evaluate", &Session::evaluate);
}

#ifndef LEADSCORE_COMPACT  // (see to_sql_json)
// ---- Learning from outcomes and channel quality (issue 23; docs/learn.md) ----

namespace {

// A learning run in steps, so that the worker can post progress and honour a cancel between
// them. start() reads the leads, outcomes and (optionally) the current rules once; after that
// the job holds everything it needs.
class LearnJob {
 public:
  std::string start(const Leads& leads, const OutcomeSet& o, const std::string& options) {
    return begin(*leads.table, o, nullptr, options, leads.table);
  }
  std::string startWithRules(const Session& current, const OutcomeSet& o, const std::string& options) {
    return begin(current.scorer().table(), o, &current.scorer(), options, current.scorer().table_ptr());
  }
  std::string step() {
    return guarded([&] {
      if (!learner_) throw std::logic_error("no learning run: call start() first");
      bool more = learner_->step();
      if (!more) result_ = std::make_unique<LearnResult>(learner_->take()), learner_.reset();
      return ok(
          {{"more", more}, {"done", more ? learner_->done() : 1.0}, {"stage", more ? learner_->stage() : "done"}});
    });
  }
  std::string report() const {
    return guarded([&] {
      const LearnResult& r = result();
      return ok({{"report", to_json(r)},
                 {"ruleSet", learned_rule_set(r, true)},
                 {"exactRuleSet", learned_rule_set(r, false)}});
    });
  }
  std::string lead(double i, double top) const {
    return guarded([&] {
      const LearnResult& r = result();
      if (!(i >= 0 && i < (double)r.split.size()))
        throw MetricsError("range", "lead index " + std::to_string((long long)i) + " is out of range");
      return ok({{"lead", learned_lead(r, (size_t)i, (size_t)std::max(0.0, std::min(top, 1000.0)))}});
    });
  }
  val probabilityView() const {
    if (!result_) return val::null();
    return val(typed_memory_view(result_->probability.size(), result_->probability.data()));
  }

 private:
  std::string begin(const Table& t, const OutcomeSet& o, const Scorer* current, const std::string& options,
                    std::shared_ptr<const Table> keep) {
    return guarded([&] {
      LearnOptions opt = LearnOptions::parse(options_json(options));
      result_.reset();
      learner_ = std::make_unique<Learner>(t, o.outcomes(), current, opt);
      table_ = std::move(keep);
      return ok({{"done", learner_->done()}, {"stage", learner_->stage()}});
    });
  }
  const LearnResult& result() const {
    if (!result_) throw std::logic_error("learning has not finished: call step() until it says more: false");
    return *result_;
  }
  std::shared_ptr<const Table> table_;
  std::unique_ptr<Learner> learner_;
  std::unique_ptr<LearnResult> result_;
};

std::string channel_options(const Session& s, const OutcomeSet* o, const std::string& column,
                            const std::string& options) {
  return guarded([&] {
    const json opt = options_json(options);
    const double values = opt.value("values", 20.0), bins = opt.value("bins", 10.0);
    if (!(values >= 1 && values <= 10000) || !(bins >= 1 && bins <= 1000))
      throw MetricsError("range", "channel options: values from 1 to 10000, bins from 1 to 1000");
    return ok(
        {{"report", channel_quality(s.scorer(), o ? &o->outcomes() : nullptr, column, (size_t)values, (size_t)bins)}});
  });
}
std::string channels_plain(const Session& s, const std::string& column, const std::string& options) {
  return channel_options(s, nullptr, column, options);
}
std::string channels_outcomes(const Session& s, const OutcomeSet& o, const std::string& column,
                              const std::string& options) {
  return channel_options(s, &o, column, options);
}

}  // namespace

EMSCRIPTEN_BINDINGS(leadscore_learn) {
  class_<LearnJob>("LearnJob")
      .constructor<>()
      .function("start", &LearnJob::start)
      .function("startWithRules", &LearnJob::startWithRules)
      .function("step", &LearnJob::step)
      .function("report", &LearnJob::report)
      .function("lead", &LearnJob::lead)
      .function("probabilityView", &LearnJob::probabilityView);
  function("channels", &channels_plain);
  function("channelsWithOutcomes", &channels_outcomes);
}
#endif  // LEADSCORE_COMPACT
