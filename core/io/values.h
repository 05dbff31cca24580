// Numbers and booleans as text: the cell parsers the loader types columns with, and the one
// JavaScript-compatible number formatter every part of the core prints numbers with (cell
// text, CSV export, JsonLogic's String(x), numeric lead-id matching). Internal to the core.
#pragma once

#include <string>
#include <string_view>

namespace leadscore::detail {

// JS-like decimal: optional sign, digits, optional fraction, optional exponent, surrounding
// whitespace allowed. Rejects "", "1,234", "0x1F", "Infinity", "NaN", "1e999" (not finite).
bool parse_number(std::string_view s, double& out);

// yes/no/true/false/y/n (ASCII case-insensitive, trimmed) -> 1/0; with allow01 also "1"/"0".
// Returns -1 when the text is none of those.
int parse_bool(std::string_view s, bool allow01);

// ECMA-262 Number::toString(10), as JavaScript's String(x): the shortest digits that read back
// as v, the closest to v when several do; 1.5 -> "1.5", 3 -> "3", -0 -> "0", 1e21 -> "1e+21",
// 1e-7 -> "1e-7", NaN -> "NaN", Infinity -> "Infinity".
std::string format_number(double v);

}  // namespace leadscore::detail
