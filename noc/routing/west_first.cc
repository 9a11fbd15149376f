// West-first turn model (Glass & Ni), minimal: a packet that must go west goes west first and only
// west; once it needs no more west hops it may pick adaptively among east, north and south. Turns
// into west are never taken, which removes both cycles a mesh can form.
#include "noc/routing/mesh_geometry.h"
#include "noc/routing/routing_algorithm.h"

namespace nocsim::noc {

class WestFirstRouting : public RoutingAlgorithm {
 public:
  WestFirstRouting(const Topology& t, const config::NocConfig&)
      : grid_(routing_detail::require_mesh(t, "west_first")) {}

  void route(const RouteQuery& q, RouteChoices& out) const override {
    const auto o = routing_detail::mesh_offset(grid_, q.at, q.dest);
    if (o.dx < 0) {
      out.add(kWest);
      return;
    }
    if (o.dx > 0) out.add(kEast);
    if (o.dy != 0) out.add(routing_detail::y_port(o.dy));
    if (out.count == 0) out.add(q.dest_port);
  }
  bool table_friendly() const override { return false; }
  bool adaptive() const override { return true; }
  RouteQuery canonical_query(const RouteQuery& q) const override {
    return RouteQuery{q.at, kLocal, 0, 0, q.dest, q.dest_port};  // only (at, dest) matter
  }

  // West hops come first, so a packet travelling east, north or south has none left.
  bool local_turns(RouterId at, PortId in_port, uint8_t in_vc, RouteChoices& out) const override {
    routing_detail::union_of_routes(
        grid_, *this, at, in_port, in_vc,
        [](PortId travel, int32_t dx, int32_t dy, bool) {
          return routing_detail::minimal_could_be_here(travel, dx, dy) &&
                 (travel == kWest || travel == 0 || dx >= 0);
        },
        out);
    return true;
  }

 private:
  Grid grid_;
};

NOCSIM_REGISTER(routing_registry(), WestFirstRouting, "west_first",
                "west-first turn model, minimal adaptive (mesh only)");

}  // namespace nocsim::noc
