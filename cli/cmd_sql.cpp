// leadscore sql: the rule set as one SQL query (docs/sql.md), with the columns' types taken from
// a sample of the leads (--data) and of the events (--events) as the engine loads them.
#include <fstream>
#include <iostream>

#include "commands.h"
#include "inputs.h"
#include "leadscore/events.h"
#include "leadscore/sql.h"

namespace leadscore::cli {

int cmd_sql(const Args& a) {
  const std::string dialect_name = a.get("dialect");
  auto dialect = sql_dialect_from_string(dialect_name);
  if (!dialect)
    throw Usage("--dialect takes duckdb, postgres, bigquery, snowflake or spark, not '" + dialect_name + "'");
  Diagnostics warnings;
  const std::string rules_path = a.get("rules");
  RuleSet rs = load_rules(rules_path, &warnings);
  SqlOptions o;
  o.dialect = *dialect;
  o.leads_table = a.get_or("leads-table", "leads");
  o.events_table = a.get_or("events-table", "events");
  o.lead_key = a.get_or("lead-key", "");
  o.event_lead_id = a.get_or("event-lead-id", "");
  o.event_type = a.get_or("event-type", "");
  o.event_time = a.get_or("event-time", "");
  o.prefix = a.get_or("prefix", "");
  if (a.has("as-of")) {
    o.as_of = parse_day(a.get("as-of"));
    if (!o.as_of)
      throw Usage("--as-of takes a date written YYYY-MM-DD (e.g. 2024-03-31), not '" + a.get("as-of") + "'");
  }
  if (a.has("data")) o.leads_columns = sql_schema(*load_leads(a, a.get("data"), rs));
  if (a.has("events")) {
    EventOptions eo{o.event_lead_id, o.lead_key, o.event_type, o.event_time};
    LoadOptions lo = event_load_options(eo);
    apply_load_flags(a, lo, false);
    o.events_columns = sql_schema(load_table(read_input(a.get("events")), lo));
  }
  std::string query;
  try {
    query = to_sql(rs, o);
  } catch (const RuleSetError& e) {
    print_diagnostics(e.diagnostics, rules_path);
    throw std::runtime_error("the rule set cannot be written as " + std::string(to_string(*dialect)) +
                             " SQL with the same scores; nothing was written");
  }
  const std::string out = a.get_or("out", "-");
  if (out == "-") {
    std::cout << query;
  } else {
    std::ofstream f(out, std::ios::binary);
    f << query;
    if (!f) throw std::runtime_error("cannot write " + out);
  }
  return 0;
}

}  // namespace leadscore::cli
