// Limits and input checks (see input_limits.h, docs/limits.md).
#include "leadscore/limits.h"

#include <algorithm>
#include <cstring>

#include "io/columns.h"
#include "io/load_report.h"
#include "io/text.h"
#include "leadscore/table.h"

namespace leadscore {

size_t json_text_depth(std::string_view s, size_t limit, size_t* at) {
  size_t depth = 0, max = 0;
  bool in_str = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_str) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_str = false;
      continue;
    }
    if (c == '"') {
      in_str = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max) {
        max = depth;
        if (max > limit) {
          if (at) *at = i;
          return max;
        }
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return max;
}

size_t json_depth(const nlohmann::json& v, size_t limit) {
  if (!v.is_structured()) return 0;
  // Depth-first with an explicit stack of (value, depth).
  std::vector<std::pair<const nlohmann::json*, size_t>> stack{{&v, 1}};
  size_t max = 0;
  while (!stack.empty()) {
    auto [j, d] = stack.back();
    stack.pop_back();
    max = std::max(max, d);
    if (max > limit) return max;
    for (const auto& e : *j)
      if (e.is_structured()) stack.emplace_back(&e, d + 1);
  }
  return max;
}

std::string too_large_message(const std::string& what, uint64_t size) {
  return what + " is " + format_count(size) + " bytes, larger than " + format_bytes(kMaxRuleSetBytes) +
         ", the limit for a rule set or another JSON document read whole (it cannot be raised); is this the right "
         "file?";
}

std::string format_count(uint64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

std::string format_bytes(uint64_t n) {
  if (n >= (1ull << 30) && n % (1ull << 30) == 0) return format_count(n >> 30) + " GiB";
  if (n >= (1ull << 20) && n % (1ull << 20) == 0) return format_count(n >> 20) + " MiB";
  if (n >= (1ull << 10) && n % (1ull << 10) == 0) return format_count(n >> 10) + " KiB";
  return format_count(n) + " bytes";
}

namespace detail {

namespace {

bool starts_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.compare(0, p.size(), p) == 0;
}

bool istarts_with(std::string_view s, std::string_view p) {
  if (s.size() < p.size()) return false;
  for (size_t i = 0; i < p.size(); ++i) {
    char a = s[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (a != p[i]) return false;
  }
  return true;
}

// Length of the valid UTF-8 sequence at s[i], or 0 if the bytes there are not one.
size_t utf8_seq(std::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c == 0xE0)
    n = 3, lo = 0xA0;
  else if (c >= 0xE1 && c <= 0xEC)
    n = 3;
  else if (c == 0xED)
    n = 3, hi = 0x9F;  // no surrogates
  else if (c >= 0xEE && c <= 0xEF)
    n = 3;
  else if (c == 0xF0)
    n = 4, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3)
    n = 4;
  else if (c == 0xF4)
    n = 4, hi = 0x8F;  // <= U+10FFFF
  else
    return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const unsigned char b = static_cast<unsigned char>(s[i + k]);
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return 0;
  }
  return n;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Windows-1252 0x80..0x9F (WHATWG encoding standard; undefined bytes map to the C1 control).
const uint16_t kCp1252High[32] = {0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
                                  0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

// Row of the first cell holding dictionary entry `code` (every entry has one).
size_t first_row_of(const RawColumn& rc, int32_t code) {
  for (size_t r = 0; r < rc.codes.size(); ++r)
    if (rc.codes[r] == code) return r;
  return 0;
}

}  // namespace

std::string sniff_binary(std::string_view h, const char** code, std::string* advice) {
  *code = "format";
  const std::string save =
      "open it in Excel, Numbers or Google Sheets, save or export it as \"CSV UTF-8\" and load that file";
  if (starts_with(h, "\xFF\xFE") || starts_with(h, "\xFE\xFF")) {
    *code = "encoding";
    *advice =
        "save it as \"CSV UTF-8\" (in Excel: File > Save As > CSV UTF-8) or convert it to UTF-8, and load that file";
    return "UTF-16 text (Excel's \"Unicode Text\")";
  }
  if (starts_with(h, "PK\x03\x04")) {
    *advice = save;
    if (h.find("[Content_Types].xml") != std::string_view::npos || h.find("xl/") != std::string_view::npos)
      return "an Excel workbook (.xlsx)";
    if (h.find("content.xml") != std::string_view::npos || h.find("opendocument") != std::string_view::npos)
      return "an OpenDocument spreadsheet (.ods)";
    *advice = "unzip it and load the CSV inside";
    return "a ZIP archive";
  }
  if (starts_with(h, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    *advice = save;
    return "an old Excel workbook (.xls)";
  }
  if (starts_with(h, "%PDF-")) {
    *advice = "export the data as CSV from where the PDF came from";
    return "a PDF document";
  }
  if (starts_with(h, "\x1F\x8B")) {
    *advice = "decompress it (gunzip) and load the file inside";
    return "a gzip-compressed file";
  }
  std::string_view t = h;
  if (starts_with(t, "\xEF\xBB\xBF")) t.remove_prefix(3);
  while (!t.empty() && (t[0] == ' ' || t[0] == '\t' || t[0] == '\r' || t[0] == '\n')) t.remove_prefix(1);
  if (istarts_with(t, "<!doctype html") || istarts_with(t, "<html") || istarts_with(t, "<table") ||
      istarts_with(t, "<head") || istarts_with(t, "<body")) {
    *advice = "some \"Excel\" downloads are really web pages; " + save;
    return "an HTML page";
  }
  if (istarts_with(t, "<?xml")) {
    *advice = save;
    return "an XML document (perhaps an Excel XML spreadsheet)";
  }
  return "";
}

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    // ASCII fast path, 8 bytes at a time
    while (i + 8 <= n) {
      uint64_t x;
      std::memcpy(&x, s.data() + i, 8);
      if (x & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    const size_t k = utf8_seq(s, i);
    if (!k) return false;
    i += k;
  }
  return true;
}

std::string windows1252_to_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 2);
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x80)
      out.push_back(ch);
    else if (c < 0xA0)
      append_utf8(out, kCp1252High[c - 0x80]);
    else
      append_utf8(out, c);
  }
  return out;
}

std::string utf8_for_message(std::string_view s) {
  if (valid_utf8(s)) return std::string(s);
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const size_t k = utf8_seq(s, i);
    if (k) {
      out.append(s.data() + i, k);
      i += k;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

void check_headers(std::vector<RawColumn>& raw, size_t header_line, size_t max_cell_bytes, ProblemSink& ps) {
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string& h = raw[i].header;
    const size_t line = raw[i].first_line ? raw[i].first_line : header_line;
    if (max_cell_bytes && h.size() > max_cell_bytes)
      throw LoadError("limit",
                      "the header of column " + std::to_string(i + 1) + " is " + format_count(h.size()) +
                          " bytes long; the limit is " + format_bytes(max_cell_bytes) +
                          " per cell. Check that the file is really a table with a header row",
                      line, i + 1);
    if (h.find('\0') != std::string::npos)
      throw LoadError("encoding",
                      "the header of column " + std::to_string(i + 1) +
                          " contains a NUL byte: this is not a text file (or it is "
                          "UTF-16 text); save it as \"CSV UTF-8\" and load it again",
                      line, i + 1);
    if (!valid_utf8(h)) {
      std::string fixed = windows1252_to_utf8(h);
      ps.add(line, i + 1, fixed,
             "the header " + quote_value(fixed) +
                 " is not valid UTF-8; read as Windows-1252 (save the file as \"CSV UTF-8\" to avoid this)");
      h = std::move(fixed);
    }
  }
}

void check_cells(std::vector<RawColumn>& raw, const std::vector<ColumnNaming>& names,
                 const std::vector<size_t>& row_line, size_t max_cell_bytes, bool text_checks, ProblemSink& ps) {
  auto line_of = [&](size_t row) { return row < row_line.size() ? row_line[row] : 0; };
  for (size_t i = 0; i < raw.size(); ++i) {
    RawColumn& rc = raw[i];
    const std::string& name = i < names.size() ? names[i].name : rc.header;
    const size_t E = rc.dict.size();
    size_t bad = 0;
    int32_t first_bad = -1;
    for (size_t e = 0; e < E; ++e) {
      const std::string_view v = rc.dict.get(e);
      if (max_cell_bytes && v.size() > max_cell_bytes) {
        const size_t row = first_row_of(rc, static_cast<int32_t>(e));
        throw LoadError(
            "limit",
            "the value in \"" + name + "\" at line " + std::to_string(line_of(row)) + " is " + format_count(v.size()) +
                " bytes long; the limit is " + format_bytes(max_cell_bytes) +
                " per cell. Check that the file is really a table (a missing closing quote can swallow the rest "
                "of the file into one cell), or shorten the value",
            line_of(row), i + 1, name);
      }
      if (!text_checks) continue;
      if (std::memchr(v.data(), 0, v.size())) {
        const size_t row = first_row_of(rc, static_cast<int32_t>(e));
        throw LoadError("encoding",
                        "the value in \"" + name + "\" at line " + std::to_string(line_of(row)) +
                            " contains a NUL byte: this is not a text file (or it is UTF-16 text); save it as \"CSV "
                            "UTF-8\" and load it again",
                        line_of(row), i + 1, name);
      }
      if (!valid_utf8(v)) {
        ++bad;
        if (first_bad < 0) first_bad = static_cast<int32_t>(e);
      }
    }
    if (!bad) continue;
    // Re-read the invalid entries as Windows-1252; they may now equal an existing entry.
    StringDict nd;
    std::vector<int32_t> remap(E);
    for (size_t e = 0; e < E; ++e) {
      const std::string_view v = rc.dict.get(e);
      remap[e] = valid_utf8(v) ? nd.intern(v) : nd.intern(windows1252_to_utf8(v));
    }
    size_t cells = 0, first_row = SIZE_MAX;
    for (size_t r = 0; r < rc.codes.size(); ++r) {
      const int32_t c = rc.codes[r];
      if (c < 0) continue;
      if (!valid_utf8(rc.dict.get(static_cast<size_t>(c)))) {
        ++cells;
        if (first_row == SIZE_MAX) first_row = r;
      }
      rc.codes.set(r, remap[static_cast<size_t>(c)]);
    }
    const std::string example = windows1252_to_utf8(rc.dict.get(static_cast<size_t>(first_bad)));
    rc.dict = std::move(nd);
    ps.add(line_of(first_row), i + 1, name,
           format_count(cells) + (cells == 1 ? " value" : " values") + " in \"" + name + "\" (first at this line) " +
               (cells == 1 ? "is" : "are") + " not valid UTF-8; read as Windows-1252, e.g. " + quote_value(example) +
               " (save the file as \"CSV UTF-8\" to avoid this)");
  }
}

}  // namespace detail
}  // namespace leadscore
