// compression/README.md shows the whole file of a small codec in "Add a codec"; this keeps that
// copy identical to the real file.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

namespace {

std::string slurp(const std::string& rel) {
  std::ifstream in(std::string(NOCSIM_SOURCE_DIR) + "/" + rel);
  EXPECT_TRUE(in.good()) << rel;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(CompressionReadme, AddACodecShowsTheWholeCurrentBf16File) {
  const std::string readme = slurp("compression/README.md");
  const std::string file = slurp("compression/codecs/bf16.cc");
  ASSERT_GT(file.size(), 500u);
  EXPECT_NE(readme.find("```c++\n" + file + "```"), std::string::npos)
      << "update the bf16.cc listing in compression/README.md";
}

}  // namespace
