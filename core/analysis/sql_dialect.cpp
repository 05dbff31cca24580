// What the five SQL dialects spell differently (docs/sql.md, "Dialect notes"): quoting, literals,
// types, day arithmetic (argument order differs), substring tests (no ILIKE/strpos everywhere),
// text order (PostgreSQL's collation is not byte order unless asked).
#include <cctype>

#include "analysis/sql_internal.h"
#include "leadscore/event_rules.h"
#include "leadscore/jsonlogic.h"

namespace leadscore {

std::optional<SqlDialect> sql_dialect_from_string(const std::string& s) {
  std::string l;
  for (char c : s) l += (char)std::tolower((unsigned char)c);
  if (l == "duckdb") return SqlDialect::DuckDB;
  if (l == "postgres" || l == "postgresql") return SqlDialect::Postgres;
  if (l == "bigquery") return SqlDialect::BigQuery;
  if (l == "snowflake") return SqlDialect::Snowflake;
  if (l == "spark") return SqlDialect::Spark;
  return std::nullopt;
}

const char* to_string(SqlDialect d) {
  switch (d) {
    case SqlDialect::DuckDB:
      return "duckdb";
    case SqlDialect::Postgres:
      return "postgres";
    case SqlDialect::BigQuery:
      return "bigquery";
    case SqlDialect::Snowflake:
      return "snowflake";
    case SqlDialect::Spark:
      return "spark";
  }
  return "";
}

std::vector<SqlColumn> sql_schema(const Table& t) {
  std::vector<SqlColumn> out;
  for (const auto& c : t.columns) out.push_back({c.name, c.type, c.date_has_time});
  return out;
}

namespace sql {

static bool backtick_dialect(SqlDialect d) { return d == SqlDialect::BigQuery || d == SqlDialect::Spark; }

std::string Dialect::ident(const std::string& name) const {
  if (name.find('\0') != std::string::npos) throw std::invalid_argument("a name holds a NUL character");
  std::string out;
  if (backtick_dialect(d)) {
    out = "`";
    for (char c : name) {
      if (c == '`')
        out += d == SqlDialect::Spark ? "``" : "\\`";
      else if (c == '\\' && d == SqlDialect::BigQuery)
        out += "\\\\";
      else if (c == '\n' && d == SqlDialect::BigQuery)
        out += "\\n";
      else if (c == '\r' && d == SqlDialect::BigQuery)
        out += "\\r";
      else
        out += c;
    }
    return out + "`";
  }
  out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string Dialect::table(const std::string& name) const {
  std::string out, part;
  for (char c : name + ".") {
    if (c != '.') {
      part += c;
      continue;
    }
    if (!out.empty()) out += ".";
    out += ident(part);
    part.clear();
  }
  return out;
}

std::string Dialect::str(const std::string& s) const {
  if (s.find('\0') != std::string::npos) throw std::invalid_argument("a text holds a NUL character");
  // DuckDB and PostgreSQL (standard_conforming_strings) read backslashes literally; BigQuery,
  // Snowflake and Spark read them as escapes, so they are escaped there.
  const bool escapes = d == SqlDialect::BigQuery || d == SqlDialect::Snowflake || d == SqlDialect::Spark;
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += escapes ? "\\'" : "''";
    else if (c == '\\' && escapes)
      out += "\\\\";
    else if (c == '\n' && escapes)
      out += "\\n";
    else if (c == '\r' && escapes)
      out += "\\r";
    else
      out += c;
  }
  return out + "'";
}

std::string Dialect::dbl() const {
  switch (d) {
    case SqlDialect::Postgres:
      return "DOUBLE PRECISION";
    case SqlDialect::BigQuery:
      return "FLOAT64";
    default:
      return "DOUBLE";
  }
}

std::string Dialect::text() const {
  switch (d) {
    case SqlDialect::Postgres:
      return "TEXT";
    case SqlDialect::BigQuery:
    case SqlDialect::Spark:
      return "STRING";
    default:
      return "VARCHAR";
  }
}

// A literal a DECIMAL/NUMERIC type never sees: every dialect reads "0.1" as a decimal first.
std::string Dialect::num(double v) const { return to_double(jsonlogic::number_to_string(v)); }

std::string Dialect::date(long day) const { return "DATE " + str(day_text(day)); }

std::string Dialect::days_between(const std::string& from, long to) const {
  const std::string f = "CAST(" + from + " AS DATE)";
  switch (d) {
    case SqlDialect::DuckDB:
      return "DATE_DIFF('day', " + f + ", " + date(to) + ")";
    case SqlDialect::Postgres:
      return "(" + date(to) + " - " + f + ")";
    case SqlDialect::BigQuery:
      return "DATE_DIFF(" + date(to) + ", " + f + ", DAY)";
    case SqlDialect::Snowflake:
      return "DATEDIFF(day, " + f + ", " + date(to) + ")";
    case SqlDialect::Spark:
      return "DATEDIFF(" + date(to) + ", " + f + ")";
  }
  return "";
}

std::string Dialect::epoch_day(const std::string& date) const {
  // -(1970-01-01 - date): days_between counts from its first argument to a day number.
  return "(-" + days_between(date, 0) + ")";
}

std::string Dialect::date_text(const std::string& e) const {
  switch (d) {
    case SqlDialect::DuckDB:
      return "STRFTIME(CAST(" + e + " AS DATE), '%Y-%m-%d')";
    case SqlDialect::Postgres:
      return "TO_CHAR(CAST(" + e + " AS DATE), 'YYYY-MM-DD')";
    case SqlDialect::BigQuery:
      return "FORMAT_DATE('%Y-%m-%d', CAST(" + e + " AS DATE))";
    case SqlDialect::Snowflake:
      return "TO_CHAR(CAST(" + e + " AS DATE), 'YYYY-MM-DD')";
    case SqlDialect::Spark:
      return "DATE_FORMAT(CAST(" + e + " AS DATE), 'yyyy-MM-dd')";
  }
  return "";
}

// As the engine writes a date with a time (format_date): milliseconds only when not zero.
std::string Dialect::time_text(const std::string& e) const {
  std::string full;
  switch (d) {
    case SqlDialect::DuckDB:
      full = "STRFTIME(CAST(" + e + " AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ')";
      break;
    case SqlDialect::Postgres:
      full = "TO_CHAR(CAST(" + e + " AS TIMESTAMP), 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
      break;
    case SqlDialect::BigQuery:
      full = "FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E3SZ', CAST(" + e + " AS TIMESTAMP), 'UTC')";
      break;
    case SqlDialect::Snowflake:
      full = "TO_CHAR(CAST(" + e + " AS TIMESTAMP_NTZ), 'YYYY-MM-DD\"T\"HH24:MI:SS.FF3\"Z\"')";
      break;
    case SqlDialect::Spark:
      full = "DATE_FORMAT(CAST(" + e + " AS TIMESTAMP), 'yyyy-MM-dd\\'T\\'HH:mm:ss.SSS\\'Z\\'')";
      break;
  }
  return "REPLACE(" + full + ", '.000Z', 'Z')";
}

std::string Dialect::contains(const std::string& hay, const std::string& needle) const {
  // No LIKE: '%' and '_' in a value would be patterns (and BigQuery has no ILIKE anyway).
  switch (d) {
    case SqlDialect::Snowflake:
      return "(POSITION(" + needle + ", " + hay + ") > 0)";
    case SqlDialect::Spark:
      return "(INSTR(" + hay + ", " + needle + ") > 0)";
    default:
      return "(STRPOS(" + hay + ", " + needle + ") > 0)";
  }
}

std::string Dialect::less(const std::string& a, const std::string& op, const std::string& b) const {
  // JS orders strings by code units; byte order agrees except between supplementary characters
  // and U+E000..U+FFFF (docs/sql.md). PostgreSQL orders text by its collation unless told "C".
  if (d == SqlDialect::Postgres) return "(" + a + " COLLATE \"C\" " + op + " " + b + ")";
  return "(" + a + " " + op + " " + b + ")";
}

std::string Dialect::pow(const std::string& b, const std::string& e) const { return "POWER(" + b + ", " + e + ")"; }

void refuse(const std::string& code, const std::string& message, const std::string& path, const std::string& rule_id,
            const std::string& field) {
  Diagnostic d;
  d.code = code;
  d.message = message;
  d.path = path;
  d.rule_id = rule_id;
  d.field = field;
  throw RuleSetError({d});
}

std::string or_err(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return "(" + a + " OR " + b + ")";
}

// Rule, group and total bounds: CASE, not GREATEST/LEAST (BigQuery's return NULL on a NULL).
std::string clamp(const Dialect& d, const std::string& e, const Bounds& b) {
  if (!b.min && !b.max) return e;
  std::string out = "CASE";
  if (b.min) out += " WHEN " + e + " < " + d.num(*b.min) + " THEN " + d.num(*b.min);
  if (b.max) out += " WHEN " + e + " > " + d.num(*b.max) + " THEN " + d.num(*b.max);
  return out + " ELSE " + e + " END";
}

}  // namespace sql
}  // namespace leadscore
