#pragma once
// Test helper: a file's whole contents, byte for byte ("" when it cannot be read; the caller's
// expectations on the text then fail and say so).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace nocsim::testing {

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace nocsim::testing
