#include "noc/latency_samples.h"

#include <algorithm>
#include <cmath>

namespace nocsim::noc {

uint64_t LatencySamples::at_rank(uint64_t rank) const {
  uint64_t seen = 0;
  for (uint64_t v = 0; v < counts_.size(); ++v) {
    seen += counts_[v];
    if (seen >= rank) return v;
  }
  std::vector<uint64_t> rest = overflow_;
  const size_t k = static_cast<size_t>(rank - seen - 1);
  std::nth_element(rest.begin(), rest.begin() + k, rest.end());
  return rest[k];
}

config::LatencyStats LatencySamples::summary() const {
  config::LatencyStats s;
  s.set_count(count_);
  if (count_ == 0) return s;
  auto rank = [&](double q) {
    const uint64_t k = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * count_)));
    return static_cast<double>(at_rank(k));
  };
  s.set_mean(mean());
  s.set_p50(rank(0.50));
  s.set_p99(rank(0.99));
  s.set_max(static_cast<double>(max_));
  return s;
}

}  // namespace nocsim::noc
