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

#include "export.h"
#include "compare.h"
#include "event_rules.h"
#include "events.h"
#include "input_limits.h"
#include "jsonlogic.h"
#include "metrics.h"
#include "outcomes.h"
#include "rules.h"
#include "scorer.h"
#include "table.h"

using namespace emscripten;
using namespace leadscore;
using nlohmann::json;

namespace {

json diagnostic_json(const Diagnostic& d) {
  json j = {{"severity", d.is_error() ? "error" : "warning"}, {"code", d.code}, {"message", d.message}};
  if (!d.path.empty()) j["path"] = d.path;
  if (!d.rule_id.empty()) j["ruleId"] = d.rule_id;
  if (!d.field.empty()) j["field"] = d.field;
  if (d.line) j["line"] = d.line, j["column"] = d.column;
  return j;
}

json diagnostics_json(const Diagnostics& ds) {
  json a = json::array();
  for (const auto& d : ds) a.push_back(diagnostic_json(d));
  return a;
}

// Lead values are valid UTF-8 (the loader re-reads invalid bytes as Windows-1252); `replace`
// keeps a stray invalid byte from turning an answer into an exception anyway.
std::string ok(json j = json::object()) {
  j["ok"] = true;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string fail(json error) {
  return json{{"ok", false}, {"error", std::move(error)}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Runs f and converts whatever it throws into {"ok": false, "error": ...}.
template <class F>
std::string guarded(F&& f) {
  try {
    return f();
  } catch (const RuleSetError& e) {
    json err = diagnostic_json(e.first_error());
    err["message"] = e.first_error().message;
    err["diagnostics"] = diagnostics_json(e.diagnostics);
    return fail(err);
  } catch (const LoadError& e) {
    json err = {{"code", e.code}, {"message", e.what()}};
    if (e.line) err["line"] = e.line, err["column"] = e.column;
    if (!e.field.empty()) err["field"] = e.field;
    return fail(err);
  } catch (const EventsError& e) {
    return fail({{"code", "events"}, {"message", e.what()}});
  } catch (const jsonlogic::EvalError& e) {
    return fail({{"code", "eval"}, {"message", e.what()}, {"type", e.type}});
  } catch (const jsonlogic::LogicError& e) {
    return fail({{"code", "logic"}, {"message", e.what()}, {"operator", e.op}, {"path", e.path}});
  } catch (const MetricsError& e) {
    json err = {{"code", e.code}, {"message", e.what()}};
    if (!e.field.empty()) err["field"] = e.field;
    return fail(err);
  } catch (const json::exception& e) {
    return fail({{"code", "json"}, {"message", std::string("invalid JSON: ") + e.what()}});
  } catch (const std::bad_alloc&) {
    return fail({{"code", "memory"}, {"message", "out of memory: the data is too large for this browser tab; try the native CLI (leadscore score) for files this size"}});
  } catch (const std::exception& e) {
    return fail({{"code", "internal"}, {"message", e.what()}});
  } catch (...) {
    return fail({{"code", "internal"}, {"message", "unknown error"}});
  }
}

// Options from JS: {format, delimiter, missing, fields, dateOrder, maxProblems, rules}
LoadOptions load_options(const std::string& text) {
  json o = text.empty() ? json::object() : json::parse(text);
  LoadOptions opts;
  if (o.contains("rules") && !o["rules"].is_null()) {
    const json& r = o["rules"];
    opts = (r.is_string() ? parse_rule_set(r.get<std::string>()) : parse_rule_set(r)).load_options();
  }
  if (o.contains("format")) opts.format = o["format"].get<std::string>();
  if (o.contains("delimiter")) {
    std::string d = o["delimiter"].get<std::string>();
    if (d.size() > 1) throw LoadError("delimiter must be one character, got '" + d + "'");
    opts.delimiter = d.empty() ? 0 : d[0];
  }
  if (o.contains("missing")) opts.missing = o["missing"].get<std::vector<std::string>>();
  if (o.contains("dateOrder")) {
    std::string d = o["dateOrder"];
    opts.date_order = d == "DMY" ? LoadOptions::DateOrder::DMY : d == "MDY" ? LoadOptions::DateOrder::MDY : LoadOptions::DateOrder::Auto;
  }
  opts.max_problems = o.value("maxProblems", (size_t)1000);
  // Beyond this, the native CLI is the tool (docs/limits.md); maxBytes: 0 lifts the limit.
  opts.max_bytes = o.value("maxBytes", (uint64_t)kBrowserMaxBytes);
  if (o.contains("fields")) {
    // {"name": {"type": "number", "aliases": [...], "missing": [...]}}: same shape as in a rule set
    RuleSet rs = parse_rule_set(json{{"rules", json::array()}, {"fields", o["fields"]}});
    for (auto& f : rs.fields) {
      auto it = std::find_if(opts.fields.begin(), opts.fields.end(), [&](const FieldSpec& x) { return x.name == f.name; });
      if (it != opts.fields.end()) *it = f;
      else opts.fields.push_back(f);
    }
  }
  return opts;
}

json table_info(const Table& t) {
  json cols = json::array();
  for (const auto& c : t.columns) {
    json j = {{"name", c.name}, {"header", c.header}, {"type", to_string(c.type)}};
    j["missing"] = c.missing(t.rows);
    if (c.type == ColumnType::String) j["distinct"] = c.dict.size();
    cols.push_back(j);
  }
  json probs = json::array();
  for (const auto& p : t.problems) {
    json j = {{"line", p.line}, {"message", p.message}};
    if (p.column) j["column"] = p.column;
    if (!p.field.empty()) j["field"] = p.field;
    probs.push_back(j);
  }
  return {{"rows", t.rows}, {"format", t.format}, {"delimiter", t.delimiter ? std::string(1, t.delimiter) : ""}, {"columns", cols}, {"problems", probs}};
}

// One lead's values (as rules see them) and the input line it came from.
std::string row_result(const Table& t, double i) {
  return guarded([&] {
    if (!(i >= 0 && i < (double)t.rows))
      throw std::out_of_range("lead " + std::to_string((long long)i) + " is out of range (0.." + std::to_string(t.rows) + ")");
    size_t r = (size_t)i;
    return ok({{"row", t.row_json(r)}, {"line", r < t.row_line.size() ? t.row_line[r] : 0}});
  });
}

}  // namespace

// A lead table living in wasm memory.
class Leads {
 public:
  explicit Leads(std::shared_ptr<const Table> t) : table(std::move(t)) {}
  std::string info() const { return guarded([&] { return ok({{"info", table_info(*table)}}); }); }
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
    return col && col->type == ColumnType::String ? val(typed_memory_view(col->codes.size(), col->codes.data())) : val::null();
  }
  std::string dictionary(double c) const {
    return guarded([&] {
      const Column* col = column(c);
      if (!col) throw std::out_of_range("no column " + std::to_string((long long)c));
      return ok({{"dictionary", col->dict}});
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
    return guarded([&] {
      const Events& e = *events;
      json j = table_info(e.table());
      // Problems of the load and of the join, in input-line order.
      json probs = json::array();
      std::vector<LoadProblem> ps = e.problems;
      std::stable_sort(ps.begin(), ps.end(), [](const LoadProblem& a, const LoadProblem& b) { return (a.line ? a.line : SIZE_MAX) < (b.line ? b.line : SIZE_MAX); });
      for (const auto& p : ps) {
        json x = {{"line", p.line}, {"message", p.message}};
        if (p.column) x["column"] = p.column;
        if (!p.field.empty()) x["field"] = p.field;
        probs.push_back(x);
      }
      j["problems"] = probs;
      json types = json::array();
      for (const auto& [t, c] : e.type_counts) types.push_back({{"type", t}, {"count", c}});
      j.update({{"leadId", e.lead_id_name}, {"leadKey", e.lead_key_name}, {"type", e.type_name}, {"timestamp", e.timestamp_name},
                {"matched", e.matched}, {"unknownLeads", e.unknown_leads}, {"unknownLeadIds", e.unknown_ids}, {"missingLeadId", e.missing_lead_id},
                {"undated", e.undated}, {"leadsWithEvents", e.leads_with_events}, {"types", types}});
      if (e.rows() > e.undated) j["firstDay"] = day_text(e.first_day), j["lastDay"] = day_text(e.last_day);
      return ok({{"info", j}});
    });
  }
  // Event i in input order.
  std::string row(double i) const {
    return guarded([&] {
      if (!(i >= 0 && i < (double)events->rows())) throw std::out_of_range("event " + std::to_string((long long)i) + " is out of range");
      size_t r = events->grouped_row((size_t)i);
      return ok({{"row", events->table().row_json(r)}, {"line", events->table().row_line[r]}});
    });
  }
  std::shared_ptr<const Events> events;
};

EventOptions event_options(const std::string& text) {
  json o = text.empty() ? json::object() : json::parse(text);
  EventOptions e;
  for (auto [key, dst] : {std::pair<const char*, std::string*>{"leadId", &e.lead_id}, {"leadKey", &e.lead_key}, {"type", &e.type}, {"timestamp", &e.timestamp}})
    if (o.contains(key) && o[key].is_string()) *dst = o[key].get<std::string>();
  return e;
}

// Loads leads from text, bytes in wasm memory, or pieces fed one by one (workers, progress).
class Loader {
 public:
  Loader() = default;
  std::string begin(const std::string& options) {
    return guarded([&] {
      LoadOptions opts = load_options(options);
      rows_ = 0;
      opts.progress = [this](size_t, size_t rows) {
        rows_ = rows;
        return true;
      };
      loader_ = std::make_unique<TableLoader>(opts);
      bytes_ = 0;
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
      return ok({{"info", table_info(*result_)}});
    });
  }
  void cancel() { loader_.reset(); }
  Leads* take() { return result_ ? new Leads(std::move(result_)) : nullptr; }

  // Events: begin with the event column options (type hints for id, type, timestamp), finish by
  // joining to the leads.
  std::string beginEvents(const std::string& options) {
    return guarded([&] {
      event_opts_ = event_options(options);
      LoadOptions opts = event_load_options(event_opts_, load_options(options));
      rows_ = 0;
      opts.progress = [this](size_t, size_t rows) {
        rows_ = rows;
        return true;
      };
      loader_ = std::make_unique<TableLoader>(opts);
      bytes_ = 0;
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
    return guarded([&] { return done(scorer_.set_rules(text)); });
  }
  std::string addRule(const std::string& rule, double index) {
    return guarded([&] { return done(scorer_.add_rule(json::parse(rule), (long)index)); });
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
    return guarded([&] { return done(scorer_.move_rule(id, (size_t)std::max(0.0, index))); });
  }
  // Events (null = none) and the as-of day ("YYYY-MM-DD"; "" = none): re-score like edits.
  std::string setEvents(EventSet* events) {
    return guarded([&] { return done(scorer_.set_events(events ? events->events : nullptr)); });
  }
  std::string setAsOf(const std::string& day) {
    return guarded([&] {
      std::optional<long> d;
      if (!day.empty()) {
        d = parse_day(day);
        if (!d) throw RuleSetError({Diagnostic{Diagnostic::Severity::Error, "as_of", "asOf must be a date written YYYY-MM-DD (e.g. 2024-03-31), not '" + day + "'", "", "", ""}});
      }
      return done(scorer_.set_as_of(d));
    });
  }

  std::string state() const {
    return guarded([&] {
      json stats = json::array();
      for (const auto& s : scorer_.stats()) {
        json j = {{"id", s.id}, {"enabled", s.enabled}, {"fired", s.fired}, {"errors", s.errors}, {"plan", s.plan}};
        if (s.errors) j["firstError"] = s.first_error, j["firstErrorRow"] = s.first_error_row;
        stats.push_back(j);
      }
      return ok({{"rules", to_json(scorer_.rules())}, {"stats", stats}, {"warnings", diagnostics_json(scorer_.warnings())},
                 {"evaluated", scorer_.last_evaluations()}, {"asOf", scorer_.as_of() ? json(day_text(*scorer_.as_of())) : json(nullptr)}});
    });
  }

  std::string row(double i) const { return row_result(scorer_.table(), i); }

  std::string ledger(double i) const {
    return guarded([&] {
      check_rules();
      if (!(i >= 0 && i < (double)scorer_.table().rows)) throw std::out_of_range("lead " + std::to_string((long long)i) + " is out of range");
      return ok({{"ledger", to_json(scorer_.ledger((size_t)i))}});
    });
  }

  // Lead indices ordered by `key` ("total", a group id, or "tier"), highest first (ties by index),
  // optionally only one tier (-1 = all), at most `limit` (0 = all). Written to `order_`.
  std::string order(const std::string& key, double tier, double limit, bool ascending) {
    return guarded([&] {
      check_rules();
      const Results& r = scorer_.results();
      const double* v = r.total.data();
      int g = scorer_.rules().group_index(key);
      if (g >= 0) v = r.groups[g].data();
      else if (key != "total") throw std::invalid_argument("cannot order by '" + key + "': use 'total' or a group id");
      order_.clear();
      for (size_t i = 0; i < r.rows; ++i)
        if (tier < 0 || r.tier[i] == (int)tier) order_.push_back((int32_t)i);
      auto cmp = [&](int32_t a, int32_t b) { return ascending ? (v[a] < v[b] || (v[a] == v[b] && a < b)) : (v[a] > v[b] || (v[a] == v[b] && a < b)); };
      size_t n = limit > 0 ? std::min(order_.size(), (size_t)limit) : order_.size();
      if (n < order_.size()) {
        std::partial_sort(order_.begin(), order_.begin() + n, order_.end(), cmp);
        order_.resize(n);
      } else {
        std::sort(order_.begin(), order_.end(), cmp);
      }
      return ok({{"count", order_.size()}});
    });
  }

  // Tier counts, sales-ready count, and a histogram of totals with `bins` equal bins.
  std::string summary(double bins) const {
    return guarded([&] {
      check_rules();
      // From the scorer's exact counts of the totals when it has them (kept up to date by
      // one-rule edits): no pass over the leads.
      const Summary sm = summarize(scorer_, (size_t)std::max(1.0, std::min(bins, 10000.0)));
      const RuleSet& rs = scorer_.rules();
      json t = json::array();
      for (size_t k = 0; k < rs.tiers.size(); ++k) t.push_back({{"name", rs.tiers[k].name}, {"count", sm.tiers[k]}});
      return ok({{"rows", sm.rows}, {"tiers", t}, {"salesReady", sm.sales_ready}, {"min", sm.min}, {"max", sm.max}, {"mean", sm.mean},
                 {"histogram", sm.histogram}});
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
  val totalsView() const { return val(typed_memory_view(scorer_.results().total.size(), scorer_.results().total.data())); }
  val groupView(double g) const {
    const auto& gs = scorer_.results().groups;
    size_t k = (size_t)g;
    return k < gs.size() ? val(typed_memory_view(gs[k].size(), gs[k].data())) : val::null();
  }
  val tierView() const { return val(typed_memory_view(scorer_.results().tier.size(), scorer_.results().tier.data())); }
  val salesReadyView() const { return val(typed_memory_view(scorer_.results().sales_ready.size(), scorer_.results().sales_ready.data())); }
  val fitBandView() const { return val(typed_memory_view(scorer_.results().fit_band.size(), scorer_.results().fit_band.data())); }
  val engagementBandView() const {
    return val(typed_memory_view(scorer_.results().engagement_band.size(), scorer_.results().engagement_band.data()));
  }
  val orderView() const { return val(typed_memory_view(order_.size(), order_.data())); }

  // Scored leads [begin, end) as CSV lines (export.h: the CLI's format, formula cells
  // neutralised), with the header line first when `header`. The writer (which formats each
  // dictionary value once) is kept between chunks and dropped on any rule edit.
  std::string exportCsv(double begin, double end, bool header, bool reasons) {
    return guarded([&] {
      check_rules();
      if (!csv_ || csv_reasons_ != reasons) csv_ = std::make_unique<ScoredCsvWriter>(scorer_, reasons), csv_reasons_ = reasons;
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
  std::string done(const Diagnostics& warnings) {
    csv_.reset();
    json j = {{"warnings", diagnostics_json(warnings)}, {"evaluated", scorer_.last_evaluations()}};
    return ok(j);
  }
  Scorer scorer_;
  std::vector<int32_t> order_;
  std::unique_ptr<ScoredCsvWriter> csv_;
  bool csv_reasons_ = false;
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
  std::string fromDeals(const Leads& leads, const std::string& id_column, const Leads& deals, const std::string& deals_id_column) {
    return guarded([&] {
      Outcomes o = outcomes_from_ids(*leads.table, id_column, *deals.table, deals_id_column);
      table_ = leads.table, outcomes_ = std::move(o);
      return ok({{"info", to_json(outcomes_)}});
    });
  }
  std::string info() const { return guarded([&] { return ok({{"info", to_json(outcomes_)}}); }); }
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
    throw MetricsError("mismatch", "the two scorers were made from different leads: score both rule sets on the same Leads object");
}

std::string compare_json(const Session& a, const Session& b, const OutcomeSet* o, const std::string& options) {
  return guarded([&] {
    same_leads(a, b);
    CompareOptions opt = CompareOptions::parse(json::parse(options));
    opt.outcomes = o ? &o->outcomes() : nullptr;
    return ok({{"report", compare(a.scorer(), b.scorer(), opt)}});
  });
}

std::string compare_plain(const Session& a, const Session& b, const std::string& options) { return compare_json(a, b, nullptr, options); }
std::string compare_outcomes(const Session& a, const Session& b, const OutcomeSet& o, const std::string& options) {
  return compare_json(a, b, &o, options);
}

std::string list_migration_json(const Session& a, const Session& b, const std::string& kind, const std::string& from, const std::string& to,
                                double limit) {
  return guarded([&] {
    same_leads(a, b);
    return ok({{"leads", list_migration(a.scorer(), b.scorer(), kind, from, to, limit > 0 ? (size_t)limit : 0)}});
  });
}

}  // namespace

std::string apply_json(const std::string& logic, const std::string& data) {
  return guarded([&] {
    for (const std::string* t : {&logic, &data})
      if (json_text_depth(*t, kMaxJsonDepth, nullptr) > kMaxJsonDepth)
        return fail({{"code", "limit"},
                     {"message", std::string(t == &logic ? "the logic" : "the data") + " nests more than " +
                                     format_count(kMaxJsonDepth) + " levels deep; the limit is " + format_count(kMaxJsonDepth)}});
    return ok({{"value", jsonlogic::apply(json::parse(logic), json::parse(data))}});
  });
}

std::string check_rules(const std::string& text) {
  return guarded([&] {
    Diagnostics w;
    RuleSet rs = parse_rule_set(text, &w);
    return ok({{"rules", to_json(rs)}, {"warnings", diagnostics_json(w)}});
  });
}

// The core's input limits, for callers to check a file's size before reading it.
std::string limits() {
  return json{{"maxBytes", kBrowserMaxBytes}, {"maxCellBytes", kMaxCellBytes}, {"maxColumns", kMaxColumns},
              {"maxJsonDepth", kMaxJsonDepth}}
      .dump();
}

double heap_bytes() { return (double)emscripten_get_heap_size(); }
// Bytes malloc'd and not freed yet (what live tables and scorers hold): bench/ measures per-lead memory.
double heap_in_use() { return (double)mallinfo().uordblks; }

EMSCRIPTEN_BINDINGS(leadscore) {
  function("apply", &apply_json);
  function("checkRules", &check_rules);
  function("heapBytes", &heap_bytes);
  function("limits", &limits);
  function("heapInUse", &heap_in_use);
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
