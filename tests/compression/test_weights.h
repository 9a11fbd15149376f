#pragma once
// Weight vectors for codec tests: Gaussian like a trained layer, plus the values that break
// careless codecs (zeros of both signs, subnormals, large magnitudes, exact ties).
#include <cmath>
#include <limits>
#include <vector>

#include "configs/rng.h"

namespace nocsim::compression::testing {

inline std::vector<float> gaussian(size_t n, uint64_t seed, double sigma = 0.05) {
  Rng rng(seed);
  std::vector<float> w(n);
  for (auto& x : w) x = static_cast<float>(sigma * rng.normal());
  return w;
}

// Finite but hostile: every 7th value is special.
inline std::vector<float> nasty(size_t n, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> w = gaussian(n, seed);
  const float specials[] = {0.0f,    -0.0f, 1e-40f, -3e-45f,  1e-30f,  123456.0f,
                            -7.5e5f, 1.0f,  -1.0f,  65504.0f, 2.0e-5f, 0.5f};
  for (size_t i = 0; i < n; i += 7) w[i] = specials[rng.below(sizeof(specials) / sizeof(float))];
  return w;
}

}  // namespace nocsim::compression::testing
