// Building typed columns from what the readers collected: the per-column dictionary of raw
// cell texts (StringDict) with integer cells coded outside it, the raw column the CSV and JSON
// readers fill, and the steps that name the columns and infer and convert their types.
// Internal to the loader (table.cpp, json_reader.cpp, limits.cpp).
#pragma once

#include <climits>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "io/load_report.h"
#include "leadscore/table.h"

namespace leadscore::detail {

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
  int32_t
  intern(std::string_view s) {
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
    uint64_t key;  // n <= 8: the bytes (see short_key); else a 64-bit hash
    int32_t code;  // -1: empty
    uint32_t len;
    size_t off;  // where the text starts in arena_: a match on a long text compares it there
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
  int32_t
  find_or_add(uint64_t key, uint32_t len, uint64_t h, std::string_view s) {
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
  size_t first_line = 0;  // JSON: line where the key was first seen (CSV: header line)
  StringDict dict;
  std::vector<int32_t> codes;
#if defined(__GNUC__) || defined(__clang__)
  __attribute__((always_inline))
#endif
  int32_t
  code_of(std::string_view s) {
    int32_t c;
    if (int_code(s.data(), s.size(), c)) return c;
    return dict.intern(s);
  }
};

// Column naming: empty header -> "column_N", a header matching a declared field (by
// normalize_header of its name or an alias) -> the field's name, a name already taken -> "_2",
// "_3"... Problems are reported at `header_line` (or the column's first_line when set).
struct ColumnNaming {
  std::string name;
  int spec = -1;  // index into opts.fields, or -1
};
std::vector<ColumnNaming> name_columns(const std::vector<RawColumn>& raw, size_t header_line, const LoadOptions& opts,
                                       ProblemSink& problems);

// Turns raw columns into typed Columns: missing tokens, hints, type inference, per-cell problems.
// `t.rows` and `t.row_line` must be filled; appends to t.columns. Frees the raw columns.
void build_columns(std::vector<RawColumn>& raw, const std::vector<ColumnNaming>& names, const LoadOptions& opts,
                   Table& t, ProblemSink& problems);

}  // namespace leadscore::detail
