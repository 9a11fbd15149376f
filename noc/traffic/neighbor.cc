// Neighbor: every terminal sends to its diagonal neighbour (x+1, y+1), wrapping at the edges as
// BookSim does (so on a mesh the last column and row send all the way back).
#include "noc/traffic/permutation_traffic.h"

namespace nocsim::noc {

namespace {
std::vector<uint32_t> neighbor_table(const Topology& t) {
  require_grid(t, "neighbor");
  return destinations_of_all(
      t, [&](uint32_t s) { return t.at((t.x(s) + 1) % t.k_x(), (t.y(s) + 1) % t.k_y()); });
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
