#pragma once
// Latency samples of one measurement window, summarised as mean / p50 / p99 / max. Latencies are
// whole cycles, so a histogram (one counter per cycle value, grown on demand) keeps percentiles
// exact while memory stays proportional to the largest latency rather than to the sample count;
// the rare latencies beyond kDense cycles are kept individually.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "configs/schema/result.pb.h"

namespace nocsim::noc {

class LatencySamples {
 public:
  static constexpr uint64_t kDense = 1u << 16;

  void add(uint64_t cycles) {
    if (cycles < kDense) {
      if (cycles >= counts_.size()) grow(cycles);
      ++counts_[cycles];
    } else {
      overflow_.push_back(cycles);
    }
    ++count_;
    sum_ += cycles;
    max_ = std::max(max_, cycles);
  }
  // Keeps the histogram's storage, so a cleared window does not allocate again.
  void clear() {
    std::fill(counts_.begin(), counts_.end(), 0);
    overflow_.clear();
    count_ = 0;
    sum_ = 0;
    max_ = 0;
  }
  uint64_t count() const { return count_; }
  double sum() const { return static_cast<double>(sum_); }
  double mean() const { return count_ == 0 ? 0.0 : static_cast<double>(sum_) / count_; }
  // Nearest-rank percentiles.
  config::LatencyStats summary() const;

 private:
  void grow(uint64_t cycles) {
    counts_.resize(std::min<uint64_t>(kDense, std::max<uint64_t>(cycles + 1, counts_.size() * 2)));
  }
  // Value of the sample with 1-based rank `rank` in sorted order.
  uint64_t at_rank(uint64_t rank) const;

  std::vector<uint64_t> counts_;
  std::vector<uint64_t> overflow_;
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t max_ = 0;
};

}  // namespace nocsim::noc
