#include "noc/sim_params.h"

#include <cmath>
#include <string>

#include "configs/user_error.h"

namespace nocsim::noc {

SimParams SimParams::from_config(const config::SimConfig& cfg) {
  SimParams p;
  p.seed = cfg.seed();
  if (cfg.warmup_periods() != 0) p.warmup_periods = cfg.warmup_periods();
  if (cfg.sample_period() != 0) p.sample_period = cfg.sample_period();
  if (cfg.max_samples() != 0) p.max_samples = cfg.max_samples();
  if (cfg.convergence() != 0) p.convergence = cfg.convergence();
  if (cfg.max_cycles() != 0) p.max_cycles = cfg.max_cycles();
  if (cfg.watchdog_cycles() != 0) p.watchdog_cycles = cfg.watchdog_cycles();
  if (cfg.latency_threshold() != 0) p.latency_threshold = cfg.latency_threshold();
  p.fixed_cycles = cfg.fixed_cycles();
  require(p.max_samples > p.warmup_periods || p.fixed_cycles > 0, "sim.max_samples",
          "must exceed sim.warmup_periods (" + std::to_string(p.warmup_periods) +
              ") so that at least one sample period measures");
  require(std::isfinite(p.convergence) && p.convergence > 0 && p.convergence < 1, "sim.convergence",
          "must be in (0, 1), got " + std::to_string(p.convergence));
  require(std::isfinite(p.latency_threshold) && p.latency_threshold > 0, "sim.latency_threshold",
          "must be a positive number of cycles, got " + std::to_string(p.latency_threshold));
  require(p.sample_period <= 100'000'000, "sim.sample_period", "at most 100,000,000 cycles");
  const uint64_t needed =
      uint64_t(p.warmup_periods) * p.sample_period + (p.fixed_cycles ? p.fixed_cycles : 0);
  require(p.max_cycles >= needed, "sim.max_cycles",
          "must cover the warm-up and measurement (" + std::to_string(needed) + " cycles), got " +
              std::to_string(p.max_cycles));
  return p;
}

}  // namespace nocsim::noc
