#pragma once
// Dimension-order routing (xy, yx) on meshes and tori. On a torus each ring is cut by a dateline:
// VCs split into two classes; a packet whose run along a dimension crosses that ring's wraparound
// link travels the whole run in the upper class, chosen where it enters the dimension, any other
// in the lower class (BookSim2's dim_order_torus). Neither class then holds a chain of channels
// round a ring, which breaks the ring's cyclic channel dependency (Dally & Seitz), and the two
// classes carry about equal load (switching class at the wraparound instead put every run's start
// in the lower class: with it and the old half-way rule the 8x8 torus saturated below 0.45
// flits/node/cycle, BookSim2 above 0.50). A half-way tie goes the way the packet's coin says. A
// packet going on in a dimension keeps the class of its input VC, so the check and the engine see
// the same rule.
#include <vector>

#include "noc/routing/mesh_geometry.h"
#include "noc/routing/routing_algorithm.h"

namespace nocsim::noc {

class DimensionOrderRouting : public RoutingAlgorithm {
 public:
  DimensionOrderRouting(const Topology& t, const config::NocConfig& cfg, bool x_first,
                        const char* name);

  void route(const RouteQuery& q, RouteChoices& out) const override;
  bool table_friendly() const override { return !datelines_; }
  // Half-way ties exist on a wrapping dimension of even k.
  bool uses_coin() const override {
    return (grid_.wrap_x && grid_.k_x % 2 == 0) || (grid_.wrap_y && grid_.k_y % 2 == 0);
  }
  RouteQuery canonical_query(const RouteQuery& q) const override;
  // Straight on, or from the first dimension into the second, wherever some packet does that (the
  // per-position tables below); the VC classes as route() assigns them.
  bool local_turns(RouterId at, PortId in_port, uint8_t in_vc, RouteChoices& out) const override;
  // Dimension-order trees on meshes: a copy forks where the paths to its destinations diverge.
  bool has_multicast_tree() const override { return !torus_; }
  uint64_t multicast_ports(RouterId at, PortId in_port,
                           std::span<const uint32_t> dests) const override;

 private:
  // Port toward `to` along one ring (wrap) or line of k routers, 0 when already there; `coin`
  // picks the way of a half-way tie.
  static PortId step(uint32_t from, uint32_t to, uint32_t k, bool wrap, PortId plus, PortId minus,
                     bool coin);
  uint32_t vc_mask(const RouteQuery& q, PortId out) const;

  // Per position along one dimension, which moves some minimal route makes there (one O(k^2) pass
  // over sources and distances at construction, so the local rule is exact on rings too): start
  // a run each way, and go on each way after arriving, for runs that stay in the lower VC class
  // and for runs that cross the wraparound (upper class: flag << 1).
  enum Move : uint8_t {
    kPlusStart = 1,  // kPlusStart << upper
    kMinusStart = 4,
    kPlusOn = 16,
    kMinusOn = 64,
  };
  static std::vector<uint8_t> moves(uint32_t k, bool wrap);

  Grid grid_;
  std::vector<RouterId> terminal_router_;  // copied, like grid_
  std::vector<PortId> terminal_port_;
  bool x_first_;
  bool torus_;      // some dimension wraps
  bool datelines_;  // torus with >= 2 VCs; without, a torus run is deadlock-prone by request
  uint32_t num_vcs_;
  uint32_t low_mask_ = ~0u, high_mask_ = ~0u;
  std::vector<uint8_t> x_moves_, y_moves_;
};

}  // namespace nocsim::noc
