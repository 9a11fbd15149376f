#pragma once
// Small helpers shared by the mesh routing algorithms in this folder (not part of the engine's
// contract): topology checks and the minimal directions toward a destination.
#include <cstdint>
#include <string>

#include "configs/schema/noc.pb.h"
#include "configs/user_error.h"
#include "noc/topology.h"

namespace nocsim::noc::routing_detail {

// The grid an algorithm routes on (copied by value by the algorithm, so that it never outlives
// what it reads); any other topology is refused on noc.routing.algorithm.
inline const Grid& require_grid(const Topology& t, const std::string& algorithm) {
  if (t.grid() != nullptr) return *t.grid();
  throw UserError("noc.routing.algorithm",
                  "'" + algorithm + "' needs a grid topology (mesh, torus, cmesh); use 'table'");
}

// Turn-model algorithms are only deadlock free (and only defined) on a grid without wraparound.
inline const Grid& require_mesh(const Topology& t, const std::string& algorithm) {
  const Grid& g = require_grid(t, algorithm);
  if (g.wraps()) {
    throw UserError("noc.routing.algorithm",
                    "'" + algorithm + "' is defined on meshes (mesh, cmesh) only, not on a torus " +
                        "(use xy or yx on a torus)");
  }
  return g;
}

inline uint32_t configured_vcs(const config::NocConfig& cfg) {
  return cfg.router().num_vcs() == 0 ? 2 : cfg.router().num_vcs();
}

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
