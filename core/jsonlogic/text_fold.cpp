// See text_fold.h. The Latin table is generated from JavaScript's Unicode data
// (scripts/gen-text-fold.mjs), so the core needs no Unicode library for it.
#include "jsonlogic/text_fold.h"

#include <cstdint>
#include <cstring>

#include "jsonlogic/text_fold_table.h"

namespace leadscore::detail {

std::string fold_text(std::string_view s) {
  std::string out;
  fold_text_append(s, out);
  return out;
}

void fold_text_into(std::string_view s, std::string& out) {
  out.clear();
  fold_text_append(s, out);
}

void fold_text_append(std::string_view s, std::string& out) {
  constexpr uint64_t kHigh = 0x8080808080808080ull, kOnes = 0x0101010101010101ull;
  const char* d = s.data();
  const size_t n = s.size();
  size_t w = out.size();
  out.resize(w + n + 8);  // (a folded text may be longer: two letters fold to three bytes; grown below)
  char* o = &out[0];
  auto room = [&](size_t k) {
    if (w + k > out.size()) out.resize(2 * out.size() + k), o = &out[0];
  };
  size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      // The ASCII bytes of the next eight, up to the first byte >= 0x80 (if any), lowered at
      // once: 0x80 set in a lane of (x + 0x3f) from 'A' up, of (x + 0x25) above 'Z'. A carry
      // out of a lane >= 0x80 only reaches the lanes after it, which are not kept.
      uint64_t x;
      std::memcpy(&x, d + i, 8);
      const uint64_t high = x & kHigh;
      const size_t ascii = high ? (size_t)__builtin_ctzll(high) >> 3 : 8;
      if (ascii) {
        const uint64_t upper = ((x + (0x80 - 'A') * kOnes) ^ (x + (0x7f - 'Z') * kOnes)) & kHigh;
        x |= upper >> 2;  // + 0x20
        room(8);          // (letters that fold longer may have used the room the first resize made)
        std::memcpy(o + w, &x, 8);
        i += ascii, w += ascii;
        continue;
      }
    }
    const unsigned char c = static_cast<unsigned char>(d[i]);
    room(8);
    if (c < 0x80) {
      o[w++] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : static_cast<char>(c);
      ++i;
      continue;
    }
    // Two-byte UTF-8 (110xxxxx 10xxxxxx) covers U+0080..U+07FF, the Latin range among them.
    if ((c & 0xE0) == 0xC0 && i + 1 < n && (static_cast<unsigned char>(d[i + 1]) & 0xC0) == 0x80) {
      const unsigned cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(d[i + 1]) & 0x3Fu);
      if (cp >= kFoldFirst && cp <= kFoldLast) {
        const char* f = kFoldTable[cp - kFoldFirst];
        const size_t len = std::strlen(f);
        std::memcpy(o + w, f, len);
        i += 2, w += len;
        continue;
      }
    }
    o[w++] = static_cast<char>(c);
    ++i;
  }
  out.resize(w);
}

}  // namespace leadscore::detail
