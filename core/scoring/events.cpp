#include "leadscore/events.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <unordered_map>

#include "io/text.h"
#include "io/values.h"
#include "leadscore/rules.h"
#include "rules/compiler.h"

namespace leadscore {

namespace {

const std::vector<std::string> kLeadIdNames = {"lead_id", "lead", "contact_id", "email", "id"};
const std::vector<std::string> kLeadKeyNames = {"lead_id", "id", "email", "contact_id"};
const std::vector<std::string> kTypeNames = {"type", "event", "event_type", "activity", "action"};
const std::vector<std::string> kTimeNames = {"timestamp",  "time",       "date",      "occurred_at",
                                             "event_time", "event_date", "created_at"};

std::atomic<uint64_t> g_serial{1};

std::string list(const Table& t) {
  std::string s;
  for (size_t i = 0; i < t.columns.size() && i < 15; ++i) s += (i ? ", " : "") + t.columns[i].name;
  if (t.columns.size() > 15) s += ", ...";
  return s;
}

// The column named `given`, or the first of the default spellings.
int pick(const Table& t, const std::string& given, const std::vector<std::string>& defaults, const std::string& what,
         const std::string& option) {
  if (!given.empty()) {
    int c = t.find(given);
    if (c < 0)
      throw EventsError("the " + what + " has no column '" + given + "' (" + option + "); columns: " + list(t));
    return c;
  }
  for (const auto& n : defaults)
    if (int c = t.find(n); c >= 0) return c;
  std::string names;
  for (const auto& n : defaults) names += (names.empty() ? "" : ", ") + n;
  throw EventsError("the " + what + " has no column named " + names + "; say which column it is with " + option +
                    " (columns: " + list(t) + ")");
}

std::string key_text(const Column& c, size_t row) {
  if (c.is_missing(row)) return {};
  return std::string(detail::trim(c.value_text(row)));
}

}  // namespace

LoadOptions event_load_options(const EventOptions& o, LoadOptions base) {
  auto hint = [&](const std::string& given, const std::vector<std::string>& defaults, ColumnType type) {
    std::vector<std::string> names = given.empty() ? defaults : std::vector<std::string>{given};
    for (const auto& n : names) {
      auto it = std::find_if(base.fields.begin(), base.fields.end(),
                             [&](const FieldSpec& f) { return normalize_header(f.name) == normalize_header(n); });
      if (it != base.fields.end()) continue;  // declared by the caller: theirs wins
      FieldSpec f;
      f.name = n;
      f.type = type;
      base.fields.push_back(f);
    }
  };
  hint(o.lead_id, kLeadIdNames, ColumnType::String);
  hint(o.type, kTypeNames, ColumnType::String);
  hint(o.timestamp, kTimeNames, ColumnType::Date);
  return base;
}

Events::Events(std::shared_ptr<const Table> leads, Table events, const EventOptions& opts)
    : leads_(std::move(leads)), serial_(g_serial++) {
  const Table& L = *leads_;
  Table& E = events;
  const size_t n = E.rows;
  if (E.columns.empty() && n == 0)
    throw EventsError("the events file is empty: it needs a header with the lead id, type and timestamp columns");
  const int id_col = pick(E, opts.lead_id, kLeadIdNames, "events file", "leadId (CLI --event-lead-id)");
  type_col_ = pick(E, opts.type, kTypeNames, "events file", "type (CLI --event-type)");
  ts_col_ = pick(E, opts.timestamp, kTimeNames, "events file", "timestamp (CLI --event-time)");
  if (id_col == type_col_ || id_col == ts_col_ || type_col_ == ts_col_)
    throw EventsError("the lead id, type and timestamp of events must be three different columns (got '" +
                      E.columns[id_col].name + "', '" + E.columns[type_col_].name + "', '" + E.columns[ts_col_].name +
                      "')");
  int key_col = -1;
  if (!opts.lead_key.empty()) {
    key_col = L.find(opts.lead_key);
    if (key_col < 0)
      throw EventsError("the leads have no column '" + opts.lead_key +
                        "' (leadKey, CLI --lead-key); columns: " + list(L));
  } else {
    key_col = L.find(E.columns[id_col].name);
    if (key_col < 0) key_col = L.find(E.columns[id_col].header);
    for (size_t k = 0; key_col < 0 && k < kLeadKeyNames.size(); ++k) key_col = L.find(kLeadKeyNames[k]);
    if (key_col < 0)
      throw EventsError("the leads have no id column to join the events' '" + E.columns[id_col].name +
                        "' to; name it with leadKey (CLI --lead-key); lead columns: " + list(L));
  }
  const Column& ts = E.columns[ts_col_];
  if (ts.type != ColumnType::Date)
    throw EventsError("the events' timestamp column '" + ts.name + "' holds " + to_string(ts.type) +
                      " values, not dates; name the right column with timestamp (CLI --event-time)");
  if (E.columns[type_col_].type != ColumnType::String)
    throw EventsError("the events' type column '" + E.columns[type_col_].name + "' must be text");
  lead_id_name = E.columns[id_col].name, lead_key_name = L.columns[key_col].name;
  type_name = E.columns[type_col_].name, timestamp_name = ts.name;
  problems = E.problems;
  const size_t kShown = 100;

  // Lead key -> lead index (the first lead when a key is used twice: reported).
  const Column& kc = L.columns[key_col];
  const bool numeric_key = kc.type == ColumnType::Number;
  std::unordered_map<std::string, uint32_t> by_key;
  by_key.reserve(L.rows * 2 + 1);
  size_t dup_shown = 0;
  for (size_t i = 0; i < L.rows; ++i) {
    std::string k = key_text(kc, i);
    if (k.empty()) continue;
    auto [it, fresh] = by_key.emplace(std::move(k), (uint32_t)i);
    if (!fresh && dup_shown++ < kShown) {
      size_t first = it->second;
      problems.push_back({L.row_line.size() > i ? L.row_line[i] : i + 1, 0, lead_key_name,
                          "lead id '" + it->first + "' is used by two leads (lines " +
                              std::to_string(L.row_line.size() > first ? L.row_line[first] : first + 1) + " and " +
                              std::to_string(L.row_line.size() > i ? L.row_line[i] : i + 1) +
                              "); its events go to the first"});
    }
  }

  // Each event's lead and day.
  const Column& idc = E.columns[id_col];
  std::vector<int32_t> lead(n, -1);
  std::vector<int32_t> day(n, kUndated);
  std::vector<std::string> code_key;  // per dictionary code of a String id column: its trimmed text
  std::vector<int32_t> code_lead;
  if (idc.type == ColumnType::String) {
    code_lead.assign(idc.dict.size(), -1);
    for (size_t d = 0; d < idc.dict.size(); ++d) {
      std::string k(detail::trim(idc.dict[d]));
      auto it = by_key.find(k);
      double v;
      if (it == by_key.end() && numeric_key && detail::parse_number(k, v)) it = by_key.find(detail::format_number(v));
      if (it != by_key.end()) code_lead[d] = (int32_t)it->second;
    }
  }
  std::unordered_map<std::string, size_t> unknown_seen;
  size_t unknown_shown = 0, undated_shown = 0, noid_shown = 0;
  auto line_of = [&](size_t r) { return r < E.row_line.size() ? E.row_line[r] : r + 1; };
  for (size_t r = 0; r < n; ++r) {
    if (idc.is_missing(r)) {
      ++missing_lead_id;
      if (noid_shown++ < kShown)
        problems.push_back(
            {line_of(r), (size_t)id_col + 1, lead_id_name, "the event has no lead id: kept, not scored"});
    } else {
      int32_t l = -1;
      if (idc.type == ColumnType::String)
        l = code_lead[idc.codes[r]];
      else if (auto it = by_key.find(key_text(idc, r)); it != by_key.end())
        l = (int32_t)it->second;
      lead[r] = l;
      if (l < 0) {
        ++unknown_leads;
        std::string k = key_text(idc, r);
        auto [it, fresh] = unknown_seen.emplace(k, 0);
        if (fresh && unknown_ids.size() < 20) unknown_ids.push_back(k);
        if (unknown_shown++ < kShown)
          problems.push_back({line_of(r), (size_t)id_col + 1, lead_id_name,
                              "no lead has id '" + k + "' (" + lead_key_name + "): the event is kept, not scored"});
      } else {
        ++matched;
      }
    }
    if (!std::isnan(ts.num[r]))
      day[r] = (int32_t)day_of_ms(ts.num[r]);
    else {
      ++undated;
      if (undated_shown++ < kShown)
        problems.push_back({line_of(r), (size_t)ts_col_ + 1, timestamp_name,
                            "the event has no usable timestamp: it is never counted (not guessed)"});
    }
  }
  auto more = [&](size_t total, const std::string& what) {
    if (total > kShown) problems.push_back({0, 0, "", "... and " + std::to_string(total - kShown) + " more " + what});
  };
  more(missing_lead_id, "events without a lead id");
  more(unknown_leads, "events with an unknown lead id");
  more(undated, "events without a usable timestamp");
  more(dup_shown, "lead ids used by two leads");

  // Group: counting sort by lead (unknown last), then newest first within a lead, undated last.
  start_.assign(L.rows + 2, 0);
  for (size_t r = 0; r < n; ++r) start_[(lead[r] < 0 ? L.rows : (size_t)lead[r]) + 1]++;
  for (size_t i = 0; i + 1 < start_.size(); ++i) start_[i + 1] += start_[i];
  std::vector<uint32_t> order(n);
  {
    std::vector<uint32_t> fill(start_.begin(), start_.end() - 1);
    for (size_t r = 0; r < n; ++r) order[fill[lead[r] < 0 ? L.rows : (size_t)lead[r]]++] = (uint32_t)r;
  }
  // Within a lead: newest first (by exact time; undated last), ties in input order. Each
  // segment's keys are gathered into a small buffer and sorted there.
  std::vector<std::pair<double, uint32_t>> seg;
  for (size_t i = 0; i < L.rows; ++i) {
    const size_t b = start_[i], e = start_[i + 1];
    leads_with_events += e != b;
    if (e - b < 2) continue;
    seg.clear();
    for (size_t p = b; p < e; ++p) {
      double t = ts.num[order[p]];
      seg.emplace_back(std::isnan(t) ? INFINITY : -t, order[p]);  // ascending = newest first, undated last
    }
    std::sort(seg.begin(), seg.end());
    for (size_t p = b; p < e; ++p) order[p] = seg[p - b].second;
  }
  start_.pop_back();  // start_[L.rows] = where unknown events begin = end of the last lead

  // Permute every column into grouped order.
  table_.format = E.format, table_.delimiter = E.delimiter, table_.rows = n;
  table_.columns.resize(E.columns.size());
  for (size_t c = 0; c < E.columns.size(); ++c) {
    Column& src = E.columns[c];
    Column& dst = table_.columns[c];
    dst.name = src.name, dst.header = src.header, dst.type = src.type, dst.date_has_time = src.date_has_time;
    if (src.type == ColumnType::String) {
      dst.dict = std::move(src.dict);
      dst.codes.resize(n);
      for (size_t r = 0; r < n; ++r) dst.codes[r] = src.codes[order[r]];
      std::vector<int32_t>().swap(src.codes);
    } else {
      std::vector<double> v(n);
      for (size_t r = 0; r < n; ++r) v[r] = src.num[order[r]];
      src.num = Values();
      dst.num = std::move(v);
    }
  }
  table_.row_line.resize(n);
  day_.resize(n);
  input_row_.resize(n);
  grouped_row_.resize(n);
  for (size_t r = 0; r < n; ++r) {
    table_.row_line[r] = line_of(order[r]);
    day_[r] = day[order[r]];
    input_row_[r] = order[r];
    grouped_row_[order[r]] = (uint32_t)r;
  }

  // Types by frequency, date range.
  const Column& tc = table_.columns[type_col_];
  std::vector<size_t> counts(tc.dict.size());
  for (size_t r = 0; r < n; ++r)
    if (tc.codes[r] >= 0) counts[tc.codes[r]]++;
  for (size_t d = 0; d < counts.size(); ++d)
    if (counts[d]) type_counts.emplace_back(tc.dict[d], counts[d]);
  std::stable_sort(type_counts.begin(), type_counts.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  bool any = false;
  for (size_t r = 0; r < n; ++r) {
    if (day_[r] == kUndated) continue;
    if (!any || day_[r] < first_day) first_day = day_[r];
    if (!any || day_[r] > last_day) last_day = day_[r];
    any = true;
  }
}

int event_column(const Events& ev, const std::string& name) {
  const Table& t = ev.table();
  for (size_t i = 0; i < t.columns.size(); ++i)
    if (t.columns[i].name == name) return (int)i;
  return t.find(name);
}

std::vector<uint8_t> match_events(const Events& ev, const EventMatch& m, Diagnostics& out, const std::string& path,
                                  const std::string& rule_id, bool* ok) {
  const Table& t = ev.table();
  *ok = true;
  std::vector<uint8_t> mask;
  if (!m.where.is_null()) {
    Rule r;
    r.id = rule_id;
    r.when = m.where;
    RuleSet none;
    Diagnostics d;
    CompiledRule cr = compile_rule(r, none, t, d, path);
    for (auto& x : d) {
      if (x.path == path + ".when") x.path = path + ".where";
      for (const char* from : {"the leads have no such column"}) {
        auto at = x.message.find(from);
        if (at != std::string::npos) x.message.replace(at, std::strlen(from), "the events have no such column");
      }
      if (x.is_error()) *ok = false;
      out.push_back(x);
    }
    if (!*ok) return {};
    const Mask e = evaluate(cr, t);
    mask.assign(e.begin(), e.end());
  } else {
    mask.assign(t.rows, kTrue);
  }
  if (!m.types.empty()) {
    const Column& tc = t.columns[ev.type_column()];
    std::vector<uint8_t> lut(tc.dict.size() + 1, 0);
    for (size_t d = 0; d < tc.dict.size(); ++d)
      lut[d + 1] = std::find(m.types.begin(), m.types.end(), tc.dict[d]) != m.types.end();
    for (size_t r = 0; r < t.rows; ++r)
      if (!lut[tc.codes[r] + 1]) mask[r] = kFalse;
  }
  return mask;
}

std::vector<int32_t> dedupe_codes(const Events& ev, int column, int32_t* distinct) {
  const Column& c = ev.table().columns[column];
  const size_t n = ev.rows();
  std::vector<int32_t> codes(n, -1);
  if (c.type == ColumnType::String) {
    codes = c.codes;
    *distinct = (int32_t)c.dict.size();
    return codes;
  }
  std::unordered_map<uint64_t, int32_t> ids;
  for (size_t r = 0; r < n; ++r) {
    double v = c.num[r];
    if (std::isnan(v)) continue;
    if (v == 0) v = 0;  // -0 == 0
    uint64_t k;
    std::memcpy(&k, &v, sizeof k);
    codes[r] = ids.emplace(k, (int32_t)ids.size()).first->second;
  }
  *distinct = (int32_t)ids.size();
  return codes;
}

EventOutcome evaluate_lead(const Events& ev, size_t lead, long asof, const EventRuleSpec& spec, const uint8_t* mask,
                           const int32_t* dedupe, std::vector<uint32_t>& seen, uint32_t stamp, bool detail) {
  EventOutcome o;
  const EventCriteria& c = *spec.crit;
  const int32_t* day = ev.days();
  const size_t b = ev.begin(lead), e = ev.end(lead);
  const bool every = c.repeat == EventCriteria::Repeat::Every;
  const bool periodic = c.repeat == EventCriteria::Repeat::Daily || c.repeat == EventCriteria::Repeat::Weekly;
  const bool weekly = c.repeat == EventCriteria::Repeat::Weekly;
  long last_period = 0;
  bool have_period = false;
  for (size_t r = b; r < e; ++r) {
    if (mask[r] != kTrue) continue;
    const int32_t d = day[r];
    if (d == kUndated) {
      if (!detail) break;  // undated events come last
      ++o.undated;
      continue;
    }
    const long age = asof - d;
    if (age < 0) {
      ++o.future;
      continue;
    }
    if (c.match.within && age >= *c.match.within) {
      if (!detail) break;  // newest first: every later event is older
      continue;
    }
    if (dedupe) {
      int32_t k = dedupe[r];
      if (k >= 0) {
        if (seen[k] == stamp) continue;
        seen[k] = stamp;
      }
    }
    ++o.count;
    if (o.newest_age < 0) o.newest_age = age;
    if (every || periodic) {
      if (periodic) {
        long p = weekly ? week_of_day(d) : (long)d;
        if (have_period && p == last_period) continue;  // newest event of each period earns
        have_period = true, last_period = p;
      }
      ++o.occurrences;
      o.raw += spec.points;
      o.effective += spec.decay ? spec.points * spec.decay->factor(age) : spec.points;
    }
  }
  // The count test; bands also need a band reached.
  CountTest test = c.count.value_or(CountTest{CountTest::Op::GE, c.bands.empty() ? 1 : c.bands.back().min, 0});
  o.fired = test.test(o.count);
  if (!every && !periodic) {
    double p = spec.points;
    if (!c.bands.empty()) {
      auto band = std::find_if(c.bands.begin(), c.bands.end(), [&](const EventBand& x) { return o.count >= x.min; });
      if (band == c.bands.end())
        o.fired = false;
      else
        p = band->points;
    }
    o.raw = p;
    o.effective = spec.decay && o.newest_age >= 0 ? p * spec.decay->factor(o.newest_age) : p;
  }
  if (!o.fired) o.raw = o.effective = 0;
  return o;
}

}  // namespace leadscore
