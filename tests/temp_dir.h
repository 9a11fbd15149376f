#pragma once
// ctest runs every test case as its own process, two at a time, so a fixed folder under /tmp would
// be shared (and wiped) by test cases running side by side. Each gets a folder of its own instead,
// removed when the process ends with every test passed (a failed test's folder stays, to look at;
// without the removal every run of the suite left some 100 folders behind).
#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <gtest/gtest.h>

namespace nocsim::testing {

namespace detail {

class TempDirs {
 public:
  TempDirs() = default;
  TempDirs(const TempDirs&) = delete;
  TempDirs& operator=(const TempDirs&) = delete;
  // Runs after main() has returned. GoogleTest's UnitTest is a function-local static created
  // before this one (fresh_temp_dir runs inside the tests), so it is destroyed after it.
  ~TempDirs() {
    if (!::testing::UnitTest::GetInstance()->Passed()) return;
    std::error_code ec;
    for (const auto& d : dirs_) std::filesystem::remove_all(d, ec);
  }
  void add(const std::filesystem::path& d) { dirs_.push_back(d); }

 private:
  std::vector<std::filesystem::path> dirs_;
};

inline TempDirs& temp_dirs() {
  static TempDirs dirs;
  return dirs;
}

}  // namespace detail

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
  detail::temp_dirs().add(dir);
  return dir;
}

}  // namespace nocsim::testing
