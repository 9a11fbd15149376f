#pragma once
// Latency samples of one measurement window, summarised as mean / p50 / p99 / max. Samples are kept
// (not binned) so percentiles are exact; a window holds at most a few hundred thousand of them.
#include <cstdint>
#include <vector>

#include "configs/schema/result.pb.h"

namespace nocsim::noc {

class LatencySamples {
 public:
  void add(uint64_t cycles) {
    samples_.push_back(cycles);
    sum_ += static_cast<double>(cycles);
  }
  void clear() {
    samples_.clear();
    sum_ = 0;
  }
  uint64_t count() const { return samples_.size(); }
  double sum() const { return sum_; }
  double mean() const { return samples_.empty() ? 0.0 : sum_ / samples_.size(); }
  // Nearest-rank percentiles.
  config::LatencyStats summary() const;

 private:
  std::vector<uint64_t> samples_;
  double sum_ = 0;
};

}  // namespace nocsim::noc
