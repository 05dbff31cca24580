// Limits and input checks (docs/limits.md): what the core refuses to read, and the checks that
// turn hostile or mislabelled input (an Excel workbook renamed .csv, UTF-16 text, invalid UTF-8,
// NUL bytes, absurdly deep JSON) into a clear error or a load note instead of a crash, a hang or
// garbage. Each limit fails with a message that names the limit and says what to do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace leadscore {

// Defaults of the LoadOptions limits (table.h) and of the rule-set limits (rules.h).
constexpr size_t kMaxCellBytes = 1u << 20;          // one CSV cell / JSON value: 1 MiB
constexpr size_t kMaxColumns = 16384;               // Excel's own column limit
constexpr size_t kMaxJsonDepth = 1000;              // nesting of any JSON document the core reads
constexpr uint64_t kBrowserMaxBytes = 1ull << 30;   // input size the WebAssembly build accepts (1 GiB)
constexpr uint64_t kMaxRuleSetBytes = 64ull << 20;  // a rule set, or another JSON document read whole (64 MiB)
constexpr size_t kMaxBins = 10000;                  // histogram bins a caller may ask for

// The rule-set text limit, checked before parsing: "the rule set is larger than 64 MiB, ...".
// `what` names the document ("the rule set", "the JsonLogic data").
std::string too_large_message(const std::string& what, uint64_t size);

// Deepest nesting of [ and { in JSON text (strings skipped; no validation). Stops counting once
// `limit` is passed and then sets *at to the byte offset of the bracket that passed it.
size_t json_text_depth(std::string_view text, size_t limit, size_t* at);
// Deepest nesting of arrays/objects in a JSON value, without recursion; stops past `limit`.
size_t json_depth(const nlohmann::json& v, size_t limit);

// "1 MiB", "16,384", ...: numbers in limit messages.
std::string format_count(uint64_t n);
std::string format_bytes(uint64_t n);

namespace detail {

struct RawColumn;
struct ColumnNaming;
class ProblemSink;

// What the first bytes of an input say it is when it is not CSV/JSON text: "an Excel workbook
// (.xlsx)", "UTF-16 text", ...; "" when it looks like text. `head` = the first bytes seen.
// Sets *code to "format" (a file of another kind) or "encoding" (text in an encoding leadscore
// does not read).
std::string sniff_binary(std::string_view head, const char** code, std::string* advice);

// True when s is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool valid_utf8(std::string_view s);
// Reads bytes as Windows-1252 (what Excel writes for "CSV (Comma delimited)" on Windows) into
// UTF-8. Reversible: the five bytes Windows-1252 leaves undefined map to U+0081.. like browsers do.
std::string windows1252_to_utf8(std::string_view s);
// For messages only: invalid UTF-8 bytes become U+FFFD.
std::string utf8_for_message(std::string_view s);

// The checks on raw columns before they are typed (CSV and JSON readers):
// - headers: longer than max_cell_bytes or a NUL byte is an error; invalid UTF-8 is read as
//   Windows-1252 (with a note);
void check_headers(std::vector<RawColumn>& raw, size_t header_line, size_t max_cell_bytes, ProblemSink& ps);
// - cells: longer than max_cell_bytes is an error; in CSV (`text_checks`) a NUL byte is an error
//   and invalid UTF-8 is read as Windows-1252, with one note per column saying where and how often.
// `row_line` gives each row's input line; errors say line, column (1-based index) and field.
void check_cells(std::vector<RawColumn>& raw, const std::vector<ColumnNaming>& names,
                 const std::vector<size_t>& row_line, size_t max_cell_bytes, bool text_checks, ProblemSink& ps);

}  // namespace detail
}  // namespace leadscore
