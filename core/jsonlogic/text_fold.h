// Text as the case- and accent-insensitive operators compare it (ls:same, ls:in): ASCII letters
// and the Latin letters U+00C0..U+024F lower-cased with their accents dropped ("CEO", "ceo",
// "Zoë", "ZOE" all match); every other character is compared as it is. Internal to the core.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leadscore::detail {

std::string fold_text(std::string_view s);
// The same into `out` (its buffer reused: no allocation per text once it is large enough).
void fold_text_into(std::string_view s, std::string& out);
// The same appended to `out`. ASCII runs are lowered 8 bytes at a time.
void fold_text_append(std::string_view s, std::string& out);

}  // namespace leadscore::detail
