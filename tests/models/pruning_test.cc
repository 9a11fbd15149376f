// Magnitude pruning with retraining: each prunable layer keeps exactly its share, the largest
// weights; pruned weights stay exactly zero through fine-tuning (Adam and SGD); the whole
// iterative run is bit-identical for a seed and thread count; bad options are UserErrors.
#include "models/pruning.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "models/architecture.h"
#include "test_util.h"
#include "tests/expect_user_error.h"

namespace nocsim::models {
namespace {

Model small_mlp(uint64_t seed) {
  ArchitectureOptions o;
  o.hidden = {48, 24};
  return Model::from_spec(build_architecture("mlp", o), seed);
}

std::vector<float> copy(std::span<const float> w) {
  return {w.begin(), w.end()};
}

TEST(Pruning, EachLayerKeepsExactlyItsShareOfTheLargestWeights) {
  Model m = small_mlp(2);
  std::vector<std::vector<float>> before, bias;
  for (int i = 0; i < m.num_layers(); ++i) {
    before.push_back(copy(m.layer(i).weights()));
    bias.push_back(copy(m.layer(i).bias()));
  }
  const WeightMasks masks = prune_by_magnitude(m, 0.3);
  ASSERT_EQ(static_cast<int>(masks.size()), m.num_layers());
  int pruned_layers = 0;
  for (int i = 0; i < m.num_layers(); ++i) {
    const Layer& l = m.layer(i);
    if (l.kind() != "dense") {
      EXPECT_TRUE(masks[i].empty()) << l.name();
      continue;
    }
    ++pruned_layers;
    const auto w = l.weights();
    const int64_t n = static_cast<int64_t>(w.size());
    EXPECT_EQ(count_non_zeros(w), std::llround(0.3 * n)) << l.name();
    EXPECT_EQ(std::count(masks[i].begin(), masks[i].end(), 1), std::llround(0.3 * n));
    EXPECT_DOUBLE_EQ(l.density(), 0.3);
    // Every kept weight is unchanged and at least as large as every pruned one.
    float smallest_kept = INFINITY, largest_pruned = 0;
    for (int64_t j = 0; j < n; ++j) {
      if (masks[i][j]) {
        EXPECT_EQ(w[j], before[i][j]);
        smallest_kept = std::min(smallest_kept, std::fabs(before[i][j]));
      } else {
        EXPECT_EQ(w[j], 0.0f);
        largest_pruned = std::max(largest_pruned, std::fabs(before[i][j]));
      }
    }
    EXPECT_GE(smallest_kept, largest_pruned) << l.name();
    EXPECT_EQ(copy(l.bias()), bias[i]) << "biases are not pruned";
  }
  EXPECT_EQ(pruned_layers, 3);
}

TEST(Pruning, MagnitudeTiesGoToTheLowerIndex) {
  const std::vector<float> w = {1, -2, 2, 0.5f, -2, 3};
  EXPECT_EQ(magnitude_mask(w, 3), (std::vector<uint8_t>{0, 1, 1, 0, 0, 1}));
  EXPECT_EQ(magnitude_mask(w, 0), (std::vector<uint8_t>(6, 0)));
  EXPECT_EQ(magnitude_mask(w, 6), (std::vector<uint8_t>(6, 1)));
}

TEST(Pruning, MaskedWeightsStayExactlyZeroWhileTheOthersTrain) {
  const Dataset data = test_util::fashion_test().head(600);
  for (const char* optimizer : {"adam", "sgd"}) {
    Model m = small_mlp(3);
    const WeightMasks masks = prune_by_magnitude(m, 0.5);
    const std::vector<float> kept_before = copy(m.layer(0).weights());
    const std::vector<float> bias_before = copy(m.layer(0).bias());
    TrainOptions o;
    o.optimizer = optimizer;
    o.learning_rate = std::string(optimizer) == "adam" ? 1e-3f : 0.02f;
    o.epochs = 1;
    o.max_steps = 8;
    o.masks = &masks;
    train(m, data, nullptr, o);
    for (int i = 0; i < m.num_layers(); ++i) {
      if (masks[i].empty()) continue;
      const auto w = m.layer(i).weights();
      for (size_t j = 0; j < w.size(); ++j)
        if (!masks[i][j]) {
          ASSERT_EQ(w[j], 0.0f) << optimizer << " layer " << i << " weight " << j;
        }
    }
    int64_t moved = 0;
    const auto w0 = m.layer(0).weights();
    for (size_t j = 0; j < w0.size(); ++j) moved += masks[0][j] && w0[j] != kept_before[j];
    EXPECT_GT(moved, std::count(masks[0].begin(), masks[0].end(), 1) / 2) << optimizer;
    EXPECT_NE(copy(m.layer(0).bias()), bias_before) << optimizer;
  }
}

TEST(Pruning, RoundsReachTheTargetGeometrically) {
  EXPECT_DOUBLE_EQ(round_density(0.25, 1, 2), 0.5);
  EXPECT_DOUBLE_EQ(round_density(0.25, 2, 2), 0.25);
  double last = 1.0;
  for (int r = 1; r <= 4; ++r) {
    EXPECT_LT(round_density(0.125, r, 4), last);
    last = round_density(0.125, r, 4);
  }
  EXPECT_EQ(last, 0.125);
}

std::vector<float> prune_run(uint64_t seed, int threads, std::vector<PruneRoundReport>* rounds) {
  const Dataset& data = test_util::fashion_test();
  static const Dataset train_set = data.head(800);
  Model m = small_mlp(seed);
  TrainOptions o;
  o.seed = seed;
  o.threads = threads;
  o.epochs = 1;
  o.max_steps = 4;
  train(m, train_set, nullptr, o);
  PruneOptions p;
  p.density = 0.2;
  p.rounds = 3;
  p.epochs = 1;
  prune_and_fine_tune(m, train_set, nullptr, o, p,
                      [&](const PruneRoundReport& r) { rounds->push_back(r); });
  std::vector<float> all;
  for (int i = 0; i < m.num_layers(); ++i) {
    const Layer& l = m.layer(i);
    if (l.kind() == "dense") {
      EXPECT_DOUBLE_EQ(l.density(), 0.2);
      EXPECT_EQ(count_non_zeros(l.weights()), std::llround(0.2 * l.num_weights())) << l.name();
    }
    all.insert(all.end(), l.weights().begin(), l.weights().end());
    all.insert(all.end(), l.bias().begin(), l.bias().end());
  }
  return all;
}

TEST(Pruning, IterativeRunIsBitIdenticalForASeedAndThreadCount) {
  std::vector<PruneRoundReport> r1, r2, r3;
  const auto a = prune_run(7, 1, &r1);
  EXPECT_EQ(a, prune_run(7, 1, &r2));
  EXPECT_NE(a, prune_run(8, 1, &r3));
  std::vector<PruneRoundReport> t1, t2;
  EXPECT_EQ(prune_run(7, 2, &t1), prune_run(7, 2, &t2));
  ASSERT_EQ(r1.size(), 3u);
  // Round by round the kept count falls to the target's.
  const int64_t total = 784 * 48 + 48 * 24 + 24 * 10;
  EXPECT_LT(r1[0].kept, total);
  EXPECT_LT(r1[1].kept, r1[0].kept);
  EXPECT_EQ(r1[2].kept, std::llround(0.2 * 784 * 48) + std::llround(0.2 * 48 * 24) +
                            std::llround(0.2 * 24 * 10));
  EXPECT_EQ(r1[2].density, 0.2);
}

TEST(Pruning, BadOptionsAndUnprunableModelsAreUserErrors) {
  const Model m = small_mlp(1);
  auto check = [&](PruneOptions p) { return [&m, p] { check_pruning(m, p); }; };
  PruneOptions p;
  p.density = 0;
  nocsim::testing::expect_user_error(check(p), "train.prune_density", "(0, 1]");
  p.density = 1.5;
  nocsim::testing::expect_user_error(check(p), "train.prune_density", "1.5");
  p.density = 0.5;
  p.rounds = 0;
  nocsim::testing::expect_user_error(check(p), "train.prune_rounds", "[1, 100]");
  p.rounds = 2;
  p.epochs = 0;
  nocsim::testing::expect_user_error(check(p), "train.prune_epochs", ">= 1");
  ArchitectureOptions o;
  o.block_sizes = {4};
  const Model pd = Model::from_spec(build_architecture("pd_mlp", o), 1);
  nocsim::testing::expect_user_error([&] { check_pruning(pd, PruneOptions{}); },
                                     "train.prune_density", "no layer with unstructured weights");
}

}  // namespace
}  // namespace nocsim::models
