// Internal to the loader (table.cpp, csv.cpp, json_reader.cpp): cell-text parsers (numbers,
// booleans, dates, Excel serials), JS-like formatting, the per-column raw-text dictionary the
// readers fill while parsing, and the step that turns raw columns into typed Columns.
// Not part of the public API: include "table.h" instead.
#pragma once

#include <climits>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "leadscore/table.h"

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
// Open addressing; values of up to 8 bytes are compared through the slot alone (a 64-bit key
// built from their bytes), longer ones through a hash and the byte arena. Interning a value
// already seen does not allocate.
class StringDict {
 public:
  StringDict() : slots_(16, Slot{0, -1, 0, 0}) {}

  // Inlined into the per-cell loop: the repeat check; the table probe is out of line.
#if defined(__GNUC__) || defined(__clang__)
  __attribute__((always_inline))
#endif
  int32_t intern(std::string_view s) {
    const size_t n = s.size();
    if (n <= 8) {
      const uint64_t k = short_key(s.data(), n);
      if (k == last_key_ && n == last_len_) return last_;
      last_key_ = k;
      last_len_ = n;
      return last_ = find_or_add(k, static_cast<uint32_t>(n), slot_hash(k, n), s);
    }
    if (last_long_ >= 0) {
      const Entry& e = entries_[static_cast<size_t>(last_long_)];
      if (e.len == n && same_long(arena_.data() + e.off, s.data(), n)) return last_long_;
    }
    return last_long_ = intern_long(s);
  }
  int32_t intern_long(std::string_view s);
  size_t size() const { return entries_.size(); }
  std::string_view get(size_t code) const {
    const Entry& e = entries_[code];
    return std::string_view(arena_.data() + e.off, e.len);
  }
  static uint64_t hash_long(const char* p, size_t n);

 private:
  struct Slot {
    uint64_t key;   // n <= 8: the bytes (see short_key); else a 64-bit hash
    int32_t code;   // -1: empty
    uint32_t len;
    size_t off;     // where the text starts in arena_: a match on a long text compares it there
                    // without first reading entries_ (one cache miss fewer per cell)
  };
  struct Entry {
    size_t off;
    uint32_t len;
  };
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
  // a[0, n) == b[0, n) for n > 8, eight bytes at a time (the last word overlaps). In wasm,
  // memcmp is a byte-by-byte loop: 8 % of a CSV load went there.
  static bool same_long(const char* a, const char* b, size_t n) {
    size_t i = 0;
    for (; i + 8 < n; i += 8)
      if (load64(a + i) != load64(b + i)) return false;
    return load64(a + n - 8) == load64(b + n - 8);
  }
  // Distinct texts of the same length n <= 8 get distinct keys.
  static uint64_t short_key(const char* p, size_t n) {
    if (n == 8) return load64(p);
    if (n >= 4) return load32(p) | load32(p + n - 4) << 32;
    if (n == 0) return 0;
    return static_cast<unsigned char>(p[0]) | static_cast<uint64_t>(static_cast<unsigned char>(p[n >> 1])) << 8 |
           static_cast<uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
  }
  static uint64_t slot_hash(uint64_t key, size_t n) {
    uint64_t h = (key ^ (static_cast<uint64_t>(n) << 60)) * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
  }
  static uint64_t probe_hash(const Slot& s) { return s.len <= 8 ? slot_hash(s.key, s.len) : s.key; }

#if defined(__GNUC__) || defined(__clang__)
  __attribute__((noinline))
#endif
  int32_t find_or_add(uint64_t key, uint32_t len, uint64_t h, std::string_view s) {
    const size_t mask = slots_.size() - 1;
    size_t i = static_cast<size_t>(h >> 20) & mask;
    for (;;) {
      const Slot& sl = slots_[i];
      if (sl.code < 0) break;
      if (sl.key == key && sl.len == len) {
        if (len <= 8) return sl.code;
        if (same_long(arena_.data() + sl.off, s.data(), len)) return sl.code;
      }
      i = (i + 1) & mask;
    }
    const int32_t code = static_cast<int32_t>(entries_.size());
    const size_t off = arena_.size();
    entries_.push_back(Entry{off, len});
    arena_.append(s.data(), s.size());
    slots_[i] = Slot{key, code, len, off};
    if (entries_.size() * 2 > slots_.size()) grow();
    return code;
  }
  void grow();

  std::vector<Slot> slots_;
  std::vector<Entry> entries_;
  std::string arena_;
  uint64_t last_key_ = 0;
  size_t last_len_ = ~size_t{0};
  int32_t last_ = -1;       // code of the last short value (last_key_, last_len_)
  int32_t last_long_ = -1;  // code of the last value longer than 8 bytes
};

// Cells that are canonical integers ("0", "42", "-7": no sign "+", no leading zeros, |v| < 2^30)
// skip the dictionary: their code is kIntBase + v (always <= -2), and their text is exactly
// std::to_string(v). Numeric columns then cost no hashing.
constexpr int32_t kIntBias = 1 << 30;
inline bool int_code(const char* p, size_t n, int32_t& code) {
  if (n == 0 || n > 10) return false;
  size_t i = 0;
  if (p[0] == '-') {
    if (n == 1 || p[1] == '0') return false;  // "-", "-0", "-07"
    i = 1;
  } else if (p[0] == '0' && n > 1) {
    return false;  // "007"
  }
  uint64_t v = 0;
  for (; i < n; ++i) {
    const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(p[i])) - '0';
    if (d > 9) return false;
    v = v * 10 + d;
  }
  if (v >= static_cast<uint64_t>(kIntBias) - 1) return false;
  const int64_t sv = p[0] == '-' ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  code = static_cast<int32_t>(static_cast<int64_t>(INT32_MIN) + kIntBias + sv);
  return true;
}
inline bool is_int_code(int32_t code) { return code <= -2; }
inline int64_t int_of_code(int32_t code) { return static_cast<int64_t>(code) - INT32_MIN - kIntBias; }

// One column as read: the header/key as written, and a code per row: a dictionary code (>= 0),
// -1 for no value at all (a short CSV row, a JSON key absent or null), or an integer code.
struct RawColumn {
  std::string header;
  size_t first_line = 0;         // JSON: line where the key was first seen (CSV: header line)
  StringDict dict;
  std::vector<int32_t> codes;
#if defined(__GNUC__) || defined(__clang__)
  __attribute__((always_inline))
#endif
  int32_t code_of(std::string_view s) {
    int32_t c;
    if (int_code(s.data(), s.size(), c)) return c;
    return dict.intern(s);
  }
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
