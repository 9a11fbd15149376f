// No shell between nocsim and gnuplot, and nothing in a gnuplot string is ever executed (the
// plot-level tests with hostile labels and paths are in plot_command_test.cc).
#include "tools/gnuplot_process.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "configs/user_error.h"
#include "tests/temp_dir.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;

bool any_marker(const fs::path& dir) {
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().filename().string().rfind("pwned", 0) == 0) return true;
  return false;
}

TEST(GnuplotString, QuotesEverythingVerbatimOnOneLine) {
  EXPECT_EQ(gnuplot_string("a`b`$(c)"), "'a`b`$(c)'");
  EXPECT_EQ(gnuplot_string("it's"), "'it''s'");
  EXPECT_EQ(gnuplot_string("two\nlines\r"), "'two lines '");
}

TEST(GnuplotProcess, RunsWithoutAShellAndReportsItsExitStatus) {
  const auto dir = nocsim::testing::fresh_temp_dir("gnuplot_proc");
  const auto out = dir / "out", err = dir / "err";
  // Backquotes inside a single-quoted gnuplot string are text, so this prints them.
  EXPECT_EQ(
      run_gnuplot("print '`touch " + (dir / "pwned").string() + "`'\n", out.string(), err.string()),
      0);
  EXPECT_FALSE(any_marker(dir));
  std::ifstream in(err);
  std::string printed;
  std::getline(in, printed);
  EXPECT_EQ(printed, "`touch " + (dir / "pwned").string() + "`");
  EXPECT_NE(run_gnuplot("this is not gnuplot\n", out.string(), err.string()), 0);
  EXPECT_THROW(run_gnuplot("", (dir / "no/such/dir").string(), err.string()), UserError);
}

}  // namespace
}  // namespace nocsim::tools
