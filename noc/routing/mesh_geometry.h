#pragma once
// Small helpers shared by the mesh routing algorithms in this folder (not part of the engine's
// contract): topology checks and the minimal directions toward a destination.
#include <cstdint>
#include <string>

#include "configs/schema/noc.pb.h"
#include "configs/user_error.h"
#include "noc/routing/routing_algorithm.h"
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

// Two VC classes: the lower half of the VCs (one fewer with an odd count) and the rest, for
// algorithms that split traffic in two (torus datelines, O1TURN's orders).
struct VcHalves {
  uint32_t low = 0, high = 0;  // VC masks
};
inline VcHalves vc_halves(uint32_t num_vcs) {
  const uint32_t all = num_vcs >= 32 ? ~0u : (1u << num_vcs) - 1;
  const uint32_t low = (1u << (num_vcs / 2)) - 1;
  return {low, all & ~low};
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

// Direction of travel of a packet that arrived on compass port `in_port` (it came in from that
// side); 0 for a terminal port (the packet was injected here).
inline PortId travelling(PortId in_port) {
  switch (in_port) {
    case kWest:
      return kEast;
    case kEast:
      return kWest;
    case kSouth:
      return kNorth;
    case kNorth:
      return kSouth;
    default:
      return 0;
  }
}

// A local turn set for minimal mesh algorithms whose choice depends only on the offset to the
// destination (its signs, whether it is one column, the destination column's parity) and on whether
// the packet is still in its source column: the union of route() over destinations within two hops
// each way and both source cases, keeping those `could_be_here(travel, dx, dy, in_source_column)`
// says a packet arriving on `in_port` can have (travel 0: injected here). O(1) per call.
template <class CouldBeHere>
void union_of_routes(const Grid& g, const RoutingAlgorithm& alg, RouterId at, PortId in_port,
                     uint8_t in_vc, CouldBeHere could_be_here, RouteChoices& out) {
  const int32_t x = static_cast<int32_t>(g.x(at)), y = static_cast<int32_t>(g.y(at));
  const PortId travel = travelling(in_port);
  uint32_t mask[kMeshPorts] = {};
  for (int32_t dy = -2; dy <= 2; ++dy) {
    for (int32_t dx = -2; dx <= 2; ++dx) {
      const int32_t tx = x + dx, ty = y + dy;
      if ((dx == 0 && dy == 0) || tx < 0 || ty < 0 || tx >= static_cast<int32_t>(g.k_x) ||
          ty >= static_cast<int32_t>(g.k_y)) {
        continue;
      }
      for (const bool in_source_column : {true, false}) {
        // Moving along x leaves the source column; a one-column mesh has no other column.
        if (in_source_column && (travel == kEast || travel == kWest)) continue;
        if (!in_source_column && (travel == 0 || g.k_x == 1)) continue;
        if (!could_be_here(travel, dx, dy, in_source_column)) continue;
        const uint32_t sx = in_source_column ? g.x(at) : (g.x(at) == 0 ? 1 : 0);
        RouteChoices c;
        alg.route(RouteQuery{at, in_port, in_vc, g.at(sx, g.y(at)),
                             g.at(static_cast<uint32_t>(tx), static_cast<uint32_t>(ty)), 0},
                  c);
        for (uint8_t i = 0; i < c.count; ++i) {
          if (c.choice[i].port >= kEast && c.choice[i].port <= kSouth)
            mask[c.choice[i].port] |= c.choice[i].vc_mask;
        }
      }
    }
  }
  for (PortId p = kEast; p <= kSouth; ++p) {
    if (mask[p] != 0) out.add(p, mask[p]);
  }
}

// The minimal-routing part of could_be_here: a packet travelling one way still has zero or more
// hops to go that way, never the other.
inline bool minimal_could_be_here(PortId travel, int32_t dx, int32_t dy) {
  switch (travel) {
    case kEast:
      return dx >= 0;
    case kWest:
      return dx <= 0;
    case kNorth:
      return dy >= 0;
    case kSouth:
      return dy <= 0;
    default:
      return true;
  }
}

// What the minimal turn models (west_first, north_last, negative_first) share: a route depends on
// (at, dest) only, and the turns a packet can take at a router follow from the minimal directions
// and the model's own rule, `allows`: can a packet travelling `travel` still have (dx, dy) to go?
class MinimalTurnModel : public RoutingAlgorithm {
 public:
  MinimalTurnModel(const Topology& t, const std::string& name) : grid_(require_mesh(t, name)) {}
  bool adaptive() const override { return true; }
  RouteQuery canonical_query(const RouteQuery& q) const override {
    return RouteQuery{q.at, kLocal, 0, 0, q.dest, q.dest_port};  // only (at, dest) matter
  }
  bool local_turns(RouterId at, PortId in_port, uint8_t in_vc, RouteChoices& out) const override {
    union_of_routes(
        grid_, *this, at, in_port, in_vc,
        [this](PortId travel, int32_t dx, int32_t dy, bool) {
          return minimal_could_be_here(travel, dx, dy) && allows(travel, dx, dy);
        },
        out);
    return true;
  }

 protected:
  virtual bool allows(PortId travel, int32_t dx, int32_t dy) const = 0;
  Grid grid_;
};

inline PortId x_port(int32_t dx) {
  return dx > 0 ? kEast : kWest;
}
inline PortId y_port(int32_t dy) {
  return dy > 0 ? kNorth : kSouth;
}

}  // namespace nocsim::noc::routing_detail
