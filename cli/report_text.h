// Plain-text renderings of the metrics reports for the CLI (`leadscore evaluate`, `compare`).
// They read the same JSON the JS API returns, so the two never disagree.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace leadscore {

std::string outcomes_text(const nlohmann::json& outcomes_info);
std::string evaluation_text(const nlohmann::json& evaluation);
std::string comparison_text(const nlohmann::json& comparison);

}  // namespace leadscore
