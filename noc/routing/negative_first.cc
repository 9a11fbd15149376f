// Negative-first turn model (Glass & Ni), minimal: hops in the negative directions (west, south)
// come before any hop in a positive one (east, north), so a packet never turns from positive to
// negative. Within each phase it picks adaptively among the directions it still needs.
#include "noc/routing/mesh_geometry.h"
#include "noc/routing/routing_algorithm.h"

namespace nocsim::noc {

class NegativeFirstRouting : public RoutingAlgorithm {
 public:
  NegativeFirstRouting(const Topology& t, const config::NocConfig&)
      : grid_(routing_detail::require_mesh(t, "negative_first")) {}

  void route(const RouteQuery& q, RouteChoices& out) const override {
    const auto o = routing_detail::mesh_offset(grid_, q.at, q.dest);
    if (o.dx < 0) out.add(kWest);
    if (o.dy < 0) out.add(kSouth);
    if (out.count > 0) return;
    if (o.dx > 0) out.add(kEast);
    if (o.dy > 0) out.add(kNorth);
    if (out.count == 0) out.add(q.dest_port);
  }
  bool adaptive() const override { return true; }
  RouteQuery canonical_query(const RouteQuery& q) const override {
    return RouteQuery{q.at, kLocal, 0, 0, q.dest, q.dest_port};  // only (at, dest) matter
  }

  // Negative hops come first: a packet travelling east or north has no west or south left.
  bool local_turns(RouterId at, PortId in_port, uint8_t in_vc, RouteChoices& out) const override {
    routing_detail::union_of_routes(
        grid_, *this, at, in_port, in_vc,
        [](PortId travel, int32_t dx, int32_t dy, bool) {
          return routing_detail::minimal_could_be_here(travel, dx, dy) &&
                 (travel != kEast && travel != kNorth ? true : dx >= 0 && dy >= 0);
        },
        out);
    return true;
  }

 private:
  Grid grid_;
};

NOCSIM_REGISTER(routing_registry(), NegativeFirstRouting, "negative_first",
                "negative-first turn model, minimal adaptive (mesh only)");

}  // namespace nocsim::noc
