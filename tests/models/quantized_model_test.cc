// The fixed-point / reduced-float datapath of models/quantized_model.h: hand-computed integer
// results, saturation, block-row consistency, and the shipped MLP's accuracy per precision.
#include "models/quantized_model.h"

#include <gtest/gtest.h>

#include <cmath>

#include "configs/rng.h"
#include "configs/user_error.h"
#include "models/model_file.h"
#include "test_util.h"

namespace nocsim::models {
namespace {

Datapath datapath(const char* w, const char* a) {
  return {precision_by_name(w, "w"), precision_by_name(a, "a")};
}

// A 2 -> 3 dense layer with the given weights (row-major out x in) and biases.
Model dense_model(std::vector<float> w, std::vector<float> b) {
  config::ModelFile f;
  f.set_name("tiny");
  f.set_input_channels(3);
  f.set_num_classes(2);
  config::LayerSpec* l = f.add_layers();
  l->set_kind("dense");
  l->set_name("fc");
  l->set_out_channels(2);
  for (float v : w) l->add_weights(v);
  for (float v : b) l->add_bias(v);
  return Model::from_spec(f, 1);
}

TEST(Precision, UnknownNamesAreUserErrorsListingTheValidOnes) {
  try {
    precision_by_name("int4", "accelerator.datapath.weight_precision");
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "accelerator.datapath.weight_precision");
    EXPECT_NE(e.reason().find("int4"), std::string::npos);
    for (const Precision& p : precisions())
      EXPECT_NE(e.reason().find(p.name), std::string::npos) << p.name;
  }
  EXPECT_STREQ(precision_by_name("", "f").name, kDefaultPrecision);
}

TEST(Precision, MultiplierAndAccumulatorFollowTheOperands) {
  EXPECT_EQ(datapath("int8", "int8").multiplier(), "int8");
  EXPECT_EQ(datapath("int8", "int8").accumulator(), "int32");
  EXPECT_EQ(datapath("int16", "int8").multiplier(), "int16");
  EXPECT_EQ(datapath("int16", "int8").accumulator(), "int64");
  EXPECT_EQ(datapath("fp16", "fp16").multiplier(), "fp16");
  EXPECT_EQ(datapath("fp16", "int8").multiplier(), "fp16");
  EXPECT_EQ(datapath("fp32", "int8").multiplier(), "fp32");
  EXPECT_EQ(datapath("fp16", "fp16").accumulator(), "fp32");
  EXPECT_TRUE(datapath("fp32", "fp32").is_default());
  EXPECT_FALSE(datapath("fp32", "int8").is_default());
}

TEST(QuantizedLayer, Int8MatchesTheIntegerArithmeticByHand) {
  // Weights max |w| = 1.27 -> s_w = 0.01; input max |x| = 2.54 -> s_a = 0.02.
  const Model m = dense_model({1.27f, -0.5f, 0.0f, 0.013f, 0.25f, -1.0f}, {0.1f, -0.0301f});
  const QuantizedModel q(m, datapath("int8", "int8"));
  EXPECT_DOUBLE_EQ(q.weight_scale(0), 1.27f / 127.0);
  const std::vector<float> x = {2.54f, 0.0f, -0.5f};
  uint64_t macs = 0;
  const std::vector<float> y = q.forward_one(x, &macs);
  const double sw = 1.27f / 127.0, sa = 2.54f / 127.0;
  // q_w = round(w / s_w), q_x = round(x / s_a), bias in the accumulator at s_w * s_a.
  auto qr = [](double v) { return static_cast<int64_t>(std::round(v)); };
  const int64_t qx0 = qr(2.54f / sa), qx2 = qr(-0.5f / sa);
  const int64_t acc0 = qr(0.1f / (sw * sa)) + qr(1.27f / sw) * qx0 + qr(0.0f / sw) * qx2;
  const int64_t acc1 = qr(-0.0301f / (sw * sa)) + qr(0.013f / sw) * qx0 + qr(-1.0f / sw) * qx2;
  EXPECT_EQ(y[0], static_cast<float>(static_cast<double>(acc0) * sw * sa));
  EXPECT_EQ(y[1], static_cast<float>(static_cast<double>(acc1) * sw * sa));
  EXPECT_EQ(macs, 4u);  // the zero input is skipped in both rows
  EXPECT_EQ(qx0, 127);
  EXPECT_EQ(qx2, -25);
}

TEST(QuantizedLayer, Int8AccumulatorSaturatesAt32Bits) {
  // 3 products of 127 * 127 and a bias far beyond 2^31 in accumulator units.
  const Model m = dense_model({1, 1, 1, -1, -1, -1}, {1e6f, -1e6f});
  const QuantizedModel q(m, datapath("int8", "int8"));
  const std::vector<float> y = q.forward_one(std::vector<float>{1, 1, 1});
  const double s = (1.0 / 127) * (1.0 / 127);
  EXPECT_EQ(y[0], static_cast<float>(2147483647.0 * s));
  EXPECT_EQ(y[1], static_cast<float>(-2147483648.0 * s));
  // A 64-bit accumulator holds the same sum.
  const QuantizedModel wide(m, datapath("int16", "int8"));
  EXPECT_NEAR(wide.forward_one(std::vector<float>{1, 1, 1})[0], 1e6 + 3, 1e-1);
}

TEST(QuantizedLayer, Fp16RoundsBothOperands) {
  const Model m = dense_model({1.0f + 1.0f / 4096, 0, 0, 0, 0, 0}, {0, 0});
  const QuantizedModel q(m, datapath("fp16", "fp32"));
  // 1 + 2^-12 is below fp16's half ulp at 1 (2^-11): it rounds to 1.
  EXPECT_EQ(q.forward_one(std::vector<float>{3, 0, 0})[0], 3.0f);
  const QuantizedModel f(m, datapath("fp32", "fp16"));
  EXPECT_EQ(f.forward_one(std::vector<float>{1, 0, 0})[0], 1.0f + 1.0f / 4096);
  EXPECT_EQ(f.forward_one(std::vector<float>{1.0f + 1.0f / 4096, 0, 0})[0], 1.0f + 1.0f / 4096);
}

TEST(QuantizedLayer, BlockRowsOfTwoTilesEqualTheWholeLayerBitForBit) {
  const Model m = load_model(std::string(NOCSIM_SOURCE_DIR) + "/models/trained/pd_mlp_p4.pb");
  for (const char* prec : {"int8", "int16", "fp16"}) {
    const QuantizedModel q(m, datapath(prec, prec));
    const QuantizedLayer& l = *q.layer(0);
    Rng rng(3);
    std::vector<float> x(m.layer(0).input_shape().size());
    for (auto& v : x) v = rng.uniform() < 0.4 ? 0.0f : static_cast<float>(rng.uniform());
    const int rows = m.layer(0).num_block_rows();
    std::vector<float> whole(m.layer(0).output_shape().size()), split(whole.size());
    const uint64_t macs = l.forward_rows(x, whole, 0, rows);
    const uint64_t a = l.forward_rows(x, split, 0, rows / 3);
    const uint64_t b = l.forward_rows(x, split, rows / 3, rows);
    EXPECT_EQ(whole, split) << prec;
    EXPECT_EQ(macs, a + b) << prec;
  }
}

TEST(QuantizedModel, MissingWeightsMakeTheirOutputsNaN) {
  const Model m = dense_model({1, 2, 3, 4, 5, 6}, {0, 0});
  QuantizedLayer l(m.layer(0), datapath("int8", "int8"));
  const float nan = std::nanf("");
  l.set_weights(std::vector<float>{1, 2, 3, nan, 5, 6}, 6.0 / 127);
  std::vector<float> y(2);
  l.forward_rows(std::vector<float>{1, 1, 1}, y, 0, 2);
  EXPECT_FALSE(std::isnan(y[0]));
  EXPECT_TRUE(std::isnan(y[1]));
}

// Measured on the shipped PD MLP (first 2,000 test images, to keep the suite quick): narrower
// datapaths cost accuracy, int16 and fp16 almost nothing; the default datapath is Model::accuracy.
TEST(QuantizedModel, ShippedMlpAccuracyPerPrecision) {
  const Model m = load_model(std::string(NOCSIM_SOURCE_DIR) + "/models/trained/pd_mlp_p4.pb");
  const Dataset test = test_util::fashion_test().head(2000);
  const double fp32 = m.accuracy(test);
  EXPECT_EQ(datapath_accuracy(m, datapath("fp32", "fp32"), test), fp32);
  const double int16 = datapath_accuracy(m, datapath("int16", "int16"), test);
  const double fp16 = datapath_accuracy(m, datapath("fp16", "fp16"), test);
  const double int8 = datapath_accuracy(m, datapath("int8", "int8"), test);
  EXPECT_NEAR(int16, fp32, 0.002);
  EXPECT_NEAR(fp16, fp32, 0.002);
  EXPECT_NEAR(int8, fp32, 0.02);
  EXPECT_GT(int8, 0.8);
}

}  // namespace
}  // namespace nocsim::models
