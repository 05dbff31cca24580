// JavaScript value semantics (see js_values.h): UTF-8 <-> UTF-16, StringToNumber, ToString, and
// property access with the prototype names of objects, arrays, strings and numbers.
#include "jsonlogic/js_values.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "io/values.h"

namespace leadscore::jsonlogic {

namespace {

bool is_js_space(uint32_t cp) {
  switch (cp) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x20:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

const char* const kObjectProto[] = {"constructor",      "__defineGetter__", "__defineSetter__", "hasOwnProperty",
                                    "__lookupGetter__", "__lookupSetter__", "isPrototypeOf",    "propertyIsEnumerable",
                                    "toString",         "valueOf",          "toLocaleString"};
const char* const kArrayProto[] = {"at",       "concat",        "copyWithin",  "fill",     "find",      "findIndex",
                                   "findLast", "findLastIndex", "lastIndexOf", "pop",      "push",      "reverse",
                                   "shift",    "unshift",       "slice",       "sort",     "splice",    "includes",
                                   "indexOf",  "join",          "keys",        "entries",  "values",    "forEach",
                                   "filter",   "flat",          "flatMap",     "map",      "every",     "some",
                                   "reduce",   "reduceRight",   "toReversed",  "toSorted", "toSpliced", "with"};
const char* const kStringProto[] = {"anchor",
                                    "at",
                                    "big",
                                    "blink",
                                    "bold",
                                    "charAt",
                                    "charCodeAt",
                                    "codePointAt",
                                    "concat",
                                    "endsWith",
                                    "fontcolor",
                                    "fontsize",
                                    "fixed",
                                    "includes",
                                    "indexOf",
                                    "isWellFormed",
                                    "italics",
                                    "lastIndexOf",
                                    "link",
                                    "localeCompare",
                                    "match",
                                    "matchAll",
                                    "normalize",
                                    "padEnd",
                                    "padStart",
                                    "repeat",
                                    "replace",
                                    "replaceAll",
                                    "search",
                                    "slice",
                                    "small",
                                    "split",
                                    "strike",
                                    "sub",
                                    "substr",
                                    "substring",
                                    "sup",
                                    "startsWith",
                                    "toWellFormed",
                                    "trim",
                                    "trimStart",
                                    "trimLeft",
                                    "trimEnd",
                                    "trimRight",
                                    "toLocaleLowerCase",
                                    "toLocaleUpperCase",
                                    "toLowerCase",
                                    "toUpperCase"};
const char* const kNumberProto[] = {"toExponential", "toFixed", "toPrecision"};

template <size_t N>
bool in_list(const char* const (&list)[N], const std::string& key) {
  for (const char* s : list)
    if (key == s) return true;
  return false;
}

// Canonical array index ("0", "17"; not "01", "-0", "1.0").
bool array_index(const std::string& key, size_t* out) {
  if (key.empty() || key.size() > 10) return false;
  if (key.size() > 1 && key[0] == '0') return false;
  uint64_t v = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v >= 4294967295ULL) return false;
  *out = static_cast<size_t>(v);
  return true;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// UTF-8 <-> UTF-16 helpers. JS strings are UTF-16; lengths, indices and substr count
// UTF-16 code units, and relational comparison is by code unit.
// ---------------------------------------------------------------------------------------

uint32_t decode_utf8(std::string_view s, size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    ++i;
    return c;
  }
  int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (len == 0 || i + static_cast<size_t>(len) > s.size()) {
    ++i;
    return 0xFFFD;
  }
  uint32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  for (int k = 1; k < len; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
    if ((cc & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  i += static_cast<size_t>(len);
  return cp;
}

void append_utf8(std::string& out, uint32_t cp) {
  // Lone surrogates (from slicing a pair) are written WTF-8 style (3 bytes).
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

size_t utf16_length(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      ++n;
      continue;
    }
    uint32_t cp = decode_utf8(s, i);
    n += cp >= 0x10000 ? 2 : 1;
  }
  return n;
}

std::vector<uint16_t> to_utf16(std::string_view s) {
  std::vector<uint16_t> u;
  u.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = decode_utf8(s, i);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      u.push_back(static_cast<uint16_t>(0xD800 + (cp >> 10)));
      u.push_back(static_cast<uint16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      u.push_back(static_cast<uint16_t>(cp));
    }
  }
  return u;
}

std::string from_utf16(const uint16_t* u, size_t n) {
  std::string out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    uint32_t c = u[i];
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < n && u[i + 1] >= 0xDC00 && u[i + 1] < 0xE000) {
      c = 0x10000 + ((c - 0xD800) << 10) + (u[i + 1] - 0xDC00);
      ++i;
    }
    append_utf8(out, c);
  }
  return out;
}

int compare_utf16(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  if (i == n) return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
  // back up to the start of the code point containing the difference
  size_t start = i;
  while (start > 0 && (static_cast<unsigned char>(a[start]) & 0xC0) == 0x80) --start;
  size_t ia = start, ib = start;
  uint32_t ca = decode_utf8(a, ia), cb = decode_utf8(b, ib);
  auto unit = [](uint32_t cp, int k) -> uint32_t {
    if (cp < 0x10000) return k == 0 ? cp : 0;
    cp -= 0x10000;
    return k == 0 ? 0xD800 + (cp >> 10) : 0xDC00 + (cp & 0x3FF);
  };
  for (int k = 0; k < 2; ++k) {
    uint32_t ua = unit(ca, k), ub = unit(cb, k);
    if (ua != ub) return ua < ub ? -1 : 1;
  }
  return ca < cb ? -1 : ca > cb ? 1 : 0;
}

double string_to_number(std::string_view s) {
  const double NaN = std::numeric_limits<double>::quiet_NaN();
  // trim JS whitespace
  size_t b = 0;
  while (b < s.size()) {
    size_t j = b;
    if (!is_js_space(decode_utf8(s, j))) break;
    b = j;
  }
  size_t e = s.size();
  while (e > b) {
    size_t st = e - 1;
    while (st > b && (static_cast<unsigned char>(s[st]) & 0xC0) == 0x80) --st;
    size_t j = st;
    if (!is_js_space(decode_utf8(s, j))) break;
    e = st;
  }
  std::string_view t = s.substr(b, e - b);
  if (t.empty()) return 0;
  if (t.size() > 2 && t[0] == '0') {
    int radix = 0;
    char p = t[1];
    if (p == 'x' || p == 'X')
      radix = 16;
    else if (p == 'o' || p == 'O')
      radix = 8;
    else if (p == 'b' || p == 'B')
      radix = 2;
    if (radix) {
      double v = 0;
      for (size_t i = 2; i < t.size(); ++i) {
        char c = t[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : 99;
        if (d >= radix) return NaN;
      }
      if (radix == 16) return std::strtod(std::string(t).c_str(), nullptr);
      for (size_t i = 2; i < t.size(); ++i) v = v * radix + (t[i] - '0');
      return v;
    }
  }
  size_t i = 0;
  bool neg = false;
  if (t[0] == '+' || t[0] == '-') {
    neg = t[0] == '-';
    i = 1;
  }
  std::string_view body = t.substr(i);
  if (body == "Infinity") return neg ? -HUGE_VAL : HUGE_VAL;
  // StrUnsignedDecimalLiteral
  size_t k = 0, intd = 0, fracd = 0;
  while (k < body.size() && body[k] >= '0' && body[k] <= '9') ++k, ++intd;
  if (k < body.size() && body[k] == '.') {
    ++k;
    while (k < body.size() && body[k] >= '0' && body[k] <= '9') ++k, ++fracd;
  }
  if (intd + fracd == 0) return NaN;
  if (k < body.size() && (body[k] == 'e' || body[k] == 'E')) {
    ++k;
    if (k < body.size() && (body[k] == '+' || body[k] == '-')) ++k;
    size_t ed = 0;
    while (k < body.size() && body[k] >= '0' && body[k] <= '9') ++k, ++ed;
    if (ed == 0) return NaN;
  }
  if (k != body.size()) return NaN;
  return std::strtod(std::string(t).c_str(), nullptr);
}

std::string js_to_string(const json& v, int depth) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return v.get<bool>() ? "true" : "false";
    case json::value_t::number_integer: {
      auto i = v.get<json::number_integer_t>();
      if (i > -9007199254740992LL && i < 9007199254740992LL) return std::to_string(i);
      return detail::format_number(static_cast<double>(i));
    }
    case json::value_t::number_unsigned: {
      auto u = v.get<json::number_unsigned_t>();
      if (u < 9007199254740992ULL) return std::to_string(u);
      return detail::format_number(static_cast<double>(u));
    }
    case json::value_t::number_float:
      return detail::format_number(v.get<double>());
    case json::value_t::string:
      return v.get<std::string>();
    case json::value_t::array: {
      if (depth > kMaxDepth)
        throw EvalError(json("Maximum call stack size exceeded"), "RangeError: Maximum call stack size exceeded");
      std::string out;
      bool first = true;
      for (const auto& e : v) {
        if (!first) out += ',';
        first = false;
        if (!e.is_null()) out += js_to_string(e, depth + 1);
      }
      return out;
    }
    case json::value_t::object:
      return "[object Object]";
    default:
      return "undefined";
  }
}

Got js_get(const json& b, const std::string& key, bool copy) {
  switch (b.type()) {
    case json::value_t::object: {
      auto it = b.find(key);
      if (it != b.end()) return got_value(&*it, copy);
      if (key == "__proto__") return got_owned(json::object());  // Object.prototype: an empty object
      if (in_list(kObjectProto, key)) return got_func();
      return {};
    }
    case json::value_t::array: {
      size_t idx;
      if (array_index(key, &idx)) {
        if (idx < b.size()) return got_value(&b[idx], copy);
        return {};
      }
      if (key == "length") return got_owned(json(b.size()));
      if (key == "__proto__") return got_owned(json::array());  // Array.prototype is an empty array
      if (in_list(kArrayProto, key) || in_list(kObjectProto, key)) return got_func();
      return {};
    }
    case json::value_t::string: {
      const auto& s = b.get_ref<const std::string&>();
      size_t idx;
      if (array_index(key, &idx)) {
        auto u = to_utf16(s);
        if (idx < u.size()) return got_owned(json(from_utf16(&u[idx], 1)));
        return {};
      }
      if (key == "length") return got_owned(json(utf16_length(s)));
      if (key == "__proto__") return got_owned(json(""));
      if (in_list(kStringProto, key) || in_list(kObjectProto, key)) return got_func();
      return {};
    }
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      if (key == "__proto__") return got_owned(json(0));
      if (in_list(kNumberProto, key) || in_list(kObjectProto, key)) return got_func();
      return {};
    case json::value_t::boolean:
      if (key == "__proto__") return got_owned(json(false));
      if (key == "toString" || key == "valueOf" || key == "constructor" || in_list(kObjectProto, key))
        return got_func();
      return {};
    default:
      return {};
  }
}

bool js_has(const json& b, const std::string& key) {
  switch (b.type()) {
    case json::value_t::object:
      return b.contains(key) || key == "__proto__" || in_list(kObjectProto, key);
    case json::value_t::array: {
      size_t idx;
      if (array_index(key, &idx)) return idx < b.size();
      return key == "length" || key == "__proto__" || in_list(kArrayProto, key) || in_list(kObjectProto, key);
    }
    default:
      throw_type_error("Cannot use 'in' operator to search for '" + key + "' in " + js_to_string(b));
  }
}

std::vector<std::string> split_path(const std::string& str) {
  std::vector<std::string> parts;
  std::string cur;
  for (size_t i = 0; i < str.size(); ++i) {
    char c = str[i];
    if (c == '\\') {
      char nx = i + 1 < str.size() ? str[i + 1] : '\0';
      if (nx == '.' || nx == '/') {
        cur += nx;
        ++i;
      } else if (nx == '\\') {
        cur += '\\';
        ++i;
      } else {
        cur += '\\';
      }
    } else if (c == '.') {
      parts.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  // parts.length !== str.length (UTF-16 length; equal only when str is all separators,
  // which are single bytes, so byte length gives the same answer)
  if (parts.size() != str.size()) parts.push_back(std::move(cur));
  return parts;
}

void assert_allowed_depth(const json& v) {
  if (v.is_array()) {
    for (const auto& e : v)
      if (structured(e)) throw EvalError(json("Exceeded Allowed Depth"), "Exceeded Allowed Depth");
  } else if (v.is_object()) {
    for (const auto& e : v)
      if (structured(e)) throw EvalError(json("Exceeded Allowed Depth"), "Exceeded Allowed Depth");
  }
}

json js_object_keys(const json& o) {
  json out = json::array();
  std::vector<std::pair<size_t, const std::string*>> ints;
  for (auto it = o.begin(); it != o.end(); ++it) {
    size_t idx;
    if (array_index(it.key(), &idx)) ints.emplace_back(idx, &it.key());
  }
  std::sort(ints.begin(), ints.end());
  for (auto& p : ints) out.push_back(*p.second);
  for (auto it = o.begin(); it != o.end(); ++it) {
    size_t idx;
    if (!array_index(it.key(), &idx)) out.push_back(it.key());
  }
  return out;
}

}  // namespace leadscore::jsonlogic
