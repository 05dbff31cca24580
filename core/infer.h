// Internal to the loader (table.cpp, csv.cpp, json_reader.cpp): cell-text parsers (numbers,
// booleans, dates, Excel serials), JS-like formatting, the per-column raw-text dictionary the
// readers fill while parsing, and the step that turns raw columns into typed Columns.
// Not part of the public API: include "table.h" instead.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "table.h"

namespace leadscore::detail {

// ---------------------------------------------------------------- text helpers

// Trims ASCII whitespace (space, \t, \r, \n, \v, \f) and U+00A0 (no-break space) at both ends.
std::string_view trim(std::string_view s);
// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);
// 1-based column of byte `offset` in a line starting at `line_start`, counting UTF-8 characters.
size_t char_column(const char* line_start, size_t bytes_before);

// ---------------------------------------------------------------- cell parsers

// JS-like decimal: optional sign, digits, optional fraction, optional exponent, surrounding
// whitespace allowed. Rejects "", "1,234", "0x1F", "Infinity", "NaN", "1e999" (not finite).
bool parse_number(std::string_view s, double& out);

// yes/no/true/false/y/n (ASCII case-insensitive, trimmed) -> 1/0; with allow01 also "1"/"0".
// Returns -1 when the text is none of those.
int parse_bool(std::string_view s, bool allow01);

// A date/time as written, before the M/D/Y vs D/M/Y decision for slash dates.
struct DateParts {
  enum Form : uint8_t { Ymd, Dmy, Ambiguous } form = Ymd;  // Ambiguous: a/b/y with a, b <= 31
  int y = 0, a = 0, b = 0;       // Ymd/Dmy: a = month, b = day already resolved; Ambiguous: raw
  int h = 0, mi = 0, s = 0, ms = 0;
  bool has_time = false;
  int tz_minutes = 0;            // offset east of UTC; times without a zone are UTC
};
// Recognises: 2024-03-01, 2024/03/01, 2024-03-01T09:30, 2024-03-01 09:30:00, fractional seconds,
// Z / +02:00 / +0200 / +02 / " UTC", 03/04/2024 and 3/4/24 (ambiguous), 03-04-2024 (ambiguous),
// 01.03.2024 (D.M.Y), and an optional " AM"/" PM" after a time. Two-digit years: 00-68 -> 20xx,
// 69-99 -> 19xx (POSIX strptime). Validates field ranges only; day-of-month is checked by
// date_parts_to_ms.
bool parse_date(std::string_view s, DateParts& out);
// Milliseconds since the epoch (UTC). `dmy` decides Ambiguous parts. False if the date is invalid.
bool date_parts_to_ms(const DateParts& p, bool dmy, double& ms);
// Excel serial day number (1 = 1900-01-01, 25569 = 1970-01-01; 60 is Excel's non-existent
// 1900-02-29 and is rejected). Fractions are times of day.
bool excel_serial_to_ms(double serial, double& ms, bool& has_time);

// Days since 1970-01-01 for a proleptic Gregorian date, and back (H. Hinnant's algorithms).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d);

// ---------------------------------------------------------------- formatting

// Like JavaScript's Number#toString: shortest round-trip digits, 1.5 -> "1.5", 3 -> "3",
// 1e21 -> "1e+21", 1e-7 -> "1e-7".
std::string format_number(double v);
// "2024-03-01" or, with time, "2024-03-01T09:30:00Z" (".sss" only when the milliseconds are non-zero).
std::string format_date(double ms, bool with_time);

// ---------------------------------------------------------------- raw columns

// Distinct raw cell texts of one column, stored once; codes are assigned in first-seen order.
// Open addressing over a byte arena, so interning a value already seen does not allocate.
class StringDict {
 public:
  StringDict() : slots_(16, Slot{-1, 0}) {}
  int32_t intern(std::string_view s) {
    if (last_ >= 0) {  // same as the previous value? (runs of equal values are common)
      const Entry& e = entries_[static_cast<size_t>(last_)];
      if (e.len == s.size() && equal(arena_.data() + e.off, s.data(), s.size())) return last_;
    }
    return last_ = lookup(s);
  }
  int32_t lookup(std::string_view s) {
    const uint32_t h = hash(s.data(), s.size());
    const size_t mask = slots_.size() - 1;
    size_t i = h & mask;
    for (;;) {
      const Slot sl = slots_[i];
      if (sl.code < 0) break;
      if (sl.hash == h) {
        const Entry& e = entries_[static_cast<size_t>(sl.code)];
        if (e.len == s.size() && equal(arena_.data() + e.off, s.data(), s.size())) return sl.code;
      }
      i = (i + 1) & mask;
    }
    const int32_t code = static_cast<int32_t>(entries_.size());
    entries_.push_back(Entry{arena_.size(), static_cast<uint32_t>(s.size()), h});
    arena_.append(s.data(), s.size());
    slots_[i] = Slot{code, h};
    if (entries_.size() * 2 > slots_.size()) grow();
    return code;
  }
  size_t size() const { return entries_.size(); }
  std::string_view get(size_t code) const {
    const Entry& e = entries_[code];
    return std::string_view(arena_.data() + e.off, e.len);
  }

  static uint32_t hash(const char* p, size_t n) {
    uint64_t a, b;
    if (n >= 8) {
      if (n > 16) return hash_long(p, n);
      a = load64(p);
      b = load64(p + n - 8);
    } else if (n >= 4) {
      a = load32(p);
      b = load32(p + n - 4);
    } else if (n > 0) {
      a = static_cast<unsigned char>(p[0]) | static_cast<uint64_t>(static_cast<unsigned char>(p[n >> 1])) << 8 |
          static_cast<uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
      b = 0;
    } else {
      a = b = 0;
    }
    uint64_t h = a * 0x9E3779B97F4A7C15ULL;
    h ^= (b ^ (n << 56)) * 0xC2B2AE3D27D4EB4FULL + (h >> 29);
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 32;
    return static_cast<uint32_t>(h);
  }
  static uint32_t hash_long(const char* p, size_t n);
  static bool equal(const char* x, const char* y, size_t n) {
    if (n >= 8) {
      if (n > 16) return std::memcmp(x, y, n) == 0;
      return load64(x) == load64(y) && load64(x + n - 8) == load64(y + n - 8);
    }
    if (n >= 4) return load32(x) == load32(y) && load32(x + n - 4) == load32(y + n - 4);
    for (size_t i = 0; i < n; ++i)
      if (x[i] != y[i]) return false;
    return true;
  }

 private:
  static uint64_t load64(const char* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  }
  static uint64_t load32(const char* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
  }
  struct Entry {
    size_t off;
    uint32_t len;
    uint32_t hash;
  };
  struct Slot {
    int32_t code;
    uint32_t hash;
  };
  void grow();
  int32_t last_ = -1;
  std::vector<Slot> slots_;
  std::vector<Entry> entries_;
  std::string arena_;
};

// One column as read: the header/key as written, and a dictionary code per row (-1 = no value
// at all: a short CSV row, a JSON key absent or null).
struct RawColumn {
  std::string header;
  size_t first_line = 0;         // JSON: line where the key was first seen (CSV: header line)
  StringDict dict;
  std::vector<int32_t> codes;
  size_t nested = 0;             // JSON: nested objects/arrays stored as JSON text
  size_t first_nested_line = 0;
};

// Adds a problem unless the limit in opts.max_problems has been reached (then counts it).
class ProblemSink {
 public:
  ProblemSink(std::vector<LoadProblem>& out, size_t max) : out_(out), max_(max) {}
  void add(size_t line, size_t column, std::string field, std::string message);
  void finish();  // appends the "N more problems" note, if any were left out
  size_t omitted() const { return omitted_; }

 private:
  std::vector<LoadProblem>& out_;
  size_t max_;
  size_t omitted_ = 0;
};

// Column naming: empty header -> "column_N", a header matching a declared field (by
// normalize_header of its name or an alias) -> the field's name, a name already taken -> "_2",
// "_3"... Problems are reported at `header_line` (or the column's first_line when set).
struct ColumnNaming {
  std::string name;
  int spec = -1;  // index into opts.fields, or -1
};
std::vector<ColumnNaming> name_columns(const std::vector<RawColumn>& raw, size_t header_line,
                                       const LoadOptions& opts, ProblemSink& problems);

// Turns raw columns into typed Columns: missing tokens, hints, type inference, per-cell problems.
// `t.rows` and `t.row_line` must be filled; appends to t.columns. Frees the raw columns.
void build_columns(std::vector<RawColumn>& raw, const std::vector<ColumnNaming>& names,
                   const LoadOptions& opts, Table& t, ProblemSink& problems);

// Sorts problems by line then column (stable) and closes the sink.
void finish_problems(Table& t, ProblemSink& problems);

// Quotes a cell value for a problem message, shortened when long.
std::string quote_value(std::string_view v);

// Calls opts.progress (if set); throws LoadError("cancelled") when it returns false.
void report_progress(const LoadOptions& opts, size_t bytes, size_t rows);

// The JSON readers (json_reader.cpp): whole text in, table out.
Table read_json(std::string_view text, bool ndjson, const LoadOptions& opts);

}  // namespace leadscore::detail
