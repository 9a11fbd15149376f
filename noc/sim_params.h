#pragma once
// Simulation control of one run, resolved from config::SimConfig (defaults filled in, ranges
// checked with UserErrors on the sim.* field).
#include <cstdint>

#include "configs/schema/sim.pb.h"

namespace nocsim::noc {

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

  static SimParams from_config(const config::SimConfig& cfg);
};

}  // namespace nocsim::noc
