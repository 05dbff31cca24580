// Numbers as CRMs and spreadsheets write them: "1,234", "$1,200.50", "12,5", "1.234,5 €",
// "45 %", "(1,200)". A column is read with one format, detected from all of its distinct values
// (the per-column decision and its evidence are reported), and identifier-like columns (zip
// codes, phone numbers, long digit strings) are recognised so that they stay text.
// Internal to the core (the loader's typing step, core/io/columns.cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leadscore::detail {

struct NumberFormat {
  char decimal = '.';      // '.' or ','
  char thousands = 0;      // ',', '.', ' ' (also no-break spaces), '\'' or 0 when none was seen
  std::string currency;    // the one currency symbol or code seen ("$", "EUR"), or ""
  bool percent = false;    // some values end in '%' (read as written: "45 %" is 45)
  bool ambiguous = false;  // values like "1,234" read either way; `decimal` came from the default
  std::string example;     // a value that needed the format, as written (for the message)
};

// Reads every text in `texts` (the distinct non-missing values of a column) as a number under one
// format: decimal point or comma, a thousands separator, one currency symbol/code before or after,
// a trailing percent sign, a sign or accounting parentheses. `decimal` forces the decimal
// separator ('.' or ','; 0 = decide from the values, then from `default_decimal`). Returns false
// when some text reads under no format (out is then unspecified); plain JS-style numbers read
// under every format, so a column needs the format only when parse_number failed on some value.
bool read_formatted_numbers(const std::vector<std::string_view>& texts, char decimal, char default_decimal,
                            NumberFormat& format, std::vector<double>& out);

// One text under a known format (for cells of a column declared "number"). False if it does not fit.
bool parse_formatted_number(std::string_view text, const NumberFormat& format, double& out);

// Why a column of number-like values should stay text, or "" when it need not: values with
// leading zeros ("02139", "007"), integers above 2^53 (beyond what a double keeps exactly), '+'-prefixed digit strings
// (phone numbers), or a header that names a phone number or postal code. `example` receives the value that decided it
// (empty for a header).
std::string identifier_reason(std::string_view header, const std::vector<std::string_view>& texts,
                              std::string& example);

// "thousands separator \",\", decimal comma, currency \"€\"" — the format in words for messages.
std::string describe(const NumberFormat& format);

}  // namespace leadscore::detail
