// The core's one implementation of calendar arithmetic and date text (core/io/dates.h), and the
// public event-day helpers built on it (day_of_ms, day_text, parse_day): leap years, days and
// years before 1970, and the edges of each output form.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "io/dates.h"
#include "leadscore/event_rules.h"

namespace test_dates {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;
using namespace leadscore::detail;

TEST(Dates, DaysFromCivilAroundTheEpoch) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1970, 1, 2), 1);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(1969, 1, 1), -365);
  EXPECT_EQ(days_from_civil(2000, 1, 1), 10957);
  EXPECT_EQ(days_from_civil(2024, 3, 1), 19783);
  EXPECT_EQ(days_from_civil(1900, 1, 1), -25567);
  EXPECT_EQ(days_from_civil(0, 1, 1), -719528);
  EXPECT_EQ(days_from_civil(-1, 12, 31), -719529);           // the day before year 0 (1 BC)
  EXPECT_EQ(days_from_civil(-400, 1, 1), -719528 - 146097);  // a whole 400-year era earlier
  EXPECT_EQ(days_from_civil(9999, 12, 31), 2932896);
}

TEST(Dates, CivilFromDaysInvertsDaysFromCivil) {
  for (int64_t z = -800000; z <= 3000000; z += 997) {
    int64_t y;
    unsigned m, d;
    civil_from_days(z, y, m, d);
    ASSERT_GE(m, 1u);
    ASSERT_LE(m, 12u);
    ASSERT_GE(d, 1u);
    ASSERT_LE(d, days_in_month(y, m));
    ASSERT_EQ(days_from_civil(y, m, d), z) << y << "-" << m << "-" << d;
  }
  int64_t y;
  unsigned m, d;
  civil_from_days(-1, y, m, d);
  EXPECT_EQ(y, 1969);
  EXPECT_EQ(m, 12u);
  EXPECT_EQ(d, 31u);
  civil_from_days(-719529, y, m, d);
  EXPECT_EQ(y, -1);
  EXPECT_EQ(m, 12u);
  EXPECT_EQ(d, 31u);
}

TEST(Dates, LeapYears) {
  EXPECT_TRUE(is_leap_year(2024));
  EXPECT_TRUE(is_leap_year(2000));   // divisible by 400
  EXPECT_FALSE(is_leap_year(1900));  // by 100, not 400
  EXPECT_FALSE(is_leap_year(2023));
  EXPECT_TRUE(is_leap_year(0));
  EXPECT_TRUE(is_leap_year(-4));
  EXPECT_FALSE(is_leap_year(-100));
  EXPECT_TRUE(is_leap_year(-400));
  EXPECT_EQ(days_in_month(2024, 2), 29u);
  EXPECT_EQ(days_in_month(2000, 2), 29u);
  EXPECT_EQ(days_in_month(1900, 2), 28u);
  EXPECT_EQ(days_in_month(2023, 2), 28u);
  EXPECT_EQ(days_in_month(2023, 1), 31u);
  EXPECT_EQ(days_in_month(2023, 4), 30u);
  EXPECT_EQ(days_in_month(2023, 12), 31u);
  EXPECT_EQ(days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 28), 2);
  EXPECT_EQ(days_from_civil(1900, 3, 1) - days_from_civil(1900, 2, 28), 1);
  EXPECT_EQ(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28), 2);
}

TEST(Dates, FormatDayEdges) {
  EXPECT_EQ(format_day(0), "1970-01-01");
  EXPECT_EQ(format_day(-1), "1969-12-31");
  EXPECT_EQ(format_day(days_from_civil(2024, 2, 29)), "2024-02-29");
  EXPECT_EQ(format_day(days_from_civil(1900, 3, 1)), "1900-03-01");
  EXPECT_EQ(format_day(days_from_civil(0, 1, 1)), "0000-01-01");
  EXPECT_EQ(format_day(days_from_civil(9999, 12, 31)), "9999-12-31");
  // Outside four digits: ISO 8601 expanded years, as JavaScript's toISOString.
  EXPECT_EQ(format_day(days_from_civil(10000, 1, 1)), "+010000-01-01");
  EXPECT_EQ(format_day(days_from_civil(-1, 12, 31)), "-000001-12-31");
}

TEST(Dates, FormatDateWithAndWithoutTime) {
  const double day = static_cast<double>(kMsPerDay);
  EXPECT_EQ(format_date(0, false), "1970-01-01");
  EXPECT_EQ(format_date(0, true), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_date(-1, true), "1969-12-31T23:59:59.999Z");  // floor, not truncation
  EXPECT_EQ(format_date(-1, false), "1969-12-31");
  EXPECT_EQ(format_date(-day, true), "1969-12-31T00:00:00Z");
  EXPECT_EQ(format_date(19783 * day + 9 * 3600000.0 + 30 * 60000.0, true), "2024-03-01T09:30:00Z");
  EXPECT_EQ(format_date(19783 * day + 1.0, true), "2024-03-01T00:00:00.001Z");
  EXPECT_EQ(format_date(19783 * day + day - 1000, true), "2024-03-01T23:59:59Z");
  EXPECT_EQ(format_date(std::numeric_limits<double>::quiet_NaN(), true), "");
  EXPECT_EQ(format_date(std::numeric_limits<double>::infinity(), false), "");
}

TEST(Dates, ParseDateToMs) {
  DateParts p;
  double ms = 0;
  ASSERT_TRUE(parse_date("2024-02-29", p));
  ASSERT_TRUE(date_parts_to_ms(p, false, ms));
  EXPECT_EQ(ms, 19782 * static_cast<double>(kMsPerDay));
  ASSERT_TRUE(parse_date("2023-02-29", p));  // ranges only: the day of month is checked next
  EXPECT_FALSE(date_parts_to_ms(p, false, ms));
  ASSERT_TRUE(parse_date("1969-12-31T23:00:00+01:00", p));
  ASSERT_TRUE(date_parts_to_ms(p, false, ms));
  EXPECT_EQ(ms, -2 * 3600000.0);
  ASSERT_TRUE(parse_date("03/04/2024", p));
  EXPECT_EQ(p.form, DateParts::Ambiguous);
  ASSERT_TRUE(date_parts_to_ms(p, false, ms));
  EXPECT_EQ(format_date(ms, false), "2024-03-04");
  ASSERT_TRUE(date_parts_to_ms(p, true, ms));
  EXPECT_EQ(format_date(ms, false), "2024-04-03");
  ASSERT_TRUE(parse_date("1/2/69", p));  // two-digit years: 69 -> 1969
  ASSERT_TRUE(date_parts_to_ms(p, false, ms));
  EXPECT_EQ(format_date(ms, false), "1969-01-02");
}

TEST(Dates, MonthNames) {
  const std::pair<const char*, const char*> cases[] = {
      {"Mar 1, 2024", "2024-03-01"},
      {"March 1 2024", "2024-03-01"},
      {"1 March 2024", "2024-03-01"},
      {"01-Mar-2024", "2024-03-01"},
      {"1-mar-24", "2024-03-01"},
      {"Fri, Mar 1, 2024", "2024-03-01"},
      {"Sept 30, 2023", "2023-09-30"},
      {"DEC. 31, 1999", "1999-12-31"},
      {"May 2nd, 2024", "2024-05-02"},
      {"Mar 1,2024", "2024-03-01"},
      {"Thursday, February 29, 2024", "2024-02-29"},
      {"1 Mar 2024 09:30", "2024-03-01T09:30:00Z"},
      {"Mar 1, 2024, 9:30 PM", "2024-03-01T21:30:00Z"},
  };
  for (const auto& [text, iso] : cases) {
    DateParts p;
    double ms = 0;
    ASSERT_TRUE(parse_date(text, p)) << text;
    EXPECT_EQ(p.form, DateParts::Ymd) << text;  // a month name decides the order
    ASSERT_TRUE(date_parts_to_ms(p, true, ms)) << text;
    EXPECT_EQ(format_date(ms, p.has_time), iso) << text;
  }
  for (const char* text :
       {"Marco 1, 2024", "May 5 release", "Feb 30, 2024x", "1 Smarch 2024", "Mar 32, 2024", "Mar 2024", "Friday"}) {
    DateParts p;
    double ms = 0;
    EXPECT_FALSE(parse_date(text, p) && date_parts_to_ms(p, false, ms)) << text;
  }
}

TEST(Dates, ExcelSerials) {
  double ms = 0;
  bool has_time = true;
  ASSERT_TRUE(excel_serial_to_ms(1, ms, has_time));
  EXPECT_EQ(format_date(ms, true), "1900-01-01T00:00:00Z");
  EXPECT_FALSE(has_time);
  ASSERT_TRUE(excel_serial_to_ms(59, ms, has_time));
  EXPECT_EQ(format_date(ms, false), "1900-02-28");
  EXPECT_FALSE(excel_serial_to_ms(60, ms, has_time));  // Excel's 1900-02-29
  ASSERT_TRUE(excel_serial_to_ms(61, ms, has_time));
  EXPECT_EQ(format_date(ms, false), "1900-03-01");
  ASSERT_TRUE(excel_serial_to_ms(25569.5, ms, has_time));
  EXPECT_EQ(ms, 12 * 3600000.0);
  EXPECT_TRUE(has_time);
  EXPECT_FALSE(excel_serial_to_ms(0.5, ms, has_time));
  EXPECT_FALSE(excel_serial_to_ms(2958466, ms, has_time));  // past 9999-12-31
}

// The public event-day helpers share the same arithmetic.
TEST(Dates, EventDaysUseTheSharedCalendar) {
  EXPECT_EQ(day_of_ms(-1), -1);
  EXPECT_EQ(day_of_ms(0), 0);
  EXPECT_EQ(day_of_ms(static_cast<double>(kMsPerDay) - 1), 0);
  EXPECT_EQ(day_of_ms(-static_cast<double>(kMsPerDay)), -1);
  EXPECT_EQ(day_text(-1), "1969-12-31");
  EXPECT_EQ(day_text(days_from_civil(1900, 2, 28)), "1900-02-28");
  EXPECT_EQ(parse_day("1900-02-29"), std::nullopt);
  EXPECT_EQ(parse_day("2000-02-29"), days_from_civil(2000, 2, 29));
  EXPECT_EQ(parse_day("0000-01-01"), -719528);
  EXPECT_EQ(parse_day("1969-12-31"), -1);
  EXPECT_EQ(parse_day("2024-04-31"), std::nullopt);
  for (long z = -719528; z <= 2932896; z += 1009) ASSERT_EQ(parse_day(day_text(z)), z) << day_text(z);  // 0000..9999
}

}  // namespace test_dates
