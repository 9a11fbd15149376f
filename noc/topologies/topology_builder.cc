#include "noc/topologies/topology_builder.h"

namespace nocsim::noc {

TopologySize TopologyBuilder::size() const {
  const Topology t = build();
  TopologySize s;
  s.routers = t.num_routers();
  s.ports = t.total_ports();
  s.channels = t.channels().size();
  s.hop_table_entries = t.grid() ? 0 : s.routers * s.routers;
  return s;
}

TopologyRegistry& topology_registry() {
  static TopologyRegistry registry("topology");
  return registry;
}

}  // namespace nocsim::noc
