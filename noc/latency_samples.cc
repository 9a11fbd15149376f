#include "noc/latency_samples.h"

#include <algorithm>
#include <cmath>

namespace nocsim::noc {

config::LatencyStats LatencySamples::summary() const {
  config::LatencyStats s;
  s.set_count(samples_.size());
  if (samples_.empty()) return s;
  std::vector<uint64_t> v = samples_;
  auto rank = [&](double q) {
    const size_t k = static_cast<size_t>(std::ceil(q * v.size())) - 1;
    std::nth_element(v.begin(), v.begin() + k, v.end());
    return static_cast<double>(v[k]);
  };
  s.set_mean(mean());
  s.set_p50(rank(0.50));
  s.set_p99(rank(0.99));
  s.set_max(static_cast<double>(*std::max_element(v.begin(), v.end())));
  return s;
}

}  // namespace nocsim::noc
