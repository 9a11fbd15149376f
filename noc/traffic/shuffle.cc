// Perfect shuffle: terminal i sends to i's log2(N)-bit id rotated left by one bit.
#include "noc/traffic/permutation_traffic.h"

namespace nocsim::noc {

namespace {
std::vector<uint32_t> shuffle_table(const Topology& t) {
  const uint32_t bits = require_power_of_two_terminals(t, "shuffle");
  const uint32_t mask = t.num_terminals() - 1;
  return destinations_of_all(t, [&](uint32_t s) { return ((s << 1) & mask) | (s >> (bits - 1)); });
}
}  // namespace

class ShuffleTraffic : public PermutationTraffic {
 public:
  ShuffleTraffic(const Topology& t, const config::TrafficConfig&)
      : PermutationTraffic(shuffle_table(t)) {}
};

NOCSIM_REGISTER(traffic_registry(), ShuffleTraffic, "shuffle",
                "i -> i rotated left by one bit; N a power of two (BookSim shuffle)");

}  // namespace nocsim::noc
