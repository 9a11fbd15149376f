// O1TURN (Seo et al., ISCA 2005), BookSim2's xy_yx: each packet goes XY or YX, chosen at random
// when it is injected (the packet's coin), and travels in its own VC class all the way: XY packets
// in the lower half of the VCs, YX packets in the upper half. Each class alone is dimension-order
// routing, so neither holds a turn cycle, and no packet moves from one class to the other. Beyond
// that class, a router reads the order from the input VC the packet holds (as BookSim2 does). Split
// between two orders, the load of a permutation such as transpose no longer piles onto one
// dimension's channels first.
//
// With an odd number of VCs the lower class has one VC less (BookSim2 lets its two halves share the
// middle VC there and reads that VC as YX, which can route an XY packet in YX order; here the
// halves never overlap). Fewer than 2 VCs leave no second class and are refused.
#include <string>

#include "configs/user_error.h"
#include "noc/routing/mesh_geometry.h"
#include "noc/routing/routing_algorithm.h"

namespace nocsim::noc {

class O1TurnRouting : public RoutingAlgorithm {
 public:
  O1TurnRouting(const Topology& t, const config::NocConfig& cfg)
      : grid_(routing_detail::require_mesh(t, "o1turn")),
        num_vcs_(routing_detail::configured_vcs(cfg)) {
    if (num_vcs_ < 2) {
      throw UserError("noc.router.num_vcs",
                      "'o1turn' needs at least 2 VCs (one class for XY packets, one for YX), got " +
                          std::to_string(num_vcs_));
    }
    const routing_detail::VcHalves halves = routing_detail::vc_halves(num_vcs_);
    xy_mask_ = halves.low;
    yx_mask_ = halves.high;
  }

  void route(const RouteQuery& q, RouteChoices& out) const override {
    const auto o = routing_detail::mesh_offset(grid_, q.at, q.dest);
    if (o.dx == 0 && o.dy == 0) {
      out.add(q.dest_port);  // ejection: the classes end here
      return;
    }
    const bool xy = x_first(q);
    const bool x_now = o.dy == 0 || (xy && o.dx != 0);
    out.add(x_now ? routing_detail::x_port(o.dx) : routing_detail::y_port(o.dy),
            xy ? xy_mask_ : yx_mask_);
  }
  bool uses_coin() const override { return true; }

  // Only the first hop reads the coin, and no hop reads the source.
  RouteQuery canonical_query(const RouteQuery& q) const override {
    const bool injected = routing_detail::travelling(q.in_port) == 0;
    return RouteQuery{q.at,
                      q.in_port,
                      q.in_vc,
                      0,
                      q.dest,
                      q.dest_port,
                      static_cast<uint8_t>(injected ? q.coin : 0)};
  }

  // A packet injected here may take any link, in either class. Otherwise its class is its input
  // VC's: an XY packet travelling east or west goes on or turns north or south, one travelling
  // north or south only goes on; a YX packet the other way round.
  bool local_turns(RouterId at, PortId in_port, uint8_t in_vc, RouteChoices& out) const override {
    const PortId travel = routing_detail::travelling(in_port);
    const bool along_x = travel == kEast || travel == kWest;
    const bool xy = in_vc < num_vcs_ / 2;
    const uint32_t x = grid_.x(at), y = grid_.y(at);
    for (PortId p = kEast; p <= kSouth; ++p) {
      const bool exists = (p == kEast && x + 1 < grid_.k_x) || (p == kWest && x > 0) ||
                          (p == kNorth && y + 1 < grid_.k_y) || (p == kSouth && y > 0);
      if (!exists) continue;
      if (travel == 0) {
        out.add(p, xy_mask_ | yx_mask_);
        continue;
      }
      if (p == in_port) continue;  // no U-turn
      const bool p_along_x = p == kEast || p == kWest;
      // Going on is always possible; a turn only from the class's first dimension into its second.
      const bool on = p == travel;
      const bool turn = xy ? (along_x && !p_along_x) : (!along_x && p_along_x);
      if (on || turn) out.add(p, xy ? xy_mask_ : yx_mask_);
    }
    return true;
  }

 private:
  bool x_first(const RouteQuery& q) const {
    if (routing_detail::travelling(q.in_port) == 0) return q.coin == 0;  // injected here
    return q.in_vc < num_vcs_ / 2;
  }
  Grid grid_;
  uint32_t num_vcs_;
  uint32_t xy_mask_ = 0, yx_mask_ = 0;
};

NOCSIM_REGISTER(routing_registry(), O1TurnRouting, "o1turn",
                "O1TURN: XY or YX per packet at random, one VC class each (mesh only)");
NOCSIM_REGISTER(routing_registry(), O1TurnRouting, "xy_yx", "same as o1turn (BookSim2's name)");

}  // namespace nocsim::noc
