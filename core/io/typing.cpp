// Cell-text parsers, formatting, and raw column -> typed Column (see infer.h).
#include "io/typing.h"
#include "leadscore/limits.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <unordered_set>

namespace leadscore::detail {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int64_t kMsPerDay = 86400000;

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }
inline char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

// ---------------------------------------------------------------- text helpers

std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  for (;;) {
    if (b < e && is_space(s[b])) {
      ++b;
    } else if (e - b >= 2 && static_cast<unsigned char>(s[b]) == 0xC2 && static_cast<unsigned char>(s[b + 1]) == 0xA0) {
      b += 2;
    } else {
      break;
    }
  }
  for (;;) {
    if (e > b && is_space(s[e - 1])) {
      --e;
    } else if (e - b >= 2 && static_cast<unsigned char>(s[e - 2]) == 0xC2 && static_cast<unsigned char>(s[e - 1]) == 0xA0) {
      e -= 2;
    } else {
      break;
    }
  }
  return s.substr(b, e - b);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

size_t char_column(const char* line_start, size_t bytes_before) {
  size_t col = 1;
  for (size_t i = 0; i < bytes_before; ++i)
    if ((static_cast<unsigned char>(line_start[i]) & 0xC0) != 0x80) ++col;
  return col;
}

// ---------------------------------------------------------------- numbers and booleans

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
  while (i < n && is_digit(s[i])) ++i;
  const size_t int_digits = i - int_begin;
  size_t frac_digits = 0;
  bool exponent = false;
  if (i < n && s[i] == '.') {
    ++i;
    const size_t f = i;
    while (i < n && is_digit(s[i])) ++i;
    frac_digits = i - f;
  }
  if (int_digits + frac_digits == 0) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    exponent = true;
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    const size_t e = i;
    while (i < n && is_digit(s[i])) ++i;
    if (i == e) return false;
  }
  if (i != n) return false;
  if (!exponent && int_digits + frac_digits <= 15) {
    // An integer or a decimal without exponent ("42", "28.2", "-0.75") of at most 15 digits: its
    // digits m < 10^15 < 2^53 and 10^frac are exact doubles, so m / 10^frac is the correctly
    // rounded quotient: the double nearest the number, which is what strtod returns (Clinger's
    // fast path; for an integer, m / 1 = m). strtod costs ~1 us in wasm, where it computes in
    // software 128-bit long doubles.
    static const double kPow10[16] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
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
      const char c = lower(s[0]);
      if (c == 'y') return 1;
      if (c == 'n') return 0;
      if (allow01 && c == '1') return 1;
      if (allow01 && c == '0') return 0;
      return -1;
    }
    case 2: return iequals(s, "no") ? 0 : -1;
    case 3: return iequals(s, "yes") ? 1 : -1;
    case 4: return iequals(s, "true") ? 1 : -1;
    case 5: return iequals(s, "false") ? 0 : -1;
    default: return -1;
  }
}

// ---------------------------------------------------------------- dates

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

namespace {

unsigned days_in_month(int64_t y, int m) {
  static const unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2) {
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[m - 1];
}

struct Cursor {
  const char* p;
  const char* e;
  bool done() const { return p == e; }
  char peek() const { return p < e ? *p : '\0'; }
  // Reads between min and max digits; returns the count read (0 on failure, nothing consumed).
  int digits(int min, int max, int& v) {
    int n = 0, val = 0;
    const char* q = p;
    while (q < e && n < max && is_digit(*q)) {
      val = val * 10 + (*q - '0');
      ++q;
      ++n;
    }
    if (n < min) return 0;
    p = q;
    v = val;
    return n;
  }
  bool eat(char c) {
    if (p < e && *p == c) {
      ++p;
      return true;
    }
    return false;
  }
  bool eat_ci(const char* word) {
    const char* q = p;
    for (const char* w = word; *w; ++w, ++q)
      if (q >= e || lower(*q) != *w) return false;
    p = q;
    return true;
  }
  void spaces() {
    while (p < e && *p == ' ') ++p;
  }
};

int expand_year(int y, int ndigits) {
  if (ndigits == 4) return y;
  return y < 69 ? 2000 + y : 1900 + y;  // POSIX strptime %y
}

bool parse_time(Cursor& c, DateParts& o) {
  int h, mi, s = 0, ms = 0;
  if (!c.digits(1, 2, h)) return false;
  if (!c.eat(':')) return false;
  if (c.digits(2, 2, mi) != 2) return false;
  if (c.eat(':')) {
    if (c.digits(2, 2, s) != 2) return false;
    if (c.peek() == '.' || c.peek() == ',') {
      ++c.p;
      int n = 0;
      while (!c.done() && is_digit(*c.p)) {
        if (n < 3) ms = ms * 10 + (*c.p - '0');
        ++n;
        ++c.p;
      }
      if (n == 0) return false;
      for (int k = n; k < 3; ++k) ms *= 10;
    }
  }
  const char* before_ampm = c.p;
  c.spaces();
  bool pm = false, ampm = false;
  if (c.eat_ci("am") || c.eat_ci("a.m.")) {
    ampm = true;
  } else if (c.eat_ci("pm") || c.eat_ci("p.m.")) {
    ampm = pm = true;
  } else {
    c.p = before_ampm;
  }
  if (ampm) {
    if (h < 1 || h > 12) return false;
    h = (h % 12) + (pm ? 12 : 0);
  }
  if (h > 23 || mi > 59 || s > 59) return false;
  // zone
  const char* before_zone = c.p;
  c.spaces();
  if (c.eat('Z') || c.eat('z') || c.eat_ci("utc") || c.eat_ci("gmt")) {
    // UTC
  } else if (c.peek() == '+' || c.peek() == '-') {
    const int sign = *c.p == '-' ? -1 : 1;
    ++c.p;
    int zh, zm = 0;
    if (c.digits(2, 2, zh) != 2) return false;
    if (c.eat(':')) {
      if (c.digits(2, 2, zm) != 2) return false;
    } else if (!c.done()) {
      if (c.digits(2, 2, zm) != 2) return false;
    }
    if (zh > 14 || zm > 59) return false;
    o.tz_minutes = sign * (zh * 60 + zm);
  } else {
    c.p = before_zone;
  }
  o.h = h;
  o.mi = mi;
  o.s = s;
  o.ms = ms;
  o.has_time = true;
  return true;
}

}  // namespace

bool parse_date(std::string_view s0, DateParts& o) {
  const std::string_view s = trim(s0);
  if (s.size() < 6 || s.size() > 64 || !is_digit(s[0])) return false;
  o = DateParts{};
  Cursor c{s.data(), s.data() + s.size()};
  int v1, v2, v3;
  const int n1 = c.digits(1, 4, v1);
  if (n1 == 0 || n1 == 3) return false;
  const char sep = c.peek();
  if (sep != '-' && sep != '/' && sep != '.') return false;
  ++c.p;
  if (n1 == 4) {  // year first: Y-M-D, Y/M/D, Y.M.D
    if (!c.digits(1, 2, v2) || !c.eat(sep) || !c.digits(1, 2, v3)) return false;
    o.form = DateParts::Ymd;
    o.y = v1;
    o.a = v2;
    o.b = v3;
    if (o.a < 1 || o.a > 12 || o.b < 1 || o.b > 31) return false;
  } else {  // day/month first
    if (!c.digits(1, 2, v2) || !c.eat(sep)) return false;
    const int ny = c.digits(2, 4, v3);
    if (ny != 2 && ny != 4) return false;
    o.y = expand_year(v3, ny);
    if (sep == '.') {  // 01.03.2024 is D.M.Y
      o.form = DateParts::Dmy;
      o.a = v2;
      o.b = v1;
      if (o.a < 1 || o.a > 12 || o.b < 1 || o.b > 31) return false;
    } else {
      o.form = DateParts::Ambiguous;
      o.a = v1;
      o.b = v2;
      if (o.a < 1 || o.b < 1 || o.a > 31 || o.b > 31 || (o.a > 12 && o.b > 12)) return false;
    }
  }
  if (c.done()) return true;
  if (c.peek() == 'T' || c.peek() == 't') {
    ++c.p;
  } else if (c.peek() == ' ') {
    c.spaces();
  } else {
    return false;
  }
  if (!parse_time(c, o)) return false;
  return c.done();
}

bool date_parts_to_ms(const DateParts& p, bool dmy, double& ms) {
  int month = p.a, day = p.b;
  if (p.form == DateParts::Ambiguous && dmy) std::swap(month, day);
  if (month < 1 || month > 12 || day < 1 || static_cast<unsigned>(day) > days_in_month(p.y, month)) return false;
  const int64_t days = days_from_civil(p.y, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const int64_t t = days * kMsPerDay + ((p.h * 60 + p.mi) * 60 + p.s) * int64_t{1000} + p.ms -
                    int64_t{p.tz_minutes} * 60000;
  ms = static_cast<double>(t);
  return true;
}

bool excel_serial_to_ms(double serial, double& ms, bool& has_time) {
  if (!std::isfinite(serial) || serial < 1 || serial >= 2958466) return false;  // 1900-01-01 .. 9999-12-31
  const double day = std::floor(serial);
  if (day == 60) return false;  // Excel's 1900-02-29, a day that did not exist
  // Excel counts 1900 as a leap year: serials after the fake Feb 29 are one day ahead.
  const int64_t days = static_cast<int64_t>(day) - (day < 60 ? 25568 : 25569);
  const double frac = serial - day;
  const int64_t tod = static_cast<int64_t>(std::llround(frac * kMsPerDay));
  ms = static_cast<double>(days * kMsPerDay + tod);
  has_time = tod != 0;
  return true;
}

// ---------------------------------------------------------------- formatting

std::string format_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0) return "0";
  if (v == std::floor(v) && std::fabs(v) < 9007199254740992.0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
    return buf;
  }
  // Shortest round-trip digits: the first of %.15e/%.16e/%.17e that reads back exactly
  // (subnormals have fewer significant digits: try from 1 digit up).
  char buf[40];
  const bool subnormal = std::fabs(v) < 2.2250738585072014e-308;
  for (int prec = subnormal ? 0 : 14; prec <= 16; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*e", prec, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  // buf = [-]d.ddddde[+-]xx
  std::string digits;
  const char* p = buf;
  const bool neg = *p == '-';
  if (neg) ++p;
  for (; *p && *p != 'e'; ++p)
    if (is_digit(*p)) digits.push_back(*p);
  const int exp10 = std::atoi(p + 1);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const int k = static_cast<int>(digits.size());
  const int n = exp10 + 1;  // position of the decimal point relative to the digits
  std::string out = neg ? "-" : "";
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<size_t>(n));
    out += '.';
    out += digits.substr(static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += 'e';
    out += (n - 1 >= 0) ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

std::string format_date(double ms, bool with_time) {
  if (!std::isfinite(ms)) return "";
  const int64_t t = static_cast<int64_t>(ms);
  int64_t days = t / kMsPerDay;
  int64_t rem = t % kMsPerDay;
  if (rem < 0) {
    rem += kMsPerDay;
    --days;
  }
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[64];
  int len;
  if (y >= 0 && y <= 9999)
    len = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  else
    len = std::snprintf(buf, sizeof buf, "%+07lld-%02u-%02u", static_cast<long long>(y), m, d);
  std::string out(buf, static_cast<size_t>(len));
  if (with_time) {
    const int hh = static_cast<int>(rem / 3600000), mm = static_cast<int>(rem / 60000 % 60),
              ss = static_cast<int>(rem / 1000 % 60), mss = static_cast<int>(rem % 1000);
    if (mss)
      len = std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d.%03dZ", hh, mm, ss, mss);
    else
      len = std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", hh, mm, ss);
    out.append(buf, static_cast<size_t>(len));
  }
  return out;
}

// ---------------------------------------------------------------- dictionary

uint64_t StringDict::hash_long(const char* p, size_t n) {
  // MurmurHash64A-style mixing, 8 bytes at a time.
  const uint64_t m = 0xc6a4a7935bd1e995ULL;
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (static_cast<uint64_t>(n) * m);
  while (n >= 8) {
    uint64_t k = load64(p);
    k *= m;
    k ^= k >> 47;
    k *= m;
    h ^= k;
    h *= m;
    p += 8;
    n -= 8;
  }
  if (n) {
    uint64_t k = 0;
    std::memcpy(&k, p, n);
    h ^= k;
    h *= m;
  }
  h ^= h >> 47;
  h *= m;
  h ^= h >> 47;
  return h;
}

int32_t StringDict::intern_long(std::string_view s) {
  const size_t n = s.size();
  uint64_t h;
  if (n <= 16) {  // two overlapping 8-byte words cover it
    const uint64_t a = load64(s.data()) * 0x9E3779B97F4A7C15ULL;
    const uint64_t b = load64(s.data() + n - 8) * 0xC2B2AE3D27D4EB4FULL;
    h = a ^ ((b << 29) | (b >> 35)) ^ n;
    h ^= h >> 32;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 29;
  } else {
    h = hash_long(s.data(), n);
  }
  return find_or_add(h, static_cast<uint32_t>(n), h, s);
}

void StringDict::grow() {
  std::vector<Slot> slots(slots_.size() * 2, Slot{0, -1, 0, 0});
  const size_t mask = slots.size() - 1;
  for (const Slot& s : slots_) {
    if (s.code < 0) continue;
    size_t i = static_cast<size_t>(probe_hash(s) >> 20) & mask;
    while (slots[i].code >= 0) i = (i + 1) & mask;
    slots[i] = s;
  }
  slots_.swap(slots);
}

// ---------------------------------------------------------------- problems

void ProblemSink::add(size_t line, size_t column, std::string field, std::string message) {
  if (max_ && out_.size() >= max_) {
    ++omitted_;
    return;
  }
  out_.push_back(LoadProblem{line, column, std::move(field), std::move(message)});
}

void ProblemSink::finish() {
  if (omitted_)
    out_.push_back(LoadProblem{0, 0, "", std::to_string(omitted_) + " more problems not listed (max_problems = " +
                                             std::to_string(max_) + ")"});
  omitted_ = 0;
}

void finish_problems(Table& t, ProblemSink& problems) {
  std::stable_sort(t.problems.begin(), t.problems.end(), [](const LoadProblem& a, const LoadProblem& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  problems.finish();
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
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c == '"') out += "\\\"";
    else out += c;
  }
  if (cut) out += "...";
  out += '"';
  return utf8_for_message(out);  // messages are UTF-8 even when the cell is not
}

void report_progress(const LoadOptions& opts, size_t bytes, size_t rows) {
  if (opts.progress && !opts.progress(bytes, rows)) throw LoadError("cancelled", "cancelled", 0, 0);
}

// ---------------------------------------------------------------- naming

std::vector<ColumnNaming> name_columns(const std::vector<RawColumn>& raw, size_t header_line,
                                       const LoadOptions& o, ProblemSink& ps) {
  std::vector<std::vector<std::string>> spec_keys(o.fields.size());
  for (size_t j = 0; j < o.fields.size(); ++j) {
    spec_keys[j].push_back(normalize_header(o.fields[j].name));
    for (const auto& a : o.fields[j].aliases) spec_keys[j].push_back(normalize_header(a));
  }
  std::vector<int> taken(o.fields.size(), -1);
  std::unordered_set<std::string> used;
  std::vector<ColumnNaming> out(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    const std::string& header = raw[i].header;
    const size_t line = raw[i].first_line ? raw[i].first_line : header_line;
    std::string base = header;
    if (header.empty()) {
      base = "column_" + std::to_string(i + 1);
      ps.add(line, i + 1, base, "empty header; the column is named \"" + base + "\"");
    }
    const std::string norm = normalize_header(header);
    if (!norm.empty()) {
      int first_taken = -1;
      for (size_t j = 0; j < o.fields.size(); ++j) {
        if (std::find(spec_keys[j].begin(), spec_keys[j].end(), norm) == spec_keys[j].end()) continue;
        if (taken[j] < 0) {
          taken[j] = static_cast<int>(i);
          out[i].spec = static_cast<int>(j);
          base = o.fields[j].name;
          break;
        }
        if (first_taken < 0) first_taken = static_cast<int>(j);
      }
      if (out[i].spec < 0 && first_taken >= 0) {
        const size_t other = static_cast<size_t>(taken[static_cast<size_t>(first_taken)]);
        ps.add(line, i + 1, base,
               "header " + quote_value(header) + " also matches the field \"" + o.fields[static_cast<size_t>(first_taken)].name +
                   "\", already read from column " + std::to_string(other + 1) + " (" + quote_value(raw[other].header) +
                   "); this column keeps its own name");
      }
    }
    // A dot in a JsonLogic var reads a nested value, so undeclared headers with dots
    // ("emp.var.rate") are named with underscores ("emp_var_rate"); the header stays as written.
    if (out[i].spec < 0) std::replace(base.begin(), base.end(), '.', '_');
    std::string name = base;
    if (used.count(name)) {
      for (size_t k = 2;; ++k) {
        name = base + "_" + std::to_string(k);
        if (!used.count(name)) break;
      }
      ps.add(line, i + 1, name, "duplicate header " + quote_value(base) + "; this column is named \"" + name + "\"");
    }
    used.insert(name);
    out[i].name = std::move(name);
  }
  return out;
}

// ---------------------------------------------------------------- typing

namespace {

struct Conversion {
  std::vector<double> val;   // per dictionary entry; NaN for missing/bad
  std::vector<uint8_t> bad;  // per entry: not parseable under the type
  size_t nbad = 0;
  bool has_time = false;
  bool ambiguous_mdy = false;  // slash dates read as M/D/Y only because of the default
};

// Converts the non-missing entries; with `stop` returns false at the first bad entry.
bool convert_numbers(const RawColumn& rc, const std::vector<uint8_t>& miss, Conversion& cv, bool stop) {
  for (size_t e = 0; e < miss.size(); ++e) {
    if (miss[e]) continue;
    if (!parse_number(rc.dict.get(e), cv.val[e])) {
      if (stop) return false;
      cv.val[e] = kNaN;
      cv.bad[e] = 1;
      ++cv.nbad;
    }
  }
  return true;
}

bool convert_bools(const RawColumn& rc, const std::vector<uint8_t>& miss, Conversion& cv, bool stop) {
  for (size_t e = 0; e < miss.size(); ++e) {
    if (miss[e]) continue;
    const int b = parse_bool(rc.dict.get(e), true);
    if (b < 0) {
      if (stop) return false;
      cv.bad[e] = 1;
      ++cv.nbad;
    } else {
      cv.val[e] = b;
    }
  }
  return true;
}

bool convert_dates(const RawColumn& rc, const std::vector<uint8_t>& miss, Conversion& cv, bool hinted,
                   LoadOptions::DateOrder order) {
  const size_t E = miss.size();
  std::vector<DateParts> parts(E);
  std::vector<uint8_t> kind(E, 0);  // 1 = date text, 2 = Excel serial (hinted only)
  bool first_big = false, second_big = false, ambiguous = false;
  for (size_t e = 0; e < E; ++e) {
    if (miss[e]) continue;
    const std::string_view text = rc.dict.get(e);
    if (parse_date(text, parts[e])) {
      kind[e] = 1;
      const DateParts& p = parts[e];
      if (p.form == DateParts::Ambiguous) {
        if (p.a > 12) first_big = true;
        if (p.b > 12) second_big = true;
        if (p.a <= 12 && p.b <= 12 && p.a != p.b) ambiguous = true;
      }
      continue;
    }
    double serial;
    bool time = false;
    if (hinted && parse_number(text, serial) && excel_serial_to_ms(serial, cv.val[e], time)) {
      kind[e] = 2;
      if (time) cv.has_time = true;
      continue;
    }
    if (!hinted) return false;
    cv.bad[e] = 1;
    ++cv.nbad;
  }
  bool dmy;
  if (first_big && second_big) {
    if (!hinted) return false;  // written both ways: not one date column
    dmy = order == LoadOptions::DateOrder::DMY;
  } else if (first_big) {
    dmy = true;
  } else if (second_big) {
    dmy = false;
  } else {
    dmy = order == LoadOptions::DateOrder::DMY;
    cv.ambiguous_mdy = ambiguous && order == LoadOptions::DateOrder::Auto;
  }
  for (size_t e = 0; e < E; ++e) {
    if (kind[e] != 1) continue;
    if (!date_parts_to_ms(parts[e], dmy, cv.val[e])) {
      if (!hinted) return false;
      cv.val[e] = kNaN;
      cv.bad[e] = 1;
      ++cv.nbad;
    } else if (parts[e].has_time) {
      cv.has_time = true;
    }
  }
  return true;
}

bool is_missing_text(std::string_view v, const std::vector<std::string>& global, const std::vector<std::string>& field) {
  v = trim(v);
  for (const auto& tok : global)
    if (iequals(v, tok)) return true;
  for (const auto& tok : field)
    if (iequals(v, tok)) return true;
  return false;
}

// Integer-coded cells (see int_code) as the column's type sees them.
struct IntCells {
  bool any = false;                 // any integer cell that is not a missing token
  bool only01 = true;               // all such cells are 0 or 1
  std::vector<int64_t> missing;     // integer values that are missing tokens
  bool is_missing(int64_t v) const {
    for (int64_t m : missing)
      if (m == v) return true;
    return false;
  }
};

void build_one(RawColumn& rc, Column& col, const FieldSpec* spec, size_t idx, const std::vector<std::string>& global,
               const LoadOptions& o, Table& t, ProblemSink& ps) {
  const size_t E = rc.dict.size();
  const size_t rows = t.rows;
  rc.codes.resize(rows, -1);
  std::vector<std::string> field_tokens;
  if (spec)
    for (const auto& tok : spec->missing) field_tokens.emplace_back(trim(tok));

  std::vector<uint8_t> miss(E, 0);
  size_t present = 0;
  for (size_t e = 0; e < E; ++e) {
    miss[e] = is_missing_text(rc.dict.get(e), global, field_tokens);
    if (!miss[e]) ++present;
  }
  IntCells ints;
  for (const std::vector<std::string>* list : {&global, static_cast<const std::vector<std::string>*>(&field_tokens)})
    for (const auto& tok : *list) {
      int32_t c;
      if (int_code(tok.data(), tok.size(), c)) ints.missing.push_back(int_of_code(c));
    }
  for (const int32_t c : rc.codes) {
    if (!is_int_code(c)) continue;
    const int64_t v = int_of_code(c);
    if (!ints.missing.empty() && ints.is_missing(v)) continue;
    ints.any = true;
    if (v != 0 && v != 1) ints.only01 = false;
  }
  if (ints.any) ++present;

  Conversion cv;
  cv.val.assign(E, kNaN);
  cv.bad.assign(E, 0);
  ColumnType type = ColumnType::String;
  const bool hinted = spec && spec->type.has_value();
  if (hinted) {
    type = *spec->type;
    if (type == ColumnType::Number) convert_numbers(rc, miss, cv, false);
    else if (type == ColumnType::Boolean) convert_bools(rc, miss, cv, false);
    else if (type == ColumnType::Date) convert_dates(rc, miss, cv, true, o.date_order);
  } else if (o.infer_types && present > 0) {
    if (convert_numbers(rc, miss, cv, true)) {
      type = ColumnType::Number;  // integers are numbers too
    } else {
      cv.val.assign(E, kNaN);
      if (ints.only01 && convert_bools(rc, miss, cv, true)) {
        type = ColumnType::Boolean;
      } else if (!ints.any) {  // an integer is never date text
        cv.val.assign(E, kNaN);
        cv.has_time = false;
        if (convert_dates(rc, miss, cv, false, o.date_order)) type = ColumnType::Date;
      }
    }
  }
  col.type = type;

  if (type == ColumnType::String) {
    if (!ints.any) {
      // keep the dictionary, minus the missing tokens
      std::vector<int32_t> remap(E, -1);
      int32_t next = 0;
      col.dict.reserve(present);
      for (size_t e = 0; e < E; ++e) {
        if (miss[e]) continue;
        remap[e] = next++;
        col.dict.emplace_back(rc.dict.get(e));
      }
      col.codes = std::move(rc.codes);
      for (auto& c : col.codes) {
        if (c >= 0) c = remap[static_cast<size_t>(c)];
        else if (c != -1) c = -1;  // (integer codes are all missing tokens here)
      }
    } else {
      // integers become text again: rebuild the dictionary in first-seen order
      StringDict d;
      col.codes.resize(rows);
      for (size_t r = 0; r < rows; ++r) {
        const int32_t c = rc.codes[r];
        if (c >= 0) {
          col.codes[r] = miss[static_cast<size_t>(c)] ? -1 : d.intern(rc.dict.get(static_cast<size_t>(c)));
        } else if (c == -1) {
          col.codes[r] = -1;
        } else {
          const int64_t v = int_of_code(c);
          if (ints.is_missing(v)) {
            col.codes[r] = -1;
          } else {
            char buf[24];
            const int len = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
            col.codes[r] = d.intern(std::string_view(buf, static_cast<size_t>(len)));
          }
        }
      }
      col.dict.reserve(d.size());
      for (size_t e = 0; e < d.size(); ++e) col.dict.emplace_back(d.get(e));
    }
  } else {
    for (size_t e = 0; e < E; ++e)
      if (miss[e] || cv.bad[e]) cv.val[e] = kNaN;
    // Values are made a block at a time in L1 and stored as narrow as they allow (Values::Builder).
    Values::Builder nums(rows);
    constexpr size_t kRowsPerBlock = 4096;
    double block[kRowsPerBlock];
    const int32_t* codes = rc.codes.data();
    const double* val = cv.val.data();
    std::vector<size_t> bad_rows;  // integer cells that do not fit the (hinted) type
    const bool check_missing = !ints.missing.empty();
    for (size_t r0 = 0; r0 < rows; r0 += kRowsPerBlock) {
      const size_t len = std::min(kRowsPerBlock, rows - r0);
      for (size_t j = 0; j < len; ++j) {
        const size_t r = r0 + j;
        double& out = block[j];
        const int32_t c = codes[r];
        if (c >= 0) {
          out = val[c];
        } else if (c == -1) {
          out = kNaN;
        } else {
          const int64_t v = int_of_code(c);
          if (check_missing && ints.is_missing(v)) {
            out = kNaN;
          } else if (type == ColumnType::Number) {
            out = static_cast<double>(v);
          } else if (type == ColumnType::Boolean) {
            if (v == 0 || v == 1) {
              out = static_cast<double>(v);
            } else {
              out = kNaN;
              bad_rows.push_back(r);
            }
          } else {  // Date: an Excel serial (dates are only typed from integers under a hint)
            bool time = false;
            if (!excel_serial_to_ms(static_cast<double>(v), out, time)) {
              out = kNaN;
              bad_rows.push_back(r);
            }
          }
        }
      }
      nums.append(block, len);
    }
    col.num = nums.finish();
    col.date_has_time = type == ColumnType::Date && cv.has_time;
    if (cv.nbad || !bad_rows.empty()) {
      const char* what = type == ColumnType::Number    ? "a number"
                         : type == ColumnType::Boolean ? "a boolean (yes/no, true/false, y/n, 1/0)"
                                                       : "a date";
      size_t next_int_bad = 0;
      for (size_t r = 0; r < rows; ++r) {
        const int32_t c = codes[r];
        std::string text;
        if (c >= 0 && cv.bad[static_cast<size_t>(c)]) {
          text = std::string(rc.dict.get(static_cast<size_t>(c)));
        } else if (next_int_bad < bad_rows.size() && bad_rows[next_int_bad] == r) {
          ++next_int_bad;
          text = std::to_string(int_of_code(c));
        } else {
          continue;
        }
        ps.add(r < t.row_line.size() ? t.row_line[r] : 0, idx + 1, col.name,
               std::string("expected ") + what + " in \"" + col.name + "\", got " + quote_value(text) +
                   "; kept as missing");
      }
    }
    if (type == ColumnType::Date && cv.ambiguous_mdy)
      ps.add(0, idx + 1, col.name,
             "dates like 03/04/2024 in \"" + col.name +
                 "\" could be month/day or day/month; read as month/day/year (set date_order to choose)");
  }
  rc = RawColumn{};
}

}  // namespace

void build_columns(std::vector<RawColumn>& raw, const std::vector<ColumnNaming>& names, const LoadOptions& o,
                   Table& t, ProblemSink& ps) {
  std::vector<std::string> global;
  for (const auto& tok : o.missing) global.emplace_back(trim(tok));
  t.columns.reserve(t.columns.size() + raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    Column col;
    col.name = names[i].name;
    col.header = raw[i].header;
    const FieldSpec* spec = names[i].spec >= 0 ? &o.fields[static_cast<size_t>(names[i].spec)] : nullptr;
    build_one(raw[i], col, spec, i, global, o, t, ps);
    t.columns.push_back(std::move(col));
  }
}

}  // namespace leadscore::detail
