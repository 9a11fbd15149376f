#pragma once
// A topology builder turns a `noc.topology` config into a Topology. One builder per shape, each in
// its own file here, registered under the name `noc.topology.kind` uses:
//
//   NOCSIM_REGISTER(topology_registry(), MeshBuilder, "mesh", "k_x x k_y 2-D mesh");
//
// The constructor takes the config and checks it (UserError on the noc.topology.* field); build()
// adds the channels and terminals through Topology::add_channel / Topology::finish; size() says
// how big the result will be without building it where the shape allows.
#include <cstdint>

#include "configs/registry.h"
#include "configs/schema/noc.pb.h"
#include "noc/topology.h"

namespace nocsim::noc {

// Longest link a topology may have, in mm: a wafer is 300 mm across; beyond this a length is a
// typo (a unit mix-up), and the link energy (pJ per bit per mm) would be garbage.
inline constexpr double kMaxLinkLengthMm = 1000.0;

// What a built topology holds, for the memory estimate of a run (noc/memory_estimate.h).
struct TopologySize {
  uint64_t routers = 0, ports = 0, channels = 0;
  uint64_t hop_table_entries = 0;  // the all-pairs distance table of a topology without a grid
};

class TopologyBuilder {
 public:
  virtual ~TopologyBuilder() = default;
  virtual Topology build() const = 0;
  // By default counted on the built topology; builders of big shapes count from the config.
  virtual TopologySize size() const;
};

using TopologyRegistry = Registry<TopologyBuilder, const config::TopologyConfig&>;
TopologyRegistry& topology_registry();

}  // namespace nocsim::noc
