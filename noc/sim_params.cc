#include "noc/sim_params.h"

#include <cmath>
#include <string>

#include "configs/user_error.h"
#include "noc/memory_estimate.h"

namespace nocsim::noc {

SimParams SimParams::from_config(const config::SimConfig& cfg) {
  SimParams p;
  p.seed = cfg.seed();
  // Unset fields keep the defaults; an explicit value is taken as given and checked below.
  if (cfg.has_warmup_periods()) p.warmup_periods = cfg.warmup_periods();
  if (cfg.has_sample_period()) p.sample_period = cfg.sample_period();
  if (cfg.has_max_samples()) p.max_samples = cfg.max_samples();
  if (cfg.has_convergence()) p.convergence = cfg.convergence();
  if (cfg.has_max_cycles()) p.max_cycles = cfg.max_cycles();
  if (cfg.has_watchdog_cycles()) p.watchdog_cycles = cfg.watchdog_cycles();
  if (cfg.has_latency_threshold()) p.latency_threshold = cfg.latency_threshold();
  require(p.sample_period >= 1, "sim.sample_period", "must be at least 1 cycle");
  require(p.max_samples >= 1, "sim.max_samples", "must be at least 1");
  require(p.watchdog_cycles >= 1, "sim.watchdog_cycles", "must be at least 1 cycle");
  auto cycles_in_range = [](uint64_t v, uint64_t min, const std::string& field) {
    require(v >= min && v <= kMaxSimCycles, field,
            "must be between " + std::to_string(min) + " and " + std::to_string(kMaxSimCycles) +
                " cycles, got " + std::to_string(v));
  };
  cycles_in_range(p.max_cycles, 1, "sim.max_cycles");
  cycles_in_range(p.watchdog_cycles, 1, "sim.watchdog_cycles");
  p.fixed_cycles = cfg.fixed_cycles();
  cycles_in_range(p.fixed_cycles, 0, "sim.fixed_cycles");
  require(p.max_samples > p.warmup_periods || p.fixed_cycles > 0, "sim.max_samples",
          "must exceed sim.warmup_periods (" + std::to_string(p.warmup_periods) +
              ") so that at least one sample period measures");
  require(std::isfinite(p.convergence) && p.convergence > 0 && p.convergence < 1, "sim.convergence",
          "must be in (0, 1), got " + std::to_string(p.convergence));
  require(std::isfinite(p.latency_threshold) && p.latency_threshold > 0 &&
              p.latency_threshold <= static_cast<double>(kMaxSimCycles),
          "sim.latency_threshold",
          "must be a positive number of cycles up to " + std::to_string(kMaxSimCycles) + ", got " +
              std::to_string(p.latency_threshold));
  require(p.sample_period <= 100'000'000, "sim.sample_period", "at most 100,000,000 cycles");
  // At most (2^32 - 1) * 10^8 + 10^12 < 2^59: no overflow (fixed_cycles near 2^64 used to wrap
  // this sum and slip past the check).
  const uint64_t needed = uint64_t(p.warmup_periods) * p.sample_period + p.fixed_cycles;
  require(p.max_cycles >= needed, "sim.max_cycles",
          "must cover the warm-up and measurement (" + std::to_string(needed) + " cycles), got " +
              std::to_string(p.max_cycles));
  p.max_memory_mb = cfg.has_max_memory_mb() ? cfg.max_memory_mb() : default_max_memory_mb();
  require(p.max_memory_mb >= 1 && p.max_memory_mb <= (uint64_t{1} << 40), "sim.max_memory_mb",
          "must be between 1 and 2^40 MB, got " + std::to_string(p.max_memory_mb));
  if (cfg.has_max_queued_packets()) p.max_queued_packets = cfg.max_queued_packets();
  require(p.max_queued_packets >= 1 && p.max_queued_packets <= 1'000'000'000,
          "sim.max_queued_packets",
          "must be between 1 and 10^9 packets, got " + std::to_string(p.max_queued_packets));
  return p;
}

}  // namespace nocsim::noc
