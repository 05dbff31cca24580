#include "leadscore/event_rules.h"

#include <algorithm>
#include <cmath>

#include "io/dates.h"
#include "leadscore/jsonlogic.h"
#include "leadscore/rules.h"  // kMaxPoints (not only through a unity-build neighbour)

namespace leadscore {

using json = nlohmann::json;

namespace {

struct Check {
  Diagnostics& out;
  std::string rule_id;
  void error(const std::string& path, const std::string& code, const std::string& msg) {
    out.push_back({Diagnostic::Severity::Error, code, msg, path, rule_id, ""});
  }
  bool object(const json& j, const std::string& path, const std::string& what) {
    if (j.is_object()) return true;
    error(path, "schema", what + " must be an object {...}, not " + std::string(j.type_name()));
    return false;
  }
  void keys(const json& j, const std::string& path, std::initializer_list<const char*> allowed) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& k = it.key();
      if (k.rfind("x-", 0) == 0) continue;
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return k == a; })) {
        std::vector<std::string> names(allowed.begin(), allowed.end());
        std::string hint = did_you_mean(k, names), list;
        for (size_t i = 0; i < names.size(); ++i) list += (i ? ", " : "") + names[i];
        error(
            path + "." + k, "unknown_key",
            "unknown key '" + k + "'" + (hint.empty() ? " (allowed: " + list + ")" : "; did you mean '" + hint + "'?"));
      }
    }
  }
  // A whole number >= lo.
  std::optional<long> whole(const json& j, const std::string& path, long lo, const std::string& what) {
    if (!j.is_number() || !std::isfinite(j.get<double>()) || j.get<double>() != std::floor(j.get<double>()) ||
        j.get<double>() < lo || j.get<double>() > 1e9) {
      error(path, "schema",
            what + " must be a whole number" + (lo > 0 ? " of at least " + std::to_string(lo) : " (0 or more)") +
                ", not " + j.dump());
      return std::nullopt;
    }
    return (long)j.get<double>();
  }
  std::optional<double> positive(const json& j, const std::string& path, const std::string& what) {
    if (!j.is_number() || !std::isfinite(j.get<double>()) || j.get<double>() <= 0) {
      error(path, "schema", what + " must be a number above 0, not " + j.dump());
      return std::nullopt;
    }
    return j.get<double>();
  }
};

Decay parse_decay(const json& j, const std::string& p, Check& c) {
  Decay d;
  if (!c.object(j, p, "'decay'")) return d;
  c.keys(j, p, {"halfLife", "linear", "expire"});
  if (auto it = j.find("halfLife"); it != j.end()) d.half_life = c.positive(*it, p + ".halfLife", "'halfLife' (days)");
  if (auto it = j.find("linear"); it != j.end()) {
    if (c.object(*it, p + ".linear", "'linear'")) {
      c.keys(*it, p + ".linear", {"rate", "period"});
      if (!it->contains("rate") || !it->contains("period"))
        c.error(p + ".linear", "schema",
                "'linear' needs 'rate' (share of the points lost per period, e.g. 0.25) and 'period' (days, e.g. 7)");
      if (auto r = it->find("rate"); r != it->end()) d.linear_rate = c.positive(*r, p + ".linear.rate", "'rate'");
      if (auto q = it->find("period"); q != it->end())
        if (auto v = c.whole(*q, p + ".linear.period", 1, "'period' (days)")) d.linear_period = (double)*v;
    }
  }
  if (auto it = j.find("expire"); it != j.end())
    if (auto v = c.whole(*it, p + ".expire", 1, "'expire' (days)")) d.expire = (int)*v;
  if (j.contains("halfLife") && j.contains("linear"))
    c.error(p, "schema", "'decay' takes 'halfLife' or 'linear', not both (either may be combined with 'expire')");
  if (j.is_object() && !j.contains("halfLife") && !j.contains("linear") && !j.contains("expire"))
    c.error(p, "schema", "'decay' needs 'halfLife', 'linear' or 'expire' (or write false for no decay)");
  return d;
}

EventMatch parse_match(const json& j, const std::string& p, Check& c, bool allow_window) {
  EventMatch m;
  if (auto it = j.find("type"); it != j.end()) {
    if (it->is_string())
      m.types.push_back(it->get<std::string>());
    else if (it->is_array() && !it->empty() &&
             std::all_of(it->begin(), it->end(), [](const json& x) { return x.is_string(); }))
      for (const auto& x : *it) m.types.push_back(x.get<std::string>());
    else
      c.error(p + ".type", "schema", "'type' must be an event type (text) or a non-empty list of them");
  }
  if (auto it = j.find("where"); it != j.end() && !it->is_null()) {
    m.where = *it;
    try {
      jsonlogic::validate(m.where);
    } catch (const jsonlogic::LogicError& e) {
      c.error(p + ".where" + (e.path.empty() || e.path == "/" ? "" : e.path),
              e.op.empty() ? "logic" : "unknown_operator", e.what());
    }
  }
  if (allow_window) {
    if (auto it = j.find("within"); it != j.end())
      if (auto v = c.whole(*it, p + ".within", 1, "'within' (days)")) m.within = (int)*v;
    if (auto it = j.find("dedupe"); it != j.end()) {
      if (it->is_string() && !it->get<std::string>().empty())
        m.dedupe = it->get<std::string>();
      else
        c.error(p + ".dedupe", "schema", "'dedupe' must name an event column (e.g. \"email_id\")");
    }
  }
  return m;
}

}  // namespace

double Decay::factor(long age) const {
  if (expire && age >= *expire) return 0;
  if (half_life) return std::pow(0.5, (double)age / *half_life);
  if (linear_rate) return std::max(0.0, 1.0 - *linear_rate * std::floor((double)age / *linear_period));
  return 1;
}

std::string EventMatch::key() const {
  json t = types;
  return t.dump() + '\x1d' + where.dump();
}

EventCriteria parse_event_criteria(const json& j, const std::string& p, const std::string& rule_id, Diagnostics& out) {
  Check c{out, rule_id};
  EventCriteria e;
  if (!c.object(j, p, "'events'")) return e;
  e.source = j;
  c.keys(j, p, {"type", "where", "within", "count", "repeat", "dedupe", "bands", "decay"});
  e.match = parse_match(j, p, c, true);
  if (auto it = j.find("count"); it != j.end()) {
    const std::string q = p + ".count";
    if (!it->is_object() || it->size() != 1) {
      c.error(q, "schema", "'count' must be one test: {\">=\": 3}, {\"=\": 0}, {\"<=\": 2} or {\"between\": [2, 5]}");
    } else {
      CountTest t;
      const std::string op = it->begin().key();
      const json& v = it->begin().value();
      if (op == "between") {
        t.op = CountTest::Op::Between;
        if (!v.is_array() || v.size() != 2)
          c.error(q + ".between", "schema", "'between' takes two counts [a, b] (inclusive)");
        else {
          auto a = c.whole(v[0], q + ".between[0]", 0, "a count"), b = c.whole(v[1], q + ".between[1]", 0, "a count");
          if (a && b && *a > *b) c.error(q + ".between", "schema", "'between' [a, b] needs a <= b");
          t.a = a.value_or(0), t.b = b.value_or(0);
        }
      } else {
        if (op == ">=")
          t.op = CountTest::Op::GE;
        else if (op == "=" || op == "==")
          t.op = CountTest::Op::EQ;
        else if (op == "<=")
          t.op = CountTest::Op::LE;
        else
          c.error(q + "." + op, "schema", "count test '" + op + "' is not one of =, >=, <=, between");
        t.a = c.whole(v, q + "." + op, 0, "a count").value_or(0);
      }
      e.count = t;
    }
  }
  if (auto it = j.find("repeat"); it != j.end()) {
    std::string r = it->is_string() ? it->get<std::string>() : "";
    if (r == "once")
      e.repeat = EventCriteria::Repeat::Once;
    else if (r == "every")
      e.repeat = EventCriteria::Repeat::Every;
    else if (r == "daily")
      e.repeat = EventCriteria::Repeat::Daily;
    else if (r == "weekly")
      e.repeat = EventCriteria::Repeat::Weekly;
    else
      c.error(p + ".repeat", "schema",
              "'repeat' must be \"once\", \"every\", \"daily\" or \"weekly\", not " + it->dump());
  }
  if (auto it = j.find("bands"); it != j.end()) {
    const std::string q = p + ".bands";
    if (!it->is_array() || it->empty())
      c.error(q, "schema", "'bands' must be a non-empty list of {\"min\": count, \"points\": points}");
    else
      for (size_t i = 0; i < it->size(); ++i) {
        const json& b = (*it)[i];
        std::string bp = q + "[" + std::to_string(i) + "]";
        if (!c.object(b, bp, "a band")) continue;
        c.keys(b, bp, {"min", "points"});
        EventBand band;
        if (!b.contains("min") || !b.contains("points")) {
          c.error(bp, "schema", "a band needs 'min' (the lowest count, inclusive) and 'points'");
          continue;
        }
        band.min = c.whole(b["min"], bp + ".min", 0, "'min'").value_or(0);
        if (!b["points"].is_number() || !std::isfinite(b["points"].get<double>()))
          c.error(bp + ".points", "schema", "'points' must be a finite number");
        else if (std::fabs(b["points"].get<double>()) > kMaxPoints)
          c.error(bp + ".points", "limit",
                  "'points' is " + json(b["points"].get<double>()).dump() +
                      "; the limit is 1e15 either way, so that no score can overflow. Use smaller points");
        else
          band.points = b["points"].get<double>();
        if (std::any_of(e.bands.begin(), e.bands.end(), [&](const EventBand& x) { return x.min == band.min; }))
          c.error(bp + ".min", "bands",
                  "two bands start at " + std::to_string(band.min) + "; each band needs its own 'min'");
        e.bands.push_back(band);
      }
    std::sort(e.bands.begin(), e.bands.end(), [](const EventBand& a, const EventBand& b) { return a.min > b.min; });
    if (e.repeat != EventCriteria::Repeat::Once)
      c.error(p + ".bands", "schema", "'bands' give points by count, so 'repeat' must be \"once\" (or left out)");
  }
  if (auto it = j.find("decay"); it != j.end()) {
    if (it->is_boolean() && !it->get<bool>())
      e.no_decay = true;
    else if (it->is_boolean())
      c.error(p + ".decay", "schema",
              "a rule's 'decay' is a decay object or false; the group says whether it decays (\"decay\": true)");
    else
      e.decay = parse_decay(*it, p + ".decay", c);
  }
  return e;
}

std::optional<Decay> parse_group_decay(const json& j, const std::string& p, Diagnostics& out, bool* marked) {
  Check c{out, ""};
  *marked = false;
  if (j.is_boolean()) {
    *marked = j.get<bool>();
    return std::nullopt;
  }
  *marked = true;
  return parse_decay(j, p, c);
}

bool is_derived_field(const json& decl) {
  return decl.is_object() && (decl.contains("daysSince") || decl.contains("eventCount"));
}

DerivedField parse_derived_field(const std::string& name, const json& decl, const std::string& p, Diagnostics& out) {
  Check c{out, ""};
  DerivedField f;
  f.name = name;
  f.source = decl;
  c.keys(decl, p, {"daysSince", "eventCount", "default", "type", "description", "label"});
  auto field_error = [&](const std::string& path, const std::string& code, const std::string& msg) {
    out.push_back({Diagnostic::Severity::Error, code, msg, path, "", name});
  };
  if (decl.contains("daysSince") && decl.contains("eventCount"))
    field_error(p, "schema", "a computed field is either 'daysSince' or 'eventCount', not both");
  if (auto t = decl.find("type"); t != decl.end() && *t != "number")
    field_error(p + ".type", "schema", "a computed field is a number; leave 'type' out or write \"number\"");
  if (auto d = decl.find("default"); d != decl.end()) {
    if (!d->is_number() || !std::isfinite(d->get<double>()))
      field_error(p + ".default", "schema", "'default' must be a number");
    else
      f.fallback = d->get<double>();
  }
  if (auto it = decl.find("daysSince"); it != decl.end()) {
    if (it->is_string() && !it->get<std::string>().empty()) {
      f.kind = DerivedField::Kind::DaysSinceField;
      f.date_field = it->get<std::string>();
    } else if (it->is_object()) {
      f.kind = DerivedField::Kind::DaysSinceEvent;
      c.keys(*it, p + ".daysSince", {"type", "where"});
      f.match = parse_match(*it, p + ".daysSince", c, false);
    } else {
      field_error(p + ".daysSince", "schema",
                  "'daysSince' names a date field (\"last_activity\") or matches events ({\"type\": \"page_view\"})");
    }
  } else if (auto it = decl.find("eventCount"); it != decl.end()) {
    f.kind = DerivedField::Kind::EventCount;
    if (f.fallback)
      field_error(p + ".default", "schema",
                  "an event count is never missing (0 without events), so it takes no 'default'");
    if (c.object(*it, p + ".eventCount", "'eventCount'")) {
      c.keys(*it, p + ".eventCount", {"type", "where", "within", "dedupe"});
      f.match = parse_match(*it, p + ".eventCount", c, true);
    }
  }
  return f;
}

json to_json(const Decay& d) {
  json j = json::object();
  if (d.half_life) j["halfLife"] = *d.half_life;
  if (d.linear_rate) j["linear"] = {{"rate", *d.linear_rate}, {"period", d.linear_period.value_or(1)}};
  if (d.expire) j["expire"] = *d.expire;
  return j;
}

long day_of_ms(double ms) { return (long)std::floor(ms / static_cast<double>(detail::kMsPerDay)); }

std::string day_text(long z) { return detail::format_day(z); }

std::optional<long> parse_day(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  long y = std::stol(s.substr(0, 4));
  unsigned m = (unsigned)std::stoul(s.substr(5, 2)), d = (unsigned)std::stoul(s.substr(8, 2));
  if (m < 1 || m > 12 || d < 1 || d > detail::days_in_month(y, m)) return std::nullopt;
  return (long)detail::days_from_civil(y, m, d);
}

}  // namespace leadscore
