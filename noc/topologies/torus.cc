// 2-D torus: a mesh whose rows and columns are closed into rings by wraparound links.
#include "noc/topologies/grid_topology.h"

namespace nocsim::noc {

class TorusBuilder : public GridBuilder {
 public:
  explicit TorusBuilder(const config::TopologyConfig& cfg)
      : GridBuilder(GridSpec::from_config(cfg, "torus", /*wrap=*/true, /*concentrated=*/false)) {}
};

NOCSIM_REGISTER(topology_registry(), TorusBuilder, "torus",
                "k_x x k_y 2-D torus (wraparound rings), one terminal per router");

}  // namespace nocsim::noc
