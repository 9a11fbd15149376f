// `nocsim eval --codec` on the shipped PD MLP: the numbers the compression/README.md table is made
// of must be sane (size as the format says, accuracy close to the original's).
#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>
#include <string>

#include "tools/command.h"

namespace nocsim::tools {
namespace {

const std::string kModel = std::string(NOCSIM_SOURCE_DIR) + "/models/trained/pd_mlp_p4.pb";

struct EvalOutput {
  double bits_per_weight = -1, rmse = -1, max_error = -1;
  double accuracy = -1, original = -1, change = 1e9;
  std::string text;
};

EvalOutput eval(const std::vector<std::string>& extra) {
  std::vector<std::string> args{"eval", "--model", kModel};
  args.insert(args.end(), extra.begin(), extra.end());
  std::ostringstream out, err;
  EvalOutput r;
  EXPECT_EQ(run_cli(args, out, err), 0) << err.str();
  r.text = out.str();
  const size_t b = r.text.find("\nbits/weight ");
  if (b != std::string::npos) {
    std::sscanf(r.text.c_str() + b,
                "\nbits/weight %lf (headers included: %*s header + %*s chunk "
                "bits over %*s weights), rmse %lf, max |error| %lf",
                &r.bits_per_weight, &r.rmse, &r.max_error);
  }
  const size_t a = r.text.find("accuracy with decoded weights ");
  if (a != std::string::npos) {
    std::sscanf(r.text.c_str() + a,
                "accuracy with decoded weights %lf%% (original %lf%%, change %lf points)",
                &r.accuracy, &r.original, &r.change);
  }
  return r;
}

TEST(EvalCommand, Int8KeepsTheAccuracyAtEightBitsPerWeightPlusHeaders) {
  const EvalOutput r = eval({"--codec", "quant:bits=8"});
  ASSERT_GT(r.bits_per_weight, 0) << r.text;
  // 8 bits per weight; the headers (a 16-bit codec tag and a 32-bit scale per layer) add a little.
  EXPECT_GT(r.bits_per_weight, 8.0) << r.text;
  EXPECT_LT(r.bits_per_weight, 8.05) << r.text;
  EXPECT_GT(r.rmse, 0) << r.text;
  EXPECT_GE(r.max_error, r.rmse) << r.text;
  EXPECT_GT(r.original, 80.0) << r.text;  // the shipped model is trained
  EXPECT_NEAR(r.accuracy, r.original, 0.5) << r.text;
  EXPECT_NEAR(r.change, r.accuracy - r.original, 0.011) << r.text;
}

TEST(EvalCommand, LosslessCodecChangesNothingAndTwoBitsCostAccuracy) {
  const EvalOutput id = eval({"--codec", "identity"});
  EXPECT_EQ(id.rmse, 0) << id.text;
  EXPECT_EQ(id.change, 0) << id.text;
  EXPECT_GT(id.bits_per_weight, 32.0) << id.text;
  EXPECT_NE(id.text.find("(lossless)"), std::string::npos) << id.text;
  // Per-PE-share chunks: one chunk per 8 block-rows, each decodable alone.
  const EvalOutput q2 = eval({"--codec", "quant:bits=2", "--chunk-rows", "8"});
  EXPECT_GT(q2.rmse, 0) << q2.text;
  EXPECT_NEAR(q2.bits_per_weight, 2.0, 0.05) << q2.text;
  EXPECT_LT(q2.accuracy, id.accuracy) << q2.text;
}

TEST(EvalCommand, BadCodecSpecsAreErrorsNamingTheField) {
  std::ostringstream out, err;
  EXPECT_EQ(run_cli({"eval", "--model", kModel, "--codec", "quant:bits=99"}, out, err), 2);
  EXPECT_NE(err.str().find("--codec.stages[0].params[bits]"), std::string::npos) << err.str();
  std::ostringstream out2, err2;
  EXPECT_EQ(run_cli({"eval", "--model", kModel, "--codec", "nosuch"}, out2, err2), 2);
  EXPECT_NE(err2.str().find("quant"), std::string::npos) << err2.str();  // lists valid names
  std::ostringstream out3, err3;
  EXPECT_EQ(run_cli({"eval", "--zoo", "lenet5", "--codec", "fp16"}, out3, err3), 2);
  EXPECT_NE(err3.str().find("--codec"), std::string::npos) << err3.str();
}

}  // namespace
}  // namespace nocsim::tools
