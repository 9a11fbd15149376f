#pragma once
// Dimension-order routing (xy, yx) on meshes and tori. On a torus each ring is cut by a dateline:
// VCs split into two classes, a packet travels in the lower class until it takes a wraparound link
// and in the upper class from there to the end of that dimension, which breaks the ring's cyclic
// channel dependency (Dally & Seitz). The class comes from the input VC, not from the source, so
// the check and the engine see the same rule.
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
  RouteQuery canonical_query(const RouteQuery& q) const override;
  // Straight on, or from the first dimension into the second, wherever some packet does that (the
  // per-position tables below); the VC classes as route() assigns them.
  bool local_turns(RouterId at, PortId in_port, uint8_t in_vc, RouteChoices& out) const override;
  // Dimension-order trees on meshes: a copy forks where the paths to its destinations diverge.
  bool has_multicast_tree() const override { return !torus_; }
  uint64_t multicast_ports(RouterId at, PortId in_port,
                           std::span<const uint32_t> dests) const override;

 private:
  // Port toward `to` along one ring (wrap) or line of k routers, 0 when already there.
  static PortId step(uint32_t from, uint32_t to, uint32_t k, bool wrap, PortId plus, PortId minus);
  uint32_t vc_mask(const RouteQuery& q, PortId out) const;

  // Per position along one dimension, which moves some minimal route makes there (one O(k^2) pass
  // over sources and distances at construction, so the local rule is exact on rings too): start
  // a hop each way, and go on each way after arriving before / after the dimension's wraparound.
  enum Move : uint8_t {
    kPlusStart = 1,
    kMinusStart = 2,
    kPlusOn = 4,  // kPlusOn << crossed
    kMinusOn = 16,
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
