#include "models/weight_mask.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "configs/rng.h"

namespace nocsim::models {

int64_t kept_count(double density, int64_t n) {
  return std::clamp<int64_t>(std::llround(density * static_cast<double>(n)), 1, n);
}

int64_t max_non_zeros(double density, int64_t n) {
  return static_cast<int64_t>(std::ceil(density * static_cast<double>(n)));
}

int64_t count_non_zeros(std::span<const float> w) {
  return std::count_if(w.begin(), w.end(), [](float v) { return v != 0.0f; });
}

std::vector<uint8_t> magnitude_mask(std::span<const float> w, int64_t keep) {
  keep = std::clamp<int64_t>(keep, 0, static_cast<int64_t>(w.size()));
  std::vector<uint32_t> order(w.size());
  std::iota(order.begin(), order.end(), 0u);
  // A strict total order, so that the kept set never depends on the sort's internals.
  auto larger = [&w](uint32_t a, uint32_t b) {
    const float ma = std::fabs(w[a]), mb = std::fabs(w[b]);
    return ma != mb ? ma > mb : a < b;
  };
  std::nth_element(order.begin(), order.begin() + keep, order.end(), larger);
  std::vector<uint8_t> mask(w.size(), 0);
  for (int64_t i = 0; i < keep; ++i) mask[order[i]] = 1;
  return mask;
}

void apply_random_mask(std::span<float> w, double density, Rng& rng) {
  const auto n = static_cast<int64_t>(w.size());
  if (n == 0) return;
  int64_t needed = kept_count(density, n);
  // Knuth's selection sampling (Algorithm S): keep weight i with probability needed / remaining,
  // which picks exactly `needed` of them, every subset equally likely.
  for (int64_t i = 0; i < n; ++i) {
    const int64_t remaining = n - i;
    if (static_cast<double>(remaining) * rng.uniform() < static_cast<double>(needed))
      --needed;
    else
      w[i] = 0.0f;
  }
}

void apply_mask(std::span<float> w, std::span<const uint8_t> mask) {
  for (size_t i = 0; i < w.size(); ++i)
    if (mask[i] == 0) w[i] = 0.0f;
}

std::string number_text(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

}  // namespace nocsim::models
