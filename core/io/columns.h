// Building typed columns from what the readers collected: the per-column dictionary of raw
// cell texts (StringDict) with integer cells coded outside it, the raw column the CSV and JSON
// readers fill, and the steps that name the columns and infer and convert their types.
// Internal to the loader (table.cpp, json_reader.cpp, limits.cpp).
#pragma once

#include <array>
#include <climits>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "io/load_report.h"
#include "leadscore/table.h"

namespace leadscore::detail {

#if defined(LEADSCORE_SIZE_FIRST)
// The compact build (the package default entry, wasm/CMakeLists.txt) leaves out the load's fast
// paths for its size budget: deferred lookups, plain decimals' spellings read from the text, rows
// coded in batches, the recent 9-16 byte texts, byte-coded values through a table, the census's
// length test and the one-pass byte values.
constexpr bool kLoadFastPaths = false;
#else
constexpr bool kLoadFastPaths = true;
#endif

// Distinct raw cell texts of one column, stored once (a TextDictionary: the texts back to back
// and 4 B per entry); codes are assigned in first-seen order. The index is open addressing over
// 8-byte slots (32 bits of the text's hash and the code): a distinct text costs its bytes + 4 B
// + 11-21 B of slots, where a std::string per entry and 24-byte slots cost ~100 B. The slots
// rehash from their stored hash, never from the texts; release_index() frees them once the
// column is read. Interning a value already seen does not allocate.
//
// A near-unique column (ids, e-mails, phones) can skip the index while it is read
// (defer_lookups): a text the recent-texts table does not know is appended with its hash, and
// the repeats are folded into their first entry once the column is read (settle). Looking each
// new text up in an index of ~1M entries cost a cache miss per cell, and the indexes of all such
// columns at once were the top of a load's peak memory.
class StringDict {
 public:
  StringDict() : slots_(16, Slot{0, 0}) {}

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
      const uint64_t h = slot_hash(k, n);
      Recent& r = recent_[h & (kRecent - 1)];
      if (r.key == k && r.len == n) return last_ = r.code;
      last_ = find_or_add(hash32(h), s);
      r = Recent{k, static_cast<uint32_t>(n), last_};
      return last_;
    }
    if (last_long_ >= 0 && same_text(texts_[static_cast<size_t>(last_long_)], s)) return last_long_;
    if (!kLoadFastPaths || n > 16) return last_long_ = intern_long(s);
    const uint64_t a = load64(s.data()), b = load64(s.data() + n - 8);
    const uint64_t h = mid_hash(a, b, n);
    RecentMid& r = recent_mid_[h & (kRecent - 1)];
    if (r.a == a && r.b == b && r.len == n) return last_long_ = r.code;
    last_long_ = find_or_add(hash32(h), s);
    r = RecentMid{a, b, static_cast<uint32_t>(n), last_long_};
    return last_long_;
  }
  int32_t intern_long(std::string_view s);
  size_t size() const { return texts_.size(); }
  std::string_view get(size_t code) const { return texts_[code]; }
  const TextDictionary& texts() const { return texts_; }
  // The texts, leaving this dictionary empty.
  TextDictionary take_texts() {
    release_index();
    return std::move(texts_);
  }
  // Sizes the index and the texts for about `distinct` entries of `bytes` in all (a column's
  // expected figures): no rehash or copy of the texts on the way.
  void reserve(size_t distinct, size_t bytes = 0);
  // Frees the index: get() and texts() still work, intern() must not be called again.
  void release_index() {
    std::vector<Slot>().swap(slots_);
    forget_recent();
  }
  // From now on, appends texts unseen by the recent-texts table without a lookup, until about
  // `bytes` of texts (the column's expected figure) are held; then overran() says so.
  void defer_lookups(size_t distinct, size_t bytes);
  bool deferred() const { return deferred_; }
  bool overran() const { return kLoadFastPaths && deferred_ && texts_.text_bytes() > defer_budget_; }
  // Whether the entries appended since the last look, once there are 64K of them, repeat one
  // another more than one time in eight: the column is less unique than its first rows said.
  bool repeats_lately();
  // Folds the repeats appended while deferred into their first entry. Returns, when any were
  // found, each old code's new code (empty: no code changed). With `keep_reading`, the dictionary
  // can intern again: deferred still when few entries repeated, else with its index rebuilt.
  std::vector<int32_t> settle(bool keep_reading);
  size_t heap_bytes() const {
    return texts_.heap_bytes() + slots_.capacity() * sizeof(Slot) + hashes_.capacity() * sizeof(uint32_t);
  }
  static uint64_t hash_long(const char* p, size_t n);

 private:
  struct Slot {
    uint32_t hash;  // the upper 32 bits of the text's 64-bit hash: the probe start and a filter
    uint32_t code;  // code + 1; 0 = empty
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
  static uint32_t hash32(uint64_t h) { return static_cast<uint32_t>(h >> 32); }
  // a == b, eight bytes at a time when longer than 8 (the last word overlaps). In wasm, memcmp
  // is a byte-by-byte loop: 8 % of a CSV load went there.
  static bool same_text(std::string_view a, std::string_view b) {
    const size_t n = a.size();
    if (n != b.size()) return false;
    if (n < 8) return n == 0 || short_key(a.data(), n) == short_key(b.data(), n);
    size_t i = 0;
    for (; i + 8 < n; i += 8)
      if (load64(a.data() + i) != load64(b.data() + i)) return false;
    return load64(a.data() + n - 8) == load64(b.data() + n - 8);
  }
  // Distinct texts of the same length n <= 8 get distinct keys.
  static uint64_t short_key(const char* p, size_t n) {
    if (n == 8) return load64(p);
    if (n >= 4) return load32(p) | load32(p + n - 4) << 32;
    if (n == 0) return 0;
    return static_cast<unsigned char>(p[0]) | static_cast<uint64_t>(static_cast<unsigned char>(p[n >> 1])) << 8 |
           static_cast<uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
  }
  // The hash of a text of 9-16 bytes, from its first and last 8 (which cover it).
  static uint64_t mid_hash(uint64_t first, uint64_t last, size_t n) {
    const uint64_t a = first * 0x9E3779B97F4A7C15ULL, b = last * 0xC2B2AE3D27D4EB4FULL;
    uint64_t h = a ^ ((b << 29) | (b >> 35)) ^ n;
    h ^= h >> 32;
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 29);
  }
  static uint64_t slot_hash(uint64_t key, size_t n) {
    uint64_t h = (key ^ (static_cast<uint64_t>(n) << 60)) * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
  }

#if defined(__GNUC__) || defined(__clang__)
  __attribute__((noinline))
#endif
  int32_t
  find_or_add(uint32_t h, std::string_view s) {
    if (kLoadFastPaths && deferred_) return append_deferred(h, s);
    const size_t mask = slots_.size() - 1;
    size_t i = h & mask;
    for (;;) {
      const Slot& sl = slots_[i];
      if (sl.code == 0) break;
      if (sl.hash == h && same_text(texts_[sl.code - 1], s)) return static_cast<int32_t>(sl.code - 1);
      i = (i + 1) & mask;
    }
    if (texts_.size() >= static_cast<size_t>(INT32_MAX) - 1 || s.size() > UINT32_MAX - texts_.text_bytes())
      too_many_texts();
    texts_.push_back(s);
    const int32_t code = static_cast<int32_t>(texts_.size() - 1);
    slots_[i] = Slot{h, static_cast<uint32_t>(code) + 1};
    if (texts_.size() * 4 > slots_.size() * 3) grow(slots_.size() * 2);  // load <= 3/4
    return code;
  }
  void grow(size_t slots);
  int32_t append_deferred(uint32_t h, std::string_view s) {
    if (texts_.size() >= static_cast<size_t>(INT32_MAX) - 1 || s.size() > UINT32_MAX - texts_.text_bytes())
      too_many_texts();
    texts_.push_back(s);
    hashes_.push_back(h);
    return static_cast<int32_t>(texts_.size() - 1);
  }
  void index_from_hashes();
  // For each entry from `begin` on, an earlier entry (>= begin) with the same text, or -1.
  static std::vector<int32_t> repeats(const TextDictionary& texts, const std::vector<uint32_t>& hashes,
                                      size_t begin = 0);
  void forget_recent() {
    recent_.fill(Recent{});
    recent_mid_.fill(RecentMid{});
    last_len_ = ~size_t{0};
    last_long_ = -1;
  }
  [[noreturn]] static void too_many_texts();

  // The short texts met last, by hash, with their full key: a repeated category ("Yes", "US",
  // "2025-06-18") is found here without reading the texts, as the 8-byte slots cannot tell.
  struct Recent {
    uint64_t key = 0;
    uint32_t len = ~0u;
    int32_t code = -1;
  };
  static constexpr size_t kRecent = 64;
  std::array<Recent, kRecent> recent_{};
  // The same for texts of 9-16 bytes ("United States", "2025-06-18", "Closed Won"), keyed by
  // their first and last 8 bytes.
  struct RecentMid {
    uint64_t a = 0, b = 0;
    uint32_t len = ~0u;
    int32_t code = -1;
  };
  std::array<RecentMid, kRecent> recent_mid_{};

  TextDictionary texts_;
  std::vector<Slot> slots_;
  // While deferred: each entry's hash (as a Slot holds it), and the text bytes after which the
  // column is less unique than it looked.
  bool deferred_ = false;
  std::vector<uint32_t> hashes_;
  size_t defer_budget_ = 0;
  size_t looked_ = 0;  // entries before this one were looked at by repeats_lately()
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

// The per-row codes of a raw column (dictionary code >= 0, -1 missing, or an integer code), as
// narrow as the codes seen so far allow: one byte while every code is a dictionary code < 128
// or an integer 0..126, two bytes up to 32767 / 32766, else four. Ids, e-mails and amounts need
// four; the other columns of a CRM export (categories, flags, counts, dates) one or two, so the
// raw columns no longer cost 4 B per cell at the load's peak. Widening re-encodes the rows so far
// (at most twice per column).
class RawCodes {
 public:
#if defined(__GNUC__) || defined(__clang__)
  __attribute__((always_inline))
#endif
  void
  push_back(int32_t c) {
    if (width_ == 1) {
      const uint32_t e = encode(c, 0x7F, 0xFF);
      if (e != kNoFit) return u8_.push_back(static_cast<uint8_t>(e));
    } else if (width_ == 2) {
      const uint32_t e = encode(c, 0x7FFF, 0xFFFF);
      if (e != kNoFit) return u16_.push_back(static_cast<uint16_t>(e));
    } else {
      return i32_.push_back(c);
    }
    widen_and_push(c);
  }
  // With width() 1: the codes as stored, and a stored byte's code.
  const uint8_t* bytes() const { return u8_.data(); }
  static int32_t decode_byte(uint8_t e) { return decode(e, 0x7F, 0xFF); }
  int32_t operator[](size_t r) const {
    if (width_ == 1) return decode(u8_[r], 0x7F, 0xFF);
    if (width_ == 2) return decode(u16_[r], 0x7FFF, 0xFFFF);
    return i32_[r];
  }
  void set(size_t r, int32_t c);
  size_t size() const { return width_ == 1 ? u8_.size() : width_ == 2 ? u16_.size() : i32_.size(); }
  size_t width() const { return width_; }
  void reserve(size_t n);
  void resize(size_t n, int32_t c) {
    while (size() < n) push_back(c);
  }
  // Codes [r0, r0 + n) into out: the block loops read them as int32 without a width test per row.
  void read(size_t r0, size_t n, int32_t* out) const;
  // The codes as int32, leaving this empty.
  std::vector<int32_t> take_i32();
  // Dictionary codes c -> new_code[c] (never larger: the width stays).
  void renumber(const std::vector<int32_t>& new_code);
  size_t heap_bytes() const { return u8_.capacity() + u16_.capacity() * 2 + i32_.capacity() * 4; }

 private:
  static constexpr uint32_t kNoFit = ~0u;
  // A code in a width whose largest value is `all` (= missing) and `half` the largest dictionary
  // code; integers 0..all-half-2 follow the dictionary codes.
  static uint32_t encode(int32_t c, uint32_t half, uint32_t all) {
    if (c >= 0) return static_cast<uint32_t>(c) <= half ? static_cast<uint32_t>(c) : kNoFit;
    if (c == -1) return all;
    const int64_t v = int_of_code(c);
    return v >= 0 && v < static_cast<int64_t>(all - half - 1) ? half + 1 + static_cast<uint32_t>(v) : kNoFit;
  }
  static int32_t decode(uint32_t e, uint32_t half, uint32_t all) {
    if (e <= half) return static_cast<int32_t>(e);
    if (e == all) return -1;
    return static_cast<int32_t>(static_cast<int64_t>(INT32_MIN) + kIntBias + (e - half - 1));
  }
  void widen_for(int32_t c);
  void widen_and_push(int32_t c);

  size_t width_ = 1;
  std::vector<uint8_t> u8_;
  std::vector<uint16_t> u16_;
  std::vector<int32_t> i32_;
};

// One column as read: the header/key as written, and a code per row: a dictionary code (>= 0),
// -1 for no value at all (a short CSV row, a JSON key absent or null), or an integer code.
struct RawColumn {
  std::string header;
  size_t first_line = 0;  // JSON: line where the key was first seen (CSV: header line)
  StringDict dict;
  RawCodes codes;
#if defined(__GNUC__) || defined(__clang__)
  __attribute__((always_inline))
#endif
  int32_t
  code_of(std::string_view s) {
    int32_t c;
    if (int_code(s.data(), s.size(), c)) return c;
    return dict.intern(s);
  }
  // StringDict::settle, with the rows' codes renumbered.
  void settle(bool keep_reading) {
    const std::vector<int32_t> new_code = dict.settle(keep_reading);
    if (!new_code.empty()) codes.renumber(new_code);
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
