#pragma once
// Which generated packets are multicast, and to whom (traffic.multicast). Drawn from the source's
// own RNG after its unicast destination, so a run without multicast keeps its random stream.
#include <cstdint>
#include <vector>

#include "configs/rng.h"
#include "configs/schema/traffic.pb.h"
#include "noc/topology.h"

namespace nocsim::noc {

class MulticastDestinations {
 public:
  // UserError on a bad traffic.multicast.* field.
  MulticastDestinations(const Topology& topo, const config::MulticastTrafficConfig& cfg);

  bool enabled() const { return fraction_ > 0; }
  // Fills `out` and returns true when this packet is multicast.
  bool draw(uint32_t source, Rng& rng, std::vector<uint32_t>& out) const;

 private:
  enum class Pattern { kRandom, kRow, kColumn, kBroadcast };
  const Topology& topo_;
  double fraction_ = 0;
  Pattern pattern_ = Pattern::kRandom;
  uint32_t k_ = 8;
};

}  // namespace nocsim::noc
