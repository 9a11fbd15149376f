// `nocsim trace convert`: text <-> binary <-> BookSim through the CLI, and bad input named.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tools/command.h"

#include "tests/file_text.h"
#include "tests/temp_dir.h"
#include "tests/tools/cli_test_util.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;

using nocsim::testing::slurp;

const char* kHandMade =
    "nocsim-trace text 1\n"
    "# a weight packet, a multicast activation packet to three tiles, an output\n"
    "kinds weights activations output\n"
    "40 5 0 2 1 output\n"
    "0 0 5 9 0 weights\n"  // out of order: refused (text traces are in cycle order)
    "end 2\n";

TEST(TraceCommand, ConvertsTextToBinaryToBooksimAndBack) {
  const fs::path dir = nocsim::testing::fresh_temp_dir("trace_convert");
  const fs::path txt = dir / "hand.txt";
  const std::string text =
      "nocsim-trace text 1\n"
      "kinds weights activations output\n"
      "0 0 5 9 0 weights\n"
      "12 4 1,2,15 5 1 activations\n"
      "40 5 0 2 1 output\n"
      "end 3\n";
  std::ofstream(txt) << text;
  std::string out, err;
  ASSERT_EQ(cli({"trace", "convert", txt.string(), (dir / "hand.trace").string()}, &out, &err), 0)
      << err;
  EXPECT_NE(out.find("converted 3 packets (16 flits, 5 deliveries)"), std::string::npos) << out;
  ASSERT_EQ(cli({"trace", "convert", (dir / "hand.trace").string(), (dir / "b.booksim").string()},
                &out, &err),
            0)
      << err;
  EXPECT_EQ(slurp(dir / "b.booksim"), "0 0 5 9\n12 4 1 5\n12 4 2 5\n12 4 15 5\n40 5 0 2\n");
  ASSERT_EQ(cli({"trace", "convert", (dir / "hand.trace").string(), (dir / "back.out").string(),
                 "--to=text"},
                &out, &err),
            0)
      << err;
  const std::string back = slurp(dir / "back.out");
  EXPECT_NE(back.find("12 4 1,2,15 5 1 activations\n40 5 0 2 1 output\nend 3\n"), std::string::npos)
      << back;
  // text -> binary -> text -> binary: the same bytes.
  ASSERT_EQ(cli({"trace", "convert", (dir / "back.out").string(), (dir / "again.trace").string(),
                 "--to", "binary"},
                &out, &err),
            0)
      << err;
  EXPECT_EQ(slurp(dir / "again.trace"), slurp(dir / "hand.trace"));
  fs::remove_all(dir);
}

TEST(TraceCommand, BadInputIsAnErrorNamingFileLineAndField) {
  const fs::path dir = nocsim::testing::fresh_temp_dir("trace_convert_bad");
  std::ofstream(dir / "bad.txt") << kHandMade;
  std::string out, err;
  EXPECT_EQ(
      cli({"trace", "convert", (dir / "bad.txt").string(), (dir / "o.trace").string()}, &out, &err),
      2);
  EXPECT_NE(err.find("bad.txt:5: field 'cycle': 0 is before the previous record's 40"),
            std::string::npos)
      << err;
  EXPECT_FALSE(fs::exists(dir / "o.trace"));
  EXPECT_EQ(cli({"trace", "convert", (dir / "missing.txt").string(), (dir / "o.trace").string()},
                &out, &err),
            2);
  EXPECT_NE(err.find("missing.txt"), std::string::npos) << err;
  EXPECT_EQ(
      cli({"trace", "convert", (dir / "bad.txt").string(), (dir / "o").string(), "--to", "netrace"},
          &out, &err),
      2);
  EXPECT_NE(err.find("unknown trace format 'netrace'"), std::string::npos) << err;
  EXPECT_EQ(cli({"trace", "shuffle", "a", "b"}, &out, &err), 2);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace nocsim::tools
