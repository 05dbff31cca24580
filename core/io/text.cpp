// Out-of-line text helpers (see text.h): neither runs per cell.
#include "io/text.h"

#include "leadscore/limits.h"

namespace leadscore::detail {

size_t char_column(const char* line_start, size_t bytes_before) {
  size_t col = 1;
  for (size_t i = 0; i < bytes_before; ++i)
    if ((static_cast<unsigned char>(line_start[i]) & 0xC0) != 0x80) ++col;
  return col;
}

std::string quote_value(std::string_view v) {
  std::string out = "\"";
  size_t n = v.size();
  bool cut = false;
  if (n > 60) {
    n = 60;
    while (n > 0 && (static_cast<unsigned char>(v[n]) & 0xC0) == 0x80) --n;  // don't split a character
    cut = true;
  }
  for (size_t i = 0; i < n; ++i) {
    const char c = v[i];
    if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else if (c == '"')
      out += "\\\"";
    else
      out += c;
  }
  if (cut) out += "...";
  out += '"';
  return utf8_for_message(out);  // messages are UTF-8 even when the cell is not
}

}  // namespace leadscore::detail
