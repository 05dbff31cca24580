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

// Up to kMaxNeedles needles searched in one pass. Natively (SSE2) and for one or two needles, a
// position is a candidate for needle k when two of its bytes are where the needle has them (the
// second and the last: needles that share their first byte, "@gmail." and "@yahoo.", differ
// there). With wasm simd128 and three needles or more, the first (up to) three bytes of every
// needle are tested at once by nibble lookups (the "Teddy" filter of Intel's Hyperscan), which
// costs the same for eight needles as for three. Only candidates are compared in full.
constexpr size_t kMaxNeedles = 8;
#if defined(__wasm_simd128__)
constexpr bool kManyNeedlesAtOnce = true;
#else
constexpr bool kManyNeedlesAtOnce = false;  // (natively, three needles or more: one search per entry is faster)
#endif

// Calls f(c, maybe), in increasing order and once each, for every start position c of `hay` where
// one of the needles (1 <= count <= kMaxNeedles, each non-empty) may start; bit k of `maybe` is set
// when needle k may. f checks that the needle fits and matches. 16 positions per SIMD step while
// the loads stay inside `hay`, then one at a time.
template <class F>
void for_each_candidate(std::string_view hay, const std::string* needles, size_t count, F&& f) {
  const char* d = hay.data();
  const size_t n = hay.size();
  size_t p0[kMaxNeedles], p1[kMaxNeedles], longest = 0;
  for (size_t k = 0; k < count; ++k) {
    const size_t m = needles[k].size();
    p0[k] = m > 1 ? 1 : 0, p1[k] = m - 1;
    longest = m > longest ? m : longest;
  }
  size_t at = 0;
#if defined(__wasm_simd128__)
  if (count >= 3) {
    size_t prefix = 3;  // the fingerprint: the first `prefix` bytes of every needle
    for (size_t k = 0; k < count; ++k) prefix = needles[k].size() < prefix ? needles[k].size() : prefix;
    alignas(16) uint8_t lo[3][16] = {}, hi[3][16] = {};
    for (size_t k = 0; k < count; ++k)
      for (size_t j = 0; j < prefix; ++j) {
        const unsigned char b = (unsigned char)needles[k][j];
        lo[j][b & 15] |= (uint8_t)(1u << k), hi[j][b >> 4] |= (uint8_t)(1u << k);
      }
    v128_t lo_v[3], hi_v[3];
    for (size_t j = 0; j < prefix; ++j) lo_v[j] = wasm_v128_load(lo[j]), hi_v[j] = wasm_v128_load(hi[j]);
    const v128_t nibble = wasm_i8x16_splat(0x0f), zero = wasm_i8x16_splat(0);
    alignas(16) uint8_t lanes[16];
    for (; n >= prefix + 15 && at <= n - prefix - 15; at += 16) {
      v128_t acc = wasm_i8x16_splat(-1);
      for (size_t j = 0; j < prefix; ++j) {
        const v128_t x = wasm_v128_load(d + at + j);
        acc =
            wasm_v128_and(acc, wasm_v128_and(wasm_i8x16_swizzle(lo_v[j], wasm_v128_and(x, nibble)),
                                             wasm_i8x16_swizzle(hi_v[j], wasm_v128_and(wasm_u16x8_shr(x, 4), nibble))));
      }
      uint32_t x = (uint32_t)wasm_i8x16_bitmask(wasm_v128_not(wasm_i8x16_eq(acc, zero)));
      if (!x) continue;
      wasm_v128_store(lanes, acc);
      for (; x; x &= x - 1) {
        const unsigned lane = (unsigned)__builtin_ctz(x);
        f(at + lane, (unsigned)lanes[lane]);
      }
    }
  } else if (n >= longest + 15) {
#elif defined(__SSE2__)
  if (n >= longest + 15) {
#endif
#if defined(__wasm_simd128__) || defined(__SSE2__)
#if defined(__wasm_simd128__)
    v128_t b0[kMaxNeedles], b1[kMaxNeedles];
    for (size_t k = 0; k < count; ++k)
      b0[k] = wasm_i8x16_splat(needles[k][p0[k]]), b1[k] = wasm_i8x16_splat(needles[k][p1[k]]);
    auto step = [&](size_t i) {
      v128_t any = wasm_i8x16_splat(0);
      for (size_t k = 0; k < count; ++k)
        any = wasm_v128_or(any, wasm_v128_and(wasm_i8x16_eq(wasm_v128_load(d + i + p0[k]), b0[k]),
                                              wasm_i8x16_eq(wasm_v128_load(d + i + p1[k]), b1[k])));
      return (uint32_t)wasm_i8x16_bitmask(any);
    };
#else
    __m128i b0[kMaxNeedles], b1[kMaxNeedles];
    for (size_t k = 0; k < count; ++k)
      b0[k] = _mm_set1_epi8(needles[k][p0[k]]), b1[k] = _mm_set1_epi8(needles[k][p1[k]]);
    auto step = [&](size_t i) {
      __m128i any = _mm_setzero_si128();
      for (size_t k = 0; k < count; ++k) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i + p0[k]));
        const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i + p1[k]));
        any = _mm_or_si128(any, _mm_and_si128(_mm_cmpeq_epi8(x, b0[k]), _mm_cmpeq_epi8(y, b1[k])));
      }
      return (uint32_t)_mm_movemask_epi8(any);
    };
#endif
    // A step at i loads up to byte i + 15 + longest - 1, which must be < n.
    for (; at <= n - longest - 15; at += 16)
      for (uint32_t x = step(at); x; x &= x - 1) f(at + (size_t)__builtin_ctz(x), ~0u);
  }
#endif
  for (; at < n; ++at) {
    unsigned maybe = 0;
    for (size_t k = 0; k < count; ++k) {
      const size_t m = needles[k].size();
      if (at + m <= n && d[at + p0[k]] == needles[k][p0[k]] && d[at + p1[k]] == needles[k][p1[k]]) maybe |= 1u << k;
    }
    if (maybe) f(at, maybe);
  }
}

// memcmp(a, b, m) == 0 for the short needles of rules, inline (in wasm memcmp is a call and a byte
// loop): 8 bytes at a time.
inline bool same_bytes(const char* a, const char* b, size_t m) {
  for (; m >= 8; a += 8, b += 8, m -= 8) {
    uint64_t x, y;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, b, 8);
    if (x != y) return false;
  }
  for (; m; ++a, ++b, --m)
    if (*a != *b) return false;
  return true;
}

// The entries of a dictionary that contain any of the needles (each non-empty): `all` is the
// entries' texts back to back, entry e ending at ends[e] (TextDictionary's layout). One search over
// all the texts (one per kMaxNeedles needles) instead of one per entry: entries are short (e-mails,
// URLs), and a million per-entry searches cost more in setup than in searching. A match that runs
// across two entries does not count. hit(e) may be called again for an entry found by a later
// group of needles; within one group, once per entry, in increasing order.
template <class Hit>
void entries_containing(std::string_view all, const uint32_t* ends, size_t count, const std::string* needles,
                        size_t needle_count, Hit&& hit) {
  if (count == 0) return;
  const char* d = all.data();
  for (size_t g = 0; g < needle_count; g += kMaxNeedles) {
    const std::string* group = needles + g;
    const size_t k_count = needle_count - g < kMaxNeedles ? needle_count - g : kMaxNeedles;
    size_t e = 0, next = 0;  // next: where the entry after the last one found begins
    for_each_candidate(all, group, k_count, [&](size_t c, unsigned maybe) {
      if (c < next) return;
      while (ends[e] <= c) ++e;
      for (size_t k = 0; k < k_count; ++k) {
        if (!(maybe >> k & 1)) continue;
        const std::string& s = group[k];
        if (c + s.size() > ends[e] || !same_bytes(d + c, s.data(), s.size())) continue;
        hit(e);
        next = ends[e];
        return;
      }
    });
  }
}

// For up to kMaxNeedles needles at once, each reported: bit k of bits[e] is set when entry e
// contains needles[k] (the other bits are left as they are). The same layout and cross-entry rule
// as entries_containing; the fused search of several rules' needles (TextSearches, compiler.h).
inline void entries_containing_each(std::string_view all, const uint32_t* ends, size_t count,
                                    const std::string* needles, size_t needle_count, uint8_t* bits) {
  if (count == 0) return;
  const char* d = all.data();
  const unsigned every = (1u << needle_count) - 1;
  size_t e = 0;
  for_each_candidate(all, needles, needle_count, [&](size_t c, unsigned maybe) {
    while (ends[e] <= c) ++e;
    for (maybe &= every & ~(unsigned)bits[e]; maybe; maybe &= maybe - 1) {
      const unsigned k = (unsigned)__builtin_ctz(maybe);
      const std::string& s = needles[k];
      if (c + s.size() <= ends[e] && same_bytes(d + c, s.data(), s.size())) bits[e] |= (uint8_t)(1u << k);
    }
  });
}

// c with A-Z lowered (the ASCII part of fold_text; bytes >= 0x80 as they are).
inline char ascii_lower(unsigned char c) { return (char)((unsigned)(c - 'A') < 26u ? c + ('a' - 'A') : c); }

// `v` folded as fold_text() folds it (text_fold.h), into `buf`. ASCII text (the usual case) is
// lower-cased in one pass without the general fold; the first byte >= 0x80 hands the whole value
// to fold_text.
std::string fold_text(std::string_view s);
void fold_text_into(std::string_view s, std::string& out);
inline std::string_view fold_into(std::string_view v, std::string& buf) {
  buf.resize(v.size());
  char* o = &buf[0];
  for (size_t i = 0; i < v.size(); ++i) {
    const unsigned char c = (unsigned char)v[i];
    if (c >= 0x80) {
      fold_text_into(v, buf);
      return buf;
    }
    o[i] = ascii_lower(c);
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
    if (ascii_lower(c) != folded[i]) return false;
  }
  if (v.size() <= folded.size()) return v.size() == folded.size();
  // v is longer than `folded` and its first k bytes fold to all of it: whatever follows folds
  // to at least one more byte.
  return false;
}

}  // namespace leadscore::detail
