#pragma once
// A topology builder turns a `noc.topology` config into a Topology. One builder per shape, each in
// its own file here, registered under the name `noc.topology.kind` uses:
//
//   NOCSIM_REGISTER(topology_registry(), MeshBuilder, "mesh", "k_x x k_y 2-D mesh");
//
// The constructor takes the config and checks it (UserError on the noc.topology.* field); build()
// adds the channels and terminals through Topology::add_channel / Topology::finish.
#include "configs/registry.h"
#include "configs/schema/noc.pb.h"
#include "noc/topology.h"

namespace nocsim::noc {

class TopologyBuilder {
 public:
  virtual ~TopologyBuilder() = default;
  virtual Topology build() const = 0;
};

using TopologyRegistry = Registry<TopologyBuilder, const config::TopologyConfig&>;
TopologyRegistry& topology_registry();

}  // namespace nocsim::noc
