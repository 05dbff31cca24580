// Formatted numbers and identifier-like columns (see number_formats.h). Runs once per distinct
// cell text of a column whose values are not all plain numbers: off the per-row hot path.
#include "io/number_formats.h"

#include <algorithm>
#include <cstring>

#include "io/text.h"
#include "io/values.h"
#include "leadscore/table.h"

namespace leadscore::detail {

namespace {

// A cell split into sign, currency, percent and the digits with their separators. Space-like
// separators (space, U+00A0, U+202F) are all written as ' ' in `body`.
struct NumberText {
  bool negative = false;
  bool percent = false;
  std::string currency;
  std::string body;
};

constexpr const char* kCurrencySymbols[] = {
    "$", "\xE2\x82\xAC" /* € */, "\xC2\xA3" /* £ */, "\xC2\xA5" /* ¥ */, "\xE2\x82\xB9" /* ₹ */, "R$", "US$", "kr"};

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

// ISO 4217 codes of the currencies CRM exports carry most; any three capitals would also read
// "SKU 100" as a price.
bool is_currency_code(std::string_view code) {
  static constexpr std::string_view kCodes[] = {"USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "INR", "BRL",
                                                "CNY", "SEK", "NOK", "DKK", "PLN", "MXN", "ZAR", "SGD", "HKD", "CZK"};
  return std::find(std::begin(kCodes), std::end(kCodes), code) != std::end(kCodes);
}

// Removes a currency symbol or a three-letter code at the front (`front`) or back of s.
bool take_currency(std::string_view& s, bool front, std::string& currency) {
  for (const char* sym : kCurrencySymbols) {
    const size_t n = std::strlen(sym);
    if (s.size() <= n) continue;
    if (front ? s.compare(0, n, sym) == 0 : s.compare(s.size() - n, n, sym) == 0) {
      currency = sym;
      s = front ? s.substr(n) : s.substr(0, s.size() - n);
      s = trim(s);
      return true;
    }
  }
  if (s.size() > 3) {
    const std::string_view code = front ? s.substr(0, 3) : s.substr(s.size() - 3);
    const char next = front ? s[3] : s[s.size() - 4];
    if (is_currency_code(code) && !is_upper(next)) {
      currency = std::string(code);
      s = trim(front ? s.substr(3) : s.substr(0, s.size() - 3));
      return true;
    }
  }
  return false;
}

bool take_sign(std::string_view& s, bool& negative) {
  if (s.empty() || (s[0] != '-' && s[0] != '+')) return false;
  negative = s[0] == '-';
  s = trim(s.substr(1));
  return true;
}

// Sign, parentheses, currency and percent around the digits. False when there are no digits or
// a character that no number format has.
bool split_number_text(std::string_view text, NumberText& nt) {
  std::string_view s = trim(text);
  if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
    nt.negative = true;
    s = trim(s.substr(1, s.size() - 2));
  }
  if (!s.empty() && s.back() == '%') {
    nt.percent = true;
    s = trim(s.substr(0, s.size() - 1));
  }
  bool signed_ = take_sign(s, nt.negative);
  if (take_currency(s, true, nt.currency)) {
    if (!signed_) take_sign(s, nt.negative);
  } else {
    take_currency(s, false, nt.currency);
  }
  bool digits = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (is_ascii_digit(s[i])) {
      digits = true;
      nt.body += s[i];
    } else if (c == '.' || c == ',' || c == '\'' || c == ' ') {
      nt.body += s[i];
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      nt.body += ' ';
      ++i;
    } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               static_cast<unsigned char>(s[i + 2]) == 0xAF) {
      nt.body += ' ';
      i += 2;
    } else {
      return false;
    }
  }
  return digits;
}

// The body under decimal separator `dec` and thousands separator `th` (0 = none) as a plain
// decimal ("1234.5"), or false when it does not fit: groups after the first have three digits.
bool plain_decimal(std::string_view body, char dec, char th, std::string& plain) {
  const size_t d = body.find(dec);
  if (d != std::string_view::npos && body.find(dec, d + 1) != std::string_view::npos) return false;
  const std::string_view whole = body.substr(0, d);
  const std::string_view frac = d == std::string_view::npos ? std::string_view() : body.substr(d + 1);
  for (const char c : frac)
    if (!is_ascii_digit(c)) return false;
  if (d != std::string_view::npos && frac.empty()) return false;
  plain.clear();
  size_t group = 0;
  bool grouped = false;
  for (const char c : whole) {
    if (is_ascii_digit(c)) {
      plain += c;
      ++group;
      continue;
    }
    if (c != th || group == 0 || (grouped && group != 3) || group > 3) return false;
    grouped = true;
    group = 0;
  }
  if (grouped && group != 3) return false;
  if (plain.empty()) plain = "0";
  if (!frac.empty()) plain.append(".").append(frac);
  return true;
}

constexpr char kThousands[] = {0, ',', '.', ' ', '\''};

// Whether a body reads as a number in some format that `decimal` (0: either) allows.
bool reads_in_some_format(std::string_view body, char decimal, std::string& plain) {
  double v;
  for (const char dec : {'.', ','}) {
    if (decimal && dec != decimal) continue;
    for (const char th : kThousands)
      if (th != dec && plain_decimal(body, dec, th, plain) && parse_number(plain, v)) return true;
  }
  return false;
}

struct Reading {
  char thousands = 0;
  std::vector<double> values;
};

// The texts' digits with their separators (NumberText::body) back to back, and their signs. A
// NumberText per text held two std::strings, ~72 B: 72 MB for a column of 1M phone numbers,
// the top of that load's memory.
struct Bodies {
  std::string bytes;
  std::vector<uint32_t> ends;
  std::vector<uint8_t> negative;
  size_t size() const { return ends.size(); }
  std::string_view operator[](size_t i) const {
    const size_t b = i ? ends[i - 1] : 0;
    return std::string_view(bytes).substr(b, ends[i] - b);
  }
};

// All texts under decimal `dec` with the first thousands separator that fits them all.
bool read_all(const Bodies& bodies, char dec, Reading& r) {
  std::string plain;
  for (const char th : kThousands) {
    if (th == dec) continue;
    r.values.clear();
    bool ok = true;
    for (size_t i = 0; i < bodies.size(); ++i) {
      double v;
      if (!plain_decimal(bodies[i], dec, th, plain) || !parse_number(plain, v)) {
        ok = false;
        break;
      }
      r.values.push_back(bodies.negative[i] ? -v : v);
    }
    if (ok) {
      r.thousands = th;
      return true;
    }
  }
  return false;
}

}  // namespace

bool read_formatted_numbers(const std::vector<std::string_view>& texts, char decimal, char default_decimal,
                            NumberFormat& format, std::vector<double>& out) {
  Bodies bodies;
  bodies.ends.reserve(texts.size());
  bodies.negative.reserve(texts.size());
  format = NumberFormat{};
  NumberText nt;
  std::string plain_scratch;
  for (size_t i = 0; i < texts.size(); ++i) {
    nt.negative = nt.percent = false;
    nt.currency.clear();
    nt.body.clear();
    // A text no format reads ends the search before the other texts are kept: phone numbers
    // ("+1 410 054 1599") split like numbers and fit no grouping.
    if (!split_number_text(texts[i], nt) || !reads_in_some_format(nt.body, decimal, plain_scratch)) return false;
    if (!nt.currency.empty()) {
      if (!format.currency.empty() && format.currency != nt.currency) return false;  // mixed currencies
      format.currency = nt.currency;
    }
    format.percent |= nt.percent;
    bodies.bytes += nt.body;
    bodies.ends.push_back(static_cast<uint32_t>(bodies.bytes.size()));
    bodies.negative.push_back(nt.negative);
    double plain;
    if (format.example.empty() && !parse_number(texts[i], plain)) format.example = std::string(trim(texts[i]));
  }
  Reading point, comma;
  const bool by_point = decimal != ',' && read_all(bodies, '.', point);
  const bool by_comma = decimal != '.' && read_all(bodies, ',', comma);
  if (!by_point && !by_comma) return false;
  bool use_comma = by_comma && !by_point;
  if (by_point && by_comma) {
    use_comma = default_decimal == ',';
    format.ambiguous = point.values != comma.values;
  }
  Reading& r = use_comma ? comma : point;
  format.decimal = use_comma ? ',' : '.';
  format.thousands = r.thousands;
  out = std::move(r.values);
  return true;
}

bool parse_formatted_number(std::string_view text, const NumberFormat& format, double& out) {
  NumberText nt;
  std::string plain;
  if (!split_number_text(text, nt) || (!nt.currency.empty() && nt.currency != format.currency)) return false;
  if (!plain_decimal(nt.body, format.decimal, format.thousands, plain) &&
      !plain_decimal(nt.body, format.decimal, 0, plain))
    return false;
  if (!parse_number(plain, out)) return false;
  if (nt.negative) out = -out;
  return true;
}

std::string identifier_reason(std::string_view header, const std::vector<std::string_view>& texts,
                              std::string& example) {
  example.clear();
  const std::string name = normalize_header(std::string(header));
  for (const std::string_view raw : texts) {
    const std::string_view t = trim(raw);
    const bool plus = !t.empty() && t[0] == '+';
    const std::string_view digits = plus || (!t.empty() && t[0] == '-') ? t.substr(1) : t;
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), is_ascii_digit)) continue;
    example = std::string(t);
    if (digits.size() >= 2 && digits[0] == '0' && !plus && t[0] != '-')
      return "values such as " + quote_value(t) + " have leading zeros";
    if (digits.size() > 16 || (digits.size() == 16 && digits > std::string_view("9007199254740992")))
      return "values such as " + quote_value(t) + " have more digits than a number keeps exactly";
    if (plus && digits.size() >= 7) return "values such as " + quote_value(t) + " look like phone numbers";
  }
  example.clear();
  for (const char* word : {"phone", "mobile", "fax", "zip", "postal", "postcode"})
    if (name.find(word) != std::string::npos) return "its name says it is a phone number or postal code";
  return "";
}

std::string describe(const NumberFormat& f) {
  std::string s;
  auto add = [&s](const std::string& part) { s += (s.empty() ? "" : ", ") + part; };
  if (f.thousands)
    add(std::string("thousands separator ") +
        (f.thousands == ' ' ? "space" : "\"" + std::string(1, f.thousands) + "\""));
  add(f.decimal == ',' ? "decimal comma" : "decimal point");
  if (!f.currency.empty()) add("currency \"" + f.currency + "\"");
  if (f.percent) add("percent signs dropped (\"45 %\" is 45)");
  return s;
}

}  // namespace leadscore::detail
