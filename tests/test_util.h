// Shared helpers for the GoogleTest suite: where fixtures and shared data live.
#pragma once
#include <fstream>
#include <sstream>
#include <string>

namespace leadscore::test {

inline std::string source_path(const std::string& rel) { return std::string(LEADSCORE_SOURCE_DIR) + "/" + rel; }
inline std::string shared_path(const std::string& rel) { return std::string(LEADSCORE_SHARED_DIR) + "/" + rel; }

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace leadscore::test
