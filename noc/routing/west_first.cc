// West-first turn model (Glass & Ni), minimal: a packet that must go west goes west first and only
// west; once it needs no more west hops it may pick adaptively among east, north and south. Turns
// into west are never taken, which removes both cycles a mesh can form.
#include "noc/routing/mesh_geometry.h"
#include "noc/routing/routing_algorithm.h"

namespace nocsim::noc {

class WestFirstRouting : public routing_detail::MinimalTurnModel {
 public:
  WestFirstRouting(const Topology& t, const config::NocConfig&)
      : MinimalTurnModel(t, "west_first") {}

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

 private:
  // West hops come first, so a packet travelling east, north or south has none left.
  bool allows(PortId travel, int32_t dx, int32_t) const override {
    return travel == kWest || travel == 0 || dx >= 0;
  }
};

NOCSIM_REGISTER(routing_registry(), WestFirstRouting, "west_first",
                "west-first turn model, minimal adaptive (mesh only)");

}  // namespace nocsim::noc
