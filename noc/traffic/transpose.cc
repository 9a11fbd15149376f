// Transpose: terminal (x, y) sends to (y, x); the diagonal sends to itself. On a k x k mesh with k
// a power of two this is exactly BookSim's bit transpose (swap the high and low halves of the id);
// here it is defined on coordinates, so any square mesh or torus works.
#include "noc/traffic/permutation_traffic.h"

namespace nocsim::noc {

namespace {
std::vector<uint32_t> transpose_table(const Topology& t) {
  const Grid& g = require_grid(t, "transpose");
  require(g.terminals_x() == g.terminals_y(), "traffic.pattern",
          "'transpose' needs a square grid of terminals, the network has " +
              std::to_string(g.terminals_x()) + "x" + std::to_string(g.terminals_y()));
  return destinations_of_all(
      t, [&](uint32_t s) { return g.terminal_at(g.terminal_y(s), g.terminal_x(s)); });
}
}  // namespace

class TransposeTraffic : public PermutationTraffic {
 public:
  TransposeTraffic(const Topology& t, const config::TrafficConfig&)
      : PermutationTraffic(transpose_table(t)) {}
};

NOCSIM_REGISTER(traffic_registry(), TransposeTraffic, "transpose",
                "(x, y) -> (y, x); square mesh or torus (BookSim transpose)");

}  // namespace nocsim::noc
