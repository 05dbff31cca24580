#include "leadscore/rules.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "leadscore/jsonlogic.h"
#include "leadscore/limits.h"

namespace leadscore {

namespace {

// Collects diagnostics while walking the document.
struct Checker {
  Diagnostics& out;
  std::string rule_id;  // set while inside a rule

  void error(const std::string& path, const std::string& code, const std::string& msg, const std::string& field = "") {
    out.push_back({Diagnostic::Severity::Error, code, msg, path, rule_id, field});
  }
  void warning(const std::string& path, const std::string& code, const std::string& msg,
               const std::string& field = "") {
    out.push_back({Diagnostic::Severity::Warning, code, msg, path, rule_id, field});
  }

  static std::string type_name(const json& v) {
    switch (v.type()) {
      case json::value_t::null:
        return "null";
      case json::value_t::boolean:
        return "true/false";
      case json::value_t::string:
        return "text";
      case json::value_t::array:
        return "a list";
      case json::value_t::object:
        return "an object";
      default:
        return "a number";
    }
  }

  // Reports keys not in `allowed` (keys starting with "x-" are free for users' own notes).
  void keys(const json& obj, const std::string& path, std::vector<std::string> allowed) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      const std::string& k = it.key();
      if (k.rfind("x-", 0) == 0 || std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
      std::string hint = did_you_mean(k, allowed);
      std::string msg = "unknown key '" + k + "'";
      msg += hint.empty() ? "; allowed here: " + join(allowed) : "; did you mean '" + hint + "'?";
      msg += " (keys starting with 'x-' are kept as notes)";
      error(path.empty() ? k : path + "." + k, "unknown_key", msg);
    }
  }

  static std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  }

  bool object(const json& v, const std::string& path, const std::string& what) {
    if (v.is_object()) return true;
    error(path, "schema", what + " must be an object {...}, not " + type_name(v));
    return false;
  }

  std::optional<std::string> string(const json& obj, const char* key, const std::string& path, bool required) {
    auto it = obj.find(key);
    if (it == obj.end() || (it->is_null() && !required)) {
      if (required) error(path, "schema", std::string("'") + key + "' is required");
      return std::nullopt;
    }
    if (!it->is_string()) {
      error(path + "." + key, "schema", std::string("'") + key + "' must be text, not " + type_name(*it));
      return std::nullopt;
    }
    return it->get<std::string>();
  }

  std::optional<double> number(const json& obj, const char* key, const std::string& path, bool required) {
    auto it = obj.find(key);
    if (it == obj.end() || (it->is_null() && !required)) {
      if (required) error(path, "schema", std::string("'") + key + "' is required");
      return std::nullopt;
    }
    if (!it->is_number()) {
      std::string msg = std::string("'") + key + "' must be a number, not " + type_name(*it);
      if (it->is_string()) msg += " (write " + it->get<std::string>() + " without quotes)";
      error(path + "." + key, "schema", msg);
      return std::nullopt;
    }
    double d = it->get<double>();
    if (!std::isfinite(d)) {
      error(path + "." + key, "schema", std::string("'") + key + "' must be a finite number");
      return std::nullopt;
    }
    return d;
  }

  // Points and caps: at most kMaxPoints in magnitude, so that no total can overflow.
  std::optional<double> points(const json& obj, const char* key, const std::string& path, bool required) {
    auto d = number(obj, key, path, required);
    if (d && !within_points_limit(*d, path + "." + key, key)) return std::nullopt;
    return d;
  }
  bool within_points_limit(double d, const std::string& at, const std::string& key) {
    if (std::fabs(d) <= kMaxPoints) return true;
    error(at, "limit",
          "'" + key + "' is " + fmt(d) + "; the limit is 1e15 either way, so that no " +
              "score can overflow. Scores are meant to be read: use smaller points");
    return false;
  }

  Bounds bounds(const json& obj, const std::string& path) {
    Bounds b{points(obj, "min", path, false), points(obj, "max", path, false)};
    if (b.min && b.max && *b.min > *b.max) {
      error(path, "bounds", "min (" + fmt(*b.min) + ") is greater than max (" + fmt(*b.max) + "); swap them");
      b = {};
    }
    return b;
  }

  static std::string fmt(double d) {
    if (d == std::floor(d) && std::fabs(d) < 1e15) return std::to_string((long long)d);
    char buf[32];
    snprintf(buf, sizeof buf, "%g", d);
    return buf;
  }

  // Bands: lower bounds only, so they can neither overlap nor leave gaps between them; the
  // lowest band must reach down to the lowest possible score.
  std::vector<Band> bands(const json& arr, const std::string& path, const char* name_key, const char* what,
                          std::optional<double> floor) {
    std::vector<Band> out;
    if (!arr.is_array() || arr.empty()) {
      error(path, "schema", std::string(what) + " must be a non-empty list");
      return out;
    }
    std::set<std::string> names;
    size_t unbounded = 0;
    for (size_t i = 0; i < arr.size(); ++i) {
      std::string p = path + "[" + std::to_string(i) + "]";
      if (!object(arr[i], p, std::string("each of ") + what)) continue;
      keys(arr[i], p, {name_key, "min", "action", "description"});
      Band b;
      b.name = string(arr[i], name_key, p, true).value_or("");
      b.min = number(arr[i], "min", p, false);
      b.action = string(arr[i], "action", p, false).value_or("");
      b.description = string(arr[i], "description", p, false).value_or("");
      if (b.name.empty() && arr[i].contains(name_key))
        error(p, "schema", std::string("'") + name_key + "' must not be empty");
      if (!b.name.empty() && !names.insert(b.name).second)
        error(p, "duplicate", std::string(what) + " '" + b.name + "' appears twice");
      if (!b.min) ++unbounded;
      out.push_back(b);
    }
    if (unbounded > 1) error(path, "bands", std::string("only the lowest of the ") + what + " may leave out 'min'");
    std::stable_sort(out.begin(), out.end(), [](const Band& a, const Band& b) {
      if (!a.min) return false;
      if (!b.min) return true;
      return *a.min > *b.min;
    });
    for (size_t i = 1; i < out.size(); ++i)
      if (out[i].min && out[i - 1].min && *out[i].min == *out[i - 1].min)
        error(path, "bands",
              std::string(what) + " '" + out[i - 1].name + "' and '" + out[i].name + "' both start at " +
                  fmt(*out[i].min) + "; give each a different 'min'");
    if (!out.empty() && out.back().min && (!floor || *floor < *out.back().min)) {
      std::string below = "scores below " + fmt(*out.back().min);
      error(path, "bands",
            std::string(what) + " leave " + below + " without a place: remove 'min' from '" + out.back().name +
                "' so it takes every lower score");
    }
    return out;
  }
};

std::vector<Group> default_groups() {
  return {
      Group{"fit", "Fit", "Who the lead is: role, company, market.", {}, false, std::nullopt},
      Group{"engagement", "Engagement", "What the lead has done: opens, visits, requests.", {}, false, std::nullopt}};
}

Rule parse_rule_impl(const json& r, const RuleSet& rs, const std::string& p, Checker& c) {
  Rule rule;
  if (!c.object(r, p, "a rule")) return rule;
  rule.id = c.string(r, "id", p, true).value_or("");
  c.rule_id = rule.id;
  c.keys(r, p, {"id", "label", "description", "group", "points", "per", "min", "max", "when", "enabled", "events"});
  if (r.contains("id") && rule.id.empty()) c.error(p + ".id", "schema", "'id' must not be empty");
  if (rule.id.size() > 100) c.error(p + ".id", "schema", "'id' is longer than 100 characters");
  rule.label = c.string(r, "label", p, false).value_or(rule.id);
  rule.description = c.string(r, "description", p, false).value_or("");
  if (auto g = c.string(r, "group", p, false)) {
    rule.group = *g;
    if (rs.group_index(*g) < 0) {
      std::vector<std::string> ids;
      for (const auto& gr : rs.groups) ids.push_back(gr.id);
      std::string hint = did_you_mean(*g, ids);
      c.error(p + ".group", "unknown_group",
              "group '" + *g + "' is not declared in 'groups'" +
                  (hint.empty() ? " (groups: " + Checker::join(ids) + ")" : "; did you mean '" + hint + "'?"));
    }
  } else if (!rs.groups.empty()) {
    rule.group = rs.groups.front().id;
  }
  if (auto ev = r.find("events"); ev != r.end()) rule.events = parse_event_criteria(*ev, p + ".events", rule.id, c.out);
  rule.points = c.points(r, "points", p, !(rule.events && !rule.events->bands.empty())).value_or(0);
  if (rule.events) {
    int gi = rs.group_index(rule.group);
    if (rule.events->decay && gi >= 0 && !rs.groups[gi].decays)
      c.error(p + ".events.decay", "decay",
              "group '" + rule.group +
                  "' does not decay, so this rule's points cannot fade; mark the group with \"decay\": true (or a "
                  "default decay), or remove the rule's 'decay'");
    if (r.contains("per"))
      c.error(
          p + ".per", "schema",
          "a rule with 'events' earns points per event ('repeat'), not per unit of a field: remove 'per' or 'events'");
  }
  rule.per = c.string(r, "per", p, false);
  if (rule.per && rule.per->empty()) c.error(p + ".per", "schema", "'per' must name a numeric field");
  rule.bounds = c.bounds(r, p);
  if (auto it = r.find("enabled"); it != r.end()) {
    if (it->is_boolean())
      rule.enabled = it->get<bool>();
    else
      c.error(p + ".enabled", "schema", "'enabled' must be true or false");
  }
  if (auto it = r.find("when"); it != r.end()) {
    // Measured without recursion before anything copies or walks the condition.
    if (json_depth(*it, kMaxConditionDepth) > kMaxConditionDepth) {
      c.error(p + ".when", "limit",
              "the condition is nested more than " + format_count(kMaxConditionDepth) + " levels deep; the limit is " +
                  format_count(kMaxConditionDepth) +
                  ". Write it flatter: one 'and'/'or' takes any number of conditions, and 'in' takes a list");
    } else {
      rule.when = *it;
      try {
        jsonlogic::validate(rule.when);
      } catch (const jsonlogic::LogicError& e) {
        c.error(p + ".when" + (e.path.empty() || e.path == "/" ? "" : e.path),
                e.op.empty() ? "logic" : "unknown_operator", e.what());
      }
    }
  }
  c.rule_id.clear();
  return rule;
}

}  // namespace

int RuleSet::group_index(const std::string& id) const {
  for (size_t i = 0; i < groups.size(); ++i)
    if (groups[i].id == id) return (int)i;
  return -1;
}

int RuleSet::rule_index(const std::string& id) const {
  for (size_t i = 0; i < rules.size(); ++i)
    if (rules[i].id == id) return (int)i;
  return -1;
}

LoadOptions RuleSet::load_options() const {
  LoadOptions o;
  if (missing) o.missing = *missing;
  o.fields = fields;
  return o;
}

int band_index(const std::vector<Band>& bands, double v) {
  for (size_t i = 0; i < bands.size(); ++i)
    if (!bands[i].min || v >= *bands[i].min) return (int)i;
  return bands.empty() ? -1 : (int)bands.size() - 1;
}

std::pair<size_t, size_t> line_column(const std::string& text, size_t offset) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n')
      ++line, col = 1;
    else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
      ++col;  // count characters, not UTF-8 bytes
  }
  return {line, col};
}

Rule parse_rule(const json& doc, const RuleSet& context, const std::string& path, Diagnostics& out) {
  Checker c{out, ""};
  return parse_rule_impl(doc, context, path, c);
}

RuleSet parse_rule_set(const std::string& text, Diagnostics* warnings) {
  if (text.size() > kMaxRuleSetBytes)
    throw RuleSetError(
        {{Diagnostic::Severity::Error, "limit", too_large_message("the rule set", text.size()), "", "", "", 0, 0}});
  size_t deep_at = 0;
  if (json_text_depth(text, kMaxJsonDepth, &deep_at) > kMaxJsonDepth) {
    auto [line, col] = line_column(text, deep_at);
    Diagnostic d{Diagnostic::Severity::Error,
                 "limit",
                 "the rule set nests more than " + format_count(kMaxJsonDepth) + " levels deep (here); the limit is " +
                     format_count(kMaxJsonDepth) + " for the document and " + format_count(kMaxConditionDepth) +
                     " for a condition",
                 "",
                 "",
                 "",
                 line,
                 col};
    throw RuleSetError({d});
  }
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    // nlohmann reports the position just past the offending token; point at its start.
    size_t at = e.byte > 0 ? std::min(e.byte - 1, text.size()) : 0;
    if (at < text.size() && text[at] == '"' && at > 0) {
      size_t q = at;
      while (q > 0 && !(text[q - 1] == '"' && (q < 2 || text[q - 2] != '\\'))) --q;
      if (q > 0) at = q - 1;
    } else {
      auto word = [&](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+';
      };
      while (at > 0 && at < text.size() && word(text[at]) && word(text[at - 1])) --at;
    }
    auto [line, col] = line_column(text, at);
    std::string what = e.what();
    auto pos = what.find("syntax error");
    if (pos != std::string::npos) what = what.substr(pos);
    Diagnostic d{Diagnostic::Severity::Error,
                 "json",
                 "the rule set is not valid JSON: " + detail::utf8_for_message(what),
                 "",
                 "",
                 "",
                 line,
                 col};
    throw RuleSetError({d});
  } catch (const json::out_of_range& e) {
    // A number too large for a double (1e999): valid JSON text, but no finite number. Find it.
    struct Locate : nlohmann::json_sax<json> {
      size_t at = 0;
      bool null() override { return true; }
      bool boolean(bool) override { return true; }
      bool number_integer(number_integer_t) override { return true; }
      bool number_unsigned(number_unsigned_t) override { return true; }
      bool number_float(number_float_t, const string_t&) override { return true; }
      bool string(string_t&) override { return true; }
      bool binary(binary_t&) override { return true; }
      bool start_object(std::size_t) override { return true; }
      bool key(string_t&) override { return true; }
      bool end_object() override { return true; }
      bool start_array(std::size_t) override { return true; }
      bool end_array() override { return true; }
      bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
        at = position;
        return false;
      }
    } loc;
    json::sax_parse(text, &loc);
    size_t at = loc.at > 0 ? std::min(loc.at - 1, text.size()) : 0;
    auto num = [&](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+'; };
    while (at > 0 && !num(text[at])) --at;
    while (at > 0 && num(text[at - 1])) --at;
    auto [line, col] = line_column(text, at);
    (void)e;
    Diagnostic d{Diagnostic::Severity::Error,
                 "json",
                 "the number at line " + std::to_string(line) + ", column " + std::to_string(col) +
                     " is too large to be a finite number; numbers in a rule set must be finite",
                 "",
                 "",
                 "",
                 line,
                 col};
    throw RuleSetError({d});
  }
  return parse_rule_set(doc, warnings);
}

RuleSet parse_rule_set(const json& doc, Diagnostics* warnings) {
  Diagnostics diags;
  Checker c{diags, ""};
  RuleSet rs;
  if (!c.object(doc, "", "the rule set")) throw RuleSetError(diags);
  if (json_depth(doc, kMaxJsonDepth) > kMaxJsonDepth) {
    c.error("", "limit",
            "the rule set nests more than " + format_count(kMaxJsonDepth) + " levels deep; the limit is " +
                format_count(kMaxJsonDepth) + " for the document and " + format_count(kMaxConditionDepth) +
                " for a condition");
    throw RuleSetError(diags);
  }
  c.keys(doc, "",
         {"$schema", "leadscore", "name", "description", "fields", "missing", "groups", "total", "rules", "tiers",
          "salesReady", "matrix"});

  if (auto it = doc.find("leadscore"); it != doc.end()) {
    if (!it->is_number_integer() || it->get<int>() != kRuleSetVersion)
      c.error(
          "leadscore", "version",
          "this is rule set format " + it->dump() + "; this leadscore reads format " + std::to_string(kRuleSetVersion));
  }
  // "$schema" only points editors at docs/rule-set.schema.json; it is kept for the round trip.
  rs.schema = c.string(doc, "$schema", "", false).value_or("");
  rs.name = c.string(doc, "name", "", false).value_or("");
  rs.description = c.string(doc, "description", "", false).value_or("");

  // fields
  if (auto it = doc.find("fields"); it != doc.end() && c.object(*it, "fields", "'fields'")) {
    for (auto f = it->begin(); f != it->end(); ++f) {
      std::string p = "fields." + f.key();
      FieldSpec spec;
      spec.name = f.key();
      if (!c.object(f.value(), p, "a field declaration")) continue;
      if (is_derived_field(f.value())) {
        rs.derived.push_back(parse_derived_field(f.key(), f.value(), p, c.out));
        continue;
      }
      c.keys(f.value(), p, {"type", "aliases", "missing", "description", "label"});
      if (auto t = c.string(f.value(), "type", p, false)) {
        spec.type = column_type_from_string(*t);
        if (!spec.type)
          c.error(p + ".type", "schema", "type '" + *t + "' is not one of number, boolean, date, string", f.key());
      }
      for (const char* list : {"aliases", "missing"}) {
        auto l = f.value().find(list);
        if (l == f.value().end()) continue;
        if (!l->is_array() || !std::all_of(l->begin(), l->end(), [](const json& s) { return s.is_string(); })) {
          c.error(p + "." + list, "schema", std::string("'") + list + "' must be a list of texts", f.key());
          continue;
        }
        auto& dst = std::string(list) == "aliases" ? spec.aliases : spec.missing;
        for (const auto& s : *l) dst.push_back(s.get<std::string>());
      }
      rs.fields.push_back(spec);
    }
  }
  if (auto it = doc.find("missing"); it != doc.end()) {
    if (!it->is_array() || !std::all_of(it->begin(), it->end(), [](const json& s) { return s.is_string(); }))
      c.error("missing", "schema",
              "'missing' must be a list of texts that mean 'no value' (e.g. \"\", \"N/A\", \"Select\")");
    else
      rs.missing = it->get<std::vector<std::string>>();
  }

  // groups and total
  if (auto it = doc.find("groups"); it != doc.end()) {
    if (!it->is_array() || it->empty())
      c.error("groups", "schema", "'groups' must be a non-empty list");
    else
      for (size_t i = 0; i < it->size(); ++i) {
        std::string p = "groups[" + std::to_string(i) + "]";
        const json& g = (*it)[i];
        if (!c.object(g, p, "a group")) continue;
        c.keys(g, p, {"id", "label", "description", "min", "max", "decay"});
        Group gr;
        if (auto d = g.find("decay"); d != g.end()) gr.decay = parse_group_decay(*d, p + ".decay", c.out, &gr.decays);
        gr.id = c.string(g, "id", p, true).value_or("");
        gr.label = c.string(g, "label", p, false).value_or(gr.id);
        gr.description = c.string(g, "description", p, false).value_or("");
        gr.bounds = c.bounds(g, p);
        if (gr.id.empty()) {  // (a missing id is reported above)
          if (g.contains("id")) c.error(p + ".id", "schema", "'id' must not be empty: rules name their group by it");
          continue;
        }
        if (rs.group_index(gr.id) >= 0)
          c.error(p + ".id", "duplicate", "group '" + gr.id + "' is declared twice");
        else
          rs.groups.push_back(gr);
      }
  } else {
    rs.groups = default_groups();
  }
  if (auto it = doc.find("total"); it != doc.end() && c.object(*it, "total", "'total'")) {
    c.keys(*it, "total", {"min", "max"});
    rs.total = c.bounds(*it, "total");
  }

  // rules
  auto rules_it = doc.find("rules");
  if (rules_it == doc.end())
    c.error("rules", "schema", "'rules' is required (a list; it may be empty)");
  else if (!rules_it->is_array())
    c.error("rules", "schema", "'rules' must be a list of rules");
  else {
    if (rules_it->size() > kMaxRules)
      c.error("rules", "limit",
              "the rule set has " + std::to_string(rules_it->size()) + " rules; the limit is " +
                  std::to_string(kMaxRules) +
                  ". Nobody can review that many: merge rules with 'in' lists or per-unit points");
    else
      for (size_t i = 0; i < rules_it->size(); ++i) {
        std::string p = "rules[" + std::to_string(i) + "]";
        Rule r = parse_rule_impl((*rules_it)[i], rs, p, c);
        if (!r.id.empty() && rs.rule_index(r.id) >= 0) {
          c.rule_id = r.id;
          c.error(p + ".id", "duplicate", "rule id '" + r.id + "' is used twice; ids must be unique");
          c.rule_id.clear();
        }
        rs.rules.push_back(std::move(r));
      }
    if (rs.rules.size() > kReviewRules)
      c.warning(
          "rules", "review",
          std::to_string(rs.rules.size()) + " rules is more than a team can review; consider merging similar rules");
  }

  // tiers and sales-ready threshold
  if (auto it = doc.find("tiers"); it != doc.end())
    rs.tiers = c.bands(*it, "tiers", "name", "tiers", rs.total.min);
  else
    rs.tiers = {Band{"All", std::nullopt, "", "Every lead (no tiers defined)"}};
  if (auto it = doc.find("salesReady"); it != doc.end()) {
    if (it->is_number())
      rs.sales_ready = it->get<double>();
    else if (it->is_string()) {
      std::string name = it->get<std::string>();
      auto t = std::find_if(rs.tiers.begin(), rs.tiers.end(), [&](const Band& b) { return b.name == name; });
      if (t == rs.tiers.end())
        c.error("salesReady", "unknown_tier", "salesReady names tier '" + name + "', which is not in 'tiers'");
      else if (!t->min)
        c.error("salesReady", "schema",
                "tier '" + name + "' has no lower bound, so it cannot be the sales-ready threshold");
      else
        rs.sales_ready = t->min;
    } else
      c.error("salesReady", "schema", "'salesReady' must be a score (number) or the name of a tier");
  } else if (rs.tiers.size() > 1 && rs.tiers.front().min) {
    rs.sales_ready = rs.tiers.front().min;  // default: the top tier is sales-ready
  }

  // fit x engagement matrix
  if (auto it = doc.find("matrix"); it != doc.end() && c.object(*it, "matrix", "'matrix'")) {
    c.keys(*it, "matrix", {"fit", "engagement", "actions"});
    rs.matrix.present = true;
    for (const char* axis : {"fit", "engagement"}) {
      std::string p = std::string("matrix.") + axis;
      auto a = it->find(axis);
      if (a == it->end()) {
        c.error("matrix", "schema", std::string("'matrix' needs '") + axis + "'");
        continue;
      }
      if (!c.object(*a, p, std::string("'") + p + "'")) continue;
      c.keys(*a, p, {"group", "bands"});
      std::string group = c.string(*a, "group", p, false).value_or(axis);
      int gi = rs.group_index(group);
      if (gi < 0) c.error(p + ".group", "unknown_group", "group '" + group + "' is not declared in 'groups'");
      std::optional<double> floor;
      if (gi >= 0) floor = rs.groups[gi].bounds.min;
      auto b = a->find("bands");
      if (b == a->end()) {
        c.error(p, "schema", "'bands' is required");
        continue;
      }
      auto bands = c.bands(*b, p + ".bands", "label", (std::string(axis) + " bands").c_str(), floor);
      if (std::string(axis) == "fit")
        rs.matrix.fit_group = group, rs.matrix.fit = bands;
      else
        rs.matrix.engagement_group = group, rs.matrix.engagement = bands;
    }
    if (auto acts = it->find("actions"); acts != it->end() && c.object(*acts, "matrix.actions", "'matrix.actions'")) {
      for (auto a = acts->begin(); a != acts->end(); ++a) {
        bool known = false;
        for (const auto& f : rs.matrix.fit)
          for (const auto& e : rs.matrix.engagement) known |= (f.name + e.name) == a.key();
        if (!known)
          c.error("matrix.actions." + a.key(), "unknown_cell",
                  "'" + a.key() + "' is not a cell of the matrix (fit band label + engagement band label, e.g. A1)");
        else if (!a.value().is_string())
          c.error("matrix.actions." + a.key(), "schema", "an action must be text");
        else
          rs.matrix.actions.emplace_back(a.key(), a.value().get<std::string>());
      }
    }
  }

  if (has_errors(diags)) throw RuleSetError(diags);
  if (warnings) warnings->insert(warnings->end(), diags.begin(), diags.end());
  return rs;
}

static json bounds_json(json j, const Bounds& b) {
  if (b.min) j["min"] = *b.min;
  if (b.max) j["max"] = *b.max;
  return j;
}

static json bands_json(const std::vector<Band>& bands, const char* name_key) {
  json a = json::array();
  for (const auto& b : bands) {
    json j = {{name_key, b.name}};
    if (b.min) j["min"] = *b.min;
    if (!b.action.empty()) j["action"] = b.action;
    if (!b.description.empty()) j["description"] = b.description;
    a.push_back(j);
  }
  return a;
}

json to_json(const Rule& r) {
  json j = {{"id", r.id}};
  if (r.label != r.id) j["label"] = r.label;
  if (!r.description.empty()) j["description"] = r.description;
  j["group"] = r.group;
  j["points"] = r.points;
  if (r.per) j["per"] = *r.per;
  j = bounds_json(j, r.bounds);
  if (!r.when.is_null()) j["when"] = r.when;
  if (!r.enabled) j["enabled"] = false;
  if (r.events) j["events"] = r.events->source;
  return j;
}

json to_json(const RuleSet& rs) {
  json j = json::object();
  if (!rs.schema.empty()) j["$schema"] = rs.schema;
  j["leadscore"] = rs.version;
  if (!rs.name.empty()) j["name"] = rs.name;
  if (!rs.description.empty()) j["description"] = rs.description;
  if (!rs.fields.empty()) {
    json f = json::object();
    for (const auto& s : rs.fields) {
      json d = json::object();
      if (s.type) d["type"] = to_string(*s.type);
      if (!s.aliases.empty()) d["aliases"] = s.aliases;
      if (!s.missing.empty()) d["missing"] = s.missing;
      f[s.name] = d;
    }
    for (const auto& d : rs.derived) f[d.name] = d.source;
    j["fields"] = f;
  } else if (!rs.derived.empty()) {
    json f = json::object();
    for (const auto& d : rs.derived) f[d.name] = d.source;
    j["fields"] = f;
  }
  if (rs.missing) j["missing"] = *rs.missing;
  json g = json::array();
  for (const auto& gr : rs.groups) {
    json x = {{"id", gr.id}};
    if (gr.label != gr.id) x["label"] = gr.label;
    if (!gr.description.empty()) x["description"] = gr.description;
    x = bounds_json(x, gr.bounds);
    if (gr.decays) x["decay"] = gr.decay ? to_json(*gr.decay) : json(true);
    g.push_back(x);
  }
  j["groups"] = g;
  if (rs.total.min || rs.total.max) j["total"] = bounds_json(json::object(), rs.total);
  json rules = json::array();
  for (const auto& r : rs.rules) rules.push_back(to_json(r));
  j["rules"] = rules;
  j["tiers"] = bands_json(rs.tiers, "name");
  if (rs.sales_ready) j["salesReady"] = *rs.sales_ready;
  if (rs.matrix.present) {
    json acts = json::object();
    for (const auto& [k, v] : rs.matrix.actions) acts[k] = v;
    j["matrix"] = {
        {"fit", {{"group", rs.matrix.fit_group}, {"bands", bands_json(rs.matrix.fit, "label")}}},
        {"engagement", {{"group", rs.matrix.engagement_group}, {"bands", bands_json(rs.matrix.engagement, "label")}}},
        {"actions", acts}};
  }
  return j;
}

}  // namespace leadscore
