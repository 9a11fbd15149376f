// Concentrated mesh (Balfour & Dally): a k_x x k_y mesh whose routers each serve
// noc.topology.concentration terminals (default 4, as a 2x2 tile). Fewer, larger routers and
// shorter average hop counts for the same number of terminals; the terminals form a
// (k_x c_x) x (k_y c_y) grid for the coordinate traffic patterns.
#include "noc/topologies/grid_topology.h"

namespace nocsim::noc {

class CmeshBuilder : public GridBuilder {
 public:
  explicit CmeshBuilder(const config::TopologyConfig& cfg)
      : GridBuilder(GridSpec::from_config(cfg, "cmesh", /*wrap=*/false, /*concentrated=*/true)) {}
};

NOCSIM_REGISTER(topology_registry(), CmeshBuilder, "cmesh",
                "concentrated mesh: k_x x k_y routers, noc.topology.concentration terminals each");

}  // namespace nocsim::noc
