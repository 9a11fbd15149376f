// Negative-first turn model (Glass & Ni), minimal: hops in the negative directions (west, south)
// come before any hop in a positive one (east, north), so a packet never turns from positive to
// negative. Within each phase it picks adaptively among the directions it still needs.
#include "noc/routing/mesh_geometry.h"
#include "noc/routing/routing_algorithm.h"

namespace nocsim::noc {

class NegativeFirstRouting : public routing_detail::MinimalTurnModel {
 public:
  NegativeFirstRouting(const Topology& t, const config::NocConfig&)
      : MinimalTurnModel(t, "negative_first") {}

  void route(const RouteQuery& q, RouteChoices& out) const override {
    const auto o = routing_detail::mesh_offset(grid_, q.at, q.dest);
    if (o.dx < 0) out.add(kWest);
    if (o.dy < 0) out.add(kSouth);
    if (out.count > 0) return;
    if (o.dx > 0) out.add(kEast);
    if (o.dy > 0) out.add(kNorth);
    if (out.count == 0) out.add(q.dest_port);
  }

 private:
  // Negative hops come first: a packet travelling east or north has no west or south left.
  bool allows(PortId travel, int32_t dx, int32_t dy) const override {
    return travel != kEast && travel != kNorth ? true : dx >= 0 && dy >= 0;
  }
};

NOCSIM_REGISTER(routing_registry(), NegativeFirstRouting, "negative_first",
                "negative-first turn model, minimal adaptive (mesh only)");

}  // namespace nocsim::noc
