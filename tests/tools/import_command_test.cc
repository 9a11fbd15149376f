// `nocsim import`: an ONNX file becomes a model file that loads and gives the same outputs as the
// ONNX file loaded directly; the training record an ONNX file carries in its metadata and nocsim's
// own test accuracy (--eval) end up in the model file; bad options, bad metadata and refused
// networks exit 2 and write nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/dataset.h"
#include "models/model_file.h"
#include "tests/file_text.h"
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

  // A residual network: the add layers and their inputs survive the model file.
  ASSERT_EQ(run_cli({"import", onnx("basic_blocks"), "--out", out_path}, out, err), 0) << err.str();
  EXPECT_EQ(models::load_model(out_path).forward_one(x),
            models::load_model(onnx("basic_blocks")).forward_one(x));

  ASSERT_EQ(run_cli({"import", onnx("mlp_gemm"), "--out", out_path, "--pd-block", "8"}, out, err),
            0)
      << err.str();
  EXPECT_EQ(models::load_model(out_path).layer(0).block_size(), 8);
}

// An ONNX file with metadata_props appended (field 14, StringStringEntryProto {key = 1,
// value = 2}): protobuf merges fields appended to a message, as if the producer had written them.
std::string with_metadata(const std::string& name,
                          const std::vector<std::pair<std::string, std::string>>& props,
                          const std::filesystem::path& dir) {
  std::string out = nocsim::testing::slurp(onnx(name));
  auto field = [](int number, const std::string& value) {
    return std::string(1, static_cast<char>(number << 3 | 2)) + static_cast<char>(value.size()) +
           value;  // lengths below 128: one varint byte
  };
  for (const auto& [key, value] : props) out += field(14, field(1, key) + field(2, value));
  const std::string path = (dir / (name + "_meta.onnx")).string();
  std::ofstream(path, std::ios::binary) << out;
  return path;
}

TEST(ImportCommand, KeepsTheTrainingRecordOfTheOnnxFileAndItsOwnTestAccuracy) {
  const auto dir = nocsim::testing::fresh_temp_dir("import");
  const std::string in = with_metadata("mlp_gemm",
                                       {{"nocsim.training.epochs", "7"},
                                        {"nocsim.training.command", "train.py --seed 3"},
                                        {"nocsim.training.train_seconds", "12.5"},
                                        {"nocsim.training.optimizer", "sgd"},
                                        {"nocsim.training.seed", "3"},
                                        {"producer.own_key", "ignored"}},
                                       dir);
  const std::string out_path = (dir / "m.pb").string();
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"import", in, "--out", out_path, "--eval"}, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("test accuracy "), std::string::npos) << out.str();
  const models::Model m = models::load_model(out_path);
  const config::TrainingRecord& rec = m.training();
  EXPECT_EQ(rec.epochs(), 7);
  EXPECT_EQ(rec.seed(), 3u);
  EXPECT_EQ(rec.optimizer(), "sgd");
  EXPECT_DOUBLE_EQ(rec.train_seconds(), 12.5);
  EXPECT_EQ(rec.command(),
            "train.py --seed 3; nocsim import " + in + " --out " + out_path + " --eval");
  EXPECT_EQ(rec.dataset(), "fashion-mnist");
  const double acc = m.accuracy(models::load_fashion_mnist("", models::Split::kTest));
  EXPECT_NEAR(rec.test_accuracy(), acc, 1e-12);
  EXPECT_GT(acc, 0.0);

  // Without --eval no accuracy is claimed.
  ASSERT_EQ(run_cli({"import", in, "--out", out_path}, out, err), 0) << err.str();
  EXPECT_EQ(models::load_model(out_path).training().test_accuracy(), 0.0);

  const std::string bad = with_metadata("mlp_gemm", {{"nocsim.training.epochs", "seven"}}, dir);
  const std::string bad_out = (dir / "bad.pb").string();
  std::ostringstream out2, err2;
  EXPECT_EQ(run_cli({"import", bad, "--out", bad_out}, out2, err2), 2);
  EXPECT_NE(err2.str().find("metadata_props[0] 'nocsim.training.epochs'"), std::string::npos)
      << err2.str();
  EXPECT_NE(err2.str().find("'seven'"), std::string::npos) << err2.str();
  EXPECT_FALSE(std::filesystem::exists(bad_out));
}

TEST(ImportCommand, ErrorsNameTheProblemAndWriteNothing) {
  const auto dir = nocsim::testing::fresh_temp_dir("import");
  const std::string out_path = (dir / "x.pb").string();
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"import", onnx("wrong_input"), "--out", out_path}, "Fashion-MNIST"},
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
