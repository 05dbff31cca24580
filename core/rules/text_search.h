// Byte-level text tests for the compiler's text kernels (compiler.cpp): a substring search and
// the ls:same / ls:in fold, written for the case that matters on high-cardinality columns (e-mails,
// URLs: about a million distinct short values, each tested once per rule). Internal to the core.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>  // (clang's, not Emscripten's: the core builds for any wasm target)
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace leadscore::detail {

// Bit 7 of each byte of x that is zero; exact (no carry crosses a byte).
inline uint64_t zero_bytes(uint64_t x) {
  constexpr uint64_t k7f = 0x7f7f7f7f7f7f7f7full;
  return ~(((x & k7f) + k7f) | x | k7f);
}

// Does `hay` contain `needle` (bytes)? An empty needle is in every text. Many start positions
// are tested at once: their first bytes against the needle's first byte and the bytes m - 1
// further on against its last byte (16 positions per SIMD step where the target has SIMD, 8 per
// 64-bit step elsewhere); only where both match is the needle compared in full. The last step
// overlaps the previous one instead of testing the remaining positions one by one, and no load
// reads past the value. A value shorter than the needle is rejected by its length alone.
inline bool contains_bytes(std::string_view hay, std::string_view needle) {
  const size_t n = hay.size(), m = needle.size();
  if (m == 0) return true;
  if (m > n) return false;
  const char* d = hay.data();
  const char* s = needle.data();
  if (m == 1) return std::memchr(d, s[0], n) != nullptr;
  const size_t last = n - m;  // the last start position
  auto at = [&](size_t i) { return std::memcmp(d + i, s, m) == 0; };
#if defined(__wasm_simd128__) || defined(__SSE2__)
  if (last >= 15) {  // start positions i..i+15; the loads end at byte last + m - 1 = n - 1 at most
#if defined(__wasm_simd128__)
    const v128_t first = wasm_i8x16_splat(s[0]), tail = wasm_i8x16_splat(s[m - 1]);
    auto step = [&](size_t i) {
      const v128_t a = wasm_v128_load(d + i), b = wasm_v128_load(d + i + m - 1);
      return (uint32_t)wasm_i8x16_bitmask(wasm_v128_and(wasm_i8x16_eq(a, first), wasm_i8x16_eq(b, tail)));
    };
#else
    const __m128i first = _mm_set1_epi8(s[0]), tail = _mm_set1_epi8(s[m - 1]);
    auto step = [&](size_t i) {
      const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i));
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i + m - 1));
      return (uint32_t)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, tail)));
    };
#endif
    for (size_t i = 0;; i += 16) {
      if (i > last - 15) i = last - 15;  // the last step: overlaps the one before
      for (uint32_t x = step(i); x; x &= x - 1)
        if (at(i + (size_t)__builtin_ctz(x))) return true;
      if (i == last - 15) return false;
    }
  }
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (last >= 7) {  // as above, 8 start positions per 64-bit step
    const uint64_t first = 0x0101010101010101ull * (unsigned char)s[0];
    const uint64_t tail = 0x0101010101010101ull * (unsigned char)s[m - 1];
    for (size_t i = 0;; i += 8) {
      if (i > last - 7) i = last - 7;
      uint64_t a, b;
      std::memcpy(&a, d + i, 8);
      std::memcpy(&b, d + i + m - 1, 8);
      for (uint64_t x = zero_bytes(a ^ first) & zero_bytes(b ^ tail); x; x &= x - 1)
        if (at(i + (size_t)(__builtin_ctzll(x) >> 3))) return true;
      if (i == last - 7) return false;
    }
  }
#endif
  for (size_t i = 0; i <= last; ++i)
    if (d[i] == s[0] && d[i + m - 1] == s[m - 1] && at(i)) return true;
  return false;
}

// Calls f(i) for each position i of `hay` holding byte c, until f returns true (then true). With
// SIMD, 16 bytes per step; the last step overlaps the one before, so a position may be offered
// twice (f must not mind: it is a test, not a count).
template <class F>
bool any_byte_at(std::string_view hay, char c, F&& f) {
  const char* d = hay.data();
  const size_t n = hay.size();
#if defined(__wasm_simd128__) || defined(__SSE2__)
  if (n >= 16) {
#if defined(__wasm_simd128__)
    const v128_t b = wasm_i8x16_splat(c);
    auto step = [&](size_t i) { return (uint32_t)wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(d + i), b)); };
#else
    const __m128i b = _mm_set1_epi8(c);
    auto step = [&](size_t i) {
      return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i)), b));
    };
#endif
    for (size_t i = 0;; i += 16) {
      if (i > n - 16) i = n - 16;
      for (uint32_t x = step(i); x; x &= x - 1)
        if (f(i + (size_t)__builtin_ctz(x))) return true;
      if (i == n - 16) return false;
    }
  }
#endif
  for (const char* at = d; (at = (const char*)std::memchr(at, c, (size_t)(d + n - at))); ++at)
    if (f((size_t)(at - d))) return true;
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
