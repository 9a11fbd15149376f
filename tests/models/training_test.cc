// Training on small subsets for a few steps: the loss falls, the permuted-diagonal structure is
// kept, and the same seed gives bit-identical weights.
#include "models/trainer.h"

#include <gtest/gtest.h>

#include "configs/user_error.h"
#include "models/architecture.h"
#include "test_util.h"

namespace nocsim::models {
namespace {

Model small_pd_mlp(uint64_t seed) {
  ArchitectureOptions o;
  o.hidden = {64, 32};
  o.block_sizes = {4};
  return Model::from_spec(build_architecture("pd_mlp", o), seed);
}

std::vector<float> all_weights(const Model& m) {
  std::vector<float> w;
  for (int i = 0; i < m.num_layers(); ++i) {
    auto lw = m.layer(i).weights();
    auto lb = m.layer(i).bias();
    w.insert(w.end(), lw.begin(), lw.end());
    w.insert(w.end(), lb.begin(), lb.end());
  }
  return w;
}

double mean(const std::vector<double>& v, size_t begin, size_t end) {
  double s = 0;
  for (size_t i = begin; i < end; ++i) s += v[i];
  return s / static_cast<double>(end - begin);
}

TEST(Training, LossDecreasesOnASubsetWithAdamAndSgd) {
  const Dataset data = test_util::fashion_test().head(2000);
  for (const char* opt : {"adam", "sgd"}) {
    Model m = small_pd_mlp(3);
    TrainOptions o;
    o.epochs = 2;
    o.batch_size = 50;
    o.optimizer = opt;
    o.learning_rate = std::string(opt) == "adam" ? 2e-3f : 0.05f;
    const TrainResult r = train(m, data, nullptr, o);
    ASSERT_EQ(r.step_losses.size(), 80u);
    EXPECT_LT(mean(r.step_losses, 70, 80), 0.6 * mean(r.step_losses, 0, 10)) << opt;
    EXPECT_GT(m.accuracy(data), 0.5) << opt;  // chance is 0.1
  }
}

TEST(Training, KeepsThePermutedDiagonalStructure) {
  Model m = small_pd_mlp(4);
  const std::vector<uint32_t> offsets(m.layer(0).offsets().begin(), m.layer(0).offsets().end());
  TrainOptions o;
  o.epochs = 1;
  o.max_steps = 5;
  train(m, test_util::fashion_test().head(500), nullptr, o);
  EXPECT_EQ(std::vector<uint32_t>(m.layer(0).offsets().begin(), m.layer(0).offsets().end()),
            offsets);
  EXPECT_EQ(m.layer(0).weights().size(), 64u * 784u / 4u);
}

TEST(Training, SameSeedGivesBitIdenticalWeightsAndOtherSeedsDiffer) {
  const Dataset data = test_util::fashion_test().head(1000);
  auto run = [&](uint64_t seed, int threads, const char* arch) {
    ArchitectureOptions ao;
    ao.hidden = {32};
    ao.conv_channels = {4, 8};
    ao.conv_kernel = 3;
    ao.block_sizes = {4};
    Model m = Model::from_spec(build_architecture(arch, ao), seed);
    TrainOptions o;
    o.seed = seed;
    o.threads = threads;
    o.epochs = 1;
    o.max_steps = 6;
    train(m, data, nullptr, o);
    return all_weights(m);
  };
  for (const char* arch : {"pd_mlp", "cnn"}) {
    EXPECT_EQ(run(7, 1, arch), run(7, 1, arch)) << arch;
    EXPECT_EQ(run(7, 2, arch), run(7, 2, arch)) << arch;
    EXPECT_NE(run(7, 1, arch), run(8, 1, arch)) << arch;
  }
}

TEST(Training, BadOptionsAreUserErrors) {
  Model m = small_pd_mlp(1);
  const Dataset data = test_util::fashion_test().head(10);
  TrainOptions o;
  o.optimizer = "rmsprop";
  EXPECT_THROW(train(m, data, nullptr, o), UserError);
  o.optimizer = "sgd";
  o.batch_size = 0;
  EXPECT_THROW(train(m, data, nullptr, o), UserError);
}

}  // namespace
}  // namespace nocsim::models
