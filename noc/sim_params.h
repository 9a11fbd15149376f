#pragma once
// Simulation control of one run, resolved from config::SimConfig (defaults filled in, ranges
// checked with UserErrors on the sim.* field).
#include <cstdint>

#include "configs/schema/sim.pb.h"

namespace nocsim::noc {

// The longest run any cycle count may ask for (10^12 cycles: about 17 minutes of simulated time at
// 1 GHz, days of wall-clock time). Every sum of cycle counts below it fits in 64 bits with room to
// spare, so the clock, trace cycles and deadlines cannot wrap.
inline constexpr uint64_t kMaxSimCycles = 1'000'000'000'000;

// Ranges (checked by from_config): sample_period [1, 10^8], max_samples [1, 2^32), warmup_periods
// < max_samples (unless fixed_cycles), convergence (0, 1), latency_threshold (0, 10^12],
// max_cycles and watchdog_cycles [1, kMaxSimCycles], fixed_cycles [0, kMaxSimCycles], and
// max_cycles >= the warm-up plus fixed_cycles, max_memory_mb [1, 2^40], max_queued_packets
// [1, 10^9].
struct SimParams {
  uint64_t seed = 0;
  uint32_t warmup_periods = 3;
  uint32_t sample_period = 1000;
  uint32_t max_samples = 10;
  double convergence = 0.05;
  uint64_t max_cycles = 1'000'000;
  uint64_t watchdog_cycles = 10'000;
  double latency_threshold = 500;
  uint64_t fixed_cycles = 0;
  uint64_t max_memory_mb = 0;  // from_config fills in default_max_memory_mb()
  uint64_t max_queued_packets = 1'000'000;

  static SimParams from_config(const config::SimConfig& cfg);
};

}  // namespace nocsim::noc
