#include "noc/topologies/topology_builder.h"

namespace nocsim::noc {

TopologyRegistry& topology_registry() {
  static TopologyRegistry registry("topology");
  return registry;
}

}  // namespace nocsim::noc
