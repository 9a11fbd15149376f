#pragma once
// Records what a synthetic run would inject: the traffic pattern and injection process of a
// TrafficConfig over a number of cycles, as a Trace for replay (`nocsim trace-gen`). Each terminal
// draws from Rng::derive(seed, terminal), the same streams a synthetic run uses, so a trace made
// with a run's seed holds the packets that run creates in its first `cycles` cycles.
#include <cstdint>

#include "configs/schema/traffic.pb.h"
#include "noc/topology.h"

namespace nocsim::noc {

// Throws UserError (naming the traffic.* field) for invalid traffic settings.
config::Trace generate_trace(const Topology& topology, const config::TrafficConfig& traffic,
                             uint64_t seed, uint64_t cycles);

}  // namespace nocsim::noc
