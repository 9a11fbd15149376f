// The trained models shipped in models/trained/ meet the accuracy floors on all 10,000 test images,
// and the per-sample path a PE mirrors agrees with batched inference on them.
// Under the sanitizers (NOCSIM_SANITIZED set) the CNNs, 3-4 MMACs per image, are scored on the
// first 2,000 test images only, against their floor less 2 points; Release runs always use the
// full set.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "models/model_file.h"
#include "models/weight_mask.h"
#include "test_util.h"

namespace nocsim::models {
namespace {

struct Shipped {
  const char* file;
  double floor;
  int p;
  double density = 1.0;  // pruned models: every dense layer's
};

class ShippedModel : public ::testing::TestWithParam<Shipped> {};

TEST_P(ShippedModel, MeetsItsAccuracyFloorOnTheFullTestSet) {
  const Shipped s = GetParam();
  const Model m = load_model(std::string(NOCSIM_SOURCE_DIR) + "/models/trained/" + s.file);
  const bool subset = std::getenv("NOCSIM_SANITIZED") != nullptr && m.macs() > 1'000'000;
  if (subset) {
    const double acc = m.accuracy(test_util::fashion_test().head(2000));
    EXPECT_GE(acc, s.floor - 0.02) << s.file << " on the first 2,000 test images";
  } else {
    const double acc = m.accuracy(test_util::fashion_test());
    EXPECT_GE(acc, s.floor) << s.file;
    // The file records what it was trained to, on the same data.
    EXPECT_NEAR(m.training().test_accuracy(), acc, 1e-9);
  }
  EXPECT_FALSE(m.training().command().empty());
  for (int i = 0; i < m.num_layers(); ++i) {
    const Layer& l = m.layer(i);
    if (l.kind() == "pd_dense" || l.kind() == "pd_conv2d") {
      EXPECT_EQ(l.block_size(), s.p) << s.file << " " << l.name();
    }
    if (l.kind() == "dense") {
      // Pruned per layer: exactly round(density * weights) non-zeros in each.
      EXPECT_EQ(l.density(), s.density) << s.file << " " << l.name();
      EXPECT_EQ(count_non_zeros(l.weights()),
                s.density < 1.0 ? std::llround(s.density * l.num_weights()) : l.num_weights())
          << s.file << " " << l.name();
    }
  }
}

TEST_P(ShippedModel, PerSampleInferenceAgreesWithBatchedInference) {
  const Shipped s = GetParam();
  const Model m = load_model(std::string(NOCSIM_SOURCE_DIR) + "/models/trained/" + s.file);
  const Dataset& test = test_util::fashion_test();
  Matrix x, logits;
  test.slice(0, 20, x);
  m.forward(x, logits);
  for (int b = 0; b < 20; ++b) {
    uint64_t macs = 0;
    const std::vector<float> out = m.forward_one(
        std::span<const float>(test.pixels.data() + static_cast<size_t>(b) * 784, 784), &macs);
    for (int c = 0; c < 10; ++c) EXPECT_NEAR(out[c], logits(b, c), 1e-3f * (1 + std::abs(out[c])));
    EXPECT_GT(macs, 0u);
    EXPECT_LT(macs, static_cast<uint64_t>(m.macs()));  // zero activations were skipped
  }
}

INSTANTIATE_TEST_SUITE_P(
    Trained, ShippedModel,
    ::testing::Values(Shipped{"mlp_dense.pb", 0.885, 1}, Shipped{"pd_mlp_p4.pb", 0.875, 4},
                      Shipped{"pd_mlp_p8.pb", 0.860, 8}, Shipped{"cnn_pd.pb", 0.900, 4},
                      Shipped{"mlp_pruned_25.pb", 0.890, 1, 0.25},
                      Shipped{"mlp_pruned_12.pb", 0.880, 1, 0.125},
                      Shipped{"vgg_dense.pb", 0.920, 1}, Shipped{"vgg_pd4.pb", 0.910, 4},
                      Shipped{"vgg_pd4_tuned.pb", 0.915, 4}),
    [](const auto& info) {
      std::string n = info.param.file;
      return n.substr(0, n.find('.'));
    });

// The ResNet-8s ship as PyTorch exported them (models/trained/onnx/) and import as layer graphs;
// their floors are PyTorch's own test accuracy, which nocsim reproduces to the image.
struct ShippedOnnx {
  const char* file;
  double accuracy;  // PyTorch's, on all 10,000 test images
  int p;
};

class ShippedOnnxModel : public ::testing::TestWithParam<ShippedOnnx> {};

TEST_P(ShippedOnnxModel, ReproducesPyTorchsAccuracyOnTheFullTestSet) {
  const ShippedOnnx s = GetParam();
  const Model m = load_model(std::string(NOCSIM_SOURCE_DIR) + "/models/trained/onnx/" + s.file);
  if (std::getenv("NOCSIM_SANITIZED") != nullptr) {
    // 9 MMACs per image: 500 images under the sanitizers (a standard error of ~1.2 points).
    EXPECT_GE(m.accuracy(test_util::fashion_test().head(500)), s.accuracy - 0.04) << s.file;
  } else {
    EXPECT_NEAR(m.accuracy(test_util::fashion_test()), s.accuracy, 1e-9) << s.file;
  }
  int adds = 0, pd = 0;
  for (int i = 0; i < m.num_layers(); ++i) {
    adds += m.layer(i).kind() == "add";
    if (m.layer(i).kind() == "pd_conv2d" || m.layer(i).kind() == "pd_dense") {
      EXPECT_EQ(m.layer(i).block_size(), s.p) << m.layer(i).name();
      ++pd;
    }
  }
  EXPECT_EQ(adds, 3);  // one residual add per stage
  EXPECT_EQ(pd > 0, s.p > 1);
}

INSTANTIATE_TEST_SUITE_P(Trained, ShippedOnnxModel,
                         ::testing::Values(ShippedOnnx{"resnet8_dense.onnx", 0.9304, 1},
                                           ShippedOnnx{"resnet8_pd4.onnx", 0.9245, 4}),
                         [](const auto& info) {
                           std::string n = info.param.file;
                           return n.substr(0, n.find('.'));
                         });

}  // namespace
}  // namespace nocsim::models
