// Text as the case- and accent-insensitive operators compare it (ls:same, ls:in): ASCII letters
// and the Latin letters U+00C0..U+024F lower-cased with their accents dropped ("CEO", "ceo",
// "Zoë", "ZOE" all match); every other character is compared as it is. Internal to the core.
#pragma once

#include <string>
#include <string_view>

namespace leadscore::detail {

std::string fold_text(std::string_view s);
// The same into `out` (its buffer reused: no allocation per text once it is large enough).
void fold_text_into(std::string_view s, std::string& out);

}  // namespace leadscore::detail
