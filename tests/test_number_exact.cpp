// Numbers read from CSV are the doubles strtod gives for the same text, bit for bit, whichever
// path the loader takes (the digits / 10^k fast path, strtod, formatted numbers with a decimal
// comma or thousands separators). Differential against the C library's strtod on random and
// adversarial texts: 17-digit round-trip spellings of random doubles, long mantissas, halfway
// cases, subnormals, the edges of the fast path and exponents.
#include <gtest/gtest.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "leadscore/table.h"

namespace test_number_exact {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;

namespace {

uint64_t bits(double d) {
  uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}

// Loads `values` as the one column "x" of a CSV (quoted, so a decimal comma is one field),
// declared a number (long digit strings would otherwise read as identifiers).
Table load_column(const std::vector<std::string>& values, char decimal = 0) {
  std::string csv = "x\n";
  for (const std::string& v : values) csv += "\"" + v + "\"\n";
  LoadOptions o;
  o.decimal = decimal;
  o.fields.push_back(FieldSpec{"x", ColumnType::Number, {}, {}});
  return load_table(csv, o);
}

// Every value must come back as strtod(want[i]) with the same bits.
void expect_strtod(const std::vector<std::string>& values, const std::vector<std::string>& want, char decimal = 0) {
  const Table t = load_column(values, decimal);
  ASSERT_EQ(t.columns.size(), 1u);
  const Column& c = t.columns[0];
  ASSERT_EQ(c.type, ColumnType::Number) << (t.problems.empty() ? "" : t.problems[0].message);
  ASSERT_EQ(t.rows, values.size());
  size_t bad = 0;
  for (size_t r = 0; r < values.size(); ++r) {
    const double ref = std::strtod(want[r].c_str(), nullptr), got = c.num[r];
    if (bits(ref) != bits(got) && ++bad <= 10)
      ADD_FAILURE() << values[r] << ": read " << got << " (bits " << bits(got) << "), strtod " << ref << " (bits "
                    << bits(ref) << ")";
  }
  EXPECT_EQ(bad, 0u);
}

void expect_strtod(const std::vector<std::string>& values) { expect_strtod(values, values); }

std::string printf_double(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

double random_double(std::mt19937_64& rng) {  // any finite double, every exponent equally likely
  for (;;) {
    const double d = [&] {
      const uint64_t b = rng();
      double x;
      std::memcpy(&x, &b, sizeof x);
      return x;
    }();
    if (std::isfinite(d)) return d;
  }
}

std::string digits(std::mt19937_64& rng, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += static_cast<char>('0' + rng() % 10);
  if (s[0] == '0') s[0] = '1';
  return s;
}

}  // namespace

TEST(NumberExact, RandomDoublesIn17DigitsAndShorterReadBackAsStrtod) {
  std::mt19937_64 rng(26);
  std::vector<std::string> v;
  for (int i = 0; i < 4000; ++i) {
    const double d = random_double(rng);
    v.push_back(printf_double("%.17g", d));
    v.push_back(printf_double("%.16g", d));
    v.push_back(printf_double("%.15g", d));
  }
  // Doubles in the range leads have (money, counts, rates), 17 digits and as a fixed decimal.
  std::uniform_real_distribution<double> money(-1e7, 1e7);
  for (int i = 0; i < 4000; ++i) {
    const double d = money(rng);
    v.push_back(printf_double("%.17g", d));
    v.push_back(printf_double("%.6f", d));
  }
  expect_strtod(v);
  // and every %.17g text gives back the double it was printed from
  const Table t = load_column({printf_double("%.17g", 0.1), printf_double("%.17g", 1.0 / 3)});
  EXPECT_EQ(t.columns[0].num[0], 0.1);
  EXPECT_EQ(t.columns[0].num[1], 1.0 / 3);
}

TEST(NumberExact, AdversarialTextsReadAsStrtodReadsThem) {
  std::vector<std::string> v = {
      // the edges of the fast path (15 digits) and just past it
      "999999999999999", "9999999999999999", "99999999999999999", "0.999999999999999", "0.9999999999999999",
      "123456789012345.", "1234567890123456", "9007199254740992", "9007199254740993", "9007199254740993.0",
      "9007199254740994", "9007199254740995", "18014398509481985",
      // halfway between two doubles, and one digit either side of halfway, with long mantissas
      "9007199254740993.00000000000000000000000000000000000000000000000000001",
      "9007199254740992.99999999999999999999999999999999999999999999999999999",
      "0.500000000000000166533453693773481063544750213623046875",
      "0.500000000000000166533453693773481063544750213623046874",
      "0.500000000000000166533453693773481063544750213623046876", "2.2250738585072011e-308", "2.2250738585072012e-308",
      "2.2250738585072014e-308",
      // subnormals, the smallest and the halfway under it
      "4.9406564584124654e-324", "5e-324", "2.4703282292062328e-324", "1e-320", "-1.5e-315",
      "0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001",
      // the largest double and around it; exponents on both sides
      "1.7976931348623157e308", "1.7976931348623158e+308", "179769313486231570000000000000000000000000000000", "1e22",
      "1e23", "8.98846567431158e307", "1E-5", "1e+0", "-0", "-0.0", "0e10", "000000000000000000000000000001.5",
      ".000000000000000000000000000000000000000001", "7.", "+3.25", "123.456e-7", "4.35e15", "-12345678901234567890"};
  // long mantissas: 20 to 800 digits, with a point somewhere and sometimes an exponent
  std::mt19937_64 rng(2611);
  for (size_t len : {20, 25, 40, 100, 300, 800}) {
    for (int i = 0; i < 30; ++i) {
      std::string s = digits(rng, len);
      const size_t point = 1 + rng() % std::min<size_t>(len - 1, 300);  // at most 300 whole digits
      s.insert(point, ".");
      // an exponent that keeps the value finite (10^-330 .. 10^300: subnormals included)
      if (i % 3 == 0) s += "e" + std::to_string(static_cast<int>(rng() % 630) - 330 - static_cast<int>(point));
      v.push_back(s);
    }
  }
  expect_strtod(v);
}

TEST(NumberExact, FormattedNumbersReadAsTheirPlainSpellingByStrtod) {
  // "1.234,5" read with a decimal comma is 1234.5 as strtod reads "1234.5", for long fractions
  // too (the formatted path rebuilds the plain text and parses that).
  std::mt19937_64 rng(2612);
  std::vector<std::string> formatted, plain;
  for (int i = 0; i < 500; ++i) {
    const std::string whole = std::to_string(rng() % 1000000000);
    std::string grouped;
    for (size_t k = 0; k < whole.size(); ++k) {
      if (k && (whole.size() - k) % 3 == 0) grouped += '.';
      grouped += whole[k];
    }
    const std::string frac = digits(rng, 1 + rng() % 19);
    formatted.push_back(grouped + "," + frac);
    plain.push_back(whole + "." + frac);
  }
  expect_strtod(formatted, plain, ',');
}

}  // namespace test_number_exact
