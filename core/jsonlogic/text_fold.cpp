// See text_fold.h. The Latin table is generated from JavaScript's Unicode data
// (scripts/gen-text-fold.mjs), so the core needs no Unicode library for it.
#include "jsonlogic/text_fold.h"

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

}  // namespace leadscore::detail
