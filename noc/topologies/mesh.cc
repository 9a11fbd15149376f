// 2-D mesh: k_x x k_y routers, each linked to its compass neighbours, one terminal per router.
#include "noc/topologies/grid_topology.h"

namespace nocsim::noc {

class MeshBuilder : public GridBuilder {
 public:
  explicit MeshBuilder(const config::TopologyConfig& cfg)
      : GridBuilder(GridSpec::from_config(cfg, "mesh", /*wrap=*/false, /*concentrated=*/false)) {}
};

NOCSIM_REGISTER(topology_registry(), MeshBuilder, "mesh",
                "k_x x k_y 2-D mesh, one terminal per router (the default)");

}  // namespace nocsim::noc
