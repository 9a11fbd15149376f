// North-last turn model (Glass & Ni), minimal: north is taken only when nothing else is left, so a
// packet never turns out of north. While it still needs east/west hops it may not go north; a
// packet that needs south may pick adaptively between south and its east/west direction.
#include "noc/routing/mesh_geometry.h"
#include "noc/routing/routing_algorithm.h"

namespace nocsim::noc {

class NorthLastRouting : public routing_detail::MinimalTurnModel {
 public:
  NorthLastRouting(const Topology& t, const config::NocConfig&)
      : MinimalTurnModel(t, "north_last") {}

  void route(const RouteQuery& q, RouteChoices& out) const override {
    const auto o = routing_detail::mesh_offset(grid_, q.at, q.dest);
    if (o.dx != 0) out.add(routing_detail::x_port(o.dx));
    if (o.dy < 0) out.add(kSouth);
    if (o.dy > 0 && o.dx == 0) out.add(kNorth);
    if (out.count == 0) out.add(q.dest_port);
  }

 private:
  // North is last: a packet travelling north has nothing but north left.
  bool allows(PortId travel, int32_t dx, int32_t) const override {
    return travel != kNorth || dx == 0;
  }
};

NOCSIM_REGISTER(routing_registry(), NorthLastRouting, "north_last",
                "north-last turn model, minimal adaptive (mesh only)");

}  // namespace nocsim::noc
