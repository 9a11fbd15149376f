// Bit complement: terminal i sends to ~i, i.e. N-1-i, the point mirrored through the centre of a
// mesh. Registered twice ("bitcomp" as BookSim names it, "bit_complement" spelled out).
#include "noc/traffic/permutation_traffic.h"

namespace nocsim::noc {

namespace {
std::vector<uint32_t> bitcomp_table(const Topology& t) {
  require_power_of_two_terminals(t, "bitcomp");
  const uint32_t mask = t.num_terminals() - 1;
  return destinations_of_all(t, [&](uint32_t s) { return ~s & mask; });
}
}  // namespace

class BitComplementTraffic : public PermutationTraffic {
 public:
  BitComplementTraffic(const Topology& t, const config::TrafficConfig&)
      : PermutationTraffic(bitcomp_table(t)) {}
};

NOCSIM_REGISTER(traffic_registry(), BitComplementTraffic, "bitcomp",
                "i -> N-1-i (complement every bit); N a power of two (BookSim bitcomp)");
NOCSIM_REGISTER(traffic_registry(), BitComplementTraffic, "bit_complement", "same as bitcomp");

}  // namespace nocsim::noc
