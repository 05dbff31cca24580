// Byte-level text helpers shared by the readers and the cell parsers: ASCII classes, trimming,
// case-insensitive comparison, UTF-8 column counting, and quoting a cell for a message.
// Internal to the core. trim and iequals run once per distinct cell value while typing a
// column, so they stay inline here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace leadscore::detail {

inline bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
// Space, \t, \r, \n, \v, \f (what C's isspace accepts in the "C" locale).
inline bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }
inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Trims ASCII whitespace (space, \t, \r, \n, \v, \f) and U+00A0 (no-break space) at both ends.
inline std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  for (;;) {
    if (b < e && is_ascii_space(s[b])) {
      ++b;
    } else if (e - b >= 2 && static_cast<unsigned char>(s[b]) == 0xC2 && static_cast<unsigned char>(s[b + 1]) == 0xA0) {
      b += 2;
    } else {
      break;
    }
  }
  for (;;) {
    if (e > b && is_ascii_space(s[e - 1])) {
      --e;
    } else if (e - b >= 2 && static_cast<unsigned char>(s[e - 2]) == 0xC2 &&
               static_cast<unsigned char>(s[e - 1]) == 0xA0) {
      e -= 2;
    } else {
      break;
    }
  }
  return s.substr(b, e - b);
}

// ASCII case-insensitive equality.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

// 1-based column of byte `offset` in a line starting at `line_start`, counting UTF-8 characters.
size_t char_column(const char* line_start, size_t bytes_before);

// Quotes a cell value for a problem message, shortened when long.
std::string quote_value(std::string_view v);

}  // namespace leadscore::detail
