// North-last turn model (Glass & Ni), minimal: north is taken only when nothing else is left, so a
// packet never turns out of north. While it still needs east/west hops it may not go north; a
// packet that needs south may pick adaptively between south and its east/west direction.
#include "noc/routing/mesh_geometry.h"
#include "noc/routing/routing_algorithm.h"

namespace nocsim::noc {

class NorthLastRouting : public RoutingAlgorithm {
 public:
  NorthLastRouting(const Topology& t, const config::NocConfig&)
      : grid_(routing_detail::require_mesh(t, "north_last")) {}

  void route(const RouteQuery& q, RouteChoices& out) const override {
    const auto o = routing_detail::mesh_offset(grid_, q.at, q.dest);
    if (o.dx != 0) out.add(routing_detail::x_port(o.dx));
    if (o.dy < 0) out.add(kSouth);
    if (o.dy > 0 && o.dx == 0) out.add(kNorth);
    if (out.count == 0) out.add(q.dest_port);
  }
  bool adaptive() const override { return true; }
  RouteQuery canonical_query(const RouteQuery& q) const override {
    return RouteQuery{q.at, kLocal, 0, 0, q.dest, q.dest_port};  // only (at, dest) matter
  }

  // North is last: a packet travelling north has nothing but north left.
  bool local_turns(RouterId at, PortId in_port, uint8_t in_vc, RouteChoices& out) const override {
    routing_detail::union_of_routes(
        grid_, *this, at, in_port, in_vc,
        [](PortId travel, int32_t dx, int32_t dy, bool) {
          return routing_detail::minimal_could_be_here(travel, dx, dy) &&
                 (travel != kNorth || dx == 0);
        },
        out);
    return true;
  }

 private:
  Grid grid_;
};

NOCSIM_REGISTER(routing_registry(), NorthLastRouting, "north_last",
                "north-last turn model, minimal adaptive (mesh only)");

}  // namespace nocsim::noc
