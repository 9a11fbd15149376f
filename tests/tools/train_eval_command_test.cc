// `nocsim train` and `nocsim eval` end to end on a small Fashion-MNIST copy (the first test images,
// written as gzip IDX files into a temp folder and passed with --data, so the test stays fast):
// the written model file carries its training record, the same seed remakes the same weights, and
// bad options fail with the option named and no file written; --init starts from a file's weights
// (a projection onto PD blocks, fine-tuned).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "models/dataset.h"
#include "models/model_file.h"
#include "models/weight_mask.h"
#include "tests/file_text.h"
#include "tests/temp_dir.h"
#include "tools/command.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;

void write_gzip(const fs::path& path, const std::string& bytes) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  boost::iostreams::filtering_ostream out;
  out.push(boost::iostreams::gzip_compressor());
  out.push(file);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

// Images [begin, begin + n) of the real test split as an IDX pair named `stem`-*.gz in `dir`.
void write_split(const models::Dataset& src, int begin, int n, const fs::path& dir,
                 const std::string& stem) {
  std::string images = be32(0x803) + be32(n) + be32(28) + be32(28);
  std::string labels = be32(0x801) + be32(n);
  for (int i = begin; i < begin + n; ++i) {
    for (int j = 0; j < 784; ++j)
      images += static_cast<char>(static_cast<uint8_t>(src.pixels[i * 784 + j] * 255.0f + 0.5f));
    labels += static_cast<char>(src.labels[i]);
  }
  write_gzip(dir / (stem + "-images-idx3-ubyte.gz"), images);
  write_gzip(dir / (stem + "-labels-idx1-ubyte.gz"), labels);
}

class TrainEvalCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = nocsim::testing::fresh_temp_dir("train_eval");
    const models::Dataset test = models::load_fashion_mnist("", models::Split::kTest);
    write_split(test, 0, 1500, dir_, "train");
    write_split(test, 1500, 500, dir_, "t10k");
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static int train(const std::string& out_name, const std::vector<std::string>& extra,
                   std::string* text = nullptr, std::string* error = nullptr) {
    std::vector<std::string> args{"train",    "--arch", "pd_mlp",  "--hidden", "32",   "--p",  "4",
                                  "--epochs", "3",      "--batch", "50",       "--lr", "0.005"};
    for (const std::string& a :
         {std::string("--data"), dir_.string(), std::string("--out"), (dir_ / out_name).string()})
      args.push_back(a);
    args.insert(args.end(), extra.begin(), extra.end());
    std::ostringstream out, err;
    const int rc = run_cli(args, out, err);
    if (text != nullptr) *text = out.str();
    if (error != nullptr) *error = err.str();
    return rc;
  }

  static fs::path dir_;
};

fs::path TrainEvalCommand::dir_;

std::vector<float> all_parameters(const models::Model& m) {
  std::vector<float> w;
  for (int i = 0; i < m.num_layers(); ++i) {
    const auto lw = m.layer(i).weights();
    const auto lb = m.layer(i).bias();
    w.insert(w.end(), lw.begin(), lw.end());
    w.insert(w.end(), lb.begin(), lb.end());
  }
  return w;
}

TEST_F(TrainEvalCommand, TrainWritesAModelFileWithItsTrainingRecordAndEvalAgrees) {
  std::string text, error;
  ASSERT_EQ(train("a.pb", {"--seed", "3"}, &text, &error), 0) << error;
  EXPECT_NE(text.find("epoch   1/3"), std::string::npos) << text;
  EXPECT_NE(text.find("epoch   3/3"), std::string::npos) << text;
  EXPECT_NE(text.find("wrote "), std::string::npos) << text;

  const models::Model m = models::load_model((dir_ / "a.pb").string());
  EXPECT_EQ(m.architecture(), "pd_mlp");
  for (int i = 0; i < m.num_layers(); ++i) {
    if (m.layer(i).kind() == "pd_dense") {
      EXPECT_EQ(m.layer(i).block_size(), 4);
    }
  }
  const config::TrainingRecord& rec = m.training();
  EXPECT_EQ(rec.dataset(), "fashion-mnist");
  EXPECT_EQ(rec.epochs(), 3);
  EXPECT_EQ(rec.seed(), 3u);
  EXPECT_EQ(rec.batch_size(), 50);
  EXPECT_NE(rec.command().find("nocsim train --arch pd_mlp"), std::string::npos);
  EXPECT_NE(rec.command().find("--seed 3"), std::string::npos);
  EXPECT_GT(rec.test_accuracy(), 0.5);  // 1,500 images, 3 epochs; chance is 0.1
  EXPECT_GT(rec.train_seconds(), 0.0);

  std::ostringstream out, err;
  ASSERT_EQ(
      run_cli({"eval", "--model", (dir_ / "a.pb").string(), "--data", dir_.string()}, out, err), 0)
      << err.str();
  double accuracy = -1;
  int images = 0;
  const size_t at = out.str().find("test accuracy ");
  ASSERT_NE(at, std::string::npos) << out.str();
  std::sscanf(out.str().c_str() + at, "test accuracy %lf%% on %d images", &accuracy, &images);
  EXPECT_EQ(images, 500);
  EXPECT_NEAR(accuracy, 100 * rec.test_accuracy(), 0.006);  // printed with two decimals
}

using nocsim::testing::slurp;

// The real binary with stderr in a file: batches as plain lines, none with -q.
TEST_F(TrainEvalCommand, TrainReportsBatchesOnStderrUnlessQuiet) {
  const std::string cmd = std::string(NOCSIM_BINARY_DIR) +
                          "/tools/nocsim train --arch pd_mlp --hidden 32 --epochs 2 --batch 50 "
                          "--data " +
                          dir_.string() + " --out " + (dir_ / "p.pb").string();
  const fs::path err = dir_ / "train.err", out = dir_ / "train.out";
  ASSERT_EQ(std::system((cmd + " > " + out.string() + " 2> " + err.string()).c_str()), 0)
      << slurp(err);
  EXPECT_NE(slurp(err).find("train: training done in "), std::string::npos) << slurp(err);
  EXPECT_NE(slurp(err).find("(epoch 2/2, batch 30/30)"), std::string::npos) << slurp(err);
  EXPECT_NE(slurp(err).find("train: accuracy done in "), std::string::npos) << slurp(err);
  EXPECT_EQ(slurp(out).find("done in"), std::string::npos) << slurp(out);
  ASSERT_EQ(std::system((cmd + " -q > " + out.string() + " 2> " + err.string()).c_str()), 0);
  EXPECT_EQ(slurp(err), "");
}

TEST_F(TrainEvalCommand, SameSeedRemakesTheSameWeightsAndAnotherSeedDoesNot) {
  ASSERT_EQ(train("s1.pb", {"--seed", "5", "--max-steps", "10"}), 0);
  ASSERT_EQ(train("s2.pb", {"--seed", "5", "--max-steps", "10"}), 0);
  ASSERT_EQ(train("s3.pb", {"--seed", "6", "--max-steps", "10"}), 0);
  const auto w1 = all_parameters(models::load_model((dir_ / "s1.pb").string()));
  const auto w2 = all_parameters(models::load_model((dir_ / "s2.pb").string()));
  const auto w3 = all_parameters(models::load_model((dir_ / "s3.pb").string()));
  EXPECT_EQ(w1, w2);
  EXPECT_NE(w1, w3);
}

TEST_F(TrainEvalCommand, PruningKeepsEachLayersShareAndRecordsTheDensity) {
  std::string text, error;
  ASSERT_EQ(train("pruned.pb",
                  {"--arch", "mlp", "--prune-density", "0.25", "--prune-rounds", "2",
                   "--prune-epochs", "1"},
                  &text, &error),
            0)
      << error;
  EXPECT_NE(text.find("prune  1/2  density 0.5000"), std::string::npos) << text;
  EXPECT_NE(text.find("prune  2/2  density 0.2500"), std::string::npos) << text;
  const models::Model m = models::load_model((dir_ / "pruned.pb").string());
  int pruned = 0;
  for (int i = 0; i < m.num_layers(); ++i) {
    const models::Layer& l = m.layer(i);
    if (l.kind() != "dense") continue;
    ++pruned;
    EXPECT_DOUBLE_EQ(l.density(), 0.25);
    EXPECT_EQ(models::count_non_zeros(l.weights()), std::llround(0.25 * l.num_weights()));
  }
  EXPECT_EQ(pruned, 2);
  EXPECT_EQ(m.training().epochs(), 3 + 2 * 1);  // training, then one epoch per round
  EXPECT_NE(m.training().command().find("--prune-density 0.25"), std::string::npos);
}

TEST_F(TrainEvalCommand, EvalPrintsAZooModelInItsForm) {
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"eval", "--zoo", "alexnet_fc", "--density", "0.25"}, out, err), 0)
      << err.str();
  EXPECT_NE(out.str().find("density"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("fc6              dense      9216x   1x   1 4096x   1x   1  0  0  0     "
                           "1   0.2500   37748736"),
            std::string::npos)
      << out.str();
  std::ostringstream pd, pd_err;
  ASSERT_EQ(run_cli({"eval", "--zoo", "vgg16_fc", "--block-size", "8"}, pd, pd_err), 0);
  EXPECT_NE(pd.str().find("fc6              pd_dense   25088x"), std::string::npos) << pd.str();
  EXPECT_NE(pd.str().find("  8   1.0000   12845056"), std::string::npos) << pd.str();
  std::ostringstream bad, bad_err;
  EXPECT_NE(run_cli({"eval", "--zoo", "alexnet_fc", "--block-size", "1"}, bad, bad_err), 0);
  EXPECT_NE(bad_err.str().find("model.block_size"), std::string::npos) << bad_err.str();
}

// `nocsim train --init FILE` (no architecture options) on the small data set.
int train_init(const fs::path& dir, const std::string& init, const std::string& out_name,
               const std::vector<std::string>& extra, std::string* error = nullptr) {
  std::vector<std::string> args{"train",      "--init", init,
                                "--batch",    "50",     "--data",
                                dir.string(), "--out",  (dir / out_name).string()};
  args.insert(args.end(), extra.begin(), extra.end());
  std::ostringstream out, err;
  const int rc = run_cli(args, out, err);
  if (error != nullptr) *error = err.str() + out.str();
  return rc;
}

TEST_F(TrainEvalCommand, InitStartsFromTheFilesWeights) {
  ASSERT_EQ(train("src.pb", {"--seed", "3"}), 0);
  // One SGD step too small to move a float: the output holds the file's weights, not a fresh
  // initialisation (which --seed would give), and scores what the file scores.
  std::string error;
  ASSERT_EQ(train_init(dir_, (dir_ / "src.pb").string(), "init.pb",
                       {"--optimizer", "sgd", "--lr", "1e-30", "--max-steps", "1", "--seed", "9",
                        "--epochs", "1"},
                       &error),
            0)
      << error;
  const models::Model src = models::load_model((dir_ / "src.pb").string());
  const models::Model init = models::load_model((dir_ / "init.pb").string());
  const std::vector<float> a = all_parameters(src), b = all_parameters(init);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], 1e-6f) << "parameter " << i;
  // The command that made the starting point, then the fine-tune's.
  EXPECT_EQ(init.training().command().rfind(src.training().command() + "; nocsim train --init ", 0),
            0u)
      << init.training().command();
  EXPECT_EQ(init.architecture(), src.architecture());
  EXPECT_NEAR(init.training().test_accuracy(), src.training().test_accuracy(), 1e-9);
  for (int i = 0; i < src.num_layers(); ++i) {
    const auto ka = src.layer(i).offsets(), kb = init.layer(i).offsets();
    EXPECT_TRUE(std::equal(ka.begin(), ka.end(), kb.begin(), kb.end())) << "layer " << i;
  }
}

TEST_F(TrainEvalCommand, InitFineTunesAProjectionAndKeepsItsStructure) {
  // An ONNX MLP (random weights, 784-24-10) projected onto 4 x 4 PD blocks, then fine-tuned.
  const std::string onnx = std::string(NOCSIM_SOURCE_DIR) + "/tests/data/onnx/mlp_gemm.onnx";
  const std::string projected = (dir_ / "projected.pb").string();
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"import", onnx, "--out", projected, "--pd-block", "4"}, out, err), 0)
      << err.str();
  const models::Dataset test = models::load_fashion_mnist(dir_.string(), models::Split::kTest);
  const models::Model before = models::load_model(projected);
  const double acc_before = before.accuracy(test);
  std::string error;
  ASSERT_EQ(train_init(dir_, projected, "tuned.pb", {"--epochs", "3", "--lr", "0.005"}, &error), 0)
      << error;
  const models::Model after = models::load_model((dir_ / "tuned.pb").string());
  const double acc_after = after.accuracy(test);
  EXPECT_GT(acc_after, acc_before + 0.2) << acc_before << " -> " << acc_after;
  EXPECT_NEAR(after.training().test_accuracy(), acc_after, 1e-9);
  ASSERT_EQ(after.num_layers(), before.num_layers());
  for (int i = 0; i < before.num_layers(); ++i) {
    EXPECT_EQ(after.layer(i).kind(), before.layer(i).kind());
    EXPECT_EQ(after.layer(i).block_size(), before.layer(i).block_size());
    const auto ka = before.layer(i).offsets(), kb = after.layer(i).offsets();
    EXPECT_TRUE(std::equal(ka.begin(), ka.end(), kb.begin(), kb.end())) << "layer " << i;
  }
  EXPECT_EQ(after.layer(0).kind(), "pd_dense");
}

TEST_F(TrainEvalCommand, InitRefusesArchitectureOptionsAndMissingFiles) {
  std::string error;
  EXPECT_NE(train("bad.pb", {"--init", (dir_ / "src.pb").string()}, nullptr, &error), 0);
  EXPECT_NE(error.find("--arch: not with --init"), std::string::npos) << error;
  EXPECT_NE(train_init(dir_, (dir_ / "missing.pb").string(), "bad.pb", {}, &error), 0);
  EXPECT_NE(error.find("missing.pb"), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(dir_ / "bad.pb"));
}

TEST_F(TrainEvalCommand, BadOptionsNameTheOptionAndWriteNothing) {
  struct Bad {
    std::vector<std::string> extra;
    const char* named;
  };
  for (const Bad& b :
       {Bad{{"--optimizer", "rmsprop"}, "rmsprop"}, Bad{{"--epochs", "x"}, "--epochs"},
        Bad{{"--schedule", "step"}, "--schedule"}, Bad{{"--bogus"}, "--bogus"},
        Bad{{"--arch", "googlenet"}, "--arch"}, Bad{{"--prune-rounds", "2"}, "--prune-rounds"},
        Bad{{"--prune-density", "0.5"}, "no layer with unstructured weights"},
        Bad{{"--arch", "mlp", "--prune-density", "1.5"}, "train.prune_density"}}) {
    std::string error;
    EXPECT_NE(train("bad.pb", b.extra, nullptr, &error), 0) << b.named;
    EXPECT_NE(error.find(b.named), std::string::npos) << error;
    EXPECT_FALSE(fs::exists(dir_ / "bad.pb")) << b.named;
  }
  std::ostringstream out, err;
  EXPECT_NE(run_cli({"train", "--arch", "mlp"}, out, err), 0);
  EXPECT_NE(err.str().find("--out"), std::string::npos) << err.str();
  // A data folder without the files names the package to install.
  std::string error;
  EXPECT_NE(train("bad.pb", {"--data", (dir_ / "missing").string()}, nullptr, &error), 0);
  EXPECT_NE(error.find("apt-get install dataset-fashion-mnist"), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(dir_ / "bad.pb"));
}

}  // namespace
}  // namespace nocsim::tools
