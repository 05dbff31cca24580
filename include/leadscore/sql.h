// Rule set -> one SQL query (docs/sql.md): the same scores where the leads live (DuckDB,
// PostgreSQL, BigQuery, Snowflake, Spark).
//
// The query reads a table of leads (and one of events for event rules and computed fields) and
// returns every lead column, the computed fields, one `points_<rule>` column per enabled rule,
// one `score_<group>` column per group, `score` and `tier`. Conditions are translated with the
// types the engine gives the columns (core/io/columns.cpp): the caller passes the columns' types
// (SqlColumn, e.g. from sql_schema() of the leads as loaded), so that `==`, `<` and `in` coerce
// as json-logic-engine does on typed values. Whatever cannot be translated with the same meaning
// is refused: to_sql() throws RuleSetError whose diagnostics (code "sql") name the rule, the path
// and the construct. Nothing is ever approximated.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "leadscore/rules.h"
#include "leadscore/table.h"

namespace leadscore {

enum class SqlDialect { DuckDB, Postgres, BigQuery, Snowflake, Spark };

// "duckdb", "postgres" (also "postgresql"), "bigquery", "snowflake", "spark"; nullopt otherwise.
std::optional<SqlDialect> sql_dialect_from_string(const std::string& s);
const char* to_string(SqlDialect d);

// A column of the leads or events table as the engine types it. In the database, a number is a
// double (or any numeric type), a boolean a boolean, a date a DATE (has_time: a UTC TIMESTAMP),
// a string a text; a missing value is NULL.
struct SqlColumn {
  std::string name;
  ColumnType type = ColumnType::String;
  bool has_time = false;
};

// The columns of a loaded table, with the names and types the engine gave them.
std::vector<SqlColumn> sql_schema(const Table& t);

struct SqlOptions {
  SqlDialect dialect = SqlDialect::DuckDB;
  std::string leads_table = "leads";    // may be qualified: "analytics.crm.leads"
  std::string events_table = "events";  // read only when rules count events
  // Types of the leads' columns. Empty: the rule set's declared fields are the only known
  // columns (a rule reading any other field is refused, naming it).
  std::vector<SqlColumn> leads_columns;
  // Types of the events' columns (for `where`, `dedupe`, the id/type/time columns). Empty: the
  // id, type and time columns only (with the names below or their defaults).
  std::vector<SqlColumn> events_columns;
  std::optional<long> as_of;  // day number (days since 1970-01-01); required by event rules
  std::string lead_key;       // leads' key joined to the events' lead id ("" = as the engine picks)
  std::string event_lead_id, event_type, event_time;  // "" = the engine's default spellings
  std::string prefix;  // before every output column: "<prefix>score", "<prefix>points_<rule>", ...
};

// Options from JSON (the JS API): {dialect, leadsTable, eventsTable, asOf: "YYYY-MM-DD", leadKey,
// eventLeadId, eventType, eventTime, prefix, columns / eventColumns: [{name, type, hasTime}]}. Throws
// RuleSetError (code "options") naming the key for a wrong value.
SqlOptions sql_options_from_json(const nlohmann::json& j);

// The query. Throws RuleSetError (code "sql" for what has no faithful translation, "as_of"
// without an as-of date where one is needed, "unknown_field" for a column the schema lacks).
std::string to_sql(const RuleSet& rs, const SqlOptions& opts);

}  // namespace leadscore
