// Date parsing, day arithmetic and ISO 8601 formatting (see dates.h). The one implementation of
// each: event days, as-of days and exported dates all come through here.
#include "io/dates.h"

#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "io/text.h"

namespace leadscore::detail {

// ---------------------------------------------------------------- day arithmetic

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

bool is_leap_year(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int64_t y, unsigned m) {
  static const unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2) return is_leap_year(y) ? 29 : 28;
  return kDays[m - 1];
}

// ---------------------------------------------------------------- parsing

namespace {

struct Cursor {
  const char* p;
  const char* e;
  bool done() const { return p == e; }
  char peek() const { return p < e ? *p : '\0'; }
  // Reads between min and max digits; returns the count read (0 on failure, nothing consumed).
  int digits(int min, int max, int& v) {
    int n = 0, val = 0;
    const char* q = p;
    while (q < e && n < max && is_ascii_digit(*q)) {
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
      if (q >= e || ascii_lower(*q) != *w) return false;
    p = q;
    return true;
  }
  void spaces() {
    while (p < e && *p == ' ') ++p;
  }
};

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

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
      while (!c.done() && is_ascii_digit(*c.p)) {
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

// "Mar", "march", "Sept" -> 1..12 (English names and their three- or four-letter short forms,
// any case, an optional '.'); 0 when the letters at the cursor name no month.
int month_name(Cursor& c) {
  static const char* const kMonths[] = {"january", "february", "march",     "april",   "may",      "june",
                                        "july",    "august",   "september", "october", "november", "december"};
  const char* start = c.p;
  std::string word;
  while (!c.done() && is_ascii_alpha(*c.p) && word.size() < 10) word += ascii_lower(*c.p++);
  for (int m = 0; m < 12; ++m) {
    const std::string_view full = kMonths[m];
    if (word == full || (word.size() == 3 && full.substr(0, 3) == word) || (m == 8 && word == "sept")) {
      c.eat('.');
      return m + 1;
    }
  }
  c.p = start;
  return 0;
}

// A weekday name and comma before a date ("Fri, Mar 1, 2024"): skipped.
void skip_weekday(Cursor& c) {
  static const char* const kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  const char* start = c.p;
  std::string word;
  while (!c.done() && is_ascii_alpha(*c.p) && word.size() < 10) word += ascii_lower(*c.p++);
  bool day = false;
  for (const char* d : kDays) day |= word.rfind(d, 0) == 0;
  if (!day || !(c.eat(',') || c.peek() == ' ')) {
    c.p = start;
    return;
  }
  c.spaces();
}

// Dates with the month as a word, which no locale reads two ways: "Mar 1, 2024", "March 1 2024",
// "1 March 2024", "01-Mar-2024", "1-Mar-24", with an optional weekday before and a time after.
bool parse_month_name_date(std::string_view s, DateParts& o) {
  Cursor c{s.data(), s.data() + s.size()};
  skip_weekday(c);
  int month = 0, day = 0, year = 0, ny = 0;
  if (is_ascii_digit(c.peek())) {  // day first
    if (!c.digits(1, 2, day)) return false;
    if (!(c.eat('-') || c.eat(' ') || c.eat('.'))) return false;
    c.spaces();
    if (!(month = month_name(c))) return false;
    if (!(c.eat('-') || c.eat(' ') || c.eat(','))) return false;
    c.spaces();
  } else {  // month first
    if (!(month = month_name(c))) return false;
    c.spaces();
    if (!c.digits(1, 2, day)) return false;
    (void)(c.eat_ci("st") || c.eat_ci("nd") || c.eat_ci("rd") || c.eat_ci("th"));
    const bool comma = c.eat(',');
    if (c.peek() != ' ' && !comma) return false;
    c.spaces();
  }
  ny = c.digits(2, 4, year);
  if (ny != 2 && ny != 4) return false;
  o = DateParts{};
  o.form = DateParts::Ymd;
  o.y = expand_year(year, ny);
  o.a = month;
  o.b = day;
  if (day < 1 || day > 31) return false;
  if (c.done()) return true;
  if (c.peek() == 'T' || c.peek() == ',') ++c.p;
  c.spaces();
  return parse_time(c, o) && c.done();
}

}  // namespace

bool parse_date(std::string_view s0, DateParts& o) {
  const std::string_view s = trim(s0);
  if (s.size() < 6 || s.size() > 64) return false;
  if (!is_ascii_digit(s[0]) || (s.size() > 3 && (is_ascii_alpha(s[2]) || is_ascii_alpha(s[3]))))
    return parse_month_name_date(s, o);
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
  if (month < 1 || month > 12 || day < 1 ||
      static_cast<unsigned>(day) > days_in_month(p.y, static_cast<unsigned>(month)))
    return false;
  const int64_t days = days_from_civil(p.y, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const int64_t t =
      days * kMsPerDay + ((p.h * 60 + p.mi) * 60 + p.s) * int64_t{1000} + p.ms - int64_t{p.tz_minutes} * 60000;
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

std::string format_day(int64_t day) {
  int64_t y;
  unsigned m, d;
  civil_from_days(day, y, m, d);
  char buf[64];
  int len;
  if (y >= 0 && y <= 9999)
    len = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  else
    len = std::snprintf(buf, sizeof buf, "%+07lld-%02u-%02u", static_cast<long long>(y), m, d);
  return std::string(buf, static_cast<size_t>(len));
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
  std::string out = format_day(days);
  if (with_time) {
    const int hh = static_cast<int>(rem / 3600000), mm = static_cast<int>(rem / 60000 % 60),
              ss = static_cast<int>(rem / 1000 % 60), mss = static_cast<int>(rem % 1000);
    char buf[32];
    int len;
    if (mss)
      len = std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d.%03dZ", hh, mm, ss, mss);
    else
      len = std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", hh, mm, ss);
    out.append(buf, static_cast<size_t>(len));
  }
  return out;
}

}  // namespace leadscore::detail
