#pragma once
// What the grid builders (mesh, torus, cmesh) share: the size fields with their defaults, and the
// wiring of a k_x x k_y grid of routers on the compass ports with c_x x c_y terminals per router.
#include "configs/schema/noc.pb.h"
#include "noc/topologies/topology_builder.h"

namespace nocsim::noc {

// The grid a config asks for: k_x (default 8), k_y (default k_x), link length (default 1 mm), the
// given wrap flags and concentration; bad values are UserErrors on their field. `kind` names the
// builder in messages; a builder without concentration refuses noc.topology.concentration.
struct GridSpec {
  Grid grid;
  double link_length_mm = 1.0;
  static GridSpec from_config(const config::TopologyConfig& cfg, const char* kind, bool wrap,
                              bool concentrated);
};

// The sizes build_grid(spec) gives, from the spec alone.
TopologySize grid_size(const GridSpec& spec);

// Routers row-major, links on ports kEast..kSouth (wrap links close each ring where asked; a ring
// of one router gets none), terminal (c_x * j + i) of a router's tile at port 0 for the first and
// kMeshPorts + n - 1 for the n-th after it, terminal ids row-major on the terminal grid.
Topology build_grid(const GridSpec& spec);

class GridBuilder : public TopologyBuilder {
 public:
  explicit GridBuilder(GridSpec spec) : spec_(spec) {}
  Topology build() const override { return build_grid(spec_); }
  TopologySize size() const override { return grid_size(spec_); }

 private:
  GridSpec spec_;
};

}  // namespace nocsim::noc
