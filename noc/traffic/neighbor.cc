// Neighbor: every terminal sends to its diagonal neighbour (x+1, y+1), wrapping at the edges as
// BookSim does (so on a mesh the last column and row send all the way back).
#include "noc/traffic/permutation_traffic.h"

namespace nocsim::noc {

namespace {
std::vector<uint32_t> neighbor_table(const Topology& t) {
  const Grid& g = require_grid(t, "neighbor");
  const uint32_t kx = g.terminals_x(), ky = g.terminals_y();
  return destinations_of_all(t, [&](uint32_t s) {
    return g.terminal_at((g.terminal_x(s) + 1) % kx, (g.terminal_y(s) + 1) % ky);
  });
}
}  // namespace

class NeighborTraffic : public PermutationTraffic {
 public:
  NeighborTraffic(const Topology& t, const config::TrafficConfig&)
      : PermutationTraffic(neighbor_table(t)) {}
};

NOCSIM_REGISTER(traffic_registry(), NeighborTraffic, "neighbor",
                "(x, y) -> ((x+1) mod k_x, (y+1) mod k_y) (BookSim neighbor)");

}  // namespace nocsim::noc
