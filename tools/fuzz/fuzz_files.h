#pragma once
// A private folder per fuzzing process, for harnesses whose reader takes a path (scenario and
// sweep files are resolved relative to their own folder).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace nocsim::tools::fuzz {

inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("nocsim_fuzz_" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

inline std::string write_scratch(const std::string& name, const std::string& bytes) {
  const auto path = scratch_dir() / name;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  return path.string();
}

}  // namespace nocsim::tools::fuzz
