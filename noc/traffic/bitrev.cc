// Bit reverse: terminal i sends to the terminal whose log2(N)-bit id is i's bits in reverse order.
#include "noc/traffic/permutation_traffic.h"

namespace nocsim::noc {

namespace {
std::vector<uint32_t> bitrev_table(const Topology& t) {
  const uint32_t bits = require_power_of_two_terminals(t, "bitrev");
  return destinations_of_all(t, [&](uint32_t s) {
    uint32_t d = 0;
    for (uint32_t b = 0; b < bits; ++b) d = (d << 1) | ((s >> b) & 1u);
    return d;
  });
}
}  // namespace

class BitReverseTraffic : public PermutationTraffic {
 public:
  BitReverseTraffic(const Topology& t, const config::TrafficConfig&)
      : PermutationTraffic(bitrev_table(t)) {}
};

NOCSIM_REGISTER(traffic_registry(), BitReverseTraffic, "bitrev",
                "i -> i with its log2(N) bits reversed; N a power of two (BookSim bitrev)");
NOCSIM_REGISTER(traffic_registry(), BitReverseTraffic, "bit_reverse", "same as bitrev");

}  // namespace nocsim::noc
