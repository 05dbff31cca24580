// Byte-level text tests for the compiler's text kernels (compiler.cpp): a substring search and
// the ls:same / ls:in fold, written for the case that matters on high-cardinality columns (e-mails,
// URLs: about a million distinct short values, each tested once per rule). Internal to the core.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "jsonlogic/text_fold.h"

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

// c with A-Z lowered (the ASCII part of fold_text; bytes >= 0x80 as they are).
inline char ascii_lower(unsigned char c) { return (char)((unsigned)(c - 'A') < 26u ? c + ('a' - 'A') : c); }
// What a byte is ORed with before it is compared with the folded needle's byte c: 0x20 where c is
// a letter (A-Z | 0x20 is a-z, and only 'A' and 'a' give 'a'), 0 elsewhere.
inline char case_bit(char c) { return c >= 'a' && c <= 'z' ? 0x20 : 0; }

namespace scan {
// The SIMD filters below take their needle count (or prefix length) as a template parameter: their
// loops over needles unroll and the needles' vectors stay in locals. Indexed at run time, those
// vectors live in memory (in wasm, on the shadow stack in linear memory) and each 16-byte step
// reloads them: one needle over 28.6 MB of e-mails took 11.7 ms that way in V8, 7.6 ms this way.
#if defined(__wasm_simd128__)
// Teddy over the first P bytes of every needle; returns where the scalar tail must go on. With
// Fold, a lower-case letter of a needle also matches its capital (only the high nibble differs).
template <size_t P, bool Fold, class F>
size_t teddy(const char* d, size_t n, const std::string* needles, size_t count, F& f) {
  alignas(16) uint8_t lo[P][16] = {}, hi[P][16] = {};
  for (size_t k = 0; k < count; ++k)
    for (size_t j = 0; j < P; ++j) {
      const unsigned char b = (unsigned char)needles[k][j];
      lo[j][b & 15] |= (uint8_t)(1u << k), hi[j][b >> 4] |= (uint8_t)(1u << k);
      if (Fold && case_bit((char)b)) hi[j][(b ^ 0x20) >> 4] |= (uint8_t)(1u << k);
    }
  v128_t lo_v[P], hi_v[P];
  for (size_t j = 0; j < P; ++j) lo_v[j] = wasm_v128_load(lo[j]), hi_v[j] = wasm_v128_load(hi[j]);
  const v128_t nibble = wasm_i8x16_splat(0x0f), zero = wasm_i8x16_splat(0);
  alignas(16) uint8_t lanes[16];
  size_t at = 0;
  for (; n >= P + 15 && at <= n - P - 15; at += 16) {
    v128_t acc = wasm_i8x16_splat(-1);
    for (size_t j = 0; j < P; ++j) {
      const v128_t x = wasm_v128_load(d + at + j);
      acc = wasm_v128_and(acc, wasm_v128_and(wasm_i8x16_swizzle(lo_v[j], wasm_v128_and(x, nibble)),
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
  return at;
}
#endif
#if defined(__wasm_simd128__) || defined(__SSE2__)
// K needles, each tested at two byte offsets p0[k] and p1[k]; returns where the tail goes on.
// With Fold, a byte probed against a lower-case letter is lowered first (case_bit).
template <size_t K, bool Fold, class F>
size_t two_bytes(const char* d, size_t n, const std::string* needles, const size_t* p0, const size_t* p1,
                 size_t longest, F& f) {
  if (n < longest + 15) return 0;
  size_t o0[K], o1[K];
  char c0[K], c1[K], m0[K], m1[K];
  for (size_t k = 0; k < K; ++k) {
    o0[k] = p0[k], o1[k] = p1[k];
    c0[k] = needles[k][o0[k]], c1[k] = needles[k][o1[k]];
    m0[k] = Fold ? case_bit(c0[k]) : 0, m1[k] = Fold ? case_bit(c1[k]) : 0;
  }
#if defined(__wasm_simd128__)
  v128_t b0[K], b1[K], l0[K], l1[K];
  for (size_t k = 0; k < K; ++k) {
    b0[k] = wasm_i8x16_splat(c0[k]), b1[k] = wasm_i8x16_splat(c1[k]);
    l0[k] = wasm_i8x16_splat(m0[k]), l1[k] = wasm_i8x16_splat(m1[k]);
  }
  auto step = [&](size_t i) {
    v128_t any = wasm_i8x16_splat(0);
    for (size_t k = 0; k < K; ++k) {
      v128_t x = wasm_v128_load(d + i + o0[k]), y = wasm_v128_load(d + i + o1[k]);
      if (Fold) x = wasm_v128_or(x, l0[k]), y = wasm_v128_or(y, l1[k]);
      any = wasm_v128_or(any, wasm_v128_and(wasm_i8x16_eq(x, b0[k]), wasm_i8x16_eq(y, b1[k])));
    }
    return (uint32_t)wasm_i8x16_bitmask(any);
  };
#else
  __m128i b0[K], b1[K], l0[K], l1[K];
  for (size_t k = 0; k < K; ++k) {
    b0[k] = _mm_set1_epi8(c0[k]), b1[k] = _mm_set1_epi8(c1[k]);
    l0[k] = _mm_set1_epi8(m0[k]), l1[k] = _mm_set1_epi8(m1[k]);
  }
  auto step = [&](size_t i) {
    __m128i any = _mm_setzero_si128();
    for (size_t k = 0; k < K; ++k) {
      __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i + o0[k]));
      __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i + o1[k]));
      if (Fold) x = _mm_or_si128(x, l0[k]), y = _mm_or_si128(y, l1[k]);
      any = _mm_or_si128(any, _mm_and_si128(_mm_cmpeq_epi8(x, b0[k]), _mm_cmpeq_epi8(y, b1[k])));
    }
    return (uint32_t)_mm_movemask_epi8(any);
  };
#endif
  // A step at i loads up to byte i + 15 + longest - 1, which must be < n.
  size_t at = 0;
  for (; at <= n - longest - 15; at += 16)
    for (uint32_t x = step(at); x; x &= x - 1) f(at + (size_t)__builtin_ctz(x), ~0u);
  return at;
}
#endif
}  // namespace scan

// Calls f(c, maybe), in increasing order and once each, for every start position c of `hay` where
// one of the needles (1 <= count <= kMaxNeedles, each non-empty) may start; bit k of `maybe` is set
// when needle k may. f checks that the needle fits and matches. 16 positions per SIMD step while
// the loads stay inside `hay`, then one at a time. With Fold, needles are lower-case ASCII and
// letters match either case.
template <bool Fold = false, class F>
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
    at = prefix == 3   ? scan::teddy<3, Fold>(d, n, needles, count, f)
         : prefix == 2 ? scan::teddy<2, Fold>(d, n, needles, count, f)
                       : scan::teddy<1, Fold>(d, n, needles, count, f);
  } else {
#endif
#if defined(__wasm_simd128__) || defined(__SSE2__)
    switch (count) {
#define LS_TWO_BYTES(K)                                               \
  case K:                                                             \
    at = scan::two_bytes<K, Fold>(d, n, needles, p0, p1, longest, f); \
    break;
      LS_TWO_BYTES(1)
      LS_TWO_BYTES(2)
#if !defined(__wasm_simd128__)
      LS_TWO_BYTES(3)
      LS_TWO_BYTES(4)
      LS_TWO_BYTES(5)
      LS_TWO_BYTES(6)
      LS_TWO_BYTES(7)
      LS_TWO_BYTES(8)
#endif
#undef LS_TWO_BYTES
      default:
        break;
    }
#endif
#if defined(__wasm_simd128__)
  }
#endif
  auto same = [](char x, char want) { return (Fold ? ascii_lower((unsigned char)x) : x) == want; };
  for (; at < n; ++at) {
    unsigned maybe = 0;
    for (size_t k = 0; k < count; ++k) {
      const size_t m = needles[k].size();
      if (at + m <= n && same(d[at + p0[k]], needles[k][p0[k]]) && same(d[at + p1[k]], needles[k][p1[k]]))
        maybe |= 1u << k;
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

// A needle compared without a loop (rules' needles are short, and a frequent one, "www." or a
// free-mail domain, is compared once per entry): up to 8 bytes as one masked word, 9 to 16 as its
// first and last 8 bytes; longer ones, or where fewer than 8 bytes remain, with same_bytes.
struct NeedleWords {
  const char* s = nullptr;
  size_t m = 0;
  uint64_t w0 = 0, w1 = 0, mask = 0;
  NeedleWords() = default;
  explicit NeedleWords(const std::string& needle) : s(needle.data()), m(needle.size()) {
    static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ || __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__, "byte order");
    if (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__) return;  // (the masks below are little-endian)
    if (m <= 8) {
      std::memcpy(&w0, s, m);
      mask = m == 8 ? ~0ull : (1ull << (8 * m)) - 1;
    } else if (m <= 16) {
      std::memcpy(&w0, s, 8);
      std::memcpy(&w1, s + m - 8, 8);
    }
  }
  // Whether the needle is at `a`, where `avail` bytes remain (at least m).
  bool at(const char* a, size_t avail) const {
    uint64_t x, y;
    if (mask && avail >= 8) {
      std::memcpy(&x, a, 8);
      return ((x ^ w0) & mask) == 0;
    }
    if (m > 8 && m <= 16 && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) {
      std::memcpy(&x, a, 8);
      std::memcpy(&y, a + m - 8, 8);
      return ((x ^ w0) | (y ^ w1)) == 0;
    }
    return same_bytes(a, s, m);
  }
};

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
  const size_t n = all.size();
  for (size_t g = 0; g < needle_count; g += kMaxNeedles) {
    const std::string* group = needles + g;
    const size_t k_count = needle_count - g < kMaxNeedles ? needle_count - g : kMaxNeedles;
    NeedleWords words[kMaxNeedles];
    for (size_t k = 0; k < k_count; ++k) words[k] = NeedleWords(group[k]);
    size_t e = 0, next = 0;  // next: where the entry after the last one found begins
    for_each_candidate(all, group, k_count, [&](size_t c, unsigned maybe) {
      if (c < next) return;
      while (ends[e] <= c) ++e;
      for (size_t k = 0; k < k_count; ++k) {
        if (!(maybe >> k & 1)) continue;
        if (c + words[k].m > ends[e] || !words[k].at(d + c, n - c)) continue;
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
  const size_t n = all.size();
  const unsigned every = (1u << needle_count) - 1;
  NeedleWords words[kMaxNeedles];
  for (size_t k = 0; k < needle_count; ++k) words[k] = NeedleWords(needles[k]);
  size_t e = 0;
  for_each_candidate(all, needles, needle_count, [&](size_t c, unsigned maybe) {
    while (ends[e] <= c) ++e;
    for (maybe &= every & ~(unsigned)bits[e]; maybe; maybe &= maybe - 1) {
      const unsigned k = (unsigned)__builtin_ctz(maybe);
      if (c + words[k].m <= ends[e] && words[k].at(d + c, n - c)) bits[e] |= (uint8_t)(1u << k);
    }
  });
}

// Where the first byte >= 0x80 at or after `i` is (n if none): 16 bytes per SIMD step.
inline size_t next_wide_byte(const char* d, size_t n, size_t i) {
#if defined(__wasm_simd128__)
  for (; i + 16 <= n; i += 16)
    if (const uint32_t x = (uint32_t)wasm_i8x16_bitmask(wasm_v128_load(d + i))) return i + (size_t)__builtin_ctz(x);
#elif defined(__SSE2__)
  for (; i + 16 <= n; i += 16)
    if (const uint32_t x = (uint32_t)_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i))))
      return i + (size_t)__builtin_ctz(x);
#endif
  for (; i < n; ++i)
    if ((unsigned char)d[i] >= 0x80) return i;
  return n;
}

// The m bytes at `a` equal lower-case ASCII `needle` when lowered: `lower` holds case_bit of each
// of the needle's bytes.
inline bool same_bytes_lowered(const char* a, const char* needle, const char* lower, size_t m) {
  for (; m >= 8; a += 8, needle += 8, lower += 8, m -= 8) {
    uint64_t x, y, l;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, needle, 8);
    std::memcpy(&l, lower, 8);
    if ((x | l) != y) return false;
  }
  for (; m; ++a, ++needle, ++lower, --m)
    if ((char)(*a | *lower) != *needle) return false;
  return true;
}

// entries_containing_each for folded needles (fold_text of the literals, `ls:in`): bit k of
// bits[e] is set when fold_text(entry e) contains needles[k]. Without folding every entry: an
// entry of ASCII bytes folds by lowering A-Z alone, so the ASCII needles are searched in the texts
// as they are, a letter matching either case; only the entries holding a byte >= 0x80 (accented
// letters fold to plain ones, "Müller" to "muller") are folded, and searched together. An ASCII needle found
// in such an entry is in its fold too (its ASCII bytes fold to themselves, lowered), so both
// searches only ever set bits.
inline void folded_entries_containing_each(std::string_view all, const uint32_t* ends, size_t count,
                                           const std::string* needles, size_t needle_count, uint8_t* bits) {
  if (count == 0) return;
  const char* d = all.data();
  const size_t n = all.size();
  // The entries with a byte >= 0x80, folded as they are found (their bytes just read, in cache:
  // a second pass to them costs a cache miss each).
  std::vector<uint32_t> wide, folded_ends;
  std::string folded;
  for (size_t i = next_wide_byte(d, n, 0), e = 0; i < n; i = next_wide_byte(d, n, ends[e])) {
    while (ends[e] <= i) ++e;
    wide.push_back((uint32_t)e);
    const size_t begin = e ? ends[e - 1] : 0;
    fold_text_append(std::string_view(d + begin, ends[e] - begin), folded);
    folded_ends.push_back((uint32_t)folded.size());
  }
  std::string ascii[kMaxNeedles], lower[kMaxNeedles];
  unsigned bit[kMaxNeedles];
  size_t ascii_count = 0;
  for (size_t k = 0; k < needle_count; ++k) {
    const std::string& s = needles[k];
    if (std::any_of(s.begin(), s.end(), [](char c) { return (unsigned char)c >= 0x80; })) continue;
    lower[ascii_count].resize(s.size());
    for (size_t j = 0; j < s.size(); ++j) lower[ascii_count][j] = case_bit(s[j]);
    bit[ascii_count] = 1u << k;
    ascii[ascii_count++] = s;
  }
  if (ascii_count) {
    size_t e = 0;
    for_each_candidate<true>(all, ascii, ascii_count, [&](size_t c, unsigned maybe) {
      while (ends[e] <= c) ++e;
      for (maybe &= (1u << ascii_count) - 1; maybe; maybe &= maybe - 1) {
        const unsigned k = (unsigned)__builtin_ctz(maybe);
        const std::string& s = ascii[k];
        if (!(bits[e] & bit[k]) && c + s.size() <= ends[e] &&
            same_bytes_lowered(d + c, s.data(), lower[k].data(), s.size()))
          bits[e] |= (uint8_t)bit[k];
      }
    });
  }
  if (wide.empty()) return;
  std::vector<uint8_t> found(wide.size(), 0);
  entries_containing_each(folded, folded_ends.data(), wide.size(), needles, needle_count, found.data());
  for (size_t w = 0; w < wide.size(); ++w) bits[wide[w]] |= found[w];
}

// `v` folded as fold_text() folds it (text_fold.h), into `buf`. ASCII text (the usual case) is
// lower-cased in one pass without the general fold; the first byte >= 0x80 hands the whole value
// to fold_text.
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
