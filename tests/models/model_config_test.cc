// A zoo model in the form ModelConfig asks for: the FC-only AlexNet and VGG-16 (dense, PD at
// model.block_size, pruned at model.density), random weights of the right structure from a seed,
// and clear errors for forms that do not apply.
#include "models/model_config.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "models/model_file.h"
#include "models/weight_mask.h"
#include "tests/expect_user_error.h"

namespace nocsim::models {
namespace {

config::ModelConfig zoo(const std::string& name) {
  config::ModelConfig mc;
  mc.set_zoo(name);
  return mc;
}

struct FcZoo {
  const char* name;
  int inputs;
};
const FcZoo kFcZoos[] = {{"alexnet_fc", 9216}, {"vgg16_fc", 25088}};

TEST(ModelConfig, FcZoosAreFc6ToFc8OnPool5Features) {
  for (const FcZoo& z : kFcZoos) {
    const auto layers = describe_layers(load_model_spec(zoo(z.name)));
    ASSERT_EQ(layers.size(), 5u) << z.name;
    const int widths[] = {z.inputs, 4096, 4096, 1000};
    const char* names[] = {"fc6", "fc7", "fc8"};
    int64_t weights = 0;
    for (int f = 0; f < 3; ++f) {
      const LayerInfo& l = layers[2 * f];
      EXPECT_EQ(l.kind, "dense");
      EXPECT_EQ(l.name, names[f]);
      EXPECT_EQ(l.input.size(), widths[f]) << z.name << " " << l.name;
      EXPECT_EQ(l.output, (TensorShape{widths[f + 1], 1, 1}));
      EXPECT_EQ(l.num_weights, int64_t{widths[f]} * widths[f + 1]);
      EXPECT_EQ(l.density, 1.0);
      weights += l.num_weights;
      if (f < 2) {
        EXPECT_EQ(layers[2 * f + 1].kind, "relu");
      }
    }
    // The same FC head as the full catalog's.
    const std::string full_name(z.name, std::string(z.name).size() - 3);  // without "_fc"
    const auto full = describe_layers(load_model_spec(zoo(full_name)));
    int64_t full_fc = 0;
    for (const auto& l : full)
      if (l.kind == "dense") full_fc += l.num_weights;
    EXPECT_EQ(weights, full_fc) << z.name;
  }
}

TEST(ModelConfig, BlockSizeMakesEveryFcLayerPermutedDiagonal) {
  for (const FcZoo& z : kFcZoos) {
    for (const int p : {4, 8}) {
      config::ModelConfig mc = zoo(z.name);
      mc.set_block_size(p);
      const auto layers = describe_layers(load_model_spec(mc));
      const int widths[] = {z.inputs, 4096, 4096, 1000};
      for (int f = 0; f < 3; ++f) {
        const LayerInfo& l = layers[2 * f];
        EXPECT_EQ(l.kind, "pd_dense") << z.name;
        EXPECT_EQ(l.block_size, p);
        EXPECT_EQ(l.macs, int64_t{widths[f]} * widths[f + 1] / p);
        EXPECT_EQ(l.num_block_rows, (widths[f + 1] + p - 1) / p);
      }
    }
  }
  // The full catalog's FC head follows; its convs stay dense.
  config::ModelConfig mc = zoo("alexnet");
  mc.set_block_size(4);
  for (const auto& l : describe_layers(load_model_spec(mc)))
    if (l.kind.find("conv") != std::string::npos) {
      EXPECT_EQ(l.kind, "conv2d");
    }
}

TEST(ModelConfig, DensityPrunesEveryFcLayerAndRecordsIt) {
  config::ModelConfig mc = zoo("vgg16_fc");
  mc.set_density(0.04);
  const config::ModelFile spec = load_model_spec(mc);
  for (const auto& l : describe_layers(spec))
    if (l.kind != "relu") {
      EXPECT_EQ(l.kind, "dense");
      EXPECT_DOUBLE_EQ(l.density, 0.04);
    }
  EXPECT_FALSE(spec.has_random_weights_seed());
  EXPECT_EQ(spec.layers(0).weights_size(), 0) << "a catalog unless random_weights";
}

TEST(ModelConfig, RandomWeightsHaveTheStructureOfTheForm) {
  config::ModelConfig mc = zoo("alexnet_fc");
  mc.set_density(0.09);
  mc.set_random_weights(true);
  mc.set_weights_seed(11);
  const config::ModelFile a = load_model_spec(mc);
  EXPECT_EQ(a.random_weights_seed(), 11u);
  int64_t checked = 0;
  for (const auto& l : a.layers()) {
    if (l.kind() != "dense") continue;
    ASSERT_EQ(l.weights_size(), l.num_weights());
    const std::span<const float> w(l.weights().data(), l.weights_size());
    // Exactly round(d * n) non-zeros per layer, as the model-file reader will accept.
    EXPECT_EQ(count_non_zeros(w), std::llround(0.09 * static_cast<double>(l.num_weights())))
        << l.name();
    EXPECT_DOUBLE_EQ(l.density(), 0.09);
    ++checked;
  }
  EXPECT_EQ(checked, 3);
  // The file reader accepts it and it runs: one sample through every layer.
  const config::ModelFile back = parse_model_file(serialize_model_file(a), "random.pb");
  const Model m = model_from_file(back, "random.pb");
  std::vector<float> x(9216, 0.5f);
  const std::vector<float> y = m.forward_one(x);
  EXPECT_EQ(y.size(), 1000u);
}

TEST(ModelConfig, RandomPermutedDiagonalWeightsCarryOffsets) {
  config::ModelConfig mc = zoo("alexnet_fc");
  mc.set_block_size(8);
  mc.set_random_weights(true);
  const config::ModelFile spec = load_model_spec(mc);
  const config::LayerSpec& fc8 = spec.layers(4);
  EXPECT_EQ(fc8.kind(), "pd_dense");
  EXPECT_EQ(fc8.offsets_size(), (1000 / 8) * (4096 / 8));
  std::vector<int> seen(8, 0);
  for (uint32_t k : fc8.offsets()) {
    ASSERT_LT(k, 8u);
    ++seen[k];
  }
  for (int k = 0; k < 8; ++k) EXPECT_GT(seen[k], 0) << "offset " << k;
  EXPECT_EQ(fc8.weights_size(), 1000 * 4096 / 8);
  // The same seed gives the same offsets and values, another seed others.
  auto layer = [](const config::ModelFile& f, int i) {
    std::vector<float> v(f.layers(i).weights().begin(), f.layers(i).weights().end());
    for (uint32_t k : f.layers(i).offsets()) v.push_back(static_cast<float>(k));
    return v;
  };
  EXPECT_EQ(layer(load_model_spec(mc), 4), layer(spec, 4));
  mc.set_weights_seed(12);
  EXPECT_NE(layer(load_model_spec(mc), 4), layer(spec, 4));
}

TEST(ModelConfig, FormsThatDoNotApplyAreUserErrors) {
  auto with = [](const char* name, auto set) {
    config::ModelConfig mc = zoo(name);
    set(mc);
    return [mc] { load_model_spec(mc); };
  };
  using C = config::ModelConfig;
  nocsim::testing::expect_user_error(with("alexnet_fc", [](C& c) { c.set_block_size(1); }),
                                     "model.block_size", ">= 2");
  nocsim::testing::expect_user_error(with("alexnet_fc", [](C& c) { c.set_block_size(-4); }),
                                     "model.block_size", ">= 2");
  nocsim::testing::expect_user_error(with("alexnet_fc",
                                          [](C& c) {
                                            c.set_block_size(4);
                                            c.set_density(0.25);
                                          }),
                                     "model.block_size", "not both");
  for (const double d : {0.0, -0.5, 1.5, std::nan("")})
    nocsim::testing::expect_user_error(with("vgg16_fc", [d](C& c) { c.set_density(d); }),
                                       "model.density", "(0, 1]");
  nocsim::testing::expect_user_error(with("resnet50", [](C& c) { c.set_density(0.5); }),
                                     "model.density", "no layers it can prune");
  nocsim::testing::expect_user_error(with("lenet5", [](C& c) { c.set_block_size(4); }),
                                     "model.block_size", "permuted-diagonal");
  config::ModelConfig file;
  file.set_file("models/trained/mlp_dense.pb");
  for (const auto& [field, set] : std::vector<std::pair<std::string, std::function<void(C&)>>>{
           {"model.density", [](C& c) { c.set_density(0.5); }},
           {"model.block_size", [](C& c) { c.set_block_size(4); }},
           {"model.random_weights", [](C& c) { c.set_random_weights(true); }}}) {
    config::ModelConfig mc = file;
    set(mc);
    nocsim::testing::expect_user_error([mc] { load_model_spec(mc); }, field, "model.zoo only");
  }
}

}  // namespace
}  // namespace nocsim::models
