#pragma once
// Small helpers shared by the mesh routing algorithms in this folder (not part of the engine's
// contract): topology checks and the minimal directions toward a destination.
#include <cstdint>
#include <string>

#include "configs/schema/noc.pb.h"
#include "configs/user_error.h"
#include "noc/topology.h"

namespace nocsim::noc::routing_detail {

// Turn-model algorithms are only deadlock free (and only defined) on a 2-D mesh.
inline void require_mesh(const Topology& t, const std::string& algorithm) {
  if (t.kind() == Topology::Kind::kMesh) return;
  const char* kind = t.kind() == Topology::Kind::kTorus ? "torus" : "graph";
  throw UserError("noc.routing.algorithm",
                  "'" + algorithm + "' is defined on mesh topologies only, not on a " + kind +
                      " (use xy or yx on a torus, table on a graph)");
}

inline uint32_t configured_vcs(const config::NocConfig& cfg) {
  return cfg.router().num_vcs() == 0 ? 2 : cfg.router().num_vcs();
}

// The shape of a mesh or torus, copied by value so that an algorithm never outlives what it reads.
struct Grid {
  uint32_t k_x = 1;
  uint32_t k_y = 1;
  explicit Grid(const Topology& t) : k_x(t.k_x()), k_y(t.k_y()) {}
  uint32_t x(RouterId r) const { return r % k_x; }
  uint32_t y(RouterId r) const { return r / k_x; }
};

// Offsets from the current router to the destination on a mesh (positive = east / north).
struct MeshOffset {
  int32_t dx = 0;
  int32_t dy = 0;
  uint32_t cx = 0;  // current column, for turn models that care about parity
  uint32_t cy = 0;
};

inline MeshOffset mesh_offset(const Grid& g, RouterId at, RouterId dest) {
  MeshOffset o;
  o.cx = g.x(at);
  o.cy = g.y(at);
  o.dx = static_cast<int32_t>(g.x(dest)) - static_cast<int32_t>(o.cx);
  o.dy = static_cast<int32_t>(g.y(dest)) - static_cast<int32_t>(o.cy);
  return o;
}

inline PortId x_port(int32_t dx) {
  return dx > 0 ? kEast : kWest;
}
inline PortId y_port(int32_t dy) {
  return dy > 0 ? kNorth : kSouth;
}

}  // namespace nocsim::noc::routing_detail
