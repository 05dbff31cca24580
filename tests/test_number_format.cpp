// detail::format_number (core/io/values.h), the one number-to-text of the core: JavaScript's
// String(x) for cell text, CSV export, lead-id matching and JsonLogic alike. Checks the forms
// ECMA-262 Number::toString chooses between and the shortest-closest digit choice.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "io/values.h"
#include "leadscore/jsonlogic.h"

namespace test_number_format {  // own namespace: the unity build compiles several test files as one

using leadscore::detail::format_number;

TEST(NumberFormat, IntegersAndSpecials) {
  EXPECT_EQ(format_number(0), "0");
  EXPECT_EQ(format_number(-0.0), "0");
  EXPECT_EQ(format_number(3), "3");
  EXPECT_EQ(format_number(-42), "-42");
  EXPECT_EQ(format_number(9007199254740991.0), "9007199254740991");
  EXPECT_EQ(format_number(9007199254740992.0), "9007199254740992");
  EXPECT_EQ(format_number(1e20), "100000000000000000000");
  EXPECT_EQ(format_number(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(format_number(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(format_number(-std::numeric_limits<double>::infinity()), "-Infinity");
}

TEST(NumberFormat, DecimalAndExponentForms) {
  EXPECT_EQ(format_number(1.5), "1.5");
  EXPECT_EQ(format_number(-0.75), "-0.75");
  EXPECT_EQ(format_number(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(format_number(123456.789), "123456.789");
  EXPECT_EQ(format_number(1e21), "1e+21");
  EXPECT_EQ(format_number(1.5e21), "1.5e+21");
  EXPECT_EQ(format_number(0.000001), "0.000001");
  EXPECT_EQ(format_number(1e-7), "1e-7");
  EXPECT_EQ(format_number(-1.25e-7), "-1.25e-7");
  EXPECT_EQ(format_number(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(format_number(5e-324), "5e-324");  // subnormal: one digit
  EXPECT_EQ(format_number(2.2250738585072014e-308), "2.2250738585072014e-308");
}

// At a power of two the round-trip interval is narrower below the value than above it, so the
// correctly rounded 16 digits can miss while the 16-digit neighbour above reads back: JavaScript
// prints that neighbour, not 17 digits.
TEST(NumberFormat, ClosestShortestAtPowersOfTwo) {
  EXPECT_EQ(format_number(std::ldexp(1.0, -1017)), "7.120236347223045e-307");
  EXPECT_EQ(format_number(std::ldexp(1.0, -957)), "8.209073602596753e-289");
}

TEST(NumberFormat, JsonLogicPrintsNumbersTheSameWay) {
  for (double v : {0.1, 1e21, 1e-7, -3.0, std::ldexp(1.0, -1017), 123.456})
    EXPECT_EQ(leadscore::jsonlogic::number_to_string(v), format_number(v));
}

}  // namespace test_number_format
