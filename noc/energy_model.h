#pragma once
// Network energy from event counts: every buffer write/read, crossbar traversal and allocation is
// charged its per-event energy from the technology preset, every flit on a channel its
// bits x millimetres, and every router its leakage per cycle.
#include <cstdint>

#include "configs/schema/result.pb.h"
#include "configs/schema/tech.pb.h"
#include "noc/network.h"

namespace nocsim::noc {

// `window` holds the counts of the interval (NetworkCounters::since), `cycles` its length.
config::EnergyBreakdown network_energy(const NetworkCounters& window, const Topology& topology,
                                       const RouterParams& params, uint64_t cycles,
                                       const config::TechConfig& tech);

}  // namespace nocsim::noc
