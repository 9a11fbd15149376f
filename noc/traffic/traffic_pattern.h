#pragma once
// A synthetic traffic pattern maps a source terminal to a destination terminal, deterministically
// or by drawing from the run's RNG. It is asked once per generated packet.
//
// Add one: a .cc file in noc/traffic/ with a class deriving from TrafficPattern, constructed from
// (const Topology&, const config::TrafficConfig&), and one NOCSIM_REGISTER(traffic_registry(),
// ...).
#include <cstdint>

#include "configs/registry.h"
#include "configs/rng.h"
#include "configs/schema/traffic.pb.h"
#include "noc/topology.h"

namespace nocsim::noc {

class TrafficPattern {
 public:
  virtual ~TrafficPattern() = default;
  virtual uint32_t destination(uint32_t source, Rng& rng) const = 0;
};

using TrafficRegistry = Registry<TrafficPattern, const Topology&, const config::TrafficConfig&>;
TrafficRegistry& traffic_registry();

}  // namespace nocsim::noc
