// Shared helpers for the GoogleTest suite: where fixtures and shared data live.
#pragma once
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "leadscore/table.h"

namespace leadscore::test {

inline std::string source_path(const std::string& rel) { return std::string(LEADSCORE_SOURCE_DIR) + "/" + rel; }
// The data the suite reads (tests/data: copies of public sets and seeded synthetic ones).
inline std::string data_path(const std::string& rel) {
  return std::string(LEADSCORE_SOURCE_DIR) + "/tests/data/" + rel;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The column found by Table::find (name, header, or normalised header); throws if none.
inline const Column& column(const Table& t, const std::string& name) {
  const int i = t.find(name);
  if (i < 0) throw std::runtime_error("no column " + name);
  return t.columns[static_cast<size_t>(i)];
}

// Deep JSON equality where numbers compare numerically (1 == 1.0). With `null_is_nonfinite`, an
// expected null also matches a non-finite number (JSON.stringify(Infinity) is "null").
inline bool json_same(const nlohmann::json& expected, const nlohmann::json& actual, bool null_is_nonfinite = false) {
  const auto &a = expected, &b = actual;
  if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
  if (null_is_nonfinite && a.is_null() && b.is_number_float()) return !std::isfinite(b.get<double>());
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!json_same(a[i], b[i], null_is_nonfinite)) return false;
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto jt = b.find(it.key());
      if (jt == b.end() || !json_same(it.value(), *jt, null_is_nonfinite)) return false;
    }
    return true;
  }
  return a == b;
}

}  // namespace leadscore::test
