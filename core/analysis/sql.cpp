// The query a rule set compiles to (docs/sql.md): common table expressions for the events each
// event rule and computed field counts, then one layer per scoring stage, each adding its output
// columns to every lead column:
//   ls_fields  leads + computed fields (daysSince, eventCount)
//   ls_rules   + points_<rule> (the rule's points after its own min/max; 0 where it did not fire)
//   ls_groups  + score_<group> (rule points summed in rule order, clamped)
//   ls_total   + score (group scores summed in group order, clamped)
//   final      + tier
// Arithmetic follows docs/rules.md exactly; events follow core/scoring/events.cpp (evaluate_lead).
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "analysis/sql_internal.h"
#include "leadscore/jsonlogic.h"

namespace leadscore {

namespace sql {
namespace {

const std::vector<std::string> kEventIdNames = {"lead_id", "lead", "contact_id", "email", "id"};
const std::vector<std::string> kEventTypeNames = {"type", "event", "event_type", "activity", "action"};
const std::vector<std::string> kEventTimeNames = {"timestamp",  "time",       "date",      "occurred_at",
                                                  "event_time", "event_date", "created_at"};
const std::vector<std::string> kLeadKeyNames = {"lead_id", "id", "email", "contact_id"};

const SqlColumn* find_column(const std::vector<SqlColumn>& cols, const std::string& name) {
  for (const auto& c : cols)
    if (c.name == name) return &c;
  for (const auto& c : cols)
    if (normalize_header(c.name) == normalize_header(name)) return &c;
  return nullptr;
}

std::string pick(const std::vector<SqlColumn>& cols, const std::string& given, const std::vector<std::string>& names) {
  if (!given.empty()) {
    const SqlColumn* c = find_column(cols, given);
    return c ? c->name : given;
  }
  for (const auto& n : names)
    if (const SqlColumn* c = find_column(cols, n)) return c->name;
  return cols.empty() ? names[0] : "";
}

// Everything the builder needs while writing one query.
struct Builder {
  const RuleSet& rs;
  const SqlOptions& o;
  Dialect d;
  std::vector<SqlColumn> leads;                   // the leads' columns (declared fields when no schema was given)
  std::vector<std::string> ctes = {};             // "name AS (...)"
  std::map<std::string, std::string> taken = {};  // output names (lower case) -> what they are
  std::map<std::string, JT> computed = {};        // computed field -> always Num
  std::set<std::string> nonnull_computed = {};
  std::string key = "", ev_id = "", ev_type = "", ev_time = "";
  bool events_cte = false;
  bool declared_only = false;  // no schema: whether a date column has times of day is unknown

  std::string q(const std::string& n) const { return d.ident(n); }

  std::optional<Field> lead_field(const std::string& name, const std::string& rule, const std::string& path) const {
    if (computed.count(name)) return Field{"s." + q(name), JT::Num, !nonnull_computed.count(name)};
    const SqlColumn* c = find_column(leads, name);
    if (!c) return std::nullopt;
    return column_field(*c, rule, path, "s.");
  }

  Field column_field(const SqlColumn& c, const std::string& rule, const std::string& path,
                     const std::string& prefix = "") const {
    const std::string ref = prefix + q(c.name);
    switch (c.type) {
      case ColumnType::Number:
        return {d.to_double(ref), JT::Num, true};
      case ColumnType::Boolean:
        return {ref, JT::Bool, true};
      case ColumnType::String:
        return {ref, JT::Str, true};
      case ColumnType::Date:
        if (declared_only && prefix == "s.")
          refuse("sql",
                 "rule '" + rule + "' reads the date field '" + c.name +
                     "' in a condition, and without the columns' types (CLI --data, JS leads or columns) it is "
                     "unknown whether its dates carry times of day (they change the text it compares as)",
                 path, rule, c.name);
        if (c.has_time) return {d.time_text(ref), JT::Str, true};
        return {d.date_text(ref), JT::Str, true};
    }
    return {ref, JT::Str, true};
  }

  std::string condition(const json& logic, const std::string& rule, const std::string& path) const {
    LogicCompiler lc(
        d, [&](const std::string& n) { return lead_field(n, rule, path); }, rule, path);
    return lc.condition(logic);
  }

  void need_as_of(const std::string& what) const {
    if (!o.as_of)
      refuse("as_of",
             "no as-of date is set, and " + what +
                 ": give the date ages are counted to (CLI --as-of YYYY-MM-DD; JS toSql(rules, {asOf}))",
             "", "", "");
  }

  // ls_events: every dated event with its lead key and age (days before the as-of day).
  void events_base() {
    if (events_cte) return;
    events_cte = true;
    const auto& ec = o.events_columns;
    ev_id = pick(ec, o.event_lead_id, kEventIdNames);
    ev_type = pick(ec, o.event_type, kEventTypeNames);
    ev_time = pick(ec, o.event_time, kEventTimeNames);
    if (ev_id.empty() || ev_type.empty() || ev_time.empty())
      refuse("events",
             "the events have no " +
                 std::string(ev_id.empty()     ? "lead id"
                             : ev_type.empty() ? "type"
                                               : "time") +
                 " column under a default name: name it (CLI --event-lead-id / --event-type / --event-time)",
             "", "", "");
    key = pick(leads, o.lead_key, {});
    if (o.lead_key.empty()) {
      key.clear();
      if (find_column(leads, ev_id)) key = find_column(leads, ev_id)->name;
      for (const auto& n : kLeadKeyNames)
        if (key.empty() && find_column(leads, n)) key = find_column(leads, n)->name;
      if (key.empty()) key = leads.empty() ? "id" : "";
    }
    if (key.empty())
      refuse("events", "the leads have no key column to join the events to: name it (CLI --lead-key)", "", "", "");
    ctes.push_back("ls_events AS (SELECT e.*, " + q(ev_id) + " AS ls_key, " + d.days_between(q(ev_time), *o.as_of) +
                   " AS ls_age, " + d.epoch_day(q(ev_time)) + " AS ls_day FROM " + d.table(o.events_table) +
                   " AS e WHERE " + q(ev_time) + " IS NOT NULL AND " + q(ev_id) + " IS NOT NULL)");
  }

  // The matching, counted events of a match (type, where, window; not future), deduplicated:
  // one row per counted event with ls_key, ls_age, ls_day. Returns the CTE name.
  std::string matched(const EventMatch& m, const std::string& name, const std::string& rule, const std::string& path) {
    events_base();
    std::string where = "ls_age >= 0";
    if (m.within) where += " AND ls_age < " + std::to_string(*m.within);
    if (!m.types.empty()) {
      std::string list;
      for (const auto& t : m.types) list += (list.empty() ? "" : ", ") + d.str(t);
      where += " AND " + q(ev_type) + " IN (" + list + ")";
    }
    if (!m.where.is_null()) {
      const auto& ec = o.events_columns;
      LogicCompiler lc(
          d,
          [&](const std::string& n) -> std::optional<Field> {
            const SqlColumn* c = find_column(ec, n);
            if (!c && (n == ev_type || n == ev_id)) return Field{q(n), JT::Str, true};
            if (!c) return std::nullopt;
            return column_field(*c, rule, path + ".where");
          },
          rule, path + ".where");
      where += " AND " + lc.condition(m.where);
    }
    std::string sel = "SELECT ls_key, ls_age, ls_day FROM ls_events WHERE " + where;
    if (m.dedupe) {
      const SqlColumn* c = find_column(o.events_columns, *m.dedupe);
      std::string col = q(c ? c->name : *m.dedupe);
      // Events with the same value count once (the newest is kept); those without one are all kept.
      ctes.push_back(name + "_m AS (SELECT ls_key, ls_age, ls_day, " + col + " AS ls_dv FROM ls_events WHERE " + where +
                     ")");
      sel = "SELECT ls_key, MIN(ls_age) AS ls_age, MAX(ls_day) AS ls_day FROM " + name +
            "_m WHERE ls_dv IS NOT NULL GROUP BY ls_key, ls_dv UNION ALL SELECT ls_key, ls_age, ls_day FROM " + name +
            "_m WHERE ls_dv IS NULL";
    }
    ctes.push_back(name + " AS (" + sel + ")");
    return name;
  }

  std::string decay_factor(const Decay& dc, const std::string& age) const {
    std::string a = d.to_double(age), f = d.num(1);
    if (dc.half_life)
      f = d.pow(d.num(0.5), "(" + a + " / " + d.num(*dc.half_life) + ")");
    else if (dc.linear_rate) {
      std::string lin =
          "(" + d.num(1) + " - " + d.num(*dc.linear_rate) + " * FLOOR(" + a + " / " + d.num(*dc.linear_period) + "))";
      f = "(CASE WHEN " + lin + " < " + d.num(0) + " THEN " + d.num(0) + " ELSE " + lin + " END)";
    }
    if (dc.expire)
      f = "(CASE WHEN " + age + " >= " + std::to_string(*dc.expire) + " THEN " + d.num(0) + " ELSE " + f + " END)";
    return f;
  }

  const Decay* rule_decay(const Rule& r) const {
    if (r.events->no_decay) return nullptr;
    if (r.events->decay) return &*r.events->decay;
    int g = rs.group_index(r.group);
    if (g >= 0 && rs.groups[g].decays && rs.groups[g].decay) return &*rs.groups[g].decay;
    return nullptr;
  }
};

std::string count_test(const CountTest& t, const std::string& n) {
  switch (t.op) {
    case CountTest::Op::GE:
      return "(" + n + " >= " + std::to_string(t.a) + ")";
    case CountTest::Op::EQ:
      return "(" + n + " = " + std::to_string(t.a) + ")";
    case CountTest::Op::LE:
      return "(" + n + " <= " + std::to_string(t.a) + ")";
    case CountTest::Op::Between:
      return "(" + n + " BETWEEN " + std::to_string(t.a) + " AND " + std::to_string(t.b) + ")";
  }
  return "FALSE";
}

// An output name the dialect can hold. BigQuery column names are letters, digits and '_'.
std::string out_name(const Dialect& d, const std::string& s) {
  if (d.d != SqlDialect::BigQuery) return s;
  std::string o;
  for (char c : s) o += std::isalnum((unsigned char)c) ? c : '_';
  return o;
}

}  // namespace

// A computed field's value, as a column of ls_fields.
static std::string computed_sql(Builder& b, const DerivedField& f, size_t k, std::vector<std::string>& joins) {
  const Dialect& d = b.d;
  const std::string fb = f.fallback ? d.num(*f.fallback) : "NULL";
  const std::string path = "fields." + f.name;
  if (f.kind == DerivedField::Kind::DaysSinceField) {
    const SqlColumn* c = find_column(b.leads, f.date_field);
    if (!c)
      refuse("unknown_field", "daysSince names '" + f.date_field + "', which is not a column of the leads", path, "",
             f.date_field);
    if (c->type != ColumnType::Date)
      refuse("type_mismatch", "daysSince needs a date field, but '" + f.date_field + "' is not one", path, "",
             f.date_field);
    return "(CASE WHEN l." + b.q(c->name) + " IS NULL THEN " + fb + " ELSE " +
           d.to_double(d.days_between("l." + b.q(c->name), *b.o.as_of)) + " END)";
  }
  const std::string name = "ls_f" + std::to_string(k);
  std::string m = b.matched(f.match, name + "_e", "", path);
  const bool count = f.kind == DerivedField::Kind::EventCount;
  b.ctes.push_back(name + " AS (SELECT ls_key, COUNT(*) AS ls_count, MIN(ls_age) AS ls_newest FROM " + m +
                   " GROUP BY ls_key)");
  joins.push_back(" LEFT JOIN " + name + " ON " + name + ".ls_key = l." + b.q(b.key));
  if (count) return d.to_double("COALESCE(" + name + ".ls_count, 0)");
  return "COALESCE(" + d.to_double(name + ".ls_newest") + ", " + fb + ")";
}

// An event rule's effective points (before the rule's bounds) and whether its events let it fire.
static std::pair<std::string, std::string> event_points(Builder& b, const Rule& r, size_t idx,
                                                        std::vector<std::string>& joins) {
  const Dialect& d = b.d;
  const EventCriteria& c = *r.events;
  const std::string path = "rules[" + std::to_string(idx) + "].events";
  const std::string name = "ls_r" + std::to_string(idx);
  std::string m = b.matched(c.match, name + "_e", r.id, path);
  const Decay* dc = b.rule_decay(r);
  const bool every = c.repeat == EventCriteria::Repeat::Every;
  const bool periodic = c.repeat == EventCriteria::Repeat::Daily || c.repeat == EventCriteria::Repeat::Weekly;
  std::string from = m, count = "COUNT(*)";
  if (periodic) {
    // The newest event of each UTC day / Monday-based week earns (events.cpp, week_of_day).
    std::string period = c.repeat == EventCriteria::Repeat::Daily
                             ? "ls_day"
                             : "FLOOR(" + d.to_double("ls_day + 3") + " / " + d.num(7) + ")";
    b.ctes.push_back(name + "_p AS (SELECT ls_key, COUNT(*) AS ls_n, MIN(ls_age) AS ls_age FROM " + m +
                     " GROUP BY ls_key, " + period + ")");
    from = name + "_p";
    count = "SUM(ls_n)";
  }
  std::string per_event = d.num(r.points);
  if (dc) per_event = "(" + d.num(r.points) + " * " + b.decay_factor(*dc, "ls_age") + ")";
  b.ctes.push_back(name + " AS (SELECT ls_key, " + count + " AS ls_count, MIN(ls_age) AS ls_newest, SUM(" + per_event +
                   ") AS ls_eff FROM " + from + " GROUP BY ls_key)");
  joins.push_back(" LEFT JOIN " + name + " ON " + name + ".ls_key = s." + b.q(b.key));
  const std::string n = "COALESCE(" + name + ".ls_count, 0)";
  CountTest test = c.count.value_or(CountTest{CountTest::Op::GE, c.bands.empty() ? 1 : c.bands.back().min, 0});
  std::string fired = count_test(test, n);
  if (every || periodic) return {"COALESCE(" + name + ".ls_eff, " + d.num(0) + ")", fired};
  std::string p = d.num(r.points);
  if (!c.bands.empty()) {
    p = "CASE";
    for (const auto& band : c.bands)
      p += " WHEN " + n + " >= " + std::to_string(band.min) + " THEN " + d.num(band.points);
    p += " END";
    fired = "(" + fired + " AND " + n + " >= " + std::to_string(c.bands.back().min) + ")";
  }
  if (dc)
    p = "(CASE WHEN " + name + ".ls_newest IS NULL THEN " + p + " ELSE " + p + " * " +
        b.decay_factor(*dc, name + ".ls_newest") + " END)";
  return {p, fired};
}

static std::string tier_sql(const Builder& b, const std::string& score) {
  if (b.rs.tiers.empty()) return b.d.str("All");
  if (!b.rs.tiers[0].min) return b.d.str(b.rs.tiers[0].name);
  std::string out = "CASE";
  for (const auto& t : b.rs.tiers) {
    if (t.min)
      out += " WHEN " + score + " >= " + b.d.num(*t.min) + " THEN " + b.d.str(t.name);
    else
      return out + " ELSE " + b.d.str(t.name) + " END";
  }
  return out + " ELSE " + b.d.str(b.rs.tiers.back().name) + " END";
}

}  // namespace sql

namespace sql {

// Output names: checked against each other and the leads' columns (case-insensitively:
// BigQuery, Snowflake and Spark fold case).
static void claim(Builder& b, const std::string& n, const std::string& what, const std::string& rule) {
  std::string k;
  for (char c : n) k += (char)std::tolower((unsigned char)c);
  if (b.taken.count(k))
    refuse("sql",
           "the output column '" + n + "' of " + what + " is already " + b.taken[k] +
               ": rename one of them, or give the output columns a prefix (CLI --prefix, JS prefix)",
           "", rule, n);
  b.taken[k] = what;
}

// ls_fields: the leads and their computed fields.
static std::string fields_layer(Builder& b) {
  std::vector<std::string> cols, joins;
  for (size_t k = 0; k < b.rs.derived.size(); ++k) {
    const DerivedField& f = b.rs.derived[k];
    claim(b, f.name, "computed field '" + f.name + "'", "");
    if (f.kind == DerivedField::Kind::EventCount || f.fallback) b.nonnull_computed.insert(f.name);
    cols.push_back(computed_sql(b, f, k, joins) + " AS " + b.q(f.name));
    b.computed[f.name] = JT::Num;
  }
  std::string layer = "SELECT l.*";
  for (const auto& c : cols) layer += ", " + c;
  layer += " FROM " + b.d.table(b.o.leads_table) + " AS l";
  for (const auto& j : joins) layer += j;
  return layer;
}

// One rule's column: its points after its own bounds where it fired, else 0.
static std::string rule_column(Builder& b, size_t i, const std::string& col, std::vector<std::string>& joins) {
  const Rule& r = b.rs.rules[i];
  const Dialect& d = b.d;
  const std::string path = "rules[" + std::to_string(i) + "]";
  std::string fired = b.condition(r.when, r.id, path + ".when");
  std::string pts = d.num(r.points);
  if (r.per) {
    if (r.events) refuse("sql", "rule '" + r.id + "' has both 'per' and 'events'", path, r.id);
    std::optional<Field> f = b.lead_field(*r.per, r.id, path + ".per");
    if (!f || (f->t != JT::Num && f->t != JT::Bool))
      refuse("sql", "rule '" + r.id + "': per-unit field '" + *r.per + "' is not a number or boolean column",
             path + ".per", r.id, *r.per);
    std::string v =
        f->t == JT::Bool ? "(CASE WHEN " + f->sql + " THEN " + d.num(1) + " ELSE " + d.num(0) + " END)" : f->sql;
    fired = "(" + fired + " AND (" + f->sql + ") IS NOT NULL)";  // a missing value gives nothing
    pts = "(" + d.num(r.points) + " * " + v + ")";
  }
  if (r.events) {
    auto [eff, ev_fired] = event_points(b, r, i, joins);
    fired = fired == "TRUE" ? ev_fired : "(" + fired + " AND " + ev_fired + ")";
    pts = eff;
  }
  return "CASE WHEN " + fired + " THEN " + clamp(d, pts, r.bounds) + " ELSE " + d.num(0) + " END AS " + b.q(col);
}

// ls_rules: one column per enabled rule; by_group gets each group's rule columns in rule order.
static std::string rules_layer(Builder& b, std::map<std::string, std::vector<std::string>>& by_group) {
  std::vector<std::string> cols, joins;
  for (size_t i = 0; i < b.rs.rules.size(); ++i) {
    const Rule& r = b.rs.rules[i];
    if (!r.enabled) continue;
    const std::string col = out_name(b.d, b.o.prefix + "points_" + r.id);
    claim(b, col, "rule '" + r.id + "'", r.id);
    cols.push_back(rule_column(b, i, col, joins));
    by_group[r.group].push_back(b.q(col));
  }
  std::string layer = "SELECT s.*";
  for (const auto& c : cols) layer += ", " + c;
  layer += " FROM ls_fields AS s";
  for (const auto& j : joins) layer += j;
  return layer;
}

}  // namespace sql

std::string to_sql(const RuleSet& rs, const SqlOptions& o) {
  using namespace sql;
  Builder b{rs, o, Dialect{o.dialect}, o.leads_columns};
  if (b.leads.empty()) {
    b.declared_only = true;
    for (const auto& f : rs.fields)
      if (f.type) b.leads.push_back({f.name, *f.type, false});
  }
  const Dialect& d = b.d;
  for (const auto& r : rs.rules)
    if (r.enabled && r.events) b.need_as_of("rule '" + r.id + "' counts events");
  if (!rs.derived.empty()) b.need_as_of("field '" + rs.derived[0].name + "' is computed against a date");
  for (const auto& c : o.leads_columns) claim(b, c.name, "a lead column", "");

  const std::string fields = fields_layer(b);
  std::map<std::string, std::vector<std::string>> by_group;
  const std::string rules = rules_layer(b, by_group);
  // Groups: their rules summed in rule order from 0, clamped; the total: the groups in order.
  std::string groups = "SELECT s.*", total = d.num(0);
  for (const auto& g : rs.groups) {
    const std::string col = out_name(d, o.prefix + "score_" + g.id);
    claim(b, col, "group '" + g.id + "'", "");
    std::string sum = d.num(0);
    for (const auto& c : by_group[g.id]) sum += " + " + c;
    groups += ", " + clamp(d, "(" + sum + ")", g.bounds) + " AS " + b.q(col);
    total += " + " + b.q(col);
  }
  groups += " FROM ls_rules AS s";
  const std::string score = out_name(d, o.prefix + "score"), tier = out_name(d, o.prefix + "tier");
  claim(b, score, "the total", "");
  claim(b, tier, "the tier", "");

  std::string out = "WITH\n";
  for (const auto& c : b.ctes) out += c + ",\n";
  out += "ls_fields AS (" + fields + "),\n";
  out += "ls_rules AS (" + rules + "),\n";
  out += "ls_groups AS (" + groups + "),\n";
  out += "ls_total AS (SELECT s.*, " + clamp(d, "(" + total + ")", rs.total) + " AS " + b.q(score) +
         " FROM ls_groups AS s)\n";
  out += "SELECT s.*, " + tier_sql(b, b.q(score)) + " AS " + b.q(tier) + " FROM ls_total AS s\n";
  return out;
}

}  // namespace leadscore

namespace leadscore {

namespace {

std::vector<SqlColumn> sql_columns_from_json(const json& j, const std::string& key) {
  std::vector<SqlColumn> out;
  if (!j.is_array()) sql::refuse("options", "'" + key + "' must be a list of {name, type}", key, "");
  for (const auto& c : j) {
    auto type = c.is_object() && c.value("type", json()).is_string()
                    ? column_type_from_string(c["type"].get<std::string>())
                    : std::nullopt;
    if (!c.is_object() || !c.value("name", json()).is_string() || !type)
      sql::refuse("options", "each of '" + key + "' must be {name, type: number|boolean|date|string}", key, "");
    out.push_back({c["name"].get<std::string>(), *type, c.value("hasTime", false)});
  }
  return out;
}

}  // namespace

SqlOptions sql_options_from_json(const json& j) {
  SqlOptions o;
  if (!j.is_object()) sql::refuse("options", "the options must be an object", "", "");
  auto text = [&](const char* k, std::string& out) {
    if (!j.contains(k)) return;
    if (!j[k].is_string()) sql::refuse("options", std::string("'") + k + "' must be a text", k, "");
    out = j[k].get<std::string>();
  };
  std::string dialect = "duckdb", as_of;
  text("dialect", dialect);
  auto d = sql_dialect_from_string(dialect);
  if (!d)
    sql::refuse("options", "'dialect' must be duckdb, postgres, bigquery, snowflake or spark, not '" + dialect + "'",
                "dialect", "");
  o.dialect = *d;
  text("leadsTable", o.leads_table);
  text("eventsTable", o.events_table);
  text("leadKey", o.lead_key);
  text("eventLeadId", o.event_lead_id);
  text("eventType", o.event_type);
  text("eventTime", o.event_time);
  text("prefix", o.prefix);
  text("asOf", as_of);
  if (!as_of.empty()) {
    o.as_of = parse_day(as_of);
    if (!o.as_of) sql::refuse("options", "'asOf' must be a date written YYYY-MM-DD, not '" + as_of + "'", "asOf", "");
  }
  if (j.contains("columns")) o.leads_columns = sql_columns_from_json(j["columns"], "columns");
  if (j.contains("eventColumns")) o.events_columns = sql_columns_from_json(j["eventColumns"], "eventColumns");
  return o;
}

}  // namespace leadscore
