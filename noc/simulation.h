#pragma once
// Synthetic-traffic runs measured by BookSim2's method, so results compare with its curves:
//   1. warm-up: sim.warmup_periods sample periods, statistics cleared on even periods;
//   2. measurement: sample periods until the mean packet latency and the accepted throughput each
//      change by less than sim.convergence in three consecutive periods (or sim.max_samples);
//      only packets created in this window are measured;
//   3. drain: the network keeps running (sources keep injecting, unmeasured) until every measured
//      packet has arrived.
// The run is declared saturated when the mean latency (delivered plus the age of everything still
// waiting) exceeds sim.latency_threshold, or when the measured packets cannot drain within
// sim.max_cycles. sim.fixed_cycles > 0 instead measures a fixed window after warm-up (benchmarks).
// Traffic pattern "trace" replays a trace file and measures every packet in it.
#include "configs/schema/noc.pb.h"
#include "configs/schema/result.pb.h"
#include "configs/schema/sim.pb.h"
#include "configs/schema/tech.pb.h"
#include "configs/schema/traffic.pb.h"

namespace nocsim::noc {

// Throws UserError (naming the config field) for invalid configurations and NetworkStalled when the
// watchdog fires.
config::NocResult run_traffic(const config::NocConfig& noc, const config::TrafficConfig& traffic,
                              const config::SimConfig& sim, const config::TechConfig& tech);

}  // namespace nocsim::noc
