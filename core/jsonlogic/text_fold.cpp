// See text_fold.h. The Latin table is generated from JavaScript's Unicode data
// (scripts/gen-text-fold.mjs), so the core needs no Unicode library for it.
#include "jsonlogic/text_fold.h"

#include <cstring>

#include "jsonlogic/text_fold_table.h"

namespace leadscore::detail {

std::string fold_text(std::string_view s) {
  std::string out;
  fold_text_into(s, out);
  return out;
}

void fold_text_into(std::string_view s, std::string& out) {
  out.clear();
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : static_cast<char>(c);
      continue;
    }
    // Two-byte UTF-8 (110xxxxx 10xxxxxx) covers U+0080..U+07FF, the Latin range among them.
    if ((c & 0xE0) == 0xC0 && i + 1 < s.size() && (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80) {
      const unsigned cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
      if (cp >= kFoldFirst && cp <= kFoldLast) {
        out += kFoldTable[cp - kFoldFirst];
        ++i;
        continue;
      }
    }
    out += static_cast<char>(c);
  }
}

void fold_all_into(std::string_view all, const uint32_t* ends, size_t count, std::string& text,
                   std::vector<uint32_t>& out_ends) {
  constexpr uint64_t kHigh = 0x8080808080808080ull, kOnes = 0x0101010101010101ull;
  const char* d = all.data();
  const size_t n = all.size();
  text.resize(n + 8);  // (a folded text may be longer: two letters fold to three bytes; grown below)
  char* o = &text[0];
  size_t i = 0, w = 0, e = 0;
  auto room = [&](size_t k) {
    if (w + k > text.size()) text.resize(2 * text.size() + k), o = &text[0];
  };
  // Where the folded text's length stopped equalling the original's: (original position, folded
  // position) after each letter that folded to another length.
  std::vector<std::pair<size_t, size_t>> moved;
  while (i < n) {
    uint64_t x;
    if (i + 8 <= n && (std::memcpy(&x, d + i, 8), !(x & kHigh))) {
      // Eight ASCII bytes: 0x80 set in a lane of (x + 0x3f) from 'A' up, of (x + 0x25) above 'Z'.
      const uint64_t upper = ((x + (0x80 - 'A') * kOnes) ^ (x + (0x7f - 'Z') * kOnes)) & kHigh;
      x |= upper >> 2;  // + 0x20
      room(8);
      std::memcpy(o + w, &x, 8);
      i += 8, w += 8;
      continue;
    }
    const unsigned char c = static_cast<unsigned char>(d[i]);
    room(3);
    if (c < 0x80) {
      o[w++] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : static_cast<char>(c);
      ++i;
      continue;
    }
    while (ends[e] <= i) ++e;  // a letter's two bytes must lie in one text, as fold_text sees it
    if ((c & 0xE0) == 0xC0 && i + 1 < ends[e] && (static_cast<unsigned char>(d[i + 1]) & 0xC0) == 0x80) {
      const unsigned cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(d[i + 1]) & 0x3Fu);
      if (cp >= kFoldFirst && cp <= kFoldLast) {
        const char* f = kFoldTable[cp - kFoldFirst];
        const size_t len = std::strlen(f);
        std::memcpy(o + w, f, len);
        i += 2, w += len;
        if (len != 2) moved.emplace_back(i, w);
        continue;
      }
    }
    o[w++] = static_cast<char>(c);
    ++i;
  }
  text.resize(w);
  out_ends.resize(count);
  size_t m = 0, from = 0, to = 0;
  for (size_t k = 0; k < count; ++k) {
    for (; m < moved.size() && moved[m].first <= ends[k]; ++m) from = moved[m].first, to = moved[m].second;
    out_ends[k] = static_cast<uint32_t>(ends[k] - from + to);
  }
}

}  // namespace leadscore::detail
