// `nocsim import`: an ONNX file becomes a model file that loads and gives the same outputs as the
// ONNX file loaded directly; bad options and refused networks exit 2 and write nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "models/model_file.h"
#include "tests/temp_dir.h"
#include "tools/command.h"

namespace nocsim::tools {
namespace {

std::string onnx(const std::string& name) {
  return std::string(NOCSIM_SOURCE_DIR) + "/tests/data/onnx/" + name + ".onnx";
}

TEST(ImportCommand, WritesAModelFileThatMatchesTheOnnxFile) {
  const auto dir = nocsim::testing::fresh_temp_dir("import");
  const std::string out_path = (dir / "pd.pb").string();
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"import", onnx("permuted_diagonal"), "--out", out_path}, out, err), 0)
      << err.str();
  EXPECT_NE(out.str().find("pd_dense fc1 p=4"), std::string::npos) << out.str();
  const models::Model a = models::load_model(out_path);
  const models::Model b = models::load_model(onnx("permuted_diagonal"));
  std::vector<float> x(784);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 7) / 7.0f;
  EXPECT_EQ(a.forward_one(x), b.forward_one(x));

  ASSERT_EQ(run_cli({"import", onnx("mlp_gemm"), "--out", out_path, "--pd-block", "8"}, out, err),
            0)
      << err.str();
  EXPECT_EQ(models::load_model(out_path).layer(0).block_size(), 8);
}

TEST(ImportCommand, ErrorsNameTheProblemAndWriteNothing) {
  const auto dir = nocsim::testing::fresh_temp_dir("import");
  const std::string out_path = (dir / "x.pb").string();
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"import", onnx("residual"), "--out", out_path}, "residual graphs are not supported"},
      {{"import", onnx("sigmoid"), "--out", out_path}, "unsupported op type 'Sigmoid'"},
      {{"import", onnx("mlp_gemm")}, "--out"},
      {{"import", "--out", out_path}, "MODEL.onnx"},
      {{"import", onnx("mlp_gemm"), "--out", out_path, "--pd-block", "x"}, "--pd-block"},
      {{"import", onnx("mlp_gemm"), "--out", out_path, "--bogus"}, "--bogus"},
  };
  for (const auto& c : cases) {
    std::ostringstream out, err;
    EXPECT_EQ(run_cli(c.args, out, err), 2) << c.message;
    EXPECT_NE(err.str().find(c.message), std::string::npos) << err.str();
    EXPECT_FALSE(std::filesystem::exists(out_path)) << c.message;
  }
}

}  // namespace
}  // namespace nocsim::tools
