// JsonLogic interpreter mirroring json-logic-engine 5.0.7's `new LogicEngine().run(logic, data)`.
//
// How the JavaScript engine really evaluates (and therefore how this file is organised):
// `LogicEngine.run` does not walk the logic directly. It first runs its *optimizer*
// (optimizer.js) over the logic, caches the result per logic object, and calls that.
// The optimizer changes observable behaviour in several ways, all mirrored here:
//   * constant folding: every node json-logic-engine considers "deterministic" (no var/val
//     outside an iterator, no throw outside a try, ...) is evaluated once, up front. An error
//     in such a node is raised even when the branch holding it would never be taken
//     ({"if":[{"var":"x"}, 1, {"/":[1,0]}]} always throws);
//   * "idioms": 2- and 3-argument comparisons, 3-argument if, val with short paths, filter
//     with a constant predicate and reduce with a +/* accumulator are rewritten into special
//     forms whose coercions differ from the generic methods (e.g. 3-argument string
//     comparisons work, 4-argument ones throw);
//   * unary argument forms: {"cat": [x]} calls cat(x), not cat([x]), so a null x throws;
//     {"var": "a.b"} uses `data && data.a && data.a.b` (a falsy `a` is returned as is).
// Lazily evaluated operands (and/or/??/try/iterators/non-idiom if) are optimized only when
// they are first evaluated, so a folding error inside them surfaces only when reached.
// We reproduce that by compiling such operands eagerly but storing the folding error in a
// "deferred" node that throws when (and each time) it is evaluated.
//
// The engine itself was read from node_modules/json-logic-engine (defaultMethods.js,
// legacy.js, optimizer.js, logic.js, utilities/*) and every behaviour pinned in
// tests/test_jsonlogic_semantics.cpp was checked against it under Node.
//
// Deliberate differences (documented in the report and the semantics test):
//   * unknown operators and objects with several keys are rejected up front with LogicError
//     (the engine throws {type:"Unknown Operator"} at optimize time or when reached, and
//     evaluates a few multi-key objects whose keys include an idiom operator);
//   * logic nested deeper than kMaxDepth levels is rejected with LogicError;
//   * JS functions (e.g. the value of `{}.toString`) are represented as null;
//   * object identity (=== / in on arrays and objects) is approximated by address identity
//     of the values we hold: same datum value -> identical, computed copies -> distinct;
//   * object key order: nlohmann::json sorts keys, so `keys`/`eachKey` list integer-like keys
//     first (as JS does) and the rest in byte order, not insertion order.
#include "leadscore/jsonlogic.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <limits>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <utility>

#if defined(__cpp_lib_to_chars) && !defined(LEADSCORE_JSONLOGIC_NO_TO_CHARS)
#include <charconv>
#endif

namespace leadscore::jsonlogic {

namespace {

// Nesting limit for logic (objects + arrays). json-logic-engine has none (it overflows the
// JS stack somewhere in the thousands); we refuse earlier so native and WebAssembly stacks
// are safe with room to spare.
constexpr int kMaxDepth = 512;

const json& null_json() {
  static const json n;
  return n;
}

// The context while json-logic-engine folds constants is `undefined` (we use a null at a
// distinct address). When a lazy operator then runs an operand through engine.run(logic,
// data = {}), the default parameter turns that undefined into {}.
const json& undefined_json() {
  static const json u;
  return u;
}
const json& empty_object_json() {
  static const json o = json::object();
  return o;
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

// A thrown JS value that is falsy (null/undefined: {"throw": null}, {"try": []}). `try`
// treats those specially (`if (lastError)`), so we keep the distinction.
struct FalsyThrow : EvalError {
  using EvalError::EvalError;
};

[[noreturn]] void throw_nan() { throw EvalError(json("NaN"), "NaN"); }
[[noreturn]] void throw_invalid() { throw EvalError(json("Invalid Arguments"), "Invalid Arguments"); }
[[noreturn]] void throw_type_error(const std::string& msg) { throw EvalError(json(msg), "TypeError: " + msg); }
[[noreturn]] void throw_error_message(const std::string& msg) { throw EvalError(json(msg), msg); }

// ---------------------------------------------------------------------------------------
// Values: a borrowed pointer (into the datum, the logic or compiled constants) or an owned
// json. Borrowing avoids copying strings on every var lookup and lets ===/in see identity.
// ---------------------------------------------------------------------------------------
class Val {
 public:
  Val() = default;
  explicit Val(json&& j) : own_(std::move(j)) {}
  Val(Val&& o) noexcept : p_(o.p_), own_(std::move(o.own_)) {}
  Val& operator=(Val&& o) noexcept {
    p_ = o.p_;
    own_ = std::move(o.own_);
    return *this;
  }
  Val(const Val&) = delete;
  Val& operator=(const Val&) = delete;
  static Val ref(const json* p) {
    Val v;
    v.p_ = p;
    return v;
  }
  const json& get() const { return p_ ? *p_ : own_; }
  bool borrowed() const { return p_ != nullptr; }
  json take() && { return p_ ? json(*p_) : std::move(own_); }

 private:
  const json* p_ = nullptr;
  json own_;
};

Val vbool(bool b) { return Val(json(b)); }

// ---------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------
double to_double(const json& j) {
  switch (j.type()) {
    case json::value_t::number_integer: return static_cast<double>(j.get<json::number_integer_t>());
    case json::value_t::number_unsigned: return static_cast<double>(j.get<json::number_unsigned_t>());
    case json::value_t::number_float: return j.get<json::number_float_t>();
    default: return std::numeric_limits<double>::quiet_NaN();
  }
}

// A JS number as json: integral values print without ".0" (as JSON.stringify does), -0 -> 0.
json num(double d) {
  if (d == 0) return json(0);
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) <= 9.0e18) {
    return json(static_cast<json::number_integer_t>(d));
  }
  return json(d);
}

// Shortest round-trip decimal digits of a finite positive double: digits d1..dk and the
// exponent n such that value = 0.d1..dk * 10^n (ECMA-262 Number::toString's k and n).
void shortest_digits(double v, std::string& digits, int& n) {
  // Produces an integer mantissa string `mant` and exponent `e` with value = mant * 10^e.
  std::string mant;
  int e = 0;
  auto from_sci = [&](const char* sci) {  // "d.ddde±x" -> mant "dddd", e = x - (#digits - 1)
    std::string m;
    const char* p = sci;
    for (; *p && *p != 'e' && *p != 'E'; ++p)
      if (*p >= '0' && *p <= '9') m += *p;
    int x = *p ? std::atoi(p + 1) : 0;
    mant = m;
    e = x - static_cast<int>(m.size()) + 1;
  };
#if defined(__cpp_lib_to_chars) && !defined(LEADSCORE_JSONLOGIC_NO_TO_CHARS)
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf - 1, v, std::chars_format::scientific);
  *res.ptr = '\0';
  from_sci(buf);
#else
  // libc++ as shipped with Emscripten 3.1.6 has no floating-point to_chars.
  // <= 15 significant digits: %.14e is exact (any such decimal that round-trips is what
  // correct rounding to 15 digits yields). 16 digits: the correctly rounded candidate or a
  // neighbour (the round-trip interval is asymmetric at powers of two), choosing the one
  // closest to v as ECMA-262 requires. Otherwise 17 digits, which always round-trip.
  char buf[64];
  if (v < 2.2250738585072014e-308) {
    // Subnormals carry fewer than 53 bits, so a 15-digit round trip proves nothing about
    // shorter ones: search upwards. Their spacing is uniform, so the correctly rounded
    // candidate of the first length that round-trips is the closest one.
    for (int prec = 0; prec <= 16; ++prec) {
      std::snprintf(buf, sizeof buf, "%.*e", prec, v);
      if (std::strtod(buf, nullptr) == v) break;
    }
    from_sci(buf);
  } else if (std::snprintf(buf, sizeof buf, "%.14e", v), std::strtod(buf, nullptr) == v) {
    from_sci(buf);
  } else {
    std::snprintf(buf, sizeof buf, "%.15e", v);
    from_sci(buf);
    unsigned long long m16 = std::strtoull(mant.c_str(), nullptr, 10);
    const int e16 = e;
    bool found = false;
    long double best = 0;
    // printf rounds correctly (ties to even, as ECMA-262 wants), so the rounded candidate
    // wins whenever it round-trips; otherwise at most one neighbour can.
    for (int d : {0, -1, 1}) {
      unsigned long long c = m16 + static_cast<unsigned long long>(static_cast<long long>(d));
      std::string cand = std::to_string(c) + "e" + std::to_string(e16);
      if (std::strtod(cand.c_str(), nullptr) != v) continue;
      if (d == 0) {
        found = true;
        best = 0;
        mant = std::to_string(c);
        e = e16;
        break;
      }
      long double dist = std::fabs(std::strtold(cand.c_str(), nullptr) - static_cast<long double>(v));
      if (!found || dist < best) {
        found = true;
        best = dist;
        mant = std::to_string(c);
        e = e16;
      }
    }
    if (!found) {
      std::snprintf(buf, sizeof buf, "%.16e", v);
      from_sci(buf);
    }
  }
#endif
  // strip trailing zeros of the mantissa into the exponent
  while (mant.size() > 1 && mant.back() == '0') {
    mant.pop_back();
    ++e;
  }
  digits = mant;
  n = e + static_cast<int>(mant.size());
}

// ECMA-262 Number::toString(10).
std::string js_number_to_string(double v) {
  if (std::isnan(v)) return "NaN";
  if (v == 0) return "0";
  if (std::isinf(v)) return v < 0 ? "-Infinity" : "Infinity";
  std::string sign;
  if (v < 0) {
    sign = "-";
    v = -v;
  }
  if (v < 9007199254740992.0 && v == std::floor(v)) return sign + std::to_string(static_cast<long long>(v));
  std::string d;
  int n = 0;
  shortest_digits(v, d, n);
  const int k = static_cast<int>(d.size());
  std::string out;
  if (k <= n && n <= 21) {
    out = d + std::string(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out = d.substr(0, static_cast<size_t>(n)) + "." + d.substr(static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    out = "0." + std::string(static_cast<size_t>(-n), '0') + d;
  } else {
    int e = n - 1;
    std::string es = (e >= 0 ? "+" : "-") + std::to_string(e >= 0 ? e : -e);
    out = k == 1 ? d + "e" + es : d.substr(0, 1) + "." + d.substr(1) + "e" + es;
  }
  return sign + out;
}

// ---------------------------------------------------------------------------------------
// UTF-8 <-> UTF-16 helpers. JS strings are UTF-16; lengths, indices and substr count
// UTF-16 code units, and relational comparison is by code unit.
// ---------------------------------------------------------------------------------------

// Decodes one code point at s[i]; advances i. Invalid bytes decode as U+FFFD (one byte).
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

// JS relational string order = UTF-16 code-unit order. For ASCII (and indeed for all of the
// BMP below U+E000) that is the same as UTF-8 byte order; it differs only between
// supplementary characters (surrogate pairs, 0xD800..) and U+E000..U+FFFF. We compare bytes
// and, at the first difference, decode both code points and compare their UTF-16 units.
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

// ---------------------------------------------------------------------------------------
// JS conversions
// ---------------------------------------------------------------------------------------
bool is_js_space(uint32_t cp) {
  switch (cp) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20: case 0xA0: case 0x1680:
    case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000: case 0xFEFF:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

// ECMA-262 StringToNumber.
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
    if (p == 'x' || p == 'X') radix = 16;
    else if (p == 'o' || p == 'O') radix = 8;
    else if (p == 'b' || p == 'B') radix = 2;
    if (radix) {
      double v = 0;
      for (size_t i = 2; i < t.size(); ++i) {
        char c = t[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
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

std::string js_to_string(const json& v, int depth = 0);

// ToNumber
double js_to_number(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return 0;
    case json::value_t::boolean: return v.get<bool>() ? 1 : 0;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return to_double(v);
    case json::value_t::string: return string_to_number(v.get_ref<const std::string&>());
    case json::value_t::array: return string_to_number(js_to_string(v));
    default: return std::numeric_limits<double>::quiet_NaN();
  }
}

// ToString (String(x)); arrays join with "," and render null elements as "".
std::string js_to_string(const json& v, int depth) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::number_integer: {
      auto i = v.get<json::number_integer_t>();
      if (i > -9007199254740992LL && i < 9007199254740992LL) return std::to_string(i);
      return js_number_to_string(static_cast<double>(i));
    }
    case json::value_t::number_unsigned: {
      auto u = v.get<json::number_unsigned_t>();
      if (u < 9007199254740992ULL) return std::to_string(u);
      return js_number_to_string(static_cast<double>(u));
    }
    case json::value_t::number_float: return js_number_to_string(v.get<double>());
    case json::value_t::string: return v.get<std::string>();
    case json::value_t::array: {
      if (depth > kMaxDepth) throw EvalError(json("Maximum call stack size exceeded"), "RangeError: Maximum call stack size exceeded");
      std::string out;
      bool first = true;
      for (const auto& e : v) {
        if (!first) out += ',';
        first = false;
        if (!e.is_null()) out += js_to_string(e, depth + 1);
      }
      return out;
    }
    case json::value_t::object: return "[object Object]";
    default: return "undefined";
  }
}

// JS ToBoolean.
bool js_truthy(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return false;
    case json::value_t::boolean: return v.get<bool>();
    case json::value_t::number_integer: return v.get<json::number_integer_t>() != 0;
    case json::value_t::number_unsigned: return v.get<json::number_unsigned_t>() != 0;
    case json::value_t::number_float: {
      double d = v.get<double>();
      return d != 0 && !std::isnan(d);
    }
    case json::value_t::string: return !v.get_ref<const std::string&>().empty();
    case json::value_t::discarded: return false;
    default: return true;
  }
}

// json-logic-engine's engine.truthy: JS truthiness, but [] and {} are falsy.
bool engine_truthy(const json& v) {
  if (v.is_array() || v.is_object()) return !v.empty();
  return js_truthy(v);
}

bool structured(const json& v) { return v.is_array() || v.is_object(); }
bool str_or_null(const json& v) { return v.is_string() || v.is_null(); }

// ---------------------------------------------------------------------------------------
// JS property access on JSON values (including the prototype names that exist on every
// object/array/string/number, which JS would return as functions).
// ---------------------------------------------------------------------------------------
const char* const kObjectProto[] = {"constructor", "__defineGetter__", "__defineSetter__", "hasOwnProperty",
                                    "__lookupGetter__", "__lookupSetter__", "isPrototypeOf",
                                    "propertyIsEnumerable", "toString", "valueOf", "toLocaleString"};
const char* const kArrayProto[] = {"at", "concat", "copyWithin", "fill", "find", "findIndex", "findLast",
                                   "findLastIndex", "lastIndexOf", "pop", "push", "reverse", "shift", "unshift",
                                   "slice", "sort", "splice", "includes", "indexOf", "join", "keys", "entries",
                                   "values", "forEach", "filter", "flat", "flatMap", "map", "every", "some",
                                   "reduce", "reduceRight", "toReversed", "toSorted", "toSpliced", "with"};
const char* const kStringProto[] = {"anchor", "at", "big", "blink", "bold", "charAt", "charCodeAt", "codePointAt",
                                    "concat", "endsWith", "fontcolor", "fontsize", "fixed", "includes", "indexOf",
                                    "isWellFormed", "italics", "lastIndexOf", "link", "localeCompare", "match",
                                    "matchAll", "normalize", "padEnd", "padStart", "repeat", "replace",
                                    "replaceAll", "search", "slice", "small", "split", "strike", "sub", "substr",
                                    "substring", "sup", "startsWith", "toWellFormed", "trim", "trimStart",
                                    "trimLeft", "trimEnd", "trimRight", "toLocaleLowerCase", "toLocaleUpperCase",
                                    "toLowerCase", "toUpperCase"};
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

enum class GK : uint8_t { Undef, Func, Value };
struct Got {
  GK k = GK::Undef;
  Val v;
};

Got got_value(const json* p, bool copy) {
  Got g;
  g.k = GK::Value;
  g.v = copy ? Val(json(*p)) : Val::ref(p);
  return g;
}
Got got_owned(json&& j) {
  Got g;
  g.k = GK::Value;
  g.v = Val(std::move(j));
  return g;
}
Got got_func() {
  Got g;
  g.k = GK::Func;
  return g;
}

// base[key] in JS. `copy` forces owned results (when base itself is a temporary).
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
      if (key == "toString" || key == "valueOf" || key == "constructor" || in_list(kObjectProto, key)) return got_func();
      return {};
    default:
      return {};
  }
}

// `key in base`; throws the JS TypeError for primitives.
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

// SameValueZero (Array.prototype.includes); objects compare by identity.
// ===
bool strict_eq(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) return to_double(a) == to_double(b);
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case json::value_t::null: return true;
    case json::value_t::boolean: return a.get<bool>() == b.get<bool>();
    case json::value_t::string: return a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
    default: return &a == &b;
  }
}

// SameValueZero is === except that NaN equals NaN.
bool same_value_zero(const json& a, const json& b) {
  if (a.is_number() && b.is_number() && std::isnan(to_double(a)) && std::isnan(to_double(b))) return true;
  return strict_eq(a, b);
}


// utilities/splitPath.js
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

// utilities/downgrade.js assertAllowedDepth(item, 0)
void assert_allowed_depth(const json& v) {
  if (v.is_array()) {
    for (const auto& e : v)
      if (structured(e)) throw EvalError(json("Exceeded Allowed Depth"), "Exceeded Allowed Depth");
  } else if (v.is_object()) {
    for (const auto& e : v)
      if (structured(e)) throw EvalError(json("Exceeded Allowed Depth"), "Exceeded Allowed Depth");
  }
}

// Object.keys order: integer-like keys ascending, then the others (insertion order in JS;
// nlohmann::json keeps them sorted, so byte order here).
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

// ---------------------------------------------------------------------------------------
// Operators
// ---------------------------------------------------------------------------------------
enum class Op : uint8_t {
  Plus, Minus, Mul, Div, Mod, Throw, Max, Min, In, Preserve, If, Lt, Le, Gt, Ge, Eq, SEq, Ne, SNe,
  Or, And, Coalesce, Try, Substr, Length, Exists, Val, Map, Some, All, None, Merge, Filter, Reduce,
  Not, NotNot, Cat, Keys, Pipe, EachKey, Get, Var, Missing, MissingSome
};

const std::unordered_map<std::string, Op>& op_table() {
  static const std::unordered_map<std::string, Op> t = {
      {"+", Op::Plus}, {"-", Op::Minus}, {"*", Op::Mul}, {"/", Op::Div}, {"%", Op::Mod},
      {"throw", Op::Throw}, {"max", Op::Max}, {"min", Op::Min}, {"in", Op::In},
      {"preserve", Op::Preserve}, {"if", Op::If}, {"?:", Op::If}, {"<", Op::Lt}, {"<=", Op::Le},
      {">", Op::Gt}, {">=", Op::Ge}, {"==", Op::Eq}, {"===", Op::SEq}, {"!=", Op::Ne},
      {"!==", Op::SNe}, {"or", Op::Or}, {"and", Op::And}, {"??", Op::Coalesce}, {"try", Op::Try},
      {"substr", Op::Substr}, {"length", Op::Length}, {"exists", Op::Exists}, {"val", Op::Val},
      {"map", Op::Map}, {"some", Op::Some}, {"all", Op::All}, {"every", Op::All},
      {"none", Op::None}, {"merge", Op::Merge}, {"filter", Op::Filter}, {"reduce", Op::Reduce},
      {"!", Op::Not}, {"not", Op::Not}, {"!!", Op::NotNot}, {"cat", Op::Cat}, {"keys", Op::Keys},
      {"pipe", Op::Pipe}, {"eachKey", Op::EachKey}, {"get", Op::Get}, {"var", Op::Var},
      {"missing", Op::Missing}, {"missing_some", Op::MissingSome},
  };
  return t;
}

bool find_op(const std::string& name, Op* op) {
  const auto& t = op_table();
  auto it = t.find(name);
  if (it == t.end()) return false;
  *op = it->second;
  return true;
}

bool is_comparator(Op op) { return op >= Op::Lt && op <= Op::SNe; }

// Methods json-logic-engine declares `lazy` (they receive their raw arguments).
bool is_lazy(Op op) {
  switch (op) {
    case Op::Preserve: case Op::If: case Op::Or: case Op::And: case Op::Coalesce: case Op::Try:
    case Op::Length: case Op::Map: case Op::Some: case Op::All: case Op::None: case Op::Filter:
    case Op::Reduce: case Op::Pipe: case Op::EachKey:
      return true;
    default:
      return is_comparator(op);
  }
}

// Methods with `optimizeUnary` (a single non-array argument is passed as is, not wrapped).
bool is_unary(Op op) {
  switch (op) {
    case Op::Plus: case Op::Minus: case Op::Not: case Op::NotNot: case Op::Cat: case Op::Throw:
    case Op::Val: case Op::Var:
      return true;
    default:
      return false;
  }
}

// JS relational/equality operators on raw values (only used for string/null pairs, or
// strict ones on anything).
bool raw_compare(Op op, const json& a, const json& b) {
  switch (op) {
    case Op::SEq: return strict_eq(a, b);
    case Op::SNe: return !strict_eq(a, b);
    case Op::Eq:
    case Op::Ne: {
      bool eq;
      if (a.is_null() || b.is_null()) eq = a.is_null() && b.is_null();
      else eq = a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
      return op == Op::Eq ? eq : !eq;
    }
    default: break;
  }
  if (a.is_string() && b.is_string()) {
    int c = compare_utf16(a.get_ref<const std::string&>(), b.get_ref<const std::string&>());
    switch (op) {
      case Op::Lt: return c < 0;
      case Op::Le: return c <= 0;
      case Op::Gt: return c > 0;
      default: return c >= 0;
    }
  }
  double x = js_to_number(a), y = js_to_number(b);
  switch (op) {
    case Op::Lt: return x < y;
    case Op::Le: return x <= y;
    case Op::Gt: return x > y;
    default: return x >= y;
  }
}

bool num_compare(Op op, double x, double y) {
  switch (op) {
    case Op::Lt: return x < y;
    case Op::Le: return x <= y;
    case Op::Gt: return x > y;
    case Op::Ge: return x >= y;
    case Op::Eq: case Op::SEq: return x == y;
    default: return x != y;
  }
}

// +precoerceNumber(x)
double precoerce_number(const json& x) {
  if (x.is_number_float() && std::isnan(x.get<double>())) throw_nan();
  if (!js_truthy(x)) return js_to_number(x);
  if (structured(x)) throw_nan();
  return js_to_number(x);
}

// The optimizer's comparisonFunc (2- and 3-argument comparisons).
bool idiom_compare(Op op, const json& a, const json& b) {
  if (op == Op::SEq || op == Op::SNe) return raw_compare(op, a, b);
  if (str_or_null(a) && str_or_null(b)) return raw_compare(op, a, b);
  double x = precoerce_number(a);
  if (std::isnan(x)) throw_nan();
  double y = precoerce_number(b);
  if (std::isnan(y) && !a.is_null()) throw_nan();
  return num_compare(op, x, y);
}

// ---------------------------------------------------------------------------------------
// Scopes ("above"): json-logic-engine passes an array [x, context, previousAbove] down into
// iterators / try fallbacks / pipe; `var` with "../" and `val` with [[n], ...] climb it.
// ---------------------------------------------------------------------------------------
struct Frame {
  enum Kind : uint8_t { Iter, Sel, Null, Raw } kind;  // what slot 0 holds
  const json* sel;     // Iter: the iterated array ({iterator, index} object); Sel/Raw: slot 0 itself
  size_t index;        // Iter
  const json* ctx;     // slot 1: the enclosing context
  const Frame* parent; // slot 2: the enclosing above (nullptr = the top-level [])
};

struct Ctx {
  const json* data;
  const Frame* above;
};

// The context a lazily run operand sees (see undefined_json()).
Ctx lazy_ctx(const Ctx& c) { return c.data == &undefined_json() ? Ctx{&empty_object_json(), c.above} : c; }

// A value reached while climbing: a json, the synthesized {iterator, index} object, an
// above-array (frame), or undefined.
struct AV {
  enum T : uint8_t { Undef, Json, IterObj, FrameArr } t = Undef;
  const json* j = nullptr;
  const Frame* f = nullptr;
};

size_t frame_len(const Frame* f) { return f ? 3 : 0; }

AV frame_at(const Frame* f, size_t k) {
  AV r;
  if (!f) return r;
  if (k == 0) {
    if (f->kind == Frame::Iter) {
      r.t = AV::IterObj;
      r.f = f;
    } else if (f->kind == Frame::Null) {
      r.t = AV::Json;
      r.j = &null_json();
    } else {
      r.t = AV::Json;
      r.j = f->sel;
    }
  } else if (k == 1) {
    r.t = AV::Json;
    r.j = f->ctx;
  } else if (k == 2) {
    r.t = AV::FrameArr;
    r.f = f->parent;
  }
  return r;
}

json materialize_frame(const Frame* f, int depth = 0) {
  if (!f) return json::array();
  if (depth > kMaxDepth) return json::array();
  json a = json::array();
  if (f->kind == Frame::Iter) a.push_back(json{{"iterator", *f->sel}, {"index", f->index}});
  else if (f->kind == Frame::Null) a.push_back(nullptr);
  else a.push_back(*f->sel);
  a.push_back(*f->ctx);
  a.push_back(materialize_frame(f->parent, depth + 1));
  return a;
}

Val av_value(const AV& v) {
  switch (v.t) {
    case AV::Json: return Val::ref(v.j);
    case AV::IterObj: return Val(json{{"iterator", *v.f->sel}, {"index", v.f->index}});
    case AV::FrameArr: return Val(materialize_frame(v.f));
    default: return Val();
  }
}

// ---------------------------------------------------------------------------------------
// Compiled program
// ---------------------------------------------------------------------------------------
struct ErrBox {
  json type;
  std::string msg;
  bool falsy;
};

[[noreturn]] void rethrow_box(const ErrBox& e) {
  if (e.falsy) throw FalsyThrow(e.type, e.msg);
  throw EvalError(e.type, e.msg);
}

struct Node {
  enum Kind : uint8_t { Const, Deferred, Array, Var1, VarData, VarPath, Call, Lazy, IfIdiom, Cmp2, Cmp3 };
  enum Form : uint8_t { ArrayForm, UnaryForm, CoerceForm };
  Kind kind = Const;
  Op op = Op::Plus;
  Form form = ArrayForm;
  bool has_default = false;
  const json* cval = nullptr;        // Const: value; Lazy: raw arguments
  std::vector<uint32_t> kids;
  std::vector<std::string> keys;     // Var1 key / VarPath segments / eachKey keys
  std::shared_ptr<const ErrBox> err; // Deferred
};

// Argument view handed to non-lazy methods: `arr` says whether the method received an
// array (JS `Array.isArray(data)`); v/n are its elements (or the single value).
struct Args {
  bool arr;
  const json* const* v;
  size_t n;
  const json* at(size_t i) const { return i < n ? v[i] : nullptr; }  // nullptr = undefined
};

}  // namespace

struct Program::Impl {
  json owned_logic;             // when constructed through the public Program API
  std::vector<Node> nodes;
  std::deque<json> store;       // owned constants / rewritten logic (stable addresses)
  uint32_t root = 0;
  // The filter idiom compiles the predicate eagerly; when it is not constant the generic
  // filter reuses that node instead of compiling it again (nested filters would otherwise
  // cost 2^depth).
  const json* filter_mapper_logic = nullptr;
  uint32_t filter_mapper_node = 0;

  // --- compile ---
  uint32_t add(Node&& n) {
    nodes.push_back(std::move(n));
    return static_cast<uint32_t>(nodes.size() - 1);
  }
  uint32_t mk_const(const json* p) {
    Node n;
    n.kind = Node::Const;
    n.cval = p;
    return add(std::move(n));
  }
  uint32_t mk_const_owned(json&& j) {
    store.push_back(std::move(j));
    return mk_const(&store.back());
  }
  uint32_t mk_deferred(const EvalError& e, bool falsy) {
    Node n;
    n.kind = Node::Deferred;
    n.err = std::make_shared<ErrBox>(ErrBox{e.type, e.what(), falsy});
    return add(std::move(n));
  }
  bool is_const(uint32_t id) const { return nodes[id].kind == Node::Const; }
  const json& cval(uint32_t id) const { return *nodes[id].cval; }

  uint32_t compile(const json& l);
  uint32_t compile_lazy(const json& l);
  bool idioms(Op op, const json& args, uint32_t* out);
  uint32_t get_method(Op op, const json& args);
  // isDeterministic, memoized per (object, flags): the engine's own check visits a try's
  // first operand twice, which is exponential for nested trys.
  std::unordered_map<const json*, uint8_t> det_memo;
  bool is_det(const json& l, bool in_iter, bool in_try);
  bool is_det_uncached(const json& l, bool in_iter, bool in_try);

  // --- evaluate ---
  Val eval(uint32_t id, const Ctx& c) const;
  Val eval_call(const Node& n, const Ctx& c) const;
  Val eval_lazy(const Node& n, const Ctx& c) const;
  Val call(Op op, const Args& a, const Ctx& c) const;
};

namespace {

// ---------------------------------------------------------------------------------------
// Structural validation: unknown operators, multi-key objects, nesting depth.
// ---------------------------------------------------------------------------------------
struct PathSeg {
  const PathSeg* parent;
  const std::string* key;  // object key, or nullptr for an array index
  size_t idx;
};

std::string pointer_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string render_path(const PathSeg* p) {
  std::vector<std::string> parts;
  for (; p; p = p->parent) parts.push_back(p->key ? pointer_escape(*p->key) : std::to_string(p->idx));
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) out += "/" + *it;
  return out;
}

void check_structure(const json& l, const PathSeg* path, int depth) {
  if (!l.is_structured()) return;
  if (depth >= kMaxDepth)
    throw LogicError("logic nested deeper than " + std::to_string(kMaxDepth) + " levels at " + render_path(path), "",
                     render_path(path));
  if (l.is_array()) {
    size_t i = 0;
    for (const auto& e : l) {
      PathSeg s{path, nullptr, i++};
      check_structure(e, &s, depth + 1);
    }
    return;
  }
  if (l.empty()) return;
  auto it = l.begin();
  if (l.size() > 1)
    throw LogicError("object with " + std::to_string(l.size()) + " keys at " + (path ? render_path(path) : "/") +
                         " is not an operation (an operation has exactly one key; json-logic-engine: Unknown Operator)",
                     it.key(), render_path(path));
  Op op;
  if (!find_op(it.key(), &op))
    throw LogicError("unknown operator \"" + it.key() + "\" at " + (path ? render_path(path) : "/"), it.key(),
                     render_path(path));
  if (op == Op::Preserve) return;
  PathSeg s{path, &it.key(), 0};
  if (op == Op::EachKey && it.value().is_object()) {  // {"eachKey": {key: logic, ...}}
    for (auto kv = it.value().begin(); kv != it.value().end(); ++kv) {
      PathSeg s2{&s, &kv.key(), 0};
      check_structure(kv.value(), &s2, depth + 2);
    }
    return;
  }
  check_structure(it.value(), &s, depth + 1);
}

// Arity / shape problems that make an operation throw whatever the data.
void check_arity(const json& l, const PathSeg* path) {
  if (!l.is_structured()) return;
  if (l.is_array()) {
    size_t i = 0;
    for (const auto& e : l) {
      PathSeg s{path, nullptr, i++};
      check_arity(e, &s);
    }
    return;
  }
  if (l.empty()) return;
  auto it = l.begin();
  Op op;
  if (!find_op(it.key(), &op) || op == Op::Preserve) return;
  const json& a = it.value();
  const std::string& name = it.key();
  // `op` stays empty: it is reserved for operator names that are not known (callers such as
  // rules.cpp report those as unknown_operator); the message names the operator.
  auto fail = [&](const std::string& why) {
    throw LogicError("\"" + name + "\" at " + (path ? render_path(path) : "/") + ": " + why, "", render_path(path));
  };
  if (is_comparator(op) && !(a.is_array() && a.size() >= 2)) fail("needs an array of at least 2 arguments");
  switch (op) {
    case Op::And: case Op::Or: case Op::Coalesce: case Op::If: case Op::Map: case Op::Filter:
    case Op::Some: case Op::All: case Op::None: case Op::Pipe:
      if (!a.is_array()) fail("needs an array of arguments");
      break;
    case Op::Reduce:
      if (!a.is_array() || a.size() < 2) fail("needs [array, logic, initial?]");
      break;
    case Op::Minus: case Op::Div: case Op::Max: case Op::Min:
      if (a.is_array() && a.empty()) fail("needs at least 1 argument");
      break;
    case Op::Mod:
      if (!a.is_structured() || (a.is_array() && a.size() < 2)) fail("needs 2 arguments");
      break;
    case Op::MissingSome:
      if (!a.is_array() || a.size() < 2) fail("needs [count, [keys]]");
      break;
    case Op::Length:
      if (!js_truthy(a)) fail("needs an argument");
      break;
    case Op::EachKey:
      if (!a.is_structured()) fail("needs an object");
      break;
    default: break;
  }
  PathSeg s{path, &it.key(), 0};
  if (op == Op::EachKey && a.is_object()) {
    for (auto kv = a.begin(); kv != a.end(); ++kv) {
      PathSeg s2{&s, &kv.key(), 0};
      check_arity(kv.value(), &s2);
    }
    return;
  }
  check_arity(a, &s);
}

}  // namespace

// ---------------------------------------------------------------------------------------
// isDeterministic (compiler.js + each method's `deterministic`)
// ---------------------------------------------------------------------------------------
bool Program::Impl::is_det(const json& l, bool in_iter, bool in_try) {
  if (!l.is_object() || l.empty()) return is_det_uncached(l, in_iter, in_try);
  const int slot = (in_iter ? 1 : 0) + (in_try ? 2 : 0);
  const uint8_t known = static_cast<uint8_t>(1u << (2 * slot)), value = static_cast<uint8_t>(2u << (2 * slot));
  auto it = det_memo.find(&l);
  if (it != det_memo.end() && (it->second & known)) return (it->second & value) != 0;
  const bool r = is_det_uncached(l, in_iter, in_try);  // may throw: then nothing is recorded
  uint8_t& bits = det_memo[&l];
  bits = static_cast<uint8_t>(bits | known | (r ? value : 0));
  return r;
}

bool Program::Impl::is_det_uncached(const json& l, bool in_iter, bool in_try) {
  if (l.is_array()) {
    for (const auto& e : l)
      if (!is_det(e, in_iter, in_try)) return false;
    return true;
  }
  if (!l.is_object() || l.empty()) return true;
  auto it = l.begin();
  Op op;
  if (!find_op(it.key(), &op)) return true;  // unreachable: validated
  const json& lower = it.value();
  auto first = [&](const json& d) -> const json* {  // d[0] in JS, nullptr = undefined
    if (d.is_null()) throw_type_error("Cannot read properties of null (reading '0')");
    if (d.is_array()) return d.empty() ? nullptr : &d[0];
    return nullptr;  // strings give a character (a primitive), others undefined: both "deterministic"
  };
  switch (op) {
    case Op::Preserve: return true;
    case Op::If: case Op::Or: case Op::And: case Op::Coalesce: case Op::Length:
    case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: case Op::Eq: case Op::SEq: case Op::Ne: case Op::SNe:
      return is_det(lower, in_iter, in_try);
    case Op::Try: {
      const json* f = first(lower);
      return (!f || is_det(*f, in_iter, true)) && is_det(lower, true, true);
    }
    case Op::Map: case Op::Filter: case Op::Some: case Op::All: case Op::None: case Op::Reduce: {
      const json* f = first(lower);
      if (f && !is_det(*f, in_iter, in_try)) return false;
      if (lower.is_array() && lower.size() > 1) return is_det(lower[1], true, in_try);
      return true;
    }
    case Op::Pipe: {
      if (!lower.is_array()) return false;
      if (lower.empty()) return true;
      if (!is_det(lower[0], in_iter, in_try)) return false;
      for (size_t i = 1; i < lower.size(); ++i)
        if (!is_det(lower[i], true, in_try)) return false;
      return true;
    }
    case Op::EachKey: {
      if (!lower.is_structured()) throw_invalid();
      for (const auto& v : lower)
        if (!is_det(v, in_iter, in_try)) return false;
      return true;
    }
    case Op::Throw: return in_try && is_det(lower, in_iter, in_try);
    case Op::Val:
      if (!in_iter) return false;
      if (lower.is_array() && !lower.empty() && lower[0].is_array()) {
        double c = lower[0].empty() ? std::numeric_limits<double>::quiet_NaN() : js_to_number(lower[0][0]);
        if (std::fabs(c) >= 2) return false;
      }
      return true;
    case Op::Var:
      return in_iter && js_to_string(lower).find("../../") == std::string::npos;
    case Op::Exists: case Op::MissingSome: return false;
    case Op::Missing: return lower.is_array() && lower.empty();
    default: return is_det(lower, in_iter, in_try);
  }
}

// ---------------------------------------------------------------------------------------
// optimize() mirror
// ---------------------------------------------------------------------------------------
uint32_t Program::Impl::compile_lazy(const json& l) {
  // runOptimizedOrFallback: primitives are returned as they are; structures are run (and
  // optimized) when first reached, so optimization errors surface only then.
  if (!l.is_structured()) return mk_const(&l);
  try {
    return compile(l);
  } catch (const FalsyThrow& e) {
    return mk_deferred(e, true);
  } catch (const EvalError& e) {
    return mk_deferred(e, false);
  }
}

uint32_t Program::Impl::compile(const json& l) {
  if (l.is_array()) {
    std::vector<uint32_t> kids;
    kids.reserve(l.size());
    bool all_const = true, all_literal = true;
    for (const auto& e : l) {
      uint32_t k = compile(e);
      kids.push_back(k);
      if (!is_const(k)) all_const = false;
      else if (nodes[k].cval != &e) all_literal = false;
    }
    if (all_const) {
      if (all_literal) return mk_const(&l);
      json a = json::array();
      for (uint32_t k : kids) a.push_back(cval(k));
      return mk_const_owned(std::move(a));
    }
    Node n;
    n.kind = Node::Array;
    n.kids = std::move(kids);
    return add(std::move(n));
  }
  if (!l.is_object() || l.empty()) return mk_const(&l);
  auto it = l.begin();
  Op op;
  if (!find_op(it.key(), &op)) throw LogicError("unknown operator \"" + it.key() + "\"", it.key(), "");
  const json& args = it.value();
  uint32_t out;
  if (idioms(op, args, &out)) return out;
  const bool det = is_det(l, false, false);
  uint32_t id = get_method(op, args);
  if (det) {
    Val v = eval(id, Ctx{&undefined_json(), nullptr});
    if (v.borrowed()) return mk_const(&v.get());
    return mk_const_owned(std::move(v).take());
  }
  return id;
}

// optimizer.js checkIdioms
bool Program::Impl::idioms(Op op, const json& args, uint32_t* out) {
  switch (op) {
    case Op::Val: {
      if (!args.is_array() || args.empty() || args.size() > 3) return false;
      for (const auto& e : args)
        if (e.is_null() || e.is_structured()) return false;
      // (prev = data && data[a] && data[a][b]) — falsy links are returned as they are
      Node n;
      n.kind = Node::VarPath;
      for (const auto& e : args) n.keys.push_back(js_to_string(e));
      *out = add(std::move(n));
      return true;
    }
    case Op::If: {
      if (!args.is_array() || args.size() != 3) return false;
      uint32_t c = compile(args[0]);
      uint32_t t = compile(args[1]);
      uint32_t f = compile(args[2]);
      if (is_const(c)) {
        *out = engine_truthy(cval(c)) ? t : f;
        return true;
      }
      Node n;
      n.kind = Node::IfIdiom;
      n.kids = {c, t, f};
      *out = add(std::move(n));
      return true;
    }
    case Op::Filter: {
      if (!args.is_array() || args.size() != 2) return false;
      uint32_t f = compile(args[1]);
      if (!is_const(f)) {
        filter_mapper_logic = &args[1];
        filter_mapper_node = f;
        return false;
      }
      // a constant predicate: the collection itself (no copy, no array check) or []
      *out = engine_truthy(cval(f)) ? compile(args[0]) : mk_const_owned(json::array());
      return true;
    }
    case Op::Reduce: {
      if (!args.is_array()) return false;
      if (args.size() < 2) throw_type_error("Cannot read properties of undefined (reading '+')");
      const json& mapper = args[1];
      if (mapper.is_null()) throw_type_error("Cannot read properties of null (reading '+')");
      auto var_is = [](const json& e, const char* name) {
        if (!e.is_object()) return false;
        auto v = e.find("var");
        return v != e.end() && v->is_string() && *v == name;
      };
      auto has_var = [](const json& e) {
        if (!e.is_object()) return false;
        auto v = e.find("var");
        return v != e.end() && js_truthy(*v);
      };
      for (const char* opname : {"+", "*"}) {
        if (!mapper.is_object()) break;
        auto m = mapper.find(opname);
        if (m == mapper.end() || !m->is_array() || m->size() != 2) continue;
        const json& a0 = (*m)[0];
        const json& a1 = (*m)[1];
        if (!has_var(a0) || !has_var(a1)) continue;
        bool acc = var_is(a0, "accumulator") || var_is(a1, "accumulator");
        bool cur = var_is(a0, "current") || var_is(a1, "current");
        if (!(acc && cur)) continue;
        json def;
        if (opname[0] == '+') def = args.size() >= 3 && js_truthy(args[2]) ? args[2] : json(0);
        else def = args.size() >= 3 ? args[2] : json(1);
        json rewritten = {{opname, json::array({json{{opname, args[0]}}, def})}};
        store.push_back(std::move(rewritten));
        *out = compile(store.back());
        return true;
      }
      return false;
    }
    default:
      break;
  }
  if (is_comparator(op) && args.is_array() && (args.size() == 2 || args.size() == 3)) {
    std::vector<uint32_t> k;
    for (const auto& e : args) k.push_back(compile(e));
    bool all_const = std::all_of(k.begin(), k.end(), [&](uint32_t id) { return is_const(id); });
    if (all_const) {
      bool r = idiom_compare(op, cval(k[0]), cval(k[1]));
      if (k.size() == 3) r = r && idiom_compare(op, cval(k[1]), cval(k[2]));
      *out = mk_const_owned(json(r));
      return true;
    }
    Node n;
    n.kind = k.size() == 2 ? Node::Cmp2 : Node::Cmp3;
    n.op = op;
    n.kids = std::move(k);
    *out = add(std::move(n));
    return true;
  }
  return false;
}

// optimizer.js getMethod
uint32_t Program::Impl::get_method(Op op, const json& args) {
  Node n;
  n.op = op;
  if (is_lazy(op)) {
    n.kind = Node::Lazy;
    n.cval = &args;
    std::vector<uint32_t> kids;
    switch (op) {
      case Op::Preserve: break;
      case Op::Length:
        if (js_truthy(args)) kids.push_back(compile_lazy(args));
        break;
      case Op::Map: case Op::Filter: case Op::Some: case Op::All: case Op::None:
        if (args.is_array()) {
          kids.push_back(args.size() > 0 ? compile_lazy(args[0]) : mk_const(&null_json()));
          if (args.size() > 1 && filter_mapper_logic == &args[1]) {
            kids.push_back(filter_mapper_node);
          } else {
            kids.push_back(args.size() > 1 ? compile_lazy(args[1]) : mk_const(&null_json()));
          }
          filter_mapper_logic = nullptr;
        }
        break;
      case Op::Reduce:
        if (args.is_array()) {
          kids.push_back(args.size() > 0 ? compile_lazy(args[0]) : mk_const(&null_json()));
          kids.push_back(args.size() > 1 ? compile_lazy(args[1]) : mk_const(&null_json()));
          kids.push_back(args.size() > 2 ? compile_lazy(args[2]) : mk_const(&null_json()));
          n.has_default = args.size() > 2;
        }
        break;
      case Op::Try:
        if (args.is_array()) {
          for (const auto& e : args) kids.push_back(compile_lazy(e));
        } else {
          kids.push_back(compile_lazy(args));
        }
        break;
      case Op::EachKey:
        if (args.is_object()) {
          for (auto it = args.begin(); it != args.end(); ++it) {
            n.keys.push_back(it.key());
            kids.push_back(compile_lazy(it.value()));
          }
        } else if (args.is_array()) {
          for (size_t i = 0; i < args.size(); ++i) {
            n.keys.push_back(std::to_string(i));
            kids.push_back(compile_lazy(args[i]));
          }
        }
        break;
      default:  // if, and, or, ??, comparators, pipe
        if (args.is_array())
          for (const auto& e : args) kids.push_back(compile_lazy(e));
        break;
    }
    n.kids = std::move(kids);
    return add(std::move(n));
  }

  n.kind = Node::Call;
  const bool unary = is_unary(op);
  if (!args.is_structured() && !unary) {
    // (!args || typeof args !== 'object') && !optimizeUnary -> [args]
    n.form = Node::ArrayForm;
    n.kids.push_back(compile(args));
    return add(std::move(n));
  }
  const json* a = &args;
  if (args.is_array() && args.size() == 1 && unary && !args[0].is_array()) a = &args[0];
  if (a->is_array()) {
    n.form = Node::ArrayForm;
    for (const auto& e : *a) n.kids.push_back(compile(e));
    return add(std::move(n));
  }
  uint32_t k = compile(*a);
  if (!unary) {
    n.form = Node::CoerceForm;
    n.kids.push_back(k);
    return add(std::move(n));
  }
  n.form = Node::UnaryForm;
  n.kids.push_back(k);
  if ((op == Op::Var || op == Op::Val) && is_const(k)) {
    const json& key = cval(k);
    if (op == Op::Var && !js_truthy(key)) {
      Node d;
      d.kind = Node::VarData;
      return add(std::move(d));
    }
    auto single = [&](std::string keystr) {
      Node d;
      d.kind = Node::Var1;
      d.keys.push_back(std::move(keystr));
      return add(std::move(d));
    };
    if (op == Op::Val || key.is_number()) return single(js_to_string(key));
    // optimizedArgs.includes('.') / .includes('\\') / .startsWith('../')
    if (key.is_string()) {
      const std::string& s = key.get_ref<const std::string&>();
      if (s.find('.') == std::string::npos && s.find('\\') == std::string::npos) return single(s);
      if (s.compare(0, 3, "../") != 0) {
        auto path = split_path(s);
        if (path.size() == 2 || path.size() == 3) {
          Node d;
          d.kind = Node::VarPath;
          d.keys = std::move(path);
          return add(std::move(d));
        }
      }
      return add(std::move(n));
    }
    if (key.is_array()) {
      bool has = false;
      for (const auto& e : key)
        if (e.is_string() && (e == "." || e == "\\")) has = true;
      if (!has) return single(js_to_string(key));
      throw_type_error("optimizedArgs.startsWith is not a function");
    }
    throw_type_error("optimizedArgs.includes is not a function");
  }
  return add(std::move(n));
}

// ---------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------
namespace {

// data && data[k1] && data[k1][k2] ... (falsy links returned as they are; undefined and
// functions become null)
Val fast_path(const json* data, const std::vector<std::string>& keys) {
  Val cur = Val::ref(data);
  for (const auto& k : keys) {
    if (!js_truthy(cur.get())) return cur;
    Got g = js_get(cur.get(), k, !cur.borrowed());
    if (g.k != GK::Value) return Val();
    Val next = std::move(g.v);
    cur = std::move(next);
  }
  return cur;
}

// legacy.js var.method (the general form: defaults, "../" climbing, computed keys).
Val var_method(const Args& a, const Ctx& c) {
  const json* key = a.arr ? a.at(0) : a.v[0];
  const json* def = a.arr ? a.at(1) : nullptr;
  AV ctx;
  ctx.t = AV::Json;
  ctx.j = c.data;
  const Frame* above = c.above;
  std::string stripped;
  const bool key_is_string = key && key->is_string();
  if (key_is_string) {
    std::string_view k = key->get_ref<const std::string&>();
    size_t iter = 0;
    while (k.substr(0, 3) == "../" && iter < frame_len(above)) {
      ctx = frame_at(above, iter++);
      k.remove_prefix(3);
      if (iter == frame_len(above) && ctx.t == AV::FrameArr) {
        above = ctx.f;
        iter = 0;
        ctx = frame_at(above, iter++);
      }
    }
    stripped = std::string(k);
  }
  auto not_found = [&]() { return def ? Val(json(*def)) : Val(); };
  if (!key || key->is_null() || (key_is_string && stripped.empty())) return av_value(ctx);
  std::vector<std::string> parts = split_path(key_is_string ? stripped : js_to_string(*key));
  Val cur = av_value(ctx);
  bool undef = ctx.t == AV::Undef;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (undef || cur.get().is_null()) return not_found();
    Got g = js_get(cur.get(), parts[i], !cur.borrowed());
    if (g.k == GK::Undef) return not_found();
    if (g.k == GK::Func) return i + 1 == parts.size() ? Val() : not_found();
    Val next = std::move(g.v);
    cur = std::move(next);
  }
  return cur;
}

// defaultMethods.js val.method; returns false in *found when `unfound` is requested and
// the path is absent (exists).
Val val_method(const Args& a, const Ctx& c, bool unfound, bool* found) {
  *found = true;
  const json* single = nullptr;
  if (!a.arr) single = a.v[0];
  else if (a.n == 1 && !a.v[0]->is_array()) single = a.v[0];
  if (single) {
    std::string key = js_to_string(*single);
    const json& data = *c.data;
    if (unfound && (!js_truthy(data) || !js_has(data, key))) {
      *found = false;
      return Val();
    }
    if (data.is_null()) return Val();
    Got g = js_get(data, key, false);
    if (g.k != GK::Value) return Val();  // undefined -> null; a function is returned in JS (null here)
    return std::move(g.v);
  }
  AV result;
  result.t = AV::Json;
  result.j = c.data;
  size_t start = 0;
  const Frame* above = c.above;
  if (a.n > 0 && a.v[0]->is_array() && a.v[0]->size() == 1) {
    start = 1;
    double climb = std::fabs(js_to_number((*a.v[0])[0]));
    size_t pos = 0;
    // beyond a few levels everything is undefined; JS would loop forever on Infinity
    for (long i = 0; i < climb && i < 64; ++i) {
      result = frame_at(above, pos++);
      if (i == static_cast<long>(frame_len(above)) - 1 && result.t == AV::FrameArr) {
        above = result.f;
        result = frame_at(above, 0);
        pos = 1;
      }
    }
  }
  Val cur = av_value(result);
  bool undef = result.t == AV::Undef;
  bool func = false;
  for (size_t i = start; i < a.n; ++i) {
    std::string key = js_to_string(*a.v[i]);
    if (unfound && (undef || func || !js_truthy(cur.get()) || !js_has(cur.get(), key))) {
      *found = false;
      return Val();
    }
    if (undef || func || cur.get().is_null()) return Val();
    Got g = js_get(cur.get(), key, !cur.borrowed());
    if (g.k == GK::Undef) {
      undef = true;
      cur = Val();
    } else if (g.k == GK::Func) {
      func = true;
      cur = Val();
    } else {
      Val next = std::move(g.v);
      cur = std::move(next);
    }
  }
  if (undef || func) {
    if (unfound) *found = false;
    return Val();
  }
  return cur;
}

json missing_impl(const json* const* items, size_t n, const json& context) {
  json out = json::array();
  for (size_t i = 0; i < n; ++i) {
    auto path = split_path(js_to_string(*items[i]));
    Val data = Val::ref(&context);
    bool found = true;
    bool func = false;
    for (const auto& seg : path) {
      if (!func && !js_truthy(data.get())) {
        found = false;
        break;
      }
      if (func) {  // a function's properties: treat as absent
        found = false;
        break;
      }
      Got g = js_get(data.get(), seg, !data.borrowed());
      if (g.k == GK::Undef) {
        found = false;
        break;
      }
      if (g.k == GK::Func) {
        func = true;
        continue;
      }
      Val next = std::move(g.v);
      data = std::move(next);
    }
    if (!found) out.push_back(*items[i]);
  }
  return out;
}

// String.prototype.substr
std::string js_substr(const std::string& s, double start, const json* length) {
  auto u = to_utf16(s);
  double size = static_cast<double>(u.size());
  auto to_int = [](double d) -> double {
    if (std::isnan(d)) return 0;
    if (std::isinf(d)) return d;
    return std::trunc(d);
  };
  double is = to_int(start);
  if (is == -HUGE_VAL) is = 0;
  else if (is < 0) is = std::max(size + is, 0.0);
  else is = std::min(is, size);
  double il = length ? to_int(js_to_number(*length)) : size;
  il = std::min(std::max(il, 0.0), size);
  double ie = std::min(is + il, size);
  if (is >= ie) return "";
  return from_utf16(u.data() + static_cast<size_t>(is), static_cast<size_t>(ie - is));
}

Val op_substr(const Args& a) {
  const json* s = a.at(0);
  if (!s) throw_type_error("Cannot read properties of undefined (reading 'substr')");
  if (s->is_null()) throw_type_error("Cannot read properties of null (reading 'substr')");
  if (!s->is_string()) throw_type_error("string.substr is not a function");
  const std::string& str = s->get_ref<const std::string&>();
  const json* from = a.at(1);
  const json* end = a.at(2);
  double from_n = from ? js_to_number(*from) : std::numeric_limits<double>::quiet_NaN();
  if (end && js_to_number(*end) < 0) {
    std::string result = js_substr(str, from_n, nullptr);
    double len = static_cast<double>(utf16_length(result));
    json l2;
    if (end->is_number()) l2 = json(len + to_double(*end));
    else l2 = json(js_number_to_string(len) + js_to_string(*end));  // number + string concatenates
    return Val(json(js_substr(result, 0, &l2)));
  }
  return Val(json(js_substr(str, from_n, end)));
}

// Thrown JS values -> EvalError. `type` holds what `try` exposes as {"var": "type"}:
// e.type || e.error || e.message || e.constructor.name.
[[noreturn]] void throw_value(const json* t) {
  if (t && (t->is_null() || t->is_structured())) {
    if (t->is_null()) throw FalsyThrow(json(), "thrown: null");
    for (const char* k : {"type", "error", "message"}) {
      Got g = js_get(*t, k, true);
      if (g.k == GK::Value && js_truthy(g.v.get())) throw EvalError(std::move(g.v).take(), "thrown: " + t->dump());
    }
    throw EvalError(json(t->is_array() ? "Array" : "Object"), "thrown: " + t->dump());
  }
  // throw { type: t }
  if (t && js_truthy(*t)) throw EvalError(*t, "thrown: " + t->dump());
  throw EvalError(json("Object"), "thrown: " + (t ? t->dump() : std::string("undefined")));
}

}  // namespace

Val Program::Impl::call(Op op, const Args& a, const Ctx& c) const {
  switch (op) {
    case Op::Plus: {
      if (!a.arr) {
        const json& x = *a.v[0];
        if (!js_truthy(x)) return Val(json(0));
        if (x.is_object()) throw_nan();
        double d = js_to_number(x);
        if (std::isnan(d)) throw_nan();
        return Val(num(d));
      }
      double res = 0;
      for (size_t i = 0; i < a.n; ++i) {
        if (structured(*a.v[i])) throw_nan();
        res += js_to_number(*a.v[i]);
      }
      if (std::isnan(res)) throw_nan();
      return Val(num(res));
    }
    case Op::Minus: {
      if (!a.arr) {
        const json& x = *a.v[0];
        if (!js_truthy(x)) return Val(json(0));
        if (x.is_object()) throw_nan();
        double d = -js_to_number(x);
        if (std::isnan(d)) throw_nan();
        return Val(num(d));
      }
      if (a.n > 0 && structured(*a.v[0])) throw_nan();
      if (a.n == 0) throw_invalid();
      if (a.n == 1) return Val(num(-js_to_number(*a.v[0])));  // no NaN check here in the engine
      double res = js_to_number(*a.v[0]);
      for (size_t i = 1; i < a.n; ++i) {
        if (structured(*a.v[i])) throw_nan();
        res -= js_to_number(*a.v[i]);
      }
      if (std::isnan(res)) throw_nan();
      return Val(num(res));
    }
    case Op::Mul: {
      if (a.n == 0) return Val(json(1));
      double res = 1;
      for (size_t i = 0; i < a.n; ++i) {
        if (structured(*a.v[i])) throw_nan();
        res *= js_to_number(*a.v[i]);
      }
      if (std::isnan(res)) throw_nan();
      return Val(num(res));
    }
    case Op::Div: {
      if (a.n > 0 && structured(*a.v[0])) throw_nan();
      if (a.n == 0) throw_invalid();
      if (a.n == 1) {
        double x = js_to_number(*a.v[0]);
        if (x == 0 || std::isnan(x)) throw_nan();
        return Val(num(1 / x));
      }
      double res = js_to_number(*a.v[0]);
      for (size_t i = 1; i < a.n; ++i) {
        if (structured(*a.v[i]) || !js_truthy(*a.v[i])) throw_nan();
        res /= js_to_number(*a.v[i]);
      }
      if (std::isnan(res) || res == HUGE_VAL) throw_nan();
      return Val(num(res));
    }
    case Op::Mod: {
      if (a.n > 0 && structured(*a.v[0])) throw_nan();
      if (a.n < 2) throw_invalid();
      double res = js_to_number(*a.v[0]);
      for (size_t i = 1; i < a.n; ++i) {
        if (structured(*a.v[i])) throw_nan();
        res = std::fmod(res, js_to_number(*a.v[i]));
      }
      if (std::isnan(res)) throw_nan();
      return Val(num(res));
    }
    case Op::Throw:
      throw_value(a.arr ? a.at(0) : a.v[0]);
    case Op::Max:
    case Op::Min: {
      if (a.n == 0 || !a.v[0]->is_number()) throw_invalid();
      size_t best = 0;
      double bv = to_double(*a.v[0]);
      for (size_t i = 1; i < a.n; ++i) {
        if (!a.v[i]->is_number()) throw_invalid();
        double d = to_double(*a.v[i]);
        if (op == Op::Max ? d > bv : d < bv) {
          bv = d;
          best = i;
        }
      }
      return Val(num(to_double(*a.v[best])));
    }
    case Op::In: {
      const json* item = a.at(0);
      const json* hay = a.at(1);
      if (!hay || !js_truthy(*hay)) return vbool(false);
      if (hay->is_string()) {
        std::string needle = item ? js_to_string(*item) : "undefined";
        return vbool(hay->get_ref<const std::string&>().find(needle) != std::string::npos);
      }
      if (hay->is_array()) {
        if (!item) return vbool(false);
        for (const auto& e : *hay)
          if (same_value_zero(*item, e)) return vbool(true);
        return vbool(false);
      }
      throw_type_error("(array || []).includes is not a function");
    }
    case Op::Substr: return op_substr(a);
    case Op::Exists: {
      bool found;
      val_method(a, c, true, &found);
      return vbool(found);
    }
    case Op::Val: {
      bool found;
      return val_method(a, c, false, &found);
    }
    case Op::Var: return var_method(a, c);
    case Op::Merge: {
      json out = json::array();
      for (size_t i = 0; i < a.n; ++i) {
        if (a.v[i]->is_array()) {
          for (const auto& e : *a.v[i]) out.push_back(e);
        } else {
          out.push_back(*a.v[i]);
        }
      }
      return Val(std::move(out));
    }
    case Op::Not:
    case Op::NotNot: {
      const json* v = a.arr ? a.at(0) : a.v[0];
      bool t = v && engine_truthy(*v);
      return vbool(op == Op::Not ? !t : t);
    }
    case Op::Cat: {
      if (!a.arr) {
        const json& x = *a.v[0];
        if (x.is_string()) return Val(json(x));
        if (x.is_null()) throw_type_error("Cannot read properties of null (reading 'toString')");
        return Val(json(js_to_string(x)));
      }
      std::string out;
      for (size_t i = 0; i < a.n; ++i)
        if (!a.v[i]->is_null()) out += js_to_string(*a.v[i]);
      return Val(json(std::move(out)));
    }
    case Op::Keys: {
      const json* o = a.at(0);
      if (!o) return Val(json::array());
      if (o->is_null()) throw_type_error("Cannot convert undefined or null to object");
      if (o->is_object()) return Val(js_object_keys(*o));
      if (o->is_array()) {
        json out = json::array();
        for (size_t i = 0; i < o->size(); ++i) out.push_back(std::to_string(i));
        return Val(std::move(out));
      }
      return Val(json::array());
    }
    case Op::Get: {
      const json* obj = a.at(0);
      const json* key = a.at(1);
      const json* def = a.at(2);
      std::string keystr = key ? js_to_string(*key) : "undefined";
      auto not_found = [&]() { return def ? Val(json(*def)) : Val(); };
      auto parts = split_path(keystr);
      if (!obj) return parts.empty() ? Val() : not_found();
      Val cur = Val(json(*obj));
      bool func = false;
      for (const auto& seg : parts) {
        if (func || cur.get().is_null()) return not_found();
        Got g = js_get(cur.get(), seg, true);
        if (g.k == GK::Undef) return not_found();
        if (g.k == GK::Func) {
          func = true;
          continue;
        }
        cur = std::move(g.v);
      }
      if (func) return Val();
      if (cur.get().is_null()) throw_type_error("Cannot read properties of null (reading '" + keystr + "')");
      if (js_get(cur.get(), keystr, true).k == GK::Func) return Val();
      return cur;
    }
    case Op::Missing: {
      if (a.n == 0) return Val(json::array());
      return Val(missing_impl(a.v, a.n, *c.data));
    }
    case Op::MissingSome: {
      const json* need = a.at(0);
      const json* opts = a.at(1);
      if (!opts) throw_type_error("Cannot read properties of undefined (reading 'length')");
      if (opts->is_null()) throw_type_error("Cannot read properties of null (reading 'length')");
      std::vector<const json*> items;
      std::vector<json> chars;
      double len = std::numeric_limits<double>::quiet_NaN();
      if (opts->is_array()) {
        for (const auto& e : *opts) items.push_back(&e);
        len = static_cast<double>(opts->size());
      } else if (opts->is_string()) {
        auto u = to_utf16(opts->get_ref<const std::string&>());
        chars.reserve(u.size());
        for (size_t i = 0; i < u.size(); ++i) chars.emplace_back(from_utf16(&u[i], 1));
        for (const auto& ch : chars) items.push_back(&ch);
        len = static_cast<double>(u.size());
      }
      json miss = items.empty() ? json::array() : missing_impl(items.data(), items.size(), *c.data);
      double needn = need ? js_to_number(*need) : std::numeric_limits<double>::quiet_NaN();
      if (len - static_cast<double>(miss.size()) >= needn) return Val(json::array());
      return Val(std::move(miss));
    }
    default:
      break;
  }
  throw_invalid();  // unreachable: lazy operators never get here
}

Val Program::Impl::eval_call(const Node& n, const Ctx& c) const {
  if (n.form == Node::ArrayForm) {
    const size_t k = n.kids.size();
    if (k <= 4) {
      Val vals[4];
      const json* ptrs[4];
      for (size_t i = 0; i < k; ++i) {
        vals[i] = eval(n.kids[i], c);
        ptrs[i] = &vals[i].get();
      }
      return call(n.op, Args{true, ptrs, k}, c);
    }
    std::vector<Val> vals;
    vals.reserve(k);
    std::vector<const json*> ptrs(k);
    for (size_t i = 0; i < k; ++i) {
      vals.push_back(eval(n.kids[i], c));
      ptrs[i] = &vals.back().get();
    }
    return call(n.op, Args{true, ptrs.data(), k}, c);
  }
  Val v = eval(n.kids[0], c);
  const json& j = v.get();
  if (j.is_array()) {
    std::vector<const json*> ptrs;
    ptrs.reserve(j.size());
    for (const auto& e : j) ptrs.push_back(&e);
    return call(n.op, Args{true, ptrs.data(), ptrs.size()}, c);
  }
  const json* p = &j;
  return call(n.op, Args{n.form == Node::CoerceForm, &p, 1}, c);
}

Val Program::Impl::eval(uint32_t id, const Ctx& c) const {
  const Node& n = nodes[id];
  switch (n.kind) {
    case Node::Const: return Val::ref(n.cval);
    case Node::Deferred: rethrow_box(*n.err);
    case Node::Array: {
      json out = json::array();
      for (uint32_t k : n.kids) out.push_back(eval(k, c).take());
      return Val(std::move(out));
    }
    case Node::Var1: {
      // !data || typeof data[key] === 'undefined' || function ? null : data[key]
      const json& d = *c.data;
      if (!js_truthy(d)) return Val();
      if (d.is_object()) {  // fast path for the common case
        auto it = d.find(n.keys[0]);
        if (it != d.end()) return Val::ref(&*it);
      }
      Got g = js_get(d, n.keys[0], false);
      if (g.k != GK::Value) return Val();
      return std::move(g.v);
    }
    case Node::VarData:
      if (c.data->is_null()) return Val();
      return Val::ref(c.data);
    case Node::VarPath: return fast_path(c.data, n.keys);
    case Node::Call: return eval_call(n, c);
    case Node::Lazy: return eval_lazy(n, c);
    case Node::IfIdiom: {
      Val cond = eval(n.kids[0], c);
      return eval(engine_truthy(cond.get()) ? n.kids[1] : n.kids[2], c);
    }
    case Node::Cmp2: {
      Val a = eval(n.kids[0], c);
      Val b = eval(n.kids[1], c);
      return vbool(idiom_compare(n.op, a.get(), b.get()));
    }
    case Node::Cmp3: {
      Val a = eval(n.kids[0], c);
      Val b = eval(n.kids[1], c);
      if (!idiom_compare(n.op, a.get(), b.get())) return vbool(false);
      Val cc = eval(n.kids[2], c);
      return vbool(idiom_compare(n.op, b.get(), cc.get()));
    }
  }
  throw_invalid();
}

namespace {
// Iteration over `selector[i]` for i < selector.length (some/all/none): arrays and strings.
template <class F>
void for_each_item(const json& sel, F&& f) {
  if (sel.is_array()) {
    for (const auto& e : sel)
      if (!f(e)) return;
  } else if (sel.is_string()) {
    auto u = to_utf16(sel.get_ref<const std::string&>());
    for (size_t i = 0; i < u.size(); ++i) {
      json ch(from_utf16(&u[i], 1));
      if (!f(ch)) return;
    }
  }
}
}  // namespace

Val Program::Impl::eval_lazy(const Node& n, const Ctx& outer) const {
  const json& raw = *n.cval;
  const Ctx c = lazy_ctx(outer);
  const auto& k = n.kids;
  switch (n.op) {
    case Op::Preserve: return Val::ref(&raw);
    case Op::If: {
      if (!raw.is_array()) throw_invalid();
      const size_t m = k.size();
      if (m == 1) return eval(k[0], c);
      if (m < 2) return Val();
      const bool odd = m % 2 == 1;
      const size_t pairs_end = odd ? m - 1 : m;
      for (size_t i = 0; i < pairs_end; i += 2) {
        Val t = eval(k[i], c);
        if (engine_truthy(t.get())) return eval(k[i + 1], c);
      }
      return odd ? eval(k[m - 1], c) : Val();
    }
    case Op::And:
    case Op::Or: {
      if (!raw.is_array()) throw_invalid();
      if (k.empty()) return Val();
      Val item;
      for (uint32_t id : k) {
        item = eval(id, c);
        bool t = engine_truthy(item.get());
        if (n.op == Op::And ? !t : t) return item;
      }
      return item;
    }
    case Op::Coalesce: {
      if (!raw.is_array()) throw_invalid();
      for (uint32_t id : k) {
        Val item = eval(id, c);
        if (!item.get().is_null()) return item;
      }
      return Val();
    }
    case Op::Try: {
      std::exception_ptr last;
      bool have = false, falsy = false;
      json last_type;
      for (uint32_t id : k) {
        try {
          if (have && !falsy) {
            json ectx = json::object();
            ectx["type"] = last_type;
            Frame f{Frame::Null, nullptr, 0, outer.data, c.above};
            return Val(eval(id, Ctx{&ectx, &f}).take());
          }
          return eval(id, c);
        } catch (const FalsyThrow& e) {
          last = std::current_exception();
          have = true;
          falsy = true;
          last_type = nullptr;
        } catch (const EvalError& e) {
          last = std::current_exception();
          have = true;
          falsy = false;
          last_type = e.type;
        }
      }
      if (!have) throw FalsyThrow(json(), "thrown: undefined");
      std::rethrow_exception(last);
    }
    case Op::Length: {
      if (!js_truthy(raw)) throw_invalid();
      Val parsed = eval(k[0], c);
      const json* i = &parsed.get();
      if (raw.is_array()) i = parsed.get().is_array() && !parsed.get().empty() ? &parsed.get()[0] : nullptr;
      if (i && i->is_string()) return Val(json(utf16_length(i->get_ref<const std::string&>())));
      if (i && i->is_array()) return Val(json(i->size()));
      if (i && i->is_object()) return Val(json(i->size()));
      throw_invalid();
    }
    case Op::Map:
    case Op::Filter: {
      if (!raw.is_array()) throw_invalid();
      Val sel = eval(k[0], c);
      if (!js_truthy(sel.get())) sel = Val(json::array());
      const json& s = sel.get();
      if (!s.is_array()) throw_type_error("selector[name] is not a function");
      Frame f{Frame::Iter, &s, 0, outer.data, c.above};
      json out = json::array();
      for (size_t i = 0; i < s.size(); ++i) {
        f.index = i;
        Val r = eval(k[1], Ctx{&s[i], &f});
        if (n.op == Op::Map) out.push_back(std::move(r).take());
        else if (engine_truthy(r.get())) out.push_back(s[i]);
      }
      return Val(std::move(out));
    }
    case Op::Some:
    case Op::None:
    case Op::All: {
      if (!raw.is_array()) throw_invalid();
      Val sel = eval(k[0], c);
      if (!js_truthy(sel.get())) sel = Val(json::array());
      const json& s = sel.get();
      if (n.op == Op::All && s.is_array() && s.empty()) return vbool(false);
      Frame f{Frame::Sel, &s, 0, outer.data, c.above};
      bool result = n.op == Op::All;
      for_each_item(s, [&](const json& item) {
        Val r = eval(k[1], Ctx{&item, &f});
        bool t = engine_truthy(r.get());
        if (n.op == Op::All && !t) {
          result = false;
          return false;
        }
        if (n.op != Op::All && t) {
          result = true;
          return false;
        }
        return true;
      });
      return vbool(n.op == Op::None ? !result : result);
    }
    case Op::Reduce: {
      if (!raw.is_array()) throw_invalid();
      json acc;
      if (n.has_default) {
        acc = eval(k[2], c).take();
        assert_allowed_depth(acc);
      }
      Val sel = eval(k[0], c);
      if (!js_truthy(sel.get())) sel = Val(json::array());
      const json& s = sel.get();
      if (!s.is_array()) throw_type_error("selector.reduce is not a function");
      size_t start = 0;
      if (!n.has_default) {
        if (s.empty()) throw_type_error("Reduce of empty array with no initial value");
        acc = s[0];
        start = 1;
      }
      Frame f{Frame::Sel, &s, 0, outer.data, c.above};
      for (size_t i = start; i < s.size(); ++i) {
        json ctx = json::object();
        ctx["accumulator"] = std::move(acc);
        ctx["current"] = s[i];
        acc = eval(k[1], Ctx{&ctx, &f}).take();
        assert_allowed_depth(acc);
      }
      return Val(std::move(acc));
    }
    case Op::Pipe: {
      if (!raw.is_array()) throw_error_message("Data for pipe must be an array");
      if (k.empty()) return Val();
      Frame f{Frame::Raw, &raw, 0, outer.data, c.above};
      json answer = eval(k[0], Ctx{c.data, &f}).take();
      for (size_t i = 1; i < k.size(); ++i) answer = eval(k[i], Ctx{&answer, &f}).take();
      return Val(std::move(answer));
    }
    case Op::EachKey: {
      json out = json::object();
      for (size_t i = 0; i < k.size(); ++i) out[n.keys[i]] = eval(k[i], c).take();
      return Val(std::move(out));
    }
    default:
      break;
  }
  if (is_comparator(n.op)) {
    // createComparator(...).method: reached for 1 or 4+ arguments (2 and 3 are idioms)
    if (!raw.is_array() || raw.size() <= 1) throw_invalid();
    const bool strict = n.op == Op::SEq || n.op == Op::SNe;
    Val prev = eval(k[0], c);
    for (size_t i = 1; i < k.size(); ++i) {
      Val cur = eval(k[i], c);
      const json& p = prev.get();
      const json& q = cur.get();
      if (strict || (str_or_null(q) && str_or_null(p)))
        if (!raw_compare(n.op, p, q)) return vbool(false);
      if (std::isnan(precoerce_number(q)) && !p.is_null()) throw_nan();
      if (i == 1 && std::isnan(precoerce_number(p))) throw_nan();
      if (!num_compare(n.op, js_to_number(p), js_to_number(q))) return vbool(false);
      prev = std::move(cur);
    }
    return vbool(true);
  }
  throw_invalid();
}

// ---------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------
namespace {
// `logic` must already have passed check_structure (done before copying it: nlohmann's copy
// is recursive, so absurdly deep logic must be rejected first).
void compile_into(Program::Impl& impl, const json& logic) {
  try {
    impl.root = impl.compile(logic);
  } catch (const FalsyThrow& e) {
    impl.root = impl.mk_deferred(e, true);
  } catch (const EvalError& e) {
    impl.root = impl.mk_deferred(e, false);
  }
  impl.det_memo.clear();
  impl.det_memo.rehash(0);
}

// Results print as JSON.stringify would: integral numbers without ".0", -0 as 0, and
// integers beyond 2^53 rounded to the double JS would hold.
void normalize_numbers(json& j, int depth = 0) {
  switch (j.type()) {
    case json::value_t::number_float: {
      double d = j.get<double>();
      if (std::isfinite(d) && d == std::floor(d)) j = num(d);
      return;
    }
    case json::value_t::number_integer: {
      auto i = j.get<json::number_integer_t>();
      if (i > 9007199254740992LL || i < -9007199254740992LL) j = num(static_cast<double>(i));
      return;
    }
    case json::value_t::number_unsigned: {
      auto u = j.get<json::number_unsigned_t>();
      if (u > 9007199254740992ULL) j = num(static_cast<double>(u));
      return;
    }
    case json::value_t::array:
    case json::value_t::object:
      if (depth < kMaxDepth)
        for (auto& e : j) normalize_numbers(e, depth + 1);
      return;
    default:
      return;
  }
}

json run_impl(const Program::Impl& impl, const json& data) {
  json out = impl.eval(impl.root, Ctx{&data, nullptr}).take();
  normalize_numbers(out);
  return out;
}

// apply() is called row after row with the same rule; compiling costs several times more
// than evaluating, so each thread keeps its last few compiled rules. An entry is reused only
// for logic that is identical to what it was compiled from, numbers included: nlohmann's
// operator== calls 0 and -0.0 equal ({"/": [1, -0.0]} is -Infinity in JS, {"/": [1, 0]}
// Infinity), and 5 and 5.0 equal (one number in JS, but a thrown or returned value keeps the
// spelling it was written with). The fuzzer found both. So the cache is invisible apart from
// speed.
bool same_logic(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_number_float() != b.is_number_float()) return false;
    if (!a.is_number_float()) return a == b;
    const double x = a.get<double>(), y = b.get<double>();
    return x == y ? std::signbit(x) == std::signbit(y) : (x != x && y != y);
  }
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!same_logic(a[i], b[i])) return false;
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j)
      if (i.key() != j.key() || !same_logic(i.value(), j.value())) return false;
    return true;
  }
  return a == b;
}

struct CacheEntry {
  std::unique_ptr<Program::Impl> impl;
  const json* last_seen;
  uint64_t stamp;
};
constexpr size_t kCacheEntries = 16;

const Program::Impl& cached_program(const json& logic) {
  thread_local std::vector<CacheEntry> cache;
  thread_local uint64_t clock = 0;
  for (auto& e : cache) {
    if (e.last_seen == &logic && same_logic(e.impl->owned_logic, logic)) {
      e.stamp = ++clock;
      return *e.impl;
    }
  }
  for (auto& e : cache) {
    if (same_logic(e.impl->owned_logic, logic)) {
      e.last_seen = &logic;
      e.stamp = ++clock;
      return *e.impl;
    }
  }
  check_structure(logic, nullptr, 0);  // throws LogicError: nothing cached
  auto impl = std::make_unique<Program::Impl>();
  impl->owned_logic = logic;
  compile_into(*impl, impl->owned_logic);
  if (cache.size() < kCacheEntries) {
    cache.push_back(CacheEntry{std::move(impl), &logic, ++clock});
    return *cache.back().impl;
  }
  auto oldest = std::min_element(cache.begin(), cache.end(),
                                 [](const CacheEntry& a, const CacheEntry& b) { return a.stamp < b.stamp; });
  *oldest = CacheEntry{std::move(impl), &logic, ++clock};
  return *oldest->impl;
}
}  // namespace

Program::Program(const json& logic) : impl_(std::make_unique<Impl>()) {
  check_structure(logic, nullptr, 0);
  impl_->owned_logic = logic;
  compile_into(*impl_, impl_->owned_logic);
}
Program::~Program() = default;
Program::Program(Program&&) noexcept = default;
Program& Program::operator=(Program&&) noexcept = default;

json Program::run(const json& data) const { return run_impl(*impl_, data); }

bool Program::test(const json& data) const {
  Val v = impl_->eval(impl_->root, Ctx{&data, nullptr});
  return engine_truthy(v.get());
}

json apply(const json& logic, const json& data) { return run_impl(cached_program(logic), data); }

bool truthy(const json& v) { return engine_truthy(v); }

void validate(const json& logic) {
  check_structure(logic, nullptr, 0);
  check_arity(logic, nullptr);
}

bool is_operator(const std::string& name) {
  Op op;
  return find_op(name, &op);
}

std::string number_to_string(double v) { return js_number_to_string(v); }

std::string to_js_string(const json& v) { return js_to_string(v); }

// ---------------------------------------------------------------------------------------
// referenced_vars
// ---------------------------------------------------------------------------------------
// The datum is the context at the top level and inside same-scope operators. Iterator
// mappers (map/filter/all/some/none/reduce), try fallbacks and later pipe stages run with
// another context (an item, {accumulator,current}, {type}, the previous stage's value), so
// plain vars there are not fields. "../" (var) and [[n], ...] (val) climb back out exactly
// as the engine does, so {"var":"../../x"} inside a top-level map is reported as "x".
// Reported paths use var's dotted syntax; val/exists segments that contain "." or "\" are
// escaped with "\" (splitPath's escape), so {"val":"a.b"} reports "a\.b".
// missing/missing_some/exists keys are reported too (they read those fields).
// `dynamic` is set when a key is computed at run time, when the whole datum is read
// (var "" / var 0 / val []), when a data-dependent key list is given to missing*, and when
// a try fallback may run with the datum as context (after a thrown null).
namespace {
struct SymFrame {
  enum Kind : uint8_t { Iter, Sel, Null, Raw } kind;
  bool ctx_is_datum;  // slot 1
  const SymFrame* parent;
};
struct SymAV {
  enum T : uint8_t { Undef, Datum, Other, FrameArr } t;
  const SymFrame* f;
};
SymAV sym_at(const SymFrame* f, size_t k) {
  if (!f) return {SymAV::Undef, nullptr};
  if (k == 0) return {SymAV::Other, nullptr};
  if (k == 1) return {f->ctx_is_datum ? SymAV::Datum : SymAV::Other, nullptr};
  if (k == 2) return {SymAV::FrameArr, f->parent};
  return {SymAV::Undef, nullptr};
}

std::string escape_segment(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '.' || ch == '\\') out += '\\';
    out += ch;
  }
  return out;
}

bool is_literal(const json& v) {
  if (v.is_object()) return false;
  if (v.is_array())
    for (const auto& e : v)
      if (!is_literal(e)) return false;
  return true;
}

// Could evaluating `l` throw a falsy value (so a try fallback would run with the original
// context)? {"throw": <non-literal or null>} or {"try": []}.
bool may_throw_falsy(const json& l) {
  if (l.is_array()) {
    for (const auto& e : l)
      if (may_throw_falsy(e)) return true;
    return false;
  }
  if (!l.is_object() || l.size() != 1) return false;
  auto it = l.begin();
  if (it.key() == "preserve") return false;
  if (it.key() == "throw") {
    // only a null value is thrown as is (falsy); anything else becomes a truthy {type} or object
    const json& a = it.value();
    const json& t = a.is_array() && a.size() == 1 ? a[0] : a;
    if (t.is_null() || t.is_object() || (a.is_array() && a.size() > 1 && (a[0].is_null() || a[0].is_object())))
      return true;
  }
  if (it.key() == "try" && it.value().is_array() && it.value().empty()) return true;
  return may_throw_falsy(it.value());
}

struct VarCollector {
  std::vector<std::string> out;
  bool dynamic = false;

  void report(const std::string& path) {
    if (std::find(out.begin(), out.end(), path) == out.end()) out.push_back(path);
  }

  void walk(const json& l, bool ctx_datum, const SymFrame* above) {
    if (l.is_array()) {
      for (const auto& e : l) walk(e, ctx_datum, above);
      return;
    }
    if (!l.is_object() || l.size() != 1) {
      if (l.is_object())
        for (const auto& v : l) walk(v, ctx_datum, above);
      return;
    }
    auto it = l.begin();
    const std::string& name = it.key();
    const json& a = it.value();
    Op op;
    if (!find_op(name, &op)) {
      walk(a, ctx_datum, above);
      return;
    }
    switch (op) {
      case Op::Preserve: return;
      case Op::Var: return on_var(a, ctx_datum, above);
      case Op::Val: case Op::Exists: return on_val(a, ctx_datum, above);
      case Op::Missing: {
        const json* list = &a;
        json wrapped;
        if (!a.is_structured()) {
          wrapped = json::array({a});
          list = &wrapped;
        }
        if (list->is_array() && is_literal(*list)) {
          if (ctx_datum)
            for (const auto& e : *list) report(js_to_string(e));
        } else {
          if (ctx_datum) dynamic = true;
          walk(*list, ctx_datum, above);
        }
        return;
      }
      case Op::MissingSome: {
        if (a.is_array() && a.size() >= 2 && a[1].is_array() && is_literal(a[1])) {
          walk(a[0], ctx_datum, above);
          if (ctx_datum)
            for (const auto& e : a[1]) report(js_to_string(e));
        } else {
          if (ctx_datum) dynamic = true;
          walk(a, ctx_datum, above);
        }
        return;
      }
      case Op::Map: case Op::Filter: case Op::Some: case Op::All: case Op::None: case Op::Reduce: {
        if (!a.is_array()) return walk(a, ctx_datum, above);
        SymFrame f{op == Op::Map || op == Op::Filter ? SymFrame::Iter : SymFrame::Sel, ctx_datum, above};
        for (size_t i = 0; i < a.size(); ++i) {
          if (i == 1) walk(a[i], false, &f);
          else walk(a[i], ctx_datum, above);
        }
        return;
      }
      case Op::Try: {
        if (!a.is_array()) return walk(a, ctx_datum, above);
        SymFrame f{SymFrame::Null, ctx_datum, above};
        // After a thrown null the fallbacks run with the datum itself as context; rather
        // than walking them twice (exponential when nested) we then report `dynamic`.
        if (ctx_datum && a.size() > 1 && may_throw_falsy(a)) dynamic = true;
        for (size_t i = 0; i < a.size(); ++i) {
          if (i == 0) walk(a[i], ctx_datum, above);
          else walk(a[i], false, &f);
        }
        return;
      }
      case Op::Pipe: {
        if (!a.is_array()) return walk(a, ctx_datum, above);
        SymFrame f{SymFrame::Raw, ctx_datum, above};
        for (size_t i = 0; i < a.size(); ++i) walk(a[i], i == 0 ? ctx_datum : false, &f);
        return;
      }
      default:
        walk(a, ctx_datum, above);
    }
  }

  void on_var(const json& a, bool ctx_datum, const SymFrame* above) {
    on_var_key(a, ctx_datum, above);
    if (a.is_array() && !(a.size() == 1 && !a[0].is_array()))
      for (size_t i = 1; i < a.size(); ++i) walk(a[i], ctx_datum, above);  // defaults are logic
  }

  void on_var_key(const json& a, bool ctx_datum, const SymFrame* above) {
    const json* key = &a;
    bool unary_form = true;
    if (a.is_array()) {
      if (a.size() == 1 && !a[0].is_array()) {
        key = &a[0];
      } else {
        unary_form = false;
        key = a.empty() ? nullptr : &a[0];
      }
    }
    if (key && key->is_structured()) {
      dynamic = true;
      walk(*key, ctx_datum, above);
      return;
    }
    // optimized unary form: any falsy key (0, false, "", null) reads the whole context
    bool whole = !key || key->is_null() || (key->is_string() && key->get_ref<const std::string&>().empty()) ||
                 (unary_form && !js_truthy(*key));
    if (whole) {
      if (ctx_datum) dynamic = true;
      return;
    }
    std::string k = js_to_string(*key);
    bool datum = ctx_datum;
    if (key->is_string()) {
      std::string_view kv = k;
      size_t iter = 0;
      const SymFrame* ab = above;
      SymAV cur{ctx_datum ? SymAV::Datum : SymAV::Other, nullptr};
      while (kv.substr(0, 3) == "../" && iter < (ab ? 3u : 0u)) {
        cur = sym_at(ab, iter++);
        kv.remove_prefix(3);
        if (iter == (ab ? 3u : 0u) && cur.t == SymAV::FrameArr) {
          ab = cur.f;
          iter = 0;
          cur = sym_at(ab, iter++);
        }
      }
      k = std::string(kv);
      datum = cur.t == SymAV::Datum;
      if (k.empty()) {
        if (datum) dynamic = true;
        return;
      }
    }
    if (datum) report(k);
  }

  void on_val(const json& a, bool ctx_datum, const SymFrame* above) {
    if (a.is_object()) {
      dynamic = true;
      walk(a, ctx_datum, above);
      return;
    }
    if (!a.is_array() || (a.size() == 1 && !a[0].is_array())) {
      const json& k = a.is_array() ? a[0] : a;
      if (k.is_structured()) {
        dynamic = true;
        walk(k, ctx_datum, above);
        return;
      }
      if (ctx_datum) report(escape_segment(js_to_string(k)));
      return;
    }
    size_t start = 0;
    bool datum = ctx_datum;
    if (!a.empty() && a[0].is_array() && a[0].size() == 1) {
      start = 1;
      if (a[0][0].is_structured()) {
        dynamic = true;
        walk(a[0][0], ctx_datum, above);
        return;
      }
      double climb = std::fabs(js_to_number(a[0][0]));
      const SymFrame* ab = above;
      SymAV cur{ctx_datum ? SymAV::Datum : SymAV::Other, nullptr};
      size_t pos = 0;
      for (long i = 0; i < climb && i < 64; ++i) {
        cur = sym_at(ab, pos++);
        if (i == static_cast<long>(ab ? 3 : 0) - 1 && cur.t == SymAV::FrameArr) {
          ab = cur.f;
          cur = sym_at(ab, 0);
          pos = 1;
        }
      }
      datum = cur.t == SymAV::Datum;
    }
    std::string path;
    for (size_t i = start; i < a.size(); ++i) {
      if (a[i].is_structured()) {
        dynamic = true;
        walk(a[i], ctx_datum, above);
        return;
      }
      if (!path.empty() || i > start) path += '.';
      path += escape_segment(js_to_string(a[i]));
    }
    if (!datum) return;
    if (start >= a.size()) {
      dynamic = true;  // val [] / val [[n]]: the whole context
      return;
    }
    report(path);
  }
};

void check_depth(const json& l, int depth) {
  if (!l.is_structured()) return;
  if (depth >= kMaxDepth)
    throw LogicError("logic nested deeper than " + std::to_string(kMaxDepth) + " levels", "", "");
  for (const auto& e : l) check_depth(e, depth + 1);
}
}  // namespace

std::vector<std::string> referenced_vars(const json& logic, bool* dynamic) {
  check_depth(logic, 0);  // throws LogicError, as apply() would
  VarCollector c;
  c.walk(logic, true, nullptr);
  if (dynamic) *dynamic = c.dynamic;
  return c.out;
}

}  // namespace leadscore::jsonlogic
