// Tornado: every terminal sends just under half-way around each dimension,
// x -> (x + ceil(k_x/2) - 1) mod k_x and likewise for y, BookSim's offset ((k+1)/2 - 1). On a torus
// this is the adversarial pattern for minimal routing (all traffic turns the same way around each
// ring); on a mesh the wrapped destinations travel back the other way.
#include "noc/traffic/permutation_traffic.h"

namespace nocsim::noc {

namespace {
uint32_t tornado_offset(uint32_t k) {
  return (k + 1) / 2 - 1;
}

std::vector<uint32_t> tornado_table(const Topology& t) {
  const Grid& g = require_grid(t, "tornado");
  const uint32_t kx = g.terminals_x(), ky = g.terminals_y();
  const uint32_t ox = tornado_offset(kx), oy = tornado_offset(ky);
  return destinations_of_all(t, [&](uint32_t s) {
    return g.terminal_at((g.terminal_x(s) + ox) % kx, (g.terminal_y(s) + oy) % ky);
  });
}
}  // namespace

class TornadoTraffic : public PermutationTraffic {
 public:
  TornadoTraffic(const Topology& t, const config::TrafficConfig&)
      : PermutationTraffic(tornado_table(t)) {}
};

NOCSIM_REGISTER(traffic_registry(), TornadoTraffic, "tornado",
                "(x, y) -> (x + ceil(k_x/2) - 1, y + ceil(k_y/2) - 1) mod k (BookSim tornado)");

}  // namespace nocsim::noc
