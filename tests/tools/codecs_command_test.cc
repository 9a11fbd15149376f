#include <gtest/gtest.h>

#include <sstream>

#include "tools/command.h"

namespace nocsim::tools {
namespace {

TEST(CodecsCommand, ListsEveryBuiltInWithParametersDefaultsAndRanges) {
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"codecs"}, out, err), 0) << err.str();
  const std::string s = out.str();
  for (const char* name : {"identity - ", "fp16 - ", "bf16 - ", "truncate - ", "quant - ",
                           "kmeans - ", "prune - ", "bfp - ", "huffman - "}) {
    EXPECT_NE(s.find(name), std::string::npos) << name;
  }
  EXPECT_NE(s.find("granularity"), std::string::npos);
  EXPECT_NE(s.find("one of tensor|block"), std::string::npos);
  EXPECT_NE(s.find("int in [1, 16]"), std::string::npos);
}

TEST(CodecsCommand, TryReportsSizeAndError) {
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"codecs", "--try", "quant:bits=4", "--weights", "10000"}, out, err), 0)
      << err.str();
  EXPECT_NE(out.str().find("bits/weight     4.0048"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("rmse"), std::string::npos);
}

TEST(CodecsCommand, BadSpecsAndPluginsAreErrorsNamingTheField) {
  std::ostringstream out, err;
  EXPECT_EQ(run_cli({"codecs", "--try", "quant:bits=99"}, out, err), 2);
  EXPECT_NE(err.str().find("--try.stages[0].params[bits]"), std::string::npos) << err.str();
  std::ostringstream out2, err2;
  EXPECT_EQ(run_cli({"codecs", "--plugin", "/nonexistent.so"}, out2, err2), 2);
  EXPECT_NE(err2.str().find("does not exist"), std::string::npos) << err2.str();
}

TEST(CodecsCommand, LoadsAPluginAndListsItsCodec) {
  std::ostringstream out, err;
  const std::string lib =
      std::string(NOCSIM_BINARY_DIR) + "/compression/examples/libnocsim_example_codec.so";
  ASSERT_EQ(run_cli({"codecs", "--plugin", lib}, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("example_binary - "), std::string::npos);
}

}  // namespace
}  // namespace nocsim::tools
