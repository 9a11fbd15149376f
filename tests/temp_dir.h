#pragma once
// ctest runs every test case as its own process, two at a time, so a fixed folder under /tmp would
// be shared (and wiped) by test cases running side by side. Each gets a folder of its own instead.
#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace nocsim::testing {

// An empty folder, unique to this process and the running test case (when there is one).
inline std::filesystem::path fresh_temp_dir(std::string_view tag) {
  std::string name = "nocsim_" + std::string(tag) + "_" + std::to_string(::getpid());
  if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info())
    name += std::string("_") + info->test_suite_name() + "." + info->name();
  for (char& c : name)
    if (c == '/') c = '_';  // parameterised test names contain '/'
  const auto dir = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace nocsim::testing
