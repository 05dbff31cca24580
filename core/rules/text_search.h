// Byte-level text tests for the compiler's text kernels (compiler.cpp): a substring search and
// the ls:same / ls:in fold, written for the case that matters on high-cardinality columns (e-mails,
// URLs: about a million distinct short values, each tested once per rule). Internal to the core.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace leadscore::detail {

// Bit 7 of each byte of x that is zero; exact (no carry crosses a byte).
inline uint64_t zero_bytes(uint64_t x) {
  constexpr uint64_t k7f = 0x7f7f7f7f7f7f7f7full;
  return ~(((x & k7f) + k7f) | x | k7f);
}

// Does `hay` contain `needle` (bytes)? An empty needle is in every text. Eight start positions
// are tested at once: their first bytes against the needle's first byte and the bytes m - 1
// further on against its last byte (one 64-bit load each); only where both match is the needle
// compared in full. A value shorter than the needle is rejected by its length alone.
inline bool contains_bytes(std::string_view hay, std::string_view needle) {
  const size_t n = hay.size(), m = needle.size();
  if (m == 0) return true;
  if (m > n) return false;
  const char* d = hay.data();
  const char* s = needle.data();
  if (m == 1) return std::memchr(d, s[0], n) != nullptr;
  const size_t last = n - m;  // the last start position
  size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const uint64_t first = 0x0101010101010101ull * (unsigned char)s[0];
  const uint64_t tail = 0x0101010101010101ull * (unsigned char)s[m - 1];
  for (; i + 7 <= last; i += 8) {  // start positions i..i+7; the loads end at byte i + 7 + m - 1 < n
    uint64_t a, b;
    std::memcpy(&a, d + i, 8);
    std::memcpy(&b, d + i + m - 1, 8);
    for (uint64_t x = zero_bytes(a ^ first) & zero_bytes(b ^ tail); x; x &= x - 1)
      if (std::memcmp(d + i + (size_t)(__builtin_ctzll(x) >> 3), s, m) == 0) return true;
  }
#endif
  for (; i <= last; ++i)
    if (d[i] == s[0] && d[i + m - 1] == s[m - 1] && std::memcmp(d + i, s, m) == 0) return true;
  return false;
}

// `v` folded as fold_text() folds it (text_fold.h), into `buf`. ASCII text (the usual case) is
// lower-cased in one pass without the general fold; the first byte >= 0x80 hands the whole value
// to fold_text.
std::string fold_text(std::string_view s);
inline std::string_view fold_into(std::string_view v, std::string& buf) {
  buf.resize(v.size());
  char* o = &buf[0];
  for (size_t i = 0; i < v.size(); ++i) {
    const unsigned char c = (unsigned char)v[i];
    if (c >= 0x80) return buf = fold_text(v);
    o[i] = (char)((unsigned)(c - 'A') < 26u ? c + ('a' - 'A') : c);
  }
  return std::string_view(buf.data(), v.size());
}

// fold_text(v) == folded, where `folded` is already folded: without folding v in the usual case.
// Bytes below 0x80 fold one to one (A-Z to a-z), so an ASCII prefix of v that differs from
// `folded` decides "different", and an ASCII v equal so far is equal exactly when the lengths
// are; the first byte >= 0x80 hands the whole value to fold_text.
inline bool fold_equals(std::string_view v, std::string_view folded) {
  const size_t k = v.size() < folded.size() ? v.size() : folded.size();
  for (size_t i = 0; i < k; ++i) {
    const unsigned char c = (unsigned char)v[i];
    if (c >= 0x80) return fold_text(v) == folded;
    if ((char)((unsigned)(c - 'A') < 26u ? c + ('a' - 'A') : c) != folded[i]) return false;
  }
  if (v.size() <= folded.size()) return v.size() == folded.size();
  // v is longer than `folded` and its first k bytes fold to all of it: whatever follows folds
  // to at least one more byte.
  return false;
}

}  // namespace leadscore::detail
