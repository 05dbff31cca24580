// Dates and times as the core reads and prints them: the cell-text date parser, proleptic
// Gregorian day arithmetic (days since 1970-01-01, UTC), Excel serials, and ISO 8601 output.
// Every place that turns days or milliseconds into calendar dates (the loader, event days,
// exports) goes through these. Internal to the core.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace leadscore::detail {

constexpr int64_t kMsPerDay = 86400000;

// A date/time as written, before the M/D/Y vs D/M/Y decision for slash dates.
struct DateParts {
  enum Form : uint8_t { Ymd, Dmy, Ambiguous } form = Ymd;  // Ambiguous: a/b/y with a, b <= 31
  int y = 0, a = 0, b = 0;  // Ymd/Dmy: a = month, b = day already resolved; Ambiguous: raw
  int h = 0, mi = 0, s = 0, ms = 0;
  bool has_time = false;
  int tz_minutes = 0;  // offset east of UTC; times without a zone are UTC
};
// Recognises: 2024-03-01, 2024/03/01, 2024-03-01T09:30, 2024-03-01 09:30:00, fractional seconds,
// Z / +02:00 / +0200 / +02 / " UTC", 03/04/2024 and 3/4/24 (ambiguous), 03-04-2024 (ambiguous),
// 01.03.2024 (D.M.Y), month names ("Mar 1, 2024", "1 March 2024", "01-Mar-24", "Fri, Mar 1,
// 2024"), and an optional " AM"/" PM" after a time. Two-digit years: 00-68 -> 20xx,
// 69-99 -> 19xx (POSIX strptime). Validates field ranges only; day-of-month is checked by
// date_parts_to_ms.
bool parse_date(std::string_view s, DateParts& out);
// Milliseconds since the epoch (UTC). `dmy` decides Ambiguous parts. False if the date is invalid.
bool date_parts_to_ms(const DateParts& p, bool dmy, double& ms);
// Excel serial day number (1 = 1900-01-01, 25569 = 1970-01-01; 60 is Excel's non-existent
// 1900-02-29 and is rejected). Fractions are times of day.
bool excel_serial_to_ms(double serial, double& ms, bool& has_time);

// Days since 1970-01-01 for a proleptic Gregorian date, and back (H. Hinnant's algorithms).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d);
bool is_leap_year(int64_t y);
// 28..31; `m` is 1..12.
unsigned days_in_month(int64_t y, unsigned m);

// "2024-03-01" for a day number. Years outside 0000..9999 take ISO 8601's expanded form with a
// sign and six digits ("+010000-01-01", "-000001-12-31"), as JavaScript's toISOString does.
std::string format_day(int64_t day);
// format_day of the day holding `ms` or, with time, "2024-03-01T09:30:00Z" (".sss" only when
// the milliseconds are non-zero). "" when ms is not finite.
std::string format_date(double ms, bool with_time);

}  // namespace leadscore::detail
