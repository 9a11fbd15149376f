// Random masks: exactly round(d * n) weights kept, at seeded positions spread over the layer;
// kept_count and max_non_zeros at the edges.
#include "models/weight_mask.h"

#include <gtest/gtest.h>

#include "configs/rng.h"

namespace nocsim::models {
namespace {

std::vector<float> masked(int n, double density, uint64_t seed) {
  std::vector<float> w(n, 1.0f);
  Rng rng(seed);
  apply_random_mask(w, density, rng);
  return w;
}

TEST(WeightMask, RandomMaskKeepsExactlyItsCountAtSeededPositions) {
  for (const double d : {0.01, 0.125, 0.25, 0.5, 0.9, 1.0}) {
    const auto w = masked(10007, d, 3);
    EXPECT_EQ(count_non_zeros(w), kept_count(d, 10007)) << d;
    EXPECT_EQ(w, masked(10007, d, 3)) << d;
  }
  EXPECT_NE(masked(10007, 0.25, 3), masked(10007, 0.25, 4));
  // Uniform over the layer: each quarter holds about a quarter of the kept weights.
  const auto w = masked(40000, 0.1, 5);
  for (int q = 0; q < 4; ++q) {
    const int64_t kept = count_non_zeros(std::span<const float>(w).subspan(q * 10000, 10000));
    EXPECT_NEAR(static_cast<double>(kept), 1000.0, 120.0) << "quarter " << q;
  }
}

TEST(WeightMask, CountsAtTheEdges) {
  EXPECT_EQ(kept_count(0.25, 1000), 250);
  EXPECT_EQ(kept_count(0.125, 1000), 125);
  EXPECT_EQ(kept_count(0.001, 10), 1);  // never an empty layer
  EXPECT_EQ(kept_count(1.0, 7), 7);
  EXPECT_EQ(max_non_zeros(0.25, 1001), 251);
  EXPECT_EQ(max_non_zeros(0.25, 1000), 250);
  EXPECT_EQ(number_text(0.25), "0.25");
}

}  // namespace
}  // namespace nocsim::models
