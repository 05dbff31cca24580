// The JSON and NDJSON readers (json_reader.cpp). Internal to the loader: call load_table.
#pragma once

#include <string_view>

#include "leadscore/table.h"

namespace leadscore::detail {

// Whole text in, table out; `ndjson`: one JSON object per line.
Table read_json(std::string_view text, bool ndjson, const LoadOptions& opts);

}  // namespace leadscore::detail
