// Number and boolean cell parsing, and JavaScript's number-to-text (see values.h).
// format_number was the JsonLogic interpreter's; the loader's own copy differed only in
// choosing 17 digits where a closer 16-digit neighbour round-trips (at powers of two).
#include "io/values.h"

#include <charconv>  // defines __cpp_lib_to_chars where floating-point to_chars exists
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "io/text.h"

namespace leadscore::detail {

bool parse_number(std::string_view s0, double& out) {
  const std::string_view s = trim(s0);
  const size_t n = s.size();
  if (n == 0) return false;
  size_t i = 0;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    ++i;
  }
  const size_t int_begin = i;
  while (i < n && is_ascii_digit(s[i])) ++i;
  const size_t int_digits = i - int_begin;
  size_t frac_digits = 0;
  bool exponent = false;
  if (i < n && s[i] == '.') {
    ++i;
    const size_t f = i;
    while (i < n && is_ascii_digit(s[i])) ++i;
    frac_digits = i - f;
  }
  if (int_digits + frac_digits == 0) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    exponent = true;
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    const size_t e = i;
    while (i < n && is_ascii_digit(s[i])) ++i;
    if (i == e) return false;
  }
  if (i != n) return false;
  if (!exponent && int_digits + frac_digits <= 15) {
    // An integer or a decimal without exponent ("42", "28.2", "-0.75") of at most 15 digits: its
    // digits m < 10^15 < 2^53 and 10^frac are exact doubles, so m / 10^frac is the correctly
    // rounded quotient: the double nearest the number, which is what strtod returns (Clinger's
    // fast path; for an integer, m / 1 = m). strtod costs ~1 us in wasm, where it computes in
    // software 128-bit long doubles.
    static const double kPow10[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    int64_t m = 0;
    for (size_t k = int_begin; k < n; ++k)
      if (s[k] != '.') m = m * 10 + (s[k] - '0');
    const double v = static_cast<double>(m) / kPow10[frac_digits];
    out = neg ? -v : v;
    return true;
  }
  // strtod needs a terminated copy. (It honours LC_NUMERIC; the library expects the "C" locale.)
  char small[64];
  std::string big;
  const char* z;
  if (n < sizeof small) {
    std::memcpy(small, s.data(), n);
    small[n] = 0;
    z = small;
  } else {
    big.assign(s.data(), n);
    z = big.c_str();
  }
  char* end = nullptr;
  const double v = std::strtod(z, &end);
  if (end != z + n || !std::isfinite(v)) return false;
  out = v;
  return true;
}

int parse_bool(std::string_view s0, bool allow01) {
  const std::string_view s = trim(s0);
  switch (s.size()) {
    case 1: {
      const char c = ascii_lower(s[0]);
      if (c == 'y') return 1;
      if (c == 'n') return 0;
      if (allow01 && c == '1') return 1;
      if (allow01 && c == '0') return 0;
      return -1;
    }
    case 2:
      return iequals(s, "no") ? 0 : -1;
    case 3:
      return iequals(s, "yes") ? 1 : -1;
    case 4:
      return iequals(s, "true") ? 1 : -1;
    case 5:
      return iequals(s, "false") ? 0 : -1;
    default:
      return -1;
  }
}

namespace {

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

}  // namespace

// ECMA-262 Number::toString(10).
std::string format_number(double v) {
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

}  // namespace leadscore::detail
