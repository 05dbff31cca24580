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
// Every text of a dictionary folded (TextDictionary's layout: the texts back to back in `all`,
// entry e ending at ends[e]) into `text`, entry e of it ending at out_ends[e]: one pass over all
// the texts, ASCII 8 bytes at a time, instead of a fold per text. Equal to fold_text per entry.
void fold_all_into(std::string_view all, const uint32_t* ends, size_t count, std::string& text,
                   std::vector<uint32_t>& out_ends);

}  // namespace leadscore::detail
