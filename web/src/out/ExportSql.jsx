// "Export SQL": the active rule set as one query for DuckDB, PostgreSQL, BigQuery, Snowflake or
// Spark (the core writes it; a rule without a faithful translation is reported by name).
import { useState } from 'preact/hooks';
import { SQL_DIALECTS, exportSql } from './actions.js';

export function ExportSql({ disabled }) {
  const [dialect, setDialect] = useState('duckdb');
  return (
    <span class="export-sql">
      <select
        aria-label="SQL dialect"
        value={dialect}
        onChange={(e) => setDialect(e.currentTarget.value)}
        disabled={disabled}
      >
        {SQL_DIALECTS.map((d) => (
          <option value={d}>{d}</option>
        ))}
      </select>
      <button type="button" onClick={() => exportSql(dialect)} disabled={disabled}>
        Export SQL
      </button>
    </span>
  );
}
